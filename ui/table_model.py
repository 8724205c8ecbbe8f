"""The one base for the app's flat table models: columns named by ``HEADERS``.

Each list the app shows gets its own small subclass (napari's pattern: one Qt
model per core list, reading the core on demand); this class holds what they
all share, the column count and the header labels.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import shiboken6
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtWidgets import QHeaderView

Index = QModelIndex | QPersistentModelIndex
FIT_SAMPLE_ROWS = 30  # rows whose text sizes a fitted column: a long list is not read whole


_FITS: list[Callable[[], None]] = []  # columns waiting to be fitted, one per turn of the loop
_FIT_STEP_MS = 1  # a timer, so the window answers between two fits


def fit_columns(header: QHeaderView) -> None:
    """Columns sized to their contents (judged on the first rows: a long list is not read
    whole) when rows first arrive, then left as they are, or as the user drags them. A
    column kept fitted is measured again at every layout and every change, reading its
    cells each time. Several lists filled at once are fitted one after another."""
    header.setResizeContentsPrecision(FIT_SAMPLE_ROWS)
    model = header.model()
    done = [False]

    def fit() -> None:
        if not done[0] and shiboken6.isValid(header) and model.rowCount() > 0:
            done[0] = True
            header.resizeSections(QHeaderView.ResizeMode.ResizeToContents)

    def later() -> None:
        if not done[0]:
            _FITS.append(fit)
            if len(_FITS) == 1:
                QTimer.singleShot(_FIT_STEP_MS, _next_fit)

    model.modelReset.connect(later)
    later()


def _next_fit() -> None:
    _FITS.pop(0)()
    if _FITS:
        QTimer.singleShot(_FIT_STEP_MS, _next_fit)


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
