"""The one bridge from core commands (:mod:`workbench.commands`) to Qt's undo stack.

A command is applied first (:meth:`CaseContext.execute`); only when the core
accepted it is it pushed, wrapped in :class:`UndoableCommand`, whose first
``redo`` (Qt calls it on push) is therefore skipped. Undoing and redoing hand
the command back to the context (``perform``), which runs it (in a worker, in
the app) and reports a refusal, never raising into Qt.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from workbench.commands import Command


class UndoableCommand(QUndoCommand):
    """A core command already applied, on the undo stack."""

    def __init__(self, command: Command, perform: Callable[[Command, bool], None]) -> None:
        super().__init__(command.description)
        self.command, self.perform = command, perform
        self._pushed = False

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True  # pushing: the command was already applied
            return
        self.perform(self.command, False)

    def undo(self) -> None:
        self.perform(self.command, True)
