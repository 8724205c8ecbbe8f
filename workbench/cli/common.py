"""Helpers shared by the subcommands."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import make_url

from workbench import config
from workbench.errors import WorkbenchError
from workbench.model import Exhibit
from workbench.store import Store, open_store
from workbench.store.exhibit_files import sha256_of
from workbench.terminal import safe


def store_from(args: argparse.Namespace, *, creating: bool = False) -> Store:
    """The store ``--db`` names. A SQLite file in a folder that does not exist is refused
    (a typo would otherwise make a new empty store) unless ``creating`` (case create, demo)."""
    if args.db and not creating:
        parsed = make_url(config.database_url(args.db))
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            folder = Path(parsed.database).parent
            if not folder.is_dir():
                raise WorkbenchError(
                    f"--db: the folder {safe(folder)} does not exist; a new store is made only by "
                    "`workbench case create` or `workbench demo`")
    return open_store(args.db)


def add_out_argument(command: argparse.ArgumentParser, metavar: str, help: str) -> None:
    """``--out FILE`` and ``--force``, checked by :func:`output_path`."""
    command.add_argument("--out", required=True, metavar=metavar, help=help)
    command.add_argument("--force", action="store_true",
                         help="overwrite --out if it exists (never an exhibit or the store)")


def output_path(store: Store, out: str, force: bool) -> Path:
    """Where to write ``--out``, after refusing the store and any exhibit's original file.

    Refused always: a path inside the exhibit store or the database (wherever their paths
    resolve to), and an existing file whose content is an exhibit's. An existing file is
    overwritten only with ``--force``.
    """
    path = Path(out)
    target = path.resolve()
    protected = [store.files.root.resolve()]
    database = make_url(store.url).database
    if store.dialect == "sqlite" and database not in (None, "", ":memory:"):
        db = Path(database).resolve()
        protected += [db, *(db.with_name(db.name + end) for end in ("-wal", "-shm", "-journal"))]
    for place in protected:
        if target == place or place in target.parents:
            raise WorkbenchError(f"--out {safe(out)}: refused, it is inside the case store")
    if path.is_dir():
        raise WorkbenchError(f"--out {safe(out)}: is a folder; name a file")
    if path.exists():
        sha = sha256_of(path)
        with store.reader() as session:
            exhibit = session.scalars(select(Exhibit).where(Exhibit.sha256 == sha)).first()
        if exhibit is not None:
            raise WorkbenchError(f"--out {safe(out)}: refused, it is the original file of exhibit "
                                 f"{safe(exhibit.reference)}")
        if not force:
            raise WorkbenchError(f"--out {safe(out)}: the file exists; add --force to overwrite it")
    return path


def print_json(document: Any) -> None:
    json.dump(document, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


def print_table(rows: list[list[str]], headers: list[str]) -> None:
    """A plain aligned text table; control characters in cells are shown escaped."""
    shown = [[safe(cell) for cell in row] for row in [headers, *rows]]
    widths = [max(len(x) for x in column) for column in zip(*shown, strict=False)]
    for row in [shown[0], ["-" * w for w in widths], *shown[1:]]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)).rstrip())
