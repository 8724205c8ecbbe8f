"""Intelligence, decision log and lines-of-enquiry panels: validated, audited, append-only."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import select

from ui.case_context import CaseContext
from ui.casework_state import CaseworkState
from ui.decision_log import DecisionLogPanel
from ui.enquiries_panel import EnquiriesPanel
from ui.intel_panel import IntelPanel
from workbench import audit
from workbench.model import AuditEntry


@pytest.fixture
def state(qtbot, case_store):
    store, ref = case_store
    return CaseworkState(CaseContext(store, ref))


def actions(state):
    with state.context.store.reader() as session:
        return session.scalars(select(AuditEntry.action).where(
            AuditEntry.case_ref == state.context.ref)).all()


def ok_button(dialog):
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def test_grading_codes_are_validated_in_the_dialog(qtbot, state):
    panel = IntelPanel(state)
    qtbot.addWidget(panel)
    dialog = panel.open_dialog(None)
    dialog.urn.setText("INT-2021-1")
    dialog.text.setPlainText("Officer seen parked outside her address late at night.")
    for bad in ("4/B/P", "2/F/P", "2/B/X", "B/2/9", "Z", ""):
        dialog.grading.setText(bad)
        assert not ok_button(dialog).isEnabled(), bad
    dialog.grading.setText("2bp")
    assert ok_button(dialog).isEnabled()
    assert "untested" in dialog.grading_note.text()
    dialog.grading.setText("B/2/1")
    assert ok_button(dialog).isEnabled() and "Legacy 5x5x5" in dialog.grading_note.text()
    dialog.grading.setText("3/C/C")  # handling code C needs its conditions
    assert not ok_button(dialog).isEnabled()
    assert "conditions" in ok_button(dialog).toolTip()
    dialog.conditions.setPlainText("Not for any open bundle")
    assert ok_button(dialog).isEnabled()
    dialog.accept()
    assert [(r.urn, r.grading, r.restricted) for r in state.intel] == [("INT-2021-1", "3/C/C", True)]
    model = panel.intel_model
    assert model.index(0, 4).data().startswith("⚠ C")
    assert model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    # correcting it, then undo, both audited
    panel.intel_table.selectRow(0)
    edit = panel.open_dialog(panel.selected_report())
    edit.grading.setText("2/B/P")
    edit.conditions.setPlainText("")
    edit.accept()
    assert state.intel[0].grading == "2/B/P"
    state.context.undo_stack.undo()
    assert state.intel[0].grading == "3/C/C"
    state.context.undo_stack.undo()
    assert state.intel == []
    assert [a for a in actions(state) if a.startswith("intel")] == [
        "intel_add", "intel_edit", "intel_edit", "intel_remove"]
    for window in (dialog, edit):
        window.close()


def test_complaint_cluster_is_highlighted(qtbot, state):
    from datetime import date

    from workbench.model import Complaint
    from workbench.store.queries import find_case

    with state.context.store.session() as session:
        case = find_case(session, state.context.ref)
        for n, day in enumerate((date(2019, 1, 5), date(2021, 2, 1), date(2021, 6, 1), date(2021, 11, 30))):
            session.add(Complaint(case_id=case.id, reference=f"CO/{n}", received=day,
                                  subject_id=case.person("pcso").id))
    state.context.reload()
    panel = IntelPanel(state)
    qtbot.addWidget(panel)
    model = panel.complaints_model
    flagged = [model.index(r, 5).data() for r in range(model.rowCount())]
    assert flagged == ["", "3+ within 12 months", "3+ within 12 months", "3+ within 12 months"]
    assert model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is None
    assert model.index(1, 0).data(Qt.ItemDataRole.BackgroundRole) is not None


def test_decision_log_is_append_only(qtbot, state):
    panel = DecisionLogPanel(state)
    qtbot.addWidget(panel)
    dialog = panel.open_dialog(None)
    assert not ok_button(dialog).isEnabled()  # nothing typed yet
    dialog.decision_maker.setText("DI Sam Okoro")
    dialog.decision.setPlainText("Obtain billing for the personal number")
    dialog.rationale.setPlainText("Contact moved to a personal phone")
    dialog.element.setCurrentIndex(dialog.element.findData("information"))
    dialog.accept()
    assert [e.sequence for e in state.decisions] == [1]
    model = panel.model
    index = model.index(0, 3)
    assert not model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert not model.setData(index, "changed", Qt.ItemDataRole.EditRole)
    assert not hasattr(panel, "edit_button") and not hasattr(panel, "delete_button")
    panel.table.selectRow(0)
    assert panel.correct_button.isEnabled()
    correction = panel.open_dialog(panel.selected())
    assert "Correct decision 1" in correction.windowTitle()
    correction.decision.setPlainText("Obtain billing for BOTH numbers")
    correction.rationale.setPlainText("Entry 1 named one number only")
    correction.accept()
    log = state.decisions
    assert [(e.sequence, e.corrects, e.corrected_by) for e in log] == [(1, None, (2,)), (2, 1, ())]
    assert log[0].decision == "Obtain billing for the personal number"
    assert model.index(0, 10).data() == "corrected by 2"
    assert model.index(1, 10).data() == "corrects 1"
    assert state.context.undo_stack.count() == 0  # nothing to undo: the log only grows
    assert actions(state).count("decision_add") == 2
    with state.context.store.reader() as session:
        assert audit.verify(session, state.context.ref) == []
    for window in (dialog, correction):
        window.close()


def test_lines_of_enquiry_start_from_the_template_and_change_through_commands(qtbot, state):
    panel = EnquiriesPanel(state)
    qtbot.addWidget(panel)
    model = panel.model
    titles = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert len(titles) == 13 and any("IOPC" in t for t in titles)
    assert {model.index(r, 1).data() for r in range(model.rowCount())} == {"Not started"}
    row = next(r for r, t in enumerate(titles) if t.startswith("Social media"))
    assert model.flags(model.index(row, 1)) & Qt.ItemFlag.ItemIsEditable
    assert model.setData(model.index(row, 1), "in_progress")
    assert model.setData(model.index(row, 2), "DC Jane Brown")
    assert model.index(row, 1).data() == "In progress"
    assert not model.setData(model.index(row, 3), "exhibit JB/99")  # not in the case
    assert "JB/99" in panel.feedback.text()
    assert model.setData(model.index(row, 3), "exhibit jb/2")
    assert model.index(row, 3).data() == "exhibit JB/2"
    state.context.undo_stack.undo()
    assert model.index(row, 3).data() == ""
    assert actions(state).count("enquiry_update") == 4  # three changes and one undo
    assert "Not started: 12" in panel.summary.text()
    assert not model.setData(QModelIndex(), "x")


def test_handling_conditions_are_anonymised_with_the_rest(qtbot, state):
    panel = IntelPanel(state)
    qtbot.addWidget(panel)
    dialog = panel.open_dialog(None)
    dialog.urn.setText("INT-2021-2")
    dialog.text.setPlainText("Seen with a member of the public.")
    dialog.grading.setText("3/C/C")
    dialog.conditions.setPlainText("Ask the handler before telling Kerry Lowe (07700 900201)")
    dialog.accept()
    model = panel.intel_model
    assert "Kerry Lowe" in model.index(0, model.CONDITIONS_COLUMN).data()
    state.context.set_anonymise(True)
    for shown in (model.index(0, model.CONDITIONS_COLUMN).data(),
                  model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)):
        assert "Kerry" not in shown and "900201" not in shown
    dialog.close()
