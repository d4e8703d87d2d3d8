"""gridplanner:partition and gridplanner:assigncodes through QGIS Processing, on files and real data."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from gridplanner.grid_plugin.core.assess.metrics import plan_metrics
from gridplanner.grid_plugin.core.synthetic import synthetic_town
from helpers import ROOT, prepared_sample

STYLE = ROOT / "styles" / "grids_deviation.qml"


@pytest.fixture(scope="module")
def town_gpkg(tmp_path_factory):
    """A synthetic town (2 communities) in a GeoPackage, with a `shops` field and a few null households."""
    town = synthetic_town(2500, seed=11, n_parents=2)
    path = tmp_path_factory.mktemp("town") / "town.gpkg"
    buildings = town["buildings"].copy()
    buildings["shops"] = (buildings["building_type"] == "commercial").astype(int)
    buildings["households"] = buildings["households"].astype(float)
    buildings.loc[:2, "households"] = np.nan
    town["area"].to_file(path, layer="area")
    buildings.to_file(path, layer="buildings")
    town["roads"].to_file(path, layer="roads")
    town["waterways"].to_crs(4490).to_file(path, layer="waterways_4490")
    town["area"].to_crs(4490).to_file(path, layer="area_4490")
    return path, town, buildings


def layer(path, name):
    return f"{path}|layername={name}"


def run_partition(path, **extra):
    import processing

    parameters = {
        "AREA": layer(path, "area"),
        "PARENT_FIELD": "code",
        "BUILDINGS": layer(path, "buildings"),
        "LOAD": "households",
        "BARRIERS": [layer(path, "roads"), layer(path, "waterways_4490")],
        "TARGET_LOAD": 400,
        "COUNTY": "440307",
        "TOWNSHIP": "005",
        "OUTPUT": "memory:",
    }
    parameters.update(extra)
    return processing.run("gridplanner:partition", parameters)


def test_partition_writes_balanced_coded_grids(gridplanner_provider, town_gpkg):
    path, town, buildings = town_gpkg
    result = run_partition(path, UNITS="memory:")
    grids_layer = result["OUTPUT"]
    assert grids_layer.featureCount() == result["GRID_COUNT"] > 5
    fields = grids_layer.fields()
    names = [f.name() for f in fields]
    assert names[:3] == ["grid_id", "grid_code", "parent_code"]
    # the shipped style (applied when QGIS loads the output) gives the Chinese aliases and the renderer
    message, ok = grids_layer.loadNamedStyle(str(STYLE))
    assert ok, message
    assert grids_layer.fields().field("load").alias() == "户数"
    assert grids_layer.fields().field("deviation_pct").alias() == "偏差(%)"
    assert grids_layer.renderer().classAttribute() == "deviation_pct"
    assert grids_layer.labeling().settings().fieldName == "grid_code"
    codes = [f["grid_code"] for f in grids_layer.getFeatures()]
    assert all(code.startswith("440307005") and len(code) == 15 for code in codes)
    assert len(set(codes)) == len(codes)
    loads = np.array([f["load"] for f in grids_layer.getFeatures()])
    assert loads.sum() == pytest.approx(np.nansum(buildings["households"]))
    assert result["UNITS"].featureCount() > grids_layer.featureCount()
    assert result["OUTSIDE_BUILDINGS"] == 0


def test_partition_meets_the_principles_on_a_town(gridplanner_provider, town_gpkg, tmp_path):
    path, town, buildings = town_gpkg
    out = tmp_path / "grids.gpkg"
    run_partition(path, OUTPUT=str(out))
    grids = gpd.read_file(out, layer=out.stem)
    metrics = plan_metrics(
        grids,
        town["area"],
        buildings,
        town["roads"],
        load_field="load",
        target_load=400,
    )
    assert metrics["coverage_pct"] == pytest.approx(100.0, abs=1e-6)
    assert metrics["gap_m2"] < 1.0 and metrics["overlap_m2"] < 1.0
    assert metrics["contiguous_share"] == 1.0
    assert metrics["cut_building_share"] == 0.0
    assert metrics["share_within_20"] >= 0.9
    assert metrics["boundary_adherence"] >= 0.85


def test_load_expression(gridplanner_provider, town_gpkg):
    path, town, buildings = town_gpkg
    result = run_partition(path, LOAD="coalesce(households, 0) + 3 * shops")
    loads = np.array([f["load"] for f in result["OUTPUT"].getFeatures()])
    expected = np.nansum(buildings["households"]) + 3 * buildings["shops"].sum()
    assert loads.sum() == pytest.approx(expected)


def test_same_seed_same_codes(gridplanner_provider, town_gpkg):
    path, _, _ = town_gpkg
    first = run_partition(path, SEED=3)["OUTPUT"]
    second = run_partition(path, SEED=3)["OUTPUT"]
    a = {f["grid_code"]: f.geometry().asWkt(3) for f in first.getFeatures()}
    b = {f["grid_code"]: f.geometry().asWkt(3) for f in second.getFeatures()}
    assert a == b


def test_geographic_area_is_refused(gridplanner_provider, town_gpkg):
    from qgis.core import QgsProcessingException

    path, _, _ = town_gpkg
    with pytest.raises(QgsProcessingException, match="geographic CRS"):
        run_partition(path, AREA=layer(path, "area_4490"))


def test_bad_expression_is_explained(gridplanner_provider, town_gpkg):
    from qgis.core import QgsProcessingException

    path, _, _ = town_gpkg
    with pytest.raises(QgsProcessingException, match="load expression"):
        run_partition(path, LOAD="households + (")


def test_cancelled_run_writes_nothing(gridplanner_provider, town_gpkg, tmp_path):
    from qgis.core import QgsProcessingException, QgsProcessingFeedback

    import processing

    path, _, _ = town_gpkg
    feedback = QgsProcessingFeedback()
    feedback.cancel()
    out = tmp_path / "never.gpkg"
    with pytest.raises(QgsProcessingException):
        processing.run(
            "gridplanner:partition",
            {
                "AREA": layer(path, "area"),
                "BUILDINGS": layer(path, "buildings"),
                "BARRIERS": [layer(path, "roads")],
                "OUTPUT": str(out),
            },
            feedback=feedback,
        )
    assert not out.exists()


def test_assigncodes(gridplanner_provider, town_gpkg):
    import processing

    path, _, _ = town_gpkg
    grids = run_partition(path)["OUTPUT"]
    # the parent field holds partition's 12-digit parent codes: recoding gives the same codes
    coded = processing.run(
        "gridplanner:assigncodes", {"INPUT": grids, "PARENT_FIELD": "parent_code", "OUTPUT": "memory:"}
    )["OUTPUT"]
    codes = {f["grid_id"]: f["grid_code"] for f in coded.getFeatures()}
    original = {f["grid_id"]: f["grid_code"] for f in grids.getFeatures()}
    assert len(codes) == len(original) and codes == original
    # without a parent field: county + township + community + serial, the same reading order per parent
    recoded = processing.run(
        "gridplanner:assigncodes",
        {"INPUT": grids, "COUNTY": "110105", "TOWNSHIP": "001", "COMMUNITY": "002", "OUTPUT": "memory:"},
    )["OUTPUT"]
    codes = [f["grid_code"] for f in recoded.getFeatures()]
    assert all(c.startswith("110105001002") and len(c) == 15 for c in codes) and len(set(codes)) == len(codes)


@pytest.mark.parametrize(("name", "target"), [("kotka", 400), ("heinersreuth", 150)])
def test_real_cases_meet_the_targets(gridplanner_provider, name, target, tmp_path):
    import processing

    path = prepared_sample(name)
    out = tmp_path / f"{name}.gpkg"
    result = processing.run(
        "gridplanner:partition",
        {
            "AREA": layer(path, "boundary"),
            "BUILDINGS": layer(path, "buildings"),
            "LOAD": "households",
            "BARRIERS": [layer(path, "roads"), layer(path, "waterways"), layer(path, "railways")],
            "TARGET_LOAD": target,
            "OUTPUT": str(out),
        },
    )
    grids = gpd.read_file(out, layer=out.stem)
    area = gpd.read_file(path, layer="boundary")
    buildings = gpd.read_file(path, layer="buildings")
    barriers = gpd.pd.concat([gpd.read_file(path, layer=n) for n in ("roads", "waterways", "railways")])
    metrics = plan_metrics(grids, area, buildings, barriers, load_field="load", target_load=target)
    assert metrics["coverage_pct"] == pytest.approx(100.0, abs=1e-6)
    assert metrics["gap_m2"] < 1.0 and metrics["overlap_m2"] < 1.0
    assert metrics["contiguous_share"] == 1.0
    assert metrics["cut_building_share"] == 0.0
    assert metrics["share_within_20"] >= 0.9
    flagged = grids["deviation_pct"].abs() > 20
    assert (grids.loc[flagged, "flag"] == 1).all()
    assert metrics["boundary_adherence"] >= 0.85
    assert result["GRID_COUNT"] == len(grids)
    assert shapely.is_valid(grids.geometry.values).all()


def test_qgis_process_end_to_end(tmp_path):
    """Headless qgis_process on the prepared Kotka sample, several barrier layers, codes with a prefix."""
    from helpers import run_qgis_process

    path = prepared_sample("kotka")
    out = tmp_path / "grids.gpkg"
    result = run_qgis_process(
        "run",
        "gridplanner:partition",
        "--",
        f"AREA={path}|layername=boundary",
        f"BUILDINGS={path}|layername=buildings",
        f"BARRIERS={path}|layername=roads",
        f"BARRIERS={path}|layername=waterways",
        f"BARRIERS={path}|layername=railways",
        "TARGET_LOAD=400",
        "COUNTY=440307",
        "TOWNSHIP=005",
        f"OUTPUT={out}",
    )
    assert result.returncode == 0, result.stderr[-2000:]
    grids = gpd.read_file(out, layer=out.stem)
    assert len(grids) >= 10
    assert grids["grid_code"].str.startswith("440307005").all()
    assert (grids["deviation_pct"].abs() <= 20).mean() >= 0.9


def test_units_go_next_to_the_grids_by_default(gridplanner_provider, town_gpkg, tmp_path):
    """The units output is on by default: into the grids' GeoPackage, and each grid is the union of its units."""
    import pyogrio

    path, _, _ = town_gpkg
    out = tmp_path / "plan.gpkg"
    result = run_partition(path, OUTPUT=str(out))
    assert result["UNITS"] == f"{out}|layername=units"
    assert [name for name, _ in pyogrio.list_layers(out)] == ["plan", "units"]
    grids, units = gpd.read_file(out, layer="plan"), gpd.read_file(out, layer="units")
    for grid_id, outline in zip(grids["grid_id"], grids.geometry.values):
        union = shapely.union_all(units.geometry.values[units["grid_id"].to_numpy() == grid_id])
        assert shapely.area(shapely.symmetric_difference(outline, union)) < 0.01
    # a memory run gets memory units
    assert run_partition(path)["UNITS"].featureCount() == len(units)


