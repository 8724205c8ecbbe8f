"""Anonymised output: ciphers for people, and identifying data redacted by its kind.

One :class:`Anonymiser` serves every view and document -- the app, the link chart,
the chronology CSV and the bundle -- so they hide the same things in the same way.
The officer under investigation is named, with his own numbers and vehicles shown
(hearings name the officer). Everything that could identify anyone else is hidden,
whether or not the case file lists it:

- names, collar numbers, accounts and internal person keys of the case's people
  (by list: they are known);
- phone numbers, occurrence and crime references, vehicle registrations and
  postcodes (by pattern: the evidence names people the case file never heard of);
- the free-text search terms of police-system look-ups (they name uninvolved
  members of the public), replaced by the ciphers of the case's people they name;
- place labels (a home is "home address of Woman A");
- file names and record positions (a thread folder is named after the other person).

:mod:`workbench.leak_gate` checks finished files against the same lists and patterns.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from functools import partial

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
# stay readable; MIN_PHONE_DIGITS keeps dates and counts out too.
PHONE_LIKE = re.compile(
    r"(?<![\w-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,5}\)|\d{2,5})(?:[\s.-]?\d{2,4}){1,3}(?![\w-])"
)
# A run needs this many digits to be a phone number: dates with times ("24/03/2021 16:34"
# gives the run "2021 16") and counts stay readable, while UK numbers have 10-11 digits.
MIN_PHONE_DIGITS = 9
MIN_NAME_PART = 3  # shorter name parts ("Al", "Jo") are redacted only as part of the full name
# Occurrence and crime references: force/serial/year as in 13/80377/21 (a date's middle
# part has two digits, so dates stay readable).
RECORD_NUMBER = re.compile(r"(?<![\w/])\d{1,4}/\d{3,8}/\d{2,4}(?![\w/])")
# UK registrations: current (TL46 KDH), prefix (A123 BCD) and suffix (ABC 123D) formats.
REGISTRATION = re.compile(
    r"\b(?:[A-Z]{2}\d{2}\s?[A-Z]{3}|[A-Z]\d{1,3}\s?[A-Z]{3}|[A-Z]{3}\s?\d{1,3}[A-Z])\b")
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b")
PATTERNS = {"occurrence or crime reference": RECORD_NUMBER, "vehicle registration": REGISTRATION,
            "postcode": POSTCODE}
MASKS = {"occurrence or crime reference": "[reference]", "vehicle registration": "[registration]",
         "postcode": "[postcode]"}
LOOKUP_KINDS = ("system_lookup",)
GENERIC_PLACE_LABELS = {"home", "home address", "address", ""}


def compact(value: str) -> str:
    """A registration or reference without spaces, upper case, for comparing."""
    return re.sub(r"\s+", "", value).upper()


def phone_digits(value: str) -> str:
    """The last ten digits of a number: the same for 07700 900201 and +44 7700 900201."""
    return re.sub(r"\D", "", value)[-10:]


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
        subject_idents = [i for p in case.people if p.role == "subject" for i in p.identifiers]
        # The officer's own numbers and vehicles stay shown, everywhere the same.
        self.subject_numbers = {phone_digits(i.value) for i in subject_idents if i.kind == "phone"}
        self.subject_marks = {compact(i.value) for i in subject_idents}
        self._words = self._protected_words(case)
        self._pattern = self._build_pattern()

    def _protected_words(self, case: Case) -> dict[str, str]:
        """Every known string that names a protected person, with the cipher to show instead."""
        words: dict[str, str] = {}
        for person in case.people:
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
            words.setdefault(person.key, cipher)  # internal keys (kerry_lowe)
            if person.collar:
                words.setdefault(person.collar, cipher)
        for ident in self._identifiers(case.identifiers):
            owner = ident.person_id
            words.setdefault(ident.display, self._ciphers.get(owner, "redacted") if owner else "redacted")
            words.setdefault(ident.value, self._ciphers.get(owner, "redacted") if owner else "redacted")
        for engagement in case.engagements:
            if engagement.reference:
                words.setdefault(engagement.reference, "reference")
        for place in case.places:
            if place.label.strip().casefold() not in GENERIC_PLACE_LABELS and not self._is_subject(place.person):
                words.setdefault(place.label, "address")
        return {w: c for w, c in words.items() if w.strip()}

    def _identifiers(self, identifiers: Iterable[Identifier]) -> Iterable[Identifier]:
        """Identifiers redacted by list: not phones (by pattern), not the subject's own."""
        for ident in identifiers:
            if ident.kind == "phone" or (ident.person_id is not None and ident.person_id not in self._ciphers):
                continue
            yield ident

    @staticmethod
    def _is_subject(person: Person | None) -> bool:
        return person is not None and person.role == "subject"

    def _build_pattern(self) -> re.Pattern[str] | None:
        if not self._words:
            return None
        self._replacements = {w.casefold(): c for w, c in self._words.items()}
        alternatives = sorted(self._words, key=len, reverse=True)
        return re.compile(
            # Word edges, with "_" counted as an edge too (file names like kerry_lowe.csv).
            r"(?<![^\W_])(" + "|".join(re.escape(w) for w in alternatives) + r")(?![^\W_])",
            re.IGNORECASE,
        )

    def protected_words(self) -> list[str]:
        """The known strings that identify protected people (for the leak gate)."""
        return list(self._words)

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
        if not self.enabled or self._is_subject(ident.person):
            return shown
        if ident.person is not None:
            return f"{self._ciphers.get(ident.person_id or 0, 'Person')}'s {ident.kind.replace('_', ' ')}"
        return f"unattributed {ident.kind.replace('_', ' ')} #{ident.id}"

    def place(self, place: Place) -> str:
        """A place's label; anonymised, the label is withheld ("home address of Woman A")."""
        if not self.enabled:
            return place.label
        if place.person is None:
            return "place (label withheld)"
        return f"home address of {self.person(place.person)}"

    def text(self, text: str | None) -> str:
        """Free text with protected names, accounts, numbers, references, registrations
        and postcodes redacted; the subject's own numbers and vehicles stay."""
        if not text or not self.enabled:
            return text or ""
        if self._pattern is not None:
            text = self._pattern.sub(lambda m: f"[{self._replacements[m.group(0).casefold()]}]", text)
        text = PHONE_LIKE.sub(self._mask_number, text)
        for kind, pattern in PATTERNS.items():
            text = pattern.sub(partial(self._mask_mark, kind=kind), text)
        return text

    def event_text(self, kind: str, text: str | None) -> str:
        """An event's text: a look-up's search terms are withheld whole (they name
        uninvolved people), saying which of the case's people they name."""
        if not text or not self.enabled or kind not in LOOKUP_KINDS:
            return self.text(text)
        named = []
        if self._pattern is not None:
            named = sorted({self._replacements[m.group(0).casefold()]
                            for m in self._pattern.finditer(text)} - {"redacted", "address"})
        return "search terms withheld" + (f" (they name {', '.join(named)})" if named else "")

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

    def _mask_number(self, match: re.Match[str]) -> str:
        run = match.group(0)
        if sum(ch.isdigit() for ch in run) < MIN_PHONE_DIGITS or phone_digits(run) in self.subject_numbers:
            return run
        return "[number]"

    def _mask_mark(self, match: re.Match[str], kind: str) -> str:
        if compact(match.group(0)) in self.subject_marks:
            return match.group(0)
        return MASKS[kind]
