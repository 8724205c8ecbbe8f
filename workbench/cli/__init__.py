"""The ``workbench`` command: argparse subcommands, exit 0/1/2, one-line errors."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from workbench.errors import Cancelled, WorkbenchError

# Each module adds its subcommands with ``register(subparsers)``; the handler is
# stored as ``func`` and returns the exit status.
COMMAND_MODULES = ("app", "demo", "cases", "imports", "analysis", "links", "bundle", "integrity", "keys", "whoami", "bench")


class UsageError(Exception):
    """Bad usage found after parsing (exit 2)."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workbench",
        description="Investigator Workbench: counter-corruption case analysis (APSP).",
    )
    parser.add_argument("--db", metavar="URL",
                        help="SQLAlchemy URL of the case store (default: $WORKBENCH_DB or a "
                             "SQLite file in the user data directory)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"workbench.cli.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(argv)
    if args.command is None:  # plain `workbench [--db URL]` opens the app
        args = parser.parse_args([*argv, "gui"])
    try:
        return int(args.func(args) or 0)
    except UsageError as exc:
        print(f"workbench: error: {exc}", file=sys.stderr)
        return 2
    except Cancelled:
        print("workbench: cancelled", file=sys.stderr)
        return 1
    except WorkbenchError as exc:
        if args.debug:
            raise
        print(f"workbench: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the contract: one line, no traceback without --debug
        if args.debug:
            raise
        print(f"workbench: unexpected error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
