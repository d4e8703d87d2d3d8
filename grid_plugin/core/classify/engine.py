"""Classify grids by type (网格分类): residential, commercial, enterprise and institution, crowded place,
village, industrial park, farmland, forest, pond and water, mountain, tidal flat, scenic area — with
the evidence and the rule that decided.

Evidence per grid (each input is optional; give what you have):

* **land use** (polygons with a class field, read through an editable mapping table: OSM tags,
  GB/T 21010 codes, …) and **water** polygons → the share of the grid's area in each grid type;
* a **land-cover raster** (NLCD, ESA WorldCover, CLCD …) → area shares where the land-use layer
  leaves the grid uncovered;
* **buildings** with a type field → the share of each type in the grid's building *floor area*
  (footprint × levels), the floor-area ratio and the mean number of floors of the housing;
* **points of interest** → a crowded-place score (sum of the weights of schools, hospitals, markets,
  malls, stations, stadiums … in the grid);
* a **DEM** → mean slope (degrees, computed in metres; geographic DEMs handled) and relief.

Decision order (the first rule that fires decides; every threshold is a parameter of
:class:`Thresholds`):

1. ``site`` — a specialised site (crowded place, enterprise/institution, scenic area, industrial
   park, business district) covers at least ``site_share`` of the grid.
2. ``crowded_pois`` — the crowded-place POI score reaches ``crowded_min_score``.
3. ``village`` — the grid is built up (floor area ≥ ``min_floor_area_m2`` and floor-area ratio ≥
   ``min_built_far``), housing holds at least ``building_share`` of the floor area and the housing
   is rural: typed as farm/rural houses, or low-rise (≤ ``village_max_levels`` floors on average)
   at a low density (floor-area ratio ≤ ``village_max_far``) *in a settlement of village size*:
   housing linked footprint to footprint within ``settlement_link_m`` forms settlements, and one of
   more than ``village_max_buildings`` housing buildings is a town, whose low-rise suburbs are
   residential, not villages.
4. ``buildings`` — built up, and one building class (housing → residential, shops and offices →
   commercial, factories and warehouses → industrial, schools/hospitals/offices of institutions →
   enterprise, stations/stadiums/places of worship → crowded) holds at least ``building_share`` of the
   floor area.
5. ``water`` — pond and water (or tidal flat) cover at least ``dominant_share`` of the grid.
6. ``mountain`` — mean slope ≥ ``mountain_slope_deg`` and relief ≥ ``mountain_relief_m``.
7. ``land_use`` — one class covers at least ``dominant_share`` of the grid by area (residential and
   village land count together as settlement land, typed village or residential by the rural test);
   ``unmapped`` when that class is made of values missing from the mapping table (→ ``unknown``).
8. ``mixed`` — evidence exists but no class passes its threshold.
9. ``no_data`` — no evidence at all (→ ``unknown``).

Overlapping land-use polygons (``overlap``):

* ``"priority"`` (default) — each square metre counts once, for the overlapping polygon whose class
  has the highest ``priority`` in the mapping table; between equal priorities the smaller polygon
  wins (a pond drawn inside a forest stays a pond). Area shares then never sum above 100%.
* ``"union"`` — each class counts the union of its own polygons (overlaps within a class count
  once, overlaps between classes count for both), so shares may sum above 100%.

Overlaps smaller than ``overlap_tolerance_m2`` (slivers of imprecise shared edges) are ignored.
"""

from __future__ import annotations

import math
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from ..crs import auto_metric_crs_for
from ..errors import N_, InputError, Report
from ..grid_types import GRID_TYPE_CODES, grid_type
from .mapping_table import DEFAULT_PRIORITY, IGNORE, ClassMapping, load_mapping
from .raster_stats import zonal_classes, zonal_dem

__all__ = [
    "Thresholds",
    "ClassifyResult",
    "LAND_CLASSES",
    "BUILDING_CLASSES",
    "SITE_CLASSES",
    "RULES",
    "OUTPUT_ALIASES_ZH",
    "classify_grids",
    "working_crs",
    "rule_text",
]

#: Classes measured by area (``area_pct_<code>``): every grid type but ``mixed``.
LAND_CLASSES: tuple[str, ...] = tuple(c for c in GRID_TYPE_CODES if c != "mixed")
#: Classes measured by building floor area (``floor_pct_<code>``).
BUILDING_CLASSES: tuple[str, ...] = (
    "residential",
    "village",
    "commercial",
    "enterprise",
    "industrial",
    "crowded",
    "unknown",
)
#: Specialised sites that type a grid as soon as they cover ``site_share`` of it (rule 1).
SITE_CLASSES: tuple[str, ...] = ("crowded", "enterprise", "scenic", "industrial", "commercial")

#: Rule id → readable template (English; translated by the QGIS side). ``{cls}`` is a grid type code.
RULES: dict[str, str] = {
    "site": N_("{cls} covers {pct}% of the grid (site rule: at least {min}%)"),
    "crowded_pois": N_("{n} crowded-place POIs with a score of {score} (crowded rule: score at least {min})"),
    "village": N_(
        "rural housing holds {pct}% of the floor area: floor-area ratio {far}, {levels} floors on average "
        "(village rule)"
    ),
    "buildings": N_("{cls} buildings hold {pct}% of the floor area (building rule: at least {min}%)"),
    "water": N_("{cls} covers {pct}% of the grid (water rule: at least {min}%)"),
    "mountain": N_(
        "mean slope {slope}° and relief {relief} m (mountain rule: slope at least {min_slope}°, relief at "
        "least {min_relief} m)"
    ),
    "land_use": N_(
        "{cls} covers {pct}% of the grid's mapped land, {cover}% of the grid is mapped (land-use rule: at least {min}%)"
    ),
    "settlement": N_(
        "settlement land covers {pct}% of the grid's mapped land; its housing is {cls} (floor-area ratio {far})"
    ),
    "sparse": N_("only {cover}% of the grid has land-use evidence (at least {min}% needed to type it by land use)"),
    "unmapped": N_("classes missing from the mapping table cover {pct}% of the grid; add them to the table"),
    "mixed": N_("no class reaches its threshold; the largest is {cls} with {pct}% of the area"),
    "no_data": N_("no land-use, building, POI or raster evidence in this grid"),
}

