"""Issue #14.6d: a bundle or CSV whose export was not recorded is never left under the
requested name. A real process is killed (-9) before the audit commit and between the
commit and the rename; SQLite and PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.workbench.bundle_case import REF, build_case
from workbench.model import AuditEntry

ROOT = Path(__file__).resolve().parents[2]

EXPORT = """
import sys, time
from pathlib import Path
from workbench import audit, staged_output
from workbench.store import open_store
url, what, out, step, reached = sys.argv[1:6]

def pause():
    Path(reached).write_text(step)
    time.sleep(600)  # until killed

if step == "before-commit":  # the audit entry is being written, not committed
    real_append = audit.append
    def append(*args, **kwargs):
        entry = real_append(*args, **kwargs)
        pause()
        return entry
    audit.append = append
elif step == "before-rename":  # recorded, not yet renamed (a bundle's own CSV goes through)
    real_replace = staged_output.os.replace
    def replace(source, target):
        if Path(target) == Path(out):
            pause()
        real_replace(source, target)
    staged_output.os.replace = replace
store = open_store(url)
if what == "csv":
    from workbench.chronology_csv import write_chronology_csv
    write_chronology_csv(store, sys.argv[6], Path(out))
else:
    from workbench.bundle.export import export_bundle
    export_bundle(store, sys.argv[6], Path(out), audience="internal")
store.dispose()
"""


def _exports(store, action: str) -> int:
    with store.reader() as session:
        return len(list(session.scalars(select(AuditEntry.id).where(AuditEntry.action == action))))


@pytest.mark.parametrize(("what", "name", "action"), [
    ("csv", "chronology.csv", "export_chronology_csv"),
    ("bundle", "bundle.pdf", "bundle_export"),
])
def test_a_killed_export_leaves_nothing_unrecorded_under_its_name(any_store, tmp_path, what,
                                                                   name, action):
    ref = build_case(any_store, tmp_path)
    assert ref == REF
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = tmp_path / "out" / name
    out.parent.mkdir()
    for step, recorded in (("before-commit", 0), ("before-rename", 1)):
        reached = tmp_path / f"{step}.reached"
        child = subprocess.Popen([sys.executable, "-c", EXPORT, any_store.url, what, str(out), step,
                                  str(reached), ref], env=env, cwd=ROOT,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        while not reached.exists():
            assert child.poll() is None, child.communicate()[1]
            time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
        child.communicate(timeout=60)
        assert not out.exists()  # nothing under the requested name
        assert _exports(any_store, action) == recorded
    done = subprocess.run([sys.executable, "-c", EXPORT, any_store.url, what, str(out), "none",
                           str(tmp_path / "none"), ref], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert out.exists() and _exports(any_store, action) == 2
    assert oct(out.stat().st_mode & 0o777) == oct(0o600)
