"""A case's contact timeline as numpy arrays: lanes, events, duty, engagements, markers.

The desktop timeline draws a million events per frame by slicing arrays, so this
module loads every event of a case with one SQL query of plain columns (no ORM
object per event) and sorts them by lane, then time. A linked duplicate (the same
communication from a second exhibit) is left out, as in the chart and the CSV: the
record that stands for it lists both sources. A lane is one counterpart
(a person, or an identifier nobody has been assigned to) on one channel.
"""

from __future__ import annotations

import typing
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
from sqlalchemy import ColumnElement, and_, func, literal, or_, select
from sqlalchemy import case as sql_case
from sqlalchemy.orm import Session, selectinload

from workbench.analysis.duplicates import linked_duplicates, sources
from workbench.anonymise import Anonymiser
from workbench.duty import OFF_DUTY, ON_DUTY, UNKNOWN_DUTY, subject_duty_spans
from workbench.model import Case, Event, EventLink, Identifier, Marker, MarkerEvidence, Person
from workbench.model.vocab import EVENT_KINDS, SEVERITIES
from workbench.shared.notes import annotated_event_ids, current_annotations
from workbench.store import Store
from workbench.store.queries import epoch_seconds, find_case, read_columns, row_slices
from workbench.vocabulary import CHANNEL_LABELS, label

DIRECTION_CODES = {"outgoing": 0, "incoming": 1, "unknown": 2}
KIND_CODES = {kind: code for code, kind in enumerate(EVENT_KINDS)}
OTHER_KIND = len(EVENT_KINDS)  # a kind an importer added after this list was written
SEVERITY_CODES = {severity: code for code, severity in enumerate(SEVERITIES)}

# Channels whose records go to a kind lane below (look-ups, stops, visits) instead.
NON_LANE_CHANNELS = frozenset({"police_system", "telematics", "in_person"})
# What a lane's channel is called on screen, in the order lanes are stacked.
LANE_CHANNELS: dict[str, str] = {
    **{channel: label(channel) for channel in CHANNEL_LABELS if channel not in NON_LANE_CHANNELS},
    "visit": "Visits",
    "system_lookup": "System look-ups",
    "vehicle_stop": "Vehicle stops",
    "vehicle_position": "Vehicle positions",
}
# Kinds that make their own lane whatever channel they came on.
KIND_LANES = frozenset({"visit", "system_lookup", "vehicle_stop", "vehicle_position"})
ROLE_ORDER = {"member_of_public": 0, "witness": 1, "other": 2, "colleague": 3, "subject": 5}
# Unattributed counterparts beyond this many share one "other" lane per channel,
# so a billing file with hundreds of numbers does not bury the people who matter.
MAX_UNRESOLVED_LANES = 8


@dataclass(frozen=True)
class Lane:
    """One row of the timeline: a counterpart on a channel."""

    counterpart: str  # the person, cipher or identifier as shown
    channel: str  # the channel as shown
    person_id: int | None
    identifier_id: int | None
    channel_key: str
    group: int  # lanes of the same counterpart share a group number

    @property
    def label(self) -> str:
        return f"{self.counterpart} — {self.channel}"


@dataclass(frozen=True)
class MarkerSpan:
    """An escalation marker as the timeline needs it."""

    id: int
    rule: str
    severity: str
    status: str
    start: int  # epoch seconds UTC
    end: int
    member_id: int | None
    evidence: tuple[int, ...]  # the supporting events' ids
    records: int  # every supporting record: events, intelligence reports and complaints


@dataclass(frozen=True)
class EngagementSpan:
    member_id: int
    label: str
    start: int
    end: int | None  # None: still open


