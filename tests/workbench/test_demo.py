"""The demo case: generated in real formats, imported through the real importers, deterministic."""

from __future__ import annotations

import csv
import hashlib
import json
import math
import re
import time
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from workbench import audit, casefile
from workbench.cli import main
from workbench.demo import DEMO_REF, build_demo, build_demo_case, remove_demo_case, write_sources
from workbench.demo import scenario as s
from workbench.demo.roster import Roster
from workbench.errors import Cancelled, ImportRefused, WorkbenchError
from workbench.ingest import registry
from workbench.model import AuditEntry, Case, Event, Exhibit, Identifier
from workbench.overview import case_overview
from workbench.store import Store, open_store
from workbench.store.queries import find_case
from workbench.tasks import CancelToken

KINDS = ("cdr", "whatsapp", "messenger", "telematics", "system-audit", "roster", "intel",
         "complaints")


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _needs(*kinds: str) -> None:
    missing = [k for k in kinds if k not in registry.importers()]
    if missing:
        pytest.skip(f"importer(s) not written yet: {', '.join(missing)}")


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("demo-sources")
    return folder, *write_sources(folder)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, float]]:
    """One built demo store shared by the read-only tests of this module."""
    root = tmp_path_factory.mktemp("demo-store")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WORKBENCH_EVIDENCE", str(root / "evidence"))
        store = open_store(f"sqlite:///{root / 'case.db'}")
        started = time.perf_counter()
        build_demo(store)
        seconds = time.perf_counter() - started
        yield store, seconds
        store.dispose()


# ------------------------------------------------------------ generated files

def test_generated_files_are_byte_identical_every_time(sources, tmp_path):
    folder, case_file, generated = sources
    again_case, again = write_sources(tmp_path)
    assert _sha(case_file) == _sha(again_case)
    assert [p.path.relative_to(folder) for p in generated] == [p.path.relative_to(tmp_path) for p in again]
    assert [_sha(p.path) for p in generated] == [_sha(p.path) for p in again]
    assert sorted(p.kind for p in generated) == sorted(
        ["cdr", "cdr", "whatsapp", "messenger", "messenger", "messenger", *KINDS[3:]])


def test_case_file_names_the_people_ciphers_and_vulnerabilities(sources):
    _, case_file, _ = sources
    data = casefile.load(case_file)
    people = {p["key"]: p for p in data["people"]}
    assert data["ref"] == DEMO_REF and data["timezone"] == "Europe/London"
    assert people["pcso"]["collar"] == "PCSO 4521" and people["pcso"]["role"] == "subject"
    assert people["woman_a"]["cipher"] == "Woman A"
    assert people["woman_a"]["vulnerabilities"] == ["learning_disability", "lives_alone",
                                                    "victim_of_crime"]
    assert people["woman_b"]["cipher"] == "Woman B"
    assert "domestic_abuse_victim" in people["woman_b"]["vulnerabilities"]
    assert people["colleague"]["role"] == "colleague"
    pcso_ids = {(i["kind"], i["display"], i["use"]) for i in people["pcso"]["identifiers"]}
    assert ("whatsapp", "Lee PCSO", "personal") in pcso_ids
    assert ("phone", "07700 900102", "personal") in pcso_ids
    assert {e["member"] for e in data["engagements"]} == {"woman_a", "woman_b", "man_d"}
    assert "woman_c" not in {e["member"] for e in data["engagements"]}


def test_only_drama_numbers_appear_anywhere(sources):
    folder, case_file, generated = sources
    mobile = re.compile(r"(?:\+?44|0)\s?7\d{3}\s?\d{6}")
    landline = re.compile(r"(?:\+?44|0)\s?113\s?\d{3}\s?\d{4}")
    found = 0
    for path in [case_file, *(p.path for p in generated)]:
        text = path.read_text(encoding="utf-8")
        for number in mobile.findall(text):
            found += 1
            assert re.sub(r"\D", "", number)[-10:-3] == "7700900", f"{path.name}: {number}"
        for number in landline.findall(text):
            assert re.sub(r"\D", "", number)[-10:-4] == "113496", f"{path.name}: {number}"
    assert found > 1000


