"""Lines of enquiry: the APSP template on a new case, status changes, closing links, audit."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from workbench import audit
from workbench.casework.decisions import add_decision
from workbench.casework.enquiries import lines_of_enquiry, template, update_line
from workbench.errors import NotFound, WorkbenchError
from workbench.model import AuditEntry, Exhibit
from workbench.store import Store
from workbench.store.queries import find_case

REF = "OP-WILLOW"


def test_a_new_case_starts_from_the_template(willow: Store) -> None:
    lines = lines_of_enquiry(willow, REF)
    titles = " | ".join(line.title for line in lines)
    for words in ("Billing", "Device downloads", "Social media", "telematics", "system audits",
                  "Duty records", "other contacts", "Colleagues", "Prior intelligence",
                  "Vetting", "IOPC", "safeguarding"):
        assert words.lower() in titles.lower()
    assert [line.key for line in lines] == [key for key, _title in template()]
    assert {line.status for line in lines} == {"not_started"}
    assert len(lines_of_enquiry(willow, REF)) == len(lines)  # not added twice


def test_status_owner_notes_and_a_closing_link(willow: Store) -> None:
    with willow.session() as session:
        case = find_case(session, REF)
        session.add(Exhibit(case_id=case.id, reference="JB/2", producer="DC Jane Brown",
                            file_name="chat.txt", sha256="ab" * 32, size=1, kind="whatsapp",
                            record_count=1))
    add_decision(willow, REF, decided_at=datetime(2022, 2, 22, tzinfo=UTC), decision_maker="DI Okoro",
                 recorder="DC Brown", ndm_element="options", decision="Refer to the IOPC",
                 rationale="APSP is serious corruption")
    before, after = update_line(willow, REF, "social_media", status="done", owner="DC Brown",
                                notes="WhatsApp export obtained", closed_by="exhibit jb/2")
    assert before.status == "not_started"
    assert (after.status, after.owner, after.closed_by) == ("done", "DC Brown", "exhibit JB/2")
    _, referral = update_line(willow, REF, "iopc_referral", status="done", closed_by="Decision 1")
    assert referral.closed_by == "decision 1"
    with willow.reader() as session:
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.case_ref == REF)).all()
        assert actions.count("enquiry_update") == 2
        assert audit.verify(session, REF) == []


@pytest.mark.parametrize(("changes", "reason"), [
    ({"status": "finished"}, "status"),
    ({"closed_by": "exhibit JB/99"}, "no exhibit JB/99"),
    ({"closed_by": "decision 4"}, "no decision 4"),
    ({"closed_by": "the big folder"}, "write 'exhibit"),
])
def test_bad_changes_are_refused(willow: Store, changes: dict, reason: str) -> None:
    lines_of_enquiry(willow, REF)
    with pytest.raises(WorkbenchError, match=reason):
        update_line(willow, REF, "vetting", **changes)
    assert next(line for line in lines_of_enquiry(willow, REF) if line.key == "vetting").status == "not_started"


def test_unknown_line(willow: Store) -> None:
    with pytest.raises(NotFound):
        update_line(willow, REF, "astrology", status="done")
