"""``workbench gui``: the desktop app.

The app is loaded by name, as a plug-in of the command line, so the core has no
import-time dependency on ``ui`` or Qt (the import contract checks this).
"""

from __future__ import annotations

import argparse
import importlib

from workbench import worker_process
from workbench.errors import WorkbenchError


def register(sub: argparse._SubParsersAction) -> None:
    gui = sub.add_parser("gui", help="open the desktop app (the default command)")
    gui.add_argument("ref", nargs="?", help="case to open")
    gui.add_argument("--snapshot", metavar="DIR",
                     help="render each main view to PNG in DIR, then exit")
    gui.set_defaults(func=run_gui)


def run_gui(args: argparse.Namespace) -> int:
    if not args.snapshot:
        worker_process.start()  # its Python starts while the app's loads Qt
    try:
        app = importlib.import_module("ui.app")
    except ImportError as exc:
        raise WorkbenchError(f"the desktop app is not available: {exc}") from exc
    return int(app.run(db=args.db, ref=args.ref, snapshot=args.snapshot))
