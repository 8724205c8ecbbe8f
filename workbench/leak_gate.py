"""The leak gate: an anonymised export is scanned, finished, before it is written.

Redaction (:mod:`workbench.anonymise`) decides what to print; this gate checks what
was actually produced. Every identifier of every person other than the subject
officer (names and their parts, keys, collar numbers, accounts, phone numbers,
references, place labels) and every postcode, registration, occurrence-reference
and phone-number pattern is searched for in the text a reader or a program can get
out of the file: a PDF's page text (pypdf), metadata, outline and attachments; the
text of SVG, GraphML, ANX and CSV; a PNG's text chunks. A hit refuses the export
with the hit's kind and place -- never its value, which would leak it again -- and
nothing is written.
"""

from __future__ import annotations

import html
import io
import logging
import re
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from workbench.anonymise import (
    GENERIC_PLACE_LABELS,
    MIN_NAME_PART,
    PATTERNS,
    PHONE_LIKE,
    Anonymiser,
    compact,
    phone_digits,
)
from workbench.errors import WorkbenchError
from workbench.model import Case

logging.getLogger("pypdf").setLevel(logging.ERROR)  # malformed-glyph chatter is not a finding

MAX_HITS_NAMED = 5
DECIMAL = re.compile(r"\d+\.\d+")


class LeakRefused(WorkbenchError):
    """An anonymised export still identified someone: it was not written."""


@dataclass(frozen=True)
class Hit:
    kind: str  # "name", "postcode", ...
    place: str  # "page 3", "row 12", "metadata"


class LeakGate:
    """What must not appear in an anonymised export of ``case``."""

    def __init__(self, case: Case) -> None:
        anonymiser = Anonymiser(case, enabled=True)
        self.allowed_marks = anonymiser.subject_marks
        self.allowed_numbers = anonymiser.subject_numbers
        self.protected_numbers: set[str] = set()
        terms: dict[str, str] = {}
        name_parts: set[str] = set()
        for person in case.people:
            if person.role == "subject":
                continue
            terms[person.name] = "name"
            parts = re.split(r"[\s-]+", person.name)
            for part in parts:
                if len(part) >= MIN_NAME_PART and part != person.name:
                    name_parts.add(part)
            terms.setdefault("".join(parts), "name")
            if "_" in person.key or any(ch.isdigit() for ch in person.key):
                terms.setdefault(person.key, "internal key")
            if person.collar:
                terms.setdefault(person.collar, "collar number")
        for ident in case.identifiers:
            if ident.person is not None and ident.person.role == "subject":
                continue
            if ident.kind == "phone":
                self.protected_numbers.add(phone_digits(ident.value))
            else:
                terms.setdefault(ident.display, "account or identifier")
                terms.setdefault(ident.value, "account or identifier")
        for engagement in case.engagements:
            if engagement.reference:
                terms.setdefault(engagement.reference, "occurrence or crime reference")
        for place in case.places:
            if place.label.strip().casefold() not in GENERIC_PLACE_LABELS and not (
                    place.person is not None and place.person.role == "subject"):
                terms.setdefault(place.label, "place label")
        terms = {t: k for t, k in terms.items() if t.strip()}
        self._kinds = {t.casefold(): k for t, k in terms.items()}
        # Any run of spaces in a term matches any whitespace (text extraction re-spaces).
        alternatives = sorted(terms, key=len, reverse=True)
        self._terms = re.compile(
            r"(?<![^\W_])(" + "|".join(r"\s+".join(map(re.escape, t.split())) for t in alternatives)
            + r")(?![^\W_])", re.IGNORECASE) if terms else None
        # A first name or surname alone can be a common word ("Example", "Will", "Rose"):
        # matched as a name is written (Kerry, KERRY), not in lower case, so the bundle's
        # own wording ("for example") is not taken for a leak.
        spellings = sorted({v for p in name_parts for v in (p, p.upper(), p.capitalize())},
                           key=len, reverse=True)
        self._name_parts = re.compile(
            r"(?<![^\W_])(" + "|".join(map(re.escape, spellings)) + r")(?![^\W_])"
        ) if spellings else None

    def scan_text(self, text: str, place: str) -> Iterator[Hit]:
        """Hits in one piece of extracted text."""
        if self._terms is not None:
            for match in self._terms.finditer(text):
                key = re.sub(r"\s+", " ", match.group(0)).casefold()
                yield Hit(self._kinds.get(key, "name or identifier"), place)
        if self._name_parts is not None:
            for _match in self._name_parts.finditer(text):
                yield Hit("name", place)
        for line in text.splitlines():  # a number in a table cell is on one line
            line = DECIMAL.sub(" ", line)  # coordinates and widths in SVG and GraphML
            for match in PHONE_LIKE.finditer(line):
                digits = re.sub(r"\D", "", match.group(0))
                if (len(digits) >= 10 and digits.startswith(("0", "44"))
                        and not self._subject_number(digits)):
                    yield Hit("phone number", place)
        # The case's own numbers also where a cell wraps them: digits with separators dropped.
        joined = re.sub(r"(?<=\d)[\s.()\-]+(?=\d)", "", text)
        for digits in re.findall(r"\d{10,}", joined):
            if any(digits[i:i + 10] in self.protected_numbers for i in range(len(digits) - 9)):
                yield Hit("phone number", place)
        for kind, pattern in PATTERNS.items():
            for match in pattern.finditer(text):
                if compact(match.group(0)) not in self.allowed_marks:
                    yield Hit(kind, place)

    def _subject_number(self, digits: str) -> bool:
        """The officer's own number, whole or as the part a wrapped table cell shows."""
        national = digits[2:] if digits.startswith("44") else digits.lstrip("0")
        return any(national in number for number in self.allowed_numbers)

    def scan(self, data: bytes, name: str) -> list[Hit]:
        """Every hit in the finished bytes of a file called ``name`` (its type by extension)."""
        hits: list[Hit] = []
        for text, place in extract_text(data, name):
            hits.extend(self.scan_text(text, place))
        return hits

    def check(self, data: bytes, name: str) -> None:
        """Raise :class:`LeakRefused` if ``data`` identifies a protected person."""
        hits = self.scan(data, name)
        if hits:
            raise LeakRefused(refusal(name, hits))


