"""Plan comparison: kept, changed, new, retired; households moved between which grids; codes."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from gridplanner.grid_plugin.core.assess.compare import compare_plans
from gridplanner.grid_plugin.core.errors import InputError
from shapely.geometry import Point, box

CRS = "EPSG:4547"


def plan(geoms, codes, ids=None, load=None):
    data = {"grid_id": ids or list(range(1, len(geoms) + 1)), "grid_code": codes}
    if load is not None:
        data["load"] = load
    return gpd.GeoDataFrame(data, geometry=geoms, crs=CRS)


@pytest.fixture
def old():
    # four 10×10 grids in a row
    return plan([box(x, 0, x + 10, 10) for x in (0, 10, 20, 30)], ["A", "B", "C", "D"], load=[100, 100, 100, 100])


@pytest.fixture
def new():
    return plan(
        [
            box(0, 0, 10, 10),  # A kept
            box(10, 0, 22, 10),  # B changed: IoU = 100/120
            box(22, 0, 31, 10),  # C changed: IoU = 80/110
            box(31, 0, 35, 10),  # D split into two new grids
            box(35, 0, 40, 10),
        ],
        ["A", "B", "X", "D", "E"],
        ids=[1, 2, 3, 4, 5],
    )


def test_statuses_and_iou(old, new):
    result = compare_plans(old, new)
    changes = result.changes
    live = changes[changes["status"] != "retired"]
    assert live["status"].tolist() == ["kept", "changed", "changed", "new", "new"]
    assert live["iou"].iloc[:3].tolist() == pytest.approx([1.0, 100 / 120, 80 / 110])
    retired = changes[changes["status"] == "retired"]
    assert retired["old_grid_code"].tolist() == ["D"]
    assert retired["related"].iloc[0] == "3, 4, 5"  # D's area went to these grids
    assert result.summary["kept"] == 1
    assert result.summary["changed"] == 2
    assert result.summary["new"] == 2
    assert result.summary["retired"] == 1
    assert changes["status_zh"].iloc[0] == "保留"


def test_codes(old, new):
    s = compare_plans(old, new).summary
    assert s["codes_kept"] == 2  # A and B
    assert s["codes_changed"] == 1  # C became X
    assert s["codes_reused"] == 1  # D now names a new, unmatched grid


def test_households_moved_by_area(old, new):
    result = compare_plans(old, new)
    moves = result.moves
    # C (100 households on 100 m²) gave 20 m² to B → 20; D gave 1 m² to X, 4 m² to grid 4 and 5 m² to grid 5
    flows = {(r.from_code, r.to_code): r.households for r in moves.itertuples()}
    assert flows[("C", "B")] == pytest.approx(20.0)
    assert flows[("D", "X")] == pytest.approx(10.0)
    assert flows[("D", "D")] == pytest.approx(40.0)
    assert flows[("D", "E")] == pytest.approx(50.0)
    assert result.summary["households_moved"] == pytest.approx(120.0)
    assert result.summary["method"] == "area"
    assert moves["buildings"].isna().all()


def test_households_moved_by_buildings(old, new):
    buildings = gpd.GeoDataFrame(
        {"households": [10, 20, 30, 40, 50]},
        geometry=[
            box(1, 1, 2, 2),  # A → A: stays
            box(21, 1, 21.5, 2),  # C → B: moves
            box(25, 1, 26, 2),  # C → X (C's match): stays
            Point(33, 5),  # D → grid 4: moves (D retired)
            box(50, 50, 51, 51),  # outside both plans
        ],
        crs=CRS,
    )
    result = compare_plans(old, new, buildings)
    flows = {(r.from_code, r.to_code): (r.households, r.buildings) for r in result.moves.itertuples()}
    assert flows == {("C", "B"): (20.0, 1.0), ("D", "D"): (40.0, 1.0)}
    assert result.summary["households_moved"] == 60
    assert result.summary["buildings_moved"] == 2
    assert result.summary["households_total"] == 100  # the outside building is not counted
    live = result.changes[result.changes["status"] != "retired"]
    assert live["households_in"].tolist() == [0, 20, 0, 40, 0]
    # loads come from the plans' load field (old) or the buildings (new has none)
    assert live["load_new"].tolist() == [10, 20, 30, 40, 0]


def test_identical_plans_keep_everything(old):
    result = compare_plans(old, old.copy())
    assert result.summary["kept"] == 4
    assert result.summary["households_moved"] == 0
    assert len(result.moves) == 0
    assert result.summary["area_reassigned_m2"] == pytest.approx(0.0)


def test_an_exact_half_split_retires_the_old_grid():
    old = plan([box(0, 0, 10, 10)], ["A"], load=[100])
    new = plan([box(0, 0, 5, 10), box(5, 0, 10, 10)], ["A1", "A2"])
    s = compare_plans(old, new).summary
    assert (s["kept"], s["changed"], s["new"], s["retired"]) == (0, 0, 2, 1)


def test_bad_thresholds_and_empty_plans(old):
    with pytest.raises(InputError, match="IoU"):
        compare_plans(old, old, iou_kept=0.4, iou_same=0.5)
    with pytest.raises(InputError, match="empty"):
        compare_plans(old, old.iloc[0:0])


def test_new_plan_in_another_crs_is_reprojected(old, new):
    moved = new.to_crs("EPSG:4326")
    s = compare_plans(old.set_crs(CRS, allow_override=True), moved).summary
    assert s["kept"] == 1 and s["changed"] == 2
    assert np.isfinite(s["households_moved"])
