"""The content-addressed exhibit store keeps files once, read-only, and notices changes."""

from __future__ import annotations

import hashlib
import os
import stat

from workbench.evidence.exhibits import initials
from workbench.store.exhibit_files import ExhibitFiles


def test_same_content_is_stored_once_and_read_only(tmp_path):
    files = ExhibitFiles(tmp_path / "store")
    a = tmp_path / "a.csv"
    b = tmp_path / "b.csv"
    a.write_bytes(b"one,two\n")
    b.write_bytes(b"one,two\n")
    first, second = files.put(a), files.put(b)
    assert first.sha256 == second.sha256 == hashlib.sha256(b"one,two\n").hexdigest()
    assert first.path == second.path and first.size == 8
    assert stat.S_IMODE(os.stat(first.path).st_mode) == 0o400
    assert [p.name for p in (tmp_path / "store").rglob("*") if p.is_file()] == [first.sha256]
    assert a.read_bytes() == b"one,two\n"  # the original is untouched


def test_changed_or_missing_files_are_reported(tmp_path):
    files = ExhibitFiles(tmp_path / "store")
    source = tmp_path / "x.txt"
    source.write_text("evidence")
    stored = files.put(source)
    assert files.check(stored.sha256) is None
    os.chmod(stored.path, 0o600)
    stored.path.write_text("evidencE")
    assert "has changed" in files.check(stored.sha256)
    stored.path.unlink()
    assert files.check(stored.sha256) == "stored file is missing"


def test_exhibit_initials_skip_ranks():
    assert initials("Jane Brown") == "JB"
    assert initials("DC Jane Brown") == "JB"
    assert initials("amir k. khan") == "AKK"
    assert initials("") == "EX"
