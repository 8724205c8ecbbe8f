"""The link chart's view: wheel zoom around the cursor, drag to pan, context menu to pin."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsView, QMenu, QWidget

from ui.link_chart.items import NodeItem
from ui.link_chart.scene import ChartScene

ZOOM_STEP = 1.2
MIN_SCALE, MAX_SCALE = 0.02, 6.0


class ChartView(QGraphicsView):
    """Zoom and pan over a :class:`ChartScene`; pin/unpin nodes from a context menu."""

    pinRequested = Signal(list, bool)  # noqa: N815 - node ids, pinned

    def __init__(self, scene: ChartScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.setObjectName("linkChartView")
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setOptimizationFlags(QGraphicsView.OptimizationFlag.DontSavePainterState)
        self.setAccessibleName("Link chart")
        # Until the analyst zooms or pans, the chart keeps fitting its window as it resizes.
        self.follows_size = True
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(60)
        self._refit.timeout.connect(self.fit)

    @property
    def chart(self) -> ChartScene:
        return self.scene()  # type: ignore[return-value]

    def zoom(self, factor: float) -> None:
        self.follows_size = False
        scale = self.transform().m11()
        factor = min(max(factor, MIN_SCALE / scale), MAX_SCALE / scale)
        self.scale(factor, factor)
        self._zoomed()

    def _zoomed(self) -> None:
        self.chart.set_view_scale(self.transform().m11())

    def fit(self, rect: QRectF | None = None) -> None:
        """Show the whole chart (or a rectangle of it), not enlarged past 100 %."""
        self.follows_size = rect is None
        rect = rect or self.chart.content_rect()
        if rect.isEmpty():
            return
        self.fitInView(rect.adjusted(-30, -30, 30, 30), Qt.AspectRatioMode.KeepAspectRatio)
        if self.transform().m11() > 1.0:
            self.resetTransform()
            self.centerOn(rect.center())
        self._zoomed()
        # Labels now have their screen size: make room for those at the edges.
        self.fitInView(rect.adjusted(-30, -30, 30, 30).united(self._labels_rect()),
                       Qt.AspectRatioMode.KeepAspectRatio)
        if self.transform().m11() > 1.0:
            self.resetTransform()
            self.centerOn(rect.center())
        self._zoomed()

    def _labels_rect(self) -> QRectF:
        rect = QRectF()
        for item in self.chart.nodes.values():
            if item.label_visible:
                rect = rect.united(item.label_rect().translated(item.pos()))
        return rect

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        if self.follows_size:
            self._refit.start()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        if event.buttons() & Qt.MouseButton.LeftButton and self.itemAt(event.pos()) is None:
            self.follows_size = False  # panned by hand: keep the analyst's view
        super().mouseMoveEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt API
        self.zoom(ZOOM_STEP ** (event.angleDelta().y() / 120))
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom(ZOOM_STEP)
        elif key == Qt.Key.Key_Minus:
            self.zoom(1 / ZOOM_STEP)
        elif key in (Qt.Key.Key_Home, Qt.Key.Key_0):
            self.fit()
        else:
            super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt API
        item = self.itemAt(event.pos())
        if isinstance(item, NodeItem) and not item.isSelected():
            self.chart.clearSelection()
            item.setSelected(True)
        nodes = self.chart.selected_nodes()
        menu = QMenu(self)
        pin = menu.addAction("Pin here")
        unpin = menu.addAction("Unpin")
        pin.setEnabled(bool(nodes))
        unpin.setEnabled(any(self.chart.nodes[n].pinned for n in nodes))
        menu.addSeparator()
        unpin_all = menu.addAction("Unpin all")
        chosen = menu.exec(event.globalPos())
        if chosen is pin:
            self.pinRequested.emit(nodes, True)
        elif chosen is unpin:
            self.pinRequested.emit(nodes, False)
        elif chosen is unpin_all:
            self.pinRequested.emit(list(self.chart.nodes), False)
