"""Withdrawing an exhibit imported by mistake: the wrong file, or the wrong case.

The exhibit itself stays listed, as received, with a "withdrawn" continuity entry
saying why (evidence is never silently dropped, and its stored copy is kept);
what was read from it -- events, shifts, reports, complaints, the marker
evidence pointing at them, and the unresolved numbers and accounts that only it
named -- is removed. The audit entry records the reason and
what went, and ``workbench verify`` then expects nothing derived from it. Reading
it again later is ``import --replace``.
"""

from __future__ import annotations

from sqlalchemy import select

from workbench import audit
from workbench.errors import NotFound, WorkbenchError
from workbench.evidence.exhibits import WITHDRAWN, is_withdrawn, record_continuity
from workbench.evidence.fingerprint import events_digest, records_digest
from workbench.ingest.pipeline import (
    describe_removed,
    remove_derived,
    remove_orphans,
    unresolved_named_by,
)
from workbench.model import Exhibit
from workbench.store import Store
from workbench.store.queries import find_case


def withdraw_exhibit(store: Store, case_ref: str, reference: str, reason: str,
                     by: str | None = None) -> dict[str, int]:
    """Withdraw exhibit ``reference`` of a case; what was removed, by kind."""
    reason = reason.strip()
    if not reason:
        raise WorkbenchError("say why the exhibit is withdrawn (--reason)")
    with store.session() as session:
        case = find_case(session, case_ref)
        exhibit = session.scalars(select(Exhibit).where(
            Exhibit.case_id == case.id, Exhibit.reference == reference)).first()
        if exhibit is None:
            raise NotFound(f"no exhibit {reference} in case {case.ref}")
        if is_withdrawn(exhibit):
            raise WorkbenchError(f"exhibit {reference} is already withdrawn")
        named = unresolved_named_by(session, exhibit)
        removed = remove_derived(session, exhibit)
        removed["unresolved_identifiers"] = remove_orphans(session, case.id, named)
        exhibit.record_count = 0
        record_continuity(exhibit, WITHDRAWN, f"{reason}; {describe_removed(removed)}", by=by)
        session.flush()
        audit.append(session, case, "withdraw", {
            "exhibit": exhibit.reference, "file": exhibit.file_name, "sha256": exhibit.sha256,
            "size": exhibit.size, "kind": exhibit.kind, "records": 0, "reason": reason,
            "removed": removed, "events_sha256": events_digest(session, exhibit.id),
            "records_sha256": records_digest(session, exhibit.id),
        })
    return removed
