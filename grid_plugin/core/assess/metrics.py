"""Plan metrics: one set of definitions for every report, benchmark and dialog in Grid Planner.

The definitions (docs/assess.md) are the four principles made measurable:

- **coverage** = area(union(grids) ∩ area) / area, in percent;
- **gap** = area(area − union(grids)) in m²; **overlap** = Σ area(grid) − area(union(grids)) in m²;
- **contiguous** = a grid that is a single polygon part; ``contiguous_share`` is the share of such grids;
- **load CV** = population standard deviation / mean of grid loads;
- **deviation** = (load − target) / target, reported in percent (``deviation_pct``);
- **Polsby–Popper** = 4πA / P² (P includes the rings of holes);
- **boundary adherence** = share of the length of *internal* grid edges (boundaries shared between grids,
  i.e. all grid boundaries minus the outer boundary of their union) that lies within ``adherence_m`` of a
  barrier line;
- **cut building** = a building polygon whose interior meets more than one grid: the area of its
  intersection with a second grid is above 1e-6 of the building's area or above 0.01 m².

Shares (``*_share``, ``share_within_*``, ``boundary_adherence``) are fractions in [0, 1]; ``*_pct`` are
percentages. Everything is vectorised over shapely 2 arrays and STRtrees.

Examples
--------
>>> import geopandas as gpd
>>> from shapely.geometry import box
>>> grids = gpd.GeoDataFrame({"load": [400, 480]}, geometry=[box(0, 0, 10, 10), box(10, 0, 20, 10)], crs=3857)
>>> m = plan_metrics(grids, box(0, 0, 20, 10))
>>> round(m["coverage_pct"], 6), m["n_grids"], round(m["max_abs_deviation_pct"], 1)
(100.0, 2, 20.0)
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from ..errors import N_, InputError, Report
from .adherence import adherent_length, internal_edges

__all__ = [
    "PLAN_METRIC_KEYS",
    "plan_metrics",
    "grid_metrics",
    "assess_plan",
    "evaluate_plan",
    "PlanEvaluation",
    "BuildingAssignment",
    "assign_buildings",
    "internal_edges",
    "gini",
    "lorenz_curve",
    "polygon_array",
    "CUT_RELATIVE",
    "CUT_ABSOLUTE_M2",
]

#: A building is cut when its intersection with a second grid exceeds this share of its area ...
CUT_RELATIVE = 1e-6

#: The plan metrics defined here, in the order reports and benchmarks list them.
PLAN_METRIC_KEYS = (
    "n_grids",
    "coverage_pct",
    "gap_m2",
    "overlap_m2",
    "contiguous_share",
    "load_cv",
    "max_abs_deviation_pct",
    "share_within_10",
    "share_within_20",
    "polsby_popper_mean",
    "polsby_popper_min",
    "boundary_adherence",
    "cut_building_share",
)
#: ... or this many square metres.
CUT_ABSOLUTE_M2 = 0.01
_POLYGONAL = (3, 6)  # shapely type ids: Polygon, MultiPolygon


# --------------------------------------------------------------------------------------------------
# input handling
# --------------------------------------------------------------------------------------------------
def _crs_of(obj):
    crs = getattr(obj, "crs", None)
    return pyproj.CRS.from_user_input(crs) if crs is not None else None


def _check_projected(crs, name: str) -> None:
    if crs is not None and crs.is_geographic:
        raise InputError(
            N_(
                "The layer {name} is in a geographic CRS ({crs}); areas and lengths need metres. "
                "Reproject it to a projected CRS (e.g. a CGCS2000 Gauss–Krüger zone, EPSG:4534–4554)."
            ),
            name=name,
            crs=crs.to_string(),
        )


def _geometries(obj, name: str, target_crs=None, report: Report | None = None) -> np.ndarray:
    """The geometries of ``obj`` (GeoDataFrame, GeoSeries, geometry or array) as a shapely array.

    Reprojects to ``target_crs`` when both CRSs are known and differ (and says so).
    """
    if obj is None:
        return np.empty(0, dtype=object)
    if isinstance(obj, (gpd.GeoDataFrame, gpd.GeoSeries)):
        series = obj.geometry if isinstance(obj, gpd.GeoDataFrame) else obj
        crs = _crs_of(series)
        if target_crs is not None and crs is not None and not crs.equals(target_crs):
            _check_projected(target_crs, name)
            series = series.to_crs(target_crs)
            if report is not None:
                report.info(N_("Reprojected {name} to the CRS of the grids."), name=name)
        else:
            _check_projected(crs, name)
        return np.asarray(series.values, dtype=object)
    if isinstance(obj, shapely.Geometry):
        return np.array([obj], dtype=object)
    return np.asarray(obj, dtype=object)


def polygon_array(geoms: np.ndarray, name: str = "grids", report: Report | None = None) -> np.ndarray:
    """Valid polygonal geometries: invalid ones repaired (and counted), non-polygonal parts dropped."""
    geoms = np.asarray(geoms, dtype=object).copy()
    missing = shapely.is_missing(geoms)
    geoms[missing] = shapely.Polygon()
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        repaired = shapely.make_valid(geoms[invalid])
        # make_valid can return collections holding lines/points: keep the polygonal parts only.
        fixed = []
        for geom in repaired:
            if shapely.get_type_id(geom) in _POLYGONAL:
                fixed.append(geom)
            else:
                parts = shapely.get_parts(geom)
                parts = parts[np.isin(shapely.get_type_id(parts), _POLYGONAL)]
                fixed.append(shapely.union_all(parts) if len(parts) else shapely.Polygon())
        geoms[invalid] = np.array(fixed, dtype=object)
        if report is not None:
            report.warn(N_("Repaired {n} invalid geometries in {name}."), n=int(invalid.sum()), name=name)
    return geoms


def _loads_from(grids, load_field: str) -> np.ndarray | None:
    if load_field is None or not hasattr(grids, "columns") or load_field not in grids.columns:
        return None
    values = pd.to_numeric(grids[load_field], errors="coerce")
    bad = values.isna() & grids[load_field].notna()
    if bad.any():
        raise InputError(
            N_("The field {field} holds {n} values that are not numbers; choose a numeric load field."),
            field=load_field,
            n=int(bad.sum()),
        )
    return values.fillna(0.0).to_numpy(dtype=float)


# --------------------------------------------------------------------------------------------------
# building assignment
# --------------------------------------------------------------------------------------------------
@dataclass
class BuildingAssignment:
    """Where each building lies relative to the grids.

    Attributes
    ----------
    grid_index : numpy.ndarray of int
        Position (0-based, in the grid array) of the grid holding the building: the grid with the largest
        intersection for polygons, the containing grid for points; -1 outside every grid.
    cut : numpy.ndarray of bool
        The building is cut: a second grid holds more than the cut threshold of its area.
    second_index : numpy.ndarray of int
        For cut buildings the grid with the second-largest share, else -1.
    is_polygon : numpy.ndarray of bool
    """

    grid_index: np.ndarray
    cut: np.ndarray
    second_index: np.ndarray
    is_polygon: np.ndarray


def assign_buildings(grid_geoms: np.ndarray, building_geoms: np.ndarray, tree=None) -> BuildingAssignment:
    """Assign buildings to grids and find the buildings a grid edge cuts.

    Parameters
    ----------
    grid_geoms : array of shapely polygons (valid)
    building_geoms : array of shapely geometries (polygons or points)
    tree : shapely.STRtree, optional
        A tree over ``grid_geoms`` to reuse.
    """
    grid_geoms = np.asarray(grid_geoms, dtype=object)
    building_geoms = np.asarray(building_geoms, dtype=object)
    n = len(building_geoms)
    grid_index = np.full(n, -1, dtype=np.int64)
    second = np.full(n, -1, dtype=np.int64)
    cut = np.zeros(n, dtype=bool)
    present = ~shapely.is_missing(building_geoms) & ~shapely.is_empty(building_geoms)
    is_polygon = present & np.isin(shapely.get_type_id(building_geoms), _POLYGONAL)
    if n == 0 or len(grid_geoms) == 0:
        return BuildingAssignment(grid_index, cut, second, is_polygon)
    tree = tree if tree is not None else shapely.STRtree(grid_geoms)

    # Points (and lines): the grid that contains them (the first one when grids overlap).
    others = np.flatnonzero(present & ~is_polygon)
    if len(others):
        probes = shapely.point_on_surface(building_geoms[others])
        b, g = tree.query(probes, predicate="intersects")
        first = np.unique(b, return_index=True)[1]
        grid_index[others[b[first]]] = g[first]

    polys = np.flatnonzero(is_polygon)
    if len(polys):
        poly_geoms = building_geoms[polys]
        # 1. Buildings strictly inside one grid (almost all of them): one query with each grid prepared.
        building_tree = shapely.STRtree(poly_geoms)
        g_in, b_in = building_tree.query(grid_geoms, predicate="contains_properly")
        # A grid that overlaps another may hold a building that also reaches into the other: not a shortcut.
        overlapping = np.concatenate(
            [
                pair[:, pair[0] != pair[1]].ravel()
                for pair in (tree.query(grid_geoms, predicate=p) for p in ("overlaps", "contains"))
            ]
        )
        holders = np.bincount(b_in, minlength=len(polys))
        alone = (holders[b_in] == 1) & ~np.isin(g_in, overlapping)
        grid_index[polys[b_in[alone]]] = g_in[alone]
        settled = np.zeros(len(polys), dtype=bool)
        settled[b_in[alone]] = True
        # 2. The rest (on an edge, in an overlap, partly or wholly outside): intersection areas.
        rest = np.flatnonzero(~settled)
        b, g = tree.query(poly_geoms[rest], predicate="intersects") if len(rest) else (np.zeros(0, int),) * 2
        if len(b):
            inter = shapely.area(shapely.intersection(poly_geoms[rest[b]], grid_geoms[g]))
            # Sort by building, then by intersection area descending (ties: the lower grid position), so the
            # first row of each building is its largest share, deterministically.
            order = np.lexsort((g, -inter, b))
            b, g, inter = b[order], g[order], inter[order]
            starts = np.flatnonzero(np.r_[True, b[1:] != b[:-1]])
            ends = np.r_[starts[1:], len(b)]
            targets = polys[rest[b[starts]]]
            building_area = shapely.area(building_geoms[targets])
            threshold = np.minimum(building_area * CUT_RELATIVE, CUT_ABSOLUTE_M2)
            largest = inter[starts]
            has_second = (ends - starts) > 1
            following = np.minimum(starts + 1, len(inter) - 1)
            second_area = np.where(has_second, inter[following], 0.0)
            inside = largest > threshold
            grid_index[targets[inside]] = g[starts][inside]
            is_cut = has_second & (second_area > threshold)
            cut[targets[is_cut]] = True
            second[targets[is_cut]] = g[following][is_cut]
    return BuildingAssignment(grid_index, cut, second, is_polygon)


def gini(values) -> float:
    """Gini coefficient of non-negative ``values`` (0 = all equal, → 1 = one holds all)."""
    x = np.sort(np.asarray(values, dtype=float))
    n = len(x)
    if n == 0 or x.sum() <= 0:
        return float("nan")
    cum = np.cumsum(x)
    return float((n + 1 - 2 * (cum / cum[-1]).sum()) / n)


def lorenz_curve(values) -> tuple[np.ndarray, np.ndarray]:
    """The Lorenz curve of ``values``: (cumulative share of grids, cumulative share of load), from (0, 0)."""
    x = np.sort(np.asarray(values, dtype=float))
    if len(x) == 0 or x.sum() <= 0:
        return np.array([0.0, 1.0]), np.array([0.0, 1.0])
    cum = np.r_[0.0, np.cumsum(x)] / x.sum()
    return np.linspace(0.0, 1.0, len(x) + 1), cum


# --------------------------------------------------------------------------------------------------
# the assessment
# --------------------------------------------------------------------------------------------------
@dataclass
class PlanEvaluation:
    """Everything one pass over a plan computes; validation and reports reuse the pieces.

    ``metrics`` and ``table`` are what :func:`assess_plan` returns; the rest are the repaired grid geometries
    (``grid_geoms``), their ``union`` and STRtree (``tree``), the merged planning area (``area_geom``), the
    building geometries and :class:`BuildingAssignment` (or None) and the internal edges (``edges``).
    """

    metrics: dict
    table: pd.DataFrame
    grid_geoms: np.ndarray
    union: object
    tree: object
    area_geom: object
    area_given: bool
    building_geoms: np.ndarray | None
    assignment: BuildingAssignment | None
    building_loads: np.ndarray | None
    edges: np.ndarray
    crs: object


def assess_plan(grids, area=None, buildings=None, barriers=None, **kwargs) -> tuple[dict, pd.DataFrame]:
    """Compute the whole-plan metrics and the per-grid table in one pass.

    Keyword arguments are those of :func:`evaluate_plan`; returns ``(metrics, table)``.
    """
    evaluation = evaluate_plan(grids, area, buildings, barriers, **kwargs)
    return evaluation.metrics, evaluation.table


def evaluate_plan(
    grids,
    area=None,
    buildings=None,
    barriers=None,
    *,
    load_field: str = "load",
    building_load_field: str = "households",
    target_load: float = 400,
    tolerance: float = 0.2,
    adherence_m: float = 5.0,
    require_load: bool = True,
    report: Report | None = None,
) -> PlanEvaluation:
    """Compute the whole-plan metrics and the per-grid table in one pass.

    Parameters
    ----------
    grids : GeoDataFrame
        The grid polygons (any polygon layer). ``grid_id``, ``grid_code`` and ``grid_type`` columns are
        carried into the per-grid table when present.
    area : GeoDataFrame, GeoSeries or shapely geometry, optional
        The planning area (all features are merged). Without it the union of the grids is the area, so
        coverage and gap say nothing.
    buildings : GeoDataFrame, optional
        Building polygons or points. Needed for cut buildings and for the load when ``grids`` has no
        ``load_field`` (then the load is the sum of ``building_load_field`` per grid, or the building count).
    barriers : GeoDataFrame, optional
        Barrier lines (roads, waterways, railways, walls) for boundary adherence.
    load_field : str
        The grids' load column (partition output: ``load``).
    building_load_field : str
        The buildings' load column used when the grids have no load.
    target_load : float
        Target load per grid; deviation is relative to it.
    tolerance : float
        Accepted relative deviation (0.2 = ±20 %); ``share_within_tolerance`` uses it.
    adherence_m : float
        Distance within which an internal edge counts as following a barrier.
    require_load : bool
        Without a load (no load field, no buildings) raise :class:`InputError` (True) or leave loads NaN.
    report : Report, optional

    Returns
    -------
    PlanEvaluation
        ``.metrics`` (see :func:`plan_metrics`), ``.table`` (see :func:`grid_metrics`) and the pieces.
    """
    report = report if report is not None else Report()
    if grids is None or len(grids) == 0:
        raise InputError(N_("The grid layer is empty; choose a layer with grid polygons."))
    if target_load is None or not np.isfinite(target_load) or target_load <= 0:
        raise InputError(N_("The target load must be a positive number (got {value})."), value=target_load)
    crs = _crs_of(grids)
    _check_projected(crs, "grids")
    grid_geoms = polygon_array(_geometries(grids, "grids"), "grids", report)
    report.progress(5)

    tree = shapely.STRtree(grid_geoms)
    union = shapely.union_all(grid_geoms)
    area_geom = _planning_area(area, union, crs, report)
    cover = _coverage(grid_geoms, union, area_geom)
    report.progress(20)
    report.check_cancelled()

    shape = _shape_per_grid(grid_geoms)
    overlap_per_grid = _overlap_per_grid(grid_geoms, tree)
    outside_per_grid = _outside_per_grid(grid_geoms, area_geom) if area is not None else np.zeros(len(grid_geoms))
    report.progress(35)
    report.check_cancelled()

    building_geoms, assignment, building_loads = _assign_plan_buildings(
        grid_geoms, tree, buildings, building_load_field, crs, report
    )
    report.progress(60)
    report.check_cancelled()

    loads, load_source = _plan_loads(
        grids, load_field, assignment, building_loads, building_load_field, len(grid_geoms), require_load, report
    )
    edges = internal_edges(grid_geoms, union)
    internal_m = float(shapely.length(edges).sum()) if len(edges) else 0.0
    adherent_m = float("nan")
    if barriers is not None:
        adherent_m = adherent_length(edges, _geometries(barriers, "barriers", crs, report), adherence_m)
    report.progress(90)

    table = _grid_table(grids, loads, target_load, tolerance, shape, overlap_per_grid, outside_per_grid, assignment)
    metrics = _plan_metric_dict(
        cover, shape, loads, load_source, target_load, tolerance, internal_m, adherent_m, adherence_m, assignment
    )
    report.progress(100)
    return PlanEvaluation(
        metrics=metrics,
        table=table,
        grid_geoms=grid_geoms,
        union=union,
        tree=tree,
        area_geom=area_geom,
        area_given=area is not None,
        building_geoms=building_geoms,
        assignment=assignment,
        building_loads=building_loads,
        edges=edges,
        crs=crs,
    )


def _planning_area(area, union, crs, report: Report):
    """The merged planning area, or the union of the grids when no area is given."""
    if area is None:
        return union
    area_geoms = polygon_array(_geometries(area, "area", crs, report), "area", report)
    area_geom = shapely.union_all(area_geoms)
    if shapely.is_empty(area_geom):
        raise InputError(N_("The area layer has no polygon; choose the planning area polygons."))
    return area_geom


def _coverage(grid_geoms: np.ndarray, union, area_geom) -> dict:
    """Areas of the plan against the planning area: covered, gap, outside, overlap (m²)."""
    union_area = float(shapely.area(union))
    return {
        "area_m2": float(shapely.area(area_geom)),
        "grid_area_m2": union_area,
        "covered_m2": float(shapely.area(shapely.intersection(union, area_geom))),
        "gap_m2": float(shapely.area(shapely.difference(area_geom, union))),
        "outside_m2": float(shapely.area(shapely.difference(union, area_geom))),
        "overlap_m2": max(0.0, float(shapely.area(grid_geoms).sum()) - union_area),
    }


def _shape_per_grid(grid_geoms: np.ndarray) -> dict:
    """Area, perimeter, Polsby–Popper compactness, parts and holes of every grid."""
    n = len(grid_geoms)
    areas = shapely.area(grid_geoms)
    parts, part_owner = shapely.get_parts(grid_geoms, return_index=True)
    nonempty = ~shapely.is_empty(parts)
    perimeter = shapely.length(grid_geoms)
    with np.errstate(divide="ignore", invalid="ignore"):
        polsby = np.where(perimeter > 0, 4 * np.pi * areas / perimeter**2, np.nan)
    return {
        "areas": areas,
        "perimeter": perimeter,
        "polsby": polsby,
        "n_parts": np.bincount(part_owner[nonempty], minlength=n),
        "n_holes": np.bincount(part_owner, weights=shapely.get_num_interior_rings(parts), minlength=n).astype(int),
    }


def _overlap_per_grid(grid_geoms: np.ndarray, tree) -> np.ndarray:
    """Area each grid shares with other grids (m²).

    Only pairs whose interiors meet can overlap: neighbours of a tiling merely touch, so the costly
    intersection is skipped for them (overlaps = partial overlap; contains = one grid inside or equal to another).
    """
    n = len(grid_geoms)
    pairs = [tree.query(grid_geoms, predicate="overlaps"), tree.query(grid_geoms, predicate="contains")]
    gi = np.concatenate([pq[0] for pq in pairs])
    gj = np.concatenate([pq[1] for pq in pairs])
    gi, gj = np.minimum(gi, gj), np.maximum(gi, gj)
    keep = gi < gj
    if keep.any():
        unique_pairs = np.unique(np.stack([gi[keep], gj[keep]], axis=1), axis=0)
        gi, gj = unique_pairs[:, 0], unique_pairs[:, 1]
    else:
        gi, gj = gi[keep], gj[keep]
    pair_overlap = shapely.area(shapely.intersection(grid_geoms[gi], grid_geoms[gj])) if len(gi) else np.zeros(0)
    return np.bincount(gi, weights=pair_overlap, minlength=n) + np.bincount(gj, weights=pair_overlap, minlength=n)


def _outside_per_grid(grid_geoms: np.ndarray, area_geom) -> np.ndarray:
    """Area of each grid outside the planning area (m²); grids wholly inside (the usual case) are tested first."""
    n = len(grid_geoms)
    areas = shapely.area(grid_geoms)
    outside_per_grid = np.zeros(n)
    area_tree = shapely.STRtree(np.array([area_geom], dtype=object))
    inside_rows = area_tree.query(grid_geoms, predicate="within")[0]
    rest = np.setdiff1d(np.arange(n), inside_rows)
    if len(rest):
        clipped = shapely.area(shapely.intersection(grid_geoms[rest], area_geom))
        outside_per_grid[rest] = np.maximum(areas[rest] - clipped, 0.0)
    return outside_per_grid


def _assign_plan_buildings(grid_geoms, tree, buildings, building_load_field: str, crs, report: Report):
    """(building geometries, :class:`BuildingAssignment`, building loads) — all None without buildings."""
    if buildings is None or not len(buildings):
        return None, None, None
    building_geoms = _geometries(buildings, "buildings", crs, report).copy()
    invalid = ~shapely.is_valid(building_geoms) & ~shapely.is_missing(building_geoms)
    if invalid.any():
        building_geoms[invalid] = shapely.make_valid(building_geoms[invalid])
        report.warn(N_("Repaired {n} invalid geometries in {name}."), n=int(invalid.sum()), name="buildings")
    assignment = assign_buildings(grid_geoms, building_geoms, tree)
    building_loads = None
    if hasattr(buildings, "columns") and building_load_field in buildings.columns:
        building_loads = pd.to_numeric(buildings[building_load_field], errors="coerce").fillna(0).to_numpy(float)
    return building_geoms, assignment, building_loads


def _buildings_per_grid(assignment: BuildingAssignment, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(buildings per grid, cut buildings per grid); a cut building counts in both grids it lies in."""
    inside = assignment.grid_index >= 0
    n_buildings_per_grid = np.bincount(assignment.grid_index[inside], minlength=n)
    cut_per_grid = np.bincount(assignment.grid_index[assignment.cut], minlength=n)
    second = assignment.second_index[assignment.cut]
    cut_per_grid += np.bincount(second[second >= 0], minlength=n)
    return n_buildings_per_grid, cut_per_grid


