"""The escalation markers: a sortable, filterable table, with accept and dismiss.

Markers are indicators for the investigator to review, never findings; the
panel says so, and every review needs a reason that goes into the audit chain.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui import theme
from ui.case_context import CaseContext
from ui.review_dialog import ReviewDialog
from ui.table_model import HeaderedTableModel, fit_columns
from ui.tooltips import tooltip
from workbench.analysis import rule_description, rule_title
from workbench.analysis.catalogue import marker_start_text
from workbench.errors import WorkbenchError
from workbench.model import Marker
from workbench.model.vocab import SEVERITIES
from workbench.vocabulary import severity_label, worst_first

COLUMNS = ("Severity", "Indicator", "People", "When", "Records", "Review")
WHEN_COLUMN = COLUMNS.index("When")
MARKER_ID_ROLE = Qt.ItemDataRole.UserRole + 2
Index = QModelIndex | QPersistentModelIndex


class MarkersModel(HeaderedTableModel):
    """The context's current markers as table rows, filtered by rule, person, severity,
    review status and the case's time range, and sorted by a column.

    Filtering and sorting happen here, in one Python pass over values made once per
    marker: a proxy model would call back into Python for every comparison, which
    takes seconds of the GUI thread on a big case.
    """

    HEADERS = COLUMNS

    def __init__(self, context: CaseContext) -> None:
        super().__init__()
        self.context = context
        self.rule: str | None = None
        self.person: int | None = None
        self.severity: str | None = None
        self.status: str | None = None
        self.time_range: tuple[int, int] | None = None  # the case's range: markers overlapping it
        self.sort_column, self.sort_order = WHEN_COLUMN, Qt.SortOrder.AscendingOrder
        # Display and sort values per marker id, made once per change of the markers.
        self._cells: dict[int, tuple[tuple[Any, ...], tuple[Any, ...]]] = {}
        self._rows: list[Marker] = []
        self._arrange()
        context.changed.connect(self.refill)
        context.anonymiseChanged.connect(lambda _on: self.refill())

    def refill(self) -> None:
        """The markers changed (or their names did): make their cells again."""
        self._cells.clear()
        self._arrange()

    def set(self, **values: Any) -> None:
        """Change filters (``rule=``, ``person=``, ``severity=``, ``status=``, ``time_range=``)."""
        if all(getattr(self, name) == value for name, value in values.items()):
            return  # as they were (refilling the filters after a change)
        for name, value in values.items():
            setattr(self, name, value)
        self._arrange()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sort_column, self.sort_order = column, order
        self._arrange()

    def _accepts(self, marker: Marker) -> bool:
        return ((self.rule is None or marker.rule == self.rule)
                and (self.person is None or self.person in (marker.member_id, marker.subject_id))
                and (self.severity is None or marker.severity == self.severity)
                and (self.status is None or marker.status == self.status)
                and (self.time_range is None or (marker.start.timestamp() <= self.time_range[1]
                                                 and marker.end.timestamp() >= self.time_range[0])))

    def _arrange(self) -> None:
        column = self.sort_column
        kept = [m for m in self.context.markers if self._accepts(m)]
        # By time without making any cell (the usual order, and a big case's first view).
        kept.sort(key=(lambda m: (m.start, m.id)) if column == WHEN_COLUMN else
                  (lambda m: (self._row_cells(m)[1][column], m.start, m.id)),
                  reverse=self.sort_order == Qt.SortOrder.DescendingOrder)
        self.beginResetModel()
        self._rows = kept
        self.endResetModel()

    def _row_cells(self, marker: Marker) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
        cells = self._cells.get(marker.id)
        if cells is None:
            span = self.context.session.marker_state.span(marker.id)
            people, title = self.people(marker), rule_title(marker.rule)
            records = span.records if span else -1  # -1: not read yet (sorts first)
            shown = (severity_label(marker.severity), title, people,
                     marker_start_text(marker.rule, marker.start,
                                       ZoneInfo(self.context.case.timezone)),
                     f"{records:,}" if span else "…", marker.status.capitalize())
            order = (worst_first(marker.severity), title, people, marker.start.timestamp(),
                     records, marker.status)
            cells = self._cells[marker.id] = (shown, order)
        return cells

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def marker(self, row: int) -> Marker:
        return self._rows[row]

    def row_of(self, marker_id: int) -> int | None:
        return next((row for row, m in enumerate(self._rows) if m.id == marker_id), None)

    def people(self, marker: Marker) -> str:
        names = [self.context.anonymiser.person(p) for p in (marker.subject, marker.member) if p]
        return " ↔ ".join(names) or "—"

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        marker = self.marker(index.row())
        column = index.column()
        if role == MARKER_ID_ROLE:
            return marker.id
        if role == Qt.ItemDataRole.DisplayRole:
            return self._row_cells(marker)[0][column]
        if role == Qt.ItemDataRole.ForegroundRole and column == 0:
            return theme.colours(theme.current())[marker.severity] if marker.severity in SEVERITIES else None
        if role == Qt.ItemDataRole.ToolTipRole:
            review = ""
            if marker.status != "open":
                review = (f"{marker.status.capitalize()} by {marker.reviewed_by}: "
                          f"{self.context.anonymiser.text(marker.review_reason)}")
            return tooltip(rule_description(marker.rule),
                           self.context.anonymiser.text(marker.explanation),
                           title=rule_title(marker.rule), note=review)
        if role == Qt.ItemDataRole.BackgroundRole and marker.status == "dismissed":
            return QColor(128, 128, 128, 30)
        return None


class MarkersPanel(QWidget):
    """Markers table with filters and Accept/Dismiss (reason required)."""

    def __init__(self, context: CaseContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setObjectName("markersPanel")
        self.model = MarkersModel(context)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSortIndicator(self.model.sort_column, self.model.sort_order)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        fit_columns(header)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)

        self.filters = {name: QComboBox() for name in ("rule", "person", "severity", "status")}
        for name, combo in self.filters.items():
            combo.setObjectName(f"filter_{name}")
            combo.setAccessibleName(f"Filter by {name}")
            combo.currentIndexChanged.connect(lambda _i, n=name: self._filter_changed(n))
        self.accept_button = QPushButton("Accept…")
        self.dismiss_button = QPushButton("Dismiss…")
        self.accept_button.setToolTip("Accept the selected marker as relevant, with a reason (audited)")
        self.dismiss_button.setToolTip("Dismiss the selected marker, with a reason (audited)")
        self.accept_button.clicked.connect(lambda: self.review(True))
        self.dismiss_button.clicked.connect(lambda: self.review(False))

        self.clear_button = QPushButton("Clear filters")
        self.clear_button.setToolTip("Show every marker (the time range stays: clear it with its ✕)")
        self.clear_button.clicked.connect(self.clear_filters)
        filters = QHBoxLayout()
        for combo in self.filters.values():
            filters.addWidget(combo, 1)
        filters.addWidget(self.clear_button)
        # Said when the filters (or the time range) leave nothing to show.
        self.empty_note = QLabel()
        self.empty_note.setObjectName("muted")
        self.empty_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_note.setWordWrap(True)
        buttons = QHBoxLayout()
        note = QLabel("Markers are indicators for review, not findings.")
        note.setObjectName("muted")
        buttons.addWidget(note, 1)
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.dismiss_button)
        # Said when the evidence changed after the last analysis (import, read again,
        # withdrawal, assignment, intelligence): the markers may describe what is gone.
        self.out_of_date = QLabel()
        self.out_of_date.setObjectName("error")
        self.out_of_date.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.out_of_date)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_note)
        layout.addLayout(buttons)
        self._filling = False
        self._fill_filters()
        self._show_freshness()
        context.changed.connect(self._fill_filters)
        context.changed.connect(self._show_freshness)
        context.anonymiseChanged.connect(lambda _on: self._fill_filters())
        context.markerSelected.connect(self._marker_selected)
        context.rangeSelected.connect(lambda r: self._set_range(r))
        self.model.modelReset.connect(self._show_empty)
        self.model.modelReset.connect(self._reselect)
        self.model.set(time_range=context.selection.time_range)
        self._show_empty()
        self._update_buttons()

    def _set_range(self, time_range: tuple[int, int] | None) -> None:
        self.model.set(time_range=(int(time_range[0]), int(time_range[1])) if time_range else None)
        self._show_empty()

    def clear_filters(self) -> None:
        """Every indicator, person, severity and review status again."""
        for combo in self.filters.values():
            combo.setCurrentIndex(0)

    def _show_empty(self, *_args: object) -> None:
        total, shown = len(self.context.markers), self.model.rowCount()
        filtered = any(combo.currentIndex() > 0 for combo in self.filters.values())
        self.clear_button.setEnabled(filtered)
        if total and not shown:
            why = ("these filters" if filtered else "") + (
                " and " if filtered and self.model.time_range else "") + (
                "the time range" if self.model.time_range else "")
            self.empty_note.setText(f"No markers match {why}: {total} hidden. "
                                    + ("Clear filters to see them." if filtered else
                                       "Clear the time range (✕) to see them."))
        elif not total:
            self.empty_note.setText("No markers yet: run Analyse (Ctrl+R).")
        self.empty_note.setVisible(not shown)

    def _show_freshness(self) -> None:
        changed = self.context.markers_out_of_date
        self.out_of_date.setText(f"These markers may be out of date: {changed}. Run Analyse "
                                 "(Ctrl+R) to update them." if changed else "")
        self.out_of_date.setVisible(bool(changed))

    # -- filters ------------------------------------------------------------------------
    def _fill_filters(self) -> None:
        self._filling = True
        markers = self.context.markers
        people = {p.id: self.context.anonymiser.person(p)
                  for m in markers for p in (m.member, m.subject) if p is not None}
        choices = {
            "rule": [("All indicators", None)] + sorted(
                {(rule_title(m.rule), m.rule) for m in markers}),
            "person": [("All people", None)] + sorted((name, pid) for pid, name in people.items()),
            "severity": [("All severities", None)] + [(severity_label(s), s) for s in reversed(SEVERITIES)],
            "status": [("Any review status", None)] + [(s.capitalize(), s) for s in ("open", "accepted", "dismissed")],
        }
        for name, combo in self.filters.items():
            kept = combo.currentData()
            combo.clear()
            for text, value in choices[name]:
                combo.addItem(text, value)
            found = combo.findData(kept)
            combo.setCurrentIndex(max(found, 0))
        self._filling = False
        self.model.set(**{name: combo.currentData() for name, combo in self.filters.items()})

    def _filter_changed(self, name: str) -> None:
        if not self._filling:
            self.model.set(**{name: self.filters[name].currentData()})
            self._show_empty()

    # -- selection ------------------------------------------------------------------------
    def selected_marker(self) -> int | None:
        index = self.table.selectionModel().currentIndex()
        return index.data(MARKER_ID_ROLE) if index.isValid() else None

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_buttons()
        marker_id = current.data(MARKER_ID_ROLE) if current.isValid() else None
        if marker_id is not None and marker_id != self.context.selection.marker:
            self.context.select_marker(marker_id)

    def _reselect(self) -> None:
        """Rows were filtered or sorted again: keep the chosen marker chosen."""
        if self.context.selection.marker is not None:
            self._marker_selected(self.context.selection.marker)

    def _marker_selected(self, marker_id: int) -> None:
        row = self.model.row_of(marker_id)
        if row is not None:
            index = self.model.index(row, 0)
            self.table.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
            self.table.scrollTo(index)
        self._update_buttons()

    def _update_buttons(self) -> None:
        selected = self.selected_marker() is not None
        self.accept_button.setEnabled(selected)
        self.dismiss_button.setEnabled(selected)

    # -- review ---------------------------------------------------------------------------
    def review(self, accept: bool, reason: str | None = None) -> bool:
        """Accept or dismiss the selected marker; asks for the reason unless given."""
        marker = self.context.marker(self.selected_marker())
        if marker is None:
            return False
        if reason is None:
            dialog = ReviewDialog(rule_title(marker.rule), accept, self)
            if dialog.exec() != ReviewDialog.DialogCode.Accepted:
                return False
            reason = dialog.reason()
        if not reason.strip():
            return False
        try:
            self.context.review(marker.id, accept, reason.strip())
        except WorkbenchError as exc:  # the core's message is the one the user needs
            QMessageBox.warning(self, "Review not recorded", str(exc))
            return False
        self.context.select_marker(marker.id)
        return True
