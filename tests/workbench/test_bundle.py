"""The evidential bundle: structure, markings, anonymisation, handling codes, seal."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.workbench.bundle_case import (
    CONDITIONS,
    IDENTIFYING,
    IDENTIFYING_NUMBERS,
    REF,
    RESTRICTED_URN,
    SAFE_TEXT_SAMPLES,
    build_case,
)
from workbench.analysis import rule_title
from workbench.bundle import export_bundle
from workbench.bundle.manifest import read_manifest
from workbench.errors import WorkbenchError
from workbench.store import Store

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")


def pdftotext(path: Path, page: int | None = None, layout: bool = True) -> str:
    command = ["pdftotext", "-layout"] if layout else ["pdftotext"]
    if page is not None:
        command += ["-f", str(page), "-l", str(page)]
    return subprocess.run([*command, str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


PAGE_SUFFIX = re.compile(r" \(p\. (\d+)\)$")  # bookmarks carry their page number


def outline_titles(reader: PdfReader) -> list[str]:
    titles: list[str] = []

    def walk(items: list) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(PAGE_SUFFIX.sub("", item.title))

    walk(reader.outline)
    return titles


@pytest.fixture(scope="module")
def bundles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The willow case exported once for each audience (module-scoped: building is the slow bit)."""
    import os

    from workbench.store import open_store

    root = tmp_path_factory.mktemp("bundles")
    old = os.environ.get("WORKBENCH_EVIDENCE")
    os.environ["WORKBENCH_EVIDENCE"] = str(root / "evidence")
    try:
        store = open_store(f"sqlite:///{root / 'case.db'}")
        build_case(store, root, extra_messages=90)
        paths = {}
        for audience in ("hearing", "conference", "internal"):
            paths[audience] = root / f"{audience}.pdf"
            export_bundle(store, REF, paths[audience], audience=audience)
        paths["db"] = root / "case.db"  # type: ignore[assignment]
        store.dispose()
    finally:
        if old is None:
            os.environ.pop("WORKBENCH_EVIDENCE", None)
        else:
            os.environ["WORKBENCH_EVIDENCE"] = old
    return paths


@needs_poppler
def test_every_page_is_marked_and_numbered_n_of_m(bundles: dict[str, Path]) -> None:
    path = bundles["hearing"]
    total = len(PdfReader(path).pages)
    assert total >= 10
    for page in range(1, total + 1):
        lines = [line.strip() for line in pdftotext(path, page).splitlines() if line.strip()]
        assert "OFFICIAL-SENSITIVE" in lines[0], f"page {page}: no classification at the top"
        assert "OFFICIAL-SENSITIVE" in lines[-1], f"page {page}: no classification at the foot"
        assert re.search(rf"Page {page} of {total}\b", lines[-1]), f"page {page}: {lines[-1]!r}"


def test_bookmarks_for_every_section(bundles: dict[str, Path]) -> None:
    hearing = outline_titles(PdfReader(bundles["hearing"]))
    for section in ("Cover", "Index", "Escalation markers", "Chronology", "Timeline chart",
                    "Link chart", "Intelligence summary", "Complaints",
                    "Exhibits schedule and continuity", "Methodology note", "Manifest"):
        assert section in hearing
    assert "Decision log" not in hearing and "Unused-material schedule" not in hearing
    internal = outline_titles(PdfReader(bundles["internal"]))
    for section in ("Decision log", "Lines of enquiry", "Unused-material schedule"):
        assert section in internal
    assert any(title.startswith("JB/1") for title in internal), "no bookmark per exhibit"
    assert any(title.startswith("March 2021") for title in internal), "no bookmark per month"


def section_pages(reader: PdfReader) -> dict[str, int]:
    """Outline title -> 1-based page number."""
    pages: dict[str, int] = {}

    def walk(items: list) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                page = reader.get_destination_page_number(item) + 1
                printed = PAGE_SUFFIX.search(item.title)
                assert printed and int(printed.group(1)) == page, item.title  # bookmark's page
                pages[PAGE_SUFFIX.sub("", item.title)] = page

    walk(reader.outline)
    return pages


@needs_poppler
def test_index_links_to_the_pages_it_names(bundles: dict[str, Path]) -> None:
    path = bundles["internal"]
    reader = PdfReader(path)
    page_numbers = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages, 1)}
    links = [a.get_object() for a in reader.pages[1].get("/Annots", [])]
    targets = {page_numbers[link["/Dest"][0].idnum] for link in links}
    sections = section_pages(reader)
    text = pdftotext(path, 2)
    for title in ("Chronology", "Methodology note", "Manifest", "Decision log"):
        printed = re.search(rf"^\s*{title}\s*\.+\s*(\d+)\s*$", text, re.MULTILINE)
        assert printed, f"{title} not in the index"
        assert int(printed.group(1)) == sections[title]
        assert sections[title] in targets, f"no link to {title}'s page"
        assert title in pdftotext(path, sections[title])


@needs_poppler
def test_anonymised_bundle_leaks_nothing_identifying(bundles: dict[str, Path]) -> None:
    for audience in ("hearing", "conference"):
        path = bundles[audience]
        reader = PdfReader(path)
        everything = [pdftotext(path)]
        everything += [str(value) for value in (reader.metadata or {}).values()]
        everything += outline_titles(reader)
        everything += [data.decode("utf-8") for files in reader.attachments.values()
                       for data in files]
        everything += [page.extract_text() for page in reader.pages]
        text = "\n".join(everything)
        folded = text.casefold()
        for needle in IDENTIFYING:
            assert needle.casefold() not in folded, f"{audience}: {needle!r} leaked"
        digits = re.sub(r"[\s().+\-]", "", text)
        for number in IDENTIFYING_NUMBERS:
            assert number not in digits, f"{audience}: phone {number} leaked"
        assert "Woman A" in text and "Colleague 1" in text
        assert "Daniel Marsh" in text  # the officer is named


