"""On or off duty: the one definition, used by the rules, discovery, the chart and the timeline.

Duty is the SUBJECT's (the case's officer or officers under investigation): a
colleague's rest day says nothing about the subject. By the roster, a moment is
on duty inside a rostered shift (with ``grace_minutes`` either side), off duty
inside a rest day or leave entry or between two entries closer together than
``roster_gap_hours``, and unknown anywhere else -- a gap in the roster, or before
or after it -- because a missing roster says nothing. Both thresholds are in
``resources/rules.toml`` ``[off_duty_contact]``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.model import Case, DutyShift, Person

ON_DUTY, OFF_DUTY, UNKNOWN_DUTY = 1, 0, -1


@dataclass(frozen=True)
class DutyThresholds:
    grace_s: float
    roster_gap_s: float

    @staticmethod
    def from_rules() -> DutyThresholds:
        """The thresholds of ``resources/rules.toml`` ``[off_duty_contact]``."""
        from workbench.analysis.settings import load_settings

        return DutyThresholds.of(load_settings())

    @staticmethod
    def of(settings) -> DutyThresholds:  # type: ignore[no-untyped-def]
        return DutyThresholds(settings.number("off_duty_contact", "grace_minutes") * 60,
                              settings.number("off_duty_contact", "roster_gap_hours") * 3600)


def duty_status(starts: np.ndarray, ends: np.ndarray, on: np.ndarray, times: np.ndarray,
                thresholds: DutyThresholds) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(status, entry, between)`` for each time, from one person's roster entries.

    ``starts``, ``ends`` (epoch seconds) and ``on`` (bool) are the entries in start
    order. ``status`` is ON_DUTY, OFF_DUTY or UNKNOWN_DUTY; ``entry`` the index of
    the entry that decided it (-1 when none); ``between`` is True where the time
    falls in a short gap between two entries.
    """
    size = times.shape[0]
    status = np.full(size, UNKNOWN_DUTY, dtype=np.int8)
    entry = np.full(size, -1, dtype=np.int64)
    between = np.zeros(size, dtype=bool)
    if len(starts) == 0 or size == 0:
        return status, entry, between
    # Between two entries: off duty when the stretch is short, unknown when long.
    previous = np.searchsorted(starts, times, side="right") - 1
    latest_end = np.maximum.accumulate(ends)
    has_previous = previous >= 0
    prev_end = np.where(has_previous, latest_end[np.clip(previous, 0, None)], np.iinfo(np.int64).min)
    following = np.clip(previous + 1, 0, len(starts) - 1)
    has_next = previous + 1 < len(starts)
    next_start = np.where(has_next, starts[following], np.iinfo(np.int64).max)
    short_gap = (has_previous & has_next & (times > prev_end)
                 & ((next_start - prev_end) <= thresholds.roster_gap_s))
    status[short_gap] = OFF_DUTY
    between[short_gap] = True
    entry[short_gap] = np.clip(previous, 0, None)[short_gap]
    # Explicit off-duty entries (rest days, leave), then rostered shifts on top.
    for wanted, margin, code in ((False, 0.0, OFF_DUTY), (True, thresholds.grace_s, ON_DUTY)):
        chosen = np.flatnonzero(on == wanted)
        if chosen.size == 0:
            continue
        begin = starts[chosen] - margin  # already in start order
        finish = np.maximum.accumulate(ends[chosen] + margin)
        at = np.searchsorted(begin, times, side="right") - 1
        inside = (at >= 0) & (times <= finish[np.clip(at, 0, None)])
        status[inside] = code
        entry[inside] = chosen[at[inside]]
        between[inside] = False
    return status, entry, between


