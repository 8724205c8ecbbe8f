"""The app's window (``workbench gui``: the case read and written in workers) used as a user
uses it, without always waiting for the status bar: while its events are still being read,
and with a newer request made while an older one is under way."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QApplication, QDialog

from tests.ui.walking import (
    Walk,
    every_action,
    open_walk,
    plain,
    raise_watch_alert,
    select_unattributed,
)


@pytest.fixture
def app_walk(qtbot, case_store, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """The app's own window only: what is about its workers."""
    yield from open_walk(True, qtbot, case_store, tmp_path, monkeypatch)


def test_a_review_straight_after_an_assignment_leaves_neither_unread(app_walk, monkeypatch):
    """Assign an identifier, then accept a marker while the case is still being read again
    (at a million events that read takes seconds): both show once the window is idle."""
    walk, context = app_walk, app_walk.context
    released = threading.Event()
    _hold_the_events(monkeypatch, released)  # the assignment's read of the events
    select_unattributed(walk, "900999")
    marker = next(m for m in context.markers if m.status == "open")
    walk.qtbot.mouseClick(walk.window.people.assign_button, Qt.MouseButton.LeftButton)
    context.select_marker(marker.id)
    walk.qtbot.mouseClick(walk.window.markers.accept_button, Qt.MouseButton.LeftButton)
    _release_once_both_are_done(walk, released, commands=2)
    walk.settle()
    assert context.marker(marker.id).status == "accepted"
    assert not any("900999" in str(r["display"]) for r in context.unresolved)


def _hold_the_events(monkeypatch, until: threading.Event) -> None:  # type: ignore[no-untyped-def]
    """The app's reads of the events (the first, and after a command that touched them) wait
    in their worker thread until ``until`` is set: as on a big case, where they take
    seconds, but certain. A cancelled read stops waiting."""
    from ui import case_context
    from workbench import session

    read_case = session.read_case

    def held(*args, **worker):  # type: ignore[no-untyped-def]
        if "cancel" in worker and worker.get("events", True):  # in a worker, with the events
            while not until.wait(0.01):
                worker["cancel"].check()
        return read_case(*args, **worker)

    for module in (case_context, session):  # the first read, and read_part's
        monkeypatch.setattr(module, "read_case", held)


def _release_once_both_are_done(walk: Walk, release: threading.Event, commands: int) -> None:
    """Let the held read of the events go on once ``commands`` commands are on the undo
    stack (done, and whatever they read again asked for): the order a slow read meets."""
    walk.qtbot.waitUntil(lambda: walk.context.undo_stack.count() == commands, timeout=20_000)
    release.set()


