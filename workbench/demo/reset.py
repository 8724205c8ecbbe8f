"""Removing the demo case, rows and audit chain included, so it can be rebuilt.

This is the only place the workbench deletes a case. It is refused for any
ref other than the demo's: a real case's evidence and audit chain are never
removed by software. Exhibit files stay in the content-addressed store (other
cases may hold the same file; a rebuild reuses them).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Table, delete, select
from sqlalchemy.orm import Session

from workbench.demo.scenario import DEMO_REF
from workbench.errors import WorkbenchError
from workbench.model import AuditEntry, Base, Case
from workbench.store import Store


def _rows_of_case(table: Table, case_id: int,
                  owned: dict[str, Table]) -> ColumnElement[bool] | None:
    """A condition selecting the case's rows in ``table``, or None if it has no link to cases."""
    if "case_id" in table.c:
        return table.c.case_id == case_id
    for column in table.c:
        for key in column.foreign_keys:
            parent = key.column.table
            if parent.name in owned:
                return column.in_(select(key.column).where(parent.c.case_id == case_id))
    return None


def remove_demo_case(store: Store, ref: str = DEMO_REF) -> bool:
    """Delete the demo case and everything in it (its audit chain too, but on PostgreSQL);
    False if absent."""
    if ref != DEMO_REF:
        raise WorkbenchError(f"only the demo case ({DEMO_REF}) can be removed, not {ref}")
    with store.session() as session:
        case_id = session.scalar(select(Case.id).where(Case.ref == ref))
        if case_id is None:
            return False
        _delete_rows(session, case_id)
        # A shared (PostgreSQL) store's audit is append-only for everyone: there the
        # rebuilt demo case carries on the same chain.
        if store.dialect != "postgresql":
            session.execute(delete(AuditEntry).where(AuditEntry.case_ref == ref))
    return True


def _delete_rows(session: Session, case_id: int) -> None:
    # Children before parents: reverse dependency order of every table the
    # model knows, so tables added later are covered without editing this.
    tables = list(reversed(Base.metadata.sorted_tables))
    owned = {t.name: t for t in tables if "case_id" in t.c}
    for table in tables:
        if table.name in ("cases", AuditEntry.__tablename__):
            continue
        condition = _rows_of_case(table, case_id, owned)
        if condition is not None:
            session.execute(delete(table).where(condition))
    session.execute(delete(Case.__table__).where(Case.id == case_id))
