"""Facebook Messenger / Instagram "Download your information" threads."""

from __future__ import annotations

import json

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
from workbench.ingest import registry
from workbench.ingest.formats.messenger import repair
from workbench.ingest.pipeline import import_file

THREAD = DATA / "ingest" / "messenger" / "inbox" / "kerrylowe_4821"
PART_1, PART_2 = THREAD / "message_1.json", THREAD / "message_2.json"
MESSENGER_SAMPLES = SAMPLES / "messenger"


def test_a_thread_in_two_files_imports_file_by_file(willow):
    first = import_file(willow, REF, PART_1)
    second = import_file(willow, REF, PART_2)
    assert (first.kind, first.events, second.kind, second.events) == ("messenger", 5, "messenger", 2)
    assert first.exhibit != second.exhibit
    assert seen(willow, first.exhibit) == [
        # Mojibake repaired: "cafÃ©" -> "café" and "Ã°Å¸Ëœâ€š" -> the emoji.
        Seen("messages[0]", utc(2021, 4, 2, 21, 30), "message", "facebook_messenger", "outgoing",
             "pcso", "woman_a", None, "Meet at the café? \U0001F602", "reactions: \u2764 Kerry Lowe",
             False, None),
        Seen("messages[1]", utc(2021, 4, 2, 21, 20), "message", "facebook_messenger", "incoming",
             "woman_a", "pcso", None, "Haha ok \U0001F602", None, False, None),
        Seen("messages[2]", utc(2021, 4, 2, 21, 10), "message", "facebook_messenger", "outgoing",
             "pcso", "woman_a", None, None, "photo: 1480273519_10157.jpg", False, None),
        Seen("messages[3]", utc(2021, 4, 2, 21, 0), "message", "facebook_messenger", "outgoing",
             "pcso", "woman_a", "deleted", None, None, False, None),
        Seen("messages[4]", utc(2021, 4, 2, 20, 50), "call", "facebook_messenger", "incoming",
             "woman_a", "pcso", "missed", "Kerry called you.", None, False, 0.0),
    ]
    # Positions count from the start of each file.
    assert [(e.position, e.direction, e.text) for e in seen(willow, second.exhibit)] == [
        ("messages[0]", "incoming", "Thank you for coming round, you were so kind \u263a"),
        ("messages[1]", "outgoing", "Hi Kerry, it's Dan (PCSO Marsh). Added you on here \U0001F60A"),
    ]


def test_repair_undoes_latin1_mojibake_only():
    assert repair("caf\u00c3\u00a9") == "café"
    assert repair("\u00f0\u009f\u0098\u0082") == "\U0001F602"
    assert repair("Ã°Å¸Ëœâ€š") == "\U0001F602"  # the same text seen through a cp1252 viewer
    assert repair("café") == "café"  # already right: left alone
    assert repair("Zoë and 10°C") == "Zoë and 10°C"


def test_names_are_repaired_so_they_match_the_case_file(willow, tmp_path):
    thread = json.loads(PART_2.read_text())
    thread["participants"] = [{"name": "Kerry Lowe"}, {"name": "Dan Mar\u00c3\u00a7h"}]
    for message in thread["messages"]:
        message["sender_name"] = message["sender_name"].replace("Marsh", "Mar\u00c3\u00a7h")
    changed = tmp_path / "message_1.json"
    changed.write_text(json.dumps(thread))
    import_file(willow, REF, changed)
    assert "Dan Marçh" in {e.recipient for e in seen(willow)}


@pytest.mark.samples
def test_shared_samples(willow):
    facebook = import_file(willow, REF, MESSENGER_SAMPLES / "chat-analytics_2A_7M_message_1.json")
    assert (facebook.kind, facebook.events) == ("messenger", 7)
    events = seen(willow, facebook.exhibit)
    assert {e.channel for e in events} == {"facebook_messenger"}
    assert [e.media for e in events[3:]] == [
        "file: blabla.docx", "audio: audioclip11111.mp4", "sticker", "photo: 123123123123123.jpg"]
    assert events[0] == Seen("messages[0]", utc(2014, 11, 5, 0, 35, 32, 56000), "message",
                             "facebook_messenger", "unknown", "Alice", "Bob", None, "Hello", None,
                             False, None)
    instagram = import_file(willow, REF, MESSENGER_SAMPLES / "chat-miner_instagram_test_export.json")
    assert (instagram.kind, instagram.events) == ("messenger", 2)
    events = seen(willow, instagram.exhibit)
    assert [(e.channel, e.sender, e.recipient) for e in events] == [
        ("instagram", "John Doe", "Jane Doe"), ("instagram", "Jane Doe", "John Doe")]


