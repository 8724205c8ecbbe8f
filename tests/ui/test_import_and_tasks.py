"""Imports from the app (progress, cancel, refused files) and the worker wrapper itself."""

from __future__ import annotations

import threading
import time

import pytest

from ui.case_context import CaseContext
from ui.import_dialog import ImportDialog
from ui.tasks import Task, TaskRunner
from workbench.errors import Cancelled

BILLING = """date,time,calling number,called number,direction,duration
01/04/2021,10:00:00,07700900101,07700900201,outgoing,65
01/04/2021,18:30:00,07700900201,07700900101,incoming,12
02/04/2021,21:15:00,07700900101,07700900777,outgoing,3
"""


@pytest.fixture
def dialog(qtbot, case_store):
    store, ref = case_store
    context = CaseContext(store, ref)
    widget = ImportDialog(context)
    qtbot.addWidget(widget)
    return widget


def test_imports_a_file_and_reports_a_refused_one(qtbot, dialog, tmp_path):
    good = tmp_path / "work_billing.csv"
    good.write_text(BILLING)
    bad = tmp_path / "broken.csv"
    bad.write_text("date,time,calling number,called number,direction,duration\nnot a date,x,y,z,out,1\n")
    events_before = dialog.context.timeline.count
    dialog.add_files([good, bad])
    assert dialog.model.index(0, 1).data() == "Call data records"
    with qtbot.waitSignal(dialog.start().signals.finished, timeout=20_000):
        pass
    qtbot.waitUntil(lambda: not dialog.runner.running)
    assert dialog.context.timeline.count == events_before + 3  # the views were refreshed
    assert dialog.model.index(0, 4).data().endswith("(3 records; 2 warnings)")
    assert dialog.model.index(1, 4).data() == "Refused"
    assert dialog.notes.isVisibleTo(dialog)  # what the importer noticed, to be checked
    notes = dialog.notes.text()
    assert "(work_billing.csv) — please check:" in notes
    assert "• no call-type column: every row taken as a call" in notes
    assert "own number is taken to be 07700 900101" in notes
    assert dialog.error.isVisibleTo(dialog)
    assert "broken.csv" in dialog.error.text() and "line 2" in dialog.error.text()
    assert dialog.progress.value() == dialog.progress.maximum()
    assert not dialog.import_button.isEnabled()  # nothing left to import
    assert "The markers are now out of date." in dialog.status.text()
    assert dialog.analyse_button.isVisibleTo(dialog)
    with qtbot.waitSignal(dialog.analyseRequested, timeout=1000):
        dialog.analyse_button.click()


def test_unknown_file_asks_for_its_kind(qtbot, dialog, tmp_path):
    odd = tmp_path / "notes.bin"
    odd.write_bytes(b"\x00\x01\x02 nothing recognisable")
    dialog.add_files([odd])
    assert dialog.model.index(0, 1).data().startswith("Unknown")
    assert dialog.start() is None
    assert "Choose the kind of: notes.bin" in dialog.error.text()


def test_cancel_stops_the_import(qtbot, dialog, tmp_path, monkeypatch):
    started = threading.Event()

    def slow_import(store, ref, path, *, progress, cancel, **options):  # type: ignore[no-untyped-def]
        started.set()
        for step in range(500):
            progress(step / 500, "reading")
            time.sleep(0.01)
        raise AssertionError("should have been cancelled")

    from workbench.ingest import batch

    monkeypatch.setattr(batch, "import_file", slow_import)
    billing = tmp_path / "billing.csv"
    billing.write_text(BILLING)
    dialog.add_files([billing])
    task = dialog.start()
    assert dialog.cancel_button.isEnabled() and not dialog.close_button.isEnabled()
    assert started.wait(5)
    qtbot.waitUntil(lambda: dialog.progress.value() > 0, timeout=5000)
    with qtbot.waitSignal(task.signals.cancelled, timeout=5000):
        dialog.cancel_button.click()
    assert "cancelled" in dialog.status.text()
    assert dialog.close_button.isEnabled()


def test_task_signals_and_throttled_progress(qtbot):
    def work(n, *, progress, cancel):
        for i in range(n):
            progress(i / n, f"step {i}")
        progress(1.0, "done")
        return n * 2

    task = Task(work, 2000)
    reports = []
    task.signals.progress.connect(lambda f, m: reports.append(f))
    runner = TaskRunner()
    with qtbot.waitSignal(task.signals.finished) as blocker:
        runner.start(task)
    assert blocker.args == [4000]
    qtbot.waitUntil(lambda: reports and reports[-1] == 1.0)
    assert len(reports) < 200  # throttled, yet the end is always reported

    def fails(*, progress, cancel):
        raise ValueError("file.csv: line 3: bad date")

    failing = Task(fails)
    with qtbot.waitSignal(failing.signals.failed) as blocker:
        runner.start(failing)
    assert "line 3" in str(blocker.args[0])


