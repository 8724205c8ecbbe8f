"""The decision log (National Decision Model): an append-only table with Add and Correct.

There is no edit and no delete, in the model or the core: a correction is a new
entry that names the one it corrects, and the corrected entry is shown greyed
with a pointer to its correction.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QDateTime, Qt, QTimeZone
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
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
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui import formatting
from ui.casework_state import CaseworkState
from ui.casework_table import ROW_ROLE, CaseworkTableModel
from workbench import investigator
from workbench.casework.decisions import NDM_ELEMENTS, DecisionEntry
from workbench.commands import AddDecision
from workbench.errors import WorkbenchError


class DecisionModel(CaseworkTableModel):
    HEADERS = ("No.", "Decided", "NDM element", "Decision", "Rationale", "Options rejected",
               "Decision maker", "Recorder", "Entered", "Review by", "Correction")
    # Column widths: None stretches, 0 fits the contents, else pixels (text wraps).
    WIDTHS = (0, 0, 190, None, None, 230, 0, 0, 0, 0, 0)

    def rows(self) -> list[DecisionEntry]:
        return self.state.decisions

    def cell(self, row: DecisionEntry, column: int) -> str:
        tz = ZoneInfo(self.context.case.timezone)
        text = self.context.anonymiser.text
        correction = ""
        if row.corrects is not None:
            correction = f"corrects {row.corrects}"
        if row.corrected_by:
            correction = (correction + "; " if correction else "") + "corrected by " + ", ".join(
                map(str, row.corrected_by))
        return (str(row.sequence), formatting.moment(row.decided_at, tz), row.element_title,
                text(row.decision), text(row.rationale), text(row.options_rejected),
                row.decision_maker, row.recorder, formatting.moment(row.entered_at, tz),
                row.review_date.strftime("%d/%m/%Y") if row.review_date else "", correction)[column]

    def style(self, row: DecisionEntry, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and row.corrected_by:
            return QColor("#7a828c")
        if role == Qt.ItemDataRole.ToolTipRole:
            text = self.context.anonymiser.text
            tip = (f"<b>Decision {row.sequence}</b> ({row.element_title})<br>{text(row.decision)}"
                   f"<br><i>Rationale:</i> {text(row.rationale)}")
            if row.corrected_by:
                tip += f"<br><b>Corrected by entry {', '.join(map(str, row.corrected_by))}</b>"
            return tip
        return None


class DecisionDialog(QDialog):
    """A new decision log entry; with ``corrects`` given, a correction of that entry."""

    def __init__(self, state: CaseworkState, corrects: DecisionEntry | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state, self.corrects = state, corrects
        tz = ZoneInfo(state.context.case.timezone)
        self.setWindowTitle(f"Correct decision {corrects.sequence}" if corrects else "Add decision")
        self.decided_at = QDateTimeEdit(QDateTime.currentDateTime())
        self.decided_at.setTimeZone(QTimeZone(tz.key.encode()))
        self.decided_at.setDisplayFormat("dd/MM/yyyy HH:mm")
        self.decided_at.setCalendarPopup(True)
        self.decision_maker = QLineEdit(corrects.decision_maker if corrects else "")
        self.recorder = QLineEdit(str(investigator.profile() or ""))
        self.element = QComboBox()
        for key, title in NDM_ELEMENTS.items():
            self.element.addItem(title, key)
        if corrects:
            self.element.setCurrentIndex(max(self.element.findData(corrects.ndm_element), 0))
        self.decision = QPlainTextEdit(corrects.decision if corrects else "")
        self.rationale = QPlainTextEdit()
        self.options_rejected = QPlainTextEdit(corrects.options_rejected if corrects else "")
        for box in (self.decision, self.rationale, self.options_rejected):
            box.setMaximumHeight(90)
        self.has_review = QCheckBox("Review by")
        self.review_date = QDateEdit(QDate.currentDate().addDays(28))
        self.review_date.setDisplayFormat("dd/MM/yyyy")
        self.review_date.setCalendarPopup(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            "Record correction" if corrects else "Record decision")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        note = QLabel("Entries are numbered and cannot be edited or deleted once recorded. "
                      + (f"This correction is a new entry that refers to entry {corrects.sequence}; "
                         "both stay in the log." if corrects else "To correct one later, add a correction."))
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Decision time", self.decided_at)
        form.addRow("Decision maker", self.decision_maker)
        form.addRow("Recorder", self.recorder)
        form.addRow("NDM element", self.element)
        form.addRow("Decision", self.decision)
        form.addRow("Rationale", self.rationale)
        form.addRow("Options rejected", self.options_rejected)
        review = QHBoxLayout()
        review.addWidget(self.has_review)
        review.addWidget(self.review_date)
        form.addRow("Review", review)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        for signal in (self.decision_maker.textChanged, self.recorder.textChanged,
                       self.decision.textChanged, self.rationale.textChanged, self.has_review.toggled):
            signal.connect(self._check)
        self.resize(600, 620)
        self._check()

    def _check(self) -> None:
        self.review_date.setEnabled(self.has_review.isChecked())
        ready = all(w.text().strip() for w in (self.decision_maker, self.recorder)) and all(
            w.toPlainText().strip() for w in (self.decision, self.rationale))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ready)

    def decided(self) -> datetime:
        return datetime.fromtimestamp(self.decided_at.dateTime().toSecsSinceEpoch(), UTC)

    def accept(self) -> None:
        try:
            self.state.context.execute(AddDecision(
                self.state.context.ref, decided_at=self.decided(), decision_maker=self.decision_maker.text(),
                recorder=self.recorder.text(), ndm_element=self.element.currentData(),
                decision=self.decision.toPlainText(), rationale=self.rationale.toPlainText(),
                options_rejected=self.options_rejected.toPlainText(),
                review_date=self.review_date.date().toPython() if self.has_review.isChecked() else None,  # type: ignore[arg-type]
                corrects=self.corrects.sequence if self.corrects else None),
                wait=True)  # a refusal keeps the dialog open with the reason
        except WorkbenchError as exc:
            QMessageBox.warning(self, "Decision log", str(exc))
            return
        super().accept()


class DecisionLogPanel(QWidget):
    """The log, newest entry last, with "Add decision…" and "Correct…"."""

    def __init__(self, state: CaseworkState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setObjectName("decisionLogPanel")
        self.model = DecisionModel(state)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column, width in enumerate(DecisionModel.WIDTHS):
            if width is None:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
            elif width == 0:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
            else:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
                self.table.setColumnWidth(column, width)
        self.add_button = QPushButton("Add decision…")
        self.correct_button = QPushButton("Correct…")
        self.correct_button.setToolTip("Record a correction of the selected entry as a new entry")
        self.add_button.clicked.connect(lambda: self.open_dialog(None))
        self.correct_button.clicked.connect(lambda: self.open_dialog(self.selected()))
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        state.changed.connect(self._changed)
        bar = QHBoxLayout()
        note = QLabel("National Decision Model log: append-only; corrections are new entries.")
        note.setObjectName("muted")
        bar.addWidget(note, 1)
        bar.addWidget(self.add_button)
        bar.addWidget(self.correct_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        self._changed()

    def _changed(self) -> None:
        self.table.resizeRowsToContents()
        self._update_buttons()

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self.table.resizeRowsToContents()  # wrapped cells need new heights at a new width

    def selected(self) -> DecisionEntry | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE) if rows else None

    def _update_buttons(self) -> None:
        self.correct_button.setEnabled(self.selected() is not None)

    def open_dialog(self, corrects: DecisionEntry | None) -> DecisionDialog:
        dialog = DecisionDialog(self.state, corrects, self)
        dialog.open()
        return dialog
