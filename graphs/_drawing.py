"""Render a laid-out link chart as a reportlab Drawing (vector, real text)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any, TypeVar

import networkx as nx
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from graphs._labels import LabelPlan, PlacedLabel, must_label, place_labels
from graphs._simple import severity_rank, simple_undirected
from graphs.style import (
    FADED_ALPHA,
    HIGHLIGHT_COLOUR,
    PERSON_KINDS,
    SEVERITY_STYLES,
    edge_width_points,
    kind_label,
    node_style,
    polygon_vertices,
    severity_style,
)

NodeT = TypeVar("NodeT", bound=Hashable)
Position = tuple[float, float]

MAX_SCALE = 40.0  # points per layout unit: a tiny chart is not blown up
MAX_STRETCH = 1.6  # how much more one axis may be scaled than the other
BACKING_PAD = 0.8  # white backing beyond the text, left and right (points)
BACKING_HEIGHT = 1.15  # the backing's height, in font sizes
LABEL_SPACE = 0.4  # kept clear around each label's backing (points)
LEADER_COLOUR = "#555555"  # leaders are dark, fine and dashed: unlike any link


def render_drawing(
    graph: nx.Graph,
    positions: Mapping[NodeT, Position],
    *,
    width: float,
    height: float,
    title: str | None = None,
    legend: bool = True,
    highlight_path: Sequence[NodeT] | None = None,
    font_name: str = "Helvetica",
    font_size: float = 7.5,
    labels: bool = True,
) -> Drawing:
    """Draw ``graph`` at ``positions`` into a ``width`` x ``height`` point Drawing.

    The layout is scaled to fit (see :func:`_fit`); labels are real text with a white
    backing so they stay legible over links, and never overlap one another: a minor
    label with no free spot is left out, and the chart says how many were. Embed the
    result in a platypus story or render it with ``reportlab.graphics.renderPDF``.
    """
    drawing = Drawing(width, height)
    drawn = [node for node in graph if node in positions]
    simple = simple_undirected(graph.subgraph(drawn))
    on_path = set(highlight_path or ())
    pairs = {frozenset(p) for p in zip(highlight_path or (), (highlight_path or ())[1:],
                                       strict=False)}
    faded = bool(on_path)
    top = height - (16.0 if title else 4.0)
    legend_height = _legend_height(graph, simple, width, font_size) if legend else 0.0
    note_height = font_size + 4.0 if labels else 0.0  # room for "+3 labels hidden"
    box = (8.0, 8.0 + legend_height + note_height, width - 8.0, top)
    transform, scale = _fit(positions, drawn, box, font_size)
    radius = max(2.0, min(7.0, 0.5 * scale))
    page_positions = {node: transform(positions[node]) for node in drawn}
    plan = (_place_labels(graph, simple, drawn, page_positions, radius, font_name, font_size, box)
            if labels else LabelPlan())

    if title:
        drawing.add(String(8, height - 12, title, fontName=font_name + "-Bold"
                           if font_name == "Helvetica" else font_name, fontSize=10))
    heaviest = max((d["weight"] for _u, _v, d in simple.edges(data=True)), default=1.0)
    ordered = sorted(simple.edges(data=True), key=lambda e: severity_rank(e[2]["severity"]))
    for u, v, data in ordered:
        (x1, y1), (x2, y2) = page_positions[u], page_positions[v]
        style = severity_style(data.get("severity"))
        on = frozenset((u, v)) in pairs
        line = Line(x1, y1, x2, y2, strokeColor=colors.HexColor(style.colour),
                    strokeWidth=0.7 * edge_width_points(data["weight"], heaviest) + style.extra_width)
        if style.dash:
            line.strokeDashArray = list(style.dash)
        if faded:
            line.strokeOpacity = FADED_ALPHA
        drawing.add(line)
        if on:
            drawing.add(Line(x1, y1, x2, y2, strokeColor=colors.HexColor(HIGHLIGHT_COLOUR),
                             strokeWidth=2.0))
    for label in plan.placed:
        if label.leader:
            x, y = page_positions[label.node]
            drawing.add(Line(x, y, min(max(x, label.box[0]), label.box[2]),
                             min(max(y, label.box[1]), label.box[3]),
                             strokeColor=colors.HexColor(LEADER_COLOUR), strokeWidth=0.4,
                             strokeDashArray=[0.8, 0.8]))
    for node in drawn:
        x, y = page_positions[node]
        drawing.add(_shape(graph.nodes[node].get("kind"), x, y, radius, node in on_path,
                           faded and node not in on_path))
    for label in plan.placed:
        _add_label(drawing, label, font_name, font_size)
    if plan.hidden:
        drawing.add(String(8, 8 + legend_height + 2, hidden_note(len(plan.hidden)), fontName=font_name,
                           fontSize=font_size, fillColor=colors.HexColor("#444444")))
    if legend:
        _add_legend(drawing, graph, simple, width, font_name, font_size)
    return drawing


def hidden_note(count: int) -> str:
    """What the chart says when it leaves labels out."""
    plural = "label" if count == 1 else "labels"
    return f"+{count} {plural} hidden (minor identifiers whose labels would overlap others)"


def _fit(positions: Mapping[NodeT, Position], drawn: Sequence[NodeT],
         box: tuple[float, float, float, float], font_size: float) -> tuple[Any, float]:
    """Scale and offset mapping layout units into ``box`` (points).

    The layout may be stretched up to ``MAX_STRETCH`` along one axis to use a page
    of another shape, which leaves more room for labels; the scale returned is the
    smaller of the two.
    """
    if drawn:
        xs = [positions[n][0] for n in drawn]
        ys = [positions[n][1] for n in drawn]
        low_x, high_x, low_y, high_y = min(xs), max(xs), min(ys), max(ys)
    else:
        low_x = low_y = -1.0
        high_x = high_y = 1.0
    margin = 2.0 * font_size + 8.0
    inner_w = max(box[2] - box[0] - 2 * margin, 1.0)
    inner_h = max(box[3] - box[1] - 2 * margin, 1.0)
    fit_x = inner_w / max(high_x - low_x, 1e-9)
    fit_y = inner_h / max(high_y - low_y, 1e-9)
    scale = min(fit_x, fit_y, MAX_SCALE)
    scale_x = min(fit_x, scale * MAX_STRETCH, MAX_SCALE)
    scale_y = min(fit_y, scale * MAX_STRETCH, MAX_SCALE)
    offset_x = box[0] + margin + (inner_w - scale_x * (high_x - low_x)) / 2.0
    offset_y = box[1] + margin + (inner_h - scale_y * (high_y - low_y)) / 2.0

    def transform(point: Position) -> tuple[float, float]:
        return offset_x + scale_x * (point[0] - low_x), offset_y + scale_y * (point[1] - low_y)

    return transform, scale


def _shape(kind: Any, x: float, y: float, radius: float, emphasised: bool, muted: bool) -> Any:
    style = node_style(kind)
    fill = colors.white if style.hollow else colors.HexColor(style.fill)
    stroke = colors.HexColor(HIGHLIGHT_COLOUR if emphasised else style.outline)
    vertices = polygon_vertices(style.shape)
    if vertices:
        points = [c for vx, vy in vertices for c in (x + radius * vx, y + radius * vy)]
        shape: Any = Polygon(points, fillColor=fill, strokeColor=stroke)
    else:
        shape = Circle(x, y, radius, fillColor=fill, strokeColor=stroke)
    shape.strokeWidth = 1.4 if emphasised else 0.6
    if style.hollow:
        shape.strokeDashArray = [2, 1.5]
    if muted:
        shape.fillOpacity = FADED_ALPHA + 0.15
        shape.strokeOpacity = FADED_ALPHA + 0.15
    return shape


def _place_labels(graph: nx.Graph, simple: nx.Graph, drawn: Sequence[NodeT],
                  page_positions: Mapping[NodeT, Position], radius: float, font_name: str,
                  font_size: float, box: tuple[float, float, float, float]) -> LabelPlan:
    """People and hubs choose first and are always shown; the rest by how busy they are."""
    texts = {n: " ".join(str(graph.nodes[n]["label"]).split()) for n in drawn
             if graph.nodes[n].get("label") not in (None, "")}
    always = {n for n in drawn if must_label(simple, n)}
    people = {n for n in always if graph.nodes[n].get("kind") in PERSON_KINDS}
    order = sorted(drawn, key=lambda n: (n not in people, n not in always, -simple.degree(n)))

    def measure(text: str) -> tuple[float, float]:
        return (stringWidth(text, font_name, font_size) + 2 * (BACKING_PAD + LABEL_SPACE),
                BACKING_HEIGHT * font_size + 2 * LABEL_SPACE)

    return place_labels(texts, page_positions, radius=radius, measure=measure, gap=1.5,
                        node_order=order, always=always, bounds=box)


def _add_label(drawing: Drawing, label: PlacedLabel, font_name: str, font_size: float) -> None:
    """A label's white backing and text, inside the box it was given."""
    left, bottom, right, top = label.box
    backing = Rect(left + LABEL_SPACE, bottom + LABEL_SPACE, right - left - 2 * LABEL_SPACE,
                   top - bottom - 2 * LABEL_SPACE, fillColor=colors.white, strokeColor=None)
    backing.fillOpacity = 0.8
    drawing.add(backing)
    drawing.add(String(left + LABEL_SPACE + BACKING_PAD, bottom + LABEL_SPACE + 0.25 * font_size,
                       label.text, fontName=font_name, fontSize=font_size,
                       fillColor=colors.HexColor("#111111")))


