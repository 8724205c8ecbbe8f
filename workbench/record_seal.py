"""Record seals: a digest of every record a decision rests on, vouched for by the audit chain.

At each commit that appends to a case's audit chain, every decision-relevant record of
the case (the case itself, people, identifier attributions, places, engagements,
markers and their reviews, decisions, lines of enquiry, exhibits, continuity, and each
exhibit's event channels and directions) is digested, one query per table over sorted
rows. The map record -> digest is kept in ``case_seals``; the audit entry holds one
digest per table of that map, and the entry's hash is signed with the unit key. So an
edit made directly in the database is reported by ``workbench verify`` naming the
record, and a seal rewritten to hide it no longer matches the signed entry.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, cast, func, select
from sqlalchemy.orm import Session, aliased

from workbench.model import (
    AuditEntry,
    Case,
    CaseSeal,
    Continuity,
    Decision,
    Engagement,
    Event,
    EventLink,
    Exhibit,
    Identifier,
    LineOfEnquiry,
    Marker,
    Person,
    Place,
)

Records = dict[str, dict[str, str]]  # table -> record name -> digest


def _plain(value: Any) -> str:
    if value is None:
        return "\x00"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | dict):
        return json.dumps(value, sort_keys=True)
    return str(value)


def _digest(values: Iterable[Any]) -> str:
    return hashlib.sha256("\x1f".join(_plain(v) for v in values).encode("utf-8")).hexdigest()[:32]


def _rows(session: Session, query: Any) -> dict[str, str]:
    """record name (the first column) -> digest of the remaining columns."""
    return {str(row[0]): _digest(row[1:]) for row in session.execute(query)}


def current_records(session: Session, case_id: int) -> Records:
    """Every sealed record of the case as it is in the database now."""
    subject, member, officer = aliased(Person), aliased(Person), aliased(Person)
    records: Records = {
        "case": _rows(session, select(
            Case.ref, Case.title, Case.classification, Case.timezone, Case.status, Case.opened)
            .where(Case.id == case_id)),
        "people": _rows(session, select(
            Person.key, Person.name, Person.role, Person.collar, Person.cipher,
            Person.vulnerabilities, Person.notes).where(Person.case_id == case_id)),
        "identifiers": _rows(session, select(
            Identifier.kind + " " + Identifier.value, Identifier.display, Identifier.use,
            subject.key).outerjoin(subject, subject.id == Identifier.person_id)
            .where(Identifier.case_id == case_id)),
        "places": _rows(session, select(
            Place.id, Place.label, Place.lat, Place.lon, Place.radius_m, subject.key)
            .outerjoin(subject, subject.id == Place.person_id).where(Place.case_id == case_id)),
        "engagements": _rows(session, select(
            Engagement.id, officer.key, member.key, Engagement.kind, Engagement.reference,
            Engagement.started, Engagement.concluded, Engagement.outcome)
            .join(officer, officer.id == Engagement.officer_id)
            .join(member, member.id == Engagement.member_id)
            .where(Engagement.case_id == case_id)),
        "markers": _rows(session, select(
            Marker.rule + " " + Marker.key, Marker.rule, Marker.severity, Marker.start, Marker.end, subject.key,
            member.key, Marker.explanation, Marker.current, Marker.status, Marker.reviewed_by,
            Marker.reviewed_at, Marker.review_reason)
            .outerjoin(subject, subject.id == Marker.subject_id)
            .outerjoin(member, member.id == Marker.member_id)
            .where(Marker.case_id == case_id)),
        "decisions": _rows(session, select(
            Decision.sequence, Decision.decided_at, Decision.entered_at, Decision.decision_maker,
            Decision.recorder, Decision.ndm_element, Decision.decision, Decision.rationale,
            Decision.options_rejected, Decision.review_date, Decision.corrects)
            .where(Decision.case_id == case_id)),
        "enquiries": _rows(session, select(
            LineOfEnquiry.key, LineOfEnquiry.title, LineOfEnquiry.status, LineOfEnquiry.owner,
            LineOfEnquiry.notes, LineOfEnquiry.closed_by).where(LineOfEnquiry.case_id == case_id)),
        "exhibits": _rows(session, select(
            Exhibit.reference, Exhibit.description, Exhibit.producer, Exhibit.file_name,
            Exhibit.sha256, Exhibit.size, Exhibit.kind, Exhibit.record_count, subject.key,
            Exhibit.source_timezone, Exhibit.warnings, Exhibit.received_at)
            .outerjoin(subject, subject.id == Exhibit.owner_id).where(Exhibit.case_id == case_id)),
        "continuity": _continuity(session, case_id),
        "event channels": _event_channels(session, case_id),
        "event links": _rows(session, select(
            EventLink.id, EventLink.event_id, EventLink.duplicate_id, EventLink.linked_at,
            EventLink.linked_by, EventLink.undone_at, EventLink.undone_by, EventLink.undo_reason)
            .where(EventLink.case_id == case_id)),
    }
    return records


def _continuity(session: Session, case_id: int) -> dict[str, str]:
    rows = session.execute(
        select(Exhibit.reference, Continuity.id, Continuity.at, Continuity.action, Continuity.by,
               Continuity.note)
        .join(Exhibit, Exhibit.id == Continuity.exhibit_id).where(Exhibit.case_id == case_id))
    return {f"{row[0]} #{row[1]}": _digest(row[2:]) for row in rows}


def _event_channels(session: Session, case_id: int) -> dict[str, str]:
    """Per exhibit, a digest of how its events fall into channels and directions.

    The import's own fingerprint leaves these out, because assigning an identifier
    derives them again; here they are sealed as they stand after each change. Each
    (channel, direction) group is summarised in SQL by its count and the sums of its
    event ids and of their squares, so a seal costs one aggregate query, not a pass
    over every event in Python: moving any event, or swapping two, changes a sum.
    """
    references = dict(session.execute(select(Exhibit.id, Exhibit.reference)
                                      .where(Exhibit.case_id == case_id)).all())
    groups: dict[str, list[str]] = {}
    squared = cast(Event.id, BigInteger) * Event.id  # an int4 square overflows past id 46,340
    for exhibit_id, channel, direction, count, id_sum, square_sum in session.execute(
            select(Event.exhibit_id, Event.channel, Event.direction, func.count(),
                   func.sum(Event.id), func.sum(squared))
            .where(Event.case_id == case_id, Event.exhibit_id.is_not(None))
            .group_by(Event.exhibit_id, Event.channel, Event.direction)):  # a covering index
        groups.setdefault(references[exhibit_id or 0], []).append(
            f"{channel}\x1f{direction}\x1f{count}\x1f{id_sum}\x1f{square_sum}")
    return {reference: _digest(sorted(rows)) for reference, rows in groups.items()}


def table_digests(records: Records) -> dict[str, str]:
    """One digest per table of the record map: what the audit entry signs."""
    return {table: hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()
            for table, rows in sorted(records.items())}


def seal(session: Session, case_id: int, sequence: int) -> str:
    """Record the case's records as of audit entry ``sequence``; returns the entry's state."""
    records = current_records(session, case_id)
    text = json.dumps(records, sort_keys=True, separators=(",", ":"))
    row = session.get(CaseSeal, case_id)
    if row is None:
        session.add(CaseSeal(case_id=case_id, sequence=sequence, records=text))
    else:
        row.sequence, row.records = sequence, text
    return json.dumps(table_digests(records), sort_keys=True, separators=(",", ":"))


RECORD_NAMES = {"case": "the case", "people": "person", "identifiers": "identifier",
                "places": "place", "engagements": "engagement", "markers": "marker",
                "decisions": "decision", "enquiries": "line of enquiry", "exhibits": "exhibit",
                "continuity": "continuity entry", "event channels": "events' channel or "
                "direction in exhibit", "event links": "duplicate link"}


def differences(sealed: Records, now: Records) -> list[str]:
    """Records changed, added or removed since the seal, as phrases naming each."""
    found = []
    for table in sorted(set(sealed) | set(now)):
        before, after = sealed.get(table, {}), now.get(table, {})
        name = RECORD_NAMES.get(table, table)
        for record in sorted(set(before) | set(after)):
            label = name if table == "case" else f"{name} {record}"
            if record not in after:
                found.append(f"{label} was deleted")
            elif record not in before:
                found.append(f"{label} was added")
            elif before[record] != after[record]:
                found.append(f"{label} was changed")
    return found


def check(session: Session, case: Case) -> list[str]:
    """How the case's records differ from the seal its chain vouches for; empty when intact."""
    sealing = session.scalars(select(AuditEntry).where(
        AuditEntry.case_ref == case.ref, AuditEntry.state.is_not(None))
        .order_by(AuditEntry.sequence.desc()).limit(1)).first()
    seal = session.get(CaseSeal, case.id)
    if sealing is None:
        return [] if seal is None else ["its records are sealed but no audit entry vouches "
                                        "for the seal (audit entries deleted?)"]
    if seal is None:
        return [f"the record seal of audit entry {sealing.sequence} is missing (deleted?)"]
    if seal.sequence != sealing.sequence:
        return [f"the records were sealed by audit entry {seal.sequence} but the chain's last "
                f"sealing entry is {sealing.sequence} (audit entries deleted and the head reset?)"]
    sealed: Records = json.loads(seal.records)
    signed = json.loads(sealing.state or "{}")
    if table_digests(sealed) != signed:
        tables = sorted(t for t in set(signed) | set(table_digests(sealed))
                        if signed.get(t) != table_digests(sealed).get(t))
        return [f"the record seal of {', '.join(tables)} differs from what audit entry "
                f"{sealing.sequence} signed (edited)"]
    return [f"{change} since audit entry {sealing.sequence}, outside the application"
            for change in differences(sealed, current_records(session, case.id))]
