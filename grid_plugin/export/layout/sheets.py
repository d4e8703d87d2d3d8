"""The two layouts: the overview sheet (map, inset, legend, grid table) and the per-grid atlas."""

from __future__ import annotations

from qgis.core import (
    QgsLayoutFrame,
    QgsLayoutItemAttributeTable,
    QgsLayoutItemMap,
    QgsLayoutItemPage,
    QgsLayoutMultiFrame,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsLayoutTableColumn,
    QgsProject,
    QgsRectangle,
    QgsUnitTypes,
)
from qgis.PyQt.QtCore import Qt

from ...core.crs import describe_crs_words
from .. import styling
from .items import (
    _block_labels,
    _fit_extent,
    _grown,
    _label,
    _legend,
    _map_item,
    _new_layout,
    _north_arrow,
    _round_scale,
    _scale_bar,
    _style_overview_frame,
    _zoom,
)
from .mapdata import LayoutResult, MapData, MapOptions

#: Who made the map, as the footer says it.
MAKER = "制图：网格规划插件"


def crs_words(crs) -> str:
    """The map CRS in Chinese words (2000国家大地坐标系 高斯-克吕格 3度带 …), from :mod:`core.crs`."""
    authid = crs.authid()
    return describe_crs_words(authid if authid else crs.toWkt(), "zh")


def _credits_text(data: MapData, options: MapOptions, scale_value: float) -> str:
    parts = []
    if options.review_number:
        parts.append(f"审图号：{options.review_number}")
    if options.credits:
        parts.append(f"数据来源：{options.credits}")
    if data.label_prefix:
        parts.append(f"图上编号为网格编码去掉共同前缀 {data.label_prefix} 后的部分")
    parts.append(f"坐标系：{crs_words(data.crs)}")
    if scale_value > 0:
        parts.append(f"比例尺 1:{_round_scale(scale_value):,}")
    parts.append(MAKER)
    text = "　　".join(parts)
    if options.disclaimer:
        text += "\n" + options.disclaimer
    return text


def footer_height_mm(text: str, width_mm: float, scale: float, size_pt: float = 7.0) -> float:
    """Height of the footer for ``text`` at ``size_pt`` in a box ``width_mm`` wide (its lines wrap)."""
    import math

    per_line_mm = size_pt * 25.4 / 72.0
    lines = 0
    for line in text.split("\n"):
        # full-width characters take one em, Latin letters and digits about half
        width = sum(1.0 if ord(c) >= 0x2E80 else 0.55 for c in line) * per_line_mm * scale
        lines += max(1, math.ceil(width / max(width_mm, 1.0)))
    return (lines * 1.45 * per_line_mm + 2.5) * scale


def mark_small_grids(data: MapData, map_item: QgsLayoutItemMap) -> int:
    """Flag (``gp_small`` = 1) the grids whose code does not fit inside them at the map's scale.

    A code fits when a circle as wide as the code's text fits inside the grid (its maximum inscribed
    circle). Flagged grids get their code beside them with a leader line. Returns how many.
    """
    import numpy as np
    import shapely

    scale = map_item.scale()
    if not scale or scale <= 0:
        return 0
    metres_per_mm = (
        scale
        / 1000.0
        * QgsUnitTypes.fromUnitToUnitFactor(QgsUnitTypes.DistanceUnit.DistanceMeters, data.crs.mapUnits())
    )
    frame = data.frame
    # Codes are digits and Latin letters (about 0.6 em wide each), bold, at label_pt points.
    em_mm = data.label_pt * 25.4 / 72.0
    text_mm = np.array([max(len(str(label)), 1) * 0.62 * em_mm + 1.5 for label in frame["gp_label"]])
    geoms = np.asarray(frame.geometry.values, dtype=object)
    radius = shapely.length(shapely.maximum_inscribed_circle(geoms, tolerance=0.5 * metres_per_mm))
    small = (2.0 * radius) < text_mm * metres_per_mm
    layer = data.grids
    index = layer.fields().lookupField("gp_small")
    if index < 0:
        return 0
    by_code = dict(zip(frame["gp_code"], small.astype(int)))
    changes = {feature.id(): {index: int(by_code.get(feature["gp_code"], 0))} for feature in layer.getFeatures()}
    layer.dataProvider().changeAttributeValues(changes)
    frame["gp_small"] = small.astype(int)
    return int(small.sum())


