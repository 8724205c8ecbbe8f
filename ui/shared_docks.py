"""The unit's shared store in the app: this case's identifiers found in other cases, and the
watchlist alerts raised for the investigator at the keyboard.

Both are asked of the store in a worker (``ui.tasks``), never on the GUI thread; what
they say comes from ``workbench.shared`` (a case the investigator may not open is
only "a case you cannot open (ask its officer in charge)"). Acknowledging an alert is
recorded in the unit's audit chain by the core.
"""

from __future__ import annotations

from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMainWindow,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.case_context import CaseContext
from ui.tasks import Task, TaskRunner
from ui.views_docks import docks_beside_markers
from workbench.errors import WorkbenchError
from workbench.shared import hits, watchlist

ALERT_CHECK_MS = 60_000  # alerts come from imports into any case: look again every minute
HIDDEN_WHILE_ANONYMISED = "(hidden while anonymised)"


class HitsPanel(QWidget):
    """Every identifier of the case also in another case: "also in 2 other cases"."""

    HEADERS = ("Identifier", "Person", "Found", "Where")

    def __init__(self, context: CaseContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setObjectName("hitsPanel")
        self.runner = TaskRunner(self)
        self.found: list[hits.IdentifierHit] | None = None  # None: being looked up
        self.status = QLabel()
        self.status.setMinimumWidth(1)  # one line, clipped when narrow: the dock keeps its height
        self.list = QTreeWidget()
        self.list.setHeaderLabels(self.HEADERS)
        self.list.setRootIsDecorated(False)
        self.list.setWordWrap(True)
        self.list.setAccessibleName("Identifiers also in other cases")
        self.list.setToolTip("Double-click: search this case's records with the identifier")
        self.list.itemDoubleClicked.connect(self._search)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.status)
        layout.addWidget(self.list)
        context.changed.connect(self.refresh)  # an import may bring new identifiers
        context.anonymiseChanged.connect(lambda _on: self._show())
        self.refresh()

    def refresh(self) -> Task:
        """Ask the store again, in a worker."""
        self.found = None
        self._show()
        task = Task(hits.case_hits, self.context.store, self.context.ref)
        task.signals.finished.connect(self._found)
        task.signals.failed.connect(self._failed)
        return self.runner.start(task)

    def _found(self, found: list[hits.IdentifierHit]) -> None:
        if not shiboken6.isValid(self) or self.sender() is not self._current_signals():
            return  # closed meanwhile, or an older look-up finishing late
        self.found = found
        self._show()

    def _failed(self, exc: BaseException) -> None:
        if shiboken6.isValid(self) and self.sender() is self._current_signals():
            self.found = []
            self._show()
            self.status.setText(f"Could not look in other cases: {exc}")

    def _current_signals(self) -> object:
        return self.runner.current.signals if self.runner.current is not None else None

    def _show(self) -> None:
        self.list.clear()
        if self.found is None:
            self.status.setText("Looking for this case's identifiers in other cases…")
            return
        if not self.found:
            self.status.setText("No identifier of this case appears in another case.")
            return
        self.status.setText(f"{len(self.found)} identifier{'s' if len(self.found) != 1 else ''} "
                            "of this case also appear in other cases. An indicator to follow "
                            "up, not a finding.")
        anonymiser = self.context.anonymiser
        for found in self.found:
            ident = self.context.identifiers.get(found.identifier_id)
            shown = anonymiser.identifier(ident) if ident is not None else found.hit.kind
            person = anonymiser.person(ident.person) if ident is not None and ident.person else ""
            item = QTreeWidgetItem([f"{found.hit.kind}: {shown}", person, found.hit.also_in(),
                                    "; ".join(found.hit.places())])
            item.setData(0, Qt.ItemDataRole.UserRole, found.identifier_id)
            item.setToolTip(3, "\n".join(found.hit.places()))
            self.list.addTopLevelItem(item)
        for column in range(3):
            self.list.resizeColumnToContents(column)

    def _search(self, item: QTreeWidgetItem) -> None:
        ident = self.context.identifiers.get(item.data(0, Qt.ItemDataRole.UserRole))
        if ident is not None:
            self.context.search(ident.value)


