"""Which named roads, rivers and railways bound each grid: the 四至 line of a public grid sheet.

A grid's *boundary description* names, for each side of the grid (east, south, west, north), the
barrier that runs along that side, e.g. ``东至兴华路，南至龙岗河，西至网格 003，北至龙城大道``.
Public notices (公示) of grid plans carry this line so residents can find their grid without a map.

How the side is found: the grid boundary is cut into straight segments; a segment belongs to a
barrier when it lies within ``tolerance_m`` of the barrier line (grid edges drawn on a road's
centre line or offset to its kerb both count), and its side is the compass direction of its
*outward normal* (so the long north edge of a long thin grid is north even near its east end).
The compass is the grid's own: a grid drawn at an angle (its minimum rotated rectangle turned more than
``rotate_min_deg`` off north, and the grid nearly that rectangle) has its four faces named east, south,
west and north after that rectangle's axes, so a diamond-shaped grid gets one road per side, not two
roads split over two sides.

Lengths are summed per (grid, name, side). A name counts on a side where it runs for at least
``min_length_m`` and a quarter of its longest side. **One feature never stands on opposite sides**
unless it really bends round the grid: the sides a name counts on must form one arc of the compass
(east-south, or east-south-west for a road round three sides); when they do not (a dual carriageway on
both sides of a thin grid, a river that returns), the name keeps only its longest side and the other
side takes its next candidate. Sides that share their names are written together (``东、南至X``).
Sides with no named barrier fall back to the neighbouring grid, by its short code (the part after the
prefix all codes share) or name; sides on the outer edge of the area take ``area_label`` (e.g. the
subdistrict's boundary) when one is given, else they are left out. :func:`outer_edge` decides that label
for every output (the 公示 map, its atlas and the register alike): the boundary's name when the area is
a real boundary, nothing when it is only the extent of the data.

Everything is vectorised over segments with shapely 2 and an STRtree; no loop over grids.
"""

from __future__ import annotations

from typing import NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..errors import N_, InputError, Report

__all__ = [
    "SIDES",
    "SIDE_LABELS",
    "side_names",
    "describe_boundaries",
    "format_description",
    "short_codes",
    "OuterEdge",
    "outer_edge",
]

#: Sides in the order public notices list them (东、南、西、北).
SIDES = ("east", "south", "west", "north")
#: How each side is written: (Chinese prefix, English prefix).
SIDE_LABELS = {
    "east": ("东至", "east"),
    "south": ("南至", "south"),
    "west": ("西至", "west"),
    "north": ("北至", "north"),
}


def short_codes(codes, min_length: int = 9, keep: int = 4) -> list[str]:
    """Long hierarchical codes without the prefix they all share (at least ``keep`` characters kept).

    >>> short_codes(["440307001001004", "440307001001012", "440307001002001"])
    ['1004', '1012', '2001']
    >>> short_codes(["KT001", "KT002"])
    ['KT001', 'KT002']
    """
    import os

    codes = ["" if c is None else str(c) for c in codes]
    if not codes or min(len(c) for c in codes) < min_length:
        return codes
    cut = min(len(os.path.commonprefix(codes)), min(len(c) for c in codes) - keep)
    return [c[cut:] for c in codes] if cut > 0 else codes


class OuterEdge(NamedTuple):
    """What the plan's outer edge is: its legend name, and what a 四至 side on it says (None: left out)."""

    legend_name: str | None
    side_label: str | None
    is_boundary: bool


def _area_values(area, column: str) -> list:
    if area is None or column not in area.columns:
        return []
    return [v for v in area[column] if v is not None and str(v).strip() not in ("", "nan", "None")]


