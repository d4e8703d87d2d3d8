"""Nothing lost, nothing hidden: every bad-input case of issue 19 replayed through Processing.

Each case asserts that the run ends either with a clear message (a QgsProcessingException that names
the problem, never a Python traceback or the "unexpected error" safety net) or with a correct result
and a warning; that the input files are byte-identical afterwards; and that the cases that once hung
(loads of 10¹² households) now end at once because they are refused before any work. A few cases go
through ``qgis_process`` too. Inputs are a small synthetic plan and the prepared Kotka sample.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from helpers import lattice_plan, prepared_sample, run_qgis_process

# --------------------------------------------------------------------------------------------------
# inputs and helpers
# --------------------------------------------------------------------------------------------------
CRS = "EPSG:4547"


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def layer_contents(path: Path) -> dict[str, str]:
    """A digest of every layer's features (attributes and geometry) in a GeoPackage, by layer name."""
    import pyogrio

    digests = {}
    for name, _kind in pyogrio.list_layers(path):
        frame = pyogrio.read_dataframe(path, layer=name, fid_as_index=True)
        digest = hashlib.sha256(pd.DataFrame(frame.drop(columns="geometry", errors="ignore")).to_json().encode())
        if "geometry" in frame.columns:
            for wkb in shapely.to_wkb(frame.geometry.values):
                digest.update(wkb or b"")
        digests[name] = digest.hexdigest()
    return digests


def uri(path: Path, layer: str) -> str:
    return f"{path}|layername={layer}"


class Log:
    """A QgsProcessingFeedback that keeps the warnings."""

    def __new__(cls):
        from qgis.core import QgsProcessingFeedback

        class _Feedback(QgsProcessingFeedback):
            def __init__(self):
                super().__init__()
                self.warnings: list[str] = []

            def pushWarning(self, text):  # noqa: N802
                self.warnings.append(text)
                super().pushWarning(text)

        return _Feedback()


def run(algorithm: str, parameters: dict, feedback=None) -> dict:
    import processing

    return processing.run(f"gridplanner:{algorithm}", parameters, feedback=feedback)


def refused(algorithm: str, parameters: dict, *words: str) -> str:
    """Run and expect a clear QgsProcessingException whose message holds every one of ``words``."""
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException) as caught:
        run(algorithm, parameters)
    message = str(caught.value)
    assert "Unexpected error" not in message, message
    assert "Traceback" not in message, message
    for word in words:
        assert word.lower() in message.lower(), f"{word!r} not in: {message}"
    return message


@pytest.fixture(scope="module")
def plan_source(tmp_path_factory):
    """A small synthetic plan: area, grids, buildings and the broken variants of each, in one GeoPackage."""
    parts = lattice_plan(nx=8, ny=6, gx=2, gy=2, cell_m=60.0, seed=3)
    grids, buildings = parts["grids"], parts["buildings"]
    buildings = buildings.assign(households=buildings["households"].astype(float) + 1.0)
    path = tmp_path_factory.mktemp("plan") / "plan.gpkg"
    area = gpd.GeoDataFrame({"name": ["area"]}, geometry=[shapely.union_all(grids.geometry.values)], crs=CRS)
    area.to_file(path, layer="area")
    grids.to_file(path, layer="grids")
    buildings.to_file(path, layer="buildings")
    gpd.GeoDataFrame(grids.drop(columns="geometry"), geometry=grids.centroid, crs=CRS).to_file(
        path, layer="grid_points"
    )
    with_nulls = grids.copy()
    with_nulls.loc[[1, 3], "geometry"] = None
    with_nulls.to_file(path, layer="grids_nullgeom")
    building_nulls = buildings.copy()
    building_nulls.loc[::5, "geometry"] = None
    building_nulls.to_file(path, layer="buildings_nullgeom")
    text = buildings.assign(households=buildings["households"].map(lambda v: f"{v:g}"))
    text.loc[[2, 7], "households"] = ["many", "12 households"]
    text.to_file(path, layer="buildings_text")
    negative = buildings.copy()
    negative.loc[[0, 4], "households"] = -5
    negative.to_file(path, layer="buildings_negative")
    buildings.assign(households=np.nan).to_file(path, layer="buildings_allnull")
    huge = buildings.copy()
    huge.loc[::10, "households"] = 1e12
    huge.to_file(path, layer="buildings_huge")
    return path, {"grids": grids, "buildings": buildings, "with_nulls": with_nulls, "building_nulls": building_nulls}


