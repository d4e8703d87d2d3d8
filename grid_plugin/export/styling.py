"""Symbols, renderers and labels for exported grid maps (QGIS side).

Every text uses one CJK-capable font (:func:`cjk_font_family`), so Chinese renders in PDF and PNG
alike and never falls back to tofu boxes.
"""

from __future__ import annotations

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsColorRampShader,
    QgsFillSymbol,
    QgsGradientColorRamp,
    QgsGraduatedSymbolRenderer,
    QgsLineSymbol,
    QgsMarkerSymbol,
    QgsPalLayerSettings,
    QgsProperty,
    QgsRasterShader,
    QgsRendererCategory,
    QgsRuleBasedRenderer,
    QgsSingleBandPseudoColorRenderer,
    QgsSingleSymbolRenderer,
    QgsSymbolLayer,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsUnitTypes,
    QgsVectorLayerSimpleLabeling,
    QgsWkbTypes,
)
from qgis.PyQt.QtGui import QColor, QFont, QFontDatabase

from ..core.grid_types import GRID_TYPES, GRID_TYPES_BY_CODE

#: The font every layout text and label uses (Debian/Ubuntu package fonts-noto-cjk).
PREFERRED_FONT = "Noto Sans CJK SC"
#: Colours for categories of a field that is not a grid type (ColorBrewer Set3, print-safe).
CATEGORY_PALETTE = (
    "#8dd3c7",
    "#ffffb3",
    "#bebada",
    "#fb8072",
    "#80b1d3",
    "#fdb462",
    "#b3de69",
    "#fccde5",
    "#bc80bd",
    "#ccebc5",
    "#ffed6f",
    "#d9d9d9",
)
GRID_OUTLINE = "#3a3a3a"
GRID_OUTLINE_MM = 0.6
NEIGHBOUR_FILL = "#e4e4e4"
NEIGHBOUR_OUTLINE = "#9a9a9a"
AREA_OUTLINE = "#c0392b"
ROAD_COLOR = "#8c8c8c"
WATER_FILL = "#a9d3f5"
WATER_LINE = "#4a90d9"
SINGLE_FILL = "#9ecae1"

_font_family_cache: list[str] = []


def cjk_font_family() -> str | None:
    """The installed font family for Chinese text: Noto Sans CJK SC, else any Simplified Chinese font.

    Returns None when no font can write Chinese (the caller warns: install fonts-noto-cjk).
    """
    if _font_family_cache:
        return _font_family_cache[0]
    database = QFontDatabase()
    families = database.families()
    family = None
    if PREFERRED_FONT in families:
        family = PREFERRED_FONT
    else:
        chinese = database.families(QFontDatabase.WritingSystem.SimplifiedChinese)
        family = chinese[0] if chinese else None
    if family is not None:
        _font_family_cache.append(family)
    return family


def font(size_pt: float, bold: bool = False) -> QFont:
    """A QFont of the CJK family at ``size_pt`` points."""
    result = QFont(cjk_font_family() or "Sans Serif")
    result.setPointSizeF(size_pt)
    result.setBold(bold)
    # Without shaping, Qt's PDF writer maps every glyph back to its character: with it, digits next to
    # Latin letters ("KT001") lose their text in the PDF (they still draw, but cannot be searched).
    # Chinese, Latin and digits need no complex shaping.
    result.setStyleStrategy(QFont.StyleStrategy.PreferNoShaping)
    return result


def text_format(size_pt: float, color: str = "#202020", bold: bool = False, buffer_mm: float = 0.0) -> QgsTextFormat:
    """A QgsTextFormat in the CJK font, optionally with a white halo of ``buffer_mm``."""
    fmt = QgsTextFormat()
    fmt.setFont(font(size_pt, bold))
    fmt.setSize(size_pt)
    fmt.setSizeUnit(QgsUnitTypes.RenderUnit.RenderPoints)
    fmt.setColor(QColor(color))
    if buffer_mm > 0:
        buffer = QgsTextBufferSettings()
        buffer.setEnabled(True)
        buffer.setSize(buffer_mm)
        buffer.setSizeUnit(QgsUnitTypes.RenderUnit.RenderMillimeters)
        buffer.setColor(QColor(255, 255, 255, 230))
        fmt.setBuffer(buffer)
    return fmt


def fill_symbol(color: str, outline: str = GRID_OUTLINE, outline_mm: float = GRID_OUTLINE_MM, alpha: float = 1.0):
    """A simple fill with an outline."""
    fill = QColor(color)
    fill.setAlphaF(alpha)
    symbol = QgsFillSymbol.createSimple(
        {
            "color": f"{fill.red()},{fill.green()},{fill.blue()},{fill.alpha()}",
            "outline_color": outline,
            "outline_width": str(outline_mm),
            "outline_width_unit": "MM",
        }
    )
    return symbol


