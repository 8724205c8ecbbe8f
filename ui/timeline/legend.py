"""The timeline's key: each record kind's shape, the direction colours, and what the rows mean."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QFontMetricsF, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from ui import theme
from ui.timeline.painter import KIND, SHORT_CALL_S, TimelinePainter

SHAPES = (("call", "Call", 60.0), ("call", f"Call under {SHORT_CALL_S} s / unanswered", 1.0),
          ("sms", "Text", 0.0), ("message", "App message", 0.0), ("email", "Email", 0.0),
          ("visit", "Visit", 0.0), ("system_lookup", "Police-system look-up", 0.0),
          ("vehicle_stop", "Vehicle stop", 0.0))
DIRECTIONS = (("outgoing", "From the officer (upper row)"), ("incoming", "To the officer (lower row)"),
              ("unknown", "Direction unknown"))


class TimelineLegend(QWidget):
    """One line: shapes by kind (in the direction colours), then what the colours mean."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timelineLegend")
        self.setAccessibleName("Timeline key")
        self.setFixedHeight(22)
        self.setToolTip("Bars after a call show its length; grey bands in the roster row are "
                        "off duty; flags on top are escalation markers (colour: severity)")

    def entries(self) -> list[str]:
        return [label for _k, label, _d in SHAPES] + [label for _k, label in DIRECTIONS]

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(1400, 22)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        colours = theme.colours(theme.current())
        glyphs = TimelinePainter(colours)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetricsF(self.font())
        x, y = 6.0, self.height() / 2

        def caption(text: str) -> None:
            nonlocal x
            p.setPen(colours["text"])
            width = metrics.horizontalAdvance(text)
            p.drawText(QRectF(x, 0, width + 2, self.height()), Qt.AlignmentFlag.AlignVCenter, text)
            x += width + 14

        for kind, label, duration in SHAPES:
            glyphs._glyph(p, KIND[kind], x + 5, y, 8.0, colours["text"], duration)
            x += 14
            caption(label)
        x += 8
        for key, label in DIRECTIONS:
            p.fillRect(QRectF(x, y - 5, 10, 10), colours[key])
            x += 14
            caption(label)
        p.end()
