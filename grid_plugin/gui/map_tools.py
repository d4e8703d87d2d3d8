"""Map tools of the editing panel: select units by click or drag, move them by right-click."""

from __future__ import annotations

from qgis.core import QgsFeatureRequest, QgsGeometry, QgsPointXY, QgsRectangle, QgsVectorLayer, QgsWkbTypes
from qgis.gui import QgsMapTool, QgsRubberBand
from qgis.PyQt.QtCore import QPoint, QRect, Qt, pyqtSignal
from qgis.PyQt.QtGui import QColor

#: Pixels a press may move and still count as a click.
CLICK_TOLERANCE_PX = 4


class UnitSelectTool(QgsMapTool):
    """Click or drag to select units (Shift adds, Ctrl removes); right-click a grid to move them there.

    The tool selects on the layer returned by ``layer_getter`` (the unit layer, or the building layer
    in building mode), so the selection is an ordinary QGIS selection the panel listens to.
    ``move_requested(QgsPointXY)`` is emitted with the map point of a right-click.
    """

    move_requested = pyqtSignal(QgsPointXY)

    def __init__(self, canvas, layer_getter):
        super().__init__(canvas)
        self.layer_getter = layer_getter
        self._start: QPoint | None = None
        self._band = QgsRubberBand(canvas, QgsWkbTypes.GeometryType.PolygonGeometry)
        self._band.setColor(QColor(0, 120, 215, 60))
        self._band.setStrokeColor(QColor(0, 120, 215))
        self._band.setWidth(1)
        self.setCursor(Qt.CursorShape.CrossCursor)

    def canvasPressEvent(self, event):  # noqa: N802
        """Start a click or a drag (left button)."""
        if event.button() == Qt.MouseButton.LeftButton:
            self._start = event.pos()

    def canvasMoveEvent(self, event):  # noqa: N802
        """Draw the drag rectangle."""
        if self._start is None:
            return
        rect = QRect(self._start, event.pos()).normalized()
        if rect.width() > CLICK_TOLERANCE_PX or rect.height() > CLICK_TOLERANCE_PX:
            self._band.setToCanvasRectangle(rect)

    def canvasReleaseEvent(self, event):  # noqa: N802
        """Select what was clicked or dragged over; a right-click asks to move the selection."""
        if event.button() == Qt.MouseButton.RightButton:
            self.move_requested.emit(self.toMapCoordinates(event.pos()))
            return
        if self._start is None or event.button() != Qt.MouseButton.LeftButton:
            return
        rect = QRect(self._start, event.pos()).normalized()
        self._start = None
        self._band.reset(QgsWkbTypes.GeometryType.PolygonGeometry)
        layer = self.layer_getter()
        if not isinstance(layer, QgsVectorLayer):
            return
        behavior = QgsVectorLayer.SelectBehavior.SetSelection
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            behavior = QgsVectorLayer.SelectBehavior.AddToSelection
        elif event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            behavior = QgsVectorLayer.SelectBehavior.RemoveFromSelection
        if rect.width() <= CLICK_TOLERANCE_PX and rect.height() <= CLICK_TOLERANCE_PX:
            layer.selectByIds(self.features_at(layer, event.pos()), behavior)
            return
        map_rect = QgsRectangle(self.toMapCoordinates(rect.topLeft()), self.toMapCoordinates(rect.bottomRight()))
        layer.selectByRect(self.toLayerCoordinates(layer, map_rect), behavior)

    def features_at(self, layer, pos: QPoint) -> list[int]:
        """Ids of the features of ``layer`` under the pixel ``pos``: the polygon containing it, else the nearest."""
        point = self.toLayerCoordinates(layer, self.toMapCoordinates(pos))
        radius = self.searchRadiusMU(self.canvas())
        map_rect = QgsRectangle(
            self.toMapCoordinates(pos - QPoint(CLICK_TOLERANCE_PX, CLICK_TOLERANCE_PX)),
            self.toMapCoordinates(pos + QPoint(CLICK_TOLERANCE_PX, CLICK_TOLERANCE_PX)),
        )
        request = QgsFeatureRequest().setFilterRect(self.toLayerCoordinates(layer, map_rect)).setNoAttributes()
        here = QgsGeometry.fromPointXY(point)
        inside, near = [], []
        for feature in layer.getFeatures(request):
            geometry = feature.geometry()
            if geometry.contains(here):
                inside.append(feature.id())
            else:
                near.append((geometry.distance(here), feature.id()))
        if inside:
            return inside[:1]
        near = [item for item in near if item[0] <= max(radius, 0.0) * 10]
        return [min(near)[1]] if near else []

    def deactivate(self):
        """Clear the rubber band."""
        self._band.reset(QgsWkbTypes.GeometryType.PolygonGeometry)
        super().deactivate()
