"""The interactive link chart's core: which nodes to show, where, and paths between them.

The desktop chart calls these plain functions (layouts run in a worker with
progress and cancel); the analyst's arrangement is saved per case in
``chart_positions`` through :func:`save_positions`, audited, so it survives
closing and reopening the case.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

import networkx as nx
import numpy as np
from sqlalchemy import delete, select

from graphs.layout import (
    LABEL_GAP,
    NODE_RADIUS,
    estimate_label_size,
    force_layout,
    hierarchical_layout,
    radial_layout,
)
from graphs.metrics import centrality
from graphs.paths import shortest_path, time_respecting_paths
from graphs.style import PERSON_KINDS
from workbench import audit
from workbench.anonymise import Anonymiser
from workbench.casegraph import build_case_graph
from workbench.errors import WorkbenchError
from workbench.model import ChartPosition
from workbench.store import Store
from workbench.store.queries import find_case
from workbench.tasks import CancelToken

LAYOUTS = {"force": "Force-directed", "radial": "Radial (around the officer)",
           "hierarchical": "Hierarchical (people, then identifiers)"}
MAX_PATH_HOPS = 8

Position = tuple[float, float]
SavedPositions = Mapping[str, tuple[float, float, bool]]

__all__ = ["LAYOUTS", "ChartPath", "PreparedChart", "clear_positions", "compact_layout",
           "compute_layout", "find_path", "load_positions", "prepare_chart",
           "save_positions"]
EXACT_CENTRALITY_LIMIT = 500  # betweenness beyond this many nodes is too slow to wait for
COMPACT_LIMIT = 2500  # pairwise footprint check beyond this many nodes costs too much memory
COMPACT_GAP = 0.35  # layout units kept free between two nodes' footprints


def _centre(graph: nx.Graph) -> str | None:
    officers = [n for n, kind in graph.nodes(data="kind") if kind == "officer"]
    if officers:
        return sorted(officers, key=lambda n: -graph.degree(n))[0]
    return max(graph.nodes, key=graph.degree, default=None)


def compute_layout(graph: nx.MultiGraph, method: str = "force", *,
                   pinned: Mapping[str, Position] | None = None,
                   initial: Mapping[str, Position] | None = None, seed: int = 0,
                   progress: Callable[[float, str], None] | None = None,
                   cancel: CancelToken | None = None) -> dict[str, Position]:
    """Positions (layout units) for every node; pinned nodes stay exactly where they are."""
    if method not in LAYOUTS:
        raise WorkbenchError(f"layout {method!r} is not one of {', '.join(LAYOUTS)}")
    report = progress or (lambda _f, _m: None)

    def checked(fraction: float, message: str) -> None:
        if cancel is not None:
            cancel.check()
        report(fraction, message)

    checked(0.0, f"{LAYOUTS[method]} layout")
    pinned = {n: p for n, p in (pinned or {}).items() if n in graph}
    if method == "force":
        return force_layout(graph, seed=seed, pinned=pinned, initial=initial, progress=checked)
    if method == "radial":
        centre = _centre(graph)
        positions = radial_layout(graph, centre) if centre is not None else {}
    else:
        roots = [n for n, kind in graph.nodes(data="kind") if kind in PERSON_KINDS]
        positions = hierarchical_layout(graph, roots)
    positions.update(pinned)  # the analyst's pins win over any computed layout
    checked(1.0, "Layout done")
    return positions


def load_positions(store: Store, case_ref: str) -> dict[str, tuple[float, float, bool]]:
    """The analyst's saved node positions: node -> (x, y, pinned)."""
    with store.reader() as session:
        case = find_case(session, case_ref)
        rows = session.scalars(select(ChartPosition).where(ChartPosition.case_id == case.id))
        return {row.node: (row.x, row.y, row.pinned) for row in rows}


def compact_layout(graph: nx.Graph, positions: Mapping[str, Position],
                   gap: float = COMPACT_GAP) -> dict[str, Position]:
    """Shrink a layout uniformly as far as it goes without any node or label boxes touching.

    Force layouts leave long links; drawn on screen at a readable size, a compact
    chart shows more at once. Never enlarges. Labels are boxes under their nodes,
    as the layouts in :mod:`graphs.layout` assume.
    """
    nodes = [n for n in graph.nodes if n in positions]
    if len(nodes) < 2 or len(nodes) > COMPACT_LIMIT:
        return dict(positions)
    xy = np.array([positions[n] for n in nodes], dtype=float)
    sizes = np.array([estimate_label_size(str(graph.nodes[n].get("label", ""))) for n in nodes])
    extra = np.where(sizes[:, 1] > 0, LABEL_GAP + sizes[:, 1], 0.0)
    half_w = np.maximum(NODE_RADIUS, sizes[:, 0] / 2) + gap / 2
    half_h = NODE_RADIUS + extra / 2 + gap / 2
    centre = xy - np.column_stack([np.zeros(len(nodes)), extra / 2])
    offset = centre - xy  # footprint centres relative to the node, which do not scale
    # Boxes i and j are apart at scale s when, on either axis,
    # |s * (xy_i - xy_j) + (offset_i - offset_j)| >= half_i + half_j.
    need = np.zeros((len(nodes), len(nodes)))
    for axis, half in ((0, half_w), (1, half_h)):
        delta = xy[:, axis][:, None] - xy[:, axis][None, :]
        shift = offset[:, axis][:, None] - offset[:, axis][None, :]
        reach = half[:, None] + half[None, :]
        with np.errstate(divide="ignore", invalid="ignore"):
            # Smallest s separating on this axis (sign-aware), inf when the gap never opens.
            s_axis = np.where(np.abs(delta) > 1e-9, (reach - np.sign(delta) * shift) / np.abs(delta), np.inf)
        need = np.maximum(need, 0) if axis == 0 else need
        need = s_axis if axis == 0 else np.minimum(need, s_axis)
    np.fill_diagonal(need, 0.0)
    scale = float(min(1.0, max(np.nanmax(need), 0.05)))
    return {n: (float(x * scale), float(y * scale)) for n, (x, y) in zip(nodes, xy, strict=True)}