def outer_edge(area=None, area_name: str | None = None, is_extent: bool | None = None) -> OuterEdge:
    """How the plan's outer edge is named: one rule for the map's legend and every 四至 (map, atlas, register).

    - An area layer with a ``name`` or an ``admin_level`` is a real boundary: its sides say
      ``<name>边界`` (the layer's ``name``, else ``area_name``, else ``辖区边界``).
    - An area layer with neither is the extent of the data (what prepareosm writes without a boundary):
      the legend says 数据范围 and 四至 sides on it are **left out** — a grid office writes a 四至 to
      name something on the ground, and the edge of a data extract is nothing anyone can find; the
      register's 字段说明 says those sides are for the office to fill in.
    - Without an area layer, a given ``area_name`` is taken as the boundary (the grids tile the area, so
      their outer edge is its boundary); without a name too, the sides are left out.

    ``is_extent`` overrides the guess from the area layer's fields.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> hull = gpd.GeoDataFrame({"name": [None], "admin_level": [None]}, geometry=[box(0, 0, 1, 1)])
    >>> outer_edge(hull, "科特卡示例区")
    OuterEdge(legend_name='数据范围', side_label=None, is_boundary=False)
    >>> outer_edge(hull.assign(name=["学院路街道"])).side_label
    '学院路街道边界'
    >>> outer_edge(None, "龙城街道").side_label, outer_edge(None, None).side_label
    ('龙城街道边界', None)
    """
    area_name = (area_name or "").strip()
    if area is None:
        if not area_name:
            return OuterEdge(None, None, False)
        label = area_name if area_name.endswith(("边界", "界线")) else f"{area_name}边界"
        return OuterEdge(label, label, True)
    names = [str(v).strip() for v in _area_values(area, "name")]
    if is_extent is None:
        is_extent = not names and not _area_values(area, "admin_level")
    if is_extent:
        return OuterEdge("数据范围", None, False)
    name = names[0].split(";")[0].strip() if names else area_name
    if not name:
        return OuterEdge("辖区边界", "辖区边界", True)
    label = name if name.endswith(("边界", "界线")) else f"{name}边界"
    return OuterEdge(label, label, True)


def grid_axes_deg(polygons: np.ndarray, rotate_min_deg: float = 10.0, min_rectangularity: float = 0.75) -> np.ndarray:
    """How far each grid's own compass is turned from north, in degrees (-45 to 45); 0 for upright grids.

    The turn is the angle of the grid's minimum rotated rectangle, used when it is at least
    ``rotate_min_deg`` and the grid fills at least ``min_rectangularity`` of that rectangle (an irregular
    grid keeps the true compass).
    """
    rectangles = shapely.oriented_envelope(polygons)
    coords, owner = shapely.get_coordinates(shapely.get_exterior_ring(rectangles), return_index=True)
    first = np.searchsorted(owner, np.arange(len(polygons)))
    ok = (first + 1 < len(coords)) & (shapely.get_type_id(rectangles) == 3)
    first = np.minimum(first, max(len(coords) - 2, 0))
    dx = coords[first + 1, 0] - coords[first, 0] if len(coords) else np.zeros(len(polygons))
    dy = coords[first + 1, 1] - coords[first, 1] if len(coords) else np.zeros(len(polygons))
    angle = (np.degrees(np.arctan2(dy, dx)) + 45.0) % 90.0 - 45.0
    area = shapely.area(rectangles)
    fill = np.divide(shapely.area(polygons), area, out=np.zeros(len(polygons)), where=area > 0)
    use = ok & (np.abs(angle) >= rotate_min_deg) & (fill >= min_rectangularity)
    return np.where(use, angle, 0.0)


def _clean_names(values) -> np.ndarray:
    """Names as stripped strings; missing or blank become ''."""
    out = []
    for value in values:
        if value is None or (isinstance(value, float) and np.isnan(value)):
            out.append("")
        else:
            out.append(str(value).strip())
    return np.array(out, dtype=object)


def _segments(lines: np.ndarray):
    """Straight segments of an array of (multi)line geometries.

    Returns (owner index into ``lines``, x0, y0, x1, y1) arrays.
    """
    parts, owner = shapely.get_parts(lines, return_index=True)
    if len(parts) == 0:
        empty = np.zeros(0)
        return np.zeros(0, dtype=np.int64), empty, empty, empty, empty
    coords, part_index = shapely.get_coordinates(parts, return_index=True)
    same = part_index[1:] == part_index[:-1]
    start = np.flatnonzero(same)
    x0, y0 = coords[start, 0], coords[start, 1]
    x1, y1 = coords[start + 1, 0], coords[start + 1, 1]
    return owner[part_index[start]], x0, y0, x1, y1