def subject_duty(session: Session, case: Case, times: np.ndarray,
                 thresholds: DutyThresholds | None = None) -> np.ndarray:
    """ON_DUTY, OFF_DUTY or UNKNOWN_DUTY of the case's subject at each epoch time.

    With several subjects, a time is off duty when it is off duty for any of them
    and on duty for none (a case with more than one subject is rare).
    """
    thresholds = thresholds or DutyThresholds.from_rules()
    result = np.full(times.shape[0], UNKNOWN_DUTY, dtype=np.int8)
    for subject in case.subjects:
        starts, ends, on = _roster(session, case, subject.id)
        status, _entry, _between = duty_status(starts, ends, on, times.astype(np.int64), thresholds)
        result = np.where(status == ON_DUTY, ON_DUTY,
                          np.where((status == OFF_DUTY) & (result != ON_DUTY), OFF_DUTY, result))
    return result.astype(np.int8)


def duty_spans(starts: np.ndarray, ends: np.ndarray, on: np.ndarray,
               thresholds: DutyThresholds) -> tuple[np.ndarray, np.ndarray]:
    """``(on_spans, off_spans)``: the periods :func:`duty_status` calls on and off duty.

    The status only changes at an entry's edges (with or without the grace), so it
    is evaluated once between each pair of neighbouring edges and equal runs merged:
    the timeline draws exactly what the rules decide.
    """
    empty = np.zeros((0, 2), np.int64)
    if len(starts) == 0:
        return empty, empty
    grace = int(thresholds.grace_s)
    edges = np.unique(np.concatenate([starts, ends, starts - grace, ends + grace]))
    middles = (edges[:-1] + edges[1:]) // 2
    status, _entry, _between = duty_status(starts, ends, on, middles, thresholds)
    spans: dict[int, list[tuple[int, int]]] = {ON_DUTY: [], OFF_DUTY: []}
    for index, code in enumerate(status.tolist()):
        if code == UNKNOWN_DUTY:
            continue
        run = spans[code]
        if run and run[-1][1] == int(edges[index]):
            run[-1] = (run[-1][0], int(edges[index + 1]))
        else:
            run.append((int(edges[index]), int(edges[index + 1])))
    return (np.array(spans[ON_DUTY], np.int64).reshape(-1, 2),
            np.array(spans[OFF_DUTY], np.int64).reshape(-1, 2))


def subject_duty_spans(session: Session, case: Case,
                       thresholds: DutyThresholds | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The subject's on- and off-duty periods, for drawing (see :func:`duty_spans`)."""
    thresholds = thresholds or DutyThresholds.from_rules()
    on_parts, off_parts = [], []
    for subject in case.subjects:
        starts, ends, on = _roster(session, case, subject.id)
        on_spans, off_spans = duty_spans(starts, ends, on, thresholds)
        on_parts.append(on_spans)
        off_parts.append(off_spans)
    empty = np.zeros((0, 2), np.int64)
    return (np.concatenate(on_parts) if on_parts else empty,
            np.concatenate(off_parts) if off_parts else empty)


def _roster(session: Session, case: Case, person_id: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rows = session.execute(
        select(DutyShift.start, DutyShift.end, DutyShift.on_duty)
        .where(DutyShift.case_id == case.id, DutyShift.person_id == person_id)
        .order_by(DutyShift.start, DutyShift.id)).all()
    return (np.array([int(r.start.timestamp()) for r in rows], dtype=np.int64),
            np.array([int(r.end.timestamp()) for r in rows], dtype=np.int64),
            np.array([bool(r.on_duty) for r in rows], dtype=bool))


@dataclass(frozen=True)
class Shift:
    """One roster entry of the subject (epoch seconds, UTC), as the activity matrix draws it."""

    start: int
    end: int
    on_duty: bool


def subject_shifts(session: Session, case: Case) -> list[Shift]:
    """Every roster entry of the case's subject(s), in time order."""
    rows = session.execute(
        select(DutyShift.start, DutyShift.end, DutyShift.on_duty).join(DutyShift.person)
        .where(DutyShift.case_id == case.id, Person.role == "subject").order_by(DutyShift.start)
    ).all()
    return [Shift(int(start.timestamp()), int(end.timestamp()), bool(on)) for start, end, on in rows]
