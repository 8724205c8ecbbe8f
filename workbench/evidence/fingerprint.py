"""Fingerprints of what an import derived from an exhibit, to detect later edits.

At import the pipeline records, in the audit chain, a SHA-256 over every event
it wrote (in the order written) and over the other records (shifts, reports,
complaints). ``workbench verify`` recomputes them from the database, so an
event edited, inserted or deleted behind the application's back is noticed.
Channel and direction are left out: assigning an identifier legitimately
derives them again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.model import Complaint, DutyShift, Event, IntelReport

# Positions in an EventWriter row (EVENT_COLUMNS order) that the fingerprint covers.
FINGERPRINTED = (2, 3, 4, 5, 8, 9, 10, 11, 12, 13, 14, 15)


def _time(value: Any) -> str:
    if isinstance(value, str):
        return value  # already the stored text form
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return f"{value:%Y-%m-%d %H:%M:%S}.{value.microsecond:06d}"


def _number(value: Any) -> str:
    return "" if value is None else repr(float(value))


def event_line(position: Any, occurred_at: Any, ambiguous: Any, kind: Any, from_id: Any,
               to_id: Any, duration: Any, status: Any, text: Any, media: Any, lat: Any,
               lon: Any) -> bytes:
    """One event's canonical bytes, the same whether read from a row or the database."""
    parts = (
        str(position), _time(occurred_at), "1" if ambiguous else "0", str(kind),
        "" if from_id is None else str(from_id), "" if to_id is None else str(to_id),
        _number(duration), status or "", text or "", media or "", _number(lat), _number(lon),
    )
    return ("\x1f".join(parts) + "\x1e").encode("utf-8", "surrogatepass")


def update_with_rows(digest: Any, rows: Iterable[tuple[Any, ...]]) -> None:
    """Add EventWriter rows (EVENT_COLUMNS order) to a running SHA-256."""
    for row in rows:
        digest.update(event_line(*(row[i] for i in FINGERPRINTED)))


def events_digest(session: Session, exhibit_id: int) -> str:
    """The fingerprint of an exhibit's events as they are in the database now."""
    digest = hashlib.sha256()
    rows = session.execute(
        select(Event.source_position, Event.occurred_at, Event.time_ambiguous, Event.kind,
               Event.from_id, Event.to_id, Event.duration_s, Event.status, Event.text,
               Event.media, Event.lat, Event.lon)
        .where(Event.exhibit_id == exhibit_id).order_by(Event.id)
        .execution_options(yield_per=20_000)
    )
    for row in rows:
        # mypy cannot spread a Row of more than ten typed columns into parameters.
        digest.update(event_line(*cast(tuple[Any, ...], row)))
    return digest.hexdigest()


def records_digest(session: Session, exhibit_id: int) -> str:
    """The fingerprint of an exhibit's duty shifts, intelligence reports and complaints."""
    digest = hashlib.sha256()
    for model, columns in (
        (DutyShift, ("source_position", "person_id", "start", "end", "duty_type", "on_duty")),
        (IntelReport, ("source_position", "urn", "submitted", "scheme", "source_grade",
                       "intelligence_grade", "handling_code", "conditions", "text")),
        (Complaint, ("source_position", "reference", "received", "category", "outcome")),
    ):
        query = select(*(getattr(model, c) for c in columns)).where(
            model.exhibit_id == exhibit_id).order_by(model.id)
        for row in session.execute(query):
            digest.update(("\x1f".join(_plain(v) for v in row) + "\x1e").encode("utf-8"))
    return digest.hexdigest()


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return _time(value)
    return str(value)
