"""Intelligence reports entered or corrected by hand, and the complaint history.

Gradings are validated and kept in the scheme they were written in, never
converted: the current 3x5x2 (source 1-3, intelligence A-E, handling P or C)
and the legacy 5x5x5 (source A-E, information 1-5, handling 1-5). A 3x5x2
report with handling code C must say what its conditions are. Every add, edit
and removal is audited with what changed.
"""

from __future__ import annotations

import calendar
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from workbench import audit
from workbench.errors import NotFound, WorkbenchError
from workbench.ingest.formats.intel import check_parts, read_grading
from workbench.model import Case, Complaint, IntelReport
from workbench.store import Store
from workbench.store.queries import find_case

SCHEMES = {"3x5x2": "3x5x2 (current)", "5x5x5": "5x5x5 (legacy)"}
CLUSTER_SIZE = 3  # this many complaints received ...
CLUSTER_MONTHS = 12  # ... within this many months make a cluster


# The 3x5x2 grading's words (College of Policing intelligence management).
SOURCE_WORDS = {"1": "reliable", "2": "untested", "3": "not reliable"}
INTELLIGENCE_WORDS = {"A": "known directly to the source", "B": "known indirectly, corroborated",
                      "C": "known indirectly", "D": "not known", "E": "suspected to be false"}
HANDLING_WORDS = {"P": "lawful sharing permitted", "C": "sharing permitted with conditions"}


@dataclass(frozen=True)
class Grading:
    """A grading as written: scheme, source, intelligence (or information), handling."""

    scheme: str
    source: str
    intelligence: str
    handling: str

    def __str__(self) -> str:
        return f"{self.source}/{self.intelligence}/{self.handling}"

    def in_words(self) -> str:
        """The grading explained in words (3x5x2), or named as legacy (5x5x5)."""
        if self.scheme == "5x5x5":
            return (f"Legacy 5x5x5: source {self.source}, information {self.intelligence}, "
                    f"handling {self.handling} (kept as written, not converted)")
        return (f"3x5x2: source {self.source} ({SOURCE_WORDS[self.source]}), intelligence "
                f"{self.intelligence} ({INTELLIGENCE_WORDS[self.intelligence]}), handling "
                f"{self.handling} ({HANDLING_WORDS[self.handling]})")


def parse_grading(text: str, scheme: str | None = None) -> Grading:
    """Read ``2/B/P``, ``2BP``, ``2-B-P`` (3x5x2) or ``B/2/1``, ``B21`` (5x5x5).

    ``scheme`` forces one scheme; a grading written in the other is refused.
    """
    if scheme is not None and scheme not in SCHEMES:
        raise WorkbenchError(f"grading scheme {scheme!r} is not 3x5x2 or 5x5x5")
    try:
        found, source, intelligence, handling = read_grading(text or "", scheme)
        check_parts(found, source, intelligence, handling)
    except ValueError as exc:
        raise WorkbenchError(f"grading {text!r}: {exc}") from None
    return Grading(found, source, intelligence, handling)


@dataclass(frozen=True)
class IntelFields:
    """What the investigator types for one report."""

    urn: str
    submitted: date
    grading: str  # as written, e.g. "2/B/P"
    text: str  # the sanitised text
    conditions: str | None = None
    information_date: date | None = None
    scheme: str | None = None  # None: told from how the grading is written
    subject_key: str | None = None
    originator: str | None = None


@dataclass(frozen=True)
class IntelRow:
    """One report as the panels show it."""

    id: int
    urn: str
    submitted: date
    information_date: date | None
    scheme: str
    grading: str
    handling_code: str
    conditions: str | None
    text: str
    subject_key: str | None
    subject_text: str | None
    originator: str | None
    exhibit: str | None  # the exhibit it was imported from, None when entered by hand
    restricted: bool


def validate(fields: IntelFields) -> Grading:
    """Check a report's fields; return its grading. Raises WorkbenchError naming the problem."""
    urn = fields.urn.strip()
    if not urn:
        raise WorkbenchError("intelligence report: the URN is required")
    if len(urn) > 64:
        raise WorkbenchError(f"intelligence report {urn[:20]}…: the URN is longer than 64 characters")
    if not fields.text.strip():
        raise WorkbenchError(f"intelligence report {urn}: the sanitised text is required")
    grading = parse_grading(fields.grading, fields.scheme)
    if grading.scheme == "3x5x2" and grading.handling == "C" and not (fields.conditions or "").strip():
        raise WorkbenchError(f"intelligence report {urn}: handling code C needs its conditions "
                             "recorded (they must be honoured, e.g. kept out of an open bundle)")
    if fields.information_date and fields.information_date > fields.submitted:
        raise WorkbenchError(f"intelligence report {urn}: the information date is after the "
                             "date the report was submitted")
    return grading


def _apply(report: IntelReport, case: Case, fields: IntelFields, grading: Grading) -> None:
    subject = None
    if fields.subject_key:
        subject = case.person(fields.subject_key)
        if subject is None:
            raise NotFound(f"no person {fields.subject_key!r} in case {case.ref}")
    report.urn = fields.urn.strip()
    report.submitted = fields.submitted
    report.information_date = fields.information_date
    report.scheme = grading.scheme
    report.source_grade, report.intelligence_grade = grading.source, grading.intelligence
    report.handling_code = grading.handling
    report.conditions = (fields.conditions or "").strip() or None
    report.text = fields.text.strip()
    report.subject_id = subject.id if subject else None
    report.subject = subject
    report.originator = (fields.originator or "").strip() or None


