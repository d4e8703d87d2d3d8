"""Compare two grid plans of the same area: what was kept, changed, created and retired, who moved.

Grids are matched one to one by intersection over union (IoU), greedily from the best pair down:

- **kept** (保留): matched with IoU ≥ ``iou_kept`` (default 0.99: the same grid up to digitising noise);
- **changed** (调整): matched with ``iou_same`` < IoU < ``iou_kept`` (default 0.5: more of the grid is shared
  than not, so it is the same grid with a moved edge);
- **new** (新增): a new-plan grid with no match (created by a split or a merge);
- **retired** (撤销): an old-plan grid with no match.

Households move when the grid holding them changes identity: with buildings, each building is assigned to
a grid in each plan (:func:`grid_plugin.core.assess.metrics.assign_buildings`) and it moved unless its new grid is
the match of its old grid; without buildings the old grids' load is spread over the new grids by area.
Codes are *kept* when a matched pair has the same code, *changed* when not, and *reused* when a new grid
carries the code of an old grid it was not matched with (a code now names another place — to avoid).

Examples
--------
>>> import geopandas as gpd
>>> from shapely.geometry import box
>>> old = gpd.GeoDataFrame({"grid_code": ["a", "b"], "load": [400, 400]},
...                        geometry=[box(0, 0, 10, 10), box(10, 0, 20, 10)], crs=3857)
>>> new = gpd.GeoDataFrame({"grid_code": ["a", "c"], "load": [300, 500]},
...                        geometry=[box(0, 0, 10, 10), box(10, 0, 20, 10)], crs=3857)
>>> result = compare_plans(old, new)
>>> result.summary["kept"], result.summary["codes_changed"]
(2, 1)
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..errors import N_, InputError, Report
from .metrics import _check_projected, _crs_of, _geometries, _loads_from, assign_buildings, polygon_array

__all__ = ["CHANGE_STATUS", "ComparisonResult", "compare_plans"]

#: status code → (Chinese, English)
CHANGE_STATUS = {
    "kept": ("保留", "Kept"),
    "changed": ("调整", "Changed"),
    "new": ("新增", "New"),
    "retired": ("撤销", "Retired"),
}


@dataclass
class ComparisonResult:
    """What :func:`compare_plans` found.

    Attributes
    ----------
    changes : GeoDataFrame
        The change map: one row per new-plan grid (kept, changed, new) and one per retired old grid, with
        ``status, status_zh, grid_id, grid_code, old_grid_id, old_grid_code, iou, code_kept, load_old,
        load_new, households_in, households_out, related``.
    moves : pandas.DataFrame
        Households moved between grids: ``from_grid_id, from_code, to_grid_id, to_code, households,
        buildings`` (buildings is NaN when spread by area); ``-`` / None for outside every grid.
    summary : dict
        Counts and totals (see the module docstring).
    """

    changes: gpd.GeoDataFrame
    moves: pd.DataFrame
    summary: dict


def _ids_codes(frame, id_field, code_field, n):
    columns = list(getattr(frame, "columns", []))
    id_field = id_field or ("grid_id" if "grid_id" in columns else None)
    ids = frame[id_field].to_numpy() if id_field else np.arange(1, n + 1)
    code_field = code_field if code_field in columns else None
    codes = frame[code_field].to_numpy(dtype=object) if code_field else np.full(n, None, dtype=object)
    return ids, codes, code_field is not None


def _clean(code) -> str | None:
    if code is None or (isinstance(code, float) and np.isnan(code)):
        return None
    text = str(code).strip()
    return text or None


def compare_plans(
    old,
    new,
    buildings=None,
    *,
    id_field: str | None = None,
    code_field: str = "grid_code",
    load_field: str = "load",
    building_load_field: str = "households",
    iou_kept: float = 0.99,
    iou_same: float = 0.5,
    report: Report | None = None,
) -> ComparisonResult:
    """Compare an old and a new grid plan of the same area.

    Parameters
    ----------
    old, new : GeoDataFrame
        The two plans (new is reprojected to old's CRS when they differ).
    buildings : GeoDataFrame, optional
        Buildings (with ``building_load_field``) to count the households that move; without it the old
        plan's ``load_field`` is spread by area.
    id_field : str, optional
        Grid id field in both plans (default ``grid_id`` when present, else 1..n).
    code_field : str
        Grid code field in both plans (skipped where absent).
    load_field, building_load_field : str
    iou_kept, iou_same : float
        IoU thresholds for kept and for the same (changed) grid.
    report : Report, optional
    """
    report = report if report is not None else Report()
    for frame, name in ((old, "old plan"), (new, "new plan")):
        if frame is None or len(frame) == 0:
            raise InputError(N_("The layer {name} is empty; choose a layer with grid polygons."), name=name)
    if not 0 < iou_same < iou_kept <= 1:
        raise InputError(
            N_("The IoU thresholds must satisfy 0 < same ({same}) < kept ({kept}) ≤ 1."), same=iou_same, kept=iou_kept
        )
    crs = _crs_of(old)
    _check_projected(crs, "old plan")
    old_geoms = polygon_array(_geometries(old, "old plan"), "old plan", report)
    new_geoms = polygon_array(_geometries(new, "new plan", crs, report), "new plan", report)
    n_old, n_new = len(old_geoms), len(new_geoms)
    old_ids, old_codes, old_has_codes = _ids_codes(old, id_field, code_field, n_old)
    new_ids, new_codes, new_has_codes = _ids_codes(new, id_field, code_field, n_new)
    old_area = shapely.area(old_geoms)
    new_area = shapely.area(new_geoms)

    tree = shapely.STRtree(old_geoms)
    pn, po, inter, iou = _pair_overlaps(tree, old_geoms, new_geoms, old_area, new_area)
    report.progress(40)
    report.check_cancelled()
    match_of_new, match_of_old, iou_of_new = _match_one_to_one(pn, po, iou, n_new, n_old, iou_same)
    status = np.where(match_of_new < 0, "new", np.where(iou_of_new >= iou_kept, "kept", "changed")).astype(object)

    old_load = _loads_from(old, load_field)
    new_load = _loads_from(new, load_field)
    if buildings is not None and len(buildings):
        flows, old_load, new_load, totals = _flows_by_buildings(
            buildings, building_load_field, crs, report, old_geoms, new_geoms, tree, match_of_old, old_load, new_load
        )
    else:
        if old_load is None:
            raise InputError(
                N_(
                    "The old plan has no load field {field} and no buildings were given; "
                    "give buildings or the plans' load field to count the households that move."
                ),
                field=load_field,
            )
        flows, totals = _flows_by_area(pn, po, inter, old_area, old_load, match_of_old)
    report.progress(80)

    households_out = _flow_sum(flows, "o", n_old)
    households_in = _flow_sum(flows, "n", n_new)
    moves = _moves_table(flows, old_ids, old_codes, new_ids, new_codes)
    has_codes = old_has_codes and new_has_codes
    code_kept, reused = _code_changes(old_codes, new_codes, match_of_new, has_codes)
    predecessors, successors = _related_grids(pn, po, inter, old_area, new_area, old_ids, new_ids)

    retired = np.flatnonzero(match_of_old < 0)
    old_side = _PlanSide(old_ids, old_codes, old_geoms, old_load, households_out, successors)
    new_side = _PlanSide(new_ids, new_codes, new_geoms, new_load, households_in, predecessors)
    matching = {"status": status, "match_of_new": match_of_new, "iou_of_new": iou_of_new, "retired": retired}
    changes = _change_rows(crs, old_side, new_side, matching, code_kept, reused)

    reassigned_m2 = _area_reassigned(pn, po, inter, new_area, match_of_new)
    moved_total = float(moves["households"].sum())
    total = totals["total"]
    summary = {
        "n_old": n_old,
        "n_new": n_new,
        "kept": int((status == "kept").sum()),
        "changed": int((status == "changed").sum()),
        "new": int((status == "new").sum()),
        "retired": int(len(retired)),
        "method": totals["method"],
        "households_total": total,
        "households_moved": moved_total,
        "households_moved_share": moved_total / total if total > 0 else float("nan"),
        "buildings_moved": totals["buildings_moved"],
        "codes_compared": bool(has_codes),
        "codes_kept": int(sum(1 for v in code_kept if v is True)),
        "codes_changed": int(sum(1 for v in code_kept if v is False)),
        "codes_reused": int(reused.sum()),
        "area_reassigned_m2": reassigned_m2,
        "area_reassigned_share": reassigned_m2 / float(new_area.sum()) if new_area.sum() > 0 else float("nan"),
        "iou_kept": iou_kept,
        "iou_same": iou_same,
    }
    report.info(
        N_("Kept {kept}, changed {changed}, new {new}, retired {retired} grids; {moved} households move."),
        kept=summary["kept"],
        changed=summary["changed"],
        new=summary["new"],
        retired=summary["retired"],
        moved=f"{moved_total:,.0f}",
    )
    report.progress(100)
    return ComparisonResult(changes=changes, moves=moves, summary=summary)


def _pair_overlaps(tree, old_geoms, new_geoms, old_area, new_area):
    """(new index, old index, intersection area, IoU) of every intersecting pair."""
    pn, po = tree.query(new_geoms, predicate="intersects")
    inter = shapely.area(shapely.intersection(new_geoms[pn], old_geoms[po])) if len(pn) else np.zeros(0)
    union = new_area[pn] + old_area[po] - inter
    iou = np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)
    return pn, po, inter, iou


def _match_one_to_one(pn, po, iou, n_new: int, n_old: int, iou_same: float):
    """Greedy one-to-one matching of new to old grids, best IoU first, above ``iou_same``."""
    match_of_new = np.full(n_new, -1, dtype=np.int64)
    match_of_old = np.full(n_old, -1, dtype=np.int64)
    iou_of_new = np.zeros(n_new)
    for k in np.argsort(-iou, kind="stable"):
        if iou[k] <= iou_same:
            break
        if match_of_new[pn[k]] < 0 and match_of_old[po[k]] < 0:
            match_of_new[pn[k]] = po[k]
            match_of_old[po[k]] = pn[k]
            iou_of_new[pn[k]] = iou[k]
    return match_of_new, match_of_old, iou_of_new


def _flows_by_buildings(
    buildings, building_load_field, crs, report, old_geoms, new_geoms, tree, match_of_old, old_load, new_load
):
    """Households moving between grids, building by building; loads summed where the plans have none."""
    bgeoms = _geometries(buildings, "buildings", crs, report)
    bgeoms = np.where(shapely.is_valid(bgeoms) | shapely.is_missing(bgeoms), bgeoms, shapely.make_valid(bgeoms))
    weights = (
        pd.to_numeric(buildings[building_load_field], errors="coerce").fillna(0).to_numpy(float)
        if building_load_field in buildings.columns
        else np.ones(len(bgeoms))
    )
    in_old = assign_buildings(old_geoms, bgeoms, tree).grid_index
    in_new = assign_buildings(new_geoms, bgeoms).grid_index
    if old_load is None:
        old_load = np.bincount(in_old[in_old >= 0], weights=weights[in_old >= 0], minlength=len(old_geoms))
    if new_load is None:
        new_load = np.bincount(in_new[in_new >= 0], weights=weights[in_new >= 0], minlength=len(new_geoms))
    stays = (in_old >= 0) & (in_new >= 0) & (match_of_old[np.maximum(in_old, 0)] == in_new)
    both_outside = (in_old < 0) & (in_new < 0)
    moved = ~stays & ~both_outside
    flows = (
        pd.DataFrame({"o": in_old[moved], "n": in_new[moved], "households": weights[moved], "buildings": 1})
        .groupby(["o", "n"], as_index=False)
        .sum()
    )
    totals = {
        "method": "buildings",
        "buildings_moved": int(moved.sum()),
        "total": float(weights[(in_old >= 0) | (in_new >= 0)].sum()),
    }
    return flows, old_load, new_load, totals


def _flows_by_area(pn, po, inter, old_area, old_load, match_of_old):
    """Households moving between grids when there are no buildings: the old load spread by area."""
    share = np.divide(inter, old_area[po], out=np.zeros_like(inter), where=old_area[po] > 0)
    spread = old_load[po] * share
    moved = match_of_old[po] != pn
    flows = pd.DataFrame({"o": po[moved], "n": pn[moved], "households": spread[moved], "buildings": np.nan})
    flows = flows[flows["households"] > 1e-9].groupby(["o", "n"], as_index=False).sum(min_count=1)
    return flows, {"method": "area", "buildings_moved": None, "total": float(old_load.sum())}


def _flow_sum(flows: pd.DataFrame, side: str, n: int) -> np.ndarray:
    """Households leaving (side "o") or entering (side "n") each grid."""
    inside = flows[side] >= 0
    return np.bincount(flows[side][inside], weights=flows["households"][inside], minlength=n)


def _moves_table(flows, old_ids, old_codes, new_ids, new_codes) -> pd.DataFrame:
    """One row per (from grid, to grid) with the households and buildings that move, largest first."""

    def label(ids, codes, positions):
        idv = np.array([ids[p] if p >= 0 else None for p in positions], dtype=object)
        cdv = np.array([codes[p] if p >= 0 else None for p in positions], dtype=object)
        return idv, cdv

    from_id, from_code = label(old_ids, old_codes, flows["o"].to_numpy())
    to_id, to_code = label(new_ids, new_codes, flows["n"].to_numpy())
    return pd.DataFrame(
        {
            "from_grid_id": from_id,
            "from_code": from_code,
            "to_grid_id": to_id,
            "to_code": to_code,
            "households": flows["households"].to_numpy(float),
            "buildings": flows["buildings"].to_numpy(float),
        }
    ).sort_values("households", ascending=False, kind="stable", ignore_index=True)


def _code_changes(old_codes, new_codes, match_of_new, has_codes: bool):
    """Per new grid: whether its matched grid's code was kept, and whether it reuses another grid's code."""
    n_new = len(new_codes)
    old_code_text = np.array([_clean(c) for c in old_codes], dtype=object)
    new_code_text = np.array([_clean(c) for c in new_codes], dtype=object)
    matched = match_of_new >= 0
    code_kept = np.full(n_new, None, dtype=object)
    reused = np.zeros(n_new, dtype=bool)
    if not has_codes:
        return code_kept, reused
    code_kept[matched] = [
        new_code_text[i] is not None and new_code_text[i] == old_code_text[match_of_new[i]]
        for i in np.flatnonzero(matched)
    ]
    old_code_owner = {c: i for i, c in enumerate(old_code_text) if c is not None}
    for i, c in enumerate(new_code_text):
        owner = old_code_owner.get(c)
        reused[i] = owner is not None and owner != match_of_new[i]
    return code_kept, reused


def _related_grids(pn, po, inter, old_area, new_area, old_ids, new_ids):
    """Predecessors of new grids and successors of old ones: overlaps above 1 % of the grid's area."""
    frame = pd.DataFrame({"n": pn, "o": po, "inter": inter})
    big_for_new = frame[frame["inter"] > 0.01 * new_area[frame["n"]]]
    big_for_old = frame[frame["inter"] > 0.01 * old_area[frame["o"]]]
    predecessors = big_for_new.groupby("n")["o"].apply(lambda s: ", ".join(str(old_ids[o]) for o in sorted(s)))
    successors = big_for_old.groupby("o")["n"].apply(lambda s: ", ".join(str(new_ids[n]) for n in sorted(s)))
    return predecessors, successors


def _area_reassigned(pn, po, inter, new_area, match_of_new) -> float:
    """Area of the new plan not shared with the matched old grid (m²)."""
    shared = np.zeros(len(new_area))
    key = {(a, b): v for a, b, v in zip(pn, po, inter)}
    for i in np.flatnonzero(match_of_new >= 0):
        shared[i] = key[(i, match_of_new[i])]
    return float(new_area.sum() - shared.sum())


@dataclass
class _PlanSide:
    """One plan's grids as the change table needs them: ids, codes, geometries, loads, households flowing, relatives."""

    ids: np.ndarray
    codes: np.ndarray
    geoms: np.ndarray
    load: np.ndarray | None
    households_flow: np.ndarray
    related: pd.Series


def _change_rows(crs, old: _PlanSide, new: _PlanSide, matching: dict, code_kept, reused):
    """The change table: one row per new grid (kept, changed, new) and one per retired old grid."""
    n_new = len(new.geoms)
    status, match_of_new = matching["status"], matching["match_of_new"]
    iou_of_new, retired = matching["iou_of_new"], matching["retired"]
    new_rows = pd.DataFrame(
        {
            "status": status,
            "status_zh": [CHANGE_STATUS[s][0] for s in status],
            "grid_id": new.ids,
            "grid_code": new.codes,
            "old_grid_id": [old.ids[m] if m >= 0 else None for m in match_of_new],
            "old_grid_code": [old.codes[m] if m >= 0 else None for m in match_of_new],
            "iou": np.where(match_of_new >= 0, iou_of_new, np.nan),
            "code_kept": code_kept,
            "code_reused": reused,
            "load_old": [float(old.load[m]) if m >= 0 and old.load is not None else np.nan for m in match_of_new],
            "load_new": new.load if new.load is not None else np.full(n_new, np.nan),
            "households_in": new.households_flow,
            "households_out": [old.households_flow[m] if m >= 0 else np.nan for m in match_of_new],
            "related": [new.related.get(i, "") for i in range(n_new)],
        }
    )
    old_rows = pd.DataFrame(
        {
            "status": "retired",
            "status_zh": CHANGE_STATUS["retired"][0],
            "grid_id": None,
            "grid_code": None,
            "old_grid_id": old.ids[retired],
            "old_grid_code": old.codes[retired],
            "iou": np.nan,
            "code_kept": None,
            "code_reused": False,
            "load_old": old.load[retired] if old.load is not None else np.nan,
            "load_new": np.nan,
            "households_in": np.nan,
            "households_out": old.households_flow[retired],
            "related": [old.related.get(o, "") for o in retired],
        }
    )
    changes = pd.concat([new_rows, old_rows.astype(new_rows.dtypes.to_dict(), errors="ignore")], ignore_index=True)
    geoms = np.concatenate([new.geoms, old.geoms[retired]])
    changes = gpd.GeoDataFrame(changes, geometry=gpd.GeoSeries(geoms, crs=crs), crs=crs)

    return changes
