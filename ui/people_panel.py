"""People (by role) and their identifiers, unattributed identifiers, and the exhibits."""

from __future__ import annotations

import html
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ui import formatting
from ui.case_context import CaseContext
from ui.import_dialog import ImportDialog
from ui.table_model import HeaderedTableModel, fit_columns
from ui.tooltips import tooltip
from workbench.commands import WithdrawExhibit
from workbench.errors import WorkbenchError
from workbench.evidence.exhibits import is_withdrawn
from workbench.model import Exhibit, Identifier, Person
from workbench.model.vocab import ROLES, USES

Index = QModelIndex | QPersistentModelIndex
DISPLAY = Qt.ItemDataRole.DisplayRole
ID_ROLE = Qt.ItemDataRole.UserRole + 1


class _Reset:
    """Reset the model whenever the case or the anonymise switch changes."""

    def _follow(self, context: CaseContext) -> None:
        context.changed.connect(self._reset)
        context.anonymiseChanged.connect(lambda _on: self._reset())

    def _reset(self) -> None:
        self.beginResetModel()  # type: ignore[attr-defined]
        self.endResetModel()  # type: ignore[attr-defined]


class PeopleModel(_Reset, QAbstractItemModel):
    """People sorted by role; each person's identifiers are its children."""

    HEADERS = ("Person / identifier", "Role / use", "Details")

    def __init__(self, context: CaseContext) -> None:
        super().__init__()
        self.context = context
        self._sorted: list[Person] = []
        self._sorted_for: object = None
        self._follow(context)

    def people(self) -> list[Person]:
        """The case's people in role order (sorted once per change: asked for every cell)."""
        case = self.context.case
        if self._sorted_for is not case:
            rank = {role: n for n, role in enumerate(ROLES)}
            self._sorted = sorted(case.people, key=lambda p: (rank.get(p.role, 9), p.id))
            self._sorted_for = case
        return self._sorted

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)  # a person: internal id 0
        return self.createIndex(row, column, parent.row() + 1)  # an identifier: its person + 1

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        if not parent.isValid():
            return len(self.context.case.people)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self.people()[parent.row()].identifiers)
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return len(self.HEADERS)  # a tree: children have the same columns

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:  # noqa: N802
        return self.HEADERS[section] if orientation == Qt.Orientation.Horizontal and role == DISPLAY else None

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid() or role not in (DISPLAY, Qt.ItemDataRole.ToolTipRole):
            return None
        anonymiser = self.context.anonymiser
        if index.internalId() == 0:
            person = self.people()[index.row()]
            collar = f" ({person.collar})" if person.collar and person.role == "subject" else ""
            vulnerabilities = ", ".join(formatting.words(v) for v in person.vulnerabilities or [])
            values = (anonymiser.person(person) + collar, formatting.sentence(person.role),
                      f"Vulnerability factors: {vulnerabilities}" if vulnerabilities else "")
        else:
            person = self.people()[index.internalId() - 1]
            ident = person.identifiers[index.row()]
            use = {"work": "Work", "personal": "Personal"}.get(ident.use, "Unknown use")
            values = (anonymiser.identifier(ident), use, formatting.sentence(ident.kind))
        shown = values[index.column()]
        return shown if role == DISPLAY else tooltip(shown)


class UnresolvedModel(_Reset, HeaderedTableModel):
    """Identifiers nobody has been assigned to, most contacted first, with discovery's lead score."""

    HEADERS = ("Identifier", "Kind", "Contacts", "Lead score")

    def __init__(self, context: CaseContext) -> None:
        super().__init__()
        self.context = context
        self._follow(context)
        context.leadsChanged.connect(lambda: self.dataChanged.emit(
            self.index(0, 3), self.index(max(self.rowCount() - 1, 0), 3)))

    def identifier(self, row: int) -> Identifier | None:
        return self.context.identifiers.get(self.context.unresolved[row]["id"])

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.context.unresolved)

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        row = self.context.unresolved[index.row()]
        if role == ID_ROLE:
            return row["id"]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() >= 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        leads = self.context.leads()
        if index.column() == 3 and leads is None:  # discovery still working in the background
            return "…" if role == DISPLAY else None
        lead = leads.get(row["id"]) if index.column() == 3 and leads else None
        if role == Qt.ItemDataRole.ToolTipRole and lead is not None:
            return tooltip("Ranked as a possible further member of the public (a lead to review, "
                           "not a finding):", *(f"• {reason}" for reason in lead.reasons))
        if role != DISPLAY:
            return None
        if index.column() == 3:
            return f"{lead.score:.2f}" if lead is not None else ""
        return (self.context.anonymiser.identifier(self.identifier(index.row())),
                formatting.sentence(row["kind"]), row["events"])[index.column()]


