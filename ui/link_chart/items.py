"""The link chart's graphics items: a node (shape and fill by kind) and a link between two nodes.

Shapes and colours come from :mod:`graphs.style`, the same vocabulary as the
printed charts: kinds differ by shape first (greyscale- and colour-blind-safe),
link severity by colour *and* dash pattern. Items cache their drawing, so
panning and zooming a chart of thousands of nodes repaints pixmaps only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from graphs._units import LABEL_GAP, NODE_RADIUS
from graphs.style import (
    PERSON_KINDS,
    edge_width_points,
    node_style,
    polygon_vertices,
    severity_style,
)

UNIT = 36.0  # pixels per layout unit at 100 % zoom
FAST_LOD = 0.4  # below this zoom links are drawn without antialiasing
LABEL_POINT_SIZE = 9.0
LABEL_SIDES = ("below", "above", "right", "left")
MAJOR_KINDS = PERSON_KINDS
PATH_COLOUR = QColor("#000000")
SELECT_COLOUR = QColor("#0b5cad")
NEUTRAL_LINKS = {"owns": QColor("#8d96a3"), "lives_at": QColor("#8d96a3"),
                 "engagement": QColor("#009e73")}


def to_scene(position: tuple[float, float]) -> QPointF:
    """Layout units (y up) to scene pixels (y down)."""
    return QPointF(position[0] * UNIT, -position[1] * UNIT)


def to_layout(point: QPointF) -> tuple[float, float]:
    return point.x() / UNIT, -point.y() / UNIT


def label_font(points: float = LABEL_POINT_SIZE) -> QFont:
    font = QFont()
    font.setPointSizeF(points)
    return font


class NodeItem(QGraphicsItem):
    """One node: its shape, its label underneath, a pin when pinned."""

    def __init__(self, node: str, data: dict[str, Any], size: float = 1.0,
                 moved: Callable[[NodeItem], None] | None = None,
                 label_points: float = LABEL_POINT_SIZE) -> None:
        super().__init__()
        self.node, self.kind = node, str(data.get("kind", "other"))
        self.label = str(data.get("label", node))
        self.vulnerable = bool(data.get("vulnerable"))
        self.folded = int(data.get("folded") or 0)  # an "other" node standing for this many
        self.radius = NODE_RADIUS * UNIT * size
        self.pinned = False
        self.on_path = False
        self.label_scale = 1.0
        self.label_visible = True
        self.label_side = "below"  # one of LABEL_SIDES, chosen by the scene so labels never overlap
        self.priority = 0.0  # who keeps their label when labels would collide
        self.edges: list[EdgeItem] = []
        self._moved = moved
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsMovable
                      | QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
                      | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setAcceptHoverEvents(True)
        self.setZValue(2 if self.kind in MAJOR_KINDS else 1)
        self.label_points = label_points
        metrics = QFontMetricsF(label_font(label_points))
        self._label_w = metrics.horizontalAdvance(self.label) + 4
        self._label_h = metrics.height()
        self._shape = self._outline()

    # -- geometry --------------------------------------------------------------------------
    def _outline(self) -> QPainterPath:
        path = QPainterPath()
        vertices = polygon_vertices(node_style(self.kind).shape)
        if not vertices:
            path.addEllipse(QPointF(0, 0), self.radius, self.radius)
        else:
            path.addPolygon(QPolygonF([QPointF(x * self.radius, -y * self.radius) for x, y in vertices]))
            path.closeSubpath()
        return path

    def label_rect(self, side: str | None = None) -> QRectF:
        """Where the label goes (on ``side``, default its own), in item coordinates, screen-sized."""
        k = self.label_scale
        w, h = self._label_w * k, self._label_h * k
        gap = self.radius + LABEL_GAP * UNIT
        side = side or self.label_side
        if side == "above":
            return QRectF(-w / 2, -gap - h, w, h)
        if side == "right":
            return QRectF(gap, -h / 2, w, h)
        if side == "left":
            return QRectF(-gap - w, -h / 2, w, h)
        return QRectF(-w / 2, gap, w, h)

    def set_label_scale(self, scale: float, visible: bool, side: str | None = None) -> None:
        """Labels keep one size on screen: ``scale`` is 1 / the view's zoom."""
        side = side or self.label_side
        if (abs(scale - self.label_scale) > 1e-6 or visible != self.label_visible
                or side != self.label_side):
            self.prepareGeometryChange()
            self.label_scale, self.label_visible, self.label_side = scale, visible, side
            self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt API
        r = self.radius * 1.3 + 4
        return QRectF(-r, -r, 2 * r, 2 * r).united(self.label_rect()).adjusted(-2, -2, 2, 2)

    def shape(self) -> QPainterPath:
        path = QPainterPath(self._shape)
        if self.label_visible:
            path.addRect(self.label_rect())
        return path

    # -- drawing ---------------------------------------------------------------------------
    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        style = node_style(self.kind)
        selected = self.isSelected()
        if self.on_path or selected:
            ring = QPainterPathStroker()
            ring.setWidth(7)
            painter.fillPath(ring.createStroke(self._shape), SELECT_COLOUR if selected else PATH_COLOUR)
        fill = QColor("#ffffff") if style.hollow else QColor(style.fill)
        painter.setBrush(QBrush(fill))
        dark = bool(getattr(self.scene(), "dark", False))
        outline = QPen(QColor("#e6e9ee" if dark else style.outline), 2.2 if self.vulnerable else 1.2)
        if self.vulnerable:
            outline.setColor(QColor("#cc79a7"))
        painter.setPen(outline)
        painter.drawPath(self._shape)
        if self.pinned:
            self._pin(painter)
        if self.label_visible or selected or self.on_path:
            rect = self.label_rect()
            painter.save()
            painter.translate(rect.topLeft())
            painter.scale(self.label_scale, self.label_scale)
            box = QRectF(0, 0, self._label_w, self._label_h)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(30, 31, 34, 225) if dark else QColor(255, 255, 255, 225))
            painter.drawRoundedRect(box, 3, 3)
            painter.setFont(label_font(self.label_points))
            painter.setPen(QColor("#f0f0f0" if dark else "#1b1f24"))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, self.label)
            painter.restore()

    def _pin(self, painter: QPainter) -> None:
        head = QPointF(self.radius * 0.85, -self.radius * 0.95)
        painter.setPen(QPen(QColor("#1b1f24"), 1.6))
        painter.drawLine(QLineF(head, head + QPointF(-5, 7)))
        painter.setBrush(QColor("#d55e00"))
        painter.drawEllipse(head, 4, 4)

    # -- state ------------------------------------------------------------------------------
    def set_pinned(self, pinned: bool) -> None:
        self.pinned = pinned
        self.update()

    def set_on_path(self, on_path: bool) -> None:
        if on_path != self.on_path:
            self.on_path = on_path
            self.update()

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: Any) -> Any:  # noqa: N802
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            for edge in self.edges:
                edge.adjust()
            if self._moved is not None:
                self._moved(self)
        return super().itemChange(change, value)


