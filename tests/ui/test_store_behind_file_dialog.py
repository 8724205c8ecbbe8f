"""Issue #14.1 in the app: a file dialog showing the store's folder, then the CLI, then a write.

Qt's non-native dialog reads the files it lists (type sniffing, icons); before the store
held its own locks, that dropped the app's SQLite locks and the CLI deleted its WAL.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QFileSystemModel

from ui.case_context import CaseContext
from ui.main_window import MainWindow
from workbench.casework.decisions import list_decisions
from workbench.commands import AddDecision
from workbench.store import open_store

ROOT = Path(__file__).resolve().parents[2]


def _cli(url: str, *args: str, home: Path) -> str:
    done = subprocess.run([sys.executable, "-m", "workbench", "--db", url, *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "WORKBENCH_HOME": str(home)})
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_decision_after_the_file_dialog_and_the_cli_is_kept(qtbot, case_store, tmp_path):
    store, ref = case_store
    database = Path(store.engine.url.database)
    window = MainWindow(CaseContext(store, ref),
                        QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    decide = dict(decided_at=datetime(2024, 1, 2, tzinfo=UTC), decision_maker="DI Shaw",
                  recorder="DS Brown", ndm_element="options", rationale="r")
    window.context.execute(AddDecision(ref, decision="before the dialog", **decide))

    dialog = QFileDialog(window, "Choose evidence files", str(database.parent))
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    model = dialog.findChild(QFileSystemModel)
    with qtbot.waitSignal(model.directoryLoaded, timeout=10_000):
        dialog.show()
    dialog.selectFile(str(database))
    qtbot.wait(300)  # let it read what it shows
    for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        with open(path, "rb") as handle:  # and as a preview or a hash would
            handle.read(100)
    dialog.reject()

    _cli(store.url, "case", "list", home=tmp_path / "home")  # the user's terminal
    command = AddDecision(ref, decision="after the CLI", **decide)
    window.context.execute(command)
    assert command.entry is not None and command.entry.sequence == 2
    assert Path(f"{database}-wal").exists()
    window.close()

    other = open_store(store.url)  # what any other process sees, then a fresh start
    try:
        assert [d.decision for d in list_decisions(other, ref)] == [
            "before the dialog", "after the CLI"]
    finally:
        other.dispose()
