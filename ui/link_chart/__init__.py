"""The interactive link chart: a QGraphicsView of the case graph."""

from ui.link_chart.panel import LinkChartPanel

__all__ = ["LinkChartPanel"]
