"""``workbench whoami [--set "DS 4120 Jane Brown"]``: the investigator named in every entry."""

from __future__ import annotations

import argparse

from workbench import investigator


def register(sub: argparse._SubParsersAction) -> None:
    whoami = sub.add_parser("whoami", help="the investigator (rank, number, name) this OS "
                            "account records in audit entries, reviews, decisions and bundles")
    whoami.add_argument("--set", metavar='"RANK NUMBER NAME"',
                        help='set the profile, e.g. --set "DS 4120 Jane Brown"')
    whoami.set_defaults(func=show_or_set)


def show_or_set(args: argparse.Namespace) -> int:
    if args.set is not None:
        path = investigator.save(investigator.parse(args.set))
        print(f"Investigator profile saved to {path}.")
    print(f"{investigator.current()} (OS account {investigator.os_account()})")
    return 0
