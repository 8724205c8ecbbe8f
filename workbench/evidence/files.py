"""A content-addressed, read-only store of evidence files, keyed by SHA-256."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

CHUNK = 1 << 20


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
    added: bool = True  # False when the same content was already in the store


class ExhibitFiles:
    """Files copied in once, by hash, and made read-only; never modified afterwards."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def put(self, source: Path) -> StoredFile:
        """Copy ``source`` in (once per content) and return where it is kept.

        The copy is hashed as it is written, so what is stored is exactly what
        was hashed even if the source changes meanwhile.
        """
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        digest = hashlib.sha256()
        size = 0
        handle, temp_name = tempfile.mkstemp(dir=self.root, prefix=".incoming-")
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
            added = not target.exists()
            if not added:
                os.unlink(temp_name)
            else:
                target.parent.mkdir(exist_ok=True, mode=0o700)
                os.chmod(temp_name, 0o400)
                os.replace(temp_name, target)
        except BaseException:
            if os.path.exists(temp_name):
                os.unlink(temp_name)
            raise
        return StoredFile(sha, size, target, added)

    def check(self, sha256: str) -> str | None:
        """None when the stored file is intact, else what is wrong with it."""
        path = self.path_for(sha256)
        if not path.exists():
            return "stored file is missing"
        actual = sha256_of(path)
        if actual != sha256:
            return f"stored file has changed (SHA-256 now {actual})"
        return None

    def open_copy(self, sha256: str, directory: Path, name: str) -> Path:
        """A working copy of a stored file (for tools that need a writable path)."""
        target = Path(directory) / name
        shutil.copyfile(self.path_for(sha256), target)
        return target
