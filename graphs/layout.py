"""Graph layouts: seeded force-directed, radial (ego) and hierarchical.

Coordinates are in *layout units*: a node is drawn as a circle of radius
:data:`NODE_RADIUS` and its label as a box of about :data:`CHAR_WIDTH` per character by
:data:`LABEL_HEIGHT`, placed below the node. Every layout keeps those footprints apart,
so the drawing extent grows with the number of nodes and the renderers scale to fit.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence

import networkx as nx
import numpy as np

from graphs._simple import edge_weight, simple_undirected
from graphs._spatial import FloatArray, mesh_repulsion, remove_overlaps, shelf_pack
from graphs._spatial import close_pairs as _close_pairs

Node = Hashable
Position = tuple[float, float]
ProgressCallback = Callable[[float, str], None]

NODE_RADIUS = 0.5
"""Radius of a node circle at default size, in layout units."""
LABEL_HEIGHT = 0.5
"""Height of a one-line label, in layout units."""
CHAR_WIDTH = 0.26
"""Average width of one label character, in layout units."""
LABEL_GAP = 0.1
"""Space between a node circle and its label."""
DEFAULT_SPACING = 2.5
"""Ideal edge length, in layout units."""

_EXACT_LIMIT = 300  # up to this many nodes per block, repulsion is computed exactly


def estimate_label_size(text: str) -> tuple[float, float]:
    """Approximate (width, height) of a label in layout units."""
    lines = str(text).splitlines() or [""]
    return CHAR_WIDTH * max(len(line) for line in lines), LABEL_HEIGHT * len(lines)


def force_layout(
    graph: nx.Graph,
    *,
    seed: int = 0,
    iterations: int | None = None,
    pinned: Mapping[Node, Position] | None = None,
    initial: Mapping[Node, Position] | None = None,
    progress: ProgressCallback | None = None,
    spacing: float = DEFAULT_SPACING,
    label_sizes: Mapping[Node, tuple[float, float]] | None = None,
    avoid_labels: bool = True,
) -> dict[Node, Position]:
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
    simple = simple_undirected(graph)
    half_sizes, offsets = _footprints(graph, nodes, label_sizes, avoid_labels)

    components = sorted(
        (sorted(index[node] for node in component) for component in nx.connected_components(simple)),
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
    weights = _edge_arrays(simple, index)
    total = len(nodes)
    done = 0

    def block_progress(fraction: float, size: int) -> None:
        report(min(0.95, 0.95 * (done + fraction * size) / total), "Laying out graph")

    if anchored:
        members = np.array(sorted(i for block in anchored for i in block))
        start = _anchored_start(simple, nodes, members, starts, rng, spacing)
        positions[members] = _run_block(
            start, members, weights, fixed[members], [members], spacing, iterations,
            cool_start=spacing if len(anchored_ids) * 2 >= len(members) else None,
            progress=lambda fraction: block_progress(fraction, len(members)),
        )
        done += len(members)

    for batch in _batches(free):
        members = np.concatenate(batch)
        start = np.concatenate(
            [(rng.random((len(block), 2)) - 0.5) * math.sqrt(len(block)) * spacing for block in batch]
        )
        positions[members] = _run_block(
            start, members, weights, np.zeros(len(members), dtype=bool), batch, spacing,
            iterations, cool_start=None,
            progress=lambda fraction, size=len(members): block_progress(fraction, size),
        )
        for block in batch:
            positions[block] = _normalise_scale(positions[block], block, weights, spacing)
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


def _collect_pinned(graph: nx.Graph, pinned: Mapping[Node, Position] | None) -> dict[Node, Position]:
    result: dict[Node, Position] = {}
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
    nodes: Sequence[Node],
    label_sizes: Mapping[Node, tuple[float, float]] | None,
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
    def __init__(self, sources: np.ndarray, targets: np.ndarray, strength: np.ndarray) -> None:
        self.sources = sources
        self.targets = targets
        self.strength = strength


def _edge_arrays(simple: nx.Graph, index: Mapping[Node, int]) -> _EdgeArrays:
    pairs = [(index[u], index[v], edge_weight(data)) for u, v, data in simple.edges(data=True)]
    if not pairs:
        empty = np.empty(0, dtype=np.int64)
        return _EdgeArrays(empty, empty, np.empty(0))
    array = np.array(pairs, dtype=np.float64)
    weight = np.log1p(array[:, 2])
    top = float(weight.max()) or 1.0
    # Heavy contact pulls up to twice as hard as a single contact.
    return _EdgeArrays(array[:, 0].astype(np.int64), array[:, 1].astype(np.int64),
                       1.0 + weight / top)


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
    nodes: Sequence[Node],
    members: np.ndarray,
    starts: Mapping[Node, Position],
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


def _run_block(
    start: FloatArray,
    members: np.ndarray,
    edges: _EdgeArrays,
    fixed: np.ndarray,
    components: list[np.ndarray] | list[list[int]],
    spacing: float,
    iterations: int | None,
    *,
    cool_start: float | None,
    progress: Callable[[float], None],
) -> FloatArray:
    """Simulate one block of nodes (one large component or several small ones)."""
    count = len(members)
    if count == 1:
        return start
    local = np.full(int(members.max()) + 1, -1, dtype=np.int64)
    local[members] = np.arange(count)
    keep = (local[edges.sources] >= 0) & (local[edges.targets] >= 0) if len(edges.sources) else []
    sources = local[edges.sources[keep]] if len(edges.sources) else np.empty(0, dtype=np.int64)
    targets = local[edges.targets[keep]] if len(edges.targets) else np.empty(0, dtype=np.int64)
    strength = edges.strength[keep] if len(edges.strength) else np.empty(0)
    label = np.zeros(count, dtype=np.int64)
    temperature = np.zeros(count)
    for number, block in enumerate(components):
        rows = local[np.asarray(block)]
        label[rows] = number
        temperature[rows] = cool_start or 0.1 * math.sqrt(len(block)) * spacing + spacing
    steps = iterations if iterations is not None else (200 if count <= 1000 else 100)
    exact = count <= _EXACT_LIMIT
    same_block = label[:, None] == label[None, :] if exact else None
    movable = ~fixed
    positions = start.astype(np.float64).copy()
    k2 = spacing * spacing
    sigma = 0.5 * spacing
    for step in range(steps):
        if exact:
            delta = positions[:, None, :] - positions[None, :, :]
            distance2 = np.einsum("ijk,ijk->ij", delta, delta)
            np.maximum(distance2, 1e-4, out=distance2)
            factor = np.where(same_block, k2 / distance2, 0.0)
            np.fill_diagonal(factor, 0.0)
            move = np.einsum("ijk,ij->ik", delta, factor)
        else:
            move = mesh_repulsion(positions, k2, sigma)
            first, second = _close_pairs(positions, 3.0 * sigma)
            delta = positions[first] - positions[second]
            distance2 = np.maximum(np.einsum("ij,ij->i", delta, delta), 1e-4)
            factor = k2 * np.exp(-distance2 / (2.0 * sigma * sigma)) / distance2
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


def _normalise_scale(positions: FloatArray, members: Sequence[int] | np.ndarray,
                     edges: _EdgeArrays, spacing: float) -> FloatArray:
    """Scale a free component so its median edge is ``spacing`` long, centred at 0."""
    centred = positions - positions.mean(axis=0)
    if len(members) < 3 or not len(edges.sources):
        return centred
    member_set = np.zeros(int(max(members)) + 1, dtype=bool)
    member_set[np.asarray(members)] = True
    limit = len(member_set)
    inside = (edges.sources < limit) & (edges.targets < limit)
    inside[inside] = member_set[edges.sources[inside]] & member_set[edges.targets[inside]]
    if not inside.any():
        return centred
    local = {int(node): row for row, node in enumerate(members)}
    rows_a = np.array([local[int(i)] for i in edges.sources[inside]])
    rows_b = np.array([local[int(i)] for i in edges.targets[inside]])
    lengths = np.linalg.norm(centred[rows_a] - centred[rows_b], axis=1)
    median = float(np.median(lengths))
    return centred * (spacing / median) if median > 1e-9 else centred


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


def radial_layout(
    graph: nx.Graph,
    centre: Node,
    *,
    spacing: float = DEFAULT_SPACING,
    avoid_labels: bool = True,
) -> dict[Node, Position]:
    """Place ``centre`` at the origin and every other node on a ring by hop distance.

    Each node gets an angular wedge proportional to the size of its breadth-first
    subtree, so branches stay together; siblings are ordered by the mean angle of all
    their neighbours on the inner ring to cut crossings. Ring radii grow so that
    neighbouring nodes (and their labels) on a ring do not overlap. Nodes that cannot
    be reached from ``centre`` go on an outermost ring.
    """
    if centre not in graph:
        raise KeyError(f"centre node {centre!r} is not in the graph")
    simple = simple_undirected(graph)
    depth = nx.single_source_shortest_path_length(simple, centre)
    parent: dict[Node, Node] = {}
    children: dict[Node, list[Node]] = {node: [] for node in simple}
    for node, hops in sorted(depth.items(), key=lambda item: item[1]):
        if hops == 0:
            continue
        parent[node] = next(n for n in simple.neighbors(node) if depth.get(n) == hops - 1)
        children[parent[node]].append(node)
    leaves: dict[Node, int] = {}
    for node in sorted(depth, key=lambda item: -depth[item]):
        leaves[node] = max(1, sum(leaves[child] for child in children[node]))

    angle: dict[Node, float] = {centre: 0.0}
    stack: list[tuple[Node, float, float]] = [(centre, 0.0, 2.0 * math.pi)]
    while stack:
        node, low, high = stack.pop()
        kids = children[node]
        if not kids:
            continue
        kids.sort(key=lambda kid: _mean_inner_angle(simple, kid, depth, angle, angle[node]))
        cursor = low
        share = (high - low) / sum(leaves[kid] for kid in kids)
        for kid in kids:
            width = share * leaves[kid]
            angle[kid] = cursor + width / 2.0
            stack.append((kid, cursor, cursor + width))
            cursor += width

    unreachable = [node for node in graph if node not in depth]
    outer = max(depth.values()) + 1
    for number, node in enumerate(unreachable):
        depth[node] = outer
        angle[node] = 2.0 * math.pi * number / len(unreachable)

    widths = {node: _label_width(graph, node, avoid_labels) for node in graph}
    positions: dict[Node, Position] = {centre: (0.0, 0.0)}
    radius = 0.0
    for ring in range(1, outer + 1):
        members = sorted((node for node in graph if depth[node] == ring), key=angle.__getitem__)
        if not members:
            continue
        radius += spacing
        separation = max(2 * NODE_RADIUS, max(widths[node] for node in members)) + 0.3
        angles = [angle[node] for node in members]
        gaps = [b - a for a, b in zip(angles, angles[1:], strict=False)]
        gaps.append(angles[0] + 2.0 * math.pi - angles[-1])
        smallest = min(gaps) if len(members) > 1 else math.pi
        radius = max(radius, separation / (2.0 * math.sin(min(smallest, math.pi) / 2.0)))
        for node in members:
            positions[node] = (radius * math.cos(angle[node]), radius * math.sin(angle[node]))
    return positions


def _mean_inner_angle(simple: nx.Graph, node: Node, depth: Mapping[Node, int],
                      angle: Mapping[Node, float], reference: float) -> float:
    """Mean angle (unwrapped around ``reference``) of a node's placed inner neighbours."""
    values = []
    for other in simple.neighbors(node):
        if depth.get(other) == depth[node] - 1 and other in angle:
            values.append((angle[other] - reference + math.pi) % (2 * math.pi) - math.pi)
    return sum(values) / len(values) if values else 0.0


