"""Edits to a case as command objects (in the spirit of glue's ``core/command.py``).

Every change an investigator makes to a case -- giving an identifier to a person,
reviewing a marker, updating a line of enquiry, recording intelligence or a
decision, withdrawing an exhibit -- is one :class:`Command`. A command does,
undoes and describes itself; the core function it calls writes the audit entry,
so doing and undoing are both in the chain. The CLI, the app (through one
``QUndoCommand`` adapter in ``ui/undo.py``) and the tests run the same objects.

``touches`` names what a command changes, so an open case reloads only that:
``"evidence"`` (events, identifiers, people: the timeline), ``"markers"`` and
``"casework"`` (decisions, enquiries, intelligence).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, ClassVar

from workbench import audit
from workbench.casework.decisions import DecisionEntry, add_decision
from workbench.casework.enquiries import EnquiryLine, update_line
from workbench.casework.intel import (
    IntelFields,
    add_intel_report,
    edit_intel_report,
    remove_intel_report,
)
from workbench.errors import NotFound, WorkbenchError
from workbench.identities import Assignment, assign_identifier
from workbench.ingest.withdraw import withdraw_exhibit
from workbench.model import Case, Marker
from workbench.store import Store

EVIDENCE, MARKERS, CASEWORK = "evidence", "markers", "casework"


class Command(ABC):
    """One edit to a case: do it, undo it, say what it is."""

    undoable: ClassVar[bool] = True
    touches: ClassVar[frozenset[str]] = frozenset({EVIDENCE, MARKERS, CASEWORK})

    @property
    @abstractmethod
    def description(self) -> str:
        """What the command does, as a user reads it ("Assign 07700 900999 to Woman A")."""

    @abstractmethod
    def do(self, store: Store) -> None:
        """Make the change (audited). Raises :class:`WorkbenchError` when refused."""

    def undo(self, store: Store) -> None:
        """Put back what :meth:`do` changed (audited)."""
        raise WorkbenchError(f"{self.description}: cannot be undone")


@dataclass
class AssignIdentifier(Command):
    """Give an identifier to a person (None: back to unattributed); undo gives it back."""

    case_ref: str
    identifier_id: int
    person_key: str | None
    use: str | None = None
    shown: str = ""  # how the identifier and person are named in the description
    previous: Assignment | None = field(default=None, init=False)
    touches: ClassVar[frozenset[str]] = frozenset({EVIDENCE, MARKERS})

    @property
    def description(self) -> str:
        return f"Assign {self.shown or f'identifier {self.identifier_id}'}"

    def do(self, store: Store) -> None:
        self.previous = assign_identifier(store, self.case_ref, self.identifier_id,
                                          self.person_key, self.use)

    def undo(self, store: Store) -> None:
        if self.previous is not None:
            assign_identifier(store, self.case_ref, self.identifier_id,
                              self.previous.person_key, self.previous.use)


@dataclass
class ReviewMarker(Command):
    """Accept or dismiss a marker with a reason; undo puts its earlier review back."""

    marker_id: int
    accept: bool
    reason: str
    by: str | None = None
    result: dict[str, Any] = field(default_factory=dict, init=False)
    previous: tuple[str, str | None, datetime | None, str | None] | None = field(
        default=None, init=False)
    touches: ClassVar[frozenset[str]] = frozenset({MARKERS})

    @property
    def description(self) -> str:
        return f"{'Accept' if self.accept else 'Dismiss'} marker {self.marker_id}"

    def do(self, store: Store) -> None:
        from workbench.analysis import review_marker

        with store.reader() as session:
            marker = session.get(Marker, self.marker_id)
            if marker is None:
                raise NotFound(f"no marker with id {self.marker_id}")
            self.previous = (marker.status, marker.reviewed_by, marker.reviewed_at,
                             marker.review_reason)
        self.result = review_marker(store, self.marker_id, accept=self.accept,
                                    reason=self.reason, by=self.by)

    def undo(self, store: Store) -> None:
        if self.previous is None:
            return
        with store.session() as session:
            marker = session.get(Marker, self.marker_id)
            if marker is None:
                raise NotFound(f"no marker with id {self.marker_id}")
            case = session.get(Case, marker.case_id)
            assert case is not None
            undone = marker.status
            (marker.status, marker.reviewed_by, marker.reviewed_at,
             marker.review_reason) = self.previous
            audit.append(session, case, "marker_review_undone", {
                "marker": marker.id, "key": marker.key, "rule": marker.rule,
                "status": marker.status, "undone_status": undone,
            })


@dataclass
class UpdateEnquiry(Command):
    """Change a line of enquiry (status, owner, notes, closed_by); undo puts back what it was."""

    case_ref: str
    key: str
    changes: dict[str, Any]
    before: EnquiryLine | None = field(default=None, init=False)
    touches: ClassVar[frozenset[str]] = frozenset({CASEWORK})

    @property
    def description(self) -> str:
        return f"Update line of enquiry “{self.key.replace('_', ' ')}”"

    def do(self, store: Store) -> None:
        self.before, _after = update_line(store, self.case_ref, self.key, **self.changes)

    def undo(self, store: Store) -> None:
        if self.before is not None:
            b = self.before
            update_line(store, self.case_ref, self.key, status=b.status, owner=b.owner,
                        notes=b.notes, closed_by=b.closed_by)


@dataclass
class AddIntel(Command):
    """Record an intelligence report typed in by hand; undo removes it."""

    case_ref: str
    fields: IntelFields
    report_id: int | None = field(default=None, init=False)
    touches: ClassVar[frozenset[str]] = frozenset({CASEWORK})

    @property
    def description(self) -> str:
        return f"Add intelligence report {self.fields.urn}"

    def do(self, store: Store) -> None:
        self.report_id = add_intel_report(store, self.case_ref, self.fields)

    def undo(self, store: Store) -> None:
        if self.report_id is not None:
            remove_intel_report(store, self.case_ref, self.report_id)


@dataclass
class EditIntel(Command):
    """Correct an intelligence report; undo puts back what it said."""

    case_ref: str
    report_id: int
    fields: IntelFields
    before: IntelFields | None = field(default=None, init=False)
    touches: ClassVar[frozenset[str]] = frozenset({CASEWORK})

    @property
    def description(self) -> str:
        return f"Edit intelligence report {self.fields.urn}"

    def do(self, store: Store) -> None:
        self.before = edit_intel_report(store, self.case_ref, self.report_id, self.fields)

    def undo(self, store: Store) -> None:
        if self.before is not None:
            edit_intel_report(store, self.case_ref, self.report_id, self.before)


@dataclass
class AddDecision(Command):
    """Append to the decision log. Not undoable on purpose: the log is append-only."""

    case_ref: str
    decided_at: datetime
    decision_maker: str
    recorder: str
    ndm_element: str
    decision: str
    rationale: str
    options_rejected: str = ""
    review_date: date | None = None
    corrects: int | None = None
    entry: DecisionEntry | None = field(default=None, init=False)
    undoable: ClassVar[bool] = False
    touches: ClassVar[frozenset[str]] = frozenset({CASEWORK})

    @property
    def description(self) -> str:
        number = f" {self.entry.sequence}" if self.entry else ""
        return f"Record decision{number}"

    def do(self, store: Store) -> None:
        self.entry = add_decision(
            store, self.case_ref, decided_at=self.decided_at, decision_maker=self.decision_maker,
            recorder=self.recorder, ndm_element=self.ndm_element, decision=self.decision,
            rationale=self.rationale, options_rejected=self.options_rejected,
            review_date=self.review_date, corrects=self.corrects)


@dataclass
class WithdrawExhibit(Command):
    """Withdraw an exhibit imported by mistake. Not undoable: import it again instead."""

    case_ref: str
    reference: str
    reason: str
    by: str | None = None
    removed: dict[str, int] = field(default_factory=dict, init=False)
    undoable: ClassVar[bool] = False

    @property
    def description(self) -> str:
        return f"Withdraw exhibit {self.reference}"

    def do(self, store: Store) -> None:
        self.removed = withdraw_exhibit(store, self.case_ref, self.reference, self.reason,
                                        by=self.by)
