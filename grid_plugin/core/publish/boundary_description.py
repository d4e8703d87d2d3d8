"""Which named roads, rivers and railways bound each grid: the 四至 line of a public grid sheet.

A grid's *boundary description* names, for each side of the grid (east, south, west, north), the
barrier that runs along that side, e.g. ``东至兴华路，南至龙岗河，西至网格 003，北至龙城大道``.
Public notices (公示) of grid plans carry this line so residents can find their grid without a map.

How the side is found: the grid boundary is cut into straight segments; a segment belongs to a
barrier when it lies within ``tolerance_m`` of the barrier line (grid edges drawn on a road's
centre line or offset to its kerb both count), and its side is the compass direction of its
*outward normal* (so the long north edge of a long thin grid is north even near its east end).
Lengths are summed per (grid, side, name); the longest names on each side win. Sides with no named
barrier fall back to the neighbouring grid's code, when codes are given; sides on the outer edge of
the area with nothing named are left out.

Everything is vectorised over segments with shapely 2 and an STRtree; no loop over grids.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..errors import N_, InputError, Report

__all__ = ["SIDES", "SIDE_LABELS", "side_names", "describe_boundaries", "format_description"]

#: Sides in the order public notices list them (东、南、西、北).
SIDES = ("east", "south", "west", "north")
#: How each side is written: (Chinese prefix, English prefix).
SIDE_LABELS = {
    "east": ("东至", "east"),
    "south": ("南至", "south"),
    "west": ("西至", "west"),
    "north": ("北至", "north"),
}


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


def _side_lengths(
    polygons: np.ndarray,
    lines: np.ndarray,
    tolerance_m: float,
    line_owner: np.ndarray | None = None,
    max_angle_deg: float = 30.0,
):
    """Length of each polygon's boundary along each line (within ``max_angle_deg`` of parallel), by side.

    Returns a DataFrame with columns ``grid``, ``line``, ``side``, ``length_m``.
    """
    columns = {"grid": [], "line": [], "side": [], "length_m": []}
    if len(polygons) == 0 or len(lines) == 0:
        return pd.DataFrame(columns)
    buffers = shapely.buffer(lines, tolerance_m, cap_style="flat")
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
    side = np.select(
        [(angle >= -45) & (angle < 45), (angle >= 45) & (angle < 135), (angle >= -135) & (angle < -45)],
        ["east", "north", "south"],
        default="west",
    )
    return pd.DataFrame(
        {"grid": grid_idx[owner], "line": line_idx[owner], "side": side, "length_m": length},
    )


def _pick(frame: pd.DataFrame, names: np.ndarray, min_length_m: float, max_names: int) -> dict:
    """{(grid, side): [names]} keeping the longest names per side."""
    if frame.empty:
        return {}
    frame = frame.assign(name=names[frame["line"].to_numpy()])
    frame = frame[frame["name"] != ""]
    sums = frame.groupby(["grid", "side", "name"], sort=False)["length_m"].sum().reset_index()
    sums = sums[sums["length_m"] >= min_length_m]
    if sums.empty:
        return {}
    longest = sums.groupby(["grid", "side"])["length_m"].transform("max")
    # A second name is listed when it runs along at least a quarter of the first one's length.
    sums = sums[sums["length_m"] >= 0.25 * longest]
    sums = sums.sort_values(["grid", "side", "length_m", "name"], ascending=[True, True, False, True])
    picked: dict = {}
    for (grid, side), group in sums.groupby(["grid", "side"], sort=False):
        picked[(int(grid), side)] = list(group["name"].to_numpy()[:max_names])
    return picked


def side_names(
    grids: gpd.GeoDataFrame,
    barriers: gpd.GeoDataFrame | None,
    *,
    name_field: str = "name",
    code_field: str | None = None,
    tolerance_m: float = 25.0,
    min_length_m: float = 40.0,
    max_names_per_side: int = 2,
    report: Report | None = None,
) -> list[dict]:
    """For each grid, ``{side: [names]}`` of the barriers (or neighbour grids) along its sides.

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
        neighbouring grid (``网格 003``), as notices do.
    tolerance_m : float
        How far a grid edge may lie from the barrier line and still run "along" it.
    min_length_m : float
        Shortest run along a barrier that counts (crossings and touches are shorter).
    max_names_per_side : int
        At most this many names per side, longest first.

    Returns
    -------
    list of dict
        One dict per grid row, keys from :data:`SIDES`; values are lists of names, and
        neighbour grids are ``("grid", code)`` tuples.

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
    result = [{side: [] for side in SIDES} for _ in range(len(grids))]
    if barriers is not None and len(barriers) > 0:
        if name_field not in barriers.columns:
            raise InputError(
                N_("The barrier layer has no field {field}; choose the field that holds road and river names."),
                field=name_field,
            )
        if grids.crs is not None and barriers.crs is not None and barriers.crs != grids.crs:
            barriers = barriers.to_crs(grids.crs)
        lines = np.asarray(barriers.geometry.values, dtype=object)
        names = _clean_names(barriers[name_field].to_numpy(dtype=object))
        present = ~shapely.is_empty(lines) & ~pd.isna(lines) & (names != "")
        lines, names = lines[present], names[present]
        # Polygon barriers (water areas) count by their outline; multi-part lines split into parts.
        lines = np.where(shapely.get_dimensions(lines) == 2, shapely.boundary(lines), lines)
        lines, part_of = shapely.get_parts(lines, return_index=True)
        names = names[part_of]
        frame = _side_lengths(polygons, lines, tolerance_m)
        for (grid, side), picked in _pick(frame, names, min_length_m, max_names_per_side).items():
            result[grid][side] = picked
    report.progress(60)
    if code_field is not None:
        if code_field not in grids.columns:
            raise InputError(
                N_("The grid layer has no field {field}; choose the field with grid codes."), field=code_field
            )
        codes = _clean_names(grids[code_field].to_numpy(dtype=object))
        rings, ring_owner = shapely.get_parts(shapely.boundary(polygons), return_index=True)
        frame = _side_lengths(polygons, rings, min(tolerance_m, 1.0), line_owner=ring_owner)
        neighbour = _pick(frame, codes[ring_owner], min_length_m, max_names_per_side)
        for (grid, side), picked in neighbour.items():
            if not result[grid][side]:
                result[grid][side] = [("grid", code) for code in picked]
    report.progress(100)
    return result


