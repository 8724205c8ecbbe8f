"""Issue #14.6b/c: a failed or killed import never loses another's evidence, and leaves
nothing unreported. Real second processes, kill -9, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import select

from tests.conftest import DATA
from workbench import casefile
from workbench.integrity import verify_exhibits, verify_leftovers
from workbench.model import Exhibit
from workbench.store import Store, open_store

ROOT = Path(__file__).resolve().parents[2]
CDR = DATA / "ingest" / "cdr_uk_layout.csv"

# An import in a real process that stops at a chosen step: it signals, then waits for a
# go-ahead file (or to be killed). PAUSE names the function to pause in.
PAUSED_IMPORT = """
import os, sys, time
from pathlib import Path
from workbench.errors import ImportRefused
from workbench.store import exhibit_files as files
from workbench.ingest import pipeline
from workbench.store import open_store
url, ref, source, step, reached, go = sys.argv[1:7]

def pause():
    Path(reached).write_text(step)
    while not Path(go).exists():
        time.sleep(0.05)

if step == "copying":  # the copy is half written
    real_fsync = files.os.fsync
    def fsync(fd):
        pause()
        real_fsync(fd)
    files.os.fsync = fsync
elif step in ("stored", "fail-after-store"):  # the file is stored, nothing committed yet
    real = pipeline._import_stored
    def held(*args, **kwargs):
        pause()
        if step == "fail-after-store":
            raise ImportRefused("line 9: not a date", file=Path(source).name)
        return real(*args, **kwargs)
    pipeline._import_stored = held
store = open_store(url)
try:
    pipeline.import_file(store, ref, source, producer="Jane Brown")
except ImportRefused as exc:
    print(exc)
    sys.exit(1)
"""


def _start(store: Store, step: str, source: Path, tmp_path: Path) -> tuple[subprocess.Popen, Path]:
    reached, go = tmp_path / f"{step}.reached", tmp_path / f"{step}.go"
    child = subprocess.Popen(
        [sys.executable, "-c", PAUSED_IMPORT, store.url, "OP-WILLOW", str(source), step,
         str(reached), str(go)], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    while not reached.exists():
        assert child.poll() is None, child.communicate()[1]
        time.sleep(0.05)
    return child, go


def _exhibits(store: Store) -> list[tuple[str, str]]:
    with store.reader() as session:
        return [tuple(row) for row in session.execute(select(Exhibit.reference, Exhibit.sha256))]


def test_a_failed_import_keeps_a_file_another_process_committed_meanwhile(any_store, tmp_path):
    casefile.create_case(any_store, casefile.load(DATA / "willow.toml"))
    source = tmp_path / "billing.csv"
    shutil.copyfile(CDR, source)
    failing, go = _start(any_store, "fail-after-store", source, tmp_path)  # stored it, first
    other = subprocess.run(
        [sys.executable, "-m", "workbench", "--db", any_store.url, "import", "OP-WILLOW",
         str(source), "--producer", "Jane Brown"], cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
    assert other.returncode == 0, other.stderr
    go.write_text("fail now")
    _out, err = failing.communicate(timeout=300)
    assert failing.returncode == 1, err
    [(reference, sha)] = _exhibits(any_store)
    assert reference == "JB/1" and any_store.files.path_for(sha).exists()
    assert verify_exhibits(any_store) == [] and verify_leftovers(any_store) == []


def test_a_failed_import_alone_leaves_no_file(any_store, tmp_path):
    casefile.create_case(any_store, casefile.load(DATA / "willow.toml"))
    failing, go = _start(any_store, "fail-after-store", CDR, tmp_path)
    go.write_text("fail now")
    failing.communicate(timeout=300)
    assert failing.returncode == 1
    assert _exhibits(any_store) == [] and verify_leftovers(any_store) == []
    assert not list(any_store.files.root.glob("??/*"))


def test_kill_9_while_copying_leaves_nothing_after_the_next_open(any_store, tmp_path):
    casefile.create_case(any_store, casefile.load(DATA / "willow.toml"))
    child, _go = _start(any_store, "copying", CDR, tmp_path)
    assert list(any_store.files.root.glob(".incoming-*"))  # the half-written copy
    os.kill(child.pid, signal.SIGKILL)
    child.communicate(timeout=60)
    reopened = open_store(any_store.url)  # the next open cleans it away
    try:
        assert not list(reopened.files.root.glob(".incoming-*"))
        assert _exhibits(reopened) == [] and verify_leftovers(reopened) == []
    finally:
        reopened.dispose()


def test_kill_9_after_the_copy_is_stored_is_reported_by_verify(any_store, tmp_path):
    casefile.create_case(any_store, casefile.load(DATA / "willow.toml"))
    child, _go = _start(any_store, "stored", CDR, tmp_path)
    os.kill(child.pid, signal.SIGKILL)
    child.communicate(timeout=60)
    assert _exhibits(any_store) == []
    [leftover] = verify_leftovers(any_store)
    assert "referenced by no exhibit" in leftover
    verify = subprocess.run([sys.executable, "-m", "workbench", "--db", any_store.url, "verify"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert verify.returncode == 1 and "referenced by no exhibit" in verify.stderr
