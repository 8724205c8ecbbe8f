"""The ``analyse --json`` document, built from the markers stored for a case."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.analysis.catalogue import DATED_RULES, RULES
from workbench.analysis.risk import MarkerView, PersonView, summarise
from workbench.analysis.settings import Settings, load_settings
from workbench.model import (
    Case,
    Complaint,
    Engagement,
    Event,
    Exhibit,
    IntelReport,
    Marker,
    MarkerEvidence,
    Person,
)
from workbench.timeutil import format_utc, zone


def iso(moment: datetime | None) -> str | None:
    """``2021-03-20T19:02:00Z``."""
    if moment is None:
        return None
    return format_utc(moment)


def _evidence(session: Session, case: Case) -> dict[int, list[dict[str, Any]]]:
    exhibits = dict(session.execute(
        select(Exhibit.id, Exhibit.reference).where(Exhibit.case_id == case.id)).all())
    rows = session.execute(
        select(MarkerEvidence.marker_id, MarkerEvidence.event_id, MarkerEvidence.intel_id,
               MarkerEvidence.complaint_id, MarkerEvidence.detail,
               Event.exhibit_id, Event.source_position,
               IntelReport.exhibit_id, IntelReport.source_position, IntelReport.urn,
               Complaint.exhibit_id, Complaint.source_position, Complaint.reference)
        .outerjoin(Event, Event.id == MarkerEvidence.event_id)
        .outerjoin(IntelReport, IntelReport.id == MarkerEvidence.intel_id)
        .outerjoin(Complaint, Complaint.id == MarkerEvidence.complaint_id)
        .join(Marker, Marker.id == MarkerEvidence.marker_id)
        .where(Marker.case_id == case.id)
        .order_by(MarkerEvidence.marker_id, MarkerEvidence.id)
    ).all()

    def exhibit_reference(exhibit_id: int | None) -> str | None:
        return exhibits.get(exhibit_id) if exhibit_id is not None else None

    result: dict[int, list[dict[str, Any]]] = {}
    for (marker_id, event_id, intel_id, complaint_id, detail, ev_exhibit, ev_position,
         intel_exhibit, intel_position, urn, complaint_exhibit, complaint_position,
         reference) in rows:
        item: dict[str, Any] = {"event": event_id}
        if event_id is not None:
            item["exhibit"], item["position"] = exhibit_reference(ev_exhibit), ev_position
        elif intel_id is not None:
            item.update(intel=intel_id, urn=urn, exhibit=exhibit_reference(intel_exhibit),
                        position=intel_position)
        elif complaint_id is not None:
            item.update(complaint=complaint_id, reference=reference,
                        exhibit=exhibits.get(complaint_exhibit), position=complaint_position)
        item["detail"] = list(detail or [])
        result.setdefault(marker_id, []).append(item)
    return result


def _marker(marker: Marker, keys: dict[int, str], evidence: list[dict[str, Any]],
            tz: ZoneInfo) -> dict[str, Any]:
    dated = marker.rule in DATED_RULES
    return {
        "id": marker.id, "key": marker.key, "rule": marker.rule,
        "title": RULES[marker.rule].title if marker.rule in RULES else marker.rule,
        "severity": marker.severity,
        # Known only to the day: ISO dates ("2016-05-12"), never a midnight that is not evidence.
        "start": marker.start.astimezone(tz).date().isoformat() if dated else iso(marker.start),
        "end": marker.end.astimezone(tz).date().isoformat() if dated else iso(marker.end),
        "dated": dated,
        "subject": keys.get(marker.subject_id) if marker.subject_id else None,
        "member": keys.get(marker.member_id) if marker.member_id else None,
        "evidence": evidence, "explanation": marker.explanation,
        "status": marker.status, "reviewed_by": marker.reviewed_by,
        "reviewed_at": iso(marker.reviewed_at), "review_reason": marker.review_reason,
        "current": marker.current,
    }


def risk_summary(session: Session, case: Case, markers: list[Marker],
                 settings: Settings | None = None) -> dict[str, Any]:
    """The risk summary over the case's current markers (dismissed ones left out)."""
    people = {p.id: PersonView(p.id, p.name if p.role == "subject" else (p.cipher or p.name),
                               p.role, tuple(p.vulnerabilities or ()))
              for p in session.scalars(select(Person).where(Person.case_id == case.id))}
    starts: dict[tuple[int, int], datetime] = {}
    for engagement in session.scalars(select(Engagement).where(Engagement.case_id == case.id)):
        pair = (engagement.officer_id, engagement.member_id)
        starts[pair] = min(starts.get(pair, engagement.started), engagement.started)
    views = [MarkerView(m.rule, m.severity, m.start, m.end, m.subject_id, m.member_id, m.status,
                        m.explanation) for m in markers if m.current]
    return summarise(views, people, starts, settings or load_settings())


def marker_document(session: Session, case: Case, settings: Settings | None = None) -> dict[str, Any]:
    """The ``analyse --json`` document: the case's current markers and the risk summary.

    Markers no longer found by the latest analysis are listed apart under
    ``no_longer_found`` (with their reviews), never silently dropped.
    """
    markers = list(session.scalars(
        select(Marker).where(Marker.case_id == case.id)
        .order_by(Marker.start, Marker.rule, Marker.id)))
    keys = dict(session.execute(
        select(Person.id, Person.key).where(Person.case_id == case.id)).all())
    evidence = _evidence(session, case)
    tz = zone(case.timezone)
    return {
        "case": case.ref,
        "markers": [_marker(m, keys, evidence.get(m.id, []), tz) for m in markers if m.current],
        "risk": risk_summary(session, case, markers, settings),
        "no_longer_found": [_marker(m, keys, evidence.get(m.id, []), tz)
                            for m in markers if not m.current],
    }
