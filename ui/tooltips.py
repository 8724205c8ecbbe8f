"""Tooltips show data as written: the one helper through which every tooltip's text goes.

Qt reads a tooltip as rich text when it looks like markup, so a name such as
``<b>Kerry</b>`` or ``Smith & Sons`` from the evidence would be drawn as markup (or
lose its ``&``). Every piece of text is escaped here, and the layout (a bold title,
lines, an italic note) is the only markup a tooltip has.
"""

from __future__ import annotations

import html


def _shown(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def tooltip(*lines: str, title: str = "", note: str = "") -> str:
    """Tooltip text: ``title`` in bold, then each non-empty line, then ``note`` in italics;
    every one escaped so it shows literally. Empty when there is nothing to say.

    Lines alone with nothing Qt could take for markup (no ``<``) stay plain text, which
    Qt shows as written (``&`` included).
    """
    lines = tuple(line for line in lines if line)
    if not title and not note and not any("<" in line for line in lines):
        return "\n".join(lines)
    parts = ([f"<b>{_shown(title)}</b>"] if title else []) + [_shown(line) for line in lines]
    if note:
        parts.append(f"<i>{_shown(note)}</i>")
    return f"<qt>{'<br>'.join(parts)}</qt>" if parts else ""
