"""A tiny MBTiles file built in a test: solid checkerboard tiles around a point."""

from __future__ import annotations

import io
import sqlite3
from contextlib import closing
from pathlib import Path

from PIL import Image

from graphs.map_tiles import tile_at

# Two colours no map symbol uses, so a pixel tells which tile is under it.
CHECKER = ((250, 230, 160), (170, 210, 250))


def checker_colour(x: int, y: int) -> tuple[int, int, int]:
    return CHECKER[(x + y) % 2]


def png(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (256, 256), colour).save(out, format="PNG")
    return out.getvalue()


def make_mbtiles(path: Path, centre: tuple[float, float], zooms: range = range(14, 17),
                 around: int = 3, metadata: dict[str, str] | None = None) -> Path:
    """Tiles ``around`` either side of ``centre`` at each zoom, rows stored TMS-style."""
    with closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
        db.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, "
                   "tile_data BLOB)")
        values = {"name": "test", "format": "png", "attribution": "Test tiles",
                  **(metadata or {})}
        db.executemany("INSERT INTO metadata VALUES (?, ?)", values.items())
        for z in zooms:
            cx, cy = tile_at(z, *centre)
            for x in range(cx - around, cx + around + 1):
                for y in range(cy - around, cy + around + 1):
                    db.execute("INSERT INTO tiles VALUES (?, ?, ?, ?)",
                               (z, x, 2 ** z - 1 - y, png(checker_colour(x, y))))
        db.commit()
    return path
