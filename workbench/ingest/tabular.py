"""Shared machinery for CSV (and Excel) evidence: encodings, delimiters, headers, line numbers, progress.

Every tabular importer describes its fields with their header synonyms (a
:class:`Layout`); :func:`open_table` finds the header row, matches it case- and
punctuation-insensitively (``Duration (hh:mm:ss)`` matches ``duration hh mm ss``),
applies ``--map field=Header`` and then streams the rows with the physical line
number each starts on (the header being line 1 in an ordinary file).

The file is decoded in 1 MiB blocks rather than line by line: NUL bytes and
undecodable bytes are checked per block, progress is reported per block, and
the csv module then reads the lines at C speed.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from zoneinfo import ZoneInfo

from workbench.errors import ImportRefused
from workbench.ingest import limits
from workbench.ingest.limits import MAX_LINE_CHARS
from workbench.ingest.records import ParseOptions, Party, SourceFile
from workbench.ingest.spreadsheet import is_workbook, workbook_rows
from workbench.ingest.text import detect_encoding, head_text

BLOCK_BYTES = 1 << 20
SNIFF_ENCODING_BYTES = 64 * 1024
HEADER_SEARCH_ROWS = 10  # provider files sometimes put a title or a date range above the header
DELIMITERS = (",", ";", "\t", "|")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")

csv.field_size_limit(limits.MAX_FIELD_CHARS)


def header_key(text: str) -> str:
    """A header as matched: case-folded, with spaces and punctuation removed."""
    return _NOT_ALNUM.sub("", text.casefold())


@dataclass(frozen=True)
class Field:
    """One thing a tabular source can say, and the headers it goes by."""

    name: str
    synonyms: tuple[str, ...] = ()
    label: str = ""  # how messages name it (default: the name)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(header_key(s) for s in (self.name, *self.synonyms)))


@dataclass
class Columns:
    """Where each field is in a row, as found from the header (and ``--map``)."""

    headers: list[str]
    index: dict[str, int]
    layout: Layout
    header_line: int = 1

    def __contains__(self, name: str) -> bool:
        return name in self.index

    def get(self, name: str) -> int | None:
        return self.index.get(name)

    def header(self, name: str) -> str:
        return self.headers[self.index[name]]

    def missing(self, *alternatives: str) -> ImportRefused:
        """A refusal saying which field is missing and what the file's headers are."""
        wanted = " or ".join(self.layout.describe(name) for name in alternatives)
        first = alternatives[0]
        return ImportRefused(
            f"not {self.layout.what}: no {wanted} column; the header (line {self.header_line}) "
            f"has: {', '.join(repr(h) for h in self.headers) or 'nothing'}; "
            f"if one of these is it, say so with --map {first}=HEADER "
            "(in the app: Columns…)"
        )

    def require(self, *names: str) -> None:
        """Refuse unless every named field has a column."""
        for name in names:
            if name not in self.index:
                raise self.missing(name)


class Layout:
    """The fields of one kind of tabular source."""

    def __init__(self, what: str, fields: Sequence[Field]) -> None:
        self.what = what  # "call records", "a duty roster"... for refusals
        self.fields = {f.name: f for f in fields}
        self._by_key: dict[str, str] = {}
        for spec in fields:
            for key in spec.keys:
                self._by_key.setdefault(key, spec.name)

    def describe(self, name: str) -> str:
        spec = self.fields[name]
        examples = ", ".join(repr(s) for s in spec.synonyms[:4])
        label = spec.label or name
        return f"{label} ({examples}...)" if examples else label

    def field_of(self, header: str) -> str | None:
        return self._by_key.get(header_key(header))

    def fields_in(self, headers: Iterable[str]) -> set[str]:
        """The fields a row of headers names (for sniffing)."""
        return {name for h in headers if (name := self.field_of(h)) is not None}

    def match(self, headers: list[str], mapping: dict[str, str], header_line: int = 1) -> Columns:
        """Fields to column indexes: ``--map`` first, then synonyms, first column wins."""
        index: dict[str, int] = {}
        by_key: dict[str, int] = {}
        for position, header in enumerate(headers):
            by_key.setdefault(header_key(header), position)
        taken: set[int] = set()
        for name, header in mapping.items():
            if name not in self.fields:
                raise ImportRefused(
                    f"--map {name}=...: {self.what} have no field {name!r} "
                    f"(fields: {', '.join(self.fields)})"
                )
            mapped = by_key.get(header_key(header))
            if mapped is None:
                raise ImportRefused(
                    f"--map {name}={header}: no column {header!r} in the header "
                    f"(line {header_line}: {', '.join(repr(h) for h in headers)})"
                )
            index[name] = mapped
            taken.add(mapped)
        for position, header in enumerate(headers):
            field_name = self._by_key.get(header_key(header))
            if field_name is not None and field_name not in index and position not in taken:
                index[field_name] = position
                taken.add(position)
        return Columns(headers, index, self, header_line)


