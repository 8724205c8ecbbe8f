"""Layered layouts: radial (ego chart) and hierarchical (person -> identifier -> contact).

Both keep node circles and labels apart by construction; units as in
:mod:`graphs.layout`.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

import networkx as nx

from graphs._simple import simple_undirected
from graphs._units import DEFAULT_SPACING, NODE_RADIUS, estimate_label_size

NodeT = TypeVar("NodeT", bound=Hashable)
Position = tuple[float, float]


def radial_layout(
    graph: nx.Graph,
    centre: NodeT,
    *,
    spacing: float = DEFAULT_SPACING,
    avoid_labels: bool = True,
) -> dict[NodeT, Position]:
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
    parent: dict[NodeT, NodeT] = {}
    children: dict[NodeT, list[NodeT]] = {node: [] for node in simple}
    for node, hops in sorted(depth.items(), key=lambda item: item[1]):
        if hops == 0:
            continue
        parent[node] = next(n for n in simple.neighbors(node) if depth.get(n) == hops - 1)
        children[parent[node]].append(node)
    leaves: dict[NodeT, int] = {}
    for node in sorted(depth, key=lambda item: -depth[item]):
        leaves[node] = max(1, sum(leaves[child] for child in children[node]))

    angle: dict[NodeT, float] = {centre: 0.0}
    stack: list[tuple[NodeT, float, float]] = [(centre, 0.0, 2.0 * math.pi)]
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
    positions: dict[NodeT, Position] = {centre: (0.0, 0.0)}
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


def _mean_inner_angle(simple: nx.Graph, node: NodeT, depth: Mapping[NodeT, int],
                      angle: Mapping[NodeT, float], reference: float) -> float:
    """Mean angle (unwrapped around ``reference``) of a node's placed inner neighbours."""
    values = []
    for other in simple.neighbors(node):
        if depth.get(other) == depth[node] - 1 and other in angle:
            values.append((angle[other] - reference + math.pi) % (2 * math.pi) - math.pi)
    return sum(values) / len(values) if values else 0.0


def _label_width(graph: nx.Graph, node: NodeT, avoid_labels: bool) -> float:
    label = graph.nodes[node].get("label")
    return estimate_label_size(str(label))[0] if (avoid_labels and label) else 0.0


def hierarchical_layout(
    graph: nx.Graph,
    roots: Iterable[NodeT],
    *,
    layer_gap: float = 2.0 * DEFAULT_SPACING,
    spacing: float = 0.4,
    sweeps: int = 6,
    avoid_labels: bool = True,
) -> dict[NodeT, Position]:
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
    layers: list[list[NodeT]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for node in depth:
        layers[depth[node]].append(node)
    rank: dict[NodeT, float] = {}
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
    positions: dict[NodeT, Position] = {}
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


def _bfs_depths(simple: nx.Graph, roots: Sequence[NodeT]) -> dict[NodeT, int]:
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
