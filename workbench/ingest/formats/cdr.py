"""Call data records and billing CSVs (kind ``cdr``).

There is no national layout, so columns are found by their many header names.
Two shapes are read:

* both ends named (``Calling Number``/``Called Number``, A-party/B-party): the
  file describes one device, whose number is the one present in every row; the
  importer says which number that is in a warning;
* only the other party, with a direction (``number`` + ``in/out``; bandicoot's
  ``correspondent_id``): the device's own number comes from a column such as
  ``user`` or ``msisdn`` when there is one, otherwise from ``--owner``.

Cell id, IMEI and IMSI are kept in the event's text, as ``Network: cell …;
IMEI …``: they describe where and on which handset the call was made, which an
investigator reads alongside the call, and the event has no other column for
them (``media`` means an attachment, and the analysis treats it so). A file
with more than one IMEI is flagged in a warning (a handset change).

Data sessions are not contact and are skipped with a counted warning.
Correspondents written as labels rather than numbers (pseudonymised datasets)
become ``name`` identifiers; withheld numbers are recorded as absent.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from workbench.errors import ImportRefused
from workbench.identifiers import BadIdentifier, display_phone, normalise_phone
from workbench.ingest import registry
from workbench.ingest.records import EventRecord, ParseOptions, Party, SourceFile
from workbench.ingest.tabular import Field, Layout, Table, header_key, open_table, sniff_fields
from workbench.ingest.timeparse import TimeParser, parse_duration

LAYOUT = Layout("call records", [
    Field("timestamp", (
        "date time", "datetime", "date/time", "date and time", "time stamp", "start time",
        "start date time", "call start", "call start time", "call timestamp", "call date time",
        "call datetime", "event timestamp", "event date time", "event time", "seizure time",
        "record time", "timestamp utc", "date time utc", "connection time",
    )),
    Field("date", ("call date", "event date", "start date", "date of call", "day")),
    Field("time", ("call time", "time of call", "start of call")),
    Field("from", (
        "calling number", "calling", "calling party", "calling party number", "a party",
        "a party number", "a number", "a msisdn", "originating number", "originator",
        "caller", "caller number", "caller id", "source", "source number", "from number",
        "origin",
    )),
    Field("to", (
        "called number", "called", "called party", "called party number", "b party",
        "b party number", "b number", "b msisdn", "dialled number", "dialed number",
        "dialled digits", "destination", "destination number", "recipient",
        "recipient number", "to number",
    )),
    Field("other", (
        "other party", "other number", "other", "correspondent", "correspondent id",
        "number", "party", "contact number", "remote number", "remote party", "third party",
        "phone number", "telephone number", "counterpart",
    ), label="other party"),
    Field("own_number", (
        "user", "msisdn", "subscriber", "subscriber number", "target", "target number",
        "target msisdn", "own number", "served msisdn", "handset number", "device number",
    ), label="own number"),
    Field("direction", (
        "call direction", "in out", "in/out", "incoming outgoing", "mo mt", "mo/mt",
        "direction of call", "originating terminating",
    )),
    Field("type", (
        "call type", "event type", "record type", "interaction", "service", "service type",
        "communication type", "usage type", "event", "record", "category",
    )),
    Field("duration", (
        "call duration", "duration s", "duration seconds", "duration secs", "duration sec",
        "duration hh mm ss", "duration hhmmss", "call length", "seconds", "secs",
        "billed duration", "conversation time", "duration mins secs",
    )),
    Field("status", (
        "call status", "call result", "result", "outcome", "disposition", "answered",
        "answer status",
    )),
    Field("cell", (
        "cell id", "cellid", "cell site", "antenna id", "antenna", "site id", "lac ci", "cgi",
        "ecgi", "first cell", "start cell", "cell ref", "cell identity", "first cell id",
    )),
    Field("imei", ("device imei", "handset imei", "imei number"), label="IMEI"),
    Field("imsi", ("served imsi", "imsi number"), label="IMSI"),
])

_OUT = frozenset({
    "out", "outgoing", "o", "mo", "moc", "originating", "orig", "originated", "outbound",
    "sent", "send", "dialled", "dialed", "made", "outgoingcall", "outgoingsms",
})
_IN = frozenset({
    "in", "incoming", "i", "mt", "mtc", "terminating", "term", "terminated", "inbound",
    "received", "receive", "incomingcall", "incomingsms",
})
_MISSED = frozenset({"missed", "missedcall", "unanswered", "missedincoming"})
_WITHHELD = frozenset({
    "withheld", "private", "unknown", "anonymous", "restricted", "numberwithheld",
    "notavailable", "unavailable", "na", "none", "null",
})
_TOKENS = re.compile(r"[^0-9a-z]+")
_SMS_FILE_NAME = re.compile(r"sms|text|message", re.I)
_DIGIT = re.compile(r"\d")


@lru_cache(maxsize=1024)
def read_type(value: str) -> tuple[str | None, str | None, str | None]:
    """``(event kind or None to skip, status, direction hint)`` from a call-type cell."""
    tokens = set(_TOKENS.split(value.casefold())) - {""}
    key = "".join(_TOKENS.split(value.casefold()))
    hint = "out" if tokens & _OUT else "in" if tokens & _IN else None
    status = "missed" if "missed" in key else None
    if "mms" in key:
        return "mms", status, hint
    if "sms" in key or "text" in key or "message" in key:
        return "sms", status, hint
    if "data" in key or "gprs" in key or key in {"internet", "ussd", "wap", "packet", "lte"}:
        return None, None, None
    if ("voice" in key or "call" in key or key in {"moc", "mtc", "tel", "telephony", "cf"}
            or tokens & {"moc", "mtc"}):
        return "call", status, hint
    if not key:
        raise ValueError("empty")
    raise ValueError("not a call type (expected voice/call, sms/text, mms or data)")


@lru_cache(maxsize=256)
def read_direction(value: str) -> tuple[str | None, str | None]:
    """``("in"|"out"|None, status)`` from a direction cell."""
    key = header_key(value)
    if key in _OUT:
        return "out", None
    if key in _IN:
        return "in", None
    if key in _MISSED:
        return "in", "missed"
    if not key:
        return None, None
    raise ValueError("not a direction (expected in/out, incoming/outgoing or MO/MT)")


@lru_cache(maxsize=256)
def read_status(value: str) -> str | None:
    """A call's status (missed, unanswered, rejected, failed) or None when it connected."""
    key = header_key(value)
    if "miss" in key:
        return "missed"
    if key in {"n", "no", "false", "0", "noanswer", "notanswered", "unanswered", "busy",
               "engaged", "noreply", "voicemail"}:
        return "unanswered"
    if "reject" in key or "declin" in key:
        return "rejected"
    if "fail" in key or "error" in key or "drop" in key:
        return "failed"
    return None