@dataclass
class TimelineData:
    """Every event of a case, sorted by lane then time, plus the overlays.

    ``lane_bounds[i]:lane_bounds[i + 1]`` slices lane ``i`` out of each event
    array; within a lane ``times`` is ascending, so visible ranges are found
    with ``numpy.searchsorted``.
    """

    timezone: str
    lanes: list[Lane]
    lane_bounds: np.ndarray
    times: np.ndarray  # int64 epoch seconds UTC
    lane: np.ndarray  # int32 lane index
    kind: np.ndarray  # int8 index into EVENT_KINDS (OTHER_KIND when unknown)
    direction: np.ndarray  # int8: 0 outgoing, 1 incoming, 2 unknown
    duration: np.ndarray  # float32 seconds, NaN when none
    event_id: np.ndarray  # int64
    date_only: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))  # known to the day only
    off_duty: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), np.int64))
    on_duty: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), np.int64))
    engagements: list[EngagementSpan] = field(default_factory=list)
    markers: list[MarkerSpan] = field(default_factory=list)
    identifier_events: dict[int, int] = field(default_factory=dict)  # id -> events it is in
    anonymised: bool = False  # lanes are labelled with ciphers
    # Array positions (ascending) of the events with a live note, tag or bookmark, and the
    # markers with one: the timeline flags them.
    noted_events: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    noted_markers: frozenset[int] = frozenset()
    _positions: np.ndarray | None = None

    @property
    def lane_labels(self) -> list[str]:
        return [lane.label for lane in self.lanes]

    @property
    def count(self) -> int:
        return int(self.times.size)

    def known_to_the_day(self, position: int) -> bool:
        """Whether the event at ``position`` has a date but no time (its source gave none)."""
        return bool(position < self.date_only.size and self.date_only[position])

    def duty_at(self, times: np.ndarray) -> np.ndarray:
        """ON_DUTY, OFF_DUTY or UNKNOWN_DUTY at each time, as the duty row shows it."""
        status = np.full(len(times), UNKNOWN_DUTY, dtype=np.int8)
        for spans, code in ((self.off_duty, OFF_DUTY), (self.on_duty, ON_DUTY)):
            for begin, end in spans:
                status[(times >= begin) & (times <= end)] = code
        return status

    def span(self) -> tuple[int, int]:
        """First and last moment worth showing: the events and engagements.

        Markers about history (intelligence from years before) would squash the
        contact into a sliver, so they count only when there is nothing else.
        """
        starts = [int(self.times.min())] if self.count else []
        ends = [int(self.times.max())] if self.count else []
        for item in self.engagements:
            starts.append(item.start)
            ends.append(item.end or item.start)
        if not starts:
            starts = [marker.start for marker in self.markers]
            ends = [marker.end for marker in self.markers]
        if not starts:
            return 0, 86_400
        return min(starts), max(ends)

    def lane_slice(self, lane: int) -> slice:
        return slice(int(self.lane_bounds[lane]), int(self.lane_bounds[lane + 1]))

    def index_events(self) -> None:
        """Sort the event ids for :meth:`position_of` (done once, where the events are read:
        a million ids take a second to sort, too long for the GUI thread)."""
        if self._positions is None:
            self._positions = np.argsort(self.event_id, kind="stable")

    def position_of(self, event_id: int) -> int | None:
        """Index of an event in the arrays, or None if it is not in the case."""
        self.index_events()
        order = self._positions
        assert order is not None  # by index_events
        at = int(np.searchsorted(self.event_id, event_id, sorter=order))
        if at < order.size and self.event_id[order[at]] == event_id:
            return int(order[at])
        return None

    def positions_of(self, event_ids: Iterable[int]) -> np.ndarray:
        """Array positions, ascending, of those of these events that are on the timeline."""
        return np.flatnonzero(np.isin(self.event_id, np.fromiter(event_ids, np.int64))).astype(np.int64)

    def set_noted(self, positions: np.ndarray, marker_ids: Iterable[int]) -> None:
        """Which events (by position) and markers carry a note, tag or bookmark."""
        self.noted_events = positions
        self.noted_markers = frozenset(marker_ids)

    def noted_in_lane(self, lane: int) -> np.ndarray:
        """Positions of a lane's noted events, in time order."""
        part = self.lane_slice(lane)
        lo, hi = np.searchsorted(self.noted_events, [part.start, part.stop])
        return self.noted_events[lo:hi]

    def lanes_of_person(self, person_id: int) -> list[int]:
        return [n for n, lane in enumerate(self.lanes) if lane.person_id == person_id]


