"""Reading an exhibit again with other options (--replace): in place, explained, all or nothing."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from tests.workbench.test_ingest_tabular import INGEST, events_of
from workbench.analysis.persist import run_analysis
from workbench.errors import ImportRefused
from workbench.ingest.pipeline import import_file
from workbench.integrity import verify_audit, verify_exhibit_records
from workbench.model import AuditEntry, Event, Exhibit, Identifier, MarkerEvidence
from workbench.store import Store

BILLING = INGEST / "cdr_uk_layout.csv"


def _exhibits(store: Store) -> list[tuple[str, int, list[str]]]:
    with store.reader() as session:
        return [(x.reference, x.record_count, [c.action for c in x.continuity])
                for x in session.scalars(select(Exhibit).order_by(Exhibit.id))]


def test_a_wrong_timezone_is_put_right_by_reading_the_exhibit_again(willow: Store) -> None:
    first = import_file(willow, "OP-WILLOW", BILLING, tz="America/New_York")
    wrong = [e.occurred_at for e in events_of(willow, first.exhibit)]
    run_analysis(willow, "OP-WILLOW")
    with pytest.raises(ImportRefused, match=r"already imported as exhibit .*--replace REASON"):
        import_file(willow, "OP-WILLOW", BILLING)

    again = import_file(willow, "OP-WILLOW", BILLING, replace="read with New York time by mistake")
    assert again.exhibit == first.exhibit and again.records == first.records
    right = [e.occurred_at for e in events_of(willow, again.exhibit)]
    # 2021-03-20 19:02:00 in the file: 19:02 GMT, not 23:02 UTC (19:02 in New York, EDT)
    assert (wrong[0], right[0]) == (datetime(2021, 3, 20, 23, 2, tzinfo=UTC),
                                    datetime(2021, 3, 20, 19, 2, tzinfo=UTC))
    assert _exhibits(willow) == [(first.exhibit, first.records, ["received", "imported", "read again",
                                                                  "imported"])]
    with willow.reader() as session:
        exhibit = session.scalars(select(Exhibit)).one()
        note = exhibit.continuity[2].note
        assert "read with New York time by mistake" in note and f"removed {first.events} events" in note
        assert exhibit.source_timezone == "Europe/London"
        entry = json.loads(session.scalars(select(AuditEntry.details).where(
            AuditEntry.action == "import").order_by(AuditEntry.sequence)).all()[-1])
        assert entry["replaced"]["reason"] == "read with New York time by mistake"
        assert entry["replaced"]["events"] == first.events
        # marker evidence pointed at the old events: gone with them, nothing dangling
        dangling = session.scalar(select(func.count()).select_from(MarkerEvidence).where(
            MarkerEvidence.event_id.is_not(None),
            MarkerEvidence.event_id.not_in(select(Event.id))))
        assert dangling == 0
    assert verify_audit(willow) == [] and verify_exhibit_records(willow) == []
    run_analysis(willow, "OP-WILLOW")  # and the analysis runs on the new reading


def test_replace_is_refused_when_there_is_nothing_to_replace_or_no_reason(willow: Store) -> None:
    with pytest.raises(ImportRefused, match="nothing to replace"):
        import_file(willow, "OP-WILLOW", BILLING, replace="typo")
    import_file(willow, "OP-WILLOW", BILLING)
    with pytest.raises(ImportRefused, match="say why"):
        import_file(willow, "OP-WILLOW", BILLING, replace="  ")
    with pytest.raises(ImportRefused, match="keeps its reference"):
        import_file(willow, "OP-WILLOW", BILLING, replace="x", exhibit_ref="ZZ/9")
    same = _exhibits(willow)[0][0]  # naming its own reference is fine
    assert import_file(willow, "OP-WILLOW", BILLING, replace="x", exhibit_ref=same).exhibit == same


def test_a_failed_second_reading_leaves_the_first_in_place(willow: Store) -> None:
    first = import_file(willow, "OP-WILLOW", BILLING)
    before = [(e.source_position, e.occurred_at) for e in events_of(willow, first.exhibit)]
    with pytest.raises(ImportRefused, match="no column 'Nope'"):
        import_file(willow, "OP-WILLOW", BILLING, replace="columns", mapping={"to": "Nope"})
    assert [(e.source_position, e.occurred_at) for e in events_of(willow, first.exhibit)] == before
    assert _exhibits(willow)[0][2] == ["received", "imported"]
    assert verify_exhibit_records(willow) == []


def test_cli_replace(cli_env, capsys) -> None:
    from tests.conftest import DATA
    from workbench.cli import main

    main(["case", "create", str(DATA / "willow.toml")])
    assert main(["import", "OP-WILLOW", str(BILLING), "--tz", "UTC"]) == 0
    capsys.readouterr()
    assert main(["import", "OP-WILLOW", str(BILLING)]) == 1
    assert "--replace REASON" in capsys.readouterr().err
    assert main(["import", "OP-WILLOW", str(BILLING), "--replace", "the file is in UK time"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("JB/1: ") or ": cdr," in captured.out
    assert "workbench analyse OP-WILLOW" in captured.err


# -- withdrawing an exhibit imported by mistake ---------------------------------------------------

def test_a_withdrawn_exhibit_stays_listed_with_nothing_read_from_it(willow: Store) -> None:
    from workbench.errors import WorkbenchError
    from workbench.evidence.exhibits import is_withdrawn
    from workbench.ingest.withdraw import withdraw_exhibit

    first = import_file(willow, "OP-WILLOW", BILLING)
    run_analysis(willow, "OP-WILLOW")
    removed = withdraw_exhibit(willow, "OP-WILLOW", first.exhibit, "another officer's phone")
    assert removed == {"events": first.events, "shifts": 0, "intel_reports": 0, "complaints": 0,
                       "unresolved_identifiers": 0}
    assert events_of(willow, first.exhibit) == []
    with willow.reader() as session:
        exhibit = session.scalars(select(Exhibit)).one()
        assert is_withdrawn(exhibit) and exhibit.record_count == 0
        assert exhibit.continuity[-1].note.startswith("another officer's phone; removed 5 events")
        entry = json.loads(session.scalars(select(AuditEntry.details).where(
            AuditEntry.action == "withdraw")).one())
        assert entry["reason"] == "another officer's phone" and entry["removed"]["events"] == 5
    assert willow.files.check(first.sha256) is None  # the stored copy is kept
    assert verify_audit(willow) == [] and verify_exhibit_records(willow) == []
    run_analysis(willow, "OP-WILLOW")
    with pytest.raises(WorkbenchError, match="already withdrawn"):
        withdraw_exhibit(willow, "OP-WILLOW", first.exhibit, "again")
    # read again later, it comes back under the same reference
    back = import_file(willow, "OP-WILLOW", BILLING, replace="it was the right phone after all")
    assert back.exhibit == first.exhibit and len(events_of(willow, back.exhibit)) == first.events
    assert verify_exhibit_records(willow) == []


def test_withdrawal_needs_a_known_exhibit_and_a_reason(willow: Store) -> None:
    from workbench.errors import NotFound, WorkbenchError
    from workbench.ingest.withdraw import withdraw_exhibit

    with pytest.raises(NotFound, match="no exhibit ZZ/1"):
        withdraw_exhibit(willow, "OP-WILLOW", "ZZ/1", "x")
    first = import_file(willow, "OP-WILLOW", BILLING)
    with pytest.raises(WorkbenchError, match="say why"):
        withdraw_exhibit(willow, "OP-WILLOW", first.exhibit, " ")


def test_cli_withdraw(cli_env, capsys) -> None:
    from tests.conftest import DATA
    from workbench.cli import main

    main(["case", "create", str(DATA / "willow.toml")])
    capsys.readouterr()
    assert main(["import", "OP-WILLOW", str(BILLING)]) == 0
    reference = capsys.readouterr().out.split(":")[0]
    with pytest.raises(SystemExit) as usage:  # --reason is required
        main(["exhibit", "withdraw", "OP-WILLOW", reference])
    assert usage.value.code == 2
    capsys.readouterr()
    assert main(["exhibit", "withdraw", "OP-WILLOW", reference, "--reason", "wrong case"]) == 0
    assert capsys.readouterr().out.startswith(f"{reference} withdrawn; removed 5 events")
    assert main(["verify", "OP-WILLOW"]) == 0


def test_the_internal_bundle_lists_a_withdrawn_exhibit_as_withdrawn(willow: Store) -> None:
    from workbench.bundle.gather import gather
    from workbench.ingest.withdraw import withdraw_exhibit
    from workbench.store.queries import find_case

    first = import_file(willow, "OP-WILLOW", BILLING)
    withdraw_exhibit(willow, "OP-WILLOW", first.exhibit, "imported into the wrong case")
    with willow.reader() as session:
        content = gather(session, find_case(session, "OP-WILLOW"), "internal", anonymise=False)
    row = next(r for r in content.unused if r[1] == f"Exhibit {first.exhibit}")
    assert row[3].startswith("Withdrawn: imported into the wrong case; removed 5 events")


# -- numbers known only from a withdrawn or misread file ------------------------------------------

CALLS = "Calling Number,Called Number,Forwarded To,Call Date,Call Time,Call Type\n"


def _billing(path, *rows: str):  # type: ignore[no-untyped-def]
    path.write_text(CALLS + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return path


def _unresolved(store: Store) -> list[tuple[str, int]]:
    from workbench.overview import unresolved_identifiers
    from workbench.store.queries import find_case

    with store.reader() as session:
        rows = unresolved_identifiers(session, find_case(session, "OP-WILLOW"))
    return sorted((row["value"], row["events"]) for row in rows)


def test_withdrawing_removes_the_unresolved_numbers_only_that_file_named(willow: Store,
                                                                          tmp_path) -> None:
    from workbench.identities import assign_identifier
    from workbench.ingest.withdraw import withdraw_exhibit

    wrong = import_file(willow, "OP-WILLOW", _billing(
        tmp_path / "wrong.csv",
        "07700900102,07700900555,,01/03/2021,10:00:00,Voice",  # only in the wrong file
        "07700900102,07700900556,,01/03/2021,11:00:00,Voice",  # in the right file too
        "07700900557,07700900102,,01/03/2021,12:00:00,SMS",    # given to a person below
        "07700900102,+447700900201,,01/03/2021,13:00:00,SMS",  # a person's number
    ))
    import_file(willow, "OP-WILLOW", _billing(
        tmp_path / "right.csv", "07700900102,07700900556,,02/03/2021,09:00:00,Voice"))
    assert _unresolved(willow) == [("+447700900555", 1), ("+447700900556", 2), ("+447700900557", 1)]
    with willow.reader() as session:
        given = session.scalars(select(Identifier.id).where(
            Identifier.value == "+447700900557")).one()
    assign_identifier(willow, "OP-WILLOW", given, "colleague")

    removed = withdraw_exhibit(willow, "OP-WILLOW", wrong.exhibit, "another officer's phone")
    assert removed["unresolved_identifiers"] == 1
    assert _unresolved(willow) == [("+447700900556", 1)]
    with willow.reader() as session:  # the colleague keeps the number given to them
        kept = session.get(Identifier, given)
        assert kept is not None and kept.person is not None and kept.person.key == "colleague"
        note = session.scalars(select(Exhibit).where(
            Exhibit.reference == wrong.exhibit)).one().continuity[-1].note
    assert note.endswith("0 complaints, 1 unresolved identifiers")
    assert verify_audit(willow) == [] and verify_exhibit_records(willow) == []


def test_reading_again_removes_the_numbers_only_the_misreading_named(willow: Store,
                                                                     tmp_path) -> None:
    billing = _billing(tmp_path / "calls.csv",
                       "07700900102,+447700900201,07700900777,01/03/2021,10:00:00,Voice",
                       "07700900102,07700900555,07700900778,01/03/2021,11:00:00,Voice")
    import_file(willow, "OP-WILLOW", billing, mapping={"to": "Forwarded To"})  # the wrong column
    assert [value for value, _ in _unresolved(willow)] == ["+447700900777", "+447700900778"]

    import_file(willow, "OP-WILLOW", billing, replace="Called Number is the other party")
    assert _unresolved(willow) == [("+447700900555", 1)]
    with willow.reader() as session:
        exhibit = session.scalars(select(Exhibit)).one()
        assert "2 unresolved identifiers" in exhibit.continuity[2].note
        entry = json.loads(session.scalars(select(AuditEntry.details).where(
            AuditEntry.action == "import").order_by(AuditEntry.sequence)).all()[-1])
    assert entry["replaced"]["unresolved_identifiers"] == 2
    assert verify_audit(willow) == [] and verify_exhibit_records(willow) == []
