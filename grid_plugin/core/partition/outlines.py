"""Grid geometries and flags: whole buildings per grid, one piece per grid, why a grid is off target.

Grid outlines come from the units (:func:`grid_plugin.core.partition.units.outline_groups`); here a
building footprint crossed by a grid edge is given wholly to the grid that holds its representative
point (the tiling stays exact), small detached pieces join the neighbour they share most boundary
with, and every grid off the target gets the reason it is off.
"""

from __future__ import annotations

import numpy as np
import shapely

from ..errors import N_

__all__ = ["FLAG_REASONS", "repair_footprints", "merge_detached_pieces", "piece_loads", "flag_reasons"]

#: Flag reasons (English; the processing layer translates them).
FLAG_REASONS = {
    "single_building": N_("single building above target"),
    "parent_below": N_("parent load below target"),
    "island_below": N_("island load below target"),
    "island_empty": N_("island without load"),
    "coarse": N_("units too coarse"),
    "area_above": N_("grid area above maximum"),
    "area_below": N_("grid area below minimum"),
}


def repair_footprints(grids, footprints, building_label, parents_of_grid, parents, report, min_area=0.01):
    """Give every building crossed by a grid edge wholly to the grid holding its representative point.

    ``min_area`` is the shared area (in CRS units², 0.01 m² by default) below which a touch is no cut.
    Returns the new grid geometries and the number of buildings repaired.
    """
    grids = grids.copy()
    present = np.flatnonzero((building_label >= 0) & ~shapely.is_empty(footprints))
    if present.size == 0:
        return grids, 0
    tree = shapely.STRtree(grids)
    b_idx, g_idx = tree.query(footprints[present], predicate="intersects")
    b_idx = present[b_idx]
    foreign = g_idx != building_label[b_idx]
    b_idx, g_idx = b_idx[foreign], g_idx[foreign]
    if b_idx.size == 0:
        return grids, 0
    shared = shapely.area(shapely.intersection(footprints[b_idx], grids[g_idx]))
    fp_area = shapely.area(footprints[b_idx])
    cut = (shared > min_area) | (shared > 1e-6 * fp_area)
    crossing = np.unique(b_idx[cut])
    if crossing.size == 0:
        return grids, 0
    # Clip each crossing footprint to its grid's parent, then make them disjoint (earlier ones win).
    pieces = shapely.intersection(footprints[crossing], parents[parents_of_grid[building_label[crossing]]])
    piece_tree = shapely.STRtree(pieces)
    left, right = piece_tree.query(pieces, predicate="intersects")
    later = right > left
    if later.any():
        for i, j in zip(left[later].tolist(), right[later].tolist(), strict=True):
            pieces[j] = shapely.difference(pieces[j], pieces[i])
    labels = building_label[crossing]
    # What each affected grid gains and loses.
    touched_pieces, touched_grids = tree.query(pieces, predicate="intersects")
    affected = np.unique(np.concatenate([touched_grids, labels]))
    for grid in affected.tolist():
        report.check_cancelled()
        lose = pieces[touched_pieces[(touched_grids == grid) & (labels[touched_pieces] != grid)]]
        gain = pieces[labels == grid]
        geometry = grids[grid]
        if lose.size:
            geometry = shapely.difference(geometry, shapely.union_all(lose))
        if gain.size:
            geometry = shapely.union_all(np.concatenate([[geometry], gain]))
        grids[grid] = geometry
    return grids, int(crossing.size)


