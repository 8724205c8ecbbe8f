"""The investigators' extra views in the main window: the map and the activity matrix docks.

One call, :func:`install_views`, adds them, so the main window stays a thin shell.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

from ui.case_context import CaseContext
from ui.map_panel import MapPanel
from ui.matrix_panel import MatrixPanel


@dataclass
class Views:
    map: MapPanel
    matrix: MatrixPanel
    docks: dict[str, QDockWidget]


def _dock(window: QMainWindow, title: str, widget: QWidget) -> QDockWidget:
    dock = QDockWidget(title, window)
    dock.setObjectName(f"dock_{widget.objectName()}")
    dock.setWidget(widget)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    return dock


def install_views(window: QMainWindow, context: CaseContext) -> Views:
    """Add the map and matrix docks, tabbed with the markers, and their View menu entries."""
    installed: Views | None = getattr(window, "views", None)
    if installed is not None:
        return installed
    map_panel = MapPanel(context)
    matrix = MatrixPanel(context)
    docks = {"map": _dock(window, "Map", map_panel),
             "matrix": _dock(window, "Activity matrix", matrix)}
    matrix.recordsChosen.connect(lambda ids: select_records(window, context, ids))
    markers = getattr(window, "docks", {}).get("markers")
    for dock in docks.values():
        if markers is not None:
            window.tabifyDockWidget(markers, dock)
    if markers is not None:
        markers.raise_()
    views = Views(map_panel, matrix, docks)
    window.views = views  # type: ignore[attr-defined]
    view_menu = next((a.menu() for a in window.menuBar().actions() if a.text() == "&View"), None)
    if view_menu is not None:
        view_menu.addSeparator()
        for dock in docks.values():
            view_menu.addAction(dock.toggleViewAction())
    return views


def select_records(window: QMainWindow, context: CaseContext, event_ids: list[int]) -> None:
    """Show the first of several records, list them all and ring them on the timeline."""
    if not event_ids:
        return
    context.select_event(event_ids[0])
    context.search_words, context.search_results = "", list(event_ids)
    context.searchResults.emit(list(event_ids))
    casework = getattr(window, "casework", None)
    if casework is not None:
        casework.state.highlightEvents.emit(list(event_ids))
