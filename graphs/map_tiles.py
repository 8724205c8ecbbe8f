"""Web-mercator tile arithmetic for an offline basemap (no network, no file access).

Tiles are addressed the usual way (zoom ``z``, column ``x`` from the west, row ``y``
from the north). A :class:`TileSource` (for example an MBTiles file, read by
:mod:`workbench.basemap`) hands the map the decoded tiles that cover an area.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

MAX_TILES = 64  # tiles drawn under one map at most: the zoom is lowered until they fit
TILE_PIXELS = 256
MAX_LATITUDE = 85.0511287798  # web mercator's limit


@dataclass(frozen=True)
class Tile:
    """One decoded tile and the area it covers (degrees)."""

    west: float
    south: float
    east: float
    north: float
    image: np.ndarray  # rows x columns x RGB(A), uint8, north at the top


class TileSource(Protocol):
    """Where the map's tiles come from."""

    attribution: str

    def tiles(self, west: float, south: float, east: float, north: float,
              pixels_wide: int) -> Sequence[Tile]:
        """Decoded tiles covering the area, at a zoom fit for ``pixels_wide`` pixels."""
        ...


def tile_bounds(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """West, south, east and north (degrees) of tile ``z/x/y``."""
    count = 2 ** z

    def latitude(row: int) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * row / count))))

    return x / count * 360.0 - 180.0, latitude(y + 1), (x + 1) / count * 360.0 - 180.0, latitude(y)


def tile_at(z: int, lat: float, lon: float) -> tuple[int, int]:
    """The column and row of the tile holding a point at zoom ``z``."""
    count = 2 ** z
    lat = max(min(lat, MAX_LATITUDE), -MAX_LATITUDE)
    x = int((lon + 180.0) / 360.0 * count)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * count)
    return min(max(x, 0), count - 1), min(max(y, 0), count - 1)


def tile_range(z: int, west: float, south: float, east: float,
               north: float) -> tuple[range, range]:
    """Columns and rows of the tiles covering an area at zoom ``z``."""
    x0, y0 = tile_at(z, north, west)
    x1, y1 = tile_at(z, south, east)
    return range(x0, x1 + 1), range(y0, y1 + 1)


def choose_zoom(west: float, south: float, east: float, north: float, pixels_wide: int,
                zooms: tuple[int, int]) -> int:
    """The zoom whose tiles are about screen-sized, within ``zooms`` and ``MAX_TILES``."""
    span = max(east - west, 1e-9)
    wanted = math.ceil(math.log2(max(pixels_wide, 1) * 360.0 / (TILE_PIXELS * span)))
    z = min(max(wanted, zooms[0]), zooms[1])
    while z > zooms[0]:
        columns, rows = tile_range(z, west, south, east, north)
        if len(columns) * len(rows) <= MAX_TILES:
            break
        z -= 1
    return z
