"""Call records: the work phone's itemised billing and the personal phone's provider return.

The two files deliberately use different provider layouts (as real returns
do): the force's device contract prints ``Call Date,Call Time,Calling
Number,Called Number,Call Type,Duration (hh:mm:ss)`` with numbers in
international digits; the communications data unit's return for the personal
number has A/B numbers, MO/MT direction, seconds and a cell id.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from workbench.demo import scenario as s
from workbench.demo import timing
from workbench.demo.roster import Roster
from workbench.demo.storyline import Storyline
from workbench.demo.timing import at


@dataclass(frozen=True)
class CallRow:
    """One billed event from the phone's point of view."""

    when: datetime  # local
    other: str      # the other party's number as written in the scenario
    outgoing: bool
    kind: str       # "Voice" or "SMS"
    seconds: int = 0


def _voice(when: datetime, other: str, outgoing: bool, seconds: int) -> CallRow:
    return CallRow(when, other, outgoing, "Voice", seconds)


def _sms(when: datetime, other: str, outgoing: bool) -> CallRow:
    return CallRow(when, other, outgoing, "SMS")


# ---------------------------------------------------------------- work phone

def _woman_a_work_contact() -> list[CallRow]:
    """During the burglary enquiry (legitimate), then drifting on after it closed."""
    a = s.WOMAN_A_PHONE
    return [
        _voice(at(date(2021, 3, 1), 11, 5, 12), a, True, 252),
        _sms(at(date(2021, 3, 1), 11, 21, 40), a, True),
        _voice(at(date(2021, 3, 2), 9, 15, 3), a, False, 125),
        _voice(at(date(2021, 3, 3), 12, 30, 55), a, True, 400),
        _sms(at(date(2021, 3, 4), 16, 10, 9), a, False),
        _voice(at(date(2021, 3, 5), 16, 20, 31), a, True, 210),
        # After closure on 05/03 17:00: still the work phone, now in the evenings.
        _sms(at(date(2021, 3, 9), 19, 40, 2), a, True),
        _sms(at(date(2021, 3, 9), 19, 52, 45), a, False),
        _voice(at(date(2021, 3, 12), 20, 55, 10), a, True, 442),
        _sms(at(date(2021, 3, 15), 18, 30, 27), a, False),
        _sms(at(date(2021, 3, 17), 21, 40, 51), a, True),
    ]


def _man_d_work_contact() -> list[CallRow]:
    """An ordinary neighbourhood matter handled properly: on shift, work phone, in the enquiry."""
    d = s.MAN_D_PHONE
    return [
        _voice(at(date(2021, 6, 7), 10, 31, 4), d, True, 384),
        _sms(at(date(2021, 6, 7), 11, 2, 30), d, True),
        _voice(at(date(2021, 6, 8), 9, 48, 11), d, False, 161),
        _voice(at(date(2021, 6, 8), 13, 5, 40), d, True, 95),
        _voice(at(date(2021, 6, 9), 10, 12, 8), d, True, 233),
        _sms(at(date(2021, 6, 9), 10, 20, 0), d, False),
        _voice(at(date(2021, 6, 18), 13, 10, 22), d, True, 301),
    ]


def _unknown_woman_work_contact() -> list[CallRow]:
    """The number first appears calling the work phone on shift, like a caller to a job."""
    u = s.UNKNOWN_WOMAN_PHONE
    return [
        _voice(at(date(2021, 11, 3), 11, 25, 37), u, False, 220),
        _voice(at(date(2021, 11, 4), 13, 10, 2), u, False, 312),
        _sms(at(date(2021, 11, 4), 13, 31, 48), u, True),
    ]


