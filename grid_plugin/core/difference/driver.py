"""The difference principle (差异性原则): grids that fit the land — villages, specialised sites, open land.

A real subdistrict is not a uniform town. :func:`partition_by_type` recognises, from a building layer,
a land-use layer and points of interest, the parts of an area that planners grid differently, and
tiles the area with typed grids that keep every invariant of the partition engine (one piece each,
no gap, no overlap, no cut building, edges on roads, rivers and railways):

* **specialised sites** (专属网格: campus, hospital, school, market, station, industrial park, large
  enterprise) above a size threshold become their own grid (:mod:`.sites`);
* **natural villages** are found by proximity, one village one grid, split above the maximum load,
  hamlets merged into the nearest village (:mod:`.settlements`);
* **land with no households** (farmland, forest, water, hills, tidal flat) is attached to the village
  or residential territory of its block, or grouped into area grids (:mod:`.land`);
* the **remaining residential area** is partitioned at the household target by the partition engine.

Sites, villages, towns and open land are unions of the partition engine's atomic units and never cross
an expressway, trunk or primary road, river or railway (:mod:`.territories`); each type then follows
its row of the editable rule table (:mod:`.rules`, :mod:`.grids`), and the output is validated and
assessed on the four principles before it is returned (:mod:`.finish`).

Examples
--------
>>> rules = load_rules()
>>> rules.by_type("village").cluster_distance_m
80.0
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..assess.validate import parent_cut_mask
from ..classify.context import ContextSettings, rural_context_for
from ..errors import N_, InputError, Report
from ..partition.units import classify_barriers
from .finish import append_locked, code_grids, grid_attributes, self_check, whole_buildings, with_parent_codes
from .geometry import polygonal
from .grids import FLAG_REASONS, territory_grids
from .land import classify_land
from .rules import DEFAULT_RULES_PATH, LAND_MODES, LOAD_RULES, ROLES, GridRule, RuleTable, load_rules
from .settlements import cluster_buildings, find_settlements, load_values, merge_small_villages
from .sites import detect_sites
from .territories import major_lines, territories

__all__ = [
    "DEFAULT_RULES_PATH",
    "ROLES",
    "LOAD_RULES",
    "LAND_MODES",
    "FLAG_REASONS",
    "GridRule",
    "RuleTable",
    "load_rules",
    "cluster_buildings",
    "merge_small_villages",
    "detect_sites",
    "classify_land",
    "DifferenceResult",
    "partition_by_type",
]


@dataclass
class DifferenceResult:
    """Result of :func:`partition_by_type`.

    Attributes
    ----------
    grids : GeoDataFrame
        One row per grid: ``grid_id``, ``grid_code``, ``parent_code``, ``grid_type``, ``load``,
        ``n_buildings``, ``area_m2``, ``deviation_pct`` (household grids only), ``village_id``,
        ``site_name``, ``flag``, ``flag_reason``.
    villages : GeoDataFrame
        One row per natural village (hull of its buildings): ``village_id``, ``n_buildings``,
        ``households``, ``n_hamlets``.
    sites : GeoDataFrame
        The specialised sites found.
    building_grid : ndarray
        ``grid_id`` per input building (-1 outside the area).
    warnings : list
    building_village : ndarray
        ``village_id`` per input building (-1: not in a natural village: town, site, outside).
    validation : ValidationResult, optional
        The self-check of the output (:func:`grid_plugin.core.assess.validate.validate_plan`).
    scorecard : Scorecard, optional
        The four-principle assessment of the output.
    """

    grids: gpd.GeoDataFrame
    villages: gpd.GeoDataFrame
    sites: gpd.GeoDataFrame
    building_grid: np.ndarray
    warnings: list
    building_village: np.ndarray | None = None
    validation: object = None
    scorecard: object = None


@dataclass
class _Setup:
    """What every parent's step needs (inputs and settings of one run)."""

    buildings: gpd.GeoDataFrame
    barriers: object
    landuse: object
    pois: object
    water: object
    rules: RuleTable
    load_field: str
    loads: np.ndarray
    points: np.ndarray
    strong: np.ndarray
    weak: np.ndarray
    major: np.ndarray
    target: float
    tolerance: float
    village_distance_m: float
    urban_min_households: float
    land_mode: str
    land_max_area_m2: float | None
    seed: int
    partition_fn: object
    report: Report
    rural_context: object = None


