"""The case as a graph: people, their identifiers, places and police systems, and contact.

Nodes and edges carry the attributes the generic ``graphs`` toolkit expects
(``kind``, ``label``, ``weight``, ``severity``, ``first``, ``last``, ``times``),
so the same graph feeds the link chart, the exports and the bundle.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, cast

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.analysis.duplicates import linked_duplicates
from workbench.anonymise import Anonymiser
from workbench.duty import OFF_DUTY, subject_duty
from workbench.facts import night_mask
from workbench.geo import distance_m
from workbench.model import Case, Event, Identifier, Marker
from workbench.store.queries import epoch_seconds, read_columns
from workbench.timeutil import zone
from workbench.vocabulary import severity_rank

if TYPE_CHECKING:
    import networkx as nx

PERSON_KINDS = {"subject": "officer", "member_of_public": "member_of_public",
                "colleague": "colleague", "witness": "witness", "other": "other_person"}
IDENTIFIER_NODE_KINDS = {"phone": "phone", "imei": "phone", "vehicle": "vehicle",
                         "system_user": "police_system", "police_record": "police_system"}
MAX_TIMES_PER_EDGE = 5_000  # beyond this only first/last are kept (paths use them)
KEEP_UNRESOLVED = 12  # unattributed identifiers drawn one by one; the rest are folded


def person_node(key: str) -> str:
    return f"person:{key}"


def identifier_node(identifier_id: int) -> str:
    return f"identifier:{identifier_id}"


@dataclass
class ContactEvents:
    """The case's contact events as arrays (one entry per event)."""

    event_id: np.ndarray
    from_id: np.ndarray  # -1 where absent
    to_id: np.ndarray
    epoch: np.ndarray  # int64 seconds UTC
    channel: np.ndarray  # object array of str
    kind: np.ndarray


def load_contact_events(session: Session, case: Case, start: datetime | None = None,
                        end: datetime | None = None) -> ContactEvents:
    """Events with two parties (calls, messages, look-ups), optionally in a time window."""
    query = select(Event.id, Event.from_id, Event.to_id, epoch_seconds(session, Event.occurred_at),
                   Event.channel, Event.kind).where(Event.case_id == case.id,
                                                    Event.from_id.is_not(None),
                                                    Event.to_id.is_not(None),
                                                    Event.id.not_in(linked_duplicates()))  # counted once
    if start is not None:
        query = query.where(Event.occurred_at >= start)
    if end is not None:
        query = query.where(Event.occurred_at <= end)
    return ContactEvents(*read_columns(session, query.order_by(Event.occurred_at),
                                       (np.int64, np.int64, np.int64, np.int64, object, object)))


def off_duty_mask(session: Session, case: Case, epoch: np.ndarray) -> np.ndarray:
    """True where the case's subject was off duty, by :mod:`workbench.duty` (gaps: unknown)."""
    return subject_duty(session, case, epoch) == OFF_DUTY


def build_case_graph(session: Session, case: Case, anonymiser: Anonymiser | None = None,
                     start: datetime | None = None, end: datetime | None = None,
                     max_unresolved: int | None = KEEP_UNRESOLVED) -> nx.MultiGraph:
    """The link chart's graph of a case, optionally limited to a time window.

    Only the ``max_unresolved`` busiest unattributed identifiers are drawn one by
    one; the rest of each kind are folded into one "other" node, so a year of
    billing does not bury the people in hundreds of numbers (None: keep all).
    """
    anonymiser = anonymiser or Anonymiser(case, enabled=False)
    import networkx as nx

    graph = nx.MultiGraph(case=case.ref)
    for person in case.people:
        graph.add_node(person_node(person.key), kind=PERSON_KINDS.get(person.role, "other_person"),
                       label=anonymiser.person(person), role=person.role,
                       vulnerable=bool(person.vulnerabilities))
    identifiers = {i.id: i for i in session.scalars(
        select(Identifier).where(Identifier.case_id == case.id))}
    for ident in identifiers.values():
        _add_identifier(graph, ident, anonymiser)
    for place in case.places:
        node = f"place:{place.id}"
        graph.add_node(node, kind="place", label=anonymiser.place(place))
        if place.person is not None:
            graph.add_edge(person_node(place.person.key), node, kind="lives_at", weight=1)
    for engagement in case.engagements:
        if _overlaps(engagement.started, engagement.concluded, start, end):
            graph.add_edge(person_node(engagement.officer.key), person_node(engagement.member.key),
                           kind="engagement", weight=1, label=engagement.kind,
                           first=engagement.started, last=engagement.concluded or engagement.started)
    events = load_contact_events(session, case, start, end)
    _add_contacts(session, graph, case, events, identifiers)
    _add_vehicle_stops(session, graph, case, start, end)
    _drop_idle_unresolved(graph)
    if max_unresolved is not None:
        fold_unresolved(graph, max_unresolved)
    return graph