def _subtitle(options: MapOptions, data: MapData) -> str:
    return "　".join(p for p in (options.area_name, options.date_text(data.time_zone)) if p)


def build_map_layout(project: QgsProject, data: MapData, options: MapOptions, name: str | None = None) -> LayoutResult:
    """The overview sheet: title, map, legend, scale bar, north arrow, overview inset, credits, table.

    The page holds the map; with ``options.table`` the grid table follows on extra pages (as many as
    the rows need).
    """
    layout = _new_layout(project, name or options.layout_name, options)
    width, height = options.page_size_mm()
    s = options.scale()
    margin = 10 * s
    head = 20 * s
    foot = footer_height_mm(_credits_text(data, options, 10_000.0), width - 20 * s, s)
    landscape = options.orientation == "landscape"
    items: dict = {}
    items["title"] = _label(
        layout,
        options.title,
        22 * s,
        margin,
        margin,
        width - 2 * margin,
        11 * s,
        bold=True,
        align=Qt.AlignmentFlag.AlignHCenter,
    )
    items["subtitle"] = _label(
        layout,
        _subtitle(options, data),
        11 * s,
        margin,
        margin + 11.5 * s,
        width - 2 * margin,
        6 * s,
        align=Qt.AlignmentFlag.AlignHCenter,
    )
    top = margin + head
    body_h = height - top - margin - foot
    gap = 5 * s
    if landscape:
        panel_w = 0.26 * (width - 2 * margin)
        map_w = width - 2 * margin - panel_w - gap
        map_h = body_h
        panel_x, panel_y = margin + map_w + gap, top
        overview_w, overview_h = panel_w, panel_w * 0.75
        legend_rect = (panel_x, panel_y + overview_h + gap, panel_w, body_h - overview_h - gap)
        overview_rect = (panel_x, panel_y, overview_w, overview_h)
    else:
        map_w = width - 2 * margin
        map_h = body_h * 0.74
        panel_y = top + map_h + gap
        panel_h = body_h - map_h - gap
        overview_w = min(panel_h * 1.25, map_w * 0.4)
        legend_rect = (margin, panel_y, map_w - overview_w - gap, panel_h)
        overview_rect = (margin + map_w - overview_w, panel_y, overview_w, panel_h)

    layers = data.map_layers()
    map_item = _map_item(layout, layers, data.crs, margin, top, map_w, map_h, frame_mm=0.5 * s)
    map_item.setId("main_map")
    extent = data.full_extent()
    _zoom(map_item, extent)
    items["map"] = map_item
    items["n_small_grids"] = mark_small_grids(data, map_item)

    overview = _map_item(
        layout,
        [
            layer
            for layer in (data.area, data.overview_grids(), data.roads_unlabelled(), data.context)
            if layer is not None
        ],
        data.crs,
        *overview_rect,
    )
    overview.setId("overview_map")
    # The inset shows where the plan lies: the area in three times its extent, with what surrounds it.
    wide = QgsRectangle(extent)
    wide.scale(3.0)
    _fit_extent(overview, wide)
    overview.overview().setLinkedMap(map_item)
    _style_overview_frame(overview, "#d7191c", fill_alpha=0.0)
    items["overview"] = overview
    items["overview_caption"] = _label(
        layout, "位置示意", 8 * s, overview_rect[0] + 1.5 * s, overview_rect[1] + 1.2 * s, 30 * s, 5 * s, bold=True
    )

    legend_layers = [
        layer for layer in (data.grids, data.area, data.roads, data.water, data.heatmap) if layer is not None
    ]
    legend = _legend(layout, map_item, legend_layers, *legend_rect, s, columns=1 if landscape else 2)
    items["legend"] = legend

    items["north"] = _north_arrow(layout, map_item, margin + map_w - 16 * s, top + 3 * s, 13 * s)
    extent_width_m = map_item.extent().width() * QgsUnitTypes.fromUnitToUnitFactor(
        data.crs.mapUnits(), QgsUnitTypes.DistanceUnit.DistanceMeters
    )
    items["scalebar"] = _scale_bar(layout, map_item, margin + 3 * s, top + map_h - 14 * s, s, extent_width_m)
    _block_labels(map_item, items["north"], items["scalebar"])
    items["credits"] = _label(
        layout,
        _credits_text(data, options, map_item.scale()),
        7 * s,
        margin,
        height - margin - foot + 2 * s,
        width - 2 * margin,
        foot - 2 * s,
        color="#555555",
    )

    table = None
    if options.table:
        table = _grid_table(layout, data, options)
    return LayoutResult(layout=layout, map_item=map_item, legend=legend, table=table, items=items)


