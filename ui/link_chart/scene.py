"""The link chart's scene: node and link items built from a prepared case graph."""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, QRectF, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsScene

from graphs.style import HUB_LINKS, node_style
from ui import formatting
from ui.link_chart.items import LABEL_SIDES, MAJOR_KINDS, EdgeItem, NodeItem, to_layout, to_scene
from workbench.chart_layout import PreparedChart

MAJOR_PRIORITY = 2e9  # people and "other" nodes keep their labels before any identifier
MAX_SIZE_BOOST = 0.7  # the most central node is drawn this much larger
LINK_WORDS = {"owns": "uses", "lives_at": "lives at", "engagement": "policing matter",
              "contact": "contact", "lookup": "police-system look-up", "visit": "vehicle visit"}


def is_hub(item: NodeItem) -> bool:
    """An identifier that matters: the officer's own, or one linked to several others."""
    if item.kind in MAJOR_KINDS:
        return False
    ends = [edge.b if edge.a is item else edge.a for edge in item.edges]
    return len(ends) >= HUB_LINKS or any(end.kind == "officer" for end in ends)


class ChartScene(QGraphicsScene):
    """Nodes and links of one prepared chart; knows nothing of the database."""

    nodesMoved = Signal()  # noqa: N815 - the analyst dragged nodes (save their positions)
    labelsHidden = Signal(int)  # noqa: N815 - how many minor labels are left out at this zoom

    def __init__(self, timezone: str = "Europe/London", label_points: float = 9.0,
                 parent: QObject | None = None, dark: bool = False) -> None:
        super().__init__(parent)
        self.label_points = label_points
        self.dark = dark  # light labels on a dark ground (presentation mode)
        self.timezone = ZoneInfo(timezone)
        self.nodes: dict[str, NodeItem] = {}
        self.edges: dict[frozenset[str], EdgeItem] = {}
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        self.setBackgroundBrush(QColor("#1e1f22" if dark else "#fbfcfd"))
        self._building = False
        self._dragged = False
        self.view_scale = 1.0
        self.hidden_labels = 0  # minor labels left out because they would overlap others

    # -- building --------------------------------------------------------------------------
    def show_chart(self, chart: PreparedChart, size_by_centrality: bool = False) -> None:
        """Replace the items with those of ``chart`` (positions in layout units)."""
        self._building = True
        self.clearSelection()
        self.clear()
        self.nodes, self.edges = {}, {}
        graph = chart.graph
        top = max(chart.centrality.values(), default=0.0) or 1.0
        for node, data in graph.nodes(data=True):
            size = 1.0 + MAX_SIZE_BOOST * chart.centrality.get(str(node), 0.0) / top if size_by_centrality else 1.0
            item = NodeItem(str(node), data, size, moved=self._node_moved, label_points=self.label_points)
            item.setPos(to_scene(chart.positions.get(node, (0.0, 0.0))))
            item.set_pinned(node in chart.pinned)
            self.addItem(item)
            self.nodes[str(node)] = item
        links: dict[frozenset[str], list[dict[str, Any]]] = defaultdict(list)
        for u, v, data in graph.edges(data=True):
            if u != v:
                links[frozenset((str(u), str(v)))].append(data)
        volumes = [sum(float(d.get("weight", 1)) for d in group) for group in links.values()]
        heaviest = max(volumes, default=1.0)
        for pair, group in links.items():
            a, b = sorted(pair)
            edge = EdgeItem(self.nodes[a], self.nodes[b], group, heaviest)
            edge.setToolTip(self._edge_tooltip(edge))
            self.addItem(edge)
            self.edges[pair] = edge
        for item in self.nodes.values():
            item.setToolTip(self._node_tooltip(item))
            volume = sum(e.weight for e in item.edges)
            major = item.kind in MAJOR_KINDS or item.folded or is_hub(item)
            # People choose first (they are always labelled), then hubs, then the rest by volume.
            person = 2 * MAJOR_PRIORITY if item.kind in MAJOR_KINDS else 0.0
            item.priority = person + (MAJOR_PRIORITY if major else 0.0) + volume
        self.set_view_scale(self.view_scale)
        rect = self.content_rect()
        self.setSceneRect(rect.adjusted(-rect.width() * 0.5 - 200, -rect.height() * 0.5 - 200,
                                        rect.width() * 0.5 + 200, rect.height() * 0.5 + 200))
        self._building = False

    def styles_in_use(self) -> tuple[set[str], set[str], set[str], bool]:
        """Node kinds, link severities, plain link kinds and vulnerability outlines drawn."""
        kinds = {item.kind for item in self.nodes.values()}
        severities = {edge.severity for edge in self.edges.values() if edge.weight > 0}
        plain = {kind for edge in self.edges.values() if edge.weight <= 0 for kind in edge.kinds}
        return kinds, severities, plain, any(item.vulnerable for item in self.nodes.values())

    def content_rect(self) -> QRectF:
        """The nodes' extent (labels excluded: their scene size depends on the zoom)."""
        rect = QRectF()
        for item in self.nodes.values():
            r = item.radius
            rect = rect.united(QRectF(item.pos().x() - r, item.pos().y() - r, 2 * r, 2 * r))
        return rect

    def set_view_scale(self, scale: float) -> None:
        """Keep labels one size on screen and show only those that do not collide.

        Labels are placed greedily by priority (people first, then the busiest
        identifiers); a label that would overlap one already placed is left out
        until the analyst zooms in (or selects the node).
        """
        self.view_scale = scale
        k = 1.0 / max(scale, 1e-6)
        labels: dict[tuple[int, int], list[QRectF]] = defaultdict(list)
        bodies: dict[tuple[int, int], list[QRectF]] = defaultdict(list)
        cell = 120.0 * k * self.label_points / 9.0

        def cells_of(rect: QRectF) -> list[tuple[int, int]]:
            return [(cx, cy) for cx in range(int(rect.left() // cell), int(rect.right() // cell) + 1)
                    for cy in range(int(rect.top() // cell), int(rect.bottom() // cell) + 1)]

        def clashes(rect: QRectF, grid: dict[tuple[int, int], list[QRectF]]) -> bool:
            return any(rect.intersects(other) for c in cells_of(rect) for other in grid.get(c, ()))

        # Minor labels must not hide another node's symbol either.
        for item in self.nodes.values():
            r = item.radius
            body = QRectF(item.pos().x() - r, item.pos().y() - r, 2 * r, 2 * r)
            for c in cells_of(body):
                bodies[c].append(body)
        self.hidden_labels = 0
        for item in sorted(self.nodes.values(), key=lambda i: -i.priority):
            item.set_label_scale(k, True)
            major = item.priority >= MAJOR_PRIORITY
            side = next((s for s in LABEL_SIDES
                         if not clashes(rect := item.label_rect(s).translated(item.pos()), labels)
                         and (major or not clashes(rect, bodies))), None)
            if side is None and item.kind not in MAJOR_KINDS:
                item.set_label_scale(k, False)
                self.hidden_labels += 1
                continue
            # People are always labelled: in the rare jam, below as usual.
            item.set_label_scale(k, True, side or "below")
            rect = item.label_rect().translated(item.pos())
            for c in cells_of(rect):
                labels[c].append(rect)
        self.labelsHidden.emit(self.hidden_labels)

    # -- what the analyst sees on hover ---------------------------------------------------
    def _span(self, links: list[dict[str, Any]]) -> str:
        firsts = [d["first"] for d in links if d.get("first") is not None]
        lasts = [d["last"] for d in links if d.get("last") is not None]
        if not firsts:
            return ""
        return (f"<br>First: {formatting.moment(min(firsts), self.timezone)}"
                f"<br>Last: {formatting.moment(max(lasts), self.timezone)}")

    def _node_tooltip(self, item: NodeItem) -> str:
        links = [d for e in item.edges for d in e.links if d.get("kind") in ("contact", "lookup", "visit")]
        contacts = sum(int(d.get("weight", 0)) for d in links)
        counts: dict[str, int] = defaultdict(int)
        for d in links:
            for kind, n in (d.get("counts") or {}).items():
                counts[kind] += int(n)
        detail = ", ".join(f"{n:,} {formatting.words(k)}" for k, n in sorted(counts.items(), key=lambda x: -x[1]))
        text = (f"<b>{item.label}</b><br>{node_style(item.kind).label}"
                f"{' · vulnerability factors recorded' if item.vulnerable else ''}"
                f"<br>{len(item.edges)} link(s); {contacts:,} contact(s)")
        if detail:
            text += f" ({detail})"
        return text + self._span(links) + ("<br><i>Pinned</i>" if item.pinned else "")

    def _edge_tooltip(self, edge: EdgeItem) -> str:
        lines = [f"<b>{edge.a.label} — {edge.b.label}</b>"]
        for d in edge.links:
            kind = str(d.get("kind"))
            words = LINK_WORDS.get(kind, kind)
            if kind in ("contact", "lookup", "visit"):
                channel = formatting.words(d.get("channel")) if d.get("channel") else ""
                extra = [f"{d[k]} {w}" for k, w in (("night", "at night"), ("off_duty", "off duty"),
                                                       ("after_closure", "after closure")) if d.get(k)]
                lines.append(f"{int(d.get('weight', 0)):,} {words}{' by ' + channel if channel else ''}"
                             + (f" ({', '.join(extra)})" if extra else ""))
            else:
                lines.append(words + (f": {d['label']}" if d.get("label") else ""))
        if edge.severity != "none":
            lines.append(f"Worst marker severity: {edge.severity}")
        return "<br>".join(lines) + self._span(edge.links)

    # -- state --------------------------------------------------------------------------------
    def _node_moved(self, _item: NodeItem) -> None:
        if not self._building:
            self._dragged = True

    def mouseReleaseEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        super().mouseReleaseEvent(event)
        if self._dragged:
            self._dragged = False
            self.set_view_scale(self.view_scale)  # labels may collide in the new places
            self.nodesMoved.emit()

    def positions(self) -> dict[str, tuple[float, float, bool]]:
        """Every node's place in layout units and whether it is pinned."""
        return {node: (*to_layout(item.pos()), item.pinned) for node, item in self.nodes.items()}

    def selected_nodes(self) -> list[str]:
        return [item.node for item in self.selectedItems() if isinstance(item, NodeItem)]

    def selected_edges(self) -> list[EdgeItem]:
        return [item for item in self.selectedItems() if isinstance(item, EdgeItem)]

    def events_of_selection(self) -> list[int]:
        """Event ids behind the selected links, or the links of the selected nodes."""
        ids: set[int] = set()
        for edge in self.selected_edges():
            ids.update(edge.event_ids)
        for node in self.selected_nodes():
            for edge in self.nodes[node].edges:
                ids.update(edge.event_ids)
        return sorted(ids)

    def highlight_path(self, nodes: tuple[str, ...] | None) -> None:
        """Mark a path's nodes and links; fade every other link. None clears it."""
        on_nodes = set(nodes or ())
        on_links = {frozenset(p) for p in zip(nodes or (), (nodes or ())[1:], strict=False)}
        for node, item in self.nodes.items():
            item.set_on_path(node in on_nodes)
        for pair, edge in self.edges.items():
            edge.set_on_path(pair in on_links)
            edge.set_faded(bool(nodes) and pair not in on_links)

    def path_nodes(self) -> list[str]:
        return [node for node, item in self.nodes.items() if item.on_path]
