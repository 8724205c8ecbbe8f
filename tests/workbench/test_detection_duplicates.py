"""#17 point 4: one message, one event, two sources.

The officer's phone download (UFDR) and Woman A's WhatsApp export hold the same
conversation. Imported together, every count must be what either gives alone; every source
is still listed (details, chronology); the link is audited and can be undone.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.data.ingest.ufdr.make_fixtures import field, model, parties, party
from workbench import audit
from workbench.analysis import run_analysis
from workbench.analysis.duplicates import links_for_case, undo_link
from workbench.anonymise import Anonymiser
from workbench.bundle.gather import gather
from workbench.chronology_csv import write_chronology_csv
from workbench.cli import main
from workbench.ingest.pipeline import import_file
from workbench.model import AuditEntry, Event
from workbench.store import Store
from workbench.store.queries import find_case
from workbench.timeline import event_detail, load_timeline, search_events

REF = "OP-WILLOW"
# (UTC time, sender, text): Kerry's phone writes the minute only, the UFDR the second.
CONVERSATION = [
    ("2021-03-25T20:30:00", "kerry", "Hiya, is this the PCSO?"),
    ("2021-03-25T20:34:10", "me", "It is. Here's my own number, easier than the work one"),
    ("2021-03-25T20:35:40", "kerry", "Thanks x"),
    ("2021-03-25T22:47:05", "me", "Don't mention this number to anyone at work x"),
    ("2021-03-25T22:49:00", "me", "x"),
    ("2021-03-25T22:49:30", "me", "x"),  # the same text twice: two messages, not one
    ("2021-03-26T23:10:00", "kerry", "cant sleep"),
]
ME = "447700900102@s.whatsapp.net"
KERRY = "447700900201@s.whatsapp.net"


def ufdr_report(folder: Path) -> Path:
    messages = "".join(
        model("InstantMessage", f"im-{n}", field("Source", "WhatsApp"),
              field("TimeStamp", f"{at}.000+00:00", "TimeStamp"), field("Body", text),
              parties("From", party(ME, "Me", "From", True) if who == "me"
                      else party(KERRY, "Kerry", "From", False), single=True))
        for n, (at, who, text) in enumerate(CONVERSATION, start=1))
    chat = model("Chat", "chat-wa-1", field("Source", "WhatsApp"), field("Name", "Kerry"),
                 parties("Participants", party(ME, "Me", "", True),
                         party(KERRY, "Kerry", "", False)),
                 f'<multiModelField name="Messages" type="InstantMessage">{messages}'
                 "</multiModelField>")
    path = folder / "report.xml"
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<project id="p" name="Handset" '
                    'reportVersion="7.60.0.0" xmlns="http://pa.cellebrite.com/report/2.0">\n'
                    f'<decodedData>\n<modelType type="Chat">{chat}</modelType>\n'
                    "</decodedData>\n</project>\n", encoding="utf-8")
    return path


def whatsapp_export(folder: Path) -> Path:
    # Kerry's phone, in March (GMT): local time is UTC; she saved him as "Lee PCSO".
    lines = [f"{at[8:10]}/{at[5:7]}/{at[:4]}, {at[11:16]} - "
             f"{'Lee PCSO' if who == 'me' else 'Kerry'}: {text}" for at, who, text in CONVERSATION]
    path = folder / "WhatsApp Chat with Lee PCSO.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def explanations(document: dict[str, Any]) -> list[tuple[str, str, str]]:
    return sorted((m["rule"], m["severity"], m["explanation"]) for m in document["markers"])


@pytest.fixture
def both(willow: Store, tmp_path: Path) -> tuple[Store, dict[str, Any], Path]:
    """The case analysed with the UFDR alone, then with the WhatsApp export as well."""
    import_file(willow, REF, ufdr_report(tmp_path), kind="ufdr", owner="pcso")
    alone = run_analysis(willow, REF).document
    import_file(willow, REF, whatsapp_export(tmp_path), kind="whatsapp", owner="woman_a")
    return willow, alone, tmp_path


def test_two_exhibits_of_one_conversation_give_unchanged_counts(both) -> None:
    store, alone, _ = both
    together = run_analysis(store, REF).document
    assert explanations(alone)  # the conversation does raise markers
    assert explanations(together) == explanations(alone)
    links = links_for_case(store, REF)
    assert len(links) == len(CONVERSATION)  # each message once, the repeated "x" twice
    assert all(len(link["sources"]) == 2 for link in links)
    assert {link["sources"][0].split()[0] for link in links} <= {"JB/1", "JB/2"}  # the investigator produced them


def test_every_source_is_listed_and_the_link_is_audited(both) -> None:
    store, _, folder = both
    run_analysis(store, REF)
    with store.reader() as session:
        case = find_case(session, REF)
        entries = session.scalars(select(AuditEntry).where(
            AuditEntry.case_ref == REF, AuditEntry.action == "link_duplicates")).all()
        assert [json.loads(entry.details)["links"] for entry in entries] == [len(CONVERSATION)]
        first = links_for_case(store, REF)[0]
        detail = event_detail(session, case, first["event"], Anonymiser(case, False))
        assert detail is not None and len(detail["also_in"]) == 1
        assert audit.verify(session, REF) == []
    out = folder / "chronology.csv"
    rows = write_chronology_csv(store, REF, out)
    assert rows == len(CONVERSATION)  # one row per communication...
    with open(out, encoding="utf-8-sig", newline="") as handle:
        listed = [row["also recorded in"] for row in csv.DictReader(handle)]
    assert all(other.startswith(("JB/1 model im-", "JB/2 line ")) for other in listed)  # ...both
    with store.reader() as session:
        content = gather(session, find_case(session, REF), "internal", anonymise=False)
    assert len(content.chronology) == len(CONVERSATION)
    assert all("; also JB/" in row[-1] for row in content.chronology)  # the bundle lists both


def test_undoing_a_link_counts_the_record_again(both, capsys) -> None:
    store, alone, _ = both
    run_analysis(store, REF)
    secrecy = next(link for link in links_for_case(store, REF)
                   if any("im-4" in source or "line 4" in source for source in link["sources"]))
    with pytest.raises(Exception, match="needs a reason"):
        undo_link(store, secrecy["id"], " ")
    url = str(store.engine.url)
    assert main(["--db", url, "duplicates", "undo", str(secrecy["id"]),
                 "--reason", "two messages sent a second apart"]) == 0
    assert "counts on its own again" in capsys.readouterr().out
    after = run_analysis(store, REF).document  # and finding duplicates again keeps it split
    [marker] = [m for m in after["markers"] if m["rule"] == "secrecy_request"]
    assert marker["explanation"].startswith("2 messages with requests for secrecy")
    [before] = [m for m in alone["markers"] if m["rule"] == "secrecy_request"]
    assert before["explanation"].startswith("1 message with requests for secrecy")
    with store.reader() as session:
        actions = [e.action for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert "unlink_duplicate" in actions


def test_different_texts_or_times_are_not_linked(willow: Store, tmp_path: Path) -> None:
    import_file(willow, REF, ufdr_report(tmp_path), kind="ufdr", owner="pcso")
    export = tmp_path / "WhatsApp Chat with Lee PCSO.txt"
    export.write_text("25/03/2021, 20:30 - Kerry: Hiya, is this the police?\n"   # other text
                      "25/03/2021, 20:40 - Kerry: Thanks x\n", encoding="utf-8")  # 4 min off
    import_file(willow, REF, export, kind="whatsapp", owner="woman_a")
    run_analysis(willow, REF)
    assert links_for_case(willow, REF) == []
    with willow.reader() as session:
        assert len(session.scalars(select(Event.id)).all()) == len(CONVERSATION) + 2


def test_the_timeline_draws_a_linked_communication_once(both) -> None:
    store, _, _ = both
    run_analysis(store, REF)
    links = links_for_case(store, REF)

    def timeline():
        with store.reader() as session:
            case = find_case(session, REF)
            data = load_timeline(session, case, Anonymiser(case, False))
            found = search_events(session, case, "cant sleep")
            return data, found, len(session.scalars(select(Event.id)).all())

    data, found, total = timeline()
    shown = set(data.event_id.tolist())
    assert data.count == total - len(links) == len(shown)
    assert {link["event"] for link in links} <= shown
    assert not {link["duplicate"] for link in links} & shown
    assert len(found) == 1 and found[0] in shown  # search finds the record drawn, once
    undo_link(store, links[0]["id"], "two separate messages")
    data, _, _ = timeline()
    assert data.count == total - len(links) + 1 and links[0]["duplicate"] in set(data.event_id.tolist())


def test_only_channels_two_exhibits_hold_are_compared(both) -> None:
    """One exhibit's channels alone can hold no communication twice: they are not read."""
    from workbench.analysis.duplicates import _shared_channels

    store, _, _ = both
    with store.reader() as session:
        case = find_case(session, REF)
        assert _shared_channels(session, case) == ["whatsapp"]
        held = session.execute(select(Event.exhibit_id, Event.channel).where(Event.case_id == case.id)).all()
    assert len({exhibit for exhibit, _ in held}) == 2
