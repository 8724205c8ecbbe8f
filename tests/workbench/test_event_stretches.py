"""A case's events read in stretches side by side (as the app's two worker processes read
them) make the same timeline as the events read whole, and stretches divided at
different times (the case changed between their reads) are never joined."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from workbench.bench.analyse import populate
from workbench.session import read_case, read_event_stretch
from workbench.store import Store
from workbench.store.queries import find_case
from workbench.timeline import EventRows, StretchesDisagree, joined, read_event_rows

ARRAYS = ("times", "event_id", "kind", "direction", "date_only")


@pytest.fixture
def busy_case(store: Store, tmp_path: Path) -> tuple[Store, str]:
    """A case of 3,000 events of many kinds, channels and counterparts."""
    return store, populate(store, 3_000, tmp_path)


def _signatures_per_event(rows: EventRows) -> list[tuple[str, str, int, int]]:
    return [rows.signatures[n] for n in rows.signature.tolist()]


@pytest.mark.parametrize("parts", [2, 3, 7])
def test_stretches_joined_are_the_events_read_whole(busy_case, parts):
    store, ref = busy_case
    with store.reader() as session:
        case_id = find_case(session, ref).id
        whole = read_event_rows(session, case_id)
        stretches = [read_event_rows(session, case_id, part, parts) for part in range(parts)]
    assert all(rows.times.size for rows in stretches)
    assert max(rows.times.size for rows in stretches) < 2 * whole.times.size / parts  # nearly equal
    for earlier, later in zip(stretches, stretches[1:], strict=False):
        assert earlier.times[-1] <= later.times[0]  # consecutive, in time order
    assert any(rows.signatures != whole.signatures for rows in stretches)  # each its own numbering
    together = joined(stretches)
    for name in ARRAYS:
        assert np.array_equal(getattr(together, name), getattr(whole, name)), name
    assert np.array_equal(together.duration, whole.duration, equal_nan=True)
    assert _signatures_per_event(together) == _signatures_per_event(whole)


def test_stretches_are_joined_on_one_list_of_signatures():
    def stretch(signatures, signature, bounds):
        count = len(signature)
        return EventRows(times=np.arange(count, dtype=np.int64), event_id=np.arange(count, dtype=np.int64),
                         kind=np.zeros(count, np.int8), direction=np.zeros(count, np.int8),
                         duration=np.zeros(count, np.float32), date_only=np.zeros(count, bool),
                         signature=np.array(signature, np.int32), signatures=signatures, bounds=bounds)

    call, message = ("call", "work_mobile", 1, 2), ("message", "whatsapp", 3, 1)
    together = joined([stretch([call], [0, 0], [None]), stretch([message, call], [1, 0, 1], [None])])
    assert _signatures_per_event(together) == [call, call, call, message, call]
    assert together.signatures == [call, message]


def test_stretches_divided_at_different_times_are_not_joined(busy_case):
    store, ref = busy_case
    with store.reader() as session:
        case_id = find_case(session, ref).id
        first, second = (read_event_rows(session, case_id, part, 2) for part in range(2))
    second.bounds = [second.bounds[0].replace(year=1999)]  # as if the case changed between them
    with pytest.raises(StretchesDisagree):
        joined([first, second])


def test_a_read_whose_stretches_disagree_reads_the_events_whole(busy_case):
    store, ref = busy_case
    parts_asked = []

    def offload(read):  # as the app's worker processes read, with the case changing once between
        if read is not read_event_stretch:
            return read

        def stretch(store, ref, part, parts):
            parts_asked.append(parts)
            rows = read_event_stretch(store, ref, part, parts)
            if parts > 1 and part == 1:
                rows.bounds = [None]
            return rows

        return stretch

    app_read = read_case(store, ref, False, offload=offload)
    here = read_case(store, ref, False)
    assert sorted(parts_asked) == [1, 2, 2]  # the two stretches, then the whole
    assert np.array_equal(app_read.timeline.event_id, here.timeline.event_id)
    assert app_read.timeline.lanes == here.timeline.lanes
