"""One refusal policy for several files (ingest/batch.py), shared by the CLI and the app."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from workbench.errors import ImportRefused
from workbench.ingest.batch import BatchFile, NotImported, import_batch
from workbench.ingest.pipeline import ImportResult
from workbench.model import Exhibit
from workbench.store import Store

BILLING = """date,time,calling number,called number,direction,duration
01/04/2021,10:00:00,07700900101,07700900201,outgoing,65
"""
BROKEN = "date,time,calling number,called number,direction,duration\nnot a date,x,y,z,out,1\n"


def _files(tmp_path: Path) -> tuple[Path, Path]:
    good, bad = tmp_path / "billing.csv", tmp_path / "broken.csv"
    good.write_text(BILLING)
    bad.write_text(BROKEN)
    return good, bad


def _exhibits(store: Store) -> int:
    with store.reader() as session:
        return int(session.scalar(select(func.count()).select_from(Exhibit)) or 0)


def test_files_on_their_own_are_refused_alone(willow: Store, tmp_path: Path) -> None:
    good, bad = _files(tmp_path)
    outcomes = import_batch(willow, "OP-WILLOW", [BatchFile(good, "cdr"), BatchFile(bad, "cdr")])
    assert isinstance(outcomes[0], ImportResult)
    assert isinstance(outcomes[1], ImportRefused) and "broken.csv" in str(outcomes[1])
    assert _exhibits(willow) == 1


def test_a_group_stands_or_falls_together_naming_the_refused_file(willow: Store,
                                                                   tmp_path: Path) -> None:
    good, bad = _files(tmp_path)
    outcomes = import_batch(willow, "OP-WILLOW", [
        BatchFile(good, "cdr", "calls/billing.csv", "calls"),
        BatchFile(bad, "cdr", "calls/broken.csv", "calls")])
    assert isinstance(outcomes[0], NotImported) and "calls/broken.csv" in str(outcomes[0])
    assert not isinstance(outcomes[1], NotImported)
    assert "calls/broken.csv" in str(outcomes[1]) and "line 2" in str(outcomes[1])
    assert _exhibits(willow) == 0  # nothing of the group was kept
