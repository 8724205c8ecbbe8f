"""The contact timeline widget: zoom, pan, select a time range, hover and click.

Mouse: wheel zooms around the cursor (Shift+wheel scrolls lanes), drag pans,
Shift+drag (or a drag on the axis) selects a time range, click picks an event
or a marker flag. Keys: + and - zoom, Left/Right pan, Home fits everything,
Page Up/Down scroll lanes, Esc clears the time range.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QPointF, QSize, Qt
from PySide6.QtGui import QImage, QKeyEvent, QMouseEvent, QPainter, QWheelEvent
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from ui import formatting, theme
from ui.case_context import CaseContext
from ui.timeline.painter import AXIS_H, FLAG_H, Geometry, TimelinePainter, ViewState
from ui.tooltips import tooltip
from workbench.analysis import rule_title
from workbench.model.vocab import EVENT_KINDS
from workbench.timeutil import format_day
from workbench.vocabulary import severity_label

MIN_SPAN_S = 600  # ten minutes across the whole width
ZOOM_STEP = 1.25
PAN_STEP = 0.2
CLICK_SLOP_PX = 4
HIT_PX = 7


class TimelineView(QWidget):
    """Custom-painted contact timeline over the context's :class:`TimelineData`."""

    def __init__(self, context: CaseContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setObjectName("timeline")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(480, 220)
        self.painter = TimelinePainter(theme.colours(theme.current()))
        start, end = self._full_span()
        self.view = ViewState(start, end)
        self._press: QPoint | None = None
        self._press_view: tuple[float, float] | None = None
        self._selecting = False
        context.changed.connect(self._case_changed)
        context.anonymiseChanged.connect(lambda _on: self.update())
        context.notesChanged.connect(self.update)
        context.eventSelected.connect(self._event_selected)
        context.markerSelected.connect(self._marker_selected)
        context.rangeSelected.connect(self._range_selected)
        self.setAccessibleName("Contact timeline")

    # -- state the tests and other views use ------------------------------------------
    @property
    def data(self):  # type: ignore[no-untyped-def]
        return self.context.timeline

    def visible_range(self) -> tuple[float, float]:
        return self.view.start, self.view.end

    def lane_labels(self) -> list[str]:
        return self.data.lane_labels

    def geometry_now(self) -> Geometry:
        return Geometry.of(self.width(), self.height(), len(self.data.lanes))

    def set_theme(self, name: str) -> None:
        self.painter = TimelinePainter(theme.colours(name))
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(1000, 360)

    # -- moving the window --------------------------------------------------------------
    def _full_span(self) -> tuple[float, float]:
        start, end = self.context.timeline.span()
        pad = max((end - start) * 0.03, 1800)
        return start - pad, end + pad

    def fit_all(self) -> None:
        self.view.start, self.view.end = self._full_span()
        self.update()

    def show_range(self, start: float, end: float) -> None:
        if end - start < MIN_SPAN_S:
            middle = (start + end) / 2
            start, end = middle - MIN_SPAN_S / 2, middle + MIN_SPAN_S / 2
        self.view.start, self.view.end = float(start), float(end)
        self.update()

    def zoom(self, factor: float, around: float | None = None) -> None:
        """Zoom in (factor > 1) or out around an epoch time (default: the middle)."""
        start, end = self.view.start, self.view.end
        around = (start + end) / 2 if around is None else around
        full = self._full_span()
        limit = max((full[1] - full[0]) * 4, MIN_SPAN_S)
        span = min(max((end - start) / factor, MIN_SPAN_S), limit)
        fraction = (around - start) / max(end - start, 1e-9)
        self.view.start = around - fraction * span
        self.view.end = self.view.start + span
        self.update()

    def pan(self, fraction: float) -> None:
        shift = (self.view.end - self.view.start) * fraction
        self.view.start += shift
        self.view.end += shift
        self.update()

    def scroll_lanes(self, lanes: int) -> None:
        geo = self.geometry_now()
        most = max(geo.lanes - geo.visible_lanes, 0)
        self.view.first_lane = int(min(max(self.view.first_lane + lanes, 0), most))
        self.update()

    def time_at(self, x: float) -> float:
        geo = self.geometry_now()
        return self.view.start + (x - geo.plot_left) / geo.plot_width * (self.view.end - self.view.start)

    # -- following the selection ---------------------------------------------------------
    def _case_changed(self) -> None:
        start, end = self._full_span()
        if self.view.end < start or self.view.start > end:
            self.fit_all()
        self.view.first_lane = min(self.view.first_lane, max(len(self.data.lanes) - 1, 0))
        self._refresh_highlights()
        self.update()

    def _refresh_highlights(self) -> None:
        marker = next((m for m in self.data.markers if m.id == self.view.selected_marker), None)
        positions = [self.data.position_of(e) for e in marker.evidence] if marker else []
        self.view.highlighted = np.array([p for p in positions if p is not None], np.int64)
        event = self.context.selection.event
        self.view.selected_event = self.data.position_of(event) if event is not None else None

    def _event_selected(self, event_id: int) -> None:
        self.view.selected_marker = None
        self._refresh_highlights()
        position = self.view.selected_event
        if position is not None:
            self._bring_into_view(float(self.data.times[position]), float(self.data.times[position]))
            self._bring_lane_into_view(int(self.data.lane[position]))
        self.update()

    def _marker_selected(self, marker_id: int) -> None:
        self.view.selected_marker = marker_id
        self._refresh_highlights()
        marker = next((m for m in self.data.markers if m.id == marker_id), None)
        if marker is not None:
            times = [float(self.data.times[p]) for p in self.view.highlighted] or [marker.start]
            self._bring_into_view(min(times + [marker.start]), max(times + [marker.end]))
            if self.view.highlighted.size:
                self._bring_lane_into_view(int(self.data.lane[self.view.highlighted[0]]))
        self.update()

    def _range_selected(self, time_range: tuple[int, int] | None) -> None:
        self.view.time_range = time_range
        self.update()

    def _bring_into_view(self, first: float, last: float) -> None:
        """Scroll (and zoom out if needed) so a span is on screen with some margin."""
        span = self.view.end - self.view.start
        if last - first > span * 0.8:
            pad = max((last - first) * 0.15, 3600)
            self.show_range(first - pad, last + pad)
        elif first < self.view.start + span * 0.05 or last > self.view.end - span * 0.05:
            middle = (first + last) / 2
            self.view.start, self.view.end = middle - span / 2, middle + span / 2

    def _bring_lane_into_view(self, lane: int) -> None:
        geo = self.geometry_now()
        if not self.view.first_lane <= lane < self.view.first_lane + geo.visible_lanes:
            self.view.first_lane = max(0, min(lane, geo.lanes - geo.visible_lanes))

    # -- painting -------------------------------------------------------------------------
    def paintEvent(self, _event: QEvent) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            self.painter.paint(painter, self.data, self.view, self.geometry_now())
        finally:
            painter.end()  # even when drawing fails, or Qt warns of an active painter

    def render_image(self, width: int, height: int) -> QImage:
        """One frame drawn into an image (snapshots and the bench)."""
        image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.painter.paint(painter, self.data, self.view, Geometry.of(width, height, len(self.data.lanes)))
        painter.end()
        return image

    # -- hit testing ----------------------------------------------------------------------
    def marker_at(self, pos: QPointF) -> int | None:
        if not AXIS_H <= pos.y() < AXIS_H + FLAG_H:
            return None
        geo = self.geometry_now()
        best, best_distance = None, 14.0
        for marker in self.data.markers:
            x = float(self.painter.x_of(marker.start, self.view, geo))
            distance = pos.x() - x
            if -2 <= distance <= best_distance:
                best, best_distance = marker.id, distance
        return best

    def event_at(self, pos: QPointF) -> int | None:
        """Array position of the event drawn nearest the point, if within reach."""
        geo = self.geometry_now()
        lane = geo.lane_at(pos.y(), self.view.first_lane)
        if lane is None or pos.x() < geo.plot_left:
            return None
        part = self.data.lane_slice(lane)
        times = self.data.times[part]
        if times.size == 0:
            return None
        seconds_per_px = (self.view.end - self.view.start) / geo.plot_width
        at = self.time_at(pos.x())
        index = int(np.searchsorted(times, at))
        best, best_distance = None, HIT_PX * seconds_per_px
        for candidate in (index - 1, index):
            if 0 <= candidate < times.size and abs(times[candidate] - at) <= best_distance:
                best, best_distance = candidate, abs(times[candidate] - at)
        return None if best is None else part.start + best

    def tooltip_at(self, pos: QPointF) -> str:
        tz = ZoneInfo(self.data.timezone)
        geo = self.geometry_now()
        if pos.x() < geo.plot_left:  # a lane's label: in full (it may be elided on screen)
            lane = geo.lane_at(pos.y(), self.view.first_lane)
            if lane is None:
                return ""
            info = self.data.lanes[lane]
            count = int(self.data.lane_bounds[lane + 1] - self.data.lane_bounds[lane])
            return tooltip(f"{info.channel} · {count:,} events", title=info.counterpart)
        marker_id = self.marker_at(pos)
        if marker_id is not None:
            marker = next(m for m in self.data.markers if m.id == marker_id)
            return tooltip(f"{severity_label(marker.severity)} severity, {marker.status}",
                           formatting.moment(marker.start, tz),
                           f"{marker.records:,} supporting record(s) — click for details",
                           title=rule_title(marker.rule))
        position = self.event_at(pos)
        if position is None:
            return ""
        lane = self.data.lanes[int(self.data.lane[position])]
        kind = EVENT_KINDS[self.data.kind[position]] if self.data.kind[position] < len(EVENT_KINDS) else "other"
        direction = ("outgoing", "incoming", "")[int(self.data.direction[position])]
        when = float(self.data.times[position])
        shown = (f"{format_day(when, tz)} (the source gives the day, not the time)"
                 if self.data.known_to_the_day(position) else formatting.moment(when, tz))
        lines = [shown, lane.label]
        duration = formatting.duration(float(self.data.duration[position]))
        if duration:
            lines.append(f"Duration {duration}")
        detail = self.context.event_details(int(self.data.event_id[position]))
        if detail and detail.get("text"):
            text = str(detail["text"])
            lines.append("“" + (text[:140] + "…" if len(text) > 140 else text) + "”")
        return tooltip(*lines, title=f"{formatting.sentence(kind)} {direction}")

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            text = self.tooltip_at(QPointF(event.pos()))  # type: ignore[attr-defined]
            if text:
                QToolTip.showText(event.globalPos(), text, self)  # type: ignore[attr-defined]
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    # -- input ----------------------------------------------------------------------------
    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt API
        steps = event.angleDelta().y() / 120
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.scroll_lanes(-int(steps) or (-1 if steps > 0 else 1))
        else:
            self.zoom(ZOOM_STEP ** steps, self.time_at(event.position().x()))
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        self.setFocus()
        self._press = event.position().toPoint()
        self._press_view = (self.view.start, self.view.end)
        self._selecting = bool(event.button() == Qt.MouseButton.RightButton
                               or event.modifiers() & Qt.KeyboardModifier.ShiftModifier
                               or event.position().y() < AXIS_H)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        if self._press is None or self._press_view is None:
            return
        x = event.position().x()
        if self._selecting:
            a, b = sorted((self.time_at(self._press.x()), self.time_at(x)))
            self.view.time_range = (a, b)
            self.update()
        elif abs(x - self._press.x()) > CLICK_SLOP_PX:
            geo = self.geometry_now()
            seconds = (x - self._press.x()) / geo.plot_width * (self._press_view[1] - self._press_view[0])
            self.view.start = self._press_view[0] - seconds
            self.view.end = self._press_view[1] - seconds
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        if self._press is None:
            return
        moved = (event.position().toPoint() - self._press).manhattanLength() > CLICK_SLOP_PX
        self.unsetCursor()
        if self._selecting and moved and self.view.time_range is not None:
            a, b = self.view.time_range
            self.context.select_range((int(a), int(b)))
        elif not moved:
            self._click(event.position())
        self._press = None
        self._selecting = False

    def _click(self, pos: QPointF) -> None:
        marker = self.marker_at(pos)
        if marker is not None:
            self.context.select_marker(marker)
            return
        position = self.event_at(pos)
        if position is not None:
            self.context.select_event(int(self.data.event_id[position]))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        key = event.key()
        keys = Qt.Key
        if key in (keys.Key_Plus, keys.Key_Equal):
            self.zoom(ZOOM_STEP * ZOOM_STEP)
        elif key in (keys.Key_Minus, keys.Key_Underscore):
            self.zoom(1 / (ZOOM_STEP * ZOOM_STEP))
        elif key == keys.Key_Left:
            self.pan(-PAN_STEP)
        elif key == keys.Key_Right:
            self.pan(PAN_STEP)
        elif key in (keys.Key_Home, keys.Key_0):
            self.fit_all()
        elif key == keys.Key_PageDown:
            self.scroll_lanes(max(self.geometry_now().visible_lanes - 1, 1))
        elif key == keys.Key_PageUp:
            self.scroll_lanes(-max(self.geometry_now().visible_lanes - 1, 1))
        elif key == keys.Key_Down:
            self.scroll_lanes(1)
        elif key == keys.Key_Up:
            self.scroll_lanes(-1)
        elif key == keys.Key_Escape and self.view.time_range is not None:
            self.view.time_range = None
            self.context.select_range(None)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

