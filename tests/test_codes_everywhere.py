"""One code form in every code-writing algorithm: the parent's 12-digit 统计用区划代码 + a 3-digit serial.

An office's parent layer (``synthetic.office_parents``: 12-digit codes and a 城乡分类代码 field) over
a synthetic town goes through partition, partitionbytype, assigncodes, multilevel and regrid in real
QGIS; so do the COUNTY + TOWNSHIP + COMMUNITY parameters, and malformed parent codes.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

COUNTY, TOWNSHIP = "440307", "015"


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """A 1,500-building town in four communities (three urban, one village) written to a GeoPackage."""
    from gridplanner.grid_plugin.core.synthetic import office_parents, synthetic_town

    town = synthetic_town(1500, seed=3, n_parents=4)
    parents = office_parents(town["area"], COUNTY, TOWNSHIP, ur_codes=["111", "111", "112", "220"])
    path = tmp_path_factory.mktemp("office") / "office.gpkg"
    parents.to_file(path, layer="parents", driver="GPKG")
    bad = parents.copy()
    bad.loc[1, "code"] = "龙城社区"
    bad.to_file(path, layer="bad_parents", driver="GPKG")
    for name in ("buildings", "roads", "waterways"):
        town[name].to_file(path, layer=name, driver="GPKG")
    return {"path": path, "parents": parents, "town": town}


def layer(office, name):
    return f"{office['path']}|layername={name}"


def frame(output):
    """A processing output (layer or path) as a GeoDataFrame."""
    from qgis.core import QgsVectorLayer

    source = output if isinstance(output, QgsVectorLayer) else QgsVectorLayer(str(output), "out", "ogr")
    rows = [dict(zip(source.fields().names(), f.attributes(), strict=True)) for f in source.getFeatures()]
    geoms = [shapely.from_wkt(f.geometry().asWkt()) for f in source.getFeatures()]
    return gpd.GeoDataFrame(rows, geometry=geoms, crs="EPSG:4547")


def containing_parent(grids, parents):
    """The code of the parent holding each grid's representative point."""
    points = shapely.point_on_surface(grids.geometry.values)
    position, parent = shapely.STRtree(parents.geometry.values).query(points, predicate="within")
    out = np.full(len(grids), None, dtype=object)
    out[position] = parents["code"].to_numpy()[parent]
    return out


def assert_codes_extend_parents(grids, parents):
    codes = grids["grid_code"].astype(str)
    holder = containing_parent(grids, parents)
    assert codes.str.fullmatch(r"\d{15}").all(), codes.tolist()
    assert codes.is_unique
    assert all(c[:12] == h for c, h in zip(codes, holder, strict=True))
    assert set(codes.str[:12]) == set(parents["code"])  # every community has grids


def run_partition(office, **extra):
    import processing

    parameters = {
        "AREA": layer(office, "parents"),
        "PARENT_FIELD": "code",
        "BUILDINGS": layer(office, "buildings"),
        "LOAD": "households",
        "BARRIERS": [layer(office, "roads"), layer(office, "waterways")],
        "TARGET_LOAD": 400,
        "OUTPUT": "memory:",
    }
    parameters.update(extra)
    return processing.run("gridplanner:partition", parameters)


@pytest.fixture(scope="module")
def partition_grids(gridplanner_provider, office):
    return run_partition(office)["OUTPUT"]


def test_partition_codes_under_the_office_parents(partition_grids, office):
    grids = frame(partition_grids)
    assert_codes_extend_parents(grids, office["parents"])
    assert (grids["parent_code"] == grids["grid_code"].str[:12]).all()
    # the village (城乡分类代码 220) is numbered in the 2xx range of the national table
    assert grids["grid_code"].str[9:12].isin(["001", "002", "003", "201"]).all()


def test_partitionbytype_codes_under_the_office_parents(gridplanner_provider, office, tmp_path):
    import processing

    result = processing.run(
        "gridplanner:partitionbytype",
        {
            "AREA": layer(office, "parents"),
            "PARENT_CODE_FIELD": "code",
            "BUILDINGS": layer(office, "buildings"),
            "BARRIERS": [layer(office, "roads")],
            "OUTPUT": str(tmp_path / "typed.gpkg"),
        },
    )
    assert_codes_extend_parents(frame(result["OUTPUT"]), office["parents"])


def test_assigncodes_and_multilevel_under_the_office_parents(gridplanner_provider, partition_grids, office, tmp_path):
    import processing

    recoded = processing.run(
        "gridplanner:assigncodes", {"INPUT": partition_grids, "PARENT_FIELD": "parent_code", "OUTPUT": "memory:"}
    )["OUTPUT"]
    assert_codes_extend_parents(frame(recoded), office["parents"])
    result = processing.run(
        "gridplanner:multilevel",
        {
            "GRIDS": partition_grids,
            "PARENTS": layer(office, "parents"),
            "PARENT_CODE_FIELD": "code",
            "PARENT_NAME_FIELD": "name",
            "GROUP_SIZES": "",
            "OUTPUT": str(tmp_path / "finest.gpkg"),
            "UPPER": str(tmp_path / "upper.gpkg"),
        },
    )
    finest, upper = frame(result["OUTPUT"]), frame(result["UPPER"])
    assert_codes_extend_parents(finest, office["parents"])
    assert sorted(upper["grid_code"]) == sorted(office["parents"]["code"])
    assert set(upper["name"]) == set(office["parents"]["name"])


