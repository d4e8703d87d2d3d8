"""The scorecard agrees with an independent computation (geopandas overlay/sjoin) on real plans.

Two real plans on each prepared real case (Kotka at 400 households per grid, Heinersreuth at 150;
OpenStreetMap, households by the shared convention): the partition engine's grids, and a regular 250 m square grid clipped to the area
(which cuts buildings and ignores roads). The independent computation uses a different code path:
geopandas overlay for pieces, dissolve for unions, pairwise shared boundaries for internal edges and a
dissolved barrier buffer for adherence.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from gridplanner.grid_plugin.core.assess.scorecard import assess
from gridplanner.grid_plugin.core.assess.validate import validate_plan
from helpers import prepared_sample

CASES = {"kotka": 400, "heinersreuth": 150}  # households per grid (the partition benchmark's targets)


@pytest.fixture(scope="module", params=sorted(CASES))
def kotka(request):
    """A prepared real case (named kotka for history; also Heinersreuth) with its barriers and target."""
    path = prepared_sample(request.param)
    layers = {n: gpd.read_file(path, layer=n) for n in ("boundary", "buildings", "roads", "waterways", "railways")}
    barriers = pd.concat(
        [
            layers["roads"][["geometry"]].assign(cls=layers["roads"]["highway"]),
            layers["waterways"][["geometry"]].assign(cls="river"),
            layers["railways"][["geometry"]].assign(cls="rail"),
        ],
        ignore_index=True,
    )
    layers["barriers"] = gpd.GeoDataFrame(barriers, crs=layers["roads"].crs)
    layers["target"] = CASES[request.param]
    return layers


@pytest.fixture(scope="module")
def partition_plan(kotka):
    from gridplanner.grid_plugin.core.partition.engine import partition

    result = partition(
        kotka["boundary"], kotka["buildings"], kotka["barriers"], barrier_class_field="cls", target_load=kotka["target"]
    )
    return result.grids


@pytest.fixture(scope="module")
def square_plan(kotka):
    area = kotka["boundary"].geometry.union_all()
    minx, miny, maxx, maxy = area.bounds
    cells = [
        shapely.box(x, y, x + 250, y + 250) for x in np.arange(minx, maxx, 250) for y in np.arange(miny, maxy, 250)
    ]
    grids = gpd.GeoDataFrame(geometry=cells, crs=kotka["boundary"].crs).clip(area)
    grids = grids[grids.geometry.area > 1.0].explode(index_parts=False).reset_index(drop=True)
    grids = grids[grids.geometry.geom_type == "Polygon"]
    return gpd.GeoDataFrame(geometry=grids.geometry.values, crs=kotka["boundary"].crs)


def independent(grids, kotka, target=400, adherence_m=5.0):
    """The plan metrics (grid_plugin.core.assess.metrics) computed another way."""
    boundary, buildings = kotka["boundary"], kotka["buildings"]
    grids = grids.reset_index(drop=True).assign(gid=lambda f: np.arange(len(f)))
    area_m2 = boundary.area.sum()
    union = grids.dissolve().geometry.iloc[0]
    gap = gpd.overlay(boundary, gpd.GeoDataFrame(geometry=[union], crs=grids.crs), how="difference").area.sum()
    pairs = gpd.sjoin(grids, grids, predicate="intersects")
    pairs = pairs[pairs["gid_left"] < pairs["gid_right"]]
    overlap = sum(
        grids.geometry.iloc[i].intersection(grids.geometry.iloc[j]).area
        for i, j in zip(pairs["gid_left"], pairs["gid_right"])
    )
    # pieces of buildings in grids
    b = buildings.reset_index(drop=True).assign(bid=lambda f: np.arange(len(f)), barea=lambda f: f.area)
    pieces = gpd.overlay(b[["bid", "barea", "households", "geometry"]], grids[["gid", "geometry"]], how="intersection")
    pieces["parea"] = pieces.area
    threshold = np.minimum(pieces["barea"] * 1e-6, 0.01)
    significant = pieces[pieces["parea"] > threshold]
    cut = int((significant.groupby("bid").size() >= 2).sum())
    best = significant.sort_values(["bid", "parea", "gid"], ascending=[True, False, True]).drop_duplicates("bid")
    if "load" in grids.columns:
        loads = grids["load"].to_numpy(float)
    else:
        loads = best.groupby("gid")["households"].sum().reindex(grids["gid"], fill_value=0).to_numpy(float)
    deviation = np.abs(loads - target) / target
    pp = 4 * np.pi * grids.area / grids.length**2
    parts = grids.geometry.apply(lambda g: len(getattr(g, "geoms", [g])))
    # internal edges: the shared boundary of every pair of grids
    # (within 1 mm: partition edges shared by two grids can differ by rounding, and an exact intersection
    # of two nearly coincident lines is empty)
    shared = [
        grids.geometry.iloc[i].boundary.intersection(grids.geometry.iloc[j].boundary.buffer(1e-3))
        for i, j in zip(pairs["gid_left"], pairs["gid_right"])
    ]
    shared = gpd.GeoSeries(shared, crs=grids.crs)
    shared = shared[shared.length > 0]
    zone = kotka["barriers"].geometry.union_all().buffer(adherence_m)
    adherent = shared.intersection(zone).length.sum()
    return {
        "coverage_pct": 100 * (area_m2 - gap) / area_m2,
        "gap_m2": gap,
        "overlap_m2": overlap,
        "contiguous_share": float((parts == 1).mean()),
        "load_cv": loads.std() / loads.mean(),
        "max_abs_deviation_pct": deviation.max() * 100,
        "share_within_10": float((deviation <= 0.1 + 1e-12).mean()),
        "share_within_20": float((deviation <= 0.2 + 1e-12).mean()),
        "polsby_popper_mean": pp.mean(),
        "polsby_popper_min": pp.min(),
        "internal_edge_m": shared.length.sum(),
        "boundary_adherence": adherent / shared.length.sum(),
        "n_cut_buildings": cut,
        "cut_building_share": cut / len(buildings),
        "loads": loads,
    }


def compare(card, expected):
    m = card.metrics
    assert m["coverage_pct"] == pytest.approx(expected["coverage_pct"], abs=1e-6)
    assert m["gap_m2"] == pytest.approx(expected["gap_m2"], abs=0.01)
    assert m["overlap_m2"] == pytest.approx(expected["overlap_m2"], abs=0.01)
    assert m["contiguous_share"] == pytest.approx(expected["contiguous_share"])
    assert m["load_cv"] == pytest.approx(expected["load_cv"], rel=1e-9)
    assert m["max_abs_deviation_pct"] == pytest.approx(expected["max_abs_deviation_pct"], rel=1e-9)
    assert m["share_within_10"] == pytest.approx(expected["share_within_10"])
    assert m["share_within_20"] == pytest.approx(expected["share_within_20"])
    assert m["polsby_popper_mean"] == pytest.approx(expected["polsby_popper_mean"], rel=1e-9)
    assert m["polsby_popper_min"] == pytest.approx(expected["polsby_popper_min"], rel=1e-9)
    assert m["n_cut_buildings"] == expected["n_cut_buildings"]
    assert m["cut_building_share"] == pytest.approx(expected["cut_building_share"])
    # two constructions of the internal edges and of the 5 m zone (dissolved buffer vs per-segment buffers)
    assert m["internal_edge_m"] == pytest.approx(expected["internal_edge_m"], rel=2e-3)
    assert m["boundary_adherence"] == pytest.approx(expected["boundary_adherence"], abs=5e-3)
    np.testing.assert_allclose(card.table["load"].to_numpy(float), expected["loads"])


def test_partition_plan_scorecard_agrees(kotka, partition_plan):
    target = kotka["target"]
    card = assess(partition_plan, kotka["boundary"], kotka["buildings"], kotka["barriers"], target_load=target)
    compare(card, independent(partition_plan, kotka, target))
    # and the partition engine's own per-grid numbers agree with ours
    np.testing.assert_allclose(card.table["polsby_popper"], partition_plan["polsby_popper"], rtol=1e-6)
    np.testing.assert_allclose(card.table["deviation_pct"], partition_plan["deviation_pct"], rtol=1e-6, atol=1e-6)


def test_square_plan_scorecard_agrees(kotka, square_plan):
    target = kotka["target"]
    card = assess(square_plan, kotka["boundary"], kotka["buildings"], kotka["barriers"], target_load=target)
    expected = independent(square_plan, kotka, target)
    compare(card, expected)
    # a regular grid cuts buildings and ignores roads: the verdicts say so
    assert expected["n_cut_buildings"] > 0
    assert card.verdicts["completeness"]["verdict"] != "pass"
    assert card.verdicts["convenience"]["verdict"] != "pass"


def test_partition_plan_validates_clean_of_tiling_problems(kotka, partition_plan):
    result = validate_plan(partition_plan, kotka["boundary"], None, kotka["buildings"], check_load=False)
    for kind in ("gap", "overlap", "multipart", "cut_building", "duplicate_code", "malformed_code", "invalid_geometry"):
        assert result.counts[kind] == 0, result.problems[result.problems["kind"] == kind]["message"].tolist()
