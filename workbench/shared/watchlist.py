"""Unit-wide watchlists of identifiers and staff, and the alerts an import raises.

An entry has an owner, a reason and a review date. An import into any case that
names a watched identifier (or a watched member of staff, by collar number or
system user id) raises an alert for the owner, an indicator to follow up, never a
finding; the alert is in the case's audit chain and the watchlist's own changes in
the unit's chain.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench import audit
from workbench.errors import NotFound, WorkbenchError
from workbench.identifiers import normalise
from workbench.model import Case, Exhibit, Identifier, Person, WatchAlert, WatchEntry, utcnow
from workbench.model.vocab import IDENTIFIER_KINDS
from workbench.shared.hits import cross_case_hits, touched_by
from workbench.shared.users import append_unit_audit, current_login

STAFF = "staff"  # a watched member of staff: collar number or system user id


def _normalised(kind: str, value: str) -> str:
    if kind == STAFF:
        return "".join(value.split()).upper()
    if kind not in IDENTIFIER_KINDS:
        raise WorkbenchError(f"kind {kind!r}: choose staff or one of {', '.join(IDENTIFIER_KINDS)}")
    return normalise(kind, value)


def add(session: Session, kind: str, value: str, reason: str, review_on: date) -> WatchEntry:
    if not reason.strip():
        raise WorkbenchError("say why the identifier is watched (--reason)")
    entry = WatchEntry(kind=kind, value=_normalised(kind, value), reason=reason.strip(),
                       review_on=review_on, owner=current_login(session))
    session.add(entry)
    session.flush()
    append_unit_audit(session, "watchlist entry added", {
        "id": entry.id, "kind": kind, "value": entry.value, "reason": entry.reason,
        "review_on": review_on.isoformat()})
    return entry


def remove(session: Session, entry_id: int, reason: str) -> WatchEntry:
    entry = session.get(WatchEntry, entry_id)
    if entry is None or entry.removed_at is not None:
        raise NotFound(f"no watchlist entry {entry_id}")
    entry.removed_at, entry.removed_by = utcnow(), current_login(session)
    session.flush()
    append_unit_audit(session, "watchlist entry removed",
                      {"id": entry.id, "kind": entry.kind, "value": entry.value, "reason": reason})
    return entry


def entries(session: Session) -> list[WatchEntry]:
    return list(session.scalars(select(WatchEntry).where(WatchEntry.removed_at.is_(None))
                                .order_by(WatchEntry.review_on, WatchEntry.id)))


@dataclass(frozen=True)
class Alert:
    case_ref: str
    kind: str
    value: str
    exhibit: str | None
    reason: str
    raised_at: str

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def alerts_for(session: Session, owner: str) -> list[Alert]:
    rows = session.execute(
        select(WatchAlert, WatchEntry.reason, Case.ref).join(WatchEntry)
        .outerjoin(Case, Case.id == WatchAlert.case_id)  # a case the owner may not open
        .where(WatchAlert.owner == owner).order_by(WatchAlert.raised_at.desc()))
    return [Alert(ref or f"a case you cannot open (#{alert.case_id}; its officer in charge can)", alert.kind, alert.value, alert.exhibit, reason,
                  alert.raised_at.isoformat()) for alert, reason, ref in rows]


def on_import(session: Session, case: Case, exhibit: Exhibit) -> list[str]:
    """Check what an import just brought in: watchlist alerts and cross-case hits.

    Returns lines to show the importer. Runs inside the import's transaction.
    """
    touched = touched_by(session, exhibit.id)
    keys = {(i.kind, i.value) for i in touched}
    staff = _staff_keys(session, case)
    notices = []
    for entry in entries(session):
        hit = (entry.kind, entry.value) in keys or (entry.kind == STAFF and entry.value in staff)
        if not hit:
            continue
        session.add(WatchAlert(watch_id=entry.id, case_id=case.id, owner=entry.owner,
                               kind=entry.kind, value=entry.value, exhibit=exhibit.reference))
        audit.append(session, case, "watchlist alert", {
            "watch": entry.id, "kind": entry.kind, "value": entry.value,
            "exhibit": exhibit.reference, "owner": entry.owner})
        notices.append(f"watchlist: {entry.kind} {entry.value} is watched; "
                       f"{entry.owner} has been alerted")
    notices += [hit.describe() for hit in cross_case_hits(session, case)
                if (hit.kind, hit.value) in keys]
    return notices


def _staff_keys(session: Session, case: Case) -> set[str]:
    collars = session.scalars(select(Person.collar).where(Person.case_id == case.id,
                                                          Person.collar.is_not(None)))
    users = session.scalars(select(Identifier.value).where(
        Identifier.case_id == case.id, Identifier.kind == "system_user"))
    return {"".join(v.split()).upper() for v in [*collars, *users] if v}