def test_instagram_recognised_from_its_shares(willow, tmp_path):
    thread = {"participants": [{"name": "Kerry Lowe"}, {"name": "danmarsh_21"}],
              "messages": [{"sender_name": "Kerry Lowe", "timestamp_ms": 1617399000000,
                            "share": {"link": "https://www.instagram.com/p/CNAbc123/"}}],
              "title": "Kerry Lowe", "thread_path": "inbox/kerrylowe_1"}
    path = tmp_path / "message_1.json"
    path.write_text(json.dumps(thread))
    import_file(willow, REF, path)
    event = seen(willow)[0]
    assert (event.channel, event.media) == ("instagram", "shared: https://www.instagram.com/p/CNAbc123/")


def test_group_thread_goes_to_the_group(willow, tmp_path):
    thread = json.loads(PART_2.read_text())
    thread["participants"].append({"name": "Sam Carter"})
    thread["title"] = "Night out \u00f0\u009f\u008d\u00bb"
    path = tmp_path / "message_1.json"
    path.write_text(json.dumps(thread))
    import_file(willow, REF, path)
    assert {e.recipient for e in seen(willow)} == {"Night out \U0001F37B"}


def test_truncated_json_is_refused_with_its_position(willow, tmp_path):
    cut = tmp_path / "message_1.json"
    cut.write_bytes(PART_1.read_bytes()[:700])
    refusal = assert_refused(willow, cut, "not valid JSON", "truncated", kind="messenger")
    assert refusal.position.startswith("line ")
    assert_refused(willow, cut, "line ")  # also when the kind is detected


@pytest.mark.parametrize(("content", "fragments"), [
    (b'{"messages": [{"sender_name": "A", "content": "no time"}]}', ("messages[0]", "timestamp_ms")),
    (b'{"messages": [{"sender_name": "A", "timestamp_ms": 1e300}]}', ("messages[0]", "not a real time")),
    (b'{"participants": [], "thread_path": "inbox/x"}', ('no "messages" list',)),
    (b'["not", "a", "thread"]', ("not a Messenger",)),
])
def test_broken_threads_are_refused(willow, tmp_path, content, fragments):
    path = tmp_path / "message_1.json"
    path.write_bytes(content)
    assert_refused(willow, path, *fragments, kind="messenger")


def test_nul_bytes_and_random_bytes_are_refused(willow, tmp_path):
    nul = tmp_path / "message_1.json"
    nul.write_bytes(PART_1.read_bytes().replace(b"Haha", b"Ha\x00ha"))
    assert_refused(willow, nul, "NUL", kind="messenger")
    noise = tmp_path / "message_2.json"
    noise.write_bytes(bytes(range(256)) * 20)
    assert_refused(willow, noise, kind="messenger")
    assert_refused(willow, noise, "cannot tell")


@pytest.mark.samples
def test_a_telegram_export_is_refused_not_misread(willow):
    telegram = SAMPLES / "telegram" / "chat-miner_test_single_export.json"
    assert registry.get("messenger").sniff(telegram.name, telegram.read_bytes()) == 0.0
    assert_refused(willow, telegram, "messages[0]", "timestamp_ms", kind="messenger")


def test_progress_and_cancel(willow, tmp_path):
    thread = json.loads(PART_2.read_text())
    thread["messages"] = [dict(thread["messages"][0], timestamp_ms=1616270400000 + n)
                          for n in range(5000)]
    path = tmp_path / "message_1.json"
    path.write_text(json.dumps(thread))
    assert_cancel_leaves_nothing(willow, path)
    fractions = progress_fractions(willow, path)
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and len(fractions) >= 3


