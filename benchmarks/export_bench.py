"""Benchmark: export a 30-grid atlas (issue 8 target: under 60 s) and the overview sheet.

The plan is the prepared Kotka sample (real OSM buildings with households, real named roads;
``tests/helpers.prepared_sample("kotka")``) partitioned by the real engine
(``grid_plugin.core.partition.engine.partition``) into 30 grids, with grid types, worker names and phone
numbers added so every atlas field is filled. What is timed is what a planner waits for in
``gridplanner:exportmap``: reading and styling the layers, the boundary descriptions (四至), building
the layouts and writing the files.

Run: nice .venv/bin/python benchmarks/export_bench.py [--repeats 3] [--grids 30]
(with ``. scripts/env.sh`` and ``QT_QPA_PLATFORM=offscreen``). Writes benchmarks/results/export.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "bench"
RESULTS = ROOT / "benchmarks" / "results" / "export.md"
TYPES = ("residential", "commercial", "enterprise", "forest", "industrial", "mixed")


def _import_plugin():
    """Import the plugin as ``gridplanner`` without putting the repository root on sys.path."""
    link_dir = Path(tempfile.mkdtemp(prefix="gp-bench-"))
    (link_dir / "gridplanner").symlink_to(ROOT, target_is_directory=True)
    sys.path.insert(0, str(link_dir))
    sys.path.insert(1, str(ROOT / "tests"))


def build_plan(n_grids: int) -> Path:
    """The Kotka plan with ``n_grids`` grids (cached)."""
    import geopandas as gpd
    import helpers
    from gridplanner.grid_plugin.core.partition.engine import partition

    path = CACHE / f"export_plan_kotka_{n_grids}.gpkg"
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    prepared = helpers.prepared_sample("kotka")
    area = gpd.read_file(prepared, layer="boundary")
    buildings = gpd.read_file(prepared, layer="buildings")
    roads = gpd.read_file(prepared, layer="roads")
    result = partition(area, buildings, roads, barrier_class_field="highway", n_grids=n_grids, seed=0)
    grids = result.grids.copy()
    grids["grid_type"] = [TYPES[i % len(TYPES)] for i in range(len(grids))]
    grids["households"] = grids["load"].round().astype(int)
    grids["worker"] = [f"网格员{i + 1:02d}" for i in range(len(grids))]
    grids["phone"] = [f"0752-83{i:05d}" for i in range(len(grids))]
    tmp = path.with_suffix(".tmp.gpkg")
    grids.to_file(tmp, layer="grids", driver="GPKG")
    area.to_file(tmp, layer="area", driver="GPKG")
    roads[["name", "highway", "geometry"]].to_file(tmp, layer="roads", driver="GPKG")
    os.replace(tmp, path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--grids", type=int, default=30)
    args = parser.parse_args()
    _import_plugin()
    from qgis.core import QgsApplication, QgsProject

    app = QgsApplication([], False)
    app.initQgis()
    from gridplanner.grid_plugin.export.layout import MapOptions, export_grid_map

    plan = build_plan(args.grids)
    inputs = {
        "area": f"{plan}|layername=area",
        "roads": f"{plan}|layername=roads",
    }
    grids = f"{plan}|layername=grids"
    out = Path(tempfile.mkdtemp(prefix="gp-export-bench-"))
    rows = []
    cases = [
        (
            "atlas, A4 portrait, 150 dpi",
            dict(atlas_pdf=out / "atlas.pdf"),
            MapOptions(paper="A4", orientation="portrait", dpi=150),
        ),
        ("atlas, A3 landscape, 300 dpi", dict(atlas_pdf=out / "atlas300.pdf"), MapOptions(paper="A3", dpi=300)),
        (
            "sheet + table PDF and PNG, A3 landscape, 200 dpi",
            dict(output_pdf=out / "map.pdf", output_png=out / "map.png"),
            MapOptions(paper="A3", dpi=200),
        ),
        (
            "sheet PDF, A1 landscape, 300 dpi",
            dict(output_pdf=out / "mapA1.pdf"),
            MapOptions(paper="A1", dpi=300, table=False),
        ),
    ]
    for label, outputs, options in cases:
        times, pages = [], 0
        for _ in range(args.repeats):
            project = QgsProject()
            start = time.perf_counter()
            result = export_grid_map(grids, options=options, project=project, **inputs, **outputs)
            times.append(time.perf_counter() - start)
            pages = result.get("atlas_pages") or result.get("pages")
        sizes = ", ".join(f"{Path(p).name} {Path(p).stat().st_size / 1e6:.1f} MB" for p in outputs.values())
        rows.append((label, pages, statistics.median(times), min(times), max(times), sizes))
        print(f"{label}: median {statistics.median(times):.2f} s over {args.repeats} ({pages} pages)", flush=True)

    cpu = "unknown"
    try:
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        )
    except (OSError, StopIteration):
        pass
    qgis_version = subprocess.run(
        ["dpkg-query", "-W", "-f=${Version}", "qgis"], capture_output=True, text=True, check=False
    ).stdout.strip()
    atlas_median = rows[0][2]
    lines = [
        "# Export benchmark (issue 8)",
        "",
        f"- Machine: {platform.node()}, {os.cpu_count()} cores ({cpu}), shared with other engineers' jobs",
        f"- QGIS {qgis_version or '?'}, Python {platform.python_version()}, offscreen Qt",
        f"- Plan: prepared Kotka sample partitioned into {args.grids} grids by `partition()` (seed 0), "
        "with roads (331 lines) and the area boundary",
        "- Command: `. scripts/env.sh && QT_QPA_PLATFORM=offscreen nice .venv/bin/python benchmarks/export_bench.py "
        f"--repeats {args.repeats} --grids {args.grids}`",
        "- Times include reading and styling the layers, the boundary descriptions (四至), building the layouts "
        "and writing the files (wall clock, seconds).",
        "",
        "| case | pages | median s | min s | max s | output |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for label, pages, median, low, high, sizes in rows:
        lines.append(f"| {label} | {pages} | {median:.2f} | {low:.2f} | {high:.2f} | {sizes} |")
    lines += [
        "",
        f"Target: a {args.grids}-grid atlas in under 60 s. Measured median {atlas_median:.1f} s at 150 dpi "
        f"(ratio to target {atlas_median / 60:.2f}).",
        "",
    ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print(RESULTS.read_text(encoding="utf-8"))
    os._exit(0)  # skip Qt teardown of the throw-away projects


if __name__ == "__main__":
    main()
