"""``workbench chart`` and ``workbench discover``."""

from __future__ import annotations

import argparse
from datetime import datetime

from workbench.cli import UsageError
from workbench.cli.common import add_out_argument, output_path, print_json, print_table, store_from
from workbench.discover import discover
from workbench.store.queries import find_case
from workbench.timeutil import local_to_utc, zone


def register(sub: argparse._SubParsersAction) -> None:
    chart = sub.add_parser("chart", help="write the link chart (.graphml, .anx, .png, .svg, .pdf)")
    chart.add_argument("ref")
    add_out_argument(chart, "FILE", "where to write the chart")
    chart.add_argument("--anonymise", action="store_true", help="ciphers instead of names")
    chart.add_argument("--from", dest="start", metavar="WHEN", help="only contact from this time "
                       "(ISO 8601, local to the case unless an offset is given)")
    chart.add_argument("--to", dest="end", metavar="WHEN", help="only contact up to this time")
    chart.set_defaults(func=run_chart)
    find = sub.add_parser("discover", help="unresolved identifiers ranked as possible further "
                          "members of the public")
    find.add_argument("ref")
    find.add_argument("--limit", type=int, default=20)
    find.add_argument("--json", action="store_true")
    find.set_defaults(func=run_discover)


def _when(text: str | None, tz_name: str) -> datetime | None:
    if text is None:
        return None
    try:
        return local_to_utc(datetime.fromisoformat(text), zone(tz_name))[0]
    except ValueError:
        raise UsageError(f"{text!r} is not a date/time (ISO 8601)") from None


def run_chart(args: argparse.Namespace) -> int:
    from workbench.chart import write_chart

    store = store_from(args)
    with store.reader() as session:
        tz_name = find_case(session, args.ref).timezone
    start, end = _when(args.start, tz_name), _when(args.end, tz_name)
    out = output_path(store, args.out, args.force)
    counts = write_chart(store, args.ref, out, anonymise=args.anonymise, start=start, end=end)
    print(f"{args.out}: {counts['nodes']} nodes, {counts['edges']} links")
    return 0


def run_discover(args: argparse.Namespace) -> int:
    with store_from(args).reader() as session:
        candidates = discover(session, find_case(session, args.ref))[: args.limit]
    if args.json:
        print_json({"case": args.ref, "candidates": [c.as_dict() for c in candidates]})
        return 0
    if not candidates:
        print("No unresolved identifiers in contact with the officer.")
        return 0
    print_table([[str(n), f"{c.score:.2f}", c.kind, c.display, str(c.contacts), "; ".join(c.reasons)]
                 for n, c in enumerate(candidates, 1)],
                ["RANK", "SCORE", "KIND", "IDENTIFIER", "CONTACTS", "REASONS"])
    print("\nRanked leads for the investigator to review; a rank is not a finding.")
    return 0
