"""Reading a case into arrays, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tests.workbench.analysis_builder import REF, CaseBuilder, markers
from workbench.analysis.loader import CHANNEL, DIRECTION, KIND, load_case
from workbench.store import Store
from workbench.store.queries import find_case


def test_events_become_arrays_attributed_to_officer_and_member(any_store: Store,
                                                               tmp_path: Path) -> None:
    case = CaseBuilder(any_store, tmp_path)
    case.call("2021-07-01 23:30", duration=42, outgoing=False)      # BST: 22:30 UTC
    case.whatsapp("2021-07-02 08:00", "hi x")
    case.sms("2021-07-02 09:00", "ok", number="07700 900999")       # an unresolved number
    case.stop("2021-07-02 10:00", 53.8, -1.5, minutes=None)
    case.commit()
    with any_store.reader() as session:
        data = load_case(session, find_case(session, REF))
    events = data.events
    assert len(events) == 4
    assert int(events.at[0]) == 1625178600  # 2021-06-30T22:30:00Z
    assert list(events.kind) == [KIND["call"], KIND["message"], KIND["sms"], KIND["vehicle_stop"]]
    assert list(events.channel[:2]) == [CHANNEL["work_mobile"], CHANNEL["whatsapp"]]
    assert list(events.direction[:2]) == [DIRECTION["incoming"], DIRECTION["outgoing"]]
    officer = next(p.id for p in data.people.values() if p.key == "pcso")
    woman_a = next(p.id for p in data.people.values() if p.key == "woman_a")
    assert list(events.officer) == [officer] * 4
    assert list(events.other_person) == [woman_a, woman_a, -1, -1]
    assert events.other_ident[2] >= 0 and events.other_ident[3] == -1
    assert events.duration[0] == 42 and np.isnan(events.duration[3])
    assert events.text[1] == "hi x" and events.text[0] is None
    assert data.positions([int(events.id[1])])[int(events.id[1])][1] == "line 2"


def test_analysis_runs_the_same_on_both_engines(any_store: Store, tmp_path: Path) -> None:
    case = CaseBuilder(any_store, tmp_path)
    case.call("2021-03-01 10:30")
    case.sms("2021-03-20 19:02", "night babe xx", line="personal")
    document = case.analyse()
    [shift] = markers(document, "channel_shift")
    assert shift["explanation"] == (
        "First contact on a personal number (07700 900102) 19 days after the last work-phone "
        "contact with Woman A; no further personal-channel contact is recorded.")
    assert {m["rule"] for m in document["markers"]} == {
        "channel_shift", "affectionate_language", "post_closure_contact"}
