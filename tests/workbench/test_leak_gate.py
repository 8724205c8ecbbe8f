"""Anonymised exports of a case built to leak: none of its identifying strings survive in
any output (pdftotext, pypdf, plain text), and the leak gate refuses a leaking export."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.workbench.leaky_case import LEAKS, OFFICERS_OWN, build_leaky_case
from workbench.anonymise import Anonymiser
from workbench.bundle import export_bundle
from workbench.chart import write_chart
from workbench.chronology_csv import write_chronology_csv
from workbench.leak_gate import LeakRefused
from workbench.store import Store

needs_poppler = pytest.mark.skipif(subprocess.run(["which", "pdftotext"], capture_output=True)
                                   .returncode != 0, reason="poppler-utils not installed")


def readable_texts(path: Path) -> list[str]:
    """Every text a reader or program gets out of the file."""
    data = path.read_bytes()
    if path.suffix != ".pdf":
        return [data.decode("utf-8-sig", errors="replace"), data.decode("latin-1")]
    reader = PdfReader(io.BytesIO(data))
    texts = [page.extract_text() or "" for page in reader.pages]
    texts += [str(v) for v in (reader.metadata or {}).values()]
    texts += [b.decode("utf-8", errors="replace") for items in reader.attachments.values()
              for b in items]
    texts.append(subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                                text=True, check=True).stdout)
    texts.append(subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                                text=True, check=True).stdout)
    return texts


def leaks_in(path: Path) -> list[str]:
    found = []
    for text in readable_texts(path):
        flat = " ".join(text.split()).casefold()
        found += [s for s in LEAKS if " ".join(s.split()).casefold() in flat]
        digits = re.sub(r"\D", "", text)
        found += [n for n in ("7700900201", "7700900301") if n in digits]
    return sorted(set(found))


@pytest.fixture
def leaky(store: Store, tmp_path: Path) -> Store:
    build_leaky_case(store, tmp_path)
    return store


@needs_poppler
def test_anonymised_outputs_of_a_leaky_case_leak_nothing(leaky: Store, tmp_path: Path) -> None:
    out = tmp_path / "out"
    written = []
    for audience in ("hearing", "conference"):
        result = export_bundle(leaky, "OP-WILLOW", out / f"{audience}.pdf", audience=audience)
        written += [result.path, out / f"{audience}-chronology.csv"]
    write_chronology_csv(leaky, "OP-WILLOW", out / "chronology.csv", anonymise=True)
    written.append(out / "chronology.csv")
    for suffix in (".pdf", ".svg", ".png", ".graphml", ".anx"):
        write_chart(leaky, "OP-WILLOW", out / f"chart{suffix}", anonymise=True)
        written.append(out / f"chart{suffix}")
    for path in written:
        assert path.exists() and path.stat().st_mode & 0o077 == 0, path  # mode 0600
        assert leaks_in(path) == [], path.name
    csv_text = (out / "chronology.csv").read_text(encoding="utf-8-sig")
    for own in OFFICERS_OWN:  # the officer stays named, with his own numbers and vehicle
        assert own in csv_text
    assert "search terms withheld (they name Woman A)" in csv_text
    hearing = " ".join(readable_texts(out / "hearing.pdf")[-1].split())
    assert "Matches occurrence [reference]" in hearing


def test_every_chart_file_carries_the_marking(leaky: Store, tmp_path: Path) -> None:
    for suffix in (".svg", ".graphml", ".anx", ".png"):
        path = tmp_path / f"chart{suffix}"
        write_chart(leaky, "OP-WILLOW", path, anonymise=True)
        assert b"OFFICIAL-SENSITIVE" in path.read_bytes(), suffix


@pytest.mark.parametrize("export", ["bundle", "csv", "chart"])
def test_leak_gate_refuses_a_leaking_export(leaky: Store, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch, export: str) -> None:
    """Redaction broken on purpose: the gate finds what slipped through and writes nothing."""
    monkeypatch.setattr(Anonymiser, "text", lambda self, text: text or "")
    monkeypatch.setattr(Anonymiser, "place", lambda self, place: place.label)
    out = tmp_path / "out"
    with pytest.raises(LeakRefused) as refused:
        if export == "bundle":
            export_bundle(leaky, "OP-WILLOW", out / "hearing.pdf", full_chronology="annex")
        elif export == "csv":
            write_chronology_csv(leaky, "OP-WILLOW", out / "c.csv", anonymise=True)
        else:
            write_chart(leaky, "OP-WILLOW", out / "c.svg", anonymise=True)
    message = str(refused.value)
    assert "refused" in message and re.search(r"(page|line) \d+", message)
    assert re.search(r"name|postcode|registration|reference|phone|place label", message)
    for value in LEAKS:  # the refusal names kind and place, never the value
        assert value.casefold() not in message.casefold()
    assert not out.exists() or not [p for p in out.iterdir() if not p.name.startswith(".")]


@needs_poppler
def test_the_leak_search_finds_what_an_unanonymised_bundle_shows(leaky: Store, tmp_path: Path) -> None:
    """The search above is not blind: the internal bundle, with names, trips it."""
    result = export_bundle(leaky, "OP-WILLOW", tmp_path / "internal.pdf", audience="internal",
                           full_chronology="annex")
    found = leaks_in(result.path)
    for expected in ("Kerry Lowe", "LS12 1AB", "13/80377/21", "AHMED RYAN", "TL46 KDH",
                     "RESTRICTED-INTEL-TEXT"):
        assert expected in found


def test_handling_code_c_leaves_no_date_count_or_gap(leaky: Store) -> None:
    """The prior-intelligence marker of a hearing bundle is dated, counted and drawn from the
    disclosed report alone; the intelligence table numbers the sanitised file 1..n."""
    from datetime import UTC, datetime

    from workbench.bundle.gather import gather
    from workbench.store.queries import find_case

    with leaky.reader() as session:
        content = gather(session, find_case(session, "OP-WILLOW"), "hearing", True)
    marker = next(m for m in content.markers if m.rule == "prior_intelligence")
    assert marker.period == "01/06/2020" and "further" not in marker.explanation
    assert "1 intelligence report" in marker.explanation
    start, end = content.marker_spans[int(marker.key.split("_")[1])]
    assert datetime.fromtimestamp(end, UTC).date().isoformat() == "2020-05-31"  # BST midnight
    assert [row[-1] for row in content.intel] == ["JB/3-S item 1"]
    assert [x.reference for x in content.exhibits if x.reference.startswith("JB/3")] == ["JB/3-S"]
