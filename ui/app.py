"""Starting the desktop app: ``workbench gui [REF] [--snapshot DIR]``."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from ui import error_report, theme
from ui.case_context import CaseContext
from ui.main_window import APP_NAME, MainWindow, icon
from ui.profile_dialog import ensure_profile
from ui.start_dialog import StartDialog
from workbench import worker_process
from workbench.logs import configure_logging
from workbench.overview import case_exists
from workbench.store import Store, open_store

SWITCH_INTERVAL_S = 0.0005


def application() -> QApplication:
    """The one QApplication, created with high-DPI scaling that follows the desktop."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    # A worker thread holding the interpreter lock makes each call from Qt into Python
    # (a paint, a model's cell) wait up to this long: 5 ms by default, felt as lag.
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("investigator-workbench")
    app.setWindowIcon(icon("app"))
    # The modules loaded by now live as long as the app: out of the garbage collector's
    # full passes from the start, so that one set off while the window is still being
    # built (by a worker's allocations) does not walk them all (90 ms).
    gc.freeze()
    return app


def open_window(store: Store, ref: str, settings: QSettings) -> MainWindow:
    window = MainWindow(CaseContext(store, ref, background=True), settings)
    settings.setValue("last_case", ref)
    return window


def run(db: str | None = None, ref: str | None = None, snapshot: str | None = None) -> int:
    """Open the app on ``ref`` (or the last case, or the case list); 0 when it closes."""
    app = application()
    error_report.install(configure_logging())
    store = open_store(db)
    try:
        return _run(app, store, ref, snapshot)
    finally:
        worker_process.stop()  # reads only: nothing to finish
        store.dispose()  # the hooks stay: an error while Python shuts down is logged too


def _run(app: QApplication, store: Store, ref: str | None, snapshot: str | None) -> int:
    if snapshot:
        from ui.snapshot import write_snapshots

        written = write_snapshots(store, ref, Path(snapshot))
        for path in written:
            print(path)
        return 0
    settings = QSettings("investigator-workbench", "workbench")
    chosen_theme = str(settings.value("theme", "light"))
    theme.apply(app, chosen_theme if chosen_theme in theme.THEMES else "light")
    if not ensure_profile():  # every write names the investigator: ask once, first
        return 0
    ref = ref or (str(settings.value("last_case")) if settings.value("last_case") else None)
    if ref is None or not case_exists(store, ref):
        start = StartDialog(store)
        if start.exec() != StartDialog.DialogCode.Accepted or not start.chosen:
            return 0
        ref = start.chosen
    window = open_window(store, ref, settings)
    window.show()
    return app.exec()
