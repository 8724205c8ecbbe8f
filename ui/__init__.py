"""The desktop app (PySide6): a thin shell over the ``workbench`` core."""

import ui.qt_compat  # noqa: F401 - must run before any Qt call (see the module)
