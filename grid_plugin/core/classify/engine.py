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
2. ``crowded_pois`` — crowded places (land use or buildings: stations, stadiums, markets, places of
   worship) cover at least ``crowded_min_share`` of the grid's area or floor area and the crowded-place
   POI score reaches ``crowded_min_score``; a few POIs alone are no evidence.
3. ``village`` — the grid is built up (floor area ≥ ``min_floor_area_m2`` and floor-area ratio ≥
   ``min_built_far``), housing holds at least ``building_share`` of the floor area, the housing is
   rural in kind (typed as farm/rural houses, or low-rise: ≤ ``village_max_levels`` floors on average
   at a floor-area ratio ≤ ``village_max_far``) *and its settlement is rural*
   (:mod:`.context`, the rule partitionbytype shares: the parent's 城乡分类代码, else farmland, forest
   or open land around the settlement the grid's housing belongs to — housing linked footprint to
   footprint within ``settlement_link_m`` — and that settlement holds at most ``village_max_buildings``
   housing buildings). Low-rise housing in a town is residential.
4. ``buildings`` — built up, and one building class (housing → residential, shops and offices →
   commercial, factories and warehouses → industrial, schools/hospitals/offices of institutions →
   enterprise, stations/stadiums/places of worship → crowded) holds at least ``building_share`` of the
   floor area.
5. ``water`` — pond and water (or tidal flat) cover at least ``dominant_share`` of the grid.
6. ``mountain`` — mean slope ≥ ``mountain_slope_deg`` and relief ≥ ``mountain_relief_m``.
7. ``land_use`` — one class covers at least ``dominant_share`` of the grid by area (residential and
   village land count together as settlement land, typed village or residential by the rural test);
   ``unmapped`` when that class is made of values missing from the mapping table (→ ``unknown``).
   A grid holding at least ``land_max_households_share`` × ``target_load`` households is never typed
   as land (water, mountain, farmland, forest …): it is a settlement (``populated``).
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
from dataclasses import asdict, dataclass, field, replace

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from ..errors import N_, InputError, Report
from ..grid_types import grid_type
from ..prepare.floors import DEFAULT_FLOORS
from .context import (
    LAND_MAX_HOUSEHOLDS_SHARE,
    VILLAGE_MAX_BUILDINGS,
    VILLAGE_MAX_LEVELS,
    ContextSettings,
    RuralContext,
    dense_housing,
    rural_from_code,
)
from .decide import SITE_CLASSES, decide
from .evidence import (
    BUILDING_CLASSES,
    LAND_CLASSES,
    Evidence,
    building_evidence,
    landcover_evidence,
    landuse_evidence,
    poi_evidence,
)
from .geometry import polygonal, to_crs, working_crs
from .raster_stats import zonal_dem

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
    "thresholds_dict",
]

