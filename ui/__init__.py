"""The desktop app (PySide6): a thin shell over the ``workbench`` core."""