def test_billing_shows_38_calls_30_under_five_seconds(sources):
    folder, _, generated = sources
    rows = list(csv.DictReader(open(folder / "CDU_return_07700900102.csv", encoding="utf-8")))
    burst = [r for r in rows if r["B Number"] == "07700900201" and r["Event Type"] == "Voice"
             and r["Date"] in ("14/06/2021", "15/06/2021")]
    assert len(burst) == 38
    assert sum(int(r["Duration"]) < 5 for r in burst) == 30
    first_personal = min(datetime.strptime(f"{r['Date']} {r['Time']}", "%d/%m/%Y %H:%M:%S")
                         for r in rows if "07700900201" in (r["A Number"], r["B Number"]))
    assert first_personal == datetime(2021, 3, 20, 19, 2, 41)


def test_whatsapp_export_has_the_real_quirks_and_the_secrecy_requests(sources):
    folder, _, _ = sources
    text = (folder / "WhatsApp Chat with Lee PCSO.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert re.match(r"^22/03/2021, 19:14 - Messages and calls are end-to-end encrypted", lines[0])
    assert "Lee PCSO: Best you don't mention you have my number" in text
    assert "Lee PCSO: Delete these x" in text
    assert "- Lee PCSO: This message was deleted" in text
    assert "- Kerry: <Media omitted>" in text
    assert "Long day today" in lines  # a continuation line of a multi-line message
    stamp = re.compile(r"^\d{2}/\d{2}/\d{4}, \d{2}:\d{2} - ")
    stamps = [datetime.strptime(line[:17], "%d/%m/%Y, %H:%M") for line in lines if stamp.match(line)]
    assert stamps == sorted(stamps)


def test_messenger_export_is_mojibake_newest_first(sources):
    folder, _, generated = sources
    paths = [p.path for p in generated if p.kind == "messenger"]
    assert [p.name for p in paths] == ["message_1.json"] * 3
    raw = paths[0].read_text(encoding="utf-8")
    assert raw.isascii() and "\\u00f0\\u009f" in raw  # emoji escaped as Facebook does
    document = json.loads(raw)
    assert [p["name"] for p in document["participants"]] == ["Kerry Lowe", "Dan Marsh"]
    stamps = [m["timestamp_ms"] for m in document["messages"]]
    assert stamps == sorted(stamps, reverse=True)
    contents = [m.get("content", "") for m in document["messages"]]
    repaired = [c.encode("latin-1").decode("utf-8") for c in contents]
    assert "Wow \U0001f60d gorgeous x" in repaired
    assert any("photos" in m for m in document["messages"])
    assert any("reactions" in m for m in document["messages"])


def _metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    north = (lat2 - lat1) * 111_320
    east = (lon2 - lon1) * 111_320 * math.cos(math.radians(lat1))
    return math.hypot(north, east)


def test_patrol_points_and_station_are_far_from_every_home():
    homes = [s.WOMAN_A_HOME, s.WOMAN_B_HOME, s.MAN_D_HOME]
    for place in (*s.PATROL_POINTS, s.STATION):
        for home in homes:
            assert _metres(place.lat, place.lon, home.lat, home.lon) > 300, place.label


def test_vehicle_waits_near_woman_a_home_after_closure_on_duty(sources):
    folder, _, _ = sources
    roster = Roster()
    near: dict[date, int] = {}
    with open(folder / "AVL_YX21ABC.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            when = datetime.strptime(row["Timestamp"], "%d/%m/%Y %H:%M:%S")
            if row["Speed"] == "0" and _metres(float(row["Latitude"]), float(row["Longitude"]),
                                               s.WOMAN_A_HOME.lat, s.WOMAN_A_HOME.lon) < 100:
                assert roster.on_duty_at(when), when
                near[when.date()] = near.get(when.date(), 0) + 1
    after_closure = [d for d in near if d > s.WOMAN_A_ENGAGEMENT.concluded.date()]
    assert len(after_closure) == 5
    assert all(near[d] >= 20 for d in after_closure)  # ten minutes or more each time
    assert date(2021, 3, 2) in near  # the visit while her matter was open


def test_roster_has_rest_days_leave_and_gaps():
    roster = Roster()
    types = {shift.duty_type for shift in roster.shifts}
    assert {"Early", "Late", "Rest Day", "Annual Leave", "Training", "Overtime"} <= types
    assert roster.on(date(2021, 8, 15)) is None  # a week the force could not supply
    assert roster.resting(date(2021, 6, 14)) and roster.working(date(2021, 3, 1))
    for engagement in s.ENGAGEMENTS:
        assert roster.on_duty_at(engagement.started), engagement.reference


# ------------------------------------------------------------- the built case

def test_build_imports_every_source_with_hash_and_count(demo, sources):
    store, seconds = demo
    print(f"demo build took {seconds:.2f} s")
    assert seconds < 60  # the target is a few seconds; this only catches a runaway build
    folder, _, generated = sources
    expected = [p for p in generated if p.kind in registry.importers()]
    with store.reader() as session:
        overview = case_overview(session, find_case(session, DEMO_REF))
    exhibits = overview["exhibits"]
    assert [x["sha256"] for x in exhibits] == [_sha(p.path) for p in expected]
    assert [x["kind"] for x in exhibits] == [p.kind for p in expected]
    assert all(x["records"] > 0 for x in exhibits)
    refs = [x["reference"] for x in exhibits]
    assert refs[:2] == ["JB/1", "JB/2"] and "AK/1" in refs
    people = {p["key"]: p for p in overview["people"]}
    assert people["woman_a"]["cipher"] == "Woman A"
    assert "learning_disability" in people["woman_a"]["vulnerabilities"]
    assert overview["counts"]["events"] > 2000


def test_events_land_on_the_right_channels(demo):
    _needs("cdr", "whatsapp", "messenger")
    store, _ = demo
    with store.reader() as session:
        case = find_case(session, DEMO_REF)
        channels = dict(session.execute(
            select(Event.channel, func.count()).where(Event.case_id == case.id)
            .group_by(Event.channel)).all())
        ambiguous = session.scalar(select(func.count()).where(
            Event.case_id == case.id, Event.time_ambiguous.is_(True)))
    assert {"work_mobile", "personal_mobile", "whatsapp", "facebook_messenger"} <= set(channels)
    assert channels["whatsapp"] > 400 and channels["personal_mobile"] > 500
    assert ambiguous == 1  # the text sent in the hour the clocks went back


def test_unknown_number_is_the_busiest_late_night_stranger_on_the_personal_phone(demo):
    _needs("cdr")
    store, _ = demo
    other = aliased(Identifier)
    with store.reader() as session:
        case = find_case(session, DEMO_REF)
        rows = session.execute(
            select(other.value, func.count())
            .join(Event, (Event.from_id == other.id) | (Event.to_id == other.id))
            .where(Event.case_id == case.id, Event.channel == "personal_mobile",
                   other.person_id.is_(None))
            .group_by(other.value)
        ).all()
        late = session.execute(
            select(Event.occurred_at, other.value)
            .join(other, (Event.from_id == other.id) | (Event.to_id == other.id))
            .where(Event.case_id == case.id, Event.channel == "personal_mobile",
                   other.person_id.is_(None))
        ).all()
    assert "+447700900418" in dict(rows) and dict(rows)["+447700900418"] >= 100
    from zoneinfo import ZoneInfo
    london = ZoneInfo("Europe/London")
    night: dict[str, int] = {}
    for moment, value in late:
        hour = moment.astimezone(london).hour
        if hour >= 22 or hour < 6:
            night[value] = night.get(value, 0) + 1
    assert max(night, key=night.get) == "+447700900418"


def test_discover_ranks_the_unknown_number_first(demo):
    _needs("cdr")
    discover_module = pytest.importorskip("workbench.discover")
    store, _ = demo
    with store.reader() as session:
        ranked = discover_module.discover(session, find_case(session, DEMO_REF))
    assert ranked[0].value == "+447700900418"  # E.164, as `case show --json` gives it
    assert ranked[0].as_dict()["display"] == "07700 900418"


def test_prior_intelligence_and_complaints_are_imported(demo):
    _needs("intel", "complaints")
    store, _ = demo
    from workbench.model import Complaint, IntelReport

    with store.reader() as session:
        case = find_case(session, DEMO_REF)
        reports = session.scalars(select(IntelReport).where(IntelReport.case_id == case.id)).all()
        complaints = session.scalars(select(Complaint).where(Complaint.case_id == case.id)).all()
    by_urn = {r.urn: r for r in reports}
    assert by_urn["INT-2016-018842"].scheme == "5x5x5"
    assert by_urn["INT-2021-007781"].handling_code == "C" and by_urn["INT-2021-007781"].conditions
    assert sum(r.submitted < s.CASE_OPENED for r in reports) == 3
    assert all(r.subject_id is not None for r in reports)
    assert len(complaints) == 4 and all(c.subject_id is not None for c in complaints)


def test_roster_and_system_audit_are_imported(demo):
    _needs("roster", "system-audit")
    store, _ = demo
    from workbench.model import DutyShift

    with store.reader() as session:
        case = find_case(session, DEMO_REF)
        shifts = session.scalars(select(DutyShift).where(DutyShift.case_id == case.id)).all()
        lookups = session.scalar(select(func.count()).where(
            Event.case_id == case.id, Event.kind == "system_lookup"))
    assert len(shifts) == len(Roster().shifts)
    assert {s.on_duty for s in shifts if s.duty_type == "Rest Day"} == {False}
    assert {s.on_duty for s in shifts if s.duty_type == "Early"} == {True}
    assert lookups > 500


def test_no_vehicle_stop_is_longer_than_a_day(demo):
    """#17: stops are built from observed fixes; overnight gaps in the data are not stops."""
    _needs("telematics")
    store, _ = demo
    with store.reader() as session:
        case = find_case(session, DEMO_REF)
        stops = session.scalars(select(Event).where(
            Event.case_id == case.id, Event.kind == "vehicle_stop")).all()
    assert stops
    assert max(stop.duration_s for stop in stops) < 24 * 3600
    assert all("fixes within" in stop.text for stop in stops)


def _digest(store: Store) -> tuple[list[tuple], str]:
    """What an investigator could compare between two builds: exhibits and every event."""
    with store.reader() as session:
        case = find_case(session, DEMO_REF)
        exhibits = session.execute(
            select(Exhibit.reference, Exhibit.file_name, Exhibit.sha256, Exhibit.record_count)
            .where(Exhibit.case_id == case.id).order_by(Exhibit.id)).all()
        sender, recipient = aliased(Identifier), aliased(Identifier)
        rows = session.execute(
            select(Exhibit.reference, Event.source_position, Event.occurred_at, Event.kind,
                   Event.channel, Event.direction, sender.value, recipient.value, Event.duration_s,
                   Event.status, Event.text, Event.media, Event.lat, Event.lon, Event.time_ambiguous)
            .join(Exhibit, Event.exhibit_id == Exhibit.id)
            .outerjoin(sender, Event.from_id == sender.id)
            .outerjoin(recipient, Event.to_id == recipient.id)
            .where(Event.case_id == case.id)
            .order_by(Exhibit.reference, Event.id)).all()
    digest = hashlib.sha256(repr(rows).encode()).hexdigest()
    return list(exhibits), digest


def test_two_builds_on_fresh_stores_are_identical(demo, tmp_path, monkeypatch):
    store, _ = demo
    monkeypatch.setenv("WORKBENCH_EVIDENCE", str(tmp_path / "evidence"))
    other = open_store(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        build_demo(other)
        assert _digest(other) == _digest(store)
    finally:
        other.dispose()


# ----------------------------------------------------- existing, rebuild, errors

def _audit_entries(store: Store, ref: str = DEMO_REF) -> list[AuditEntry]:
    with store.reader() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.case_ref == ref)
                                    .order_by(AuditEntry.sequence)))


