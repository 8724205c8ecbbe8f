"""The one base for the app's flat table models: columns named by ``HEADERS``.

Each list the app shows gets its own small subclass (napari's pattern: one Qt
model per core list, reading the core on demand); this class holds what they
all share, the column count and the header labels.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtWidgets import QHeaderView

Index = QModelIndex | QPersistentModelIndex
FIT_SAMPLE_ROWS = 100  # rows whose text sizes a fitted column: a long list is not read whole


def fit_columns(header: QHeaderView) -> None:
    """Columns sized to their contents (judged on the first rows: a long list is not read
    whole) when the rows change, and otherwise left as they are. A column kept fitted is
    measured again at every layout of the window, reading its cells each time."""
    header.setResizeContentsPrecision(FIT_SAMPLE_ROWS)
    model = header.model()
    fit = QTimer(header)  # once for several changes, after the rows are in
    fit.setSingleShot(True)
    fit.setInterval(0)
    fit.timeout.connect(lambda: header.resizeSections(QHeaderView.ResizeMode.ResizeToContents))
    model.modelReset.connect(fit.start)
    model.layoutChanged.connect(fit.start)
    fit.start()


class HeaderedTableModel(QAbstractTableModel):
    """A flat table whose columns are ``HEADERS``; subclasses give rowCount and data."""

    HEADERS: Sequence[str] = ()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None
