"""The one bridge from core commands (:mod:`workbench.commands`) to Qt's undo stack.

A command is applied first (:meth:`CaseContext.execute`); only when the core
accepted it is it pushed, wrapped in :class:`UndoableCommand`, whose first
``redo`` (Qt calls it on push) is therefore skipped. A refusal while undoing or
redoing is reported, never raised into Qt, and the command leaves the stack.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from workbench.commands import Command
from workbench.errors import WorkbenchError
from workbench.store import Store


class UndoableCommand(QUndoCommand):
    """A core command already applied, on the undo stack."""

    def __init__(self, command: Command, store: Store,
                 changed: Callable[[Command, str], None]) -> None:
        super().__init__(command.description)
        self.command, self.store, self.changed = command, store, changed
        self._pushed = False

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True  # pushing: the command was already applied
            return
        self._run(self.command.do, "Redone")

    def undo(self) -> None:
        self._run(self.command.undo, "Undone")

    def _run(self, step: Callable[[Store], None], done: str) -> None:
        try:
            step(self.store)
        except WorkbenchError as exc:
            self.setObsolete(True)  # the stack drops it: it can no longer be undone or redone
            self.changed(self.command, f"Could not {done.lower()[:-2]} "
                                       f"“{self.command.description}”: {exc}")
            return
        self.changed(self.command, f"{done}: {self.command.description}")
