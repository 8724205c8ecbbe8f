"""Running a core ``function(..., progress, cancel)`` in a worker thread, with Qt signals.

Core slow work takes ``progress(fraction, message)`` and a :class:`CancelToken`
and raises :class:`Cancelled`; :class:`Task` runs it on the thread pool and
reports back on the GUI thread. A :class:`TaskRunner` holds one view's current
task: starting another cancels the first. Workers open their own database
sessions (the functions do), never sharing one with the GUI thread.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from workbench.errors import Cancelled
from workbench.tasks import CancelToken

PROGRESS_INTERVAL_S = 0.05  # at most twenty progress updates a second reach the GUI


class TaskSignals(QObject):
    progress = Signal(float, str)
    finished = Signal(object)
    failed = Signal(object)  # the exception
    cancelled = Signal()


class Task(QRunnable):
    """One call of ``function(*args, progress=..., cancel=..., **kwargs)`` in a worker."""

    def __init__(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the runner keeps it until its signals are delivered
        self.function, self.args, self.kwargs = function, args, kwargs
        self.signals = TaskSignals()
        self.token = CancelToken()
        self.done = False
        self._last_progress = 0.0

    def cancel(self) -> None:
        self.token.cancel()

    def _progress(self, fraction: float, message: str) -> None:
        now = time.monotonic()
        if fraction >= 1.0 or now - self._last_progress >= PROGRESS_INTERVAL_S:
            self._last_progress = now
            _emit(self.signals.progress, float(fraction), message)
        self.token.check()  # a cancel is noticed at the next progress report too

    def run(self) -> None:
        try:
            result = self.function(*self.args, progress=self._progress, cancel=self.token,
                                   **self.kwargs)
        except Cancelled:
            self.done = True
            _emit(self.signals.cancelled)
        except Exception as exc:  # noqa: BLE001 - the worker boundary: any failure is reported to the user on the GUI thread
            self.done = True
            _emit(self.signals.failed, exc)
        else:
            self.done = True
            _emit(self.signals.finished, result)


def _emit(signal, *args: object) -> None:  # type: ignore[no-untyped-def]
    """Emit from the worker; if the view that started the task has gone, nobody is waiting."""
    try:
        signal.emit(*args)
    except RuntimeError:  # "Signal source has been deleted": the window closed meanwhile
        pass


class TaskRunner(QObject):
    """A view's current background task: a new one cancels the old one."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.current: Task | None = None
        self._keep: list[Task] = []

    @property
    def running(self) -> bool:
        return self.current is not None and not self.current.done

    def start(self, task: Task) -> Task:
        self.cancel()
        self._keep = [t for t in self._keep if not t.done]
        self._keep.append(task)
        self.current = task
        QThreadPool.globalInstance().start(task)
        return task

    def cancel(self) -> None:
        if self.current is not None and not self.current.done:
            self.current.cancel()

    def wait(self, timeout_ms: int = 10_000) -> bool:
        """Block until every started task has ended (for closing and tests)."""
        return QThreadPool.globalInstance().waitForDone(timeout_ms)
