"""The first screen when no case is open: the case list and "Open demo case"."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.table_model import HeaderedTableModel
from ui.tasks import Task, TaskRunner
from workbench.overview import store_cases
from workbench.store import Store

Index = QModelIndex | QPersistentModelIndex
DISPLAY = Qt.ItemDataRole.DisplayRole


def build_demo_case(store: Store, *, progress, cancel) -> str:  # type: ignore[no-untyped-def]
    from workbench.demo import build_demo  # noqa: PLC0415 - the demo is loaded on demand

    return build_demo(store, progress=progress, cancel=cancel)


class CasesModel(HeaderedTableModel):
    HEADERS = ("Reference", "Title", "Classification", "Status", "Opened")
    KEYS = ("ref", "title", "classification", "status", "opened")

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.rows: list[dict[str, Any]] = []
        self.refresh()

    def refresh(self) -> None:
        self.beginResetModel()
        self.rows = store_cases(self.store)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid() or role != DISPLAY:
            return None
        return self.rows[index.row()][self.KEYS[index.column()]] or ""


class StartDialog(QDialog):
    """Choose a case, or build and open the demo case."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.chosen: str | None = None
        self.runner = TaskRunner(self)
        self.setWindowTitle("Investigator Workbench — open a case")
        self.model = CasesModel(store)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.open_button = QPushButton("Open case")
        self.open_button.setDefault(True)
        self.open_button.clicked.connect(self.open_selected)
        self.demo_button = QPushButton("Open demo case")
        self.demo_button.setToolTip("Build (first time only) and open the fictional demo case")
        self.demo_button.clicked.connect(self.open_demo)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.hide()
        self.status = QLabel("No case is open. Choose one, or open the demo case to look around."
                             if self.model.rows else
                             "There are no cases yet. Create one with `workbench case create "
                             "FILE.toml`, or open the demo case.")
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)
        self.resize(720, 380)
        if self.model.rows:
            self.table.selectRow(0)

    def open_selected(self) -> None:
        row = self.table.currentIndex().row()
        if 0 <= row < len(self.model.rows):
            self.chosen = self.model.rows[row]["ref"]
            self.accept()

    def open_demo(self) -> Task:
        self.demo_button.setEnabled(False)
        self.open_button.setEnabled(False)
        self.progress.show()
        task = Task(build_demo_case, self.store)
        task.signals.progress.connect(lambda f, m: (self.progress.setValue(int(f * 1000)),
                                                    self.status.setText(m)))
        task.signals.finished.connect(self._demo_ready)
        task.signals.failed.connect(self._demo_failed)
        task.signals.cancelled.connect(lambda: self._demo_failed(RuntimeError("cancelled")))
        return self.runner.start(task)

    def _demo_ready(self, ref: str) -> None:
        self.chosen = ref
        self.accept()

    def _demo_failed(self, exc: BaseException) -> None:
        self.progress.hide()
        self.demo_button.setEnabled(True)
        self.open_button.setEnabled(True)
        QMessageBox.warning(self, "Demo case not built", str(exc))

    def reject(self) -> None:
        self.runner.cancel()
        self.runner.wait()
        super().reject()
