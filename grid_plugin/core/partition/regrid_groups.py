"""Re-grid steps: which grids fail together, and how a failing group is fixed by moving boundary units.

Used by :func:`.regrid.regrid`; kept apart so the driver reads as a sequence of named steps.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy import sparse
from scipy.sparse.csgraph import connected_components

__all__ = ["adjust_by_moves", "failing_groups", "grid_adjacency", "regrid_quality"]


def grid_adjacency(geoms, min_shared_m: float = 0.5) -> sparse.csr_matrix:
    """Adjacency of grids that share an edge of at least ``min_shared_m`` (weights = shared length)."""
    geoms = np.asarray(geoms, dtype=object)
    n = len(geoms)
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    if len(left):
        shared = shapely.length(shapely.intersection(shapely.boundary(geoms[left]), shapely.boundary(geoms[right])))
    else:
        shared = np.zeros(0)
    keep = shared >= min_shared_m
    matrix = sparse.coo_matrix((shared[keep], (left[keep], right[keep])), shape=(n, n))
    return (matrix + matrix.T).tocsr()


def adjust_by_moves(units, old_geoms, target, tolerance, *, max_moves: int = 2000, report=None):
    """Rebalance a group's own grids by moving boundary units between neighbours; None when it cannot.

    ``units`` are the atomic units of the group's union (from the partition engine): each starts in
    the old grid holding most of it, then the unit whose move most reduces the worst deviation of
    the two grids involved moves, as long as the donor stays connected, until every grid is within
    tolerance. Returns the new grids (one per old grid, same order) or None when the units do not
    allow it (the number of grids must change, or no move helps).
    """
    if units is None or not len(units) or "load" not in units.columns:
        return None
    old_geoms = np.asarray(old_geoms, dtype=object)
    unit_geoms = np.asarray(units.geometry.values, dtype=object)
    unit_loads = pd.to_numeric(units["load"], errors="coerce").fillna(0).to_numpy(dtype=float)
    m = len(old_geoms)
    if m < 2 or max(1, int(round(unit_loads.sum() / target))) != m:
        return None
    u_idx, g_idx = shapely.STRtree(old_geoms).query(unit_geoms, predicate="intersects")
    overlap = shapely.area(shapely.intersection(unit_geoms[u_idx], old_geoms[g_idx]))
    best = pd.DataFrame({"u": u_idx, "g": g_idx, "a": overlap}).sort_values(["u", "a"], ascending=[True, False])
    best = best.drop_duplicates("u")
    labels = np.full(len(unit_geoms), -1, dtype=np.int64)
    labels[best["u"].to_numpy()] = best["g"].to_numpy()
    if (labels < 0).any():
        return None
    adjacency = grid_adjacency(unit_geoms, min_shared_m=0.01).tocsr()
    neighbours = [adjacency.indices[adjacency.indptr[i] : adjacency.indptr[i + 1]] for i in range(len(unit_geoms))]
    part_load = np.bincount(labels, weights=unit_loads, minlength=m)
    low, high = (1 - tolerance) * target, (1 + tolerance) * target

    def deviation(load):
        return abs(load - target) / target

    def connected_without(part, removed):
        members = np.flatnonzero(labels == part)
        members = members[members != removed]
        if len(members) <= 1:
            return len(members) == 1
        seen = {int(members[0])}
        stack = [int(members[0])]
        member_set = set(members.tolist())
        while stack:
            node = stack.pop()
            for nb in neighbours[node]:
                nb = int(nb)
                if nb in member_set and nb not in seen:
                    seen.add(nb)
                    stack.append(nb)
        return len(seen) == len(member_set)

    for _ in range(max_moves):
        if ((part_load >= low) & (part_load <= high)).all():
            break
        if report is not None:
            report.check_cancelled()
        best_move, best_gain = None, 1e-12
        worst = np.argsort(-np.abs(part_load - target))
        for part in worst[:3]:
            if low <= part_load[part] <= high:
                continue
            over = part_load[part] > target
            members = np.flatnonzero(labels == part)
            if over:  # give a boundary unit to a lighter neighbour
                moves = [(u, labels[nb]) for u in members for nb in neighbours[u] if labels[nb] != part]
            else:  # take a boundary unit from a heavier neighbour
                moves = [(nb, part) for u in members for nb in neighbours[u] if labels[nb] != part]
            for unit, to in set((int(a), int(b)) for a, b in moves):
                src = labels[unit]
                if unit_loads[unit] <= 0 and over:
                    continue
                new_src, new_to = part_load[src] - unit_loads[unit], part_load[to] + unit_loads[unit]
                gain = max(deviation(part_load[src]), deviation(part_load[to])) - max(
                    deviation(new_src), deviation(new_to)
                )
                if gain > best_gain and connected_without(src, unit):
                    best_move, best_gain = (unit, src, to), gain
            if best_move is not None:
                break
        if best_move is None:
            break
        unit, src, to = best_move
        labels[unit] = to
        part_load[src] -= unit_loads[unit]
        part_load[to] += unit_loads[unit]
    if not ((part_load >= low) & (part_load <= high)).all():
        return None
    grids = [shapely.union_all(unit_geoms[labels == k]) for k in range(m)]
    return gpd.GeoDataFrame({"grid_id": np.arange(m), "load": part_load}, geometry=grids, crs=units.crs)


def regrid_quality(loads, low, high, target) -> tuple:
    """Higher is better: (grids within tolerance share, −max |deviation|)."""
    loads = np.asarray(loads, dtype=float)
    if not len(loads):
        return (0.0, -math.inf)
    within = ((loads >= low) & (loads <= high)).mean()
    return (round(float(within), 9), -float(np.abs(loads - target).max() / target))


def failing_groups(adjacency, fits, locked, loads, target, tolerance) -> list[np.ndarray]:
    """Connected groups of out-of-tolerance grids; a lone grid borrows its best neighbour if that helps."""
    failing = np.flatnonzero(~fits)
    if not len(failing):
        return []
    sub = adjacency[failing][:, failing]
    n_comp, labels = connected_components(sub, directed=False)
    groups = [failing[labels == c] for c in range(n_comp)]
    used = np.zeros(len(fits), dtype=bool)
    used[failing] = True
    out = []
    for members in groups:
        total = loads[members].sum()
        if _fixable(total, len(members), target, tolerance):
            out.append(members)
            continue
        # borrow the unlocked fitting neighbour that makes the group fixable with the most slack
        neighbours = np.unique(adjacency[members].indices)
        neighbours = neighbours[~used[neighbours] & ~locked[neighbours]]
        best, best_dev = None, math.inf
        for nb in neighbours:
            combined = total + loads[nb]
            n = max(1, int(round(combined / target)))
            dev = abs(combined / n - target) / target
            if dev <= tolerance and dev < best_dev:
                best, best_dev = nb, dev
        if best is not None:
            used[best] = True
            out.append(np.append(members, best))
        else:
            out.append(members)
    return out


def _fixable(total, n_members, target, tolerance) -> bool:
    """True when the group's load can be cut into grids within tolerance and the count changes or balances."""
    n = max(1, int(round(total / target)))
    mean_ok = abs(total / n - target) <= tolerance * target
    return mean_ok and (n != n_members or n_members > 1)
