"""``hits`` and ``open_case_shared``: one case among many in a shared PostgreSQL store.

The store holds ``WORKBENCH_BENCH_CASES`` cases (default 20) of
``WORKBENCH_BENCH_CASE_EVENTS`` events each (default 1,000,000; ``--quick``: 2,000),
each case with 5,000 phone identifiers of which 200 also appear in every other case.
Both rows are measured as an investigator's own login role, under row-level security,
granted three of the cases:

- ``hits``: cross-case hits for one case, against the issue's 1 s budget;
- ``open_case_shared``: loading that case's timeline, against the same case alone in a
  store of its own (opened the same way), target 1.2x.

``WORKBENCH_BENCH_PG`` names a PostgreSQL server to use (a superuser's URL, without a
database); otherwise a throwaway cluster is started from the local PostgreSQL binaries.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from workbench.anonymise import Anonymiser
from workbench.bench import BenchRow, benchmark, stopwatch
from workbench.errors import WorkbenchError
from workbench.ingest.pipeline import find_case
from workbench.model import Case, Exhibit, Identifier
from workbench.shared.hits import cross_case_hits
from workbench.shared.users import add_user
from workbench.store import Store, open_store
from workbench.store.bulk import EventWriter
from workbench.timeline import load_timeline

IDENTIFIERS_PER_CASE = 5_000
SHARED_IDENTIFIERS = 200
INVESTIGATOR = "bench_investigator"
HITS_BUDGET_S = 1.0
_measured: dict[str, BenchRow] = {}


@contextmanager
def postgres_server() -> Iterator[str]:
    """A superuser URL (no database) of a server for the benchmark."""
    if os.environ.get("WORKBENCH_BENCH_PG"):
        yield os.environ["WORKBENCH_BENCH_PG"]
        return
    found = shutil.which("pg_ctl") or next(iter(sorted(Path("/usr/lib/postgresql").glob(
        "*/bin/pg_ctl"), reverse=True)), None)
    if found is None:
        raise WorkbenchError("the shared-store benchmarks need PostgreSQL (set WORKBENCH_BENCH_PG "
                             "or install the server binaries)")
    bindir = Path(found).resolve().parent
    root = Path(tempfile.mkdtemp(prefix="wb-bench-pg-"))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if prefix:
        shutil.chown(root, "postgres", "postgres")

    def run(*command: str) -> None:
        subprocess.run([*prefix, *command], check=True, capture_output=True, timeout=300)

    run(str(bindir / "initdb"), "-D", str(root / "data"), "-U", "postgres", "--auth=trust")
    run(str(bindir / "pg_ctl"), "-D", str(root / "data"), "-l", str(root / "log"), "-o",
        f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off", "-w", "start")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        run(str(bindir / "pg_ctl"), "-D", str(root / "data"), "-m", "immediate", "stop")
        shutil.rmtree(root, ignore_errors=True)


def new_database(server: str) -> str:
    import psycopg

    parsed = make_url(server)
    name = f"wb_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(host=parsed.host, port=parsed.port, user=parsed.username,
                         password=parsed.password, dbname=parsed.database or "postgres",
                         autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return parsed.set(database=name).render_as_string(hide_password=False)


def fill_case(store: Store, number: int, events: int) -> None:
    """One synthetic case: identifiers (some shared with every case) and its events."""
    with store.session() as session:
        case = Case(ref=f"BENCH-{number:02d}", title=f"Benchmark case {number}")
        session.add(case)
        session.flush()
        exhibit = Exhibit(case_id=case.id, reference="B/1", producer="bench", file_name="bench",
                          sha256=f"{number:064d}", size=0, kind="cdr")
        session.add(exhibit)
        values = [f"+447700{800000 + n}" if n < SHARED_IDENTIFIERS else
                  f"+4477{number:02d}{n:06d}" for n in range(IDENTIFIERS_PER_CASE)]
        session.execute(Identifier.__table__.insert(), [
            {"case_id": case.id, "kind": "phone", "value": v, "display": v, "use": "unknown"}
            for v in values])
        session.flush()
        ids = list(session.scalars(text("SELECT id FROM identifiers WHERE case_id = :c ORDER BY id"),
                                   {"c": case.id}))
        writer = EventWriter(session)
        start = datetime(2021, 1, 1, tzinfo=UTC)
        for n in range(events):
            writer.add((case.id, exhibit.id, f"line {n + 2}", start + timedelta(seconds=31 * n),
                        False, "call" if n % 3 else "sms", "work_mobile",
                        "outgoing" if n % 2 else "incoming", ids[0], ids[1 + n % (len(ids) - 1)],
                        float(n % 600), None, None, None, None, None))
        writer.flush()
    with store.engine.begin() as connection:  # as the unit's administrator does for a case
        connection.execute(text(
            "INSERT INTO case_access (case_id, login, access, role, by, at) "
            "SELECT id, :login, 'grant', 'investigator', 'bench', now() FROM cases WHERE ref = :ref"),
            {"login": INVESTIGATOR, "ref": f"BENCH-{number:02d}"})


def build(server: str, cases: int, events: int, granted: int) -> str:
    url = new_database(server)
    admin = open_store(url)
    with admin.session() as session:
        add_user(session, INVESTIGATOR, "Benchmark Investigator", "investigator")
    for number in range(cases):
        fill_case(admin, number, events)
    with admin.engine.begin() as connection:  # only the first `granted` cases stay granted
        connection.execute(text("DELETE FROM case_access WHERE login = :login AND case_id IN "
                                "(SELECT id FROM cases WHERE ref >= :ref)"),
                           {"login": INVESTIGATOR, "ref": f"BENCH-{granted:02d}"})
        connection.execute(text("ANALYZE"))
    admin.dispose()
    return make_url(url).set(username=INVESTIGATOR).render_as_string(hide_password=False)


def best_of(runs: int, work) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        with stopwatch() as elapsed:
            work()
        times.append(elapsed[0])
    return min(times)


def open_case(store: Store) -> None:
    with store.reader() as session:
        case = find_case(session, "BENCH-00")
        load_timeline(session, case, Anonymiser(case, False))


def measure(quick: bool) -> None:
    cases = int(os.environ.get("WORKBENCH_BENCH_CASES", "3" if quick else "20"))
    events = int(os.environ.get("WORKBENCH_BENCH_CASE_EVENTS", "2000" if quick else "1000000"))
    with postgres_server() as server:
        started = time.perf_counter()
        shared = open_store(build(server, cases, events, granted=3))
        alone = open_store(build(server, 1, events, granted=1))
        built = time.perf_counter() - started
        try:
            def hits() -> None:
                with shared.reader() as session:
                    found = cross_case_hits(session, find_case(session, "BENCH-00"))
                    assert len(found) == SHARED_IDENTIFIERS

            hits_s = best_of(3, hits)
            open_case(shared)  # warm both caches alike
            open_case(alone)
            shared_s, alone_s = best_of(3, lambda: open_case(shared)), best_of(3, lambda: open_case(alone))
        finally:
            shared.dispose()
            alone.dispose()
    size = f"{cases} cases x {events:,} events, {IDENTIFIERS_PER_CASE:,} identifiers each"
    note = f"(store built in {built:.0f} s)"
    _measured["hits"] = BenchRow("hits", hits_s, HITS_BUDGET_S, 1.0, "the issue's 1 s budget",
                                 size, note)
    _measured["open_case_shared"] = BenchRow(
        "open_case_shared", shared_s, alone_s, None if quick else 1.2,
        "the same case alone in its own store", f"timeline of 1 case: {size}", note)


@benchmark("hits")
def run_hits(quick: bool) -> BenchRow:
    if "hits" not in _measured:
        measure(quick)
    return _measured.pop("hits")


@benchmark("open_case_shared")
def run_open_case_shared(quick: bool) -> BenchRow:
    if "open_case_shared" not in _measured:
        measure(quick)
    return _measured.pop("open_case_shared")
