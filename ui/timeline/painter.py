"""Painting one frame of the timeline: only what is visible, found with ``searchsorted``.

A lane with more visible events than it has room for is drawn as density bars,
built as one numpy image for all such lanes; a sparse lane gets one glyph per
event, shaped by kind, coloured and offset by direction, with its duration.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPen, QPolygonF

from ui.timeline import axis
from workbench.facts import short_call_seconds
from workbench.model.vocab import EVENT_KINDS
from workbench.timeline import TimelineData

LABEL_W = 290
AXIS_H = 42
FLAG_H = 28
ROW_H = 24  # duty and engagement rows under the lanes
MIN_LANE_H, MAX_LANE_H = 22, 46
GLYPHS_PER_PX = 0.12  # a lane shows glyphs while it has fewer than this many events a pixel
SHORT_CALL_S = short_call_seconds()  # rules.toml [repeated_short_calls], as the rules read it
MAX_RINGS = 40  # highlighted evidence drawn as rings up to this many, as ticks beyond
KIND = {name: code for code, name in enumerate(EVENT_KINDS)}
SEVERITY_LETTER = {"high": "H", "medium": "M", "low": "L"}
NOTE_FLAG_H = 11  # the notes flag's pole


@dataclass
class ViewState:
    """What part of the timeline is on screen and what is picked (UI state, not domain)."""

    start: float
    end: float
    first_lane: int = 0
    selected_event: int | None = None  # array position
    highlighted: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # positions
    selected_marker: int | None = None  # marker id
    time_range: tuple[float, float] | None = None
    show_events: bool = True  # False paints lanes and axis only (the bench's baseline)


@dataclass(frozen=True)
class Geometry:
    """Where each part of the frame is, for a widget size and lane count."""

    width: int
    height: int
    lane_h: int
    visible_lanes: int
    lanes: int

    @staticmethod
    def of(width: int, height: int, lanes: int) -> Geometry:
        room = max(height - AXIS_H - FLAG_H - 3 * ROW_H - 4, MIN_LANE_H)
        lane_h = int(min(MAX_LANE_H, max(MIN_LANE_H, room // max(lanes, 1))))
        return Geometry(width, height, lane_h, min(lanes, max(room // lane_h, 1)), lanes)

    @property
    def plot_left(self) -> int:
        return LABEL_W

    @property
    def plot_width(self) -> int:
        return max(self.width - LABEL_W - 8, 10)

    @property
    def lanes_top(self) -> int:
        return AXIS_H + FLAG_H

    @property
    def lanes_bottom(self) -> int:
        return self.lanes_top + self.visible_lanes * self.lane_h

    def lane_at(self, y: float, first_lane: int) -> int | None:
        if not self.lanes_top <= y < self.lanes_bottom:
            return None
        lane = first_lane + int((y - self.lanes_top) // self.lane_h)
        return lane if lane < self.lanes else None

    def lane_y(self, lane: int, first_lane: int) -> int:
        return self.lanes_top + (lane - first_lane) * self.lane_h


class TimelinePainter:
    """Paints frames of one :class:`TimelineData` with a theme's colours."""

    def __init__(self, colours: dict[str, QColor]) -> None:
        self.c = colours
        self.font = QFont()
        self.font.setPointSizeF(9)
        self.bold = QFont(self.font)
        self.bold.setBold(True)
        self.small = QFont(self.font)
        self.small.setPointSizeF(8)
        self._sprites: dict[tuple[int, int, bool, float], QImage] = {}

    # -- coordinates ------------------------------------------------------------------
    @staticmethod
    def x_of(times: np.ndarray | float, view: ViewState, geo: Geometry) -> np.ndarray | float:
        scale = geo.plot_width / max(view.end - view.start, 1e-9)
        return geo.plot_left + (times - view.start) * scale

    # -- the frame --------------------------------------------------------------------
    def paint(self, p: QPainter, data: TimelineData, view: ViewState, geo: Geometry) -> None:
        tz = ZoneInfo(data.timezone)
        p.fillRect(0, 0, geo.width, geo.height, self.c["surface"])
        lane_range = range(view.first_lane, min(view.first_lane + geo.visible_lanes, geo.lanes))
        self._lane_backgrounds(p, data, lane_range, view, geo)
        plot = QRectF(geo.plot_left, geo.lanes_top, geo.plot_width, geo.lanes_bottom - geo.lanes_top)
        p.save()
        p.setClipRect(QRectF(geo.plot_left, 0, geo.plot_width, geo.height))
        self._nights(p, view, geo, tz, plot)
        self._off_duty(p, data, view, geo, plot)
        self._engagements(p, data, lane_range, view, geo)
        ticks = axis.ticks(view.start, view.end, geo.plot_width, tz)
        self._grid(p, ticks, view, geo)
        if view.show_events:
            self._events(p, data, lane_range, view, geo)
            self._highlights(p, data, lane_range, view, geo)
            self._note_flags(p, data, lane_range, view, geo)
        self._range(p, view, geo, plot)
        self._markers(p, data, view, geo)
        p.restore()
        self._axis(p, ticks, view, geo, tz)
        self._labels(p, data, lane_range, view, geo)

    def _lane_backgrounds(self, p: QPainter, data: TimelineData, lanes: range, view: ViewState,
                          geo: Geometry) -> None:
        for lane in lanes:
            y = geo.lane_y(lane, view.first_lane)
            if lane % 2:
                p.fillRect(0, y, geo.width, geo.lane_h, self.c["lane_alt"])
            if lane > 0 and data.lanes[lane].group != data.lanes[lane - 1].group:
                p.setPen(QPen(self.c["grid_major"], 1))
                p.drawLine(0, y, geo.width, y)
        p.setPen(QPen(self.c["border"], 1))
        p.drawLine(geo.plot_left - 1, AXIS_H, geo.plot_left - 1, geo.lanes_bottom + 2 * ROW_H)

    def _nights(self, p: QPainter, view: ViewState, geo: Geometry, tz: ZoneInfo, plot: QRectF) -> None:
        for a, b in axis.nights(view.start, view.end, tz):
            x0, x1 = self.x_of(a, view, geo), self.x_of(b, view, geo)
            p.fillRect(QRectF(x0, plot.top(), x1 - x0, plot.height()), self.c["night"])

    def _visible_spans(self, spans: np.ndarray, view: ViewState) -> np.ndarray:
        if spans.size == 0:
            return spans
        keep = (spans[:, 1] >= view.start) & (spans[:, 0] <= view.end)
        return spans[keep]

    def _column_mask(self, spans: np.ndarray, view: ViewState, geo: Geometry) -> np.ndarray:
        """Which plot columns the spans cover (one bool a pixel column)."""
        if spans.size == 0:
            return np.zeros(geo.plot_width, bool)
        edges = np.clip(self.x_of(spans.astype(np.float64), view, geo) - geo.plot_left,
                        0, geo.plot_width).astype(np.int64)
        cover = np.zeros(geo.plot_width + 1, np.int32)
        np.add.at(cover, edges[:, 0], 1)
        # A span starting at the right edge still ends inside ``cover`` (one column past the plot).
        ends = np.minimum(np.maximum(edges[:, 1], edges[:, 0] + 1), geo.plot_width)
        np.add.at(cover, ends, -1)
        return np.cumsum(cover)[:geo.plot_width] > 0

    @staticmethod
    def _strip(mask: np.ndarray, colour: QColor) -> tuple[QImage, np.ndarray]:
        """A one-pixel-high image, ``colour`` where the mask is set, clear elsewhere."""
        pixels = np.where(mask, np.uint32(colour.rgba()), np.uint32(0)).astype(np.uint32)
        pixels = np.ascontiguousarray(pixels.reshape(1, -1))
        image = QImage(pixels.data, pixels.shape[1], 1, pixels.shape[1] * 4,
                       QImage.Format.Format_ARGB32)
        return image, pixels  # the array must outlive the drawing of the image

    def _off_duty(self, p: QPainter, data: TimelineData, view: ViewState, geo: Geometry,
                  plot: QRectF) -> None:
        """Off-duty periods tint the lanes; the duty row shows on duty (green), off (grey).

        Periods are merged per pixel column into one-pixel-high images that are
        stretched over the lanes and the duty row: a handful of draws whatever the
        zoom or the length of the roster. Gaps in the roster stay blank: unknown.
        """
        row = geo.lanes_bottom + 2
        width = geo.plot_width
        off = self._column_mask(self._visible_spans(data.off_duty, view), view, geo)
        on = self._column_mask(self._visible_spans(data.on_duty, view), view, geo)
        tint = QColor(self.c["off_duty"])
        tint.setAlpha(46)
        left = float(geo.plot_left)
        for mask, colour, top, height in (
            (off, tint, plot.top(), plot.height()),
            (off, QColor(self.c["off_duty"]), row, ROW_H - 4),
            (on, QColor(self.c["on_duty"]), row + 3, ROW_H - 10),
        ):
            if mask.any():
                image, _keep = self._strip(mask, colour)
                p.drawImage(QRectF(left, top, width, height), image)

    def _engagements(self, p: QPainter, data: TimelineData, lanes: range, view: ViewState,
                     geo: Geometry) -> None:
        row = geo.lanes_bottom + ROW_H + 2
        p.setFont(self.small)
        fm = QFontMetrics(self.small)
        starts = sorted(float(self.x_of(e.start, view, geo)) for e in data.engagements)
        for item in data.engagements:
            end = item.end if item.end is not None else view.end
            if end < view.start or item.start > view.end:
                continue
            x0, x1 = self.x_of(item.start, view, geo), self.x_of(end, view, geo)
            band = QColor(self.c["engagement"])
            band.setAlpha(28)
            for lane in data.lanes_of_person(item.member_id):
                if lane in lanes:
                    p.fillRect(QRectF(x0, geo.lane_y(lane, view.first_lane), max(x1 - x0, 2),
                                      geo.lane_h), band)
            p.setPen(QPen(self.c["engagement"], 2))
            p.drawLine(QPointF(x0, row + 17), QPointF(x1, row + 17))
            p.drawLine(QPointF(x0, row + 12), QPointF(x0, row + 21))
            if item.end is not None:
                p.drawLine(QPointF(x1, row + 12), QPointF(x1, row + 21))
            label = item.label + ("" if item.end is not None else " (open)")
            p.setPen(self.c["text"])
            text_x = max(x0 + 4, geo.plot_left + 4)
            # A label may run until the next engagement starts, never over its label.
            following = [x for x in starts if x > x0 + 1]
            room = (following[0] if following else geo.plot_left + geo.plot_width) - text_x - 6
            if room >= 40:
                p.drawText(QPointF(text_x, row + 11),
                           fm.elidedText(label, Qt.TextElideMode.ElideRight, int(room)))

    def _grid(self, p: QPainter, ticks: list[axis.Tick], view: ViewState, geo: Geometry) -> None:
        for tick in ticks:
            x = self.x_of(tick.at, view, geo)
            p.setPen(QPen(self.c["grid_major"] if tick.major else self.c["grid"], 1))
            p.drawLine(QPointF(x, AXIS_H - 8), QPointF(x, geo.lanes_bottom + 2 * ROW_H))

    def _axis(self, p: QPainter, ticks: list[axis.Tick], view: ViewState, geo: Geometry,
              tz: ZoneInfo) -> None:
        p.fillRect(0, 0, geo.width, AXIS_H, self.c["surface_alt"])
        p.setPen(QPen(self.c["border"], 1))
        p.drawLine(0, AXIS_H - 1, geo.width, AXIS_H - 1)
        p.setFont(self.bold)
        p.setPen(self.c["text"])
        p.drawText(QRectF(8, 2, LABEL_W - 12, 20), Qt.AlignmentFlag.AlignVCenter,
                   axis.context_label(view.start, view.end, tz))
        p.setFont(self.small)
        p.setPen(self.c["muted"])
        abbreviations = sorted({f"{datetime.fromtimestamp(t, UTC).astimezone(tz):%Z}"
                                for t in (view.start, view.end)})
        p.drawText(QRectF(8, 21, LABEL_W - 12, 18), Qt.AlignmentFlag.AlignVCenter,
                   f"Times: {tz.key} ({'/'.join(abbreviations)})")
        fm = QFontMetrics(self.font)
        last_right = -1e9
        p.save()
        p.setClipRect(QRectF(geo.plot_left, 0, geo.plot_width + 8, AXIS_H))
        for tick in ticks:
            x = self.x_of(tick.at, view, geo)
            p.setFont(self.bold if tick.major else self.font)
            p.setPen(self.c["text"] if tick.major else self.c["muted"])
            width = fm.horizontalAdvance(tick.label) + 8
            if x + 3 < last_right:  # never overlap labels
                continue
            p.drawText(QPointF(x + 3, AXIS_H - 12), tick.label)
            last_right = x + 3 + width
        p.restore()

    def _labels(self, p: QPainter, data: TimelineData, lanes: range, view: ViewState,
                geo: Geometry) -> None:
        p.fillRect(0, AXIS_H, geo.plot_left - 1, FLAG_H, self.c["surface"])
        p.setFont(self.small)
        p.setPen(self.c["muted"])
        p.drawText(QRectF(8, AXIS_H, LABEL_W - 12, FLAG_H), Qt.AlignmentFlag.AlignVCenter,
                   "Escalation markers")
        fm_bold, fm = QFontMetrics(self.bold), QFontMetrics(self.font)
        name_w = 150
        for lane in lanes:
            y = geo.lane_y(lane, view.first_lane)
            info = data.lanes[lane]
            box = QRectF(8, y, name_w - 6, geo.lane_h)
            if lane == lanes.start or info.group != data.lanes[lane - 1].group:
                p.setFont(self.bold)
                p.setPen(self.c["text"])
                if fm_bold.horizontalAdvance(info.counterpart) > box.width() and geo.lane_h >= 30:
                    p.drawText(box, Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap,
                               info.counterpart)
                else:
                    p.drawText(box, Qt.AlignmentFlag.AlignVCenter, fm_bold.elidedText(
                        info.counterpart, Qt.TextElideMode.ElideMiddle, int(box.width())))
            p.setFont(self.font)
            p.setPen(self.c["muted"])
            count = int(data.lane_bounds[lane + 1] - data.lane_bounds[lane])
            text = fm.elidedText(f"{info.channel} · {count:,}", Qt.TextElideMode.ElideMiddle,
                                 LABEL_W - name_w - 10)
            p.drawText(QRectF(name_w + 4, y, LABEL_W - name_w - 10, geo.lane_h),
                       Qt.AlignmentFlag.AlignVCenter, text)
        p.setFont(self.small)
        p.setPen(self.c["muted"])
        p.drawText(QRectF(8, geo.lanes_bottom, LABEL_W - 12, ROW_H), Qt.AlignmentFlag.AlignVCenter,
                   "Duty roster (grey: off duty)")
        p.drawText(QRectF(8, geo.lanes_bottom + ROW_H, LABEL_W - 12, ROW_H),
                   Qt.AlignmentFlag.AlignVCenter, "Engagements")
        if geo.visible_lanes < geo.lanes:
            p.drawText(QRectF(8, geo.lanes_bottom + 2 * ROW_H, LABEL_W, ROW_H),
                       Qt.AlignmentFlag.AlignVCenter,
                       f"Lanes {view.first_lane + 1}–{lanes.stop} of {geo.lanes} (Page Up/Down)")

    # -- events -----------------------------------------------------------------------
    def _events(self, p: QPainter, data: TimelineData, lanes: range, view: ViewState,
                geo: Geometry) -> None:
        width = geo.plot_width
        dense: list[tuple[int, np.ndarray]] = []
        for lane in lanes:
            part = data.lane_slice(lane)
            times = data.times[part]
            lo, hi = np.searchsorted(times, [view.start, view.end + 1])
            if hi <= lo:
                continue
            if hi - lo > width * GLYPHS_PER_PX:
                # integer edges: float ones would make numpy copy the lane's times to float
                edges = (view.start + np.arange(width + 1) * ((view.end - view.start) / width)).astype(np.int64)
                dense.append((lane, np.diff(np.searchsorted(times[lo:hi], edges))))
            else:
                self._glyphs(p, data, part.start + lo, part.start + hi, lane, view, geo)
        if dense:
            self._density(p, dense, view, geo)

    def _density(self, p: QPainter, dense: list[tuple[int, np.ndarray]], view: ViewState,
                 geo: Geometry) -> None:
        """Density bars for all crowded lanes as one image: bar height ~ log(count).

        The bars are written straight into the QImage's memory (not wrapped
        around a numpy buffer, which trips a reference-count bug in some
        PySide6 releases), so a million events cost a few array operations.
        """
        height = geo.lanes_bottom - geo.lanes_top
        qimage = QImage(geo.plot_width, height, QImage.Format.Format_ARGB32_Premultiplied)
        qimage.fill(0)
        pixels = np.frombuffer(qimage.bits(), np.uint32).reshape(height, qimage.bytesPerLine() // 4)
        colour = self.c["density"].rgba() | 0xFF000000
        room = geo.lane_h - 6
        rows = np.arange(geo.lane_h)[:, None]
        for lane, counts in dense:
            scale = np.log1p(counts) / np.log1p(max(int(counts.max()), 1))
            bars = np.where(counts > 0, np.maximum(np.ceil(scale * room), 1), 0)
            top = (geo.lane_h - 3) - bars
            y = (lane - view.first_lane) * geo.lane_h
            filled = (rows >= top[None, :]) & (rows < geo.lane_h - 3)
            pixels[y:y + geo.lane_h, :geo.plot_width] = np.where(filled, np.uint32(colour), np.uint32(0))
        p.drawImage(geo.plot_left, geo.lanes_top, qimage)

    def _sprite(self, kind: int, direction: int, hollow: bool, size: float) -> QImage:
        """A glyph drawn once and then stamped for every event of its kind (cached)."""
        key = (kind, direction, hollow, round(size, 1))
        sprite = self._sprites.get(key)
        if sprite is None:
            extent = int(size + 6)
            sprite = QImage(extent, extent, QImage.Format.Format_ARGB32_Premultiplied)
            sprite.fill(0)
            painter = QPainter(sprite)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            colour = (self.c["outgoing"], self.c["incoming"], self.c["unknown"])[direction]
            self._glyph(painter, kind, extent / 2, extent / 2, size, colour,
                        0.0 if hollow else float(SHORT_CALL_S))
            painter.end()
            self._sprites[key] = sprite
        return sprite

    def _glyphs(self, p: QPainter, data: TimelineData, lo: int, hi: int, lane: int,
                view: ViewState, geo: Geometry) -> None:
        xs = self.x_of(data.times[lo:hi].astype(np.float64), view, geo)
        scale = geo.plot_width / max(view.end - view.start, 1e-9)
        centre = geo.lane_y(lane, view.first_lane) + geo.lane_h / 2
        offset = geo.lane_h / 5
        size = min(9.0, geo.lane_h / 3)
        directions = data.direction[lo:hi]
        ys = np.where(directions == 0, centre - offset, np.where(directions == 1, centre + offset, centre))
        durations = data.duration[lo:hi].astype(np.float64)
        kinds = data.kind[lo:hi]
        hollow = (kinds == KIND["call"]) & (durations < SHORT_CALL_S)  # short or unanswered
        widths = np.nan_to_num(durations * scale, nan=0.0)
        colours = (self.c["outgoing"], self.c["incoming"], self.c["unknown"])
        for n in np.flatnonzero(widths >= 2).tolist():  # durations wide enough to see
            p.fillRect(QRectF(xs[n], ys[n] - 1.5, widths[n], 3), colours[int(directions[n])])
        half = (size + 6) / 2
        for x, y, kind, direction, is_hollow in zip(
                xs.tolist(), ys.tolist(), kinds.tolist(), directions.tolist(), hollow.tolist(),
                strict=True):
            p.drawImage(QPointF(x - half, y - half), self._sprite(kind, direction, is_hollow, size))

    def _glyph(self, p: QPainter, kind: int, x: float, y: float, size: float, colour: QColor,
               duration: float) -> None:
        half = size / 2
        p.setBrush(colour)
        p.setPen(Qt.PenStyle.NoPen)
        if kind == KIND["call"]:
            if duration == duration and duration < SHORT_CALL_S:  # short or unanswered: hollow
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.setPen(QPen(colour, 1.6))
            p.drawEllipse(QPointF(x, y), half, half)
        elif kind in (KIND["sms"], KIND["mms"]):
            p.drawRect(QRectF(x - half, y - half, size, size))
        elif kind == KIND["message"]:
            p.drawPolygon(QPolygonF([QPointF(x, y - half - 1), QPointF(x + half + 1, y),
                                     QPointF(x, y + half + 1), QPointF(x - half - 1, y)]))
        elif kind == KIND["email"]:
            p.drawRect(QRectF(x - half - 1, y - half / 1.5, size + 2, size / 1.5))
        elif kind == KIND["visit"]:
            p.drawPolygon(QPolygonF([QPointF(x, y - half - 1), QPointF(x + half, y - 1),
                                     QPointF(x + half, y + half), QPointF(x - half, y + half),
                                     QPointF(x - half, y - 1)]))
        elif kind == KIND["system_lookup"]:
            p.drawPolygon(QPolygonF([QPointF(x - half, y - half), QPointF(x + half, y - half),
                                     QPointF(x, y + half)]))
        elif kind == KIND["vehicle_stop"]:
            p.drawRect(QRectF(x - half, y - half, size, size))
            p.setBrush(self.c["surface"])
            p.drawRect(QRectF(x - half / 2.5, y - half / 2.5, size / 2.5, size / 2.5))
        elif kind == KIND["vehicle_position"]:
            p.drawEllipse(QPointF(x, y), 1.5, 1.5)
        else:
            p.setPen(QPen(colour, 1.6))
            p.drawLine(QPointF(x - half, y - half), QPointF(x + half, y + half))
            p.drawLine(QPointF(x - half, y + half), QPointF(x + half, y - half))

    def _highlights(self, p: QPainter, data: TimelineData, lanes: range, view: ViewState,
                    geo: Geometry) -> None:
        p.setBrush(Qt.BrushStyle.NoBrush)
        marked = [(int(pos), self.c["highlight"]) for pos in view.highlighted]
        if view.selected_event is not None:
            marked.append((view.selected_event, self.c["accent"]))
        visible = [(pos, colour) for pos, colour in marked if int(data.lane[pos]) in lanes
                   and view.start <= data.times[pos] <= view.end]
        rings = len(visible) <= MAX_RINGS  # past that, rings merge into a blob: mark with ticks
        for pos, colour in visible:
            x = float(self.x_of(float(data.times[pos]), view, geo))
            y = geo.lane_y(int(data.lane[pos]), view.first_lane)
            if rings or colour == self.c["accent"]:
                p.setPen(QPen(colour, 2.5))
                p.drawRoundedRect(QRectF(x - 8, y + 2, 16, geo.lane_h - 4), 4, 4)
            else:
                p.fillRect(QRectF(x - 1, y + geo.lane_h - 5, 2.5, 4), colour)

    def _note_flags(self, p: QPainter, data: TimelineData, lanes: range, view: ViewState,
                    geo: Geometry) -> None:
        """A small flag over each event that carries a note, tag or bookmark."""
        for lane in lanes:
            noted = data.noted_in_lane(lane)
            if noted.size == 0:
                continue
            times = data.times[noted]
            times = times[(times >= view.start) & (times <= view.end)]
            top = geo.lane_y(lane, view.first_lane) + 1
            for x in np.asarray(self.x_of(times.astype(np.float64), view, geo)).tolist():
                self.note_flag(p, x, top)

    def note_flag(self, p: QPainter, x: float, top: float) -> None:
        """The notes flag: a pole and a yellow pennant (also drawn in the key)."""
        p.setPen(QPen(self.c["text"], 1.2))
        p.drawLine(QPointF(x, top), QPointF(x, top + NOTE_FLAG_H))
        p.setBrush(self.c["note"])
        p.setPen(QPen(self.c["text"], 0.8))
        p.drawPolygon(QPolygonF([QPointF(x, top), QPointF(x + 9, top + 3.5),
                                 QPointF(x, top + 7)]))

    def _range(self, p: QPainter, view: ViewState, geo: Geometry, plot: QRectF) -> None:
        if view.time_range is None:
            return
        x0, x1 = (self.x_of(t, view, geo) for t in view.time_range)
        shade = QColor(self.c["range"])
        shade.setAlpha(40)
        p.fillRect(QRectF(x0, AXIS_H, x1 - x0, geo.lanes_bottom - AXIS_H + 2 * ROW_H), shade)
        p.setPen(QPen(self.c["range"], 1.5))
        p.drawLine(QPointF(x0, AXIS_H), QPointF(x0, geo.lanes_bottom + 2 * ROW_H))
        p.drawLine(QPointF(x1, AXIS_H), QPointF(x1, geo.lanes_bottom + 2 * ROW_H))

    def _markers(self, p: QPainter, data: TimelineData, view: ViewState, geo: Geometry) -> None:
        p.setFont(self.small)
        fm = QFontMetrics(self.small)
        flag_w = fm.horizontalAdvance("M") + 8
        for marker in data.markers:
            if marker.end < view.start or marker.start > view.end:
                continue
            x0 = float(self.x_of(marker.start, view, geo))
            x1 = float(self.x_of(marker.end, view, geo))
            colour = QColor(self.c.get(marker.severity, self.c["unknown"]))
            dismissed = marker.status == "dismissed"
            if dismissed:
                colour.setAlpha(110)
            top = AXIS_H + 4
            if x1 - x0 > 2:
                p.fillRect(QRectF(x0, top + FLAG_H - 12, x1 - x0, 3), colour)
            selected = marker.id == view.selected_marker
            p.setPen(QPen(colour, 2 if selected else 1))
            p.drawLine(QPointF(x0, top), QPointF(x0, top + FLAG_H - 6))
            if selected:
                guide = QPen(colour, 1, Qt.PenStyle.DashLine)
                p.setPen(guide)
                p.drawLine(QPointF(x0, top), QPointF(x0, geo.lanes_bottom))
            flag = QRectF(x0, top, flag_w, 14)
            if marker.status == "open" or selected:
                p.setBrush(colour)
                p.setPen(QPen(self.c["text"], 1.5) if selected else Qt.PenStyle.NoPen)
            else:
                p.setBrush(self.c["surface"])
                p.setPen(QPen(colour, 1.5))
            p.drawRect(flag)
            p.setPen(self.c["surface"] if marker.status == "open" or selected else colour)
            letter = SEVERITY_LETTER.get(marker.severity, "?")
            p.drawText(flag, Qt.AlignmentFlag.AlignCenter, "✓" if marker.status == "accepted" and not selected else letter)
            if marker.id in data.noted_markers:
                self.note_flag(p, x0 + flag_w + 2, top)
