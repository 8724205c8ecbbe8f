"""Reading a case for a bundle: chronology, markers, intelligence, exhibits, case work."""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench import investigator
from workbench.activity_matrix import matrices_for_markers
from workbench.analysis import rule_title
from workbench.analysis.catalogue import DATED_RULES
from workbench.anonymise import Anonymiser
from workbench.bundle.chronology import (
    LEFT_OUT_KINDS,
    Parties,
    event_summary,
    load_chronology,
    relevant_events,
)
from workbench.bundle.content import (
    BundleContent,
    EvidenceLine,
    ExhibitItem,
    MarkerItem,
)
from workbench.bundle.sanitise import SanitisedExhibit, sanitise_intel
from workbench.evidence.exhibits import is_withdrawn
from workbench.model import (
    AuditEntry,
    Case,
    Complaint,
    Decision,
    DutyShift,
    Event,
    Exhibit,
    IntelReport,
    LineOfEnquiry,
    Marker,
    MarkerEvidence,
    utcnow,
)
from workbench.shared.notes import notes_for_bundle
from workbench.timeutil import format_day, format_time, start_of_day, zone

MARKER_STATUSES = {
    "hearing": ("accepted",),
    "conference": ("accepted", "open"),
    "internal": ("accepted", "open", "dismissed"),
}
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


def local(moment: datetime | None, tz: ZoneInfo, fmt: str = "%d/%m/%Y %H:%M %Z") -> str:
    return "" if moment is None else moment.astimezone(tz).strftime(fmt)


