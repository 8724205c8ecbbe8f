"""A lane under the contact timeline for prior history: intelligence reports and complaints.

It shares the timeline's time axis (it reads the timeline's visible window and
repaints with it), so a report or complaint sits next to the contact it
preceded. Items before the window are counted at the left edge; handling-code-C
reports are drawn hollow with a warning mark; complaints in a cluster are filled.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from ui import theme
from ui.casework_state import CaseworkState
from ui.timeline import TimelineView
from ui.timeline.painter import TimelinePainter
from ui.tooltips import tooltip
from workbench.timeutil import format_day

LANE_H = 44
INTEL_COLOUR = QColor("#0072b2")
RESTRICTED_COLOUR = QColor("#d55e00")
COMPLAINT_COLOUR = QColor("#e69f00")
HIT_PX = 8


def _epoch(day: date) -> float:
    return datetime.combine(day, time(12), UTC).timestamp()


class HistoryLane(QWidget):
    """Intelligence (diamonds) and complaints (triangles) on the timeline's axis."""

    def __init__(self, state: CaseworkState, timeline: TimelineView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state, self.timeline = state, timeline
        self.setObjectName("historyLane")
        self.setFixedHeight(LANE_H)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)
        self.setAccessibleName("Prior intelligence and complaints lane")
        state.changed.connect(self.update)
        timeline.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if watched is self.timeline and event.type() == QEvent.Type.Paint:
            self.update()  # the timeline moved or zoomed: follow it
        return False

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(1000, LANE_H)

    def x_of(self, epoch: float) -> float:
        geo = self.timeline.geometry_now()
        return float(TimelinePainter.x_of(epoch, self.timeline.view, geo))

    def items(self) -> list[tuple[float, str, str, bool, str]]:
        """(epoch, kind, reference, flagged, tooltip) for every report and complaint."""
        text = self.state.context.anonymiser.text
        found = []
        for report in self.state.intel:
            tip = tooltip(f"Submitted {format_day(report.submitted)}",
                          "Handling code C: conditions apply" if report.restricted
                          else text(report.text)[:200],
                          title=f"Intelligence {report.urn} ({report.grading}, {report.scheme})")
            found.append((_epoch(report.submitted), "intel", report.urn, report.restricted, tip))
        for complaint in self.state.complaints:
            tip = tooltip(f"Received {format_day(complaint.received)}", complaint.category or "",
                          "One of three or more within twelve months" if complaint.in_cluster else "",
                          title=f"Complaint {complaint.reference}")
            found.append((_epoch(complaint.received), "complaint", complaint.reference,
                          complaint.in_cluster, tip))
        return sorted(found)

    def paintEvent(self, _event: QEvent) -> None:  # noqa: N802 - Qt API
        colours = theme.colours(theme.current())
        geo = self.timeline.geometry_now()
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), colours["surface_alt"])
        p.setPen(colours["border"])
        p.drawLine(0, 0, self.width(), 0)
        font = QFont()
        font.setPointSizeF(9)
        font.setBold(True)
        p.setFont(font)
        p.setPen(colours["text"])
        p.drawText(QRectF(8, 0, geo.plot_left - 16, LANE_H), Qt.AlignmentFlag.AlignVCenter,
                   "Intelligence and complaints")
        middle = LANE_H / 2
        earlier = 0
        p.setClipRect(QRectF(geo.plot_left, 0, geo.plot_width, LANE_H))
        for epoch, kind, _ref, flagged, _tip in self.items():
            x = self.x_of(epoch)
            if x < geo.plot_left:
                earlier += 1
                continue
            if x > geo.plot_left + geo.plot_width:
                continue
            self._glyph(p, kind, flagged, x, middle)
        p.setClipping(False)
        if earlier:
            small = QFont()
            small.setPointSizeF(8.5)
            p.setFont(small)
            p.setPen(colours["muted"])
            p.drawText(QRectF(geo.plot_left + 4, 0, 200, LANE_H), Qt.AlignmentFlag.AlignVCenter,
                       f"◀ {earlier} earlier")
        p.end()

    def _glyph(self, p: QPainter, kind: str, flagged: bool, x: float, y: float) -> None:
        if kind == "intel":
            colour = RESTRICTED_COLOUR if flagged else INTEL_COLOUR
            shape = QPolygonF([QPointF(x, y - 9), QPointF(x + 8, y), QPointF(x, y + 9), QPointF(x - 8, y)])
            p.setPen(QPen(colour, 2))
            p.setBrush(Qt.BrushStyle.NoBrush if flagged else colour)
            p.drawPolygon(shape)
            if flagged:
                p.drawText(QRectF(x - 8, y - 9, 16, 18), Qt.AlignmentFlag.AlignCenter, "!")
        else:
            shape = QPolygonF([QPointF(x, y - 9), QPointF(x + 8, y + 7), QPointF(x - 8, y + 7)])
            p.setPen(QPen(COMPLAINT_COLOUR.darker(130), 1.6))
            p.setBrush(COMPLAINT_COLOUR if flagged else Qt.BrushStyle.NoBrush)
            p.drawPolygon(shape)

    def item_at(self, x: float) -> str | None:
        best, distance = None, float(HIT_PX)
        for epoch, _kind, _ref, _flag, tip in self.items():
            gap = abs(self.x_of(epoch) - x)
            if gap <= distance:
                best, distance = tip, gap
        return best

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            tip = self.item_at(event.pos().x())  # type: ignore[attr-defined]
            if tip:
                QToolTip.showText(event.globalPos(), tip, self)  # type: ignore[attr-defined]
            else:
                QToolTip.hideText()
            return True
        return super().event(event)
