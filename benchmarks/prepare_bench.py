"""Benchmark: preparing planning inputs from OpenStreetMap (gridplanner:prepareosm) on the real samples.

Timed, per dataset: the core ``prepare_osm`` + ``estimate_households`` in this Python (median of
``--repeats`` runs) and one end-to-end ``qgis_process`` run of ``gridplanner:prepareosm`` (which
includes starting QGIS and loading every plugin algorithm: the wait a batch user sees).

Run: nice .venv/bin/python benchmarks/prepare_bench.py [--repeats 3] [--no-qgis-process]
Writes benchmarks/results/prepare.md.
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
SHARED = ROOT.parent / "shared" / "data"
RESULTS = ROOT / "benchmarks" / "results" / "prepare.md"


def _import_plugin():
    """Import the plugin as ``gridplanner`` without putting the repository root on sys.path."""
    link_dir = Path(tempfile.mkdtemp(prefix="gp-bench-"))
    (link_dir / "gridplanner").symlink_to(ROOT, target_is_directory=True)
    sys.path.insert(0, str(link_dir))


def datasets():
    import importlib.util

    spec = importlib.util.spec_from_file_location("sample_data", ROOT / "scripts" / "sample_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    found = [("Kotka (pyrosm test.osm.pbf)", module.sample_path("kotka"), {"hull_buffer_m": -100.0})]
    if (SHARED / "north-bayreuth.osm.gz").exists():
        found.append(
            (
                "Heinersreuth (north-bayreuth.osm.gz)",
                SHARED / "north-bayreuth.osm.gz",
                {"boundary_name": "Heinersreuth", "clip_boundary_to_data": True},
            )
        )
    if (SHARED / "shenzhen_longgang.osm").exists():
        found.append(("Shenzhen Longgang (shenzhen_longgang.osm)", SHARED / "shenzhen_longgang.osm", {}))
    return found


QP_PARAMETERS = {
    "hull_buffer_m": "HULL_BUFFER_M",
    "boundary_name": "BOUNDARY_NAME",
    "clip_boundary_to_data": "CLIP_TO_DATA",
}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-qgis-process", action="store_true")
    args = parser.parse_args()
    _import_plugin()
    from gridplanner.grid_plugin.core.prepare.households import estimate_households
    from gridplanner.grid_plugin.core.prepare.osm import prepare_osm

    rows = []
    for label, path, options in datasets():
        times = []
        for _ in range(args.repeats):
            started = time.perf_counter()
            layers = prepare_osm(path, **options)
            buildings, _summary = estimate_households(layers["buildings"])
            times.append(time.perf_counter() - started)
        qp_seconds = None
        if not args.no_qgis_process:
            with tempfile.TemporaryDirectory() as tmp:
                command = [
                    "bash",
                    str(ROOT / "scripts" / "gp_process.sh"),
                    "run",
                    "gridplanner:prepareosm",
                    "--",
                    f"INPUT={path}",
                    *[f"{QP_PARAMETERS[k]}={v}" for k, v in options.items()],
                    f"OUTPUT={tmp}/out.gpkg",
                ]
                env = {k: v for k, v in os.environ.items() if not k.startswith("PYENV")}
                env["PATH"] = "/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin"
                started = time.perf_counter()
                run = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
                qp_seconds = time.perf_counter() - started
                if run.returncode != 0:
                    print(run.stdout[-2000:], run.stderr[-2000:])
                    raise SystemExit(f"qgis_process failed for {label}")
        rows.append(
            {
                "label": label,
                "size_mb": path.stat().st_size / 1e6,
                "buildings": len(buildings),
                "roads": len(layers["roads"]),
                "households": int(buildings["households"].sum()),
                "crs": layers["boundary"].crs.to_epsg(),
                "core_median": statistics.median(times),
                "core_all": times,
                "qgis_process": qp_seconds,
            }
        )
        print(rows[-1])

    import pyogrio
    import shapely

    lines = [
        "# prepareosm benchmark",
        "",
        f"- Machine: {platform.node()}, {platform.processor() or platform.machine()}, {os.cpu_count()} cores "
        "(shared with other engineers' jobs; run under `nice`)",
        f"- Python {platform.python_version()}, shapely {shapely.__version__} (GEOS {shapely.geos_version_string}), "
        f"pyogrio {pyogrio.__version__} (GDAL {pyogrio.__gdal_version_string__})",
        f"- Command: `nice .venv/bin/python benchmarks/prepare_bench.py --repeats {args.repeats}`",
        f"- Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        "",
        "| dataset | file MB | buildings | roads | households | EPSG | core median s (runs) | qgis_process s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        runs = ", ".join(f"{t:.2f}" for t in row["core_all"])
        qp = f"{row['qgis_process']:.1f}" if row["qgis_process"] is not None else "-"
        lines.append(
            f"| {row['label']} | {row['size_mb']:.2f} | {row['buildings']} | {row['roads']} | {row['households']} | "
            f"{row['crs']} | {row['core_median']:.2f} ({runs}) | {qp} |"
        )
    lines += [
        "",
        "Core = `prepare_osm` (read with GDAL's OSM driver, tag parsing, repair, projection, clipping) plus "
        "`estimate_households`. qgis_process = one `gridplanner:prepareosm` run end to end including QGIS start-up "
        "and writing the GeoPackage; the difference to the core time is mostly QGIS and plugin start-up.",
        "",
    ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print(RESULTS.read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
