"""Reading the dates, times and durations written in tabular evidence.

Call records, rosters and audit logs write time every which way: ISO 8601 with
or without an offset, UK day-first (``20/06/2021 14:30[:05]``), a date column
and a time column, epoch seconds or milliseconds, ``Wed Sep 15 19:17:44 +0100
2010``. :class:`TimeParser` reads all of these into aware UTC and says when a
local time fell in the autumn clock-change hour (ambiguous) or the spring gap.

A million-row file repeats the same few thousand local hours, so the UTC start
of each local hour is worked out once and cached; the common fixed-width forms
then need only two slices and two ``int`` calls per row. US month-first dates
are never guessed: ``05/06/2021`` is 5 June.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from workbench.timeutil import local_to_utc

# Offsets within an hour, by second: indexing a list is cheaper than building a timedelta.
_WITHIN_HOUR = [timedelta(seconds=second) for second in range(3600)]
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NAMED_ZONES = {"z": UTC, "utc": UTC, "gmt": UTC, "bst": timezone(timedelta(hours=1))}

_ZONE = r"(?:\s*(?P<zone>Z|UTC|GMT|BST|[+-]\d{2}(?::?\d{2})?))?"
_CLOCK = (
    r"(?:[T ,]+(?P<hour>\d{1,2})[:.](?P<minute>\d{2})"
    r"(?:[:.](?P<second>\d{2})(?:[.,](?P<fraction>\d+))?)?"
    r"\s*(?P<meridiem>[ap]\.?\s?m\.?)?)?"
)
_ISO = re.compile(
    r"(?P<year>\d{4})[-/](?P<month>\d{1,2})[-/](?P<day>\d{1,2})" + _CLOCK + _ZONE, re.I
)
_DAY_FIRST = re.compile(
    r"(?P<day>\d{1,2})[/.\-](?P<month>\d{1,2})[/.\-](?P<year>\d{4}|\d{2})" + _CLOCK + _ZONE, re.I
)
_TIME_ONLY = re.compile(
    r"(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?:[:.](?P<second>\d{2})(?:[.,](?P<fraction>\d+))?)?"
    r"\s*(?P<meridiem>[ap]\.?\s?m\.?)?",
    re.I,
)
_COMPACT_TIME = re.compile(r"(?P<hour>\d{2})(?P<minute>\d{2})(?P<second>\d{2})?")
_EPOCH_NUMBER = re.compile(r"\d{9,13}(?:\.\d+)?")
# Written-out month names and the Twitter/ctime style some analysis tools export.
_STRPTIME_FORMATS = (
    "%a %b %d %H:%M:%S %z %Y",
    "%a %b %d %H:%M:%S %Y",
    "%d %b %Y %H:%M:%S", "%d %b %Y %H:%M", "%d %b %Y",
    "%d-%b-%Y %H:%M:%S", "%d-%b-%Y %H:%M", "%d-%b-%Y",
    "%d %B %Y %H:%M:%S", "%d %B %Y %H:%M", "%d %B %Y",
    "%d-%b-%y %H:%M:%S", "%d-%b-%y %H:%M", "%d-%b-%y",
)
EARLIEST_YEAR = 1900
LATEST_YEAR = 2100


class TimeParser:
    """Reads one file's times into aware UTC, caching what repeats.

    Methods raise :class:`ValueError` with a short reason; the importer turns
    that into a refusal naming the line, the column and the value.
    """

    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz
        self._hour_starts: dict[tuple[int, int, int, int], tuple[datetime, bool] | None] = {}
        self._fixed_width: dict[str, tuple[datetime, bool]] = {}
        self._date_hours: dict[str, tuple[datetime, bool]] = {}
        self._dates: dict[str, date] = {}

    # -- whole timestamps -------------------------------------------------------------------

    def timestamp(self, text: str) -> tuple[datetime, bool]:
        """One cell holding a date and time (or an epoch number): UTC and the ambiguity flag."""
        size = len(text)
        if size == 19 or size == 16:
            start = self._fixed_width.get(text[:13])
            if start is not None and text[13] == ":" and (size == 16 or text[16] == ":"):
                try:
                    minute = int(text[14:16])
                    second = int(text[17:19]) if size == 19 else 0
                except ValueError:
                    pass
                else:
                    if 0 <= minute < 60 and 0 <= second < 60:
                        return start[0] + _WITHIN_HOUR[minute * 60 + second], start[1]
        return self._timestamp_slow(text)

    def _timestamp_slow(self, text: str) -> tuple[datetime, bool]:
        cleaned = text.strip()
        if not cleaned:
            raise ValueError("empty")
        if _EPOCH_NUMBER.fullmatch(cleaned):
            return epoch_to_utc(cleaned), False
        if cleaned[4:5] == "-" and len(cleaned) > 19:
            # ISO with an offset or Z: the C parser is much faster than the regex.
            try:
                aware = datetime.fromisoformat(cleaned)
            except ValueError:
                aware = None
            if aware is not None and aware.tzinfo is not None:
                _check_year(aware.year)
                return aware.astimezone(UTC), False
        match = _ISO.fullmatch(cleaned) or _DAY_FIRST.fullmatch(cleaned)
        if match is None:
            return self._written_out(cleaned)
        parts = match.groupdict()
        if parts["hour"] is None:  # known only to the day: see is_day
            return self.local(datetime.combine(self.date(cleaned), datetime.min.time()))
        result = self._from_parts(parts)
        size = len(cleaned)
        if (parts["zone"] is None and parts["fraction"] is None and parts["meridiem"] is None
                and (size == 16 or size == 19) and cleaned[13] == ":"
                and (size == 16 or cleaned[16] == ":") and cleaned == text):
            start = self._hour_start(*_ymdh(parts))
            if start is not None:
                self._fixed_width[cleaned[:13]] = start
        return result

    def _written_out(self, text: str) -> tuple[datetime, bool]:
        for pattern in _STRPTIME_FORMATS:
            try:
                parsed = datetime.strptime(text, pattern)
            except ValueError:
                continue
            _check_year(parsed.year)
            return self.local(parsed)
        raise ValueError("not a date and time in a known form "
                         "(ISO 8601, day-first dd/mm/yyyy hh:mm[:ss], or epoch seconds/ms)")

    def _from_parts(self, parts: dict[str, str | None]) -> tuple[datetime, bool]:
        year, month, day, hour = _ymdh(parts)
        minute = int(parts["minute"] or 0)
        second = int(parts["second"] or 0)
        micro = int((parts["fraction"] or "0")[:6].ljust(6, "0"))
        _check_year(year)
        naive = datetime(year, month, day, hour, minute, second, micro)
        zone_text = parts["zone"]
        if zone_text:
            return naive.replace(tzinfo=_zone_of(zone_text)).astimezone(UTC), False
        return self.local(naive)

    def local(self, naive: datetime) -> tuple[datetime, bool]:
        """A local (or aware) time as UTC, through the cached start of its hour."""
        if naive.tzinfo is not None:
            return naive.astimezone(UTC), False
        start = self._hour_start(naive.year, naive.month, naive.day, naive.hour)
        if start is None:
            return local_to_utc(naive, self.tz)
        offset = naive.minute * 60 + naive.second
        moment = start[0] + _WITHIN_HOUR[offset]
        if naive.microsecond:
            moment += timedelta(microseconds=naive.microsecond)
        return moment, start[1]

    def _hour_start(self, year: int, month: int, day: int, hour: int) -> tuple[datetime, bool] | None:
        """UTC at the start of a local hour, or None if the zone shifts within that hour."""
        key = (year, month, day, hour)
        if key in self._hour_starts:
            return self._hour_starts[key]
        _check_year(year)
        naive = datetime(year, month, day, hour)
        start = local_to_utc(naive, self.tz)
        end = local_to_utc(naive + timedelta(seconds=3599), self.tz)
        steady = end[0] - start[0] == timedelta(seconds=3599) and end[1] == start[1]
        result = start if steady else None
        self._hour_starts[key] = result
        return result

    @staticmethod
    def is_day(text: str, time_text: str | None = None) -> bool:
        """Whether a timestamp cell (or a date cell and its time cell) gives only the day:
        ``12/05/2016``, ``2016-05-12``, ``12 May 2016``, or a date with an empty time cell.

        Such a record is read as the local start of its day and must be stored as
        known only to the day (``EventRecord.date_only``), never shown as ``00:00``.
        """
        if time_text is not None:
            return not time_text.strip()
        if ":" in text:  # the common case, at once: a clock is written
            return False
        cleaned = text.strip()
        match = _ISO.fullmatch(cleaned) or _DAY_FIRST.fullmatch(cleaned)
        if match is not None:
            return match["hour"] is None
        return not _EPOCH_NUMBER.fullmatch(cleaned) and _written_day(cleaned)

    # -- separate date and time columns ------------------------------------------------------

    def date_and_time(self, date_text: str, time_text: str) -> tuple[datetime, bool]:
        """A date cell and a time cell together: UTC and the ambiguity flag. An empty time
        cell gives the local start of the day (see :meth:`is_day`)."""
        size = len(time_text)
        if (size == 8 or size == 5) and time_text[2] == ":":
            start = self._date_hours.get(date_text + time_text[:2])
            if start is not None and (size == 5 or time_text[5] == ":"):
                try:
                    minute = int(time_text[3:5])
                    second = int(time_text[6:8]) if size == 8 else 0
                except ValueError:
                    pass
                else:
                    if 0 <= minute < 60 and 0 <= second < 60:
                        return start[0] + _WITHIN_HOUR[minute * 60 + second], start[1]
        return self._date_and_time_slow(date_text, time_text)

    def _date_and_time_slow(self, date_text: str, time_text: str) -> tuple[datetime, bool]:
        day = self.date(date_text)
        if not time_text.strip():
            return self.local(datetime.combine(day, datetime.min.time()))
        hour, minute, second, micro, zone_info = parse_clock(time_text)
        naive = datetime(day.year, day.month, day.day, hour, minute, second, micro)
        if zone_info is not None:
            return naive.replace(tzinfo=zone_info).astimezone(UTC), False
        size = len(time_text)
        if (size == 8 or size == 5) and time_text[2] == ":" and (size == 5 or time_text[5] == ":"):
            start = self._hour_start(day.year, day.month, day.day, hour)
            if start is not None:
                self._date_hours[date_text + time_text[:2]] = start
        return self.local(naive)

    def date(self, text: str) -> date:
        """A calendar date (a date cell; any time of day written with it is ignored)."""
        found = self._dates.get(text)
        if found is None:
            found = parse_date(text)
            self._dates[text] = found
        return found


_DAY_FORMATS = tuple(f for f in _STRPTIME_FORMATS if "%H" not in f)


def _written_day(text: str) -> bool:
    """``12 May 2016``, ``12-May-16``: a written-out date with no time of day."""
    for pattern in _DAY_FORMATS:
        try:
            datetime.strptime(text, pattern)
        except ValueError:
            continue
        return True
    return False


@lru_cache(maxsize=4096)
def parse_date(text: str) -> date:
    """A date in ISO, day-first or written-out form (``2021-06-20``, ``20/06/2021``, ``20 Jun 2021``)."""
    cleaned = text.strip()
    if not cleaned:
        raise ValueError("empty")
    match = _ISO.fullmatch(cleaned) or _DAY_FIRST.fullmatch(cleaned)
    if match is not None:
        year, month, day, _ = _ymdh(match.groupdict())
        _check_year(year)
        return date(year, month, day)
    if _EPOCH_NUMBER.fullmatch(cleaned):
        return epoch_to_utc(cleaned).date()
    for pattern in _STRPTIME_FORMATS:
        try:
            parsed = datetime.strptime(cleaned, pattern)
        except ValueError:
            continue
        _check_year(parsed.year)
        return parsed.date()
    raise ValueError("not a date in a known form (yyyy-mm-dd, dd/mm/yyyy or 20 Jun 2021)")


def parse_clock(text: str) -> tuple[int, int, int, int, timezone | None]:
    """A time-of-day cell: ``14:30``, ``14:30:05``, ``2:30 pm``, ``143005``, ``14:30:05Z``.

    A cell holding a whole date and time (spreadsheets write ``1899-12-30 14:30:00``)
    gives its time of day.
    """
    cleaned = text.strip()
    zone_info = None
    zone = re.search(r"\s*(Z|UTC|GMT|BST|[+-]\d{2}:?\d{2})$", cleaned, re.I)
    if zone and ":" in cleaned[: zone.start()]:
        zone_info = _zone_of(zone.group(1))
        cleaned = cleaned[: zone.start()]
    match = _TIME_ONLY.fullmatch(cleaned) or _COMPACT_TIME.fullmatch(cleaned)
    if match is None:
        whole = _ISO.fullmatch(cleaned) or _DAY_FIRST.fullmatch(cleaned)
        if whole is None or whole["hour"] is None:
            raise ValueError("not a time of day (hh:mm or hh:mm:ss)")
        match = whole
    parts = match.groupdict()
    hour = _hour_of(parts)
    minute = int(parts["minute"])
    second = int(parts.get("second") or 0)
    micro = int((parts.get("fraction") or "0")[:6].ljust(6, "0"))
    if not (0 <= hour < 24 and 0 <= minute < 60 and 0 <= second < 60):
        raise ValueError("not a valid time of day")
    return hour, minute, second, micro, zone_info


def epoch_to_utc(text: str) -> datetime:
    """Epoch seconds (9-10 digits) or milliseconds (12-13 digits) as UTC."""
    value = float(text)
    if len(text.split(".")[0]) >= 12:
        value /= 1000.0
    moment = _EPOCH + timedelta(seconds=value)
    _check_year(moment.year)
    return moment


@lru_cache(maxsize=65_536)
def parse_duration(text: str) -> float | None:
    """Seconds from ``137``, ``137.5``, ``0:02:17``, ``02:17`` (m:ss) or ``1:02:17.5``; None if blank."""
    cleaned = text.strip()
    if not cleaned:
        return None
    if ":" in cleaned:
        pieces = cleaned.split(":")
        if len(pieces) > 3 or not all(p.strip() for p in pieces):
            raise ValueError("not a duration (seconds, m:ss or h:mm:ss)")
        total = 0.0
        for piece in pieces:
            total = total * 60 + float(piece)
        seconds = total
    else:
        seconds = float(cleaned.replace(",", ".") if "." not in cleaned else cleaned)
    if seconds < 0 or seconds != seconds or seconds == float("inf"):
        raise ValueError("not a duration (seconds, m:ss or h:mm:ss)")
    return seconds


def _ymdh(parts: dict[str, str | None]) -> tuple[int, int, int, int]:
    year_text = parts["year"] or "0"
    year = int(year_text)
    if len(year_text) == 2:
        year += 2000 if year < 70 else 1900
    return year, int(parts["month"] or 0), int(parts["day"] or 0), _hour_of(parts)


def _hour_of(parts: dict[str, str | None]) -> int:
    hour = int(parts.get("hour") or 0)
    meridiem = (parts.get("meridiem") or "").lower()
    if meridiem:
        if not 1 <= hour <= 12:
            raise ValueError("hour out of range for a 12-hour clock")
        hour = hour % 12 + (12 if meridiem.startswith("p") else 0)
    return hour


def _zone_of(text: str) -> timezone:
    named = _NAMED_ZONES.get(text.lower())
    if named is not None:
        return named  # type: ignore[return-value]
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _check_year(year: int) -> None:
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise ValueError(f"year {year} is outside {EARLIEST_YEAR}-{LATEST_YEAR}")
