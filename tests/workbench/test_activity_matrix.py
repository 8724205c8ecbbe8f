"""The activity matrix: counts in local time, the records behind a cell, the roster overlay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from graphs.matrix_chart import render_matrix
from tests.workbench.case_builder import add_events, add_shift
from workbench import audit
from workbench.activity_matrix import DAYS, case_activity_matrix, duty_share, local_day_hour
from workbench.duty import Shift
from workbench.errors import WorkbenchError

MONDAY = datetime(2021, 3, 1, tzinfo=UTC)  # Monday 1 March 2021 (GMT)
SUMMER_MONDAY = datetime(2021, 6, 7, tzinfo=UTC)  # BST: local = UTC + 1


@pytest.fixture
def contacted(willow):
    work, hers, colleague = ("phone", "07700 900101"), ("phone", "07700 900201"), ("phone", "07700 900301")
    ids = add_events(willow, "OP-WILLOW", [
        {"at": MONDAY + timedelta(hours=23, minutes=30), "sender": work, "recipient": hers},
        {"at": MONDAY + timedelta(days=7, hours=23, minutes=5), "sender": hers, "recipient": work},
        {"at": SUMMER_MONDAY + timedelta(hours=23, minutes=30), "sender": work, "recipient": hers},
        {"at": MONDAY + timedelta(days=2, hours=9), "sender": work, "recipient": colleague},
        {"at": MONDAY + timedelta(hours=2), "kind": "vehicle_stop", "sender": ("vehicle", "YX21 ABC"),
         "lat": 53.8, "lon": -1.5},
    ])
    for week in range(2):
        day = MONDAY + timedelta(days=7 * week)
        add_shift(willow, "OP-WILLOW", "pcso", day + timedelta(hours=15), day + timedelta(hours=24),
                  on_duty=True)
    return willow, ids


def test_counts_in_local_time_and_cell_records(contacted):
    store, ids = contacted
    matrix = case_activity_matrix(store, "OP-WILLOW", member_key="woman_a")
    assert matrix.total == 3
    assert matrix.counts[0, 23] == 2  # two Mondays at 23:xx GMT
    assert matrix.counts[1, 0] == 1  # 23:30 UTC in June is Tuesday 00:30 BST
    assert matrix.records(0, 23) == [ids[0], ids[1]]
    assert matrix.title == "Daniel Marsh: contact with Kerry Lowe"
    everyone = case_activity_matrix(store, "OP-WILLOW", anonymise=True)
    assert everyone.total == 4 and everyone.counts[2, 9] == 1  # the colleague; not the vehicle
    assert everyone.title == "Daniel Marsh: all contact"
    assert case_activity_matrix(store, "OP-WILLOW", member_key="woman_a",
                                anonymise=True).title.endswith("Woman A")


def test_time_range_and_unknown_person(contacted):
    store, ids = contacted
    start = int((MONDAY + timedelta(days=5)).timestamp())
    end = int((MONDAY + timedelta(days=10)).timestamp())
    matrix = case_activity_matrix(store, "OP-WILLOW", start=start, end=end)
    assert matrix.total == 1 and matrix.records(0, 23) == [ids[1]]
    with pytest.raises(WorkbenchError, match="no person"):
        case_activity_matrix(store, "OP-WILLOW", member_key="nobody")


def test_roster_overlay_is_the_share_of_weeks_on_duty(contacted):
    store, _ids = contacted
    matrix = case_activity_matrix(store, "OP-WILLOW", member_key="woman_a")
    # The roster covers two Mondays 15:00-24:00; the overlay counts only the rostered weeks.
    assert matrix.on_duty[0, 15] == pytest.approx(1.0)
    assert matrix.on_duty[0, 14] == 0 and matrix.on_duty[1, 16] == 0


def test_duty_share_half_the_weeks():
    start = int(MONDAY.timestamp())
    shifts = [Shift(start + 9 * 3600, start + 10 * 3600, True)]
    share = duty_share(shifts, start, start + 14 * 86400, "Europe/London")
    assert share[0, 9] == pytest.approx(0.5) and share.sum() == pytest.approx(0.5)


def test_local_day_hour_across_the_clock_change():
    moments = np.array([int(datetime(2021, 3, 28, 0, 30, tzinfo=UTC).timestamp()),
                        int(datetime(2021, 3, 28, 1, 30, tzinfo=UTC).timestamp())])
    day, hour = local_day_hour(moments, "Europe/London")
    assert day.tolist() == [6, 6] and hour.tolist() == [0, 2]  # Sunday; 01:00 GMT became 02:00 BST


def test_rendered_figure_has_every_cell_and_legend(contacted):
    store, _ids = contacted
    matrix = case_activity_matrix(store, "OP-WILLOW")
    figure = render_matrix(matrix.counts, matrix.on_duty, rows=DAYS, title=matrix.title,
                           marking=matrix.marking)
    texts = {t.get_text() for t in figure.axes[0].texts}
    assert texts == {"2", "1"}
    legend = [t.get_text() for t in figure.legends[0].get_texts()]
    assert len(legend) == 3 and "Rostered on duty" in legend[2]


def test_bundle_prints_the_matrix_by_an_off_duty_marker(contacted, tmp_path):
    import shutil

    from tests.workbench.test_bundle import pdftotext
    from workbench.bundle.export import export_bundle
    from workbench.bundle.gather import gather
    from workbench.model import Marker, MarkerEvidence
    from workbench.store.queries import find_case

    store, ids = contacted
    with store.session() as session:
        case = find_case(session, "OP-WILLOW")
        for key, rule in (("m1", "off_duty_contact"), ("m2", "unsocial_hours"), ("m3", "channel_shift")):
            marker = Marker(case_id=case.id, key=key, rule=rule, severity="medium", start=MONDAY,
                            end=MONDAY, subject_id=case.person("pcso").id, status="accepted",
                            member_id=case.person("woman_a").id, explanation="Late contact.")
            marker.evidence = [MarkerEvidence(event_id=ids[0])]
            session.add(marker)
        session.flush()  # recorded as the application records a change
        audit.append(session, case, "test_fixture", {"markers": 3})
    with store.reader() as session:
        case = find_case(session, "OP-WILLOW")
        content = gather(session, case, "hearing", anonymise=True)
    by_rule = {m.rule: m.key for m in content.markers}
    assert list(content.activity) == [by_rule["off_duty_contact"]]  # once per pair
    assert content.activity[by_rule["off_duty_contact"]].title.endswith("Woman A")
    if shutil.which("pdftotext"):
        out = tmp_path / "bundle.pdf"
        export_bundle(store, "OP-WILLOW", out, audience="hearing", anonymise=True)
        text = " ".join(pdftotext(out).split())
        assert "Activity matrix: Daniel Marsh: contact with Woman A (3 contacts)" in text
