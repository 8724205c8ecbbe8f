"""Conference slides: accepted markers in time order, anonymised, nothing under handling conditions."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, date, datetime

from workbench.casework.conference import WITHHELD, build_deck
from workbench.casework.intel import IntelFields, add_intel_report
from workbench.model import Marker
from workbench.store import Store
from workbench.store.queries import find_case

REF = "OP-WILLOW"
REAL = ("Kerry", "Lowe", "900201", "Priya")
SECRET_TEXT = "A PCSO known as Lee is said to be messaging a woman late at night."


def _marker(case_id: int, key: str, rule: str, day: int, status: str, text: str,
            subject: int, member: int) -> Marker:
    when = datetime(2021, 3, day, 20, tzinfo=UTC)
    return Marker(case_id=case_id, key=key, rule=rule, severity="high", start=when, end=when,
                  subject_id=subject, member_id=member, explanation=text, status=status,
                  review_reason="Checked against the messages of Kerry Lowe" if status == "accepted" else None)


def _case(store: Store) -> None:
    add_intel_report(store, REF, IntelFields(
        urn="INT-2021-007781", submitted=date(2021, 8, 19), grading="3/C/C",
        conditions="Not for any open bundle", text=SECRET_TEXT))
    with store.session() as session:
        case = find_case(session, REF)
        pcso, woman = case.person("pcso"), case.person("woman_a")
        session.add_all([
            _marker(case.id, "b", "secrecy_request", 24, "accepted",
                    "Kerry Lowe was asked to keep 07700 900201 secret.", pcso.id, woman.id),
            _marker(case.id, "a", "channel_shift", 20, "accepted",
                    "Contact with Kerry moved to a personal phone.", pcso.id, woman.id),
            _marker(case.id, "c", "unsocial_hours", 22, "open", "Late contact.", pcso.id, woman.id),
            _marker(case.id, "d", "prior_intelligence", 1, "accepted",
                    f"Reports INT-2021-007781 and INT-2020-1: {SECRET_TEXT}", pcso.id, woman.id),
        ])


def test_accepted_markers_in_time_order_anonymised(willow: Store) -> None:
    _case(willow)
    deck = build_deck(willow, REF)
    assert [s.rule for s in deck.markers] == ["prior_intelligence", "channel_shift", "secrecy_request"]
    assert deck.anonymised and deck.withheld_reports == 1
    shown = repr([asdict(s) for s in deck.markers]) + repr(asdict(deck.summary)) + deck.title
    for word in REAL:
        assert word not in shown
    assert "Woman A" in deck.markers[1].explanation
    assert "PCSO 4521 Daniel Marsh" in deck.markers[1].people  # hearings name the officer


def test_intelligence_with_handling_conditions_is_withheld(willow: Store) -> None:
    _case(willow)
    for anonymise in (True, False):
        deck = build_deck(willow, REF, anonymise=anonymise)
        text = deck.markers[0].explanation
        assert "INT-2021-007781" not in text and "messaging a woman" not in text
        assert WITHHELD in text and "INT-2020-1" in text


def test_names_only_when_the_presenter_turns_anonymising_off(willow: Store) -> None:
    _case(willow)
    deck = build_deck(willow, REF, anonymise=False)
    assert "Kerry Lowe" in deck.markers[2].explanation
    assert not deck.anonymised


def test_the_demo_gets_its_case_work_once(store: Store) -> None:
    from workbench.casework.decisions import list_decisions
    from workbench.casework.enquiries import lines_of_enquiry
    from workbench.demo import DEMO_REF, build_demo
    from workbench.demo.casework import seed_demo_casework

    build_demo(store)  # records the demo's case work
    assert seed_demo_casework(store, DEMO_REF) is False  # only once
    log = list_decisions(store, DEMO_REF)
    assert [e.sequence for e in log] == [1, 2, 3, 4] and log[2].corrects == 2
    assert {line.status for line in lines_of_enquiry(store, DEMO_REF)} >= {"done", "in_progress"}
    deck = build_deck(store, DEMO_REF)
    assert len(deck.markers) >= 5
    assert [s.start for s in deck.markers] == sorted(s.start for s in deck.markers)
    text = repr(deck)
    assert "Kerry" not in text and "INT-2021-007781" not in text and "Holbeck" not in text
