"""#17 point 5: times as known.

Records known only to the day (intelligence, complaints) are shown as dates, never at a
made-up "00:00 BST"; a time in the autumn clock-change hour carries both readings wherever
it is printed (CLI, chronology CSV), through one function in workbench.timeutil.
"""

from __future__ import annotations

import csv
import json
from datetime import date, datetime
from pathlib import Path

import pytest

from tests.workbench.analysis_builder import CaseBuilder, markers
from workbench.chronology_csv import write_chronology_csv
from workbench.cli import main
from workbench.ingest.pipeline import import_file
from workbench.store import Store
from workbench.timeutil import format_day, format_time, format_utc, local_to_utc, zone

LONDON = zone("Europe/London")


def test_autumn_hour_gives_both_readings() -> None:
    moment, ambiguous = local_to_utc(datetime(2021, 10, 31, 1, 30), LONDON)
    assert ambiguous
    assert format_time(moment, LONDON, ambiguous=True) == (
        "31/10/2021 01:30 BST or 01:30 GMT (clock change: either reading)")
    assert format_utc(moment, ambiguous=True, tz=LONDON) == (
        "2021-10-31T00:30:00Z or 2021-10-31T01:30:00Z")
    assert format_time(moment, LONDON) == "31/10/2021 01:30 BST"  # unflagged: one reading


def test_spring_gap_gives_both_readings() -> None:
    moment, ambiguous = local_to_utc(datetime(2021, 3, 28, 1, 30), LONDON)  # never happened
    assert ambiguous
    assert format_utc(moment, ambiguous=True, tz=LONDON) == (
        "2021-03-28T00:30:00Z or 2021-03-28T01:30:00Z")


def test_day_is_a_date() -> None:
    assert format_day(date(2016, 5, 12)) == "12/05/2016"
    assert format_day(local_to_utc(datetime(2016, 5, 12), LONDON)[0], LONDON) == "12/05/2016"


def test_chronology_csv_carries_both_readings(willow: Store, tmp_path: Path) -> None:
    source = tmp_path / "billing.csv"
    source.write_text("Date/Time,Calling Number,Called Number,Call Type,Duration\n"
                      "31/10/2021 01:30:00,07700900101,07700900201,Voice,60\n"
                      "31/10/2021 09:30:00,07700900101,07700900201,Voice,60\n", encoding="utf-8")
    import_file(willow, "OP-WILLOW", source, kind="cdr", owner="pcso")
    out = tmp_path / "chronology.csv"
    write_chronology_csv(willow, "OP-WILLOW", out)
    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["time (Europe/London)"] == (
        "31/10/2021 01:30:00 BST or 01:30:00 GMT (clock change: either reading)")
    assert rows[0]["time (UTC)"] == "2021-10-31T00:30:00Z or 2021-10-31T01:30:00Z"
    assert rows[0]["clock-change ambiguous"] == "yes"
    assert rows[1]["time (Europe/London)"] == "31/10/2021 09:30:00 GMT"
    assert rows[1]["time (UTC)"] == "2021-10-31T09:30:00Z"


@pytest.fixture
def case(store: Store, tmp_path: Path) -> CaseBuilder:
    return CaseBuilder(store, tmp_path)


def test_intelligence_and_complaints_are_dates(case: CaseBuilder, capsys) -> None:
    case.add_intel("INT-2016-018842", date(2016, 5, 12))   # BST: midnight would read 00:00 BST
    for received in (date(2021, 2, 10), date(2021, 6, 1), date(2021, 12, 3)):
        case.add_complaint(f"CO/{received:%m%d}", received)
    document = case.analyse()
    [intel] = markers(document, "prior_intelligence")
    [cluster] = markers(document, "complaint_cluster")
    assert (intel["start"], intel["dated"]) == ("2016-05-12", True)
    assert (cluster["start"], cluster["end"]) == ("2021-02-10", "2021-12-03")
    assert main(["--db", str(case.store.engine.url), "analyse", "OP-TEST"]) == 0
    printed = capsys.readouterr().out
    line = next(row for row in printed.splitlines() if "prior_intelligence" in row)
    assert "12/05/2016" in line and "00:00" not in line
    assert main(["--db", str(case.store.engine.url), "analyse", "OP-TEST", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert [m["start"] for m in shown["markers"] if m["rule"] == "complaint_cluster"] == [
        "2021-02-10"]
