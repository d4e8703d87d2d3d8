"""Scorecard verdicts (hand plans) and the Processing algorithms assess, validate, compareplans, planreport."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pytest
from gridplanner.grid_plugin.core.assess.scorecard import Thresholds, assess
from shapely.geometry import LineString, box

CRS = "EPSG:4547"


def grid_plan(loads, types=None, gap=False, split=False):
    """A row of 10×10 grids along x with the given loads (optionally a gap or a two-part grid)."""
    geoms = [box(i * 10, 0, (i + 1) * 10, 10) for i in range(len(loads))]
    if gap:
        geoms[0] = box(0, 0, 9, 10)
    if split:
        from shapely.geometry import MultiPolygon

        geoms[0] = MultiPolygon([box(0, 0, 4, 10), box(6, 0, 10, 10)])
        geoms[1] = box(10, 0, 20, 10).union(box(4, 0, 6, 10))
    data = {"load": loads, "grid_code": [f"110105001001{i + 1:03d}" for i in range(len(loads))]}
    if types is not None:
        data["grid_type"] = types
    return gpd.GeoDataFrame(data, geometry=geoms, crs=CRS), box(0, 0, 10 * len(loads), 10)


def roads_on_edges(n):
    return gpd.GeoDataFrame(geometry=[LineString([(x * 10, -5), (x * 10, 15)]) for x in range(1, n)], crs=CRS)


class TestVerdicts:
    def test_a_good_plan_passes_and_difference_is_not_assessed_without_types(self):
        grids, area = grid_plan([400, 380, 420, 410, 390])
        card = assess(grids, area, barriers=roads_on_edges(5))
        assert {p: v["verdict"] for p, v in card.verdicts.items()} == {
            "completeness": "pass",
            "convenience": "pass",
            "balance": "pass",
            "difference": "not_assessed",
            "overall": "pass",
        }

    def test_a_gap_makes_completeness_partial_or_fail(self):
        grids, area = grid_plan([400] * 5, gap=True)  # 10 m² of 500 m²: coverage 98 %
        assert assess(grids, area).verdicts["completeness"]["verdict"] == "fail"
        grids, area = grid_plan([400] * 200, gap=True)  # 10 m² of 20,000 m²: 99.95 %
        assert assess(grids, area).verdicts["completeness"]["verdict"] == "partial"

    def test_parent_crossings_fail_completeness(self):
        grids, area = grid_plan([400] * 5)
        assert assess(grids, area, n_parent_crossings=1).verdicts["completeness"]["verdict"] == "partial"

    def test_balance_thresholds(self):
        # 3 of 5 within ±20 %: 60 % < 70 % → fail; with a partial threshold of 50 % → partial
        grids, area = grid_plan([400, 400, 400, 100, 900])
        assert assess(grids, area).verdicts["balance"]["verdict"] == "fail"
        card = assess(grids, area, thresholds=Thresholds(partial_share_within=0.5))
        assert card.verdicts["balance"]["verdict"] == "partial"
        reason = card.verdicts["balance"]["reasons"][0]
        assert reason[1]["value"] == "60.0"

    def test_convenience_needs_contiguity_and_adherence(self):
        grids, area = grid_plan([400] * 5, split=True)
        card = assess(grids, area, barriers=roads_on_edges(5))
        assert card.verdicts["convenience"]["verdict"] == "fail"  # 80 % contiguous < 95 %
        grids, area = grid_plan([400] * 5)
        far_roads = gpd.GeoDataFrame(geometry=[LineString([(0, 50), (50, 50)])], crs=CRS)
        card = assess(grids, area, barriers=far_roads)
        assert card.metrics["boundary_adherence"] == pytest.approx(0.0)
        assert card.verdicts["convenience"]["verdict"] == "fail"

    def test_difference_from_grid_types(self):
        types = ["residential", "residential", "village", "farmland", "enterprise"]
        grids, area = grid_plan([400, 410, 300, 0, 0], types=types)
        card = assess(grids, area)
        assert card.verdicts["difference"]["verdict"] == "pass"
        # balance is judged on the household types only (residential, village): the enterprise grid with 0
        # households does not count against it; village tolerance is its own (±30 %)
        assert card.metrics["balance_n_grids"] == 3
        assert card.types["grid_type"].tolist() == ["residential", "village", "farmland", "enterprise"]
        # farmland holding many households breaks its rule
        grids, area = grid_plan([400, 410, 300, 350, 0], types=types)
        card = assess(grids, area)
        assert card.table["rule_ok"].tolist() == [True, True, True, False, True]
        assert card.verdicts["difference"]["verdict"] == "fail"  # 75 % of typed grids respect their rule

    def test_overall_is_the_worst(self):
        grids, area = grid_plan([400, 400, 400, 100, 900])
        card = assess(grids, area)
        assert card.verdicts["overall"]["verdict"] == "fail"

    def test_scorecard_rows(self):
        grids, area = grid_plan([400, 380])
        rows = assess(grids, area).as_rows("zh")
        labels = [label for _, label, _, _ in rows]
        assert "覆盖率" in labels and "户数变异系数" in labels


# --------------------------------------------------------------------------------------------------
# Processing
# --------------------------------------------------------------------------------------------------
@pytest.fixture
def plan_files(tmp_path):
    """A plan with a planted gap and a cut building, its area, buildings and roads, as GeoPackage layers."""
    geoms = [box(x, y, x + 100, y + 100) for y in (0, 100) for x in (0, 100, 200)]
    geoms[0] = box(0, 0, 95, 100)
    grids = gpd.GeoDataFrame(
        {
            "grid_id": range(1, 7),
            "grid_code": [f"110105001001{i:03d}" for i in (1, 2, 3, 4, 5, 5)],
            "load": [400, 380, 430, 300, 410, 400],
        },
        geometry=geoms,
        crs=CRS,
    )
    buildings = gpd.GeoDataFrame(
        {"households": [10, 20, 30]},
        geometry=[box(10, 10, 30, 30), box(190, 40, 210, 60), box(250, 150, 260, 160)],
        crs=CRS,
    )
    roads = gpd.GeoDataFrame(
        {"highway": ["primary"] * 3},
        geometry=[
            LineString([(100, -10), (100, 210)]),
            LineString([(200, -10), (200, 210)]),
            LineString([(-10, 100), (310, 100)]),
        ],
        crs=CRS,
    )
    path = tmp_path / "plan.gpkg"
    grids.to_file(path, layer="grids")
    gpd.GeoDataFrame(geometry=[box(0, 0, 300, 200)], crs=CRS).to_file(path, layer="area")
    buildings.to_file(path, layer="buildings")
    roads.to_file(path, layer="roads")
    old = grids.copy()
    old.loc[1, "geometry"] = box(100, 0, 170, 100)
    old.loc[2, "geometry"] = box(170, 0, 300, 100)
    old.to_file(path, layer="old")
    return {k: f"{path}|layername={k}" for k in ("grids", "area", "buildings", "roads", "old")}


def test_processing_assess(gridplanner_provider, plan_files, tmp_path):
    from qgis.core import QgsVectorLayer

    import processing

    result = processing.run(
        "gridplanner:assess",
        {
            "GRIDS": plan_files["grids"],
            "AREA": plan_files["area"],
            "BUILDINGS": plan_files["buildings"],
            "BARRIERS": plan_files["roads"],
            "TARGET_LOAD": 400,
            "OUTPUT": str(tmp_path / "assessed.gpkg"),
            "SCORECARD": str(tmp_path / "scorecard.gpkg"),
        },
    )
    assert result["N_GRIDS"] == 6
    assert result["GAP_M2"] == pytest.approx(500.0)
    assert result["COVERAGE_PCT"] == pytest.approx(100 * (60000 - 500) / 60000)
    assert result["CUT_BUILDING_SHARE"] == pytest.approx(1 / 3)
    assert result["SHARE_WITHIN_20"] == pytest.approx(5 / 6)
    assert result["VERDICT_DIFFERENCE"] == "not_assessed"
    assert result["VERDICT_COMPLETENESS"] == "fail"
    # x=100 and x=200 edges and y=100 edge are on roads; the x=95 side of the gap is not internal
    assert result["BOUNDARY_ADHERENCE"] == pytest.approx(1.0, abs=1e-3)
    layer = QgsVectorLayer(result["OUTPUT"], "out", "ogr")
    assert layer.featureCount() == 6
    fields = layer.fields()
    assert fields.lookupField("deviation_pct") >= 0 and fields.lookupField("polsby_popper") >= 0
    deviations = sorted(round(f["deviation_pct"], 3) for f in layer.getFeatures())
    assert deviations == sorted(round((v - 400) / 4, 3) for v in [400, 380, 430, 300, 410, 400])
    table = QgsVectorLayer(result["SCORECARD"], "card", "ogr")
    names = [f["metric"] for f in table.getFeatures()]
    assert "coverage_pct" in names and "verdict_overall" in names


def test_every_output_field_has_a_chinese_alias(gridplanner_provider):
    from gridplanner.grid_plugin import qgis_io
    from gridplanner.grid_plugin.core.assess.compare import compare_plans
    from gridplanner.grid_plugin.core.assess.validate import validate_plan
    from gridplanner.processing.assess import FIELD_ALIASES, scorecard_rows

    grids, area = grid_plan([400, 380, 300], types=["residential"] * 3)
    grids["grid_id"] = [1, 2, 3]
    card = assess(grids, area, buildings=gpd.GeoDataFrame(geometry=[box(1, 1, 2, 2)], crs=CRS))
    problems = validate_plan(grids, area).problems.drop(columns=["template", "params"])
    comparison = compare_plans(grids, grids)
    for frame in (card.table, scorecard_rows(card), problems, comparison.changes, comparison.moves):
        fields = qgis_io.fields_for_frame(frame, aliases=FIELD_ALIASES)
        for i in range(fields.count()):
            assert fields.at(i).alias(), f"no Chinese alias for {fields.at(i).name()}"


def test_processing_validate(gridplanner_provider, plan_files, tmp_path):
    from qgis.core import QgsVectorLayer

    import processing

    result = processing.run(
        "gridplanner:validate",
        {
            "GRIDS": plan_files["grids"],
            "AREA": plan_files["area"],
            "BUILDINGS": plan_files["buildings"],
            "OUTPUT": str(tmp_path / "problems.gpkg"),
        },
    )
    layer = QgsVectorLayer(result["OUTPUT"], "problems", "ogr")
    kinds = sorted(f["kind"] for f in layer.getFeatures())
    # the gap, the cut building, the duplicate code, grid 4 at 300 households (−25 %)
    assert kinds == ["cut_building", "duplicate_code", "gap", "load_out_of_tolerance"]
    assert result["N_ERRORS"] == 3 and result["N_WARNINGS"] == 1
    gap = next(f for f in layer.getFeatures() if f["kind"] == "gap")
    assert gap.geometry().area() == pytest.approx(500.0)
    assert gap["kind_zh"] == "缝隙（未覆盖）"


def test_processing_validate_messages_follow_the_language_parameter(gridplanner_provider, plan_files, tmp_path):
    """LANGUAGE=1: the problem messages are Chinese whatever the QGIS locale (headless runs too)."""
    import re

    from qgis.core import QgsVectorLayer

    import processing

    messages = {}
    for language in (1, 2):
        result = processing.run(
            "gridplanner:validate",
            {
                "GRIDS": plan_files["grids"],
                "AREA": plan_files["area"],
                "BUILDINGS": plan_files["buildings"],
                "LANGUAGE": language,
                "OUTPUT": str(tmp_path / f"problems_{language}.gpkg"),
            },
        )
        layer = QgsVectorLayer(result["OUTPUT"], "problems", "ogr")
        messages[language] = {f["kind"]: f["message"] for f in layer.getFeatures()}
    assert re.search(r"[\u4e00-\u9fff]", messages[1]["gap"]) and "平方米" in messages[1]["gap"]
    assert not re.search(r"[\u4e00-\u9fff]", messages[2]["gap"]) and "covered by no grid" in messages[2]["gap"]


def test_processing_compareplans(gridplanner_provider, plan_files, tmp_path):
    from qgis.core import QgsVectorLayer

    import processing

    result = processing.run(
        "gridplanner:compareplans",
        {
            "OLD": plan_files["old"],
            "NEW": plan_files["grids"],
            "BUILDINGS": plan_files["buildings"],
            "OUTPUT": str(tmp_path / "changes.gpkg"),
            "MOVES": str(tmp_path / "moves.gpkg"),
        },
    )
    # grids 2 and 3 moved their shared edge from x=170 to x=200 (IoU 0.7 and 0.77); the others are the same
    assert result["N_KEPT"] == 4
    assert result["N_CHANGED"] == 2
    assert result["N_NEW"] == 0 and result["N_RETIRED"] == 0
    # the building at x 190..210 was in old grid 3 (170..300); in the new plan it is cut half and half
    # between grids 2 and 3 and goes to the lower one, grid 2: 20 households move from 3 to 2
    assert result["HOUSEHOLDS_MOVED"] == 20
    changes = QgsVectorLayer(result["OUTPUT"], "c", "ogr")
    assert changes.featureCount() == 6
    statuses = sorted(f["status"] for f in changes.getFeatures())
    assert statuses == ["changed"] * 2 + ["kept"] * 4
    moves = QgsVectorLayer(result["MOVES"], "m", "ogr")
    rows = [(f["from_grid_id"], f["to_grid_id"], f["households"]) for f in moves.getFeatures()]
    assert rows == [("3", "2", 20.0)]


def test_processing_planreport(gridplanner_provider, plan_files, tmp_path):
    import processing

    result = processing.run(
        "gridplanner:planreport",
        {
            "GRIDS": plan_files["grids"],
            "AREA": plan_files["area"],
            "BUILDINGS": plan_files["buildings"],
            "BARRIERS": plan_files["roads"],
            "OLD_PLAN": plan_files["old"],
            "LANGUAGE": 0,
            "OUTPUT_HTML": str(tmp_path / "report.html"),
            "WRITE_PDF": False,
        },
    )
    text = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "网格规划方案评估报告" in text
    assert text.count("data:image/png;base64,") == 5  # 4 charts + the change map
    assert "编码重复" in text and "方案对比" in text
    assert result["OUTPUT_PDF"] == ""


def test_processing_geographic_grids_are_measured_in_a_gauss_kruger_zone(gridplanner_provider, tmp_path):
    import processing

    metric = gpd.GeoDataFrame(
        {"load": [400, 400]},
        geometry=[box(500000, 2500000, 500100, 2500100), box(500100, 2500000, 500200, 2500100)],
        crs="EPSG:4547",
    )
    path = tmp_path / "geo.gpkg"
    metric.to_crs("EPSG:4490").to_file(path, layer="grids")
    result = processing.run(
        "gridplanner:assess", {"GRIDS": f"{path}|layername=grids", "OUTPUT": "memory:", "SCORECARD": "memory:"}
    )
    assert result["N_GRIDS"] == 2
    assert result["POLSBY_POPPER_MEAN"] == pytest.approx(math.pi / 4, rel=1e-3)
    assert np.isnan(result["BOUNDARY_ADHERENCE"]) if result["BOUNDARY_ADHERENCE"] is not None else True


def test_processing_validate_clean_plan_writes_an_empty_layer(gridplanner_provider, tmp_path):
    from qgis.core import QgsVectorLayer, QgsWkbTypes

    import processing

    grids, area = grid_plan([400, 380, 420])
    path = tmp_path / "clean.gpkg"
    grids.to_file(path, layer="grids")
    gpd.GeoDataFrame(geometry=[area], crs=CRS).to_file(path, layer="area")
    result = processing.run(
        "gridplanner:validate",
        {"GRIDS": f"{path}|layername=grids", "AREA": f"{path}|layername=area", "OUTPUT": str(tmp_path / "p.gpkg")},
    )
    layer = QgsVectorLayer(result["OUTPUT"], "p", "ogr")
    assert layer.isValid() and layer.featureCount() == 0
    assert QgsWkbTypes.geometryType(layer.wkbType()) == QgsWkbTypes.PolygonGeometry
    assert result["N_PROBLEMS"] == 0


def test_processing_assess_replaces_stale_metric_columns(gridplanner_provider, tmp_path):
    from qgis.core import QgsVectorLayer

    import processing

    grids, _area = grid_plan([400, 500])
    grids["deviation_pct"] = [99.0, 99.0]  # written earlier for another target
    grids["name"] = ["a", "b"]
    path = tmp_path / "stale.gpkg"
    grids.to_file(path, layer="grids")
    result = processing.run(
        "gridplanner:assess",
        {
            "GRIDS": f"{path}|layername=grids",
            "TARGET_LOAD": 500,
            "OUTPUT": str(tmp_path / "o.gpkg"),
            "SCORECARD": "memory:",
        },
    )
    layer = QgsVectorLayer(result["OUTPUT"], "o", "ogr")
    rows = sorted((f["name"], f["deviation_pct"]) for f in layer.getFeatures())
    assert rows == [("a", -20.0), ("b", 0.0)]
    names = layer.fields().names()
    assert names.count("deviation_pct") == 1 and "grid_code" in names


@pytest.mark.parametrize(
    ("qml", "field", "values"),
    [
        ("validation_problems.qml", "kind", None),
        ("plan_changes.qml", "status", ["kept", "changed", "new", "retired"]),
    ],
)
def test_styles_load_and_cover_every_category(qgis_app, qml, field, values):
    from pathlib import Path

    from gridplanner.grid_plugin.core.assess.validate import PROBLEM_KINDS
    from qgis.core import QgsVectorLayer

    values = values or [k.code for k in PROBLEM_KINDS]
    layer = QgsVectorLayer(f"MultiPolygon?crs=EPSG:4547&field={field}:string", "x", "memory")
    style = Path(__file__).resolve().parent.parent / "styles" / qml
    message, ok = layer.loadNamedStyle(str(style))
    assert ok, message
    renderer = layer.renderer()
    assert renderer.type() == "categorizedSymbol" and renderer.classAttribute() == field
    assert sorted(c.value() for c in renderer.categories()) == sorted(values)


def test_deviation_style_loads(qgis_app):
    from pathlib import Path

    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer("MultiPolygon?crs=EPSG:4547&field=deviation_pct:double", "x", "memory")
    message, ok = layer.loadNamedStyle(str(Path(__file__).resolve().parent.parent / "styles" / "assess_deviation.qml"))
    assert ok, message
    assert layer.renderer().type() == "graduatedSymbol"
    assert layer.renderer().classAttribute() == "deviation_pct"
