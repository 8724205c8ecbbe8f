"""One open case, without Qt: what the views show, read together and refreshed by part.

The app's :class:`~ui.case_context.CaseContext` adapts a :class:`CaseSession`
(in the spirit of napari's ``_qt/containers``): the session holds the view data
(the case and its people, the timeline arrays, the current markers, the
unattributed identifiers, the case work) and answers the views' questions;
changes are core commands (:mod:`workbench.commands`).

Reading is split from applying so that the slow part runs in a worker: the
``read_*`` functions open their own database session and return a snapshot; the
owner of the :class:`CaseSession` (the GUI thread in the app) applies it. A
command's ``touches`` says which part to read again (:func:`read_part`).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from workbench import audit, worker_process
from workbench.analysis.freshness import evidence_changed_since_analysis
from workbench.anonymise import Anonymiser
from workbench.casework.decisions import DecisionEntry, list_decisions
from workbench.casework.enquiries import EnquiryLine, lines_of_enquiry
from workbench.casework.intel import ComplaintRow, IntelRow, list_complaints, list_intel
from workbench.change_watch import changes_elsewhere
from workbench.commands import CASEWORK, MARKERS, AssignIdentifier, Command, ReviewMarker
from workbench.conversation import RecordLine, conversation_around
from workbench.model import Case, Exhibit, Identifier, Marker, Person
from workbench.overview import unresolved_identifiers
from workbench.store import Store
from workbench.store.queries import current_markers, find_case
from workbench.timeline import (
    SEARCH_LIMIT,
    EventRows,
    MarkerSpan,
    StretchesDisagree,
    TimelineData,
    empty_timeline,
    event_detail,
    event_snippets,
    joined,
    load_marker_spans,
    load_timeline,
    no_events,
    read_event_rows,
    relabel,
    search_events,
)
from workbench.timeutil import zone

Progress = Callable[[float, str], None]


@dataclass
class Casework:
    """Decisions, lines of enquiry, intelligence and complaints, as the panels list them."""

    decisions: list[DecisionEntry] = field(default_factory=list)
    enquiries: list[EnquiryLine] = field(default_factory=list)
    intel: list[IntelRow] = field(default_factory=list)
    complaints: list[ComplaintRow] = field(default_factory=list)


@dataclass
class MarkerState:
    """The current markers, their timeline spans, and whether the evidence moved on since."""

    markers: list[Marker]
    spans: list[MarkerSpan]
    out_of_date: str | None  # what changed since the last analysis
    audit_seen: int
    _by_id: dict[int, MarkerSpan] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id = {span.id: span for span in self.spans}

    def span(self, marker_id: int) -> MarkerSpan | None:
        """The marker as the timeline flags it, with its supporting records (None until
        they are read: a background open reads them with the events)."""
        return self._by_id.get(marker_id)


@dataclass
class SearchResult:
    """A search's events (ids in time order), whether more matched, and each one's snippet."""

    words: str
    event_ids: list[int]
    more: bool
    texts: dict[int, str]


@dataclass
class CaseSnapshot:
    """Everything the views show of one case, read in one go (in a worker, in the app)."""

    case: Case
    timeline: TimelineData
    markers: MarkerState
    unresolved: list[dict[str, Any]]
    casework: Casework
    events_loaded: bool  # False for the quick first read that opens the window


def opening(ref: str, anonymise: bool) -> CaseSnapshot:
    """What a window shows of a case before anything is read: its reference and nothing
    else (the app's window opens at once on this, and fills in as the reads arrive)."""
    case = Case(ref=ref, title="", classification="", timezone="UTC", people=[], identifiers=[],
                places=[], engagements=[], exhibits=[])
    return CaseSnapshot(case, no_events("UTC", anonymise), MarkerState([], [], None, 0), [],
                        Casework(), False)


def _read_case_row(session: Any, ref: str) -> Case:
    case = session.scalars(
        select(Case).where(Case.id == find_case(session, ref).id).options(
            selectinload(Case.people).selectinload(Person.identifiers),
            selectinload(Case.identifiers).selectinload(Identifier.person),
            selectinload(Case.engagements),
            selectinload(Case.places),
            selectinload(Case.exhibits).selectinload(Exhibit.continuity),
        )).one()
    for engagement in case.engagements:
        _ = engagement.member, engagement.officer
    return case


def _marker_state(session: Any, case: Case, spans: list[MarkerSpan]) -> MarkerState:
    return MarkerState(current_markers(session, case), spans,
                       evidence_changed_since_analysis(session, case),
                       audit.head_sequence(session, case.ref))


EVENT_STRETCHES = worker_process.PROCESSES  # an offloaded read: one stretch of events per process


def read_event_stretch(store: Store, ref: str, part: int, parts: int) -> EventRows:
    """The ``part``-th of ``parts`` stretches of the case's events, in time order: the
    slow part of a read, divided so that worker processes read it side by side."""
    with store.reader() as session:
        return read_event_rows(session, find_case(session, ref).id, part, parts)


def read_spans(store: Store, ref: str) -> list[MarkerSpan]:
    """The current markers' spans with their supporting records (after a review)."""
    with store.reader() as session:
        return load_marker_spans(session, find_case(session, ref))


Offload = Callable[[Callable[..., Any]], Callable[..., Any]]


def as_is(read: Callable[..., Any]) -> Callable[..., Any]:
    """The default :data:`Offload`: a heavy read runs where it is called."""
    return read


def read_case(store: Store, ref: str, anonymise: bool, *, events: bool = True,
              offload: Offload = as_is, progress: Progress | None = None,
              cancel: Any = None) -> CaseSnapshot:
    """The whole case as the views show it. ``events=False``: everything but the events
    and the markers' supporting records (the timeline is empty, nothing is unattributed
    yet and no marker is flagged on it): quick even on a huge case. ``offload`` says
    where the heavy reads run (the app: in a worker process, see
    :mod:`workbench.worker_process`)."""
    report = progress or (lambda _fraction, _message: None)
    with ThreadPoolExecutor(EVENT_STRETCHES + 1, thread_name_prefix="reads") as beside:
        if events:
            report(0.1, "Reading the events…")
            rows, spans = _event_rows(store, ref, offload, beside)
        report(0.8, "Reading the markers and the case work…")
        with store.reader() as session:
            case = _read_case_row(session, ref)
            anonymiser = Anonymiser(case, anonymise)
            if not events:
                timeline, unresolved = empty_timeline(session, case, anonymiser), []
            else:
                timeline = load_timeline(session, case, anonymiser, markers=[], rows=rows)
                timeline.index_events()  # here, where the case is read, not at the first click
                unresolved = unresolved_identifiers(session, case, timeline.identifier_events)
                timeline.markers = spans.result()  # read meanwhile
            markers = _marker_state(session, case, timeline.markers)
            session.expunge_all()
    casework = read_casework(store, ref)
    report(1.0, "Case read")
    return CaseSnapshot(case, timeline, markers, unresolved, casework, events)


def _event_rows(store: Store, ref: str, offload: Offload,
                beside: ThreadPoolExecutor) -> tuple[EventRows, Future[list[MarkerSpan]]]:
    """The case's events as read, and the current markers' spans, still being read (on
    ``beside``) when offloaded: the events are then read in ``EVENT_STRETCHES`` stretches
    side by side, then the spans (two worker processes), and the stretches joined here."""
    if offload is as_is:
        spans: Future[list[MarkerSpan]] = Future()
        spans.set_result(read_spans(store, ref))
        return read_event_stretch(store, ref, 0, 1), spans
    read_stretch = offload(read_event_stretch)
    stretches = [beside.submit(read_stretch, store, ref, part, EVENT_STRETCHES)
                 for part in range(EVENT_STRETCHES)]
    spans = beside.submit(offload(read_spans), store, ref)
    try:
        rows = joined([stretch.result() for stretch in stretches])
    except StretchesDisagree:  # an import saved between their reads: read it whole
        rows = read_stretch(store, ref, 0, 1)
    return rows, spans


def read_markers(store: Store, ref: str, offload: Offload = as_is) -> MarkerState:
    """The markers alone (after a review): the events are not read again."""
    spans = offload(read_spans)(store, ref)
    with store.reader() as session:
        state = _marker_state(session, find_case(session, ref), spans)
        session.expunge_all()
    return state


def read_casework(store: Store, ref: str) -> Casework:
    """The case work alone (after a decision, an enquiry or intelligence changed)."""
    return Casework(list_decisions(store, ref), lines_of_enquiry(store, ref),
                    list_intel(store, ref), list_complaints(store, ref))


def read_part(store: Store, ref: str, anonymise: bool, touched: frozenset[str],
              **worker: Any) -> CaseSnapshot | MarkerState | Casework:
    """What to read again after a command that changed ``touched``: the least that covers it."""
    if touched == {CASEWORK}:
        return read_casework(store, ref)
    if touched == {MARKERS}:
        return read_markers(store, ref, worker.get("offload", as_is))
    return read_case(store, ref, anonymise, **worker)


class CaseSession:
    """One open case: its view data, the anonymise switch, queries and commands."""

    def __init__(self, store: Store, ref: str, anonymise: bool = False,
                 snapshot: CaseSnapshot | None = None) -> None:
        self.store = store
        self.ref = ref
        self._anonymise = anonymise
        self.case: Case
        self.anonymiser: Anonymiser
        self.timeline: TimelineData
        self.marker_state: MarkerState
        self.unresolved: list[dict[str, Any]]
        self.casework: Casework
        self.events_loaded: bool
        self.identifiers: dict[int, Identifier]
        self.apply(snapshot or read_case(store, ref, anonymise))

    # -- applying what was read ----------------------------------------------------------
    def apply(self, read: CaseSnapshot | MarkerState | Casework) -> None:
        """Take in a snapshot, or one part of the case read again."""
        if isinstance(read, MarkerState):
            self.marker_state = read
            self.timeline.markers = read.spans
        elif isinstance(read, Casework):
            self.casework = read
        else:
            self.case = read.case
            self.anonymiser = Anonymiser(read.case, self._anonymise)
            if self._anonymise != read.timeline.anonymised:  # switched while it was read
                relabel(read.timeline, read.case, self.anonymiser)
            self.timeline = read.timeline
            self.marker_state = read.markers
            self.unresolved = read.unresolved
            self.casework = read.casework
            self.events_loaded = read.events_loaded
            self.identifiers = {i.id: i for i in read.case.identifiers}

    @property
    def markers(self) -> list[Marker]:
        return self.marker_state.markers

    @property
    def markers_out_of_date(self) -> str | None:
        return self.marker_state.out_of_date

    @property
    def audit_seen(self) -> int:
        return self.marker_state.audit_seen

    # -- anonymising ---------------------------------------------------------------------
    @property
    def anonymise(self) -> bool:
        return self._anonymise

    def set_anonymise(self, enabled: bool) -> bool:
        """Switch names for ciphers everywhere; False when it was already so."""
        if enabled == self._anonymise:
            return False
        self._anonymise = enabled
        self.anonymiser = Anonymiser(self.case, enabled)
        relabel(self.timeline, self.case, self.anonymiser)
        return True

    def title(self) -> str:
        """The case as named in window titles."""
        return f"{self.case.ref} — {self.anonymiser.text(self.case.title)}"

    # -- questions -----------------------------------------------------------------------
    def marker(self, marker_id: int | None) -> Marker | None:
        return next((m for m in self.markers if m.id == marker_id), None)

    def supporting_events(self, marker_id: int) -> tuple[int, ...]:
        """The ids of the events behind a marker, in the rule's order (none until read)."""
        span = self.marker_state.span(marker_id)
        return span.evidence if span else ()

    def event_details(self, event_id: int) -> dict[str, Any] | None:
        """One event's details, anonymised as the switch says."""
        with self.store.reader() as session:
            case = session.get(Case, self.case.id)
            return event_detail(session, case, event_id, self.anonymiser) if case else None

    def record(self, event_id: int) -> tuple[dict[str, Any] | None, list[RecordLine]]:
        """What the details panel shows of one event: its details and the conversation
        around it, in one read with the session's anonymiser (safe in a worker)."""
        with self.store.reader() as session:
            case = session.get(Case, self.case.id)
            detail = event_detail(session, case, event_id, self.anonymiser) if case else None
            if case is None or detail is None:
                return None, []
            return detail, conversation_around(session, case, event_id, self.anonymiser)

    def search(self, words: str, time_range: tuple[int, int] | None) -> SearchResult:
        """Events whose text, names or identifiers contain ``words``, within the range if
        given, in time order: at most SEARCH_LIMIT, with what a results list shows of each.
        Safe in a worker."""
        start, end = time_range or (None, None)
        anonymiser = self.anonymiser
        with self.store.reader() as session:
            case = session.get(Case, self.case.id)
            found = search_events(session, case, words, SEARCH_LIMIT + 1, start, end) if case else []
            listed = found[:SEARCH_LIMIT]
            return SearchResult(words, listed, len(found) > SEARCH_LIMIT,
                                event_snippets(session, listed, anonymiser))

    def snippets(self, event_ids: list[int]) -> dict[int, str]:
        """What a results list shows of each event (records chosen elsewhere than search)."""
        with self.store.reader() as session:
            return event_snippets(session, event_ids, self.anonymiser)

    def changes_by_others(self, since: int) -> list[str]:
        """What changed in the case after audit entry ``since``, not through this store.

        The CLI or a second app under the same OS account counts too. Safe in a worker.
        """
        tz = zone(self.case.timezone)
        return [f"{change.describe()} at {change.at.astimezone(tz):%H:%M}"
                for change in changes_elsewhere(self.store, self.ref, since)]

    # -- commands ------------------------------------------------------------------------
    def assign_command(self, identifier_id: int, person_key: str | None,
                       use: str | None = None) -> Command:
        """Give an identifier to a person (None: unattributed), described as shown."""
        ident = self.identifiers.get(identifier_id)
        person = self.case.person(person_key) if person_key else None
        shown = (f"{self.anonymiser.identifier(ident) if ident else f'identifier {identifier_id}'} "
                 f"to {self.anonymiser.person(person) if person else 'nobody'}")
        return AssignIdentifier(self.ref, identifier_id, person_key, use, shown=shown)

    def review_command(self, marker_id: int, accept: bool, reason: str) -> Command:
        """Accept or dismiss a marker with a reason (audited)."""
        return ReviewMarker(marker_id, accept, reason)