@pytest.fixture
def plan(plan_source, tmp_path):
    """A fresh copy of the synthetic plan per test, with its hash to compare afterwards."""
    source, frames = plan_source
    path = tmp_path / "plan.gpkg"
    shutil.copy(source, path)
    return path, frames


@pytest.fixture
def kotka(tmp_path):
    """A copy of the prepared Kotka sample (boundary, 1,933 buildings with households, roads, …)."""
    path = tmp_path / "kotka.gpkg"
    shutil.copy(prepared_sample("kotka"), path)
    return path


# --------------------------------------------------------------------------------------------------
# 1. never destroy an input
# --------------------------------------------------------------------------------------------------
def test_partition_output_onto_its_input_geopackage_is_refused(gridplanner_provider, kotka):
    before = sha256(kotka)
    message = refused(
        "partition",
        {
            "AREA": uri(kotka, "boundary"),
            "BUILDINGS": uri(kotka, "buildings"),
            "BARRIERS": [uri(kotka, "roads")],
            "OUTPUT": str(kotka),
        },
        "kotka.gpkg",
        "replace the whole file",
    )
    assert "new layer" in message
    assert sha256(kotka) == before


def test_partition_into_a_new_layer_of_its_input_keeps_every_other_layer(gridplanner_provider, kotka):
    import pyogrio

    before = layer_contents(kotka)
    result = run(
        "partition",
        {
            "AREA": uri(kotka, "boundary"),
            "BUILDINGS": uri(kotka, "buildings"),
            "BARRIERS": [uri(kotka, "roads"), uri(kotka, "waterways")],
            "TARGET_LOAD": 400,
            "OUTPUT": f"ogr:dbname='{kotka}' table=\"grids\" (geom)",
        },
    )
    after = layer_contents(kotka)
    assert {name: after[name] for name in before} == before  # every input layer, feature for feature
    assert "grids" in after and "grids" in result["OUTPUT"]
    grids = pyogrio.read_dataframe(kotka, layer="grids")
    assert len(grids) == result["GRID_COUNT"] >= 5
    households = pyogrio.read_dataframe(kotka, layer="buildings", columns=["households"])["households"].sum()
    assert grids["load"].sum() == pytest.approx(households - 0, rel=0.02)


def test_layer_name_option_adds_a_layer_instead_of_replacing_the_file(gridplanner_provider, plan):
    from qgis.core import QgsProcessingOutputLayerDefinition

    path, _frames = plan
    before = layer_contents(path)
    output = QgsProcessingOutputLayerDefinition(str(path))
    output.createOptions = {"layerName": "coded"}
    run("assigncodes", {"INPUT": uri(path, "grids"), "OUTPUT": output})
    after = layer_contents(path)
    assert {name: after[name] for name in before} == before
    assert "coded" in after


def test_output_layer_named_like_an_input_layer_is_refused(gridplanner_provider, plan):
    path, _frames = plan
    before = sha256(path)
    refused(
        "assigncodes",
        {"INPUT": uri(path, "grids"), "OUTPUT": f"ogr:dbname='{path}' table=\"grids\" (geom)"},
        "replace the layer grids",
    )
    assert sha256(path) == before


