"""Boundary adherence (便利性): how much of the internal grid edges runs along a barrier line.

An internal edge is a piece of boundary two grids share (:func:`internal_edges`); it *adheres* where it
lies within ``adherence_m`` of a road, river, railway or wall (:func:`adherent_length`), measured exactly
on straight segments (capsule intervals), not by buffering.
"""

from __future__ import annotations

import numpy as np
import shapely

__all__ = ["internal_edges", "adherent_length"]


def internal_edges(grid_geoms: np.ndarray, union=None, eps_m: float = 1e-3) -> np.ndarray:
    """The internal grid edges: grid boundaries shared between grids, as an array of line parts.

    All grid boundaries are merged (noded on a 0.1 mm grid, so shared segments count once even when the
    two grids' vertices differ by rounding) and the outer boundary of the union of the grids (including
    rings around gaps) is removed; ``eps_m`` absorbs rounding.
    """
    grid_geoms = np.asarray(grid_geoms, dtype=object)
    if len(grid_geoms) < 2:
        return np.empty(0, dtype=object)
    union = union if union is not None else shapely.union_all(grid_geoms)
    # Node on a 0.1 mm grid: edges that two grids share only up to rounding (a vertex 1e-9 m off) are then
    # merged and counted once, instead of twice as two nearly coincident lines.
    lines = shapely.union_all(shapely.boundary(grid_geoms), grid_size=1e-4)
    outer = shapely.buffer(shapely.boundary(union), eps_m, cap_style="flat")
    inner = shapely.difference(lines, outer)
    parts = shapely.get_parts(inner)
    parts = parts[np.isin(shapely.get_type_id(parts), (1, 2))]
    return parts[shapely.length(parts) > 0]


def _segments(lines: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end points (n×2 arrays) of every straight segment of ``lines`` (zero-length ones dropped)."""
    parts = shapely.get_parts(np.asarray(lines, dtype=object))
    parts = parts[np.isin(shapely.get_type_id(parts), (1, 2))]
    if len(parts) == 0:
        return np.empty((0, 2)), np.empty((0, 2))
    coords, owner = shapely.get_coordinates(parts, return_index=True)
    same = owner[1:] == owner[:-1]
    starts, ends = coords[:-1][same], coords[1:][same]
    keep = np.any(starts != ends, axis=1)
    return starts[keep], ends[keep]


def _slab(offset: np.ndarray, rate: np.ndarray, low, high) -> tuple[np.ndarray, np.ndarray]:
    """The t with ``low <= offset + t * rate <= high`` as [lo, hi] (empty: lo > hi)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        t1 = (low - offset) / rate
        t2 = (high - offset) / rate
    flat = np.abs(rate) < 1e-12
    inside = (offset >= low) & (offset <= high)
    lo = np.where(flat, np.where(inside, -np.inf, np.inf), np.minimum(t1, t2))
    hi = np.where(flat, np.where(inside, np.inf, -np.inf), np.maximum(t1, t2))
    return lo, hi


def _disk(start: np.ndarray, unit: np.ndarray, centre: np.ndarray, radius: float):
    """The t with ``|start + t * unit - centre| <= radius`` as [lo, hi] (empty: lo > hi)."""
    w = start - centre
    p = np.einsum("ij,ij->i", unit, w)
    q = np.einsum("ij,ij->i", w, w) - radius * radius
    disc = p * p - q
    root = np.sqrt(np.maximum(disc, 0.0))
    empty = disc < 0
    return np.where(empty, np.inf, -p - root), np.where(empty, -np.inf, -p + root)


def _capsule_interval(start, unit, c, d, radius):
    """Interval of t along the lines ``start + t * unit`` within ``radius`` of the segments [c, d].

    The points within ``radius`` of a segment form a capsule (a rectangle with two half-disks), which is
    convex, so its intersection with a line is one interval: the hull of the intervals cut by the
    rectangle and by the two end disks. Exact (true round caps), vectorised over pairs.
    """
    along = d - c
    length = np.hypot(along[:, 0], along[:, 1])
    v = along / length[:, None]
    normal = np.stack([-v[:, 1], v[:, 0]], axis=1)
    w = start - c
    lo_s, hi_s = _slab(np.einsum("ij,ij->i", w, v), np.einsum("ij,ij->i", unit, v), 0.0, length)
    lo_h, hi_h = _slab(np.einsum("ij,ij->i", w, normal), np.einsum("ij,ij->i", unit, normal), -radius, radius)
    lo_r, hi_r = np.maximum(lo_s, lo_h), np.minimum(hi_s, hi_h)
    lo_r, hi_r = np.where(lo_r <= hi_r, lo_r, np.inf), np.where(lo_r <= hi_r, hi_r, -np.inf)
    lo_c, hi_c = _disk(start, unit, c, radius)
    lo_d, hi_d = _disk(start, unit, d, radius)
    return np.minimum(np.minimum(lo_r, lo_c), lo_d), np.maximum(np.maximum(hi_r, hi_c), hi_d)


def adherent_length(edge_parts: np.ndarray, barrier_geoms: np.ndarray, adherence_m: float) -> float:
    """Length of ``edge_parts`` within ``adherence_m`` of any barrier line.

    Both sides are cut into straight segments. For every edge segment and every barrier segment within
    reach (one STRtree ``dwithin`` query) the stretch of the edge segment within ``adherence_m`` of the
    barrier segment is computed exactly (the barrier segment "buffered" as a capsule with round caps);
    the stretches of each edge segment are merged, so a stretch near two barriers counts once. This avoids
    both dissolving the whole street network into one huge polygon and thousands of small GEOS overlays.
    """
    if len(edge_parts) == 0 or len(barrier_geoms) == 0:
        return 0.0
    barrier_geoms = barrier_geoms[~shapely.is_missing(barrier_geoms) & ~shapely.is_empty(barrier_geoms)]
    a, b = _segments(edge_parts)
    ba, bb = _segments(barrier_geoms)
    if len(a) == 0 or len(ba) == 0:
        return 0.0
    edge_segs = shapely.linestrings(np.stack([a, b], axis=1))
    barrier_segs = shapely.linestrings(np.stack([ba, bb], axis=1))
    e, k = shapely.STRtree(barrier_segs).query(edge_segs, predicate="dwithin", distance=adherence_m)
    if len(e) == 0:
        return 0.0
    direction = b - a
    length = np.hypot(direction[:, 0], direction[:, 1])
    unit = direction / length[:, None]
    lo, hi = _capsule_interval(a[e], unit[e], ba[k], bb[k], adherence_m)
    lo, hi = np.maximum(lo, 0.0), np.minimum(hi, length[e])
    keep = hi > lo
    lo, hi, seg = lo[keep], hi[keep], e[keep]
    if len(seg) == 0:
        return 0.0
    # Merge the intervals of each edge segment: offset each segment onto its own stretch of one axis,
    # sort, and count only what extends beyond the running maximum of earlier ends.
    offset = np.r_[0.0, np.cumsum(length + 1.0)][seg]
    lo, hi = lo + offset, hi + offset
    order = np.lexsort((lo, seg))
    lo, hi = lo[order], hi[order]
    previous_end = np.r_[-np.inf, np.maximum.accumulate(hi)[:-1]]
    return float(np.maximum(0.0, hi - np.maximum(lo, previous_end)).sum())
