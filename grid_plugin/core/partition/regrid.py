"""Stable re-gridding (稳定调整) and locked grids: change as little as possible when households change.

When the population of a subdistrict changes, planners re-grid it, but grid workers, signs and
registers are tied to grid codes, so a good re-grid keeps every grid that still fits:

1. every grid whose new load is within tolerance of the target (or that is locked) is **kept**:
   geometry and code unchanged;
2. the grids out of tolerance are grouped into connected groups (grids sharing an edge, within one
   parent); a lone out-of-tolerance grid that cannot be fixed alone borrows the one neighbour that
   makes the pair fixable;
3. only the union of each group changes: first by moving boundary units (the partition engine's
   atomic units of the union) between the group's own grids; when that cannot fix it, the union is
   re-partitioned into ``round(load / target)`` grids; the result replaces the group only when it is
   better;
4. new grids are matched to the old codes by the households they share (Hungarian assignment), so
   the fewest households change code; unmatched new grids get **new serials** above the highest
   serial ever used in their parent (including ``retired_codes``), and unmatched old grids are
   **retired**: a retired code is never reused.

The result is the new plan and a change table (kept / changed / new / retired, households moved).

Examples
--------
>>> next_serial_code("110101001002003", {"110101001002": 7})
'110101001002008'
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy import sparse
from scipy.optimize import linear_sum_assignment

from ..errors import N_, InputError, Report
from ..inputs import numeric_values
from .coding import CODE_DIGITS, check_grid_codes, serial_order
from .regrid_groups import adjust_by_moves, failing_groups, grid_adjacency, regrid_quality

__all__ = [
    "SERIAL_DIGITS",
    "graph_partitioner",
    "check_unique_codes",
    "check_locked_overlaps",
    "split_code",
    "next_serial_code",
    "highest_serials",
    "grid_adjacency",
    "assign_buildings",
    "partition_with_locked",
    "RegridResult",
    "regrid",
]

#: Width of the serial at the end of a grid code (GB/T 10114 / DB11/T 2157 layout: ... + 3-digit serial).
SERIAL_DIGITS = 3
#: Overlap (m²) between locked grids tolerated as digitising noise.
OVERLAP_TOLERANCE_M2 = 1.0


def graph_partitioner():
    """The partition engine's graph partitioner (:func:`.graph.partition_graph`)."""
    from .graph import partition_graph

    return partition_graph


def split_code(code: str, serial_digits: int = SERIAL_DIGITS) -> tuple[str, int | None]:
    """Split a grid code into (parent prefix, serial); serial None when the tail is not digits.

    >>> split_code("110101001002015")
    ('110101001002', 15)
    """
    code = str(code)
    tail = code[-serial_digits:]
    if len(code) > serial_digits and tail.isdigit():
        return code[:-serial_digits], int(tail)
    return code, None


def highest_serials(codes, serial_digits: int = SERIAL_DIGITS) -> dict[str, int]:
    """The highest serial used under each parent prefix among ``codes``."""
    out: dict[str, int] = {}
    for code in codes:
        prefix, serial = split_code(code, serial_digits)
        if serial is not None:
            out[prefix] = max(out.get(prefix, 0), serial)
    return out


def next_serial_code(sibling_code: str, highest: dict[str, int], serial_digits: int = SERIAL_DIGITS) -> str:
    """A new code next to ``sibling_code`` (same parent prefix), above every serial ever used; updates ``highest``."""
    prefix, serial = split_code(sibling_code, serial_digits)
    if serial is None:
        prefix = str(sibling_code) + "-"
    new = highest.get(prefix, 0) + 1
    highest[prefix] = new
    if new >= 10**serial_digits:
        raise InputError(
            N_(
                "The parent {prefix} has used every {digits}-digit serial; renumber the plan with "
                "gridplanner:assigncodes before re-gridding."
            ),
            prefix=prefix,
            digits=serial_digits,
        )
    return f"{prefix}{new:0{serial_digits}d}"


