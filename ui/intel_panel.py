"""Prior intelligence reports and complaints about the officer.

Gradings are shown exactly as written, with their scheme named (3x5x2 or the
legacy 5x5x5); reports with handling code C are marked and their conditions
shown. Adding or correcting a report goes through a validated, audited,
undoable core command. Complaints that form a cluster (three or more within
twelve months) are highlighted.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.casework_state import CaseworkState
from ui.casework_table import ROW_ROLE, CaseworkTableModel
from workbench.casework.intel import (
    SCHEMES,
    ComplaintRow,
    IntelFields,
    IntelRow,
    parse_grading,
    validate,
)
from workbench.commands import AddIntel, EditIntel
from workbench.errors import WorkbenchError

RESTRICTED_BACKGROUND = QColor(213, 94, 0, 40)  # vermilion tint (Okabe-Ito), with a text marker too
CLUSTER_BACKGROUND = QColor(230, 159, 0, 55)
SOURCE_WORDS = {"1": "reliable", "2": "untested", "3": "not reliable"}
INTEL_WORDS = {"A": "known directly to the source", "B": "known indirectly, corroborated",
               "C": "known indirectly", "D": "not known", "E": "suspected to be false"}
HANDLING_WORDS = {"P": "lawful sharing permitted", "C": "sharing permitted with conditions"}


def day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def grading_words(written: str) -> str:
    """A grading explained in words (3x5x2), or named as legacy (5x5x5)."""
    grading = parse_grading(written)
    if grading.scheme == "5x5x5":
        return (f"Legacy 5x5x5: source {grading.source}, information {grading.intelligence}, "
                f"handling {grading.handling} (kept as written, not converted)")
    return (f"3x5x2: source {grading.source} ({SOURCE_WORDS[grading.source]}), intelligence "
            f"{grading.intelligence} ({INTEL_WORDS[grading.intelligence]}), handling "
            f"{grading.handling} ({HANDLING_WORDS[grading.handling]})")


class IntelModel(CaseworkTableModel):
    HEADERS = ("URN", "Submitted", "Grading", "Scheme", "Handling", "Sanitised text",
               "Conditions", "Information date", "Source")
    TEXT_COLUMN, CONDITIONS_COLUMN = 5, 6

    def rows(self) -> list[IntelRow]:
        return self.state.intel

    def cell(self, row: IntelRow, column: int) -> str:
        handling = f"⚠ {row.handling_code} — conditions" if row.restricted else row.handling_code
        return (row.urn, day(row.submitted), row.grading, SCHEMES.get(row.scheme, row.scheme),
                handling, self.context.anonymiser.text(row.text),
                self.context.anonymiser.text(row.conditions),
                day(row.information_date), row.exhibit or "entered by hand")[column]

    def style(self, row: IntelRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and row.restricted:
            return RESTRICTED_BACKGROUND
        if role == Qt.ItemDataRole.FontRole and row.restricted and column == 4:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = grading_words(row.grading)
            if row.restricted:
                conditions = self.context.anonymiser.text(row.conditions) or "recorded as code C"
                tip += f"<br><b>Handling conditions:</b> {conditions}"
            return f"<b>{row.urn}</b><br>{tip}<br>{self.context.anonymiser.text(row.text)}"
        return None


class ComplaintsModel(CaseworkTableModel):
    HEADERS = ("Reference", "Received", "Category", "Outcome", "Finalised", "Cluster")

    def rows(self) -> list[ComplaintRow]:
        return self.state.complaints

    def cell(self, row: ComplaintRow, column: int) -> str:
        return (row.reference, day(row.received), row.category or "", row.outcome or "",
                day(row.finalised), "3+ within 12 months" if row.in_cluster else "")[column]

    def style(self, row: ComplaintRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and row.in_cluster:
            return CLUSTER_BACKGROUND
        if role == Qt.ItemDataRole.ToolTipRole and row.in_cluster:
            return "One of three or more complaints received within twelve months (an indicator)."
        return None


class IntelDialog(QDialog):
    """Add or correct an intelligence report; OK stays disabled until the fields are valid."""

    def __init__(self, state: CaseworkState, report: IntelRow | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state, self.report = state, report
        self.setWindowTitle("Correct intelligence report" if report else "Add intelligence report")
        self.urn = QLineEdit(report.urn if report else "")
        self.submitted = QDateEdit(QDate(report.submitted) if report else QDate.currentDate())
        self.submitted.setDisplayFormat("dd/MM/yyyy")
        self.submitted.setCalendarPopup(True)
        self.has_information_date = QCheckBox("Information date known")
        self.information_date = QDateEdit(QDate(report.information_date) if report and report.information_date
                                          else self.submitted.date())
        self.information_date.setDisplayFormat("dd/MM/yyyy")
        self.has_information_date.setChecked(bool(report and report.information_date))
        self.grading = QLineEdit(report.grading if report else "")
        self.grading.setPlaceholderText("2/B/P (3x5x2) or B/2/1 (legacy 5x5x5)")
        self.grading_note = QLabel()
        self.grading_note.setWordWrap(True)
        self.conditions = QPlainTextEdit(report.conditions or "" if report else "")
        self.conditions.setPlaceholderText("Required for handling code C")
        self.conditions.setMaximumHeight(70)
        self.subject = QComboBox()
        self.subject.addItem("(none)", None)
        for person in state.context.case.people:
            self.subject.addItem(state.context.anonymiser.person(person), person.key)
        if report and report.subject_key:
            self.subject.setCurrentIndex(max(self.subject.findData(report.subject_key), 0))
        self.originator = QLineEdit(report.originator or "" if report else "")
        self.text = QPlainTextEdit(report.text if report else "")
        self.text.setPlaceholderText("Sanitised text only (no source-identifying detail)")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("URN", self.urn)
        form.addRow("Submitted", self.submitted)
        dates = QHBoxLayout()
        dates.addWidget(self.has_information_date)
        dates.addWidget(self.information_date)
        form.addRow("Information date", dates)
        form.addRow("Grading", self.grading)
        form.addRow("", self.grading_note)
        form.addRow("Handling conditions", self.conditions)
        form.addRow("Subject", self.subject)
        form.addRow("Originator", self.originator)
        form.addRow("Sanitised text", self.text)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        for signal in (self.urn.textChanged, self.grading.textChanged, self.conditions.textChanged,
                       self.text.textChanged, self.has_information_date.toggled,
                       self.submitted.dateChanged, self.information_date.dateChanged):
            signal.connect(self._check)
        self.resize(560, 560)
        self._check()

    def fields(self) -> IntelFields:
        return IntelFields(
            urn=self.urn.text(), submitted=self.submitted.date().toPython(),  # type: ignore[arg-type]
            grading=self.grading.text(), text=self.text.toPlainText(),
            conditions=self.conditions.toPlainText() or None,
            information_date=self.information_date.date().toPython()  # type: ignore[arg-type]
            if self.has_information_date.isChecked() else None,
            subject_key=self.subject.currentData(), originator=self.originator.text() or None)

    def problem(self) -> str | None:
        """Why the report cannot be saved yet, or None."""
        try:
            validate(self.fields())
        except WorkbenchError as exc:
            return str(exc)
        return None

    def _check(self) -> None:
        self.information_date.setEnabled(self.has_information_date.isChecked())
        try:
            self.grading_note.setText(grading_words(self.grading.text()))
        except WorkbenchError as exc:
            self.grading_note.setText(str(exc) if self.grading.text() else "")
        problem = self.problem()
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(problem is None)
        ok.setToolTip(problem or "")

    def accept(self) -> None:
        try:
            context = self.state.context
            context.execute(AddIntel(context.ref, self.fields()) if self.report is None
                            else EditIntel(context.ref, self.report.id, self.fields()),
                            wait=True)  # a refusal keeps the dialog open with the reason
        except WorkbenchError as exc:
            QMessageBox.warning(self, "Intelligence report", str(exc))
            return
        super().accept()


def _table(model: CaseworkTableModel, stretch: int) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


class IntelPanel(QWidget):
    """Intelligence reports over complaints, with Add and Correct."""

    def __init__(self, state: CaseworkState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setObjectName("intelPanel")
        self.intel_model = IntelModel(state)
        self.complaints_model = ComplaintsModel(state)
        self.intel_table = _table(self.intel_model, IntelModel.TEXT_COLUMN)
        conditions = IntelModel.CONDITIONS_COLUMN
        self.intel_table.horizontalHeader().setSectionResizeMode(conditions, QHeaderView.ResizeMode.Interactive)
        self.intel_table.setColumnWidth(conditions, 240)
        self.complaints_table = _table(self.complaints_model, 2)
        self.add_button = QPushButton("Add report…")
        self.edit_button = QPushButton("Correct report…")
        self.add_button.clicked.connect(lambda: self.open_dialog(None))
        self.edit_button.clicked.connect(lambda: self.open_dialog(self.selected_report()))
        self.intel_table.doubleClicked.connect(lambda _i: self.open_dialog(self.selected_report()))
        self.intel_table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        state.changed.connect(self._update_buttons)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        heading = QHBoxLayout()
        title = QLabel("<b>Intelligence reports</b> — graded as written; ⚠ marks handling code C "
                       "(conditions apply: kept out of open bundles and presentations)")
        title.setWordWrap(True)
        heading.addWidget(title, 1)
        heading.addWidget(self.add_button)
        heading.addWidget(self.edit_button)
        top_layout.addLayout(heading)
        top_layout.addWidget(self.intel_table, 1)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(QLabel("<b>Complaints</b> — highlighted: three or more within "
                                       "twelve months (an indicator, not a finding)"))
        bottom_layout.addWidget(self.complaints_table, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)
        self._update_buttons()

    def selected_report(self) -> IntelRow | None:
        rows = self.intel_table.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE) if rows else None

    def _update_buttons(self) -> None:
        self.edit_button.setEnabled(self.selected_report() is not None)

    def open_dialog(self, report: IntelRow | None) -> IntelDialog:
        dialog = IntelDialog(self.state, report, self)
        dialog.open()
        return dialog
