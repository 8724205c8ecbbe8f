"""Markers summary, chronology, intelligence, complaints, exhibits and continuity."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph

from workbench.bundle.content import BundleContent
from workbench.bundle.document import Anchor
from workbench.bundle.gather import size_text
from workbench.bundle.rows import Column, RowTable
from workbench.bundle.safe_text import para_text
from workbench.bundle.sections.charts import activity_flowable
from workbench.bundle.styles import BODY, H2, NOTE, SMALL, gap, labelled, para, section_start

# A marker can rest on hundreds of records: the first few are tabled, and every one is
# still listed by exhibit and position (compactly) so each can be traced.
EVIDENCE_ROWS = 12
SEVERITY_COLOURS = {"high": "#b42318", "medium": "#b54708", "low": "#475467"}


def compact_positions(sources: list[str]) -> str:
    """``JB/1 line 2``, ``JB/1 line 5`` ... as ``JB/1 line 2, 5; JB/2 record 7``."""
    grouped: dict[str, list[str]] = {}
    for source in sources:
        exhibit, _, position = source.partition(" ")
        grouped.setdefault(exhibit, []).append(position)
    parts = []
    for exhibit, positions in grouped.items():
        words = {p.split(" ", 1)[0] for p in positions if " " in p}
        if len(words) == 1 and all(" " in p for p in positions):
            word = words.pop()
            parts.append(f"{exhibit} {word} " + ", ".join(p.split(" ", 1)[1] for p in positions))
        else:
            parts.append(f"{exhibit} " + ", ".join(positions))
    return "; ".join(parts)


def markers(content: BundleContent, width: float) -> list[Flowable]:
    which = {"hearing": "accepted on review", "conference": "accepted or not yet reviewed",
             "internal": "of every review status"}[content.audience]
    story = section_start("markers", "Escalation markers")
    story.append(para(
        f"The markers below ({len(content.markers)}, {which}) are indicators that a record "
        "matches a published warning sign. They are not findings: each lists the exact records "
        "that support it so that the reader can check them. See the methodology note.", NOTE))
    if not content.markers:
        story.append(para("No markers to show for this audience."))
    columns = [Column("Time", 26 * mm), Column("Exhibit and position", 36 * mm),
               Column("What matched", width - 62 * mm)]
    for number, item in enumerate(content.markers, start=1):
        colour = SEVERITY_COLOURS.get(item.severity, "#475467")
        heading = Paragraph(
            f"{number}. {para_text(item.title)} "
            f"<font color='{colour}' size='8'>[{para_text(item.severity.upper())}]</font>", H2)
        block: list[Flowable] = [
            Anchor(item.key, f"{number}. {item.title}", 1), heading,
            labelled("People", item.people, SMALL), labelled("When", item.period, SMALL),
            labelled("Review", item.review, SMALL), para(item.explanation),
        ]
        if item.withheld:
            block.append(para(f"{item.withheld} supporting intelligence record(s) are subject "
                              "to handling conditions (see the intelligence section).", SMALL))
        shown = item.evidence[:EVIDENCE_ROWS]
        evidence = [(e.when, e.source, e.what) for e in shown]
        table = RowTable(columns, evidence, font_size=7) if evidence else para(
            "No supporting record can be shown.", SMALL)
        story.append(CondPageBreak(45 * mm))
        story.append(KeepTogether(block))
        story.append(table)
        if len(item.evidence) > len(shown):
            story.append(gap(1.5))
            story.append(para(
                f"The first {len(shown)} of {len(item.evidence)} supporting records are shown "
                "above; every record is in the chronology. All of them, by exhibit and "
                f"position: {compact_positions([e.source for e in item.evidence])}.", SMALL))
        if item.key in content.activity:
            story.append(activity_flowable(content.activity[item.key], width))
        story.append(gap(4))
    return story


def chronology(content: BundleContent, width: float) -> list[Flowable]:
    story = section_start("chronology", "Chronology")
    story.append(para(
        f"Every contact and activity in the evidence, oldest first ({len(content.chronology):,} "
        f"records). Times are in {content.timezone}. Parties are shown sender first. "
        "Each row names the exhibit and the position in it (line, record or index) that it "
        "comes from.", SMALL))
    fixed = 24 * mm + 34 * mm + 19 * mm + 27 * mm
    columns = [Column("Time", 24 * mm), Column("Parties", 34 * mm), Column("Channel", 19 * mm),
               Column("What happened", width - fixed), Column("Exhibit and position", 27 * mm)]
    rows = content.chronology
    if not rows:
        story.append(para("No events recorded."))
    months = content.chronology_months
    for number, month in enumerate(months):
        stop = months[number + 1].row if number + 1 < len(months) else len(rows)
        story.append(Anchor(month.key, month.label, 1))
        story.append(RowTable(columns, rows[month.row:stop]))
    return story


def intelligence(content: BundleContent, width: float) -> list[Flowable]:
    story = section_start("intelligence", "Intelligence summary")
    story.append(para(
        "Sanitised intelligence reports, each with its grading in its own scheme (3x5x2: "
        "source 1-3 / intelligence A-E / handling P or C; legacy 5x5x5: source A-E / "
        "information 1-5 / handling 1-5). Gradings are never converted between schemes.", SMALL))
    fixed = 22 * mm + 18 * mm + 18 * mm + 26 * mm + 22 * mm
    columns = [Column("URN", 22 * mm), Column("Submitted", 18 * mm), Column("Grading", 18 * mm),
               Column("Subject", 26 * mm), Column("Sanitised text", width - fixed),
               Column("Source", 22 * mm)]
    if content.intel:
        story.append(RowTable(columns, content.intel))
    else:
        story.append(para("No intelligence reports are included."))
    if content.internal:
        story.append(gap(4))
        story.append(Anchor("intelligence_restricted", "Intelligence with handling conditions", 1))
        story.append(Paragraph("Intelligence with handling conditions (internal only)", H2))
        story.append(para("These reports carry handling code C or conditions. They are never "
                          "included in a hearing or conference bundle. The conditions are "
                          "printed beside each report and must be honoured.", NOTE))
        fixed = 20 * mm + 18 * mm + 16 * mm + 22 * mm + 36 * mm + 18 * mm
        columns = [Column("URN", 20 * mm), Column("Submitted", 18 * mm),
                   Column("Grading", 16 * mm), Column("Subject", 22 * mm),
                   Column("Sanitised text", width - fixed), Column("Conditions", 36 * mm),
                   Column("Source", 18 * mm)]
        if content.intel_restricted:
            story.append(RowTable(columns, content.intel_restricted))
        else:
            story.append(para("None."))
    return story


def complaints(content: BundleContent, width: float) -> list[Flowable]:
    story = section_start("complaints", "Complaints")
    fixed = 24 * mm + 18 * mm + 30 * mm + 18 * mm + 18 * mm
    columns = [Column("Reference", 24 * mm), Column("Received", 18 * mm),
               Column("About", 30 * mm), Column("Category", (width - fixed) / 2),
               Column("Outcome", (width - fixed) / 2), Column("Finalised", 18 * mm),
               Column("Source", 18 * mm)]
    if content.complaints:
        story.append(RowTable(columns, content.complaints))
    else:
        story.append(para("No complaints recorded."))
    return story


def exhibits(content: BundleContent, width: float) -> list[Flowable]:
    story = section_start("exhibits", "Exhibits schedule and continuity")
    story.append(para(
        "Every exhibit as received, with its SHA-256 hash. The manifest at the end of this "
        "bundle repeats the hashes; anyone holding the original files can check them.", SMALL))
    columns = [Column("Ref", 16 * mm), Column("Description", 38 * mm),
               Column("Producer", 26 * mm), Column("File", width - 16 * mm - 38 * mm - 26 * mm
                                                   - 18 * mm - 14 * mm - 40 * mm),
               Column("Size", 18 * mm), Column("Records", 14 * mm),
               Column("SHA-256", 40 * mm, mono=True)]
    rows = [(x.reference, x.description, x.producer, x.file_name, size_text(x.size),
             f"{x.records:,}", x.sha256) for x in content.exhibits]
    story.append(RowTable(columns, rows) if rows else para("No exhibits."))
    story.append(gap(6))
    story.append(Paragraph("Continuity", H2))
    columns = [Column("When", 32 * mm), Column("Action", 28 * mm), Column("By", 28 * mm),
               Column("Note", width - 88 * mm)]
    for item in content.exhibits:
        head = [Anchor(item.key, f"{item.reference}: {item.file_name}", 1),
                Paragraph(f"<b>{para_text(item.reference)}</b> {para_text(item.file_name)}",
                          BODY)]
        story.append(CondPageBreak(30 * mm))
        story.append(KeepTogether(head))
        story.append(RowTable(columns, item.continuity) if item.continuity
                     else para("No continuity entries.", SMALL))
        story.append(gap(3))
    return story
