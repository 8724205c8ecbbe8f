"""Importing several files at once: one refusal policy for the command line and the app.

The files of one group (the files found in one folder, or every file given on one
command line) stand or fall together: each is read and checked first, nothing kept,
and only when every one would import are they imported. A refused file refuses its
whole group, and every refusal names the file by its place in the folder. A file on its
own (added by itself in the app) is refused alone and the next one is tried.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.errors import Cancelled, ImportRefused, WorkbenchError
from workbench.ingest.pipeline import ImportResult, import_file
from workbench.store import Store
from workbench.tasks import CancelToken, Progress, no_progress

Outcome = ImportResult | ImportRefused


class NotImported(ImportRefused):
    """A file left out because another file of its group (its folder) was refused."""


@dataclass(frozen=True)
class BatchFile:
    """One file to import, with its ``import_file`` options."""

    path: Path
    kind: str | None = None
    shown: str = ""  # how refusals name it: its place in its folder (threads share file names)
    group: str = ""  # files of one group are imported all or none; "" stands alone
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.shown or self.path.name


def import_batch(store: Store, ref: str, files: list[BatchFile], *,
                 progress: Progress = no_progress,
                 cancel: CancelToken | None = None) -> list[Outcome]:
    """Import ``files`` in order; an outcome for each (the result, or why it was refused)."""
    cancel = cancel or CancelToken()
    refused: dict[int, ImportRefused] = {}
    for members in _groups(files):
        if len(members) < 2:
            continue
        for number in members:  # checked first, nothing kept
            cancel.check()
            outcome = _one(store, ref, files[number], cancel, progress, number, len(files),
                           check_only=True)
            if isinstance(outcome, ImportRefused):
                for other in members:
                    refused[other] = outcome if other == number else NotImported(
                        f"not imported: {outcome.file} in the same folder was refused, and a "
                        "folder is imported all or none", file=files[other].name)
                break
    outcomes: list[Outcome] = []
    for number, item in enumerate(files):
        cancel.check()
        outcomes.append(refused.get(number) or _one(store, ref, item, cancel, progress, number,
                                                   len(files)))
    return outcomes


def _groups(files: list[BatchFile]) -> Iterable[list[int]]:
    grouped: dict[str, list[int]] = {}
    for number, item in enumerate(files):
        if item.group:
            grouped.setdefault(item.group, []).append(number)
    return grouped.values()


def _one(store: Store, ref: str, item: BatchFile, cancel: CancelToken, progress: Progress,
         number: int, total: int, check_only: bool = False) -> Outcome:
    def step(fraction: float, message: str) -> None:
        progress((number + fraction) / total, f"{item.name}: {message}")

    try:
        return import_file(store, ref, item.path, kind=item.kind, progress=step, cancel=cancel,
                           check_only=check_only, **item.options)
    except ImportRefused as exc:
        return exc.in_file(item.name)
    except Cancelled:
        raise
    except WorkbenchError as exc:
        return ImportRefused(str(exc), file=item.name)
