"""gridplanner classify core: hand-built grids, land use, buildings, POIs and rasters with known answers."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pytest
import shapely
from gridplanner.grid_plugin.core.classify.engine import (
    BUILDING_CLASSES,
    LAND_CLASSES,
    OUTPUT_ALIASES_ZH,
    RULES,
    Thresholds,
    classify_grids,
    rule_text,
)
from gridplanner.grid_plugin.core.classify.mapping_table import SHIPPED_MAPPINGS, ClassMapping, load_mapping
from gridplanner.grid_plugin.core.errors import InputError, Report
from gridplanner.grid_plugin.core.grid_types import GRID_TYPE_CODES
from osgeo import gdal, osr
from shapely import box

CRS = "EPSG:4547"  # CGCS2000 / 3-degree Gauss-Kruger CM 114E (Shenzhen)
X0, Y0 = 500000.0, 2500000.0


def row_of_grids(n, size=100.0, crs=CRS):
    """n square grids of ``size`` m side by side."""
    geoms = [box(X0 + i * size, Y0, X0 + (i + 1) * size, Y0 + size) for i in range(n)]
    return gpd.GeoDataFrame({"name": [f"g{i}" for i in range(n)]}, geometry=geoms, crs=crs)


def cell(i, size=100.0, frac=1.0):
    """The left ``frac`` of grid ``i``."""
    return box(X0 + i * size, Y0, X0 + i * size + frac * size, Y0 + size)


def write_tif(path, array, transform, epsg, nodata=None, dtype=gdal.GDT_Float32):
    driver = gdal.GetDriverByName("GTiff")
    ds = driver.Create(str(path), array.shape[1], array.shape[0], 1, dtype)
    ds.SetGeoTransform(transform)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    ds.SetProjection(srs.ExportToWkt())
    band = ds.GetRasterBand(1)
    if nodata is not None:
        band.SetNoDataValue(nodata)
    band.WriteArray(array)
    ds.FlushCache()
    ds = None
    return str(path)


class CollectingReport(Report):
    def __init__(self):
        super().__init__()
        self.infos = []

    def info(self, template, **params):
        self.infos.append(template.format(**params))


# --------------------------------------------------------------------------------------------------
# mapping tables


class TestMappingTables:
    @pytest.mark.parametrize("name", SHIPPED_MAPPINGS)
    def test_shipped_tables_load_and_use_valid_codes(self, name):
        table = load_mapping(name)
        assert len(table) > 5
        assert {row.grid_type for row in table.rows} <= set(GRID_TYPE_CODES) | {"ignore"}

    @pytest.mark.parametrize(
        "value,expected",
        [
            ("0702", "village"),
            (702, "village"),  # an integer column lost the leading zero
            ("07", "residential"),
            (7, "residential"),
            ("0701", "residential"),
            ("072", "village"),  # GB/T 21010-2007 three-digit code
            ("农村宅基地", "village"),
            ("0702 农村宅基地", "village"),
            ("1104", "water"),
            ("1105", "tidal_flat"),
            ("1106", "tidal_flat"),
            ("0301", "forest"),
            ("0101", "farmland"),
            ("05H1", "commercial"),
            ("0799", "residential"),  # unknown second level falls back to the first level
            ("坑塘水面", "water"),
        ],
    )
    def test_gbt21010_code_forms(self, value, expected):
        assert load_mapping("gbt21010").lookup(value).grid_type == expected

    def test_gbt21010_unknown_code(self):
        table = load_mapping("gbt21010")
        assert table.lookup("9999") is None
        assert table.lookup("abc") is None
        assert table.lookup(None) is None

    def test_osm_keys_wildcards_and_value_only_fallback(self):
        table = load_mapping("osm_landuse")
        assert table.lookup("forest", key="landuse").grid_type == "forest"
        assert table.lookup("wood", key="natural").grid_type == "forest"
        assert table.lookup("meadow", key="landuse").grid_type == "farmland"
        assert table.lookup("university", key="amenity").grid_type == "enterprise"
        assert table.lookup("bakery", key="shop").grid_type == "commercial"  # shop=* wildcard
        assert table.lookup("reservoir", key="water").grid_type == "water"  # water=* wildcard
        # a prepared layer's field name is not a tag key: the value alone decides when unambiguous
        assert table.lookup("farmland", key="landuse_class").grid_type == "farmland"
        assert table.lookup("no_such_value", key="landuse") is None

    def test_bad_mapping_csv(self, tmp_path):
        bad = tmp_path / "bad.csv"
        bad.write_text("value,grid_type\nfoo,swamp\n", encoding="utf-8")
        with pytest.raises(InputError, match="unknown grid types"):
            ClassMapping.from_csv(bad)
        wrong_columns = tmp_path / "cols.csv"
        wrong_columns.write_text("a,b\n1,2\n", encoding="utf-8")
        with pytest.raises(InputError, match="needs the columns"):
            ClassMapping.from_csv(wrong_columns)
        with pytest.raises(InputError, match="does not exist"):
            load_mapping(tmp_path / "missing.csv")

    def test_own_table_with_chinese_values(self, tmp_path):
        own = tmp_path / "own.csv"
        own.write_text("value,grid_type,name_zh\n鱼塘,water,鱼塘\n菜地,farmland,菜地\n", encoding="utf-8")
        table = load_mapping(own)
        assert table.lookup("鱼塘").grid_type == "water"
        assert table.lookup(" 菜地 ").grid_type == "farmland"


# --------------------------------------------------------------------------------------------------
# land use


def test_gbt21010_coded_layer_through_the_chinese_code_table():
    codes = ["0301", "0101", "0702", "07", "农村宅基地", 1104, "1105", "0803", "0601", "05", "0810", "9999"]
    grids = row_of_grids(len(codes))
    landuse = gpd.GeoDataFrame(
        {"DLBM": [str(c) for c in codes]}, geometry=[cell(i) for i in range(len(codes))], crs=CRS
    )
    report = Report()
    # the two 村庄 cells lie in a 1.2 km row next to urban land (07, 0803): only the row is mapped, so
    # their surroundings are a town's; their parents' 城乡分类代码 (220 村庄) says they are rural
    parents = grids.assign(ur_code=[None, None, "220", None, "220"] + [None] * 7)
    out = classify_grids(
        grids, landuse=landuse, class_field="DLBM", landuse_mapping="gbt21010", parents=parents,
        ur_code_field="ur_code", report=report,
    )  # fmt: skip
    g = out.grids
    assert g["grid_type"].tolist() == [
        "forest",
        "farmland",
        "village",
        "residential",  # 07 住宅用地 without buildings: urban unless village land dominates
        "village",
        "water",
        "tidal_flat",
        "enterprise",
        "industrial",
        "commercial",
        "scenic",
        "unknown",
    ]
    assert g["grid_type_zh"].tolist()[:3] == ["林地网格", "农田网格", "村庄网格"]
    assert g["grid_type_en"].iloc[5] == "Pond and water"
    assert g.loc[2, "area_pct_village"] == pytest.approx(100.0)
    assert g.loc[11, "rule"] == "unmapped"
    assert out.unknown_values[["value", "features"]].values.tolist() == [["9999", 1]]
    assert any("9999 (1)" in w.message for w in report.warnings)
    assert g["name"].tolist() == grids["name"].tolist()  # input columns kept, rows in order


def test_unknown_values_are_reported_with_counts_not_dropped():
    grids = row_of_grids(3)
    landuse = gpd.GeoDataFrame(
        {"landuse": ["forest", "moonbase", "moonbase", "moonbase", "forest"]},
        geometry=[
            cell(0),
            cell(1, frac=0.5),
            box(X0 + 150, Y0, X0 + 200, Y0 + 100),
            cell(2, frac=0.8),
            cell(2, frac=0.1),
        ],
        crs=CRS,
    )
    out = classify_grids(grids, landuse=landuse, class_field="landuse")
    g = out.grids
    assert len(g) == 3
    assert g["grid_type"].tolist() == ["forest", "unknown", "unknown"]
    assert g.loc[1, "area_pct_unknown"] == pytest.approx(100.0)
    assert g.loc[2, "area_pct_unknown"] == pytest.approx(70.0)  # the forest 10% wins its overlap
    table = out.unknown_values
    assert table.loc[0, "value"] == "moonbase" and table.loc[0, "features"] == 3
    assert table.loc[0, "area_m2"] == pytest.approx(5000 + 5000 + 8000)


def test_overlaps_priority_counts_once_and_union_per_class():
    grids = row_of_grids(1, size=100)
    forest = cell(0)
    pond = box(X0 + 10, Y0 + 10, X0 + 30, Y0 + 30)  # 400 m² drawn on top of the forest, no hole
    second_forest = box(X0, Y0, X0 + 50, Y0 + 100)  # duplicates half the forest
    landuse = gpd.GeoDataFrame(
        {"landuse": ["forest", "forest"], "natural": [None, None]}, geometry=[forest, second_forest], crs=CRS
    )
    landuse = gpd.GeoDataFrame(
        {"landuse": ["forest", None, "forest"], "natural": [None, "water", None]},
        geometry=[forest, pond, second_forest],
        crs=CRS,
    )
    prio = classify_grids(grids, landuse=landuse, class_field=["landuse", "natural"]).grids
    assert prio.loc[0, "area_pct_water"] == pytest.approx(4.0)
    assert prio.loc[0, "area_pct_forest"] == pytest.approx(96.0)
    assert prio.loc[0, "landuse_cover_pct"] == pytest.approx(100.0)
    union = classify_grids(grids, landuse=landuse, class_field=["landuse", "natural"], overlap="union").grids
    assert union.loc[0, "area_pct_forest"] == pytest.approx(100.0)  # same-class duplicate counted once
    assert union.loc[0, "area_pct_water"] == pytest.approx(4.0)  # ...but the pond counts for both classes
    with pytest.raises(InputError, match="overlap rule"):
        classify_grids(grids, landuse=landuse, class_field="landuse", overlap="sum")


def test_equal_priority_smaller_polygon_wins():
    grids = row_of_grids(1)
    big = cell(0)
    small = box(X0, Y0, X0 + 40, Y0 + 100)
    landuse = gpd.GeoDataFrame({"natural": ["wood", "scrub"]}, geometry=[big, small], crs=CRS)  # both forest: 30
    landuse2 = gpd.GeoDataFrame({"landuse": ["farmland", "meadow"]}, geometry=[big, small], crs=CRS)
    out = classify_grids(grids, landuse=landuse, class_field="natural").grids
    assert out.loc[0, "area_pct_forest"] == pytest.approx(100.0)
    out2 = classify_grids(grids, landuse=landuse2, class_field="landuse").grids
    assert out2.loc[0, "area_pct_farmland"] == pytest.approx(100.0)


def test_site_rule_beats_land_use_and_sparse_is_unknown():
    grids = row_of_grids(3)
    landuse = gpd.GeoDataFrame(
        {"amenity": ["university", None, None], "landuse": [None, "forest", "forest"]},
        geometry=[cell(0, frac=0.6), cell(1, frac=0.45), cell(2, frac=0.2)],
        crs=CRS,
    )
    out = classify_grids(grids, landuse=landuse, class_field=["amenity", "landuse"]).grids
    assert out.loc[0, "grid_type"] == "enterprise" and out.loc[0, "rule"] == "site"
    # 45% forest, the rest unmapped: 100% of the mapped land is forest and 45% ≥ 30% is mapped
    assert out.loc[1, "grid_type"] == "forest" and out.loc[1, "rule"] == "land_use"
    assert out.loc[2, "grid_type"] == "unknown" and out.loc[2, "rule"] == "sparse"
    assert "20.0%" in out.loc[2, "rule_text"]


def test_mixed_where_no_class_reaches_the_threshold():
    grids = row_of_grids(1)
    landuse = gpd.GeoDataFrame(
        {"landuse": ["forest", "farmland", "basin"]},
        geometry=[cell(0, frac=0.4), box(X0 + 40, Y0, X0 + 75, Y0 + 100), box(X0 + 75, Y0, X0 + 100, Y0 + 100)],
        crs=CRS,
    )
    out = classify_grids(grids, landuse=landuse, class_field="landuse").grids
    assert out.loc[0, "grid_type"] == "mixed"
    assert out.loc[0, "dominant_class"] == "forest" and out.loc[0, "dominant_pct"] == pytest.approx(40.0)
    relaxed = classify_grids(grids, landuse=landuse, class_field="landuse", dominant_share=0.4).grids
    assert relaxed.loc[0, "grid_type"] == "forest"


def test_water_layer_and_geographic_grids():
    grids = row_of_grids(2).to_crs(4490)  # CGCS2000 geographic
    water = gpd.GeoDataFrame(geometry=[cell(0, frac=0.9)], crs=CRS).to_crs(4326)
    report = CollectingReport()
    out = classify_grids(grids, water=water, report=report).grids
    assert out.loc[0, "grid_type"] == "water" and out.loc[0, "area_pct_water"] == pytest.approx(90.0, abs=0.1)
    assert out.loc[1, "grid_type"] == "unknown"
    assert out.crs.to_epsg() == 4490  # output keeps the input CRS and geometry
    assert out.geometry.geom_equals(grids.geometry).all()
    assert any("EPSG:4547" in m or "114E" in m for m in report.infos)


# --------------------------------------------------------------------------------------------------
# buildings and POIs


def buildings_frame(specs):
    """specs: (grid index, x offset, width m, building type, levels)."""
    geoms = [box(X0 + i * 100 + dx, Y0 + 10, X0 + i * 100 + dx + w, Y0 + 10 + w) for i, dx, w, _, _ in specs]
    return gpd.GeoDataFrame(
        {"building": [s[3] for s in specs], "levels": [s[4] for s in specs]}, geometry=geoms, crs=CRS
    )


def test_building_floor_area_decides_and_village_is_rural_housing():
    grids = row_of_grids(4, size=200)
    specs = [
        # grid 0: shops of 5 floors (2 × 400 m² × 5) outweigh houses (4 × 400 m² × 1)
        (0, 0, 20, "retail", 5),
        (0, 30, 20, "retail", 5),
        (0, 60, 20, "house", 1),
        (0, 90, 20, "house", 1),
        (0, 120, 20, "house", 1),
        (0, 150, 20, "house", 1),
        # grid 1: low-rise houses at a low density → village (FAR 0.06)
        *[(1, dx, 20, "house", 2) for dx in (0, 40, 80, 120, 160)],
        # grid 2: high-rise apartments → residential
        *[(2, dx, 30, "apartments", 18) for dx in (0, 50, 100, 150)],
        # grid 3: factories and warehouses
        (3, 0, 60, "industrial", 1),
        (3, 100, 60, "warehouse", 1),
        (3, 170, 10, "house", 2),
    ]
    specs = [(i * 2, dx, w, t, lv) for i, dx, w, t, lv in specs]  # grids are 200 m wide
    buildings = buildings_frame(specs)
    # the mapped row is a town street (shops, flats, factories 200 m away): grid 1's houses are rural only
    # by their parent's 城乡分类代码 (220 村庄); without it they are a town's low-rise housing
    parents = grids.assign(ur_code=[None, "220", None, None])
    out = classify_grids(
        grids, buildings=buildings, building_type_field="building", levels_field="levels", parents=parents,
        ur_code_field="ur_code",
    ).grids  # fmt: skip
    assert out["grid_type"].tolist() == ["commercial", "village", "residential", "industrial"]
    in_town = classify_grids(grids, buildings=buildings, building_type_field="building", levels_field="levels")
    assert in_town.grids["grid_type"].tolist() == ["commercial", "residential", "residential", "industrial"]
    assert out["rule"].tolist() == ["buildings", "village", "buildings", "buildings"]
    assert out.loc[0, "floor_pct_commercial"] == pytest.approx(100 * 4000 / 5600, abs=0.01)
    assert out.loc[0, "floor_area_m2"] == pytest.approx(5600)
    assert out.loc[1, "housing_levels"] == pytest.approx(2.0)
    assert out.loc[2, "far"] == pytest.approx(4 * 900 * 18 / 40000, abs=1e-4)
    assert out.loc[3, "n_buildings"] == 3


def test_building_levels_missing_or_bad_use_the_default():
    grids = row_of_grids(1, size=200)
    buildings = gpd.GeoDataFrame(
        {"building": ["retail", "house"], "levels": ["abc", None]},
        geometry=[box(X0, Y0, X0 + 30, Y0 + 30), box(X0 + 50, Y0, X0 + 80, Y0 + 30)],
        crs=CRS,
    )
    out = classify_grids(
        grids, buildings=buildings, building_type_field="building", levels_field="levels", default_levels=3
    ).grids
    # the retail block takes the default 3 floors; a house without a floor count has 1, as in estimatehouseholds
    assert out.loc[0, "floor_area_m2"] == pytest.approx(900 * 3 + 900 * 1)


def test_one_floors_default_for_classify_and_estimatehouseholds():
    from gridplanner.grid_plugin.core.prepare import households
    from gridplanner.grid_plugin.core.prepare.floors import DEFAULT_FLOORS

    assert Thresholds().default_levels == households.FALLBACK_LEVELS == DEFAULT_FLOORS
    grids = row_of_grids(1, size=200)
    buildings = gpd.GeoDataFrame(
        {"building": ["apartments", "house"]},
        geometry=[box(X0, Y0, X0 + 30, Y0 + 30), box(X0 + 50, Y0, X0 + 80, Y0 + 30)],
        crs=CRS,
    )
    floor_area = classify_grids(grids, buildings=buildings, building_type_field="building").grids["floor_area_m2"]
    estimated, _ = households.estimate_households(buildings, floor_area_per_household_m2=1.0)
    assert floor_area.iloc[0] == pytest.approx(estimated["households"].sum()) == 900 * DEFAULT_FLOORS + 900


def test_unknown_building_types_are_reported():
    grids = row_of_grids(1, size=200)
    buildings = gpd.GeoDataFrame(
        {"building": ["spaceport", "house"]},
        geometry=[box(X0, Y0, X0 + 30, Y0 + 30), box(X0 + 50, Y0, X0 + 80, Y0 + 30)],
        crs=CRS,
    )
    out = classify_grids(grids, buildings=buildings, building_type_field="building")
    # 900 m² x 2 default floors for the spaceport, 900 m² x 1 floor for the house
    assert out.grids.loc[0, "floor_pct_unknown"] == pytest.approx(66.67)
    assert out.unknown_values[["source", "value", "features"]].values.tolist() == [["buildings", "spaceport", 1]]


def test_crowded_needs_a_crowded_site_not_just_pois():
    """POIs alone never make a crowded-place grid; a crowded site's land confirmed by POIs does."""
    grids = row_of_grids(3)
    points = [
        (0, "stadium"),  # weight 3, but the grid is farmland: a POI is no site
        (1, "station"),
        (1, "bus_station"),  # weight 3 + 2 on crowded land (a temple compound) covering 40% of the grid
        (2, "station"),  # weight 3, crowded land covering 10% only
    ]
    pois = gpd.GeoDataFrame(
        {"poi_kind": [k for _, k in points]},
        geometry=[shapely.Point(X0 + i * 100 + 50, Y0 + 50) for i, _ in points],
        crs=CRS,
    )
    sites = [box(X0 + 100, Y0, X0 + 140, Y0 + 100), box(X0 + 200, Y0, X0 + 210, Y0 + 100)]
    landuse = gpd.GeoDataFrame(
        {"landuse": ["farmland"] * 3 + ["religious"] * 2}, geometry=[cell(i) for i in range(3)] + sites, crs=CRS
    )
    out = classify_grids(grids, landuse=landuse, class_field="landuse", pois=pois, poi_kind_field="poi_kind").grids
    assert out["crowded_score"].tolist() == [3.0, 5.0, 3.0]
    assert out["grid_type"].tolist() == ["farmland", "crowded", "farmland"]
    assert out.loc[1, "rule"] == "crowded_pois" and "40.0%" in out.loc[1, "rule_text"]
    lower = classify_grids(
        grids, landuse=landuse, class_field="landuse", pois=pois, poi_kind_field="poi_kind", crowded_min_share=0.05
    ).grids
    assert lower["grid_type"].tolist() == ["farmland", "crowded", "crowded"]