#: Chinese aliases of the output fields (the QGIS side sets them on the output layer).
OUTPUT_ALIASES_ZH: dict[str, str] = {
    "grid_type": "网格类型代码",
    "grid_type_zh": "网格类型",
    "grid_type_en": "网格类型（英文）",
    "rule": "判定规则",
    "rule_text": "判定依据",
    "dominant_class": "主导类别",
    "dominant_pct": "主导占比(%)",
    "dominant_basis": "主导占比口径",
    "landuse_cover_pct": "用地覆盖率(%)",
    "n_buildings": "建筑数",
    "floor_area_m2": "建筑面积(㎡)",
    "far": "容积率",
    "housing_levels": "住宅平均层数",
    "crowded_score": "人员密集指数",
    "n_crowded_pois": "人员密集场所数",
    "slope_mean_deg": "平均坡度(°)",
    "relief_m": "高差(m)",
    "elev_mean_m": "平均高程(m)",
    "dem_cover_pct": "高程覆盖率(%)",
}
for _code in LAND_CLASSES:
    OUTPUT_ALIASES_ZH[f"area_pct_{_code}"] = f"{grid_type(_code).zh.removesuffix('网格')}面积占比(%)"
for _code in BUILDING_CLASSES:
    OUTPUT_ALIASES_ZH[f"floor_pct_{_code}"] = f"{grid_type(_code).zh.removesuffix('网格')}建筑面积占比(%)"


@dataclass(frozen=True)
class Thresholds:
    """Every threshold of the decision order (shares are fractions 0–1)."""

    site_share: float = 0.5
    dominant_share: float = 0.5
    min_cover_share: float = 0.3
    building_share: float = 0.5
    crowded_min_score: float = 3.0
    min_floor_area_m2: float = 1000.0
    min_built_far: float = 0.01
    village_max_far: float = 0.3
    village_max_levels: float = 3.0
    mountain_slope_deg: float = 15.0
    mountain_relief_m: float = 50.0
    default_levels: float = 1.0
    settlement_link_m: float = 80.0
    village_max_buildings: float = 800.0

    def check(self) -> None:
        """Raise InputError for an impossible threshold."""
        for name in ("site_share", "dominant_share", "building_share", "min_cover_share"):
            value = getattr(self, name)
            if not 0.0 < value <= 1.0:
                raise InputError(
                    N_("The threshold {name} is {value}; give a share between 0 and 1 (e.g. 0.5 for 50%)."),
                    name=name,
                    value=value,
                )
        for name in (
            "crowded_min_score",
            "min_floor_area_m2",
            "min_built_far",
            "village_max_far",
            "village_max_levels",
            "mountain_slope_deg",
            "mountain_relief_m",
            "settlement_link_m",
            "village_max_buildings",
        ):
            value = getattr(self, name)
            if not (value >= 0 and math.isfinite(value)):
                raise InputError(
                    N_("The threshold {name} is {value}; give a number of 0 or more."), name=name, value=value
                )
        if not (self.default_levels > 0 and math.isfinite(self.default_levels)):
            raise InputError(
                N_("The default number of floors is {value}; give a positive number."), value=self.default_levels
            )


@dataclass
class ClassifyResult:
    """What :func:`classify_grids` returns."""

    #: The input grids (same rows, geometry and CRS) with the classification columns appended.
    grids: gpd.GeoDataFrame
    #: Class values missing from a mapping table: source, key, value, features, area_m2.
    unknown_values: pd.DataFrame
    #: Readable-rule parameters per grid (for translating ``rule_text``), same order as ``grids``.
    rule_params: list = field(default_factory=list)
    #: Number of grids per type code.
    counts: dict = field(default_factory=dict)
    #: The thresholds used.
    thresholds: Thresholds = field(default_factory=Thresholds)
    #: How overlaps were counted and how much overlapping area was resolved (m²).
    overlap: dict = field(default_factory=dict)


def rule_text(rule: str, params: dict, *, translate=None, lang: str = "en") -> str:
    """The readable sentence for ``rule`` with ``params``; ``{cls}`` becomes the label in ``lang``.

    ``translate`` (the QGIS side passes ``tr``) translates the template first.
    """
    template = RULES[rule]
    if translate is not None:
        template = translate(template)
    values = dict(params)
    if "cls" in values:
        t = grid_type(values["cls"])
        values["cls"] = t.zh.removesuffix("网格") if str(lang).lower().startswith("zh") else t.en.lower()
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return RULES[rule].format(**values)


# --------------------------------------------------------------------------------------------------
# CRS and geometry helpers


def working_crs(frame: gpd.GeoDataFrame) -> pyproj.CRS:
    """A metric CRS to measure areas in: the grids' own CRS when projected in metres, else the automatic
    one of :mod:`grid_plugin.core.crs` (CGCS2000 Gauss–Krüger in China, UTM elsewhere)."""
    crs = pyproj.CRS.from_user_input(frame.crs)
    if crs.is_projected and crs.axis_info and abs(crs.axis_info[0].unit_conversion_factor - 1.0) < 1e-9:
        return crs
    return auto_metric_crs_for(frame)


def _to_crs(frame: gpd.GeoDataFrame, crs: pyproj.CRS, name: str) -> gpd.GeoDataFrame:
    if frame.crs is None:
        raise InputError(
            N_(
                "The layer {name} has no coordinate reference system; set its CRS (Layer Properties ▸ Source) and "
                "run again."
            ),
            name=name,
        )
    return frame if pyproj.CRS.from_user_input(frame.crs) == crs else frame.to_crs(crs)