def test_regrid_gives_new_grids_fresh_serials_in_their_parent(gridplanner_provider, partition_grids, office, tmp_path):
    import processing

    plan = frame(partition_grids)
    plan_path = tmp_path / "plan.gpkg"
    plan.to_file(plan_path, layer="plan", driver="GPKG")
    buildings = office["town"]["buildings"].copy()
    village = office["parents"].geometry.values[3]
    grown = shapely.within(shapely.point_on_surface(buildings.geometry.values), village)
    buildings.loc[grown, "households"] *= 3  # the village triples
    buildings.to_file(plan_path, layer="buildings", driver="GPKG")
    village_code = office["parents"]["code"].iloc[3]
    highest = plan.loc[plan["grid_code"].str.startswith(village_code), "grid_code"].str[-3:].astype(int).max()
    retired = f"{village_code}{highest + 1:03d}"  # retired earlier: never handed out again
    result = processing.run(
        "gridplanner:regrid",
        {
            "PLAN": f"{plan_path}|layername=plan",
            "PARENT_FIELD": "parent_code",
            "BUILDINGS": f"{plan_path}|layername=buildings",
            "BARRIERS": layer(office, "roads"),
            "RETIRED_CODES": retired,
            "OUTPUT": str(tmp_path / "new.gpkg"),
            "CHANGES": str(tmp_path / "changes.gpkg"),
        },
    )
    new_plan = frame(result["OUTPUT"])
    assert result["NEW"] > 0
    assert_codes_extend_parents(new_plan, office["parents"])
    kept = new_plan[new_plan["status"] == "kept"]
    assert set(kept["grid_code"]) <= set(plan["grid_code"])  # kept grids keep their codes
    added = new_plan[new_plan["status"] == "new"]
    assert added["grid_code"].str.startswith(village_code).all()
    assert (added["grid_code"].str[-3:].astype(int) > highest + 1).all()  # fresh serials, never a used one


def test_county_township_community_without_a_parent_field(gridplanner_provider, office, tmp_path):
    import processing

    codes = {"COUNTY": COUNTY, "TOWNSHIP": TOWNSHIP, "COMMUNITY": "007"}
    partition = frame(run_partition(office, PARENT_FIELD=None, **codes)["OUTPUT"])
    typed = frame(
        processing.run(
            "gridplanner:partitionbytype",
            {
                "AREA": layer(office, "parents"),
                "BUILDINGS": layer(office, "buildings"),
                "BARRIERS": [layer(office, "roads")],
                "OUTPUT": str(tmp_path / "typed.gpkg"),
                **codes,
            },
        )["OUTPUT"]
    )
    coded = frame(
        processing.run("gridplanner:assigncodes", {"INPUT": layer(office, "parents"), "OUTPUT": "memory:", **codes})[
            "OUTPUT"
        ]
    )
    # four area features without codes: communities 007, 008, 009, 010, each numbered on its own
    for grids in (partition, typed):
        assert grids["grid_code"].str.fullmatch(r"4403070150(0[789]|10)\d{3}").all()
        assert grids["grid_code"].is_unique
        assert sorted(set(grids["grid_code"].str[:12])) == [f"440307015{c:03d}" for c in range(7, 11)]
    # a grid layer without a parent field: every grid under county + township + community
    assert coded["grid_code"].str.fullmatch(r"440307015007\d{3}").all() and coded["grid_code"].is_unique


@pytest.mark.parametrize("algorithm", ["partition", "partitionbytype", "assigncodes"])
def test_malformed_parent_codes_are_refused_naming_the_feature(gridplanner_provider, office, tmp_path, algorithm):
    from qgis.core import QgsProcessingException

    import processing

    out = tmp_path / "out.gpkg"
    parameters = {
        "partition": {"AREA": layer(office, "bad_parents"), "PARENT_FIELD": "code"},
        "partitionbytype": {"AREA": layer(office, "bad_parents"), "PARENT_CODE_FIELD": "code"},
        "assigncodes": {"INPUT": layer(office, "bad_parents"), "PARENT_FIELD": "code"},
    }[algorithm]
    if algorithm != "assigncodes":
        parameters["BUILDINGS"] = layer(office, "buildings")
    with pytest.raises(QgsProcessingException, match=r"龙城社区 \(2\).*12-digit.*440307015001"):
        processing.run(f"gridplanner:{algorithm}", {**parameters, "OUTPUT": str(out)})
    assert not out.exists()
