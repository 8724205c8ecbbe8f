"""Channel rules: contact moving to personal channels, and contact with no duty link."""

from __future__ import annotations

import numpy as np

from workbench.analysis import wording
from workbench.analysis.candidates import Candidate
from workbench.analysis.context import Context
from workbench.analysis.loader import personal_mask, work_mask
from workbench.analysis.rules_lookups import lookup_pairs


def _further(count: int) -> str:
    if count == 0:
        return "no further personal-channel contact is recorded"
    return f"{wording.plural(count, 'further personal-channel contact')} follow" + \
        ("s" if count == 1 else "")


def channel_shift(ctx: Context) -> list[Candidate]:
    """Contact that began on the work phone and continues on a personal channel."""
    personal_all, work_all = personal_mask(ctx.events), work_mask(ctx.events)
    found = []
    for (officer, member), indices in ctx.pairs.items():
        personal, work = personal_all[indices], work_all[indices]
        if not work.any():
            continue
        first_work = int(np.argmax(work))
        later_personal = np.flatnonzero(personal & (np.arange(indices.size) > first_work))
        if later_personal.size == 0:
            continue
        first = int(later_personal[0])
        if personal[:first].any():
            continue  # the personal channel came first: personal_channel_contact says so
        last_work = int(np.flatnonzero(work[:first])[-1])
        following = later_personal[1:]
        at = ctx.events.at
        shift_to = indices[first]
        explanation = (
            f"First contact on {wording.channel_text(ctx.channel_of(shift_to), ctx.officer_identifier(shift_to))}"
            f" {wording.days_between(at[indices[last_work]], at[shift_to])} after the last"
            f" work-phone contact with {ctx.label(member)}; {_further(following.size)}."
        )
        chosen = [indices[last_work], shift_to, *indices[following]]
        roles = {int(indices[last_work]): "last work-phone contact before the change",
                 int(shift_to): "first contact on a personal channel"}

        def detail(i: int, roles: dict[int, str] = roles) -> list[str]:
            return [roles.get(int(i), "further personal-channel contact"), ctx.describe(int(i))]

        evidence = ctx.evidence(chosen, detail)
        found.append(Candidate("channel_shift", ctx.settings.severity("channel_shift"),
                               int(at[shift_to]), int(at[indices[later_personal[-1]]]), officer,
                               member, evidence, explanation))
    return found


def personal_channel_contact(ctx: Context) -> list[Candidate]:
    """Personal-channel contact with a member of the public, with no work-channel contact first."""
    personal_all, work_all = personal_mask(ctx.events), work_mask(ctx.events)
    found = []
    for (officer, member), indices in ctx.pairs.items():
        personal = np.flatnonzero(personal_all[indices])
        if personal.size == 0:
            continue
        first = int(personal[0])
        if work_all[indices[:first]].any():
            continue  # work channel first: that is channel_shift
        at = ctx.events.at
        start = indices[first]
        engagements = ctx.engagements(officer, member)
        duty = (f"met through the {engagements[0].title()}" if engagements
                else "with whom no engagement is recorded")
        explanation = (
            f"First contact with {ctx.label(member)}, {duty}, is on"
            f" {wording.channel_text(ctx.channel_of(start), ctx.officer_identifier(start))}"
            f" on {wording.day(at[start], ctx.tz)}, with no earlier work-channel contact;"
            f" {_further(personal.size - 1)}."
        )
        evidence = ctx.evidence(indices[personal], lambda i: [
            "personal-channel contact", ctx.describe(int(i))])
        found.append(Candidate("personal_channel_contact",
                               ctx.settings.severity("personal_channel_contact"), int(at[start]),
                               int(at[indices[personal[-1]]]), officer, member, evidence,
                               explanation))
    return found


def no_duty_link(ctx: Context) -> list[Candidate]:
    """Contact or look-ups with a member of the public the officer has no engagement with."""
    lookups = lookup_pairs(ctx)
    found = []
    for pair in sorted(set(ctx.pairs) | set(lookups)):
        officer, member = pair
        if ctx.engagements(officer, member):
            continue
        contacts = ctx.pairs.get(pair, np.empty(0, np.int64))
        searched = lookups[pair].indices if pair in lookups else np.empty(0, np.int64)
        every = np.sort(np.concatenate([contacts, searched]))
        at = ctx.events.at
        parts = []
        if contacts.size:
            kinds = ctx.kinds_summary(contacts)
            parts.append(f"{wording.plural(contacts.size, 'contact')} ({kinds})")
        if searched.size:
            parts.append(wording.plural(searched.size, "police-system look-up"))
        explanation = (
            f"{wording.join(parts)} with {ctx.label(member)}"
            f" {wording.span(at[every[0]], at[every[-1]], ctx.tz)}, and no recorded engagement"
            f" between the officer and {ctx.label(member)}."
        )
        evidence = ctx.evidence(every, lambda i: [ctx.describe(int(i))])
        found.append(Candidate("no_duty_link", ctx.settings.severity("no_duty_link"),
                               int(at[every[0]]), int(at[every[-1]]), officer, member, evidence,
                               explanation))
    return found
