"""Multi-level grids (多级网格): nest grids exactly in levels, with hierarchical codes.

A subdistrict's grids nest: e.g. 6 first-level, 46 second-level and 1,156 third-level grids. Given
the finest grids (the output of a partition), every upper level is either

* **given** as a parent layer (communities, villages): each finest grid joins the parent holding
  most of its area; a grid straddling two parents or lying outside the layer is an error that
  names it, since nesting must be exact; or
* **generated** by grouping the grids of the level below into balanced, contiguous groups of about
  ``group_size`` grids with the partition engine's graph partitioner
  (:func:`grid_plugin.core.partition.engine.partition_graph`) on the grid adjacency graph, inside the
  nearest given level above.

Upper-level geometries are the unions of their children, so nesting is exact by construction.

Codes follow the tiers of the 15-digit grid code (:mod:`grid_plugin.core.partition.coding`,
county 6 + township 3 + community 3 + serial 3), counted from the bottom: the finest grids have 15
digits (their parent's 12 + a serial), the level above them is the community tier (12 digits) and
the level above that the township tier (9 digits). So there are at most two upper levels. Each code
is its parent's code plus a 3-digit serial in the reading order of
:func:`grid_plugin.core.partition.coding.serial_order`; the top level extends the county (+ township)
code given, or keeps the codes of a given parent layer (12-digit community codes for the community
tier, 9-digit township codes for the township tier).

Examples
--------
>>> from shapely.geometry import box
>>> level_codes(["A", "A", "B"], [box(1, 0, 2, 1), box(0, 0, 1, 1), box(5, 5, 6, 6)], digits=2)
['A02', 'A01', 'B01']
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.sparse.csgraph import connected_components

from ..errors import N_, InputError, Report
from .coding import SERIAL_DIGITS, check_code_parts, code_text, split_prefix, tier_codes
from .regrid import grid_adjacency

__all__ = ["LevelSpec", "MultilevelResult", "assign_to_parents", "group_grids", "level_codes", "build_levels"]

#: Share of a grid's area that must lie in one parent for the nesting to count as exact.
NESTING_SHARE = 0.99


@dataclass
class LevelSpec:
    """How to obtain one upper level.

    Attributes
    ----------
    layer : GeoDataFrame, optional
        Given parent polygons (communities); else the level is generated.
    group_size : float
        Children per parent when generated (e.g. 24 third-level grids per second-level grid).
    name_field : str, optional
        A field of ``layer`` copied to the output (e.g. the community name).
    code_field : str, optional
        A field of ``layer`` with the parents' own codes (12-digit community or 9-digit township codes,
        by the level's tier); else codes are generated.
    """

    layer: gpd.GeoDataFrame | None = None
    group_size: float = 24.0
    name_field: str | None = None
    code_field: str | None = None


@dataclass
class MultilevelResult:
    """Result of :func:`build_levels`.

    Attributes
    ----------
    levels : list of GeoDataFrame
        ``levels[0]`` is level 1 (the top). Each has ``level``, ``grid_code``, ``parent_code``,
        ``load``, ``n_children``, ``n_grids`` (finest grids inside), ``area_m2``.
    membership : DataFrame
        One row per finest grid: its index in each level (``level_1`` …).
    """

    levels: list
    membership: pd.DataFrame


def assign_to_parents(grids: gpd.GeoDataFrame, parents: gpd.GeoDataFrame, *, label: str = "parent") -> np.ndarray:
    """Position of the parent holding each grid; raise when a grid is outside or straddles parents.

    Raises
    ------
    InputError
        When grids lie (partly) outside the parent layer (it does not cover the area) or a grid
        straddles two parents. The message gives the area and the first grid codes.
    """
    geoms = grids.geometry.values
    parent_geoms = shapely.make_valid(parents.geometry.values)
    tree = shapely.STRtree(parent_geoms)
    g_idx, p_idx = tree.query(geoms, predicate="intersects")
    shared = shapely.area(shapely.intersection(geoms[g_idx], parent_geoms[p_idx])) if len(g_idx) else np.zeros(0)
    frame = pd.DataFrame({"g": g_idx, "p": p_idx, "a": shared})
    best = frame.sort_values(["g", "a"], ascending=[True, False]).drop_duplicates("g").set_index("g")
    covered = frame.groupby("g")["a"].sum()
    area = shapely.area(geoms)
    assigned = np.full(len(grids), -1, dtype=np.int64)
    assigned[best.index.to_numpy()] = best["p"].to_numpy()
    covered_all = np.zeros(len(grids))
    covered_all[covered.index.to_numpy()] = covered.to_numpy()
    best_share = np.zeros(len(grids))
    best_share[best.index.to_numpy()] = best["a"].to_numpy()
    names = _names(grids)
    outside = area - covered_all
    bad_out = outside > np.maximum(1.0, 1e-4 * area)
    if bad_out.any():
        raise InputError(
            N_(
                "The parent layer does not cover the area: {m2:.0f} m² of {n} grids lie outside it (e.g. {codes}). "
                "Extend the parent layer (or clip the grids to it) so that every grid has a parent; nothing was "
                "written."
            ),
            label=label,
            m2=float(outside[bad_out].sum()),
            n=int(bad_out.sum()),
            codes=", ".join(names[bad_out][:5]),
        )
    straddle = best_share < NESTING_SHARE * area
    if straddle.any():
        raise InputError(
            N_(
                "{n} grids straddle two parents (e.g. {codes}), so the levels cannot nest exactly. Partition the "
                "grids inside each parent (gridplanner:partition with the parent layer as the area) and run again."
            ),
            n=int(straddle.sum()),
            label=label,
            codes=", ".join(names[straddle][:5]),
        )
    return assigned


def _names(grids) -> np.ndarray:
    if "grid_code" in grids.columns:
        return grids["grid_code"].astype(str).to_numpy()
    return np.array([f"#{i + 1}" for i in range(len(grids))])


def group_grids(
    geoms,
    loads,
    group_size: float,
    *,
    blocks=None,
    tolerance: float = 0.25,
    seed: int = 0,
    partition_graph_fn=None,
) -> np.ndarray:
    """Group polygons into contiguous, balanced groups of about ``group_size`` members.

    Parameters
    ----------
    geoms : array of polygons
        The grids of one level.
    loads : array of float
        Balance weight per grid (households, or 1 to balance counts).
    blocks : array, optional
        Groups never cross blocks (e.g. the given parent above).
    partition_graph_fn : callable, optional
        Default :func:`grid_plugin.core.partition.engine.partition_graph`.

    Returns
    -------
    ndarray of int
        Group label per grid, 0..k-1.
    """
    if partition_graph_fn is None:
        from .regrid import graph_partitioner

        partition_graph_fn = graph_partitioner()
    geoms = np.asarray(geoms, dtype=object)
    loads = np.asarray(loads, dtype=float)
    n = len(geoms)
    blocks = np.zeros(n, dtype=np.int64) if blocks is None else np.asarray(blocks)
    adjacency = grid_adjacency(geoms)
    labels = np.full(n, -1, dtype=np.int64)
    next_label = 0
    for block in pd.unique(blocks):
        in_block = np.flatnonzero(blocks == block)
        sub = adjacency[in_block][:, in_block]
        n_comp, comp = connected_components(sub, directed=False)
        for c in range(n_comp):
            members = in_block[comp == c]
            k = max(1, int(round(len(members) / group_size)))
            if k == 1 or len(members) < 2:
                labels[members] = next_label
                next_label += 1
                continue
            sub_adj = adjacency[members][:, members]
            weights = loads[members] if loads[members].sum() > 0 else np.ones(len(members))
            parts = np.asarray(partition_graph_fn(sub_adj, weights, k, tolerance=tolerance, seed=seed))
            _, parts = np.unique(parts, return_inverse=True)
            labels[members] = parts + next_label
            next_label += int(parts.max()) + 1
    return labels


def level_codes(parent_codes, geometries, *, digits: int = SERIAL_DIGITS) -> list[str]:
    """Codes ``parent code + serial`` in reading order inside each parent (:func:`.coding.tier_codes`)."""
    return tier_codes(parent_codes, geometries, digits=digits)


#: Tier names of the code lengths of upper levels (for messages).
TIER_DIGITS = {12: "community", 9: "township"}


def given_codes(layer, code_field: str, tier_digits: int, county: str, township: str, *, level: int = 1) -> list:
    """The codes of a given parent layer at the community (12-digit) or township (9-digit) tier; refuse others.

    A community tier takes 12-digit codes not ending in 000 (or 3-digit ones completed by county +
    township); a township tier takes 9-digit codes, 12-digit ones ending in 000 (their first 9), or
    3-digit ones completed by the county.
    """
    if code_field not in layer.columns:
        raise InputError(N_("The parent layer of level {level} has no field {field}."), level=level, field=code_field)
    out, bad = [], []
    for position, value in enumerate(layer[code_field].tolist()):
        text = code_text(value)
        code = None
        if text.isdigit() and len(text) == 3:
            code = (county + township + text) if tier_digits == 12 else (county + text)
        elif text.isdigit() and tier_digits == 12 and len(text) == 12 and not text.endswith("000"):
            code = text
        elif text.isdigit() and tier_digits == 9 and len(text) == 9:
            code = text
        elif text.isdigit() and tier_digits == 9 and len(text) == 12 and text.endswith("000"):
            code = text[:9]
        if code is None:
            bad.append(f"{text or '(empty)'} ({position + 1})")
        out.append(code)
    if bad and tier_digits == 12:
        raise InputError(
            N_(
                "The parent layer of level {level} is the community tier: its codes must be 12-digit community or "
                "village codes (e.g. 440307015001) or 3-digit ones completed by the county and township given. "
                "{n} are not, e.g. {examples} (code (feature))."
            ),
            level=level,
            n=len(bad),
            examples=", ".join(bad[:5]),
        )
    if bad:
        raise InputError(
            N_(
                "The parent layer of level {level} is the township tier: its codes must be 9-digit township codes "
                "(e.g. 440307015, or 440307015000) or 3-digit ones completed by the county given. {n} are not, "
                "e.g. {examples} (code (feature))."
            ),
            level=level,
            n=len(bad),
            examples=", ".join(bad[:5]),
        )
    return out


#: Warning when the top level is generated at the township tier (its codes look like township codes).
_GENERATED_TOWNSHIP_TIER = N_(
    "Level 1 is generated at the township tier: its codes {county}001, {county}002 … are serials, "
    "not official township codes. Give a township layer with 9-digit codes to use real ones."
)


def _check_tiers(specs, code_prefix) -> tuple[str, str]:
    """Refuse more upper levels than the 15-digit code has tiers for; return the county and township codes."""
    if len(specs) > 2 and specs[0].layer is not None:
        raise InputError(
            N_(
                "The parent layer and the group sizes make {n} levels above the grids, but the 15-digit grid code "
                "has room for two (township, community). Over a community layer (12-digit codes) leave the group "
                "sizes empty; over a township layer (9-digit codes) give one group size."
            ),
            n=len(specs),
        )
    if len(specs) > 2:
        raise InputError(
            N_(
                "The 15-digit grid code (county 6 + township 3 + community 3 + serial 3) has room for two levels "
                "above the grids (township, community); {n} were asked for. Give at most two upper levels."
            ),
            n=len(specs),
        )
    county, township, _community = check_code_parts(*split_prefix(code_prefix))
    return county, township


def _codes_of_level(spec, k, tier_digits, ids, parent_codes, geoms, county, township) -> np.ndarray:
    """Codes of level ``k``'s units: a given layer's own (checked against the tier and the parents), else generated."""
    if spec is None or spec.layer is None or not spec.code_field:
        return np.asarray(level_codes(parent_codes, geoms), dtype=object)
    codes = np.asarray(given_codes(spec.layer, spec.code_field, tier_digits, county, township), dtype=object)[ids]
    foreign = [c for c, p in zip(codes, parent_codes, strict=True) if k and not c.startswith(p)]
    if foreign:
        raise InputError(
            N_(
                "The codes of the level-{level} parent layer do not extend the codes of the level above "
                "(e.g. {code}); give that layer without its code field, or give the level above as a layer."
            ),
            level=k + 1,
            code=foreign[0],
        )
    return codes


def build_levels(
    grids: gpd.GeoDataFrame,
    specs: list[LevelSpec],
    *,
    load_field: str | None = "load",
    code_prefix=None,
    tolerance: float = 0.25,
    seed: int = 0,
    partition_graph_fn=None,
    report: Report | None = None,
) -> MultilevelResult:
    """Nest ``grids`` (the finest level) under the upper levels described by ``specs``.

    Parameters
    ----------
    grids : GeoDataFrame
        The finest grids (e.g. third-level), one metric CRS.
    specs : list of LevelSpec
        Upper levels from the top (level 1) down to the level just above ``grids``.
    load_field : str, optional
        Balance generated groups by this field (e.g. households); counts when missing.
    code_prefix : str or tuple, optional
        County (6 digits) + township (3) code, e.g. ``"440307015"`` or ``("440307", "015")``: the
        township tier is generated under the county, the community tier under county + township.

    Returns
    -------
    MultilevelResult
        ``levels`` from the top to the finest; every code extends its parent's code.
    """
    report = report or Report()
    if grids is None or not len(grids):
        raise InputError(N_("The grid layer is empty; choose the finest grids to nest."))
    if not specs:
        raise InputError(N_("Give at least one upper level (a parent layer or a group size)."))
    county, township = _check_tiers(specs, code_prefix)
    grids = grids.reset_index(drop=True)
    n = len(grids)
    n_levels = len(specs) + 1
    loads = (
        pd.to_numeric(grids[load_field], errors="coerce").fillna(0).to_numpy(dtype=float)
        if load_field and load_field in grids.columns
        else np.ones(n)
    )
    # membership[:, k] = index of the level-(k+1) unit holding each finest grid (last column = itself)
    membership = np.zeros((n, n_levels), dtype=np.int64)
    membership[:, -1] = np.arange(n)
    given = [k for k, spec in enumerate(specs) if spec.layer is not None]
    for k in given:
        spec = specs[k]
        if not len(spec.layer):
            raise InputError(N_("The parent layer of level {level} is empty."), level=k + 1)
        if spec.layer.crs is not None and grids.crs is not None and spec.layer.crs != grids.crs:
            raise InputError(
                N_("The parent layer of level {level} and the grids are in different CRSs; reproject one of them."),
                level=k + 1,
            )
        membership[:, k] = assign_to_parents(grids, spec.layer, label="parent")
    # given levels must nest in each other too
    for upper, lower in zip(given, given[1:]):
        pairs = pd.DataFrame({"u": membership[:, upper], "l": membership[:, lower]}).drop_duplicates()
        if pairs["l"].duplicated().any():
            raise InputError(
                N_(
                    "The parent layers of levels {upper} and {lower} do not nest: a level-{lower} parent spans two level-{upper} parents."
                ),
                upper=upper + 1,
                lower=lower + 1,
            )
    # generated levels, bottom-up: group the units of the level below inside the nearest given level above
    for k in range(n_levels - 2, -1, -1):
        report.check_cancelled()
        if specs[k].layer is not None:
            continue
        below = membership[:, k + 1]
        units, unit_of_grid = np.unique(below, return_inverse=True)
        unit_geoms = _dissolve(grids.geometry.values, unit_of_grid, len(units))
        unit_loads = np.bincount(unit_of_grid, weights=loads, minlength=len(units))
        above_given = [g for g in given if g < k]
        if above_given:
            block_of_grid = membership[:, max(above_given)]
            block = np.zeros(len(units), dtype=np.int64)
            block[unit_of_grid] = block_of_grid
        else:
            block = None
        labels = group_grids(
            unit_geoms,
            unit_loads,
            specs[k].group_size,
            blocks=block,
            tolerance=tolerance,
            seed=seed,
            partition_graph_fn=partition_graph_fn,
        )
        membership[:, k] = labels[unit_of_grid]
        report.progress(80 * (n_levels - 1 - k) / (n_levels - 1))
    # geometries and codes, top-down
    levels = []
    tiers = [15 - 3 * (n_levels - 1 - k) for k in range(n_levels)]  # 9, 12, 15 from the top
    parent_code_of_grid = np.full(n, county if tiers[0] == 9 else county + township, dtype=object)
    if tiers[0] == 9 and specs[0].code_field is None:
        report.warn(_GENERATED_TOWNSHIP_TIER, county=county)
    for k in range(n_levels):
        ids, unit_of_grid = np.unique(membership[:, k], return_inverse=True)
        geoms = grids.geometry.values if k == n_levels - 1 else _dissolve(grids.geometry.values, unit_of_grid, len(ids))
        if k == n_levels - 1:
            unit_of_grid = np.arange(n)
            ids = np.arange(n)
        parent_codes = np.empty(len(ids), dtype=object)
        parent_codes[unit_of_grid] = parent_code_of_grid
        spec = specs[k] if k < len(specs) else None
        codes = _codes_of_level(spec, k, tiers[k], ids, parent_codes, geoms, county, township)
        frame = gpd.GeoDataFrame(
            {
                "level": k + 1,
                "grid_code": codes,
                "parent_code": [p if p else None for p in parent_codes],
                "load": np.bincount(unit_of_grid, weights=loads, minlength=len(ids)),
                "n_grids": np.bincount(unit_of_grid, minlength=len(ids)),
            },
            geometry=geoms,
            crs=grids.crs,
        )
        if spec is not None and spec.layer is not None and spec.name_field and spec.name_field in spec.layer.columns:
            frame["name"] = spec.layer[spec.name_field].to_numpy()[ids]
        if k == n_levels - 1:
            keep = [c for c in grids.columns if c not in frame.columns and c != "geometry"]
            for column in keep:
                frame[column] = grids[column].to_numpy()
            if "grid_code" in grids.columns:
                frame["old_code"] = grids["grid_code"].to_numpy()
        frame["area_m2"] = shapely.area(geoms)
        levels.append(frame)
        parent_code_of_grid = codes[unit_of_grid]
    for k in range(n_levels - 1):
        child_parents = levels[k + 1]["parent_code"]
        levels[k]["n_children"] = levels[k]["grid_code"].map(child_parents.value_counts()).fillna(0).astype(int)
    levels[-1]["n_children"] = 0
    member_frame = pd.DataFrame(
        {f"level_{k + 1}": levels[k]["grid_code"].to_numpy()[_index_of(membership[:, k])] for k in range(n_levels)}
    )
    report.progress(100)
    return MultilevelResult(levels=levels, membership=member_frame)


def _index_of(labels) -> np.ndarray:
    _, inverse = np.unique(labels, return_inverse=True)
    return inverse


def _dissolve(geoms, labels, n_groups) -> np.ndarray:
    """Union of ``geoms`` per label (0..n_groups-1); coverage union where the grids form a coverage."""
    order = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[order], np.arange(n_groups + 1))
    out = np.empty(n_groups, dtype=object)
    for g in range(n_groups):
        members = np.asarray(geoms, dtype=object)[order[bounds[g] : bounds[g + 1]]]
        try:
            out[g] = shapely.coverage_union_all(members)
            if not shapely.is_valid(out[g]):
                raise ValueError
        except Exception:  # noqa: BLE001 - fall back to the robust (slower) union
            out[g] = shapely.union_all(members)
    return out


def check_nesting(levels: list, tolerance_m2: float = 1.0) -> dict:
    """Measured nesting: for each level pair, the area of children outside their parent and the codes' prefix rule."""
    out = {}
    for k in range(len(levels) - 1):
        upper, lower = levels[k], levels[k + 1]
        parent_geom = dict(zip(upper["grid_code"], upper.geometry.values))
        parents = lower["parent_code"].map(parent_geom)
        outside = shapely.area(shapely.difference(lower.geometry.values, np.asarray(parents.to_numpy(), dtype=object)))
        prefix_ok = all(
            str(c).startswith(str(p)) and len(str(c)) > len(str(p))
            for c, p in zip(lower["grid_code"], lower["parent_code"])
        )
        union_gap = abs(
            shapely.area(shapely.union_all(upper.geometry.values))
            - shapely.area(shapely.union_all(lower.geometry.values))
        )
        out[f"{k + 1}->{k + 2}"] = {
            "outside_m2": float(outside.sum()),
            "codes_extend_parent": bool(prefix_ok),
            "area_difference_m2": float(union_gap),
            "exact": bool(outside.sum() <= tolerance_m2 and prefix_ok and union_gap <= tolerance_m2),
        }
    return out


__all__.append("check_nesting")
