"""Multi-level grids: exact nesting, hierarchical codes, given parents, bad parent layers."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from gridplanner.grid_plugin.core.errors import InputError
from gridplanner.grid_plugin.core.partition import multilevel as m
from shapely.geometry import box

CRS = "EPSG:4547"


def lattice(nx=30, ny=20, side=100.0, seed=0):
    rng = np.random.default_rng(seed)
    geoms = [box(i * side, j * side, (i + 1) * side, (j + 1) * side) for i in range(nx) for j in range(ny)]
    return gpd.GeoDataFrame({"load": rng.uniform(300, 500, nx * ny)}, geometry=geoms, crs=CRS)


def test_generated_levels_nest_exactly_with_hierarchical_codes():
    grids = lattice()
    result = m.build_levels(grids, [m.LevelSpec(group_size=5), m.LevelSpec(group_size=24)], code_prefix="440307001")
    top, middle, finest = result.levels
    assert len(finest) == 600
    assert len(middle) == 25  # 600 / 24
    assert len(top) == 5  # 25 / 5
    nesting = m.check_nesting(result.levels)
    assert all(v["exact"] for v in nesting.values()), nesting
    assert finest["grid_code"].is_unique and middle["grid_code"].is_unique
    # the standard's tiers: township 9 digits (under the county), community 12, grids 15
    assert top["grid_code"].str.fullmatch(r"440307\d{3}").all()
    assert middle["grid_code"].str.fullmatch(r"440307\d{6}").all()
    assert finest["grid_code"].str.fullmatch(r"440307\d{9}").all()
    assert all(c.startswith(p) for c, p in zip(finest["grid_code"], finest["parent_code"]))
    assert all(c.startswith(p) for c, p in zip(middle["grid_code"], middle["parent_code"]))
    # contiguous, balanced groups
    assert (shapely.get_num_geometries(middle.geometry.values) == 1).all()
    assert (shapely.get_num_geometries(top.geometry.values) == 1).all()
    assert middle["load"].std() / middle["load"].mean() < 0.2
    assert middle["n_children"].sum() == 600 and top["n_children"].sum() == 25
    assert result.membership.shape == (600, 3)


def test_given_community_layer_codes_the_grids_under_its_12_digits():
    grids = lattice(20, 10)
    communities = gpd.GeoDataFrame(
        {"code": ["440307015001", "440307015002"], "name": ["东社区", "西社区"]},
        geometry=[box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000)],
        crs=CRS,
    )
    result = m.build_levels(grids, [m.LevelSpec(layer=communities, code_field="code", name_field="name")])
    top, finest = result.levels
    assert top["grid_code"].tolist() == ["440307015001", "440307015002"]
    assert top["name"].tolist() == ["东社区", "西社区"]
    assert all(v["exact"] for v in m.check_nesting(result.levels).values())
    west = finest[finest["parent_code"] == "440307015001"]
    assert len(west) == 100 and (west.geometry.bounds["maxx"] <= 1000 + 1e-6).all()
    assert west["grid_code"].str.fullmatch(r"440307015001\d{3}").all()
    # reading order: the north-west cell of the west community is 001, its east neighbour 002
    north_west = west.geometry.bounds.sort_values(["maxy", "minx"], ascending=[False, True]).index[:2]
    assert west.loc[north_west, "grid_code"].str[-3:].tolist() == ["001", "002"]


def test_given_township_layer_and_generated_community_tier():
    grids = lattice(20, 10)
    townships = gpd.GeoDataFrame(
        {"code": ["440307015000", "440307016000"]},  # the 12-digit table form of two townships
        geometry=[box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000)],
        crs=CRS,
    )
    result = m.build_levels(grids, [m.LevelSpec(layer=townships, code_field="code"), m.LevelSpec(group_size=20)])
    top, middle, finest = result.levels
    assert top["grid_code"].tolist() == ["440307015", "440307016"]
    assert len(middle) == 10
    assert middle["grid_code"].str.fullmatch(r"44030701[56]\d{3}").all()
    assert all(c.startswith(p) for c, p in zip(finest["grid_code"], finest["parent_code"]))
    assert finest["grid_code"].str.len().eq(15).all()
    assert all(v["exact"] for v in m.check_nesting(result.levels).values())


def test_codes_of_the_wrong_tier_or_too_many_levels_are_refused():
    grids = lattice(20, 10)
    communities = gpd.GeoDataFrame(
        {"code": ["440307015001", "4403070150"]}, geometry=[box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000)], crs=CRS
    )
    with pytest.raises(InputError, match=r"community tier.*4403070150 \(2\)"):
        m.build_levels(grids, [m.LevelSpec(layer=communities, code_field="code")])
    # a community layer (12 digits) cannot sit at the township tier above a generated level
    communities.loc[1, "code"] = "440307015002"
    with pytest.raises(InputError, match=r"township tier.*440307015001 \(1\)"):
        m.build_levels(grids, [m.LevelSpec(layer=communities, code_field="code"), m.LevelSpec(group_size=20)])
    with pytest.raises(InputError, match="room for two levels"):
        m.build_levels(grids, [m.LevelSpec(group_size=s) for s in (2, 4, 8)])
    with pytest.raises(InputError, match="Over a community layer .* leave the group sizes empty"):
        m.build_levels(
            grids, [m.LevelSpec(layer=communities, code_field="code"), *(m.LevelSpec(group_size=s) for s in (8, 24))]
        )


def test_parent_layer_that_does_not_cover_the_area_is_refused():
    grids = lattice(20, 10)
    short = gpd.GeoDataFrame({"code": ["A", "B"]}, geometry=[box(0, 0, 1000, 1000), box(1000, 0, 1900, 1000)], crs=CRS)
    with pytest.raises(InputError, match=r"does not cover the area: 100000 m² of 10 grids"):
        m.build_levels(grids, [m.LevelSpec(layer=short)])
    straddling = gpd.GeoDataFrame(
        {"code": ["A", "B"]}, geometry=[box(0, 0, 1050, 1000), box(1050, 0, 2000, 1000)], crs=CRS
    )
    with pytest.raises(InputError, match="straddle"):
        m.build_levels(grids, [m.LevelSpec(layer=straddling)])
    with pytest.raises(InputError, match="at least one upper level"):
        m.build_levels(grids, [])


def test_codes_west_to_east_north_to_south():
    cells = [box(0, 100, 100, 200), box(100, 100, 200, 200), box(0, 0, 100, 100), box(100, 0, 200, 100)]
    assert m.level_codes(["P"] * 4, cells, digits=3) == ["P001", "P002", "P003", "P004"]
    with pytest.raises(InputError, match="more than 1 code digits"):
        m.level_codes(["P"] * 12, [box(i, 0, i + 1, 1) for i in range(12)], digits=1)
