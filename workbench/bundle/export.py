"""``export_bundle``: build, seal and write an evidential bundle, and record that it was made."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from reportlab.platypus import Flowable, NextPageTemplate, PageBreak

from workbench import audit
from workbench.analysis.freshness import evidence_changed_since_analysis
from workbench.bundle import manifest
from workbench.bundle.content import AUDIENCES, BundleContent
from workbench.bundle.document import (
    LANDSCAPE,
    MARGIN,
    PORTRAIT,
    BuildHooks,
    BundleCanvas,
    BundleDocTemplate,
    PageMarks,
)
from workbench.bundle.gather import gather
from workbench.bundle.sections import body, charts, closing, front
from workbench.bundle.sections.front import IndexEntry
from workbench.chart_layout import prepare_chart
from workbench.errors import NotFound, WorkbenchError
from workbench.evidence.exhibits import record_continuity
from workbench.ingest.pipeline import find_case
from workbench.integrity import case_problems
from workbench.model import Exhibit
from workbench.store import Store
from workbench.tasks import CancelToken, Progress, no_progress

Builder = Callable[[BundleContent, float], list[Flowable]]


@dataclass
class BundleResult:
    """What was written: where, how many pages, the seal and the exhibits relied on."""

    path: Path
    case_ref: str
    audience: str
    anonymised: bool
    pages: int
    seal: str
    exhibits: list[str] = field(default_factory=list)
    size: int = 0


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    build: Builder
    landscape: bool = False


def plan(content: BundleContent) -> list[Section]:
    """The sections of the bundle in order, for its audience."""
    sections = [
        Section("markers", "Escalation markers", body.markers),
        Section("chronology", "Chronology", body.chronology),
        Section("timeline_chart", "Timeline chart", charts.charts, landscape=True),
        Section("intelligence", "Intelligence summary", body.intelligence),
        Section("complaints", "Complaints", body.complaints),
        Section("exhibits", "Exhibits schedule and continuity", body.exhibits),
    ]
    if content.internal:
        sections += [Section("decisions", "Decision log", closing.decision_log),
                     Section("enquiries", "Lines of enquiry", closing.enquiries),
                     Section("unused", "Unused-material schedule", closing.unused_material)]
    sections.append(Section("methodology", "Methodology note", closing.methodology))
    return sections


def index_entries(content: BundleContent, sections: list[Section]) -> list[IndexEntry]:
    entries = []
    for section in sections:
        entries.append(IndexEntry(section.key, section.title))
        if section.key == "timeline_chart":
            entries.append(IndexEntry("link_chart", "Link chart"))
        if section.key == "markers":
            entries += [IndexEntry(m.key, f"{n}. {m.title} ({m.people})", 1)
                        for n, m in enumerate(content.markers, start=1)][:30]
    entries.append(IndexEntry("manifest", "Manifest"))
    return entries


def story(content: BundleContent) -> list[Flowable]:
    """Every flowable of the bundle, with page breaks and page-orientation switches."""
    portrait_width = PORTRAIT[0] - 2 * MARGIN
    landscape_width = LANDSCAPE[0] - 2 * MARGIN
    sections = plan(content)
    flow: list[Flowable] = front.cover(content)
    flow += [PageBreak(), *front.index(index_entries(content, sections), portrait_width)]
    for section in sections:
        flow += [NextPageTemplate("landscape" if section.landscape else "portrait"), PageBreak()]
        flow += section.build(content, landscape_width if section.landscape else portrait_width)
    flow += [NextPageTemplate("portrait"), PageBreak()]
    flow += manifest.manifest_page(content, portrait_width)
    return flow


def estimated_pages(content: BundleContent) -> int:
    return 8 + len(content.chronology) // 28 + len(content.markers) // 3


def render(content: BundleContent, progress: Progress = no_progress,
           cancel: CancelToken | None = None) -> tuple[bytes, str, int]:
    """The sealed PDF bytes of a bundle, its seal and its page count."""
    expected = max(estimated_pages(content), 1)

    def after_page(page: int) -> None:
        if cancel is not None:
            cancel.check()
        if page % 10 == 0:
            progress(min(0.2 + 0.7 * page / expected, 0.9), f"Laid out {page} pages")

    buffer = io.BytesIO()
    marks = PageMarks(content.classification, content.case_ref, content.audience_label,
                      f"Produced {content.produced_at}")
    doc = BundleDocTemplate(
        buffer, marks, BuildHooks(after_page=after_page),
        title=f"{content.case_ref}: {content.audience_label}",
        subject=f"Evidential bundle for case {content.case_ref} ({content.classification})",
        author="Investigator Workbench", creator="Investigator Workbench",
        keywords=f"{content.case_ref}, {content.classification}, {content.audience}")
    pages: list[int] = []

    def make_canvas(*args: object, **kwargs: object) -> BundleCanvas:
        canvas = BundleCanvas(*args, **kwargs)
        canvas.before_save.append(partial(manifest.attach_manifest, content=content))
        canvas.before_save.append(lambda c: pages.append(c.getPageNumber() - 1))
        canvas.showOutline()
        return canvas

    doc.build(story(content), canvasmaker=make_canvas)
    data, seal = manifest.seal(buffer.getvalue())
    return data, seal, pages[0] if pages else doc.page


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temp file in the same folder, then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def export_bundle(store: Store, ref: str, out_path: Path | str, *, audience: str = "hearing",
                  anonymise: bool | None = None, progress: Progress = no_progress,
                  cancel: CancelToken | None = None) -> BundleResult:
    """Produce the bundle of case ``ref`` for ``audience`` at ``out_path``.

    ``anonymise`` defaults to on for hearing and conference bundles. Nothing is
    written under ``out_path`` unless the whole bundle was built and sealed; the
    export is then recorded in each exhibit's continuity and in the audit chain.
    """
    if audience not in AUDIENCES:
        raise WorkbenchError(f"audience must be one of {', '.join(AUDIENCES)}, not {audience!r}")
    if anonymise is None:
        anonymise = audience in ("hearing", "conference")
    out_path = Path(out_path)
    if out_path.suffix.lower() != ".pdf":
        raise WorkbenchError(f"{out_path}: a bundle is written as a .pdf file")
    progress(0.0, "Reading the case")
    tampered = case_problems(store, ref)
    if tampered:  # a bundle must never present edited records as the case's
        raise WorkbenchError(f"{tampered[0]}: the case fails verification (workbench verify "
                             f"{ref}); no bundle can be exported from it")
    with store.reader() as session:
        case = find_case(session, ref)
        changed = evidence_changed_since_analysis(session, case)
        if changed:  # the markers would describe evidence the case no longer has
            raise WorkbenchError(f"{changed}: run the analysis again (workbench analyse {case.ref}) "
                                 "before exporting a bundle")
        content = gather(session, case, audience, anonymise)
        from workbench.anonymise import Anonymiser
        from workbench.timeline import load_timeline

        content.timeline = load_timeline(session, case, Anonymiser(case, anonymise))
    chart = prepare_chart(store, ref, anonymise=anonymise)  # as in the app and `workbench chart`
    content.link_graph, content.link_positions = chart.graph, chart.positions
    if cancel is not None:
        cancel.check()
    progress(0.2, "Laying out pages")
    data, seal, pages = render(content, progress, cancel)
    if cancel is not None:
        cancel.check()
    progress(0.92, "Writing the file")
    write_atomically(out_path, data)
    try:
        _record_export(store, ref, out_path, content, seal, pages)
    except BaseException:
        out_path.unlink(missing_ok=True)  # an unrecorded bundle must not be left behind
        raise
    progress(1.0, f"Bundle written: {pages} pages")
    return BundleResult(out_path, ref, audience, anonymise, pages, seal,
                        [x.reference for x in content.exhibits], len(data))


def _record_export(store: Store, ref: str, out_path: Path, content: BundleContent, seal: str,
                   pages: int) -> None:
    with store.session() as session:
        case = find_case(session, ref)
        references = {x.reference for x in content.exhibits}
        note = (f"relied on in {content.audience} bundle {out_path.name} ({pages} pages, "
                f"seal {seal})")
        for exhibit in session.query(Exhibit).filter(Exhibit.case_id == case.id):
            if exhibit.reference in references:
                record_continuity(exhibit, "bundle_export", note)
        audit.append(session, case, "bundle_export", {
            "file": out_path.name, "audience": content.audience, "anonymised": content.anonymised,
            "pages": pages, "seal": seal, "exhibits": sorted(references),
        })
    if not out_path.exists():
        raise NotFound(f"{out_path}: the bundle vanished after writing")
