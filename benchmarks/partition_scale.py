"""Scale benchmark of the partition: synthetic towns of 10k, 100k and 1M buildings.

For every size a fresh process (so that peak memory is per size):
1. generates the town (not timed) and writes it to a GeoPackage (not timed);
2. times the partition end to end: read the layers from the GeoPackage, partition, write the grids
   to a GeoPackage (core path, pyogrio), and reports peak memory (ru_maxrss);
3. with ``--qgis`` also times ``processing.run("gridplanner:partition")`` from the GeoPackage layers
   to a GeoPackage output (the QGIS path a planner uses).

Run (once, under nice; the machine is shared):
    nice .venv/bin/python benchmarks/partition_scale.py --sizes 10000 100000 1000000 --qgis 100000
Writes benchmarks/results/partition_scale.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"


def _import_plugin():
    link = Path(tempfile.mkdtemp(prefix="gp-bench-"))
    (link / "gridplanner").symlink_to(ROOT, target_is_directory=True)
    sys.path.insert(0, str(link))


def run_one(n: int, target: float, use_qgis: bool, workdir: Path) -> dict:
    """Child process: one size."""
    _import_plugin()
    import geopandas as gpd
    import numpy as np
    import shapely
    from gridplanner.grid_plugin.core.partition.engine import partition
    from gridplanner.grid_plugin.core.synthetic import synthetic_town

    n_parents = max(1, n // 10_000)
    started = time.perf_counter()
    town = synthetic_town(n, seed=1, n_parents=n_parents)
    generate_s = time.perf_counter() - started
    path = workdir / f"town_{n}.gpkg"
    town["area"].to_file(path, layer="area")
    town["buildings"].to_file(path, layer="buildings")
    town["roads"].to_file(path, layer="roads")
    town["waterways"].to_file(path, layer="waterways")
    del town
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Core path: layers from the GeoPackage, partition, grids to a GeoPackage.
    started = time.perf_counter()
    area = gpd.read_file(path, layer="area")
    buildings = gpd.read_file(path, layer="buildings", columns=["households"])
    roads = gpd.read_file(path, layer="roads", columns=["highway"])
    waterways = gpd.read_file(path, layer="waterways", columns=["waterway"])
    read_s = time.perf_counter() - started
    t0 = time.perf_counter()
    result = partition(area, buildings, [roads, waterways], parent_code_field="code", target_load=target)
    partition_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    out = workdir / f"grids_{n}.gpkg"
    result.grids.to_file(out, layer="grids")
    write_s = time.perf_counter() - t0
    total_s = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    grids = result.grids
    union = shapely.union_all(grids.geometry.values)
    area_union = shapely.union_all(area.geometry.values)
    row = {
        "n_buildings": n,
        "households": int(buildings["households"].sum()),
        "n_parents": n_parents,
        "n_units": result.stats["n_units"],
        "n_grids": len(grids),
        "generate_s": round(generate_s, 2),
        "read_s": round(read_s, 2),
        "partition_s": round(partition_s, 2),
        "write_s": round(write_s, 2),
        "end_to_end_s": round(total_s, 2),
        "peak_mib": round(peak_mib),
        "peak_before_mib": round(rss_before / 1024),
        "share_within_20": round(float((grids["deviation_pct"].abs() <= 20).mean()), 4),
        "contiguous_share": round(float((shapely.get_num_geometries(grids.geometry.values) == 1).mean()), 4),
        "gap_m2": round(float(shapely.area(shapely.difference(area_union, union))), 4),
        "overlap_m2": round(float(np.sum(shapely.area(grids.geometry.values)) - union.area), 4),
    }
    if use_qgis:
        row.update(run_qgis(path, workdir, target))
    return row


def run_qgis(path: Path, workdir: Path, target: float) -> dict:
    """processing.run from GeoPackage layers to a GeoPackage output (QGIS initialised, not timed)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    sys.path.append("/usr/share/qgis/python/plugins")
    import processing
    from processing.core.Processing import Processing

    Processing.initialize()
    import gridplanner

    plugin = gridplanner.classFactory(None)
    plugin.initProcessing()
    out = workdir / "grids_qgis.gpkg"
    started = time.perf_counter()
    result = processing.run(
        "gridplanner:partition",
        {
            "AREA": f"{path}|layername=area",
            "PARENT_FIELD": "code",
            "BUILDINGS": f"{path}|layername=buildings",
            "LOAD": "households",
            "BARRIERS": [f"{path}|layername=roads", f"{path}|layername=waterways"],
            "TARGET_LOAD": target,
            "OUTPUT": str(out),
        },
    )
    qgis_s = time.perf_counter() - started
    return {"qgis_end_to_end_s": round(qgis_s, 2), "qgis_n_grids": int(result["GRID_COUNT"])}


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.node()} · {cpu} · {os.cpu_count()} cores · Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--qgis", type=int, nargs="*", default=[], help="sizes also run through processing.run")
    parser.add_argument("--target", type=float, default=400)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        row = run_one(args.child, args.target, args.child in args.qgis, Path(args.workdir))
        print("RESULT " + json.dumps(row))
        return
    rows = []
    with tempfile.TemporaryDirectory(prefix="gp-scale-") as workdir:
        for n in args.sizes:
            command = [sys.executable, __file__, "--child", str(n), "--workdir", workdir, "--target", str(args.target)]
            if args.qgis:
                command += ["--qgis", *map(str, args.qgis)]
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
            if not lines:
                print(done.stdout[-3000:], done.stderr[-3000:])
                raise SystemExit(f"size {n} failed")
            row = json.loads(lines[-1][7:])
            print(row, flush=True)
            rows.append(row)
    write_markdown(rows, args)


def write_markdown(rows, args) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    command = "nice .venv/bin/python benchmarks/partition_scale.py --sizes " + " ".join(map(str, args.sizes))
    if args.qgis:
        command += " --qgis " + " ".join(map(str, args.qgis))
    lines = [
        "# Partition scale benchmark (synthetic towns)",
        "",
        f"- Machine: {machine()}",
        f"- Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        f"- Command: `{command}`",
        f"- Target {args.target:g} households per grid, tolerance ±20%, seed 1; one run per size (a fresh process each,",
        "  so peak memory is per size). *End to end* = read the GeoPackage layers + partition + write the grids",
        "  GeoPackage; *QGIS* = `processing.run('gridplanner:partition')` from GeoPackage layers to a GeoPackage.",
        "",
        "| buildings | households | parents | units | grids | partition s | end to end s | QGIS end to end s | peak MiB |"
        " within ±20% | contiguous | gap m² | overlap m² |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['n_buildings']:,} | {r['households']:,} | {r['n_parents']} | {r['n_units']:,} | {r['n_grids']:,} | "
            f"{r['partition_s']} | {r['end_to_end_s']} | {r.get('qgis_end_to_end_s', '—')} | {r['peak_mib']:,} | "
            f"{r['share_within_20']:.1%} | {r['contiguous_share']:.0%} | {r['gap_m2']} | {r['overlap_m2']} |"
        )
    lines += ["", "Raw rows:", "", "```json", json.dumps(rows, indent=1), "```", ""]
    (RESULTS / "partition_scale.md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
