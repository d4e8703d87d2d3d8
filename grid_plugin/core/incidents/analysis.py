"""Incident heatmaps and per-grid incident statistics: where the work of the grid lands.

Two entry points, both plain Python over geopandas/numpy (the QGIS algorithms
``gridplanner:incidentheatmap`` and ``gridplanner:incidentstats`` are thin wrappers):

:func:`incident_heatmap`
    Kernel density raster of incident points (:mod:`.kde`, numerically QGIS's heatmap kernels),
    with category filter, time window, weights and clipping to an area.
:func:`grid_incident_stats`
    Per grid: counts in total and per category, the previous period and the change, rates per 1,000
    households and per km², rank, Getis–Ord Gi* hot/cold spots with FDR correction (:mod:`.hotspots`)
    and monthly counts for the chart (:mod:`.incident_chart`).

Every incident read is accounted for: without valid coordinates, of another category, with an
unreadable or missing date, outside the time window, outside the area / every grid, or used. The
counts are in the result (``summary``) and the caller reports them; nothing is dropped silently.

CRS: the grids' (or area's) CRS is the working CRS; incidents in another CRS are transformed to it.
A geographic working CRS is replaced by a local projected one (CGCS2000 → the 3° Gauss–Krüger zone,
EPSG:4534–4554; other datums → UTM), because bandwidths, cells and areas are in metres. Distances
given in metres are converted to map units with the CRS's unit (EPSG:2227 is in US survey feet:
1 ft = 0.3048006 m).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from ..errors import N_, InputError, Report
from . import hotspots
from .dates import month_floor, parse_datetimes, time_window_mask
from .kde import RasterGrid, auto_bandwidth, auto_cell_size, grid_for_bounds, kernel_density

__all__ = [
    "NO_CATEGORY",
    "IncidentSelection",
    "HeatmapResult",
    "IncidentStats",
    "local_projected_crs",
    "metres_per_unit",
    "select_incidents",
    "incident_heatmap",
    "grid_incident_stats",
    "write_geotiff",
]

#: Category label for incidents whose category is empty.
NO_CATEGORY = N_("(no category)")
HOTSPOT_VALUES = ("count", "per_km2", "per_1000_households")


# --------------------------------------------------------------------------------------------- CRS
def local_projected_crs(lon: float, lat: float, geographic: pyproj.CRS | None = None) -> pyproj.CRS:
    """A metric CRS for data around (lon, lat): CGCS2000 3° Gauss–Krüger for CGCS2000 data in China, else UTM.

    Examples
    --------
    >>> local_projected_crs(114.2, 22.7, pyproj.CRS.from_epsg(4490)).to_epsg()  # Shenzhen, CM 114°E
    4547
    >>> local_projected_crs(-87.7, 41.9).to_epsg()  # Chicago: UTM 16N
    32616
    """
    datum_name = ""
    if geographic is not None:
        try:
            datum_name = geographic.datum.name if geographic.datum is not None else ""
        except pyproj.exceptions.CRSError:
            datum_name = ""
    cgcs2000 = "China 2000" in datum_name or (geographic is not None and geographic.to_epsg() == 4490)
    if cgcs2000 and 73.5 <= lon <= 136.5:  # the 3° GK zones EPSG:4534–4554 cover China (CM 75°E–135°E)
        zone = int(min(max(round((lon - 75.0) / 3.0), 0), 20))
        return pyproj.CRS.from_epsg(4534 + zone)
    zone = int(min(max(math.floor((lon + 180.0) / 6.0) + 1, 1), 60))
    return pyproj.CRS.from_epsg((32600 if lat >= 0 else 32700) + zone)


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
    local = local_projected_crs(lon, lat, crs)
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


# ---------------------------------------------------------------------------------------- heatmap
@dataclass
class HeatmapResult:
    """A density raster and what went into it.

    ``values`` has NaN outside the clip area. With ``output="density"`` the unit is incidents
    (weight) per km², and ``integral = Σ values × cell area (km²)`` equals ``weight_sum`` less the
    edge loss (kernel mass falling outside the area, at most ``weight_sum − full_kernel_weight``)
    and a discretisation error (< 1 % for bandwidth ≥ 4 cells with the quartic kernel).
    """

    values: np.ndarray
    grid: RasterGrid
    crs: pyproj.CRS
    unit_m: float
    bandwidth_m: float
    cell_size_m: float
    bandwidth_rule: str
    kernel: str
    output: str
    method: str
    n_points: int
    weight_sum: float
    full_kernel_weight: float
    integral: float
    counts: dict
    warnings: list = field(default_factory=list)

    @property
    def cell_area_km2(self) -> float:
        """Area of one cell in km²."""
        return (self.grid.cell * self.unit_m) ** 2 / 1e6


def incident_heatmap(
    incidents: gpd.GeoDataFrame,
    *,
    area: gpd.GeoDataFrame | None = None,
    bandwidth_m: float | None = None,
    cell_size_m: float | None = None,
    kernel: str = "quartic",
    decay: float = 0.0,
    weight_field: str | None = None,
    category_field: str | None = None,
    categories=None,
    date_field: str | None = None,
    date_from=None,
    date_to=None,
    output: str = "density",
    method: str = "auto",
    report: Report | None = None,
) -> HeatmapResult:
    """Kernel density heatmap of incidents (see the module docstring and :mod:`.kde`).

    Parameters
    ----------
    incidents : GeoDataFrame of points
    area : GeoDataFrame of polygons, optional
        Clip to this area: only incidents inside it are used, cells outside are nodata, the raster
        is in the area's CRS and covers its extent.
    bandwidth_m : float, optional
        Kernel radius in metres; default by the spatial Silverman rule (:func:`.kde.auto_bandwidth`).
    cell_size_m : float, optional
        Cell size in metres; default about bandwidth / 8 (:func:`.kde.auto_cell_size`).
    kernel, decay : see :func:`.kde.kernel_density`.
    weight_field, category_field, categories, date_field, date_from, date_to : filters, see
        :func:`select_incidents`.
    output : {"density", "raw"}
        Incidents per km² (default) or QGIS's raw kernel sum.
    method : {"auto", "exact", "fft"}

    Raises
    ------
    InputError
        When no incident is left after filtering (no empty raster is made), or for bad parameters.
    """
    report = report or Report()
    crs = _working_crs(area, "area", report) if area is not None else None
    selection = select_incidents(
        incidents,
        crs,
        weight_field=weight_field,
        category_field=category_field,
        categories=categories,
        date_field=date_field,
        date_from=date_from,
        date_to=date_to,
        report=report,
    )
    crs = selection.crs
    unit_m = selection.unit_m
    x, y, w = selection.x, selection.y, selection.weight
    counts = dict(selection.counts)
    clip = None
    counts["n_outside_area"] = 0
    if area is not None:
        clip = _area_union(area, crs, report)
        shapely.prepare(clip)
        inside = shapely.contains_xy(clip, x, y) if len(x) else np.zeros(0, dtype=bool)
        counts["n_outside_area"] = int((~inside).sum())
        if counts["n_outside_area"]:
            report.info(N_("{n} incidents lie outside the area and are not used."), n=counts["n_outside_area"])
        x, y, w = x[inside], y[inside], w[inside]
    counts["n_used"] = int(len(x))
    if len(x) == 0 or not (w > 0).any():
        raise _empty_selection_error(counts)
    report.check_cancelled()

    if bandwidth_m is not None and bandwidth_m > 0:
        bandwidth = bandwidth_m / unit_m
        rule = "given"
    else:
        bandwidth = auto_bandwidth(x, y)
        rule = "silverman_spatial"
    bandwidth_m_used = bandwidth * unit_m
    if clip is not None:
        bounds = shapely.bounds(clip)
        pad = 0.0
    else:
        bounds = (x.min(), y.min(), x.max(), y.max())
        pad = bandwidth
    width, height = bounds[2] - bounds[0] + 2 * pad, bounds[3] - bounds[1] + 2 * pad
    if cell_size_m is not None and cell_size_m > 0:
        cell = cell_size_m / unit_m
    else:
        cell = auto_cell_size(bandwidth * unit_m, width * unit_m, height * unit_m) / unit_m
    n_cells = (width / cell) * (height / cell)
    if n_cells > 100_000_000:
        raise InputError(
            N_("A {cell} m cell over this extent makes {cells} million cells; choose a larger cell size."),
            cell=round(cell * unit_m, 3),
            cells=round(n_cells / 1e6, 1),
        )
    if bandwidth < cell:
        report.warn(
            N_("The bandwidth ({bandwidth} m) is smaller than a cell ({cell} m); the heatmap will be spotty."),
            bandwidth=round(bandwidth_m_used, 1),
            cell=round(cell * unit_m, 1),
        )
    grid = grid_for_bounds(bounds, cell, pad=pad)
    values = kernel_density(
        x,
        y,
        grid,
        bandwidth,
        kernel=kernel,
        decay=decay,
        weights=w,
        output=output,
        unit_m=unit_m,
        method=method,
        report=report,
    )
    used_method = method
    if method == "auto":
        from .kde import EXACT_LIMIT

        reach = math.ceil(bandwidth / cell)
        used_method = "exact" if len(x) * (2 * reach + 1) ** 2 <= EXACT_LIMIT else "fft"
    if clip is not None:
        xs, ys = grid.centres()
        gx, gy = np.meshgrid(xs, ys)
        mask = shapely.contains_xy(clip, gx.ravel(), gy.ravel()).reshape(gx.shape)
        values = np.where(mask, values, np.nan)
        # Points whose whole kernel disc lies inside the area lose nothing at the edge.
        # (inside the area shrunk by the bandwidth ⇔ at least a bandwidth from its edge)
        inner = shapely.buffer(clip, -bandwidth, quad_segs=16)
        full_kernel_weight = float(w[shapely.contains_xy(inner, x, y)].sum()) if not inner.is_empty else 0.0
    else:
        full_kernel_weight = float(w.sum())
    cell_area_km2 = (cell * unit_m) ** 2 / 1e6
    integral = float(np.nansum(values) * cell_area_km2) if output == "density" else float("nan")
    return HeatmapResult(
        values=values,
        grid=grid,
        crs=crs,
        unit_m=unit_m,
        bandwidth_m=bandwidth_m_used,
        cell_size_m=cell * unit_m,
        bandwidth_rule=rule,
        kernel=kernel,
        output=output,
        method=used_method,
        n_points=int(len(x)),
        weight_sum=float(w.sum()),
        full_kernel_weight=full_kernel_weight,
        integral=integral,
        counts=counts,
        warnings=list(report.warnings),
    )


def write_geotiff(path, values: np.ndarray, grid: RasterGrid, crs: pyproj.CRS, nodata: float = -9999.0) -> None:
    """Write a float32 single-band GeoTIFF (deflate, tiled); NaN becomes ``nodata``.

    The file is written under a temporary name and renamed, so a failure leaves no partial output.
    """
    import os

    from osgeo import gdal, osr

    gdal.UseExceptions()
    tmp = f"{path}.part.tif"
    driver = gdal.GetDriverByName("GTiff")
    data = np.where(np.isnan(values), nodata, values).astype(np.float32)
    dataset = driver.Create(
        tmp, grid.n_cols, grid.n_rows, 1, gdal.GDT_Float32, options=["COMPRESS=DEFLATE", "TILED=YES", "PREDICTOR=3"]
    )
    try:
        dataset.SetGeoTransform(grid.geotransform)
        srs = osr.SpatialReference()
        srs.ImportFromWkt(crs.to_wkt())
        dataset.SetProjection(srs.ExportToWkt())
        band = dataset.GetRasterBand(1)
        band.SetNoDataValue(nodata)
        band.WriteArray(data)
        band.ComputeStatistics(False)
        band.FlushCache()
    finally:
        dataset = None
    os.replace(tmp, path)
    aux = f"{tmp}.aux.xml"
    if os.path.exists(aux):
        os.replace(aux, f"{path}.aux.xml")


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
    current = in_current
    counts["n_current"] = int(current.sum())
    counts["n_outside_grids"] = int((current & outside).sum())
    counts["n_in_grids"] = int((current & ~outside).sum())
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

    use = current & ~outside
    g_cur = grid_index[use]
    total = np.bincount(g_cur, minlength=n_grids)
    prev = np.bincount(grid_index[in_previous & ~outside], minlength=n_grids)
    cats = selection.category[use]
    category_list = sorted(set(cats.tolist()), key=lambda c: (c == "", c)) if category_field else []
    category_columns = _category_columns(category_list)

    stats = pd.DataFrame(index=np.arange(n_grids))
    ids = grids[grid_id_field].to_numpy() if grid_id_field else np.arange(1, n_grids + 1)
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

    # Hot and cold spots.
    value = {
        "count": total.astype(float),
        "per_km2": stats["per_km2"].to_numpy(),
        "per_1000_households": stats.get("per_1000_hh", pd.Series(np.nan, index=stats.index)).to_numpy(),
    }[hotspot_value]
    weights = hotspots.contiguity_weights(grid_geoms, contiguity, tolerance=tolerance_m / unit_m)
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

    # Monthly counts for the chart.
    monthly = pd.DataFrame()
    monthly_top = pd.DataFrame()
    if date_field and selection.time is not None:
        t = selection.time[use]
        has_time = t.notna().to_numpy()
        if has_time.any():
            months = month_floor(t[has_time]).to_numpy()
            labels = cats[has_time] if category_field else np.full(int(has_time.sum()), "", dtype=object)
            frame = pd.DataFrame({"month": months, "category": labels, "grid": g_cur[has_time]})
            all_months = pd.date_range(months.min(), months.max(), freq="MS")
            monthly = frame.pivot_table(index="month", columns="category", values="grid", aggfunc="size", fill_value=0)
            monthly = monthly.reindex(all_months, fill_value=0)
            top = np.argsort(-total, kind="mergesort")[: max(0, int(top_n))]
            top = top[total[top] > 0]
            sub = frame[frame["grid"].isin(top)]
            monthly_top = sub.pivot_table(
                index="month", columns="grid", values="category", aggfunc="size", fill_value=0
            )
            monthly_top = monthly_top.reindex(index=all_months, columns=top, fill_value=0)
            monthly_top.columns = [ids[g] for g in top]
    report.progress(100)

    output = grids.copy()
    for column in stats.columns:
        if column in output.columns:
            output = output.drop(columns=column)
    geometry_name = output.geometry.name
    rest = [c for c in output.columns if c not in (geometry_name, "fid")]
    out = gpd.GeoDataFrame(
        pd.concat([stats.set_index(output.index), output[rest]], axis=1), geometry=output.geometry, crs=grids.crs
    )
    return IncidentStats(
        grids=out,
        category_columns=category_columns,
        monthly=monthly,
        monthly_top=monthly_top,
        summary=counts,
        warnings=list(report.warnings),
    )
