"""Benchmark: live update of one reassignment in the editing panel on a 1,200-grid, 100k-building plan.

Builds a synthetic plan (jittered quadrilateral units tiling a rectangle, ``tests/helpers.lattice_plan``)
in a GeoPackage, opens it in real QGIS layers with the real :class:`GridEditingPanel` on a real map
canvas, and times, for a series of valid single-unit reassignments picked at random along grid edges:

* ``select``: the unit is selected on the unit layer → the panel lists the neighbouring grids with
  their loads after the move (selection handling, previews);
* ``move``: "Move" pressed → plan + contiguity checks, the two grids redrawn from their units, edit
  buffer writes (``changeGeometry``/``changeAttributeValue`` inside one edit command on both layers),
  table rows refreshed;
* ``live`` = select + move: what the planner waits for. The background validation (a QgsTask) is
  timed separately; it does not block the panel.

Baseline for the ratio: recomputing every grid's geometry and load from its units (what an editor
without per-grid bookkeeping would do after each change).

Scenarios: ``cells`` = one unit per building (100,000 units), ``blocks`` = 12,500 units of 8 buildings.

Run (once, under nice; the machine is shared):
    cd /work/main && . scripts/env.sh && nice xvfb-run -a .venv/bin/python benchmarks/editing_bench.py
Writes ``benchmarks/results/editing.md``.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT]
_LINK = Path(tempfile.mkdtemp(prefix="gridplanner-bench-"))
(_LINK / "gridplanner").symlink_to(ROOT, target_is_directory=True)
sys.path.insert(0, str(_LINK))
sys.path.insert(1, str(ROOT / "tests"))  # helpers.lattice_plan
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import shapely  # noqa: E402
from qgis.core import Qgis, QgsApplication, QgsProject, QgsVectorLayer  # noqa: E402

N_MOVES = 25
SCENARIOS = {
    # name: (nx, ny, gx, gy, buildings per unit, cell size m)
    "cells": (400, 250, 40, 30, 1, 25.0),
    "blocks": (125, 100, 40, 30, 8, 60.0),
}


def build_layers(name, nx, ny, gx, gy, per_unit, cell_m, folder: Path):
    from helpers import lattice_plan

    plan = lattice_plan(nx, ny, gx, gy, cell_m=cell_m, buildings_per_unit=per_unit, seed=7)
    path = folder / f"{name}.gpkg"
    for layer_name, frame in plan.items():
        frame.to_file(path, layer=layer_name, driver="GPKG")
    layers = {n: QgsVectorLayer(f"{path}|layername={n}", n, "ogr") for n in plan}
    QgsProject.instance().addMapLayers(list(layers.values()))
    return plan, layers


def pick_moves(model, rng, n):
    """Valid single-unit moves: a unit on a grid edge whose removal keeps its grid in one piece."""
    from gridplanner.grid_plugin.core.editing.engine import EditRefused

    moves = []
    tries = 0
    while len(moves) < n and tries < n * 50:
        tries += 1
        g = int(rng.integers(model.n_grids))
        members = model.members(g)
        unit = int(members[rng.integers(len(members))])
        targets = model.neighbour_grids([unit])
        if not len(targets):
            continue
        target = int(targets[0])
        try:
            model.plan_reassign([unit], target)
        except EditRefused:
            continue
        moves.append((unit, target))
    return moves


def run_scenario(name, spec, folder: Path):
    from gridplanner.grid_plugin.gui.editing_panel import GridEditingPanel
    from qgis.gui import QgsMapCanvas

    nx, ny, gx, gy, per_unit, cell_m = spec
    t0 = time.perf_counter()
    plan, layers = build_layers(name, nx, ny, gx, gy, per_unit, cell_m, folder)
    build_s = time.perf_counter() - t0
    canvas = QgsMapCanvas()
    canvas.resize(900, 700)
    canvas.setDestinationCrs(layers["grids"].crs())
    canvas.setLayers([layers["grids"], layers["units"]])
    canvas.setExtent(layers["grids"].extent())
    panel = GridEditingPanel(None, canvas=canvas)
    panel.configure(
        layers["grids"],
        layers["units"],
        building_layer=layers["buildings"],
        target_load=int(plan["grids"]["load"].mean()),
    )
    t0 = time.perf_counter()
    assert panel.start(), panel.status_label.text()
    start_s = time.perf_counter() - t0
    panel.wait_for_validation(600)
    initial_validation_s = panel._last_validation_s
    session = panel.session
    model = session.model
    rng = np.random.default_rng(11)
    select_s, move_s, live_s, validation_s = [], [], [], []
    units_layer = layers["units"]
    moves = []
    for _ in range(N_MOVES):
        # picked against the current state (earlier moves change which moves are valid)
        ((unit, target),) = pick_moves(model, rng, 1)
        moves.append((unit, target))
        fids = session.unit_fids_for([unit])
        t0 = time.perf_counter()
        units_layer.selectByIds(fids)
        t1 = time.perf_counter()
        assert panel.target_combo.findData(target) >= 0
        applied = panel.move_selection(target)
        t2 = time.perf_counter()
        assert applied is not None, panel.status_label.text()
        select_s.append(t1 - t0)
        move_s.append(t2 - t1)
        live_s.append(t2 - t0)
        panel.wait_for_validation(120)
        validation_s.append(panel._last_validation_s)
    # correctness spot check: the layer's loads equal the model's, which equal the units' sums
    expected = np.bincount(model.labels, weights=model.unit_loads, minlength=model.n_grids)
    assert np.allclose(model.load, expected)
    # baseline: recompute every grid from its units
    base = []
    for _ in range(3):
        t0 = time.perf_counter()
        order = np.argsort(model.labels, kind="stable")
        bounds = np.searchsorted(model.labels[order], np.arange(model.n_grids + 1))
        _geoms = [shapely.union_all(model.unit_geoms[order[bounds[g] : bounds[g + 1]]]) for g in range(model.n_grids)]
        _loads = np.bincount(model.labels, weights=model.unit_loads, minlength=model.n_grids)
        base.append(time.perf_counter() - t0)
    panel.stop()
    for layer in (layers["grids"], layers["units"]):
        layer.rollBack()
    QgsProject.instance().removeAllMapLayers()
    return {
        "name": name,
        "grids": model.n_grids,
        "units": len(model.unit_geoms),
        "buildings": len(plan["buildings"]),
        "build_s": build_s,
        "start_s": start_s,
        "initial_validation_s": initial_validation_s,
        "moves": len(moves),
        "select_med": statistics.median(select_s),
        "move_med": statistics.median(move_s),
        "live_med": statistics.median(live_s),
        "live_max": max(live_s),
        "validation_med": statistics.median(validation_s),
        "baseline_med": statistics.median(base),
    }


def main():
    app = QgsApplication([], False)
    app.initQgis()
    folder = Path(tempfile.mkdtemp(prefix="editing-bench-"))
    load_before = os.getloadavg()[0]
    scenarios = SCENARIOS
    if "--quick" in sys.argv:  # a smoke run of the script itself, not a measurement
        scenarios = {"quick": (40, 30, 8, 6, 2, 25.0)}
    results = [run_scenario(name, spec, folder) for name, spec in scenarios.items()]
    lines = [
        "# Editing panel: live update of one reassignment",
        "",
        f"Machine: {platform.node()} · {platform.processor() or platform.machine()} · {os.cpu_count()} cores "
        f"(shared with other jobs) · Python {platform.python_version()} · QGIS {Qgis.QGIS_VERSION}",
        f"Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} · load average (1 min) at start "
        f"{load_before:.1f}, at end {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
        "",
        "Command: `cd /work/main && . scripts/env.sh && nice xvfb-run -a .venv/bin/python benchmarks/editing_bench.py`",
        "",
        "Real GeoPackage layers in QGIS, the real panel on a real map canvas; each move is one unit moved to a",
        f"neighbouring grid ({N_MOVES} random valid moves per scenario). *live* = select (panel lists neighbours with",
        "their loads after the move) + move (checks, two grids redrawn, edit-buffer writes on both layers, table",
        "rows refreshed). Validation runs afterwards in a background QgsTask (does not block the panel).",
        "Baseline: recomputing all grid geometries and loads from the units after each change.",
        "",
        "| scenario | grids | units | buildings | panel start s | initial validation s | live median s | live max s | select median s | move median s | background validation median s | baseline (recompute all) s | baseline / live |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['name']} | {r['grids']:,} | {r['units']:,} | {r['buildings']:,} | {r['start_s']:.2f} | {r['initial_validation_s']:.2f} | "
            f"{r['live_med']:.4f} | {r['live_max']:.4f} | {r['select_med']:.4f} | {r['move_med']:.4f} | "
            f"{r['validation_med']:.3f} | {r['baseline_med']:.2f} | {r['baseline_med'] / r['live_med']:.0f}× |"
        )
    lines += ["", "Target: live update < 0.5 s on a 1,200-grid, 100k-building layer."]
    if "--quick" in sys.argv:
        print("\n".join(lines))
        return
    out = ROOT / "benchmarks" / "results" / "editing.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    app.exitQgis()


if __name__ == "__main__":
    main()
