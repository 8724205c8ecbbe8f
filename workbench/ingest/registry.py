"""The importer registry: adding a source format is adding one module that registers itself."""

from __future__ import annotations

import importlib
import pkgutil
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from workbench.errors import ImportRefused
from workbench.ingest import safezip
from workbench.ingest.records import ParseOptions, Record, SourceFile
from workbench.ingest.spreadsheet import head_as_csv, is_workbook

if TYPE_CHECKING:
    from workbench.ingest.tabular import Layout

SNIFF_BYTES = 64 * 1024


@dataclass(frozen=True)
class Importer:
    """One source format.

    ``sniff(name, head)`` gets the file name and its first 64 KiB (for a zip,
    followed by its member names, one a line) and returns a confidence from 0
    (not mine) to 1 (certainly mine). ``parse`` yields records
    and raises :class:`ImportRefused` with the position and reason on bad input.
    ``needs_owner`` is true for device and account exports. ``layout`` is the
    columns a tabular (CSV or Excel) importer reads, for choosing them by hand.
    ``folder_files`` is the name pattern of this kind's files inside an export
    folder (Meta's ``message_*.json``), for importing a folder as its files.
    """

    kind: str
    label: str
    sniff: Callable[[str, bytes], float]
    parse: Callable[[SourceFile, ParseOptions], Iterator[Record]]
    needs_owner: bool = False
    local_time: bool = True  # whether the source's times are local (so --tz applies)
    layout: Layout | None = None
    folder_files: str | None = None


_IMPORTERS: dict[str, Importer] = {}
_ALL_LOADED = False


def register(importer: Importer) -> Importer:
    """Add an importer (called at import time by each format module)."""
    _IMPORTERS[importer.kind] = importer
    return importer


def _load_all() -> None:
    import workbench.ingest.formats as formats

    for module in pkgutil.iter_modules(formats.__path__):
        importlib.import_module(f"{formats.__name__}.{module.name}")


def importers() -> dict[str, Importer]:
    """Every registered importer, by kind."""
    global _ALL_LOADED
    if not _ALL_LOADED:  # not "if empty": importing one format module directly registers it
        _load_all()
        _ALL_LOADED = True
    return dict(sorted(_IMPORTERS.items()))


def get(kind: str) -> Importer:
    known = importers()
    if kind not in known:
        raise ImportRefused(f"unknown kind {kind!r} (known: {', '.join(known)})")
    return known[kind]


def files_in(folder: Path) -> list[tuple[Path, str]]:
    """The evidence files in an export folder, with their kind, in a stable order.

    Each becomes its own exhibit (an exhibit is one file with one hash), so a thread
    split over ``message_1.json``, ``message_2.json``... is imported by naming its
    folder, or a whole ``inbox`` by naming that.
    """
    found: list[tuple[Path, str]] = []
    for importer in importers().values():
        if importer.folder_files:
            found += [(path, importer.kind) for path in folder.rglob(importer.folder_files)
                      if path.is_file()]
    if not found:
        patterns = ", ".join(sorted({f"{i.folder_files} ({i.label})" for i in importers().values()
                                     if i.folder_files}))
        raise ImportRefused(f"no evidence files in the folder (looked for {patterns})",
                            file=folder.name)
    return sorted(found, key=lambda item: natural_order(item[0].relative_to(folder)))


def natural_order(path: PurePath) -> list[tuple[tuple[int, str], ...]]:
    """message_2.json before message_10.json: runs of digits compare as numbers."""
    return [tuple((int(chunk), "") if chunk.isdigit() else (0, chunk)
                  for chunk in re.split(r"(\d+)", part))
            for part in path.parts]


def _zip_names(path: Path) -> bytes:
    """A zip's member names, one a line: what is in an export zip tells its kind, and the
    first 64 KiB show only the first member or two. Empty when the zip is unreadable."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()[:20_000]
    except (*safezip.ZIP_ERRORS, ValueError):
        return b""
    return ("\n" + "\n".join(names)).encode("utf-8", "replace")


def detect(path: Path, display_name: str | None = None) -> Importer:
    """The importer most confident about this file, or a clear refusal."""
    name = display_name or path.name
    if path.is_dir():
        head = b""
    elif is_workbook(path):
        head = head_as_csv(path)  # the tabular importers sniff its first rows as CSV
    else:
        with open(path, "rb") as handle:
            head = handle.read(SNIFF_BYTES)
        if head.startswith(b"PK\x03\x04"):
            head += _zip_names(path)
    scored = sorted(
        ((imp.sniff(name, head), imp.kind) for imp in importers().values()), reverse=True
    )
    best_score, best_kind = scored[0] if scored else (0.0, "")
    if best_score < 0.5:
        raise ImportRefused("cannot tell what kind of evidence this is; give --kind", file=name)
    if len(scored) > 1 and scored[1][0] == best_score:
        raise ImportRefused(
            f"could be {best_kind} or {scored[1][1]}; give --kind", file=name
        )
    return _IMPORTERS[best_kind]
