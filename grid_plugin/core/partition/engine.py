"""Balanced grid partition: tile an area into contiguous, compact, road-following grids.

Pipeline (see ``docs/partition.md``); each parent is planned on its own (:mod:`.planner`), in
parallel threads when there are several, seeded from its identity so that a change in one parent never
changes another's grids:

1. **Units.** Each parent (community, village) is polygonised with the noded network of its
   boundary and the strong and weak barrier lines (roads, rivers, railways, walls, footways…).
   Blocks heavier than the target are split into Voronoi cells of their buildings, with the
   Voronoi edges noded into the same linework, so units tile each parent exactly.
2. **Graph.** Units that share a boundary are joined; cutting costs little along a strong barrier,
   more along a weak one and much more across open ground (:func:`edge_costs`).
3. **Partition.** Every connected piece of a parent is split into ``k`` parts with ``k`` the count
   whose mean load is closest to the target (:func:`grid_plugin.core.partition.graph.partition_graph`:
   spanning-tree bisection + local repair).
4. **Grids.** Grid outlines come from polygonising the unit segments between different grids; a
   building footprint crossed by a grid edge is given wholly to the grid that holds its
   representative point (the tiling stays exact). Then attributes, flags and codes.

Examples
--------
>>> from grid_plugin.core.synthetic import synthetic_town  # doctest: +SKIP
>>> town = synthetic_town(3000, seed=1)                      # doctest: +SKIP
>>> result = partition(town["area"], town["buildings"], town["roads"], target_load=400)  # doctest: +SKIP
>>> result.grids[["grid_code", "load", "deviation_pct"]].head()  # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import shapely

from ..errors import N_, Report, Warning_
from .coding import assign_codes
from .graph import partition_graph
from .inputs import Inputs, check_parameters, read_inputs
from .outlines import FLAG_REASONS, flag_reasons, merge_detached_pieces, piece_loads, repair_footprints
from .planner import Options, ParentPlan, count_parts, edge_costs, finish_parent, run_parent
from .units import conform_units

__all__ = [
    "partition",
    "PartitionResult",
    "Plan",
    "partition_graph",
    "edge_costs",
    "FLAG_REASONS",
    "GRID_FIELDS",
    "SPLIT_SHARES",
]

#: Output columns of the grid layer, in order.
GRID_FIELDS = (
    "grid_id",
    "grid_code",
    "parent_code",
    "load",
    "n_buildings",
    "area_m2",
    "deviation_pct",
    "polsby_popper",
    "flag",
    "flag_reason",
)

#: Blocks above these shares of the target are split into building cells: the first pass uses the
#: first share; a parent whose grids stay off target because its units are too coarse is planned
#: again with the finer shares (the other parents are left as they are).
SPLIT_SHARES = (0.6, 0.3)


@dataclass
class PartitionResult:
    """What :func:`partition` returns.

    Attributes
    ----------
    grids : GeoDataFrame
        One row per grid with :data:`GRID_FIELDS`.
    units : GeoDataFrame
        The atomic units: unit_id, grid_id, parent_code, load, n_buildings, area_m2, kind
        (``block`` or ``cell``).
    building_grid : numpy.ndarray
        grid_id per input building (-1 outside the area).
    outside_buildings : int
        Buildings whose representative point lies outside the area.
    warnings : list of Warning_
    stats : dict
        Counts (units, split blocks, repaired footprints, pieces, re-planned parents, ...).
    """

    grids: gpd.GeoDataFrame
    units: gpd.GeoDataFrame
    building_grid: np.ndarray
    outside_buildings: int = 0
    warnings: list = field(default_factory=list)
    stats: dict = field(default_factory=dict)


@dataclass
class Plan:
    """Every parent's plan joined into one: units, pieces and grids numbered across the area."""

    units: np.ndarray
    unit_parent: np.ndarray
    unit_kind: np.ndarray
    unit_load: np.ndarray
    unit_count: np.ndarray
    unit_max_building: np.ndarray
    point_unit: np.ndarray  # unit of every input building, -1 outside
    comp: np.ndarray
    comp_load: np.ndarray
    comp_area_m2: np.ndarray
    comp_parent: np.ndarray
    labels: np.ndarray
    label_parent: np.ndarray
    outlines: np.ndarray
    n_split_blocks: int
    n_replanned: int

    @property
    def n_labels(self) -> int:
        """Number of grids."""
        return int(self.outlines.size)

    @classmethod
    def join(cls, plans: list[ParentPlan], n_buildings: int, n_replanned: int = 0) -> Plan:
        """Join parent plans (in parent order) into one plan with global indices."""
        unit_off = np.cumsum([0] + [p.units.size for p in plans])
        label_off = np.cumsum([0] + [p.n_labels for p in plans])
        comp_off = np.cumsum([0] + [p.comp_load.size for p in plans])
        point_unit = np.full(n_buildings, -1, dtype=np.int64)
        for plan, offset in zip(plans, unit_off[:-1], strict=True):
            found = plan.point_unit >= 0
            point_unit[plan.buildings[found]] = plan.point_unit[found] + offset

        def cat(name, dtype=None, offsets=None):
            arrays = [
                getattr(p, name) if offsets is None else getattr(p, name) + offsets[i] for i, p in enumerate(plans)
            ]
            return np.concatenate(arrays).astype(dtype) if arrays else np.zeros(0, dtype=dtype)

        return cls(
            units=cat("units", object),
            unit_parent=np.repeat([p.parent for p in plans], [p.units.size for p in plans]).astype(np.int64),
            unit_kind=cat("unit_kind", np.int64),
            unit_load=cat("unit_load", float),
            unit_count=cat("unit_count", np.int64),
            unit_max_building=cat("unit_max_building", float),
            point_unit=point_unit,
            comp=cat("comp", np.int64, comp_off),
            comp_load=cat("comp_load", float),
            comp_area_m2=cat("comp_area_m2", float),
            comp_parent=np.repeat([p.parent for p in plans], [p.comp_load.size for p in plans]).astype(np.int64),
            labels=cat("labels", np.int64, label_off),
            label_parent=np.repeat([p.parent for p in plans], [p.n_labels for p in plans]).astype(np.int64),
            outlines=cat("outlines", object),
            n_split_blocks=int(sum(p.n_split_blocks for p in plans)),
            n_replanned=n_replanned,
        )