def type_label(value, lang: str = "zh") -> str:
    """The legend label of a grid type value (a code such as ``residential`` or already a label)."""
    text = "" if value is None else str(value)
    grid_type = GRID_TYPES_BY_CODE.get(text)
    if grid_type is None:
        return text
    return grid_type.zh if lang.startswith("zh") else grid_type.en


def type_color(value) -> str | None:
    """The palette colour of a grid type code or Chinese/English label; None when unknown."""
    text = "" if value is None else str(value)
    for grid_type in GRID_TYPES:
        if text in (grid_type.code, grid_type.zh, grid_type.en):
            return grid_type.color
    return None


def category_colors(values, field_is_type: bool) -> dict:
    """A colour per distinct value: the grid-type palette for types, else a qualitative palette."""
    colors = {}
    spare = list(CATEGORY_PALETTE)
    for index, value in enumerate(values):
        color = type_color(value) if field_is_type else None
        colors[value] = color or spare[index % len(spare)]
    return colors


def ordered_values(values, field_is_type: bool) -> list:
    """Distinct values in legend order (grid-type order for types, else sorted)."""
    distinct = sorted({v for v in values if v is not None and str(v) != ""}, key=str)
    if field_is_type:
        order = {t.code: i for i, t in enumerate(GRID_TYPES)}
        order.update({t.zh: i for i, t in enumerate(GRID_TYPES)})
        distinct.sort(key=lambda v: (order.get(str(v), len(order)), str(v)))
    return distinct


def categorized_renderer(field: str, values, field_is_type: bool, alpha: float, lang: str = "zh"):
    """Categories for the values present in the layer (absent types stay out of the legend)."""
    distinct = ordered_values(values, field_is_type)
    colors = category_colors(distinct, field_is_type)
    categories = []
    for value in distinct:
        label = type_label(value, lang) if field_is_type else str(value)
        categories.append(QgsRendererCategory(value, fill_symbol(colors[value], alpha=alpha), label))
    return QgsCategorizedSymbolRenderer(field, categories), colors


def grid_types_renderer(qml_path, field: str, values, alpha: float):
    """The shared grid-type style (``styles/grid_types.qml``) on ``field``, keeping only present types.

    Returns ``(renderer, colours)`` or ``None`` when the file is missing or not a categorized style,
    so the caller falls back to :func:`categorized_renderer` (same palette, from ``grid_types.py``).
    """
    from pathlib import Path

    from qgis.core import QgsVectorLayer

    if not Path(qml_path).exists():
        return None
    scratch = QgsVectorLayer("Polygon?field=grid_type:string", "scratch", "memory")
    _message, ok = scratch.loadNamedStyle(str(qml_path))
    renderer = scratch.renderer()
    if not ok or not isinstance(renderer, QgsCategorizedSymbolRenderer):
        return None
    present = set(str(v) for v in values if v is not None)
    categories, colors = [], {}
    for category in renderer.categories():
        value = str(category.value())
        if value not in present:
            continue
        symbol = category.symbol().clone()
        symbol.setOpacity(alpha)
        # On a printed map grid edges must stand out from the roads: a darker, bolder outline.
        for index in range(symbol.symbolLayerCount()):
            layer = symbol.symbolLayer(index)
            if hasattr(layer, "setStrokeWidth"):
                layer.setStrokeWidth(GRID_OUTLINE_MM)
                layer.setStrokeWidthUnit(QgsUnitTypes.RenderUnit.RenderMillimeters)
                layer.setStrokeColor(QColor(GRID_OUTLINE))
        categories.append(QgsRendererCategory(value, symbol, category.label()))
        colors[value] = symbol.color().name()
    missing = present - set(colors)
    if missing:  # values the shared style does not know: let the caller's palette handle them all
        return None
    return QgsCategorizedSymbolRenderer(field, categories), colors


def graduated_renderer(field: str, layer, alpha: float, classes: int = 5):
    """Natural-breaks classes for a numeric field, yellow to red."""
    ramp = QgsGradientColorRamp(QColor("#ffffcc"), QColor("#e31a1c"))
    renderer = QgsGraduatedSymbolRenderer(field)
    renderer.setSourceSymbol(fill_symbol("#ffffff", alpha=alpha))
    renderer.setSourceColorRamp(ramp)
    try:
        renderer.updateClasses(layer, QgsGraduatedSymbolRenderer.Mode.Jenks, classes)
    except TypeError:  # QGIS ≥ 3.38 moved the mode into classification methods
        from qgis.core import QgsClassificationJenks

        renderer.setClassificationMethod(QgsClassificationJenks())
        renderer.updateClasses(layer, classes)
    return renderer


