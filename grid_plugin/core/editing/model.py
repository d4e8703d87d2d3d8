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
algorithm) on the unit graph of the grids concerned (the partition's own unit adjacency, see
:func:`~.geometry.rook_adjacency`). Messages name grids by their code (``grid_names``).

Examples
--------
>>> import shapely
>>> cells = [shapely.box(x, 0, x + 1, 1) for x in range(4)]
>>> model = EditModel(cells, [100, 100, 100, 100], [0, 0, 1, 1], target_load=200, grid_names=["A01", "A02"])
>>> model.load.tolist()
[200.0, 200.0]
>>> applied = model.apply(model.plan_reassign([1], 1))
>>> model.load.tolist(), model.n_parts.tolist()
([100.0, 300.0], [1, 1])
>>> try:
...     model.plan_reassign([0], 1)  # would empty grid 0
... except EditRefused as refusal:
...     print(refusal)
Moving these units would leave grid A01 empty; merge the grids instead.
>>> model.revert(applied); model.load.tolist()
[200.0, 200.0]
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely
from scipy import sparse

from ..errors import N_, GridPlannerError
from ..partition.graph import connected_parts, partition_graph
from .geometry import AREA_EPS_M2, polsby_popper, rook_adjacency, union_units

__all__ = ["EditRefused", "Edit", "AppliedEdit", "EditModel", "partition_units"]


class EditRefused(GridPlannerError):
    """An edit that would break a rule of the plan (contiguity, no gap, no empty grid)."""


def partition_units(adjacency, loads, n_parts, *, tolerance=0.2, seed=0):
    """Partition a connected unit graph into ``n_parts`` contiguous balanced parts.

    The partition engine's ``partition_graph`` (the spanning-tree bisection of ``partition/graph.py``),
    so the panel's split and rebalance give the same parts as the partition algorithm. Returns one label
    in ``0..n_parts-1`` per unit.
    """
    labels = partition_graph(
        sparse.csr_matrix(adjacency), np.asarray(loads, float), int(n_parts), tolerance=tolerance, seed=seed
    )
    return np.asarray(labels, dtype=np.int64)


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
        Unit adjacency (default :func:`~.geometry.rook_adjacency`, the partition's unit graph).
    grid_names : list of str, optional
        The name (code) of each grid, used in every message; the list is kept, not copied, so its owner
        can name the grids an edit creates. Default: ``"#1"``, ``"#2"``… (1-based positions).
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
        grid_names: list | None = None,
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
        self.adjacency = sparse.csr_matrix(adjacency if adjacency is not None else rook_adjacency(self.unit_geoms))
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
        self.names = grid_names if grid_names is not None else []

    def name(self, grid: int) -> str:
        """The grid's name (code) for messages; ``#<position>`` when it has none."""
        grid = int(grid)
        if 0 <= grid < len(self.names) and self.names[grid] not in (None, ""):
            return str(self.names[grid])
        return f"#{grid + 1}"

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
            raise EditRefused(N_("Grid {grid} does not exist (any more); choose another grid."), grid=self.name(grid))

    def _reach(self, starts, allowed) -> set[int]:
        """Units of ``allowed`` connected to ``starts`` through ``allowed`` (one connected-components call)."""
        if len(allowed) == 1:  # the common click: one unit reaches the grid when it has a neighbour there
            (unit,) = allowed
            neighbours = self.adjacency.indices[self.adjacency.indptr[unit] : self.adjacency.indptr[unit + 1]]
            return {int(unit)} if np.isin(neighbours, starts).any() else set()
        allowed = np.asarray(sorted(allowed), dtype=np.int64)
        starts = np.asarray(starts, dtype=np.int64)
        reached: set[int] = set()
        for piece in connected_parts(self.adjacency, np.concatenate([starts, allowed])):
            if np.isin(piece, starts).any():
                reached.update(int(u) for u in piece[np.isin(piece, allowed)])
        return reached

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
            raise EditRefused(N_("Select units of another grid to move into grid {grid}."), grid=self.name(target))
        notes = []
        moving = set(int(u) for u in units)
        reached = self._reach(self._members[target], moving) if len(self._members[target]) else set(moving)
        if not reached:
            raise EditRefused(
                N_("Grid {grid} is not a neighbour of the selected units; choose a grid that touches them."),
                grid=self.name(target),
            )
        if len(reached) < len(moving):
            if not repair:
                raise EditRefused(
                    N_(
                        "{n} of the selected units do not touch grid {grid}, so it would fall apart; "
                        "select units along its edge, or turn on repair."
                    ),
                    n=len(moving) - len(reached),
                    grid=self.name(target),
                )
            notes.append(
                (
                    N_("Left out {n} selected units that do not touch the target grid."),
                    {"n": len(moving) - len(reached)},
                )
            )
            moving = reached
        sources = sorted({int(self.labels[u]) for u in moving} - {-1})
        for source in sources:
            remaining = [int(u) for u in self._members[source] if int(u) not in moving]
            if not remaining:
                raise EditRefused(
                    N_("Moving these units would leave grid {grid} empty; merge the grids instead."),
                    grid=self.name(source),
                )
            pieces = [piece.tolist() for piece in connected_parts(self.adjacency, remaining)]
            if len(pieces) > 1:
                if not repair:
                    raise EditRefused(
                        N_(
                            "Moving these units would cut grid {grid} into {parts} pieces; "
                            "choose other units, or turn on repair."
                        ),
                        grid=self.name(source),
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
                        {"n": len(extra), "grid": self.name(source)},
                    )
                )
        units = np.array(sorted(moving), dtype=np.int64)
        return Edit("reassign", units, np.full(len(units), target, dtype=np.int64), notes=notes)

    def _connected(self, units) -> bool:
        return len(connected_parts(self.adjacency, units)) <= 1

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
                grid=self.name(grid),
                n=len(members),
                k=n_parts,
            )
        if not self._connected(members):
            raise EditRefused(N_("Grid {grid} is not in one piece; repair it before splitting."), grid=self.name(grid))
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
                    grid=self.name(g),
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
