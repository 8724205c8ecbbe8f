"""Sanitised intelligence exhibits: what a hearing or conference bundle relies on instead
of an intelligence file that also holds reports under handling conditions.

Handling-code C material leaves no trace in an open bundle: not its text, date or
URN, not a count, not a gap in the line numbers, not the hash of the whole file
(which would let anyone holding the original confirm what it holds). The bundle
relies instead on a sanitised version: the reports that may be disclosed, written
out afresh and numbered 1..n, with its own SHA-256. The sanitised file is kept in
the evidence store and its making is recorded in the original exhibit's continuity,
so the link between the two is in the internal record.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import PurePath

from workbench.anonymise import Anonymiser
from workbench.model import Exhibit, IntelReport

SANITISED_SUFFIX = "-S"


@dataclass
class SanitisedExhibit:
    original: Exhibit
    reference: str
    file_name: str
    data: bytes
    items: dict[int, int] = field(default_factory=dict)  # report id -> item number

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def sanitise_intel(exhibits: list[Exhibit], reports: list[IntelReport],
                   anonymiser: Anonymiser) -> dict[int, SanitisedExhibit]:
    """A sanitised version of every exhibit that holds a report under handling conditions."""
    held = {r.exhibit_id for r in reports if r.restricted and r.exhibit_id}
    found: dict[int, SanitisedExhibit] = {}
    for exhibit in exhibits:
        if exhibit.id not in held:
            continue
        open_reports = sorted((r for r in reports if r.exhibit_id == exhibit.id and not r.restricted),
                              key=lambda r: (r.submitted, r.urn))
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["item", "urn", "submitted", "scheme", "grading", "text"])
        items = {}
        for number, report in enumerate(open_reports, start=1):
            items[report.id] = number
            writer.writerow([number, report.urn, report.submitted.isoformat(), report.scheme,
                             report.grading, anonymiser.text(report.text)])
        stem = PurePath(anonymiser.path(exhibit.file_name)).stem
        found[exhibit.id] = SanitisedExhibit(
            exhibit, exhibit.reference + SANITISED_SUFFIX, f"{stem}-sanitised.csv",
            buffer.getvalue().encode("utf-8"), items)
    return found