def check_unique_codes(plan: gpd.GeoDataFrame, code_field: str = "grid_code") -> None:
    """Raise when the plan has no code field, empty, repeated or non-15-digit codes (naming them).

    New grids get serials within the 12-digit parent their code starts with, so every code must have
    the one form of :mod:`.coding`.
    """
    if code_field not in plan.columns:
        raise InputError(
            N_("The plan has no field '{field}' with the grid codes; choose the code field or code the plan first."),
            field=code_field,
        )
    codes = plan[code_field]
    empty = int(codes.isna().sum() + (codes.astype(str).str.strip() == "").sum())
    if empty:
        raise InputError(
            N_("{n} grids of the plan have no code in '{field}'; code every grid (gridplanner:assigncodes) first."),
            n=empty,
            field=code_field,
        )
    counts = codes.astype(str).value_counts()
    repeated = counts[counts > 1]
    if len(repeated):
        shown = ", ".join(f"{c} (×{n})" for c, n in repeated.head(5).items())
        raise InputError(
            N_(
                "The grid codes of the plan are not unique: {codes}{more}. A code must name one grid; fix the "
                "repeated codes (or recode with gridplanner:assigncodes) and run again. Nothing was changed."
            ),
            codes=shown,
            more=" …" if len(repeated) > 5 else "",
        )
    check_grid_codes(codes)


def _is_grid_code(code: str) -> bool:
    return code.isdigit() and len(code) == CODE_DIGITS


def check_locked_overlaps(locked: gpd.GeoDataFrame, code_field: str | None = "grid_code") -> None:
    """Raise when locked grids overlap each other by more than 1 m² (naming the first pairs)."""
    geoms = locked.geometry.values
    if len(geoms) < 2:
        return
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    if not len(left):
        return
    overlap = shapely.area(shapely.intersection(geoms[left], geoms[right]))
    bad = overlap > OVERLAP_TOLERANCE_M2
    if bad.any():
        names = (
            locked[code_field].astype(str).to_numpy()
            if code_field and code_field in locked.columns
            else np.array([f"#{i + 1}" for i in range(len(locked))])
        )
        pairs = [f"{names[a]}/{names[b]} ({o:.0f} m²)" for a, b, o in zip(left[bad], right[bad], overlap[bad])][:5]
        raise InputError(
            N_(
                "{n} pairs of locked grids overlap: {pairs}. Locked grids are kept exactly, so they must not "
                "overlap; correct them (e.g. with the snapping tools) and run again. Nothing was changed."
            ),
            n=int(bad.sum()),
            pairs=", ".join(pairs),
        )


def assign_buildings(grids: gpd.GeoDataFrame, buildings: gpd.GeoDataFrame) -> np.ndarray:
    """Index (position) of the grid holding each building's point on surface; -1 outside every grid."""
    points = shapely.point_on_surface(buildings.geometry.values)
    out = np.full(len(points), -1, dtype=np.int64)
    if not len(grids) or not len(points):
        return out
    b_idx, g_idx = shapely.STRtree(grids.geometry.values).query(points, predicate="within")
    out[b_idx] = g_idx
    return out


def _loads(buildings, load_field) -> np.ndarray:
    """Households per building by the one rule of :func:`grid_plugin.core.inputs.numeric_values`."""
    return numeric_values(buildings, load_field, "buildings", Report())


def _check_crs(a, b, a_name: str, b_name: str) -> None:
    if a.crs is not None and a.crs.is_geographic:
        raise InputError(
            N_("The layer {name} is in a geographic CRS ({crs}); reproject it to a projected CRS in metres."),
            name=a_name,
            crs=a.crs.to_string(),
        )
    if a.crs is not None and b.crs is not None and a.crs != b.crs:
        raise InputError(
            N_("The layers {a} and {b} are in different CRSs; reproject them to one CRS."), a=a_name, b=b_name
        )