def _without_holes(polygons: np.ndarray) -> np.ndarray:
    """Each (multi)polygon with its holes filled: only its outer edge."""
    parts, owner = shapely.get_parts(polygons, return_index=True)
    keep = shapely.get_type_id(parts) == 3
    filled = shapely.polygons(shapely.get_exterior_ring(parts[keep]))
    result = np.asarray(polygons, dtype=object).copy()
    if len(filled):
        grids_with_parts, dense = np.unique(owner[keep], return_inverse=True)
        result[grids_with_parts] = shapely.multipolygons(filled, indices=dense)
    return result


def _side_lengths(
    polygons: np.ndarray,
    lines: np.ndarray,
    tolerance_m: float,
    line_owner: np.ndarray | None = None,
    max_angle_deg: float = 30.0,
    axes_deg: np.ndarray | None = None,
):
    """Length of each polygon's boundary along each line (within ``max_angle_deg`` of parallel), by side.

    Returns a DataFrame with columns ``grid``, ``line``, ``side``, ``length_m``.
    """
    columns = {"grid": [], "line": [], "side": [], "length_m": []}
    if len(polygons) == 0 or len(lines) == 0:
        return pd.DataFrame(columns)
    buffers = shapely.buffer(lines, tolerance_m, cap_style="flat")
    # 四至 are the outer edge: a road round an enclave (a campus inside the grid) is no side of it
    polygons = _without_holes(polygons)
    boundaries = shapely.boundary(polygons)
    tree = shapely.STRtree(buffers)
    grid_idx, line_idx = tree.query(boundaries, predicate="intersects")
    if line_owner is not None:  # a grid's own outline is not its neighbour
        keep = grid_idx != line_owner[line_idx]
        grid_idx, line_idx = grid_idx[keep], line_idx[keep]
    if len(grid_idx) == 0:
        return pd.DataFrame(columns)
    pieces = shapely.intersection(boundaries[grid_idx], buffers[line_idx])
    owner, x0, y0, x1, y1 = _segments(pieces)
    dx, dy = x1 - x0, y1 - y0
    length = np.hypot(dx, dy)
    ok = length > 1e-9
    owner, x0, y0, dx, dy, length = owner[ok], x0[ok], y0[ok], dx[ok], dy[ok], length[ok]
    # Only edges running *along* the barrier count: a road crossing the grid passes its edge at an angle.
    mx, my = x0 + dx / 2.0, y0 + dy / 2.0
    along_lines = lines[line_idx[owner]]
    at = shapely.line_locate_point(along_lines, shapely.points(mx, my))
    before = shapely.line_interpolate_point(along_lines, np.maximum(at - 2.0, 0.0))
    after = shapely.line_interpolate_point(along_lines, at + 2.0)
    tx, ty = shapely.get_x(after) - shapely.get_x(before), shapely.get_y(after) - shapely.get_y(before)
    tangent = np.hypot(tx, ty)
    cosine = np.abs(dx * tx + dy * ty) / np.maximum(length * tangent, 1e-12)
    parallel = (cosine >= np.cos(np.radians(max_angle_deg))) & (tangent > 0)
    owner, x0, y0, dx, dy, length = (
        owner[parallel],
        x0[parallel],
        y0[parallel],
        dx[parallel],
        dy[parallel],
        length[parallel],
    )
    # Outward normal: a right-hand normal, flipped where a point just beyond it is inside the grid.
    nx, ny = dy / length, -dx / length
    mx, my = x0 + dx / 2.0, y0 + dy / 2.0
    probe = np.minimum(0.5, length / 4.0) + 1e-3
    # (shapely.contains_xy uses GEOS prepared geometry calls that crash inside qgis_process, where
    # QGIS's own GEOS is loaded first; a plain intersects is safe.)
    inside = shapely.intersects(polygons[grid_idx[owner]], shapely.points(mx + nx * probe, my + ny * probe))
    nx = np.where(inside, -nx, nx)
    ny = np.where(inside, -ny, ny)
    angle = np.degrees(np.arctan2(ny, nx))  # 0 = east, 90 = north
    if axes_deg is not None:  # the grid's own compass
        angle = (angle - axes_deg[grid_idx[owner]] + 180.0) % 360.0 - 180.0
    side = np.select(
        [(angle >= -45) & (angle < 45), (angle >= 45) & (angle < 135), (angle >= -135) & (angle < -45)],
        ["east", "north", "south"],
        default="west",
    )
    return pd.DataFrame(
        {"grid": grid_idx[owner], "line": line_idx[owner], "side": side, "length_m": length},
    )


