"""Owner attribution: the owner's own sender in a chat export is linked to the owner."""

from __future__ import annotations

from sqlalchemy import select

from workbench.ingest.owner_attribution import choose_owner_sender
from workbench.ingest.pipeline import import_file
from workbench.model import Event, Exhibit, Identifier

CHAT = """20/03/2021, 19:05 - Dan M: Hi, it's Dan from the station
20/03/2021, 19:12 - {other}: Hiya yes im ok
20/03/2021, 19:13 - {other}: Still a bit shaken
20/03/2021, 19:20 - Dan M: Text me on here any time x
"""


def _write(tmp_path, name, other):
    path = tmp_path / name
    path.write_text(CHAT.format(other=other), encoding="utf-8")
    return path


def _directions(store, exhibit_ref):
    with store.reader() as session:
        exhibit = session.scalars(select(Exhibit).where(Exhibit.reference == exhibit_ref)).one()
        return [e.direction for e in session.scalars(
            select(Event).where(Event.exhibit_id == exhibit.id).order_by(Event.occurred_at))]


def _owner_of(store, display):
    with store.reader() as session:
        ident = session.scalars(select(Identifier).where(Identifier.display == display)).one()
        return ident.person.key if ident.person else None


def test_owner_sender_linked_when_the_other_party_is_known(willow, tmp_path):
    result = import_file(willow, "OP-WILLOW", _write(tmp_path, "chat.txt", "Kerry"), kind="whatsapp",
                         owner="pcso", tz="Europe/London")
    attribution = result.owner_attribution
    assert attribution.outcome == "linked"
    assert not attribution.needs_asking  # nothing left for the app to ask
    assert _owner_of(willow, "Dan M") == "pcso"
    assert _directions(willow, result.exhibit) == ["outgoing", "incoming", "incoming", "outgoing"]
    assert "“Dan M” (2 messages) was linked to pcso" in attribution.note
    assert attribution.note in result.warnings  # the import notes say what happened


def test_file_name_tells_the_other_party_and_likely_person_is_offered(willow, tmp_path):
    path = _write(tmp_path, "WhatsApp Chat with Kerry L.txt", "Kerry L")
    result = import_file(willow, "OP-WILLOW", path, kind="whatsapp", owner="pcso",
                         tz="Europe/London")
    attribution = result.owner_attribution
    assert attribution.outcome == "linked" and _owner_of(willow, "Dan M") == "pcso"
    assert [s.display for s in attribution.others] == ["Kerry L"]
    assert attribution.needs_asking  # who "Kerry L" is
    assert list(attribution.likely.values()) == ["woman_a"]
    assert "Still unattributed: “Kerry L” (2), likely woman_a" in attribution.note


def test_undecidable_owner_is_asked_then_chosen(willow, tmp_path):
    result = import_file(willow, "OP-WILLOW", _write(tmp_path, "export.txt", "Kerry L"),
                         kind="whatsapp", owner="pcso", tz="Europe/London")
    attribution = result.owner_attribution
    assert attribution.outcome == "ask" and attribution.needs_asking
    assert {(s.display, s.messages) for s in attribution.senders} == {("Dan M", 2), ("Kerry L", 2)}
    assert "could not be told" in attribution.note and attribution.note in result.warnings
    assert _directions(willow, result.exhibit) == ["unknown"] * 4
    dan = next(s.identifier_id for s in attribution.senders if s.display == "Dan M")
    note = choose_owner_sender(willow, "OP-WILLOW", result.exhibit, dan)
    assert "linked to pcso" in note
    assert _owner_of(willow, "Dan M") == "pcso"
    assert _directions(willow, result.exhibit) == ["outgoing", "incoming", "incoming", "outgoing"]
