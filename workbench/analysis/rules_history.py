"""History rules: prior intelligence about the officer, and clusters of complaints."""

from __future__ import annotations

from datetime import date, datetime, time

from workbench.analysis import wording
from workbench.analysis.candidates import Candidate, EvidenceItem
from workbench.analysis.context import Context
from workbench.timeutil import format_day, local_to_utc


def _epoch(day: date, ctx: Context) -> int:
    return int(local_to_utc(datetime.combine(day, time()), ctx.tz)[0].timestamp())


def prior_intelligence(ctx: Context) -> list[Candidate]:
    """Intelligence reports about the officer submitted before the investigation opened."""
    found = []
    opened = ctx.data.opened
    for person in ctx.data.people.values():
        if person.role != "subject":
            continue
        reports = [r for r in ctx.data.intel
                   if r.subject_id == person.id and (opened is None or r.submitted < opened)]
        if not reports:
            continue
        # Reports under handling conditions are counted, never identified: the explanation
        # travels into open bundles and onto the conference screen.
        open_reports = [r for r in reports if not r.restricted]
        restricted = len(reports) - len(open_reports)
        parts = [f"{r.urn} ({r.grading} under {r.scheme}, submitted {format_day(r.submitted)})"
                 for r in open_reports]
        if restricted:
            parts.append(f"{wording.plural(restricted, 'further report')} under handling "
                         "conditions (identified only in the internal record)")
        listed = wording.join(parts)
        one = len(reports) == 1
        if opened:
            verb = "predates" if one else "predate"
            before = f"{verb} the investigation (opened {format_day(opened)})"
        else:
            before = f"{'is' if one else 'are'} held (the case has no opening date, so all count)"
        noun = wording.plural(len(reports), "intelligence report")
        explanation = f"{noun} about the officer {before}: {listed}."
        evidence = [EvidenceItem(intel_id=r.id, detail=[
            f"URN {r.urn}", f"graded {r.grading} ({r.scheme})",
            f"submitted {format_day(r.submitted)}"]) for r in reports]
        found.append(Candidate("prior_intelligence", ctx.settings.severity("prior_intelligence"),
                               _epoch(reports[0].submitted, ctx), _epoch(reports[-1].submitted, ctx),
                               person.id, None, evidence, explanation))
    return found


def complaint_cluster(ctx: Context) -> list[Candidate]:
    """Three or more complaints about the officer received within twelve months."""
    minimum = int(ctx.settings.number("complaint_cluster", "min_complaints"))
    window = int(ctx.settings.number("complaint_cluster", "window_days"))
    found = []
    for person in ctx.data.people.values():
        if person.role != "subject":
            continue
        complaints = sorted((c for c in ctx.data.complaints if c.subject_id == person.id),
                            key=lambda c: (c.received, c.id))
        # Windows of `window` days holding enough complaints; overlapping ones merge.
        clusters: list[list[int]] = []
        for first in range(len(complaints)):
            last = first
            while (last + 1 < len(complaints)
                   and (complaints[last + 1].received - complaints[first].received).days < window):
                last += 1
            if last - first + 1 < minimum:
                continue
            if clusters and first <= clusters[-1][1]:
                clusters[-1][1] = max(clusters[-1][1], last)
            else:
                clusters.append([first, last])
        for first, last in clusters:
            chosen = complaints[first:last + 1]
            months = "twelve months" if window == 365 else f"{window} days"
            explanation = (
                f"{len(chosen)} complaints about the officer were received within {months} or"
                f" less of each other, between {format_day(chosen[0].received)} and"
                f" {format_day(chosen[-1].received)} (references"
                f" {wording.join([c.reference for c in chosen])})."
            )
            evidence = [EvidenceItem(complaint_id=c.id, detail=[
                f"complaint {c.reference}", f"received {format_day(c.received)}",
                *([f"category: {c.category}"] if c.category else []),
                *([f"outcome: {c.outcome}"] if c.outcome else [])]) for c in chosen]
            found.append(Candidate("complaint_cluster", ctx.settings.severity("complaint_cluster"),
                                   _epoch(chosen[0].received, ctx), _epoch(chosen[-1].received, ctx),
                                   person.id, None, evidence, explanation))
    return found
