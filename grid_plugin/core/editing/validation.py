"""Validation of an edited plan (run in a background task after every edit)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from ..errors import N_
from .geometry import AREA_EPS_M2, union_units

__all__ = ["GridProblem", "validate_grids"]


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
