"""The demo storyline as data: people, numbers, places, dates and the case file.

Everything here is fictional. Phone numbers come from Ofcom's drama ranges
(mobiles 07700 900000–900999, Leeds landlines 0113 496 0000–0999), which are
never allocated to real subscribers. Times are local (Europe/London) and naive,
exactly as the generated sources write them; the importers convert them to UTC.

The storyline follows the published case studies summarised in DOMAIN.md: a
PCSO meets a vulnerable burglary victim through duty, the contact drifts from
his work phone to his personal phone, WhatsApp and Facebook Messenger, becomes
affectionate, secretive and then sexualised, late at night and off duty, with
his marked vehicle stopping near her home and police-system look-ups of her
record after the matter closed. A second woman met through a domestic incident
is contacted on his personal number from the start, a third is looked up with
no policing reason, and an unknown number on his personal phone looks like a
further member of the public. Plenty of ordinary work contact surrounds it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

DEMO_REF = "OP-WILLOW-DEMO"
TIMEZONE = "Europe/London"
CASE_OPENED = date(2022, 2, 21)
# The evidence covers the months before the investigation opened.
PERIOD_START = date(2021, 1, 4)
PERIOD_END = date(2022, 2, 20)

# Exhibit producers: the investigator obtained the tabular records, the
# digital forensics examiner the device and account exports.
INVESTIGATOR = "DS 4120 Jane Brown"  # the one name for her everywhere in the demo
EXAMINER = "Amir Khan"

# Numbers (written as a UK provider would print them).
WORK_PHONE = "07700 900101"
PERSONAL_PHONE = "07700 900102"
WOMAN_A_PHONE = "07700 900201"
WOMAN_B_PHONE = "07700 900202"
WOMAN_C_PHONE = "07700 900203"
MAN_D_PHONE = "07700 900231"
COLLEAGUE_PHONE = "07700 900301"
# Not in the case file: the number `discover` should rank first.
UNKNOWN_WOMAN_PHONE = "07700 900418"
STATION_LANDLINE = "0113 496 0123"
CONTROL_ROOM = "0113 496 0100"

VEHICLE = "YX21 ABC"
SYSTEM_USER = "P4521"
COLLAR = "PCSO 4521"
WHATSAPP_OFFICER = "Lee PCSO"  # how Woman A saved him in WhatsApp
WHATSAPP_WOMAN_A = "Kerry"     # her own WhatsApp name on her phone's export
FACEBOOK_OFFICER = "Dan Marsh"

WOMAN_A_RECORD = "NICHE-PER-448812"
WOMAN_B_RECORD = "NICHE-PER-471935"
WOMAN_C_RECORD = "NICHE-PER-502376"
MAN_D_RECORD = "NICHE-PER-390117"


@dataclass(frozen=True)
class Place:
    label: str
    lat: float
    lon: float


STATION = Place("Holbeck Police Station", 53.7890, -1.5560)
WOMAN_A_HOME = Place("Home address", 53.8008, -1.5491)
WOMAN_B_HOME = Place("Home address", 53.7935, -1.5320)
MAN_D_HOME = Place("Home address", 53.8102, -1.5660)
# Ordinary patrol stops, each well over 300 m from anyone's home.
PATROL_POINTS = (
    Place("Armley Town Street", 53.7985, -1.5900),
    Place("Beeston Hill shops", 53.7800, -1.5500),
    Place("Leeds City Station taxi rank", 53.7950, -1.5470),
    Place("Cross Flatts Park", 53.7770, -1.5620),
    Place("Wortley primary school", 53.7880, -1.5880),
    Place("Kirkstall Road retail park", 53.8060, -1.5800),
)


@dataclass(frozen=True)
class Identifier:
    kind: str
    value: str
    use: str = "unknown"


@dataclass(frozen=True)
class Person:
    key: str
    name: str
    role: str
    identifiers: tuple[Identifier, ...]
    collar: str | None = None
    cipher: str | None = None
    vulnerabilities: tuple[str, ...] = ()
    home: Place | None = None


PEOPLE = (
    Person(
        "pcso", "Daniel Marsh", "subject", collar=COLLAR,
        identifiers=(
            Identifier("phone", WORK_PHONE, "work"),
            Identifier("phone", PERSONAL_PHONE, "personal"),
            Identifier("facebook", FACEBOOK_OFFICER, "personal"),
            Identifier("whatsapp", WHATSAPP_OFFICER, "personal"),
            Identifier("system_user", SYSTEM_USER, "work"),
            Identifier("vehicle", VEHICLE, "work"),
        ),
    ),
    Person(
        "woman_a", "Kerry Lowe", "member_of_public", cipher="Woman A",
        vulnerabilities=("learning_disability", "lives_alone", "victim_of_crime"),
        identifiers=(
            Identifier("phone", WOMAN_A_PHONE),
            Identifier("facebook", "Kerry Lowe"),
            Identifier("whatsapp", WHATSAPP_WOMAN_A),
            Identifier("police_record", WOMAN_A_RECORD),
        ),
        home=WOMAN_A_HOME,
    ),
    Person(
        "woman_b", "Sophie Bell", "member_of_public", cipher="Woman B",
        vulnerabilities=("domestic_abuse_victim", "victim_of_crime"),
        identifiers=(
            Identifier("phone", WOMAN_B_PHONE),
            Identifier("facebook", "Sophie Bell"),
            Identifier("police_record", WOMAN_B_RECORD),
        ),
        home=WOMAN_B_HOME,
    ),
    Person(
        "woman_c", "Jade Porter", "member_of_public", cipher="Woman C",
        identifiers=(
            Identifier("phone", WOMAN_C_PHONE),
            Identifier("police_record", WOMAN_C_RECORD),
        ),
    ),
    Person(
        "man_d", "Graham Pike", "member_of_public", cipher="Man D",
        identifiers=(
            Identifier("phone", MAN_D_PHONE),
            Identifier("police_record", MAN_D_RECORD),
        ),
        home=MAN_D_HOME,
    ),
    Person(
        "colleague", "Priya Shah", "colleague", collar="PC 2210", cipher="Colleague 1",
        identifiers=(
            Identifier("phone", COLLEAGUE_PHONE, "work"),
            Identifier("facebook", "Priya Shah", "personal"),
        ),
    ),
)


@dataclass(frozen=True)
class Engagement:
    member: str
    kind: str
    reference: str
    started: datetime
    concluded: datetime
    outcome: str = ""


WOMAN_A_ENGAGEMENT = Engagement(
    "woman_a", "Attempted burglary report", "13/45678/21",
    datetime(2021, 3, 1, 10, 12), datetime(2021, 3, 5, 17, 0),
    "Crime recorded; no suspect identified; victim given crime prevention advice",
)
MAN_D_ENGAGEMENT = Engagement(
    "man_d", "Anti-social behaviour report", "13/61204/21",
    datetime(2021, 6, 7, 9, 40), datetime(2021, 6, 18, 14, 0),
    "Neighbourhood resolution agreed",
)
WOMAN_B_ENGAGEMENT = Engagement(
    "woman_b", "Domestic incident (verbal argument)", "13/80377/21",
    datetime(2021, 9, 14, 13, 30), datetime(2021, 9, 17, 18, 0),
    "Recorded as non-crime domestic incident; words of advice; no further action",
)
ENGAGEMENTS = (WOMAN_A_ENGAGEMENT, MAN_D_ENGAGEMENT, WOMAN_B_ENGAGEMENT)


@dataclass
class KeyDates:
    """Duty on the days the storyline relies on (applied over the rota by the roster)."""

    on_duty: dict[date, str] = field(default_factory=dict)
    off_duty: dict[date, str] = field(default_factory=dict)


def _days(first: date, *codes: str) -> dict[date, str]:
    return {date.fromordinal(first.toordinal() + i): code for i, code in enumerate(codes)}


# Shift codes: E early 07:00-15:00, L late 15:00-23:00, O overtime, T training.
KEY_DATES = KeyDates(
    on_duty={
        **_days(date(2021, 3, 1), "E", "E", "E", "L", "L"),   # Woman A's engagement
        date(2021, 4, 12): "L", date(2021, 4, 16): "L",       # dwell and look-up after closure
        date(2021, 4, 27): "E", date(2021, 5, 18): "L", date(2021, 6, 9): "E",
        date(2021, 6, 21): "L",
        **_days(date(2021, 6, 7), "E", "E"),                  # Man D's engagement
        date(2021, 6, 18): "E",
        date(2021, 7, 19): "E", date(2021, 7, 23): "E",       # look-ups of Woman C
        **_days(date(2021, 9, 14), "E", "E", "L", "L"),       # Woman B's engagement
        date(2021, 10, 5): "L",
        **_days(date(2021, 11, 3), "E", "E"),                 # the unknown number first calls
    },
    off_duty={
        **_days(date(2021, 3, 6), "RD", "RD"),
        date(2021, 3, 20): "RD", date(2021, 3, 24): "RD",
        date(2021, 5, 2): "RD", date(2021, 6, 14): "RD", date(2021, 6, 15): "RD",
        date(2021, 10, 2): "RD", date(2021, 11, 7): "RD",
    },
)

# Annual leave (inclusive ranges) and the weeks the force could not supply a roster for.
LEAVE = ((date(2021, 4, 5), date(2021, 4, 9)), (date(2021, 7, 26), date(2021, 8, 6)),
         (date(2021, 12, 20), date(2021, 12, 31)))
ROSTER_GAPS = ((date(2021, 8, 9), date(2021, 8, 22)), (date(2021, 11, 22), date(2021, 11, 22)),
               (date(2022, 1, 17), date(2022, 1, 18)))


def _toml_text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _toml_list(values: tuple[str, ...]) -> str:
    return "[" + ", ".join(_toml_text(v) for v in values) + "]"


def case_toml() -> str:
    """The case description file (ARCHITECTURE.md "Case description file")."""
    lines = [
        "# Demo case generated by `workbench demo`: fictional people, Ofcom drama numbers.",
        "[case]",
        f"ref = {_toml_text(DEMO_REF)}",
        'title = "Demo: PCSO contact with members of the public met through duty"',
        'classification = "OFFICIAL-SENSITIVE"',
        f"timezone = {_toml_text(TIMEZONE)}",
        f'opened = "{CASE_OPENED.isoformat()}"',
    ]
    for person in PEOPLE:
        lines += ["", "[[person]]", f"key = {_toml_text(person.key)}",
                  f"name = {_toml_text(person.name)}", f"role = {_toml_text(person.role)}"]
        if person.collar:
            lines.append(f"collar = {_toml_text(person.collar)}")
        if person.cipher:
            lines.append(f"cipher = {_toml_text(person.cipher)}")
        if person.vulnerabilities:
            lines.append(f"vulnerabilities = {_toml_list(person.vulnerabilities)}")
        lines.append("identifiers = [")
        for ident in person.identifiers:
            use = f", use = {_toml_text(ident.use)}" if ident.use != "unknown" else ""
            lines.append(f"  {{ kind = {_toml_text(ident.kind)}, "
                         f"value = {_toml_text(ident.value)}{use} }},")
        lines.append("]")
        if person.home:
            lines.append(f"home = {{ lat = {person.home.lat}, lon = {person.home.lon}, "
                         f"label = {_toml_text(person.home.label)} }}")
    for engagement in ENGAGEMENTS:
        lines += ["", "[[engagement]]", 'officer = "pcso"',
                  f"member = {_toml_text(engagement.member)}",
                  f"kind = {_toml_text(engagement.kind)}",
                  f"reference = {_toml_text(engagement.reference)}",
                  f'started = "{engagement.started.isoformat()}"',
                  f'concluded = "{engagement.concluded.isoformat()}"']
        if engagement.outcome:
            lines.append(f"outcome = {_toml_text(engagement.outcome)}")
    return "\n".join(lines) + "\n"