def test_a_new_task_cancels_the_old_one(qtbot):
    release = threading.Event()

    def waits(*, progress, cancel):
        while not cancel.cancelled:
            time.sleep(0.005)
        release.set()
        raise Cancelled()

    def quick(*, progress, cancel):
        return "second"

    runner = TaskRunner()
    first = runner.start(Task(waits))
    with qtbot.waitSignal(first.signals.cancelled):
        second = runner.start(Task(quick))
    assert release.is_set()
    qtbot.waitUntil(lambda: second.done)
    assert runner.current is second
    runner.wait()


UNRECOGNISED = """When,Caller,Callee,Kind,Secs
1615060800000,07700900102,07700900201,voice,95
1615061100000,07700900201,07700900102,sms,
1615061400000,07700900102,07700900201,voice,0
"""


def _import(qtbot, dialog):
    with qtbot.waitSignal(dialog.start().signals.finished, timeout=20_000):
        pass
    qtbot.waitUntil(lambda: not dialog.runner.running)


def test_columns_not_recognised_can_be_chosen_and_the_file_imported_again(qtbot, dialog, tmp_path):
    odd = tmp_path / "provider_export.csv"
    odd.write_text(UNRECOGNISED)
    dialog.add_files([odd])
    dialog.kind.setCurrentIndex(dialog.kind.findData("cdr"))  # not detected: headers unknown
    _import(qtbot, dialog)
    assert dialog.model.index(0, 4).data() == "Refused"
    assert "no to (" in dialog.error.text() and "(in the app: Columns…)" in dialog.error.text()

    chooser = dialog.choose_columns()
    assert chooser is not None
    qtbot.addWidget(chooser)
    assert chooser.combos["from"].currentText() == "Caller"  # recognised, shown as such
    assert chooser.combos["to"].currentData() is None  # "Not in this file"
    chooser.combos["timestamp"].setCurrentIndex(chooser.combos["timestamp"].findData("When"))
    chooser.combos["to"].setCurrentIndex(chooser.combos["to"].findData("Callee"))
    chooser.combos["type"].setCurrentIndex(chooser.combos["type"].findData("Kind"))
    chooser.combos["duration"].setCurrentIndex(chooser.combos["duration"].findData("Caller"))
    chooser.accept()  # 'Caller' twice: refused, saying so
    assert chooser.isVisible() and "'Caller' is chosen for both" in chooser.error.text()
    chooser.combos["duration"].setCurrentIndex(chooser.combos["duration"].findData("Secs"))
    chooser.accept()
    # Only what differs from the recognised columns ('Secs' is a known duration header).
    assert dialog.files[0].mapping == {"timestamp": "When", "to": "Callee", "type": "Kind"}
    assert dialog.model.index(0, 1).data() == "Call data records (3 columns chosen)"
    assert dialog.model.index(0, 4).data() == "Ready" and dialog.import_button.isEnabled()

    _import(qtbot, dialog)
    assert dialog.model.index(0, 4).data().startswith("Imported as")
    assert "(3 records" in dialog.model.index(0, 4).data()


def test_columns_cannot_be_chosen_for_files_that_are_not_tables(qtbot, dialog, tmp_path):
    chat = tmp_path / "WhatsApp Chat.txt"
    chat.write_text("20/06/2021, 14:30 - Kerry: hello\n")
    dialog.add_files([chat])
    assert not dialog.columns_button.isEnabled()
    report = tmp_path / "intel.json"
    report.write_text('[{"urn": "X/1"}]')
    dialog.add_files([report])
    dialog.kind.setCurrentIndex(dialog.kind.findData("intel"))
    assert dialog.columns_button.isEnabled()  # intelligence can come as CSV...
    assert dialog.choose_columns() is None  # ...but this one is JSON
    assert "not a table (JSON or XML)" in dialog.error.text()


def test_an_export_folder_adds_each_thread_file(qtbot, dialog, tmp_path):
    from tests.conftest import DATA

    dialog.add_folder(DATA / "ingest" / "messenger")
    assert [dialog.model.index(r, 0).data() for r in range(dialog.model.rowCount())] == [
        "inbox/kerrylowe_4821/message_1.json", "inbox/kerrylowe_4821/message_2.json"]
    assert {f.kind for f in dialog.files} == {"messenger"}
    empty = tmp_path / "nothing here"
    empty.mkdir()
    dialog.add_folder(empty)
    assert "no evidence files in the folder" in dialog.error.text()
    assert dialog.model.rowCount() == 2


