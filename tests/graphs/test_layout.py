"""Layouts: repeatable, pinned nodes fixed, no overlapping node circles."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest

from graphs.layout import (
    NODE_RADIUS,
    benchmark_graph,
    force_layout,
    hierarchical_layout,
    radial_layout,
)


def _min_distance(positions: dict) -> float:
    points = np.array(list(positions.values()))
    delta = points[:, None, :] - points[None, :, :]
    distance = np.sqrt((delta**2).sum(-1))
    np.fill_diagonal(distance, np.inf)
    return float(distance.min())


def test_force_layout_is_deterministic_for_a_seed(example_graph: nx.MultiGraph) -> None:
    first = force_layout(example_graph, seed=3)
    second = force_layout(example_graph, seed=3)
    assert first == second
    assert set(first) == set(example_graph)


def test_different_seeds_give_different_layouts(example_graph: nx.MultiGraph) -> None:
    assert force_layout(example_graph, seed=1) != force_layout(example_graph, seed=2)


def test_pinned_nodes_stay_exactly_put(example_graph: nx.MultiGraph) -> None:
    pinned = {"off": (0.0, 0.0), "p1": (10.0, -3.5)}
    example_graph.nodes["p2"]["pinned"] = True
    example_graph.nodes["p2"]["pos"] = (-7.25, 4.0)
    positions = force_layout(example_graph, seed=0, pinned=pinned)
    assert positions["off"] == (0.0, 0.0)
    assert positions["p1"] == (10.0, -3.5)
    assert positions["p2"] == (-7.25, 4.0)
    assert _min_distance(positions) >= 2 * NODE_RADIUS - 1e-6


def test_no_overlapping_node_circles_on_200_nodes() -> None:
    graph = benchmark_graph(200, 500, seed=4)
    positions = force_layout(graph, seed=0)
    assert _min_distance(positions) >= 2 * NODE_RADIUS - 1e-6


def test_disconnected_components_and_isolates_are_packed_apart() -> None:
    graph = nx.disjoint_union_all([nx.path_graph(5), nx.star_graph(6), nx.empty_graph(4)])
    positions = force_layout(graph, seed=0)
    assert len(positions) == graph.number_of_nodes()
    assert _min_distance(positions) >= 2 * NODE_RADIUS - 1e-6
    assert all(math.isfinite(c) for point in positions.values() for c in point)


def test_initial_positions_and_progress_are_used(example_graph: nx.MultiGraph) -> None:
    seen: list[float] = []
    previous = force_layout(example_graph, seed=0)
    again = force_layout(example_graph, seed=0, initial=previous,
                         progress=lambda fraction, _message: seen.append(fraction))
    assert seen and seen[-1] == 1.0
    moved = [math.dist(previous[n], again[n]) for n in example_graph]
    assert float(np.median(moved)) < 5.0


def test_progress_can_cancel(example_graph: nx.MultiGraph) -> None:
    class Stop(Exception):
        pass

    def progress(_fraction: float, _message: str) -> None:
        raise Stop

    with pytest.raises(Stop):
        force_layout(example_graph, progress=progress)


def test_empty_and_single_node_graphs() -> None:
    assert force_layout(nx.Graph()) == {}
    graph = nx.Graph()
    graph.add_node("a")
    assert set(force_layout(graph)) == {"a"}


def test_radial_puts_centre_at_origin_and_rings_by_distance(example_graph: nx.MultiGraph) -> None:
    positions = radial_layout(example_graph, "off")
    assert positions["off"] == (0.0, 0.0)
    hops = nx.single_source_shortest_path_length(example_graph, "off")
    radius = {node: math.hypot(*positions[node]) for node in hops}
    for node, distance in hops.items():
        for other, other_distance in hops.items():
            if distance < other_distance:
                assert radius[node] < radius[other]
    assert set(positions) == set(example_graph)
    assert _min_distance(positions) >= 2 * NODE_RADIUS - 1e-6


def test_hierarchical_layers_follow_depth(example_graph: nx.MultiGraph) -> None:
    positions = hierarchical_layout(example_graph, ["p1", "p2"])
    assert positions["p1"][1] == positions["p2"][1]
    assert positions["p1_phone"][1] < positions["p1"][1]
    assert positions["p1_contact"][1] < positions["p1_phone"][1]
    assert set(positions) == set(example_graph)
    assert _min_distance(positions) >= 2 * NODE_RADIUS - 1e-6


def test_benchmark_graph_is_connected_with_requested_size() -> None:
    graph = benchmark_graph(300, 900, seed=1)
    assert graph.number_of_nodes() == 300
    assert graph.number_of_edges() == 900
    assert nx.is_connected(graph)
    assert benchmark_graph(300, 900, seed=1).edges == graph.edges