#: Rule id → readable template (English; translated by the QGIS side). ``{cls}`` is a grid type code.
RULES: dict[str, str] = {
    "site": N_("{cls} covers {pct}% of the grid (site rule: at least {min}%)"),
    "crowded_pois": N_(
        "crowded places cover {pct}% of the grid and {n} crowded-place POIs score {score} (crowded rule: at "
        "least {min_pct}% and a score of {min})"
    ),
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
    "populated": N_(
        "{land} land by area, but {households} households live here (at least {min} make a settlement); its "
        "housing is {cls}"
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
    "rural_context": "农村环境",
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
    crowded_min_share: float = 0.25
    min_floor_area_m2: float = 2000.0
    min_built_far: float = 0.01
    village_max_far: float = 0.3
    village_max_levels: float = VILLAGE_MAX_LEVELS
    mountain_slope_deg: float = 15.0
    mountain_relief_m: float = 50.0
    default_levels: float = DEFAULT_FLOORS
    village_max_buildings: float = float(VILLAGE_MAX_BUILDINGS)
    target_load: float = 400.0
    land_max_households_share: float = LAND_MAX_HOUSEHOLDS_SHARE

    def check(self) -> None:
        """Raise InputError for an impossible threshold."""
        for name in ("site_share", "dominant_share", "building_share", "min_cover_share", "crowded_min_share"):
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
            "village_max_buildings",
            "target_load",
            "land_max_households_share",
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
    for key in ("cls", "land"):
        if key in values:
            t = grid_type(values[key])
            values[key] = t.zh.removesuffix("网格") if str(lang).lower().startswith("zh") else t.en.lower()
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return RULES[rule].format(**values)


# --------------------------------------------------------------------------------------------------
# The classifier


def _check(grids, overlap, sources) -> None:
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
    if all(x is None for x in sources):
        raise InputError(
            N_(
                "Give at least one source of evidence: a land-use layer, water, buildings, POIs, a DEM or a land-cover "
                "raster."
            )
        )


def _grid_evidence(grids, report) -> Evidence:
    """The grids in the working CRS, their areas and which of them have an area."""
    crs = working_crs(grids)
    if not pyproj.CRS.from_user_input(grids.crs).is_projected:
        report.info(N_("The grids are in a geographic CRS; areas are measured in {crs}."), crs=crs.name)
    geoms = polygonal(to_crs(grids[[grids.geometry.name]], crs, "grids").geometry.to_numpy(), "grids", report)
    areas = shapely.area(geoms)
    areas = np.where(np.isfinite(areas), areas, 0.0)
    usable = areas > 0
    if not usable.any():
        raise InputError(N_("The grid layer has no polygon with an area; choose a polygon layer."))
    if (~usable).any():
        report.warn(
            N_("{n} grids have no polygon area (empty or not polygons); they are classed unknown."),
            n=int((~usable).sum()),
        )
    return Evidence(n=len(grids), crs=crs, geoms=geoms, areas=np.where(usable, areas, 1.0), usable=usable)


def _grid_ur_codes(grids, ev, parents, ur_code_field):
    """The 城乡分类代码 of each grid: its own field, or that of the parent holding its inside point."""
    if not ur_code_field:
        return None
    source = grids if parents is None else parents
    if ur_code_field not in source.columns:
        raise InputError(
            N_("The layer {layer} has no field {field}; choose one of: {fields}."),
            layer="parents" if parents is not None else "grids",
            field=ur_code_field,
            fields=", ".join(str(c) for c in source.columns if c != source.geometry.name),
        )
    if parents is None:
        return grids[ur_code_field].tolist()
    parent_geoms = to_crs(parents, ev.crs, "parents").geometry.values
    points = np.where(ev.usable, ev.geoms, None)
    present = np.array([g is not None for g in points])
    codes = [None] * ev.n
    inside = shapely.point_on_surface(points[present])
    grid_idx, parent_idx = shapely.STRtree(parent_geoms).query(inside, predicate="within")
    rows = np.flatnonzero(present)
    for g, p in zip(grid_idx, parent_idx):
        codes[rows[g]] = parents[ur_code_field].iloc[p]
    return codes


def _rural(ev, ur_codes, context, max_buildings, dominant_share) -> np.ndarray:
    """The rural context of every grid: its parent's code, else the surroundings of its main settlement
    (or of the grid itself where it holds no housing); a settlement above ``max_buildings`` housing
    buildings is a town, and one of apartment blocks (:func:`.context.dense_housing`) urban housing,
    whatever surrounds them."""
    land_geoms, land_types = ev.context_land
    rural_context = RuralContext.from_frames(
        landuse_geoms=land_geoms,
        landuse_types=land_types,
        building_geoms=[] if ev.building_geoms is None else ev.building_geoms,
        settings=context,
        extent=shapely.union_all(shapely.make_valid(np.asarray(ev.geoms, dtype=object))),
    )
    known = [rural_from_code(c) for c in (ur_codes or [None] * ev.n)]
    rural = np.array([bool(k) for k in known], dtype=bool)
    open_grids = np.array([k is None for k in known], dtype=bool) & ev.usable
    by_settlement = open_grids & (ev.grid_settlement >= 0)
    if by_settlement.any():
        needed = np.unique(ev.grid_settlement[by_settlement])
        open_around = rural_context.is_rural([ev.settlement_hulls[s] for s in needed])
        village_sized = ev.settlement_sizes[needed] <= max_buildings
        low_rise = ~dense_housing(ev.settlement_households[needed], ev.settlement_sizes[needed])
        settlement_rural = dict(zip(needed.tolist(), open_around & village_sized & low_rise))
        rural[by_settlement] = [settlement_rural[s] for s in ev.grid_settlement[by_settlement]]
    # without housing, only a grid of settlement land that is mostly village land asks (rule 7)
    ls, res, vil = ev.land_share, LAND_CLASSES.index("residential"), LAND_CLASSES.index("village")
    settlement_land = (ls[:, res] + ls[:, vil]) / np.maximum(ev.land_cover_total, 1e-12) >= dominant_share
    village_land = (ls[:, vil] > 0) & (ls[:, vil] >= ls[:, res]) & settlement_land
    by_grid = open_grids & (ev.grid_settlement < 0) & village_land
    if by_grid.any():
        rural[by_grid] = rural_context.is_rural(ev.geoms[by_grid])
    return rural


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
    households_field: str | None = None,
    building_mapping="osm_buildings",
    pois: gpd.GeoDataFrame | None = None,
    poi_kind_field: str | None = None,
    poi_mapping="osm_pois",
    dem=None,
    dem_z_factor: float = 1.0,
    landcover=None,
    landcover_mapping="nlcd",
    parents: gpd.GeoDataFrame | None = None,
    ur_code_field: str | None = None,
    context: ContextSettings | None = None,
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
        every building counts as housing); ``levels_field`` floors (missing → ``default_levels``, the
        floors default estimatehouseholds shares); ``households_field`` households (a grid holding many
        is no land grid).
    pois : GeoDataFrame, optional
        Points (polygons are reduced to a point inside); ``poi_kind_field`` read through
        ``poi_mapping`` for the crowded-place score.
    dem : str or list of str, optional
        Elevation raster path(s), any CRS (tiles are mosaicked); ``dem_z_factor`` metres per unit.
    landcover : str, optional
        Land-cover raster path, read through ``landcover_mapping`` (``"nlcd"`` default,
        ``"esa_worldcover"``, ``"clcd"`` or a CSV).
    parents, ur_code_field : optional
        The 城乡分类代码 (1xx urban, 2xx rural) of each grid: ``ur_code_field`` of the parent polygon
        holding the grid, or of the grid itself without ``parents``. Without a code the surroundings
        decide (``context``: :class:`.context.ContextSettings`).
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
    _check(grids, overlap, (landuse, water, buildings, pois, dem, landcover))
    ev = _grid_evidence(grids, report)
    ev.overlap = {"mode": overlap, "overlap_area_m2": 0.0}
    report.progress(2)
    landuse_evidence(
        ev, landuse, water, class_field=class_field, key_field=key_field, landuse_mapping=landuse_mapping,
        overlap=overlap, tolerance_m2=overlap_tolerance_m2, report=report,
    )  # fmt: skip
    landcover_evidence(ev, landcover, landcover_mapping, overlap, report)
    building_evidence(
        ev, buildings, building_type_field=building_type_field, levels_field=levels_field,
        building_mapping=building_mapping, households_field=households_field,
        default_floors=thresholds.default_levels, settlement_link_m=(context or ContextSettings()).settlement_link_m,
        report=report,
    )  # fmt: skip
    poi_evidence(ev, pois, poi_kind_field, poi_mapping, report)
    if dem is not None:
        ev.dem = zonal_dem(ev.query_geoms, ev.crs, ev.areas, dem, z_factor=dem_z_factor, report=report)
        report.progress(95)
    ur_codes = _grid_ur_codes(grids, ev, parents, ur_code_field)
    ev.rural = _rural(ev, ur_codes, context, thresholds.village_max_buildings, thresholds.dominant_share)
    decision, measures = decide(ev, thresholds, overlap)
    out = _assemble(grids, ev, decision, measures)
    unknown_values = _report_unknown(ev.unknown_tables, report)
    report.progress(100)
    return ClassifyResult(
        grids=out,
        unknown_values=unknown_values,
        rule_params=decision.params,
        counts=out["grid_type"].value_counts().to_dict(),
        thresholds=thresholds,
        overlap=ev.overlap,
    )


def _assemble(grids, ev, d, m) -> gpd.GeoDataFrame:
    """The input grids with the type, rule, evidence shares and measures appended."""
    out = grids.copy()
    out["grid_type"] = d.types.astype(str)
    out["grid_type_zh"] = [grid_type(c).zh for c in d.types]
    out["grid_type_en"] = [grid_type(c).en for c in d.types]
    out["rule"] = d.rules.astype(str)
    out["rule_text"] = [rule_text(r, p) for r, p in zip(d.rules, d.params)]
    out["dominant_class"] = d.dominant
    out["dominant_pct"] = np.round(d.dominant_share * 100.0, 1)
    out["dominant_basis"] = d.basis
    for j, code in enumerate(LAND_CLASSES):
        out[f"area_pct_{code}"] = np.round(ev.land_share[:, j] * 100.0, 2)
    out["landuse_cover_pct"] = np.round(np.minimum(ev.land_cover_total, 10.0) * 100.0, 2)
    for j, code in enumerate(BUILDING_CLASSES):
        out[f"floor_pct_{code}"] = np.round(m.floor_share[:, j] * 100.0, 2)
    out["n_buildings"] = ev.n_buildings.astype(np.int64)
    out["floor_area_m2"] = np.round(m.floor_total, 1)
    out["far"] = np.round(m.far, 4)
    out["housing_levels"] = np.round(m.housing_levels, 2)
    out["crowded_score"] = np.round(ev.crowded_score, 2)
    out["n_crowded_pois"] = ev.n_crowded.astype(np.int64)
    out["rural_context"] = ev.rural.astype(bool)
    if ev.dem is not None:
        for column, digits in (("slope_mean_deg", 2), ("relief_m", 1), ("elev_mean_m", 1), ("dem_cover_pct", 1)):
            out[column] = np.round(ev.dem[column].to_numpy(), digits)
    return out


def _report_unknown(tables, report) -> pd.DataFrame:
    """Class values missing from the mapping tables: one warning per source, the table returned."""
    found = [u for u in tables if len(u)]
    unknown_values = (
        pd.concat(found, ignore_index=True)
        if found
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
    return unknown_values


def thresholds_dict(thresholds: Thresholds) -> dict:
    """The thresholds as a plain dict (for logs and reports)."""
    return asdict(thresholds)
