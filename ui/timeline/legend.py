"""The timeline's key: each record kind's shape, the direction colours, and what the rows mean."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from ui import theme
from ui.flow_key import FlowKey, KeyEntry, SymbolPainter
from ui.timeline.painter import KIND, SHORT_CALL_S, TimelinePainter

SHAPES = (("call", "Call", 60.0), ("call", f"Call under {SHORT_CALL_S} s / unanswered", 1.0),
          ("sms", "Text", 0.0), ("message", "App message", 0.0), ("email", "Email", 0.0),
          ("visit", "Visit", 0.0), ("system_lookup", "Police-system look-up", 0.0),
          ("vehicle_stop", "Vehicle stop", 0.0))
NOTE_ENTRY = "Note, tag or bookmark"
DIRECTIONS = (("outgoing", "From the officer (upper row)"), ("incoming", "To the officer (lower row)"),
              ("unknown", "Direction unknown"))


class TimelineLegend(FlowKey):
    """Shapes by kind (in the direction colours), then what the colours mean, flowing onto
    more rows when the window is narrow."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timelineLegend")
        self.setAccessibleName("Timeline key")
        self.setToolTip("Bars after a call show its length; grey bands in the roster row are "
                        "off duty; flags on top are escalation markers (colour: severity); a small yellow "
                        "flag marks an event or marker with a note, tag or bookmark")

    def entries(self) -> list[str]:
        return [entry.caption for entry in self.key_entries()]

    def text_colour(self) -> QColor:
        return theme.colours(theme.current())["text"]

    def key_entries(self) -> list[KeyEntry]:
        colours = theme.colours(theme.current())
        glyphs = TimelinePainter(colours)

        def shape(kind: str, duration: float) -> SymbolPainter:
            return lambda p, x, y: glyphs._glyph(p, KIND[kind], x + 5, y, 8.0, colours["text"],
                                                 duration)

        def square(key: str) -> SymbolPainter:
            return lambda p, x, y: p.fillRect(QRectF(x, y - 5, 10, 10), colours[key])

        entries = [KeyEntry(label, 10.0, shape(kind, duration)) for kind, label, duration in SHAPES]
        entries += [KeyEntry(label, 10.0, square(key), group_start=n == 0)
                    for n, (key, label) in enumerate(DIRECTIONS)]
        entries.append(KeyEntry(NOTE_ENTRY, 10.0, lambda p, x, y: glyphs.note_flag(p, x + 1, y - 6),
                                group_start=True))
        return entries
