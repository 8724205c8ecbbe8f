"""Identity resolution: the parties named in records -> the case's identifiers and people."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.errors import ImportRefused
from workbench.identifiers import BadIdentifier, normalise, normalise_name
from workbench.ingest.records import Party
from workbench.model import Case, Identifier, Person
from workbench.model.vocab import IDENTIFIER_KINDS


@dataclass(frozen=True, slots=True)
class Resolved:
    """An identifier as the pipeline needs it: its row, its person and that person's role."""

    identifier_id: int
    person_id: int | None
    role: str | None
    use: str


class Resolver:
    """Matches parties to identifiers, creating unresolved identifiers for strangers."""

    def __init__(self, session: Session, case: Case, owner: str | None = None) -> None:
        self.session = session
        self.case = case
        self.people = {p.id: p for p in case.people}
        self._cache: dict[tuple[str, str], Resolved] = {}
        # Parties as written -> resolved, so a value seen before skips normalising.
        self._as_written: dict[tuple[str, str], Resolved] = {}
        for ident in session.scalars(select(Identifier).where(Identifier.case_id == case.id)):
            self._cache[(ident.kind, ident.value)] = self._resolved(ident)
        self.owner_person, self.owner_value = self._parse_owner(owner)
        self._owner_cache: dict[str, Resolved] = {}
        self.created = 0

    def _resolved(self, ident: Identifier) -> Resolved:
        person = self.people.get(ident.person_id) if ident.person_id else None
        return Resolved(ident.id, ident.person_id, person.role if person else None, ident.use)

    def _parse_owner(self, owner: str | None) -> tuple[Person | None, str | None]:
        if not owner:
            return None, None
        key, _, value = owner.partition(":")
        person = self.case.person(key)
        if person is None:
            known = ", ".join(p.key for p in self.case.people)
            raise ImportRefused(f"--owner {key!r} is not a person in the case (people: {known})")
        return person, value or None

    def resolve(self, party: Party | None) -> Resolved | None:
        """The identifier for a party, creating an unresolved one when nobody matches."""
        if party is None:
            return None
        if party.owner:
            return self.owner_identifier(party.kind)
        written = (party.kind, party.value)
        found = self._as_written.get(written)
        if found is not None:
            return found
        if party.kind not in IDENTIFIER_KINDS:
            raise ImportRefused(f"internal: unknown identifier kind {party.kind!r}")
        try:
            value = normalise(party.kind, party.value)
        except BadIdentifier:
            return None  # an empty or meaningless party is recorded as absent
        found = self._cache.get((party.kind, value))
        if found is None:
            found = self._create(party, value)
        self._as_written[written] = found
        return found

    def _create(self, party: Party, value: str) -> Resolved:
        display = party.value.strip()
        if party.name and party.name.strip() and party.name.strip() != display:
            display = f"{display} ({party.name.strip()})"
        ident = Identifier(
            case_id=self.case.id, kind=party.kind, value=value, display=display[:255], use="unknown"
        )
        self.session.add(ident)
        self.session.flush()
        self.created += 1
        resolved = self._resolved(ident)
        self._cache[(party.kind, value)] = resolved
        return resolved

    def owner_identifier(self, kind: str) -> Resolved:
        """The ``--owner``'s identifier of this kind (the "me" of a device export)."""
        if kind in self._owner_cache:
            return self._owner_cache[kind]
        person = self.owner_person
        if person is None:
            raise ImportRefused("this is a device or account export: say whose with --owner KEY (in the app: "
                                 "Whose device or account)")
        candidates = [i for i in person.identifiers if i.kind == kind]
        if self.owner_value is not None:
            try:
                wanted = normalise(kind, self.owner_value)
            except BadIdentifier as exc:
                raise ImportRefused(f"--owner value: {exc}") from exc
            candidates = [i for i in candidates if i.value == wanted]
        if not candidates:
            raise ImportRefused(
                f"--owner {person.key} has no {kind} identifier"
                + (f" {self.owner_value}" if self.owner_value else "")
                + " in the case file"
            )
        if len(candidates) > 1:
            listed = ", ".join(i.display for i in candidates)
            raise ImportRefused(
                f"--owner {person.key} has {len(candidates)} {kind} identifiers ({listed}); "
                f"say which with --owner {person.key}:VALUE (in the app: choose it under Whose "
                "device or account)"
            )
        resolved = self._cache[(kind, candidates[0].value)]
        self._owner_cache[kind] = resolved
        return resolved

    def person_by(self, party: Party) -> Person | None:
        """A person named by collar number, system user id or name (rosters, intel)."""
        if party.kind == "collar":
            wanted = "".join(party.value.split()).upper()
            for person in self.people.values():
                if person.collar and "".join(person.collar.split()).upper().endswith(wanted):
                    return person
            return None
        if party.kind == "name":
            wanted = normalise_name(party.value) if party.value.strip() else ""
            for person in self.people.values():
                if normalise_name(person.name) == wanted:
                    return person
            return None
        resolved = self.resolve(party)
        return self.people.get(resolved.person_id) if resolved and resolved.person_id else None


def classify(
    app: str | None,
    sender: Resolved | None,
    recipient: Resolved | None,
    owner: Resolved | None = None,
) -> tuple[str, str]:
    """The channel and the direction (relative to the officer) of an event.

    App and system records keep their app as the channel. Phone-network records
    take it from the use of the officer's number: ``work_mobile``,
    ``personal_mobile``, or plain ``mobile`` when that is unknown.
    """
    if sender is not None and sender.role == "subject":
        direction = "outgoing"
    elif recipient is not None and recipient.role == "subject":
        direction = "incoming"
    else:
        direction = "unknown"
    if app:
        return app, direction
    officer_side = {"outgoing": sender, "incoming": recipient}.get(direction) or owner
    use = officer_side.use if officer_side else "unknown"
    channel = {"work": "work_mobile", "personal": "personal_mobile"}.get(use, "mobile")
    return channel, direction
