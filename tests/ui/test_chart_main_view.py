"""The link chart as the main view, its labels and its key."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from ui.link_chart.items import MAJOR_KINDS
from ui.views_docks import CHART_MAIN_SHORTCUT, set_chart_as_main


def _settle(qtbot, chart):
    chart.refresh(sync=True)
    QApplication.processEvents()


def test_view_menu_swaps_chart_and_timeline_and_back(qtbot, window):
    action = window.views.chart_main_action
    assert action.shortcut() == QKeySequence(CHART_MAIN_SHORTCUT)
    assert action in window.menuBar().actions()[2].menu().actions()  # the View menu
    timeline_centre = window.centralWidget()
    chart = window.casework.chart
    action.trigger()
    assert window.centralWidget() is chart
    dock = window.casework.docks["chart"]
    assert dock.widget() is timeline_centre and dock.windowTitle() == "Timeline"
    _settle(qtbot, chart)
    assert chart.scene.nodes, "the chart is built once it is the main view"
    action.trigger()
    assert window.centralWidget() is timeline_centre and dock.widget() is chart
    assert dock.windowTitle() == "Link chart"
    set_chart_as_main(window, True)
    assert action.isChecked()


def test_chart_fits_on_resize_until_the_analyst_zooms(qtbot, window):
    set_chart_as_main(window, True)
    chart = window.casework.chart
    _settle(qtbot, chart)
    chart.view.fit()
    content = chart.scene.content_rect()
    before = chart.view.transform().m11()

    def whole_chart_shown() -> bool:
        return chart.view.viewport().rect().contains(chart.view.mapFromScene(content).boundingRect())

    assert whole_chart_shown()
    window.resize(QSize(700, 560))
    qtbot.waitUntil(lambda: chart.view.transform().m11() < before and whole_chart_shown())
    chart.view.zoom(2.0)
    assert not chart.view.follows_size


def test_people_and_hubs_labelled_and_labels_never_overlap(qtbot, window):
    set_chart_as_main(window, True)
    chart = window.casework.chart
    _settle(qtbot, chart)
    for zoom in (0.3, 0.6, 1.0):
        chart.view.resetTransform()
        chart.view.zoom(zoom)
        items = list(chart.scene.nodes.values())
        shown = [i.label_rect().translated(i.pos()) for i in items if i.label_visible]
        for n, a in enumerate(shown):
            for b in shown[n + 1:]:
                assert not a.intersects(b)
        officer_phones = [i for i in items if any(
            (e.a if e.b is i else e.b).kind == "officer" for e in i.edges) and i.kind not in MAJOR_KINDS]
        assert officer_phones
        for item in items:
            if item.kind in MAJOR_KINDS or item in officer_phones:
                assert item.label_visible, item.label
        hidden = sum(not i.label_visible for i in items)
        assert chart.scene.hidden_labels == hidden
        assert (f"{hidden} label" in chart.hidden_note.text()) == bool(hidden)


def test_legend_lists_what_is_in_use(qtbot, window):
    set_chart_as_main(window, True)
    chart = window.casework.chart
    _settle(qtbot, chart)
    entries = chart.legend.entries()
    assert "Officer" in entries and "Member of the public" in entries
    assert "Witness" not in entries  # nobody in the case has that role
    assert "Vulnerability factors recorded" in entries  # Woman A's
    assert "Uses / owns" in entries
