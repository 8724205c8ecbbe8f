"""Core commands: each does, undoes, describes itself and leaves its own audit entries."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from workbench import audit
from workbench.casework.decisions import list_decisions
from workbench.casework.enquiries import lines_of_enquiry
from workbench.casework.intel import IntelFields, list_intel
from workbench.commands import (
    AddDecision,
    AddIntel,
    AssignIdentifier,
    EditIntel,
    ReviewMarker,
    UpdateEnquiry,
)
from workbench.errors import NotFound, WorkbenchError
from workbench.model import AuditEntry, Identifier, Marker
from workbench.store import Store
from workbench.store.queries import find_case

REF = "OP-WILLOW"


def actions(store: Store) -> list[str]:
    with store.reader() as session:
        return list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.sequence)))


@pytest.fixture
def stranger(willow: Store) -> int:
    """An unattributed number in OP-WILLOW."""
    with willow.session() as session:
        case = find_case(session, REF)
        ident = Identifier(case_id=case.id, kind="phone", value="+447700900999",
                           display="07700 900999", use="unknown")
        session.add(ident)
        session.flush()  # built by hand, recorded as the application records a change
        audit.append(session, case, "test_fixture", {"added": "an unattributed number"})
        return ident.id


def test_assign_does_undoes_and_audits_both(willow: Store, stranger: int) -> None:
    command = AssignIdentifier(REF, stranger, "woman_a", shown="07700 900999 to Woman A")
    assert command.description == "Assign 07700 900999 to Woman A"
    before = len(actions(willow))
    command.do(willow)
    with willow.reader() as session:
        assert session.get(Identifier, stranger).person.key == "woman_a"
    command.undo(willow)
    with willow.reader() as session:
        assert session.get(Identifier, stranger).person is None
    assert actions(willow)[before:] == ["identifier_assign", "identifier_assign"]


def test_a_refused_command_changes_nothing(willow: Store, stranger: int) -> None:
    before = actions(willow)
    with pytest.raises(NotFound, match="no person 'nobody_here'"):
        AssignIdentifier(REF, stranger, "nobody_here").do(willow)
    assert actions(willow) == before


def test_review_undo_puts_the_marker_back_open(willow: Store) -> None:
    with willow.session() as session:
        case = find_case(session, REF)
        marker = Marker(case_id=case.id, key="m1", rule="channel_shift", severity="high",
                        start=datetime(2021, 3, 1, tzinfo=UTC), end=datetime(2021, 3, 1, tzinfo=UTC),
                        explanation="test")
        session.add(marker)
        session.flush()
        marker_id = marker.id
    command = ReviewMarker(marker_id, accept=False, reason="a work call")
    assert command.description == f"Dismiss marker {marker_id}"
    command.do(willow)
    assert command.result["status"] == "dismissed"
    command.undo(willow)
    with willow.reader() as session:
        marker = session.get(Marker, marker_id)
        assert (marker.status, marker.review_reason, marker.reviewed_by) == ("open", None, None)
    assert actions(willow)[-2:] == ["marker_review", "marker_review_undone"]
    with pytest.raises(WorkbenchError, match="needs a reason"):
        ReviewMarker(marker_id, accept=True, reason=" ").do(willow)


def test_enquiry_intel_and_decision_commands(willow: Store) -> None:
    key = lines_of_enquiry(willow, REF)[0].key
    update = UpdateEnquiry(REF, key, {"status": "in_progress"})
    update.do(willow)
    assert lines_of_enquiry(willow, REF)[0].status == "in_progress"
    update.undo(willow)
    assert lines_of_enquiry(willow, REF)[0].status == "not_started"

    fields = IntelFields(urn="INT-9", submitted=date(2021, 3, 2), grading="2/B/P", text="Seen.")
    add = AddIntel(REF, fields)
    add.do(willow)
    assert [row.urn for row in list_intel(willow, REF)] == ["INT-9"]
    edit = EditIntel(REF, add.report_id or 0, IntelFields(urn="INT-9", submitted=date(2021, 3, 2),
                                                          grading="2/B/P", text="Seen twice."))
    edit.do(willow)
    edit.undo(willow)
    assert list_intel(willow, REF)[0].text == "Seen."
    add.undo(willow)
    assert list_intel(willow, REF) == []

    decision = AddDecision(REF, datetime(2021, 3, 3, 9, tzinfo=UTC), "DI Smith", "DC Brown",
                           "information", "Obtain billing", "To see the contact")
    assert not decision.undoable
    decision.do(willow)
    assert decision.description == "Record decision 1"
    assert [d.decision for d in list_decisions(willow, REF)] == ["Obtain billing"]
    with pytest.raises(WorkbenchError, match="cannot be undone"):
        decision.undo(willow)
