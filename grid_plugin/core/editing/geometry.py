"""Geometry helpers of hand editing: compactness, the union of a grid's units, and the unit graph.

The unit graph is the partition's own (:func:`grid_plugin.core.partition.units.unit_adjacency`: two
units are neighbours when they share a stretch of boundary), so editing and partition agree on what
"adjacent" means. Units that do not share their vertices (T-junctions, sliver gaps of overlay
rounding) are noded first by snapping them to their neighbours' vertices.
"""

from __future__ import annotations

import numpy as np
import shapely
from scipy import sparse

from ..partition.units import unit_adjacency

__all__ = ["AREA_EPS_M2", "polsby_popper", "union_units", "rook_adjacency"]

#: Area (m²) below which a difference is floating-point noise, not a gap or an overlap.
AREA_EPS_M2 = 0.01


def polsby_popper(area_m2, perimeter_m):
    """Polsby–Popper compactness 4πA/P² (1 for a circle, 0 for a line); 0 where the perimeter is 0.

    >>> round(float(polsby_popper(1.0, 4.0)), 4)  # a square
    0.7854
    """
    area_m2 = np.asarray(area_m2, dtype=float)
    perimeter_m = np.asarray(perimeter_m, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(perimeter_m > 0, 4.0 * np.pi * area_m2 / perimeter_m**2, 0.0)
    return value


def rook_adjacency(geoms, *, tolerance_m: float = 0.001) -> sparse.csr_matrix:
    """Rook adjacency of units: neighbours share a stretch of boundary; a corner contact is not enough.

    The partition's segment matching (:func:`~grid_plugin.core.partition.units.unit_adjacency`) on the
    units; where a unit has a boundary segment that no other unit shares although another unit lies
    within ``tolerance_m`` of it (a T-junction, or a sliver gap left by overlay rounding), those units are
    first snapped to each other's vertices (within ``tolerance_m``) and matched again.

    >>> import shapely
    >>> adj = rook_adjacency([shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1), shapely.box(2, 1, 3, 2),
    ...                       shapely.box(0, 1, 0.5, 2)])  # the last touches the first along half an edge
    >>> adj.toarray().tolist()
    [[0, 1, 0, 1], [1, 0, 0, 0], [0, 0, 0, 0], [1, 0, 0, 0]]
    """
    geoms = np.asarray(geoms, dtype=object)
    n = len(geoms)
    if n == 0:
        return sparse.csr_matrix((0, 0), dtype=np.int8)
    graph = _shared_boundary(geoms)
    start, end, owner, other = graph["segments"]
    lonely = other < 0
    if lonely.any():
        middles = shapely.points((start[lonely] + end[lonely]) / 2)
        tree = shapely.STRtree(geoms)
        hit_segment, hit_unit = tree.query(middles, predicate="dwithin", distance=tolerance_m)
        seg_owner = owner[lonely][hit_segment]
        foreign = hit_unit != seg_owner
        if foreign.any():
            touched = np.unique(np.concatenate([seg_owner[foreign], hit_unit[foreign]]))
            graph = _shared_boundary(_snapped(geoms, touched, tree, tolerance_m))
    length = graph["length"].tocsr()
    length.data = (length.data > 0).astype(np.int8)
    length.eliminate_zeros()
    return length.astype(np.int8)


def _shared_boundary(geoms):
    none = np.zeros(0, dtype=object)
    return unit_adjacency(geoms, np.zeros(len(geoms), dtype=np.int64), none, none)


def _snapped(geoms, touched, tree, tolerance_m):
    """``geoms`` with the ``touched`` units snapped to the vertices of the units near them (noding)."""
    noded = geoms.copy()
    near_of, near = tree.query(geoms[touched], predicate="dwithin", distance=tolerance_m)
    keep = near != touched[near_of]
    near_of, near = near_of[keep], near[keep]
    order = np.argsort(near_of, kind="stable")
    near_of, near = near_of[order], near[order]
    coords, owner = shapely.get_coordinates(geoms[near], return_index=True)
    if not len(coords):
        return noded
    # one multipoint of the neighbours' vertices per touched unit
    points = shapely.multipoints(coords, indices=near_of[owner])
    has = np.unique(near_of[owner])
    noded[touched[has]] = shapely.snap(geoms[touched[has]], points[has], tolerance_m)
    return noded


def union_units(geoms, total_area_m2: float | None = None):
    """Union of units that tile (a coverage): the fast coverage union, checked, else the full overlay.

    ``coverage_union_all`` only dissolves shared edges, which is exact (and ~30× faster) when the units
    neither overlap nor leave slivers; the result is accepted when it is valid and keeps the units'
    total area, otherwise the robust ``union_all`` is used.
    """
    geoms = np.asarray(geoms, dtype=object)
    if len(geoms) == 1:
        return geoms[0]
    total = float(shapely.area(geoms).sum()) if total_area_m2 is None else float(total_area_m2)
    try:
        merged = shapely.coverage_union_all(geoms)
    except shapely.errors.GEOSException:
        merged = None
    if (
        merged is not None
        and shapely.get_type_id(merged) in (3, 6)
        and shapely.is_valid(merged)
        and abs(float(shapely.area(merged)) - total) <= max(AREA_EPS_M2, 1e-9 * total)
    ):
        return merged
    return shapely.union_all(geoms)
