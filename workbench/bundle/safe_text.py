"""User text made safe for reportlab: it prints literally, never as markup.

reportlab's ``Paragraph`` parses an XML-like mini-language (``<b>``, ``<font>``,
``<a href>``, entities). A message body is evidence and must print exactly as
received, so everything user-provided goes through :func:`para_text` (for
Paragraphs) or :func:`plain` (for canvas strings and table cells, which reportlab
draws without parsing).
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape as _xml_escape

from workbench.bundle.fonts import printable

# Bidi embedding/override/isolate controls (U+202A-U+202E, U+2066-U+2069) can make
# text display in an order other than the order it was written: drop them, and
# other invisible controls, so what is printed is what was sent.
_CONTROLS = re.compile(r"[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_WHITESPACE_RUNS = re.compile(r"[ \t]+")


def plain(text: object, *, keep_newlines: bool = False) -> str:
    """The text as one clean line (or lines) for canvas drawing: no controls, no bidi tricks."""
    value = "" if text is None else str(text)
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROLS.sub("", value)
    if not keep_newlines:
        value = value.replace("\n", " ")
    value = _WHITESPACE_RUNS.sub(" ", value.replace("\t", " "))
    return printable(value.strip())


def para_text(text: object) -> str:
    """The text escaped for a reportlab ``Paragraph``: ``<b>`` and ``&amp;`` print as typed.

    Newlines become ``<br/>`` (our markup, added after escaping).
    """
    value = plain(text, keep_newlines=True)
    escaped = _xml_escape(value, {'"': "&quot;"})
    return escaped.replace("\n", "<br/>")


def bold(text: object) -> str:
    """Escaped text wrapped in ``<b>`` for a Paragraph."""
    return f"<b>{para_text(text)}</b>"
