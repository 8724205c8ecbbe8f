"""``discover``: ranking the unattributed identifiers of a million-event case vs loading the events.

The baseline is the ``analyse`` row's: a plain ``SELECT`` of the case's event
columns through the driver, on the same store in the same run. Target: at most 2x.
"""

from __future__ import annotations

from workbench.bench import BenchRow, benchmark, stopwatch
from workbench.bench.analyse import bench_case, load_baseline
from workbench.discover import discover
from workbench.store import open_store
from workbench.store.queries import find_case


@benchmark("discover")
def run(quick: bool) -> BenchRow:
    count = 5_000 if quick else 1_000_000
    url, ref = bench_case(count)
    store = open_store(url)
    baseline = min(load_baseline(store, ref) for _ in range(2))
    with stopwatch() as ours, store.reader() as session:
        leads = discover(session, find_case(session, ref))
    store.dispose()
    return BenchRow("discover", ours[0], baseline, None if quick else 2.0,
                    "plain SELECT of the case's event columns (same store, same run)",
                    f"{count:,} events", note=f"{len(leads):,} unattributed identifiers ranked")