def _drop_idle_unresolved(graph: nx.MultiGraph) -> None:
    """Unattributed identifiers with no contact in the window say nothing."""
    graph.remove_nodes_from([n for n, d in graph.nodes(data=True)
                             if d["kind"] == "unresolved" and graph.degree(n) == 0])


def fold_unresolved(graph: nx.MultiGraph, keep: int) -> None:
    """Keep the ``keep`` busiest unattributed identifiers; fold the rest into one node per kind."""
    unresolved = [(sum(d.get("weight", 1) for _, _, d in graph.edges(n, data=True)), n)
                  for n, d in graph.nodes(data=True) if d["kind"] == "unresolved"]
    unresolved.sort(key=lambda item: (-item[0], item[1]))
    for _, node in unresolved[keep:]:
        kind = graph.nodes[node]["identifier_kind"]
        other = f"others:{kind}"
        if other not in graph:
            graph.add_node(other, kind="unresolved", identifier_kind=kind, folded=0, label="")
        graph.nodes[other]["folded"] += 1
        count = graph.nodes[other]["folded"]
        graph.nodes[other]["label"] = f"{count} other unattributed {kind.replace('_', ' ')}" + (
            "s" if count > 1 else "")
        for _, neighbour, data in list(graph.edges(node, data=True)):
            merged = next((d for d in graph.get_edge_data(other, neighbour, default={}).values()
                           if d.get("channel") == data.get("channel")), None)
            if merged is None:
                graph.add_edge(other, neighbour, **{**data, "times": None, "event_ids": list(data.get("event_ids", []))})
            else:
                merged["weight"] += data.get("weight", 1)
                merged.setdefault("event_ids", []).extend(data.get("event_ids", []))  # in place: folding thousands
                merged["first"] = min(merged["first"], data["first"]) if "first" in data else merged.get("first")
                merged["last"] = max(merged["last"], data["last"]) if "last" in data else merged.get("last")
                for field in ("night", "off_duty", "after_closure"):
                    merged[field] = merged.get(field, 0) + data.get(field, 0)
        graph.remove_node(node)


def _overlaps(begin: datetime, finish: datetime | None, start: datetime | None,
              end: datetime | None) -> bool:
    return (end is None or begin <= end) and (start is None or (finish or begin) >= start)


def _add_identifier(graph: nx.MultiGraph, ident: Identifier, anonymiser: Anonymiser) -> None:
    node = identifier_node(ident.id)
    if ident.person is None:
        kind = "unresolved"
    else:
        kind = IDENTIFIER_NODE_KINDS.get(ident.kind, "account")
    graph.add_node(node, kind=kind, label=anonymiser.identifier(ident), identifier_kind=ident.kind,
                   use=ident.use)
    if ident.person is not None:
        graph.add_edge(person_node(ident.person.key), node, kind="owns", weight=1, use=ident.use)


def _pair_severity(session: Session, case: Case, identifiers: dict[int, Identifier]) -> dict[tuple[int, int], str]:
    """The worst open or accepted marker severity between each pair of people."""
    worst: dict[tuple[int, int], str] = {}
    rows = session.execute(select(Marker.subject_id, Marker.member_id, Marker.severity).where(
        Marker.case_id == case.id, Marker.current.is_(True), Marker.status != "dismissed")).all()
    for subject_id, member_id, severity in rows:
        if subject_id is None or member_id is None:
            continue
        key = (min(subject_id, member_id), max(subject_id, member_id))
        if severity_rank(severity) > severity_rank(worst.get(key, "none")):
            worst[key] = severity
    return worst


