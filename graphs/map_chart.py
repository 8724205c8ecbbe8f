"""An offline map: points and circled areas on a plain projected canvas, and KML.

No network: positions are projected by web mercator, scaled to metres at the centre
(so the scale bar and the radii are true there), and drawn with a scale bar and a
north arrow. A unit's offline basemap (a :class:`~graphs.map_tiles.TileSource`, such as
an MBTiles file) can be drawn underneath in the same projection; by default there is
none. Knows nothing of cases: callers pass labelled areas and points, already anonymised.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple
from xml.etree import ElementTree as ET

if TYPE_CHECKING:  # matplotlib loads when a map is first drawn, not with the app
    from matplotlib.figure import Figure

from graphs.map_tiles import MAX_LATITUDE, TileSource

EARTH_RADIUS_M = 6_371_000.0
BASEMAP_DPI = 150  # tile detail asked for, per inch of map width

# Colour says on/off duty (Okabe-Ito, readable by the colour-blind); shape says the kind.
GROUP_COLOURS = {"on": "#0072B2", "off": "#D55E00", "unknown": "#8C8C8C"}
GROUP_LABELS = {"on": "On duty", "off": "Off duty", "unknown": "No roster entry"}
KIND_MARKERS = {"vehicle_stop": ("o", "Vehicle stop"), "vehicle_position": (".", "Vehicle position"),
                "system_lookup": ("P", "Look-up"), "contact": ("D", "Contact")}
LEGEND_WIDTH = 0.23  # share of the figure's width right of the map, for the legend at 8 pt
AREA_COLOUR = "#009E73"
THEMES = {"light": {"face": "#FFFFFF", "ink": "#222222", "grid": "#E4E4E4"},
          "dark": {"face": "#1E1F22", "ink": "#E8E8E8", "grid": "#34363B"}}


@dataclass(frozen=True)
class MapArea:
    """A circled place (a home and the radius that counts as 'near')."""

    lat: float
    lon: float
    radius_m: float
    label: str


class MapPoint(NamedTuple):
    """One located record: ``kind`` a key of KIND_MARKERS, ``group`` a key of GROUP_COLOURS.

    A named tuple: a map holds tens of thousands, and tuples of plain values cost the
    garbage collector nothing once it has seen them (it would walk every dataclass).
    """

    lat: float
    lon: float
    kind: str
    group: str
    dwell_s: float | None = None
    label: str = ""
    when: str = ""


class Projection:
    """Web mercator around a centre, in metres true at the centre: (lat, lon) -> (x east, y north).

    The basemap's tiles are web mercator too, so they line up with the points exactly.
    """

    def __init__(self, lat0: float, lon0: float) -> None:
        self.lat0, self.lon0 = lat0, lon0
        self._scale = EARTH_RADIUS_M * math.cos(math.radians(lat0))  # metres a radian, at lat0
        self._y0 = _mercator(lat0)

    @classmethod
    def around(cls, areas: Sequence[MapArea], points: Sequence[MapPoint]) -> Projection:
        lats = [a.lat for a in areas] + [p.lat for p in points]
        lons = [a.lon for a in areas] + [p.lon for p in points]
        if not lats:
            return cls(0.0, 0.0)
        return cls((min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2)

    def xy(self, lat: float, lon: float) -> tuple[float, float]:
        return (math.radians(lon - self.lon0) * self._scale,
                (_mercator(lat) - self._y0) * self._scale)

    def lat_lon(self, x: float, y: float) -> tuple[float, float]:
        """The inverse of :meth:`xy`."""
        lat = math.degrees(2 * math.atan(math.exp(y / self._scale + self._y0)) - math.pi / 2)
        return lat, self.lon0 + math.degrees(x / self._scale)


def _mercator(lat: float) -> float:
    lat = max(min(lat, MAX_LATITUDE), -MAX_LATITUDE)
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def marker_size(dwell_s: float | None) -> float:
    """Marker area in points² from dwell time: a bigger dot for a longer stay."""
    if dwell_s is None or dwell_s <= 0:
        return 14.0
    return 14.0 + 22.0 * math.log2(1 + dwell_s / 600)


def nice_length(span_m: float) -> float:
    """A round scale-bar length (1, 2 or 5 x 10^n m) of about a fifth of the span."""
    target = max(span_m / 5, 1.0)
    power = 10 ** math.floor(math.log10(target))
    return max(step * power for step in (1, 2, 5) if step * power <= target)


def render_map(areas: Sequence[MapArea], points: Sequence[MapPoint], *, title: str = "",
               marking: str = "", theme: str = "light", size: tuple[float, float] = (10, 7.5),
               label_areas: bool = True, basemap: TileSource | None = None,
               text_scale: float = 1.0) -> Figure:
    """The map as a Figure: areas circled, points coloured by group, sized by dwell.

    ``text_scale`` enlarges the map's labels, scale and legend for a figure that is printed
    smaller than it is drawn (a bundle page), so that they still print at 7 pt or more.

    With a ``basemap``, its tiles are drawn under everything, with its attribution.
    """
    from matplotlib.figure import Figure
    from matplotlib.patches import Circle

    colours = THEMES[theme]
    fig = Figure(figsize=size, facecolor=colours["face"])
    legend_left = 1 - LEGEND_WIDTH * text_scale  # larger text: a wider legend, a narrower map
    ax = fig.add_axes((0.03, 0.08, legend_left - 0.05, 0.82))
    ax.set_facecolor(colours["face"])
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_color(colours["grid"])
    projection = Projection.around(areas, points)
    xs: list[float] = []
    ys: list[float] = []
    for area in areas:
        x, y = projection.xy(area.lat, area.lon)
        ax.add_patch(Circle((x, y), area.radius_m, facecolor=AREA_COLOUR, alpha=0.18,
                            edgecolor=AREA_COLOUR, linewidth=1.2))
        ax.plot([x], [y], marker="*", color=AREA_COLOUR, markersize=11, zorder=4)
        if label_areas and area.label:
            ax.annotate(area.label, (x, y), xytext=(6, 6), textcoords="offset points",
                        fontsize=8 * text_scale, color=colours["ink"], zorder=5)
        xs += [x - area.radius_m, x + area.radius_m]
        ys += [y - area.radius_m, y + area.radius_m]
    groups: dict[tuple[str, str], list[MapPoint]] = {}
    for point in points:
        groups.setdefault((point.kind, point.group), []).append(point)
    # One scatter a kind and colour; positions first, so stops are drawn over them.
    for (kind, group), members in sorted(groups.items(), key=lambda g: g[0][0] != "vehicle_position"):
        coords = [projection.xy(p.lat, p.lon) for p in members]
        px, py = [c[0] for c in coords], [c[1] for c in coords]
        xs += px
        ys += py
        faint = kind == "vehicle_position"
        ax.scatter(px, py, s=4 if faint else [marker_size(p.dwell_s) for p in members],
                   marker=KIND_MARKERS.get(kind, KIND_MARKERS["contact"])[0],
                   c=GROUP_COLOURS.get(group, GROUP_COLOURS["unknown"]),
                   alpha=0.35 if faint else 0.8, linewidths=0.4,
                   edgecolors=colours["face"], zorder=2 if faint else 3)
    used = set(groups)
    if not xs:
        ax.text(0.5, 0.5, "Nothing with a location in this view", ha="center", va="center",
                transform=ax.transAxes, color=colours["ink"])
        xs, ys = [-500.0, 500.0], [-500.0, 500.0]
    _frame(ax, xs, ys)
    if basemap is not None:
        _draw_basemap(ax, basemap, projection, int(size[0] * 0.72 * BASEMAP_DPI), colours["ink"])
    _scale_bar_and_north(ax, colours["ink"], text_scale)
    _legend(fig, used, bool(areas), colours, text_scale, legend_left)
    if title:
        fig.text(0.03, 0.93, title, fontsize=11, color=colours["ink"], weight="bold")
    if marking:  # top and bottom, as on every page of a document
        for y in (0.97, 0.015):
            fig.text(0.5, y, marking, ha="center", fontsize=9, weight="bold", color=colours["ink"])
    return fig


def _frame(ax, xs: list[float], ys: list[float]) -> None:  # type: ignore[no-untyped-def]
    margin = max(max(xs) - min(xs), max(ys) - min(ys), 200.0) * 0.08
    ax.set_xlim(min(xs) - margin, max(xs) + margin)
    ax.set_ylim(min(ys) - margin, max(ys) + margin)


def _draw_basemap(ax, basemap: TileSource, projection: Projection, pixels_wide: int,  # type: ignore[no-untyped-def]
                  ink: str) -> None:
    """The tiles covering the frame, under everything, in the map's projection."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    south, west = projection.lat_lon(x0, y0)
    north, east = projection.lat_lon(x1, y1)
    tiles = basemap.tiles(west, south, east, north, pixels_wide)
    for tile in tiles:
        left, bottom = projection.xy(tile.south, tile.west)
        right, top = projection.xy(tile.north, tile.east)
        ax.imshow(tile.image, extent=(left, right, bottom, top), origin="upper",
                  interpolation="bilinear", zorder=0)
    ax.set_xlim(x0, x1)  # imshow widens the view to the whole tiles
    ax.set_ylim(y0, y1)
    note = basemap.attribution if tiles else "No basemap tiles cover this area"
    if note:
        ax.text(0.995, 0.005, note, transform=ax.transAxes, ha="right", va="bottom", fontsize=6,
                color=ink, zorder=7, bbox={"facecolor": "white", "alpha": 0.6, "edgecolor": "none",
                                           "pad": 1.0})


