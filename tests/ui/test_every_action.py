"""Every action in the main window, triggered as a user would, has its effect.

The test walks every QAction in the menus and toolbars and every push button in
the window and its docks. Each has an entry in ``EFFECTS`` that answers its
dialogs and checks what it did: a file written, a row added, an audit entry. An
action or button without an entry fails the test, and so does one that does nothing.
Each runs over the window as ``workbench gui`` opens it (its case read and written
in workers; after each action the walk waits, as a user waits for the status bar)
and over a direct context (scripts). Regression tests for the defects found by
trying the app follow; the app's window used without waiting is in
``test_background_races.py``.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QImage
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDockWidget,
    QPushButton,
)
from sqlalchemy import select

from tests.ui.walking import (
    BILLING,
    Walk,
    every_action,
    open_walk,
    plain,
    raise_watch_alert,
    select_unattributed,
)
from ui import people_panel as people_module
from ui.decision_log import DecisionDialog
from ui.import_dialog import ImportDialog
from ui.intel_panel import IntelDialog
from ui.main_window import MainWindow
from ui.tasks import Task
from ui.timeline.painter import Geometry, TimelinePainter, ViewState
from workbench.model import AuditEntry


def _analyse(walk: Walk, trigger: Callable[[], None]) -> None:
    before = walk.audit_actions().count("analyse")
    trigger()
    walk.settle()
    assert walk.audit_actions().count("analyse") == before + 1
    assert walk.context.markers_out_of_date is None


def _export(walk: Walk, trigger: Callable[[], None]) -> None:
    if walk.context.markers_out_of_date:  # a bundle waits for a fresh analysis
        _analyse(walk, walk.window.analyse)
    walk.save_as = walk.tmp_path / f"bundle-{len(list(walk.tmp_path.glob('bundle-*')))}.pdf"
    trigger()
    walk.settle()
    assert walk.save_as.exists() and walk.save_as.read_bytes().startswith(b"%PDF"), walk.shown


def _import(walk: Walk, trigger: Callable[[], None]) -> None:
    billing = walk.tmp_path / "work_billing.csv"
    billing.write_text(BILLING)
    walk.open_files = [str(billing)]
    exhibits = len(walk.context.case.exhibits)
    trigger()
    dialog = walk.new_dialog(ImportDialog)
    dialog.add_button.click()  # "Add files…", answered with the billing file
    with walk.qtbot.waitSignal(dialog.start().signals.finished, timeout=30_000):
        pass
    walk.qtbot.waitUntil(lambda: not dialog.runner.running)
    walk.settle()
    assert len(walk.context.case.exhibits) == exhibits + 1
    dialog.close_button.click()


def _undo_redo(walk: Walk, trigger: Callable[[], None], undo: bool) -> None:
    if undo:
        _assign_through_panel(walk)
    unresolved = len(walk.context.unresolved)
    trigger()
    walk.settle()
    assert len(walk.context.unresolved) == unresolved + (1 if undo else -1)
    assert walk.window.statusBar().currentMessage().startswith("Undone: Assign" if undo else "Redone: Assign")


def _assign_through_panel(walk: Walk, monkeypatch=None) -> None:  # type: ignore[no-untyped-def]
    select_unattributed(walk, "900999")
    assert walk.window.people.assign_selected("colleague", "work")
    walk.settle()


def _assign_button(walk: Walk, trigger: Callable[[], None]) -> None:
    select_unattributed(walk, "900999")
    before = walk.audit_actions().count("identifier_assign")
    trigger()
    walk.settle()
    assert walk.audit_actions().count("identifier_assign") == before + 1
    assert walk.context.undo_stack.undoText().startswith("Assign 07700 900999 to")
    walk.context.undo_stack.undo()
    walk.settle()


def _review(walk: Walk, trigger: Callable[[], None], accept: bool) -> None:
    marker = next(m for m in walk.context.markers if m.status == "open")
    walk.context.select_marker(marker.id)
    trigger()
    walk.settle()
    assert walk.context.marker(marker.id).status == ("accepted" if accept else "dismissed")
    assert walk.context.undo_stack.undoText().startswith("Accept" if accept else "Dismiss")


def _decision(walk: Walk, trigger: Callable[[], None]) -> None:
    before = len(walk.window.casework.state.decisions)
    trigger()
    dialog = walk.new_dialog(DecisionDialog)
    dialog.decision_maker.setText("DI Sam Okoro")
    dialog.decision.setPlainText("Obtain billing for the personal number")
    dialog.rationale.setPlainText("Contact moved to a personal phone")
    dialog.element.setCurrentIndex(dialog.element.findData("information"))
    dialog.accept()
    walk.settle()
    assert len(walk.window.casework.state.decisions) == before + 1
    assert walk.audit_actions()[-1].startswith("decision")


def _intel(walk: Walk, trigger: Callable[[], None]) -> None:
    before = len(walk.window.casework.state.intel)
    trigger()
    dialog = walk.new_dialog(IntelDialog)
    dialog.urn.setText(f"INT-{before + 1}")
    dialog.text.setPlainText("Officer seen parked outside her address late at night.")
    dialog.grading.setText("2/B/P")
    dialog.accept()
    walk.settle()
    assert len(walk.window.casework.state.intel) == before + 1


def _correct_intel(walk: Walk, trigger: Callable[[], None]) -> None:
    intel = walk.window.casework.intel
    if not walk.window.casework.state.intel:
        _intel(walk, lambda: intel.open_dialog(None))
    intel.intel_table.selectRow(0)
    trigger()
    dialog = walk.new_dialog(IntelDialog)
    dialog.text.setPlainText("Corrected: seen twice.")
    dialog.accept()
    walk.settle()
    assert walk.window.casework.state.intel[0].text == "Corrected: seen twice."


def _correct_decision(walk: Walk, trigger: Callable[[], None]) -> None:
    log = walk.window.casework.decisions
    if not walk.window.casework.state.decisions:
        _decision(walk, lambda: log.open_dialog(None))
    log.table.selectRow(0)
    before = len(walk.window.casework.state.decisions)
    trigger()
    dialog = walk.new_dialog(DecisionDialog)
    assert dialog.corrects is not None
    dialog.rationale.setPlainText("Corrected rationale")
    dialog.accept()
    walk.settle()
    assert len(walk.window.casework.state.decisions) == before + 1


def _withdraw(walk: Walk, trigger: Callable[[], None]) -> None:
    people = walk.window.people
    people.tabs.setCurrentIndex(2)
    people.exhibits.selectRow(1)
    trigger()
    walk.settle()
    assert walk.audit_actions()[-1] == "withdraw"


def _read_again(walk: Walk, trigger: Callable[[], None]) -> None:
    people = walk.window.people
    people.exhibits.selectRow(0)
    trigger()
    dialog = walk.new_dialog(ImportDialog)
    # The test case's exhibits have no stored files: the dialog says so, naming the exhibit.
    assert "JB/1" in dialog.error.text() or dialog.files
    dialog.close()


def _presentation(walk: Walk, trigger: Callable[[], None]) -> None:
    trigger()
    walk.settle()  # it opens once a change still being saved is saved
    presentation = walk.window.casework.presentation
    assert presentation is not None and presentation.isVisible()
    presentation.close()


def _toggled_widgets(window: MainWindow) -> list:  # type: ignore[type-arg]
    """Docks and toolbars whose View-menu entry shows or hides them."""
    return [*window.docks.values(), *window.casework.docks.values(),
            *window.views.docks.values(), window.views.timeline_key, *window.shared.docks.values()]


def _dock_toggle(walk: Walk, action: QAction) -> None:
    dock = next(d for d in _toggled_widgets(walk.window) if d.toggleViewAction() is action)
    visible = dock.isVisible()
    action.trigger()
    assert dock.isVisible() != visible
    action.trigger()
    assert dock.isVisible() == visible


def _zoom(walk: Walk, trigger: Callable[[], None], narrower: bool | None) -> None:
    view = walk.window.timeline.view
    walk.window.timeline.fit_all()
    walk.window.timeline.zoom(2.0)
    span = view.end - view.start
    trigger()
    after = view.end - view.start
    assert (after < span) if narrower else (after > span)


def _chart_path(walk: Walk, trigger: Callable[[], None]) -> None:
    chart = walk.window.casework.chart
    chart.refresh(sync=True)
    nodes = list(chart.scene.nodes.values())[:2]
    for node in nodes:
        node.setSelected(True)
    assert chart.path_button.isEnabled()
    trigger()
    assert chart.path is not None or chart.status.text().startswith("No ")


def _chart_clear(walk: Walk, trigger: Callable[[], None]) -> None:
    chart = walk.window.casework.chart
    if chart.path is None:
        _chart_path(walk, chart.path_button.click)
    trigger()
    assert chart.path is None


def _chart_export(walk: Walk, trigger: Callable[[], None]) -> None:
    walk.window.casework.chart.refresh(sync=True)
    walk.save_as = walk.tmp_path / "chart.png"
    trigger()
    walk.settle()  # the app writes a map in a worker
    assert not QImage(str(walk.save_as)).isNull()
    assert walk.audit_actions()[-1] in ("export_chart", "export_map")  # the chart's or the map's


def _chart_relayout(walk: Walk, trigger: Callable[[], None]) -> None:
    chart = walk.window.casework.chart
    chart.refresh(sync=True)
    chart.runner.wait()
    before = chart.chart
    saved = walk.audit_actions().count("chart_positions_save")
    trigger()
    walk.qtbot.waitUntil(lambda: chart.chart is not before and not chart.runner.running, timeout=30_000)
    assert walk.audit_actions().count("chart_positions_save") == saved + 1


def _chart_fit(walk: Walk, trigger: Callable[[], None]) -> None:
    chart = walk.window.casework.chart
    chart.refresh(sync=True)
    chart.view.scale(5, 5)
    before = chart.view.transform().m11()
    trigger()
    assert chart.view.transform().m11() != before


def _cancel(walk: Walk, trigger: Callable[[], None]) -> None:
    def wait_for_cancel(progress, cancel):  # type: ignore[no-untyped-def]
        while True:
            cancel.check()  # raises Cancelled once the button is pressed
            time.sleep(0.005)

    task: Task = walk.window._run("Long job", walk.window.runner, wait_for_cancel)
    assert walk.window.cancel_button.isVisible()
    with walk.qtbot.waitSignal(task.signals.cancelled, timeout=10_000):
        trigger()
    walk.settle()
    assert not walk.window.cancel_button.isVisible()


def _changed_elsewhere(walk: Walk, trigger: Callable[[], None]) -> None:
    button = walk.window.changed_elsewhere
    button.setVisible(True)
    trigger()
    walk.settle()
    assert not button.isVisible()


def _find(walk: Walk, trigger: Callable[[], None]) -> None:
    walk.window.search_box.setText("Kerry")
    trigger()
    assert walk.window.search_box.selectedText() == "Kerry"


def _anonymise(walk: Walk, action: QAction) -> None:
    action.trigger()
    walk.settle()
    assert walk.context.anonymise and "[ANONYMISED]" in walk.window.windowTitle()
    action.trigger()
    walk.settle()
    assert not walk.context.anonymise


def _dark(walk: Walk, action: QAction) -> None:
    action.trigger()
    assert walk.window.settings.value("theme") == "dark"
    action.trigger()
    assert walk.window.settings.value("theme") == "light"


def _reset_layout(walk: Walk, trigger: Callable[[], None]) -> None:
    walk.window.docks["details"].hide()
    trigger()
    assert walk.window.docks["details"].isVisible()


def _shortcuts(walk: Walk, trigger: Callable[[], None]) -> None:
    trigger()
    assert walk.shown[-1][0] == "Keyboard shortcuts"


def _quit(walk: Walk, trigger: Callable[[], None]) -> None:
    trigger()
    assert not walk.window.isVisible()


def _time_range(walk: Walk, trigger: Callable[[], None]) -> None:
    from ui.time_range import RangeDialog

    walk.context.select_range(None)
    trigger()
    dialog = walk.new_dialog(RangeDialog)
    dialog.accept()
    assert walk.context.selection.time_range == dialog.chosen()
    walk.context.select_range(None)


def _chart_as_main(walk: Walk, action: QAction) -> None:
    chart = walk.window.casework.chart
    action.trigger()
    assert walk.window.centralWidget() is chart
    action.trigger()
    assert walk.window.centralWidget() is not chart


def _first_event(walk: Walk) -> int:
    with walk.context.store.reader() as session:
        from workbench.model import Case, Event

        return int(session.scalar(select(Event.id).join(Case, Case.id == Event.case_id)
                                  .where(Case.ref == walk.context.ref).order_by(Event.id).limit(1)))


def _note(walk: Walk, trigger: Callable[[], None], action: str, prepare=None) -> None:  # type: ignore[no-untyped-def]
    panel = walk.window.notes
    walk.context.select_event(_first_event(walk))
    QApplication.processEvents()
    panel.refresh()
    if prepare is not None:
        prepare(panel)
    before = walk.audit_actions()
    trigger()
    walk.settle()
    added = walk.audit_actions()[len(before):]
    assert action in " ".join(added), (action, added, walk.shown)


def _prepare_edit(panel) -> None:  # type: ignore[no-untyped-def]
    panel.editor.setPlainText("Spoke to the witness: confirms the date")
    panel.add_note()
    item = next(panel.list.topLevelItem(n) for n in range(panel.list.topLevelItemCount())
                if (panel.list.topLevelItem(n).data(0, Qt.ItemDataRole.UserRole) or {}).get("kind") == "note")
    panel.list.setCurrentItem(item)
    panel.editor.setPlainText("Spoke to the witness: confirms the date and time")


def _basemap(walk: Walk, trigger: Callable[[], None], chosen: bool) -> None:
    panel = walk.window.views.map
    if not chosen:
        panel.set_basemap(str(walk.basemap))
    trigger()
    assert (panel.basemap is not None) == chosen
    assert (walk.window.settings.value("map/basemap") == str(walk.basemap)) == chosen


def _clear_filters(walk: Walk, trigger: Callable[[], None]) -> None:
    panel = walk.window.markers
    combo = next(iter(panel.filters.values()))
    combo.setCurrentIndex(combo.count() - 1)
    trigger()
    assert all(c.currentIndex() == 0 for c in panel.filters.values())


def _acknowledge(walk: Walk, trigger: Callable[[], None]) -> None:
    from workbench.shared.users import UNIT_CHAIN
    from workbench.shared.watchlist import ACKNOWLEDGED

    raise_watch_alert(walk)
    panel = walk.window.shared.alerts
    waiting = panel.count()
    panel.list.setCurrentItem(panel.list.topLevelItem(0))
    trigger()
    walk.settle()
    with walk.context.store.reader() as session:
        last = session.scalars(select(AuditEntry.action).where(AuditEntry.case_ref == UNIT_CHAIN)
                               .order_by(AuditEntry.sequence.desc()).limit(1)).first()
    assert last == ACKNOWLEDGED
    assert panel.count() == waiting - 1


def _watch_alerts_button(walk: Walk, trigger: Callable[[], None]) -> None:
    raise_watch_alert(walk)
    dock = walk.window.shared.docks["alerts"]
    dock.hide()
    assert walk.window.shared.alerts_button.isVisible()
    trigger()
    assert dock.isVisible()


# What each action or button does, checked. Keyed by its text without "&" and "…".
EFFECTS: dict[str, Callable[..., None]] = {
    "Analyse": _analyse,
    "Export bundle": _export,
    "Import evidence": _import,
    "Undo": lambda walk, trigger: _undo_redo(walk, trigger, undo=True),
    "Redo": lambda walk, trigger: _undo_redo(walk, trigger, undo=False),
    "Find": _find,
    "Fit all": lambda walk, trigger: _zoom(walk, trigger, narrower=False),
    "Zoom in": lambda walk, trigger: _zoom(walk, trigger, narrower=True),
    "Zoom out": lambda walk, trigger: _zoom(walk, trigger, narrower=False),
    "Reset layout": _reset_layout,
    "Accept marker": lambda walk, trigger: _review(walk, trigger, accept=True),
    "Dismiss marker": lambda walk, trigger: _review(walk, trigger, accept=False),
    "Accept": lambda walk, trigger: _review(walk, trigger, accept=True),
    "Dismiss": lambda walk, trigger: _review(walk, trigger, accept=False),
    "Keyboard shortcuts": _shortcuts,
    "Add decision": _decision,
    "Correct": _correct_decision,
    "Add intelligence report": _intel,
    "Add report": _intel,
    "Correct report": _correct_intel,
    "Presentation mode": _presentation,
    "Assign to person": _assign_button,
    "Withdraw": _withdraw,
    "Read again": _read_again,
    "Re-lay out": _chart_relayout,
    "Find path": _chart_path,
    "Clear path": _chart_clear,
    "Fit": _chart_fit,
    "Export": _chart_export,
    "Cancel": _cancel,
    "Quit": _quit,
    "Set time range": _time_range,
    "Add note": lambda walk, trigger: _note(
        walk, trigger, "note", lambda panel: panel.editor.setPlainText("Check the duty log")),
    "Save as new version": lambda walk, trigger: _note(walk, trigger, "note", _prepare_edit),
    "Tag / untag": lambda walk, trigger: _note(walk, trigger, "tag"),
    "Bookmark": lambda walk, trigger: _note(walk, trigger, "bookmark"),
    "Clear filters": _clear_filters,
    "Acknowledge": _acknowledge,
    "Basemap": lambda walk, trigger: _basemap(walk, trigger, chosen=True),
    "Plain canvas": lambda walk, trigger: _basemap(walk, trigger, chosen=False),
}
CHECKABLE: dict[str, Callable[[Walk, QAction], None]] = {
    "Anonymise": _anonymise, "Dark theme": _dark, "Link chart as main view": _chart_as_main}
BUTTONS_BY_NAME: dict[str, Callable[..., None]] = {"changedElsewhere": _changed_elsewhere,
                                                   "watchAlerts": _watch_alerts_button}


@pytest.fixture(params=["background", "sync"])
def walk(request, qtbot, case_store, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """The window as ``workbench gui`` opens it (its case read and written in workers), and
    over a context that reads and writes at once in the caller's thread (scripts)."""
    yield from open_walk(request.param == "background", qtbot, case_store, tmp_path, monkeypatch)




