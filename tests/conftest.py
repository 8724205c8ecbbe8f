"""Shared fixtures: fresh stores on SQLite and (when available) a throwaway PostgreSQL."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

import atexit
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench import casefile
from workbench.store import Store, open_store

DATA = Path(__file__).parent / "data"
# The real-world samples (../shared/samples beside the repository), or where
# WORKBENCH_SAMPLES says. Tests marked `samples` skip, saying so, when they are missing.
SAMPLES = Path(os.environ.get("WORKBENCH_SAMPLES")
               or Path(__file__).resolve().parents[2] / "shared" / "samples")
PG_BIN = Path("/usr/lib/postgresql")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--fuzz-long", action="store_true", help="run long fuzzing sessions")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip_fuzz = pytest.mark.skip(reason="long fuzzing: run with --fuzz-long")
    skip_samples = pytest.mark.skip(
        reason=f"the real-world samples are missing: no folder {SAMPLES} (../shared/samples "
               "beside the repository, or set WORKBENCH_SAMPLES)")
    for item in items:
        if "fuzz_long" in item.keywords and not config.getoption("--fuzz-long"):
            item.add_marker(skip_fuzz)
        if "samples" in item.keywords and not SAMPLES.is_dir():
            item.add_marker(skip_samples)


def _pg_bindir() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    versions = sorted(PG_BIN.glob("*/bin/pg_ctl")) if PG_BIN.exists() else []
    return versions[-1].parent if versions else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ThrowawayPostgres:
    """A PostgreSQL cluster in a temp dir on a free loopback port, for one test session."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="wb-pg-"))
        self.port = _free_port()
        self.as_root = os.geteuid() == 0
        self.data = self.root / "data"

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_root else []
        subprocess.run([*prefix, *command], check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres",
                  "--auth=trust", "-E", "UTF8")
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "log"),
                  "-o", f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1",
                  "-w", "start")

    def stop(self) -> None:
        try:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def create_database(self) -> str:
        import psycopg

        name = f"wb_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[ThrowawayPostgres]:
    bindir = _pg_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries not installed (apt-get install postgresql)")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        pytest.skip("running as root without runuser: cannot start PostgreSQL")
    server = ThrowawayPostgres(bindir)
    try:
        server.start()
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, KeyError, LookupError) as exc:
        pytest.skip(f"could not start a throwaway PostgreSQL: {exc}")
    time.sleep(0.2)
    yield server
    server.stop()


INVESTIGATOR = "DS 4120 Jane Brown"


def _set_up_workstation() -> Path:
    """A configuration folder as a set-up workstation has it: the investigator's profile.

    Made at import, before any fixture (session-scoped ones build stores too), and
    inherited by the CLI processes tests start.
    """
    from workbench import investigator

    folder = Path(tempfile.mkdtemp(prefix="wb-config-"))
    atexit.register(shutil.rmtree, folder, True)
    os.environ["WORKBENCH_CONFIG"] = str(folder)
    investigator.save(investigator.parse(INVESTIGATOR))
    return folder


WORKSTATION_CONFIG = _set_up_workstation()


@pytest.fixture(autouse=True)
def _workstation(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test (and each CLI process it starts) runs as DS 4120 Jane Brown."""
    monkeypatch.setenv("WORKBENCH_CONFIG", str(WORKSTATION_CONFIG))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_store(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """A fresh, empty store: once on SQLite and once on PostgreSQL."""
    monkeypatch.setenv("WORKBENCH_EVIDENCE", str(tmp_path / "evidence"))
    if request.param == "sqlite":
        store = open_store(f"sqlite:///{tmp_path / 'case.db'}")
    else:
        server: ThrowawayPostgres = request.getfixturevalue("postgres_server")
        store = open_store(server.create_database())
    yield store
    store.dispose()


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """A fresh SQLite store in a temp dir (for tests that need no PostgreSQL run)."""
    monkeypatch.setenv("WORKBENCH_EVIDENCE", str(tmp_path / "evidence"))
    store = open_store(f"sqlite:///{tmp_path / 'case.db'}")
    yield store
    store.dispose()


@pytest.fixture
def willow(store: Store) -> Store:
    """The store with the OP-WILLOW case (tests/data/willow.toml) created."""
    casefile.create_case(store, casefile.load(DATA / "willow.toml"))
    return store


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the CLI at a private store; returns the database path."""
    db = tmp_path / "cli.db"
    monkeypatch.setenv("WORKBENCH_DB", f"sqlite:///{db}")
    monkeypatch.setenv("WORKBENCH_EVIDENCE", str(tmp_path / "cli-evidence"))
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    return db


def pytest_configure(config: pytest.Config) -> None:
    from hypothesis import settings

    settings.register_profile("regular", max_examples=12)
    settings.register_profile("long", max_examples=400)
    settings.load_profile("long" if config.getoption("--fuzz-long") else "regular")


@pytest.fixture(scope="session", autouse=True)
def unit_key_for_tests(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A throwaway unit key (bundles are signed with it), never the machine's own."""
    from workbench import unit_key

    path = tmp_path_factory.mktemp("unit-key") / "unit-key.pem"
    unit_key.init("Test Counter-Corruption Unit", path)
    previous = os.environ.get("WORKBENCH_UNIT_KEY")
    os.environ["WORKBENCH_UNIT_KEY"] = str(path)
    yield path
    if previous is None:
        os.environ.pop("WORKBENCH_UNIT_KEY", None)
    else:
        os.environ["WORKBENCH_UNIT_KEY"] = previous
