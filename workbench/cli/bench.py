"""``workbench bench``."""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import tempfile
from collections.abc import Iterator

from workbench import investigator
from workbench.bench import benches
from workbench.cli import UsageError
from workbench.cli.common import print_json


def register(sub: argparse._SubParsersAction) -> None:
    bench = sub.add_parser("bench", help="run the benchmarks (ours vs a baseline, same run)")
    bench.add_argument("--quick", action="store_true", help="tiny sizes, for a smoke test")
    bench.add_argument("--only", metavar="NAME", action="append",
                       help="run only this benchmark (repeatable)")
    bench.add_argument("--json", action="store_true")
    bench.set_defaults(func=run_benches)


def run_benches(args: argparse.Namespace) -> int:
    with _bench_investigator():
        return _run(args)


@contextlib.contextmanager
def _bench_investigator() -> Iterator[None]:
    """Benchmarks write to throwaway stores, and every write names an investigator: on a
    machine with no profile (CI), they run under a temporary one, never saved for the user."""
    if investigator.profile() is not None:
        yield
        return
    saved = os.environ.get("WORKBENCH_CONFIG")
    with tempfile.TemporaryDirectory(prefix="wb-bench-") as folder:
        os.environ["WORKBENCH_CONFIG"] = folder  # subprocesses of the benchmarks see it too
        try:
            investigator.save(investigator.parse("BENCH 0 Benchmark run"))
            yield
        finally:
            if saved is None:
                os.environ.pop("WORKBENCH_CONFIG", None)
            else:
                os.environ["WORKBENCH_CONFIG"] = saved


def _run(args: argparse.Namespace) -> int:
    available = benches()
    names = args.only or list(available)
    unknown = [n for n in names if n not in available]
    if unknown:
        raise UsageError(f"unknown benchmark(s) {', '.join(unknown)} (known: {', '.join(available)})")
    rows = []
    for name in names:
        row = available[name](args.quick)
        rows.append(row)
        if not args.json:
            target = f"<= {row.target_ratio:g}x" if row.target_ratio is not None else "-"
            verdict = {True: "met", False: "MISSED", None: ""}[row.met]
            print(f"{row.name:<16} ours {row.ours_s:8.3f}s  baseline {row.baseline_s:8.3f}s  "
                  f"ratio {row.ratio:6.2f}  target {target:<8} {verdict}  "
                  f"[{row.size}; baseline: {row.baseline}]{' ' + row.note if row.note else ''}",
                  flush=True)
    if args.json:
        print_json({"machine": f"{platform.machine()} {platform.processor()} python {platform.python_version()}",
                    "quick": args.quick, "rows": [r.as_dict() for r in rows]})
    return 0