def save_positions(store: Store, case_ref: str, positions: SavedPositions,
                   reason: str = "arranged") -> int:
    """Save where the analyst put nodes (x, y, pinned); returns how many were written.

    Nodes not mentioned keep their saved place. One audit entry per save.
    """
    with store.session() as session:
        case = find_case(session, case_ref)
        existing = {row.node: row for row in session.scalars(
            select(ChartPosition).where(ChartPosition.case_id == case.id))}
        for node, (x, y, pinned) in positions.items():
            row = existing.get(node)
            if row is None:
                session.add(ChartPosition(case_id=case.id, node=node, x=float(x), y=float(y),
                                          pinned=bool(pinned)))
            else:
                row.x, row.y, row.pinned = float(x), float(y), bool(pinned)
        session.flush()
        audit.append(session, case, "chart_positions_save", {
            "reason": reason, "nodes": len(positions),
            "pinned": sorted(node for node, (_x, _y, pin) in positions.items() if pin)})
        return len(positions)


def clear_positions(store: Store, case_ref: str) -> None:
    """Forget the analyst's arrangement of the case's chart (audited)."""
    with store.session() as session:
        case = find_case(session, case_ref)
        session.execute(delete(ChartPosition).where(ChartPosition.case_id == case.id))
        audit.append(session, case, "chart_positions_clear", {})


@dataclass(frozen=True)
class ChartPath:
    """A path on the chart: its nodes, and for a time-respecting one the time of each hop."""

    nodes: tuple[str, ...]
    times: tuple[datetime | None, ...] = ()

    def edges(self) -> list[frozenset[str]]:
        return [frozenset(pair) for pair in zip(self.nodes, self.nodes[1:], strict=False)]


def find_path(graph: nx.MultiGraph, a: str, b: str, *, time_respecting: bool = False) -> ChartPath | None:
    """The shortest path from ``a`` to ``b``, or the shortest whose contacts run in time order."""
    if a not in graph or b not in graph:
        raise WorkbenchError("find path: both ends must be on the chart")
    if not time_respecting:
        found = shortest_path(graph, a, b)
        return ChartPath(tuple(found)) if found else None
    paths = time_respecting_paths(graph, a, b, max_length=MAX_PATH_HOPS, limit=50)
    if not paths:
        return None
    return ChartPath(tuple(paths[0].nodes), tuple(paths[0].times))


@dataclass
class PreparedChart:
    """A case graph ready to draw: positions in layout units and who is pinned."""

    graph: nx.MultiGraph
    positions: dict[str, Position]
    pinned: set[str]
    centrality: dict[str, float]
    hidden_unresolved: int


def prepare_chart(store: Store, case_ref: str, *, anonymise: bool = False,
                  start: datetime | None = None, end: datetime | None = None,
                  max_unresolved: int | None = 25, method: str = "force",
                  keep: SavedPositions | None = None, relayout: bool = False,
                  progress: Callable[[float, str], None] | None = None,
                  cancel: CancelToken | None = None) -> PreparedChart:
    """Build the (windowed) case graph and place its nodes.

    Only the ``max_unresolved`` busiest unattributed identifiers are drawn one
    by one; the rest are folded into one "other" node per kind (None: all).
    Nodes with a known place (``keep``, else the case's saved positions) stay
    exactly there and only the others are laid out, so the analyst's
    arrangement survives reopening and following a time window. With
    ``relayout`` only pinned nodes keep their place.
    """
    report = progress or (lambda _f, _m: None)
    report(0.0, "Building the case graph")
    with store.reader() as session:
        case = find_case(session, case_ref)
        focused = build_case_graph(session, case, Anonymiser(case, anonymise), start, end,
                                   max_unresolved=max_unresolved)
    if cancel is not None:
        cancel.check()
    hidden = sum(int(folded) for _n, folded in focused.nodes(data="folded", default=0))
    saved = dict(keep) if keep is not None else load_positions(store, case_ref)
    pinned = {n for n, (_x, _y, pin) in saved.items() if pin and n in focused}
    fixed = {n: (x, y) for n, (x, y, pin) in saved.items()
             if n in focused and (pin or not relayout)}
    if len(fixed) >= len(focused):
        positions = fixed
    else:
        positions = compute_layout(focused, method, pinned=fixed, cancel=cancel,
                                   progress=lambda f, m: report(0.1 + 0.8 * f, m))
        if not fixed and method == "force":
            positions = compact_layout(focused, positions)
    scores = centrality(focused, "betweenness" if len(focused) <= EXACT_CENTRALITY_LIMIT else "degree")
    report(1.0, "Chart ready")
    return PreparedChart(focused, positions, pinned, {str(k): float(v) for k, v in scores.items()},
                         hidden)
