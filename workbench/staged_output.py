"""Export files that appear under their name only once the export is recorded.

A bundle or CSV is written to a hidden temporary name in the same folder; the caller
records the export in the audit chain inside the ``with``; only then is the file renamed
to the name the user asked for. A crash or kill before the audit commit leaves nothing
under that name; one between the commit and the rename leaves only the hidden file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def staged_output(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on a clean exit it becomes ``path``.

    The file is created with mode 0600 (an export may hold personal data).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    os.close(handle)
    temp = Path(name)
    try:
        yield temp
        with open(temp, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
