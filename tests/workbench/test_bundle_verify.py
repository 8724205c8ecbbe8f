"""The bundle's seal and verification, its export record, cancellation and the CLI."""

from __future__ import annotations

import json
import os
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


def test_changed_seal_is_detected(exported: tuple[Store, Path]) -> None:
    store, path = exported
    data = path.read_bytes()
    seal = verify_bundle(path).manifest["seal"]["value"]
    forged = "0" * 64
    path.write_bytes(data.replace(seal.encode(), forged.encode(), 1))
    assert not verify_bundle(path).ok


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


def test_resealed_bundle_is_not_in_the_audit_log(exported: tuple[Store, Path]) -> None:
    from workbench.bundle.manifest import PLACEHOLDER, seal

    store, path = exported
    data = path.read_bytes()
    old = verify_bundle(path).manifest["seal"]["value"].encode()
    edited = data.replace(old, PLACEHOLDER).replace(b"Escalation", b"Escalatiom")
    resealed, _ = seal(edited)
    path.write_bytes(resealed)
    assert verify_bundle(path).ok  # a consistent re-seal passes the self-check...
    check = verify_bundle(path, store, REF)
    assert not check.ok and "audit log" in check.problems[0]  # ...but was never exported


def test_export_recorded_in_continuity_and_audit(exported: tuple[Store, Path]) -> None:
    store, path = exported
    seal = verify_bundle(path).manifest["seal"]["value"]
    with store.reader() as session:
        notes = session.scalars(select(Continuity.note).where(
            Continuity.action == "bundle_export")).all()
        entries = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "bundle_export")).all()
    assert len(notes) == 3 and all(seal in note for note in notes)  # JB/1-3 relied on
    assert len(entries) == 1 and json.loads(entries[0].details)["seal"] == seal


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
    assert "Bundle intact" in capsys.readouterr().out
    data = bytearray(out.read_bytes())
    data[len(data) // 2] ^= 0x01
    out.write_bytes(bytes(data))
    assert main(["verify-bundle", str(out)]) == 1
    assert "FAILED" in capsys.readouterr().err
    assert main(["export", "NO-SUCH", "--out", str(tmp_path / "n.pdf")]) == 1
    internal = tmp_path / "internal.pdf"
    assert main(["export", REF, "--out", str(internal), "--audience", "internal", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["anonymised"] is False