def partition_with_locked(
    area: gpd.GeoDataFrame,
    buildings: gpd.GeoDataFrame,
    locked: gpd.GeoDataFrame,
    barriers=None,
    *,
    code_field: str = "grid_code",
    partition_fn=None,
    report: Report | None = None,
    **partition_kwargs,
) -> gpd.GeoDataFrame:
    """Keep ``locked`` grids exactly and partition the rest of ``area`` around them.

    Locked grids must not overlap (checked). Buildings whose point on surface lies in a locked grid
    belong to it; the others are partitioned in ``area`` minus the locked grids. When the locked grids
    carry 15-digit codes, the new grids are coded under the same 12-digit parent with serials above
    every locked serial, in reading order; other codes only get new serials where they collide.
    Returns the whole plan with ``locked`` (bool) and ``grid_code``.
    """
    report = report or Report()
    _check_crs(area, locked, "area", "locked grids")
    check_locked_overlaps(locked, code_field if code_field in locked.columns else None)
    if partition_fn is None:
        from .engine import partition as partition_fn
    free = shapely.difference(shapely.union_all(area.geometry.values), shapely.union_all(locked.geometry.values))
    points = shapely.point_on_surface(buildings.geometry.values)
    shapely.prepare(free)
    inside = shapely.contains(free, points)
    parts = [p for p in shapely.get_parts(free) if shapely.area(p) > OVERLAP_TOLERANCE_M2]
    free_area = gpd.GeoDataFrame({"part": np.arange(len(parts))}, geometry=parts, crs=area.crs)
    clipped = buildings.iloc[np.flatnonzero(inside)].copy()
    clipped["geometry"] = shapely.intersection(clipped.geometry.values, free)
    sibling = str(locked[code_field].iloc[0]) if code_field in locked.columns and len(locked) else ""
    if _is_grid_code(sibling) and "parent_code_field" not in partition_kwargs:
        # the free pieces are parts of the locked grids' parent: coded under it below, numbered per piece here
        free_area["part"] = [f"{i + 1:03d}" for i in range(len(parts))]
        partition_kwargs = {**partition_kwargs, "parent_code_field": "part", "code_prefix": (sibling[:6], sibling[6:9])}
    result = partition_fn(free_area, clipped, barriers, report=report, **partition_kwargs)
    new = result.grids.copy()
    if _is_grid_code(sibling) and code_field in locked.columns and len(new):
        highest = highest_serials(locked[code_field].astype(str))
        fresh = np.empty(len(new), dtype=object)
        for position in np.argsort(serial_order(np.asarray(new.geometry.values, dtype=object)), kind="stable"):
            fresh[position] = next_serial_code(sibling, highest)
        new["grid_code"] = fresh
        new["parent_code"] = sibling[:12]
    kept = locked.copy()
    kept["locked"] = True
    new["locked"] = False
    if code_field in kept.columns:
        highest = highest_serials(kept[code_field].astype(str))
        sibling = str(kept[code_field].iloc[0]) if len(kept) else "000"
        codes = new["grid_code"].astype(str) if "grid_code" in new.columns else pd.Series([""] * len(new))
        taken = set(kept[code_field].astype(str))
        fixed = []
        for code in codes:
            if code in taken or not code:
                code = next_serial_code(sibling, highest)
            taken.add(code)
            fixed.append(code)
        new["grid_code"] = fixed
        kept = kept.rename(columns={code_field: "grid_code"})
    plan = pd.concat([kept, new], ignore_index=True)
    return gpd.GeoDataFrame(plan, geometry="geometry", crs=area.crs)


@dataclass
class RegridResult:
    """Result of :func:`regrid`.

    Attributes
    ----------
    plan : GeoDataFrame
        The new plan: the old columns, ``grid_code``, ``status`` (kept/changed/new), ``load``,
        ``deviation_pct``, ``flag``, ``flag_reason``.
    changes : GeoDataFrame
        One row per old or new grid: ``grid_code``, ``status`` (kept/changed/new/retired),
        ``old_load``, ``new_load``, ``households_in``, ``households_out``, ``area_change_m2``;
        geometry = the new grid (the old one for retired grids).
    summary : dict
        Counts and shares: n_old, n_new, kept, changed, new, retired, kept_share, households_moved,
        households_total, moved_share, groups, groups_improved.
    retired_codes : list of str
        Every retired code (the input list plus the codes retired now).
    building_grid : ndarray
        New grid code per building (None outside).
    warnings : list
        The warnings of the run (buildings outside the plan, groups that could not be re-partitioned).
    """

    plan: gpd.GeoDataFrame
    changes: gpd.GeoDataFrame
    summary: dict
    retired_codes: list
    building_grid: np.ndarray
    warnings: list = None


