"""What every rule shares: the case arrays, thresholds, pairs, roster and engagement state.

A *pair* is the officer under investigation and one member of the public; the
rules look at each pair's contact on its own, so one person's pattern is never
mixed with another's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from workbench.analysis import wording
from workbench.analysis.candidates import EvidenceItem
from workbench.analysis.clock import local_seconds
from workbench.analysis.lexicon import Hit, Lexicon
from workbench.analysis.loader import (
    CHANNEL,
    CONTACT_KINDS,
    KIND,
    CaseData,
    EngagementInfo,
    ShiftInfo,
)
from workbench.analysis.settings import Settings
from workbench.duty import DutyThresholds, duty_status
from workbench.model.vocab import CHANNELS, EVENT_KINDS

CHANNEL_NAME = {code: name for name, code in CHANNEL.items()}
KIND_NAME = {code: name for name, code in KIND.items()}


@dataclass
class DutyStatus:
    """Per-event duty status by the roster, and the roster entry that says so."""

    status: np.ndarray  # ON_DUTY, OFF_DUTY or UNKNOWN_DUTY
    entry: np.ndarray  # index into the officer's sorted shifts, -1 when none
    between: np.ndarray  # True when off duty because it falls between two entries
    shifts: list[ShiftInfo]


class Context:
    """The case data plus everything derived once and shared by the rules."""

    def __init__(self, data: CaseData, settings: Settings, lexicon: Lexicon) -> None:
        self.data = data
        self.settings = settings
        self.lexicon = lexicon
        self.events = data.events
        self.tz = data.tz
        self.cache: dict[str, object] = {}  # results one rule computes and another reuses

    # --- event selections -------------------------------------------------------------

    @cached_property
    def contact(self) -> np.ndarray:
        """Contact events (calls, messages, visits...) attributed to an officer."""
        return self.events.is_kind(*CONTACT_KINDS) & (self.events.officer >= 0)

    @cached_property
    def member_ids(self) -> np.ndarray:
        return np.array(sorted(p.id for p in self.data.people.values()
                               if p.role == "member_of_public"), dtype=np.int64)

    @cached_property
    def pairs(self) -> dict[tuple[int, int], np.ndarray]:
        """(officer, member) -> indices of their contact events, in time order."""
        mask = self.contact & np.isin(self.events.other_person, self.member_ids)
        return self._group(np.nonzero(mask)[0], self.events.other_person)

    def _group(self, indices: np.ndarray, second: np.ndarray) -> dict[tuple[int, int], np.ndarray]:
        if indices.size == 0:
            return {}
        keys = self.events.officer[indices] * (1 << 32) + second[indices]
        order = np.argsort(keys, kind="stable")  # stable: time order within each pair
        indices, keys = indices[order], keys[order]
        bounds = np.flatnonzero(np.diff(keys)) + 1
        groups = {}
        for chunk in np.split(indices, bounds):
            first = chunk[0]
            groups[(int(self.events.officer[first]), int(second[first]))] = chunk
        return groups

    @cached_property
    def local(self) -> np.ndarray:
        """Each event's local wall-clock time, as epoch seconds counted as if UTC."""
        return local_seconds(self.events.at, self.tz)

    def officer_identifier(self, index: int) -> str | None:
        """The officer's own number or account on an event, as people write it."""
        other = int(self.events.other_ident[index])
        mine = int(self.events.to_id[index] if other == int(self.events.from_id[index])
                   else self.events.from_id[index])
        ident = self.data.identifiers.get(mine)
        return wording.identifier_text(ident.kind, ident.value, ident.display) if ident else None

    def channel_of(self, index: int) -> str:
        return CHANNEL_NAME.get(int(self.events.channel[index]), "other")

    def kinds_summary(self, indices: np.ndarray) -> str:
        """``3 calls and 2 messages`` for a set of events."""
        codes, counts = np.unique(self.events.kind[indices], return_counts=True)
        kinds = {KIND_NAME.get(int(c), "other"): int(n) for c, n in zip(codes, counts, strict=True)}
        return wording.counts_summary(kinds)

    def kind_of(self, index: int) -> str:
        return KIND_NAME.get(int(self.events.kind[index]), "other")

    def label(self, person_id: int | None) -> str:
        return self.data.person(person_id).label if person_id is not None else "unknown"

    # --- text -------------------------------------------------------------------------

    def hits(self, index: int) -> list[Hit]:
        return self.lexicon.find_hits(self.events.text[index])

    # --- engagements ------------------------------------------------------------------

    def engagements(self, officer: int, member: int) -> list[EngagementInfo]:
        return [e for e in self.data.engagements
                if e.officer_id == officer and e.member_id == member]

    def open_engagement(self, officer: int, member: int, times: np.ndarray) -> np.ndarray:
        """True where an engagement between the two was open at that time."""
        result = np.zeros(times.shape, dtype=bool)
        for engagement in self.engagements(officer, member):
            end = engagement.concluded if engagement.concluded is not None else np.iinfo(np.int64).max
            result |= (times >= engagement.started) & (times <= end)
        return result

    # --- roster -----------------------------------------------------------------------

    def duty_status(self, officer: int, times: np.ndarray) -> DutyStatus:
        """On duty, off duty or unknown by the roster, for each time.

        On duty inside a rostered shift (with the grace either side); off duty inside
        a rest day or leave entry, or between two entries closer together than the
        roster-gap threshold; unknown anywhere else (a gap in the roster, or before
        or after it), because a missing roster says nothing about the officer.
        """
        shifts = sorted((s for s in self.data.shifts if s.person_id == officer),
                        key=lambda s: (s.start, s.end))
        status, entry, between = duty_status(
            np.array([s.start for s in shifts], dtype=np.int64),
            np.array([s.end for s in shifts], dtype=np.int64),
            np.array([s.on_duty for s in shifts], dtype=bool), times,
            DutyThresholds.of(self.settings))
        return DutyStatus(status, entry, between, shifts)

    def episodes(self, indices: np.ndarray) -> list[np.ndarray]:
        """Split time-ordered event indices where more than the episode gap passes.

        Markers are grouped by episode so that months of nightly contact make one
        marker to review per run of nights, not hundreds.
        """
        if indices.size == 0:
            return []
        gap = self.settings.number("general", "episode_gap_days") * 86_400
        breaks = np.flatnonzero(np.diff(self.events.at[indices]) > gap) + 1
        return np.split(indices, breaks)

    # --- evidence ---------------------------------------------------------------------

    def evidence(self, indices: Iterable[int],
                 detail: Callable[[int], list[str]] | None = None) -> list[EvidenceItem]:
        """Evidence items for events: every one of them (a marker's records are never capped,
        so the bundle's annex lists them all)."""
        return [EvidenceItem(event_id=int(self.events.id[i]), detail=detail(i) if detail else [])
                for i in map(int, indices)]

    def describe(self, index: int) -> str:
        """``call to the officer, 20/03/2021 23:05, the work phone`` for an evidence detail."""
        kind = self.kind_of(index)
        noun = wording.KIND_NOUNS.get(kind, (kind.replace("_", " "),))[0]
        if kind in CONTACT_KINDS:
            noun += " " + {0: "from the officer", 1: "to the officer"}.get(
                int(self.events.direction[index]), "(direction unknown)")
        at = int(self.events.at[index])
        when = (wording.day(at, self.tz) if self.events.date_only[index]
                else wording.moment(at, self.tz))
        return f"{noun}, {when}, {wording.channel_text(self.channel_of(index))}"


assert len(CHANNELS) < 99 and len(EVENT_KINDS) < 99  # the packed codes leave room for "other"
