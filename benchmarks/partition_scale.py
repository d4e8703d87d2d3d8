"""Scale benchmark of the partition: real streets tiled N×N (first), and synthetic towns.

Real geometry (``--tiles 5 7 10 20``): Kotka's own streets, rivers, railway and building footprints
(the prepared sample, households by the shared benchmark convention) repeated N×N side by side
(:func:`grid_plugin.core.synthetic.tile_layers`; every tile a parent), at 200 households a grid. Each
case runs ``--runs`` times (min / median / max reported), each run a fresh process under
``/usr/bin/time`` (wall, CPU = user + system, peak RSS):

* *qgis_process*: ``qgis_process run gridplanner:partition`` from the GeoPackage to a GeoPackage,
  QGIS start-up included (what a planner's script pays);
* *core*: read the layers with pyogrio, ``partition()``, write the grids GeoPackage (Python start-up
  and imports included in wall and CPU; the partition alone is reported too).

Quality of each run's grids (not timed): contiguous share, share within ±20 %, cut buildings, share of
internal grid edges on a road, river or railway (within 5 m), from ``assess.metrics.plan_metrics``.
The machine is shared: the load average is recorded before every run.

Synthetic towns (``--sizes``):

For every size a fresh process (so that peak memory is per size):
1. generates the town (not timed) and writes it to a GeoPackage (not timed);
2. times the partition end to end: read the layers from the GeoPackage, partition, write the grids
   to a GeoPackage (core path, pyogrio), and reports peak memory (ru_maxrss);
3. with ``--qgis`` also times ``processing.run("gridplanner:partition")`` from the GeoPackage layers
   to a GeoPackage output (the QGIS path a planner uses).

Run (once, under nice; the machine is shared):
    nice .venv/bin/python benchmarks/partition_scale.py --tiles 5 7 10 --runs 3 --sizes 10000 100000 1000000 --qgis 100000
Writes benchmarks/results/partition_scale.md (real geometry first).
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


REAL_TARGET = 200.0
SECTION = "<!-- synthetic -->"


def tiled_kotka(n: int, workdir: Path) -> Path:
    """The prepared Kotka sample repeated n × n times, written once to a GeoPackage."""
    path = workdir / f"tiled_kotka_{n}.gpkg"
    if path.exists():
        return path
    import geopandas as gpd
    from gridplanner.grid_plugin.core.synthetic import tile_layers

    sys.path.insert(1, str(ROOT / "tests"))
    from helpers import prepared_sample

    source = prepared_sample("kotka")
    names = ("boundary", "buildings", "roads", "waterways", "railways")
    layers = {name: gpd.read_file(source, layer=name) for name in names}
    layers["buildings"] = layers["buildings"][["households", "geometry"]]
    partial = path.with_suffix(".part.gpkg")
    for name, frame in tile_layers(layers, n).items():
        frame.to_file(partial, layer=name, driver="GPKG")
    partial.rename(path)
    return path


def real_core_child(path: Path, out: Path) -> dict:
    """Child process: the core path on one tiled case (read, partition, write)."""
    import geopandas as gpd
    from gridplanner.grid_plugin.core.partition.engine import partition

    started = time.perf_counter()
    area = gpd.read_file(path, layer="boundary", columns=["code"])
    buildings = gpd.read_file(path, layer="buildings", columns=["households"])
    barriers = [gpd.read_file(path, layer=name) for name in ("roads", "waterways", "railways")]
    t0 = time.perf_counter()
    result = partition(area, buildings, barriers, parent_code_field="code", target_load=REAL_TARGET)
    partition_s = time.perf_counter() - t0
    result.grids.to_file(out, layer="grids", driver="GPKG")
    return {
        "read_partition_write_s": round(time.perf_counter() - started, 2),
        "partition_s": round(partition_s, 2),
        "n_units": result.stats["n_units"],
        "n_replanned_parents": result.stats["n_replanned_parents"],
    }


def _timed(command: list[str]) -> tuple[dict, str]:
    """Run ``command`` under /usr/bin/time; wall, CPU (user + system) and peak RSS, and its stdout."""
    load = os.getloadavg()[0]
    done = subprocess.run(
        ["/usr/bin/time", "-f", "TIME %e %U %S %M", *command], capture_output=True, text=True, check=False
    )
    line = [x for x in done.stderr.splitlines() if x.startswith("TIME ")]
    if done.returncode != 0 or not line:
        print(done.stdout[-3000:], done.stderr[-3000:])
        raise SystemExit(f"failed: {' '.join(command)}")
    wall, user, system, rss_kib = line[-1].split()[1:]
    run = {
        "wall_s": float(wall),
        "cpu_s": round(float(user) + float(system), 2),
        "peak_mib": round(int(rss_kib) / 1024),
        "load_1min": round(load, 2),
    }
    return run, done.stdout


def quality(grids_path: Path, case: Path) -> dict:
    """The quality bar of one run's grids (not timed)."""
    import geopandas as gpd
    import pandas as pd
    from gridplanner.grid_plugin.core.assess.metrics import plan_metrics

    grids = gpd.read_file(grids_path)
    area = gpd.read_file(case, layer="boundary")
    buildings = gpd.read_file(case, layer="buildings")
    barriers = gpd.GeoDataFrame(
        pd.concat([gpd.read_file(case, layer=n) for n in ("roads", "waterways", "railways")], ignore_index=True),
        crs=area.crs,
    )
    values = plan_metrics(grids, area, buildings, barriers, load_field="load", target_load=REAL_TARGET, tolerance=0.2)
    return {
        "n_grids": len(grids),
        "n_buildings": len(buildings),
        "households": int(buildings["households"].sum()),
        "n_parents": len(area),
        "share_within_20": values["share_within_20"],
        "contiguous_share": values["contiguous_share"],
        "cut_building_share": values["cut_building_share"],
        "boundary_adherence": values["boundary_adherence"],
        "cut_inside_parents": _cut_inside_parents(grids, area, buildings),
        "plan_digest": _digest(grids),
    }


