"""Checking a store: the audit chains, and every stored exhibit file against its hash."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench import audit
from workbench.evidence.fingerprint import events_digest, records_digest
from workbench.model import AuditEntry, Case, Exhibit
from workbench.store import Store


def verify_audit(store: Store, case_ref: str | None = None) -> list[str]:
    """Problems in the audit chain(s), as sentences; empty when intact."""
    with store.reader() as session:
        return [str(problem) for problem in audit.verify(session, case_ref)]


def verify_exhibits(store: Store, case_ref: str | None = None) -> list[str]:
    """Stored exhibit files that changed or vanished."""
    problems = []
    with store.reader() as session:
        query = select(Exhibit, Case.ref).join(Case, Case.id == Exhibit.case_id)
        if case_ref:
            query = query.where(Case.ref == case_ref)
        for exhibit, ref in session.execute(query.order_by(Case.ref, Exhibit.id)):
            problem = store.files.check(exhibit.sha256)
            if problem:
                problems.append(f"case {ref}: exhibit {exhibit.reference} ({exhibit.file_name}): {problem}")
    return problems


def verify_leftovers(store: Store) -> list[str]:
    """Stored evidence files that no exhibit in the store refers to (an interrupted import)."""
    with store.reader() as session:
        referenced = set(session.scalars(select(Exhibit.sha256)))
    return [f"stored file {sha} is referenced by no exhibit (left by an interrupted import?): "
            f"{store.files.path_for(sha)}" for sha in store.files.unreferenced(referenced)]


def verify_exhibit_records(store: Store, case_ref: str | None = None) -> list[str]:
    """Exhibit rows and their derived records against what the audit chain says was imported.

    Detects an exhibit row edited, inserted or deleted directly in the database,
    and events, shifts, reports or complaints changed, added or removed.
    """
    problems = []
    with store.reader() as session:
        query = select(Case).order_by(Case.ref)
        if case_ref:
            query = query.where(Case.ref == case_ref)
        for case in session.scalars(query):
            problems += _check_case_exhibits(session, case)
    return problems


def _check_case_exhibits(session: Session, case: Case) -> list[str]:
    imported: dict[str, dict[str, Any]] = {}
    # In chain order: an exhibit read again (--replace) is checked against its latest
    # reading, a withdrawn one against its withdrawal (nothing derived from it left).
    for details in session.scalars(select(AuditEntry.details).where(
            AuditEntry.case_ref == case.ref, AuditEntry.action.in_(("import", "withdraw")))
            .order_by(AuditEntry.sequence)):
        record = json.loads(details)
        imported[record["exhibit"]] = record
    problems = []
    where = f"case {case.ref}"
    for exhibit in session.scalars(select(Exhibit).where(Exhibit.case_id == case.id)):
        record = imported.pop(exhibit.reference, None)
        if record is None:
            problems.append(f"{where}: exhibit {exhibit.reference} has no import in the audit chain "
                            "(added outside the application?)")
            continue
        for field, value in (("sha256", exhibit.sha256), ("file", exhibit.file_name),
                             ("kind", exhibit.kind), ("records", exhibit.record_count),
                             ("size", exhibit.size)):
            if field in record and record[field] != value:
                problems.append(f"{where}: exhibit {exhibit.reference}: {field} is {value!r} but "
                                f"{record[field]!r} was imported (edited?)")
        if "events_sha256" in record and events_digest(session, exhibit.id) != record["events_sha256"]:
            problems.append(f"{where}: exhibit {exhibit.reference}: its events differ from those "
                            "imported (edited, added or deleted)")
        if "records_sha256" in record and records_digest(session, exhibit.id) != record["records_sha256"]:
            problems.append(f"{where}: exhibit {exhibit.reference}: its shifts, reports or complaints "
                            "differ from those imported")
    for reference in sorted(imported):
        problems.append(f"{where}: exhibit {reference} was imported but is no longer in the store "
                        "(deleted?)")
    return problems
