"""Cross-case hits: identifiers of one case that also appear in other cases of the store.

On PostgreSQL the search runs in ``wb_cross_case_hits`` (SECURITY DEFINER, migration
0007), which sees every case but returns a case the caller may not open only as
"a case exists; ask its officer in charge", never its reference or content. On
SQLite the one local investigator sees every case.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import null, select, text
from sqlalchemy.orm import Session, aliased

from workbench.model import Case, Event, Identifier
from workbench.store import Store
from workbench.store.queries import find_case
from workbench.tasks import CancelToken, Progress, no_progress

# The identifiers that trace a person across cases (not display names, not groups).
HIT_KINDS = ("phone", "email", "facebook", "instagram", "snapchat", "whatsapp", "telegram",
             "signal", "police_record", "vehicle", "imei")


@dataclass
class Hit:
    kind: str
    value: str
    cases: list[str] = field(default_factory=list)  # other cases the caller may open
    ask: list[str] = field(default_factory=list)  # one entry per hidden case: whom to ask

    @property
    def count(self) -> int:
        return len(self.cases) + len(self.ask)

    def places(self) -> list[str]:
        """The other cases as the caller may know them: a reference, or whom to ask."""
        return [*self.cases, *(f"a case you cannot open (ask {who})" for who in self.ask)]

    def also_in(self) -> str:
        """``also in 2 other cases``: the count, with no identifier (safe when anonymised)."""
        return f"also in {self.count} other case{'' if self.count == 1 else 's'}"

    def describe(self) -> str:
        return f"{self.kind} {self.value}: {self.also_in()}: {'; '.join(self.places())}"

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "value": self.value, "other_cases": self.count,
                "cases": self.cases, "hidden": [{"ask": who} for who in self.ask]}


def cross_case_hits(session: Session, case: Case) -> list[Hit]:
    """Every identifier of ``case`` also found in another case, most widespread first."""
    if session.get_bind().dialect.name == "postgresql":
        rows = session.execute(text("SELECT kind, value, other_ref, officer "
                                    "FROM wb_cross_case_hits(:case_id)"), {"case_id": case.id})
    else:
        other = aliased(Identifier)
        rows = session.execute(
            select(Identifier.kind, Identifier.value, Case.ref, null())
            .join(other, (other.kind == Identifier.kind) & (other.value == Identifier.value)
                  & (other.case_id != Identifier.case_id))
            .join(Case, Case.id == other.case_id)
            .where(Identifier.case_id == case.id, Identifier.kind.in_(HIT_KINDS)))
    found: dict[tuple[str, str], Hit] = defaultdict(lambda: Hit("", ""))
    for kind, value, other_ref, officer in rows:
        hit = found[(kind, value)]
        hit.kind, hit.value = kind, value
        if other_ref is not None:
            hit.cases.append(other_ref)
        else:
            hit.ask.append(officer or "the unit's supervisor (no officer in charge recorded)")
    for hit in found.values():
        hit.cases.sort()
        hit.ask.sort()
    return sorted(found.values(), key=lambda h: (-h.count, h.kind, h.value))


def touched_by(session: Session, exhibit_id: int) -> list[Identifier]:
    """The identifiers an exhibit's events name (what an import just brought in)."""
    named = select(Event.from_id).where(Event.exhibit_id == exhibit_id).union(
        select(Event.to_id).where(Event.exhibit_id == exhibit_id))
    return list(session.scalars(select(Identifier).where(Identifier.id.in_(named.scalar_subquery()))))


def hits_for_event(store: Store, ref: str, event_id: int, progress: Progress = no_progress,
                   cancel: CancelToken | None = None) -> list[str]:
    """One line per party of an event also found in other cases (no identifier values, so
    it can be shown with anonymisation on). Safe in a worker: it opens its own session."""
    with store.reader() as session:
        case = find_case(session, ref)
        event = session.get(Event, event_id)
        if event is None or event.case_id != case.id:
            return []
        parties = {"sender": event.from_id, "recipient": event.to_id}
        keys: dict[str, tuple[str, str]] = {}
        for role, ident in parties.items():
            party = session.get(Identifier, ident) if ident is not None else None
            if party is not None:
                keys[role] = (party.kind, party.value)
        found = {(h.kind, h.value): h for h in cross_case_hits(session, case)}
    lines = []
    for role, key in keys.items():
        hit = found.get(key)
        if hit is not None:
            lines.append(f"The {role}'s {hit.kind} is also in {hit.count} other "
                         f"case{'s' if hit.count > 1 else ''}: {'; '.join(hit.places())}")
    return lines


@dataclass(frozen=True)
class IdentifierHit:
    """A hit as the app lists it: the case's own identifier (to show it as the case does,
    anonymised or not) and where else it is."""

    identifier_id: int
    hit: Hit


def case_hits(store: Store, ref: str, progress: Progress = no_progress,
              cancel: CancelToken | None = None) -> list[IdentifierHit]:
    """Every identifier of the case found in other cases, with its id in this case.
    Safe in a worker: it opens its own session."""
    progress(0.0, "Looking for this case's identifiers in other cases")
    with store.reader() as session:
        case = find_case(session, ref)
        found = cross_case_hits(session, case)
        wanted = {(h.kind, h.value) for h in found}
        ids = {(kind, value): id_ for id_, kind, value in session.execute(
            select(Identifier.id, Identifier.kind, Identifier.value)
            .where(Identifier.case_id == case.id, Identifier.kind.in_(HIT_KINDS)))
            if (kind, value) in wanted}
    return [IdentifierHit(ids[(h.kind, h.value)], h) for h in found if (h.kind, h.value) in ids]
