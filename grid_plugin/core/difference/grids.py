"""From territories to grids: each type follows its rule in the rule table.

* a **town** (all residential territories of a parent together) is partitioned at the household target
  by the partition engine;
* a **village** is one grid, split by the partition engine at the village target above the village
  rule's ``max_load``; a village below its target stays whole and is flagged with that reason;
* a **site** is one grid; above its rule's ``max_load`` it is split along its internal roads by the
  partition engine at the rule's ``target_load`` (flagged when it cannot be split); without a maximum
  it stays whole whatever the load, and is flagged when that load is above the household range; above
  its ``max_area_m2`` it is split into area pieces along its units;
* **open land** is one grid, split along its units into pieces of at most ``max_area_m2``.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..classify.context import populated
from ..errors import N_
from .land import split_by_area

__all__ = ["FLAG_REASONS", "territory_grids", "merge_empty_islands"]

#: Why a grid of partitionbytype is flagged (English; the processing layer translates them).
FLAG_REASONS = {
    "village_below": N_("natural village below the village target, kept whole (one village, one grid)"),
    "village_above": N_("natural village above the village target but not above its maximum, kept whole"),
    "site_whole": N_("site kept whole by its rule whatever the load"),
    "site_unsplit": N_("site above its maximum load with no internal line to split it along"),
    "area_above": N_("grid area above the maximum of its type"),
    "multipart": N_("grid in several parts"),
    "hole": N_("grid with a hole no other grid fills"),
    "cut_building": N_("building cut by the grid edge"),
    "overlap": N_("grid overlaps another grid"),
    "gap": N_("gap along the grid edge"),
    "crosses_parent": N_("grid crosses its parent boundary"),
    "invalid_geometry": N_("invalid geometry"),
    "duplicate_code": N_("duplicate code"),
    "outside_area": N_("grid reaches outside the area"),
}


def _partition_rows(partition_fn, geometry, buildings, barriers, *, load_field, target, tolerance, seed, crs, base):
    """Rows of the partition engine's grids of ``geometry`` (empty pockets merged into a neighbour)."""
    geometry = list(geometry) if isinstance(geometry, list) else [geometry]
    area = gpd.GeoDataFrame({"part": np.arange(len(geometry))}, geometry=geometry, crs=crs)
    result = partition_fn(
        area, buildings, barriers, load_field=load_field, target_load=target, tolerance=tolerance, seed=seed
    )
    rows = []
    for grid in merge_empty_islands(result.grids).itertuples():
        reason = getattr(grid, "flag_reason", None)
        rows.append({**base, "geometry": grid.geometry, "target": target, "reasons": [reason] if reason else []})
    return rows


def territory_grids(
    found,
    buildings,
    loads,
    barriers,
    rules,
    *,
    target,
    tolerance,
    land_max_area_m2,
    load_field,
    seed,
    partition_fn,
    sites,
    settlements,
    village_offset,
    crs,
    report,
):
    """Grid rows of one parent's territories (see the module docstring).

    Parameters
    ----------
    found : dict
        The result of :func:`.territories.territories`.
    buildings : GeoDataFrame
        The parent's buildings (aligned with ``loads`` and ``found["point_unit"]``).
    sites : GeoDataFrame
        The parent's sites (``grid_type``, ``name``).
    settlements : dict
        :func:`.settlements.find_settlements` of the parent's buildings outside sites.

    Returns
    -------
    list of dict
        ``geometry``, ``grid_type``, ``target``, ``reasons`` (flag reasons), ``village_id``, ``site_name``.
    """
    units, adjacency = found["units"], found["adjacency"]
    point_unit = found["point_unit"]
    unit_territory = np.full(len(units), -1, dtype=np.int64)
    for t, territory in enumerate(found["territories"]):
        unit_territory[territory.units] = t
    point_territory = np.where(point_unit >= 0, unit_territory[np.maximum(point_unit, 0)], -1)
    territory_load = np.bincount(
        point_territory[point_territory >= 0], weights=loads[point_territory >= 0], minlength=len(found["territories"])
    )
    village_rule = (rules.by_role("village") or [None])[0]
    common = {"load_field": load_field, "seed": seed, "crs": crs}
    rows, towns = [], []
    for t, territory in enumerate(found["territories"]):
        report.check_cancelled()
        load = float(territory_load[t])
        inside = buildings.iloc[np.flatnonzero(point_territory == t)]
        if territory.kind == "site":
            site = sites.iloc[territory.key]
            base = {"grid_type": site["grid_type"], "site_name": site["name"], "village_id": None}
            rows.extend(
                _site_rows(
                    territory,
                    base,
                    load,
                    inside,
                    barriers,
                    rules,
                    adjacency,
                    units,
                    target,
                    tolerance,
                    partition_fn,
                    common,
                )
            )
        elif territory.kind == "settlement":
            kind = settlements["kinds"][territory.key]
            if kind == "residential":
                towns.append(t)
                continue
            base = {"grid_type": kind, "site_name": None, "village_id": int(territory.key) + village_offset}
            rows.extend(
                _village_rows(
                    territory, base, load, inside, barriers, village_rule, target, tolerance, partition_fn, common
                )
            )
        elif populated(load, target):  # households make it no land grid: partitioned with the towns
            towns.append(t)
        else:
            rule = rules.by_type(territory.key)
            max_area = land_max_area_m2 or (rule.max_area_m2 if rule is not None else None)
            base = {"grid_type": territory.key, "site_name": None, "village_id": None}
            rows.extend(_area_rows(territory, base, max_area, adjacency, units, seed))
    if towns:
        # the town territories of a parent are partitioned together by the partition engine, as
        # gridplanner:partition partitions a parent: its grids end on strong barriers where the balance
        # allows and may cross one where it does not (sites, villages and land never do)
        geometry = shapely.union_all([found["territories"][t].geometry for t in towns])
        inside = buildings.iloc[np.flatnonzero(np.isin(point_territory, towns))]
        base = {"grid_type": "residential", "site_name": None, "village_id": None}
        rows.extend(
            _partition_rows(
                partition_fn, geometry, inside, barriers, target=target, tolerance=tolerance, base=base, **common
            )
        )
    return rows


