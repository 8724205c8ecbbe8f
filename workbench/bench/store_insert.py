"""``store_insert``: a million event rows through the store vs sqlite3's own ``.import``."""

from __future__ import annotations

import csv
import shutil
import sqlite3
import subprocess
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine

from workbench.bench import BenchRow, benchmark, stopwatch
from workbench.model import Case, Event, Exhibit
from workbench.store import Store, open_store
from workbench.store.bulk import EVENT_COLUMNS, EventWriter, sqlite_timestamp


def event_rows(count: int, case_id: int = 1, exhibit_id: int = 1) -> list[tuple[Any, ...]]:
    """Synthetic event rows in ``EVENT_COLUMNS`` order."""
    start = datetime(2021, 3, 1, tzinfo=UTC)
    return [
        (case_id, exhibit_id, f"line {n + 2}", start + timedelta(seconds=37 * n), False,
         "call" if n % 3 else "sms", "work_mobile", "outgoing" if n % 2 else "incoming",
         None, None, float(n % 600), None, None, None, None, None, False)
        for n in range(count)
    ]


def bench_case(store: Store) -> tuple[int, int]:
    """A case and an exhibit to hang benchmark events on; returns their ids."""
    with store.session() as session:
        case = Case(ref="BENCH", title="Benchmark")
        session.add(case)
        session.flush()
        exhibit = Exhibit(case_id=case.id, reference="B/1", producer="bench", file_name="bench",
                          sha256="0" * 64, size=0, kind="cdr")
        session.add(exhibit)
        session.flush()
        return case.id, exhibit.id


def sqlite_cli_import(csv_path: Path, db_path: Path) -> float:
    """Seconds the sqlite3 shell takes to ``.import`` the CSV into the events table."""
    engine = create_engine(f"sqlite:///{db_path}")
    Event.__table__.create(engine)  # same columns and indexes as ours
    engine.dispose()
    script = f".mode csv\n.import --skip 1 {csv_path} events\n"
    with stopwatch() as elapsed:
        subprocess.run(["sqlite3", str(db_path)], input=script, text=True, check=True,
                       capture_output=True)
    return elapsed[0]


def python_sqlite_import(db_path: Path, rows: list[tuple[Any, ...]]) -> float:
    """Fallback baseline when the sqlite3 shell is missing: plain executemany."""
    connection = sqlite3.connect(db_path)
    connection.execute(f"CREATE TABLE events ({', '.join(EVENT_COLUMNS)})")
    with stopwatch() as elapsed:
        connection.executemany(
            f"INSERT INTO events VALUES ({', '.join('?' * len(EVENT_COLUMNS))})",
            [(*r[:3], sqlite_timestamp(r[3]), *r[4:]) for r in rows])
        connection.commit()
    connection.close()
    return elapsed[0]


def write_csv(path: Path, rows: list[tuple[Any, ...]]) -> None:
    with open(path, "w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["id", *EVENT_COLUMNS])
        out.writerows((n, *r[:3], sqlite_timestamp(r[3]), 0, *r[5:]) for n, r in enumerate(rows, 1))


@benchmark("store_insert")
def run(quick: bool) -> BenchRow:
    count = 5_000 if quick else 1_000_000
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        store = open_store(f"sqlite:///{root / 'ours.db'}")
        case_id, exhibit_id = bench_case(store)
        rows = event_rows(count, case_id, exhibit_id)
        with stopwatch() as ours, store.session() as session:
            writer = EventWriter(session)
            for row in rows:
                writer.add(row)
            writer.flush()
        store.dispose()
        if shutil.which("sqlite3"):
            write_csv(root / "events.csv", rows)
            baseline = sqlite_cli_import(root / "events.csv", root / "baseline.db")
            what = "sqlite3 shell .import of the same rows as CSV"
        else:
            baseline = python_sqlite_import(root / "baseline.db", rows)
            what = "Python sqlite3 executemany (sqlite3 shell not installed)"
    return BenchRow("store_insert", ours[0], baseline, None, what, f"{count:,} events")
