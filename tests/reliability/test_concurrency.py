"""Several processes working on one case at once: no lost rows, no duplicate references,
no deadlock, a consistent audit chain. On PostgreSQL (the shared unit store) and SQLite."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from sqlalchemy import func, select

from tests.conftest import DATA
from workbench import audit, casefile
from workbench.bench.import_cdr import write_cdr
from workbench.integrity import verify_audit, verify_exhibit_records
from workbench.model import Event, Exhibit
from workbench.store import open_store

ROWS = 8_000


def run_together(url: str, files: list, env: dict[str, str]) -> list[subprocess.CompletedProcess]:
    base = [sys.executable, "-m", "workbench", "--db", url]
    commands = [[*base, "import", "OP-WILLOW", str(path), "--producer", "Jane Brown"] for path in files]
    commands.append([*base, "analyse", "OP-WILLOW"])
    children = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
                for c in commands]
    results = []
    for child, command in zip(children, commands, strict=True):
        out, err = child.communicate(timeout=300)
        results.append(subprocess.CompletedProcess(command, child.returncode, out, err))
    return results


def check_concurrent_use(url: str, tmp_path, monkeypatch) -> None:
    evidence = tmp_path / "evidence"
    monkeypatch.setenv("WORKBENCH_EVIDENCE", str(evidence))
    store = open_store(url)
    casefile.create_case(store, casefile.load(DATA / "willow.toml"))
    with store.reader() as session:
        seen = audit.head_sequence(session, "OP-WILLOW")
    files = []
    for seed in (1, 2):
        path = tmp_path / f"billing-{seed}.csv"
        write_cdr(path, ROWS, seed=seed)
        files.append(path)
    results = run_together(url, files, {**os.environ, "WORKBENCH_EVIDENCE": str(evidence)})
    for result in results:
        assert result.returncode == 0, result.stderr
    with store.reader() as session:
        references = sorted(session.scalars(select(Exhibit.reference)))
        events = session.scalar(select(func.count()).select_from(Event))
        changes = audit.changes_since(session, "OP-WILLOW", seen)
    assert references == ["JB/1", "JB/2"]
    assert events == 2 * ROWS
    # A second user who loaded the case before sees exactly what changed under them.
    assert sorted(entry.action for entry in changes) == ["analyse", "import", "import"]
    assert verify_audit(store) == [] and verify_exhibit_records(store) == []


@pytest.mark.postgres
def test_concurrent_imports_and_analysis_on_postgresql(postgres_server, tmp_path, monkeypatch):
    check_concurrent_use(postgres_server.create_database(), tmp_path, monkeypatch)


def test_concurrent_imports_and_analysis_on_sqlite(tmp_path, monkeypatch):
    check_concurrent_use(f"sqlite:///{tmp_path / 'shared.db'}", tmp_path, monkeypatch)
