"""#17 point 2: persistent calling over weeks, as in the published case study 2.

"A total of 38 calls were made from his device to the woman's number. 30 of these calls
were less than five seconds and may have gone unanswered. There were no calls registered
from the woman's number."
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.workbench.analysis_builder import CaseBuilder, markers
from workbench.store import Store

START = datetime(2021, 3, 1, 9, 0)


@pytest.fixture
def case(store: Store, tmp_path: Path) -> CaseBuilder:
    return CaseBuilder(store, tmp_path, concluded="2021-12-31T17:00:00")


def case_study_calls(case: CaseBuilder, *, short: int = 30, total: int = 38,
                     from_her: int = 0) -> None:
    """``total`` calls from the work phone over ten weeks, ``short`` of them under 5 s."""
    for n in range(total):
        when = START + timedelta(days=n * 70 / (total - 1), hours=n % 9)
        case.call(f"{when:%Y-%m-%d %H:%M}", duration=2 if n < short else 95)
    for n in range(from_her):
        when = START + timedelta(days=3 + 7 * n, hours=4)
        case.call(f"{when:%Y-%m-%d %H:%M}", duration=120, outgoing=False)


def test_case_study_two_is_caught_without_any_burst(case: CaseBuilder) -> None:
    case_study_calls(case)
    [marker] = markers(case.analyse(), "repeated_short_calls")
    assert marker["explanation"] == (
        "38 calls from the work phone to Woman A between 01/03/2021 and 10/05/2021"
        " (over 70 days); 30 under five seconds or unanswered; none from Woman A.")
    assert marker["severity"] == "high"  # 30 short calls: persistent_high_from_calls is 25
    assert len(marker["evidence"]) == 38


def test_two_way_calling_is_not_persistent_one_sided_calling(case: CaseBuilder) -> None:
    case_study_calls(case, from_her=10)  # 10 of 48 calls from her: not "mostly one way"
    assert markers(case.analyse(), "repeated_short_calls") == []


def test_mostly_answered_calls_are_not_marked(case: CaseBuilder) -> None:
    case_study_calls(case, short=20)  # 20 of 38 short is under the 60% share
    assert markers(case.analyse(), "repeated_short_calls") == []


def test_a_few_short_calls_over_weeks_are_not_marked(case: CaseBuilder) -> None:
    case_study_calls(case, short=15, total=19)  # under 20 calls
    assert markers(case.analyse(), "repeated_short_calls") == []


def test_the_burst_form_is_kept(case: CaseBuilder) -> None:
    for n in range(6):
        case.call(f"2021-04-10 23:{n * 5:02d}", duration=2)
    [marker] = markers(case.analyse(), "repeated_short_calls")
    assert marker["explanation"].startswith("6 calls between the officer and Woman A within")


def test_a_burst_inside_weeks_of_calls_is_marked_once(case: CaseBuilder) -> None:
    """The demo's 38 calls in one evening sit among weeks of answered calls: one marker."""
    for n in range(38):
        case.call(f"2021-06-14 {18 + n // 10}:{(n % 10) * 5:02d}", duration=2 if n < 30 else 60)
    for day in range(1, 9):
        case.call(f"2021-06-{day:02d} 12:00", duration=60)
    [marker] = markers(case.analyse(), "repeated_short_calls")
    assert marker["explanation"].startswith("30 calls between the officer and Woman A within")
