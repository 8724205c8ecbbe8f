"""The single-case window: timeline in the centre, markers, details, people and search docked."""

from __future__ import annotations

import gc
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import shiboken6
from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, QThreadPool, QTimer, SignalInstance
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QIcon,
    QKeySequence,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from ui import theme
from ui.case_context import CaseContext
from ui.casework_docks import install_casework
from ui.details_panel import DetailsPanel
from ui.import_dialog import ImportDialog, dropped_paths
from ui.markers_panel import MarkersPanel
from ui.notes_panel import install_notes
from ui.people_panel import PeoplePanel
from ui.search_panel import SearchPanel
from ui.shared_docks import install_shared
from ui.steps import Steps
from ui.tasks import Task, TaskRunner
from ui.timeline import TimelineView
from ui.tooltips import tooltip
from ui.views_docks import install_views

APP_NAME = "Investigator Workbench"
LAYOUT_VERSION = 1


CHANGE_CHECK_MS = 5_000  # how often to look for changes made by others in a shared store

def icon(name: str) -> QIcon:
    """An icon from ``resources/icons`` (found without Qt, turned into a QIcon here)."""
    return QIcon(str(resources.files("resources").joinpath("icons", f"{name}.svg")))


class StackAction(QAction):
    """Undo or Redo: "&Undo Assign 07700 900014 to Daniel Marsh"."""

    def __init__(self, prefix: str, parent: QWidget) -> None:
        super().__init__(prefix, parent)
        self.prefix = prefix

    def name_after(self, command: str) -> None:
        self.setText(f"{self.prefix} {command}" if command else self.prefix)


