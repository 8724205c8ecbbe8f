"""Police-system look-ups of members of the public with no policing purpose recorded.

The audit entry's recorded reason is read: a reason that cites an open engagement with the
person looked up (its reference, or words of its kind) is a stated purpose. Such a look-up
on duty is not marked; off duty it gives at most a note at the severity set in rules.toml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from workbench.analysis import wording
from workbench.analysis.candidates import Candidate
from workbench.analysis.context import Context
from workbench.analysis.loader import EngagementInfo
from workbench.duty import OFF_DUTY


@dataclass
class LookupPair:
    """The look-ups one officer made of one member of the public, and what matched."""

    indices: np.ndarray
    matched: dict[int, str] = field(default_factory=dict)  # event index -> what matched


def _name_patterns(ctx: Context) -> list[tuple[int, str, re.Pattern[str]]]:
    """Per member of the public: their police-record values and (optionally) names."""
    patterns = []
    match_names = bool(ctx.settings.value("system_lookup", "match_names"))
    for person in ctx.data.people.values():
        if person.role != "member_of_public":
            continue
        records = [i.value for i in ctx.data.identifiers.values()
                   if i.person_id == person.id and i.kind == "police_record"]
        for value in records:
            patterns.append((person.id, f"record {value} in the search terms",
                             re.compile(rf"(?<![\w-]){re.escape(value)}(?![\w-])", re.IGNORECASE)))
        words = person.name.split()
        if match_names and len(words) >= 2:
            forward = r"\s+".join(re.escape(w) for w in words)
            given = r"\s+".join(re.escape(w) for w in words[:-1])
            backward = rf"{re.escape(words[-1])}\s*,?\s+{given}"
            patterns.append((person.id, "name in the search terms",
                             re.compile(rf"\b(?:{forward}|{backward})\b", re.IGNORECASE)))
    return patterns


def lookup_pairs(ctx: Context) -> dict[tuple[int, int], LookupPair]:
    """(officer, member) -> the officer's look-ups of that member (by record or name)."""
    cached = ctx.cache.get("lookup_pairs")
    if cached is not None:
        return cached  # type: ignore[return-value]
    events = ctx.events
    lookups = np.flatnonzero(events.is_kind("system_lookup") & (events.officer >= 0))
    members = set(int(m) for m in ctx.member_ids)
    patterns = _name_patterns(ctx)
    found: dict[tuple[int, int], dict[int, str]] = {}
    for lookup in lookups:
        index = int(lookup)
        officer = int(events.officer[index])
        other = int(events.other_person[index])
        if other in members:
            ident = ctx.data.identifiers.get(int(events.other_ident[index]))
            found.setdefault((officer, other), {})[index] = \
                f"record {ident.display if ident else 'looked up'}"
            continue
        text = events.text[index]
        if not text:
            continue
        for person_id, what, pattern in patterns:
            if pattern.search(text):
                found.setdefault((officer, person_id), {})[index] = what
    result = {pair: LookupPair(np.array(sorted(matched), dtype=np.int64), matched)
              for pair, matched in found.items()}
    ctx.cache["lookup_pairs"] = result
    return result


REASON = re.compile(r"reason '(.*?)'(?:; |$)")


def recorded_reason(text: str | None) -> str:
    """The reason recorded with a look-up (as the system-audit importer writes it), or ""."""
    found = REASON.search(text or "")
    return found.group(1).strip() if found else ""


