"""Importing evidence files from the app: pick, check the detected kind, run in a worker.

Each file is imported all-or-nothing by the core pipeline; a refused file shows
its reason (file, position, why) and the others still go in. Cancel stops the
file being imported, which then leaves nothing behind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.case_context import CaseContext
from ui.columns_dialog import ColumnsDialog
from ui.owner_dialog import OwnerDialog
from ui.table_model import HeaderedTableModel
from ui.tasks import Task, TaskRunner
from ui.tooltips import tooltip
from workbench import investigator
from workbench.errors import ImportRefused
from workbench.ingest import registry
from workbench.ingest.batch import BatchFile, import_batch
from workbench.ingest.pipeline import ImportResult
from workbench.model import Exhibit
from workbench.store import Store
from workbench.tasks import CancelToken, Progress

Index = QModelIndex | QPersistentModelIndex
DISPLAY = Qt.ItemDataRole.DisplayRole


class ImportState(Enum):
    """Where a chosen file is: waiting to be imported, refused (fix and retry), or imported."""

    READY = "Ready"
    REFUSED = "Refused"
    IMPORTED = "Imported"


@dataclass
class PendingImport:
    """One chosen file and the options it will be imported with (dialog state)."""

    path: Path
    kind: str | None
    detected: str  # what detection said, shown to the user
    owner: str | None = None
    tz: str | None = None
    state: ImportState = ImportState.READY
    outcome: str = ""  # once imported: the exhibit and its record count, as shown
    mapping: dict[str, str] = field(default_factory=dict)  # field -> header, as --map
    shown: str = ""  # how the File column names it (default: the file name)
    description: str = ""  # the exhibit's description (default: the kind and file name)
    reference: str = ""  # the exhibit reference on its label (default: the producer's next)
    replace: str = ""  # reading an exhibit again: why (the CLI's --replace)
    name: str = ""  # the original file name, when ``path`` is the exhibit store's copy
    group: str = ""  # the folder it was found in: a folder's files are imported all or none

    @property
    def display(self) -> str:
        """How the dialog names the file."""
        return self.shown or self.name or self.path.name

    @property
    def status(self) -> str:
        """The Status column: the state, and what an import made."""
        return f"Imported as {self.outcome}" if self.state is ImportState.IMPORTED else self.state.value


def detect(path: Path) -> tuple[str | None, str]:
    """The detected importer kind for a file, or None with the reason."""
    try:
        importer = registry.detect(path)
    except ImportRefused as exc:
        return None, exc.reason
    return importer.kind, importer.label


def dropped_paths(mime: QMimeData) -> list[Path]:
    """The local files and folders in a drag from the file manager."""
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


def import_pending(store: Store, ref: str, files: list[PendingImport], producer: str, *,
                   progress: Progress, cancel: CancelToken) -> list[ImportResult | ImportRefused]:
    """The pending files through the core's batch import (a folder's files all or none)."""
    return import_batch(store, ref, [
        BatchFile(item.path, item.kind, item.display, item.group, {
            "owner": item.owner, "producer": producer, "tz": item.tz, "mapping": item.mapping,
            "description": item.description, "exhibit_ref": item.reference or None,
            "replace": item.replace or None, "name": item.name or None})
        for item in files], progress=progress, cancel=cancel)


def warnings_text(result: ImportResult, file_name: str, shown: int = 8) -> str:
    """What the importer noticed about a file, for the person who imported it."""
    lines = [f"{result.exhibit} ({file_name}) — please check:"]
    lines += [f"• {warning}" for warning in result.warnings[:shown]]
    if len(result.warnings) > shown:
        lines.append(f"• … and {len(result.warnings) - shown} more, kept with the exhibit")
    return "\n".join(lines)


class PendingModel(HeaderedTableModel):
    HEADERS = ("File", "Detected as", "Owner", "Timezone", "Status")

    def __init__(self, files: list[PendingImport]) -> None:
        super().__init__()
        self.files = files
        self._rows = len(files)

    def changed(self) -> None:
        """Show the files' current state; the selected row stays selected unless rows were added."""
        if self._rows == len(self.files):
            if self.files:
                self.dataChanged.emit(self.index(0, 0),
                                      self.index(len(self.files) - 1, len(self.HEADERS) - 1))
            return
        self.beginResetModel()
        self._rows = len(self.files)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.files)

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid() or role not in (DISPLAY, Qt.ItemDataRole.ToolTipRole):
            return None
        item = self.files[index.row()]
        detected = item.detected if item.kind else f"Unknown: {item.detected}"
        if item.replace:
            detected += ", read again"
        if item.mapping:
            detected += f" ({len(item.mapping)} column{'s' if len(item.mapping) > 1 else ''} chosen)"
        shown = (item.display, detected,
                 item.owner or "—", item.tz or "case timezone", item.status)[index.column()]
        return shown if role == DISPLAY else tooltip(shown)


