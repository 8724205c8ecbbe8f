"""The optional offline basemap: MBTiles tiles drawn under the map in the same projection."""

from __future__ import annotations

import hashlib
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

from graphs.map_chart import MapArea, MapPoint, Projection, render_map
from graphs.map_tiles import tile_at, tile_bounds
from tests.workbench.case_builder import add_events
from tests.workbench.tiny_mbtiles import CHECKER, checker_colour, make_mbtiles
from workbench.basemap import Basemap
from workbench.cli import main
from workbench.errors import WorkbenchError
from workbench.map_view import write_map

HOME = (53.8008, -1.5491)
AREAS = [MapArea(*HOME, 150.0, "Home address")]
POINTS = [MapPoint(HOME[0] + 0.004, HOME[1] + 0.006, "vehicle_stop", "off", 1200.0),
          MapPoint(HOME[0] - 0.003, HOME[1] - 0.007, "contact", "on")]
ZOOM = 15


def drawn(figure) -> np.ndarray:
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[:, :, :3].astype(int)


def checker_pixels(image: np.ndarray) -> int:
    return sum(int((np.abs(image - colour).sum(axis=2) <= 12).sum()) for colour in CHECKER)


def test_tiles_line_up_with_the_points(tmp_path):
    basemap = Basemap.open(make_mbtiles(tmp_path / "leeds.mbtiles", HOME, zooms=range(ZOOM, ZOOM + 1)))
    figure = render_map(AREAS, POINTS, basemap=basemap)
    image = drawn(figure)
    height = image.shape[0]
    axes = figure.axes[0]
    projection = Projection.around(AREAS, POINTS)
    (x0, x1), (y0, y1) = axes.get_xlim(), axes.get_ylim()
    checked = wrong = 0
    cx, cy = tile_at(ZOOM, *HOME)
    for x in range(cx - 3, cx + 4):
        for y in range(cy - 3, cy + 4):
            west, south, east, north = tile_bounds(ZOOM, x, y)
            for fx in (0.1, 0.5, 0.9):  # near each edge of the tile, and its middle
                for fy in (0.1, 0.5, 0.9):
                    at = projection.xy(south + fy * (north - south), west + fx * (east - west))
                    if not (x0 < at[0] < x1 and y0 < at[1] < y1):
                        continue
                    px, py = axes.transData.transform(at)
                    pixel = image[int(height - py), int(px)]
                    near = [int(np.abs(pixel - np.array(c)).sum()) for c in CHECKER]
                    if min(near) > 12:
                        continue  # a symbol, circle or text is drawn over the tile here
                    checked += 1
                    wrong += CHECKER[int(np.argmin(near))] != checker_colour(x, y)
    assert checked >= 12 and wrong == 0
    assert any(t.get_text() == "Test tiles" for t in axes.texts)  # the attribution


def test_default_is_the_plain_canvas(tmp_path):
    assert checker_pixels(drawn(render_map(AREAS, POINTS))) == 0


def test_an_area_without_tiles_says_so(tmp_path):
    basemap = Basemap.open(make_mbtiles(tmp_path / "elsewhere.mbtiles", (51.5, -0.12)))
    figure = render_map(AREAS, POINTS, basemap=basemap)
    assert checker_pixels(drawn(figure)) == 0
    assert any("No basemap tiles" in t.get_text() for t in figure.axes[0].texts)


def test_the_file_is_never_changed(tmp_path):
    path = make_mbtiles(tmp_path / "leeds.mbtiles", HOME)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    render_map(AREAS, POINTS, basemap=Basemap.open(path))
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["leeds.mbtiles"]  # no journal beside it


def _sqlite(path, *statements):
    with closing(sqlite3.connect(path)) as db:
        for statement in statements:
            db.execute(statement)
        db.commit()
    return path


@pytest.mark.parametrize("make, reason", [
    (lambda p: p, "no such basemap file"),
    (lambda p: p.write_text("just some text, not a database") and p, "file is not a database"),
    (lambda p: _sqlite(p, "CREATE TABLE images (x)"), "it has no tiles table"),
    (lambda p: _sqlite(p, "CREATE TABLE tiles (zoom_level, tile_column, tile_row)"), "has no tile_data"),
    (lambda p: _sqlite(p, "CREATE TABLE tiles (zoom_level, tile_column, tile_row, tile_data)"),
     "holds no tiles"),
    (lambda p: make_mbtiles(p, HOME, zooms=range(14, 15), metadata={"format": "pbf"}),
     "its tiles are pbf"),
])
def test_a_bad_file_is_refused_naming_it_and_why(tmp_path, make, reason):
    path = tmp_path / "unit-basemap.mbtiles"
    make(path)
    with pytest.raises(WorkbenchError) as caught:
        Basemap.open(path)
    message = str(caught.value)
    assert message.startswith(str(path)) and reason in message and "\n" not in message


def test_an_unreadable_tile_is_named(tmp_path):
    path = make_mbtiles(tmp_path / "leeds.mbtiles", HOME, zooms=range(ZOOM, ZOOM + 1), around=0)
    _sqlite(path, "UPDATE tiles SET tile_data = x'00010203'")
    x, y = tile_at(ZOOM, *HOME)
    with pytest.raises(WorkbenchError, match=f"leeds.mbtiles: tile {ZOOM}/{x}/{y} cannot be read"):
        render_map(AREAS, POINTS, basemap=Basemap.open(path))


@pytest.fixture
def located(willow):
    day = datetime(2021, 3, 10, 9, tzinfo=UTC)
    add_events(willow, "OP-WILLOW", [
        {"at": day + timedelta(hours=n), "kind": "vehicle_stop", "sender": ("vehicle", "YX21 ABC"),
         "lat": HOME[0] + 0.002 * n, "lon": HOME[1], "duration": 900} for n in range(3)])
    return willow


def test_workbench_map_tiles_draws_them_and_refuses_when_anonymised(located, tmp_path, capsys):
    tiles = make_mbtiles(tmp_path / "leeds.mbtiles", HOME, zooms=range(12, 17), around=4)
    url = str(located.engine.url)
    out = tmp_path / "map.png"
    assert main(["--db", url, "map", "OP-WILLOW", "--out", str(out), "--tiles", str(tiles)]) == 0
    assert checker_pixels(np.asarray(Image.open(out).convert("RGB")).astype(int)) > 10_000
    assert main(["--db", url, "map", "OP-WILLOW", "--out", str(tmp_path / "anon.png"),
                 "--anonymise", "--tiles", str(tiles)]) != 0
    assert "anonymised maps are drawn without one" in capsys.readouterr().err
    assert not (tmp_path / "anon.png").exists()
    missing = tmp_path / "nowhere.mbtiles"
    assert main(["--db", url, "map", "OP-WILLOW", "--out", str(tmp_path / "m.png"),
                 "--tiles", str(missing)]) != 0
    assert f"{missing}: no such basemap file" in capsys.readouterr().err
    with pytest.raises(WorkbenchError, match="KML carries no basemap"):
        write_map(located, "OP-WILLOW", tmp_path / "map.kml", basemap=Basemap.open(tiles))
