"""Asking for the reason behind accepting or dismissing a marker (it cannot be left empty)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)


class ReviewDialog(QDialog):
    """A reason box whose OK button stays disabled until a reason is typed."""

    def __init__(self, rule_title: str, accept: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        verb = "Accept" if accept else "Dismiss"
        self.setWindowTitle(f"{verb} marker")
        prompt = QLabel(
            f"<b>{verb}: {rule_title}</b><br>Give the reason for this review. It is recorded "
            "with your user name in the case's audit log and cannot be edited later.")
        prompt.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("Reason (required)")
        self.text.setAccessibleName("Reason")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(verb)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.text.textChanged.connect(self._check)
        layout = QVBoxLayout(self)
        layout.addWidget(prompt)
        layout.addWidget(self.text)
        layout.addWidget(self.buttons)
        self.resize(460, 240)
        self._check()

    def reason(self) -> str:
        return self.text.toPlainText().strip()

    def _check(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.reason()))
