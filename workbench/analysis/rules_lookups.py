"""Police-system look-ups of members of the public without a policing purpose."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from workbench.analysis import wording
from workbench.analysis.candidates import Candidate
from workbench.analysis.context import Context
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


def _reasons(ctx: Context, officer: int, member: int, times: np.ndarray) -> list[list[str]]:
    """Why each look-up has no evident policing purpose (empty list: it has one)."""
    engagements = ctx.engagements(officer, member)
    open_now = ctx.open_engagement(officer, member, times)
    duty = ctx.duty_status(officer, times).status
    reasons: list[list[str]] = []
    for number, moment in enumerate(times):
        why = []
        if not engagements:
            why.append("with no recorded engagement")
        elif not open_now[number]:
            closed = [e for e in engagements if e.concluded is not None and e.concluded < moment]
            if closed:
                last = max(closed, key=lambda e: e.concluded or 0)
                why.append(f"after the {last.title()} concluded on "
                           f"{wording.day(last.concluded or 0, ctx.tz)}")
            else:
                first = min(engagements, key=lambda e: e.started)
                why.append(f"before the {first.title()} began")
        if duty[number] == OFF_DUTY:
            why.append("while the officer was off duty by the roster")
        reasons.append(why)
    return reasons


def system_lookup(ctx: Context) -> list[Candidate]:
    """Look-ups with no engagement, outside the engagement, or off duty; one marker an episode."""
    found = []
    at = ctx.events.at
    for (officer, member), pair in sorted(lookup_pairs(ctx).items()):
        times = at[pair.indices]
        reasons = _reasons(ctx, officer, member, times)
        why_of = {int(i): why for i, why in zip(pair.indices, reasons, strict=True) if why}
        flagged = np.array(sorted(why_of), dtype=np.int64)
        for episode in ctx.episodes(flagged):
            indices = [int(i) for i in episode]
            why_all: list[str] = []
            for index in indices:
                why_all += [w for w in why_of[index] if w not in why_all]
            matched = sorted({pair.matched[i] for i in indices})
            explanation = (
                f"{wording.plural(len(indices), 'police-system look-up')} of {ctx.label(member)}"
                f" ({'; '.join(matched)}) {wording.span(at[indices[0]], at[indices[-1]], ctx.tz)}"
                f" {wording.join(why_all)}."
            )

            def detail(i: int, why_of: dict[int, list[str]] = why_of,
                       pair: LookupPair = pair) -> list[str]:
                return [pair.matched[int(i)], *why_of[int(i)], ctx.describe(int(i))]

            evidence, omitted = ctx.evidence(indices, detail)
            found.append(Candidate("system_lookup", ctx.settings.severity("system_lookup"),
                                   int(at[indices[0]]), int(at[indices[-1]]), officer, member,
                                   evidence, explanation, omitted))
    return found
