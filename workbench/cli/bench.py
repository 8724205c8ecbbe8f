"""``workbench bench``."""

from __future__ import annotations

import argparse
import platform

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
