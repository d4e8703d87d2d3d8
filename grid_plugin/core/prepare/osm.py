"""Planning inputs from OpenStreetMap: read an extract with GDAL's OSM driver, clean, project, clip.

:func:`prepare_osm` turns an ``.osm``, ``.osm.gz`` or ``.osm.pbf`` file into the layers every later
step uses (see ``docs/prepare.md``): ``boundary``, ``buildings``, ``roads``, ``waterways``,
``railways``, ``landuse``, ``water`` and ``pois``, all in one metric CRS (the user's, or the
CGCS2000 Gauss–Krüger zone inside China and UTM elsewhere, see :mod:`.crs`).

GDAL's OSM driver puts a fixed set of tags into columns (``osmconf.ini``) and everything else into
``other_tags``, an hstore string (``"building:levels"=>"5","name:zh"=>"龙岗"``). Tags are read from
the column when there is one and from ``other_tags`` otherwise, vectorised over the whole layer.

Reading goes through :mod:`pyogrio` (its bundled GDAL; the ``/vsigzip/`` prefix reads ``.osm.gz``).
Geometries whose WKB GEOS cannot even parse (rings of fewer than 4 points) are recovered where
possible and otherwise dropped as degenerate; invalid polygons are repaired with ``make_valid``
keeping their polygonal parts. Both are counted and reported.
"""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..crs import describe_crs, resolve_target_crs
from ..errors import N_, InputError, Report

__all__ = [
    "BUILDING_TYPES",
    "FIELD_ALIASES_ZH",
    "LAYER_COLUMNS",
    "LAYER_GEOMETRY",
    "building_type",
    "hstore_value",
    "osm_tag",
    "prepare_osm",
    "read_osm",
    "repair_polygons",
]

#: Output layers, their columns (geometry excluded) in order, and their geometry type.
LAYER_COLUMNS = {
    "boundary": ["name", "admin_level", "area_m2"],
    "buildings": ["osm_id", "building", "building_type", "levels", "name", "area_m2"],
    "roads": ["osm_id", "highway", "name"],
    "waterways": ["osm_id", "waterway", "name"],
    "railways": ["osm_id", "railway", "name"],
    "landuse": ["osm_id", "landuse_class", "source_key", "name"],
    "water": ["osm_id", "water_class", "name"],
    "pois": ["osm_id", "poi_kind", "source_key", "name"],
}
LAYER_GEOMETRY = {
    "boundary": "MultiPolygon",
    "buildings": "MultiPolygon",
    "roads": "MultiLineString",
    "waterways": "MultiLineString",
    "railways": "MultiLineString",
    "landuse": "MultiPolygon",
    "water": "MultiPolygon",
    "pois": "Point",
}

#: Chinese aliases of every output field (GeoPackage ``gpkg_data_columns`` and QGIS sinks).
FIELD_ALIASES_ZH = {
    "osm_id": "OSM编号",
    "name": "名称",
    "admin_level": "行政级别",
    "area_m2": "面积(平方米)",
    "building": "建筑标签",
    "building_type": "建筑类型",
    "levels": "层数",
    "households": "户数",
    "highway": "道路等级",
    "waterway": "水道类型",
    "railway": "铁路类型",
    "landuse_class": "用地类别",
    "source_key": "来源标签",
    "water_class": "水体类型",
    "poi_kind": "兴趣点类型",
}

#: Normalised building types (``building_type``) and the raw ``building=*`` values that map to them.
#: Anything else (``yes``, ``garage``, ``shed``, ``roof`` …) is ``other`` unless an ``amenity``/``shop``/
#: ``office`` tag on the same building says more.
BUILDING_TYPES = {
    "residential": [
        "residential", "apartments", "house", "detached", "semidetached_house", "terrace", "bungalow",
        "dormitory", "farm", "cabin", "houseboat", "static_caravan", "villa",
    ],
    "commercial": ["commercial", "retail", "office", "supermarket", "kiosk", "hotel", "shop", "mall"],
    "industrial": ["industrial", "warehouse", "factory", "manufacture", "hangar", "storage_tank", "digester"],
    "public": [
        "public", "civic", "government", "townhall", "train_station", "transportation", "fire_station",
        "police", "sports_hall", "sports_centre", "stadium", "museum", "library", "community_centre",
    ],
    "education": ["school", "university", "college", "kindergarten"],
    "health": ["hospital", "clinic"],
    "religious": ["church", "chapel", "cathedral", "mosque", "temple", "shrine", "synagogue", "monastery", "religious"],
    "agricultural": ["barn", "farm_auxiliary", "stable", "cowshed", "greenhouse", "glasshouse", "sty", "silo"],
}  # fmt: skip
_AMENITY_TYPES = {
    "school": "education", "university": "education", "college": "education", "kindergarten": "education",
    "hospital": "health", "clinic": "health", "doctors": "health",
    "place_of_worship": "religious",
    "townhall": "public", "police": "public", "fire_station": "public", "library": "public",
    "community_centre": "public", "courthouse": "public", "post_office": "public",
    "marketplace": "commercial", "restaurant": "commercial", "bank": "commercial", "cafe": "commercial",
}  # fmt: skip

