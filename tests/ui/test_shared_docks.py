"""Cross-case hits and watchlist alerts in the app: on a workstation's SQLite store (cases
in the one store) and on a unit's PostgreSQL store as an investigator under row-level
security, where a case the investigator may not open is only "ask its officer in charge"."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QInputDialog
from sqlalchemy import select

from tests.workbench import test_shared_store
from tests.workbench.test_ingest_replace import BILLING
from tests.workbench.test_shared_store import as_login, second_case
from ui.case_context import CaseContext
from ui.main_window import MainWindow
from ui.shared_docks import HIDDEN_WHILE_ANONYMISED, AlertsPanel, HitsPanel
from workbench import casefile
from workbench.ingest.pipeline import import_file
from workbench.integrity import verify_audit
from workbench.model import AuditEntry
from workbench.shared import hits, watchlist
from workbench.shared.users import UNIT_CHAIN
from workbench.store import open_store

unit = test_shared_store.unit  # the fixture: a unit's store with three investigators
SHARED_NUMBER = "+447700900201"  # Woman A's phone in willow.toml, so in every copy of it


def rows(tree) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [[tree.topLevelItem(n).text(c) for c in range(tree.columnCount())]
            for n in range(tree.topLevelItemCount())]


def settled(qtbot, panel) -> None:  # type: ignore[no-untyped-def]
    """Wait for the panel's worker and for its answer to reach the GUI thread."""
    qtbot.waitUntil(lambda: not panel.runner.running, timeout=20_000)
    qtbot.wait(50)


def watch_and_import(store, importer_store, ref: str) -> None:  # type: ignore[no-untyped-def]
    with store.session() as session:
        watchlist.add(session, "phone", "07700 900201", "intelligence: targeted by an officer",
                      date(2027, 6, 1))
    import_file(importer_store, ref, BILLING)


def unit_actions(store) -> list[str]:  # type: ignore[no-untyped-def]
    with store.reader() as session:
        return list(session.scalars(select(AuditEntry.action).where(
            AuditEntry.case_ref == UNIT_CHAIN).order_by(AuditEntry.sequence)))


# -- a workstation's store (SQLite) -------------------------------------------------------------

def test_hits_dock_lists_identifiers_in_other_cases_of_the_store(qtbot, case_store):
    store, ref = case_store
    casefile.create_case(store, second_case("OP-ASH"))
    context = CaseContext(store, ref)
    panel = HitsPanel(context)
    qtbot.addWidget(panel)
    settled(qtbot, panel)
    found = {r[0]: r for r in rows(panel.list)}
    phone = next(r for label, r in found.items() if label.startswith("phone") and "900201" in label)
    assert phone[1:] == ["Kerry Lowe", "also in 1 other case", "OP-ASH"]
    context.set_anonymise(True)
    shown = " ".join(" ".join(r) for r in rows(panel.list))
    assert "900201" not in shown and "Kerry" not in shown and "also in 1 other case" in shown


def test_hits_are_asked_in_a_worker_not_on_the_gui_thread(qtbot, case_store, monkeypatch):
    store, ref = case_store
    threads = []
    real = hits.case_hits

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(hits, "case_hits", spy)
    panel = HitsPanel(CaseContext(store, ref))
    qtbot.addWidget(panel)
    settled(qtbot, panel)
    assert threads and threading.main_thread() not in threads
    assert panel.status.text() == "No identifier of this case appears in another case."