def test_a_folder_imports_each_thread_file_as_its_own_exhibit(cli_env, capsys, tmp_path):
    from workbench.cli import main

    main(["case", "create", str(DATA / "willow.toml")])
    capsys.readouterr()
    inbox = DATA / "ingest" / "messenger"
    assert main(["import", REF, str(inbox), "--json"]) == 0
    imported = json.loads(capsys.readouterr().out)
    assert [(r["kind"], r["events"]) for r in imported] == [("messenger", 5), ("messenger", 2)]
    assert len({r["exhibit"] for r in imported}) == 2 and len({r["sha256"] for r in imported}) == 2
    assert main(["import", REF, str(THREAD), "--exhibit", "JB/9"]) == 2  # two files, one name
    assert "--exhibit names one exhibit" in capsys.readouterr().err
    empty = tmp_path / "downloads"
    empty.mkdir()
    (empty / "profile_information.json").write_text("{}")
    assert main(["import", REF, str(empty)]) == 1
    err = capsys.readouterr().err
    assert "downloads: no evidence files in the folder (looked for " in err
    assert "message_*.json (Facebook Messenger / Instagram export)" in err


def test_folder_files_come_in_thread_order(tmp_path):
    for name in ("b/message_1.json", "a/message_10.json", "a/message_2.json", "a/message_1.json",
                 "a/photos/p.jpg"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}")
    found = registry.files_in(tmp_path)
    assert [str(p.relative_to(tmp_path)) for p, _ in found] == [
        "a/message_1.json", "a/message_2.json", "a/message_10.json", "b/message_1.json"]
    assert {kind for _, kind in found} == {"messenger"}


# -- the download zip, as received ----------------------------------------------------------------

FB_INBOX = "your_activity_across_facebook/messages/inbox"


def _download(path, members: dict[str, bytes]):  # type: ignore[no-untyped-def]
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _group_thread() -> bytes:
    thread = json.loads(PART_2.read_text())
    thread["participants"].append({"name": "Sam Carter"})
    thread["title"] = "Night out"
    return json.dumps(thread).encode()


def test_a_download_zip_is_one_exhibit_read_thread_by_thread(willow, tmp_path):
    zipped = _download(tmp_path / "facebook-danmarsh21-2021-05-01-Xy12.zip", {
        # the download starts with pages that are not messages: detection reads the member names
        "your_facebook_activity/index.html": bytes(range(256)) * 400,
        f"{FB_INBOX}/nightout_77/message_1.json": _group_thread(),
        f"{FB_INBOX}/kerrylowe_4821/message_2.json": PART_2.read_bytes(),
        f"{FB_INBOX}/kerrylowe_4821/message_1.json": PART_1.read_bytes(),
        f"{FB_INBOX}/kerrylowe_4821/photos/1480273519_10157.jpg": b"\xff\xd8jpeg",
    })
    result = import_file(willow, REF, zipped)
    assert (result.kind, result.records, result.events) == ("messenger", 9, 9)
    assert result.warnings == ["3 thread file(s) read from the zip: positions name the file in "
                               "the zip"]
    events = seen(willow, result.exhibit)
    # threads in path order, a thread's files in number order; positions name the member
    assert [e.position for e in events[:6]] == [
        f"{FB_INBOX}/kerrylowe_4821/message_1.json messages[{n}]" for n in range(5)
    ] + [f"{FB_INBOX}/kerrylowe_4821/message_2.json messages[0]"]
    assert all(len(e.position) > 64 for e in events)  # longer than the column once allowed
    assert {e.recipient for e in events[7:]} == {"Night out"}
    # the same events, sender for sender, as importing the thread files one by one
    zipped_first = [(e.at, e.kind, e.channel, e.direction, e.sender, e.recipient, e.text, e.media)
                    for e in events[:5]]
    single = import_file(willow, REF, PART_1)
    assert zipped_first == [(e.at, e.kind, e.channel, e.direction, e.sender, e.recipient, e.text,
                             e.media) for e in seen(willow, single.exhibit)]


def test_an_instagram_download_zip_gives_instagram_events(willow, tmp_path):
    zipped = _download(tmp_path / "instagram-danmarsh_21-2021-05-01-Ab3.zip", {
        "your_instagram_activity/messages/inbox/kerrylowe_1/message_1.json": PART_2.read_bytes(),
    })
    assert registry.detect(zipped).kind == "messenger"
    result = import_file(willow, REF, zipped)
    assert {e.channel for e in seen(willow, result.exhibit)} == {"instagram"}


