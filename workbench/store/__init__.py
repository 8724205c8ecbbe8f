"""The case store: engine, sessions and schema migrations, on SQLite or PostgreSQL."""

from workbench.store.engine import Store, open_store

__all__ = ["Store", "open_store"]
