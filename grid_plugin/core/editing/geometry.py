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
    units = np.asarray(geoms, dtype=object)
    n = len(units)
    if n == 0:
        return sparse.csr_matrix((0, 0), dtype=np.int8)
    # the segment matching works on polygons: a multipolygon unit takes part through each of its parts
    geoms, part_owner = shapely.get_parts(units, return_index=True)
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
    length = graph["length"].tocoo()
    keep = (length.data > 0) & (part_owner[length.row] != part_owner[length.col])
    rows, cols = part_owner[length.row[keep]], part_owner[length.col[keep]]
    adjacency = sparse.csr_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(n, n))
    adjacency.data[:] = 1  # duplicates (several shared parts) summed: back to 0/1
    return adjacency


def _shared_boundary(geoms):
    none = np.zeros(0, dtype=object)
    return unit_adjacency(geoms, np.zeros(len(geoms), dtype=np.int64), none, none)


def _snapped(geoms, touched, tree, tolerance_m):
    """``geoms`` with the ``touched`` units noded against the units near them.

    Snapping two units to each other's original vertices would make near-equal vertices swap places, so
    it goes in a fixed order: first each touched unit (in index order) moves its vertices onto those of
    the units that stay put (untouched) or were done before it (lower index), taking their vertices into
    its edges; then each takes into its edges the remaining vertices of its neighbours that lie on them
    (T-junctions), without moving any vertex of its own.
    """
    noded = geoms.copy()
    is_touched = np.zeros(len(geoms), dtype=bool)
    is_touched[touched] = True
    near_of, near = tree.query(geoms[touched], predicate="dwithin", distance=tolerance_m)
    neighbours = {int(u): [] for u in touched}
    for i, v in zip(near_of.tolist(), near.tolist()):
        if v != touched[i]:
            neighbours[int(touched[i])].append(v)

    def others_points(u, among, near_own):
        own = shapely.get_coordinates(noded[u])
        points = np.unique(shapely.get_coordinates(noded[among]), axis=0)
        gap = np.min(np.hypot(points[:, None, 0] - own[None, :, 0], points[:, None, 1] - own[None, :, 1]), axis=1)
        return points[(gap <= tolerance_m) == near_own]

    for u in sorted(neighbours):  # move own vertices onto the anchors' near-equal ones
        anchors = [v for v in neighbours[u] if v < u or not is_touched[v]]
        points = others_points(u, anchors, True) if anchors else ()
        if len(points):
            noded[u] = shapely.snap(noded[u], shapely.multipoints(points), tolerance_m)
    for u in sorted(neighbours):  # take the others' remaining vertices that lie on its edges
        points = others_points(u, neighbours[u], False) if neighbours[u] else ()
        if len(points):
            noded[u] = shapely.snap(noded[u], shapely.multipoints(points), tolerance_m)
        # an overlay sliver can leave a vertex on an edge of its own unit (1e-10 m off); a neighbour takes
        # that vertex into its edge, so this unit must have it there too (GEOS never snaps to its own vertices)
        noded[u] = _crack_with_own_vertices(noded[u], tolerance_m / 1000)
    return noded


def _crack_with_own_vertices(geometry, eps):
    """``geometry`` with each of its vertices that lies within ``eps`` of one of its own edges inserted there."""
    vertices = np.unique(shapely.get_coordinates(geometry), axis=0)

    def crack(ring):
        coords = shapely.get_coordinates(ring)
        out = [coords[0]]
        for a, b in zip(coords[:-1], coords[1:]):
            d = b - a
            length2 = float(d @ d)
            if length2 > 0:
                t = ((vertices - a) @ d) / length2
                foot = a + np.outer(t, d)
                off = np.hypot(*(vertices - foot).T)
                inside = (t > 0) & (t < 1) & (off <= eps)
                inside &= ~(np.all(vertices == a, axis=1) | np.all(vertices == b, axis=1))
                out.extend(vertices[inside][np.argsort(t[inside])])
            out.append(b)
        return np.array(out)

    polygons = []
    changed = False
    for part in shapely.get_parts(geometry):
        if shapely.get_type_id(part) != 3:
            return geometry
        shell = crack(part.exterior)
        holes = [crack(ring) for ring in part.interiors]
        changed |= len(shell) != len(part.exterior.coords) or any(
            len(h) != len(r.coords) for h, r in zip(holes, part.interiors)
        )
        polygons.append(shapely.Polygon(shell, holes))
    if not changed:
        return geometry
    return polygons[0] if shapely.get_type_id(geometry) == 3 else shapely.MultiPolygon(polygons)


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
