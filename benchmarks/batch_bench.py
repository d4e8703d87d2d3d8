"""Batch throughput: subdistricts per minute per worker, locally and on a Dask cluster.

A config of ``--copies`` × the three example subdistricts (Kotka re-grid, Heinersreuth re-grid, Kotka
fresh plan; inputs from ``scripts/batch_example_data.py``) runs

* locally with 1 and 2 worker processes (``scripts/batch_regrid.py CONFIG --workers N``), and
* on a Dask scheduler with 2 single-threaded workers started from the venv on 127.0.0.1
  (``--scheduler tcp://127.0.0.1:PORT``),

each under ``/usr/bin/time``; the summary's per-subdistrict seconds give the cost of one subdistrict.
The machine is shared: the load average is recorded.

Run (under nice):
    nice .venv/bin/python benchmarks/batch_bench.py --copies 4
Writes benchmarks/results/batch.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
DASK = Path(sys.executable).parent / "dask"


def write_config(folder: Path, data: Path, copies: int) -> Path:
    """The example's three subdistricts, ``copies`` times, each copy with its own output."""
    jobs = []
    for copy in range(copies):
        jobs.append(
            f'[[subdistrict]]\nname = "Kotka {copy}"\nplan = "{data}/kotka_plan.gpkg"\nplan_layer = "plan"\n'
            f'buildings = "{data}/kotka_2025.gpkg"\nbuildings_layer = "buildings"\nbarriers = "{data}/kotka_2025.gpkg"\n'
            f'barriers_layers = ["roads"]\noutput = "out/kotka_{copy}.gpkg"\n'
        )
        jobs.append(
            f'[[subdistrict]]\nname = "Heinersreuth {copy}"\nplan = "{data}/heinersreuth_plan.gpkg"\n'
            f'plan_layer = "plan"\nbuildings = "{data}/heinersreuth_2025.gpkg"\nbuildings_layer = "buildings"\n'
            f'target_load = 150\noutput = "out/heinersreuth_{copy}.gpkg"\n'
        )
        jobs.append(
            f'[[subdistrict]]\nname = "Kotka fresh {copy}"\narea = "{data}/kotka_2025.gpkg"\narea_layer = "boundary"\n'
            f'buildings = "{data}/kotka_2025.gpkg"\nbuildings_layer = "buildings"\nbarriers = "{data}/kotka_2025.gpkg"\n'
            f'barriers_layers = ["roads"]\noutput = "out/kotka_fresh_{copy}.gpkg"\n'
        )
    config = folder / "bench.toml"
    config.write_text("[defaults]\ntarget_load = 400\ntolerance = 0.2\n\n" + "\n".join(jobs), encoding="utf-8")
    return config


def timed(command: list[str]) -> dict:
    load = os.getloadavg()[0]
    done = subprocess.run(["/usr/bin/time", "-f", "TIME %e %U %S", *command], capture_output=True, text=True)
    line = [x for x in done.stderr.splitlines() if x.startswith("TIME ")][-1]
    wall, user, system = map(float, line.split()[1:])
    return {"wall_s": wall, "cpu_s": round(user + system, 2), "load_1min": round(load, 2), "exit": done.returncode}


def start_cluster(folder: Path, workers: int):
    from distributed import Client

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    procs = [
        subprocess.Popen(
            [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=folder,
        )
    ]
    for number in range(workers):
        procs.append(
            subprocess.Popen(
                [str(DASK), "worker", address, "--nthreads", "1", "--no-dashboard"]
                + ["--local-directory", str(folder / f"w{number}")],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                cwd=folder,
            )
        )
    deadline = time.monotonic() + 120
    while True:
        try:
            with Client(address, timeout="5s") as client:
                client.wait_for_workers(workers, timeout=120)
            return address, procs
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def stop(procs) -> None:
    for process in reversed(procs):
        process.terminate()
    for process in procs:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def per_subdistrict(summary: Path) -> list[float]:
    with summary.open(encoding="utf-8") as handle:
        return [float(row["seconds"]) for row in csv.DictReader(handle) if row["status"] == "ok"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=4)
    parser.add_argument("--data", type=Path, default=ROOT / ".cache" / "batch")
    args = parser.parse_args()
    if not (args.data / "kotka_plan.gpkg").exists():
        subprocess.run([sys.executable, str(ROOT / "scripts" / "batch_example_data.py"), "--dest", str(args.data)])
    script = str(ROOT / "scripts" / "batch_regrid.py")
    rows = []
    with tempfile.TemporaryDirectory(prefix="gp-batch-bench-") as tmp:
        folder = Path(tmp)
        config = write_config(folder, args.data.resolve(), args.copies)
        n_jobs = 3 * args.copies
        setups = [("local processes", 1, ["--workers", "1"]), ("local processes", 2, ["--workers", "2"])]
        for label, workers, options in setups:
            run = timed([sys.executable, script, str(config), *options])
            rows.append(
                {
                    "how": label,
                    "workers": workers,
                    **run,
                    "seconds": per_subdistrict(config.with_name("bench_summary.csv")),
                }
            )
            print(rows[-1], flush=True)
        address, procs = start_cluster(folder, 2)
        try:
            run = timed([sys.executable, script, str(config), "--scheduler", address])
            rows.append(
                {
                    "how": "Dask scheduler",
                    "workers": 2,
                    **run,
                    "seconds": per_subdistrict(config.with_name("bench_summary.csv")),
                }
            )
            print(rows[-1], flush=True)
        finally:
            stop(procs)
    lines = [
        "# Batch throughput",
        "",
        f"- Machine: {os.cpu_count()} cores, shared by 8 engineers (load average in the table).",
        f"- Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        f"- Command: `nice .venv/bin/python benchmarks/batch_bench.py --copies {args.copies}`",
        f"- {n_jobs} subdistricts: {args.copies} × (Kotka re-grid, Heinersreuth re-grid, Kotka fresh plan).",
        "  Wall and CPU for the whole command (Python start-up, scheduler connection included; the CPU of",
        "  Dask workers, separate processes, is not in it); *per",
        "  subdistrict* is the median of the summary's seconds (read, plan, write of one subdistrict).",
        "",
        "| how | workers | subdistricts | wall s | CPU s (command + child processes) | per subdistrict s (median) | subdistricts / min | per worker / min | load |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        per_min = n_jobs / r["wall_s"] * 60
        lines.append(
            f"| {r['how']} | {r['workers']} | {n_jobs} | {r['wall_s']:.1f} | {r['cpu_s']:.1f} | "
            f"{statistics.median(r['seconds']):.2f} | {per_min:.1f} | {per_min / r['workers']:.1f} | {r['load_1min']:.1f} |"
        )
    lines += ["", "```json", json.dumps(rows, indent=1), "```", ""]
    (RESULTS / "batch.md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