def _plan_loads(grids, load_field, assignment, building_loads, building_load_field, n, require_load, report):
    """The grids' loads and where they came from (the load field, else summed from the buildings)."""
    loads = _loads_from(grids, load_field)
    if loads is not None:
        return loads, load_field
    if assignment is not None:
        inside = assignment.grid_index >= 0
        if building_loads is not None:
            loads = np.bincount(assignment.grid_index[inside], weights=building_loads[inside], minlength=n)
            load_source = f"buildings.{building_load_field}"
        else:
            loads = np.bincount(assignment.grid_index[inside], minlength=n).astype(float)
            load_source = "buildings.count"
        report.info(
            N_("The grids have no field {field}; the load is summed from the buildings ({source})."),
            field=load_field,
            source=load_source,
        )
        return loads, load_source
    if not require_load:
        return np.full(n, np.nan), ""
    raise InputError(
        N_(
            "The grid layer has no load field {field} and no buildings were given; "
            "choose the grids' load field or give a building layer to sum the load from."
        ),
        field=load_field,
    )


def _grid_table(grids, loads, target_load, tolerance, shape, overlap_per_grid, outside_per_grid, assignment):
    """The per-grid table (see :func:`grid_metrics`)."""
    n = len(loads)
    deviation = (loads - target_load) / target_load
    table = pd.DataFrame(index=pd.RangeIndex(n))
    for column in ("grid_id", "grid_code", "parent_code", "grid_type"):
        if hasattr(grids, "columns") and column in grids.columns:
            table[column] = grids[column].to_numpy()
    if "grid_id" not in table.columns:
        table["grid_id"] = np.arange(1, n + 1)
    table["load"] = loads
    table["deviation_pct"] = deviation * 100.0
    table["within_tolerance"] = np.abs(deviation) <= tolerance + 1e-12
    table["area_m2"] = shape["areas"]
    table["perimeter_m"] = shape["perimeter"]
    table["polsby_popper"] = shape["polsby"]
    table["n_parts"] = shape["n_parts"]
    table["n_holes"] = shape["n_holes"]
    table["overlap_m2"] = overlap_per_grid
    table["outside_m2"] = outside_per_grid
    if assignment is not None:
        table["n_buildings"], table["n_cut_buildings"] = _buildings_per_grid(assignment, n)
    return table