class EdgeItem(QGraphicsItem):
    """All links between two nodes as one line: width by volume, colour by worst severity."""

    def __init__(self, a: NodeItem, b: NodeItem, links: list[dict[str, Any]], heaviest: float) -> None:
        super().__init__()
        self.a, self.b, self.links = a, b, links
        self.kinds = {str(link.get("kind")) for link in links}
        self.weight = sum(float(link.get("weight", 1)) for link in links if link.get("kind") in
                          ("contact", "lookup", "visit")) or 0.0
        ranks = {"none": 0, "low": 1, "medium": 2, "high": 3}
        self.severity = max((str(link.get("severity", "none")) for link in links),
                            key=lambda s: ranks.get(s, 0))
        self.on_path = False
        self.faded = False
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptHoverEvents(True)
        self.setZValue(0)
        self._pen = self._make_pen(heaviest)
        a.edges.append(self)
        b.edges.append(self)
        self._line = QLineF()
        self.adjust()

    @property
    def event_ids(self) -> list[int]:
        """The records behind the link (worked out when asked: a busy link has thousands)."""
        return sorted({int(e) for link in self.links for e in (link.get("event_ids") or [])})

    def _make_pen(self, heaviest: float) -> QPen:
        neutral = next((NEUTRAL_LINKS[k] for k in ("engagement", "owns", "lives_at") if k in self.kinds), None)
        if self.weight <= 0 and neutral is not None:
            pen = QPen(neutral, 1.4 if "engagement" not in self.kinds else 2.2)
            if "engagement" in self.kinds:
                pen.setStyle(Qt.PenStyle.DashDotLine)
            return pen
        style = severity_style(self.severity)
        width = (edge_width_points(self.weight, heaviest) + style.extra_width) * 1.6
        pen = QPen(QColor(style.colour), width)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        if style.dash:
            pen.setDashPattern([max(d / 1.2, 0.5) for d in style.dash])
        return pen

    @property
    def pair(self) -> frozenset[str]:
        return frozenset((self.a.node, self.b.node))

    def adjust(self) -> None:
        self.prepareGeometryChange()
        self._line = QLineF(self.a.pos(), self.b.pos())

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt API
        extra = self._pen.widthF() / 2 + 6
        return QRectF(self._line.p1(), self._line.p2()).normalized().adjusted(-extra, -extra, extra, extra)

    def shape(self) -> QPainterPath:
        path = QPainterPath(self._line.p1())
        path.lineTo(self._line.p2())
        stroker = QPainterPathStroker()
        stroker.setWidth(max(self._pen.widthF(), 8.0))
        return stroker.createStroke(path)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        if self.on_path or self.isSelected():
            halo = QPen(PATH_COLOUR if self.on_path else SELECT_COLOUR, self._pen.widthF() + 6)
            halo.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(halo)
            painter.drawLine(self._line)
        if option.levelOfDetailFromTransform(painter.worldTransform()) < FAST_LOD:
            # Zoomed far out, thousands of thin lines: plain lines paint several times faster.
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        pen = QPen(self._pen)
        if self.faded:
            colour = pen.color()
            colour.setAlpha(60)
            pen.setColor(colour)
        painter.setPen(pen)
        painter.drawLine(self._line)

    def set_on_path(self, on_path: bool) -> None:
        self.on_path = on_path
        self.update()

    def set_faded(self, faded: bool) -> None:
        if faded != self.faded:
            self.faded = faded
            self.update()
