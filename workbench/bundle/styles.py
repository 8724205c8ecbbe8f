"""Paragraph styles and small layout helpers shared by the sections."""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from workbench.bundle.document import Anchor
from workbench.bundle.fonts import MONO, SANS, SANS_BOLD, register_fonts
from workbench.bundle.safe_text import para_text

register_fonts()
INK = HexColor("#1b1f23")
MUTED = HexColor("#57606a")
ACCENT = HexColor("#1f4e79")

BODY = ParagraphStyle("body", fontName=SANS, fontSize=9, leading=12, textColor=INK,
                      spaceAfter=4)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=9, leading=11.5, textColor=MUTED)
MONO_SMALL = ParagraphStyle("mono", parent=BODY, fontName=MONO, fontSize=9, leading=11.5)
TITLE = ParagraphStyle("title", parent=BODY, fontName=SANS_BOLD, fontSize=22, leading=28,
                       textColor=ACCENT, spaceAfter=10)
SUBTITLE = ParagraphStyle("subtitle", parent=BODY, fontSize=13, leading=17, spaceAfter=8)
H1 = ParagraphStyle("h1", parent=BODY, fontName=SANS_BOLD, fontSize=15, leading=19,
                    textColor=ACCENT, spaceBefore=0, spaceAfter=8)
H2 = ParagraphStyle("h2", parent=BODY, fontName=SANS_BOLD, fontSize=11, leading=14,
                    textColor=INK, spaceBefore=8, spaceAfter=4)
NOTE = ParagraphStyle("note", parent=BODY, fontSize=9, leading=12, textColor=MUTED,
                      borderPadding=(4, 6, 4, 6), backColor=HexColor("#f4f6f8"),
                      leftIndent=6, rightIndent=6,
                      borderColor=HexColor("#d0d7de"), borderWidth=0.5, spaceBefore=6,
                      spaceAfter=10)


def para(text: object, style: ParagraphStyle = BODY) -> Paragraph:
    """A paragraph of user or case text: escaped, so it prints literally."""
    return Paragraph(para_text(text), style)


def labelled(label: str, value: object, style: ParagraphStyle = BODY) -> Paragraph:
    """``Label: value`` with the label in bold (the label is ours, the value is escaped)."""
    return Paragraph(f"<b>{para_text(label)}:</b> {para_text(value)}", style)


def section_start(key: str, title: str) -> list[Flowable]:
    """The anchor (bookmark, index target) and heading that open a section."""
    return [Anchor(key, title, 0), Paragraph(para_text(title), H1)]


def sub_heading(key: str, title: str, level: int = 1, keep_with: Flowable | None = None) -> Flowable:
    """A bookmarked sub-heading, kept with what follows it when given."""
    items: list[Flowable] = [Anchor(key, title, level), Paragraph(para_text(title), H2)]
    if keep_with is not None:
        items.append(keep_with)
    return KeepTogether(items)


def gap(height_mm: float = 3) -> Spacer:
    return Spacer(1, height_mm * mm)
