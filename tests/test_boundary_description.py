"""Boundary descriptions (四至): which named barrier runs along which side of a grid. Plain pytest."""

from __future__ import annotations

import geopandas as gpd
import pytest
from gridplanner.grid_plugin.core.errors import InputError
from gridplanner.grid_plugin.core.publish.boundary_description import (
    describe_boundaries,
    format_description,
    side_names,
)
from shapely import affinity
from shapely.geometry import LineString, Polygon, box


def _roads(*items):
    return gpd.GeoDataFrame({"name": [n for n, _ in items]}, geometry=[g for _, g in items])


def _grids(*geoms, codes=None):
    codes = codes or [f"{i + 1:03d}" for i in range(len(geoms))]
    return gpd.GeoDataFrame({"code": codes}, geometry=list(geoms))


def test_each_side_gets_the_road_along_it():
    grids = _grids(box(0, 0, 400, 300))
    roads = _roads(
        ("东环路", LineString([(405, -100), (405, 400)])),  # east, 5 m off the edge
        ("南河", LineString([(-100, -8), (500, -8)])),
        ("西街", LineString([(0, -50), (0, 350)])),  # on the edge itself
        ("北大道", LineString([(-50, 310), (450, 310)])),
    )
    sides = side_names(grids, roads)[0]
    assert sides == {"east": ["东环路"], "south": ["南河"], "west": ["西街"], "north": ["北大道"]}
    assert describe_boundaries(grids, roads).iloc[0] == "东至东环路，南至南河，西至西街，北至北大道"
    assert (
        describe_boundaries(grids, roads, lang="en").iloc[0] == "east: 东环路; south: 南河; west: 西街; north: 北大道"
    )


def test_long_thin_grid_sides_follow_the_edge_normal_not_the_centroid_direction():
    # 2 km × 100 m: the north road near the east end is still "north".
    grids = _grids(box(0, 0, 2000, 100))
    roads = _roads(
        ("North Rd", LineString([(1200, 105), (1990, 105)])), ("East Rd", LineString([(2003, -20), (2003, 120)]))
    )
    sides = side_names(grids, roads)[0]
    assert sides["north"] == ["North Rd"]
    assert sides["east"] == ["East Rd"]
    assert sides["south"] == [] and sides["west"] == []


def test_crossing_and_far_roads_do_not_count():
    grids = _grids(box(0, 0, 300, 300))
    roads = _roads(
        ("Cross St", LineString([(150, -200), (150, 500)])),  # crosses the grid: touches the edges for 2×25 m only
        ("Far Rd", LineString([(-200, 400), (500, 400)])),  # 100 m north
        ("", LineString([(-50, 302), (350, 302)])),  # unnamed
    )
    assert side_names(grids, roads)[0] == {"east": [], "south": [], "west": [], "north": []}
    assert describe_boundaries(grids, roads).iloc[0] == ""


def test_road_wrapping_a_corner_names_both_sides_and_the_longer_of_two_names_first():
    grids = _grids(box(0, 0, 300, 300))
    roads = _roads(
        ("Ring Rd", LineString([(-50, 303), (303, 303), (303, -50)])),  # north and east
        ("Short Ln", LineString([(-4, 0), (-4, 100)])),  # 100 m of the west side
        ("Long Ave", LineString([(-4, 100), (-4, 300)])),  # 200 m of the west side
    )
    sides = side_names(grids, roads)[0]
    assert sides["north"] == ["Ring Rd"] and sides["east"] == ["Ring Rd"]
    assert sides["west"] == ["Long Ave", "Short Ln"]
    assert format_description(sides) == "东、北至Ring Rd，西至Long Ave、Short Ln"  # one road round a corner


