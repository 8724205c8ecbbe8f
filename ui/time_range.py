"""One time range for every view: the chip that shows and clears it, the dialog that sets it,
and its undo history.

The range lives in the case context's selection (``CaseContext.select_range``); the
timeline's Shift-drag, the dialog and the chip all set it there, and every view follows
``rangeSelected``. Changing it is a view state, not an edit of the case: it goes on the
undo stack (so Ctrl+Z brings the previous range back) but never into the audit chain.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import QDateTime, QObject, Qt, QTimeZone
from PySide6.QtGui import QAction, QUndoCommand
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QToolBar,
    QToolButton,
    QWidget,
)

from ui.case_context import CaseContext
from workbench.timeutil import format_day, format_local

TimeRange = tuple[int, int] | None


def range_text(time_range: tuple[int, int], tz: ZoneInfo) -> str:
    """``21/03/2021 – 30/06/2021`` (with times when the range is shorter than two days)."""
    start, end = time_range
    if end - start < 2 * 86400:
        return f"{format_local(start, tz, with_zone=False)} – {format_local(end, tz, with_zone=False)}"
    return f"{format_day(start, tz)} – {format_day(end, tz)}"


class RangeChange(QUndoCommand):
    """The case's time range moved from ``before`` to ``after`` (already applied when pushed)."""

    def __init__(self, history: RangeHistory, before: TimeRange, after: TimeRange) -> None:
        super().__init__("Clear the time range" if after is None else "Set the time range")
        self.history, self.before, self.after = history, before, after
        self._applied = True

    def redo(self) -> None:
        if self._applied:  # pushed after the views already moved
            self._applied = False
            return
        self.history.apply(self.after)

    def undo(self) -> None:
        self.history.apply(self.before)


class RangeHistory(QObject):
    """Puts each change of the case's range on the undo stack, whoever made it."""

    def __init__(self, context: CaseContext) -> None:
        super().__init__(context)
        self.context = context
        self.current: TimeRange = context.selection.time_range
        self._applying = False
        context.rangeSelected.connect(self._changed)

    def _changed(self, time_range: TimeRange) -> None:
        time_range = (int(time_range[0]), int(time_range[1])) if time_range else None
        if time_range == self.current:
            return
        before, self.current = self.current, time_range
        if not self._applying:
            self.context.undo_stack.push(RangeChange(self, before, time_range))

    def apply(self, time_range: TimeRange) -> None:
        self._applying = True
        try:
            self.context.select_range(time_range)
        finally:
            self._applying = False


class RangeChip(QWidget):
    """"21/03/2021 – 30/06/2021 ✕": the range every view is following; ✕ clears it."""

    def __init__(self, context: CaseContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.toolbar_action: QAction | None = None  # set when placed in a toolbar
        self.setObjectName("rangeChip")
        self.text = QLabel()
        self.text.setObjectName("rangeChipText")
        self.clear_button = QToolButton()
        self.clear_button.setText("✕")
        self.clear_button.setAutoRaise(True)
        self.clear_button.setToolTip("Clear the time range: every view shows the whole case")
        self.clear_button.setAccessibleName("Clear the time range")
        self.clear_button.clicked.connect(lambda: context.select_range(None))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 2, 0)
        layout.setSpacing(2)
        layout.addWidget(self.text)
        layout.addWidget(self.clear_button)
        self.setStyleSheet("#rangeChip { background: palette(highlight); border-radius: 9px; }"
                           "#rangeChipText { color: palette(highlighted-text); font-weight: bold; }"
                           "#rangeChip QToolButton { color: palette(highlighted-text); }")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        context.rangeSelected.connect(self.show_range)
        self.show_range(context.selection.time_range)

    def place_in(self, toolbar: QToolBar, before: QAction | None) -> None:
        """Put the chip in a toolbar (where its action, not the widget, says whether it shows)."""
        self.toolbar_action = toolbar.insertWidget(before, self)
        self.toolbar_action.setEnabled(True)
        self.show_range(self.context.selection.time_range)

    def shown(self) -> bool:
        """Whether the chip is on screen (its toolbar action decides, inside a toolbar)."""
        return (self.toolbar_action or self).isVisible()

    def _set_shown(self, shown: bool) -> None:
        (self.toolbar_action or self).setVisible(shown)

    def show_range(self, time_range: TimeRange) -> None:
        if time_range is None:
            self._set_shown(False)
            return
        self.text.setText(range_text((int(time_range[0]), int(time_range[1])),
                                     ZoneInfo(self.context.case.timezone)))
        self.setToolTip("Every view (timeline, markers, search, chart, map, matrix, "
                        "presentation) shows only this time range")
        self._set_shown(True)


class RangeDialog(QDialog):
    """Set the case's time range by date and time (local to the case)."""

    def __init__(self, context: CaseContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Time range")
        self.context = context
        zone = QTimeZone(context.case.timezone.encode())
        start, end = context.selection.time_range or context.timeline.span()
        self.start = QDateTimeEdit(QDateTime.fromSecsSinceEpoch(int(start), zone))
        self.end = QDateTimeEdit(QDateTime.fromSecsSinceEpoch(int(end), zone))
        for edit in (self.start, self.end):
            edit.setTimeZone(zone)
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy HH:mm")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(QLabel(f"Times in {context.case.timezone}. Every view follows the range."))
        form.addRow("From", self.start)
        form.addRow("To", self.end)
        form.addRow(buttons)

    def chosen(self) -> tuple[int, int]:
        first = int(self.start.dateTime().toSecsSinceEpoch())
        last = int(self.end.dateTime().toSecsSinceEpoch())
        return (min(first, last), max(first, last))

    def accept(self) -> None:
        self.context.select_range(self.chosen())
        super().accept()