_RAW_LAYERS = ("points", "lines", "multipolygons")
_NAME_KEYS = ("name:zh", "name:zh-Hans", "name:en", "official_name", "alt_name", "short_name")
_EXCLUDED_HIGHWAY = {"proposed", "abandoned", "razed", "disused", "no"}
_EXCLUDED_RAILWAY = {"proposed", "abandoned", "razed", "dismantled", "platform", "no"}
_EXCLUDED_WATERWAY = {"riverbank", "dock", "boatyard", "no"}
_WATER_LANDUSE = {"reservoir", "basin"}
_LANDUSE_KEYS = ("landuse", "natural", "leisure", "amenity", "tourism", "military", "aeroway", "place")
_NATURAL_NOT_LANDUSE = {"water", "coastline", "bay", "strait"}
_POI_KEYS = ("amenity", "shop", "tourism", "office", "healthcare", "leisure", "craft", "historic", "place")
_POLYGON_POI_KEYS = ("amenity", "shop", "tourism", "office", "healthcare")
#: Street furniture is not a place people go to: left out of ``pois``.
_NOT_POIS = {
    "bench", "waste_basket", "post_box", "letter_box", "vending_machine", "bicycle_parking", "hunting_stand",
    "clock", "drinking_water", "telephone", "grit_bin", "ticket_validator", "waste_disposal", "no",
}  # fmt: skip


# --------------------------------------------------------------------------------------------- tags
def hstore_value(other_tags: pd.Series, key: str) -> pd.Series:
    """The value of ``key`` in GDAL's ``other_tags`` hstore strings (``None`` where absent).

    >>> s = pd.Series(['"building:levels"=>"5","name:zh"=>"龙岗"', None, '"a"=>"say \\\\"hi\\\\""'])
    >>> hstore_value(s, "building:levels").tolist()
    ['5', None, None]
    >>> hstore_value(s, "a").tolist()
    [None, None, 'say "hi"']
    """
    pattern = r'(?:^|,)"' + re.escape(key) + r'"=>"((?:[^"\\]|\\.)*)"'
    values = other_tags.astype("object").where(other_tags.notna(), "").astype(str).str.extract(pattern, expand=False)
    values = values.str.replace(r'\\(["\\])', r"\1", regex=True)
    return values.astype(object).where(values.notna(), None)


def osm_tag(frame: pd.DataFrame, key: str) -> pd.Series:
    """Tag ``key`` of every feature: the column GDAL made for it, else parsed from ``other_tags``."""
    if key in frame.columns:
        column = frame[key].astype(object)
        result = column.where(column.notna() & (column.astype(str) != ""), None)
    elif "other_tags" in frame.columns:
        result = hstore_value(frame["other_tags"], key)
    else:
        result = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    return result


def _first_tag(frame: pd.DataFrame, keys) -> tuple[pd.Series, pd.Series]:
    """The value and key of the first of ``keys`` present on each feature."""
    value = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    source = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    for key in keys:
        tag = osm_tag(frame, key)
        take = value.isna() & tag.notna()
        value = value.where(~take, tag)
        source = source.where(~take, key)
    return value, source


def _names(frame: pd.DataFrame) -> pd.Series:
    """``name``, else ``name:zh``, else ``name:en``."""
    name = osm_tag(frame, "name")
    for key in ("name:zh", "name:en"):
        name = name.where(name.notna(), osm_tag(frame, key))
    return name


