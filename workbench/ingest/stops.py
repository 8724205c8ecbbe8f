"""Vehicle stops: runs of stationary positions become one ``vehicle_stop`` event.

A stop is a run of consecutive fixes of one vehicle that all lie within
``radius_m`` of the run's first fix, spanning at least ``min_minutes``, with no
two fixes further apart than ``max_gap_minutes``. A gap in the data (ignition
off, no signal) ends the run: a gap is never a stop, because nothing was
observed in it. A stop's time is its first fix, its dwell the time to its last
fix (what was observed, no more), its location the centroid of the run; its text
counts the fixes and names any gap just before or after it. The thresholds come
from ``resources/rules.toml`` section ``[telematics]`` (``stop_radius_m``,
``stop_min_minutes``, ``stop_max_gap_minutes``) when present, else the defaults here.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from importlib import resources
from zoneinfo import ZoneInfo

from workbench.geo import distance_m
from workbench.ingest.records import EventRecord, Party
from workbench.timeutil import format_clock, format_local

STOP_RADIUS_M = 50.0
STOP_MIN_MINUTES = 5.0
STOP_MAX_GAP_MINUTES = 5.0


@dataclass(frozen=True)
class StopRules:
    radius_m: float = STOP_RADIUS_M
    min_minutes: float = STOP_MIN_MINUTES
    max_gap_minutes: float = STOP_MAX_GAP_MINUTES


@lru_cache(maxsize=1)
def stop_rules() -> StopRules:
    """The stop thresholds: ``[telematics]`` of resources/rules.toml, or the defaults."""
    try:
        text = resources.files("resources").joinpath("rules.toml").read_text(encoding="utf-8")
        section = tomllib.loads(text).get("telematics", {})
    except (FileNotFoundError, ModuleNotFoundError, tomllib.TOMLDecodeError, OSError):
        section = {}
    return StopRules(
        float(section.get("stop_radius_m", STOP_RADIUS_M)),
        float(section.get("stop_min_minutes", STOP_MIN_MINUTES)),
        float(section.get("stop_max_gap_minutes", STOP_MAX_GAP_MINUTES)),
    )


@dataclass
class _Run:
    first_position: str
    last_position: str
    start: datetime
    end: datetime
    ambiguous: bool
    anchor: tuple[float, float]
    lats: list[float] = field(default_factory=list)
    lons: list[float] = field(default_factory=list)
    gap_before: tuple[datetime, datetime] | None = None  # no fixes between these two times
    gap_after: tuple[datetime, datetime] | None = None


class StopFinder:
    """Fed each vehicle's positions in time order; hands back the stops as runs close."""

    def __init__(self, rules: StopRules | None = None, tz: ZoneInfo | None = None) -> None:
        self.rules = rules or stop_rules()
        self.tz = tz or ZoneInfo("UTC")  # gaps are named in this (the source's) local time
        self._runs: dict[Party, _Run] = {}

    def add(self, record: EventRecord) -> EventRecord | None:
        """Take one position; returns a stop if this position ended one."""
        vehicle = record.sender
        assert vehicle is not None and record.lat is not None and record.lon is not None
        run = self._runs.get(vehicle)
        gap = None
        if run is not None:
            moved = distance_m(run.anchor[0], run.anchor[1], record.lat, record.lon)
            since = (record.occurred_at - run.end).total_seconds()
            if since > self.rules.max_gap_minutes * 60:
                gap = (run.end, record.occurred_at)
                run.gap_after = gap
            elif moved <= self.rules.radius_m and since >= 0:
                run.end = record.occurred_at
                run.last_position = record.position
                run.lats.append(record.lat)
                run.lons.append(record.lon)
                return None
        self._runs[vehicle] = _Run(
            record.position, record.position, record.occurred_at, record.occurred_at,
            record.time_ambiguous, (record.lat, record.lon), [record.lat], [record.lon],
            gap_before=gap,
        )
        return self._stop(vehicle, run) if run is not None else None

    def finish(self) -> list[EventRecord]:
        """The stops still open at the end of the file."""
        stops = [self._stop(vehicle, run) for vehicle, run in self._runs.items()]
        self._runs.clear()
        return [s for s in stops if s is not None]

    def _stop(self, vehicle: Party, run: _Run) -> EventRecord | None:
        dwell = (run.end - run.start).total_seconds()
        if dwell < self.rules.min_minutes * 60 or len(run.lats) < 2:
            return None
        position = run.first_position
        if run.last_position != run.first_position:
            position = f"{run.first_position}-{run.last_position.split(' ', 1)[-1]}"
        minutes = round(dwell / 60)
        gaps = "".join(f"; {self._gap_text(gap)}" for gap in (run.gap_before, run.gap_after)
                       if gap is not None)
        return EventRecord(
            position=position[:64], occurred_at=run.start, kind="vehicle_stop", sender=vehicle,
            app="telematics", duration_s=dwell,
            text=f"Stationary for {minutes} min ({len(run.lats)} fixes within "
                 f"{self.rules.radius_m:g} m, first to last fix){gaps}",
            lat=sum(run.lats) / len(run.lats), lon=sum(run.lons) / len(run.lons),
            time_ambiguous=run.ambiguous,
        )

    def _gap_text(self, gap: tuple[datetime, datetime]) -> str:
        """``no fixes from 18:02 to 07:40`` (dates added when the gap crosses midnight)."""
        start, end = gap
        if start.astimezone(self.tz).date() == end.astimezone(self.tz).date():
            return f"no fixes from {format_clock(start, self.tz)} to {format_clock(end, self.tz)}"
        return (f"no fixes from {format_local(start, self.tz, with_zone=False)}"
                f" to {format_local(end, self.tz, with_zone=False)}")