class _Parties:
    """Raw number cells to shared :class:`Party` objects (one per normalised number)."""

    def __init__(self) -> None:
        self.phones: dict[str, Party] = {}  # the fast path: cells holding a number
        self.others: dict[str, Party | None] = {}  # labels, withheld and blank cells (counted)
        self.by_number: dict[str, Party] = {}
        self.withheld = 0
        self.labels = 0

    def get(self, raw: str) -> Party | None:
        """The party for a cell; callers try ``phones.get(raw)`` first."""
        found = self.phones.get(raw)
        if found is not None:
            return found
        if raw in self.others:
            party = self.others[raw]
        else:
            party = self._new(raw)
            if party is not None and party.kind == "phone":
                self.phones[raw] = party
                return party
            self.others[raw] = party
        if party is not None:
            self.labels += 1
        elif raw.strip():
            self.withheld += 1
        return party

    def _new(self, raw: str) -> Party | None:
        text = raw.strip()
        if not text or header_key(text) in _WITHHELD:
            return None
        if not _DIGIT.search(text):
            return Party("name", text)  # a pseudonymised correspondent, not a number
        try:
            number = normalise_phone(text)
        except BadIdentifier:
            return None
        return self.by_number.setdefault(number, Party("phone", text))


def sniff(name: str, head: bytes) -> float:
    found = sniff_fields(head, LAYOUT)
    has_time = bool(found & {"timestamp", "date", "time"})
    both_ends = {"from", "to"} <= found
    one_end = "other" in found and bool(found & {"direction", "type"})
    return 0.9 if has_time and (both_ends or one_end) else 0.0