def _scale_bar_and_north(ax, ink: str, text_scale: float = 1.0) -> None:  # type: ignore[no-untyped-def]
    from matplotlib.patches import FancyArrow, Rectangle

    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    width, height = x1 - x0, y1 - y0
    length = nice_length(width)
    left, bottom = x0 + width * 0.04, y0 + height * 0.05
    ax.add_patch(Rectangle((left, bottom), length, height * 0.008, color=ink, zorder=6))
    text = f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m"
    ax.text(left + length / 2, bottom + height * 0.02, text, ha="center", fontsize=8 * text_scale,
            color=ink)
    nx_, ny = x1 - width * 0.05, y1 - height * 0.14
    ax.add_patch(FancyArrow(nx_, ny, 0, height * 0.07, width=width * 0.004,
                            head_width=width * 0.02, head_length=height * 0.03, color=ink, zorder=6))
    ax.text(nx_, ny + height * 0.105, "N", ha="center", fontsize=10 * text_scale, weight="bold",
            color=ink)


def _legend(fig: Figure, used: set[tuple[str, str]], has_areas: bool, colours: dict[str, str],
            text_scale: float = 1.0, left: float = 1 - 0.23) -> None:
    """Every symbol and colour in use, and only those."""
    from matplotlib.lines import Line2D

    handles = []
    for kind, (shape, label) in KIND_MARKERS.items():
        if any(k == kind for k, _ in used):
            handles.append(Line2D([], [], marker=shape, linestyle="", color=colours["ink"], label=label))
    for group, colour in GROUP_COLOURS.items():
        if any(g == group for _, g in used):
            handles.append(Line2D([], [], marker="s", linestyle="", color=colour, label=GROUP_LABELS[group]))
    if has_areas:
        handles.append(Line2D([], [], marker="*", linestyle="", color=AREA_COLOUR,
                              markersize=10, label="Place (circle: radius)"))
    if any(k == "vehicle_stop" for k, _ in used):
        handles.append(Line2D([], [], linestyle="", label="Dot size: time stopped"))
    if handles:
        legend = fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(left, 0.9),
                            frameon=False, fontsize=8 * text_scale)
        for text in legend.get_texts():
            text.set_color(colours["ink"])


