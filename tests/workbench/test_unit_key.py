"""The unit key: created once with mode 0600, loaded, signs, and refuses a loose file."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench import unit_key
from workbench.cli import main
from workbench.errors import WorkbenchError


@pytest.fixture
def key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config" / "unit-key.pem"
    monkeypatch.setenv("WORKBENCH_UNIT_KEY", str(path))
    return path


def test_init_writes_a_private_file_that_loads_and_signs(key_file: Path) -> None:
    created = unit_key.init("Professional Standards ACU")
    assert key_file.stat().st_mode & 0o777 == 0o600
    loaded = unit_key.load()
    assert loaded is not None and loaded.unit == "Professional Standards ACU"
    assert loaded.fingerprint == created.fingerprint
    signature = loaded.sign(b"entry 1")
    assert unit_key.verify_signature(loaded.certificate, b"entry 1", signature)
    assert not unit_key.verify_signature(loaded.certificate, b"entry 2", signature)


def test_init_refuses_to_replace_a_key_without_force(key_file: Path) -> None:
    first = unit_key.init("ACU")
    with pytest.raises(WorkbenchError, match="already exists"):
        unit_key.init("ACU")
    assert unit_key.init("ACU", force=True).fingerprint != first.fingerprint


def test_a_key_file_readable_by_others_is_refused(key_file: Path) -> None:
    unit_key.init("ACU")
    key_file.chmod(0o644)
    with pytest.raises(WorkbenchError, match="readable by others"):
        unit_key.load()


def test_missing_key_is_none_and_require_says_how(key_file: Path) -> None:
    assert unit_key.load() is None
    with pytest.raises(WorkbenchError, match="workbench key init"):
        unit_key.require()


def test_cli_key_init_and_show(key_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["key", "show"]) == 0
    assert "No unit key" in capsys.readouterr().out
    assert main(["key", "init", "--unit", "ACU"]) == 0
    assert main(["key", "show", "--json"]) == 0
    assert '"unit": "ACU"' in capsys.readouterr().out
    assert main(["key", "init", "--unit", "ACU"]) == 1
