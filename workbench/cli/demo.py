"""``workbench demo``: build (or keep) the deterministic demo case and print its ref."""

from __future__ import annotations

import argparse
import sys

from workbench.cli.common import print_json, store_from
from workbench.demo import DEMO_REF, build_demo_case


def register(sub: argparse._SubParsersAction) -> None:
    command = sub.add_parser(
        "demo", help=f"create the demo case ({DEMO_REF}) if absent; prints its ref",
        description=f"Create the demo case {DEMO_REF} from generated evidence files, imported "
                    "through the real importers. If it already exists it is left as it is.",
    )
    command.add_argument(
        "--rebuild", action="store_true",
        help=f"delete the existing demo case first, its audit chain included (only ever "
             f"allowed for {DEMO_REF}), then build it again",
    )
    command.add_argument("--json", action="store_true", help="report what was built as JSON")
    command.set_defaults(func=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    build = build_demo_case(store_from(args, creating=True), rebuild=args.rebuild)
    for skipped in build.skipped:
        print(f"workbench: demo: skipped {skipped}", file=sys.stderr)
    if args.json:
        print_json({
            "ref": build.ref, "created": build.created, "analysed": build.analysed,
            "seconds": round(build.seconds, 2), "skipped": build.skipped,
            "exhibits": [{"reference": r.exhibit, "kind": r.kind, "sha256": r.sha256,
                          "records": r.records} for r in build.imports],
        })
    else:
        print(build.ref)
    return 0
