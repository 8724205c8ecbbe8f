"""The case work of the open case, as the casework panels see it.

:class:`CaseworkState` sits beside the :class:`~ui.case_context.CaseContext`:
it lists the decision log, the lines of enquiry, intelligence and complaints as
the context's session last read them, and follows when the case or its case
work changes. Panels
read its lists and keep nothing of their own; their changes are core commands
(:mod:`workbench.commands`) run by :meth:`CaseContext.execute`.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from ui.case_context import CaseContext
from workbench.casework.decisions import DecisionEntry
from workbench.casework.enquiries import EnquiryLine
from workbench.casework.intel import ComplaintRow, IntelRow


class CaseworkState(QObject):
    """Decisions, lines of enquiry, intelligence and complaints of the context's case."""

    changed = Signal()
    highlightEvents = Signal(list)  # noqa: N815 - event ids another view wants highlighted

    def __init__(self, context: CaseContext, parent: QObject | None = None) -> None:
        super().__init__(parent or context)
        self.context = context
        self.decisions: list[DecisionEntry] = []
        self.enquiries: list[EnquiryLine] = []
        self.intel: list[IntelRow] = []
        self.complaints: list[ComplaintRow] = []
        self.reload(emit=False)
        context.changed.connect(self.reload)
        context.caseworkChanged.connect(self.reload)

    def reload(self, emit: bool = True) -> None:
        """Take the case work the context last read (it reads again after each change)."""
        casework = self.context.casework
        self.decisions = casework.decisions
        self.enquiries = casework.enquiries
        self.intel = casework.intel
        self.complaints = casework.complaints
        if emit:
            self.changed.emit()
