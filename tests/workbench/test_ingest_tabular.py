"""Call-record CSVs end to end: layouts, encodings, times, owners, refusals, samples."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from tests.conftest import DATA, SAMPLES
from workbench.errors import ImportRefused
from workbench.ingest import registry
from workbench.ingest.pipeline import import_file
from workbench.ingest.tabular import column_choices
from workbench.ingest.timeparse import TimeParser, parse_duration
from workbench.model import AuditEntry, Event, Exhibit, Identifier
from workbench.store import Store

INGEST = DATA / "ingest"
LONDON = ZoneInfo("Europe/London")


def events_of(store: Store, exhibit: str) -> list[Event]:
    with store.reader() as session:
        rows = session.scalars(
            select(Event).join(Exhibit, Event.exhibit_id == Exhibit.id)
            .where(Exhibit.reference == exhibit).order_by(Event.id)
        ).all()
        for event in rows:  # load the identifiers while the session is open
            _ = event.sender, event.recipient
        return list(rows)


def value(identifier: Identifier | None) -> str | None:
    return identifier.value if identifier is not None else None


def nothing_left(store: Store) -> None:
    with store.reader() as session:
        assert session.scalar(select(func.count()).select_from(Event)) == 0
        assert session.scalar(select(func.count()).select_from(Exhibit)) == 0
    stored = [p for p in store.files.root.rglob("*") if p.is_file()] if store.files.root.exists() else []
    assert stored == []


# -- times ---------------------------------------------------------------------------------------

def test_times_in_every_written_form_become_utc() -> None:
    times = TimeParser(LONDON)
    bst = datetime(2021, 6, 20, 13, 30, 5, tzinfo=UTC)
    assert times.timestamp("2021-06-20 14:30:05") == (bst, False)
    assert times.timestamp("20/06/2021 14:30:05") == (bst, False)
    assert times.timestamp("2021-06-20T14:30:05+01:00") == (bst, False)
    assert times.timestamp("2021-06-20T13:30:05Z") == (bst, False)
    assert times.timestamp("1624195805") == (bst, False)
    assert times.timestamp("1624195805000") == (bst, False)
    assert times.date_and_time("20/06/2021", "14:30:05") == (bst, False)
    assert times.timestamp("20/06/2021 2:30:05 pm") == (bst, False)
    # Cached hours must not leak between minutes or formats.
    assert times.timestamp("2021-06-20 14:59:59")[0] == datetime(2021, 6, 20, 13, 59, 59, tzinfo=UTC)
    assert times.timestamp("02/03/2021 10:15")[0] == datetime(2021, 3, 2, 10, 15, tzinfo=UTC)


def test_autumn_clock_change_hour_is_flagged_not_guessed() -> None:
    times = TimeParser(LONDON)
    moment, ambiguous = times.timestamp("31/10/2021 01:30:00")
    assert ambiguous and moment == datetime(2021, 10, 31, 0, 30, tzinfo=UTC)  # earlier reading
    assert times.timestamp("31/10/2021 01:45:00")[1]  # from the cache, still flagged
    assert not times.timestamp("31/10/2021 02:30:00")[1]


@pytest.mark.parametrize("text", ["31/02/2021 10:00", "2021-13-01 10:00", "tomorrow",
                                  "20/06/2021 25:00", "2021-06-20 14:61:00"])
def test_impossible_times_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        TimeParser(LONDON).timestamp(text)


@pytest.mark.parametrize("text", ["20/06/2021", "2021-06-20", "20 Jun 2021", "20-Jun-21"])
def test_a_date_with_no_time_is_the_start_of_that_local_day_known_only_to_the_day(
        text: str) -> None:
    times = TimeParser(LONDON)
    assert times.timestamp(text) == (datetime(2021, 6, 19, 23, 0, tzinfo=UTC), False)  # BST
    assert times.is_day(text)
    assert times.date_and_time(text, " ") == (datetime(2021, 6, 19, 23, 0, tzinfo=UTC), False)
    assert times.is_day(text, " ")


@pytest.mark.parametrize("text", ["20/06/2021 00:00", "2021-06-20T00:00:00Z", "1624143600",
                                  "20 Jun 2021 00:00"])
def test_a_written_midnight_is_a_time(text: str) -> None:
    assert not TimeParser(LONDON).is_day(text)
    assert not TimeParser(LONDON).is_day("20/06/2021", "00:00")


def test_durations() -> None:
    assert parse_duration("137") == 137
    assert parse_duration("0:02:17") == 137
    assert parse_duration("2:17") == 137
    assert parse_duration("1:02:03") == 3723
    assert parse_duration("") is None
    for bad in ("-5", "two minutes", "1::2"):
        with pytest.raises(ValueError):
            parse_duration(bad)


# -- call records --------------------------------------------------------------------------------

def test_provider_layout_imports_with_channels_directions_and_utc(willow: Store) -> None:
    result = import_file(willow, "OP-WILLOW", INGEST / "cdr_provider.csv")
    assert result.kind == "cdr"
    assert result.events == 6  # the data session is skipped
    assert any("1 data session" in w for w in result.warnings)
    assert any("07700 900101" in w and "every row" in w for w in result.warnings)
    events = events_of(willow, result.exhibit)
    first = events[0]
    assert first.source_position == "line 2"
    assert (first.kind, first.channel, first.direction) == ("call", "work_mobile", "outgoing")
    assert value(first.sender) == "+447700900101" and value(first.recipient) == "+447700900201"
    assert first.duration_s == 137
    assert first.occurred_at == datetime(2021, 3, 2, 10, 15, tzinfo=UTC)  # GMT
    assert first.text == "Network: cell 234-10-4521-10021; IMEI 356938035643809"
    assert events[1].direction == "incoming"
    assert events[2].kind == "sms" and events[2].duration_s is None
    bst = events[3]
    assert bst.source_position == "line 6"  # line 5 (data) skipped, numbering kept
    assert bst.occurred_at == datetime(2021, 6, 20, 13, 30, 5, tzinfo=UTC)
    autumn = events[4]
    assert autumn.time_ambiguous and result.ambiguous_times == 1
    assert autumn.occurred_at == datetime(2021, 10, 31, 0, 30, tzinfo=UTC)
    assert events[5].duration_s == 3723
    assert result.unresolved_created == 1  # 07700 900555


def test_second_layout_with_title_line_offsets_and_withheld(willow: Store) -> None:
    result = import_file(willow, "OP-WILLOW", INGEST / "cdr_uk_layout.csv")
    events = events_of(willow, result.exhibit)
    assert [e.source_position for e in events] == [f"line {n}" for n in range(3, 8)]
    assert [e.kind for e in events] == ["sms", "sms", "call", "call", "call"]
    assert {e.channel for e in events} == {"personal_mobile"}
    assert [e.direction for e in events][:2] == ["outgoing", "incoming"]
    assert events[2].duration_s == 1260
    assert events[3].occurred_at == datetime(2021, 3, 21, 0, 15, tzinfo=UTC)  # Z kept as UTC
    assert events[4].recipient is None  # withheld
    assert any("withheld" in w for w in result.warnings)


def test_semicolon_cp1252_file(willow: Store) -> None:
    result = import_file(willow, "OP-WILLOW", INGEST / "cdr_semicolon_cp1252.csv")
    events = events_of(willow, result.exhibit)
    assert len(events) == 2
    assert events[0].text == "Network: cell Leeds – Hyde Park Café"
    assert events[0].duration_s == 125 and events[1].kind == "sms"


def test_utf16_tab_delimited_file(willow: Store) -> None:
    result = import_file(willow, "OP-WILLOW", INGEST / "cdr_utf16.csv")
    events = events_of(willow, result.exhibit)
    assert [(e.kind, e.direction, e.channel) for e in events] == [
        ("call", "outgoing", "personal_mobile"), ("sms", "incoming", "personal_mobile")]
    assert events[0].occurred_at == datetime(2021, 3, 6, 20, 0, tzinfo=UTC)


def test_epoch_milliseconds_with_map(willow: Store) -> None:
    with pytest.raises(ImportRefused, match=r"no to .*--map to=HEADER"):
        import_file(willow, "OP-WILLOW", INGEST / "cdr_epoch_ms.csv", kind="cdr")
    result = import_file(willow, "OP-WILLOW", INGEST / "cdr_epoch_ms.csv", kind="cdr",
                         mapping={"to": "Callee", "type": "Kind"})
    with willow.reader() as session:  # how the file was read is recorded with it
        entry = json.loads(session.scalars(select(AuditEntry.details).where(
            AuditEntry.action == "import")).all()[-1])
        note = session.scalars(select(Exhibit).where(Exhibit.reference == result.exhibit)).one(
            ).continuity[-1].note
    assert entry["mapping"] == {"to": "Callee", "type": "Kind"}
    assert note.endswith("; columns chosen: to=Callee, type=Kind")
    events = events_of(willow, result.exhibit)
    assert [e.kind for e in events] == ["call", "sms", "call"]
    assert events[0].occurred_at == datetime(2021, 3, 6, 20, 0, tzinfo=UTC)
    assert events[0].duration_s == 95 and events[1].direction == "incoming"


def test_map_to_a_missing_header_is_refused(willow: Store) -> None:
    with pytest.raises(ImportRefused, match="no column 'Nope'"):
        import_file(willow, "OP-WILLOW", INGEST / "cdr_epoch_ms.csv", kind="cdr",
                    mapping={"to": "Nope"})
    nothing_left(willow)


def test_other_party_only_needs_owner(willow: Store) -> None:
    with pytest.raises(ImportRefused, match="--owner"):
        import_file(willow, "OP-WILLOW", INGEST / "cdr_other_party.csv")
    nothing_left(willow)
    result = import_file(willow, "OP-WILLOW", INGEST / "cdr_other_party.csv",
                         owner="pcso:07700 900101")
    events = events_of(willow, result.exhibit)
    assert [e.direction for e in events] == ["outgoing", "incoming", "outgoing"]
    assert {value(e.sender) for e in events if e.direction == "outgoing"} == {"+447700900101"}
    assert {e.channel for e in events} == {"work_mobile"}
    assert events[1].status == "missed"
    assert events[0].occurred_at == datetime(2021, 3, 7, 21, 0, tzinfo=UTC)


def test_bad_date_refused_naming_line_column_value_and_nothing_left(willow: Store) -> None:
    with pytest.raises(ImportRefused) as caught:
        import_file(willow, "OP-WILLOW", INGEST / "cdr_bad_date.csv")
    message = str(caught.value)
    assert message.startswith("cdr_bad_date.csv: line 3: column 'Call Date'")
    assert "31/02/2021" in message
    nothing_left(willow)


@pytest.mark.parametrize("content, reason", [
    (b"Calling Number,Called Number,Call Date,Call Time,Call Type\n"
     b"07700 900101,07700 900201,02/03/2021,10:15,Telepathy\n", "not a call type"),
    (b"Calling Number,Called Number,Call Date,Call Time,Duration\n"
     b"07700 900101,07700 900201,02/03/2021,10:15,ten\n", "Duration"),
    (b"Calling Number,Called Number,Call Date,Call Time\n07700 9\x00001,x,02/03/2021,10:15\n",
     "NUL"),
    (b"Calling Number,Called Number,Call Date,Call Time\n", "no records"),
    (b"", "empty file"),
    (b"antenna_id,latitude,longitude\n1,42.3,-71.0\n", "not call records: no from"),
])
def test_broken_files_refused_cleanly(willow: Store, tmp_path: Path, content: bytes,
                                      reason: str) -> None:
    path = tmp_path / "broken.csv"
    path.write_bytes(content)
    with pytest.raises(ImportRefused, match=reason) as caught:
        import_file(willow, "OP-WILLOW", path, kind="cdr")
    assert str(caught.value).startswith("broken.csv")
    nothing_left(willow)


def test_undecodable_bytes_named_by_line(willow: Store, tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    good = "Calling Number,Called Number,Call Date,Call Time\n" + \
        "07700 900101,07700 900201,02/03/2021,10:15\n" * 3000
    path.write_bytes(good.encode() + b"07700 900101,07700 900201,02/03/2021,10:\x81\x8d\n")
    with pytest.raises(ImportRefused, match=r"line 3002: .*not valid"):
        import_file(willow, "OP-WILLOW", path, kind="cdr")
    nothing_left(willow)


def test_same_file_twice_is_refused_naming_the_exhibit(willow: Store, tmp_path: Path) -> None:
    first = import_file(willow, "OP-WILLOW", INGEST / "cdr_provider.csv")
    copy = tmp_path / "renamed.csv"
    shutil.copy(INGEST / "cdr_provider.csv", copy)
    with pytest.raises(ImportRefused, match=f"already imported as exhibit {first.exhibit}"):
        import_file(willow, "OP-WILLOW", copy)
    assert len(events_of(willow, first.exhibit)) == 6


def test_progress_is_reported_and_cancel_stops(willow: Store, tmp_path: Path) -> None:
    from workbench.errors import Cancelled
    from workbench.tasks import CancelToken

    path = tmp_path / "big.csv"
    row = "07700 900101,07700 900201,02/03/2021,10:15:00,12,Voice\n"
    path.write_text("Calling Number,Called Number,Call Date,Call Time,Duration,Call Type\n"
                    + row * 40_000)
    seen: list[float] = []
    import_file(willow, "OP-WILLOW", path, progress=lambda f, m: seen.append(f))
    assert len(seen) > 2 and seen[-1] == 1.0 and seen == sorted(seen)
    token = CancelToken()

    def cancel_half_way(fraction: float, message: str) -> None:
        if 0 < fraction < 1:
            token.cancel()

    other = tmp_path / "big2.csv"
    other.write_text(path.read_text() + row)
    with pytest.raises(Cancelled):
        import_file(willow, "OP-WILLOW", other, progress=cancel_half_way, cancel=token)


# -- detection -----------------------------------------------------------------------------------

@pytest.mark.parametrize("name, kind", [
    ("cdr_provider.csv", "cdr"), ("cdr_uk_layout.csv", "cdr"), ("cdr_semicolon_cp1252.csv", "cdr"),
    ("cdr_utf16.csv", "cdr"), ("cdr_other_party.csv", "cdr"), ("roster.csv", "roster"),
    ("audit.csv", "system-audit"), ("intel.csv", "intel"), ("intel_columns.csv", "intel"),
    ("intel.json", "intel"), ("complaints.csv", "complaints"), ("telematics.csv", "telematics"),
    ("vehicle_track.gpx", "telematics"),
])
def test_every_kind_is_detected(name: str, kind: str) -> None:
    assert registry.detect(INGEST / name).kind == kind


def test_unrecognisable_csv_is_not_claimed(tmp_path: Path) -> None:
    path = tmp_path / "shopping.csv"
    path.write_text("item,price\nbread,1.20\n")
    with pytest.raises(ImportRefused, match="cannot tell"):
        registry.detect(path)


# -- the shared real-world samples ---------------------------------------------------------------

def test_cellyzer_calls_and_messages(willow: Store) -> None:
    calls = import_file(willow, "OP-WILLOW", SAMPLES / "cdr" / "cellyzer_calls.csv")
    assert calls.kind == "cdr" and calls.events == 49
    assert any("5 different numbers" in w for w in calls.warnings)
    events = events_of(willow, calls.exhibit)
    first = events[0]  # 7610039694 Incoming from 7434677419, +0100
    assert value(first.sender).endswith("7434677419")  # type: ignore[union-attr]
    assert value(first.recipient).endswith("7610039694")  # type: ignore[union-attr]
    assert first.occurred_at == datetime(2010, 9, 15, 18, 17, 44, tzinfo=UTC)
    assert first.duration_s == 211
    messages = import_file(willow, "OP-WILLOW", SAMPLES / "cdr" / "cellyzer_messages.csv")
    assert {e.kind for e in events_of(willow, messages.exhibit)} == {"sms"}


@pytest.mark.parametrize("name", ["bandicoot_ego.csv", "bandicoot_manual_A.csv"])
def test_bandicoot_needs_owner_then_imports(willow: Store, name: str) -> None:
    path = SAMPLES / "cdr" / name
    with pytest.raises(ImportRefused, match="name only the other party.*--owner"):
        import_file(willow, "OP-WILLOW", path)
    result = import_file(willow, "OP-WILLOW", path, owner="pcso:07700900102")
    events = events_of(willow, result.exhibit)
    assert len(events) == len(path.read_text().splitlines()) - 1
    assert {e.kind for e in events} == {"call", "sms"}
    assert {e.channel for e in events} == {"personal_mobile"}
    first = events[0]
    assert value(first.recipient) == "+447700900102" and first.direction == "incoming"
    assert value(first.sender) == "a"  # a pseudonymised correspondent, kept as a name


@pytest.mark.parametrize("name", ["bandicoot_antennas.csv", "cellyzer_antennas.csv"])
def test_antenna_tables_are_refused_as_not_call_records(willow: Store, name: str) -> None:
    path = SAMPLES / "cdr" / name
    with pytest.raises(ImportRefused, match="cannot tell what kind"):
        import_file(willow, "OP-WILLOW", path)
    with pytest.raises(ImportRefused, match=f"{name}: not call records: no from"):
        import_file(willow, "OP-WILLOW", path, kind="cdr")
    nothing_left(willow)


def test_cli_import_with_map_and_one_line_refusal(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from workbench.cli import main

    main(["case", "create", str(DATA / "willow.toml")])
    capsys.readouterr()
    assert main(["import", "OP-WILLOW", str(INGEST / "cdr_epoch_ms.csv"), "--kind", "cdr",
                 "--map", "to=Callee,type=Kind"]) == 0
    assert "cdr, 3 records" in capsys.readouterr().out
    assert main(["import", "OP-WILLOW", str(INGEST / "cdr_bad_date.csv")]) == 1
    err = capsys.readouterr().err.strip()
    assert "\n" not in err
    assert err.startswith("workbench: cdr_bad_date.csv: line 3: column 'Call Date'")


def test_column_choices_show_what_each_field_is_read_from() -> None:
    layout = registry.get("cdr").layout
    assert layout is not None
    headers, choices = column_choices(INGEST / "cdr_epoch_ms.csv", layout)
    assert headers == ["Timestamp", "Caller", "Callee", "Kind", "Secs"]
    found = {c.name: c.header for c in choices}
    assert found["timestamp"] == "Timestamp" and found["from"] == "Caller"
    assert found["duration"] == "Secs" and found["to"] is None and found["type"] is None
    _, mapped = column_choices(INGEST / "cdr_epoch_ms.csv", layout, {"to": "Callee", "type": "Kind"})
    assert {c.name: c.header for c in mapped if c.header} == {
        "timestamp": "Timestamp", "from": "Caller", "to": "Callee", "type": "Kind", "duration": "Secs"}
    headers, _ = column_choices(INGEST / "cdr_workbook.xlsx", layout)
    assert headers[:3] == ["Calling Number", "Called Number", "Call Date"]
    with pytest.raises(ImportRefused, match="intel.json: not a table"):
        column_choices(INGEST / "intel.json", registry.get("intel").layout)  # type: ignore[arg-type]
    with pytest.raises(ImportRefused, match="no column 'Nope'"):
        column_choices(INGEST / "cdr_epoch_ms.csv", layout, {"to": "Nope"})
