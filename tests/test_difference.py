"""The difference principle: rule table, villages by proximity, specialised sites, typed tiling."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from gridplanner.grid_plugin.core.difference import driver as d
from gridplanner.grid_plugin.core.errors import InputError
from gridplanner.grid_plugin.core.grid_types import GRID_TYPE_CODES
from shapely.geometry import LineString, Point, box

CRS = "EPSG:4547"  # CGCS2000 / 3-degree Gauss-Kruger CM 114E


def _no_partition(*args, **kwargs):
    raise AssertionError("this scene must not need the household partition")


def scene(*, crs=CRS):
    """3 × 2 km: two villages and a hamlet among farmland and forest, a school campus, three roads."""
    area = gpd.GeoDataFrame({"name": ["town"]}, geometry=[box(0, 0, 3000, 2000)], crs=crs)
    roads = [
        LineString([(0, 1000), (3000, 1000)]),
        LineString([(1500, 0), (1500, 2000)]),
        LineString([(700, 0), (700, 1000)]),
    ]
    barriers = gpd.GeoDataFrame({"highway": ["primary", "primary", "residential"]}, geometry=roads, crs=crs)
    rows = []
    for cx, cy, n in [(300, 300, 12), (2300, 1500, 15)]:
        for i in range(n):
            x, y = cx + (i % 4) * 30, cy + (i // 4) * 30
            rows.append((box(x, y, x + 12, y + 12), "residential", 4))
    rows.append((box(520, 650, 530, 660), "residential", 2))  # a hamlet of one house, 2 households
    rows.append((box(2600, 300, 2650, 350), "education", 0))  # a school building
    buildings = gpd.GeoDataFrame(
        {"building_type": [r[1] for r in rows], "households": [r[2] for r in rows]},
        geometry=[r[0] for r in rows],
        crs=crs,
    )
    landuse = gpd.GeoDataFrame(
        {"landuse_class": ["farmland", "forest", "school"], "name": [None, None, "No.1 School"]},
        geometry=[box(800, 0, 1400, 900), box(0, 1100, 1400, 2000), box(2500, 200, 2800, 500)],
        crs=crs,
    )
    pois = gpd.GeoDataFrame({"poi_kind": ["school"], "name": ["No.1 School"]}, geometry=[Point(2620, 320)], crs=crs)
    return area, buildings, barriers, landuse, pois


class TestRules:
    def test_shipped_table_loads_and_uses_only_known_types(self):
        rules = d.load_rules()
        assert {r.grid_type for r in rules.rules} <= set(GRID_TYPE_CODES)
        assert rules.by_role("residential")[0].target_load == 400
        village = rules.by_type("village")
        assert village.role == "village" and village.cluster_distance_m > 0 and village.max_load > 0
        assert rules.land_type_of("farmland") == "farmland"
        assert rules.land_type_of("wood") == "forest"
        assert rules.by_type("enterprise").matches("poi", "university")

    def _write(self, tmp_path, body):
        path = tmp_path / "rules.csv"
        header = "grid_type,role,match,min_site_area_m2,load_rule,target_load,tolerance,max_area_m2\n"
        path.write_text(header + body, encoding="utf-8")
        return path

    def test_unknown_grid_type_is_named(self, tmp_path):
        path = self._write(
            tmp_path, "residential,residential,,,households,400,0.2,\nschoolyard,site,poi=school,1000,whole,,,\n"
        )
        with pytest.raises(InputError) as error:
            d.load_rules(path)
        assert "schoolyard" in str(error.value) and "Row 3" in str(error.value) and "village" in str(error.value)

    def test_bad_number_and_repeated_type_and_missing_residential(self, tmp_path):
        with pytest.raises(InputError, match="target_load is 'many'"):
            d.load_rules(self._write(tmp_path, "residential,residential,,,households,many,0.2,\n"))
        with pytest.raises(InputError, match="two rows"):
            d.load_rules(
                self._write(
                    tmp_path,
                    "residential,residential,,,households,400,0.2,\nresidential,residential,,,households,300,0.2,\n",
                )
            )
        with pytest.raises(InputError, match="no row with the role 'residential'"):
            d.load_rules(self._write(tmp_path, "village,village,,,households,400,0.2,\n"))
        with pytest.raises(InputError, match="key=value"):
            d.load_rules(self._write(tmp_path, "residential,residential,colour=red,,households,400,0.2,\n"))
        with pytest.raises(InputError, match="does not exist"):
            d.load_rules(tmp_path / "nope.csv")


class TestVillages:
    def test_single_linkage_and_hamlet_merge(self):
        houses = [box(x, 0, x + 10, 10) for x in (0, 30, 60)] + [box(x, 0, x + 10, 10) for x in (1000, 1030, 1060)]
        hamlet = [box(300, 0, 305, 5)]  # nearer the west village
        buildings = gpd.GeoDataFrame({"households": [3] * 6 + [1]}, geometry=houses + hamlet, crs=CRS)
        out = d.cluster_buildings(buildings, 50, min_buildings=2, min_households=4)
        assert out["cluster"].nunique() == 3
        assert out["village"].tolist() == [0, 0, 0, 1, 1, 1, 0]
        assert out["is_hamlet"].tolist() == [False] * 6 + [True]

    def test_distance_parameter_decides(self):
        houses = [box(x, 0, x + 10, 10) for x in (0, 100, 200)]
        buildings = gpd.GeoDataFrame({"households": [5, 5, 5]}, geometry=houses, crs=CRS)
        assert d.cluster_buildings(buildings, 95, min_buildings=1, min_households=1)["village"].nunique() == 1
        assert d.cluster_buildings(buildings, 85, min_buildings=1, min_households=1)["village"].nunique() == 3


class TestSites:
    def test_threshold_poi_and_building_snap(self):
        rules = d.load_rules()
        area = box(0, 0, 2000, 2000)
        campus = box(100, 100, 400, 400)  # 9 ha
        small = box(1000, 1000, 1050, 1050)  # 0.25 ha: below the 2 ha threshold
        landuse = gpd.GeoDataFrame(
            {"landuse_class": ["institutional", "school"], "name": ["Campus", "Kindergarten"]},
            geometry=[campus, small],
            crs=CRS,
        )
        pois = gpd.GeoDataFrame({"poi_kind": ["university"], "name": ["CUHK"]}, geometry=[Point(200, 200)], crs=CRS)
        straddling = box(340, 200, 420, 220)  # three quarters inside the campus
        mostly_out = box(390, 300, 450, 320)  # one sixth inside
        buildings = gpd.GeoDataFrame({"households": [0, 0]}, geometry=[straddling, mostly_out], crs=CRS)
        sites = d.detect_sites(area, rules, landuse=landuse, pois=pois, buildings=buildings)
        assert len(sites) == 1
        site = sites.iloc[0]
        assert site.grid_type == "enterprise" and site["name"] == "CUHK" and site.source == "poi"
        assert site.geometry.covers(straddling)
        assert shapely.area(shapely.intersection(site.geometry, mostly_out)) < 1e-6


class TestPartitionByType:
    @pytest.mark.parametrize("land_mode", ["attach", "area"])
    def test_typed_tiling(self, land_mode):
        area, buildings, barriers, landuse, pois = scene()
        result = d.partition_by_type(
            area, buildings, barriers, landuse=landuse, pois=pois, land_mode=land_mode, partition_fn=_no_partition
        )
        grids = result.grids
        union = shapely.union_all(grids.geometry.values)
        assert abs(union.area - area.area.sum()) < 1.0  # no gap
        assert abs(grids.area.sum() - union.area) < 1.0  # no overlap
        assert set(grids["grid_type"]) <= set(GRID_TYPE_CODES)
        assert (result.building_grid >= 0).all()
        # each village lies in a village grid, and no grid holds two villages
        villages = result.villages[result.villages.settlement_type == "village"]
        assert len(villages) == 2
        for hull in villages.geometry:
            holders = grids[grids.intersects(hull.buffer(-0.01))]
            assert set(holders["grid_type"]) == {"village"}
        per_grid = grids.geometry.apply(lambda g: int(sum(g.intersects(h.buffer(-0.01)) for h in villages.geometry)))
        assert per_grid.max() == 1
        assert grids.loc[grids.grid_type == "enterprise", "site_name"].tolist() == ["No.1 School"]
        assert grids["grid_code"].is_unique
        assert grids.loc[grids.grid_type == "village", "load"].sum() == 12 * 4 + 15 * 4 + 2
        if land_mode == "area":
            assert {"farmland", "forest"} <= set(grids["grid_type"])
        else:
            # the farmland shares its major block with the west village and is attached to it; the forest
            # is cut off from both villages by primary roads, so it is open land of its own
            assert "farmland" not in set(grids["grid_type"])
            assert grids.loc[grids.grid_type == "forest", "load"].tolist() == [0]
        # no village, site or land grid crosses a primary road
        for road in barriers.geometry[barriers.highway == "primary"]:
            crossing = grids[grids.geometry.apply(lambda g, r=road: g.buffer(-0.5).intersects(r))]
            assert crossing.empty, crossing[["grid_type", "load"]]
        assert (shapely.get_num_geometries(grids.geometry.values) == 1).all()
        assert not grids["flag"].astype(bool).any() or grids.loc[grids.flag.astype(bool), "flag_reason"].all()

    def test_locked_grids_are_kept_and_must_not_overlap(self):
        area, buildings, barriers, landuse, pois = scene()
        locked = gpd.GeoDataFrame(
            {"grid_code": ["440307001001001"], "grid_type": ["scenic"]}, geometry=[box(1600, 0, 2400, 900)], crs=CRS
        )
        result = d.partition_by_type(
            area, buildings, barriers, landuse=landuse, locked=locked, partition_fn=_no_partition
        )
        kept = result.grids[result.grids["locked"]]
        assert kept["grid_code"].tolist() == ["440307001001001"]
        assert kept.geometry.iloc[0].equals(locked.geometry.iloc[0])
        assert abs(shapely.union_all(result.grids.geometry.values).area - 6e6) < 1.0
        assert result.grids["grid_code"].is_unique
        overlapping = gpd.GeoDataFrame(
            {"grid_code": ["A001", "A002"]}, geometry=[box(0, 0, 100, 100), box(50, 50, 150, 150)], crs=CRS
        )
        with pytest.raises(InputError, match="A001/A002"):
            d.partition_by_type(area, buildings, barriers, locked=overlapping, partition_fn=_no_partition)

    def test_parents_keep_their_villages_and_codes(self):
        area, buildings, barriers, landuse, pois = scene()
        parents = gpd.GeoDataFrame(
            {"code": ["440307001001", "440307001002"]},
            geometry=[box(0, 0, 1500, 2000), box(1500, 0, 3000, 2000)],
            crs=CRS,
        )
        result = d.partition_by_type(
            parents,
            buildings,
            barriers,
            landuse=landuse,
            pois=pois,
            parent_code_field="code",
            partition_fn=_no_partition,
        )
        grids = result.grids
        villages = grids[grids.grid_type == "village"]
        assert sorted(villages["parent_code"]) == ["440307001001", "440307001002"]
        assert villages["village_id"].is_unique
        assert all(c.startswith(p) for c, p in zip(grids["grid_code"], grids["parent_code"]))
        for parent in parents.itertuples():
            inside = grids[grids.parent_code == parent.code]
            assert abs(shapely.union_all(inside.geometry.values).area - parent.geometry.area) < 1.0

    def test_village_rule_may_group_small_villages(self, tmp_path):
        area, buildings, barriers, landuse, pois = scene()
        table = d.DEFAULT_RULES_PATH.read_text(encoding="utf-8").splitlines()
        header = table[0].split(",")
        column = header.index("merge_distance_m")
        rows = []
        for line in table:
            if line.startswith("village,"):
                cells = next(__import__("csv").reader([line]))
                cells[column] = "2500"
                line = ",".join(f'"{c}"' if "," in c else c for c in cells)
            rows.append(line)
        path = tmp_path / "rules.csv"
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")
        rules = d.load_rules(path)
        assert rules.by_type("village").merge_distance_m == 2500
        barriers = barriers.assign(highway="residential")  # no major road between the two villages
        grouped = d.partition_by_type(
            area, buildings, barriers, landuse=landuse, pois=pois, rules=rules, partition_fn=_no_partition
        )
        villages = grouped.villages[grouped.villages.settlement_type == "village"]
        assert len(villages) == 1 and villages["n_villages"].iloc[0] == 2
        assert (grouped.grids.grid_type == "village").sum() == 1
        apart = d.partition_by_type(area, buildings, barriers, landuse=landuse, pois=pois, partition_fn=_no_partition)
        assert (apart.grids.grid_type == "village").sum() == 2
        assert (apart.villages["n_villages"] == 1).all()

    def test_bad_inputs(self):
        area, buildings, barriers, *_ = scene()
        with pytest.raises(InputError, match="geographic"):
            d.partition_by_type(area.to_crs(4326), buildings.to_crs(4326), partition_fn=_no_partition)
        with pytest.raises(InputError, match="empty"):
            d.partition_by_type(area.iloc[:0], buildings, partition_fn=_no_partition)
        with pytest.raises(InputError, match="land mode"):
            d.partition_by_type(area, buildings, land_mode="sea", partition_fn=_no_partition)

    def test_town_is_partitioned_at_the_household_target(self):
        """A settlement above urban_min_households goes to the household partition; grids are residential."""
        area, buildings, barriers, landuse, pois = scene()
        # a dense town of 40 apartment blocks × 30 households in the north-east block
        blocks = [
            box(1600 + (i % 8) * 40, 1100 + (i // 8) * 40, 1620 + (i % 8) * 40, 1120 + (i // 8) * 40) for i in range(40)
        ]
        town = gpd.GeoDataFrame(
            {"building_type": ["residential"] * 40, "households": [30] * 40}, geometry=blocks, crs=CRS
        )
        all_buildings = gpd.GeoDataFrame(
            __import__("pandas").concat([buildings, town], ignore_index=True), geometry="geometry", crs=CRS
        )
        result = d.partition_by_type(
            area, all_buildings, barriers, landuse=landuse, pois=pois, urban_min_households=500, target_load=300
        )
        residential = result.grids[result.grids.grid_type == "residential"]
        assert len(residential) >= 3
        assert residential["load"].sum() >= 40 * 30
        assert np.isclose(result.grids.area.sum(), 6e6, atol=1.0)


def test_barriers_without_a_class_column_are_all_unit_edges_and_none_major():
    """One merged barrier layer without classes: grids still tile and follow the lines; villages stay whole."""
    area, buildings, barriers, landuse, pois = scene()
    merged = barriers.drop(columns="highway")
    result = d.partition_by_type(area, buildings, merged, landuse=landuse, pois=pois, partition_fn=_no_partition)
    grids = result.grids
    assert abs(shapely.union_all(grids.geometry.values).area - 6e6) < 1.0
    assert (shapely.get_num_geometries(grids.geometry.values) == 1).all()
    villages = grids[grids.grid_type == "village"]
    assert len(villages) == 2 and villages["village_id"].is_unique


def test_a_village_above_its_target_but_not_its_maximum_stays_whole_and_is_flagged(tmp_path):
    area, buildings, barriers, landuse, pois = scene()
    table = d.DEFAULT_RULES_PATH.read_text(encoding="utf-8").replace(",households,,0.3,800,", ",households,80,0.3,800,")
    path = tmp_path / "rules.csv"
    path.write_text(table, encoding="utf-8")
    assert d.load_rules(path).by_type("village").target_load == 80
    bigger = buildings.copy()
    east = bigger.geometry.centroid.x > 2000
    bigger.loc[east & (bigger.building_type == "residential"), "households"] = 8  # 15 houses: 120 households
    result = d.partition_by_type(
        area, bigger, barriers, landuse=landuse, pois=pois, rules=path, partition_fn=_no_partition
    )
    village = result.grids[(result.grids.grid_type == "village") & (result.grids.load == 120)]
    assert len(village) == 1
    assert village["flag_reason"].iloc[0] == d.FLAG_REASONS["village_above"]
