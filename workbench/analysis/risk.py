"""The risk summary: a level, the factors behind it, and the two offending-style indicators.

It summarises indicators for the investigator; it is not a finding. Markers the
investigator dismissed are left out (and the summary says how many). The level is:

* **high** when sexualised language or a request for secrecy is among the indicators,
  or three or more kinds of indicator concern one person with vulnerability factors,
  or the officer shows the patterns with three or more people;
* **medium** when any other contact indicator, prior intelligence or a complaint
  cluster is present;
* **low** otherwise.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from workbench.analysis.catalogue import RULES
from workbench.analysis.settings import Settings
from workbench.analysis.wording import plural
from workbench.timeutil import format_day
from workbench.vocabulary import words

CONTENT_HIGH = ("sexualised_language", "secrecy_request")
LOW_LEVEL = ("channel_shift", "personal_channel_contact", "affectionate_language",
             "unsocial_hours", "off_duty_contact", "frequency_escalation", "no_duty_link",
             "post_closure_contact", "repeated_short_calls")


@dataclass(frozen=True)
class MarkerView:
    """What the summary needs of a stored marker."""

    rule: str
    severity: str
    start: datetime
    end: datetime
    subject_id: int | None
    member_id: int | None
    status: str
    explanation: str


@dataclass(frozen=True)
class PersonView:
    id: int
    label: str
    role: str
    vulnerabilities: tuple[str, ...]


def _highly_vulnerable(person: PersonView, settings: Settings) -> bool:
    strong = set(settings.value("risk", "high_vulnerability"))
    return bool(strong & set(person.vulnerabilities)) or len(person.vulnerabilities) >= 2


def summarise(markers: list[MarkerView], people: dict[int, PersonView],
              engagement_starts: dict[tuple[int, int], datetime], settings: Settings) -> dict:
    """``{"level", "factors", "style_indicators": {"predatory", "exploratory"}}``."""
    dismissed = [m for m in markers if m.status == "dismissed"]
    live = [m for m in markers if m.status != "dismissed"]
    factors: list[str] = []
    by_rule = Counter(m.rule for m in live)
    if by_rule:
        listed = "; ".join(f"{RULES[r].title.lower()} ({n})" for r, n in by_rule.most_common())
        contact = [m for m in live if m.member_id is not None]
        if contact:  # the span of the contact indicators (history has its own dates)
            first, last = min(m.start for m in contact), max(m.end for m in contact)
            listed += (f"; contact indicators span {format_day(first)} to {format_day(last)}"
                       f" ({(last - first).days} days)")
        factors.append(f"Indicators present: {listed}.")
    members = sorted({m.member_id for m in live if m.member_id is not None})
    for member in members:
        person = people.get(member)
        if person and person.vulnerabilities:
            kinds = sorted({m.rule for m in live if m.member_id == member})
            factors.append(
                f"{person.label} has recorded vulnerability factors"
                f" ({', '.join(words(v) for v in person.vulnerabilities)}), an aggravating factor;"
                f" {plural(len(kinds), 'kind')} of indicator concern them.")
    if by_rule.get("prior_intelligence"):
        factors.append("Intelligence reports about the officer predate the investigation "
                       "(see the prior intelligence marker).")
    if by_rule.get("complaint_cluster"):
        factors.append("Three or more complaints about the officer fall within twelve months.")
    if dismissed:
        factors.append(f"{plural(len(dismissed), 'marker')} dismissed by the investigator"
                       f" {'is' if len(dismissed) == 1 else 'are'} left out of this summary.")
    level, why = _level(live, people)
    factors.insert(0, why)
    return {"level": level, "factors": factors,
            "style_indicators": {"predatory": _predatory(live, people, engagement_starts, settings),
                                 "exploratory": _exploratory(live, people, settings)}}


def _level(live: list[MarkerView], people: dict[int, PersonView]) -> tuple[str, str]:
    rules = {m.rule for m in live}
    content = sorted(rules & set(CONTENT_HIGH))
    if content:
        return "high", ("Level high: " + " and ".join(RULES[r].title.lower() for r in content)
                        + " among the indicators.")
    for member in {m.member_id for m in live if m.member_id is not None}:
        person = people.get(member)
        kinds = {m.rule for m in live if m.member_id == member}
        if person and person.vulnerabilities and len(kinds) >= 3:
            return "high", (f"Level high: {len(kinds)} kinds of indicator concern {person.label},"
                            " who has vulnerability factors.")
    wide = [m for m in live if m.rule == "multiple_members_of_public" and m.severity == "high"]
    if wide:
        return "high", "Level high: the officer shows the patterns with three or more people."
    if live:
        return "medium", "Level medium: indicators are present but none of the high-level ones."
    return "low", "Level low: no indicators are present (or all were dismissed)."


def _predatory(live: list[MarkerView], people: dict[int, PersonView],
               engagement_starts: dict[tuple[int, int], datetime], settings: Settings) -> list[str]:
    rapid_days = settings.number("risk", "rapid_days")
    reasons: list[str] = []
    for marker in sorted((m for m in live if m.rule == "sexualised_language"), key=lambda m: m.start):
        person = people.get(marker.member_id) if marker.member_id is not None else None
        if person is None or not _highly_vulnerable(person, settings):
            continue
        pair = [m.start for m in live
                if m.member_id == marker.member_id and m.subject_id == marker.subject_id]
        known = engagement_starts.get((marker.subject_id or -1, marker.member_id or -1))
        first = min([*pair, *([known] if known else [])])
        days = (marker.start - first).days
        if days <= rapid_days and not any(person.label in r for r in reasons):
            reasons.append(
                f"Sexualised content with {person.label}"
                f" ({', '.join(words(v) for v in person.vulnerabilities)}) appears {days} days"
                f" after the first recorded contact or engagement ({format_day(first)}), within the"
                f" {rapid_days:g}-day threshold for rapid escalation with a highly vulnerable person.")
    return reasons


def _exploratory(live: list[MarkerView], people: dict[int, PersonView],
                 settings: Settings) -> list[str]:
    minimum = settings.number("risk", "exploratory_min_people")
    low_level = {m.member_id for m in live if m.rule in LOW_LEVEL and m.member_id is not None}
    sexual = {m.member_id for m in live if m.rule == "sexualised_language"}
    wide = [m for m in live if m.rule == "multiple_members_of_public"]
    if len(low_level) < minimum:
        if wide and len(low_level) >= 1:
            return [f"The officer shows similar indicators with several people, including"
                    f" unresolved identifiers: {wide[0].explanation}"]
        return []
    names = ", ".join(people[m].label for m in sorted(low_level) if m in people)
    return [f"Similar low-level contact indicators with {len(low_level)} members of the public"
            f" ({names}); sexualised language with {len(sexual & low_level)} of them."]
