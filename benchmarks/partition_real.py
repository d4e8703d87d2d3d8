"""Real cases side by side: Grid Planner vs what a planner would otherwise use, same inputs and metrics.

Cases: Kotka (PyPI sample) at 400 households per grid, Heinersreuth (shared data) at 150; the
prepared GeoPackages of ``tests/helpers.prepared_sample`` (households by the shared convention).
Methods (each gives grid polygons, then the same ``plan_metrics`` of ``grid_plugin.core.assess.metrics``):

- **Grid Planner**: ``partition`` (target, ±20%, seed 0).
- **Square grid**: QGIS ``native:creategrid`` with a cell of the same mean load
  (side = sqrt(area * target / total load)), clipped to the area (``native:clip``).
- **k-means**: QGIS ``native:kmeansclustering`` on building centroids with k = Grid Planner's grid count;
  grid polygons = Voronoi cells of the buildings, clipped to the area, dissolved by cluster.
- **max-p** (PySAL spopt ``MaxPHeuristic``) and **GerryChain** ``recursive_tree_part``, each twice:
  on **Grid Planner's own units** (the road blocks with heavy blocks split into building cells, exactly
  as the engine's first pass builds them: ``build_units`` at 0.6 × target), so every tool partitions the
  same atoms; and, labelled, on **road blocks only** (no building cells), the input block-based tools
  usually get. max-p with threshold = target * 0.8; GerryChain with k parts, epsilon 0.2. They run only
  in the benchmark venv (``bash benchmarks/setup_bench.sh``); max-p runs in a child process with a time
  limit (``--maxp-timeout``, default 600 s) and is reported as not finished when it hits it.

Timing scope, the same for every method: from the prepared layers in memory to grid polygons (reading
the GeoPackage and computing the metrics are outside). A method on units includes the time to build
them. Each method runs ``--repeats`` times (default 5; max-p once) and min / median / max are reported.

Run:  nice .venv-bench/bin/python benchmarks/partition_real.py [--repeats 5] [--maxp-timeout 600]
Maps only (the figures of docs/partition.md):  .venv/bin/python benchmarks/partition_real.py --figures docs
Writes benchmarks/results/partition_real.md (and PNG maps under benchmarks/results/).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
CASES = [("kotka", 400.0), ("heinersreuth", 150.0)]
TOLERANCE = 0.2


def setup_paths():
    link = Path(tempfile.mkdtemp(prefix="gp-real-bench-"))
    (link / "gridplanner").symlink_to(ROOT, target_is_directory=True)
    sys.path.insert(0, str(link))
    sys.path.insert(1, str(ROOT / "tests"))


def start_qgis():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    sys.path.append("/usr/share/qgis/python/plugins")
    from processing.core.Processing import Processing

    Processing.initialize()
    return app


def load_case(name):
    import geopandas as gpd
    from helpers import prepared_sample

    path = prepared_sample(name)
    layers = {n: gpd.read_file(path, layer=n) for n in ("boundary", "buildings", "roads", "waterways", "railways")}
    layers["barriers"] = gpd.GeoDataFrame(
        gpd.pd.concat([layers["roads"], layers["waterways"], layers["railways"]], ignore_index=True),
        geometry="geometry",
        crs=layers["boundary"].crs,
    )
    return path, layers


def run_gridplanner(layers, target):
    from gridplanner.grid_plugin.core.partition.engine import partition

    started = time.perf_counter()
    result = partition(
        layers["boundary"],
        layers["buildings"],
        [layers["roads"], layers["waterways"], layers["railways"]],
        target_load=target,
        tolerance=TOLERANCE,
        seed=0,
    )
    return result.grids, time.perf_counter() - started


def run_square_grid(path, layers, target):
    import geopandas as gpd
    import shapely

    import processing

    area = layers["boundary"]
    geometry = shapely.union_all(area.geometry.values)
    points = shapely.point_on_surface(layers["buildings"].geometry.values)
    total = float(layers["buildings"]["households"].to_numpy()[shapely.contains(geometry, points)].sum())
    side = float(np.sqrt(geometry.area * target / total))
    xmin, ymin, xmax, ymax = geometry.bounds
    started = time.perf_counter()
    grid = processing.run(
        "native:creategrid",
        {
            "TYPE": 2,
            "EXTENT": f"{xmin},{xmax},{ymin},{ymax} [{area.crs.to_string()}]",
            "HSPACING": side,
            "VSPACING": side,
            "CRS": area.crs.to_string(),
            "OUTPUT": "memory:",
        },
    )["OUTPUT"]
    clipped = processing.run(
        "native:clip", {"INPUT": grid, "OVERLAY": f"{path}|layername=boundary", "OUTPUT": "memory:"}
    )["OUTPUT"]
    elapsed = time.perf_counter() - started
    geoms = [shapely.from_wkb(bytes(f.geometry().asWkb())) for f in clipped.getFeatures()]
    frame = gpd.GeoDataFrame(geometry=geoms, crs=area.crs)
    frame = frame[frame.area > 0.01].reset_index(drop=True)
    return frame, elapsed


def voronoi_groups(area_geometry, points, labels, crs):
    """Grid polygons from building labels: Voronoi cells of the points, clipped, dissolved by label."""
    import geopandas as gpd
    import shapely

    coords = shapely.get_coordinates(points)
    unique, first = np.unique(coords.round(3), axis=0, return_index=True)
    # no ``ordered=True``: under QGIS, shapely runs on the system GEOS 3.11, which lacks it
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(unique), extend_to=area_geometry))
    point_cell = shapely.STRtree(cells).query(shapely.points(unique), predicate="intersects")
    order = np.argsort(point_cell[0], kind="stable")
    first_hit = np.unique(point_cell[0][order], return_index=True)[1]
    cell_of_point = point_cell[1][order][first_hit]
    cell_label = np.full(cells.size, -1)
    cell_label[cell_of_point] = labels[first]
    cells = shapely.intersection(cells, area_geometry)
    frame = gpd.GeoDataFrame({"cluster": cell_label}, geometry=cells, crs=crs)
    return frame.dissolve("cluster").reset_index()


def run_kmeans(path, layers, k):
    import shapely

    import processing

    area = layers["boundary"]
    geometry = shapely.union_all(area.geometry.values)
    started = time.perf_counter()
    centroids = processing.run(
        "native:centroids", {"INPUT": f"{path}|layername=buildings", "ALL_PARTS": False, "OUTPUT": "memory:"}
    )["OUTPUT"]
    clustered = processing.run(
        "native:kmeansclustering",
        {"INPUT": centroids, "CLUSTERS": int(k), "FIELD_NAME": "CLUSTER_ID", "OUTPUT": "memory:"},
    )["OUTPUT"]
    features = list(clustered.getFeatures())
    points = np.array([shapely.Point(f.geometry().asPoint().x(), f.geometry().asPoint().y()) for f in features])
    labels = np.array([int(f["CLUSTER_ID"]) for f in features])
    inside = shapely.contains(geometry, points)
    grids = voronoi_groups(geometry, points[inside], labels[inside], area.crs)
    return grids, time.perf_counter() - started


def road_blocks(layers, split_load=np.inf):
    """Units of the area: road blocks only (``split_load`` inf) or Grid Planner's units (heavy blocks split)."""
    import geopandas as gpd
    import shapely
    from gridplanner.grid_plugin.core.partition.units import build_units, classify_barriers

    strong, weak = classify_barriers(layers["barriers"])
    parents = np.asarray(layers["boundary"].geometry.values, dtype=object)
    points = shapely.point_on_surface(layers["buildings"].geometry.values)
    loads = layers["buildings"]["households"].to_numpy(dtype=float)
    built = build_units(parents, strong, weak, points, loads, split_load)
    unit_load = np.bincount(
        built["point_unit"][built["point_unit"] >= 0],
        weights=loads[built["point_unit"] >= 0],
        minlength=built["units"].size,
    )
    return gpd.GeoDataFrame({"load": unit_load}, geometry=built["units"], crs=layers["boundary"].crs)


