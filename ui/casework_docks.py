"""Case work in the main window: link chart, intelligence, decision log, enquiries, presentation.

:func:`install_casework` adds the docks, the prior-history lane under the
timeline, the presentation-mode action and a "Case work" menu to a
:class:`~ui.main_window.MainWindow`; :func:`snapshot_casework` renders each of
them to PNG for ``workbench gui --snapshot``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QDockWidget, QMainWindow, QVBoxLayout, QWidget

from ui.case_context import CaseContext
from ui.casework_state import CaseworkState
from ui.decision_log import DecisionLogPanel
from ui.enquiries_panel import EnquiriesPanel
from ui.history_lane import HistoryLane
from ui.intel_panel import IntelPanel
from ui.link_chart import LinkChartPanel
from ui.presentation import PresentationRead, PresentationWindow, read_presentation
from ui.presentation_timeline import PresentationTimeline
from ui.tasks import TaskRunner


@dataclass
class Casework:
    """What :func:`install_casework` added, kept on the window as ``window.casework``."""

    state: CaseworkState
    chart: LinkChartPanel
    intel: IntelPanel
    decisions: DecisionLogPanel
    enquiries: EnquiriesPanel
    history: HistoryLane | None
    docks: dict[str, QDockWidget]
    presentation_reader: TaskRunner  # presentation mode's read, before its window opens
    presentation: PresentationWindow | None = None
    presentation_asked: bool | None = None  # F5 while a change was being saved: full screen?


def _dock(window: QMainWindow, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
    dock = QDockWidget(title, window)
    dock.setObjectName(f"dock_{widget.objectName()}")
    dock.setWidget(widget)
    window.addDockWidget(area, dock)
    return dock


def _highlight(window: QMainWindow, context: CaseContext, event_ids: list[int]) -> None:
    """Ring the events on the timeline (after the selected event has been set)."""
    timeline = getattr(window, "timeline", None)
    if timeline is None:
        return
    positions = [p for e in event_ids if (p := context.timeline.position_of(e)) is not None]
    timeline.view.highlighted = np.array(positions, np.int64)
    timeline.update()


def _wrap_timeline(window: QMainWindow, state: CaseworkState) -> HistoryLane | None:
    """Put the prior-history lane directly under the timeline, on the same time axis."""
    timeline = getattr(window, "timeline", None)
    if timeline is None or window.centralWidget() is not timeline:
        return None
    window.takeCentralWidget()
    centre = QWidget()
    centre.setObjectName("timelineWithHistory")
    layout = QVBoxLayout(centre)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    layout.addWidget(timeline, 1)
    lane = HistoryLane(state, timeline)
    layout.addWidget(lane)
    window.setCentralWidget(centre)
    return lane


def open_presentation(window: QMainWindow, context: CaseContext,
                      full_screen: bool = True) -> PresentationWindow | None:
    """Open presentation mode (anonymised) on the window's case; Esc comes back.

    While the app is still saving or reading a change it opens once that is done (and
    returns None): the conference sees the case as the investigator left it, a review
    just made included.
    """
    casework: Casework = window.casework  # type: ignore[attr-defined]
    if context.busy:
        casework.presentation_asked = full_screen
        window.statusBar().showMessage("Presentation mode opens once the case is saved…", 8000)
        return None
    if context.background:  # read first, in a worker (a big case takes seconds), then open
        time_range = context.selection.time_range
        window.statusBar().showMessage("Opening presentation mode…", 8000)

        def read(done: PresentationRead) -> None:
            if shiboken6.isValid(window) and window.isVisible():
                _show_presentation(window, context, full_screen, time_range, done)

        context.in_worker(casework.presentation_reader,
                          lambda **_worker: read_presentation(context.store, context.ref, True,
                                                              context.heavy),
                          read, lambda exc: window.statusBar().showMessage(
                              f"Presentation mode failed: {exc}", 8000))
        return None
    return _show_presentation(window, context, full_screen, context.selection.time_range, None)


def _show_presentation(window: QMainWindow, context: CaseContext, full_screen: bool,
                       time_range: tuple[int, int] | None,
                       read: PresentationRead | None) -> PresentationWindow:
    casework: Casework = window.casework  # type: ignore[attr-defined]
    if casework.presentation is not None:
        casework.presentation.close()
    presentation = PresentationWindow(context.store, context.ref, anonymise=True,
                                      time_range=time_range, read=read, offload=context.heavy)
    presentation.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    casework.presentation = presentation

    def closed() -> None:
        casework.presentation = None
        window.activateWindow()

    presentation.closed.connect(closed)
    if full_screen:
        # The whole screen even where no window manager makes a full-screen window so (a
        # conference room's kiosk machine): its 24 pt type needs the room.
        presentation.setGeometry(presentation.screen().geometry())
        presentation.showFullScreen()
    else:
        presentation.resize(1920, 1080)
        presentation.show()
    return presentation


def _open_asked_presentation(window: QMainWindow, context: CaseContext, busy: bool) -> None:
    """Presentation mode asked for while the app was busy: opened now it is not."""
    casework: Casework = window.casework  # type: ignore[attr-defined]
    if busy or casework.presentation_asked is None or not window.isVisible():
        return
    full_screen, casework.presentation_asked = casework.presentation_asked, None
    open_presentation(window, context, full_screen)


def install_casework(window: QMainWindow, context: CaseContext) -> Casework:
    """Add the case-work docks, the history lane, presentation mode and a Case work menu.

    Installing twice returns what the first call added.
    """
    installed: Casework | None = getattr(window, "casework", None)
    if installed is not None:
        return installed
    state = CaseworkState(context)
    chart = LinkChartPanel(context, state)
    intel = IntelPanel(state)
    decisions = DecisionLogPanel(state)
    enquiries = EnquiriesPanel(state)
    bottom = Qt.DockWidgetArea.BottomDockWidgetArea
    docks = {
        "chart": _dock(window, "Link chart", chart, bottom),
        "intel": _dock(window, "Intelligence and complaints", intel, bottom),
        "decisions": _dock(window, "Decision log", decisions, bottom),
        "enquiries": _dock(window, "Lines of enquiry", enquiries, bottom),
    }
    existing = getattr(window, "docks", {}).get("markers")
    first = existing or docks["chart"]
    for dock in docks.values():
        if dock is not first:
            window.tabifyDockWidget(first, dock)
    getattr(window, "docks", {}).get("markers", docks["chart"]).raise_()
    history = _wrap_timeline(window, state)
    state.highlightEvents.connect(lambda ids: _highlight(window, context, ids))
    casework = Casework(state, chart, intel, decisions, enquiries, history, docks, TaskRunner(window))
    window.casework = casework  # type: ignore[attr-defined]

    presentation_action = getattr(window, "presentation_action", None)
    if presentation_action is None:
        presentation_action = QAction("&Presentation mode", window)
        presentation_action.setShortcut(QKeySequence("F5"))
        window.addAction(presentation_action)
    presentation_action.setEnabled(True)
    presentation_action.setToolTip("Presentation mode for case conferences, anonymised (F5; Esc returns)")
    presentation_action.triggered.connect(lambda: open_presentation(window, context))
    context.busyChanged.connect(lambda busy: _open_asked_presentation(window, context, busy))

    menu = window.menuBar().addMenu("Case &work")
    add_decision = QAction("Add &decision…", window)
    add_decision.setShortcut(QKeySequence("Ctrl+Shift+L"))
    add_decision.triggered.connect(lambda: decisions.open_dialog(None))
    add_intel = QAction("Add &intelligence report…", window)
    add_intel.triggered.connect(lambda: intel.open_dialog(None))
    for action in (add_decision, add_intel):
        window.addAction(action)
        menu.addAction(action)
    menu.addSeparator()
    for dock in docks.values():
        menu.addAction(dock.toggleViewAction())
    menu.addSeparator()
    menu.addAction(presentation_action)
    docks["chart"].visibilityChanged.connect(chart.set_on_screen)
    chart.refresh()  # built now if its tab is in front, else when it comes to the front
    return casework


def _settle() -> None:
    app = QApplication.instance()
    for _ in range(3):
        if app is not None:
            app.processEvents()


def snapshot_casework(window: QMainWindow, context: CaseContext, directory: Path) -> list[Path]:
    """Render the link chart, intelligence, decision log, enquiries and presentation mode to PNG.

    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    casework: Casework | None = getattr(window, "casework", None)
    if casework is None:
        casework = install_casework(window, context)
    written: list[Path] = []

    def save(widget: QWidget, name: str, size: tuple[int, int]) -> None:
        widget.resize(*size)
        _settle()
        path = directory / name
        widget.grab().save(str(path))
        written.append(path)

    # Fresh top-level copies of the panels, each at a size that shows it well.
    state = casework.state
    chart = LinkChartPanel(context, state)
    chart.resize(1500, 940)
    chart.show()
    chart.refresh(sync=True)
    _settle()
    chart.view.fit()
    panels: list[tuple[QWidget, str, tuple[int, int]]] = [
        (chart, "link_chart.png", (1500, 940)),
        (IntelPanel(state), "intel_panel.png", (1500, 620)),
        (DecisionLogPanel(state), "decision_log.png", (1600, 640)),
        (EnquiriesPanel(state), "enquiries_panel.png", (1300, 600)),
    ]
    for panel, name, size in panels:
        panel.show()
        save(panel, name, size)
        panel.close()

    PresentationTimeline.ANIMATION_MS, animation = 0, PresentationTimeline.ANIMATION_MS
    try:
        presentation = PresentationWindow(context.store, context.ref, anonymise=True)
        presentation.resize(1920, 1080)
        presentation.show()
        _settle()
        presentation.index = _best_slide(presentation)
        presentation._show()
        save(presentation, "presentation_marker.png", (1920, 1080))
        presentation.show_summary()
        save(presentation, "presentation_summary.png", (1920, 1080))
        presentation.close()
    finally:
        PresentationTimeline.ANIMATION_MS = animation
    _settle()
    return written


def _best_slide(presentation: PresentationWindow) -> int:
    """A slide worth a picture: a channel shift or secrecy request when accepted."""
    rules = [slide.rule for slide in presentation.deck.markers]
    for wanted in ("channel_shift", "secrecy_request"):
        if wanted in rules:
            return rules.index(wanted)
    return 0
