"""Opening a store: SQLite (WAL, 0600) by default, or any SQLAlchemy URL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from workbench import config
from workbench.errors import WorkbenchError
from workbench.store.exhibit_files import ExhibitFiles
from workbench.store.migrate import upgrade
from workbench.store.sqlite_guard import SqliteGuard, StoreUnsafe


class Store:
    """A case store: the database plus the content-addressed exhibit files beside it."""

    def __init__(self, url: str, engine: Engine, files: ExhibitFiles,
                 guard: SqliteGuard | None = None) -> None:
        self.url = url
        self.engine = engine
        self.files = files
        self._guard = guard
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A writing session in one transaction: committed on success, rolled back on error.

        On SQLite the write lock is taken at the start (``BEGIN IMMEDIATE``), so two
        processes never both read "the next exhibit number" and then collide; the
        second waits (busy timeout) instead. PostgreSQL writers lock the case row.
        """
        try:
            with self._sessions() as session, session.begin():
                session.info["writing"] = True  # find_case() then locks the case row first
                if self.dialect == "sqlite":
                    session.connection().exec_driver_sql("BEGIN IMMEDIATE")
                yield session
                if self._guard is not None:
                    self._guard.check_wal()  # raises: the transaction is rolled back
        except StoreUnsafe:
            self._reconnect()
            raise

    def _reconnect(self) -> None:
        """Close every connection and lock again, so the next session starts clean."""
        assert self._guard is not None
        self._guard.release()
        self.engine.dispose()
        with self.engine.connect():
            self._guard.acquire()

    def reader(self) -> Session:
        """A session for reading (the caller closes it)."""
        return self._sessions()

    def dispose(self) -> None:
        if self._guard is not None:
            self._guard.release()  # first, so the last closer may checkpoint and tidy the WAL
        self.engine.dispose()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _create_private_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


def open_store(url: str | None = None, *, migrate: bool = True, tidy: bool = True) -> Store:
    """Open (and create or upgrade) the store at ``url`` (default: see :mod:`config`).

    ``tidy=False`` leaves partial exhibit copies alone: a second process reading for
    the app must not remove the copy of an import the app is making.
    """
    url = config.database_url(url)
    parsed = make_url(url)
    is_sqlite = parsed.get_backend_name() == "sqlite"
    if is_sqlite and parsed.database not in (None, "", ":memory:"):
        _create_private_file(Path(parsed.database))
    try:
        engine = create_engine(url)
    except Exception as exc:  # bad URL, missing driver
        raise WorkbenchError(f"cannot open store {parsed!r}: {exc}") from exc
    if is_sqlite:
        event.listen(engine, "connect", _sqlite_pragmas)
    if migrate:
        try:
            upgrade(engine)
        except WorkbenchError:
            raise
        except Exception as exc:  # a driver or SQL failure of any kind: one line naming the store
            raise WorkbenchError(f"cannot open store {parsed!r}: {exc}") from exc
    guard = None
    if is_sqlite and parsed.database not in (None, "", ":memory:"):
        with engine.connect():  # WAL mode on: the -wal and -shm files exist
            guard = SqliteGuard(Path(parsed.database))
            guard.acquire()
    files = ExhibitFiles(config.evidence_dir(url))
    if tidy:
        files.clean_partial_copies()  # left by an import killed while copying
    return Store(url, engine, files, guard)
