"""SMS Backup & Restore XML: texts, MMS and calls from the officer's personal phone."""

from __future__ import annotations

import re

import pytest

from tests.conftest import DATA, SAMPLES
from tests.workbench.device_import_helpers import (
    REF,
    Seen,
    assert_cancel_leaves_nothing,
    assert_refused,
    progress_fractions,
    seen,
    utc,
)
from workbench.ingest.pipeline import import_file

BACKUPS = DATA / "ingest" / "sms_backup"
TEXTS = BACKUPS / "sms-20210401000000.xml"
CALLS = BACKUPS / "calls-20210401000000.xml"
SMS_SAMPLES = SAMPLES / "sms_backup"
PERSONAL = "pcso:07700900102"

SAMPLE_RECORDS = {  # events per sample (one per sms/mms/call element in these files)
    "shruggietech_edge_cases.xml": 4,
    "shruggietech_minimal_calls.xml": 1,
    "shruggietech_minimal_mms.xml": 1,
    "shruggietech_minimal_sms.xml": 1,
    "shruggietech_mixed.xml": 4,
    "sms-backup-reader-2_sample_mms.xml": 4,
    "sms-backup-reader-2_sms_small.xml": 12,
}
TRUNCATED_SAMPLE = "sms-backup-reader-2_sms_and_mms.xml"


def test_texts_and_mms_from_the_personal_phone(willow):
    result = import_file(willow, REF, TEXTS, owner=PERSONAL)
    # Five records in the file; the group MMS (record 5) gives an event per recipient.
    assert (result.kind, result.records, result.events) == ("sms-backup", 5, 6)
    assert seen(willow) == [
        Seen("record 1 (line 5)", utc(2021, 3, 20, 19, 30, 5), "sms", "personal_mobile",
             "incoming", "woman_a", "pcso", None, "Is that you Lee? x", None, False, None),
        Seen("record 2 (line 6)", utc(2021, 3, 20, 19, 31, 40), "sms", "personal_mobile",
             "outgoing", "pcso", "woman_a", None, "Yes, it's my own phone.\nKeep this one between us",
             None, False, None),
        Seen("record 3 (line 7)", utc(2021, 3, 20, 23, 55), "sms", "personal_mobile", "outgoing",
             "pcso", "woman_a", "draft", "You looked lovely today", None, False, None),
        Seen("record 4 (line 8)", utc(2021, 3, 21, 10, 2, 33), "mms", "personal_mobile",
             "incoming", "woman_a", "pcso", None, "The back door after the break in",
             "image/jpeg IMG_0412.jpg", False, None),
        # A group MMS: one event per recipient, same position.
        Seen("record 5 (line 19)", utc(2021, 3, 22, 8, 15), "mms", "personal_mobile", "outgoing",
             "pcso", "woman_a", None, "Locksmith booked for 10", None, False, None),
        Seen("record 5 (line 19)", utc(2021, 3, 22, 8, 15), "mms", "personal_mobile", "outgoing",
             "pcso", "colleague", None, "Locksmith booked for 10", None, False, None),
    ]


def test_call_log(willow):
    import_file(willow, REF, CALLS, owner=PERSONAL)
    assert [(e.position, e.direction, e.sender, e.recipient, e.status, e.duration, e.channel)
            for e in seen(willow)] == [
        ("record 1 (line 5)", "incoming", "woman_a", "pcso", "missed", 0.0, "personal_mobile"),
        ("record 2 (line 6)", "outgoing", "pcso", "woman_a", None, 754.0, "personal_mobile"),
        ("record 3 (line 7)", "incoming", "woman_a", "pcso", "rejected", 0.0, "personal_mobile"),
        # A withheld number (-2) is recorded with no caller rather than a bogus number "2".
        ("record 4 (line 8)", "incoming", None, "pcso", None, 31.0, "personal_mobile"),
    ]


def test_a_device_export_needs_its_owner(willow):
    assert_refused(willow, TEXTS, "--owner")
    # The officer has two phones: the backup must say which.
    assert_refused(willow, TEXTS, "2 phone identifiers", "--owner pcso:VALUE", owner="pcso")


@pytest.mark.samples
@pytest.mark.parametrize("name", sorted(SAMPLE_RECORDS))
def test_every_sample_imports(willow, name):
    path = SMS_SAMPLES / name
    result = import_file(willow, REF, path, owner=PERSONAL)  # kind detected from content
    assert result.kind == "sms-backup"
    text = path.read_text(encoding="utf-8")
    elements = len(re.findall(r"<(?:sms|mms|call)\s", text))
    assert result.events == elements == SAMPLE_RECORDS[name]
    events = seen(willow)
    assert {e.channel for e in events} == {"personal_mobile"}
    assert all(e.position.startswith("record ") for e in events)


@pytest.mark.samples
def test_no_sample_is_left_out():
    assert {p.name for p in SMS_SAMPLES.glob("*.xml")} == {*SAMPLE_RECORDS, TRUNCATED_SAMPLE}


