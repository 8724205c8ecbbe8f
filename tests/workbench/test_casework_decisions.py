"""The decision log: append-only NDM entries, corrections as new entries, audited."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from workbench import audit
from workbench.casework import decisions
from workbench.casework.decisions import add_decision, list_decisions, parse_ndm_element
from workbench.errors import WorkbenchError
from workbench.model import AuditEntry, Decision
from workbench.store import Store

REF = "OP-WILLOW"
WHEN = datetime(2022, 2, 21, 9, 30, tzinfo=UTC)


def _add(store: Store, **changes: object) -> decisions.DecisionEntry:
    fields: dict[str, object] = dict(
        decided_at=WHEN, decision_maker="DI Sam Okoro", recorder="DC Jane Brown",
        ndm_element="information", decision="Obtain billing for the officer's personal phone",
        rationale="Contact appears to have moved to a personal number",
        options_rejected="Interview the officer now: premature")
    fields.update(changes)
    return add_decision(store, REF, **fields)  # type: ignore[arg-type]


def test_entries_are_numbered_in_sequence_with_both_times(willow: Store) -> None:
    first = _add(willow)
    second = _add(willow, ndm_element="Consider powers and policy", review_date=date(2022, 3, 1))
    assert (first.sequence, second.sequence) == (1, 2)
    assert second.ndm_element == "powers_and_policy"
    log = list_decisions(willow, REF)
    assert [e.sequence for e in log] == [1, 2]
    assert log[0].decided_at == WHEN
    assert log[0].entered_at > WHEN  # written down now, made earlier
    assert log[1].review_date == date(2022, 3, 1)
    assert log[0].options_rejected.startswith("Interview")


def test_a_correction_is_a_new_entry_that_references_the_old_one(willow: Store) -> None:
    _add(willow)
    _add(willow, decision="Correction: billing for BOTH numbers", corrects=1,
         rationale="Entry 1 named only one number")
    log = list_decisions(willow, REF)
    assert len(log) == 2
    assert log[0].decision == "Obtain billing for the officer's personal phone"  # unchanged
    assert log[0].corrected_by == (2,)
    assert log[1].corrects == 1


def test_there_is_no_way_to_edit_or_delete(willow: Store) -> None:
    public = {name for name in dir(decisions) if not name.startswith("_")}
    assert not {n for n in public if any(w in n for w in ("edit", "update", "delete", "remove"))}
    entry = _add(willow)
    with pytest.raises(AttributeError):
        entry.decision = "changed"  # type: ignore[misc]


@pytest.mark.parametrize(("changes", "reason"), [
    ({"ndm_element": "gut feeling"}, "NDM element"),
    ({"rationale": "  "}, "rationale is required"),
    ({"decision_maker": ""}, "decision maker is required"),
    ({"decided_at": datetime.now(UTC) + timedelta(days=2)}, "in the future"),
    ({"decided_at": datetime(2022, 2, 21, 9, 30)}, "timezone"),
    ({"corrects": 7}, "no entry 7"),
    ({"review_date": date(2022, 1, 1)}, "review date"),
])
def test_bad_entries_are_refused_and_leave_nothing(willow: Store, changes: dict, reason: str) -> None:
    with pytest.raises(WorkbenchError, match=reason):
        _add(willow, **changes)
    with willow.reader() as session:
        assert session.scalars(select(Decision)).all() == []


def test_every_entry_is_audited_and_the_chain_verifies(willow: Store) -> None:
    _add(willow)
    _add(willow, corrects=1, decision="Correction")
    with willow.reader() as session:
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.case_ref == REF)).all()
        assert actions.count("decision_add") == 2
        assert audit.verify(session, REF) == []


def test_ndm_elements_by_key_or_words() -> None:
    assert parse_ndm_element("code_of_ethics") == "code_of_ethics"
    assert parse_ndm_element("Take action and review what happened") == "action_and_review"
    assert parse_ndm_element("assess threat and risk") == "threat_assessment"
    with pytest.raises(WorkbenchError):
        parse_ndm_element("")
