"""Local times to UTC, flagging the clock-change hours instead of guessing silently."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from workbench.errors import WorkbenchError


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    """The named timezone, or a clear error."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise WorkbenchError(f"unknown timezone {name!r}") from exc


def local_to_utc(local: datetime, tz: ZoneInfo) -> tuple[datetime, bool]:
    """Convert a naive local time to aware UTC; the flag is True when it was ambiguous.

    In the autumn hour that happens twice the earlier reading is taken and the
    time is flagged; a spring-forward time that never happened is flagged too.
    An aware time is simply converted.
    """
    if local.tzinfo is not None:
        return local.astimezone(UTC), False
    first = local.replace(tzinfo=tz, fold=0)
    second = local.replace(tzinfo=tz, fold=1)
    ambiguous = first.utcoffset() != second.utcoffset()
    return first.astimezone(UTC), ambiguous


def start_of_day(day: date, tz: ZoneInfo) -> datetime:
    """Midnight at the start of ``day`` in ``tz``, as aware UTC."""
    return local_to_utc(datetime.combine(day, time()), tz)[0]


def to_local(moment: datetime, tz: ZoneInfo) -> datetime:
    """An aware time in the display timezone."""
    return moment.astimezone(tz)


def format_local(moment: datetime, tz: ZoneInfo, seconds: bool = False) -> str:
    """``20/06/2021 14:30 BST``: UK day-first, with the zone's abbreviation."""
    local = moment.astimezone(tz)
    return local.strftime("%d/%m/%Y %H:%M:%S %Z" if seconds else "%d/%m/%Y %H:%M %Z")



def clock_change_readings(moment: datetime, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """Both UTC readings of a wall-clock time flagged as ambiguous, earlier first.

    ``local_to_utc`` keeps the first reading (fold 0); the other lies one hour away on the
    other side of the change: later in the autumn hour that happens twice, earlier for a
    spring-forward time that never happened. Where neither neighbour hour has another
    offset (a time flagged for some other reason), both readings are the same.
    """
    moment = moment.astimezone(UTC)
    offset = moment.astimezone(tz).utcoffset()
    for other in (moment + timedelta(hours=1), moment - timedelta(hours=1)):
        if other.astimezone(tz).utcoffset() != offset:
            return (moment, other) if other > moment else (other, moment)
    return moment, moment


def format_time(moment: datetime, tz: ZoneInfo, *, ambiguous: bool = False,
                seconds: bool = False, date_only: bool = False) -> str:
    """How every record's time is printed: ``20/06/2021 14:30 BST``.

    An ambiguous (clock-change) time carries both readings:
    ``31/10/2021 01:30 BST or 01:30 GMT (clock change: either reading)``. A record known
    only to the day (``date_only``) is its date, ``12/05/2016``: no time, no zone.
    """
    if date_only:
        return format_day(moment, tz)
    if not ambiguous:
        return format_local(moment, tz, seconds)
    earlier, later_utc = clock_change_readings(moment, tz)
    if earlier == later_utc:
        return format_local(moment, tz, seconds) + " (clock change: ambiguous)"
    first, second = earlier.astimezone(tz), later_utc.astimezone(tz)
    clock = "%H:%M:%S %Z" if seconds else "%H:%M %Z"
    later = second.strftime(clock if first.date() == second.date() else "%d/%m/%Y " + clock)
    return f"{format_local(first, tz, seconds)} or {later} (clock change: either reading)"


def format_utc(moment: datetime, *, ambiguous: bool = False, tz: ZoneInfo | None = None,
               date_only: bool = False) -> str:
    """``2021-10-31T00:30:00Z``; an ambiguous time gives both: ``…T00:30:00Z or …T01:30:00Z``.
    A record known only to the day is its (local) date, ``2016-05-12``: it has no UTC time."""
    if date_only:
        return (moment.astimezone(tz) if tz is not None else moment).date().isoformat()
    shape = "%Y-%m-%dT%H:%M:%SZ"
    if not ambiguous or tz is None:
        return moment.astimezone(UTC).strftime(shape)
    first, second = clock_change_readings(moment, tz)
    if first == second:
        return first.strftime(shape)
    return f"{first.strftime(shape)} or {second.strftime(shape)}"


def format_day(day: date | datetime, tz: ZoneInfo | None = None) -> str:
    """A record known only to the day: ``12/05/2016``, never a made-up ``00:00``.

    A datetime (midnight standing for the day) is read in ``tz`` first.
    """
    if isinstance(day, datetime):
        day = day.astimezone(tz).date() if tz is not None and day.tzinfo else day.date()
    return day.strftime("%d/%m/%Y")
