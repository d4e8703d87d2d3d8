"""Synthetic towns: a street network, blocks, buildings with households, at any size.

Used by tests (property tests, processing tests without shared data) and by the scale benchmarks
(10k, 100k and 1M buildings). Everything is vectorised with numpy and shapely, so a town of one
million buildings is generated in seconds. The town is a rectangle in CGCS2000 / 3-degree
Gauss-Kruger CM 114E (EPSG:4547), crossed by a jittered orthogonal street network: every
``major_every``-th street is a ``primary`` road, the others ``residential``; some blocks carry a
mid-block ``footway`` or ``service`` line (weak barriers); a ``river`` waterway crosses the town.
Buildings sit on a lattice inside each block (set back from the streets, never overlapping, never
crossing a street); the centre is denser and has more apartment blocks.

Examples
--------
>>> town = synthetic_town(500, seed=1)
>>> len(town["buildings"]), int(town["buildings"]["households"].sum()) > 0
(500, True)
>>> sorted(town)
['area', 'buildings', 'roads', 'waterways']
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

__all__ = ["synthetic_town", "tile_layers", "office_parents", "SYNTHETIC_CRS"]

#: CGCS2000 / 3-degree Gauss-Kruger CM 114E (Shenzhen, Wuhan, ...): a real Chinese metric CRS.
SYNTHETIC_CRS = "EPSG:4547"
_ORIGIN = (500_000.0, 2_500_000.0)


def _street_positions(rng, length_m, mean_spacing_m):
    """Jittered street positions from 0 to ``length_m`` (both ends excluded)."""
    count = max(int(length_m / mean_spacing_m) + 2, 2)
    gaps = rng.uniform(0.7, 1.3, count) * mean_spacing_m
    positions = np.cumsum(gaps)
    positions = positions[positions < length_m - 0.5 * mean_spacing_m]
    return positions


def synthetic_town(
    n_buildings: int,
    *,
    seed: int = 0,
    block_m: float = 120.0,
    cell_m: float = 22.0,
    setback_m: float = 6.0,
    major_every: int = 4,
    weak_share: float = 0.35,
    n_parents: int = 1,
    mean_households: float = 4.8,
    crs: str = SYNTHETIC_CRS,
) -> dict:
    """Generate a synthetic town with exactly ``n_buildings`` buildings.

    Parameters
    ----------
    n_buildings : int
        Number of building polygons.
    seed : int
        Random seed; the same seed gives the same town.
    block_m : float
        Mean street spacing (block side) in metres.
    cell_m : float
        Lattice spacing of building plots inside a block, in metres.
    setback_m : float
        Distance between a street and the first building plot, in metres.
    major_every : int
        Every ``major_every``-th street is a ``primary`` road.
    weak_share : float
        Share of blocks that get a mid-block footway or service road.
    n_parents : int
        Number of parent units (communities) in the area layer; they are separated along primary
        roads in a near-square layout. Each has a ``code`` (``001``, ``002``, …) and a ``name``.
    mean_households : float
        Approximate mean households per building (the share of apartment blocks is tuned to it).
    crs : str
        CRS of the outputs (metric).

    Returns
    -------
    dict
        ``area`` (parent polygons: code, name), ``buildings`` (polygons: building, building_type,
        levels, households), ``roads`` (lines: highway, name), ``waterways`` (lines: waterway, name).
    """
    if n_buildings < 1:
        raise ValueError("n_buildings must be at least 1")
    rng = np.random.default_rng(seed)
    layout = _street_layout(rng, n_buildings, block_m, cell_m, setback_m)
    buildings = _synthetic_buildings(rng, layout, n_buildings, cell_m, mean_households, crs)
    roads = _synthetic_roads(rng, layout, major_every, weak_share, cell_m, crs)
    ox, oy = _ORIGIN
    xs, ys, side_m = layout["xs"], layout["ys"], layout["side_m"]
    # A river along a street (so that it never crosses a building).
    river_y = ys[len(ys) // 2] if len(ys) else side_m / 2
    waterways = gpd.GeoDataFrame(
        {"waterway": ["river"], "name": ["Synthetic river"]},
        geometry=[shapely.linestrings([[ox, oy + river_y + 0.0], [ox + side_m, oy + river_y]])],
        crs=crs,
    )
    area = _parents(xs, ys, side_m, n_parents, major_every, crs)
    return {"area": area, "buildings": buildings, "roads": roads, "waterways": waterways}


def _street_layout(rng, n_buildings: int, block_m: float, cell_m: float, setback_m: float) -> dict:
    """Streets and the lattice of building plots inside every block, grown until the plots suffice."""
    plots_per_block = max(int((block_m - 2 * setback_m) // cell_m), 1) ** 2
    fill = 0.7
    density_per_m2 = fill * plots_per_block / block_m**2
    side_m = float(np.sqrt(n_buildings / density_per_m2)) * 1.08 + 2 * block_m
    for _attempt in range(20):
        xs = _street_positions(rng, side_m, block_m)
        ys = _street_positions(rng, side_m, block_m)
        edges_x = np.concatenate([[0.0], xs, [side_m]])
        edges_y = np.concatenate([[0.0], ys, [side_m]])
        # Plots: a lattice inside every block, set back from the streets.
        plots = []
        for axis_edges in (edges_x, edges_y):
            lo = axis_edges[:-1] + setback_m
            hi = axis_edges[1:] - setback_m
            n_cells = np.maximum(((hi - lo) // cell_m).astype(int), 0)
            plots.append((lo, hi, n_cells))
        (x_lo, x_hi, nx), (y_lo, y_hi, ny) = plots
        # Centre coordinates of every plot cell, per axis, with the block index.
        col_block = np.repeat(np.arange(len(nx)), nx)
        col_offset = np.arange(nx.sum()) - np.repeat(np.cumsum(nx) - nx, nx)
        slack_x = (x_hi - x_lo) - nx * cell_m
        col_x = x_lo[col_block] + slack_x[col_block] / 2 + (col_offset + 0.5) * cell_m
        row_block = np.repeat(np.arange(len(ny)), ny)
        row_offset = np.arange(ny.sum()) - np.repeat(np.cumsum(ny) - ny, ny)
        slack_y = (y_hi - y_lo) - ny * cell_m
        row_y = y_lo[row_block] + slack_y[row_block] / 2 + (row_offset + 0.5) * cell_m
        capacity = len(col_x) * len(row_y)
        if capacity >= n_buildings * 1.15:
            break
        side_m *= 1.1
    return {
        "xs": xs,
        "ys": ys,
        "side_m": side_m,
        "edges_y": edges_y,
        "x_lo": x_lo,
        "nx": nx,
        "ny": ny,
        "slack_x": slack_x,
        "col_x": col_x,
        "row_y": row_y,
    }


def _synthetic_buildings(rng, layout: dict, n_buildings: int, cell_m: float, mean_households: float, crs):
    """Buildings on ``n_buildings`` plots, denser in the centre: apartments, houses, shops, public buildings."""
    side_m = layout["side_m"]
    # Choose n plots, denser in the centre (Gumbel top-k: weighted sampling without replacement).
    cx, cy = np.meshgrid(layout["col_x"], layout["row_y"], indexing="xy")
    cx = cx.ravel()
    cy = cy.ravel()
    radius = np.hypot(cx - side_m / 2, cy - side_m / 2) / (side_m / 2)
    centrality = np.clip(1.0 - radius, 0.0, 1.0)
    weights = 0.35 + centrality
    keys = np.log(weights) + rng.gumbel(size=weights.size)
    chosen = np.argpartition(-keys, n_buildings - 1)[:n_buildings]
    chosen.sort()
    px, py, pc = cx[chosen], cy[chosen], centrality[chosen]
    # Building kinds and sizes.
    # calibrated so that the mean households per building comes out close to ``mean_households``
    apartment_share = np.clip((mean_households - 1.17) / 14.9, 0.0, 0.9)
    is_apartment = rng.random(n_buildings) < apartment_share * (0.5 + pc)
    is_commercial = (~is_apartment) & (rng.random(n_buildings) < 0.06 + 0.1 * pc)
    is_public = (~is_apartment) & (~is_commercial) & (rng.random(n_buildings) < 0.03)
    size_max = cell_m - 3.0
    width = np.where(is_apartment, rng.uniform(0.75, 1.0, n_buildings), rng.uniform(0.4, 0.7, n_buildings)) * size_max
    depth = np.where(is_apartment, rng.uniform(0.6, 1.0, n_buildings), rng.uniform(0.4, 0.7, n_buildings)) * size_max
    levels = np.where(is_apartment, rng.integers(3, 13, n_buildings), rng.integers(1, 3, n_buildings)).astype(float)
    footprint = width * depth
    households = np.where(
        is_apartment,
        np.round(footprint * levels / 100.0),
        np.where(is_commercial | is_public, 0, np.where(rng.random(n_buildings) < 0.2, 2, 1)),
    ).astype(np.int64)
    shift_x = rng.uniform(-1, 1, n_buildings) * (cell_m - width) / 2 * 0.8
    shift_y = rng.uniform(-1, 1, n_buildings) * (cell_m - depth) / 2 * 0.8
    x0 = _ORIGIN[0] + px + shift_x
    y0 = _ORIGIN[1] + py + shift_y
    geometry = shapely.box(x0 - width / 2, y0 - depth / 2, x0 + width / 2, y0 + depth / 2)
    kind = np.where(
        is_apartment, "apartments", np.where(is_commercial, "commercial", np.where(is_public, "public", "house"))
    )
    building_type = np.where(is_commercial, "commercial", np.where(is_public, "public", "residential"))
    return gpd.GeoDataFrame(
        {
            "building": kind,
            "building_type": building_type,
            "levels": levels,
            "households": households,
        },
        geometry=geometry,
        crs=crs,
    )


def _synthetic_roads(rng, layout: dict, major_every: int, weak_share: float, cell_m: float, crs):
    """Full-length streets (every block closed; every ``major_every``-th primary) and weak mid-block lines."""
    ox, oy = _ORIGIN
    xs, ys, side_m = layout["xs"], layout["ys"], layout["side_m"]
    nx, ny, x_lo, slack_x, edges_y = layout["nx"], layout["ny"], layout["x_lo"], layout["slack_x"], layout["edges_y"]
    lines, highway = [], []
    for i, x in enumerate(xs):
        lines.append(shapely.linestrings([[ox + x, oy], [ox + x, oy + side_m]]))
        highway.append("primary" if i % major_every == 0 else "residential")
    for j, y in enumerate(ys):
        lines.append(shapely.linestrings([[ox, oy + y], [ox + side_m, oy + y]]))
        highway.append("primary" if j % major_every == 0 else "residential")
    # Weak mid-block lines along a plot-lattice boundary (they never cross a building).
    n_bx, n_by = len(nx), len(ny)
    block_ix, block_iy = np.meshgrid(np.arange(n_bx), np.arange(n_by), indexing="xy")
    block_ix, block_iy = block_ix.ravel(), block_iy.ravel()
    weak = (rng.random(block_ix.size) < weak_share) & (nx[block_ix] >= 2)
    wx_block = block_ix[weak]
    wy_block = block_iy[weak]
    mid_cells = nx[wx_block] // 2
    wx = x_lo[wx_block] + slack_x[wx_block] / 2 + mid_cells * cell_m
    weak_lines = shapely.linestrings(
        np.stack(
            [
                np.stack([ox + wx, oy + edges_y[wy_block]], axis=1),
                np.stack([ox + wx, oy + edges_y[wy_block + 1]], axis=1),
            ],
            axis=1,
        )
    )
    weak_kind = np.where(rng.random(weak_lines.size) < 0.6, "footway", "service")
    return gpd.GeoDataFrame(
        {
            "highway": np.concatenate([np.array(highway, dtype=object), weak_kind.astype(object)]),
            "name": [None] * (len(lines) + weak_lines.size),
        },
        geometry=np.concatenate([np.array(lines, dtype=object), weak_lines]),
        crs=crs,
    )


def _parents(xs, ys, side_m, n_parents, major_every, crs):
    """Split the town rectangle into ``n_parents`` communities along primary roads."""
    ox, oy = _ORIGIN
    majors_x = [x for i, x in enumerate(xs) if i % major_every == 0]
    majors_y = [y for j, y in enumerate(ys) if j % major_every == 0]
    n_cols = max(int(np.ceil(np.sqrt(n_parents))), 1)
    n_rows = max(int(np.ceil(n_parents / n_cols)), 1)
    n_cols = min(n_cols, len(majors_x) + 1)
    n_rows = min(n_rows, len(majors_y) + 1)

    def cuts(majors, count):
        if count <= 1 or not majors:
            return [0.0, side_m]
        picks = np.linspace(0, len(majors) - 1, count + 1)[1:-1].round().astype(int)
        inner = sorted({majors[p] for p in picks})
        return [0.0, *inner, side_m]

    cut_x = cuts(majors_x, n_cols)
    cut_y = cuts(majors_y, n_rows)
    polygons, codes = [], []
    for row in range(len(cut_y) - 1):
        for col in range(len(cut_x) - 1):
            polygons.append(shapely.box(ox + cut_x[col], oy + cut_y[row], ox + cut_x[col + 1], oy + cut_y[row + 1]))
            codes.append(f"{len(codes) + 1:03d}")
    return gpd.GeoDataFrame(
        {"code": codes, "name": [f"Community {c}" for c in codes]},
        geometry=polygons,
        crs=crs,
    )


def office_parents(area, county: str = "440307", township: str = "015", ur_codes=None):
    """The parents of a synthetic town as a grid office holds them: 统计用区划代码 and 城乡分类代码.

    Parameters
    ----------
    area : GeoDataFrame
        Parent polygons (e.g. ``synthetic_town(...)["area"]``), one community or village each.
    county, township : str
        6-digit county and 3-digit township codes (default 440307 015: 龙岗区 龙城街道, Shenzhen).
    ur_codes : sequence of str, optional
        城乡分类代码 per parent (111 主城区 … 220 村庄); default ``"111"`` (urban) for all. As in the
        national table, urban parents (1xx, 居委会) are numbered 001, 002, … and rural ones (2xx,
        村委会) 201, 202, ….

    Returns
    -------
    GeoDataFrame
        ``code`` (12 digits), ``name``, ``ur_code`` and the geometry of ``area``.

    Examples
    --------
    >>> import shapely, geopandas as gpd
    >>> area = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)], crs=SYNTHETIC_CRS)
    >>> office_parents(area, ur_codes=["111", "220"])[["code", "name", "ur_code"]].values.tolist()
    [['440307015001', '第1社区居委会', '111'], ['440307015201', '第1村委会', '220']]
    """
    ur_codes = [str(c) for c in (ur_codes if ur_codes is not None else ["111"] * len(area))]
    if len(ur_codes) != len(area):
        raise ValueError("give one 城乡分类代码 per parent")
    codes, names, urban, rural = [], [], 0, 0
    for ur in ur_codes:
        if ur.startswith("2"):
            rural += 1
            codes.append(f"{county}{township}{200 + rural:03d}")
            names.append(f"第{rural}村委会")
        else:
            urban += 1
            codes.append(f"{county}{township}{urban:03d}")
            names.append(f"第{urban}社区居委会")
    return gpd.GeoDataFrame(
        {"code": codes, "name": names, "ur_code": ur_codes}, geometry=area.geometry.values, crs=area.crs
    )


def tile_layers(layers: dict, n: int, *, area_layer: str = "boundary", code_field: str = "code") -> dict:
    """Repeat real layers ``n`` × ``n`` times side by side: a big town made of real streets and buildings.

    Every tile is the input shifted by whole multiples of the area layer's extent, so streets,
    buildings and their attributes are real while the size grows. The area features of all tiles become
    parents coded ``001``, ``002``, ... (tile by tile, row by row) in ``code_field``. Used by the scale
    benchmark on real geometry (tiled Kotka).

    Parameters
    ----------
    layers : dict of str to GeoDataFrame
        Layers in one projected CRS; ``layers[area_layer]`` gives the tile step.
    n : int
        Tiles per side (``n * n`` tiles).

    Returns
    -------
    dict of str to GeoDataFrame
        The same keys, each layer ``n * n`` times as long.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> square = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 10, 10)], crs="EPSG:4547")
    >>> tiled = tile_layers({"boundary": square}, 3)
    >>> len(tiled["boundary"]), tiled["boundary"].total_bounds.tolist(), tiled["boundary"]["code"].iloc[-1]
    (9, [0.0, 0.0, 30.0, 30.0], '009')
    """
    if int(n) < 1:
        raise ValueError("n must be at least 1")
    n = int(n)
    x0, y0, x1, y1 = layers[area_layer].total_bounds
    step_x, step_y = float(np.ceil(x1 - x0)), float(np.ceil(y1 - y0))
    offsets = [(col * step_x, row * step_y) for row in range(n) for col in range(n)]
    out = {}
    for name, frame in layers.items():
        geoms = np.asarray(frame.geometry.values, dtype=object)
        pieces = []
        for dx, dy in offsets:
            shifted = shapely.transform(geoms, lambda xy, dx=dx, dy=dy: xy + (dx, dy))
            pieces.append(gpd.GeoDataFrame(frame.drop(columns=frame.geometry.name), geometry=shifted, crs=frame.crs))
        tiled = gpd.GeoDataFrame(pd.concat(pieces, ignore_index=True), geometry="geometry", crs=frame.crs)
        if name == area_layer:
            tiled[code_field] = [f"{i + 1:03d}" for i in range(len(tiled))]
        out[name] = tiled
    return out
