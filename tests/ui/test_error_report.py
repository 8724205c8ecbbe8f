"""Issue #14.7: errors are logged to a private rotating file and shown to the user once."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from ui import error_report
from workbench.errors import WorkbenchError
from workbench.logs import configure_logging

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def log_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    handlers = list(logging.getLogger().handlers)
    yield configure_logging()
    for handler in logging.getLogger().handlers:
        if handler not in handlers:
            logging.getLogger().removeHandler(handler)
            handler.close()


def test_the_log_file_is_in_the_data_folder_and_private(log_file: Path, tmp_path: Path) -> None:
    logging.getLogger("workbench.test").info("opened case OP-TEST")
    assert log_file.parent.parent == tmp_path / "home"
    assert stat.S_IMODE(os.stat(log_file).st_mode) == 0o600
    assert "opened case OP-TEST" in log_file.read_text()


@pytest.mark.qt_no_exception_capture
@pytest.mark.parametrize(("error", "shown"), [
    (RuntimeError("slot fell over"), "Something went wrong (RuntimeError)"),
    (WorkbenchError("case OP-X: no such marker 9"), "Not done: case OP-X: no such marker 9"),
])
def test_an_exception_in_a_slot_is_logged_and_shown_once(qtbot, log_file, error, shown) -> None:
    reporter = error_report.install(log_file)
    try:
        button = QPushButton("Go")
        qtbot.addWidget(button)

        def fail() -> None:
            raise error

        button.clicked.connect(fail)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: reporter.box is not None and reporter.box.isVisible())
        assert reporter.box.text().startswith(shown)
        assert reporter.shown == [reporter.box.text()]
        text = log_file.read_text()
        assert "Traceback" in text and str(error) in text and "in fail" in text
        reporter.box.close()
    finally:
        error_report.uninstall()


def test_the_cli_logs_a_traceback_with_debug(tmp_path: Path) -> None:
    home = tmp_path / "home"
    done = subprocess.run(
        [sys.executable, "-m", "workbench", "--debug", "--db", f"sqlite:///{tmp_path / 'x.db'}",
         "case", "show", "OP-NONE"], capture_output=True, text=True, cwd=ROOT, timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT), "WORKBENCH_HOME": str(home),
             "WORKBENCH_EVIDENCE": str(tmp_path / "ev")})
    assert done.returncode == 1
    log = (home / "logs" / "workbench.log").read_text()
    assert "case refused" in log and "Traceback" in log and "OP-NONE" in log
