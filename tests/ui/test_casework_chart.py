"""The link chart: selection to timeline sync, time window, saved pins, paths, export, scale."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from graphs.layout import benchmark_graph, force_layout
from ui.case_context import CaseContext
from ui.casework_docks import install_casework
from ui.casework_state import CaseworkState
from ui.link_chart import LinkChartPanel
from ui.link_chart.scene import ChartScene
from workbench.chart_layout import PreparedChart
from workbench.model import AuditEntry


def at(day: int, hour: int) -> datetime:
    return datetime(2021, 3, day, hour, tzinfo=UTC)


@pytest.fixture
def window(case_store, make_window):
    store, ref = case_store
    context = CaseContext(store, ref)
    win = make_window(context=context, show=False)
    casework = install_casework(win, context)
    casework.chart.runner.wait()
    casework.chart.refresh(sync=True)
    return win


def panel_for(qtbot, store, ref):
    context = CaseContext(store, ref)
    panel = LinkChartPanel(context, CaseworkState(context))
    qtbot.addWidget(panel)
    panel.resize(1000, 700)
    panel.refresh(sync=True)
    return panel


def test_selecting_a_node_highlights_its_events_on_the_timeline(window):
    chart, context = window.casework.chart, window.context
    her_phone = next(n for n, item in chart.scene.nodes.items()
                     if item.kind == "phone" and item.label.startswith("07700 900201"))
    chart.scene.nodes[her_phone].setSelected(True)
    expected = set(chart.scene.events_of_selection())
    assert len(expected) >= 6  # work calls and texts, personal texts and calls
    assert context.selection.event in expected
    highlighted = {int(context.timeline.event_id[p]) for p in window.timeline.view.highlighted}
    assert highlighted == expected
    # a link: only the events on that link
    chart.scene.clearSelection()
    edge = next(e for e in chart.scene.edges.values() if "sms" in str(e.links[0].get("counts")))
    edge.setSelected(True)
    assert context.selection.event in edge.event_ids
    assert {int(context.timeline.event_id[p]) for p in window.timeline.view.highlighted} == set(edge.event_ids)


def test_a_hidden_chart_is_built_when_it_is_shown(qtbot, case_store, make_window):
    store, ref = case_store
    context = CaseContext(store, ref)
    win = make_window(context=context, show=False)
    chart = install_casework(win, context).chart
    win.show()
    qtbot.wait(50)
    assert chart.chart is None and not chart.runner.running  # the markers tab is in front
    context.reload()  # a change while hidden does not lay the chart out either
    assert chart.chart is None and not chart.runner.running
    with qtbot.waitSignal(chart.loaded, timeout=10_000):
        win.casework.docks["chart"].raise_()
    assert chart.chart is not None and chart.scene.nodes


def test_the_chart_follows_the_timeline_window(qtbot, window):
    chart, context = window.casework.chart, window.context
    window.show()
    window.casework.docks["chart"].raise_()
    contacts_before = sum(e.weight for e in chart.scene.edges.values())
    with qtbot.waitSignal(chart.loaded, timeout=10_000):
        context.select_range((int(at(20, 0).timestamp()), int(at(21, 12).timestamp())))
    contacts_after = sum(e.weight for e in chart.scene.edges.values())
    assert 0 < contacts_after < contacts_before
    assert contacts_after == 3  # the text and two short calls of 20-21 March
    assert "showing contact from" in chart.status.text()
    with qtbot.waitSignal(chart.loaded, timeout=10_000):
        context.select_range(None)
    assert sum(e.weight for e in chart.scene.edges.values()) == contacts_before


def test_pinned_positions_survive_closing_and_reopening(qtbot, case_store):
    store, ref = case_store
    first = panel_for(qtbot, store, ref)
    item = first.scene.nodes["person:woman_a"]
    item.setPos(item.pos().x() + 333, item.pos().y() - 222)
    first.set_pinned(["person:woman_a"], True)
    where = first.scene.positions()
    first.close()
    again = panel_for(qtbot, store, ref)
    x, y, pinned = again.scene.positions()["person:woman_a"]
    assert pinned and (x, y) == pytest.approx(where["person:woman_a"][:2])
    assert again.scene.nodes["person:woman_a"].pinned
    # a re-layout moves the others but not the pinned node
    again.refresh(relayout=True, sync=True)
    assert again.scene.positions()["person:woman_a"][:2] == pytest.approx((x, y))
    with store.reader() as session:
        assert "chart_positions_save" in session.scalars(select(AuditEntry.action)).all()


def test_path_between_two_selected_nodes_is_highlighted(qtbot, case_store):
    store, ref = case_store
    panel = panel_for(qtbot, store, ref)
    assert not panel.path_button.isEnabled()
    panel.scene.nodes["person:pcso"].setSelected(True)
    panel.scene.nodes["person:woman_a"].setSelected(True)
    assert panel.path_button.isEnabled()
    path = panel.find_path()
    assert path is not None and set(path.nodes[::len(path.nodes) - 1]) == {"person:pcso", "person:woman_a"}
    assert set(panel.scene.path_nodes()) == set(path.nodes)
    on_path = [e for e in panel.scene.edges.values() if e.on_path]
    assert len(on_path) == len(path.nodes) - 1
    assert all(e.faded for e in panel.scene.edges.values() if not e.on_path)
    panel.path_choice.setCurrentIndex(1)  # time-respecting
    timed = panel.find_path()
    assert timed is not None and len(timed.times) == len(timed.nodes) - 1
    assert "path:" in panel.status.text()
    panel.show_path(None)
    assert not panel.scene.path_nodes() and not any(e.faded for e in panel.scene.edges.values())


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_export_the_current_view(qtbot, case_store, tmp_path, suffix):
    store, ref = case_store
    panel = panel_for(qtbot, store, ref)
    out = panel.export(tmp_path / f"chart{suffix}")
    assert out is not None and out.stat().st_size > 1000
    with store.reader() as session:
        assert "export_chart" in session.scalars(select(AuditEntry.action)).all()


def test_two_thousand_nodes_build_and_paint(qtbot):
    graph = benchmark_graph(2000, 4000)
    positions = force_layout(graph, seed=0, iterations=30)
    chart = PreparedChart(graph, {n: positions[n] for n in graph}, set(), {}, 0)
    scene = ChartScene()
    started = time.perf_counter()
    scene.show_chart(chart)
    built = time.perf_counter() - started
    from PySide6.QtGui import QImage, QPainter

    image = QImage(1200, 800, QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    started = time.perf_counter()
    scene.render(painter)
    painted = time.perf_counter() - started
    painter.end()
    assert len(scene.nodes) == 2000 and len(scene.edges) == 4000
    print(f"2,000 nodes: built in {built:.2f} s, one frame in {painted * 1000:.0f} ms")