# --------------------------------------------------------------------------------------------------
# rasters


def test_slope_of_a_geographic_dem_is_measured_in_metres(tmp_path):
    """A plane rising 0.2 m per metre northwards, stored in EPSG:4326 at 60° N: slope atan(0.2) = 11.31°."""
    lat0, lon0, res = 60.0, 10.0, 1 / 1200  # ~93 m north-south, ~46 m east-west at 60° N
    rows, cols = 300, 400
    lat = lat0 + (rows - np.arange(rows) - 0.5) * res
    northing_m = (lat - lat0) * 111_412.0  # metres per degree of latitude at 60° N (WGS 84)
    dem = np.repeat((0.2 * northing_m)[:, None], cols, axis=1).astype(np.float32)
    path = write_tif(tmp_path / "plane.tif", dem, (lon0, res, 0, lat0 + rows * res, 0, -res), 4326)
    utm = "EPSG:32632"
    centre = gpd.GeoSeries([shapely.Point(lon0 + cols * res / 2, lat0 + rows * res / 2)], crs=4326).to_crs(utm)
    cx, cy = centre.iloc[0].x, centre.iloc[0].y
    grids = gpd.GeoDataFrame(
        geometry=[box(cx - 2000 + i * 1000, cy - 1000, cx - 1000 + i * 1000, cy + 1000) for i in range(4)], crs=utm
    )
    out = classify_grids(grids, dem=path).grids
    expected = math.degrees(math.atan(0.2))
    assert out["slope_mean_deg"].to_numpy() == pytest.approx(np.full(4, expected), abs=0.15)
    assert out["relief_m"].to_numpy() == pytest.approx(np.full(4, 0.2 * 2000), rel=0.08)
    assert (out["dem_cover_pct"] > 99).all()
    assert (out["grid_type"] == "unknown").all()  # 11° < 15°: not mountain, and a DEM alone types nothing else
    steep = classify_grids(grids, dem=path, mountain_slope_deg=10).grids
    assert (steep["grid_type"] == "mountain").all()
    assert "11.3" in steep.loc[0, "rule_text"]


