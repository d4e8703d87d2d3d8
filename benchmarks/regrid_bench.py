"""Benchmark: stability of re-gridding against a fresh partition, on Kotka and Heinersreuth.

For each case a base plan is partitioned (seed 0); households are perturbed by ±10 % per building
(uniform, seeded, rounded); then (a) ``regrid`` updates the base plan and (b) a fresh ``partition`` of
the perturbed data is run with the same seed. Both are compared with the base plan:

- grids unchanged: share of the base grids that survive with the same geometry (symmetric difference
  under 1 m²) — and, for regrid, the same code;
- households moved: households whose grid changed. For regrid, by code. For the fresh partition, new
  grids are first matched one-to-one to base grids by shared households (Hungarian assignment), the
  most generous reading of "the same grid".

Run: nice .venv/bin/python benchmarks/regrid_bench.py [--seeds 3]
Writes benchmarks/results/regrid.md. Targets (issue 4): regrid keeps ≥ 80 % of grids and moves < 10 %
of households; the fresh partition changes far more.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = {"kotka": 400.0, "heinersreuth": 150.0}
#: How households change (each a ±10 % perturbation, seeded):
#: building — every building × U(0.9, 1.1) (independent noise; averages out inside a grid);
#: grid — every building of a base grid × the same U(0.9, 1.1) (neighbourhoods grow or shrink);
#: trend — × 0.9 in the west rising linearly to × 1.1 in the east, times U(0.95, 1.05) per building.
MODES = ("building", "grid", "trend")


def _import_plugin():
    link_dir = Path(tempfile.mkdtemp(prefix="gridplanner-bench-"))
    (link_dir / "gridplanner").symlink_to(ROOT, target_is_directory=True)
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT]
    sys.path.insert(0, str(link_dir))
    spec = importlib.util.spec_from_file_location("helpers", ROOT / "tests" / "helpers.py")
    helpers = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(helpers)
    return helpers


def load_case(helpers, name):
    """Area, buildings (households) and barrier lines of a prepared sample."""
    import geopandas as gpd
    import pandas as pd

    path = helpers.prepared_sample(name)
    area = gpd.read_file(path, layer="boundary")
    buildings = gpd.read_file(path, layer="buildings")
    barriers = []
    for layer in ("roads", "waterways", "railways"):
        try:
            frame = gpd.read_file(path, layer=layer)
        except Exception:  # noqa: BLE001 - a sample without railways
            continue
        if len(frame):
            barriers.append(frame)
    return area, buildings, pd.concat(barriers, ignore_index=True)


def perturb(buildings, seed, mode="building", base=None):
    """Households × a seeded ±10 % factor (see MODES)."""
    import numpy as np
    import shapely
    from gridplanner.grid_plugin.core.partition.regrid import assign_buildings

    rng = np.random.default_rng(seed)
    out = buildings.copy()
    n = len(out)
    if mode == "building":
        factor = rng.uniform(0.9, 1.1, n)
    elif mode == "grid":
        grid_factor = rng.uniform(0.9, 1.1, len(base))
        of = assign_buildings(base, buildings)
        factor = np.where(of >= 0, grid_factor[np.maximum(of, 0)], 1.0)
    elif mode == "trend":
        x = shapely.get_x(shapely.centroid(buildings.geometry.values))
        factor = 0.9 + 0.2 * (x - x.min()) / max(x.max() - x.min(), 1e-9)
        factor = factor * rng.uniform(0.95, 1.05, n)
    else:
        raise ValueError(mode)
    out["households"] = np.round(out["households"].to_numpy(float) * factor)
    return out


def compare_fresh(base, fresh, buildings, loads):
    """(unchanged share, moved households) of a fresh plan against the base plan (Hungarian matching)."""
    import numpy as np
    import shapely
    from gridplanner.grid_plugin.core.partition.regrid import assign_buildings
    from scipy.optimize import linear_sum_assignment

    b_old = assign_buildings(base, buildings)
    b_new = assign_buildings(fresh, buildings)
    ok = (b_old >= 0) & (b_new >= 0)
    shared = np.zeros((len(fresh), len(base)))
    np.add.at(shared, (b_new[ok], b_old[ok]), loads[ok] + 1e-3)
    rows, cols = linear_sum_assignment(-shared)
    match = np.full(len(fresh), -1)
    match[rows] = cols
    moved = float(loads[ok][match[b_new[ok]] != b_old[ok]].sum())
    same = 0
    tree = shapely.STRtree(fresh.geometry.values)
    for geom in base.geometry.values:
        for j in tree.query(geom, predicate="intersects"):
            if shapely.area(shapely.symmetric_difference(geom, fresh.geometry.values[j])) < 1.0:
                same += 1
                break
    return same / len(base), moved


def unchanged_regrid(base, result, code_field="grid_code"):
    import shapely

    new = result.plan.set_index(code_field)
    same = 0
    for code, geom in zip(base[code_field], base.geometry.values):
        if code in new.index and shapely.area(shapely.symmetric_difference(geom, new.loc[code, "geometry"])) < 1.0:
            same += 1
    return same / len(base)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=3, help="perturbation seeds (1..n)")
    parser.add_argument(
        "--cases", default="kotka:400,kotka:100,heinersreuth:150,heinersreuth:50", help="name:target,..."
    )
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "regrid.md")
    args = parser.parse_args()
    helpers = _import_plugin()

    from gridplanner.grid_plugin.core.partition.engine import partition
    from gridplanner.grid_plugin.core.partition.regrid import regrid

    lines = [
        "# Re-gridding stability benchmark",
        "",
        f"- Machine: {platform.node()} ({platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()})",
        f"- Command: `nice .venv/bin/python benchmarks/regrid_bench.py --seeds {args.seeds} --cases {args.cases} --modes {args.modes}`",
        "- Data: `tests/helpers.prepared_sample(name)` (households by the shared convention); barriers = roads, "
        "waterways, railways. Base plan: `partition(..., seed=0)`; tolerance ±20 %; perturbations (rounded, seeds "
        f"1..{args.seeds}): building = each building × U(0.9, 1.1); grid = all buildings of a base grid × one "
        "U(0.9, 1.1); trend = × 0.9 (west) rising to × 1.1 (east), times U(0.95, 1.05) per building.",
        "- Unchanged = same geometry (symmetric difference < 1 m²) and, for regrid, the same code. Moved = households "
        "whose grid changed (regrid: by code; fresh partition: after a one-to-one matching of new to base grids by "
        "shared households).",
        "",
        "| case | target | mode | base grids | base within ±20 % | seed | regrid unchanged | regrid moved | regrid s | "
        "fresh unchanged | fresh moved | fresh s | regrid within ±20 % after |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    summary = []
    data = {}
    for case in args.cases.split(","):
        name, target = case.split(":")
        target = float(target)
        if name not in data:
            data[name] = load_case(helpers, name)
        area, buildings, barriers = data[name]
        base = partition(area, buildings, barriers, target_load=target, tolerance=0.2, seed=0).grids
        base_loads = base["load"].to_numpy(float)
        base_within = float(((base_loads >= 0.8 * target) & (base_loads <= 1.2 * target)).mean())
        for mode in args.modes.split(","):
            rows = []
            for seed in range(1, args.seeds + 1):
                changed = perturb(buildings, seed, mode, base)
                loads = changed["households"].to_numpy(float)
                total = float(loads.sum())
                t0 = time.perf_counter()
                result = regrid(base, changed, barriers, target_load=target, tolerance=0.2, seed=0)
                t1 = time.perf_counter()
                fresh = partition(area, changed, barriers, target_load=target, tolerance=0.2, seed=0).grids
                t2 = time.perf_counter()
                r_same = unchanged_regrid(base, result)
                r_moved = result.summary["households_moved"] / total
                f_same, f_moved_hh = compare_fresh(base, fresh, changed, loads)
                f_moved = f_moved_hh / total
                after = result.summary["within_tolerance_after"]
                rows.append((r_same, r_moved, t1 - t0, f_same, f_moved, t2 - t1, after))
                lines.append(
                    f"| {name} | {target:g} | {mode} | {len(base)} | {base_within:.1%} | {seed} | {r_same:.1%} | "
                    f"{r_moved:.1%} | {t1 - t0:.1f} | {f_same:.1%} | {f_moved:.1%} | {t2 - t1:.1f} | {after:.1%} |"
                )
            med = [statistics.median(r[i] for r in rows) for i in range(7)]
            summary.append((f"{name} @ {target:g}, {mode}", len(base), *med))
    lines += [
        "",
        "Medians over the seeds:",
        "",
        "| case | base grids | regrid unchanged | regrid moved | fresh unchanged | fresh moved | moved ratio fresh/regrid | "
        "targets met (≥ 80 % kept, < 10 % moved) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, n, r_same, r_moved, _r_t, f_same, f_moved, _f_t, _within in summary:
        ratio = f_moved / r_moved if r_moved > 0 else float("inf")
        met = r_same >= 0.8 and r_moved < 0.1
        lines.append(
            f"| {name} | {n} | {r_same:.1%} | {r_moved:.1%} | {f_same:.1%} | {f_moved:.1%} | {ratio:.1f}× | {met} |"
        )
    lines.append("")
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
