"""Derived facts defined once: night hours and short calls (thresholds from ``rules.toml``).

The timeline's shading and hollow call glyphs, the link chart's counts,
discovery's features and the rules all ask here, so the same event gets the
same answer everywhere. On and off duty is in :mod:`workbench.duty`.
"""

from __future__ import annotations

from functools import lru_cache
from zoneinfo import ZoneInfo

import numpy as np


@lru_cache(maxsize=1)
def _packaged_settings():  # type: ignore[no-untyped-def]
    from workbench.analysis.settings import load_settings

    return load_settings()


def night_hours(settings=None) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """(start, end) local hours of the night: ``[unsocial_hours]`` start_hour, end_hour."""
    settings = settings or _packaged_settings()
    return (int(settings.number("unsocial_hours", "start_hour")),
            int(settings.number("unsocial_hours", "end_hour")))


def is_night_hour(hours: np.ndarray, night: tuple[int, int] | None = None) -> np.ndarray:
    """True for local clock hours inside the night (which may run past midnight)."""
    start, end = night or night_hours()
    return ((hours >= start) | (hours < end)) if start > end else ((hours >= start) & (hours < end))


def night_mask(epochs: np.ndarray, tz: ZoneInfo, night: tuple[int, int] | None = None) -> np.ndarray:
    """True for the instants that fall in the local night."""
    from workbench.analysis.clock import local_hour

    return is_night_hour(local_hour(epochs, tz), night)


def short_call_seconds(settings=None) -> float:  # type: ignore[no-untyped-def]
    """Calls shorter than this are short: ``[repeated_short_calls]`` short_call_seconds."""
    settings = settings or _packaged_settings()
    return settings.number("repeated_short_calls", "short_call_seconds")
