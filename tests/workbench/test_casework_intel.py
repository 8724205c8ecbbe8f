"""Intelligence gradings (3x5x2 and legacy 5x5x5, never converted) and complaint clusters."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from workbench import audit
from workbench.casework.intel import (
    IntelFields,
    add_intel_report,
    cluster_members,
    edit_intel_report,
    list_complaints,
    list_intel,
    parse_grading,
    remove_intel_report,
)
from workbench.errors import WorkbenchError
from workbench.model import AuditEntry, Complaint, IntelReport
from workbench.store import Store
from workbench.store.queries import find_case

REF = "OP-WILLOW"
REPORT = IntelFields(urn="INT-2020-0001", submitted=date(2020, 11, 3), grading="2/B/P",
                     text="Officer asked a woman for her personal number.", subject_key="pcso")


@pytest.mark.parametrize(("written", "scheme", "shown"), [
    ("2/B/P", "3x5x2", "2/B/P"), ("2BP", "3x5x2", "2/B/P"), ("1-a-c", "3x5x2", "1/A/C"),
    ("B/2/1", "5x5x5", "B/2/1"), ("e55", "5x5x5", "E/5/5"),
])
def test_good_gradings_are_read_as_written(written: str, scheme: str, shown: str) -> None:
    grading = parse_grading(written)
    assert (grading.scheme, str(grading)) == (scheme, shown)


def test_a_grading_in_words_says_what_each_part_means_or_that_it_is_legacy() -> None:
    assert parse_grading("2/B/P").in_words() == (
        "3x5x2: source 2 (untested), intelligence B (known indirectly, corroborated), "
        "handling P (lawful sharing permitted)")
    assert parse_grading("B/2/1").in_words().startswith("Legacy 5x5x5: source B, information 2")


@pytest.mark.parametrize("written", ["4/B/P", "2/F/P", "2/B/X", "B/2/6", "F/1/1", "2/B", "", "2/B/P/1"])
def test_bad_gradings_are_refused(written: str) -> None:
    with pytest.raises(WorkbenchError, match="grading"):
        parse_grading(written)


def test_the_scheme_is_never_converted() -> None:
    with pytest.raises(WorkbenchError, match="scheme"):
        parse_grading("B/2/1", "3x5x2")
    with pytest.raises(WorkbenchError):
        parse_grading("2/B/P", "5x5x5")


def test_handling_code_c_needs_its_conditions(willow: Store) -> None:
    with pytest.raises(WorkbenchError, match="conditions"):
        add_intel_report(willow, REF, replace(REPORT, grading="3/C/C"))
    report_id = add_intel_report(willow, REF, replace(
        REPORT, grading="3/C/C", conditions="Not for any open bundle"))
    row = next(r for r in list_intel(willow, REF) if r.id == report_id)
    assert row.restricted and row.handling_code == "C" and row.grading == "3/C/C"


def test_add_edit_and_undo_are_audited(willow: Store) -> None:
    report_id = add_intel_report(willow, REF, REPORT)
    previous = edit_intel_report(willow, REF, report_id, replace(REPORT, grading="B/2/1"))
    row = list_intel(willow, REF)[0]
    assert (row.scheme, row.grading, row.subject_key) == ("5x5x5", "B/2/1", "pcso")
    edit_intel_report(willow, REF, report_id, previous)
    assert list_intel(willow, REF)[0].grading == "2/B/P"
    with pytest.raises(WorkbenchError, match="URN"):
        edit_intel_report(willow, REF, report_id, replace(REPORT, urn=" "))
    remove_intel_report(willow, REF, report_id)
    assert list_intel(willow, REF) == []
    with willow.reader() as session:
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.case_ref == REF)).all()
        assert [a for a in actions if a.startswith("intel")] == [
            "intel_add", "intel_edit", "intel_edit", "intel_remove"]
        assert audit.verify(session, REF) == []


def test_imported_reports_cannot_be_removed(willow: Store) -> None:
    report_id = add_intel_report(willow, REF, REPORT)
    with willow.session() as session:
        from workbench.model import Exhibit

        case = find_case(session, REF)
        exhibit = Exhibit(case_id=case.id, reference="JB/9", producer="DC Jane Brown",
                          file_name="intel.csv", sha256="cd" * 32, size=1, kind="intel", record_count=1)
        session.add(exhibit)
        session.flush()
        session.get(IntelReport, report_id).exhibit_id = exhibit.id
    with pytest.raises(WorkbenchError, match="exhibit"):
        remove_intel_report(willow, REF, report_id)


def test_three_complaints_within_twelve_months_are_a_cluster(willow: Store) -> None:
    days = [date(2019, 6, 14), date(2021, 2, 10), date(2021, 7, 22), date(2021, 12, 3)]
    assert cluster_members(days) == {1, 2, 3}
    assert cluster_members([date(2020, 1, 1), date(2020, 7, 1), date(2021, 1, 2)]) == set()
    assert cluster_members([date(2020, 1, 31), date(2020, 6, 1), date(2021, 1, 31)]) == {0, 1, 2}
    with willow.session() as session:
        case = find_case(session, REF)
        pcso = case.person("pcso")
        for n, day in enumerate(days):
            session.add(Complaint(case_id=case.id, reference=f"CO/{n}", received=day,
                                  subject_id=pcso.id, category="conduct"))
    rows = list_complaints(willow, REF)
    assert [r.in_cluster for r in rows] == [False, True, True, True]
