"""Choosing which column of a CSV or Excel file holds each thing an importer reads.

The app's equivalent of ``workbench import --map field=Header``: the dialog
starts from the columns the importer recognised by their headers, and what the
investigator changes is passed to the import as the mapping.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from workbench.ingest.registry import Importer
from workbench.ingest.tabular import column_choices


class ColumnsDialog(QDialog):
    """One row per field: the file's column it is read from, or none."""

    def __init__(self, path: Path, importer: Importer, mapping: dict[str, str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        assert importer.layout is not None, "only tabular importers have columns to choose"
        self.setWindowTitle(f"Columns of {path.name}")
        headers, recognised = column_choices(path, importer.layout)
        _, current = column_choices(path, importer.layout, mapping) if mapping else (headers, recognised)
        self.recognised = {choice.name: choice.header for choice in recognised}
        self.labels = {choice.name: choice.label for choice in recognised}
        self.combos: dict[str, QComboBox] = {}
        form = QFormLayout()
        for choice in current:
            combo = QComboBox()
            combo.setAccessibleName(choice.label)
            if self.recognised[choice.name] is None:
                combo.addItem("Not in this file", None)
            for header in headers:
                combo.addItem(header, header)
            combo.setCurrentIndex(max(combo.findData(choice.header), 0))
            usual = ", ".join(choice.synonyms[:6])
            label = QLabel(choice.label[:1].upper() + choice.label[1:])
            label.setToolTip(f"Usual headers: {usual}" if usual else "")
            form.addRow(label, combo)
            self.combos[choice.name] = combo
        fields = QWidget()
        fields.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidget(fields)
        scroll.setWidgetResizable(True)
        intro = QLabel(f"Which column holds each of these in {path.name}? They start as "
                       f"recognised from the headers ({importer.label.lower()}); change any "
                       "that are wrong. The file itself is not changed.")
        intro.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(520, 560)

    def chosen(self) -> dict[str, str | None]:
        return {name: combo.currentData() for name, combo in self.combos.items()}

    def mapping(self) -> dict[str, str]:
        """The choices that differ from what was recognised (what ``--map`` would say)."""
        return {name: header for name, header in self.chosen().items()
                if header is not None and header != self.recognised[name]}

    def accept(self) -> None:
        taken: dict[str, str] = {}
        for name, header in self.chosen().items():
            if header is None:
                continue
            if header in taken:
                self.error.setText(f"The column {header!r} is chosen for both "
                                   f"{self.labels[taken[header]]} and {self.labels[name]}.")
                self.error.show()
                return
            taken[header] = name
        super().accept()
