"""The hostile evidence corpus (issue #20), generated: every file the sweep found a fault with,
rebuilt as described, and the older hostile fixtures.

Each :class:`Hostile` writes its file with ``write(path, big)``. ``big=False`` gives the
size the suite uses (just over the limit that refuses it); ``big=True`` the size of the
sweep (a 1 GB attribute, a 500 MB line), for ``python -m tests.reliability.hostile_corpus``,
which measures the time and peak memory of refusing each in a child process.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import tempfile
import time
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import DATA

INGEST = DATA / "ingest"
PERSONAL = "pcso:07700900102"
ESCAPES = "\x1b[2J\x1b]0;owned\x07\x1b[32mAll exhibits verified\x1b[0m"
SECRET = "secret meet tonight, delete this"
MIB = 1024**2


@dataclass(frozen=True)
class Hostile:
    """One hostile file: how to build it, how to import it, and what must happen."""

    name: str  # the file name it is written under
    write: Callable[[Path, bool], None]
    kind: str | None = None  # None: auto-detected
    owner: str | None = None
    refused: str = ""  # a fragment of the refusal; empty: the file must import


def _write_chunks(path: Path, parts: list[bytes | tuple[bytes, int]]) -> None:
    """Write ``parts``; a ``(block, count)`` part is ``block`` repeated, streamed."""
    with open(path, "wb") as out:
        for part in parts:
            if isinstance(part, tuple):
                block, count = part
                for _ in range(count):
                    out.write(block)
            else:
                out.write(part)


# --- 1. hangs and runaway memory --------------------------------------------------------

def _workbook(sheet_xml: bytes) -> bytes:
    """A real workbook (written by openpyxl) with its first sheet replaced."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["Calling Number", "Called Number", "Call Date", "Call Time"])
    buffer = io.BytesIO()
    book.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in source.infolist():
            data = sheet_xml if info.filename == "xl/worksheets/sheet1.xml" else source.read(info)
            copy.writestr(info.filename, data)
    return out.getvalue()


SHEET_NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def xlsx_huge_dimension(path: Path, big: bool) -> None:
    path.write_bytes(_workbook(
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet ' + SHEET_NS + b'>'
        b'<dimension ref="A1:XFD1048576"/><sheetData><row r="1048576">'
        b'<c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>'))


def xlsx_far_row(path: Path, big: bool) -> None:
    """No dimension at all, one cell in the last row and one in the last column."""
    path.write_bytes(_workbook(
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet ' + SHEET_NS + b'><sheetData>'
        b'<row r="1"><c r="XFD1" t="inlineStr"><is><t>x</t></is></c></row>'
        b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        b'</sheetData></worksheet>'))


def xlsx_xxe(path: Path, big: bool) -> None:
    path.write_bytes(_workbook(
        b'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE worksheet [<!ENTITY e SYSTEM '
        b'"file:///etc/passwd">]><worksheet ' + SHEET_NS + b'><sheetData><row r="1">'
        b'<c r="A1" t="inlineStr"><is><t>&e;</t></is></c></row></sheetData></worksheet>'))


def sms_attribute_defaults(path: Path, big: bool) -> None:
    body = b"A" * MIB
    _write_chunks(path, [
        b"<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<!DOCTYPE smses [\n"
        b'<!ATTLIST sms address CDATA "07700900201" date CDATA "1616268605000" type CDATA "1"'
        b' body CDATA "' + body + b'">\n]>\n<smses count="500">\n',
        (b"<sms/>\n", 500), b"</smses>\n"])


def ufdr_attribute_defaults(path: Path, big: bool) -> None:
    report = (INGEST / "ufdr" / "report.xml").read_text(encoding="utf-8")
    path.write_text(re.sub(r"(<\?xml[^>]*>\n?)", r'\1<!DOCTYPE project [<!ATTLIST model '
                           r'deleted_state CDATA "Intact">]>\n', report, count=1),
                    encoding="utf-8")