def test_every_menu_and_toolbar_action_has_its_effect(walk):
    window = walk.window
    actions = every_action(window)
    docks = {d.toggleViewAction() for d in _toggled_widgets(window)}
    assert len(actions) >= 25
    unchecked = [plain(a.text()) for a in actions
                 if a not in docks and plain(a.text()) not in EFFECTS | CHECKABLE]
    assert not unchecked, f"actions with no checked effect: {unchecked}"
    names = {action: plain(action.text()) for action in actions}  # undo's text follows the stack
    quit_action = next(a for a in actions if names[a] == "Quit")
    for action in [a for a in actions if a is not quit_action] + [quit_action]:
        name = names[action]
        if action in docks:
            _dock_toggle(walk, action)
        elif name in CHECKABLE:
            CHECKABLE[name](walk, action)
        else:
            EFFECTS[name](walk, action.trigger)
        walk.assert_nothing_failed()


def test_every_push_button_in_the_window_and_docks_has_its_effect(walk):
    buttons = [b for b in walk.window.findChildren(QPushButton)]
    assert len(buttons) >= 14
    unchecked = [b.text() or b.objectName() for b in buttons
                 if plain(b.text()) not in EFFECTS and b.objectName() not in BUTTONS_BY_NAME]
    assert not unchecked, f"buttons with no checked effect: {unchecked}"
    for button in buttons:
        effect = BUTTONS_BY_NAME.get(button.objectName()) or EFFECTS[plain(button.text())]

        def click(button: QPushButton = button) -> None:
            dock = button.parent()
            while dock is not None and not isinstance(dock, QDockWidget):
                dock = dock.parent()
            if dock is not None:  # a user clicks what is in front
                dock.show()
                dock.raise_()
                QApplication.processEvents()
            assert button.isEnabled(), f"{button.text()} is disabled after its preparation"
            walk.qtbot.mouseClick(button, Qt.MouseButton.LeftButton) if button.isVisible() else button.click()

        effect(walk, click)
        walk.assert_nothing_failed()


