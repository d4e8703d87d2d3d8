"""Kernel density: QGIS's kernels, mass conservation, FFT vs exact, and equality with QGIS's heatmap.

QGIS 3.22's ``qgis:heatmapkerneldensityestimation`` grid: origin at (xmin − r, ymax + r) of the points'
extent, ``ceil(width / cell) + 1`` columns and ``ceil(height / cell) + 1`` rows; each point adds
``k(d / r)`` to every cell whose centre is within ``r``. Where the two overlap (same kernel, radius,
cell size and extent) our ``exact`` method equals it to float32 precision. One QGIS quirk limits the
overlap: QGIS adds each point by reading back a block of its own raster over the extent
point ± r resampled to (2·buffer + 1) cells, which is not aligned to the raster grid unless the point
and the radius are aligned to the cell lattice, so earlier points' values shift by up to a cell. Hence
the exact comparison uses points on the cell lattice with a radius of whole cells (and single points
anywhere); on real data at arbitrary positions the comparison is statistical.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from gridplanner.grid_plugin.core.incidents.kde import (
    KERNELS,
    RasterGrid,
    auto_bandwidth,
    auto_cell_size,
    kernel_constant,
    kernel_density,
    kernel_raw,
    nice_number,
)
from osgeo import gdal
from test_incident_samples import US_FOOT_M, mission_grid, sf_incidents

#: QGIS 3.22's "scaled" quartic uses 116/5·15/16/π instead of 3/π; QGIS 3.40 uses 3/π (seen in the
#: 3.40 suite: its scaled quartic equals our density).
QGIS_QUARTIC_SCALED_FACTOR = (116 / 5 * 15 / 16) / 3


def _qgis_quartic_scaled_factor() -> float:
    from qgis.core import Qgis

    return QGIS_QUARTIC_SCALED_FACTOR if Qgis.QGIS_VERSION_INT < 34000 else 1.0


def _radial_integral(kernel, decay=0.0, steps=200_000):
    r = (np.arange(steps) + 0.5) / steps
    return float(np.sum(kernel_raw(r, kernel, decay) * 2 * np.pi * r) / steps)


@pytest.mark.parametrize("kernel", KERNELS)
@pytest.mark.parametrize("decay", [0.0, 0.5])
def test_kernel_constants_normalise(kernel, decay):
    assert _radial_integral(kernel, decay) * kernel_constant(kernel, decay) == pytest.approx(1.0, rel=1e-6)


@pytest.mark.parametrize("kernel", KERNELS)
@pytest.mark.parametrize("method", ["exact", "fft"])
def test_one_point_integrates_to_one(kernel, method):
    grid = RasterGrid(0.0, 400.0, 2.0, 200, 200)
    dens = kernel_density(
        np.array([201.3]), np.array([198.7]), grid, 40.0, kernel=kernel, output="density_m2", method=method
    )
    # Discretisation error of a disc of 20 cells' radius: below 0.5 % (uniform's hard edge is the worst).
    assert dens.sum() * grid.cell**2 == pytest.approx(1.0, rel=5e-3)
    assert dens.min() >= 0


def test_density_per_km2_and_weights():
    grid = RasterGrid(0.0, 1000.0, 10.0, 100, 100)
    x = np.array([300.0, 700.0])
    y = np.array([300.0, 600.0])
    dens = kernel_density(x, y, grid, 150.0, weights=np.array([2.0, 3.0]), output="density")
    cell_km2 = (10.0 / 1000) ** 2
    assert dens.sum() * cell_km2 == pytest.approx(5.0, rel=2e-3)


def test_fft_agrees_with_exact_on_real_points():
    sf = sf_incidents()
    grids, x0, y0, step = mission_grid()
    x, y = sf.geometry.x.to_numpy(), sf.geometry.y.to_numpy()
    cell = 10 / US_FOOT_M
    grid = RasterGrid(x0, y0 + 6 * step, cell, int(6 * step / cell), int(6 * step / cell))
    exact = kernel_density(x, y, grid, 150 / US_FOOT_M, method="exact", unit_m=US_FOOT_M)
    fast = kernel_density(x, y, grid, 150 / US_FOOT_M, method="fft", unit_m=US_FOOT_M)
    assert np.abs(fast - exact).max() < 0.01 * exact.max()
    assert fast.sum() == pytest.approx(exact.sum(), rel=1e-3)


def test_auto_bandwidth_is_the_spatial_silverman_rule():
    rng = np.random.default_rng(7)
    x = rng.normal(0, 100, 500)
    y = rng.normal(0, 50, 500)
    sd = math.sqrt(np.mean((x - x.mean()) ** 2 + (y - y.mean()) ** 2))
    dm = np.median(np.hypot(x - x.mean(), y - y.mean()))
    expected = 0.9 * min(sd, math.sqrt(1 / math.log(2)) * dm) * 500 ** (-0.2)
    assert auto_bandwidth(x, y) == pytest.approx(expected)
    # Far outliers on both sides inflate the standard distance; the median term then takes over.
    xo, yo = np.append(x, [5000.0, -5000.0] * 10), np.append(y, [0.0] * 20)
    dm = np.median(np.hypot(xo - xo.mean(), yo - yo.mean()))
    assert auto_bandwidth(xo, yo) == pytest.approx(0.9 * math.sqrt(1 / math.log(2)) * dm * 520 ** (-0.2))
    assert auto_bandwidth(xo, yo) < 1.5 * expected


def test_nice_numbers_and_cell_size():
    assert [nice_number(v) for v in (7.3, 23.0, 0.31)] == [5.0, 20.0, 0.25]
    assert nice_number(7.3, up=True) == 10.0
    assert auto_cell_size(200.0, 3000.0, 3000.0) == 25.0
    assert auto_cell_size(200.0, 300_000.0, 300_000.0) == 200.0  # capped at 4 million cells


# ------------------------------------------------------------------------------- QGIS comparison
def _qgis_layer(points, crs="EPSG:32650"):
    from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsVectorLayer

    layer = QgsVectorLayer(f"Point?crs={crs}", "incidents", "memory")
    features = []
    for px, py in points:
        feature = QgsFeature()
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(float(px), float(py))))
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    layer.updateExtents()
    return layer


def _qgis_heatmap(layer, radius, pixel, kernel, scaled, tmp_path, tag):
    import processing

    out = str(tmp_path / f"qgis_{tag}.tif")
    processing.run(
        "qgis:heatmapkerneldensityestimation",
        {
            "INPUT": layer,
            "RADIUS": radius,
            "PIXEL_SIZE": pixel,
            "KERNEL": KERNELS.index(kernel),
            "DECAY": 0.0,
            "OUTPUT_VALUE": 1 if scaled else 0,
            "OUTPUT": out,
        },
    )
    dataset = gdal.Open(out)
    band = dataset.GetRasterBand(1)
    values = band.ReadAsArray().astype(float)
    values[values == band.GetNoDataValue()] = 0.0
    return values, dataset.GetGeoTransform()


def _qgis_grid(points, radius, pixel):
    """The grid QGIS 3.22 uses (documented above), from the points' extent."""
    xmin, ymin = points.min(axis=0) - radius
    xmax, ymax = points.max(axis=0) + radius
    return RasterGrid(xmin, ymax, pixel, math.ceil((xmax - xmin) / pixel) + 1, math.ceil((ymax - ymin) / pixel) + 1)


