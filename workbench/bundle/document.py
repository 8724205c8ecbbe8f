"""The bundle's page furniture: markings, page numbers, bookmarks and late-bound numbers.

Numbers that are only known once every page is laid out ("of M", the page an
index entry points to) are drawn as PDF form XObjects referenced by name and
defined when the document is saved. That gives "Page N of M" and an index with
page numbers in a single pass, with memory that does not grow with stored pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from workbench.bundle.fonts import SANS, SANS_BOLD, register_fonts
from workbench.bundle.parts import PartPages, page_reference, part_of
from workbench.bundle.safe_text import plain

MARGIN = 16 * mm
HEADER_SPACE = 14 * mm
FOOTER_SPACE = 13 * mm
PORTRAIT = A4
LANDSCAPE = landscape(A4)
MARKING_COLOUR = HexColor("#1f2d3d")
RULE_COLOUR = HexColor("#9aa5b1")
TOTAL_PAGES = "total_pages"


@dataclass
class PageMarks:
    """What every page carries: classification, case reference, audience."""

    classification: str
    case_ref: str
    audience_label: str
    produced: str
    parts: list[PartPages] = field(default_factory=list)  # when the bundle is sent in parts


class BundleCanvas(Canvas):
    """A canvas that can draw text whose value is only set when the document is saved."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        # Every page starts in the embedded font, never in (unembedded) Helvetica.
        if not kwargs.get("initialFontName"):
            kwargs["initialFontName"] = SANS
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.late_values: dict[str, str] = {}
        self._late_used: dict[str, tuple[str, float, str]] = {}
        self.before_save: list[Callable[[BundleCanvas], None]] = []
        self.parts: list[PartPages] = []  # when the bundle is sent in parts

    def draw_late(self, name: str, x: float, y: float, font: str, size: float,
                  align: str = "left") -> None:
        """Draw the late value ``name`` at (x, y); ``align`` is left or right of x."""
        self._late_used[name] = (font, size, align)
        self.saveState()
        self.translate(x, y)
        self.doForm(name)
        self.restoreState()

    def set_late(self, name: str, value: str) -> None:
        self.late_values[name] = value

    def save(self) -> None:
        # The manifest page is written uncompressed; fonts and forms need not be.
        self.setPageCompression(1)
        self.late_values[TOTAL_PAGES] = str(self.getPageNumber() - 1)  # after the last showPage
        for hook in self.before_save:
            hook(self)
        for name, (font, size, align) in self._late_used.items():
            text = self.late_values.get(name, "?")
            self.beginForm(name, lowerx=-200, lowery=-size, upperx=200, uppery=2 * size)
            self.setFont(font, size)
            if align == "right":
                self.drawRightString(0, 0, text)
            else:
                self.drawString(0, 0, text)
            self.endForm()
        super().save()


class Anchor(Flowable):
    """A zero-size flowable that starts a bookmarked section or document.

    It records the page it lands on (for the index), adds the outline entry and
    the named destination the index links to.
    """

    def __init__(self, key: str, title: str, level: int = 0) -> None:
        super().__init__()
        self.key, self.title, self.level = key, plain(title), level
        self.width = self.height = 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        canvas = self.canv
        canvas.bookmarkHorizontal(self.key, 0, 4 * mm)
        # Court e-bundle practice: bookmarks carry the page number.
        canvas.addOutlineEntry(f"{self.title} (p. {canvas.getPageNumber()})", self.key,
                               level=self.level, closed=self.level > 0)
        if isinstance(canvas, BundleCanvas):
            canvas.set_late(page_key(self.key), page_reference(canvas.getPageNumber(),
                                                              canvas.parts))


def page_key(anchor_key: str) -> str:
    """The late value holding the page number of an anchor."""
    return f"pg_{anchor_key}"


@dataclass
class BuildHooks:
    """Called after each page: progress reporting and cancellation."""

    after_page: Callable[[int], None] = lambda page: None
    pages_done: list[int] = field(default_factory=list)


class BundleDocTemplate(BaseDocTemplate):
    """A4 portrait pages, with landscape pages for charts, all carrying the markings."""

    def __init__(self, output: object, marks: PageMarks, hooks: BuildHooks,
                 **metadata: str) -> None:
        register_fonts()
        self.marks = marks
        self.hooks = hooks
        super().__init__(output, pagesize=PORTRAIT, leftMargin=MARGIN, rightMargin=MARGIN,
                         topMargin=MARGIN + HEADER_SPACE, bottomMargin=MARGIN + FOOTER_SPACE,
                         invariant=0, initialFontName=SANS, **metadata)
        self.addPageTemplates([self._template("portrait", PORTRAIT),
                               self._template("landscape", LANDSCAPE)])

    def _template(self, name: str, size: tuple[float, float]) -> PageTemplate:
        width, height = size
        frame = Frame(MARGIN, MARGIN + FOOTER_SPACE, width - 2 * MARGIN,
                      height - 2 * MARGIN - HEADER_SPACE - FOOTER_SPACE,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id=name)
        return PageTemplate(id=name, frames=[frame], onPageEnd=self._markings, pagesize=size)

    def _markings(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        """Classification top and bottom, case reference, and "Page N of M"."""
        width, height = canvas._pagesize
        marks = self.marks
        canvas.saveState()
        canvas.setFillColor(MARKING_COLOUR)
        canvas.setFont(SANS_BOLD, 11)
        top = height - MARGIN - 4
        canvas.drawCentredString(width / 2, top, marks.classification)
        canvas.setFont(SANS, 7.5)
        canvas.drawString(MARGIN, top, marks.case_ref)
        part = part_of(canvas.getPageNumber(), marks.parts)
        canvas.drawRightString(width - MARGIN, top, marks.audience_label + (
            f" · part {part.number} of {len(marks.parts)}" if part else ""))
        canvas.setStrokeColor(RULE_COLOUR)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, top - 6, width - MARGIN, top - 6)
        bottom = MARGIN
        canvas.line(MARGIN, bottom + 14, width - MARGIN, bottom + 14)
        canvas.setFont(SANS_BOLD, 11)
        canvas.drawCentredString(width / 2, bottom, marks.classification)
        canvas.setFont(SANS, 8)
        label = f"Page {canvas.getPageNumber()} of "
        canvas.drawString(MARGIN, bottom, label)
        if isinstance(canvas, BundleCanvas):
            canvas.draw_late(TOTAL_PAGES, MARGIN + stringWidth(label, SANS, 8), bottom, SANS, 8)
        canvas.drawRightString(width - MARGIN, bottom, marks.produced)
        canvas.restoreState()

    def afterPage(self) -> None:
        self.hooks.after_page(self.page)

    def afterFlowable(self, flowable: Flowable) -> None:
        pass
