"""Safe text for reportlab, the fonts, and long tables that must split across pages."""

from __future__ import annotations

import io

from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.platypus import Paragraph, SimpleDocTemplate

from workbench.bundle.fonts import SANS, printable, register_fonts
from workbench.bundle.rows import Column, RowTable, wrap_text
from workbench.bundle.safe_text import para_text, plain
from workbench.bundle.sections.body import compact_positions
from workbench.bundle.styles import BODY


def render(flowables: list) -> str:
    register_fonts()
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, initialFontName=SANS).build(flowables)
    return "\n".join(page.extract_text() for page in PdfReader(buffer).pages)


def test_markup_in_user_text_prints_literally() -> None:
    hostile = "<b>bold?</b> &amp; <font color='red' size='40'>big</font> <a href='x'>link</a> <br/>"
    text = render([Paragraph(para_text(hostile), BODY)])
    assert "<b>bold?</b> &amp; <font color='red' size='40'>big</font>" in text
    assert "<a href='x'>link</a>" in text


def test_unbalanced_markup_does_not_break_the_paragraph() -> None:
    text = render([Paragraph(para_text("a < b && c > d <i"), BODY)])
    assert "a < b && c > d <i" in text


def test_bidi_overrides_are_dropped_and_rtl_text_kept() -> None:
    value = plain("abc\u202edcba\u202c שלום")
    assert "\u202e" not in value and "\u202c" not in value
    assert "שלום" in value


def test_glyphs_the_font_lacks_are_spelt_out() -> None:
    assert printable("hi \U0001F9D1") == "hi [adult]"
    assert printable("plain text") == "plain text"


def test_long_words_are_broken_to_fit() -> None:
    lines = wrap_text("x" * 400 + " end", SANS, 7.5, 100)
    assert len(lines) > 3 and lines[-1].endswith("end")


def test_row_table_splits_over_pages_and_a_huge_row_continues() -> None:
    columns = [Column("Time", 60), Column("Text", 400)]
    rows = [(f"row {n}", f"message {n}") for n in range(300)]
    rows.insert(10, ("huge", "word " * 6000))
    text = render([RowTable(columns, rows)])
    assert "row 299" in text and "(continued)" in text
    assert text.count("Time") >= 5  # the header repeats on every page


def test_compact_positions() -> None:
    assert compact_positions(["JB/1 line 2", "JB/1 line 5", "JB/2 record 7"]) == \
        "JB/1 lines 2, 5; JB/2 record 7"


def test_positions_as_ranges_with_nothing_left_out() -> None:
    sources = ([f"JB/2 line {n}" for n in range(2, 394)] + ["JB/2 line 400"]
               + [f"AK/1 messages[{n}]" for n in (9, 3, 4, 5)] + ["AK/3 cell B7"])
    assert compact_positions(sources) == \
        "JB/2 lines 2–393, 400; AK/1 messages[3–5, 9]; AK/3 cell B7"


def test_a_long_path_wraps_at_its_folders() -> None:
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth

    path = "your_activity_across_facebook/messages/inbox/kerrylowe_4821/message_2.json messages[1]"
    lines = wrap_text(path, SANS, 7, 31 * mm)
    assert "".join(lines[:-1]) + " " + lines[-1] == path  # nothing lost, nothing added
    assert all(stringWidth(line, SANS, 7) <= 31 * mm for line in lines)
    assert lines == ["your_activity_across_", "facebook/messages/", "inbox/kerrylowe_4821/",
                     "message_2.json", "messages[1]"]  # broken between folders, not inside them