def test_a_device_export_takes_the_owners_phone_from_the_owner_list(qtbot, dialog):
    from tests.conftest import DATA

    texts = DATA / "ingest" / "sms_backup" / "sms-20210401000000.xml"
    dialog.add_files([texts])
    assert dialog.owner.findData("pcso:+447700900101") > 0  # each of the officer's phones...
    assert "07700 900102 (personal)" in dialog.owner.itemText(dialog.owner.findData("pcso:+447700900102"))
    dialog.owner.setCurrentIndex(dialog.owner.findData("pcso"))  # ...because he has two
    _import(qtbot, dialog)
    assert dialog.model.index(0, 4).data() == "Refused"
    assert "choose it under Whose device or account" in dialog.error.text()
    dialog.owner.setCurrentIndex(dialog.owner.findData("pcso:+447700900102"))
    assert dialog.model.index(0, 4).data() == "Ready"
    _import(qtbot, dialog)
    assert dialog.model.index(0, 4).data().startswith("Imported as")


def test_the_exhibit_description_and_reference_are_taken_from_the_dialog(qtbot, dialog, tmp_path):
    from sqlalchemy import select

    from workbench.model import Exhibit

    billing = tmp_path / "work_billing.csv"
    billing.write_text(BILLING)
    dialog.add_files([billing])
    dialog.description.setText("Itemised billing for 07700 900101, served 01/04/2021")
    dialog.reference.setText("DC/17")
    dialog.description.editingFinished.emit()
    dialog.reference.editingFinished.emit()
    _import(qtbot, dialog)
    assert dialog.model.index(0, 4).data().startswith("Imported as DC/17 ")
    with dialog.context.store.reader() as session:
        exhibit = session.scalars(select(Exhibit).where(Exhibit.reference == "DC/17")).one()
    assert exhibit.description == "Itemised billing for 07700 900101, served 01/04/2021"


def test_files_and_folders_dropped_on_the_window_open_the_import_dialog(qtbot, case_store, tmp_path):
    from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    from tests.conftest import DATA
    from ui.main_window import MainWindow

    store, ref = case_store
    window = MainWindow(CaseContext(store, ref), QSettings(str(tmp_path / "s.ini"),
                                                           QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    billing = tmp_path / "work_billing.csv"
    billing.write_text(BILLING)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(billing)),
                  QUrl.fromLocalFile(str(DATA / "ingest" / "messenger"))])
    opened = []
    window.open_import = lambda paths: opened.append(ImportDialog(window.context, paths))  # type: ignore[method-assign]
    window.dropEvent(QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                                Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))
    dialog = opened[0]
    qtbot.addWidget(dialog)
    assert [dialog.model.index(r, 0).data() for r in range(dialog.model.rowCount())] == [
        "work_billing.csv", "inbox/kerrylowe_4821/message_1.json", "inbox/kerrylowe_4821/message_2.json"]
    assert [f.kind for f in dialog.files] == ["cdr", "messenger", "messenger"]


def test_an_exhibit_is_read_again_from_the_exhibits_tab(qtbot, dialog, tmp_path):
    from sqlalchemy import select

    from ui.people_panel import PeoplePanel
    from workbench.ingest.pipeline import import_file
    from workbench.model import Event, Exhibit

    context = dialog.context
    billing = tmp_path / "work_billing.csv"
    billing.write_text(BILLING)
    first = import_file(context.store, context.ref, billing, tz="America/New_York")
    context.reload()
    panel = PeoplePanel(context)
    qtbot.addWidget(panel)
    row = next(r for r in range(panel.exhibits_model.rowCount())
               if panel.exhibits_model.index(r, 0).data() == first.exhibit)
    panel.exhibits.selectRow(row)
    again = panel.read_again_selected("read with New York time by mistake")
    assert again is not None
    qtbot.addWidget(again)
    assert again.model.index(0, 0).data() == f"{first.exhibit} (work_billing.csv)"
    assert again.model.index(0, 1).data() == "Call data records, read again"
    assert again.files[0].tz == "America/New_York"  # the first reading's options, to correct
    again.tz.setText("Europe/London")
    again.tz.editingFinished.emit()
    _import(qtbot, again)
    assert again.model.index(0, 4).data().startswith(f"Imported as {first.exhibit} "), again.error.text()
    with context.store.reader() as session:
        exhibit = session.scalars(select(Exhibit).where(Exhibit.reference == first.exhibit)).one()
        assert [c.action for c in exhibit.continuity][-2:] == ["read again", "imported"]
        assert exhibit.file_name == "work_billing.csv" and exhibit.source_timezone == "Europe/London"
        hours = sorted(e.occurred_at.hour for e in session.scalars(
            select(Event).where(Event.exhibit_id == exhibit.id)))
    assert hours == [9, 17, 20]  # 10:00, 18:30, 21:15 BST on 1-2 April 2021


