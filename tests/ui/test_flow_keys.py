"""The chart and timeline keys flow onto more rows in a narrow window; nothing is clipped."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QDockWidget, QVBoxLayout, QWidget

from graphs.style import NODE_STYLES, SEVERITY_STYLES
from ui.link_chart.legend import NEUTRAL_LABELS, ChartLegend
from ui.timeline.legend import TimelineLegend

CUSTOM_KINDS = {f"imported_kind_{n}" for n in range(6)}  # kinds an importer added later


def assert_flows_inside(key, width: int) -> None:
    rects = [rect for _entry, rect in key.entry_rects()]
    assert len(rects) == len(key.entries())
    assert all(rect.right() <= width for rect in rects), "an entry is clipped on the right"
    rows = {int(rect.top()) for rect in rects}
    assert key.height() >= len(rows) * key.ROW
    assert all(rect.bottom() <= key.height() for rect in rects), "an entry is below the key"


def painted_rows(key) -> set[int]:
    """The rows of the key that have any paint on them."""
    image = key.grab().toImage()
    background = image.pixelColor(1, 1)
    rows = set()
    for y in range(0, image.height(), 2):
        if any(image.pixelColor(x, y) != background for x in range(0, image.width(), 3)):
            rows.add(int(y // key.ROW))
    return rows


def test_chart_key_with_every_symbol_wraps_and_shows_each(qtbot):
    holder = QWidget()
    layout = QVBoxLayout(holder)
    legend = ChartLegend()
    layout.addWidget(legend)
    layout.addStretch()
    qtbot.addWidget(holder)
    holder.resize(520, 300)
    holder.show()
    qtbot.waitExposed(holder)
    legend.set_in_use(set(NODE_STYLES) | CUSTOM_KINDS, set(SEVERITY_STYLES), set(NEUTRAL_LABELS), True)
    QApplication.processEvents()
    entries = legend.entries()
    assert len(entries) == len(NODE_STYLES) + len(CUSTOM_KINDS) + len(SEVERITY_STYLES) + len(NEUTRAL_LABELS) + 1
    assert "Imported kind 0" in entries  # a later kind is named, not called "Other"
    assert legend.one_row_width() > legend.width()
    assert_flows_inside(legend, legend.width())
    rows = {int(rect.top() // legend.ROW) for _entry, rect in legend.entry_rects()}
    assert len(rows) >= 3 and painted_rows(legend) == rows
    holder.resize(legend.one_row_width() + 40, 300)
    qtbot.waitUntil(lambda: legend.height() == int(legend.ROW))
    assert_flows_inside(legend, legend.width())


def test_keys_in_a_narrow_window_wrap_inside_it(qtbot, window):
    window.views.chart_main_action.trigger()  # the chart as the main view, with its key
    chart = window.casework.chart
    chart.refresh(sync=True)
    QApplication.processEvents()
    timeline_key = window.findChild(TimelineLegend)
    assert timeline_key is not None and timeline_key.isVisible()
    for dock in window.findChildren(QDockWidget):  # as an analyst on a small screen would
        if dock.isVisible():
            dock.toggleViewAction().trigger()
    QApplication.processEvents()
    window.resize(QSize(640, 700))  # as narrow as the window goes
    qtbot.waitUntil(lambda: chart.legend.width() < chart.legend.one_row_width())
    QApplication.processEvents()
    for key in (chart.legend, timeline_key):
        qtbot.waitUntil(lambda key=key: key.height() == key.heightForWidth(key.width()))
        assert key.height() > key.ROW  # more than one row at this width
        assert_flows_inside(key, key.width())
        assert key.geometry().right() <= key.parentWidget().width()
    assert chart.legend.palette().windowText().color() != QColor()
