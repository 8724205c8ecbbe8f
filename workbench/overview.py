"""A case at a glance: people, identifiers, exhibits and counts (``case show``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any, cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.analysis.freshness import evidence_changed_since_analysis
from workbench.identifiers import display_phone
from workbench.model import Case, Event, Exhibit, Identifier, IntelReport, Marker
from workbench.store import Store


def shown_identifier(ident: Identifier) -> str:
    """How an identifier is written for people: phones in UK style, others as received."""
    return display_phone(ident.value) if ident.kind == "phone" else ident.display


def case_exists(store: Store, ref: str) -> bool:
    """Whether the store holds a case with this reference (that this user may see)."""
    with store.reader() as session:
        return session.scalar(select(Case.id).where(Case.ref == ref)) is not None


def store_cases(store: Store) -> list[dict[str, Any]]:
    """The store's cases, as the case list shows them (:func:`list_cases`)."""
    with store.reader() as session:
        return list_cases(session)


def list_cases(session: Session) -> list[dict[str, Any]]:
    cases = session.scalars(select(Case).order_by(Case.ref)).all()
    return [{"ref": c.ref, "title": c.title, "classification": c.classification,
             "status": c.status, "opened": c.opened.isoformat() if c.opened else None}
            for c in cases]


def unresolved_identifiers(session: Session, case: Case,
                           counts: Mapping[int, int] | None = None) -> list[dict[str, Any]]:
    """Identifiers with no person yet, with how many events each appears in, most first.

    ``counts`` (identifier id -> events) is taken from the timeline when it was just
    read; otherwise counted with two grouped scans (senders, recipients) rather than a
    join on "from OR to", which grows with identifiers x events.
    """
    if counts is None:
        counted: Counter[int] = Counter()
        for column in (Event.from_id, Event.to_id):
            # The query drops NULL ids, which the column's Optional type cannot show.
            id_counts = cast(Sequence[tuple[int, int]], session.execute(
                select(column, func.count()).where(Event.case_id == case.id, column.is_not(None))
                .group_by(column)).all())
            counted.update(dict(id_counts))
        counts = counted
    idents = session.scalars(select(Identifier).where(
        Identifier.case_id == case.id, Identifier.person_id.is_(None))).all()
    rows = [{"id": i.id, "kind": i.kind, "value": i.value, "display": shown_identifier(i),
             "events": counts.get(i.id, 0)} for i in idents]
    return sorted(rows, key=lambda row: (-row["events"], row["id"]))


def case_overview(session: Session, case: Case) -> dict[str, Any]:
    """The ``case show --json`` document (fields may be added, never renamed)."""
    people = [{
        "key": p.key, "name": p.name, "role": p.role, "cipher": p.cipher, "collar": p.collar,
        "vulnerabilities": list(p.vulnerabilities or []),
        "identifiers": [{"kind": i.kind, "value": i.value, "display": i.display, "use": i.use}
                        for i in p.identifiers],
    } for p in case.people]
    exhibits = [{
        "reference": x.reference, "file_name": x.file_name, "sha256": x.sha256, "kind": x.kind,
        "records": x.record_count, "size": x.size, "producer": x.producer,
        "imported_at": x.imported_at.isoformat(),
        "warnings": (x.warnings or "").splitlines(),
    } for x in case.exhibits]
    count = lambda model: session.scalar(  # noqa: E731
        select(func.count()).select_from(model).where(model.case_id == case.id))
    unresolved = session.scalar(select(func.count()).select_from(Identifier).where(
        Identifier.case_id == case.id, Identifier.person_id.is_(None)))
    return {
        "ref": case.ref, "title": case.title, "classification": case.classification,
        "timezone": case.timezone, "status": case.status,
        "opened": case.opened.isoformat() if case.opened else None,
        "people": people, "exhibits": exhibits,
        "markers_out_of_date": evidence_changed_since_analysis(session, case),
        "counts": {"events": count(Event), "unresolved_identifiers": unresolved,
                   "intel_reports": count(IntelReport), "markers": count(Marker),
                   "exhibits": count(Exhibit)},
    }
