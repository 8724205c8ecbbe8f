"""The context of a record: the contact around it between the same two people, and the
records behind a marker, as plain lines for the details panel (and any other reader).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from workbench.anonymise import Anonymiser
from workbench.model import (
    Case,
    Complaint,
    Event,
    Exhibit,
    Identifier,
    IntelReport,
    Marker,
    MarkerEvidence,
)
from workbench.store import Store
from workbench.store.queries import find_case
from workbench.timeutil import format_duration
from workbench.vocabulary import label, words

AROUND = 10  # records either side of the one shown
MARKER_RECORDS = 200  # a marker's records listed in the details panel (the rest in the results)
TEXT_CHARS = 160


@dataclass(frozen=True)
class RecordLine:
    """One record as a line: when, what, where it came from."""

    kind: str  # "event", "intel" or "complaint"
    record_id: int
    when: datetime | None
    summary: str  # "SMS outgoing · work phone" / "Intelligence 2016-018842 graded 2/B/P"
    text: str  # the message or report text, anonymised and shortened
    source: str  # "JB/1 line 57"
    current: bool = False  # the record the conversation is around


def _short(text: str | None, anonymiser: Anonymiser) -> str:
    shown = anonymiser.text(text or "").replace("\n", " ")
    return shown if len(shown) <= TEXT_CHARS else shown[: TEXT_CHARS - 1] + "…"


def _event_line(event: Event, refs: dict[int, str], anonymiser: Anonymiser,
                current: bool = False) -> RecordLine:
    direction = "" if event.direction == "unknown" else f" {event.direction}"
    duration = f" · {format_duration(event.duration_s)}" if event.kind == "call" and event.duration_s else ""
    source = f"{refs.get(event.exhibit_id or 0, '')} {anonymiser.path(event.source_position)}".strip()
    return RecordLine("event", event.id, event.occurred_at,
                      f"{label(event.kind)}{direction} · {words(event.channel)}{duration}",
                      _short(event.text, anonymiser), source, current)


def _parties(session: Session, event: Event) -> tuple[set[int], set[int]]:
    """Each side's identifiers: all of the person's when attributed, else the identifier."""
    sides: list[set[int]] = []
    for ident_id in (event.from_id, event.to_id):
        ident = session.get(Identifier, ident_id) if ident_id is not None else None
        if ident is None:
            sides.append(set())
        elif ident.person_id is None:
            sides.append({ident.id})
        else:
            sides.append(set(session.scalars(select(Identifier.id).where(
                Identifier.person_id == ident.person_id))))
    return sides[0], sides[1]


def conversation_around(session: Session, case: Case, event_id: int, anonymiser: Anonymiser,
                        around: int = AROUND) -> list[RecordLine]:
    """Up to ``around`` records before and after ``event_id`` between the same two people
    (or identifiers, when unattributed), on every channel and from every exhibit."""
    event = session.get(Event, event_id)
    if event is None or event.case_id != case.id:
        return []
    refs = {x.id: x.reference for x in session.scalars(select(Exhibit).where(Exhibit.case_id == case.id))}
    one, other = _parties(session, event)
    if not one or not other:
        return [_event_line(event, refs, anonymiser, current=True)]
    between = or_(and_(Event.from_id.in_(one), Event.to_id.in_(other)),
                  and_(Event.from_id.in_(other), Event.to_id.in_(one)))
    base = select(Event).where(Event.case_id == case.id, between)
    key = (event.occurred_at, event.id)
    before = list(session.scalars(base.where(or_(
        Event.occurred_at < key[0], and_(Event.occurred_at == key[0], Event.id < key[1])))
        .order_by(Event.occurred_at.desc(), Event.id.desc()).limit(around)))
    after = list(session.scalars(base.where(or_(
        Event.occurred_at > key[0], and_(Event.occurred_at == key[0], Event.id > key[1])))
        .order_by(Event.occurred_at, Event.id).limit(around)))
    return ([_event_line(e, refs, anonymiser) for e in reversed(before)]
            + [_event_line(event, refs, anonymiser, current=True)]
            + [_event_line(e, refs, anonymiser) for e in after])


def marker_records(session: Session, case: Case, marker_id: int, anonymiser: Anonymiser,
                   limit: int = MARKER_RECORDS) -> tuple[list[RecordLine], int]:
    """The first ``limit`` records behind a marker (events, intelligence reports and
    complaints, in the order the rule gave them), and how many there are in all."""
    marker = session.get(Marker, marker_id)
    if marker is None or marker.case_id != case.id:
        return [], 0
    total = session.scalar(select(func.count()).where(MarkerEvidence.marker_id == marker_id)) or 0
    items = session.execute(
        select(MarkerEvidence.event_id, MarkerEvidence.intel_id, MarkerEvidence.complaint_id)
        .where(MarkerEvidence.marker_id == marker_id).order_by(MarkerEvidence.id).limit(limit)).all()
    refs = {x.id: x.reference for x in session.scalars(select(Exhibit).where(Exhibit.case_id == case.id))}

    def by_id(model: Any, ids: list[int]) -> dict[int, Any]:
        return {row.id: row for row in session.scalars(select(model).where(model.id.in_(ids)))} if ids else {}

    events = by_id(Event, [i.event_id for i in items if i.event_id is not None])
    reports = by_id(IntelReport, [i.intel_id for i in items if i.intel_id is not None])
    complaints = by_id(Complaint, [i.complaint_id for i in items if i.complaint_id is not None])
    lines = []
    for event_id, intel_id, complaint_id in items:
        if event_id is not None and (event := events.get(event_id)) is not None:
            lines.append(_event_line(event, refs, anonymiser))
        elif intel_id is not None and (report := reports.get(intel_id)) is not None:
            grading = f"{report.source_grade}/{report.intelligence_grade}/{report.handling_code}"
            source = f"{refs.get(report.exhibit_id or 0, '')} {report.source_position or ''}".strip()
            lines.append(RecordLine(
                "intel", report.id, datetime.combine(report.submitted, time(), tzinfo=UTC),
                f"Intelligence {report.urn} · graded {grading} ({report.scheme})",
                _short(report.text, anonymiser), source))
        elif complaint_id is not None and (complaint := complaints.get(complaint_id)) is not None:
            source = f"{refs.get(complaint.exhibit_id or 0, '')} {complaint.source_position or ''}".strip()
            outcome = f" · {complaint.outcome}" if complaint.outcome else ""
            lines.append(RecordLine(
                "complaint", complaint.id, datetime.combine(complaint.received, time(), tzinfo=UTC),
                f"Complaint {complaint.reference}{outcome}",
                _short(complaint.category, anonymiser), source))
    return lines, total


def case_conversation(store: Store, case_ref: str, event_id: int, *, anonymise: bool = False,
                      around: int = AROUND) -> list[RecordLine]:
    """:func:`conversation_around` in its own read session."""
    with store.reader() as session:
        case = find_case(session, case_ref)
        return conversation_around(session, case, event_id, Anonymiser(case, anonymise), around)


def case_marker_records(store: Store, case_ref: str, marker_id: int, *, anonymise: bool = False,
                        limit: int = MARKER_RECORDS) -> tuple[list[RecordLine], int]:
    """:func:`marker_records` in its own read session."""
    with store.reader() as session:
        case = find_case(session, case_ref)
        return marker_records(session, case, marker_id, Anonymiser(case, anonymise), limit)