def test_an_exhibit_imported_by_mistake_is_withdrawn_from_the_exhibits_tab(qtbot, dialog, tmp_path):
    from ui.people_panel import PeoplePanel
    from workbench.ingest.pipeline import import_file

    context = dialog.context
    billing = tmp_path / "someone_elses_billing.csv"
    billing.write_text(BILLING)
    first = import_file(context.store, context.ref, billing)
    context.reload()
    events_before = context.timeline.count
    unattributed = [row["value"] for row in context.unresolved]
    assert "+447700900777" in unattributed  # a number only this file names
    panel = PeoplePanel(context)
    qtbot.addWidget(panel)
    assert not panel.withdraw_button.isEnabled()  # nothing chosen yet
    row = next(r for r in range(panel.exhibits_model.rowCount())
               if panel.exhibits_model.index(r, 0).data() == first.exhibit)
    panel.exhibits.selectRow(row)
    assert panel.withdraw_button.isEnabled()
    assert panel.withdraw_selected("another officer's phone")
    assert context.timeline.count == events_before - 3  # the views were reloaded
    assert [row["value"] for row in context.unresolved] == [
        value for value in unattributed if value != "+447700900777"]
    assert panel.tabs.tabText(1) == f"Unattributed ({len(unattributed) - 1})"
    row = next(r for r in range(panel.exhibits_model.rowCount())
               if panel.exhibits_model.index(r, 0).data() == first.exhibit)
    assert panel.exhibits_model.index(row, 3).data() == "withdrawn"
    assert "last: withdrawn" in panel.exhibits_model.index(row, 6).data()
    panel.exhibits.selectRow(row)
    assert not panel.withdraw_button.isEnabled() and panel.read_again_button.isEnabled()


def test_reading_again_needs_the_stored_copy(qtbot, dialog):
    from sqlalchemy import select

    from workbench.model import Exhibit

    with dialog.context.store.reader() as session:
        exhibit = session.scalars(select(Exhibit).where(Exhibit.reference == "JB/1")).one()
    dialog.read_again(exhibit, "wrong timezone")  # the fixture's JB/1 has no stored file
    assert dialog.model.rowCount() == 0
    assert "JB/1 cannot be read again: stored file is missing" in dialog.error.text()


def test_analyse_now_in_the_import_dialog_runs_the_window_s_analysis(qtbot, case_store, tmp_path):
    from PySide6.QtCore import QSettings

    from ui.main_window import MainWindow

    store, ref = case_store
    window = MainWindow(CaseContext(store, ref), QSettings(str(tmp_path / "s.ini"),
                                                           QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    asked = []
    window.analyse = lambda: asked.append(True)  # type: ignore[method-assign]
    dialog = window.open_import([])
    qtbot.addWidget(dialog)
    dialog.analyseRequested.emit()
    assert asked == [True]
    dialog.close()


def _thread(folder, name: str, content: str) -> None:  # type: ignore[no-untyped-def]
    import json

    (folder / name).mkdir(parents=True)
    (folder / name / "message_1.json").write_text(json.dumps({
        "participants": [{"name": "Kerry Lowe"}, {"name": "Dan Marsh"}],
        "messages": [{"sender_name": "Kerry Lowe", "timestamp_ms": 1617399000000,
                      "content": content}]}) if content else '{"messages": [')


def _run(qtbot, dialog) -> None:  # type: ignore[no-untyped-def]
    for item in dialog.files:
        item.owner = "pcso"
    task = dialog.start()
    assert task is not None, dialog.error.text()
    with qtbot.waitSignal(task.signals.finished, timeout=30_000):
        pass
    qtbot.waitUntil(lambda: not dialog.runner.running)


def test_a_folder_is_imported_all_or_none_naming_the_refused_file(qtbot, dialog, tmp_path):
    """#20: one bad thread in a folder leaves the folder's good threads out too."""
    inbox = tmp_path / "inbox"
    for name, text in (("alice_1", "hello"), ("bob_2", ""), ("carol_3", "bye")):
        _thread(inbox, name, text)
    exhibits_before = len(dialog.context.case.exhibits)
    dialog.add_folder(inbox)
    _run(qtbot, dialog)
    assert [dialog.model.index(row, 4).data() for row in range(3)] == ["Refused"] * 3
    assert len(dialog.context.case.exhibits) == exhibits_before  # nothing of the folder was kept
    error = dialog.error.text()
    assert "bob_2/message_1.json" in error and "imported all or none" in error
    (inbox / "bob_2" / "message_1.json").unlink()
    (inbox / "bob_2").rmdir()
    _thread(inbox, "bob_2", "fixed")
    dialog.files.clear()
    dialog.add_folder(inbox)
    _run(qtbot, dialog)
    assert all(dialog.model.index(row, 4).data().startswith("Imported as") for row in range(3))
    assert len(dialog.context.case.exhibits) == exhibits_before + 3