def _lane_channel(kind: str, channel: str) -> str:
    return kind if kind in KIND_LANES else channel


def _codes(column, values: list[str]):  # type: ignore[no-untyped-def]
    """SQL turning a text column into the index of its value in ``values`` (-1 if absent)."""
    if not values:
        return literal(-1)
    return sql_case({value: n for n, value in enumerate(values)}, value=column, else_=-1)


COLUMNS = 6  # time, id, kind-channel-direction code, from, to, duration (the covering index's)
Signature = tuple[str, str, int, int]  # an event's kind, channel, sender and recipient (0: none)


@dataclass
class EventRows:
    """A case's events (or one stretch of them) as read, in time order, one array entry
    per event. Events repeat a few signatures (kind, channel, from, to): each event has
    the index of its own in ``signatures``, and the lanes are worked out once per
    signature (:func:`load_timeline`). ``bounds``: the times a case's events were
    divided at into stretches."""

    times: np.ndarray  # int64 epoch seconds UTC
    event_id: np.ndarray  # int64
    kind: np.ndarray  # int8 index into EVENT_KINDS (OTHER_KIND when unknown)
    direction: np.ndarray  # int8: 0 outgoing, 1 incoming, 2 unknown
    duration: np.ndarray  # float32 seconds, NaN when none
    date_only: np.ndarray  # bool: known to the day only
    signature: np.ndarray  # int32 index into ``signatures``
    signatures: list[Signature]
    bounds: list[datetime | None] = field(default_factory=list)


def read_event_rows(session: Session, case_id: int, part: int = 0, parts: int = 1) -> EventRows:
    """The case's events, or the ``part``-th of ``parts`` stretches of them in time order
    (nearly equal in size: read side by side, they take half the time, see :func:`joined`).

    The statement runs on the driver's cursor and gives numbers only, text columns as
    codes into the events' own distinct kinds and channels: a million rows then cost
    one fetch and one array conversion, with no Python object per cell beyond the
    driver's tuples.
    """
    # A linked duplicate is the same communication as another exhibit holds it: drawn once.
    # (Asked only when the case has links: the test costs every row a look-up.)
    shown: ColumnElement[bool] = Event.case_id == case_id
    if session.scalar(select(EventLink.id).where(EventLink.case_id == case_id,
                                                 EventLink.undone_at.is_(None)).limit(1)):
        shown = and_(shown, Event.id.not_in(linked_duplicates()))
    bounds = _stretch_bounds(session, case_id, parts) if parts > 1 else []
    if part > 0 and bounds[part - 1] is not None:
        shown = and_(shown, Event.occurred_at >= bounds[part - 1])
    if part < parts - 1 and bounds[part] is not None:
        shown = and_(shown, Event.occurred_at < bounds[part])
    distinct = session.execute(select(Event.kind, Event.channel).where(shown).distinct()).all()
    kinds = sorted({k for k, _ in distinct})
    channels = sorted({c for _, c in distinct})
    # Kind, channel and direction in one number (each code + 1, so that -1, absent, is 0):
    # two cells fewer per row are a tenth off the read.
    span = len(channels) + 1
    coded = ((_codes(Event.kind, kinds) + 1) * span + _codes(Event.channel, channels) + 1) * 4 \
        + _codes(Event.direction, list(DIRECTION_CODES)) + 1
    statement = (
        select(epoch_seconds(session, Event.occurred_at), Event.id, coded,
               func.coalesce(Event.from_id, 0), func.coalesce(Event.to_id, 0),
               func.coalesce(Event.duration_s, -1.0))
        .where(shown)
        .order_by(Event.occurred_at)
    )
    pieces = [np.array(rows, dtype=np.float64).reshape(-1, COLUMNS)
              for rows in row_slices(session, statement)]
    matrix = np.concatenate(pieces) if pieces else np.zeros((0, COLUMNS))
    code = matrix[:, 2].astype(np.int64)
    kind_of, channel_of, direction = code // (4 * span) - 1, code // 4 % span - 1, code % 4 - 1
    sender, recipient = matrix[:, 3].astype(np.int64), matrix[:, 4].astype(np.int64)
    combos, signature = _unique_rows(kind_of, channel_of, sender, recipient)
    kind_codes = np.array([KIND_CODES.get(k, OTHER_KIND) for k in kinds] + [OTHER_KIND], np.int8)
    duration = matrix[:, 5].astype(np.float32)
    duration[duration < 0] = np.nan
    event_id = matrix[:, 1].astype(np.int64)
    return EventRows(
        times=matrix[:, 0].astype(np.int64), event_id=event_id,
        kind=kind_codes[kind_of],  # -1 (absent) picks the OTHER_KIND sentinel
        direction=np.where(direction < 0, 2, direction).astype(np.int8),
        duration=duration, date_only=np.isin(event_id, _date_only_ids(session, case_id)),
        signature=signature.astype(np.int32),
        signatures=[(kinds[k] if k >= 0 else "", channels[c] if c >= 0 else "", frm, to)
                    for k, c, frm, to in combos.tolist()],
        bounds=bounds)


