"""The activity matrix: contact by hour of day and day of week, against the officer's roster.

Qt-free: :func:`activity_matrix` counts the contact between the subject and one member of
the public (or everyone), in the case's local time, and says for each hour-of-week how
often the subject was rostered on duty then. The app's matrix view and the bundle draw it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from workbench.anonymise import Anonymiser
from workbench.duty import Shift, subject_shifts
from workbench.errors import WorkbenchError
from workbench.model import Case, Event, Identifier, Marker
from workbench.store import Store
from workbench.store.queries import epoch_seconds, find_case, read_columns
from workbench.timeutil import zone

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
NOT_CONTACT = ("vehicle_position", "vehicle_stop")  # the vehicle's movements are the map's
MATRIX_RULES = ("off_duty_contact", "unsocial_hours")  # the bundle prints a matrix by these
USUALLY_ON_DUTY = 0.5  # rostered on in at least half the weeks: drawn as duty


@dataclass
class ActivityMatrix:
    """Counts (7 days x 24 hours, Monday first, local time) and the records in each cell."""

    title: str
    counts: np.ndarray
    on_duty: np.ndarray  # share of the weeks in which the subject was rostered on, per cell
    cells: dict[tuple[int, int], list[int]] = field(default_factory=dict)  # (day, hour) -> event ids
    marking: str = ""

    @property
    def total(self) -> int:
        return int(self.counts.sum())

    def records(self, day: int, hour: int) -> list[int]:
        """The events counted in one cell, in time order."""
        return self.cells.get((day, hour), [])


def local_day_hour(epoch: np.ndarray, tz_name: str) -> tuple[np.ndarray, np.ndarray]:
    """Weekday (Monday 0) and hour of each moment in the zone (one offset look-up an hour)."""
    if epoch.size == 0:
        return np.array([], dtype=np.int64), np.array([], dtype=np.int64)
    tz = zone(tz_name)
    hours, inverse = np.unique(epoch // 3600, return_inverse=True)
    offsets = np.array([int(datetime.fromtimestamp(int(h) * 3600, tz=UTC).astimezone(tz)
                            .utcoffset().total_seconds()) for h in hours], dtype=np.int64)  # type: ignore[union-attr]
    local = epoch + offsets[inverse]
    days_since_epoch = local // 86400
    return (days_since_epoch + 3) % 7, (local % 86400) // 3600  # 1 Jan 1970 was a Thursday


def duty_share(shifts: list[Shift], start: int, end: int, tz_name: str) -> np.ndarray:
    """For each hour of the week, the share of its occurrences in [start, end) rostered on."""
    share = np.zeros((7, 24))
    if end <= start:
        return share
    hours = np.arange(start - start % 3600, end, 3600, dtype=np.int64)
    on = np.zeros(hours.size, dtype=bool)
    for shift in shifts:
        if shift.on_duty:
            on |= (hours >= shift.start) & (hours < shift.end)
    day, hour = local_day_hour(hours, tz_name)
    slots = np.zeros((7, 24))
    np.add.at(slots, (day, hour), 1)
    np.add.at(share, (day[on], hour[on]), 1)
    return np.divide(share, slots, out=np.zeros_like(share), where=slots > 0)


def activity_matrix(session: Session, case: Case, anonymiser: Anonymiser, *,
                    member_key: str | None = None, start: int | None = None,
                    end: int | None = None) -> ActivityMatrix:
    """Contact between the subject and ``member_key`` (everyone when None) in [start, end]."""
    subjects = [p.id for p in case.people if p.role == "subject"]
    own = select(Identifier.id).where(Identifier.person_id.in_(subjects))
    query = select(Event.id, epoch_seconds(session, Event.occurred_at)).where(
        Event.case_id == case.id, Event.kind.not_in(NOT_CONTACT),
        or_(Event.from_id.in_(own), Event.to_id.in_(own)))
    who = "all contact"
    if member_key is not None:
        member = case.person(member_key)
        if member is None:
            raise WorkbenchError(f"{case.ref}: no person with key {member_key!r}")
        theirs = select(Identifier.id).where(Identifier.person_id == member.id)
        query = query.where(or_(Event.from_id.in_(theirs), Event.to_id.in_(theirs)))
        who = f"contact with {anonymiser.person(member)}"
    if start is not None:
        query = query.where(Event.occurred_at >= datetime.fromtimestamp(start, tz=UTC))
    if end is not None:
        query = query.where(Event.occurred_at <= datetime.fromtimestamp(end, tz=UTC))
    ids, epoch = read_columns(session, query.order_by(Event.occurred_at, Event.id), (np.int64, np.int64))
    day, hour = local_day_hour(epoch, case.timezone)
    counts = np.zeros((7, 24), dtype=np.int64)
    np.add.at(counts, (day, hour), 1)
    cell = day.astype(np.int64) * 24 + hour
    order = np.argsort(cell, kind="stable")  # time order kept within each cell
    bounds = np.searchsorted(cell[order], np.arange(7 * 24 + 1))
    cells = {(n // 24, n % 24): ids[order[bounds[n]:bounds[n + 1]]].tolist()
             for n in range(7 * 24) if bounds[n + 1] > bounds[n]}
    shifts = subject_shifts(session, case)
    first = start if start is not None else int(epoch.min()) if epoch.size else 0
    last = end if end is not None else int(epoch.max()) + 1 if epoch.size else 0
    if shifts:  # weeks outside the roster say nothing about the duty pattern
        first, last = max(first, min(s.start for s in shifts)), min(last, max(s.end for s in shifts))
    officer = next((p for p in case.people if p.role == "subject"), None)
    title = f"{anonymiser.person(officer) if officer else 'The subject'}: {who}"
    return ActivityMatrix(title, counts, duty_share(shifts, first, last, case.timezone), cells,
                          case.classification)


def case_activity_matrix(store: Store, case_ref: str, *, anonymise: bool = False,
                         member_key: str | None = None, start: int | None = None,
                         end: int | None = None, progress: Any = None,
                         cancel: Any = None) -> ActivityMatrix:
    """:func:`activity_matrix` in its own read session (a task's ``progress`` and
    ``cancel`` are accepted and not used: it is one query)."""
    with store.reader() as session:
        case = find_case(session, case_ref)
        return activity_matrix(session, case, Anonymiser(case, anonymise), member_key=member_key,
                               start=start, end=end)



def matrices_for_markers(session: Session, case: Case, anonymiser: Anonymiser,
                         marker_ids: list[int]) -> dict[int, ActivityMatrix]:
    """A matrix of the pair for the first off-duty or unsocial-hours marker of each pair
    among ``marker_ids`` (for the bundle, printed next to that marker)."""
    found: dict[int, ActivityMatrix] = {}
    pairs_done: set[int | None] = set()
    for marker_id in marker_ids:
        marker = session.get(Marker, marker_id)
        if marker is None or marker.rule not in MATRIX_RULES or marker.member_id in pairs_done:
            continue
        pairs_done.add(marker.member_id)
        member_key = marker.member.key if marker.member is not None else None
        found[marker_id] = activity_matrix(session, case, anonymiser, member_key=member_key)
    return found
