"""Layout items in the sheet's style: labels, map frames, north arrow, scale bar, legend, extents."""

from __future__ import annotations

import math
from pathlib import Path

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemPage,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsLegendStyle,
    QgsPrintLayout,
    QgsProject,
    QgsRectangle,
    QgsScaleBarSettings,
    QgsUnitTypes,
)
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor

from .. import styling
from .mapdata import MapOptions


def _new_layout(project: QgsProject, name: str, options: MapOptions) -> QgsPrintLayout:
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    layout.setName(name)
    page = layout.pageCollection().page(0)
    orientation = (
        QgsLayoutItemPage.Orientation.Landscape
        if options.orientation == "landscape"
        else QgsLayoutItemPage.Orientation.Portrait
    )
    if not page.setPageSize(options.paper, orientation):
        width, height = options.page_size_mm()
        page.setPageSize(QgsLayoutSize(width, height, QgsUnitTypes.LayoutUnit.LayoutMillimeters))
    # Labels and texts stay text in the PDF: searchable, selectable and sharp at any zoom.
    layout.renderContext().setTextRenderFormat(Qgis.TextRenderFormat.AlwaysText)
    return layout


def _place(item, x: float, y: float, width: float, height: float, page: int = 0) -> None:
    item.attemptMove(QgsLayoutPoint(x, y, QgsUnitTypes.LayoutUnit.LayoutMillimeters), page=page)
    item.attemptResize(QgsLayoutSize(width, height, QgsUnitTypes.LayoutUnit.LayoutMillimeters))


def _label(
    layout, text: str, size_pt: float, x, y, w, h, bold=False, align=Qt.AlignmentFlag.AlignLeft, color="#202020", page=0
):
    label = QgsLayoutItemLabel(layout)
    label.setText(text)
    if hasattr(label, "setTextFormat"):  # QGIS ≥ 3.24
        label.setTextFormat(styling.text_format(size_pt, color=color, bold=bold))
    else:
        label.setFont(styling.font(size_pt, bold))
        label.setFontColor(QColor(color))
    label.setHAlign(align)
    label.setVAlign(Qt.AlignmentFlag.AlignTop)
    label.setMarginX(0)
    label.setMarginY(0)
    layout.addLayoutItem(label)
    _place(label, x, y, w, h, page)
    return label


def _map_item(layout, layers, crs, x, y, w, h, frame_mm=0.4):
    item = QgsLayoutItemMap(layout)
    item.setCrs(crs)
    item.setLayers(layers)
    item.setKeepLayerSet(bool(layers))
    item.setFrameEnabled(True)
    item.setFrameStrokeWidth(QgsLayoutMeasurementMm(frame_mm))
    item.setBackgroundColor(QColor("#ffffff"))
    layout.addLayoutItem(item)
    _place(item, x, y, w, h)
    return item


def QgsLayoutMeasurementMm(value: float):  # noqa: N802 - mirrors the QGIS class name
    """A layout measurement in millimetres."""
    from qgis.core import QgsLayoutMeasurement

    return QgsLayoutMeasurement(value, QgsUnitTypes.LayoutUnit.LayoutMillimeters)


def _north_arrow(layout, map_item, x, y, size):
    path = None
    for folder in QgsApplication.svgPaths():
        candidate = Path(folder) / "arrows" / "NorthArrow_02.svg"
        if candidate.exists():
            path = str(candidate)
            break
    if path is None:
        return _label(layout, "北\n↑", 12, x, y, size, size, bold=True, align=Qt.AlignmentFlag.AlignHCenter)
    picture = QgsLayoutItemPicture(layout)
    picture.setPicturePath(path)
    picture.setLinkedMap(map_item)
    picture.setNorthMode(QgsLayoutItemPicture.NorthMode.GridNorth)
    picture.setBackgroundEnabled(True)
    picture.setBackgroundColor(QColor(255, 255, 255, 200))
    layout.addLayoutItem(picture)
    _place(picture, x, y, size * 0.8, size)
    return picture


def _block_labels(map_item: QgsLayoutItemMap, *items) -> None:
    """Keep map labels out from under the items drawn over the map (north arrow, scale bar)."""
    for item in items:
        if item is not None and hasattr(map_item, "addLabelBlockingItem"):
            map_item.addLabelBlockingItem(item)


