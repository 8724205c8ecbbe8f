"""The case work of the open case, as the casework panels see it.

:class:`CaseworkState` sits beside the :class:`~ui.case_context.CaseContext`:
it reads the decision log, the lines of enquiry, intelligence and complaints
through the core, reloads when the case changes, and runs every change
through a core command (audited), the undoable ones on the context's undo
stack. Panels read its lists and keep nothing of their own.
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand

from ui.case_context import CaseContext
from workbench.casework.decisions import DecisionEntry, add_decision, list_decisions
from workbench.casework.enquiries import EnquiryLine, lines_of_enquiry, update_line
from workbench.casework.intel import (
    ComplaintRow,
    IntelFields,
    IntelRow,
    add_intel_report,
    edit_intel_report,
    list_complaints,
    list_intel,
    remove_intel_report,
)


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

    def reload(self, emit: bool = True) -> None:
        store, ref = self.context.store, self.context.ref
        self.decisions = list_decisions(store, ref)
        self.enquiries = lines_of_enquiry(store, ref)
        self.intel = list_intel(store, ref)
        self.complaints = list_complaints(store, ref)
        if emit:
            self.changed.emit()

    # -- commands ------------------------------------------------------------------------
    def add_decision(self, *, decided_at: datetime, decision_maker: str, recorder: str,
                     ndm_element: str, decision: str, rationale: str, options_rejected: str = "",
                     review_date: date | None = None, corrects: int | None = None) -> DecisionEntry:
        """Append to the decision log. Not undoable on purpose: the log is append-only."""
        entry = add_decision(self.context.store, self.context.ref, decided_at=decided_at,
                             decision_maker=decision_maker, recorder=recorder,
                             ndm_element=ndm_element, decision=decision, rationale=rationale,
                             options_rejected=options_rejected, review_date=review_date,
                             corrects=corrects)
        self.reload()
        self.context.message.emit(f"Decision {entry.sequence} recorded")
        return entry

    # Each command is run once here, so a refusal (WorkbenchError) reaches the caller,
    # and only then put on the undo stack (whose first redo is then a no-op).
    def update_enquiry(self, key: str, **changes: object) -> None:
        """Change a line of enquiry (status, owner, notes, closed_by); undoable, audited."""
        self._push(UpdateEnquiry(self, key, changes))

    def add_intel(self, fields: IntelFields) -> None:
        """Record an intelligence report typed in by hand; undoable, audited."""
        self._push(AddIntel(self, fields))

    def edit_intel(self, report_id: int, fields: IntelFields) -> None:
        """Correct an intelligence report; undoable, audited."""
        self._push(EditIntel(self, report_id, fields))

    def _push(self, command: _Command) -> None:
        command.apply()
        command.applied = True
        self.context.undo_stack.push(command)


class _Command(QUndoCommand):
    applied = False

    def apply(self) -> None:
        raise NotImplementedError

    def redo(self) -> None:
        if self.applied:
            self.applied = False  # the first redo is the push, already done
            return
        self.apply()


class UpdateEnquiry(_Command):
    """Change a line of enquiry; undo puts back what it was (both audited)."""

    def __init__(self, state: CaseworkState, key: str, changes: dict[str, object]) -> None:
        super().__init__(f"Update line of enquiry “{key.replace('_', ' ')}”")
        self.state, self.key, self.changes = state, key, changes
        self.before: EnquiryLine | None = None

    def apply(self) -> None:
        self.before, _after = update_line(self.state.context.store, self.state.context.ref,
                                          self.key, **self.changes)  # type: ignore[arg-type]
        self.state.reload()

    def undo(self) -> None:
        if self.before is None:
            return
        b = self.before
        update_line(self.state.context.store, self.state.context.ref, self.key, status=b.status,
                    owner=b.owner, notes=b.notes, closed_by=b.closed_by)
        self.state.reload()


class AddIntel(_Command):
    def __init__(self, state: CaseworkState, fields: IntelFields) -> None:
        super().__init__(f"Add intelligence report {fields.urn}")
        self.state, self.fields = state, fields
        self.report_id: int | None = None

    def apply(self) -> None:
        self.report_id = add_intel_report(self.state.context.store, self.state.context.ref, self.fields)
        self.state.reload()

    def undo(self) -> None:
        if self.report_id is not None:
            remove_intel_report(self.state.context.store, self.state.context.ref, self.report_id)
            self.state.reload()


class EditIntel(_Command):
    def __init__(self, state: CaseworkState, report_id: int, fields: IntelFields) -> None:
        super().__init__(f"Edit intelligence report {fields.urn}")
        self.state, self.report_id, self.fields = state, report_id, fields
        self.before: IntelFields | None = None

    def apply(self) -> None:
        self.before = edit_intel_report(self.state.context.store, self.state.context.ref,
                                        self.report_id, self.fields)
        self.state.reload()

    def undo(self) -> None:
        if self.before is not None:
            edit_intel_report(self.state.context.store, self.state.context.ref, self.report_id,
                              self.before)
            self.state.reload()
