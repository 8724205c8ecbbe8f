"""Walking the main window as a user: the window opened as the app or a script opens it,
its dialogs and message boxes answered, and a wait for it to become idle after an action."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QInputDialog,
    QMenu,
    QMessageBox,
    QToolBar,
)
from sqlalchemy import select

from tests.workbench.tiny_mbtiles import make_mbtiles
from ui import people_panel as people_module
from ui import review_dialog
from ui.app import open_window
from ui.case_context import CaseContext
from ui.main_window import MainWindow
from ui.presentation_timeline import PresentationTimeline
from workbench.model import AuditEntry

BILLING = """date,time,calling number,called number,direction,duration
01/04/2021,10:00:00,07700900101,07700900201,outgoing,65
01/04/2021,18:30:00,07700900201,07700900101,incoming,12
"""


def plain(text: str) -> str:
    return text.replace("&", "").replace("…", "").strip()


class Walk:
    """The window under test, its dialogs answered, and what the actions did."""

    def __init__(self, qtbot, window: MainWindow, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        self.qtbot, self.window, self.tmp_path = qtbot, window, tmp_path
        self.context = window.context
        self.shown: list[tuple[str, str]] = []  # message boxes: (title, text)
        self.save_as = tmp_path / "out.pdf"
        self.open_files: list[str] = []
        self.answer = "Entered by mistake"
        self.messages: list[str] = []  # the status bar's, in order
        window.statusBar().messageChanged.connect(lambda text: self.messages.append(text))
        monkeypatch.setattr(QFileDialog, "getSaveFileName",
                            lambda *_a, **_k: (str(self.save_as), ""))
        monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *_a, **_k: (self.open_files, ""))
        self.basemap = make_mbtiles(tmp_path / "basemap.mbtiles", (53.8008, -1.5491), range(14, 15), 1)
        monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(self.basemap), ""))
        monkeypatch.setattr(QInputDialog, "getText", lambda *_a, **_k: (self.answer, True))
        for kind in ("information", "warning", "critical"):
            monkeypatch.setattr(QMessageBox, kind, self._message)

    def _message(self, _parent, title, text, *_rest):  # type: ignore[no-untyped-def]
        self.shown.append((title, text))
        return QMessageBox.StandardButton.Ok

    def assert_nothing_failed(self) -> None:
        """No action refused, failed or read in vain on the way (a worker says so only on
        the status bar or in a message box, which a check of the effect alone can miss)."""
        warned = [(title, text) for title, text in self.shown if title != "Keyboard shortcuts"]
        failed = [m for m in self.messages if m.startswith(("Not done", "Could not"))
                  or " failed" in m]
        assert not warned and not failed, (warned, failed)

    def audit_actions(self) -> list[str]:
        with self.context.store.reader() as session:
            return list(session.scalars(select(AuditEntry.action)
                                        .where(AuditEntry.case_ref == self.context.ref)
                                        .order_by(AuditEntry.sequence)))

    def new_dialog(self, kind: type[QDialog]) -> QDialog:
        found = [d for d in self.window.findChildren(kind) if d.isVisible()]
        assert found, f"no {kind.__name__} opened"
        return found[-1]

    def settle(self) -> None:
        """Wait as a user waits for the status bar: until the window's job (an analysis, an
        export) has ended and its progress bar gone, and the case's reads and commands have
        landed (the job's end may read the case again: both are asked at once)."""
        self.qtbot.waitUntil(lambda: self.window.progress.isHidden() and not self.context.busy,
                             timeout=60_000)


def open_walk(background: bool, qtbot, case_store, tmp_path, monkeypatch,  # type: ignore[no-untyped-def]
              *, wait_for_events: bool = True):
    """A shown main window on the OP-WILLOW case, its dialogs answered: as ``workbench gui``
    opens it (``background``: read and written in workers) or over a direct context;
    once its events are in unless told not to wait. Closes it after, and gives the
    application back the theme it had (the walk switches Dark theme on and off)."""
    store, ref = case_store
    app = QApplication.instance()
    theme = (app.palette(), app.styleSheet(), app.property("workbench_theme"))
    monkeypatch.setattr(PresentationTimeline, "ANIMATION_MS", 0)
    monkeypatch.setattr(review_dialog.ReviewDialog, "exec", accept_review)
    monkeypatch.setattr(people_module.AssignDialog, "exec", accept_first_person)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = (open_window(store, ref, settings) if background
              else MainWindow(CaseContext(store, ref), settings))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    walk = Walk(qtbot, window, tmp_path, monkeypatch)
    if wait_for_events:
        qtbot.waitUntil(lambda: window.context.events_loaded, timeout=60_000)
        walk.settle()
        window.casework.chart.runner.wait()
    yield walk
    window.runner.wait()
    window.casework.chart.runner.wait()
    for dialog in window.findChildren(QDialog):
        dialog.close()
    window.close()
    app.setPalette(theme[0])
    app.setStyleSheet(theme[1])
    app.setProperty("workbench_theme", theme[2])


def accept_review(dialog) -> int:  # type: ignore[no-untyped-def]
    dialog.text.setPlainText("Checked against the duty log")
    return QDialog.DialogCode.Accepted


def accept_first_person(dialog) -> int:  # type: ignore[no-untyped-def]
    dialog.person.setCurrentIndex(dialog.person.findData("colleague"))
    return QDialog.DialogCode.Accepted


def every_action(window: MainWindow) -> list[QAction]:
    """The menus' and toolbars' actions, each once, in menu order."""
    found: list[QAction] = []

    def walk_menu(menu: QMenu) -> None:
        for action in menu.actions():
            if action.menu():
                walk_menu(action.menu())
            elif not action.isSeparator() and action not in found:
                found.append(action)

    for top in window.menuBar().actions():
        walk_menu(top.menu())
    for bar in window.findChildren(QToolBar):
        found += [a for a in bar.actions() if a.text() and not a.isSeparator() and a not in found]
    return found


def select_unattributed(walk: Walk, digits: str) -> None:
    """Select the unattributed identifier ending in ``digits`` in the People dock."""
    panel = walk.window.people
    panel.tabs.setCurrentIndex(1)
    panel.unresolved.selectRow(next(
        r for r in range(panel.unresolved_model.rowCount())
        if digits in str(panel.unresolved_model.index(r, 0).data())))


def raise_watch_alert(walk: Walk) -> None:
    """A watched number in a newly imported exhibit: an alert for whoever is at the keyboard."""
    from datetime import date

    from workbench.ingest.pipeline import import_file
    from workbench.shared import watchlist

    store = walk.context.store
    with store.session() as session:
        watchlist.add(session, "phone", "07700 900201", "intelligence", date(2027, 6, 1))
    raised = len(list(walk.tmp_path.glob("watched-*.csv")))  # each file new: not a re-import
    billing = walk.tmp_path / f"watched-{raised}.csv"
    billing.write_text(BILLING.replace("10:00:00", f"10:{raised:02d}:00"))
    import_file(store, walk.context.ref, billing)
    panel = walk.window.shared.alerts
    waiting = len(watchlist.my_open_alerts(store))  # what the panel must come to show
    panel.runner.wait()
    panel.refresh()
    walk.qtbot.waitUntil(lambda: panel.count() == waiting > 0, timeout=20_000)
