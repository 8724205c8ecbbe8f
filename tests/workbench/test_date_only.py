"""Records known only to the day: stored as such, shown as dates (never "00:00"), and never
placed at an hour by the timing rules."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from tests.conftest import DATA
from workbench import casefile
from workbench.analysis import run_analysis
from workbench.anonymise import Anonymiser
from workbench.bundle.chronology import Parties, load_chronology
from workbench.chronology_csv import write_chronology_csv
from workbench.ingest.pipeline import import_file
from workbench.integrity import case_problems
from workbench.model import Event
from workbench.store import Store
from workbench.store.queries import find_case
from workbench.timeline import event_detail
from workbench.timeutil import format_time, format_utc, zone

REF = "OP-WILLOW"
LONDON = zone("Europe/London")
# The officer's personal phone and Woman A: three texts known only to the day, and
# three at 23:30 (unsocial hours by the rules).
BILLING = """A-Party,B-Party,Date,Time,Duration (secs),Event Type,Direction
07700900102,+447700900201,12/05/2016,,0,SMS-MO,MO
07700900102,+447700900201,12/05/2016,,0,SMS-MO,MO
07700900102,+447700900201,13/05/2016,,0,SMS-MO,MO
07700900102,+447700900201,20/05/2016,23:30:00,0,SMS-MO,MO
07700900102,+447700900201,20/05/2016,23:31:00,0,SMS-MO,MO
07700900102,+447700900201,20/05/2016,23:32:00,0,SMS-MO,MO
"""


def _case(store: Store, tmp_path: Path) -> Store:
    casefile.create_case(store, casefile.load(DATA / "willow.toml"))
    path = tmp_path / "billing.csv"
    path.write_text(BILLING, encoding="utf-8")
    import_file(store, REF, path, kind="cdr", owner="pcso")
    return store


def test_date_only_rows_are_stored_as_known_only_to_the_day(store: Store, tmp_path: Path) -> None:
    _case(store, tmp_path)
    with store.reader() as session:
        rows = session.execute(select(Event.source_position, Event.occurred_at, Event.date_only)
                               .order_by(Event.id)).all()
    assert [(p, d) for p, _, d in rows] == [("line 2", True), ("line 3", True), ("line 4", True),
                                           ("line 5", False), ("line 6", False), ("line 7", False)]
    # The local start of the day: midnight BST is 23:00 UTC the day before.
    assert rows[0][1] == datetime(2016, 5, 11, 23, 0, tzinfo=UTC)
    assert not case_problems(store, REF)  # the import's fingerprint covers the flag


def test_the_chronology_the_csv_and_the_details_show_a_date(store: Store, tmp_path: Path) -> None:
    _case(store, tmp_path)
    with store.reader() as session:
        case = find_case(session, REF)
        anonymiser = Anonymiser(case, True)
        refs = {x.id: x.reference for x in case.exhibits}
        rows, _ = load_chronology(session, case, Parties(session, case, anonymiser), refs, LONDON)
        first = session.scalars(select(Event.id).order_by(Event.id)).first()
        detail = event_detail(session, case, first, anonymiser)
    times = [row[0] for row in rows]
    assert times == ["12/05/2016", "12/05/2016", "13/05/2016",
                     "20/05/2016 23:30", "20/05/2016 23:31", "20/05/2016 23:32"]
    assert detail is not None and detail["date_only"] is True
    out = tmp_path / "chronology.csv"
    write_chronology_csv(store, REF, out, anonymise=True)
    with open(out, encoding="utf-8-sig", newline="") as stream:
        table = list(csv.reader(stream))[1:]
    assert [r[0] for r in table[:3]] == ["12/05/2016", "12/05/2016", "13/05/2016"]
    assert [r[1] for r in table[:3]] == ["2016-05-12", "2016-05-12", "2016-05-13"]
    assert table[3][0] == "20/05/2016 23:30:00 BST" and table[3][1] == "2016-05-20T22:30:00Z"
    assert not any("00:00" in cell for r in table[:3] for cell in r[:2])


def test_one_formatting_function_for_a_time_or_a_date() -> None:
    moment = datetime(2016, 5, 11, 23, 0, tzinfo=UTC)
    assert format_time(moment, LONDON, date_only=True) == "12/05/2016"
    assert format_time(moment, LONDON) == "12/05/2016 00:00 BST"
    assert format_utc(moment, tz=LONDON, date_only=True) == "2016-05-12"


def test_a_day_only_record_is_never_at_unsocial_hours(store: Store, tmp_path: Path) -> None:
    _case(store, tmp_path)
    document = run_analysis(store, REF).document
    late = [m for m in document["markers"] if m["rule"] == "unsocial_hours"]
    relied_on = {item["position"] for m in late for item in m["evidence"]}
    assert relied_on == {"line 5", "line 6", "line 7"}  # the 23:30s, not the "midnights"
    for marker in document["markers"]:
        for item in marker["evidence"]:
            if item["position"] in ("line 2", "line 3", "line 4"):
                assert "00:00" not in " ".join(item.get("detail", []))
