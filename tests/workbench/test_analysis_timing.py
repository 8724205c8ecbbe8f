"""off_duty_contact, unsocial_hours and post_closure_contact: time-aware boundaries."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.workbench.analysis_builder import CaseBuilder, markers, positions
from workbench.store import Store


@pytest.fixture
def case(store: Store, tmp_path: Path) -> CaseBuilder:
    # Concluded far in the future: post-closure stays quiet unless a test wants it.
    return CaseBuilder(store, tmp_path, concluded="2021-12-31T17:00:00")


def weekday_roster(case: CaseBuilder) -> None:
    """Mon 08/03/2021 to Fri 12/03/2021, 07:00-17:00; nothing for the weekend."""
    for day in range(8, 13):
        case.shift(f"2021-03-{day:02d} 07:00", f"2021-03-{day:02d} 17:00")


def test_contact_between_shifts_is_off_duty_with_grace_either_side(case: CaseBuilder) -> None:
    weekday_roster(case)
    case.call("2021-03-09 17:29", line="personal")   # line 1: within 30 minutes' grace: on duty
    case.call("2021-03-09 17:31", line="personal")   # line 2: off duty (between shifts)
    case.call("2021-03-10 06:29", line="personal")   # line 3: off duty (before the next grace)
    case.call("2021-03-10 06:31", line="personal")   # line 4: within grace: on duty
    [marker] = markers(case.analyse(), "off_duty_contact")
    assert positions(marker) == ["line 2", "line 3"]
    assert marker["explanation"] == (
        "2 contacts with Woman A (2 calls) between 09/03/2021 and 10/03/2021 while the officer "
        "was off duty by the roster between shifts (the shift ending 09/03/2021 17:00, "
        "T/1 roster line 2; the next starting 10/03/2021 07:00).")


def test_work_phone_contact_off_roster_in_the_open_matter_is_a_low_note(case: CaseBuilder) -> None:
    """An officer on overtime the roster does not show, calling about the open matter."""
    weekday_roster(case)
    case.call("2021-03-09 17:31")   # work phone, the engagement open until 31/12/2021
    [marker] = markers(case.analyse(), "off_duty_contact")
    assert marker["severity"] == "low"
    assert marker["explanation"].endswith(
        "; all of it on the work channel during the open attempted burglary report "
        "(13/45678/21) (overtime off the roster may explain it).")


def test_a_gap_in_the_roster_is_unknown_not_off_duty(case: CaseBuilder) -> None:
    weekday_roster(case)
    case.call("2021-03-13 14:00")   # Saturday: the roster says nothing (62-hour gap)
    case.call("2021-03-20 14:00")   # after the roster ends
    case.call("2021-03-01 14:00")   # before the roster starts
    assert markers(case.analyse(), "off_duty_contact") == []


def test_rest_day_entry_is_off_duty_and_named(case: CaseBuilder) -> None:
    case.shift("2021-03-13 00:00", "2021-03-14 00:00", on_duty=False, duty="rest day")
    case.sms("2021-03-13 11:00", "hi", line="personal")
    case.sms("2021-03-13 11:05", "hi", line="personal", outgoing=False)
    [marker] = markers(case.analyse(), "off_duty_contact")
    assert marker["explanation"] == (
        "2 contacts with Woman A (2 text messages) on 13/03/2021 while the officer was off duty "
        "by the roster (rest day, T/1 roster line 1).")
    assert marker["evidence"][0]["detail"][0] == "off duty by the roster: rest day (T/1 roster line 1)"


def test_overtime_on_a_rest_day_counts_as_on_duty(case: CaseBuilder) -> None:
    case.shift("2021-03-13 00:00", "2021-03-14 00:00", on_duty=False, duty="rest day")
    case.shift("2021-03-13 09:00", "2021-03-13 15:00", duty="overtime")
    case.call("2021-03-13 12:00")
    assert markers(case.analyse(), "off_duty_contact") == []


def test_no_roster_means_no_off_duty_markers(case: CaseBuilder) -> None:
    case.call("2021-03-13 14:00")
    assert markers(case.analyse(), "off_duty_contact") == []


@pytest.mark.parametrize(("local", "late"), [
    ("2021-01-15 21:59", False), ("2021-01-15 22:00", True), ("2021-01-16 05:59", True),
    ("2021-01-16 06:00", False),
    ("2021-07-15 21:59", False), ("2021-07-15 22:00", True), ("2021-07-16 05:59", True),
    ("2021-07-16 06:00", False),
])
def test_unsocial_hours_boundaries_in_local_time(case: CaseBuilder, local: str, late: bool) -> None:
    case.sms(local, "ok")
    assert bool(markers(case.analyse(), "unsocial_hours")) is late


def test_unsocial_hours_follow_british_summer_time(case: CaseBuilder) -> None:
    """21:30 UTC is 22:30 in July (BST) but 21:30 in January (GMT)."""
    summer = case.sms("2021-07-15 22:30", "ok")   # 21:30 UTC
    winter = case.sms("2021-01-15 21:30", "ok")   # 21:30 UTC too
    [marker] = markers(case.analyse(), "unsocial_hours")
    assert positions(marker) == [f"line {summer}"]
    assert marker["start"] == "2021-07-15T21:30:00Z"
    assert f"line {winter}" not in positions(marker)
    assert marker["explanation"] == (
        "1 contact with Woman A (1 text message) late at night at 22:30 on the night of "
        "15/07/2021 (unsocial hours are 22:00 to 06:00, Europe/London).")


def test_unsocial_hours_group_a_night_and_runs_of_nights(case: CaseBuilder) -> None:
    case.sms("2021-03-20 23:10", "ok")
    case.sms("2021-03-21 01:45", "ok", outgoing=False)
    case.call("2021-03-21 02:00")
    case.sms("2021-04-20 23:00", "ok")  # a month later: a separate marker
    first, second = markers(case.analyse(), "unsocial_hours")
    assert first["explanation"] == (
        "3 contacts with Woman A (2 text messages and 1 call) late at night between 23:10 and "
        "02:00 on the night of 20/03/2021 (unsocial hours are 22:00 to 06:00, Europe/London).")
    assert first["severity"] == "medium"
    assert second["severity"] == "low"


def test_post_closure_boundary(store: Store, tmp_path: Path) -> None:
    case = CaseBuilder(store, tmp_path)  # concluded 05/03/2021 17:00
    case.call("2021-03-05 16:59")   # line 1: still open
    case.call("2021-03-05 17:00")   # line 2: the moment it concluded
    case.call("2021-03-05 17:01")   # line 3: after
    case.sms("2021-03-20 19:02", "hi", line="personal")  # line 4
    [marker] = markers(case.analyse(), "post_closure_contact")
    assert positions(marker) == ["line 3", "line 4"]
    assert marker["explanation"] == (
        "2 contacts with Woman A (1 call and 1 text message) after the attempted burglary "
        "report (13/45678/21) concluded on 05/03/2021: the first 1 minute after closure, "
        "the last on 20/03/2021.")


def test_no_post_closure_marker_while_the_engagement_is_open(case: CaseBuilder) -> None:
    case.call("2021-06-01 12:00")
    assert markers(case.analyse(), "post_closure_contact") == []
