"""A process killed mid-import or mid-export leaves nothing half-done behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import DATA
from workbench import casefile
from workbench.analysis import run_analysis
from workbench.bench.import_cdr import write_cdr
from workbench.ingest.pipeline import import_file
from workbench.integrity import verify_audit, verify_exhibit_records
from workbench.model import Event, Exhibit, Identifier
from workbench.store import open_store

IMPORT_CHILD = """
import sys
from workbench.store import open_store
from workbench.ingest.pipeline import import_file
store = open_store(sys.argv[1])
def progress(fraction, message):
    print(f"{fraction:.3f} {message}", flush=True)
import_file(store, "OP-WILLOW", sys.argv[2], progress=progress, owner="pcso:07700900101")
print("DONE", flush=True)
"""

EXPORT_CHILD = """
import sys
from workbench.store import open_store
from workbench.bundle import export_bundle
store = open_store(sys.argv[1])
def progress(fraction, message):
    print(f"{fraction:.3f} {message}", flush=True)
export_bundle(store, "OP-WILLOW", sys.argv[2], audience="internal", progress=progress)
print("DONE", flush=True)
"""


def run_and_kill(script: str, args: list[str], at_fraction: float, env: dict[str, str]) -> bool:
    """Run the child; SIGKILL it once it reports ``at_fraction``. True if it was killed."""
    child = subprocess.Popen([sys.executable, "-c", script, *args], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env)
    assert child.stdout is not None
    for line in child.stdout:
        if line.startswith("DONE"):
            break
        if float(line.split()[0]) >= at_fraction:
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
            return True
    child.wait()
    return False


def make_case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows: int):
    monkeypatch.setenv("WORKBENCH_EVIDENCE", str(tmp_path / "evidence"))
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    store = open_store(url)
    casefile.create_case(store, casefile.load(DATA / "willow.toml"))
    csv = tmp_path / "billing.csv"
    write_cdr(csv, rows)
    store.dispose()
    return url, csv, {**os.environ, "WORKBENCH_EVIDENCE": str(tmp_path / "evidence")}


@pytest.mark.parametrize("at_fraction", [0.0, 0.3, 0.7, 0.99])
def test_import_killed_leaves_no_partial_exhibit_and_can_be_redone(tmp_path, monkeypatch, at_fraction):
    url, csv, env = make_case(tmp_path, monkeypatch, 20_000)
    assert run_and_kill(IMPORT_CHILD, [url, str(csv)], at_fraction, env), "the import finished first"
    store = open_store(url)
    with store.reader() as session:
        assert session.scalar(select(func.count()).select_from(Exhibit)) == 0
        assert session.scalar(select(func.count()).select_from(Event)) == 0
        assert session.scalar(select(func.count()).select_from(Identifier)) == 11  # only the case file's
    assert verify_audit(store) == []
    result = import_file(store, "OP-WILLOW", csv, owner="pcso:07700900101")
    assert result.events == 20_000
    assert verify_audit(store) == [] and verify_exhibit_records(store) == []


@pytest.mark.parametrize("at_fraction", [0.2, 0.6])
def test_export_killed_leaves_no_bundle_under_the_target_name(tmp_path, monkeypatch, at_fraction):
    url, csv, env = make_case(tmp_path, monkeypatch, 3_000)
    store = open_store(url)
    import_file(store, "OP-WILLOW", csv, owner="pcso:07700900101")
    run_analysis(store, "OP-WILLOW")  # a bundle is exported from an analysed case
    store.dispose()
    target = tmp_path / "bundle.pdf"
    assert run_and_kill(EXPORT_CHILD, [url, str(target)], at_fraction, env), "the export finished first"
    assert not target.exists()
    assert verify_audit(open_store(url)) == []
    assert not [p for p in Path(tmp_path).glob("bundle.pdf*")]
