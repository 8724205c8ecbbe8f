"""Heavy reads in a worker process: same store, same answer, errors raised here."""

from __future__ import annotations

import os

import pytest

from workbench import worker_process
from workbench.analysis import run_analysis as analyse
from workbench.bench.analyse import populate
from workbench.errors import NotFound
from workbench.session import read_case
from workbench.store import Store, open_store
from workbench.store.queries import find_case


def process_and_title(store: Store, ref: str) -> tuple[int, str]:
    """Which process read the case, and its title (a module-level function: pickled by name)."""
    with store.reader() as session:
        return os.getpid(), find_case(session, ref).title


@pytest.fixture
def pool():
    yield
    worker_process.stop()


def test_a_read_runs_in_another_process_on_the_same_store(willow, pool):
    pid, title = worker_process.call(process_and_title, willow, "OP-WILLOW")
    assert pid != os.getpid()
    with willow.reader() as session:
        assert title == find_case(session, "OP-WILLOW").title


def test_the_case_read_elsewhere_is_the_case_read_here(store, tmp_path, pool):
    ref = populate(store, 2_000, tmp_path)
    analyse(store, ref)
    here = read_case(store, ref, True)
    # as the app reads it: the events in stretches in the two processes, then the spans
    there = read_case(store, ref, True, offload=worker_process.elsewhere)
    assert there.timeline.event_id.tolist() == here.timeline.event_id.tolist()
    assert there.timeline.lanes == here.timeline.lanes
    assert there.timeline.markers == here.timeline.markers and here.timeline.markers
    assert there.unresolved == here.unresolved


def test_an_error_there_is_raised_here(willow, pool):
    with pytest.raises(NotFound, match="OP-NONE"):
        worker_process.call(process_and_title, willow, "OP-NONE")


def test_a_store_in_memory_is_read_in_this_process(pool):
    store = open_store("sqlite://")
    assert not worker_process.shareable(store)
    with pytest.raises(NotFound):
        worker_process.call(process_and_title, store, "OP-NONE")
    store.dispose()


def test_the_worker_reads_with_the_callers_settings(willow, pool, monkeypatch):
    worker_process.call(process_and_title, willow, "OP-WILLOW")  # started under the old settings
    monkeypatch.setenv("WORKBENCH_PROBE", "now")
    assert worker_process.call(read_setting, willow, "WORKBENCH_PROBE") == "now"


def read_setting(_store: Store, name: str) -> str | None:
    return os.environ.get(name)