def sms_huge_attribute(path: Path, big: bool) -> None:
    size = 1024 * MIB if big else 17 * MIB
    _write_chunks(path, [
        b"<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<smses count=\"1\">\n"
        b'<sms address="07700900201" date="1616268605000" type="1" body="',
        (b"A" * MIB, size // MIB), b'"/>\n</smses>\n'])


def ufdr_huge_text(path: Path, big: bool) -> None:
    report = (INGEST / "ufdr" / "report.xml").read_bytes()
    at = report.index(b"00:03:25")
    size = 1024 * MIB if big else 17 * MIB
    _write_chunks(path, [report[:at], (b"0" * MIB, size // MIB), report[at:]])


def csv_huge_line(path: Path, big: bool) -> None:
    size = 500 * MIB if big else 6 * MIB
    _write_chunks(path, [b"Calling Number,Called Number,Call Date,Call Time\n07700900101,",
                         (b"9" * MIB, size // MIB), b"\n"])


def whatsapp_huge_line(path: Path, big: bool) -> None:
    size = 500 * MIB if big else 6 * MIB
    _write_chunks(path, [b"20/06/2021, 14:30 - Kerry: ", (b"A" * MIB, size // MIB), b"\n"])


def messenger_huge_file(path: Path, big: bool) -> None:
    size = 300 * MIB  # over MAX_WHOLE_FILE_BYTES either way: refused before it is read
    _write_chunks(path, [b'{"participants": [], "messages": [{"content": "',
                         (b"A" * MIB, size // MIB), b'"}]}'])


# --- 2. numbers that are not numbers ----------------------------------------------------

def _messenger_thread() -> str:
    return next((INGEST / "messenger").rglob("message_1.json")).read_text(encoding="utf-8")


def messenger_nan(path: Path, big: bool) -> None:
    path.write_text(_messenger_thread().replace('"call_duration": 0', '"call_duration": NaN'),
                    encoding="utf-8")


def sms_nan(path: Path, big: bool) -> None:
    calls = (INGEST / "sms_backup" / "calls-20210401000000.xml").read_text(encoding="utf-8")
    path.write_text(calls.replace('duration="0"', 'duration="NaN"', 1), encoding="utf-8")


def sms_huge_number(path: Path, big: bool) -> None:
    calls = (INGEST / "sms_backup" / "calls-20210401000000.xml").read_text(encoding="utf-8")
    path.write_text(calls.replace('duration="0"', 'duration="1e308"', 1), encoding="utf-8")


def ufdr_nan(path: Path, big: bool) -> None:
    report = (INGEST / "ufdr" / "report.xml").read_text(encoding="utf-8")
    path.write_text(report.replace("00:03:25", "nan", 1), encoding="utf-8")


# --- 3. evidence dropped or confused ----------------------------------------------------

def _thread_with(messages_json: str) -> str:
    thread = json.loads(_messenger_thread())
    head = json.dumps({"participants": thread["participants"]})[:-1]
    return head + ", " + messages_json + ', "title": "Kerry Lowe"}'


def messenger_duplicate_messages(path: Path, big: bool) -> None:
    hidden = json.dumps([{"sender_name": "Kerry Lowe", "timestamp_ms": 1617399600000,
                          "content": SECRET}])
    shown = json.dumps(json.loads(_messenger_thread())["messages"])
    path.write_text(_thread_with(f'"messages": {hidden}, "messages": {shown}'), encoding="utf-8")


def messenger_duplicate_content(path: Path, big: bool) -> None:
    path.write_text(_thread_with(
        '"messages": [{"sender_name": "Kerry Lowe", "timestamp_ms": 1617399600000, '
        f'"content": "{SECRET}", "content": "ok see you"}}]'), encoding="utf-8")


def messenger_zip_duplicate_member(path: Path, big: bool) -> None:
    original = INGEST / "messenger" / "facebook-danmarsh21-2021-05-01.zip"
    with zipfile.ZipFile(original) as source:
        members = [(info.filename, source.read(info)) for info in source.infolist()]
    thread = next(name for name, _ in members if name.endswith("message_1.json"))
    with zipfile.ZipFile(path, "w") as copy, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Duplicate name": the point of this file
        for name, data in members:
            copy.writestr(name, data)
        copy.writestr(thread, _thread_with(json.dumps(
            {"messages": [{"sender_name": "Kerry Lowe", "timestamp_ms": 1617399600000,
                           "content": SECRET}]})[1:-1]))


# --- 4. terminal injection, 8. look-alike identities (these import) ---------------------

def whatsapp_escapes(path: Path, big: bool) -> None:
    path.write_text(f"20/03/2021, 19:05 - Kerry{ESCAPES}: hello\n"
                    f"20/03/2021, 19:06 - Lee PCSO: hi {ESCAPES}\n", encoding="utf-8")


def cdr_escaped_imei(path: Path, big: bool) -> None:
    lines = (INGEST / "cdr_provider.csv").read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("356938035643809", f"3569{ESCAPES}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def whatsapp_look_alike(path: Path, big: bool) -> None:
    chat = (INGEST / "whatsapp" / "WhatsApp Chat with Kerry.txt").read_text(encoding="utf-8")
    path.write_text(chat.replace(" - Kerry: ", " - K\u200berry: ").replace(
        " - Lee PCSO: ", " - Lee\u2060 PCSO: "), encoding="utf-8")


# --- the older hostile fixtures ---------------------------------------------------------

def sms_billion_laughs(path: Path, big: bool) -> None:
    entities = "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
    path.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE smses [<!ENTITY lol0 "lol">{entities}]>\n'
                    '<smses><sms address="1" date="1616268605000" type="1" body="&lol9;"/></smses>')


def ufdr_xxe(path: Path, big: bool) -> None:
    report = (INGEST / "ufdr" / "report.xml").read_text(encoding="utf-8")
    path.write_text(re.sub(r"(<\?xml[^>]*>\n?)", r'\1<!DOCTYPE project [<!ENTITY x SYSTEM '
                           r'"file:///etc/passwd">]>\n', report, count=1).replace(
                               "00:03:25", "&x;", 1), encoding="utf-8")


def zip_traversal(path: Path, big: bool) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("../../etc/cron.d/evil", b"* * * * * root true\n")
        archive.writestr("_chat.txt", b"20/03/2021, 19:05 - Kerry: hi\n")


def zip_bomb(path: Path, big: bool) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("_chat.txt", "w", force_zip64=True) as member:
            for _ in range(300 if not big else 3000):
                member.write(b"\0" * MIB)


CORPUS = [
    Hostile("huge-dimension.xlsx", xlsx_huge_dimension, refused="cannot tell what kind"),
    Hostile("huge-dimension-cdr.xlsx", xlsx_huge_dimension, kind="cdr",
            refused="MAX_SHEET_COLUMNS"),
    Hostile("far-row.xlsx", xlsx_far_row, kind="cdr", refused="no sheet with data"),
    Hostile("xxe.xlsx", xlsx_xxe, kind="cdr", refused="not a readable Excel workbook"),
    Hostile("sms-attlist.xml", sms_attribute_defaults, kind="sms-backup", owner=PERSONAL,
            refused="attribute defaults"),
    Hostile("report-attlist.xml", ufdr_attribute_defaults, kind="ufdr", owner=PERSONAL,
            refused="attribute defaults"),
    Hostile("sms-huge-attribute.xml", sms_huge_attribute, kind="sms-backup", owner=PERSONAL,
            refused="MAX_XML_TOKEN_BYTES"),
    Hostile("huge-text-report.xml", ufdr_huge_text, kind="ufdr", owner=PERSONAL,
            refused="MAX_XML_TOKEN_BYTES"),
    Hostile("huge-line.csv", csv_huge_line, kind="cdr", refused="MAX_LINE_CHARS"),
    Hostile("WhatsApp Chat with Kerry huge.txt", whatsapp_huge_line, kind="whatsapp",
            refused="MAX_LINE_CHARS"),
    Hostile("message_1.json", messenger_huge_file, kind="messenger",
            refused="MAX_WHOLE_FILE_BYTES"),
    Hostile("message_1.json", messenger_nan, kind="messenger", refused="NaN"),
    Hostile("calls-nan.xml", sms_nan, kind="sms-backup", owner=PERSONAL, refused="duration"),
    Hostile("calls-1e308.xml", sms_huge_number, kind="sms-backup", owner=PERSONAL,
            refused="duration"),
    Hostile("report-nan.xml", ufdr_nan, kind="ufdr", owner=PERSONAL, refused="duration"),
    Hostile("message_1.json", messenger_duplicate_messages, kind="messenger",
            refused="repeats the key 'messages'"),
    Hostile("message_1.json", messenger_duplicate_content, kind="messenger",
            refused="repeats the key 'content'"),
    Hostile("facebook-dup-2021-05-01.zip", messenger_zip_duplicate_member, kind="messenger",
            refused="same path"),
    Hostile("WhatsApp Chat with Kerry escapes.txt", whatsapp_escapes, kind="whatsapp"),
    Hostile("cdr-escapes.csv", cdr_escaped_imei, kind="cdr"),
    Hostile("WhatsApp Chat with Kerry.txt", whatsapp_look_alike, kind="whatsapp"),
    Hostile("sms-lol.xml", sms_billion_laughs, kind="sms-backup", owner=PERSONAL,
            refused="entity"),
    Hostile("report-xxe.xml", ufdr_xxe, kind="ufdr", owner=PERSONAL, refused="entity"),
    Hostile("WhatsApp Chat - traversal.zip", zip_traversal, kind="whatsapp",
            refused="climbs out"),
    Hostile("WhatsApp Chat - bomb.zip", zip_bomb, kind="whatsapp", refused="zip bomb"),
]


def corpus_id(entry: Hostile) -> str:
    return f"{entry.write.__name__}-{entry.kind or 'detected'}"


# --- measuring: python -m tests.reliability.hostile_corpus [--big] ----------------------

_CHILD = """
import resource, sys, time
from workbench import casefile, investigator
from workbench.errors import ImportRefused
from workbench.ingest.pipeline import import_file
from workbench.store import open_store
from tests.conftest import DATA
investigator.save(investigator.parse("DS 4120 Jane Brown"))  # writes name an investigator
store = open_store(sys.argv[1])
casefile.create_case(store, casefile.load(DATA / "willow.toml"))
started = time.perf_counter()
try:
    import_file(store, "OP-WILLOW", sys.argv[2], kind=sys.argv[3] or None, owner=sys.argv[4] or None)
    outcome = "imported"
except ImportRefused as exc:
    outcome = "refused: " + str(exc)[:90]
elapsed = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{elapsed:.2f}\\t{peak:.0f}\\t{outcome}")
"""


def measure(big: bool) -> None:
    """Import each corpus file in a fresh process; print its time and peak memory (MiB)."""
    worst_time = worst_memory = 0.0
    for entry in CORPUS:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / entry.name
            entry.write(path, big)
            started = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-c", _CHILD, f"sqlite:///{folder}/case.db", str(path),
                 entry.kind or "", entry.owner or ""],
                capture_output=True, text=True, check=False,
                env={"WORKBENCH_EVIDENCE": f"{folder}/evidence", "PYTHONPATH": ".",
                     "HOME": folder, "PATH": "/usr/bin:/bin"})
            wall = time.perf_counter() - started
            line = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else \
                f"?\t?\tCRASH {done.stderr.strip().splitlines()[-1:]}"
            seconds, memory, outcome = line.split("\t", 2)
            print(f"{corpus_id(entry):34} {path.stat().st_size / MIB:9.1f} MiB  import "
                  f"{seconds:>6} s  (process {wall:5.1f} s)  peak {memory:>5} MiB  {outcome}")
            worst_time = max(worst_time, float(seconds) if seconds != "?" else 1e9)
            worst_memory = max(worst_memory, float(memory) if memory != "?" else 1e9)
    print(f"longest import or refusal: {worst_time:.2f} s; largest peak memory: "
          f"{worst_memory:.0f} MiB")


if __name__ == "__main__":
    measure(big="--big" in sys.argv)