def building_type(building: pd.Series, amenity: pd.Series | None = None, shop=None, office=None) -> pd.Series:
    """Normalise raw ``building=*`` values into :data:`BUILDING_TYPES` (else ``other``).

    A generic ``building=yes`` takes its type from ``amenity`` (a school, a hospital), ``shop`` or
    ``office`` on the same feature.

    >>> building_type(pd.Series(["apartments", "yes", "barn", "yes"]), pd.Series([None, None, None, "school"])).tolist()
    ['residential', 'other', 'agricultural', 'education']
    """
    lookup = {value: kind for kind, values in BUILDING_TYPES.items() for value in values}
    raw = building.astype(object).where(building.notna(), "").astype(str).str.strip().str.lower()
    kinds = raw.map(lookup).astype(object)
    generic = kinds.isna()
    if amenity is not None:
        from_amenity = amenity.astype(object).map(_AMENITY_TYPES)
        kinds = kinds.where(~(generic & from_amenity.notna()), from_amenity)
    for tag in (shop, office):
        if tag is not None:
            kinds = kinds.where(~(kinds.isna() & tag.notna()), "commercial")
    return kinds.where(kinds.notna(), "other")


def _positive_number(values: pd.Series) -> pd.Series:
    """Numbers > 0 parsed from text (``"3"``, ``"2.5"``); anything else (``"3;4"``, ``"-1"``) → NaN."""
    numbers = pd.to_numeric(values.astype(object).where(values.notna(), None), errors="coerce").astype(float)
    return numbers.where(numbers > 0)


# ---------------------------------------------------------------------------------------- reading
def _gdal_path(path: Path) -> str:
    if path.name.lower().endswith(".gz"):
        return "/vsigzip/" + str(path)
    return str(path)


def _check_path(path) -> Path:
    path = Path(path)
    if not path.exists():
        raise InputError(N_("The OSM file {path} does not exist; check the path."), path=str(path))
    if not path.is_file():
        raise InputError(N_("{path} is a folder, not an OSM file; choose a .osm, .osm.gz or .osm.pbf file."), path=path)
    name = path.name.lower()
    if not name.endswith((".osm", ".osm.gz", ".pbf", ".osm.bz2", ".gz")):
        raise InputError(
            N_("{path} is not an OpenStreetMap file; choose a .osm, .osm.gz or .osm.pbf file."), path=str(path)
        )
    if name.endswith(".bz2"):
        raise InputError(
            N_("GDAL cannot read .bz2 files directly; decompress {path} (bunzip2) or convert it to .osm.pbf."),
            path=str(path),
        )
    return path


def _read_layer(path: Path, layer: str) -> gpd.GeoDataFrame:
    """One layer of the OSM driver as a GeoDataFrame in EPSG:4326, with unparsable WKB recovered or None."""
    import pyogrio.raw
    from pyogrio.errors import DataLayerError, DataSourceError

    try:
        meta, _fids, wkb, field_data = pyogrio.raw.read(_gdal_path(path), layer=layer, encoding="UTF-8")
    except (DataSourceError, DataLayerError, OSError, RuntimeError) as error:
        raise InputError(
            N_(
                "Could not read {path} as OpenStreetMap data ({reason}); check that the file is a complete .osm, .osm.gz or .osm.pbf."
            ),
            path=str(path),
            reason=str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__,
        ) from None
    frame = pd.DataFrame({name: values for name, values in zip(meta["fields"], field_data)})
    geometries = shapely.from_wkb(wkb, on_invalid="ignore")
    unparsable = shapely.is_missing(geometries) & pd.notna(pd.Series(wkb, dtype=object)).to_numpy()
    if unparsable.any():
        # Rings of 2-3 points: let GEOS fix what it can; what stays broken is dropped later as degenerate.
        geometries[unparsable] = shapely.from_wkb(wkb[unparsable], on_invalid="fix")
    frame["_unparsable"] = unparsable
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometries, crs="EPSG:4326"), crs="EPSG:4326")


def read_osm(path, *, report: Report | None = None) -> dict[str, gpd.GeoDataFrame]:
    """Read the ``points``, ``lines`` and ``multipolygons`` layers of an OSM file (EPSG:4326)."""
    report = report or Report()
    path = _check_path(path)
    layers = {}
    for step, layer in enumerate(_RAW_LAYERS):
        report.check_cancelled()
        layers[layer] = _read_layer(path, layer)
        report.progress(5 + 10 * (step + 1))
    if sum(len(frame) for frame in layers.values()) == 0:
        raise InputError(
            N_("The OSM file {path} holds no features; check that it is not empty or truncated."), path=str(path)
        )
    return layers


