"""Volume rules: a pair's contact rate rising against its own baseline; bursts of short calls."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from workbench.analysis import wording
from workbench.analysis.candidates import Candidate
from workbench.analysis.clock import DAY, day_to_date
from workbench.analysis.context import Context
from workbench.analysis.loader import CHANNEL, KIND

FROM_OFFICER = 0
CHANNEL_NAME = {code: name for name, code in CHANNEL.items()}


def frequency_escalation(ctx: Context) -> list[Candidate]:
    """The pair's contacts in a rolling window against the pair's own earlier rate.

    Each day's window (the last ``window_days`` days) is compared with the
    ``baseline_days`` before it, scaled to the window's length, so a busy officer
    is compared with their own habit with this person, not with other people.
    """
    s = ctx.settings
    window = int(s.number("frequency_escalation", "window_days"))
    baseline_days = int(s.number("frequency_escalation", "baseline_days"))
    min_history = int(s.number("frequency_escalation", "min_history_days"))
    min_contacts = s.number("frequency_escalation", "min_contacts")
    min_ratio = s.number("frequency_escalation", "min_ratio")
    floor = s.number("frequency_escalation", "min_baseline_per_window")
    high_ratio = s.number("frequency_escalation", "high_ratio")
    found = []
    at = ctx.events.at
    for (officer, member), indices in ctx.pairs.items():
        days = ctx.local[indices] // DAY
        first_day = int(days[0])
        counts = np.bincount(days - first_day)
        total = np.concatenate([[0], np.cumsum(counts)])  # total[i] = contacts before day i
        ends = np.arange(counts.size)  # the window ends on this day (inclusive)
        window_start = np.clip(ends - window + 1, 0, None)
        in_window = total[ends + 1] - total[window_start]
        base_start = np.clip(window_start - baseline_days, 0, None)
        base_length = window_start - base_start
        in_base = total[window_start] - total[base_start]
        rate = np.where(base_length > 0, in_base * window / np.maximum(base_length, 1), 0.0)
        rate = np.maximum(rate, floor)
        ratio = in_window / rate
        firing = ((window_start >= min_history) & (in_window >= min_contacts)
                  & (ratio >= min_ratio))
        if not firing.any():
            continue
        firing_days = np.flatnonzero(firing)
        # Firing days closer than a window apart describe one rise: one marker for it.
        breaks = np.flatnonzero(np.diff(firing_days) > window) + 1
        for run in np.split(firing_days, breaks):
            peak = int(run[np.argmax(ratio[run])])
            span_first = first_day + int(window_start[run[0]])
            span_last = first_day + int(run[-1])
            chosen = indices[(days >= span_first) & (days <= span_last)]
            peak_ratio = float(ratio[peak])
            explanation = (
                f"{wording.plural(int(in_window[peak]), 'contact')} with {ctx.label(member)} in the"
                f" {window} days to {day_to_date(first_day + peak):%d/%m/%Y}, against the pair's"
                f" own earlier rate of {float(rate[peak]):.1f} per {window} days"
                f" ({peak_ratio:.1f} times as many); {wording.plural(chosen.size, 'contact')}"
                f" {wording.span(at[chosen[0]], at[chosen[-1]], ctx.tz)}."
            )
            severity = "high" if peak_ratio >= high_ratio else s.severity("frequency_escalation")
            evidence = ctx.evidence(chosen, lambda i: [ctx.describe(int(i))])
            found.append(Candidate("frequency_escalation", severity, int(at[chosen[0]]),
                                   int(at[chosen[-1]]), officer, member, evidence, explanation))
    return found


def repeated_short_calls(ctx: Context) -> list[Candidate]:
    """Many short or unanswered calls: in bursts, or persistently over days or weeks."""
    bursts, in_bursts = _short_call_bursts(ctx)
    return bursts + _persistent_calling(ctx, in_bursts)


def _short_call_bursts(ctx: Context) -> tuple[list[Candidate], set[int]]:
    """Bursts of very short or unanswered calls between the officer and one person.

    Also gives the short calls the bursts hold, so the persistent form does not mark them again.
    """
    s = ctx.settings
    short_seconds = s.number("repeated_short_calls", "short_call_seconds")
    max_gap = s.number("repeated_short_calls", "max_gap_minutes") * 60
    min_calls = s.number("repeated_short_calls", "min_calls")
    high_from = s.number("repeated_short_calls", "high_from_calls")
    events = ctx.events
    found = []
    in_bursts: set[int] = set()
    for (officer, member), indices in ctx.pairs.items():
        calls = indices[events.kind[indices] == KIND["call"]]
        if calls.size < min_calls:
            continue
        duration = events.duration[calls]
        short = events.unanswered[calls] | (duration < short_seconds)  # NaN (unknown) is not short
        short_calls = calls[short]
        if short_calls.size < min_calls:
            continue
        times = events.at[short_calls]
        breaks = np.flatnonzero(np.diff(times) > max_gap) + 1
        for burst in np.split(short_calls, breaks):
            if burst.size < min_calls:
                continue
            in_bursts.update(int(i) for i in burst)
            first, last = int(events.at[burst[0]]), int(events.at[burst[-1]])
            every = calls[(events.at[calls] >= first) & (events.at[calls] <= last)]
            by_officer = int(np.count_nonzero(events.direction[burst] == FROM_OFFICER))
            same_day = wording.day(first, ctx.tz) == wording.day(last, ctx.tz)
            until = wording.clock(last, ctx.tz) if same_day else wording.moment(last, ctx.tz)
            explanation = (
                f"{wording.plural(every.size, 'call')} between the officer and {ctx.label(member)}"
                f" within {wording.days_between(first, last) if last > first else '1 minute'}"
                f" ({wording.moment(first, ctx.tz)} to {until}),"
                f" {burst.size} of them under {short_seconds:g} seconds or unanswered,"
                f" {by_officer} of those made by the officer."
            )
            severity = "high" if burst.size >= high_from else s.severity("repeated_short_calls")
            evidence = ctx.evidence(every, _call_detail(ctx, burst))
            found.append(Candidate("repeated_short_calls", severity, first, last, officer,
                                   member, evidence, explanation))
    return found, in_bursts


def _persistent_calling(ctx: Context, in_bursts: set[int]) -> list[Candidate]:
    """Many calls over days or weeks, mostly short or unanswered, mostly from the officer.

    The published warning sign (case study 2) is spread thin: 38 calls over ten weeks
    never form a burst, yet together they are persistent, one-sided, mostly unanswered.
    """
    s = ctx.settings
    short_seconds = s.number("repeated_short_calls", "short_call_seconds")
    max_gap = s.number("repeated_short_calls", "persistent_max_gap_days") * 86_400
    min_calls = s.number("repeated_short_calls", "persistent_min_calls")
    min_days = s.number("repeated_short_calls", "persistent_min_days")
    min_short_share = s.number("repeated_short_calls", "persistent_min_short_share")
    min_one_way = s.number("repeated_short_calls", "persistent_min_one_way_share")
    high_from = s.number("repeated_short_calls", "persistent_high_from_calls")
    events = ctx.events
    found = []
    for (officer, member), indices in ctx.pairs.items():
        calls = indices[events.kind[indices] == KIND["call"]]
        if calls.size < min_calls:
            continue
        breaks = np.flatnonzero(np.diff(events.at[calls]) > max_gap) + 1
        for run in np.split(calls, breaks):
            first, last = int(events.at[run[0]]), int(events.at[run[-1]])
            if run.size < min_calls or last - first < min_days * 86_400:
                continue
            short = events.unanswered[run] | (events.duration[run] < short_seconds)
            if sum(int(i) in in_bursts for i in run[short]) * 2 > np.count_nonzero(short):
                continue  # mostly one burst, already marked as such
            by_officer = events.direction[run] == FROM_OFFICER
            if (np.count_nonzero(short) < min_short_share * run.size
                    or np.count_nonzero(by_officer) < min_one_way * run.size):
                continue
            theirs = run.size - int(np.count_nonzero(by_officer))
            channels = {int(c) for c in events.channel[run[by_officer]]}
            phone = (wording.CHANNEL_NAMES.get(CHANNEL_NAME[channels.pop()], "the officer's phone")
                     if len(channels) == 1 else "the officer's phones")
            explanation = (
                f"{wording.plural(int(np.count_nonzero(by_officer)), 'call')} from {phone} to"
                f" {ctx.label(member)} {wording.span(first, last, ctx.tz)}"
                f" (over {wording.days_between(first, last)});"
                f" {int(np.count_nonzero(short))} under {wording.number(short_seconds)} seconds"
                f" or unanswered; {theirs or 'none'} from {ctx.label(member)}."
            )
            severity = ("high" if np.count_nonzero(short) >= high_from
                        else s.severity("repeated_short_calls"))
            evidence = ctx.evidence(run, _call_detail(ctx, run[short]))
            found.append(Candidate("repeated_short_calls", severity, first, last, officer,
                                   member, evidence, explanation))
    return found


def _call_detail(ctx: Context, short_calls: np.ndarray) -> Callable[[int], list[str]]:
    """Each call's evidence line: its length (or "unanswered"), marked when it is short."""
    events = ctx.events
    short_set = set(int(i) for i in short_calls)

    def detail(i: int) -> list[str]:
        length = events.duration[i]
        said = "unanswered" if events.unanswered[i] else (
            f"{length:g} seconds" if not np.isnan(length) else "length not recorded")
        return [("short or unanswered: " if int(i) in short_set else "") + said, ctx.describe(i)]

    return detail
