"""The link chart's key: every node shape, link colour and outline in use, and only those."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QWidget

from graphs.style import NODE_STYLES, SEVERITY_ORDER, SEVERITY_STYLES, node_style, polygon_vertices
from ui.link_chart.items import NEUTRAL_LINKS
from ui.tooltips import tooltip

SYMBOL = 7.0
VULNERABLE_COLOUR = "#cc79a7"
NEUTRAL_LABELS = {"owns": "Uses / owns", "lives_at": "Lives at", "engagement": "Policing matter"}
# Before a chart is shown, the key lists what a chart can hold.
EVERY_KIND = tuple(NODE_STYLES)


class ChartLegend(QWidget):
    """One row: a symbol per node kind in use, a line per link style in use."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chartLegend")
        self.setFixedHeight(24)
        self.setAccessibleName("Link chart key")
        self.kinds: tuple[str, ...] = EVERY_KIND
        self.severities: tuple[str, ...] = SEVERITY_ORDER
        self.neutral: tuple[str, ...] = tuple(NEUTRAL_LABELS)
        self.vulnerable = True

    def set_in_use(self, kinds: set[str], severities: set[str], neutral: set[str],
                   vulnerable: bool) -> None:
        """Show these, in the usual order (called when a chart is shown)."""
        self.kinds = tuple(k for k in EVERY_KIND if k in kinds) + tuple(
            sorted(k for k in kinds if k not in NODE_STYLES))
        self.severities = tuple(s for s in SEVERITY_ORDER if s in severities)
        self.neutral = tuple(n for n in NEUTRAL_LABELS if n in neutral)
        self.vulnerable = vulnerable
        self.setToolTip(tooltip(", ".join(self.entries())))
        self.update()

    def entries(self) -> list[str]:
        """The key's words, in order (also its tooltip)."""
        return ([node_style(k).label for k in self.kinds]
                + [SEVERITY_STYLES[s].label if s != "none" else "No marker" for s in self.severities]
                + [NEUTRAL_LABELS[n] for n in self.neutral]
                + (["Vulnerability factors recorded"] if self.vulnerable else []))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(1200, 24)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetricsF(self.font())
        x, y = 8.0, self.height() / 2
        text_colour = self.palette().windowText().color()

        def caption(text: str) -> None:
            nonlocal x
            p.setPen(text_colour)
            width = metrics.horizontalAdvance(text)
            p.drawText(QRectF(x, 0, width + 2, self.height()), Qt.AlignmentFlag.AlignVCenter, text)
            x += width + 14

        def symbol(shape: str, fill: QColor, outline: QPen) -> None:
            nonlocal x
            p.setPen(outline)
            p.setBrush(fill)
            vertices = polygon_vertices(shape)
            centre = QPointF(x + SYMBOL, y)
            if vertices:
                p.drawPolygon(QPolygonF([centre + QPointF(vx * SYMBOL, -vy * SYMBOL) for vx, vy in vertices]))
            else:
                p.drawEllipse(centre, SYMBOL, SYMBOL)
            x += 2 * SYMBOL + 5

        def line(pen: QPen) -> None:
            nonlocal x
            p.setPen(pen)
            p.drawLine(QPointF(x, y), QPointF(x + 26, y))
            x += 31

        for kind in self.kinds:
            style = node_style(kind)
            symbol(style.shape, QColor("#ffffff") if style.hollow else QColor(style.fill),
                   QPen(QColor(style.outline), 1))
            caption(style.label)
        x += 10
        for key in self.severities:
            style = SEVERITY_STYLES[key]
            pen = QPen(QColor(style.colour), 3)
            if style.dash:
                pen.setDashPattern([max(d / 1.2, 0.5) for d in style.dash])
            line(pen)
            caption(style.label if key != "none" else "No marker")
        for kind in self.neutral:
            pen = QPen(NEUTRAL_LINKS[kind], 2.2 if kind == "engagement" else 1.4)
            if kind == "engagement":
                pen.setStyle(Qt.PenStyle.DashDotLine)
            line(pen)
            caption(NEUTRAL_LABELS[kind])
        if self.vulnerable:
            symbol("circle", QColor("#ffffff"), QPen(QColor(VULNERABLE_COLOUR), 2.2))
            caption("Vulnerability factors recorded")
        p.end()
