"""Police-system access logs (kind ``system-audit``): Niche, PNC, PND, ANPR, command and control.

Each row becomes a ``system_lookup`` event on the ``police_system`` channel:
sender the system user, recipient the police record looked at (or, when the
log names only a subject, that name, so the investigator can link it to a
person later). What was done is kept in the text, as an investigator reads it:
``Niche: View person — record NICHE-PER-448812; terms 'Kerry Lowe'; reason '…';
terminal WS-0142``. Logs of a single system often have no system column: the
file is then taken to be from "police system", with a warning.
"""

from __future__ import annotations

from collections.abc import Iterator

from workbench.ingest import registry
from workbench.ingest.records import EventRecord, ParseOptions, Party, SourceFile
from workbench.ingest.tabular import Field, Layout, open_table, sniff_fields
from workbench.ingest.timeparse import TimeParser

LAYOUT = Layout("a police-system audit log", [
    Field("timestamp", (
        "date time", "datetime", "date/time", "time stamp", "access time", "accessed",
        "accessed at", "event time", "audit time", "transaction time", "logged", "logged at",
        "date and time",
    )),
    Field("date", ("access date", "audit date", "transaction date")),
    Field("time", ("access time of day", "transaction time of day")),
    Field("user", (
        "user id", "userid", "username", "user name", "login", "login id", "operator",
        "operator id", "collar number", "collar no", "officer", "user account", "account",
    )),
    Field("system", ("application", "source system", "database", "system name", "app")),
    Field("action", (
        "transaction", "transaction type", "event", "event type", "activity", "action type",
        "function", "operation", "access type", "audit event",
    )),
    Field("record", (
        "record ref", "record reference", "record id", "person id", "nominal id",
        "nominal ref", "object id", "entity id", "record number", "urn", "vrm searched",
    )),
    Field("subject", ("subject name", "nominal", "nominal name", "person", "person name",
                      "name viewed")),
    Field("terms", ("search terms", "search term", "search criteria", "criteria", "query",
                    "search string", "search text", "search"), label="search terms"),
    Field("reason", ("justification", "purpose", "reason for access", "reason code")),
    Field("terminal", ("workstation", "device", "ip address", "ip", "machine", "terminal id",
                       "host")),
])


def sniff(name: str, head: bytes) -> float:
    found = sniff_fields(head, LAYOUT)
    has_time = bool(found & {"timestamp", "date"})
    return 0.9 if has_time and {"user", "action"} <= found else 0.0


def parse(source: SourceFile, options: ParseOptions) -> Iterator[EventRecord]:
    table = open_table(source, options, LAYOUT)
    columns = table.columns
    columns.require("user", "action")
    if not ({"timestamp", "date"} & columns.index.keys()):
        raise columns.missing("timestamp", "date")
    if "system" not in columns:
        options.warn("", "no system column: every row taken as from 'police system'")
    times = TimeParser(options.tz)
    stamp_at, date_at, time_at = columns.get("timestamp"), columns.get("date"), columns.get("time")
    if date_at is not None and time_at is None:
        time_at, stamp_at = stamp_at, None
        if time_at is None:
            stamp_at, date_at = date_at, None
    get = columns.get
    for line, row in table.rows():
        try:
            if stamp_at is not None:
                occurred, ambiguous = times.timestamp(row[stamp_at])
                day_only = times.is_day(row[stamp_at])
            else:
                occurred, ambiguous = times.date_and_time(row[date_at], row[time_at])  # type: ignore[index]
                day_only = times.is_day(row[date_at], row[time_at])  # type: ignore[index]
        except ValueError as exc:
            at = stamp_at if stamp_at is not None else date_at
            name = "timestamp" if stamp_at is not None else "date"
            raise table.refuse(line, name, row[at], str(exc)) from None  # type: ignore[index]

        def cell(field: str, row: list[str] = row) -> str:
            at = get(field)
            return row[at].strip() if at is not None else ""

        user = cell("user")
        if not user:
            raise table.refuse(line, "user", user, "no user named")
        action = cell("action")
        if not action:
            raise table.refuse(line, "action", action, "no action")
        record, subject = cell("record"), cell("subject")
        recipient = (Party("police_record", record) if record
                     else Party("name", subject) if subject else None)
        yield EventRecord(
            f"line {line}", occurred, "system_lookup", Party("system_user", user), recipient,
            "police_system", None, None,
            describe(cell("system") or "police system", action, record, subject,
                     cell("terms"), cell("reason"), cell("terminal")),
            None, None, None, ambiguous, day_only,
        )


def describe(system: str, action: str, record: str, subject: str, terms: str, reason: str,
             terminal: str) -> str:
    """``Niche: Search person — terms 'Kerry Lowe'; reason '…'; terminal WS-0142``."""
    details = []
    if record:
        details.append(f"record {record}")
    if subject:
        details.append(f"subject {_quoted(subject)}")
    if terms:
        details.append(f"terms {_quoted(terms)}")
    if reason:
        details.append(f"reason {_quoted(reason)}")
    if terminal:
        details.append(f"terminal {terminal}")
    head = f"{system}: {action}"
    return f"{head} — {'; '.join(details)}" if details else head


def _quoted(text: str) -> str:
    return "'" + " ".join(text.split()) + "'"  # one line, as the timeline shows it


registry.register(registry.Importer(
    kind="system-audit", label="Police system audit log", sniff=sniff, parse=parse,
    needs_owner=False, local_time=True, layout=LAYOUT,
))
