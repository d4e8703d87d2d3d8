"""Natural villages: single-linkage clustering of building footprints, hamlets, grouping small villages.

Also the one place where a settlement's grid type is decided (:func:`settlement_grid_types`): a
town is partitioned as residential grids, a village is one grid (split above its maximum), a cluster
without households is a mixed grid.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from ..classify.context import town_like
from ..inputs import numeric_values
from ..prepare.floors import building_floors

__all__ = ["cluster_buildings", "merge_small_villages", "load_values", "settlement_grid_types", "find_settlements"]


def cluster_buildings(
    buildings: gpd.GeoDataFrame,
    distance_m: float,
    *,
    load_field: str = "households",
    min_buildings: int = 5,
    min_households: float = 10,
) -> pd.DataFrame:
    """Group buildings into natural villages by proximity and merge hamlets into the nearest village.

    Two buildings belong to the same cluster when a chain of footprints, each within ``distance_m``
    of the next, links them (single linkage, the same as the union of footprints buffered by half the
    distance). A cluster with fewer than ``min_buildings`` buildings or ``min_households`` households
    is a hamlet: it joins the nearest real village (nearest footprint to footprint).

    Parameters
    ----------
    buildings : GeoDataFrame
        Footprints (or points) in a metric CRS.
    distance_m : float
        Linkage distance.
    load_field : str
        Household field (missing → 0).

    Returns
    -------
    DataFrame
        Index aligned with ``buildings``: ``cluster`` (raw single-linkage cluster), ``village`` (the
        village after hamlet merging, numbered 0.. west→east by centroid), ``is_hamlet``.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> b = gpd.GeoDataFrame({"households": [5, 5, 5, 1]},
    ...     geometry=[box(0, 0, 10, 10), box(20, 0, 30, 10), box(500, 0, 510, 10), box(560, 0, 565, 5)])
    >>> cluster_buildings(b, 50, min_buildings=1, min_households=3)["village"].tolist()
    [0, 0, 1, 1]
    """
    n = len(buildings)
    out = pd.DataFrame(index=buildings.index, data={"cluster": -1, "village": -1, "is_hamlet": False})
    if n == 0:
        return out
    geoms = buildings.geometry.values
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="dwithin", distance=float(distance_m))
    graph = sparse.coo_matrix((np.ones(len(left), dtype=np.int8), (left, right)), shape=(n, n)).tocsr()
    n_clusters, labels = connected_components(graph, directed=False)
    loads = load_values(buildings, load_field)
    counts = np.bincount(labels, minlength=n_clusters)
    households = np.bincount(labels, weights=loads, minlength=n_clusters)
    hamlet = (counts < (min_buildings or 0)) | (households < (min_households or 0))
    village_of_cluster = np.arange(n_clusters)
    if hamlet.any() and not hamlet.all():
        real = np.flatnonzero(~hamlet)
        real_mask = np.isin(labels, real)
        real_tree = shapely.STRtree(geoms[real_mask])
        real_labels = labels[real_mask]
        hamlet_buildings = np.flatnonzero(~real_mask)
        nearest_idx, dist = real_tree.query_nearest(geoms[hamlet_buildings], return_distance=True, all_matches=False)
        # nearest village of each hamlet = the one nearest to any of its buildings
        frame = pd.DataFrame(
            {"cluster": labels[hamlet_buildings[nearest_idx[0]]], "target": real_labels[nearest_idx[1]], "d": dist}
        )
        best = frame.sort_values(["cluster", "d", "target"]).drop_duplicates("cluster")
        village_of_cluster[best["cluster"].to_numpy()] = best["target"].to_numpy()
    village_raw = village_of_cluster[labels]
    # number villages west→east (then south→north) for stable, readable ids
    centroids = shapely.centroid(geoms)
    xs = pd.Series(shapely.get_x(centroids)).groupby(village_raw).mean()
    ys = pd.Series(shapely.get_y(centroids)).groupby(village_raw).mean()
    order = pd.DataFrame({"x": xs, "y": ys}).sort_values(["x", "y"]).index.to_numpy()
    renumber = {old: new for new, old in enumerate(order)}
    out["cluster"] = labels
    out["village"] = np.array([renumber[v] for v in village_raw], dtype=np.int64)
    out["is_hamlet"] = hamlet[labels] & ~(hamlet.all())
    return out


def merge_small_villages(geoms, settlement, households, is_town, *, distance_m, small_load, max_load) -> np.ndarray:
    """Group small natural villages with near neighbours into one grid, where the village rule allows it.

    Villages below ``small_load`` households join the nearest village within ``distance_m`` (footprint
    to footprint) as long as the group stays at or below ``max_load``; closest pairs first. Towns never
    merge. Returns new settlement labels (0..k-1, in the order of the old ones).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> geoms = np.array([box(0, 0, 10, 10), box(300, 0, 310, 10), box(5000, 0, 5010, 10)])
    >>> merge_small_villages(geoms, np.array([0, 1, 2]), np.array([50.0, 60.0, 70.0]), np.zeros(3, bool),
    ...                      distance_m=500, small_load=200, max_load=400).tolist()
    [0, 0, 1]
    """
    n = int(settlement.max()) + 1 if len(settlement) else 0
    if n < 2:
        return settlement
    geoms = np.asarray(geoms, dtype=object)
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="dwithin", distance=float(distance_m))
    a, b = settlement[left], settlement[right]
    keep = a < b
    if not keep.any():
        return settlement
    d = shapely.distance(geoms[left[keep]], geoms[right[keep]])
    pairs = pd.DataFrame({"a": a[keep], "b": b[keep], "d": d}).groupby(["a", "b"], as_index=False)["d"].min()
    parent = np.arange(n)
    load = np.asarray(households, dtype=float).copy()

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for row in pairs.sort_values(["d", "a", "b"]).itertuples():
        ra, rb = find(row.a), find(row.b)
        if ra == rb or is_town[row.a] or is_town[row.b]:
            continue
        if min(load[ra], load[rb]) >= small_load or load[ra] + load[rb] > max_load:
            continue
        parent[rb] = ra
        load[ra] += load[rb]
    roots = np.array([find(i) for i in range(n)])
    _, relabel = np.unique(roots, return_inverse=True)
    return relabel[settlement]


def load_values(frame, load_field: str) -> np.ndarray:
    """The household values of ``frame`` (missing field → 0; else :func:`grid_plugin.core.inputs.numeric_values`:
    NULL → 0, text, negative or huge values refused)."""
    if load_field in frame.columns:
        return numeric_values(frame, load_field, "buildings")
    return np.zeros(len(frame))


def settlement_grid_types(
    households, n_buildings, *, urban_min_households: float, rural=None, mean_floors=None
) -> np.ndarray:
    """The grid type of each settlement: the one place where village versus residential is decided.

    A settlement of at least ``urban_min_households`` households is a town; one of apartment blocks, of
    more than 800 buildings or of housing above 3 floors on average (``mean_floors``;
    :func:`grid_plugin.core.classify.context.town_like`, shared with classify) is urban housing, and one that is
    not ``rural`` (its parent's 城乡分类代码 or its surroundings:
    :func:`grid_plugin.core.classify.context.RuralContext.is_rural`, the rule classify shares) is low-rise
    housing in a town: all are ``residential`` (partitioned at the household target). One without
    households (sheds, barns, offices) is ``mixed``; any other is a natural ``village`` (one grid, split
    above the village rule's maximum). ``rural`` None: every settlement is rural.

    Examples
    --------
    >>> settlement_grid_types(np.array([5000.0, 120.0, 0.0, 900.0]), np.array([900, 40, 3, 12]),
    ...                       urban_min_households=3000).tolist()
    ['residential', 'village', 'mixed', 'residential']
    """
    households = np.asarray(households, dtype=float)
    urban = (households >= urban_min_households) | town_like(households, n_buildings, mean_floors)
    if rural is not None:
        urban |= ~np.asarray(rural, dtype=bool)
    kinds = np.where(urban, "residential", "village").astype(object)
    kinds[(households <= 0) & (kinds == "village")] = "mixed"
    return kinds


def find_settlements(
    buildings, village_rule, *, load_field, distance_m, urban_min_households, target, tolerance, rural_of=None
):
    """Natural villages and towns among ``buildings`` (the buildings of one parent outside every site).

    ``rural_of`` (hulls of settlements → bool per settlement) says which settlements are rural; only
    those can be villages (None: all can).

    Returns
    -------
    dict
        ``settlement`` (label per building, 0..n-1), ``kinds`` (grid type per settlement, from
        :func:`settlement_grid_types`), ``households`` per settlement, ``frame`` (one row per settlement:
        hull of its buildings, households, hamlets and natural villages grouped) and ``natural`` (the
        settlement before small villages were grouped).
    """
    n = len(buildings)
    loads = load_values(buildings, load_field)
    settlement = np.zeros(n, dtype=np.int64)
    if village_rule is None or n == 0:
        households = np.array([loads.sum()]) if n else np.zeros(0)
        kinds = np.array(["residential"] * len(households), dtype=object)
        return {
            "settlement": settlement,
            "kinds": kinds,
            "households": households,
            "frame": None,
            "natural": settlement,
        }
    member = np.ones(n, dtype=bool)
    kinds_field = village_rule.match.get("building")
    if kinds_field and "building_type" in buildings.columns:
        member = buildings["building_type"].isin(kinds_field).to_numpy() | buildings["building_type"].isna().to_numpy()
    clusters = cluster_buildings(
        buildings.iloc[np.flatnonzero(member)],
        distance_m,
        load_field=load_field,
        min_buildings=int(village_rule.min_buildings or 0),
        min_households=float(village_rule.min_households or 0),
    )
    settlement[np.flatnonzero(member)] = clusters["village"].to_numpy()
    if (~member).any() and member.any():  # other buildings join the nearest settlement
        tree = shapely.STRtree(buildings.geometry.values[member])
        nearest = tree.query_nearest(buildings.geometry.values[~member], all_matches=False)[1]
        settlement[np.flatnonzero(~member)] = settlement[np.flatnonzero(member)][nearest]
    n_settlements = int(settlement.max()) + 1
    households = np.bincount(settlement, weights=loads, minlength=n_settlements)
    rural = None if rural_of is None else rural_of(_hulls(buildings.geometry.values, settlement, n_settlements))
    floors, footprint = _floors(buildings)
    is_town = (
        settlement_grid_types(
            households,
            np.bincount(settlement, minlength=n_settlements),
            urban_min_households=urban_min_households,
            rural=rural,
            mean_floors=_mean_floors(settlement, n_settlements, floors, footprint),
        )
        == "residential"
    )
    natural = settlement.copy()
    if village_rule.merge_distance_m:
        village_target = float(village_rule.target_load or target)
        settlement = merge_small_villages(
            buildings.geometry.values,
            settlement,
            households,
            is_town,
            distance_m=float(village_rule.merge_distance_m),
            small_load=village_target * (1 - float(village_rule.tolerance or tolerance)),
            max_load=float(village_rule.max_load or village_target * (1 + tolerance)),
        )
        n_settlements = int(settlement.max()) + 1
        households = np.bincount(settlement, weights=loads, minlength=n_settlements)
        if rural_of is not None:
            rural = rural_of(_hulls(buildings.geometry.values, settlement, n_settlements))
    counts = np.bincount(settlement, minlength=n_settlements)
    kinds = settlement_grid_types(
        households,
        counts,
        urban_min_households=urban_min_households,
        rural=rural,
        mean_floors=_mean_floors(settlement, n_settlements, floors, footprint),
    )
    frame = _settlement_frame(buildings, settlement, clusters, member, households, kinds)
    frame["n_villages"] = [len(set(natural[settlement == v].tolist())) for v in frame["village_id"]]
    return {"settlement": settlement, "kinds": kinds, "households": households, "frame": frame, "natural": natural}


def _floors(buildings):
    """Floors of every building (``levels``, else by its ``building`` tag, else the shared default) and its
    footprint area (1 for points), as classify reads them (:mod:`grid_plugin.core.prepare.floors`)."""
    levels = buildings["levels"] if "levels" in buildings.columns else None
    kinds = buildings["building"] if "building" in buildings.columns else None
    if levels is None and kinds is None:
        return None, None
    floors = building_floors(levels, kinds).to_numpy(dtype=float)
    return floors, np.maximum(shapely.area(buildings.geometry.values), 1.0)


def _mean_floors(settlement, n_settlements, floors, footprint):
    """Footprint-weighted mean floors per settlement (None when the buildings carry no floors)."""
    if floors is None:
        return None
    weight = np.bincount(settlement, weights=footprint, minlength=n_settlements)
    return np.bincount(settlement, weights=floors * footprint, minlength=n_settlements) / np.maximum(weight, 1e-9)


def _hulls(geoms, settlement, n_settlements) -> list:
    """The convex hull of each settlement's buildings."""
    # the hull of a collection needs no union of the footprints (which dominated the run time)
    return [shapely.convex_hull(shapely.geometrycollections(geoms[settlement == s])) for s in range(n_settlements)]


_SETTLEMENT_TYPES = {"residential": "town", "village": "village", "mixed": "no_households"}


def _settlement_frame(sub, settlement, clusters, member, households, kinds) -> gpd.GeoDataFrame:
    """One row per settlement: the hull of its buildings (hamlets left out), households, hamlets."""
    rows = []
    geoms = sub.geometry.values
    hamlet_flags = np.zeros(len(sub), dtype=bool)
    hamlet_flags[np.flatnonzero(member)] = clusters["is_hamlet"].to_numpy()
    raw = np.full(len(sub), -1)
    raw[np.flatnonzero(member)] = clusters["cluster"].to_numpy()
    for s in range(len(households)):
        sel = settlement == s
        if not sel.any():
            continue
        core = sel & ~hamlet_flags
        hull = shapely.convex_hull(shapely.geometrycollections(geoms[core if core.any() else sel]))
        rows.append(
            {
                "village_id": s,
                "settlement_type": _SETTLEMENT_TYPES[kinds[s]],
                "n_buildings": int(sel.sum()),
                "households": float(households[s]),
                "n_hamlets": int(len(set(raw[sel & hamlet_flags].tolist()) - {-1})),
                "geometry": hull,
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=sub.crs)
