"""The one base for the app's flat table models: columns named by ``HEADERS``.

Each list the app shows gets its own small subclass (napari's pattern: one Qt
model per core list, reading the core on demand); this class holds what they
all share, the column count and the header labels.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import shiboken6
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QHeaderView

from ui.steps import Steps

Index = QModelIndex | QPersistentModelIndex
FIT_SAMPLE_ROWS = 30  # rows whose text sizes a fitted column: a long list is not read whole


_FITS = Steps()  # lists filled at once are fitted one after another


def fit_columns(header: QHeaderView) -> None:
    """Columns sized to their contents (judged on the first rows: a long list is not read
    whole) when rows first arrive, then left as they are, or as the user drags them. A
    column kept fitted is measured again at every layout and every change, reading its
    cells each time."""
    header.setResizeContentsPrecision(FIT_SAMPLE_ROWS)
    model = header.model()
    done = [False]

    def fit() -> None:
        if not done[0] and shiboken6.isValid(header) and model.rowCount() > 0:
            done[0] = True
            header.resizeSections(QHeaderView.ResizeMode.ResizeToContents)

    def later() -> None:
        if not done[0]:
            _FITS.add(fit)

    model.modelReset.connect(later)
    later()


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
