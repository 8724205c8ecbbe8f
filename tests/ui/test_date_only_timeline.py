"""A record known only to the day shows its date on the timeline, never a made-up 00:00."""

from __future__ import annotations

from PySide6.QtCore import QPointF

from tests.workbench.test_date_only import REF, _case
from ui.case_context import CaseContext
from ui.timeline import TimelineView


def _hover(qtbot, timeline: TimelineView, position: int) -> str:
    data = timeline.data
    timeline.show_range(float(data.times[position]) - 600, float(data.times[position]) + 600)
    timeline.view.first_lane = 0
    geo = timeline.geometry_now()
    lane = int(data.lane[position])
    x = float(timeline.painter.x_of(float(data.times[position]), timeline.view, geo))
    return timeline.tooltip_at(QPointF(x, geo.lane_y(lane, 0) + geo.lane_h / 2))


def test_the_timeline_shows_a_day_for_a_record_known_only_to_the_day(qtbot, store, tmp_path):
    _case(store, tmp_path)
    context = CaseContext(store, REF)
    timeline = TimelineView(context)
    qtbot.addWidget(timeline)
    timeline.resize(1200, 600)
    data = context.timeline
    known = [data.known_to_the_day(p) for p in range(data.count)]
    assert sum(known) == 3 and known.count(False) == 3
    day = known.index(True)
    tip = _hover(qtbot, timeline, day)
    assert "the source gives the day, not the time" in tip and "00:00" not in tip
    timed = _hover(qtbot, timeline, known.index(False))
    assert "23:3" in timed and "the source gives the day" not in timed
