"""Reading a case from the store: the queries every part of the core shares.

``find_case`` (one case by reference, locked for writers on PostgreSQL),
``current_markers`` (the markers of the latest analysis) and ``epoch_seconds``
(a stored UTC time as integer epoch seconds computed by the database, so a
million events never become a million Python datetimes).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import BigInteger, Integer, cast, func, select
from sqlalchemy.orm import Session, selectinload

from workbench.errors import NotFound
from workbench.model import Case, Marker


def find_case(session: Session, ref: str) -> Case:
    """The case with this reference, or :class:`NotFound`.

    In a writing session (``Store.session()``) the case row is locked first on
    PostgreSQL, so concurrent writers to one case queue up in one order: two imports
    never pick the same exhibit reference, and no two writers deadlock.
    """
    query = select(Case).where(Case.ref == ref)
    if session.info.get("writing") and session.get_bind().dialect.name != "sqlite":
        query = query.with_for_update()
    case = session.scalars(query).first()
    # Imported here: recording a refusal and noting outside edits are the audit chain's.
    from workbench import audit
    from workbench.shared.users import record_hidden_case

    if case is None:
        record_hidden_case(session, ref)  # a shared store's refusal goes in the audit chain
        raise NotFound(f"no case {ref!r}")
    if session.info.get("writing"):
        audit.note_outside_changes(session, case)  # recorded before this writer's own entry
    return case


def current_markers(session: Session, case: Case) -> list[Marker]:
    """The case's markers from the latest analysis, in time order, with evidence and people."""
    return list(session.scalars(
        select(Marker).where(Marker.case_id == case.id, Marker.current.is_(True))
        .options(selectinload(Marker.evidence), selectinload(Marker.subject),
                 selectinload(Marker.member))
        .order_by(Marker.start, Marker.id)))


def epoch_seconds(session: Session, column: Any) -> Any:
    """SQL for a stored UTC time as integer epoch seconds, skipping Python datetimes."""
    if session.get_bind().dialect.name == "sqlite":
        if sqlite3.sqlite_version_info >= (3, 38):
            return func.unixepoch(column)  # an integer already, and faster than strftime
        return cast(func.strftime("%s", column), Integer)
    return cast(func.extract("epoch", column), BigInteger)
