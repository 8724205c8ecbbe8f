"""The case store: schema, migrations, time handling, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select

from workbench.model import Base, Case
from workbench.store import open_store
from workbench.store.migrate import HEAD, current_revision, head_revision


def test_new_store_is_at_the_newest_schema(any_store):
    assert current_revision(any_store.engine) == head_revision() == HEAD


def test_migrations_match_the_models(any_store):
    """A model change without a migration would leave real stores behind."""
    with any_store.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []


def test_times_come_back_aware_utc(any_store):
    bst = timezone(timedelta(hours=1))
    with any_store.session() as session:
        session.add(Case(ref="T-1", title="t", created_at=datetime(2021, 6, 20, 14, 30, tzinfo=bst)))
    with any_store.reader() as session:
        case = session.scalars(select(Case)).one()
    assert case.created_at == datetime(2021, 6, 20, 13, 30, tzinfo=UTC)
    assert case.created_at.tzinfo is UTC


def test_naive_times_are_refused(any_store):
    with pytest.raises(Exception, match="naive datetime"), any_store.session() as session:
        session.add(Case(ref="T-2", title="t", created_at=datetime(2021, 6, 20, 14, 30)))


def test_sqlite_store_is_private_and_in_wal_mode(tmp_path):
    path = tmp_path / "private.db"
    store = open_store(f"sqlite:///{path}")
    store.dispose()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_reopening_a_store_keeps_its_cases(tmp_path):
    url = f"sqlite:///{tmp_path / 'again.db'}"
    first = open_store(url)
    with first.session() as session:
        session.add(Case(ref="KEEP", title="kept"))
    first.dispose()
    second = open_store(url)
    with second.reader() as session:
        assert session.scalars(select(Case.ref)).all() == ["KEEP"]


def test_an_unreachable_database_is_a_clear_error(tmp_path):
    from workbench.errors import WorkbenchError

    with pytest.raises(WorkbenchError, match="cannot open store"):
        open_store("postgresql+psycopg://nobody@127.0.0.1:1/none")


def test_a_store_at_an_older_revision_upgrades_itself_on_open(tmp_path):
    from alembic import command
    from sqlalchemy import create_engine, inspect

    from workbench.store.migrate import alembic_config

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    assert current_revision(engine) == "0001"
    engine.dispose()
    store = open_store(url)
    assert current_revision(store.engine) == HEAD
    indexes = {i["name"] for i in inspect(store.engine).get_indexes("marker_evidence")}
    assert "ix_marker_evidence_event_id" in indexes


def test_upgrading_a_sqlite_store_keeps_the_marker_evidence(tmp_path):
    """0003 rebuilds the events table on SQLite: nothing pointing at events may cascade away."""
    import sqlite3

    from tests.conftest import DATA
    from tests.workbench.test_ingest_replace import BILLING
    from workbench import casefile
    from workbench.analysis.persist import run_analysis
    from workbench.ingest.pipeline import import_file
    from workbench.integrity import verify_exhibit_records

    url = f"sqlite:///{tmp_path / 'old.db'}"
    store = open_store(url)
    casefile.create_case(store, casefile.load(DATA / "willow.toml"))
    import_file(store, "OP-WILLOW", BILLING)
    run_analysis(store, "OP-WILLOW")
    store.dispose()
    database = sqlite3.connect(tmp_path / "old.db")
    counts = "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM marker_evidence)"
    before = database.execute(counts).fetchone()
    assert before[1] > 0
    database.execute("DROP TABLE event_links")  # made by a later revision (0005)
    database.execute("UPDATE alembic_version SET version_num = '0002'")  # as an older store
    database.commit()
    database.close()

    store = open_store(url)
    assert current_revision(store.engine) == HEAD
    with store.engine.connect() as connection:
        assert tuple(connection.exec_driver_sql(counts).one()) == before
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert verify_exhibit_records(store) == []
    with store.session() as session:  # a position inside a zip: longer than the old 64
        long = "your_activity_across_facebook/messages/inbox/" + "x" * 80 + "/message_1.json"
        session.connection().exec_driver_sql(
            "UPDATE events SET source_position = ? WHERE id = (SELECT min(id) FROM events)",
            (long,))
    store.dispose()
