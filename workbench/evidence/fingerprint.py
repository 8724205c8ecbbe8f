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
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.model import Complaint, DutyShift, Event, IntelReport
from workbench.store.bulk import EVENT_COLUMNS, time_text, update_with_rows


def events_digest(session: Session, exhibit_id: int) -> str:
    """The fingerprint of an exhibit's events as they are in the database now."""
    digest = hashlib.sha256()
    rows = session.execute(
        select(*(getattr(Event, name) for name in EVENT_COLUMNS))
        .where(Event.exhibit_id == exhibit_id).order_by(Event.id)
        .execution_options(yield_per=20_000)
    )
    for batch in rows.partitions():
        update_with_rows(digest, batch)
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
        return time_text(value)
    return str(value)
