"""The bundle's signature and verification, its export record, cancellation and the CLI."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.workbench.bundle_case import REF, build_case
from workbench.bundle import export_bundle, verify_bundle
from workbench.cli import main
from workbench.errors import Cancelled
from workbench.model import AuditEntry, Continuity, Exhibit
from workbench.store import Store
from workbench.tasks import CancelToken


@pytest.fixture
def exported(store: Store, tmp_path: Path) -> tuple[Store, Path]:
    build_case(store, tmp_path)
    out = tmp_path / "out" / "hearing.pdf"
    export_bundle(store, REF, out)
    return store, out


def test_untouched_bundle_verifies(exported: tuple[Store, Path]) -> None:
    store, path = exported
    check = verify_bundle(path, store, REF)
    assert check.ok, check.problems
    assert any("audit log" in line for line in check.checked)


@pytest.mark.parametrize("where", [0.1, 0.5, 0.9, -40])
def test_one_changed_byte_is_detected(exported: tuple[Store, Path], where: float) -> None:
    store, path = exported
    data = bytearray(path.read_bytes())
    position = int(len(data) * where) if where > 0 else len(data) + int(where)
    data[position] = (data[position] + 1) % 256
    path.write_bytes(bytes(data))
    check = verify_bundle(path)
    assert not check.ok
    assert "altered" in check.problems[0] or "not" in check.problems[0]


def _forge_page(path: Path, words: str = "Officer admitted this") -> None:
    """Add ``words`` to page 3 and write the file out again (as pypdf or a PDF editor would)."""
    from pypdf import PdfReader, PdfWriter
    from reportlab.pdfgen import canvas

    overlay = io.BytesIO()
    page = canvas.Canvas(overlay)
    page.drawString(120, 420, words)
    page.save()
    writer = PdfWriter(clone_from=PdfReader(path))
    writer.pages[2].merge_page(PdfReader(overlay).pages[0])
    with open(path, "wb") as out:
        writer.write(out)


def test_forgery_officer_admitted_this_fails(exported: tuple[Store, Path]) -> None:
    """The issue's forgery: words added to a page, then the file re-sealed by the old printed
    method (hash the file, write the hash into the manifest). There is no hash to re-write
    now: the signature covers the file, and no re-hash can make it match."""
    store, path = exported
    _forge_page(path)
    assert "Officer admitted this" in subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    for check in (verify_bundle(path), verify_bundle(path, store, REF)):
        assert not check.ok
        assert "signature" in check.problems[0] or "signed" in check.problems[0]


def test_content_appended_after_signing_fails(exported: tuple[Store, Path]) -> None:
    """An incremental update keeps the signed bytes intact: it still fails."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    store, path = exported
    writer = IncrementalPdfFileWriter(io.BytesIO(path.read_bytes()), strict=False)
    writer.document_meta.title = "Officer admitted this"
    info = writer.trailer["/Info"]
    info["/Title"] = generic.TextStringObject("Officer admitted this")
    writer.update_container(info)
    out = io.BytesIO()
    writer.write(out)
    path.write_bytes(out.getvalue())
    for check in (verify_bundle(path), verify_bundle(path, store, REF)):
        assert not check.ok and "after it was signed" in check.problems[0]


def test_resigned_with_another_key_fails(exported: tuple[Store, Path], tmp_path: Path) -> None:
    from workbench import unit_key
    from workbench.bundle.signature import sign_pdf

    store, path = exported
    _forge_page(path)
    forger = unit_key.init("West Yorkshire ACU", tmp_path / "forger.pem")
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(path))  # drop the broken signature, sign afresh
    writer._root_object.pop("/AcroForm", None)
    for page in writer.pages:
        page.pop("/Annots", None)
    plain = io.BytesIO()
    writer.write(plain)
    path.write_bytes(sign_pdf(plain.getvalue(), forger, "forged", "nowhere"))
    alone = verify_bundle(path)
    assert not alone.ok and "not this workstation's unit key" in alone.problems[0]
    with_case = verify_bundle(path, store, REF)
    assert not with_case.ok and any("audit log" in p for p in with_case.problems)


