"""Work done in steps, one per turn of the event loop, so that the window answers between
them (building the window's docks, fitting the columns of lists filled at once)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

# A timer, not a zero-delay call: zero-delay calls posted from one another all run in one
# pass of Qt's event loop, and the window would not answer until the last.
STEP_MS = 1


class Steps:
    """Callables run in order, one per turn of the event loop; ``finished`` is called once
    the last has run. With an ``owner``, steps still waiting are dropped when it goes."""

    def __init__(self, owner: QObject | None = None,
                 finished: Callable[[], None] | None = None) -> None:
        self._owner = owner
        self._finished = finished
        self._waiting: list[Callable[[], None]] = []

    @property
    def waiting(self) -> bool:
        return bool(self._waiting)

    def add(self, step: Callable[[], None]) -> None:
        self._waiting.append(step)
        if len(self._waiting) == 1:
            self._later()

    def run_all(self) -> None:
        """Run every step still waiting, now."""
        while self._waiting:
            self._next()

    def _later(self) -> None:
        if self._owner is None:
            QTimer.singleShot(STEP_MS, self._next)
        else:
            QTimer.singleShot(STEP_MS, self._owner, self._next)

    def _next(self) -> None:
        if not self._waiting:
            return  # run already (run_all)
        self._waiting.pop(0)()
        if self._waiting:
            self._later()
        elif self._finished is not None:
            self._finished()
