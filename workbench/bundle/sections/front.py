"""The cover page and the linked index."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from workbench.bundle.content import BundleContent
from workbench.bundle.document import Anchor, BundleCanvas, page_key
from workbench.bundle.fonts import SANS, SANS_BOLD
from workbench.bundle.safe_text import para_text, plain
from workbench.bundle.styles import BODY, NOTE, SMALL, SUBTITLE, TITLE, gap, para

AUDIENCE_NOTES = {
    "hearing": "Prepared for a misconduct hearing. Members of the public and colleagues appear "
               "by cipher only; their contact details are masked. Intelligence subject to "
               "handling conditions is not included.",
    "conference": "Prepared for a case conference. Intelligence subject to handling "
                  "conditions is not included.",
    "internal": "For the investigation team only. Contains intelligence subject to handling "
                "conditions, the decision log and the unused-material schedule. Not for "
                "disclosure.",
}


@dataclass(frozen=True)
class IndexEntry:
    key: str
    title: str
    level: int = 0


CASE_FILE_NOTE = ("Roles, vulnerability factors, homes and their radii, and the engagements "
                  "(their dates and references) come from the case file the investigator wrote, "
                  "not from the evidence; they are marked \"case file\" where shown.")


def cover(content: BundleContent) -> list[Flowable]:
    rows = [
        ("Case reference", content.case_ref),
        ("Classification", content.classification),
        ("Audience", content.audience_label),
        ("Anonymised", "Yes: ciphers are used for members of the public and colleagues"
         if content.anonymised else "No: real names are shown"),
        ("Date produced", content.produced_at),
        ("Prepared by", content.prepared_by),
        ("Times shown in", content.timezone),
    ]
    table = Table([[Paragraph(f"<b>{para_text(k)}</b>", BODY), para(v)] for k, v in rows],
                  colWidths=[45 * mm, 120 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), SANS),
                               ("LINEBELOW", (0, 0), (-1, -1), 0.3, "#d0d7de")]))
    people = Table([[Paragraph("<b>Shown as</b>", SMALL), Paragraph("<b>Role</b>", SMALL),
                     Paragraph("<b>Vulnerability factors recorded</b>", SMALL)]]
                   + [[para(a, SMALL), para(b, SMALL), para(c or "none recorded", SMALL)]
                      for a, b, c in content.people],
                   colWidths=[50 * mm, 45 * mm, 80 * mm], hAlign="LEFT", repeatRows=1)
    people.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), SANS),
                                ("LINEBELOW", (0, 0), (-1, -1), 0.3, "#d0d7de"),
                                ("BACKGROUND", (0, 0), (-1, 0), "#dfe6ee")]))
    return [
        Anchor("cover", "Cover", 0), gap(25),
        Paragraph("Evidential bundle", SUBTITLE),
        para(content.title, TITLE),
        para(content.audience_label, SUBTITLE), gap(6),
        table, gap(8),
        para(AUDIENCE_NOTES[content.audience], NOTE), gap(4),
        Paragraph("<b>People in this bundle</b> (from the case file)", BODY), people, gap(2),
        para(CASE_FILE_NOTE + (f" Case file {content.case_file['file']}, SHA-256 "
                               f"{content.case_file['sha256']}." if content.case_file else ""),
             SMALL), gap(6),
        para("Escalation markers in this bundle are indicators for review by the investigator "
             "and the panel. They are not findings of fact.", NOTE),
    ]


class IndexList(Flowable):
    """Index lines: title, dot leader and page number, each a link to its page."""

    line_height = 15

    def __init__(self, entries: list[IndexEntry], width: float, in_parts: bool = False) -> None:
        super().__init__()
        self.entries = entries
        self.width = width
        self.in_parts = in_parts  # page numbers read "part 2, p. 48": more room for them
        self.height = len(entries) * self.line_height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        fit = int(available_height // self.line_height)
        if fit <= 0 or fit >= len(self.entries):
            return [] if fit <= 0 else [self]
        return [IndexList(self.entries[:fit], self.width, self.in_parts),
                IndexList(self.entries[fit:], self.width, self.in_parts)]

    def draw(self) -> None:
        canvas = self.canv
        y = self.height - self.line_height + 4
        for entry in self.entries:
            font, size = (SANS_BOLD, 10) if entry.level == 0 else (SANS, 9)
            indent = entry.level * 14
            title = plain(entry.title)
            canvas.setFont(font, size)
            canvas.setFillColorRGB(0.1, 0.2, 0.35)
            canvas.drawString(indent, y, title)
            right = self.width
            start = indent + stringWidth(title, font, size) + 4
            canvas.setFillColorRGB(0.6, 0.63, 0.67)
            canvas.setFont(SANS, 8)
            room = 80 if self.in_parts else 30
            dots = "." * max(0, int((right - room - start) / stringWidth(".", SANS, 8)))
            canvas.drawString(start, y, dots)
            canvas.setFillColorRGB(0, 0, 0)
            if isinstance(canvas, BundleCanvas):
                canvas.draw_late(page_key(entry.key), right, y, font, size, align="right")
            canvas.linkRect("", entry.key, (indent, y - 3, right, y + size), relative=1)
            y -= self.line_height


def index(entries: list[IndexEntry], width: float, content: BundleContent) -> list[Flowable]:
    story: list[Flowable] = [
        Anchor("index", "Index", 0),
        Paragraph("Index", TITLE),
        para("Each entry links to its page. Page numbers are those printed at the foot of each "
             "page, which match the page numbers of the PDF.", SMALL),
    ]
    if content.parts:
        listed = "; ".join(f"part {p.number}, pages {p.first}–{p.last}: "
                           f"{content.part_files[p.number - 1]}" for p in content.parts)
        story.append(para(
            f"This bundle is sent in {len(content.parts)} parts, each a PDF of its own under the "
            "e-mail limit of court e-bundle practice and each signed with the unit key: "
            f"{listed}. Page numbers run on from one part to the next, so each entry gives its "
            "part and page; an entry in another part links to that part's file, kept in the "
            "same folder.", SMALL))
    story += [gap(3), IndexList(entries, width, bool(content.parts))]
    return story
