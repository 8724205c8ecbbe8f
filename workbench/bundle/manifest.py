"""The bundle's manifest and seal: what it relies on, and proof it has not been altered.

The seal
--------
The seal is the SHA-256 of the bundle file's own bytes, computed with every
place that shows the seal holding :data:`PLACEHOLDER` instead (the same idea as
the byte range of a PDF digital signature, which leaves out its own hole).
The bundle is written with the placeholder in two places: the embedded
``manifest.json`` (an uncompressed stream) and the printed manifest page (an
uncompressed page whose fonts keep ASCII readable). The bytes are hashed, and the
hash replaces the placeholder in both places, which leaves every offset unchanged.

To verify, read the seal from the manifest, put the placeholder back wherever the
seal occurs, and hash again: any changed byte anywhere in the file, including in
the seal itself, gives a different hash. The export is also recorded with its
seal in the case's audit chain, so ``verify-bundle --case`` can show that the
bundle was produced from that case and not re-sealed by someone else.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream, PDFString
from reportlab.platypus import Flowable, Paragraph

from workbench import __version__ as workbench_version
from workbench.bundle.content import BundleContent
from workbench.bundle.document import TOTAL_PAGES, BundleCanvas, CompressionOff
from workbench.bundle.fonts import MONO, SANS, SANS_BOLD
from workbench.bundle.gather import size_text
from workbench.bundle.rows import Column, RowTable
from workbench.bundle.styles import BODY, H1, NOTE, SMALL, gap, labelled, para

FORMAT = "workbench-bundle-manifest/1"
ATTACHMENT_NAME = "manifest.json"
PLACEHOLDER = ("SEAL" * 16).encode("ascii")  # 64 bytes, like a SHA-256 in hex
SEAL_PLACES = 2  # the embedded manifest and the printed manifest page
SEAL_METHOD = ("SHA-256 of the PDF file's bytes with each occurrence of this seal replaced by "
               "the word SEAL written 16 times")


class SealingError(Exception):
    """The bundle could not be sealed (the placeholder was not found where expected)."""


def manifest_document(content: BundleContent, pages: int) -> dict[str, Any]:
    """The manifest as JSON-ready data (the seal is the placeholder until sealed)."""
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
        "seal": {"algorithm": "sha256", "method": SEAL_METHOD, "places": SEAL_PLACES,
                 "value": PLACEHOLDER.decode("ascii")},
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
        "UF": PDFString(ATTACHMENT_NAME), "Desc": PDFString("Bundle manifest and seal"),
        "AFRelationship": PDFName("Data"),
        "EF": PDFDictionary({"F": doc.Reference(stream)}),
    })
    spec_ref = doc.Reference(spec)
    doc.Catalog.Names = PDFDictionary({"EmbeddedFiles": PDFDictionary(
        {"Names": PDFArray([PDFString(ATTACHMENT_NAME), spec_ref])})})


def seal(data: bytes) -> tuple[bytes, str]:
    """Replace the placeholders in the finished PDF with its seal; returns (bytes, seal)."""
    found = data.count(PLACEHOLDER)
    if found != SEAL_PLACES:
        raise SealingError(f"expected the seal placeholder in {SEAL_PLACES} places, found {found}")
    value = hashlib.sha256(data).hexdigest()
    return data.replace(PLACEHOLDER, value.encode("ascii")), value


def unsealed_hash(data: bytes, value: str) -> str:
    """The hash of ``data`` with the seal put back to the placeholder (what :func:`seal` hashed)."""
    return hashlib.sha256(data.replace(value.encode("ascii"), PLACEHOLDER)).hexdigest()


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
    """One line of plain text drawn straight onto the canvas (the seal, the page count)."""

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
    """The readable manifest, last in the bundle, written uncompressed so its seal can be found."""
    from workbench.bundle.document import Anchor

    columns = [Column("Exhibit", 18 * mm), Column("File", width - 18 * mm - 20 * mm - 99 * mm),
               Column("Size", 20 * mm), Column("SHA-256", 99 * mm, mono=True)]
    rows = [(x.reference, x.file_name, size_text(x.size), x.sha256) for x in content.exhibits]
    return [
        CompressionOff(),
        Anchor("manifest", "Manifest", 0),
        Paragraph("Manifest", H1),
        para("This page and the file manifest.json attached to this PDF record the exhibits "
             "this bundle relies on, with their SHA-256 hashes, and the bundle's seal.", BODY),
        labelled("Case", content.case_ref, SMALL),
        labelled("Audience", content.audience_label, SMALL),
        labelled("Produced", f"{content.produced_at} by {content.prepared_by}", SMALL),
        _Line("Pages in this bundle:"),
        gap(2),
        RowTable(columns, rows, stripes=False) if rows else para("No exhibits."),
        gap(4),
        _Line("Bundle seal (SHA-256):", PLACEHOLDER.decode("ascii")),
        para(f"The seal is the {SEAL_METHOD}. To check that this bundle has not been altered "
             "since it was produced, run: workbench verify-bundle FILE.pdf --case "
             f"{content.case_ref}. The export is also recorded with this seal in the case's "
             "audit log and in each exhibit's continuity.", NOTE),
    ]
