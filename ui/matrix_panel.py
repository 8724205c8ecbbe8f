"""The activity matrix view: contact by hour and weekday against the roster; click a cell
to select its records.

The numbers come from :func:`workbench.activity_matrix.case_activity_matrix`; this panel
paints them, follows the case's time range and anonymise switch, and says which records
a clicked cell holds (``recordsChosen``).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen, QShowEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ui import theme
from ui.case_context import CaseContext
from ui.tasks import Task, TaskRunner
from workbench.activity_matrix import DAYS, USUALLY_ON_DUTY, ActivityMatrix, case_activity_matrix

DUTY_COLOUR = QColor("#D55E00")
LOW, HIGH = QColor("#EFF3FF"), QColor("#08519C")
LABEL_WIDTH, HEADER_HEIGHT = 44, 20


class MatrixGrid(QWidget):
    """7 x 24 cells shaded by count, duty bars and outlines, a ring round the chosen cell."""

    cellClicked = Signal(int, int)  # noqa: N815 - day (Monday 0), hour

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.matrix: ActivityMatrix | None = None
        self.chosen: tuple[int, int] | None = None
        self.setMinimumSize(LABEL_WIDTH + 24 * 18, HEADER_HEIGHT + 7 * 18)
        self.setMouseTracking(True)

    def cell_rect(self, day: int, hour: int) -> QRectF:
        width = (self.width() - LABEL_WIDTH) / 24
        height = (self.height() - HEADER_HEIGHT) / 7
        return QRectF(LABEL_WIDTH + hour * width, HEADER_HEIGHT + day * height, width, height)

    def cell_at(self, point: QPointF) -> tuple[int, int] | None:
        width = (self.width() - LABEL_WIDTH) / 24
        height = (self.height() - HEADER_HEIGHT) / 7
        hour = int((point.x() - LABEL_WIDTH) // width)
        day = int((point.y() - HEADER_HEIGHT) // height)
        return (day, hour) if 0 <= day < 7 and 0 <= hour < 24 else None

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        colours = theme.colours(theme.current())
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), colours["surface"])
        ink = colours["text"]
        painter.setPen(ink)
        for hour in range(0, 24, 2 if self.width() < 700 else 1):
            rect = self.cell_rect(0, hour)
            painter.drawText(QRectF(rect.x(), 0, rect.width(), HEADER_HEIGHT),
                             Qt.AlignmentFlag.AlignCenter, f"{hour:02d}")
        for day, name in enumerate(DAYS):
            rect = self.cell_rect(day, 0)
            painter.drawText(QRectF(0, rect.y(), LABEL_WIDTH - 4, rect.height()),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, name)
        if self.matrix is None:
            return
        top = max(int(self.matrix.counts.max()), 1)
        for day in range(7):
            for hour in range(24):
                self._paint_cell(painter, day, hour, top, ink)
        if self.chosen is not None:
            painter.setPen(QPen(ink, 2.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(self.cell_rect(*self.chosen).adjusted(1, 1, -1, -1))
        painter.end()

    def _paint_cell(self, painter: QPainter, day: int, hour: int, top: int, ink: QColor) -> None:
        assert self.matrix is not None
        rect = self.cell_rect(day, hour).adjusted(0.5, 0.5, -0.5, -0.5)
        count = int(self.matrix.counts[day, hour])
        share = float(self.matrix.on_duty[day, hour])
        if count:
            fraction = count / top
            shade = QColor.fromRgbF(*(LOW.getRgbF()[i] + (HIGH.getRgbF()[i] - LOW.getRgbF()[i]) * fraction
                                      for i in range(3)))
            painter.fillRect(rect, shade)
            painter.setPen(QColor("white") if fraction > 0.55 else QColor("#222222"))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(count))
        if share > 0:
            bar = QRectF(rect.x(), rect.bottom() - rect.height() * 0.18, rect.width() * share,
                         rect.height() * 0.18)
            painter.fillRect(bar, DUTY_COLOUR)
        if share >= USUALLY_ON_DUTY:
            painter.setPen(QPen(DUTY_COLOUR, 1.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(rect)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        cell = self.cell_at(event.position())
        if cell is not None and event.button() == Qt.MouseButton.LeftButton:
            self.chosen = cell
            self.update()
            self.cellClicked.emit(*cell)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        cell = self.cell_at(event.position())
        if cell is None or self.matrix is None:
            self.setToolTip("")
            return
        day, hour = cell
        self.setToolTip(f"{DAYS[day]} {hour:02d}:00–{hour:02d}:59: "
                        f"{int(self.matrix.counts[day, hour])} contact(s); rostered on duty in "
                        f"{self.matrix.on_duty[day, hour]:.0%} of the weeks. Click to select them.")


class MatrixPanel(QWidget):
    """The activity matrix with its pair choice and a one-line reading of it."""

    recordsChosen = Signal(list)  # noqa: N815 - the event ids of a clicked cell
    counted = Signal()  # a new count is shown

    def __init__(self, context: CaseContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setObjectName("matrixPanel")
        self.matrix: ActivityMatrix | None = None
        self._stale = True
        self.runner = TaskRunner(self)
        self.pair = QComboBox()
        self.pair.setToolTip("Contact between the officer and one person, or all contact")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.grid = MatrixGrid()
        top = QHBoxLayout()
        top.addWidget(QLabel("Contact with:"))
        top.addWidget(self.pair)
        top.addWidget(self.summary, 1)
        key = QLabel("Darker: more contact · orange bar: share of the weeks rostered on duty at "
                     "that hour · orange outline: on duty in at least half the weeks")
        key.setObjectName("matrixKey")
        key.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.grid, 1)
        layout.addWidget(key)
        self._fill_pairs()
        self.pair.currentIndexChanged.connect(lambda _i: self.refresh())
        self.grid.cellClicked.connect(self.choose_cell)
        context.changed.connect(self._case_changed)
        context.anonymiseChanged.connect(lambda _on: self._case_changed())
        context.rangeSelected.connect(lambda _r: self.refresh())
        self.refresh()

    def _fill_pairs(self) -> None:
        chosen = self.pair.currentData()
        self.pair.blockSignals(True)
        self.pair.clear()
        self.pair.addItem("All contact", None)
        for person in self.context.case.people:
            if person.role != "subject":
                self.pair.addItem(self.context.anonymiser.person(person), person.key)
        self.pair.setCurrentIndex(max(self.pair.findData(chosen), 0))
        self.pair.blockSignals(False)

    def _case_changed(self) -> None:
        self._fill_pairs()
        self.refresh()

    def refresh(self) -> None:
        """Count again for the chosen pair and the case's time range (when on screen),
        in a worker: a big case has a great deal of contact. A newer count cancels an older."""
        # Not while hidden, nor while the case's events are still being read.
        self._stale = not self.isVisible() or not self.context.events_loaded
        if self._stale:
            return
        time_range = self.context.selection.time_range
        start, end = time_range if time_range else (None, None)
        self.summary.setText("Counting…")
        task = Task(self.context.heavy(case_activity_matrix), self.context.store, self.context.ref,
                    anonymise=self.context.anonymise, member_key=self.pair.currentData(),
                    start=start, end=end)
        task.signals.finished.connect(self._counted)
        task.signals.failed.connect(lambda exc: self.summary.setText(f"Matrix failed: {exc}"))
        self.runner.start(task)

    def _counted(self, matrix: ActivityMatrix) -> None:
        current = self.runner.current
        if current is None or self.sender() is not current.signals:
            return  # an older count, replaced meanwhile (another pair, range or case)
        self.matrix = matrix
        self.grid.matrix, self.grid.chosen = self.matrix, None
        self.grid.update()
        busiest = divmod(int(self.matrix.counts.argmax()), 24)
        self.summary.setText(
            f"{self.matrix.total} contact(s)" + (
                f"; busiest {DAYS[busiest[0]]} {busiest[1]:02d}:00" if self.matrix.total else ""))
        self.counted.emit()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def choose_cell(self, day: int, hour: int) -> list[int]:
        """Select the records of one cell: the first is shown, all are listed and ringed."""
        records = self.matrix.records(day, hour) if self.matrix else []
        self.grid.chosen = (day, hour)
        self.grid.update()
        self.recordsChosen.emit(records)
        return records
