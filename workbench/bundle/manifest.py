"""The bundle's manifest: what it relies on, attached as ``manifest.json`` and printed last.

The manifest lists every exhibit the bundle relies on with its SHA-256 (a sanitised
intelligence exhibit names the exhibit it was made from), the full chronology's CSV
and the case file, each with its hash. The bundle is then signed with the unit key
(:mod:`workbench.bundle.signature`): the signature covers the whole file, manifest
included.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream, PDFString
from reportlab.platypus import Flowable, Paragraph

from workbench import __version__ as workbench_version
from workbench.bundle.content import BundleContent
from workbench.bundle.document import TOTAL_PAGES, BundleCanvas
from workbench.bundle.fonts import MONO, SANS, SANS_BOLD
from workbench.bundle.gather import size_text
from workbench.bundle.rows import Column, RowTable
from workbench.bundle.styles import BODY, H1, NOTE, SMALL, gap, labelled, para

FORMAT = "workbench-bundle-manifest/1"
ATTACHMENT_NAME = "manifest.json"
def manifest_document(content: BundleContent, pages: int) -> dict[str, Any]:
    """The manifest as JSON-ready data."""
    return {
        "format": FORMAT,
        "case": content.case_ref,
        "title": content.title,
        "classification": content.classification,
        "audience": content.audience,
        "anonymised": content.anonymised,
        "produced_at": content.produced_at_utc,
        "produced_by": content.prepared_by,
        "software": f"Investigator Workbench {workbench_version}",
        "pages": pages,
        "exhibits": [{"reference": x.reference, "file_name": x.file_name, "sha256": x.sha256,
                      "size": x.size, "records": x.records,
                      **({"sanitised_from": x.sanitised_from} if x.sanitised_from else {})}
                     for x in content.exhibits],
        "case_file": content.case_file,
        "full_chronology": content.chronology_csv or content.full_chronology,
        "signed_by": content.signer,
    }


def attach_manifest(canvas: BundleCanvas, content: BundleContent) -> None:
    """Embed ``manifest.json`` (uncompressed) as a PDF file attachment of the document."""
    pages = canvas.getPageNumber() - 1
    data = json.dumps(manifest_document(content, pages), indent=2, ensure_ascii=True).encode()
    doc = canvas._doc
    stream = PDFStream(PDFDictionary({"Type": PDFName("EmbeddedFile"),
                                      "Subtype": PDFName("application#2Fjson"),
                                      "Params": PDFDictionary({"Size": len(data)})}),
                       content=data, filters=[])
    spec = PDFDictionary({
        "Type": PDFName("Filespec"), "F": PDFString(ATTACHMENT_NAME),
        "UF": PDFString(ATTACHMENT_NAME), "Desc": PDFString("Bundle manifest"),
        "AFRelationship": PDFName("Data"),
        "EF": PDFDictionary({"F": doc.Reference(stream)}),
    })
    spec_ref = doc.Reference(spec)
    doc.Catalog.Names = PDFDictionary({"EmbeddedFiles": PDFDictionary(
        {"Names": PDFArray([PDFString(ATTACHMENT_NAME), spec_ref])})})


def read_manifest(data: bytes) -> dict[str, Any]:
    """The embedded manifest of a bundle; ValueError with the reason when there is none."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        attachments = reader.attachments
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"not a readable PDF ({exc})") from exc
    found = attachments.get(ATTACHMENT_NAME)
    if not found:
        raise ValueError(f"no embedded {ATTACHMENT_NAME}: not a workbench bundle")
    try:
        manifest = json.loads(found[0])
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError(f"the embedded {ATTACHMENT_NAME} is not valid JSON ({exc})") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ValueError(f"the embedded {ATTACHMENT_NAME} is not a {FORMAT} manifest")
    return manifest


@dataclass
class _Line(Flowable):
    """One line of plain text drawn straight onto the canvas (the page count)."""

    label: str
    value: str | None = None  # None: the page count, known only at the end

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width, self.height = available_width, 14
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.setFont(SANS_BOLD, 8.5)
        canvas.drawString(0, 3, self.label)
        x = 62 * mm
        if self.value is None:
            if isinstance(canvas, BundleCanvas):
                canvas.draw_late(TOTAL_PAGES, x, 3, SANS, 8.5)
        else:
            canvas.setFont(MONO, 8)
            canvas.drawString(x, 3, self.value)


def manifest_page(content: BundleContent, width: float) -> list[Flowable]:
    """The readable manifest, last in the bundle."""
    from workbench.bundle.document import Anchor

    columns = [Column("Exhibit", 18 * mm), Column("File", width - 18 * mm - 20 * mm - 99 * mm),
               Column("Size", 20 * mm), Column("SHA-256", 99 * mm, mono=True)]
    rows = [(x.reference, x.file_name, size_text(x.size), x.sha256) for x in content.exhibits]
    return [
        Anchor("manifest", "Manifest", 0),
        Paragraph("Manifest", H1),
        para("This page and the file manifest.json attached to this PDF record the exhibits "
             "this bundle relies on, with their SHA-256 hashes.", BODY),
        labelled("Case", content.case_ref, SMALL),
        labelled("Audience", content.audience_label, SMALL),
        labelled("Produced", f"{content.produced_at} by {content.prepared_by}", SMALL),
        _Line("Pages in this bundle:"),
        gap(2),
        RowTable(columns, rows, stripes=False) if rows else para("No exhibits."),
        gap(4),
        *_sources(content),
        para(f"This bundle is signed with the unit key of {content.signer['unit']} (certificate "
             f"SHA-256 fingerprint {content.signer['fingerprint']}) by a PDF (PAdES) signature "
             "that covers the whole file: a PDF reader shows it, and any change after signing "
             "breaks it. To check it, and that the exhibits still match the evidence store, run: "
             f"workbench verify-bundle FILE.pdf --case {content.case_ref}. The export is recorded "
             "with the file's SHA-256 in the case's audit log and in each exhibit's continuity.",
             NOTE),
    ]


def _sources(content: BundleContent) -> list[Flowable]:
    """The full chronology's CSV and the case file, with their hashes."""
    lines: list[Flowable] = []
    if content.chronology_csv:
        csv = content.chronology_csv
        lines.append(labelled("Full chronology", f"{csv['file']} ({csv['rows']:,} records), "
                              f"SHA-256 {csv['sha256']}", SMALL))
    if content.case_file:
        lines.append(labelled("Case file", f"{content.case_file['file']}, SHA-256 "
                              f"{content.case_file['sha256']} (the people, homes and engagements "
                              "marked \"case file\" in this bundle come from it)", SMALL))
    return lines
