"""The Unicode fonts every bundle embeds (DejaVu, shipped in ``resources/fonts``).

Registered once per process with reportlab. ``asciiReadable`` keeps printable
ASCII at its own code in the PDF text, so the text stays searchable.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from importlib import resources

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

SANS = "DejaVuSans"
SANS_BOLD = "DejaVuSans-Bold"
MONO = "DejaVuSansMono"
_FILES = {SANS: "DejaVuSans.ttf", SANS_BOLD: "DejaVuSans-Bold.ttf", MONO: "DejaVuSansMono.ttf"}


@lru_cache(maxsize=1)
def register_fonts() -> None:
    """Register the bundle fonts with reportlab (idempotent)."""
    folder = resources.files("resources") / "fonts"
    for name, file_name in _FILES.items():
        with resources.as_file(folder / file_name) as path:
            pdfmetrics.registerFont(TTFont(name, str(path), asciiReadable=True))
    # Paragraph <b> picks the bold face through the family mapping.
    addMapping(SANS, 0, 0, SANS)
    addMapping(SANS, 1, 0, SANS_BOLD)
    addMapping(SANS, 0, 1, SANS)
    addMapping(SANS, 1, 1, SANS_BOLD)


@lru_cache(maxsize=1)
def _covered() -> frozenset[int]:
    register_fonts()
    font = pdfmetrics.getFont(SANS)
    return frozenset(font.face.charToGlyph) | {ord("\n")}


def printable(text: str) -> str:
    """``text`` with characters the font cannot draw spelt out by their Unicode name.

    An emoji the font lacks would print as an empty box; in evidence a kiss
    emoji matters, so it is written ``[face throwing a kiss]`` instead.
    """
    covered = _covered()
    if all(ord(ch) in covered for ch in text):
        return text
    out = []
    for ch in text:
        code = ord(ch)
        if code in covered:
            out.append(ch)
        elif unicodedata.category(ch) in ("Mn", "Me", "Cf") or code in (0xFE0F, 0xFE0E):
            continue  # combining marks, variation selectors, joiners: nothing to show alone
        else:
            name = unicodedata.name(ch, f"U+{code:04X}").lower()
            out.append(f"[{name}]")
    return "".join(out)
