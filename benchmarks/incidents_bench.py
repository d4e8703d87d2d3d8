"""Benchmark: 1,000,000 incidents over 1,000 grids in 25 km² (issue 6 target: heatmap + stats under 60 s).

Synthetic but realistic data (seeded): a 5 × 5 km square in CGCS2000 / 3-degree GK CM 114E
(EPSG:4547), 1,000 irregular grids (Voronoi cells of random seeds clipped to the square), 1,000,000
incidents (70 % in 40 Gaussian hot spots of 50–250 m spread, 30 % uniform), 6 categories, dates over
2023 at minute resolution.

Timed stages (medians over ``--repeats`` runs):

``core``
    ``incident_heatmap`` at 10 m cells (500 × 500) with a 200 m quartic bandwidth, clipped to the
    square, plus ``grid_incident_stats`` with a category filter, a time window with automatic previous
    period, Gi* and FDR, plus the monthly chart. Dates as datetime64 (a date/time field).
``core, text dates``
    The same stats with the dates as text in mixed Chinese forms (``2023年5月1日 8时30分``,
    ``2023/5/1 8:30``, ISO): the parser's cost at a million rows.
``processing`` (``--processing``)
    Both algorithms through QGIS Processing on a GeoPackage of the million points, i.e. including
    QGIS's feature reading; one run.
``qgis reference`` (``--qgis``)
    QGIS's own ``qgis:heatmapkerneldensityestimation`` with the same kernel, radius and cell size on a
    100,000-point subset (the full million takes too long to be useful), against ours on the same
    subset: the speed ratio.

Run: nice .venv/bin/python benchmarks/incidents_bench.py [--repeats 3] [--processing] [--qgis]
(with ``. scripts/env.sh`` and, for --processing/--qgis, ``QT_QPA_PLATFORM=offscreen``).
Writes benchmarks/results/incidents.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "bench"
RESULTS = ROOT / "benchmarks" / "results" / "incidents.md"
SIDE_M = 5000.0
ORIGIN = (500_000.0, 2_500_000.0)


def _import_plugin():
    """Import the plugin as ``gridplanner`` without putting the repository root on sys.path."""
    link_dir = Path(tempfile.mkdtemp(prefix="gp-bench-"))
    (link_dir / "gridplanner").symlink_to(ROOT, target_is_directory=True)
    sys.path.insert(0, str(link_dir))


def make_data(n_points: int = 1_000_000, n_grids: int = 1000, seed: int = 0):
    """The synthetic area, grids and incidents (deterministic for a seed)."""
    import geopandas as gpd
    import numpy as np
    import pandas as pd
    import shapely

    rng = np.random.default_rng(seed)
    x0, y0 = ORIGIN
    square = shapely.box(x0, y0, x0 + SIDE_M, y0 + SIDE_M)
    seeds = shapely.multipoints(
        np.column_stack([x0 + rng.uniform(0, SIDE_M, n_grids), y0 + rng.uniform(0, SIDE_M, n_grids)])
    )
    cells = shapely.get_parts(shapely.voronoi_polygons(seeds, extend_to=square))
    cells = shapely.intersection(cells, square)
    households = rng.integers(250, 550, len(cells))
    grids = gpd.GeoDataFrame(
        {"code": [f"G{k:04d}" for k in range(len(cells))], "households": households}, geometry=cells, crs=4547
    )
    n_hot = int(0.7 * n_points)
    centres = np.column_stack([rng.uniform(300, SIDE_M - 300, 40), rng.uniform(300, SIDE_M - 300, 40)])
    which = rng.integers(0, 40, n_hot)
    spread = rng.uniform(50, 250, 40)[which]
    hot = centres[which] + rng.normal(0, 1, (n_hot, 2)) * spread[:, None]
    uniform = rng.uniform(0, SIDE_M, (n_points - n_hot, 2))
    xy = np.vstack([hot, uniform]) + np.array(ORIGIN)
    categories = np.array(["噪音扰民", "占道经营", "环境卫生", "违章停车", "邻里纠纷", "安全隐患"], dtype=object)
    minutes = rng.integers(0, 365 * 24 * 60, n_points)
    when = pd.Timestamp("2023-01-01") + pd.to_timedelta(minutes, unit="min")
    incidents = gpd.GeoDataFrame(
        {"category": categories[rng.integers(0, len(categories), n_points)], "reported": when},
        geometry=shapely.points(xy),
        crs=4547,
    )
    area = gpd.GeoDataFrame({"name": ["benchmark"]}, geometry=[square], crs=4547)
    return area, grids, incidents


def text_dates(times):
    """The same moments written in three forms, a third each."""
    import numpy as np
    import pandas as pd

    t = pd.Series(times)
    iso = t.dt.strftime("%Y-%m-%d %H:%M:%S")
    slash = (
        t.dt.year.astype(str) + "/" + t.dt.month.astype(str) + "/" + t.dt.day.astype(str) + " " + t.dt.strftime("%H:%M")
    )
    chinese = (
        t.dt.year.astype(str)
        + "年"
        + t.dt.month.astype(str)
        + "月"
        + t.dt.day.astype(str)
        + "日 "
        + t.dt.hour.astype(str)
        + "时"
        + t.dt.minute.astype(str)
        + "分"
    )
    pick = np.arange(len(t)) % 3
    return np.where(pick == 0, iso, np.where(pick == 1, slash, chinese)).astype(object)


def run_core(area, grids, incidents, chart_dir):
    from gridplanner.grid_plugin.core.incidents.chart import monthly_chart
    from gridplanner.grid_plugin.core.incidents.dates import parse_one
    from gridplanner.grid_plugin.core.incidents.heatmap import incident_heatmap
    from gridplanner.grid_plugin.core.incidents.stats import grid_incident_stats

    t0 = time.perf_counter()
    heat = incident_heatmap(incidents, area=area, bandwidth_m=200, cell_size_m=10, kernel="quartic")
    t1 = time.perf_counter()
    stats = grid_incident_stats(
        grids,
        incidents,
        grid_id_field="code",
        households_field="households",
        category_field="category",
        categories="噪音扰民,占道经营,环境卫生,违章停车,邻里纠纷,安全隐患",
        date_field="reported",
        date_from=parse_one("2023-07-01"),
        date_to=parse_one("2023-12-31", end_of_day=True),
    )
    t2 = time.perf_counter()
    monthly_chart(stats.monthly, stats.monthly_top, Path(chart_dir) / "chart.png")
    t3 = time.perf_counter()
    return {"heatmap": t1 - t0, "stats": t2 - t1, "chart": t3 - t2, "total": t3 - t0}, heat, stats


def run_processing(area, grids, incidents, workdir):
    """Both algorithms through QGIS Processing on GeoPackages (includes QGIS's feature reading)."""
    from qgis.core import QgsApplication

    sys.path.append("/usr/share/qgis/python/plugins")
    app = QgsApplication([], False)
    app.initQgis()
    import gridplanner

    import processing
    from processing.core.Processing import Processing

    Processing.initialize()
    plugin = gridplanner.classFactory(None)
    plugin.initProcessing()
    gpkg = Path(workdir) / "bench.gpkg"
    if not gpkg.exists():
        incidents.to_file(gpkg, layer="incidents")
        grids.to_file(gpkg, layer="grids")
        area.to_file(gpkg, layer="area")
    times = {}
    t0 = time.perf_counter()
    processing.run(
        "gridplanner:incidentheatmap",
        {
            "INPUT": f"{gpkg}|layername=incidents",
            "AREA": f"{gpkg}|layername=area",
            "BANDWIDTH": 200,
            "CELL_SIZE": 10,
            "OUTPUT": str(Path(workdir) / "heat.tif"),
        },
    )
    t1 = time.perf_counter()
    processing.run(
        "gridplanner:incidentstats",
        {
            "GRIDS": f"{gpkg}|layername=grids",
            "GRID_ID_FIELD": "code",
            "HOUSEHOLDS_FIELD": "households",
            "INCIDENTS": f"{gpkg}|layername=incidents",
            "CATEGORY_FIELD": "category",
            "DATE_FIELD": "reported",
            "DATE_FROM": "2023-07-01",
            "DATE_TO": "2023-12-31",
            "OUTPUT": str(Path(workdir) / "stats.gpkg"),
            "CHART": str(Path(workdir) / "chart.png"),
        },
    )
    t2 = time.perf_counter()
    times["heatmap"] = t1 - t0
    times["stats"] = t2 - t1
    times["total"] = t2 - t0

    # QGIS's own heatmap vs ours on a 100,000-point subset (same kernel, radius, cell size).
    from qgis.core import QgsVectorLayer

    subset = incidents.iloc[:: max(1, len(incidents) // 100_000)].head(100_000)
    sub_path = Path(workdir) / "subset.gpkg"
    if not sub_path.exists():
        subset.to_file(sub_path, layer="incidents")
    layer = QgsVectorLayer(f"{sub_path}|layername=incidents", "subset", "ogr")
    t3 = time.perf_counter()
    processing.run(
        "qgis:heatmapkerneldensityestimation",
        {
            "INPUT": layer,
            "RADIUS": 200,
            "PIXEL_SIZE": 10,
            "KERNEL": 0,
            "OUTPUT_VALUE": 0,
            "OUTPUT": str(Path(workdir) / "qgis_heat.tif"),
        },
    )
    t4 = time.perf_counter()
    processing.run(
        "gridplanner:incidentheatmap",
        {
            "INPUT": layer,
            "BANDWIDTH": 200,
            "CELL_SIZE": 10,
            "METHOD": 1,
            "OUTPUT": str(Path(workdir) / "ours_exact.tif"),
        },
    )
    t5 = time.perf_counter()
    processing.run(
        "gridplanner:incidentheatmap",
        {"INPUT": layer, "BANDWIDTH": 200, "CELL_SIZE": 10, "METHOD": 2, "OUTPUT": str(Path(workdir) / "ours_fft.tif")},
    )
    t6 = time.perf_counter()
    times["qgis_heatmap_100k"] = t4 - t3
    times["ours_exact_100k"] = t5 - t4
    times["ours_fft_100k"] = t6 - t5
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--grids", type=int, default=1000)
    parser.add_argument("--processing", action="store_true", help="also time the QGIS Processing algorithms")
    args = parser.parse_args()
    _import_plugin()
    import numpy as np

    t = time.perf_counter()
    area, grids, incidents = make_data(args.points, args.grids)
    make_s = time.perf_counter() - t
    workdir = CACHE / "incidents"
    workdir.mkdir(parents=True, exist_ok=True)
    runs = []
    for _ in range(args.repeats):
        times, heat, stats = run_core(area, grids, incidents, workdir)
        runs.append(times)
        print({k: round(v, 2) for k, v in times.items()}, flush=True)
    median = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    text = incidents.copy()
    text["reported"] = text_dates(incidents["reported"])
    text_runs = []
    for _ in range(args.repeats):
        t = time.perf_counter()
        from gridplanner.grid_plugin.core.incidents.dates import parse_one
        from gridplanner.grid_plugin.core.incidents.stats import grid_incident_stats

        text_stats = grid_incident_stats(
            grids,
            text,
            grid_id_field="code",
            households_field="households",
            category_field="category",
            date_field="reported",
            date_from=parse_one("2023-07-01"),
            date_to=parse_one("2023-12-31", end_of_day=True),
        )
        text_runs.append(time.perf_counter() - t)
        print({"stats_text_dates": round(text_runs[-1], 2)}, flush=True)
    assert text_stats.grids["n_incidents"].tolist() == stats.grids["n_incidents"].tolist()
    processing_times = run_processing(area, grids, incidents, workdir) if args.processing else None

    lines = [
        "# Incidents benchmark (issue 6)",
        "",
        f"- Machine: {platform.node()} · {platform.processor() or platform.machine()} · {os.cpu_count()} cores (shared) · "
        f"Python {platform.python_version()} · numpy {np.__version__}",
        f"- Command: `. scripts/env.sh && QT_QPA_PLATFORM=offscreen nice .venv/bin/python benchmarks/incidents_bench.py "
        f"--repeats {args.repeats}{' --processing' if args.processing else ''}`",
        f"- Data: {len(incidents):,} incidents, {len(grids):,} grids (Voronoi), {SIDE_M / 1000:.0f} × {SIDE_M / 1000:.0f} km "
        f"(EPSG:4547), made in {make_s:.1f} s (not timed below).",
        f"- Heatmap: {heat.grid.n_cols} × {heat.grid.n_rows} cells of {heat.cell_size_m:g} m, quartic, bandwidth "
        f"{heat.bandwidth_m:g} m, method {heat.method}; integral {heat.integral:,.0f} of {heat.weight_sum:,.0f} incidents "
        f"({100 * heat.integral / heat.weight_sum:.2f} %; the rest spills over the square's edge).",
        f"- Stats: window 2023-07-01…2023-12-31 ({stats.summary['n_in_grids']:,} incidents in grids), previous period "
        f"{stats.summary['previous_from']}…{stats.summary['previous_to']} ({stats.summary['n_previous']:,}), "
        f"{stats.summary['n_hot']} hot and {stats.summary['n_cold']} cold spot grids (FDR).",
        "",
        f"## Core (median of {args.repeats})",
        "",
        "| stage | seconds |",
        "|---|---|",
    ]
    for key in ("heatmap", "stats", "chart", "total"):
        lines.append(f"| {key} | {median[key]:.2f} |")
    lines += [
        f"| stats with text dates in mixed Chinese forms | {statistics.median(text_runs):.2f} |",
        "",
        f"Target: heatmap + per-grid statistics under 60 s → **{median['total']:.1f} s** "
        f"({60 / median['total']:.0f}× under the budget).",
    ]
    if processing_times:
        p = processing_times
        lines += [
            "",
            "## Through QGIS Processing (one run, includes reading the GeoPackage through QGIS)",
            "",
            "| stage | seconds |",
            "|---|---|",
            f"| gridplanner:incidentheatmap (1,000,000 points) | {p['heatmap']:.1f} |",
            f"| gridplanner:incidentstats (1,000,000 points, 1,000 grids, chart) | {p['stats']:.1f} |",
            f"| total | {p['total']:.1f} |",
            "",
            "QGIS's heatmap against ours, 100,000 points, quartic, radius 200 m, 10 m cells (each on its own "
            "extent: points' bounds + radius):",
            "",
            "| algorithm | seconds | speed relative to QGIS |",
            "|---|---|---|",
            f"| qgis:heatmapkerneldensityestimation | {p['qgis_heatmap_100k']:.1f} | 1.0 |",
            f"| gridplanner:incidentheatmap, exact | {p['ours_exact_100k']:.1f} | {p['qgis_heatmap_100k'] / p['ours_exact_100k']:.1f}× (exact stamping is the reference, not the fast path) |",
            f"| gridplanner:incidentheatmap, fft | {p['ours_fft_100k']:.1f} | {p['qgis_heatmap_100k'] / p['ours_fft_100k']:.1f}× |",
        ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
