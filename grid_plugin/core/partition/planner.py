"""One parent at a time: its units, their graph, how many grids each piece gets, and the labels.

Parents (communities, villages) never share a grid, so each is planned on its own
(:func:`plan_parent`), possibly in parallel threads (shapely and scipy release the GIL for the heavy
parts). Whatever depends on chance is seeded from the parent's *identity* (its code, else a hash of
its geometry, see :func:`grid_plugin.core.partition.inputs.parent_identity`) and the piece's index
inside the parent: a change in one parent never changes another parent's grids, and the number of
worker threads never changes a result. A parent whose grids miss the tolerance is planned again with
finer units (:func:`replan_parent`); the others are left alone.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
import shapely
from scipy.sparse import csgraph

from ..errors import N_, Report
from .graph import allocate_parts, choose_part_count, partition_graph
from .units import build_units, outline_groups, unit_adjacency

__all__ = ["Options", "ParentPlan", "plan_parent", "count_parts", "label_parent", "stable_seed", "edge_costs"]

#: Relative cut cost per metre of shared boundary.
COST_STRONG = 0.02
COST_WEAK = 0.25
COST_OPEN = 1.0


@dataclass
class Options:
    """Parameters of one partition run (checked by :func:`.inputs.check_parameters`)."""

    target: float
    tolerance: float
    n_grids: int | None
    min_area_m2: float | None
    max_area_m2: float | None
    compactness: float
    seed: int
    attempts: int

    def within(self, loads) -> np.ndarray:
        """True for loads inside the tolerance band around the target."""
        lo, hi = self.target * (1 - self.tolerance), self.target * (1 + self.tolerance)
        return (loads >= lo) & (loads <= hi)


class CollectingReport(Report):
    """A worker's report: asks the caller's report about cancel, keeps warnings for the caller to replay.

    Warnings are replayed in parent order by the main thread, so their order never depends on which
    worker finished first.
    """

    def __init__(self, outer: Report):
        super().__init__()
        self.outer = outer

    def is_cancelled(self) -> bool:
        """The caller's cancel flag."""
        return self.outer.is_cancelled()


@dataclass
class ParentPlan:
    """Units, graph and grids of one parent; unit and label indices are local to the parent."""

    parent: int
    identity: str
    buildings: np.ndarray  # global indices of the buildings whose point lies in this parent
    units: np.ndarray
    unit_kind: np.ndarray
    point_unit: np.ndarray  # local unit of each of ``buildings`` (-1: in no unit)
    unit_load: np.ndarray
    unit_count: np.ndarray
    unit_max_building: np.ndarray
    segments: tuple
    length: sp.csr_matrix
    cost: sp.csr_matrix
    comp: np.ndarray
    comp_load: np.ndarray
    comp_area_m2: np.ndarray
    n_split_blocks: int
    counts: np.ndarray | None = None
    labels: np.ndarray | None = None
    outlines: np.ndarray | None = None
    warnings: list = field(default_factory=list)

    @property
    def n_labels(self) -> int:
        """Grids of this parent."""
        return int(self.labels.max()) + 1 if self.labels is not None and self.labels.size else 0

    def n_within(self, options: Options) -> int:
        """Grids of this parent inside the tolerance."""
        loads = np.bincount(self.labels, weights=self.unit_load, minlength=self.n_labels)
        return int(options.within(loads).sum())


def edge_costs(length, strong, weak):
    """Cut cost matrix from shared boundary lengths (total, on strong and on weak barriers)."""
    open_length = (length - strong - weak).maximum(0)
    cost = strong * COST_STRONG + weak * COST_WEAK + open_length * COST_OPEN
    cost = sp.csr_matrix(cost)
    # Keep the adjacency pattern even where a cost rounds to 0.
    cost = cost + sp.csr_matrix(length.astype(bool)) * 1e-6
    return cost.tocsr()


