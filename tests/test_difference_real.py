"""The difference principle and stable re-gridding on real data (shared data; skipped without it)."""

from __future__ import annotations

import geopandas as gpd
import helpers
import numpy as np
import pandas as pd
import pytest
import shapely
from gridplanner.grid_plugin.core.difference.driver import partition_by_type
from gridplanner.grid_plugin.core.partition.engine import partition
from gridplanner.grid_plugin.core.partition.regrid import regrid

VILLAGE_SEPARATION_M = 150.0


def layers(name):
    path = helpers.prepared_sample(name)
    out = {}
    for layer in ("boundary", "buildings", "roads", "waterways", "railways", "landuse", "water", "pois"):
        try:
            out[layer] = gpd.read_file(path, layer=layer)
        except Exception:  # noqa: BLE001 - an empty layer may be absent from the GeoPackage
            out[layer] = None
    lines = [out[k] for k in ("roads", "waterways", "railways") if out[k] is not None and len(out[k])]
    out["barriers"] = pd.concat(lines, ignore_index=True)
    return out


@pytest.fixture(scope="module")
def heinersreuth():
    return layers("heinersreuth")


@pytest.mark.parametrize("land_mode", ["attach", "area"])
def test_heinersreuth_villages_are_village_grids_and_every_hectare_has_a_grid(heinersreuth, land_mode):
    data = heinersreuth
    result = partition_by_type(
        data["boundary"],
        data["buildings"],
        data["barriers"],
        landuse=data["landuse"],
        pois=data["pois"],
        water=data["water"],
        target_load=150,
        land_mode=land_mode,
    )
    grids = result.grids
    area = data["boundary"].geometry.union_all()
    union = shapely.union_all(grids.geometry.values)
    # every hectare belongs to a grid: gap and overlap below 1 m² per km²
    per_km2 = area.area / 1e6
    assert area.difference(union).area < per_km2
    assert grids.area.sum() - union.area < per_km2
    assert (shapely.get_num_geometries(grids.geometry.values) == 1).all()
    villages = result.villages[result.villages["settlement_type"] == "village"]
    assert len(villages) >= 5
    # every village's buildings lie in grids of type village, and that grid's village is theirs
    holder = result.building_grid
    village_of = result.building_village
    in_village = (village_of >= 0) & (holder >= 0)
    by_id = grids.set_index("grid_id")
    assert set(by_id.loc[holder[in_village], "grid_type"]) == {"village"}
    assert (by_id.loc[holder[in_village], "village_id"].to_numpy() == village_of[in_village]).all()
    assert set(np.unique(village_of[in_village])) == set(villages["village_id"])
    # no grid holds buildings of two villages farther apart than the separation distance
    pairs = pd.DataFrame({"grid": holder[in_village], "village": village_of[in_village]}).drop_duplicates()
    hull = villages.set_index("village_id").geometry
    for _grid, group in pairs.groupby("grid"):
        ids = group["village"].tolist()
        for i in range(len(ids)):
            for j in range(i + 1, len(ids)):
                assert hull[ids[i]].distance(hull[ids[j]]) <= VILLAGE_SEPARATION_M
    if land_mode == "area":
        assert {"forest"} & set(grids["grid_type"])


def test_shenzhen_campus_becomes_a_specialised_grid():
    data = layers("shenzhen")
    result = partition_by_type(
        data["boundary"],
        data["buildings"],
        data["barriers"],
        landuse=data["landuse"],
        pois=data["pois"],
        water=data["water"],
    )
    grids = result.grids
    # the campus is about 48 ha; its land-use outline reaches round the park into a second, detached piece
    campus = grids[grids["site_name"] == "香港中文大学（深圳）"]
    assert set(campus["grid_type"]) == {"enterprise"}
    campus_poi = data["pois"][data["pois"]["name"] == "香港中文大学（深圳）"].geometry.iloc[0]
    main = campus[campus.contains(campus_poi)]
    assert len(main) == 1 and main.area.iloc[0] > 30e4
    area = data["boundary"].geometry.union_all()
    assert abs(shapely.union_all(grids.geometry.values).area - area.area) < area.area / 1e6


def test_kotka_regrid_keeps_most_grids_while_a_fresh_partition_does_not():
    data = layers("kotka")
    base = partition(data["boundary"], data["buildings"], data["barriers"], target_load=100, seed=0).grids
    rng = np.random.default_rng(7)
    changed = data["buildings"].copy()
    changed["households"] = np.round(changed["households"] * rng.uniform(0.9, 1.1, len(changed)))
    result = regrid(base, changed, data["barriers"], target_load=100, tolerance=0.2)
    s = result.summary
    assert s["kept_share"] >= 0.8
    assert s["moved_share"] < 0.1
    assert result.plan["grid_code"].is_unique
    assert not set(result.plan.loc[result.plan.status == "new", "grid_code"]) & set(base["grid_code"])
    fresh = partition(data["boundary"], changed, data["barriers"], target_load=100, seed=0).grids
    same = sum(any(g.equals(f) for f in fresh.geometry.values) for g in base.geometry.values) / len(base)
    assert same < s["kept_share"]
