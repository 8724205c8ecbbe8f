"""WhatsApp chat exports: realistic fixtures, the shared real-world samples, broken input."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

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
from workbench.bench import import_whatsapp as whatsapp_bench
from workbench.ingest import registry
from workbench.ingest.pipeline import import_file
from workbench.model import Identifier

CHATS = DATA / "ingest" / "whatsapp"
ANDROID = CHATS / "WhatsApp Chat with Kerry.txt"
IOS = CHATS / "ios" / "_chat.txt"
WHATSAPP_SAMPLES = SAMPLES / "whatsapp"

# Messages per sample, counted by hand from the files (system lines excluded,
# continuation lines joined to their message).
SAMPLE_MESSAGES = {
    "chat-analytics_2A_5M.txt": 5,
    "chat-analytics_4A_11M.txt": 11,
    "chat-miner_test_bracket_mmddyy_24hrs.txt": 7,
    "chat-miner_test_ddmmyy_24hrs.txt": 7,
    "chat-miner_test_mmddyy_24hrs.txt": 7,
    "chat-miner_test_mmddyyyy_12hrs.txt": 7,
    "chat-miner_test_yyyymmdd_24hrs.txt": 7,
    "whats_json_arabic2_ios.txt": 22,
    "whats_json_czech_android.txt": 59,
    "whats_json_deutch_android_media.txt": 40,
    "whats_json_english_android.txt": 59,
    "whats_json_english_android_media.txt": 59,
    "whats_json_english_ios.txt": 22,
    "whats_json_english_ios_media.txt": 22,
    "whats_json_group_chat_android.txt": 4,
    "whats_json_russian_android.txt": 59,
    "whatsapp-chat-parser-rb_sample.txt": 5,
    "whatstk_example-12h-2.txt": 18,
    "whatstk_example-12h.txt": 18,
    "whatstk_lorem.txt": 500,
    "whatstk_pokemon.txt": 18,
}


def test_uk_android_chat_between_officer_and_member_of_public(willow):
    result = import_file(willow, REF, ANDROID)
    assert result.kind == "whatsapp"
    assert result.events == 8
    assert result.ambiguous_times == 1
    assert seen(willow) == [
        Seen("line 2", utc(2021, 3, 20, 19, 5), "message", "whatsapp", "outgoing", "pcso",
             "woman_a", None, "Hi Kerry, it's Lee from the station. Just checking you're ok "
             "after the other day", None, False, None),
        Seen("line 3", utc(2021, 3, 20, 19, 12), "message", "whatsapp", "incoming", "woman_a",
             "pcso", None, "Hiya yes im ok thank you", None, False, None),
        Seen("line 4", utc(2021, 3, 20, 19, 13), "message", "whatsapp", "incoming", "woman_a",
             "pcso", None, "Still a bit shaken\nif im honest\nand cant sleep", None, False, None),
        Seen("line 7", utc(2021, 3, 20, 19, 20), "message", "whatsapp", "outgoing", "pcso",
             "woman_a", None, None, "<Media omitted>", False, None),
        Seen("line 8", utc(2021, 3, 20, 19, 21), "message", "whatsapp", "outgoing", "pcso",
             "woman_a", "deleted", None, None, False, None),
        # 22:47 BST is 21:47 UTC.
        Seen("line 9", utc(2021, 4, 2, 21, 47), "message", "whatsapp", "outgoing", "pcso",
             "woman_a", None, "You up? Don't mention this number to anyone at work x", None,
             False, None),
        # 01:15 on 31 October 2021 happened twice in London: the earlier reading, flagged.
        Seen("line 10", utc(2021, 10, 31, 0, 15), "message", "whatsapp", "incoming", "woman_a",
             "pcso", None, "cant sleep again", None, True, None),
        Seen("line 11", utc(2021, 10, 31, 2, 10), "call", "whatsapp", "outgoing", "pcso",
             "woman_a", "missed", None, None, False, None),
    ]
    assert any("1 WhatsApp system line was" in w for w in result.warnings)
    assert not any("day-first" in w for w in result.warnings)  # 20/03 decides it


def test_ios_chat_with_direction_marks(willow):
    result = import_file(willow, REF, IOS)
    assert result.kind == "whatsapp"
    events = seen(willow)
    assert [(e.position, e.direction, e.text, e.media, e.status) for e in events] == [
        ("line 2", "outgoing", "Hi Kerry, it\u2019s Lee", None, None),
        ("line 3", "incoming", None, "image omitted", None),
        ("line 4", "outgoing", None, "00000012-PHOTO-2021-03-20-19-07-02.jpg", None),
        ("line 5", "incoming", None, None, "deleted"),
        ("line 6", "outgoing", "Night x", None, None),
    ]
    assert {e.channel for e in events} == {"whatsapp"}
    assert events[0].at == utc(2021, 3, 20, 19, 5, 12)
    assert events[-1].at == utc(2021, 3, 21, 22, 15)
    for event in events:
        assert not re.search("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", event.text or "")


def test_a_timezone_option_overrides_the_case_timezone(willow):
    import_file(willow, REF, ANDROID, tz="Europe/Madrid")
    assert seen(willow)[0].at == utc(2021, 3, 20, 18, 5)  # 19:05 CET


@pytest.mark.samples
@pytest.mark.parametrize("name", sorted(SAMPLE_MESSAGES))
def test_every_sample_imports_with_its_message_count(willow, name):
    result = import_file(willow, REF, WHATSAPP_SAMPLES / name)  # kind detected from content
    assert result.kind == "whatsapp"
    assert result.events == SAMPLE_MESSAGES[name]
    events = seen(willow)
    assert len(events) == SAMPLE_MESSAGES[name]
    assert {e.channel for e in events} == {"whatsapp"}
    assert all(e.position.startswith("line ") for e in events)


@pytest.mark.samples
def test_no_sample_is_left_out_of_the_counts():
    assert {p.name for p in WHATSAPP_SAMPLES.glob("*.txt")} == set(SAMPLE_MESSAGES)


@pytest.mark.samples
def test_sample_counts_agree_with_an_independent_count():
    android = re.compile(r"^\d\d/\d\d/\d{4}, \d\d:\d\d - [^:]+: ", re.MULTILINE)
    text = (WHATSAPP_SAMPLES / "whats_json_english_android.txt").read_text(encoding="utf-8")
    assert len(android.findall(text)) == SAMPLE_MESSAGES["whats_json_english_android.txt"]
    ios = re.compile(r"^\[\d\d-\d\d-\d\d \d\d:\d\d:\d\d\] [^:]+: ", re.MULTILINE)
    text = (WHATSAPP_SAMPLES / "whatstk_lorem.txt").read_text(encoding="utf-8")
    assert len(ios.findall(text)) == SAMPLE_MESSAGES["whatstk_lorem.txt"]


@pytest.mark.samples
@pytest.mark.parametrize(("name", "position", "expected"), [
    # Month-first files are recognised from 01/20/19; day-first from 20/01/19; ISO-like too.
    ("chat-miner_test_mmddyy_24hrs.txt", "line 2", utc(2019, 1, 20, 11, 23)),
    ("chat-miner_test_ddmmyy_24hrs.txt", "line 2", utc(2019, 1, 20, 11, 23)),
    ("chat-miner_test_yyyymmdd_24hrs.txt", "line 2", utc(2019, 1, 20, 11, 23)),
    ("chat-miner_test_bracket_mmddyy_24hrs.txt", "line 10", utc(2021, 12, 30, 22, 1)),
    # "08:49 p. m." in January (GMT).
    ("chat-miner_test_mmddyyyy_12hrs.txt", "line 3", utc(2019, 1, 30, 20, 49)),
    # "11:45 PM" / "11:45 p.m." in August (BST).
    ("whatstk_example-12h.txt", "line 9", utc(2016, 8, 7, 22, 45)),
    ("whatstk_example-12h-2.txt", "line 9", utc(2016, 8, 7, 22, 45)),
    ("whatstk_pokemon.txt", "line 9", utc(2016, 8, 7, 10, 45)),
    # Arabic iOS: RLM marks inside the date, Arabic comma; 21:41:35 BST.
    ("whats_json_arabic2_ios.txt", "line 2", utc(2022, 3, 27, 20, 41, 35)),
    # Android m/d/yy and iOS d/m/yyyy in the same file, each decided on its own.
    ("whatsapp-chat-parser-rb_sample.txt", "line 1", utc(2025, 12, 15, 10, 30)),
    ("whatsapp-chat-parser-rb_sample.txt", "line 5", utc(2025, 12, 15, 10, 32, 3)),
])
def test_dates_read_in_the_files_own_order(willow, name, position, expected):
    import_file(willow, REF, WHATSAPP_SAMPLES / name)
    by_position = {e.position: e for e in seen(willow)}
    assert by_position[position].at == expected


@pytest.mark.samples
def test_undecidable_dates_are_read_day_first_with_a_warning(willow):
    result = import_file(willow, REF, WHATSAPP_SAMPLES / "chat-analytics_4A_11M.txt")
    assert any("UK day-first" in w for w in result.warnings)
    assert seen(willow)[0].at == utc(2020, 9, 12, 22, 55)  # 12 September, BST


@pytest.mark.samples
def test_media_deleted_and_call_lines_in_a_real_export(willow):
    import_file(willow, REF, WHATSAPP_SAMPLES / "whats_json_english_android_media.txt")
    by_position = {e.position: e for e in seen(willow)}
    assert by_position["line 4"].media == "<Media omitted>"
    assert by_position["line 4"].text == "Caption"  # caption on the next line
    assert by_position["line 11"].media == "IMG-20220323-WA0002.jpg"
    assert by_position["line 12"].text == "\u0422\u0438\u0442\u043b"  # its caption
    deleted = [e for e in by_position.values() if e.status == "deleted"]
    assert len(deleted) == 8 and all(e.text is None for e in deleted)
    calls = [e for e in by_position.values() if e.kind == "call"]
    assert [(c.status, c.at) for c in calls] == [("missed", utc(2023, 1, 7, 23, 32))] * 2


@pytest.mark.samples
def test_group_chat_messages_go_to_the_group(willow, tmp_path):
    sample = WHATSAPP_SAMPLES / "whats_json_group_chat_android.txt"
    import_file(willow, REF, sample)
    # Without WhatsApp's file name, the title is the group's latest subject.
    assert {e.recipient for e in seen(willow)} == {"Group Chat XXX"}
    renamed = tmp_path / "WhatsApp Chat with Night out.txt"
    renamed.write_bytes(sample.read_bytes() + b"11/01/2023, 17:00 - Dmitry S: later\n")
    result = import_file(willow, REF, renamed)
    assert {e.recipient for e in seen(willow, result.exhibit)} == {"Night out"}


def test_a_group_notice_with_a_colon_is_not_a_sender(willow, tmp_path):
    chat = tmp_path / "chat.txt"
    chat.write_text('10/01/2023, 09:00 - Lee PCSO created group "Street watch"\n'
                    "10/01/2023, 09:01 - Lee PCSO: Morning all\n"
                    '10/01/2023, 09:02 - Kerry changed the subject to "Street watch: Friday"\n'
                    "10/01/2023, 09:03 - Kerry: Hi\n", encoding="utf-8")
    result = import_file(willow, REF, chat)
    assert result.events == 2
    assert [(e.sender, e.recipient, e.direction) for e in seen(willow)] == [
        ("pcso", "Street watch: Friday", "outgoing"), ("woman_a", "Street watch: Friday", "unknown")]


@pytest.mark.samples
def test_a_phone_number_sender_is_a_phone_identifier(willow):
    import_file(willow, REF, WHATSAPP_SAMPLES / "whatstk_lorem.txt")
    with willow.reader() as session:
        kinds = {(i.kind, i.value) for i in session.scalars(select(Identifier))}
    assert ("phone", "+1123456789") in kinds  # kept as its digits: not a possible number
    assert ("whatsapp", "mary") in kinds


def test_utf16_export_reads_the_same(willow, tmp_path):
    copy = tmp_path / "WhatsApp Chat with Kerry.txt"
    copy.write_bytes(ANDROID.read_text(encoding="utf-8").encode("utf-16"))
    result = import_file(willow, REF, copy)
    assert result.events == 8
    assert seen(willow)[2].text == "Still a bit shaken\nif im honest\nand cant sleep"


def test_a_cut_off_last_line_is_kept_with_a_warning(willow, tmp_path):
    cut = tmp_path / "WhatsApp Chat with Kerry.txt"
    cut.write_text(ANDROID.read_text(encoding="utf-8") + "31/10/2021, 02:", encoding="utf-8")
    result = import_file(willow, REF, cut)
    assert result.events == 8
    assert any("truncated" in w for w in result.warnings)
    # The fragment is kept, joined to the message before it, as the export has it.
    assert seen(willow)[-1].text == "31/10/2021, 02:"


def test_nul_bytes_are_refused(willow, tmp_path):
    bad = tmp_path / "WhatsApp Chat with Kerry.txt"
    bad.write_bytes(ANDROID.read_bytes().replace(b"Hiya", b"Hi\x00ya"))
    assert_refused(willow, bad, "line 3", "NUL", kind="whatsapp")


def test_random_bytes_are_refused(willow, tmp_path):
    noise = tmp_path / "noise.txt"
    noise.write_bytes(bytes(range(1, 256)) * 40)
    assert_refused(willow, noise, "cannot tell")
    assert_refused(willow, noise, "line 1", "not valid", kind="whatsapp")
    prose = tmp_path / "notes.txt"
    prose.write_text("Notes from the visit\nNothing to add\n", encoding="utf-8")
    assert_refused(willow, prose, "not a WhatsApp chat export", kind="whatsapp")


def test_an_impossible_date_is_refused_with_its_line(willow, tmp_path):
    bad = tmp_path / "WhatsApp Chat with Kerry.txt"
    bad.write_text("20/02/2021, 10:00 - Kerry: hello\n31/02/2021, 10:05 - Kerry: hello again\n",
                   encoding="utf-8")
    assert_refused(willow, bad, "line 2", "not a valid date")


def test_progress_is_reported_and_cancel_leaves_nothing(willow, tmp_path):
    big = tmp_path / "WhatsApp Chat with Kerry.txt"
    whatsapp_bench.synthetic_chat(big, 12_000)
    assert_cancel_leaves_nothing(willow, big)
    fractions = progress_fractions(willow, big)
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert len(fractions) > 3


def test_bench_row_runs_in_quick_mode():
    row = whatsapp_bench.run(quick=True)
    assert row.name == "import_whatsapp" and row.ours_s > 0 and row.target_ratio == 1.0


@pytest.mark.samples
@pytest.mark.parametrize("path", [
    SAMPLES / "signal" / "chat-miner_signal_test_export.txt",
    SAMPLES / "telegram" / "chat-miner_test_single_export.json",
    SAMPLES / "cdr" / "cellyzer_calls.csv",
])
def test_other_formats_are_not_claimed(path: Path):
    head = path.read_bytes()[:65536]
    assert registry.get("whatsapp").sniff(path.name, head) == 0.0


# -- the zip WhatsApp shares ---------------------------------------------------------------------

def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_an_ios_export_zip_imports_like_its_chat_text(willow, tmp_path):
    photo = b"\xff\xd8\xff\xe0 a jpeg"
    exported = _zip(tmp_path / "WhatsApp Chat - Kerry.zip", {
        "_chat.txt": IOS.read_bytes(), "00000012-PHOTO-2021-03-20-19-07-02.jpg": photo})
    assert registry.detect(exported).kind == "whatsapp"  # from the content, no --kind
    result = import_file(willow, REF, exported)
    assert (result.kind, result.records) == ("whatsapp", 5)
    events = seen(willow)
    assert [(e.position, e.direction, e.media) for e in events][:4] == [
        ("line 2", "outgoing", None), ("line 3", "incoming", "image omitted"),
        ("line 4", "outgoing", "00000012-PHOTO-2021-03-20-19-07-02.jpg"),
        ("line 5", "incoming", None)]
    assert events[0].at == utc(2021, 3, 20, 19, 5, 12)
    assert "the chat was read from '_chat.txt' in the zip: positions are its lines" in result.warnings
    assert not any("not in the zip" in w for w in result.warnings)  # the photo is there


def test_a_zip_missing_attachments_says_so(willow, tmp_path):
    exported = _zip(tmp_path / "export.zip", {"_chat.txt": IOS.read_bytes()})
    result = import_file(willow, REF, exported, kind="whatsapp")
    assert "1 attachment(s) named in the chat are not in the zip" in result.warnings


def test_an_android_export_zip_takes_its_one_chat_text(willow, tmp_path):
    exported = _zip(tmp_path / "WhatsApp Chat with Kerry.zip", {
        "WhatsApp Chat with Kerry.txt": ANDROID.read_bytes(), "IMG-20210325-WA0001.jpg": b"x"})
    from_zip = import_file(willow, REF, exported)
    zipped = seen(willow)
    from_text = import_file(willow, REF, ANDROID)
    plain = seen(willow)[len(zipped):]
    assert from_zip.records == from_text.records == len(zipped) == len(plain) > 5
    def key(e):
        return (e.position, e.at, e.direction, e.sender, e.recipient, e.text, e.media, e.status)
    assert [key(e) for e in zipped] == [key(e) for e in plain]


@pytest.mark.parametrize("members, reason", [
    ({"notes.md": b"nothing"}, "no chat text"),
    ({"a/_chat.txt": b"[20/03/2021, 19:05:12] Kerry: hi\n", "b/_chat.txt": b"x"}, "2 chat texts"),
    ({"../_chat.txt": b"[20/03/2021, 19:05:12] Kerry: hi\n"}, "climbs out of the archive"),
])
def test_zips_that_are_not_one_safe_chat_are_refused(willow, tmp_path, members, reason):
    exported = _zip(tmp_path / "WhatsApp Chat - Kerry.zip", members)
    assert_refused(willow, exported, reason, kind="whatsapp")


def test_a_damaged_zip_is_refused(willow, tmp_path):
    exported = _zip(tmp_path / "WhatsApp Chat - Kerry.zip", {"_chat.txt": IOS.read_bytes() * 50})
    data = bytearray(exported.read_bytes())
    data[60:90] = b"\x00" * 30  # inside the compressed chat
    exported.write_bytes(bytes(data))
    assert_refused(willow, exported, kind="whatsapp")


def test_a_folder_of_chat_exports_gives_each_chat(tmp_path):
    (tmp_path / "phone").mkdir()
    for name in ("WhatsApp Chat with Kerry.txt", "WhatsApp Chat - Sophie.zip", "IMG-0001.jpg",
                 "notes.txt"):
        (tmp_path / "phone" / name).write_bytes(b"x")
    found = registry.files_in(tmp_path)
    assert [(p.name, kind) for p, kind in found] == [
        ("WhatsApp Chat - Sophie.zip", "whatsapp"), ("WhatsApp Chat with Kerry.txt", "whatsapp")]


@pytest.mark.parametrize(("messages", "limit"), [(40_000, "40,000 latest messages without media"),
                                                 (9_950, "10,000 latest messages with media"),
                                                 (39_000, None)])
def test_an_export_at_whatsapps_limit_is_said_to_lack_the_start_of_the_chat(
        willow, tmp_path, messages, limit):
    from datetime import datetime, timedelta

    start = datetime(2021, 1, 4, 9, 0)
    lines = [f"{start + timedelta(minutes=n):%d/%m/%Y, %H:%M} - {('Kerry Lowe', 'Dan Marsh')[n % 2]}: "
             f"message {n}" for n in range(messages)]
    chat = tmp_path / "WhatsApp Chat with Kerry Lowe.txt"
    chat.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = import_file(willow, REF, chat)
    capped = [w for w in result.warnings if "export limit" in w]
    if limit is None:
        assert capped == []
    else:
        assert capped == [f"line 1: the export holds {messages:,} messages, at WhatsApp's export "
                          f"limit ({limit}): messages before the first one here (04/01/2021 09:00) "
                          "are probably missing; a device extraction holds the whole chat"]
