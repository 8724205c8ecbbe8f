"""Case work in the main window: docks, history lane, presentation action, snapshots."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from ui.case_context import CaseContext
from ui.casework_docks import install_casework, open_presentation, snapshot_casework
from ui.presentation_timeline import PresentationTimeline
from workbench.casework.intel import IntelFields, add_intel_report

EXPECTED = ("link_chart.png", "intel_panel.png", "decision_log.png", "enquiries_panel.png",
            "presentation_marker.png", "presentation_summary.png")


@pytest.fixture
def window(case_store, make_window, monkeypatch):
    store, ref = case_store
    monkeypatch.setattr(PresentationTimeline, "ANIMATION_MS", 0)
    from datetime import date

    add_intel_report(store, ref, IntelFields(urn="INT-1", submitted=date(2021, 3, 10),
                                             grading="2/B/P", text="Prior report."))
    context = CaseContext(store, ref)
    win = make_window(context=context, show=False)
    install_casework(win, context)
    win.casework.chart.runner.wait()
    return win


def test_install_adds_docks_lane_and_presentation(qtbot, window):
    casework = window.casework
    assert set(casework.docks) == {"chart", "intel", "decisions", "enquiries"}
    assert window.presentation_action.isEnabled()
    assert casework.history is not None and casework.history.parent() is window.centralWidget()
    items = casework.history.items()
    assert [(kind, ref) for _t, kind, ref, _f, _tip in items] == [("intel", "INT-1")]
    window.timeline.resize(1200, 400)
    x = casework.history.x_of(items[0][0])
    assert "INT-1" in (casework.history.item_at(x) or "")
    presentation = open_presentation(window, window.context, full_screen=False)
    assert casework.presentation is presentation and "ANONYMISED" in presentation.visible_text()
    qtbot.keyClick(presentation, Qt.Key.Key_Escape)
    assert casework.presentation is None


def test_snapshot_writes_each_casework_view(qtbot, window, tmp_path):
    written = snapshot_casework(window, window.context, tmp_path / "shots")
    assert [p.name for p in written] == list(EXPECTED)
    for path in written:
        image = QImage(str(path))
        assert not image.isNull() and image.width() > 600, path.name
        colours = {image.pixel(x, y) for x in range(0, image.width(), 41) for y in range(0, image.height(), 41)}
        assert len(colours) > 5, path.name  # a picture, not a blank frame
    assert QImage(str(tmp_path / "shots" / "presentation_summary.png")).size().toTuple() == (1920, 1080)
