"""Prior intelligence reports (kind ``intel``): CSV, or JSON with the same field names.

Grading is read as written and never converted between schemes:

* 3x5x2 (the current national model): source 1-3, intelligence A-E, handling
  P or C, written ``2/B/P``, ``2BP``, ``2-B-P`` or in three columns;
* legacy 5x5x5: source A-E, intelligence 1-5, handling 1-5, written ``B/2/1``
  or ``B21`` (or in three columns with a scheme column saying ``5x5x5``).

The scheme is told from a scheme column when there is one, else from the
pattern of letters and digits. A grading that fits neither, or that
contradicts the scheme column, is refused naming the line and the value.
JSON is a list of report objects or ``{"reports": [...]}``; positions are
``reports[i]`` (from 0).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from workbench.errors import ImportRefused
from workbench.ingest import registry
from workbench.ingest.records import IntelRecord, ParseOptions, SourceFile
from workbench.ingest.tabular import (
    Field,
    Layout,
    header_key,
    open_table,
    person_party,
    sniff_fields,
)
from workbench.ingest.text import head_text, load_json, read_text
from workbench.ingest.timeparse import parse_date

LAYOUT = Layout("intelligence reports", [
    Field("urn", ("intel ref", "intelligence ref", "intelligence reference", "report ref",
                  "report reference", "report urn", "intel urn", "log number", "reference",
                  "ref", "report number", "report id"), label="URN"),
    Field("date", ("submitted", "date submitted", "report date", "submission date",
                   "date of report", "created", "date created", "date")),
    Field("text", ("intelligence text", "report text", "sanitised text", "sanitized text",
                   "content", "details", "summary", "narrative", "intelligence", "body")),
    Field("subject", ("subject of intelligence", "subject name", "subject officer", "officer",
                      "nominal", "about")),
    Field("scheme", ("grading scheme", "evaluation scheme", "model", "grading model")),
    Field("grading", ("grade", "evaluation", "grading code", "intelligence grading",
                      "3x5x2", "5x5x5", "evaluation code")),
    Field("source_grade", ("source grade", "source evaluation", "source grading",
                           "source reliability", "source"), label="source grade"),
    Field("intelligence_grade", ("intelligence grade", "intel grade", "intelligence evaluation",
                                 "information grade", "intelligence assessment"),
          label="intelligence grade"),
    Field("handling_code", ("handling code", "handling", "hc", "handling grade"),
          label="handling code"),
    Field("conditions", ("handling conditions", "handling instructions", "condition",
                         "sanitisation conditions")),
    Field("information_date", ("information date", "date of information", "date obtained",
                               "intelligence date", "date of intelligence"),
          label="information date"),
    Field("originator", ("submitted by", "author", "originating officer", "source unit",
                         "originating unit", "submitter")),
])

_THREE_FIVE_TWO = re.compile(r"([1-3])\W*([A-E])\W*([PC])", re.I)
_FIVE_BY_FIVE = re.compile(r"([A-E])\W*([1-5])\W*([1-5])", re.I)
_SCHEME_NAMES = {"3x5x2": "3x5x2", "352": "3x5x2", "5x5x5": "5x5x5", "555": "5x5x5",
                 "legacy": "5x5x5"}
_VALID = {
    "3x5x2": ("123", "ABCDE", "PC"),
    "5x5x5": ("ABCDE", "12345", "12345"),
}
_PART_NAMES = ("source grade", "intelligence grade", "handling code")


def read_scheme(value: str) -> str | None:
    """``3x5x2`` or ``5x5x5`` from a scheme cell (None when blank)."""
    key = header_key(value)
    if not key:
        return None
    scheme = _SCHEME_NAMES.get(key)
    if scheme is None:
        raise ValueError("not a grading scheme (expected 3x5x2 or 5x5x5)")
    return scheme


def read_grading(value: str, scheme: str | None = None) -> tuple[str, str, str, str]:
    """``(scheme, source, intelligence, handling)`` from ``2/B/P``, ``2BP``, ``B/2/1``, ``B21``."""
    cleaned = value.strip()
    modern, legacy = _THREE_FIVE_TWO.fullmatch(cleaned), _FIVE_BY_FIVE.fullmatch(cleaned)
    match = modern if scheme in (None, "3x5x2") and modern else \
        legacy if scheme in (None, "5x5x5") and legacy else None
    if match is None:
        if modern or legacy:
            raise ValueError(f"written as {'3x5x2' if modern else '5x5x5'} but the scheme "
                             f"column says {scheme}")
        raise ValueError("not a 3x5x2 grading (e.g. 2/B/P) nor a legacy 5x5x5 one (e.g. B/2/1)")
    found = "3x5x2" if match is modern else "5x5x5"
    source, intelligence, handling = (part.upper() for part in match.groups())
    return found, source, intelligence, handling


def check_parts(scheme: str, source: str, intelligence: str, handling: str) -> None:
    """Refuse grades outside the scheme (source 1-3/A-E, intelligence A-E/1-5, handling P,C/1-5)."""
    for name, part, allowed in zip(_PART_NAMES, (source, intelligence, handling),
                                   _VALID[scheme], strict=True):
        if part and (len(part) != 1 or part.upper() not in allowed):
            raise ValueError(f"{name} {part!r} is not one of {'/'.join(allowed)} in {scheme}")


def _infer_scheme(source: str, intelligence: str, handling: str) -> str:
    if source[:1].isdigit() or intelligence[:1].isalpha() or handling.upper() in ("P", "C"):
        return "3x5x2"
    return "5x5x5"


def sniff(name: str, head: bytes) -> float:
    text = head_text(head).lstrip()
    if text.startswith(("[", "{")):
        keys = {header_key(k) for k in re.findall(r'"([^"\\]{1,40})"\s*:', text[:20000])}
        found = LAYOUT.fields_in(keys)
        return 0.9 if {"urn", "text"} <= found and found & {"grading", "source_grade"} else 0.0
    found = sniff_fields(head, LAYOUT)
    graded = bool(found & {"grading", "source_grade", "handling_code"})
    return 0.9 if {"urn", "date", "text"} <= found and graded else 0.0


def parse(source: SourceFile, options: ParseOptions) -> Iterator[IntelRecord]:
    with open(source.path, "rb") as handle:
        head = head_text(handle.read(256)).lstrip()
    if head.startswith(("[", "{")):
        yield from _json_reports(source, options)
        return
    table = open_table(source, options, LAYOUT)
    columns = table.columns
    columns.require("urn", "date", "text")
    if "grading" not in columns and "source_grade" not in columns:
        raise columns.missing("grading", "source_grade")
    for line, row in table.rows():
        cells = {name: row[at] for name, at in columns.index.items()}
        yield _report(cells, f"line {line}", lambda name: repr(columns.header(name))
                      if name in columns else LAYOUT.fields[name].label or name)


def _json_reports(source: SourceFile, options: ParseOptions) -> Iterator[IntelRecord]:
    data = load_json(read_text(source.path))
    reports = data.get("reports") if isinstance(data, dict) else data
    if not isinstance(reports, list):
        raise ImportRefused('not intelligence reports: expected a list of reports or {"reports": [...]}')
    for index, item in enumerate(reports):
        position = f"reports[{index}]"
        if not isinstance(item, dict):
            raise ImportRefused("not a report object", position)
        mapped = {header_key(header): name for name, header in options.mapping.items()}
        cells: dict[str, str] = {}
        for key, value in item.items():
            name = mapped.get(header_key(str(key))) or LAYOUT.field_of(str(key))
            if name is not None and name not in cells and value is not None:
                cells[name] = value if isinstance(value, str) else str(value)
        for name in ("urn", "date", "text"):
            if name not in cells:
                raise ImportRefused(f"no {LAYOUT.describe(name)} field", position)
        if "grading" not in cells and "source_grade" not in cells:
            raise ImportRefused(f"no {LAYOUT.describe('grading')} field", position)
        yield _report(cells, position, lambda name: repr(name))
        options.report((index + 1) / len(reports))


def _report(cells: dict[str, str], position: str, label: Callable[[str], str]) -> IntelRecord:
    """One report from its cells by field name; ``label(name)`` names a field in messages."""

    def refuse(name: str, value: str, reason: str) -> ImportRefused:
        return ImportRefused(f"{label(name)}: cannot read {value!r} ({reason})", position)

    def value(name: str) -> str:
        return (cells.get(name) or "").strip()

    urn, text = value("urn"), value("text")
    if not urn:
        raise refuse("urn", urn, "no URN")
    if not text:
        raise refuse("text", text, "no intelligence text")
    try:
        submitted = parse_date(value("date"))
    except ValueError as exc:
        raise refuse("date", value("date"), str(exc)) from None
    information_date = None
    if value("information_date"):
        try:
            information_date = parse_date(value("information_date"))
        except ValueError as exc:
            raise refuse("information_date", value("information_date"), str(exc)) from None
    try:
        scheme = read_scheme(value("scheme"))
    except ValueError as exc:
        raise refuse("scheme", value("scheme"), str(exc)) from None
    if value("grading"):
        try:
            scheme, source, intelligence, handling = read_grading(value("grading"), scheme)
        except ValueError as exc:
            raise refuse("grading", value("grading"), str(exc)) from None
    else:
        source, intelligence = value("source_grade").upper(), value("intelligence_grade").upper()
        handling = value("handling_code").upper()
        if not source or not intelligence:
            raise refuse("source_grade", f"{source}/{intelligence}/{handling}",
                         "source and intelligence grades are both needed")
        scheme = scheme or _infer_scheme(source, intelligence, handling)
        try:
            check_parts(scheme, source, intelligence, handling)
        except ValueError as exc:
            raise refuse("source_grade", f"{source}/{intelligence}/{handling}", str(exc)) from None
    subject_text = value("subject")
    return IntelRecord(
        position=position, urn=urn[:64], submitted=submitted, text=text, scheme=scheme,  # type: ignore[arg-type]
        source_grade=source, intelligence_grade=intelligence, handling_code=handling,
        conditions=value("conditions") or None, information_date=information_date,
        subject=person_party(subject_text, "person"), subject_text=subject_text or None,
        originator=value("originator") or None,
    )


registry.register(registry.Importer(
    kind="intel", label="Intelligence reports", sniff=sniff, parse=parse,
    needs_owner=False, local_time=True, layout=LAYOUT,
))
