"""``export_bundle``: build, sign and write an evidential bundle, and record that it was made."""

from __future__ import annotations

import hashlib
import io
import tempfile
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from reportlab.platypus import Flowable, NextPageTemplate, PageBreak

from workbench import audit, unit_key
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
from workbench.bundle.gather import gather, size_text
from workbench.bundle.parts import (
    EMAIL_LIMIT,
    PartPages,
    part_file_name,
    part_pdf,
    plan_parts,
)
from workbench.bundle.sections import body, charts, closing, front
from workbench.bundle.sections.front import IndexEntry
from workbench.bundle.signature import sign_pdf
from workbench.chart_layout import prepare_chart
from workbench.errors import WorkbenchError
from workbench.evidence.exhibits import record_continuity
from workbench.integrity import case_problems
from workbench.leak_gate import LeakGate
from workbench.model import Exhibit
from workbench.staged_output import staged_output
from workbench.store import Store
from workbench.store.queries import find_case
from workbench.tasks import CancelToken, Progress, no_progress

Builder = Callable[[BundleContent, float], list[Flowable]]


@dataclass(frozen=True)
class WrittenPart:
    """One signed file of a bundle sent in parts: pages ``first`` to ``last``."""

    path: Path
    first: int
    last: int
    size: int
    sha256: str


@dataclass
class BundleResult:
    """What was written: where, how many pages, the signed file's SHA-256 and the exhibits.

    A bundle over the part limit is written as ``parts`` (``path`` and ``sha256`` are then
    part 1's; ``size`` is the largest part's)."""

    path: Path
    case_ref: str
    audience: str
    anonymised: bool
    pages: int
    sha256: str
    exhibits: list[str] = field(default_factory=list)
    size: int = 0
    warnings: list[str] = field(default_factory=list)
    parts: list[WrittenPart] = field(default_factory=list)


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
    if content.notes:
        sections.append(Section("notes", "Investigators' notes and tags", body.notes))
    sections.append(Section("methodology", "Methodology note", closing.methodology))
    sections.append(Section("supporting", "Annex: supporting records of each marker",
                            body.supporting_records))
    if content.full_chronology == "annex":
        sections.append(Section("full_chronology", "Annex: full chronology", body.full_chronology))
    return sections


def index_entries(content: BundleContent, sections: list[Section]) -> list[IndexEntry]:
    entries = []
    for section in sections:
        entries.append(IndexEntry(section.key, section.title))
        if section.key == "timeline_chart":
            entries.append(IndexEntry("link_chart", "Link chart"))
        if section.key == "markers":
            entries += [IndexEntry(m.key, f"{n}. {m.title} ({m.people})", 1)
                        for n, m in enumerate(content.markers, start=1)]
    entries.append(IndexEntry("manifest", "Manifest"))
    return entries


def story(content: BundleContent) -> list[Flowable]:
    """Every flowable of the bundle, with page breaks and page-orientation switches."""
    portrait_width = PORTRAIT[0] - 2 * MARGIN
    landscape_width = LANDSCAPE[0] - 2 * MARGIN
    sections = plan(content)
    flow: list[Flowable] = front.cover(content)
    flow += [PageBreak(), *front.index(index_entries(content, sections), portrait_width, content)]
    for section in sections:
        flow += [NextPageTemplate("landscape" if section.landscape else "portrait"), PageBreak()]
        flow += section.build(content, landscape_width if section.landscape else portrait_width)
    flow += [NextPageTemplate("portrait"), PageBreak()]
    flow += manifest.manifest_page(content, portrait_width)
    return flow


def estimated_pages(content: BundleContent) -> int:
    return 8 + len(content.chronology) // 28 + len(content.markers) // 3


def render(content: BundleContent, progress: Progress = no_progress,
           cancel: CancelToken | None = None) -> tuple[bytes, int]:
    """The (unsigned) PDF bytes of a bundle and its page count."""
    expected = max(estimated_pages(content), 1)

    def after_page(page: int) -> None:
        if cancel is not None:
            cancel.check()
        if page % 10 == 0:
            progress(min(0.2 + 0.7 * page / expected, 0.9), f"Laid out {page} pages")

    buffer = io.BytesIO()
    marks = PageMarks(content.classification, content.case_ref, content.audience_label,
                      f"Produced {content.produced_at}", content.parts)
    doc = BundleDocTemplate(
        buffer, marks, BuildHooks(after_page=after_page),
        title=f"{content.case_ref}: {content.audience_label}",
        subject=f"Evidential bundle for case {content.case_ref} ({content.classification})",
        author="Investigator Workbench", creator="Investigator Workbench",
        keywords=f"{content.case_ref}, {content.classification}, {content.audience}")
    pages: list[int] = []

    def make_canvas(*args: object, **kwargs: object) -> BundleCanvas:
        canvas = BundleCanvas(*args, **kwargs)
        canvas.parts = content.parts
        canvas.before_save.append(partial(manifest.attach_manifest, content=content))
        canvas.before_save.append(lambda c: pages.append(c.getPageNumber() - 1))
        canvas.showOutline()
        return canvas

    doc.build(story(content), canvasmaker=make_canvas)
    return buffer.getvalue(), pages[0] if pages else doc.page