def test_dem_in_feet_and_projected_crs(tmp_path):
    """A projected DEM in another CRS than the grids, elevations in feet (z factor 0.3048)."""
    res = 10.0
    rows = cols = 200
    y = np.arange(rows)[:, None] * res
    dem_ft = np.repeat(y, cols, axis=1) * 0.5 / 0.3048  # 0.5 m per metre southwards, stored in feet
    x0, y0 = 400000.0, 5500000.0
    path = write_tif(tmp_path / "ft.tif", dem_ft.astype(np.float32), (x0, res, 0, y0 + rows * res, 0, -res), 32633)
    grids = gpd.GeoDataFrame(geometry=[box(x0 + 500, y0 + 500, x0 + 1500, y0 + 1500)], crs=32633).to_crs(3857)
    out = classify_grids(grids, dem=path, dem_z_factor=0.3048).grids
    assert out.loc[0, "slope_mean_deg"] == pytest.approx(math.degrees(math.atan(0.5)), abs=0.2)
    assert out.loc[0, "grid_type"] == "mountain"


def test_dem_not_covering_grids_is_a_clear_error_and_partial_cover_warns(tmp_path):
    dem = np.zeros((50, 50), dtype=np.float32)
    path = write_tif(tmp_path / "small.tif", dem, (X0, 10, 0, Y0 + 500, 0, -10), 4547)
    far_grids = gpd.GeoDataFrame(geometry=[box(X0 + 10000, Y0, X0 + 10100, Y0 + 100)], crs=CRS)
    with pytest.raises(InputError, match="does not cover any grid"):
        classify_grids(far_grids, dem=path)
    half = gpd.GeoDataFrame(geometry=[box(X0 + 400, Y0, X0 + 600, Y0 + 100), box(X0, Y0, X0 + 100, Y0 + 100)], crs=CRS)
    report = Report()
    out = classify_grids(half, dem=path, report=report).grids
    assert out.loc[0, "dem_cover_pct"] == pytest.approx(50.0, abs=1)
    assert out.loc[1, "dem_cover_pct"] == pytest.approx(100.0)
    assert any("less than 90%" in w.message for w in report.warnings)
    no_crs = tmp_path / "nocrs.tif"
    gdal.GetDriverByName("GTiff").Create(str(no_crs), 5, 5, 1, gdal.GDT_Float32).FlushCache()
    with pytest.raises(InputError, match="no coordinate reference system"):
        classify_grids(half, dem=str(no_crs))
    with pytest.raises(InputError, match="could not be opened"):
        classify_grids(half, dem=str(tmp_path / "missing.tif"))


