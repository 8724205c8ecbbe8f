"""Acknowledging watchlist alerts, the investigator's name looked up once per session, and
the record seal of a case past event id 46,340 on PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event, select, text

from tests.conftest import DATA
from tests.workbench import test_shared_store
from tests.workbench.test_ingest_replace import BILLING
from tests.workbench.test_shared_store import as_login, second_case
from workbench import audit, casefile, investigator
from workbench.errors import NotFound, WorkbenchError
from workbench.ingest.pipeline import import_file
from workbench.integrity import verify_audit
from workbench.model import AuditEntry
from workbench.shared import users, watchlist
from workbench.store import open_store
from workbench.store.queries import find_case

unit = test_shared_store.unit  # the fixture: a unit's store with three investigators


def watch(store) -> None:  # type: ignore[no-untyped-def]
    with store.session() as session:
        watchlist.add(session, "phone", "07700 900201", "intelligence", date(2027, 6, 1))


def test_an_alert_is_acknowledged_once_and_recorded_in_the_unit_chain(willow):
    watch(willow)
    import_file(willow, "OP-WILLOW", BILLING)
    [alert] = watchlist.my_open_alerts(willow)
    assert (alert.case_ref, alert.kind, alert.value) == ("OP-WILLOW", "phone", "+447700900201")
    watchlist.acknowledge_in(willow, alert.id, "Told the OIC")
    assert watchlist.my_open_alerts(willow) == []
    with willow.reader() as session:
        [kept] = watchlist.alerts_for(session, watchlist.current_login(session))
        entry = session.scalars(select(AuditEntry.details)
                                .where(AuditEntry.action == watchlist.ACKNOWLEDGED)).one()
    assert kept.acknowledged and '"note":"Told the OIC"' in entry
    with pytest.raises(WorkbenchError, match="already acknowledged"):
        watchlist.acknowledge_in(willow, alert.id)
    with pytest.raises(NotFound, match="no watchlist alert 99"):
        watchlist.acknowledge_in(willow, 99)
    assert verify_audit(willow) == []


@pytest.mark.postgres
def test_only_the_alerts_owner_may_acknowledge_it(unit):
    url, jbrown = unit
    akhan = open_store(as_login(url, "akhan"))
    try:
        watch(akhan)
        casefile.create_case(jbrown, second_case("OP-ASH"))
        import_file(jbrown, "OP-ASH", BILLING)
        [alert] = watchlist.my_open_alerts(akhan)
        assert "OP-ASH" not in alert.case_ref  # akhan may not open it
        with pytest.raises(NotFound):
            watchlist.acknowledge_in(jbrown, alert.id)
        watchlist.acknowledge_in(akhan, alert.id, "asked DS Brown")
        assert watchlist.my_open_alerts(akhan) == []
    finally:
        akhan.dispose()
    assert verify_audit(jbrown) == []


def count_name_lookups(store) -> list[str]:  # type: ignore[no-untyped-def]
    seen: list[str] = []
    event.listen(store.engine, "before_cursor_execute",
                 lambda _c, _cur, statement, *_a: seen.append(statement)
                 if "session_user" in statement else None)
    return seen


@pytest.mark.postgres
def test_the_investigators_name_is_looked_up_once_per_session_and_per_login(unit):
    url, jbrown = unit
    lookups = count_name_lookups(jbrown)
    with jbrown.session() as session:
        case = find_case(session, "OP-WILLOW")
        for n in range(5):
            audit.append(session, case, "note", {"n": n})
    assert len(lookups) == 1
    akhan = open_store(as_login(url, "akhan"))
    try:
        casefile.create_case(akhan, second_case("OP-ASH"))
        with akhan.session() as session:
            assert investigator.current_for(session) == "DC 1234 Amir Khan"
    finally:
        akhan.dispose()
    with jbrown.session() as session:
        assert investigator.current_for(session) == "DS 4120 Jane Brown"
    with jbrown.reader() as session:
        users_by_entry = set(session.scalars(select(AuditEntry.user)
                                             .where(AuditEntry.action == "note")))
    assert users_by_entry == {"DS 4120 Jane Brown"}


@pytest.mark.postgres
def test_a_renamed_investigator_is_named_anew_in_the_same_session(unit):
    url, _ = unit
    admin = open_store(url)
    try:
        with admin.session() as session:
            before = investigator.current_for(session)  # postgres: not registered, the profile
            users.add_user(session, "postgres", "DI 77 Unit Admin", "supervisor")
            assert investigator.current_for(session) == "DI 77 Unit Admin" != before
    finally:
        admin.dispose()


@pytest.mark.postgres
def test_a_case_past_event_id_46341_is_sealed_on_postgresql(postgres_server, tmp_path,
                                                              monkeypatch):
    monkeypatch.setenv("WORKBENCH_EVIDENCE", str(tmp_path / "evidence"))
    store = open_store(postgres_server.create_database())
    try:
        casefile.create_case(store, casefile.load(DATA / "willow.toml"))
        with store.engine.begin() as connection:  # as after 46,340 events of other imports
            connection.execute(text("SELECT setval('events_id_seq', 50000)"))
        import_file(store, "OP-WILLOW", BILLING)  # sums the squares of the new events' ids
        assert verify_audit(store) == []
    finally:
        store.dispose()


def test_alerts_are_listed_and_acknowledged_from_the_command_line(cli_env, capsys):
    from workbench.cli import main

    def run(*argv: str) -> str:
        assert main(list(argv)) == 0
        return capsys.readouterr().out

    run("case", "create", str(DATA / "willow.toml"))
    run("watchlist", "add", "phone", "07700 900201", "--reason", "intel", "--review", "2027-06-01")
    run("import", "OP-WILLOW", str(BILLING))
    assert "ALERT 1: phone +447700900201 in OP-WILLOW, exhibit" in run("watchlist", "list")
    assert "watchlist alert 1 (phone +447700900201) acknowledged" in run(
        "watchlist", "acknowledge", "1", "--note", "seen")
    assert "ALERT 1 (acknowledged):" in run("watchlist", "list")
    assert main(["watchlist", "acknowledge", "1"]) == 1
    assert "already acknowledged" in capsys.readouterr().err
