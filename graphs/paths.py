"""Path finding: shortest, all simple paths, and time-respecting paths.

A time-respecting path (i2 Analyst's Notebook "Find Path" with dates) is one along
which contacts happen in order: each hop's contact is no earlier than the previous
hop's, optionally within ``max_gap`` of it. A hop's possible contact times come from
the edge's ``times`` list (individual contacts), else its ``first``/``last`` interval;
parallel edges of a multigraph pool their times. Edges with no time at all (ownership,
say: person owns phone) pass the previous time through unchanged.
"""

from __future__ import annotations

import bisect
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Generic, Literal, TypeVar

import networkx as nx

from graphs._simple import edge_weight, simple_undirected

NodeT = TypeVar("NodeT", bound=Hashable)
Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class TimedPath(Generic[NodeT]):
    """A path and the contact time chosen for each hop (``None`` for untimed hops).

    ``times[i]`` belongs to the hop from ``nodes[i]`` to ``nodes[i + 1]``.
    """

    nodes: tuple[NodeT, ...]
    times: tuple[datetime | None, ...]

    @property
    def hops(self) -> int:
        """Number of links in the path."""
        return len(self.nodes) - 1

    @property
    def departure(self) -> datetime | None:
        """Time of the first timed hop."""
        return next((time for time in self.times if time is not None), None)

    @property
    def arrival(self) -> datetime | None:
        """Time of the last timed hop."""
        return next((time for time in reversed(self.times) if time is not None), None)


def shortest_path(graph: nx.Graph, a: NodeT, b: NodeT, *, weighted: bool = False) -> list[NodeT] | None:
    """Fewest-hop path from ``a`` to ``b`` (or, with ``weighted``, the path of heaviest
    contact, distance = 1 / weight), or ``None`` when there is none.

    Directed graphs are followed along edge direction.
    """
    if a not in graph or b not in graph:
        return None
    target = _path_graph(graph)
    if weighted:
        for _u, _v, data in target.edges(data=True):
            data["distance"] = 1.0 / data["weight"] if data["weight"] > 0 else 1e12
    try:
        return list(nx.shortest_path(target, a, b, weight="distance" if weighted else None))
    except nx.NetworkXNoPath:
        return None


def _path_graph(graph: nx.Graph) -> nx.Graph:
    """A simple graph for path search: parallel edges merged, direction kept."""
    if not graph.is_directed():
        return simple_undirected(graph)
    merged = nx.DiGraph()
    merged.add_nodes_from(graph)
    for u, v, data in graph.edges(data=True):
        weight = edge_weight(data)
        if merged.has_edge(u, v):
            merged.edges[u, v]["weight"] += weight
        else:
            merged.add_edge(u, v, weight=weight)
    return merged


def all_paths(
    graph: nx.Graph, a: NodeT, b: NodeT, max_length: int, *, limit: int = 1000
) -> list[list[NodeT]]:
    """All simple paths from ``a`` to ``b`` with at most ``max_length`` hops, shortest
    first, at most ``limit`` of them. Parallel edges do not duplicate paths."""
    if a not in graph or b not in graph or a == b:
        return []
    target = _path_graph(graph)
    found: list[list[NodeT]] = []
    for path in nx.all_simple_paths(target, a, b, cutoff=max_length):
        found.append(list(path))
        if len(found) >= limit:
            break
    order = {node: position for position, node in enumerate(graph)}
    found.sort(key=lambda path: (len(path), [order[node] for node in path]))
    return found


def time_respecting_paths(
    graph: nx.Graph,
    a: NodeT,
    b: NodeT,
    *,
    max_length: int,
    max_gap: timedelta | None = None,
    start: datetime | None = None,
    untimed: Literal["pass", "block"] = "pass",
    limit: int = 1000,
) -> list[TimedPath[NodeT]]:
    """Simple paths from ``a`` to ``b`` whose contacts happen in time order.

    Args:
        graph: any networkx graph; directed graphs are followed along edge direction.
        max_length: most hops allowed.
        max_gap: longest allowed wait between consecutive timed hops.
        start: ignore contacts before this time.
        untimed: "pass" lets edges with no times through without using time; "block"
            refuses them.
        limit: stop after this many paths.

    Returns:
        Paths sorted by hop count, then by arrival time. For each, the times chosen are
        the earliest possible arrival and, working backwards, the latest possible
        contact on each earlier hop, so the listed chain is as tight as it can be.
    """
    if a not in graph or b not in graph or a == b:
        return []
    neighbours = graph.successors if graph.is_directed() else graph.neighbors
    contact_cache: dict[tuple[NodeT, NodeT], list[Interval] | None] = {}

    def contacts(u: NodeT, v: NodeT) -> list[Interval] | None:
        key = (u, v)
        if key not in contact_cache:
            contact_cache[key] = _edge_contacts(graph, u, v)
        return contact_cache[key]

    results: list[TimedPath[NodeT]] = []
    lower = start
    initial: list[Interval] | None = None  # None: no timed hop yet
    path: list[NodeT] = [a]
    states: list[list[Interval] | None] = [initial]
    hop_contacts: list[list[Interval] | None] = []

    def search(node: NodeT) -> None:
        if len(results) >= limit:
            return
        for other in neighbours(node):
            if other in path:
                continue
            available = contacts(node, other)
            if available is None:
                if untimed == "block":
                    continue
                reachable = states[-1]
            else:
                reachable = _advance(states[-1], available, max_gap, lower)
                if not reachable:
                    continue
            path.append(other)
            states.append(reachable)
            hop_contacts.append(available)
            if other == b:
                results.append(_choose_times(path, states, hop_contacts, max_gap))
            elif len(path) <= max_length:
                search(other)
            path.pop()
            states.pop()
            hop_contacts.pop()

    search(a)
    results.sort(key=lambda item: (item.hops, _sort_time(item.arrival)))
    return results