def test_small_grids_take_the_cell_under_them(tmp_path):
    dem = np.arange(100, dtype=np.float32).reshape(10, 10)
    path = write_tif(tmp_path / "coarse.tif", dem, (X0, 100, 0, Y0 + 1000, 0, -100), 4547)
    tiny = gpd.GeoDataFrame(geometry=[box(X0 + 110, Y0 + 960, X0 + 130, Y0 + 980)], crs=CRS)  # no cell centre
    out = classify_grids(tiny, dem=path).grids
    assert out.loc[0, "elev_mean_m"] == pytest.approx(1.0)
    assert out.loc[0, "dem_cover_pct"] > 0


def test_land_cover_raster_fills_what_land_use_leaves(tmp_path):
    # NLCD codes: left half forest (41), right half cultivated (82), one column of an unmapped 77
    classes = np.full((10, 20), 41, dtype=np.uint8)
    classes[:, 10:] = 82
    classes[:, 19] = 77
    path = write_tif(tmp_path / "nlcd.tif", classes, (X0, 10, 0, Y0 + 100, 0, -10), 4547, dtype=gdal.GDT_Byte)
    grids = row_of_grids(2)
    out = classify_grids(grids, landcover=path)
    g = out.grids
    assert g["grid_type"].tolist() == ["forest", "farmland"]
    assert g.loc[0, "area_pct_forest"] == pytest.approx(100.0)
    assert g.loc[1, "area_pct_farmland"] == pytest.approx(90.0)
    assert g.loc[1, "area_pct_unknown"] == pytest.approx(10.0)
    assert out.unknown_values["value"].tolist() == ["77"]
    # a land-use polygon over half of grid 0 takes precedence; the raster fills the rest
    landuse = gpd.GeoDataFrame({"landuse": ["residential"]}, geometry=[cell(0, frac=0.3)], crs=CRS)
    mixed = classify_grids(grids, landuse=landuse, class_field="landuse", landcover=path).grids
    assert mixed.loc[0, "area_pct_residential"] == pytest.approx(30.0)
    assert mixed.loc[0, "area_pct_forest"] == pytest.approx(70.0)