#: Width of each table column in millimetres on A4 (scaled with the page); 四至 takes the rest.
TABLE_COLUMN_MM = {
    "gp_code": 30.0,
    "gp_type_label": 24.0,
    "gp_households": 13.0,
    "gp_worker": 16.0,
    "gp_phone": 25.0,
    "gp_hotline": 25.0,
}


def _table_columns(data: MapData) -> list[tuple[str, str]]:
    columns = [("gp_code", "网格编码")]
    frame = data.frame
    if "gp_type_label" in frame.columns:
        columns.append(("gp_type_label", "网格类型"))
    if "gp_households" in frame.columns:
        columns.append(("gp_households", "户数"))
    if "gp_worker" in frame.columns:
        columns.append(("gp_worker", "网格员"))
    if "gp_phone" in frame.columns:
        columns.append(("gp_phone", "联系电话"))
    if "gp_hotline" in frame.columns:
        columns.append(("gp_hotline", "监督电话"))
    columns.append(("gp_bounds_wrap", "四至"))
    return columns


def wrap_chinese(text: str, width_chars: int) -> str:
    """``text`` broken into lines of at most ``width_chars`` full-width characters, after a 、 or ， when possible.

    The layout table wraps only at spaces, which Chinese text has none of, so the 四至 column is
    broken here to the column's width.

    >>> print(wrap_chinese("东至龙岗大道，南至爱南路，西至网格1005，北至龙翔大道", 10))
    东至龙岗大道，
    南至爱南路，
    西至网格1005，
    北至龙翔大道
    """
    width_chars = max(int(width_chars), 4)

    def size(chunk: str) -> float:
        return sum(0.55 if ord(c) < 0x2E80 else 1.0 for c in chunk)

    lines, line = [], ""
    pieces = []
    piece = ""
    for char in str(text or ""):
        piece += char
        if char in "，、；":
            pieces.append(piece)
            piece = ""
    if piece:
        pieces.append(piece)
    for piece in pieces:
        if line and size(line + piece) > width_chars:
            lines.append(line)
            line = ""
        while size(piece) > width_chars:  # a piece longer than a line: cut it
            cut = 1
            while cut < len(piece) and size(piece[: cut + 1]) <= width_chars:
                cut += 1
            lines.append(piece[:cut])
            piece = piece[cut:]
        line += piece
    if line:
        lines.append(line)
    return "\n".join(lines)


def _wrap_bounds(data: MapData, width_mm: float, font_pt: float) -> None:
    """Fill ``gp_bounds_wrap`` with the 四至 broken to a column ``width_mm`` wide at ``font_pt``."""
    layer = data.grids
    index = layer.fields().lookupField("gp_bounds_wrap")
    if index < 0:
        return
    chars = width_mm / (font_pt * 25.4 / 72.0)
    changes = {
        feature.id(): {index: wrap_chinese(feature["gp_bounds"] or "—", int(chars))} for feature in layer.getFeatures()
    }
    layer.dataProvider().changeAttributeValues(changes)


