"""Heavy reads of a case in a separate process, so that the app's window stays responsive.

The app reads in worker threads, but Python runs one thread at a time: while a
worker turns a million events into arrays, builds the link chart's graph or
ranks unattributed identifiers, every paint and click of the window waits for
the interpreter lock (seconds, on a big case). :func:`call` runs such a read in
a worker process instead, on the same store opened there, and hands back its
result (plain data: arrays, dataclasses, graphs).

A store that another process cannot open (SQLite in memory) is read in the
calling thread, as before. The CLI and the tests call the core directly; only
the app's background reads come here.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

from sqlalchemy.engine import make_url

from workbench.store import Store, open_store

Result = TypeVar("Result")
PROCESSES = 2  # two reads at once (the chart and discovery); more would only share the cores
STORES_KEPT = 2  # stores a worker process keeps open between calls
WORKER_NICENESS = 10  # lower priority than the app's window

_executor: ProcessPoolExecutor | None = None
_lock = threading.Lock()
_stores: dict[tuple[str, tuple[tuple[str, str], ...]], Store] = {}  # in a worker process
SETTINGS_PREFIX = "WORKBENCH_"


def shareable(store: Store) -> bool:
    """Whether another process can open this store (not an in-memory SQLite database)."""
    url = make_url(store.url)
    return not (url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"))


def call(function: Callable[..., Result], store: Store, *args: Any, **kwargs: Any) -> Result:
    """``function(store, *args, **kwargs)`` run in a worker process on the same store;
    blocks the calling thread (a worker thread) until the result is back.

    ``function`` must be importable by name, and its arguments and result picklable.
    Exceptions are raised here as they were raised there.
    """
    if not shareable(store):
        return function(store, *args, **kwargs)
    return _pool().submit(_run, function, store.url, _settings(), args, kwargs).result()


def submit(function: Callable[..., Result], store: Store, *args: Any,
           **kwargs: Any) -> Future[Result] | None:
    """Start ``function(store, *args, **kwargs)`` in a worker process and return at once
    (the launch itself happens in a thread: the caller may be the GUI thread); None when
    the store cannot be read from another process."""
    if not shareable(store):
        return None
    outer: Future[Result] = Future()
    settings = _settings()

    def launch() -> None:
        try:
            inner = _pool().submit(_run, function, store.url, settings, args, kwargs)
        except BaseException as exc:  # noqa: BLE001 - handed to whoever waits for the result
            outer.set_exception(exc)
            return
        inner.add_done_callback(lambda done: _pass_on(done, outer))

    threading.Thread(target=launch, name="worker process call", daemon=True).start()
    return outer


def _pass_on(done: Future[Result], outer: Future[Result]) -> None:
    exc = done.exception()
    if exc is not None:
        outer.set_exception(exc)
    else:
        outer.set_result(done.result())


def elsewhere(function: Callable[..., Result]) -> Callable[..., Result]:
    """``function(store, ...)`` as a function that runs it in a worker process. A task's
    ``progress`` and ``cancel`` stay behind (a cancelled task's result is dropped)."""

    def run(store: Store, *args: Any, progress: Any = None, cancel: Any = None, **kwargs: Any) -> Result:
        return call(function, store, *args, **kwargs)

    return run


def start() -> None:
    """Start the worker processes now, from a thread of their own (the app does at
    start-up, so that the first reads do not wait for Python to start there, and the
    window does not wait for the processes to be launched). The pool launches a process
    for each task that finds none idle: one task each launches them all."""

    def launch() -> None:
        pool = _pool()
        for _ in range(PROCESSES):
            pool.submit(_launched)

    threading.Thread(target=launch, name="worker processes", daemon=True).start()


def stop() -> None:
    """End the worker processes (reads still running are abandoned)."""
    global _executor
    with _lock:
        executor, _executor = _executor, None
    if executor is not None:
        # Reads only: nothing is lost by ending one midway, and the app need not wait for it.
        for process in list(getattr(executor, "_processes", {}).values()):
            process.terminate()
        executor.shutdown(wait=False, cancel_futures=True)


def _pool() -> ProcessPoolExecutor:
    global _executor
    with _lock:
        if _executor is None:
            _executor = ProcessPoolExecutor(PROCESSES, mp_context=_start_method(),
                                            initializer=_worker_started)
        return _executor


def _start_method() -> multiprocessing.context.BaseContext:
    """Never a plain fork: the app has threads (Qt's among them) that a fork would copy in
    whatever state they were. A fork server, where there is one, is a fresh process of its
    own that loads the reads' modules once and forks each worker from itself (a second
    worker then costs no second start-up); elsewhere each worker starts afresh (spawn)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["workbench.session"])
    return context


def _worker_started() -> None:
    """In a worker process: give way to the app's window for the processor (reads can
    wait a moment, a paint cannot), end when the app does, however it ends, and load
    the modules the reads need."""
    if hasattr(os, "nice"):
        os.nice(WORKER_NICENESS)
    import workbench.session  # noqa: F401 - loaded ahead of the first read
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(0)

    threading.Thread(target=watch, name="parent watch", daemon=True).start()


def _launched() -> None:
    """Nothing: a task for :func:`start`, so that the pool launches a process for it."""


def _settings() -> dict[str, str]:
    """The app's own settings in its environment (the profile, the evidence folder):
    a worker process started earlier reads with those of the call, not its own."""
    return {name: value for name, value in os.environ.items() if name.startswith(SETTINGS_PREFIX)}


def _run(function: Callable[..., Result], url: str, settings: dict[str, str],
         args: tuple[Any, ...], kwargs: dict[str, Any]) -> Result:
    """In the worker process: open the store once (never migrating, never tidying its
    files: the app that asked owns them) and call ``function`` on it."""
    for name in [n for n in os.environ if n.startswith(SETTINGS_PREFIX) and n not in settings]:
        del os.environ[name]
    os.environ.update(settings)
    key = (url, tuple(sorted(settings.items())))
    store = _stores.get(key)
    if store is None:
        while len(_stores) >= STORES_KEPT:
            _stores.pop(next(iter(_stores))).dispose()
        store = _stores[key] = open_store(url, migrate=False, tidy=False)
    return function(store, *args, **kwargs)
