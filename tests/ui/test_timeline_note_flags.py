"""#19: events and markers with a note, tag or bookmark carry a flag on the timeline."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from ui import theme
from ui.case_context import CaseContext
from ui.main_window import MainWindow
from ui.timeline.legend import NOTE_ENTRY, TimelineLegend
from ui.timeline.painter import Geometry


def flag_pixels_near(view, x: float, lane: int) -> int:
    """Pixels of the notes flag's colour within a few pixels of ``x`` at the top of ``lane``."""
    image = view.grab().toImage()
    geo = Geometry.of(view.width(), view.height(), len(view.data.lanes))
    top = geo.lane_y(lane, view.view.first_lane)
    note = theme.colours(theme.current())["note"]
    found = 0
    for px in range(int(x) - 2, int(x) + 10):
        for py in range(top, top + 8):
            colour = image.pixelColor(px, py)
            found += abs(colour.red() - note.red()) + abs(colour.green() - note.green()) \
                + abs(colour.blue() - note.blue()) < 40
    return found


def test_a_note_added_in_the_notes_dock_flags_the_event_without_reloading(qtbot, window):
    context, view, notes = window.context, window.timeline, window.notes
    data = context.timeline
    times = data.times
    position = int(data.lane_bounds[0])  # the first event of the first lane
    event_id = int(data.event_id[position])
    moment = float(data.times[position])
    view.show_range(moment - 86_400, moment + 86_400)
    x = float(view.painter.x_of(moment, view.view, view.geometry_now()))
    assert position not in data.noted_events and flag_pixels_near(view, x, 0) == 0

    context.select_event(event_id)
    notes.editor.setPlainText("Ask the witness about this call")
    with qtbot.waitSignal(context.notesChanged):
        qtbot.mouseClick(notes.add_button, Qt.MouseButton.LeftButton)
    assert context.timeline is data and data.times is times  # the events were not read again
    assert list(data.noted_events) == [position]
    QApplication.processEvents()
    assert flag_pixels_near(view, x, 0) > 5

    qtbot.mouseClick(notes.bookmark_button, Qt.MouseButton.LeftButton)  # a second mark, one flag
    assert list(data.noted_events) == [position]


def test_a_bookmarked_marker_is_flagged_and_unflagged(qtbot, window):
    context, notes = window.context, window.notes
    data = context.timeline
    marker = data.markers[0].id
    context.select_marker(marker)
    with qtbot.waitSignal(context.notesChanged):
        qtbot.mouseClick(notes.bookmark_button, Qt.MouseButton.LeftButton)
    assert data.noted_markers == {marker} and data.noted_events.size == 0
    with qtbot.waitSignal(context.notesChanged):
        qtbot.mouseClick(notes.bookmark_button, Qt.MouseButton.LeftButton)  # off again
    assert data.noted_markers == frozenset()


def test_flags_are_loaded_with_the_case_and_in_the_key(window, case_store):
    store, ref = case_store
    context = window.context
    context.select_event(int(context.timeline.event_id[3]))
    window.notes.editor.setPlainText("Key evidence")
    window.notes.add_button.click()
    fresh = CaseContext(store, ref)  # another session opens the case
    assert list(fresh.timeline.noted_events) == [3]
    assert np.array_equal(fresh.timeline.event_id, context.timeline.event_id)
    key = window.findChild(TimelineLegend)
    assert NOTE_ENTRY in key.entries()


def test_in_the_apps_background_context_the_flag_follows_too(qtbot, case_store, tmp_path):
    store, ref = case_store
    context = CaseContext(store, ref, background=True)  # as `workbench gui` opens a case
    win = MainWindow(context, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    with qtbot.waitSignal(context.loaded, timeout=20_000):
        win.show()
    qtbot.waitUntil(lambda: not context.busy, timeout=20_000)  # the window filled in
    data = context.timeline
    context.select_event(int(data.event_id[0]))
    win.notes.editor.setPlainText("Check the duty log")
    with qtbot.waitSignal(context.notesChanged, timeout=20_000):  # read in a worker
        qtbot.mouseClick(win.notes.add_button, Qt.MouseButton.LeftButton)
    assert list(context.timeline.noted_events) == [0] and context.timeline is data
    qtbot.waitUntil(lambda: not context.busy, timeout=20_000)