def _grid_table(layout, data: MapData, options: MapOptions) -> QgsLayoutItemAttributeTable:
    width, height = options.page_size_mm()
    s = options.scale()
    margin = 10 * s
    page = QgsLayoutItemPage(layout)
    page.setPageSize(layout.pageCollection().page(0).pageSize())
    layout.pageCollection().addPage(page)
    page_index = layout.pageCollection().pageCount() - 1
    _label(
        layout,
        f"{options.title}　网格一览表",
        16 * s,
        margin,
        margin,
        width - 2 * margin,
        9 * s,
        bold=True,
        align=Qt.AlignmentFlag.AlignHCenter,
        page=page_index,
    )
    table = QgsLayoutItemAttributeTable.create(layout)
    # Order matters in QGIS 3.22: formats and frame first, then the layer, then the columns
    # (changing the header format after replacing the columns corrupts the heap).
    table.setHeaderTextFormat(styling.text_format(9 * s, bold=True))
    table.setContentTextFormat(styling.text_format(8 * s))
    table.setHeaderHAlignment(QgsLayoutItemAttributeTable.HeaderHAlignment.FollowColumn)
    table.setWrapBehavior(QgsLayoutItemAttributeTable.WrapBehavior.WrapText)
    table.setGridStrokeWidth(0.2 * s)
    table.setCellMargin(1.2 * s)
    table.setResizeMode(QgsLayoutMultiFrame.ResizeMode.ExtendToNextPage)
    layout.addMultiFrame(table)
    frame = QgsLayoutFrame(layout, table)
    top = margin + 12 * s
    frame.attemptMove(QgsLayoutPoint(margin, top, QgsUnitTypes.LayoutUnit.LayoutMillimeters), page=page_index)
    frame.attemptResize(
        QgsLayoutSize(width - 2 * margin, height - top - margin, QgsUnitTypes.LayoutUnit.LayoutMillimeters)
    )
    table.addFrame(frame)
    table.setMaximumNumberOfFeatures(1_000_000)
    table.setVectorLayer(data.grids)
    columns = []
    margin_mm = 1.2 * s
    specs = _table_columns(data)
    fixed = sum(TABLE_COLUMN_MM.get(attribute, 0.0) * s for attribute, _ in specs) + 2 * margin_mm * len(specs)
    bounds_mm = max(width - 2 * margin - fixed, 40.0 * s)
    _wrap_bounds(data, bounds_mm, 8 * s)
    for attribute, heading in specs:
        column = QgsLayoutTableColumn()
        column.setAttribute(attribute)
        column.setHeading(heading)
        column.setWidth(TABLE_COLUMN_MM.get(attribute, bounds_mm / s) * s)
        columns.append(column)
    table.setColumns(columns)
    table.refreshAttributes()
    return table


