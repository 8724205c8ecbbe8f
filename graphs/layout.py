"""Graph layouts: seeded force-directed, radial (ego) and hierarchical.

Coordinates are in *layout units*: a node is drawn as a circle of radius
:data:`NODE_RADIUS` and its label as a box of about :data:`CHAR_WIDTH` per character by
:data:`LABEL_HEIGHT`, placed below the node. Every layout keeps those footprints apart,
so the drawing extent grows with the number of nodes and the renderers scale to fit.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from functools import partial
from typing import TypeVar

import networkx as nx
import numpy as np

from graphs._initial import pivot_mds
from graphs._simple import edge_weight
from graphs._spatial import (
    FloatArray,
    mesh_repulsion,
    remove_overlaps,
    shelf_pack,
)
from graphs._spatial import close_pairs as _close_pairs
from graphs._units import (
    CHAR_WIDTH,
    DEFAULT_SPACING,
    LABEL_GAP,
    LABEL_HEIGHT,
    NODE_RADIUS,
    estimate_label_size,
)
from graphs.layered import hierarchical_layout, radial_layout

NodeT = TypeVar("NodeT", bound=Hashable)
Position = tuple[float, float]
ProgressCallback = Callable[[float, str], None]

REPULSION_SCALE = 0.5  # with degree-weighted repulsion, keeps typical edges near `spacing`
_EXACT_LIMIT = 300  # up to this many nodes per block, repulsion is computed exactly


def force_layout(
    graph: nx.Graph,
    *,
    seed: int = 0,
    iterations: int | None = None,
    pinned: Mapping[NodeT, Position] | None = None,
    initial: Mapping[NodeT, Position] | None = None,
    progress: ProgressCallback | None = None,
    spacing: float = DEFAULT_SPACING,
    label_sizes: Mapping[NodeT, tuple[float, float]] | None = None,
    avoid_labels: bool = True,
) -> dict[NodeT, Position]:
    """Lay out ``graph`` with a Fruchterman-Reingold style force simulation.

    The same graph, seed and arguments always give the same positions. Repulsion is
    exact for small blocks and otherwise split into exact close pairs (cell list) plus
    a grid (FFT) approximation of the far field, so 10,000 nodes take seconds.

    Args:
        graph: any networkx graph; direction and parallel edges are ignored, heavier
            edges (``weight``) pull slightly harder.
        seed: random seed for the starting positions.
        iterations: simulation steps; by default 200 for small graphs, 100 for large.
        pinned: nodes that must stay exactly where given. Nodes whose ``pinned``
            attribute is true and that carry a ``pos`` attribute are pinned too.
        initial: starting positions (e.g. a previous layout) for a stable update.
        progress: ``progress(fraction, message)``; it may raise to cancel the layout.
        spacing: ideal edge length in layout units.
        label_sizes: (width, height) of each node's label; estimated from the ``label``
            attribute when omitted.
        avoid_labels: keep label boxes (drawn below nodes) from overlapping too.

    Returns:
        ``{node: (x, y)}`` for every node. Connected components are laid out
        separately and packed side by side; pinned nodes keep their coordinates.
    """
    nodes = list(graph.nodes)
    if not nodes:
        return {}
    report = progress or (lambda fraction, message: None)
    index = {node: position for position, node in enumerate(nodes)}
    fixed_positions = _collect_pinned(graph, pinned)
    starts = dict(initial or {})
    starts.update(fixed_positions)
    undirected = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    half_sizes, offsets = _footprints(graph, nodes, label_sizes, avoid_labels)

    components = sorted(
        (sorted(index[node] for node in part) for part in nx.connected_components(undirected)),
        key=lambda members: (-len(members), members[0]),
    )
    anchored_ids = {index[node] for node in starts if node in index}
    anchored = [members for members in components if anchored_ids.intersection(members)]
    free = [members for members in components if not anchored_ids.intersection(members)]

    positions = np.zeros((len(nodes), 2))
    fixed = np.zeros(len(nodes), dtype=bool)
    for node in fixed_positions:
        if node in index:
            fixed[index[node]] = True
    rng = np.random.default_rng(seed)
    weights = _edge_arrays(graph, index)
    total = len(nodes)
    done = 0

    def block_progress(fraction: float, size: int) -> None:
        report(min(0.95, 0.95 * (done + fraction * size) / total), "Laying out graph")

    if anchored:
        members = np.array(sorted(i for block in anchored for i in block))
        start = _anchored_start(undirected, nodes, members, starts, rng, spacing)
        positions[members] = _run_block(
            start, members, weights, fixed[members], [members], spacing, iterations,
            total=total, cool_start=spacing if len(anchored_ids) * 2 >= len(members) else None,
            progress=lambda fraction: block_progress(fraction, len(members)),
        )
        done += len(members)

    for batch in _batches(free):
        members = np.concatenate(batch)
        start = (rng.random((len(members), 2)) - 0.5) * spacing
        cool_start = None
        if len(batch) == 1:
            sources, targets, _strength = weights.within(members, total)
            unfolded = pivot_mds(len(members), sources, targets, rng)
            if unfolded is not None:
                # Jitter separates nodes MDS puts on the same spot (leaves of a star).
                start = _roomy(unfolded * spacing, spacing) + start * 0.2
                cool_start = max(2.0 * spacing, 0.03 * math.sqrt(len(members)) * spacing)
        if cool_start is None:
            start = np.concatenate([
                (rng.random((len(block), 2)) - 0.5) * math.sqrt(len(block)) * spacing
                for block in batch
            ])
        positions[members] = _run_block(
            start, members, weights, np.zeros(len(members), dtype=bool), batch, spacing,
            iterations, total=total, cool_start=cool_start,
            progress=partial(block_progress, size=len(members)),
        )
        for block in batch:
            footprint = 2.0 * float(np.median(np.sqrt(half_sizes[block].prod(axis=1)))) + 0.15 * spacing
            positions[block] = _fit_scale(positions[block], block, weights, total, spacing,
                                          footprint)
        done += len(members)

    _pack_free(positions, free, anchored, half_sizes, offsets, spacing)
    report(0.96, "Removing overlaps")
    positions = remove_overlaps(positions, half_sizes, offsets, fixed, radius=NODE_RADIUS,
                                gap=0.15 * spacing)
    for node, point in fixed_positions.items():
        if node in index:
            positions[index[node]] = point
    report(1.0, "Layout done")
    return {node: (float(positions[i, 0]), float(positions[i, 1])) for i, node in enumerate(nodes)}


def _collect_pinned(graph: nx.Graph, pinned: Mapping[NodeT, Position] | None) -> dict[NodeT, Position]:
    result: dict[NodeT, Position] = {}
    for node, data in graph.nodes(data=True):
        if data.get("pinned") and data.get("pos") is not None:
            x, y = data["pos"]
            result[node] = (float(x), float(y))
    for node, (x, y) in (pinned or {}).items():
        if node in graph:
            result[node] = (float(x), float(y))
    return result


def _footprints(
    graph: nx.Graph,
    nodes: Sequence[NodeT],
    label_sizes: Mapping[NodeT, tuple[float, float]] | None,
    avoid_labels: bool,
) -> tuple[FloatArray, FloatArray]:
    """Half extents and centre offsets of the box covering each node and its label."""
    half = np.full((len(nodes), 2), NODE_RADIUS)
    offsets = np.zeros((len(nodes), 2))
    if not avoid_labels:
        return half, offsets
    for i, node in enumerate(nodes):
        if label_sizes is not None and node in label_sizes:
            width, height = label_sizes[node]
        else:
            label = graph.nodes[node].get("label")
            width, height = estimate_label_size(str(label)) if label else (0.0, 0.0)
        if height <= 0:
            continue
        extra = LABEL_GAP + height
        half[i] = (max(NODE_RADIUS, width / 2.0), NODE_RADIUS + extra / 2.0)
        offsets[i] = (0.0, -extra / 2.0)
    return half, offsets


class _EdgeArrays:
    """Merged edges as index arrays, with the attraction strength of each."""

    def __init__(self, sources: np.ndarray, targets: np.ndarray, strength: np.ndarray) -> None:
        self.sources = sources
        self.targets = targets
        self.strength = strength

    def within(self, members: np.ndarray, total: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Edges with both ends in ``members``, renumbered to positions in ``members``."""
        local = np.full(total, -1, dtype=np.int64)
        local[members] = np.arange(len(members))
        keep = (local[self.sources] >= 0) & (local[self.targets] >= 0)
        return local[self.sources[keep]], local[self.targets[keep]], self.strength[keep]