def _polygonal(geoms: np.ndarray, name: str, report: Report, *, allow_other: bool = False) -> np.ndarray:
    """Repair invalid polygons (count them) and reduce every geometry to its polygonal part."""
    geoms = np.asarray(geoms, dtype=object).copy()
    present = ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)
    kinds = shapely.get_type_id(geoms)
    polygonal = present & np.isin(kinds, (3, 6))
    if not allow_other and (present & ~polygonal).any():
        other = int((present & ~polygonal & ~np.isin(kinds, (7,))).sum())
        if other:
            report.warn(
                N_("The layer {name} holds {n} features that are not polygons; they were skipped."), name=name, n=other
            )
    invalid = polygonal & ~shapely.is_valid(geoms)
    if invalid.any():
        repaired = shapely.make_valid(geoms[invalid])
        fixed = []
        for geom in repaired:
            if shapely.get_type_id(geom) in (3, 6):
                fixed.append(geom)
            else:
                parts = [p for p in shapely.get_parts(geom) if shapely.get_type_id(p) in (3, 6)]
                fixed.append(shapely.union_all(parts) if parts else None)
        geoms[invalid] = np.array(fixed, dtype=object)
        report.warn(
            N_("Repaired {n} invalid polygons in the layer {name} (self-intersections, bad rings)."),
            n=int(invalid.sum()),
            name=name,
        )
    collections = present & (kinds == 7)
    for i in np.flatnonzero(collections):
        parts = [p for p in shapely.get_parts(geoms[i]) if shapely.get_type_id(p) in (3, 6)]
        geoms[i] = shapely.union_all(parts) if parts else None
        polygonal[i] = bool(parts)
    geoms[~polygonal] = None
    return geoms


def _require_field(frame: gpd.GeoDataFrame, field_name: str, layer: str) -> None:
    if field_name not in frame.columns:
        raise InputError(
            N_("The layer {layer} has no field {field}; choose one of: {fields}."),
            layer=layer,
            field=field_name,
            fields=", ".join(str(c) for c in frame.columns if c != frame.geometry.name),
        )


def _keys_and_values(frame, class_field, key_field, layer: str):
    """Per feature the (key, value) to look up: the first non-empty of several tag fields, or one field."""
    fields = [class_field] if isinstance(class_field, str) else list(class_field)
    if not fields:
        raise InputError(N_("Choose the class field of the layer {layer}."), layer=layer)
    for name in fields:
        _require_field(frame, name, layer)
    n = len(frame)
    values = np.full(n, None, dtype=object)
    keys = np.full(n, None, dtype=object)
    for name in fields:
        column = frame[name].to_numpy(dtype=object)
        empty = pd.isna(values)
        text = pd.Series(column).map(_clean_value).to_numpy(dtype=object)
        take = empty & ~pd.isna(text)
        values[take] = text[take]
        keys[take] = name
    if key_field:
        _require_field(frame, key_field, layer)
        keys = frame[key_field].map(_clean_value).to_numpy(dtype=object)
    return keys, values


def _clean_value(value):
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            return str(int(value))
    text = str(value).strip()
    return text or None


def _lookup_all(mapping: ClassMapping, keys, values):
    """grid_type (or None when unmapped), priority and weight per feature; unique pairs looked up once."""
    frame = pd.DataFrame({"k": keys, "v": values})
    codes, uniques = pd.factorize(pd.MultiIndex.from_frame(frame.fillna("\x00")))
    types, priorities, weights = [], [], []
    for key, value in uniques:
        key = None if key == "\x00" else key
        value = None if value == "\x00" else value
        row = mapping.lookup(value, key=key) if value is not None else None
        types.append(row.grid_type if row else None)
        priorities.append(row.priority if row else DEFAULT_PRIORITY["unknown"])
        weights.append(row.weight if row else 0.0)
    types = np.array(types, dtype=object)[codes]
    return types, np.array(priorities, dtype=float)[codes], np.array(weights, dtype=float)[codes]


def _unknown_table(source: str, keys, values, unmapped_mask, areas) -> pd.DataFrame:
    if not unmapped_mask.any():
        return pd.DataFrame(columns=["source", "key", "value", "features", "area_m2"])
    frame = pd.DataFrame(
        {
            "key": pd.Series(keys[unmapped_mask]).fillna(""),
            "value": values[unmapped_mask],
            "area_m2": areas[unmapped_mask],
        }
    )
    table = frame.groupby(["key", "value"], as_index=False).agg(
        features=("area_m2", "size"), area_m2=("area_m2", "sum")
    )
    table.insert(0, "source", source)
    return table.sort_values(["features", "area_m2"], ascending=False, ignore_index=True)


# --------------------------------------------------------------------------------------------------
# Land use: overlaps and area-weighted overlay


def _threaded(function, *arrays, min_chunk: int = 20_000):
    """Apply a vectorised shapely function over aligned ``arrays`` in chunks on several threads.

    shapely's set operations and predicates release the GIL, so chunks run in parallel on the
    available cores; results keep the input order, so the outcome does not depend on the threads.
    """
    n = len(arrays[0])
    workers = min(4, os.cpu_count() or 1)
    if workers < 2 or n < 2 * min_chunk:
        return function(*arrays)
    bounds = np.linspace(0, n, workers + 1).astype(int)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        parts = list(pool.map(lambda k: function(*(a[bounds[k] : bounds[k + 1]] for a in arrays)), range(workers)))
    return np.concatenate(parts)