def run_maxp(blocks, target):
    import libpysal
    from spopt.region import MaxPHeuristic

    frame = blocks.copy()
    centroid = frame.geometry.representative_point()
    frame["x"], frame["y"] = centroid.x, centroid.y
    weights = libpysal.weights.Rook.from_dataframe(frame, use_index=False, silence_warnings=True)
    started = time.perf_counter()
    model = MaxPHeuristic(frame, weights, ["x", "y"], "load", target * (1 - TOLERANCE), top_n=2)
    model.solve()
    elapsed = time.perf_counter() - started
    frame["region"] = model.labels_
    return frame.dissolve("region").reset_index(), elapsed


def run_gerrychain(blocks, k):
    import random

    import shapely
    from gerrychain import Graph
    from gerrychain.tree import recursive_tree_part

    random.seed(0)
    tree = shapely.STRtree(blocks.geometry.values)
    left, right = tree.query(blocks.geometry.values, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    shared = shapely.length(
        shapely.intersection(
            shapely.boundary(blocks.geometry.values[left]), shapely.boundary(blocks.geometry.values[right])
        )
    )
    graph = Graph()
    graph.add_nodes_from((i, {"population": float(v)}) for i, v in enumerate(blocks["load"]))
    graph.add_edges_from(zip(left[shared > 0.5].tolist(), right[shared > 0.5].tolist(), strict=True))
    started = time.perf_counter()
    assignment = recursive_tree_part(
        graph, range(int(k)), pop_target=float(blocks["load"].sum()) / k, pop_col="population", epsilon=TOLERANCE
    )
    elapsed = time.perf_counter() - started
    frame = blocks.copy()
    frame["part"] = [assignment[i] for i in range(len(frame))]
    return frame.dissolve("part").reset_index(), elapsed


def metrics_for(grids, layers, target):
    from gridplanner.grid_plugin.core.assess.metrics import PLAN_METRIC_KEYS, plan_metrics

    frame = grids.drop(columns=[c for c in ("load",) if c in grids.columns and grids is not None])
    values = plan_metrics(
        frame,
        layers["boundary"],
        layers["buildings"],
        layers["barriers"],
        load_field="load",
        target_load=target,
        tolerance=TOLERANCE,
    )
    return {k: (float(values[k]) if values.get(k) is not None else None) for k in PLAN_METRIC_KEYS}


def draw(name, grids, layers, target, out):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import BoundaryNorm, ListedColormap

    colors = ["#2c7bb6", "#abd9e9", "#f7f7f7", "#fdae61", "#d7191c"]
    cmap = ListedColormap(colors)
    norm = BoundaryNorm([-1000, -20.0001, -10, 10.0001, 20.0001, 1000], cmap.N)  # ±20% itself is within
    fig, ax = plt.subplots(figsize=(9, 8), dpi=130)
    grids.plot(ax=ax, column="deviation_pct", cmap=cmap, norm=norm, edgecolor="#333333", linewidth=0.8, alpha=0.8)
    layers["roads"].plot(ax=ax, color="#777777", linewidth=0.4)
    layers["buildings"].plot(ax=ax, color="#555555", linewidth=0)
    for _, row in grids.iterrows():
        point = row.geometry.representative_point()
        ax.annotate(row["grid_code"][-3:], (point.x, point.y), ha="center", va="center", fontsize=7)
    ax.set_axis_off()
    ax.set_title(f"{name.title()}: {len(grids)} grids at {target:g} households (±20%), colour = deviation from target")
    ax.annotate("© OpenStreetMap contributors", (0.99, 0.01), xycoords="axes fraction", ha="right", fontsize=7)
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in colors]
    ax.legend(handles, ["< -20%", "-20…-10%", "±10%", "+10…+20%", "> +20%"], loc="upper left", fontsize=7)
    fig.tight_layout()
    fig.savefig(out)
    plt.close(fig)


