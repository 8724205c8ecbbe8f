"""Where things live: the data directory, the database URL and the exhibit store."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs
from sqlalchemy.engine import make_url

APP_NAME = "investigator-workbench"
DEFAULT_TIMEZONE = "Europe/London"


def data_dir() -> Path:
    """The user's data directory (created on first use)."""
    path = Path(os.environ.get("WORKBENCH_HOME") or platformdirs.user_data_dir(APP_NAME))
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def config_dir() -> Path:
    """The user's configuration directory (the investigator's profile, the unit key).

    ``WORKBENCH_CONFIG`` overrides it; with only ``WORKBENCH_HOME`` set (tests, a portable
    install) it is that folder's ``config``.
    """
    if os.environ.get("WORKBENCH_CONFIG"):
        path = Path(os.environ["WORKBENCH_CONFIG"])
    elif os.environ.get("WORKBENCH_HOME"):
        path = Path(os.environ["WORKBENCH_HOME"]) / "config"
    else:
        path = Path(platformdirs.user_config_dir(APP_NAME))
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def database_url(explicit: str | None = None) -> str:
    """The store's SQLAlchemy URL: ``--db``, else ``WORKBENCH_DB``, else a SQLite file."""
    if explicit:
        return explicit
    if os.environ.get("WORKBENCH_DB"):
        return os.environ["WORKBENCH_DB"]
    return f"sqlite:///{data_dir() / 'workbench.db'}"


def evidence_dir(url: str) -> Path:
    """The exhibit store for a database: beside a SQLite file, else in the data directory.

    ``WORKBENCH_EVIDENCE`` overrides it (a unit's shared store would point it at a
    shared, access-controlled folder).
    """
    if os.environ.get("WORKBENCH_EVIDENCE"):
        return Path(os.environ["WORKBENCH_EVIDENCE"])
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        db = Path(parsed.database)
        return db.with_name(db.stem + "-evidence")
    return data_dir() / "evidence"
