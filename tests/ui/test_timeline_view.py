"""The timeline widget: follows the core, zooms, pans, fits, picks events and markers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt

from ui.case_context import CaseContext
from ui.timeline import TimelineView
from workbench.model import Event
from workbench.store.queries import find_case


@pytest.fixture
def view(qtbot, case_store):
    store, ref = case_store
    context = CaseContext(store, ref)
    widget = TimelineView(context)
    qtbot.addWidget(widget)
    widget.resize(1200, 500)
    return widget


def test_keys_zoom_pan_and_fit(qtbot, view):
    full = view.visible_range()
    qtbot.keyClick(view, Qt.Key.Key_Plus)
    zoomed = view.visible_range()
    assert zoomed[1] - zoomed[0] < (full[1] - full[0]) * 0.7
    qtbot.keyClick(view, Qt.Key.Key_Right)
    panned = view.visible_range()
    assert panned[0] > zoomed[0] and panned[1] - panned[0] == pytest.approx(zoomed[1] - zoomed[0])
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    assert view.visible_range()[1] - view.visible_range()[0] > panned[1] - panned[0]
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert view.visible_range() == pytest.approx(full)


def test_wheel_zooms_around_the_cursor(qtbot, view):
    geo = view.geometry_now()
    x = geo.plot_left + geo.plot_width * 0.25
    before = view.time_at(x)
    view.zoom(3.0, before)
    assert view.time_at(x) == pytest.approx(before, abs=1)


def test_drag_pans_and_shift_drag_selects_a_range(qtbot, view):
    received = []
    view.context.rangeSelected.connect(received.append)
    start = view.visible_range()
    y = view.geometry_now().lanes_top + 5
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=QPoint(700, y))
    qtbot.mouseMove(view, QPoint(600, y))
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=QPoint(600, y))
    assert view.visible_range()[0] > start[0]
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier, QPoint(400, y))
    qtbot.mouseMove(view, QPoint(650, y))
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier, QPoint(650, y))
    assert received and received[-1][0] < received[-1][1]
    assert view.context.selection.time_range == received[-1]


def point_of(view, event_id):
    data = view.data
    position = data.position_of(event_id)
    geo = view.geometry_now()
    x = float(view.painter.x_of(float(data.times[position]), view.view, geo))
    lane = int(data.lane[position])
    return QPointF(x, geo.lane_y(lane, view.view.first_lane) + geo.lane_h / 2)


def test_click_selects_the_event_and_tooltip_describes_it(qtbot, view):
    data = view.data
    whatsapp = data.lane_labels.index("Kerry Lowe — WhatsApp")
    event_id = int(data.event_id[data.lane_slice(whatsapp)][0])
    view.show_range(data.times[data.lane_slice(whatsapp)][0] - 3600,
                    data.times[data.lane_slice(whatsapp)][0] + 3600)
    point = point_of(view, event_id)
    assert view.event_at(point) == data.position_of(event_id)
    tip = view.tooltip_at(point)
    assert "Kerry Lowe — WhatsApp" in tip and "lovely" in tip
    with qtbot.waitSignal(view.context.eventSelected) as blocker:
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=point.toPoint())
    assert blocker.args == [event_id]
    assert view.view.selected_event == data.position_of(event_id)
    assert view.event_at(QPointF(point.x(), 2)) is None  # on the axis: nothing


def test_view_follows_a_change_in_the_core(qtbot, view):
    store, context = view.context.store, view.context
    assert "Colleague" not in " ".join(view.lane_labels()) and "Priya Shah" not in " ".join(view.lane_labels())
    with store.session() as session:
        case = find_case(session, context.ref)
        phone = next(i for i in case.identifiers if i.person and i.person.key == "colleague")
        work = next(i for i in case.identifiers if i.use == "work" and i.kind == "phone"
                    and i.person.key == "pcso")
        session.add(Event(case_id=case.id, occurred_at=datetime(2021, 3, 3, 9, tzinfo=UTC),
                          kind="call", channel="work_mobile", direction="outgoing",
                          from_id=work.id, to_id=phone.id, duration_s=30.0))
    context.reload()
    assert "Priya Shah — Work phone" in view.lane_labels()
    image = view.render_image(900, 400)
    assert not image.isNull()


def test_marker_flag_click_selects_marker(qtbot, view):
    marker = view.data.markers[0]
    view.show_range(marker.start - 86400, marker.start + 86400)
    geo = view.geometry_now()
    x = float(view.painter.x_of(marker.start, view.view, geo)) + 4
    with qtbot.waitSignal(view.context.markerSelected) as blocker:
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=QPoint(int(x), 42 + 10))
    assert blocker.args == [marker.id]
    assert sorted(view.view.highlighted.tolist()) == sorted(
        view.data.position_of(e) for e in marker.evidence)