def single_renderer(alpha: float):
    """One style for every grid."""
    return QgsSingleSymbolRenderer(fill_symbol(SINGLE_FILL, alpha=alpha))


def atlas_renderer(fill_expression: str):
    """The current atlas grid in its own colour with a bold outline; the neighbours greyed."""
    current = fill_symbol("#f6d55c", outline="#b2182b", outline_mm=0.9)
    current.symbolLayer(0).setDataDefinedProperty(
        QgsSymbolLayer.Property.PropertyFillColor,
        # Slightly transparent, so road names and the heatmap beneath stay readable.
        QgsProperty.fromExpression(f"set_color_part({fill_expression}, 'alpha', 200)"),
    )
    others = fill_symbol(NEIGHBOUR_FILL, outline=NEIGHBOUR_OUTLINE, outline_mm=0.3)
    root = QgsRuleBasedRenderer.Rule(None)
    root.appendChild(QgsRuleBasedRenderer.Rule(others, 0, 0, "$id <> @atlas_featureid", "其他网格"))
    root.appendChild(QgsRuleBasedRenderer.Rule(current, 0, 0, "$id = @atlas_featureid", "本网格"))
    return QgsRuleBasedRenderer(root)


def area_renderer():
    """The area boundary: a red dash-dot line, no fill."""
    symbol = QgsFillSymbol.createSimple(
        {
            "color": "0,0,0,0",
            "style": "no",
            "outline_color": AREA_OUTLINE,
            "outline_width": "0.9",
            "outline_width_unit": "MM",
            "outline_style": "dash dot",
        }
    )
    return QgsSingleSymbolRenderer(symbol)


def road_renderer(layer):
    """Roads in grey; main roads wider when a ``highway`` field says which ones they are."""
    symbol = QgsLineSymbol.createSimple(
        {"line_color": ROAD_COLOR, "line_width": "0.3", "line_width_unit": "MM", "capstyle": "round"}
    )
    if layer.fields().lookupField("highway") >= 0:
        expression = (
            "CASE WHEN \"highway\" IN ('motorway','trunk','primary','motorway_link','trunk_link','primary_link') "
            "THEN 0.9 WHEN \"highway\" IN ('secondary','tertiary','secondary_link','tertiary_link') THEN 0.6 "
            "ELSE 0.3 END"
        )
        symbol.symbolLayer(0).setDataDefinedProperty(
            QgsSymbolLayer.Property.PropertyStrokeWidth, QgsProperty.fromExpression(expression)
        )
    return QgsSingleSymbolRenderer(symbol)


def water_renderer(layer):
    """Water in blue, as areas or lines depending on the layer's geometry."""
    geometry_type = layer.geometryType()
    if geometry_type == QgsWkbTypes.GeometryType.PolygonGeometry:
        symbol = QgsFillSymbol.createSimple(
            {"color": WATER_FILL, "outline_color": WATER_LINE, "outline_width": "0.2", "outline_width_unit": "MM"}
        )
    elif geometry_type == QgsWkbTypes.GeometryType.LineGeometry:
        symbol = QgsLineSymbol.createSimple({"line_color": WATER_LINE, "line_width": "0.5", "line_width_unit": "MM"})
    else:
        symbol = QgsMarkerSymbol.createSimple({"color": WATER_LINE, "size": "1.5"})
    return QgsSingleSymbolRenderer(symbol)


def grid_labeling(field_expression: str, size_pt: float, is_expression: bool = False, color: str = "#111111"):
    """Grid codes at the grid's inside, with a halo, high priority and no overlaps (PAL)."""
    settings = QgsPalLayerSettings()
    settings.fieldName = field_expression
    settings.isExpression = is_expression
    settings.setFormat(text_format(size_pt, color=color, bold=True, buffer_mm=0.6))
    settings.placement = QgsPalLayerSettings.Placement.Horizontal
    settings.centroidWhole = False
    settings.centroidInside = True
    settings.fitInPolygonOnly = True  # a code outside its grid would name the wrong one
    settings.priority = 10
    settings.displayAll = False  # PAL drops a label rather than overlap another one
    settings.upsidedownLabels = QgsPalLayerSettings.UpsideDownLabels.Upright
    obstacle = settings.obstacleSettings()
    obstacle.setIsObstacle(True)
    settings.setObstacleSettings(obstacle)
    return QgsVectorLayerSimpleLabeling(settings)


