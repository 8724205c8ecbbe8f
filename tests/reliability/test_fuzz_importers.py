"""Fuzzing every importer: mutated versions of valid files either import or are refused cleanly.

The only outcomes allowed are a successful import or the importer's own clear
refusal (``ImportRefused`` naming the file). A refusal must leave the store
exactly as it was: same rows in every table, same stored files. Run longer with
``pytest tests/reliability --fuzz-long``.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from tests.conftest import DATA
from tests.reliability.hostile_corpus import CORPUS, corpus_id
from workbench.errors import ImportRefused
from workbench.ingest.pipeline import import_file
from workbench.model import Base

INGEST = DATA / "ingest"
SEEDS = [
    ("cdr", INGEST / "cdr_provider.csv", None),
    ("cdr", INGEST / "cdr_utf16.csv", None),
    ("cdr", INGEST / "cdr_workbook.xlsx", None),
    ("telematics", INGEST / "telematics.csv", None),
    ("telematics", INGEST / "vehicle_track.gpx", "pcso"),
    ("system-audit", INGEST / "audit.csv", None),
    ("roster", INGEST / "roster.csv", None),
    ("intel", INGEST / "intel.csv", None),
    ("intel", INGEST / "intel.json", None),
    ("complaints", INGEST / "complaints.csv", None),
    ("whatsapp", INGEST / "whatsapp" / "WhatsApp Chat with Kerry.txt", None),
    ("whatsapp", INGEST / "whatsapp" / "WhatsApp Chat - Kerry.zip", None),
    ("messenger", next((INGEST / "messenger").rglob("message_1.json")), None),
    ("messenger", INGEST / "messenger" / "facebook-danmarsh21-2021-05-01.zip", None),
    ("sms-backup", INGEST / "sms_backup" / "sms-20210401000000.xml", "pcso:07700900102"),
    ("sms-backup", INGEST / "sms_backup" / "calls-20210401000000.xml", "pcso:07700900102"),
    ("ufdr", INGEST / "ufdr" / "report.xml", "pcso:07700900102"),
    ("ufdr", INGEST / "ufdr" / "willow_phone.ufdr", "pcso:07700900102"),
]

HOSTILE_SNIPPETS = [
    b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"99999999999999999999999999", b"-1", b"31/02/2021",
    b"00/13/9999", b"9999-99-99T99:99:99", b"1e309", b"NaN", b'"', b"'", b",,,,,,", b";", b"\r",
    b"\n\n\n", b"[" * 2000, b"{" * 2000, b"<" * 50, b"<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>",
    b"&e;", "\u202e\u200f".encode(), "ð\x9f\x98\x82".encode("latin-1"), b"\x80\x81\x82",
    b"=HYPERLINK(\"http://x\")", b"A" * 100_000,
]


@st.composite
def mutations(draw: st.DrawFn, data: bytes) -> bytes:
    """A valid file changed by one to three edits: cut, repeat, shuffle, splice, re-encode."""
    for _ in range(draw(st.integers(1, 3))):
        if not data:
            break
        kind = draw(st.sampled_from(["truncate", "delete", "duplicate", "shuffle", "insert",
                                     "random", "reencode", "flip"]))
        at = draw(st.integers(0, len(data)))
        if kind == "truncate":
            data = data[:at]
        elif kind == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 200)):]
        elif kind == "duplicate":
            lines = data.splitlines(keepends=True)
            index = draw(st.integers(0, max(len(lines) - 1, 0)))
            data = b"".join(lines[: index + 1] + lines[index:index + 1] * draw(st.integers(1, 50)) + lines[index + 1:])
        elif kind == "shuffle":
            lines = data.splitlines(keepends=True)
            data = b"".join(draw(st.permutations(lines)))
        elif kind == "insert":
            data = data[:at] + draw(st.sampled_from(HOSTILE_SNIPPETS)) + data[at:]
        elif kind == "random":
            data = data[:at] + draw(st.binary(min_size=1, max_size=64)) + data[at:]
        elif kind == "reencode":
            text = data.decode("utf-8", errors="replace")
            data = text.encode(draw(st.sampled_from(["utf-16", "utf-16-le", "cp1252", "latin-1"])),
                               errors="replace")
        else:
            data = bytes(b ^ 0xFF if i == at else b for i, b in enumerate(data))
    return data


def store_state(store) -> tuple:
    """Row counts of every table and the stored exhibit files."""
    with store.reader() as session:
        counts = tuple(session.scalar(select(func.count()).select_from(table))
                       for table in Base.metadata.sorted_tables)
    files = tuple(sorted(p.name for p in store.files.root.rglob("*") if p.is_file())) \
        if store.files.root.exists() else ()
    return counts, files


def fuzz_profile() -> int:
    return settings().max_examples


@pytest.mark.parametrize("kind, seed, owner", SEEDS, ids=[f"{k}-{p.name}" for k, p, _ in SEEDS])
def test_mutated_files_import_or_are_refused_cleanly(willow, kind, seed, owner, tmp_path):
    fuzz(willow, kind, seed.read_bytes(), seed.suffix, owner, tmp_path)


# The hostile corpus (issue #20) as seeds too, but for the files that are big on purpose.
HOSTILE_SEEDS = [entry for entry in CORPUS if "MAX_" not in entry.refused]


@pytest.mark.parametrize("entry", HOSTILE_SEEDS, ids=[corpus_id(e) for e in HOSTILE_SEEDS])
def test_mutated_hostile_files_import_or_are_refused_cleanly(willow, entry, tmp_path):
    built = tmp_path / "seed" / entry.name
    built.parent.mkdir()
    entry.write(built, False)
    fuzz(willow, entry.kind, built.read_bytes(), built.suffix, entry.owner, tmp_path)


def fuzz(willow, kind: str | None, original: bytes, suffix: str, owner: str | None,
         folder) -> None:
    counter = iter(range(10**9))

    @settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                     HealthCheck.data_too_large], deadline=None)
    @given(mutations(original))
    def check(data: bytes) -> None:
        path = folder / f"{next(counter)}{suffix}"
        path.write_bytes(data)
        before = store_state(willow)
        try:
            import_file(willow, "OP-WILLOW", path, kind=kind, owner=owner)
        except ImportRefused as refused:
            assert refused.file == path.name, f"refusal does not name the file: {refused}"
            assert refused.reason, "refusal gives no reason"
            assert store_state(willow) == before, f"a refused import left something behind: {refused}"

    check()
