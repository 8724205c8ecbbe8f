"""A long table that splits across pages cheaply: explicit widths, plain text, repeated header.

reportlab's ``Table`` measures every cell of the whole table each time it is
split, which is quadratic for a chronology of thousands of rows. ``RowTable``
wraps each row once, with column widths given, and takes only the rows that fit
on each page. Cells are plain strings drawn with the canvas (never parsed as
markup), so user text cannot inject formatting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.colors import Color, HexColor
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from workbench.bundle.fonts import MONO, SANS, SANS_BOLD
from workbench.bundle.safe_text import plain

PAD = 2.5
HEADER_FILL = HexColor("#dfe6ee")
STRIPE_FILL = HexColor("#f4f6f8")
GRID = HexColor("#b8c2cc")
CONTINUED = "(continued)"


@dataclass(frozen=True)
class Column:
    """A column: its heading, its width in points, and whether it is monospaced."""

    heading: str
    width: float
    mono: bool = False


def wrap_text(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap to ``width`` points; words longer than a line are broken."""
    lines: list[str] = []
    space = stringWidth(" ", font, size)
    for paragraph in text.split("\n"):
        current: list[str] = []
        used = 0.0
        for word in paragraph.split(" "):
            if not word:
                continue
            word_width = stringWidth(word, font, size)
            if word_width > width:
                if current:
                    lines.append(" ".join(current))
                    current, used = [], 0.0
                pieces = _break_word(word, font, size, width)
                lines.extend(pieces[:-1])
                word = pieces[-1]
                word_width = stringWidth(word, font, size)
            if current and used + space + word_width > width:
                lines.append(" ".join(current))
                current, used = [word], word_width
            else:
                used += (space if current else 0) + word_width
                current.append(word)
        lines.append(" ".join(current))
    return lines or [""]


def _break_word(word: str, font: str, size: float, width: float) -> list[str]:
    """A word too long for a line in pieces, broken after a ``/``, ``_`` or ``-`` where one
    fits (a path inside a zip reads by its folders), else where the line is full."""
    pieces, start = [], 0
    for end in range(1, len(word) + 1):
        if stringWidth(word[start:end], font, size) > width and end - 1 > start:
            cut = max(word.rfind(mark, start, end - 1) for mark in "/_-") + 1
            cut = cut if cut > start else end - 1
            pieces.append(word[start:cut])
            start = cut
    pieces.append(word[start:])
    return pieces


class RowTable(Flowable):
    """Rows of plain text under a header row that repeats on every page."""

    def __init__(self, columns: Sequence[Column], rows: Sequence[Sequence[object]], *,
                 font_size: float = 9, stripes: bool = True,
                 _wrapped: list[list[list[str]] | None] | None = None, _start: int = 0) -> None:
        super().__init__()
        self.columns = list(columns)
        self.rows = rows
        self.font_size = font_size
        self.leading = font_size * 1.22
        self.stripes = stripes
        # Each row's wrapped cell lines, measured on first use (None until then).
        self._wrapped: list[list[list[str]] | None] = (
            _wrapped if _wrapped is not None else [None] * len(rows))
        self._start = _start
        self._stop = len(rows)
        self._header = [wrap_text(c.heading, SANS_BOLD, font_size, c.width - 2 * PAD)
                        for c in self.columns]
        self.width = sum(c.width for c in self.columns)

    # -- measuring ---------------------------------------------------------
    def _cells(self, index: int) -> list[list[str]]:
        cells = self._wrapped[index]
        if cells is None:
            cells = [wrap_text(plain(value, keep_newlines=True), MONO if column.mono else SANS,
                               self.font_size, column.width - 2 * PAD)
                     for column, value in zip(self.columns, self.rows[index], strict=False)]
            self._wrapped[index] = cells
        return cells

    def _height(self, cells: list[list[str]]) -> float:
        return max(len(lines) for lines in cells) * self.leading + 2 * PAD

    def _header_height(self) -> float:
        return self._height(self._header)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        height = self._header_height()
        for index in range(self._start, self._stop):
            height += self._height(self._cells(index))
            if height > available_height:
                break  # enough to know it must split
        self.height = height
        return self.width, height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        room = available_height - self._header_height()
        used = 0.0
        end = self._start
        while end < self._stop:
            row_height = self._height(self._cells(end))
            if used + row_height > room:
                break
            used += row_height
            end += 1
        if end == self._start:
            return self._split_inside_row(room)
        if end >= self._stop:
            return [self]
        return [self._slice(self._start, end), self._slice(end, self._stop)]

    def _split_inside_row(self, room: float) -> list[Flowable]:
        """A row taller than the space left: put as many of its lines here as fit."""
        lines_fit = int((room - 2 * PAD) // self.leading)
        if lines_fit < 3:
            return []  # next page
        cells = self._cells(self._start)
        head = [lines[:lines_fit] for lines in cells]
        tail = [lines[lines_fit:] or [""] for lines in cells]
        tail[0] = [CONTINUED] if not cells[0][lines_fit:] else tail[0]
        first = RowTable(self.columns, [self.rows[self._start]], font_size=self.font_size,
                         stripes=self.stripes, _wrapped=[head])
        rest_rows = [self.rows[self._start], *self.rows[self._start + 1:self._stop]]
        rest_wrapped = [tail, *self._wrapped[self._start + 1:self._stop]]
        rest = RowTable(self.columns, rest_rows, font_size=self.font_size, stripes=self.stripes,
                        _wrapped=rest_wrapped)
        return [first, rest]

    def _slice(self, start: int, stop: int) -> RowTable:
        part = RowTable(self.columns, self.rows, font_size=self.font_size, stripes=self.stripes,
                        _wrapped=self._wrapped, _start=start)
        part._stop = stop
        return part

    # -- drawing -----------------------------------------------------------
    def draw(self) -> None:
        canvas = self.canv
        top = self.height
        top = self._draw_row(canvas, top, self._header, SANS_BOLD, HEADER_FILL)
        for number, index in enumerate(range(self._start, self._stop)):
            cells = self._cells(index)
            if top - self._height(cells) < -0.01:
                break  # never draw outside the space we were given
            fill = STRIPE_FILL if self.stripes and number % 2 else None
            top = self._draw_row(canvas, top, cells, SANS, fill)
        canvas.setStrokeColor(GRID)
        canvas.setLineWidth(0.4)
        x = 0.0
        for column in self.columns:
            canvas.line(x, top, x, self.height)
            x += column.width
        canvas.line(x, top, x, self.height)

    def _draw_row(self, canvas, top: float, cells: list[list[str]], font: str,  # type: ignore[no-untyped-def]
                  fill: Color | None) -> float:
        height = self._height(cells)
        bottom = top - height
        if fill is not None:
            canvas.setFillColor(fill)
            canvas.rect(0, bottom, self.width, height, stroke=0, fill=1)
        canvas.setFillColorRGB(0, 0, 0)
        x = 0.0
        for column, lines in zip(self.columns, cells, strict=False):
            text = canvas.beginText(x + PAD, top - PAD - self.font_size)
            text.setFont(MONO if column.mono and font == SANS else font, self.font_size,
                         self.leading)
            for line in lines:
                text.textLine(line)
            canvas.drawText(text)
            x += column.width
        canvas.setStrokeColor(GRID)
        canvas.setLineWidth(0.4)
        canvas.line(0, bottom, self.width, bottom)
        if top == self.height:
            canvas.line(0, top, self.width, top)
        return bottom
