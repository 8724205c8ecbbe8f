"""``workbench key init|show``: the unit key that signs the audit chain and bundles."""

from __future__ import annotations

import argparse

from workbench import unit_key
from workbench.cli.common import print_json


def register(sub: argparse._SubParsersAction) -> None:
    key = sub.add_parser("key", help="the unit key that signs the audit chain and bundles")
    key_sub = key.add_subparsers(dest="key_command", metavar="ACTION", required=True)
    init = key_sub.add_parser("init", help="create the unit key file (mode 0600)")
    init.add_argument("--unit", required=True, help='the unit\'s name, e.g. "Anti-Corruption Unit"')
    init.add_argument("--force", action="store_true", help="replace an existing key")
    init.set_defaults(func=init_key)
    show = key_sub.add_parser("show", help="where the key is and whose it is")
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=show_key)


def init_key(args: argparse.Namespace) -> int:
    key = unit_key.init(args.unit, force=args.force)
    print(f"Unit key for {key.unit} written to {key.path} (mode 0600).")
    print(f"Certificate SHA-256: {key.fingerprint}")
    print("Give this file to each investigator of the unit; keep it off the shared store.")
    return 0


def show_key(args: argparse.Namespace) -> int:
    key = unit_key.load()
    if key is None:
        document = {"path": str(unit_key.key_path()), "present": False}
    else:
        document = {"path": str(key.path), "present": True, "unit": key.unit,
                    "fingerprint": key.fingerprint,
                    "valid_until": key.certificate.not_valid_after_utc.isoformat()}
    if args.json:
        print_json(document)
    elif not document["present"]:
        print(f"No unit key at {document['path']} (workbench key init --unit NAME).")
    else:
        print(f"{document['unit']}: {document['path']}\n"
              f"certificate SHA-256 {document['fingerprint']}, valid until {document['valid_until']}")
    return 0
