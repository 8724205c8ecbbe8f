"""The unit's shared store on a real throwaway PostgreSQL: roles, row-level security,
append-only audit, cross-case hits and watchlist alerts."""

from __future__ import annotations

from datetime import date

import psycopg
import pytest
from sqlalchemy.engine import make_url

from tests.conftest import DATA
from tests.workbench.test_ingest_replace import BILLING
from workbench import casefile
from workbench.errors import NotFound, WorkbenchError
from workbench.ingest.pipeline import import_file
from workbench.integrity import verify_audit
from workbench.shared import access, hits, notes, users, watchlist
from workbench.store import open_store
from workbench.store.queries import find_case

pytestmark = pytest.mark.postgres

CASE_TABLES_WITH_ROWS = ("cases", "people", "identifiers", "exhibits", "events", "audit_entries",
                         "continuity", "case_access")


def as_login(url: str, login: str) -> str:
    return make_url(url).set(username=login).render_as_string(hide_password=False)


def raw(url: str, login: str) -> psycopg.Connection:
    """Plain psycopg as the investigator's own role: what psql would see."""
    parsed = make_url(url)
    return psycopg.connect(host=parsed.host, port=parsed.port, dbname=parsed.database,
                           user=login, autocommit=True)


def second_case(ref: str) -> dict:
    data = casefile.load(DATA / "willow.toml")
    data["ref"] = ref
    return data


@pytest.fixture
def unit(postgres_server, tmp_path, monkeypatch):
    """A shared store: the administrator adds three investigators; jbrown opens OP-WILLOW."""
    monkeypatch.setenv("WORKBENCH_EVIDENCE", str(tmp_path / "evidence"))
    url = postgres_server.create_database()
    admin = open_store(url)
    with admin.session() as session:
        users.add_user(session, "jbrown", "DS 4120 Jane Brown", "investigator")
        users.add_user(session, "akhan", "DC 1234 Amir Khan", "investigator")
        users.add_user(session, "lreed", "Lucy Reed (legal)", "reviewer")
    admin.dispose()
    jbrown = open_store(as_login(url, "jbrown"))
    casefile.create_case(jbrown, casefile.load(DATA / "willow.toml"))
    import_file(jbrown, "OP-WILLOW", BILLING)
    yield url, jbrown
    jbrown.dispose()


def counts(url: str, login: str) -> dict[str, int]:
    with raw(url, login) as connection:
        # (the unit's own chain, "~unit", is readable by all staff: it holds no case data)
        return {t: connection.execute(f"SELECT count(*) FROM {t}" + (
                    " WHERE case_ref <> '~unit'" if t == "audit_entries" else "")).fetchone()[0]
                for t in CASE_TABLES_WITH_ROWS}


def test_without_a_grant_raw_sql_sees_no_row_of_the_case(unit):
    url, _ = unit
    mine = counts(url, "jbrown")
    assert all(mine[t] > 0 for t in CASE_TABLES_WITH_ROWS), mine
    assert counts(url, "akhan") == dict.fromkeys(CASE_TABLES_WITH_ROWS, 0)
    assert counts(url, "lreed") == dict.fromkeys(CASE_TABLES_WITH_ROWS, 0)


def test_grant_revoke_and_conflict_are_enforced_and_audited(unit):
    url, jbrown = unit
    assert "may now open" in access.grant(jbrown, "OP-WILLOW", "akhan")
    assert counts(url, "akhan")["events"] == counts(url, "jbrown")["events"]
    access.revoke(jbrown, "OP-WILLOW", "akhan")
    assert counts(url, "akhan")["events"] == 0
    access.declare_conflict(jbrown, "OP-WILLOW", "akhan")
    with pytest.raises(WorkbenchError, match="declared a conflict"):
        access.grant(jbrown, "OP-WILLOW", "akhan")
    assert counts(url, "akhan")["cases"] == 0
    with raw(url, "jbrown") as connection:
        actions = [r[0] for r in connection.execute(
            "SELECT action FROM audit_entries WHERE case_ref = 'OP-WILLOW' ORDER BY sequence")]
    assert actions[-3:] == ["access granted", "access revoked", "conflict declared"]
    assert verify_audit(jbrown) == []