def partition_by_type(
    area: gpd.GeoDataFrame,
    buildings: gpd.GeoDataFrame,
    barriers: gpd.GeoDataFrame | None = None,
    *,
    landuse: gpd.GeoDataFrame | None = None,
    pois: gpd.GeoDataFrame | None = None,
    water: gpd.GeoDataFrame | None = None,
    rules: RuleTable | str | Path | None = None,
    load_field: str = "households",
    parent_code_field: str | None = None,
    target_load: float | None = None,
    tolerance: float | None = None,
    village_distance_m: float | None = None,
    urban_min_households: float = 3000,
    land_mode: str = "attach",
    land_max_area_m2: float | None = None,
    seed: int = 0,
    code_prefix: str | tuple | None = None,
    locked: gpd.GeoDataFrame | None = None,
    locked_code_field: str = "grid_code",
    partition_fn=None,
    ur_code_field: str | None = None,
    context: ContextSettings | None = None,
    report: Report | None = None,
) -> DifferenceResult:
    """Tile ``area`` with typed grids following the difference principle.

    In each parent polygon of ``area``: specialised sites are found; the parent is cut into the partition
    engine's atomic units; buildings outside sites are clustered into natural villages and towns; each
    unit goes to the site, village or town whose buildings it holds (units without buildings join their
    neighbours inside their major block, or become open land in ``land_mode="area"``); a town (a cluster
    above ``urban_min_households``) is partitioned at the residential target, a village above its
    ``max_load`` at the village target, a site above its ``max_load`` at its target; open land and sites
    above their ``max_area_m2`` are split along units. Buildings are kept whole, grids are coded, and the
    output is validated (problems flag their grids) and assessed on the four principles (in the log).

    Parameters
    ----------
    area, buildings, barriers : GeoDataFrame
        In one metric CRS. ``buildings`` carries ``load_field`` and optionally ``building_type``.
        ``barriers`` are lines with an OSM class column (``highway``, ``waterway``, ``railway``…).
    landuse, pois, water : GeoDataFrame, optional
        Prepared layers (``landuse_class``, ``poi_kind``, ``name``).
    rules : RuleTable or path, optional
        Default: the shipped rule table.
    target_load, tolerance : float, optional
        Override the residential row's target and tolerance.
    village_distance_m : float, optional
        Override the village row's ``cluster_distance_m``.
    land_mode : {"attach", "area"}
        Attach open land to its settlement, or group it into area grids (``land_max_area_m2``
        overrides the land rows' ``max_area_m2``).
    parent_code_field, code_prefix : str, optional
        The parent codes of ``area`` and the county + township [+ community] codes that complete them;
        grids are coded parent (12 digits) + serial by :mod:`grid_plugin.core.partition.coding`.
    locked : GeoDataFrame, optional
        Grids kept exactly (e.g. locked grids of an existing plan); the rest is partitioned around them.
        They must not overlap. Their ``grid_type`` and ``locked_code_field`` are kept when present.
    partition_fn : callable, optional
        The household partition (default :func:`grid_plugin.core.partition.engine.partition`).
    ur_code_field : str, optional
        A field of ``area`` holding each parent's 城乡分类代码 (1xx urban, 2xx rural): villages only in
        rural parents. Without it (or where empty) the surroundings decide
        (:mod:`grid_plugin.core.classify.context`, ``context`` its distances and shares).
    """
    report = report or Report()
    if ur_code_field and ur_code_field not in area.columns:
        raise InputError(
            N_("The area layer has no field {field} (城乡分类代码); its fields are: {fields}."),
            field=ur_code_field,
            fields=", ".join(c for c in area.columns if c != area.geometry.name),
        )
    setup = _setup(
        area=area,
        buildings=buildings,
        barriers=barriers,
        landuse=landuse,
        pois=pois,
        water=water,
        rules=rules,
        load_field=load_field,
        target_load=target_load,
        tolerance=tolerance,
        village_distance_m=village_distance_m,
        urban_min_households=urban_min_households,
        land_mode=land_mode,
        land_max_area_m2=land_max_area_m2,
        seed=seed,
        partition_fn=partition_fn,
        report=report,
    )
    setup.rural_context = rural_context_for(
        landuse, water, buildings, context, extent=shapely.union_all(shapely.make_valid(area.geometry.values))
    )
    full_area = with_parent_codes(area.reset_index(drop=True), parent_code_field, code_prefix, report)
    area = _cut_locked(full_area, locked, locked_code_field, report)
    rows, parent_of_row, all_sites, all_villages, building_village = [], [], [], [], np.full(len(buildings), -1)
    village_offset = 0
    claimed = np.zeros(len(buildings), dtype=bool)
    for parent_idx in range(len(area)):
        report.check_cancelled()
        parent_code = area["_parent12"].iloc[parent_idx]
        ur_code = area[ur_code_field].iloc[parent_idx] if ur_code_field else None
        parent_rows, sites, villages, n_settlements = _parent_step(
            setup,
            shapely.make_valid(area.geometry.values[parent_idx]),
            claimed,
            village_offset,
            building_village,
            ur_code,
        )
        for row in parent_rows:
            row["parent_code"] = parent_code
        rows.extend(parent_rows)
        parent_of_row.extend([parent_idx] * len(parent_rows))
        all_sites.append(sites)
        if villages is not None:
            all_villages.append(villages)
        village_offset += n_settlements
        report.progress(10 + 70 * (parent_idx + 1) / max(len(area), 1))
    grids = _assemble(setup, rows, np.asarray(parent_of_row, dtype=np.int64), area)
    if locked is not None and len(locked):
        grids, _ = append_locked(
            grids, locked, locked_code_field, setup.points, setup.loads, np.full(len(buildings), -1)
        )
        grids["reasons"] = [r if isinstance(r, list) else [] for r in grids["reasons"]]
    grids, validation, card = self_check(
        grids,
        full_area,
        buildings,
        barriers,
        parents=full_area,  # named by code with a code field, else by number
        parent_code_field="_parent12" if parent_code_field else None,  # the 12-digit codes the grids extend
        target=setup.target,
        tolerance=setup.tolerance,
        report=report,
        rules=setup.rules,
    )
    return _result(setup, grids, all_sites, all_villages, building_village, full_area.crs, validation, card)


