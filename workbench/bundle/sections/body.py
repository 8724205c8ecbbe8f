"""Markers summary, chronology, intelligence, complaints, exhibits and continuity."""

from __future__ import annotations

import re

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph

from graphs.style import severity_style
from workbench.bundle.content import BundleContent
from workbench.bundle.document import Anchor
from workbench.bundle.gather import size_text
from workbench.bundle.rows import Column, RowTable
from workbench.bundle.safe_text import para_text
from workbench.bundle.sections.charts import activity_flowable, map_flowable
from workbench.bundle.styles import BODY, H2, NOTE, SMALL, gap, labelled, para, section_start

# A marker can rest on hundreds of records: the first few are tabled with it, and every
# one is listed, by exhibit and position, in the supporting-records annex (no cap).
EVIDENCE_ROWS = 5
HEARING_SEVERITY = "#1b1f23"  # no red in a hearing bundle: severity is a word there


def severity_colour(severity: str) -> str:
    """One colour per severity everywhere: the link chart's (graphs.style)."""
    return severity_style(severity).colour


def _ranges(numbers: list[int]) -> str:
    """[2, 3, 4, 7] as ``2–4, 7``."""
    runs: list[list[int]] = []
    for number in sorted(set(numbers)):
        if runs and number == runs[-1][1] + 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs)


INDEXED = re.compile(r"^(.*)\[(\d+)\]$")  # messages[3]


def compact_positions(sources: list[str]) -> str:
    """``JB/1 line 2``, ``JB/1 line 3`` ... as ``JB/1 lines 2–3; JB/2 record 7``, and
    ``AK/2 messages[3]``, ``messages[4]`` as ``AK/2 messages[3–4]``: every position,
    consecutive numbers as ranges."""
    grouped: dict[tuple[str, str, str], list[int]] = {}
    others: dict[str, list[str]] = {}
    for source in sources:
        exhibit, _, position = source.partition(" ")
        word, _, rest = position.partition(" ")
        indexed = INDEXED.match(position)
        if rest.isdigit():
            grouped.setdefault((exhibit, word, "words"), []).append(int(rest))
        elif indexed:
            grouped.setdefault((exhibit, indexed.group(1), "index"), []).append(int(indexed.group(2)))
        else:
            others.setdefault(exhibit, []).append(position)
    parts = []
    for (exhibit, word, form), numbers in grouped.items():
        if form == "index":
            parts.append(f"{exhibit} {word}[{_ranges(numbers)}]")
        else:
            plural = word if len(set(numbers)) == 1 else word + "s"
            parts.append(f"{exhibit} {plural} {_ranges(numbers)}")
    parts += [f"{exhibit} " + ", ".join(dict.fromkeys(p)) for exhibit, p in others.items()]
    return "; ".join(parts)


def _severity_tag(content: BundleContent, severity: str) -> str:
    colour = HEARING_SEVERITY if content.audience == "hearing" else severity_colour(severity)
    return f"<font color='{colour}' size='9'>[{para_text(severity.capitalize())} severity]</font>"


def markers(content: BundleContent, width: float) -> list[Flowable]:
    which = {"hearing": "accepted on review", "conference": "accepted or not yet reviewed",
             "internal": "of every review status"}[content.audience]
    story = section_start("markers", "Escalation markers")
    story.append(para(
        f"The markers below ({len(content.markers)}, {which}) are indicators that a record "
        "matches a published warning sign. They are not findings: each lists the records "
        "that support it so that the reader can check them; every supporting record is in "
        "the chronology, and the annex lists each marker's records in full. See the "
        "methodology note.", NOTE))
    if not content.markers:
        story.append(para("No markers to show for this audience."))
    columns = [Column("Time", 34 * mm), Column("Exhibit and position", 36 * mm),
               Column("What matched", width - 70 * mm)]
    for number, item in enumerate(content.markers, start=1):
        heading = Paragraph(f"{number}. {para_text(item.title)} {_severity_tag(content, item.severity)}", H2)
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
        table = RowTable(columns, evidence) if evidence else para(
            "No supporting record can be shown.", SMALL)
        story.append(CondPageBreak(45 * mm))
        story.append(KeepTogether(block))
        story.append(table)
        if len(item.evidence) > len(shown):
            story.append(gap(1.5))
            story.append(para(
                f"The first {len(shown)} of {len(item.evidence)} supporting records are shown "
                f"above; all {len(item.evidence)} are listed in the annex (Supporting records, "
                f"marker {number}) and are in the chronology.", SMALL))
        if item.key in content.activity:
            story.append(activity_flowable(content.activity[item.key], width))
        if item.key in content.maps:
            story.append(map_flowable(content.maps[item.key], number, width))
        story.append(gap(4))
    return story


