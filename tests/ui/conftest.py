"""UI test fixtures: a small realistic case, and checks that no test leaks windows or threads."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from workbench import audit, casefile
from workbench.model import DutyShift, Exhibit, Identifier, Marker, MarkerEvidence
from workbench.store import Store
from workbench.store.bulk import EventWriter
from workbench.store.queries import find_case

DATA = Path(__file__).resolve().parents[1] / "data"


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2021, month, day, hour, minute, tzinfo=UTC)


def populate(store: Store) -> str:
    """OP-WILLOW with contact across channels, a roster, an unattributed number and markers."""
    ref = casefile.create_case(store, casefile.load(DATA / "willow.toml"))
    with store.session() as session:
        case = find_case(session, ref)
        pcso, woman, colleague = (case.person(k) for k in ("pcso", "woman_a", "colleague"))
        ident = {(i.kind, i.person.key if i.person else None, i.use): i.id for i in case.identifiers}
        work = ident[("phone", "pcso", "work")]
        personal = ident[("phone", "pcso", "personal")]
        her_phone = ident[("phone", "woman_a", "unknown")]
        her_whatsapp = ident[("whatsapp", "woman_a", "unknown")]
        his_whatsapp = ident[("whatsapp", "pcso", "personal")]
        record = ident[("police_record", "woman_a", "unknown")]
        system_user = ident[("system_user", "pcso", "work")]
        vehicle = ident[("vehicle", "pcso", "work")]
        stranger = Identifier(case_id=case.id, kind="phone", value="+447700900999",
                              display="07700 900999", use="unknown")
        session.add(stranger)
        exhibit = Exhibit(case_id=case.id, reference="JB/1", producer="DC Jane Brown",
                          file_name="billing.csv", sha256="ab" * 32, size=1234, kind="cdr",
                          record_count=12, owner_id=pcso.id)
        chat = Exhibit(case_id=case.id, reference="JB/2", producer="DC Jane Brown",
                       file_name="WhatsApp Chat with Kerry.txt", sha256="cd" * 32, size=999,
                       kind="whatsapp", record_count=4, owner_id=pcso.id)
        session.add_all([exhibit, chat])
        session.flush()
        rows = [
            (exhibit.id, "line 2", at(1, 10, 30), "call", "work_mobile", "outgoing", work, her_phone, 120.0, None),
            (exhibit.id, "line 3", at(2, 9, 5), "sms", "work_mobile", "incoming", her_phone, work, None, "Thanks for coming round"),
            (exhibit.id, "line 4", at(4, 16), "call", "work_mobile", "outgoing", work, her_phone, 45.0, None),
            (exhibit.id, "line 5", at(20, 19, 2), "sms", "personal_mobile", "outgoing", personal, her_phone, None, "Hi Kerry its Dan, this is my own number x"),
            (exhibit.id, "line 6", at(20, 23, 40), "call", "personal_mobile", "outgoing", personal, her_phone, 3.0, None),
            (exhibit.id, "line 7", at(21, 0, 10), "call", "personal_mobile", "outgoing", personal, her_phone, 2.0, None),
            (exhibit.id, "line 8", at(22, 12), "call", "personal_mobile", "incoming", stranger.id, personal, 60.0, None),
            (chat.id, "line 1", at(22, 22, 15), "message", "whatsapp", "outgoing", his_whatsapp, her_whatsapp, None, "You looked lovely today Kerry xx"),
            (chat.id, "line 2", at(22, 22, 20), "message", "whatsapp", "incoming", her_whatsapp, his_whatsapp, None, "Thank you"),
            (chat.id, "line 3", at(22, 22, 31), "message", "whatsapp", "outgoing", his_whatsapp, her_whatsapp, None, "Best you don't mention you have my number, call me on 07700 900102"),
            (exhibit.id, "row 9", at(25, 2, 14), "system_lookup", "police_system", "outgoing", system_user, record, None, "Niche person search"),
            (exhibit.id, "row 10", at(26, 21), "vehicle_stop", "telematics", "unknown", vehicle, None, 900.0, None),
        ]
        writer = EventWriter(session)
        for exhibit_id, position, when, kind, channel, direction, sender, recipient, duration, text in rows:
            writer.add((case.id, exhibit_id, position, when, False, kind, channel, direction,
                        sender, recipient, duration, None, text, None, None, None))
        writer.flush()
        for day in range(1, 31):
            start = at(day, 7)
            on = day % 7 not in (5, 6)
            session.add(DutyShift(case_id=case.id, person_id=pcso.id, start=start,
                                  end=start + timedelta(hours=10), on_duty=on,
                                  duty_type="on duty" if on else "rest day"))
        session.flush()
        from workbench.model import Event

        events = {e.source_position + e.exhibit.reference: e.id for e in session.scalars(
            select(Event).where(Event.case_id == case.id))}
        shift = Marker(case_id=case.id, key="m1", rule="channel_shift", severity="high",
                       start=at(20, 19, 2), end=at(20, 19, 2), subject_id=pcso.id,
                       member_id=woman.id,
                       explanation="Contact began on the work phone and continued on the "
                                   "officer's personal phone.")
        shift.evidence = [MarkerEvidence(event_id=events["line 2JB/1"]),
                          MarkerEvidence(event_id=events["line 5JB/1"])]
        words = Marker(case_id=case.id, key="m2", rule="affectionate_language", severity="medium",
                       start=at(22, 22, 15), end=at(22, 22, 15), subject_id=pcso.id,
                       member_id=woman.id, explanation="A message ends with kisses.")
        words.evidence = [MarkerEvidence(event_id=events["line 1JB/2"], detail=["xx", "lovely"])]
        secret = Marker(case_id=case.id, key="m3", rule="secrecy_request", severity="high",
                        start=at(22, 22, 31), end=at(22, 22, 31), subject_id=pcso.id,
                        member_id=woman.id, explanation="A message asks her to keep the number secret.")
        secret.evidence = [MarkerEvidence(event_id=events["line 3JB/2"])]
        lookup = Marker(case_id=case.id, key="m4", rule="system_lookup", severity="low",
                        start=at(25, 2, 14), end=at(25, 2, 14), subject_id=pcso.id,
                        member_id=woman.id, explanation="A records search after closure.")
        lookup.evidence = [MarkerEvidence(event_id=events["row 9JB/1"])]
        session.add_all([shift, words, secret, lookup])
        _ = colleague
        session.flush()  # built by hand, recorded as the application records a change
        audit.append(session, case, "test_fixture", {"built": "OP-WILLOW for the app"})
    return ref


@pytest.fixture
def case_store(store: Store) -> tuple[Store, str]:
    """A store holding the populated OP-WILLOW case; returns (store, ref)."""
    return store, populate(store)


@pytest.fixture
def make_window(qtbot, case_store, tmp_path):  # type: ignore[no-untyped-def]
    """Opens main windows on the OP-WILLOW case, with a settings file of the test's own:
    on a new context (names shown unless ``anonymise``) or the one given; shown at
    1400x900 and exposed unless ``show`` is False."""
    from PySide6.QtCore import QSettings

    from ui.case_context import CaseContext
    from ui.main_window import MainWindow

    store, ref = case_store

    def make(*, anonymise: bool = False, context: CaseContext | None = None,
             show: bool = True) -> MainWindow:
        window = MainWindow(context or CaseContext(store, ref, anonymise=anonymise),
                            QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
        qtbot.addWidget(window)
        if show:
            window.resize(1400, 900)
            window.show()
            qtbot.waitExposed(window)
        return window

    return make


@pytest.fixture
def window(make_window):  # type: ignore[no-untyped-def]
    """The main window on the OP-WILLOW case, shown, names shown."""
    return make_window()


@pytest.fixture
def populate_case():
    """The function that fills a store with the OP-WILLOW test case (for other stores)."""
    return populate


@pytest.fixture(autouse=True)
def no_leaks(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test that leaves top-level windows open or worker threads running."""
    threads_before = set(threading.enumerate())
    yield
    if "qapp" not in request.fixturenames and "qtbot" not in request.fixturenames:
        return
    from PySide6.QtCore import QThreadPool
    from PySide6.QtWidgets import QApplication

    QThreadPool.globalInstance().waitForDone(5000)
    app = QApplication.instance()
    if app is not None:
        app.processEvents()
        leaked = [w for w in app.topLevelWidgets() if w.isVisible()]
        for widget in leaked:
            widget.close()
        assert not leaked, f"test left windows open: {[w.windowTitle() or type(w).__name__ for w in leaked]}"
    # The worker processes' manager thread lives as long as the app (as Qt's pool does).
    left = [t for t in threading.enumerate() if t not in threads_before and t.is_alive()
            and not t.daemon and type(t).__name__ != "_ExecutorManagerThread"]
    assert not left, f"test left threads running: {[t.name for t in left]}"
    assert QThreadPool.globalInstance().activeThreadCount() == 0, "a worker is still running"
