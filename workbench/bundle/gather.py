"""Reading a case for a bundle: chronology, markers, intelligence, exhibits, case work."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench import investigator
from workbench.analysis import rule_title
from workbench.anonymise import Anonymiser
from workbench.bundle.content import (
    BundleContent,
    ChronologyMonth,
    EvidenceLine,
    ExhibitItem,
    MarkerItem,
)
from workbench.evidence.exhibits import is_withdrawn
from workbench.model import (
    Case,
    Complaint,
    Decision,
    DutyShift,
    Event,
    Identifier,
    IntelReport,
    LineOfEnquiry,
    Marker,
    MarkerEvidence,
    utcnow,
)
from workbench.timeutil import zone

# Raw GPS pings are thousands of points with no contact in them; their stops are kept.
LEFT_OUT_KINDS = ("vehicle_position",)
CHANNEL_LABELS = {
    "work_mobile": "Work phone", "personal_mobile": "Personal phone", "mobile": "Phone",
    "whatsapp": "WhatsApp", "facebook_messenger": "Messenger", "instagram": "Instagram",
    "snapchat": "Snapchat", "telegram": "Telegram", "signal": "Signal", "email": "Email",
    "police_system": "Police system", "telematics": "Vehicle", "in_person": "In person",
}
KIND_LABELS = {"sms": "SMS (no text recorded)", "mms": "MMS (no content recorded)",
               "message": "Message (no text recorded)", "email": "Email (no text recorded)"}
MARKER_STATUSES = {
    "hearing": ("accepted",),
    "conference": ("accepted", "open"),
    "internal": ("accepted", "open", "dismissed"),
}
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


def channel_label(channel: str) -> str:
    return CHANNEL_LABELS.get(channel, channel.replace("_", " ").capitalize())


def local(moment: datetime | None, tz: ZoneInfo, fmt: str = "%d/%m/%Y %H:%M %Z") -> str:
    return "" if moment is None else moment.astimezone(tz).strftime(fmt)


def duration_text(seconds: float | None) -> str:
    if seconds is None:
        return ""
    whole = int(round(seconds))
    if whole < 60:
        return f"{whole} s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def size_text(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return str(size)


class Parties:
    """Names the sender and recipient of events, through the anonymiser, once per identifier."""

    def __init__(self, session: Session, case: Case, anonymiser: Anonymiser) -> None:
        self.anonymiser = anonymiser
        self.idents = {i.id: i for i in session.scalars(
            select(Identifier).where(Identifier.case_id == case.id))}
        self._shown: dict[int | None, str] = {}

    def ident(self, ident_id: int | None) -> Identifier | None:
        """The identifier with this id, or None (also for a missing id)."""
        return self.idents.get(ident_id) if ident_id is not None else None

    def shown(self, ident_id: int | None) -> str:
        cached = self._shown.get(ident_id)
        if cached is None:
            ident = self.idents.get(ident_id) if ident_id else None
            if ident is None:
                cached = "not recorded"
            elif ident.person is not None:
                cached = self.anonymiser.person(ident.person)
            else:
                cached = self.anonymiser.identifier(ident)
            self._shown[ident_id] = cached
        return cached


def event_summary(kind: str, text: str | None, media: str | None, duration: float | None,
                  status: str | None, anonymiser: Anonymiser) -> str:
    """What happened, in words: the message text, or the call and its length."""
    head = None
    if kind == "call":
        head = "Call" if not status or status in ("answered", "connected") else f"Call ({status})"
        if duration is not None:
            head += f", {duration_text(duration)}"
    elif kind == "vehicle_stop":
        head = f"Vehicle stopped {duration_text(duration)}".strip()
    elif kind in ("system_lookup", "visit", "gift", "note"):
        head = kind.replace("_", "-" if kind == "system_lookup" else " ").capitalize()
    body = []
    if text:
        body.append(anonymiser.text(text))
    if media:
        body.append(f"[media: {anonymiser.text(media)}]")
    if head and body:
        return f"{head}: {' '.join(body)}"
    return head or " ".join(body) or KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())


def load_chronology(session: Session, case: Case, content: BundleContent, parties: Parties,
                    exhibit_refs: dict[int, str], tz: ZoneInfo) -> set[int]:
    """Fill the chronology rows; returns the exhibits the rows come from."""
    used: set[int] = set()
    rows = session.execute(
        select(Event.occurred_at, Event.time_ambiguous, Event.kind, Event.channel,
               Event.from_id, Event.to_id, Event.duration_s, Event.status, Event.text,
               Event.media, Event.exhibit_id, Event.source_position)
        .where(Event.case_id == case.id, Event.kind.not_in(LEFT_OUT_KINDS))
        .order_by(Event.occurred_at, Event.id)
        .execution_options(yield_per=5000)
    )
    month = None
    anonymiser = parties.anonymiser
    for (when, ambiguous, kind, channel, from_id, to_id, duration, status, text, media,
         exhibit_id, position) in rows:
        moment = when.astimezone(tz)
        this_month = moment.strftime("%Y-%m")
        if this_month != month:
            month = this_month
            content.chronology_months.append(ChronologyMonth(
                f"chron_{this_month}", moment.strftime("%B %Y"), len(content.chronology)))
        shown_time = moment.strftime("%d/%m/%Y\n%H:%M:%S %Z")
        if ambiguous:
            shown_time += "\n(clock-change hour: ambiguous)"
        source = exhibit_refs.get(exhibit_id or 0, "no exhibit")
        if exhibit_id:
            used.add(exhibit_id)
        content.chronology.append((
            shown_time,
            f"{parties.shown(from_id)}\n→ {parties.shown(to_id)}",
            channel_label(channel),
            event_summary(kind, text, media, duration, status, anonymiser),
            f"{source}\n{anonymiser.path(position)}" if position else source,
        ))
    return used


def load_markers(session: Session, case: Case, content: BundleContent, parties: Parties,
                 exhibit_refs: dict[int, str], restricted_intel: set[int], tz: ZoneInfo) -> None:
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
    for marker in markers:
        lines: list[EvidenceLine] = []
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
                lines.append(EvidenceLine(
                    local(event.occurred_at, tz, "%d/%m/%Y %H:%M"),
                    f"{where} {anonymiser.path(event.source_position)}".strip(),
                    detail or event_summary(event.kind, event.text, event.media,
                                            event.duration_s, event.status, anonymiser)[:200]))
            elif item.intel_id is not None:
                report = intel.get(item.intel_id)
                if report is None or (item.intel_id in restricted_intel and not content.internal):
                    withheld += 1
                    continue
                where = exhibit_refs.get(report.exhibit_id or 0, "")
                lines.append(EvidenceLine(
                    report.submitted.strftime("%d/%m/%Y"),
                    f"Intelligence {report.urn} {where} {anonymiser.path(report.source_position)}".strip(),
                    detail or f"graded {report.grading} ({report.scheme})"))
            elif item.complaint_id is not None:
                complaint = complaints.get(item.complaint_id)
                if complaint is None:
                    continue
                where = exhibit_refs.get(complaint.exhibit_id or 0, "")
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
        period = local(marker.start, tz)
        if marker.end != marker.start:
            period += f" to {local(marker.end, tz)}"
        content.markers.append(MarkerItem(
            key=f"marker_{marker.id}", title=rule_title(marker.rule), rule=marker.rule,
            severity=marker.severity, status=marker.status, period=period, people=people or "—",
            explanation=anonymiser.text(marker.explanation), review=review, evidence=lines,
            evidence_total=len(lines), withheld=withheld if content.internal else 0))
        if marker.rule not in rules:
            rules.append(marker.rule)
    content.rules_used = rules


def load_intel(session: Session, case: Case, content: BundleContent, anonymiser: Anonymiser,
               exhibit_refs: dict[int, str]) -> set[int]:
    """Intelligence and complaints; returns the ids of restricted reports."""
    restricted: set[int] = set()
    for report in session.scalars(select(IntelReport).where(IntelReport.case_id == case.id)
                                  .order_by(IntelReport.submitted, IntelReport.id)):
        subject = anonymiser.person(report.subject) if report.subject else anonymiser.text(
            report.subject_text or "")
        source = f"{exhibit_refs.get(report.exhibit_id or 0, '')} {anonymiser.path(report.source_position)}"
        row = (report.urn, report.submitted.strftime("%d/%m/%Y"),
               f"{report.grading}\n({report.scheme})", subject, anonymiser.text(report.text),
               source.strip())
        if report.restricted:
            restricted.add(report.id)
            conditions = anonymiser.text(report.conditions or "") or "handling code C"
            content.intel_restricted.append((*row[:5], conditions, row[5]))
        else:
            content.intel.append(row)
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
                  tz: ZoneInfo, used: set[int]) -> None:
    """The exhibits schedule: every exhibit for internal use, else those relied on."""
    for exhibit in case.exhibits:
        if not content.internal and exhibit.id not in used:
            continue
        content.exhibits.append(ExhibitItem(
            key=f"exhibit_{exhibit.id}", reference=exhibit.reference,
            description=anonymiser.text(exhibit.description or exhibit.kind),
            producer=anonymiser.text(exhibit.producer),
            file_name=anonymiser.path(exhibit.file_name),
            size=exhibit.size, sha256=exhibit.sha256, records=exhibit.record_count,
            kind=exhibit.kind,
            continuity=[(local(c.at, tz, "%d/%m/%Y %H:%M %Z"), c.action, anonymiser.text(c.by),
                         anonymiser.text(c.note)) for c in exhibit.continuity]))


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


def gather(session: Session, case: Case, audience: str, anonymise: bool) -> BundleContent:
    """Everything the bundle prints for ``case`` and ``audience``, anonymised if asked."""
    tz = zone(case.timezone)
    anonymiser = Anonymiser(case, anonymise)
    now = utcnow().replace(microsecond=0)
    content = BundleContent(
        case_ref=case.ref, title=anonymiser.text(case.title), classification=case.classification,
        timezone=case.timezone, audience=audience, anonymised=anonymise,
        prepared_by=f"{investigator.current()} (OS account {investigator.os_account()})", produced_at=local(now, tz),
        produced_at_utc=now.isoformat().replace("+00:00", "Z"))
    for person in case.people:
        vulnerabilities = ", ".join(v.replace("_", " ") for v in person.vulnerabilities or [])
        role = person.role.replace("_", " ")
        if person.collar and (not anonymise or person.role == "subject"):
            role += f" ({person.collar})"
        content.people.append((anonymiser.person(person), role, vulnerabilities))
    exhibit_refs = {x.id: x.reference for x in case.exhibits}
    parties = Parties(session, case, anonymiser)
    restricted = load_intel(session, case, content, anonymiser, exhibit_refs)
    used = load_chronology(session, case, content, parties, exhibit_refs, tz)
    load_markers(session, case, content, parties, exhibit_refs, restricted, tz)
    for report in session.scalars(select(IntelReport).where(IntelReport.case_id == case.id)):
        if report.exhibit_id and report.id not in restricted:
            used.add(report.exhibit_id)
    for complaint in session.scalars(select(Complaint).where(Complaint.case_id == case.id)):
        if complaint.exhibit_id:
            used.add(complaint.exhibit_id)
    # The roster is relied on by the duty-based markers and drawn on the timeline.
    used.update(x for x in session.scalars(select(DutyShift.exhibit_id).distinct().where(
        DutyShift.case_id == case.id, DutyShift.exhibit_id.is_not(None))) if x)
    load_exhibits(case, content, anonymiser, tz, used)
    if content.internal:
        load_casework(session, case, content, anonymiser, tz, used)
    else:
        content.intel_restricted = []
    if anonymise:
        content.protected_strings = protected_strings(case)
    return content