class ExhibitsModel(_Reset, HeaderedTableModel):
    """The case's exhibits with their hash and continuity."""

    HEADERS = ("Exhibit", "File", "Kind", "Records", "SHA-256", "Producer", "Continuity",
               "Importer warnings")

    def __init__(self, context: CaseContext) -> None:
        super().__init__()
        self.context = context
        self._follow(context)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.context.case.exhibits)

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid() or role not in (DISPLAY, Qt.ItemDataRole.ToolTipRole):
            return None
        exhibit = self.context.case.exhibits[index.row()]
        column = index.column()
        if column == 4:
            return tooltip(exhibit.sha256) if role != DISPLAY else exhibit.sha256[:16] + "…"
        if column == 7:
            warnings = [self.context.anonymiser.text(w)
                        for w in (exhibit.warnings or "").splitlines() if w]
            if role != DISPLAY:
                return tooltip(*warnings) or tooltip("None")
            return _first_warning(warnings)
        if role != DISPLAY:
            return tooltip(*self._continuity(exhibit)) or tooltip("No continuity entries")
        last = exhibit.continuity[-1] if exhibit.continuity else None
        records = "withdrawn" if is_withdrawn(exhibit) else f"{exhibit.record_count:,}"
        return (exhibit.reference, self.context.anonymiser.path(exhibit.file_name), exhibit.kind,
                records, None, exhibit.producer,
                f"{len(exhibit.continuity)} entries; last: {last.action}" if last else "none")[column]

    def _continuity(self, exhibit: Exhibit) -> list[str]:
        tz = ZoneInfo(self.context.case.timezone)
        return [f"{formatting.moment(c.at, tz)} — {c.action} by {c.by}: {self.context.anonymiser.text(c.note)}"
                for c in exhibit.continuity]


def _page(table: QWidget, *buttons: QPushButton) -> QWidget:
    """A tab page: the table, with its buttons under it on the right."""
    page = QWidget()
    column = QVBoxLayout(page)
    column.setContentsMargins(0, 0, 0, 0)
    column.addWidget(table)
    row = QHBoxLayout()
    row.addStretch(1)
    for button in buttons:
        row.addWidget(button)
    column.addLayout(row)
    return page


def _first_warning(warnings: list[str]) -> str:
    if not warnings:
        return "none"
    count = len(warnings)
    return f"{count} warning{'s' if count > 1 else ''}: {warnings[0]}"


