"""``workbench note|tag|bookmark`` (notes on evidence) and ``workbench watchlist``."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from workbench.cli.common import print_json, print_table, store_from
from workbench.model.shared import NOTE_TARGETS
from workbench.shared import notes, watchlist
from workbench.shared.users import current_login
from workbench.store.queries import find_case


def _on(parser: argparse.ArgumentParser, required: bool = True) -> None:
    parser.add_argument("ref")
    group = parser.add_mutually_exclusive_group(required=required)
    for kind in NOTE_TARGETS:
        group.add_argument(f"--{kind}", metavar="KEY" if kind == "person" else
                           "REFERENCE" if kind == "exhibit" else "ID")


def _target(args: argparse.Namespace) -> tuple[str, str] | None:
    return next(((k, getattr(args, k)) for k in NOTE_TARGETS if getattr(args, k)), None)


def register(sub: argparse._SubParsersAction) -> None:
    note = sub.add_parser("note", help="notes on events, markers, people and exhibits")
    note_sub = note.add_subparsers(dest="note_command", metavar="ACTION", required=True)
    add = note_sub.add_parser("add", help="add a note")
    _on(add)
    add.add_argument("text")
    add.set_defaults(func=note_add)
    edit = note_sub.add_parser("edit", help="a new version of a note (the old one is kept)")
    edit.add_argument("ref")
    edit.add_argument("id", type=int)
    edit.add_argument("text")
    edit.set_defaults(func=note_edit)
    listing = note_sub.add_parser("list", help="notes, tags and bookmarks, filtered")
    _on(listing, required=False)
    listing.add_argument("--tag", help="only this tag")
    listing.add_argument("--kind", choices=("note", "tag", "bookmark"))
    listing.add_argument("--text", help="only those containing this text")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=note_list)

    tag = sub.add_parser("tag", help="tag events, markers, people and exhibits")
    tag_sub = tag.add_subparsers(dest="tag_command", metavar="ACTION", required=True)
    for action in ("add", "remove"):
        parser = tag_sub.add_parser(action, help=f"{action} a tag")
        _on(parser)
        parser.add_argument("tag")
        parser.set_defaults(func=tag_set, on=action == "add")
    vocab = tag_sub.add_parser("vocab", help="the case's tags")
    vocab.add_argument("ref")
    vocab.add_argument("--add", metavar="NAME")
    vocab.set_defaults(func=tag_vocab)
    mark = sub.add_parser("bookmark", help="bookmark (or with --remove, unmark) an item")
    _on(mark)
    mark.add_argument("--remove", action="store_true")
    mark.set_defaults(func=bookmark)

    watch = sub.add_parser("watchlist", help="the unit's watched identifiers and staff")
    watch_sub = watch.add_subparsers(dest="watch_command", metavar="ACTION", required=True)
    wadd = watch_sub.add_parser("add", help="watch an identifier or member of staff")
    wadd.add_argument("kind", help="an identifier kind (phone, vehicle, ...) or staff")
    wadd.add_argument("value")
    wadd.add_argument("--reason", required=True)
    wadd.add_argument("--review", required=True, type=date.fromisoformat, metavar="YYYY-MM-DD")
    wadd.set_defaults(func=watch_add)
    wlist = watch_sub.add_parser("list", help="the watchlist, and alerts raised for you")
    wlist.add_argument("--json", action="store_true")
    wlist.set_defaults(func=watch_list)
    wremove = watch_sub.add_parser("remove", help="stop watching (the entry stays in the audit)")
    wremove.add_argument("id", type=int)
    wremove.add_argument("--reason", required=True)
    wremove.set_defaults(func=watch_remove)
    wack = watch_sub.add_parser("acknowledge", help="record that you have seen an alert raised "
                                "for you (the unit's audit chain)")
    wack.add_argument("id", type=int, help="the alert's number, as `watchlist list` shows it")
    wack.add_argument("--note", default="", help="what you did about it")
    wack.set_defaults(func=watch_acknowledge)


def note_add(args: argparse.Namespace) -> int:
    with store_from(args).session() as session:
        case = find_case(session, args.ref)
        kind, name = _target(args) or ("", "")
        row = notes.add_note(session, case, notes.resolve_target(session, case, kind, name), args.text)
    print(f"note {row.thread} added on {kind} {name}")
    return 0


def note_edit(args: argparse.Namespace) -> int:
    with store_from(args).session() as session:
        row = notes.edit_note(session, find_case(session, args.ref), args.id, args.text)
    print(f"note {row.thread} is now at version {row.version} (earlier versions kept)")
    return 0


def note_list(args: argparse.Namespace) -> int:
    with store_from(args).reader() as session:
        case = find_case(session, args.ref)
        on = _target(args)
        target = notes.resolve_target(session, case, *on) if on else None
        rows = notes.current_annotations(session, case, target=target, kind=args.kind,
                                         tag=args.tag, text=args.text)
        found = [notes.as_dict(session, row) for row in rows]
    if args.json:
        print_json(found)
    else:
        print_table([[str(n["id"]), f"v{n['version']}", n["kind"],
                      f"{n['on']['kind']} {n['on']['name']}", n["text"], n["author"], n["at"][:16]]
                     for n in found], ["ID", "VER", "KIND", "ON", "TEXT", "BY", "AT (UTC)"])
    return 0


def tag_set(args: argparse.Namespace) -> int:
    with store_from(args).session() as session:
        case = find_case(session, args.ref)
        target = notes.resolve_target(session, case, *(_target(args) or ("", "")))
        notes.set_mark(session, case, target, "tag", args.on, args.tag)
    print(f"{target.label}: tag {args.tag!r} {'added' if args.on else 'removed'}")
    return 0


def tag_vocab(args: argparse.Namespace) -> int:
    with store_from(args).session() as session:
        case = find_case(session, args.ref)
        if args.add:
            notes.add_tag_to_vocabulary(session, case, args.add)
        print("\n".join(notes.vocabulary(session, case)))
    return 0


def bookmark(args: argparse.Namespace) -> int:
    with store_from(args).session() as session:
        case = find_case(session, args.ref)
        target = notes.resolve_target(session, case, *(_target(args) or ("", "")))
        notes.set_mark(session, case, target, "bookmark", not args.remove)
    print(f"{target.label}: {'bookmark removed' if args.remove else 'bookmarked'}")
    return 0


def watch_add(args: argparse.Namespace) -> int:
    with store_from(args).session() as session:
        entry = watchlist.add(session, args.kind, args.value, args.reason, args.review)
    print(f"watchlist entry {entry.id}: {entry.kind} {entry.value}, review by {entry.review_on}")
    return 0


def watch_list(args: argparse.Namespace) -> int:
    with store_from(args).reader() as session:
        found = watchlist.entries(session)
        alerts = watchlist.alerts_for(session, current_login(session))
        rows: list[dict[str, Any]] = [{"id": e.id, "kind": e.kind, "value": e.value, "reason": e.reason,
                 "review_on": e.review_on.isoformat(), "owner": e.owner} for e in found]
    if args.json:
        print_json({"entries": rows, "alerts": [a.as_dict() for a in alerts]})
        return 0
    print_table([[str(r[k]) for k in ("id", "kind", "value", "review_on", "owner", "reason")]
                 for r in rows], ["ID", "KIND", "VALUE", "REVIEW BY", "OWNER", "REASON"])
    for alert in alerts:
        seen = " (acknowledged)" if alert.acknowledged else ""
        print(f"ALERT {alert.id}{seen}: {alert.describe()}")
    return 0


def watch_acknowledge(args: argparse.Namespace) -> int:
    with store_from(args).session() as session:
        alert = watchlist.acknowledge(session, args.id, args.note)
    print(f"watchlist alert {alert.id} ({alert.kind} {alert.value}) acknowledged")
    return 0


def watch_remove(args: argparse.Namespace) -> int:
    with store_from(args).session() as session:
        entry = watchlist.remove(session, args.id, args.reason)
    print(f"watchlist entry {entry.id} removed")
    return 0