def _setup(
    *,
    area,
    buildings,
    barriers,
    landuse,
    pois,
    water,
    rules,
    load_field,
    target_load,
    tolerance,
    village_distance_m,
    urban_min_households,
    land_mode,
    land_max_area_m2,
    seed,
    partition_fn,
    report,
):
    """Check the inputs and settle the settings of the run."""
    if not isinstance(rules, RuleTable):
        rules = load_rules(rules)
    if land_mode not in LAND_MODES:
        raise InputError(
            N_("The land mode '{mode}' is unknown; use one of {modes}."), mode=land_mode, modes=", ".join(LAND_MODES)
        )
    _check_inputs(area, buildings)
    if partition_fn is None:
        from ..partition.engine import partition as partition_fn
    residential = rules.by_role("residential")[0]
    village_rule = (rules.by_role("village") or [None])[0]
    strong, weak = classify_barriers(barriers)
    return _Setup(
        buildings=buildings,
        barriers=barriers,
        landuse=landuse,
        pois=pois,
        water=water,
        rules=rules,
        load_field=load_field,
        loads=load_values(buildings, load_field),
        points=shapely.point_on_surface(buildings.geometry.values),
        strong=strong,
        weak=weak,
        major=major_lines(barriers),
        target=float(target_load or residential.target_load or 400),
        tolerance=float(tolerance if tolerance is not None else (residential.tolerance or 0.2)),
        village_distance_m=float(village_distance_m or (village_rule.cluster_distance_m if village_rule else 0) or 80),
        urban_min_households=float(urban_min_households),
        land_mode=land_mode,
        land_max_area_m2=land_max_area_m2,
        seed=int(seed),
        partition_fn=partition_fn,
        report=report,
    )


