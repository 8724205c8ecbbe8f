"""The offline map: what it shows, its filters, its files and anonymised output."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest

from graphs.map_chart import nice_length
from tests.workbench.case_builder import add_events, add_shift
from workbench.anonymise import Anonymiser
from workbench.cli import main
from workbench.map_view import MapFilter, load_map, write_map
from workbench.store.queries import find_case

HOME = (53.8008, -1.5491)  # Woman A's home in willow.toml
DAY = datetime(2021, 3, 10, 9, tzinfo=UTC)


@pytest.fixture
def mapped(willow):
    add_shift(willow, "OP-WILLOW", "pcso", DAY, DAY + timedelta(hours=8), on_duty=True)
    add_shift(willow, "OP-WILLOW", "pcso", DAY + timedelta(hours=8), DAY + timedelta(hours=24),
              on_duty=False)
    add_events(willow, "OP-WILLOW", [
        {"at": DAY + timedelta(hours=1), "kind": "vehicle_stop", "sender": ("vehicle", "YX21 ABC"),
         "lat": HOME[0] + 0.0003, "lon": HOME[1], "duration": 1800},
        {"at": DAY + timedelta(hours=10), "kind": "vehicle_stop", "sender": ("vehicle", "YX21 ABC"),
         "lat": HOME[0] + 0.0004, "lon": HOME[1], "duration": 600},
        {"at": DAY + timedelta(hours=11), "kind": "vehicle_position", "sender": ("vehicle", "YX21 ABC"),
         "lat": 53.75, "lon": -1.60},
        {"at": DAY + timedelta(hours=12), "kind": "sms", "sender": ("phone", "07700 900101"),
         "recipient": ("phone", "07700 900201")},  # no coordinates: not on the map
    ])
    return willow


def _map(store, view=MapFilter(), anonymise=False):
    with store.reader() as session:
        case = find_case(session, "OP-WILLOW")
        return load_map(session, case, Anonymiser(case, anonymise), view)


def test_places_stops_and_positions_with_duty_and_dwell(mapped):
    data = _map(mapped)
    assert [(a.label, a.radius_m) for a in data.areas] == [("Home address (Kerry Lowe)", 150.0)]
    assert [(p.kind, p.group, p.dwell_s) for p in data.points] == [
        ("vehicle_stop", "on", 1800), ("vehicle_stop", "off", 600), ("vehicle_position", "off", None)]
    assert len(data.event_ids) == 3


def test_filters_time_duty_and_person(mapped):
    assert [p.group for p in _map(mapped, MapFilter(duty="off")).points] == ["off", "off"]
    start = int((DAY + timedelta(hours=9)).timestamp())
    assert [p.kind for p in _map(mapped, MapFilter(start=start)).points] == [
        "vehicle_stop", "vehicle_position"]
    near_her = _map(mapped, MapFilter(person_key="woman_a"))
    assert [p.kind for p in near_her.points] == ["vehicle_stop", "vehicle_stop"]
    assert _map(mapped, MapFilter(person_key="colleague")).areas == []


def test_anonymised_map_names_places_by_cipher_only(mapped, tmp_path):
    assert [a.label for a in _map(mapped, anonymise=True).areas] == ["Place of Woman A"]
    out = tmp_path / "map.pdf"
    write_map(mapped, "OP-WILLOW", out, anonymise=True)
    assert out.read_bytes().startswith(b"%PDF")
    from workbench.errors import WorkbenchError
    with pytest.raises(WorkbenchError, match="real coordinates"):
        write_map(mapped, "OP-WILLOW", tmp_path / "map.kml", anonymise=True)


def test_kml_has_marking_places_and_points(mapped, tmp_path):
    out = tmp_path / "map.kml"
    counts = write_map(mapped, "OP-WILLOW", out)
    assert counts == {"places": 1, "vehicle_stop": 2, "vehicle_position": 1}
    root = ET.parse(out).getroot()
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    assert "OFFICIAL-SENSITIVE" in root.find("k:Document/k:description", ns).text
    marks = root.findall("k:Document/k:Placemark", ns)
    assert len(marks) == 4
    assert marks[0].find("k:Point/k:coordinates", ns).text == "-1.549100,53.800800"


def test_cli_map_png_and_bad_input(mapped, tmp_path, capsys):
    out = tmp_path / "map.png"
    assert main(["--db", mapped.url, "map", "OP-WILLOW", "--out", str(out), "--from",
                 "2021-03-10T18:00", "--duty", "off"]) == 0
    assert out.read_bytes().startswith(b"\x89PNG")
    assert "2 vehicle stop" not in capsys.readouterr().out
    assert main(["--db", mapped.url, "map", "OP-WILLOW", "--out", str(tmp_path / "m.txt")]) == 1
    assert "map format" in capsys.readouterr().err


def test_scale_bar_lengths_are_round():
    assert nice_length(5000) == 1000
    assert nice_length(2300) == 200
    assert nice_length(120) == 20


def test_the_screen_draws_a_sample_of_many_positions_and_every_stop():
    from graphs.map_chart import MapPoint
    from workbench.map_view import CaseMap

    points = ([MapPoint(53.8, -1.5 + n / 1000, "vehicle_position", "on") for n in range(50)]
              + [MapPoint(53.8, -1.5, "vehicle_stop", "off", 600.0)] * 2)
    drawn, step = CaseMap("REF", "OFFICIAL", points=points).drawn_points(limit=10)
    assert step == 5
    assert sum(p.kind == "vehicle_position" for p in drawn) == 10
    assert sum(p.kind == "vehicle_stop" for p in drawn) == 2
    assert CaseMap("REF", "OFFICIAL", points=points).drawn_points(limit=100) == (points, 1)


def test_the_screen_map_keeps_the_drawn_points_and_counts_them_all():
    from graphs.map_chart import MapPoint
    from workbench.map_view import CaseMap

    points = ([MapPoint(53.8, -1.5 + n / 1000, "vehicle_position", "on") for n in range(50)]
              + [MapPoint(53.8, -1.5, "vehicle_stop", "off", 600.0)] * 2)
    full = CaseMap("REF", "OFFICIAL", points=points, event_ids=list(range(100, 152)))
    screen = full.for_screen(limit=10)
    assert len(screen.points) == 12 and screen.step == 5
    assert screen.drawn_points() == (screen.points, 5)  # not thinned twice
    assert screen.counts() == full.counts() == {"places": 0, "vehicle_position": 50, "vehicle_stop": 2}
    assert screen.event_ids == [104, 109, 114, 119, 124, 129, 134, 139, 144, 149, 150, 151]
    assert full.for_screen(limit=100) is full
