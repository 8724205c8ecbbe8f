"""The keyed audit chain: signed entries, the investigator named, keying of old stores."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, text

from tests.conftest import DATA, INVESTIGATOR
from workbench import audit, investigator, unit_key
from workbench.casefile import create_case, load
from workbench.errors import WorkbenchError
from workbench.integrity import audit_notes, verify_audit, verify_records
from workbench.model import AuditEntry, UnitCertificate
from workbench.store import Store
from workbench.store.queries import find_case

REF = "OP-WILLOW"


def _note(store: Store, text_: str = "x") -> None:
    with store.session() as session:
        audit.append(session, find_case(session, REF), "note", {"text": text_})


def _entries(store: Store) -> list[AuditEntry]:
    with store.reader() as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.sequence)))


def test_entries_name_the_investigator_beside_the_os_account_and_are_signed(willow: Store) -> None:
    _note(willow)
    entries = _entries(willow)
    key = unit_key.require()
    for entry in entries:
        assert entry.user == INVESTIGATOR
        assert entry.os_account == investigator.os_account()
        assert entry.key_fingerprint == key.fingerprint and entry.signature
    assert entries[-1].state  # the record seal's digests
    with willow.reader() as session:  # the certificate once per store, no private key
        pems = session.scalars(select(UnitCertificate.pem)).all()
    assert len(pems) == 1 and "PRIVATE" not in pems[0]
    assert verify_audit(willow) == [] and verify_records(willow) == []


def test_verification_needs_no_private_key_and_says_so(willow: Store, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    _note(willow)
    monkeypatch.setenv("WORKBENCH_UNIT_KEY", str(tmp_path / "absent.pem"))
    assert verify_audit(willow) == []
    assert any("No unit key" in note for note in audit_notes(willow))


def test_an_entry_signed_by_another_key_is_refused_where_the_unit_key_is_present(
        willow: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        unit_key_for_tests: Path) -> None:
    monkeypatch.setenv("WORKBENCH_UNIT_KEY", str(tmp_path / "other.pem"))
    unit_key.init("Someone else")
    _note(willow)  # entries by "someone else's" key, certificate stored with them
    monkeypatch.setenv("WORKBENCH_UNIT_KEY", str(unit_key_for_tests))
    assert any("signed by a key other than this workstation's" in p for p in verify_audit(willow))


def test_an_unsigned_store_upgrades_and_says_when_keying_began(
        store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        unit_key_for_tests: Path) -> None:
    monkeypatch.setenv("WORKBENCH_UNIT_KEY", str(tmp_path / "none-yet.pem"))
    create_case(store, load(DATA / "willow.toml"))
    _note(store)
    unsigned = _entries(store)
    assert unsigned and all(e.signature is None for e in unsigned)
    assert any("WARNING" in note and "no entry is signed" in note for note in audit_notes(store))
    with store.session() as session:  # an old (pre-0004) entry: no OS account, hashed as before
        session.execute(text("update audit_entries set os_account = null, state = null "
                             "where sequence = 1"))
        first = session.scalars(select(AuditEntry).where(AuditEntry.sequence == 1)).one()
        first.hash = audit.entry_hash(first)
        second = session.scalars(select(AuditEntry).where(AuditEntry.sequence == 2)).one()
        second.previous_hash = first.hash
        second.hash = audit.entry_hash(second)
        find_case(session, REF).audit_head = second.hash
    assert verify_audit(store) == []
    monkeypatch.setenv("WORKBENCH_UNIT_KEY", str(unit_key_for_tests))  # the unit key arrives
    _note(store, "after keying")
    entries = _entries(store)
    began = entries[len(unsigned)]
    assert began.action == "keying_began" and began.signature
    assert f'"unsigned_entries_before":{len(unsigned)}' in began.details
    assert entries[-1].action == "note" and entries[-1].signature
    assert verify_audit(store) == [] and verify_records(store) == []
    assert any(f"keying began at entry {len(unsigned) + 1}" in n for n in audit_notes(store))
    # An unsigned entry after keying began is a problem, however its hash was made.
    monkeypatch.setenv("WORKBENCH_UNIT_KEY", str(tmp_path / "none-yet.pem"))
    with pytest.raises(WorkbenchError, match="signed with a unit key .* copy the unit's key"):
        _note(store, "without the key")
    with store.session() as session:
        last = session.scalars(select(AuditEntry).order_by(AuditEntry.sequence.desc())).first()
        last.signature = last.key_fingerprint = None
        last.hash = audit.entry_hash(last)
        find_case(session, REF).audit_head = last.hash
    monkeypatch.setenv("WORKBENCH_UNIT_KEY", str(unit_key_for_tests))
    assert any("unsigned, after keying began" in p for p in verify_audit(store))


def test_writes_are_refused_in_one_line_without_a_profile(
        willow: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_CONFIG", str(tmp_path / "fresh-config"))
    with pytest.raises(WorkbenchError) as caught:
        _note(willow)
    message = str(caught.value)
    assert "\n" not in message and 'workbench whoami --set "DS 4120 Jane Brown"' in message
    assert len(_entries(willow)) == 1  # only the case's creation


def test_whoami_sets_and_shows_the_profile(cli_env: Path, tmp_path: Path, capsys,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.cli import main

    monkeypatch.setenv("WORKBENCH_CONFIG", str(tmp_path / "cfg"))
    assert main(["whoami"]) == 1
    assert "no investigator profile" in capsys.readouterr().err
    assert main(["whoami", "--set", "DC 1234 Amir Khan"]) == 0
    assert "DC 1234 Amir Khan (OS account " in capsys.readouterr().out
    assert (tmp_path / "cfg" / "investigator.json").stat().st_mode & 0o777 == 0o600
    assert main(["whoami"]) == 0
    assert capsys.readouterr().out.startswith("DC 1234 Amir Khan")
    assert main(["whoami", "--set", "Amir"]) != 0
    assert "expected RANK NUMBER NAME" in capsys.readouterr().err


@pytest.mark.parametrize("written, profile", [
    ("DS 4120 Jane Brown", ("DS", "4120", "Jane Brown")),
    ("  dc 1234 Amir  Khan ", ("DC", "1234", "Amir  Khan")),
    ("PC MP567 Li Wei", ("PC", "MP567", "Li Wei")),
])
def test_profiles_parse(written: str, profile: tuple[str, str, str]) -> None:
    parsed = investigator.parse(written)
    assert (parsed.rank, parsed.number, parsed.name) == profile


def test_a_direct_edit_is_named_on_postgresql_too(any_store: Store) -> None:
    create_case(any_store, load(DATA / "willow.toml"))
    assert verify_records(any_store) == []
    with any_store.engine.begin() as connection:
        key = connection.execute(text("select key from people order by key limit 1")).scalar()
        connection.execute(text("update people set name = 'Someone else' where key = :k"),
                           {"k": key})
    assert any(f"person {key} was changed" in p for p in verify_records(any_store))
