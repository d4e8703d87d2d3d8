"""The partition engine's guarantees: grids stay put where nothing changed, guards, tree height, T-junctions."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import scipy.sparse as sp
import shapely
from gridplanner.grid_plugin.core.errors import InputError, Report
from gridplanner.grid_plugin.core.partition.engine import partition
from gridplanner.grid_plugin.core.partition.graph import choose_part_count, part_connected, partition_graph
from gridplanner.grid_plugin.core.partition.units import unit_adjacency
from gridplanner.grid_plugin.core.synthetic import synthetic_town

CRS = "EPSG:4547"
FEET_PER_METRE = 1 / 0.3048006096012192  # US survey foot (EPSG:2227)


@pytest.fixture(scope="module")
def two_parents():
    town = synthetic_town(3000, seed=5, n_parents=2)
    assert len(town["area"]) == 2
    return town


def _grid_bytes(grids, parent):
    rows = grids[grids["parent_code"].str[-3:] == parent].sort_values("grid_code")  # 12-digit parent codes
    return [
        (code, float(load), shapely.to_wkb(geometry))
        for code, load, geometry in zip(rows["grid_code"], rows["load"], rows.geometry, strict=True)
    ]


def test_a_change_in_one_parent_leaves_the_other_parents_grids_byte_identical(two_parents):
    town = two_parents
    area, buildings, roads = town["area"], town["buildings"], [town["roads"], town["waterways"]]
    before = partition(area, buildings, roads, parent_code_field="code", target_load=300)
    codes = area["code"].tolist()
    points = shapely.point_on_surface(buildings.geometry.values)
    in_second = shapely.contains(area.geometry.values[1], points)
    changed = buildings.copy()
    changed.loc[in_second, "households"] = (changed.loc[in_second, "households"] * 0.6).round()
    after = partition(area, changed, roads, parent_code_field="code", target_load=300)
    # the second parent really changed ...
    assert _grid_bytes(after.grids, codes[1]) != _grid_bytes(before.grids, codes[1])
    # ... and the first parent's grids did not move by a byte
    assert _grid_bytes(after.grids, codes[0]) == _grid_bytes(before.grids, codes[0])
    # without a code field the identity is the parent's geometry: the same holds
    plain_before = partition(area[["geometry"]], buildings, roads, target_load=300)
    plain_after = partition(area[["geometry"]], changed, roads, target_load=300)
    assert _grid_bytes(plain_after.grids, "001") == _grid_bytes(plain_before.grids, "001")


def test_the_number_of_worker_threads_never_changes_the_result(two_parents):
    town = two_parents
    args = (town["area"], town["buildings"], [town["roads"], town["waterways"]])
    one = partition(*args, parent_code_field="code", target_load=300, workers=1)
    two = partition(*args, parent_code_field="code", target_load=300, workers=2)
    assert one.grids.drop(columns="geometry").equals(two.grids.drop(columns="geometry"))
    assert shapely.to_wkb(one.grids.geometry.values).tolist() == shapely.to_wkb(two.grids.geometry.values).tolist()
    assert np.array_equal(one.building_grid, two.building_grid)


_CHILD = """
import hashlib, sys
import shapely
from gridplanner.grid_plugin.core.partition.engine import partition
from gridplanner.grid_plugin.core.synthetic import synthetic_town
town = synthetic_town(1500, seed=2, n_parents=2)
result = partition(town["area"], town["buildings"], [town["roads"], town["waterways"]], parent_code_field="code",
                   target_load=250)
digest = hashlib.sha256()
for code, load, geometry in zip(result.grids["grid_code"], result.grids["load"], result.grids.geometry, strict=True):
    digest.update(code.encode()); digest.update(repr(float(load)).encode()); digest.update(shapely.to_wkb(geometry))
