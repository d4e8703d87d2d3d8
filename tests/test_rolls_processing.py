"""gridplanner:importroll in QGIS, and address points (门牌) carrying households as the load of partition."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from gridplanner.grid_plugin.core.synthetic import synthetic_town

CRS = "EPSG:4547"
X0, Y0 = 500_000.0, 2_500_000.0


@pytest.fixture(scope="module")
def footprints_gpkg(tmp_path_factory):
    folder = tmp_path_factory.mktemp("roll")
    geoms = [shapely.box(X0 + 30 * i, Y0, X0 + 30 * i + 20, Y0 + 20) for i in range(4)]
    frame = gpd.GeoDataFrame(
        {"建筑编号": ["L-01", "L-02", "L-03", "L-04"], "households": [5, 6, 7, 8]}, geometry=geoms, crs=CRS
    )
    path = folder / "buildings.gpkg"
    frame.to_file(path, layer="buildings")
    roll = pd.DataFrame(
        {
            "楼栋编号": ["L-01", "L-01", "L-02", "L-99", None],
            "户数": [30, 30, 12, 4, 9],
            "人口": [80, 80, 33, 10, 20],
            "x": [None, None, None, None, X0 + 95],
            "y": [None, None, None, None, Y0 + 10],
        }
    )
    csv = folder / "楼栋台账.csv"
    roll.to_csv(csv, index=False, encoding="gbk")
    return path, csv


def test_importroll_writes_roll_numbers_and_a_records_table(gridplanner_provider, footprints_gpkg):
    from qgis.core import QgsVectorLayer

    import processing

    path, csv = footprints_gpkg
    buildings = QgsVectorLayer(f"{path}|layername=buildings", "buildings", "ogr")
    result = processing.run(
        "gridplanner:importroll",
        {
            "INPUT": buildings,
            "BUILDING_KEY": "建筑编号",
            "ROLL_FILE": str(csv),
            "OUTPUT": "memory:",
            "RECORDS": "memory:",
        },
    )
    layer = result["OUTPUT"]
    rows = {f["建筑编号"]: (f["households"], f["population"], f["households_source"]) for f in layer.getFeatures()}
    assert rows == {
        "L-01": (30, 80.0, "roll"),
        "L-02": (12, 33.0, "roll"),
        "L-03": (7, None, "estimate"),
        "L-04": (9, 20.0, "roll"),  # by its point
    }
    fields = layer.fields()
    assert fields.field("households_source").alias() == "户数来源"
    assert fields.field("population").alias() == "人口"
    assert (result["MATCHED"], result["UNMATCHED"], result["DUPLICATE"], result["ROLL_HOUSEHOLDS"]) == (3, 1, 1, 51)
    status = [f["status"] for f in result["RECORDS"].getFeatures()]
    assert status == ["key", "duplicate", "key", "unmatched", "point"]
    assert buildings.fields().lookupField("population") == -1, "the input is unchanged"


def test_importroll_refuses_no_roll_and_two_rolls(gridplanner_provider, footprints_gpkg):
    from qgis.core import QgsFeature, QgsGeometry, QgsProcessingException, QgsVectorLayer

    import processing

    _path, csv = footprints_gpkg
    # a memory layer: a GeoPackage layer held by a refused run's traceback crashes QGIS 3.22 at exit
    buildings = QgsVectorLayer("Polygon?crs=EPSG:4547&field=bid:string", "buildings", "memory")
    feature = QgsFeature(buildings.fields())
    feature.setGeometry(QgsGeometry.fromWkt(f"POLYGON(({X0} {Y0}, {X0 + 20} {Y0}, {X0 + 20} {Y0 + 20}, {X0} {Y0}))"))
    feature.setAttributes(["L-01"])
    buildings.dataProvider().addFeatures([feature])
    with pytest.raises(QgsProcessingException, match="Choose the roll"):
        processing.run("gridplanner:importroll", {"INPUT": buildings, "OUTPUT": "memory:"})
    with pytest.raises(QgsProcessingException, match="not both"):
        processing.run(
            "gridplanner:importroll",
            {"INPUT": buildings, "ROLL_FILE": str(csv), "ROLL_LAYER": buildings, "OUTPUT": "memory:"},
        )


def test_address_points_with_households_are_the_load_of_partition(gridplanner_provider, tmp_path):
    """门牌 points with a Chinese households field partition like footprints, every point in one grid."""
    import processing

    town = synthetic_town(1500, seed=3, n_parents=1)
    points = gpd.GeoDataFrame(
        {"门牌号": [f"{i}号" for i in range(len(town["buildings"]))], "户数": town["buildings"]["households"]},
        geometry=shapely.point_on_surface(town["buildings"].geometry.values),
        crs=town["buildings"].crs,
    )
    path = tmp_path / "address.gpkg"
    town["area"].to_file(path, layer="area")
    points.to_file(path, layer="address_points")
    town["roads"].to_file(path, layer="roads")
    result = processing.run(
        "gridplanner:partition",
        {
            "AREA": f"{path}|layername=area",
            "BUILDINGS": f"{path}|layername=address_points",
            "LOAD": "户数",
            "BARRIERS": [f"{path}|layername=roads"],
            "TARGET_LOAD": 400,
            "OUTPUT": "memory:",
        },
    )
    grids = result["OUTPUT"]
    loads = [f["load"] for f in grids.getFeatures()]
    assert sum(loads) == pytest.approx(float(points["户数"].sum()))
    assert grids.featureCount() >= 3
    within = np.array(loads) / 400.0
    assert (np.abs(within - 1) <= 0.2).mean() >= 0.8
    geoms = [shapely.from_wkb(bytes(f.geometry().asWkb())) for f in grids.getFeatures()]
    holders = shapely.STRtree(geoms).query(points.geometry.values, predicate="within")
    assert len(np.unique(holders[0])) == len(points), "every address point lies in exactly one grid"


def test_importroll_from_a_layer_of_address_points(gridplanner_provider, footprints_gpkg):
    """The roll as a QGIS layer: 门牌 points with 户数 and 人口, matched by point (no id)."""
    from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsVectorLayer

    import processing

    path, _csv = footprints_gpkg
    roll = QgsVectorLayer(
        "Point?crs=EPSG:4547&field=门牌:string&field=户数:integer&field=人口:integer", "roll", "memory"
    )
    features = []
    for x, label, households, people in ((X0 + 10, "1号", 20, 50), (X0 + 35, "2号", 8, 19), (X0 + 500, "远处", 3, 7)):
        feature = QgsFeature(roll.fields())
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(x, Y0 + 10)))
        feature.setAttributes([label, households, people])
        features.append(feature)
    roll.dataProvider().addFeatures(features)
    buildings = QgsVectorLayer(f"{path}|layername=buildings", "buildings", "ogr")
    result = processing.run("gridplanner:importroll", {"INPUT": buildings, "ROLL_LAYER": roll, "OUTPUT": "memory:"})
    rows = {f["建筑编号"]: (f["households"], f["households_source"]) for f in result["OUTPUT"].getFeatures()}
    assert rows == {"L-01": (20, "roll"), "L-02": (8, "roll"), "L-03": (7, "estimate"), "L-04": (8, "estimate")}
    assert (result["MATCHED"], result["UNMATCHED"]) == (2, 1)