def _osm_ids(frame: pd.DataFrame, kind: str) -> pd.Series:
    """``node/…``, ``way/…`` or ``relation/…`` ids (the OSM website's URL form; unique across kinds)."""
    if kind == "multipolygons":
        way = frame["osm_way_id"].astype(object)
        relation = frame["osm_id"].astype(object)
        return ("way/" + way.astype(str)).where(way.notna(), "relation/" + relation.astype(str))
    prefix = "node/" if kind == "points" else "way/"
    return prefix + frame["osm_id"].astype(str)


# ------------------------------------------------------------------------------------ geometry
def repair_polygons(frame: gpd.GeoDataFrame, *, layer: str, report: Report | None = None) -> gpd.GeoDataFrame:
    """Repair invalid polygons (``make_valid``, keeping polygonal parts) and drop degenerate ones.

    Both counts are reported as warnings. Returns a new frame of (Multi)Polygons with area > 0.
    """
    report = report or Report()
    geometries = frame.geometry.values.copy()
    unparsable = frame["_unparsable"].to_numpy() if "_unparsable" in frame.columns else np.zeros(len(frame), bool)
    present = ~shapely.is_missing(geometries)
    invalid = present & ~shapely.is_valid(geometries)
    if invalid.any():
        geometries[invalid] = _polygonal(shapely.make_valid(geometries[invalid]))
    repaired_mask = (invalid | unparsable) & ~shapely.is_missing(geometries)
    repaired_mask &= ~shapely.is_empty(geometries)
    area = shapely.area(geometries)
    keep = ~shapely.is_missing(geometries) & ~shapely.is_empty(geometries) & (np.nan_to_num(area) > 0)
    repaired = int((repaired_mask & keep).sum())
    dropped = int((~keep).sum())
    if repaired:
        report.warn(
            N_("Repaired {n} invalid polygons in the {layer} layer (make_valid, polygonal parts kept)."),
            n=repaired,
            layer=layer,
        )
    if dropped:
        report.warn(
            N_(
                "Dropped {n} degenerate polygons without area from the {layer} layer (rings of fewer than 3 distinct points)."
            ),
            n=dropped,
            layer=layer,
        )
    result = frame.copy()
    result[result.geometry.name] = geometries
    return result.loc[keep].drop(columns=["_unparsable"], errors="ignore")


def _polygonal(geometries: np.ndarray) -> np.ndarray:
    """Only the polygon parts of each geometry (from a GeometryCollection of make_valid), as MultiPolygons."""
    out = np.empty(len(geometries), dtype=object)
    for index, geometry in enumerate(geometries):
        if geometry is None or geometry.is_empty:
            out[index] = None
            continue
        parts = shapely.get_parts(geometry)
        polygons = []
        for part in parts:
            if isinstance(part, shapely.Polygon):
                polygons.append(part)
            elif isinstance(part, shapely.MultiPolygon):
                polygons.extend(part.geoms)
            elif isinstance(part, shapely.GeometryCollection):
                polygons.extend(p for p in shapely.get_parts(_polygonal(np.array([part]))[0]) if p is not None)
        out[index] = shapely.MultiPolygon(polygons) if polygons else None
    return out


def _to_multi(geometries: np.ndarray, kind: str) -> np.ndarray:
    """Promote single parts to Multi* so a GeoPackage layer has one geometry type."""
    out = np.asarray(geometries, dtype=object).copy()
    type_ids = shapely.get_type_id(out)
    if kind == "MultiPolygon":
        single = type_ids == 3
        out[single] = [shapely.MultiPolygon([g]) for g in out[single]]
        collection = type_ids == 7
        if collection.any():
            out[collection] = _polygonal(out[collection])
    elif kind == "MultiLineString":
        single = type_ids == 1
        out[single] = [shapely.MultiLineString([g]) for g in out[single]]
        collection = type_ids == 7
        if collection.any():
            out[collection] = [_lines_only(g) for g in out[collection]]
    return out


