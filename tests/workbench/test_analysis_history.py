"""prior_intelligence, complaint_cluster, multiple_members_of_public and the risk summary."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.workbench.analysis_builder import CaseBuilder, markers
from workbench.store import Store


@pytest.fixture
def case(store: Store, tmp_path: Path) -> CaseBuilder:
    return CaseBuilder(store, tmp_path)  # opened 21/02/2022


def test_prior_intelligence_counts_only_reports_from_before_the_case(case: CaseBuilder) -> None:
    case.add_intel("IR/2020/0141", date(2020, 5, 14))
    case.add_intel("IR/2022/0007", date(2022, 2, 21))   # the day it opened: not prior
    document = case.analyse()
    [marker] = markers(document, "prior_intelligence")
    assert marker["explanation"] == (
        "1 intelligence report about the officer predates the investigation (opened "
        "21/02/2022): IR/2020/0141 (2/B/P under 3x5x2, submitted 14/05/2020).")
    [item] = marker["evidence"]
    assert item["event"] is None and item["urn"] == "IR/2020/0141"
    assert (item["exhibit"], item["position"]) == ("T/1", "intel IR/2020/0141")
    assert marker["member"] is None and marker["subject"] == "pcso"


def test_prior_intelligence_never_identifies_a_report_under_handling_conditions(case: CaseBuilder) -> None:
    case.add_intel("IR/2019/0001", date(2019, 3, 1))
    case.add_intel("IR/2020/0999", date(2020, 7, 1), handling="C")
    [marker] = markers(case.analyse(), "prior_intelligence")
    assert marker["explanation"] == (
        "2 intelligence reports about the officer predate the investigation (opened "
        "21/02/2022): IR/2019/0001 (2/B/P under 3x5x2, submitted 01/03/2019) and 1 further "
        "report under handling conditions (identified only in the internal record).")
    assert "IR/2020/0999" not in marker["explanation"]


def test_complaint_cluster_needs_three_within_twelve_months(case: CaseBuilder) -> None:
    case.add_complaint("CO/1", date(2019, 1, 10))
    case.add_complaint("CO/2", date(2019, 6, 1))
    case.add_complaint("CO/3", date(2020, 1, 9))   # 364 days after CO/1: inside
    case.add_complaint("CO/4", date(2021, 6, 1))
    [marker] = markers(case.analyse(), "complaint_cluster")
    assert marker["explanation"] == (
        "3 complaints about the officer were received within twelve months or less of each "
        "other, between 10/01/2019 and 09/01/2020 (references CO/1, CO/2 and CO/3).")
    assert [item["reference"] for item in marker["evidence"]] == ["CO/1", "CO/2", "CO/3"]


def test_three_complaints_spread_over_more_than_a_year_are_not_a_cluster(case: CaseBuilder) -> None:
    case.add_complaint("CO/1", date(2019, 1, 10))
    case.add_complaint("CO/2", date(2019, 6, 1))
    case.add_complaint("CO/3", date(2020, 1, 10))  # 365 days after CO/1: outside
    assert markers(case.analyse(), "complaint_cluster") == []


def test_multiple_members_of_public(case: CaseBuilder) -> None:
    case.call("2021-03-01 10:30")
    case.whatsapp("2021-03-02 21:00", "hi")                          # woman_a: channel shift
    case.whatsapp("2021-04-02 21:00", "hi", member="woman_b")        # woman_b: personal, no link
    [marker] = markers(case.analyse(), "multiple_members_of_public")
    assert marker["severity"] == "medium"
    assert marker["explanation"] == (
        "The officer shows similar indicators with 2 members of the public (Woman A: channel "
        "shift; Woman B: personal-channel contact, no duty link).")
    assert len(marker["evidence"]) == 2


def test_one_member_is_not_a_wide_net(case: CaseBuilder) -> None:
    case.whatsapp("2021-03-02 21:00", "hi")
    assert markers(case.analyse(), "multiple_members_of_public") == []


@pytest.mark.parametrize(("contacts", "late", "fires"), [
    (20, 4, True),    # 20 contacts, 20% of them late at night
    (19, 4, False),   # one contact short
    (20, 3, False),   # 15% late: like family and friends, called by day
])
def test_unresolved_numbers_with_substantial_personal_contact_count(
        case: CaseBuilder, contacts: int, late: int, fires: bool) -> None:
    case.whatsapp("2021-03-02 21:00", "hi")
    for n in range(contacts):
        hour = "23" if n < late else "12"
        case.sms(f"2021-05-{1 + n % 28:02d} {hour}:{n:02d}", "hi", line="personal",
                 number="07700 900555")
    found = markers(case.analyse(), "multiple_members_of_public")
    assert bool(found) is fires
    if fires:
        assert ("1 unresolved identifier with 20 or more personal-channel contacts each, at "
                "least 20% of them late at night (07700 900555: 20), who may be further members "
                "of the public" in found[0]["explanation"])


def test_risk_summary_predatory_style_with_reasoning(case: CaseBuilder) -> None:
    case.call("2021-03-01 10:30")
    case.whatsapp("2021-03-06 23:30", "you looked gorgeous babe xx")
    case.whatsapp("2021-03-09 23:40", "can't stop thinking about you in bed")
    risk = case.analyse()["risk"]
    assert risk["level"] == "high"
    assert risk["factors"][0].startswith("Level high: sexualised language")
    assert any("Woman A has recorded vulnerability factors (learning disability, lives alone, "
               "victim of crime), an aggravating factor" in f for f in risk["factors"])
    [predatory] = risk["style_indicators"]["predatory"]
    assert predatory.startswith("Sexualised content with Woman A (learning disability, lives "
                                "alone, victim of crime) appears 8 days after the first recorded "
                                "contact or engagement (01/03/2021)")
    assert risk["style_indicators"]["exploratory"] == []


def test_risk_summary_prior_intelligence_alone_is_medium(case: CaseBuilder) -> None:
    case.add_intel("IR/2020/0141", date(2020, 5, 14))
    risk = case.analyse()["risk"]
    assert risk["level"] == "medium"
    assert any("Intelligence reports" in f for f in risk["factors"])