_OPPOSITE = {"east": "west", "west": "east", "north": "south", "south": "north"}
_RING = ("east", "south", "west", "north")  # clockwise: neighbours in this ring are adjacent sides


def _is_arc(sides: set) -> bool:
    """True when ``sides`` are contiguous round the compass (one side, two adjacent, three, or all four)."""
    if len(sides) <= 1 or len(sides) == 4:
        return True
    if len(sides) == 3:
        return True  # three sides of four are contiguous: the feature runs round the side between
    first, second = sorted(sides, key=_RING.index)
    return _OPPOSITE[first] != second


def _sides_of_name(lengths: dict, min_length_m: float) -> list[str]:
    """The sides one feature is named on: its long enough runs, on one arc of the compass (see module doc).

    >>> _sides_of_name({"east": 300.0, "south": 280.0}, 40)  # bends round the south-east corner
    ['east', 'south']
    >>> _sides_of_name({"east": 300.0, "west": 200.0}, 40)  # both sides of a thin grid: the longer one
    ['east']
    """
    longest = max(lengths.values())
    sides = {side for side, length in lengths.items() if length >= min_length_m and length >= 0.25 * longest}
    if _is_arc(sides):
        return sorted(sides, key=_RING.index)
    return [max(sides, key=lambda side: (lengths[side], -_RING.index(side)))]


def _pick(frame: pd.DataFrame, names: np.ndarray, min_length_m: float, max_names: int) -> dict:
    """{(grid, side): [names]}: per side the longest names, each feature on one arc of sides only."""
    if frame.empty:
        return {}
    frame = frame.assign(name=names[frame["line"].to_numpy()])
    frame = frame[frame["name"] != ""]
    sums = frame.groupby(["grid", "name", "side"], sort=False)["length_m"].sum()
    if sums.empty:
        return {}
    candidates: dict = {}
    for (grid, name), per_side in sums.groupby(level=[0, 1], sort=False):
        lengths = {side: float(length) for (_g, _n, side), length in per_side.items()}
        for side in _sides_of_name(lengths, min_length_m):
            candidates.setdefault((int(grid), side), []).append((lengths[side], name))
    picked: dict = {}
    for key, options in candidates.items():
        options.sort(key=lambda item: (-item[0], item[1]))
        longest = options[0][0]
        # A second name is listed when it runs along at least a quarter of the first one's length.
        picked[key] = [name for length, name in options if length >= 0.25 * longest][:max_names]
    return picked


def _barrier_lines(barriers: gpd.GeoDataFrame, name_field: str, crs) -> tuple[np.ndarray, np.ndarray]:
    """Named barrier lines (polygon barriers by their outline; multi-part split) and their names."""
    if name_field not in barriers.columns:
        raise InputError(
            N_("The barrier layer has no field {field}; choose the field that holds road and river names."),
            field=name_field,
        )
    if crs is not None and barriers.crs is not None and barriers.crs != crs:
        barriers = barriers.to_crs(crs)
    lines = np.asarray(barriers.geometry.values, dtype=object)
    names = _clean_names(barriers[name_field].to_numpy(dtype=object))
    present = ~pd.isna(lines) & (names != "")
    present[present] = ~shapely.is_empty(lines[present])
    lines, names = lines[present], names[present]
    lines = np.where(shapely.get_dimensions(lines) == 2, shapely.boundary(lines), lines)
    lines, part_of = shapely.get_parts(lines, return_index=True)
    return lines, names[part_of]


