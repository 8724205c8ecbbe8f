"""The open case as the views see it: a Qt adapter over the core :class:`CaseSession`.

Every view is given the one :class:`CaseContext` and reads the case through it
(``context.case``, ``context.timeline``, ``context.markers`` ... are the
session's); none keeps its own copy of domain data. Changes go through core
commands, after which the context reads again what the command touched and says
``changed`` (or ``caseworkChanged``).

A context opened for the app (``background=True``) never reads or writes the
store on the GUI thread: the window opens on the case without its events, the
events arrive from a worker (``loaded``), and commands, undo and redo run one
after another in a worker. Without it (scripts and most tests) all of that
happens at once, in the caller's thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from ui.tasks import Task, TaskRunner
from ui.undo import UndoableCommand
from workbench import worker_process
from workbench.anonymise import Anonymiser
from workbench.commands import CASEWORK, EVIDENCE, MARKERS, Command
from workbench.discover import Candidate, rank_leads
from workbench.errors import WorkbenchError
from workbench.model import Case, Identifier, Marker
from workbench.session import (
    EVENT_STRETCHES,
    CaseSession,
    CaseSnapshot,
    Casework,
    MarkerState,
    SearchResult,
    opening,
    read_case,
    read_event_stretch,
    read_part,
)
from workbench.store import Store
from workbench.timeline import EventRows, TimelineData, read_noted
from workbench.worker_process import elsewhere


@dataclass(frozen=True)
class Selection:
    event: int | None = None
    marker: int | None = None
    time_range: tuple[int, int] | None = None


EVERYTHING = frozenset({EVIDENCE, MARKERS, CASEWORK})


class CaseContext(QObject):
    """One open case: the core session, the selection and the undo stack."""

    changed = Signal()  # the case's content changed: views reload from the context
    loaded = Signal()  # the events have been read (a background open)
    leadsChanged = Signal()  # noqa: N815 - discovery's ranking is ready
    caseworkChanged = Signal()  # noqa: N815 - only decisions, enquiries or intelligence changed
    notesChanged = Signal()  # noqa: N815 - only notes, tags or bookmarks changed (timeline flags)
    anonymiseChanged = Signal(bool)  # noqa: N815 - Qt signal naming
    eventSelected = Signal(int)  # noqa: N815
    markerSelected = Signal(int)  # noqa: N815
    rangeSelected = Signal(object)  # noqa: N815 - (start, end) epoch seconds, or None
    searchResults = Signal(list)  # noqa: N815
    busyChanged = Signal(bool)  # noqa: N815 - reading or a command running in a worker
    refused = Signal(str, str)  # (what, why): a command the core refused, in a worker
    message = Signal(str)
    writesSettled = Signal()  # noqa: N815 - no command waiting or being saved

    def __init__(self, store: Store, ref: str, anonymise: bool = False,
                 parent: QObject | None = None, *, background: bool = False,
                 snapshot: CaseSnapshot | None = None) -> None:
        super().__init__(parent)
        self.background = background
        # In the background nothing is read here: the window opens on the reference alone,
        # then fills in from a quick read (the case, its people and markers), then the events.
        # (``snapshot``: the case already read, in a worker, by whoever opens this context.)
        self.session = CaseSession(store, ref, anonymise, snapshot or (
            opening(ref, anonymise) if background else read_case(store, ref, anonymise)))
        self.selection = Selection()
        self.undo_stack = QUndoStack(self)
        self.runner = TaskRunner(self)  # discovery's ranking
        self.reader = TaskRunner(self)  # reading the case again: a newer read cancels an older
        self.writer = TaskRunner(self)  # commands, one at a time, in the order given
        self.searcher = TaskRunner(self)  # the search being run
        self._queue: list[tuple[Callable[[], Any], Callable[[Any], None], Callable[[Exception], None]]] = []
        self._after_writes: list[Callable[[], None]] = []  # undo and redo asked while saving
        self._working = 0  # worker tasks whose result the GUI thread has not yet taken in
        self._leads: dict[int, Candidate] | None = None
        self._ranking = False  # discovery started for the current load
        self.search_words = ""
        self.search_results: list[int] = []
        self.search_more = False  # more matched than SEARCH_LIMIT
        self.search_texts: dict[int, str] = {}  # what the results list shows of each
        # The events are read in the worker processes from the start, a stretch each,
        # while the quick read and the window's first steps go on here (the first full
        # read takes them up).
        self._events_ahead = {part: worker_process.submit(read_event_stretch, store, ref, part, EVENT_STRETCHES)
                              for part in range(EVENT_STRETCHES)} if background else None
        self._unread: frozenset[str] = EVERYTHING if background else frozenset()  # read, not yet taken in
        if background:
            self._read(lambda **worker: read_case(store, ref, self.anonymise, events=False, **worker))

    # -- the session's view data -----------------------------------------------------------
    store: Store = property(lambda self: self.session.store)  # type: ignore[assignment]
    ref: str = property(lambda self: self.session.ref)  # type: ignore[assignment]
    case: Case = property(lambda self: self.session.case)  # type: ignore[assignment]
    anonymiser: Anonymiser = property(lambda self: self.session.anonymiser)  # type: ignore[assignment]
    timeline: TimelineData = property(lambda self: self.session.timeline)  # type: ignore[assignment]
    markers: list[Marker] = property(lambda self: self.session.markers)  # type: ignore[assignment]
    unresolved: list[dict[str, Any]] = property(lambda self: self.session.unresolved)  # type: ignore[assignment]
    identifiers: dict[int, Identifier] = property(lambda self: self.session.identifiers)  # type: ignore[assignment]
    casework: Casework = property(lambda self: self.session.casework)  # type: ignore[assignment]
    markers_out_of_date: str | None = property(  # type: ignore[assignment]
        lambda self: self.session.markers_out_of_date)
    audit_seen: int = property(lambda self: self.session.audit_seen)  # type: ignore[assignment]
    events_loaded: bool = property(lambda self: self.session.events_loaded)  # type: ignore[assignment]

    @property
    def busy(self) -> bool:
        """Reading, searching or writing in a worker, or a result not yet taken in (the
        bench and the tests wait for this to end, as a user waits for the status bar)."""
        return self._working > 0 or bool(self._queue)

    def begin_work(self) -> None:
        """Count work the window does in steps (filling in its docks) as busy, until
        :meth:`end_work`."""
        self._working += 1
        self.busyChanged.emit(True)

    def end_work(self) -> None:
        self._working -= 1
        self.busyChanged.emit(self.busy)

    def in_worker(self, runner: TaskRunner, function: Callable[..., Any],
                   done: Callable[[Any], None] | None,
                   failed: Callable[[Exception], None] | None = None) -> Task:
        """Run ``function(progress=..., cancel=...)`` on ``runner``, counted as busy until its
        result is taken in; ``done`` (or ``failed``) gets it on the GUI thread, unless a newer
        task of the runner has replaced it meanwhile."""
        task = Task(function)
        self._working += 1

        def finish(handler: Callable[[Any], None] | None, value: Any) -> None:
            try:
                if handler is not None and runner.current is task:
                    handler(value)
            finally:
                self._working -= 1
                self.busyChanged.emit(self.busy)

        task.signals.finished.connect(lambda result: finish(done, result))
        task.signals.failed.connect(lambda exc: finish(failed, exc))
        task.signals.cancelled.connect(lambda: finish(None, None))
        runner.start(task)
        self.busyChanged.emit(True)
        return task

    def heavy(self, read: Callable[..., Any]) -> Callable[..., Any]:
        """A slow read of the case, ``read(store, ...)``, as this context runs it: in the
        background, in a worker process (:mod:`workbench.worker_process`), so that the
        window never waits for it; otherwise as it is."""
        return elsewhere(read) if self.background else read

    # -- reading -----------------------------------------------------------------------------
    def reload(self, emit: bool = True) -> None:
        """Read the whole case again (after a change) and tell the views."""
        self._read_part(EVERYTHING, emit)

    def _read_part(self, touched: frozenset[str], emit: bool = True) -> None:
        if self.background:
            # A newer read replaces the one in flight: it must cover what that one would
            # have, and the events while they have not arrived yet.
            touched = EVERYTHING if not self.events_loaded else touched | self._unread
            self._unread = touched

        def read(**worker: Any) -> CaseSnapshot | MarkerState | Casework:
            worker["offload"] = self.heavy
            return read_part(self.store, self.ref, self.anonymise, touched, **worker)

        if self.background:
            self._read(read)
        else:
            self._take(read(), emit)

    def _read(self, read: Callable[..., Any]) -> None:
        # Progress is shown by the busy indicator, not in the status bar's message, which
        # keeps saying what the user's last action did.
        self.in_worker(self.reader, read, self._take, lambda exc: self.message.emit(
            f"Could not read the case: {exc}"))

    def _take(self, read: CaseSnapshot | MarkerState | Casework, emit: bool = True) -> None:
        self._unread = frozenset()
        self.session.apply(read)
        if isinstance(read, Casework):
            if emit:
                self.caseworkChanged.emit()
            return
        if isinstance(read, CaseSnapshot):
            self.runner.cancel()  # a ranking of the old load is out of date
            self._leads, self._ranking = None, False
        if emit:
            self.changed.emit()
        if isinstance(read, CaseSnapshot) and self.background:
            if read.events_loaded:
                self.loaded.emit()
            else:  # the quick first read is in: now the events, read since the case opened
                self._read_opened_events()

    def _read_opened_events(self) -> None:
        ahead, self._events_ahead = self._events_ahead, None
        if ahead is None:
            self.reload()
            return

        def read_stretch(store: Store, ref: str, part: int, parts: int) -> EventRows:
            ahead_read = ahead.pop(part, None)  # each read ahead is taken once; then afresh
            if ahead_read is not None and parts == EVENT_STRETCHES:
                return ahead_read.result()
            return self.heavy(read_event_stretch)(store, ref, part, parts)

        def offload(read: Callable[..., Any]) -> Callable[..., Any]:
            return read_stretch if read is read_event_stretch else self.heavy(read)

        self._read(lambda **worker: read_case(self.store, self.ref, self.anonymise,
                                              offload=offload, **worker))

    def reload_notes(self) -> None:
        """Read again which events and markers carry notes (after a note), not the events;
        the timeline's flags follow (``notesChanged``)."""
        timeline = self.timeline

        def take(noted: tuple[Any, list[int]]) -> None:
            timeline.set_noted(*noted)
            self.notesChanged.emit()

        if self.background:
            self._enqueue(lambda: read_noted(self.store, self.ref, timeline), take,
                          lambda exc: self.message.emit(f"Could not read the notes: {exc}"))
        else:
            take(read_noted(self.store, self.ref, timeline))

    def leads(self) -> dict[int, Candidate] | None:
        """Discovery's ranking of the unattributed identifiers; None while it is worked out.

        Discovery reads every contact event, so the first call after a load starts
        it in a worker (a view's paint only asks); ``leadsChanged`` says when it is ready.
        """
        if self._leads is None and not self._ranking and self.events_loaded:
            self._start_discovery()
        return self._leads

    def _start_discovery(self) -> None:
        self._ranking = True
        task = Task(self.heavy(rank_leads), self.store, self.ref)
        task.signals.finished.connect(self._leads_ready)
        task.signals.failed.connect(lambda exc: self.message.emit(f"Discovery failed: {exc}"))
        self.runner.start(task)  # cancels a ranking of an older load still running

    def _leads_ready(self, leads: dict[int, Candidate]) -> None:
        self._leads = leads
        self.leadsChanged.emit()

    def changes_by_others(self, since: int) -> list[str]:
        """What changed in the case after audit entry ``since``, not through this store."""
        return self.session.changes_by_others(since)

    # -- anonymising ---------------------------------------------------------------------
    @property
    def anonymise(self) -> bool:
        return self.session.anonymise

    def set_anonymise(self, enabled: bool) -> None:
        if not self.session.set_anonymise(enabled):
            return
        # The results' texts were read under the old switch: none is shown until read again.
        self.search_texts = {}
        self.anonymiseChanged.emit(enabled)
        if self.search_words:
            self.search(self.search_words)
        elif self.search_results:
            self.list_records(self.search_results)

    def title(self) -> str:
        """The case as named in window titles."""
        return self.session.title()

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
        return self.session.marker(marker_id)

    # -- reading one thing ---------------------------------------------------------------
    def event_details(self, event_id: int) -> dict[str, Any] | None:
        """One event's details, anonymised as the switch says."""
        return self.session.event_details(event_id)

    def search(self, words: str) -> list[int]:
        """Find events by text, names and identifiers within the case's time range (if any);
        the results list follows (``searchResults``). ``search_more`` says when more matched
        than are listed. In the background the search runs in a worker and this returns
        no ids: they arrive with ``searchResults``; a newer search cancels an older one."""
        time_range = self.selection.time_range
        if not self.background:
            return self._searched(self.session.search(words, time_range))
        self.in_worker(self.searcher, lambda **_worker: self.session.search(words, time_range),
                        self._searched, lambda exc: self.message.emit(f"Search failed: {exc}"))
        return []

    def _searched(self, result: SearchResult) -> list[int]:
        self.search_words, self.search_results = result.words, result.event_ids
        self.search_more, self.search_texts = result.more, result.texts
        self.searchResults.emit(result.event_ids)
        return result.event_ids

    def list_records(self, event_ids: list[int]) -> None:
        """List records chosen elsewhere (a matrix cell, a chart link, a marker's records)
        in the results; in the background their texts are read in a worker."""
        ids = list(event_ids)

        def read(**_worker: Any) -> SearchResult:
            return SearchResult("", ids, False, self.session.snippets(ids))

        if not self.background:
            self._searched(read())
        else:
            self.in_worker(self.searcher, read, self._searched,
                            lambda exc: self.message.emit(f"Could not list the records: {exc}"))

    # -- commands ------------------------------------------------------------------------
    def execute(self, command: Command, *, wait: bool = False) -> None:
        """Apply a core command; when the core accepts it, put it on the undo stack.

        At once (``wait`` or not a background context), a refusal
        (:class:`WorkbenchError`) reaches the caller: a dialog can then stay open
        with the reason. In the background, a refusal is reported by ``refused``.
        Either way a refused command leaves the stack as it was, and the views
        reload only what the command touched.
        """
        def accepted(_result: object = None) -> None:
            if command.undoable:
                self.undo_stack.push(UndoableCommand(command, self._perform))
            self._command_changed(command, command.description)

        if wait or not self.background:
            if self.background and self._writing():  # saved after what was asked before it
                settled = QEventLoop()
                self.writesSettled.connect(settled.quit)
                settled.exec()
                self.writesSettled.disconnect(settled.quit)
            command.do(self.store)
            accepted()
        else:
            self._enqueue(lambda: command.do(self.store), accepted,
                          lambda exc: self.refused.emit(command.description, str(exc)))

    def undo(self) -> None:
        """Undo the last command, once those still being saved are in: the user's last
        command is the one undone (the app's Undo action and Ctrl+Z come here)."""
        self._when_written(self.undo_stack.undo)

    def redo(self) -> None:
        self._when_written(self.undo_stack.redo)

    def _when_written(self, step: Callable[[], None]) -> None:
        if self.background and self._writing():
            self._after_writes.append(step)
        else:
            step()

    def _perform(self, command: Command, undo: bool) -> None:
        """Undo or redo a command from the stack (Qt has already moved the stack)."""
        step, done = (command.undo, "Undone") if undo else (command.do, "Redone")

        def failed(exc: Exception) -> None:
            # The stack moved before the core refused: it no longer matches the case.
            # Cleared once Qt's undo call has returned (it is still using the command).
            QTimer.singleShot(0, self.undo_stack.clear)
            self._command_changed(command, f"Could not {done.lower()[:-2]} "
                                           f"“{command.description}”: {exc}. The undo history "
                                           "was cleared, as it no longer matches the case.")

        def finished(_result: object = None) -> None:
            self._command_changed(command, f"{done}: {command.description}")

        if not self.background:
            try:
                step(self.store)
            except WorkbenchError as exc:
                failed(exc)
                return
            finished()
        else:
            self._enqueue(lambda: step(self.store), finished, failed)

    def _enqueue(self, work: Callable[[], Any], done: Callable[[Any], None],
                 failed: Callable[[Exception], None]) -> None:
        self._queue.append((work, done, failed))
        self.busyChanged.emit(True)
        if not self.writer.running:
            self._next_command()

    def _writing(self) -> bool:
        """A command (or an undo or redo) waiting or being saved."""
        return bool(self._queue) or self.writer.running

    def _next_command(self) -> None:
        """Start the oldest command waiting; each starts when the one before has ended."""
        if self.writer.running:
            return
        if not self._queue:
            while self._after_writes and not self._writing():
                self._after_writes.pop(0)()
            if not self._writing():
                self.writesSettled.emit()
            return
        work, done, failed = self._queue.pop(0)

        def then(handler: Callable[[Any], None]) -> Callable[[Any], None]:
            def handle(value: Any) -> None:
                handler(value)
                self._next_command()
            return handle

        self.in_worker(self.writer, lambda **_worker: work(), then(done), then(failed))

    def _command_changed(self, command: Command, message: str) -> None:
        self._read_part(command.touches)
        self.message.emit(message)

    def assign(self, identifier_id: int, person_key: str | None, use: str | None = None) -> None:
        """Assign an identifier to a person (None: unattributed), as an undoable command."""
        self.execute(self.session.assign_command(identifier_id, person_key, use))

    def review(self, marker_id: int, accept: bool, reason: str) -> None:
        """Accept or dismiss a marker with a reason, as an undoable command (audited)."""
        self.execute(self.session.review_command(marker_id, accept, reason))