def regrid(
    plan: gpd.GeoDataFrame,
    buildings: gpd.GeoDataFrame,
    barriers=None,
    *,
    load_field: str = "households",
    code_field: str = "grid_code",
    parent_field: str | None = "parent_code",
    locked_field: str | None = None,
    target_load: float = 400,
    tolerance: float = 0.2,
    retired_codes=(),
    seed: int = 0,
    partition_fn=None,
    report: Report | None = None,
) -> RegridResult:
    """Re-grid an existing plan for updated households, keeping every grid that still fits.

    Parameters
    ----------
    plan : GeoDataFrame
        The existing grids with unique codes in ``code_field``.
    buildings : GeoDataFrame
        The updated buildings with ``load_field``.
    barriers : GeoDataFrame, optional
        Roads, rivers, railways for the re-partition of the failing groups.
    locked_field : str, optional
        A truthy value keeps the grid whatever its load.
    retired_codes : iterable of str
        Codes retired earlier: never handed out again.
    partition_fn : callable, optional
        The partition engine (default :func:`grid_plugin.core.partition.engine.partition`).

    Raises
    ------
    InputError
        Repeated or missing codes, overlapping locked grids, different CRSs, a missing load field.
    """
    report = report or Report()
    if plan is None or not len(plan):
        raise InputError(N_("The existing plan is empty; choose a grid layer with at least one grid."))
    _check_crs(plan, buildings, "plan", "buildings")
    check_unique_codes(plan, code_field)
    if target_load is None or not target_load > 0:
        raise InputError(N_("The target load must be a positive number of households."))
    plan = plan.reset_index(drop=True).copy()
    plan["geometry"] = shapely.make_valid(plan.geometry.values)
    codes = plan[code_field].astype(str).to_numpy()
    locked = _locked_mask(plan, locked_field, code_field)
    loads = _loads(buildings, load_field)
    old_of_building = assign_buildings(plan, buildings)
    outside = int((old_of_building < 0).sum())
    if outside:
        report.warn(
            N_("{n} buildings ({hh:.0f} households) lie outside every grid of the plan; they stay unassigned."),
            n=outside,
            hh=float(loads[old_of_building < 0].sum()),
        )
    new_load = np.bincount(
        old_of_building[old_of_building >= 0], weights=loads[old_of_building >= 0], minlength=len(plan)
    )
    old_load = (
        pd.to_numeric(plan["load"], errors="coerce").to_numpy(dtype=float)
        if "load" in plan.columns
        else new_load * np.nan
    )
    low, high = (1 - tolerance) * target_load, (1 + tolerance) * target_load
    within = (new_load >= low) & (new_load <= high)
    groups = failing_groups(
        _adjacency_within_parents(plan, parent_field), within | locked, locked, new_load, target_load, tolerance
    )
    if groups and partition_fn is None:
        from .engine import partition as partition_fn
    highest = highest_serials(list(codes) + [str(c) for c in retired_codes])
    retired_set = set(str(c) for c in retired_codes)
    new_rows: list[dict] = []
    replaced = np.zeros(len(plan), dtype=bool)
    counters = {"groups_improved": 0, "groups_by_unit_moves": 0, "moved": 0.0}
    building_code = np.array([codes[g] if g >= 0 else None for g in old_of_building], dtype=object)
    context = {
        "plan": plan,
        "buildings": buildings,
        "barriers": barriers,
        "loads": loads,
        "old_of_building": old_of_building,
        "new_load": new_load,
        "codes": codes,
        "load_field": load_field,
        "target_load": target_load,
        "tolerance": tolerance,
        "seed": seed,
        "partition_fn": partition_fn,
        "report": report,
    }
    for number, members in enumerate(groups):
        report.check_cancelled()
        report.progress(100 * number / max(len(groups), 1))
        best = _best_replacement(context, members)
        if best is None:
            continue
        counters["groups_improved"] += 1
        counters["groups_by_unit_moves"] += best["kind"] == "moves"
        replaced[members] = True
        rows = _replacement_rows(plan, codes, members, best, code_field, highest, retired_set)
        new_rows.extend(rows)
        in_group = best["in_group"]
        new_codes_for_b = np.array([rows[k][code_field] if k >= 0 else None for k in best["new_of_b"]], dtype=object)
        moved = new_codes_for_b != building_code[in_group]
        counters["moved"] += float(loads[in_group][moved].sum())
        building_code[in_group] = new_codes_for_b
    new_plan = _new_plan(plan, replaced, new_rows, new_load, old_of_building, within, locked, locked_field, target_load)
    retired_now = sorted(set(codes[replaced]) - set(new_plan[code_field].astype(str)))
    changes = _change_table(
        plan, new_plan, codes, old_load, new_load, building_code, old_of_building, loads, retired_now, code_field
    )
    total = float(loads[old_of_building >= 0].sum())
    summary = _regrid_summary(plan, new_plan, retired_now, counters, total, len(groups), within, low, high)
    report.info(
        N_(
            "Re-gridding kept {kept} of {n_old} grids, changed {changed}, added {new} and retired {retired}; "
            "{moved:.0f} of {total:.0f} households changed grid."
        ),
        kept=summary["kept"],
        n_old=summary["n_old"],
        changed=summary["changed"],
        new=summary["new"],
        retired=summary["retired"],
        moved=counters["moved"],
        total=total,
    )
    report.progress(100)
    return RegridResult(
        plan=new_plan,
        changes=changes,
        summary=summary,
        retired_codes=sorted(retired_set | set(retired_now)),
        building_grid=building_code,
        warnings=list(report.warnings),
    )