def test_loaded_outputs_are_named_after_the_run_with_bands_at_the_tolerance(gridplanner_provider, town_gpkg):
    """In a Chinese QGIS: 网格_400户 / 单元_400户, deviation classes at ±10 % and ±20 % with Chinese labels."""
    from gridplanner.grid_plugin import i18n
    from qgis.core import QgsProject

    import processing

    path, _, _ = town_gpkg
    assert i18n.install_translator("zh_CN")
    try:
        parameters = {
            "AREA": layer(path, "area"),
            "BUILDINGS": layer(path, "buildings"),
            "BARRIERS": [layer(path, "roads")],
            "TARGET_LOAD": 400,
            "TOLERANCE": 0.1,
            "OUTPUT": "TEMPORARY_OUTPUT",
        }
        processing.runAndLoadResults("gridplanner:partition", parameters)
        names = sorted(lay.name() for lay in QgsProject.instance().mapLayers().values())
        assert names == ["单元_400户", "网格_400户"]
        grids = QgsProject.instance().mapLayersByName("网格_400户")[0]
        ranges = grids.renderer().ranges()
        assert [(r.lowerValue(), r.upperValue()) for r in ranges][1:4] == [(-20, -10), (-10, 10), (10, 20)]
        assert ranges[2].label() == "−10% … +10%（容差以内）"
    finally:
        i18n.remove_translators()
        QgsProject.instance().removeAllMapLayers()