def size_text(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return str(size)


def _open_explanation(reports: list[IntelReport]) -> str:
    """The prior-intelligence explanation from the reports that may be disclosed only."""
    listed = "; ".join(f"{r.urn} ({r.grading} under {r.scheme}, submitted {r.submitted:%d/%m/%Y})"
                       for r in reports)
    noun = "intelligence report" if len(reports) == 1 else "intelligence reports"
    return f"{len(reports)} {noun} about the officer held before the investigation: {listed}."


def load_markers(session: Session, case: Case, content: BundleContent, parties: Parties,
                 exhibit_refs: dict[int, str], intel_place: dict[int, str],
                 restricted_intel: set[int], tz: ZoneInfo) -> set[int]:
    """The markers for the audience; returns the ids of the events they rely on."""
    anonymiser = parties.anonymiser
    statuses = MARKER_STATUSES[content.audience]
    query = select(Marker).where(Marker.case_id == case.id, Marker.status.in_(statuses))
    if not content.internal:
        query = query.where(Marker.current.is_(True))
    markers = sorted(session.scalars(query).all(),
                     key=lambda m: (SEVERITY_ORDER.get(m.severity, 3), m.start, m.id))
    intel = {i.id: i for i in session.scalars(select(IntelReport).where(IntelReport.case_id == case.id))}
    complaints = {c.id: c for c in session.scalars(select(Complaint).where(Complaint.case_id == case.id))}
    rules: list[str] = []
    relied_on: set[int] = set()
    for marker in markers:
        lines: list[EvidenceLine] = []
        moments: list[datetime] = []
        received: list[date] = []
        open_reports: list[IntelReport] = []
        withheld = 0
        evidence = session.execute(
            select(MarkerEvidence, Event)
            .outerjoin(Event, Event.id == MarkerEvidence.event_id)
            .where(MarkerEvidence.marker_id == marker.id).order_by(MarkerEvidence.id)
        ).all()
        for item, event in evidence:
            detail = anonymiser.text("; ".join(item.detail or []))
            if event is not None:
                where = exhibit_refs.get(event.exhibit_id or 0, "no exhibit")
                relied_on.add(event.id)
                moments.append(event.occurred_at)
                lines.append(EvidenceLine(
                    format_time(event.occurred_at, tz, ambiguous=event.time_ambiguous,
                                date_only=event.date_only),
                    f"{where} {anonymiser.path(event.source_position)}".strip(),
                    detail or event_summary(event.kind, event.text, event.media,
                                            event.duration_s, event.status, anonymiser)[:200]))
            elif item.intel_id is not None:
                report = intel.get(item.intel_id)
                if report is None or (item.intel_id in restricted_intel and not content.internal):
                    withheld += 1
                    continue
                open_reports.append(report)
                lines.append(EvidenceLine(
                    report.submitted.strftime("%d/%m/%Y"),
                    f"Intelligence {report.urn} {intel_place.get(report.id, '')}".strip(),
                    f"URN {report.urn}; graded {report.grading} ({report.scheme}); submitted "
                    f"{report.submitted:%d/%m/%Y}"))
            elif item.complaint_id is not None:
                complaint = complaints.get(item.complaint_id)
                if complaint is None:
                    continue
                where = exhibit_refs.get(complaint.exhibit_id or 0, "")
                received.append(complaint.received)
                lines.append(EvidenceLine(
                    complaint.received.strftime("%d/%m/%Y"),
                    f"Complaint {complaint.reference} {where}".strip(),
                    detail or anonymiser.text(complaint.category or "")))
        if not lines and withheld and not content.internal:
            continue  # every record behind it is under handling conditions
        people = " and ".join(anonymiser.person(p) for p in (marker.subject, marker.member) if p)
        review = {"accepted": "Accepted", "dismissed": "Dismissed", "open": "Not yet reviewed"}.get(
            marker.status, marker.status)
        if marker.reviewed_by and marker.status != "open":
            review += f" by {marker.reviewed_by} on {local(marker.reviewed_at, tz, '%d/%m/%Y')}"
            if marker.review_reason:
                review += f": {anonymiser.text(marker.review_reason)}"
        if not marker.current:
            review += " (no longer found by the latest analysis)"
        explanation = anonymiser.text(marker.explanation)
        start, end = marker.start, marker.end
        if withheld and not content.internal:
            # Nothing may show what was withheld: not its date, nor that there was any.
            days = sorted([r.submitted for r in open_reports] + received
                          + [m.astimezone(tz).date() for m in moments])
            explanation = _open_explanation(open_reports) if open_reports else explanation
            content.marker_spans[marker.id] = (int(start_of_day(days[0], tz).timestamp()),
                                               int(start_of_day(days[-1], tz).timestamp()))
            period = format_day(days[0])
            if days[-1] != days[0]:
                period += f" to {format_day(days[-1])}"
        else:  # a rule on dated records (intelligence, complaints) is shown as dates
            shown = ((lambda m: format_day(m, tz)) if marker.rule in DATED_RULES
                     else (lambda m: local(m, tz)))
            period = shown(start)
            if shown(end) != period:
                period += f" to {shown(end)}"
        content.markers.append(MarkerItem(
            key=f"marker_{marker.id}", title=rule_title(marker.rule), rule=marker.rule,
            severity=marker.severity, status=marker.status, period=period, people=people or "—",
            explanation=explanation, review=review, evidence=lines,
            evidence_total=len(lines), withheld=withheld if content.internal else 0))
        if marker.rule not in rules:
            rules.append(marker.rule)
    content.rules_used = rules
    return relied_on


def load_intel(session: Session, case: Case, content: BundleContent, anonymiser: Anonymiser,
               intel_place: dict[int, str]) -> set[int]:
    """Intelligence and complaints; returns the ids of restricted reports."""
    restricted: set[int] = set()
    for report in session.scalars(select(IntelReport).where(IntelReport.case_id == case.id)
                                  .order_by(IntelReport.submitted, IntelReport.id)):
        subject = anonymiser.person(report.subject) if report.subject else anonymiser.text(
            report.subject_text or "")
        row = (report.urn, report.submitted.strftime("%d/%m/%Y"),
               f"{report.grading}\n({report.scheme})", subject, anonymiser.text(report.text),
               intel_place.get(report.id, ""))
        if report.restricted:
            restricted.add(report.id)
            conditions = anonymiser.text(report.conditions or "") or "handling code C"
            content.intel_restricted.append((*row[:5], conditions, row[5]))
        else:
            content.intel.append(row)
    exhibit_refs = {x.id: x.reference for x in case.exhibits}
    for complaint in session.scalars(select(Complaint).where(Complaint.case_id == case.id)
                                     .order_by(Complaint.received, Complaint.id)):
        subject = anonymiser.person(complaint.subject) if complaint.subject else anonymiser.text(
            complaint.subject_text or "")
        content.complaints.append((
            complaint.reference, complaint.received.strftime("%d/%m/%Y"), subject,
            anonymiser.text(complaint.category or ""), anonymiser.text(complaint.outcome or ""),
            complaint.finalised.strftime("%d/%m/%Y") if complaint.finalised else "",
            exhibit_refs.get(complaint.exhibit_id or 0, "")))
    return restricted


def load_exhibits(case: Case, content: BundleContent, anonymiser: Anonymiser,
                  tz: ZoneInfo, used: set[int], sanitised: dict[int, SanitisedExhibit]) -> None:
    """The exhibits schedule: every exhibit for internal use, else those relied on (an
    intelligence file holding restricted reports by its sanitised version)."""
    for exhibit in case.exhibits:
        if not content.internal and exhibit.id not in used:
            continue
        clean = sanitised.get(exhibit.id)
        if clean is not None:
            content.exhibits.append(ExhibitItem(
                key=f"exhibit_{exhibit.id}", reference=clean.reference,
                description=f"Sanitised version of exhibit {exhibit.reference}: the reports "
                            "that may be disclosed", producer=content.prepared_by,
                file_name=clean.file_name, size=len(clean.data), sha256=clean.sha256,
                records=len(clean.items), kind="intel_sanitised",
                continuity=[(content.produced_at, "sanitised", content.prepared_by,
                             f"made from exhibit {exhibit.reference} for this bundle; the "
                             "making is recorded in that exhibit's continuity")],
                sanitised_from=exhibit.reference))
            content.sanitised.append(clean)
            continue
        content.exhibits.append(ExhibitItem(
            key=f"exhibit_{exhibit.id}", reference=exhibit.reference,
            description=anonymiser.text(exhibit.description or exhibit.kind),
            producer=anonymiser.text(exhibit.producer),
            file_name=anonymiser.path(exhibit.file_name),
            size=exhibit.size, sha256=exhibit.sha256, records=exhibit.record_count,
            kind=exhibit.kind,
            continuity=continuity_rows(exhibit, content, anonymiser, tz)))


EXPORT_ACTIONS = ("bundle_export", "csv_export", "chart_export")


def continuity_rows(exhibit: Exhibit, content: BundleContent, anonymiser: Anonymiser,
                    tz: ZoneInfo) -> list[tuple[str, str, str, str]]:
    """An exhibit's continuity; outside the internal bundle, earlier exports of copies
    (bundles, charts, CSV) are counted in one line rather than listed."""
    rows, exports = [], []
    for c in exhibit.continuity:
        if c.action in EXPORT_ACTIONS and not content.internal:
            exports.append(c)
            continue
        rows.append((local(c.at, tz, "%d/%m/%Y %H:%M %Z"), c.action, anonymiser.text(c.by),
                     anonymiser.text(c.note)))
    if exports:
        rows.append((f"{local(exports[0].at, tz, '%d/%m/%Y')} to "
                     f"{local(exports[-1].at, tz, '%d/%m/%Y')}", "exports",
                     "", f"{len(exports)} exports of copies (bundles, charts, chronology CSV), "
                         "each recorded in this exhibit's continuity and the case's audit log"))
    return rows


def load_casework(session: Session, case: Case, content: BundleContent,
                  anonymiser: Anonymiser, tz: ZoneInfo, used_exhibits: set[int]) -> None:
    """Decision log, lines of enquiry and the unused-material schedule (internal bundles)."""
    for d in session.scalars(select(Decision).where(Decision.case_id == case.id)
                             .order_by(Decision.sequence)):
        correction = f" (corrects entry {d.corrects})" if d.corrects else ""
        content.decisions.append((
            str(d.sequence), f"{local(d.decided_at, tz, '%d/%m/%Y %H:%M')}\nentered "
            f"{local(d.entered_at, tz, '%d/%m/%Y %H:%M')}",
            f"{anonymiser.text(d.decision_maker)}\nrecorded by {anonymiser.text(d.recorder)}",
            d.ndm_element.replace("_", " "),
            anonymiser.text(d.decision) + correction, anonymiser.text(d.rationale),
            anonymiser.text(d.options_rejected)))
    for loe in session.scalars(select(LineOfEnquiry).where(LineOfEnquiry.case_id == case.id)
                               .order_by(LineOfEnquiry.id)):
        content.enquiries.append((anonymiser.text(loe.title), loe.status.replace("_", " "),
                                  anonymiser.text(loe.owner or ""), anonymiser.text(loe.notes),
                                  anonymiser.text(loe.closed_by or "")))
    for exhibit in case.exhibits:
        if exhibit.id not in used_exhibits:
            why = ("Withdrawn: " + anonymiser.text(exhibit.continuity[-1].note)
                   if is_withdrawn(exhibit)
                   else "No record from it appears in the chronology or the markers.")
            content.unused.append(("Non-sensitive", f"Exhibit {exhibit.reference}",
                                   anonymiser.path(exhibit.file_name) + ": "
                                   + anonymiser.text(exhibit.description or exhibit.kind), why))
    for marker in session.scalars(select(Marker).where(Marker.case_id == case.id,
                                                       Marker.status == "dismissed")):
        content.unused.append(("Non-sensitive", f"Marker {marker.id}", rule_title(marker.rule),
                               "Dismissed on review: " + anonymiser.text(marker.review_reason or "")))
    for row in content.intel_restricted:
        content.unused.append(("Sensitive", f"Intelligence {row[0]}", "Graded " + row[2].split("\n")[0],
                               f"Handling conditions: {row[5]}"))


def protected_strings(case: Case) -> list[str]:
    """Strings that identify protected people: what an anonymised bundle must never contain."""
    found: list[str] = []
    for person in case.people:
        if person.role == "subject":
            continue
        found.append(person.name)
        found.extend(part for part in person.name.split() if len(part) >= 3)
        for ident in person.identifiers:
            found.append(ident.display)
            found.append(ident.value)
    return found


def gather(session: Session, case: Case, audience: str, anonymise: bool,
           full_chronology: str = "csv", include_notes: bool | None = None) -> BundleContent:
    """Everything the bundle prints for ``case`` and ``audience``, anonymised if asked.

    The chronology holds the relevant records (:func:`relevant_events`); the full
    chronology goes in an annex (``full_chronology="annex"``) or in the CSV beside
    the bundle (``"csv"``). Investigators' notes and tags go in the internal bundle,
    in others only when chosen.
    """
    tz = zone(case.timezone)
    anonymiser = Anonymiser(case, anonymise)
    now = utcnow().replace(microsecond=0)
    content = BundleContent(
        case_ref=case.ref, title=anonymiser.text(case.title), classification=case.classification,
        timezone=case.timezone, audience=audience, anonymised=anonymise,
        prepared_by=f"{investigator.current()} (OS account {investigator.os_account()})",
        produced_at=local(now, tz),
        produced_at_utc=now.isoformat().replace("+00:00", "Z"), full_chronology=full_chronology,
        case_file=case_file_source(session, case))
    for person in case.people:
        vulnerabilities = ", ".join(v.replace("_", " ") for v in person.vulnerabilities or [])
        role = person.role.replace("_", " ")
        if person.collar and (not anonymise or person.role == "subject"):
            role += f" ({person.collar})"
        content.people.append((anonymiser.person(person), role, vulnerabilities))
    exhibit_refs = {x.id: x.reference for x in case.exhibits}
    parties = Parties(session, case, anonymiser)
    reports = list(session.scalars(select(IntelReport).where(IntelReport.case_id == case.id)))
    sanitised = {} if content.internal else sanitise_intel(case.exhibits, reports, anonymiser)
    intel_place = {}
    for report in reports:
        clean = sanitised.get(report.exhibit_id or 0)
        if clean is not None:
            intel_place[report.id] = f"{clean.reference} item {clean.items.get(report.id, '')}"
        else:
            intel_place[report.id] = (f"{exhibit_refs.get(report.exhibit_id or 0, '')} "
                                      f"{anonymiser.path(report.source_position)}").strip()
    restricted = load_intel(session, case, content, anonymiser, intel_place)
    relied_on = load_markers(session, case, content, parties, exhibit_refs, intel_place,
                             restricted, tz)
    shown_markers = [int(m.key.removeprefix("marker_")) for m in content.markers]
    content.activity = {f"marker_{marker_id}": matrix for marker_id, matrix in matrices_for_markers(
        session, case, anonymiser, shown_markers).items()}
    from workbench.map_view import marker_maps  # noqa: PLC0415 - matplotlib, on export only

    content.maps = {f"marker_{marker_id}": drawn for marker_id, drawn in marker_maps(
        session, case, anonymiser, shown_markers).items()}
    keep = relevant_events(session, case, parties, relied_on)
    content.chronology, content.chronology_months = load_chronology(
        session, case, parties, exhibit_refs, tz, keep)
    content.chronology_total = session.scalar(select(func.count(Event.id)).where(
        Event.case_id == case.id, Event.kind.not_in(LEFT_OUT_KINDS))) or 0
    if full_chronology == "annex":
        content.full_chronology_rows, content.full_chronology_months = load_chronology(
            session, case, parties, exhibit_refs, tz, None, prefix="full")
    # Every exhibit a record of the full chronology comes from is relied on (annex or CSV).
    used = {x for x in session.scalars(select(Event.exhibit_id).distinct().where(
        Event.case_id == case.id, Event.kind.not_in(LEFT_OUT_KINDS))) if x}
    used.update(r.exhibit_id for r in reports if r.exhibit_id and r.id not in restricted)
    for complaint in session.scalars(select(Complaint).where(Complaint.case_id == case.id)):
        if complaint.exhibit_id:
            used.add(complaint.exhibit_id)
    # The roster is relied on by the duty-based markers and drawn on the timeline.
    used.update(x for x in session.scalars(select(DutyShift.exhibit_id).distinct().where(
        DutyShift.case_id == case.id, DutyShift.exhibit_id.is_not(None))) if x)
    load_exhibits(case, content, anonymiser, tz, used, sanitised)
    if content.internal:
        load_casework(session, case, content, anonymiser, tz, used)
    else:
        content.intel_restricted = []
    if content.internal if include_notes is None else include_notes:
        content.notes = notes_for_bundle(session, case, anonymiser, tz)
    if anonymise:
        content.protected_strings = protected_strings(case)
    return content


def case_file_source(session: Session, case: Case) -> dict[str, str] | None:
    """The case file the case was created from ({"file", "sha256"}), from the audit chain."""
    details = session.scalar(select(AuditEntry.details).where(
        AuditEntry.case_ref == case.ref, AuditEntry.action == "case_create").order_by(AuditEntry.id))
    try:
        source = json.loads(details or "{}").get("case_file")
    except ValueError:
        return None
    return source if isinstance(source, dict) else None
