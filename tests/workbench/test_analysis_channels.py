"""channel_shift, personal_channel_contact and no_duty_link on hand-built contact."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.workbench.analysis_builder import CaseBuilder, markers, positions, rules_fired
from workbench.store import Store


@pytest.fixture
def case(store: Store, tmp_path: Path) -> CaseBuilder:
    return CaseBuilder(store, tmp_path)


def test_channel_shift_names_the_number_the_gap_and_what_follows(case: CaseBuilder) -> None:
    case.call("2021-03-01 10:30")                        # line 1: work phone, during the matter
    case.sms("2021-03-04 09:00", "Statement ready")      # line 2: last work-phone contact
    case.sms("2021-03-20 19:02", "Hi it's Dan", line="personal")  # line 3: 16 days later
    for day in range(21, 32):                            # lines 4-14: 11 more
        case.sms(f"2021-03-{day} 12:00", "ok", line="personal", outgoing=day % 2 == 0)
    document = case.analyse()
    [shift] = markers(document, "channel_shift")
    assert shift["explanation"] == (
        "First contact on a personal number (07700 900102) 16 days after the last work-phone "
        "contact with Woman A; 11 further personal-channel contacts follow.")
    assert shift["severity"] == "high"
    assert (shift["subject"], shift["member"]) == ("pcso", "woman_a")
    assert shift["start"] == "2021-03-20T19:02:00Z"  # GMT in March before the clocks change
    assert positions(shift) == [f"line {n}" for n in range(2, 15)]
    assert all(item["exhibit"] == "T/1" for item in shift["evidence"])
    assert not markers(document, "personal_channel_contact")


def test_whatsapp_after_work_contact_is_a_channel_shift(case: CaseBuilder) -> None:
    case.call("2021-03-01 10:30")
    case.whatsapp("2021-03-01 21:00", "Hiya")
    [shift] = markers(case.analyse(), "channel_shift")
    assert shift["explanation"].startswith("First contact on WhatsApp (Lee PCSO) 10 hours after")
    assert "no further personal-channel contact is recorded" in shift["explanation"]


def test_personal_channel_with_no_work_contact_first(case: CaseBuilder) -> None:
    case.whatsapp("2021-03-02 20:15", "Hi Kerry")        # line 1: first contact is personal
    case.call("2021-03-03 10:00")                         # line 2: work call later
    case.sms("2021-03-03 22:00", "x", line="personal")    # line 3
    document = case.analyse()
    [marker] = markers(document, "personal_channel_contact")
    assert marker["explanation"] == (
        "First contact with Woman A, met through the attempted burglary report (13/45678/21), "
        "is on WhatsApp (Lee PCSO) on 02/03/2021, with no earlier work-channel contact; "
        "1 further personal-channel contact follows.")
    assert positions(marker) == ["line 1", "line 3"]
    assert not markers(document, "channel_shift")


def test_no_duty_link_counts_contacts_and_lookups(case: CaseBuilder) -> None:
    case.call("2021-04-02 12:00", member="woman_b")
    case.call("2021-04-03 12:00", member="woman_b", outgoing=False)
    case.sms("2021-04-04 12:00", "hi", member="woman_b")
    case.lookup("2021-04-05 12:00", record="NICHE-PER-551100")
    document = case.analyse()
    [marker] = markers(document, "no_duty_link")
    assert marker["member"] == "woman_b"
    assert marker["explanation"] == (
        "3 contacts (2 calls and 1 text message) and 1 police-system look-up with Woman B "
        "between 02/04/2021 and 05/04/2021, and no recorded engagement between the officer "
        "and Woman B.")
    assert positions(marker) == ["line 1", "line 2", "line 3", "line 4"]


def test_colleague_contact_is_never_marked(case: CaseBuilder) -> None:
    case.sms("2021-03-02 23:30", "night shift handover babe xx", member="colleague",
             line="personal")
    assert case.analyse()["markers"] == []


def test_legitimate_contact_raises_no_content_channel_or_timing_markers(case: CaseBuilder) -> None:
    """Work phone only, on duty, during the engagement, neutral wording with lexicon traps."""
    case.shift("2021-03-01 07:00", "2021-03-01 17:00")
    case.shift("2021-03-02 07:00", "2021-03-02 17:00")
    case.shift("2021-03-03 07:00", "2021-03-03 17:00")
    case.shift("2021-03-04 07:00", "2021-03-04 17:00")
    case.shift("2021-03-05 07:00", "2021-03-05 17:00")
    case.call("2021-03-01 10:30", duration=240)
    case.sms("2021-03-01 11:00", "Please bring 2 x forms of ID to the station")
    case.sms("2021-03-02 09:15", "Insurers asked about the Xbox and the tax disc", outgoing=False)
    case.sms("2021-03-02 09:20", "The x-ray report from A&E would help too. Size 5x5 photos.")
    case.call("2021-03-03 14:00", duration=30, outgoing=False)
    case.sms("2021-03-04 16:00", "Your crime reference is 13/45678/21. Merry Xmas card received!")
    case.lookup("2021-03-02 08:00", record="NICHE-PER-448812")
    case.sms("2021-03-05 16:30", "The case is now closed. Thank you for your help.")
    document = case.analyse()
    assert document["markers"] == [], [m["explanation"] for m in document["markers"]]
    assert document["risk"]["level"] == "low"
    assert rules_fired(document) == set()
