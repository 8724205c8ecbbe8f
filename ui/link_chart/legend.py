"""The link chart's key: node shapes by kind and link colours by worst marker severity."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QWidget

from graphs.style import NODE_STYLES, SEVERITY_STYLES, polygon_vertices

KINDS = ("officer", "member_of_public", "colleague", "phone", "account", "vehicle", "place",
         "police_system", "unresolved")
SYMBOL = 7.0


class ChartLegend(QWidget):
    """One row: a symbol per node kind, then a line per severity."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chartLegend")
        self.setFixedHeight(24)
        self.setAccessibleName("Link chart key")

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(1200, 24)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetricsF(self.font())
        x, y = 8.0, self.height() / 2
        text_colour = self.palette().windowText().color()
        for kind in KINDS:
            style = NODE_STYLES[kind]
            p.setPen(QPen(QColor(style.outline), 1))
            p.setBrush(QColor("#ffffff") if style.hollow else QColor(style.fill))
            vertices = polygon_vertices(style.shape)
            centre = QPointF(x + SYMBOL, y)
            if vertices:
                p.drawPolygon(QPolygonF([centre + QPointF(vx * SYMBOL, -vy * SYMBOL) for vx, vy in vertices]))
            else:
                p.drawEllipse(centre, SYMBOL, SYMBOL)
            x += 2 * SYMBOL + 5
            p.setPen(text_colour)
            width = metrics.horizontalAdvance(style.label)
            p.drawText(QRectF(x, 0, width + 2, self.height()), Qt.AlignmentFlag.AlignVCenter, style.label)
            x += width + 14
        x += 10
        for key in ("none", "low", "medium", "high"):
            style = SEVERITY_STYLES[key]
            pen = QPen(QColor(style.colour), 3)
            if style.dash:
                pen.setDashPattern([max(d / 1.2, 0.5) for d in style.dash])
            p.setPen(pen)
            p.drawLine(QPointF(x, y), QPointF(x + 26, y))
            x += 31
            p.setPen(text_colour)
            label = style.label if key != "none" else "No marker"
            width = metrics.horizontalAdvance(label)
            p.drawText(QRectF(x, 0, width + 2, self.height()), Qt.AlignmentFlag.AlignVCenter, label)
            x += width + 14
        p.end()
