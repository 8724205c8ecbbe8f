"""Cellebrite UFDR extractions: the zip or its report.xml, and hostile archives."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest

from tests.conftest import DATA
from tests.workbench.device_import_helpers import (
    REF,
    Seen,
    assert_cancel_leaves_nothing,
    assert_refused,
    progress_fractions,
    seen,
    utc,
)
from workbench.ingest import registry
from workbench.ingest.pipeline import import_file

FIXTURES = DATA / "ingest" / "ufdr"
REPORT = FIXTURES / "report.xml"
UFDR = FIXTURES / "willow_phone.ufdr"
PERSONAL = "pcso:07700900102"

EXPECTED = [
    Seen("model call-1", utc(2021, 3, 20, 19, 2), "call", "personal_mobile", "outgoing", "pcso",
         "woman_a", None, None, None, False, 205.0),
    # Only the caller is listed: the other side is the phone's owner.
    Seen("model call-2", utc(2021, 3, 21, 23, 15, 40), "call", "personal_mobile", "incoming",
         "woman_a", "pcso", "missed", None, None, False, 0.0),
    # 21:00:05+01:00; a WhatsApp JID is the person's number.
    Seen("model call-3", utc(2021, 3, 22, 20, 0, 5), "call", "whatsapp", "incoming", "woman_a",
         "pcso", None, None, None, False, 95.0),
    # A time stamp with no offset is local; 01:30 on 31 October 2021 is ambiguous in London.
    Seen("model sms-1", utc(2021, 10, 31, 0, 30), "sms", "personal_mobile", "incoming", "woman_a",
         "pcso", None, "Thanks for today x", None, True, None),
    Seen("model sms-2", utc(2021, 3, 23, 8, 10), "sms", "personal_mobile", "outgoing", "pcso",
         "woman_a", None, "Running late, see you both at the station", None, False, None),
    Seen("model sms-2", utc(2021, 3, 23, 8, 10), "sms", "personal_mobile", "outgoing", "pcso",
         "colleague", None, "Running late, see you both at the station", None, False, None),
    Seen("model sms-3", utc(2021, 3, 24, 22, 41), "sms", "personal_mobile", "outgoing", "pcso",
         "woman_a", "deleted", "Delete this after you read it", None, False, None),
    Seen("model im-1", utc(2021, 3, 25, 20, 30), "message", "whatsapp", "incoming", "woman_a",
         "pcso", None, "Hiya, is this the PCSO?", None, False, None),
    Seen("model im-2", utc(2021, 3, 25, 20, 34, 10), "message", "whatsapp", "outgoing", "pcso",
         "woman_a", None, "It is. Here's my own number, easier than the work one",
         "image/jpeg IMG-20210325-WA0001.jpg", False, None),
    Seen("model im-3", utc(2021, 4, 2, 17, 0), "message", "facebook_messenger", "unknown",
         "woman_a", "Night out", None, "Who's coming Saturday?", None, False, None),
    Seen("model email-1", utc(2021, 3, 26, 9, 0), "email", "email", "unknown",
         "d.marsh.personal@example.com (Dan)", "kerry.lowe@example.com (Kerry Lowe)", None,
         "Crime reference\n\nYour reference is 13/45678/21.", None, False, None),
]


def test_bare_report_xml(willow):
    result = import_file(willow, REF, REPORT, owner=PERSONAL)
    # Ten records; sms-2 went to two people, so eleven events.
    assert (result.kind, result.records, result.events, result.ambiguous_times) == ("ufdr", 10, 11, 1)
    assert seen(willow) == EXPECTED
    assert any("1 Contact" in w for w in result.warnings)


def test_ufdr_zip_gives_the_same_events(willow):
    result = import_file(willow, REF, UFDR, owner=PERSONAL)
    assert result.kind == "ufdr"
    assert seen(willow) == EXPECTED


def test_fixtures_match_their_generator(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    report, archive = module.write(tmp_path)
    assert report.read_bytes() == REPORT.read_bytes()
    assert archive.read_bytes() == UFDR.read_bytes()


def test_the_owner_is_needed(willow):
    assert_refused(willow, REPORT, "--owner")


def _zip(path: Path, members: dict[str, bytes], *, symlink: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = 0o120777 << 16
            archive.writestr(info, "/etc/passwd")
    return path


def test_path_traversal_is_refused(willow, tmp_path):
    evil = _zip(tmp_path / "evil.ufdr", {"report.xml": REPORT.read_bytes(), "../evil": b"x"})
    assert_refused(willow, evil, "climbs out", "'../evil'", owner=PERSONAL)
    absolute = _zip(tmp_path / "absolute.ufdr", {"report.xml": REPORT.read_bytes(),
                                                  "/etc/cron.d/evil": b"x"})
    assert_refused(willow, absolute, "absolute path", owner=PERSONAL)


def test_symlink_member_is_refused(willow, tmp_path):
    linked = _zip(tmp_path / "linked.ufdr", {"report.xml": REPORT.read_bytes()},
                  symlink="files/passwd")
    assert_refused(willow, linked, "symbolic link", owner=PERSONAL)


def test_zip_bomb_by_ratio_is_refused_without_inflating_it(willow, tmp_path):
    bomb = tmp_path / "bomb.ufdr"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("report.xml", REPORT.read_bytes())
        with archive.open("files/zeros.bin", "w") as member:
            chunk = bytes(1024 * 1024)
            for _ in range(24):  # 24 MiB of zeros: about 24 KiB compressed
                member.write(chunk)
    assert bomb.stat().st_size < 200_000
    assert_refused(willow, bomb, "zip bomb", "fold", owner=PERSONAL)


def test_zip_claiming_gigabytes_is_refused(willow, tmp_path):
    liar = _zip(tmp_path / "liar.ufdr", {"report.xml": REPORT.read_bytes(), "big.bin": b"x" * 10})
    data = bytearray(liar.read_bytes())
    # Claim 3 GiB for big.bin in the central directory (sizes at offsets 20 and 24), at an
    # unremarkable 100-fold ratio, so only the total gives it away.
    entry = data.rfind(b"PK\x01\x02")
    assert data[entry + 46: entry + 46 + 7] == b"big.bin"
    data[entry + 20: entry + 28] = struct.pack("<II", 3 * 1024**3 // 100, 3 * 1024**3)
    liar.write_bytes(bytes(data))
    assert_refused(willow, liar, "over 2 GiB", "zip bomb", owner=PERSONAL)


def test_a_real_extraction_of_many_gigabytes_is_not_taken_for_a_bomb(tmp_path):
    """Tens of gigabytes that hardly compress (photos, videos) are a real extraction."""
    from workbench.errors import ImportRefused
    from workbench.ingest import safezip

    archive_path = _zip(tmp_path / "big.ufdr", {"report.xml": b"<x/>", "files/video.mp4": b"v"})
    with zipfile.ZipFile(archive_path) as archive:
        video = archive.getinfo("files/video.mp4")
        video.file_size, video.compress_size = 30 * 1024**3, 29 * 1024**3  # as declared
        safezip.check_archive(archive, size_on_disk=29 * 1024**3 + 4096)  # no refusal
        with pytest.raises(ImportRefused, match=r"over 2 GiB, [\d,]+ times its size"):
            safezip.check_archive(archive, size_on_disk=1024**3)


def test_zip_without_a_report_is_refused(willow, tmp_path):
    empty = _zip(tmp_path / "photos.ufdr", {"files/a.jpg": b"\xff\xd8\xff\xd9"})
    assert_refused(willow, empty, "no report.xml", owner=PERSONAL)


def test_corrupt_zip_is_refused(willow, tmp_path):
    broken = tmp_path / "broken.ufdr"
    broken.write_bytes(UFDR.read_bytes()[:300])
    assert_refused(willow, broken, "not a readable zip", owner=PERSONAL)


def test_entities_are_refused_in_a_report_and_inside_a_zip(willow, tmp_path):
    hostile = REPORT.read_text().replace(
        '<?xml version="1.0" encoding="utf-8"?>\n',
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE project [<!ENTITY x SYSTEM '
        '"file:///etc/passwd">]>\n', 1).replace("Hiya, is this the PCSO?", "&x;")
    bare = tmp_path / "report.xml"
    bare.write_text(hostile)
    assert_refused(willow, bare, "entity", owner=PERSONAL)
    zipped = _zip(tmp_path / "xxe.ufdr", {"report.xml": hostile.encode()})
    assert_refused(willow, zipped, "entity", owner=PERSONAL)


@pytest.mark.parametrize(("old", "new", "fragments"), [
    ("2021-03-21T23:15:40.000+00:00", "the twenty-first", ("model call-2", "TimeStamp")),
    ("00:03:25", "three minutes", ("model call-1", "duration")),
    ("</decodedData>", "</decodedDta>", ("line", "not well-formed")),
])
def test_broken_reports_are_refused_with_position(willow, tmp_path, old, new, fragments):
    broken = tmp_path / "report.xml"
    broken.write_text(REPORT.read_text().replace(old, new, 1))
    assert_refused(willow, broken, *fragments, owner=PERSONAL)


def test_other_xml_is_not_a_report(willow, tmp_path):
    other = tmp_path / "report.xml"
    other.write_text('<?xml version="1.0"?>\n<gpx version="1.1"><trk/></gpx>\n')
    assert registry.get("ufdr").sniff(other.name, other.read_bytes()) == 0.0
    assert_refused(willow, other, "not a Cellebrite report", owner=PERSONAL, kind="ufdr")


def test_nul_and_random_bytes_are_refused(willow, tmp_path):
    nul = tmp_path / "report.xml"
    nul.write_bytes(REPORT.read_bytes().replace(b"Thanks for today", b"Thanks\x00for today"))
    assert_refused(willow, nul, "not well-formed", owner=PERSONAL)
    noise = tmp_path / "noise.ufdr"
    noise.write_bytes(bytes(range(256)) * 20)
    assert_refused(willow, noise, "cannot tell", owner=PERSONAL)
    assert_refused(willow, noise, "not well-formed", owner=PERSONAL, kind="ufdr")


def test_progress_and_cancel(willow, tmp_path):
    text = REPORT.read_text()
    start, end = text.index('<modelType type="SMS">'), text.index('<modelType type="Chat">')
    sms = text[start:end]
    many = "".join(sms.replace('id="sms-', f'id="s{n}-') for n in range(600))
    big = tmp_path / "report.xml"
    big.write_text(text[:start] + many + text[end:])
    assert_cancel_leaves_nothing(willow, big, owner=PERSONAL)
    fractions = progress_fractions(willow, big, owner=PERSONAL)
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and len(fractions) >= 4


def test_device_and_messaging_imports_on_every_store_engine(any_store):
    from workbench import casefile

    casefile.create_case(any_store, casefile.load(DATA / "willow.toml"))
    chats = DATA / "ingest"
    results = [
        import_file(any_store, REF, chats / "whatsapp" / "WhatsApp Chat with Kerry.txt"),
        import_file(any_store, REF, chats / "messenger" / "inbox" / "kerrylowe_4821" / "message_1.json"),
        import_file(any_store, REF, chats / "sms_backup" / "sms-20210401000000.xml", owner=PERSONAL),
        import_file(any_store, REF, UFDR, owner=PERSONAL),
    ]
    assert [(r.kind, r.events) for r in results] == [
        ("whatsapp", 8), ("messenger", 5), ("sms-backup", 6), ("ufdr", 11)]
    assert seen(any_store, results[-1].exhibit) == EXPECTED
