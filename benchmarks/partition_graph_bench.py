"""Graph engine benchmark: a 20k-unit planar graph into 30 parts, Grid Planner vs GerryChain.

Both get the same graph (a jittered 141 x 142 lattice, i.e. a planar unit graph, with integer loads
1..10), the same number of parts and the same tolerance (every part within ±TOL of total / 30):
- Grid Planner: ``grid_plugin.core.partition.graph.partition_graph``;
- GerryChain: ``gerrychain.tree.recursive_tree_part`` (epsilon = TOL).
Runs each three times (seeds 0, 1, 2) and reports medians and the ratio.

Run in the benchmark venv (GerryChain is never a product dependency):
    bash benchmarks/setup_bench.sh
    nice .venv-bench/bin/python benchmarks/partition_graph_bench.py
Writes benchmarks/results/partition_graph.md.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
ROWS, COLS, PARTS, TOL = 141, 142, 30, 0.1


def lattice():
    rng = np.random.default_rng(42)
    idx = np.arange(ROWS * COLS).reshape(ROWS, COLS)
    rows = np.concatenate([idx[:, :-1].ravel(), idx[:-1, :].ravel()])
    cols = np.concatenate([idx[:, 1:].ravel(), idx[1:, :].ravel()])
    n = ROWS * COLS
    adj = sp.coo_matrix((np.ones(rows.size), (rows, cols)), shape=(n, n)).tocsr()
    loads = rng.integers(1, 11, n).astype(float)
    return (adj + adj.T).tocsr(), loads, rows, cols


def check(adj, loads, labels):
    from scipy.sparse import csgraph

    mean = loads.sum() / PARTS
    part_load = np.bincount(labels, weights=loads, minlength=PARTS)
    connected = 0
    for p in range(PARTS):
        members = np.flatnonzero(labels == p)
        count, _ = csgraph.connected_components(adj[members][:, members], directed=False)
        connected += int(count == 1)
    return {
        "parts": int(labels.max() + 1),
        "max_abs_dev_pct": round(float(np.abs(part_load / mean - 1).max() * 100), 2),
        "within": float(np.mean(np.abs(part_load / mean - 1) <= TOL + 1e-9)),
        "connected": connected / PARTS,
    }


def main():
    link = Path(tempfile.mkdtemp(prefix="gp-graph-bench-"))
    (link / "gridplanner").symlink_to(ROOT, target_is_directory=True)
    sys.path.insert(0, str(link))
    from gridplanner.grid_plugin.core.partition.graph import partition_graph

    adj, loads, rows, cols = lattice()
    results = {"gridplanner": [], "gerrychain": []}
    for seed in range(3):
        started = time.perf_counter()
        labels = partition_graph(adj, loads, PARTS, tolerance=TOL, seed=seed)
        elapsed = time.perf_counter() - started
        results["gridplanner"].append({"seconds": round(elapsed, 3), **check(adj, loads, labels)})
        print("gridplanner", results["gridplanner"][-1], flush=True)
    try:
        from gerrychain import Graph
        from gerrychain.tree import recursive_tree_part

        graph = Graph()
        graph.add_nodes_from((i, {"population": float(loads[i])}) for i in range(loads.size))
        graph.add_edges_from(zip(rows.tolist(), cols.tolist(), strict=True))
        for seed in range(3):
            import random

            random.seed(seed)
            started = time.perf_counter()
            assignment = recursive_tree_part(
                graph, range(PARTS), pop_target=loads.sum() / PARTS, pop_col="population", epsilon=TOL
            )
            elapsed = time.perf_counter() - started
            labels = np.array([assignment[i] for i in range(loads.size)], dtype=np.int64)
            results["gerrychain"].append({"seconds": round(elapsed, 3), **check(adj, loads, labels)})
            print("gerrychain", results["gerrychain"][-1], flush=True)
    except ImportError as error:
        print("GerryChain not available:", error)
    write(results)


def write(results):
    RESULTS.mkdir(parents=True, exist_ok=True)
    med = {k: statistics.median(r["seconds"] for r in v) for k, v in results.items() if v}
    lines = [
        "# Graph engine: 20k units into 30 parts",
        "",
        "- Command: `bash benchmarks/setup_bench.sh && nice .venv-bench/bin/python benchmarks/partition_graph_bench.py`",
        f"- Graph: {ROWS} x {COLS} lattice ({ROWS * COLS:,} units), loads 1..10 (seed 42); {PARTS} parts;"
        f" tolerance ±{TOL:.0%} of total/{PARTS} for both tools; three runs (seeds 0..2), medians.",
        f"- Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; shared 2-core machine (other jobs running).",
        "",
        "| tool | median s | runs (s) | max abs dev % | parts within tol | connected parts |",
        "|---|---:|---|---:|---:|---:|",
    ]
    for tool, rows in results.items():
        if not rows:
            continue
        lines.append(
            f"| {tool} | {med[tool]:.2f} | {', '.join(str(r['seconds']) for r in rows)} | "
            f"{max(r['max_abs_dev_pct'] for r in rows)} | {min(r['within'] for r in rows):.0%} | "
            f"{min(r['connected'] for r in rows):.0%} |"
        )
    if "gerrychain" in med and "gridplanner" in med:
        lines += [
            "",
            f"Speed-up (GerryChain median / Grid Planner median): **{med['gerrychain'] / med['gridplanner']:.1f}×**",
        ]
    lines += ["", "```json", json.dumps(results, indent=1), "```", ""]
    (RESULTS / "partition_graph.md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