def _label_width(graph: nx.Graph, node: Node, avoid_labels: bool) -> float:
    label = graph.nodes[node].get("label")
    return estimate_label_size(str(label))[0] if (avoid_labels and label) else 0.0


def hierarchical_layout(
    graph: nx.Graph,
    roots: Iterable[Node],
    *,
    layer_gap: float = DEFAULT_SPACING,
    spacing: float = 0.4,
    sweeps: int = 6,
    avoid_labels: bool = True,
) -> dict[Node, Position]:
    """Layered layout, top to bottom, by breadth-first depth from ``roots``.

    With people as roots this gives person -> identifier -> contact layers. Nodes are
    ordered within layers by repeated barycentre sweeps (down then up) to reduce edge
    crossings, then spaced so that circles and labels do not overlap (``spacing`` is
    the free gap between neighbouring footprints). Unreachable nodes form a last layer.
    """
    simple = simple_undirected(graph)
    root_list = [root for root in roots if root in simple]
    if not root_list and len(simple):
        root_list = [next(iter(simple))]
    depth = _bfs_depths(simple, root_list)
    last = max(depth.values(), default=-1) + 1
    for node in simple:
        depth.setdefault(node, last)
    layers: list[list[Node]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for node in depth:
        layers[depth[node]].append(node)
    rank: dict[Node, float] = {}
    for layer in layers:
        for position, node in enumerate(layer):
            rank[node] = float(position)
    for sweep in range(sweeps):
        downward = sweep % 2 == 0
        sequence = range(1, len(layers)) if downward else range(len(layers) - 2, -1, -1)
        for number in sequence:
            reference = number - 1 if downward else number + 1
            layer = layers[number]
            keys = {}
            for node in layer:
                around = [rank[o] for o in simple.neighbors(node) if depth[o] == reference]
                keys[node] = sum(around) / len(around) if around else rank[node]
            layer.sort(key=lambda node: (keys[node], rank[node]))
            for position, node in enumerate(layer):
                rank[node] = float(position)
    positions: dict[Node, Position] = {}
    for number, layer in enumerate(layers):
        widths = [max(2 * NODE_RADIUS, _label_width(graph, node, avoid_labels)) for node in layer]
        xs = []
        cursor = 0.0
        for position, width in enumerate(widths):
            if position:
                cursor += (widths[position - 1] + width) / 2.0 + spacing
            xs.append(cursor)
        shift = (xs[-1] if xs else 0.0) / 2.0
        for node, x in zip(layer, xs, strict=True):
            positions[node] = (x - shift, -number * layer_gap)
    return positions


def _bfs_depths(simple: nx.Graph, roots: Sequence[Node]) -> dict[Node, int]:
    """Breadth-first depth from several roots, in discovery order."""
    depth = dict.fromkeys(roots, 0)
    frontier = list(roots)
    while frontier:
        following = []
        for node in frontier:
            for other in simple.neighbors(node):
                if other not in depth:
                    depth[other] = depth[node] + 1
                    following.append(other)
        frontier = following
    return depth


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


def layout_bounds(positions: Mapping[Node, Position]) -> tuple[float, float, float, float]:
    """Return ``(min_x, min_y, max_x, max_y)`` of a layout (zeros when empty)."""
    if not positions:
        return 0.0, 0.0, 0.0, 0.0
    array = np.array(list(positions.values()), dtype=np.float64)
    low = array.min(axis=0)
    high = array.max(axis=0)
    return float(low[0]), float(low[1]), float(high[0]), float(high[1])