def build_atlas_layout(
    project: QgsProject, data: MapData, options: MapOptions, name: str | None = None
) -> LayoutResult:
    """One page per grid: a close-up with the neighbours greyed, its facts and its 四至."""
    layout = _new_layout(project, name or f"{options.layout_name}（分网格）", options)
    width, height = options.page_size_mm()
    s = options.scale()
    margin = 10 * s
    landscape = options.orientation == "landscape"
    items: dict = {}
    items["title"] = _label(
        layout,
        '网格 [% "gp_code" %]' + ('　[% "gp_type_label" %]' if "gp_type_label" in data.frame.columns else ""),
        20 * s,
        margin,
        margin,
        width - 2 * margin,
        10 * s,
        bold=True,
        align=Qt.AlignmentFlag.AlignHCenter,
    )
    items["subtitle"] = _label(
        layout,
        "　".join(p for p in (options.area_name, options.title, options.date_text(data.time_zone)) if p),
        10 * s,
        margin,
        margin + 10.5 * s,
        width - 2 * margin,
        6 * s,
        align=Qt.AlignmentFlag.AlignHCenter,
    )
    top = margin + 19 * s
    # the atlas credits: data source, page number, maker (about 50 characters), and the disclaimer
    foot = footer_height_mm((options.disclaimer + "\n" if options.disclaimer else "") + "　" * 50, width - 20 * s, s)
    body_h = height - top - margin - foot
    gap = 5 * s
    if landscape:
        panel_w = 0.3 * (width - 2 * margin)
        map_rect = (margin, top, width - 2 * margin - panel_w - gap, body_h)
        panel_x, panel_y = margin + map_rect[2] + gap, top
        info_rect = (panel_x, panel_y, panel_w, body_h * 0.55)
        overview_rect = (panel_x, panel_y + body_h * 0.55 + gap, panel_w, body_h * 0.45 - gap)
    else:
        map_rect = (margin, top, width - 2 * margin, body_h * 0.66)
        panel_y = top + map_rect[3] + gap
        panel_h = body_h - map_rect[3] - gap
        overview_w = min(panel_h * 1.2, map_rect[2] * 0.38)
        info_rect = (margin, panel_y, map_rect[2] - overview_w - gap, panel_h)
        overview_rect = (margin + map_rect[2] - overview_w, panel_y, overview_w, panel_h)

    map_item = _map_item(layout, data.map_layers(atlas=True), data.crs, *map_rect, frame_mm=0.5 * s)
    map_item.setId("atlas_map")
    map_item.setAtlasDriven(True)
    map_item.setAtlasScalingMode(QgsLayoutItemMap.AtlasScalingMode.Auto)
    map_item.setAtlasMargin(0.35)
    _zoom(map_item, data.full_extent())
    items["map"] = map_item

    lines = ['网格编码：[% "gp_code" %]']
    frame = data.frame
    if "gp_type_label" in frame.columns:
        lines.append('网格类型：[% "gp_type_label" %]')
    if "gp_households" in frame.columns:
        lines.append("户　　数：[% coalesce(\"gp_households\", '—') %]")
    if "gp_worker" in frame.columns:
        lines.append("网 格 员：[% coalesce(nullif(\"gp_worker\", ''), '—') %]")
    if "gp_phone" in frame.columns:
        lines.append("联系电话：[% coalesce(nullif(\"gp_phone\", ''), '—') %]")
    if "gp_hotline" in frame.columns:
        lines.append("监督电话：[% coalesce(nullif(\"gp_hotline\", ''), '—') %]")
    lines.append("四　　至：[% coalesce(nullif(\"gp_bounds\", ''), '—') %]")
    items["info"] = _label(layout, "\n".join(lines), 11 * s, *info_rect)
    items["info"].setFrameEnabled(True)
    items["info"].setMarginX(3 * s)
    items["info"].setMarginY(3 * s)

    overview = _map_item(
        layout, [layer for layer in (data.area, data.overview_grids()) if layer is not None], data.crs, *overview_rect
    )
    overview.setId("atlas_overview")
    _fit_extent(overview, _grown(data.full_extent(), 0.05))
    overview.overview().setLinkedMap(map_item)
    _style_overview_frame(overview, "#d7191c", fill_alpha=0.25)
    items["overview"] = overview
    items["overview_caption"] = _label(
        layout,
        "在辖区中的位置",
        8 * s,
        overview_rect[0] + 1.5 * s,
        overview_rect[1] + 1.2 * s,
        40 * s,
        5 * s,
        bold=True,
    )
    items["north"] = _north_arrow(layout, map_item, map_rect[0] + map_rect[2] - 16 * s, top + 3 * s, 13 * s)
    items["scalebar"] = _scale_bar(layout, map_item, map_rect[0] + 3 * s, top + map_rect[3] - 14 * s, s, 1000)
    _block_labels(map_item, items["north"], items["scalebar"])
    credits = [f"数据来源：{options.credits}"] if options.credits else []
    credits.append("第 [% @atlas_featurenumber %] / [% @atlas_totalfeatures %] 页")
    if options.review_number:
        credits.insert(0, f"审图号：{options.review_number}")
    credits.append(MAKER)
    items["credits"] = _label(
        layout,
        "　　".join(credits) + (f"\n{options.disclaimer}" if options.disclaimer else ""),
        7 * s,
        margin,
        height - margin - foot + 2 * s,
        width - 2 * margin,
        foot - 2 * s,
        color="#555555",
    )

    atlas = layout.atlas()
    atlas.setCoverageLayer(data.atlas_grids)
    atlas.setEnabled(True)
    atlas.setPageNameExpression('"gp_code"')
    atlas.setSortFeatures(True)
    atlas.setSortExpression('"gp_code"')
    atlas.setFilenameExpression("'grid_' || \"gp_code\"")
    return LayoutResult(layout=layout, map_item=map_item, items=items)
