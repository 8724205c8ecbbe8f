"""The map view in the app: it draws, filters, follows the case's time range and exports."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from tests.ui.conftest import at
from tests.workbench.case_builder import add_events
from tests.workbench.tiny_mbtiles import CHECKER, make_mbtiles
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


@pytest.fixture
def tiles(tmp_path):
    return make_mbtiles(tmp_path / "unit-basemap.mbtiles", HOME, zooms=range(13, 18), around=3)


def checker_pixels(panel) -> int:
    image = panel.canvas.pixmap().toImage()
    found = 0
    for y in range(0, image.height(), 4):
        for x in range(0, image.width(), 4):
            colour = image.pixelColor(x, y)
            rgb = (colour.red(), colour.green(), colour.blue())
            found += any(sum(abs(a - b) for a, b in zip(rgb, c, strict=True)) <= 12 for c in CHECKER)
    return found


def test_basemap_button_draws_tiles_remembers_them_and_hides_them_when_anonymised(
        qtbot, mapped, tiles, tmp_path, monkeypatch):
    store, ref = mapped
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    context = CaseContext(store, ref)
    panel = MapPanel(context, settings=settings)
    qtbot.addWidget(panel)
    panel.resize(900, 600)
    with qtbot.waitSignal(panel.drawn, timeout=20_000):  # read and drawn in workers
        panel.show()
    assert checker_pixels(panel) == 0 and not panel.plain_button.isEnabled()  # plain by default
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(tiles), ""))
    qtbot.mouseClick(panel.basemap_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: checker_pixels(panel) > 1000, timeout=20_000)  # drawn in a worker
    assert settings.value("map/basemap") == str(tiles)
    assert "unit-basemap.mbtiles" in panel.basemap_note.text()

    again = MapPanel(context, settings=settings)  # the next session finds it in the settings
    qtbot.addWidget(again)
    assert again.basemap is not None and again.basemap.path == tiles

    context.set_anonymise(True)
    qtbot.waitUntil(lambda: checker_pixels(panel) == 0, timeout=20_000)
    assert "hidden while anonymised" in panel.basemap_note.text()
    context.set_anonymise(False)
    qtbot.waitUntil(lambda: checker_pixels(panel) > 1000, timeout=20_000)
    qtbot.mouseClick(panel.plain_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: checker_pixels(panel) == 0, timeout=20_000)
    assert settings.value("map/basemap") is None


def test_a_bad_basemap_is_refused_naming_the_file(qtbot, mapped, tmp_path, monkeypatch):
    store, ref = mapped
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    panel = MapPanel(CaseContext(store, ref), settings=settings)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.drawn, timeout=20_000):
        panel.show()
    bad = tmp_path / "notes.mbtiles"
    bad.write_text("not a database at all")
    warnings = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(bad), ""))
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, text: warnings.append((title, text)))
    qtbot.mouseClick(panel.basemap_button, Qt.MouseButton.LeftButton)
    assert warnings == [("Basemap not used", f"{bad}: not an MBTiles basemap: file is not a database")]
    assert panel.basemap is None and settings.value("map/basemap") is None
    settings.setValue("map/basemap", str(tmp_path / "moved.mbtiles"))  # gone since it was chosen
    later = MapPanel(CaseContext(store, ref), settings=settings)
    qtbot.addWidget(later)
    assert later.basemap is None and "moved.mbtiles: no such basemap file" in later.basemap_note.text()
    assert later.plain_button.isEnabled()
