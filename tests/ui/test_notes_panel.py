"""The notes panel: add, edit as a new version, tag and bookmark the selected event."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ui.case_context import CaseContext
from ui.notes_panel import NotesPanel
from workbench.model import Annotation, AuditEntry, Event


@pytest.fixture
def context(qtbot, case_store):
    store, ref = case_store
    return CaseContext(store, ref)


def test_notes_on_the_selected_event_are_versioned_and_audited(qtbot, context):
    panel = NotesPanel(context)
    qtbot.addWidget(panel)
    assert not panel.add_button.isEnabled()  # nothing selected
    with context.store.reader() as session:
        event_id = session.scalars(select(Event.id).order_by(Event.id)).first()
    context.select_event(event_id)
    panel.editor.setPlainText("Ask the witness about this call")
    panel.add_button.click()
    assert "Ask the witness about this call" in panel.list.topLevelItem(0).text(0)
    panel.list.setCurrentItem(panel.list.topLevelItem(0))
    assert panel.edit_button.isEnabled()
    panel.editor.setPlainText("Witness confirmed the call")
    panel.edit_button.click()
    assert "Witness confirmed the call" in panel.list.topLevelItem(0).text(0)
    assert "version 2" in panel.list.topLevelItem(0).text(0)
    panel.tags.setCurrentText("key evidence")
    panel.tag_button.click()
    panel.bookmark_button.click()
    texts = [panel.list.topLevelItem(i).text(0) for i in range(panel.list.topLevelItemCount())]
    assert any(t.startswith("Tag: key evidence") for t in texts)
    assert any(t.startswith("Bookmarked") for t in texts)
    with context.store.reader() as session:
        versions = session.scalars(select(Annotation.text).where(Annotation.kind == "note")
                                   .order_by(Annotation.version)).all()
        actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.sequence)).all()
    assert versions == ["Ask the witness about this call", "Witness confirmed the call"]
    assert actions[-4:] == ["note added", "note edited", "tag added", "bookmark added"]


def test_search_finds_events_by_their_notes_and_tags(qtbot, context):
    from workbench.shared import notes

    with context.store.reader() as session:
        first, second = session.scalars(select(Event.id).order_by(Event.id).limit(2)).all()
    notes.add_note_on(context.store, context.ref, "event", first, "zebra crossing sighting")
    notes.mark_on(context.store, context.ref, "event", second, "tag", True, "disclosable")
    assert context.search("zebra crossing") == [first]
    assert second in context.search("disclosable")


def test_an_event_whose_party_is_in_another_case_says_so(qtbot, context):
    from tests.conftest import DATA
    from workbench import casefile

    data = casefile.load(DATA / "willow.toml")
    data["ref"] = "OP-ASH"
    casefile.create_case(context.store, data)
    panel = NotesPanel(context)
    qtbot.addWidget(panel)
    with context.store.reader() as session:
        event_id = session.scalars(select(Event.id).where(Event.to_id.is_not(None))
                                   .order_by(Event.id)).first()
    context.select_event(event_id)
    qtbot.waitUntil(lambda: "also in 1 other case: OP-ASH" in panel.hits.text(), timeout=20_000)
