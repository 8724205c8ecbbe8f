"""Collapse any networkx graph to a simple undirected graph for analysis and drawing."""

from __future__ import annotations

import math
from collections.abc import Hashable
from typing import Any

import networkx as nx

from graphs.style import severity_rank


def edge_weight(data: dict[str, Any]) -> float:
    """Return an edge's contact volume as a non-negative float (default 1)."""
    value = data.get("weight", 1.0)
    try:
        weight = float(value)
    except (TypeError, ValueError):
        return 1.0
    if math.isnan(weight) or weight < 0:
        return 1.0
    return weight


def simple_undirected(graph: nx.Graph) -> nx.Graph:
    """Return a simple undirected copy: parallel edges merged, self-loops dropped.

    Node attributes are shared (shallow copies). Merged edges sum ``weight``, keep the
    highest ``severity``, and keep the first ``kind`` seen.
    """
    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes(data=True))
    for u, v, data in graph.edges(data=True):
        if u == v:
            continue
        weight = edge_weight(data)
        if simple.has_edge(u, v):
            merged = simple.edges[u, v]
            merged["weight"] += weight
            if severity_rank(data.get("severity")) > severity_rank(merged.get("severity")):
                merged["severity"] = data.get("severity")
            merged["count"] += 1
        else:
            simple.add_edge(
                u,
                v,
                weight=weight,
                severity=data.get("severity", "none"),
                kind=data.get("kind"),
                count=1,
            )
    return simple


def node_order(graph: nx.Graph) -> list[Hashable]:
    """Nodes in the graph's own (insertion) order, which keeps results repeatable."""
    return list(graph.nodes)
