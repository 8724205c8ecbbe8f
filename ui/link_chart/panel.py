"""The link chart panel: the chart view with its layout, filter, path and export controls.

The graph is built and laid out by the core (:func:`workbench.chart_layout.prepare_chart`)
in a worker; the panel shows the result, saves the analyst's arrangement when they
drag, pin or re-lay out, follows the timeline's time window, and tells the
timeline which events a selected node or link stands for.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui import formatting
from ui.case_context import CaseContext
from ui.casework_state import CaseworkState
from ui.link_chart.legend import ChartLegend
from ui.link_chart.scene import ChartScene
from ui.link_chart.view import ChartView
from ui.tasks import Task, TaskRunner
from workbench.chart_layout import (
    LAYOUTS,
    ChartPath,
    PreparedChart,
    find_path,
    prepare_chart,
    save_positions,
)
from workbench.errors import WorkbenchError

UNRESOLVED_CHOICES = (("Busiest 25 unattributed", 25), ("Busiest 100 unattributed", 100),
                      ("All unattributed", None))
EXPORT_FILTER = ("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf);;"
                 "GraphML (*.graphml);;i2 Analyst's Notebook (*.anx)")


class LinkChartPanel(QWidget):
    """Interactive link chart of the context's case."""

    loaded = Signal()  # a prepared chart is on screen

    def __init__(self, context: CaseContext, state: CaseworkState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context, self.state = context, state
        self.setObjectName("linkChartPanel")
        self.scene = ChartScene(context.case.timezone, parent=self)
        self.view = ChartView(self.scene)
        self.runner = TaskRunner(self)
        self.chart: PreparedChart | None = None
        self.path: ChartPath | None = None
        self.window: tuple[int, int] | None = None
        self._fitted = False
        self._save_after_load = False
        self._stale = False  # asked to refresh while hidden: done when next shown
        self._on_screen: bool | None = None  # set by the dock holding it; None: when visible

        self.layout_choice = QComboBox()
        for key, title in LAYOUTS.items():
            self.layout_choice.addItem(title, key)
        self.layout_choice.setAccessibleName("Layout")
        self.relayout_button = QPushButton("Re-lay out")
        self.relayout_button.setToolTip("Lay the chart out again; pinned nodes stay where they are")
        self.unresolved_choice = QComboBox()
        for title, value in UNRESOLVED_CHOICES:
            self.unresolved_choice.addItem(title, value)
        self.unresolved_choice.setToolTip("Numbers and accounts nobody has been identified as")
        self.centrality_box = QCheckBox("Size by centrality")
        self.path_choice = QComboBox()
        self.path_choice.addItem("Shortest path", False)
        self.path_choice.addItem("Time-respecting path", True)
        self.path_button = QPushButton("Find path")
        self.path_button.setToolTip("Select two nodes (Ctrl+click), then find a path between them")
        self.clear_path_button = QPushButton("Clear path")
        self.fit_button = QPushButton("Fit")
        self.export_button = QPushButton("Export…")
        self.hidden_note = QLabel()
        self.hidden_note.setObjectName("muted")
        self.hidden_note.setToolTip("Labels that would overlap others are left out; "
                                    "people and hub identifiers always keep theirs")
        self.status = QLabel()
        self.status.setObjectName("muted")
        self.status.setWordWrap(True)

        bar = QHBoxLayout()
        for widget in (self.layout_choice, self.relayout_button, self.unresolved_choice,
                       self.centrality_box, self.path_choice, self.path_button,
                       self.clear_path_button, self.fit_button, self.export_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        self.legend = ChartLegend()
        layout.addWidget(self.legend)
        notes = QHBoxLayout()  # below the chart, so a long note never widens the window
        notes.addWidget(self.status, 1)
        notes.addWidget(self.hidden_note)
        layout.addLayout(notes)

        self.layout_choice.currentIndexChanged.connect(lambda _i: self.refresh(relayout=True))
        self.relayout_button.clicked.connect(lambda: self.refresh(relayout=True))
        self.unresolved_choice.currentIndexChanged.connect(lambda _i: self.refresh())
        self.centrality_box.toggled.connect(lambda _on: self._show(self.chart) if self.chart else None)
        self.path_button.clicked.connect(self.find_path)
        self.clear_path_button.clicked.connect(lambda: self.show_path(None))
        self.fit_button.clicked.connect(lambda: self.view.fit())
        self.export_button.clicked.connect(lambda: self.export())
        self.scene.selectionChanged.connect(self._selection_changed)
        self.scene.labelsHidden.connect(lambda n: self.hidden_note.setText(
            f"{n} label{'s' if n != 1 else ''} hidden: zoom in or select" if n else ""))
        self.scene.nodesMoved.connect(lambda: self.save_arrangement("moved"))
        self.view.pinRequested.connect(self.set_pinned)
        context.rangeSelected.connect(self._range_selected)
        context.changed.connect(lambda: self.refresh())
        context.anonymiseChanged.connect(lambda _on: self.refresh())
        self._update_buttons()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(900, 600)

    def set_on_screen(self, shown: bool) -> None:
        """Told by its dock when its tab comes to the front or goes behind another."""
        self._on_screen = shown
        if shown and self._stale:
            self.refresh()

    # -- loading ----------------------------------------------------------------------------
    def _arguments(self, relayout: bool) -> dict[str, object]:
        start, end = self.window if self.window else (None, None)
        keep = None if (relayout or self.chart is None) else self.scene.positions()
        return dict(anonymise=self.context.anonymise,
                    start=datetime.fromtimestamp(start, UTC) if start is not None else None,
                    end=datetime.fromtimestamp(end, UTC) if end is not None else None,
                    max_unresolved=self.unresolved_choice.currentData(),
                    method=self.layout_choice.currentData(), keep=keep, relayout=relayout)

    def refresh(self, relayout: bool = False, sync: bool = False) -> Task | None:
        """Build and lay out the chart again (in a worker unless ``sync``).

        A hidden chart (another tab in front, or the window not shown yet) is only
        marked out of date, and built when it is next shown: laying out a big case
        takes a while and would slow every reload for nothing.
        """
        on_screen = self.isVisible() if self._on_screen is None else self._on_screen
        if not sync and (not on_screen or not self.context.events_loaded):
            self._stale = True  # built when shown, or when the events have been read
            return None
        self._stale = False
        arguments = self._arguments(relayout)
        if relayout and self.chart is not None:
            # Pinned nodes keep their place through a re-layout.
            arguments["keep"] = {n: p for n, p in self.scene.positions().items() if p[2]}
        self._save_after_load = relayout
        if sync:
            self.runner.cancel()
            self._loaded(prepare_chart(self.context.store, self.context.ref, **arguments))  # type: ignore[arg-type]
            return None
        task = Task(self.context.heavy(prepare_chart), self.context.store, self.context.ref, **arguments)
        task.signals.finished.connect(self._built)
        task.signals.failed.connect(lambda exc: self.status.setText(f"Chart failed: {exc}"))
        task.signals.progress.connect(lambda _f, message: self.status.setText(message + "…"))
        return self.runner.start(task)

    def _built(self, chart: PreparedChart) -> None:
        current = self.runner.current
        if current is None or self.sender() is not current.signals:
            return  # an older build, replaced meanwhile (another range, layout or case)
        self._loaded(chart)

    def _loaded(self, chart: PreparedChart) -> None:
        self._show(chart)
        # Fit on open and after a new layout; otherwise only while the analyst has not
        # zoomed or panned (their view is kept through reloads).
        if not self._fitted or self._save_after_load or self.view.follows_size:
            self.view.fit()
            self._fitted = True
        if self._save_after_load:
            self.save_arrangement("laid out")
        self.loaded.emit()

    def _show(self, chart: PreparedChart) -> None:
        self.chart = chart
        self.scene.show_chart(chart, self.centrality_box.isChecked())
        self.legend.set_in_use(*self.scene.styles_in_use())
        if self.path is not None and all(n in self.scene.nodes for n in self.path.nodes):
            self.scene.highlight_path(self.path.nodes)
        else:
            self.path = None
        self._describe()
        self._update_buttons()

    def _describe(self) -> None:
        chart = self.chart
        if chart is None:
            return
        tz = self.scene.timezone
        parts = [f"{chart.graph.number_of_nodes():,} nodes, {len(self.scene.edges):,} links"]
        if chart.hidden_unresolved:
            parts.append(f"{chart.hidden_unresolved:,} quieter unattributed identifiers folded "
                         "into “other” nodes")
        if self.window:
            parts.append("showing contact from " + formatting.moment(self.window[0], tz)
                         + " to " + formatting.moment(self.window[1], tz))
        if self.path is not None:
            labels = [self.scene.nodes[n].label for n in self.path.nodes]
            parts.append("path: " + " → ".join(labels))
        parts.append("link width: contact volume; colour and dash: worst marker severity; "
                     "pink outline: vulnerability factors recorded")
        self.status.setText(" · ".join(parts))

    def _range_selected(self, time_range: tuple[int, int] | None) -> None:
        self.window = (int(time_range[0]), int(time_range[1])) if time_range else None
        self.refresh()

    # -- the analyst's arrangement -----------------------------------------------------------
    def save_arrangement(self, reason: str) -> None:
        """Save every node's place (audited), so reopening the case shows the same chart."""
        positions = self.scene.positions()
        if positions:
            save_positions(self.context.store, self.context.ref, positions, reason)

    def set_pinned(self, nodes: list[str], pinned: bool) -> None:
        for node in nodes:
            if node in self.scene.nodes:
                self.scene.nodes[node].set_pinned(pinned)
        if self.chart is not None:
            self.chart.pinned = {n for n, item in self.scene.nodes.items() if item.pinned}
        self.save_arrangement("pinned" if pinned else "unpinned")

    # -- selection and paths -----------------------------------------------------------------
    def _selection_changed(self) -> None:
        self._update_buttons()
        events = self.scene.events_of_selection()
        if not events:
            return
        timeline = self.context.timeline
        known = [(float(timeline.times[p]), e) for e in events
                 if (p := timeline.position_of(e)) is not None]
        if known:
            self.context.select_event(min(known)[1])
        self.state.highlightEvents.emit(events)

    def _update_buttons(self) -> None:
        self.path_button.setEnabled(len(self.scene.selected_nodes()) == 2)
        self.clear_path_button.setEnabled(self.path is not None)

    def find_path(self) -> ChartPath | None:
        nodes = self.scene.selected_nodes()
        if len(nodes) != 2 or self.chart is None:
            return None
        timed = bool(self.path_choice.currentData())
        try:
            path = find_path(self.chart.graph, nodes[0], nodes[1], time_respecting=timed)
        except WorkbenchError as exc:
            self.status.setText(str(exc))
            return None
        if path is None:
            self.show_path(None)
            self.status.setText("No " + ("time-respecting " if timed else "") + "path between "
                                + " and ".join(self.scene.nodes[n].label for n in nodes))
            return None
        self.show_path(path)
        return path

    def show_path(self, path: ChartPath | None) -> None:
        self.path = path
        self.scene.highlight_path(path.nodes if path else None)
        self._describe()
        self._update_buttons()

    # -- export -------------------------------------------------------------------------------
    def export(self, path: str | Path | None = None) -> Path | None:
        """Write the whole chart, with title, marking, date and legend, by the one chart
        renderer (as ``workbench chart`` and the bundle); anonymised if the app is."""
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(self, "Export link chart",
                                                    f"{self.context.ref}-chart.png", EXPORT_FILTER)
            if not chosen:
                return None
            path = chosen
        out = Path(path)
        try:
            from workbench.chart import write_chart

            write_chart(self.context.store, self.context.ref, out, anonymise=self.context.anonymise)
        except WorkbenchError as exc:
            QMessageBox.warning(self, "Export failed", str(exc))
            return None
        self.context.message.emit(f"Chart exported to {out.name}")
        return out
