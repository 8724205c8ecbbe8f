"""Rosters, system audit logs, intelligence, complaints and telematics (CSV and GPX)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import SAMPLES
from tests.workbench.test_ingest_tabular import INGEST, events_of, nothing_left, value
from workbench.errors import ImportRefused
from workbench.geo import distance_m
from workbench.ingest.formats.intel import read_grading
from workbench.ingest.formats.roster import is_off_duty
from workbench.ingest.pipeline import import_file
from workbench.ingest.stops import stop_rules
from workbench.model import Complaint, DutyShift, Exhibit, IntelReport, Person
from workbench.store import Store


def shifts(store: Store) -> list[tuple[str, datetime, datetime, str, bool]]:
    with store.reader() as session:
        rows = session.execute(
            select(Person.key, DutyShift.start, DutyShift.end, DutyShift.duty_type,
                   DutyShift.on_duty).join(Person, DutyShift.person_id == Person.id)
            .order_by(DutyShift.id)
        ).all()
        return [tuple(r) for r in rows]  # type: ignore[misc]


# -- roster --------------------------------------------------------------------------------------

def test_roster_with_night_shift_rest_day_and_leave(willow: Store) -> None:
    result = import_file(willow, "OP-WILLOW", INGEST / "roster.csv")
    assert result.kind == "roster" and result.shifts == 7
    rows = shifts(willow)
    assert rows[0] == ("pcso", datetime(2021, 3, 1, 7, tzinfo=UTC), datetime(2021, 3, 1, 15, tzinfo=UTC),
                       "Early", True)
    night = rows[2]  # 22:00 to 07:00: ends the next morning
    assert night[1:3] == (datetime(2021, 3, 3, 22, tzinfo=UTC), datetime(2021, 3, 4, 7, tzinfo=UTC))
    rest = rows[3]
    assert rest[3:] == ("Rest Day", False)
    assert rest[1:3] == (datetime(2021, 3, 4, tzinfo=UTC), datetime(2021, 3, 5, tzinfo=UTC))
    assert rows[4][3:] == ("AL", False)
    assert rows[5][0] == "colleague"
    assert rows[6][2] == datetime(2021, 3, 3, 0, tzinfo=UTC)  # 16:00-24:00


@pytest.mark.parametrize("duty, off", [
    ("Rest Day", True), ("RD", True), ("AL", True), ("Annual Leave", True), ("Sick", True),
    ("OFF", True), ("Leave", True), ("Early", False), ("Overtime", False), ("Night", False),
])
def test_duty_types(duty: str, off: bool) -> None:
    assert is_off_duty(duty) is off


def test_roster_shifts_of_people_not_in_the_case_are_left_out_and_said_so(
        willow: Store, tmp_path: Path) -> None:
    path = tmp_path / "team-roster.csv"
    path.write_text("Name,Shift Start,Shift End,Duty Type\n"
                    "Daniel Marsh,2021-03-01 07:00,2021-03-01 15:00,Early\n"
                    "Somebody Else,2021-03-01 07:00,2021-03-01 15:00,Early\n"
                    "Somebody Else,2021-03-02 07:00,2021-03-02 15:00,Early\n"
                    "PC Other Person,2021-03-02 14:00,2021-03-02 22:00,Late\n")
    result = import_file(willow, "OP-WILLOW", path)
    assert result.shifts == 1 and result.records == 1
    assert [row[0] for row in shifts(willow)] == ["pcso"]
    assert result.warnings == [
        "3 shift(s) of 2 people not in the case were left out: 'Somebody Else' (2 from line 3); "
        "'PC Other Person' (1 from line 5) (match is by collar number, system user id or full name)"
    ]
    with willow.reader() as session:
        exhibit = session.scalars(select(Exhibit).where(Exhibit.reference == result.exhibit)).one()
        assert exhibit.record_count == 1 and "Somebody Else" in (exhibit.warnings or "")


def test_roster_naming_nobody_in_the_case_is_refused(willow: Store, tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("Name,Shift Start,Shift End,Duty Type\n"
                    "Somebody Else,2021-03-01 07:00,2021-03-01 15:00,Early\n")
    with pytest.raises(ImportRefused, match=r"roster.csv: the roster names nobody in the case: "
                                            r"'Somebody Else' \(1 from line 2\)"):
        import_file(willow, "OP-WILLOW", path)
    nothing_left(willow)


# -- system audit --------------------------------------------------------------------------------

def test_system_audit_lookups(willow: Store) -> None:
    result = import_file(willow, "OP-WILLOW", INGEST / "audit.csv")
    assert result.kind == "system-audit"
    events = events_of(willow, result.exhibit)
    assert len(events) == 4
    assert {(e.kind, e.channel) for e in events} == {("system_lookup", "police_system")}
    search, view = events[0], events[1]
    assert value(search.sender) == "P4521" and search.direction == "outgoing"
    assert search.recipient is None
    assert search.text == ("Niche: Search person — terms 'Kerry Lowe'; "
                           "reason 'Crime report 13/45678/21'; terminal WS-0142")
    assert value(view.recipient) == "NICHE-PER-448812"
    assert view.recipient.person_id is not None  # Kerry Lowe's record, from the case file
    assert events[2].occurred_at == datetime(2021, 4, 14, 22, 12, 40, tzinfo=UTC)  # BST
    assert events[3].direction == "unknown" and result.unresolved_created == 1  # user P9999


def test_audit_without_user_column_is_refused(willow: Store, tmp_path: Path) -> None:
    path = tmp_path / "audit.csv"
    path.write_text("Date/Time,System,Transaction\n01/03/2021 10:30,Niche,Search\n")
    with pytest.raises(ImportRefused, match=r"no user .*'Date/Time', 'System', 'Transaction'"):
        import_file(willow, "OP-WILLOW", path, kind="system-audit")
    nothing_left(willow)


# -- intelligence --------------------------------------------------------------------------------

def intel(store: Store) -> list[IntelReport]:
    with store.reader() as session:
        return list(session.scalars(select(IntelReport).order_by(IntelReport.id)))


def test_intel_gradings_kept_as_written(willow: Store) -> None:
    import_file(willow, "OP-WILLOW", INGEST / "intel.csv")
    import_file(willow, "OP-WILLOW", INGEST / "intel_columns.csv")
    import_file(willow, "OP-WILLOW", INGEST / "intel.json")
    got = [(r.urn, r.scheme, r.source_grade, r.intelligence_grade, r.handling_code)
           for r in intel(willow)]
    assert got == [
        ("INT-2019-0042", "3x5x2", "2", "B", "P"),
        ("INT-2020-0107", "3x5x2", "3", "C", "C"),
        ("INT-2016-0009", "5x5x5", "B", "2", "1"),
        ("INT-2015-0003", "5x5x5", "C", "3", "4"),
        ("INT-2021-0500", "3x5x2", "1", "A", "P"),
        ("INT-2014-0001", "5x5x5", "E", "4", "3"),
        ("INT-2018-0200", "3x5x2", "2", "B", "P"),
        ("INT-2012-0001", "5x5x5", "B", "2", "1"),
    ]
    reports = intel(willow)
    assert reports[0].submitted == date(2019, 6, 12) and reports[0].source_position == "line 2"
    assert reports[1].conditions == "Not to be disseminated outside PSD"
    assert reports[6].source_position == "reports[0]"
    assert all(r.subject_id is not None for r in reports)  # collar number or name matched


@pytest.mark.parametrize("written, scheme, expected", [
    ("2/B/P", None, ("3x5x2", "2", "B", "P")), ("2BP", None, ("3x5x2", "2", "B", "P")),
    ("1-a-c", None, ("3x5x2", "1", "A", "C")), ("B/2/1", None, ("5x5x5", "B", "2", "1")),
    ("E55", "5x5x5", ("5x5x5", "E", "5", "5")),
])
def test_grading_forms(written: str, scheme: str | None, expected: tuple[str, ...]) -> None:
    assert read_grading(written, scheme) == expected


@pytest.mark.parametrize("written, scheme", [("4/B/P", None), ("2/F/P", None), ("2/B/X", None),
                                             ("B/6/1", None), ("2BP", "5x5x5"), ("", None)])
def test_bad_gradings(written: str, scheme: str | None) -> None:
    with pytest.raises(ValueError):
        read_grading(written, scheme)


def test_bad_grading_refuses_the_file(willow: Store) -> None:
    with pytest.raises(ImportRefused) as caught:
        import_file(willow, "OP-WILLOW", INGEST / "intel_bad.csv")
    assert str(caught.value).startswith("intel_bad.csv: line 3: 'Grading': cannot read '4/B/P'")
    assert intel(willow) == []
    nothing_left(willow)


def test_bad_separate_grades_and_json_refused(willow: Store, tmp_path: Path) -> None:
    path = tmp_path / "intel.csv"
    path.write_text("URN,Date,Scheme,Source Grade,Intelligence Grade,Handling Code,Text\n"
                    "X1,01/01/2020,3x5x2,2,B,3,Text\n")
    with pytest.raises(ImportRefused, match=r"line 2: .*handling code '3'"):
        import_file(willow, "OP-WILLOW", path, kind="intel")
    bad_json = tmp_path / "intel.json"
    bad_json.write_text('[{"urn": "X1", "date": "2020-01-01", "text": "t", "grading": "2BP"},'
                        ' {"urn": "X2", "date": "2020-01-01", "text": "t", "grading": "Z9"}]')
    with pytest.raises(ImportRefused, match=r"intel.json: reports\[1\]: .*'Z9'"):
        import_file(willow, "OP-WILLOW", bad_json, kind="intel")
    nothing_left(willow)


# -- complaints ----------------------------------------------------------------------------------

def test_complaints(willow: Store) -> None:
    result = import_file(willow, "OP-WILLOW", INGEST / "complaints.csv")
    assert result.kind == "complaints" and result.complaints == 3
    with willow.reader() as session:
        rows = list(session.scalars(select(Complaint).order_by(Complaint.id)))
    assert [c.reference for c in rows] == ["CO/123/19", "CO/045/20", "CO/311/20"]
    assert rows[0].received == date(2019, 7, 4) and rows[0].finalised == date(2019, 9, 30)
    assert rows[2].finalised is None and rows[2].outcome is None
    assert all(c.subject_id is not None for c in rows)


# -- telematics ----------------------------------------------------------------------------------

def test_telematics_csv_positions_and_one_stop(willow: Store) -> None:
    result = import_file(willow, "OP-WILLOW", INGEST / "telematics.csv")
    events = events_of(willow, result.exhibit)
    positions = [e for e in events if e.kind == "vehicle_position"]
    stops = [e for e in events if e.kind == "vehicle_stop"]
    assert len(positions) == 25 and len(stops) == 1
    assert {e.channel for e in events} == {"telematics"}
    assert {value(e.sender) for e in events} == {"YX21ABC"}
    assert positions[0].direction == "outgoing"  # the officer's vehicle
    assert positions[0].occurred_at == datetime(2021, 4, 14, 21, 30, tzinfo=UTC)
    assert positions[0].text == "speed 28; ignition on; call sign LS21"
    stop = stops[0]
    assert stop.occurred_at == datetime(2021, 4, 14, 21, 40, tzinfo=UTC)
    assert stop.duration_s == 45 * 60
    assert distance_m(stop.lat, stop.lon, 53.8008, -1.5491) < 50  # Woman A's home
    assert stop.source_position == "line 12-21"


def test_gpx_track_with_owner(willow: Store) -> None:
    result = import_file(willow, "OP-WILLOW", INGEST / "vehicle_track.gpx", owner="pcso")
    events = events_of(willow, result.exhibit)
    assert {value(e.sender) for e in events} == {"YX21ABC"}
    assert len([e for e in events if e.kind == "vehicle_stop"]) == 1
    assert any("no time skipped" in w for w in result.warnings)
    assert events[0].source_position == "trk 1 seg 1 pt 1"
    assert events[0].occurred_at == datetime(2021, 4, 20, 21, 0, tzinfo=UTC)  # GPX is UTC


def test_stop_rules_have_sensible_defaults() -> None:
    rules = stop_rules()
    assert 10 <= rules.radius_m <= 200 and 1 <= rules.min_minutes <= 30


@pytest.mark.parametrize("content, reason", [
    ("Date/Time,Registration,Latitude,Longitude\n14/04/2021 22:30,YX21 ABC,95.1,-1.5\n",
     r"line 2: column 'Latitude': cannot read '95.1'"),
    ("Date/Time,Registration,Latitude,Longitude\n14/04/2021 22:30,YX21 ABC,north,-1.5\n",
     r"line 2: column 'Latitude'"),
    ("Date/Time,Latitude,Longitude\n14/04/2021 22:30,53.1,-1.5\n", r"no vehicle"),
])
def test_bad_telematics_refused(willow: Store, tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "avl.csv"
    path.write_text(content)
    with pytest.raises(ImportRefused, match=reason):
        import_file(willow, "OP-WILLOW", path, kind="telematics")
    nothing_left(willow)


@pytest.mark.parametrize("content, reason", [
    ('<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "aaaa">]><gpx>&a;</gpx>', "unsafe XML"),
    ("<gpx><trk><trkseg><trkpt lat='1' lon='2'><time>2021", "not well-formed"),
    ("<kml></kml>", "not a GPX file"),
])
def test_hostile_or_broken_gpx_refused(willow: Store, tmp_path: Path, content: str,
                                       reason: str) -> None:
    path = tmp_path / "track.gpx"
    path.write_text(content)
    with pytest.raises(ImportRefused, match=reason):
        import_file(willow, "OP-WILLOW", path, kind="telematics")
    nothing_left(willow)


GPX_SAMPLES = {
    "gpxpy_around-visnjan-with-car.gpx": None,
    "gpxpy_Mojstrovka.gpx": "before 1990",
    "gpxpy_track-with-empty-segment.gpx": None,
    "gpxpy_gpx1.1_with_all_fields.gpx": "route point",
    "gpxpy_unicode_with_bom.gpx": None,
}


@pytest.mark.samples
@pytest.mark.parametrize("name", sorted(GPX_SAMPLES))
def test_gpx_samples_import(willow: Store, name: str) -> None:
    result = import_file(willow, "OP-WILLOW", SAMPLES / "gpx" / name)
    assert result.kind == "telematics" and result.events > 0
    assert any("names no vehicle" in w for w in result.warnings)
    if GPX_SAMPLES[name]:
        assert any(GPX_SAMPLES[name] in w for w in result.warnings)


@pytest.mark.samples
def test_gpx_route_without_times_is_refused(willow: Store) -> None:
    with pytest.raises(ImportRefused, match="gpxpy_route.gpx: a route .* no times"):
        import_file(willow, "OP-WILLOW", SAMPLES / "gpx" / "gpxpy_route.gpx")
    nothing_left(willow)


def test_intel_row_with_blank_grading_is_refused(willow: Store, tmp_path: Path) -> None:
    path = tmp_path / "intel.csv"
    path.write_text("URN,Date,Grading,Text\nX1,01/01/2020,,Some text\n")
    with pytest.raises(ImportRefused, match=r"line 2: source grade: .*both needed"):
        import_file(willow, "OP-WILLOW", path, kind="intel")
    nothing_left(willow)


def test_positions_are_physical_lines_across_quoted_newlines(willow: Store, tmp_path: Path) -> None:
    path = tmp_path / "audit.csv"
    path.write_text('Date/Time,User ID,System,Transaction,Reason\r\n'
                    '01/03/2021 10:30,P4521,Niche,Search,"Crime report\r\nfollow-up"\r\n'
                    '\r\n'
                    '01/03/2021 10:31,P4521,Niche,View,\r\n')
    result = import_file(willow, "OP-WILLOW", path)
    events = events_of(willow, result.exhibit)
    assert [e.source_position for e in events] == ["line 2", "line 5"]
    assert events[0].text == "Niche: Search — reason 'Crime report follow-up'"
