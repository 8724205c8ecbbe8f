"""Unit-wide watchlists of identifiers and staff, and the alerts an import raises.

An entry has an owner, a reason and a review date. An import into any case that
names a watched identifier (or a watched member of staff, by collar number or
system user id) raises an alert for the owner, an indicator to follow up, never a
finding; the alert is in the case's audit chain and the watchlist's own changes in
the unit's chain.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench import audit
from workbench.errors import NotFound, WorkbenchError
from workbench.identifiers import normalise
from workbench.model import (
    AuditEntry,
    Case,
    Exhibit,
    Identifier,
    Person,
    WatchAlert,
    WatchEntry,
    utcnow,
)
from workbench.model.vocab import IDENTIFIER_KINDS
from workbench.shared.hits import cross_case_hits, touched_by
from workbench.shared.users import UNIT_CHAIN, append_unit_audit, current_login
from workbench.store import Store
from workbench.tasks import CancelToken, Progress, no_progress

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
    id: int
    case_ref: str
    kind: str
    value: str
    exhibit: str | None
    reason: str
    raised_at: str
    acknowledged: bool = False

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()

    def describe(self) -> str:
        """One line for a list: what was touched, where, and why it is watched."""
        source = f", exhibit {self.exhibit}" if self.exhibit else ""
        return (f"{self.kind} {self.value} in {self.case_ref}{source} "
                f"(raised {self.raised_at[:16].replace('T', ' ')} UTC): watched for {self.reason}")


ACKNOWLEDGED = "watchlist alert acknowledged"  # the unit chain's entry: the one record of it


def alerts_for(session: Session, owner: str, *, open_only: bool = False) -> list[Alert]:
    """The alerts raised for ``owner``, newest first; ``open_only``: not yet acknowledged."""
    seen = acknowledged(session)
    rows = session.execute(
        select(WatchAlert, WatchEntry.reason, Case.ref).join(WatchEntry)
        .outerjoin(Case, Case.id == WatchAlert.case_id)  # a case the owner may not open
        .where(WatchAlert.owner == owner).order_by(WatchAlert.raised_at.desc(), WatchAlert.id.desc()))
    found = [Alert(alert.id, ref or HIDDEN_CASE.format(id=alert.case_id), alert.kind,
                   alert.value, alert.exhibit, reason, alert.raised_at.isoformat(),
                   alert.id in seen) for alert, reason, ref in rows]
    return [a for a in found if not a.acknowledged] if open_only else found


HIDDEN_CASE = "a case you cannot open (#{id}; its officer in charge can)"


def acknowledged(session: Session) -> set[int]:
    """The alerts acknowledged so far (from the unit chain, where acknowledging records it)."""
    details = session.scalars(select(AuditEntry.details).where(
        AuditEntry.case_ref == UNIT_CHAIN, AuditEntry.action == ACKNOWLEDGED))
    return {int(json.loads(text)["alert"]) for text in details}


def acknowledge(session: Session, alert_id: int, note: str = "") -> Alert:
    """The owner has seen the alert (and says what they did): recorded in the unit chain.

    Only the alert's owner may; the entry names the alert, never the case's content.
    """
    login = current_login(session)
    alert = next((a for a in alerts_for(session, login) if a.id == alert_id), None)
    if alert is None:
        raise NotFound(f"no watchlist alert {alert_id} raised for {login}")
    if alert.acknowledged:
        raise WorkbenchError(f"watchlist alert {alert_id} is already acknowledged")
    append_unit_audit(session, ACKNOWLEDGED, {"alert": alert_id, "kind": alert.kind,
                                             "value": alert.value, "note": note.strip()})
    return alert


# -- on a store, each in its own session (what the app runs in a worker) -------------------

def my_open_alerts(store: Store, progress: Progress = no_progress,
                   cancel: CancelToken | None = None) -> list[Alert]:
    """The alerts raised for whoever is connected, not yet acknowledged."""
    progress(0.0, "Looking for watchlist alerts")
    with store.reader() as session:
        return alerts_for(session, current_login(session), open_only=True)


def acknowledge_in(store: Store, alert_id: int, note: str = "") -> Alert:
    with store.session() as session:
        return acknowledge(session, alert_id, note)


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