FULL_CHRONOLOGY = ("csv", "annex")
BUNDLE_UNRESOLVED = 8
SPLIT_ROUNDS = 4  # layouts tried before a split into parts must have settled


def export_bundle(store: Store, ref: str, out_path: Path | str, *, audience: str = "hearing",
                  anonymise: bool | None = None, full_chronology: str = "csv",
                  include_notes: bool | None = None,
                  signing_key: unit_key.UnitKey | None = None, progress: Progress = no_progress,
                  cancel: CancelToken | None = None,
                  part_limit: int = EMAIL_LIMIT) -> BundleResult:
    """Produce the bundle of case ``ref`` for ``audience`` at ``out_path``, signed with
    ``signing_key`` or else the unit key (:func:`workbench.unit_key.require`).

    ``anonymise`` defaults to on for hearing and conference bundles. The chronology
    holds the relevant records; the full chronology goes in an annex
    (``full_chronology="annex"``) or in ``NAME-chronology.csv`` beside the bundle
    (``"csv"``, the default), anonymised alike and listed in the manifest. Nothing is
    written under ``out_path`` unless the whole bundle was built and signed; the
    export is then recorded in each exhibit's continuity and in the audit chain.

    A bundle over ``part_limit`` bytes (36 MB, the e-mail limit of court e-bundle
    practice) is written as signed parts ``NAME-part-K-of-N.pdf`` instead
    (:mod:`workbench.bundle.parts`), each under the limit.
    """
    if audience not in AUDIENCES:
        raise WorkbenchError(f"audience must be one of {', '.join(AUDIENCES)}, not {audience!r}")
    if anonymise is None:
        anonymise = audience in ("hearing", "conference")
    out_path = Path(out_path)
    if out_path.suffix.lower() != ".pdf":
        raise WorkbenchError(f"{out_path}: a bundle is written as a .pdf file")
    if full_chronology not in FULL_CHRONOLOGY:
        raise WorkbenchError(f"full chronology must be one of {', '.join(FULL_CHRONOLOGY)}, "
                             f"not {full_chronology!r}")
    key = signing_key or unit_key.require()
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
        content = gather(session, case, audience, anonymise, full_chronology, include_notes)
        content.signer = {"unit": key.unit, "fingerprint": key.fingerprint}
        gate = LeakGate(case) if anonymise else None
        from workbench.anonymise import Anonymiser
        from workbench.timeline import load_timeline

        content.timeline = load_timeline(session, case, Anonymiser(case, anonymise))
    # As in the app and `workbench chart`, with fewer unattributed identifiers drawn one by
    # one: a bundle page is smaller than a screen, and labels must not collide.
    chart = prepare_chart(store, ref, anonymise=anonymise, max_unresolved=BUNDLE_UNRESOLVED)
    content.link_graph, content.link_positions = chart.graph, chart.positions
    if cancel is not None:
        cancel.check()
    csv_path = out_path.with_name(f"{out_path.stem}-chronology.csv")
    try:
        if full_chronology == "csv":
            # Imported here: the CSV writer uses the bundle's chronology rows (no cycle).
            from workbench.chronology_csv import write_chronology_csv

            progress(0.1, "Writing the full chronology (CSV)")
            rows = write_chronology_csv(store, ref, csv_path, anonymise=anonymise)
            content.chronology_csv = {"file": csv_path.name, "rows": rows,
                                      "sha256": hashlib.sha256(csv_path.read_bytes()).hexdigest()}
        progress(0.2, "Laying out pages")
        data, pages, parts = _lay_out(content, out_path, part_limit, progress, cancel)
        if gate is not None:
            progress(0.9, "Checking the anonymised bundle for identifying data")
            gate.check(data, out_path.name)
        progress(0.92, "Signing with the unit key")
        reason = f"{content.audience_label} for case {ref}"
        if len(parts) == 1:
            files = [(out_path, parts[0], sign_pdf(data, key, reason=reason, location=key.unit))]
        else:
            document = manifest.manifest_document(content, pages)
            files = []
            for part, name in zip(parts, content.part_files, strict=True):
                piece = part_pdf(data, part, parts, content.part_files, document,
                                 f"{content.case_ref}: {content.audience_label}")
                if gate is not None:
                    gate.check(piece, name)
                signed = sign_pdf(piece, key, reason=f"{reason}, part {part.number} of "
                                  f"{len(parts)}", location=key.unit)
                if len(signed) > part_limit:
                    raise WorkbenchError(f"{name}: {size_text(len(signed))} once signed, over "
                                         f"the {size_text(part_limit)} limit of a part")
                files.append((out_path.with_name(name), part, signed))
        written = [WrittenPart(path, part.first, part.last, len(signed),
                               hashlib.sha256(signed).hexdigest())
                   for path, part, signed in files]
        with ExitStack() as stack:  # each file under its name only once the export is recorded
            for (path, _, signed) in files:
                stack.enter_context(staged_output(path)).write_bytes(signed)
            _record_export(store, ref, out_path, content, written, pages)
    except BaseException:
        if content.chronology_csv is not None:
            csv_path.unlink(missing_ok=True)  # the CSV goes with its bundle
        raise
    shown = (f"{pages} pages" if len(written) == 1 else
             f"{pages} pages in {len(written)} parts under {size_text(part_limit)}")
    progress(1.0, f"Bundle written: {shown}")
    return BundleResult(written[0].path, ref, audience, anonymise, pages, written[0].sha256,
                        [x.reference for x in content.exhibits],
                        max(w.size for w in written), [], written if len(written) > 1 else [])