class ImportDialog(QDialog):
    """Pick files, review how each will be imported, import them with progress."""

    analyseRequested = Signal()  # noqa: N815 - Qt signal naming; "Analyse now" after imports

    def __init__(self, context: CaseContext, paths: list[Path] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(f"Import evidence into {context.ref}")
        self.files: list[PendingImport] = []
        self.model = PendingModel(self.files)
        self.runner = TaskRunner(self)
        self.results: list[ImportResult | ImportRefused] = []
        self.owner_dialogs: list[OwnerDialog] = []  # asked after a chat export's import

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_options())

        self.kind = QComboBox()
        self.kind.addItem("Detect automatically", None)
        for kind, importer in registry.importers().items():
            self.kind.addItem(importer.label, kind)
        self.owner = QComboBox()
        self.owner.addItem("Not a device or account export", None)
        for person in context.case.people:
            # A person with two phones needs the one the export came from (--owner KEY:VALUE).
            name = context.anonymiser.person(person)
            self.owner.addItem(name, person.key)
            for ident in person.identifiers:
                if ident.kind == "police_record":
                    continue  # a record about someone, never the source of an export
                use = f" ({ident.use})" if ident.use in ("work", "personal") else ""
                self.owner.addItem(f"    {name}: {ident.kind.replace('_', ' ')} "
                                   f"{context.anonymiser.identifier(ident)}{use}",
                                   f"{person.key}:{ident.value}")
        self.tz = QLineEdit()
        self.tz.setPlaceholderText(f"{context.case.timezone} (the case timezone)")
        self.producer = QLineEdit(str(investigator.profile() or ""))
        for widget in (self.kind, self.owner):
            widget.currentIndexChanged.connect(self._options_changed)
        self.description = QLineEdit()
        self.description.setPlaceholderText("e.g. Itemised billing for 07700 900101, served by the "
                                            "provider on 01/03/2021")
        self.reference = QLineEdit()
        self.reference.setPlaceholderText("the producer's next, e.g. JB/3")
        for line in (self.tz, self.description, self.reference):
            line.editingFinished.connect(self._options_changed)

        self.columns_button = QPushButton("Columns…")
        self.columns_button.setToolTip("Say which column holds what, when the headers are not "
                                       "recognised (CSV and Excel files)")
        self.columns_button.clicked.connect(self.choose_columns)
        self.add_button = QPushButton("Add files…")
        self.add_button.clicked.connect(self.pick_files)
        self.add_folder_button = QPushButton("Add folder…")
        self.add_folder_button.setToolTip("An export folder: each Messenger/Instagram "
                                          "message_N.json and WhatsApp chat export in it "
                                          "becomes an exhibit")
        self.add_folder_button.clicked.connect(self.pick_folder)
        self.import_button = QPushButton("Import")
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.start)
        self.cancel_button = QPushButton("Cancel import")
        self.cancel_button.clicked.connect(self.runner.cancel)
        self.analyse_button = QPushButton("Analyse now")
        self.analyse_button.setToolTip("Run the escalation rules again: the markers are out of "
                                       "date once evidence is imported")
        self.analyse_button.clicked.connect(self._analyse_now)
        self.analyse_button.hide()
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.reject)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.status = QLabel("Add the evidence files to import. Each becomes an exhibit.")
        self.status.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        self.notes = QLabel()  # the importers' warnings, kept with each exhibit too
        self.notes.setObjectName("notes")
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.PlainText)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notes.hide()

        form = QFormLayout()
        kind_row = QHBoxLayout()
        kind_row.addWidget(self.kind, 1)
        kind_row.addWidget(self.columns_button)
        form.addRow("Kind", kind_row)
        form.addRow("Whose device or account", self.owner)
        form.addRow("Source timezone", self.tz)
        form.addRow("Exhibit description", self.description)
        form.addRow("Exhibit reference", self.reference)
        form.addRow("Produced by", self.producer)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.add_folder_button)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.analyse_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        layout.addWidget(self.notes)
        layout.addLayout(buttons)
        self.resize(780, 600)
        self._set_running(False)
        self.setAcceptDrops(True)  # files and folders dragged from the file manager
        if paths:
            self.add_paths(paths)

    # -- choosing files -----------------------------------------------------------------
    def pick_files(self) -> None:
        names, _filter = QFileDialog.getOpenFileNames(self, "Choose evidence files")
        self.add_files([Path(n) for n in names])

    def add_paths(self, paths: list[Path]) -> None:
        """Files as they are, folders as the export files in them."""
        for path in paths:
            if path.is_dir():
                self.add_folder(path)
            else:
                self.add_files([path])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt API
        if dropped_paths(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt API
        paths = dropped_paths(event.mimeData())
        if paths and not self.runner.running:
            event.acceptProposedAction()
            self.add_paths(paths)

    def read_again(self, exhibit: Exhibit, reason: str) -> None:
        """Queue an exhibit of the case to be read again from the store's copy, options to hand."""
        problem = self.context.store.files.check(exhibit.sha256)
        if problem:
            self._show_error(f"{exhibit.reference} cannot be read again: {problem} (see workbench verify)")
            return
        owner = next((p for p in self.context.case.people if p.id == exhibit.owner_id), None)
        item = PendingImport(self.context.store.files.path_for(exhibit.sha256), exhibit.kind,
                             registry.importers()[exhibit.kind].label,
                             owner=owner.key if owner else None, tz=exhibit.source_timezone,
                             shown=f"{exhibit.reference} ({exhibit.file_name})",
                             reference=exhibit.reference, replace=reason, name=exhibit.file_name)
        self.files.append(item)
        self.model.changed()
        self.table.selectRow(len(self.files) - 1)
        self._set_running(False)

    def pick_folder(self) -> None:
        name = QFileDialog.getExistingDirectory(self, "Choose an export folder")
        if name:
            self.add_folder(Path(name))

    def add_folder(self, folder: Path) -> None:
        """Add the export files in a folder (one exhibit each), or say why there are none."""
        try:
            found = registry.files_in(folder)
        except ImportRefused as exc:
            self._show_error(str(exc))
            return
        self.error.hide()
        # Every thread has a message_1.json: name each by its place in the folder.
        self.add_files([path for path, _kind in found],
                       [str(path.relative_to(folder)) for path, _kind in found],
                       group=str(folder),  # a folder is imported all or none
                       kinds=[kind for _path, kind in found])

    def add_files(self, paths: list[Path], shown: list[str] | None = None,
                  group: str = "", kinds: list[str | None] | None = None) -> None:
        for number, path in enumerate(paths):
            kind, detected = detect(path)
            if kind is None and kinds and kinds[number]:  # the folder's layout says what it is
                kind, detected = kinds[number], registry.importers()[kinds[number]].label
            self.files.append(PendingImport(path, kind, detected,
                                            shown=shown[number] if shown else "", group=group))
        self.model.changed()
        if self.files:
            self.table.selectRow(len(self.files) - 1)
        self._set_running(False)

    def current(self) -> PendingImport | None:
        row = self.table.currentIndex().row()
        return self.files[row] if 0 <= row < len(self.files) else None

    def _show_options(self) -> None:
        item = self.current()
        if item is None:
            return
        for widget, value in ((self.kind, item.kind), (self.owner, item.owner)):
            widget.blockSignals(True)
            widget.setCurrentIndex(max(widget.findData(value), 0))
            widget.blockSignals(False)
        self.tz.setText(item.tz or "")
        self.description.setText(item.description)
        self.reference.setText(item.reference)
        self._set_running(self.runner.running)
        needs_owner = bool(item.kind) and registry.importers()[item.kind].needs_owner
        self.owner.setToolTip("Required: say whose device or account this export came from"
                              if needs_owner else "Whose device or account, where it matters")

    def _options_changed(self) -> None:
        item = self.current()
        if item is None:
            return
        chosen = self.kind.currentData()
        if chosen:
            if chosen != item.kind:
                item.mapping = {}  # another importer reads other fields
            item.kind, item.detected = chosen, registry.importers()[chosen].label
        item.owner = self.owner.currentData()
        item.tz = self.tz.text().strip() or None
        item.description = self.description.text().strip()
        item.reference = self.reference.text().strip()
        self._retry(item)

    @staticmethod
    def _has_columns(item: PendingImport) -> bool:
        return bool(item.kind) and registry.importers()[item.kind].layout is not None

    def choose_columns(self) -> ColumnsDialog | None:
        """Open the column chooser for the selected file (window-modal; returned for tests)."""
        item = self.current()
        if item is None or not self._has_columns(item):
            return None
        try:
            dialog = ColumnsDialog(item.path, registry.importers()[str(item.kind)], item.mapping, self)
        except ImportRefused as exc:
            self._show_error(str(exc))
            return None
        dialog.accepted.connect(lambda: self._columns_chosen(item, dialog.mapping()))
        dialog.open()
        return dialog

    def _columns_chosen(self, item: PendingImport, mapping: dict[str, str]) -> None:
        item.mapping = mapping
        self._retry(item)

    def _retry(self, item: PendingImport) -> None:
        """After a change to a file's options: a refused file may be tried again."""
        if item.state is ImportState.REFUSED:
            item.state = ImportState.READY
        self.model.changed()
        self._set_running(False)

    # -- running ------------------------------------------------------------------------
    def start(self) -> Task | None:
        ready = [f for f in self.files if f.state is ImportState.READY]
        missing = [f.path.name for f in ready if f.kind is None]
        if not ready or missing:
            self._show_error("Choose the kind of: " + ", ".join(missing) if missing else "Nothing to import.")
            return None
        self.error.hide()
        task = Task(import_pending, self.context.store, self.context.ref, ready,
                    self.producer.text().strip() or investigator.current())
        task.signals.progress.connect(self._progress)
        task.signals.finished.connect(lambda outcomes, t=task, r=ready: self._finished(t, r, outcomes))
        task.signals.failed.connect(lambda exc: self._ended(f"Import failed: {exc}", error=True))
        task.signals.cancelled.connect(lambda: self._ended("Import cancelled: the file being "
                                                           "imported was not kept."))
        self._set_running(True)
        self.status.setText("Importing…")
        return self.runner.start(task)

    def _progress(self, fraction: float, message: str) -> None:
        self.progress.setValue(int(fraction * 1000))
        self.status.setText(message)

    def _finished(self, _task: Task, items: list[PendingImport], outcomes: list[Any]) -> None:
        self.results = outcomes
        refused = []
        notes = []
        for item, outcome in zip(items, outcomes, strict=False):
            if isinstance(outcome, ImportRefused):
                item.state = ImportState.REFUSED
                refused.append(str(outcome))
                continue
            warned = len(outcome.warnings)
            item.state = ImportState.IMPORTED
            item.outcome = (f"{outcome.exhibit} ({outcome.records:,} records"
                            + (f"; {warned} warning{'s' if warned > 1 else ''})" if warned else ")"))
            if warned:
                notes.append(warnings_text(outcome, item.display))
            if outcome.owner_attribution is not None and outcome.owner_attribution.needs_asking:
                self.owner_dialogs.append(OwnerDialog(self.context, outcome.exhibit,
                                                      outcome.owner_attribution, self))
        self.model.changed()
        self.notes.setText("\n\n".join(notes))
        self.notes.setVisible(bool(notes))
        self.context.reload()
        done = len(outcomes) - len(refused)
        self._ended(f"{done} file(s) imported." + (f" {len(refused)} refused." if refused else "")
                    + (" The markers are now out of date." if self.context.markers_out_of_date
                       else ""))
        self.analyse_button.setVisible(bool(self.context.markers_out_of_date))
        if refused:
            self._show_error("\n".join(refused))
        for dialog in self.owner_dialogs:
            dialog.open()

    def _analyse_now(self) -> None:
        self.analyseRequested.emit()
        self.accept()

    def _ended(self, message: str, error: bool = False) -> None:
        self._set_running(False)
        self.progress.setValue(self.progress.maximum() if not error else 0)
        self.status.setText(message)
        if error:
            self._show_error(message)

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def _set_running(self, running: bool) -> None:
        self.cancel_button.setEnabled(running)
        self.import_button.setEnabled(not running and any(f.state is ImportState.READY for f in self.files))
        self.add_button.setEnabled(not running)
        self.add_folder_button.setEnabled(not running)
        self.close_button.setEnabled(not running)
        item = self.current()
        self.columns_button.setEnabled(not running and item is not None and self._has_columns(item))

    def reject(self) -> None:
        if self.runner.running:
            return  # Cancel first: closing mid-import would leave the worker unseen
        super().reject()