def _locked_mask(plan, locked_field, code_field) -> np.ndarray:
    """Grids marked locked (a truthy ``locked_field``); locked grids must not overlap."""
    locked = np.zeros(len(plan), dtype=bool)
    if locked_field:
        if locked_field not in plan.columns:
            raise InputError(N_("The plan has no field '{field}' marking locked grids."), field=locked_field)
        locked = plan[locked_field].fillna(False).astype(bool).to_numpy()
        check_locked_overlaps(plan[locked], code_field)
    return locked


def _adjacency_within_parents(plan, parent_field) -> sparse.csr_matrix:
    """Grid adjacency, without links across parents (grids of two parents never merge)."""
    adjacency = grid_adjacency(plan.geometry.values)
    if not parent_field or parent_field not in plan.columns:
        return adjacency
    parents = plan[parent_field].astype(str).to_numpy()
    coo = adjacency.tocoo()
    same = parents[coo.row] == parents[coo.col]
    return sparse.coo_matrix((coo.data[same], (coo.row[same], coo.col[same])), shape=adjacency.shape).tocsr()


def _best_replacement(context: dict, members: np.ndarray) -> dict | None:
    """The best new grids for one failing group, or None when nothing beats the old grids.

    Candidates: boundary units moved between the group's own grids (codes stay, fewest households move),
    then the union of the group re-partitioned. Ranked by most grids within tolerance, then fewest
    households moved, then the worst deviation.
    """
    plan, buildings, loads = context["plan"], context["buildings"], context["loads"]
    old_of_building, codes, report = context["old_of_building"], context["codes"], context["report"]
    target_load, tolerance = context["target_load"], context["tolerance"]
    low, high = (1 - tolerance) * target_load, (1 + tolerance) * target_load
    union = shapely.union_all(plan.geometry.values[members])
    in_group = np.flatnonzero(np.isin(old_of_building, members))
    group_load = float(loads[in_group].sum())
    n_grids = max(1, int(round(group_load / target_load)))
    if not len(in_group):
        return None
    sub_area = gpd.GeoDataFrame({"part": [0]}, geometry=[union], crs=plan.crs)
    sub_buildings = buildings.iloc[in_group]
    try:
        result = context["partition_fn"](
            sub_area,
            sub_buildings,
            context["barriers"],
            load_field=context["load_field"],
            target_load=target_load,
            tolerance=tolerance,
            n_grids=n_grids,
            seed=context["seed"],
        )
    except InputError as error:
        report.warn(
            N_("The grids {codes} could not be re-partitioned ({reason}); they are kept as they were."),
            codes=", ".join(codes[members]),
            reason=error.message,
        )
        return None
    group_loads = loads[in_group]
    old_pos = {g: i for i, g in enumerate(members)}
    old_idx = np.array([old_pos[g] for g in old_of_building[in_group]])
    before = regrid_quality(context["new_load"][members], low, high, target_load)
    candidates = []
    moved_grids = adjust_by_moves(
        getattr(result, "units", None), plan.geometry.values[members], target_load, tolerance, report=report
    )
    if moved_grids is not None:
        candidates.append(("moves", moved_grids))
    candidates.append(("partition", result.grids.reset_index(drop=True)))
    best = None
    for kind, new_grids in candidates:
        new_of_b = assign_buildings(new_grids, sub_buildings)
        ok = new_of_b >= 0
        new_loads = np.bincount(new_of_b[ok], weights=group_loads[ok], minlength=len(new_grids))
        after = regrid_quality(new_loads, low, high, target_load)
        match, score = _match_to_old(kind, new_grids, new_of_b, ok, group_loads, old_idx, plan, members)
        matched_old = np.array([match.get(k, -1) for k in range(len(new_grids))])
        stays = ok & (matched_old[np.maximum(new_of_b, 0)] == old_of_building[in_group])
        moved_here = float(group_loads[~stays].sum())
        rank = (after[0], -moved_here, after[1])
        if best is None or rank > best["rank"]:
            best = {
                "rank": rank,
                "after": after,
                "kind": kind,
                "new_grids": new_grids,
                "new_of_b": new_of_b,
                "new_loads": new_loads,
                "match": match,
                "score": score,
                "in_group": in_group,
            }
    if best["after"] <= before:
        return None  # no better than the old grids: keep them
    return best