def _plan_metric_dict(
    cover, shape, loads, load_source, target_load, tolerance, internal_m, adherent_m, adherence_m, assignment
) -> dict:
    """The whole-plan metrics (see :func:`plan_metrics`)."""
    n_parts, n_holes, polsby = shape["n_parts"], shape["n_holes"], shape["polsby"]
    deviation = (loads - target_load) / target_load
    abs_dev = np.abs(deviation)
    mean_load = float(loads.mean())
    n_b = len(assignment.grid_index) if assignment is not None else 0
    n_polys = int(assignment.is_polygon.sum()) if assignment is not None else 0
    n_cut = int(assignment.cut.sum()) if assignment is not None else 0
    n_out = int((assignment.grid_index < 0).sum()) if assignment is not None else 0
    area_m2 = cover["area_m2"]
    return {
        "n_grids": len(loads),
        "area_m2": area_m2,
        "grid_area_m2": cover["grid_area_m2"],
        "coverage_pct": 100.0 * cover["covered_m2"] / area_m2 if area_m2 > 0 else float("nan"),
        "gap_m2": cover["gap_m2"],
        "overlap_m2": cover["overlap_m2"],
        "outside_m2": cover["outside_m2"],
        "contiguous_share": float((n_parts == 1).mean()),
        "n_multipart": int((n_parts > 1).sum()),
        "n_with_holes": int((n_holes > 0).sum()),
        "load_source": load_source,
        "total_load": float(loads.sum()),
        "mean_load": mean_load,
        "min_load": float(loads.min()),
        "max_load": float(loads.max()),
        "load_cv": float(loads.std() / mean_load) if mean_load > 0 else float("nan"),
        "load_gini": gini(loads),
        "target_load": float(target_load),
        "tolerance": float(tolerance),
        "max_abs_deviation_pct": float(abs_dev.max() * 100.0),
        "share_within_10": float((abs_dev <= 0.1 + 1e-12).mean()),
        "share_within_20": float((abs_dev <= 0.2 + 1e-12).mean()),
        "share_within_tolerance": float((abs_dev <= tolerance + 1e-12).mean()),
        "polsby_popper_mean": float(np.nanmean(polsby)) if np.isfinite(polsby).any() else float("nan"),
        "polsby_popper_min": float(np.nanmin(polsby)) if np.isfinite(polsby).any() else float("nan"),
        "internal_edge_m": internal_m,
        "adherent_edge_m": adherent_m,
        "adherence_m": float(adherence_m),
        "boundary_adherence": adherent_m / internal_m if internal_m > 0 else float("nan"),
        "n_buildings": n_b,
        "n_cut_buildings": n_cut,
        "cut_building_share": n_cut / n_polys if n_polys else (0.0 if assignment is not None else float("nan")),
        "n_outside_buildings": n_out,
        "outside_building_share": n_out / n_b if n_b else float("nan"),
    }


