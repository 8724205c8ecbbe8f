"""Direct edits of what a decision rests on are named by ``workbench verify`` (issue #14).

Each test edits one table of a built demo case with plain SQL, as someone with write
access to the database could, and checks that the record is named.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from workbench.demo import DEMO_REF, build_demo
from workbench.integrity import verify_audit, verify_records
from workbench.store import Store, open_store


@pytest.fixture(scope="module")
def built_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tamper-demo")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WORKBENCH_EVIDENCE", str(root / "evidence"))
        store = open_store(f"sqlite:///{root / 'case.db'}")
        build_demo(store)
        store.dispose()
    return root


@pytest.fixture
def demo(built_demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """A private copy of the built demo store."""
    for name in ("case.db", "case.db-wal"):
        if (built_demo / name).exists():
            shutil.copy(built_demo / name, tmp_path / name)
    monkeypatch.setenv("WORKBENCH_EVIDENCE", str(built_demo / "evidence"))
    store = open_store(f"sqlite:///{tmp_path / 'case.db'}")
    yield store
    store.dispose()


def tamper(store: Store, *statements: str) -> None:
    with store.engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))


def scalar(store: Store, query: str) -> object:
    with store.engine.connect() as connection:
        return connection.execute(text(query)).scalar()


def problems(store: Store) -> list[str]:
    return verify_audit(store) + verify_records(store)


def assert_named(store: Store, phrase: str) -> None:
    found = problems(store)
    assert any(phrase in problem for problem in found), found


def test_the_untouched_demo_verifies(demo: Store) -> None:
    assert problems(demo) == []


def test_accepted_markers_dismissed_in_the_database(demo: Store) -> None:
    rule, key = (scalar(demo, f"select {c} from markers where status = 'accepted' order by key "
                              "limit 1") for c in ("rule", "key"))
    assert key
    tamper(demo, "update markers set status='dismissed', review_reason='no concern' "
                 "where status='accepted'")
    assert_named(demo, f"marker {rule} {key} was changed since audit entry")


def test_a_phone_number_reattributed_to_another_person(demo: Store) -> None:
    kind, value, person = demo_identifier = (
        *[scalar(demo, f"select {c} from identifiers where person_id is not null and kind = "
                       f"'phone' order by id limit 1") for c in ("kind", "value", "person_id")],)
    assert all(demo_identifier)
    other = scalar(demo, f"select id from people where id != {person} order by id limit 1")
    tamper(demo, f"update identifiers set person_id = {other} where kind = '{kind}' "
                 f"and value = '{value}'")
    assert_named(demo, f"identifier {kind} {value} was changed")


def test_a_person_edited(demo: Store) -> None:
    key = scalar(demo, "select key from people where role = 'subject' limit 1")
    tamper(demo, f"update people set collar = '9999' where key = '{key}'")
    assert_named(demo, f"person {key} was changed")


def test_the_case_edited(demo: Store) -> None:
    tamper(demo, "update cases set title = 'Nothing to see'")
    assert_named(demo, "the case was changed")


def test_a_decision_edited(demo: Store) -> None:
    tamper(demo, "update decisions set rationale = 'on reflection, none' where sequence = 2")
    assert_named(demo, "decision 2 was changed")


def test_a_decision_deleted(demo: Store) -> None:
    tamper(demo, "delete from decisions where sequence = 1")
    assert_named(demo, "decision 1 was deleted")


def test_an_engagement_edited(demo: Store) -> None:
    engagement = scalar(demo, "select min(id) from engagements")
    tamper(demo, f"update engagements set outcome = 'no further action' where id = {engagement}")
    assert_named(demo, f"engagement {engagement} was changed")


def test_an_enquiry_edited(demo: Store) -> None:
    key = scalar(demo, "select key from lines_of_enquiry order by key limit 1")
    tamper(demo, f"update lines_of_enquiry set status = 'done', notes = 'x' where key = '{key}'")
    assert_named(demo, f"line of enquiry {key} was changed")


def test_a_continuity_entry_edited(demo: Store) -> None:
    entry = scalar(demo, "select min(id) from continuity")
    tamper(demo, f"update continuity set by = 'PC 1 Someone Else' where id = {entry}")
    assert_named(demo, f"#{entry} was changed")


def test_an_exhibit_description_edited(demo: Store) -> None:
    tamper(demo, "update exhibits set description = 'nothing relevant' where reference = 'JB/1'")
    assert_named(demo, "exhibit JB/1 was changed")


@pytest.mark.parametrize("column, value", [("direction", "'incoming'"), ("channel", "'other'")])
def test_an_events_direction_or_channel_edited(demo: Store, column: str, value: str) -> None:
    event = scalar(demo, "select min(id) from events where direction = 'outgoing'")
    reference = scalar(demo, f"select x.reference from events e join exhibits x on "
                             f"x.id = e.exhibit_id where e.id = {event}")
    tamper(demo, f"update events set {column} = {value} where id = {event}")
    assert_named(demo, f"events' channel or direction in exhibit {reference} was changed")


def test_a_record_seal_rewritten_to_hide_an_edit(demo: Store) -> None:
    key = scalar(demo, "select key from markers where status = 'accepted' order by key limit 1")
    tamper(demo, f"update markers set status = 'dismissed' where key = '{key}'")
    from workbench import record_seal  # the attacker recomputes the seal with our own code
    with demo.session() as session:
        case_id = session.execute(text("select id from cases")).scalar()
        records = record_seal.current_records(session, case_id)
        import json
        session.execute(text("update case_seals set records = :r"),
                        {"r": json.dumps(records, sort_keys=True, separators=(",", ":"))})
    assert_named(demo, "the record seal of markers differs from what audit entry")


def test_the_last_13_audit_entries_deleted_and_the_head_reset(demo: Store) -> None:
    last = int(scalar(demo, f"select max(sequence) from audit_entries where case_ref = '{DEMO_REF}'"))
    keep = last - 13
    head = scalar(demo, f"select hash from audit_entries where case_ref = '{DEMO_REF}' "
                        f"and sequence = {keep}")
    tamper(demo, f"delete from audit_entries where case_ref = '{DEMO_REF}' and sequence > {keep}",
           f"update cases set audit_head = '{head}' where ref = '{DEMO_REF}'")
    assert verify_audit(demo) == []  # the chain alone cannot tell: what it sealed can
    assert_named(demo, "audit entries deleted and the head reset")


def test_a_chain_recomputed_by_hand_after_an_edit_fails(demo: Store) -> None:
    from workbench import audit
    from workbench.model import AuditEntry, Case
    with demo.session() as session:  # the whole rewrite, with the application's own hashing
        entries = session.query(AuditEntry).filter_by(case_ref=DEMO_REF).order_by(
            AuditEntry.sequence).all()
        entries[2].details = entries[2].details.replace("JB", "XX")
        previous = entries[1].hash
        for entry in entries[2:]:
            entry.previous_hash = previous
            entry.hash = previous = audit.entry_hash(entry)
        session.query(Case).filter_by(ref=DEMO_REF).update({"audit_head": previous})
    assert_named(demo, "audit entry 3: its signature does not match its hash")
    tamper(demo, "update audit_entries set signature = null, key_fingerprint = null")
    # Unsigned from the start now: the hashes chain, but nothing vouches for them.
    assert any("no entry is signed" in note for note in _notes(demo))


def _notes(store: Store) -> list[str]:
    from workbench.integrity import audit_notes
    return audit_notes(store)


def test_a_bundle_of_a_tampered_case_is_never_called_intact(demo: Store, tmp_path: Path) -> None:
    from workbench.bundle import export_bundle, verify_bundle
    from workbench.errors import WorkbenchError

    before = tmp_path / "before.pdf"
    export_bundle(demo, DEMO_REF, before, audience="internal")
    assert verify_bundle(before, demo, DEMO_REF).ok
    tamper(demo, "update markers set status='dismissed', review_reason='no concern' "
                 "where status='accepted'")
    check = verify_bundle(before, demo, DEMO_REF)
    assert not check.ok
    assert any("fails verification" in p and "marker" in p for p in check.problems), check.problems
    with pytest.raises(WorkbenchError, match="fails verification"):
        export_bundle(demo, DEMO_REF, tmp_path / "after.pdf", audience="internal")
    assert not (tmp_path / "after.pdf").exists()


def test_a_later_change_in_the_application_does_not_absorb_an_edit(demo: Store) -> None:
    from datetime import UTC, datetime

    from workbench.casework.decisions import add_decision

    tamper(demo, "update decisions set rationale = 'on reflection, none' where sequence = 2")
    add_decision(demo, DEMO_REF, decided_at=datetime(2022, 3, 1, tzinfo=UTC),
                 decision_maker="DI Sam Okoro", recorder="DS 4120 Jane Brown",
                 ndm_element="information", decision="Review", rationale="Routine")
    found = problems(demo)
    assert any("change(s) made outside the application before it: decision 2 was changed"
               in problem for problem in found), found
    assert not any("decision 3" in problem for problem in found)  # the application's own
