"""Geometry helpers of the classifier: the working CRS, polygon repair, overlap removal, area overlay."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import geopandas as gpd
import numpy as np
import pyproj
import shapely

from ..crs import auto_metric_crs_for
from ..errors import N_, InputError, Report

__all__ = ["working_crs", "to_crs", "polygonal", "threaded", "resolve_overlaps", "overlay_areas"]


def working_crs(frame: gpd.GeoDataFrame) -> pyproj.CRS:
    """A metric CRS to measure areas in: the grids' own CRS when projected in metres, else the automatic
    one of :mod:`grid_plugin.core.crs` (CGCS2000 Gauss–Krüger in China, UTM elsewhere)."""
    crs = pyproj.CRS.from_user_input(frame.crs)
    if crs.is_projected and crs.axis_info and abs(crs.axis_info[0].unit_conversion_factor - 1.0) < 1e-9:
        return crs
    return auto_metric_crs_for(frame)


def to_crs(frame: gpd.GeoDataFrame, crs: pyproj.CRS, name: str) -> gpd.GeoDataFrame:
    if frame.crs is None:
        raise InputError(
            N_(
                "The layer {name} has no coordinate reference system; set its CRS (Layer Properties ▸ Source) and "
                "run again."
            ),
            name=name,
        )
    return frame if pyproj.CRS.from_user_input(frame.crs) == crs else frame.to_crs(crs)


def polygonal(geoms: np.ndarray, name: str, report: Report, *, allow_other: bool = False) -> np.ndarray:
    """Repair invalid polygons (count them) and reduce every geometry to its polygonal part."""
    geoms = np.asarray(geoms, dtype=object).copy()
    present = ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)
    kinds = shapely.get_type_id(geoms)
    polygonal = present & np.isin(kinds, (3, 6))
    if not allow_other and (present & ~polygonal).any():
        other = int((present & ~polygonal & ~np.isin(kinds, (7,))).sum())
        if other:
            report.warn(
                N_("The layer {name} holds {n} features that are not polygons; they were skipped."), name=name, n=other
            )
    invalid = polygonal & ~shapely.is_valid(geoms)
    if invalid.any():
        repaired = shapely.make_valid(geoms[invalid])
        fixed = []
        for geom in repaired:
            if shapely.get_type_id(geom) in (3, 6):
                fixed.append(geom)
            else:
                parts = [p for p in shapely.get_parts(geom) if shapely.get_type_id(p) in (3, 6)]
                fixed.append(shapely.union_all(parts) if parts else None)
        geoms[invalid] = np.array(fixed, dtype=object)
        report.warn(
            N_("Repaired {n} invalid polygons in the layer {name} (self-intersections, bad rings)."),
            n=int(invalid.sum()),
            name=name,
        )
    collections = present & (kinds == 7)
    for i in np.flatnonzero(collections):
        parts = [p for p in shapely.get_parts(geoms[i]) if shapely.get_type_id(p) in (3, 6)]
        geoms[i] = shapely.union_all(parts) if parts else None
        polygonal[i] = bool(parts)
    geoms[~polygonal] = None
    return geoms


def threaded(function, *arrays, min_chunk: int = 20_000):
    """Apply a vectorised shapely function over aligned ``arrays`` in chunks on several threads.

    shapely's set operations and predicates release the GIL, so chunks run in parallel on the
    available cores; results keep the input order, so the outcome does not depend on the threads.
    """
    n = len(arrays[0])
    workers = min(4, os.cpu_count() or 1)
    if workers < 2 or n < 2 * min_chunk:
        return function(*arrays)
    bounds = np.linspace(0, n, workers + 1).astype(int)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        parts = list(pool.map(lambda k: function(*(a[bounds[k] : bounds[k + 1]] for a in arrays)), range(workers)))
    return np.concatenate(parts)


def resolve_overlaps(geoms, ranks, classes, mode: str, tolerance_m2: float, report: Report):
    """Remove overlaps: each overlapping area stays with the polygon of the best rank (lower = better).

    In ``"union"`` mode only overlaps between polygons of the same class are removed. Returns the
    new geometries and the overlapping area removed (m²).
    """
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    if mode == "union":
        same = classes[left] == classes[right]
        left, right = left[same], right[same]
    if left.size == 0:
        return geoms, 0.0
    # A pair can only overlap by more than the tolerance when its bounding boxes do.
    b = shapely.bounds(geoms)
    ix = np.minimum(b[left, 2], b[right, 2]) - np.maximum(b[left, 0], b[right, 0])
    iy = np.minimum(b[left, 3], b[right, 3]) - np.maximum(b[left, 1], b[right, 1])
    keep = (ix > 0) & (iy > 0) & (ix * iy > tolerance_m2)
    left, right = left[keep], right[keep]
    report.check_cancelled()
    interior = ~threaded(shapely.touches, geoms[left], geoms[right])
    left, right = left[interior], right[interior]
    if left.size == 0:
        return geoms, 0.0
    overlap_area = shapely.area(threaded(shapely.intersection, geoms[left], geoms[right]))
    real = overlap_area > tolerance_m2
    left, right, overlap_area = left[real], right[real], overlap_area[real]
    if left.size == 0:
        return geoms, 0.0
    left_wins = ranks[left] < ranks[right]
    winners = np.where(left_wins, left, right)
    losers = np.where(left_wins, right, left)
    order = np.argsort(losers, kind="stable")
    winners, losers = winners[order], losers[order]
    unique_losers, starts = np.unique(losers, return_index=True)
    ends = np.append(starts[1:], len(losers))
    cutters = []
    for start, end in zip(starts, ends):
        report.check_cancelled()
        cutters.append(geoms[winners[start]] if end - start == 1 else shapely.union_all(geoms[winners[start:end]]))
    out = geoms.copy()
    out[unique_losers] = shapely.difference(geoms[unique_losers], np.array(cutters, dtype=object))
    return out, float(overlap_area.sum())


def overlay_areas(grid_geoms, grid_areas, piece_geoms, piece_class_idx, n_classes, pairs=None):
    """Area of each class in each grid: matrix (n_grids, n_classes), by a bulk STRtree overlay.

    ``pairs`` (grid index, piece index) of intersecting candidates, when already known.
    """
    if pairs is None:
        tree = shapely.STRtree(piece_geoms)
        gi, pi = tree.query(grid_geoms, predicate="intersects")
    else:
        gi, pi = pairs
    # land wholly covered by higher-priority land is empty after the overlap rule
    present = ~shapely.is_empty(piece_geoms[pi]) & ~shapely.is_missing(piece_geoms[pi])
    gi, pi = gi[present], pi[present]
    area = np.zeros(len(gi))
    if gi.size:
        shapely.prepare(grid_geoms)
        inside = threaded(shapely.contains_properly, grid_geoms[gi], piece_geoms[pi])
        area[inside] = shapely.area(piece_geoms[pi[inside]])
        rest = np.flatnonzero(~inside)
        # Land bigger than the grid often covers it whole: then the area is the grid's.
        pb = shapely.bounds(piece_geoms[pi[rest]])
        gb = shapely.bounds(grid_geoms[gi[rest]])
        maybe_covers = (pb[:, 0] <= gb[:, 0]) & (pb[:, 1] <= gb[:, 1]) & (pb[:, 2] >= gb[:, 2]) & (pb[:, 3] >= gb[:, 3])
        if maybe_covers.any():
            idx = rest[maybe_covers]
            covers = shapely.covers(piece_geoms[pi[idx]], grid_geoms[gi[idx]])
            area[idx[covers]] = grid_areas[gi[idx[covers]]]
            rest = np.concatenate([rest[~maybe_covers], idx[~covers]])
        if rest.size:
            area[rest] = shapely.area(threaded(shapely.intersection, grid_geoms[gi[rest]], piece_geoms[pi[rest]]))
    matrix = np.bincount(
        gi * n_classes + piece_class_idx[pi], weights=area, minlength=len(grid_geoms) * n_classes
    ).reshape(len(grid_geoms), n_classes)
    return matrix, gi, pi, area
