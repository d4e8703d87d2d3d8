"""Kernel density heatmaps of incidents (:func:`incident_heatmap`) and their GeoTIFF output.

Numerically QGIS's heatmap kernels (:mod:`.kde`), with category filter, time window, weights and
clipping to an area; the incidents are chosen by :func:`.selection.select_incidents`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pyproj
import shapely

from ..errors import N_, InputError, Report
from ..inputs import atomic_output
from .kde import RasterGrid, auto_bandwidth, auto_cell_size, grid_for_bounds, kernel_density
from .selection import _area_union, _empty_selection_error, _working_crs, select_incidents

__all__ = ["HeatmapResult", "incident_heatmap", "write_geotiff"]


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
    x, y, w, clip = _clip_to_area(selection, area, crs, counts, report)
    counts["n_used"] = int(len(x))
    if len(x) == 0 or not (w > 0).any():
        raise _empty_selection_error(counts)
    report.check_cancelled()

    bandwidth, rule, cell, grid, pad = _raster_layout(x, y, clip, bandwidth_m, cell_size_m, unit_m, report)
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
        values, full_kernel_weight = _mask_to_area(values, grid, clip, bandwidth, x, y, w)
    else:
        full_kernel_weight = float(w.sum())
    cell_area_km2 = (cell * unit_m) ** 2 / 1e6
    integral = float(np.nansum(values) * cell_area_km2) if output == "density" else float("nan")
    return HeatmapResult(
        values=values,
        grid=grid,
        crs=crs,
        unit_m=unit_m,
        bandwidth_m=bandwidth * unit_m,
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


def _clip_to_area(selection, area, crs, counts: dict, report: Report):
    """The selected points inside the area (all of them without an area) and the area's union."""
    x, y, w = selection.x, selection.y, selection.weight
    counts["n_outside_area"] = 0
    if area is None:
        return x, y, w, None
    clip = _area_union(area, crs, report)
    shapely.prepare(clip)
    inside = shapely.contains_xy(clip, x, y) if len(x) else np.zeros(0, dtype=bool)
    counts["n_outside_area"] = int((~inside).sum())
    if counts["n_outside_area"]:
        report.info(N_("{n} incidents lie outside the area and are not used."), n=counts["n_outside_area"])
    return x[inside], y[inside], w[inside], clip


def _raster_layout(x, y, clip, bandwidth_m, cell_size_m, unit_m: float, report: Report):
    """(bandwidth, its rule, cell size, raster grid, padding), all in map units.

    The bandwidth is the given one or the spatial Silverman rule; the cell the given one or about
    bandwidth / 8; the raster covers the area (or the points padded by one bandwidth).
    """
    if bandwidth_m is not None and bandwidth_m > 0:
        bandwidth, rule = bandwidth_m / unit_m, "given"
    else:
        bandwidth, rule = auto_bandwidth(x, y), "silverman_spatial"
    if clip is not None:
        bounds, pad = shapely.bounds(clip), 0.0
    else:
        bounds, pad = (x.min(), y.min(), x.max(), y.max()), bandwidth
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
            bandwidth=round(bandwidth * unit_m, 1),
            cell=round(cell * unit_m, 1),
        )
    return bandwidth, rule, cell, grid_for_bounds(bounds, cell, pad=pad), pad


def _mask_to_area(values, grid, clip, bandwidth: float, x, y, w):
    """NaN outside the area, and the weight of points whose whole kernel disc lies inside it.

    Those points lose nothing at the edge (inside the area shrunk by the bandwidth ⇔ at least a
    bandwidth from its edge).
    """
    xs, ys = grid.centres()
    gx, gy = np.meshgrid(xs, ys)
    mask = shapely.contains_xy(clip, gx.ravel(), gy.ravel()).reshape(gx.shape)
    inner = shapely.buffer(clip, -bandwidth, quad_segs=16)
    full_kernel_weight = float(w[shapely.contains_xy(inner, x, y)].sum()) if not inner.is_empty else 0.0
    return np.where(mask, values, np.nan), full_kernel_weight


def write_geotiff(path, values: np.ndarray, grid: RasterGrid, crs: pyproj.CRS, nodata: float = -9999.0) -> None:
    """Write a float32 single-band GeoTIFF (deflate, tiled); NaN becomes ``nodata``.

    The file is written under a temporary name and renamed, so a failure leaves no partial output.
    """
    import os

    from osgeo import gdal, osr

    gdal.UseExceptions()
    driver = gdal.GetDriverByName("GTiff")
    data = np.where(np.isnan(values), nodata, values).astype(np.float32)
    with atomic_output(path) as temporary:  # a failure removes the partial file
        tmp = str(temporary)
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
    aux = f"{tmp}.aux.xml"
    if os.path.exists(aux):
        os.replace(aux, f"{path}.aux.xml")