# --------------------------------------------------------------------------------------------------
# bad input and bookkeeping


def test_bad_inputs_give_clear_errors():
    grids = row_of_grids(2)
    landuse = gpd.GeoDataFrame({"landuse": ["forest"]}, geometry=[cell(0)], crs=CRS)
    with pytest.raises(InputError, match="at least one source of evidence"):
        classify_grids(grids)
    with pytest.raises(InputError, match="grid layer is empty"):
        classify_grids(grids.iloc[:0], landuse=landuse, class_field="landuse")
    with pytest.raises(InputError, match="no coordinate reference system"):
        classify_grids(grids.set_crs(None, allow_override=True), landuse=landuse, class_field="landuse")
    with pytest.raises(InputError, match="has no field DLBM"):
        classify_grids(grids, landuse=landuse, class_field="DLBM")
    with pytest.raises(InputError, match="class field"):
        classify_grids(grids, landuse=landuse)
    with pytest.raises(InputError, match="between 0 and 1"):
        classify_grids(grids, landuse=landuse, class_field="landuse", dominant_share=50)
    with pytest.raises(InputError, match="no coordinate reference system"):
        classify_grids(grids, landuse=landuse.set_crs(None, allow_override=True), class_field="landuse")


def test_invalid_geometries_are_repaired_and_counted():
    bowtie = shapely.Polygon([(X0, Y0), (X0 + 100, Y0 + 100), (X0 + 100, Y0), (X0, Y0 + 100)])
    grids = gpd.GeoDataFrame(geometry=[bowtie, box(X0 + 100, Y0, X0 + 200, Y0 + 100)], crs=CRS)
    landuse = gpd.GeoDataFrame({"landuse": ["forest", "forest"]}, geometry=[bowtie, cell(1)], crs=CRS)
    report = Report()
    out = classify_grids(grids, landuse=landuse, class_field="landuse", report=report).grids
    assert out["grid_type"].tolist() == ["forest", "forest"]
    repaired = [w.message for w in report.warnings if "Repaired" in w.message]
    assert len(repaired) == 2 and all("1 invalid" in m for m in repaired)
    assert not out.geometry.iloc[0].is_valid  # the input geometry is returned untouched


