"""Drawing units shared by layouts and renderers (all in layout units)."""

from __future__ import annotations

NODE_RADIUS = 0.5
"""Radius of a node circle at default size, in layout units."""
LABEL_HEIGHT = 0.5
"""Height of a one-line label, in layout units."""
CHAR_WIDTH = 0.26
"""Average width of one label character, in layout units."""
LABEL_GAP = 0.1
"""Space between a node circle and its label."""
DEFAULT_SPACING = 2.5
"""Ideal edge length, in layout units."""


def estimate_label_size(text: str) -> tuple[float, float]:
    """Approximate (width, height) of a label in layout units."""
    lines = str(text).splitlines() or [""]
    return CHAR_WIDTH * max(len(line) for line in lines), LABEL_HEIGHT * len(lines)
