"""Local times to UTC, flagging the clock-change hours instead of guessing silently."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
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



def readings(moment: datetime, tz: ZoneInfo, ambiguous: bool) -> list[datetime]:
    """The UTC times a recorded local time can mean: two for a clock-change time, else one.

    An ambiguous time was stored as its earlier reading (:func:`local_to_utc`); the
    other is the same wall-clock time on the other side of the change.
    """
    moment = moment.astimezone(UTC)
    if not ambiguous:
        return [moment]
    wall = moment.astimezone(tz).replace(tzinfo=None)
    both = {local.replace(tzinfo=tz, fold=fold).astimezone(UTC)
            for local, fold in ((wall, 0), (wall, 1))}
    return sorted(both)


def format_readings(moment: datetime, tz: ZoneInfo, ambiguous: bool, seconds: bool = False,
                    zone_label: bool = True) -> str:
    """``31/10/2021 01:30 BST or 01:30 GMT`` for a clock-change time, else :func:`format_local`
    (without the zone's abbreviation if ``zone_label`` is off and a column heading names it)."""
    shown = [format_local(m, tz, seconds) for m in readings(moment, tz, ambiguous)]
    if len(shown) == 1:
        return shown[0] if zone_label else shown[0].rsplit(" ", 1)[0]
    return f"{shown[0]} or {shown[1].split(' ', 1)[1]} (clock change: either)"