def test_signature_names_signer_and_time(exported: tuple[Store, Path]) -> None:
    store, path = exported
    check = verify_bundle(path)
    assert check.ok, check.problems
    assert "signed by Test Counter-Corruption Unit" in check.checked[0]
    assert check.limits and "cannot show" in check.limits[-1]  # says what it cannot prove
    assert not verify_bundle(path, store, REF).limits


def test_changed_exhibit_in_the_store_is_detected(exported: tuple[Store, Path]) -> None:
    store, path = exported
    with store.reader() as session:
        sha = session.scalars(select(Exhibit.sha256).where(Exhibit.reference == "JB/1")).one()
    stored = store.files.path_for(sha)
    os.chmod(stored, 0o600)
    stored.write_bytes(b"tampered\n")
    check = verify_bundle(path, store, REF)
    assert verify_bundle(path).ok  # the bundle itself is intact...
    assert not check.ok  # ...but the evidence behind it changed
    assert any("JB/1" in problem for problem in check.problems)


def test_export_recorded_in_continuity_and_audit(exported: tuple[Store, Path]) -> None:
    store, path = exported
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with store.reader() as session:
        notes = session.scalars(select(Continuity.note).where(
            Continuity.action == "bundle_export")).all()
        sanitised = session.scalars(select(Continuity.note).where(
            Continuity.action == "sanitised")).all()
        entries = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "bundle_export")).all()
    assert len(notes) == 2 and all(digest in note for note in notes)  # JB/1-2 relied on
    # JB/3 holds a handling-code C report: its sanitised version is relied on instead.
    assert len(sanitised) == 1 and "JB/3-S" in sanitised[0]
    assert len(entries) == 1 and json.loads(entries[0].details)["sha256"] == digest


def test_not_a_bundle(tmp_path: Path) -> None:
    path = tmp_path / "x.pdf"
    path.write_bytes(b"%PDF-1.4\nnot really\n")
    check = verify_bundle(path)
    assert not check.ok and "x.pdf" in check.problems[0]
    assert not verify_bundle(tmp_path / "missing.pdf").ok


def test_cancel_leaves_no_file(store: Store, tmp_path: Path) -> None:
    build_case(store, tmp_path, extra_messages=200)
    token = CancelToken()
    seen: list[float] = []

    def progress(fraction: float, message: str) -> None:
        seen.append(fraction)
        if fraction >= 0.2:
            token.cancel()

    out = tmp_path / "cancelled.pdf"
    with pytest.raises(Cancelled):
        export_bundle(store, REF, out, progress=progress, cancel=token)
    assert not out.exists()
    assert not list(tmp_path.glob(".cancelled.pdf*"))
    with store.reader() as session:
        assert not session.scalars(select(AuditEntry).where(
            AuditEntry.action == "bundle_export")).all()


def test_cli_export_and_verify(cli_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    from workbench.store import open_store

    store = open_store(os.environ["WORKBENCH_DB"])
    build_case(store, tmp_path)
    store.dispose()
    out = tmp_path / "bundle.pdf"
    assert main(["export", REF, "--out", str(out), "--audience", "conference", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["anonymised"] is True and result["pages"] > 5
    assert main(["verify-bundle", str(out), "--case", REF]) == 0
    assert "Bundle signed and unchanged" in capsys.readouterr().out
    data = bytearray(out.read_bytes())
    data[len(data) // 2] ^= 0x01
    out.write_bytes(bytes(data))
    assert main(["verify-bundle", str(out)]) == 1
    assert "FAILED" in capsys.readouterr().err
    assert main(["export", "NO-SUCH", "--out", str(tmp_path / "n.pdf")]) == 1
    internal = tmp_path / "internal.pdf"
    assert main(["export", REF, "--out", str(internal), "--audience", "internal", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["anonymised"] is False
