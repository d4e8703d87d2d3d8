"""Hand edits of a grid plan: reassign units between grids, split, merge and rebalance, with live balance.

The planner edits a plan made of *units* (the atomic pieces a partition is built from: blocks, parcels,
or one cell per building) and *grids* (each the union of its units). :class:`EditModel` keeps, for every
grid, its members, load, building count, area, perimeter, Polsby–Popper compactness and number of parts,
and updates them for the grids an edit touches only, so one reassignment costs O(size of the changed
grids), not O(plan).

An edit is planned first (:meth:`EditModel.plan_reassign`, :meth:`~EditModel.plan_split`,
:meth:`~EditModel.plan_merge`, :meth:`~EditModel.plan_rebalance`), which checks it and raises
:class:`EditRefused` with a sentence for the planner when it would make a grid non-contiguous, leave a
grid empty or leave a gap; with ``repair=True`` a reassignment that would cut a grid takes the cut-off
pieces along instead. :meth:`EditModel.apply` then changes the model and returns an
:class:`AppliedEdit` that :meth:`EditModel.revert` and :meth:`EditModel.reapply` undo and redo exactly
(the previous geometries are kept, not recomputed).

Split and rebalance call the partition engine's ``partition_graph`` (the same engine as the partition
algorithm) on the unit graph of the grids concerned; :func:`partition_units` is the one switch point.

Examples
--------
>>> import shapely
>>> cells = [shapely.box(x, 0, x + 1, 1) for x in range(4)]
>>> model = EditModel(cells, [100, 100, 100, 100], [0, 0, 1, 1], target_load=200)
>>> model.load.tolist()
[200.0, 200.0]
>>> applied = model.apply(model.plan_reassign([1], 1))
>>> model.load.tolist(), model.n_parts.tolist()
([100.0, 300.0], [1, 1])
>>> try:
...     model.plan_reassign([0], 1)  # would empty grid 0
... except EditRefused as refusal:
...     print(refusal)
Moving these units would leave grid 0 empty; merge the grids instead.
>>> model.revert(applied); model.load.tolist()
[200.0, 200.0]
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field

import numpy as np
import shapely
from scipy import sparse

from ..errors import N_, GridPlannerError

__all__ = [
    "EditRefused",
    "Edit",
    "AppliedEdit",
    "EditModel",
    "unit_adjacency",
    "partition_units",
    "fallback_partition_graph",
    "validate_grids",
    "GridProblem",
    "polsby_popper",
    "next_codes",
    "union_units",
]

#: Area (m²) below which a difference is floating-point noise, not a gap or an overlap.
AREA_EPS_M2 = 0.01


class EditRefused(GridPlannerError):
    """An edit that would break a rule of the plan (contiguity, no gap, no empty grid)."""


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


def _row_ids(first, second) -> np.ndarray:
    """Dense ids of the rows (first, second): equal rows get equal ids (one lexsort)."""
    order = np.lexsort((second, first))
    a, b = first[order], second[order]
    new = np.ones(len(a), dtype=bool)
    new[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
    ids = np.empty(len(a), dtype=np.int64)
    ids[order] = np.cumsum(new) - 1
    return ids


def _shared_key_pairs(keys: np.ndarray, owner: np.ndarray, n: int):
    """Pairs ``a < b`` of owners holding the same integer key: (a, b, number of shared keys, one shared key)."""
    empty = np.zeros(0, np.int64)
    if not len(keys):
        return empty, empty, empty, empty
    order = np.lexsort((owner, keys))
    keys, owner = keys[order], owner[order]
    fresh = np.ones(len(keys), dtype=bool)
    fresh[1:] = (keys[1:] != keys[:-1]) | (owner[1:] != owner[:-1])
    keys, owner = keys[fresh], owner[fresh]  # one row per (key, owner)
    a_all, b_all, k_all = [], [], []
    for offset in range(1, 32):  # a vertex is shared by a handful of units at most
        if offset >= len(keys):
            break
        same = keys[offset:] == keys[:-offset]
        if not same.any():
            break
        a, b = owner[:-offset][same], owner[offset:][same]
        a_all.append(np.minimum(a, b))
        b_all.append(np.maximum(a, b))
        k_all.append(keys[offset:][same])
    if not a_all:
        return empty, empty, empty, empty
    codes = np.concatenate(a_all) * n + np.concatenate(b_all)
    pair, first, count = np.unique(codes, return_index=True, return_counts=True)
    return pair // n, pair % n, count, np.concatenate(k_all)[first]


def unit_adjacency(geoms, *, tolerance_m: float = 0.001) -> sparse.csr_matrix:
    """Rook adjacency of polygons: two units are neighbours when they share a stretch of boundary.

    Units touching in a single point are not neighbours (a grid joined at a corner is not walkable as
    one piece); overlapping units are. Near-linear for a noded tiling (neighbours share vertices, as
    polygonised blocks do): shared edges are found by hashing the units' segments, corner contacts by
    hashing their vertices and comparing the directions of the edges that meet there, and only the
    remaining touching pairs (T-junctions without a shared vertex, overlaps) go through DE-9IM. Units
    within ``tolerance_m`` of each other along more than 100 × ``tolerance_m`` of boundary (the sliver
    gaps that overlay rounding leaves) are neighbours too.

    >>> import shapely
    >>> adj = unit_adjacency([shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1), shapely.box(2, 1, 3, 2),
    ...                       shapely.box(0, 1, 0.5, 2)])  # the last touches the first along half an edge
    >>> adj.toarray().tolist()
    [[0, 1, 0, 1], [1, 0, 0, 0], [0, 0, 0, 0], [1, 0, 0, 0]]
    """
    geoms = np.asarray(geoms, dtype=object)
    n = len(geoms)
    if n == 0:
        return sparse.csr_matrix((0, 0), dtype=np.int8)
    parts, part_owner = shapely.get_parts(geoms, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    coords, ring_index = shapely.get_coordinates(rings, return_index=True)
    owner = part_owner[ring_part][ring_index].astype(np.int64)
    coords = np.ascontiguousarray(coords, dtype=np.float64)
    vkey = _row_ids(coords[:, 0], coords[:, 1])
    n_keys = int(vkey.max()) + 1
    # segments between consecutive vertices of one ring (zero-length ones dropped)
    seg = (ring_index[1:] == ring_index[:-1]) & (vkey[1:] != vkey[:-1])
    sp, sq, sowner = vkey[:-1][seg], vkey[1:][seg], owner[:-1][seg]
    direction = (coords[1:] - coords[:-1])[seg]
    lo, hi = np.minimum(sp, sq), np.maximum(sp, sq)
    seg_a, seg_b, _, _ = _shared_key_pairs(_row_ids(lo, hi), sowner, n)
    matched = seg_a * n + seg_b
    # pairs sharing exactly one vertex and no segment: neighbours only if an edge of each leaves that
    # vertex in the same direction (a T-junction); otherwise a corner contact.
    vert_a, vert_b, vert_count, vert_key = _shared_key_pairs(vkey, owner, n)
    single = vert_count == 1
    single_codes = vert_a[single] * n + vert_b[single]
    candidates = ~np.isin(single_codes, matched)
    sa, sb, sv = vert_a[single][candidates], vert_b[single][candidates], vert_key[single][candidates]
    # edge directions leaving each (owner, vertex)
    inc_owner = np.concatenate([sowner, sowner])
    inc_key = np.concatenate([sp, sq])
    inc_dir = np.concatenate([direction, -direction])
    inc_dir = inc_dir / np.maximum(np.hypot(inc_dir[:, 0], inc_dir[:, 1]), 1e-300)[:, None]
    inc_code = inc_owner * n_keys + inc_key
    order = np.argsort(inc_code, kind="stable")
    inc_code, inc_dir = inc_code[order], inc_dir[order]

    def leaving(unit, key):
        code = unit * n_keys + key
        first = np.searchsorted(inc_code, code)
        second = np.minimum(first + 1, len(inc_code) - 1)
        d1 = inc_dir[np.minimum(first, len(inc_code) - 1)]
        d2 = np.where((inc_code[second] == code)[:, None], inc_dir[second], d1)
        return d1, d2

    a1, a2 = leaving(sa, sv)
    b1, b2 = leaving(sb, sv)
    t_junction = np.zeros(len(sa), dtype=bool)
    for da in (a1, a2):
        for db in (b1, b2):
            cross = da[:, 0] * db[:, 1] - da[:, 1] * db[:, 0]
            dot = (da * db).sum(axis=1)
            t_junction |= (np.abs(cross) < 1e-7) & (dot > 0)
    t_codes = (sa * n + sb)[t_junction]
    corner_codes = (sa * n + sb)[~t_junction]
    # the rest of the touching pairs (no shared vertex, or several without a shared segment): DE-9IM
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="dwithin", distance=tolerance_m)
    keep = left < right
    touching = np.unique(left[keep] * n + right[keep])
    decided = np.unique(np.concatenate([matched, t_codes, corner_codes]))
    rest = np.setdiff1d(touching, decided, assume_unique=True)
    if len(rest):
        a, b = geoms[rest // n], geoms[rest % n]
        matrix = shapely.relate(a, b)
        edge = np.array([m[4] == "1" or m[0] == "2" for m in matrix], dtype=bool)
        # not touching along an edge: a sliver gap of overlay rounding still makes neighbours
        near = np.flatnonzero(~edge)
        if len(near):
            shared = shapely.length(
                shapely.intersection(shapely.boundary(a[near]), shapely.buffer(shapely.boundary(b[near]), tolerance_m))
            )
            edge[near] = shared > 100 * tolerance_m
        rest = rest[edge]
    pairs = np.unique(np.concatenate([matched, t_codes, rest]))
    left, right = pairs // n, pairs % n
    rows = np.concatenate([left, right])
    cols = np.concatenate([right, left])
    data = np.ones(len(rows), dtype=np.int8)
    return sparse.csr_matrix((data, (rows, cols)), shape=(n, n))


# --------------------------------------------------------------------------------------------------
# The graph partitioner: one switch point between the partition engine and a local fallback.
# --------------------------------------------------------------------------------------------------


def _components(indptr, indices, nodes) -> list[list[int]]:
    """Connected components of the subgraph induced by ``nodes`` (BFS; O(size of the subgraph))."""
    node_set = set(int(v) for v in nodes)
    seen: set[int] = set()
    components = []
    for start in node_set:
        if start in seen:
            continue
        seen.add(start)
        queue = deque([start])
        component = [start]
        while queue:
            v = queue.popleft()
            for w in indices[indptr[v] : indptr[v + 1]]:
                w = int(w)
                if w in node_set and w not in seen:
                    seen.add(w)
                    component.append(w)
                    queue.append(w)
        components.append(component)
    components.sort(key=len, reverse=True)
    return components


def fallback_partition_graph(adjacency, loads, n_parts, *, tolerance=0.2, seed=0, **_ignored) -> np.ndarray:
    """Contiguous, balanced parts of a small connected unit graph (used until the engine is importable).

    Grows ``n_parts`` regions from far-apart seeds, always extending the lightest region, then moves
    boundary units from heavy to light neighbouring regions while that keeps both contiguous.
    """
    adjacency = sparse.csr_matrix(adjacency)
    loads = np.asarray(loads, dtype=float)
    n = adjacency.shape[0]
    n_parts = int(n_parts)
    if n_parts < 1 or n_parts > n:
        raise EditRefused(N_("Cannot make {k} parts from {n} units."), k=n_parts, n=n)
    indptr, indices = adjacency.indptr, adjacency.indices
    rng = np.random.default_rng(seed)
    # Seeds: farthest-point sampling on hop distance.
    from scipy.sparse.csgraph import shortest_path

    first = int(rng.integers(n))
    seeds = [first]
    dist = shortest_path(adjacency, unweighted=True, indices=[first])[0]
    for _ in range(1, n_parts):
        dist_f = np.where(np.isfinite(dist), dist, -1)
        dist_f[seeds] = -1
        nxt = int(np.argmax(dist_f))
        seeds.append(nxt)
        dist = np.minimum(dist, shortest_path(adjacency, unweighted=True, indices=[nxt])[0])
    labels = np.full(n, -1, dtype=np.int64)
    part_load = np.zeros(n_parts)
    for part, s in enumerate(seeds):
        labels[s] = part
        part_load[part] = loads[s]
    remaining = n - n_parts
    while remaining:
        order = np.argsort(part_load, kind="stable")
        grown = False
        for part in order:
            members = np.flatnonzero(labels == part)
            frontier = np.unique(
                np.concatenate([indices[indptr[v] : indptr[v + 1]] for v in members])
                if len(members)
                else np.zeros(0, int)
            )
            frontier = frontier[labels[frontier] < 0]
            if len(frontier):
                # The frontier unit with most links into the part keeps the region compact.
                links = [np.sum(labels[indices[indptr[v] : indptr[v + 1]]] == part) for v in frontier]
                pick = int(frontier[int(np.argmax(links))])
                labels[pick] = part
                part_load[part] += loads[pick]
                remaining -= 1
                grown = True
                break
        if not grown:  # disconnected input: give the rest to the lightest part
            labels[labels < 0] = int(np.argmin(part_load))
            break
    _refine(indptr, indices, labels, loads, n_parts, rng)
    return labels


def _refine(indptr, indices, labels, loads, n_parts, rng, max_rounds=200):
    """Move boundary units from heavier to lighter neighbouring parts while it lowers the spread."""
    part_load = np.bincount(labels, weights=loads, minlength=n_parts)
    for _ in range(max_rounds):
        improved = False
        for heavy in np.argsort(-part_load, kind="stable"):
            members = np.flatnonzero(labels == heavy)
            if len(members) <= 1:
                continue
            best = None
            for v in members:
                for w in indices[indptr[v] : indptr[v + 1]]:
                    light = labels[w]
                    if light == heavy:
                        continue
                    before = max(part_load[heavy], part_load[light])
                    after = max(part_load[heavy] - loads[v], part_load[light] + loads[v])
                    gain = before - after
                    if gain > 1e-9 and (best is None or gain > best[0]):
                        rest = members[members != v]
                        if len(_components(indptr, indices, rest)) == 1:
                            best = (gain, int(v), int(light))
            if best is not None:
                _, v, light = best
                labels[v] = light
                part_load[heavy] -= loads[v]
                part_load[light] += loads[v]
                improved = True
                break
        if not improved:
            return


def _engine():
    """``partition_graph`` of the partition engine (``partition.py``, else ``graph.py``), else the fallback."""
    try:
        from ..partition.engine import partition_graph

        return partition_graph
    except ImportError:
        pass
    try:
        from ..partition.graph import partition_graph

        return partition_graph
    except ImportError:
        return fallback_partition_graph


def partition_units(adjacency, loads, n_parts, *, tolerance=0.2, seed=0):
    """Partition a connected unit graph into ``n_parts`` contiguous balanced parts.

    Calls the partition engine's ``partition_graph`` (:func:`grid_plugin.core.partition.graph.partition_graph`; the spanning-tree bisection of
    ``graph.py``) so the GUI's split and rebalance give the same parts as the partition algorithm; the
    local :func:`fallback_partition_graph` only stands in when the engine is not importable. Returns one label in ``0..n_parts-1`` per unit.
    """
    partition_graph = _engine()
    labels = np.asarray(partition_graph(sparse.csr_matrix(adjacency), np.asarray(loads, float), int(n_parts),
                                        tolerance=tolerance, seed=seed), dtype=np.int64)  # fmt: skip
    return labels


# --------------------------------------------------------------------------------------------------
# Edits
# --------------------------------------------------------------------------------------------------


@dataclass
class Edit:
    """A planned change: ``units`` get the grid indices ``labels``; grid indices ≥ ``n_grids`` are new grids."""

    kind: str
    units: np.ndarray
    labels: np.ndarray
    n_new: int = 0
    removed: tuple = ()
    notes: list = field(default_factory=list)

    @property
    def grids(self) -> np.ndarray:
        """The grid indices the edit gives units to."""
        return np.unique(self.labels)


@dataclass
class AppliedEdit:
    """An edit as applied: what changed and the before/after state of every affected grid."""

    edit: Edit
    old_labels: np.ndarray
    affected: np.ndarray
    before: dict
    after: dict = field(default_factory=dict)
    created: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))


_STAT_NAMES = ("geoms", "load", "n_buildings", "n_units", "area_m2", "perimeter_m", "n_parts", "alive")


class EditModel:
    """The editable state of a grid plan over its units, updated per changed grid.

    Parameters
    ----------
    unit_geoms : array of shapely polygons
        The units; they should tile the planned area (a grid is the union of its units).
    unit_loads : array of float
        Workload per unit (households, people, …).
    unit_grid : array of int
        Grid index (0..n_grids-1) per unit; -1 for a unit in no grid.
    n_grids : int, optional
        Number of grids (default: max(unit_grid)+1); grids with no unit are kept, empty.
    grid_geoms : array of shapely polygons, optional
        The grids' current geometries (default: the union of each grid's units). Grids an edit touches
        are redrawn as the union of their units.
    unit_buildings : array of int, optional
        Buildings per unit (for display).
    adjacency : scipy.sparse matrix, optional
        Unit adjacency (default :func:`unit_adjacency`).
    target_load, tolerance : float
        Target load per grid and the accepted relative deviation (0.2 = ±20 %).
    """

    def __init__(
        self,
        unit_geoms,
        unit_loads,
        unit_grid,
        n_grids: int | None = None,
        *,
        grid_geoms=None,
        unit_buildings=None,
        adjacency=None,
        target_load: float = 400.0,
        tolerance: float = 0.2,
    ):
        self.unit_geoms = np.asarray(unit_geoms, dtype=object)
        n_units = len(self.unit_geoms)
        self.unit_loads = np.nan_to_num(np.asarray(unit_loads, dtype=float), nan=0.0)
        self.labels = np.asarray(unit_grid, dtype=np.int64).copy()
        if len(self.unit_loads) != n_units or len(self.labels) != n_units:
            raise ValueError("unit_geoms, unit_loads and unit_grid must have the same length")
        self.unit_buildings = (
            np.zeros(n_units, dtype=np.int64) if unit_buildings is None else np.asarray(unit_buildings, dtype=np.int64)
        )
        self.unit_area = shapely.area(self.unit_geoms) if n_units else np.zeros(0)
        self.adjacency = sparse.csr_matrix(adjacency if adjacency is not None else unit_adjacency(self.unit_geoms))
        self.target_load = float(target_load)
        self.tolerance = float(tolerance)
        n = int(n_grids) if n_grids is not None else (int(self.labels.max()) + 1 if n_units else 0)
        if n_units and self.labels.max() >= n:
            raise ValueError("unit_grid holds a grid index >= n_grids")
        order = np.argsort(self.labels, kind="stable")
        bounds = np.searchsorted(self.labels[order], np.arange(n + 1))
        self._members = [order[bounds[g] : bounds[g + 1]] for g in range(n)]
        self.load = np.bincount(self.labels[self.labels >= 0], weights=self.unit_loads[self.labels >= 0], minlength=n)
        self.n_buildings = np.bincount(
            self.labels[self.labels >= 0], weights=self.unit_buildings[self.labels >= 0], minlength=n
        ).astype(np.int64)
        self.n_units = np.array([len(m) for m in self._members], dtype=np.int64)
        if grid_geoms is None:
            self.geoms = np.array([self._union(m) for m in self._members], dtype=object)
        else:
            self.geoms = np.asarray(grid_geoms, dtype=object).copy()
            if len(self.geoms) != n:
                raise ValueError("grid_geoms must have one geometry per grid")
        self.area_m2 = np.asarray(shapely.area(self.geoms), dtype=float) if n else np.zeros(0)
        self.perimeter_m = np.asarray(shapely.length(self.geoms), dtype=float) if n else np.zeros(0)
        self.n_parts = self._parts(self.geoms) if n else np.zeros(0, np.int64)
        self.alive = np.ones(n, dtype=bool)

    # ---- derived values -------------------------------------------------------------------------
    @property
    def n_grids(self) -> int:
        """Number of grid slots (including grids removed by a merge; see :attr:`alive`)."""
        return len(self.load)

    @property
    def deviation_pct(self) -> np.ndarray:
        """(load − target) / target in percent, per grid."""
        return (self.load - self.target_load) / self.target_load * 100.0 if self.target_load else self.load * 0

    @property
    def polsby_popper(self) -> np.ndarray:
        """Polsby–Popper compactness per grid."""
        return polsby_popper(self.area_m2, self.perimeter_m)

    def members(self, grid: int) -> np.ndarray:
        """Unit indices of ``grid``."""
        return self._members[grid]

    def grid_stats(self, grid: int) -> dict:
        """Load, deviation, area, compactness, parts and counts of one grid."""
        return {
            "load": float(self.load[grid]),
            "deviation_pct": float(self.deviation_pct[grid]),
            "area_m2": float(self.area_m2[grid]),
            "polsby_popper": float(self.polsby_popper[grid]),
            "n_parts": int(self.n_parts[grid]),
            "n_units": int(self.n_units[grid]),
            "n_buildings": int(self.n_buildings[grid]),
        }

    def within_tolerance(self, grid) -> np.ndarray:
        """True where |deviation| ≤ tolerance."""
        return np.abs(self.deviation_pct[grid]) <= self.tolerance * 100.0 + 1e-9

    def neighbour_grids(self, units) -> np.ndarray:
        """Grids (other than the units' own) that share an edge with any of ``units``."""
        units = np.asarray(units, dtype=np.int64)
        if not len(units):
            return np.zeros(0, np.int64)
        adjacent = np.unique(self.adjacency[units].indices)
        grids = np.unique(self.labels[adjacent])
        own = np.unique(self.labels[units])
        grids = grids[(grids >= 0) & ~np.isin(grids, own)]
        return grids[self.alive[grids]]

    def grid_neighbours(self, grid: int) -> np.ndarray:
        """Grids sharing an edge with ``grid``."""
        return self.neighbour_grids(self._members[grid])

    def preview(self, units, target: int) -> dict:
        """Loads and deviations the grids would have if ``units`` moved to ``target`` (nothing changes)."""
        units = np.unique(np.asarray(units, dtype=np.int64))
        units = units[self.labels[units] != target]
        change = {int(target): float(self.unit_loads[units].sum())}
        for grid, load in zip(*_grouped_sum(self.labels[units], self.unit_loads[units])):
            if grid >= 0:
                change[int(grid)] = change.get(int(grid), 0.0) - load
        result = {}
        for grid, delta in change.items():
            load = float(self.load[grid] + delta)
            dev = (load - self.target_load) / self.target_load * 100.0 if self.target_load else 0.0
            result[grid] = {"load": load, "deviation_pct": dev}
        return result

    # ---- planning ---------------------------------------------------------------------------------
    def _check_grid(self, grid: int, name: str = "grid") -> None:
        if grid < 0 or grid >= self.n_grids or not self.alive[grid]:
            raise EditRefused(N_("Grid {grid} does not exist (any more); choose another grid."), grid=grid)

    def _reach(self, starts, allowed: set[int]) -> set[int]:
        """Nodes of ``allowed`` reachable from ``starts`` through ``allowed`` (BFS)."""
        indptr, indices = self.adjacency.indptr, self.adjacency.indices
        seen = set()
        queue = deque()
        for s in starts:
            for w in indices[indptr[s] : indptr[s + 1]]:
                w = int(w)
                if w in allowed and w not in seen:
                    seen.add(w)
                    queue.append(w)
        while queue:
            v = queue.popleft()
            for w in indices[indptr[v] : indptr[v + 1]]:
                w = int(w)
                if w in allowed and w not in seen:
                    seen.add(w)
                    queue.append(w)
        return seen

    def plan_reassign(self, units, target: int, *, repair: bool = False) -> Edit:
        """Check moving ``units`` to grid ``target`` and return the :class:`Edit`.

        Refused (:class:`EditRefused`) when a unit would not touch ``target`` (through the moved units),
        when a grid the units leave would be emptied, or cut into pieces. With ``repair=True`` the
        units that do not reach ``target`` are left out and the pieces cut off a grid move along to
        ``target``, so the edit keeps every grid in one piece; the edit's ``notes`` say what changed.
        """
        target = int(target)
        self._check_grid(target)
        units = np.unique(np.asarray(units, dtype=np.int64))
        if len(units) and (units.min() < 0 or units.max() >= len(self.labels)):
            raise EditRefused(N_("The selection holds units that are not in the plan."))
        units = units[self.labels[units] != target]
        if not len(units):
            raise EditRefused(N_("Select units of another grid to move into grid {grid}."), grid=target)
        notes = []
        moving = set(int(u) for u in units)
        reached = self._reach(self._members[target], moving) if len(self._members[target]) else set(moving)
        if not reached:
            raise EditRefused(
                N_("Grid {grid} is not a neighbour of the selected units; choose a grid that touches them."),
                grid=target,
            )
        if len(reached) < len(moving):
            if not repair:
                raise EditRefused(
                    N_(
                        "{n} of the selected units do not touch grid {grid}, so it would fall apart; "
                        "select units along its edge, or turn on repair."
                    ),
                    n=len(moving) - len(reached),
                    grid=target,
                )
            notes.append(
                (
                    N_("Left out {n} selected units that do not touch the target grid."),
                    {"n": len(moving) - len(reached)},
                )
            )
            moving = reached
        indptr, indices = self.adjacency.indptr, self.adjacency.indices
        sources = sorted({int(self.labels[u]) for u in moving} - {-1})
        for source in sources:
            remaining = [int(u) for u in self._members[source] if int(u) not in moving]
            if not remaining:
                raise EditRefused(
                    N_("Moving these units would leave grid {grid} empty; merge the grids instead."), grid=source
                )
            pieces = _components(indptr, indices, remaining)
            if len(pieces) > 1:
                if not repair:
                    raise EditRefused(
                        N_(
                            "Moving these units would cut grid {grid} into {parts} pieces; "
                            "choose other units, or turn on repair."
                        ),
                        grid=source,
                        parts=len(pieces),
                    )
                # Keep the heaviest piece (ties: the largest); the cut-off pieces go along to the target.
                weights = [(float(self.unit_loads[p].sum()), len(p)) for p in pieces]
                keep = max(range(len(pieces)), key=lambda i: weights[i])
                extra = [u for i, p in enumerate(pieces) if i != keep for u in p]
                moving.update(extra)
                notes.append(
                    (
                        N_("Also moved {n} units cut off from grid {grid}, to keep it in one piece."),
                        {"n": len(extra), "grid": source},
                    )
                )
        units = np.array(sorted(moving), dtype=np.int64)
        return Edit("reassign", units, np.full(len(units), target, dtype=np.int64), notes=notes)

    def _connected(self, units) -> bool:
        indptr, indices = self.adjacency.indptr, self.adjacency.indices
        return len(_components(indptr, indices, units)) <= 1

    def plan_merge(self, grids) -> Edit:
        """Merge ``grids`` (adjacent, together in one piece) into the first of them."""
        grids = [int(g) for g in dict.fromkeys(int(g) for g in grids)]
        if len(grids) < 2:
            raise EditRefused(N_("Select at least two adjacent grids to merge."))
        for g in grids:
            self._check_grid(g)
        units = np.concatenate([self._members[g] for g in grids])
        if not self._connected(units):
            raise EditRefused(N_("The selected grids do not form one connected piece; select adjacent grids."))
        keep = grids[0]
        moved = units[self.labels[units] != keep]
        return Edit("merge", moved, np.full(len(moved), keep, dtype=np.int64), removed=tuple(grids[1:]))

    def plan_split(self, grid: int, n_parts: int, *, seed: int = 0) -> Edit:
        """Split ``grid`` into ``n_parts`` contiguous balanced grids; the first part keeps the grid."""
        grid = int(grid)
        self._check_grid(grid)
        n_parts = int(n_parts)
        members = self._members[grid]
        if n_parts < 2:
            raise EditRefused(N_("Split a grid into at least 2 parts."))
        if n_parts > len(members):
            raise EditRefused(
                N_("Grid {grid} has only {n} units and cannot be split into {k} parts."),
                grid=grid,
                n=len(members),
                k=n_parts,
            )
        if not self._connected(members):
            raise EditRefused(N_("Grid {grid} is not in one piece; repair it before splitting."), grid=grid)
        sub = self.adjacency[members][:, members]
        parts = partition_units(sub, self.unit_loads[members], n_parts, tolerance=self.tolerance, seed=seed)
        parts = _relabel_by_first_appearance(parts)
        new_ids = np.array([grid] + [self.n_grids + i for i in range(n_parts - 1)], dtype=np.int64)
        return Edit("split", members.copy(), new_ids[parts], n_new=n_parts - 1)

    def plan_rebalance(self, grids, *, seed: int = 0) -> Edit:
        """Redraw a connected group of grids into the same number of balanced grids.

        The new parts are matched to the old grids by shared load, so each grid keeps its code and as
        many of its units as the balance allows.
        """
        from scipy.optimize import linear_sum_assignment

        grids = np.array(list(dict.fromkeys(int(g) for g in grids)), dtype=np.int64)
        if len(grids) < 2:
            raise EditRefused(N_("Select at least two neighbouring grids to rebalance."))
        for g in grids:
            self._check_grid(int(g))
        units = np.concatenate([self._members[g] for g in grids])
        if not self._connected(units):
            raise EditRefused(N_("The selected grids do not form one connected piece; select neighbouring grids."))
        sub = self.adjacency[units][:, units]
        loads = self.unit_loads[units]
        parts = partition_units(sub, loads, len(grids), tolerance=self.tolerance, seed=seed)
        # overlap[i, j] = load (plus a tiny area term for zero-load units) of old grid i in new part j
        old_pos = np.searchsorted(grids, self.labels[units], sorter=np.argsort(grids))
        old_index = np.argsort(grids)[old_pos]
        weight = loads + 1e-6 * self.unit_area[units]
        overlap = np.zeros((len(grids), len(grids)))
        np.add.at(overlap, (old_index, parts), weight)
        rows, cols = linear_sum_assignment(-overlap)
        part_to_grid = np.empty(len(grids), dtype=np.int64)
        part_to_grid[cols] = grids[rows]
        new_labels = part_to_grid[parts]
        changed = new_labels != self.labels[units]
        return Edit("rebalance", units[changed], new_labels[changed])

    # ---- applying ---------------------------------------------------------------------------------
    def _union(self, members):
        if not len(members):
            return shapely.Polygon()
        return union_units(self.unit_geoms[members], self.unit_area[members].sum())

    @staticmethod
    def _parts(geoms) -> np.ndarray:
        geoms = np.asarray(geoms, dtype=object)
        empty = shapely.is_empty(geoms) | shapely.is_missing(geoms)
        counts = np.asarray(shapely.get_num_geometries(geoms), dtype=np.int64)
        polygonal = np.isin(shapely.get_type_id(geoms), [3, 6])
        return np.where(empty, 0, np.where(polygonal, counts, counts))

    def _snapshot(self, grids) -> dict:
        return {name: getattr(self, name)[grids].copy() for name in _STAT_NAMES} | {
            "members": [self._members[g] for g in grids]
        }

    def _restore(self, grids, snap) -> None:
        for name in _STAT_NAMES:
            getattr(self, name)[grids] = snap[name]
        for g, m in zip(grids, snap["members"]):
            self._members[g] = m

    def _grow(self, n_new: int) -> np.ndarray:
        start = self.n_grids
        self.load = np.concatenate([self.load, np.zeros(n_new)])
        self.n_buildings = np.concatenate([self.n_buildings, np.zeros(n_new, np.int64)])
        self.n_units = np.concatenate([self.n_units, np.zeros(n_new, np.int64)])
        self.area_m2 = np.concatenate([self.area_m2, np.zeros(n_new)])
        self.perimeter_m = np.concatenate([self.perimeter_m, np.zeros(n_new)])
        self.n_parts = np.concatenate([self.n_parts, np.zeros(n_new, np.int64)])
        self.alive = np.concatenate([self.alive, np.zeros(n_new, bool)])
        geoms = np.empty(n_new, dtype=object)
        geoms[:] = [shapely.Polygon() for _ in range(n_new)]
        self.geoms = np.concatenate([self.geoms, geoms])
        self._members.extend(np.zeros(0, np.int64) for _ in range(n_new))
        return np.arange(start, start + n_new, dtype=np.int64)

    def apply(self, edit: Edit) -> AppliedEdit:
        """Apply a planned edit; update only the grids it touches. Refuse it if it would leave a gap."""
        units = np.asarray(edit.units, dtype=np.int64)
        new_labels = np.asarray(edit.labels, dtype=np.int64)
        created = np.zeros(0, np.int64)
        if edit.n_new:
            created = np.arange(self.n_grids, self.n_grids + edit.n_new, dtype=np.int64)
            if new_labels.max() >= self.n_grids + edit.n_new:
                raise ValueError("edit labels exceed the new grids")
        old_labels = self.labels[units].copy()
        affected = np.unique(np.concatenate([old_labels[old_labels >= 0], new_labels, created]))
        existing = affected[affected < self.n_grids]
        old_union_area = float(shapely.area(shapely.union_all(self.geoms[existing]))) if len(existing) else 0.0
        # Compute the new members and geometries before touching the model (a refusal leaves it intact).
        new_members = {}
        for g in affected:
            base = self._members[g] if g < self.n_grids else np.zeros(0, np.int64)
            keep = base[~np.isin(base, units)]
            new_members[int(g)] = np.sort(np.concatenate([keep, units[new_labels == g]]))
        new_geoms = {g: self._union(m) for g, m in new_members.items()}
        for g, geom in new_geoms.items():
            # Geometric safety net behind the unit graph: never make a grid more broken than it was.
            parts = int(self._parts(np.array([geom], dtype=object))[0])
            was = int(self.n_parts[g]) if g < self.n_grids else 1
            if parts > max(1, was) and len(new_members[g]):
                raise EditRefused(
                    N_(
                        "Moving these units would cut grid {grid} into {parts} pieces; "
                        "choose other units, or turn on repair."
                    ),
                    grid=g,
                    parts=parts,
                )
        alive_after = [g for g, m in new_members.items() if len(m)]
        new_union = shapely.union_all(np.array([new_geoms[g] for g in alive_after], dtype=object))
        gap = old_union_area - float(shapely.area(new_union))
        if gap > max(AREA_EPS_M2, 1e-7 * old_union_area):
            raise EditRefused(
                N_(
                    "This edit would leave a gap of {area} m² (the grids hold land outside their units); "
                    "fix the units first or edit the grid outlines by hand."
                ),
                area=f"{gap:.1f}",
            )
        if edit.n_new:
            self._grow(edit.n_new)
        before = self._snapshot(affected)
        self.labels[units] = new_labels
        for g in affected:
            members = new_members[int(g)]
            self._members[g] = members
            self.load[g] = float(self.unit_loads[members].sum())
            self.n_buildings[g] = int(self.unit_buildings[members].sum())
            self.n_units[g] = len(members)
            geom = new_geoms[int(g)]
            self.geoms[g] = geom
            self.area_m2[g] = float(shapely.area(geom))
            self.perimeter_m[g] = float(shapely.length(geom))
            self.n_parts[g] = int(self._parts(np.array([geom], dtype=object))[0])
            self.alive[g] = len(members) > 0
        after = self._snapshot(affected)
        return AppliedEdit(edit, old_labels, affected, before, after, created)

    def revert(self, applied: AppliedEdit) -> None:
        """Undo ``applied`` exactly (geometries and statistics as they were)."""
        self.labels[applied.edit.units] = applied.old_labels
        self._restore(applied.affected, applied.before)

    def reapply(self, applied: AppliedEdit) -> None:
        """Redo ``applied`` after :meth:`revert`."""
        self.labels[applied.edit.units] = applied.edit.labels
        self._restore(applied.affected, applied.after)


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


def _grouped_sum(keys, values):
    keys = np.asarray(keys)
    if not len(keys):
        return np.zeros(0, np.int64), np.zeros(0)
    uniq, inverse = np.unique(keys, return_inverse=True)
    return uniq, np.bincount(inverse, weights=np.asarray(values, float))


def _relabel_by_first_appearance(parts) -> np.ndarray:
    parts = np.asarray(parts)
    _, first = np.unique(parts, return_index=True)
    order = np.argsort(first)
    mapping = np.empty(order.max() + 1 if len(order) else 0, dtype=np.int64)
    mapping[np.unique(parts)[order]] = np.arange(len(order))
    return mapping[parts]


# --------------------------------------------------------------------------------------------------
# Validation (runs in a background task after every edit)
# --------------------------------------------------------------------------------------------------


@dataclass
class GridProblem:
    """A problem of one grid: a translatable template, its parameters and a severity (``error``/``warning``)."""

    grid: int
    template: str
    params: dict
    severity: str = "error"

    @property
    def message(self) -> str:
        """The English sentence."""
        return self.template.format(**self.params)


def validate_grids(
    geoms,
    loads,
    *,
    alive=None,
    target_load: float = 400.0,
    tolerance: float = 0.2,
    unit_unions=None,
    report=None,
) -> list[GridProblem]:
    """Check a plan: grids in several pieces, empty grids, overlaps, gaps enclosed by grids, loads out
    of tolerance, and (given ``unit_unions``) grids whose outline is not the union of their units.

    Vectorised over all grids (one STRtree query for overlaps, one union for gaps); definitions as in
    ``metrics.py`` (contiguous = one polygon part; overlap = shared area).
    """
    geoms = np.asarray(geoms, dtype=object)
    loads = np.asarray(loads, dtype=float)
    n = len(geoms)
    alive = np.ones(n, bool) if alive is None else np.asarray(alive, bool)
    idx = np.flatnonzero(alive)
    problems: list[GridProblem] = []
    if not len(idx):
        return problems
    g = geoms[idx]
    empty = shapely.is_empty(g) | shapely.is_missing(g)
    parts = np.asarray(shapely.get_num_geometries(g))
    for i in np.flatnonzero(empty):
        problems.append(GridProblem(int(idx[i]), N_("empty grid"), {}))
    for i in np.flatnonzero(~empty & (parts > 1)):
        problems.append(GridProblem(int(idx[i]), N_("in {parts} pieces"), {"parts": int(parts[i])}))
    if target_load:
        dev = (loads[idx] - target_load) / target_load
        for i in np.flatnonzero(np.abs(dev) > tolerance + 1e-9):
            template = N_("load {pct}% over target") if dev[i] > 0 else N_("load {pct}% under target")
            problems.append(GridProblem(int(idx[i]), template, {"pct": f"{abs(dev[i]) * 100:.0f}"}, "warning"))
    if report is not None:
        report.check_cancelled()
    valid = ~empty
    gi = idx[valid]
    gg = g[valid]
    if len(gg) > 1:
        tree = shapely.STRtree(gg)
        left, right = tree.query(gg, predicate="intersects")
        keep = left < right
        left, right = left[keep], right[keep]
        if len(left):
            # interiors that meet (DE-9IM 2********); only those pairs need the overlay for the area
            meet = shapely.relate_pattern(gg[left], gg[right], "2********")
            left, right = left[meet], right[meet]
            shared = shapely.area(shapely.intersection(gg[left], gg[right])) if len(left) else np.zeros(0)
            for a, b, area in zip(left, right, shared):
                if area > AREA_EPS_M2:
                    params = {"area": f"{area:.1f}"}
                    problems.append(
                        GridProblem(
                            int(gi[a]), N_("overlaps grid {other} by {area} m²"), params | {"other": int(gi[b])}
                        )
                    )
                    problems.append(
                        GridProblem(
                            int(gi[b]), N_("overlaps grid {other} by {area} m²"), params | {"other": int(gi[a])}
                        )
                    )
        if report is not None:
            report.check_cancelled()
        union = union_units(gg)
        holes = []
        for poly in shapely.get_parts(union):
            holes.extend(shapely.Polygon(ring) for ring in poly.interiors)
        holes = np.array([h for h in holes if h.area > AREA_EPS_M2 * 100], dtype=object)
        if len(holes):
            hits_hole, hits_grid = tree.query(shapely.buffer(holes, 0.01), predicate="intersects")
            for h, k in zip(hits_hole, hits_grid):
                problems.append(
                    GridProblem(int(gi[k]), N_("borders a gap of {area} m²"), {"area": f"{holes[h].area:.0f}"})
                )
    if unit_unions is not None:
        unit_unions = np.asarray(unit_unions, dtype=object)[idx]
        both = ~empty & ~(shapely.is_empty(unit_unions) | shapely.is_missing(unit_unions))
        diff = np.zeros(len(idx))
        if both.any():
            diff[both] = shapely.area(shapely.symmetric_difference(g[both], unit_unions[both]))
        for i in np.flatnonzero(diff > 1.0):
            problems.append(
                GridProblem(
                    int(idx[i]),
                    N_("outline differs from its units by {area} m²"),
                    {"area": f"{diff[i]:.0f}"},
                    "warning",
                )
            )
    return problems


# --------------------------------------------------------------------------------------------------
# Codes for new grids
# --------------------------------------------------------------------------------------------------

_TRAILING_DIGITS = re.compile(r"^(.*?)(\d+)$")


def next_codes(existing, base: str, n: int) -> list[str]:
    """``n`` new grid codes like ``base`` that are not in ``existing``.

    A code ending in digits continues its numbering at the same width after the highest code with the
    same prefix (``'370102001003'`` → ``'370102001012'`` when ``…011`` is the highest); other codes get a
    ``-2``, ``-3``… suffix.

    >>> next_codes({"A01", "A02", "A07"}, "A02", 2)
    ['A08', 'A09']
    >>> next_codes({"north"}, "north", 2)
    ['north-2', 'north-3']
    """
    existing = {str(c) for c in existing if c is not None}
    base = str(base)
    match = _TRAILING_DIGITS.match(base)
    result = []
    if match:
        prefix, digits = match.group(1), match.group(2)
        width = len(digits)
        numbers = [
            int(m.group(2))
            for c in existing
            if (m := _TRAILING_DIGITS.match(c)) and m.group(1) == prefix and len(m.group(2)) == width
        ]
        number = max(numbers + [int(digits)])
        while len(result) < n:
            number += 1
            code = f"{prefix}{number:0{width}d}"
            if code not in existing:
                result.append(code)
        return result
    suffix = 1
    while len(result) < n:
        suffix += 1
        code = f"{base}-{suffix}"
        if code not in existing:
            result.append(code)
    return result
