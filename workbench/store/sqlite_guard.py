"""Keeping a SQLite store in WAL mode whole while other code in the process opens its files.

SQLite's default ("unix") VFS locks with POSIX advisory locks. Those belong to the
*process*, and closing ANY descriptor of the file in the process drops all of them:
a file dialog sniffing ``wb.db``, a preview, a hash. Another process (the CLI, a second
copy of the app) that closes the store then gets the exclusive lock, believes it is the
last user, checkpoints and deletes the write-ahead log, and this process's next commit
goes to a WAL file that no longer exists: lost, and the next reader may see a damaged
store. ``tests/workbench/test_store_locks.py`` reproduces it.

The guard holds Linux open-file-description (OFD) read locks on its own descriptors.
OFD locks belong to the descriptor, not the process, so closing other descriptors does
not drop them, and they conflict with the POSIX locks SQLite takes in other processes:

- on the database's SHARED byte range: no other process can take the exclusive lock it
  needs to delete the WAL and the ``-shm`` index while this process has the store open;
- on the ``-shm`` file's "dead man switch" byte: no other process can believe it is the
  first user and wipe the index this process has mapped.

As a second line of defence, :meth:`SqliteGuard.check_wal` refuses a commit when the WAL
this process writes to has been deleted under it (the write would be lost); the store is
then reconnected.
"""

from __future__ import annotations

import fcntl
import os
import struct
import time
from pathlib import Path

from workbench.errors import WorkbenchError

# From SQLite's os_unix.c: the SHARED lock range of the database file, and the DMS byte
# of the -shm file (UNIX_SHM_BASE + SQLITE_SHM_NLOCK = 120 + 8).
_PENDING_BYTE = 0x40000000
_SHARED_FIRST = _PENDING_BYTE + 2
_SHARED_SIZE = 510
_SHM_DMS = 128
_WAIT_SECONDS = 10.0


class StoreUnsafe(WorkbenchError):
    """The store cannot be written safely; nothing was saved."""


def _ofd_read_lock(fd: int, start: int, length: int, name: str) -> None:
    if not hasattr(fcntl, "F_OFD_SETLK"):
        raise StoreUnsafe(f"{name}: this system has no open-file-description locks; "
                          "a SQLite store cannot be protected here (use a PostgreSQL store)")
    request = struct.pack("hhqqi4x", fcntl.F_RDLCK, os.SEEK_SET, start, length, 0)
    deadline = time.monotonic() + _WAIT_SECONDS
    while True:
        try:
            fcntl.fcntl(fd, fcntl.F_OFD_SETLK, request)
            return
        except BlockingIOError:  # another process is closing the store (checkpoint)
            if time.monotonic() > deadline:
                raise StoreUnsafe(f"{name}: held exclusively by another program; "
                                  "close it and try again") from None
            time.sleep(0.05)
        except OSError as exc:
            raise StoreUnsafe(f"{name}: cannot lock ({exc.strerror}); "
                              "a SQLite store on this file system cannot be protected") from exc


class SqliteGuard:
    """Holds the store's protective locks from :meth:`acquire` until :meth:`release`."""

    def __init__(self, database: Path) -> None:
        self.database = database
        self.wal = Path(f"{database}-wal")
        self._fds: list[int] = []

    def acquire(self) -> None:
        """Lock the database and its ``-shm`` index (both must exist: WAL mode is on)."""
        try:
            for path, start, length in ((self.database, _SHARED_FIRST, _SHARED_SIZE),
                                        (Path(f"{self.database}-shm"), _SHM_DMS, 1)):
                fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
                self._fds.append(fd)
                _ofd_read_lock(fd, start, length, str(path))
        except BaseException:
            self.release()
            raise

    def release(self) -> None:
        """Drop the locks (before the last connection closes, so it may tidy the WAL)."""
        while self._fds:
            os.close(self._fds.pop())

    def check_wal(self) -> None:
        """Refuse when this process writes to a WAL file that has been deleted.

        Linux shows such a descriptor in ``/proc/self/fd`` as ``<path> (deleted)``.
        """
        deleted = f"{self.wal} (deleted)"
        try:
            names = os.listdir("/proc/self/fd")
        except OSError:
            return  # no /proc: the OFD locks alone protect the store
        for name in names:
            try:
                target = os.readlink(f"/proc/self/fd/{name}")
            except OSError:
                continue
            if target == deleted:
                raise StoreUnsafe(f"{self.database}: its write-ahead log was removed by another "
                                  "program; this change was NOT saved. The store has been "
                                  "reopened: make the change again")
