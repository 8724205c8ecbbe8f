"""Shortest, all and time-respecting paths on hand-built graphs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import networkx as nx

from graphs.paths import all_paths, shortest_path, time_respecting_paths

T0 = datetime(2024, 1, 1, tzinfo=UTC)


def day(number: float) -> datetime:
    return T0 + timedelta(days=number)


def test_shortest_and_all_paths() -> None:
    graph = nx.MultiGraph([("a", "b"), ("a", "b"), ("b", "c"), ("a", "d"), ("d", "e"), ("e", "c")])
    assert shortest_path(graph, "a", "c") == ["a", "b", "c"]
    assert all_paths(graph, "a", "c", 4) == [["a", "b", "c"], ["a", "d", "e", "c"]]
    assert all_paths(graph, "a", "c", 2) == [["a", "b", "c"]]
    graph.add_node("z")
    assert shortest_path(graph, "a", "z") is None
    assert shortest_path(graph, "a", "missing") is None


def test_weighted_shortest_path_prefers_heavy_contact() -> None:
    graph = nx.Graph()
    graph.add_edge("a", "b", weight=1)
    graph.add_edge("b", "c", weight=1)
    graph.add_edge("a", "d", weight=100)
    graph.add_edge("d", "e", weight=100)
    graph.add_edge("e", "c", weight=100)
    assert shortest_path(graph, "a", "c", weighted=True) == ["a", "d", "e", "c"]


def test_directed_paths_follow_direction() -> None:
    graph = nx.DiGraph([("a", "b"), ("c", "b")])
    assert shortest_path(graph, "a", "c") is None
    assert time_respecting_paths(graph, "a", "c", max_length=3) == []


def test_time_respecting_path_found_with_times() -> None:
    graph = nx.Graph()
    graph.add_edge("a", "b", times=[day(1), day(5)])
    graph.add_edge("b", "c", times=[day(2)])
    [found] = time_respecting_paths(graph, "a", "c", max_length=3)
    assert found.nodes == ("a", "b", "c")
    assert found.times == (day(1), day(2))


def test_plain_path_exists_but_no_time_respecting_one() -> None:
    graph = nx.Graph()
    graph.add_edge("a", "b", times=[day(5)])
    graph.add_edge("b", "c", times=[day(2)])
    assert shortest_path(graph, "a", "c") == ["a", "b", "c"]
    assert time_respecting_paths(graph, "a", "c", max_length=3) == []


def test_max_gap_cuts_a_path() -> None:
    graph = nx.Graph()
    graph.add_edge("a", "b", times=[day(1)])
    graph.add_edge("b", "c", times=[day(10)])
    assert len(time_respecting_paths(graph, "a", "c", max_length=3)) == 1
    assert time_respecting_paths(graph, "a", "c", max_length=3, max_gap=timedelta(days=2)) == []


def test_max_gap_needs_a_later_earlier_hop() -> None:
    # The earliest first hop (day 1) is too early for the gap; day 10 works.
    graph = nx.Graph()
    graph.add_edge("a", "b", times=[day(1), day(10)])
    graph.add_edge("b", "c", times=[day(15)])
    [found] = time_respecting_paths(graph, "a", "c", max_length=2, max_gap=timedelta(days=6))
    assert found.times == (day(10), day(15))


def test_first_last_intervals_untimed_edges_and_start() -> None:
    graph = nx.MultiGraph()
    graph.add_edge("officer", "phone1", kind="owns")
    graph.add_edge("phone1", "phone2", first=day(3), last=day(9))
    graph.add_edge("phone2", "person", kind="owns")
    graph.add_edge("person", "account", first=day(1), last=day(4))
    [found] = time_respecting_paths(graph, "officer", "account", max_length=5)
    assert found.nodes == ("officer", "phone1", "phone2", "person", "account")
    assert found.times[0] is None and found.times[2] is None
    assert found.times[1] <= found.times[3]
    assert found.arrival == day(3)
    assert time_respecting_paths(graph, "officer", "account", max_length=5, start=day(5)) == []
    assert time_respecting_paths(graph, "officer", "account", max_length=5, untimed="block") == []


def test_parallel_edges_pool_their_times_and_max_length_applies() -> None:
    graph = nx.MultiGraph()
    graph.add_edge("a", "b", times=[day(9)])
    graph.add_edge("a", "b", times=[day(1)])
    graph.add_edge("b", "c", times=[day(2)])
    graph.add_edge("a", "x", times=[day(0)])
    graph.add_edge("x", "y", times=[day(0.5)])
    graph.add_edge("y", "c", times=[day(3)])
    paths = time_respecting_paths(graph, "a", "c", max_length=3)
    assert [p.nodes for p in paths] == [("a", "b", "c"), ("a", "x", "y", "c")]
    assert paths[0].times == (day(1), day(2))
    assert [p.nodes for p in time_respecting_paths(graph, "a", "c", max_length=2)] == [("a", "b", "c")]
