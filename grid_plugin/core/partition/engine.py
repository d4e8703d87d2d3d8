"""Balanced grid partition: tile an area into contiguous, compact, road-following grids.

Pipeline (see ``docs/partition.md``):

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

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import scipy.sparse as sp
import shapely
from scipy.sparse import csgraph

from ..errors import N_, InputError, Report, Warning_
from .coding import assign_codes, parent_prefixes, split_prefix
from .graph import allocate_parts, choose_part_count, partition_graph
from .units import build_units, classify_barriers, conform_units, locate, outline_groups, unit_adjacency

__all__ = [
    "partition",
    "PartitionResult",
    "partition_graph",
    "edge_costs",
    "FLAG_REASONS",
    "GRID_FIELDS",
]

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

#: Relative cut cost per metre of shared boundary.
COST_STRONG = 0.02
COST_WEAK = 0.25
COST_OPEN = 1.0


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
        Counts and timings (units, split blocks, repaired footprints, ...).
    """

    grids: gpd.GeoDataFrame
    units: gpd.GeoDataFrame
    building_grid: np.ndarray
    outside_buildings: int = 0
    warnings: list = field(default_factory=list)
    stats: dict = field(default_factory=dict)


def edge_costs(length, strong, weak):
    """Cut cost matrix from shared boundary lengths (total, on strong and on weak barriers)."""
    open_length = (length - strong - weak).maximum(0)
    cost = strong * COST_STRONG + weak * COST_WEAK + open_length * COST_OPEN
    cost = sp.csr_matrix(cost)
    # Keep the adjacency pattern even where a cost rounds to 0.
    cost = cost + sp.csr_matrix(length.astype(bool)) * 1e-6
    return cost.tocsr()


def _check_crs(area, buildings, barriers, report):
    if area.crs is None:
        report.warn(N_("The area layer has no CRS; coordinates are taken as metres."))
        return buildings, barriers
    if area.crs.is_geographic:
        raise InputError(
            N_(
                "The area layer is in a geographic CRS ({crs}); distances and areas need metres. "
                "Reproject it to a projected CRS, e.g. CGCS2000 / 3-degree Gauss-Kruger (EPSG:4534-4554) or UTM."
            ),
            crs=area.crs.to_string(),
        )
    out = []
    for frame, name in ((buildings, "buildings"), (barriers, "barriers")):
        if frame is not None and frame.crs is not None and not frame.crs.equals(area.crs):
            report.warn(
                N_("The {name} layer ({crs}) was reprojected to the CRS of the area ({target})."),
                name=name,
                crs=frame.crs.to_string(),
                target=area.crs.to_string(),
            )
            frame = frame.to_crs(area.crs)
        out.append(frame)
    return out[0], out[1]


def _valid_polygons(geoms, layer, report):
    geoms = np.asarray(geoms, dtype=object)
    missing = np.array([g is None for g in geoms], dtype=bool)
    geoms = geoms.copy()
    geoms[missing] = shapely.Polygon()
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        repaired = shapely.make_valid(geoms[invalid])
        # keep the polygonal part only
        repaired = np.array(
            [
                shapely.union_all(shapely.get_parts(g)[np.isin(shapely.get_type_id(shapely.get_parts(g)), (3, 6))])
                if shapely.get_type_id(g) == 7
                else g
                for g in repaired
            ],
            dtype=object,
        )
        geoms[invalid] = repaired
        report.warn(N_("Repaired {n} invalid geometries in the {layer} layer."), n=int(invalid.sum()), layer=layer)
    return geoms


def _loads(buildings, load_field, report):
    if load_field is None:
        return np.ones(len(buildings), dtype=float)
    if load_field not in buildings.columns:
        raise InputError(
            N_("The buildings layer has no field {field}; choose the field that holds the load (e.g. households)."),
            field=load_field,
        )
    values = pd.to_numeric(buildings[load_field], errors="coerce")
    non_numeric = values.isna() & buildings[load_field].notna()
    if len(values) and non_numeric.all():
        raise InputError(
            N_("The load field {field} holds no numbers; choose a numeric field such as households."),
            field=load_field,
        )
    nulls = int(values.isna().sum())
    if nulls:
        report.warn(N_("{n} buildings have no load value in {field}; they count as 0."), n=nulls, field=load_field)
    values = values.fillna(0).to_numpy(dtype=float)
    negative = values < 0
    if negative.any():
        report.warn(N_("{n} buildings have a negative load; they count as 0."), n=int(negative.sum()))
        values[negative] = 0
    return values