def _resolve_overlaps(geoms, ranks, classes, mode: str, tolerance_m2: float, report: Report):
    """Remove overlaps: each overlapping area stays with the polygon of the best rank (lower = better).

    In ``"union"`` mode only overlaps between polygons of the same class are removed. Returns the
    new geometries and the overlapping area removed (m²).
    """
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    if mode == "union":
        same = classes[left] == classes[right]
        left, right = left[same], right[same]
    if left.size == 0:
        return geoms, 0.0
    # A pair can only overlap by more than the tolerance when its bounding boxes do.
    b = shapely.bounds(geoms)
    ix = np.minimum(b[left, 2], b[right, 2]) - np.maximum(b[left, 0], b[right, 0])
    iy = np.minimum(b[left, 3], b[right, 3]) - np.maximum(b[left, 1], b[right, 1])
    keep = (ix > 0) & (iy > 0) & (ix * iy > tolerance_m2)
    left, right = left[keep], right[keep]
    report.check_cancelled()
    interior = ~_threaded(shapely.touches, geoms[left], geoms[right])
    left, right = left[interior], right[interior]
    if left.size == 0:
        return geoms, 0.0
    overlap_area = shapely.area(_threaded(shapely.intersection, geoms[left], geoms[right]))
    real = overlap_area > tolerance_m2
    left, right, overlap_area = left[real], right[real], overlap_area[real]
    if left.size == 0:
        return geoms, 0.0
    left_wins = ranks[left] < ranks[right]
    winners = np.where(left_wins, left, right)
    losers = np.where(left_wins, right, left)
    order = np.argsort(losers, kind="stable")
    winners, losers = winners[order], losers[order]
    unique_losers, starts = np.unique(losers, return_index=True)
    ends = np.append(starts[1:], len(losers))
    cutters = []
    for start, end in zip(starts, ends):
        report.check_cancelled()
        cutters.append(geoms[winners[start]] if end - start == 1 else shapely.union_all(geoms[winners[start:end]]))
    out = geoms.copy()
    out[unique_losers] = shapely.difference(geoms[unique_losers], np.array(cutters, dtype=object))
    return out, float(overlap_area.sum())


def _in_village_sized_settlement(geoms, types, thresholds) -> np.ndarray:
    """Per building: True for housing in a settlement of at most ``village_max_buildings`` houses.

    Settlements are the single-linkage clusters of housing footprints within ``settlement_link_m``
    (:func:`grid_plugin.core.difference.driver.cluster_buildings`, the natural villages of the difference
    principle). Non-housing buildings are False.
    """
    from ..difference.driver import cluster_buildings

    housing = np.isin(types, ("residential", "village"))
    small = np.zeros(len(geoms), dtype=float)
    if not housing.any():
        return small
    frame = gpd.GeoDataFrame(geometry=geoms[housing])
    clusters = cluster_buildings(frame, thresholds.settlement_link_m, min_buildings=1, min_households=0)["cluster"]
    sizes = clusters.map(clusters.value_counts()).to_numpy()
    small[housing] = sizes <= thresholds.village_max_buildings
    return small


def _overlay_areas(grid_geoms, grid_areas, piece_geoms, piece_class_idx, n_classes, pairs=None):
    """Area of each class in each grid: matrix (n_grids, n_classes), by a bulk STRtree overlay.

    ``pairs`` (grid index, piece index) of intersecting candidates, when already known.
    """
    if pairs is None:
        tree = shapely.STRtree(piece_geoms)
        gi, pi = tree.query(grid_geoms, predicate="intersects")
    else:
        gi, pi = pairs
    # land wholly covered by higher-priority land is empty after the overlap rule
    present = ~shapely.is_empty(piece_geoms[pi]) & ~shapely.is_missing(piece_geoms[pi])
    gi, pi = gi[present], pi[present]
    area = np.zeros(len(gi))
    if gi.size:
        shapely.prepare(grid_geoms)
        inside = _threaded(shapely.contains_properly, grid_geoms[gi], piece_geoms[pi])
        area[inside] = shapely.area(piece_geoms[pi[inside]])
        rest = np.flatnonzero(~inside)
        # Land bigger than the grid often covers it whole: then the area is the grid's.
        pb = shapely.bounds(piece_geoms[pi[rest]])
        gb = shapely.bounds(grid_geoms[gi[rest]])
        maybe_covers = (pb[:, 0] <= gb[:, 0]) & (pb[:, 1] <= gb[:, 1]) & (pb[:, 2] >= gb[:, 2]) & (pb[:, 3] >= gb[:, 3])
        if maybe_covers.any():
            idx = rest[maybe_covers]
            covers = shapely.covers(piece_geoms[pi[idx]], grid_geoms[gi[idx]])
            area[idx[covers]] = grid_areas[gi[idx[covers]]]
            rest = np.concatenate([rest[~maybe_covers], idx[~covers]])
        if rest.size:
            area[rest] = shapely.area(_threaded(shapely.intersection, grid_geoms[gi[rest]], piece_geoms[pi[rest]]))
    matrix = np.bincount(
        gi * n_classes + piece_class_idx[pi], weights=area, minlength=len(grid_geoms) * n_classes
    ).reshape(len(grid_geoms), n_classes)
    return matrix, gi, pi, area


# --------------------------------------------------------------------------------------------------
# The classifier