def _match_to_old(kind, new_grids, new_of_b, ok, group_loads, old_idx, plan, members):
    """(new grid → old grid it continues, score matrix): by shared households, then shared area."""
    if kind == "moves":
        return {k: members[k] for k in range(len(members))}, np.eye(len(new_grids), len(members))
    shared = np.zeros((len(new_grids), len(members)))
    np.add.at(shared, (new_of_b[ok], old_idx[ok]), group_loads[ok] + 1e-3)
    area_share = shapely.area(
        shapely.intersection(
            np.asarray(new_grids.geometry.values, dtype=object)[:, None],
            np.asarray(plan.geometry.values[members], dtype=object)[None, :],
        )
    )
    score = shared + 1e-9 * area_share
    rows_i, cols_i = linear_sum_assignment(-score)
    return {r: members[c] for r, c in zip(rows_i, cols_i) if score[r, c] > 0}, score


def _replacement_rows(plan, codes, members, best, code_field, highest, retired_set) -> list[dict]:
    """Rows of a group's new grids: a matched grid keeps its old code, others get fresh serials (never retired)."""
    new_grids, new_of_b, new_loads = best["new_grids"], best["new_of_b"], best["new_loads"]
    match, score = best["match"], best["score"]
    rows = []
    for k in range(len(new_grids)):
        if k in match:
            code = codes[match[k]]
            status = "changed"
            template = plan.iloc[match[k]]
        else:
            dominant = members[int(np.argmax(score[k]))] if score[k].max() > 0 else members[0]
            code = next_serial_code(codes[dominant], highest)
            while code in retired_set:
                code = next_serial_code(codes[dominant], highest)
            status = "new"
            template = plan.iloc[dominant]
        row = {c: template[c] for c in plan.columns if c != "geometry"}
        row.update(
            {
                code_field: code,
                "geometry": new_grids.geometry.values[k],
                "load": float(new_loads[k]),
                "status": status,
                "n_buildings": int((new_of_b == k).sum()),
                "flag": None,
                "flag_reason": None,
            }
        )
        rows.append(row)
    return rows