def _edge_arrays(graph: nx.Graph, index: Mapping[NodeT, int]) -> _EdgeArrays:
    """Edges as index arrays, parallel edges merged (weights summed), loops dropped."""
    rows = [(index[u], index[v], edge_weight(data)) for u, v, data in graph.edges(data=True)]
    array = np.array(rows, dtype=np.float64).reshape(-1, 3)
    first = array[:, 0].astype(np.int64)
    second = array[:, 1].astype(np.int64)
    keep = first != second
    low = np.minimum(first, second)[keep]
    high = np.maximum(first, second)[keep]
    if low.size == 0:
        empty = np.empty(0, dtype=np.int64)
        return _EdgeArrays(empty, empty, np.empty(0))
    keys, inverse = np.unique(low * len(index) + high, return_inverse=True)
    weight = np.log1p(np.bincount(inverse, weights=array[keep, 2]))
    top = float(weight.max()) or 1.0
    # Heavy contact pulls up to twice as hard as a single contact.
    return _EdgeArrays(keys // len(index), keys % len(index), 1.0 + weight / top)


def _batches(components: list[list[int]]) -> Iterable[list[np.ndarray]]:
    """Group small components so they share one exact simulation (fewer numpy calls)."""
    batch: list[np.ndarray] = []
    size = 0
    for members in components:
        if len(members) > _EXACT_LIMIT // 4:
            yield [np.array(members)]
            continue
        if size + len(members) > _EXACT_LIMIT and batch:
            yield batch
            batch, size = [], 0
        batch.append(np.array(members))
        size += len(members)
    if batch:
        yield batch


def _anchored_start(
    simple: nx.Graph,
    nodes: Sequence[NodeT],
    members: np.ndarray,
    starts: Mapping[NodeT, Position],
    rng: np.random.Generator,
    spacing: float,
) -> FloatArray:
    """Start anchored nodes where given and new ones next to their placed neighbours."""
    start = np.zeros((len(members), 2))
    known = np.array([nodes[i] in starts for i in members])
    for row, i in enumerate(members):
        if known[row]:
            start[row] = starts[nodes[i]]
    centre = start[known].mean(axis=0)
    spread = math.sqrt(len(members)) * spacing
    placed = {nodes[i]: start[row] for row, i in enumerate(members) if known[row]}
    for row, i in enumerate(members):
        if known[row]:
            continue
        around = [placed[other] for other in simple.neighbors(nodes[i]) if other in placed]
        if around:
            start[row] = np.mean(around, axis=0) + (rng.random(2) - 0.5) * spacing
        else:
            start[row] = centre + (rng.random(2) - 0.5) * spread
        placed[nodes[i]] = start[row]
    return start


def _roomy(start: FloatArray, spacing: float) -> FloatArray:
    """Expand a pivot-MDS start whose bulk is crowded, and pull in far outliers.

    Small-world graphs collapse under MDS into a dense core with a few stragglers far
    out; the simulation would waste its steps on millions of close pairs in the core.
    """
    low = np.percentile(start, 10, axis=0)
    high = np.percentile(start, 90, axis=0)
    bulk = max(float((high - low).max()), 1e-9)
    room = 0.8 * math.sqrt(len(start)) * spacing / bulk
    result = start * max(1.0, room)
    return np.clip(result, np.percentile(result, 2, axis=0), np.percentile(result, 98, axis=0))


def _run_block(
    start: FloatArray,
    members: np.ndarray,
    edges: _EdgeArrays,
    fixed: np.ndarray,
    components: Sequence[np.ndarray | list[int]],
    spacing: float,
    iterations: int | None,
    *,
    total: int,
    cool_start: float | None,
    progress: Callable[[float], None],
) -> FloatArray:
    """Simulate one block of nodes (one large component or several small ones)."""
    count = len(members)
    if count == 1:
        return start
    sources, targets, strength = edges.within(members, total)
    local = np.full(total, -1, dtype=np.int64)
    local[members] = np.arange(count)
    label = np.zeros(count, dtype=np.int64)
    temperature = np.zeros(count)
    for number, block in enumerate(components):
        rows = local[np.asarray(block)]
        label[rows] = number
        temperature[rows] = cool_start or 0.1 * math.sqrt(len(block)) * spacing + spacing
    steps = iterations if iterations is not None else (200 if count <= 1000 else 80)
    exact = count <= _EXACT_LIMIT
    same_block = label[:, None] == label[None, :] if exact else None
    movable = ~fixed
    positions = start.astype(np.float64).copy()
    # Repulsion between i and j scales with mass_i * mass_j, mass = 1 + degree (as in
    # ForceAtlas2): hubs get room for their neighbours, and small-world graphs do not
    # collapse into a dense ball that only the overlap pass could untangle.
    degree = np.bincount(sources, minlength=count) + np.bincount(targets, minlength=count)
    mass = 1.0 + degree.astype(np.float64)
    k2 = (REPULSION_SCALE * spacing) ** 2
    for step in range(steps):
        # Finer than half an edge is pointless; coarser keeps the grid small when the
        # layout is sparse (long trees), at the cost of a smoother far field.
        sigma = max(0.5 * spacing, float(np.ptp(positions, axis=0).max()) / 100.0)
        if same_block is not None:  # exact repulsion for a small block
            delta = positions[:, None, :] - positions[None, :, :]
            distance2 = np.einsum("ijk,ijk->ij", delta, delta)
            np.maximum(distance2, 1e-4, out=distance2)
            factor = np.where(same_block, k2 * np.outer(mass, mass) / distance2, 0.0)
            np.fill_diagonal(factor, 0.0)
            move = np.einsum("ijk,ij->ik", delta, factor)
        else:
            if step % 2 == 0:
                # The far field changes slowly: refreshing it every other step is enough.
                far_field = mesh_repulsion(positions, k2, sigma, mass)
            move = far_field.copy()
            if step % 4 == 0:
                # Neighbour lists are reused for a few steps: nodes move little per step
                # and the short-range force is small beyond 2.5 sigma anyway.
                first, second = _close_pairs(positions, 2.5 * sigma)
            delta = positions[first] - positions[second]
            distance2 = np.maximum(np.einsum("ij,ij->i", delta, delta), 1e-4)
            factor = k2 * mass[first] * mass[second] * np.exp(-distance2 / (2.0 * sigma * sigma))
            factor /= distance2
            for axis in (0, 1):
                pushed = delta[:, axis] * factor
                move[:, axis] += np.bincount(first, pushed, minlength=count)
                move[:, axis] -= np.bincount(second, pushed, minlength=count)
        if len(sources):
            delta = positions[sources] - positions[targets]
            length = np.sqrt(np.einsum("ij,ij->i", delta, delta))
            pull = delta * (length * strength / spacing)[:, None]
            for axis in (0, 1):
                move[:, axis] -= np.bincount(sources, pull[:, axis], minlength=count)
                move[:, axis] += np.bincount(targets, pull[:, axis], minlength=count)
        size = np.sqrt(np.einsum("ij,ij->i", move, move))
        limit = temperature * (1.0 - step / steps) + 0.01 * spacing
        scale = np.where(size > limit, limit / np.maximum(size, 1e-12), 1.0)
        positions += move * (scale * movable)[:, None]
        if step % 10 == 0:
            progress(step / steps)
    progress(1.0)
    return positions


def _fit_scale(positions: FloatArray, block: np.ndarray, edges: _EdgeArrays, total: int,
               spacing: float, footprint: float) -> FloatArray:
    """Centre a free component and bring it to the common drawing scale.

    Force layouts stretch as graphs grow (repulsion adds up over all nodes), so the
    component is scaled to a median edge of ``spacing``, but never so small that
    more than a tenth of its nodes have a neighbour closer than ``footprint``: dense
    graphs are scaled by crowding instead, leaving the overlap pass local work only.
    """
    centred = positions - positions.mean(axis=0)
    sources, targets, _strength = edges.within(block, total)
    if len(sources) == 0 or len(block) < 2:
        return centred
    lengths = np.linalg.norm(centred[sources] - centred[targets], axis=1)
    median = float(np.median(lengths))
    by_edges = spacing / median if median > 1e-9 else 1.0
    extent = np.ptp(centred, axis=0) + 1e-9
    reach = 3.0 * math.sqrt(float(extent[0] * extent[1]) / len(block))
    first, second = _close_pairs(centred, reach)
    nearest = np.full(len(block), reach)
    if len(first):
        distance = np.linalg.norm(centred[first] - centred[second], axis=1)
        np.minimum.at(nearest, first, distance)
        np.minimum.at(nearest, second, distance)
    crowding = float(np.percentile(nearest, 10))
    by_crowding = footprint / crowding if crowding > 1e-9 else by_edges
    return centred * max(by_edges, by_crowding)


def _extent(positions: FloatArray, half_sizes: FloatArray, offsets: FloatArray) -> tuple[np.ndarray, np.ndarray]:
    centres = positions + offsets
    lower = np.minimum((centres - half_sizes).min(axis=0), (positions - NODE_RADIUS).min(axis=0))
    upper = np.maximum((centres + half_sizes).max(axis=0), (positions + NODE_RADIUS).max(axis=0))
    return lower, upper


def _pack_free(positions: FloatArray, free: list[list[int]], anchored: list[list[int]],
               half_sizes: FloatArray, offsets: FloatArray, spacing: float) -> None:
    """Move free components into rows, to the right of any anchored block."""
    if not free:
        return
    boxes = [_extent(positions[m], half_sizes[m], offsets[m]) for m in free]
    sizes = np.array([upper - lower for lower, upper in boxes])
    corners = shelf_pack(sizes, gap=spacing)
    if anchored:
        members = [i for block in anchored for i in block]
        lower, upper = _extent(positions[members], half_sizes[members], offsets[members])
        origin = np.array([upper[0] + spacing, upper[1]])
    else:
        origin = np.zeros(2)
    for members, (lower, _upper), corner in zip(free, boxes, corners, strict=True):
        positions[members] += origin + corner - lower
    if not anchored:
        lower, upper = _extent(positions, half_sizes, offsets)
        positions -= (lower + upper) / 2.0


def benchmark_graph(nodes: int, edges: int, seed: int = 0) -> nx.Graph:
    """Build a random connected graph with the given node and edge counts.

    A random spanning tree guarantees connectivity; the remaining edges join random
    pairs. Nodes get ``kind``/``label`` and edges ``kind``/``weight`` so that every
    renderer and exporter can be exercised on the result.
    """
    if edges < nodes - 1:
        raise ValueError("a connected graph needs at least nodes - 1 edges")
    if edges > nodes * (nodes - 1) // 2:
        raise ValueError("too many edges for a simple graph")
    rng = np.random.default_rng(seed)
    kinds = ("officer", "member_of_public", "phone", "account", "vehicle", "place")
    graph = nx.Graph()
    for node in range(nodes):
        graph.add_node(node, kind=kinds[node % len(kinds)], label=f"N{node}")
    for node in range(1, nodes):
        graph.add_edge(node, int(rng.integers(0, node)), kind="contact",
                       weight=float(rng.integers(1, 50)))
    while graph.number_of_edges() < edges:
        u, v = (int(x) for x in rng.integers(0, nodes, size=2))
        if u != v and not graph.has_edge(u, v):
            graph.add_edge(u, v, kind="contact", weight=float(rng.integers(1, 50)))
    return graph


def layout_bounds(positions: Mapping[NodeT, Position]) -> tuple[float, float, float, float]:
    """Return ``(min_x, min_y, max_x, max_y)`` of a layout (zeros when empty)."""
    if not positions:
        return 0.0, 0.0, 0.0, 0.0
    array = np.array(list(positions.values()), dtype=np.float64)
    low = array.min(axis=0)
    high = array.max(axis=0)
    return float(low[0]), float(low[1]), float(high[0]), float(high[1])


__all__ = [
    "CHAR_WIDTH",
    "DEFAULT_SPACING",
    "LABEL_GAP",
    "LABEL_HEIGHT",
    "NODE_RADIUS",
    "benchmark_graph",
    "estimate_label_size",
    "force_layout",
    "hierarchical_layout",
    "layout_bounds",
    "radial_layout",
]
