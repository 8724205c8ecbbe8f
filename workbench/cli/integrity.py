"""``workbench audit verify`` and ``workbench verify``."""

from __future__ import annotations

import argparse
import sys

from workbench.cli.common import store_from
from workbench.integrity import (
    verify_audit,
    verify_exhibit_records,
    verify_exhibits,
    verify_leftovers,
)


def register(sub: argparse._SubParsersAction) -> None:
    audit = sub.add_parser("audit", help="the tamper-evident audit log")
    audit_sub = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    check = audit_sub.add_parser("verify", help="check the audit chain; non-zero exit on tampering")
    check.add_argument("ref", nargs="?", help="one case (default: every case)")
    check.set_defaults(func=audit_verify)
    verify = sub.add_parser("verify", help="audit chain + re-hash every stored exhibit file + "
                            "check every exhibit's records against the audit chain")
    verify.add_argument("ref", nargs="?", help="one case (default: every case)")
    verify.set_defaults(func=verify_all)


def _report(problems: list[str], ok_message: str) -> int:
    for problem in problems:
        print(f"FAILED: {problem}", file=sys.stderr)
    if problems:
        return 1
    print(ok_message)
    return 0


def audit_verify(args: argparse.Namespace) -> int:
    return _report(verify_audit(store_from(args), args.ref), "Audit chain intact.")


def verify_all(args: argparse.Namespace) -> int:
    store = store_from(args)
    problems = (verify_audit(store, args.ref) + verify_exhibits(store, args.ref)
                + verify_exhibit_records(store, args.ref)
                + ([] if args.ref else verify_leftovers(store)))
    return _report(problems, "Audit chain intact; every stored exhibit matches its SHA-256; "
                             "every exhibit's records match what was imported.")
