"""The map view in the app: it draws, filters, follows the case's time range and exports."""

from __future__ import annotations

import pytest

from tests.ui.conftest import at
from tests.workbench.case_builder import add_events
from ui.case_context import CaseContext
from ui.map_panel import MapPanel

HOME = (53.8008, -1.5491)

@pytest.fixture
def mapped(case_store):
    store, ref = case_store
    add_events(store, ref, [
        {"at": at(3, 9), "kind": "vehicle_stop", "sender": ("vehicle", "YX21 ABC"),
         "lat": HOME[0], "lon": HOME[1] + 0.0005, "duration": 1200},  # a weekday shift
        {"at": at(6, 10), "kind": "vehicle_stop", "sender": ("vehicle", "YX21 ABC"),
         "lat": HOME[0], "lon": HOME[1] + 0.0004, "duration": 2400},  # a rest day
    ], exhibit="TX/1")
    return store, ref

def test_map_draws_filters_and_follows_the_range(qtbot, mapped):
    store, ref = mapped
    context = CaseContext(store, ref)
    panel = MapPanel(context)
    qtbot.addWidget(panel)
    panel.resize(900, 600)
    with qtbot.waitSignal(panel.drawn, timeout=20_000):  # read and drawn in workers
        panel.show()
    assert [p.group for p in panel.data.points] == ["on", "off"]
    assert not panel.canvas.pixmap().isNull()
    with qtbot.waitSignal(panel.loaded, timeout=20_000):
        panel.duty.setCurrentIndex(panel.duty.findData("off"))
    assert [p.group for p in panel.data.points] == ["off"]
    with qtbot.waitSignal(panel.loaded, timeout=20_000):
        panel.duty.setCurrentIndex(0)
    with qtbot.waitSignal(panel.loaded, timeout=20_000):
        context.select_range((int(at(5, 0).timestamp()), int(at(7, 0).timestamp())))
    assert len(panel.data.points) == 1
    with qtbot.waitSignal(panel.loaded, timeout=20_000):
        context.select_range(None)
    assert len(panel.data.points) == 2
    assert "2 stops" in panel.summary.text()

def test_map_export_and_anonymised_labels(qtbot, mapped, tmp_path):
    store, ref = mapped
    context = CaseContext(store, ref, anonymise=True)
    panel = MapPanel(context)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.loaded, timeout=20_000):
        panel.show()
    assert [a.label for a in panel.data.areas] == ["Place of Woman A"]
    assert panel.person.itemText(panel.person.findData("woman_a")) == "Woman A"
    out = panel.export(str(tmp_path / "map.png"))
    assert out is not None and out.read_bytes().startswith(b"\x89PNG")
