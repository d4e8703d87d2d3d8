"""The map's data: options, the inputs read and checked into styled memory layers in one metric CRS."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeatureRequest,
    QgsLayoutItemAttributeTable,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsPrintLayout,
    QgsProject,
    QgsRasterLayer,
    QgsRectangle,
    QgsVectorLayer,
)

from ... import qgis_io
from ...core.crs import auto_metric_crs
from ...core.errors import N_, InputError, Report
from ...core.paths import STYLES_DIR
from ...core.publish.boundary_description import describe_boundaries, outer_edge, short_codes
from .. import styling

#: Portrait width × height in millimetres.
PAPER_SIZES_MM = {"A4": (210.0, 297.0), "A3": (297.0, 420.0), "A1": (594.0, 841.0)}

#: Fields looked up when a field parameter is left empty (first match wins).
FIELD_GUESSES = {
    "code": ("grid_code", "code", "grid_id", "网格编码", "编码"),
    "type": ("grid_type", "type", "网格类型"),
    "households": ("households", "load", "户数"),
    "worker": ("worker", "worker_name", "grid_worker", "网格员"),
    "phone": ("phone", "worker_phone", "tel", "telephone", "联系电话", "电话"),
    "hotline": ("supervision_phone", "hotline", "supervisor_phone", "监督电话"),
}

#: Column names of the grid copy the layouts read (Chinese aliases for the attribute table).
COLUMNS = {
    "gp_code": "网格编码",
    "gp_label": "图上编号",
    "gp_type": "网格类型代码",
    "gp_type_label": "网格类型",
    "gp_style": "分类字段",
    "gp_households": "户数",
    "gp_worker": "网格员",
    "gp_phone": "联系电话",
    "gp_hotline": "监督电话",
    "gp_small": "小网格（引线标注）",
    "gp_bounds": "四至",
    "gp_bounds_en": "Boundary",
    "gp_bounds_wrap": "四至（分行）",
}


@dataclass
class MapOptions:
    """What the sheet says and how it is laid out.

    Field names are ``None`` to guess them (``grid_code``, ``grid_type``, ``households``, ``worker``,
    ``phone``); a name that is given but missing is an error.
    """

    title: str = "网格划分图"
    area_name: str = ""
    area_is_extent: bool | None = None
    date: str = ""
    paper: str = "A3"
    orientation: str = "landscape"
    dpi: int = 200
    credits: str = "© OpenStreetMap contributors"
    code_field: str | None = None
    type_field: str | None = None
    style_field: str | None = None
    households_field: str | None = None
    worker_field: str | None = None
    phone_field: str | None = None
    hotline_field: str | None = None
    #: 审图号 (map review number) and a disclaimer, printed in the footer when given.
    review_number: str = ""
    disclaimer: str = ""
    barrier_name_field: str = "name"
    table: bool = True
    layout_name: str = "网格公示图"
    road_labels: bool = True
    short_labels: bool = True

    def page_size_mm(self) -> tuple[float, float]:
        """(width, height) of the page in millimetres."""
        if self.paper not in PAPER_SIZES_MM:
            raise InputError(N_("Unknown paper size {paper}; choose A4, A3 or A1."), paper=self.paper)
        width, height = PAPER_SIZES_MM[self.paper]
        return (height, width) if self.orientation == "landscape" else (width, height)

    def scale(self) -> float:
        """Size factor of fonts and margins relative to A4."""
        return min(self.page_size_mm()) / 210.0

    def date_text(self, time_zone=None) -> str:
        """The date as printed (``2026年11月29日`` by default: today, in ``time_zone`` — the area's own)."""
        if self.date:
            return self.date
        today = _dt.datetime.now(time_zone).date() if time_zone is not None else _dt.date.today()
        return f"{today.year}年{today.month}月{today.day}日"


@dataclass
class MapData:
    """The inputs copied into memory layers in the map CRS, styled and named for the legend."""

    crs: QgsCoordinateReferenceSystem
    grids: QgsVectorLayer
    atlas_grids: QgsVectorLayer
    frame: gpd.GeoDataFrame
    area: QgsVectorLayer | None = None
    roads: QgsVectorLayer | None = None
    water: QgsVectorLayer | None = None
    heatmap: QgsRasterLayer | None = None
    #: Surroundings for the inset (neighbouring subdistricts, the district): grey, with their names.
    context: QgsVectorLayer | None = None
    fields: dict = field(default_factory=dict)
    style_kind: str = "single"
    colors: dict = field(default_factory=dict)
    fill_alpha: float = 0.65
    used_osm: bool = False
    label_prefix: str = ""
    label_pt: float = 9.0
    #: The area's time zone (Beijing time in China), for today's date on the sheet.
    time_zone: object = None
    _unlabelled: dict = field(default_factory=dict)

    def map_layers(self, atlas: bool = False) -> list:
        """Layers of the main map, top first."""
        grids = self.atlas_grids if atlas else self.grids
        layers = [self.area, grids, self.roads, self.water, self.heatmap]
        return [layer for layer in layers if layer is not None]

    def full_extent(self) -> QgsRectangle:
        """Extent of the grids and the area, in the map CRS."""
        extent = QgsRectangle(self.grids.extent())
        if self.area is not None and not self.area.extent().isEmpty():
            extent.combineExtentWith(self.area.extent())
        return extent

    def all_layers(self) -> list:
        """Every layer the layouts use (to keep them alive or add them to a project)."""
        layers = [self.area, self.grids, self.atlas_grids, self.roads, self.water, self.heatmap, self.context]
        layers += list(self._unlabelled.values())
        return [layer for layer in layers if layer is not None]

    def _copy_without_labels(self, key: str, layer, name: str):
        if layer is None:
            return None
        if key not in self._unlabelled:
            copy = layer.materialize(QgsFeatureRequest())
            copy.setName(name)
            copy.setRenderer(layer.renderer().clone())
            copy.setOpacity(layer.opacity())
            copy.setLabelsEnabled(False)
            self._unlabelled[key] = copy
        return self._unlabelled[key]

    def overview_grids(self):
        """The grids as on the main map, without code labels (for the small overview inset)."""
        return self._copy_without_labels("grids", self.grids, "网格（位置示意）")

    def roads_unlabelled(self):
        """The roads without names (for the overview inset)."""
        return self._copy_without_labels("roads", self.roads, "道路（位置示意）")


@dataclass
class LayoutResult:
    """A built layout and the items tests and callers look at."""

    layout: QgsPrintLayout
    map_item: QgsLayoutItemMap
    legend: QgsLayoutItemLegend | None = None
    table: QgsLayoutItemAttributeTable | None = None
    items: dict = field(default_factory=dict)


def _resolve_field(columns, given: str | None, role: str, layer_name: str, required: bool = False) -> str | None:
    if given:
        if given not in columns:
            raise InputError(
                N_("The field {field} does not exist in the layer {layer}; available fields: {available}."),
                field=given,
                layer=layer_name,
                available=", ".join(c for c in columns if c not in ("fid", "geometry")) or "—",
            )
        return given
    for guess in FIELD_GUESSES.get(role, ()):
        if guess in columns:
            return guess
    if required:
        raise InputError(
            N_("The layer {layer} has no field for {role}; name the field in the parameters."),
            layer=layer_name,
            role=role,
        )
    return None


def _layer_from(value, name: str):
    """A layer from a QgsMapLayer, a processing source, or a file path (``path|layername=x``)."""
    if value is None or value == "":
        return None
    if isinstance(value, (str, Path)):
        text = str(value)
        suffix = text.split("|")[0].lower()
        if suffix.endswith((".tif", ".tiff", ".asc", ".vrt", ".img")):
            layer = QgsRasterLayer(text, name)
        else:
            layer = QgsVectorLayer(text, name, "ogr")
        if not layer.isValid():
            raise InputError(N_("Could not open {path}; check the path and the layer name."), path=text)
        return layer
    return value


def _read(source, name: str, map_crs: QgsCoordinateReferenceSystem | None, columns=None) -> gpd.GeoDataFrame:
    """A source as a GeoDataFrame in ``map_crs`` (only ``columns`` that exist are read)."""
    names = None
    if columns is not None:
        present = {f.name() for f in source.fields()}
        names = [c for c in columns if c in present]
    frame = qgis_io.source_to_gdf(source, field_names=names)
    frame = frame[~frame.geometry.isna() & ~frame.geometry.is_empty]
    if map_crs is not None and frame.crs is not None:
        target = qgis_io.qgis_crs_to_pyproj(map_crs)
        if frame.crs != target:
            frame = _to_crs(frame, source.sourceCrs(), map_crs)
    return frame


def _to_crs(frame: gpd.GeoDataFrame, source_crs, target_crs) -> gpd.GeoDataFrame:
    """Reproject with QGIS's own transform (the same one the map items use)."""
    transform = QgsCoordinateTransform(source_crs, target_crs, QgsProject.instance())
    from qgis.core import QgsGeometry

    geoms = []
    for geom in frame.geometry.values:
        qgeom = QgsGeometry()
        qgeom.fromWkb(shapely.to_wkb(geom, output_dimension=2))
        qgeom.transform(transform)
        geoms.append(bytes(qgeom.asWkb()))
    out = frame.copy()
    out = gpd.GeoDataFrame(
        out.drop(columns=frame.geometry.name),
        geometry=gpd.GeoSeries(shapely.from_wkb(np.array(geoms, dtype=object)), index=frame.index),
        crs=qgis_io.qgis_crs_to_pyproj(target_crs),
    )
    return out


def _promote_to_multi(geoms: np.ndarray, dimension: int) -> np.ndarray:
    """Polygons as MultiPolygons, lines as MultiLineStrings (memory layers hold one geometry type)."""
    out = []
    for geom in geoms:
        if dimension == 2 and geom.geom_type == "Polygon":
            geom = shapely.MultiPolygon([geom])
        elif dimension == 2 and geom.geom_type == "GeometryCollection":
            geom = shapely.MultiPolygon([g for g in shapely.get_parts(geom) if g.geom_type == "Polygon"])
        elif dimension == 1 and geom.geom_type == "LineString":
            geom = shapely.MultiLineString([geom])
        elif dimension == 0 and geom.geom_type == "Point":
            geom = shapely.MultiPoint([geom])
        out.append(geom)
    return np.array(out, dtype=object)


def memory_layer(frame: gpd.GeoDataFrame, name: str, crs: QgsCoordinateReferenceSystem, aliases=None):
    """A memory layer holding ``frame`` (its columns as fields, ``fid`` dropped).

    Mixed inputs keep their highest dimension: polygons of a polygon/line mix, and so on.
    """
    geoms = np.asarray(frame.geometry.values, dtype=object)
    dims = shapely.get_dimensions(geoms) if len(geoms) else np.array([2])
    dimension = int(dims.max())
    keep = dims == dimension
    frame = frame[keep]
    geoms = _promote_to_multi(geoms[keep], dimension)
    frame = gpd.GeoDataFrame(frame.drop(columns=frame.geometry.name), geometry=list(geoms), crs=frame.crs)
    geometry_type = {2: "MultiPolygon", 1: "MultiLineString", 0: "MultiPoint"}[dimension]
    uri = f"{geometry_type}?crs={crs.authid()}" if crs.authid() else geometry_type
    layer = QgsVectorLayer(uri, name, "memory")
    if not crs.authid():
        layer.setCrs(crs)
    fields = qgis_io.fields_for_frame(frame, aliases=aliases)
    provider = layer.dataProvider()
    provider.addAttributes(fields.toList())
    layer.updateFields()
    _write_features(frame, provider, layer.fields())
    layer.updateExtents()
    return layer


def _write_features(frame: gpd.GeoDataFrame, provider, fields) -> None:
    """Add ``frame``'s rows to a memory provider (2D WKB: safe with the older GEOS qgis_process loads)."""
    from qgis.core import QgsFeature, QgsGeometry

    names = [fields.at(i).name() for i in range(fields.count())]
    wkbs = shapely.to_wkb(np.asarray(frame.geometry.values, dtype=object), output_dimension=2)
    columns = [frame[name].to_numpy(dtype=object) for name in names]
    features = []
    for row in range(len(frame)):
        feature = QgsFeature(fields)
        geometry = QgsGeometry()
        geometry.fromWkb(wkbs[row])
        feature.setGeometry(geometry)
        feature.setAttributes([qgis_io._sink_value(column[row]) for column in columns])
        features.append(feature)
    provider.addFeatures(features)


def _check_field_numeric(frame: pd.DataFrame, column: str, layer_name: str) -> pd.Series:
    values = pd.to_numeric(frame[column], errors="coerce")
    bad = int(values.isna().sum() - frame[column].isna().sum())
    if bad > 0:
        raise InputError(
            N_("The field {field} of {layer} holds {n} values that are not numbers; choose a numeric field."),
            field=column,
            layer=layer_name,
            n=bad,
        )
    return values


def short_labels(codes: list[str], min_length: int = 9, keep: int = 4) -> tuple[list[str], str]:
    """Map labels for long hierarchical codes: the part after the prefix all codes share.

    Full codes such as ``440307001001004`` crowd a subdistrict map; when every code is at least
    ``min_length`` characters and they share a prefix, the map shows the rest (at least ``keep``
    characters, e.g. ``1004``) and the sheet names the prefix. Short codes are kept as they are.

    >>> short_labels(["440307001001004", "440307001001012", "440307001002001"])
    (['1004', '1012', '2001'], '44030700100')
    >>> short_labels(["KT001", "KT002"])
    (['KT001', 'KT002'], '')
    """
    codes = ["" if c is None else str(c) for c in codes]
    labels = short_codes(codes, min_length, keep)
    if labels == codes:
        return codes, ""
    return labels, codes[0][: len(codes[0]) - len(labels[0])]


def _grid_columns(frame: gpd.GeoDataFrame, fields: dict, grid_name: str, report: Report) -> gpd.GeoDataFrame:
    """The grid copy the layouts read: code, type, style, households, worker and phone columns (``gp_*``)."""
    out = gpd.GeoDataFrame({"fid": frame["fid"].to_numpy()}, geometry=frame.geometry.values, crs=frame.crs)
    out.index = frame.index
    if fields["code"]:
        out["gp_code"] = [("" if v is None else str(v)) for v in frame[fields["code"]]]
    else:
        out["gp_code"] = [str(i + 1) for i in range(len(frame))]
        report.warn(N_("The grid layer has no code field; the map numbers the grids 1 to {n}."), n=len(frame))
    if fields["type"]:
        out["gp_type"] = [("" if v is None else str(v)) for v in frame[fields["type"]]]
        out["gp_type_label"] = [styling.type_label(v) for v in out["gp_type"]]
    if fields["style"]:
        out["gp_style"] = frame[fields["style"]].to_numpy()
    if fields["households"]:
        households = _check_field_numeric(frame, fields["households"], grid_name)
        # Plain Python ints and None: QGIS fields cannot take pandas' NA.
        out["gp_households"] = pd.Series(
            [None if pd.isna(v) else int(round(v)) for v in households], index=frame.index, dtype=object
        )
    if fields["worker"]:
        out["gp_worker"] = [("" if v is None else str(v)) for v in frame[fields["worker"]]]
    if fields["phone"]:
        out["gp_phone"] = [("" if v is None else str(v)) for v in frame[fields["phone"]]]
    if fields.get("hotline"):
        out["gp_hotline"] = [("" if v is None else str(v)) for v in frame[fields["hotline"]]]
    out["gp_small"] = 0  # set once the map's scale is known (sheets.mark_small_grids)
    return out


def _read_context(
    options: MapOptions, map_crs, *, area=None, roads=None, water=None, barriers=None, context=None
) -> tuple[dict, bool]:
    """The orientation layers (area, roads, water, barriers, context) in the map CRS; and whether any is OSM data."""
    # Layers for orientation, read into the map CRS.
    used_osm = False
    extras = {}
    for key, layer, cols in (
        ("area", area, ["name", "admin_level"]),
        ("roads", roads, ["name", "highway", options.barrier_name_field]),
        ("water", water, ["name", "waterway", "water_class", options.barrier_name_field]),
        ("barriers", barriers, [options.barrier_name_field]),
        ("context", context, ["name"]),
    ):
        if layer is None:
            continue
        extra = _read(layer, key, map_crs, list(dict.fromkeys(cols)))
        if key == "barriers" and options.barrier_name_field not in extra.columns:
            raise InputError(
                N_("The field {field} does not exist in the layer {layer}; available fields: {available}."),
                field=options.barrier_name_field,
                layer=layer.sourceName() if hasattr(layer, "sourceName") else "barriers",
                available=", ".join(f.name() for f in layer.fields()),
            )
        extras[key] = extra
        used_osm = used_osm or "osm_id" in {f.name() for f in layer.fields()}

    return extras, used_osm


def area_legend_name(options: MapOptions, area: gpd.GeoDataFrame | None) -> tuple[str, bool]:
    """What the area layer is called on the map, and whether it is a real boundary (not just the data extent).

    One rule for the legend and every 四至: :func:`~...core.publish.boundary_description.outer_edge` (the
    layer's ``name`` → ``学院路街道边界``, else the sheet's area name; 数据范围 for an area layer with
    neither a name nor an ``admin_level``; ``options.area_is_extent`` overrides the guess).
    """
    edge = outer_edge(area, options.area_name, options.area_is_extent)
    return edge.legend_name or "辖区边界", edge.is_boundary


def _add_boundary_descriptions(
    out: gpd.GeoDataFrame, extras: dict, name_field: str, area_label: str | None = None
) -> None:
    """Add the 四至 (``gp_bounds``, ``gp_bounds_en``) from the barrier layer, else the roads and water.

    Sides on the outer edge take ``area_label`` (the boundary's name) when the area is a real boundary.
    """
    barrier_parts = []
    for key in ("barriers",) if "barriers" in extras else ("roads", "water"):
        part = extras.get(key)
        if part is not None and name_field in part.columns:
            part = part[[name_field, part.geometry.name]]
            if part.geometry.name != "geometry":
                part = part.rename_geometry("geometry")
            barrier_parts.append(part)
    barrier_frame = (
        gpd.GeoDataFrame(pd.concat(barrier_parts, ignore_index=True), geometry="geometry", crs=out.crs)
        if barrier_parts
        else None
    )
    plain = out.copy()
    plain.index = range(len(plain))
    for column, lang in (("gp_bounds", "zh"), ("gp_bounds_en", "en")):
        out[column] = describe_boundaries(
            plain, barrier_frame, name_field=name_field, code_field="gp_code", area_label=area_label, lang=lang
        ).to_numpy()
    out["gp_bounds_wrap"] = out["gp_bounds"]  # broken into lines to the table's column width (sheets)


def _context_layers(data: MapData, extras: dict, heatmap, options: MapOptions, map_crs) -> None:
    """Styled memory layers of the area, roads, water and heatmap for the map."""
    if "area" in extras and len(extras["area"]):
        data.area = memory_layer(extras["area"], area_legend_name(options, extras["area"])[0], map_crs)
        data.area.setRenderer(styling.area_renderer())
    if "roads" in extras and len(extras["roads"]):
        data.roads = memory_layer(extras["roads"], "道路", map_crs)
        data.roads.setRenderer(styling.road_renderer(data.roads))
        if options.road_labels and "name" in extras["roads"].columns:
            data.roads.setLabeling(styling.road_labeling("name", 6.5 * options.scale()))
            data.roads.setLabelsEnabled(True)
    if "water" in extras and len(extras["water"]):
        data.water = memory_layer(extras["water"], "水系", map_crs)
        data.water.setRenderer(styling.water_renderer(data.water))
    if "context" in extras and len(extras["context"]):
        data.context = memory_layer(extras["context"], "周边区域", map_crs)
        data.context.setRenderer(styling.context_renderer())
        if "name" in extras["context"].columns:
            data.context.setLabeling(styling.context_labeling("name", 6.5 * options.scale()))
            data.context.setLabelsEnabled(True)
    if heatmap is not None:
        if not heatmap.isValid():
            raise InputError(N_("The heatmap raster could not be read; choose a readable raster."))
        data.heatmap = heatmap.clone()
        data.heatmap.setName("事件热力")
        styling.heatmap_renderer(data.heatmap)


def _area_time_zone(frame: gpd.GeoDataFrame):
    """The time zone of the area the grids cover (:func:`core.crs.local_time_zone`); None when unknown."""
    try:
        from ...core.crs import local_time_zone, lonlat_centroid

        return local_time_zone(*lonlat_centroid(frame))[0]
    except Exception:  # noqa: BLE001 - the date falls back to the machine's own
        return None


def prepare_map_data(
    grids,
    options: MapOptions,
    *,
    area=None,
    roads=None,
    water=None,
    barriers=None,
    heatmap=None,
    context=None,
    report: Report | None = None,
) -> MapData:
    """Read, check and copy the inputs into styled memory layers in one metric CRS.

    ``grids``, ``area``, ``roads``, ``water``, ``barriers``, ``context`` (surroundings for the inset) are
    vector layers or feature sources (or file paths); ``heatmap`` a raster layer or path. Raises :class:`InputError` for a missing
    field, an empty grid layer or an unreadable input.
    """
    report = report or Report()
    grids = _layer_from(grids, "grids")
    area, roads, water, barriers = (
        _layer_from(area, "area"),
        _layer_from(roads, "roads"),
        _layer_from(water, "water"),
        _layer_from(barriers, "barriers"),
    )
    heatmap = _layer_from(heatmap, "heatmap")
    context = _layer_from(context, "context")
    if grids is None:
        raise InputError(N_("Choose a grid layer to map."))
    grid_name = grids.sourceName() if hasattr(grids, "sourceName") else "grids"
    columns = [f.name() for f in grids.fields()]
    fields = {
        "code": _resolve_field(columns, options.code_field, "code", grid_name),
        "type": _resolve_field(columns, options.type_field, "type", grid_name),
        "style": _resolve_field(columns, options.style_field, "style", grid_name),
        "households": _resolve_field(columns, options.households_field, "households", grid_name),
        "worker": _resolve_field(columns, options.worker_field, "worker", grid_name),
        "phone": _resolve_field(columns, options.phone_field, "phone", grid_name),
        "hotline": _resolve_field(columns, options.hotline_field, "hotline", grid_name),
    }
    if grids.featureCount() == 0:
        raise InputError(
            N_("The grid layer {layer} has no features; choose a layer with grid polygons."), layer=grid_name
        )
    report.check_cancelled()
    frame = _read(grids, grid_name, None, list(dict.fromkeys(f for f in fields.values() if f)))
    if frame.empty:
        raise InputError(N_("The grid layer {layer} has no features with a geometry."), layer=grid_name)
    kinds = set(shapely.get_dimensions(frame.geometry.values).tolist())
    if kinds != {2}:
        raise InputError(N_("The grid layer {layer} must hold polygons."), layer=grid_name)
    source_crs = grids.sourceCrs() if hasattr(grids, "sourceCrs") else grids.crs()
    if not source_crs.isValid():
        raise InputError(N_("The grid layer {layer} has no CRS; set its CRS first."), layer=grid_name)
    if source_crs.isGeographic():
        lonlat = frame.geometry.union_all().centroid
        map_crs = QgsCoordinateReferenceSystem(f"EPSG:{auto_metric_crs(lonlat.x, lonlat.y).to_epsg()}")
        report.info(N_("The grids are in geographic coordinates; the map uses {crs}."), crs=map_crs.authid())
    else:
        map_crs = source_crs
    frame = _read(grids, grid_name, map_crs, list(dict.fromkeys(f for f in fields.values() if f)))
    invalid = ~shapely.is_valid(frame.geometry.values)
    if invalid.any():
        frame.geometry.values[invalid] = shapely.make_valid(frame.geometry.values[invalid])
        report.warn(N_("Repaired {n} invalid grid polygons for the map."), n=int(invalid.sum()))

    out = _grid_columns(frame, fields, grid_name, report)
    report.progress(15)

    extras, used_osm = _read_context(
        options, map_crs, area=area, roads=roads, water=water, barriers=barriers, context=context
    )
    used_osm = used_osm or "osm_id" in columns
    report.check_cancelled()
    area_label = outer_edge(extras.get("area"), options.area_name, options.area_is_extent).side_label
    _add_boundary_descriptions(out, extras, options.barrier_name_field, area_label)
    report.progress(35)

    # Sort by code so the table and the atlas run in code order.
    out = out.iloc[np.argsort(out["gp_code"].to_numpy(dtype=str), kind="stable")]
    labels, prefix = short_labels(out["gp_code"].tolist()) if options.short_labels else (out["gp_code"].tolist(), "")
    out["gp_label"] = labels
    aliases = {k: v for k, v in COLUMNS.items() if k in out.columns}
    data_frame = out.drop(columns=["fid"])
    grid_layer = memory_layer(data_frame, "网格", map_crs, aliases)
    atlas_layer = memory_layer(data_frame, "网格（分网格图）", map_crs, aliases)
    data = MapData(crs=map_crs, grids=grid_layer, atlas_grids=atlas_layer, frame=out, fields=fields)
    data.label_prefix = prefix
    data.used_osm = used_osm
    data.time_zone = _area_time_zone(out)
    data.fill_alpha = 0.45 if heatmap is not None else 0.7

    _context_layers(data, extras, heatmap, options, map_crs)
    _style_grids(data, options)
    report.progress(45)
    return data


def _style_grids(data: MapData, options: MapOptions) -> None:
    """Grids by the chosen field, else by type, else one style; codes labelled; atlas variant."""
    scale = options.scale()
    frame = data.frame
    layer = data.grids
    alpha = data.fill_alpha
    fill_expression = f"'{styling.SINGLE_FILL}'"
    if "gp_style" in frame.columns:
        values = frame["gp_style"]
        numeric = pd.api.types.is_numeric_dtype(values) and values.nunique() > 12
        if numeric:
            layer.setRenderer(styling.graduated_renderer("gp_style", layer, alpha))
            data.style_kind = "graduated"
            layer.setName(COLUMNS["gp_style"] + f"（{data.fields['style']}）")
            fill_expression = "'#fdae61'"
        else:
            is_type = data.fields["style"] == data.fields["type"] or all(
                styling.type_color(v) is not None for v in values.dropna()
            )
            renderer, data.colors = styling.categorized_renderer("gp_style", values.tolist(), is_type, alpha)
            layer.setRenderer(renderer)
            data.style_kind = "categorized"
            layer.setName("网格类型" if is_type else f"{data.fields['style']}")
            fill_expression = _case_expression("gp_style", data.colors)
    elif "gp_type" in frame.columns:
        shared = styling.grid_types_renderer(STYLES_DIR / "grid_types.qml", "gp_type", frame["gp_type"].tolist(), alpha)
        if shared is None:
            shared = styling.categorized_renderer("gp_type", frame["gp_type"].tolist(), True, alpha)
        renderer, data.colors = shared
        layer.setRenderer(renderer)
        data.style_kind = "categorized"
        layer.setName("网格类型")
        fill_expression = _case_expression("gp_type", data.colors)
    else:
        layer.setRenderer(styling.single_renderer(alpha))
        data.style_kind = "single"
        layer.setName("网格")
    label_pt = 9.0 * scale if len(frame) <= 60 else 7.0 * scale
    data.label_pt = label_pt
    layer.setLabeling(styling.grid_labeling_with_leaders("gp_label", label_pt, "gp_small"))
    layer.setLabelsEnabled(True)
    data.atlas_grids.setRenderer(styling.atlas_renderer(fill_expression))
    data.atlas_grids.setLabeling(styling.grid_labeling("gp_label", 11.0 * scale))
    data.atlas_grids.setLabelsEnabled(True)


def _case_expression(column: str, colors: dict) -> str:
    def quote(value) -> str:
        return "'" + str(value).replace("'", "''") + "'"

    # QGIS expressions only know the searched CASE (CASE WHEN cond THEN …), not CASE expr WHEN value.
    whens = " ".join(f'WHEN "{column}" = {quote(value)} THEN {quote(color)}' for value, color in colors.items())
    return f"CASE {whens} ELSE {quote(styling.SINGLE_FILL)} END"