def grid_labeling_with_leaders(field_expression: str, size_pt: float, small_field: str, color: str = "#111111"):
    """Every grid's code: inside the grid, or beside it with a leader line where ``small_field`` = 1.

    A grid too small for its code (:func:`..layout.sheets.mark_small_grids` decides at the map's scale)
    gets the code placed around it and a thin line to its pole of inaccessibility, so no grid goes
    without its code; both rules always draw (a code is never dropped for a collision).
    """
    from qgis.core import QgsCallout, QgsRuleBasedLabeling, QgsSimpleLineCallout

    inside = grid_labeling(field_expression, size_pt, color=color).settings()
    inside.displayAll = True
    beside = QgsPalLayerSettings(inside)
    beside.placement = QgsPalLayerSettings.Placement.AroundPoint
    beside.centroidInside = True
    beside.fitInPolygonOnly = False
    beside.dist = 2.5
    beside.distUnits = QgsUnitTypes.RenderUnit.RenderMillimeters
    callout = QgsSimpleLineCallout()
    callout.setEnabled(True)
    callout.setAnchorPoint(QgsCallout.AnchorPoint.PoleOfInaccessibility)
    callout.setMinimumLength(0.5)
    callout.setLineSymbol(QgsLineSymbol.createSimple({"line_color": "#111111", "line_width": "0.2"}))
    beside.setCallout(callout)
    root = QgsRuleBasedLabeling.Rule(None)
    for settings, expression in ((inside, f'"{small_field}" = 0'), (beside, f'"{small_field}" = 1')):
        rule = QgsRuleBasedLabeling.Rule(settings)
        rule.setFilterExpression(expression)
        root.appendChild(rule)
    return QgsRuleBasedLabeling(root)


def context_renderer():
    """Surroundings in the inset: light grey areas with a grey outline."""
    return QgsSingleSymbolRenderer(fill_symbol(NEIGHBOUR_FILL, NEIGHBOUR_OUTLINE, 0.3))


def context_labeling(field: str, size_pt: float):
    """Names of the surrounding areas, grey, inside them."""
    settings = QgsPalLayerSettings()
    settings.fieldName = field
    settings.setFormat(text_format(size_pt, color="#606060", buffer_mm=0.4))
    settings.placement = QgsPalLayerSettings.Placement.OverPoint
    settings.centroidInside = True  # a ring round the area has its centroid in the hole
    settings.priority = 3
    return QgsVectorLayerSimpleLabeling(settings)


def road_labeling(field: str, size_pt: float):
    """Road names along the lines, low priority: they give way to grid codes."""
    settings = QgsPalLayerSettings()
    settings.fieldName = field
    settings.setFormat(text_format(size_pt, color="#555555", buffer_mm=0.4))
    settings.placement = QgsPalLayerSettings.Placement.Curved
    settings.priority = 2
    settings.displayAll = False
    settings.repeatDistance = 80
    settings.repeatDistanceUnit = QgsUnitTypes.RenderUnit.RenderMillimeters
    try:
        settings.mergeLines = True
    except AttributeError:  # newer QGIS: thinning settings
        pass
    return QgsVectorLayerSimpleLabeling(settings)


def heatmap_renderer(layer, opacity: float = 0.7):
    """A single-band raster as a yellow-to-red heat ramp; the lowest values transparent."""
    provider = layer.dataProvider()
    stats = provider.bandStatistics(1)
    low, high = float(stats.minimumValue), float(stats.maximumValue)
    if not high > low:
        high = low + 1.0
    items = [
        QgsColorRampShader.ColorRampItem(low, QColor(255, 255, 178, 0), "低"),
        QgsColorRampShader.ColorRampItem(low + (high - low) * 0.25, QColor(254, 204, 92, 160), ""),
        QgsColorRampShader.ColorRampItem(low + (high - low) * 0.5, QColor(253, 141, 60, 200), ""),
        QgsColorRampShader.ColorRampItem(low + (high - low) * 0.75, QColor(240, 59, 32, 220), ""),
        QgsColorRampShader.ColorRampItem(high, QColor(189, 0, 38, 235), "高"),
    ]
    ramp = QgsColorRampShader(low, high)
    ramp.setColorRampType(QgsColorRampShader.Type.Interpolated)
    ramp.setColorRampItemList(items)
    shader = QgsRasterShader()
    shader.setRasterShaderFunction(ramp)
    renderer = QgsSingleBandPseudoColorRenderer(provider, 1, shader)
    renderer.setClassificationMin(low)
    renderer.setClassificationMax(high)
    layer.setRenderer(renderer)
    layer.renderer().setOpacity(opacity)
