"""Notes, tags and a bookmark on the selected event or marker (a pocket notebook), and
whether the event's parties also appear in other cases (asked in a worker).

Every change is a new version in the store (the old one is kept) and an audit
entry; this widget only shows and issues commands (workbench.shared.notes).
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.case_context import CaseContext
from ui.tasks import Task, TaskRunner
from workbench.errors import WorkbenchError
from workbench.shared import hits, notes


class NotesPanel(QWidget):
    def __init__(self, context: CaseContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setObjectName("notesPanel")
        self.hits = QLabel()
        self.hits.setWordWrap(True)
        self.hits.setObjectName("crossCaseHits")
        self.hits.setVisible(False)
        self.hits_runner = TaskRunner(self)
        self.list = QTreeWidget()  # a one-column list (QListWidget's model hides columnCount)
        self.list.setHeaderHidden(True)
        self.list.setRootIsDecorated(False)
        self.list.setAccessibleName("Notes, tags and bookmarks")
        self.list.setWordWrap(True)
        self.list.currentItemChanged.connect(self._picked)
        self.editor = QPlainTextEdit()
        self.editor.setPlaceholderText("Write a note on the selected event or marker")
        self.editor.setMaximumHeight(70)
        self.add_button = QPushButton("Add note")
        self.add_button.clicked.connect(self.add_note)
        self.edit_button = QPushButton("Save as new version")
        self.edit_button.setToolTip("The selected note gets this text; the earlier version is kept")
        self.edit_button.clicked.connect(self.edit_note)
        self.tags = QComboBox()
        self.tag_button = QPushButton("Tag / untag")
        self.tag_button.clicked.connect(lambda: self.mark("tag", self.tags.currentText()))
        self.bookmark_button = QPushButton("Bookmark")
        self.bookmark_button.setCheckable(True)
        self.bookmark_button.clicked.connect(lambda: self.mark("bookmark", ""))
        buttons = QHBoxLayout()
        for widget in (self.add_button, self.edit_button, self.tags, self.tag_button,
                       self.bookmark_button):
            buttons.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.hits)
        layout.addWidget(self.list)
        layout.addWidget(self.editor)
        layout.addLayout(buttons)
        context.eventSelected.connect(lambda _id: self.refresh())
        context.markerSelected.connect(lambda _id: self.refresh())
        context.changed.connect(self.refresh)
        context.anonymiseChanged.connect(lambda _on: self.refresh())
        self.refresh()

    def target(self) -> tuple[str, int] | None:
        selection = self.context.selection
        if selection.marker is not None:
            return "marker", selection.marker
        if selection.event is not None:
            return "event", selection.event
        return None

    def refresh(self) -> None:
        self.list.clear()
        target = self.target()
        for widget in (self.editor, self.add_button, self.tags, self.tag_button, self.bookmark_button):
            widget.setEnabled(target is not None)
        self.edit_button.setEnabled(False)
        if self.tags.count() == 0:
            self.tags.addItems(notes.case_vocabulary(self.context.store, self.context.ref))
        self._look_elsewhere(target)
        if target is None:
            self._line("Select an event or a marker to see and add its notes.")
            return
        found = notes.notes_on(self.context.store, self.context.ref, *target)
        self.bookmark_button.setChecked(any(n["kind"] == "bookmark" for n in found))
        for note in found:
            shown = self.context.anonymiser.text(note["text"])  # projected at a conference
            label = {"note": shown, "tag": f"Tag: {shown}",
                     "bookmark": "Bookmarked"}[note["kind"]]
            edited = f", version {note['version']}" if note["version"] > 1 else ""
            item = self._line(f"{label}\n    {note['author']}, {note['at'][:16]} UTC{edited}")
            item.setData(0, Qt.ItemDataRole.UserRole, note)
        if not found:
            self._line("No notes yet.")

    def _look_elsewhere(self, target: tuple[str, int] | None) -> None:
        """Whether the event's parties are in other cases: asked in a worker."""
        self.hits.setVisible(False)
        if target is None or target[0] != "event":
            self.hits_runner.cancel()
            return
        task = Task(hits.hits_for_event, self.context.store, self.context.ref, target[1])
        task.signals.finished.connect(self._found_elsewhere)
        self.hits_runner.start(task)

    def _found_elsewhere(self, lines: list[str]) -> None:
        current = self.hits_runner.current
        if not shiboken6.isValid(self) or current is None or self.sender() is not current.signals:
            return  # closed meanwhile, or another record was selected since
        self.hits.setText("\n".join(lines))
        self.hits.setVisible(bool(lines))

    def _line(self, text: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem([text])
        self.list.addTopLevelItem(item)
        return item

    def _picked(self, item: QTreeWidgetItem | None) -> None:
        note = item.data(0, Qt.ItemDataRole.UserRole) if item else None
        self.edit_button.setEnabled(bool(note) and note["kind"] == "note"
                                    and not self.context.anonymise)
        if note and note["kind"] == "note" and not self.context.anonymise:
            self.editor.setPlainText(note["text"])

    def _run(self, action, done: str) -> None:  # type: ignore[no-untyped-def]
        try:
            action()
        except WorkbenchError as exc:
            self.context.message.emit(str(exc))
            return
        self.context.message.emit(done)
        self.context.reload_notes()  # the timeline's flags follow; the events stay loaded
        self.refresh()

    def add_note(self) -> None:
        target, text = self.target(), self.editor.toPlainText()
        if target is not None:
            self._run(lambda: notes.add_note_on(self.context.store, self.context.ref, *target, text),
                      "Note added (and audited)")
            self.editor.clear()

    def edit_note(self) -> None:
        item = self.list.currentItem()
        note = item.data(0, Qt.ItemDataRole.UserRole) if item else None
        if note:
            self._run(lambda: notes.edit_note_in(self.context.store, self.context.ref, note["id"],
                                                 self.editor.toPlainText()),
                      "Note saved as a new version; the earlier one is kept")

    def mark(self, kind: str, tag: str) -> None:
        target = self.target()
        if target is None:
            return
        on = (self.bookmark_button.isChecked() if kind == "bookmark"
              else not any(n["kind"] == "tag" and n["text"] == tag
                           for n in notes.notes_on(self.context.store, self.context.ref, *target)))
        self._run(lambda: notes.mark_on(self.context.store, self.context.ref, *target, kind, on, tag),
                  f"{'Added' if on else 'Removed'} {kind} {tag}".strip())


def install_notes(window: QMainWindow, details_dock: QDockWidget, context: CaseContext) -> NotesPanel:
    """A "Notes" dock under the details panel."""
    panel = NotesPanel(context)
    dock = QDockWidget("Notes, tags and bookmarks", window)
    dock.setObjectName("dock_notesPanel")
    dock.setWidget(panel)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    window.splitDockWidget(details_dock, dock, Qt.Orientation.Vertical)
    return panel
