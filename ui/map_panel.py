"""The map view: the case's located records on an offline canvas, with filters and export.

The data come from :func:`workbench.map_view.screen_map` and the drawing from
:func:`graphs.map_chart.render_map`; this panel holds the filter controls, follows the
case's time range and the anonymise switch, and exports through the core. A unit's
offline basemap (an MBTiles file, chosen with "Basemap…" and kept in the settings) is
drawn underneath, except while names are anonymised.
"""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QPixmap, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ui import theme
from ui.case_context import CaseContext
from ui.figure_image import Pixels, rgba_image
from ui.tasks import Task, TaskRunner
from workbench.basemap import Basemap
from workbench.errors import WorkbenchError
from workbench.map_view import CaseMap, MapFilter, screen_map, write_map

EXPORT_FILTER = "KML for GIS (*.kml);;PNG image (*.png);;PDF document (*.pdf)"
BASEMAP_FILTER = "MBTiles basemap (*.mbtiles);;All files (*)"
BASEMAP_SETTING = "map/basemap"
DUTY_CHOICES = (("On and off duty", None), ("On duty only", "on"), ("Off duty only", "off"))


class MapPanel(QWidget):
    """Places, vehicle stops and positions, and located contact, drawn offline."""

    loaded = Signal()  # a newly read map is in ``data`` (its picture follows: ``drawn``)
    drawn = Signal()  # a new picture of the map is on screen

    def __init__(self, context: CaseContext, parent: QWidget | None = None,
                 settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.settings = settings
        self.setObjectName("mapPanel")
        self.data: CaseMap | None = None
        self.basemap: Basemap | None = None
        self.basemap_problem = ""  # why the saved basemap is not drawn
        self.runner = TaskRunner(self)  # reading the map
        self.painter = TaskRunner(self)  # drawing it
        self.exporter = TaskRunner(self)  # writing an export
        self._stale = True
        self.person = QComboBox()
        self.person.setToolTip("Only this person's records and places")
        self.duty = QComboBox()
        for text, value in DUTY_CHOICES:
            self.duty.addItem(text, value)
        self.export_button = QPushButton("Export…")
        self.export_button.setToolTip("Save the map as KML (for the unit's GIS), PNG or PDF")
        self.basemap_button = QPushButton("Basemap…")
        self.basemap_button.setToolTip("Draw the unit's offline map tiles (an MBTiles file) "
                                       "under the points; nothing is fetched from the network")
        self.plain_button = QPushButton("Plain canvas")
        self.plain_button.setToolTip("Stop drawing the basemap")
        self.summary = QLabel()
        self.basemap_note = QLabel()
        self.basemap_note.setObjectName("muted")
        self.canvas = QLabel()
        self.canvas.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.canvas.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.canvas.setMinimumSize(200, 150)
        controls = QHBoxLayout()
        for widget in (QLabel("Person:"), self.person, self.duty, self.summary):
            controls.addWidget(widget)
        controls.addStretch(1)
        for widget in (self.basemap_button, self.plain_button, self.export_button):
            controls.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(controls)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.basemap_note)
        self._redraw_timer = QTimer(self)
        self._redraw_timer.setSingleShot(True)
        self._redraw_timer.setInterval(150)
        self._redraw_timer.timeout.connect(self.draw)
        self._fill_people()
        self.person.currentIndexChanged.connect(lambda _i: self.refresh())
        self.duty.currentIndexChanged.connect(lambda _i: self.refresh())
        self.export_button.clicked.connect(lambda: self.export())
        self.basemap_button.clicked.connect(lambda: self.choose_basemap())
        self.plain_button.clicked.connect(lambda: self.set_basemap(None))
        context.changed.connect(self._case_changed)
        context.anonymiseChanged.connect(lambda _on: self._case_changed())
        context.rangeSelected.connect(lambda _r: self.refresh())
        saved = self.settings.value(BASEMAP_SETTING) if self.settings is not None else None
        self._open_basemap(str(saved) if saved else None)
        self.refresh()

    def _fill_people(self) -> None:
        chosen = self.person.currentData()
        self.person.blockSignals(True)
        self.person.clear()
        self.person.addItem("Everyone", None)
        for person in self.context.case.people:
            self.person.addItem(self.context.anonymiser.person(person), person.key)
        index = self.person.findData(chosen)
        self.person.setCurrentIndex(max(index, 0))
        self.person.blockSignals(False)

    def _case_changed(self) -> None:
        self._fill_people()
        self.refresh()

    def view_filter(self) -> MapFilter:
        """The filters as set: the case's time range, the person and duty choices."""
        time_range = self.context.selection.time_range
        start, end = time_range if time_range else (None, None)
        return MapFilter(start, end, self.person.currentData(), self.duty.currentData())

    def refresh(self) -> None:
        """Read the map again with the current filters, then draw it (when on screen)."""
        # Not while hidden, nor while the case's events are still being read (the
        # context says ``changed`` when they are in).
        self._stale = not self.isVisible() or not self.context.events_loaded
        if self._stale:
            return
        # Read in a worker: a big case has many vehicle positions. A newer request
        # cancels the one still running.
        self.summary.setText("Reading the map…")
        task = Task(self.context.heavy(screen_map), self.context.store, self.context.ref,
                    anonymise=self.context.anonymise, view=self.view_filter())
        task.signals.finished.connect(self._loaded)
        task.signals.failed.connect(lambda exc: self.summary.setText(f"Map failed: {exc}"))
        self.runner.start(task)

    def _loaded(self, data: CaseMap) -> None:
        current = self.runner.current
        if current is None or self.sender() is not current.signals:
            return  # an older read, replaced meanwhile (another filter, range or case)
        self.data = data
        self.loaded.emit()
        counts = self.data.counts()
        stops = counts.get("vehicle_stop", 0)
        others = sum(counts.values()) - counts["places"] - stops
        _points, step = data.drawn_points()
        thinned = f" (every {step:,}th vehicle position drawn; exports draw all)" if step > 1 else ""
        self.summary.setText(f"{counts['places']} places · {stops} stops · "
                             f"{others} other points{thinned}")
        self.draw()

    # -- the basemap ------------------------------------------------------------------------
    def choose_basemap(self, path: str | None = None) -> bool:
        """Ask for an MBTiles file and draw it under the map; a bad file is refused, saying why."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "Basemap (MBTiles file)", "", BASEMAP_FILTER)
        if not path:
            return False
        try:
            Basemap.open(path)
        except WorkbenchError as exc:
            QMessageBox.warning(self, "Basemap not used", str(exc))
            return False
        self.set_basemap(path)
        return True

    def set_basemap(self, path: str | None) -> None:
        """Use this MBTiles file (None: the plain canvas), and remember it in the settings."""
        if self.settings is not None:
            if path:
                self.settings.setValue(BASEMAP_SETTING, path)
            else:
                self.settings.remove(BASEMAP_SETTING)
        self._open_basemap(path)
        self.draw()

    def _open_basemap(self, path: str | None) -> None:
        self.basemap, self.basemap_problem = None, ""
        if path:
            try:
                self.basemap = Basemap.open(path)
            except WorkbenchError as exc:  # moved or damaged since it was chosen
                self.basemap_problem = str(exc)
        self._show_basemap_state()

    def drawn_basemap(self) -> Basemap | None:
        """The basemap drawn now: none while anonymised (streets would show where people live)."""
        return None if self.context.anonymise else self.basemap

    def _show_basemap_state(self) -> None:
        self.plain_button.setEnabled(self.basemap is not None or bool(self.basemap_problem))
        if self.basemap_problem:
            note = f"Basemap not drawn: {self.basemap_problem}"
        elif self.basemap is None:
            note = ""
        elif self.context.anonymise:
            note = (f"Basemap {self.basemap.path.name} hidden while anonymised: its streets would "
                    "show where people live")
        else:
            note = f"Basemap: {self.basemap.path.name} (offline)"
        self.basemap_note.setText(note)
        self.basemap_note.setVisible(bool(note))

    def draw(self) -> None:
        """Draw the map read last at the canvas's size, in a worker (drawing many points
        takes a while); the picture replaces the old one when it is ready."""
        self._show_basemap_state()
        if self.data is None:
            return
        if not self.isVisible():  # closed or hidden since: drawn again when next shown
            self._stale = True
            return
        data, dark, basemap = self.data, theme.current() == "dark", self.drawn_basemap()
        width, height = self.canvas.width(), self.canvas.height()

        def render(**_worker: object) -> Pixels:
            from graphs.map_chart import render_map
            from ui.figure_image import figure_rgba

            points, _step = data.drawn_points()
            figure = render_map(data.areas, points, marking=data.marking,
                                theme="dark" if dark else "light", basemap=basemap)
            return figure_rgba(figure, width, height)

        task = Task(render)
        task.signals.finished.connect(self._drawn)
        task.signals.failed.connect(lambda exc: self._draw_failed(exc, basemap))
        self.painter.start(task)

    def _draw_failed(self, exc: Exception, basemap: Basemap | None) -> None:
        if basemap is not None and isinstance(exc, WorkbenchError):
            # A damaged tile: say so, and draw the plain canvas.
            self.basemap, self.basemap_problem = None, str(exc)
            self.draw()
            return
        self.summary.setText(f"Map failed: {exc}")

    def _drawn(self, pixels: Pixels) -> None:
        self.canvas.setPixmap(QPixmap.fromImage(rgba_image(pixels)))
        self.drawn.emit()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._redraw_timer.start()

    def export(self, path: str | None = None) -> Path | None:
        """Export through the core (audited, continuity recorded), as the file name says.

        In the app the map is drawn and written in a worker (a year of vehicle positions,
        every one drawn, takes seconds); the status bar says when it is written.
        """
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Export map", f"{self.context.ref}-map.pdf",
                                                  EXPORT_FILTER)
        if not path:
            return None
        target = Path(path)
        store, ref = self.context.store, self.context.ref
        options = {"anonymise": self.context.anonymise, "view": self.view_filter(),
                   "basemap": self.drawn_basemap() if target.suffix.lower() != ".kml" else None}
        if not self.context.background:
            try:
                write_map(store, ref, target, **options)
            except WorkbenchError as exc:
                QMessageBox.warning(self, "Map not exported", str(exc))
                return None
            self.context.message.emit(f"Map exported to {target.name}")
            return target
        context = self.context

        def failed(exc: Exception) -> None:
            context.message.emit("Map not exported")
            if shiboken6.isValid(self):
                QMessageBox.warning(self, "Map not exported", str(exc))

        context.message.emit(f"Exporting the map to {target.name}…")
        context.in_worker(self.exporter, lambda **_worker: write_map(store, ref, target, **options),
                          lambda _counts: context.message.emit(f"Map exported to {target.name}"),
                          failed)
        return target
