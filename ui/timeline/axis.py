"""Time axis ticks in the case timezone, switching between years, months, days and hours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from workbench.facts import night_hours

MINUTE, HOUR, DAY = 60, 3600, 86_400
# (approximate seconds, unit, count) from finest to coarsest
STEPS = [
    (MINUTE, "minute", 1), (5 * MINUTE, "minute", 5), (15 * MINUTE, "minute", 15),
    (30 * MINUTE, "minute", 30), (HOUR, "hour", 1), (3 * HOUR, "hour", 3), (6 * HOUR, "hour", 6),
    (12 * HOUR, "hour", 12), (DAY, "day", 1), (2 * DAY, "day", 2), (7 * DAY, "week", 1),
    (30 * DAY, "month", 1), (91 * DAY, "month", 3), (182 * DAY, "month", 6), (365 * DAY, "year", 1),
    (5 * 365 * DAY, "year", 5),
]
MAX_TICKS = 400  # a guard: an axis never labels more than this


@dataclass(frozen=True)
class Tick:
    at: int  # epoch seconds
    label: str
    major: bool  # the start of a larger unit (a new day, month or year)


def choose_step(span_s: float, width_px: float, min_px: float = 70.0) -> tuple[int, str, int]:
    """The finest step whose ticks are at least ``min_px`` apart."""
    for seconds, unit, count in STEPS:
        if width_px * seconds / max(span_s, 1) >= min_px:
            return seconds, unit, count
    return STEPS[-1]


def _floor(local: datetime, unit: str, count: int) -> datetime:
    if unit == "minute":
        return local.replace(minute=local.minute - local.minute % count, second=0, microsecond=0)
    if unit == "hour":
        return local.replace(hour=local.hour - local.hour % count, minute=0, second=0, microsecond=0)
    if unit in ("day", "week"):
        day = local.replace(hour=0, minute=0, second=0, microsecond=0)
        return day - timedelta(days=day.weekday()) if unit == "week" else day
    if unit == "month":
        return local.replace(month=local.month - (local.month - 1) % count, day=1, hour=0,
                             minute=0, second=0, microsecond=0)
    return local.replace(year=local.year - local.year % count, month=1, day=1, hour=0, minute=0,
                         second=0, microsecond=0)


def _advance(local: datetime, unit: str, count: int) -> datetime:
    naive = local.replace(tzinfo=None)
    if unit == "minute":
        naive += timedelta(minutes=count)
    elif unit == "hour":
        naive += timedelta(hours=count)
    elif unit == "day":
        naive += timedelta(days=count)
    elif unit == "week":
        naive += timedelta(days=7 * count)
    elif unit == "month":
        months = naive.month - 1 + count
        naive = naive.replace(year=naive.year + months // 12, month=months % 12 + 1)
    else:
        naive = naive.replace(year=naive.year + count)
    return naive.replace(tzinfo=local.tzinfo)


def _label(local: datetime, unit: str) -> tuple[str, bool]:
    if unit in ("minute", "hour"):
        major = local.hour == 0 and local.minute == 0
        return (local.strftime("%a %d %b") if major else local.strftime("%H:%M")), major
    if unit in ("day", "week"):
        major = local.day == 1
        return (local.strftime("%b %Y") if major else local.strftime("%d %b")), major
    if unit == "month":
        major = local.month == 1
        return (local.strftime("%Y") if major else local.strftime("%b")), major
    return local.strftime("%Y"), True


def ticks(start: float, end: float, width_px: float, tz: ZoneInfo) -> list[Tick]:
    """Ticks between two epoch times for an axis ``width_px`` wide, in local time."""
    _seconds, unit, count = choose_step(end - start, width_px)
    local = _floor(datetime.fromtimestamp(start, UTC).astimezone(tz), unit, count)
    found: list[Tick] = []
    while len(found) < MAX_TICKS:
        moment = local.replace(tzinfo=tz)
        at = int(moment.timestamp())
        if at > end:
            break
        if at >= start:
            label, major = _label(moment, unit)
            found.append(Tick(at, label, major))
        local = _advance(local, unit, count)
    return found


def context_label(start: float, end: float, tz: ZoneInfo) -> str:
    """The larger unit the axis sits in, e.g. ``March 2021`` or ``Sat 20 Mar 2021``."""
    first = datetime.fromtimestamp(start, UTC).astimezone(tz)
    last = datetime.fromtimestamp(end, UTC).astimezone(tz)
    if first.date() == last.date():
        return first.strftime("%a %d %b %Y")
    if (first.year, first.month) == (last.year, last.month):
        return first.strftime("%B %Y")
    if first.year == last.year:
        return f"{first:%b} – {last:%b %Y}"
    return f"{first:%Y} – {last:%Y}"


def nights(start: float, end: float, tz: ZoneInfo, max_days: int = 21) -> list[tuple[int, int]]:
    """Local night spans (rules.toml's unsocial hours) overlapping the range, when days are visible."""
    night_from, night_to = night_hours()
    if end - start > max_days * DAY:
        return []
    first = datetime.fromtimestamp(start, UTC).astimezone(tz).date() - timedelta(days=1)
    spans = []
    day = first
    while True:
        night_start = datetime(day.year, day.month, day.day, night_from, tzinfo=tz)
        following = day + timedelta(days=1)
        night_end = datetime(following.year, following.month, following.day, night_to, tzinfo=tz)
        a, b = int(night_start.timestamp()), int(night_end.timestamp())
        if a > end:
            break
        if b >= start:
            spans.append((a, b))
        day = following
    return spans
