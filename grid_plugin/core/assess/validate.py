"""Validate a grid plan: every breach of the four principles as one row with its kind, grids and place.

:func:`validate_plan` checks any polygon layer of grids against a planning area and, when given, the
parent units (communities, villages), the buildings and the grid codes. Each problem is one row of a
GeoDataFrame: a stable ``kind`` code with its Chinese label, a ``severity`` (``error`` breaks a
principle, ``warning`` deserves a look), the grids involved, a polygon that shows where (the gap, the
overlap, the detached part, the piece in the wrong parent, the cut building, the grid itself) and a
message. Point-like places (a point building, the spot of a self-intersection) are drawn as small
squares so that the problem layer has one geometry type.

Examples
--------
>>> import geopandas as gpd
>>> from shapely.geometry import box
>>> grids = gpd.GeoDataFrame({"load": [400, 400]}, geometry=[box(0, 0, 10, 10), box(11, 0, 20, 10)], crs=3857)
>>> result = validate_plan(grids, box(0, 0, 20, 10))
>>> result.problems["kind"].tolist(), float(round(result.problems["area_m2"].iloc[0], 6))
(['gap'], 10.0)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..errors import N_, InputError, Report
from ..partition.coding import code_text
from .balance import household_targets
from .metrics import _geometries, evaluate_plan, polygon_array

__all__ = [
    "ProblemKind",
    "PROBLEM_KINDS",
    "PROBLEM_KINDS_BY_CODE",
    "ValidationResult",
    "validate_plan",
    "DEFAULT_CODE_PATTERN",
]

#: 6-digit county + 3-digit township + 3-digit community/village + 3-digit serial (DB11/T 2157-2023, GB/T 10114).
DEFAULT_CODE_PATTERN = r"\d{15}"
_MARKER_HALF_SIDE_M = 2.0  # half side of the square drawn for point-like problems


@dataclass(frozen=True)
class ProblemKind:
    """A kind of problem: stable code, labels, default severity and the principle it breaks."""

    code: str
    zh: str
    en: str
    severity: str
    principle: str


PROBLEM_KINDS: tuple[ProblemKind, ...] = (
    ProblemKind("invalid_geometry", "几何无效", "Invalid geometry", "error", "completeness"),
    ProblemKind("gap", "缝隙（未覆盖）", "Gap (not covered)", "error", "completeness"),
    ProblemKind("overlap", "网格重叠", "Overlap between grids", "error", "completeness"),
    ProblemKind("outside_area", "超出规划区域", "Outside the planning area", "warning", "completeness"),
    ProblemKind("crosses_parent", "跨越社区/村边界", "Crosses a parent boundary", "error", "completeness"),
    ProblemKind(
        "parent_code_mismatch", "编码与所属社区/村不符", "Code does not match its parent", "warning", "completeness"
    ),
    ProblemKind("cut_building", "建筑被网格边界切割", "Building cut by a grid edge", "error", "completeness"),
    ProblemKind("building_outside", "建筑不在任何网格内", "Building outside every grid", "warning", "completeness"),
    ProblemKind("multipart", "网格不连续（多块）", "Grid not contiguous (several parts)", "error", "convenience"),
    ProblemKind("hole", "网格内有孔洞", "Grid with a hole", "warning", "convenience"),
    ProblemKind("duplicate_code", "编码重复", "Duplicate code", "error", "coding"),
    ProblemKind("malformed_code", "编码格式错误", "Malformed or missing code", "error", "coding"),
    ProblemKind("load_out_of_tolerance", "户数超出容差", "Load outside tolerance", "warning", "balance"),
    ProblemKind("area_too_large", "面积超过上限", "Area above the maximum", "warning", "balance"),
)
PROBLEM_KINDS_BY_CODE = {k.code: k for k in PROBLEM_KINDS}

# Messages (English templates, translated by the QGIS side or the report).
MSG = {
    "invalid_geometry": N_("Grid {grids} has an invalid geometry ({reason}); it was repaired for the other checks."),
    "empty_geometry": N_("Grid {grids} has no geometry."),
    "gap": N_("{area_m2} m² of the area is covered by no grid."),
    "overlap": N_("Grids {grids} overlap by {area_m2} m²."),
    "outside_area": N_("{area_m2} m² of grid {grids} lies outside the planning area."),
    "crosses_parent": N_("Grid {grids} lies in {parent} but {area_m2} m² of it is in {other}."),
    "parent_code_mismatch": N_("Grid {grids} lies in {parent} but its code does not start with that parent's code."),
    "cut_building": N_("A building is cut by the edge between grids {grids}."),
    "building_outside": N_("A building inside the area lies in no grid."),
    "multipart": N_("Grid {grids} has {n_parts} separate parts; the {n_small} smaller ones ({area_m2} m²) are shown."),
    "hole": N_("Grid {grids} has a hole of {area_m2} m²."),
    "hole_enclave": N_("Grid {grids} has a hole of {area_m2} m² that holds another grid ({inner})."),
    "duplicate_code": N_("The code {code} is used by {n} grids: {grids}."),
    "malformed_code": N_("Grid {grids} has the code '{code}', which does not match the pattern {pattern}."),
    "missing_code": N_("Grid {grids} has no code."),
    "load_high": N_(
        "Grid {grids} has a load of {load}, {deviation}% above the target {target} (tolerance ±{tolerance}%)."
    ),
    "load_low": N_(
        "Grid {grids} has a load of {load}, {deviation}% below the target {target} (tolerance ±{tolerance}%)."
    ),
    "area_too_large": N_("Grid {grids} covers {area_m2} m², above the maximum of {max_area_m2} m²."),
}

PROBLEM_COLUMNS = [
    "problem_id",
    "kind",
    "kind_zh",
    "severity",
    "principle",
    "grid_ids",
    "grid_codes",
    "area_m2",
    "value",
    "message",
]


@dataclass
class ValidationResult:
    """What :func:`validate_plan` found.

    Attributes
    ----------
    problems : GeoDataFrame
        One row per problem, columns :data:`PROBLEM_COLUMNS` plus ``geometry``; ``message`` is English and
        ``template``/``params`` let a caller translate it.
    counts : dict
        ``{kind: number of problems}`` for every kind in :data:`PROBLEM_KINDS` (zeros included).
    evaluation : PlanEvaluation
        The metrics pass the checks ran on (reused by assess and the report).
    skipped : list of str
        Checks that could not run and why (English templates).
    """

    problems: gpd.GeoDataFrame
    counts: dict
    evaluation: object
    skipped: list = field(default_factory=list)

    @property
    def n_errors(self) -> int:
        """Number of problems of severity ``error``."""
        return int((self.problems["severity"] == "error").sum())

    @property
    def n_warnings(self) -> int:
        """Number of problems of severity ``warning``."""
        return int((self.problems["severity"] == "warning").sum())


def _fmt(value: float) -> str:
    if value is None or not np.isfinite(value):
        return "—"
    if float(value).is_integer():  # households are counted: 50, not 50.0
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:,.1f}"
    return f"{value:.3g}"


def _marker(geom):
    """A small square around a point-like place so every problem is a polygon."""
    point = shapely.point_on_surface(geom) if not isinstance(geom, shapely.Point) else geom
    return shapely.buffer(point, _MARKER_HALF_SIDE_M, cap_style="square")


class _Collector:
    def __init__(self, ids: np.ndarray, codes: np.ndarray | None):
        self.ids = ids
        self.codes = codes
        self.rows: list[dict] = []

    def label(self, positions) -> str:
        return ", ".join(str(self.ids[p]) for p in positions)

    def named(self, positions) -> str:
        """The grids as a message names them: by code when the plan has codes, else by id."""
        if self.codes is None:
            return self.label(positions)
        names = []
        for p in positions:
            code = self.codes[p]
            missing = code is None or (isinstance(code, float) and np.isnan(code)) or str(code).strip() == ""
            names.append(str(self.ids[p]) if missing else str(code))
        return ", ".join(names)

    def add(
        self, kind: str, positions, geometry, message_key: str | None = None, *, area_m2=np.nan, value=np.nan, **params
    ):
        positions = [int(p) for p in positions]
        template = MSG[message_key or kind]
        if "area_m2_text" in params:
            params["area_m2"] = params.pop("area_m2_text")
        params = {"grids": self.named(positions), **params}
        problem_kind = PROBLEM_KINDS_BY_CODE[kind]
        geometry = geometry if geometry is None or shapely.get_type_id(geometry) in (3, 6) else _marker(geometry)
        self.rows.append(
            {
                "kind": kind,
                "kind_zh": problem_kind.zh,
                "severity": problem_kind.severity,
                "principle": problem_kind.principle,
                "grid_ids": self.label(positions),
                "grid_codes": ", ".join(str(self.codes[p]) for p in positions) if self.codes is not None else "",
                "area_m2": float(area_m2),
                "value": float(value),
                "message": template.format(**params),
                "template": template,
                "params": params,
                "geometry": geometry,
            }
        )


def _polygon_parts(geom, min_area_m2: float) -> np.ndarray:
    parts = shapely.get_parts(geom)
    parts = parts[np.isin(shapely.get_type_id(parts), (3, 6))]
    return parts[shapely.area(parts) > min_area_m2]


def validate_plan(
    grids,
    area=None,
    parents=None,
    buildings=None,
    barriers=None,
    *,
    id_field: str | None = None,
    code_field: str | None = None,
    code_pattern: str | None = DEFAULT_CODE_PATTERN,
    parent_code_field: str | None = None,
    load_field: str = "load",
    building_load_field: str = "households",
    target_load: float = 400,
    tolerance: float = 0.2,
    check_load: bool = True,
    type_field: str | None = None,
    rules=None,
    max_area_m2: float | None = None,
    parent_tolerance_m2: float = 1.0,
    min_area_m2: float = 0.01,
    report: Report | None = None,
) -> ValidationResult:
    """Check a grid plan and list every problem.

    Parameters
    ----------
    grids : GeoDataFrame
        The grid polygons.
    area : GeoDataFrame, GeoSeries or geometry, optional
        The planning area; without it gaps are the holes of the union of the grids.
    parents : GeoDataFrame, optional
        Parent units (communities, villages) no grid may cross.
    buildings : GeoDataFrame, optional
        Building polygons or points: cut buildings, buildings outside every grid, and the load when the
        grids have none.
    barriers : GeoDataFrame, optional
        Barrier lines; only used for the metrics carried in ``evaluation``.
    id_field : str, optional
        Grid identifier shown in problems (default ``grid_id`` when present, else 1..n).
    code_field : str, optional
        Grid code field (default ``grid_code`` when present); None and no ``grid_code`` skips code checks.
    code_pattern : str, optional
        Regular expression a code must match in full (default 15 digits); None skips the format check.
    parent_code_field : str, optional
        Code field of ``parents``: names the parents in messages and checks that grid codes start with it.
    load_field, building_load_field, target_load, tolerance
        As in :func:`grid_plugin.core.assess.metrics.evaluate_plan`.
    check_load : bool
        Report grids whose load is outside ``tolerance`` of ``target_load``. With grid types only the
        household types are checked, each against its type's target (:mod:`.balance`, as ``assess``).
    type_field : str, optional
        Grid type field (default ``grid_type`` when present).
    rules : RuleTable, optional
        The rule table of the grid types (default the shipped one).
    max_area_m2 : float, optional
        Report grids above this area.
    parent_tolerance_m2 : float
        Area a grid may have in a second parent before it counts as crossing (default 1 m²).
    min_area_m2 : float
        Gaps, overlaps and pieces outside smaller than this are rounding, not problems (default 0.01 m²).
    report : Report, optional

    Returns
    -------
    ValidationResult
    """
    report = report if report is not None else Report()
    if grids is None or len(grids) == 0:
        raise InputError(N_("The grid layer is empty; choose a layer with grid polygons."))
    columns = list(getattr(grids, "columns", []))
    for value in (id_field, code_field):
        if value is not None and value not in columns:
            raise InputError(
                N_("The grid layer has no field {field}; choose one of: {fields}."),
                field=value,
                fields=", ".join(c for c in columns if c != "geometry"),
            )
    raw = _geometries(grids, "grids")
    evaluation = evaluate_plan(
        grids,
        area,
        buildings,
        barriers,
        load_field=load_field,
        building_load_field=building_load_field,
        target_load=target_load,
        tolerance=tolerance,
        require_load=False,
        report=report,
    )
    geoms = evaluation.grid_geoms
    table = evaluation.table
    n = len(geoms)
    id_field = id_field or ("grid_id" if "grid_id" in columns else None)
    ids = grids[id_field].to_numpy() if id_field else np.arange(1, n + 1)
    code_field = code_field or ("grid_code" if "grid_code" in columns else None)
    codes = grids[code_field].to_numpy(dtype=object) if code_field else None
    out = _Collector(ids, codes)
    skipped: list[str] = []

    _check_geometry_validity(out, raw, geoms)
    report.progress(65)
    report.check_cancelled()
    _check_gaps(out, evaluation, geoms, min_area_m2)
    _check_overlaps(out, evaluation, geoms, min_area_m2)
    if evaluation.area_given:
        _check_outside(out, evaluation, geoms, min_area_m2)
    report.progress(75)
    report.check_cancelled()
    _check_multipart(out, table, geoms)
    _check_holes(out, evaluation, table, geoms, min_area_m2)

    # codes, then parents (a malformed or missing code is not reported again as a mismatch)
    bad_codes: set[int] = set()
    if codes is not None:
        bad_codes = _check_codes(out, geoms, codes, code_pattern)
    else:
        skipped.append(N_("Code checks skipped: the grid layer has no code field."))
    if parents is not None and len(parents):
        _check_parents(
            out, geoms, codes, parents, parent_code_field, evaluation.crs, parent_tolerance_m2, report, bad_codes
        )
    report.progress(85)
    report.check_cancelled()

    if evaluation.assignment is not None:
        _parent_cut_buildings(evaluation, parents, parent_code_field, report)
        _check_buildings(out, evaluation)
    if check_load:
        type_field = type_field or ("grid_type" if "grid_type" in columns else None)
        types = grids[type_field].to_numpy(dtype=object) if type_field else None
        if not _check_loads(out, table, geoms, target_load, tolerance, types, rules, report):
            skipped.append(N_("Load checks skipped: the grids have no load field and no buildings were given."))
    if max_area_m2:
        _check_area(out, table, geoms, max_area_m2)

    problems = _frame(out.rows, evaluation.crs)
    counts = {k.code: int((problems["kind"] == k.code).sum()) for k in PROBLEM_KINDS}
    for template in skipped:
        report.info(template)
    report.progress(100)
    return ValidationResult(problems=problems, counts=counts, evaluation=evaluation, skipped=skipped)


def _check_geometry_validity(out: _Collector, raw: np.ndarray, geoms: np.ndarray) -> None:
    """Empty and invalid grid geometries, placed where GEOS says the problem is."""
    missing = shapely.is_missing(raw) | shapely.is_empty(raw)
    for p in np.flatnonzero(missing):
        out.add("invalid_geometry", [p], None, "empty_geometry")
    check = np.flatnonzero(~missing)
    invalid = check[~shapely.is_valid(raw[check])]
    if len(invalid):
        reasons = shapely.is_valid_reason(raw[invalid])
        for p, reason in zip(invalid, reasons):
            where = re.search(r"\[(-?[\d.e+-]+) (-?[\d.e+-]+)\]", reason)
            place = shapely.Point(float(where.group(1)), float(where.group(2))) if where else geoms[p]
            out.add("invalid_geometry", [p], place, reason=reason)


def _check_gaps(out: _Collector, evaluation, geoms: np.ndarray, min_area_m2: float) -> None:
    """The area not covered (or, without an area, the holes of the union), with the grids along each gap."""
    if evaluation.area_given:
        gap = shapely.difference(evaluation.area_geom, evaluation.union)
    else:
        rings = shapely.get_parts(shapely.get_parts(evaluation.union))
        holes = [shapely.Polygon(r) for poly in rings for r in poly.interiors] if len(rings) else []
        gap = shapely.union_all(np.array(holes, dtype=object)) if holes else shapely.Polygon()
    for part in _polygon_parts(gap, min_area_m2):
        neighbours = evaluation.tree.query(part, predicate="intersects")
        # the grids along its edge (sharing a length of boundary, not a corner point)
        shared = shapely.length(shapely.intersection(shapely.boundary(part), geoms[neighbours]))
        neighbours = neighbours[shared > 1e-9]
        a = float(shapely.area(part))
        out.add("gap", sorted(neighbours), part, area_m2=a, value=a, area_m2_text=_fmt(a))


def _check_overlaps(out: _Collector, evaluation, geoms: np.ndarray, min_area_m2: float) -> None:
    """Overlaps between grids, pair by pair."""
    gi, gj = evaluation.tree.query(geoms, predicate="intersects")
    keep = gi < gj
    gi, gj = gi[keep], gj[keep]
    if not len(gi):
        return
    inter = shapely.intersection(geoms[gi], geoms[gj])
    inter_area = shapely.area(inter)
    for i, j, geom, a in zip(gi, gj, inter, inter_area):
        if a > min_area_m2:
            polygons = _polygon_parts(geom, 0.0)
            out.add("overlap", [i, j], shapely.union_all(polygons), area_m2=a, value=a, area_m2_text=_fmt(a))


def _check_outside(out: _Collector, evaluation, geoms: np.ndarray, min_area_m2: float) -> None:
    """Pieces of grids outside the planning area."""
    outside = evaluation.table["outside_m2"].to_numpy()
    for p in np.flatnonzero(outside > min_area_m2):
        piece = shapely.union_all(_polygon_parts(shapely.difference(geoms[p], evaluation.area_geom), 0.0))
        out.add("outside_area", [p], piece, area_m2=outside[p], value=outside[p], area_m2_text=_fmt(outside[p]))


def _check_multipart(out: _Collector, table, geoms: np.ndarray) -> None:
    """Grids in several pieces; the problem geometry is every piece but the largest."""
    for p in np.flatnonzero(table["n_parts"].to_numpy() > 1):
        parts = shapely.get_parts(geoms[p])
        parts = parts[~shapely.is_empty(parts)]
        areas = shapely.area(parts)
        small = parts[np.argsort(-areas)[1:]]
        a = float(shapely.area(small).sum())
        out.add(
            "multipart",
            [p],
            shapely.union_all(small),
            area_m2=a,
            value=len(parts),
            n_parts=len(parts),
            n_small=len(small),
            area_m2_text=_fmt(a),
        )


def _check_holes(out: _Collector, evaluation, table, geoms: np.ndarray, min_area_m2: float) -> None:
    """Holes in grids: an enclave when other grids fill it, else a gap inside the grid."""
    for p in np.flatnonzero(table["n_holes"].to_numpy() > 0):
        for poly in shapely.get_parts(geoms[p]):
            for ring in poly.interiors:
                hole = shapely.Polygon(ring)
                a = float(hole.area)
                if a <= min_area_m2:
                    continue
                inner = [q for q in evaluation.tree.query(hole, predicate="intersects") if q != p]
                inner = [q for q in inner if shapely.area(shapely.intersection(geoms[q], hole)) > min_area_m2]
                if inner:
                    out.add(
                        "hole",
                        [p],
                        hole,
                        "hole_enclave",
                        area_m2=a,
                        value=a,
                        area_m2_text=_fmt(a),
                        inner=out.named(inner),
                    )
                else:
                    out.add("hole", [p], hole, area_m2=a, value=a, area_m2_text=_fmt(a))


def parent_cut_mask(building_geoms, parent_geoms, min_area: float = 0.01):
    """Buildings whose footprint lies in two or more parents (more than ``min_area`` m² in each), and the
    parents involved (sorted indices).

    >>> from shapely.geometry import box
    >>> mask, involved = parent_cut_mask([box(8, 0, 12, 2), box(0, 0, 2, 2)], [box(0, 0, 10, 10), box(10, 0, 20, 10)])
    >>> mask.tolist(), involved
    ([True, False], [0, 1])
    """
    bgeoms = np.asarray(building_geoms, dtype=object)
    parent_geoms = np.asarray(parent_geoms, dtype=object)
    polygons = np.flatnonzero(np.isin(shapely.get_type_id(bgeoms), (3, 6)))
    b, q = shapely.STRtree(parent_geoms).query(bgeoms[polygons], predicate="intersects")
    b = polygons[b]
    shared = shapely.area(shapely.intersection(bgeoms[b], parent_geoms[q]))
    keep = (shared > min_area) & (shared > 1e-6 * shapely.area(bgeoms[b]))
    b, q = b[keep], q[keep]
    mask = np.bincount(b, minlength=len(bgeoms)) >= 2
    return mask, sorted(set(q[mask[b]].tolist()))


def _parent_cut_buildings(evaluation, parents, parent_code_field, report):
    """Buildings cut by the boundary between two parents: no plan inside its parents can hold them whole.

    They are the input's problem, not the plan's: one warning naming the parents, and they leave the
    plan's cut buildings (the problems and the metrics). Returns the mask (None without parents).
    """
    if parents is None or not len(parents) or evaluation.assignment is None:
        return None
    parent_geoms = polygon_array(_geometries(parents, "parents", evaluation.crs, report), "parents", report)
    mask, involved = parent_cut_mask(evaluation.building_geoms, parent_geoms)
    if not mask.any():
        return mask
    names = [code_text(v) for v in parents[parent_code_field]] if parent_code_field else None
    report.warn(
        N_(
            "The parent boundary cuts {n} buildings (parents {parents}): no grid can hold them whole, so they are "
            "not counted as cut by the plan. Correct the parent layer so that its boundaries go round buildings."
        ),
        n=int(mask.sum()),
        parents=", ".join(names[i] if names else f"#{i + 1}" for i in involved),
    )
    assignment = evaluation.assignment
    assignment.cut[mask] = False
    n_polys = int(assignment.is_polygon.sum())
    evaluation.metrics["n_cut_buildings"] = int(assignment.cut.sum())
    evaluation.metrics["cut_building_share"] = assignment.cut.sum() / n_polys if n_polys else 0.0
    return mask


def _check_buildings(out: _Collector, evaluation) -> None:
    """Cut buildings (not those the parent boundary cuts) and buildings in the area but in no grid."""
    assignment = evaluation.assignment
    bgeoms = evaluation.building_geoms
    for b in np.flatnonzero(assignment.cut):
        out.add("cut_building", [assignment.grid_index[b], assignment.second_index[b]], bgeoms[b], value=float(b))
    outside_b = np.flatnonzero(assignment.grid_index < 0)
    outside_b = outside_b[~shapely.is_missing(bgeoms[outside_b]) & ~shapely.is_empty(bgeoms[outside_b])]
    if len(outside_b) and evaluation.area_given:
        # a building wholly outside the planning area is not a problem of the plan
        outside_b = outside_b[shapely.intersects(bgeoms[outside_b], evaluation.area_geom)]
    for b in outside_b:
        out.add("building_outside", [], bgeoms[b], value=float(b))


def _check_loads(out: _Collector, table, geoms, target_load, tolerance, types=None, rules=None, report=None) -> bool:
    """Grids whose load is outside the tolerance; False when the loads are unknown (nothing checked).

    With ``types``, only the grids of household types, each against its type's target and tolerance.
    """
    loads = table["load"].to_numpy(dtype=float)
    if not np.isfinite(loads).all():
        return False
    checked = np.ones(len(loads), dtype=bool)
    targets = np.full(len(loads), float(target_load))
    tolerances = np.full(len(loads), float(tolerance))
    if types is not None:
        if rules is None:
            from ..difference.rules import load_rules

            rules = load_rules()
        checked, targets, tolerances = household_targets(types, rules, target_load, tolerance)
        if report is not None and not checked.all():
            report.info(
                N_(
                    "Loads checked for the {n} grids of household types; {m} site and land grids are not "
                    "balanced by households."
                ),
                n=int(checked.sum()),
                m=int((~checked).sum()),
            )
    deviation = (loads - targets) / targets
    for p in np.flatnonzero(checked & (np.abs(deviation) > tolerances + 1e-12)):
        key = "load_high" if deviation[p] > 0 else "load_low"
        out.add(
            "load_out_of_tolerance",
            [p],
            geoms[p],
            key,
            value=deviation[p] * 100,
            load=_fmt(loads[p]),
            deviation=_fmt(abs(deviation[p]) * 100),
            target=_fmt(targets[p]),
            tolerance=_fmt(tolerances[p] * 100),
        )
    return True


def _check_area(out: _Collector, table, geoms: np.ndarray, max_area_m2: float) -> None:
    """Grids above the maximum area."""
    areas = table["area_m2"].to_numpy()
    for p in np.flatnonzero(areas > max_area_m2):
        out.add(
            "area_too_large",
            [p],
            geoms[p],
            area_m2=areas[p],
            value=areas[p],
            area_m2_text=_fmt(areas[p]),
            max_area_m2=_fmt(max_area_m2),
        )


def _check_codes(out: _Collector, geoms: np.ndarray, codes: np.ndarray, code_pattern: str | None) -> set[int]:
    """Missing, malformed and duplicate codes; returns the positions of missing or malformed codes."""
    text = np.array(
        ["" if c is None or (isinstance(c, float) and np.isnan(c)) else str(c).strip() for c in codes], dtype=object
    )
    pattern = re.compile(code_pattern) if code_pattern else None
    bad: set[int] = set()
    for p in np.flatnonzero(text == ""):
        out.add("malformed_code", [p], geoms[p], "missing_code")
        bad.add(int(p))
    if pattern is not None:
        for p in np.flatnonzero(text != ""):
            if not pattern.fullmatch(text[p]):
                out.add("malformed_code", [p], geoms[p], code=text[p], pattern=code_pattern)
                bad.add(int(p))
    series = pd.Series(text)
    dup = series[(series != "") & series.duplicated(keep=False)]
    for code, positions in dup.groupby(dup).groups.items():
        positions = sorted(int(i) for i in positions)
        out.add("duplicate_code", positions, shapely.union_all(geoms[positions]), code=code, n=len(positions))
    return bad


def _check_parents(out, geoms, codes, parents, parent_code_field, crs, tolerance_m2, report, bad_codes=()) -> None:
    if parent_code_field is not None and parent_code_field not in parents.columns:
        raise InputError(N_("The parent layer has no field {field}; choose its code field."), field=parent_code_field)
    parent_geoms = polygon_array(_geometries(parents, "parents", crs, report), "parents", report)
    names = (
        np.array([code_text(v) for v in parents[parent_code_field]], dtype=object)
        if parent_code_field
        else np.array([f"#{i + 1}" for i in range(len(parents))], dtype=object)
    )
    tree = shapely.STRtree(parent_geoms)
    g, q = tree.query(geoms, predicate="intersects")
    if len(g) == 0:
        return
    inter = shapely.area(shapely.intersection(geoms[g], parent_geoms[q]))
    frame = pd.DataFrame({"g": g, "q": q, "a": inter}).sort_values(["g", "a"], ascending=[True, False])
    for grid, rows in frame.groupby("g", sort=True):
        main_parent = int(rows["q"].iloc[0])
        others = rows.iloc[1:]
        others = others[others["a"] > tolerance_m2]
        if len(others):
            pieces = shapely.intersection(geoms[grid], parent_geoms[others["q"].to_numpy()])
            piece = shapely.union_all(_polygon_parts(shapely.union_all(pieces), 0.0))
            a = float(others["a"].sum())
            out.add(
                "crosses_parent",
                [grid],
                piece,
                area_m2=a,
                value=a,
                area_m2_text=_fmt(a),
                parent=names[main_parent],
                other=", ".join(names[int(o)] for o in others["q"]),
            )
        if codes is not None and parent_code_field and grid not in bad_codes:
            code = code_text(codes[grid])
            parent_code = str(names[main_parent])
            if code and parent_code and not code_in_parent(code, parent_code):
                out.add("parent_code_mismatch", [grid], geoms[grid], parent=parent_code)


def code_in_parent(code: str, parent_code: str) -> bool:
    """Whether a grid code belongs to its parent's code, in any of the parent forms the plugin accepts.

    A 6-digit county, 9-digit township or 12-digit community code is a prefix of the grid's 15 digits;
    a 3-digit community code is the grid code's community part (digits 10–12).

    >>> code_in_parent("440307015001003", "440307015001"), code_in_parent("440307015001003", "001")
    (True, True)
    >>> code_in_parent("440307015002003", "001"), code_in_parent("440307015001003", "440307016")
    (False, False)
    """
    if len(parent_code) == 3 and parent_code.isdigit() and len(code) >= 12:
        return code[9:12] == parent_code
    return code.startswith(parent_code)


def _frame(rows: list[dict], crs) -> gpd.GeoDataFrame:
    if not rows:
        empty = {
            c: pd.Series(dtype=object if c not in ("problem_id", "area_m2", "value") else float)
            for c in PROBLEM_COLUMNS
        }
        empty["problem_id"] = pd.Series(dtype=np.int64)
        frame = gpd.GeoDataFrame(empty, geometry=gpd.GeoSeries([], crs=crs), crs=crs)
        frame["template"] = pd.Series(dtype=object)
        frame["params"] = pd.Series(dtype=object)
        return frame
    frame = pd.DataFrame(rows)
    order = {k.code: i for i, k in enumerate(PROBLEM_KINDS)}
    frame["_order"] = frame["kind"].map(order)
    frame = frame.sort_values(["_order"], kind="stable").drop(columns="_order").reset_index(drop=True)
    frame.insert(0, "problem_id", np.arange(1, len(frame) + 1))
    # Polygons become MultiPolygons so the layer has one geometry type.
    geoms = np.array(frame.pop("geometry").tolist(), dtype=object)
    is_poly = ~shapely.is_missing(geoms)
    single = is_poly & (shapely.get_type_id(geoms) == 3)
    geoms[single] = [shapely.MultiPolygon([g]) for g in geoms[single]]
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, crs=crs), crs=crs)
