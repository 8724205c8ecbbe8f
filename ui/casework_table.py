"""A read-only table model over one of :class:`~ui.casework_state.CaseworkState`'s lists.

Each casework list (decisions, intelligence, complaints, lines of enquiry)
gets one small subclass that names its columns and how a row looks; rows are
read from the state on demand, never copied.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from ui.case_context import CaseContext
from ui.casework_state import CaseworkState
from ui.table_model import HeaderedTableModel

Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the row object itself


class CaseworkTableModel(HeaderedTableModel):
    """Subclasses set ``HEADERS`` and implement ``rows()`` and ``cell()``."""

    def __init__(self, state: CaseworkState) -> None:
        super().__init__()
        self.state = state
        self.context: CaseContext = state.context
        state.changed.connect(self.reset)
        self.context.anonymiseChanged.connect(lambda _on: self.reset())

    def reset(self) -> None:
        self.beginResetModel()
        self.endResetModel()

    def rows(self) -> Sequence[Any]:
        raise NotImplementedError

    def cell(self, row: Any, column: int) -> str:
        raise NotImplementedError

    def style(self, row: Any, column: int, role: int) -> Any:
        """Colours, fonts and tooltips; None for the default."""
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows())

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        rows = self.rows()
        if not index.isValid() or index.row() >= len(rows):
            return None
        row = rows[index.row()]
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell(row, index.column())
        return self.style(row, index.column(), role)
