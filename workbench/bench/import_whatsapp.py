"""``import_whatsapp``: a 100,000-message WhatsApp export through ``import_file`` in under 10 s."""

from __future__ import annotations

import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from workbench.bench import BenchRow, benchmark, stopwatch
from workbench.ingest.pipeline import import_file
from workbench.model import Case
from workbench.store import open_store
from workbench.store.exhibit_files import ExhibitFiles

BUDGET_S = 10.0  # the target for 100,000 messages


def synthetic_chat(path: Path, messages: int, *, start: datetime | None = None) -> None:
    """An Android-style UK export between two people, with the export's usual mix.

    Every tenth message runs over two lines, every 50th is a media placeholder
    and every 200th a deleted message, so the parser does its real work.
    """
    moment = start or datetime(2021, 3, 1, 8, 0)
    names = ("Lee PCSO", "Kerry")
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write(f"{moment:%d/%m/%Y, %H:%M} - Messages and calls are end-to-end encrypted. "
                  "No one outside of this chat, not even WhatsApp, can read or listen to them.\n")
        for n in range(messages):
            moment += timedelta(seconds=97)
            stamp = f"{moment:%d/%m/%Y, %H:%M}"
            if n % 200 == 199:
                body = "This message was deleted"
            elif n % 50 == 49:
                body = "<Media omitted>"
            elif n % 10 == 9:
                body = f"message number {n} that goes on\nover a second line"
            else:
                body = f"message number {n} about the report"
            out.write(f"{stamp} - {names[n % 2]}: {body}\n")


@benchmark("import_whatsapp")
def run(quick: bool) -> BenchRow:
    count = 2_000 if quick else 100_000
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        store = open_store(f"sqlite:///{root / 'bench.db'}")
        store.files = ExhibitFiles(root / "evidence")
        with store.session() as session:
            session.add(Case(ref="BENCH", title="WhatsApp import benchmark"))
        chat = root / "WhatsApp Chat with Kerry.txt"
        synthetic_chat(chat, count)
        with stopwatch() as ours:
            result = import_file(store, "BENCH", chat, kind="whatsapp")
        store.dispose()
    if result.events != count:
        raise AssertionError(f"imported {result.events} of {count} messages")
    return BenchRow("import_whatsapp", ours[0], BUDGET_S, 1.0, "the issue's 10 s budget",
                    f"{count:,} messages", note="end to end through import_file, SQLite")