def _lines_only(geometry):
    lines = [p for p in shapely.get_parts(geometry) if isinstance(p, (shapely.LineString, shapely.MultiLineString))]
    parts = []
    for line in lines:
        parts.extend(shapely.get_parts(line))
    return shapely.MultiLineString(parts) if parts else None


def _clip(frame: gpd.GeoDataFrame, area, kind: str) -> gpd.GeoDataFrame:
    """Features of ``frame`` clipped to ``area``: whole when inside, cut at the edge, dropped when outside."""
    if frame.empty:
        return frame
    geometries = frame.geometry.values
    shapely.prepare(area)
    candidates = shapely.intersects(area, geometries)
    inside = candidates & shapely.contains_properly(area, geometries)
    edge = candidates & ~inside
    clipped = np.asarray(geometries, dtype=object).copy()
    if edge.any():
        clipped[edge] = shapely.intersection(geometries[edge], area)
    result = frame.loc[candidates].copy()
    result[result.geometry.name] = _to_multi(clipped[candidates], kind)
    values = result.geometry.values
    if kind == "MultiPolygon":
        keep = ~shapely.is_missing(values) & (np.nan_to_num(shapely.area(values)) > 0)
    elif kind == "MultiLineString":
        keep = ~shapely.is_missing(values) & (np.nan_to_num(shapely.length(values)) > 0)
    else:
        keep = ~shapely.is_missing(values) & ~shapely.is_empty(values)
    return result.loc[keep]


# ------------------------------------------------------------------------------------ themes
def _frame(data: dict, geometry, crs, layer: str) -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame(
        {column: data[column] for column in LAYER_COLUMNS[layer] if column in data}, geometry=geometry, crs=crs
    )
    return frame.reset_index(drop=True)