@dataclass
class Table:
    """An open tabular source: its columns and a stream of ``(line number, cells)``.

    For a CSV file the number is the physical line a row starts on; for a
    workbook it is the sheet row.
    """

    source: SourceFile
    columns: Columns
    _pending: list[tuple[int, list[str]]] = field(default_factory=list)
    _numbered: Iterator[tuple[int, list[str]]] | None = None

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """Every non-blank row after the header, padded to the header's width."""
        width = len(self.columns.headers)
        for line, row in chain(self._pending, self._numbered or ()):
            if len(row) < width:
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue
                row.extend([""] * (width - len(row)))
            yield line, row

    def refuse(self, line: int, name: str, value: str, reason: str) -> ImportRefused:
        """A refusal naming the line, the column and the value."""
        return ImportRefused(
            f"column {self.columns.header(name)!r}: cannot read {value!r} ({reason})",
            f"line {line}",
        )


def _csv_rows(source: SourceFile, options: ParseOptions) -> Iterator[tuple[int, list[str]]]:
    """A CSV file's rows with the physical line each starts on."""
    with open(source.path, "rb") as handle:
        head = handle.read(SNIFF_ENCODING_BYTES)
    encoding = detect_encoding(head)
    reader = csv.reader(_decoded_lines(source, encoding, options),
                        delimiter=sniff_delimiter(head_text(head)))
    last = 0
    try:
        for row in reader:
            line, last = last + 1, reader.line_num
            yield line, row
    except csv.Error as exc:
        raise ImportRefused(f"not readable as CSV ({exc})", f"line {last + 1}") from exc


def open_table(source: SourceFile, options: ParseOptions, layout: Layout) -> Table:
    """Open a CSV file or an Excel workbook, find its header row, match it to the layout."""
    if is_workbook(source.path):
        numbered = workbook_rows(source.path, options.report)
    else:
        numbered = _csv_rows(source, options)
    candidates: list[tuple[int, list[str]]] = []
    for line, row in numbered:
        if not row or all(not cell.strip() for cell in row):
            continue
        candidates.append((line, row))
        if len(candidates) >= HEADER_SEARCH_ROWS:
            break
    if not candidates:
        raise ImportRefused("empty file: no header row")
    scores = [len(layout.fields_in(row)) for _, row in candidates]
    best = scores.index(max(scores))
    header_line, header = candidates[best]
    headers = [h.strip().lstrip("\ufeff") for h in header]
    columns = layout.match(headers, options.mapping, header_line)
    if best:
        options.warn(f"line {header_line}", f"header found here; {best} line(s) above it skipped")
    return Table(source, columns, candidates[best + 1:], numbered)


@dataclass(frozen=True)
class ColumnChoice:
    """One field an importer reads, and the column of a file it would be read from."""

    name: str  # the field, as ``--map`` names it
    label: str
    synonyms: tuple[str, ...]
    header: str | None  # None: no column found for it


def column_choices(path: Path, layout: Layout,
                   mapping: dict[str, str] | None = None) -> tuple[list[str], list[ColumnChoice]]:
    """A tabular file's header and, for each field, the column it would be read from.

    This is what the app's column chooser shows: the same header search and
    matching as the import, with ``mapping`` (``--map``) applied. Only the first
    rows are read.
    """
    with open(path, "rb") as handle:
        head = handle.read(SNIFF_ENCODING_BYTES)
    if not is_workbook(path) and head_text(head).lstrip("\ufeff \t\r\n")[:1] in ("{", "[", "<"):
        raise ImportRefused("not a table (JSON or XML): its columns cannot be chosen", file=path.name)
    source = SourceFile(path, path.name, path.stat().st_size)
    table = open_table(source, ParseOptions(tz=ZoneInfo("UTC"), mapping=dict(mapping or {})), layout)
    if isinstance(table._numbered, Generator):
        table._numbered.close()  # the header is all that is needed
    columns = table.columns
    return columns.headers, [
        ColumnChoice(spec.name, spec.label or spec.name, spec.synonyms,
                     columns.header(spec.name) if spec.name in columns else None)
        for spec in layout.fields.values()
    ]


