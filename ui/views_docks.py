"""The investigators' extra views in the main window: the map and the activity matrix docks.

One call, :func:`install_views`, adds them, so the main window stays a thin shell.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QDockWidget, QMainWindow, QToolBar, QWidget

from ui.case_context import CaseContext
from ui.map_panel import MapPanel
from ui.matrix_panel import MatrixPanel
from ui.time_range import RangeChip, RangeDialog, RangeHistory
from ui.timeline.legend import TimelineLegend

CHART_MAIN_SHORTCUT = "Ctrl+Shift+K"
RANGE_SHORTCUT = "Ctrl+Shift+T"


@dataclass
class Views:
    map: MapPanel
    matrix: MatrixPanel
    docks: dict[str, QDockWidget]
    range_history: RangeHistory
    range_chip: RangeChip
    range_action: QAction
    timeline_key: QToolBar
    chart_main_action: QAction | None = None
    chart_is_main: bool = False


def docks_beside_markers(window: QMainWindow, widgets: dict[str, tuple[str, QWidget]]
                         ) -> dict[str, QDockWidget]:
    """Docks for ``{key: (title, widget)}``, tabbed with the markers (the window keeps its
    height), the markers left in front."""
    docks = {}
    for key, (title, widget) in widgets.items():
        dock = QDockWidget(title, window)
        dock.setObjectName(f"dock_{widget.objectName()}")
        dock.setWidget(widget)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        docks[key] = dock
    markers = getattr(window, "docks", {}).get("markers")
    if markers is not None:
        for dock in docks.values():
            window.tabifyDockWidget(markers, dock)
        markers.raise_()
    return docks


def install_views(window: QMainWindow, context: CaseContext) -> Views:
    """Add the map and matrix docks, tabbed with the markers, and their View menu entries."""
    installed: Views | None = getattr(window, "views", None)
    if installed is not None:
        return installed
    map_panel = MapPanel(context, settings=getattr(window, "settings", None))
    matrix = MatrixPanel(context)
    docks = docks_beside_markers(window, {"map": ("Map", map_panel),
                                          "matrix": ("Activity matrix", matrix)})
    matrix.recordsChosen.connect(lambda ids: select_records(window, context, ids))
    history = RangeHistory(context)
    chip = RangeChip(context)
    toolbar = window.findChild(QToolBar, "mainToolbar")
    if toolbar is not None:
        chip.place_in(toolbar, toolbar.actions()[-3] if len(toolbar.actions()) > 3 else None)
    else:
        window.statusBar().addPermanentWidget(chip)
    range_action = QAction("Set &time range…", window)
    range_action.setShortcut(QKeySequence(RANGE_SHORTCUT))
    range_action.setToolTip(f"Show one period in every view ({RANGE_SHORTCUT}; or Shift+drag on "
                            "the timeline)")
    range_action.triggered.connect(lambda: RangeDialog(context, window).open())
    window.addAction(range_action)
    key = QToolBar("Timeline key", window)
    key.setObjectName("timelineKey")
    key.addWidget(TimelineLegend())
    window.addToolBar(Qt.ToolBarArea.BottomToolBarArea, key)
    views = Views(map_panel, matrix, docks, history, chip, range_action, key)
    window.views = views  # type: ignore[attr-defined]
    view_menu = next((a.menu() for a in window.menuBar().actions() if a.text() == "&View"), None)
    if getattr(window, "casework", None) is not None:
        action = QAction("Link &chart as main view", window)
        action.setCheckable(True)
        action.setShortcut(QKeySequence(CHART_MAIN_SHORTCUT))
        action.setToolTip(f"Swap the link chart into the centre, with the timeline docked "
                          f"({CHART_MAIN_SHORTCUT}; again to swap back)")
        action.toggled.connect(lambda on: set_chart_as_main(window, on))
        window.addAction(action)
        views.chart_main_action = action
    if view_menu is not None:
        view_menu.addSeparator()
        view_menu.addAction(range_action)
        view_menu.addAction(key.toggleViewAction())
        if views.chart_main_action is not None:
            view_menu.addAction(views.chart_main_action)
        for dock in docks.values():
            view_menu.addAction(dock.toggleViewAction())
    return views


def set_chart_as_main(window: QMainWindow, main: bool) -> None:
    """Swap the link chart into the central area (the timeline goes into its dock), or back."""
    views: Views = window.views  # type: ignore[attr-defined]
    casework = window.casework  # type: ignore[attr-defined]
    dock = casework.docks["chart"]
    chart = casework.chart
    if main == views.chart_is_main:
        return
    views.chart_is_main = main
    if views.chart_main_action is not None and views.chart_main_action.isChecked() != main:
        views.chart_main_action.setChecked(main)
    if main:
        dock.visibilityChanged.disconnect(chart.set_on_screen)  # central: always on screen
        central = window.takeCentralWidget()
        dock.setWidget(central)
        dock.setWindowTitle("Timeline")
        window.setCentralWidget(chart)
    else:
        central = dock.widget()
        window.takeCentralWidget()
        dock.setWidget(chart)
        dock.setWindowTitle("Link chart")
        window.setCentralWidget(central)
        dock.visibilityChanged.connect(chart.set_on_screen)
    central.show()
    chart.show()
    dock.show()
    dock.raise_()
    window.resizeDocks([dock], [int(window.height() * 0.34)], Qt.Orientation.Vertical)
    chart.set_on_screen(True)
    chart.view.fit()


def select_records(window: QMainWindow, context: CaseContext, event_ids: list[int]) -> None:
    """Show the first of several records, list them all and ring them on the timeline."""
    if not event_ids:
        return
    context.select_event(event_ids[0])
    context.list_records(event_ids)
    casework = getattr(window, "casework", None)
    if casework is not None:
        casework.state.highlightEvents.emit(list(event_ids))


def snapshot_views(window: QMainWindow, context: CaseContext, folder: Path) -> list[Path]:
    """The chart as the main view, the map and the activity matrix, as PNGs in ``folder``."""
    written: list[Path] = []
    app = QApplication.instance()

    def settle() -> None:
        for _ in range(3):
            if app is not None:
                app.processEvents()

    def save(widget: QWidget, name: str) -> None:
        settle()
        path = folder / name
        widget.grab().save(str(path))
        written.append(path)

    if getattr(window, "casework", None) is not None:
        set_chart_as_main(window, True)
        chart = window.casework.chart  # type: ignore[attr-defined]
        chart.refresh(sync=True)
        settle()
        chart.view.fit()
        save(window, "chart_main_view.png")
        set_chart_as_main(window, False)
    for panel, name, size in ((MapPanel(context), "map.png", (1300, 900)),
                              (MatrixPanel(context), "activity_matrix.png", (1300, 420))):
        panel.resize(*size)
        panel.show()
        for worker in ("runner", "painter"):  # read, then drawn, in workers
            runner = getattr(panel, worker, None)
            if runner is not None:
                runner.wait(120_000)
                settle()
        save(panel, name)
        panel.close()
    return written
