"""``discover``: ranking the unattributed identifiers of a million-event case vs loading the events.

The baseline is the ``analyse`` row's: a plain ``SELECT`` of the case's event
columns through the driver, on the same store in the same run. Target: at most 2x.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from workbench.bench import BenchRow, benchmark, stopwatch
from workbench.bench.analyse import load_baseline, populate
from workbench.discover import discover
from workbench.store import open_store
from workbench.store.queries import find_case


@benchmark("discover")
def run(quick: bool) -> BenchRow:
    count = 5_000 if quick else 1_000_000
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        store = open_store(f"sqlite:///{root / 'discover.db'}")
        ref = populate(store, count, root)
        baseline = min(load_baseline(store, ref) for _ in range(2))
        with stopwatch() as ours, store.reader() as session:
            leads = discover(session, find_case(session, ref))
        store.dispose()
    return BenchRow("discover", ours[0], baseline, None if quick else 2.0,
                    "plain SELECT of the case's event columns (same store, same run)",
                    f"{count:,} events", note=f"{len(leads):,} unattributed identifiers ranked")