def _ordinary_work_contact(roster: Roster) -> list[CallRow]:
    """Jobs with callers, calls with a colleague and the station, every shift."""
    rng = random.Random(4521)
    rows: list[CallRow] = []
    public_pool = [f"07700 900{n:03d}" for n in range(500, 1000)]
    shifts = roster.working_days(s.PERIOD_START, s.PERIOD_END)
    for index, shift in enumerate(shifts):
        for when in timing.on_shift(rng, roster, shift.day, rng.randint(0, 3)):
            rows.append(_voice(when, s.COLLEAGUE_PHONE, rng.random() < 0.5, rng.randint(15, 320))
                        if rng.random() < 0.7 else _sms(when, s.COLLEAGUE_PHONE, rng.random() < 0.5))
        for when in timing.on_shift(rng, roster, shift.day, rng.randint(0, 2)):
            other = s.STATION_LANDLINE if rng.random() < 0.6 else s.CONTROL_ROOM
            rows.append(_voice(when, other, rng.random() < 0.5, rng.randint(20, 400)))
        # Each new job: a caller contacted over the next few shifts, then never again.
        for _ in range(rng.choice((0, 1, 1, 2))):
            caller = public_pool[rng.randrange(len(public_pool))]
            for later in shifts[index:index + rng.randint(1, 4)]:
                for when in timing.on_shift(rng, roster, later.day, rng.randint(1, 2)):
                    if rng.random() < 0.75:
                        rows.append(_voice(when, caller, rng.random() < 0.6, rng.randint(25, 720)))
                    else:
                        rows.append(_sms(when, caller, True))
    return rows


def work_phone_rows(roster: Roster) -> list[CallRow]:
    rows = (_woman_a_work_contact() + _man_d_work_contact() + _unknown_woman_work_contact()
            + _ordinary_work_contact(roster))
    return sorted(rows, key=lambda r: (r.when, r.other))


def _intl(number: str) -> str:
    """``07700 900101`` as ``447700900101``, as the force's billing prints numbers."""
    digits = number.replace(" ", "")
    return "44" + digits[1:] if digits.startswith("0") else digits


