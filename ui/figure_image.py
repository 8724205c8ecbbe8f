"""A matplotlib Figure drawn into a QImage (Agg canvas, no pyplot, no Qt backend)."""

from __future__ import annotations

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PySide6.QtGui import QImage


def figure_image(figure: Figure, width: int, height: int, dpi: float = 100.0) -> QImage:
    """Render ``figure`` at ``width`` x ``height`` pixels."""
    figure.set_dpi(dpi)
    figure.set_size_inches(max(width, 50) / dpi, max(height, 50) / dpi)
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    buffer = canvas.buffer_rgba()
    w, h = canvas.get_width_height()
    return QImage(bytes(buffer), w, h, QImage.Format.Format_RGBA8888).copy()
