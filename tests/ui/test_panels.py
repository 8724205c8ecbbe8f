"""Markers, details and people panels: selection sync, review, filters, assign and undo."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt, QUrl
from sqlalchemy import select

from ui.case_context import CaseContext
from ui.details_panel import DetailsPanel
from ui.markers_panel import MARKER_ID_ROLE, MarkersPanel
from ui.people_panel import PeoplePanel
from ui.review_dialog import ReviewDialog
from ui.timeline import TimelineView
from workbench.model import AuditEntry, Exhibit


@pytest.fixture
def context(qtbot, case_store):
    store, ref = case_store
    return CaseContext(store, ref)


def build(qtbot, widget):
    qtbot.addWidget(widget)
    return widget


def test_marker_selection_syncs_timeline_and_details(qtbot, context):
    markers = build(qtbot, MarkersPanel(context))
    timeline = build(qtbot, TimelineView(context))
    details = build(qtbot, DetailsPanel(context))
    timeline.resize(1000, 400)
    assert markers.model.rowCount() == 4
    secrecy = next(m for m in context.markers if m.rule == "secrecy_request")
    row = next(r for r in range(markers.model.rowCount())
               if markers.model.index(r, 0).data(MARKER_ID_ROLE) == secrecy.id)
    markers.table.selectRow(row)
    assert context.selection.marker == secrecy.id
    evidence = context.timeline.position_of(context.session.supporting_events(secrecy.id)[0])
    assert timeline.view.highlighted.tolist() == [evidence]
    start, end = timeline.visible_range()
    assert start <= context.timeline.times[evidence] <= end
    assert "keep the number secret" in details.text()
    assert "Supporting records (1)" in details.text()
    # following the evidence link shows the record with its provenance
    details._link(QUrl(f"event:{context.session.supporting_events(secrecy.id)[0]}"))
    text = details.text()
    assert context.selection.event == context.session.supporting_events(secrecy.id)[0]
    assert "JB/2" in text and "cd" * 32 in text and "line 3" in text and "UTC" in text
    assert "Best you don't mention" in text
    assert timeline.view.selected_event == evidence
    # a timeline selection of a marker selects its row in the table
    other = context.markers[0]
    context.select_marker(other.id)
    assert markers.selected_marker() == other.id


def test_markers_filter_and_sort(qtbot, context):
    panel = build(qtbot, MarkersPanel(context))
    severity = panel.filters["severity"]
    severity.setCurrentIndex(severity.findData("high"))
    assert panel.model.rowCount() == 2
    rule = panel.filters["rule"]
    rule.setCurrentIndex(rule.findData("secrecy_request"))
    assert panel.model.rowCount() == 1
    severity.setCurrentIndex(0)
    rule.setCurrentIndex(0)
    panel.table.sortByColumn(0, panel.table.horizontalHeader().sortIndicatorOrder().AscendingOrder)
    assert panel.model.index(0, 0).data() == "High"
    assert panel.model.index(3, 0).data() == "Low"


def test_lexicon_hits_are_highlighted(qtbot, context):
    details = build(qtbot, DetailsPanel(context))
    words = next(m for m in context.markers if m.rule == "affectionate_language")
    context.select_event(context.session.supporting_events(words.id)[0])
    html = details.browser.toHtml()
    pytest.importorskip("workbench.analysis.lexicon")
    assert "background-color" in html and "lovely" in details.text()


def test_review_dialog_needs_a_reason(qtbot):
    dialog = build(qtbot, ReviewDialog("Secrecy request", accept=False))
    ok = dialog.buttons.buttons()[0]
    assert not ok.isEnabled()
    dialog.text.setPlainText("   ")
    assert not ok.isEnabled()
    dialog.text.setPlainText("Explained by a safeguarding referral")
    assert ok.isEnabled()


def test_review_through_the_panel_reaches_the_audit_chain(qtbot, context):
    analysis = pytest.importorskip("workbench.analysis")
    if not hasattr(analysis, "review_marker"):
        pytest.skip("workbench.analysis.review_marker is not there yet")
    panel = build(qtbot, MarkersPanel(context))
    marker = context.markers[0]
    context.select_marker(marker.id)
    assert panel.review(False, "Work-related follow-up call, see decision 3")
    assert context.marker(marker.id).status == "dismissed"
    assert panel.selected_marker() == marker.id
    with context.store.reader() as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.case_ref == context.ref)
                                  .order_by(AuditEntry.sequence)).all()
    last = json.loads(entries[-1].details)
    assert "Work-related follow-up call" in entries[-1].details and last
    assert panel.review(True, "") is False  # an empty reason is refused


def test_assign_unattributed_identifier_updates_views_and_undo_restores(qtbot, context):
    panel = build(qtbot, PeoplePanel(context))
    timeline = build(qtbot, TimelineView(context))
    stranger_lane = next(label for label in timeline.lane_labels() if "900999" in label)
    before = len(context.unresolved)
    row = next(r for r in range(panel.unresolved_model.rowCount())
               if "900999" in panel.unresolved_model.index(r, 0).data())
    assert panel.unresolved_model.index(row, 2).data() == 1
    panel.unresolved.selectRow(row)
    assert panel.assign_selected("colleague", "work")
    assert len(context.unresolved) == before - 1
    assert stranger_lane not in timeline.lane_labels()
    assert "Priya Shah — Personal phone" in timeline.lane_labels()  # his personal phone
    assert panel.tabs.tabText(1) == f"Unattributed ({before - 1})"
    context.undo_stack.undo()
    assert len(context.unresolved) == before
    assert stranger_lane in timeline.lane_labels()
    with context.store.reader() as session:
        actions = [e.action for e in session.scalars(
            select(AuditEntry).where(AuditEntry.case_ref == context.ref))]
    assert actions.count("identifier_assign") == 2


def test_people_panel_shows_roles_vulnerabilities_and_exhibits(qtbot, context):
    panel = build(qtbot, PeoplePanel(context))
    model = panel.people_model
    first = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert first[0].startswith("Daniel Marsh") and "Kerry Lowe" in first
    kerry = first.index("Kerry Lowe")
    assert "learning disability" in model.index(kerry, 2).data()
    uses = {model.index(r, 1, model.index(0, 0)).data() for r in range(model.rowCount(model.index(0, 0)))}
    assert {"Work", "Personal"} <= uses
    exhibits = panel.exhibits_model
    assert exhibits.index(0, 0).data() == "JB/1" and exhibits.index(0, 4).data(3) == "ab" * 32
    assert exhibits.headerData(7, Qt.Orientation.Horizontal) == "Importer warnings"
    assert exhibits.index(0, 7).data() == "none"


def test_exhibits_tab_shows_the_importers_warnings_anonymised_when_asked(qtbot, context):
    with context.store.session() as session:
        exhibit = session.scalars(select(Exhibit).where(Exhibit.reference == "JB/1")).one()
        exhibit.warnings = ("the device's own number is taken to be 07700 900101\n"
                            "2 different IMEIs (handsets): 356938035643809, 356938035643810\n"
                            "calls to 07700 900201 have no cell id")
    context.reload()
    panel = build(qtbot, PeoplePanel(context))
    exhibits = panel.exhibits_model
    shown = exhibits.index(0, 7).data()
    assert shown == "3 warnings: the device's own number is taken to be 07700 900101"
    tip = exhibits.index(0, 7).data(Qt.ItemDataRole.ToolTipRole)
    assert len(tip.splitlines()) == 3 and "2 different IMEIs" in tip.splitlines()[1]  # one a line
    context.set_anonymise(True)
    tip = exhibits.index(0, 7).data(Qt.ItemDataRole.ToolTipRole)
    assert "900201" not in tip  # Woman A's number is masked
    assert "900101" in exhibits.index(0, 7).data()  # the subject officer's own stays shown


def test_unattributed_tab_shows_discovery_lead_scores_with_reasons(qtbot, context):
    panel = build(qtbot, PeoplePanel(context))
    model = panel.unresolved_model
    assert model.headerData(3, Qt.Orientation.Horizontal) == "Lead score"
    row = next(r for r in range(model.rowCount()) if "900999" in model.index(r, 0).data())
    qtbot.waitUntil(lambda: context.leads() is not None)  # asked: discovery runs in a worker
    score = model.index(row, 3).data()
    assert score and 0 < float(score) <= 1
    tip = model.index(row, 3).data(Qt.ItemDataRole.ToolTipRole)
    assert "not a finding" in tip and "contacts with the officer's devices" in tip


def test_the_markers_panel_says_when_the_evidence_changed_after_the_analysis(qtbot, context, tmp_path):
    from tests.ui.test_import_and_tasks import BILLING
    from workbench.analysis import run_analysis
    from workbench.ingest.pipeline import import_file

    panel = build(qtbot, MarkersPanel(context))
    assert not panel.out_of_date.isVisibleTo(panel)
    billing = tmp_path / "work_billing.csv"
    billing.write_text(BILLING)
    result = import_file(context.store, context.ref, billing)
    context.reload()
    assert panel.out_of_date.isVisibleTo(panel)
    assert panel.out_of_date.text().startswith("These markers may be out of date: the evidence has "
                                               "changed")
    assert f"exhibit {result.exhibit} imported" in panel.out_of_date.text()
    run_analysis(context.store, context.ref)
    context.reload()
    assert not panel.out_of_date.isVisibleTo(panel)


def test_discovery_runs_in_a_worker_never_in_paint(qtbot, case_store, monkeypatch):
    """Discovery once ran from UnresolvedModel.data() during a paint, freezing the window."""
    import threading

    from workbench import discover as discover_module

    threads = []
    real = discover_module.discover

    def recording(session, case, cancel=None):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread())
        return real(session, case, cancel)

    monkeypatch.setattr(discover_module, "discover", recording)
    context = CaseContext(*case_store)
    panel = build(qtbot, PeoplePanel(context))
    panel.tabs.setCurrentIndex(1)
    model = panel.unresolved_model
    assert not threads  # nothing ranked until a view asks
    with qtbot.waitSignal(context.leadsChanged, timeout=10_000):
        assert model.index(0, 3).data() == "…"  # asking starts it, in a worker
    assert threads and threading.main_thread() not in threads
    assert all(model.index(r, 3).data() != "…" for r in range(model.rowCount()))
