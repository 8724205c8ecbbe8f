"""The boxes of every piece of text a reportlab Drawing draws, in page points.

Tests use this to check what was really drawn, not what the placer meant to draw.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.graphics.shapes import Drawing, Group, String
from reportlab.pdfbase.pdfmetrics import stringWidth

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class DrawnText:
    text: str
    size: float
    box: Box


def drawn_texts(drawing: Drawing) -> list[DrawnText]:
    """Every String in the drawing, with its glyph box (translations and scales applied)."""
    found: list[DrawnText] = []

    def walk(node: object, transform: tuple[float, ...]) -> None:
        if isinstance(node, String):
            width = stringWidth(node.text, node.fontName, node.fontSize)
            left = {"start": node.x, "middle": node.x - width / 2,
                    "end": node.x - width}.get(node.textAnchor, node.x)
            low, high = node.y - 0.22 * node.fontSize, node.y + 0.88 * node.fontSize
            a, _b, _c, d, e, f = transform
            found.append(DrawnText(node.text, node.fontSize * a,
                                   (a * left + e, d * low + f, a * (left + width) + e, d * high + f)))
        elif isinstance(node, Group | Drawing):
            inner = transform
            if isinstance(node, Group) and not isinstance(node, Drawing):
                a, b, c, d, e, f = node.transform
                pa, _pb, _pc, pd, pe, pf = transform
                inner = (pa * a, 0.0, 0.0, pd * d, pa * e + pe, pd * f + pf)
            for child in node.contents:
                walk(child, inner)

    walk(drawing, (1.0, 0.0, 0.0, 1.0, 0.0, 0.0))
    return found


def overlapping(texts: list[DrawnText]) -> list[tuple[str, str]]:
    """Pairs of drawn texts whose boxes intersect."""
    pairs = []
    for i, first in enumerate(texts):
        for second in texts[i + 1:]:
            a, b = first.box, second.box
            if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]:
                pairs.append((first.text, second.text))
    return pairs
