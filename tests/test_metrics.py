"""Plan metrics against hand computations on tiny hand-built plans (no QGIS needed)."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pytest
from gridplanner.grid_plugin.core.assess.metrics import (
    assess_plan,
    assign_buildings,
    gini,
    grid_metrics,
    internal_edges,
    lorenz_curve,
    plan_metrics,
)
from gridplanner.grid_plugin.core.errors import InputError, Report
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box

CRS = "EPSG:4547"  # CGCS2000 / 3-degree Gauss-Kruger CM 114E


def frame(geoms, crs=CRS, **columns):
    return gpd.GeoDataFrame(columns, geometry=list(geoms), crs=crs)


AREA = box(0, 0, 20, 10)


class TestTwoSquares:
    """Two 10 m squares tiling a 20×10 m area, loads 400 and 480."""

    @pytest.fixture
    def grids(self):
        return frame([box(0, 0, 10, 10), box(10, 0, 20, 10)], load=[400, 480])

    def test_completeness(self, grids):
        m = plan_metrics(grids, AREA)
        assert m["coverage_pct"] == pytest.approx(100.0)
        assert m["gap_m2"] == pytest.approx(0.0, abs=1e-9)
        assert m["overlap_m2"] == pytest.approx(0.0, abs=1e-9)
        assert m["contiguous_share"] == 1.0
        assert m["n_grids"] == 2

    def test_balance(self, grids):
        m = plan_metrics(grids, AREA, target_load=400)
        # population std of [400, 480] is 40, mean 440
        assert m["load_cv"] == pytest.approx(40 / 440)
        assert m["max_abs_deviation_pct"] == pytest.approx(20.0)
        assert m["share_within_10"] == 0.5
        assert m["share_within_20"] == 1.0
        assert m["total_load"] == 880
        assert m["load_gini"] == pytest.approx(gini([400, 480]))

    def test_compactness(self, grids):
        m = plan_metrics(grids, AREA)
        # a square: 4π·100 / 40² = π/4
        assert m["polsby_popper_mean"] == pytest.approx(math.pi / 4)
        assert m["polsby_popper_min"] == pytest.approx(math.pi / 4)

    def test_internal_edge_is_the_shared_side(self, grids):
        edges = internal_edges(np.array(grids.geometry.values))
        assert sum(e.length for e in edges) == pytest.approx(10.0, abs=0.01)

    @pytest.mark.parametrize(
        ("barrier", "adherence_m", "expected"),
        [
            (LineString([(10.003, -5), (10.003, 15)]), 5.0, 1.0),  # a road on the edge
            (LineString([(12, -5), (12, 15)]), 5.0, 1.0),  # 2 m away, within 5 m
            (LineString([(12, -5), (12, 15)]), 1.0, 0.0),  # 2 m away, beyond 1 m
            (LineString([(10, 0), (10, 5)]), 1.0, 0.6),  # covers y in [0, 6] of [0, 10]
            (LineString([(30, 0), (30, 10)]), 5.0, 0.0),  # far away
            (LineString([(0, 0), (20, 0)]), 5.0, 0.5),  # along the outer edge: y in [0, 5] of the shared side
        ],
    )
    def test_boundary_adherence(self, grids, barrier, adherence_m, expected):
        m = plan_metrics(grids, AREA, barriers=frame([barrier]), adherence_m=adherence_m)
        assert m["internal_edge_m"] == pytest.approx(10.0, abs=0.01)
        assert m["boundary_adherence"] == pytest.approx(expected, abs=2e-3)

    def test_no_barriers_gives_nan_adherence(self, grids):
        assert math.isnan(plan_metrics(grids, AREA)["boundary_adherence"])


def test_internal_edges_of_a_two_by_two_plan_count_shared_segments_once():
    grids = [box(0, 0, 10, 10), box(10, 0, 20, 10), box(0, 10, 10, 20), box(10, 10, 20, 20)]
    edges = internal_edges(np.array(grids, dtype=object))
    # the cross x=10 and y=10, each 20 m long
    assert sum(e.length for e in edges) == pytest.approx(40.0, abs=0.01)


def test_planted_gap():
    grids = frame([box(0, 0, 10, 10), box(11, 0, 20, 10)], load=[400, 400])
    m = plan_metrics(grids, AREA)
    assert m["gap_m2"] == pytest.approx(10.0)
    assert m["coverage_pct"] == pytest.approx(95.0)
    assert m["overlap_m2"] == pytest.approx(0.0, abs=1e-9)
    # the grids share no boundary: no internal edge at all
    assert m["internal_edge_m"] == pytest.approx(0.0, abs=1e-6)


def test_planted_overlap():
    grids = frame([box(0, 0, 11, 10), box(10, 0, 20, 10)], load=[400, 400])
    m, table = assess_plan(grids, AREA)
    assert m["overlap_m2"] == pytest.approx(10.0)
    assert m["coverage_pct"] == pytest.approx(100.0)
    assert m["gap_m2"] == pytest.approx(0.0, abs=1e-9)
    assert list(table["overlap_m2"]) == pytest.approx([10.0, 10.0])


def test_grid_outside_the_area():
    grids = frame([box(0, 0, 10, 10), box(10, 0, 25, 10)], load=[400, 400])
    m, table = assess_plan(grids, AREA)
    assert m["outside_m2"] == pytest.approx(50.0)
    assert list(table["outside_m2"]) == pytest.approx([0.0, 50.0])
    assert m["coverage_pct"] == pytest.approx(100.0)


def test_two_part_grid_and_holes():
    two_parts = MultiPolygon([box(0, 0, 5, 10), box(15, 0, 20, 10)])
    holed = Polygon(box(5, 0, 15, 10).exterior.coords, [box(9, 4, 11, 6).exterior.coords])
    grids = frame([two_parts, holed], load=[400, 400])
    m, table = assess_plan(grids, AREA)
    assert m["contiguous_share"] == 0.5
    assert list(table["n_parts"]) == [2, 1]
    assert list(table["n_holes"]) == [0, 1]
    assert m["n_with_holes"] == 1
    assert m["gap_m2"] == pytest.approx(4.0)  # the hole is a gap
    # two 5×10 rectangles: 4π·100 / 60²; the holed square: 4π·96 / (40 + 8)²
    assert table["polsby_popper"].tolist() == pytest.approx([4 * math.pi * 100 / 60**2, 4 * math.pi * 96 / 48**2])


class TestBuildings:
    @pytest.fixture
    def grids(self):
        return frame([box(0, 0, 10, 10), box(10, 0, 20, 10)])

    @pytest.fixture
    def buildings(self):
        return frame(
            [
                box(1, 1, 3, 3),  # in grid 1
                box(12, 1, 14, 3),  # in grid 2
                box(9, 5, 11, 7),  # cut: half in each
                box(9.5, 8, 10.0, 9),  # touches the shared edge from the left: not cut
                box(21, 1, 22, 2),  # outside every grid
                Point(15, 5),  # a point in grid 2
                box(4, 1, 10.00001, 2),  # pokes 1e-5 m² into grid 2: above 1e-6 of its 6 m², so cut
            ],
            households=[10, 20, 30, 40, 50, 60, 70],
        )

    def test_assignment_and_cut(self, grids, buildings):
        result = assign_buildings(np.array(grids.geometry.values), np.array(buildings.geometry.values))
        assert result.grid_index.tolist() == [0, 1, 0, 0, -1, 1, 0]
        assert result.cut.tolist() == [False, False, True, False, False, False, True]
        assert result.second_index[2] == 1

    def test_metrics(self, grids, buildings):
        m, table = assess_plan(grids, AREA, buildings)
        polygons = 6
        assert m["n_cut_buildings"] == 2
        assert m["cut_building_share"] == pytest.approx(2 / polygons)
        assert m["n_outside_buildings"] == 1
        assert m["outside_building_share"] == pytest.approx(1 / 7)
        # no load field on the grids: summed from households of assigned buildings
        assert table["load"].tolist() == [10 + 30 + 40 + 70, 20 + 60]
        assert m["load_source"] == "buildings.households"
        assert table["n_buildings"].tolist() == [4, 2]
        assert table["n_cut_buildings"].tolist() == [2, 2]

    def test_a_sliver_below_the_threshold_is_not_a_cut(self, grids):
        # 1e-9 m × 1 m = 1e-9 m² in grid 2: below 1e-6 × 6 m² and below 0.01 m²
        b = frame([box(4, 1, 10 + 1e-9, 2)])
        result = assign_buildings(np.array(grids.geometry.values), np.array(b.geometry.values))
        assert not result.cut[0]

    def test_building_count_is_the_load_without_a_load_field(self, grids, buildings):
        table = grid_metrics(grids, AREA, buildings.drop(columns="households"))
        assert table["load"].tolist() == [4, 2]


def test_deviation_and_tolerance_per_grid():
    grids = frame([box(0, 0, 5, 10), box(5, 0, 10, 10), box(10, 0, 20, 10)], load=[300, 360, 520])
    table = grid_metrics(grids, AREA, target_load=400, tolerance=0.2)
    assert table["deviation_pct"].tolist() == pytest.approx([-25.0, -10.0, 30.0])
    assert table["within_tolerance"].tolist() == [False, True, False]
    assert table["grid_id"].tolist() == [1, 2, 3]
    m = plan_metrics(grids, AREA, target_load=400)
    assert m["share_within_10"] == pytest.approx(1 / 3)
    assert m["share_within_20"] == pytest.approx(1 / 3)
    assert m["max_abs_deviation_pct"] == pytest.approx(30.0)


def test_invalid_grid_is_repaired_and_reported():
    bowtie = Polygon([(0, 0), (10, 10), (10, 0), (0, 10), (0, 0)])
    grids = frame([bowtie, box(10, 0, 20, 10)], load=[1, 1])
    report = Report()
    m = plan_metrics(grids, AREA, report=report)
    assert any("Repaired 1 invalid" in w.message for w in report.warnings)
    assert m["n_grids"] == 2
    assert m["gap_m2"] == pytest.approx(50.0)


def test_input_is_not_modified():
    bowtie = Polygon([(0, 0), (10, 10), (10, 0), (0, 10), (0, 0)])
    grids = frame([bowtie, box(10, 0, 20, 10)], load=[1, 1])
    before = grids.copy()
    plan_metrics(grids, AREA)
    assert grids.geometry.equals(before.geometry)


def test_geographic_crs_is_refused():
    grids = frame([box(0, 0, 0.1, 0.1)], crs="EPSG:4490", load=[1])
    with pytest.raises(InputError, match="geographic CRS"):
        plan_metrics(grids, box(0, 0, 0.1, 0.1))


def test_layers_in_another_crs_are_reprojected():
    grids = frame([box(500000, 0, 500010, 10), box(500010, 0, 500020, 10)], crs="EPSG:32650", load=[1, 1])
    area = gpd.GeoSeries([box(500000, 0, 500020, 10)], crs="EPSG:32650").to_crs("EPSG:3857")
    m = plan_metrics(grids, area)
    assert m["coverage_pct"] == pytest.approx(100.0, abs=0.01)


def test_missing_load_and_no_buildings_is_a_clear_error():
    with pytest.raises(InputError, match="no load field"):
        plan_metrics(frame([box(0, 0, 1, 1)]), box(0, 0, 1, 1))


def test_empty_grids_is_a_clear_error():
    with pytest.raises(InputError, match="empty"):
        plan_metrics(frame([]), AREA)


def test_gini_and_lorenz():
    assert gini([5, 5, 5, 5]) == pytest.approx(0.0)
    assert gini([0, 0, 0, 4]) == pytest.approx(0.75)
    x, y = lorenz_curve([1, 3])
    assert x.tolist() == [0.0, 0.5, 1.0]
    assert y.tolist() == [0.0, 0.25, 1.0]


@settings(max_examples=40, deadline=None)
@given(
    xs=st.lists(st.floats(1, 99), min_size=0, max_size=6, unique=True),
    ys=st.lists(st.floats(1, 49), min_size=0, max_size=4, unique=True),
    seed=st.integers(0, 1000),
)
def test_property_rectangular_tilings(xs, ys, seed):
    """Any tiling of a rectangle by cut lines: full coverage, no gap or overlap, exact internal edges."""
    xs = [0.0, *sorted(x for x in xs if all(abs(x - o) > 0.01 for o in (0, 100))), 100.0]
    ys = [0.0, *sorted(ys), 50.0]
    if min(np.diff(xs)) < 0.01 or min(np.diff(ys)) < 0.01:
        return
    cells = [box(x0, y0, x1, y1) for x0, x1 in zip(xs[:-1], xs[1:]) for y0, y1 in zip(ys[:-1], ys[1:])]
    loads = np.random.default_rng(seed).integers(100, 700, len(cells))
    grids = frame(cells, load=loads)
    roads = frame(
        [LineString([(x, 0), (x, 50)]) for x in xs[1:-1]] + [LineString([(0, y), (100, y)]) for y in ys[1:-1]]
    )
    m = plan_metrics(grids, box(0, 0, 100, 50), barriers=roads if len(roads) else None)
    assert m["coverage_pct"] == pytest.approx(100.0)
    assert m["gap_m2"] == pytest.approx(0.0, abs=1e-6)
    assert m["overlap_m2"] == pytest.approx(0.0, abs=1e-6)
    expected_internal = 50.0 * (len(xs) - 2) + 100.0 * (len(ys) - 2)
    assert m["internal_edge_m"] == pytest.approx(expected_internal, abs=0.01 * (len(xs) + len(ys)))
    if expected_internal > 0:
        assert m["boundary_adherence"] == pytest.approx(1.0, abs=1e-3)
    assert m["load_cv"] == pytest.approx(loads.std() / loads.mean())
