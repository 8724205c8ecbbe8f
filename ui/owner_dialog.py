"""After a chat export's import: say which sender is the owner, and who the others are.

Shown by the import dialog when the core could not tell the owner's sender, or left
other parties unattributed. Choosing goes through the core (audited); assigning the
others goes through the case context's undoable assignment.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ui.case_context import CaseContext
from workbench.ingest.owner_attribution import OwnerAttribution, choose_owner_sender


class OwnerDialog(QDialog):
    """Which sender is the owner (with message counts); the likely person for each other one."""

    def __init__(self, context: CaseContext, exhibit_ref: str, attribution: OwnerAttribution,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context, self.exhibit_ref, self.attribution = context, exhibit_ref, attribution
        owner = context.case.person(attribution.owner_key)
        owner_name = context.anonymiser.person(owner)
        self.setWindowTitle(f"Senders in {exhibit_ref}")
        layout = QVBoxLayout(self)
        self.owner_choice = QButtonGroup(self)
        if attribution.outcome == "ask":
            layout.addWidget(QLabel(f"Which sender is {owner_name}, the owner of this export?"))
            for number, sender in enumerate(attribution.senders):
                if sender.person_key is not None:
                    continue
                button = QRadioButton(f"{context.anonymiser.text(sender.display)} — "
                                      f"{sender.messages} message{'s' if sender.messages != 1 else ''}")
                self.owner_choice.addButton(button, sender.identifier_id)
                button.setChecked(number == 0)
                layout.addWidget(button)
        self.assign: dict[int, QComboBox] = {}
        form = QFormLayout()
        for sender in attribution.others if attribution.outcome != "ask" else attribution.senders:
            if sender.person_key is not None:
                continue
            combo = QComboBox()
            combo.addItem("Leave unattributed", None)
            for person in context.case.people:
                combo.addItem(context.anonymiser.person(person), person.key)
            likely = attribution.likely.get(sender.identifier_id)
            combo.setCurrentIndex(max(combo.findData(likely), 0))
            self.assign[sender.identifier_id] = combo
            form.addRow(f"{context.anonymiser.text(sender.display)} ({sender.messages}):", combo)
        if self.assign:
            layout.addWidget(QLabel("The other party: whose is each sender? (the likely person is "
                                    "chosen; you can change it later in People)"))
            layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.note = ""

    def accept(self) -> None:
        owner_identifier = self.owner_choice.checkedId() if self.owner_choice.buttons() else -1
        if owner_identifier != -1:
            self.note = choose_owner_sender(self.context.store, self.context.ref, self.exhibit_ref,
                                            owner_identifier)
        for identifier_id, combo in self.assign.items():
            if identifier_id == owner_identifier or combo.currentData() is None:
                continue
            self.context.assign(identifier_id, combo.currentData())
        self.context.reload()
        super().accept()
