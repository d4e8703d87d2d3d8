"""partitionbytype beside partition on real cases: the invariants the issue asks of both.

Cases (prepared GeoPackages of ``tests/helpers.prepared_sample``, households by the shared convention):
Longgang (a dense Chinese city district), Heinersreuth (a rural German municipality) and Kotka (a town),
each with the shipped defaults (400 households ±20%; villages 400 ±30%, one village one grid).
Figures per method: grids, coverage, overlap, one-part grids, cut buildings, internal edge length within
5 m of a road, river or railway (``plan_metrics``), and the share of residential and village grids within
their tolerance or flagged with a reason (partition: all its grids are residential).

Run:  nice .venv/bin/python benchmarks/partitionbytype_real.py
Writes benchmarks/results/partitionbytype_real.md.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
CASES = ("shenzhen", "heinersreuth", "kotka")
LABELS = {"shenzhen": "Longgang", "heinersreuth": "Heinersreuth", "kotka": "Kotka"}


def setup_paths():
    link = Path(tempfile.mkdtemp(prefix="gp-pbt-bench-"))
    (link / "gridplanner").symlink_to(ROOT, target_is_directory=True)
    sys.path.insert(0, str(link))
    sys.path.insert(1, str(ROOT / "tests"))


def figures(grids, data, household_ok, household_within):
    from gridplanner.grid_plugin.core.assess.metrics import plan_metrics

    m = plan_metrics(
        grids.drop(columns="load"), data["boundary"], data["buildings"], data["barriers"], load_field="load"
    )
    return {
        "grids": len(grids),
        "coverage_pct": m["coverage_pct"],
        "overlap_m2": m["overlap_m2"],
        "one_part": float((np.asarray([g.geom_type == "Polygon" for g in grids.geometry])).mean()),
        "cut_buildings": m["n_cut_buildings"],
        "adherence": m["boundary_adherence"],
        "household_ok": household_ok,
        "household_within": household_within,
    }


def main():
    setup_paths()
    from gridplanner.grid_plugin.core.difference.driver import partition_by_type
    from gridplanner.grid_plugin.core.partition.engine import partition
    from test_difference_real import layers

    rows = []
    for name in CASES:
        data = layers(name)
        started = time.perf_counter()
        grids = partition(data["boundary"], data["buildings"], data["barriers"], target_load=400, tolerance=0.2).grids
        seconds = time.perf_counter() - started
        within = grids["deviation_pct"].abs() <= 20 + 1e-9
        ok = float((within | grids["flag"].astype(bool)).mean())
        rows.append(
            {"case": name, "method": "partition", "seconds": seconds, **figures(grids, data, ok, float(within.mean()))}
        )
        started = time.perf_counter()
        result = partition_by_type(
            data["boundary"],
            data["buildings"],
            data["barriers"],
            landuse=data["landuse"],
            pois=data["pois"],
            water=data["water"],
        )
        seconds = time.perf_counter() - started
        grids = result.grids
        household = grids[grids["grid_type"].isin(["residential", "village"])]
        tolerance = np.where(household["grid_type"] == "village", 30.0, 20.0)
        within = household["deviation_pct"].abs() <= tolerance + 1e-9
        ok = float((within | household["flag"].astype(bool)).mean())
        row = {
            "case": name,
            "method": "partitionbytype",
            "seconds": seconds,
            **figures(grids, data, ok, float(within.mean()) if len(household) else float("nan")),
        }
        row["types"] = ", ".join(f"{k} {v}" for k, v in grids["grid_type"].value_counts().sort_index().items())
        rows.append(row)
        print(row, flush=True)
    write(rows)


def write(rows):
    lines = [
        "# partitionbytype beside partition on real cases",
        "",
        "- Command: `nice .venv/bin/python benchmarks/partitionbytype_real.py`",
        f"- Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; one run each on the shared 2-core machine"
        " (wall seconds, other jobs running).",
        "- Defaults of the shipped rule table (400 households ±20%; villages 400 ±30%); metrics from"
        " `grid_plugin.core.assess.metrics.plan_metrics`; adherence = internal edge length within 5 m of a road,"
        " river or railway; household grids = residential and village grids: share within their tolerance, and"
        " share within it or flagged with a reason.",
        "",
        "| case | method | s | grids | coverage % | overlap m² | one-part grids | cut buildings | adherence |"
        " household grids within | within or flagged | types |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        lines.append(
            f"| {LABELS[r['case']]} | {r['method']} | {r['seconds']:.1f} | {r['grids']} | {r['coverage_pct']:.3f} |"
            f" {r['overlap_m2']:.2g} | {r['one_part']:.0%} | {r['cut_buildings']:.0f} | {r['adherence']:.1%} |"
            f" {r['household_within']:.0%} | {r['household_ok']:.0%} | {r.get('types', '')} |"
        )
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "partitionbytype_real.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
