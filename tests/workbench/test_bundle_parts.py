"""A bundle over the part limit is written as signed parts: each verifies, part 1's index
names the part and page of every entry, page numbers run on and match the PDF's own."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.workbench.bundle_case import IDENTIFYING, REF, build_case
from workbench.bundle import export_bundle, verify_bundle
from workbench.bundle.manifest import read_manifest
from workbench.cli import main
from workbench.errors import WorkbenchError
from workbench.store import Store

EXTRA = 1500  # chronology pages enough for a bundle of a few hundred KB


def _text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture
def split(store: Store, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The willow case's hearing bundle with a part limit at 60% of its whole size."""
    build_case(store, tmp_path, extra_messages=EXTRA)
    whole = export_bundle(store, REF, tmp_path / "whole" / "hearing.pdf")
    assert not whole.parts
    limit = int(whole.size * 0.6)
    out = tmp_path / "out" / "hearing.pdf"
    return store, whole, export_bundle(store, REF, out, part_limit=limit), limit, out


def test_a_bundle_over_the_limit_is_written_in_signed_parts(split) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    store, whole, result, limit, out = split
    assert len(result.parts) >= 2
    assert not out.exists()  # only the parts are written
    assert [p.path.name for p in result.parts] == [
        f"hearing-part-{n}-of-{len(result.parts)}.pdf" for n in range(1, len(result.parts) + 1)]
    expected_first = 1
    for part in result.parts:
        data = part.path.read_bytes()
        assert len(data) == part.size <= limit
        assert part.first == expected_first  # continuous: no page lost, none twice
        expected_first = part.last + 1
        check = verify_bundle(part.path, store, REF)
        assert check.ok, check.problems
        assert any("audit log" in line for line in check.checked)
        reader = PdfReader(part.path)
        # The PDF's own page numbers are the printed ones, running on from the part before.
        assert reader.page_labels == [str(n) for n in range(part.first, part.last + 1)]
        text = _text(part.path)
        assert f"Page {part.first} of {result.pages}" in text
        assert f"part {result.parts.index(part) + 1} of {len(result.parts)}" in text
        manifest = read_manifest(data)
        assert manifest["part"]["number"] == result.parts.index(part) + 1
        assert manifest["part"]["first_page"] == part.first
        assert [f["file"] for f in manifest["part"]["files"]] == [p.path.name for p in result.parts]
    assert expected_first - 1 == result.pages
    assert result.pages in (whole.pages, whole.pages + 1)  # the index says where the parts are


def test_part_one_indexes_every_entry_with_its_part_and_links_to_other_parts(split) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    _store, _whole, result, _limit, _out = split
    first, last = result.parts[0], result.parts[-1]
    index = _text(first.path)
    assert "Manifest" in index and f"part {len(result.parts)}, p. {result.pages}" in index
    assert f"part 1, pages 1–{first.last}: {first.path.name}" in index
    remote = []
    for page in PdfReader(first.path).pages[:3]:
        for annotation in page.get("/Annots", []) or []:
            action = annotation.get_object().get("/A")
            if action is not None and action["/S"] == "/GoToR":
                remote.append((str(action["/F"]), int(action["/D"][0])))
    # The manifest, the last page, is linked in the last part's file at its own page index.
    assert (last.path.name, last.last - last.first) in remote
    assert all(name != first.path.name for name, _ in remote)


@pytest.mark.parametrize("anonymise", [True])
def test_anonymised_parts_leak_nothing(split, anonymise: bool) -> None:  # type: ignore[no-untyped-def]
    _store, _whole, result, _limit, _out = split
    text = "\n".join(_text(p.path) for p in result.parts)
    for value in IDENTIFYING:
        assert value not in text
    assert "Woman A" in text


def test_a_changed_part_fails_verification(split) -> None:  # type: ignore[no-untyped-def]
    store, _whole, result, _limit, _out = split
    path = result.parts[1].path
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    assert not verify_bundle(path, store, REF).ok
    assert verify_bundle(result.parts[0].path, store, REF).ok


def test_a_page_larger_than_the_limit_is_refused_and_nothing_written(
        store: Store, tmp_path: Path) -> None:
    build_case(store, tmp_path)
    out = tmp_path / "out" / "hearing.pdf"
    with pytest.raises(WorkbenchError, match=r"page \d+ of the bundle alone is"):
        export_bundle(store, REF, out, part_limit=60 * 1024)
    assert not out.parent.exists() or not any(out.parent.glob("*.pdf"))


def test_cli_says_which_parts_it_wrote(cli_env: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture) -> None:
    from workbench.store import open_store

    store = open_store(os.environ["WORKBENCH_DB"])
    build_case(store, tmp_path, extra_messages=EXTRA)
    store.dispose()
    out = tmp_path / "bundle.pdf"
    assert main(["export", REF, "--out", str(out), "--json"]) == 0
    size = json.loads(capsys.readouterr().out)["size"]
    limit_mb = f"{size * 0.6 / 1024 / 1024:.4f}"
    split_out = tmp_path / "split.pdf"
    assert main(["export", REF, "--out", str(split_out), "--part-limit", limit_mb]) == 0
    printed = capsys.readouterr().out
    assert "written in" in printed and "parts, each signed" in printed
    for line in printed.splitlines()[1:]:
        name = line.split(":")[0]
        assert Path(name).exists() and "pages" in line and "SHA-256" in line
        assert main(["verify-bundle", name, "--case", REF]) == 0
