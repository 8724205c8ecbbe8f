"""Lines of enquiry: the APSP checklist with status, owner, notes and what closed each line.

Cells are edited in place; each edit is a core command (validated, audited,
undoable). A closing link must name something in the case: ``exhibit JB/2``,
``decision 4`` or ``marker 12``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.casework_state import CaseworkState
from ui.casework_table import CaseworkTableModel
from workbench.casework.enquiries import STATUSES, EnquiryLine
from workbench.commands import UpdateEnquiry
from workbench.errors import WorkbenchError

Index = QModelIndex | QPersistentModelIndex
STATUS_COLOURS = {"done": QColor(0, 158, 115, 45), "in_progress": QColor(86, 180, 233, 45),
                  "not_applicable": QColor(128, 128, 128, 35)}
EDITABLE = {1: "status", 2: "owner", 3: "closed_by", 4: "notes"}


class EnquiryModel(CaseworkTableModel):
    HEADERS = ("Line of enquiry", "Status", "Owner", "Closed by", "Notes")
    refused = Signal(str)  # why the last change was refused ("" once one succeeds)

    def rows(self) -> list[EnquiryLine]:
        return self.state.enquiries

    def cell(self, row: EnquiryLine, column: int) -> str:
        return (row.title, row.status_title, row.owner or "", row.closed_by or "",
                self.context.anonymiser.text(row.notes))[column]

    def style(self, row: EnquiryLine, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole:
            return STATUS_COLOURS.get(row.status)
        if role == Qt.ItemDataRole.EditRole:
            return row.status if column == 1 else (row.owner, row.closed_by, row.notes)[column - 2] or ""
        if role == Qt.ItemDataRole.ToolTipRole and column == 3:
            return "What closed this line: 'exhibit JB/2', 'decision 4' or 'marker 12'"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.column() in EDITABLE:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or index.column() not in EDITABLE:
            return False
        line = self.rows()[index.row()]
        field = EDITABLE[index.column()]
        if (getattr(line, field) or "") == (value or ""):
            return False
        try:
            context = self.state.context
            # At once: the cell keeps its old value if the core refuses.
            context.execute(UpdateEnquiry(context.ref, line.key, {field: value}), wait=True)
        except WorkbenchError as exc:
            self.refused.emit(str(exc))
            return False
        self.refused.emit("")
        return True


class StatusDelegate(QStyledItemDelegate):
    """A drop-down of the four statuses."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:  # noqa: N802
        combo = QComboBox(parent)
        for key, title in STATUSES.items():
            combo.addItem(title, key)
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(editor.findData(index.data(Qt.ItemDataRole.EditRole)), 0))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class EnquiriesPanel(QWidget):
    def __init__(self, state: CaseworkState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setObjectName("enquiriesPanel")
        self.model = EnquiryModel(state)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(1, StatusDelegate(self.table))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.SelectedClicked)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.summary = QLabel()
        self.summary.setObjectName("muted")
        self.feedback = QLabel()
        self.feedback.setWordWrap(True)
        self.feedback.setStyleSheet("color: #b3470b;")
        self.model.refused.connect(self.feedback.setText)
        state.changed.connect(self._summarise)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(QLabel("<b>Lines of enquiry</b> — double-click a cell to change it; "
                                "every change is audited and can be undone"))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.feedback)
        layout.addWidget(self.summary)
        self._summarise()

    def _summarise(self) -> None:
        lines = self.state.enquiries
        counts = {key: sum(line.status == key for line in lines) for key in STATUSES}
        self.summary.setText(" · ".join(f"{STATUSES[k]}: {n}" for k, n in counts.items()))
