"""The small problems of issue #18: key, search marks, elided labels, shortcuts, presentation."""

from __future__ import annotations

from unittest.mock import patch

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QMessageBox

from ui.details_panel import highlighted
from ui.search_panel import marked_html, snippet
from ui.timeline.painter import LABEL_W


@pytest.fixture
def window(make_window):
    return make_window(anonymise=True)  # these checks are of the anonymised view


def test_timeline_key_lists_shapes_and_colours(window):
    key = window.views.timeline_key
    assert key.isVisible()
    entries = key.widgetForAction(key.actions()[0]).entries()
    for words in ("Call", "Text", "App message", "Police-system look-up", "Vehicle stop",
                  "From the officer (upper row)", "To the officer (lower row)"):
        assert words in entries


def test_search_marks_its_words_and_centres_the_snippet():
    assert marked_html("Hi Kerry, kerry?", "kerry", "#ff0").count("<span") == 2
    text = "a" * 300 + " needle " + "b" * 300
    shown = snippet(text, "needle")
    assert "needle" in shown and shown.startswith("…") and shown.endswith("…")
    assert "text-decoration:underline" in highlighted("call me kerry", "#ff0", "KERRY")


def test_lane_labels_have_their_full_text_in_a_tooltip(window):
    timeline = window.timeline
    geo = timeline.geometry_now()
    y = geo.lane_y(0, timeline.view.first_lane) + geo.lane_h / 2
    tip = timeline.tooltip_at(QPointF(LABEL_W / 3, y))
    lane = timeline.data.lanes[0]
    assert lane.counterpart in tip and "events" in tip


def test_shortcuts_box_names_f5_and_the_presentation_keys(window):
    with patch.object(QMessageBox, "information") as shown:
        window.show_shortcuts()
    text = shown.call_args[0][2]
    for words in ("F5 presentation mode", "S summary", "C chart", "N names", "Ctrl+Shift+K",
                  "Ctrl+Shift+T"):
        assert words in text


def test_presentation_explains_its_keys_and_names_box_is_readable(qtbot, case_store):
    from ui.presentation import KEYS, STYLE, PresentationWindow

    store, ref = case_store
    presentation = PresentationWindow(store, ref)
    qtbot.addWidget(presentation)
    presentation.show()
    assert KEYS in presentation.footer.text() and "S summary" in KEYS
    assert "QMessageBox QLabel { color: #ffffff" in STYLE and "QMessageBox { background: #2b2d31" in STYLE
