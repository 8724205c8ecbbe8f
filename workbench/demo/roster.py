"""The officer's duty roster: a rota with leave, overtime, training and missing weeks.

One row per rostered day. Rest days and leave are written as whole-day rows,
as force duty systems export them, so "off duty" is explicit; the weeks the
force could not supply are simply absent, which the analysis must treat as
unknown rather than off duty.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from workbench.demo import scenario

# Shift code -> (duty type as the duty system writes it, start, length in hours).
SHIFT_TYPES = {
    "E": ("Early", time(7, 0), 8),
    "L": ("Late", time(15, 0), 8),
    "T": ("Training", time(9, 0), 8),
    "O": ("Overtime", time(10, 0), 8),
    "RD": ("Rest Day", time(0, 0), 24),
    "AL": ("Annual Leave", time(0, 0), 24),
}
ON_DUTY_CODES = frozenset({"E", "L", "T", "O"})
# Five on, three off, anchored so the rota starts with an early turn on 1 March 2021.
ROTA = ("E", "E", "E", "L", "L", "RD", "RD", "RD")
ROTA_ANCHOR = date(2021, 3, 1)


@dataclass(frozen=True)
class Shift:
    """One roster row, in local time."""

    day: date
    code: str
    start: datetime
    end: datetime

    @property
    def duty_type(self) -> str:
        return SHIFT_TYPES[self.code][0]

    @property
    def on_duty(self) -> bool:
        return self.code in ON_DUTY_CODES

    def covers(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


def _in_ranges(day: date, ranges: tuple[tuple[date, date], ...]) -> bool:
    return any(first <= day <= last for first, last in ranges)


def _code_for(day: date) -> str | None:
    if _in_ranges(day, scenario.ROSTER_GAPS):
        return None
    if day in scenario.KEY_DATES.on_duty:
        return scenario.KEY_DATES.on_duty[day]
    if day in scenario.KEY_DATES.off_duty:
        return scenario.KEY_DATES.off_duty[day]
    if _in_ranges(day, scenario.LEAVE):
        return "AL"
    code = ROTA[(day - ROTA_ANCHOR).days % len(ROTA)]
    ordinal = day.toordinal()
    # A training day roughly every seven weeks and the odd overtime rest day.
    if code == "E" and ordinal % 47 == 0:
        return "T"
    if code == "RD" and ordinal % 29 == 0:
        return "O"
    return code


class Roster:
    """The generated roster and the questions the other generators ask of it."""

    def __init__(self) -> None:
        self.shifts: list[Shift] = []
        self._by_day: dict[date, Shift] = {}
        day = scenario.PERIOD_START
        while day <= scenario.PERIOD_END:
            code = _code_for(day)
            if code is not None:
                _, start, hours = SHIFT_TYPES[code]
                begin = datetime.combine(day, start)
                shift = Shift(day, code, begin, begin + timedelta(hours=hours))
                self.shifts.append(shift)
                self._by_day[day] = shift
            day += timedelta(days=1)

    def on(self, day: date) -> Shift | None:
        """The roster row for a day (None in a gap)."""
        return self._by_day.get(day)

    def working(self, day: date) -> Shift | None:
        """The day's shift if the officer is rostered on duty that day."""
        shift = self._by_day.get(day)
        return shift if shift is not None and shift.on_duty else None

    def resting(self, day: date) -> bool:
        """Whether the day is an explicit rest day or leave."""
        shift = self._by_day.get(day)
        return shift is not None and not shift.on_duty

    def on_duty_at(self, moment: datetime) -> bool:
        shift = self._by_day.get(moment.date())
        return shift is not None and shift.on_duty and shift.covers(moment)

    def working_days(self, first: date, last: date) -> list[Shift]:
        """The on-duty shifts between two days, inclusive."""
        return [s for s in self.shifts if s.on_duty and first <= s.day <= last]


def write_roster(roster: Roster, path: Path) -> None:
    """The duty system's export: ``Collar Number,Shift Start,Shift End,Duty Type``."""
    collar = scenario.COLLAR.split()[-1]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, lineterminator="\r\n")
        out.writerow(["Collar Number", "Shift Start", "Shift End", "Duty Type"])
        for shift in roster.shifts:
            out.writerow([collar, f"{shift.start:%d/%m/%Y %H:%M}", f"{shift.end:%d/%m/%Y %H:%M}",
                          shift.duty_type])
