"""Timing rules: contact off duty by the roster, at unsocial hours, after closure."""

from __future__ import annotations

from collections import Counter

import numpy as np

from workbench.analysis import wording
from workbench.analysis.candidates import Candidate
from workbench.analysis.clock import DAY, day_to_date
from workbench.analysis.context import Context, DutyStatus
from workbench.analysis.loader import EngagementInfo
from workbench.duty import OFF_DUTY
from workbench.facts import is_night_hour
from workbench.model.vocab import WORK_CHANNELS


def _contacts(ctx: Context, indices: np.ndarray, member: int) -> str:
    kinds = ctx.kinds_summary(indices)
    return f"{wording.plural(indices.size, 'contact')} with {ctx.label(member)} ({kinds})"


def _off_duty_reason(ctx: Context, duty: DutyStatus, positions: np.ndarray) -> str:
    """Which roster entries put the officer off duty, in words."""
    stretches = sorted({(bool(duty.between[p]), int(duty.entry[p])) for p in positions},
                       key=lambda item: item[1])
    if len(stretches) == 1:
        between, entry = stretches[0]
        shift = duty.shifts[entry]
        if not between:
            return f"({shift.duty_type}, {shift.source})"
        following = duty.shifts[entry + 1] if entry + 1 < len(duty.shifts) else None
        return (f"between shifts (the shift ending {wording.moment(shift.end, ctx.tz)},"
                f" {shift.source}"
                + (f"; the next starting {wording.moment(following.start, ctx.tz)})"
                   if following else ")"))
    kinds = Counter("between shifts" if between else duty.shifts[entry].duty_type
                    for between, entry in stretches)
    listed = wording.join([f"{n} {kind}" for kind, n in kinds.most_common()])
    return f"in {len(stretches)} separate off-duty periods ({listed})"


def _off_duty_detail(ctx: Context, duty: DutyStatus, position: int, index: int) -> list[str]:
    shift = duty.shifts[int(duty.entry[position])]
    why = (f"between shifts (after the shift in {shift.source})" if duty.between[position]
           else f"{shift.duty_type} ({shift.source})")
    return [f"off duty by the roster: {why}", ctx.describe(index)]


def _all_work_contact_in_open_matter(ctx: Context, officer: int, member: int,
                                     chosen: np.ndarray) -> EngagementInfo | None:
    """The open engagement, when every contact is on a work channel while it was open."""
    if not np.all(ctx.events.is_channel(WORK_CHANNELS)[chosen]):
        return None
    times = ctx.events.at[chosen]
    for engagement in ctx.engagements(officer, member):
        end = engagement.concluded if engagement.concluded is not None else np.iinfo(np.int64).max
        if np.all((times >= engagement.started) & (times <= end)):
            return engagement
    return None


def off_duty_contact(ctx: Context) -> list[Candidate]:
    """Contact while the roster has the officer off duty; one marker per episode."""
    found = []
    at = ctx.events.at
    for (officer, member), indices in ctx.pairs.items():
        duty = ctx.duty_status(officer, at[indices])
        # A record known only to the day cannot be placed against the roster's hours.
        off_positions = np.flatnonzero((duty.status == OFF_DUTY)
                                       & ~ctx.events.date_only[indices])
        position_of = {int(indices[p]): int(p) for p in off_positions}
        for chosen in ctx.episodes(indices[off_positions]):
            positions = np.array([position_of[int(i)] for i in chosen], dtype=np.int64)
            severity = ctx.settings.severity("off_duty_contact")
            work_matter = _all_work_contact_in_open_matter(ctx, officer, member, chosen)
            explanation = (
                f"{_contacts(ctx, chosen, member)} {wording.span(at[chosen[0]], at[chosen[-1]], ctx.tz)}"
                f" while the officer was off duty by the roster"
                f" {_off_duty_reason(ctx, duty, positions)}"
                + (f"; all of it on the work channel during the open {work_matter.title()}"
                   f" (overtime off the roster may explain it)." if work_matter else ".")
            )
            if work_matter:
                severity = str(ctx.settings.value("off_duty_contact",
                                                  "work_channel_open_matter_severity"))

            def detail(i: int, duty: DutyStatus = duty,
                       where: dict[int, int] = position_of) -> list[str]:
                return _off_duty_detail(ctx, duty, where[int(i)], int(i))

            evidence = ctx.evidence(chosen, detail)
            found.append(Candidate("off_duty_contact", severity,
                                   int(at[chosen[0]]), int(at[chosen[-1]]), officer, member,
                                   evidence, explanation))
    return found


