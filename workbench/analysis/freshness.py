"""Whether a case's markers still describe its evidence.

Markers are worked out from the evidence when the analysis runs. Importing,
reading again or withdrawing an exhibit, assigning an identifier to a person,
or adding, editing or removing an intelligence report changes what the rules
would find; until the analysis runs again the markers (their explanations and
counts) may describe evidence that is no longer the case's. The audit chain
says what happened when, so staleness is read from it.
"""

from __future__ import annotations

import json

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.model import AuditEntry, Case
from workbench.timeutil import format_local, zone

CHANGES = {  # audit action -> how the change is told
    "import": "exhibit {exhibit} imported",
    "withdraw": "exhibit {exhibit} withdrawn",
    "identifier_assign": "an identifier assigned to a person",
    "intel_add": "an intelligence report added",
    "intel_edit": "an intelligence report edited",
    "intel_remove": "an intelligence report removed",
}


def evidence_changed_since_analysis(session: Session, case: Case) -> str | None:
    """What changed after the last analysis (the latest such change), or None if nothing did."""
    analysed = session.scalar(select(func.max(AuditEntry.sequence)).where(
        AuditEntry.case_ref == case.ref, AuditEntry.action == "analyse")) or 0
    change = session.scalars(
        select(AuditEntry).where(AuditEntry.case_ref == case.ref, AuditEntry.sequence > analysed,
                                 AuditEntry.action.in_(CHANGES))
        .order_by(AuditEntry.sequence.desc()).limit(1)
    ).first()
    if change is None:
        return None
    details = json.loads(change.details)
    exhibit = details.get("exhibit", "?")
    if change.action == "import" and "replaced" in details:
        told = f"exhibit {exhibit} read again"
    else:
        told = CHANGES[change.action].format(exhibit=exhibit)
    when = format_local(change.at, zone(case.timezone), with_zone=False)
    since = "since the last analysis" if analysed else "and the case has not been analysed yet"
    return f"the evidence has changed {since} ({told}, {when})"