def _lay_out(content: BundleContent, out_path: Path, part_limit: int, progress: Progress,
             cancel: CancelToken | None) -> tuple[bytes, int, list[PartPages]]:
    """The laid-out bundle, its page count and its parts (one part: the whole bundle).

    A bundle over the limit is laid out again knowing its parts (headers and index name
    them), until the parts planned from the layout are those it was laid out with.
    """
    data, pages = render(content, progress, cancel)
    parts = plan_parts(data, pages, part_limit)
    for _ in range(SPLIT_ROUNDS):
        if len(parts) == 1 or parts == content.parts:
            return data, pages, parts
        progress(0.5, f"Laying out again in {len(parts)} parts of at most "
                 f"{size_text(part_limit)}")
        content.parts = parts
        content.part_files = [part_file_name(out_path, p.number, len(parts)) for p in parts]
        data, pages = render(content, progress, cancel)
        if cancel is not None:
            cancel.check()
        parts = plan_parts(data, pages, part_limit, split=True)
    raise WorkbenchError(f"{out_path.name}: the split into parts of at most "
                         f"{size_text(part_limit)} did not settle; try a larger part limit")


def _store_copy(store: Store, data: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        store.files.put(path)


def _record_export(store: Store, ref: str, out_path: Path, content: BundleContent,
                   written: list[WrittenPart], pages: int) -> None:
    digest = written[0].sha256
    with store.session() as session:
        case = find_case(session, ref)
        references = {x.reference for x in content.exhibits}
        note = (f"relied on in {content.audience} bundle {out_path.name} ({pages} pages, "
                f"SHA-256 {digest})" if len(written) == 1 else
                f"relied on in {content.audience} bundle {out_path.name} ({pages} pages) sent in "
                f"{len(written)} parts: " + "; ".join(
                    f"{w.path.name} (pages {w.first}–{w.last}, SHA-256 {w.sha256})"
                    for w in written))
        for exhibit in session.query(Exhibit).filter(Exhibit.case_id == case.id):
            if exhibit.reference in references:
                record_continuity(exhibit, "bundle_export", note)
        for clean in content.sanitised:  # kept, and linked to the original in its continuity
            _store_copy(store, clean.data, clean.file_name)
            original = session.get(Exhibit, clean.original.id)
            if original is not None:
                record_continuity(original, "sanitised", (
                    f"sanitised version {clean.reference} ({clean.file_name}, SHA-256 "
                    f"{clean.sha256}, {len(clean.items)} reports) relied on in "
                    f"{content.audience} bundle {out_path.name} instead of this exhibit"))
        audit.append(session, case, "bundle_export", {
            "file": out_path.name, "audience": content.audience, "anonymised": content.anonymised,
            "pages": pages, "sha256": digest, "signed_by": content.signer,
            "exhibits": sorted(references),
            **({"parts": [{"file": w.path.name, "first_page": w.first, "last_page": w.last,
                           "sha256": w.sha256} for w in written]} if len(written) > 1 else {}),
        })