def _parent_codes(area, parent_code_field, parts, report):
    """12-digit parent code of every area feature (:func:`.coding.parent_prefixes`; malformed codes refused)."""
    county, township, community = parts
    if not parent_code_field:
        return [county + township + community] * len(area)
    if parent_code_field not in area.columns:
        raise InputError(
            N_("The area layer has no field {field}; choose the field that holds the parent code."),
            field=parent_code_field,
        )
    return parent_prefixes(area[parent_code_field].tolist(), county, township, community, report=report)


def _repair_footprints(grids, footprints, building_label, parents_of_grid, parents, report):
    """Give every building crossed by a grid edge wholly to the grid holding its representative point.

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
    cut = (shared > 0.01) | (shared > 1e-6 * fp_area)
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


def _piece_loads(unit_source, pieces, point_unit, points, loads, inside):
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


def _merge_detached_pieces(grids, parents_of_grid):
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
    report=None,
) -> PartitionResult:
    """Tile ``area`` into contiguous, compact, barrier-following grids of balanced load.

    Parameters
    ----------
    area : GeoDataFrame
        Polygons in a projected CRS. Each feature is a parent unit (community, village); no grid
        crosses from one parent to another.
    buildings : GeoDataFrame
        Building polygons or points carrying the load.
    barriers : GeoDataFrame or list of GeoDataFrame, optional
        Lines grid edges should follow (roads, waterways, railways, walls).
    load_field : str or None
        Numeric column of ``buildings`` with the load (``None``: each building counts 1).
    parent_code_field : str, optional
        Column of ``area`` with the parent code: the 12-digit 统计用区划代码 (or 9, 6 or 3 digits
        completed by ``code_prefix``, see :mod:`.coding`); malformed codes are refused.
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
        Random seed; the same inputs and seed give the same grids and codes.
    code_prefix : str or tuple, optional
        County (6 digits) + township (3) [+ community (3)] code, as ``"440307015"`` or
        ``("440307", "015", "001")``; it completes parent codes shorter than 12 digits and codes the
        grids when there is no parent field (:mod:`.coding`).
    attempts : int
        Seeds tried per connected piece (the most balanced, then cheapest, labelling wins).
    report : Report, optional

    Returns
    -------
    PartitionResult
    """
    report = report or Report()
    _validate_numbers(target_load, tolerance, n_grids, compactness, min_area_m2, max_area_m2)
    if barriers is not None and isinstance(barriers, (list, tuple)):
        frames = [b for b in barriers if b is not None and len(b)]
        if frames:
            crs0 = frames[0].crs
            frames = [
                f.to_crs(crs0) if (f.crs is not None and crs0 is not None and not f.crs.equals(crs0)) else f
                for f in frames
            ]
            barriers = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=crs0)
        else:
            barriers = None
    if area is None or len(area) == 0:
        raise InputError(N_("The area layer is empty; choose a layer with at least one polygon."))
    if buildings is None or len(buildings) == 0:
        raise InputError(N_("The buildings layer is empty; choose a layer with buildings."))
    buildings, barriers = _check_crs(area, buildings, barriers, report)
    report.progress(2)
    parents = _valid_polygons(area.geometry.values, "area", report)
    keep_parent = ~shapely.is_empty(parents) & (shapely.area(parents) > 0)
    if not keep_parent.any():
        raise InputError(N_("The area layer holds no polygon with an area; choose a polygon layer."))
    county, township, community = split_prefix(code_prefix)
    codes_all = _parent_codes(area, parent_code_field, (county, township, community), report)
    parents = parents[keep_parent]
    parent_codes = [c for c, k in zip(codes_all, keep_parent.tolist(), strict=True) if k]
    if parent_code_field and len(set(parent_codes)) < len(parent_codes):
        report.warn(N_("Some parent codes occur more than once; grids are numbered per area feature."))
    if parents.size > 1:
        overlap_m2 = float(shapely.area(parents).sum() - shapely.area(shapely.union_all(parents)))
        if overlap_m2 > 1.0:
            report.warn(
                N_("Parent areas overlap by {area} m²; the overlap goes to the first parent that holds it."),
                area=round(overlap_m2, 1),
            )
    loads = _loads(buildings, load_field, report)
    bgeoms = np.asarray(buildings.geometry.values, dtype=object)
    types = shapely.get_type_id(bgeoms)
    is_polygonal = np.isin(types, (3, 6))
    if is_polygonal.any():
        bgeoms = bgeoms.copy()
        bgeoms[is_polygonal] = _valid_polygons(bgeoms[is_polygonal], "buildings", report)
    valid_geom = np.array([g is not None for g in bgeoms], dtype=bool)
    valid_geom[valid_geom] &= ~shapely.is_empty(bgeoms[valid_geom])
    points = np.full(len(bgeoms), None, dtype=object)
    points[valid_geom] = shapely.point_on_surface(bgeoms[valid_geom])
    points[~valid_geom] = shapely.Point()
    report.progress(5)

    # Target and split threshold.
    if n_grids is not None:
        if int(n_grids) < 1:
            raise InputError(N_("The number of grids must be at least 1."))
    strong, weak = classify_barriers(barriers, barrier_class_field, strong_classes, weak_classes)
    report.check_cancelled()

    # Atomic units. The split threshold needs the target, known up front or from n_grids.
    inside_any = locate(points, parents)
    total_inside = float(loads[inside_any >= 0].sum())
    if n_grids is not None:
        target = total_inside / int(n_grids) if total_inside > 0 else 1.0
    else:
        target = float(target_load)
    if total_inside <= 0:
        raise InputError(
            N_(
                "No building with a load lies inside the area ({outside} of {total} buildings are outside it); "
                "check that the buildings layer covers the area and that the load field is filled."
            ),
            outside=int((inside_any < 0).sum()),
            total=len(bgeoms),
        )

    def plan(split_load, progress_from, progress_to):
        """Units, graph and labels for one split threshold."""
        built = build_units(parents, strong, weak, points, loads, split_load, report=report)
        units = built["units"]
        unit_parent = built["unit_parent"]
        point_unit = built["point_unit"]
        report.check_cancelled()
        outside = point_unit < 0
        inside = ~outside
        unit_load = np.bincount(point_unit[inside], weights=loads[inside], minlength=units.size)
        unit_count = np.bincount(point_unit[inside], minlength=units.size)
        unit_max_building = np.zeros(units.size)
        np.maximum.at(unit_max_building, point_unit[inside], loads[inside])
        adjacency = unit_adjacency(units, unit_parent, strong, weak)
        cost = edge_costs(adjacency["length"], adjacency["strong"], adjacency["weak"])
        graph = adjacency["length"]

        # Components (islands of a parent) and how many grids each gets.
        n_comp, comp = csgraph.connected_components(graph, directed=False)
        comp_load = np.bincount(comp, weights=unit_load, minlength=n_comp)
        comp_area = np.bincount(comp, weights=shapely.area(units), minlength=n_comp)
        comp_parent = np.zeros(n_comp, dtype=np.int64)
        comp_parent[comp] = unit_parent
        if n_grids is not None:
            loaded = comp_load > 0
            counts = np.ones(n_comp, dtype=np.int64)
            if loaded.any():
                counts[loaded] = allocate_parts(
                    comp_load[loaded], max(int(n_grids) - int((~loaded).sum()), int(loaded.sum()))
                )
        else:
            counts = np.array([choose_part_count(load, target) for load in comp_load], dtype=np.int64)
        if max_area_m2:
            counts = np.maximum(counts, np.ceil(comp_area / max_area_m2).astype(np.int64))
        if min_area_m2:
            counts = np.minimum(counts, np.maximum(np.floor(comp_area / min_area_m2).astype(np.int64), 1))
        if n_grids is None and int(counts.sum()) == n_comp and total_inside < target * (1 - tolerance):
            report.warn(
                N_("The total load ({total}) is below the target ({target}); each parent becomes one grid, flagged."),
                total=round(total_inside, 1),
                target=target,
            )
        labels = np.full(units.size, -1, dtype=np.int64)
        next_label = 0
        order = np.argsort(-comp_load, kind="stable")
        done_units = 0
        for index, c in enumerate(order.tolist()):
            report.check_cancelled()
            members = np.flatnonzero(comp == c)
            k = int(counts[c])
            if k <= 1:
                labels[members] = next_label
                next_label += 1
            else:
                sub = graph[members][:, members]
                sub_cost = cost[members][:, members]
                part = _best_of(
                    sub,
                    sub_cost,
                    unit_load[members],
                    k,
                    tolerance=tolerance,
                    seed=seed * 1_000_003 + 1_009 * index,
                    target_load=target if n_grids is None else comp_load[c] / k,
                    compactness=compactness,
                    attempts=attempts if members.size <= 20_000 else 1,
                    report=report,
                )
                labels[members] = part + next_label
                next_label += int(part.max()) + 1
            done_units += members.size
            report.progress(progress_from + (progress_to - progress_from) * done_units / max(units.size, 1))
        n_labels = next_label
        n_labels = next_label
        label_load = np.bincount(labels, weights=unit_load, minlength=n_labels)
        within = int(((label_load >= target * (1 - tolerance)) & (label_load <= target * (1 + tolerance))).sum())
        return {
            "built": built,
            "units": units,
            "unit_parent": unit_parent,
            "point_unit": point_unit,
            "inside": inside,
            "unit_load": unit_load,
            "unit_count": unit_count,
            "unit_max_building": unit_max_building,
            "adjacency": adjacency,
            "n_comp": n_comp,
            "comp": comp,
            "comp_load": comp_load,
            "comp_area": comp_area,
            "comp_parent": comp_parent,
            "labels": labels,
            "n_labels": n_labels,
            "within": within,
        }

    best = plan(target * SPLIT_SHARES[0], 5, 60)
    for share in SPLIT_SHARES[1:]:
        if best["within"] == best["n_labels"]:
            break
        report.check_cancelled()
        finer = plan(target * share, 60, 80)
        if finer["within"] > best["within"]:
            best = finer
    built, units, unit_parent, point_unit = best["built"], best["units"], best["unit_parent"], best["point_unit"]
    inside, unit_load, unit_count = best["inside"], best["unit_load"], best["unit_count"]
    unit_max_building, adjacency, n_comp, comp = (
        best["unit_max_building"],
        best["adjacency"],
        best["n_comp"],
        best["comp"],
    )
    comp_load, comp_area, comp_parent = best["comp_load"], best["comp_area"], best["comp_parent"]
    labels, n_labels = best["labels"], best["n_labels"]
    outside = ~inside
    n_outside = int((outside & valid_geom).sum())
    if n_outside:
        report.warn(
            N_("{n} buildings lie outside the area and were left out (load {load})."),
            n=n_outside,
            load=float(loads[outside & valid_geom].sum()),
        )

    # Grid outlines and building footprints.
    grid_geoms = outline_groups(adjacency["segments"], labels, n_labels, units)
    label_parent = np.zeros(n_labels, dtype=np.int64)
    label_parent[labels] = unit_parent
    building_label = np.where(inside, labels[np.maximum(point_unit, 0)], -1)
    report.progress(85)
    n_repaired = 0
    if is_polygonal.any():
        footprints = np.where(is_polygonal & valid_geom, bgeoms, shapely.Polygon())
        grid_geoms, n_repaired = _repair_footprints(
            grid_geoms, footprints, building_label, label_parent, parents, report
        )
        grid_geoms = _merge_detached_pieces(grid_geoms, label_parent)
        # Those repairs redrew some edges through units: cut the units to match, so each grid is the
        # union of its units (the editing panel and any later edit rely on it).
        units, unit_source, labels = conform_units(units, labels, grid_geoms)
        unit_parent = unit_parent[unit_source]
        unit_kind = built["unit_kind"][unit_source]
        comp, unit_max_building = comp[unit_source], unit_max_building[unit_source]
        unit_load, unit_count, building_piece = _piece_loads(unit_source, units, point_unit, points, loads, inside)
        building_label = np.where(building_piece >= 0, labels[np.maximum(building_piece, 0)], -1)
    else:
        unit_kind = built["unit_kind"]
    report.progress(92)

    # Attributes.
    label_load = np.bincount(labels, weights=unit_load, minlength=n_labels)
    label_count = np.bincount(labels, weights=unit_count, minlength=n_labels).astype(np.int64)
    label_comp = np.zeros(n_labels, dtype=np.int64)
    label_comp[labels] = comp
    label_max_building = np.zeros(n_labels)
    np.maximum.at(label_max_building, labels, unit_max_building)
    areas = shapely.area(grid_geoms)
    perimeters = shapely.length(grid_geoms)
    polsby = np.where(perimeters > 0, 4 * np.pi * areas / np.maximum(perimeters, 1e-12) ** 2, 0.0)
    deviation = (label_load - target) / target * 100.0
    lo, hi = target * (1 - tolerance), target * (1 + tolerance)
    reasons = np.full(n_labels, "", dtype=object)
    parent_load = np.bincount(comp_parent, weights=comp_load, minlength=len(parents))
    main_comp = np.full(len(parents), -1, dtype=np.int64)
    for c in np.argsort(comp_area, kind="stable").tolist():  # largest piece last wins
        main_comp[comp_parent[c]] = c
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
        if not reasons[g] and max_area_m2 and areas[g] > max_area_m2:
            reasons[g] = FLAG_REASONS["area_above"]
        if not reasons[g] and min_area_m2 and areas[g] < min_area_m2:
            reasons[g] = FLAG_REASONS["area_below"]
    grids = gpd.GeoDataFrame(
        {
            "parent_code": [parent_codes[p] for p in label_parent.tolist()],
            "load": label_load,
            "n_buildings": label_count,
            "area_m2": areas,
            "deviation_pct": deviation,
            "polsby_popper": polsby,
            "flag": (reasons != "").astype(np.int64),
            "flag_reason": reasons,
        },
        geometry=grid_geoms,
        crs=area.crs,
    )
    grids = assign_codes(grids, parent_code_field="parent_code", report=report)
    # grid_id follows the code order, so ids and codes read the same way.
    code_order = np.argsort(grids["grid_code"].to_numpy().astype(str), kind="stable")
    label_to_id = np.empty(n_labels, dtype=np.int64)
    label_to_id[code_order] = np.arange(1, n_labels + 1)
    grids.insert(0, "grid_id", label_to_id)
    grids = grids.iloc[code_order].reset_index(drop=True)
    grids = grids[[*GRID_FIELDS, "geometry"]]
    unit_frame = gpd.GeoDataFrame(
        {
            "unit_id": np.arange(1, units.size + 1),
            "grid_id": label_to_id[labels],
            "parent_code": [parent_codes[p] for p in unit_parent.tolist()],
            "load": unit_load,
            "n_buildings": unit_count,
            "area_m2": shapely.area(units),
            "kind": np.where(unit_kind == 1, "cell", "block"),
        },
        geometry=units,
        crs=area.crs,
    )
    building_grid = np.where(building_label >= 0, label_to_id[np.maximum(building_label, 0)], -1)
    n_flagged = int(grids["flag"].sum())
    if n_flagged:
        report.info(
            N_("{n} of {total} grids are outside ±{pct}% of the target; see flag_reason."),
            n=n_flagged,
            total=len(grids),
            pct=round(tolerance * 100),
        )
    report.progress(100)
    return PartitionResult(
        grids=grids,
        units=unit_frame,
        building_grid=building_grid,
        outside_buildings=n_outside,
        warnings=list(report.warnings),
        stats={
            "n_units": int(units.size),
            "n_split_blocks": built["n_split_blocks"],
            "n_repaired_footprints": n_repaired,
            "n_components": int(n_comp),
            "target_load": target,
        },
    )


#: Blocks above these shares of the target are split into building cells: the first pass uses the
#: first share; when grids stay off target because units are too coarse, finer passes follow.
SPLIT_SHARES = (0.6, 0.3)


def _cut_cost(cost, labels):
    coo = sp.triu(cost, k=1).tocoo()
    return float(coo.data[labels[coo.row] != labels[coo.col]].sum())


def _best_of(adjacency, cost, loads, k, *, tolerance, seed, target_load, compactness, attempts, report):
    """Run :func:`partition_graph` with ``attempts`` seeds; keep the most balanced, then the cheapest cut."""
    best, best_key = None, None
    lo, hi = target_load * (1 - tolerance), target_load * (1 + tolerance)
    for attempt in range(max(attempts, 1)):
        labels = partition_graph(
            adjacency,
            loads,
            k,
            tolerance=tolerance,
            edge_cost=cost,
            seed=seed + 7_919 * attempt,
            target_load=target_load,
            compactness=compactness,
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


def _validate_numbers(target_load, tolerance, n_grids, compactness, min_area_m2, max_area_m2):
    if n_grids is None and (target_load is None or not float(target_load) > 0):
        raise InputError(N_("The target load must be greater than 0 (for example 400 households)."))
    if tolerance is None or not 0 <= float(tolerance) < 1:
        raise InputError(N_("The tolerance must be between 0 and 1 (0.2 means ±20%)."))
    if not 0 <= float(compactness) <= 1:
        raise InputError(N_("The compactness preference must be between 0 and 1."))
    if min_area_m2 and max_area_m2 and float(min_area_m2) > float(max_area_m2):
        raise InputError(
            N_("The minimum grid area ({low} m²) is above the maximum ({high} m²); swap or clear them."),
            low=min_area_m2,
            high=max_area_m2,
        )


_ = Warning_  # re-exported type of PartitionResult.warnings