def _fields_of(report: IntelReport) -> IntelFields:
    return IntelFields(urn=report.urn, submitted=report.submitted, grading=report.grading,
                       text=report.text, conditions=report.conditions,
                       information_date=report.information_date, scheme=report.scheme,
                       subject_key=report.subject.key if report.subject else None,
                       originator=report.originator)


def _audit_fields(fields: IntelFields) -> dict[str, Any]:
    return {key: (value.isoformat() if isinstance(value, date) else value)
            for key, value in asdict(fields).items()}


def add_intel_report(store: Store, case_ref: str, fields: IntelFields) -> int:
    """Record a report entered by hand (audited); returns its id."""
    grading = validate(fields)
    with store.session() as session:
        case = find_case(session, case_ref)
        report = IntelReport(case_id=case.id)
        _apply(report, case, fields, grading)
        session.add(report)
        session.flush()
        audit.append(session, case, "intel_add", {"report": report.id, **_audit_fields(fields)})
        return report.id


def edit_intel_report(store: Store, case_ref: str, report_id: int, fields: IntelFields) -> IntelFields:
    """Correct a report (audited with before and after); returns the previous fields for undo."""
    grading = validate(fields)
    with store.session() as session:
        case = find_case(session, case_ref)
        report = _report(session, case, report_id)
        before = _fields_of(report)
        _apply(report, case, fields, grading)
        after = _fields_of(report)
        old, new = _audit_fields(before), _audit_fields(after)
        changes = {key: [old[key], new[key]] for key in old if old[key] != new[key]}
        if changes:
            audit.append(session, case, "intel_edit", {"report": report.id, "urn": report.urn,
                                                       "changes": changes})
        return before


def remove_intel_report(store: Store, case_ref: str, report_id: int) -> None:
    """Remove a report that was entered by hand (the undo of an add); audited.

    Reports imported from an exhibit stay: they are evidence.
    """
    with store.session() as session:
        case = find_case(session, case_ref)
        report = _report(session, case, report_id)
        if report.exhibit_id is not None:
            raise WorkbenchError(f"intelligence report {report.urn} came from an exhibit and "
                                 "cannot be removed")
        audit.append(session, case, "intel_remove", {"report": report.id,
                                                     **_audit_fields(_fields_of(report))})
        session.delete(report)


def _report(session: Any, case: Case, report_id: int) -> IntelReport:
    report = session.get(IntelReport, report_id)
    if report is None or report.case_id != case.id:
        raise NotFound(f"no intelligence report {report_id} in case {case.ref}")
    return report


def list_intel(store: Store, case_ref: str) -> list[IntelRow]:
    """The case's intelligence reports, oldest first."""
    with store.reader() as session:
        case = find_case(session, case_ref)
        rows = session.scalars(select(IntelReport).where(IntelReport.case_id == case.id)
                               .order_by(IntelReport.submitted, IntelReport.urn))
        return [IntelRow(
            id=r.id, urn=r.urn, submitted=r.submitted, information_date=r.information_date,
            scheme=r.scheme, grading=r.grading, handling_code=r.handling_code,
            conditions=r.conditions, text=r.text, subject_key=r.subject.key if r.subject else None,
            subject_text=r.subject_text, originator=r.originator,
            exhibit=_exhibit_ref(case, r.exhibit_id), restricted=r.restricted) for r in rows]


def _exhibit_ref(case: Case, exhibit_id: int | None) -> str | None:
    return next((e.reference for e in case.exhibits if e.id == exhibit_id), None)


@dataclass(frozen=True)
class ComplaintRow:
    id: int
    reference: str
    received: date
    subject_key: str | None
    subject_text: str | None
    category: str | None
    outcome: str | None
    finalised: date | None
    in_cluster: bool  # one of three or more within twelve months


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the last day of the month when it has fewer days)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def cluster_members(received: list[date], size: int = CLUSTER_SIZE,
                    months: int = CLUSTER_MONTHS) -> set[int]:
    """Indexes of complaints that fall in a window of ``months`` holding ``size`` or more."""
    order = sorted(range(len(received)), key=lambda i: received[i])
    members: set[int] = set()
    for start, first in enumerate(order):
        window = [i for i in order[start:] if received[i] <= add_months(received[first], months)]
        if len(window) >= size:
            members.update(window)
    return members


def list_complaints(store: Store, case_ref: str) -> list[ComplaintRow]:
    """The case's complaints, oldest first, each saying whether it is part of a cluster."""
    with store.reader() as session:
        case = find_case(session, case_ref)
        rows = list(session.scalars(select(Complaint).where(Complaint.case_id == case.id)
                                    .order_by(Complaint.received, Complaint.reference)))
        # Clusters are per officer: complaints about different people do not add up.
        by_subject: dict[object, list[int]] = {}
        for index, row in enumerate(rows):
            by_subject.setdefault(row.subject_id or row.subject_text, []).append(index)
        clustered: set[int] = set()
        for indexes in by_subject.values():
            found = cluster_members([rows[i].received for i in indexes])
            clustered.update(indexes[i] for i in found)
        return [ComplaintRow(r.id, r.reference, r.received, r.subject.key if r.subject else None,
                             r.subject_text, r.category, r.outcome, r.finalised, i in clustered)
                for i, r in enumerate(rows)]
