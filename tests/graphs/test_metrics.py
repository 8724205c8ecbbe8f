"""Centralities on small graphs with known values."""

from __future__ import annotations

import math

import networkx as nx
import pytest

from graphs.metrics import (
    betweenness_centrality,
    centrality,
    degree_centrality,
    eigenvector_centrality,
    top_nodes,
)


def test_star_degree_and_betweenness() -> None:
    star = nx.star_graph(4)
    assert degree_centrality(star) == {0: 1.0, 1: 0.25, 2: 0.25, 3: 0.25, 4: 0.25}
    between = betweenness_centrality(star)
    assert between[0] == pytest.approx(1.0)
    assert all(between[leaf] == 0.0 for leaf in range(1, 5))


def test_star_eigenvector_exact() -> None:
    scores = eigenvector_centrality(nx.star_graph(4))
    assert scores[0] == pytest.approx(1 / math.sqrt(2), abs=1e-6)
    for leaf in range(1, 5):
        assert scores[leaf] == pytest.approx(1 / math.sqrt(8), abs=1e-6)


def test_path_betweenness_exact() -> None:
    scores = betweenness_centrality(nx.path_graph(5))
    # Pairs through node 1: 3 of 6 pairs; node 2: 4 of 6 (normalised by (n-1)(n-2)/2 = 6).
    assert scores == pytest.approx({0: 0.0, 1: 0.5, 2: 4 / 6, 3: 0.5, 4: 0.0})


def test_multigraph_parallel_edges_do_not_inflate_degree() -> None:
    graph = nx.MultiGraph([("a", "b"), ("a", "b"), ("a", "c")])
    assert degree_centrality(graph) == {"a": 1.0, "b": 0.5, "c": 0.5}
    weighted = degree_centrality(graph, weighted=True)
    assert weighted["a"] == 1.0 and weighted["b"] == pytest.approx(2 / 3)


def test_eigenvector_on_disconnected_graph_scores_every_component() -> None:
    graph = nx.disjoint_union(nx.star_graph(3), nx.path_graph(3))
    graph.add_node("isolated")
    scores = eigenvector_centrality(graph)
    assert scores["isolated"] == 0.0
    assert scores[0] > 0 and scores[5] > 0  # star centre and path middle
    assert math.sqrt(sum(v * v for v in scores.values())) == pytest.approx(1.0)


def test_eigenvector_falls_back_when_power_iteration_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_args: object, **_kwargs: object) -> None:
        raise nx.PowerIterationFailedConvergence(1)

    monkeypatch.setattr(nx, "eigenvector_centrality", fail)
    scores = eigenvector_centrality(nx.star_graph(4))
    assert scores[0] == pytest.approx(1 / math.sqrt(2), abs=1e-6)


def test_dispatcher_and_top_nodes() -> None:
    star = nx.star_graph(3)
    assert centrality(star, "degree") == degree_centrality(star)
    assert top_nodes(centrality(star, "betweenness"), 1) == [(0, 1.0)]
    with pytest.raises(ValueError):
        centrality(star, "pagerank")
    assert eigenvector_centrality(nx.empty_graph(3)) == {0: 0.0, 1: 0.0, 2: 0.0}
