"""The open case as the views see it: the core objects, the selection and the undo stack.

Every view is given the one :class:`CaseContext` and reads the case through it;
none keeps its own copy of domain data. Changes go through core commands
(import, review, assign), after which the context reloads and says ``changed``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from workbench import audit
from workbench.analysis.freshness import evidence_changed_since_analysis
from workbench.anonymise import Anonymiser
from workbench.change_watch import changes_elsewhere
from workbench.discover import Candidate, discover
from workbench.identities import assign_identifier
from workbench.ingest.pipeline import find_case
from workbench.model import Case, Exhibit, Identifier, Marker, Person
from workbench.overview import unresolved_identifiers
from workbench.store import Store
from workbench.timeline import (
    TimelineData,
    event_detail,
    load_timeline,
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
        self.case: Case
        self.anonymiser: Anonymiser
        self.timeline: TimelineData
        self.markers: list[Marker] = []
        self.unresolved: list[dict[str, Any]] = []
        self.identifiers: dict[int, Identifier] = {}
        self.markers_out_of_date: str | None = None  # what changed since the last analysis
        self.search_words = ""
        self.search_results: list[int] = []
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
            self.markers = list(session.scalars(
                select(Marker).where(Marker.case_id == case.id, Marker.current.is_(True))
                .options(selectinload(Marker.evidence), selectinload(Marker.subject),
                         selectinload(Marker.member))
                .order_by(Marker.start, Marker.id)))
            self.unresolved = unresolved_identifiers(session, case)
            self.markers_out_of_date = evidence_changed_since_analysis(session, case)
            self._leads: dict[int, Candidate] | None = None
            self.identifiers = {i.id: i for i in case.identifiers}
            self.audit_seen = audit.head_sequence(session, self.ref)
            session.expunge_all()
        if emit:
            self.changed.emit()

    def leads(self) -> dict[int, Candidate]:
        """Discovery's ranking of the unattributed identifiers (computed when first asked)."""
        if self._leads is None:
            with self.store.reader() as session:
                ranked = discover(session, find_case(session, self.ref))
            self._leads = {candidate.identifier_id: candidate for candidate in ranked}
        return self._leads

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
        """Find events by text, names and identifiers; the results list follows."""
        with self.store.reader() as session:
            case = session.get(Case, self.case.id)
            found = search_events(session, case, words) if case else []
        self.search_words, self.search_results = words, found
        self.searchResults.emit(found)
        return found

    # -- commands ------------------------------------------------------------------------
    def assign(self, identifier_id: int, person_key: str | None, use: str | None = None) -> None:
        """Assign an identifier to a person, as an undoable command."""
        self.undo_stack.push(AssignIdentifier(self, identifier_id, person_key, use))

    def review(self, marker_id: int, accept: bool, reason: str) -> None:
        """Accept or dismiss a marker with a reason, through the core (audited)."""
        from workbench.analysis import review_marker  # noqa: PLC0415 - optional module

        review_marker(self.store, marker_id, accept=accept, reason=reason)
        self.reload()


class AssignIdentifier(QUndoCommand):
    """Give an identifier to a person; undo gives it back to whoever had it."""

    def __init__(self, context: CaseContext, identifier_id: int, person_key: str | None,
                 use: str | None) -> None:
        person = context.case.person(person_key) if person_key else None
        shown = context.anonymiser.person(person) if person else "nobody"
        super().__init__(f"Assign identifier to {shown}")
        self.context, self.identifier_id, self.person_key, self.use = (
            context, identifier_id, person_key, use)
        self.previous: tuple[str | None, str] | None = None

    def redo(self) -> None:
        before = assign_identifier(self.context.store, self.context.ref, self.identifier_id,
                                   self.person_key, self.use)
        self.previous = (before.person_key, before.use)
        self.context.reload()

    def undo(self) -> None:
        if self.previous is None:
            return
        assign_identifier(self.context.store, self.context.ref, self.identifier_id, *self.previous)
        self.context.reload()
