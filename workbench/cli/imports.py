"""``workbench import`` and ``workbench exhibit withdraw``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workbench.cli import UsageError
from workbench.cli.common import print_json, store_from
from workbench.commands import WithdrawExhibit
from workbench.errors import ImportRefused
from workbench.ingest import registry
from workbench.ingest.batch import BatchFile, NotImported, import_batch
from workbench.ingest.pipeline import ImportResult, describe_removed
from workbench.terminal import safe


def register(sub: argparse._SubParsersAction) -> None:
    command = sub.add_parser("import", help="import evidence files into a case")
    command.add_argument("ref", help="case reference")
    command.add_argument("files", nargs="+", metavar="FILE",
                         help="evidence files; a folder stands for the export files in it "
                              "(Messenger/Instagram message_N.json)")
    command.add_argument("--kind", help="source format (auto-detected when omitted): "
                         + ", ".join(registry.importers()))
    command.add_argument("--exhibit", help="exhibit reference (default: producer's initials/next)")
    command.add_argument("--producer", help="who produced the exhibit (default: you)")
    command.add_argument("--description", default="", help="exhibit description")
    command.add_argument("--tz", help="timezone of local times in the file (default: the case's)")
    command.add_argument("--owner", help="whose device or account the file came from: "
                         "PERSON_KEY or PERSON_KEY:IDENTIFIER")
    command.add_argument("--map", dest="mapping", action="append", default=[],
                         metavar="FIELD=HEADER[,FIELD=HEADER...]",
                         help="map fields to column headers the importer does not recognise")
    command.add_argument("--replace", metavar="REASON",
                         help="read a file already imported again, with these options, in place "
                              "of its first reading (say why); the exhibit keeps its reference")
    command.add_argument("--json", action="store_true")
    command.set_defaults(func=run_import)

    exhibit = sub.add_parser("exhibit", help="withdraw an exhibit imported by mistake")
    actions = exhibit.add_subparsers(dest="exhibit_command", metavar="ACTION", required=True)
    withdraw = actions.add_parser(
        "withdraw", help="withdraw an exhibit imported by mistake, with a reason",
        description="The exhibit stays listed as received, with the withdrawal and its reason in "
                    "its continuity; what was read from it (events, shifts, reports, complaints "
                    "and the marker evidence pointing at them) is removed.")
    withdraw.add_argument("ref", help="case reference")
    withdraw.add_argument("exhibit", help="exhibit reference, e.g. JB/3")
    withdraw.add_argument("--reason", required=True, help="why it is withdrawn")
    withdraw.set_defaults(func=run_withdraw)


def parse_mapping(items: list[str]) -> dict[str, str]:
    mapping = {}
    for item in items:
        for pair in item.split(","):
            field, sep, header = pair.partition("=")
            if not sep or not field.strip() or not header.strip():
                raise UsageError(f"--map expects FIELD=HEADER, got {pair!r}")
            mapping[field.strip().lower()] = header.strip()
    return mapping


def run_import(args: argparse.Namespace) -> int:
    if args.kind and args.kind not in registry.importers():
        raise UsageError(f"unknown --kind {args.kind!r} (known: {', '.join(registry.importers())})")
    files = evidence_files(args.files, args.kind)
    if args.exhibit and len(files) > 1:
        raise UsageError("--exhibit names one exhibit: import one file at a time with it")
    mapping = parse_mapping(args.mapping)
    store = store_from(args)
    options = {"exhibit_ref": args.exhibit, "producer": args.producer,
               "description": args.description, "tz": args.tz, "owner": args.owner,
               "mapping": mapping, "replace": args.replace}
    # One refusal policy with the app (ingest/batch.py): every file given here, and every
    # file of a folder, stands or falls together.
    group = "command line" if len(files) > 1 else ""
    outcomes = import_batch(store, args.ref, [
        BatchFile(path, kind, shown, group, options) for path, kind, shown in files])
    refusal = next((o for o in outcomes if isinstance(o, ImportRefused)
                    and not isinstance(o, NotImported)), None)
    if refusal is not None:
        raise refusal
    results = []
    for (path, _kind, _shown), result in zip(files, outcomes, strict=True):
        assert isinstance(result, ImportResult)
        results.append(result)
        if not args.json:
            extra = f", {result.unresolved_created} new unresolved identifiers" if result.unresolved_created else ""
            ambiguous = f", {result.ambiguous_times} times in a clock-change hour (flagged)" if result.ambiguous_times else ""
            print(f"{result.exhibit}: {safe(path)}: {result.kind}, {result.records} records{extra}{ambiguous}")
            for notice in result.notices:
                print(f"  {safe(notice)}")
            for warning in result.warnings[:20]:
                print(f"  warning: {safe(warning)}", file=sys.stderr)
            if len(result.warnings) > 20:
                print(f"  ... and {len(result.warnings) - 20} more warnings", file=sys.stderr)
    if args.json:
        print_json([vars(r) for r in results])
    elif args.replace:
        print(f"Read again in place of the first reading; run `workbench analyse {args.ref}` so "
              "the markers follow.", file=sys.stderr)
    return 0


def evidence_files(given: list[str], kind: str | None) -> list[tuple[Path, str | None, str]]:
    """``(path, kind, name shown in errors)`` for each file; a folder's files are named by
    their path inside the folder (threads share the name message_1.json)."""
    files: list[tuple[Path, str | None, str]] = []
    for item in given:
        path = Path(item)
        if path.is_dir():
            files += [(found, found_kind, (Path(path.name) / found.relative_to(path)).as_posix())
                      for found, found_kind in registry.files_in(path)]
        else:
            files.append((path, kind, ""))
    return files


def run_withdraw(args: argparse.Namespace) -> int:
    command = WithdrawExhibit(args.ref, args.exhibit, args.reason)
    command.do(store_from(args))
    print(f"{args.exhibit} withdrawn; {describe_removed(command.removed)}")
    print(f"Run `workbench analyse {args.ref}` so the markers follow.", file=sys.stderr)
    return 0