def _buildings(polygons: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    building = osm_tag(polygons, "building")
    selected = polygons.loc[building.notna() & ~building.astype(str).str.lower().isin(["no", "false"])]
    raw = osm_tag(selected, "building")
    data = {
        "osm_id": _osm_ids(selected, "multipolygons"),
        "building": raw,
        "building_type": building_type(
            raw, osm_tag(selected, "amenity"), osm_tag(selected, "shop"), osm_tag(selected, "office")
        ),
        "levels": _positive_number(osm_tag(selected, "building:levels")),
        "name": _names(selected),
    }
    frame = gpd.GeoDataFrame(data, geometry=selected.geometry, crs=polygons.crs)
    frame["_unparsable"] = selected["_unparsable"]
    return frame


def _lines(lines: gpd.GeoDataFrame, key: str, excluded: set) -> gpd.GeoDataFrame:
    value = osm_tag(lines, key)
    selected = lines.loc[value.notna() & ~value.astype(str).str.lower().isin(excluded)]
    data = {"osm_id": _osm_ids(selected, "lines"), key: osm_tag(selected, key), "name": _names(selected)}
    return gpd.GeoDataFrame(data, geometry=selected.geometry, crs=lines.crs)


def _water(polygons: gpd.GeoDataFrame, is_building: pd.Series) -> tuple[gpd.GeoDataFrame, pd.Series]:
    natural = osm_tag(polygons, "natural")
    waterway = osm_tag(polygons, "waterway")
    landuse = osm_tag(polygons, "landuse")
    water_tag = osm_tag(polygons, "water")
    is_water = (
        (natural == "water")
        | waterway.isin(["riverbank", "dock", "canal", "river"])
        | landuse.isin(_WATER_LANDUSE)
        | (water_tag.notna() & natural.isna() & landuse.isna())
    ) & ~is_building
    selected = polygons.loc[is_water]
    water_class = water_tag.loc[is_water]
    for fallback in (waterway, landuse, natural):
        water_class = water_class.where(water_class.notna(), fallback.loc[is_water])
    data = {"osm_id": _osm_ids(selected, "multipolygons"), "water_class": water_class, "name": _names(selected)}
    frame = gpd.GeoDataFrame(data, geometry=selected.geometry, crs=polygons.crs)
    frame["_unparsable"] = selected["_unparsable"]
    return frame, is_water


def _landuse(polygons: gpd.GeoDataFrame, is_building: pd.Series, is_water: pd.Series) -> gpd.GeoDataFrame:
    tagged = polygons.copy()
    natural = osm_tag(tagged, "natural")
    tagged["natural"] = natural.where(~natural.isin(_NATURAL_NOT_LANDUSE), None)
    landuse = osm_tag(tagged, "landuse")
    tagged["landuse"] = landuse.where(~landuse.isin(_WATER_LANDUSE), None)
    value, source = _first_tag(tagged, _LANDUSE_KEYS)
    chosen = value.notna() & ~is_building & ~is_water
    selected = polygons.loc[chosen]
    data = {
        "osm_id": _osm_ids(selected, "multipolygons"),
        "landuse_class": value.loc[chosen],
        "source_key": source.loc[chosen],
        "name": _names(selected),
    }
    frame = gpd.GeoDataFrame(data, geometry=selected.geometry, crs=polygons.crs)
    frame["_unparsable"] = selected["_unparsable"]
    return frame


def _pois(points: gpd.GeoDataFrame, polygons: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    value, source = _first_tag(points, _POI_KEYS)
    chosen = value.notna() & ~value.isin(_NOT_POIS)
    point_pois = gpd.GeoDataFrame(
        {
            "osm_id": _osm_ids(points.loc[chosen], "points"),
            "poi_kind": value.loc[chosen],
            "source_key": source.loc[chosen],
            "name": _names(points.loc[chosen]),
        },
        geometry=points.geometry.loc[chosen],
        crs=points.crs,
    )
    value, source = _first_tag(polygons, _POLYGON_POI_KEYS)
    chosen = value.notna() & ~value.isin(_NOT_POIS) & ~shapely.is_missing(polygons.geometry.values)
    area_pois = gpd.GeoDataFrame(
        {
            "osm_id": _osm_ids(polygons.loc[chosen], "multipolygons"),
            "poi_kind": value.loc[chosen],
            "source_key": source.loc[chosen],
            "name": _names(polygons.loc[chosen]),
        },
        geometry=gpd.GeoSeries(
            shapely.point_on_surface(polygons.geometry.values[chosen.to_numpy()]), crs=polygons.crs
        ).set_axis(polygons.index[chosen.to_numpy()]),
        crs=polygons.crs,
    )
    frames = [f for f in (point_pois, area_pois) if not f.empty]
    if not frames:
        return point_pois
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=points.crs)


# --------------------------------------------------------------------------------------- main
def prepare_osm(
    path,
    *,
    boundary_name: str | None = None,
    boundary: gpd.GeoDataFrame | None = None,
    target_crs=None,
    hull_buffer_m: float = 0.0,
    clip_boundary_to_data: bool = False,
    report: Report | None = None,
) -> dict[str, gpd.GeoDataFrame]:
    """Prepare planning inputs from an OpenStreetMap file.

    Parameters
    ----------
    path : str or Path
        ``.osm``, ``.osm.gz`` or ``.osm.pbf``.
    boundary_name : str, optional
        Name (``name``, ``name:zh``, ``name:en``, ``official_name`` …, case-insensitive) or OSM id
        (``relation/123``) of the administrative polygon that is the planning area.
    boundary : GeoDataFrame, optional
        A polygon layer that is the planning area (any CRS; its polygons are merged).
    target_crs : optional
        A projected CRS in metres; default: chosen automatically (:func:`.crs.auto_metric_crs`).
    hull_buffer_m : float
        Without a boundary, the convex hull of the data is buffered by this (negative shrinks it).
    clip_boundary_to_data : bool
        Intersect the boundary with the hull of the data (an extract that stops inside the area).
    report : Report, optional

    Returns
    -------
    dict of GeoDataFrame
        The layers of :data:`LAYER_COLUMNS`, in that order, all in the same metric CRS.
    """
    report = report or Report()
    if boundary_name is not None and not str(boundary_name).strip():
        boundary_name = None
    if boundary_name is not None and boundary is not None:
        raise InputError(N_("Give either a boundary name or a boundary layer, not both."))
    if target_crs is not None:
        resolve_target_crs(target_crs, report=Report())  # refuse a geographic target before reading
    raw = read_osm(path, report=report)
    from .osm_area import boundary_layer, clip_area_to_data, planning_area

    points, lines, polygons = raw["points"], raw["lines"], raw["multipolygons"]
    themes = _themes(points, lines, polygons, path)
    report.progress(45)

    area_frame, crs = planning_area(themes, polygons, path, boundary_name, boundary, target_crs, hull_buffer_m, report)
    themes = {name: frame.to_crs(crs) for name, frame in themes.items()}
    report.progress(55)
    report.check_cancelled()

    for name in ("buildings", "landuse", "water"):
        themes[name] = repair_polygons(themes[name], layer=name, report=report)
    area = shapely.union_all(area_frame.geometry.values)
    if clip_boundary_to_data and (boundary_name is not None or boundary is not None):
        area = clip_area_to_data(area, themes, path, crs, report)
    area, boundary_out = boundary_layer(area, area_frame, crs)
    report.progress(65)
    report.check_cancelled()

    out = {"boundary": boundary_out, **_clip_themes(themes, area, report)}
    report.progress(90)
    layers = _output_layers(out, crs)
    if layers["buildings"].empty:
        raise InputError(
            N_(
                "No buildings inside the planning area of {path}. Grids are balanced by the households in buildings; "
                "choose an OSM extract or a boundary that covers built-up land."
            ),
            path=str(path),
        )
    if layers["roads"].empty:
        report.warn(
            N_("No roads inside the planning area: grid edges cannot follow roads. Check the extract and boundary.")
        )
    report.info(
        N_(
            "Prepared in {crs}: area {area} km², {buildings} buildings, {roads} roads, {waterways} waterways, {railways} railways, {landuse} landuse, {water} water, {pois} POIs."
        ),
        crs=describe_crs(crs),
        area=f"{boundary_out['area_m2'].iloc[0] / 1e6:.2f}",
        **{name: len(layers[name]) for name in LAYER_COLUMNS if name != "boundary"},
    )
    report.progress(100)
    return layers


def _themes(points, lines, polygons, path) -> dict:
    """The themed layers (buildings, roads, waterways, railways, water, landuse, POIs) in the file's CRS."""
    building_flag = osm_tag(polygons, "building")
    is_building = building_flag.notna() & ~building_flag.astype(str).str.lower().isin(["no", "false"])
    themes = {
        "buildings": _buildings(polygons),
        "roads": _lines(lines, "highway", _EXCLUDED_HIGHWAY),
        "waterways": _lines(lines, "waterway", _EXCLUDED_WATERWAY),
        "railways": _lines(lines, "railway", _EXCLUDED_RAILWAY),
    }
    themes["water"], is_water = _water(polygons, is_building)
    themes["landuse"] = _landuse(polygons, is_building, is_water)
    themes["pois"] = _pois(points, polygons)
    if themes["buildings"].empty:
        raise InputError(
            N_(
                "The OSM file {path} has no buildings (no building=* tags). Grids are balanced by the households "
                "in buildings; use an extract that covers built-up land."
            ),
            path=str(path),
        )
    return themes


def _clip_themes(themes: dict, area, report: Report) -> dict:
    """Buildings kept whole (assigned by a point inside them); every other layer clipped to the area."""
    shapely.prepare(area)
    buildings = themes["buildings"]
    # shapely.contains_xy crashes inside qgis_process (GEOS symbol clash), so test points explicitly.
    inside = shapely.contains(area, shapely.point_on_surface(buildings.geometry.values))
    buildings = buildings.loc[inside].copy()
    buildings["geometry"] = _to_multi(buildings.geometry.values, "MultiPolygon")
    buildings["area_m2"] = shapely.area(buildings.geometry.values)
    out = {"buildings": buildings}
    for name in ("roads", "waterways", "railways", "landuse", "water", "pois"):
        report.check_cancelled()
        out[name] = _clip(themes[name], area, LAYER_GEOMETRY[name])
    return out


def _output_layers(out: dict, crs) -> dict:
    """The layers of :data:`LAYER_COLUMNS` with exactly their columns (numbers as float, missing as None)."""
    layers = {}
    for name, columns in LAYER_COLUMNS.items():
        frame = out[name]
        data = {column: frame[column].to_numpy() if column in frame.columns else None for column in columns}
        layer = gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(frame.geometry.values, crs=crs), crs=crs)
        for column in columns:
            if column in ("area_m2", "levels"):
                layer[column] = pd.to_numeric(layer[column], errors="coerce").astype(float)
            else:
                layer[column] = layer[column].astype(object).where(layer[column].notna(), None)
        layers[name] = layer.reset_index(drop=True)
    return layers