class AlertsPanel(QWidget):
    """The watchlist alerts raised for whoever is connected, until acknowledged."""

    HEADERS = ("Watched", "Case", "Exhibit", "Raised (UTC)", "Why watched")
    countChanged = Signal(int)  # noqa: N815 - Qt signal naming; alerts waiting, once known

    def __init__(self, context: CaseContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setObjectName("alertsPanel")
        self.runner = TaskRunner(self)
        self.alerts: list[watchlist.Alert] | None = None
        self.status = QLabel()
        self.status.setMinimumWidth(1)  # one line, clipped when narrow: the dock keeps its height
        self.list = QTreeWidget()
        self.list.setHeaderLabels(self.HEADERS)
        self.list.setRootIsDecorated(False)
        self.list.setAccessibleName("Watchlist alerts raised for you")
        self.list.currentItemChanged.connect(lambda *_: self._enable())
        self.acknowledge_button = QPushButton("Acknowledge")
        self.acknowledge_button.setToolTip("Record that you have seen the selected alert (and "
                                           "what you did): an entry in the unit's audit chain")
        self.acknowledge_button.clicked.connect(self.acknowledge)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.acknowledge_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.status)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        self.timer = QTimer(self)
        self.timer.setInterval(ALERT_CHECK_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        context.changed.connect(self.refresh)  # an import here may have raised one
        context.anonymiseChanged.connect(lambda _on: self._show())
        self.refresh()

    def refresh(self) -> Task | None:
        """Look again (a look-up under way is replaced: it may predate an acknowledgement)."""
        task = Task(watchlist.my_open_alerts, self.context.store)
        task.signals.finished.connect(self._found)
        task.signals.failed.connect(self._failed)
        return self.runner.start(task)

    def _found(self, alerts: list[watchlist.Alert]) -> None:
        current = self.runner.current
        if not shiboken6.isValid(self) or current is None or self.sender() is not current.signals:
            return  # closed meanwhile, or a newer look-up has been asked for
        self.alerts = alerts
        self._show()

    def _failed(self, exc: BaseException) -> None:
        if shiboken6.isValid(self):
            self.status.setText(f"Could not read the watchlist alerts: {exc}")

    def count(self) -> int:
        return len(self.alerts or [])

    def _show(self) -> None:
        current = self.list.currentItem()  # kept chosen through a refill (a refresh on show)
        chosen = current.data(0, Qt.ItemDataRole.UserRole) if current is not None else None
        self.list.clear()
        alerts = self.alerts or []
        self.status.setText(
            "Looking for watchlist alerts…" if self.alerts is None else
            f"{len(alerts)} watchlist alert{'s' if len(alerts) != 1 else ''} raised for you: "
            "indicators to follow up, not findings." if alerts else
            "No watchlist alert is waiting for you.")
        anonymised = self.context.anonymise  # watched values and reasons name people
        for alert in alerts:
            item = QTreeWidgetItem([
                f"{alert.kind}: {HIDDEN_WHILE_ANONYMISED if anonymised else alert.value}",
                alert.case_ref, alert.exhibit or "", alert.raised_at[:16].replace("T", " "),
                HIDDEN_WHILE_ANONYMISED if anonymised else alert.reason])
            item.setData(0, Qt.ItemDataRole.UserRole, alert.id)
            self.list.addTopLevelItem(item)
            if alert.id == chosen:
                self.list.setCurrentItem(item)
        for column in range(4):
            self.list.resizeColumnToContents(column)
        self._enable()
        self.countChanged.emit(len(alerts))

    def _enable(self) -> None:
        self.acknowledge_button.setEnabled(self.list.currentItem() is not None)

    def acknowledge(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        note, ok = QInputDialog.getText(self, "Acknowledge watchlist alert",
                                        "What did you do about it? (recorded in the unit's "
                                        "audit chain; may be left empty)")
        if not ok:
            return
        try:
            alert = watchlist.acknowledge_in(self.context.store,
                                             int(item.data(0, Qt.ItemDataRole.UserRole)), note)
        except WorkbenchError as exc:
            self.context.message.emit(str(exc))
            return
        self.context.message.emit(f"Watchlist alert on {alert.kind} acknowledged (audited)")
        self.alerts = [a for a in self.alerts or [] if a.id != alert.id]
        self._show()
        self.refresh()


@dataclass
class Shared:
    hits: HitsPanel
    alerts: AlertsPanel
    docks: dict[str, QDockWidget]
    alerts_button: QPushButton


def install_shared(window: QMainWindow, context: CaseContext) -> Shared:
    """The "Also in other cases" and "Watchlist alerts" docks, their View menu entries, and
    a status-bar button that appears while alerts wait."""
    found = HitsPanel(context)
    alerts = AlertsPanel(context)
    docks = docks_beside_markers(window, {"hits": ("Also in other cases", found),
                                          "alerts": ("Watchlist alerts", alerts)})
    button = QPushButton()
    button.setObjectName("watchAlerts")
    button.setVisible(False)

    def show_alerts() -> None:
        docks["alerts"].show()
        docks["alerts"].raise_()

    def follow(count: int) -> None:
        button.setVisible(count > 0)
        button.setText(f"Watchlist alerts ({count})")

    button.clicked.connect(show_alerts)
    alerts.countChanged.connect(follow)
    window.statusBar().addPermanentWidget(button)
    view_menu = next((a.menu() for a in window.menuBar().actions() if a.text() == "&View"), None)
    if view_menu is not None:
        view_menu.addSeparator()
        for dock in docks.values():
            view_menu.addAction(dock.toggleViewAction())
    shared = Shared(found, alerts, docks, button)
    window.shared = shared  # type: ignore[attr-defined]
    return shared
