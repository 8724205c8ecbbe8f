"""Tooltips show names as written: a name with markup or an ampersand is never drawn as markup."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QTextDocument
from sqlalchemy import update

from ui.case_context import CaseContext
from ui.link_chart.scene import ChartScene
from ui.markers_panel import MarkersPanel
from ui.people_panel import PeoplePanel
from ui.timeline import TimelineView
from ui.tooltips import tooltip
from workbench import audit
from workbench.chart_layout import prepare_chart
from workbench.model import Marker, Person
from workbench.store.queries import find_case

NAME = "<b>Kerry</b> & Co"


def shown(tip: str) -> str:
    """What a person reads in the tooltip: Qt's rich-text reading when it takes it as markup."""
    document = QTextDocument()
    if tip.startswith("<qt>"):
        document.setHtml(tip)
    else:
        document.setPlainText(tip)
    return document.toPlainText()


def test_the_helper_escapes_every_piece(qapp):
    tip = tooltip("Smith & Sons <i>Ltd</i>", "second line", title=NAME, note="<script>")
    assert shown(tip).splitlines() == [NAME, "Smith & Sons <i>Ltd</i>", "second line", "<script>"]
    assert "<b>&lt;b&gt;Kerry&lt;/b&gt; &amp; Co</b>" in tip  # only the layout is markup
    assert tooltip("plain & simple") == "plain & simple"  # Qt shows plain text as written
    assert shown(tooltip(NAME)) == NAME
    assert tooltip("", "") == ""


def test_a_name_with_markup_shows_literally_in_the_panels_and_the_chart(qtbot, case_store):
    store, ref = case_store
    with store.session() as session:
        case = find_case(session, ref)
        session.execute(update(Person).where(Person.id == case.person("woman_a").id)
                        .values(name=NAME))
        session.execute(update(Marker).where(Marker.case_id == case.id)
                        .values(explanation=f"Contact with {NAME}."))
        audit.append(session, case, "test_fixture", {"renamed": "woman_a"})
    context = CaseContext(store, ref)
    context.set_anonymise(False)
    people = PeoplePanel(context)
    markers = MarkersPanel(context)
    timeline = TimelineView(context)
    for widget in (people, markers, timeline):
        qtbot.addWidget(widget)
    model = people.people_model
    row = next(r for r in range(model.rowCount()) if NAME in str(model.index(r, 0).data()))
    assert shown(model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)) == NAME
    marker_tip = markers.model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole)
    assert f"Contact with {NAME}." in shown(marker_tip).splitlines()
    lane = next(n for n, lane in enumerate(context.timeline.lanes) if lane.counterpart == NAME)
    assert shown(timeline_lane_tip(timeline, lane)).splitlines()[0] == NAME
    chart = prepare_chart(store, ref, anonymise=False)
    scene = ChartScene()
    scene.show_chart(chart)
    node = next(item for item in scene.nodes.values() if item.label == NAME)
    assert shown(node.toolTip()).splitlines()[0] == NAME
    edge = next(e for e in scene.edges.values() if NAME in (e.a.label, e.b.label))
    assert NAME in shown(edge.toolTip()).splitlines()[0]


def timeline_lane_tip(timeline: TimelineView, lane: int) -> str:
    """The tooltip over a lane's label (left of the plot), the lane scrolled to the top."""
    timeline.resize(1000, 500)
    timeline.view.first_lane = lane
    geo = timeline.geometry_now()
    return timeline.tooltip_at(QPointF(2, geo.lane_y(lane, lane) + geo.lane_h / 2))
