"""Anonymised output: ciphers for people, masked identifiers, names redacted from text.

One :class:`Anonymiser` serves every view and document, so the app, the link
chart and the bundle hide the same things in the same way. The officer under
investigation is named (hearings name the officer); everyone else appears by
cipher, and their numbers, accounts, records and addresses are masked.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable

from workbench.identifiers import display_phone
from workbench.model import Case, Identifier, Person, Place

ROLE_CIPHERS = {
    "member_of_public": "Member of public",
    "colleague": "Colleague",
    "witness": "Witness",
    "other": "Person",
}
# Phone numbers as people write them: 07700 900102, +44 7700 900201, (0113) 496 0000,
# 07700-900-102. Not glued to letters or dashes, so references such as INT-2016-018842
# and 13/45678/21 stay readable; MIN_PHONE_DIGITS keeps dates and counts out too.
PHONE_LIKE = re.compile(
    r"(?<![\w-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,5}\)|\d{2,5})(?:[\s.-]?\d{2,4}){1,3}(?![\w-])"
)
# A run needs this many digits to be a phone number: dates with times ("24/03/2021 16:34"
# gives the run "2021 16") and counts stay readable, while UK numbers have 10-11 digits.
MIN_PHONE_DIGITS = 9
MIN_NAME_PART = 3  # shorter name parts ("Al", "Jo") are redacted only as part of the full name


class Anonymiser:
    """Hides the identity of everyone but the subject(s) when ``enabled``."""

    def __init__(self, case: Case, enabled: bool = True) -> None:
        self.enabled = enabled
        self._ciphers: dict[int, str] = {}
        counters: dict[str, int] = {}
        for person in case.people:
            if person.role == "subject":
                continue
            if person.cipher:
                self._ciphers[person.id] = person.cipher
            else:
                label = ROLE_CIPHERS.get(person.role, "Person")
                counters[label] = counters.get(label, 0) + 1
                self._ciphers[person.id] = f"{label} {counters[label]}"
        self._pattern = self._build_pattern(case.people, case.identifiers)

    def _build_pattern(
        self, people: Iterable[Person], identifiers: Iterable[Identifier]
    ) -> re.Pattern[str] | None:
        words: dict[str, str] = {}
        for person in people:
            if person.role == "subject":
                continue
            cipher = self._ciphers[person.id]
            words[person.name] = cipher
            parts = re.split(r"[\s-]+", person.name)
            for part in parts:
                if len(part) >= MIN_NAME_PART:
                    words.setdefault(part, cipher)
            if len(parts) > 1:  # run together, as in Meta's folder names (kerrylowe_4821)
                words.setdefault("".join(parts), cipher)
        for ident in identifiers:
            owner = ident.person_id
            if ident.kind == "phone" or (owner is not None and owner not in self._ciphers):
                continue  # numbers are handled by PHONE_LIKE; the subject's accounts stay
            words.setdefault(ident.display, self._ciphers.get(owner, "redacted") if owner else "redacted")
        if not words:
            return None
        self._replacements = {w.casefold(): c for w, c in words.items()}
        alternatives = sorted(words, key=len, reverse=True)
        return re.compile(
            # Word edges, with "_" counted as an edge too (file names like kerry_lowe.csv).
            r"(?<![^\W_])(" + "|".join(re.escape(w) for w in alternatives) + r")(?![^\W_])",
            re.IGNORECASE,
        )

    def is_protected(self, person: Person | None) -> bool:
        return person is not None and person.id in self._ciphers

    def person(self, person: Person | None) -> str:
        """The name to show for a person (their cipher when anonymising)."""
        if person is None:
            return "unknown"
        if self.enabled and person.id in self._ciphers:
            return self._ciphers[person.id]
        return person.name

    def identifier(self, ident: Identifier | None) -> str:
        """How to show an identifier: masked unless it belongs to the subject."""
        if ident is None:
            return "unknown"
        shown = display_phone(ident.value) if ident.kind == "phone" else ident.display
        if not self.enabled:
            return shown
        owner_is_subject = ident.person is not None and ident.person.role == "subject"
        if owner_is_subject:
            return shown
        if ident.person is not None:
            return f"{self._ciphers.get(ident.person_id or 0, 'Person')}'s {ident.kind.replace('_', ' ')}"
        return f"unattributed {ident.kind.replace('_', ' ')} #{ident.id}"

    def place(self, place: Place) -> str:
        """A place's label, naming its person by cipher; coordinates are never shown."""
        if not self.enabled or place.person is None or place.person.role == "subject":
            return place.label
        return f"{place.label} of {self.person(place.person)}"

    def text(self, text: str | None) -> str:
        """Message text with protected names, accounts and all phone numbers redacted."""
        if not text or not self.enabled:
            return text or ""
        if self._pattern is not None:
            text = self._pattern.sub(lambda m: f"[{self._replacements[m.group(0).casefold()]}]", text)
        return PHONE_LIKE.sub(_mask_number, text)


    def path(self, name: str | None) -> str:
        """A file name or a record's position (``inbox/kerrylowe_4821/message_1.json
        messages[3]``) with protected names redacted, also where ``_``, ``.`` or ``-``
        join the words of a name."""
        if not name or not self.enabled:
            return name or ""
        stem, extension = os.path.splitext(name)
        spaced = re.sub(r"[_.\-]+", " ", stem)
        redacted = self.text(spaced)
        return self.text(name) if redacted == spaced else redacted + extension


def _mask_number(match: re.Match[str]) -> str:
    run = match.group(0)
    return "[number]" if sum(ch.isdigit() for ch in run) >= MIN_PHONE_DIGITS else run
