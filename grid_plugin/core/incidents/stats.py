"""Per-grid incident statistics (:func:`grid_incident_stats`): where the work of the grid lands.

Per grid: counts in total and per category, the previous period and the change, rates per 1,000
households and per km², rank, Getis–Ord Gi* hot/cold spots with FDR correction (:mod:`.hotspots`) and
monthly counts for the chart (:mod:`.chart`). The incidents are chosen by
:func:`.selection.select_incidents`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from ..errors import N_, InputError, Report
from . import hotspots
from .dates import month_floor, time_window_mask
from .selection import _check_field, _empty_selection_error, _working_crs, metres_per_unit, select_incidents

__all__ = ["HOTSPOT_VALUES", "IncidentStats", "assign_points_to_grids", "grid_incident_stats"]

HOTSPOT_VALUES = ("count", "per_km2", "per_1000_households")


# ------------------------------------------------------------------------------------------ stats
@dataclass
class IncidentStats:
    """Per-grid incident statistics.

    Attributes
    ----------
    grids : GeoDataFrame
        The grids (input geometry and CRS) with the statistic columns first, then the input attributes.
    category_columns : dict
        Column name → category value.
    monthly : DataFrame
        Index: month (first day); columns: categories; incidents inside grids in the current period.
    monthly_top : DataFrame
        Index: month; columns: grid ids of the top grids; their monthly totals.
    summary : dict
        Every count: read, invalid, other category, unreadable/missing dates, outside the window,
        outside every grid, in more than one grid, current and previous period totals, islands, ...
    """

    grids: gpd.GeoDataFrame
    category_columns: dict
    monthly: pd.DataFrame
    monthly_top: pd.DataFrame
    summary: dict
    warnings: list = field(default_factory=list)


def _slug(value: str) -> str:
    text = re.sub(r"[^\w]+", "_", str(value), flags=re.UNICODE).strip("_")
    return text[:24] or "none"


def _category_columns(categories) -> dict:
    columns = {}
    for cat in categories:
        base = "c_" + _slug(cat if cat else "none")
        name, k = base, 2
        while name in columns:
            name, k = f"{base}_{k}", k + 1
        columns[name] = cat
    return columns


def assign_points_to_grids(
    x, y, grid_geoms, report: Report | None = None, *, progress: bool = True
) -> tuple[np.ndarray, int]:
    """Index of the grid holding each point (−1 outside every grid) and the count of points on a
    shared boundary or in an overlap (given to the first grid in layer order)."""
    report = report or Report()
    n = len(x)
    result = np.full(n, -1, dtype=np.int64)
    if n == 0:
        return result, 0
    tree = shapely.STRtree(grid_geoms)
    chunk = 250_000
    multi = 0
    for start in range(0, n, chunk):
        report.check_cancelled()
        stop = min(n, start + chunk)
        pts = shapely.points(x[start:stop], y[start:stop])
        point_idx, grid_idx = tree.query(pts, predicate="intersects")
        if len(point_idx):
            order = np.lexsort((grid_idx, point_idx))
            point_idx, grid_idx = point_idx[order], grid_idx[order]
            first = np.ones(len(point_idx), dtype=bool)
            first[1:] = point_idx[1:] != point_idx[:-1]
            multi += len(np.unique(point_idx[~first]))
            result[start + point_idx[first]] = grid_idx[first]
        if progress:
            report.progress(100.0 * stop / n)
    return result, multi


def _previous_window(date_from, date_to, previous_from, previous_to):
    if previous_from is not None or previous_to is not None:
        return previous_from, previous_to, "given"
    if date_from is not None and date_to is not None:
        # Close the window at the next whole second (23:59:59 and 23:59:59.999999 both end a day).
        end_next = (date_to + pd.Timedelta(microseconds=1)).ceil("s")
        prev_to = date_from - pd.Timedelta(microseconds=1)
        if (
            date_from == date_from.normalize()
            and date_from.day == 1
            and end_next == end_next.normalize()
            and end_next.day == 1
        ):
            # Whole calendar months (e.g. Oct–Dec): the previous period is as many months before (Jul–Sep).
            months = (end_next.year - date_from.year) * 12 + end_next.month - date_from.month
            return date_from - pd.DateOffset(months=months), prev_to, "preceding"
        return date_from - (end_next - date_from), prev_to, "preceding"
    return None, None, "none"


def grid_incident_stats(
    grids: gpd.GeoDataFrame,
    incidents: gpd.GeoDataFrame,
    *,
    grid_id_field: str | None = None,
    households_field: str | None = None,
    category_field: str | None = None,
    categories=None,
    date_field: str | None = None,
    date_from=None,
    date_to=None,
    previous_from=None,
    previous_to=None,
    contiguity: str = "queen",
    hotspot_value: str = "count",
    tolerance_m: float = 0.0,
    top_n: int = 5,
    report: Report | None = None,
) -> IncidentStats:
    """Count incidents per grid and find hot and cold spots.

    Parameters
    ----------
    grids : GeoDataFrame of polygons
    incidents : GeoDataFrame of points (any CRS; transformed to the grids' working CRS)
    grid_id_field : str, optional
        Field naming each grid (default: 1…n in layer order).
    households_field : str, optional
        Households per grid, for the rate per 1,000 households.
    category_field, categories, date_field : see :func:`select_incidents`.
    date_from, date_to : pandas.Timestamp, optional
        The current period (inclusive). Without a window every dated (or undated) incident counts.
    previous_from, previous_to : pandas.Timestamp, optional
        The previous period. Default when the current period is fully given: the period of equal
        length just before it.
    contiguity : {"queen", "rook"}
    hotspot_value : {"count", "per_km2", "per_1000_households"}
        The value tested with Gi*.
    tolerance_m : float
        Grids closer than this count as neighbours (digitising slivers).
    top_n : int
        Number of top grids in ``monthly_top``.

    Returns
    -------
    IncidentStats
    """
    report = report or Report()
    if grids is None or len(grids) == 0:
        raise InputError(N_("The layer {name} is empty; choose a layer with features."), name="grids")
    if hotspot_value not in HOTSPOT_VALUES:
        raise InputError(
            N_("Unknown hot spot value {value}; use one of {values}."),
            value=hotspot_value,
            values=", ".join(HOTSPOT_VALUES),
        )
    if hotspot_value == "per_1000_households" and not households_field:
        raise InputError(N_("Hot spots per 1,000 households need a households field; choose one or test counts."))
    _check_field(grids, grid_id_field, "grids")
    _check_field(grids, households_field, "grids", numeric=True)
    crs = _working_crs(grids, "grids", report)
    unit_m = metres_per_unit(crs)
    grid_geoms, missing = _grid_geometries(grids, crs, report)
    n_grids = len(grid_geoms)

    window_given = date_from is not None or date_to is not None
    prev_from, prev_to, prev_kind = _previous_window(date_from, date_to, previous_from, previous_to)
    if prev_kind != "none" and not date_field:
        raise InputError(
            N_("A time window was given but no date field; choose the field that holds the incident dates.")
        )
    selection = select_incidents(
        incidents,
        crs,
        category_field=category_field,
        categories=categories,
        date_field=date_field,
        date_from=date_from,
        date_to=date_to,
        keep_all_dates=True,
        report=report,
    )
    counts = dict(selection.counts)
    report.progress(10)
    grid_index, n_multi = assign_points_to_grids(selection.x, selection.y, grid_geoms, report=report, progress=False)
    report.progress(60)
    outside = grid_index < 0
    if date_field and selection.time is not None:
        times = selection.time
        # Without a window every incident counts, dated or not.
        in_current = time_window_mask(times, date_from, date_to) if window_given else np.ones(len(times), dtype=bool)
        in_previous = time_window_mask(times, prev_from, prev_to) if prev_kind != "none" else np.zeros(len(times), bool)
    else:
        in_current = np.ones(len(selection), dtype=bool)
        in_previous = np.zeros(len(selection), dtype=bool)
    _count_periods(counts, in_current, in_previous, outside, n_multi, prev_kind, prev_from, prev_to, report)

    use = in_current & ~outside
    g_cur = grid_index[use]
    total = np.bincount(g_cur, minlength=n_grids)
    prev = np.bincount(grid_index[in_previous & ~outside], minlength=n_grids)
    cats = selection.category[use]
    category_list = sorted(set(cats.tolist()), key=lambda c: (c == "", c)) if category_field else []
    category_columns = _category_columns(category_list)
    ids = grids[grid_id_field].to_numpy() if grid_id_field else np.arange(1, n_grids + 1)
    stats = _count_table(ids, total, prev, prev_kind, g_cur, cats, category_list, category_columns)
    _rate_columns(stats, grids, grid_geoms, total, unit_m, households_field, report)
    _hotspot_columns(stats, counts, grid_geoms, missing, total, hotspot_value, contiguity, tolerance_m / unit_m, report)

    monthly, monthly_top = pd.DataFrame(), pd.DataFrame()
    if date_field and selection.time is not None:
        monthly, monthly_top = _monthly_tables(selection.time[use], cats, category_field, g_cur, total, ids, top_n)
    report.progress(100)
    return IncidentStats(
        grids=_stats_output(grids, stats),
        category_columns=category_columns,
        monthly=monthly,
        monthly_top=monthly_top,
        summary=counts,
        warnings=list(report.warnings),
    )


def _grid_geometries(grids, crs, report: Report):
    """Grid geometries in the working CRS, repaired for counting, and the mask of grids without geometry."""
    grid_geoms = np.asarray(
        grids.to_crs(crs).geometry.values if not pyproj.CRS(grids.crs).equals(crs) else grids.geometry.values,
        dtype=object,
    )
    missing = shapely.is_missing(grid_geoms) | shapely.is_empty(grid_geoms)
    if missing.any():
        report.warn(N_("{n} grids have no geometry; they get no incidents."), n=int(missing.sum()))
        grid_geoms = grid_geoms.copy()
        grid_geoms[missing] = shapely.Polygon()
    invalid = ~missing & ~shapely.is_valid(grid_geoms)
    if invalid.any():
        report.warn(
            N_("Repaired {n} invalid grid polygons (for counting only; the output keeps them as they were)."),
            n=int(invalid.sum()),
        )
        grid_geoms = grid_geoms.copy()
        grid_geoms[invalid] = shapely.make_valid(grid_geoms[invalid])
    return grid_geoms, missing


def _count_periods(counts, in_current, in_previous, outside, n_multi, prev_kind, prev_from, prev_to, report):
    """Fill the period counts into ``counts``, warn about dropped incidents, refuse when none is left."""
    counts["n_current"] = int(in_current.sum())
    counts["n_outside_grids"] = int((in_current & outside).sum())
    counts["n_in_grids"] = int((in_current & ~outside).sum())
    counts["n_on_shared_boundary"] = int(n_multi)
    counts["n_previous"] = int((in_previous & ~outside).sum())
    counts["n_previous_outside_grids"] = int((in_previous & outside).sum())
    counts["previous_period"] = prev_kind
    counts["previous_from"] = None if prev_from is None else str(prev_from)
    counts["previous_to"] = None if prev_to is None else str(prev_to)
    if counts["n_invalid"]:
        report.warn(
            N_("{n} incidents have no valid coordinates (empty, null, NaN or infinite) and are not counted."),
            n=counts["n_invalid"],
        )
    if counts["n_outside_grids"]:
        report.warn(
            N_("{n} incidents lie outside every grid; they are counted in the summary, not in any grid."),
            n=counts["n_outside_grids"],
        )
    if counts["n_in_grids"] == 0:
        raise _empty_selection_error(counts, {"n_outside_area": counts["n_outside_grids"]})


def _count_table(ids, total, prev, prev_kind, g_cur, cats, category_list, category_columns) -> pd.DataFrame:
    """Counts per grid: total, per category, previous period and change."""
    n_grids = len(total)
    stats = pd.DataFrame(index=np.arange(n_grids))
    stats["grid_id"] = ids
    stats["n_incidents"] = total.astype(np.int64)
    if category_columns:
        cat_code = pd.Categorical(cats, categories=category_list).codes
        table = np.bincount(g_cur * len(category_list) + cat_code, minlength=n_grids * len(category_list))
        table = table.reshape(n_grids, len(category_list))
        for k, column in enumerate(category_columns):
            stats[column] = table[:, k].astype(np.int64)
    if prev_kind != "none":
        stats["n_previous"] = prev.astype(np.int64)
        stats["change"] = (total - prev).astype(np.int64)
        with np.errstate(divide="ignore", invalid="ignore"):
            stats["change_pct"] = np.where(prev > 0, 100.0 * (total - prev) / np.maximum(prev, 1), np.nan)
    return stats


def _rate_columns(stats, grids, grid_geoms, total, unit_m: float, households_field, report: Report) -> None:
    """Area, incidents per km², per 1,000 households (with a households field) and rank."""
    area_km2 = shapely.area(grid_geoms) * unit_m**2 / 1e6
    stats["area_km2"] = area_km2
    with np.errstate(divide="ignore", invalid="ignore"):
        stats["per_km2"] = np.where(area_km2 > 0, total / area_km2, np.nan)
    if households_field:
        households = pd.to_numeric(grids[households_field], errors="coerce").to_numpy(dtype=float)
        stats["households"] = households
        with np.errstate(divide="ignore", invalid="ignore"):
            stats["per_1000_hh"] = np.where(households > 0, 1000.0 * total / households, np.nan)
        no_hh = ~(households > 0)
        if no_hh.any():
            report.warn(
                N_("{n} grids have no households (0 or empty); their rate per 1,000 households is empty."),
                n=int(no_hh.sum()),
            )
    stats["rank"] = pd.Series(total).rank(method="min", ascending=False).astype(np.int64).to_numpy()


def _hotspot_columns(stats, counts, grid_geoms, missing, total, hotspot_value, contiguity, tolerance, report) -> None:
    """Getis–Ord Gi* z, p, FDR q and the hot/cold class of every grid (``tolerance`` in map units)."""
    n_grids = len(grid_geoms)
    value = {
        "count": total.astype(float),
        "per_km2": stats["per_km2"].to_numpy(),
        "per_1000_households": stats.get("per_1000_hh", pd.Series(np.nan, index=stats.index)).to_numpy(),
    }[hotspot_value]
    weights = hotspots.contiguity_weights(grid_geoms, contiguity, tolerance=tolerance)
    islands = int((np.asarray(weights.sum(axis=1)).ravel() == 0).sum())
    counts["n_islands"] = islands
    if islands:
        report.warn(
            N_("{n} grids have no neighbour ({contiguity} contiguity); their Gi* only compares the grid with itself."),
            n=islands,
            contiguity=contiguity,
        )
    ok = np.isfinite(value) & ~missing
    z = np.full(n_grids, np.nan)
    p = np.full(n_grids, np.nan)
    q = np.full(n_grids, np.nan)
    classes = np.full(n_grids, np.nan)
    if ok.sum() >= 3:
        sub = np.nonzero(ok)[0]
        zs, ps = hotspots.getis_ord_gi_star(value[sub], weights[sub][:, sub])
        z[sub], p[sub] = zs, ps
        q[sub] = hotspots.bh_adjusted(ps)
        classes[sub] = hotspots.hotspot_classes(zs, ps)
    else:
        report.warn(N_("Hot spots need at least 3 grids with a value; Gi* was not computed."))
    stats["gi_z"] = z
    stats["gi_p"] = p
    stats["gi_q"] = q
    stats["hotspot"] = pd.array(np.where(np.isnan(classes), pd.NA, classes), dtype="Int64")
    stats["hotspot_label"] = [None if pd.isna(c) else hotspots.hotspot_label(int(c)) for c in stats["hotspot"]]
    counts["n_hot"] = int(np.nansum(classes > 0))
    counts["n_cold"] = int(np.nansum(classes < 0))
    counts["hotspot_value"] = hotspot_value
    counts["contiguity"] = contiguity


def _monthly_tables(t, cats, category_field, g_cur, total, ids, top_n: int):
    """Monthly counts per category and for the top grids (every month between the first and the last)."""
    monthly, monthly_top = pd.DataFrame(), pd.DataFrame()
    has_time = t.notna().to_numpy()
    if not has_time.any():
        return monthly, monthly_top
    months = month_floor(t[has_time]).to_numpy()
    labels = cats[has_time] if category_field else np.full(int(has_time.sum()), "", dtype=object)
    frame = pd.DataFrame({"month": months, "category": labels, "grid": g_cur[has_time]})
    all_months = pd.date_range(months.min(), months.max(), freq="MS")
    monthly = frame.pivot_table(index="month", columns="category", values="grid", aggfunc="size", fill_value=0)
    monthly = monthly.reindex(all_months, fill_value=0)
    top = np.argsort(-total, kind="mergesort")[: max(0, int(top_n))]
    top = top[total[top] > 0]
    sub = frame[frame["grid"].isin(top)]
    monthly_top = sub.pivot_table(index="month", columns="grid", values="category", aggfunc="size", fill_value=0)
    monthly_top = monthly_top.reindex(index=all_months, columns=top, fill_value=0)
    monthly_top.columns = [ids[g] for g in top]
    return monthly, monthly_top


def _stats_output(grids, stats) -> gpd.GeoDataFrame:
    """The grids with the statistic columns first, then their own attributes (same geometry and CRS)."""
    output = grids.copy()
    for column in stats.columns:
        if column in output.columns:
            output = output.drop(columns=column)
    geometry_name = output.geometry.name
    rest = [c for c in output.columns if c not in (geometry_name, "fid")]
    return gpd.GeoDataFrame(
        pd.concat([stats.set_index(output.index), output[rest]], axis=1), geometry=output.geometry, crs=grids.crs
    )