@pytest.fixture
def loading_walk(qtbot, case_store, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """The app's window with its events' first read held until ``walk.release`` is set."""
    release = threading.Event()
    _hold_the_events(monkeypatch, release)
    opened = open_walk(True, qtbot, case_store, tmp_path, monkeypatch, wait_for_events=False)
    walk = next(opened)
    walk.release = release  # type: ignore[attr-defined]
    # What the window shows before the events: the case, its people and markers, and every
    # dock (built one per turn of the event loop).
    qtbot.waitUntil(lambda: bool(walk.context.case.people) and hasattr(walk.window, "shared"),
                    timeout=20_000)
    QApplication.processEvents()
    yield walk
    release.set()
    for _ in opened:  # closes the window
        pass


def test_every_action_while_the_events_are_read_then_the_window_fills_in(loading_walk):
    """The app's window opens before its events are read, and a user may use it at once:
    no action fails for want of them, and they still arrive."""
    walk = loading_walk
    window = walk.window
    for action in [a for a in every_action(window) if plain(a.text()) != "Quit"]:
        assert not walk.context.events_loaded
        action.trigger()
        if action.isCheckable():
            action.trigger()  # and back
        QApplication.processEvents()
        for dialog in [d for d in window.findChildren(QDialog) if d.isVisible()]:
            dialog.close()
        if window.casework.presentation is not None:
            window.casework.presentation.close()
        walk.assert_nothing_failed()
    walk.release.set()
    walk.qtbot.waitUntil(lambda: walk.context.events_loaded, timeout=60_000)
    walk.settle()
    walk.assert_nothing_failed()
    assert f"{walk.context.timeline.count:,} events" in window.counts.text()
    assert window.people.unresolved_model.rowCount() == len(walk.context.unresolved) > 0
    presentation = window.casework.presentation  # F5 was pressed: it opens once all is read
    assert presentation is not None and presentation.isVisible()
    presentation.close()


def test_a_review_while_the_events_are_read_leaves_them_to_arrive(loading_walk, monkeypatch):
    """At a million events the first read takes seconds, and the markers are listed before
    it ends: a user may review one at once. The events must still arrive."""
    walk, context = loading_walk, loading_walk.context
    marker = next(m for m in context.markers if m.status == "open")
    context.select_marker(marker.id)
    walk.qtbot.mouseClick(walk.window.markers.accept_button, Qt.MouseButton.LeftButton)
    _release_once_both_are_done(walk, walk.release, commands=1)
    walk.settle()
    assert context.marker(marker.id).status == "accepted"
    assert context.events_loaded and context.timeline.count > 0
    assert "reading the events" not in walk.window.counts.text()


class OlderLandsLast:
    """``module.name``'s first call, once worked out (``computed``), is handed back only
    after a newer result is shown (``newer_shown``): the order in which an older read,
    past its last cancel check, meets a quicker newer one. ``calls``: their keywords."""

    def __init__(self, monkeypatch, module, name: str) -> None:  # type: ignore[no-untyped-def]
        from workbench import worker_process

        # The app's heavy reads run in its worker thread, not a worker process, so that they
        # can be held here (the order of results is the same either way).
        monkeypatch.setattr(worker_process, "shareable", lambda _store: False)
        real = getattr(module, name)
        self.calls: list[dict[str, object]] = []
        self.computed, self.newer_shown = threading.Event(), threading.Event()

        def held(*args, **kwargs):  # type: ignore[no-untyped-def]
            self.calls.append(kwargs)
            result = real(*args, **kwargs)
            if len(self.calls) == 1:
                self.computed.set()
                self.newer_shown.wait(10)  # a bound, so that another design cannot hang the test
            return result

        monkeypatch.setattr(module, name, held)

    def landed(self, qtbot) -> None:  # type: ignore[no-untyped-def]
        """Wait until the newer result is shown, then take in whatever the older brings."""
        qtbot.waitUntil(self.newer_shown.is_set, timeout=20_000)
        QThreadPool.globalInstance().waitForDone()
        QApplication.processEvents()


def test_the_matrix_shows_the_range_chosen_last(app_walk, monkeypatch):
    """Set a time range, then clear it with the chip's ✕ while the first count is under way:
    the matrix counts the whole case, not the range that is gone."""
    from tests.ui.conftest import at
    from ui import matrix_panel
    from ui.time_range import RangeDialog

    walk, window = app_walk, app_walk.window
    panel, dock = window.views.matrix, window.views.docks["matrix"]
    dock.show()
    dock.raise_()
    walk.qtbot.waitUntil(lambda: panel.matrix is not None and not panel.runner.running)
    QApplication.processEvents()
    whole = panel.matrix.total
    order = OlderLandsLast(monkeypatch, matrix_panel, "case_activity_matrix")
    panel.counted.connect(order.newer_shown.set)
    window.views.range_action.trigger()
    dialog = walk.new_dialog(RangeDialog)
    dialog.start.setDateTime(dialog.start.dateTime().fromSecsSinceEpoch(int(at(20, 0).timestamp())))
    dialog.end.setDateTime(dialog.end.dateTime().fromSecsSinceEpoch(int(at(21, 23).timestamp())))
    dialog.accept()
    walk.qtbot.waitUntil(order.computed.is_set, timeout=20_000)
    walk.qtbot.mouseClick(window.views.range_chip.clear_button, Qt.MouseButton.LeftButton)
    order.landed(walk.qtbot)
    assert [c["start"] is None for c in order.calls] == [False, True]  # the order this is about
    assert walk.context.selection.time_range is None
    assert panel.matrix.total == whole > 3
    assert f"{whole} contact(s)" in panel.summary.text()


def test_the_chart_shows_the_range_chosen_last(app_walk, monkeypatch):
    """As the matrix: a chart built for a range that was cleared meanwhile is not shown."""
    from tests.ui.conftest import at
    from ui.link_chart import panel as chart_module

    walk, window = app_walk, app_walk.window
    chart, dock = window.casework.chart, window.casework.docks["chart"]
    dock.show()
    dock.raise_()
    walk.qtbot.waitUntil(lambda: chart.chart is not None and not chart.runner.running)
    QApplication.processEvents()
    whole = set(chart.chart.graph.nodes)
    order = OlderLandsLast(monkeypatch, chart_module, "prepare_chart")
    chart.loaded.connect(order.newer_shown.set)
    walk.context.select_range((int(at(20, 0).timestamp()), int(at(21, 23).timestamp())))
    walk.qtbot.waitUntil(order.computed.is_set, timeout=20_000)
    walk.qtbot.mouseClick(window.views.range_chip.clear_button, Qt.MouseButton.LeftButton)
    order.landed(walk.qtbot)
    assert [c["start"] is None for c in order.calls] == [False, True]  # the order this is about
    assert set(chart.chart.graph.nodes) == whole


def test_the_map_shows_the_range_chosen_last(app_walk, monkeypatch):
    """As the matrix: a map read for a range that was cleared meanwhile is not shown."""
    from tests.ui.conftest import at
    from tests.workbench.case_builder import add_events
    from ui import map_panel

    walk, window = app_walk, app_walk.window
    add_events(walk.context.store, walk.context.ref, [  # two vehicle stops, imported elsewhere
        {"at": at(day, 9), "kind": "vehicle_stop", "sender": ("vehicle", "YX21 ABC"),
         "lat": 53.8008, "lon": -1.5487, "duration": 1200} for day in (3, 6)], exhibit="TX/1")
    walk.window.changed_elsewhere.click()  # read again, as the status-bar button does
    walk.settle()
    panel, dock = window.views.map, window.views.docks["map"]
    dock.show()
    dock.raise_()
    walk.qtbot.waitUntil(lambda: panel.data is not None and not panel.runner.running)
    QApplication.processEvents()
    whole = len(panel.data.points)
    order = OlderLandsLast(monkeypatch, map_panel, "screen_map")
    panel.loaded.connect(order.newer_shown.set)
    walk.context.select_range((int(at(5, 0).timestamp()), int(at(7, 0).timestamp())))
    walk.qtbot.waitUntil(order.computed.is_set, timeout=20_000)
    walk.qtbot.mouseClick(window.views.range_chip.clear_button, Qt.MouseButton.LeftButton)
    order.landed(walk.qtbot)
    assert [c["view"].start is None for c in order.calls] == [False, True]  # the order this is about
    assert len(panel.data.points) == whole == 2


def test_undo_after_a_review_then_an_enquiry_edit_undoes_the_edit(app_walk):
    """Accept a marker, then, while it is being saved, set a line of enquiry in progress:
    Undo undoes the last thing done, the enquiry edit."""
    walk, context = app_walk, app_walk.context
    marker = next(m for m in context.markers if m.status == "open")
    context.select_marker(marker.id)
    walk.qtbot.mouseClick(walk.window.markers.accept_button, Qt.MouseButton.LeftButton)
    model = walk.window.casework.enquiries.model
    assert model.setData(model.index(0, 1), "in_progress")  # as its status drop-down does
    walk.settle()
    walk.window.undo_action.trigger()
    walk.settle()
    assert walk.window.statusBar().currentMessage().startswith("Undone: Update line of enquiry")
    assert context.marker(marker.id).status == "accepted"


def test_an_acknowledged_alert_stays_gone_when_an_older_look_up_lands(app_walk, monkeypatch):
    """The app reads the case again after every change, and each read looks for alerts:
    acknowledging one while such a look-up is under way must not bring it back."""
    from workbench.shared import watchlist

    walk, window = app_walk, app_walk.window
    raise_watch_alert(walk)
    panel = window.shared.alerts
    waiting = panel.count()
    order = OlderLandsLast(monkeypatch, watchlist, "my_open_alerts")
    marker = next(m for m in walk.context.markers if m.status == "open")
    walk.context.select_marker(marker.id)  # a review: the case is read again, alerts looked for
    walk.qtbot.mouseClick(window.markers.accept_button, Qt.MouseButton.LeftButton)
    walk.settle()
    walk.qtbot.waitUntil(order.computed.is_set, timeout=20_000)
    window.shared.docks["alerts"].show()
    window.shared.docks["alerts"].raise_()
    panel.list.setCurrentItem(panel.list.topLevelItem(0))
    walk.qtbot.mouseClick(panel.acknowledge_button, Qt.MouseButton.LeftButton)
    assert panel.count() == waiting - 1
    order.newer_shown.set()  # the acknowledgement is shown: the older look-up may land
    order.landed(walk.qtbot)
    assert len(order.calls) >= 1  # the order this test is about
    assert panel.count() == waiting - 1


def test_an_export_asked_for_during_an_analysis_shows_its_progress(app_walk, monkeypatch):
    """Analyse, then Export while the analysis runs: once the analysis has ended, the export
    still running shows its progress bar and its Cancel button, and then writes the bundle."""
    from workbench.bundle import export as bundle_export

    walk, window = app_walk, app_walk.window
    real, release = bundle_export.export_bundle, threading.Event()

    def held(*args, **kwargs):  # type: ignore[no-untyped-def]
        for _ in range(2000):  # until the test lets it go (bounded: another design cannot hang)
            if release.wait(0.01):
                break
        return real(*args, **kwargs)

    monkeypatch.setattr(bundle_export, "export_bundle", held)
    walk.save_as = walk.tmp_path / "during-analysis.pdf"
    window.analyse_action.trigger()
    window.export_action.trigger()
    walk.qtbot.waitUntil(lambda: any(m.startswith("Analysis: ") for m in walk.messages),
                         timeout=60_000)
    walk.qtbot.waitUntil(lambda: not walk.context.busy, timeout=60_000)
    try:
        assert window.runner.running  # the export, held: the order this test is about
        assert not window.progress.isHidden() and not window.cancel_button.isHidden()
    finally:
        release.set()
    walk.settle()
    assert walk.save_as.exists()


def test_presentation_mode_straight_after_a_review_presents_it(app_walk, monkeypatch):
    """Accept a marker and press F5 while the acceptance is still being saved (at a million
    events a command takes a second): the conference sees the marker just accepted."""
    from workbench.commands import ReviewMarker

    walk, context = app_walk, app_walk.context
    do, pressed = ReviewMarker.do, threading.Event()

    def saved_after_f5(command, store):  # type: ignore[no-untyped-def]
        pressed.wait(10)  # a bound, so that another design cannot hang the test
        do(command, store)

    monkeypatch.setattr(ReviewMarker, "do", saved_after_f5)
    marker = next(m for m in context.markers if m.status == "open")
    context.select_marker(marker.id)
    walk.qtbot.mouseClick(walk.window.markers.accept_button, Qt.MouseButton.LeftButton)
    next(a for a in every_action(walk.window) if plain(a.text()) == "Presentation mode").trigger()
    pressed.set()
    walk.settle()
    presentation = walk.window.casework.presentation
    assert presentation is not None and presentation.isVisible()
    assert marker.id in [slide.marker_id for slide in presentation.deck.markers]
    presentation.close()
