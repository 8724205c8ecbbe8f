"""The timeline's arrays: lanes per counterpart and channel, overlays, anonymised labels."""

from __future__ import annotations

import numpy as np

from workbench.anonymise import Anonymiser
from workbench.store.queries import find_case
from workbench.timeline import KIND_CODES, load_timeline


def load(store, ref, anonymise=False):
    with store.reader() as session:
        case = find_case(session, ref)
        return load_timeline(session, case, Anonymiser(case, anonymise))


def test_lanes_split_by_counterpart_and_channel(case_store):
    data = load(*case_store)
    labels = data.lane_labels
    assert labels[:3] == ["Kerry Lowe — Work phone", "Kerry Lowe — Personal phone",
                          "Kerry Lowe — WhatsApp"]
    assert "Kerry Lowe — System look-ups" in labels
    assert "Subject's own activity — Vehicle stops" in labels
    assert any(label.endswith("Personal phone") and "900999" in label for label in labels)
    assert data.count == 12
    for lane in range(len(data.lanes)):
        times = data.times[data.lane_slice(lane)]
        assert np.all(np.diff(times) >= 0), "times must ascend within a lane"
    work = data.lane_slice(0)
    assert list(data.kind[work]) == [KIND_CODES["call"], KIND_CODES["sms"], KIND_CODES["call"]]
    assert list(data.direction[work]) == [0, 1, 0]
    assert data.duration[work][0] == 120.0 and np.isnan(data.duration[work][1])


def test_overlays_and_markers(case_store):
    data = load(*case_store)
    # 22 shifts (with the grace either side); off duty between them, the nights
    # between two shifts (a short roster gap) and the rest days run together: 21 periods.
    assert len(data.on_duty) == 22 and len(data.off_duty) == 21
    assert (data.on_duty[1:, 0] >= data.off_duty[:, 1]).all()
    assert data.engagements[0].end is not None and data.engagements[0].start < data.engagements[0].end
    rules = [m.rule for m in data.markers]
    assert rules == ["channel_shift", "affectionate_language", "secrecy_request", "system_lookup"]
    first = data.markers[0]
    assert len(first.evidence) == 2 and all(data.position_of(e) is not None for e in first.evidence)
    assert data.position_of(999_999) is None


def test_anonymised_labels_hide_her(case_store):
    data = load(*case_store, anonymise=True)
    text = " ".join(data.lane_labels) + " ".join(e.label for e in data.engagements)
    assert "Woman A — WhatsApp" in data.lane_labels
    for secret in ("Kerry", "Lowe", "900999", "900201"):
        assert secret not in text


def test_empty_case(willow):
    data = load(willow, "OP-WILLOW")
    assert data.count == 0 and data.lanes == [] and data.span()[0] < data.span()[1]


def test_loads_the_same_on_every_engine(any_store, populate_case):
    ref = populate_case(any_store)
    data = load(any_store, ref)
    assert data.count == 12 and data.lane_labels[0] == "Kerry Lowe — Work phone"
    assert data.times.dtype == np.int64 and data.times.min() > 1_600_000_000
    assert len(data.markers) == 4
