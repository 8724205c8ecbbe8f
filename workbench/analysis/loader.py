"""Reading a case into arrays for the rules: one SQL query for the events, no ORM per event.

Events become numpy arrays (times as int64 UTC epoch seconds; kind, channel and
direction as small integer codes computed in SQL) and each event is attributed to
the officer under investigation and the other party, resolved through the
identifiers. The rest of the case (people, identifiers, engagements, roster,
places, intelligence, complaints) is small and read as plain records.
Exhibit positions are read only for the events that end up as evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.analysis.clock import epoch_of
from workbench.analysis.duplicates import linked_duplicates_sql
from workbench.model import (
    Case,
    Complaint,
    DutyShift,
    Engagement,
    Event,
    Exhibit,
    Identifier,
    IntelReport,
    Person,
    Place,
)
from workbench.model.vocab import CHANNELS, EVENT_KINDS, PERSONAL_CHANNELS, WORK_CHANNELS
from workbench.timeutil import zone

KIND = {name: code for code, name in enumerate(EVENT_KINDS)}
CHANNEL = {name: code for code, name in enumerate(CHANNELS)}
DIRECTION = {"outgoing": 0, "incoming": 1, "unknown": 2}
OTHER_CODE = 99  # a kind or channel outside the vocabulary
UNANSWERED_STATUSES = ("missed", "unanswered", "rejected", "no answer", "not answered", "busy")
# Kinds that are contact between two people (not look-ups, vehicle data or notes).
CONTACT_KINDS = ("call", "sms", "mms", "message", "email", "visit", "gift")


def _case_sql(column: str, codes: dict[str, int]) -> str:
    branches = " ".join(f"WHEN '{name}' THEN {code}" for name, code in codes.items())
    return f"(CASE {column} {branches} ELSE {OTHER_CODE} END)"


def _event_sql(dialect: str) -> str:
    epoch = ("CAST(strftime('%s', occurred_at) AS INTEGER)" if dialect == "sqlite"
             else "CAST(EXTRACT(EPOCH FROM occurred_at) AS BIGINT)")
    statuses = ", ".join(f"'{s}'" for s in UNANSWERED_STATUSES)
    # Four codes and two flags (unanswered 1, known only to the day 2) packed in one
    # integer: one Python object per row instead of four strings.
    packed = (f"{_case_sql('kind', KIND)} * 1000000 + {_case_sql('channel', CHANNEL)} * 10000"
              f" + {_case_sql('direction', DIRECTION)} * 100"
              f" + (CASE WHEN lower(status) IN ({statuses}) THEN 1 ELSE 0 END)"
              f" + (CASE WHEN date_only THEN 2 ELSE 0 END)")
    content = ("(CASE WHEN media IS NULL THEN text WHEN text IS NULL THEN media "
               "ELSE text || ' ' || media END)")
    marker = "?" if dialect == "sqlite" else "%s"
    return (f"SELECT id, {epoch}, {packed}, COALESCE(exhibit_id, -1), COALESCE(from_id, -1), "
            f"COALESCE(to_id, -1), duration_s, {content}, lat, lon FROM events "
            f"WHERE case_id = {marker} AND id NOT IN ({linked_duplicates_sql()})"
            f" ORDER BY occurred_at, id")


@dataclass(frozen=True)
class PersonInfo:
    id: int
    key: str
    name: str
    role: str
    cipher: str | None
    collar: str | None
    vulnerabilities: tuple[str, ...]

    @property
    def label(self) -> str:
        """How explanations name the person: the cipher for the public, when there is one."""
        if self.role == "subject":
            return self.name
        return self.cipher or self.name


@dataclass(frozen=True)
class IdentifierInfo:
    id: int
    person_id: int | None
    kind: str
    value: str
    display: str
    use: str


@dataclass(frozen=True)
class EngagementInfo:
    id: int
    officer_id: int
    member_id: int
    kind: str
    reference: str | None
    started: int
    concluded: int | None

    def title(self) -> str:
        return f"{self.kind.lower()} ({self.reference})" if self.reference else self.kind.lower()


@dataclass(frozen=True)
class ShiftInfo:
    person_id: int
    start: int
    end: int
    on_duty: bool
    duty_type: str
    source: str  # "JB/5 line 12"


@dataclass(frozen=True)
class PlaceInfo:
    id: int
    person_id: int | None
    label: str
    lat: float
    lon: float
    radius_m: float


@dataclass(frozen=True)
class IntelInfo:
    id: int
    urn: str
    submitted: date
    grading: str
    scheme: str
    restricted: bool
    subject_id: int | None


@dataclass(frozen=True)
class ComplaintInfo:
    id: int
    reference: str
    received: date
    category: str | None
    outcome: str | None
    subject_id: int | None


@dataclass
class EventArrays:
    """The case's events as parallel arrays, in time order. ``-1`` means none."""

    id: np.ndarray
    at: np.ndarray
    kind: np.ndarray
    channel: np.ndarray
    direction: np.ndarray
    unanswered: np.ndarray
    exhibit: np.ndarray
    from_id: np.ndarray
    to_id: np.ndarray
    duration: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    text: list[str | None]
    # Known only to the day: ``at`` is the local start of the day, not a time of day.
    date_only: np.ndarray = field(default_factory=lambda: np.empty(0, bool))
    officer: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    other_ident: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    other_person: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))

    def __len__(self) -> int:
        return int(self.id.size)

    def is_kind(self, *names: str) -> np.ndarray:
        return np.isin(self.kind, [KIND[n] for n in names])

    def is_channel(self, names: frozenset[str] | tuple[str, ...]) -> np.ndarray:
        return np.isin(self.channel, [CHANNEL[n] for n in names if n in CHANNEL])


