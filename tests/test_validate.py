"""Validation finds every planted problem, where it is, and nothing on a clean plan."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from gridplanner.grid_plugin.core.assess.validate import PROBLEM_KINDS, validate_plan
from gridplanner.grid_plugin.core.errors import InputError
from shapely.geometry import MultiPolygon, Point, Polygon, box

CRS = "EPSG:4547"
AREA = box(0, 0, 40, 20)
LEFT, RIGHT = "110105001001", "110105001002"  # 6 county + 3 township + 3 community


def parents():
    return gpd.GeoDataFrame({"code": [LEFT, RIGHT]}, geometry=[box(0, 0, 20, 20), box(20, 0, 40, 20)], crs=CRS)


def clean_geoms():
    """Eight 10 m squares: four per parent, two rows."""
    return [box(x, y, x + 10, y + 10) for y in (0, 10) for x in (0, 10, 20, 30)]


def codes_for(geoms):
    out, serial = [], {LEFT: 0, RIGHT: 0}
    for g in geoms:
        parent = LEFT if g.centroid.x < 20 else RIGHT
        serial[parent] += 1
        out.append(f"{parent}{serial[parent]:03d}")
    return out


def plan(geoms, codes=None, load=None):
    codes = codes or codes_for(geoms)
    load = load or [400] * len(geoms)
    return gpd.GeoDataFrame(
        {"grid_id": np.arange(1, len(geoms) + 1), "grid_code": codes, "load": load}, geometry=geoms, crs=CRS
    )


def buildings():
    """One building well inside each clean grid."""
    return gpd.GeoDataFrame(
        {"households": [50] * 8},
        geometry=[box(x + 1.5, y + 6, x + 3.5, y + 8) for y in (0, 10) for x in (0, 10, 20, 30)],
        crs=CRS,
    )


def test_clean_plan_has_no_problem():
    result = validate_plan(plan(clean_geoms()), AREA, parents(), buildings(), parent_code_field="code")
    assert len(result.problems) == 0, result.problems[["kind", "message"]]
    assert set(result.counts.values()) == {0}
    assert set(result.counts) == {k.code for k in PROBLEM_KINDS}


class TestPlantedProblems:
    """A gap, an overlap, a two-part grid, a grid crossing a parent, a cut building and a duplicate code."""

    @pytest.fixture(scope="class")
    def result(self):
        g = clean_geoms()
        g[0] = box(0, 0, 9, 10)  # gap: x 9..10, y 0..10 (10 m²)
        g[1] = Polygon([(10, 0), (22, 0), (22, 5), (20, 5), (20, 10), (10, 10)])  # crosses into RIGHT by 10 m²
        g[2] = shapely.difference(box(20, 0, 31, 10), box(20, 0, 22, 5))  # overlaps grid 4 by 10 m²
        g[6] = MultiPolygon([box(20, 10, 25, 20), box(35, 10, 40, 20)])  # two parts
        g[7] = box(25, 10, 35, 20)
        codes = codes_for(g)
        codes[5] = codes[4]  # duplicate code on grids 5 and 6
        b = buildings()
        b.loc[len(b)] = [30, box(14, 9, 16, 11)]  # cut by the edge between grids 2 and 6
        return validate_plan(plan(g, codes), AREA, parents(), b, parent_code_field="code")

    def kinds(self, result):
        return sorted(result.problems["kind"])

    def test_exactly_the_planted_kinds(self, result):
        assert self.kinds(result) == sorted(
            ["gap", "overlap", "multipart", "crosses_parent", "cut_building", "duplicate_code"]
        ), result.problems[["kind", "message"]]

    def row(self, result, kind):
        rows = result.problems[result.problems["kind"] == kind]
        assert len(rows) == 1
        return rows.iloc[0]

    def test_gap_is_where_it_was_planted(self, result):
        row = self.row(result, "gap")
        assert row["area_m2"] == pytest.approx(10.0)
        assert row.geometry.equals(MultiPolygon([box(9, 0, 10, 10)])) or row.geometry.symmetric_difference(
            box(9, 0, 10, 10)
        ).area == pytest.approx(0, abs=1e-9)
        assert row["grid_ids"] == "1, 2, 5"  # the grids along its edge (6 only touches a corner)
        assert row["severity"] == "error"

    def test_overlap(self, result):
        row = self.row(result, "overlap")
        assert row["grid_ids"] == "3, 4"
        assert row["area_m2"] == pytest.approx(10.0)
        assert row.geometry.symmetric_difference(box(30, 0, 31, 10)).area == pytest.approx(0, abs=1e-9)

    def test_multipart(self, result):
        row = self.row(result, "multipart")
        assert row["grid_ids"] == "7"
        assert row["value"] == 2
        assert row.geometry.area == pytest.approx(50.0)

    def test_crossing(self, result):
        row = self.row(result, "crosses_parent")
        assert row["grid_ids"] == "2"
        assert row["area_m2"] == pytest.approx(10.0)
        assert row.geometry.symmetric_difference(box(20, 0, 22, 5)).area == pytest.approx(0, abs=1e-9)
        assert LEFT in row["message"] and RIGHT in row["message"]

    def test_cut_building(self, result):
        row = self.row(result, "cut_building")
        assert sorted(row["grid_ids"].split(", ")) == ["2", "6"]
        assert row.geometry.area == pytest.approx(4.0)

    def test_duplicate_code(self, result):
        row = self.row(result, "duplicate_code")
        assert row["grid_ids"] == "5, 6"
        assert row["grid_codes"].split(", ")[0] == row["grid_codes"].split(", ")[1]

    def test_messages_and_ids(self, result):
        problems = result.problems
        assert problems["problem_id"].tolist() == list(range(1, len(problems) + 1))
        assert problems["kind_zh"].str.len().min() > 0
        assert problems.geometry.notna().all()
        assert set(shapely.get_type_id(problems.geometry.values)) == {6}  # all MultiPolygons
        assert result.n_errors == 6 and result.n_warnings == 0


def test_more_kinds():
    g = clean_geoms()
    bowtie = Polygon([(0, 0), (10, 10), (10, 0), (0, 10), (0, 0)])
    g[0] = bowtie  # invalid
    g[1] = Polygon(box(10, 0, 20, 10).exterior.coords, [box(14, 4, 16, 6).exterior.coords])  # hole
    g[3] = box(30, 0, 42, 10)  # 20 m² outside the area
    codes = codes_for(g)
    codes[4] = "12345"  # malformed
    codes[5] = None  # missing
    codes[6] = f"{LEFT}009"  # lies in RIGHT but coded LEFT
    load = [400] * 8
    load[7] = 520  # +30 %
    b = gpd.GeoDataFrame({"households": [5, 5]}, geometry=[Point(15, 5), box(38, 18, 39, 19)], crs=CRS)
    result = validate_plan(
        plan(g, codes, load), AREA, parents(), b, parent_code_field="code", max_area_m2=110, tolerance=0.2
    )
    counts = result.counts
    assert counts["invalid_geometry"] == 1
    assert counts["hole"] == 1
    assert counts["outside_area"] == 1
    assert counts["malformed_code"] == 2
    assert counts["parent_code_mismatch"] == 1
    assert counts["load_out_of_tolerance"] == 1
    assert counts["area_too_large"] == 1  # grid 4: 120 m²
    assert counts["building_outside"] == 1  # the point in the hole of grid 2
    outside = result.problems[result.problems["kind"] == "outside_area"].iloc[0]
    assert outside["area_m2"] == pytest.approx(20.0)
    hole = result.problems[result.problems["kind"] == "hole"].iloc[0]
    assert hole["area_m2"] == pytest.approx(4.0)
    # the hole is also a gap in the area
    assert counts["gap"] >= 1
    load_row = result.problems[result.problems["kind"] == "load_out_of_tolerance"].iloc[0]
    assert load_row["value"] == pytest.approx(30.0)
    assert "30" in load_row["message"] and "above" in load_row["message"]


def test_enclave_hole_names_the_inner_grid():
    outer = Polygon(box(0, 0, 30, 30).exterior.coords, [box(10, 10, 20, 20).exterior.coords])
    grids = gpd.GeoDataFrame({"load": [400, 400]}, geometry=[outer, box(10, 10, 20, 20)], crs=CRS)
    result = validate_plan(grids, box(0, 0, 30, 30), check_load=False)
    assert result.counts["hole"] == 1
    assert result.counts["gap"] == 0
    assert "another grid (2)" in result.problems.iloc[0]["message"]


def test_enclave_hole_names_the_inner_grid_by_its_code():
    outer = Polygon(box(0, 0, 30, 30).exterior.coords, [box(10, 10, 20, 20).exterior.coords])
    codes = ["440307015001001", "440307015001002"]
    grids = gpd.GeoDataFrame({"load": [400, 400], "code": codes}, geometry=[outer, box(10, 10, 20, 20)], crs=CRS)
    result = validate_plan(grids, box(0, 0, 30, 30), code_field="code", check_load=False)
    message = result.problems.loc[result.problems["kind"] == "hole", "message"].iloc[0]
    # a planner reads codes: the enclosed grid is named by its code, never by its row number
    assert "another grid (440307015001002)" in message
    assert message.startswith("Grid 440307015001001 ")


def test_gaps_without_an_area_are_holes_in_the_union():
    ring = Polygon(box(0, 0, 30, 30).exterior.coords, [box(10, 10, 20, 20).exterior.coords])
    left = shapely.intersection(ring, box(0, 0, 15, 30))
    right = shapely.intersection(ring, box(15, 0, 30, 30))
    grids = gpd.GeoDataFrame({"load": [400, 400]}, geometry=[left, right], crs=CRS)
    result = validate_plan(grids)
    assert result.counts["gap"] == 1
    assert result.problems.iloc[0]["area_m2"] == pytest.approx(100.0)


def test_no_codes_skips_code_checks_and_says_so():
    grids = gpd.GeoDataFrame({"load": [400]}, geometry=[box(0, 0, 10, 10)], crs=CRS)
    result = validate_plan(grids, box(0, 0, 10, 10))
    assert len(result.problems) == 0
    assert any("Code checks skipped" in s for s in result.skipped)


def test_unknown_code_field_is_a_clear_error():
    grids = gpd.GeoDataFrame({"load": [400]}, geometry=[box(0, 0, 10, 10)], crs=CRS)
    with pytest.raises(InputError, match="no field code"):
        validate_plan(grids, code_field="code")


def test_input_layers_are_not_modified():
    g = plan(clean_geoms())
    before = g.copy()
    validate_plan(g, AREA, parents(), buildings())
    assert g.equals(before)


def test_cancel_stops_validation_and_writes_nothing():
    from gridplanner.grid_plugin.core.errors import Cancelled, Report

    class CancelAfterStart(Report):
        def __init__(self):
            super().__init__()
            self.calls = 0

        def is_cancelled(self):
            self.calls += 1
            return self.calls > 1

    with pytest.raises(Cancelled):
        validate_plan(plan(clean_geoms()), AREA, parents(), buildings(), report=CancelAfterStart())


@pytest.mark.parametrize(
    "parent_codes, mismatches",
    [
        (["001", "002"], 0),  # 3-digit community codes: the grid code's digits 10-12
        (["110105001", "110105001"], 0),  # 9-digit township codes: a prefix
        ([110105001001, 110105001002], 0),  # read from a numeric field
        (["002", "001"], 8),  # every grid in the other community
    ],
)
def test_parent_codes_in_every_accepted_form(parent_codes, mismatches):
    parent_layer = parents()
    parent_layer["code"] = parent_codes
    result = validate_plan(plan(clean_geoms()), AREA, parent_layer, buildings(), parent_code_field="code")
    assert result.counts["parent_code_mismatch"] == mismatches


def test_whole_household_counts_read_as_whole_numbers():
    grids = gpd.GeoDataFrame({"load": [50.0, 425.0]}, geometry=[box(0, 0, 10, 10), box(10, 0, 20, 10)], crs=CRS)
    result = validate_plan(grids, box(0, 0, 20, 10), target_load=300)
    messages = " ".join(result.problems["message"])
    # Helsinki read "户数为 50.0" beside "户数为 426": households are whole
    assert "a load of 50, " in messages, messages
    assert "50.0" not in messages