def _legend_entries(graph: nx.Graph, simple: nx.Graph) -> tuple[list[str], list[str]]:
    """The node kinds drawn, and every severity (a complete key, whichever are drawn)."""
    kinds = list(dict.fromkeys(str(kind) for _n, kind in graph.nodes(data="kind")))
    return kinds, list(SEVERITY_STYLES) if simple.number_of_edges() else []


def _legend_height(graph: nx.Graph, simple: nx.Graph, width: float, font_size: float) -> float:
    kinds, severities = _legend_entries(graph, simple)
    per_row = max(1, int((width - 16) // 95))
    rows = -(-len(kinds) // per_row) + (-(-len(severities) // per_row) if severities else 0)
    return rows * (font_size + 6.0) + 4.0


def _add_legend(drawing: Drawing, graph: nx.Graph, simple: nx.Graph, width: float,
                font_name: str, font_size: float) -> None:
    kinds, severities = _legend_entries(graph, simple)
    per_row = max(1, int((width - 16) // 95))
    row_height = font_size + 6.0
    group = Group()
    items: list[tuple[str, Any]] = []
    for kind in kinds:
        items.append((kind_label(kind), ("node", kind)))
    rows_for_kinds = -(-len(kinds) // per_row)
    for index, (name, (_what, kind)) in enumerate(items):
        x = 8 + (index % per_row) * 95
        y = 8 + (-(-len(severities) // per_row) + rows_for_kinds - 1 - index // per_row) * row_height
        group.add(_shape(kind, x + 5, y + font_size / 2, 4.0, False, False))
        group.add(String(x + 13, y + 1, name, fontName=font_name, fontSize=font_size))
    for index, key in enumerate(severities):
        severity_style = SEVERITY_STYLES[key]
        x = 8 + (index % per_row) * 95
        y = 8 + (-(-len(severities) // per_row) - 1 - index // per_row) * row_height
        line = Line(x, y + font_size / 2, x + 14, y + font_size / 2,
                    strokeColor=colors.HexColor(severity_style.colour),
                    strokeWidth=1.8 + severity_style.extra_width)
        if severity_style.dash:
            line.strokeDashArray = list(severity_style.dash)
        group.add(line)
        name = (severity_style.label if key == "none"
                else f"{severity_style.label} concern")
        group.add(String(x + 18, y + 1, name, fontName=font_name,
                         fontSize=font_size))
    drawing.add(group)
