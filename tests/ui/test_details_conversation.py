"""The details panel: the conversation around a message, a marker's records inline, Back."""

from __future__ import annotations

from PySide6.QtCore import QUrl

from ui.case_context import CaseContext
from ui.details_panel import OPEN_LINK, DetailsPanel


def _panel(qtbot, case_store):
    store, ref = case_store
    context = CaseContext(store, ref)
    panel = DetailsPanel(context)
    qtbot.addWidget(panel)
    return context, panel


def test_message_shows_its_conversation_with_itself_highlighted(qtbot, case_store):
    context, panel = _panel(qtbot, case_store)
    marker = next(m for m in context.markers if m.rule == "affectionate_language")
    message = context.session.supporting_events(marker.id)[0]
    context.select_event(message)
    text = panel.text()
    assert "Conversation around this record" in text
    # Across channels and exhibits: the billing (JB/1) and the WhatsApp chat (JB/2).
    assert "JB/1 line 2" in text and "JB/2 line 3" in text
    assert "07700 900999" not in text.split("Conversation around")[1]  # another pair
    assert "background:" in panel.browser.toHtml() or "font-weight:600" in panel.browser.toHtml()


def test_marker_lists_records_inline_and_back_returns(qtbot, case_store):
    context, panel = _panel(qtbot, case_store)
    marker = next(m for m in context.markers if m.rule == "channel_shift")
    context.select_marker(marker.id)
    text = panel.text()
    assert "Supporting records (2)" in text
    assert "Hi Kerry its Dan" in text and "JB/1 line 5" in text
    record = context.session.supporting_events(marker.id)[1]
    panel._link(QUrl(f"{OPEN_LINK}{record}"))
    assert context.selection.event == record
    assert "← Back to the marker" in panel.text()
    panel._link(QUrl(f"marker:{marker.id}"))
    assert context.selection.marker == marker.id
    assert "Supporting records (2)" in panel.text()
    context.select_event(record)  # chosen on the timeline: no marker to go back to
    assert "Back to the marker" not in panel.text()


def test_a_marker_with_many_records_lists_the_first_and_offers_them_all(qtbot, case_store, monkeypatch):
    from functools import partial

    from ui import details_panel
    from workbench.conversation import case_marker_records

    monkeypatch.setattr(details_panel, "case_marker_records", partial(case_marker_records, limit=1))
    context, panel = _panel(qtbot, case_store)
    marker = next(m for m in context.markers if m.rule == "channel_shift")
    context.select_marker(marker.id)
    assert "Supporting records (2)" in panel.text()
    assert "The first 1 of 2 are listed here" in panel.text()
    panel._link(QUrl(f"list:{marker.id}"))
    assert context.search_results == list(context.session.supporting_events(marker.id))
