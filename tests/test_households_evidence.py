"""Households only where the evidence says home: typed housing, untyped buildings without a sign of another use,
dormitories as collective households; on hand-built buildings and on Longgang (COCO Park: 0)."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely
from gridplanner.grid_plugin.core.errors import Report
from gridplanner.grid_plugin.core.prepare.households import estimate_households
from gridplanner.grid_plugin.core.prepare.housing_evidence import load_name_table
from helpers import prepared_sample

CRS = "EPSG:4547"


class Collecting(Report):
    def __init__(self):
        super().__init__()
        self.infos = []

    def info(self, template, **params):
        self.infos.append(template.format(**params))


def row_of_buildings(rows, side=20.0):
    """rows: (building, name, extra dict); square footprints of ``side`` m in a row 50 m apart."""
    geoms = [
        shapely.box(500_000 + 50 * i, 2_500_000, 500_000 + 50 * i + side, 2_500_000 + side) for i in range(len(rows))
    ]
    data = {
        "osm_id": [f"way/{i}" for i in range(len(rows))],
        "building": [r[0] for r in rows],
        "name": [r[1] for r in rows],
    }
    for key in {k for r in rows for k in r[2]}:
        data[key] = [r[2].get(key) for r in rows]
    return gpd.GeoDataFrame(data, geometry=geoms, crs=CRS)


def test_each_reason_on_hand_built_buildings():
    frame = row_of_buildings(
        [
            ("yes", None, {}),  # 0 untyped, no sign: home, 400 m² x 2 floors / 100 = 8
            ("yes", None, {"shop": "supermarket"}),  # 1 tagged
            ("yes", None, {}),  # 2 a POI drawn on the same OSM feature (hotel)
            ("yes", None, {}),  # 3 in commercial land use
            ("yes", "华润大厦", {}),  # 4 named
            ("yes", "Grand Hotel", {}),  # 5 named (English)
            ("yes", "Hallway Road 5", {}),  # 6 'hall' is no whole word here: home
            ("apartments", "学生公寓1栋", {}),  # 7 公寓 on a campus: dormitory
            ("apartments", "阳光公寓", {}),  # 8 公寓 off campus: family housing
            ("yes", "职工宿舍", {}),  # 9 dormitory by name
            ("commercial", None, {}),  # 10 typed non-residential
            ("garage", None, {}),  # 11 typed: no use of its own
        ]
    )
    pois = gpd.GeoDataFrame(
        {"osm_id": ["way/2", "node/9"], "poi_kind": ["hotel", "convenience"], "source_key": ["tourism", "shop"]},
        geometry=[
            frame.geometry.iloc[2].centroid,
            frame.geometry.iloc[0].centroid,
        ],  # a shop inside 0: 底商, still home
        crs=CRS,
    )
    landuse = gpd.GeoDataFrame(
        {"landuse_class": ["retail", "university"], "source_key": ["landuse", "amenity"]},
        geometry=[frame.geometry.iloc[3].buffer(5), frame.geometry.iloc[7].buffer(5)],
        crs=CRS,
    )
    report = Collecting()
    result, _ = estimate_households(frame, landuse=landuse, pois=pois, report=report)
    assert result["household_rule"].tolist() == [
        "untyped_housing", "tagged", "tagged", "land_use", "name", "name", "untyped_housing", "dormitory",
        "residential", "dormitory", "typed_nonresidential", "typed_nonresidential",
    ]  # fmt: skip
    assert result["households"].tolist() == [8, 0, 0, 0, 0, 0, 8, 0, 8, 0, 0, 0]
    assert result["collective_households"].tolist() == [0] * 7 + [8, 0, 8, 0, 0]
    assert set(result["households_source"]) == {"estimate"}
    assert "Dormitories (collective households, 集体户): 2 buildings, 0 family households." in report.infos
    assert any("2 dormitories hold 16 collective households" in line for line in report.infos)
    family, _ = estimate_households(frame, landuse=landuse, pois=pois, dormitories="family")
    assert family["households"].tolist()[7] == family["households"].tolist()[9] == 8
    assert family["collective_households"].sum() == 0


def test_largest_dwelling_footprint_is_a_parameter():
    frame = row_of_buildings([("yes", None, {}), ("apartments", None, {})], side=60.0)  # 3,600 m²
    result, _ = estimate_households(frame)
    assert result["household_rule"].tolist() == ["too_large", "residential"]  # typed housing keeps its size
    assert result["households"].tolist() == [0, 72]
    result, _ = estimate_households(frame, max_dwelling_footprint_m2=5000)
    assert result["households"].tolist() == [72, 72]


def test_the_name_table_is_editable(tmp_path):
    table = tmp_path / "names.csv"
    table.write_text("pattern,language,use,note\n会所,zh,commercial,\n", encoding="utf-8")
    frame = row_of_buildings([("yes", "会所", {}), ("yes", "华润大厦", {})])
    result, _ = estimate_households(frame, name_table=table)
    assert result["household_rule"].tolist() == ["name", "untyped_housing"]
    zh, en = load_name_table()
    for word in (
        "大厦",
        "商场",
        "广场",
        "中心",
        "馆",
        "学校",
        "学院",
        "教学",
        "食堂",
        "医院",
        "厂",
        "公司",
        "酒店",
        "宾馆",
    ):
        assert zh.search(f"某某{word}"), word
    assert en.search("City Mall") and en.search("Riverside Hospital") and not en.search("Smallville")


def test_a_survey_field_wins_and_says_so():
    frame = row_of_buildings([("yes", None, {}), ("yes", "华润大厦", {})])
    frame["surveyed"] = [None, 12]
    result, _ = estimate_households(frame, households_field="surveyed")
    assert result["households"].tolist() == [8, 12]
    assert result["households_source"].tolist() == ["estimate", "survey"]


@pytest.fixture(scope="module")
def longgang():
    path = prepared_sample("shenzhen")
    layers = {name: gpd.read_file(path, layer=name) for name in ("buildings", "landuse", "pois")}
    report = Collecting()
    result, summary = estimate_households(
        layers["buildings"].drop(columns="households"), landuse=layers["landuse"], pois=layers["pois"], report=report
    )
    return layers, result, report


def test_longgang_coco_park_and_named_non_residential_buildings_hold_no_family_households(longgang):
    layers, result, report = longgang
    coco = result[result["name"].fillna("").str.contains("COCO Park")]
    assert len(coco) == 1 and coco["households"].iloc[0] == 0
    assert layers["buildings"].loc[coco.index, "households"].iloc[0] > 600, "the convention gave the mall 624"
    zh, en = load_name_table()
    names = result["name"].fillna("")
    named = names.map(lambda n: bool(zh.search(n) or en.search(n))) & ~names.str.contains("宿舍|公寓")
    assert named.sum() >= 15
    assert (result.loc[named, "households"] == 0).all(), result.loc[named & (result["households"] > 0), "name"].tolist()
    typed = result["building_type"].isin(["commercial", "education", "public", "health", "industrial"])
    assert typed.sum() >= 50 and (result.loc[typed, "households"] == 0).all()
    dorm = result["building"] == "dormitory"
    assert dorm.sum() >= 10 and (result.loc[dorm, "households"] == 0).all()
    assert (result.loc[dorm, "collective_households"] > 0).all()
    # the sports centre and the swimming hall are 'yes' in sports land: no homes
    for name in ("大运中心体育馆", "大运中心游泳馆", "龙岗区体育中心"):
        assert result.loc[names == name, "households"].sum() == 0, name
    assert result["households"].sum() < 0.25 * layers["buildings"]["households"].sum()
    assert any(line.startswith("Typed as not housing") for line in report.infos)


def test_estimatehouseholds_with_land_use_and_pois_in_qgis(gridplanner_provider, longgang):
    from qgis.core import QgsVectorLayer

    import processing

    path = prepared_sample("shenzhen")
    buildings = QgsVectorLayer(f"{path}|layername=buildings", "buildings", "ogr")
    result = processing.run(
        "gridplanner:estimatehouseholds",
        {
            "INPUT": buildings,
            "LANDUSE": f"{path}|layername=landuse",
            "POIS": f"{path}|layername=pois",
            "OUTPUT": "memory:",
        },
    )
    layer = result["OUTPUT"]
    rows = {f["osm_id"]: f for f in layer.getFeatures()}
    assert rows["way/238464699"]["households"] == 0  # COCO Park
    assert rows["way/675768172"]["collective_households"] > 100  # 逸夫书院A栋, 12 floors
    fields = layer.fields()
    assert fields.field("collective_households").alias() == "集体户数"
    assert fields.field("household_rule").alias() == "户数依据"
    total = sum(f["households"] for f in layer.getFeatures())
    assert result["TOTAL_HOUSEHOLDS"] == total == int(longgang[1]["households"].sum())


def test_one_floors_default_in_both_dialogs(gridplanner_provider):
    """estimatehouseholds and classify offer the same default floors: the one setting of core/prepare/floors.py."""
    from gridplanner.grid_plugin.core.prepare.floors import DEFAULT_FLOORS
    from qgis.core import QgsApplication

    registry = QgsApplication.processingRegistry()
    defaults = [
        registry.algorithmById(f"gridplanner:{name}").parameterDefinition("DEFAULT_LEVELS").defaultValue()
        for name in ("estimatehouseholds", "classify")
    ]
    assert defaults == [DEFAULT_FLOORS, DEFAULT_FLOORS]