# -- regression tests for what trying the app found -------------------------------------------
def test_export_shortcut_writes_the_bundle(walk):
    """Ctrl+E once did nothing: triggered's False arrived as the file path."""
    _analyse(walk, walk.window.analyse_action.trigger)
    walk.save_as = walk.tmp_path / "shortcut.pdf"
    walk.window.activateWindow()
    walk.qtbot.keyClick(walk.window.timeline, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    walk.settle()
    assert walk.save_as.exists()


def test_a_refused_assignment_is_reported_and_leaves_nothing_to_undo(walk, monkeypatch):
    monkeypatch.setattr(people_module.AssignDialog, "exec", lambda dialog: (
        dialog.person.addItem("gone", "no_such_person"),
        dialog.person.setCurrentIndex(dialog.person.count() - 1),
        QDialog.DialogCode.Accepted)[-1])
    panel = walk.window.people
    panel.tabs.setCurrentIndex(1)
    panel.unresolved.selectRow(0)
    count = walk.context.undo_stack.count()
    if walk.context.background:  # the core refuses it in the worker; the window says so
        walk.qtbot.mouseClick(panel.assign_button, Qt.MouseButton.LeftButton)
        walk.settle()
        title = "Not done"
    else:
        assert panel.assign_selected() is False
        title = "Identifier not assigned"
    assert walk.context.undo_stack.count() == count
    assert walk.shown[-1][0] == title and "no_such_person" in walk.shown[-1][1]


def test_undo_and_redo_messages_name_the_command_undone(walk):
    _assign_through_panel(walk)
    key = walk.window.casework.state.enquiries[0].key
    from workbench.commands import UpdateEnquiry

    walk.context.execute(UpdateEnquiry(walk.context.ref, key, {"status": "in_progress"}))
    walk.settle()
    status = walk.window.statusBar()
    walk.window.undo_action.trigger()
    walk.settle()
    assert status.currentMessage().startswith("Undone: Update line of enquiry")
    walk.window.undo_action.trigger()
    walk.settle()
    assert status.currentMessage().startswith("Undone: Assign 07700 900999")
    walk.window.redo_action.trigger()
    walk.settle()
    assert status.currentMessage().startswith("Redone: Assign 07700 900999")


def test_ctrl_z_straight_after_the_assign_dialog(walk):
    panel = walk.window.people
    select_unattributed(walk, "900999")
    unresolved = len(walk.context.unresolved)
    walk.qtbot.mouseClick(panel.assign_button, Qt.MouseButton.LeftButton)
    walk.settle()
    assert len(walk.context.unresolved) == unresolved - 1
    walk.window.activateWindow()
    walk.qtbot.keyClick(panel.unresolved, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    walk.settle()
    assert len(walk.context.unresolved) == unresolved


def test_off_duty_period_at_the_right_edge_paints(qtbot):
    """A period starting at the plot's right edge once raised IndexError in the painter."""
    painter = TimelinePainter({})
    geo = Geometry.of(800, 300, 1)
    view = ViewState(0.0, 1000.0)
    spans = np.array([[1000.0, 2000.0], [-50.0, 10.0]])
    mask = painter._column_mask(spans, view, geo)
    assert mask.shape == (geo.plot_width,) and mask[0] and not mask[-1]


def test_an_undo_the_core_refuses_is_reported_and_clears_the_stack(walk, monkeypatch):
    from workbench.commands import UpdateEnquiry
    from workbench.errors import WorkbenchError

    key = walk.window.casework.state.enquiries[0].key
    command = UpdateEnquiry(walk.context.ref, key, {"status": "in_progress"})
    walk.context.execute(command)
    walk.settle()
    assert walk.context.undo_stack.count() > 0

    def refuse(_store):  # type: ignore[no-untyped-def]
        raise WorkbenchError("the line was closed by someone else")

    monkeypatch.setattr(command, "undo", refuse)
    walk.window.undo_action.trigger()  # no "Error calling Python override"
    walk.settle()
    message = walk.window.statusBar().currentMessage()
    assert message.startswith("Could not undo") and "history was cleared" in message
    # What it held no longer matches the case.
    walk.qtbot.waitUntil(lambda: walk.context.undo_stack.count() == 0)