def stable_seed(seed: int, identity: str, piece: int) -> int:
    """A seed from the run's seed, the parent's identity and the piece's index inside the parent.

    >>> stable_seed(0, "code:001", 0) == stable_seed(0, "code:001", 0) != stable_seed(0, "code:002", 0)
    True
    """
    digest = hashlib.blake2b(f"{int(seed)}|{identity}|{int(piece)}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little") >> 1


def plan_parent(inputs, parent: int, lines: tuple, split_load: float, report: Report) -> ParentPlan:
    """Units, adjacency, cut costs and connected pieces of one parent (no labels yet)."""
    strong, weak = lines
    buildings = np.flatnonzero(inputs.building_parent == parent)
    points = inputs.points[buildings]
    loads = inputs.loads[buildings]
    geometry = inputs.parents[parent : parent + 1]
    built = build_units(geometry, strong, weak, points, loads, split_load, report=report, unit_m=inputs.unit_m)
    units = built["units"]
    point_unit = built["point_unit"]
    report.check_cancelled()
    inside = point_unit >= 0
    unit_load = np.bincount(point_unit[inside], weights=loads[inside], minlength=units.size)
    unit_count = np.bincount(point_unit[inside], minlength=units.size)
    unit_max_building = np.zeros(units.size)
    np.maximum.at(unit_max_building, point_unit[inside], loads[inside])
    adjacency = unit_adjacency(units, built["unit_parent"], strong, weak, tolerance_m=0.01, unit_m=inputs.unit_m)
    n_comp, comp = csgraph.connected_components(adjacency["length"], directed=False)
    return ParentPlan(
        parent=parent,
        identity=inputs.parent_ids[parent],
        buildings=buildings,
        units=units,
        unit_kind=built["unit_kind"],
        point_unit=point_unit,
        unit_load=unit_load,
        unit_count=unit_count,
        unit_max_building=unit_max_building,
        segments=adjacency["segments"],
        length=adjacency["length"],
        cost=edge_costs(adjacency["length"], adjacency["strong"], adjacency["weak"]),
        comp=comp.astype(np.int64),
        comp_load=np.bincount(comp, weights=unit_load, minlength=n_comp),
        comp_area_m2=np.bincount(comp, weights=shapely.area(units), minlength=n_comp) * inputs.unit_m**2,
        n_split_blocks=built["n_split_blocks"],
    )


def _bound_by_area(counts, comp_area_m2, options: Options):
    if options.max_area_m2:
        counts = np.maximum(counts, np.ceil(comp_area_m2 / options.max_area_m2).astype(np.int64))
    if options.min_area_m2:
        counts = np.minimum(counts, np.maximum(np.floor(comp_area_m2 / options.min_area_m2).astype(np.int64), 1))
    return counts


def _share_among(comp_load, n_parts):
    """Loaded pieces share the parts by load; a piece without load gets one."""
    loaded = comp_load > 0
    counts = np.ones(comp_load.size, dtype=np.int64)
    if loaded.any():
        counts[loaded] = allocate_parts(comp_load[loaded], max(int(n_parts) - int((~loaded).sum()), int(loaded.sum())))
    return counts


def count_parts(plans: list, options: Options) -> None:
    """Set ``counts`` (grids per connected piece) on every parent plan.

    With a target, each piece gets the count whose mean load is closest to it; with a number of
    grids, the pieces of all parents share that number by load.
    """
    if options.n_grids is not None:
        all_loads = np.concatenate([p.comp_load for p in plans]) if plans else np.zeros(0)
        shared = np.split(_share_among(all_loads, options.n_grids), np.cumsum([p.comp_load.size for p in plans])[:-1])
        for plan, counts in zip(plans, shared, strict=True):
            plan.counts = _bound_by_area(counts, plan.comp_area_m2, options)
        return
    for plan in plans:
        counts = np.array([choose_part_count(load, options.target) for load in plan.comp_load], dtype=np.int64)
        plan.counts = _bound_by_area(counts, plan.comp_area_m2, options)


