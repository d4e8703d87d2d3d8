"""Synthetic towns: exact size, deterministic, buildings never on a street, parents tile the town."""

from __future__ import annotations

import numpy as np
import shapely
from gridplanner.grid_plugin.core.synthetic import SYNTHETIC_CRS, synthetic_town


def test_exact_count_and_columns():
    town = synthetic_town(1234, seed=4)
    buildings = town["buildings"]
    assert len(buildings) == 1234
    assert {"building", "building_type", "levels", "households"} <= set(buildings.columns)
    assert buildings.crs.to_string() == SYNTHETIC_CRS
    assert (buildings["households"] >= 0).all()
    assert buildings.loc[buildings["building_type"] != "residential", "households"].eq(0).all()
    assert set(town["roads"]["highway"]) >= {"primary", "residential"}


def test_deterministic_per_seed():
    a = synthetic_town(800, seed=7)
    b = synthetic_town(800, seed=7)
    c = synthetic_town(800, seed=8)
    assert shapely.equals(a["buildings"].geometry.values, b["buildings"].geometry.values).all()
    assert a["buildings"]["households"].tolist() == b["buildings"]["households"].tolist()
    assert not np.array_equal(a["buildings"]["households"].to_numpy(), c["buildings"]["households"].to_numpy())


def test_buildings_never_touch_streets_or_each_other():
    town = synthetic_town(3000, seed=1)
    footprints = town["buildings"].geometry.values
    lines = np.concatenate([town["roads"].geometry.values, town["waterways"].geometry.values])
    assert shapely.STRtree(footprints).query(lines, predicate="intersects").shape[1] == 0
    left, right = shapely.STRtree(footprints).query(footprints, predicate="intersects")
    assert (left == right).all()
    area = shapely.union_all(town["area"].geometry.values)
    assert shapely.contains(area, footprints).all()


def test_parents_tile_the_town():
    town = synthetic_town(5000, seed=2, n_parents=4)
    parents = town["area"]
    assert len(parents) == 4
    assert parents["code"].tolist() == ["001", "002", "003", "004"]
    union = shapely.union_all(parents.geometry.values)
    assert abs(union.area - parents.area.sum()) < 1e-3
    assert abs(union.area - shapely.envelope(union).area) < 1e-3


def test_mean_households_is_tunable():
    low = synthetic_town(4000, seed=3, mean_households=2.0)["buildings"]["households"].mean()
    high = synthetic_town(4000, seed=3, mean_households=8.0)["buildings"]["households"].mean()
    assert high > 2 * low
