"""``import_cdr``: a million-row call-record CSV through the whole import pipeline.

Ours: ``import_file`` (hash, store the exhibit, detect the kind, parse, resolve
every number, classify, write the events) into a fresh SQLite store holding a
case with the phone's owner. Baseline: the sqlite3 shell's ``.import`` of the
same CSV file into a table with the same columns, in the same run. Ours runs in
a child process so its peak RSS (``VmHWM``) is its own; it is reported in
the row's note (target: under 500 MB).
"""

from __future__ import annotations

import csv
import json
import random
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from workbench.bench import BenchRow, benchmark, stopwatch

HEADERS = ["Calling Number", "Called Number", "Call Date", "Call Time", "Duration (hh:mm:ss)",
           "Call Type", "Cell ID", "IMEI"]
OWNER_NUMBER = "07700 900101"
CONTACTS = 3_000  # distinct other parties: a busy phone over a few years
TARGET_RATIO = 2.0
RSS_LIMIT_MB = 500

CASE_TOML = f"""
[case]
ref = "BENCH-CDR"
title = "Call-record import benchmark"
timezone = "Europe/London"

[[person]]
key = "officer"
name = "Bench Officer"
role = "subject"
identifiers = [{{ kind = "phone", value = "{OWNER_NUMBER}", use = "work" }}]

[[person]]
key = "member"
name = "Bench Member"
role = "member_of_public"
identifiers = [{{ kind = "phone", value = "07700 900201" }}]
"""

_CHILD = """
import json, resource, sys, time
from workbench import casefile
from workbench.store import open_store
from workbench.store.bulk import EVENT_COLUMNS, EventWriter
from workbench.ingest.pipeline import import_file
store = open_store(sys.argv[1])
casefile.create_case(store, casefile.load(sys.argv[2]))
started, cpu_started = time.perf_counter(), time.process_time()
result = import_file(store, "BENCH-CDR", sys.argv[3])
elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
def peak_mb():
    # VmHWM belongs to this program's own memory map; ru_maxrss would carry over the
    # parent's peak through fork and exec (the bench process may already be large).
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
peak_mb = peak_mb()
# The floor under any Python importer: the same events, ready-made, written again
# through the same driver, statement and transaction (no reading, no parsing).
with store.reader() as session:
    rows = [tuple(row) for row in session.connection().exec_driver_sql(
        f"SELECT {', '.join(EVENT_COLUMNS)} FROM events ORDER BY id")]
began = time.perf_counter()
with store.session() as session:
    writer = EventWriter(session)
    for at in range(0, len(rows), writer.batch):
        session.connection().exec_driver_sql(writer.statement, rows[at:at + writer.batch])
floor = time.perf_counter() - began
store.dispose()
print(json.dumps({"seconds": elapsed, "cpu": cpu, "events": result.events, "peak_mb": peak_mb,
                  "floor": floor}))
"""


def write_cdr(path: Path, rows: int, seed: int = 7) -> None:
    """A provider-style billing CSV: UK dates, hh:mm:ss durations, cell ids, one IMEI."""
    rng = random.Random(seed)
    contacts = [f"07700 9{n:05d}" for n in rng.sample(range(100_000), CONTACTS)]
    start = datetime(2020, 1, 1, 7, 0, 0)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(HEADERS)
        moment = start
        for n in range(rows):
            moment += timedelta(seconds=rng.randint(20, 200))
            other = contacts[int(rng.paretovariate(1.2)) % CONTACTS]
            outgoing = n % 2 == 0
            sms = n % 3 == 0
            seconds = 0 if sms else rng.randint(0, 1800)
            out.writerow([
                OWNER_NUMBER if outgoing else other, other if outgoing else OWNER_NUMBER,
                f"{moment:%d/%m/%Y}", f"{moment:%H:%M:%S}",
                "" if sms else f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}",
                "SMS" if sms else "Voice", f"234-10-{4500 + n % 40}-{10000 + n % 997}",
                "356938035643809",
            ])


def sqlite_cli_import(csv_path: Path, db_path: Path) -> float:
    """Seconds the sqlite3 shell takes to ``.import`` the CSV into a table of its columns."""
    columns = ", ".join(f'"{h}" TEXT' for h in HEADERS)
    subprocess.run(["sqlite3", str(db_path)], input=f"CREATE TABLE cdr ({columns});\n",
                   text=True, check=True, capture_output=True)
    script = f".mode csv\n.import --skip 1 '{csv_path}' cdr\n"
    with stopwatch() as elapsed:
        subprocess.run(["sqlite3", str(db_path)], input=script, text=True, check=True,
                       capture_output=True)
    return elapsed[0]


def ours(root: Path, csv_path: Path) -> dict[str, float]:
    """Run the import in a child process; its seconds, events and peak RSS in MB."""
    case_file = root / "case.toml"
    case_file.write_text(CASE_TOML, encoding="utf-8")
    env_root = root / "evidence"
    completed = subprocess.run(
        [sys.executable, "-c", _CHILD, f"sqlite:///{root / 'ours.db'}", str(case_file),
         str(csv_path)],
        text=True, capture_output=True, check=False,
        env={**_environ(), "WORKBENCH_EVIDENCE": str(env_root)},
    )
    if completed.returncode != 0:
        raise RuntimeError(f"import_cdr child failed: {completed.stderr.strip()[-500:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _environ() -> dict[str, str]:
    import os

    return dict(os.environ)


@benchmark("import_cdr")
def run(quick: bool) -> BenchRow:
    count = 5_000 if quick else 1_000_000
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        csv_path = root / "billing.csv"
        write_cdr(csv_path, count)
        measured = ours(root, csv_path)
        if shutil.which("sqlite3") is None:
            raise RuntimeError("import_cdr needs the sqlite3 shell (apt-get install sqlite3)")
        baseline = sqlite_cli_import(csv_path, root / "baseline.db")
    peak = measured["peak_mb"]
    note = (f"peak RSS {peak:.0f} MB (limit {RSS_LIMIT_MB} MB: "
            f"{'met' if peak < RSS_LIMIT_MB else 'NOT met'}); {int(measured['events']):,} events; "
            f"ours used {measured['cpu']:.1f} s CPU; writing the same events again, ready-made, "
            f"through the Python driver alone takes {measured['floor']:.2f} s "
            f"({measured['floor'] / baseline:.1f}x the baseline)")
    return BenchRow("import_cdr", measured["seconds"], baseline, TARGET_RATIO,
                    "sqlite3 shell .import of the same CSV into a table of its columns",
                    f"{count:,} call records", note)
