"""The wide-net rule: the same officer shows the patterns with several people."""

from __future__ import annotations

import numpy as np

from workbench.analysis import wording
from workbench.analysis.candidates import Candidate, EvidenceItem
from workbench.analysis.context import Context
from workbench.analysis.loader import personal_mask
from workbench.analysis.wording import identifier_text

# Rules that count as "the patterns" with a person. Unsocial hours alone do not: a
# night-shift officer calls people late for good reasons.
PATTERN_RULES = (
    "channel_shift", "personal_channel_contact", "affectionate_language", "sexualised_language",
    "secrecy_request", "off_duty_contact", "post_closure_contact", "no_duty_link",
    "frequency_escalation", "repeated_short_calls", "vehicle_dwell", "system_lookup",
)
RULE_PHRASES = {
    "channel_shift": "channel shift", "personal_channel_contact": "personal-channel contact",
    "affectionate_language": "affectionate language", "sexualised_language": "sexualised language",
    "secrecy_request": "secrecy request", "off_duty_contact": "off-duty contact",
    "post_closure_contact": "contact after closure", "no_duty_link": "no duty link",
    "frequency_escalation": "rising contact", "repeated_short_calls": "short calls",
    "vehicle_dwell": "vehicle stops near home", "system_lookup": "system look-ups",
}


def late_mask(ctx: Context) -> np.ndarray:
    """Events at unsocial hours (local time), by the unsocial_hours thresholds."""
    start = int(ctx.settings.number("unsocial_hours", "start_hour"))
    end = int(ctx.settings.number("unsocial_hours", "end_hour"))
    hour = (ctx.local % 86_400) // 3600
    return ((hour >= start) | (hour < end)) if start > end else ((hour >= start) & (hour < end))


def unresolved_contacts(ctx: Context, officer: int) -> list[tuple[int, np.ndarray]]:
    """Unresolved identifiers with substantial personal-channel contact with the officer,
    enough of it late at night to resemble the patterns (family and friends are called by day).
    """
    threshold = ctx.settings.number("multiple_members_of_public",
                                    "unresolved_min_personal_contacts")
    late_share = ctx.settings.number("multiple_members_of_public", "unresolved_min_unsocial_share")
    late = late_mask(ctx)
    events = ctx.events
    mask = (ctx.contact & personal_mask(events) & (events.officer == officer)
            & (events.other_person < 0) & (events.other_ident >= 0))
    indices = np.flatnonzero(mask)
    result = []
    for ident in np.unique(events.other_ident[indices]):
        mine = indices[events.other_ident[indices] == ident]
        ident_info = ctx.data.identifiers.get(int(ident))
        if ident_info is not None and ident_info.kind == "group":
            continue  # a group chat is not one person
        if mine.size >= threshold and late[mine].mean() >= late_share:
            result.append((int(ident), mine))
    result.sort(key=lambda item: -item[1].size)
    return result


def multiple_members_of_public(ctx: Context, found: list[Candidate]) -> list[Candidate]:
    """One marker per officer showing the patterns with two or more people."""
    s = ctx.settings
    minimum = s.number("multiple_members_of_public", "min_people")
    high_from = s.number("multiple_members_of_public", "high_from_people")
    result = []
    officers = sorted({c.subject_id for c in found if c.subject_id is not None}
                      | {int(o) for o in np.unique(ctx.events.officer[ctx.contact])})
    for officer in officers:
        by_member: dict[int, list[Candidate]] = {}
        for candidate in found:
            if (candidate.subject_id == officer and candidate.member_id is not None
                    and candidate.rule in PATTERN_RULES):
                by_member.setdefault(candidate.member_id, []).append(candidate)
        strangers = unresolved_contacts(ctx, officer)
        people = len(by_member) + len(strangers)
        if people < minimum:
            continue
        parts = []
        evidence: list[EvidenceItem] = []
        for member, markers in sorted(by_member.items(), key=lambda item: min(c.start for c in item[1])):
            rules = [r for r in PATTERN_RULES if any(c.rule == r for c in markers)]
            parts.append(f"{ctx.label(member)}: {', '.join(RULE_PHRASES[r] for r in rules)}")
            first = min(markers, key=lambda c: c.start)
            if first.evidence and first.evidence[0].event_id is not None:
                evidence.append(EvidenceItem(event_id=first.evidence[0].event_id, detail=[
                    f"first {first.rule.replace('_', ' ')} evidence for {ctx.label(member)}"]))
        sentence = []
        if by_member:
            sentence.append(f"{wording.plural(len(by_member), 'member')} of the public"
                            f" ({'; '.join(parts)})")
        if strangers:
            listed = []
            for ident_id, indices in strangers[:5]:
                ident = ctx.data.identifiers[ident_id]
                shown = identifier_text(ident.kind, ident.value, ident.display)
                listed.append(f"{shown}: {indices.size}")
                evidence.append(EvidenceItem(event_id=int(ctx.events.id[indices[0]]), detail=[
                    f"first of {indices.size} personal-channel contacts with unresolved {shown}"]))
            more = f" and {len(strangers) - 5} more" if len(strangers) > 5 else ""
            share = s.number("multiple_members_of_public", "unresolved_min_unsocial_share")
            late = f", at least {share:.0%} of them late at night" if share > 0 else ""
            sentence.append(
                f"{wording.plural(len(strangers), 'unresolved identifier')} with"
                f" {s.number('multiple_members_of_public', 'unresolved_min_personal_contacts'):g}"
                f" or more personal-channel contacts each{late} ({'; '.join(listed)}{more}),"
                f" who may be further members of the public")
        explanation = f"The officer shows similar indicators with {wording.join(sentence)}."
        starts = [c.start for markers in by_member.values() for c in markers]
        ends = [c.end for markers in by_member.values() for c in markers]
        for _, indices in strangers:
            starts.append(int(ctx.events.at[indices[0]]))
            ends.append(int(ctx.events.at[indices[-1]]))
        severity = "high" if people >= high_from else "medium"
        result.append(Candidate("multiple_members_of_public", severity, min(starts), max(ends),
                                officer, None, evidence, explanation))
    return result
