"""gridplanner:prepareosm and gridplanner:estimatehouseholds in QGIS: processing.run and qgis_process."""

from __future__ import annotations

import time

import pyogrio
import pytest
from helpers import kotka_pbf, run_qgis_process, shared_file

LAYERS = ["boundary", "buildings", "roads", "waterways", "railways", "landuse", "water", "pois"]


def spatial_layers(path):
    """The GeoPackage's layers without QGIS's ``layer_styles`` table (default styles with the aliases)."""
    return [str(name) for name, kind in pyogrio.list_layers(path) if kind is not None]


@pytest.fixture(scope="module")
def kotka_gpkg(gridplanner_provider, tmp_path_factory):
    import processing

    output = tmp_path_factory.mktemp("prepare") / "kotka.gpkg"
    result = processing.run(
        "gridplanner:prepareosm",
        {"INPUT": str(kotka_pbf()), "HULL_BUFFER_M": -100, "OUTPUT": str(output)},
    )
    return output, result


def test_prepareosm_writes_every_layer(kotka_gpkg):
    output, result = kotka_gpkg
    assert result["OUTPUT"] == str(output)
    assert result["CRS"] == "EPSG:32635 (WGS 84 / UTM zone 35N)"
    assert (result["N_BUILDINGS"], result["N_ROADS"]) == (1933, 295)
    assert result["AREA_M2"] == pytest.approx(3.949e6, rel=1e-3)
    assert spatial_layers(output) == LAYERS
    assert "layer_styles" in {str(n) for n, _k in pyogrio.list_layers(output)}
    assert sorted(p.name for p in output.parent.iterdir()) == ["kotka.gpkg"], "no temporary file left"


def test_qgis_reads_the_geopackage_with_chinese_aliases(kotka_gpkg):
    from qgis.core import QgsVectorLayer

    output, _ = kotka_gpkg
    layer = QgsVectorLayer(f"{output}|layername=buildings", "buildings", "ogr")
    assert layer.isValid() and layer.featureCount() == 1933
    assert layer.crs().authid() == "EPSG:32635"
    fields = layer.fields()
    assert fields.field("building_type").alias() == "建筑类型"
    assert fields.field("levels").alias() == "层数"


def test_estimatehouseholds_adds_households_with_alias(kotka_gpkg, gridplanner_provider):
    from qgis.core import QgsVectorLayer

    import processing

    output, _ = kotka_gpkg
    buildings = QgsVectorLayer(f"{output}|layername=buildings", "buildings", "ogr")
    result = processing.run("gridplanner:estimatehouseholds", {"INPUT": buildings, "RULE": 1, "OUTPUT": "memory:"})
    layer = result["OUTPUT"]
    assert result["TOTAL_HOUSEHOLDS"] == 5275 and result["RESIDENTIAL_BUILDINGS"] == 1889
    index = layer.fields().lookupField("households")
    assert index >= 0 and layer.fields().at(index).alias() == "户数"
    assert sum(f["households"] for f in layer.getFeatures()) == 5275
    assert layer.featureCount() == buildings.featureCount() == 1933
    assert buildings.fields().lookupField("households") == -1, "the input layer is unchanged"

    # Every number is a parameter: 50 m² per household doubles the estimate (up to rounding).
    doubled = processing.run(
        "gridplanner:estimatehouseholds",
        {"INPUT": buildings, "FLOOR_AREA_PER_HOUSEHOLD_M2": 50, "RULE": 1, "OUTPUT": "memory:"},
    )
    assert 2 * 5275 - 1889 <= doubled["TOTAL_HOUSEHOLDS"] <= 2 * 5275 + 1889


def memory_layer(definition, wkts, fields=None):
    from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer

    layer = QgsVectorLayer(definition, "test", "memory")
    provider = layer.dataProvider()
    features = []
    for index, wkt in enumerate(wkts):
        feature = QgsFeature(layer.fields())
        feature.setGeometry(QgsGeometry.fromWkt(wkt))
        if fields:
            feature.setAttributes([values[index] for values in fields])
        features.append(feature)
    provider.addFeatures(features)
    layer.updateExtents()
    return layer