def figures(folder: Path):
    """Only draw Grid Planner's grids of both cases (no QGIS, no baselines)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, target in CASES:
        _, layers = load_case(name)
        grids, _ = run_gridplanner(layers, target)
        draw(name, grids, layers, target, folder / f"partition_{name}.png")
        print(folder / f"partition_{name}.png")


def timed(runner, arguments, repeats):
    """Run ``runner`` ``repeats`` times; (last result, [seconds of every run])."""
    seconds, result = [], None
    for _ in range(repeats):
        result, elapsed = runner(*arguments)
        seconds.append(elapsed)
    return result, seconds


def on_units(peer, units_of, layers, target, *peer_args):
    """A peer method on units built inside the timed scope: (grids, units seconds + partition seconds)."""

    def run(*_):
        started = time.perf_counter()
        units = units_of(layers, target)
        build_s = time.perf_counter() - started
        grids, partition_s = peer(units, *peer_args)
        return grids, build_s + partition_s

    return run


def gridplanner_units(layers, target):
    from gridplanner.grid_plugin.core.partition.engine import SPLIT_SHARES

    return road_blocks(layers, split_load=target * SPLIT_SHARES[0])


def only_road_blocks(layers, target):
    return road_blocks(layers)


def run_maxp_limited(units, target, timeout_s):
    """max-p in a child process, stopped after ``timeout_s`` (spopt has no time limit of its own)."""
    import multiprocessing
    from queue import Empty

    context = multiprocessing.get_context("fork")
    queue = context.Queue()

    def work():
        try:
            grids, elapsed = run_maxp(units, target)
            queue.put((grids, elapsed, None))
        except Exception as error:  # noqa: BLE001 - reported as the method's result
            queue.put((None, None, f"{type(error).__name__}: {error}"))

    child = context.Process(target=work)
    child.start()
    try:
        # read before joining: a child that put a large result waits until it is read
        grids, elapsed, error = queue.get(timeout=timeout_s)
    except Empty:
        child.terminate()
        child.join()
        raise TimeoutError(f"did not finish within {timeout_s:.0f} s (stopped)") from None
    child.join()
    if error:
        raise RuntimeError(error)
    return grids, elapsed


def main():
    setup_paths()
    if "--figures" in sys.argv:
        figures(Path(sys.argv[sys.argv.index("--figures") + 1]))
        return
    repeats = int(sys.argv[sys.argv.index("--repeats") + 1]) if "--repeats" in sys.argv else 5
    maxp_timeout = float(sys.argv[sys.argv.index("--maxp-timeout") + 1]) if "--maxp-timeout" in sys.argv else 600.0
    app = start_qgis()  # noqa: F841 - keep the application alive
    rows = []
    for name, target in CASES:
        path, layers = load_case(name)
        grids, gp_seconds = timed(run_gridplanner, (layers, target), repeats)
        k = len(grids)
        draw(name, grids, layers, target, RESULTS / f"partition_{name}.png")
        units = gridplanner_units(layers, target)
        blocks = only_road_blocks(layers, target)
        methods = [
            ("Grid Planner", None, (grids, gp_seconds), 1),
            ("Square grid (native:creategrid + clip)", run_square_grid, (path, layers, target), repeats),
            ("k-means (native:kmeansclustering) + Voronoi", run_kmeans, (path, layers, k), repeats),
            (
                "max-p (spopt) on Grid Planner's units",
                on_units(run_maxp_limited, gridplanner_units, layers, target, target, maxp_timeout),
                (),
                1,
            ),
            (
                "GerryChain recursive_tree_part on Grid Planner's units",
                on_units(run_gerrychain, gridplanner_units, layers, target, k),
                (),
                repeats,
            ),
            (
                "max-p (spopt) on road blocks only",
                on_units(run_maxp_limited, only_road_blocks, layers, target, target, maxp_timeout),
                (),
                1,
            ),
            (
                "GerryChain recursive_tree_part on road blocks only",
                on_units(run_gerrychain, only_road_blocks, layers, target, k),
                (),
                repeats,
            ),
        ]
        for label, runner, arguments, n_runs in methods:
            try:
                if runner is None:
                    result, seconds = arguments
                else:
                    result, seconds = timed(runner, arguments, n_runs)
                row = {
                    "case": name,
                    "target": target,
                    "method": label,
                    "runs": len(seconds),
                    "s_min": round(min(seconds), 2),
                    "s_median": round(float(np.median(seconds)), 2),
                    "s_max": round(max(seconds), 2),
                }
                row.update(metrics_for(result, layers, target))
            except Exception as error:  # noqa: BLE001 - a failing baseline is a result too
                row = {"case": name, "target": target, "method": label, "error": f"{type(error).__name__}: {error}"}
                traceback.print_exc()
            print(row, flush=True)
            rows.append(row)
        for label, frame in (("(Grid Planner's units)", units), ("(road blocks)", blocks)):
            rows.append(
                {
                    "case": name,
                    "target": target,
                    "method": label,
                    "n_blocks": len(frame),
                    "share_of_load_in_blocks_above_target": round(
                        float(frame.loc[frame["load"] > target, "load"].sum() / max(frame["load"].sum(), 1)), 4
                    ),
                }
            )
    write(rows, repeats)


def fmt(value, kind):
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "—"
    if kind == "pct":
        return f"{value:.1%}"
    if kind == "int":
        return f"{int(value)}"
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"


def write(rows, repeats):
    RESULTS.mkdir(parents=True, exist_ok=True)
    lines = [
        "# Real cases: Grid Planner vs the tools a planner would otherwise use",
        "",
        "- Command: `bash benchmarks/setup_bench.sh && nice .venv-bench/bin/python benchmarks/partition_real.py"
        f" --repeats {repeats}`",
        f"- Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; shared 2-core machine, load average "
        f"{os.getloadavg()[0]:.1f} at the end (wall times include waiting for a core).",
        "- Timing scope, the same for every method: prepared layers in memory → grid polygons (a method on",
        "  units includes building them). s = min / median / max over the runs (max-p: one run, time-limited).",
        "- Metrics: `grid_plugin.core.assess.metrics.plan_metrics` on every method's grids; loads",
        "  from the buildings' households (point on surface); tolerance ±20%.",
        "",
    ]
    for name, target in CASES:
        lines += [
            f"## {name.title()} at {target:g} households per grid",
            "",
            "| method | s (min / median / max) | runs | grids | coverage | gap m² | overlap m² | contiguous | load CV | max abs dev % |"
            " within ±10% | within ±20% | PP mean | PP min | adherence | cut buildings |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for row in rows:
            if row["case"] != name or row["method"].startswith("("):
                continue
            if "error" in row:
                lines.append(f"| {row['method']} | failed: {row['error'][:120]} |" + " |" * 14)
                continue
            lines.append(
                f"| {row['method']} | {row['s_min']} / {row['s_median']} / {row['s_max']} | {row['runs']} | "
                f"{fmt(row['n_grids'], 'int')} | {fmt(row['coverage_pct'], 'num')}% | "
                f"{fmt(row['gap_m2'], 'num')} | {fmt(row['overlap_m2'], 'num')} | {fmt(row['contiguous_share'], 'pct')} | "
                f"{fmt(row['load_cv'], 'num')} | {fmt(row['max_abs_deviation_pct'], 'num')} | {fmt(row['share_within_10'], 'pct')} | "
                f"{fmt(row['share_within_20'], 'pct')} | {fmt(row['polsby_popper_mean'], 'num')} | "
                f"{fmt(row['polsby_popper_min'], 'num')} | {fmt(row['boundary_adherence'], 'pct')} | "
                f"{fmt(row['cut_building_share'], 'pct')} |"
            )
        blocks = [r for r in rows if r["case"] == name and r["method"] == "(road blocks)"]
        units = [r for r in rows if r["case"] == name and r["method"] == "(Grid Planner's units)"]
        if blocks and units:
            lines += [
                "",
                f"Grid Planner's units: {units[0]['n_blocks']}; share of households in units above the target: "
                f"{units[0]['share_of_load_in_blocks_above_target']:.0%}. Road blocks only: {blocks[0]['n_blocks']}; "
                f"share above the target: {blocks[0]['share_of_load_in_blocks_above_target']:.0%}.",
                "",
                f"![{name}](partition_{name}.png)",
                "",
            ]
    lines += ["```json", json.dumps(rows, indent=1, default=str), "```", ""]
    (RESULTS / "partition_real.md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