def test_broken_download_zips_are_refused_naming_the_member(willow, tmp_path):
    no_threads = _download(tmp_path / "facebook-x.zip", {"profile/profile_information.json": b"{}"})
    assert_refused(willow, no_threads, "no message_N.json thread files", kind="messenger")
    cut = _download(tmp_path / "facebook-cut.zip", {
        f"{FB_INBOX}/kerrylowe_4821/message_1.json": PART_1.read_bytes(),
        f"{FB_INBOX}/sam_9/message_1.json": PART_1.read_bytes()[:700],
    })
    refusal = assert_refused(willow, cut, "not valid JSON")  # detected, then refused
    assert refusal.position.startswith(f"{FB_INBOX}/sam_9/message_1.json line ")
    nul = _download(tmp_path / "facebook-nul.zip", {
        f"{FB_INBOX}/k_1/message_1.json": PART_1.read_bytes().replace(b"Haha", b"Ha\x00ha")})
    assert_refused(willow, nul, f"{FB_INBOX}/k_1/message_1.json line ", "NUL")
    climbing = _download(tmp_path / "facebook-climb.zip", {
        f"../{FB_INBOX}/k_1/message_1.json": PART_1.read_bytes()})
    assert_refused(willow, climbing, "climbs out of the archive", kind="messenger")
    damaged = tmp_path / "facebook-damaged.zip"
    damaged.write_bytes(cut.read_bytes()[:-30])
    assert_refused(willow, damaged, kind="messenger")
    assert cut.read_bytes()  # evidence files are never modified (they are read, not extracted)


def test_download_zip_progress_and_cancel(willow, tmp_path):
    zipped = _download(tmp_path / "facebook-p.zip", {
        f"{FB_INBOX}/t_{n}/message_1.json": PART_1.read_bytes() for n in range(4)})
    assert_cancel_leaves_nothing(willow, zipped)
    fractions = progress_fractions(willow, zipped)
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and len(fractions) >= 5


def test_a_thread_file_too_big_to_read_whole_is_refused(tmp_path):
    import zipfile

    from workbench.errors import ImportRefused
    from workbench.ingest import limits
    from workbench.ingest.formats import messenger

    zipped = _download(tmp_path / "facebook-big.zip", {f"{FB_INBOX}/k_1/message_1.json": b"{}"})
    with zipfile.ZipFile(zipped) as archive:
        info = archive.infolist()[0]
        info.file_size = limits.MAX_WHOLE_FILE_BYTES + 1  # as its header might declare
        with pytest.raises(ImportRefused, match="MAX_WHOLE_FILE_BYTES") as refused:
            messenger._decode_member(archive, info)
    assert refused.value.position == f"{FB_INBOX}/k_1/message_1.json"


def test_positions_naming_a_thread_folder_are_anonymised_like_file_names(willow, tmp_path):
    """Meta names a thread's folder after the other person, run together (kerrylowe_4821)."""
    import csv

    from sqlalchemy import select

    from workbench.anonymise import Anonymiser
    from workbench.chronology_csv import write_chronology_csv
    from workbench.model import Event
    from workbench.store.queries import find_case
    from workbench.timeline import event_detail

    import_file(willow, REF, DATA / "ingest" / "messenger" / "facebook-danmarsh21-2021-05-01.zip")
    out = tmp_path / "chronology.csv"
    write_chronology_csv(willow, REF, out, anonymise=True)
    assert "kerry" not in out.read_text(encoding="utf-8-sig").casefold()
    with open(out, encoding="utf-8-sig", newline="") as handle:
        positions = [row["position"] for row in csv.DictReader(handle)]
    assert positions[0] == ("your activity across facebook/messages/inbox/[Woman A] 4821/message 2"
                            ".json messages[1]")
    with willow.reader() as session:
        case = find_case(session, REF)
        first = session.scalars(select(Event.id).order_by(Event.id)).first()
        hidden = event_detail(session, case, first, Anonymiser(case))
        shown = event_detail(session, case, first, Anonymiser(case, enabled=False))
    assert "[Woman A] 4821" in hidden["position"] and "kerrylowe" not in hidden["position"]
    assert shown["position"] == f"{FB_INBOX}/kerrylowe_4821/message_1.json messages[0]"