def plan_metrics(
    grids,
    area=None,
    buildings=None,
    barriers=None,
    *,
    load_field: str = "load",
    target_load: float = 400,
    tolerance: float = 0.2,
    adherence_m: float = 5.0,
    building_load_field: str = "households",
    report: Report | None = None,
) -> dict:
    """Whole-plan metrics of a grid layer, with the shared definitions of the module docstring.

    Keys: ``coverage_pct, gap_m2, overlap_m2, contiguous_share, load_cv, max_abs_deviation_pct,
    share_within_10, share_within_20, polsby_popper_mean, polsby_popper_min, boundary_adherence,
    cut_building_share, n_grids`` and also ``area_m2, grid_area_m2, outside_m2, n_multipart, n_with_holes,
    total_load, mean_load, min_load, max_load, load_gini, share_within_tolerance, internal_edge_m,
    adherent_edge_m, n_buildings, n_cut_buildings, n_outside_buildings, outside_building_share, load_source``.
    ``boundary_adherence`` is NaN without barriers; building keys are NaN/0 without buildings.
    Parameters are those of :func:`assess_plan`.
    """
    metrics, _ = assess_plan(
        grids,
        area,
        buildings,
        barriers,
        load_field=load_field,
        building_load_field=building_load_field,
        target_load=target_load,
        tolerance=tolerance,
        adherence_m=adherence_m,
        report=report,
    )
    return metrics


def grid_metrics(
    grids,
    area=None,
    buildings=None,
    *,
    load_field: str = "load",
    target_load: float = 400,
    tolerance: float = 0.2,
    building_load_field: str = "households",
    report: Report | None = None,
) -> pd.DataFrame:
    """Per-grid metrics, one row per input grid in input order.

    Columns: ``grid_id`` (from the layer, else 1..n), ``grid_code``/``parent_code``/``grid_type`` when
    present, ``load, deviation_pct, within_tolerance, area_m2, perimeter_m, polsby_popper, n_parts, n_holes,
    overlap_m2`` (area shared with other grids), ``outside_m2`` (area outside the planning area), and with
    buildings ``n_buildings, n_cut_buildings``.
    """
    _, table = assess_plan(
        grids,
        area,
        buildings,
        None,
        load_field=load_field,
        building_load_field=building_load_field,
        target_load=target_load,
        tolerance=tolerance,
        report=report,
    )
    return table