def partition(
    area,
    buildings,
    barriers=None,
    *,
    load_field="households",
    parent_code_field=None,
    barrier_class_field=None,
    strong_classes=None,
    weak_classes=None,
    target_load=400,
    tolerance=0.2,
    n_grids=None,
    min_area_m2=None,
    max_area_m2=None,
    compactness=0.5,
    seed=0,
    code_prefix=None,
    attempts=3,
    workers=None,
    report=None,
) -> PartitionResult:
    """Tile ``area`` into contiguous, compact, barrier-following grids of balanced load.

    Parameters
    ----------
    area : GeoDataFrame
        Polygons in a projected CRS (a geographic or missing CRS is refused). Each feature is a parent
        unit (community, village); no grid crosses from one parent to another.
    buildings : GeoDataFrame
        Building polygons or points carrying the load.
    barriers : GeoDataFrame or list of GeoDataFrame, optional
        Lines grid edges should follow (roads, waterways, railways, walls).
    load_field : str or None
        Numeric column of ``buildings`` with the load (``None``: each building counts 1). Empty values
        count 0 (with a warning); negative or infinite values are refused.
    parent_code_field : str, optional
        Column of ``area`` with the parent code: the 12-digit 统计用区划代码 (or 9, 6 or 3 digits
        completed by ``code_prefix``; malformed codes refused, see :mod:`.coding`). It is also the
        parent's identity for seeding (without it: a hash of the parent's geometry).
    barrier_class_field : str, optional
        Column of ``barriers`` with the class (default: highway / waterway / railway / barrier).
    strong_classes, weak_classes : sequence of str, optional
        Classes grid edges must follow / may follow to split a heavy block (OSM defaults).
    target_load : float
        Load per grid (e.g. 400 households).
    tolerance : float
        Allowed relative deviation (0.2 = ±20%).
    n_grids : int, optional
        Number of grids instead of a target; the target becomes total load / n_grids.
    min_area_m2, max_area_m2 : float, optional
        Bounds on grid area: they change the number of grids of a parent; grids still off are flagged.
    compactness : float
        0..1, preference for short, barrier-following cuts over exact balance.
    seed : int
        Random seed; the same inputs and seed give the same grids and codes, whatever ``workers``.
    code_prefix : str or tuple, optional
        County (6 digits) + township (3) [+ community (3)] code, as ``"440307015"`` or
        ``("440307", "015", "001")``; it completes parent codes shorter than 12 digits and codes the
        grids when there is no parent field (:mod:`.coding`).
    attempts : int
        Seeds tried per connected piece (the most balanced, then cheapest, labelling wins).
    workers : int, optional
        Threads planning parents side by side (default: the CPU count); results do not depend on it.
    report : Report, optional

    Returns
    -------
    PartitionResult
    """
    report = report or Report()
    check_parameters(target_load, tolerance, n_grids, compactness, min_area_m2, max_area_m2)
    inputs = read_inputs(
        area,
        buildings,
        barriers,
        load_field=load_field,
        parent_code_field=parent_code_field,
        barrier_class_field=barrier_class_field,
        strong_classes=strong_classes,
        weak_classes=weak_classes,
        report=report,
        code_prefix=code_prefix,
    )
    report.progress(5)
    options = Options(
        target=_target(inputs, target_load, n_grids),
        tolerance=float(tolerance),
        n_grids=int(n_grids) if n_grids is not None else None,
        min_area_m2=min_area_m2,
        max_area_m2=max_area_m2,
        compactness=float(compactness),
        seed=int(seed),
        attempts=int(attempts),
    )
    workers = max(1, min(int(workers or os.cpu_count() or 1), inputs.parents.size))
    plan = _plan(inputs, options, workers, report)
    n_outside = _warn_outside(inputs, plan, report)
    report.progress(85)
    plan, grid_geoms, n_repaired = _grid_geometries(plan, inputs, report)
    report.progress(92)
    grids, unit_frame, building_grid = _frames(plan, inputs, grid_geoms, options, report)
    n_flagged = int(grids["flag"].sum())
    if n_flagged:
        report.info(
            N_("{n} of {total} grids are outside ±{pct}% of the target; see flag_reason."),
            n=n_flagged,
            total=len(grids),
            pct=round(options.tolerance * 100),
        )
    report.progress(100)
    return PartitionResult(
        grids=grids,
        units=unit_frame,
        building_grid=building_grid,
        outside_buildings=n_outside,
        warnings=list(report.warnings),
        stats={
            "n_units": int(plan.units.size),
            "n_split_blocks": plan.n_split_blocks,
            "n_repaired_footprints": n_repaired,
            "n_components": int(plan.comp_load.size),
            "n_replanned_parents": plan.n_replanned,
            "target_load": options.target,
        },
    )


