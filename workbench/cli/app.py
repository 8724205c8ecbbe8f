"""``workbench gui``: the desktop app (imported lazily so the core never needs Qt)."""

from __future__ import annotations

import argparse

from workbench.errors import WorkbenchError


def register(sub: argparse._SubParsersAction) -> None:
    gui = sub.add_parser("gui", help="open the desktop app (the default command)")
    gui.add_argument("ref", nargs="?", help="case to open")
    gui.add_argument("--snapshot", metavar="DIR",
                     help="render each main view to PNG in DIR, then exit")
    gui.set_defaults(func=run_gui)


def run_gui(args: argparse.Namespace) -> int:
    try:
        from ui.app import run  # noqa: PLC0415 - Qt only when the app is wanted
    except ImportError as exc:
        raise WorkbenchError(f"the desktop app is not available: {exc}") from exc
    return run(db=args.db, ref=args.ref, snapshot=args.snapshot)
