"""A second user sees when the case changes under them, and can reload."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from ui.case_context import CaseContext
from ui.main_window import MainWindow
from workbench import audit, investigator
from workbench.ingest.pipeline import find_case


def test_a_change_by_another_user_is_offered_for_reload(qtbot, case_store, tmp_path, monkeypatch):
    store, ref = case_store
    window = MainWindow(CaseContext(store, ref),
                        QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    window._check_external_changes()
    assert not window.changed_elsewhere.isVisibleTo(window)
    monkeypatch.setattr(investigator, "current", lambda: "dc.other")  # a colleague's process
    with store.session() as session:
        audit.append(session, find_case(session, window.context.ref), "note", {"text": "x"})
    window._check_external_changes()
    assert window.changed_elsewhere.isVisibleTo(window)
    assert "Changed elsewhere (1)" in window.changed_elsewhere.text()
    assert "note by dc.other" in window.changed_elsewhere.toolTip()
    window.changed_elsewhere.click()
    assert not window.changed_elsewhere.isVisibleTo(window)
    window._check_external_changes()
    assert not window.changed_elsewhere.isVisibleTo(window)
