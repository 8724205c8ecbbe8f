"""The timeline chart and the link chart, drawn as reportlab vector graphics with real text.

Both are drawn directly with reportlab's graphics shapes, in the bundle's embedded
fonts, rather than rendered by matplotlib and converted: that keeps the text
searchable, the fonts embedded, and every label passed through the anonymiser.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import numpy as np
from reportlab.graphics.shapes import STATE_DEFAULTS, Drawing, Line, Rect, String
from reportlab.lib.colors import Color, HexColor
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Image, KeepTogether, PageBreak

from graphs.matrix_chart import matrix_drawing
from graphs.render import render_drawing
from graphs.style import severity_style
from workbench.activity_matrix import DAYS, ActivityMatrix
from workbench.analysis.wording import plural
from workbench.bundle.content import BundleContent
from workbench.bundle.fonts import SANS
from workbench.bundle.safe_text import plain
from workbench.bundle.styles import SMALL, para, section_start
from workbench.chart import LABEL_SIZE
from workbench.model.vocab import SEVERITIES
from workbench.timeutil import zone
from workbench.vocabulary import severity_label

if TYPE_CHECKING:
    from workbench.map_view import CaseMap

OUTGOING = HexColor("#1f6feb")
INCOMING = HexColor("#8250df")  # not orange: orange is a severity
UNKNOWN = HexColor("#6e7781")
OFF_DUTY = HexColor("#eceff3")
ENGAGEMENT = HexColor("#2da44e")
# One colour per severity everywhere: the link chart's.
MARKER = {name: HexColor(severity_style(name).colour) for name in ("high", "medium", "low")}
MAX_LANES = 22
MARKER_ROWS = 4
LABEL_WIDTH = 200.0  # wide enough for a full lane name at 7.5 pt

def _fit(text: str, font: str, size: float, width: float) -> str:
    text = plain(text)
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _time_ticks(start: int, end: int, tz_name: str, max_ticks: int = 14) -> list[tuple[int, str]]:
    """Nicely spaced tick times (epoch seconds) with labels in the case timezone."""
    tz = zone(tz_name)
    span = max(end - start, 3600)
    steps = [(3600, "%H:%M"), (6 * 3600, "%d/%m %H:%M"), (86400, "%d/%m"), (2 * 86400, "%d/%m"),
             (7 * 86400, "%d/%m"), (14 * 86400, "%d/%m"),
             (30 * 86400, "%b %Y"), (91 * 86400, "%b %Y"), (365 * 86400, "%Y")]
    step, fmt = next(((s, f) for s, f in steps if span / s <= max_ticks), steps[-1])
    first = datetime.fromtimestamp(start, UTC).astimezone(tz)
    if step >= 30 * 86400:
        tick = first.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    elif step >= 86400:
        tick = first.replace(hour=0, minute=0, second=0, microsecond=0)
    else:
        tick = first.replace(minute=0, second=0, microsecond=0)
    ticks: list[tuple[int, str]] = []
    while tick.timestamp() <= end and len(ticks) < 60:
        if tick.timestamp() >= start:
            ticks.append((int(tick.timestamp()), tick.strftime(fmt)))
        if step >= 30 * 86400:
            months = 12 if step >= 365 * 86400 else (3 if step >= 91 * 86400 else 1)
            month = tick.month - 1 + months
            tick = tick.replace(year=tick.year + month // 12, month=month % 12 + 1)
        else:
            tick = (tick + timedelta(seconds=step)).astimezone(tz)
    return ticks


def timeline_drawing(content: BundleContent, width: float, height: float) -> Drawing:
    """Lanes of contact over time, with off-duty periods, engagements and markers."""
    data = content.timeline
    drawing = Drawing(width, height)
    if data is None or len(data.times) == 0:  # type: ignore[attr-defined]
        drawing.add(String(0, height - 20, "No events to chart.", fontName=SANS, fontSize=10))
        return drawing
    times = data.times  # type: ignore[attr-defined]
    start, end = int(times.min()), int(times.max())
    if end - start < 3600:
        start, end = start - 1800, end + 1800
    pad = (end - start) * 0.02
    start, end = int(start - pad), int(end + pad)
    left, right = LABEL_WIDTH, width - 8
    top = height - 40  # room for two rows of engagement labels
    lanes = data.lanes[:MAX_LANES]  # type: ignore[attr-defined]
    lane_height = min(26.0, (top - 80) / max(len(lanes), 1))

    def x_of(moment: float) -> float:
        return left + (moment - start) / (end - start) * (right - left)

    lanes_top = top
    lanes_bottom = lanes_top - lane_height * len(lanes)
    marker_strip = lanes_bottom - 12
    bottom_axis = marker_strip - 8
    for off_start, off_end in data.off_duty:  # type: ignore[attr-defined]
        if off_end < start or off_start > end:
            continue
        x0, x1 = x_of(max(off_start, start)), x_of(min(off_end, end))
        drawing.add(Rect(x0, lanes_bottom, max(x1 - x0, 0.3), lanes_top - lanes_bottom,
                         fillColor=OFF_DUTY, strokeColor=None))
    for number, lane in enumerate(lanes):
        y_top = lanes_top - number * lane_height
        centre = y_top - lane_height / 2
        drawing.add(Line(left, y_top, right, y_top, strokeColor=HexColor("#d0d7de"),
                         strokeWidth=0.3))
        label = f"{lane.counterpart} · {lane.channel}"
        drawing.add(String(0, centre - 3, _fit(label, SANS, 7.5, LABEL_WIDTH - 6),
                           fontName=SANS, fontSize=7.5))
        lo, hi = data.lane_bounds[number], data.lane_bounds[number + 1]  # type: ignore[attr-defined]
        lane_times = times[lo:hi]
        directions = data.direction[lo:hi]  # type: ignore[attr-defined]
        for code, colour, offset in ((0, OUTGOING, 2.0), (1, INCOMING, -2.0), (2, UNKNOWN, 0.0)):
            chosen = lane_times[directions == code]
            if len(chosen) == 0:
                continue
            # One stroke per half-point column: thousands of events stay a light drawing.
            columns = np.unique(np.round((chosen - start) / (end - start) * (right - left) * 2))
            tick = max(lane_height * 0.45, 3.0)
            for column in columns:
                x = left + column / 2
                drawing.add(Line(x, centre + offset - tick / 2, x, centre + offset + tick / 2,
                                 strokeColor=colour, strokeWidth=0.9))
    drawing.add(Line(left, lanes_bottom, right, lanes_bottom, strokeColor=HexColor("#d0d7de"),
                     strokeWidth=0.3))
    label_ends = [float("-inf")] * 2  # two rows of engagement labels, so none overlaps
    for engagement in data.engagements:  # type: ignore[attr-defined]
        e_end = engagement.end if engagement.end is not None else end
        if e_end < start or engagement.start > end:
            continue
        x0, x1 = x_of(max(engagement.start, start)), x_of(min(e_end, end))
        drawing.add(Rect(x0, top + 4, max(x1 - x0, 1), 5, fillColor=ENGAGEMENT, strokeColor=None))
        row = 0 if label_ends[0] < x0 else 1
        text = _fit(engagement.label, SANS, 7.5, right - x0)
        drawing.add(String(x0, top + 12 + row * 9, text, fontName=SANS, fontSize=7.5,
                           fillColor=ENGAGEMENT))
        label_ends[row] = x0 + stringWidth(text, SANS, 7.5) + 6
    shown = {m.key.split("_", 1)[1] for m in content.markers}
    row_ends = [float("-inf")] * MARKER_ROWS
    for marker in data.markers:  # type: ignore[attr-defined]
        if str(marker.id) not in shown:
            continue  # only the markers this audience sees
        # A span drawn from withheld records is redrawn from the disclosed ones only.
        span_start, span_end = content.marker_spans.get(marker.id, (marker.start, marker.end))
        x0 = min(max(x_of(span_start), left), right)
        x1 = max(min(x_of(span_end), right), x0 + 1.5)
        # Overlapping markers go on separate rows of the strip, so none hides another.
        row = next((n for n, ends in enumerate(row_ends) if ends < x0 - 1),
                   min(range(MARKER_ROWS), key=lambda n: row_ends[n]))
        row_ends[row] = max(row_ends[row], x1)
        drawing.add(Rect(x0, marker_strip + 6 - row * 3.2, x1 - x0, 2.6,
                         fillColor=MARKER.get(marker.severity, UNKNOWN), strokeColor=None))
    drawing.add(String(0, marker_strip, "Markers", fontName=SANS, fontSize=7.5))
    drawing.add(Line(left, bottom_axis, right, bottom_axis, strokeColor=HexColor("#57606a"),
                     strokeWidth=0.6))
    for moment, label in _time_ticks(start, end, content.timezone):
        x = x_of(moment)
        drawing.add(Line(x, bottom_axis, x, bottom_axis - 3, strokeColor=HexColor("#57606a")))
        drawing.add(String(x, bottom_axis - 12, label, fontName=SANS, fontSize=7.5,
                           textAnchor="middle"))
    _legend(drawing, [("Outgoing (from the officer)", OUTGOING), ("Incoming", INCOMING),
                      ("Off duty (roster)", OFF_DUTY), ("Engagement (case file)", ENGAGEMENT),
                      *((f"{severity_label(name)} severity marker", MARKER[name])
                        for name in reversed(SEVERITIES))], bottom_axis - 30)
    hidden = len(data.lanes) - len(lanes)  # type: ignore[attr-defined]
    if hidden > 0:
        drawing.add(String(right, 12, f"{hidden} further lanes not shown", fontName=SANS,
                           fontSize=7.5, textAnchor="end"))
    return drawing


def _legend(drawing: Drawing, items: list[tuple[str, Color]], y: float) -> None:
    """The key, on as many rows as it needs."""
    x = LABEL_WIDTH
    for label, colour in items:
        width = 11 + stringWidth(label, SANS, 7.5) + 14
        if x + width > drawing.width and x > LABEL_WIDTH:
            x, y = LABEL_WIDTH, y - 11
        drawing.add(Rect(x, y, 8, 6, fillColor=colour, strokeColor=HexColor("#98a2b3"),
                         strokeWidth=0.3))
        drawing.add(String(x + 11, y, label, fontName=SANS, fontSize=7.5))
        x += width


def link_drawing(content: BundleContent, width: float, height: float) -> Drawing:
    """The case graph drawn by the shared renderer (as in ``workbench chart``), in vector."""
    graph = content.link_graph
    if graph is None or graph.number_of_nodes() == 0:
        drawing = Drawing(width, height)
        drawing.add(String(0, height - 20, "No contacts to chart.", fontName=SANS, fontSize=10))
        return drawing
    return render_drawing(graph, content.link_positions, width=width, height=height,
                          font_name=SANS, font_size=LABEL_SIZE, legend=True)


class DrawingFlowable(Flowable):
    """A drawing sized to the frame it lands in."""

    def __init__(self, make: object, content: BundleContent) -> None:
        super().__init__()
        self.make, self.content = make, content

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width, self.height = available_width, available_height - 2
        return self.width, self.height

    def draw(self) -> None:
        drawing = self.make(self.content, self.width, self.height)  # type: ignore[operator]
        # The renderer starts each drawing in its default font (unembedded Helvetica) even
        # when every string names its own: start it in the embedded font instead.
        default = STATE_DEFAULTS["fontName"]
        STATE_DEFAULTS["fontName"] = SANS
        try:
            drawing.drawOn(self.canv, 0, 0)
        finally:
            STATE_DEFAULTS["fontName"] = default


class FixedDrawing(DrawingFlowable):
    """A drawing of a fixed height (the width of the frame), inside a section's flow."""

    def __init__(self, make: object, height: float) -> None:
        super().__init__(make, None)  # type: ignore[arg-type]
        self.fixed_height = height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width, self.height = available_width, self.fixed_height
        return self.width, self.height