def write_kml(areas: Sequence[MapArea], points: Sequence[MapPoint], path: Path, *,
              name: str, marking: str) -> Path:
    """KML 2.2 for a GIS: one placemark a place or point; the marking in the document."""
    ns = "http://www.opengis.net/kml/2.2"
    ET.register_namespace("", ns)
    kml = ET.Element(f"{{{ns}}}kml")
    document = ET.SubElement(kml, f"{{{ns}}}Document")
    ET.SubElement(document, f"{{{ns}}}name").text = f"{marking} {name}".strip()
    ET.SubElement(document, f"{{{ns}}}description").text = f"Protective marking: {marking}"
    for group, colour in GROUP_COLOURS.items():
        style = ET.SubElement(document, f"{{{ns}}}Style", id=group)
        icon = ET.SubElement(style, f"{{{ns}}}IconStyle")
        ET.SubElement(icon, f"{{{ns}}}color").text = _kml_colour(colour)
    for area in areas:
        mark = ET.SubElement(document, f"{{{ns}}}Placemark")
        ET.SubElement(mark, f"{{{ns}}}name").text = area.label
        ET.SubElement(mark, f"{{{ns}}}description").text = f"Radius {area.radius_m:.0f} m"
        point = ET.SubElement(mark, f"{{{ns}}}Point")
        ET.SubElement(point, f"{{{ns}}}coordinates").text = f"{area.lon:.6f},{area.lat:.6f}"
    for item in points:
        mark = ET.SubElement(document, f"{{{ns}}}Placemark")
        ET.SubElement(mark, f"{{{ns}}}name").text = item.label or KIND_MARKERS.get(
            item.kind, KIND_MARKERS["contact"])[1]
        dwell = f", stopped {item.dwell_s / 60:.0f} min" if item.dwell_s else ""
        ET.SubElement(mark, f"{{{ns}}}description").text = (
            f"{item.when} {GROUP_LABELS.get(item.group, '')}{dwell}".strip())
        ET.SubElement(mark, f"{{{ns}}}styleUrl").text = f"#{item.group}"
        point = ET.SubElement(mark, f"{{{ns}}}Point")
        ET.SubElement(point, f"{{{ns}}}coordinates").text = f"{item.lon:.6f},{item.lat:.6f}"
    ET.ElementTree(kml).write(path, encoding="utf-8", xml_declaration=True)
    return path


def _kml_colour(rgb: str) -> str:
    """#RRGGBB to KML's aabbggrr."""
    return f"ff{rgb[5:7]}{rgb[3:5]}{rgb[1:3]}".lower()