def _neighbour_labels(grids: gpd.GeoDataFrame, code_field: str | None, grid_name_field: str | None) -> np.ndarray:
    """How a neighbouring grid is named in a 四至: its name when given, else its short code."""
    for field in (code_field, grid_name_field):
        if field is not None and field not in grids.columns:
            raise InputError(N_("The grid layer has no field {field}; choose the field with grid codes."), field=field)
    codes = short_codes(_clean_names(grids[code_field].to_numpy(dtype=object))) if code_field else None
    if grid_name_field is None:
        return np.array(codes, dtype=object)
    names = _clean_names(grids[grid_name_field].to_numpy(dtype=object))
    if codes is not None:
        names = np.where(names == "", np.array(codes, dtype=object), names)
    return names


def side_names(
    grids: gpd.GeoDataFrame,
    barriers: gpd.GeoDataFrame | None,
    *,
    name_field: str = "name",
    code_field: str | None = None,
    grid_name_field: str | None = None,
    area_label: str | None = None,
    tolerance_m: float = 25.0,
    min_length_m: float = 40.0,
    max_names_per_side: int = 2,
    rotate_min_deg: float = 10.0,
    report: Report | None = None,
) -> list[dict]:
    """For each grid, ``{side: [names]}`` of the barriers (or neighbour grids, or the area edge) along its sides.

    Parameters
    ----------
    grids : GeoDataFrame
        Grid polygons in a projected (metric) CRS.
    barriers : GeoDataFrame or None
        Lines (roads, waterways, railways, walls) with a name column; unnamed lines are ignored.
    name_field : str
        Column of ``barriers`` holding the name.
    code_field : str, optional
        Column of ``grids`` with grid codes; sides without a named barrier then name the
        neighbouring grid by its short code (``网格1004``), as notices do.
    grid_name_field : str, optional
        Column of ``grids`` with grid names, used for neighbours instead of the code when filled.
    area_label : str, optional
        What the outer edge of the plan is called (``学院路街道边界``); sides there with nothing named
        take it. Without it those sides are left out.
    tolerance_m : float
        How far a grid edge may lie from the barrier line and still run "along" it.
    min_length_m : float
        Shortest run along a barrier that counts (crossings and touches are shorter).
    max_names_per_side : int
        At most this many names per side, longest first.
    rotate_min_deg : float
        A grid turned at least this far from north (and nearly rectangular) uses its own axes as compass.

    Returns
    -------
    list of dict
        One dict per grid row, keys from :data:`SIDES`; values are lists of names; neighbour grids are
        ``("grid", label)`` tuples and the area edge ``("area", area_label)``.

    Examples
    --------
    >>> from shapely.geometry import box, LineString
    >>> grids = gpd.GeoDataFrame({"code": ["A"]}, geometry=[box(0, 0, 100, 100)], crs=3857)
    >>> roads = gpd.GeoDataFrame({"name": ["River Rd"]}, geometry=[LineString([(110, -50), (110, 150)])], crs=3857)
    >>> side_names(grids, roads)[0]["east"]
    ['River Rd']
    """
    report = report or Report()
    if grids is None or len(grids) == 0:
        raise InputError(N_("The grid layer has no features; choose a layer with grid polygons."))
    if grids.crs is not None and grids.crs.is_geographic:
        raise InputError(
            N_("The grid layer is in a geographic CRS ({crs}); reproject it to a metric CRS first."),
            crs=grids.crs.to_string(),
        )
    polygons = shapely.make_valid(np.asarray(grids.geometry.values, dtype=object))
    axes = grid_axes_deg(polygons, rotate_min_deg)
    result = [{side: [] for side in SIDES} for _ in range(len(grids))]
    if barriers is not None and len(barriers) > 0:
        lines, names = _barrier_lines(barriers, name_field, grids.crs)
        frame = _side_lengths(polygons, lines, tolerance_m, axes_deg=axes)
        for (grid, side), picked in _pick(frame, names, min_length_m, max_names_per_side).items():
            result[grid][side] = picked
    report.progress(60)
    if code_field is not None or grid_name_field is not None:
        labels = _neighbour_labels(grids, code_field, grid_name_field)
        rings, ring_owner = shapely.get_parts(shapely.boundary(polygons), return_index=True)
        frame = _side_lengths(polygons, rings, min(tolerance_m, 1.0), line_owner=ring_owner, axes_deg=axes)
        for (grid, side), picked in _pick(frame, labels[ring_owner], min_length_m, max_names_per_side).items():
            if not result[grid][side]:
                result[grid][side] = [("grid", label) for label in picked]
    report.progress(80)
    if area_label:
        outline = shapely.boundary(shapely.union_all(polygons))
        rings = shapely.get_parts(np.array([outline], dtype=object))
        frame = _side_lengths(polygons, rings, min(tolerance_m, 1.0), axes_deg=axes)
        edge = np.array([area_label] * len(rings), dtype=object)
        for (grid, side), _picked in _pick(frame, edge, min_length_m, 1).items():
            if not result[grid][side]:
                result[grid][side] = [("area", area_label)]
    report.progress(100)
    return result


