"""The willow case made to leak: every kind of identifying data in the places it reached.

An address with a postcode as a home's label, an internal person key that is a name
(``kerry_lowe``), occurrence references in a review reason and a message, third-party
names and registrations in a police-system search, another vehicle beside the
officer's, a continuity note naming the key, and a handling-code C report. Anonymised
output must contain none of :data:`LEAKS`.
"""

from __future__ import annotations

from pathlib import Path

from tests.workbench.bundle_case import CONDITIONS, IDENTIFYING, REF, RESTRICTED_URN, build_case
from workbench import audit
from workbench.evidence.exhibits import record_continuity
from workbench.model import Event, Exhibit, IntelReport, Marker, MarkerEvidence
from workbench.store import Store
from workbench.store.queries import find_case

ADDRESS = "14 Tong Road, Armley LS12 1AB"
LEAKS = [*IDENTIFYING, "Tong Road", "LS12 1AB", "kerry_lowe", "13/80377/21", "13/45678/21",
         "AHMED RYAN", "WOOD JOHN", "TL46 KDH", "RESTRICTED-INTEL-TEXT", RESTRICTED_URN,
         "01/09/2020", "2020-09-01", "further report", CONDITIONS]
OFFICERS_OWN = ["YX21 ABC", "07700 900101"]  # shown: hearings name the officer


def build_leaky_case(store: Store, tmp: Path) -> str:
    build_case(store, tmp)
    with store.session() as session:
        case = find_case(session, REF)
        woman = case.person("woman_a")
        woman.key = "kerry_lowe"
        case.places[0].label = ADDRESS
        marker = session.query(Marker).filter_by(case_id=case.id, rule="channel_shift").one()
        marker.review_reason = "Matches occurrence 13/80377/21 and kerry_lowe's statement"
        billing = session.query(Exhibit).filter_by(case_id=case.id, reference="JB/1").one()
        lookup = session.query(Event).filter_by(case_id=case.id, kind="system_lookup").one()
        lookup.text = "Searched AHMED RYAN; WOOD JOHN; VRM TL46 KDH; Lowe, Kerry LS12 1AB"
        first = session.query(Event).filter_by(case_id=case.id).order_by(Event.occurred_at).first()
        first.text = ("Parked YX21 ABC behind TL46 KDH at LS12 1AB, re 13/80377/21; call me "
                      "on 07700 900101")
        record_continuity(billing, "assigned", "numbers assigned to person kerry_lowe",
                          by="DC Jane Brown")
        # Prior intelligence rests on a disclosable report and the handling-code C one.
        prior = session.query(Marker).filter_by(case_id=case.id, rule="prior_intelligence").one()
        disclosable = session.query(IntelReport).filter_by(urn="INT-P-0001").one()
        prior.evidence.append(MarkerEvidence(intel_id=disclosable.id, detail=[]))
        prior.explanation = ("2 intelligence reports about the officer predate the "
                             "investigation: INT-P-0001 and 1 further report under handling "
                             "conditions (identified only in the internal record).")
        session.flush()  # built by hand, recorded as the application records a change
        audit.append(session, find_case(session, REF), "test_fixture", {"built": "leaky case"})
    return REF
