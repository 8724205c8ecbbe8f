"""What a case conference is shown: the accepted markers in time order and the risk summary.

Everything here is safe to project. Text passes through the case's
:class:`~workbench.anonymise.Anonymiser` (anonymised unless the presenter turns
it off), intelligence with handling code C (or any recorded conditions) is
withheld, even its URN, and no file names or paths are included.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import raiseload, selectinload

from workbench.analysis import rule_title
from workbench.analysis.document import risk_summary
from workbench.anonymise import Anonymiser
from workbench.model import Case, Complaint, IntelReport, Marker, Person
from workbench.store import Store
from workbench.store.queries import find_case
from workbench.timeline import load_marker_spans

WITHHELD = "[withheld: handling conditions]"


@dataclass(frozen=True)
class MarkerSlide:
    """One accepted marker, ready to show."""

    marker_id: int
    rule: str
    title: str
    severity: str
    start: datetime
    end: datetime
    people: str
    explanation: str
    review_reason: str
    evidence: tuple[int, ...]  # event ids to highlight on the timeline


@dataclass(frozen=True)
class SummarySlide:
    level: str
    factors: tuple[str, ...]
    predatory: tuple[str, ...]
    exploratory: tuple[str, ...]
    accepted: int
    open: int
    dismissed: int


@dataclass(frozen=True)
class ConferenceDeck:
    case_ref: str
    title: str
    classification: str
    anonymised: bool
    markers: tuple[MarkerSlide, ...]
    summary: SummarySlide | None
    withheld_reports: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)


class Redactor:
    """Anonymises text and strips anything from intelligence with handling conditions."""

    def __init__(self, anonymiser: Anonymiser, restricted: list[IntelReport],
                 references: list[str] | None = None) -> None:
        self.anonymiser = anonymiser
        phrases = {r.urn for r in restricted} | {r.text.strip() for r in restricted if r.text}
        phrases.discard("")
        self._pattern = _alternatives(phrases)
        # Report URNs and complaint references are not personal data, but their digit
        # runs look like phone numbers to the anonymiser: shield them from it.
        self._references = sorted(set(references or ()) - phrases, key=len, reverse=True)
        self._shield = _alternatives(set(self._references))

    def __call__(self, text: str | None) -> str:
        cleaned = text or ""
        if self._pattern is not None:
            cleaned = self._pattern.sub(WITHHELD, cleaned)
        if self._shield is None:
            return self.anonymiser.text(cleaned)
        shielded = self._shield.sub(lambda m: f"\x00{self._references.index(m.group(0))}\x00", cleaned)
        hidden = self.anonymiser.text(shielded)
        return re.sub("\x00(\\d+)\x00", lambda m: self._references[int(m.group(1))], hidden)


def _alternatives(phrases: set[str]) -> re.Pattern[str] | None:
    if not phrases:
        return None
    return re.compile("|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)))


def build_deck(store: Store, case_ref: str, anonymise: bool = True) -> ConferenceDeck:
    """The conference slides for a case: accepted markers, oldest first, and the summary."""
    with store.reader() as session:
        case = session.scalars(select(Case).where(Case.id == find_case(session, case_ref).id)
                               .options(selectinload(Case.people), selectinload(Case.identifiers),
                                        selectinload(Case.places))).one()
        anonymiser = Anonymiser(case, anonymise)
        reports = list(session.scalars(select(IntelReport).where(IntelReport.case_id == case.id)))
        restricted = [r for r in reports if r.restricted]
        complaints = list(session.scalars(select(Complaint.reference).where(Complaint.case_id == case.id)))
        redact = Redactor(anonymiser, restricted, [r.urn for r in reports] + complaints)
        markers = list(session.scalars(
            select(Marker).where(Marker.case_id == case.id, Marker.current.is_(True))
            .options(raiseload(Marker.evidence), selectinload(Marker.subject),
                     selectinload(Marker.member))
            .order_by(Marker.start, Marker.id)))
        # The supporting events' ids as plain columns: a year-long marker has thousands of
        # records, and a big case hundreds of thousands in all (seconds as objects).
        evidence = {span.id: span.evidence for span in load_marker_spans(session, case)}
        slides = tuple(_slide(m, anonymiser, redact, evidence[m.id]) for m in markers
                       if m.status == "accepted")
        return ConferenceDeck(
            case_ref=case.ref, title=redact(case.title), classification=case.classification,
            anonymised=anonymise, markers=slides, summary=_summary(session, case, markers, redact),
            withheld_reports=len(restricted))


def _people(marker: Marker, anonymiser: Anonymiser) -> str:
    names = [_shown(p, anonymiser) for p in (marker.subject, marker.member) if p is not None]
    return " and ".join(names)


def _shown(person: Person, anonymiser: Anonymiser) -> str:
    name = anonymiser.person(person)
    return f"{person.collar} {name}" if person.role == "subject" and person.collar else name


def _slide(marker: Marker, anonymiser: Anonymiser, redact: Redactor,
           evidence: tuple[int, ...]) -> MarkerSlide:
    return MarkerSlide(
        marker_id=marker.id, rule=marker.rule, title=rule_title(marker.rule),
        severity=marker.severity, start=marker.start, end=marker.end,
        people=_people(marker, anonymiser), explanation=redact(marker.explanation),
        review_reason=redact(marker.review_reason),
        evidence=evidence)


def _summary(session: Any, case: Case, markers: list[Marker], redact: Redactor) -> SummarySlide | None:
    risk = risk_summary(session, case, markers)
    styles = risk.get("style_indicators", {})
    return SummarySlide(
        level=str(risk.get("level", "unknown")),
        factors=tuple(redact(f) for f in risk.get("factors", [])),
        predatory=tuple(redact(f) for f in styles.get("predatory", [])),
        exploratory=tuple(redact(f) for f in styles.get("exploratory", [])),
        accepted=sum(m.status == "accepted" for m in markers),
        open=sum(m.status == "open" for m in markers),
        dismissed=sum(m.status == "dismissed" for m in markers))
