"""The case work of the open case, as the casework panels see it.

:class:`CaseworkState` sits beside the :class:`~ui.case_context.CaseContext`:
it reads the decision log, the lines of enquiry, intelligence and complaints
through the core and reloads when the case or its case work changes. Panels
read its lists and keep nothing of their own; their changes are core commands
(:mod:`workbench.commands`) run by :meth:`CaseContext.execute`.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from ui.case_context import CaseContext
from workbench.casework.decisions import DecisionEntry, list_decisions
from workbench.casework.enquiries import EnquiryLine, lines_of_enquiry
from workbench.casework.intel import ComplaintRow, IntelRow, list_complaints, list_intel


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
        store, ref = self.context.store, self.context.ref
        self.decisions = list_decisions(store, ref)
        self.enquiries = lines_of_enquiry(store, ref)
        self.intel = list_intel(store, ref)
        self.complaints = list_complaints(store, ref)
        if emit:
            self.changed.emit()
