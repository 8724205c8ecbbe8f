"""Centrality measures over link charts, robust to multigraphs and disconnected graphs.

All measures treat the graph as undirected and simple: parallel edges are merged
(their weights summed) and self-loops ignored, because a contact graph's direction
and duplicate records should not change who is central.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable
from typing import Literal

import networkx as nx
import numpy as np

from graphs._simple import simple_undirected

Node = Hashable
Measure = Literal["degree", "betweenness", "eigenvector"]


def degree_centrality(graph: nx.Graph, *, weighted: bool = False) -> dict[Node, float]:
    """Distinct neighbours over (n - 1); with ``weighted``, summed contact volume over
    the largest such sum instead (so the busiest node scores 1)."""
    simple = simple_undirected(graph)
    if not weighted:
        return dict(nx.degree_centrality(simple)) if len(simple) > 1 else dict.fromkeys(simple, 0.0)
    strength = dict(simple.degree(weight="weight"))
    top = max(strength.values(), default=0.0)
    return {node: (value / top if top else 0.0) for node, value in strength.items()}


def betweenness_centrality(
    graph: nx.Graph,
    *,
    weighted: bool = False,
    normalized: bool = True,
    sample: int | None = None,
    seed: int = 0,
) -> dict[Node, float]:
    """Share of shortest paths through each node.

    With ``weighted``, heavier contact makes a link *shorter* (distance = 1 / weight).
    ``sample`` approximates with that many source nodes for large graphs.
    """
    simple = simple_undirected(graph)
    weight = None
    if weighted:
        for _u, _v, data in simple.edges(data=True):
            data["distance"] = 1.0 / data["weight"] if data["weight"] > 0 else math.inf
        weight = "distance"
    k = sample if sample is not None and sample < len(simple) else None
    return dict(nx.betweenness_centrality(simple, k=k, normalized=normalized, weight=weight,
                                          seed=seed))


def eigenvector_centrality(graph: nx.Graph, *, weighted: bool = False) -> dict[Node, float]:
    """Eigenvector centrality, Euclidean-normalised, never raising on convergence.

    Tries networkx's power iteration first; if it does not converge, falls back to a
    dense eigen-decomposition (small graphs) or to normalised degree (large ones).
    Each connected component is scored on its own and weighted by its share of the
    nodes, so a disconnected chart does not leave whole components at zero.
    """
    simple = simple_undirected(graph)
    result: dict[Node, float] = dict.fromkeys(simple, 0.0)
    if simple.number_of_edges() == 0:
        return result
    weight = "weight" if weighted else None
    for component in nx.connected_components(simple):
        if len(component) < 2:
            continue
        sub = simple.subgraph(component)
        scores = _component_eigenvector(sub, weight)
        share = math.sqrt(len(component) / len(simple))
        for node, value in scores.items():
            result[node] = value * share
    norm = math.sqrt(sum(value * value for value in result.values()))
    return {node: value / norm for node, value in result.items()} if norm else result


def _component_eigenvector(sub: nx.Graph, weight: str | None) -> dict[Node, float]:
    try:
        return dict(nx.eigenvector_centrality(sub, max_iter=1000, tol=1e-9, weight=weight))
    except (nx.PowerIterationFailedConvergence, nx.NetworkXException):
        pass
    nodes = list(sub)
    if len(nodes) <= 3000:
        matrix = nx.to_numpy_array(sub, nodelist=nodes, weight=weight or "__unweighted__")
        if weight is None:
            matrix = (matrix != 0).astype(float)
        values, vectors = np.linalg.eigh(matrix)
        vector = np.abs(vectors[:, int(np.argmax(values))])
        norm = float(np.linalg.norm(vector))
        if norm > 0:
            return {node: float(v / norm) for node, v in zip(nodes, vector, strict=True)}
    degrees = np.array([sub.degree(node, weight=weight) for node in nodes], dtype=float)
    norm = float(np.linalg.norm(degrees)) or 1.0
    return {node: float(d / norm) for node, d in zip(nodes, degrees, strict=True)}


_MEASURES: dict[str, Callable[..., dict[Node, float]]] = {
    "degree": degree_centrality,
    "betweenness": betweenness_centrality,
    "eigenvector": eigenvector_centrality,
}

MEASURES: tuple[str, ...] = tuple(_MEASURES)
"""Names accepted by :func:`centrality`."""


def centrality(graph: nx.Graph, measure: Measure | str, *, weighted: bool = False) -> dict[Node, float]:
    """Dispatch to one centrality measure by name ("degree", "betweenness", "eigenvector")."""
    try:
        function = _MEASURES[measure]
    except KeyError:
        raise ValueError(f"unknown centrality measure {measure!r}; choose from {MEASURES}") from None
    return function(graph, weighted=weighted)


def top_nodes(scores: dict[Node, float], count: int = 10) -> list[tuple[Node, float]]:
    """The ``count`` highest-scoring nodes, best first (ties in graph order)."""
    order = sorted(enumerate(scores.items()), key=lambda item: (-item[1][1], item[0]))
    return [pair for _position, pair in order[:count]]