class MainWindow(QMainWindow):
    """One window, one case."""

    def __init__(self, context: CaseContext, settings: QSettings | None = None) -> None:
        super().__init__()
        self.context = context
        self.settings = settings or QSettings("investigator-workbench", "workbench")
        self.runner = TaskRunner(self)  # an export
        self.analysis_runner = TaskRunner(self)
        self.building = Steps(self, finished=self._built)  # the steps that fill the window in
        self.setWindowIcon(icon("app"))
        self.setAcceptDrops(True)  # evidence files dropped on the window are imported
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks)

        self.timeline = TimelineView(context)
        self.setCentralWidget(self.timeline)
        self.markers: MarkersPanel
        self.details: DetailsPanel
        self.people: PeoplePanel
        self.search_results: SearchPanel
        self.docks = {
            "markers": self._dock("Escalation markers", "markersPanel", Qt.DockWidgetArea.BottomDockWidgetArea),
            "search": self._dock("Search results", "searchPanel", Qt.DockWidgetArea.BottomDockWidgetArea),
            "details": self._dock("Details", "detailsPanel", Qt.DockWidgetArea.RightDockWidgetArea),
            "people": self._dock("People, identifiers and exhibits", "peoplePanel",
                                 Qt.DockWidgetArea.RightDockWidgetArea),
        }
        self.tabifyDockWidget(self.docks["markers"], self.docks["search"])
        self.docks["markers"].raise_()
        self.splitDockWidget(self.docks["details"], self.docks["people"], Qt.Orientation.Vertical)
        self._default_state = self.saveState(LAYOUT_VERSION)

        self._build_actions()
        self._build_status_bar()
        context.anonymiseChanged.connect(self._anonymise_changed)
        context.changed.connect(self._update_title)
        context.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        context.refused.connect(self._refused)
        self._show_first_result = False  # a search typed in the box: show its first result
        context.searchResults.connect(self._search_done)
        context.busyChanged.connect(self._context_busy)
        self._update_title()
        # The other docks, then the saved layout. In the app one per turn of the event loop,
        # so the window is on screen at once and answers while it fills in.
        steps = [self._panel("markers", "markers", MarkersPanel),
                 self._panel("details", "details", DetailsPanel),
                 self._panel("people", "people", PeoplePanel),
                 self._panel("search_results", "search", SearchPanel),
                 lambda: install_casework(self, context),
                 lambda: setattr(self, "notes", install_notes(self, self.docks["details"], context)),
                 lambda: install_views(self, context), lambda: install_shared(self, context),
                 self._restore_docks]
        self._needs_default_sizes = False
        self._restore_geometry()
        if context.background:
            context.begin_work()
            for step in steps:
                self.building.add(step)
        else:
            for step in steps:
                step()

    def _panel(self, name: str, dock: str, panel: type[QWidget]) -> Callable[[], None]:
        """A step building one of the main docks' panels, kept as ``self.<name>``."""
        def build() -> None:
            widget = panel(self.context)  # type: ignore[call-arg]
            setattr(self, name, widget)
            self.docks[dock].setWidget(widget)
        return build

    def _built(self) -> None:
        # What the app has built by now (modules, Qt's wrappers, the window) lives as long
        # as it does: kept out of the garbage collector's full passes, each of which would
        # otherwise walk it all and hold the window for a tenth of a second.
        gc.freeze()
        self.context.end_work()

    def finish_building(self) -> None:
        """Build what is still to come at once (an action used while the window fills in)."""
        self.building.run_all()

    def _dock(self, title: str, name: str, area: Qt.DockWidgetArea) -> QDockWidget:
        """A main dock, its panel (``name``) built in a later step."""
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock_{name}")
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(area, dock)
        return dock

    # -- actions ------------------------------------------------------------------------
    def _action(self, text: str, slot, shortcut: str | QKeySequence.StandardKey | None = None,  # type: ignore[no-untyped-def]
                icon_name: str | None = None, tip: str = "", checkable: bool = False) -> QAction:
        action = QAction(text, self)
        if icon_name:
            action.setIcon(icon(icon_name))
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.setCheckable(checkable)
        shown_tip = tip or text.replace("…", "").replace("&", "")
        if shortcut:
            shown_tip += f" ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
        action.setToolTip(shown_tip)
        action.setStatusTip(shown_tip)
        if checkable:
            action.toggled.connect(lambda checked: (self.finish_building(), slot(checked)))
        elif slot is not None:
            # triggered(bool) would hand its False to a slot's first optional argument
            # (export_bundle took it for the file path): call the slot with none.
            action.triggered.connect(lambda _checked=False: (self.finish_building(), slot()))
        self.addAction(action)
        return action

    def _undo_action(self, prefix: str, step: Callable[[], None], keys: QKeySequence.StandardKey,
                     text_changed: SignalInstance, can_changed: SignalInstance) -> StackAction:
        """Undo or Redo, named after the command it would undo or redo (as Qt's own), but
        run through the context: pressed while a command is still being saved, it waits for
        it, so the user's last command is the one undone."""
        action = StackAction(prefix, self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)  # wherever focus is
        action.triggered.connect(lambda _checked=False: step())
        text_changed.connect(action.name_after)  # slots of the action: gone with it
        can_changed.connect(action.setEnabled)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        ctx = self.context
        self.import_action = self._action("&Import evidence…", self.open_import, "Ctrl+I", "import",
                                          "Import evidence files as exhibits")
        self.analyse_action = self._action("&Analyse", self.analyse, "Ctrl+R", "analyse",
                                           "Run the escalation rules over the case")
        self.export_action = self._action("&Export bundle…", self.export_bundle, "Ctrl+E", "export",
                                          "Export the evidential PDF bundle")
        self.anonymise_action = self._action("Anonymi&se", ctx.set_anonymise, "Ctrl+Shift+A",
                                             "anonymise", "Show ciphers instead of names everywhere",
                                             checkable=True)
        self.anonymise_action.setChecked(ctx.anonymise)
        self.presentation_action = self._action("&Presentation mode", None, "F5", "presentation")
        undo = self._undo_action("&Undo", ctx.undo, QKeySequence.StandardKey.Undo,
                                 ctx.undo_stack.undoTextChanged, ctx.undo_stack.canUndoChanged)
        redo = self._undo_action("&Redo", ctx.redo, QKeySequence.StandardKey.Redo,
                                 ctx.undo_stack.redoTextChanged, ctx.undo_stack.canRedoChanged)
        undo.name_after(ctx.undo_stack.undoText())  # as the stack is now
        redo.name_after(ctx.undo_stack.redoText())
        undo.setEnabled(ctx.undo_stack.canUndo())
        redo.setEnabled(ctx.undo_stack.canRedo())
        self.undo_action, self.redo_action = undo, redo
        fit = self._action("&Fit all", self.timeline.fit_all, "Ctrl+0", "fit", "Show the whole case")
        zoom_in = self._action("Zoom &in", lambda: self.timeline.zoom(1.5625), "Ctrl+=", "zoom_in")
        zoom_out = self._action("Zoom &out", lambda: self.timeline.zoom(0.64), "Ctrl+-", "zoom_out")
        find = self._action("&Find…", self.focus_search, QKeySequence.StandardKey.Find, "search")
        dark = self._action("&Dark theme", self.set_dark, "Ctrl+Shift+D", "theme", checkable=True)
        dark.setChecked(theme.current() == "dark")
        reset = self._action("&Reset layout", self.reset_layout)
        accept = self._action("&Accept marker…", lambda: self.markers.review(True), "Ctrl+Shift+Y")
        dismiss = self._action("&Dismiss marker…", lambda: self.markers.review(False), "Ctrl+Shift+N")
        quit_action = self._action("&Quit", self.close, QKeySequence.StandardKey.Quit)
        shortcuts = self._action("&Keyboard shortcuts", self.show_shortcuts, "F1")

        bar = self.menuBar()
        case_menu = bar.addMenu("&Case")
        for action in (self.import_action, self.export_action, None, quit_action):
            case_menu.addSeparator() if action is None else case_menu.addAction(action)
        edit_menu = bar.addMenu("&Edit")
        for action in (undo, redo, None, find):
            edit_menu.addSeparator() if action is None else edit_menu.addAction(action)
        view_menu = bar.addMenu("&View")
        for action in (fit, zoom_in, zoom_out, None, self.anonymise_action, dark,
                       self.presentation_action, None):
            view_menu.addSeparator() if action is None else view_menu.addAction(action)
        for dock in self.docks.values():
            view_menu.addAction(dock.toggleViewAction())
        view_menu.addAction(reset)
        analysis_menu = bar.addMenu("&Analysis")
        for action in (self.analyse_action, None, accept, dismiss):
            analysis_menu.addSeparator() if action is None else analysis_menu.addAction(action)
        bar.addMenu("&Help").addAction(shortcuts)

        tools = self.addToolBar("Main")
        tools.setObjectName("mainToolbar")
        tools.setIconSize(QSize(20, 20))
        tools.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for action in (self.import_action, self.analyse_action, self.export_action, None,
                       self.anonymise_action, self.presentation_action, None, fit, zoom_in, zoom_out):
            tools.addSeparator() if action is None else tools.addAction(action)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        tools.addWidget(spacer)
        self.search_box = QLineEdit()
        self.search_box.setObjectName("searchBox")
        self.search_box.setPlaceholderText("Search messages, names, numbers  (Ctrl+F)")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setMinimumWidth(200)
        self.search_box.returnPressed.connect(self.run_search)
        tools.addWidget(self.search_box)
        self.classification = QLabel()
        self.classification.setObjectName("classification")
        tools.addWidget(self.classification)

    def _check_external_changes(self) -> None:
        """Ask, in a worker, whether the case changed elsewhere (never blocks the GUI)."""
        if self._change_check is not None and not self._change_check.done:
            return
        if self.context.busy:  # our own read or command is landing: ask once it has
            return
        since = self._change_since = self.context.audit_seen
        task = Task(lambda progress, cancel: self.context.changes_by_others(since))
        # A bound slot, not a lambda: Qt drops it if the window is gone when the check ends.
        task.signals.finished.connect(self._show_external_changes)
        self._change_check = task
        QThreadPool.globalInstance().start(task)

    def _show_external_changes(self, changes: list[str]) -> None:
        if not shiboken6.isValid(self.changed_elsewhere):
            return  # the window closed while the worker was asking
        if self._change_since != self.context.audit_seen or self.context.busy:
            return  # reloaded (or reloading) meanwhile: the next check asks again
        self.changed_elsewhere.setVisible(bool(changes))
        if changes:
            self.changed_elsewhere.setText(f"Changed elsewhere ({len(changes)}) – reload")
            self.changed_elsewhere.setToolTip(tooltip(*changes[-10:]))

    def _reload_after_external_change(self) -> None:
        self.context.reload()
        self.changed_elsewhere.setVisible(False)

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.anonymised_badge = QLabel("ANONYMISED")
        self.anonymised_badge.setObjectName("anonymisedBadge")
        self.counts = QLabel()
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(False)
        self.reading = QProgressBar()  # the case being read or written in a worker
        self.reading.setObjectName("caseBusy")
        self.reading.setRange(0, 0)
        self.reading.setMaximumWidth(80)
        self.reading.setTextVisible(False)
        self.reading.setToolTip("Reading or saving the case…")
        self.reading.setVisible(self.context.busy)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel_jobs)
        # A shared store can change under us (another investigator imports or reviews):
        # check every few seconds and offer to reload rather than reloading mid-task.
        self.changed_elsewhere = QPushButton()
        self.changed_elsewhere.setObjectName("changedElsewhere")
        self.changed_elsewhere.setVisible(False)
        self.changed_elsewhere.clicked.connect(self._reload_after_external_change)
        self._change_check: Task | None = None
        self._change_since = 0
        self.change_watch = QTimer(self)
        self.change_watch.setInterval(CHANGE_CHECK_MS)
        self.change_watch.timeout.connect(self._check_external_changes)
        self.change_watch.start()
        for widget in (self.changed_elsewhere, self.anonymised_badge, self.counts, self.reading,
                       self.progress, self.cancel_button):
            status.addPermanentWidget(widget)
        # The marking at the bottom as well as the top, as on every page of a document.
        self.classification_bottom = QLabel()
        self.classification_bottom.setObjectName("classification")
        status.addPermanentWidget(self.classification_bottom)
        self._set_busy(False)
        status.showMessage("Wheel: zoom · drag: pan · Shift+drag: select a time range · "
                           "click: details · Home: fit all", 15000)

    def _refused(self, what: str, why: str) -> None:
        """A command the core refused in a worker: nothing changed, nothing to undo."""
        self.statusBar().showMessage(f"Not done: {what}", 8000)
        QMessageBox.warning(self, "Not done", f"{what}: not done.\n\n{why}")

    def _context_busy(self, busy: bool) -> None:
        self.reading.setVisible(busy)

    def _anonymise_changed(self, enabled: bool) -> None:
        if enabled:
            self.search_box.clear()  # what was typed may be a name
        self.anonymise_action.setChecked(enabled)
        self._update_title()

    def _update_title(self) -> None:
        ctx = self.context
        suffix = " [ANONYMISED]" if ctx.anonymise else ""
        self.setWindowTitle(f"{ctx.title()} — {APP_NAME}{suffix}")
        self.anonymised_badge.setVisible(ctx.anonymise)
        self.classification.setText(ctx.case.classification)
        self.classification_bottom.setText(ctx.case.classification)
        data = ctx.timeline
        open_markers = sum(m.status == "open" for m in ctx.markers)
        events = f"{data.count:,} events" if ctx.events_loaded else "reading the events…"
        self.counts.setText(f"{events} · {len(data.lanes)} lanes · "
                            f"{len(ctx.markers)} markers ({open_markers} open) · "
                            f"{len(ctx.case.exhibits)} exhibits")

    # -- commands ---------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt API
        if dropped_paths(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt API
        """Evidence files dropped on the window open the import dialog with them."""
        paths = dropped_paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.open_import(paths)

    def open_import(self, paths: list[Path] | None = None) -> ImportDialog:
        dialog = ImportDialog(self.context, paths, self)
        dialog.analyseRequested.connect(self.analyse)
        dialog.open()
        return dialog

    def _run(self, label: str, runner: TaskRunner, function, *args, on_done=None, **kwargs) -> Task:  # type: ignore[no-untyped-def]
        """Run a long job (an analysis, an export) on its own runner, with the progress bar
        and Cancel: an export asked for during an analysis runs beside it, and the bar stays
        while either is running."""
        task = Task(function, *args, **kwargs)
        task.signals.progress.connect(self._progress)
        task.signals.finished.connect(lambda result: self._done(f"{label}: done", on_done, result))
        task.signals.failed.connect(lambda exc: self._failed(label, exc))
        task.signals.cancelled.connect(lambda: self._done(f"{label}: cancelled", None, None))
        self._set_busy(True)
        self.statusBar().showMessage(f"{label}…")
        return runner.start(task)

    def analyse(self) -> Task | None:
        from workbench.analysis import run_analysis

        return self._run("Analysis", self.analysis_runner, run_analysis, self.context.store,
                         self.context.ref,
                         on_done=lambda _r: self.context.reload())

    def export_bundle(self, path: str | None = None) -> Task | None:
        # reportlab and matplotlib load on first export, not at start-up.
        from workbench.bundle.export import export_bundle as export

        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self, "Export evidential bundle", f"{self.context.ref}-bundle.pdf", "PDF (*.pdf)")
        if not path:
            return None
        return self._run("Bundle export", self.runner, export, self.context.store, self.context.ref, path,
                         anonymise=True if self.context.anonymise else None)

    def _progress(self, fraction: float, message: str) -> None:
        self.progress.setValue(int(fraction * 1000))
        self.statusBar().showMessage(message)

    def _done(self, message: str, on_done, result) -> None:  # type: ignore[no-untyped-def]
        self._set_busy(self._jobs_running())
        if on_done is not None:
            on_done(result)
        self.statusBar().showMessage(message, 8000)

    def _failed(self, label: str, exc: BaseException) -> None:
        self._set_busy(self._jobs_running())
        self.statusBar().showMessage(f"{label} failed", 8000)
        QMessageBox.warning(self, f"{label} failed", str(exc))

    def _jobs_running(self) -> bool:
        return self.runner.running or self.analysis_runner.running

    def cancel_jobs(self) -> None:
        self.runner.cancel()
        self.analysis_runner.cancel()

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        if not busy:
            self.progress.setValue(0)

    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def run_search(self) -> None:
        """Search (in a worker, in the app); the first result is shown when they arrive."""
        self._show_first_result = True
        self.docks["search"].show()
        self.docks["search"].raise_()
        self.context.search(self.search_box.text())

    def _search_done(self, found: list[int]) -> None:
        if found and not self.context.search_words:  # listed from a marker, a cell…
            self.docks["search"].show()
            self.docks["search"].raise_()
        if self._show_first_result and found:
            self.context.select_event(found[0])
        self._show_first_result = False

    def set_dark(self, dark: bool) -> None:
        name = "dark" if dark else "light"
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply(app, name)
        self.settings.setValue("theme", name)
        self.timeline.set_theme(name)
        self.details.refresh()

    def show_shortcuts(self) -> None:
        QMessageBox.information(self, "Keyboard shortcuts", (
            "Timeline: wheel or +/− zoom around the cursor; drag or ←/→ pan; Shift+drag selects a "
            "time range (Esc clears); Home or Ctrl+0 fits everything; Page Up/Down scroll lanes.\n"
            "Ctrl+I import · Ctrl+R analyse · Ctrl+E export bundle · Ctrl+F search · "
            "Ctrl+Shift+A anonymise · Ctrl+Shift+Y/N accept/dismiss marker · Ctrl+Z/Ctrl+Shift+Z "
            "undo/redo · Ctrl+Shift+D dark theme · F5 presentation mode (there: ←/→ step, S summary, "
            "C chart, N names, Esc return) · Ctrl+Shift+K link chart as main view · Ctrl+Shift+T "
            "time range (its chip's ✕ clears it) · F1 this list."))

    # -- layout memory ------------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1500, 940)

    def _restore_docks(self) -> None:
        """The saved dock layout (once every dock exists), else the first-run sizes."""
        state = self.settings.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state, LAYOUT_VERSION)
        elif self.isVisible():
            self._default_sizes()
        else:
            self._needs_default_sizes = True

    def _default_sizes(self) -> None:
        """Dock sizes for a first run (they only take once the window is laid out)."""
        self.resizeDocks([self.docks["details"]], [int(self.width() * 0.3)], Qt.Orientation.Horizontal)
        self.resizeDocks([self.docks["details"], self.docks["people"]],
                         [int(self.height() * 0.55), int(self.height() * 0.35)], Qt.Orientation.Vertical)
        self.resizeDocks([self.docks["markers"]], [int(self.height() * 0.3)], Qt.Orientation.Vertical)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if self._needs_default_sizes:
            self._needs_default_sizes = False
            self._default_sizes()

    def reset_layout(self) -> None:
        self.restoreState(self._default_state, LAYOUT_VERSION)
        for dock in self.docks.values():
            dock.show()
        self._default_sizes()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState(LAYOUT_VERSION))
        self.settings.setValue("last_case", self.context.ref)
        for runner in (self.runner, self.analysis_runner, self.context.runner, self.context.reader):
            runner.cancel()
        self.change_watch.stop()
        # A command still being saved is finished, never cut off: no lost work.
        QThreadPool.globalInstance().waitForDone()
        super().closeEvent(event)
