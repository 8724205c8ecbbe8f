"""Opening evidence zips without letting them attack the workstation.

Before anything is read, every member is checked: names that climb out of the
archive (``..``, absolute paths, drive letters), symbolic links, encrypted
members, and decompression bombs (a member that inflates more than 200-fold, or
a declared total over 2 GiB that is also more than 20 times the zip's size on
disk -- a real extraction or download of tens of gigabytes is mostly photos and
videos, which hardly compress). Members are then streamed straight from the
archive; nothing is ever extracted to disk.
"""

from __future__ import annotations

import re
import stat
import zipfile
import zlib
from pathlib import Path

from workbench.errors import ImportRefused
from workbench.ingest.limits import (
    MAX_MEMBERS,
    MAX_RATIO,
    MAX_TOTAL_BYTES,
    MAX_TOTAL_RATIO,
    RATIO_FLOOR_BYTES,
)

# What reading a damaged or unusual zip can raise: zipfile raises NotImplementedError for a
# "version needed" or compression method it does not know (found by fuzzing).
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError,
              NotImplementedError)
_DRIVE = re.compile(r"^[A-Za-z]:")


def is_zip(path: Path) -> bool:
    """Whether the file starts like a zip archive."""
    with open(path, "rb") as handle:
        return handle.read(4) in (b"PK\x03\x04", b"PK\x05\x06")


def _check_name(name: str) -> None:
    parts = re.split(r"[\\/]", name)
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        raise ImportRefused(f"the zip holds a member with an absolute path ({name!r}); refused")
    if ".." in parts:
        raise ImportRefused(f"the zip holds a member whose path climbs out of the archive "
                            f"({name!r}); refused")
    if "\x00" in name:
        raise ImportRefused("the zip holds a member name with a NUL byte; refused")


def check_archive(archive: zipfile.ZipFile, size_on_disk: int) -> None:
    """Refuse a zip with traversal, links, encryption or bomb-like sizes."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise ImportRefused(f"the zip holds {len(members):,} members; refused as a zip bomb")
    total = 0
    seen: set[str] = set()
    for info in members:
        _check_name(info.filename)
        if info.filename.casefold() in seen:
            raise ImportRefused(f"the zip holds two members at the same path ({info.filename!r}); "
                                "refused, because a reader would keep one and lose the other")
        seen.add(info.filename.casefold())
        if stat.S_ISLNK(info.external_attr >> 16):
            raise ImportRefused(f"the zip holds a symbolic link ({info.filename!r}); refused")
        if info.flag_bits & 0x1:
            raise ImportRefused(f"the zip member {info.filename!r} is encrypted; "
                                "decrypt the export first")
        total += info.file_size
        if info.file_size >= RATIO_FLOOR_BYTES and (
            info.compress_size == 0 or info.file_size / info.compress_size > MAX_RATIO
        ):
            ratio = info.file_size / max(info.compress_size, 1)
            raise ImportRefused(
                f"the zip member {info.filename!r} would inflate {ratio:,.0f}-fold "
                f"(to {info.file_size:,} bytes); refused as a zip bomb"
            )
    if total > MAX_TOTAL_BYTES and total > MAX_TOTAL_RATIO * size_on_disk:
        raise ImportRefused(f"the zip would inflate to {total:,} bytes (over 2 GiB, "
                            f"{total / max(size_on_disk, 1):,.0f} times its size); "
                            "refused as a zip bomb")


def open_archive(path: Path) -> zipfile.ZipFile:
    """The checked archive (caller closes it), or a refusal."""
    try:
        archive = zipfile.ZipFile(path)
    except ZIP_ERRORS as exc:
        raise ImportRefused(f"not a readable zip archive ({exc})") from None
    try:
        check_archive(archive, path.stat().st_size)
    except BaseException:
        archive.close()
        raise
    return archive


def find_member(archive: zipfile.ZipFile, name: str) -> zipfile.ZipInfo | None:
    """The member called ``name`` at the root of the archive (case-insensitive)."""
    wanted = name.casefold()
    for info in archive.infolist():
        if info.filename.casefold() == wanted:
            return info
    return None