def _scale_bar(layout, map_item, x, y, scale, extent_width_m):
    bar = QgsLayoutItemScaleBar(layout)
    bar.setStyle("Single Box")
    bar.setLinkedMap(map_item)
    units = (
        QgsUnitTypes.DistanceUnit.DistanceKilometers
        if extent_width_m > 4000
        else QgsUnitTypes.DistanceUnit.DistanceMeters
    )
    bar.applyDefaultSize(units)
    bar.setUnits(units)
    bar.setUnitLabel("千米" if units == QgsUnitTypes.DistanceUnit.DistanceKilometers else "米")
    bar.setNumberOfSegmentsLeft(0)
    bar.setNumberOfSegments(2)
    bar.setSegmentSizeMode(QgsScaleBarSettings.SegmentSizeMode.SegmentSizeFitWidth)
    bar.setMinimumBarWidth(25 * scale)
    bar.setMaximumBarWidth(55 * scale)
    bar.setHeight(1.8 * scale)
    bar.setTextFormat(styling.text_format(7.5 * scale))
    bar.setBackgroundEnabled(True)
    bar.setBackgroundColor(QColor(255, 255, 255, 210))
    bar.setBoxContentSpace(1.5 * scale)
    layout.addLayoutItem(bar)
    bar.attemptMove(QgsLayoutPoint(x, y, QgsUnitTypes.LayoutUnit.LayoutMillimeters))
    bar.update()
    return bar


def _set_legend_fonts(legend, scale: float) -> None:
    sizes = {
        QgsLegendStyle.Style.Title: (12.0, True),
        QgsLegendStyle.Style.Group: (9.5, True),
        QgsLegendStyle.Style.Subgroup: (9.0, True),
        QgsLegendStyle.Style.SymbolLabel: (8.5, False),
    }
    for style, (size, bold) in sizes.items():
        if hasattr(legend, "setStyleFont"):
            legend.setStyleFont(style, styling.font(size * scale, bold))
        else:  # QGIS ≥ 3.30: text formats
            legend.rstyle(style).setTextFormat(styling.text_format(size * scale, bold=bold))


def _legend(layout, map_item, layers, x, y, w, h, scale, columns=1):
    legend = QgsLayoutItemLegend(layout)
    legend.setTitle("图　例")
    legend.setLinkedMap(map_item)
    legend.setAutoUpdateModel(False)
    root = legend.model().rootGroup()
    root.removeAllChildren()
    for layer in layers:
        root.addLayer(layer)
    _set_legend_fonts(legend, scale)
    legend.setSymbolWidth(7 * scale)
    legend.setSymbolHeight(4.5 * scale)
    legend.setColumnCount(columns)
    legend.setSplitLayer(True)
    legend.setEqualColumnWidth(False)
    legend.setBoxSpace(2.5 * scale)
    legend.setFrameEnabled(True)
    legend.setFrameStrokeWidth(QgsLayoutMeasurementMm(0.3))
    legend.setBackgroundColor(QColor(255, 255, 255, 235))
    legend.setResizeToContents(True)
    layout.addLayoutItem(legend)
    _place(legend, x, y, w, h)
    legend.adjustBoxSize()
    return legend


def _fit_extent(map_item: QgsLayoutItemMap, extent: QgsRectangle) -> None:
    """Show ``extent`` whole, widened to the item's aspect ratio.

    (``QgsLayoutItemMap.zoomToExtent`` divides by the current extent's ratio, which is NaN for a
    new item in QGIS 3.22, so the ratio is matched here and ``setExtent`` is used.)
    """
    size = map_item.sizeWithUnits()
    ratio = size.width() / size.height() if size.height() > 0 else 1.0
    width, height = extent.width(), extent.height()
    if width <= 0 or height <= 0:
        width = height = max(width, height, 1.0)
    if width / height < ratio:
        width = height * ratio
    else:
        height = width / ratio
    centre = extent.center()
    map_item.setExtent(
        QgsRectangle(centre.x() - width / 2, centre.y() - height / 2, centre.x() + width / 2, centre.y() + height / 2)
    )


def _zoom(map_item: QgsLayoutItemMap, extent: QgsRectangle, margin: float = 0.04) -> None:
    extent = QgsRectangle(extent)
    extent.grow(max(extent.width(), extent.height()) * margin)
    _fit_extent(map_item, extent)


def _style_overview_frame(overview: QgsLayoutItemMap, color: str, fill_alpha: float) -> None:
    """Restyle the overview's own frame symbol in place (handing it a new symbol double-frees in 3.22)."""
    symbol = overview.overview().frameSymbol()
    layer = symbol.symbolLayer(0)
    fill = QColor(color)
    fill.setAlphaF(fill_alpha)
    layer.setColor(fill)
    if hasattr(layer, "setStrokeColor"):
        layer.setStrokeColor(QColor(color))
        layer.setStrokeWidth(0.6)
        layer.setStrokeWidthUnit(QgsUnitTypes.RenderUnit.RenderMillimeters)


def _grown(extent: QgsRectangle, share: float) -> QgsRectangle:
    out = QgsRectangle(extent)
    out.grow(max(out.width(), out.height()) * share)
    return out


def _round_scale(value: float) -> int:
    if value <= 0:
        return 0
    magnitude = 10 ** max(0, int(math.floor(math.log10(value))) - 1)
    return int(round(value / magnitude) * magnitude)