def classify_grids(
    grids: gpd.GeoDataFrame,
    *,
    landuse: gpd.GeoDataFrame | None = None,
    class_field=None,
    key_field: str | None = None,
    landuse_mapping="osm_landuse",
    water: gpd.GeoDataFrame | None = None,
    buildings: gpd.GeoDataFrame | None = None,
    building_type_field: str | None = None,
    levels_field: str | None = None,
    building_mapping="osm_buildings",
    pois: gpd.GeoDataFrame | None = None,
    poi_kind_field: str | None = None,
    poi_mapping="osm_pois",
    dem=None,
    dem_z_factor: float = 1.0,
    landcover=None,
    landcover_mapping="nlcd",
    overlap: str = "priority",
    overlap_tolerance_m2: float = 1.0,
    thresholds: Thresholds | None = None,
    report: Report | None = None,
    **threshold_overrides,
) -> ClassifyResult:
    """Type every grid and record the evidence and the rule that decided.

    Parameters
    ----------
    grids : GeoDataFrame
        Any polygon layer (not only Grid Planner grids), in any CRS with a definition.
    landuse : GeoDataFrame, optional
        Land-use polygons. ``class_field`` is the field holding the class (``landuse``, ``DLBM`` …) or
        a list of OSM tag fields tried in order (``["landuse", "natural", "leisure", …]``, the field
        name being the key). ``key_field`` names a field holding the key instead (``source_key`` of
        prepared inputs).
    landuse_mapping : str, path or ClassMapping
        ``"osm_landuse"`` (default), ``"gbt21010"`` or a CSV path (see :mod:`.mapping_table`).
    water : GeoDataFrame, optional
        Water polygons, all counted as pond and water.
    buildings : GeoDataFrame, optional
        Building footprints; ``building_type_field`` read through ``building_mapping`` (without it,
        every building counts as housing); ``levels_field`` floors (missing → ``default_levels``).
    pois : GeoDataFrame, optional
        Points (polygons are reduced to a point inside); ``poi_kind_field`` read through
        ``poi_mapping`` for the crowded-place score.
    dem : str or list of str, optional
        Elevation raster path(s), any CRS (tiles are mosaicked); ``dem_z_factor`` metres per unit.
    landcover : str, optional
        Land-cover raster path, read through ``landcover_mapping`` (``"nlcd"`` default,
        ``"esa_worldcover"``, ``"clcd"`` or a CSV).
    overlap : {"priority", "union"}
        How overlapping land-use polygons are counted (see the module docstring).
    thresholds : Thresholds, optional
        The decision thresholds; single ones can be given as keywords (``mountain_slope_deg=20``).
    report : Report, optional
        Progress, warnings, cancellation.

    Returns
    -------
    ClassifyResult

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import box
    >>> grids = gpd.GeoDataFrame({"name": ["a", "b"]}, geometry=[box(0, 0, 100, 100), box(100, 0, 200, 100)],
    ...                          crs="EPSG:32650")
    >>> landuse = gpd.GeoDataFrame({"DLBM": ["0301", "0702"]}, geometry=[box(0, 0, 100, 100), box(100, 0, 200, 100)],
    ...                            crs="EPSG:32650")
    >>> result = classify_grids(grids, landuse=landuse, class_field="DLBM", landuse_mapping="gbt21010")
    >>> result.grids[["name", "grid_type", "grid_type_zh", "rule"]].values.tolist()
    [['a', 'forest', '林地网格', 'land_use'], ['b', 'village', '村庄网格', 'settlement']]
    """
    report = report or Report()
    thresholds = replace(thresholds or Thresholds(), **threshold_overrides)
    thresholds.check()
    if overlap not in ("priority", "union"):
        raise InputError(N_("The overlap rule {value} is not known; use priority or union."), value=overlap)
    if grids is None or len(grids) == 0:
        raise InputError(N_("The grid layer is empty; choose a polygon layer with features."))
    if grids.crs is None:
        raise InputError(
            N_(
                "The grid layer has no coordinate reference system; set its CRS (Layer Properties ▸ Source) and run "
                "again."
            )
        )
    if all(x is None for x in (landuse, water, buildings, pois, dem, landcover)):
        raise InputError(
            N_(
                "Give at least one source of evidence: a land-use layer, water, buildings, POIs, a DEM or a land-cover "
                "raster."
            )
        )
    n = len(grids)
    crs = working_crs(grids)
    if not pyproj.CRS.from_user_input(grids.crs).is_projected:
        report.info(N_("The grids are in a geographic CRS; areas are measured in {crs}."), crs=crs.name)
    grid_geoms = _polygonal(_to_crs(grids[[grids.geometry.name]], crs, "grids").geometry.to_numpy(), "grids", report)
    grid_areas = shapely.area(grid_geoms)
    grid_areas = np.where(np.isfinite(grid_areas), grid_areas, 0.0)
    usable = grid_areas > 0
    if not usable.any():
        raise InputError(N_("The grid layer has no polygon with an area; choose a polygon layer."))
    if (~usable).any():
        report.warn(
            N_("{n} grids have no polygon area (empty or not polygons); they are classed unknown."),
            n=int((~usable).sum()),
        )
    safe_areas = np.where(usable, grid_areas, 1.0)
    geoms_for_query = np.where(usable, grid_geoms, None)
    k_land = len(LAND_CLASSES)
    land_index = {c: i for i, c in enumerate(LAND_CLASSES)}
    unknown_tables = []
    overlap_info = {"mode": overlap, "overlap_area_m2": 0.0}
    report.progress(2)

    # ---- land use (vector) -------------------------------------------------------------------------
    land_area = np.zeros((n, k_land))
    has_landuse = landuse is not None or water is not None
    if has_landuse:
        piece_geoms, piece_class, piece_rank_priority = [], [], []
        if landuse is not None:
            if len(landuse) == 0:
                report.warn(N_("The land-use layer is empty; it adds no evidence."))
            else:
                if class_field is None:
                    raise InputError(N_("Choose the class field of the land-use layer."))
                mapping = load_mapping(landuse_mapping)
                lu = _to_crs(landuse, crs, "land use")
                keys, values = _keys_and_values(lu, class_field, key_field, "land use")
                types, priorities, _ = _lookup_all(mapping, keys, values)
                no_value = pd.isna(values)
                if no_value.any():
                    report.info(
                        N_("{n} land-use features have no class value; they were skipped."), n=int(no_value.sum())
                    )
                geoms = _polygonal(lu.geometry.to_numpy(), "land use", report)
                unmapped = ~no_value & pd.isna(types)
                unknown_tables.append(
                    _unknown_table("landuse", keys, values, unmapped & ~shapely.is_missing(geoms), shapely.area(geoms))
                )
                types = np.where(unmapped | (types == "mixed"), "unknown", types)
                use = ~no_value & (types != IGNORE) & ~shapely.is_missing(geoms)
                piece_geoms.append(geoms[use])
                piece_class.append(np.array([land_index[t] for t in types[use]], dtype=np.int64))
                piece_rank_priority.append(priorities[use])
        if water is not None and len(water):
            w = _to_crs(water, crs, "water")
            geoms = _polygonal(w.geometry.to_numpy(), "water", report)
            geoms = geoms[~shapely.is_missing(geoms)]
            piece_geoms.append(geoms)
            piece_class.append(np.full(len(geoms), land_index["water"], dtype=np.int64))
            piece_rank_priority.append(np.full(len(geoms), float(DEFAULT_PRIORITY["water"])))
        if piece_geoms:
            geoms = np.concatenate(piece_geoms)
            classes = np.concatenate(piece_class)
            priority = np.concatenate(piece_rank_priority)
            # Only the land that meets a grid matters.
            tree = shapely.STRtree(geoms)
            pair_grid, pair_land = tree.query(geoms_for_query, predicate="intersects")
            near = np.unique(pair_land)
            geoms, classes, priority = geoms[near], classes[near], priority[near]
            pairs = (pair_grid, np.searchsorted(near, pair_land))
            report.progress(10)
            if len(geoms):
                areas = shapely.area(geoms)
                # rank: higher priority first, then the smaller polygon, then input order
                ranks = np.empty(len(geoms), dtype=np.int64)
                ranks[np.lexsort((np.arange(len(geoms)), areas, -priority))] = np.arange(len(geoms))
                geoms, removed = _resolve_overlaps(geoms, ranks, classes, overlap, overlap_tolerance_m2, report)
                overlap_info["overlap_area_m2"] = removed
                if removed > 0:
                    report.info(
                        N_("Overlapping land-use polygons: {area} ha of overlap counted once ({mode} rule)."),
                        area=round(removed / 1e4, 2),
                        mode=overlap,
                    )
                report.progress(35)
                report.check_cancelled()
                land_area, _, _, _ = _overlay_areas(geoms_for_query, grid_areas, geoms, classes, k_land, pairs=pairs)
        report.progress(55)
    land_share_vector = land_area / safe_areas[:, None]
    if overlap == "priority":
        land_share_vector = np.minimum(land_share_vector, 1.0)
    vector_cover = np.minimum(land_share_vector.sum(axis=1), 1.0)

    # ---- land cover (raster) -----------------------------------------------------------------------
    land_share = land_share_vector.copy()
    if landcover is not None:
        mapping = load_mapping(landcover_mapping)
        values, value_share, names = zonal_classes(geoms_for_query, crs, safe_areas, landcover, report=report)
        cover_share = np.zeros((n, k_land))
        unmapped_rows = []
        for j, value in enumerate(values.tolist()):
            row = None
            if value in names:
                row = mapping.lookup(names[value])
            if row is None:
                row = mapping.lookup(value)
            if row is None:
                unmapped_rows.append(
                    {
                        "source": "landcover",
                        "key": "",
                        "value": f"{value}" + (f" ({names[value]})" if value in names else ""),
                        "features": int(np.count_nonzero(value_share[:, j])),
                        "area_m2": float((value_share[:, j] * safe_areas).sum()),
                    }
                )
                cls = "unknown"
            else:
                cls = row.grid_type
            if cls == IGNORE:
                continue
            cover_share[:, land_index[cls]] += value_share[:, j]
        if unmapped_rows:
            unknown_tables.append(pd.DataFrame(unmapped_rows))
        total = cover_share.sum(axis=1)
        scale = np.where(total > 1.0, 1.0 / np.maximum(total, 1e-12), 1.0)
        cover_share *= scale[:, None]
        # The raster fills what the land-use polygons leave uncovered.
        land_share = land_share_vector + (1.0 - vector_cover)[:, None] * cover_share
        report.progress(65)
    land_cover_total = np.minimum(land_share.sum(axis=1), 1.0) if overlap == "priority" else land_share.sum(axis=1)

    # ---- buildings ---------------------------------------------------------------------------------
    building_idx = {c: i for i, c in enumerate(BUILDING_CLASSES)}
    k_b = len(BUILDING_CLASSES)
    floor = np.zeros((n, k_b))
    footprint = np.zeros((n, k_b))
    village_settlement_floor = np.zeros(n)  # housing floor area in settlements of village size
    n_buildings = np.zeros(n, dtype=np.int64)
    if buildings is not None and len(buildings):
        b = _to_crs(buildings, crs, "buildings")
        geoms = _polygonal(b.geometry.to_numpy(), "buildings", report)
        if building_type_field:
            _require_field(b, building_type_field, "buildings")
            mapping = load_mapping(building_mapping)
            keys = np.full(len(b), None, dtype=object)
            values = b[building_type_field].map(_clean_value).to_numpy(dtype=object)
            types, _, _ = _lookup_all(mapping, keys, values)
            unmapped = pd.isna(types) & ~pd.isna(values)
            unknown_tables.append(_unknown_table("buildings", keys, values, unmapped, shapely.area(geoms)))
            types = np.where(pd.isna(types), "unknown", types)
            types = np.where(np.isin(types, BUILDING_CLASSES) | (types == IGNORE), types, "unknown")
        else:
            report.info(N_("No building type field: every building counts as housing."))
            types = np.full(len(b), "residential", dtype=object)
        if levels_field:
            _require_field(b, levels_field, "buildings")
            levels = pd.to_numeric(b[levels_field], errors="coerce").to_numpy(dtype=float, copy=True)
            bad = ~np.isnan(levels) & (levels <= 0)
            levels[bad | np.isnan(levels)] = thresholds.default_levels
        else:
            levels = np.full(len(b), thresholds.default_levels)
        use = ~shapely.is_missing(geoms) & (types != IGNORE)
        geoms, types, levels = geoms[use], types[use], levels[use]
        cls_idx = np.array([building_idx[t] for t in types], dtype=np.int64)
        if len(geoms):
            fp, gi, pi, area = _overlay_areas(geoms_for_query, grid_areas, geoms, cls_idx, k_b)
            footprint = fp
            floor = np.bincount(gi * k_b + cls_idx[pi], weights=area * levels[pi], minlength=n * k_b).reshape(n, k_b)
            small = _in_village_sized_settlement(geoms, types, thresholds)
            village_settlement_floor = np.bincount(gi, weights=area * levels[pi] * small[pi], minlength=n)
            # a building counts in the grid holding most of its footprint
            if gi.size:
                best = (
                    pd.DataFrame({"g": gi, "p": pi, "a": area}).sort_values("a", ascending=False).drop_duplicates("p")
                )
                n_buildings = np.bincount(best["g"].to_numpy(), minlength=n)
        report.progress(75)
    floor_total = floor.sum(axis=1)
    floor_share = floor / np.where(floor_total > 0, floor_total, 1.0)[:, None]
    far = floor_total / safe_areas
    housing_floor = floor[:, building_idx["residential"]] + floor[:, building_idx["village"]]
    housing_fp = footprint[:, building_idx["residential"]] + footprint[:, building_idx["village"]]
    with np.errstate(invalid="ignore", divide="ignore"):
        housing_levels = np.where(housing_fp > 0, housing_floor / housing_fp, np.nan)
    housing_share = housing_floor / np.where(floor_total > 0, floor_total, 1.0)

    # ---- POIs --------------------------------------------------------------------------------------
    crowded_score = np.zeros(n)
    n_crowded = np.zeros(n, dtype=np.int64)
    if pois is not None and len(pois):
        p = _to_crs(pois, crs, "POIs")
        geoms = p.geometry.to_numpy()
        present = ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)
        not_points = present & (shapely.get_type_id(geoms) != 0)
        if not_points.any():
            geoms = geoms.copy()
            geoms[not_points] = shapely.point_on_surface(geoms[not_points])
        if poi_kind_field:
            _require_field(p, poi_kind_field, "POIs")
            mapping = load_mapping(poi_mapping)
            values = p[poi_kind_field].map(_clean_value).to_numpy(dtype=object)
            types, _, weights = _lookup_all(mapping, np.full(len(p), None, dtype=object), values)
            crowded = present & (types == "crowded")
        else:
            report.info(N_("No POI kind field: every POI counts as a crowded place with weight 1."))
            weights = np.ones(len(p))
            crowded = present
        if crowded.any():
            idx = np.flatnonzero(crowded)
            tree = shapely.STRtree(geoms[idx])
            gi, pi = tree.query(geoms_for_query, predicate="intersects")
            first = pd.DataFrame({"g": gi, "p": pi}).drop_duplicates("p")
            gi, pi = first["g"].to_numpy(), first["p"].to_numpy()
            crowded_score = np.bincount(gi, weights=weights[idx][pi], minlength=n)
            n_crowded = np.bincount(gi, minlength=n)
        report.progress(80)

    # ---- DEM ---------------------------------------------------------------------------------------
    dem_stats = None
    if dem is not None:
        dem_stats = zonal_dem(geoms_for_query, crs, safe_areas, dem, z_factor=dem_z_factor, report=report)
        report.progress(95)

    # ---- decide ------------------------------------------------------------------------------------
    t = thresholds
    decided = np.full(n, None, dtype=object)
    rules = np.full(n, None, dtype=object)
    params: list[dict | None] = [None] * n
    basis = np.full(n, "area", dtype=object)
    dominant = np.full(n, None, dtype=object)
    dominant_share = np.zeros(n)

    def pct(x):
        return round(float(x) * 100.0, 1)

    def assign(mask, code, rule, make_params, basis_value="area", cls_share=None):
        mask = mask & pd.isna(decided) & usable
        for i in np.flatnonzero(mask):
            c = str(code[i]) if isinstance(code, np.ndarray) else code
            decided[i] = c
            rules[i] = rule
            params[i] = make_params(i, c)
            basis[i] = basis_value
            if cls_share is not None:
                name, value = cls_share(i, c)
                dominant[i], dominant_share[i] = (None if name is None else str(name)), float(value)

    def area_dominant(i, c):
        j = int(np.argmax(land_share[i]))
        return LAND_CLASSES[j], land_share[i, j]

    # 1 site
    site_cols = [land_index[c] for c in SITE_CLASSES]
    site_best = np.array(SITE_CLASSES, dtype=object)[np.argmax(land_share[:, site_cols], axis=1)]
    site_value = land_share[:, site_cols].max(axis=1)
    assign(
        site_value >= t.site_share,
        site_best,
        "site",
        lambda i, c: {"cls": c, "pct": pct(site_value[i]), "min": pct(t.site_share)},
        cls_share=lambda i, c: (c, site_value[i]),
    )
    # 2 crowded POIs
    assign(
        (crowded_score >= t.crowded_min_score) & (crowded_score > 0),
        "crowded",
        "crowded_pois",
        lambda i, c: {"n": int(n_crowded[i]), "score": round(float(crowded_score[i]), 1), "min": t.crowded_min_score},
        cls_share=area_dominant,
    )
    # 3 village and 4 buildings
    built = (floor_total >= t.min_floor_area_m2) & (far >= t.min_built_far)
    rural = (floor[:, building_idx["village"]] >= floor[:, building_idx["residential"]]) & (housing_floor > 0)
    low_rise = (far <= t.village_max_far) & (np.nan_to_num(housing_levels, nan=np.inf) <= t.village_max_levels)
    rural |= low_rise & (village_settlement_floor >= 0.5 * housing_floor)
    assign(
        built & (housing_share >= t.building_share) & rural,
        "village",
        "village",
        lambda i, c: {
            "pct": pct(housing_share[i]),
            "far": round(float(far[i]), 3),
            "levels": round(float(housing_levels[i]), 1),
        },
        basis_value="floor",
        cls_share=lambda i, c: ("village", housing_share[i]),
    )
    merged_floor = floor_share.copy()
    merged_floor[:, building_idx["residential"]] += merged_floor[:, building_idx["village"]]
    merged_floor[:, building_idx["village"]] = 0.0
    merged_floor[:, building_idx["unknown"]] = 0.0
    b_best_idx = np.argmax(merged_floor, axis=1)
    b_best = np.array(BUILDING_CLASSES, dtype=object)[b_best_idx]
    b_value = merged_floor[np.arange(n), b_best_idx]
    assign(
        built & (b_value >= t.building_share),
        b_best,
        "buildings",
        lambda i, c: {"cls": c, "pct": pct(b_value[i]), "min": pct(t.building_share)},
        basis_value="floor",
        cls_share=lambda i, c: (c, b_value[i]),
    )
    # 5 water, tidal flat
    for code in ("water", "tidal_flat"):
        share = land_share[:, land_index[code]]
        assign(
            share >= t.dominant_share,
            code,
            "water",
            lambda i, c, share=share: {"cls": c, "pct": pct(share[i]), "min": pct(t.dominant_share)},
            cls_share=lambda i, c, share=share: (c, share[i]),
        )
    # 6 mountain
    if dem_stats is not None:
        slope = dem_stats["slope_mean_deg"].to_numpy()
        relief = dem_stats["relief_m"].to_numpy()
        steep = np.nan_to_num(slope, nan=-1) >= t.mountain_slope_deg
        high = np.nan_to_num(relief, nan=-1) >= t.mountain_relief_m
        assign(
            steep & high,
            "mountain",
            "mountain",
            lambda i, c: {
                "slope": round(float(slope[i]), 1),
                "relief": round(float(relief[i]), 0),
                "min_slope": t.mountain_slope_deg,
                "min_relief": t.mountain_relief_m,
            },
            cls_share=area_dominant,
        )
    # 7 land use by area, as shares of the grid's mapped land (settlement = residential + village land)
    mapped = np.maximum(land_cover_total, 1e-12)
    settle = (
        land_share / mapped[:, None]
        if overlap == "priority"
        else land_share / np.maximum(land_share.sum(axis=1), 1e-12)[:, None]
    )
    settle[:, land_index["residential"]] += settle[:, land_index["village"]]
    settle[:, land_index["village"]] = 0.0
    l_best_idx = np.argmax(settle, axis=1)
    l_value = settle[np.arange(n), l_best_idx]
    l_best = np.array(LAND_CLASSES, dtype=object)[l_best_idx]
    covered_enough = land_cover_total >= t.min_cover_share
    rural_land = np.where(
        floor_total > 0,
        rural,
        land_share[:, land_index["village"]] >= land_share[:, land_index["residential"]],
    )
    is_settlement = l_best == "residential"
    settlement_type = np.where(rural_land, "village", "residential")
    passes = covered_enough & (l_value >= t.dominant_share)
    assign(
        passes & is_settlement,
        settlement_type,
        "settlement",
        lambda i, c: {"cls": c, "pct": pct(l_value[i]), "far": round(float(far[i]), 3)},
        cls_share=lambda i, c: (c, l_value[i]),
    )
    assign(
        passes & (l_best == "unknown"),
        "unknown",
        "unmapped",
        lambda i, c: {"pct": pct(l_value[i])},
        cls_share=lambda i, c: ("unknown", l_value[i]),
    )
    assign(
        passes,
        l_best,
        "land_use",
        lambda i, c: {
            "cls": c,
            "pct": pct(l_value[i]),
            "cover": pct(min(land_cover_total[i], 1.0)),
            "min": pct(t.dominant_share),
        },
        cls_share=lambda i, c: (c, l_value[i]),
    )
    # 8 mixed, 9 no evidence
    assign(
        (land_cover_total > 0) & ~covered_enough & (floor_total < t.min_floor_area_m2),
        "unknown",
        "sparse",
        lambda i, c: {"cover": pct(land_cover_total[i]), "min": pct(t.min_cover_share)},
        cls_share=area_dominant,
    )
    evidence = (land_cover_total > 0) | (floor_total > 0) | (crowded_score > 0)
    assign(
        evidence,
        "mixed",
        "mixed",
        lambda i, c: {"cls": LAND_CLASSES[int(np.argmax(land_share[i]))], "pct": pct(land_share[i].max())},
        cls_share=area_dominant,
    )
    assign(np.ones(n, dtype=bool), "unknown", "no_data", lambda i, c: {}, cls_share=lambda i, c: (None, 0.0))
    for i in np.flatnonzero(pd.isna(decided)):  # grids without area
        decided[i], rules[i], params[i] = "unknown", "no_data", {}

    # ---- assemble ----------------------------------------------------------------------------------
    out = grids.copy()
    out["grid_type"] = decided.astype(str)
    out["grid_type_zh"] = [grid_type(c).zh for c in decided]
    out["grid_type_en"] = [grid_type(c).en for c in decided]
    out["rule"] = rules.astype(str)
    out["rule_text"] = [rule_text(r, p) for r, p in zip(rules, params)]
    out["dominant_class"] = dominant
    out["dominant_pct"] = np.round(dominant_share * 100.0, 1)
    out["dominant_basis"] = basis
    for code in LAND_CLASSES:
        out[f"area_pct_{code}"] = np.round(land_share[:, land_index[code]] * 100.0, 2)
    out["landuse_cover_pct"] = np.round(np.minimum(land_cover_total, 10.0) * 100.0, 2)
    for code in BUILDING_CLASSES:
        out[f"floor_pct_{code}"] = np.round(floor_share[:, building_idx[code]] * 100.0, 2)
    out["n_buildings"] = n_buildings.astype(np.int64)
    out["floor_area_m2"] = np.round(floor_total, 1)
    out["far"] = np.round(far, 4)
    out["housing_levels"] = np.round(housing_levels, 2)
    out["crowded_score"] = np.round(crowded_score, 2)
    out["n_crowded_pois"] = n_crowded.astype(np.int64)
    if dem_stats is not None:
        out["slope_mean_deg"] = np.round(dem_stats["slope_mean_deg"].to_numpy(), 2)
        out["relief_m"] = np.round(dem_stats["relief_m"].to_numpy(), 1)
        out["elev_mean_m"] = np.round(dem_stats["elev_mean_m"].to_numpy(), 1)
        out["dem_cover_pct"] = np.round(dem_stats["dem_cover_pct"].to_numpy(), 1)

    unknown_values = (
        pd.concat([u for u in unknown_tables if len(u)], ignore_index=True)
        if any(len(u) for u in unknown_tables)
        else pd.DataFrame(columns=["source", "key", "value", "features", "area_m2"])
    )
    for source, table in unknown_values.groupby("source", sort=False):
        listed = ", ".join(
            f"{(k + '=') if k else ''}{v} ({f})" for k, v, f in table[["key", "value", "features"]].head(12).values
        )
        report.warn(
            N_(
                "{n} {source} features have class values missing from the mapping table (value (count)): {values}. "
                "They are classed unknown, not dropped; add the values to a copy of the table to type them."
            ),
            n=int(table["features"].sum()),
            source=source,
            values=listed,
        )
    counts = out["grid_type"].value_counts().to_dict()
    report.progress(100)
    return ClassifyResult(
        grids=out,
        unknown_values=unknown_values,
        rule_params=params,
        counts=counts,
        thresholds=thresholds,
        overlap=overlap_info,
    )