def test_households_field_with_text_is_refused(gridplanner_provider):
    from qgis.core import QgsProcessingException

    import processing

    layer = memory_layer(
        "Polygon?crs=EPSG:4547&field=building:string&field=hh:string",
        ["POLYGON((500000 2500000, 500020 2500000, 500020 2500020, 500000 2500020, 500000 2500000))"],
        [["apartments"], ["lots"]],
    )
    with pytest.raises(QgsProcessingException, match="holds text, not numbers"):
        processing.run(
            "gridplanner:estimatehouseholds", {"INPUT": layer, "HOUSEHOLDS_FIELD": "hh", "OUTPUT": "memory:"}
        )


def test_prepareosm_bad_input_messages(gridplanner_provider, tmp_path):
    from qgis.core import QgsProcessingException

    import processing

    output = tmp_path / "out.gpkg"
    with pytest.raises(QgsProcessingException, match="does not exist"):
        processing.run("gridplanner:prepareosm", {"INPUT": str(tmp_path / "missing.osm.pbf"), "OUTPUT": str(output)})
    with pytest.raises(QgsProcessingException, match="geographic"):
        processing.run(
            "gridplanner:prepareosm",
            {"INPUT": str(shared_file("shenzhen_longgang.osm")), "TARGET_CRS": "EPSG:4490", "OUTPUT": str(output)},
        )
    with pytest.raises(QgsProcessingException, match="No boundary named Nowhere"):
        processing.run(
            "gridplanner:prepareosm",
            {"INPUT": str(kotka_pbf()), "BOUNDARY_NAME": "Nowhere", "OUTPUT": str(output)},
        )
    assert not output.exists(), "a failed run writes nothing"


def test_prepareosm_with_a_cgcs2000_boundary_layer(gridplanner_provider, tmp_path):
    import processing

    boundary = memory_layer(
        "Polygon?crs=EPSG:4490&field=name:string",
        ["POLYGON((114.20 22.68, 114.22 22.68, 114.22 22.695, 114.20 22.695, 114.20 22.68))"],
        [["校园"]],
    )
    output = tmp_path / "campus.gpkg"
    result = processing.run(
        "gridplanner:prepareosm",
        {"INPUT": str(shared_file("shenzhen_longgang.osm")), "BOUNDARY": boundary, "OUTPUT": str(output)},
    )
    assert result["CRS"].startswith("EPSG:4547 ")
    frame = pyogrio.read_dataframe(output, layer="boundary")
    assert frame["name"].tolist() == ["校园"] and frame.crs.to_epsg() == 4547
    assert 0 < result["N_BUILDINGS"] < 132


@pytest.mark.qgis_process
@pytest.mark.slow
def test_both_algorithms_through_qgis_process(tmp_path):
    prepared = tmp_path / "kotka.gpkg"
    started = time.perf_counter()
    run = run_qgis_process(
        "run",
        "gridplanner:prepareosm",
        "--",
        f"INPUT={kotka_pbf()}",
        "HULL_BUFFER_M=-100",
        f"OUTPUT={prepared}",
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "N_BUILDINGS:\t1933" in run.stdout
    assert spatial_layers(prepared) == LAYERS
    with_households = tmp_path / "buildings.gpkg"
    run = run_qgis_process(
        "run",
        "gridplanner:estimatehouseholds",
        "--",
        f"INPUT={prepared}|layername=buildings",
        "RULE=1",
        f"OUTPUT={with_households}",
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "TOTAL_HOUSEHOLDS:\t5275" in run.stdout
    assert "total: 1933 buildings, 1889 residential, 5275 households." in run.stdout + run.stderr
    buildings = pyogrio.read_dataframe(with_households)
    assert len(buildings) == 1933 and int(buildings["households"].sum()) == 5275
    assert buildings.crs.to_epsg() == 32635
    print(f"qgis_process prepareosm + estimatehouseholds: {time.perf_counter() - started:.1f} s")
