"""A bundle too big to e-mail, sent in parts (court e-bundle practice: about 36 MB).

The bundle is laid out once as a whole. When it is over the limit, its pages are cut
into runs that each stay under the limit once signed (:func:`plan_parts`), the bundle
is laid out again knowing the runs (every page's header names its part, and the index
in part 1 gives the part and the page of every entry), and each run is written as a PDF
of its own (:func:`part_pdf`): its bookmarks, a manifest naming the part, and PDF page
numbers (page labels) that run on from the part before, so the number printed at the
foot of each page is the PDF's own. An index entry pointing into another part links to
that part's file. Each part is then signed like a whole bundle.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.bundle.gather import size_text
from workbench.errors import WorkbenchError

EMAIL_LIMIT = 36 * 1024 * 1024
# What signing adds to a part (pyHanko reserves 16 KB for the signature) and its manifest
# attachment, with room to spare: a part is planned this much under the limit.
SIGNING_ALLOWANCE = 48 * 1024


@dataclass(frozen=True)
class PartPages:
    """Part ``number`` holds pages ``first`` to ``last`` of the bundle (1-based, inclusive)."""

    number: int
    first: int
    last: int


def part_file_name(out_path: Path, number: int, count: int) -> str:
    """``hearing-part-2-of-3.pdf`` for ``hearing.pdf``."""
    return f"{out_path.stem}-part-{number}-of-{count}{out_path.suffix}"


def part_of(page: int, parts: list[PartPages]) -> PartPages | None:
    """The part that holds ``page``, or None when the bundle is one file."""
    return next((part for part in parts if part.first <= page <= part.last), None)


def _pages_pdf(reader: Any, first: int, last: int) -> Any:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.append(reader, pages=(first - 1, last), import_outline=False)
    return writer


def _size(writer: Any) -> int:
    out = io.BytesIO()
    writer.write(out)
    return len(out.getvalue())


def plan_parts(data: bytes, pages: int, limit: int, *, split: bool = False) -> list[PartPages]:
    """Runs of pages, each under ``limit`` bytes once written and signed; one run (the
    whole bundle) when it fits and ``split`` is not asked for.

    Each part takes as many pages as fit (a binary search over its last page).
    Refuses, naming the page, when one page alone is over the limit.
    """
    from pypdf import PdfReader

    if not split and len(data) + SIGNING_ALLOWANCE <= limit:
        return [PartPages(1, 1, pages)]
    reader = PdfReader(io.BytesIO(data))
    count = len(reader.pages)
    budget = limit - SIGNING_ALLOWANCE
    parts: list[PartPages] = []
    first = 1
    while first <= count:
        alone = _size(_pages_pdf(reader, first, first))
        if alone > budget:
            raise WorkbenchError(f"page {first} of the bundle alone is {size_text(alone)}, over "
                                 f"the {size_text(limit)} limit of a part: it cannot be split "
                                 "small enough")
        low, high = first, count  # the last page that fits lies in [low, high]
        while low < high:
            middle = (low + high + 1) // 2
            if _size(_pages_pdf(reader, first, middle)) <= budget:
                low = middle
            else:
                high = middle - 1
        parts.append(PartPages(len(parts) + 1, first, low))
        first = low + 1
    return parts


def part_pdf(data: bytes, part: PartPages, parts: list[PartPages], names: list[str],
             manifest: dict[str, Any], title: str) -> bytes:
    """The (unsigned) PDF of one part of the laid-out bundle ``data``."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.constants import PageLabelStyle
    from pypdf.generic import (
        ArrayObject,
        BooleanObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    from workbench.bundle.manifest import ATTACHMENT_NAME

    reader = PdfReader(io.BytesIO(data))
    # Pages read from a file always have their indirect reference.
    page_number = {page.indirect_reference.idnum: n  # type: ignore[union-attr]
                   for n, page in enumerate(reader.pages, 1)}
    writer = PdfWriter()
    writer.append(reader, pages=(part.first - 1, part.last), import_outline=True)
    # Links to pages in another part are dropped by the copy: they become links to that
    # part's file, at the same place (a remote go-to, which PDF readers follow).
    for offset, page in enumerate(reader.pages[part.first - 1:part.last]):
        for annotation in page.get("/Annots", []) or []:
            link = annotation.get_object()
            target = link.get("/Dest")
            if link.get("/Subtype") != "/Link" or not isinstance(target, list) or not target:
                continue
            to_page = page_number.get(target[0].idnum)
            other = part_of(to_page or 0, parts)
            if other is None or other.number == part.number:
                continue
            destination = ArrayObject([NumberObject(to_page - other.first),  # type: ignore[operator]
                                       *[x if not isinstance(x, (int, float)) else FloatObject(x)
                                         for x in target[1:]]])
            writer.add_annotation(offset, DictionaryObject({
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Link"),
                NameObject("/Rect"): ArrayObject([FloatObject(v) for v in link["/Rect"]]),
                NameObject("/Border"): ArrayObject([NumberObject(0)] * 3),
                NameObject("/A"): DictionaryObject({
                    NameObject("/S"): NameObject("/GoToR"),
                    NameObject("/F"): TextStringObject(names[other.number - 1]),
                    NameObject("/D"): destination,
                    NameObject("/NewWindow"): BooleanObject(False),
                }),
            }))
    # The PDF's own page numbers run on from the part before: they match the printed ones.
    writer.set_page_label(0, part.last - part.first, style=PageLabelStyle.DECIMAL,
                          start=part.first)
    writer.add_metadata({**{k: v for k, v in (reader.metadata or {}).items()},
                         "/Title": f"{title} (part {part.number} of {len(parts)})"})
    described = {**manifest, "part": {
        "number": part.number, "of": len(parts), "first_page": part.first,
        "last_page": part.last,
        "files": [{"part": p.number, "file": names[p.number - 1], "first_page": p.first,
                   "last_page": p.last} for p in parts]}}
    writer.add_attachment(ATTACHMENT_NAME,
                          json.dumps(described, indent=2, ensure_ascii=True).encode())
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def page_reference(page: int, parts: list[PartPages]) -> str:
    """How the index gives a page: ``48``, or ``part 2, p. 48`` in a bundle sent in parts."""
    part = part_of(page, parts)
    return str(page) if part is None else f"part {part.number}, p. {page}"
