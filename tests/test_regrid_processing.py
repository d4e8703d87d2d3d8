"""Processing algorithms gridplanner:partitionbytype, gridplanner:multilevel, gridplanner:regrid in real QGIS."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import box
from test_difference import scene

CRS = "EPSG:4547"


def write(frame, path, layer):
    """Write ``frame`` to its own GeoPackage next to ``path``; return the QGIS source string."""
    target = path.with_name(f"{path.stem}_{layer}.gpkg")
    frame.to_file(target, layer=layer, driver="GPKG")
    return f"{target}|layername={layer}"


def plan_and_buildings(tmp_path, *, duplicate=False):
    grids, codes, buildings = [], [], []
    for i in range(6):
        for j in range(4):
            grids.append(box(i * 200, j * 200, (i + 1) * 200, (j + 1) * 200))
            codes.append(f"440307001001{len(codes) + 1:03d}")
            for k in range(4):
                x, y = i * 200 + 20 + 45 * k, j * 200 + 90
                buildings.append(box(x, y, x + 20, y + 20))
    if duplicate:
        codes[3] = codes[2]
    households = np.full(len(buildings), 100.0)
    households[:8] = 200  # the first two grids double
    plan = gpd.GeoDataFrame({"grid_code": codes, "parent_code": "440307001001", "load": 400.0}, geometry=grids, crs=CRS)
    gpkg = tmp_path / "inputs.gpkg"
    return (
        write(plan, gpkg, "plan"),
        write(gpd.GeoDataFrame({"households": households}, geometry=buildings, crs=CRS), gpkg, "buildings"),
    )


def test_regrid_algorithm_writes_plan_and_change_table(gridplanner_provider, tmp_path):
    from qgis.core import QgsVectorLayer

    import processing

    plan, buildings = plan_and_buildings(tmp_path)
    out = str(tmp_path / "new.gpkg")
    changes = str(tmp_path / "changes.gpkg")
    result = processing.run(
        "gridplanner:regrid",
        {
            "PLAN": plan,
            "BUILDINGS": buildings,
            "CODE_FIELD": "grid_code",
            "PARENT_FIELD": "parent_code",
            "TARGET_LOAD": 400,
            "TOLERANCE": 0.2,
            "RETIRED_CODES": "440307001001025, 440307001001026",
            "OUTPUT": out,
            "CHANGES": changes,
        },
    )
    assert result["KEPT"] == 22 and result["CHANGED"] == 2 and result["NEW"] == 2
    layer = QgsVectorLayer(result["OUTPUT"], "plan", "ogr")
    assert layer.featureCount() == 26
    codes = {f["grid_code"] for f in layer.getFeatures()}
    assert "440307001001027" in codes and "440307001001025" not in codes
    table = QgsVectorLayer(result["CHANGES"], "changes", "ogr")
    statuses = [f["status"] for f in table.getFeatures()]
    assert statuses.count("kept") == 22 and statuses.count("new") == 2


def test_regrid_algorithm_refuses_repeated_codes(gridplanner_provider, tmp_path):
    from qgis.core import QgsProcessingException

    import processing

    plan, buildings = plan_and_buildings(tmp_path, duplicate=True)
    out = tmp_path / "new.gpkg"
    with pytest.raises(QgsProcessingException, match="not unique: 440307001001003"):
        processing.run(
            "gridplanner:regrid",
            {"PLAN": plan, "BUILDINGS": buildings, "OUTPUT": str(out), "CHANGES": str(tmp_path / "c.gpkg")},
        )
    assert not out.exists()


def test_multilevel_algorithm(gridplanner_provider, tmp_path):
    from qgis.core import QgsVectorLayer

    import processing

    plan, _ = plan_and_buildings(tmp_path)
    result = processing.run(
        "gridplanner:multilevel",
        {
            "GRIDS": plan,
            "LOAD_FIELD": "load",
            "GROUP_SIZES": "2,4",
            "COUNTY": "440307",
            "TOWNSHIP": "001",
            "OUTPUT": str(tmp_path / "finest.gpkg"),
            "UPPER": str(tmp_path / "upper.gpkg"),
        },
    )
    finest = QgsVectorLayer(result["OUTPUT"], "finest", "ogr")
    upper = QgsVectorLayer(result["UPPER"], "upper", "ogr")
    assert finest.featureCount() == 24
    levels = [f["level"] for f in upper.getFeatures()]
    assert levels.count(2) == 6 and levels.count(1) == 3
    parents = {f["grid_code"] for f in upper.getFeatures()}
    assert all(
        f["parent_code"] in parents and f["grid_code"].startswith(f["parent_code"]) for f in finest.getFeatures()
    )
    # tiers: township level 9 digits under the county, community level 12, grids 15
    assert {len(f["grid_code"]) for f in upper.getFeatures() if f["level"] == 1} == {9}
    assert {len(f["grid_code"]) for f in upper.getFeatures() if f["level"] == 2} == {12}
    assert all(len(f["grid_code"]) == 15 and f["grid_code"].startswith("440307") for f in finest.getFeatures())


def test_partitionbytype_algorithm(gridplanner_provider, tmp_path):
    from qgis.core import QgsVectorLayer

    import processing

    area, buildings, barriers, landuse, pois = scene()
    gpkg = tmp_path / "scene.gpkg"
    params = {
        "AREA": write(area, gpkg, "area"),
        "BUILDINGS": write(buildings, gpkg, "buildings"),
        "BARRIERS": [write(barriers, gpkg, "roads")],
        "LANDUSE": write(landuse, gpkg, "landuse"),
        "POIS": write(pois, gpkg, "pois"),
        "LAND_MODE": 1,
        "OUTPUT": str(tmp_path / "typed.gpkg"),
    }
    result = processing.run("gridplanner:partitionbytype", params)
    layer = QgsVectorLayer(result["OUTPUT"], "typed", "ogr")
    types = sorted(f["grid_type"] for f in layer.getFeatures())
    assert types.count("village") == 2 and "enterprise" in types and "farmland" in types
    assert result["N_VILLAGES"] == 2 and result["N_SITES"] == 1
    total = sum(f.geometry().area() for f in layer.getFeatures())
    assert abs(total - 6e6) < 1.0
    from qgis.core import QgsProject

    loaded = processing.runAndLoadResults("gridplanner:partitionbytype", {**params, "OUTPUT": "TEMPORARY_OUTPUT"})
    fields = QgsProject.instance().mapLayer(loaded["OUTPUT"]).fields()
    assert fields.field("grid_type").alias() == "网格类型代码"
    assert fields.field("grid_type_zh").alias() == "网格类型"
    assert fields.field("load").alias() == "户数"
