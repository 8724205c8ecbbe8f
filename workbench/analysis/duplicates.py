"""One communication, several sources: linking the same message or call across exhibits.

The officer's phone download and the other party's WhatsApp export both hold their
conversation; each message would otherwise be two events, and every count and rate would
double. Two records are the same communication when they come from different exhibits and
have the same kind, channel, parties (people where resolved, else identifiers) and
direction, times within ``[duplicates] time_tolerance_seconds`` of each other, and the same
text (compared without case or spacing) or, with no text on either, call lengths within
``duration_tolerance_seconds``. Records with neither (a media placeholder) are never linked.

The earlier record stands for the communication; the other is stored as its duplicate in an
:class:`~workbench.model.EventLink`. Rules and counts skip linked duplicates; every source
is still listed. Each linking is an audit entry; a link can be undone with a reason (also
audited), and an undone pair is never linked again.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from workbench import audit, investigator
from workbench.analysis.settings import Settings
from workbench.errors import WorkbenchError
from workbench.model import Case, Event, EventLink, Exhibit, Identifier, utcnow
from workbench.store import Store
from workbench.store.queries import epoch_seconds, find_case, row_slices

# Contact between people; look-ups, vehicle data and notes are never "the same message".
LINKABLE_KINDS = ("call", "sms", "mms", "message", "email")
INVISIBLE = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def same_text_key(text: str | None) -> str:
    """Text as compared: invisible direction marks dropped, spacing and case ignored."""
    return " ".join(INVISIBLE.sub("", text or "").split()).casefold()


@dataclass
class _Record:
    id: int
    exhibit_id: int | None
    at: float
    text: str
    duration: float | None
    exhibits: set[int | None] = field(default_factory=set)  # sources already in its group


def _same_content(a: _Record, b: _Record, duration_tolerance: float) -> bool:
    if a.text or b.text:
        return a.text == b.text
    if a.duration is None or b.duration is None:
        return False
    return abs(a.duration - b.duration) <= duration_tolerance


def _shared_channels(session: Session, case: Case) -> list[str]:
    """The channels on which two or more exhibits hold records: only there can one
    communication be held twice (read on the exhibits-and-channels index: milliseconds)."""
    exhibits: dict[str, set[int | None]] = defaultdict(set)
    for exhibit_id, channel in session.execute(select(Event.exhibit_id, Event.channel)
                                               .where(Event.case_id == case.id).distinct()):
        exhibits[channel].add(exhibit_id)
    return sorted(channel for channel, held_by in exhibits.items() if len(held_by) > 1)


def _records(session: Session, case: Case) -> list[tuple[tuple[Any, ...], _Record]]:
    """The case's linkable events with their matching key, in time order (those on a
    channel only one exhibit holds are never the same communication as another)."""
    channels = _shared_channels(session, case)
    if not channels:
        return []
    # People by identifier from one small query, not two joins on every event row; times
    # as epoch seconds from the database, and the driver's own rows (no datetime and no
    # result object per event).
    person_of = dict(session.execute(select(Identifier.id, Identifier.person_id).where(
        Identifier.case_id == case.id, Identifier.person_id.is_not(None))).all())
    rows = (row for part in row_slices(session, (
        select(Event.id, Event.exhibit_id, epoch_seconds(session, Event.occurred_at), Event.kind,
               Event.channel, Event.direction, Event.from_id, Event.to_id, Event.text,
               Event.duration_s)
        .where(Event.case_id == case.id, Event.kind.in_(LINKABLE_KINDS), Event.channel.in_(channels))
        .order_by(Event.occurred_at, Event.id))) for row in part)
    found = []
    for event_id, exhibit_id, at, kind, channel, direction, from_id, to_id, text, duration in rows:
        from_person, to_person = person_of.get(from_id), person_of.get(to_id)
        from_party = ("person", from_person) if from_person else ("identifier", from_id)
        to_party = ("person", to_person) if to_person else ("identifier", to_id)
        key = (kind, channel, direction, from_party, to_party)
        found.append((key, _Record(event_id, exhibit_id, float(at),
                                   same_text_key(text) if text else "", duration)))
    return found


def find_duplicates(session: Session, case: Case, settings: Settings) -> list[tuple[int, int]]:
    """New (event, duplicate) pairs: the same communication held by two exhibits."""
    tolerance = settings.number("duplicates", "time_tolerance_seconds")
    duration_tolerance = settings.number("duplicates", "duration_tolerance_seconds")
    links = session.execute(select(EventLink.event_id, EventLink.duplicate_id,
                                   EventLink.undone_at)
                            .where(EventLink.case_id == case.id)).all()
    duplicates = {duplicate for _, duplicate, _ in links}  # linked or undone: never re-linked
    records = _records(session, case)
    by_id = {record.id: record for _, record in records}
    for event_id, duplicate_id, undone_at in links:
        if undone_at is None and event_id in by_id and duplicate_id in by_id:
            by_id[event_id].exhibits.add(by_id[duplicate_id].exhibit_id)
    # Per matching key: the records standing for a communication, in time order.
    standing: dict[tuple[Any, ...], tuple[list[float], list[_Record]]] = defaultdict(
        lambda: ([], []))
    pairs = []
    for key, record in records:
        if record.id in duplicates:
            continue
        times, group = standing[key]
        first = bisect.bisect_left(times, record.at - tolerance)
        match = None
        for candidate in group[first:]:
            if candidate.at > record.at + tolerance:
                break
            if (record.exhibit_id not in candidate.exhibits
                    and _same_content(candidate, record, duration_tolerance)
                    and (match is None
                         or abs(candidate.at - record.at) < abs(match.at - record.at))):
                match = candidate
        if match is not None:
            match.exhibits.add(record.exhibit_id)
            pairs.append((match.id, record.id))
            continue
        record.exhibits.add(record.exhibit_id)
        position = bisect.bisect_right(times, record.at)
        times.insert(position, record.at)
        group.insert(position, record)
    return pairs


def link_duplicates(session: Session, case: Case, settings: Settings) -> int:
    """Link the new duplicates found in the case (one audit entry); returns how many."""
    pairs = find_duplicates(session, case, settings)
    if not pairs:
        return 0
    who = investigator.current()
    for event_id, duplicate_id in pairs:
        session.add(EventLink(case_id=case.id, event_id=event_id, duplicate_id=duplicate_id,
                              linked_by=who))
    session.flush()
    audit.append(session, case, "link_duplicates", {
        "links": len(pairs), "pairs": [[event, duplicate] for event, duplicate in pairs],
        "time_tolerance_seconds": settings.number("duplicates", "time_tolerance_seconds"),
    })
    return len(pairs)


def undo_link(store: Store, link_id: int, reason: str, by: str | None = None) -> dict[str, Any]:
    """Split a linked pair again (the duplicate counts on its own); audited, with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise WorkbenchError("undoing a link needs a reason (--reason)")
    with store.session() as session:
        link = session.get(EventLink, link_id)
        if link is None:
            raise WorkbenchError(f"no event link {link_id}")
        if link.undone_at is not None:
            raise WorkbenchError(f"event link {link_id} was already undone")
        case = session.get(Case, link.case_id)
        assert case is not None
        link.undone_at, link.undone_by, link.undo_reason = utcnow(), by or investigator.current(), reason
        audit.append(session, case, "unlink_duplicate", {
            "link": link.id, "event": link.event_id, "duplicate": link.duplicate_id,
            "reason": reason})
        return _link_dict(session, link)


