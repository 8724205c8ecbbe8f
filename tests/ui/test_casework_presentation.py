"""Presentation mode: accepted markers in time order, anonymised, nothing restricted, 24 pt, Esc."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from ui.presentation import PresentationWindow
from ui.presentation_timeline import PresentationTimeline
from workbench.analysis import review_marker
from workbench.casework.intel import IntelFields, add_intel_report

REAL_NAMES = ("Kerry Lowe", "Kerry", "Lowe", "900201", "7700 900201", "Priya", "Shah")
SECRET = "messaging a woman in the Holbeck area"


@pytest.fixture
def presented(qtbot, case_store, monkeypatch):
    store, ref = case_store
    monkeypatch.setattr(PresentationTimeline, "ANIMATION_MS", 0)
    from ui.case_context import CaseContext

    markers = {m.rule: m for m in CaseContext(store, ref).markers}
    # Reviewed out of order; one left open, one dismissed: neither is presented.
    for rule in ("system_lookup", "secrecy_request", "channel_shift"):
        review_marker(store, markers[rule].id, accept=True, reason=f"Checked the {rule} records of Kerry Lowe")
    add_intel_report(store, ref, IntelFields(
        urn="INT-2021-007781", submitted=date(2021, 8, 19), grading="3/C/C",
        conditions="Not for inclusion in any open bundle", text=f"A PCSO is {SECRET}."))
    window = PresentationWindow(store, ref)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    return window, markers


def test_arrow_keys_step_through_accepted_markers_in_time_order(qtbot, presented):
    window, markers = presented
    seen = []
    for _ in range(window.slide_count + 2):
        slide = window.current_marker()
        if slide is not None:
            seen.append(slide.rule)
            evidence = {window.timeline.data.position_of(e) for e in slide.evidence}
            assert set(window.timeline.view.highlighted.tolist()) == evidence - {None}
            start, end = window.timeline.view.start, window.timeline.view.end
            assert start <= slide.start.timestamp() <= end
            assert window.explanation.text() and window.rule.text() == slide.title
        qtbot.keyClick(window, Qt.Key.Key_Right)
    assert seen == ["channel_shift", "secrecy_request", "system_lookup"]
    assert window.pages.currentIndex() == 1  # the case summary comes last
    assert "Risk level" in window.level.text()
    qtbot.keyClick(window, Qt.Key.Key_Left)
    assert window.current_marker().rule == "system_lookup"


def test_nothing_the_audience_should_not_see(qtbot, presented):
    window, _markers = presented
    window.toggle_chart()
    assert window.chart_view.isVisible() and window.chart_scene.nodes
    for _ in range(window.slide_count):
        text = window.visible_text()
        for name in REAL_NAMES:
            assert name not in text, name
        assert SECRET not in text and "INT-2021-007781" not in text
        assert not any(word in text for word in (".csv", ".txt", "billing", "/tmp", "evidence/"))
        assert "ANONYMISED" in text
        assert window.smallest_text_points() >= 24
        window.step(1)
    assert "withheld" in window.counts.text()


def test_names_only_when_the_presenter_turns_anonymising_off(qtbot, presented):
    window, _markers = presented
    assert "Kerry" not in window.visible_text()
    window.set_anonymise(False)
    assert "Kerry Lowe" in window.visible_text() and "NAMES SHOWN" in window.badge.text()
    assert SECRET not in window.visible_text()  # handling conditions still apply
    window.set_anonymise(True)
    assert "Kerry" not in window.visible_text()


def test_escape_returns(qtbot, presented):
    window, _markers = presented
    with qtbot.waitSignal(window.closed, timeout=2000):
        qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.isVisible()


def test_a_case_with_nothing_accepted_opens_on_the_summary(qtbot, case_store):
    store, ref = case_store
    window = PresentationWindow(store, ref)
    qtbot.addWidget(window)
    assert window.slide_count == 1 and window.current_marker() is None
    assert "no markers have been accepted" in window.summary_title.text()
    assert "out of date" not in window.counts.text()  # nothing changed since the markers


def test_out_of_date_markers_are_said_to_be_so_on_every_slide(qtbot, presented):
    window, _markers = presented
    # The fixture added an intelligence report after the markers were made.
    assert "MAY BE OUT OF DATE" in window.footer.text()
    window.show_summary()
    assert "These markers may be out of date: the evidence has changed" in window.counts.text()
    assert "an intelligence report added" in window.counts.text()


def test_in_the_app_the_chart_and_names_are_read_in_a_worker(qtbot, presented, monkeypatch):
    """C and N as the app's presentation takes them: the chart and the slides under the other
    switch are read in a worker process (seconds on a big case), never on the GUI thread."""
    from PySide6.QtWidgets import QMessageBox

    from workbench import worker_process

    old, _markers = presented
    window = PresentationWindow(old.store, old.ref, offload=worker_process.elsewhere)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    qtbot.keyClick(window, Qt.Key.Key_C)
    assert not window.chart_scene.nodes and "Reading" in window.footer.text()  # not read here
    qtbot.waitUntil(lambda: bool(window.chart_scene.nodes), timeout=30_000)
    assert window.chart_view.isVisible() and not window.timeline.isVisible()
    assert window.chart_anonymised is True and "Kerry" not in window.visible_text()

    monkeypatch.setattr(QMessageBox, "question", lambda *_args: QMessageBox.StandardButton.Yes)
    qtbot.keyClick(window, Qt.Key.Key_N)
    assert "ANONYMISED" in window.badge.text()  # until the names have been read
    qtbot.waitUntil(lambda: "NAMES SHOWN" in window.badge.text(), timeout=30_000)
    assert "Kerry Lowe" in window.visible_text() and window.chart_anonymised is False

    qtbot.keyClick(window, Qt.Key.Key_N)  # names off: off the screen at once
    assert "Kerry" not in window.visible_text() and "ANONYMISED" in window.badge.text()
    qtbot.waitUntil(window.pages.isVisible, timeout=30_000)
    assert "Kerry" not in window.visible_text() and "ANONYMISED" in window.badge.text()

    # Names asked for, then the chart hidden while they are still being read: the later
    # request keeps the earlier one (names shown), and the read it replaced, landing
    # late, does not bring the chart back.
    qtbot.keyClick(window, Qt.Key.Key_N)
    qtbot.keyClick(window, Qt.Key.Key_C)
    qtbot.waitUntil(lambda: "NAMES SHOWN" in window.badge.text(), timeout=30_000)
    window.reader.wait()
    qtbot.wait(200)
    assert not window.chart_view.isVisible() and window.timeline.isVisible()
    assert "Kerry Lowe" in window.visible_text()