def _add_contacts(session: Session, graph: nx.MultiGraph, case: Case, events: ContactEvents,
                  identifiers: dict[int, Identifier]) -> None:
    if len(events.event_id) == 0:
        return
    tz = zone(case.timezone)
    night = night_mask(events.epoch, tz)
    off_duty = off_duty_mask(session, case, events.epoch)
    closures = _closures(case)
    severity = _pair_severity(session, case, identifiers)
    low = np.minimum(events.from_id, events.to_id)
    high = np.maximum(events.from_id, events.to_id)
    groups: dict[tuple[int, int, str], list[int]] = defaultdict(list)
    for index, key in enumerate(zip(low.tolist(), high.tolist(), events.channel.tolist(), strict=True)):
        groups[key].append(index)
    for (a, b, channel), members in groups.items():
        rows = np.array(members)
        times = events.epoch[rows]
        kinds: dict[str, int] = defaultdict(int)
        for kind in events.kind[rows]:
            kinds[kind] += 1
        people = [identifiers[i].person_id for i in (a, b) if i in identifiers]
        known = [person for person in people if person is not None]
        pair = (min(known), max(known)) if len(known) == 2 else None
        closed_at = closures.get(pair) if pair else None
        after_closure = int((times > closed_at).sum()) if closed_at is not None else 0
        as_datetimes = [datetime.fromtimestamp(int(t), UTC) for t in times[:MAX_TIMES_PER_EDGE]]
        graph.add_edge(
            identifier_node(a), identifier_node(b), kind="lookup" if channel == "police_system" else "contact",
            channel=channel, weight=len(members), counts=dict(kinds),
            first=datetime.fromtimestamp(int(times.min()), UTC),
            last=datetime.fromtimestamp(int(times.max()), UTC),
            times=as_datetimes if len(members) <= MAX_TIMES_PER_EDGE else None,
            night=int(night[rows].sum()), off_duty=int(off_duty[rows].sum()),
            after_closure=after_closure,
            severity=severity.get(pair, "none") if pair else "none",
            event_ids=events.event_id[rows].tolist(),
        )


def _closures(case: Case) -> dict[tuple[int, int], int]:
    """The latest engagement closure between each officer–member pair, as epoch seconds."""
    closures: dict[tuple[int, int], int] = {}
    for engagement in case.engagements:
        if engagement.concluded is None:
            continue
        pair = (min(engagement.officer_id, engagement.member_id), max(engagement.officer_id, engagement.member_id))
        closures[pair] = max(closures.get(pair, 0), int(engagement.concluded.timestamp()))
    return closures


def _add_vehicle_stops(session: Session, graph: nx.MultiGraph, case: Case,
                       start: datetime | None, end: datetime | None) -> None:
    """Vehicle stops within a place's radius become vehicle–place "visit" edges."""
    if not case.places:
        return
    query = select(Event.from_id, Event.occurred_at, Event.lat, Event.lon, Event.duration_s).where(
        Event.case_id == case.id, Event.kind == "vehicle_stop", Event.lat.is_not(None))
    if start is not None:
        query = query.where(Event.occurred_at >= start)
    if end is not None:
        query = query.where(Event.occurred_at <= end)
    visits: dict[tuple[int, int], list[datetime]] = defaultdict(list)
    for vehicle_id, at, lat, lon, _duration in session.execute(query):
        for place in case.places:
            # The query keeps positioned stops only: a stop's lat and lon are set together.
            if vehicle_id is not None and distance_m(
                    cast(float, lat), cast(float, lon), place.lat, place.lon) <= place.radius_m:
                visits[(vehicle_id, place.id)].append(at)
    for (vehicle_id, place_id), times in visits.items():
        graph.add_edge(identifier_node(vehicle_id), f"place:{place_id}", kind="visit",
                       weight=len(times), first=min(times), last=max(times), times=sorted(times))


def summary(graph: nx.MultiGraph) -> dict[str, Any]:
    """Counts of nodes by kind and edges by kind (for tests and the CLI)."""
    nodes: dict[str, int] = defaultdict(int)
    edges: dict[str, int] = defaultdict(int)
    for _, data in graph.nodes(data=True):
        nodes[data["kind"]] += 1
    for _, _, data in graph.edges(data=True):
        edges[data["kind"]] += 1
    return {"nodes": dict(nodes), "edges": dict(edges)}