def merge_detached_pieces(grids, parents_of_grid):
    """Give small detached pieces of a multipart grid to the neighbour that shares most boundary."""
    multipart = np.flatnonzero(shapely.get_num_geometries(grids) > 1)
    if multipart.size == 0:
        return grids
    grids = grids.copy()
    tree = shapely.STRtree(grids)
    for grid in multipart.tolist():
        parts = shapely.get_parts(grids[grid])
        if parts.size <= 1:
            continue
        keep = int(np.argmax(shapely.area(parts)))
        main = parts[keep]
        for index, piece in enumerate(parts):
            if index == keep:
                continue
            neighbours = [
                int(n)
                for n in tree.query(piece, predicate="intersects")
                if n != grid and parents_of_grid[n] == parents_of_grid[grid]
            ]
            best, best_len = None, 0.0
            for n in neighbours:
                length = shapely.length(shapely.intersection(shapely.boundary(piece), shapely.boundary(grids[n])))
                if length > best_len:
                    best, best_len = n, length
            if best is None or best_len <= 0:
                main = shapely.union_all([main, piece])
                continue
            grids[best] = shapely.union_all([grids[best], piece])
        grids[grid] = main
    return grids


def piece_loads(unit_source, pieces, point_unit, points, loads, inside):
    """Load, building count and piece per building after :func:`~.units.conform_units` cut units into pieces.

    A building stays with a piece of the unit that held it: the piece holding its point (else the first).
    """
    n_old = int(point_unit.max()) + 1 if point_unit.size else 0
    n_old = max(n_old, int(unit_source.max()) + 1 if unit_source.size else 0)
    first_piece = np.searchsorted(unit_source, np.arange(n_old))
    n_pieces = np.bincount(unit_source, minlength=n_old)
    building_piece = np.where(inside, first_piece[np.maximum(point_unit, 0)], -1)
    for b in np.flatnonzero(inside & (n_pieces[np.maximum(point_unit, 0)] > 1)).tolist():
        start = first_piece[point_unit[b]]
        for piece in range(start, start + n_pieces[point_unit[b]]):
            if shapely.intersects(pieces[piece], points[b]):
                building_piece[b] = piece
                break
    held = building_piece >= 0
    new_load = np.bincount(building_piece[held], weights=loads[held], minlength=pieces.size)
    new_count = np.bincount(building_piece[held], minlength=pieces.size)
    return new_load, new_count, building_piece


def flag_reasons(plan, options, areas_m2, n_parents) -> np.ndarray:
    """Why each grid is off the target (empty string when it is within), as English text.

    ``plan`` is the assembled :class:`grid_plugin.core.partition.engine.Plan`.
    """
    n_labels = plan.n_labels
    label_load = np.bincount(plan.labels, weights=plan.unit_load, minlength=n_labels)
    label_comp = np.zeros(n_labels, dtype=np.int64)
    label_comp[plan.labels] = plan.comp
    label_max_building = np.zeros(n_labels)
    np.maximum.at(label_max_building, plan.labels, plan.unit_max_building)
    lo, hi = options.target * (1 - options.tolerance), options.target * (1 + options.tolerance)
    comp_parent, comp_load = plan.comp_parent, plan.comp_load
    parent_load = np.bincount(comp_parent, weights=comp_load, minlength=n_parents)
    main_comp = np.full(n_parents, -1, dtype=np.int64)
    for c in np.argsort(plan.comp_area_m2, kind="stable").tolist():  # largest piece last wins
        main_comp[comp_parent[c]] = c
    reasons = np.full(n_labels, "", dtype=object)
    for g in range(n_labels):
        load = label_load[g]
        c = label_comp[g]
        is_island = main_comp[comp_parent[c]] != c
        if load > hi:
            reasons[g] = FLAG_REASONS["single_building" if label_max_building[g] > hi else "coarse"]
        elif load < lo:
            if is_island and comp_load[c] <= 0:
                reasons[g] = FLAG_REASONS["island_empty"]
            elif is_island and comp_load[c] < lo:
                reasons[g] = FLAG_REASONS["island_below"]
            elif comp_load[c] < lo or parent_load[comp_parent[c]] < lo:
                reasons[g] = FLAG_REASONS["parent_below"]
            else:
                reasons[g] = FLAG_REASONS["coarse"]
        if not reasons[g] and options.max_area_m2 and areas_m2[g] > options.max_area_m2:
            reasons[g] = FLAG_REASONS["area_above"]
        if not reasons[g] and options.min_area_m2 and areas_m2[g] < options.min_area_m2:
            reasons[g] = FLAG_REASONS["area_below"]
    return reasons