def supporting_records(content: BundleContent, width: float) -> list[Flowable]:
    """Annex: every record each marker relies on, by exhibit and position, as ranges."""
    story = section_start("supporting", "Annex: supporting records of each marker")
    story.append(para("Every record each marker relies on, by exhibit and position. "
                      "Consecutive positions are given as ranges (\"lines 2–393\" is every line "
                      "from 2 to 393). Nothing is left out.", SMALL))
    for number, item in enumerate(content.markers, start=1):
        story.append(KeepTogether([
            Anchor(f"supporting_{item.key}", f"{number}. {item.title}", 1),
            Paragraph(f"{number}. {para_text(item.title)} ({len(item.evidence)} records)", H2),
            para(compact_positions([e.source for e in item.evidence]) or "None.", BODY)]))
    return story


def _chronology_table(content: BundleContent, width: float, rows: list, months: list) -> list[Flowable]:
    columns = [Column(f"Time ({content.timezone})", 33 * mm), Column("With", 27 * mm),
               Column("Channel", 28 * mm), Column("What happened", width - 122 * mm),
               Column("Exhibit and position", 34 * mm)]
    if not rows:
        return [para("No events recorded.")]
    story: list[Flowable] = []
    for number, month in enumerate(months):
        stop = months[number + 1].row if number + 1 < len(months) else len(rows)
        story.append(Anchor(month.key, month.label, 1))
        story.append(RowTable(columns, rows[month.row:stop]))
    return story


def chronology(content: BundleContent, width: float) -> list[Flowable]:
    story = section_start("chronology", "Chronology")
    where = ("in the annex at the end of this bundle" if content.full_chronology == "annex"
             else "in the chronology CSV produced with this bundle"
             + (f" ({content.chronology_csv['file']}, listed in the manifest)"
                if content.chronology_csv else ""))
    story.append(para(
        f"The records that matter to the hearing, oldest first: contact between the officer "
        f"and the people in the case, every record a marker relies on, and entries the "
        f"investigator added ({len(content.chronology):,} of {content.chronology_total:,} "
        f"records). The full chronology is {where}. \"With\" names the other party: \"→\" sent by "
        "the officer, \"←\" received by the officer. Each row "
        "names the exhibit and the position in it that it comes from. A time recorded in the "
        "hour the clocks went back is shown with both readings. A record whose source gives "
        "only the day shows the date alone, first among that day's records.", SMALL))
    story += _chronology_table(content, width, content.chronology, content.chronology_months)
    return story


def full_chronology(content: BundleContent, width: float) -> list[Flowable]:
    story = section_start("full_chronology", "Annex: full chronology")
    story.append(para(f"Every record in the evidence, oldest first ({content.chronology_total:,} "
                      "records; raw vehicle positions are summarised as stops).", SMALL))
    story += _chronology_table(content, width, content.full_chronology_rows,
                               content.full_chronology_months)
    return story


def intelligence(content: BundleContent, width: float) -> list[Flowable]:
    story = section_start("intelligence", "Intelligence summary")
    story.append(para(
        "Sanitised intelligence reports, each with its grading in its own scheme (3x5x2: "
        "source 1-3 / intelligence A-E / handling P or C; legacy 5x5x5: source A-E / "
        "information 1-5 / handling 1-5). Gradings are never converted between schemes.", SMALL))
    fixed = 25 * mm + 20 * mm + 18 * mm + 26 * mm + 22 * mm
    columns = [Column("URN", 25 * mm), Column("Submitted", 20 * mm), Column("Grading", 18 * mm),
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
        fixed = 25 * mm + 20 * mm + 16 * mm + 22 * mm + 34 * mm + 18 * mm
        columns = [Column("URN", 25 * mm), Column("Submitted", 20 * mm),
                   Column("Grading", 16 * mm), Column("Subject", 22 * mm),
                   Column("Sanitised text", width - fixed), Column("Conditions", 34 * mm),
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
                                                   - 18 * mm - 16 * mm - 40 * mm),
               Column("Size", 18 * mm), Column("Records", 16 * mm),
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


def notes(content: BundleContent, width: float) -> list[Flowable]:
    story = section_start("notes", "Investigators' notes and tags")
    fixed = 40 * mm + 18 * mm + 45 * mm
    columns = [Column("On", 40 * mm), Column("Kind", 18 * mm), Column("Note or tag", width - fixed),
               Column("By, when", 45 * mm)]
    story.append(para("The latest version of each note; earlier versions are kept in the case "
                      "store and its audit chain."))
    story.append(RowTable(columns, content.notes))
    return story
