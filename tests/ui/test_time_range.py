"""One time range for every view: set once, followed everywhere, shown on a chip, undoable."""

from __future__ import annotations

from tests.ui.conftest import at
from ui.casework_docks import open_presentation
from ui.time_range import RangeDialog, range_text

MARCH_20_TO_23 = (int(at(20, 0).timestamp()), int(at(23, 0).timestamp()))


def test_range_reaches_every_view(qtbot, window):
    context = window.context
    context.search("Kerry")
    all_hits = len(context.search_results)
    for dock in ("map", "matrix"):
        window.views.docks[dock].raise_()
    window.views.docks["map"].raise_()
    QApplication_process()
    context.select_range(MARCH_20_TO_23)
    # Markers: the channel shift (20th), kisses and secrecy (22nd); not the 25th's look-up.
    assert window.markers.model.rowCount() == 3
    # Search: only the hits in the range.
    assert 0 < len(context.search_results) < all_hits
    assert "in the time range" in window.search_results.summary.text()
    # The chart, the map and the matrix.
    assert window.casework.chart.window == MARCH_20_TO_23
    assert window.views.map.view_filter().start == MARCH_20_TO_23[0]
    window.views.docks["matrix"].raise_()
    QApplication_process()
    qtbot.waitUntil(lambda: window.views.matrix.matrix is not None
                    and window.views.matrix.matrix.total == 7)  # counted in a worker
    # Presentation mode opens on the same range: slides of markers overlapping it only.
    presentation = open_presentation(window, context, full_screen=False)
    assert presentation.time_range == MARCH_20_TO_23
    assert all(m.start.timestamp() <= MARCH_20_TO_23[1] for m in presentation.deck.markers)
    presentation.close()


def test_chip_shows_and_clears_and_undo_brings_it_back(qtbot, window):
    context = window.context
    chip = window.views.range_chip
    assert not chip.shown()
    context.select_range(MARCH_20_TO_23)
    assert chip.shown()
    assert chip.text.text() == "20/03/2021 – 23/03/2021"
    chip.clear_button.click()
    assert context.selection.time_range is None and not chip.shown()
    assert window.markers.model.rowCount() == 4
    context.undo_stack.undo()
    assert context.selection.time_range == MARCH_20_TO_23 and chip.shown()
    context.undo_stack.undo()
    assert context.selection.time_range is None
    context.undo_stack.redo()
    assert context.selection.time_range == MARCH_20_TO_23


def test_date_range_dialog_sets_the_range(qtbot, window):
    dialog = RangeDialog(window.context, window)
    qtbot.addWidget(dialog)
    dialog.start.setDateTime(dialog.start.dateTime().fromSecsSinceEpoch(MARCH_20_TO_23[0]))
    dialog.end.setDateTime(dialog.end.dateTime().fromSecsSinceEpoch(MARCH_20_TO_23[1]))
    dialog.accept()
    assert window.context.selection.time_range == MARCH_20_TO_23
    assert window.views.range_action.shortcut().toString() == "Ctrl+Shift+T"


def test_markers_say_when_filters_empty_the_table(qtbot, window):
    markers = window.markers
    window.context.select_range((int(at(1, 0).timestamp()), int(at(2, 0).timestamp())))
    assert markers.model.rowCount() == 0
    assert "the time range" in markers.empty_note.text() and not markers.empty_note.isHidden()
    window.context.select_range(None)
    severity = markers.filters["severity"]
    severity.setCurrentIndex(severity.findData("low"))
    status = markers.filters["status"]
    status.setCurrentIndex(status.findData("dismissed"))
    assert markers.model.rowCount() == 0
    assert "these filters: 4 hidden" in markers.empty_note.text()
    assert markers.clear_button.isEnabled()
    markers.clear_button.click()
    assert markers.model.rowCount() == 4 and markers.empty_note.isHidden()


def test_range_text_shows_times_for_short_ranges():
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("Europe/London")
    assert range_text((int(at(20, 9).timestamp()), int(at(20, 17).timestamp())), tz) == \
        "20/03/2021 09:00 – 20/03/2021 17:00"


def QApplication_process() -> None:  # noqa: N802
    from PySide6.QtWidgets import QApplication

    for _ in range(3):
        QApplication.processEvents()