def _cut_locked(area, locked, locked_code_field, report):
    """The area minus the locked grids (refused when they overlap)."""
    if locked is None or not len(locked):
        return area
    from ..partition.regrid import check_locked_overlaps

    check_locked_overlaps(locked, locked_code_field if locked_code_field in locked.columns else None)
    locked_union = shapely.union_all(shapely.make_valid(locked.geometry.values))
    area = area.copy()
    area["geometry"] = [
        polygonal(shapely.difference(shapely.make_valid(g), locked_union)) for g in area.geometry.values
    ]
    report.info(
        N_("{n} locked grids are kept exactly; the rest of the area is partitioned around them."), n=len(locked)
    )
    return area[area.geometry.notna()].reset_index(drop=True)


def _parent_step(setup: _Setup, parent_geom, claimed, village_offset, building_village, ur_code=None):
    """Sites, settlements, territories and grid rows of one parent."""
    shapely.prepare(parent_geom)
    b_idx = np.flatnonzero(shapely.contains(parent_geom, setup.points) & ~claimed)
    claimed[b_idx] = True
    parent_buildings = setup.buildings.iloc[b_idx]
    rules = setup.rules
    sites = detect_sites(parent_geom, rules, landuse=setup.landuse, pois=setup.pois, buildings=parent_buildings)
    village_rule = (rules.by_role("village") or [None])[0]
    found_settlements = {}

    def settlement_of(outside_sites):
        found_settlements.update(
            find_settlements(
                parent_buildings.iloc[np.flatnonzero(outside_sites)],
                village_rule,
                load_field=setup.load_field,
                distance_m=setup.village_distance_m,
                urban_min_households=setup.urban_min_households,
                target=setup.target,
                tolerance=setup.tolerance,
                rural_of=lambda hulls: setup.rural_context.is_rural(hulls, [ur_code]),
            )
        )
        return found_settlements["settlement"]

    found = territories(
        parent_geom,
        setup.strong,
        setup.weak,
        setup.major,
        setup.points[b_idx],
        setup.loads[b_idx],
        sites.geometry.values if len(sites) else np.array([], dtype=object),
        settlement_of,
        rules=rules,
        landuse=setup.landuse,
        water=setup.water,
        land_mode=setup.land_mode,
        site_min_area_m2=_site_min_areas(sites, rules),
        report=setup.report,
    )
    if not found_settlements:
        found_settlements = {"kinds": np.array([], dtype=object), "frame": None}
    rows = territory_grids(
        found,
        parent_buildings,
        setup.loads[b_idx],
        setup.barriers,
        rules,
        target=setup.target,
        tolerance=setup.tolerance,
        land_max_area_m2=setup.land_max_area_m2,
        load_field=setup.load_field,
        seed=setup.seed,
        partition_fn=setup.partition_fn,
        sites=sites,
        settlements=found_settlements,
        village_offset=village_offset,
        crs=setup.buildings.crs,
        report=setup.report,
    )
    kinds = found_settlements["kinds"]
    settlement = found["settlement_of"]
    in_village = (settlement >= 0) & (kinds[np.maximum(settlement, 0)] == "village") if len(kinds) else settlement > 0
    building_village[b_idx[in_village]] = settlement[in_village] + village_offset
    villages = found_settlements["frame"]
    if villages is not None:
        villages = villages.assign(village_id=villages["village_id"] + village_offset)
    return rows, sites, villages, len(kinds)