def activity_flowable(matrix: ActivityMatrix, width: float) -> Flowable:
    """The pair's activity matrix (hour x weekday against the roster), printed by a timing marker."""
    def make(_content: object, w: float, h: float) -> object:
        return matrix_drawing(matrix.counts, matrix.on_duty, rows=DAYS, width=w, height=h,
                              title=f"Activity matrix: {matrix.title} ({matrix.total} contacts)",
                              font_name=SANS)
    return KeepTogether([FixedDrawing(make, min(width * 0.42, 200.0))])


MAP_DPI = 150
MAP_SHAPE = 0.62  # height / width of a marker's map
# Drawn this wide and printed at the frame's width (about 7 in): the renderer's legend,
# right of the map, needs the room; its text is enlarged to print at 8 pt (map_flowable).
MAP_DRAWN_WIDTH_IN = 8.6
MAP_TEXT_PT = 8.0


def map_flowable(drawn: CaseMap, number: int, width: float) -> Flowable:
    """A vehicle-dwell marker's map (the person's places and the marker's stops), printed by
    the marker: the map renderer of `workbench map`, anonymised alike (a protected
    person's place by cipher only; no coordinates are printed)."""
    from graphs.map_chart import render_map

    height = width * MAP_SHAPE
    stops = sum(point.kind == "vehicle_stop" for point in drawn.points)
    figure = render_map(drawn.areas, drawn.points,
                        size=(MAP_DRAWN_WIDTH_IN, MAP_DRAWN_WIDTH_IN * MAP_SHAPE),
                        title=f"Marker {number}: its {plural(stops, 'vehicle stop')} and the "
                              "places near them",
                        text_scale=MAP_TEXT_PT / 8 * MAP_DRAWN_WIDTH_IN / (width / 72))
    image = io.BytesIO()
    figure.savefig(image, format="png", dpi=MAP_DPI, facecolor="white")
    image.seek(0)
    return KeepTogether([Image(image, width=width, height=height)])


def charts(content: BundleContent, width: float) -> list[Flowable]:
    """Two landscape pages: the timeline chart and the link chart."""
    story: list[Flowable] = section_start("timeline_chart", "Timeline chart")
    story.append(para("Each lane is one counterpart on one channel; each stroke is a contact. "
                      f"Times in {content.timezone}.", SMALL))
    story.append(DrawingFlowable(timeline_drawing, content))
    story.append(PageBreak())
    story += section_start("link_chart", "Link chart")
    story.append(para("People, their phones, accounts, vehicle and police-system records; line "
                      "width gives the volume of contact and colour the most serious marker "
                      "between the two. The busiest unattributed identifiers are shown one by "
                      "one, the rest folded together. Homes come from the case file, not from "
                      "the evidence; their labels are withheld when anonymised.", SMALL))
    story.append(DrawingFlowable(link_drawing, content))
    return story
