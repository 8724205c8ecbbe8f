"""The workbench's log: one rotating file in the data folder, readable only by its owner.

The CLI and the app call :func:`configure_logging` once at start. Messages name
cases, exhibits, files and actions, never evidence content (no message text, no
record values); tracebacks go to the file, not to a terminal nobody watches.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

from workbench import config

LOG_NAME = "workbench.log"
MAX_BYTES = 2_000_000
BACKUPS = 5
_FORMAT = "%(asctime)s %(levelname)s pid=%(process)d %(name)s: %(message)s"


class _PrivateRotatingFile(logging.handlers.RotatingFileHandler):
    """A rotating file handler whose files (the current one and each new one) are 0600."""

    def _open(self):  # type: ignore[no-untyped-def]  # logging's own signature
        descriptor = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.chmod(self.baseFilename, 0o600)  # an older file made with a looser mode
        return os.fdopen(descriptor, self.mode.replace("w", "a"), encoding=self.encoding,
                         errors=self.errors)


def log_path() -> Path:
    """Where the log file is (in the data folder)."""
    return config.data_dir() / "logs" / LOG_NAME


def configure_logging(debug: bool = False) -> Path:
    """Send the ``workbench`` and ``ui`` loggers to the rotating log file; return its path.

    Safe to call again (tests, a second entry point): the handler is replaced only
    when the data folder changed. ``debug`` records DEBUG messages too.
    """
    path = log_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    root = logging.getLogger()
    current = [h for h in root.handlers if isinstance(h, _PrivateRotatingFile)]
    if not current or current[0].baseFilename != str(path):
        for handler in current:
            root.removeHandler(handler)
            handler.close()
        handler = _PrivateRotatingFile(path, maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                       encoding="utf-8")
        handler.setFormatter(logging.Formatter(_FORMAT))
        root.addHandler(handler)
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    for noisy in ("sqlalchemy", "alembic", "matplotlib", "PIL", "fontTools"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return path
