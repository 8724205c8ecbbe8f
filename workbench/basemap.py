"""A unit's offline basemap: raster tiles in an MBTiles file, read-only, no network.

An MBTiles file is SQLite with a ``tiles`` table (``zoom_level``, ``tile_column``,
``tile_row``, ``tile_data``), rows numbered from the south (TMS), and usually a
``metadata`` table (``format``, ``attribution``...). The file is opened read-only and
immutable, so it is never changed; a file that is not one, or holds vector tiles, is
refused with one line naming the file and the reason.
"""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path

import numpy as np

from graphs.map_tiles import Tile, choose_zoom, tile_bounds, tile_range
from workbench.errors import WorkbenchError

RASTER_FORMATS = frozenset({"png", "jpg", "jpeg", "webp"})
TILE_COLUMNS = frozenset({"zoom_level", "tile_column", "tile_row", "tile_data"})


class Basemap:
    """Tiles from one MBTiles file; use :meth:`open`, which checks the file first."""

    def __init__(self, path: Path, zooms: tuple[int, int], attribution: str) -> None:
        self.path = path
        self.zooms = zooms
        self.attribution = attribution

    @classmethod
    def open(cls, path: str | Path) -> Basemap:
        """Check that ``path`` is a raster MBTiles file and read its zoom range."""
        path = Path(path)
        if not path.is_file():
            raise WorkbenchError(f"{path}: no such basemap file")
        try:
            with closing(_connect(path)) as db:
                kinds = dict(db.execute("SELECT name, type FROM sqlite_master WHERE name IN "
                                        "('tiles', 'metadata')").fetchall())
                if "tiles" not in kinds:
                    raise WorkbenchError(f"{path}: not an MBTiles basemap: it has no tiles table")
                columns = {row[1] for row in db.execute("PRAGMA table_info(tiles)")}
                if not TILE_COLUMNS <= columns:
                    missing = ", ".join(sorted(TILE_COLUMNS - columns))
                    raise WorkbenchError(f"{path}: not an MBTiles basemap: its tiles table has no "
                                         f"{missing}")
                metadata = dict(db.execute("SELECT name, value FROM metadata").fetchall()
                                ) if "metadata" in kinds else {}
                low, high = db.execute("SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles").fetchone()
        except sqlite3.DatabaseError as exc:
            raise WorkbenchError(f"{path}: not an MBTiles basemap: {exc}") from None
        tile_format = str(metadata.get("format") or "png").lower()
        if tile_format not in RASTER_FORMATS:
            raise WorkbenchError(f"{path}: its tiles are {tile_format}, not pictures (png or jpg); "
                                 "vector tiles cannot be drawn")
        if low is None:
            raise WorkbenchError(f"{path}: the basemap holds no tiles")
        return cls(path, (int(low), int(high)), str(metadata.get("attribution") or ""))

    def tiles(self, west: float, south: float, east: float, north: float,
              pixels_wide: int) -> Sequence[Tile]:
        """The decoded tiles covering the area, at a zoom fit for ``pixels_wide`` pixels."""
        z = choose_zoom(west, south, east, north, pixels_wide, self.zooms)
        columns, rows = tile_range(z, west, south, east, north)
        last = 2 ** z - 1  # MBTiles counts rows from the south (TMS)
        with closing(_connect(self.path)) as db:
            found = db.execute(
                "SELECT tile_column, tile_row, tile_data FROM tiles WHERE zoom_level = ? AND "
                "tile_column BETWEEN ? AND ? AND tile_row BETWEEN ? AND ?",
                (z, columns.start, columns.stop - 1, last - (rows.stop - 1), last - rows.start),
            ).fetchall()
        return [Tile(*tile_bounds(z, x, last - tms_row), self._decode(z, x, last - tms_row, data))
                for x, tms_row, data in found]

    def _decode(self, z: int, x: int, y: int, data: bytes) -> np.ndarray:
        from PIL import Image, UnidentifiedImageError  # noqa: PLC0415 - only with a basemap

        try:
            with Image.open(io.BytesIO(data)) as image:
                return np.asarray(image.convert("RGBA"))
        except (UnidentifiedImageError, OSError, TypeError) as exc:
            raise WorkbenchError(f"{self.path}: tile {z}/{x}/{y} cannot be read: {exc}") from None


def _connect(path: Path) -> sqlite3.Connection:
    """Read-only and immutable: not even a journal file is written beside it."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