@dataclass(frozen=True)
class Source:
    """Where one record of a communication is: exhibit reference and position in it."""

    event_id: int
    exhibit: str
    position: str

    def __str__(self) -> str:
        return f"{self.exhibit} {self.position}".strip()


def sources(session: Session, event_ids: list[int]) -> dict[int, list[Source]]:
    """Each event's sources: its own record first, then its linked duplicates'."""
    if not event_ids:
        return {}
    wanted = set(event_ids)
    duplicate_of = dict(session.execute(
        select(EventLink.duplicate_id, EventLink.event_id)
        .where(EventLink.event_id.in_(wanted), EventLink.undone_at.is_(None))).all())
    ids = wanted | set(duplicate_of)
    rows = session.execute(
        select(Event.id, Exhibit.reference, Event.source_position)
        .outerjoin(Exhibit, Event.exhibit_id == Exhibit.id).where(Event.id.in_(ids))).all()
    found: dict[int, list[Source]] = {event_id: [] for event_id in event_ids}
    for event_id, reference, position in sorted(rows, key=lambda row: row[0]):
        owner = duplicate_of.get(event_id, event_id)
        if owner in found:
            found[owner].append(Source(event_id, reference or "", position or ""))
    for listed in found.values():
        listed.sort(key=lambda source: source.event_id not in found)  # own record first
    return found


def linked_sources(session: Session, case: Case) -> dict[int, list[Source]]:
    """Every event that stands for a linked communication, with all its sources."""
    events = list(session.scalars(select(EventLink.event_id).where(
        EventLink.case_id == case.id, EventLink.undone_at.is_(None)).distinct()))
    return sources(session, events)


def linked_duplicates() -> Select[Any]:
    """The events that are linked duplicates (left out of rules and counts)."""
    return select(EventLink.duplicate_id).where(EventLink.undone_at.is_(None))


def linked_duplicates_sql() -> str:
    """:func:`linked_duplicates` as plain SQL, for the analysis loader's raw query."""
    return str(linked_duplicates().compile(compile_kwargs={"literal_binds": True}))


def list_links(session: Session, case: Case) -> list[dict[str, Any]]:
    """Every link of the case, undone ones included, oldest first."""
    links = session.scalars(select(EventLink).where(EventLink.case_id == case.id)
                            .order_by(EventLink.id)).all()
    return [_link_dict(session, link) for link in links]


def _link_dict(session: Session, link: EventLink) -> dict[str, Any]:
    found = sources(session, [link.event_id])[link.event_id]
    duplicate = session.get(Event, link.duplicate_id)
    listed = [str(s) for s in found]
    if link.undone_at is not None and duplicate is not None:
        listed.append(f"{duplicate.exhibit.reference if duplicate.exhibit else ''} "
                      f"{duplicate.source_position}".strip())
    return {"id": link.id, "event": link.event_id, "duplicate": link.duplicate_id,
            "sources": listed, "linked_by": link.linked_by, "linked_at": _iso(link.linked_at),
            "undone_by": link.undone_by, "undone_at": _iso(link.undone_at),
            "undo_reason": link.undo_reason}


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def links_for_case(store: Store, case_ref: str) -> list[dict[str, Any]]:
    """The ``duplicates REF --json`` listing."""
    with store.reader() as session:
        return list_links(session, find_case(session, case_ref))