def _target(inputs: Inputs, target_load, n_grids) -> float:
    """The load per grid; refuse a run where no loaded building lies inside the area."""
    from ..errors import InputError

    inside = inputs.building_parent >= 0
    total_inside = float(inputs.loads[inside].sum())
    if total_inside <= 0:
        raise InputError(
            N_(
                "No building with a load lies inside the area ({outside} of {total} buildings are outside it); "
                "check that the buildings layer covers the area and that the load field is filled."
            ),
            outside=int((~inside).sum()),
            total=len(inputs.loads),
        )
    return total_inside / int(n_grids) if n_grids is not None else float(target_load)


def _lines_by_parent(inputs: Inputs) -> list[tuple]:
    """The strong and weak lines touching each parent (one bulk STRtree query per kind)."""
    out = [[np.zeros(0, dtype=object), np.zeros(0, dtype=object)] for _ in range(inputs.parents.size)]
    for kind, lines in enumerate((inputs.strong, inputs.weak)):
        if len(lines) == 0:
            continue
        lines = np.asarray(lines, dtype=object)
        parent_idx, line_idx = shapely.STRtree(lines).query(inputs.parents, predicate="intersects")
        order = np.lexsort((line_idx, parent_idx))
        parent_idx, line_idx = parent_idx[order], line_idx[order]
        bounds = np.searchsorted(parent_idx, np.arange(inputs.parents.size + 1))
        for p in range(inputs.parents.size):
            out[p][kind] = lines[line_idx[bounds[p] : bounds[p + 1]]]
    return [tuple(pair) for pair in out]


