"""The link chart's key: every node shape, link colour and outline in use, and only those.

It flows onto more rows when the window is too narrow for one.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QWidget

from graphs.style import NODE_STYLES, SEVERITY_STYLES, kind_label, node_style, polygon_vertices
from ui.flow_key import FlowKey, KeyEntry, SymbolPainter
from ui.link_chart.items import NEUTRAL_LINKS

SYMBOL = 7.0  # a node symbol's radius
LINE = 26.0  # a link sample's length
VULNERABLE_COLOUR = "#cc79a7"
NEUTRAL_LABELS = {"owns": "Uses / owns", "lives_at": "Lives at", "engagement": "Policing matter"}
# Before a chart is shown, the key lists what a chart can hold.
EVERY_KIND = tuple(NODE_STYLES)
EVERY_SEVERITY = ("none", "low", "medium", "high")


class ChartLegend(FlowKey):
    """A symbol per node kind in use, a line per link style in use, flowing onto more rows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chartLegend")
        self.setAccessibleName("Link chart key")
        self.kinds: tuple[str, ...] = EVERY_KIND
        self.severities: tuple[str, ...] = EVERY_SEVERITY
        self.neutral: tuple[str, ...] = tuple(NEUTRAL_LABELS)
        self.vulnerable = True

    def set_in_use(self, kinds: set[str], severities: set[str], neutral: set[str],
                   vulnerable: bool) -> None:
        """Show these, in the usual order (called when a chart is shown)."""
        self.kinds = tuple(k for k in EVERY_KIND if k in kinds) + tuple(
            sorted(k for k in kinds if k not in NODE_STYLES))
        self.severities = tuple(s for s in EVERY_SEVERITY if s in severities)
        self.neutral = tuple(n for n in NEUTRAL_LABELS if n in neutral)
        self.vulnerable = vulnerable
        self.setToolTip(", ".join(self.entries()))
        self.refresh()

    def entries(self) -> list[str]:
        """The key's words, in order (also its tooltip)."""
        return [entry.caption for entry in self.key_entries()]

    def key_entries(self) -> list[KeyEntry]:
        entries = []
        for kind in self.kinds:
            style = node_style(kind)
            fill = QColor("#ffffff") if style.hollow else QColor(style.fill)
            entries.append(KeyEntry(kind_label(kind), 2 * SYMBOL,
                                    _symbol(style.shape, fill, QPen(QColor(style.outline), 1))))
        for number, key in enumerate(self.severities):
            style = SEVERITY_STYLES[key]
            pen = QPen(QColor(style.colour), 3)
            if style.dash:
                pen.setDashPattern([max(d / 1.2, 0.5) for d in style.dash])
            entries.append(KeyEntry(style.label if key != "none" else "No marker", LINE,
                                    _line(pen), group_start=number == 0))
        for kind in self.neutral:
            pen = QPen(NEUTRAL_LINKS[kind], 2.2 if kind == "engagement" else 1.4)
            if kind == "engagement":
                pen.setStyle(Qt.PenStyle.DashDotLine)
            entries.append(KeyEntry(NEUTRAL_LABELS[kind], LINE, _line(pen)))
        if self.vulnerable:
            entries.append(KeyEntry("Vulnerability factors recorded", 2 * SYMBOL,
                                    _symbol("circle", QColor("#ffffff"),
                                            QPen(QColor(VULNERABLE_COLOUR), 2.2))))
        return entries


def _symbol(shape: str, fill: QColor, outline: QPen) -> SymbolPainter:
    def paint(p: QPainter, x: float, y: float) -> None:
        p.setPen(outline)
        p.setBrush(fill)
        centre = QPointF(x + SYMBOL, y)
        vertices = polygon_vertices(shape)
        if vertices:
            p.drawPolygon(QPolygonF([centre + QPointF(vx * SYMBOL, -vy * SYMBOL) for vx, vy in vertices]))
        else:
            p.drawEllipse(centre, SYMBOL, SYMBOL)
    return paint


def _line(pen: QPen) -> SymbolPainter:
    def paint(p: QPainter, x: float, y: float) -> None:
        p.setPen(pen)
        p.drawLine(QPointF(x, y), QPointF(x + LINE, y))
    return paint
