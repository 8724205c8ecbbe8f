"""Search results: events whose text, names or identifiers match; a click jumps to the event."""

from __future__ import annotations

import html
import re
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QPainter, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLabel,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui import formatting, theme
from ui.case_context import CaseContext
from ui.table_model import HeaderedTableModel, fit_columns

Index = QModelIndex | QPersistentModelIndex
DISPLAY = Qt.ItemDataRole.DisplayRole
EVENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SNIPPET = 160


class SearchResultsModel(HeaderedTableModel):
    """The context's search results, with the text read alongside them."""

    HEADERS = ("When", "Lane", "Text")

    def __init__(self, context: CaseContext) -> None:
        super().__init__()
        self.context = context
        self._texts: dict[int, str] = {}  # a cache of what was read for visible rows
        for signal in (context.searchResults, context.changed):
            signal.connect(self._reset)
        context.anonymiseChanged.connect(lambda _on: self._reset())

    def _reset(self, *_args: Any) -> None:
        self.beginResetModel()
        self._texts.clear()
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.context.search_results)

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        event_id = self.context.search_results[index.row()]
        if role == EVENT_ID_ROLE:
            return event_id
        if role != DISPLAY:
            return None
        data = self.context.timeline
        position = data.position_of(event_id)
        if index.column() == 0:
            return formatting.moment(float(data.times[position]), ZoneInfo(data.timezone)) if position is not None else ""
        if index.column() == 1:
            return data.lanes[int(data.lane[position])].label if position is not None else ""
        if event_id not in self._texts:  # read with the results, in the search's worker
            text = self.context.search_texts.get(event_id, "")
            self._texts[event_id] = snippet(text, self.context.search_words)
        return self._texts[event_id]


def snippet(text: str, words: str, length: int = SNIPPET) -> str:
    """Up to ``length`` characters of the text, around the first match of the words."""
    if len(text) <= length:
        return text
    at = text.casefold().find(words.strip().casefold()) if words.strip() else -1
    start = max(0, min(at - length // 3, len(text) - length)) if at >= 0 else 0
    return ("…" if start else "") + text[start:start + length] + ("…" if start + length < len(text) else "")


class MatchDelegate(QStyledItemDelegate):
    """Draws a cell with each occurrence of the search words marked."""

    def __init__(self, context: CaseContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        words = self.context.search_words.strip()
        text = str(index.data(DISPLAY) or "")
        if not words or words.casefold() not in text.casefold():
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        option.text = ""
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setHtml(marked_html(text, words, theme.colours(theme.current())["hit"].name()))
        painter.save()
        painter.translate(option.rect.left() + 3, option.rect.top()
                          + (option.rect.height() - document.size().height()) / 2)
        painter.setClipRect(0, 0, option.rect.width() - 3, option.rect.height())
        document.drawContents(painter)
        painter.restore()


def marked_html(text: str, words: str, colour: str) -> str:
    """The text as HTML with every occurrence of the words (any case) marked."""
    pattern = re.compile(re.escape(words.strip()), re.IGNORECASE)
    pieces, last = [], 0
    for match in pattern.finditer(text):
        pieces.append(html.escape(text[last:match.start()]))
        pieces.append(f"<span style='background-color:{colour}; font-weight:600'>"
                      f"{html.escape(match.group(0))}</span>")
        last = match.end()
    pieces.append(html.escape(text[last:]))
    return "".join(pieces)


class SearchPanel(QWidget):
    """The results list of the toolbar's search box."""

    def __init__(self, context: CaseContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setObjectName("searchPanel")
        self.model = SearchResultsModel(context)
        self.summary = QLabel("Type in the search box (Ctrl+F) to find messages, names and numbers.")
        self.summary.setObjectName("muted")
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setItemDelegate(MatchDelegate(context, self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        fit_columns(header)
        header.setStretchLastSection(True)
        self.table.clicked.connect(self.open_result)
        self.table.activated.connect(self.open_result)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        context.searchResults.connect(self._summarise)
        # The case's time range applies to the search too: search again when it moves.
        context.rangeSelected.connect(lambda _r: context.search(context.search_words)
                                      if context.search_words else None)
        context.anonymiseChanged.connect(lambda _on: self._summarise(context.search_results))

    def _summarise(self, found: list[int]) -> None:
        if not self.context.search_words:  # listed from elsewhere: a marker, a matrix cell…
            self.summary.setText(f"{len(found):,} record(s) listed. Click one to show it."
                                 if found else "Type in the search box (Ctrl+F) to find messages, "
                                 "names and numbers.")
            return
        words = self.context.anonymiser.text(self.context.search_words)
        within = ""
        if self.context.selection.time_range:
            within = " in the time range"
        if self.context.search_more:
            self.summary.setText(f"More than {len(found):,} events match “{words}”{within}: the "
                                 f"first {len(found):,} are listed. Narrow the words or the time "
                                 "range to see the rest.")
            return
        self.summary.setText(f"{len(found):,} event(s) match “{words}”{within}. Click one to show it.")

    def open_result(self, index: QModelIndex) -> None:
        event_id = index.data(EVENT_ID_ROLE)
        if event_id is not None:
            self.context.select_event(int(event_id))
