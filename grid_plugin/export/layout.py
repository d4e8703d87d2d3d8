"""Print layouts for public display (公示) of a grid plan: the overview sheet and the per-grid atlas.

The builder works without a desktop (qgis_process, ``processing.run``, plain PyQGIS): it copies the
inputs into styled memory layers in one metric CRS, builds ``QgsPrintLayout`` objects in code and
exports them with ``QgsLayoutExporter``. Nothing here modifies an input layer.

Entry points
------------
- :func:`prepare_map_data` reads and checks the inputs and returns :class:`MapData`.
- :func:`build_map_layout` / :func:`build_atlas_layout` return the layouts (and what they hold).
- :func:`export_grid_map` does all of it from layers or file paths: the function the demo calls.
- :func:`build_template_layout` builds the empty, adjustable layout saved as ``styles/*.qpt``.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from qgis.core import (
    Qgis,
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeatureRequest,
    QgsLayoutExporter,
    QgsLayoutFrame,
    QgsLayoutItemAttributeTable,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemPage,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsLayoutMultiFrame,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsLayoutTableColumn,
    QgsLegendStyle,
    QgsPrintLayout,
    QgsProject,
    QgsRasterLayer,
    QgsReadWriteContext,
    QgsRectangle,
    QgsScaleBarSettings,
    QgsUnitTypes,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor
from qgis.PyQt.QtXml import QDomDocument

from .. import qgis_io
from ..core.errors import N_, InputError, Report
from ..core.publish.boundary_description import describe_boundaries
from . import styling

__all__ = [
    "PAPER_SIZES_MM",
    "MapOptions",
    "MapData",
    "LayoutResult",
    "prepare_map_data",
    "build_map_layout",
    "build_atlas_layout",
    "export_layout",
    "export_atlas",
    "export_grid_map",
    "export_plan_maps",
    "build_template_layout",
    "map_point_to_page_px",
]

STYLES_DIR = Path(__file__).resolve().parent.parent.parent / "styles"
#: Portrait width × height in millimetres.
PAPER_SIZES_MM = {"A4": (210.0, 297.0), "A3": (297.0, 420.0), "A1": (594.0, 841.0)}

#: Fields looked up when a field parameter is left empty (first match wins).
FIELD_GUESSES = {
    "code": ("grid_code", "code", "grid_id", "网格编码", "编码"),
    "type": ("grid_type", "type", "网格类型"),
    "households": ("households", "load", "户数"),
    "worker": ("worker", "worker_name", "grid_worker", "网格员"),
    "phone": ("phone", "worker_phone", "tel", "telephone", "联系电话", "电话"),
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
    "gp_bounds": "四至",
    "gp_bounds_en": "Boundary",
}


@dataclass
class MapOptions:
    """What the sheet says and how it is laid out.

    Field names are ``None`` to guess them (``grid_code``, ``grid_type``, ``households``, ``worker``,
    ``phone``); a name that is given but missing is an error.
    """

    title: str = "网格划分图"
    area_name: str = ""
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

    def date_text(self) -> str:
        """The date as printed (``2026年11月29日`` by default: today)."""
        if self.date:
            return self.date
        today = _dt.date.today()
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
    fields: dict = field(default_factory=dict)
    style_kind: str = "single"
    colors: dict = field(default_factory=dict)
    fill_alpha: float = 0.65
    used_osm: bool = False
    label_prefix: str = ""
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
        layers = [self.area, self.grids, self.atlas_grids, self.roads, self.water, self.heatmap]
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


# ---------------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------------


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


def metric_crs_for(lon: float, lat: float) -> QgsCoordinateReferenceSystem:
    """A metric CRS for a place: CGCS2000 3° Gauss–Krüger (EPSG:4534–4554) in China, else UTM."""
    if 73.5 <= lon <= 136.5 and 15.0 <= lat <= 54.0:
        central = int(round(lon / 3.0) * 3)
        central = min(max(central, 75), 135)
        return QgsCoordinateReferenceSystem(f"EPSG:{4534 + (central - 75) // 3}")
    zone = int((lon + 180.0) // 6.0) + 1
    return QgsCoordinateReferenceSystem(f"EPSG:{(32600 if lat >= 0 else 32700) + zone}")


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
    if not codes or min(len(c) for c in codes) < min_length:
        return codes, ""
    prefix = os.path.commonprefix(codes)
    cut = min(len(prefix), min(len(c) for c in codes) - keep)
    if cut <= 0:
        return codes, ""
    return [c[cut:] for c in codes], codes[0][:cut]


def prepare_map_data(
    grids,
    options: MapOptions,
    *,
    area=None,
    roads=None,
    water=None,
    barriers=None,
    heatmap=None,
    report: Report | None = None,
) -> MapData:
    """Read, check and copy the inputs into styled memory layers in one metric CRS.

    ``grids``, ``area``, ``roads``, ``water``, ``barriers`` are vector layers or feature sources
    (or file paths); ``heatmap`` a raster layer or path. Raises :class:`InputError` for a missing
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
        map_crs = metric_crs_for(lonlat.x, lonlat.y)
        report.info(N_("The grids are in geographic coordinates; the map uses {crs}."), crs=map_crs.authid())
    else:
        map_crs = source_crs
    frame = _read(grids, grid_name, map_crs, list(dict.fromkeys(f for f in fields.values() if f)))
    invalid = ~shapely.is_valid(frame.geometry.values)
    if invalid.any():
        frame.geometry.values[invalid] = shapely.make_valid(frame.geometry.values[invalid])
        report.warn(N_("Repaired {n} invalid grid polygons for the map."), n=int(invalid.sum()))

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
    report.progress(15)

    # Layers for orientation, read into the map CRS.
    used_osm = False
    extras = {}
    for key, layer, cols in (
        ("area", area, ["name"]),
        ("roads", roads, ["name", "highway", options.barrier_name_field]),
        ("water", water, ["name", "waterway", "water_class", options.barrier_name_field]),
        ("barriers", barriers, [options.barrier_name_field]),
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
    used_osm = used_osm or "osm_id" in columns
    report.check_cancelled()

    # Boundary descriptions (四至) from the barrier layer, else the roads and water.
    name_field = options.barrier_name_field
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
    out["gp_bounds"] = describe_boundaries(
        plain, barrier_frame, name_field=name_field, code_field="gp_code", lang="zh"
    ).to_numpy()
    out["gp_bounds_en"] = describe_boundaries(
        plain, barrier_frame, name_field=name_field, code_field="gp_code", lang="en"
    ).to_numpy()
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
    data.fill_alpha = 0.45 if heatmap is not None else 0.7

    if "area" in extras and len(extras["area"]):
        data.area = memory_layer(extras["area"], _area_layer_name(options), map_crs)
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
    if heatmap is not None:
        if not heatmap.isValid():
            raise InputError(N_("The heatmap raster could not be read; choose a readable raster."))
        data.heatmap = heatmap.clone()
        data.heatmap.setName("事件热力")
        styling.heatmap_renderer(data.heatmap)
    _style_grids(data, options)
    report.progress(45)
    return data


def _area_layer_name(options: MapOptions) -> str:
    return f"{options.area_name}边界" if options.area_name else "辖区边界"


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
    layer.setLabeling(styling.grid_labeling("gp_label", label_pt))
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


# ---------------------------------------------------------------------------------------------
# Layout items
# ---------------------------------------------------------------------------------------------


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


def _credits_text(data: MapData, options: MapOptions, scale_value: float) -> str:
    parts = []
    if options.credits:
        parts.append(f"数据来源：{options.credits}")
    if data.label_prefix:
        parts.append(f"图上编号为网格编码去掉共同前缀 {data.label_prefix} 后的部分")
    parts.append(f"坐标系：{data.crs.authid() or data.crs.description()}")
    if scale_value > 0:
        parts.append(f"比例尺 1:{_round_scale(scale_value):,}")
    parts.append("制图：网格规划（Grid Planner）")
    return "　　".join(parts)


def _round_scale(value: float) -> int:
    if value <= 0:
        return 0
    magnitude = 10 ** max(0, int(math.floor(math.log10(value))) - 1)
    return int(round(value / magnitude) * magnitude)


def _subtitle(options: MapOptions) -> str:
    return "　".join(p for p in (options.area_name, options.date_text()) if p)


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
    foot = 7 * s
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
        _subtitle(options),
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

    overview = _map_item(
        layout,
        [layer for layer in (data.area, data.overview_grids(), data.roads_unlabelled()) if layer is not None],
        data.crs,
        *overview_rect,
    )
    overview.setId("overview_map")
    wide = QgsRectangle(extent)
    wide.scale(1.7)
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
        5 * s,
        color="#555555",
    )

    table = None
    if options.table:
        table = _grid_table(layout, data, options)
    return LayoutResult(layout=layout, map_item=map_item, legend=legend, table=table, items=items)


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
    columns.append(("gp_bounds", "四至"))
    return columns


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
    for attribute, heading in _table_columns(data):
        column = QgsLayoutTableColumn()
        column.setAttribute(attribute)
        column.setHeading(heading)
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
        "　".join(p for p in (options.area_name, options.title, options.date_text()) if p),
        10 * s,
        margin,
        margin + 10.5 * s,
        width - 2 * margin,
        6 * s,
        align=Qt.AlignmentFlag.AlignHCenter,
    )
    top = margin + 19 * s
    foot = 7 * s
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
    credits.append("制图：网格规划（Grid Planner）")
    items["credits"] = _label(
        layout,
        "　　".join(credits),
        7 * s,
        margin,
        height - margin - foot + 2 * s,
        width - 2 * margin,
        5 * s,
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


def _grown(extent: QgsRectangle, share: float) -> QgsRectangle:
    out = QgsRectangle(extent)
    out.grow(max(out.width(), out.height()) * share)
    return out


# ---------------------------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------------------------


def check_writable(path: str | os.PathLike, what: str = "output") -> Path:
    """Fail early with a clear message when ``path`` cannot be written."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.exists():
        raise InputError(
            N_("Cannot write the {what} {path}: the folder {folder} does not exist. Choose an existing folder."),
            what=what,
            path=str(target),
            folder=str(folder),
        )
    if target.is_dir():
        raise InputError(
            N_("Cannot write the {what} {path}: it is a folder. Give a file name."), what=what, path=str(target)
        )
    if not os.access(folder, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise InputError(
            N_("Cannot write the {what} {path}: permission denied. Choose a folder you can write to."),
            what=what,
            path=str(target),
        )
    return target


def _temporary_twin(target: Path) -> Path:
    """An empty file beside ``target`` to export into, renamed over ``target`` once complete."""
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix, dir=str(target.parent))
    except OSError as error:
        raise InputError(
            N_("Cannot write the output {path}: {reason}. Choose a folder you can write to."),
            path=str(target),
            reason=error.strerror or str(error),
        ) from None
    os.close(handle)
    return Path(name)


def _pdf_settings(dpi: int) -> QgsLayoutExporter.PdfExportSettings:
    settings = QgsLayoutExporter.PdfExportSettings()
    settings.dpi = dpi
    settings.rasterizeWholeImage = False
    settings.forceVectorOutput = False
    settings.textRenderFormat = Qgis.TextRenderFormat.AlwaysText
    settings.exportMetadata = True
    return settings


def _export_error(result, path) -> InputError:
    return InputError(
        N_("Exporting the map to {path} failed (QGIS error {code}); check the folder and the disk space."),
        path=str(path),
        code=int(result),
    )


def export_layout(layout: QgsPrintLayout, pdf_path=None, png_path=None, dpi: int = 200) -> dict:
    """Export the layout to a PDF (all pages) and a PNG (the first page), each written completely or not at all."""
    written = {}
    exporter = QgsLayoutExporter(layout)
    for kind, path in (("pdf", pdf_path), ("png", png_path)):
        if not path:
            continue
        target = check_writable(path)
        temporary = _temporary_twin(target)
        try:
            if kind == "pdf":
                result = exporter.exportToPdf(str(temporary), _pdf_settings(dpi))
            else:
                settings = QgsLayoutExporter.ImageExportSettings()
                settings.dpi = dpi
                settings.pages = [0]
                settings.generateWorldFile = False
                # QGIS then tries to georeference the PNG in place, which GDAL's PNG driver cannot do;
                # the attempt is harmless but prints an error, so it is silenced here.
                from osgeo import gdal

                gdal.PushErrorHandler("CPLQuietErrorHandler")
                try:
                    result = exporter.exportToImage(str(temporary), settings)
                finally:
                    gdal.PopErrorHandler()
            if result != QgsLayoutExporter.ExportResult.Success:
                raise _export_error(result, target)
            os.replace(temporary, target)
        finally:
            if temporary.exists():
                temporary.unlink()
        written[kind] = str(target)
    return written


def export_atlas(layout: QgsPrintLayout, pdf_path, dpi: int = 150, feedback=None) -> str:
    """Export every atlas page into one PDF (written completely or not at all)."""
    target = check_writable(pdf_path)
    temporary = _temporary_twin(target)
    try:
        result, error = QgsLayoutExporter.exportToPdf(layout.atlas(), str(temporary), _pdf_settings(dpi), feedback)
        if result != QgsLayoutExporter.ExportResult.Success:
            raise InputError(
                N_("Exporting the atlas to {path} failed: {error}"), path=str(target), error=error or int(result)
            )
        os.replace(temporary, target)
    finally:
        if temporary.exists():
            temporary.unlink()
    return str(target)


def add_to_project(project: QgsProject, result: LayoutResult, data: MapData | None = None, keep_layers: bool = False):
    """Leave the layout in ``project`` (replacing one of the same name); optionally add its layers in a hidden group."""
    manager = project.layoutManager()
    old = manager.layoutByName(result.layout.name())
    if old is not None:
        manager.removeLayout(old)
    if keep_layers and data is not None:
        root = project.layerTreeRoot()
        group_name = f"公示地图图层：{result.layout.name()}"
        old_group = root.findGroup(group_name)
        if old_group is not None:
            root.removeChildNode(old_group)
        group = root.insertGroup(0, group_name)
        for layer in data.all_layers():
            if project.mapLayer(layer.id()) is None:
                project.addMapLayer(layer, False)
            group.addLayer(layer)
        group.setItemVisibilityChecked(False)
        group.setExpanded(False)
    manager.addLayout(result.layout)


def map_point_to_page_px(map_item: QgsLayoutItemMap, x: float, y: float, dpi: float) -> tuple[float, float]:
    """Where a map coordinate (in the map CRS) lands on the exported page image, in pixels."""
    extent = map_item.extent()
    pos = map_item.pagePositionWithUnits()
    size = map_item.sizeWithUnits()
    fx = (x - extent.xMinimum()) / extent.width()
    fy = (extent.yMaximum() - y) / extent.height()
    mm_x = pos.x() + fx * size.width()
    mm_y = pos.y() + fy * size.height()
    return mm_x * dpi / 25.4, mm_y * dpi / 25.4


def export_grid_map(
    grids,
    output_pdf=None,
    *,
    output_png=None,
    atlas_pdf=None,
    area=None,
    roads=None,
    water=None,
    barriers=None,
    heatmap=None,
    options: MapOptions | None = None,
    project: QgsProject | None = None,
    keep_in_project: bool = False,
    report: Report | None = None,
    feedback=None,
) -> dict:
    """Build and export the public-display map (and optionally the per-grid atlas) in one call.

    Inputs are layers or paths (``"plan.gpkg|layername=grids"``). Returns a dict with the written
    paths (``pdf``, ``png``, ``atlas_pdf``), the page counts (``pages``, ``atlas_pages``), the layout
    names and the :class:`MapData` and :class:`LayoutResult` objects (``data``, ``map``, ``atlas``).

    Example (the demo, after partition and classification)::

        export_grid_map("out/plan.gpkg|layername=grids", "out/grid_map.pdf", output_png="out/grid_map.png",
                        area="out/prepared.gpkg|layername=boundary", roads="out/prepared.gpkg|layername=roads",
                        options=MapOptions(title="网格划分图", area_name="Kotka"))
    """
    report = report or Report()
    options = options or MapOptions()
    project = project or QgsProject.instance()
    for path, what in ((output_pdf, "PDF"), (output_png, "PNG"), (atlas_pdf, "atlas PDF")):
        if path:
            check_writable(path, what)
    if not (output_pdf or output_png or atlas_pdf):
        raise InputError(N_("Choose at least one output: a PDF, a PNG or an atlas PDF."))
    family = styling.cjk_font_family()
    if family is None:
        report.warn(
            N_("No font for Chinese text is installed; install fonts-noto-cjk (Noto Sans CJK SC) and run again.")
        )
    elif family != styling.PREFERRED_FONT:
        report.info(N_("Noto Sans CJK SC is not installed; the map uses {font} for Chinese text."), font=family)
    data = prepare_map_data(
        grids, options, area=area, roads=roads, water=water, barriers=barriers, heatmap=heatmap, report=report
    )
    if data.used_osm and not options.credits:
        report.warn(
            N_("The map uses OpenStreetMap data; its licence asks for the credit © OpenStreetMap contributors.")
        )
    out: dict = {"data": data}
    main = build_map_layout(project, data, options)
    report.check_cancelled()
    written = export_layout(main.layout, output_pdf, output_png, options.dpi)
    report.progress(75 if atlas_pdf else 95)
    out.update({"map": main, "pdf": written.get("pdf"), "png": written.get("png")})
    out["pages"] = main.layout.pageCollection().pageCount()
    out["layout_name"] = main.layout.name()
    if atlas_pdf:
        atlas = build_atlas_layout(project, data, options)
        report.check_cancelled()
        out["atlas_pdf"] = export_atlas(atlas.layout, atlas_pdf, options.dpi, feedback)
        out["atlas_pages"] = atlas.layout.atlas().count()
        out["atlas"] = atlas
        out["atlas_layout_name"] = atlas.layout.name()
    if keep_in_project:
        add_to_project(project, main, data, keep_layers=True)
        if "atlas" in out:
            add_to_project(project, out["atlas"], data, keep_layers=False)
    report.progress(100)
    return out


def export_plan_maps(
    grids,
    out_dir,
    *,
    area=None,
    roads=None,
    water=None,
    title: str = "网格划分图",
    area_name: str = "",
    paper: str = "A3",
    orientation: str = "landscape",
    dpi: int = 200,
    atlas: bool = True,
    credits: str = "© OpenStreetMap contributors",
    report: Report | None = None,
) -> dict:
    """The demo's one call after partition and classification: map PDF, PNG and atlas in ``out_dir``.

    Writes ``grid_map.pdf`` (the sheet and the grid table), ``grid_map.png`` (the sheet) and, with
    ``atlas``, ``grid_atlas.pdf`` (one page per grid). Inputs are layers or paths such as
    ``"out/plan.gpkg|layername=grids"``. Returns the dict of :func:`export_grid_map`.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    options = MapOptions(
        title=title, area_name=area_name, paper=paper, orientation=orientation, dpi=dpi, credits=credits
    )
    return export_grid_map(
        grids,
        out / "grid_map.pdf",
        output_png=out / "grid_map.png",
        atlas_pdf=(out / "grid_atlas.pdf") if atlas else None,
        area=area,
        roads=roads,
        water=water,
        options=options,
        project=QgsProject(),
        report=report,
    )


def build_template_layout(project: QgsProject, paper: str = "A3", orientation: str = "landscape") -> QgsPrintLayout:
    """The adjustable template (``styles/gridmap_<paper>_<orientation>.qpt``): same items, no locked layers.

    Opened in QGIS (Layout Manager → Create from template), the map shows the project's visible
    layers and the legend follows the project, so the planner only edits the texts.
    """
    options = MapOptions(paper=paper, orientation=orientation, table=False, title="网格划分图", area_name="某某街道")
    frame = gpd.GeoDataFrame({"gp_code": ["001"]}, geometry=[shapely.box(0, 0, 1000, 1000)], crs="EPSG:3857")
    crs = QgsCoordinateReferenceSystem("EPSG:3857")
    grids = memory_layer(frame, "网格", crs)
    data = MapData(crs=crs, grids=grids, atlas_grids=grids, frame=frame, fields={})
    result = build_map_layout(
        project, data, options, name=f"网格公示图 {paper} {'横向' if orientation == 'landscape' else '纵向'}"
    )
    for item in (result.map_item, result.items["overview"]):
        item.setLayers([])
        item.setKeepLayerSet(False)
        item.setCrs(QgsCoordinateReferenceSystem())  # follow the project's CRS
    result.legend.setAutoUpdateModel(True)
    result.items["subtitle"].setText("某某街道　[% format_date(now(), 'yyyy年M月d日') %]")
    variables = "item_variables('main_map')"
    result.items["credits"].setText(
        "　　".join(
            [
                f"数据来源：{options.credits}",
                f"坐标系：[% map_get({variables}, 'map_crs') %]",
                f"比例尺 1:[% round(map_get({variables}, 'map_scale'), -1) %]",
                "制图：网格规划（Grid Planner）",
            ]
        )
    )
    return result.layout


def write_templates(folder) -> list[Path]:
    """Write ``gridmap_<paper>_<orientation>.qpt`` for A4, A3 and A1 in both orientations into ``folder``."""
    written = []
    project = QgsProject()
    for paper in PAPER_SIZES_MM:
        for orientation in ("landscape", "portrait"):
            path = Path(folder) / f"gridmap_{paper}_{orientation}.qpt"
            save_template(build_template_layout(project, paper, orientation), path)
            written.append(path)
    return written


def save_template(layout: QgsPrintLayout, path) -> None:
    """Write ``layout`` as a ``.qpt`` template."""
    ok = layout.saveAsTemplate(str(path), QgsReadWriteContext())
    if not ok:
        raise InputError(N_("Could not write the layout template {path}."), path=str(path))


def load_template(project: QgsProject, path) -> QgsPrintLayout:
    """A layout read from a ``.qpt`` template (for checks and for the planner's scripts)."""
    document = QDomDocument()
    document.setContent(Path(path).read_text(encoding="utf-8"))
    layout = QgsPrintLayout(project)
    _items, ok = layout.loadFromTemplate(document, QgsReadWriteContext())
    if not ok:
        raise InputError(N_("Could not read the layout template {path}."), path=str(path))
    return layout