def sniff_delimiter(text: str) -> str:
    """Comma, semicolon, tab or pipe: whichever the header line uses most."""
    lines = [line for line in text.splitlines()[:HEADER_SEARCH_ROWS] if line.strip()]
    if not lines:
        return ","
    for sample in (lines[0], "\n".join(lines)):
        counts = [(sample.count(d), -order, d) for order, d in enumerate(DELIMITERS)]
        best = max(counts)
        if best[0] > 0:
            return best[2]
    return ","


def head_rows(head: bytes, rows: int = HEADER_SEARCH_ROWS) -> list[list[str]]:
    """The first rows of a file's sniffing sample, as cells (for ``sniff`` functions)."""
    text = head_text(head)
    if "\x00" in text:
        return []
    lines = [line for line in text.splitlines() if line.strip()][:rows]
    try:
        return list(csv.reader(lines, delimiter=sniff_delimiter(text)))
    except csv.Error:
        return []


def sniff_fields(head: bytes, layout: Layout) -> set[str]:
    """The layout's fields named by the most telling row among the first few (for ``sniff``)."""
    best: set[str] = set()
    for row in head_rows(head):
        found = layout.fields_in(row)
        if len(found) > len(best):
            best = found
    return best


def _decoded_lines(source: SourceFile, encoding: str, options: ParseOptions) -> Iterator[str]:
    """The file's lines (endings kept), decoded block by block, at C speed."""
    return chain.from_iterable(_decoded_blocks(source, encoding, options))


def _decoded_blocks(source: SourceFile, encoding: str, options: ParseOptions) -> Iterator[io.StringIO]:
    decoder = codecs.getincrementaldecoder(encoding)()
    size = max(source.size, 1)
    lines_before = 0
    pending = ""
    with open(source.path, "rb") as raw:
        while True:
            chunk = raw.read(BLOCK_BYTES)
            final = not chunk
            try:
                text = pending + decoder.decode(chunk, final)
            except UnicodeDecodeError as exc:
                good = chunk[: max(exc.start, 0)].decode(encoding, errors="ignore")
                line = lines_before + (pending + good).count("\n") + 1
                raise ImportRefused(
                    f"bytes that are not valid {encoding} ({exc.reason})", f"line {line}"
                ) from exc
            if not final:
                # Keep the unfinished last line for the next block, so "\r\n" and
                # quoted fields are never split between StringIO objects.
                cut = text.rfind("\n") + 1
                pending, text = text[cut:], text[:cut]
                if len(pending) > MAX_LINE_CHARS:
                    line = lines_before + text.count("\n") + 1
                    raise limits.exceeded("MAX_LINE_CHARS", MAX_LINE_CHARS,
                                          "a line too long",
                                          f"line {line}")
            if "\x00" in text:
                line = lines_before + text[: text.index("\x00")].count("\n") + 1
                raise ImportRefused("contains NUL bytes (binary or corrupt file?)", f"line {line}")
            lines_before += text.count("\n")
            if text:
                yield io.StringIO(text, newline="")
            if final:
                return
            options.report(raw.tell() / size)


_COLLAR_LIKE = re.compile(r"^(?:[A-Za-z]{1,6}\.?\s*)?\d{2,7}$")


def person_party(value: str, column: str) -> Party | None:
    """The party for a person cell of a roster, intel report or complaint.

    ``column`` is the field the cell came from: ``collar``, ``user`` (a system
    user id), ``name``, or ``person`` for a column that may hold any of them
    (a collar number such as ``PCSO 4521`` or ``4521`` is told from a name).
    """
    text = value.strip()
    if not text:
        return None
    if column == "collar":
        return Party("collar", text)
    if column == "user":
        return Party("system_user", text)
    if column == "person" and _COLLAR_LIKE.match(text):
        return Party("collar", text)
    return Party("name", text)


def read_number(text: str) -> float:
    """A decimal number, accepting a decimal comma (``53,8008``) from European exports."""
    cleaned = text.strip()
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    value = float(cleaned)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError("not a finite number")
    return value