@pytest.mark.parametrize(
    ("algorithm", "make"),
    [
        (
            "partitionbytype",
            lambda p: {"AREA": uri(p, "area"), "BUILDINGS": uri(p, "buildings"), "OUTPUT": str(p)},
        ),
        ("estimatehouseholds", lambda p: {"INPUT": uri(p, "buildings"), "OUTPUT": str(p)}),
        (
            "compareplans",
            lambda p: {"OLD": uri(p, "grids"), "NEW": uri(p, "grids_nullgeom"), "OUTPUT": str(p), "MOVES": "memory:"},
        ),
        ("exportmap", lambda p: {"GRIDS": uri(p, "grids"), "OUTPUT_PDF": str(p)}),
        ("planreport", lambda p: {"GRIDS": uri(p, "grids"), "OUTPUT_HTML": str(p), "WRITE_PDF": False}),
        (
            "regrid",
            lambda p: {
                "PLAN": uri(p, "grids"),
                "BUILDINGS": uri(p, "buildings"),
                "OUTPUT": str(p),
                "CHANGES": "memory:",
            },
        ),
        ("validate", lambda p: {"GRIDS": uri(p, "grids"), "OUTPUT": str(p)}),
        ("incidentheatmap", lambda p: {"INPUT": uri(p, "grid_points"), "OUTPUT": str(p)}),
        ("assess", lambda p: {"GRIDS": uri(p, "grids"), "OUTPUT": str(p), "SCORECARD": "memory:"}),
        ("multilevel", lambda p: {"GRIDS": uri(p, "grids"), "OUTPUT": str(p), "UPPER": "memory:"}),
        ("assigncodes", lambda p: {"INPUT": uri(p, "grids"), "OUTPUT": str(p)}),
        ("classify", lambda p: {"INPUT": uri(p, "grids"), "OUTPUT": str(p)}),
        (
            "incidentstats",
            lambda p: {
                "GRIDS": uri(p, "grids"),
                "INCIDENTS": uri(p, "grid_points"),
                "OUTPUT": "memory:",
                "CHART": str(p),
            },
        ),
        (
            "importroll",
            lambda p: {"INPUT": uri(p, "buildings"), "ROLL_LAYER": uri(p, "grid_points"), "OUTPUT": str(p)},
        ),
        ("exportregister", lambda p: {"GRIDS": uri(p, "grids"), "OUTPUT_XLSX": str(p)}),
    ],
)
def test_every_algorithm_refuses_to_overwrite_its_input(gridplanner_provider, plan, algorithm, make):
    path, _frames = plan
    before = sha256(path)
    refused(algorithm, make(path), str(path.name))
    assert sha256(path) == before


def test_prepareosm_refuses_to_overwrite_its_osm_file(gridplanner_provider, tmp_path):
    osm = tmp_path / "area.osm"
    osm.write_text('<?xml version="1.0"?><osm version="0.6"></osm>', encoding="utf-8")
    before = sha256(osm)
    refused("prepareosm", {"INPUT": str(osm), "OUTPUT": str(osm)}, "area.osm", "replace the whole file")
    assert sha256(osm) == before


def test_the_file_an_algorithm_derives_is_guarded_too(gridplanner_provider, plan, tmp_path):
    """planreport prints its PDF beside the HTML: that PDF may not be an input either."""
    path, _frames = plan
    pdf_twin = tmp_path / "report.pdf"
    shutil.copy(path, pdf_twin)
    before = sha256(pdf_twin)
    refused(
        "planreport",
        {"GRIDS": uri(pdf_twin, "grids"), "OUTPUT_HTML": str(tmp_path / "report.html"), "WRITE_PDF": True},
        "report.pdf",
    )
    assert sha256(pdf_twin) == before


def test_a_failed_run_leaves_the_previous_output_intact(gridplanner_provider, plan, tmp_path):
    path, _frames = plan
    output = tmp_path / "coded.gpkg"
    run("assigncodes", {"INPUT": uri(path, "grids"), "OUTPUT": str(output)})
    before = sha256(output)
    refused("assigncodes", {"INPUT": uri(path, "grids"), "CODE_FIELD": "fid", "OUTPUT": str(output)}, "fid")
    assert sha256(output) == before
    assert not [p for p in tmp_path.iterdir() if "_part_" in p.name]  # no temporary left behind


def test_a_cancelled_run_leaves_the_previous_output_intact(gridplanner_provider, plan, tmp_path):
    from qgis.core import QgsProcessingException, QgsProcessingFeedback

    path, _frames = plan
    output = tmp_path / "coded.gpkg"
    run("assigncodes", {"INPUT": uri(path, "grids"), "OUTPUT": str(output)})
    before = sha256(output)
    feedback = QgsProcessingFeedback()
    feedback.cancel()
    with pytest.raises(QgsProcessingException):
        run("assigncodes", {"INPUT": uri(path, "grids"), "OUTPUT": str(output)}, feedback=feedback)
    assert sha256(output) == before
    assert not [p for p in tmp_path.iterdir() if "_part_" in p.name]