def test_neighbour_grid_codes_fill_sides_without_a_named_barrier():
    grids = _grids(box(0, 0, 200, 200), box(200, 0, 400, 200), box(0, 200, 400, 300), codes=["A", "B", "C"])
    roads = _roads(("South Rd", LineString([(-50, -5), (450, -5)])))
    sides = side_names(grids, roads, code_field="code")
    assert sides[0]["east"] == [("grid", "B")]
    assert sides[0]["north"] == [("grid", "C")]
    assert sides[0]["south"] == ["South Rd"]
    assert sides[2]["south"] == [("grid", "A"), ("grid", "B")]
    text = describe_boundaries(grids, roads, code_field="code")
    assert text.iloc[1] == "南至South Rd，西至网格A，北至网格C"
    assert describe_boundaries(grids, roads, code_field="code", lang="en").iloc[0] == (
        "east: grid B; south: South Rd; north: grid C"
    )


def test_water_polygons_count_by_their_shore_and_index_is_kept():
    grids = _grids(box(0, 0, 300, 300))
    grids.index = [17]
    lake = gpd.GeoDataFrame(
        {"name": ["Kymijoki"]}, geometry=[Polygon([(310, -50), (500, -50), (500, 350), (310, 350)])]
    )
    result = describe_boundaries(grids, lake)
    assert list(result.index) == [17]
    assert result.loc[17] == "东至Kymijoki"


def test_bad_inputs_raise_clear_errors():
    grids = _grids(box(0, 0, 10, 10))
    with pytest.raises(InputError, match="no features"):
        side_names(grids.iloc[:0], None)
    with pytest.raises(InputError, match="has no field street"):
        side_names(grids, _roads(("x", LineString([(0, 0), (1, 1)]))), name_field="street")
    with pytest.raises(InputError, match="no field nope"):
        side_names(grids, None, code_field="nope")
    geographic = grids.set_crs("EPSG:4326")
    with pytest.raises(InputError, match="geographic CRS"):
        side_names(geographic, None)


def test_many_grids_are_fast_enough_and_consistent():
    # 20 × 20 grids with a named road on every grid line: every inner grid names 4 roads.
    size = 100.0
    geoms = [box(i * size, j * size, (i + 1) * size, (j + 1) * size) for i in range(20) for j in range(20)]
    grids = _grids(*geoms)
    roads = _roads(
        *[(f"X{i}", LineString([(i * size, -10), (i * size, 2010)])) for i in range(21)],
        *[(f"Y{j}", LineString([(-10, j * size), (2010, j * size)])) for j in range(21)],
    )
    sides = side_names(grids, roads, min_length_m=40)
    # grid (i=3, j=5) is row 3*20+5
    assert sides[3 * 20 + 5] == {"east": ["X4"], "south": ["Y5"], "west": ["X3"], "north": ["Y6"]}


def _opposite_pairs(sides: dict) -> list:
    """Names written on two opposite sides."""
    pairs = []
    for a, b in (("east", "west"), ("north", "south")):
        pairs += [name for name in sides[a] if name in sides[b]]
    return pairs


def test_one_road_on_both_long_sides_of_a_thin_grid_is_named_once():
    # A 60 m wide grid between the two carriageways of one avenue (OSM maps each direction as its own way).
    grids = _grids(box(0, 0, 60, 600), box(60, 0, 400, 600), codes=["A", "B"])
    roads = _roads(
        ("龙岗大道", LineString([(-3, -50), (-3, 650)])),  # west carriageway, along the whole west side
        ("龙岗大道", LineString([(63, -50), (63, 400)])),  # east carriageway, along 400 m of the east side
        ("爱南路", LineString([(-50, -4), (450, -4)])),
    )
    sides = side_names(grids, roads, code_field="code")[0]
    assert sides["west"] == ["龙岗大道"]
    assert "龙岗大道" not in sides["east"]
    assert sides["east"] == [("grid", "B")]  # the next candidate on that side: the neighbour
    assert _opposite_pairs(sides) == []
    assert describe_boundaries(grids, roads, code_field="code").iloc[0] == "东至网格B，南至爱南路，西至龙岗大道"