def recount_parts(plan: ParentPlan, total: int, options: Options) -> None:
    """Counts of a re-planned parent: the same total as before (number-of-grids mode) or by target."""
    if options.n_grids is not None:
        plan.counts = _bound_by_area(_share_among(plan.comp_load, total), plan.comp_area_m2, options)
    else:
        count_parts([plan], options)


def _cut_cost(cost, labels):
    coo = sp.triu(cost, k=1).tocoo()
    return float(coo.data[labels[coo.row] != labels[coo.col]].sum())


def _best_of(adjacency, cost, loads, k, *, options: Options, seed, target_load, attempts, report):
    """Run :func:`partition_graph` with ``attempts`` seeds; keep the most balanced, then the cheapest cut."""
    best, best_key = None, None
    lo, hi = target_load * (1 - options.tolerance), target_load * (1 + options.tolerance)
    for attempt in range(max(attempts, 1)):
        labels = partition_graph(
            adjacency,
            loads,
            k,
            tolerance=options.tolerance,
            edge_cost=cost,
            seed=seed + 7_919 * attempt,
            target_load=target_load,
            compactness=options.compactness,
            report=report,
        )
        part_load = np.bincount(labels, weights=loads)
        within = int(((part_load >= lo) & (part_load <= hi)).sum())
        key = (-within, _cut_cost(cost, labels))
        if best_key is None or key < best_key:
            best, best_key = labels, key
        if within == part_load.size:
            break
    return best


def label_parent(plan: ParentPlan, options: Options, report: Report) -> None:
    """Split every connected piece of the parent into its count of grids; set ``labels`` and ``outlines``."""
    labels = np.full(plan.units.size, -1, dtype=np.int64)
    next_label = 0
    order = np.argsort(plan.comp, kind="stable")
    bounds = np.searchsorted(plan.comp[order], np.arange(plan.comp_load.size + 1))
    for piece in range(plan.comp_load.size):
        report.check_cancelled()
        members = order[bounds[piece] : bounds[piece + 1]]
        k = int(plan.counts[piece])
        if k > members.size:
            report.warn(
                N_(
                    "A piece of parent {parent} was to get {asked} grids but has only {units} units; "
                    "it gets {units} grids (one per unit). Lower the target or add barriers to get more units."
                ),
                parent=plan.identity.split(":", 1)[1] if plan.identity.startswith("code:") else plan.parent + 1,
                asked=k,
                units=int(members.size),
            )
            k = int(members.size)
        if k <= 1:
            labels[members] = next_label
            next_label += 1
            continue
        sub = plan.length[members][:, members]
        part = _best_of(
            sub,
            plan.cost[members][:, members],
            plan.unit_load[members],
            k,
            options=options,
            seed=stable_seed(options.seed, plan.identity, piece),
            target_load=options.target if options.n_grids is None else plan.comp_load[piece] / k,
            attempts=options.attempts if members.size <= 20_000 else 1,
            report=report,
        )
        labels[members] = part + next_label
        next_label += int(part.max()) + 1
    plan.labels = labels
    plan.outlines = outline_groups(plan.segments, labels, next_label, plan.units)


def run_parent(inputs, parent, lines, split_load, options, outer_report, total=None) -> ParentPlan:
    """Plan, count (unless counted globally later: ``total`` None in number-of-grids mode) and label one parent."""
    report = CollectingReport(outer_report)
    plan = plan_parent(inputs, parent, lines, split_load, report)
    if options.n_grids is None:
        count_parts([plan], options)
    elif total is not None:
        recount_parts(plan, total, options)
    else:
        plan.warnings = list(report.warnings)
        return plan  # counted across parents by the caller, labelled after
    label_parent(plan, options, report)
    plan.warnings = list(report.warnings)
    return plan


def finish_parent(plan: ParentPlan, options, outer_report) -> ParentPlan:
    """Label a parent whose counts were set across parents (number-of-grids mode)."""
    report = CollectingReport(outer_report)
    label_parent(plan, options, report)
    plan.warnings = plan.warnings + list(report.warnings)
    return plan