def parse(source: SourceFile, options: ParseOptions) -> Iterator[EventRecord]:
    table = open_table(source, options, LAYOUT)
    columns = table.columns
    both_ends = "from" in columns and "to" in columns
    if not both_ends:
        if "other" not in columns:
            if "from" in columns or "to" in columns:
                raise columns.missing("to" if "from" in columns else "from")
            raise columns.missing("from", "other")
        if "direction" not in columns and "type" not in columns:
            raise columns.missing("direction")
        if "own_number" not in columns and not options.owner:
            raise ImportRefused(
                f"these call records name only the other party ({columns.header('other')!r}, "
                "with a direction): say whose phone they are from with --owner PERSON[:NUMBER]"
            )
    if not ({"timestamp", "date", "time"} & columns.index.keys()):
        raise columns.missing("timestamp", "date")
    default_kind = _default_kind(source, table, options)
    yield from _rows(table, options, both_ends, default_kind)


def _default_kind(source: SourceFile, table: Table, options: ParseOptions) -> str:
    if "type" in table.columns:
        return "call"
    if "duration" not in table.columns and _SMS_FILE_NAME.search(source.name):
        options.warn("", "no call-type column: every row taken as an SMS (from the file name)")
        return "sms"
    options.warn("", "no call-type column: every row taken as a call")
    return "call"


def _rows(table: Table, options: ParseOptions, both_ends: bool,
          default_kind: str) -> Iterator[EventRecord]:
    columns = table.columns
    times = TimeParser(options.tz)
    parties = _Parties()
    stamp_at, date_at, time_at = columns.get("timestamp"), columns.get("date"), columns.get("time")
    if date_at is not None and time_at is None and stamp_at is not None:
        time_at, stamp_at = stamp_at, None  # "Date" + "Start Time": the second is the time of day
    if date_at is not None and time_at is None:
        stamp_at, date_at = date_at, None  # one "Date" column holding date and time
    if stamp_at is None and date_at is None:
        stamp_at, time_at = time_at, None
    from_at, to_at = columns.get("from"), columns.get("to")
    other_at, own_at = columns.get("other"), columns.get("own_number")
    direction_at, type_at = columns.get("direction"), columns.get("type")
    duration_at, status_at = columns.get("duration"), columns.get("status")
    cell_at, imei_at, imsi_at = columns.get("cell"), columns.get("imei"), columns.get("imsi")
    has_network = cell_at is not None or imei_at is not None or imsi_at is not None
    network_texts: dict[tuple[str, ...], str | None] = {}
    owner = Party.of_owner("phone")
    own_numbers: set[Party | None] = set()
    first_row = True
    candidate_a: Party | None = None
    candidate_b: Party | None = None
    imeis: set[str] = set()
    skipped_data = 0
    phones, party_of = parties.phones, parties.get
    timestamp, date_and_time, is_day = times.timestamp, times.date_and_time, times.is_day
    for line, row in table.rows():
        try:
            if stamp_at is not None:
                occurred, ambiguous = timestamp(row[stamp_at])
                day_only = is_day(row[stamp_at])
            else:
                occurred, ambiguous = date_and_time(row[date_at], row[time_at])  # type: ignore[index]
                day_only = is_day(row[date_at], row[time_at])  # type: ignore[index]
        except ValueError as exc:
            if stamp_at is not None:
                raise _bad(table, line, stamp_at, row, f"{exc}") from None
            raise _bad(table, line, date_at, row, f"{exc}; time {row[time_at]!r}") from None  # type: ignore[arg-type,index]
        kind, status, hint = default_kind, None, None
        if type_at is not None:
            try:
                kind, status, hint = read_type(row[type_at])  # type: ignore[assignment]
            except ValueError as exc:
                raise _bad(table, line, type_at, row, str(exc)) from None
            if kind is None:
                skipped_data += 1
                continue
        duration = None
        if duration_at is not None and kind == "call":
            try:
                duration = parse_duration(row[duration_at])
            except ValueError as exc:
                raise _bad(table, line, duration_at, row, str(exc)) from None
        if status_at is not None:
            status = read_status(row[status_at]) or status
        if both_ends:
            sender = phones.get(row[from_at]) or party_of(row[from_at])  # type: ignore[index]
            recipient = phones.get(row[to_at]) or party_of(row[to_at])  # type: ignore[index]
            # The device's own number is the one in every row: two candidates, narrowed.
            if first_row:
                candidate_a, candidate_b, first_row = sender, recipient, False
            else:
                if candidate_a is not None and candidate_a is not sender and candidate_a is not recipient:
                    candidate_a = None
                if candidate_b is not None and candidate_b is not sender and candidate_b is not recipient:
                    candidate_b = None
        else:
            other = phones.get(row[other_at]) or party_of(row[other_at])  # type: ignore[index]
            if own_at is not None:
                me = phones.get(row[own_at]) or party_of(row[own_at])
                if len(own_numbers) < 10:
                    own_numbers.add(me)
            else:
                me = owner
            way = hint
            if direction_at is not None:
                try:
                    way, missed = read_direction(row[direction_at])
                except ValueError as exc:
                    raise _bad(table, line, direction_at, row, str(exc)) from None
                status = status or missed
                way = way or hint
            if way is None:
                raise ImportRefused("no direction: cannot tell who contacted whom", f"line {line}")
            sender, recipient = (me, other) if way == "out" else (other, me)
        text = None
        if has_network:
            key = tuple(row[at] for at in (cell_at, imei_at, imsi_at) if at is not None)
            if key in network_texts:
                text = network_texts[key]
            else:
                text = network_texts[key] = _network_text(row, cell_at, imei_at, imsi_at)
                if len(network_texts) > 100_000:
                    network_texts.clear()  # constant memory, whatever the file
                if imei_at is not None and row[imei_at].strip() and len(imeis) < 10:
                    imeis.add(row[imei_at].strip())
        yield EventRecord(f"line {line}", occurred, kind, sender, recipient, None, duration,
                          status, text, None, None, None, ambiguous, day_only)
    candidates = None if first_row else [candidate_a, candidate_b]
    _closing_warnings(options, parties, candidates, imeis, skipped_data)
    if len(own_numbers) > 1:
        options.warn("", f"the {columns.header('own_number')!r} column holds {len(own_numbers)}"
                         f"{'+' if len(own_numbers) >= 10 else ''} different numbers: this file "
                         "holds more than one device's records")