def _site_min_areas(sites, rules) -> np.ndarray:
    """The minimum area of each site's rule (0 where its rule gives none)."""
    if not len(sites) or "grid_type" not in sites.columns:
        return np.zeros(len(sites))
    minimum = [getattr(rules.by_type(t), "min_site_area_m2", None) for t in sites["grid_type"]]
    return np.array([float(m) if m else 0.0 for m in minimum])


def _assemble(setup: _Setup, rows, parent_of_row, area) -> gpd.GeoDataFrame:
    """Grid frame of all rows: whole buildings, attributes and codes."""
    crs = area.crs
    grids = gpd.GeoDataFrame(rows, geometry="geometry", crs=crs)
    for column in ("village_id", "site_name", "parent_code"):
        if column not in grids.columns:
            grids[column] = None
    geoms = np.asarray(shapely.make_valid(grids.geometry.values), dtype=object)
    parents = np.asarray([shapely.make_valid(g) for g in area.geometry.values], dtype=object)
    geoms, n_repaired = whole_buildings(
        geoms,
        np.asarray(setup.buildings.geometry.values, dtype=object),
        setup.points,
        parent_of_row,
        parents,
        setup.report,
    )
    # a building the parent boundary cuts cannot be given whole (the self-check warns about it, naming the parents)
    n_repaired -= int(parent_cut_mask(setup.buildings.geometry.values, parents)[0].sum()) if len(parents) > 1 else 0
    if n_repaired > 0:
        setup.report.info(N_("{n} buildings crossed by a grid edge were given whole to one grid."), n=n_repaired)
    grids["geometry"] = geoms
    grids = grids[~grids.geometry.is_empty].reset_index(drop=True)
    grids = grid_attributes(grids, setup.points, setup.loads)
    grids = code_grids(grids, setup.report)
    grids["locked"] = False
    return grids


def _result(setup, grids, all_sites, all_villages, building_village, crs, validation, card) -> DifferenceResult:
    from ..partition.units import locate

    point_grid = locate(setup.points, grids.geometry.values)
    building_grid = np.where(point_grid >= 0, grids["grid_id"].to_numpy()[np.maximum(point_grid, 0)], -1)
    outside = int((building_grid < 0).sum())
    if outside:
        setup.report.warn(N_("{n} buildings lie outside the area and belong to no grid."), n=outside)
    sites = pd.concat(all_sites, ignore_index=True) if all_sites else gpd.GeoDataFrame(geometry=[], crs=crs)
    villages = (
        pd.concat(all_villages, ignore_index=True)
        if all_villages
        else gpd.GeoDataFrame({"village_id": []}, geometry=[], crs=crs)
    )
    setup.report.progress(100)
    return DifferenceResult(
        grids=grids,
        villages=gpd.GeoDataFrame(villages, geometry="geometry", crs=crs),
        sites=gpd.GeoDataFrame(sites, geometry="geometry", crs=crs),
        building_grid=building_grid,
        building_village=building_village,
        warnings=list(setup.report.warnings),
        validation=validation,
        scorecard=card,
    )


def _check_inputs(area, buildings) -> None:
    if area is None or not len(area):
        raise InputError(N_("The area layer is empty; choose a polygon layer with at least one feature."))
    if area.crs is not None and area.crs.is_geographic:
        raise InputError(
            N_(
                "The area layer is in a geographic CRS ({crs}); grids are measured in metres. Reproject it to a "
                "projected CRS (e.g. CGCS2000 / Gauss-Kruger, EPSG:4534–4554)."
            ),
            crs=area.crs.to_string(),
        )
    if buildings is not None and buildings.crs is not None and area.crs is not None and buildings.crs != area.crs:
        raise InputError(
            N_("The buildings ({b}) and the area ({a}) are in different CRSs; reproject them to one CRS."),
            b=buildings.crs.to_string(),
            a=area.crs.to_string(),
        )
