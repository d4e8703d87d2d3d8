"""Units for a plan that has none: the partition's unit builder run inside each grid.

A hand-drawn plan, the demo's plan or another tool's grids come without the partition's units. To edit
such a plan, the grids themselves are the parents of :func:`~grid_plugin.core.partition.units.build_units`:
each grid is cut by the barrier lines into blocks, and blocks heavier than a share of the target load
into one Voronoi cell per building. Grid outlines are part of the linework, so a unit never crosses a
grid edge and each grid is the union of its units.
"""

from __future__ import annotations

import numpy as np
import shapely

from ..errors import N_, InputError
from ..partition.units import build_units, classify_barriers

__all__ = ["SPLIT_SHARE", "units_for_plan"]

#: Blocks heavier than this share of the target load are cut into building cells (finer than the
#: partition's first pass, so a planner can move a few buildings' worth of households at a time).
SPLIT_SHARE = 0.3


def units_for_plan(grid_geoms, building_geoms, building_loads, barriers=None, *, target_load=400.0,
                   split_share=SPLIT_SHARE, barrier_class_field=None, report=None) -> dict:  # fmt: skip
    """Build editing units inside each grid.

    Parameters
    ----------
    grid_geoms : array of Polygon/MultiPolygon
        The grids (in a projected CRS).
    building_geoms : array of Polygon/Point
        Buildings; each counts at its representative point.
    building_loads : array of float
        Load (households) per building; NaN counts as 0.
    barriers : GeoDataFrame, optional
        Roads, waterways, railways: block edges (as in the partition; classes from ``barrier_class_field``
        or the usual OSM columns).
    target_load : float
        Target load per grid; blocks above ``split_share × target_load`` become building cells.

    Returns
    -------
    dict
        ``units`` (polygons), ``unit_grid`` (grid index per unit), ``unit_load``, ``unit_buildings``,
        ``building_unit`` (unit index per building, -1 outside every grid).

    Examples
    --------
    >>> import shapely, numpy as np
    >>> grids = np.array([shapely.box(0, 0, 100, 100), shapely.box(100, 0, 200, 100)], dtype=object)
    >>> houses = shapely.points([[20, 50], [80, 50], [150, 50]])
    >>> built = units_for_plan(grids, houses, np.array([100.0, 100.0, 50.0]), target_load=400)
    >>> built["unit_grid"].tolist(), built["unit_load"].tolist()  # the first grid (200 > 120) in two cells
    ([0, 0, 1], [100.0, 100.0, 50.0])
    """
    grid_geoms = np.asarray(grid_geoms, dtype=object)
    valid = ~(shapely.is_missing(grid_geoms) | shapely.is_empty(grid_geoms))
    if not valid.any():
        raise InputError(N_("The grid layer has no polygons to build units in."))
    parents = grid_geoms.copy()
    broken = valid & ~shapely.is_valid(np.where(valid, parents, shapely.Polygon()))
    if broken.any():
        parents[broken] = shapely.make_valid(parents[broken])
    parents[~valid] = shapely.Polygon()
    building_geoms = np.asarray(building_geoms, dtype=object)
    loads = np.nan_to_num(np.asarray(building_loads, dtype=float), nan=0.0)
    present = ~(shapely.is_missing(building_geoms) | shapely.is_empty(building_geoms))
    points = np.full(len(building_geoms), None, dtype=object)
    points[present] = shapely.point_on_surface(building_geoms[present])
    points[~present] = shapely.Point()
    strong, weak = classify_barriers(barriers, barrier_class_field)
    built = build_units(parents, strong, weak, points, loads, max(float(target_load), 1.0) * split_share, report=report)
    order = np.argsort(built["unit_parent"], kind="stable")  # units grid by grid
    rank = np.empty(order.size + 1, dtype=np.int64)
    rank[order] = np.arange(order.size)
    rank[-1] = -1
    units = built["units"][order]
    point_unit = np.where(present, rank[built["point_unit"]], -1)
    held = point_unit >= 0
    return {
        "units": units,
        "unit_grid": built["unit_parent"][order],
        "unit_load": np.bincount(point_unit[held], weights=loads[held], minlength=units.size),
        "unit_buildings": np.bincount(point_unit[held], minlength=units.size).astype(np.int64),
        "building_unit": point_unit,
    }
