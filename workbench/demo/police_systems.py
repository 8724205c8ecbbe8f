"""The police systems' access log for user P4521.

``Timestamp,User ID,System,Action,Record Ref,Search Terms,Reason,Terminal``,
as an audit extract from Niche, PNC, PND and the command-and-control system.
Most entries are ordinary work on shift. A few are look-ups of the women in
the case: with a policing reason during their matters, and without one after
closure, off duty (from a mobile device) or with no matter at all.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from workbench.demo import scenario as s
from workbench.demo import timing
from workbench.demo.roster import Roster
from workbench.demo.timing import at

STATION_TERMINALS = ("WKS-HOL-014", "WKS-HOL-022", "WKS-HOL-031")
VEHICLE_TERMINAL = "MDT-YX21ABC"
MOBILE_DEVICE = "MOB-P4521"


@dataclass(frozen=True)
class Access:
    when: datetime
    system: str
    action: str
    record: str = ""
    search: str = ""
    reason: str = ""
    terminal: str = STATION_TERMINALS[0]


def _case_lookups() -> list[Access]:
    a, b, c, d = s.WOMAN_A_RECORD, s.WOMAN_B_RECORD, s.WOMAN_C_RECORD, s.MAN_D_RECORD
    niche, pnd = "Niche RMS", "PND"
    return [
        # Woman A: during the burglary enquiry, with its reference.
        Access(at(date(2021, 3, 1), 10, 48, 2), niche, "View", "13/45678/21", "",
               "Attempted burglary - attending"),
        Access(at(date(2021, 3, 3), 9, 41, 17), niche, "View", a, "", "13/45678/21"),
        Access(at(date(2021, 3, 5), 16, 45, 40), niche, "Update", "13/45678/21", "",
               "Finalise occurrence"),
        # ...then after it closed, without a reason, on duty and off duty.
        Access(at(date(2021, 4, 16), 21, 12, 33), niche, "View", a, "", "", VEHICLE_TERMINAL),
        Access(at(date(2021, 4, 16), 21, 14, 2), niche, "Print", a, "", "", VEHICLE_TERMINAL),
        Access(at(date(2021, 5, 2), 23, 48, 10), pnd, "Search", "", "LOWE KERRY", "", MOBILE_DEVICE),
        Access(at(date(2021, 5, 2), 23, 49, 40), pnd, "View", a, "", "", MOBILE_DEVICE),
        Access(at(date(2021, 6, 21), 22, 15, 51), niche, "View", a, "", "", VEHICLE_TERMINAL),
        Access(at(date(2021, 8, 11), 20, 3, 27), niche, "Search", "", "LOWE KERRY", "", MOBILE_DEVICE),
        Access(at(date(2021, 8, 11), 20, 4, 5), niche, "View", a, "", "", MOBILE_DEVICE),
        # Man D: during his matter, properly recorded.
        Access(at(date(2021, 6, 7), 10, 5, 9), niche, "View", d, "", "13/61204/21"),
        Access(at(date(2021, 6, 18), 13, 30, 44), niche, "Update", "13/61204/21", "",
               "Neighbourhood resolution agreed"),
        # Woman C: no policing matter with her at any time.
        Access(at(date(2021, 7, 19), 11, 20, 15), niche, "Search", "", "PORTER JADE", ""),
        Access(at(date(2021, 7, 19), 11, 21, 2), niche, "View", c, "", ""),
        Access(at(date(2021, 7, 23), 13, 5, 48), pnd, "Search", "", "PORTER JADE", ""),
        Access(at(date(2021, 11, 7), 21, 40, 30), niche, "View", c, "", "", MOBILE_DEVICE),
        # Woman B: during her matter, then after it closed, off duty.
        Access(at(date(2021, 9, 14), 14, 2, 26), niche, "View", b, "", "13/80377/21"),
        Access(at(date(2021, 10, 2), 22, 37, 12), niche, "View", b, "", "", MOBILE_DEVICE),
    ]


SURNAMES = ("SMITH", "KHAN", "WALKER", "HUSSAIN", "TAYLOR", "WOOD", "ALI", "BROWN", "JONES",
            "WRIGHT", "PATEL", "HALL", "THOMPSON", "WHITE", "AHMED", "CLARKE")
FORENAMES = ("JOHN", "MOHAMMED", "SARAH", "CHLOE", "RYAN", "AMINA", "PAUL", "LIAM", "ZARA",
             "DAVID", "EMMA", "CONNOR")


def _ordinary_lookups(roster: Roster) -> list[Access]:
    rng = random.Random(4521_2021)
    rows = []
    for shift in roster.working_days(s.PERIOD_START, s.PERIOD_END):
        for when in timing.on_shift(rng, roster, shift.day, rng.randint(1, 4), margin_minutes=15):
            occurrence = f"13/{rng.randint(40000, 99999)}/{when:%y}"
            terminal = rng.choice(STATION_TERMINALS + (VEHICLE_TERMINAL,))
            roll = rng.random()
            if roll < 0.4:
                rows.append(Access(when, "Niche RMS", "View", occurrence, "", "Assigned occurrence",
                                   terminal))
            elif roll < 0.6:
                name = f"{rng.choice(SURNAMES)} {rng.choice(FORENAMES)}"
                rows.append(Access(when, "Niche RMS", "Search", "", name, occurrence, terminal))
            elif roll < 0.8:
                plate = (f"{rng.choice('ABCDEFGHKLMNPRSTVWY')}{rng.choice('ABCDEFGHKLMNPRSTVWXY')}"
                         f"{rng.randint(10, 71)} {rng.choice('ABCDEFGHJKLMNOPRSTUVWXYZ')}"
                         f"{rng.choice('ABCDEFGHJKLMNOPRSTUVWXYZ')}{rng.choice('ABCDEFGHJKLMNOPRSTUVWXYZ')}")
                rows.append(Access(when, "PNC", "Vehicle Enquiry", "", plate, "Stop check",
                                   VEHICLE_TERMINAL))
            else:
                incident = f"CAD-{when:%d%m%y}-{rng.randint(1, 999):04d}"
                rows.append(Access(when, "STORM", "View Incident", incident, "", "Deployed",
                                   terminal))
    return rows


def accesses(roster: Roster) -> list[Access]:
    return sorted(_case_lookups() + _ordinary_lookups(roster), key=lambda a: a.when)


def write_audit(rows: list[Access], path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, lineterminator="\r\n")
        out.writerow(["Timestamp", "User ID", "System", "Action", "Record Ref", "Search Terms",
                      "Reason", "Terminal"])
        for row in rows:
            out.writerow([f"{row.when:%d/%m/%Y %H:%M:%S}", s.SYSTEM_USER, row.system, row.action,
                          row.record, row.search, row.reason, row.terminal])
