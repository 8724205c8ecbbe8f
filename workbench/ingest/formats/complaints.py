"""Prior complaints about an officer (kind ``complaints``), from a professional-standards CSV.

Each row is one complaint: its reference, when it was received, about whom (a
collar number such as ``PCSO 4521``, or a name), and optionally the category
(allegation), outcome and when it was finalised.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from workbench.ingest import registry
from workbench.ingest.records import ComplaintRecord, ParseOptions, SourceFile
from workbench.ingest.tabular import Field, Layout, open_table, person_party, sniff_fields
from workbench.ingest.timeparse import parse_date

LAYOUT = Layout("complaint records", [
    Field("reference", ("complaint ref", "complaint reference", "complaint number",
                        "complaint no", "case number", "case ref", "ref", "iopc reference",
                        "psd reference", "centurion ref", "urn")),
    Field("received", ("date received", "received date", "date logged", "logged", "date",
                       "recorded", "date recorded", "complaint date")),
    Field("subject", ("officer", "subject officer", "officer subject", "person complained about",
                      "subject of complaint", "officer name", "employee")),
    Field("collar", ("collar number", "collar no", "collar", "shoulder number"),
          label="collar number"),
    Field("category", ("allegation", "allegation category", "allegation type", "complaint type",
                       "type", "nature", "complaint category")),
    Field("outcome", ("result", "finding", "decision", "complaint outcome", "status")),
    Field("finalised", ("date finalised", "finalized", "date finalized", "date closed",
                        "closed", "finalised date", "closed date", "completed")),
])


def sniff(name: str, head: bytes) -> float:
    found = sniff_fields(head, LAYOUT)
    named = bool(found & {"subject", "collar"})
    distinctive = bool(found & {"category", "outcome", "finalised"})
    return 0.9 if {"reference", "received"} <= found and named and distinctive else 0.0


def parse(source: SourceFile, options: ParseOptions) -> Iterator[ComplaintRecord]:
    table = open_table(source, options, LAYOUT)
    columns = table.columns
    columns.require("reference", "received")
    if "subject" not in columns and "collar" not in columns:
        raise columns.missing("subject", "collar")
    get = columns.get
    for line, row in table.rows():
        def cell(name: str, row: list[str] = row) -> str:
            at = get(name)
            return row[at].strip() if at is not None else ""

        reference = cell("reference")
        if not reference:
            raise table.refuse(line, "reference", reference, "no complaint reference")
        dates: dict[str, date | None] = {}
        for name in ("received", "finalised"):
            text = cell(name)
            if not text and name == "finalised":
                dates[name] = None
                continue
            try:
                dates[name] = parse_date(text)
            except ValueError as exc:
                raise table.refuse(line, name, text, str(exc)) from None
        collar, named = cell("collar"), cell("subject")
        subject = person_party(collar, "collar") if collar else person_party(named, "person")
        yield ComplaintRecord(
            position=f"line {line}", reference=reference[:64], received=dates["received"],  # type: ignore[arg-type]
            subject=subject, subject_text=" ".join(p for p in (collar, named) if p) or None,
            category=cell("category") or None, outcome=cell("outcome") or None,
            finalised=dates["finalised"],
        )


registry.register(registry.Importer(
    kind="complaints", label="Complaints", sniff=sniff, parse=parse,
    needs_owner=False, local_time=True, layout=LAYOUT,
))
