"""Held-out cases for the rules: scenarios from the published case studies and warning signs
(DOMAIN.md), and legitimate-contact controls with lexical and timing traps.

None of these was used to tune the rules' thresholds (the demo was). Each scenario names the
markers the published pattern should raise; each control names the low-severity notes it
may raise (facts worth a glance, such as contact off duty by the roster) and must raise
nothing else. ``test_heldout_evaluation`` runs them and prints a per-rule table (``-s``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from tests.workbench.analysis_builder import HOME_A, CaseBuilder
from workbench.ingest.formats.system_audit import describe

RECORD_A, RECORD_B = "NICHE-PER-448812", "NICHE-PER-551100"


@dataclass(frozen=True)
class HeldOut:
    name: str
    source: str  # where the pattern comes from
    build: Callable[[CaseBuilder], None]
    concluded: str  # when Woman A's engagement (13/45678/21, from 01/03/2021) concluded
    expected: frozenset[tuple[str, str | None]] = frozenset()  # (rule, member) that must fire
    allowed_notes: frozenset[str] = field(default_factory=frozenset)  # controls: low notes

    @property
    def control(self) -> bool:
        return not self.expected


def lookup_text(record: str, reason: str) -> str:
    return describe("Niche RMS", "View", record, "", "", reason, "WS-0142")


def roster(case: CaseBuilder, first: date, days: int, rest: set[date] = frozenset()) -> None:
    """Day shifts 08:00-18:00 (late turns 14:00-23:59 on Fridays), rest days as given."""
    for n in range(days):
        day = first + timedelta(days=n)
        if day in rest:
            case.shift(f"{day} 00:00", f"{day + timedelta(days=1)} 00:00", on_duty=False)
        elif day.weekday() == 4:
            case.shift(f"{day} 14:00", f"{day} 23:59")
        else:
            case.shift(f"{day} 08:00", f"{day} 18:00")


# -- scenarios -------------------------------------------------------------------------------

def predatory(case: CaseBuilder) -> None:
    """The "shark": rapid move to a personal channel with a vulnerable victim, sexualised,
    secret, late at night, after the matter closed (DOMAIN.md warning signs, predatory style)."""
    case.sms("2021-03-02 10:00", "PC Marsh here about your burglary report, I'll call later")
    case.call("2021-03-03 11:00", duration=240)
    case.sms("2021-03-07 21:10", "It's Dan, this is my own number x", line="personal")
    case.sms("2021-03-07 21:30", "Oh hiya", outgoing=False, line="personal")
    day = datetime(2021, 3, 8, 22, 30)
    lines = ["you looked lovely today x", "can't stop thinking about you", "send me a pic of you in bed",
             "don't tell anyone we talk, I'd lose my job", "night gorgeous xx", "feeling naughty"]
    for n, text in enumerate(lines):
        case.whatsapp(f"{day + timedelta(days=2 * n):%Y-%m-%d %H:%M}", text)
        case.whatsapp(f"{day + timedelta(days=2 * n, minutes=5):%Y-%m-%d %H:%M}", "haha",
                      outgoing=False)


def case_study_two(case: CaseBuilder) -> None:
    """Case study 2: 38 calls from his device to her number over ten weeks, 30 under five
    seconds, none from her."""
    start = datetime(2021, 4, 1, 9, 0)
    for n in range(38):
        when = start + timedelta(days=n * 70 / 37, hours=n % 11)
        case.call(f"{when:%Y-%m-%d %H:%M}", duration=3 if n % 19 not in (0, 3, 7, 11) else 80)


def lookups_without_purpose(case: CaseBuilder) -> None:
    """Looking someone up with no policing purpose: no engagement, some off duty."""
    roster(case, date(2021, 5, 3), 14, rest={date(2021, 5, 8), date(2021, 5, 9)})
    case.lookup("2021-05-04 13:10", record=RECORD_B, text=lookup_text(RECORD_B, ""))
    case.lookup("2021-05-08 23:40", record=RECORD_B, text=lookup_text(RECORD_B, "enquiry"))
    case.lookup("2021-05-09 00:05", text="PND search: HART, Jodie")


def wide_net(case: CaseBuilder) -> None:
    """The "fisherman": similar personal-channel contact with several people met through duty."""
    for n in range(8):
        case.whatsapp(f"2021-04-{5 + n:02d} 20:{n:02d}", "you look amazing, drink sometime? x")
        case.whatsapp(f"2021-04-{5 + n:02d} 20:{n + 20:02d}", "maybe", outgoing=False)
        case.sms(f"2021-04-{5 + n:02d} 21:{n:02d}", "lovely smile on you today x",
                 member="woman_b", line="personal")


def history(case: CaseBuilder) -> None:
    """A history: earlier intelligence, and three complaints within twelve months."""
    case.add_intel("INT-2019-000123", date(2019, 6, 4))
    case.add_intel("INT-2021-000456", date(2021, 1, 12), handling="C")
    for received in (date(2020, 11, 2), date(2021, 3, 15), date(2021, 9, 30)):
        case.add_complaint(f"CO/{received:%y%m%d}", received)


def visits(case: CaseBuilder) -> None:
    """Unexpected visits: the officer's vehicle stopping by her home after the matter closed."""
    near = (HOME_A[0] + 0.0003, HOME_A[1])
    case.stop("2021-03-02 11:00", *near, minutes=35)  # while the matter was open: fine
    for day in ("2021-04-10 20:15", "2021-04-24 21:40", "2021-05-06 13:05"):
        case.stop(day, *near, minutes=25)


