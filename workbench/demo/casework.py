"""Case work for the demo case: a few decisions and the checklist part done.

So the demo shows every casework view at work (the decision log with a
correction, lines of enquiry in progress and closed by exhibits and
decisions), :func:`seed_demo_casework` records them through the same audited
commands an investigator uses. It only acts on the demo case, and only once
(when its decision log is empty). Marker reviews are in :mod:`workbench.demo.reviews`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from workbench.casework.decisions import add_decision, list_decisions
from workbench.casework.enquiries import update_line
from workbench.demo.scenario import INVESTIGATOR
from workbench.store import Store
from workbench.store.queries import find_case

MAKER, RECORDER = "DI Sam Okoro", INVESTIGATOR
DECISIONS = (
    dict(decided_at=datetime(2022, 2, 21, 9, 30, tzinfo=UTC), ndm_element="code_of_ethics",
         decision="Open a counter-corruption investigation into PCSO 4521 (APSP) and refer to the IOPC.",
         rationale="Contact with a vulnerable victim continued on personal channels after the "
                   "burglary report was closed; APSP is serious corruption and must be referred.",
         options_rejected="Management action only: does not reflect the seriousness.",
         review_date=date(2022, 3, 7)),
    dict(decided_at=datetime(2022, 2, 22, 14, 0, tzinfo=UTC), ndm_element="information",
         decision="Obtain billing for the officer's work phone and a download of his work device.",
         rationale="Establish the contact pattern with Woman A and any other members of the public.",
         options_rejected="Approach Woman A first: risk of alerting the officer."),
    dict(decided_at=datetime(2022, 2, 22, 14, 0, tzinfo=UTC), ndm_element="information",
         decision="Obtain billing for BOTH the work phone and the personal number 07700 900102.",
         rationale="Entry 2 named only the work phone; the personal number appears in the first "
                   "messages and is needed to see the move to personal contact.",
         options_rejected="", corrects=2),
    dict(decided_at=datetime(2022, 3, 1, 10, 15, tzinfo=UTC), ndm_element="threat_assessment",
         decision="Safeguarding referral for Woman A and Woman B; victim liaison officer assigned.",
         rationale="Both have recorded vulnerability factors and contact may be continuing.",
         options_rejected="Wait until the analysis is complete: risk to the women in the meantime."),
)
ENQUIRIES = (
    ("billing_work_device", dict(status="done", owner=INVESTIGATOR, closed_by="exhibit JB/1",
                                 notes="Work phone billing received and imported.")),
    ("billing_personal_device", dict(status="in_progress", owner=INVESTIGATOR,
                                     notes="Production order served on the network.")),
    ("social_media", dict(status="done", owner=INVESTIGATOR, closed_by="decision 3")),
    ("system_audits", dict(status="in_progress", owner="PS Amir Khan")),
    ("iopc_referral", dict(status="done", owner="DI Sam Okoro", closed_by="decision 1")),
    ("victim_support", dict(status="done", owner="DC Lisa Grant", closed_by="decision 4",
                            notes="Safeguarding referral made; victim liaison officer assigned.")),
    ("vetting", dict(status="not_applicable", notes="PCSO vetted 2019; no change since.")),
)


def seed_demo_casework(store: Store, ref: str) -> bool:
    """Record the demo's case work once; True when it did (False when already there)."""
    if list_decisions(store, ref):
        return False
    with store.reader() as session:
        exhibits = {e.reference for e in find_case(session, ref).exhibits}
    for fields in DECISIONS:
        add_decision(store, ref, decision_maker=MAKER, recorder=RECORDER, **fields)  # type: ignore[arg-type]
    for key, changes in ENQUIRIES:
        if str(changes.get("closed_by", "")).startswith("exhibit") and \
                str(changes["closed_by"]).split()[1] not in exhibits:
            changes = {k: v for k, v in changes.items() if k != "closed_by"}
        update_line(store, ref, key, **changes)  # type: ignore[arg-type]
    return True
