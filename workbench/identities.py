"""Assigning an identifier to a person (or back to unresolved), re-linking its events.

Events point at identifiers, so assigning an identifier re-links every event
that uses it; the channel and direction of those events are derived again.
The command returns what it replaced, so the app can undo it with the same call.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select, update

from workbench import audit
from workbench.errors import NotFound, WorkbenchError
from workbench.ingest.resolve import Resolved, classify
from workbench.model import Event, Exhibit, Identifier
from workbench.model.vocab import USES
from workbench.store import Store
from workbench.store.queries import find_case


@dataclass(frozen=True)
class Assignment:
    """An identifier's owner and use: what :func:`assign_identifier` sets and returns."""

    identifier_id: int
    person_key: str | None
    use: str


def assign_identifier(
    store: Store, case_ref: str, identifier_id: int, person_key: str | None, use: str | None = None
) -> Assignment:
    """Give the identifier to ``person_key`` (None: unresolved) and re-link its events.

    Returns the previous assignment, so undo is ``assign_identifier(**previous)``.
    """
    with store.session() as session:
        case = find_case(session, case_ref)
        ident = session.get(Identifier, identifier_id)
        if ident is None or ident.case_id != case.id:
            raise NotFound(f"no identifier {identifier_id} in case {case_ref}")
        person = None
        if person_key is not None:
            person = case.person(person_key)
            if person is None:
                raise NotFound(f"no person {person_key!r} in case {case_ref}")
        if use is not None and use not in USES:
            raise WorkbenchError(f"use must be one of {', '.join(USES)}")
        previous = Assignment(ident.id, ident.person.key if ident.person else None, ident.use)
        ident.person_id = person.id if person else None
        ident.person = person
        ident.use = use or ident.use
        session.flush()
        relinked = _relink_events(session, case.id, ident.id)
        audit.append(session, case, "identifier_assign", {
            "identifier": ident.id, "kind": ident.kind, "value": ident.value,
            "from": previous.person_key, "to": person_key, "use": ident.use,
            "events_relinked": relinked,
        })
        return previous


def _relink_events(session, case_id: int, identifier_id: int) -> int:  # type: ignore[no-untyped-def]
    """Derive channel and direction again for every event that uses the identifier."""
    idents = {i.id: i for i in session.scalars(select(Identifier).where(Identifier.case_id == case_id))}

    def resolved(ident_id: int | None) -> Resolved | None:
        ident = idents.get(ident_id) if ident_id else None
        if ident is None:
            return None
        role = ident.person.role if ident.person else None
        return Resolved(ident.id, ident.person_id, role, ident.use)

    owners = dict(session.execute(select(Exhibit.id, Exhibit.owner_id).where(Exhibit.case_id == case_id)).all())
    owner_phone: dict[int, Resolved | None] = {}
    for exhibit_id, owner_id in owners.items():
        phones = [i for i in idents.values() if i.person_id == owner_id and i.kind == "phone"]
        owner_phone[exhibit_id] = resolved(phones[0].id) if owner_id and len(phones) == 1 else None

    rows = session.execute(
        select(Event.id, Event.channel, Event.from_id, Event.to_id, Event.exhibit_id)
        .where(Event.case_id == case_id, or_(Event.from_id == identifier_id, Event.to_id == identifier_id))
    ).all()
    app_channels = {"work_mobile", "personal_mobile", "mobile"}
    for event_id, channel, from_id, to_id, exhibit_id in rows:
        app = None if channel in app_channels else channel
        new_channel, direction = classify(
            app, resolved(from_id), resolved(to_id), owner_phone.get(exhibit_id or 0)
        )
        session.execute(update(Event).where(Event.id == event_id)
                        .values(channel=new_channel, direction=direction))
    return len(rows)