class AssignDialog(QDialog):
    """Choose the person (and use) an unattributed identifier belongs to."""

    def __init__(self, context: CaseContext, shown: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Assign identifier")
        self.person = QComboBox()
        for person in context.case.people:
            self.person.addItem(f"{context.anonymiser.person(person)} — "
                                f"{formatting.sentence(person.role)}", person.key)
        self.use = QComboBox()
        for use in USES:
            self.use.addItem({"unknown": "Not known"}.get(use, use.capitalize()), use)
        self.use.setCurrentIndex(USES.index("unknown"))
        form = QFormLayout(self)
        form.addRow(QLabel(f"Who does <b>{html.escape(shown)}</b> belong to? Its events are re-linked; "
                           "this is recorded in the audit log and can be undone."))
        form.addRow("Person", self.person)
        form.addRow("Use", self.use)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class PeoplePanel(QWidget):
    """Tabs: people and identifiers, unattributed identifiers, exhibits."""

    def __init__(self, context: CaseContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setObjectName("peoplePanel")
        self.people_model = PeopleModel(context)
        self.unresolved_model = UnresolvedModel(context)
        self.exhibits_model = ExhibitsModel(context)

        self.people = QTreeView()
        self.people.setModel(self.people_model)
        self.people.setAlternatingRowColors(True)
        self.people.setWordWrap(True)
        self.people_model.modelReset.connect(self.people.expandAll)
        self.people.expandAll()
        fit_columns(self.people.header())

        self.unresolved = self._table(self.unresolved_model, fit=False)
        self.assign_button = QPushButton("Assign to person…")
        self.assign_button.setToolTip("Say who this identifier belongs to (undo with Ctrl+Z)")
        self.assign_button.clicked.connect(lambda: self.assign_selected())  # not clicked's False
        self.unresolved.doubleClicked.connect(lambda _index: self.assign_selected())
        unresolved_page = _page(self.unresolved, self.assign_button)

        self.exhibits = self._table(self.exhibits_model)
        self.read_again_button = QPushButton("Read again…")
        self.read_again_button.setToolTip("Read the selected exhibit again with other options (a wrong "
                                          "timezone, owner or columns), in place of its first reading")
        self.read_again_button.clicked.connect(lambda: self.read_again_selected())
        self.withdraw_button = QPushButton("Withdraw…")
        self.withdraw_button.setToolTip("Withdraw the selected exhibit, imported by mistake: it stays "
                                        "listed with the reason; what was read from it is removed")
        self.withdraw_button.clicked.connect(lambda: self.withdraw_selected())
        for button in (self.read_again_button, self.withdraw_button):
            button.setEnabled(False)
        self.exhibits.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._exhibit_chosen(current.row() if current.isValid() else -1))
        exhibits_page = _page(self.exhibits, self.withdraw_button, self.read_again_button)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.people, "People")
        self.tabs.addTab(unresolved_page, "Unattributed")
        self.tabs.addTab(exhibits_page, "Exhibits")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tabs)
        context.changed.connect(self._update_titles)
        self._update_titles()

    def _table(self, model: QAbstractTableModel, fit: bool = True) -> QTableView:
        table = QTableView()
        table.setModel(model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setAlternatingRowColors(True)
        table.verticalHeader().hide()
        if fit:  # fitting reads the first rows of the list
            fit_columns(table.horizontalHeader())
        else:
            table.horizontalHeader().resizeSection(0, 240)
        table.horizontalHeader().setStretchLastSection(True)
        return table

    def _update_titles(self) -> None:
        self.tabs.setTabText(1, f"Unattributed ({len(self.context.unresolved)})")
        self.tabs.setTabText(2, f"Exhibits ({len(self.context.case.exhibits)})")

    def _exhibit_chosen(self, row: int) -> None:
        exhibits = self.context.case.exhibits
        chosen = exhibits[row] if 0 <= row < len(exhibits) else None
        self.read_again_button.setEnabled(chosen is not None)
        self.withdraw_button.setEnabled(chosen is not None and not is_withdrawn(chosen))

    def _exhibit_and_reason(self, reason: str | None, title: str,
                            question: str) -> tuple[Exhibit, str] | None:
        """The selected exhibit and why (asked for unless given); None if either is missing."""
        index = self.exhibits.currentIndex()
        if not index.isValid():
            return None
        exhibit = self.context.case.exhibits[index.row()]
        if reason is None:
            reason, ok = QInputDialog.getText(
                self, title.format(ref=exhibit.reference),
                question.format(ref=exhibit.reference, file=exhibit.file_name))
            if not ok:
                return None
        return (exhibit, reason.strip()) if reason.strip() else None

    def withdraw_selected(self, reason: str | None = None) -> bool:
        """Withdraw the selected exhibit (asks why unless told); the views reload."""
        chosen = self._exhibit_and_reason(
            reason, "Withdraw {ref}", "Why is {ref} ({file}) withdrawn? It stays listed as received; "
            "its events, the marker evidence pointing at them and the numbers only it names are "
            "removed. Run the analysis again afterwards.")
        if chosen is None:
            return False
        try:
            self.context.execute(WithdrawExhibit(self.context.ref, chosen[0].reference, chosen[1]))
        except WorkbenchError as exc:
            QMessageBox.warning(self, "Withdraw exhibit", str(exc))
            return False
        return True

    def read_again_selected(self, reason: str | None = None) -> ImportDialog | None:
        """Open the import dialog to read the selected exhibit again (asks why unless told)."""
        chosen = self._exhibit_and_reason(
            reason, "Read {ref} again", "Why is {ref} ({file}) read again? Its events and the "
            "marker evidence pointing at them are replaced; the reason goes into its continuity "
            "and the audit log.")
        if chosen is None:
            return None
        dialog = ImportDialog(self.context, parent=self)
        dialog.read_again(*chosen)
        dialog.open()
        return dialog

    def assign_selected(self, person_key: str | None = None, use: str | None = None) -> bool:
        """Assign the selected unattributed identifier (asks whom unless told)."""
        index = self.unresolved.currentIndex()
        if not index.isValid():
            return False
        identifier_id = index.siblingAtColumn(0).data(ID_ROLE)
        if person_key is None:
            dialog = AssignDialog(self.context, str(index.siblingAtColumn(0).data()), self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            person_key, use = dialog.person.currentData(), dialog.use.currentData()
        try:
            self.context.assign(identifier_id, person_key, use)
        except WorkbenchError as exc:  # refused: nothing changed, nothing to undo
            QMessageBox.warning(self, "Identifier not assigned", str(exc))
            return False
        return True