def _stretch_bounds(session: Session, case_id: int, parts: int) -> list[datetime | None]:
    """The times dividing the case's events into ``parts`` stretches of nearly equal size
    (each stretch runs from one bound, included, to the next, excluded; None if the case
    has too few events to reach it). Read on the covering index: milliseconds."""
    count = session.scalar(select(func.count()).select_from(Event).where(Event.case_id == case_id)) or 0
    return [session.scalar(select(Event.occurred_at).where(Event.case_id == case_id)
                           .order_by(Event.occurred_at).offset(count * n // parts).limit(1))
            for n in range(1, parts)]


class StretchesDisagree(Exception):
    """Stretches of a case's events were divided at different times: the case changed
    between their reads (an import saved meanwhile), so they may overlap or leave a gap."""


def joined(stretches: list[EventRows]) -> EventRows:
    """Consecutive stretches of events as one, on one list of signatures.
    Raises :class:`StretchesDisagree` if they were not divided at the same times."""
    if len(stretches) == 1:
        return stretches[0]
    if any(rows.bounds != stretches[0].bounds for rows in stretches):
        raise StretchesDisagree("the case changed while its events were read")
    numbering: dict[Signature, int] = {}
    signature = []
    for rows in stretches:
        shared = np.array([numbering.setdefault(s, len(numbering)) for s in rows.signatures] or [0], np.int32)
        signature.append(shared[rows.signature])

    def join(name: str) -> np.ndarray:
        return np.concatenate([getattr(rows, name) for rows in stretches])

    return EventRows(times=join("times"), event_id=join("event_id"), kind=join("kind"),
                     direction=join("direction"), duration=join("duration"),
                     date_only=join("date_only"), signature=np.concatenate(signature),
                     signatures=list(numbering))


def _date_only_ids(session: Session, case_id: int) -> np.ndarray:
    """The case's events known only to the day: few, read by their own index, so that the
    timeline's read stays on its covering one."""
    return np.array(session.scalars(select(Event.id).where(
        Event.case_id == case_id, Event.date_only == True)).all(), np.int64)  # noqa: E712 - SQL


def _unique_rows(kind: np.ndarray, channel: np.ndarray, sender: np.ndarray,
                 recipient: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (kind, channel, from, to) rows and each event's index among them.

    Packed into one int64 when the codes and ids fit (a 1-D unique is a plain
    sort); otherwise the slower row-wise unique.
    """
    columns = np.stack([kind, channel, sender, recipient], axis=1)
    if columns.size == 0:
        return columns.reshape(0, 4), np.zeros(0, np.int64)
    if kind.max() < 63 and channel.max() < 63 and max(sender.max(), recipient.max()) < 1 << 25:
        packed = ((((kind + 1) << 6 | (channel + 1)) << 25 | sender) << 25) | recipient
        _values, first, index = np.unique(packed, return_index=True, return_inverse=True)
        return columns[first], index.reshape(-1)
    combos, index = np.unique(columns, axis=0, return_inverse=True)
    return combos, index.reshape(-1)


def load_timeline(session: Session, case: Case, anonymiser: Anonymiser,
                  markers: list[MarkerSpan] | None = None, rows: EventRows | None = None) -> TimelineData:
    """Every event of ``case`` as arrays, with lanes labelled through ``anonymiser`` (the
    events and the current markers are read here unless the caller has them)."""
    rows = read_event_rows(session, case.id) if rows is None else rows
    people = {p.id: p for p in case.people}
    idents = {i.id: i for i in session.scalars(select(Identifier).where(Identifier.case_id == case.id))}
    # Resolve each signature's lane once, not each event's.
    counterpart_of = _counterparts(idents, people)
    lane_keys: list[tuple[object, str]] = []
    key_codes: dict[tuple[object, str], int] = {}
    signature_lane = np.zeros(max(len(rows.signatures), 1), np.int32)
    for n, (kind, channel, sender, recipient) in enumerate(rows.signatures):
        key = (counterpart_of(sender or None, recipient or None), _lane_channel(kind, channel))
        signature_lane[n] = key_codes.setdefault(key, len(lane_keys))
        if signature_lane[n] == len(lane_keys):
            lane_keys.append(key)
    raw_lane = signature_lane[rows.signature]
    per_key = np.bincount(raw_lane, minlength=len(lane_keys))
    lanes, remap = _make_lanes(lane_keys, per_key, people, idents, anonymiser)
    lane = remap[raw_lane]
    # Rows came sorted by time, and stay so within each lane (a stable sort; by radix when
    # the lane numbers fit 16 bits, as they do).
    order = np.argsort(lane.astype(np.int16) if len(lanes) < 1 << 15 else lane, kind="stable")
    per_signature = np.bincount(rows.signature, minlength=len(rows.signatures))
    data = TimelineData(
        timezone=case.timezone, lanes=lanes,
        lane_bounds=np.searchsorted(lane[order], np.arange(len(lanes) + 1)).astype(np.int64),
        times=rows.times[order], lane=lane[order].astype(np.int32), kind=rows.kind[order],
        direction=rows.direction[order], duration=rows.duration[order],
        event_id=rows.event_id[order], date_only=rows.date_only[order],
        identifier_events=identifier_events(rows.signatures, per_signature),
        anonymised=anonymiser.enabled,
    )
    _load_overlays(session, case, data, anonymiser)
    data.markers = load_marker_spans(session, case) if markers is None else markers
    return data


def no_events(timezone: str, anonymised: bool) -> TimelineData:
    """A timeline with no events, no lanes and no overlays."""
    return TimelineData(
        timezone=timezone, lanes=[], lane_bounds=np.zeros(1, np.int64),
        times=np.zeros(0, np.int64), lane=np.zeros(0, np.int32), kind=np.zeros(0, np.int8),
        direction=np.zeros(0, np.int8), duration=np.zeros(0, np.float32),
        event_id=np.zeros(0, np.int64), anonymised=anonymised)


def empty_timeline(session: Session, case: Case, anonymiser: Anonymiser) -> TimelineData:
    """The case's overlays (duty, engagements) with no events and no markers yet: what
    the window shows while the events are read."""
    data = no_events(case.timezone, anonymiser.enabled)
    _load_overlays(session, case, data, anonymiser)
    return data


def identifier_events(signatures: list[Signature], events: np.ndarray) -> dict[int, int]:
    """How many events each identifier takes part in, as sender or recipient (``events``:
    how many events have each signature)."""
    counts: Counter[int] = Counter()
    for (_kind, _channel, sender, recipient), n in zip(signatures, events.tolist(), strict=True):
        for party in (sender, recipient):
            if party:
                counts[party] += n
    return dict(counts)


def _counterparts(idents: dict[int, Identifier], people: dict[int, Person]):  # type: ignore[no-untyped-def]
    """A function naming the other party of an event, seen from the subject."""

    def party(ident_id: int | None) -> tuple[object, bool] | None:
        ident = idents.get(ident_id) if ident_id else None
        if ident is None:
            return None
        person = people.get(ident.person_id) if ident.person_id else None
        if person is None:
            return ("identifier", ident.id), False
        return ("person", person.id), person.role == "subject"

    def counterpart(sender: int | None, recipient: int | None) -> object:
        parties = [p for p in (party(sender), party(recipient)) if p is not None]
        others = [key for key, is_subject in parties if not is_subject]
        people_first = sorted(others, key=lambda key: key[0] != "person")  # type: ignore[index]
        return people_first[0] if people_first else None

    return counterpart


def _make_lanes(keys: list[tuple[object, str]], counts: np.ndarray, people: dict[int, Person],
                idents: dict[int, Identifier], anonymiser: Anonymiser) -> tuple[list[Lane], np.ndarray]:
    """Order and label lanes; returns them and the map from raw key index to lane."""
    unresolved = Counter[object]()
    for n, (who, _channel) in enumerate(keys):
        if isinstance(who, tuple) and who[0] == "identifier":
            unresolved[who] += int(counts[n])
    kept = {who for who, _ in unresolved.most_common(MAX_UNRESOLVED_LANES)}
    channel_rank = {name: n for n, name in enumerate(LANE_CHANNELS)}

    def merged(who: object) -> object:
        if isinstance(who, tuple) and who[0] == "identifier" and who not in kept:
            return ("others", 0)
        return who

    def who_rank(who: object) -> tuple[int, int, str]:
        if who is None:
            return (9, 0, "")
        kind, ident = typing.cast(tuple[str, int], who)  # lane keys are None or (kind, id)
        if kind == "person":
            person = people[ident]
            return (ROLE_ORDER.get(person.role, 4), person.id, "")
        if kind == "identifier":
            return (6, -unresolved[who], "")
        return (7, 0, "")

    merged_keys = sorted({(merged(who), channel) for who, channel in keys},
                         key=lambda k: (who_rank(k[0]), channel_rank.get(k[1], 99), k[1]))
    index = {key: n for n, key in enumerate(merged_keys)}
    remap = np.array([index[(merged(who), channel)] for who, channel in keys] or [0], np.int32)
    groups: dict[object, int] = {}
    lanes = []
    for who, channel in merged_keys:
        group = groups.setdefault(who, len(groups))
        person_id = identifier_id = None
        if who is None:
            shown = "Subject's own activity" if channel in KIND_LANES else "Unknown party"
        elif who[0] == "person":  # type: ignore[index]
            person_id = who[1]  # type: ignore[index]
            shown = anonymiser.person(people[person_id])
        elif who[0] == "identifier":  # type: ignore[index]
            identifier_id = who[1]  # type: ignore[index]
            shown = anonymiser.identifier(idents[identifier_id])
        else:
            shown = "Other unattributed contacts"
        lanes.append(Lane(shown, LANE_CHANNELS.get(channel, label(channel)),
                          person_id, identifier_id, channel, group))
    return lanes, remap


def _load_overlays(session: Session, case: Case, data: TimelineData, anonymiser: Anonymiser) -> None:
    data.on_duty, data.off_duty = subject_duty_spans(session, case)
    data.engagements = [
        EngagementSpan(
            e.member_id, f"{e.kind} ({anonymiser.person(e.member)})",
            int(e.started.timestamp()), int(e.concluded.timestamp()) if e.concluded else None)
        for e in case.engagements
    ]
    events, markers = noted_targets(session, case)
    data.set_noted(data.positions_of(events), markers)


def noted_targets(session: Session, case: Case) -> tuple[list[int], list[int]]:
    """Ids of the events and of the markers that carry a live note, tag or bookmark."""
    live = current_annotations(session, case)
    return ([row.target_id for row in live if row.target_kind == "event"],
            [row.target_id for row in live if row.target_kind == "marker"])


def read_noted(store: Store, ref: str, data: TimelineData) -> tuple[np.ndarray, list[int]]:
    """The positions in ``data`` of the events that carry notes now, and the noted markers'
    ids: after a note, without reading the events again (its own session: a worker may call it)."""
    with store.reader() as session:
        events, markers = noted_targets(session, find_case(session, ref))
    return data.positions_of(events), markers


def load_marker_spans(session: Session, case: Case) -> list[MarkerSpan]:
    """The current markers as the timeline flags them, with their supporting records
    (reloaded alone after a review)."""
    markers = session.scalars(
        select(Marker).where(Marker.case_id == case.id, Marker.current.is_(True))
        .order_by(Marker.start, Marker.id)
    ).all()
    owner, event = read_columns(session, (
        select(MarkerEvidence.marker_id, func.coalesce(MarkerEvidence.event_id, 0))
        .join(Marker, Marker.id == MarkerEvidence.marker_id)
        .where(Marker.case_id == case.id, Marker.current.is_(True))
        .order_by(MarkerEvidence.id)), (np.int64, np.int64))
    order = np.argsort(owner, kind="stable")  # the rule's order kept within each marker
    owner, event = owner[order], event[order]
    ids = np.array([m.id for m in markers], np.int64)
    starts, ends = np.searchsorted(owner, ids), np.searchsorted(owner, ids, side="right")
    spans = []
    for m, first, last in zip(markers, starts.tolist(), ends.tolist(), strict=True):
        events = event[first:last]
        spans.append(MarkerSpan(m.id, m.rule, m.severity, m.status, int(m.start.timestamp()),
                                int(m.end.timestamp()), m.member_id,
                                tuple(events[events > 0].tolist()), last - first))
    return spans


def event_detail(session: Session, case: Case, event_id: int, anonymiser: Anonymiser) -> dict[str, object] | None:
    """What the details panel shows for one event, names passed through ``anonymiser``."""
    event = session.get(Event, event_id)
    if event is None or event.case_id != case.id:
        return None
    exhibit = event.exhibit
    show_place = not anonymiser.enabled
    others = sources(session, [event.id])[event.id][1:]  # the same communication elsewhere
    return {
        "id": event.id, "occurred_at": event.occurred_at, "ambiguous": event.time_ambiguous,
        "date_only": event.date_only,
        "kind": event.kind, "channel": event.channel, "direction": event.direction,
        "from": _party(event.sender, anonymiser), "to": _party(event.recipient, anonymiser),
        "duration_s": event.duration_s, "status": event.status,
        "text": anonymiser.event_text(event.kind, event.text), "media": anonymiser.text(event.media),
        "position": anonymiser.path(event.source_position),
        "lat": event.lat if show_place else None, "lon": event.lon if show_place else None,
        "exhibit": None if exhibit is None else {
            "reference": exhibit.reference, "file_name": anonymiser.path(exhibit.file_name),
            "sha256": exhibit.sha256, "producer": exhibit.producer, "kind": exhibit.kind,
        },
        "also_in": [f"{o.exhibit} {anonymiser.path(o.position)}".strip() for o in others],
    }


def _party(ident: Identifier | None, anonymiser: Anonymiser) -> str:
    if ident is None:
        return "not recorded"
    shown = anonymiser.identifier(ident)
    if ident.person is not None:
        return f"{anonymiser.person(ident.person)} ({shown})"
    return f"{shown} (unattributed)"


def event_snippets(session: Session, event_ids: list[int], anonymiser: Anonymiser) -> dict[int, str]:
    """What a results list shows of each event: its text, or who it came from (one query
    per thousand events, not one per row)."""
    shown: dict[int, str] = {}
    for first in range(0, len(event_ids), 1000):
        chunk = event_ids[first:first + 1000]
        for event in session.scalars(select(Event).where(Event.id.in_(chunk)).options(
                selectinload(Event.sender).selectinload(Identifier.person))):
            shown[event.id] = (anonymiser.event_text(event.kind, event.text)
                               or _party(event.sender, anonymiser))
    return shown


SEARCH_LIMIT = 5000  # results listed at most; the app says when there are more


def search_events(session: Session, case: Case, words: str, limit: int | None = SEARCH_LIMIT,
                  start: int | None = None, end: int | None = None) -> list[int]:
    """Ids of events (in time order) whose text, party names or identifiers contain ``words``,
    within [start, end] (epoch seconds) when given; at most ``limit``. Linked duplicates
    are left out, as on the timeline: the record that stands for them is found."""
    needle = f"%{words.strip()}%"
    if not words.strip():
        return []
    matching_people = select(Person.id).where(
        Person.case_id == case.id, or_(Person.name.ilike(needle), Person.cipher.ilike(needle)))
    matching_idents = select(Identifier.id).where(
        Identifier.case_id == case.id,
        or_(Identifier.value.ilike(needle), Identifier.display.ilike(needle),
            Identifier.person_id.in_(matching_people)))
    digits = "".join(ch for ch in words if ch.isdigit())
    if len(digits) >= 4:  # a phone number typed with spaces still finds the E.164 value
        idents = set(session.scalars(matching_idents.union(select(Identifier.id).where(
            Identifier.case_id == case.id, Identifier.value.like(f"%{digits.lstrip('0')}%")))))
    else:
        idents = set(session.scalars(matching_idents))
    condition: ColumnElement[bool] = Event.text.ilike(needle)
    noted = annotated_event_ids(session, case, words.strip())  # notes and tags find events too
    if noted:
        condition = or_(condition, Event.id.in_(noted))
    if idents:
        condition = or_(condition, Event.from_id.in_(idents), Event.to_id.in_(idents))
    if start is not None:
        condition = and_(condition, Event.occurred_at >= datetime.fromtimestamp(start, UTC))
    if end is not None:
        condition = and_(condition, Event.occurred_at <= datetime.fromtimestamp(end, UTC))
    query = select(Event.id).where(Event.case_id == case.id, condition,
                                   Event.id.not_in(linked_duplicates())).order_by(
        Event.occurred_at, Event.id)
    return list(session.scalars(query if limit is None else query.limit(limit)))


def relabel(data: TimelineData, case: Case, anonymiser: Anonymiser) -> None:
    """Rename lanes and engagements for a new anonymise setting, keeping the arrays."""
    data.anonymised = anonymiser.enabled
    people = {p.id: p for p in case.people}
    idents = {i.id: i for i in case.identifiers}
    renamed = []
    for lane in data.lanes:
        shown = lane.counterpart
        if lane.person_id in people:
            shown = anonymiser.person(people[lane.person_id])
        elif lane.identifier_id in idents:
            shown = anonymiser.identifier(idents[lane.identifier_id])
        renamed.append(Lane(shown, lane.channel, lane.person_id, lane.identifier_id,
                            lane.channel_key, lane.group))
    data.lanes = renamed
    data.engagements = [
        EngagementSpan(e.member_id, f"{e.kind} ({anonymiser.person(e.member)})",
                       int(e.started.timestamp()), int(e.concluded.timestamp()) if e.concluded else None)
        for e in case.engagements
    ]