def test_only_the_officer_in_charge_may_grant_and_refusals_are_audited(unit):
    url, jbrown = unit
    access.grant(jbrown, "OP-WILLOW", "akhan")  # an investigator, not in charge
    akhan = open_store(as_login(url, "akhan"))
    try:
        with pytest.raises(WorkbenchError, match="refused"):
            access.grant(akhan, "OP-WILLOW", "lreed")
    finally:
        akhan.dispose()
    assert counts(url, "lreed")["cases"] == 0
    with raw(url, "jbrown") as connection:
        refused = connection.execute("SELECT details FROM audit_entries WHERE case_ref = '~unit' "
                                     "AND action = 'refused'").fetchall()
    assert len(refused) == 1 and '"login":"lreed"' in refused[0][0]


def test_a_reviewer_reads_but_cannot_write(unit):
    url, jbrown = unit
    access.grant(jbrown, "OP-WILLOW", "lreed")
    assert counts(url, "lreed")["events"] == counts(url, "jbrown")["events"]
    with raw(url, "lreed") as connection:
        for statement in ("UPDATE people SET name = 'x'", "DELETE FROM events",
                          "INSERT INTO audit_entries (case_ref, sequence, at, \"user\", action, "
                          "details, previous_hash, hash) VALUES ('OP-WILLOW', 999, now(), 'l', "
                          "'x', '{}', 'x', 'x')"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                connection.execute(statement)


def test_a_case_role_of_reviewer_cannot_write_either(unit):
    url, jbrown = unit
    access.grant(jbrown, "OP-WILLOW", "akhan", role="reviewer")
    with raw(url, "akhan") as connection:
        assert connection.execute("UPDATE people SET name = 'x'").rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # row-level security
            connection.execute("INSERT INTO case_tags (case_id, name, description) "
                               "SELECT id, 'x', '' FROM cases")


@pytest.mark.parametrize("login", ["jbrown", "postgres"])
def test_no_one_updates_or_deletes_an_audit_row(unit, login):
    url, _ = unit
    with raw(url, login) as connection:
        for statement in ("UPDATE audit_entries SET action = 'x'", "DELETE FROM audit_entries",
                          "TRUNCATE audit_entries"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                connection.execute(statement)
        assert connection.execute("SELECT count(*) FROM audit_entries").fetchone()[0] > 0


def test_notes_are_versioned_audited_and_append_only(unit):
    url, jbrown = unit
    with jbrown.session() as session:
        case = find_case(session, "OP-WILLOW")
        target = notes.resolve_target(session, case, "person", "woman_a")
        first = notes.add_note(session, case, target, "Check with OIC about the 2021 report")
        notes.edit_note(session, case, first.thread, "Checked: report was filed")
        notes.set_mark(session, case, target, "tag", True, "key evidence")
    with jbrown.reader() as session:
        case = find_case(session, "OP-WILLOW")
        current = notes.current_annotations(session, case, kind="note")
        assert [n.text for n in current] == ["Checked: report was filed"]
        assert [n.text for n in notes.history(session, case, first.thread)] == [
            "Check with OIC about the 2021 report", "Checked: report was filed"]
        assert len(notes.current_annotations(session, case, tag="key evidence")) == 1
        assert notes.as_dict(session, current[0])["author"] == "DS 4120 Jane Brown"
    with raw(url, "jbrown") as connection:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute("UPDATE annotations SET text = 'rewritten'")
    assert counts(url, "akhan")["cases"] == 0


def test_cross_case_hits_say_only_whom_to_ask_about_a_hidden_case(unit):
    url, jbrown = unit
    akhan = open_store(as_login(url, "akhan"))
    try:
        casefile.create_case(akhan, second_case("OP-ASH"))  # the same numbers: a wide net
        with akhan.reader() as session:
            found = hits.cross_case_hits(session, find_case(session, "OP-ASH"))
        phone = next(h for h in found if h.value == "+447700900201")
        assert phone.cases == [] and phone.ask == ["DS 4120 Jane Brown"]
        assert "a case you cannot open (ask DS 4120 Jane Brown)" in phone.describe()
        assert "OP-WILLOW" not in str([h.as_dict() for h in found])
        access.grant(jbrown, "OP-WILLOW", "akhan")
        with akhan.reader() as session:
            found = hits.cross_case_hits(session, find_case(session, "OP-ASH"))
        assert next(h for h in found if h.value == "+447700900201").cases == ["OP-WILLOW"]
    finally:
        akhan.dispose()


def test_an_import_touching_a_watched_number_alerts_the_owner(unit):
    url, jbrown = unit
    akhan = open_store(as_login(url, "akhan"))
    try:
        with akhan.session() as session:
            watchlist.add(session, "phone", "07700 900201", "intelligence: targeted by officers",
                          date(2027, 6, 1))
        casefile.create_case(jbrown, second_case("OP-ASH"))
        result = import_file(jbrown, "OP-ASH", BILLING)
        assert any("watchlist: phone +447700900201" in n for n in result.notices)
        assert any("also in 1 other case" in n for n in result.notices)
        with akhan.reader() as session:
            alerts = watchlist.alerts_for(session, "akhan")
        assert [(a.kind, a.value, a.exhibit) for a in alerts] == [
            ("phone", "+447700900201", result.exhibit)]
    finally:
        akhan.dispose()
    assert verify_audit(jbrown) == []


def test_every_table_of_case_data_is_under_row_level_security(unit):
    from workbench.model import Base

    url, _ = unit
    through_parent = {"marker_evidence", "continuity", "audit_entries", "cases"}
    case_tables = {t.name for t in Base.metadata.sorted_tables
                   if "case_id" in t.c or t.name in through_parent}
    with raw(url, "postgres") as connection:
        protected = {name for name, on in connection.execute(
            "SELECT relname, relrowsecurity FROM pg_class WHERE relkind = 'r'") if on}
    assert case_tables - protected == set()


def test_trying_to_open_a_hidden_case_is_refused_and_audited(unit):
    url, _ = unit
    akhan = open_store(as_login(url, "akhan"))
    try:
        with pytest.raises(NotFound, match="no case 'OP-WILLOW'"), akhan.reader() as session:
            find_case(session, "OP-WILLOW")
        with pytest.raises(NotFound), akhan.reader() as session:
            find_case(session, "OP-NOTHING")  # no such case: nothing to record
    finally:
        akhan.dispose()
    with raw(url, "postgres") as connection:
        refused = connection.execute("SELECT \"user\", details FROM audit_entries "
                                     "WHERE action = 'refused'").fetchall()
    assert [r[1] for r in refused] == ['{"action":"open case","case":"OP-WILLOW","login":"akhan"}']


def test_the_officer_in_charge_works_as_usual_under_row_level_security(unit, tmp_path):
    from workbench.analysis.persist import run_analysis
    from workbench.bundle import export_bundle

    url, jbrown = unit
    run_analysis(jbrown, "OP-WILLOW")
    mine = counts(url, "jbrown")
    with raw(url, "jbrown") as connection:
        markers = connection.execute("SELECT count(*) FROM markers").fetchone()[0]
        evidence = connection.execute("SELECT count(*) FROM marker_evidence").fetchone()[0]
    assert markers > 0 and evidence > 0
    with raw(url, "akhan") as connection:
        assert connection.execute("SELECT count(*) FROM marker_evidence").fetchone()[0] == 0
    assert mine["events"] > 0
    export_bundle(jbrown, "OP-WILLOW", tmp_path / "internal.pdf", audience="internal")
    assert (tmp_path / "internal.pdf").stat().st_size > 0
    assert verify_audit(jbrown) == []


def test_bench_rows_run_in_quick_mode(postgres_server, monkeypatch):
    from workbench.bench import shared_store

    monkeypatch.setenv("WORKBENCH_BENCH_PG",
                       f"postgresql+psycopg://postgres@127.0.0.1:{postgres_server.port}/postgres")
    hits_row = shared_store.run_hits(True)  # finds the 200 shared numbers, or fails
    opened = shared_store.run_open_case_shared(True)
    assert (hits_row.name, opened.name) == ("hits", "open_case_shared")
    assert "3 cases x 2,000 events" in opened.size