@dataclass
class CaseData:
    """Everything the rules read about one case."""

    case_id: int
    ref: str
    tz: ZoneInfo
    opened: date | None
    people: dict[int, PersonInfo]
    identifiers: dict[int, IdentifierInfo]
    exhibits: dict[int, tuple[str, str, int | None]]  # id -> (reference, sha256, owner)
    engagements: list[EngagementInfo]
    shifts: list[ShiftInfo]
    places: list[PlaceInfo]
    intel: list[IntelInfo]
    complaints: list[ComplaintInfo]
    events: EventArrays
    session: Session | None = None

    def person(self, person_id: int) -> PersonInfo:
        return self.people[int(person_id)]

    def positions(self, event_ids: list[int]) -> dict[int, tuple[int | None, str]]:
        """Exhibit id and source position of some events (read when they become evidence)."""
        found: dict[int, tuple[int | None, str]] = {}
        if self.session is None or not event_ids:
            return found
        for chunk in range(0, len(event_ids), 5_000):
            wanted = event_ids[chunk:chunk + 5_000]
            for event_id, exhibit_id, position in self.session.execute(
                select(Event.id, Event.exhibit_id, Event.source_position)
                .where(Event.id.in_(wanted))
            ):
                found[event_id] = (exhibit_id, position)
        return found

    def is_member(self, person_id: int) -> bool:
        person = self.people.get(int(person_id))
        return person is not None and person.role == "member_of_public"