def _sort_time(moment: datetime | None) -> tuple[int, float]:
    if moment is None:
        return (1, 0.0)
    return (0, moment.timestamp())


def _edge_contacts(graph: nx.Graph, u: NodeT, v: NodeT) -> list[Interval] | None:
    """Merged contact intervals of all edges u -> v, or None if none carries a time."""
    if graph.is_multigraph():
        datas = list(graph.get_edge_data(u, v, default={}).values())
    else:
        datas = [graph.edges[u, v]]
    intervals: list[Interval] = []
    for data in datas:
        times = data.get("times")
        if times:
            intervals.extend((moment, moment) for moment in times)
            continue
        first, last = data.get("first"), data.get("last")
        if first is not None or last is not None:
            intervals.append((first or last, last or first))
    if not intervals:
        return None
    return _merge(intervals)


def _merge(intervals: list[Interval]) -> list[Interval]:
    """Sort and merge overlapping closed intervals."""
    ordered = sorted(intervals)
    merged = [ordered[0]]
    for low, high in ordered[1:]:
        last_low, last_high = merged[-1]
        if low <= last_high:
            merged[-1] = (last_low, max(last_high, high))
        else:
            merged.append((low, high))
    return merged


def _advance(
    reachable: list[Interval] | None,
    available: list[Interval],
    max_gap: timedelta | None,
    lower: datetime | None,
) -> list[Interval]:
    """Contact times usable on the next hop, given the times the last timed hop could
    have happened at (``None`` before any timed hop)."""
    window: Sequence[tuple[datetime, datetime | None]] | None
    if reachable is None:
        window = None
    elif max_gap is None:
        window = [(reachable[0][0], None)]
    else:
        window = _merge([(low, high + max_gap) for low, high in reachable])
    result: list[Interval] = []
    for low, high in available:
        if lower is not None:
            if high < lower:
                continue
            low = max(low, lower)
        if window is None:
            result.append((low, high))
            continue
        for win_low, win_high in _overlapping(window, low, high):
            clipped_low = max(low, win_low)
            clipped_high = high if win_high is None else min(high, win_high)
            if clipped_low <= clipped_high:
                result.append((clipped_low, clipped_high))
    return result


def _overlapping(
    window: Sequence[tuple[datetime, datetime | None]], low: datetime, high: datetime
) -> Iterator[tuple[datetime, datetime | None]]:
    """Windows (sorted, disjoint) that may intersect [low, high]."""
    starts = [win_low for win_low, _ in window]
    position = max(0, bisect.bisect_right(starts, high) - 1)
    # Step back while earlier windows still reach low.
    while position > 0:
        previous_high = window[position - 1][1]
        if previous_high is not None and previous_high < low:
            break
        position -= 1
    for win_low, win_high in window[position:]:
        if win_low > high:
            break
        if win_high is None or win_high >= low:
            yield win_low, win_high


def _choose_times(
    path: list[NodeT],
    states: list[list[Interval] | None],
    hop_contacts: list[list[Interval] | None],
    max_gap: timedelta | None,
) -> TimedPath[NodeT]:
    """Pick concrete times: earliest arrival, then latest feasible time going back."""
    chosen: list[datetime | None] = [None] * len(hop_contacts)
    later: datetime | None = None
    for hop in range(len(hop_contacts) - 1, -1, -1):
        if hop_contacts[hop] is None:
            continue
        reachable = states[hop + 1] or []
        if later is None:
            moment = reachable[0][0]
        else:
            candidates = [min(high, later) for low, high in reachable if low <= later]
            # The latest reachable time not after the next hop also satisfies max_gap:
            # the next hop's reachable set was derived from this one.
            moment = max(candidates) if candidates else reachable[0][0]
        chosen[hop] = moment
        later = moment
    return TimedPath(tuple(path), tuple(chosen))