def test_building_again_keeps_the_one_case_untouched(store):
    reports: list[tuple[float, str]] = []
    first = build_demo_case(store, progress=lambda f, m: reports.append((f, m)))
    assert all(0.0 <= f <= 1.0 for f, _ in reports)
    assert reports[-1] == (1.0, f"Demo case {DEMO_REF} ready")
    assert any("WhatsApp Chat with Lee PCSO.txt" in m for _, m in reports)
    entries = len(_audit_entries(store))
    again = build_demo_case(store)
    assert first.created and not again.created and again.imports == []
    with store.reader() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 1
    assert len(_audit_entries(store)) == entries


def test_rebuild_replaces_only_the_demo_and_keeps_sound_chains(willow):
    with pytest.raises(WorkbenchError, match="only the demo case"):
        remove_demo_case(willow, "OP-WILLOW")
    build_demo(willow)
    old_head = _audit_entries(willow)[-1].hash
    build = build_demo_case(willow, rebuild=True)
    assert build.created
    entries = _audit_entries(willow)
    assert entries[0].action == "case_create" and entries[-1].action == "demo_build"
    assert json.loads(entries[-1].details)["rebuilt_over_audit_head"] == old_head
    with willow.reader() as session:
        assert find_case(session, "OP-WILLOW").ref == "OP-WILLOW"
        assert audit.verify(session) == []
        assert session.scalar(select(func.count()).select_from(Case)) == 2
    assert len(_audit_entries(willow, "OP-WILLOW")) == 1


