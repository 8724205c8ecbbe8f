"""Place rules: the officer's vehicle stopping near a member of the public's home."""

from __future__ import annotations

import numpy as np

from workbench.analysis import wording
from workbench.analysis.candidates import Candidate
from workbench.analysis.context import Context
from workbench.geo import distances_m


def vehicle_dwell(ctx: Context) -> list[Candidate]:
    """Vehicle stops within a home's radius with no open engagement; one marker an episode."""
    s = ctx.settings
    default_radius = s.number("vehicle_dwell", "default_radius_m")
    min_dwell = s.number("vehicle_dwell", "min_dwell_minutes") * 60
    events = ctx.events
    stops = np.flatnonzero(events.is_kind("vehicle_stop") & (events.officer >= 0)
                           & ~np.isnan(events.lat) & ~np.isnan(events.lon))
    if stops.size == 0:
        return []
    long_enough = np.isnan(events.duration[stops]) | (events.duration[stops] >= min_dwell)
    stops = stops[long_enough]
    found = []
    for place in ctx.data.places:
        if place.person_id is None or not ctx.data.is_member(place.person_id):
            continue
        member = place.person_id
        radius = place.radius_m if place.radius_m and place.radius_m > 0 else default_radius
        metres = distances_m(events.lat[stops], events.lon[stops], place.lat, place.lon)
        near = stops[metres <= radius]
        near_metres = dict(zip((int(i) for i in near), metres[metres <= radius], strict=True))
        for officer in np.unique(events.officer[near]):
            mine = near[events.officer[near] == officer]
            mine = mine[~ctx.open_engagement(int(officer), member, events.at[mine])]
            for chosen in ctx.episodes(mine):
                vehicle = ctx.data.identifiers.get(int(events.from_id[chosen[0]]))
                vehicle_text = f" ({vehicle.display})" if vehicle else ""
                lengths = events.duration[chosen]
                longest = ("" if np.all(np.isnan(lengths)) else
                           f" for {wording.days_between(0, int(np.nanmax(lengths)))}"
                           if chosen.size == 1 else
                           f", the longest {wording.days_between(0, int(np.nanmax(lengths)))}")
                days = {wording.day(events.at[i], ctx.tz) for i in chosen}
                if len(days) == 1:
                    times = ", ".join(wording.clock(events.at[i], ctx.tz) for i in chosen[:6])
                    when = f"on {wording.day(events.at[chosen[0]], ctx.tz)} ({times}{longest})"
                else:
                    when = (f"on {len(days)} days"
                            f" {wording.span(events.at[chosen[0]], events.at[chosen[-1]], ctx.tz)}"
                            f"{longest.replace(' for ', ', the longest ')}")
                stopped = "stopped" if chosen.size == 1 else f"stopped {chosen.size} times"
                explanation = (
                    f"The officer's vehicle{vehicle_text} {stopped} within"
                    f" {min(near_metres[int(i)] for i in chosen):.0f} m of {ctx.label(member)}'s"
                    f" {place.label.lower()} {when}, with no open engagement with"
                    f" {ctx.label(member)}."
                )

                def detail(i: int, near_metres: dict[int, float] = near_metres,
                           label: str = place.label.lower()) -> list[str]:
                    length = events.duration[i]
                    stay = (f", stopped {wording.days_between(0, int(length))}"
                            if not np.isnan(length) else "")
                    return [f"{near_metres[i]:.0f} m from {label}{stay}",
                            ctx.describe(i)]

                evidence = ctx.evidence(chosen, detail)
                found.append(Candidate("vehicle_dwell", s.severity("vehicle_dwell"),
                                       int(events.at[chosen[0]]), int(events.at[chosen[-1]]),
                                       int(officer), member, evidence, explanation))
    return found
