"""Incidents in: which incident points count, in which CRS, and why every other one does not.

The two analyses (:mod:`.heatmap`: kernel density rasters; :mod:`.stats`: per-grid counts, rates and
Getis–Ord Gi* hot spots) both start from :func:`select_incidents`.

Every incident read is accounted for: without valid coordinates, of another category, with an
unreadable or missing date, outside the time window, outside the area / every grid, or used. The
counts are in the result (``counts``) and the caller reports them; nothing is dropped silently.

CRS: the grids' (or area's) CRS is the working CRS; incidents in another CRS are transformed to it.
A geographic working CRS is replaced by the plugin's one automatic metric CRS
(:func:`grid_plugin.core.crs.auto_metric_crs`: CGCS2000 3° Gauss–Krüger EPSG:4534–4554 in China, UTM
elsewhere), because bandwidths, cells and areas are in metres. Distances given in metres are converted to
map units with the CRS's unit (EPSG:2227 is in US survey feet: 1 ft = 0.3048006 m).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from ..crs import auto_metric_crs
from ..errors import N_, InputError, Report
from .dates import parse_datetimes, time_window_mask

__all__ = [
    "NO_CATEGORY",
    "IncidentSelection",
    "metres_per_unit",
    "select_incidents",
]

#: Category label for incidents whose category is empty.
NO_CATEGORY = N_("(no category)")


# --------------------------------------------------------------------------------------------- CRS
def metres_per_unit(crs: pyproj.CRS) -> float:
    """Metres per map unit of a projected CRS (0.3048006096 for US survey feet)."""
    axis = crs.axis_info[0] if crs.axis_info else None
    factor = getattr(axis, "unit_conversion_factor", None)
    return float(factor) if factor else 1.0


def _working_crs(frame: gpd.GeoDataFrame, name: str, report: Report) -> pyproj.CRS:
    crs = frame.crs
    if crs is None:
        raise InputError(
            N_("The layer {name} has no coordinate reference system; set one in its properties."), name=name
        )
    if crs.is_projected:
        return crs
    bounds = frame.total_bounds
    lon, lat = (bounds[0] + bounds[2]) / 2.0, (bounds[1] + bounds[3]) / 2.0
    if not (np.isfinite(lon) and np.isfinite(lat)):
        lon, lat = 0.0, 0.0
    local = auto_metric_crs(lon, lat)
    report.info(
        N_("The layer {name} is in a geographic CRS ({crs}); measuring in {local} instead."),
        name=name,
        crs=crs.to_string(),
        local=local.to_string(),
    )
    return local


# --------------------------------------------------------------------------------------- selection
@dataclass
class IncidentSelection:
    """Incidents that passed the filters, in the working CRS, with the count of every reason to drop."""

    x: np.ndarray
    y: np.ndarray
    weight: np.ndarray
    category: np.ndarray  # object array of str
    time: pd.Series | None  # datetime64[ns] per selected incident (None without a date field)
    crs: pyproj.CRS
    unit_m: float
    counts: dict = field(default_factory=dict)
    rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # input row positions

    def __len__(self) -> int:
        return len(self.x)


def _point_coordinates(geoms: np.ndarray, report: Report) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """x, y and a validity mask; non-point geometries are reduced to their centroid (with a warning)."""
    n = len(geoms)
    x = np.full(n, np.nan)
    y = np.full(n, np.nan)
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms)) if n else np.zeros(0, dtype=bool)
    if present.any():
        g = geoms[present]
        kind = shapely.get_type_id(g)
        not_point = kind != 0
        if not_point.any():
            report.warn(
                N_("{n} incident geometries are not single points; their centroids are used."), n=int(not_point.sum())
            )
            g = g.copy()
            g[not_point] = shapely.centroid(g[not_point])
        x[present] = shapely.get_x(g)
        y[present] = shapely.get_y(g)
    valid = np.isfinite(x) & np.isfinite(y)
    return x, y, valid


def _check_field(frame, name: str | None, layer: str, numeric: bool = False) -> None:
    if name and name not in frame.columns:
        raise InputError(
            N_("The field {field} is not in the layer {name}; choose one of its fields."), field=name, name=layer
        )
    if name and numeric:
        values = pd.to_numeric(frame[name], errors="coerce")
        if values.isna().all() and len(frame):
            raise InputError(
                N_("The field {field} of the layer {name} holds no numbers; choose a numeric field."),
                field=name,
                name=layer,
            )


def _category_values(frame, category_field) -> np.ndarray:
    if not category_field:
        return np.full(len(frame), "", dtype=object)
    # Each distinct value is converted once (a million incidents have a handful of categories).
    codes, uniques = pd.factorize(frame[category_field], use_na_sentinel=True)
    labels = np.array([str(v).strip() for v in uniques] + [""], dtype=object)
    return labels[codes]  # code −1 (missing) picks the trailing ""


def _normalise_categories(categories) -> list[str] | None:
    if categories is None:
        return None
    if isinstance(categories, str):
        categories = re.split(r"[,，;；\n]", categories)
    values = [str(c).strip() for c in categories if str(c).strip()]
    return values or None


def select_incidents(
    incidents: gpd.GeoDataFrame,
    target_crs: pyproj.CRS | None = None,
    *,
    weight_field: str | None = None,
    category_field: str | None = None,
    categories=None,
    date_field: str | None = None,
    date_from=None,
    date_to=None,
    keep_all_dates: bool = False,
    report: Report | None = None,
) -> IncidentSelection:
    """Validate, filter and project incident points.

    Parameters
    ----------
    incidents : GeoDataFrame of points
    target_crs : pyproj.CRS, optional
        Working CRS (projected). Default: the incidents' CRS, or a local projected CRS if geographic.
    weight_field, category_field, date_field : str, optional
    categories : list of str or comma-separated str, optional
        Keep only these category values (compared as trimmed text).
    date_from, date_to : pandas.Timestamp, optional
        Time window, both ends inclusive.
    keep_all_dates : bool
        Keep incidents outside the window and with unreadable dates (the caller filters later,
        e.g. to count two periods); the window counts are still reported.

    Returns
    -------
    IncidentSelection
        ``counts`` keys: n_input, n_invalid, n_other_category, n_missing_date, n_unparsed_date,
        unparsed_examples, n_outside_window, n_selected.
    """
    report = report or Report()
    name = "incidents"
    if incidents is None or len(incidents) == 0:
        raise InputError(N_("The layer {name} is empty; choose a layer with features."), name=name)
    _check_field(incidents, weight_field, name, numeric=True)
    _check_field(incidents, category_field, name)
    _check_field(incidents, date_field, name)
    if (date_from is not None or date_to is not None) and not date_field:
        raise InputError(
            N_("A time window was given but no date field; choose the field that holds the incident dates.")
        )
    if date_from is not None and date_to is not None and date_from > date_to:
        raise InputError(
            N_("The time window starts ({start}) after it ends ({end}); swap the dates."),
            start=str(date_from),
            end=str(date_to),
        )
    crs = target_crs or _working_crs(incidents, name, report)
    if incidents.crs is None:
        raise InputError(
            N_("The layer {name} has no coordinate reference system; set one in its properties."), name=name
        )
    counts: dict = {"n_input": len(incidents)}
    geoms = np.asarray(incidents.geometry.values, dtype=object)
    x, y, valid = _point_coordinates(geoms, report)
    if not pyproj.CRS(incidents.crs).equals(crs):
        transformer = pyproj.Transformer.from_crs(incidents.crs, crs, always_xy=True)
        x2, y2 = transformer.transform(x[valid], y[valid], errcheck=False)
        x[valid], y[valid] = x2, y2
        valid &= np.isfinite(x) & np.isfinite(y)
    counts["n_invalid"] = int((~valid).sum())
    keep = valid.copy()

    category = _category_values(incidents, category_field)
    wanted = _normalise_categories(categories)
    if wanted is not None:
        if not category_field:
            raise InputError(
                N_("Categories to keep were given but no category field; choose the field that holds them.")
            )
        in_wanted = pd.Series(category).isin(wanted).to_numpy()
        counts["n_other_category"] = int((keep & ~in_wanted).sum())
        keep &= in_wanted
    else:
        counts["n_other_category"] = 0

    weight = np.ones(len(incidents))
    if weight_field:
        weight = pd.to_numeric(incidents[weight_field], errors="coerce").to_numpy(dtype=float)
        bad_weight = ~np.isfinite(weight)
        if (keep & bad_weight).any():
            report.warn(
                N_("{n} incidents have no numeric weight and count with weight 0."), n=int((keep & bad_weight).sum())
            )
        weight = np.where(bad_weight, 0.0, weight)
        if (weight < 0).any():
            raise InputError(
                N_("The weight field {field} holds negative values; weights must be 0 or more."), field=weight_field
            )

    times = None
    counts.update(n_missing_date=0, n_unparsed_date=0, unparsed_examples=[], n_outside_window=0)
    if date_field:
        parsed = parse_datetimes(incidents[date_field].reset_index(drop=True))
        times = parsed.values
        unparsed_mask = np.zeros(len(times), dtype=bool)
        if parsed.n_unparsed:
            raw = incidents[date_field].reset_index(drop=True)
            unparsed_mask = times.isna().to_numpy() & raw.notna().to_numpy()
            unparsed_mask &= ~raw.astype(str).str.strip().eq("").to_numpy()
        missing = times.isna().to_numpy() & ~unparsed_mask
        counts["n_missing_date"] = int((keep & missing).sum())
        counts["n_unparsed_date"] = int((keep & unparsed_mask).sum())
        examples = [str(v) for v in incidents[date_field].reset_index(drop=True)[keep & unparsed_mask].unique()[:5]]
        counts["unparsed_examples"] = examples
        if counts["n_unparsed_date"] and (date_from is not None or date_to is not None):
            report.warn(
                N_("{n} incidents have a date that could not be read (for example: {examples}); they are left out."),
                n=counts["n_unparsed_date"],
                examples="; ".join(examples),
            )
        elif counts["n_unparsed_date"]:
            report.warn(
                N_(
                    "{n} incidents have a date that could not be read (for example: {examples}); without a time "
                    "window they are still counted, but not in the monthly chart."
                ),
                n=counts["n_unparsed_date"],
                examples="; ".join(examples),
            )
        if counts["n_missing_date"] and (date_from is not None or date_to is not None):
            report.warn(N_("{n} incidents have no date and are outside any time window."), n=counts["n_missing_date"])
        in_window = time_window_mask(times, date_from, date_to)
        has_date = times.notna().to_numpy()
        counts["n_outside_window"] = int((keep & has_date & ~in_window).sum())
        if not keep_all_dates and (date_from is not None or date_to is not None):
            keep &= in_window
    rows = np.nonzero(keep)[0]
    counts["n_selected"] = int(len(rows))
    return IncidentSelection(
        x=x[rows],
        y=y[rows],
        weight=weight[rows],
        category=category[rows],
        time=None if times is None else times.iloc[rows].reset_index(drop=True),
        crs=crs,
        unit_m=metres_per_unit(crs),
        counts=counts,
        rows=rows,
    )


def _empty_selection_error(counts: dict, extra: dict | None = None) -> InputError:
    params = dict(counts)
    params.update(extra or {})
    params.setdefault("n_outside_area", 0)
    return InputError(
        N_(
            "No incidents are left after filtering: {n_input} read, {n_invalid} without valid coordinates, "
            "{n_other_category} of other categories, {n_unparsed_date} with unreadable dates, "
            "{n_outside_window} outside the time window, {n_outside_area} outside the area. "
            "Widen the category list or the time window, or check the date field."
        ),
        **{k: v for k, v in params.items() if k != "unparsed_examples"},
    )


def _area_union(area: gpd.GeoDataFrame, crs: pyproj.CRS, report: Report):
    geoms = area.to_crs(crs).geometry.values if not pyproj.CRS(area.crs).equals(crs) else area.geometry.values
    geoms = np.asarray(geoms, dtype=object)
    geoms = geoms[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))]
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        report.warn(N_("Repaired {n} invalid area polygons."), n=int(invalid.sum()))
        geoms = geoms.copy()
        geoms[invalid] = shapely.make_valid(geoms[invalid])
    if len(geoms) == 0:
        raise InputError(N_("The layer {name} is empty; choose a layer with features."), name="area")
    union = shapely.union_all(geoms)
    polys = shapely.get_parts(union)
    polys = polys[np.isin(shapely.get_type_id(polys), [3, 6])]
    if len(polys) == 0:
        raise InputError(N_("The area layer holds no polygons; choose a polygon layer."))
    return shapely.union_all(polys)
