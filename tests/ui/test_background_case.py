"""The app's own way of opening a case: nothing read or written on the GUI thread.

``workbench gui`` opens its context with ``background=True``: the window appears
before the events are read, and commands, undo, redo and search run in workers.
These tests drive that window through its buttons and actions, as a user would,
waiting for the workers as a user waits for the status bar.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog, QMessageBox
from sqlalchemy import select

from ui import people_panel as people_module
from ui import review_dialog
from ui.case_context import CaseContext
from ui.main_window import MainWindow
from workbench.model import AuditEntry, Identifier


@pytest.fixture
def app_window(qtbot, case_store, tmp_path, monkeypatch):
    store, ref = case_store
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, title, text, *_a: shown.append((title, text)))
    context = CaseContext(store, ref, background=True)
    assert not context.events_loaded and context.timeline.count == 0  # the window opens at once
    window = MainWindow(context, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.shown_warnings = shown  # type: ignore[attr-defined]
    with qtbot.waitSignal(context.loaded, timeout=20_000):
        window.show()
    yield window
    qtbot.waitUntil(lambda: not context.busy, timeout=20_000)


def idle(qtbot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: not window.context.busy, timeout=20_000)


def audit_actions(window: MainWindow) -> list[str]:
    with window.context.store.reader() as session:
        return list(session.scalars(select(AuditEntry.action).where(
            AuditEntry.case_ref == window.context.ref).order_by(AuditEntry.sequence)))


def test_the_window_fills_in_when_the_events_arrive(app_window):
    context = app_window.context
    assert context.events_loaded and context.timeline.count > 0
    assert "reading the events" not in app_window.counts.text()
    assert f"{context.timeline.count:,} events" in app_window.counts.text()
    assert app_window.people.unresolved_model.rowCount() == len(context.unresolved) > 0


def test_assign_button_then_undo_action_run_in_workers(qtbot, app_window, monkeypatch):
    monkeypatch.setattr(people_module.AssignDialog, "exec", lambda dialog: (
        dialog.person.setCurrentIndex(dialog.person.findData("colleague")),
        QDialog.DialogCode.Accepted)[-1])
    panel = app_window.people
    panel.tabs.setCurrentIndex(1)
    row = next(r for r in range(panel.unresolved_model.rowCount())
               if "900999" in str(panel.unresolved_model.index(r, 0).data()))
    panel.unresolved.selectRow(row)
    before = audit_actions(app_window).count("identifier_assign")
    qtbot.mouseClick(panel.assign_button, Qt.MouseButton.LeftButton)
    idle(qtbot, app_window)
    assert audit_actions(app_window).count("identifier_assign") == before + 1
    assert app_window.context.undo_stack.undoText().startswith("Assign 07700 900999 to")
    assert not any("900999" in str(r["display"]) for r in app_window.context.unresolved)

    app_window.undo_action.trigger()
    idle(qtbot, app_window)
    assert app_window.statusBar().currentMessage().startswith("Undone: Assign 07700 900999")
    assert any("900999" in str(r["display"]) for r in app_window.context.unresolved)
    with app_window.context.store.reader() as session:
        ident = session.scalar(select(Identifier).where(Identifier.value.like("%900999")))
        assert ident.person_id is None


def test_review_button_then_undo_and_redo(qtbot, app_window, monkeypatch):
    monkeypatch.setattr(review_dialog.ReviewDialog, "exec", lambda dialog: (
        dialog.text.setPlainText("Checked against the duty log"), QDialog.DialogCode.Accepted)[-1])
    context = app_window.context
    marker = next(m for m in context.markers if m.status == "open")
    context.select_marker(marker.id)
    qtbot.mouseClick(app_window.markers.accept_button, Qt.MouseButton.LeftButton)
    idle(qtbot, app_window)
    assert context.marker(marker.id).status == "accepted"
    app_window.undo_action.trigger()
    idle(qtbot, app_window)
    assert context.marker(marker.id).status == "open"
    app_window.redo_action.trigger()
    idle(qtbot, app_window)
    assert context.marker(marker.id).status == "accepted"
    assert app_window.statusBar().currentMessage().startswith("Redone: Accept marker")


def test_a_command_refused_in_a_worker_is_shown_and_not_undoable(qtbot, app_window, monkeypatch):
    monkeypatch.setattr(people_module.AssignDialog, "exec", lambda dialog: (
        dialog.person.addItem("gone", "no_such_person"),
        dialog.person.setCurrentIndex(dialog.person.count() - 1),
        QDialog.DialogCode.Accepted)[-1])
    panel = app_window.people
    panel.tabs.setCurrentIndex(1)
    panel.unresolved.selectRow(0)
    count = app_window.context.undo_stack.count()
    qtbot.mouseClick(panel.assign_button, Qt.MouseButton.LeftButton)
    idle(qtbot, app_window)
    assert app_window.context.undo_stack.count() == count
    title, text = app_window.shown_warnings[-1]  # type: ignore[attr-defined]
    assert title == "Not done" and "no_such_person" in text


def test_search_box_finds_in_a_worker_and_shows_the_first_result(qtbot, app_window):
    context = app_window.context
    app_window.search_box.setText("Kerry")
    with qtbot.waitSignals([context.searchResults, app_window.details.shown], timeout=20_000):
        qtbot.keyClick(app_window.search_box, Qt.Key.Key_Return)
    assert context.search_results and context.selection.event == context.search_results[0]
    assert "Provenance" in app_window.details.text()  # the record, read in a worker
    texts = [app_window.search_results.model.index(r, 2).data()
             for r in range(app_window.search_results.model.rowCount())]
    assert any(texts)  # the snippets came with the results, not read row by row


def test_anonymising_reads_the_result_texts_again(qtbot, app_window):
    context = app_window.context
    app_window.search_box.setText("Kerry")
    with qtbot.waitSignal(context.searchResults, timeout=20_000):
        qtbot.keyClick(app_window.search_box, Qt.Key.Key_Return)
    app_window.anonymise_action.trigger()
    idle(qtbot, app_window)
    texts = " ".join(str(app_window.search_results.model.index(r, 2).data())
                     for r in range(app_window.search_results.model.rowCount()))
    assert "Kerry" not in texts


def test_the_window_opens_on_the_reference_alone_and_fills_in(qtbot, case_store, tmp_path):
    store, ref = case_store
    context = CaseContext(store, ref, background=True)
    assert context.case.ref == ref and not context.case.people  # nothing read on the GUI thread
    window = MainWindow(context, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    assert window.docks["markers"].widget() is None and context.busy  # its panels come in steps
    window.show()
    # An action used while the window fills in finds it whole (Accept with nothing chosen).
    accept = next(a for a in window.actions() if a.text() == "&Accept marker…")
    accept.trigger()
    assert window.docks["markers"].widget() is window.markers
    assert window.casework is not None and window.notes is not None
    with qtbot.waitSignal(context.loaded, timeout=20_000):
        pass
    qtbot.waitUntil(lambda: not context.busy, timeout=20_000)
    assert context.case.people and window.markers.model.rowCount() == len(context.markers) > 0


def test_presentation_mode_is_read_in_a_worker_then_opens(qtbot, app_window):
    window, context = app_window, app_window.context
    idle(qtbot, window)
    window.presentation_action.trigger()
    assert window.casework.presentation is None and context.busy  # reading, not frozen
    idle(qtbot, window)
    presentation = window.casework.presentation
    assert presentation is not None and presentation.isVisible()
    assert presentation.context.timeline.count == context.timeline.count
    presentation.close()
