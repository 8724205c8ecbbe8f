"""When the demo's contact happens: work contact on shift, personal contact around it.

Personal contact comes in conversations (a burst of messages a few minutes
apart) placed around the officer's shifts: after an early turn, before or
after a late turn, any time on rest days, with a share of them late at night.
All times are naive local times, seeded, so every build is identical.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from workbench.demo.roster import Roster

# Local hours that never happened (spring forward) or happened twice (autumn back).
CLOCK_CHANGE_DAYS = frozenset({date(2021, 3, 28), date(2021, 10, 31), date(2022, 3, 27)})


def clear_of_clock_change(moment: datetime) -> datetime:
    """Move a time out of the clock-change hour, so only deliberate cases are ambiguous."""
    if moment.date() in CLOCK_CHANGE_DAYS and 1 <= moment.hour < 2:
        return moment + timedelta(hours=1)
    return moment


def at(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute, second))


def _windows(roster: Roster, day: date) -> list[tuple[float, float]]:
    """Hours of the day (may run past 24) when personal contact fits around duty."""
    shift = roster.working(day)
    if shift is None:  # rest day, leave, or not rostered
        return [(9.5, 13.5), (15.0, 22.0)]
    if shift.code == "L":
        return [(9.0, 14.25)]
    return [(shift.end.hour + 0.5, 22.0)]


LATE_WINDOW = (22.25, 25.4)  # 22:15 to 01:24 the next morning


def conversation_starts(rng: random.Random, roster: Roster, day: date, sessions: int,
                        late_share: float) -> list[datetime]:
    """Start times for ``sessions`` conversations on a day, ``late_share`` of them late at night."""
    starts = []
    windows = _windows(roster, day)
    for _ in range(sessions):
        low, high = LATE_WINDOW if rng.random() < late_share else rng.choice(windows)
        hours = rng.uniform(low, high)
        starts.append(datetime.combine(day, time()) + timedelta(hours=hours))
    return sorted(starts)


def conversation(rng: random.Random, start: datetime, messages: int,
                 gap_minutes: tuple[float, float] = (0.5, 9.0)) -> list[datetime]:
    """Message times for one conversation, a few minutes apart, to the second."""
    times, moment = [], start
    for _ in range(messages):
        times.append(clear_of_clock_change(moment.replace(microsecond=0)))
        moment += timedelta(minutes=rng.uniform(*gap_minutes))
    return times


def on_shift(rng: random.Random, roster: Roster, day: date, count: int,
             margin_minutes: int = 30) -> list[datetime]:
    """``count`` times within the day's shift, away from its edges (empty when not on duty)."""
    shift = roster.working(day)
    if shift is None:
        return []
    first = shift.start + timedelta(minutes=margin_minutes)
    span = (shift.end - shift.start).total_seconds() - 2 * margin_minutes * 60
    return sorted(first + timedelta(seconds=int(rng.uniform(0, span))) for _ in range(count))


def days(first: date, last: date) -> list[date]:
    """Every day from ``first`` to ``last`` inclusive."""
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]