def _shown(name, lang: str) -> str:
    if isinstance(name, tuple) and name[0] == "grid":
        return ("网格" if lang == "zh" else "grid ") + str(name[1])
    if isinstance(name, tuple):
        return str(name[1])
    return str(name)


def format_description(sides: dict, lang: str = "zh") -> str:
    """Write one grid's ``{side: [names]}`` as a notice line; sides with the same names are written together.

    Examples
    --------
    >>> format_description({"east": ["兴华路"], "south": [], "west": [("grid", "003")], "north": ["龙岗河", "X路"]})
    '东至兴华路，西至网格003，北至龙岗河、X路'
    >>> format_description({"east": ["环城路"], "south": ["环城路"], "north": [("area", "街道边界")]})
    '东、南至环城路，北至街道边界'
    >>> format_description({"east": ["Main St"], "south": ["Kymi River"]}, lang="en")
    'east: Main St; south: Kymi River'
    """
    groups: dict = {}
    for side in SIDES:
        names = tuple(_shown(name, lang) for name in sides.get(side) or [])
        if names:
            groups.setdefault(names, []).append(side)
    chunks = []
    for names, group in groups.items():
        if lang == "zh":
            chunks.append("、".join(SIDE_LABELS[side][0][0] for side in group) + "至" + "、".join(names))
        else:
            chunks.append(" and ".join(SIDE_LABELS[side][1] for side in group) + ": " + ", ".join(names))
    return ("，" if lang == "zh" else "; ").join(chunks)


def describe_boundaries(
    grids: gpd.GeoDataFrame,
    barriers: gpd.GeoDataFrame | None,
    *,
    name_field: str = "name",
    code_field: str | None = None,
    grid_name_field: str | None = None,
    area_label: str | None = None,
    lang: str = "zh",
    tolerance_m: float = 25.0,
    min_length_m: float = 40.0,
    max_names_per_side: int = 2,
    report: Report | None = None,
) -> pd.Series:
    """The boundary description (四至) of every grid, as a Series aligned with ``grids``.

    See :func:`side_names` for the parameters; ``lang`` is ``"zh"`` (``东至…，南至…``) or ``"en"``
    (``east: …; south: …``).

    Examples
    --------
    >>> from shapely.geometry import box, LineString
    >>> grids = gpd.GeoDataFrame({"code": ["A", "B"]}, geometry=[box(0, 0, 100, 100), box(100, 0, 200, 100)], crs=3857)
    >>> roads = gpd.GeoDataFrame({"name": ["兴华路"]}, geometry=[LineString([(-50, -3), (250, -3)])], crs=3857)
    >>> describe_boundaries(grids, roads, code_field="code").tolist()
    ['东至网格B，南至兴华路', '南至兴华路，西至网格A']
    """
    sides = side_names(
        grids,
        barriers,
        name_field=name_field,
        code_field=code_field,
        grid_name_field=grid_name_field,
        area_label=area_label,
        tolerance_m=tolerance_m,
        min_length_m=min_length_m,
        max_names_per_side=max_names_per_side,
        report=report,
    )
    return pd.Series([format_description(s, lang) for s in sides], index=grids.index, dtype=object)