def _new_plan(plan, replaced, new_rows, new_load, old_of_building, within, locked, locked_field, target_load):
    """The kept grids (flagged when still out of tolerance) followed by the replacement rows."""
    kept = plan[~replaced].copy()
    kept["load"] = new_load[~replaced]
    kept["status"] = "kept"
    kept["n_buildings"] = np.bincount(old_of_building[old_of_building >= 0], minlength=len(plan))[~replaced]
    reason = np.where(
        locked[~replaced] & ~within[~replaced],
        "locked",
        np.where(~within[~replaced], "out of tolerance; no better re-partition found", None),
    )
    kept["flag"] = np.where(within[~replaced], None, "out_of_tolerance")
    kept["flag_reason"] = reason
    new_plan = pd.concat([kept, pd.DataFrame(new_rows)], ignore_index=True) if new_rows else kept
    new_plan = gpd.GeoDataFrame(new_plan, geometry="geometry", crs=plan.crs)
    new_plan["area_m2"] = shapely.area(new_plan.geometry.values)
    new_plan["deviation_pct"] = 100.0 * (new_plan["load"] - target_load) / target_load
    new_plan["locked"] = new_plan[locked_field].fillna(False).astype(bool) if locked_field else False
    return new_plan


def _regrid_summary(plan, new_plan, retired_now, counters, total, n_groups, within, low, high) -> dict:
    """Counts of kept, changed, new and retired grids and of households moved."""
    status_counts = new_plan["status"].value_counts()
    moved_total = counters["moved"]
    return {
        "n_old": int(len(plan)),
        "n_new": int(len(new_plan)),
        "kept": int(status_counts.get("kept", 0)),
        "changed": int(status_counts.get("changed", 0)),
        "new": int(status_counts.get("new", 0)),
        "retired": len(retired_now),
        "kept_share": float(status_counts.get("kept", 0)) / max(len(plan), 1),
        "households_moved": moved_total,
        "households_total": total,
        "moved_share": moved_total / total if total else 0.0,
        "groups": n_groups,
        "groups_improved": counters["groups_improved"],
        "groups_by_unit_moves": int(counters["groups_by_unit_moves"]),
        "within_tolerance_before": float(within.mean()),
        "within_tolerance_after": float(((new_plan["load"] >= low) & (new_plan["load"] <= high)).mean()),
    }


def _change_table(
    plan, new_plan, codes, old_load, new_load, building_code, old_of_building, loads, retired, code_field
):
    old_code_b = np.array([codes[g] if g >= 0 else None for g in old_of_building], dtype=object)
    frame = pd.DataFrame({"old": old_code_b, "new": building_code, "hh": loads})
    frame = frame[frame["old"].notna() | frame["new"].notna()]
    moved = frame[frame["old"] != frame["new"]]
    h_in = moved.groupby("new")["hh"].sum()
    h_out = moved.groupby("old")["hh"].sum()
    old_area = dict(zip(codes, shapely.area(plan.geometry.values)))
    old_load_by_code = dict(zip(codes, np.where(np.isnan(old_load), new_load, old_load)))
    rows = []
    for row in new_plan.itertuples():
        code = str(getattr(row, code_field))
        rows.append(
            {
                "grid_code": code,
                "status": row.status,
                "old_load": old_load_by_code.get(code) if row.status != "new" else None,
                "new_load": float(row.load),
                "households_in": float(h_in.get(code, 0.0)),
                "households_out": float(h_out.get(code, 0.0)),
                "area_change_m2": float(row.area_m2 - old_area.get(code, 0.0))
                if row.status != "new"
                else float(row.area_m2),
                "geometry": row.geometry,
            }
        )
    old_geom = dict(zip(codes, plan.geometry.values))
    for code in retired:
        rows.append(
            {
                "grid_code": code,
                "status": "retired",
                "old_load": old_load_by_code.get(code),
                "new_load": 0.0,
                "households_in": 0.0,
                "households_out": float(h_out.get(code, 0.0)),
                "area_change_m2": -float(old_area.get(code, 0.0)),
                "geometry": old_geom[code],
            }
        )
    table = gpd.GeoDataFrame(rows, geometry="geometry", crs=plan.crs)
    order = {"kept": 0, "changed": 1, "new": 2, "retired": 3}
    return table.sort_values(
        ["status", "grid_code"], key=lambda s: s.map(order) if s.name == "status" else s
    ).reset_index(drop=True)
