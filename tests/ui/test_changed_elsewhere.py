"""The app notices when the case changes elsewhere (even by the same OS user), and can reload.

The poll compares the case's audit sequence (a counter every write advances), runs in a
worker, and leaves out what this window's own store committed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QSettings
from sqlalchemy import select

from ui.case_context import CaseContext
from ui.main_window import MainWindow
from workbench import audit
from workbench.commands import AddDecision
from workbench.model import Marker
from workbench.store import open_store
from workbench.store.queries import find_case

ROOT = Path(__file__).resolve().parents[2]


def _window(qtbot, store, ref, tmp_path) -> MainWindow:
    window = MainWindow(CaseContext(store, ref),
                        QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    return window


def _check(qtbot, window: MainWindow) -> None:
    window._check_external_changes()
    qtbot.waitUntil(lambda: window._change_check.done, timeout=10_000)
    qtbot.wait(50)  # the result's signal reaches the GUI thread


def test_a_change_through_another_store_is_offered_for_reload(qtbot, case_store, tmp_path):
    store, ref = case_store
    window = _window(qtbot, store, ref, tmp_path)
    _check(qtbot, window)
    assert not window.changed_elsewhere.isVisibleTo(window)
    other = open_store(store.url)  # a second copy of the app: same OS user
    try:
        with other.session() as session:
            audit.append(session, find_case(session, ref), "note", {"text": "x"})
    finally:
        other.dispose()
    _check(qtbot, window)
    assert window.changed_elsewhere.isVisibleTo(window)
    assert "Changed elsewhere (1)" in window.changed_elsewhere.text()
    assert "note by " in window.changed_elsewhere.toolTip()
    window.changed_elsewhere.click()
    assert not window.changed_elsewhere.isVisibleTo(window)
    _check(qtbot, window)
    assert not window.changed_elsewhere.isVisibleTo(window)


def test_the_windows_own_changes_are_not_reported_as_elsewhere(qtbot, case_store, tmp_path):
    store, ref = case_store
    window = _window(qtbot, store, ref, tmp_path)
    from datetime import UTC, datetime

    window.context.execute(AddDecision(
        ref, decided_at=datetime(2024, 1, 2, tzinfo=UTC), decision_maker="DI Shaw",
        recorder="DS Brown", ndm_element="options", decision="d", rationale="r"))
    _check(qtbot, window)
    assert not window.changed_elsewhere.isVisibleTo(window)


def test_a_marker_review_from_the_cli_by_the_same_user_raises_the_notice(
        qtbot, case_store, tmp_path):
    store, ref = case_store
    window = _window(qtbot, store, ref, tmp_path)
    with store.reader() as session:
        marker_id = session.scalar(select(Marker.id).where(Marker.key == "m1"))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "WORKBENCH_HOME": str(tmp_path / "home")}
    done = subprocess.run(
        [sys.executable, "-m", "workbench", "--db", store.url, "marker", "review",
         str(marker_id), "--accept", "--reason", "seen on the CDR"],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    # The window's own timer (every 5 s) raises the notice: no manual check here.
    qtbot.waitUntil(lambda: window.changed_elsewhere.isVisibleTo(window), timeout=15_000)
    assert "review" in window.changed_elsewhere.toolTip()
