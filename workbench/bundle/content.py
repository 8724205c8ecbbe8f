"""What goes into a bundle, read from the store and anonymised, as plain values.

Everything a section prints passes through here first, so anonymisation and the
audience rules (which markers, which intelligence) are applied in one place and
the sections only lay out strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

AUDIENCES = ("hearing", "conference", "internal")
AUDIENCE_LABELS = {
    "hearing": "Misconduct hearing bundle",
    "conference": "Case conference bundle",
    "internal": "Internal bundle: not for disclosure",
}


@dataclass
class EvidenceLine:
    """One record supporting a marker, as printed."""

    when: str
    source: str  # "JB/2 line 57"
    what: str  # the matched words or a summary of the record


@dataclass
class MarkerItem:
    key: str
    title: str
    rule: str
    severity: str
    status: str
    period: str
    people: str
    explanation: str
    review: str
    evidence: list[EvidenceLine] = field(default_factory=list)
    evidence_total: int = 0
    withheld: int = 0  # evidence items left out under handling conditions (internal note only)


@dataclass
class ExhibitItem:
    key: str
    reference: str
    description: str
    producer: str
    file_name: str
    size: int
    sha256: str
    records: int
    kind: str
    continuity: list[tuple[str, str, str, str]] = field(default_factory=list)  # at, action, by, note
    sanitised_from: str | None = None  # the exhibit a sanitised version was made from


@dataclass
class ChronologyMonth:
    """A month of the chronology starts at ``row`` (for its bookmark)."""

    key: str
    label: str
    row: int


@dataclass
class BundleContent:
    """All the strings of one bundle, already anonymised for its audience."""

    case_ref: str
    title: str
    classification: str
    timezone: str
    audience: str
    anonymised: bool
    prepared_by: str
    produced_at: str  # in the case timezone, for people
    produced_at_utc: str  # ISO 8601, for the manifest
    people: list[tuple[str, str, str]] = field(default_factory=list)  # shown as, role, notes
    markers: list[MarkerItem] = field(default_factory=list)
    chronology: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    chronology_months: list[ChronologyMonth] = field(default_factory=list)
    intel: list[tuple[str, ...]] = field(default_factory=list)
    intel_restricted: list[tuple[str, ...]] = field(default_factory=list)  # internal only
    complaints: list[tuple[str, ...]] = field(default_factory=list)
    exhibits: list[ExhibitItem] = field(default_factory=list)
    decisions: list[tuple[str, ...]] = field(default_factory=list)
    enquiries: list[tuple[str, ...]] = field(default_factory=list)
    unused: list[tuple[str, ...]] = field(default_factory=list)
    rules_used: list[str] = field(default_factory=list)
    link_graph: Any = None  # the case graph (networkx), labels already anonymised
    link_positions: dict[Any, tuple[float, float]] = field(default_factory=dict)
    timeline: object | None = None  # workbench.timeline.TimelineData, when there are events
    notes: list[tuple[str, ...]] = field(default_factory=list)  # on, kind, text, by and when
    activity: dict[str, Any] = field(default_factory=dict)  # marker key -> ActivityMatrix
    maps: dict[str, Any] = field(default_factory=dict)  # marker key -> CaseMap (vehicle dwell)
    protected_strings: list[str] = field(default_factory=list)  # must never print (tests, checks)
    full_chronology: str = "csv"  # where the full chronology is: "annex" or "csv"
    chronology_total: int = 0  # records in the full chronology
    full_chronology_rows: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    full_chronology_months: list[ChronologyMonth] = field(default_factory=list)
    chronology_csv: dict[str, Any] | None = None  # {"file", "sha256", "rows"} when written beside
    case_file: dict[str, str] | None = None  # {"file", "sha256"} of the case file
    sanitised: list[Any] = field(default_factory=list)  # SanitisedExhibit, for the store
    marker_spans: dict[int, tuple[int, int]] = field(default_factory=dict)  # id -> epochs, when
    # a marker's records under handling conditions are left out (its span is redrawn)
    signer: dict[str, str] = field(default_factory=dict)  # {"unit", "fingerprint"} of the unit key
    parts: list[Any] = field(default_factory=list)  # PartPages, when sent in parts
    part_files: list[str] = field(default_factory=list)  # the parts' file names, in order

    @property
    def audience_label(self) -> str:
        return AUDIENCE_LABELS[self.audience]

    @property
    def internal(self) -> bool:
        return self.audience == "internal"