@pytest.mark.samples
def test_sample_details(willow):
    result = import_file(willow, REF, SMS_SAMPLES / "shruggietech_edge_cases.xml", owner=PERSONAL)
    events = seen(willow, result.exhibit)
    assert events[1].text == "Hello \U0001F30D \u2014 this has \u00abspecial\u00bb chars & symbols < > \" '"
    assert events[1].recipient == "+15553334444 (Charlie Unicode)"
    assert events[2].text is None  # empty body
    result = import_file(willow, REF, SMS_SAMPLES / "shruggietech_mixed.xml", owner=PERSONAL)
    assert [e.status for e in seen(willow, result.exhibit)] == [None, None, None, "draft"]
    result = import_file(willow, REF, SMS_SAMPLES / "sms-backup-reader-2_sample_mms.xml",
                         owner=PERSONAL)
    assert [e.media for e in seen(willow, result.exhibit)] == [
        "image/png image.png", "video/mp4 video.mp4", "audio/mp3 audio.mp3",
        "application/pdf document.pdf"]


@pytest.mark.samples
def test_the_truncated_sample_is_refused_saying_so(willow):
    # The upstream file stops inside its 50th record, with no closing tags.
    assert_refused(willow, SMS_SAMPLES / TRUNCATED_SAMPLE, "line 136", "truncated", "record 50",
                   owner=PERSONAL)


def test_external_entities_are_refused(willow, tmp_path):
    xxe = tmp_path / "sms-xxe.xml"
    xxe.write_text('<?xml version="1.0"?>\n<!DOCTYPE smses [<!ENTITY secret SYSTEM '
                   '"file:///etc/passwd">]>\n<smses count="1"><sms address="07700900201" '
                   'date="1616268605000" type="1" body="&secret;" /></smses>\n')
    assert_refused(willow, xxe, "entity", "'secret'", owner=PERSONAL)


def test_billion_laughs_is_refused(willow, tmp_path):
    entities = "".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
    bomb = tmp_path / "sms-lol.xml"
    bomb.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE smses [<!ENTITY lol0 "lol">{entities}]>\n'
                    '<smses><sms address="1" date="1616268605000" type="1" body="&lol9;"/></smses>')
    assert_refused(willow, bomb, "entity", "expansion", owner=PERSONAL, kind="sms-backup")


@pytest.mark.parametrize(("content", "fragments"), [
    (b'<?xml version="1.0"?>\n<smses>\n<sms address="1" date="1" type="1">\n</smses>',
     ("line 4", "not well-formed")),
    (b'<?xml version="1.0"?>\n<smses>\n<sms address="1" date="yesterday" type="1" body="x"/>\n'
     b"</smses>", ("record 1 (line 3)", "epoch milliseconds")),
    (b'<?xml version="1.0"?>\n<calls>\n<call number="1" date="1616268605000" type="2" '
     b'duration="ten"/>\n</calls>', ("record 1 (line 3)", "duration")),
    (b'<?xml version="1.0"?>\n<messages><sms/></messages>', ("line 2", "root element")),
    (b'<?xml version="1.0"?>\n<smses>\n<sms address="1" date="1616268605000" type="1" '
     b'body="a\x00b"/>\n</smses>', ("line 3", "not well-formed")),
    (b'<?xml version="1.0"?>\n<smses count="0"></smses>', ("no records",)),
])
def test_broken_backups_are_refused_with_position(willow, tmp_path, content, fragments):
    path = tmp_path / "sms-broken.xml"
    path.write_bytes(content)
    assert_refused(willow, path, *fragments, owner=PERSONAL, kind="sms-backup")


def test_random_bytes_are_refused(willow, tmp_path):
    noise = tmp_path / "sms-noise.xml"
    noise.write_bytes(bytes(range(256)) * 20)
    assert_refused(willow, noise, "cannot tell", owner=PERSONAL)
    assert_refused(willow, noise, "not well-formed", owner=PERSONAL, kind="sms-backup")


def test_progress_and_cancel_on_a_multi_megabyte_backup(willow, tmp_path):
    line = ('  <sms protocol="0" address="07700 900201" date="{}" type="{}" body="message {}" '
            'read="1" status="-1" contact_name="Kerry" readable_date="x" service_center="null" />\n')
    big = tmp_path / "sms-big.xml"
    with open(big, "w", encoding="utf-8") as out:
        out.write('<?xml version="1.0"?>\n<smses count="20000">\n')
        for n in range(20_000):
            out.write(line.format(1616268605000 + n * 60_000, 1 + n % 2, n))
        out.write("</smses>\n")
    assert big.stat().st_size > 3 * 1024 * 1024
    assert_cancel_leaves_nothing(willow, big, owner=PERSONAL)
    fractions = progress_fractions(willow, big, owner=PERSONAL)
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and len(fractions) >= 4
