"""Render a laid-out link chart to a matplotlib Figure (PNG/SVG/PDF) or a reportlab
Drawing (vector, for embedding in a PDF).

Shapes follow node ``kind``, line width follows ``weight`` (log-scaled) and line colour
and style follow ``severity`` (see :mod:`graphs.style`). Labels come from the node's
``label`` attribute only, so callers anonymise by passing ciphers.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import matplotlib
import networkx as nx
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, Patch, Polygon

from graphs._drawing import hidden_note, render_drawing
from graphs._labels import must_label, place_labels
from graphs._simple import severity_rank, simple_undirected
from graphs.layout import LABEL_GAP, LABEL_HEIGHT, NODE_RADIUS
from graphs.style import (
    FADED_ALPHA,
    HIGHLIGHT_COLOUR,
    SEVERITY_STYLES,
    edge_width_points,
    kind_label,
    node_style,
    polygon_vertices,
    severity_style,
)

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

NodeT = TypeVar("NodeT", bound=Hashable)
Position = tuple[float, float]

__all__ = ["render_figure", "save_figure", "render_drawing", "path_edges"]

_LEGEND_WIDTH_IN = 1.9
_MAX_NODE_POINTS = 10.0
_MIN_NODE_POINTS = 2.0
_FONT_RANGE = (4.5, 9.0)
_FONT_FAMILY = "DejaVu Sans"


def path_edges(path: Sequence[NodeT] | None) -> set[frozenset[NodeT]]:
    """Unordered node pairs along a path (empty for ``None``)."""
    if not path:
        return set()
    return {frozenset(pair) for pair in zip(path, path[1:], strict=False)}


def render_figure(
    graph: nx.Graph,
    positions: Mapping[NodeT, Position],
    *,
    title: str | None = None,
    legend: bool = True,
    highlight_path: Sequence[NodeT] | None = None,
    figsize: tuple[float, float] | None = None,
    labels: bool = True,
) -> Figure:
    """Draw ``graph`` at ``positions`` onto a new Figure (no pyplot, no display).

    Args:
        graph: nodes with ``kind``/``label``, edges with ``weight``/``severity``.
        positions: layout coordinates (e.g. from :func:`graphs.layout.force_layout`);
            nodes without a position are left out.
        title: optional heading.
        legend: add a legend of the node kinds and severities present.
        highlight_path: nodes of a path to emphasise; everything else is faded.
        figsize: (width, height) in inches; by default sized to the layout's shape.
        labels: draw node labels.
    """
    drawn = [node for node in graph if node in positions]
    simple = simple_undirected(graph.subgraph(drawn))
    on_path = set(highlight_path or ())
    path_pairs = path_edges(highlight_path)
    faded = bool(path_pairs or on_path)

    low_x, low_y, high_x, high_y = _bounds(positions, drawn)
    label_room = LABEL_GAP + LABEL_HEIGHT
    low_x, high_x = low_x - 1.5, high_x + 1.5
    low_y, high_y = low_y - label_room - 1.0, high_y + 1.0
    data_w, data_h = high_x - low_x, high_y - low_y
    legend_w = _LEGEND_WIDTH_IN if legend else 0.0
    title_h = 0.45 if title else 0.1
    if figsize is None:
        plot_w = 8.5 if len(drawn) > 30 else 6.5
        plot_h = min(max(plot_w * data_h / data_w, 3.0), 11.0)
        figsize = (plot_w + legend_w, plot_h + title_h)
    fig = Figure(figsize=figsize, dpi=100)
    fig_w, fig_h = figsize
    plot_w, plot_h = fig_w - legend_w - 0.2, fig_h - title_h - 0.1
    ax = fig.add_axes((0.1 / fig_w, 0.1 / fig_h, plot_w / fig_w, plot_h / fig_h))
    ax.set_axis_off()
    ax.set_aspect("equal", adjustable="box", anchor="NW")
    points_per_unit = min(plot_w * 72.0 / data_w, plot_h * 72.0 / data_h)
    node_radius = min(NODE_RADIUS, _MAX_NODE_POINTS / points_per_unit)
    node_radius = max(node_radius, _MIN_NODE_POINTS / points_per_unit)
    font_size = min(max(0.8 * LABEL_HEIGHT * points_per_unit, _FONT_RANGE[0]), _FONT_RANGE[1])

    _draw_edges(ax, simple, positions, path_pairs, faded)
    _draw_nodes(ax, graph, drawn, positions, node_radius, on_path, faded)
    text_extent = (low_x, low_y, high_x, high_y)
    if labels:
        text_extent = _draw_labels(ax, graph, simple, drawn, positions, node_radius, font_size,
                                   points_per_unit, on_path, faded, text_extent)
    ax.set_xlim(text_extent[0] - 0.5, text_extent[2] + 0.5)
    ax.set_ylim(text_extent[1] - 0.5, text_extent[3] + 0.5)
    if title:
        fig.suptitle(title, x=0.1 / fig_w, y=1 - 0.08 / fig_h, ha="left", va="top",
                     fontsize=11, fontweight="bold", family=_FONT_FAMILY)
    if legend:
        _draw_legend(fig, graph, simple, fig_w)
    return fig


def _bounds(positions: Mapping[NodeT, Position], drawn: Sequence[NodeT]) -> tuple[float, float, float, float]:
    if not drawn:
        return -1.0, -1.0, 1.0, 1.0
    xs = [positions[node][0] for node in drawn]
    ys = [positions[node][1] for node in drawn]
    return min(xs), min(ys), max(xs), max(ys)


def _draw_edges(ax: Any, simple: nx.Graph, positions: Mapping[NodeT, Position],
                path_pairs: set[frozenset[NodeT]], faded: bool) -> None:
    heaviest = max((data["weight"] for _u, _v, data in simple.edges(data=True)), default=1.0)
    groups: dict[str, tuple[list[Any], list[float]]] = {}
    highlighted: list[Any] = []
    ordered = sorted(simple.edges(data=True), key=lambda edge: severity_rank(edge[2]["severity"]))
    for u, v, data in ordered:
        segment = (positions[u], positions[v])
        style = severity_style(data.get("severity"))
        width = edge_width_points(data["weight"], heaviest) + style.extra_width
        key = str(data.get("severity") or "none").lower()
        key = key if key in SEVERITY_STYLES else "none"
        segments, widths = groups.setdefault(key, ([], []))
        segments.append(segment)
        widths.append(width)
        if frozenset((u, v)) in path_pairs:
            highlighted.append(segment)
    if highlighted:
        ax.add_collection(LineCollection(highlighted, colors=HIGHLIGHT_COLOUR, linewidths=7.0,
                                         alpha=0.35, zorder=1.5, capstyle="round"))
    for key, (segments, widths) in groups.items():
        style = SEVERITY_STYLES[key]
        ax.add_collection(LineCollection(
            segments, colors=style.colour, linewidths=widths, linestyles=style.linestyle,
            alpha=FADED_ALPHA if faded else 1.0, zorder=1 + 0.1 * severity_rank(key),
        ))
    if highlighted:
        # Path links are redrawn on top at full strength.
        ax.add_collection(LineCollection(highlighted, colors=HIGHLIGHT_COLOUR, linewidths=2.2,
                                         zorder=2))


def _shape_patch(shape: str, x: float, y: float, radius: float, **kwargs: Any) -> Any:
    vertices = polygon_vertices(shape)
    if not vertices:
        return Circle((x, y), radius, **kwargs)
    return Polygon([(x + radius * vx, y + radius * vy) for vx, vy in vertices], closed=True,
                   **kwargs)


def _draw_nodes(ax: Any, graph: nx.Graph, drawn: Sequence[NodeT],
                positions: Mapping[NodeT, Position], radius: float, on_path: set[NodeT],
                faded: bool) -> None:
    patches = []
    for node in drawn:
        style = node_style(graph.nodes[node].get("kind"))
        x, y = positions[node]
        emphasised = node in on_path
        alpha = 1.0 if (emphasised or not faded) else FADED_ALPHA + 0.15
        patches.append(_shape_patch(
            style.shape, x, y, radius,
            facecolor="white" if style.hollow else style.fill,
            edgecolor=HIGHLIGHT_COLOUR if emphasised else style.outline,
            linewidth=1.8 if emphasised else 0.8,
            linestyle="dashed" if style.hollow else "solid",
            alpha=alpha,
        ))
    ax.add_collection(PatchCollection(patches, match_original=True, zorder=3))


def _draw_labels(ax: Any, graph: nx.Graph, simple: nx.Graph, drawn: Sequence[NodeT],
                 positions: Mapping[NodeT, Position], radius: float, font_size: float,
                 points_per_unit: float, on_path: set[NodeT], faded: bool,
                 extent: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    texts = {node: str(graph.nodes[node]["label"]) for node in drawn
             if graph.nodes[node].get("label") not in (None, "")}
    always = {node for node in drawn if node in on_path or must_label(simple, node)}
    # Nodes that must be labelled choose first, busy nodes before quiet ones.
    order = sorted(drawn, key=lambda node: (node not in on_path, node not in always,
                                            -simple.degree(node)))
    char_width, line_height = 0.6 * font_size / points_per_unit, 1.25 * font_size / points_per_unit

    def measure(text: str) -> tuple[float, float]:
        lines = text.splitlines() or [text]
        return char_width * max(len(line) for line in lines), line_height * len(lines)

    plan = place_labels(texts, positions, radius=radius, measure=measure, gap=0.15,
                        node_order=order, always=always)
    placed = plan.placed
    if plan.hidden:
        ax.text(0.0, 0.0, hidden_note(len(plan.hidden)), transform=ax.transAxes, ha="left",
                va="bottom", fontsize=font_size, family=_FONT_FAMILY, color="#444444")
    low_x, low_y, high_x, high_y = extent
    # A translucent white box rather than a stroke path effect: path effects turn
    # text into outlines in SVG/PDF, and labels must stay real, searchable text.
    halo = {"boxstyle": "round,pad=0.12", "facecolor": "white", "edgecolor": "none",
            "alpha": 0.75}
    for label in placed:
        muted = faded and label.node not in on_path
        ax.text(label.x, label.y, label.text, ha=label.horizontal, va=label.vertical,
                fontsize=font_size, family=_FONT_FAMILY, color="#555555" if muted else "#111111",
                zorder=4, bbox=halo, clip_on=False)
        low_x, low_y = min(low_x, label.box[0]), min(low_y, label.box[1])
        high_x, high_y = max(high_x, label.box[2]), max(high_y, label.box[3])
    return low_x, low_y, high_x, high_y


def _draw_legend(fig: Figure, graph: nx.Graph, simple: nx.Graph, fig_w: float) -> None:
    kinds = list(dict.fromkeys(str(kind) for _node, kind in graph.nodes(data="kind")))
    handles: list[Any] = []
    for kind in kinds:
        style = node_style(kind)
        handles.append(Line2D([], [], linestyle="none", marker=style.marker, markersize=8,
                              markerfacecolor="white" if style.hollow else style.fill,
                              markeredgecolor=style.outline, label=kind_label(kind)))
    severities = {str(data.get("severity") or "none").lower()
                  for _u, _v, data in simple.edges(data=True)}
    severity_handles = [
        Line2D([], [], color=style.colour, linestyle=style.linestyle,
               linewidth=2.0 + style.extra_width, label=style.label)
        for key, style in SEVERITY_STYLES.items() if key in severities
    ]
    if severity_handles:
        handles.append(Patch(visible=False, label="Link concern"))
        handles.extend(severity_handles)
    if handles:
        fig.legend(handles=handles, loc="upper right", bbox_to_anchor=(1 - 0.05 / fig_w, 0.97),
                   frameon=False, fontsize=8, handlelength=2.2, borderaxespad=0.2,
                   prop={"family": _FONT_FAMILY, "size": 8})


def save_figure(fig: Figure, path: str | Path, *, dpi: int = 200) -> Path:
    """Write ``fig`` as PNG, SVG or PDF according to the file extension.

    SVG and PDF are vector with real (selectable, searchable) text.
    """
    target = Path(path)
    fmt = target.suffix.lower().lstrip(".")
    if fmt not in {"png", "svg", "pdf"}:
        raise ValueError(f"unsupported figure format {target.suffix!r}; use .png, .svg or .pdf")
    settings: dict[RcKeyType, Any] = {"svg.fonttype": "none", "pdf.fonttype": 42}
    with matplotlib.rc_context(settings):
        fig.savefig(target, format=fmt, dpi=dpi, facecolor="white")
    return target

