"""The first-run dialog: who the investigator is (rank, collar or staff number, name).

Shown once per OS account, before any case opens, because every review, decision,
enquiry edit, continuity entry, audit entry and bundle names the investigator.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from workbench import investigator
from workbench.errors import WorkbenchError


class ProfileDialog(QDialog):
    """Asks for rank, number and name; saves the profile when accepted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Who is using the workbench?")
        self.rank = QLineEdit(placeholderText="DS")
        self.number = QLineEdit(placeholderText="4120")
        self.name = QLineEdit(placeholderText="Jane Brown")
        self.problem = QLabel("")
        intro = QLabel(f"Your name, rank and collar or staff number are recorded with every "
                       f"review, decision and audit entry you make, beside your computer login "
                       f"({investigator.os_account()}). You set this once.")
        intro.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Rank", self.rank)
        form.addRow("Collar or staff number", self.number)
        form.addRow("Name", self.name)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        for field in (self.rank, self.number, self.name):
            field.textChanged.connect(self._check)
        self._check()

    def profile(self) -> investigator.Profile | None:
        try:
            return investigator.parse(" ".join(
                f.text().strip() for f in (self.rank, self.number, self.name)))
        except WorkbenchError:
            return None

    def _check(self) -> None:
        complete = self.profile() is not None
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(complete)
        self.problem.setText("" if complete else "Rank (e.g. DS), number (e.g. 4120) and name.")

    def accept(self) -> None:
        profile = self.profile()
        if profile is None:
            return
        investigator.save(profile)
        super().accept()


def ensure_profile(parent: QWidget | None = None) -> bool:
    """True when a profile is set, asking for it first if needed (False when declined)."""
    if investigator.profile() is not None:
        return True
    return ProfileDialog(parent).exec() == QDialog.DialogCode.Accepted
