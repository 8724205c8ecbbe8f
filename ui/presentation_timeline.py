"""The contact timeline drawn for a projector: the same painter, magnified.

The workbench's timeline painter lays out lanes and axis for a desk screen
(8-9 pt text). For a room it is drawn magnified so that its smallest text is
at least 24 pt; moving to a marker animates the visible window.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from PySide6.QtCore import QEasingCurve, QEvent, QSize, QVariantAnimation
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui import theme
from ui.case_context import CaseContext
from ui.timeline.painter import Geometry, TimelinePainter, ViewState
from workbench.timeline import TimelineData

MAX_LANES = 3  # lanes shown at once: at presentation size more would not fit a 1080p screen

MIN_POINTS = 24.0


def focus_timeline(data: TimelineData, event_ids: tuple[int, ...], marker_id: int | None,
                   person_id: int | None) -> TimelineData:
    """Only the lanes that hold the marker's evidence (or its person's), and only its flag."""
    positions = [p for e in event_ids if (p := data.position_of(e)) is not None]
    if positions:
        counts = np.bincount(data.lane[positions].astype(np.int64), minlength=len(data.lanes))
        chosen = [int(n) for n in np.argsort(-counts, kind="stable")[:MAX_LANES] if counts[n] > 0]
    else:
        chosen = data.lanes_of_person(person_id)[:MAX_LANES] if person_id is not None else []
    chosen = sorted(chosen) or list(range(min(MAX_LANES, len(data.lanes))))
    parts = [np.arange(data.lane_bounds[n], data.lane_bounds[n + 1]) for n in chosen]
    index = np.concatenate(parts) if parts else np.zeros(0, np.int64)
    sizes = [len(part) for part in parts]
    return replace(
        data, lanes=[data.lanes[n] for n in chosen],
        lane_bounds=np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64),
        times=data.times[index], lane=np.repeat(np.arange(len(chosen), dtype=np.int32), sizes),
        kind=data.kind[index], direction=data.direction[index], duration=data.duration[index],
        event_id=data.event_id[index], markers=[m for m in data.markers if m.id == marker_id],
        _positions=None)
# High contrast: near-black ground, white text, strong data colours (Okabe-Ito).
HIGH_CONTRAST = {
    **theme.THEMES["dark"],
    "window": "#000000", "surface": "#000000", "surface_alt": "#0d0d0d", "text": "#ffffff",
    "muted": "#d0d0d0", "grid": "#2a2a2a", "grid_major": "#5a5a5a", "lane_alt": "#111111",
    "night": "#0a0a14", "highlight": "#ffffff", "accent": "#56b4e9",
}


class PresentationTimeline(QWidget):
    """A magnified, high-contrast timeline that animates to the marker being presented."""

    ANIMATION_MS = 700

    def __init__(self, context: CaseContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.painter = TimelinePainter({k: QColor(v) for k, v in HIGH_CONTRAST.items()})
        smallest = min(f.pointSizeF() for f in (self.painter.font, self.painter.bold, self.painter.small))
        self.magnification = MIN_POINTS / smallest
        self.data = focus_timeline(context.timeline, (), None, None)
        start, end = context.timeline.span()
        self.view = ViewState(float(start), float(end))
        self._animation = QVariantAnimation(self)
        self._animation.setEasingCurve(QEasingCurve.Type.InOutCubic)
        self._animation.valueChanged.connect(self._step)
        self._from = self._to = (self.view.start, self.view.end)
        self.setAccessibleName("Contact timeline (presentation)")

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(1920, 620)

    def smallest_text_points(self) -> float:
        """The smallest font this widget paints, in effective points."""
        fonts = (self.painter.font, self.painter.bold, self.painter.small)
        return min(f.pointSizeF() for f in fonts) * self.magnification

    def geometry_now(self) -> Geometry:
        k = self.magnification
        return Geometry.of(int(self.width() / k), int(self.height() / k), len(self.data.lanes))

    def lane_labels(self) -> list[str]:
        return self.data.lane_labels

    def show_events(self, event_ids: tuple[int, ...], marker_id: int | None, start: float,
                    end: float, person_id: int | None = None) -> None:
        """Show the lanes of these events, highlight them and move (animated) to their span."""
        self.data = data = focus_timeline(self.context.timeline, event_ids, marker_id, person_id)
        positions = [p for e in event_ids if (p := data.position_of(e)) is not None]
        self.view.highlighted = np.array(positions, np.int64)
        self.view.selected_marker = marker_id
        self.view.first_lane = 0
        times = [float(data.times[p]) for p in positions] or [start, end]
        first, last = min(times + [start]), max(times + [end])
        pad = max((last - first) * 0.25, 6 * 3600)
        self.animate_to(first - pad, last + pad)

    def animate_to(self, start: float, end: float) -> None:
        self._animation.stop()
        self._from, self._to = (self.view.start, self.view.end), (start, end)
        if self.ANIMATION_MS <= 0 or not self.isVisible():
            self._step(1.0)
            return
        self._animation.setStartValue(0.0)
        self._animation.setEndValue(1.0)
        self._animation.setDuration(self.ANIMATION_MS)
        self._animation.start()

    def _step(self, t: object) -> None:
        share = float(t)  # type: ignore[arg-type]
        self.view.start = self._from[0] + (self._to[0] - self._from[0]) * share
        self.view.end = self._from[1] + (self._to[1] - self._from[1]) * share
        self.update()

    def paintEvent(self, _event: QEvent) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        try:
            self.paint_into(painter)
        finally:
            painter.end()  # even when drawing fails, or Qt warns of an active painter

    def paint_into(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.scale(self.magnification, self.magnification)
        self.painter.paint(painter, self.data, self.view, self.geometry_now())

    def render_image(self) -> QImage:
        image = QImage(self.size(), QImage.Format.Format_ARGB32_Premultiplied)
        painter = QPainter(image)
        self.paint_into(painter)
        painter.end()
        return image