def test_a_successful_run_replaces_its_own_previous_output(gridplanner_provider, plan, tmp_path):
    path, _frames = plan
    output = tmp_path / "coded.shp"
    first = run("assigncodes", {"INPUT": uri(path, "grids"), "COUNTY": "110101", "OUTPUT": str(output)})
    second = run("assigncodes", {"INPUT": uri(path, "grids"), "COUNTY": "110102", "OUTPUT": str(output)})
    assert first["OUTPUT"] == second["OUTPUT"] == str(output)
    codes = gpd.read_file(output)["grid_code"]
    assert codes.str.startswith("110102").all()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert {"coded.shp", "coded.dbf", "coded.shx"} <= set(names), names
    assert not [name for name in names if "_part_" in name], names  # no temporary file left


# --------------------------------------------------------------------------------------------------
# 2. bad inputs: a clear message, never a traceback
# --------------------------------------------------------------------------------------------------
def test_negative_households_in_partition(gridplanner_provider, plan):
    path, _frames = plan
    before = sha256(path)
    refused(
        "partition",
        {"AREA": uri(path, "area"), "BUILDINGS": uri(path, "buildings_negative"), "OUTPUT": "memory:"},
        "2 features",
        "negative households",
        "-5",
    )
    assert sha256(path) == before


def test_point_layer_as_partitionbytype_area(gridplanner_provider, plan):
    path, _frames = plan
    refused(
        "partitionbytype",
        {"AREA": uri(path, "grid_points"), "BUILDINGS": uri(path, "buildings"), "OUTPUT": "memory:"},
        "holds points",
        "needs polygons",
    )


@pytest.mark.parametrize(
    ("algorithm", "key", "extra"),
    [
        ("assigncodes", "INPUT", {}),
        ("multilevel", "GRIDS", {"GROUP_SIZES": "2", "UPPER": "memory:"}),
        ("compareplans", "NEW", {"OLD": "grids", "MOVES": "memory:"}),
        ("planreport", "GRIDS", {"WRITE_PDF": False}),
        ("estimatehouseholds", "INPUT", {}),
    ],
)
def test_point_layer_is_not_a_polygon_layer(gridplanner_provider, plan, tmp_path, algorithm, key, extra):
    path, _frames = plan
    parameters = {key: uri(path, "grid_points"), "OUTPUT": "memory:"}
    parameters.update({k: uri(path, v) if v == "grids" else v for k, v in extra.items()})
    if algorithm == "planreport":  # its messages follow the report's language, Chinese by default
        parameters.update({"OUTPUT_HTML": str(tmp_path / "report.html"), "LANGUAGE": 1})
    refused(algorithm, parameters, "holds points", "needs polygons")


def test_rule_table_in_gbk_is_read(gridplanner_provider, tmp_path):
    from gridplanner.grid_plugin.core.difference.rules import DEFAULT_RULES_PATH, load_rules

    text = DEFAULT_RULES_PATH.read_text(encoding="utf-8-sig")
    gbk = tmp_path / "rules_gbk.csv"
    gbk.write_bytes(text.encode("gbk"))
    assert "网格".encode("gbk") in gbk.read_bytes() or not any("\u4e00" <= c <= "\u9fff" for c in text)
    assert [r.grid_type for r in load_rules(gbk).rules] == [r.grid_type for r in load_rules().rules]


def test_rule_table_that_is_not_a_csv(gridplanner_provider, plan, tmp_path):
    path, _frames = plan
    workbook = tmp_path / "rules.csv"
    workbook.write_bytes(b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)) * 4)
    refused(
        "partitionbytype",
        {"AREA": uri(path, "area"), "BUILDINGS": uri(path, "buildings"), "RULES": str(workbook), "OUTPUT": "memory:"},
        "rules.csv",
        "Excel workbook",
    )


