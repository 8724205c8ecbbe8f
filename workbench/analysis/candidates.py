"""What a rule returns: a marker candidate with its evidence, before it is stored."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class EvidenceItem:
    """One supporting record: an event, an intelligence report or a complaint.

    ``detail`` says what in it matched (the words, the distance, the duty status),
    so the app can highlight it and a reader can check it.
    """

    event_id: int | None = None
    intel_id: int | None = None
    complaint_id: int | None = None
    detail: list[str] = field(default_factory=list)


@dataclass
class Candidate:
    """A marker as a rule finds it. Times are UTC epoch seconds."""

    rule: str
    severity: str
    start: int
    end: int
    subject_id: int | None
    member_id: int | None
    evidence: list[EvidenceItem]
    explanation: str
