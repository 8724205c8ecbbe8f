"""Tampering with the store behind the application's back is detected by ``workbench verify``."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text

from tests.conftest import DATA
from workbench.ingest.pipeline import import_file
from workbench.integrity import verify_audit, verify_exhibit_records, verify_exhibits

CDR = DATA / "ingest" / "cdr_provider.csv"
ROSTER = DATA / "ingest" / "roster.csv"


@pytest.fixture
def imported(willow):
    import_file(willow, "OP-WILLOW", CDR, producer="Jane Brown")
    import_file(willow, "OP-WILLOW", ROSTER, producer="Jane Brown")
    return willow


def problems(store) -> list[str]:
    return verify_audit(store) + verify_exhibits(store) + verify_exhibit_records(store)


def tamper(store, sql: str) -> None:
    with store.engine.begin() as connection:
        connection.execute(text(sql))


def test_untouched_store_verifies(imported):
    assert problems(imported) == []


@pytest.mark.parametrize("sql, expected", [
    ("UPDATE events SET text = 'changed' WHERE id = (SELECT MIN(id) FROM events)",
     "JB/1: its events differ from those imported"),
    ("UPDATE events SET occurred_at = '2020-01-01 00:00:00.000000' WHERE id = (SELECT MAX(id) FROM events)",
     "JB/1: its events differ"),
    ("DELETE FROM events WHERE id = (SELECT MIN(id) FROM events)", "JB/1: its events differ"),
    ("INSERT INTO events (case_id, exhibit_id, source_position, occurred_at, time_ambiguous, kind, "
     "channel, direction) SELECT case_id, exhibit_id, 'line 99', occurred_at, 0, 'sms', channel, "
     "direction FROM events WHERE id = (SELECT MIN(id) FROM events)", "JB/1: its events differ"),
    ("UPDATE exhibits SET sha256 = '" + "0" * 64 + "' WHERE reference = 'JB/1'", "JB/1: sha256 is"),
    ("UPDATE exhibits SET record_count = 3 WHERE reference = 'JB/1'", "JB/1: records is 3"),
    ("UPDATE duty_shifts SET on_duty = NOT on_duty WHERE id = (SELECT MIN(id) FROM duty_shifts)",
     "JB/2: its shifts, reports or complaints differ"),
    ("UPDATE audit_entries SET details = replace(details, 'cdr', 'CDR')", "content does not match its hash"),
])
def test_direct_edits_are_detected(imported, sql, expected):
    tamper(imported, sql)
    found = problems(imported)
    assert any(expected in problem for problem in found), found


def test_a_deleted_exhibit_row_is_detected(imported):
    tamper(imported, "DELETE FROM continuity")
    tamper(imported, "DELETE FROM events WHERE exhibit_id = (SELECT id FROM exhibits WHERE reference = 'JB/1')")
    tamper(imported, "DELETE FROM exhibits WHERE reference = 'JB/1'")
    assert "case OP-WILLOW: exhibit JB/1 was imported but is no longer in the store (deleted?)" in problems(imported)


def test_an_exhibit_added_outside_the_application_is_detected(imported):
    tamper(imported, "INSERT INTO exhibits (case_id, reference, description, producer, file_name, sha256, "
                     "size, kind, record_count, received_at, imported_at) SELECT case_id, 'ZZ/1', '', 'x', "
                     "'x.csv', substr(sha256, 2) || 'f', size, kind, 0, received_at, imported_at FROM exhibits WHERE reference = 'JB/1'")
    assert any("exhibit ZZ/1 has no import in the audit chain" in p for p in problems(imported))


def test_a_changed_stored_file_is_detected(imported):
    with imported.reader() as session:
        sha = session.execute(text("SELECT sha256 FROM exhibits WHERE reference = 'JB/1'")).scalar()
    path = imported.files.path_for(sha)
    os.chmod(path, 0o600)
    with open(path, "r+b") as handle:
        handle.seek(10)
        handle.write(b"X")
    assert any("JB/1" in p and "stored file has changed" in p for p in problems(imported))
