"""Benchmark: a synthetic 100k-building town in three nested levels (≈1,200 / ≈50 / ≈6 grids).

Run: nice .venv/bin/python benchmarks/multilevel_bench.py [--buildings 100000] [--repeat 1]
Writes benchmarks/results/multilevel.md (machine, command, timings, nesting checks).
Target (issue 4): exact nesting, hierarchical codes, the whole run (partition + levels) under 90 s.
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


def _import_plugin():
    link_dir = Path(tempfile.mkdtemp(prefix="gridplanner-bench-"))
    (link_dir / "gridplanner").symlink_to(ROOT, target_is_directory=True)
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT]
    sys.path.insert(0, str(link_dir))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--buildings", type=int, default=100_000)
    parser.add_argument("--grids", type=int, default=1200, help="finest grids (partition n_grids)")
    parser.add_argument("--sizes", default="8,24", help="children per upper grid, from the top")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "multilevel.md")
    args = parser.parse_args()
    _import_plugin()

    import shapely
    from gridplanner.grid_plugin.core.partition.engine import partition
    from gridplanner.grid_plugin.core.partition.multilevel import LevelSpec, build_levels, check_nesting
    from gridplanner.grid_plugin.core.synthetic import synthetic_town

    town = synthetic_town(args.buildings, seed=0)
    sizes = [float(s) for s in args.sizes.split(",")]
    runs = []
    for _ in range(args.repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        target = float(town["buildings"]["households"].sum()) / args.grids
        result = partition(town["area"], town["buildings"], town["roads"], target_load=target, seed=0)
        t1, c1 = time.perf_counter(), time.process_time()
        levels = build_levels(
            result.grids, [LevelSpec(group_size=s) for s in sizes], load_field="load", code_prefix="440307001"
        )
        t2, c2 = time.perf_counter(), time.process_time()
        runs.append((t1 - t0, t2 - t1, t2 - t0, c1 - c0, c2 - c1, c2 - c0))
    nesting = check_nesting(levels.levels)
    counts = [len(level) for level in levels.levels]
    contiguous = [float((shapely.get_num_geometries(level.geometry.values) == 1).mean()) for level in levels.levels]
    cv = [float(level["load"].std() / level["load"].mean()) for level in levels.levels]
    children = [(int(level["n_children"].min()), int(level["n_children"].max())) for level in levels.levels[:-1]]
    finest = levels.levels[-1]
    prefix_ok = all(c.startswith(p) for c, p in zip(finest["grid_code"], finest["parent_code"]))
    med = [statistics.median(r[i] for r in runs) for i in range(6)]
    load_avg = os.getloadavg()[0]
    lines = [
        "# Multi-level grids benchmark",
        "",
        f"- Machine: {platform.node()} ({platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()})",
        f"- Command: `nice .venv/bin/python benchmarks/multilevel_bench.py --buildings {args.buildings} --grids {args.grids} --sizes {args.sizes} --repeat {args.repeat}`",
        f"- Input: `synthetic_town({args.buildings}, seed=0)`, {int(town['buildings']['households'].sum())} households; "
        f"partition at target_load = households / {args.grids}; group sizes {args.sizes} (from the top).",
        f"- Runs: {args.repeat}; medians below.",
        "",
        f"- Machine load (1-min load average at the end, 2 cores shared by the team): {load_avg:.1f}; CPU time "
        "is the process's own time, wall time includes waiting for the cores.",
        "",
        "| step | median wall s | median CPU s |",
        "|---|---|---|",
        f"| partition (finest level) | {med[0]:.1f} | {med[3]:.1f} |",
        f"| build_levels (2 upper levels, codes) | {med[1]:.1f} | {med[4]:.1f} |",
        f"| total | {med[2]:.1f} | {med[5]:.1f} |",
        "",
        "| level | grids | contiguous share | load CV | children per grid (min–max) |",
        "|---|---|---|---|---|",
    ]
    for k in range(len(levels.levels)):
        child = f"{children[k][0]}–{children[k][1]}" if k < len(children) else "—"
        lines.append(f"| {k + 1} | {counts[k]} | {contiguous[k]:.3f} | {cv[k]:.3f} | {child} |")
    lines += [
        "",
        "Nesting (area of children outside their parent, |union difference|, codes extend the parent's code):",
        "",
        "| levels | outside m² | union difference m² | codes extend parent | exact |",
        "|---|---|---|---|---|",
    ]
    for key, value in nesting.items():
        lines.append(
            f"| {key} | {value['outside_m2']:.3f} | {value['area_difference_m2']:.3f} | {value['codes_extend_parent']} | {value['exact']} |"
        )
    lines += [
        "",
        f"Every finest code extends its parent's code: {prefix_ok}; codes unique: {bool(finest['grid_code'].is_unique)}; "
        f"sample codes: {', '.join(finest['grid_code'].head(3))}.",
        f"Target: total under 90 s — wall {med[2]:.1f} s ({'met' if med[2] < 90 else 'NOT met'}), "
        f"CPU {med[5]:.1f} s ({'met' if med[5] < 90 else 'NOT met'}).",
        "",
    ]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
