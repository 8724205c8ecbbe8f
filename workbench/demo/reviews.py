"""The investigator's first review of the demo's markers, so every view has reviewed markers.

A real case starts with every marker open; the demo shows a case part-way through:
the Woman A markers that the storyline corroborates accepted, one marker dismissed
with a reason (dismissed markers stay visible), the rest left open.
"""

from __future__ import annotations

from sqlalchemy import select

from workbench.analysis import review_marker
from workbench.demo.scenario import INVESTIGATOR
from workbench.model import Marker, Person
from workbench.store import Store
from workbench.store.queries import find_case

REVIEWER = INVESTIGATOR
ACCEPTED = {
    "channel_shift": "Billing JB/1 and JB/2 show the move from the work phone to the personal number.",
    "secrecy_request": "Messages read in full in AK/1; the request for secrecy is explicit.",
    "sexualised_language": "Messages read in full; content is sexual and unsolicited on its face.",
    "repeated_short_calls": "Call pattern confirmed against the provider return JB/2.",
    "post_closure_contact": "Matter closed 05/03/2021 per the crime report; contact continued.",
    "vehicle_dwell": "Stops checked against the deployment log: no deployment near the address.",
    "system_lookup": "Audit JB/4 shows searches of her record with no linked incident.",
    "prior_intelligence": "Reports reviewed; the open-source grading is recorded.",
    "complaint_cluster": "Complaints checked with Professional Standards.",
    "multiple_members_of_public": "Pattern seen with three women met through duty.",
}
DISMISSED: dict[tuple[str, str | None], str] = {
    ("unsocial_hours", "woman_b"):
        "Late contact matches a call-back arranged on the incident log; not an indicator here.",
}


def review_demo_markers(store: Store, case_ref: str) -> int:
    """Record the demo reviews; returns how many markers were reviewed."""
    with store.reader() as session:
        case = find_case(session, case_ref)
        keys = {p.id: p.key for p in session.scalars(select(Person).where(Person.case_id == case.id))}
        markers = [(m.id, m.rule, keys.get(m.member_id) if m.member_id is not None else None)
                   for m in session.scalars(
            select(Marker).where(Marker.case_id == case.id, Marker.current.is_(True),
                                 Marker.status == "open").order_by(Marker.start, Marker.id))]
    reviewed = 0
    dismissed_done: set[tuple[str, str | None]] = set()
    for marker_id, rule, member in markers:
        if (rule, member) in DISMISSED and (rule, member) not in dismissed_done:
            review_marker(store, marker_id, accept=False, reason=DISMISSED[(rule, member)], by=REVIEWER)
            dismissed_done.add((rule, member))
            reviewed += 1
        elif rule in ACCEPTED and member in ("woman_a", None):
            review_marker(store, marker_id, accept=True, reason=ACCEPTED[rule], by=REVIEWER)
            reviewed += 1
    return reviewed
