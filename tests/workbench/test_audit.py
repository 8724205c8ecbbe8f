"""The audit chain detects edited, inserted and deleted entries (SQLite and PostgreSQL)."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import text

from tests.conftest import DATA
from workbench import audit, casefile
from workbench.integrity import verify_audit
from workbench.store.queries import find_case


def make_chain(store, entries: int = 4) -> None:
    casefile.create_case(store, casefile.load(DATA / "willow.toml"))
    with store.session() as session:
        case = find_case(session, "OP-WILLOW")
        for n in range(entries - 1):
            audit.append(session, case, "note", {"n": n})


def test_untouched_chain_verifies(any_store):
    make_chain(any_store)
    assert verify_audit(any_store) == []
    assert verify_audit(any_store, "OP-WILLOW") == []


def test_edited_entry_is_detected(any_store):
    make_chain(any_store)
    with tampering(any_store) as connection:
        connection.execute(text("UPDATE audit_entries SET action = 'tampered' WHERE sequence = 3"))
    assert verify_audit(any_store) == ["case OP-WILLOW: audit entry 3: content does not match its hash (edited)"]


def test_deleted_middle_entry_is_detected(any_store):
    make_chain(any_store)
    with tampering(any_store) as connection:
        connection.execute(text("DELETE FROM audit_entries WHERE sequence = 2"))
    assert verify_audit(any_store) == ["case OP-WILLOW: audit entry 2: missing entry (next found is 3)"]


def test_deleted_last_entry_is_detected(any_store):
    make_chain(any_store)
    with tampering(any_store) as connection:
        connection.execute(text("DELETE FROM audit_entries WHERE sequence = 4"))
    assert verify_audit(any_store) == ["case OP-WILLOW: audit entry 4: entries after this point were deleted"]


def test_inserted_entry_is_detected(any_store):
    make_chain(any_store)
    with tampering(any_store) as connection:
        connection.execute(text("UPDATE audit_entries SET sequence = -sequence WHERE sequence >= 3"))
        connection.execute(text("UPDATE audit_entries SET sequence = 1 - sequence WHERE sequence < 0"))
        connection.execute(text(
            "INSERT INTO audit_entries (case_ref, sequence, at, \"user\", action, details, previous_hash, hash) "
            "SELECT case_ref, 3, at, \"user\", 'note', '{}', hash, hash FROM audit_entries WHERE sequence = 2"))
    problems = verify_audit(any_store)
    assert len(problems) == 1 and "audit entry 3" in problems[0]


def test_every_entry_names_the_user_and_time(store):
    make_chain(store, entries=2)
    with store.reader() as session:
        rows = session.execute(text("SELECT \"user\", action FROM audit_entries ORDER BY sequence")).all()
    assert [r[1] for r in rows] == ["case_create", "note"]
    assert all(r[0] for r in rows)


@contextmanager
def tampering(store):
    """A connection that edits audit rows behind the app's back. On PostgreSQL the audit
    table refuses UPDATE and DELETE by trigger, so the tamperer is a superuser who turns
    triggers off (``session_replication_role``); the chain must still catch it."""
    with store.engine.begin() as connection:
        if store.dialect == "postgresql":
            connection.execute(text("SET LOCAL session_replication_role = replica"))
        yield connection
