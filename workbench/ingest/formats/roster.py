"""Duty rosters (kind ``roster``): who was on duty when.

Each row is one shift: the person (by collar number, system user id or name),
start and end (whole timestamps, or a date column with start and end times; an
end earlier than the start is the next morning), and the duty type. Rest days,
leave and sickness are recorded as shifts that are *off* duty; such a row with
no times covers the whole day.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta

from workbench.ingest import registry
from workbench.ingest.records import ParseOptions, ShiftRecord, SourceFile
from workbench.ingest.tabular import (
    Field,
    Layout,
    Table,
    header_key,
    open_table,
    person_party,
    sniff_fields,
)
from workbench.ingest.timeparse import TimeParser, parse_clock

LAYOUT = Layout("a duty roster", [
    Field("collar", ("collar number", "collar no", "collar", "shoulder number", "warrant number",
                     "badge number", "force number"), label="collar number"),
    Field("user", ("user id", "userid", "username", "login"), label="user id"),
    Field("person", ("officer", "name", "officer name", "full name", "employee", "employee name",
                     "staff name", "staff member"), label="person"),
    Field("date", ("shift date", "duty date", "roster date", "day")),
    Field("start", ("shift start", "start time", "start date time", "from", "on", "begin",
                    "on duty", "start datetime", "shift start time")),
    Field("end", ("shift end", "end time", "finish", "finish time", "end date time", "to",
                  "off", "off duty", "end datetime", "shift end time")),
    Field("duty", ("duty type", "shift type", "status", "shift", "type", "duty code",
                   "shift code", "code", "activity")),
])

# Duty types that mean the person was not working (compared without case or punctuation).
OFF_DUTY = frozenset({
    "restday", "rd", "rest", "rdw0", "off", "offduty", "al", "annualleave", "leave", "sick",
    "sickness", "sl", "toil", "timeoffinlieu", "lieu", "lieuday", "bankholiday", "bh", "phl",
    "suspended", "absent", "absence", "notrostered", "nonworkingday", "unavailable",
})
_OFF_WORDS = ("leave", "sick", "restday", "lieu")


def is_off_duty(duty: str) -> bool:
    """Whether a duty type means off duty: rest day, leave, annual leave, sick, off, RD, AL…"""
    key = header_key(duty)
    return key in OFF_DUTY or any(word in key for word in _OFF_WORDS)


def sniff(name: str, head: bytes) -> float:
    found = sniff_fields(head, LAYOUT)
    has_person = bool(found & {"collar", "user", "person"})
    return 0.9 if has_person and {"start", "end"} <= found else 0.0


def parse(source: SourceFile, options: ParseOptions) -> Iterator[ShiftRecord]:
    table = open_table(source, options, LAYOUT)
    columns = table.columns
    if not ({"collar", "user", "person"} & columns.index.keys()):
        raise columns.missing("collar", "user", "person")
    columns.require("start", "end")
    times = TimeParser(options.tz)
    people = [(name, columns.index[name]) for name in ("collar", "user", "person")
              if name in columns]
    duty_at = columns.get("duty")
    for line, row in table.rows():
        party = None
        for name, at in people:
            party = person_party(row[at], name)
            if party is not None:
                break
        if party is None:
            raise table.refuse(line, people[0][0], row[people[0][1]], "no person named")
        duty = row[duty_at].strip() if duty_at is not None else ""
        on_duty = not is_off_duty(duty) if duty else True
        start, end, ambiguous = _shift_times(table, times, line, row, on_duty)
        if ambiguous:
            options.warn(f"line {line}", "shift time in the clock-change hour: the earlier "
                                         "reading was taken")
        yield ShiftRecord(f"line {line}", party, start, end, duty or "on duty", on_duty)


def _shift_times(table: Table, times: TimeParser, line: int, row: list[str],
                 on_duty: bool) -> tuple[datetime, datetime, bool]:
    columns = table.columns
    start_text = row[columns.index["start"]].strip()
    end_text = row[columns.index["end"]].strip()
    date_at = columns.get("date")
    day_text = row[date_at].strip() if date_at is not None else ""
    if not start_text and not end_text and day_text and not on_duty:
        # A rest day or leave with no times: the whole local day.
        try:
            day = times.date(day_text)
        except ValueError as exc:
            raise table.refuse(line, "date", day_text, str(exc)) from None
        start, first = times.local(datetime.combine(day, time()))
        end, second = times.local(datetime.combine(day + timedelta(days=1), time()))
        return start, end, first or second
    results = []
    for name, text in (("start", start_text), ("end", end_text)):
        try:
            if text and times.is_day(text):
                raise ValueError("a date with no time of day")
            if day_text:
                results.append(_on_day(times, day_text, text))
            else:
                results.append(times.timestamp(text))
        except ValueError as exc:
            raise table.refuse(line, name, text, str(exc)) from None
    (start, first), (end, second) = results
    if end <= start and day_text and _is_clock(end_text) and end_text not in ("24:00", "24:00:00"):
        end, second = _on_day(times, day_text, end_text, days=1)  # a night shift
    return start, end, first or second


def _is_clock(text: str) -> bool:
    try:
        parse_clock(text)
    except ValueError:
        return False
    return len(text.strip()) <= 11  # a bare time of day, not a date written with it


def _on_day(times: TimeParser, day_text: str, text: str, days: int = 0) -> tuple[datetime, bool]:
    """A start or end cell on the roster date: a bare time, or a whole date and time."""
    if not text:
        raise ValueError("empty")
    if text in ("24:00", "24:00:00"):  # the end of the day, as rosters write it
        text, days = "00:00", days + 1
    if not _is_clock(text):
        return times.timestamp(text)
    day = times.date(day_text) + timedelta(days=days)
    hour, minute, second, micro, zone = parse_clock(text)
    naive = datetime(day.year, day.month, day.day, hour, minute, second, micro)
    return times.local(naive.replace(tzinfo=zone) if zone else naive)


registry.register(registry.Importer(
    kind="roster", label="Duty roster", sniff=sniff, parse=parse,
    needs_owner=False, local_time=True, layout=LAYOUT,
))