def _read_events(session: Session, case_id: int) -> EventArrays:
    connection = session.connection()
    cursor = connection.connection.cursor()
    try:
        cursor.execute(_event_sql(connection.dialect.name), (case_id,))
        rows = cursor.fetchall()
    finally:
        cursor.close()
    if not rows:
        empty_int = np.empty(0, np.int64)
        empty_float = np.empty(0, np.float64)
        return EventArrays(empty_int, empty_int, empty_int, empty_int, empty_int,
                           np.empty(0, bool), empty_int, empty_int, empty_int, empty_float,
                           empty_float, empty_float, [])
    # One list per column (itemgetter is several times faster than zip(*rows) here).
    columns = [list(map(itemgetter(index), rows)) for index in range(10)]
    del rows
    packed = np.array(columns[2], dtype=np.int64)
    return EventArrays(
        id=np.array(columns[0], dtype=np.int64),
        at=np.array(columns[1], dtype=np.int64),
        kind=packed // 1_000_000,
        channel=(packed // 10_000) % 100,
        direction=(packed // 100) % 100,
        unanswered=(packed % 2) == 1,
        date_only=(packed // 2) % 2 == 1,
        exhibit=np.array(columns[3], dtype=np.int64),
        from_id=np.array(columns[4], dtype=np.int64),
        to_id=np.array(columns[5], dtype=np.int64),
        duration=np.array(columns[6], dtype=np.float64),
        text=list(columns[7]),
        lat=np.array(columns[8], dtype=np.float64),
        lon=np.array(columns[9], dtype=np.float64),
    )


def _attribute(events: EventArrays, data: CaseData) -> None:
    """Which officer each event belongs to, and the identifier and person on the other side."""
    size = max(data.identifiers, default=0) + 2
    person_of = np.full(size, -1, dtype=np.int64)
    for ident in data.identifiers.values():
        person_of[ident.id] = ident.person_id if ident.person_id is not None else -1
    subjects = np.array(sorted(p.id for p in data.people.values() if p.role == "subject"),
                        dtype=np.int64)
    from_person = person_of[events.from_id]  # -1 indexes the spare last slot, which is -1
    to_person = person_of[events.to_id]
    from_subject = np.isin(from_person, subjects)
    to_subject = np.isin(to_person, subjects) & ~from_subject
    # A device or account export whose owner is the officer: the owner's side is theirs.
    owner_of = np.full(max(data.exhibits, default=0) + 2, -1, dtype=np.int64)
    for exhibit_id, (_, _, owner) in data.exhibits.items():
        if owner is not None and owner in subjects:
            owner_of[exhibit_id] = owner
    owner = owner_of[events.exhibit]
    incoming = events.direction == DIRECTION["incoming"]
    events.officer = np.where(from_subject, from_person, np.where(to_subject, to_person, owner))
    events.other_ident = np.where(
        from_subject, events.to_id,
        np.where(to_subject, events.from_id, np.where(incoming, events.from_id, events.to_id)))
    events.other_ident = np.where(events.officer >= 0, events.other_ident, -1)
    events.other_person = np.where(events.other_ident >= 0, person_of[events.other_ident], -1)


def load_case(session: Session, case: Case) -> CaseData:
    """Read a case for analysis (events in one query; the rest as small record lists)."""
    people = {p.id: PersonInfo(p.id, p.key, p.name, p.role, p.cipher, p.collar,
                               tuple(p.vulnerabilities or ()))
              for p in session.scalars(select(Person).where(Person.case_id == case.id))}
    identifiers = {i.id: IdentifierInfo(i.id, i.person_id, i.kind, i.value, i.display, i.use)
                   for i in session.scalars(select(Identifier).where(Identifier.case_id == case.id))}
    exhibits = {x.id: (x.reference, x.sha256, x.owner_id)
                for x in session.scalars(select(Exhibit).where(Exhibit.case_id == case.id))}
    engagements = [
        EngagementInfo(e.id, e.officer_id, e.member_id, e.kind, e.reference, epoch_of(e.started),
                       epoch_of(e.concluded) if e.concluded else None)
        for e in session.scalars(select(Engagement).where(Engagement.case_id == case.id)
                                 .order_by(Engagement.started, Engagement.id))]
    shifts = [
        ShiftInfo(s.person_id, epoch_of(s.start), epoch_of(s.end), bool(s.on_duty), s.duty_type,
                  " ".join(part for part in (exhibits.get(s.exhibit_id, ("", "", None))[0]
                                             if s.exhibit_id else "", s.source_position or "")
                           if part) or "roster")
        for s in session.scalars(select(DutyShift).where(DutyShift.case_id == case.id)
                                 .order_by(DutyShift.start, DutyShift.id))]
    places = [PlaceInfo(p.id, p.person_id, p.label, p.lat, p.lon, p.radius_m)
              for p in session.scalars(select(Place).where(Place.case_id == case.id))]
    intel = [IntelInfo(r.id, r.urn, r.submitted, r.grading, r.scheme, r.restricted, r.subject_id)
             for r in session.scalars(select(IntelReport).where(IntelReport.case_id == case.id)
                                      .order_by(IntelReport.submitted, IntelReport.id))]
    complaints = [ComplaintInfo(c.id, c.reference, c.received, c.category, c.outcome, c.subject_id)
                  for c in session.scalars(select(Complaint).where(Complaint.case_id == case.id)
                                           .order_by(Complaint.received, Complaint.id))]
    data = CaseData(case.id, case.ref, zone(case.timezone), case.opened, people, identifiers,
                    exhibits, engagements, shifts, places, intel, complaints,
                    _read_events(session, case.id), session)
    _attribute(data.events, data)
    return data


def personal_mask(events: EventArrays) -> np.ndarray:
    """Events on a channel that is not the officer's work channel (personal phone, apps)."""
    return events.is_channel(PERSONAL_CHANNELS)


def work_mask(events: EventArrays) -> np.ndarray:
    """Events on the officer's work channels."""
    return events.is_channel(WORK_CHANNELS)
