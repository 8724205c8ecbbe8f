"""A key (legend) strip whose entries flow onto more rows when the window is narrow.

A subclass lists its entries (a symbol painter, the symbol's width and a caption);
this class lays them out left to right, wraps to a new row where the next entry
would not fit, sizes its height to the rows it needs and paints them. Nothing is
ever clipped on the right.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

SymbolPainter = Callable[[QPainter, float, float], None]  # painter, left x, centre y


@dataclass(frozen=True)
class KeyEntry:
    """One symbol and its caption; ``group_start`` leaves a wider gap before it."""

    caption: str
    symbol_width: float
    paint_symbol: SymbolPainter
    group_start: bool = False


class FlowKey(QWidget):
    """Entries in rows of ``ROW`` pixels, wrapped to the widget's width."""

    ROW = 22.0
    MARGIN = 6.0
    SYMBOL_GAP = 5.0  # between a symbol and its caption
    ENTRY_GAP = 14.0  # after a caption
    GROUP_GAP = 10.0  # extra space before a new group
    HINT_WIDTH = 240  # asked for; it takes what the layout gives and flows into it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Expanding, with a small size hint: a toolbar then gives it the whole width
        # instead of hiding it behind its overflow button.
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(int(self.ROW))
        self._measured: list[tuple[KeyEntry, float]] | None = None  # entries and their widths

    def key_entries(self) -> list[KeyEntry]:
        """What the key shows, in order (subclasses)."""
        raise NotImplementedError

    def text_colour(self) -> QColor:
        return self.palette().windowText().color()

    def refresh(self) -> None:
        """Call after the entries change: re-flow, re-size and repaint."""
        self._measured = None
        self._fit_height()
        self.update()

    def entry_rects(self, width: float | None = None) -> list[tuple[KeyEntry, QRectF]]:
        """Where each entry goes (symbol and caption together) for a given width."""
        width = self.width() if width is None else width
        placed: list[tuple[KeyEntry, QRectF]] = []
        x, row = self.MARGIN, 0
        for entry, size in self._sizes():
            gap = self.GROUP_GAP if entry.group_start and x > self.MARGIN else 0.0
            if x + gap + size > width - self.MARGIN and x > self.MARGIN:
                x, row, gap = self.MARGIN, row + 1, 0.0
            placed.append((entry, QRectF(x + gap, row * self.ROW, size, self.ROW)))
            x += gap + size + self.ENTRY_GAP
        return placed

    def _sizes(self) -> list[tuple[KeyEntry, float]]:
        """Each entry with its width (measured once per change of entries or font: layouts
        ask for the key's size many times)."""
        if self._measured is None:
            metrics = QFontMetricsF(self.font())
            self._measured = [(entry, entry.symbol_width + self.SYMBOL_GAP
                               + metrics.horizontalAdvance(entry.caption) + 2)
                              for entry in self.key_entries()]
        return self._measured

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.FontChange:
            self._measured = None
        super().changeEvent(event)

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt API
        rects = self.entry_rects(width)
        rows = int(max((r.top() for _e, r in rects), default=0.0) // self.ROW) + 1
        return int(rows * self.ROW)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt API
        return True

    def one_row_width(self) -> int:
        """The width that shows every entry on one row."""
        right = max((r.right() for _e, r in self.entry_rects(1e9)), default=0.0)
        return int(right + self.MARGIN)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(min(self.one_row_width(), self.HINT_WIDTH), self.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(120, self.height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._fit_height()

    def _fit_height(self) -> None:
        height = self.heightForWidth(max(self.width(), 1))
        if height != self.height():
            self.setFixedHeight(height)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = self.text_colour()
        entries = self.key_entries()  # fresh: their symbols follow the theme
        if [e.caption for e in entries] != [e.caption for e, _size in self._sizes()]:
            self._measured = None  # changed without a refresh()
        for entry, (_measured, rect) in zip(entries, self.entry_rects(), strict=False):
            entry.paint_symbol(p, rect.left(), rect.center().y())
            p.setPen(colour)
            text_left = rect.left() + entry.symbol_width + self.SYMBOL_GAP
            p.drawText(QRectF(text_left, rect.top(), rect.right() - text_left, rect.height()),
                       Qt.AlignmentFlag.AlignVCenter, entry.caption)
        p.end()
