"""Accuracy figures for the incidents work: our KDE vs QGIS's heatmap, FFT vs exact, Gi* vs esda,
contiguity vs libpysal, heatmap integrals. Prints them; the tests assert looser versions of each.

Run: . scripts/env.sh && QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/incidents_accuracy.py
(needs ../shared/data; reuses the helpers in tests/).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    link_dir = Path(tempfile.mkdtemp(prefix="gp-acc-"))
    (link_dir / "gridplanner").symlink_to(ROOT, target_is_directory=True)
    sys.path[:0] = [str(link_dir), str(ROOT / "tests")]
    sys.path.append("/usr/share/qgis/python/plugins")
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    from processing.core.Processing import Processing

    Processing.initialize()
    import esda
    import geopandas as gpd
    import libpysal
    import numpy as np
    import shapely
    import test_incident_kde as t
    from gridplanner.grid_plugin.core.incidents import hotspots
    from gridplanner.grid_plugin.core.incidents.heatmap import incident_heatmap
    from gridplanner.grid_plugin.core.incidents.kde import KERNELS, RasterGrid, kernel_density
    from gridplanner.grid_plugin.core.incidents.stats import grid_incident_stats
    from helpers import shared_file
    from test_incident_samples import US_FOOT_M, mission_grid, sf_incidents

    tmp = Path(tempfile.mkdtemp())
    rng = np.random.default_rng(3)
    pixel, radius = 2.0, 24.0
    points = np.column_stack([500_000 + pixel * rng.integers(0, 60, 400), 2_500_000 + pixel * rng.integers(0, 40, 400)])
    layer = t._qgis_layer(points)
    grid = t._qgis_grid(points, radius, pixel)
    for k in KERNELS:
        q, _ = t._qgis_heatmap(layer, radius, pixel, k, False, tmp, k)
        ours = kernel_density(points[:, 0], points[:, 1], grid, radius, kernel=k, output="raw", method="exact")
        qs, _ = t._qgis_heatmap(layer, radius, pixel, k, True, tmp, k + "s")
        dens = kernel_density(points[:, 0], points[:, 1], grid, radius, kernel=k, output="density_m2", method="exact")
        f = t.QGIS_QUARTIC_SCALED_FACTOR if k == "quartic" else 1
        print(
            f"{k}: raw max|diff|/max = {np.abs(ours - q).max() / ours.max():.2e}; scaled = "
            f"{np.abs(dens * f - qs).max() / qs.max():.2e}; our integral {dens.sum() * pixel**2:.2f} of 400; "
            f"QGIS scaled integral {qs.sum() * pixel**2:.2f}"
        )
    sf = sf_incidents()
    grids, x0, y0, step = mission_grid()
    inside = sf[sf.within(grids.union_all())]
    pts = np.column_stack([inside.geometry.x, inside.geometry.y])
    r, px = 150 / US_FOOT_M, 10 / US_FOOT_M
    q, _ = t._qgis_heatmap(t._qgis_layer(pts, "EPSG:2227"), r, px, "quartic", False, tmp, "sf")
    ours = kernel_density(pts[:, 0], pts[:, 1], t._qgis_grid(pts, r, px), r, output="raw", method="exact")
    print(
        f"SF Mission {len(pts)} points vs QGIS: sum ratio {ours.sum() / q.sum():.6f}, "
        f"correlation {np.corrcoef(ours.ravel(), q.ravel())[0, 1]:.6f}, max|diff|/peak {np.abs(ours - q).max() / ours.max():.4f}"
    )
    x, y = sf.geometry.x.to_numpy(), sf.geometry.y.to_numpy()
    cell = 10 / US_FOOT_M
    window = RasterGrid(x0, y0 + 6 * step, cell, int(6 * step / cell), int(6 * step / cell))
    exact = kernel_density(x, y, window, 150 / US_FOOT_M, method="exact", unit_m=US_FOOT_M)
    fast = kernel_density(x, y, window, 150 / US_FOOT_M, method="fft", unit_m=US_FOOT_M)
    print(
        f"fft vs exact (SF, 150 m, 10 m): max|diff|/peak {np.abs(fast - exact).max() / exact.max():.4f}, "
        f"sum ratio {fast.sum() / exact.sum():.6f}"
    )
    blocks = gpd.read_file(shared_file("SFCrime_blocks.geojson")).to_crs(2227)
    blocks["geometry"] = shapely.make_valid(blocks.geometry.values)
    for kind in ("queen", "rook"):
        result = grid_incident_stats(blocks, sf, contiguity=kind)
        weights = hotspots.contiguity_weights(blocks.geometry.values, kind)
        w = libpysal.weights.WSP(weights).to_W(silence_warnings=True)
        oracle = esda.G_Local(result.grids["n_incidents"].to_numpy(float), w, transform="B", star=True, permutations=0)
        builder = libpysal.weights.Queen if kind == "queen" else libpysal.weights.Rook
        pysal_w = builder.from_dataframe(blocks, use_index=False, silence_warnings=True)
        print(
            f"{kind}: max|z - esda| {np.abs(result.grids['gi_z'].to_numpy() - oracle.Zs).max():.2e}; links "
            f"{weights.nnz // 2}, different from libpysal {(pysal_w.sparse != weights).nnz // 2}; hot "
            f"{result.summary['n_hot']} cold {result.summary['n_cold']}; outside {result.summary['n_outside_grids']}"
        )
    free = incident_heatmap(sf, bandwidth_m=300, cell_size_m=20)
    clipped = incident_heatmap(sf, area=grids, bandwidth_m=300, cell_size_m=20)
    print(
        f"integral without clip {free.integral:.3f} of {len(sf)}; clipped {clipped.integral:.1f} of {clipped.n_points} "
        f"(full-kernel weight {clipped.full_kernel_weight:.0f})"
    )
    auto = incident_heatmap(sf)
    print(
        f"auto bandwidth {auto.bandwidth_m:.1f} m, cell {auto.cell_size_m} m, {auto.method}, integral {auto.integral:.1f}"
    )


if __name__ == "__main__":
    main()
