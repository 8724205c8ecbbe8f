"""A vehicle-dwell marker is printed with its map: the person's places and the marker's
stops, anonymised as `workbench map` is (a protected person's place by cipher only)."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.workbench.bundle_case import IDENTIFYING, REF, build_case
from workbench import audit
from workbench.bundle import export_bundle
from workbench.bundle.gather import gather
from workbench.model import Event, Exhibit, Identifier, Marker, MarkerEvidence
from workbench.store import Store
from workbench.store.queries import find_case


def _add_dwell_marker(store: Store) -> None:
    """Two stops of the officer's vehicle by Woman A's home, and their accepted marker."""
    with store.session() as session:
        case = find_case(session, REF)
        exhibit = session.query(Exhibit).filter_by(case_id=case.id, reference="JB/1").one()
        vehicle = session.query(Identifier).filter_by(case_id=case.id, kind="vehicle").one()
        stops = [Event(case_id=case.id, exhibit_id=exhibit.id, source_position=f"stop {n}",
                       occurred_at=datetime(2021, 3, 20 + n, 21, 0, tzinfo=UTC),
                       kind="vehicle_stop", channel="telematics", direction="outgoing",
                       from_id=vehicle.id, duration_s=1500.0, lat=53.8009, lon=-1.5490)
                 for n in (1, 2)]
        session.add_all(stops)
        session.flush()
        marker = Marker(case_id=case.id, key="vehicle_dwell-1", rule="vehicle_dwell",
                        severity="medium", start=stops[0].occurred_at, end=stops[1].occurred_at,
                        subject_id=case.person("pcso").id, member_id=case.person("woman_a").id,
                        explanation="The officer's vehicle stopped near Woman A's home twice.",
                        status="accepted", reviewed_by="DS Black",
                        reviewed_at=datetime(2021, 5, 1, tzinfo=UTC), review_reason="Checked")
        marker.evidence = [MarkerEvidence(event_id=e.id, detail=["near home"]) for e in stops]
        session.add(marker)
        session.flush()
        audit.append(session, case, "test_fixture", {"built": "vehicle dwell marker"})


@pytest.fixture
def dwell_case(store: Store, tmp_path: Path) -> Store:
    build_case(store, tmp_path)
    _add_dwell_marker(store)
    return store


@pytest.mark.parametrize("anonymise", [True, False])
def test_the_dwell_marker_has_its_map_with_its_stops_and_the_places(
        dwell_case: Store, anonymise: bool) -> None:
    with dwell_case.reader() as session:
        content = gather(session, find_case(session, REF), "hearing", anonymise)
    [key] = [m.key for m in content.markers if m.rule == "vehicle_dwell"]
    assert set(content.maps) == {key}  # only vehicle-dwell markers have a map
    drawn = content.maps[key]
    assert [p.kind for p in drawn.points] == ["vehicle_stop", "vehicle_stop"]
    labels = [area.label for area in drawn.areas]
    if anonymise:
        assert labels == ["Place of Woman A"]
    else:
        assert labels == ["Home address (Kerry Lowe)"]


def test_the_bundle_prints_the_map_and_leaks_nothing(dwell_case: Store, tmp_path: Path) -> None:
    out = tmp_path / "hearing.pdf"
    export_bundle(dwell_case, REF, out)  # the leak gate checks the finished bytes
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    for value in IDENTIFYING:
        assert value not in text
    reader = PdfReader(out)
    [page] = [n for n, p in enumerate(reader.pages)
              if "Vehicle stopped near a home [" in (p.extract_text() or "")]
    following = [reader.pages[page], reader.pages[page + 1]]
    assert sum(len(p.images) for p in following) == 1  # the map, by its marker
    assert not any(p.images for p in reader.pages[:page])


def test_the_map_legend_of_a_bundle_page_prints_at_8_pt_and_stays_on_the_page():
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from graphs.map_chart import MapArea, MapPoint, render_map
    from workbench.bundle.sections.charts import MAP_DRAWN_WIDTH_IN, MAP_TEXT_PT

    printed_in = 7.0  # the frame's width: the figure is drawn wider and shrunk to it
    scale = MAP_TEXT_PT / 8 * MAP_DRAWN_WIDTH_IN / printed_in
    figure = render_map([MapArea(53.8, -1.5, 100, "Place of Woman A")],
                        [MapPoint(53.8, -1.5005, "vehicle_stop", "on", 600.0)],
                        size=(MAP_DRAWN_WIDTH_IN, MAP_DRAWN_WIDTH_IN * 0.62), text_scale=scale)
    FigureCanvasAgg(figure).draw()
    legend = figure.legends[0]
    sizes = [text.get_fontsize() * printed_in / MAP_DRAWN_WIDTH_IN for text in legend.get_texts()]
    assert min(sizes) >= 7.9  # as printed
    assert legend.get_window_extent().x1 <= figure.bbox.x1  # nothing cut off at the right