def _cut_inside_parents(grids, area, buildings) -> int:
    """Footprints split between grids that do not cross a parent boundary (those cannot stay whole)."""
    import numpy as np
    import shapely

    footprints = buildings.geometry.values
    crossing_parent = shapely.intersects(footprints, shapely.union_all(shapely.boundary(area.geometry.values)))
    inner = footprints[~crossing_parent]
    b, g = shapely.STRtree(grids.geometry.values).query(inner, predicate="intersects")
    shared = shapely.area(shapely.intersection(inner[b], grids.geometry.values[g]))
    real = (shared > 0.01) | (shared > 1e-6 * shapely.area(inner[b]))
    return int((np.bincount(b[real], minlength=len(inner)) > 1).sum())


def _digest(grids) -> str:
    import hashlib

    import shapely

    digest = hashlib.sha256()
    for code, geometry in zip(grids["grid_code"], grids.geometry.values, strict=True):
        digest.update(str(code).encode())
        digest.update(shapely.to_wkb(geometry))
    return digest.hexdigest()[:16]


def run_real(tiles: list[int], runs: int, paths: list[str], workdir: Path) -> list[dict]:
    """Every tiled case through the chosen paths, ``runs`` times each."""
    rows = []
    for n in tiles:
        case = tiled_kotka(n, workdir)
        for path_name in paths:
            measured, digests, first_quality = [], set(), None
            for run in range(runs):
                out = workdir / f"grids_{n}_{path_name}_{run}.gpkg"
                if path_name == "core":
                    command = [sys.executable, __file__, "--real-child", str(case), "--out", str(out)]
                else:
                    command = [
                        "bash",
                        str(ROOT / "scripts" / "gp_process.sh"),
                        "run",
                        "gridplanner:partition",
                        "--",
                        f"AREA={case}|layername=boundary",
                        "PARENT_FIELD=code",
                        f"BUILDINGS={case}|layername=buildings",
                        "LOAD=households",
                        *[f"BARRIERS={case}|layername={name}" for name in ("roads", "waterways", "railways")],
                        f"TARGET_LOAD={REAL_TARGET:g}",
                        f"OUTPUT={out}",
                    ]
                timing, stdout = _timed(command)
                result = [x for x in stdout.splitlines() if x.startswith("RESULT ")]
                if result:
                    timing.update(json.loads(result[-1][7:]))
                measured.append(timing)
                if first_quality is None:
                    first_quality = quality(out, case)
                    digests.add(first_quality["plan_digest"])
                else:
                    import geopandas as gpd

                    digests.add(_digest(gpd.read_file(out)))
                out.unlink()
                print(n, path_name, run, timing, flush=True)
            row = {"tiles": n, "path": path_name, "runs": measured, **first_quality}
            row["same_grids_every_run"] = len(digests) == 1
            rows.append(row)
            print(json.dumps({k: v for k, v in row.items() if k != "runs"}), flush=True)
    return rows


def _spread(runs, key) -> str:
    import statistics

    values = [r[key] for r in runs if key in r]
    if not values:
        return "—"
    fmt = (lambda v: f"{v:,.0f}") if key == "peak_mib" else (lambda v: f"{v:.1f}")
    return f"{fmt(min(values))} / {fmt(statistics.median(values))} / {fmt(max(values))}"