def test_input_is_not_modified():
    grids = row_of_grids(2)
    landuse = gpd.GeoDataFrame({"landuse": ["forest"]}, geometry=[cell(0)], crs=CRS)
    before_grids, before_landuse = grids.copy(), landuse.copy()
    classify_grids(grids, landuse=landuse, class_field="landuse")
    assert grids.equals(before_grids) and landuse.equals(before_landuse)


def test_output_columns_and_aliases():
    grids = row_of_grids(1)
    landuse = gpd.GeoDataFrame({"landuse": ["forest"]}, geometry=[cell(0)], crs=CRS)
    g = classify_grids(grids, landuse=landuse, class_field="landuse").grids
    expected = {"grid_type", "grid_type_zh", "grid_type_en", "rule", "rule_text", "dominant_class", "dominant_pct"}
    expected |= {f"area_pct_{c}" for c in LAND_CLASSES} | {f"floor_pct_{c}" for c in BUILDING_CLASSES}
    assert expected <= set(g.columns)
    assert set(OUTPUT_ALIASES_ZH) >= expected - {"name"}
    assert OUTPUT_ALIASES_ZH["area_pct_forest"] == "林地面积占比(%)"


def test_rule_texts_format_in_both_languages():
    params = {"cls": "forest", "pct": 80.0, "cover": 90.0, "min": 50.0}
    assert rule_text("land_use", params) == (
        "forest covers 80.0% of the grid's mapped land, 90.0% of the grid is mapped (land-use rule: at least 50.0%)"
    )
    assert "林地" in rule_text("land_use", params, lang="zh_CN")
    assert set(RULES) >= {"site", "crowded_pois", "village", "buildings", "water", "mountain", "land_use", "mixed"}


