"""Checking a store: the audit chains, and every stored exhibit file against its hash."""

from __future__ import annotations

from sqlalchemy import select

from workbench import audit
from workbench.model import Case, Exhibit
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
