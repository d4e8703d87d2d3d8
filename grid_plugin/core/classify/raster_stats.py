"""Zonal statistics of rasters over grid polygons: slope and relief of a DEM, class shares of a land
cover — with numpy over GDAL-read blocks, no per-grid Python loop.

How it works: the grid polygons are transformed into the raster's CRS (vectors are cheap to
reproject; the raster is never resampled) and burnt into a zone raster aligned with the data
(``gdal.RasterizeLayer``, cell-centre rule, value = grid index + 1). The data are read in row blocks
over the grids' window only; per-zone sums come from ``numpy.bincount`` and per-zone extremes from a
pandas group-by. Slope uses Horn's 3×3 method with cell sizes in metres: for a projected CRS the
linear unit is converted (US feet …); for a geographic CRS (SRTM in EPSG:4326) the east–west and
north–south cell sizes are computed per row on the CRS's ellipsoid, so slopes are right at any
latitude. Grids too small to hold a cell centre take the cell under their representative point.

Cell areas are computed in metres the same way, so the covered share of each grid is honest where a
raster stops at its edge or has no-data holes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyproj
import shapely
from osgeo import gdal, ogr, osr

from ..errors import N_, InputError, Report

__all__ = ["RasterInfo", "open_raster", "zonal_dem", "zonal_classes"]

gdal.UseExceptions()
ogr.UseExceptions()
osr.UseExceptions()

_BLOCK_ROWS = 1024


@dataclass
class RasterInfo:
    """An open raster and what the statistics need to know about it."""

    dataset: object
    name: str
    crs: pyproj.CRS
    transform: tuple
    width: int
    height: int
    nodata: float | None

    @property
    def is_geographic(self) -> bool:
        return self.crs.is_geographic


def open_raster(source, *, what: str = "raster") -> RasterInfo:
    """Open a raster path, a list of paths (mosaicked as a VRT) or an open ``gdal.Dataset``.

    Raises :class:`InputError` for a file GDAL cannot read, a raster without a CRS or a rotated one.
    """
    if isinstance(source, gdal.Dataset):
        dataset, name = source, source.GetDescription()
    else:
        paths = [str(p) for p in source] if isinstance(source, (list, tuple)) else [str(source)]
        name = ", ".join(paths)
        try:
            if len(paths) == 1:
                dataset = gdal.Open(paths[0])
            else:
                dataset = gdal.BuildVRT(f"/vsimem/gridplanner_{id(paths)}.vrt", paths)
        except RuntimeError as error:
            raise InputError(
                N_("The {what} {name} could not be opened ({reason}); choose a raster file GDAL can read."),
                what=what,
                name=name,
                reason=str(error).strip(),
            ) from None
        if dataset is None:
            raise InputError(
                N_("The {what} {name} could not be opened; choose a raster file GDAL can read."), what=what, name=name
            )
    wkt = dataset.GetProjection()
    if not wkt:
        raise InputError(
            N_(
                "The {what} {name} has no coordinate reference system; assign one (Raster ▸ Projections ▸ Assign) "
                "and run again."
            ),
            what=what,
            name=name,
        )
    transform = dataset.GetGeoTransform()
    if transform[2] != 0 or transform[4] != 0:
        raise InputError(
            N_("The {what} {name} is rotated; warp it to a north-up raster (gdalwarp) first."), what=what, name=name
        )
    band = dataset.GetRasterBand(1)
    return RasterInfo(
        dataset=dataset,
        name=name,
        crs=pyproj.CRS.from_wkt(wkt),
        transform=transform,
        width=dataset.RasterXSize,
        height=dataset.RasterYSize,
        nodata=band.GetNoDataValue(),
    )


def _linear_unit_m(crs: pyproj.CRS) -> float:
    try:
        return float(crs.axis_info[0].unit_conversion_factor) or 1.0
    except (IndexError, AttributeError):
        return 1.0


def _cell_size_m(info: RasterInfo, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """East–west and north–south cell sizes in metres for raster ``rows`` (arrays of len(rows))."""
    gt = info.transform
    if not info.is_geographic:
        unit = _linear_unit_m(info.crs)
        return np.full(len(rows), abs(gt[1]) * unit), np.full(len(rows), abs(gt[5]) * unit)
    ellipsoid = info.crs.ellipsoid
    a = ellipsoid.semi_major_metre
    inv_f = ellipsoid.inverse_flattening or 0.0
    e2 = 0.0 if inv_f == 0 else (2 - 1 / inv_f) / inv_f
    lat = np.radians(gt[3] + (rows + 0.5) * gt[5])
    sin2 = np.sin(lat) ** 2
    prime_vertical = a / np.sqrt(1 - e2 * sin2)
    meridional = a * (1 - e2) / (1 - e2 * sin2) ** 1.5
    rad = math.pi / 180.0
    return abs(gt[1]) * rad * prime_vertical * np.cos(lat), abs(gt[5]) * rad * meridional


def _window(info: RasterInfo, bounds, pad: int) -> tuple[int, int, int, int] | None:
    """(col0, row0, ncols, nrows) of the raster cells covering ``bounds`` plus ``pad`` cells, or None."""
    gt = info.transform
    minx, miny, maxx, maxy = bounds
    cols = sorted([(minx - gt[0]) / gt[1], (maxx - gt[0]) / gt[1]])
    rows = sorted([(maxy - gt[3]) / gt[5], (miny - gt[3]) / gt[5]])
    c0 = max(0, int(math.floor(cols[0])) - pad)
    c1 = min(info.width, int(math.ceil(cols[1])) + pad)
    r0 = max(0, int(math.floor(rows[0])) - pad)
    r1 = min(info.height, int(math.ceil(rows[1])) + pad)
    if c1 <= c0 or r1 <= r0:
        return None
    return c0, r0, c1 - c0, r1 - r0


def _zone_raster(info: RasterInfo, geoms_raster_crs: np.ndarray, window) -> np.ndarray:
    """Burn grid index + 1 into an int32 array over ``window`` (0 = no grid), cell-centre rule."""
    c0, r0, ncols, nrows = window
    gt = info.transform
    driver = gdal.GetDriverByName("MEM")
    target = driver.Create("", ncols, nrows, 1, gdal.GDT_Int32)
    target.SetGeoTransform((gt[0] + c0 * gt[1], gt[1], 0.0, gt[3] + r0 * gt[5], 0.0, gt[5]))
    srs = osr.SpatialReference()
    srs.ImportFromWkt(info.dataset.GetProjection())
    target.SetProjection(srs.ExportToWkt())
    memory = ogr.GetDriverByName("Memory").CreateDataSource("zones")
    layer = memory.CreateLayer("zones", srs=srs, geom_type=ogr.wkbUnknown)
    layer.CreateField(ogr.FieldDefn("zone", ogr.OFTInteger))
    definition = layer.GetLayerDefn()
    wkbs = shapely.to_wkb(geoms_raster_crs)
    for index, wkb in enumerate(wkbs):
        if wkb is None:
            continue
        feature = ogr.Feature(definition)
        feature.SetField(0, index + 1)
        feature.SetGeometryDirectly(ogr.CreateGeometryFromWkb(wkb))
        layer.CreateFeature(feature)
    gdal.RasterizeLayer(target, [1], layer, options=["ATTRIBUTE=zone"])
    return target.GetRasterBand(1).ReadAsArray().astype(np.int32)


def _read(info: RasterInfo, c0: int, r0: int, ncols: int, nrows: int) -> np.ndarray:
    return info.dataset.GetRasterBand(1).ReadAsArray(int(c0), int(r0), int(ncols), int(nrows))


def _as_float(block: np.ndarray, nodata) -> np.ndarray:
    values = block.astype(np.float32)
    if nodata is not None and not (isinstance(nodata, float) and math.isnan(nodata)):
        values[block == nodata] = np.nan
    return values


def _horn_slope_deg(z: np.ndarray, dx: np.ndarray, dy: np.ndarray) -> np.ndarray:
    """Slope in degrees of the inner rows/cols of ``z`` (Horn 1981); ``dx``/``dy`` per inner row (m)."""
    a, b, c = z[:-2, :-2], z[:-2, 1:-1], z[:-2, 2:]
    d, f = z[1:-1, :-2], z[1:-1, 2:]
    g, h, i = z[2:, :-2], z[2:, 1:-1], z[2:, 2:]
    dzdx = ((c + 2 * f + i) - (a + 2 * d + g)) / (8.0 * dx[:, None]).astype(z.dtype)
    dzdy = ((g + 2 * h + i) - (a + 2 * b + c)) / (8.0 * dy[:, None]).astype(z.dtype)
    return np.degrees(np.arctan(np.hypot(dzdx, dzdy)))


def _grids_in_raster_crs(grids_geoms: np.ndarray, grids_crs, info: RasterInfo) -> np.ndarray:
    if grids_crs is None or pyproj.CRS.from_user_input(grids_crs) == info.crs:
        return grids_geoms
    transformer = pyproj.Transformer.from_crs(grids_crs, info.crs, always_xy=True)
    return shapely.transform(grids_geoms, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))


def _inside_fraction(info: RasterInfo, geoms_r: np.ndarray) -> np.ndarray:
    """Share of each grid's area inside the raster's extent (1 where wholly inside)."""
    gt = info.transform
    x0, x1 = sorted([gt[0], gt[0] + info.width * gt[1]])
    y0, y1 = sorted([gt[3], gt[3] + info.height * gt[5]])
    extent = shapely.box(x0, y0, x1, y1)
    areas = shapely.area(geoms_r)
    inside = shapely.area(shapely.intersection(geoms_r, extent))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(areas > 0, np.clip(inside / np.where(areas > 0, areas, 1.0), 0.0, 1.0), 0.0)


def _fill_small_zones(info, geoms_r, missing, window, sample):
    """For zones without a cell centre, evaluate ``sample(row, col)`` at their representative point."""
    gt = info.transform
    points = shapely.point_on_surface(geoms_r[missing])
    xy = shapely.get_coordinates(points)
    cols = np.floor((xy[:, 0] - gt[0]) / gt[1]).astype(int)
    rows = np.floor((xy[:, 1] - gt[3]) / gt[5]).astype(int)
    inside = (cols >= 0) & (cols < info.width) & (rows >= 0) & (rows < info.height)
    for zone, row, col, ok in zip(missing, rows, cols, inside):
        if ok:
            sample(zone, row, col)


def zonal_dem(
    grids_geoms: np.ndarray,
    grids_crs,
    grid_areas_m2: np.ndarray,
    dem,
    *,
    z_factor: float = 1.0,
    report: Report | None = None,
) -> pd.DataFrame:
    """Mean slope, relief, mean elevation and DEM coverage per grid.

    Parameters
    ----------
    grids_geoms : array of shapely polygons
    grids_crs : anything pyproj accepts
        CRS of ``grids_geoms``.
    grid_areas_m2 : array of float
        Grid areas in m² (for the covered share).
    dem : str, list of str or RasterInfo
        The elevation raster (several tiles are mosaicked).
    z_factor : float
        Metres per elevation unit (0.3048 for a DEM in feet).

    Returns
    -------
    pandas.DataFrame
        ``slope_mean_deg``, ``relief_m``, ``elev_mean_m``, ``dem_cover_pct`` (NaN where not covered).
    """
    report = report or Report()
    info = dem if isinstance(dem, RasterInfo) else open_raster(dem, what="DEM")
    n = len(grids_geoms)
    geoms_r = _grids_in_raster_crs(np.asarray(grids_geoms), grids_crs, info)
    window = _window(info, shapely.total_bounds(geoms_r), pad=1)
    sum_slope = np.zeros(n + 1)
    n_slope = np.zeros(n + 1)
    sum_elev = np.zeros(n + 1)
    n_elev = np.zeros(n + 1)
    n_cells = np.zeros(n + 1)
    z_min = np.full(n + 1, np.inf)
    z_max = np.full(n + 1, -np.inf)
    if window is not None:
        c0, r0, ncols, nrows = window
        zones = _zone_raster(info, geoms_r, window)
        for start in range(0, nrows, _BLOCK_ROWS):
            report.check_cancelled()
            stop = min(nrows, start + _BLOCK_ROWS)
            # one extra row above and below (where the raster has them) for the 3×3 slope kernel
            top = max(0, r0 + start - 1)
            bottom = min(info.height, r0 + stop + 1)
            z = _as_float(_read(info, c0, top, ncols, bottom - top), info.nodata) * z_factor
            pad_top = (r0 + start) - top
            pad_bottom = bottom - (r0 + stop)
            z = np.pad(z, ((1 - pad_top, 1 - pad_bottom), (1, 1)), constant_values=np.nan)
            rows = np.arange(r0 + start, r0 + stop)
            dx, dy = _cell_size_m(info, rows)
            slope = _horn_slope_deg(z, dx, dy)
            elev = z[1:-1, 1:-1]
            zone = zones[start:stop]
            n_cells += np.bincount(zone.ravel(), minlength=n + 1)
            valid = np.isfinite(elev) & (zone > 0)
            zv = zone[valid]
            sum_elev += np.bincount(zv, weights=elev[valid], minlength=n + 1)
            n_elev += np.bincount(zv, minlength=n + 1)
            ok = valid & np.isfinite(slope)
            sum_slope += np.bincount(zone[ok], weights=slope[ok], minlength=n + 1)
            n_slope += np.bincount(zone[ok], minlength=n + 1)
            if zv.size:
                extremes = pd.Series(elev[valid]).groupby(zv).agg(["min", "max"])
                idx = extremes.index.to_numpy()
                z_min[idx] = np.fmin(z_min[idx], extremes["min"].to_numpy())
                z_max[idx] = np.fmax(z_max[idx], extremes["max"].to_numpy())
            report.progress(100.0 * stop / nrows)
        missing = np.flatnonzero(n_elev[1:] == 0)
        if missing.size:

            def sample(zone_index, row, col):
                r_top, c_left = max(0, row - 1), max(0, col - 1)
                block = (
                    _as_float(
                        _read(
                            info, c_left, r_top, min(info.width, col + 2) - c_left, min(info.height, row + 2) - r_top
                        ),
                        info.nodata,
                    )
                    * z_factor
                )
                value = block[row - r_top, col - c_left]
                if not np.isfinite(value):
                    return
                zi = zone_index + 1
                sum_elev[zi], n_elev[zi] = value, 1
                z_min[zi] = z_max[zi] = value
                n_cells[zi] = 1
                dxs, dys = _cell_size_m(info, np.array([row]))
                if block.shape == (3, 3):
                    s = _horn_slope_deg(block, dxs, dys)[0, 0]
                    if np.isfinite(s):
                        sum_slope[zi], n_slope[zi] = s, 1

            _fill_small_zones(info, geoms_r, missing, window, sample)
    with np.errstate(invalid="ignore", divide="ignore"):
        slope_mean = sum_slope[1:] / n_slope[1:]
        elev_mean = sum_elev[1:] / n_elev[1:]
        relief = np.where(n_elev[1:] > 0, z_max[1:] - z_min[1:], np.nan)
        cover = 100.0 * _inside_fraction(info, geoms_r) * n_elev[1:] / np.maximum(n_cells[1:], 1)
    covered = n_elev[1:] > 0
    if not covered.any():
        raise InputError(
            N_(
                "The DEM {name} does not cover any grid (DEM extent {extent} in {crs}); choose a DEM that covers "
                "the grids or check that its CRS is right."
            ),
            name=info.name,
            extent=_extent_text(info),
            crs=info.crs.name,
        )
    partly = int(np.sum(cover < 90.0))
    if partly:
        report.warn(
            N_(
                "The DEM covers {n} of {total} grids less than 90% (outside the DEM or no-data cells); their slope "
                "comes from the covered part, and grids with no DEM cell get no slope."
            ),
            n=partly,
            total=n,
        )
    return pd.DataFrame(
        {
            "slope_mean_deg": slope_mean,
            "relief_m": relief,
            "elev_mean_m": elev_mean,
            "dem_cover_pct": np.where(covered, cover, 0.0),
        }
    )


def _extent_text(info: RasterInfo) -> str:
    gt = info.transform
    x0, y0 = gt[0], gt[3]
    x1, y1 = gt[0] + info.width * gt[1], gt[3] + info.height * gt[5]
    return f"{min(x0, x1):.6g}, {min(y0, y1):.6g} – {max(x0, x1):.6g}, {max(y0, y1):.6g}"


def zonal_classes(
    grids_geoms: np.ndarray,
    grids_crs,
    grid_areas_m2: np.ndarray,
    raster,
    *,
    report: Report | None = None,
) -> tuple[np.ndarray, np.ndarray, dict]:
    """Share of every raster class value in each grid's area.

    A grid's cells are those whose centre it holds; each cell weighs its area in metres (on the
    ellipsoid for geographic rasters). Shares are of the grid's area: cells of no-data and the part of
    a grid outside the raster count as not covered.

    Returns
    -------
    values : numpy array
        The distinct class values met (no-data excluded).
    share : numpy array, shape (n_grids, len(values))
        Share (0–1) of each value in each grid.
    category_names : dict
        value → category name from the raster's colour table / RAT (may be empty).
    """
    report = report or Report()
    info = raster if isinstance(raster, RasterInfo) else open_raster(raster, what="land-cover raster")
    n = len(grids_geoms)
    geoms_r = _grids_in_raster_crs(np.asarray(grids_geoms), grids_crs, info)
    window = _window(info, shapely.total_bounds(geoms_r), pad=0)
    band = info.dataset.GetRasterBand(1)
    names = band.GetCategoryNames() or []
    category_names = {i: str(name) for i, name in enumerate(names) if name}
    if window is None:
        raise InputError(
            N_(
                "The land-cover raster {name} does not cover any grid (raster extent {extent} in {crs}); choose a "
                "raster that covers the grids or check that its CRS is right."
            ),
            name=info.name,
            extent=_extent_text(info),
            crs=info.crs.name,
        )
    c0, r0, ncols, nrows = window
    zones = _zone_raster(info, geoms_r, window)
    totals: dict = {}
    zone_area = np.zeros(n + 1)
    nodata = info.nodata
    for start in range(0, nrows, _BLOCK_ROWS):
        report.check_cancelled()
        stop = min(nrows, start + _BLOCK_ROWS)
        block = _read(info, c0, r0 + start, ncols, stop - start)
        zone = zones[start:stop]
        dx, dy = _cell_size_m(info, np.arange(r0 + start, r0 + stop))
        cell_area = np.broadcast_to((dx * dy)[:, None], block.shape)
        zone_area += np.bincount(zone.ravel(), weights=cell_area.ravel(), minlength=n + 1)
        valid = zone > 0
        if nodata is not None:
            valid &= block != nodata
        if np.issubdtype(block.dtype, np.floating):
            valid &= np.isfinite(block)
        values, inverse = np.unique(block[valid], return_inverse=True)
        zv = zone[valid]
        weights = cell_area[valid]
        for k, value in enumerate(values.tolist()):
            chosen = inverse == k
            sums = np.bincount(zv[chosen], weights=weights[chosen], minlength=n + 1)[1:]
            totals[value] = totals.get(value, 0) + sums
    counted = np.zeros(n, dtype=bool)
    for sums in totals.values():
        counted |= sums > 0
    missing = np.flatnonzero(~counted)
    if missing.size:

        def sample(zone_index, row, col):
            value = _read(info, col, row, 1, 1)[0, 0]
            if (nodata is not None and value == nodata) or (isinstance(value, float) and math.isnan(value)):
                return
            value = value.item()
            sums = totals.setdefault(value, np.zeros(n))
            sums[zone_index] = 1.0
            zone_area[zone_index + 1] = 1.0

        _fill_small_zones(info, geoms_r, missing, window, sample)
    values = np.array(sorted(totals), dtype=object)
    inside = _inside_fraction(info, geoms_r)
    scale = inside / np.maximum(zone_area[1:], 1e-12)
    share = np.column_stack([totals[v] * scale for v in values]) if len(values) else np.zeros((n, 0))
    return values, share, category_names
