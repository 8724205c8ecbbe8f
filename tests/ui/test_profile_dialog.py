"""The first-run dialog sets the investigator's profile, once per OS account."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from ui.profile_dialog import ProfileDialog, ensure_profile
from workbench import investigator


@pytest.fixture
def fresh_account(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("WORKBENCH_CONFIG", str(tmp_path / "config"))
    return tmp_path / "config"


def test_the_dialog_saves_rank_number_and_name(qtbot, fresh_account: Path) -> None:
    assert investigator.profile() is None
    dialog = ProfileDialog()
    qtbot.addWidget(dialog)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert not save.isEnabled()
    qtbot.keyClicks(dialog.rank, "DS")
    qtbot.keyClicks(dialog.number, "4120")
    assert not save.isEnabled()  # no name yet
    qtbot.keyClicks(dialog.name, "Jane Brown")
    assert save.isEnabled()
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert dialog.result() == ProfileDialog.DialogCode.Accepted
    assert investigator.current() == "DS 4120 Jane Brown"
    assert ensure_profile()  # set once: not asked again


def test_cancelling_sets_nothing(qtbot, fresh_account: Path) -> None:
    dialog = ProfileDialog()
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.rank, "DS")
    dialog.reject()
    assert investigator.profile() is None
