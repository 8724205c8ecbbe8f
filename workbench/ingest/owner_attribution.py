"""Whose side of a chat is whose: link the owner's own sender to the owner after an import.

A WhatsApp export, a Messenger download or an SMS backup names the owner's own messages
by the display name or number on the device, which the case file may not list. When the
owner is given, the owner's sender is linked to them; when it cannot be told which sender
is the owner, the senders are listed (with message counts) for the investigator to choose.
The other party is offered for assignment with the likely person named. Either way the
import notes say what happened: nothing stays silently unattributed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from workbench import audit
from workbench.errors import WorkbenchError
from workbench.model import Case, Event, Exhibit, Identifier, Person
from workbench.store import Store
from workbench.store.queries import find_case

OWNER_KINDS = frozenset({"whatsapp", "messenger", "sms-backup"})
CHAT_WITH = re.compile(r"chat with (.+?)(?:\.txt|\.zip)?$", re.IGNORECASE)


@dataclass(frozen=True)
class Sender:
    """One sender in an exhibit: an identifier and how many messages it sent."""

    identifier_id: int
    kind: str
    display: str
    messages: int
    person_key: str | None


@dataclass
class OwnerAttribution:
    """What the import did about the owner's side (``outcome``) and what is left to ask."""

    outcome: str  # "already", "linked", "ask" or "none"
    owner_key: str
    senders: list[Sender] = field(default_factory=list)
    owner_identifier: int | None = None
    others: list[Sender] = field(default_factory=list)  # unattributed other parties
    likely: dict[int, str] = field(default_factory=dict)  # other identifier -> likely person key
    note: str = ""

    @property
    def needs_asking(self) -> bool:
        """Whether the investigator must be asked: which sender is the owner, or who the
        unattributed other parties are."""
        return self.outcome == "ask" or bool(self.others)


def senders_of(session: Session, exhibit: Exhibit) -> list[Sender]:
    """The exhibit's senders, busiest first."""
    rows = session.execute(
        select(Identifier, func.count(Event.id)).join(Event, Event.from_id == Identifier.id)
        .where(Event.exhibit_id == exhibit.id).group_by(Identifier.id)
        .order_by(func.count(Event.id).desc(), Identifier.id)).all()
    return [Sender(ident.id, ident.kind, ident.display, int(count),
                   ident.person.key if ident.person is not None else None) for ident, count in rows]


def _likely_person(case: Case, display: str, owner: Person) -> str | None:
    """A person (not the owner) whose name starts with, or equals, the display name."""
    wanted = display.casefold().strip()
    if not wanted:
        return None
    for person in case.people:
        if person.id == owner.id:
            continue
        names = {person.name.casefold(), person.name.casefold().split()[0]}
        if wanted in names or person.name.casefold().startswith(wanted):
            return person.key
    return None


def link_owner(session: Session, exhibit: Exhibit, owner: Person, identifier_id: int) -> None:
    """Give the identifier to the owner, and set the exhibit's directions again."""
    ident = session.get(Identifier, identifier_id)
    if ident is None or ident.case_id != exhibit.case_id:
        raise ValueError(f"identifier {identifier_id} is not in this case")
    ident.person_id = owner.id
    session.flush()
    redirect(session, exhibit)


def redirect(session: Session, exhibit: Exhibit) -> None:
    """Directions relative to the officer, from who the parties now are."""
    subjects = select(Identifier.id).join(Person, Identifier.person_id == Person.id).where(
        Person.case_id == exhibit.case_id, Person.role == "subject")
    mine = Event.exhibit_id == exhibit.id
    session.execute(update(Event).where(mine).values(direction="unknown"),
                    execution_options={"synchronize_session": False})
    session.execute(update(Event).where(mine, Event.to_id.in_(subjects)).values(direction="incoming"),
                    execution_options={"synchronize_session": False})
    session.execute(update(Event).where(mine, Event.from_id.in_(subjects)).values(direction="outgoing"),
                    execution_options={"synchronize_session": False})


def attribute_owner(session: Session, case: Case, exhibit: Exhibit, owner: Person,
                    chosen: int | None = None) -> OwnerAttribution:
    """Link the owner's sender to the owner (``chosen``, or the one it must be), or say
    why not; list the other parties with their likely person."""
    senders = senders_of(session, exhibit)
    found = OwnerAttribution("none", owner.key, senders)
    theirs = [s for s in senders if s.person_key == owner.key]
    unattributed = [s for s in senders if s.person_key is None]
    pick = chosen
    if pick is None and not theirs:
        named = CHAT_WITH.search(exhibit.file_name or "")
        other_name = named.group(1).strip().casefold() if named else None
        left = [s for s in unattributed if other_name is None or s.display.casefold() != other_name]
        someone_else = any(s.person_key not in (None, owner.key) for s in senders)
        if len(left) == 1 and (someone_else or other_name is not None or len(senders) == 1):
            pick = left[0].identifier_id
    if theirs and chosen is None:
        found.outcome, found.owner_identifier = "already", theirs[0].identifier_id
        found.note = f"The owner's own messages ({theirs[0].display}) are {owner.key}'s."
    elif pick is not None:
        link_owner(session, exhibit, owner, pick)
        sender = next(s for s in senders if s.identifier_id == pick)
        found.outcome, found.owner_identifier = "linked", pick
        found.note = (f"The owner's own sender “{sender.display}” ({sender.messages} messages) "
                      f"was linked to {owner.key}.")
    elif unattributed:
        found.outcome = "ask"
        listed = "; ".join(f"“{s.display}” ({s.messages})" for s in unattributed)
        found.note = (f"Which sender is {owner.key} could not be told: {listed}. Choose the owner's "
                      "sender in the import dialog, or assign it in People.")
    others = [s for s in unattributed if s.identifier_id != found.owner_identifier]
    found.others = others
    found.likely = {s.identifier_id: key for s in others
                    if (key := _likely_person(case, s.display, owner)) is not None}
    if others and found.outcome != "ask":
        listed = "; ".join(
            f"“{s.display}” ({s.messages})" + (f", likely {found.likely[s.identifier_id]}"
                                               if s.identifier_id in found.likely else "")
            for s in others)
        found.note += f" Still unattributed: {listed}: assign in People."
    return found


def choose_owner_sender(store: Store, case_ref: str, exhibit_ref: str, identifier_id: int) -> str:
    """The investigator says which sender is the exhibit's owner (audited); the new note."""
    with store.session() as session:
        case = find_case(session, case_ref)
        exhibit = session.scalars(select(Exhibit).where(
            Exhibit.case_id == case.id, Exhibit.reference == exhibit_ref)).one()
        owner = session.get(Person, exhibit.owner_id) if exhibit.owner_id else None
        if owner is None:
            raise WorkbenchError(f"exhibit {exhibit_ref} has no owner to attribute")
        found = attribute_owner(session, case, exhibit, owner, chosen=identifier_id)
        audit.append(session, case, "attribute_owner", {
            "exhibit": exhibit_ref, "identifier": identifier_id, "owner": owner.key})
        return found.note
