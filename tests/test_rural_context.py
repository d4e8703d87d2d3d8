"""Villages only in rural context: the parent's 城乡分类代码, else the surroundings — one rule for classify
and partitionbytype; Longgang gets no 村庄 grid, Heinersreuth keeps its villages (test_difference_real)."""

from __future__ import annotations

import csv

import geopandas as gpd
import numpy as np
import pytest
import shapely
from gridplanner.grid_plugin.core.classify.context import (
    ContextSettings,
    RuralContext,
    populated,
    rural_context_for,
    rural_from_code,
)
from gridplanner.grid_plugin.core.classify.engine import classify_grids
from gridplanner.grid_plugin.core.difference.driver import partition_by_type
from gridplanner.grid_plugin.core.prepare.households import estimate_households
from helpers import shared_file
from shapely.geometry import LineString, box
from test_difference_real import layers

CRS = "EPSG:4547"


def houses(x0, y0, n=16, step=30.0, side=12.0):
    """A square block of ``n`` houses."""
    k = int(np.ceil(np.sqrt(n)))
    return [box(x0 + (i % k) * step, y0 + (i // k) * step, x0 + (i % k) * step + side, y0 + (i // k) * step + side)
            for i in range(n)]  # fmt: skip


def adcode_rows(county: str) -> list[dict]:
    """Rows of the official 统计用区划代码 table (shared data: adcode/<county>.csv, no header)."""
    names = ["code", "parent", "name", "level", "rank", "adcode", "post_code", "area_code", "ur_code"]
    with open(shared_file(f"adcode/{county}.csv"), encoding="utf-8") as handle:
        return [dict(zip(names, row)) for row in csv.reader(handle)]


def test_codes_read_as_the_statistics_bureau_writes_them():
    assert [rural_from_code(c) for c in ("111", "112", "121", "122", "123")] == [False] * 5
    assert [rural_from_code(c) for c in ("210", "220", 220, 220.0)] == [True] * 4
    assert rural_from_code("村庄") is True and rural_from_code("城乡结合区") is False
    assert [rural_from_code(c) for c in (None, "", "9", "abc", float("nan"))] == [None] * 5


def test_surroundings_open_or_built_or_urban_land():
    village = houses(0, 0)
    hull = shapely.convex_hull(shapely.union_all(village))
    farmland = gpd.GeoDataFrame({"landuse_class": ["farmland"]}, geometry=[box(-2000, -2000, 2000, 2000)], crs=CRS)
    alone = rural_context_for(farmland, None, gpd.GeoDataFrame(geometry=village, crs=CRS))
    assert alone.is_rural([hull]).tolist() == [True]
    # the same houses inside a town (no land-use layer): built within reach of the ring all around
    town = [h for x in range(-600, 700, 60) for h in houses(x, -600, n=400, step=60)]
    built = rural_context_for(None, None, gpd.GeoDataFrame(geometry=village + town, crs=CRS))
    open_share, _ = built.shares([hull])
    assert open_share[0] < 0.8 and built.is_rural([hull]).tolist() == [False]
    # urban land use around (a campus, a retail park): not rural either
    urban = gpd.GeoDataFrame(
        {"landuse_class": ["retail", "university"], "source_key": ["landuse", "amenity"]},
        geometry=[box(200, -300, 700, 700), box(-700, -300, -200, 700)],
        crs=CRS,
    )
    in_town = rural_context_for(urban, None, gpd.GeoDataFrame(geometry=village, crs=CRS))
    assert in_town.shares([hull])[1][0] > 0.1 and in_town.is_rural([hull]).tolist() == [False]
    # the parent's code wins over the surroundings, both ways
    assert in_town.is_rural([hull], ur_codes=["220"]).tolist() == [True]
    assert alone.is_rural([hull], ur_codes=["111"]).tolist() == [False]
    # the settings are parameters
    assert RuralContext.from_frames(
        building_geoms=village + town, settings=ContextSettings(min_open_share=0.0)
    ).is_rural([hull]).tolist() == [True]


def test_populated_grids_are_never_land():
    assert populated([0, 99, 100, 372], 400).tolist() == [False, False, True, True]
    assert populated([50], 400, share=0.1).tolist() == [True]


def scene_with_parents(west_code, east_code):
    """Two communities of 2 × 2 km, each with a village of 36 houses (6 households each) among farmland."""
    area = gpd.GeoDataFrame(
        {"code": ["440307015001", "440307015002"], "ur_code": [west_code, east_code]},
        geometry=[box(0, 0, 2000, 2000), box(2000, 0, 4000, 2000)],
        crs=CRS,
    )
    footprints = houses(900, 900, n=36) + houses(2900, 900, n=36)
    buildings = gpd.GeoDataFrame(
        {"building": ["house"] * 72, "building_type": ["residential"] * 72, "households": [6] * 72},
        geometry=footprints,
        crs=CRS,
    )
    barriers = gpd.GeoDataFrame(
        {"highway": ["residential"] * 2}, geometry=[LineString([(0, 800), (4000, 800)]), LineString([(0, 1300), (4000, 1300)])], crs=CRS
    )  # fmt: skip
    landuse = gpd.GeoDataFrame({"landuse_class": ["farmland"]}, geometry=[box(0, 0, 4000, 2000)], crs=CRS)
    return area, buildings, barriers, landuse


@pytest.mark.parametrize(
    ("west", "east", "expected"),
    [
        ("220", "111", {"440307015001": "village", "440307015002": "residential"}),
        ("111", "220", {"440307015001": "residential", "440307015002": "village"}),
        (None, None, {"440307015001": "village", "440307015002": "village"}),  # farmland all around
    ],
)
def test_parent_urban_rural_code_drives_village_or_residential(west, east, expected):
    """A synthetic parent layer with 城乡分类代码: partitionbytype and classify agree grid by grid."""
    area, buildings, barriers, landuse = scene_with_parents(west, east)
    result = partition_by_type(
        area, buildings, barriers, landuse=landuse, parent_code_field="code",
        ur_code_field="ur_code" if west else None,
    )  # fmt: skip
    grids = result.grids
    housing = grids[grids["load"] > 0]
    by_parent = housing.groupby("parent_code")["grid_type"].agg(lambda t: set(t))
    assert {k: v for k, v in by_parent.items()} == {k: {v} for k, v in expected.items()}
    typed = classify_grids(
        housing[["parent_code", "geometry"]], buildings=buildings, building_type_field="building", landuse=landuse,
        class_field="landuse_class", parents=area if west else None, ur_code_field="ur_code" if west else None,
        households_field="households",
    ).grids  # fmt: skip
    assert typed["grid_type"].tolist() == housing["grid_type"].tolist()


def test_a_rural_code_from_the_official_table():
    """Qixia (南京市栖霞区) has 村庄 rows (220); Longgang none: every community is 111 or 112."""
    qixia = [r for r in adcode_rows("320113") if r["level"] == "village"]
    longgang = [r for r in adcode_rows("440307") if r["level"] == "village"]
    assert {rural_from_code(r["ur_code"]) for r in longgang} == {False}
    rural = [r for r in qixia if r["ur_code"] == "220"]
    assert rural and all(rural_from_code(r["ur_code"]) for r in rural)


@pytest.fixture(scope="module")
def longgang():
    data = layers("shenzhen")
    data["evidence_buildings"], _ = estimate_households(
        data["buildings"].drop(columns="households"), landuse=data["landuse"], pois=data["pois"]
    )
    return data


@pytest.mark.parametrize("households", ["convention", "evidence"])
def test_longgang_has_no_village_grid(longgang, households):
    """Shenzhen has no 村: neither partitionbytype nor classify types a Longgang grid as 村庄, with the
    benchmark convention's households or the evidence rule's, without parent codes."""
    data = longgang
    buildings = data["buildings"] if households == "convention" else data["evidence_buildings"]
    result = partition_by_type(
        data["boundary"], buildings, data["barriers"], landuse=data["landuse"], pois=data["pois"], water=data["water"]
    )
    assert "village" not in set(result.grids["grid_type"])
    assert not (result.villages.get("settlement_type", gpd.GeoSeries(dtype=object)) == "village").any()
    typed = classify_grids(
        result.grids[["grid_id", "geometry"]], landuse=data["landuse"], class_field="landuse_class",
        key_field="source_key", water=data["water"], buildings=buildings, building_type_field="building",
        levels_field="levels", households_field="households", pois=data["pois"], poi_kind_field="poi_kind",
    ).grids  # fmt: skip
    assert "village" not in set(typed["grid_type"]), typed.loc[typed.grid_type == "village", "rule_text"].tolist()
    assert typed["rural_context"].sum() <= len(typed) // 2


def test_longgang_with_its_official_parent_code(longgang):
    """The subdistrict as one parent carrying 爱联社区's 城乡分类代码 (111, 主城区): no village, even with
    the surroundings test switched off (every settlement open)."""
    data = longgang
    row = next(r for r in adcode_rows("440307") if r["name"].startswith("爱联社区"))
    parents = data["boundary"].assign(code=row["code"], ur_code=row["ur_code"])
    wide_open = ContextSettings(min_open_share=0.0, max_urban_share=1.0)
    result = partition_by_type(
        parents, data["evidence_buildings"], data["barriers"], landuse=data["landuse"], pois=data["pois"],
        water=data["water"], parent_code_field="code", ur_code_field="ur_code", context=wide_open,
    )  # fmt: skip
    assert "village" not in set(result.grids["grid_type"])
    typed = classify_grids(
        result.grids[["grid_id", "geometry"]], landuse=data["landuse"], class_field="landuse_class",
        key_field="source_key", buildings=data["evidence_buildings"], building_type_field="building",
        parents=parents, ur_code_field="ur_code", context=wide_open,
    ).grids  # fmt: skip
    assert not typed["rural_context"].any() and "village" not in set(typed["grid_type"])


def test_classify_a_forest_grid_full_of_households_is_a_settlement():
    grids = gpd.GeoDataFrame({"name": ["a", "b"]}, geometry=[box(0, 0, 300, 300), box(300, 0, 600, 300)], crs=CRS)
    forest = gpd.GeoDataFrame({"landuse": ["forest"]}, geometry=[box(0, 0, 600, 300)], crs=CRS)
    homes = houses(20, 20, n=20, step=60, side=8)  # 1,280 m² of floor: too little to be built up
    buildings = gpd.GeoDataFrame({"building": ["house"] * 20, "households": [6] * 20}, geometry=homes, crs=CRS)
    out = classify_grids(
        grids, landuse=forest, class_field="landuse", buildings=buildings, building_type_field="building",
        households_field="households",
    ).grids  # fmt: skip
    assert out["grid_type"].tolist() == ["village", "forest"]  # 120 households among the trees, in the open
    assert out.loc[0, "rule"] == "populated" and "120 households" in out.loc[0, "rule_text"]
    fewer = classify_grids(
        grids, landuse=forest, class_field="landuse", buildings=buildings.assign(households=2),
        building_type_field="building", households_field="households",
    ).grids  # fmt: skip
    assert fewer["grid_type"].tolist() == ["forest", "forest"]


def test_both_algorithms_read_the_code_field_in_qgis(gridplanner_provider, tmp_path):
    """gridplanner:partitionbytype (UR_CODE_FIELD of the area) and gridplanner:classify (PARENTS +
    UR_CODE_FIELD) give the same village/residential split through Processing."""
    import processing

    area, buildings, barriers, landuse = scene_with_parents("220", "111")
    path = tmp_path / "parents.gpkg"
    for name, frame in (("area", area), ("buildings", buildings), ("roads", barriers), ("landuse", landuse)):
        frame.to_file(path, layer=name)
    result = processing.run(
        "gridplanner:partitionbytype",
        {
            "AREA": f"{path}|layername=area",
            "PARENT_CODE_FIELD": "code",
            "UR_CODE_FIELD": "ur_code",
            "BUILDINGS": f"{path}|layername=buildings",
            "LOAD_FIELD": "households",
            "BARRIERS": [f"{path}|layername=roads"],
            "LANDUSE": f"{path}|layername=landuse",
            "OUTPUT": "memory:",
        },
    )
    grids = result["OUTPUT"]
    split = {(f["parent_code"], f["grid_type"]) for f in grids.getFeatures() if f["load"] > 0}
    assert split == {("440307015001", "village"), ("440307015002", "residential")}
    typed = processing.run(
        "gridplanner:classify",
        {
            "INPUT": grids,
            "LANDUSE": f"{path}|layername=landuse",
            "BUILDINGS": f"{path}|layername=buildings",
            "PARENTS": f"{path}|layername=area",
            "UR_CODE_FIELD": "ur_code",
            "OUTPUT": "memory:",
        },
    )["OUTPUT"]
    pairs = {(f["parent_code"], f["grid_type"]) for f in typed.getFeatures() if f["load"] > 0}
    assert pairs == split


def city_core(gap_m=30.0):
    """A dense low-rise quarter filling its study area (1.1 × 1.1 km): 784 houses of 2 households with
    gardens, residential land use over the houses and a ``gap_m`` band of shops round them; the city
    goes on outside the area, unmapped (a central extract such as Helsinki's)."""
    footprints = [box(x, y, x + 12, y + 12) for x in np.arange(0, 1050, 37.5) for y in np.arange(0, 1050, 37.5)]
    side = 1047.0
    area = gpd.GeoDataFrame(geometry=[box(-gap_m, -gap_m, side + gap_m, side + gap_m)], crs=CRS)
    buildings = gpd.GeoDataFrame(
        {"building": ["house"] * len(footprints), "building_type": ["residential"] * len(footprints)},
        geometry=footprints,
        crs=CRS,
    ).assign(households=2)
    landuse = gpd.GeoDataFrame(
        {"landuse_class": ["residential", "retail"]},
        geometry=[box(0, 0, side, side), box(-gap_m, -gap_m, side + gap_m, side + gap_m).difference(box(0, 0, side, side))],
        crs=CRS,
    )  # fmt: skip
    streets = [LineString([(x, -gap_m), (x, side + gap_m)]) for x in (280.0, 525.0, 770.0)]
    streets += [LineString([(-gap_m, y), (side + gap_m, y)]) for y in (280.0, 525.0, 770.0)]
    barriers = gpd.GeoDataFrame({"highway": ["residential"] * len(streets)}, geometry=streets, crs=CRS)
    return area, buildings, barriers, landuse


def test_a_city_core_filling_its_area_has_no_village():
    """The ring round a settlement that fills the study area lies outside the map: unknown, not open
    land. partitionbytype (it made villages of central Helsinki) and classify agree: residential."""
    area, buildings, barriers, landuse = city_core()
    # below the town sizes (3,000 households, 800 buildings), one floor: only the surroundings decide
    assert buildings["households"].sum() < 3000 and len(buildings) < 800
    context = rural_context_for(landuse, None, buildings, extent=area.geometry.iloc[0])
    hull = shapely.convex_hull(shapely.union_all(buildings.geometry.values))
    assert context.is_rural([hull]).tolist() == [False]
    result = partition_by_type(area, buildings, barriers, landuse=landuse, target_load=300)
    grids = result.grids
    assert set(grids.loc[grids["load"] > 0, "grid_type"]) == {"residential"}, grids["grid_type"].value_counts()
    typed = classify_grids(
        grids[["grid_id", "geometry"]], buildings=buildings, building_type_field="building", landuse=landuse,
        class_field="landuse_class", households_field="households",
    ).grids  # fmt: skip
    assert "village" not in set(typed["grid_type"]) and not typed["rural_context"].any()
    # the same houses among mapped farmland are a village for partitionbytype too ...
    wide = gpd.GeoDataFrame(geometry=[box(-1500, -1500, 2500, 2500)], crs=CRS)
    farmland = wide.assign(landuse_class="farmland")
    in_fields = partition_by_type(wide, buildings, barriers, landuse=farmland, target_load=300).grids
    assert set(in_fields.loc[in_fields["load"] > 0, "grid_type"]) == {"village"}
    # ... unless their housing is higher than village housing (classify's low-rise rule: 3 floors)
    tall = buildings.assign(levels=5)
    in_fields = partition_by_type(wide, tall, barriers, landuse=farmland, target_load=300).grids
    assert set(in_fields.loc[in_fields["load"] > 0, "grid_type"]) == {"residential"}
