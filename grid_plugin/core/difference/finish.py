"""The last steps of partitionbytype: whole buildings, attributes, codes, locked grids and the self-check.

The self-check runs the validation of ``gridplanner:validate`` (:func:`grid_plugin.core.assess.validate.validate_plan`)
on the output and flags every grid it finds at fault, with the reason; an enclave (a grid whose hole
another grid fills exactly) is reported as such, never as a gap. Then the plan's four-principle verdicts
(:func:`grid_plugin.core.assess.scorecard.assess`) go to the log.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..errors import N_, InputError, Report
from ..partition.units import locate
from .grids import FLAG_REASONS

__all__ = ["whole_buildings", "grid_attributes", "with_parent_codes", "code_grids", "append_locked", "self_check"]


def whole_buildings(geoms, footprints, points, parent_of_grid, parents, report):
    """Give every building crossed by a grid edge wholly to the grid holding its representative point.

    Uses the partition engine's repair (the tiling stays exact), then gives detached slivers to the
    neighbour they share most boundary with. Returns the new geometries and the number repaired.
    """
    from ..partition.outlines import merge_detached_pieces, repair_footprints

    geoms = np.asarray(geoms, dtype=object)
    polygonal = np.isin(shapely.get_type_id(footprints), (3, 6))
    if not polygonal.any():
        return geoms, 0
    label = locate(points, geoms)
    footprints = np.where(polygonal, footprints, shapely.Polygon())
    geoms, n_repaired = repair_footprints(geoms, footprints, label, parent_of_grid, parents, report)
    geoms = merge_detached_pieces(geoms, parent_of_grid)
    return geoms, n_repaired


def grid_attributes(grids: gpd.GeoDataFrame, points, loads) -> gpd.GeoDataFrame:
    """Load, buildings, area, deviation from the target, compactness, flags; ids north→south, west→east."""
    geoms = grids.geometry.values
    point_grid = locate(points, geoms)
    inside = point_grid >= 0
    grids["load"] = np.bincount(point_grid[inside], weights=loads[inside], minlength=len(grids))
    grids["n_buildings"] = np.bincount(point_grid[inside], minlength=len(grids))
    grids["area_m2"] = shapely.area(geoms)
    target = pd.to_numeric(grids["target"], errors="coerce")
    grids["target_load"] = target
    grids["deviation_pct"] = 100.0 * (grids["load"] - target) / target
    perimeter = shapely.length(geoms)
    grids["polsby_popper"] = np.where(perimeter > 0, 4 * np.pi * grids["area_m2"] / np.maximum(perimeter, 1e-9) ** 2, 0)
    grids = grids.drop(columns=["target"])
    centroids = shapely.centroid(geoms)
    grids = grids.assign(_x=shapely.get_x(centroids), _y=-shapely.get_y(centroids)).sort_values(
        ["parent_code", "_y", "_x"], na_position="first"
    )
    grids = grids.drop(columns=["_x", "_y"]).reset_index(drop=True)
    grids.insert(0, "grid_id", np.arange(len(grids), dtype=np.int64))
    from ..grid_types import label

    grids["grid_type_zh"] = grids["grid_type"].map(lambda c: label(c, lang="zh"))
    return grids


def with_parent_codes(area, parent_code_field, code_prefix, report):
    """A copy of ``area`` with ``_parent12``: each feature's checked 12-digit parent code (:mod:`..partition.coding`).

    Malformed parent codes are refused before any work, naming the features.
    """
    from ..partition.coding import feature_prefixes, parent_prefixes, split_prefix

    county, township, community = split_prefix(code_prefix)
    if parent_code_field and parent_code_field not in area.columns:
        raise InputError(
            N_("The area layer has no field {field}; choose the field that holds the parent code."),
            field=parent_code_field,
        )
    area = area.copy()
    area["_parent12"] = (
        parent_prefixes(area[parent_code_field].tolist(), county, township, community, report=report)
        if parent_code_field
        else feature_prefixes(len(area), county, township, community, report=report)
    )
    return area


def code_grids(grids, report):
    """Code every grid with the shared coding module: its 12-digit ``parent_code`` + serial in reading order."""
    from ..partition.coding import assign_codes

    coded = assign_codes(grids, parent_code_field="parent_code", report=report)
    return coded.drop(columns=[c for c in ("serial",) if c in coded.columns])


def append_locked(grids, locked, code_field, building_points, loads, building_grid):
    """Add the locked grids unchanged; new grids whose code collides get a serial above every locked one."""
    from ..partition.regrid import highest_serials, next_serial_code

    kept = locked.copy()
    if code_field in kept.columns and code_field != "grid_code":
        kept = kept.rename(columns={code_field: "grid_code"})
    if "grid_code" not in kept.columns:
        kept["grid_code"] = [f"L{i + 1:03d}" for i in range(len(kept))]
    kept["grid_code"] = kept["grid_code"].astype(str)
    if "grid_type" not in kept.columns:
        kept["grid_type"] = "unknown"
    kept["locked"] = True
    geoms = kept.geometry.values
    b_idx, g_idx = shapely.STRtree(geoms).query(building_points, predicate="within")
    kept["load"] = np.bincount(g_idx, weights=loads[b_idx], minlength=len(kept))
    kept["n_buildings"] = np.bincount(g_idx, minlength=len(kept))
    kept["area_m2"] = shapely.area(geoms)
    start = int(grids["grid_id"].max()) + 1 if len(grids) else 0
    kept["grid_id"] = np.arange(start, start + len(kept))
    building_grid = building_grid.copy()
    building_grid[b_idx] = kept["grid_id"].to_numpy()[g_idx]
    taken = set(kept["grid_code"])
    highest = highest_serials(list(taken) + grids["grid_code"].astype(str).tolist())
    fixed = []
    for code in grids["grid_code"].astype(str):
        if code in taken:
            code = next_serial_code(code, highest)
        taken.add(code)
        fixed.append(code)
    grids = grids.assign(grid_code=fixed)
    columns = list(grids.columns)
    kept = kept[[c for c in kept.columns if c in columns or c == "geometry"]]
    merged = pd.concat([grids, kept], ignore_index=True)
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=grids.crs), building_grid


#: Problems of the validation that flag a grid (the others are reported in the log only).
_FLAGGING = (
    "invalid_geometry",
    "gap",
    "overlap",
    "outside_area",
    "crosses_parent",
    "cut_building",
    "multipart",
    "hole",
    "duplicate_code",
)


def self_check(
    grids, area, buildings, barriers, *, parents=None, parent_code_field=None, target, tolerance, report, rules=None
):
    """Validate the plan as ``gridplanner:validate`` does, flag every grid at fault, log the verdicts.

    Returns the grids with ``flag`` (0/1) and ``flag_reason`` (reasons joined by "; ") updated, and the
    validation result.
    """
    from ..assess.scorecard import PRINCIPLES, assess
    from ..assess.validate import MSG, validate_plan

    validation = validate_plan(
        grids,
        area,
        parents=parents,
        buildings=buildings,
        barriers=barriers,
        code_pattern=None,
        parent_code_field=parent_code_field,
        target_load=target,
        tolerance=tolerance,
        check_load=False,
        report=(checks := Report()),
    )
    for warning in checks.warnings:  # about the input (buildings the parent boundary cuts): to the log
        report.warn(warning.template, **warning.params)
    position = {str(g): i for i, g in enumerate(grids["grid_id"].tolist())}
    reasons = [list(r) for r in grids["reasons"]]
    n_enclaves = 0
    for problem in validation.problems.itertuples():
        if problem.kind not in _FLAGGING:
            continue
        ids = [position[g] for g in str(problem.grid_ids).split(", ") if g in position]
        if problem.kind == "hole" and problem.template == MSG["hole_enclave"]:
            n_enclaves += 1
            report.info(N_("Grid {grids} encloses grid {inner}: an enclave, not a gap."), **problem.params)
            continue
        report.warn(problem.template, **problem.params)
        for p in ids:
            if FLAG_REASONS[problem.kind] not in reasons[p]:
                reasons[p].append(FLAG_REASONS[problem.kind])
    grids = grids.drop(columns="reasons")
    grids["flag_reason"] = ["; ".join(r) for r in reasons]
    grids["flag"] = np.array([1 if r else 0 for r in reasons], dtype=np.int64)
    errors = int(sum(validation.counts.get(k, 0) for k in _FLAGGING)) - n_enclaves
    report.info(
        N_(
            "Self-check ({n} grids): {errors} problems of the validation, {enclaves} enclaves, {flagged} grids flagged."
        ),
        n=len(grids),
        errors=errors,
        enclaves=n_enclaves,
        flagged=int(grids["flag"].sum()),
    )
    card = assess(
        grids,
        area,
        buildings,
        barriers,
        target_load=target,
        tolerance=tolerance,
        evaluation=validation.evaluation,
        type_field="grid_type",
        n_parent_crossings=validation.counts.get("crosses_parent"),
        rules=rules,
        report=report,
    )
    for principle in PRINCIPLES:
        for template, params in card.verdicts[principle]["reasons"]:
            report.info(template, **params)
    return grids, validation, card
