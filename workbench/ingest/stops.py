"""Vehicle stops: runs of stationary positions become one ``vehicle_stop`` event.

A stop is a run of consecutive fixes of one vehicle that all lie within
``radius_m`` of the run's first fix, spanning at least ``min_minutes``. Its time
is the first fix, its dwell the time to the last fix inside the radius (a
conservative figure: the vehicle may have stayed until the next fix), its
location the centroid of the run. The thresholds come from
``resources/rules.toml`` section ``[telematics]`` (``stop_radius_m``,
``stop_min_minutes``) when present, else the defaults here.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from importlib import resources

from workbench.geo import distance_m
from workbench.ingest.records import EventRecord, Party

STOP_RADIUS_M = 50.0
STOP_MIN_MINUTES = 5.0


@dataclass(frozen=True)
class StopRules:
    radius_m: float = STOP_RADIUS_M
    min_minutes: float = STOP_MIN_MINUTES


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


class StopFinder:
    """Fed each vehicle's positions in time order; hands back the stops as runs close."""

    def __init__(self, rules: StopRules | None = None) -> None:
        self.rules = rules or stop_rules()
        self._runs: dict[Party, _Run] = {}

    def add(self, record: EventRecord) -> EventRecord | None:
        """Take one position; returns a stop if this position ended one."""
        vehicle = record.sender
        assert vehicle is not None and record.lat is not None and record.lon is not None
        run = self._runs.get(vehicle)
        if run is not None:
            moved = distance_m(run.anchor[0], run.anchor[1], record.lat, record.lon)
            if moved <= self.rules.radius_m and record.occurred_at >= run.end:
                run.end = record.occurred_at
                run.last_position = record.position
                run.lats.append(record.lat)
                run.lons.append(record.lon)
                return None
        self._runs[vehicle] = _Run(
            record.position, record.position, record.occurred_at, record.occurred_at,
            record.time_ambiguous, (record.lat, record.lon), [record.lat], [record.lon],
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
        return EventRecord(
            position=position[:64], occurred_at=run.start, kind="vehicle_stop", sender=vehicle,
            app="telematics", duration_s=dwell,
            text=f"Stationary for {minutes} min ({len(run.lats)} fixes within "
                 f"{self.rules.radius_m:g} m)",
            lat=sum(run.lats) / len(run.lats), lon=sum(run.lons) / len(run.lons),
            time_ambiguous=run.ambiguous,
        )