@pytest.mark.postgres
def test_build_and_rebuild_on_postgresql(postgres_server, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_EVIDENCE", str(tmp_path / "evidence"))
    store = open_store(postgres_server.create_database())
    try:
        build_demo(store)
        build_demo_case(store, rebuild=True)
        with store.reader() as session:
            assert audit.verify(session) == []
            case = find_case(session, DEMO_REF)
            assert session.scalar(select(func.count()).where(Event.case_id == case.id)) > 2000
    finally:
        store.dispose()


def test_cancelled_build_leaves_nothing_behind(store):
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        build_demo(store, cancel=token)
    with store.reader() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 0


def test_failed_import_removes_the_half_built_case(store, monkeypatch):
    import workbench.demo as demo_module

    calls = []

    def failing(*args, **kwargs):
        calls.append(args[2])
        if len(calls) == 3:
            raise ImportRefused("simulated failure", "line 7", "WhatsApp Chat with Lee PCSO.txt")
        return real(*args, **kwargs)

    real = demo_module.import_file
    monkeypatch.setattr(demo_module, "import_file", failing)
    with pytest.raises(WorkbenchError, match="demo case: WhatsApp Chat with Lee PCSO.txt: line 7"):
        build_demo(store)
    with store.reader() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 0
        assert session.scalar(select(func.count()).select_from(Event)) == 0
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == 0


# ------------------------------------------------------------------------ CLI

def test_cli_demo_prints_the_ref_and_case_show_lists_the_exhibits(cli_env, capsys):
    assert main(["demo"]) == 0
    captured = capsys.readouterr()
    assert captured.out == f"{DEMO_REF}\n"
    for line in captured.err.splitlines():  # only sources whose importer is missing
        assert line.startswith("workbench: demo: skipped ")
    assert main(["demo"]) == 0
    assert capsys.readouterr().out == f"{DEMO_REF}\n"
    assert main(["case", "show", DEMO_REF, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["ref"] == DEMO_REF
    assert shown["exhibits"] and all(len(x["sha256"]) == 64 and x["records"] > 0
                                     for x in shown["exhibits"])
    billing = shown["exhibits"][0]  # the importer's warnings are kept with the exhibit
    assert "the device's own number is taken to be 07700 900101 (present in every row)" in billing["warnings"]
    assert {p["cipher"] for p in shown["people"]} >= {"Woman A", "Woman B"}
    assert main(["audit", "verify", DEMO_REF]) == 0
    capsys.readouterr()
    assert main(["demo", "--rebuild", "--json"]) == 0
    rebuilt = json.loads(capsys.readouterr().out)
    assert rebuilt["created"] is True
    assert [x["sha256"] for x in rebuilt["exhibits"]] == [x["sha256"] for x in shown["exhibits"]]




# ------------------------------------------------------------------ analysis

DESIGNED = {  # the rules the story was written to show, by member of the public
    "woman_a": {"channel_shift", "affectionate_language", "sexualised_language", "secrecy_request",
                "off_duty_contact", "unsocial_hours", "post_closure_contact",
                "frequency_escalation", "repeated_short_calls", "vehicle_dwell", "system_lookup"},
    "woman_b": {"personal_channel_contact", "affectionate_language", "off_duty_contact",
                "post_closure_contact", "vehicle_dwell", "system_lookup"},
    "woman_c": {"no_duty_link", "system_lookup"},
    None: {"prior_intelligence", "complaint_cluster", "multiple_members_of_public"},
}


def test_demo_markers_are_the_ones_it_was_built_to_show(demo):
    import workbench.analysis as analysis

    if not hasattr(analysis, "run_analysis"):
        pytest.skip("workbench.analysis.run_analysis not written yet")
    _needs(*KINDS)
    store, _ = demo
    from workbench.model import Marker, Person

    with store.reader() as session:
        case = find_case(session, DEMO_REF)
        if not session.scalar(select(func.count()).where(Marker.case_id == case.id)):
            pytest.skip("the demo was built before the analysis existed")
        member = aliased(Person)
        rows = session.execute(
            select(Marker.rule, member.key).outerjoin(member, Marker.member_id == member.id)
            .where(Marker.case_id == case.id, Marker.current.is_(True))).all()
    found: dict[str | None, set[str]] = {}
    for rule, key in rows:
        found.setdefault(key, set()).add(rule)
    for key, rules in DESIGNED.items():
        assert rules <= found.get(key, set()), (key, rules - found.get(key, set()))
    assert not found.get("man_d") and not found.get("colleague")  # ordinary, proper contact
    assert len({rule for rule, _ in rows}) == 16