def test_a_road_round_three_sides_says_so():
    grids = _grids(box(0, 0, 300, 200))
    roads = _roads(
        ("环城路", LineString([(-5, 260), (-5, -5), (305, -5), (305, 260)])),  # west, south and east: a U
        ("北街", LineString([(-50, 204), (350, 204)])),
    )
    sides = side_names(grids, roads)[0]
    assert sides == {"east": ["环城路"], "south": ["环城路"], "west": ["环城路"], "north": ["北街"]}
    assert describe_boundaries(grids, roads).iloc[0] == "东、南、西至环城路，北至北街"


@pytest.mark.parametrize("angle", [30.0, 45.0, -35.0])
def test_rotated_grid_uses_its_own_axes_one_road_per_side(angle):
    # A 400 × 250 m grid turned by `angle`, a road along each face: four faces, four sides, four roads.
    centre = (0, 0)
    grid = affinity.rotate(box(-200, -125, 200, 125), angle, origin=centre)
    faces = {
        "E": LineString([(205, -300), (205, 300)]),
        "W": LineString([(-205, -300), (-205, 300)]),
        "N": LineString([(-300, 130), (300, 130)]),
        "S": LineString([(-300, -130), (300, -130)]),
    }
    roads = _roads(*[(f"{key}路", affinity.rotate(line, angle, origin=centre)) for key, line in faces.items()])
    sides = side_names(_grids(grid), roads)[0]
    assert all(len(names) == 1 for names in sides.values()), sides
    assert sorted(name for names in sides.values() for name in names) == ["E路", "N路", "S路", "W路"]
    # Opposite faces stay opposite sides.
    where = {names[0]: side for side, names in sides.items()}
    opposite = {"east": "west", "west": "east", "north": "south", "south": "north"}
    assert where["E路"] == opposite[where["W路"]] and where["N路"] == opposite[where["S路"]]


def test_neighbours_by_short_code_or_name_and_the_area_edge():
    grids = _grids(
        box(0, 0, 200, 200),
        box(200, 0, 400, 200),
        box(0, 200, 400, 300),
        codes=["440307001001004", "440307001001005", "440307001002001"],
    )
    grids["name"] = ["", "", "幸福社区第一网格"]
    sides = side_names(grids, None, code_field="code", grid_name_field="name", area_label="南湾街道边界")
    assert sides[0]["east"] == [("grid", "1005")]  # the short code, not all 15 digits
    assert sides[0]["north"] == [("grid", "幸福社区第一网格")]  # the name where the grid has one
    assert sides[0]["west"] == [("area", "南湾街道边界")] and sides[0]["south"] == [("area", "南湾街道边界")]
    text = describe_boundaries(grids, None, code_field="code", area_label="南湾街道边界").iloc[2]
    assert text == "东、西、北至南湾街道边界，南至网格1004、网格1005"


def test_a_grid_round_an_enclave_is_described_by_its_outer_edge_only():
    # a 1 × 1 km grid around a campus enclave; the campus is ringed by its own road, inside the grid
    campus = box(300, 300, 700, 700)
    outer = Polygon(box(0, 0, 1000, 1000).exterior.coords, [campus.exterior.coords])
    grids = _grids(outer, campus, codes=["440307015006008", "440307015006009"])
    roads = _roads(
        ("东环路", LineString([(1005, -100), (1005, 1100)])),
        ("南河", LineString([(-100, -5), (1100, -5)])),
        ("西街", LineString([(-5, -100), (-5, 1100)])),
        ("北大道", LineString([(-100, 1005), (1100, 1005)])),
        ("大学环路", LineString([(295, 295), (705, 295), (705, 705), (295, 705), (295, 295)])),
    )
    sides = side_names(grids, roads, code_field="code")
    # Longgang 440307015006008 read "东至龙翔大道、龙飞大道，南至龙飞大道…，西至龙飞大道…，北至龙飞大道…":
    # the road round its enclave was named on every side
    assert sides[0] == {"east": ["东环路"], "south": ["南河"], "west": ["西街"], "north": ["北大道"]}
    assert all(names == ["大学环路"] for names in sides[1].values())
