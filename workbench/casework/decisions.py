"""The decision log: append-only entries following the National Decision Model (NDM).

Entries are numbered in sequence per case and record both when the decision was
made and when it was written down, who made it and who recorded it. There is no
way to edit or delete an entry: a correction is a new entry that names the
sequence number of the one it corrects, and both stay in the log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from workbench import audit
from workbench.errors import WorkbenchError
from workbench.model import Decision, utcnow
from workbench.store import Store
from workbench.store.queries import find_case

# The six parts of the NDM, code of ethics at the centre (stored keys -> words).
NDM_ELEMENTS: dict[str, str] = {
    "code_of_ethics": "Code of Ethics",
    "information": "Gather information and intelligence",
    "threat_assessment": "Assess threat and risk and develop a working strategy",
    "powers_and_policy": "Consider powers and policy",
    "options": "Identify options and contingencies",
    "action_and_review": "Take action and review what happened",
}
# A decision may be written down a little after it was made, never before it.
CLOCK_SLACK = timedelta(minutes=5)


@dataclass(frozen=True)
class DecisionEntry:
    """One decision log entry as read back (plain data, safe to hand to any thread)."""

    sequence: int
    decided_at: datetime
    entered_at: datetime
    decision_maker: str
    recorder: str
    ndm_element: str
    decision: str
    rationale: str
    options_rejected: str
    review_date: date | None
    corrects: int | None
    corrected_by: tuple[int, ...] = ()

    @property
    def element_title(self) -> str:
        return NDM_ELEMENTS.get(self.ndm_element, self.ndm_element)


def parse_ndm_element(value: str) -> str:
    """The stored key of an NDM element, from its key or its words (case-insensitive)."""
    wanted = " ".join(value.replace("_", " ").replace("/", " ").split()).casefold()
    for key, title in NDM_ELEMENTS.items():
        if wanted in (key.replace("_", " "), title.casefold()):
            return key
    # Also accept the first words of a title ("assess threat and risk").
    matches = [key for key, title in NDM_ELEMENTS.items() if wanted and title.casefold().startswith(wanted)]
    if len(matches) == 1:
        return matches[0]
    raise WorkbenchError(
        f"NDM element {value!r} is not one of: " + "; ".join(NDM_ELEMENTS.values()))


def _required(name: str, value: str | None) -> str:
    text = (value or "").strip()
    if not text:
        raise WorkbenchError(f"decision log: {name} is required")
    return text


def add_decision(store: Store, case_ref: str, *, decided_at: datetime, decision_maker: str,
                 recorder: str, ndm_element: str, decision: str, rationale: str,
                 options_rejected: str = "", review_date: date | None = None,
                 corrects: int | None = None) -> DecisionEntry:
    """Append one entry to the case's decision log (audited) and return it.

    ``corrects`` is the sequence number of an earlier entry this one corrects.
    """
    element = parse_ndm_element(ndm_element)
    fields = {name: _required(name.replace("_", " "), value) for name, value in (
        ("decision_maker", decision_maker), ("recorder", recorder), ("decision", decision),
        ("rationale", rationale))}
    if decided_at.tzinfo is None:
        raise WorkbenchError("decision log: the decision time must carry a timezone")
    entered_at = utcnow().replace(microsecond=0)
    if decided_at > entered_at + CLOCK_SLACK:
        raise WorkbenchError("decision log: the decision time is in the future "
                             f"({decided_at.isoformat()})")
    if review_date is not None and review_date < decided_at.date():
        raise WorkbenchError("decision log: the review date is before the decision")
    with store.session() as session:
        case = find_case(session, case_ref)
        last = session.scalar(select(func.max(Decision.sequence)).where(Decision.case_id == case.id))
        if corrects is not None and not session.scalar(select(Decision.id).where(
                Decision.case_id == case.id, Decision.sequence == corrects)):
            raise WorkbenchError(f"decision log: there is no entry {corrects} to correct "
                                 f"in case {case.ref}")
        entry = Decision(case_id=case.id, sequence=(last or 0) + 1, decided_at=decided_at,
                         entered_at=entered_at, ndm_element=element,
                         options_rejected=(options_rejected or "").strip(),
                         review_date=review_date, corrects=corrects, **fields)
        session.add(entry)
        session.flush()
        audit.append(session, case, "decision_add", {
            "sequence": entry.sequence, "decided_at": decided_at.isoformat(),
            "ndm_element": element, "decision_maker": fields["decision_maker"],
            "recorder": fields["recorder"], "decision": fields["decision"],
            "rationale": fields["rationale"], "options_rejected": entry.options_rejected,
            "review_date": review_date.isoformat() if review_date else None,
            "corrects": corrects,
        })
        return _entry(entry, ())


def list_decisions(store: Store, case_ref: str) -> list[DecisionEntry]:
    """The case's decision log in sequence order, each entry knowing what corrects it."""
    with store.reader() as session:
        case = find_case(session, case_ref)
        rows = list(session.scalars(select(Decision).where(Decision.case_id == case.id)
                                    .order_by(Decision.sequence)))
        corrected_by: dict[int, list[int]] = {}
        for row in rows:
            if row.corrects is not None:
                corrected_by.setdefault(row.corrects, []).append(row.sequence)
        return [_entry(row, tuple(corrected_by.get(row.sequence, ()))) for row in rows]


def _entry(row: Decision, corrected_by: tuple[int, ...]) -> DecisionEntry:
    return DecisionEntry(
        sequence=row.sequence, decided_at=row.decided_at, entered_at=row.entered_at,
        decision_maker=row.decision_maker, recorder=row.recorder, ndm_element=row.ndm_element,
        decision=row.decision, rationale=row.rationale, options_rejected=row.options_rejected,
        review_date=row.review_date, corrects=row.corrects, corrected_by=corrected_by)
