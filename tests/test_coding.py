"""Grid codes: 6 + 3 + 3 + 3 digits, serials west→east, north→south within each parent."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely
from gridplanner.grid_plugin.core.errors import InputError
from gridplanner.grid_plugin.core.partition.coding import assign_codes, parent_prefixes, serial_order


def grid_3x2(parent="001"):
    """Six 100 m squares, 3 columns x 2 rows, listed in a scrambled order."""
    cells = [(x, y) for y in (100, 0) for x in (0, 100, 200)]
    order = [4, 0, 5, 2, 1, 3]
    geoms = [shapely.box(cells[i][0], cells[i][1], cells[i][0] + 100, cells[i][1] + 100) for i in order]
    return gpd.GeoDataFrame({"parent": [parent] * 6, "cell": order}, geometry=geoms, crs="EPSG:4547")


def test_reading_order_west_east_north_south():
    grids = grid_3x2()
    rank = serial_order(grids.geometry.values)
    # cells 0..2 are the northern row west→east, 3..5 the southern row
    assert [grids["cell"].iloc[list(rank).index(r)] for r in range(6)] == [0, 1, 2, 3, 4, 5]


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
    assert set(coded.loc[coded["parent"] == "007", "grid_code"].str[9:12]) == {"007"}
    # the input is not changed
    assert "grid_code" not in grids.columns


def test_parent_prefix_rules():
    prefixes = parent_prefixes(["110105001002", "001002", "Xincun", "Beicun", "003"], "440307", "005")
    assert prefixes["110105001002"] == "110105001002"
    assert prefixes["003"] == "440307005003"
    # other codes are numbered in sorted order, skipping the community code 003 already in use
    assert prefixes["001002"] == "440307005001"
    assert prefixes["Beicun"] == "440307005002"
    assert prefixes["Xincun"] == "440307005004"


def test_deterministic_and_stable_under_row_order():
    grids = grid_3x2()
    a = assign_codes(grids)
    b = assign_codes(grids.iloc[::-1])
    assert dict(zip(a["cell"], a["grid_code"], strict=True)) == dict(zip(b["cell"], b["grid_code"], strict=True))


def test_bad_codes_are_refused():
    with pytest.raises(InputError, match="6 digits"):
        assign_codes(grid_3x2(), county="4403")
    with pytest.raises(InputError, match="no field"):
        assign_codes(grid_3x2(), parent_code_field="nope")


def test_many_grids_get_wider_serials():
    geoms = [shapely.box(x, 0, x + 1, 1) for x in range(1000)]
    coded = assign_codes(gpd.GeoDataFrame(geometry=geoms))
    assert coded["grid_code"].str.len().eq(16).all()
