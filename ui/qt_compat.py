"""Work-arounds for defects of the installed Qt bindings, applied once when ``ui`` is imported.

PySide6 6.12 on CPython 3.11 releases one reference to ``None`` every time a
Qt method that returns nothing is called (``setText``, ``drawRect``, ...):
built for 3.12+, where ``None`` is immortal, it skips the matching increment.
After some 40,000 such calls ``None`` is freed and the interpreter aborts
("none_dealloc"). Python 3.12 makes ``None`` immortal by giving it an enormous
reference count; on older interpreters we do the same here, so the app and
its tests keep running. Remove this when the bindings are fixed or 3.11 dropped.
"""

from __future__ import annotations

import ctypes
import sys

IMMORTAL_MARGIN = 1 << 40  # a trillion calls before the count could run out


def immortalise_none() -> None:
    """Give ``None`` a reference count no run of the app can exhaust (CPython < 3.12)."""
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return
    count = ctypes.c_ssize_t.from_address(id(None))  # ob_refcnt is the first field
    if count.value < IMMORTAL_MARGIN:
        count.value += IMMORTAL_MARGIN


immortalise_none()  # on import: every ui module imports this before calling Qt