def write_work_billing(rows: list[CallRow], path: Path) -> None:
    own = _intl(s.WORK_PHONE)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, lineterminator="\r\n")
        out.writerow(["Call Date", "Call Time", "Calling Number", "Called Number", "Call Type",
                      "Duration (hh:mm:ss)"])
        for row in rows:
            calling, called = (own, _intl(row.other)) if row.outgoing else (_intl(row.other), own)
            hours, rest = divmod(row.seconds, 3600)
            out.writerow([f"{row.when:%d/%m/%Y}", f"{row.when:%H:%M:%S}", calling, called,
                          row.kind, f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"])


# ------------------------------------------------------------ personal phone

def _repeated_short_calls() -> list[CallRow]:
    """38 calls to Woman A over one evening and night on a rest day, 30 under five seconds."""
    rng = random.Random(38)
    rows, when = [], at(date(2021, 6, 14), 18, 2, 15)
    answered = {4, 9, 14, 19, 23, 27, 31, 34}  # which of the 38 connected
    for number in range(38):
        seconds = rng.randint(25, 420) if number in answered else rng.randint(0, 4)
        rows.append(_voice(when, s.WOMAN_A_PHONE, True, seconds))
        when += timedelta(minutes=rng.uniform(1.5, 18.0), seconds=rng.randint(0, 59))
    return rows


def _scripted_personal_contact() -> list[CallRow]:
    a, b, c = s.WOMAN_A_PHONE, s.WOMAN_B_PHONE, s.WOMAN_C_PHONE
    return [
        # The first personal-number contact with Woman A, on a rest day.
        _sms(at(date(2021, 3, 20), 19, 2, 41), a, True),
        _sms(at(date(2021, 3, 20), 19, 30, 5), a, False),
        _voice(at(date(2021, 3, 21), 20, 10, 33), a, True, 750),
        # Woman B: the personal number from the start, while her matter was open.
        _sms(at(date(2021, 9, 15), 20, 15, 12), b, True),
        _sms(at(date(2021, 9, 15), 20, 40, 50), b, False),
        _voice(at(date(2021, 9, 16), 21, 5, 7), b, True, 545),
        # Sent in the hour the clocks went back: stored with an ambiguity flag.
        _sms(at(date(2021, 10, 31), 1, 40, 19), b, True),
        # Woman C: no policing matter with her at all.
        _voice(at(date(2021, 7, 25), 21, 10, 44), c, True, 35),
        _sms(at(date(2021, 7, 28), 19, 12, 3), c, False),
        _sms(at(date(2021, 7, 30), 22, 50, 30), c, True),
        _voice(at(date(2021, 8, 2), 18, 41, 9), c, True, 250),
        _voice(at(date(2021, 8, 10), 20, 3, 56), c, False, 61),
        _sms(at(date(2021, 8, 12), 23, 14, 27), c, True),
    ]


def _storyline_calls(storyline: Storyline) -> list[CallRow]:
    rng = random.Random(102)
    numbers = {"woman_a": s.WOMAN_A_PHONE, "woman_b": s.WOMAN_B_PHONE,
               "unknown_woman": s.UNKNOWN_WOMAN_PHONE}
    rows = []
    for member, number in numbers.items():
        for talk in storyline.of(member, "phone"):
            if len(talk.times) == 1 or rng.random() < 0.35:
                rows.append(_voice(talk.times[0], number, rng.random() < 0.7, rng.randint(40, 1900)))
                continue
            outgoing = rng.random() < 0.65
            for when in talk.times:
                rows.append(_sms(when, number, outgoing))
                outgoing = not outgoing
    return rows


FAMILY_AND_FRIENDS = (  # number, calls a week, share of texts
    ("07700 900010", 2.0, 0.2),   # mother
    ("07700 900011", 1.5, 0.7),   # sister
    ("07700 900014", 1.5, 0.8),   # friend
    ("07700 900015", 1.0, 0.6),   # friend
    ("07700 900016", 0.5, 0.1),   # five-a-side organiser
    ("01134960555", 0.3, 0.0),    # takeaway
    ("01134960789", 0.1, 0.0),    # GP surgery
)


def _ordinary_personal_contact() -> list[CallRow]:
    rng = random.Random(102102)
    rows = []
    for day in timing.days(s.PERIOD_START, s.PERIOD_END):
        for number, weekly, texts in FAMILY_AND_FRIENDS:
            if rng.random() >= weekly / 7:
                continue
            hours = rng.uniform(8.5, 21.5) if rng.random() < 0.95 else rng.uniform(21.5, 22.9)
            when = timing.clear_of_clock_change(
                datetime.combine(day, datetime.min.time()) + timedelta(seconds=int(hours * 3600)))
            if rng.random() < texts:
                rows.append(_sms(when, number, rng.random() < 0.5))
                rows.append(_sms(when + timedelta(minutes=rng.randint(1, 40)), number,
                                 rng.random() < 0.5))
            else:
                rows.append(_voice(when, number, rng.random() < 0.5, rng.randint(20, 1500)))
    return rows


def personal_phone_rows(storyline: Storyline) -> list[CallRow]:
    rows = (_scripted_personal_contact() + _repeated_short_calls() + _storyline_calls(storyline)
            + _ordinary_personal_contact())
    return sorted(rows, key=lambda r: (r.when, r.other))


CELLS = ("LDS0412", "LDS0413", "LDS0587", "LDS1120", "LDS0098")


def write_personal_billing(rows: list[CallRow], path: Path) -> None:
    own = s.PERSONAL_PHONE.replace(" ", "")
    rng = random.Random(7)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, lineterminator="\r\n")
        out.writerow(["Date", "Time", "A Number", "B Number", "Direction", "Event Type",
                      "Duration", "Cell ID"])
        for row in rows:
            other = row.other.replace(" ", "")
            a_party, b_party = (own, other) if row.outgoing else (other, own)
            out.writerow([f"{row.when:%d/%m/%Y}", f"{row.when:%H:%M:%S}", a_party, b_party,
                          "MO" if row.outgoing else "MT", row.kind, row.seconds,
                          rng.choice(CELLS)])
