"""vehicle_dwell and system_lookup: distances, open engagements, roster and closure."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.workbench.analysis_builder import HOME_A, CaseBuilder, markers, positions
from workbench.geo import distances_m
from workbench.store import Store

METRES_PER_DEGREE_LAT = 6_371_000 * np.pi / 180


def north_of_home(metres: float) -> tuple[float, float]:
    return HOME_A[0] + metres / METRES_PER_DEGREE_LAT, HOME_A[1]


@pytest.fixture
def case(store: Store, tmp_path: Path) -> CaseBuilder:
    return CaseBuilder(store, tmp_path)  # engagement 01/03/2021 10:12 to 05/03/2021 17:00


def test_distance_is_great_circle_metres() -> None:
    lat, lon = north_of_home(140)
    assert float(distances_m(np.array([lat]), np.array([lon]), *HOME_A)[0]) == pytest.approx(140, abs=0.01)


def test_vehicle_dwell_inside_and_outside_the_radius(case: CaseBuilder) -> None:
    case.stop("2021-03-22 23:05", *north_of_home(149), minutes=25)   # line 1: inside 150 m
    case.stop("2021-03-22 23:50", *north_of_home(151), minutes=25)   # line 2: just outside
    [marker] = markers(case.analyse(), "vehicle_dwell")
    assert positions(marker) == ["line 1"]
    assert marker["explanation"] == (
        "The officer's vehicle (YX21 ABC) stopped within 149 m of Woman A's home address on "
        "22/03/2021 (23:05 for 25 minutes), with no open engagement with Woman A.")
    assert marker["evidence"][0]["detail"][0] == "149 m from home address, stopped 25 minutes"


def test_no_vehicle_dwell_during_an_open_engagement_or_for_a_brief_stop(case: CaseBuilder) -> None:
    case.stop("2021-03-02 11:00", *north_of_home(20), minutes=40)   # attending the burglary
    case.stop("2021-03-22 11:00", *north_of_home(20), minutes=1)    # under two minutes
    assert markers(case.analyse(), "vehicle_dwell") == []


def test_lookup_during_the_engagement_on_duty_is_not_marked(case: CaseBuilder) -> None:
    case.shift("2021-03-02 07:00", "2021-03-02 17:00")
    case.lookup("2021-03-02 09:00", record="NICHE-PER-448812")
    assert markers(case.analyse(), "system_lookup") == []


def test_lookup_after_closure_and_off_duty(case: CaseBuilder) -> None:
    case.shift("2021-03-23 07:00", "2021-03-23 17:00")
    case.shift("2021-03-24 07:00", "2021-03-24 17:00")
    case.lookup("2021-03-23 21:40", record="NICHE-PER-448812")   # line 1
    document = case.analyse()
    [marker] = markers(document, "system_lookup")
    assert marker["explanation"] == (
        "1 police-system look-up of Woman A (record NICHE-PER-448812) on 23/03/2021 after the "
        "attempted burglary report (13/45678/21) concluded on 05/03/2021 and while the officer "
        "was off duty by the roster: no policing purpose recorded.")
    assert marker["severity"] == "high"


def test_lookup_by_name_in_the_search_terms_with_no_engagement(case: CaseBuilder) -> None:
    case.lookup("2021-04-02 10:00", text="PND search: HART, Jodie")   # line 1
    case.lookup("2021-04-02 10:05", text="Search jodie hart dob 1990")  # line 2
    case.lookup("2021-04-02 10:09", text="Search Jo Hartley")           # line 3: not her
    [marker] = markers(case.analyse(), "system_lookup")
    assert marker["member"] == "woman_b"
    assert positions(marker) == ["line 1", "line 2"]
    assert "with no recorded engagement" in marker["explanation"]
    assert "Jodie" not in marker["explanation"]  # the cipher, never the name
    assert marker["evidence"][0]["detail"][:2] == ["name in the search terms",
                                                   "with no recorded engagement"]


def test_lookup_before_the_engagement_began(case: CaseBuilder) -> None:
    case.lookup("2021-02-27 10:00", record="NICHE-PER-448812")
    [marker] = markers(case.analyse(), "system_lookup")
    assert "before the attempted burglary report (13/45678/21) began" in marker["explanation"]


def test_lookup_during_the_engagement_but_off_duty(case: CaseBuilder) -> None:
    case.shift("2021-03-03 00:00", "2021-03-04 00:00", on_duty=False, duty="rest day")
    case.lookup("2021-03-03 20:00", record="NICHE-PER-448812")
    [marker] = markers(case.analyse(), "system_lookup")
    assert marker["explanation"] == (
        "1 police-system look-up of Woman A (record NICHE-PER-448812) on 03/03/2021 while the "
        "officer was off duty by the roster: no policing purpose recorded.")
