"""frequency_escalation and repeated_short_calls, just inside and just outside thresholds."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.workbench.analysis_builder import CaseBuilder, markers, positions
from workbench.store import Store


@pytest.fixture
def case(store: Store, tmp_path: Path) -> CaseBuilder:
    return CaseBuilder(store, tmp_path, concluded="2021-12-31T17:00:00")


def weekly_baseline(case: CaseBuilder, weeks: int = 6, per_week: int = 1) -> None:
    start = date(2021, 3, 1)
    for week in range(weeks):
        for n in range(per_week):
            day = start + timedelta(days=7 * week + n % 7)
            case.call(f"{day} 12:{n:02d}")


def burst(case: CaseBuilder, count: int, first: date) -> None:
    for n in range(count):
        day = first + timedelta(days=n % 7)
        case.sms(f"{day} 13:{n:02d}", "ok", line="personal")


def test_escalation_against_the_pairs_own_baseline(case: CaseBuilder) -> None:
    weekly_baseline(case)                  # one call a week for six weeks
    burst(case, 10, date(2021, 4, 12))     # then ten contacts in a week
    [marker] = markers(case.analyse(), "frequency_escalation")
    assert marker["explanation"].startswith(
        "10 contacts with Woman A in the 7 days to 18/04/2021, against the pair's own earlier "
        "rate of 1.0 per 7 days (10.0 times as many);")
    assert marker["severity"] == "high"  # ratio 10 is over the "high" ratio of 8


def test_one_contact_short_of_the_minimum_is_not_escalation(case: CaseBuilder) -> None:
    weekly_baseline(case)
    burst(case, 9, date(2021, 4, 12))
    assert markers(case.analyse(), "frequency_escalation") == []


def test_a_busy_pair_is_compared_with_itself(case: CaseBuilder) -> None:
    weekly_baseline(case, weeks=6, per_week=7)   # a contact every day
    burst(case, 12, date(2021, 4, 12))           # 12 in a week: under three times seven
    assert markers(case.analyse(), "frequency_escalation") == []


def test_a_new_pair_without_history_is_not_escalation(case: CaseBuilder) -> None:
    burst(case, 20, date(2021, 4, 12))
    assert markers(case.analyse(), "frequency_escalation") == []


def test_burst_of_short_and_unanswered_calls(case: CaseBuilder) -> None:
    case.call("2021-03-21 21:00", duration=3)                     # line 1
    case.call("2021-03-21 21:05", duration=0, status="missed")    # line 2
    case.call("2021-03-21 21:10", duration=45)                    # line 3: a real call
    case.call("2021-03-21 21:20", duration=2)                     # line 4
    case.call("2021-03-21 22:15", duration=4.9, outgoing=False)   # line 5: 55 minutes later
    case.call("2021-03-21 22:20", duration=1)                     # line 6
    [marker] = markers(case.analyse(), "repeated_short_calls")
    assert positions(marker) == [f"line {n}" for n in range(1, 7)]
    assert marker["explanation"] == (
        "6 calls between the officer and Woman A within 1 hour (21/03/2021 21:00 to 22:20), "
        "5 of them under 5 seconds or unanswered, 4 of those made by the officer.")
    assert marker["evidence"][1]["detail"][0] == "short or unanswered: unanswered"
    assert marker["evidence"][2]["detail"][0] == "45 seconds"


def test_four_short_calls_or_a_long_gap_are_not_a_burst(case: CaseBuilder) -> None:
    for minute in (0, 5, 10, 15):
        case.call(f"2021-03-21 21:{minute:02d}", duration=2)
    case.call("2021-03-21 22:16", duration=2)   # 61 minutes after the last: a new run
    case.call("2021-03-21 23:00", duration=5)   # exactly 5 seconds is not "under 5"
    assert markers(case.analyse(), "repeated_short_calls") == []