def real_markdown(rows, command: str) -> list[str]:
    """The real-geometry section of the results file."""
    lines = [
        "# Partition scale benchmark",
        "",
        f"- Machine: {machine()}; **shared by 8 engineers** at the time: the 1-minute load average before",
        "  each run is in the table (a load above 2 on 2 cores means the run waited for a core; CPU time",
        "  is the fairer figure then).",
        f"- Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        f"- Command: `{command}`",
        "",
        "## Real streets: Kotka tiled N × N",
        "",
        "Kotka's streets, rivers, railway and footprints (prepared sample, households by the shared",
        f"convention) repeated N × N, every tile a parent; {REAL_TARGET:g} households a grid, ±20 %, seed 0.",
        "*qgis_process* = `qgis_process run gridplanner:partition` GeoPackage to GeoPackage, start-up",
        "included; *core* = a fresh Python process that reads the GeoPackage (pyogrio), partitions and",
        "writes the grids (imports included). Figures are min / median / max over the runs; CPU = user +",
        "system; peak = maximum resident set size. *Edges on a line* = share of internal grid-edge length",
        "within 5 m of a road, river or railway. *Cut buildings*: share of footprints in more than one grid;",
        "in brackets those that do not cross a parent (tile) boundary — a footprint the parent boundary",
        "itself cuts cannot stay whole, every other one must.",
        "",
        "| tiles | buildings | households | grids | path | runs | wall s | CPU s | partition s (core) | peak MiB |"
        " load | within ±20% | contiguous | cut buildings (inside parents) | edges on a line | same grids each run |",
        "|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        loads = [x["load_1min"] for x in r["runs"]]
        lines.append(
            f"| {r['tiles']}×{r['tiles']} | {r['n_buildings']:,} | {r['households']:,} | {r['n_grids']:,} | "
            f"{r['path']} | {len(r['runs'])} | {_spread(r['runs'], 'wall_s')} | {_spread(r['runs'], 'cpu_s')} | "
            f"{_spread(r['runs'], 'partition_s')} | {_spread(r['runs'], 'peak_mib')} | "
            f"{min(loads):.1f}–{max(loads):.1f} | {r['share_within_20']:.1%} | {r['contiguous_share']:.1%} | "
            f"{r['cut_building_share']:.2%} ({r['cut_inside_parents']}) | {r['boundary_adherence']:.1%} | {r['same_grids_every_run']} |"
        )
    lines += ["", "Raw real-geometry runs:", "", "```json", json.dumps(rows, indent=1), "```", ""]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiles", type=int, nargs="*", default=[5, 7, 10, 20], help="real-geometry cases (N×N)")
    parser.add_argument("--paths", nargs="+", default=["qgis_process", "core"], help="qgis_process and/or core")
    parser.add_argument("--core-only-tiles", type=int, nargs="*", default=[], help="cases run through the core only")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--results", default="partition_scale.md", help="results file in benchmarks/results/")
    parser.add_argument("--long-runs", type=int, default=None, help="runs for cases of 10×10 tiles and more")
    parser.add_argument("--real-child", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--qgis", type=int, nargs="*", default=[], help="sizes also run through processing.run")
    parser.add_argument("--target", type=float, default=400)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.real_child:
        _import_plugin()
        print("RESULT " + json.dumps(real_core_child(Path(args.real_child), Path(args.out))))
        return
    if args.child:
        row = run_one(args.child, args.target, args.child in args.qgis, Path(args.workdir))
        print("RESULT " + json.dumps(row))
        return
    _import_plugin()
    real_rows = []
    with tempfile.TemporaryDirectory(prefix="gp-scale-real-") as workdir:
        for n in args.tiles:
            paths = ["core"] if n in args.core_only_tiles else args.paths
            runs = args.long_runs if (args.long_runs and n >= 10) else args.runs
            real_rows += run_real([n], runs, paths, Path(workdir))
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
    write_markdown(rows, args, real_rows)


def write_markdown(rows, args, real_rows=()) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    command = "nice .venv/bin/python benchmarks/partition_scale.py " + " ".join(sys.argv[1:])
    head = real_markdown(real_rows, command) if real_rows else []
    target = RESULTS / args.results
    if not rows:  # no synthetic run this time: keep the last synthetic section as it was
        old = target.read_text(encoding="utf-8") if target.exists() else ""
        kept = old[old.index(SECTION) :] if SECTION in old else ""
        target.write_text("\n".join(head) + "\n" + kept, encoding="utf-8")
        return
    lines = [
        SECTION,
        "## Synthetic towns",
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
    target.write_text("\n".join(head + lines), encoding="utf-8")


if __name__ == "__main__":
    main()
