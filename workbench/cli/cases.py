"""``workbench case create|list|show``."""

from __future__ import annotations

import argparse

from workbench import casefile
from workbench.cli.common import print_json, print_table, store_from
from workbench.overview import case_overview, list_cases
from workbench.store.queries import find_case
from workbench.terminal import safe


def register(sub: argparse._SubParsersAction) -> None:
    case = sub.add_parser("case", help="create, list and show cases")
    case_sub = case.add_subparsers(dest="case_command", metavar="ACTION", required=True)
    create = case_sub.add_parser("create", help="create a case from a case file (TOML)")
    create.add_argument("file", help="case description file (.toml)")
    create.set_defaults(func=create_case)
    listing = case_sub.add_parser("list", help="list the cases in the store")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=list_command)
    show = case_sub.add_parser("show", help="people, identifiers, exhibits and counts")
    show.add_argument("ref")
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=show_case)


def create_case(args: argparse.Namespace) -> int:
    data = casefile.load(args.file)
    print(casefile.create_case(store_from(args, creating=True), data))
    return 0


def list_command(args: argparse.Namespace) -> int:
    with store_from(args).reader() as session:
        cases = list_cases(session)
    if args.json:
        print_json(cases)
    elif not cases:
        print("No cases yet. Create one with `workbench case create FILE.toml` or `workbench demo`.")
    else:
        print_table([[c["ref"], c["classification"], c["status"], c["title"]] for c in cases],
                    ["REF", "CLASSIFICATION", "STATUS", "TITLE"])
    return 0


def show_case(args: argparse.Namespace) -> int:
    with store_from(args).reader() as session:
        overview = case_overview(session, find_case(session, args.ref))
    if args.json:
        print_json(overview)
        return 0
    print(f"{overview['ref']}: {overview['title']}  [{overview['classification']}]")
    print(f"Timezone {overview['timezone']}; opened {overview['opened'] or 'not recorded'}")
    print()
    for person in overview["people"]:
        cipher = f" ({person['cipher']})" if person["cipher"] else ""
        vulnerable = f"; vulnerabilities: {', '.join(person['vulnerabilities'])}" if person["vulnerabilities"] else ""
        print(f"{person['key']}: {person['name']}{cipher}, {person['role']}{vulnerable}")
        for ident in person["identifiers"]:
            print(f"    {ident['kind']:<14} {safe(ident['value']):<24} {ident['use']}")
    print()
    if overview["exhibits"]:
        print_table([[x["reference"], x["kind"], str(x["records"]), x["file_name"], x["sha256"][:16] + "…",
                      str(len(x["warnings"]) or "")]
                     for x in overview["exhibits"]],
                    ["EXHIBIT", "KIND", "RECORDS", "FILE", "SHA-256", "WARNINGS"])
        print()
    counts = overview["counts"]
    print(", ".join(f"{value} {name.replace('_', ' ')}" for name, value in counts.items()))
    if overview["markers_out_of_date"]:
        print(f"Markers may be out of date: {overview['markers_out_of_date']}; run "
              f"`workbench analyse {overview['ref']}`.")
    return 0
