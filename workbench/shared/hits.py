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

    def describe(self) -> str:
        plural = "case" if self.count == 1 else "cases"
        where = [*self.cases, *(f"a case you cannot open (ask {who})" for who in self.ask)]
        return f"{self.kind} {self.value}: also in {self.count} other {plural}: {'; '.join(where)}"

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


def hits_for_event(store: Store, ref: str, event_id: int) -> list[str]:
    """One line per party of an event also found in other cases (no identifier values, so
    it can be shown with anonymisation on)."""

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
            where = [*hit.cases, *(f"a case you cannot open (ask {who})" for who in hit.ask)]
            lines.append(f"The {role}'s {hit.kind} is also in {hit.count} other "
                         f"case{'s' if hit.count > 1 else ''}: {'; '.join(where)}")
    return lines