def _map_parents(function, items, workers, report, progress_from, progress_to):
    """``function`` over ``items`` in threads; results in item order, so ``workers`` never changes them."""
    results = []
    if workers <= 1 or len(items) <= 1:
        for index, item in enumerate(items):
            results.append(function(item))
            report.progress(progress_from + (progress_to - progress_from) * (index + 1) / len(items))
        return results
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="gridplanner-parent")
    try:
        futures = [pool.submit(function, item) for item in items]
        for index, future in enumerate(futures):
            results.append(future.result())
            report.progress(progress_from + (progress_to - progress_from) * (index + 1) / len(items))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return results


def _plan(inputs: Inputs, options: Options, workers: int, report: Report) -> Plan:
    """Plan every parent; re-plan with finer units only the parents whose grids miss the tolerance."""
    lines = _lines_by_parent(inputs)
    split = options.target * SPLIT_SHARES[0]
    plans = _map_parents(
        lambda p: run_parent(inputs, p, lines[p], split, options, report),
        list(range(inputs.parents.size)),
        workers,
        report,
        5,
        50,
    )
    if options.n_grids is not None:
        count_parts(plans, options)
        plans = _map_parents(lambda p: finish_parent(p, options, report), plans, workers, report, 50, 60)
    n_comp = sum(p.comp_load.size for p in plans)
    total = float(sum(p.comp_load.sum() for p in plans))
    if (
        options.n_grids is None
        and sum(int(p.counts.sum()) for p in plans) == n_comp
        and total < options.target * (1 - options.tolerance)
    ):
        report.warn(
            N_("The total load ({total}) is below the target ({target}); each parent becomes one grid, flagged."),
            total=round(total, 1),
            target=options.target,
        )
    replanned = set()
    for share in SPLIT_SHARES[1:]:
        failing = [p for p in plans if p.n_within(options) < p.n_labels]
        if not failing:
            break
        finer = _map_parents(
            lambda old, share=share: run_parent(
                inputs, old.parent, lines[old.parent], options.target * share, options, report, int(old.counts.sum())
            ),
            failing,
            workers,
            report,
            60,
            80,
        )
        for old, new in zip(failing, finer, strict=True):
            if new.n_within(options) > old.n_within(options):
                plans[old.parent] = new
                replanned.add(old.parent)
    for plan in plans:  # warnings of the plans kept, in parent order
        for warning in plan.warnings:
            report.warnings.append(warning)
    return Plan.join(plans, len(inputs.loads), n_replanned=len(replanned))


def _warn_outside(inputs: Inputs, plan: Plan, report: Report) -> int:
    outside = (plan.point_unit < 0) & inputs.valid_geom
    n_outside = int(outside.sum())
    if n_outside:
        report.warn(
            N_("{n} buildings lie outside the area and were left out (load {load})."),
            n=n_outside,
            load=float(inputs.loads[outside].sum()),
        )
    return n_outside


def _building_label(plan: Plan) -> np.ndarray:
    return np.where(plan.point_unit >= 0, plan.labels[np.maximum(plan.point_unit, 0)], -1)


def _grid_geometries(plan: Plan, inputs: Inputs, report: Report):
    """Grid outlines with whole buildings and one piece per grid, and the units cut to match.

    Returns the plan (units conformed: each grid is exactly the union of its units), the grid
    geometries and the number of footprints repaired.
    """
    grid_geoms = plan.outlines
    if not inputs.is_polygonal.any():
        return plan, grid_geoms, 0
    footprints = np.where(inputs.is_polygonal & inputs.valid_geom, inputs.footprints, shapely.Polygon())
    grid_geoms, n_repaired = repair_footprints(
        grid_geoms,
        footprints,
        _building_label(plan),
        plan.label_parent,
        inputs.parents,
        report,
        min_area=0.01 / inputs.unit_m**2,
    )
    grid_geoms = merge_detached_pieces(grid_geoms, plan.label_parent)
    # Those repairs redrew some edges through units: cut the units to match, so each grid is the
    # union of its units (the editing panel and any later edit rely on it).
    units, source, labels = _conform_changed(plan, grid_geoms)
    inside = plan.point_unit >= 0
    unit_load, unit_count, building_piece = piece_loads(
        source, units, plan.point_unit, inputs.points, inputs.loads, inside
    )
    plan = dataclasses.replace(
        plan,
        units=units,
        unit_parent=plan.unit_parent[source],
        unit_kind=plan.unit_kind[source],
        unit_load=unit_load,
        unit_count=unit_count,
        unit_max_building=plan.unit_max_building[source],
        point_unit=building_piece,
        comp=plan.comp[source],
        labels=labels,
    )
    return plan, grid_geoms, n_repaired


