"""Excel workbooks (.xlsx) read as tables, for providers who send billing as spreadsheets.

The workbook is checked like any zip (traversal, links, bombs) before openpyxl
opens it read-only; its first sheet with data is read row by row and each cell
is written the way the CSV readers expect it (dates as ISO, times as HH:MM:SS,
whole numbers without a decimal point). Positions are sheet row numbers.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from defusedxml import DefusedXmlException

from workbench.errors import ImportRefused, brief
from workbench.ingest import limits, safexml, safezip

HEAD_ROWS = 12


def is_workbook(path: Path) -> bool:
    """Whether the file is an Office Open XML workbook."""
    if not safezip.is_zip(path):
        return False
    try:
        with zipfile.ZipFile(path) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except safezip.ZIP_ERRORS:
        return False


def cell_text(value: Any) -> str:
    """A cell as the text a CSV export of it would hold."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(" ", "seconds") if value.microsecond == 0 else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, timedelta):
        seconds = int(value.total_seconds())
        return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def workbook_rows(path: Path, report: Any = None) -> Iterator[tuple[int, list[str]]]:
    """``(row number, cells)`` of the first sheet that has data, blank rows skipped."""
    import openpyxl

    safezip.open_archive(path).close()  # traversal, links, bombs: refused before parsing
    # A file object, not the path: the stored exhibit copy is named by its hash, and
    # openpyxl judges a path by its extension.
    handle = open(path, "rb")
    try:
        book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a damaged workbook
        handle.close()
        if isinstance(exc, DefusedXmlException):
            raise safexml.refusal(exc) from None
        raise ImportRefused(f"not a readable Excel workbook ({brief(exc)})") from None
    try:
        sheet = next((s for s in book.worksheets if (s.max_row or 0) > 0), None)
        if sheet is None:
            raise ImportRefused("the workbook has no sheet with data")
        total = _checked_size(sheet)
        sheet.reset_dimensions()  # rows as the sheet holds them, never padded to a declared size
        number = cells_read = 0
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells_read += len(values)
                if cells_read > limits.MAX_SHEET_CELLS:
                    raise limits.exceeded("MAX_SHEET_CELLS", limits.MAX_SHEET_CELLS,
                                          "too many cells", f"line {number}")
                cells = [cell_text(v) for v in values]
                while cells and not cells[-1].strip():
                    cells.pop()
                if cells:
                    yield number, cells
                if report is not None and number % 20_000 == 0:
                    report(number / total)
        except ImportRefused:
            raise
        except Exception as exc:  # noqa: BLE001 - as above: any parser failure is a refusal
            raise ImportRefused(f"unreadable cell ({brief(exc)})",
                                f"line {number + 1}") from None
    finally:
        book.close()
        handle.close()


def _checked_size(sheet: Any) -> int:
    """The sheet's declared row count, after refusing a declared size over the limits."""
    rows, columns = sheet.max_row or 0, sheet.max_column or 0
    for name, limit, value, what in (
        ("MAX_SHEET_ROWS", limits.MAX_SHEET_ROWS, rows, f"a sheet declaring {rows:,} rows"),
        ("MAX_SHEET_COLUMNS", limits.MAX_SHEET_COLUMNS, columns,
         f"a sheet declaring {columns:,} columns"),
        ("MAX_SHEET_CELLS", limits.MAX_SHEET_CELLS, rows * columns,
         f"a sheet declaring {rows * columns:,} cells"),
    ):
        if value > limit:
            raise limits.exceeded(name, limit, what)
    return max(rows, 1)


def head_as_csv(path: Path) -> bytes:
    """The first rows as CSV bytes, so every CSV importer's ``sniff`` can read a workbook."""
    out = io.StringIO()
    writer = csv.writer(out)
    try:
        for count, (_number, cells) in enumerate(workbook_rows(path), start=1):
            writer.writerow(cells)
            if count >= HEAD_ROWS:
                break
    except ImportRefused:
        return b""
    return out.getvalue().encode("utf-8")