def _site_rows(
    territory, base, load, inside, barriers, rules, adjacency, units, target, tolerance, partition_fn, common
):
    rule = rules.by_type(base["grid_type"])
    site_target = float(rule.target_load or target) if rule is not None else target
    site_tolerance = float(rule.tolerance if rule is not None and rule.tolerance is not None else tolerance)
    if rule is not None and rule.max_load and load > rule.max_load:
        rows = _partition_rows(
            partition_fn,
            territory.geometry,
            inside,
            barriers,
            target=site_target,
            tolerance=site_tolerance,
            base=base,
            **common,
        )
        if len(rows) == 1:
            rows[0]["reasons"].append(FLAG_REASONS["site_unsplit"])
        return rows
    max_area = rule.max_area_m2 if rule is not None else None
    rows = _area_rows(territory, base, max_area, adjacency, units, common["seed"])
    if len(rows) == 1 and load > site_target * (1 + site_tolerance):
        rows[0]["reasons"].append(FLAG_REASONS["site_whole"])
    return rows


def _village_rows(territory, base, load, inside, barriers, rule, target, tolerance, partition_fn, common):
    village_target = float(rule.target_load or target) if rule is not None else target
    village_tolerance = float(rule.tolerance if rule is not None and rule.tolerance is not None else tolerance)
    if base["grid_type"] == "village" and rule is not None and rule.max_load and load > rule.max_load:
        return _partition_rows(
            partition_fn,
            territory.geometry,
            inside,
            barriers,
            target=village_target,
            tolerance=village_tolerance,
            base=base,
            **common,
        )
    row = {
        **base,
        "geometry": territory.geometry,
        "target": village_target if base["grid_type"] == "village" else None,
        "reasons": [],
    }
    if base["grid_type"] == "village" and load < village_target * (1 - village_tolerance):
        row["reasons"].append(FLAG_REASONS["village_below"])
    elif base["grid_type"] == "village" and load > village_target * (1 + village_tolerance):
        row["reasons"].append(FLAG_REASONS["village_above"])
    return [row]


def _area_rows(territory, base, max_area, adjacency, units, seed):
    """One grid, or pieces of about ``max_area`` along the territory's units when it is 1.5 times larger."""
    geometry = territory.geometry
    if not max_area or shapely.area(geometry) <= 1.5 * max_area:
        return [{**base, "geometry": geometry, "target": None, "reasons": []}]
    members = territory.units
    sub = adjacency["length"][members][:, members]
    labels = split_by_area(units[members], sub, max_area, seed=seed)
    rows = []
    for k in np.unique(labels):
        part = shapely.union_all(units[members[labels == k]])
        reasons = [FLAG_REASONS["area_above"]] if shapely.area(part) > 1.5 * max_area else []
        rows.append({**base, "geometry": part, "target": None, "reasons": reasons})
    return rows


def merge_empty_islands(grids: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Merge grids without load into the sibling they share the longest edge with (inside one territory).

    The partition engine keeps a pocket of a territory without buildings as its own flagged grid; inside
    a village or town territory such a pocket simply belongs to its neighbour.
    """
    grids = grids.reset_index(drop=True)
    loads = pd.to_numeric(grids.get("load", pd.Series(np.ones(len(grids)))), errors="coerce").fillna(0).to_numpy()
    empty = np.flatnonzero(loads <= 0)
    if not len(empty) or len(empty) == len(grids):
        return grids
    geoms = np.asarray(grids.geometry.values, dtype=object).copy()
    alive = np.ones(len(grids), dtype=bool)
    for i in empty:
        edge = shapely.boundary(geoms[i])
        near = shapely.intersects(edge, geoms)  # disjoint pairs: GEOS 3.11 warns "invalid value" on them
        shared = np.zeros(len(geoms))
        shared[near] = shapely.length(shapely.intersection(edge, geoms[near]))
        shared[i] = 0
        shared[~alive] = 0
        shared[empty] = 0
        j = int(np.argmax(shared))
        if shared[j] <= 0:
            continue
        geoms[j] = shapely.union(geoms[j], geoms[i])
        alive[i] = False
    out = grids.copy()
    out["geometry"] = geoms
    return out[alive].reset_index(drop=True)