def _conform_changed(plan: Plan, grid_geoms):
    """:func:`.units.conform_units` on the units the repairs can have touched; the same result, less work.

    Only a grid whose geometry the repairs replaced can now cut a unit: the units of those grids and
    the units they overlap are conformed, every other unit is kept as it is.
    """
    changed = np.flatnonzero([new is not old for new, old in zip(grid_geoms, plan.outlines, strict=True)])
    everything = np.arange(plan.units.size)
    if changed.size == 0:
        return plan.units, everything, plan.labels
    near = shapely.STRtree(plan.units).query(grid_geoms[changed], predicate="intersects")[1]
    candidates = np.union1d(near, np.flatnonzero(np.isin(plan.labels, changed)))
    pieces, piece_source, piece_labels = conform_units(plan.units[candidates], plan.labels[candidates], grid_geoms)
    kept = np.setdiff1d(everything, candidates)
    source = np.concatenate([kept, candidates[piece_source]])
    order = np.argsort(source, kind="stable")
    units = np.concatenate([plan.units[kept], pieces])[order]
    labels = np.concatenate([plan.labels[kept], piece_labels])[order]
    return units, source[order], labels


def _frames(plan: Plan, inputs: Inputs, grid_geoms, options: Options, report: Report):
    """The grids and units layers and the grid of every building, grid ids in code order."""
    n_labels = plan.n_labels
    label_load = np.bincount(plan.labels, weights=plan.unit_load, minlength=n_labels)
    label_count = np.bincount(plan.labels, weights=plan.unit_count, minlength=n_labels).astype(np.int64)
    areas_m2 = shapely.area(grid_geoms) * inputs.unit_m**2
    perimeters = shapely.length(grid_geoms) * inputs.unit_m
    polsby = np.where(perimeters > 0, 4 * np.pi * areas_m2 / np.maximum(perimeters, 1e-12) ** 2, 0.0)
    reasons = flag_reasons(plan, options, areas_m2, inputs.parents.size)
    grids = gpd.GeoDataFrame(
        {
            "parent_code": [inputs.parent_codes[p] for p in plan.label_parent.tolist()],
            "load": label_load,
            "n_buildings": label_count,
            "area_m2": areas_m2,
            "deviation_pct": (label_load - options.target) / options.target * 100.0,
            "polsby_popper": polsby,
            "flag": (reasons != "").astype(np.int64),
            "flag_reason": reasons,
        },
        geometry=grid_geoms,
        crs=inputs.crs,
    )
    grids = assign_codes(grids, parent_code_field="parent_code", report=report)  # parent_code: 12 digits, checked
    # grid_id follows the code order, so ids and codes read the same way.
    code_order = np.argsort(grids["grid_code"].to_numpy().astype(str), kind="stable")
    label_to_id = np.empty(n_labels, dtype=np.int64)
    label_to_id[code_order] = np.arange(1, n_labels + 1)
    grids.insert(0, "grid_id", label_to_id)
    grids = grids.iloc[code_order].reset_index(drop=True)
    grids = grids[[*GRID_FIELDS, "geometry"]]
    unit_frame = gpd.GeoDataFrame(
        {
            "unit_id": np.arange(1, plan.units.size + 1),
            "grid_id": label_to_id[plan.labels],
            "parent_code": [inputs.parent_codes[p] for p in plan.unit_parent.tolist()],
            "load": plan.unit_load,
            "n_buildings": plan.unit_count,
            "area_m2": shapely.area(plan.units) * inputs.unit_m**2,
            "kind": np.where(plan.unit_kind == 1, "cell", "block"),
        },
        geometry=plan.units,
        crs=inputs.crs,
    )
    building_label = _building_label(plan)
    building_grid = np.where(building_label >= 0, label_to_id[np.maximum(building_label, 0)], -1)
    return grids, unit_frame, building_grid


_ = Warning_  # re-exported type of PartitionResult.warnings
