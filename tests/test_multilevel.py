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
    assert all(len(c) == 9 + 2 + 2 + 3 for c in finest["grid_code"])
    assert all(c.startswith(p) for c, p in zip(finest["grid_code"], finest["parent_code"]))
    # contiguous, balanced groups
    assert (shapely.get_num_geometries(middle.geometry.values) == 1).all()
    assert (shapely.get_num_geometries(top.geometry.values) == 1).all()
    assert middle["load"].std() / middle["load"].mean() < 0.2
    assert middle["n_children"].sum() == 600 and top["n_children"].sum() == 25
    assert result.membership.shape == (600, 3)


def test_given_parent_layer_with_codes_and_generated_middle_level():
    grids = lattice(20, 10)
    communities = gpd.GeoDataFrame(
        {"code": ["440307001001", "440307001002"], "name": ["东社区", "西社区"]},
        geometry=[box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000)],
        crs=CRS,
    )
    result = m.build_levels(
        grids, [m.LevelSpec(layer=communities, code_field="code", name_field="name"), m.LevelSpec(group_size=20)]
    )
    top, middle, finest = result.levels
    assert top["grid_code"].tolist() == ["440307001001", "440307001002"]
    assert top["name"].tolist() == ["东社区", "西社区"]
    assert len(middle) == 10
    # every middle grid lies inside one community: nesting follows the given layer
    assert all(v["exact"] for v in m.check_nesting(result.levels).values())
    west = middle[middle["parent_code"] == "440307001001"]
    assert (west.geometry.bounds["maxx"] <= 1000 + 1e-6).all()


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
