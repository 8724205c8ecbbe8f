"""The ``workbench`` command: argparse subcommands, exit 0/1/2, one-line errors."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import re
import sys
from collections.abc import Sequence

from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError

from workbench.errors import Cancelled, WorkbenchError, brief
from workbench.logs import configure_logging
from workbench.terminal import SafeStream, safe

# Each module adds its subcommands with ``register(subparsers)``; the handler is
# stored as ``func`` and returns the exit status.
COMMAND_MODULES = ("app", "demo", "cases", "imports", "analysis", "duplicates", "links", "bundle", "integrity", "keys", "bench")


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


# Options that name files: anything else typed on the command line is free text, which
# must not carry control characters (a newline or ESC in --exhibit would reach the audit
# chain, the bundle and every terminal that shows it).
PATH_OPTIONS = frozenset({"files", "file", "out", "db"})
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
log = logging.getLogger(__name__)


def check_free_text(args: argparse.Namespace) -> None:
    """Refuse control characters in every free-text option."""
    for name, value in vars(args).items():
        if name in PATH_OPTIONS:
            continue
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str) and _CONTROL.search(text):
                option = name if name in {"ref", "exhibit", "id"} else f"--{name.replace('_', '-')}"
                raise UsageError(f"{option} holds a control character ({safe(text)}); "
                                 "type it without")


def database_failure(exc: SQLAlchemyError) -> str:
    """A database error as one line with no SQL, no values and no internal paths."""
    if isinstance(exc, IntegrityError):
        return ("the case store refused the change: it conflicts with one made at the same "
                "time (such as the same file imported twice at once); nothing of it was kept")
    if isinstance(exc, OperationalError):
        return ("the case store could not be written or read (disk full, a file size limit, "
                "locked or unreachable); nothing of the change was kept")
    return f"the case store reported an error ({type(exc).__name__}); nothing of the change was kept"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command with stdout and stderr escaping control characters (evidence and user
    text may hold terminal escape sequences)."""
    real_out, real_err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = SafeStream(real_out), SafeStream(real_err)
    try:
        status = _run(argv)
        sys.stdout.flush()  # here, so a closed pipe is caught below and not at exit
        return status
    except BrokenPipeError:  # `workbench case show X | head -1`: the reader has gone
        _silence_stdout()
        return 1
    finally:
        sys.stdout, sys.stderr = real_out, real_err


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush does not fail again."""
    if sys.__stdout__ is None:
        return
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.__stdout__.fileno())
    except (OSError, ValueError):
        pass


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(argv)
    if args.command is None:  # plain `workbench [--db URL]` opens the app
        args = parser.parse_args([*argv, "gui"])
    configure_logging(debug=args.debug)
    log.info("workbench %s", args.command)  # the command only: arguments may name people
    try:
        check_free_text(args)
        return int(args.func(args) or 0)
    except UsageError as exc:
        print(f"workbench: error: {safe(exc)}", file=sys.stderr)
        return 2
    except Cancelled:
        print("workbench: cancelled", file=sys.stderr)
        return 1
    except WorkbenchError as exc:
        log.warning("%s refused: %s", args.command, exc, exc_info=args.debug)
        if args.debug:
            raise
        print(f"workbench: {safe(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        raise
    except SQLAlchemyError as exc:  # one line: the SQL and its values are evidence
        if args.debug:
            log.error("database error", exc_info=True)
        print(f"workbench: {database_failure(exc)}"
              + ("" if args.debug else "; run with --debug to log the detail"), file=sys.stderr)
        return 1
    except Exception as exc:  # the contract: one line, no traceback without --debug
        log.exception("%s failed", args.command)  # the traceback goes to the log file
        if args.debug:
            raise
        print(f"workbench: unexpected error: {safe(brief(exc))}", file=sys.stderr)
        return 1
