"""Benchmarks: each row times our code against a baseline measured in the same run.

A benchmark module registers a function ``run(quick: bool) -> BenchRow`` with
:func:`benchmark`. ``workbench bench`` runs them; ``--quick`` uses tiny sizes so CI
can check that none has rotted.
"""

from __future__ import annotations

import importlib
import pkgutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass


@dataclass
class BenchRow:
    name: str
    ours_s: float
    baseline_s: float
    target_ratio: float | None  # ours/baseline must be at most this (None: no target)
    baseline: str  # what the baseline is
    size: str  # what was measured
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.ours_s / self.baseline_s if self.baseline_s > 0 else float("inf")

    @property
    def met(self) -> bool | None:
        return None if self.target_ratio is None else self.ratio <= self.target_ratio

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "ratio": round(self.ratio, 3), "met": self.met}


_BENCHES: dict[str, Callable[[bool], BenchRow]] = {}
_ALL_LOADED = False
# Benchmarks of the desktop app register themselves from here, loaded by name so
# the core never depends on Qt.
PLUGINS = ("ui.bench",)


def benchmark(name: str) -> Callable[[Callable[[bool], BenchRow]], Callable[[bool], BenchRow]]:
    def wrap(function: Callable[[bool], BenchRow]) -> Callable[[bool], BenchRow]:
        _BENCHES[name] = function
        return function
    return wrap


def benches() -> dict[str, Callable[[bool], BenchRow]]:
    global _ALL_LOADED
    if not _ALL_LOADED:  # not "if empty": importing one bench module directly registers it
        for module in pkgutil.iter_modules(__path__):
            importlib.import_module(f"{__name__}.{module.name}")
        _ALL_LOADED = True
        for plugin in PLUGINS:
            try:
                importlib.import_module(plugin)
            except ImportError:  # Qt not installed: the core benchmarks still run
                pass
    return dict(_BENCHES)


@contextmanager
def stopwatch() -> Iterator[list[float]]:
    """``with stopwatch() as t: ...`` then ``t[0]`` is the elapsed seconds."""
    elapsed = [0.0]
    start = time.perf_counter()
    try:
        yield elapsed
    finally:
        elapsed[0] = time.perf_counter() - start
