"""The whole window: anonymising hides every real name; layout is remembered; search jumps."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPointF, QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QTextEdit,
    QWidget,
)

from ui.case_context import CaseContext
from ui.main_window import MainWindow

REAL_NAMES = ("Kerry Lowe", "Kerry", "Lowe", "900201", "7700 900201", "900999", "Priya", "Shah")


def model_texts(view: QAbstractItemView) -> list[str]:
    model = view.model()
    found: list[str] = []

    def walk(parent: QModelIndex) -> None:
        for row in range(model.rowCount(parent)):
            for column in range(model.columnCount(parent)):
                index = model.index(row, column, parent)
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                    value = index.data(role)
                    if value is not None:
                        found.append(str(value))
            walk(model.index(row, 0, parent))

    walk(QModelIndex())
    for column in range(model.columnCount()):
        found.append(str(model.headerData(column, Qt.Orientation.Horizontal)))
    return found


def visible_texts(win: MainWindow) -> list[str]:
    texts = [win.windowTitle()]
    for widget in [win, *win.findChildren(QWidget)]:
        texts += [widget.toolTip(), widget.windowTitle(), widget.accessibleName()]
        if isinstance(widget, (QLabel, QLineEdit, QAbstractButton)):
            texts.append(widget.text())
        if isinstance(widget, QLineEdit):
            texts.append(widget.placeholderText())
        if isinstance(widget, QTextEdit):
            texts.append(widget.toPlainText())
            texts.append(widget.toHtml())
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            texts += model_texts(widget)
    for action in win.findChildren(type(win.import_action)):
        texts += [action.text(), action.toolTip()]
    timeline = win.timeline
    texts += timeline.lane_labels() + [e.label for e in timeline.data.engagements]
    data = timeline.data
    geo = timeline.geometry_now()
    for position in range(data.count):  # every event's hover text
        timeline.show_range(float(data.times[position]) - 600, float(data.times[position]) + 600)
        timeline.view.first_lane = 0
        lane = int(data.lane[position])
        x = float(timeline.painter.x_of(float(data.times[position]), timeline.view, geo))
        texts.append(timeline.tooltip_at(QPointF(x, geo.lane_y(lane, 0) + geo.lane_h / 2)))
    return texts


def leaks(texts: list[str]) -> list[str]:
    return [t for t in texts if t and any(name.lower() in t.lower() for name in REAL_NAMES)]


def test_anonymise_leaves_no_real_name_anywhere(qtbot, window):
    context = window.context
    window.search_box.setText("Kerry")
    window.run_search()  # results on screen, then anonymised
    assert context.search_results
    context.select_marker(context.markers[2].id)
    assert leaks(visible_texts(window)), "the check must see names when not anonymised"
    window.anonymise_action.setChecked(True)
    assert "[ANONYMISED]" in window.windowTitle() and window.anonymised_badge.isVisible()
    for selection in (lambda: context.select_marker(context.markers[2].id),
                      lambda: context.select_event(context.session.supporting_events(context.markers[1].id)[0]),
                      lambda: context.select_event(context.session.supporting_events(context.markers[0].id)[1])):
        selection()
        found = leaks(visible_texts(window))
        assert not found, found[:5]
    assert "Woman A — WhatsApp" in window.timeline.lane_labels()
    window.anonymise_action.setChecked(False)
    assert "Kerry Lowe — WhatsApp" in window.timeline.lane_labels()


def test_search_lists_and_jumps_to_events(qtbot, window):
    context = window.context
    window.search_box.setText("07700 900999")
    window.run_search()
    assert len(context.search_results) == 1
    assert context.selection.event == context.search_results[0]
    window.search_box.setText("mention")
    window.run_search()
    panel = window.search_results
    assert panel.model.rowCount() == 1 and "mention" in panel.model.index(0, 2).data()
    context.select_marker(context.markers[0].id)
    panel.open_result(panel.model.index(0, 0))
    assert context.selection.event == context.search_results[0]
    window.search_box.setText("no such words anywhere")
    window.run_search()
    assert panel.model.rowCount() == 0 and "0 event(s)" in panel.summary.text()


def test_layout_and_geometry_are_remembered(qtbot, case_store, tmp_path):
    store, ref = case_store
    settings = QSettings(str(tmp_path / "layout.ini"), QSettings.Format.IniFormat)
    first = MainWindow(CaseContext(store, ref), settings)
    qtbot.addWidget(first)
    first.show()
    first.docks["people"].hide()
    first.close()
    second = MainWindow(CaseContext(store, ref), settings)
    qtbot.addWidget(second)
    second.show()
    assert not second.docks["people"].isVisible()
    assert settings.value("last_case") == ref
    second.reset_layout()
    assert second.docks["people"].isVisible()
    second.close()


def test_actions_have_shortcuts_and_placeholders_say_why(qtbot, window):
    assert window.import_action.shortcut().toString() == "Ctrl+I"
    assert window.presentation_action.isEnabled()
    assert window.presentation_action.toolTip()
    window.anonymise_action.trigger()
    assert window.context.anonymise
