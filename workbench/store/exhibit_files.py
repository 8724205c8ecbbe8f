"""A content-addressed, read-only store of evidence files, keyed by SHA-256."""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

CHUNK = 1 << 20
PARTIAL_PREFIX = ".incoming-"


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    path: Path
    added: bool = True  # this call stored it (False: the same content was already there)


class ExhibitFiles:
    """Files copied in once, by hash, and made read-only; never modified afterwards."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def put(self, source: Path) -> StoredFile:
        """Copy ``source`` in (once per content) and return where it is kept.

        The copy is hashed as it is written, so what is stored is exactly what
        was hashed even if the source changes meanwhile. Call it inside
        :meth:`in_use`, and keep that until the exhibit is committed or rolled back.
        """
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        digest = hashlib.sha256()
        size = 0
        handle, temp_name = tempfile.mkstemp(dir=self.root, prefix=PARTIAL_PREFIX)
        added = False
        try:
            with os.fdopen(handle, "wb") as out, open(source, "rb") as src:
                while chunk := src.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            target = self.path_for(sha)
            target.parent.mkdir(exist_ok=True, mode=0o700)
            os.chmod(temp_name, 0o400)
            try:
                os.link(temp_name, target)  # atomic: exactly one process creates it
                added = True
            except FileExistsError:
                pass
        finally:
            if os.path.exists(temp_name):
                os.unlink(temp_name)
        return StoredFile(sha, size, target, added)

    def _lock_descriptor(self) -> int:
        """The folder itself carries the lock (flock): no lock file among the evidence."""
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        return os.open(self.root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)

    @contextmanager
    def in_use(self) -> Iterator[None]:
        """Mark an import in progress (a shared lock): nothing is cleaned away meanwhile."""
        descriptor = self._lock_descriptor()
        try:
            fcntl.flock(descriptor, fcntl.LOCK_SH)
            yield
        finally:
            os.close(descriptor)

    @contextmanager
    def _alone(self) -> Iterator[bool]:
        """True when no import is in progress anywhere (the exclusive lock, not waited for)."""
        descriptor = self._lock_descriptor()
        try:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            yield True
        finally:
            os.close(descriptor)

    def discard(self, stored: StoredFile, referenced: Callable[[str], bool]) -> bool:
        """Remove a file a failed import stored, if it may: True when removed.

        Only a file this import created, that no committed exhibit refers to
        (``referenced(sha256)``), while no other import is in progress; otherwise it
        stays (``verify`` reports it if nothing ever refers to it).
        """
        if not stored.added:
            return False
        with self._alone() as alone:
            if not alone or referenced(stored.sha256) or not stored.path.exists():
                return False
            os.chmod(stored.path, 0o600)
            os.unlink(stored.path)
            return True

    def clean_partial_copies(self) -> int:
        """Remove copies an interrupted import left half-written (none in progress)."""
        if not self.root.exists():
            return 0
        with self._alone() as alone:
            if not alone:
                return 0
            partial = list(self.root.glob(PARTIAL_PREFIX + "*"))
            for path in partial:
                path.unlink(missing_ok=True)
            return len(partial)

    def unreferenced(self, referenced: set[str]) -> list[str]:
        """Stored files (by SHA-256) that no exhibit in ``referenced`` names."""
        if not self.root.exists():
            return []
        return sorted(path.name for path in self.root.glob("??/*")
                      if len(path.name) == 64 and path.name not in referenced)

    def check(self, sha256: str) -> str | None:
        """None when the stored file is intact, else what is wrong with it."""
        path = self.path_for(sha256)
        if not path.exists():
            return "stored file is missing"
        actual = sha256_of(path)
        if actual != sha256:
            return f"stored file has changed (SHA-256 now {actual})"
        return None

