"""A matplotlib Figure drawn into a QImage (Agg canvas, no pyplot, no Qt backend).

:func:`figure_rgba` needs no Qt, so a view can draw a figure in a worker and only
wrap the pixels (:func:`rgba_image`) on the GUI thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QImage

if TYPE_CHECKING:
    from matplotlib.figure import Figure

Pixels = tuple[bytes, int, int]  # RGBA bytes, width, height


def figure_rgba(figure: Figure, width: int, height: int, dpi: float = 100.0) -> Pixels:
    """Render ``figure`` at ``width`` x ``height`` pixels (safe in a worker)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: PLC0415 - when drawing

    figure.set_dpi(dpi)
    figure.set_size_inches(max(width, 50) / dpi, max(height, 50) / dpi)
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    w, h = canvas.get_width_height()
    return bytes(canvas.buffer_rgba()), w, h


def rgba_image(pixels: Pixels) -> QImage:
    data, width, height = pixels
    return QImage(data, width, height, QImage.Format.Format_RGBA8888).copy()


def figure_image(figure: Figure, width: int, height: int, dpi: float = 100.0) -> QImage:
    """Render ``figure`` at ``width`` x ``height`` pixels."""
    return rgba_image(figure_rgba(figure, width, height, dpi))
