"""The open case as the views see it: the core objects, the selection and the undo stack.

Every view is given the one :class:`CaseContext` and reads the case through it;
none keeps its own copy of domain data. Changes go through core commands
(import, review, assign), after which the context reloads and says ``changed``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ui.tasks import Task, TaskRunner
from ui.undo import UndoableCommand
from workbench import audit
from workbench.analysis.freshness import evidence_changed_since_analysis
from workbench.anonymise import Anonymiser
from workbench.change_watch import changes_elsewhere
from workbench.commands import CASEWORK, MARKERS, AssignIdentifier, Command, ReviewMarker
from workbench.discover import Candidate, rank_leads
from workbench.model import Case, Exhibit, Identifier, Marker, Person
from workbench.overview import unresolved_identifiers
from workbench.store import Store
from workbench.store.queries import current_markers, find_case
from workbench.timeline import (
    SEARCH_LIMIT,
    TimelineData,
    event_detail,
    load_marker_spans,
    load_timeline,
    noted_targets,
    relabel,
    search_events,
)
from workbench.timeutil import zone


@dataclass(frozen=True)
class Selection:
    event: int | None = None
    marker: int | None = None
    time_range: tuple[int, int] | None = None


class CaseContext(QObject):
    """One open case: store, reference, anonymise switch, selection and undo stack."""

    changed = Signal()  # the case's content changed: views reload from the context
    leadsChanged = Signal()  # noqa: N815 - discovery's ranking is ready
    caseworkChanged = Signal()  # noqa: N815 - only decisions, enquiries or intelligence changed
    notesChanged = Signal()  # noqa: N815 - only notes, tags or bookmarks changed (timeline flags)
    anonymiseChanged = Signal(bool)  # noqa: N815 - Qt signal naming
    eventSelected = Signal(int)  # noqa: N815
    markerSelected = Signal(int)  # noqa: N815
    rangeSelected = Signal(object)  # noqa: N815 - (start, end) epoch seconds, or None
    searchResults = Signal(list)  # noqa: N815
    message = Signal(str)

    def __init__(self, store: Store, ref: str, anonymise: bool = False,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.ref = ref
        self._anonymise = anonymise
        self.selection = Selection()
        self.undo_stack = QUndoStack(self)
        self.runner = TaskRunner(self)  # background work of the open case (discovery)
        self._leads: dict[int, Candidate] | None = None
        self._ranking = False  # discovery started for the current load
        self.case: Case
        self.anonymiser: Anonymiser
        self.timeline: TimelineData
        self.markers: list[Marker] = []
        self.unresolved: list[dict[str, Any]] = []
        self.identifiers: dict[int, Identifier] = {}
        self.markers_out_of_date: str | None = None  # what changed since the last analysis
        self.search_words = ""
        self.search_results: list[int] = []
        self.search_more = False  # more matched than SEARCH_LIMIT
        self.reload(emit=False)

    # -- loading -------------------------------------------------------------------------
    def reload(self, emit: bool = True) -> None:
        """Read the case again (after a change) and tell the views."""
        with self.store.reader() as session:
            case = session.scalars(
                select(Case).where(Case.id == find_case(session, self.ref).id).options(
                    selectinload(Case.people).selectinload(Person.identifiers),
                    selectinload(Case.identifiers).selectinload(Identifier.person),
                    selectinload(Case.engagements),
                    selectinload(Case.places),
                    selectinload(Case.exhibits).selectinload(Exhibit.continuity),
                )).one()
            for engagement in case.engagements:
                _ = engagement.member, engagement.officer
            self.case = case
            self.anonymiser = Anonymiser(case, self._anonymise)
            self.timeline = load_timeline(session, case, self.anonymiser)
            self.markers = current_markers(session, case)
            self.unresolved = unresolved_identifiers(session, case)
            self.markers_out_of_date = evidence_changed_since_analysis(session, case)
            self.identifiers = {i.id: i for i in case.identifiers}
            self.audit_seen = audit.head_sequence(session, self.ref)
            session.expunge_all()
        self.runner.cancel()  # a ranking of the old load is out of date
        self._leads, self._ranking = None, False
        if emit:
            self.changed.emit()

    def reload_markers(self) -> None:
        """Read the markers again (after a review), not the events; the views follow."""
        with self.store.reader() as session:
            case = find_case(session, self.ref)
            self.markers = current_markers(session, case)
            self.timeline.markers = load_marker_spans(session, case)
            self.markers_out_of_date = evidence_changed_since_analysis(session, case)
            self.audit_seen = audit.head_sequence(session, self.ref)
            session.expunge_all()
        self.changed.emit()

    def reload_notes(self) -> None:
        """Read which events and markers carry notes again (after a note), not the events."""
        with self.store.reader() as session:
            self.timeline.set_noted(*noted_targets(session, find_case(session, self.ref)))
        self.notesChanged.emit()

    def leads(self) -> dict[int, Candidate] | None:
        """Discovery's ranking of the unattributed identifiers; None while it is worked out.

        Discovery reads every contact event, so the first call after a load starts
        it in a worker (a view's paint only asks); ``leadsChanged`` says when it is ready.
        """
        if self._leads is None and not self._ranking:
            self._start_discovery()
        return self._leads

    def _start_discovery(self) -> None:
        self._ranking = True
        task = Task(rank_leads, self.store, self.ref)
        task.signals.finished.connect(self._leads_ready)
        task.signals.failed.connect(lambda exc: self.message.emit(f"Discovery failed: {exc}"))
        self.runner.start(task)  # cancels a ranking of an older load still running

    def _leads_ready(self, leads: dict[int, Candidate]) -> None:
        self._leads = leads
        self.leadsChanged.emit()

    def changes_by_others(self, since: int) -> list[str]:
        """What changed in the case after audit entry ``since``, not through this store.

        The CLI or a second app under the same OS account counts too. Safe in a worker.
        """
        tz = zone(self.case.timezone)
        return [f"{change.describe()} at {change.at.astimezone(tz):%H:%M}"
                for change in changes_elsewhere(self.store, self.ref, since)]

    # -- anonymising ---------------------------------------------------------------------
    @property
    def anonymise(self) -> bool:
        return self._anonymise

    def set_anonymise(self, enabled: bool) -> None:
        if enabled == self._anonymise:
            return
        self._anonymise = enabled
        self.anonymiser = Anonymiser(self.case, enabled)
        relabel(self.timeline, self.case, self.anonymiser)
        self.anonymiseChanged.emit(enabled)

    def title(self) -> str:
        """The case as named in window titles."""
        return f"{self.case.ref} — {self.anonymiser.text(self.case.title)}"

    # -- selection -----------------------------------------------------------------------
    def select_event(self, event_id: int) -> None:
        self.selection = Selection(event_id, None, self.selection.time_range)
        self.eventSelected.emit(event_id)

    def select_marker(self, marker_id: int) -> None:
        self.selection = Selection(None, marker_id, self.selection.time_range)
        self.markerSelected.emit(marker_id)

    def select_range(self, time_range: tuple[int, int] | None) -> None:
        self.selection = Selection(self.selection.event, self.selection.marker, time_range)
        self.rangeSelected.emit(time_range)

    def marker(self, marker_id: int | None) -> Marker | None:
        return next((m for m in self.markers if m.id == marker_id), None)

    # -- reading one thing ---------------------------------------------------------------
    def event_details(self, event_id: int) -> dict[str, Any] | None:
        """One event's details, anonymised as the switch says."""
        with self.store.reader() as session:
            case = session.get(Case, self.case.id)
            anonymiser = Anonymiser(case, self._anonymise) if case else self.anonymiser
            return event_detail(session, case, event_id, anonymiser) if case else None

    def search(self, words: str) -> list[int]:
        """Find events by text, names and identifiers within the case's time range (if any);
        the results list follows. ``search_more`` says when more matched than are listed."""
        start, end = self.selection.time_range or (None, None)
        with self.store.reader() as session:
            case = session.get(Case, self.case.id)
            found = search_events(session, case, words, SEARCH_LIMIT + 1, start, end) if case else []
        self.search_more = len(found) > SEARCH_LIMIT
        found = found[:SEARCH_LIMIT]
        self.search_words, self.search_results = words, found
        self.searchResults.emit(found)
        return found

    # -- commands ------------------------------------------------------------------------
    def execute(self, command: Command) -> None:
        """Apply a core command; when the core accepts it, put it on the undo stack.

        A refusal (:class:`WorkbenchError`) reaches the caller and leaves the stack
        as it was. The views reload only what the command touched.
        """
        command.do(self.store)
        if command.undoable:
            self.undo_stack.push(UndoableCommand(command, self.store, self._command_changed))
        self._command_changed(command, command.description)

    def _command_changed(self, command: Command, message: str) -> None:
        # Reload only what the command touched: a review does not re-read a million events.
        if command.touches == {CASEWORK}:
            self.caseworkChanged.emit()
        elif command.touches == {MARKERS}:
            self.reload_markers()
        else:
            self.reload()
        self.message.emit(message)

    def assign(self, identifier_id: int, person_key: str | None, use: str | None = None) -> None:
        """Assign an identifier to a person (None: unattributed), as an undoable command."""
        ident = self.identifiers.get(identifier_id)
        person = self.case.person(person_key) if person_key else None
        shown = (f"{self.anonymiser.identifier(ident) if ident else f'identifier {identifier_id}'} "
                 f"to {self.anonymiser.person(person) if person else 'nobody'}")
        self.execute(AssignIdentifier(self.ref, identifier_id, person_key, use, shown=shown))

    def review(self, marker_id: int, accept: bool, reason: str) -> None:
        """Accept or dismiss a marker with a reason, as an undoable command (audited)."""
        self.execute(ReviewMarker(marker_id, accept, reason))