def refusal(name: str, hits: list[Hit]) -> str:
    seen = list(dict.fromkeys(f"{h.kind} in {h.place}" for h in hits))
    more = f" and {len(seen) - MAX_HITS_NAMED} more" if len(seen) > MAX_HITS_NAMED else ""
    return (f"{name}: anonymised export refused, nothing written: it still identifies a "
            f"protected person ({'; '.join(seen[:MAX_HITS_NAMED])}{more})")


def extract_text(data: bytes, name: str) -> Iterator[tuple[str, str]]:
    """(text, place) for everything readable in the file."""
    suffix = Path(name).suffix.lower()
    if suffix == ".pdf":
        yield from _pdf_text(data)
    elif suffix == ".png":
        yield from _png_text(data)
    else:
        text = data.decode("utf-8-sig", errors="replace")
        if suffix in (".svg", ".graphml", ".anx", ".xml"):
            text = html.unescape(text)
        for number, line in enumerate(text.splitlines(), start=1):
            yield line, f"line {number}"


def _pdf_text(data: bytes) -> Iterator[tuple[str, str]]:
    import pypdfium2
    from pypdf import PdfReader

    # Page text by PDFium (what a reader's search finds; thirty times pypdf's speed, so a
    # thousand-page bundle is checked in seconds); the rest by pypdf.
    document = pypdfium2.PdfDocument(data)
    try:
        for number in range(len(document)):
            yield document[number].get_textpage().get_text_range(), f"page {number + 1}"
    finally:
        document.close()
    reader = PdfReader(io.BytesIO(data), strict=False)
    for number, page in enumerate(reader.pages, start=1):
        for annotation in page.get("/Annots") or []:
            yield str(annotation.get_object()), f"an annotation on page {number}"
    for key, value in (reader.metadata or {}).items():
        yield str(value), f"metadata {key}"

    def outline(items: list, depth: int = 0) -> Iterator[tuple[str, str]]:
        for item in items:
            if isinstance(item, list):
                yield from outline(item, depth + 1)
            else:
                yield str(item.title), "the outline (bookmarks)"
    yield from outline(reader.outline)
    for attachment, contents in reader.attachments.items():
        for content in contents:
            yield from ((text, f"attachment {attachment} {place}")
                        for text, place in extract_text(content, attachment))
        yield attachment, "an attachment's name"


def _png_text(data: bytes) -> Iterator[tuple[str, str]]:
    position = 8
    while position + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        position += 12 + length
        if kind == b"tEXt":
            yield body.replace(b"\0", b" ").decode("latin-1"), "PNG metadata"
        elif kind == b"zTXt":
            key, _, rest = body.partition(b"\0")
            yield key.decode("latin-1") + " " + zlib.decompress(rest[1:]).decode("latin-1"), "PNG metadata"
        elif kind == b"iTXt":
            key, _, rest = body.partition(b"\0")
            compressed, rest = rest[0], rest[2:]
            _language, _, rest = rest.partition(b"\0")
            _translated, _, text = rest.partition(b"\0")
            if compressed:
                text = zlib.decompress(text)
            yield key.decode("latin-1") + " " + text.decode("utf-8", errors="replace"), "PNG metadata"
