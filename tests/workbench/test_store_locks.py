"""Issue #14.1: no write is lost when code in the app's process opens the store's files.

POSIX advisory locks belong to the process: closing ANY descriptor of the database
drops them all, so another process closing the store deleted the WAL under us.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from workbench import casefile
from workbench.casework.decisions import add_decision, list_decisions
from workbench.store import Store, open_store
from workbench.store.sqlite_guard import StoreUnsafe

DATA = Path(__file__).parents[1] / "data"
ROOT = Path(__file__).parents[2]


def _decide(store: Store, text: str) -> None:
    add_decision(store, "OP-WILLOW", decided_at=datetime(2024, 1, 2, 10, 0, tzinfo=UTC),
                 decision_maker="DI Shaw", recorder="DS Brown", ndm_element="options",
                 decision=text, rationale="because")


def _other_process(url: str, code: str) -> str:
    """Run ``code`` with ``store`` opened on ``url`` in a separate Python process."""
    script = ("import sys\nfrom workbench.store import open_store\n"
              f"store = open_store({url!r})\n{code}\nstore.dispose()\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


COUNT_DECISIONS = ("from workbench.casework.decisions import list_decisions\n"
                   "print(len(list_decisions(store, 'OP-WILLOW')))")


def _sniff(path: Path) -> None:
    """What a file dialog's type sniffing, a preview or a hash does: open, read, close."""
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if name.exists():
            with open(name, "rb") as handle:
                handle.read(64)


def test_a_plain_open_close_in_the_process_then_another_process_loses_nothing(any_store: Store) -> None:
    casefile.create_case(any_store, casefile.load(DATA / "willow.toml"))
    _decide(any_store, "first")
    database = any_store.engine.url.database
    if any_store.dialect == "sqlite":
        _sniff(Path(database))
    assert _other_process(any_store.url, COUNT_DECISIONS).strip() == "1"  # the CLI, say
    _decide(any_store, "second")
    assert len(list_decisions(any_store, "OP-WILLOW")) == 2
    assert _other_process(any_store.url, COUNT_DECISIONS).strip() == "2"  # another reader
    any_store.dispose()
    reopened = open_store(any_store.url)
    try:
        assert [d.decision for d in list_decisions(reopened, "OP-WILLOW")] == ["first", "second"]
        with reopened.reader() as session:
            assert session.connection().exec_driver_sql(
                "PRAGMA integrity_check" if reopened.dialect == "sqlite" else "SELECT 'ok'"
            ).scalar() == "ok"
    finally:
        reopened.dispose()


def test_the_mechanism_without_the_guard_the_wal_is_deleted_under_the_writer(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Confirms the cause: the same sequence with the guard off loses the write."""
    monkeypatch.setenv("WORKBENCH_EVIDENCE", str(tmp_path / "evidence"))
    url = f"sqlite:///{tmp_path / 'wb.db'}"
    store = open_store(url)
    store._guard.release()
    store._guard = None  # the store as it was before the fix
    casefile.create_case(store, casefile.load(DATA / "willow.toml"))
    _decide(store, "first")
    _sniff(tmp_path / "wb.db")
    _other_process(url, COUNT_DECISIONS)
    assert not (tmp_path / "wb.db-wal").exists()  # the other process deleted the WAL
    _decide(store, "second")  # "recorded", but into the deleted WAL
    assert _other_process(url, COUNT_DECISIONS).strip() == "1"
    store.dispose()


def test_a_write_into_a_deleted_wal_is_refused_and_the_store_reconnects(willow: Store) -> None:
    """Defence in depth: whatever removed the WAL, the write is refused, not reported done."""
    _decide(willow, "first")
    wal = Path(f"{willow.engine.url.database}-wal")
    wal.unlink()  # as another program would
    with pytest.raises(StoreUnsafe, match="NOT saved"):
        _decide(willow, "lost")
    _decide(willow, "again")  # reconnected: the next write lands
    assert wal.exists()
    assert [d.decision for d in list_decisions(willow, "OP-WILLOW")][-1] == "again"