@pytest.mark.parametrize("kernel", KERNELS)
def test_exact_equals_qgis_heatmap_on_aligned_points(kernel, qgis_processing, tmp_path):
    rng = np.random.default_rng(3)
    # Points on a 2 m lattice and a radius of 12 cells: every block QGIS reads back is aligned to its raster.
    pixel, radius = 2.0, 24.0
    points = np.column_stack([500_000 + pixel * rng.integers(0, 60, 400), 2_500_000 + pixel * rng.integers(0, 40, 400)])
    layer = _qgis_layer(points)
    grid = _qgis_grid(points, radius, pixel)
    raw_qgis, gt = _qgis_heatmap(layer, radius, pixel, kernel, False, tmp_path, f"{kernel}_raw")
    assert gt == pytest.approx(grid.geotransform) and raw_qgis.shape == (grid.n_rows, grid.n_cols)
    raw = kernel_density(points[:, 0], points[:, 1], grid, radius, kernel=kernel, output="raw", method="exact")
    # float32 output: relative precision ~6e-8 per addition, a few hundred additions per cell.
    assert np.abs(raw - raw_qgis).max() <= 2e-6 * raw.max()
    scaled_qgis, _ = _qgis_heatmap(layer, radius, pixel, kernel, True, tmp_path, f"{kernel}_scaled")
    ours = kernel_density(points[:, 0], points[:, 1], grid, radius, kernel=kernel, output="density_m2", method="exact")
    factor = _qgis_quartic_scaled_factor() if kernel == "quartic" else 1.0
    assert np.abs(ours * factor - scaled_qgis).max() <= 2e-6 * scaled_qgis.max()
    # Our density integrates to the point count; QGIS's scaled quartic to 7.25 times it.
    tolerance = 1.5e-2 if kernel == "uniform" else 5e-3  # a hard-edged disc of 12 cells loses ~1 % to discretisation
    assert ours.sum() * pixel**2 == pytest.approx(len(points), rel=tolerance)
    assert scaled_qgis.sum() * pixel**2 == pytest.approx(len(points) * factor, rel=tolerance)


def test_exact_equals_qgis_for_a_point_anywhere(qgis_processing, tmp_path):
    points = np.array([[500_123.37, 2_500_456.81]])
    grid = _qgis_grid(points, 30.0, 1.5)
    qgis_values, _ = _qgis_heatmap(_qgis_layer(points), 30.0, 1.5, "epanechnikov", False, tmp_path, "one")
    ours = kernel_density(points[:, 0], points[:, 1], grid, 30.0, kernel="epanechnikov", output="raw", method="exact")
    assert np.abs(ours - qgis_values).max() < 1e-6


def test_real_points_agree_with_qgis_statistically(qgis_processing, tmp_path):
    """SF Mission incidents at arbitrary positions: QGIS's block re-sampling shifts values by up to a cell."""
    sf = sf_incidents()
    grids, *_ = mission_grid()
    inside = sf[sf.within(grids.union_all())]
    points = np.column_stack([inside.geometry.x, inside.geometry.y])
    radius, pixel = 150 / US_FOOT_M, 10 / US_FOOT_M  # 150 m and 10 m in US feet
    qgis_values, _ = _qgis_heatmap(_qgis_layer(points, "EPSG:2227"), radius, pixel, "quartic", False, tmp_path, "sf")
    grid = _qgis_grid(points, radius, pixel)
    ours = kernel_density(points[:, 0], points[:, 1], grid, radius, output="raw", method="exact")
    assert ours.shape == qgis_values.shape
    # Measured: sums equal to 1e-6, correlation 0.99979, largest cell difference 1.3 % of the peak.
    assert ours.sum() == pytest.approx(qgis_values.sum(), rel=1e-4)
    assert np.corrcoef(ours.ravel(), qgis_values.ravel())[0, 1] > 0.9995
    assert np.abs(ours - qgis_values).max() < 0.03 * ours.max()