def test_thresholds_defaults_are_documented_numbers():
    t = Thresholds()
    assert 0 < t.dominant_share <= 1 and t.mountain_slope_deg == 15.0


@pytest.mark.parametrize("module_name", ["classify.engine", "classify.mapping_table", "grid_types"])
def test_docstring_examples_run(module_name):
    import doctest
    import importlib

    module = importlib.import_module(f"gridplanner.grid_plugin.core.{module_name}")
    failed, attempted = doctest.testmod(module)
    assert attempted > 0 and failed == 0


def test_low_rise_suburb_of_a_town_is_residential_not_village():
    """The same low-rise, low-density housing is a village in a small settlement, residential in a town."""
    # Two 400 m grids of detached houses (15 × 15 m, 40 m apart: FAR ≈ 0.14). Grid 0's houses continue
    # into a town of 900 houses beyond the grids; grid 1's settlement is just its own 100 houses.
    grids = gpd.GeoDataFrame(
        {"name": ["suburb", "village"]},
        geometry=[box(0, 0, 400, 400), box(2000, 0, 2400, 400)],
        crs=CRS,
    )
    xs, ys = np.meshgrid(np.arange(0, 400, 40.0), np.arange(0, 400, 40.0))
    houses = [box(x + 12, y + 12, x + 27, y + 27) for x, y in zip(xs.ravel(), ys.ravel())]
    town_x, town_y = np.meshgrid(np.arange(0, 1200, 40.0), np.arange(400, 1600, 40.0))
    town = [box(x + 12, y + 12, x + 27, y + 27) for x, y in zip(town_x.ravel(), town_y.ravel())]
    village = [shapely.affinity.translate(h, 2000, 0) for h in houses]
    footprints = houses + town + village
    kinds = ["house"] * len(footprints)
    buildings = gpd.GeoDataFrame({"building": kinds, "levels": 1.0}, geometry=footprints, crs=CRS)
    out = classify_grids(grids, buildings=buildings, building_type_field="building", levels_field="levels").grids
    assert list(out["grid_type"]) == ["residential", "village"]
    assert list(out["rural_context"]) == [False, True]
    # The parents' 城乡分类代码 decides where given: 220 (村庄) makes both villages, 111 (主城区) neither.
    for code, expected in (("220", ["village", "village"]), ("111", ["residential", "residential"])):
        parents = gpd.GeoDataFrame({"ur_code": [code]}, geometry=[box(-100, -100, 2500, 1700)], crs=CRS)
        out = classify_grids(
            grids, buildings=buildings, building_type_field="building", levels_field="levels", parents=parents,
            ur_code_field="ur_code",
        ).grids  # fmt: skip
        assert list(out["grid_type"]) == expected, code
