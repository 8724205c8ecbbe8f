"""The subject's rostered duty, as the views need it: on, off or not rostered at a moment."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.model import Case, DutyShift, Person


@dataclass(frozen=True)
class Shift:
    start: int  # epoch seconds, UTC
    end: int
    on_duty: bool


def subject_shifts(session: Session, case: Case) -> list[Shift]:
    """Every roster entry of the case's subject(s), in time order."""
    rows = session.execute(
        select(DutyShift.start, DutyShift.end, DutyShift.on_duty).join(DutyShift.person)
        .where(DutyShift.case_id == case.id, Person.role == "subject").order_by(DutyShift.start)
    ).all()
    return [Shift(int(start.timestamp()), int(end.timestamp()), bool(on)) for start, end, on in rows]


def duty_states(shifts: list[Shift], epoch: np.ndarray) -> np.ndarray:
    """'on', 'off' or 'unknown' (no roster entry) for each moment."""
    states = np.full(len(epoch), "unknown", dtype=object)
    for shift in shifts:
        inside = (epoch >= shift.start) & (epoch < shift.end)
        states[inside] = "on" if shift.on_duty else "off"
    return states
