"""Benchmark: how well grid serials follow the reading order a map reader expects.

Run: nice .venv/bin/python benchmarks/reading_order.py [--seeds 10]
Writes benchmarks/results/reading_order.md.

On irregular tilings (Voronoi cells of 150 uniform random points, and of a 12 × 12 lattice jittered
by up to ±50 m on a 160 m spacing, in a 2 × 2 km square; seeds 0..n-1) it counts, over pairs of
neighbours sharing an edge:

* *stacked* pairs (one above the other: x-ranges overlapping by more than half the narrower width,
  y-ranges by less than half the lower height) whose southern grid is numbered first;
* *side-by-side* pairs (the transpose) whose eastern grid is numbered first.

for the serial order of ``grid_plugin.core.partition.coding.serial_order`` (rows started at the
northernmost centroid, half a median grid height deep) and for the rule before 0.2.0 (fixed bands of
√(median area) counted from the top edge, representative points), kept here as the reference.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _import_plugin():
    link_dir = Path(tempfile.mkdtemp(prefix="gridplanner-bench-"))
    (link_dir / "gridplanner").symlink_to(ROOT, target_is_directory=True)
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT]
    sys.path.insert(0, str(link_dir))


def fixed_band_order(geometries):
    """The serial order before 0.2.0: bands of √(median area) from the top edge, representative points."""
    import numpy as np
    import shapely

    geometries = np.asarray(geometries, dtype=object)
    points = shapely.get_coordinates(shapely.point_on_surface(geometries))
    areas = shapely.area(geometries)
    band_m = max(float(np.sqrt(np.median(areas))) if np.median(areas) > 0 else 1.0, 1e-9)
    top = float(shapely.total_bounds(geometries)[3])
    band = np.floor((top - points[:, 1]) / band_m).astype(np.int64)
    order = np.lexsort((np.arange(geometries.size), -points[:, 1], points[:, 0], band))
    rank = np.empty(geometries.size, dtype=np.int64)
    rank[order] = np.arange(geometries.size)
    return rank


def tilings(seeds):
    """(name, cells) for each kind and seed."""
    import numpy as np
    import shapely

    square = shapely.box(0, 0, 2000, 2000)
    for seed in range(seeds):
        rng = np.random.default_rng(seed)
        uniform = rng.uniform(0, 2000, (150, 2))
        gx, gy = np.meshgrid(np.arange(12) * 160 + 80, np.arange(12) * 160 + 80)
        jittered = np.c_[gx.ravel(), gy.ravel()] + rng.uniform(-50, 50, (144, 2))
        for kind, points in (("uniform", uniform), ("jittered lattice", jittered)):
            cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(points), extend_to=square))
            yield kind, shapely.intersection(cells, square)


def inversions(geometries, rank):
    """(stacked pairs, stacked south-first, side-by-side pairs, side-by-side east-first)."""
    import numpy as np
    import shapely

    bounds = shapely.bounds(geometries)
    centre = shapely.get_coordinates(shapely.centroid(geometries))
    left, right = shapely.STRtree(geometries).query(geometries, predicate="intersects")
    keep = left < right
    out = np.zeros(4, dtype=np.int64)
    for i, j in zip(left[keep].tolist(), right[keep].tolist(), strict=True):
        shared = shapely.length(shapely.intersection(shapely.boundary(geometries[i]), shapely.boundary(geometries[j])))
        if shared < 1:
            continue
        bi, bj = bounds[i], bounds[j]
        overlap_x = min(bi[2], bj[2]) - max(bi[0], bj[0])
        overlap_y = min(bi[3], bj[3]) - max(bi[1], bj[1])
        width = min(bi[2] - bi[0], bj[2] - bj[0])
        height = min(bi[3] - bi[1], bj[3] - bj[1])
        if overlap_x > 0.5 * width and overlap_y < 0.5 * height:
            north, south = (i, j) if centre[i, 1] > centre[j, 1] else (j, i)
            out[0] += 1
            out[1] += rank[north] > rank[south]
        elif overlap_y > 0.5 * height and overlap_x < 0.5 * width:
            west, east = (i, j) if centre[i, 0] < centre[j, 0] else (j, i)
            out[2] += 1
            out[3] += rank[west] > rank[east]
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "reading_order.md")
    args = parser.parse_args()
    _import_plugin()
    import numpy as np
    from gridplanner.grid_plugin.core.partition.coding import serial_order

    started, cpu = time.perf_counter(), time.process_time()
    totals = {"rows from the north, half a median grid height (0.2.0)": np.zeros(4, dtype=np.int64)}
    totals["fixed bands from the top edge (before 0.2.0)"] = np.zeros(4, dtype=np.int64)
    n_tilings = n_cells = 0
    for _kind, cells in tilings(args.seeds):
        n_tilings += 1
        n_cells += len(cells)
        for name, rule in zip(totals, (serial_order, fixed_band_order), strict=True):
            totals[name] += inversions(cells, rule(cells))
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    lines = [
        "# Reading order of grid serials",
        "",
        f"- Machine: {platform.node()} ({platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()});"
        f" 2 cores shared by the team, 1-min load average {os.getloadavg()[0]:.1f} at the end.",
        f"- Command: `nice .venv/bin/python benchmarks/reading_order.py --seeds {args.seeds}`",
        f"- Input: {n_tilings} Voronoi tilings of a 2 × 2 km square ({n_cells} grids): 150 uniform random points"
        " and a 12 × 12 lattice jittered by ±50 m, seeds 0–" + str(args.seeds - 1) + ".",
        f"- Time: {wall:.1f} s wall, {cpu:.1f} s CPU (both rules and the counting).",
        "",
        "| serial rule | stacked neighbour pairs | south numbered first | side-by-side pairs | east numbered first |",
        "|---|---|---|---|---|",
    ]
    for name, (stacked, south_first, side, east_first) in totals.items():
        lines.append(
            f"| {name} | {stacked} | {south_first} ({100 * south_first / max(stacked, 1):.1f}%) | {side} | "
            f"{east_first} ({100 * east_first / max(side, 1):.1f}%) |"
        )
    lines += [
        "",
        "A side-by-side pair numbered east first is expected where the two grids fall in different rows"
        " (the eastern one in the row above); a stacked pair numbered south first is what a reader sees as"
        " a column read out of order.",
        "",
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
