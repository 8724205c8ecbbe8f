"""The marked vehicle's GPS (AVL) log: ``Timestamp,Registration,Latitude,Longitude,Speed,Ignition``.

A position every 30 seconds while the vehicle is out, moving or stopped.
Most days are ordinary patrols; on a handful of days after Woman A's matter
closed the vehicle stops a few dozen metres from her home while the officer
is on duty with no deployment there. Visits during an open matter (hers, Man
D's and Woman B's) are legitimate and should not be flagged.
"""

from __future__ import annotations

import csv
import math
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from workbench.demo import scenario as s
from workbench.demo.roster import Roster
from workbench.demo.timing import at

STEP = timedelta(seconds=30)
METRES_PER_DEGREE = 111_320.0


@dataclass(frozen=True)
class Position:
    when: datetime
    lat: float
    lon: float
    mph: int
    ignition: bool


def _near(place: s.Place, north_m: float, east_m: float) -> s.Place:
    """A point a few metres from a place (a car parks on the street, not in the house)."""
    lat = place.lat + north_m / METRES_PER_DEGREE
    lon = place.lon + east_m / (METRES_PER_DEGREE * math.cos(math.radians(place.lat)))
    return s.Place(place.label, lat, lon)


# Days the story needs, with their stops (local times; the roster has these on duty).
KEY_DAYS: dict[date, list[tuple[s.Place, int, int, int]]] = {
    # Woman A's attempted burglary: a visit while the matter was open.
    date(2021, 3, 2): [(_near(s.WOMAN_A_HOME, 12, -8), 10, 30, 40)],
    # After closure: stopping near her home with no deployment.
    date(2021, 4, 12): [(_near(s.WOMAN_A_HOME, 35, -20), 19, 45, 25)],
    date(2021, 4, 27): [(_near(s.WOMAN_A_HOME, -28, 30), 11, 10, 18)],
    date(2021, 5, 18): [(_near(s.WOMAN_A_HOME, 40, 15), 21, 30, 32)],
    date(2021, 6, 9): [(_near(s.MAN_D_HOME, 10, 10), 10, 30, 20),
                       (_near(s.WOMAN_A_HOME, -15, -45), 13, 40, 22)],
    date(2021, 6, 21): [(_near(s.WOMAN_A_HOME, 20, 25), 20, 50, 15)],
    # Man D's matter: an ordinary visit while it was open.
    date(2021, 6, 7): [(_near(s.MAN_D_HOME, -12, 6), 10, 50, 35)],
    # Woman B: a visit while her matter was open, then a stop after it closed.
    date(2021, 9, 15): [(_near(s.WOMAN_B_HOME, 8, -10), 10, 15, 45)],
    date(2021, 10, 5): [(_near(s.WOMAN_B_HOME, -30, 22), 19, 20, 14)],
}


def _metres(a: s.Place, b: s.Place) -> float:
    north = (b.lat - a.lat) * METRES_PER_DEGREE
    east = (b.lon - a.lon) * METRES_PER_DEGREE * math.cos(math.radians(a.lat))
    return math.hypot(north, east)


class _Track:
    """Builds one day's positions: drive, stop, drive..."""

    def __init__(self, rng: random.Random, start: datetime) -> None:
        self.rng = rng
        self.now = start
        self.at = s.STATION
        self.positions: list[Position] = []

    def _emit(self, place: s.Place, mph: int, ignition: bool, jitter: float = 0.0) -> None:
        lat = place.lat + self.rng.uniform(-jitter, jitter)
        lon = place.lon + self.rng.uniform(-jitter, jitter)
        self.positions.append(Position(self.now, round(lat, 6), round(lon, 6), mph, ignition))
        self.now += STEP

    def drive_to(self, target: s.Place) -> None:
        speed = self.rng.uniform(17, 28)  # mph in town
        step_m = speed * 0.44704 * STEP.total_seconds()
        steps = max(2, math.ceil(_metres(self.at, target) / step_m))
        for n in range(steps):
            fraction = n / steps
            point = s.Place("", self.at.lat + (target.lat - self.at.lat) * fraction,
                            self.at.lon + (target.lon - self.at.lon) * fraction)
            self._emit(point, max(3, round(speed + self.rng.uniform(-6, 6))), True)
        self.at = target

    def wait(self, minutes: int) -> None:
        # Parked: speed 0, engine off after the first report, GPS wandering a metre or so.
        for n in range(minutes * 2):
            self._emit(self.at, 0, n == 0, jitter=0.00001)

    def until(self, moment: datetime) -> None:
        """Patrol ordinary places until it is time to head for ``moment``."""
        while self.now + timedelta(minutes=45) < moment:
            self.drive_to(self.rng.choice(s.PATROL_POINTS))
            self.wait(self.rng.randint(5, 20))
        spare = (moment - timedelta(minutes=8) - self.now) // timedelta(minutes=1)
        if spare > 0:
            self.wait(spare)


def _day_positions(rng: random.Random, roster: Roster, day: date) -> list[Position]:
    shift = roster.working(day)
    if shift is None:
        raise ValueError(f"demo telematics: {day} is not an on-duty day in the demo roster")
    track = _Track(rng, shift.start + timedelta(minutes=rng.randint(25, 50)))
    stops = KEY_DAYS.get(day)
    if stops is None:
        for _ in range(rng.randint(2, 4)):
            track.drive_to(rng.choice(s.PATROL_POINTS))
            track.wait(rng.randint(5, 35))
    else:
        for place, hour, minute, minutes in stops:
            track.until(at(day, hour, minute))
            track.drive_to(place)
            track.wait(minutes)
    track.drive_to(s.STATION)
    track.wait(3)
    if track.positions[-1].when > shift.end:
        raise ValueError(f"demo telematics: the track on {day} runs past the end of the shift")
    return track.positions


def vehicle_positions(roster: Roster) -> list[Position]:
    """Every position in the log: the key days and every eleventh shift besides."""
    rng = random.Random(2121)
    shifts = roster.working_days(s.PERIOD_START, s.PERIOD_END)
    days = sorted(set(KEY_DAYS) | {shift.day for shift in shifts[::11] if shift.code in ("E", "L")})
    positions: list[Position] = []
    for day in days:
        positions.extend(_day_positions(rng, roster, day))
    return positions


def write_telematics(positions: list[Position], path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, lineterminator="\r\n")
        out.writerow(["Timestamp", "Registration", "Latitude", "Longitude", "Speed", "Ignition"])
        for position in positions:
            out.writerow([f"{position.when:%d/%m/%Y %H:%M:%S}", s.VEHICLE,
                          f"{position.lat:.6f}", f"{position.lon:.6f}", position.mph,
                          "On" if position.ignition else "Off"])