@needs_poppler
def test_unanonymised_internal_bundle_shows_names(bundles: dict[str, Path]) -> None:
    text = pdftotext(bundles["internal"])
    assert "Kerry Lowe" in text


@needs_poppler
def test_handling_code_c_and_conditions_stay_out_of_open_bundles(bundles: dict[str, Path]) -> None:
    for audience in ("hearing", "conference"):
        text = pdftotext(bundles[audience])
        assert RESTRICTED_URN not in text and "RESTRICTED-INTEL-TEXT" not in text
        assert "CONDITIONED-LEGACY-TEXT" not in text and "INT-5-0003" not in text
        assert "INT-P-0001" in text  # handling code P is shown
    # Reading order, not layout; a cell wrapped at a hyphen loses it.
    internal = " ".join(pdftotext(bundles["internal"], layout=False).split())
    assert RESTRICTED_URN.replace("-", "") in internal.replace("-", "")
    assert "CONDITIONEDLEGACYTEXT" in internal.replace("-", "")
    assert "Conditions" in internal
    for word in CONDITIONS.split():  # wrapped in its table cell, so word by word
        assert word in internal, word


@needs_poppler
def test_markers_by_audience(bundles: dict[str, Path]) -> None:
    hearing = " ".join(pdftotext(bundles["hearing"]).split())
    assert rule_title("channel_shift") in hearing
    assert rule_title("secrecy_request") not in hearing  # open: not for a hearing
    assert "JB/1 line 4" in " ".join(hearing.split())  # evidence exhibit and position
    internal = " ".join(pdftotext(bundles["internal"]).split())
    assert rule_title("secrecy_request") in internal and "Dismissed" in internal
    for word in ("abuse", "guilty", "offence committed"):
        assert word not in hearing.casefold().replace("abuse of position", "")


@needs_poppler
def test_user_text_prints_literally(bundles: dict[str, Path]) -> None:
    text = " ".join(pdftotext(bundles["internal"], layout=False).split())  # cells wrap
    for sample in SAFE_TEXT_SAMPLES[:3]:
        assert sample in text, sample
    for word in SAFE_TEXT_SAMPLES[3].split() + SAFE_TEXT_SAMPLES[4].split():
        assert word in text or word[::-1] in text, word


def test_manifest_lists_exhibits_sources_and_signer(bundles: dict[str, Path]) -> None:
    data = bundles["hearing"].read_bytes()
    manifest = read_manifest(data)
    assert manifest["case"] == REF and manifest["audience"] == "hearing"
    assert manifest["pages"] == len(PdfReader(bundles["hearing"]).pages)
    references = [x["reference"] for x in manifest["exhibits"]]
    assert "JB/1" in references and "JB/4" not in references  # JB/4 is not relied on
    assert all(re.fullmatch(r"[0-9a-f]{64}", x["sha256"]) for x in manifest["exhibits"])
    # JB/3 also holds a handling-code C report: only its sanitised version is relied on.
    assert "JB/3" not in references and "JB/3-S" in references
    sanitised = next(x for x in manifest["exhibits"] if x["reference"] == "JB/3-S")
    assert sanitised["sanitised_from"] == "JB/3" and sanitised["records"] == 1
    assert re.fullmatch(r"[0-9a-f]{64}", manifest["case_file"]["sha256"])
    assert manifest["full_chronology"]["file"] == "hearing-chronology.csv"
    assert manifest["signed_by"]["unit"] == "Test Counter-Corruption Unit"


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf missing")
def test_qpdf_check_passes(bundles: dict[str, Path]) -> None:
    for audience in ("hearing", "internal"):
        result = subprocess.run(["qpdf", "--check", str(bundles[audience])],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils missing")
def test_fonts_are_embedded(bundles: dict[str, Path]) -> None:
    listing = subprocess.run(["pdffonts", str(bundles["hearing"])], capture_output=True,
                             text=True, check=True).stdout.splitlines()[2:]
    assert listing
    for line in listing:
        assert " yes yes " in line, line


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils missing")
def test_a_page_of_each_section_renders(bundles: dict[str, Path], tmp_path: Path) -> None:
    sections = section_pages(PdfReader(bundles["internal"]))
    for key in ("Cover", "Index", "Escalation markers", "Chronology", "Timeline chart",
                "Link chart", "Intelligence summary", "Complaints",
                "Exhibits schedule and continuity", "Decision log", "Lines of enquiry",
                "Unused-material schedule", "Methodology note", "Manifest"):
        page = sections[key]
        key = key.split()[0]
        prefix = tmp_path / key
        subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", str(page), "-l", str(page),
                        str(bundles["internal"]), str(prefix)], check=True)
        produced = list(tmp_path.glob(f"{key}*.png"))
        assert produced and produced[0].stat().st_size > 2000, key


def test_metadata_has_title_and_reference_only(bundles: dict[str, Path]) -> None:
    metadata = PdfReader(bundles["hearing"]).metadata
    assert REF in metadata.title
    assert "Kerry" not in str(dict(metadata))


def test_bad_audience_and_extension_are_refused(store: Store, tmp_path: Path) -> None:
    build_case(store, tmp_path)
    with pytest.raises(WorkbenchError, match="audience"):
        export_bundle(store, REF, tmp_path / "x.pdf", audience="press")
    with pytest.raises(WorkbenchError, match=".pdf"):
        export_bundle(store, REF, tmp_path / "x.docx")
