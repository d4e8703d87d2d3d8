"""Real cases side by side: Grid Planner vs what a planner would otherwise use, same inputs and metrics.

Cases: Kotka (PyPI sample) at 400 households per grid, Heinersreuth (shared data) at 150; the
prepared GeoPackages of ``tests/helpers.prepared_sample`` (households by the shared convention).
Methods (each gives grid polygons, then the same ``plan_metrics`` of ``grid_plugin.core.assess.metrics``):

- **Grid Planner**: ``partition`` (target, ±20%, seed 0).
- **Square grid**: QGIS ``native:creategrid`` with a cell of the same mean load
  (side = sqrt(area * target / total load)), clipped to the area (``native:clip``).
- **k-means**: QGIS ``native:kmeansclustering`` on building centroids with k = Grid Planner's grid count;
  grid polygons = Voronoi cells of the buildings, clipped to the area, dissolved by cluster.
- **max-p** (PySAL spopt ``MaxPHeuristic``) and **GerryChain** ``recursive_tree_part`` on the same
  road blocks (the area polygonised with the strong and weak barrier lines, no building cells):
  max-p with threshold = target * 0.8; GerryChain with k parts, epsilon 0.2. They run only in the
  benchmark venv (``bash benchmarks/setup_bench.sh``).

Run:  nice .venv-bench/bin/python benchmarks/partition_real.py
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
    elapsed = time.perf_counter() - started
    features = list(clustered.getFeatures())
    points = np.array([shapely.Point(f.geometry().asPoint().x(), f.geometry().asPoint().y()) for f in features])
    labels = np.array([int(f["CLUSTER_ID"]) for f in features])
    inside = shapely.contains(geometry, points)
    grids = voronoi_groups(geometry, points[inside], labels[inside], area.crs)
    return grids, elapsed


def road_blocks(layers):
    """The same road blocks the block-based tools get: units without building cells."""
    import geopandas as gpd
    import shapely
    from gridplanner.grid_plugin.core.partition.units import build_units, classify_barriers

    strong, weak = classify_barriers(layers["barriers"])
    parents = np.asarray(layers["boundary"].geometry.values, dtype=object)
    points = shapely.point_on_surface(layers["buildings"].geometry.values)
    loads = layers["buildings"]["households"].to_numpy(dtype=float)
    built = build_units(parents, strong, weak, points, loads, split_load=np.inf)
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


def main():
    setup_paths()
    if "--figures" in sys.argv:
        figures(Path(sys.argv[sys.argv.index("--figures") + 1]))
        return
    app = start_qgis()  # noqa: F841 - keep the application alive
    rows = []
    for name, target in CASES:
        path, layers = load_case(name)
        grids, seconds = run_gridplanner(layers, target)
        k = len(grids)
        draw(name, grids, layers, target, RESULTS / f"partition_{name}.png")
        blocks = road_blocks(layers)
        methods = [
            ("Grid Planner", lambda *args: args, (grids, seconds)),
            ("Square grid (native:creategrid + clip)", run_square_grid, (path, layers, target)),
            ("k-means (native:kmeansclustering)", run_kmeans, (path, layers, k)),
            ("max-p (spopt) on road blocks", run_maxp, (blocks, target)),
            ("GerryChain recursive_tree_part on road blocks", run_gerrychain, (blocks, k)),
        ]
        for label, runner, arguments in methods:
            try:
                result, elapsed = runner(*arguments)
                row = {"case": name, "target": target, "method": label, "seconds": round(elapsed, 2)}
                row.update(metrics_for(result, layers, target))
            except Exception as error:  # noqa: BLE001 - a failing baseline is a result too
                row = {"case": name, "target": target, "method": label, "error": f"{type(error).__name__}: {error}"}
                traceback.print_exc()
            print(row, flush=True)
            rows.append(row)
        rows.append(
            {
                "case": name,
                "target": target,
                "method": "(road blocks)",
                "n_blocks": len(blocks),
                "share_of_load_in_blocks_above_target": round(
                    float(blocks.loc[blocks["load"] > target, "load"].sum() / max(blocks["load"].sum(), 1)), 4
                ),
            }
        )
    write(rows)


def fmt(value, kind):
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "—"
    if kind == "pct":
        return f"{value:.1%}"
    if kind == "int":
        return f"{int(value)}"
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"


def write(rows):
    RESULTS.mkdir(parents=True, exist_ok=True)
    lines = [
        "# Real cases: Grid Planner vs the tools a planner would otherwise use",
        "",
        "- Command: `bash benchmarks/setup_bench.sh && nice .venv-bench/bin/python benchmarks/partition_real.py`",
        f"- Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; one run each on the shared 2-core machine.",
        "- Metrics: `grid_plugin.core.assess.metrics.plan_metrics` on every method's grids; loads",
        "  from the buildings' households (point on surface); tolerance ±20%.",
        "",
    ]
    for name, target in CASES:
        lines += [
            f"## {name.title()} at {target:g} households per grid",
            "",
            "| method | s | grids | coverage | gap m² | overlap m² | contiguous | load CV | max abs dev % |"
            " within ±10% | within ±20% | PP mean | PP min | adherence | cut buildings |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for row in rows:
            if row["case"] != name or row["method"].startswith("("):
                continue
            if "error" in row:
                lines.append(f"| {row['method']} | failed: {row['error'][:120]} |" + " |" * 13)
                continue
            lines.append(
                f"| {row['method']} | {row['seconds']} | {fmt(row['n_grids'], 'int')} | {fmt(row['coverage_pct'], 'num')}% | "
                f"{fmt(row['gap_m2'], 'num')} | {fmt(row['overlap_m2'], 'num')} | {fmt(row['contiguous_share'], 'pct')} | "
                f"{fmt(row['load_cv'], 'num')} | {fmt(row['max_abs_deviation_pct'], 'num')} | {fmt(row['share_within_10'], 'pct')} | "
                f"{fmt(row['share_within_20'], 'pct')} | {fmt(row['polsby_popper_mean'], 'num')} | "
                f"{fmt(row['polsby_popper_min'], 'num')} | {fmt(row['boundary_adherence'], 'pct')} | "
                f"{fmt(row['cut_building_share'], 'pct')} |"
            )
        blocks = [r for r in rows if r["case"] == name and r["method"] == "(road blocks)"]
        if blocks:
            lines += [
                "",
                f"Road blocks: {blocks[0]['n_blocks']}; share of households in blocks above the target: "
                f"{blocks[0]['share_of_load_in_blocks_above_target']:.0%}.",
                "",
                f"![{name}](partition_{name}.png)",
                "",
            ]
    lines += ["```json", json.dumps(rows, indent=1, default=str), "```", ""]
    (RESULTS / "partition_real.md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