def escalation(case: CaseBuilder) -> None:
    """A significant volume of contact in a short space of time, against the pair's habit."""
    for week in range(6):
        case.sms(f"{date(2021, 4, 5) + timedelta(days=7 * week)} 12:00", "ok thanks",
                 line="personal")
    for n in range(24):
        case.sms(f"{date(2021, 5, 17) + timedelta(days=n % 6)} 19:{n:02d}", "what you up to",
                 line="personal")


# -- controls --------------------------------------------------------------------------------

def family_liaison(case: CaseBuilder) -> None:
    """A family liaison officer's long contact with a bereaved mother, on the work phone,
    on duty, while the matter stays open, with words a naive matcher would mark."""
    first = date(2021, 3, 1)
    roster(case, first, 7 * 26)
    texts = ["Thinking of you all today", "The post-mortem is done; I'll explain tomorrow",
             "Your little angel's things are ready to collect", "Bring 2 x forms of ID",
             "The sexual offences unit is not involved, I promise", "Are the kids in bed? "
             "I'll ring at 9", "Please delete this voicemail, the date I gave was wrong",
             "Thinking of you and the family ahead of the inquest"]
    for week in range(26):
        day = first + timedelta(days=7 * week + 1)  # Tuesdays, on duty 08:00-18:00
        case.sms(f"{day} 17:45", texts[week % len(texts)])
        case.call(f"{day} 09:10", duration=3, status="missed")  # she does not pick up...
        case.call(f"{day} 09:40", duration=420, outgoing=False)  # ...and rings back
        if week % 4 == 0:  # a Friday late turn: an evening call inside the shift
            case.call(f"{day + timedelta(days=3)} 21:50", duration=600)
        case.lookup(f"{day} 10:30", record=RECORD_A, text=lookup_text(RECORD_A, "13/45678/21 FLO"))


def overtime_off_roster(case: CaseBuilder) -> None:
    """A domestic-abuse investigation worked on overtime the roster does not show: rest-day
    look-ups citing the occurrence, work-phone calls about the statement."""
    roster(case, date(2021, 3, 1), 21, rest={date(2021, 3, 6), date(2021, 3, 7)})
    case.lookup("2021-03-06 10:02", record=RECORD_A,
                text=lookup_text(RECORD_A, "Statement for 13/45678/21"))
    case.lookup("2021-03-06 10:05", text="Niche RMS: Search person — terms 'LOWE Kerry'; "
                                         "reason 'attempted burglary report - witness list'")
    case.call("2021-03-06 10:20", duration=2, status="missed")
    case.call("2021-03-06 10:24", duration=300, outgoing=False)
    case.sms("2021-03-06 10:40", "Thanks, see you at the station at 2 for your statement")
    case.sms("2021-03-09 09:00", "Statement typed up, please check it when you can")


HELD_OUT: list[HeldOut] = [
    HeldOut("predatory style", "DOMAIN.md warning signs; predatory style", predatory,
            "2021-03-05T17:00:00",
            frozenset({("channel_shift", "woman_a"), ("affectionate_language", "woman_a"),
                       ("sexualised_language", "woman_a"), ("secrecy_request", "woman_a"),
                       ("unsocial_hours", "woman_a"), ("post_closure_contact", "woman_a")})),
    HeldOut("case study 2 calling", "case study 2 (38 calls, 30 under five seconds)",
            case_study_two, "2021-03-05T17:00:00",
            frozenset({("repeated_short_calls", "woman_a")})),
    HeldOut("look-ups without purpose", "warning sign: police systems with no policing purpose",
            lookups_without_purpose, "2021-03-05T17:00:00",
            frozenset({("system_lookup", "woman_b"), ("no_duty_link", "woman_b")})),
    HeldOut("wide net", "exploratory style / the same officer with several people", wide_net,
            "2021-03-05T17:00:00",
            frozenset({("personal_channel_contact", "woman_b"), ("affectionate_language", "woman_a"),
                       ("affectionate_language", "woman_b"), ("multiple_members_of_public", None)})),
    HeldOut("history", "warning sign: a history (intelligence, three complaints in a year)",
            history, "2021-03-05T17:00:00",
            frozenset({("prior_intelligence", None), ("complaint_cluster", None)})),
    HeldOut("visits", "warning sign: unexpected visits (telematics)", visits,
            "2021-03-05T17:00:00", frozenset({("vehicle_dwell", "woman_a")})),
    HeldOut("rising contact", "warning sign: volume in a short space of time", escalation,
            "2021-03-05T17:00:00", frozenset({("frequency_escalation", "woman_a")})),
    HeldOut("family liaison officer (control)", "legitimate long contact", family_liaison,
            "2022-06-30T17:00:00"),
    HeldOut("overtime off the roster (control)", "legitimate off-roster work with reasons",
            overtime_off_roster, "2021-06-30T17:00:00",
            allowed_notes=frozenset({"off_duty_contact", "system_lookup"})),
]
