"""Issue #14.6a: a marker review made while `analyse` rewrites the markers waits and lands.

Writers lock the case row first, then the rows they change; a review that locked its
marker first and then waited for the case (held by the analysis) deadlocked on PostgreSQL.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from workbench import demo
from workbench.integrity import verify_audit
from workbench.model import AuditEntry, Marker
from workbench.store import open_store

ROOT = Path(__file__).resolve().parents[2]

# `analyse` in a real process that, holding the case, waits for the review to start.
SLOW_ANALYSE = """
import sys, time
from pathlib import Path
from workbench.analysis import persist
from workbench.store import open_store
holding, reviewing = Path(sys.argv[2]), Path(sys.argv[3])
original = persist.find_candidates
def held(*args, **kwargs):
    holding.write_text("holding the case")
    while not reviewing.exists():
        time.sleep(0.05)
    if store.dialect == "postgresql":  # until the review waits for a lock (or 30 s)
        with store.engine.connect() as watcher:
            for _ in range(600):
                if watcher.exec_driver_sql("select count(*) from pg_locks where not granted").scalar():
                    break
                time.sleep(0.05)
    else:
        time.sleep(3)  # SQLite: the review waits for the write lock (busy timeout)
    return original(*args, **kwargs)
persist.find_candidates = held
store = open_store(sys.argv[1])
persist.run_analysis(store, sys.argv[4])
store.dispose()
"""

# The real CLI command, started (imports done) before the analysis holds the case.
REVIEW = """
import sys, time
from pathlib import Path
from workbench.cli import build_parser, main
build_parser()  # every command module imported before the race
holding, reviewing = Path(sys.argv[1]), Path(sys.argv[2])
while not holding.exists():
    time.sleep(0.05)
reviewing.write_text("reviewing")
sys.exit(main(sys.argv[3:]))
"""


def check_review_during_analysis(url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "WORKBENCH_EVIDENCE": str(tmp_path / "ev"),
           "WORKBENCH_HOME": str(tmp_path / "home")}
    monkeypatch.setenv("WORKBENCH_EVIDENCE", env["WORKBENCH_EVIDENCE"])
    store = open_store(url)
    ref = demo.build_demo(store)
    with store.reader() as session:
        marker_id = session.scalars(select(Marker.id).where(Marker.current.is_(True))
                                    .order_by(Marker.id)).first()
    assert marker_id is not None
    with store.session() as session:  # as if new evidence changed it: the analysis rewrites it
        session.get(Marker, marker_id).explanation = "from an earlier run"
    holding, reviewing = tmp_path / "holding", tmp_path / "reviewing"
    review = subprocess.Popen(
        [sys.executable, "-c", REVIEW, str(holding), str(reviewing), "--db", url, "marker",
         "review", str(marker_id), "--accept", "--reason", "checked against JB/1"],
        env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    analysis = subprocess.Popen(
        [sys.executable, "-c", SLOW_ANALYSE, url, str(holding), str(reviewing), ref],
        env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _out, review_err = review.communicate(timeout=300)
    _out, analysis_err = analysis.communicate(timeout=300)
    assert analysis.returncode == 0, analysis_err
    assert review.returncode == 0, review_err
    with store.reader() as session:
        marker = session.get(Marker, marker_id)
        assert (marker.status, marker.review_reason) == ("accepted", "checked against JB/1")
        actions = list(session.scalars(select(AuditEntry.action).where(AuditEntry.case_ref == ref)
                                       .order_by(AuditEntry.sequence)))
    assert actions[-2:] == ["analyse", "marker_review"]  # the review waited for the analysis
    assert verify_audit(store) == []
    store.dispose()


@pytest.mark.postgres
def test_review_during_analysis_on_postgresql(postgres_server, tmp_path, monkeypatch):
    check_review_during_analysis(postgres_server.create_database(), tmp_path, monkeypatch)


def test_review_during_analysis_on_sqlite(tmp_path, monkeypatch):
    check_review_during_analysis(f"sqlite:///{tmp_path / 'shared.db'}", tmp_path, monkeypatch)
