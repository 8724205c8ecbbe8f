"""The contract for slow work: a progress callback and a cancel token.

Slow functions take ``progress(fraction, message)`` and a :class:`CancelToken`
and raise :class:`~workbench.errors.Cancelled` when asked to stop. The Qt side
runs them in a worker; tests call them directly.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from workbench.errors import Cancelled

Progress = Callable[[float, str], None]


def no_progress(fraction: float, message: str) -> None:
    """A progress callback that ignores what it is told."""


class CancelToken:
    """A thread-safe flag a caller sets to ask slow work to stop."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        """Raise :class:`Cancelled` if cancellation was asked for."""
        if self._event.is_set():
            raise Cancelled()