def test_mapping_table_in_gbk_is_read(tmp_path):
    from gridplanner.grid_plugin.core.classify.mapping_table import ClassMapping

    table = tmp_path / "mapping.csv"
    table.write_bytes("key,value,grid_type,name_zh\nlanduse,农田,farmland,耕地\n".encode("gbk"))
    assert ClassMapping.from_csv(table).lookup("农田", key="landuse").grid_type == "farmland"


@pytest.mark.parametrize(
    ("algorithm", "key", "extra"),
    [
        ("assigncodes", "INPUT", {}),
        ("multilevel", "GRIDS", {"GROUP_SIZES": "2", "UPPER": "memory:"}),
    ],
)
def test_null_geometries_are_left_out_with_a_warning(gridplanner_provider, plan, algorithm, key, extra):
    path, frames = plan
    feedback = Log()
    parameters = {key: uri(path, "grids_nullgeom"), "OUTPUT": "memory:", **extra}
    result = run(algorithm, parameters, feedback=feedback)
    output = result["OUTPUT"]
    assert output.featureCount() == int(frames["with_nulls"].geometry.notna().sum()) == 2
    assert any("2 features" in w and "no geometry" in w for w in feedback.warnings), feedback.warnings


def test_invalid_code_pattern_in_validate(gridplanner_provider, plan):
    path, _frames = plan
    refused(
        "validate",
        {"GRIDS": uri(path, "grids"), "CODE_PATTERN": "^([0-9]{15}$", "OUTPUT": "memory:"},
        "^([0-9]{15}$",
        "regular expression",
    )


@pytest.fixture
def unwritable_folder(tmp_path):
    """A folder that exists but cannot be written (for root, whom permissions do not stop: /sys)."""
    import os

    if os.geteuid() == 0:
        yield Path("/sys")
        return
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    yield folder
    folder.chmod(0o755)


def test_report_into_a_folder_without_write_permission(gridplanner_provider, plan, unwritable_folder):
    path, _frames = plan
    refused(
        "planreport",
        {
            "GRIDS": uri(path, "grids"),
            "OUTPUT_HTML": str(unwritable_folder / "report.html"),
            "WRITE_PDF": False,
            "LANGUAGE": 1,
        },
        str(unwritable_folder),
        "not writable",
    )


def test_prepareosm_into_a_folder_without_write_permission(gridplanner_provider, unwritable_folder):
    from helpers import kotka_pbf

    refused(
        "prepareosm",
        {"INPUT": str(kotka_pbf()), "OUTPUT": str(unwritable_folder / "kotka.gpkg")},
        str(unwritable_folder),
        "not writable",
    )


def test_output_under_a_file_is_refused(gridplanner_provider, plan, tmp_path):
    path, _frames = plan
    (tmp_path / "afile").write_text("x")
    refused(
        "planreport",
        {
            "GRIDS": uri(path, "grids"),
            "OUTPUT_HTML": str(tmp_path / "afile" / "report.html"),
            "WRITE_PDF": False,
            "LANGUAGE": 1,
        },
        "could not be created",
    )


def _incidents_csv(tmp_path, frames) -> Path:
    rng = np.random.default_rng(5)
    bounds = shapely.union_all(frames["grids"].geometry.values).bounds
    n = 300
    table = pd.DataFrame(
        {
            "x": rng.uniform(bounds[0], bounds[2], n),
            "y": rng.uniform(bounds[1], bounds[3], n),
            "date": pd.date_range("2024-01-01", periods=n, freq="D").strftime("%Y-%m-%d"),
            "kind": rng.choice(["fire", "noise"], n),
        }
    )
    path = tmp_path / "incidents.csv"
    table.to_csv(path, index=False)
    return path


def test_heatmap_from_a_csv_with_open_options_into_a_new_folder(gridplanner_provider, plan, tmp_path):
    """A CSV opened through OGR open options (coordinates from columns) and an output folder that does not exist."""
    from qgis.core import QgsCoordinateReferenceSystem, QgsVectorLayer

    path, frames = plan
    csv_path = _incidents_csv(tmp_path, frames)
    before = sha256(csv_path)
    layer = QgsVectorLayer(
        f"{csv_path}|option:X_POSSIBLE_NAMES=x|option:Y_POSSIBLE_NAMES=y|option:KEEP_GEOM_COLUMNS=NO",
        "incidents",
        "ogr",
    )
    assert layer.isValid() and layer.featureCount() == 300
    layer.setCrs(QgsCoordinateReferenceSystem(CRS))
    output = tmp_path / "new" / "folder" / "heat.tif"
    result = run("incidentheatmap", {"INPUT": layer, "BANDWIDTH": 100, "OUTPUT": str(output)})
    assert output.exists() and result["N_USED"] == 300
    assert result["INTEGRAL"] == pytest.approx(300, rel=0.3)
    assert sha256(csv_path) == before


