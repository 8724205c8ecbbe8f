"""Clock arithmetic over arrays of UTC epoch seconds, in the case's timezone.

Rules work on numpy arrays of int64 epoch seconds. The local wall-clock time is
the UTC time plus the zone's offset at that instant, so the offsets in force are
found once (the zone's transitions over the span of the data) and applied with a
binary search: correct either side of the BST/GMT changes, with no per-event
Python call.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

DAY = 86_400


def _offset(tz: ZoneInfo, epoch: int) -> int:
    moment = datetime.fromtimestamp(epoch, UTC).astimezone(tz)
    offset = moment.utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def _transitions(tz: ZoneInfo, first: int, last: int) -> tuple[np.ndarray, np.ndarray]:
    """Instants where the offset changes in [first, last], and the offset from each one."""
    starts = [first]
    offsets = [_offset(tz, first)]
    day = first - first % DAY
    while day <= last + DAY:
        end = day + DAY
        if _offset(tz, end) != offsets[-1]:
            low, high = day, end  # the change is in (low, high]: bisect to the second
            while high - low > 1:
                middle = (low + high) // 2
                if _offset(tz, middle) == offsets[-1]:
                    low = middle
                else:
                    high = middle
            starts.append(high)
            offsets.append(_offset(tz, high))
        day = end
    return np.asarray(starts, dtype=np.int64), np.asarray(offsets, dtype=np.int64)


def local_seconds(epochs: np.ndarray, tz: ZoneInfo) -> np.ndarray:
    """Each UTC epoch second as "local epoch seconds" (wall-clock time counted as if UTC)."""
    if epochs.size == 0:
        return epochs.astype(np.int64)
    starts, offsets = _transitions(tz, int(epochs.min()), int(epochs.max()))
    index = np.searchsorted(starts, epochs, side="right") - 1
    return epochs + offsets[np.clip(index, 0, None)]


def local_hour(epochs: np.ndarray, tz: ZoneInfo) -> np.ndarray:
    """Local clock hour (0-23) of each instant."""
    return (local_seconds(epochs, tz) % DAY) // 3600


def day_to_date(day: int) -> date:
    """A day number (days since 1970-01-01) as a date."""
    return date(1970, 1, 1) + timedelta(days=int(day))


def to_datetime(epoch: int | np.integer) -> datetime:
    """Epoch seconds as an aware UTC datetime."""
    return datetime.fromtimestamp(int(epoch), UTC)


def epoch_of(moment: datetime) -> int:
    """An aware datetime as epoch seconds."""
    return int(moment.timestamp())
