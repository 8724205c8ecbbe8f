"""Schema migrations with Alembic, run on open so an older store upgrades itself.

Opening a store that is already at the newest revision (the usual case) reads
its version row with plain SQL and never imports Alembic, which takes a fifth
of a second: every command and the app's start-up pay for it otherwise.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

from workbench.errors import WorkbenchError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
HEAD = "0010_date_only_index"  # the newest revision in migrations/versions (a test keeps the two in step)


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str | None:
    """The newest revision as Alembic finds it in the migration scripts."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The store's schema revision, or None for an empty database."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision (a no-op when it is there)."""
    if current_revision(engine) == HEAD:
        return
    from alembic import command

    cfg = alembic_config()
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:
            # SQLite changes a column by rebuilding its table; with foreign keys on,
            # dropping the old table would cascade to the rows that point at it.
            # SQLite's procedure: keys off, rebuild in a transaction, check, keys on.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()  # outside any transaction, where the pragma takes effect
        try:
            with connection.begin():
                cfg.attributes["connection"] = connection
                command.upgrade(cfg, "head")
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise WorkbenchError(f"schema upgrade left {len(broken)} broken references "
                                           f"(first: {tuple(broken[0])}); nothing was changed")
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()