def test_incident_chart_into_a_new_folder(gridplanner_provider, plan, tmp_path):
    from qgis.core import QgsCoordinateReferenceSystem, QgsVectorLayer

    path, frames = plan
    csv_path = _incidents_csv(tmp_path, frames)
    layer = QgsVectorLayer(f"{csv_path}|option:X_POSSIBLE_NAMES=x|option:Y_POSSIBLE_NAMES=y", "incidents", "ogr")
    layer.setCrs(QgsCoordinateReferenceSystem(CRS))
    chart = tmp_path / "charts" / "by_month.png"
    result = run(
        "incidentstats",
        {
            "GRIDS": uri(path, "grids"),
            "INCIDENTS": layer,
            "DATE_FIELD": "date",
            "OUTPUT": "memory:",
            "CHART": str(chart),
        },
    )
    assert chart.exists() and chart.stat().st_size > 1000
    assert result["N_IN_GRIDS"] + result["N_OUTSIDE_GRIDS"] == 300


# --------------------------------------------------------------------------------------------------
# 3. no hang: loads of 10¹² are refused before any work
# --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("algorithm", "parameters"),
    [
        ("partition", {"AREA": "area", "BUILDINGS": "buildings_huge", "OUTPUT": "memory:"}),
        ("partitionbytype", {"AREA": "area", "BUILDINGS": "buildings_huge", "OUTPUT": "memory:"}),
        ("regrid", {"PLAN": "grids", "BUILDINGS": "buildings_huge", "OUTPUT": "memory:", "CHANGES": "memory:"}),
    ],
)
def test_huge_households_are_refused_not_hung(gridplanner_provider, plan, algorithm, parameters):
    path, _frames = plan
    parameters = {k: uri(path, v) if k in ("AREA", "BUILDINGS", "PLAN") else v for k, v in parameters.items()}
    refused(algorithm, parameters, "above 1,000,000", "1e+12")


def test_a_target_that_would_make_millions_of_grids_is_refused(gridplanner_provider, plan):
    path, _frames = plan
    refused(
        "partition",
        {"AREA": uri(path, "area"), "BUILDINGS": uri(path, "buildings"), "N_GRIDS": 5_000_000, "OUTPUT": "memory:"},
        "at most 1,000,000",
    )


def test_allocate_parts_has_no_loop_over_the_parts():
    """10⁹ parts among 10¹² loads: one vectorised step (this would take hours one part at a time)."""
    from gridplanner.grid_plugin.core.errors import InputError
    from gridplanner.grid_plugin.core.partition.graph import allocate_parts

    loads = np.array([1e12] * 10 + [1.0])
    counts = allocate_parts(loads, 10**9)
    assert counts.sum() == 10**9 and counts[-1] == 1 and counts[:10].min() >= 99_999_999
    assert allocate_parts(np.array([100.0, 300.0]), 4).tolist() == [1, 3]
    with pytest.raises(InputError, match="not a finite number"):
        allocate_parts(np.array([1.0, np.nan, 2.0]), 5)


# --------------------------------------------------------------------------------------------------
# 4. no silent wrong result
# --------------------------------------------------------------------------------------------------
def test_partition_counts_buildings_without_geometry(gridplanner_provider, plan):
    path, frames = plan
    feedback = Log()
    result = run(
        "partition",
        {
            "AREA": uri(path, "area"),
            "BUILDINGS": uri(path, "buildings_nullgeom"),
            "TARGET_LOAD": 60,
            "OUTPUT": "memory:",
        },
        feedback=feedback,
    )
    missing = frames["building_nulls"].geometry.isna()
    assert any(f"{int(missing.sum())} features" in w and "no geometry" in w for w in feedback.warnings)
    loads = [f["load"] for f in result["OUTPUT"].getFeatures()]
    assert sum(loads) == pytest.approx(frames["building_nulls"].loc[~missing, "households"].sum())