def test_notes_panel_says_the_selected_records_party_is_in_another_case(qtbot, case_store, tmp_path):
    store, ref = case_store
    casefile.create_case(store, second_case("OP-ASH"))
    window = MainWindow(CaseContext(store, ref),
                        QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    with store.reader() as session:
        from workbench.model import Event, Identifier

        event = session.scalar(select(Event.id).join(Identifier, Identifier.id == Event.to_id)
                               .where(Identifier.value == SHARED_NUMBER).limit(1))
    window.context.select_event(event)
    notes = window.notes
    qtbot.waitUntil(lambda: not notes.hits.isHidden(), timeout=20_000)
    assert notes.hits.text().splitlines() == [  # both phones are in willow.toml, so in OP-ASH
        "The sender's phone is also in 1 other case: OP-ASH",
        "The recipient's phone is also in 1 other case: OP-ASH"]
    window.close()


def test_watch_alert_shows_and_is_acknowledged_with_an_audit_entry(qtbot, case_store, tmp_path,
                                                                    monkeypatch):
    store, ref = case_store
    casefile.create_case(store, second_case("OP-ASH"))
    watch_and_import(store, store, "OP-ASH")
    window = MainWindow(CaseContext(store, ref),
                        QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    panel, button = window.shared.alerts, window.shared.alerts_button
    settled(qtbot, panel)
    assert [r[:3] for r in rows(panel.list)] == [[f"phone: {SHARED_NUMBER}", "OP-ASH", "JB/1"]]
    assert not button.isHidden() and button.text() == "Watchlist alerts (1)"
    window.context.set_anonymise(True)
    assert rows(panel.list)[0][0] == f"phone: {HIDDEN_WHILE_ANONYMISED}"
    assert HIDDEN_WHILE_ANONYMISED == rows(panel.list)[0][4]
    monkeypatch.setattr(QInputDialog, "getText", lambda *_a, **_k: ("Rang the OIC of OP-ASH", True))
    panel.list.setCurrentItem(panel.list.topLevelItem(0))
    panel.acknowledge_button.click()
    settled(qtbot, panel)
    assert rows(panel.list) == [] and button.isHidden()
    assert unit_actions(store)[-1] == watchlist.ACKNOWLEDGED
    with store.reader() as session:
        assert watchlist.alerts_for(session, watchlist.current_login(session), open_only=True) == []
    assert verify_audit(store) == []
    window.close()


# -- a unit's store (PostgreSQL, as each investigator's own login) ----------------------------

@pytest.mark.postgres
def test_an_investigator_sees_only_whom_to_ask_about_a_case_they_cannot_open(qtbot, unit):
    url, jbrown = unit  # jbrown's OP-WILLOW, which akhan may not open
    akhan = open_store(as_login(url, "akhan"))
    try:
        casefile.create_case(akhan, second_case("OP-ASH"))
        context = CaseContext(akhan, "OP-ASH")
        panel = HitsPanel(context)
        qtbot.addWidget(panel)
        settled(qtbot, panel)
        phone = next(r for r in rows(panel.list) if r[0].startswith("phone") and "900201" in r[0])
        assert phone[2:] == ["also in 1 other case",
                             "a case you cannot open (ask DS 4120 Jane Brown)"]
        assert "OP-WILLOW" not in str(rows(panel.list))
    finally:
        akhan.dispose()


@pytest.mark.postgres
def test_an_alert_from_a_case_the_owner_cannot_open_is_shown_and_acknowledged(qtbot, unit,
                                                                              monkeypatch):
    url, jbrown = unit
    akhan = open_store(as_login(url, "akhan"))
    try:
        casefile.create_case(akhan, second_case("OP-ASH"))  # akhan's own case, to work in
        casefile.create_case(jbrown, second_case("OP-ELM"))  # jbrown's: hidden from akhan
        watch_and_import(akhan, jbrown, "OP-ELM")
        panel = AlertsPanel(CaseContext(akhan, "OP-ASH"))
        qtbot.addWidget(panel)
        settled(qtbot, panel)
        [alert] = rows(panel.list)
        assert alert[0] == f"phone: {SHARED_NUMBER}"
        assert alert[1].startswith("a case you cannot open") and "OP-ELM" not in str(alert)
        jbrowns = AlertsPanel(CaseContext(jbrown, "OP-WILLOW"))  # raised for akhan only
        qtbot.addWidget(jbrowns)
        settled(qtbot, jbrowns)
        assert rows(jbrowns.list) == []
        monkeypatch.setattr(QInputDialog, "getText", lambda *_a, **_k: ("Asked the OIC", True))
        panel.list.setCurrentItem(panel.list.topLevelItem(0))
        panel.acknowledge()
        settled(qtbot, panel)
        assert rows(panel.list) == []
        assert unit_actions(akhan)[-1] == watchlist.ACKNOWLEDGED
    finally:
        akhan.dispose()
    assert verify_audit(jbrown) == []
