"""Discovery: unresolved identifiers ranked by how much they look like further members of the public.

Published cases found further victims through billing enquiries ("significant
contact with other women"). This ranks every unattributed number or account in
contact with the officer's devices by volume, personal-channel, night and
off-duty share, likeness to the known members of the public's contact pattern,
and whether contact began soon after a police-system look-up or an engagement.
Each candidate carries the reasons for its rank; the ranking is a lead for the
investigator, not a conclusion.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.analysis.clock import local_hour
from workbench.casegraph import load_contact_events, off_duty_mask
from workbench.facts import night_hours, night_mask
from workbench.identifiers import display_phone
from workbench.model import Case, Identifier
from workbench.model.vocab import PERSONAL_CHANNELS
from workbench.store import Store
from workbench.store.queries import find_case
from workbench.tasks import CancelToken, Progress, no_progress
from workbench.timeutil import format_local, zone

SOON_AFTER = timedelta(days=14)  # an engagement this recent may explain how they met
LOOKUP_WINDOW = timedelta(days=2)  # a look-up this soon before first contact may explain the number
LONG_STANDING = timedelta(days=30)  # contact present this early in the records is not new
WEIGHTS = {"volume": 0.25, "personal": 0.10, "night": 0.20, "off_duty": 0.10, "new": 0.20,
           "likeness": 0.05, "soon_after": 0.10}


@dataclass
class Candidate:
    identifier_id: int
    kind: str
    value: str  # as stored: phones in E.164 (machine-readable output uses this form)
    display: str  # as a person reads it: ``07700 900499``
    contacts: int
    first: datetime
    last: datetime
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {"identifier": self.identifier_id, "kind": self.kind, "value": self.value,
                "display": self.display, "score": round(self.score, 3), "contacts": self.contacts,
                "first": self.first.isoformat(), "last": self.last.isoformat(),
                "reasons": self.reasons}


def _profile(hours: np.ndarray, personal: np.ndarray, night: np.ndarray, off: np.ndarray) -> np.ndarray:
    """A contact pattern: the hour-of-day spread plus personal, night and off-duty shares."""
    histogram = np.bincount(hours, minlength=24).astype(float)
    histogram /= max(histogram.sum(), 1.0)
    return np.concatenate([histogram, [personal.mean(), night.mean(), off.mean()]])


def _best_likeness(profiles: np.ndarray, known: list[np.ndarray]) -> np.ndarray:
    """Each profile's highest cosine similarity to a known member of the public's (0 if none)."""
    if not known:
        return np.zeros(len(profiles))
    def unit(matrix: np.ndarray) -> np.ndarray:
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)
    return (unit(profiles) @ unit(np.array(known)).T).max(axis=1)


def discover(session: Session, case: Case, cancel: CancelToken | None = None) -> list[Candidate]:
    """Unresolved identifiers in contact with the subject(s), best candidates first.

    ``cancel`` is checked once the events are read (a closing window stops a ranking).
    """
    identifiers = {i.id: i for i in session.scalars(select(Identifier).where(Identifier.case_id == case.id))}
    subject_ids = {i.id for i in identifiers.values() if i.person and i.person.role == "subject"}
    if not subject_ids:
        return []
    events = load_contact_events(session, case)
    if cancel is not None:
        cancel.check()
    if len(events.event_id) == 0:
        return []
    tz = zone(case.timezone)
    hours = local_hour(events.epoch, tz)
    night = night_mask(events.epoch, tz)
    off = off_duty_mask(session, case, events.epoch)
    personal = np.isin(events.channel, list(PERSONAL_CHANNELS)) | (events.channel == "personal_mobile")
    subject_arr = np.array(sorted(subject_ids))
    from_subject = np.isin(events.from_id, subject_arr)
    to_subject = np.isin(events.to_id, subject_arr)
    lookup = events.channel == "police_system"
    # Look-ups are not contact: they only date when the officer may have found a number.
    counterpart = np.where(lookup, -1, np.where(from_subject, events.to_id,
                                                np.where(to_subject, events.from_id, -1)))

    known = [i for i in identifiers.values() if i.person and i.person.role == "member_of_public"]
    known_profiles = []
    for person_id in {i.person_id for i in known}:
        mask = np.isin(counterpart, [i.id for i in known if i.person_id == person_id])
        if mask.sum() >= 5:
            known_profiles.append(_profile(hours[mask], personal[mask], night[mask], off[mask]))

    # Look-ups of records attributed to nobody in the case: someone new the officer looked up.
    unattributed = np.array([i.id for i in identifiers.values()
                             if i.kind == "police_record" and i.person_id is None] or [-2])
    lookups = sorted(events.epoch[lookup & from_subject & np.isin(events.to_id, unattributed)].tolist())
    records_start = int(events.epoch[from_subject | to_subject].min())
    engagement_starts = sorted(int(e.started.timestamp()) for e in case.engagements
                               if e.officer.role == "subject")
    unresolved = sorted((i for i in identifiers.values() if i.person_id is None), key=lambda i: i.id)
    if not unresolved:
        return []
    # Each contact event's row among the unresolved identifiers, then every feature
    # by one pass over the events (not one pass per identifier: a year of billing has
    # thousands of numbers).
    ids = np.array([i.id for i in unresolved], dtype=np.int64)
    at = np.clip(np.searchsorted(ids, counterpart), 0, len(ids) - 1)
    hit = ids[at] == counterpart
    rows, epochs = at[hit], events.epoch[hit]
    size = len(ids)
    counts = np.bincount(rows, minlength=size)
    divisor = np.maximum(counts, 1)
    shares = {name: np.bincount(rows, weights=values[hit].astype(float), minlength=size) / divisor
              for name, values in (("personal", personal), ("night", night), ("off_duty", off))}
    firsts = np.full(size, np.iinfo(np.int64).max, dtype=np.int64)
    lasts = np.full(size, np.iinfo(np.int64).min, dtype=np.int64)
    np.minimum.at(firsts, rows, epochs)
    np.maximum.at(lasts, rows, epochs)
    histograms = np.bincount(rows * 24 + hours[hit], minlength=size * 24).reshape(size, 24) / divisor[:, None]
    profiles = np.column_stack([histograms, shares["personal"], shares["night"], shares["off_duty"]])
    likeness = _best_likeness(profiles, known_profiles)
    top_volume = int(counts.max(initial=0))
    start_hour, end_hour = night_hours()
    night_words = f"between {start_hour:02d}:00 and {end_hour:02d}:00"
    candidates = []
    for row in np.flatnonzero(counts).tolist():
        ident, count = unresolved[row], int(counts[row])
        first_epoch = int(firsts[row])
        first = datetime.fromtimestamp(first_epoch, UTC)
        candidate = Candidate(ident.id, ident.kind, ident.value,
                              display_phone(ident.value) if ident.kind == "phone" else ident.display,
                              count, first, datetime.fromtimestamp(int(lasts[row]), UTC))
        scores = {
            "volume": math.log1p(count) / math.log1p(top_volume) if top_volume else 0.0,
            "personal": float(shares["personal"][row]),
            "night": float(shares["night"][row]),
            "off_duty": float(shares["off_duty"][row]),
            "new": min(max((first_epoch - records_start) / LONG_STANDING.total_seconds(), 0.0), 1.0),
            "likeness": float(likeness[row]),
        }
        candidate.reasons.append(f"{count} contacts with the officer's devices between "
                                 f"{format_local(first, tz)} and {format_local(candidate.last, tz)}")
        for name, text in (("personal", "on personal channels"), ("night", night_words),
                           ("off_duty", "while the officer was rostered off duty")):
            if scores[name] >= 0.25:
                candidate.reasons.append(f"{scores[name]:.0%} of contact {text}")
        if scores["new"] >= 1.0:
            days = (first_epoch - records_start) // 86400
            candidate.reasons.append(f"a new contact: it begins {days} days into the officer's records")
        if scores["likeness"] >= 0.95:
            candidate.reasons.append(f"contact pattern resembles that with a known member of the public "
                                     f"(similarity {scores['likeness']:.2f})")
        scores["soon_after"] = _soon_after(first_epoch, lookups, engagement_starts, candidate, tz)
        candidate.score = sum(WEIGHTS[name] * value for name, value in scores.items())
        candidates.append(candidate)
    candidates.sort(key=lambda c: (-c.score, -c.contacts, c.identifier_id))
    return candidates


def _soon_after(first: int, lookups: list[int], engagements: list[int], candidate: Candidate,
                tz: object) -> float:
    window = int(LOOKUP_WINDOW.total_seconds())
    span = (lookups[-1] - lookups[0]) if len(lookups) > 1 else 0
    # An officer who looks people up every shift has a look-up before any first contact;
    # only a sparse look-up record can date one.
    sparse = span > 0 and len(lookups) * window / span < 0.5
    before = [t for t in lookups if 0 <= first - t <= window] if sparse else []
    if before:
        days = (first - before[-1]) / 86400
        candidate.reasons.append(f"first contact {days:.0f} days after the officer looked up a police "
                                 "record of someone not attributed in the case")
        return 1.0
    started = [t for t in engagements if 0 <= first - t <= SOON_AFTER.total_seconds()]
    if started:
        days = (first - started[-1]) / 86400
        candidate.reasons.append(f"first contact {days:.0f} days after the start of one of the officer's engagements")
        return 0.7
    return 0.0


def rank_leads(store: Store, case_ref: str, progress: Progress = no_progress,
               cancel: CancelToken | None = None) -> dict[int, Candidate]:
    """:func:`discover` in its own session, keyed by identifier (for a worker thread)."""
    progress(0.0, "Ranking unattributed identifiers")
    with store.reader() as session:
        ranked = discover(session, find_case(session, case_ref), cancel)
    progress(1.0, "Ranked unattributed identifiers")
    return {candidate.identifier_id: candidate for candidate in ranked}