def _network_text(row: list[str], cell_at: int | None, imei_at: int | None,
                  imsi_at: int | None) -> str | None:
    parts = []
    if cell_at is not None and row[cell_at].strip():
        parts.append(f"cell {row[cell_at].strip()}")
    if imei_at is not None and row[imei_at].strip():
        parts.append(f"IMEI {row[imei_at].strip()}")
    if imsi_at is not None and row[imsi_at].strip():
        parts.append(f"IMSI {row[imsi_at].strip()}")
    return "Network: " + "; ".join(parts) if parts else None


def _bad(table: Table, line: int, at: int, row: list[str], reason: str) -> ImportRefused:
    return ImportRefused(
        f"column {table.columns.headers[at]!r}: cannot read {row[at]!r} ({reason})", f"line {line}"
    )


def _closing_warnings(options: ParseOptions, parties: _Parties, candidates: list[Party | None] | None,
                      imeis: set[str], skipped_data: int) -> None:
    if skipped_data:
        options.warn("", f"{skipped_data} data session(s) skipped (not contact)")
    if parties.withheld:
        options.warn("", f"{parties.withheld} row(s) with a withheld or unknown number (kept, "
                         "with that party absent)")
    if parties.labels:
        options.warn("", f"{parties.labels} row(s) name a party by a label rather than a number "
                         "(kept as name identifiers)")
    if len(imeis) > 1:
        options.warn("", f"{len(imeis)} different IMEIs (handsets): {', '.join(sorted(imeis))}")
    if candidates is None:
        return
    owners = [c for c in dict.fromkeys(candidates) if c is not None]  # type: ignore[arg-type]
    if len(owners) == 1:
        number = owners[0].value
        try:
            number = display_phone(normalise_phone(number))
        except BadIdentifier:
            pass
        options.warn("", f"the device's own number is taken to be {number} (present in every row)")
    elif not owners:
        options.warn("", "no number is present in every row: this file may hold more than "
                         "one device's records")
    else:
        options.warn("", "every row is between the same two numbers: "
                         + " and ".join(o.value for o in owners))


registry.register(registry.Importer(
    kind="cdr", label="Call data records", sniff=sniff, parse=parse,
    needs_owner=False, local_time=True, layout=LAYOUT,
))