print("DIGEST", len(result.grids), digest.hexdigest())
"""


def test_same_grids_in_processes_with_different_hash_seeds():
    link_dir = next(p for p in sys.path if (Path(p) / "gridplanner").is_symlink())
    digests = set()
    for hash_seed in ("0", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": link_dir}
        done = subprocess.run(
            [sys.executable, "-c", _CHILD], capture_output=True, text=True, env=env, cwd="/", check=False
        )
        lines = [line for line in done.stdout.splitlines() if line.startswith("DIGEST")]
        assert lines, done.stderr[-2000:]
        digests.add(lines[-1])
    assert len(digests) == 1, digests
    assert int(next(iter(digests)).split()[1]) > 5


# ------------------------------------------------------------------------------------------- guards
@pytest.mark.parametrize("bad", [np.nan, np.inf, -1.0])
def test_partition_graph_refuses_nan_inf_and_negative_loads(bad):
    adj = sp.diags([np.ones(9), np.ones(9)], [1, -1], shape=(10, 10)).tocsr()
    loads = np.ones(10)
    loads[3] = bad
    with pytest.raises(InputError, match="loads are not a finite number of 0 or more"):
        partition_graph(adj, loads, 2)


def test_choose_part_count_refuses_nan():
    with pytest.raises(InputError, match="not a finite number"):
        choose_part_count(float("nan"), 400)


@pytest.mark.parametrize("bad", [np.inf, -5.0])
def test_partition_refuses_negative_and_infinite_loads(two_parents, bad):
    buildings = two_parents["buildings"].astype({"households": float})
    buildings.loc[7, "households"] = bad
    with pytest.raises(InputError, match="are not numbers \\(e.g. inf\\)|negative households"):
        partition(two_parents["area"], buildings, two_parents["roads"], target_load=300)


def test_fewer_parts_than_asked_is_a_warning_with_the_reason():
    adj = sp.diags([np.ones(2), np.ones(2)], [1, -1], shape=(3, 3)).tocsr()
    report = Report()
    labels = partition_graph(adj, np.ones(3), 5, report=report)
    assert labels.max() + 1 == 3
    assert any("5 parts were asked for but only 3 were made" in w.message for w in report.warnings)


def test_missing_crs_is_refused_never_taken_as_metres(two_parents):
    area = two_parents["area"].set_crs(None, allow_override=True)
    with pytest.raises(InputError, match="no CRS"):
        partition(area, two_parents["buildings"], two_parents["roads"], target_load=300)


def test_a_crs_in_feet_gives_the_same_plan_in_square_metres():
    town = synthetic_town(1200, seed=4)
    metres = partition(town["area"], town["buildings"], town["roads"], target_load=300)

    def to_feet(frame):
        scaled = shapely.transform(frame.geometry.values, lambda xy: (xy - (500_000, 2_500_000)) * FEET_PER_METRE)
        return gpd.GeoDataFrame(frame.drop(columns="geometry"), geometry=scaled, crs="EPSG:2227")

    feet = partition(to_feet(town["area"]), to_feet(town["buildings"]), to_feet(town["roads"]), target_load=300)
    assert len(feet.grids) == len(metres.grids)
    assert feet.grids["area_m2"].sum() == pytest.approx(metres.grids["area_m2"].sum(), rel=1e-6)
    # the same units (tolerances scale with the unit), the same load, as balanced
    assert feet.stats["n_units"] == metres.stats["n_units"]
    assert feet.stats["n_split_blocks"] == metres.stats["n_split_blocks"]
    assert feet.grids["load"].sum() == metres.grids["load"].sum()
    assert feet.grids["flag"].sum() <= metres.grids["flag"].sum() + 1


# ---------------------------------------------------------------------------- tree height, T-junctions
@pytest.mark.parametrize("n_units", [20_000, 80_000])
def test_a_long_ribbon_of_units_is_split_into_balanced_connected_parts(n_units):
    """A path graph (a village strung along a valley road): the deepest possible spanning tree."""
    adj = sp.diags([np.ones(n_units - 1), np.ones(n_units - 1)], [1, -1], shape=(n_units, n_units)).tocsr()
    loads = np.random.default_rng(1).integers(1, 5, n_units).astype(float)
    n_parts = n_units // 400
    labels = partition_graph(adj, loads, n_parts, tolerance=0.1, seed=3)
    assert labels.max() + 1 == n_parts
    # on a path every part is one run of consecutive units
    assert (np.diff(labels) != 0).sum() == n_parts - 1
    part_load = np.bincount(labels, weights=loads)
    assert np.abs(part_load / (loads.sum() / n_parts) - 1).max() <= 0.1


def test_t_junction_neighbours_are_found():
    """Two small boxes under one long one: the long box has no vertex where the small ones meet."""
    units = np.array(
        [
            shapely.box(0, 0, 10, 10),
            shapely.box(10, 0, 20, 10),
            shapely.Polygon([(0, 10), (20, 10), (20, 20), (0, 20)]),
            shapely.Polygon([(20, 0), (20, 5), (20, 20), (30, 20), (30, 0)]),  # a vertex at (20, 5) on one side
        ],
        dtype=object,
    )
    adjacency = unit_adjacency(units, np.zeros(4, dtype=np.int64), [], [])
    length = adjacency["length"].toarray()
    assert length[2, 0] == pytest.approx(10) and length[2, 1] == pytest.approx(10)
    assert length[1, 3] == pytest.approx(10) and length[2, 3] == pytest.approx(10)
    assert np.allclose(length, length.T)
    labels = partition_graph(adjacency["length"], np.ones(4), 2, seed=0)
    assert all(part_connected(adjacency["length"], np.flatnonzero(labels == p)) for p in range(2))
    # every boundary segment is in the outline list once, noded where the T-junctions are
    start, end, left, right = adjacency["segments"]
    assert (right >= 0).sum() == 6  # 0-1, 0-2, 1-2, 2-3 and 1-3 in two pieces (split at y=5)
    assert np.hypot(*(end - start).T).sum() == pytest.approx(sum(u.length for u in units) - 50)


def test_tiled_layers_keep_real_attributes(two_parents):
    from gridplanner.grid_plugin.core.synthetic import tile_layers

    tiled = tile_layers({"boundary": two_parents["area"], "buildings": two_parents["buildings"]}, 2)
    assert len(tiled["buildings"]) == 4 * len(two_parents["buildings"])
    assert tiled["buildings"]["households"].sum() == 4 * two_parents["buildings"]["households"].sum()
    assert tiled["boundary"]["code"].tolist() == [f"{i:03d}" for i in range(1, 9)]
    digest = {hashlib.sha256(shapely.to_wkb(g)).hexdigest() for g in tiled["boundary"].geometry}
    assert len(digest) == 8  # every tile shifted, none on top of another
