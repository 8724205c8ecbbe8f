"""The link chart's core: saved positions, the unresolved-number filter, layouts and paths."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from tests.workbench.case_builder import add_events
from workbench import audit
from workbench.casegraph import build_case_graph
from workbench.chart_layout import (
    clear_positions,
    compute_layout,
    find_path,
    load_positions,
    prepare_chart,
    save_positions,
)
from workbench.errors import Cancelled, WorkbenchError
from workbench.model import AuditEntry
from workbench.store import Store
from workbench.store.queries import find_case
from workbench.tasks import CancelToken

REF = "OP-WILLOW"


def _contacts(store: Store) -> None:
    events = [{"at": datetime(2021, 3, 2 + n % 20, 20, tzinfo=UTC), "kind": "call",
               "sender": ("phone", "07700900102"), "recipient": ("phone", f"0770090{n:04d}")}
              for n in range(30)]
    events += [{"at": datetime(2021, 3, 5, 20, tzinfo=UTC), "kind": "sms",
                "sender": ("phone", "07700900102"), "recipient": ("phone", "+447700900201")}] * 3
    add_events(store, REF, events)


def _graph(store: Store):  # type: ignore[no-untyped-def]
    with store.reader() as session:
        return build_case_graph(session, find_case(session, REF), max_unresolved=None)


def test_positions_are_saved_per_case_and_audited(willow: Store) -> None:
    save_positions(willow, REF, {"person:pcso": (1.0, 2.0, True), "person:woman_a": (3, 4, False)})
    save_positions(willow, REF, {"person:woman_a": (5.0, 6.0, True)})
    assert load_positions(willow, REF) == {"person:pcso": (1.0, 2.0, True),
                                           "person:woman_a": (5.0, 6.0, True)}
    clear_positions(willow, REF)
    assert load_positions(willow, REF) == {}
    with willow.reader() as session:
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.case_ref == REF)).all()
        assert actions.count("chart_positions_save") == 2
        assert audit.verify(session, REF) == []


def test_prepared_chart_folds_the_quieter_unattributed_numbers(willow: Store) -> None:
    _contacts(willow)
    chart = prepare_chart(willow, REF, max_unresolved=10)
    kinds = [k for _n, k in chart.graph.nodes(data="kind")]
    assert kinds.count("unresolved") == 11  # ten drawn one by one, one "other" node
    assert chart.hidden_unresolved == 20
    assert "person:woman_a" in chart.graph and set(chart.positions) == set(chart.graph)
    everything = prepare_chart(willow, REF, max_unresolved=None)
    assert [k for _n, k in everything.graph.nodes(data="kind")].count("unresolved") == 30
    assert everything.hidden_unresolved == 0


@pytest.mark.parametrize("method", ["force", "radial", "hierarchical"])
def test_layouts_place_every_node_and_keep_pins(willow: Store, method: str) -> None:
    _contacts(willow)
    graph = _graph(willow)
    positions = compute_layout(graph, method, pinned={"person:woman_a": (100.0, -50.0)})
    assert set(positions) == set(graph.nodes)
    assert positions["person:woman_a"] == (100.0, -50.0)
    with pytest.raises(WorkbenchError):
        compute_layout(graph, "spiral")


def test_a_cancelled_layout_stops(willow: Store) -> None:
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        compute_layout(_graph(willow), "force", cancel=token)


def test_paths_shortest_and_time_respecting(willow: Store) -> None:
    _contacts(willow)
    graph = _graph(willow)
    path = find_path(graph, "person:pcso", "person:woman_a")
    assert path is not None and path.nodes[0] == "person:pcso" and path.nodes[-1] == "person:woman_a"
    timed = find_path(graph, "person:woman_a", "person:pcso", time_respecting=True)
    assert timed is not None and len(timed.times) == len(timed.nodes) - 1
    lonely = "person:colleague"
    assert find_path(graph, lonely, "person:woman_a", time_respecting=True) is None
