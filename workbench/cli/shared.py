"""``workbench user``, ``case grant|revoke|declare-conflict`` and ``hits``: the unit's
shared store (see workbench/shared/)."""

from __future__ import annotations

import argparse
from datetime import date

from workbench.cli.common import print_json, print_table, store_from
from workbench.model.shared import CASE_ROLES, UNIT_ROLES
from workbench.shared import access, hits, users
from workbench.store.queries import find_case


def register(sub: argparse._SubParsersAction) -> None:
    user = sub.add_parser("user", help="investigators of a shared store (PostgreSQL)")
    user_sub = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    add = user_sub.add_parser("add", help="add an investigator (their own database login role)")
    add.add_argument("login")
    add.add_argument("--name", required=True, help='as recorded, e.g. "DS 4120 Jane Brown"')
    add.add_argument("--role", required=True, choices=UNIT_ROLES)
    add.set_defaults(func=user_add)
    listing = user_sub.add_parser("list", help="list the investigators")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=user_list)

    case_sub = next(a for a in sub.choices["case"]._actions
                    if isinstance(a, argparse._SubParsersAction))
    grant = case_sub.add_parser("grant", help="let an investigator open a case")
    grant.add_argument("ref")
    grant.add_argument("login")
    grant.add_argument("--role", choices=CASE_ROLES, help="default: their unit role")
    grant.set_defaults(func=lambda a: _say(access.grant(store_from(a), a.ref, a.login, a.role)))
    revoke = case_sub.add_parser("revoke", help="take away an investigator's access to a case")
    revoke.add_argument("ref")
    revoke.add_argument("login")
    revoke.set_defaults(func=lambda a: _say(access.revoke(store_from(a), a.ref, a.login)))
    conflict = case_sub.add_parser("declare-conflict",
                                   help="record that an investigator must not see a case at all")
    conflict.add_argument("ref")
    conflict.add_argument("login")
    conflict.set_defaults(func=lambda a: _say(access.declare_conflict(store_from(a), a.ref, a.login)))

    hit = sub.add_parser("hits", help="identifiers of a case that also appear in other cases")
    hit.add_argument("ref")
    hit.add_argument("--json", action="store_true")
    hit.set_defaults(func=hits_command)


def _say(message: str) -> int:
    print(message)
    return 0


def user_add(args: argparse.Namespace) -> int:
    with store_from(args).session() as session:
        info = users.add_user(session, args.login, args.name, args.role)
    print(f"{info.login}: {info.name}, {info.role} (connects as database role {info.login!r} "
          "through the unit's PostgreSQL authentication)")
    return 0


def user_list(args: argparse.Namespace) -> int:
    with store_from(args).reader() as session:
        found = users.list_users(session)
    if args.json:
        print_json([u.as_dict() for u in found])
    else:
        print_table([[u.login, u.name, u.role, "" if u.active else "inactive"] for u in found],
                    ["LOGIN", "NAME", "ROLE", ""])
    return 0


def hits_command(args: argparse.Namespace) -> int:
    with store_from(args).reader() as session:
        found = hits.cross_case_hits(session, find_case(session, args.ref))
    if args.json:
        print_json([h.as_dict() for h in found])
    elif not found:
        print(f"No identifier of {args.ref} appears in another case.")
    for hit in [] if args.json else found:
        print(hit.describe())
    return 0


def parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None

