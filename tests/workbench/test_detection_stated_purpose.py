"""#17 point 3: system_lookup reads the recorded reason.

The issue's case: an officer viewed a domestic-abuse victim's record during the open
investigation, on a rostered rest day, with the reason citing that occurrence's reference.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.workbench.analysis_builder import CaseBuilder, markers
from workbench.analysis.loader import EngagementInfo
from workbench.analysis.rules_lookups import cites, recorded_reason
from workbench.ingest.formats.system_audit import describe
from workbench.store import Store

RECORD = "NICHE-PER-448812"


def audit_text(reason: str) -> str:
    """The event text exactly as the system-audit importer writes it."""
    return describe("Niche RMS", "View", RECORD, "", "", reason, "WS-0142")


@pytest.fixture
def case(store: Store, tmp_path: Path) -> CaseBuilder:
    builder = CaseBuilder(store, tmp_path, concluded="2021-03-20T17:00:00")
    builder.shift("2021-03-03 00:00", "2021-03-04 00:00", on_duty=False, duty="rest day")
    builder.shift("2021-03-04 07:00", "2021-03-04 15:00")
    return builder


def test_stated_purpose_on_a_rest_day_is_a_low_note(case: CaseBuilder) -> None:
    case.lookup("2021-03-03 20:00", record=RECORD, text=audit_text("Update for 13/45678/21"))
    [marker] = markers(case.analyse(), "system_lookup")
    assert marker["severity"] == "low"
    assert marker["explanation"] == (
        "1 police-system look-up of Woman A (record NICHE-PER-448812) on 03/03/2021 while the "
        "officer was off duty by the roster; the recorded reason cites the open attempted "
        "burglary report (13/45678/21) with Woman A, so a policing purpose is recorded.")
    assert "without" not in marker["explanation"]


def test_reason_citing_words_of_the_engagement_counts(case: CaseBuilder) -> None:
    case.lookup("2021-03-03 20:00", record=RECORD, text=audit_text("burglary REPORT follow up"))
    [marker] = markers(case.analyse(), "system_lookup")
    assert marker["severity"] == "low"


def test_stated_purpose_on_duty_is_not_marked(case: CaseBuilder) -> None:
    case.lookup("2021-03-04 10:00", record=RECORD, text=audit_text("13/45678/21"))
    assert markers(case.analyse(), "system_lookup") == []


@pytest.mark.parametrize("reason", ["", "Stop check", "Update for 13/99999/21"])
def test_no_reason_or_unrelated_reason_is_treated_as_before(case: CaseBuilder,
                                                            reason: str) -> None:
    case.lookup("2021-03-03 20:00", record=RECORD, text=audit_text(reason))
    [marker] = markers(case.analyse(), "system_lookup")
    assert marker["severity"] == "high"
    assert marker["explanation"].endswith(
        "while the officer was off duty by the roster: no policing purpose recorded.")


def test_citing_a_concluded_engagement_is_not_a_stated_purpose(case: CaseBuilder) -> None:
    case.lookup("2021-04-03 20:00", record=RECORD, text=audit_text("13/45678/21"))
    [marker] = markers(case.analyse(), "system_lookup")
    assert marker["severity"] == "high"
    assert "after the attempted burglary report (13/45678/21) concluded" in marker["explanation"]


def test_reason_parsing_and_citing() -> None:
    assert recorded_reason(audit_text("Update for 13/45678/21")) == "Update for 13/45678/21"
    assert recorded_reason("Niche RMS: View — record X; terminal WS-1") == ""
    engagement = EngagementInfo(1, 1, 2, "Domestic abuse investigation", "13/80377/21", 0, None)
    assert cites("re 13 80377 21", engagement, 2)
    assert cites("DA: domestic abuse safeguarding", engagement, 2)
    assert not cites("domestic noise complaint", engagement, 2)  # one word is not enough
    assert not cites("", engagement, 2)