def format_description(sides: dict, lang: str = "zh") -> str:
    """Write one grid's ``{side: [names]}`` as a notice line.

    Examples
    --------
    >>> format_description({"east": ["兴华路"], "south": [], "west": [("grid", "003")], "north": ["龙岗河", "X路"]})
    '东至兴华路，西至网格 003，北至龙岗河、X路'
    >>> format_description({"east": ["Main St"], "south": ["Kymi River"]}, lang="en")
    'east: Main St; south: Kymi River'
    """
    chunks = []
    for side in SIDES:
        names = sides.get(side) or []
        if not names:
            continue
        shown = []
        for name in names:
            if isinstance(name, tuple):
                shown.append(("网格 " if lang == "zh" else "grid ") + str(name[1]))
            else:
                shown.append(str(name))
        zh_prefix, en_prefix = SIDE_LABELS[side]
        if lang == "zh":
            chunks.append(zh_prefix + "、".join(shown))
        else:
            chunks.append(f"{en_prefix}: " + ", ".join(shown))
    return ("，" if lang == "zh" else "; ").join(chunks)


def describe_boundaries(
    grids: gpd.GeoDataFrame,
    barriers: gpd.GeoDataFrame | None,
    *,
    name_field: str = "name",
    code_field: str | None = None,
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
    ['东至网格 B，南至兴华路', '南至兴华路，西至网格 A']
    """
    sides = side_names(
        grids,
        barriers,
        name_field=name_field,
        code_field=code_field,
        tolerance_m=tolerance_m,
        min_length_m=min_length_m,
        max_names_per_side=max_names_per_side,
        report=report,
    )
    return pd.Series([format_description(s, lang) for s in sides], index=grids.index, dtype=object)