def _alphanumeric(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", text.lower()) if len(w) >= 4}


def cites(reason: str, engagement: EngagementInfo, min_words: int) -> bool:
    """True when ``reason`` names the engagement: its reference, or words of its kind."""
    if not reason:
        return False
    reference = _alphanumeric(engagement.reference or "")
    if reference and reference in _alphanumeric(reason):
        return True
    kind_words = _words(engagement.kind)
    shared = kind_words & _words(reason)
    return bool(kind_words) and len(shared) >= min(min_words, len(kind_words))


@dataclass
class LookupReasons:
    """Per look-up: why it has no policing purpose recorded, or the note on a stated one."""

    missing_purpose: dict[int, list[str]] = field(default_factory=dict)
    stated_off_duty: dict[int, EngagementInfo] = field(default_factory=dict)


def _reasons(ctx: Context, officer: int, member: int, indices: np.ndarray) -> LookupReasons:
    """Sort the pair's look-ups into: no purpose recorded, stated purpose off duty, or fine."""
    min_words = int(ctx.settings.number("system_lookup", "min_cited_words"))
    times = ctx.events.at[indices]
    engagements = ctx.engagements(officer, member)
    duty = ctx.duty_status(officer, times).status
    result = LookupReasons()
    for number, (index, moment) in enumerate(zip(indices, times, strict=True)):
        off_duty = duty[number] == OFF_DUTY
        open_now = [e for e in engagements if e.started <= moment
                    and (e.concluded is None or moment <= e.concluded)]
        reason = recorded_reason(ctx.events.text[int(index)])
        cited = next((e for e in open_now if cites(reason, e, min_words)), None)
        if cited is not None:
            if off_duty:
                result.stated_off_duty[int(index)] = cited
            continue
        why = []
        if not engagements:
            why.append("with no recorded engagement")
        elif not open_now:
            closed = [e for e in engagements if e.concluded is not None and e.concluded < moment]
            if closed:
                last = max(closed, key=lambda e: e.concluded or 0)
                why.append(f"after the {last.title()} concluded on "
                           f"{wording.day(last.concluded or 0, ctx.tz)}")
            else:
                first = min(engagements, key=lambda e: e.started)
                why.append(f"before the {first.title()} began")
        if off_duty:
            why.append("while the officer was off duty by the roster")
        if why:
            result.missing_purpose[int(index)] = why
    return result


def system_lookup(ctx: Context) -> list[Candidate]:
    """Look-ups with no policing purpose recorded (no engagement, outside it, or off duty),
    and off-duty look-ups whose recorded reason cites an open engagement (a lower note)."""
    found = []
    at = ctx.events.at
    for (officer, member), pair in sorted(lookup_pairs(ctx).items()):
        reasons = _reasons(ctx, officer, member, pair.indices)
        why_of = reasons.missing_purpose
        for episode in ctx.episodes(np.array(sorted(why_of), dtype=np.int64)):
            indices = [int(i) for i in episode]
            why_all: list[str] = []
            for index in indices:
                why_all += [w for w in why_of[index] if w not in why_all]
            explanation = (
                f"{_looked_up(ctx, member, pair, indices)} {wording.join(why_all)}:"
                f" no policing purpose recorded."
            )

            def detail(i: int, why_of: dict[int, list[str]] = why_of,
                       pair: LookupPair = pair) -> list[str]:
                return [pair.matched[int(i)], *why_of[int(i)], ctx.describe(int(i))]

            evidence = ctx.evidence(indices, detail)
            found.append(Candidate("system_lookup", ctx.settings.severity("system_lookup"),
                                   int(at[indices[0]]), int(at[indices[-1]]), officer, member,
                                   evidence, explanation))
        stated = reasons.stated_off_duty
        for episode in ctx.episodes(np.array(sorted(stated), dtype=np.int64)):
            indices = [int(i) for i in episode]
            cited = wording.join(sorted({stated[i].title() for i in indices}))
            explanation = (
                f"{_looked_up(ctx, member, pair, indices)} while the officer was off duty by"
                f" the roster; the recorded reason cites the open {cited} with"
                f" {ctx.label(member)}, so a policing purpose is recorded."
            )

            def stated_detail(i: int, stated: dict[int, EngagementInfo] = stated,
                              pair: LookupPair = pair) -> list[str]:
                return [pair.matched[int(i)], "off duty by the roster",
                        f"reason cites the open {stated[int(i)].title()}", ctx.describe(int(i))]

            evidence = ctx.evidence(indices, stated_detail)
            severity = str(ctx.settings.value("system_lookup", "stated_purpose_off_duty_severity"))
            found.append(Candidate("system_lookup", severity, int(at[indices[0]]),
                                   int(at[indices[-1]]), officer, member, evidence, explanation))
    return found


def _looked_up(ctx: Context, member: int, pair: LookupPair, indices: list[int]) -> str:
    """``2 police-system look-ups of Woman A (record …) between 01/03/2021 and 03/03/2021``."""
    at = ctx.events.at
    matched = sorted({pair.matched[i] for i in indices})
    return (f"{wording.plural(len(indices), 'police-system look-up')} of {ctx.label(member)}"
            f" ({'; '.join(matched)}) {wording.span(at[indices[0]], at[indices[-1]], ctx.tz)}")