@pytest.mark.parametrize(
    ("layer", "words"),
    [
        ("buildings_text", ("2 values", "households", "many")),
        ("buildings_negative", ("negative households", "-5")),
        ("buildings_allnull", ("households", "no values")),
    ],
)
def test_partitionbytype_checks_households(gridplanner_provider, plan, layer, words):
    path, _frames = plan
    refused("partitionbytype", {"AREA": uri(path, "area"), "BUILDINGS": uri(path, layer), "OUTPUT": "memory:"}, *words)


@pytest.mark.parametrize(
    ("algorithm", "parameters"),
    [
        ("assess", {"GRIDS": "grids", "BUILDINGS": "buildings_text", "OUTPUT": "memory:", "SCORECARD": "memory:"}),
        ("regrid", {"PLAN": "grids", "BUILDINGS": "buildings_text", "OUTPUT": "memory:", "CHANGES": "memory:"}),
        ("partition", {"AREA": "area", "BUILDINGS": "buildings_text", "OUTPUT": "memory:"}),
    ],
)
def test_text_households_are_an_error_not_zero(gridplanner_provider, plan, algorithm, parameters):
    path, _frames = plan
    parameters = {k: uri(path, v) if k in ("AREA", "BUILDINGS", "PLAN", "GRIDS") else v for k, v in parameters.items()}
    refused(algorithm, parameters, "not numbers", "many")


def test_estimatehouseholds_repairs_a_self_intersecting_footprint(gridplanner_provider, tmp_path):
    bow_tie = shapely.Polygon([(0, 0), (40, 40), (40, 0), (0, 40), (0, 0)])
    square = shapely.box(100, 0, 130, 30)
    frame = gpd.GeoDataFrame({"building": ["apartments", "apartments"]}, geometry=[bow_tie, square], crs=CRS)
    path = tmp_path / "footprints.gpkg"
    frame.to_file(path, layer="buildings")
    before = sha256(path)
    feedback = Log()
    output = tmp_path / "with_households.gpkg"
    run("estimatehouseholds", {"INPUT": uri(path, "buildings"), "OUTPUT": str(output)}, feedback=feedback)
    written = gpd.read_file(output, layer="with_households")
    assert set(written.geom_type) == {"MultiPolygon"}  # the repaired bow tie fits the declared type
    households = written["households"].tolist()
    assert households[0] > 0 and households[1] > 0
    assert any("Repaired 1 invalid polygons" in w for w in feedback.warnings), feedback.warnings
    assert sha256(path) == before


def test_assigncodes_refuses_fid_as_code_field(gridplanner_provider, plan):
    path, _frames = plan
    refused("assigncodes", {"INPUT": uri(path, "grids"), "CODE_FIELD": "fid", "OUTPUT": "memory:"}, "fid", "feature id")


def test_exportmap_says_which_grids_have_no_geometry(gridplanner_provider, plan, tmp_path):
    path, frames = plan
    feedback = Log()
    result = run(
        "exportmap",
        {
            "GRIDS": uri(path, "grids_nullgeom"),
            "TABLE": False,
            "DPI": 50,
            "PAPER": 0,
            "OUTPUT_PDF": str(tmp_path / "map.pdf"),
            "ATLAS_PDF": str(tmp_path / "atlas.pdf"),
        },
        feedback=feedback,
    )
    with_geometry = int(frames["with_nulls"].geometry.notna().sum())
    assert result["ATLAS_PAGES"] == with_geometry
    assert any("2 features" in w and "left out of the map" in w for w in feedback.warnings), feedback.warnings


# --------------------------------------------------------------------------------------------------
# the same through qgis_process
# --------------------------------------------------------------------------------------------------
@pytest.mark.qgis_process
def test_qgis_process_refuses_to_overwrite_the_input(kotka):
    before = sha256(kotka)
    result = run_qgis_process(
        "run",
        "gridplanner:partition",
        "--",
        f"AREA={kotka}|layername=boundary",
        f"BUILDINGS={kotka}|layername=buildings",
        f"OUTPUT={kotka}",
        timeout=300,
    )
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "replace the whole file" in output and "Traceback" not in output
    assert sha256(kotka) == before


