"""Fast bulk writing of events, and the fingerprint of what was written.

The ORM's per-row work is too slow for a million billing rows, so events are
written as plain tuples through the driver (one prepared statement,
executemany) in the caller's transaction. The writer also keeps a SHA-256 over
the rows in the order written; :mod:`workbench.evidence.fingerprint` computes
the same over the rows as they are in the database, to notice later edits.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

EVENT_COLUMNS = (
    "case_id", "exhibit_id", "source_position", "occurred_at", "time_ambiguous", "kind",
    "channel", "direction", "from_id", "to_id", "duration_s", "status", "text", "media",
    "lat", "lon", "date_only",
)
OCCURRED_AT = EVENT_COLUMNS.index("occurred_at")
DAY_FIELD = "\x1fday"  # in the fingerprint of a record known only to the day


def sqlite_timestamp(moment: datetime) -> str:
    """An aware time in the text form SQLAlchemy's SQLite DateTime stores (naive UTC)."""
    if moment.tzinfo is UTC:  # the common case, done in C: drop the "+00:00"
        return moment.isoformat(" ", "microseconds")[:26]
    utc = moment.astimezone(UTC)
    return (
        f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d} "
        f"{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}.{utc.microsecond:06d}"
    )


def time_text(value: datetime | str) -> str:
    """A time as stored text: aware times in UTC, naive ones taken as UTC already."""
    if isinstance(value, str):
        return value
    if value.tzinfo is None:
        return value.isoformat(" ", "microseconds")
    return sqlite_timestamp(value)


def update_with_rows(digest: Any, rows: Iterable[Sequence[Any]]) -> None:
    """Add events to a running SHA-256: rows in ``EVENT_COLUMNS`` order, as written or as read.

    Each event becomes one line of its fields (case, exhibit, channel and direction
    left out) joined by the ASCII unit separator and ended by the record separator;
    numbers are written as floats, so a duration written as ``3`` and read back as
    ``3.0`` fingerprint alike. A record known only to the day adds a last field
    (``day``); a timed one adds none, so fingerprints recorded before that field
    existed still match. One comprehension per batch: this runs for every row of a
    million-row import.
    """
    lines = [
        f"{position}\x1f{at if at.__class__ is str else time_text(at)}\x1f{'1' if ambiguous else '0'}"
        f"\x1f{kind}\x1f{'' if from_id is None else from_id}\x1f{'' if to_id is None else to_id}"
        f"\x1f{'' if duration is None else repr(float(duration))}\x1f{status or ''}"
        f"\x1f{text or ''}\x1f{media or ''}\x1f{'' if lat is None else repr(float(lat))}"
        f"\x1f{'' if lon is None else repr(float(lon))}{DAY_FIELD if date_only else ''}\x1e"
        for (_case, _exhibit, position, at, ambiguous, kind, _channel, _direction, from_id, to_id,
             duration, status, text, media, lat, lon, date_only) in rows
    ]
    digest.update("".join(lines).encode("utf-8", "surrogatepass"))


class EventWriter:
    """Buffers event rows (tuples in ``EVENT_COLUMNS`` order) and writes them in batches."""

    def __init__(self, session: Session, batch: int = 20_000) -> None:
        self.session = session
        self.batch = batch
        self.rows: list[tuple[Any, ...]] = []
        self.written = 0
        self.digest = hashlib.sha256()  # fingerprint of everything written, in order
        connection = session.connection()
        self.dialect = connection.dialect.name
        # psycopg 3 streams rows with COPY, several times faster than INSERTs on PostgreSQL.
        # COPY is refused to a role under row-level security (an investigator on a
        # shared store): such a role writes with INSERTs.
        self.copies = connection.dialect.driver == "psycopg" and not connection.exec_driver_sql(
            "SELECT row_security_active('events')").scalar()
        marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
        self.statement = (
            f"INSERT INTO events ({', '.join(EVENT_COLUMNS)}) "
            f"VALUES ({', '.join([marker] * len(EVENT_COLUMNS))})"
        )

    def stamp(self, moment: datetime) -> Any:
        """An aware time as this dialect's ``occurred_at`` parameter."""
        if self.dialect == "sqlite":
            return sqlite_timestamp(moment)
        return moment.astimezone(UTC).replace(tzinfo=None)

    def add_prepared(self, row: tuple[Any, ...]) -> None:
        """Add a row whose ``occurred_at`` has already been through :meth:`stamp`."""
        rows = self.rows
        rows.append(row)
        if len(rows) >= self.batch:
            self.flush()

    def add(self, row: Sequence[Any]) -> None:
        """Add a row in ``EVENT_COLUMNS`` order; ``date_only``, the last, may be left off
        (a timed record)."""
        rows = self.rows
        rows.append(self._prepare(row))
        if len(rows) >= self.batch:
            self.flush()

    def _prepare(self, row: Sequence[Any]) -> tuple[Any, ...]:
        row = tuple(row)
        timed = (False,) if len(row) == len(EVENT_COLUMNS) - 1 else ()
        return (*row[:OCCURRED_AT], self.stamp(row[OCCURRED_AT]), *row[OCCURRED_AT + 1:], *timed)

    def flush(self) -> None:
        if not self.rows:
            return
        connection = self.session.connection()
        if self.copies:
            cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            with cursor.copy(f"COPY events ({', '.join(EVENT_COLUMNS)}) FROM STDIN") as copy:
                for row in self.rows:
                    copy.write_row(row)
        else:
            connection.exec_driver_sql(self.statement, self.rows)
        update_with_rows(self.digest, self.rows)
        self.written += len(self.rows)
        self.rows.clear()
