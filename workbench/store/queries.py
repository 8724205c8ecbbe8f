"""Reading a case from the store: the queries every part of the core shares.

``find_case`` (one case by reference, locked for writers on PostgreSQL),
``current_markers`` (the markers of the latest analysis), ``epoch_seconds``
(a stored UTC time as integer epoch seconds computed by the database, so a
million events never become a million Python datetimes), ``row_slices`` and
``read_columns`` (a big query's rows in slices, or its columns as arrays).

The store imports nothing above it. What the layers above do when a case is found
or refused (the audit chain notes records changed outside the application; a
shared store records a refused open) they register here when they are imported:
:func:`when_taken_for_writing` and :func:`when_refused`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np
from sqlalchemy import BigInteger, Integer, cast, func, select
from sqlalchemy.orm import Session, raiseload, selectinload

from workbench.errors import NotFound
from workbench.model import Case, Marker

CaseHook = Callable[[Session, Case], None]
RefusalHook = Callable[[Session, str], None]
_taken_for_writing: list[CaseHook] = []
_refused: list[RefusalHook] = []


def when_taken_for_writing(hook: CaseHook) -> CaseHook:
    """Call ``hook(session, case)`` whenever a writing session finds a case (before any
    write of its own); registered by :mod:`workbench.audit`."""
    if hook not in _taken_for_writing:
        _taken_for_writing.append(hook)
    return hook


def when_refused(hook: RefusalHook) -> RefusalHook:
    """Call ``hook(session, ref)`` whenever no case the caller may open has ``ref``
    (before :class:`NotFound` is raised); registered by :mod:`workbench.shared.users`."""
    if hook not in _refused:
        _refused.append(hook)
    return hook


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
    if case is None:
        for refused in _refused:
            refused(session, ref)
        raise NotFound(f"no case {ref!r}")
    if session.info.get("writing"):
        for taken in _taken_for_writing:
            taken(session, case)
    return case


def current_markers(session: Session, case: Case) -> list[Marker]:
    """The case's markers from the latest analysis, in time order, with their people.

    Their supporting records are not loaded (a marker can have tens of thousands):
    :func:`workbench.timeline.load_marker_spans` gives the ids and counts, and
    :func:`workbench.conversation.marker_records` the records themselves.
    """
    return list(session.scalars(
        select(Marker).where(Marker.case_id == case.id, Marker.current.is_(True))
        .options(raiseload(Marker.evidence), selectinload(Marker.subject),
                 selectinload(Marker.member))
        .order_by(Marker.start, Marker.id)))


def epoch_seconds(session: Session, column: Any) -> Any:
    """SQL for a stored UTC time as integer epoch seconds, skipping Python datetimes."""
    if session.get_bind().dialect.name == "sqlite":
        if sqlite3.sqlite_version_info >= (3, 38):
            return func.unixepoch(column)  # an integer already, and faster than strftime
        return cast(func.strftime("%s", column), Integer)
    return cast(func.extract("epoch", column), BigInteger)


READ_SLICE = 20_000  # rows fetched (and converted) at a time


def row_slices(session: Session, statement: Any) -> Iterator[Sequence[Any]]:
    """The statement's rows as the driver gives them, ``READ_SLICE`` at a time.

    The driver's own rows, from the connection: the ORM session would fetch every row
    first, and result rows cost an object each. Converting a slice at a time keeps a
    worker from holding the interpreter lock for seconds over a million rows.
    """
    cursor = session.connection().execute(statement).cursor
    while rows := cursor.fetchmany(READ_SLICE):
        yield rows


def read_columns(session: Session, statement: Any, dtypes: Sequence[Any]) -> list[np.ndarray]:
    """The statement's columns as arrays of ``dtypes``, one per column (read in slices,
    :func:`row_slices`, each turned into one record array: no tuple per column)."""
    names = [f"c{n}" for n in range(len(dtypes))]
    record = np.dtype(list(zip(names, dtypes, strict=True)))
    slices = [np.array(rows, dtype=record) for rows in row_slices(session, statement)]
    rows = np.concatenate(slices) if slices else np.zeros(0, record)
    return [np.ascontiguousarray(rows[name]) for name in names]
