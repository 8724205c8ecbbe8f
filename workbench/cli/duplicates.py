"""``workbench duplicates REF`` and ``workbench duplicates undo LINK --reason TEXT``."""

from __future__ import annotations

import argparse

from workbench.analysis.duplicates import links_for_case, undo_link
from workbench.cli import UsageError
from workbench.cli.common import print_json, print_table, store_from


def register(sub: argparse._SubParsersAction) -> None:
    command = sub.add_parser(
        "duplicates", help="the same message or call held by several exhibits, linked as one",
        description="List the links made by `analyse` between records of the same "
                    "communication in different exhibits (each counted once, every source "
                    "listed), or undo one with a reason (audited; it is not linked again).")
    command.add_argument("ref", help="case reference, or `undo` to split a link")
    command.add_argument("link", nargs="?", type=int, help="with `undo`: the link id")
    command.add_argument("--reason", help="with `undo`: why the two records are not the same")
    command.add_argument("--json", action="store_true")
    command.set_defaults(func=run_duplicates)


def run_duplicates(args: argparse.Namespace) -> int:
    if args.ref == "undo":
        if args.link is None or not args.reason:
            raise UsageError("duplicates undo LINK --reason TEXT")
        link = undo_link(store_from(args), args.link, args.reason)
        if args.json:
            print_json(link)
        else:
            print(f"Link {link['id']} undone: event {link['duplicate']} counts on its own again.")
        return 0
    links = links_for_case(store_from(args), args.ref)
    if args.json:
        print_json({"case": args.ref, "links": links})
        return 0
    if not links:
        print(f"{args.ref}: no records of one communication in several exhibits.")
        return 0
    print_table([[str(link["id"]), str(link["event"]), str(link["duplicate"]),
                  "; ".join(link["sources"]),
                  f"undone: {link['undo_reason']}" if link["undone_at"] else "linked"]
                 for link in links], ["LINK", "EVENT", "DUPLICATE", "SOURCES", "STATE"])
    return 0