def unsocial_hours(ctx: Context) -> list[Candidate]:
    """Contact late at night in the case timezone; one marker per run of nights."""
    start_hour = int(ctx.settings.number("unsocial_hours", "start_hour"))
    end_hour = int(ctx.settings.number("unsocial_hours", "end_hour"))
    medium_from = ctx.settings.number("unsocial_hours", "medium_from_contacts")
    hours = f"unsocial hours are {start_hour:02d}:00 to {end_hour:02d}:00, {ctx.data.tz.key}"
    found = []
    at = ctx.events.at
    for (officer, member), indices in ctx.pairs.items():
        local = ctx.local[indices]
        hour = (local % DAY) // 3600
        # A record known only to the day has no hour: it is never "late at night".
        late = is_night_hour(hour, (start_hour, end_hour)) & ~ctx.events.date_only[indices]
        # The night a contact belongs to is the date of its evening (01:00 is "last night").
        night_of = dict(zip((int(i) for i in indices), (local - end_hour * 3600) // DAY,
                            strict=True))
        for chosen in ctx.episodes(indices[late]):
            nights = sorted({int(night_of[int(i)]) for i in chosen})
            if len(nights) == 1:
                when = (f"at {wording.clock(at[chosen[0]], ctx.tz)}" if chosen.size == 1 else
                        f"between {wording.clock(at[chosen[0]], ctx.tz)} and"
                        f" {wording.clock(at[chosen[-1]], ctx.tz)}")
                when += f" on the night of {day_to_date(nights[0]):%d/%m/%Y}"
            else:
                when = (f"on {len(nights)} nights between {day_to_date(nights[0]):%d/%m/%Y}"
                        f" and {day_to_date(nights[-1]):%d/%m/%Y}")
            explanation = f"{_contacts(ctx, chosen, member)} late at night {when} ({hours})."
            severity = ("medium" if chosen.size >= medium_from
                        else ctx.settings.severity("unsocial_hours"))
            evidence = ctx.evidence(chosen, lambda i: [
                f"local time {wording.clock(at[int(i)], ctx.tz)}", ctx.describe(int(i))])
            found.append(Candidate("unsocial_hours", severity, int(at[chosen[0]]),
                                   int(at[chosen[-1]]), officer, member, evidence, explanation))
    return found


def post_closure_contact(ctx: Context) -> list[Candidate]:
    """Contact after an engagement concluded (and before any later one between the two)."""
    grace = ctx.settings.number("post_closure_contact", "grace_hours") * 3600
    found = []
    at = ctx.events.at
    for (officer, member), indices in ctx.pairs.items():
        engagements = sorted(ctx.engagements(officer, member), key=lambda e: e.started)
        times = at[indices]
        still_open = ctx.open_engagement(officer, member, times)
        for number, engagement in enumerate(engagements):
            if engagement.concluded is None:
                continue
            later = [e.started for e in engagements[number + 1:] if e.started > engagement.concluded]
            until = min(later) if later else np.iinfo(np.int64).max
            after = (times > engagement.concluded + grace) & (times < until) & ~still_open
            if not after.any():
                continue
            chosen = indices[after]
            explanation = (
                f"{_contacts(ctx, chosen, member)} after the {engagement.title()} concluded on"
                f" {wording.day(engagement.concluded, ctx.tz)}: the first"
                f" {wording.days_between(engagement.concluded, at[chosen[0]])} after closure,"
                f" the last on {wording.day(at[chosen[-1]], ctx.tz)}."
            )

            def detail(i: int, e: EngagementInfo = engagement) -> list[str]:
                return [f"{wording.days_between(e.concluded or 0, at[int(i)])} after closure",
                        ctx.describe(int(i))]

            evidence = ctx.evidence(chosen, detail)
            found.append(Candidate("post_closure_contact",
                                   ctx.settings.severity("post_closure_contact"),
                                   int(at[chosen[0]]), int(at[chosen[-1]]), officer, member,
                                   evidence, explanation))
    return found
