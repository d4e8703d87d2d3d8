"""Grid codes: the parent's 12-digit division code + a 3-digit serial, serials in the standard's reading order."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from gridplanner.grid_plugin.core.errors import InputError, Report
from gridplanner.grid_plugin.core.partition.coding import (
    assign_codes,
    check_grid_codes,
    parent_prefix,
    parent_prefixes,
    serial_order,
    split_prefix,
)
from helpers import lattice_plan


def grid_3x2(parent="001"):
    """Six 100 m squares, 3 columns x 2 rows, listed in a scrambled order."""
    cells = [(x, y) for y in (100, 0) for x in (0, 100, 200)]
    order = [4, 0, 5, 2, 1, 3]
    geoms = [shapely.box(cells[i][0], cells[i][1], cells[i][0] + 100, cells[i][1] + 100) for i in order]
    return gpd.GeoDataFrame({"parent": [parent] * 6, "cell": order}, geometry=geoms, crs="EPSG:4547")


def reading(geoms, names):
    """``names`` in the order of their serials."""
    rank = serial_order(np.asarray(geoms, dtype=object))
    return [names[i] for i in np.argsort(rank)]


def test_reading_order_west_east_north_south():
    grids = grid_3x2()
    assert reading(grids.geometry.values, grids["cell"].tolist()) == [0, 1, 2, 3, 4, 5]


def test_row_rule_keeps_a_row_whose_centroids_straddle_a_fixed_band():
    """Three rows of three whose centroids wander ±15 m; the first row's top is raised by its tall west grid.

    A band counted from the top edge (the old rule) split the first row at y = 200 and numbered the
    middle grid after the east one; rows started at the northernmost centroid keep every row whole.
    """
    boxes = {
        "A1": (0, 150, 100, 300),  # tall: centroid y 225
        "A2": (100, 140, 200, 250),  # centroid y 195
        "A3": (200, 150, 300, 260),  # centroid y 205
        "B1": (0, 50, 100, 150),
        "B2": (100, 40, 200, 140),
        "B3": (200, 50, 300, 150),
        "C1": (0, -50, 100, 50),
        "C2": (100, -60, 200, 40),
        "C3": (200, -50, 300, 50),
    }
    names = list(boxes)[::-1]  # input order must not matter
    geoms = [shapely.box(*boxes[n]) for n in names]
    assert reading(geoms, names) == ["A1", "A2", "A3", "B1", "B2", "B3", "C1", "C2", "C3"]


@pytest.mark.parametrize("seed", range(5))
def test_jittered_lattice_reads_row_by_row(seed):
    """Quadrilaterals of a lattice whose vertices move up to 20% of a cell: the lattice's own reading order."""
    nx, ny = 8, 6
    units = lattice_plan(nx, ny, 1, 1, jitter=0.2, seed=seed)["units"]
    i, j = units["unit_id"].to_numpy() // ny, units["unit_id"].to_numpy() % ny  # column, row (row 0 south)
    expected = sorted(range(len(units)), key=lambda u: (-j[u], i[u]))
    assert reading(units.geometry.values, list(range(len(units)))) == expected


def test_codes_with_prefix_and_parent_field():
    east = grid_3x2("007")
    east["geometry"] = east.geometry.translate(1000, 0)
    grids = gpd.GeoDataFrame(gpd.pd.concat([grid_3x2("002"), east], ignore_index=True), crs="EPSG:4547")
    coded = assign_codes(grids, parent_code_field="parent", county="440307", township="005")
    assert coded["grid_code"].str.len().eq(15).all()
    assert coded["grid_code"].is_unique
    first = coded[coded["parent"] == "002"].sort_values("serial")
    assert first["grid_code"].tolist()[0] == "440307005002001"
    assert first["cell"].tolist() == [0, 1, 2, 3, 4, 5]
    assert set(coded.loc[coded["parent"] == "007", "grid_code"].str[:12]) == {"440307005007"}
    # the input is not changed
    assert "grid_code" not in grids.columns


def test_twelve_digit_parents_win_and_other_forms_are_completed():
    assert parent_prefix("440307015001") == "440307015001"
    assert parent_prefix(440307015001.0) == "440307015001"  # a numeric field
    assert parent_prefix("440307015000", community="002") == "440307015002"  # township, table form
    assert parent_prefix("440307000000", township="015", community="002") == "440307015002"  # county, table form
    assert parent_prefix("440307015", community="003") == "440307015003"
    assert parent_prefix("440307", township="015", community="003") == "440307015003"
    assert parent_prefix("004", county="440307", township="015") == "440307015004"
    assert split_prefix("440307015") == ("440307", "015", "001")
    assert split_prefix(("440307", "015", "009")) == ("440307", "015", "009")
    grids = grid_3x2("440307015201")
    coded = assign_codes(grids, parent_code_field="parent", county="440307", township="015", community="009")
    assert coded["grid_code"].str.startswith("440307015201").all()


@pytest.mark.parametrize("bad", ["Xincun", "4403070150", "44030701500A", "", None, "12"])
def test_malformed_parent_codes_are_refused_with_the_feature_and_the_form(bad):
    grids = grid_3x2()
    grids["parent"] = ["440307015001"] * 5 + [bad]
    with pytest.raises(InputError) as caught:
        assign_codes(grids, parent_code_field="parent")
    message = caught.value.message
    assert "1 parent codes are not division codes" in message
    assert f"({6})" in message  # the feature
    assert "12-digit" in message and "440307015001" in message  # the expected form, with an example


def test_given_county_that_differs_from_the_parent_codes_is_reported():
    report = Report()
    prefixes = parent_prefixes(["440307015001", "440307015002"], "110105", "015", report=report)
    assert prefixes == ["440307015001", "440307015002"]
    assert any("county code 440307, not the 110105 given" in w.message for w in report.warnings)


def test_deterministic_and_stable_under_row_order():
    grids = grid_3x2()
    a = assign_codes(grids)
    b = assign_codes(grids.iloc[::-1])
    assert dict(zip(a["cell"], a["grid_code"], strict=True)) == dict(zip(b["cell"], b["grid_code"], strict=True))


def test_bad_codes_are_refused():
    with pytest.raises(InputError, match="6 digits"):
        assign_codes(grid_3x2(), county="4403")
    with pytest.raises(InputError, match="township code 15 must have exactly 3 digits"):
        assign_codes(grid_3x2(), county="440307", township="15")
    with pytest.raises(InputError, match="no field"):
        assign_codes(grid_3x2(), parent_code_field="nope")
    with pytest.raises(InputError, match=r"2 grid codes are not 15-digit grid codes.*4403070150010, X"):
        check_grid_codes(["440307015001001", "4403070150010", "X"])


def test_placeholder_county_is_reported():
    report = Report()
    assign_codes(grid_3x2(), report=report)
    assert any("No county code given" in w.message for w in report.warnings)


def test_many_grids_get_wider_serials():
    geoms = [shapely.box(x, 0, x + 1, 1) for x in range(1000)]
    coded = assign_codes(gpd.GeoDataFrame(geometry=geoms), county="440307", township="015")
    assert coded["grid_code"].str.len().eq(16).all()