@pytest.mark.qgis_process
def test_qgis_process_bad_inputs_end_with_a_sentence(plan_source, tmp_path):
    source, _frames = plan_source
    path = tmp_path / "plan.gpkg"
    shutil.copy(source, path)
    before = sha256(path)
    cases = [
        (
            [
                "gridplanner:partition",
                "--",
                f"AREA={path}|layername=area",
                f"BUILDINGS={path}|layername=buildings_huge",
                f"OUTPUT={tmp_path / 'grids.gpkg'}",
            ],
            "above 1,000,000",
        ),
        (
            [
                "gridplanner:validate",
                "--",
                f"GRIDS={path}|layername=grids",
                "CODE_PATTERN=([0-9",
                f"OUTPUT={tmp_path / 'problems.gpkg'}",
            ],
            "regular expression",
        ),
        (
            ["gridplanner:assigncodes", "--", f"INPUT={path}|layername=grid_points", f"OUTPUT={tmp_path / 'x.gpkg'}"],
            "holds points",
        ),
    ]
    for arguments, words in cases:
        result = run_qgis_process("run", *arguments, timeout=300)
        output = result.stdout + result.stderr
        assert result.returncode != 0, output[-2000:]
        assert words in output and "Traceback" not in output, output[-2000:]
    assert sha256(path) == before


# --------------------------------------------------------------------------------------------------
# the checks themselves
# --------------------------------------------------------------------------------------------------
def test_input_checks_examples_run():
    import doctest
    import importlib

    module = importlib.import_module("gridplanner.grid_plugin.core.inputs")
    result = doctest.testmod(module)
    assert result.attempted >= 10 and result.failed == 0


def test_messages_translate_their_terms(gridplanner_provider):
    """Words inside a message (points, polygons, an Excel workbook) are translated with it."""
    from gridplanner.grid_plugin.core.errors import InputError
    from gridplanner.grid_plugin.core.inputs import check_geometry_kind
    from gridplanner.grid_plugin.i18n import install_translator, remove_translators, tr_message

    with pytest.raises(InputError) as caught:
        check_geometry_kind({"point"}, {"polygon"}, "区域")
    assert install_translator("zh_CN")
    try:
        text = tr_message(caught.value.template, caught.value.params)
    finally:
        remove_translators()
    assert text == "图层 区域 存放的是点，此处需要面。请选择其他图层。"
    from gridplanner.grid_plugin.i18n import message_in

    assert message_in(caught.value.template, caught.value.params, "zh") == text  # the LANGUAGE parameter's way


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_one_csv_reader_for_every_encoding(tmp_path, encoding):
    from gridplanner.grid_plugin.core.inputs import read_csv_records

    path = tmp_path / "table.csv"
    path.write_bytes(" 类型 ,value\n村庄, 12 \n".encode(encoding))
    columns, rows = read_csv_records(path)
    assert columns == ["类型", "value"] and rows == [{"类型": "村庄", "value": "12"}]


def test_a_staged_output_is_loaded_from_its_final_file(gridplanner_provider, plan, tmp_path):
    """In the desktop the output layer is added to the project: from the final file, not the temporary one."""
    from qgis.core import QgsProject

    import processing

    path, _frames = plan
    output = tmp_path / "coded.gpkg"
    project = QgsProject.instance()
    before = set(project.mapLayers())
    try:
        result = processing.runAndLoadResults(
            "gridplanner:assigncodes", {"INPUT": uri(path, "grids"), "OUTPUT": str(output)}
        )
        added = [project.mapLayer(i) for i in set(project.mapLayers()) - before]
        assert str(output) in result["OUTPUT"] and "_part_" not in result["OUTPUT"]
        assert added and all("_part_" not in layer.source() for layer in added)
        assert any(layer.source().startswith(str(output)) and layer.featureCount() == 4 for layer in added)
    finally:
        project.removeMapLayers(list(set(project.mapLayers()) - before))
