"""Internal-only case work (decision log, enquiries, unused material) and the methodology note."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from workbench.analysis import rule_description, rule_title
from workbench.bundle.content import BundleContent
from workbench.bundle.document import Anchor
from workbench.bundle.rows import Column, RowTable
from workbench.bundle.rule_text import thresholds
from workbench.bundle.styles import BODY, H2, NOTE, SMALL, gap, para, section_start


def decision_log(content: BundleContent, width: float) -> list[Flowable]:
    story = section_start("decisions", "Decision log")
    story.append(para("Entries are numbered in sequence and never edited; a correction is a new "
                      "entry that names the entry it corrects.", SMALL))
    fixed = 10 * mm + 26 * mm + 30 * mm + 22 * mm
    rest = width - fixed
    columns = [Column("No.", 10 * mm), Column("Decided / entered", 26 * mm),
               Column("Decision maker", 30 * mm), Column("NDM element", 22 * mm),
               Column("Decision", rest * 0.36), Column("Rationale", rest * 0.36),
               Column("Options rejected", rest * 0.28)]
    story.append(RowTable(columns, content.decisions) if content.decisions
                 else para("No decisions recorded."))
    return story


def enquiries(content: BundleContent, width: float) -> list[Flowable]:
    story = section_start("enquiries", "Lines of enquiry")
    fixed = 22 * mm + 30 * mm + 30 * mm
    columns = [Column("Line of enquiry", (width - fixed) * 0.45), Column("Status", 22 * mm),
               Column("Owner", 30 * mm), Column("Notes", (width - fixed) * 0.55),
               Column("Closed by", 30 * mm)]
    story.append(RowTable(columns, content.enquiries) if content.enquiries
                 else para("No lines of enquiry recorded."))
    return story


def unused_material(content: BundleContent, width: float) -> list[Flowable]:
    story = section_start("unused", "Unused-material schedule")
    story.append(para("Material that is relevant but not relied on in this bundle. Sensitive "
                      "items (intelligence with handling conditions) must not be disclosed "
                      "without the originator's agreement.", SMALL))
    columns = [Column("Schedule", 22 * mm), Column("Item", 32 * mm),
               Column("Description", (width - 54 * mm) * 0.45),
               Column("Why it is scheduled", (width - 54 * mm) * 0.55)]
    story.append(RowTable(columns, content.unused) if content.unused
                 else para("Nothing to schedule."))
    return story


def methodology(content: BundleContent, width: float) -> list[Flowable]:
    story = section_start("methodology", "Methodology note")
    story.extend([
        para("How the markers are computed", H2),
        para("Every record in this bundle was imported from an exhibit without modification; "
             "the exhibit is kept read-only under its SHA-256 hash, and every record keeps the "
             "exhibit reference and the position in it (line, record or index) it came from."),
        para("The workbench then applies a fixed set of rules to the records. Each rule looks "
             "for one published warning sign of abuse of position for a sexual purpose: for "
             "example contact moving from a work phone to a personal channel, contact while the "
             "officer is off duty by the roster, or contact after the policing matter that "
             "brought the two people together concluded. Times are compared in the case's "
             f"timezone ({content.timezone})."),
        para("Markers are indicators, not findings. A marker says that records match a "
             "pattern; it does not say why, and innocent explanations are possible. Every "
             "marker lists the records that support it, and an investigator accepts or "
             "dismisses each one with a reason, which is logged.", NOTE),
    ])
    rules = content.rules_used
    story.append(para("Rules behind the markers in this bundle", H2))
    if not rules:
        story.append(para("No markers are included in this bundle."))
    settings = thresholds()
    severity = {t.key: t.value for t in settings if t.section == "severity"}
    columns = [Column("Rule", 45 * mm), Column("Fires when", width - 45 * mm - 20 * mm),
               Column("Starting severity", 20 * mm)]
    story.append(RowTable(columns, [(f"{rule_title(r)}\n({r})", rule_description(r),
                                     severity.get(r, "")) for r in rules]) if rules else gap(1))
    values = [t for t in settings if t.section in rules or t.section == "general"]
    if values:
        story.append(para("Thresholds used (from rules.toml)", H2))
        columns = [Column("Setting", 55 * mm), Column("Value", 20 * mm),
                   Column("Meaning", width - 75 * mm)]
        story.append(RowTable(columns, [(f"{t.section}.{t.key}", t.value, t.meaning)
                                        for t in values]))
    story.append(gap(4))
    story.append(para("Anonymisation", H2))
    story.append(para(
        "Members of the public and colleagues are shown by cipher; their telephone numbers, "
        "account names, police record references and addresses are masked, and their names are "
        "redacted from message texts, including first names and surnames on their own. Any "
        "telephone number in a message text is replaced by [number]."
        if content.anonymised else
        "This bundle is not anonymised: it shows real names and contact details.", BODY))
    return story


def manifest_intro() -> list[Flowable]:
    return [Anchor("manifest", "Manifest", 0), Paragraph("Manifest", H2)]
