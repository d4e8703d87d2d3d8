"""The difference principle (差异性原则): grids that fit the land — villages, specialised sites, open land.

A real subdistrict is not a uniform town. This module recognises, from a building layer, a land-use
layer and points of interest, the parts of an area that planners grid differently, and tiles the
area with typed grids:

* **specialised sites** (专属网格: campus, hospital, school, market, station, industrial park, large
  enterprise) above a size threshold become their own grid;
* **natural villages** are found by proximity (single-linkage clustering of building footprints
  closer than ``cluster_distance_m``), one village one grid, split above the maximum load, hamlets
  too small to stand alone merged into the nearest village;
* **land with no households** (farmland, forest, water, hills, wasteland, tidal flat) is attached to
  the village or residential grid it belongs to (``land_mode="attach"``) or grouped into area grids
  up to a maximum area (``land_mode="area"``), whichever is the local practice;
* the **remaining residential area** is partitioned at the household target with the partition
  engine (:func:`grid_plugin.core.partition.engine.partition`).

Everything is driven by an editable rule table (``grid_plugin/mappings/grid_rules.csv``), one row per
grid type: how it is recognised, its load rule and target, tolerance, maximum area.

Examples
--------
>>> rules = load_rules()
>>> rules.by_type("village").cluster_distance_m
80.0
>>> sorted(r.grid_type for r in rules.rules if r.role == "site")[:2]
['commercial', 'crowded']
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from ..errors import N_, InputError, Report
from ..paths import MAPPINGS_DIR

__all__ = [
    "DEFAULT_RULES_PATH",
    "ROLES",
    "LOAD_RULES",
    "LAND_MODES",
    "GridRule",
    "RuleTable",
    "load_rules",
    "cluster_buildings",
    "merge_small_villages",
    "detect_sites",
    "barrier_units",
    "classify_land",
    "DifferenceResult",
    "partition_by_type",
]

DEFAULT_RULES_PATH = MAPPINGS_DIR / "grid_rules.csv"
ROLES = ("residential", "village", "site", "land")
LOAD_RULES = ("households", "whole", "area")
LAND_MODES = ("attach", "area")
MATCH_KEYS = ("landuse", "poi", "building")
_NUMERIC = (
    "min_site_area_m2",
    "target_load",
    "tolerance",
    "max_load",
    "max_area_m2",
    "cluster_distance_m",
    "min_buildings",
    "min_households",
    "merge_distance_m",
    "priority",
)
_REQUIRED_COLUMNS = ("grid_type", "role", "match", "load_rule")
#: Land-use classes a POI never turns into a specialised site (the POI is a building inside them).
POI_CONTAINER_EXCLUDED = frozenset(
    {"residential", "commercial", "retail", "industrial", "construction", "village_green", "recreation_ground", "park"}
)


def _known_grid_types() -> tuple[str, ...]:
    from ..grid_types import GRID_TYPE_CODES

    return tuple(GRID_TYPE_CODES)


@dataclass(frozen=True)
class GridRule:
    """One row of the rule table: how a grid type is recognised and how its grids are loaded.

    Attributes
    ----------
    grid_type : str
        A code of :data:`grid_plugin.core.grid_types.GRID_TYPES`.
    role : str
        ``residential`` (the base partition), ``village`` (building clusters), ``site`` (specialised
        site from land use / POIs / buildings) or ``land`` (land with no households).
    match : dict
        ``{"landuse": {...}, "poi": {...}, "building": {...}}``: the tag values that recognise it.
    load_rule : str
        ``households`` (partition at ``target_load``), ``whole`` (one grid per site or village) or
        ``area`` (grids up to ``max_area_m2``).
    """

    grid_type: str
    role: str
    match: dict = field(default_factory=dict)
    min_site_area_m2: float = 0.0
    load_rule: str = "households"
    target_load: float | None = None
    tolerance: float | None = None
    max_load: float | None = None
    max_area_m2: float | None = None
    cluster_distance_m: float | None = None
    min_buildings: float | None = None
    min_households: float | None = None
    merge_distance_m: float | None = None
    priority: float = 100.0
    note: str = ""

    def matches(self, key: str, value) -> bool:
        """True when ``value`` of the layer ``key`` (landuse, poi, building) recognises this type."""
        values = self.match.get(key)
        return bool(values) and value is not None and str(value) in values


@dataclass
class RuleTable:
    """The rules of one run, in priority order."""

    rules: list[GridRule]
    source: str = ""

    def by_type(self, grid_type: str) -> GridRule | None:
        """The rule of ``grid_type`` or None."""
        for rule in self.rules:
            if rule.grid_type == grid_type:
                return rule
        return None

    def by_role(self, role: str) -> list[GridRule]:
        """The rules of one role, highest priority (lowest number) first."""
        return sorted((r for r in self.rules if r.role == role), key=lambda r: r.priority)

    def land_type_of(self, value) -> str | None:
        """The land grid type whose rule recognises the land-use value ``value``."""
        for rule in self.by_role("land"):
            if rule.matches("landuse", value):
                return rule.grid_type
        return None


def _parse_match(text: str, *, row: int, source: str) -> dict:
    match: dict[str, frozenset] = {}
    for part in (text or "").split(";"):
        part = part.strip()
        if not part:
            continue
        key, sep, values = part.partition("=")
        key = key.strip().lower()
        if not sep or key not in MATCH_KEYS:
            raise InputError(
                N_(
                    "Row {row} of the rule table {source} has the match '{part}'; write key=value|value "
                    "with key one of {keys}."
                ),
                row=row,
                source=source,
                part=part,
                keys=", ".join(MATCH_KEYS),
            )
        match[key] = frozenset(v.strip() for v in values.split("|") if v.strip())
    return match


def load_rules(path=None) -> RuleTable:
    """Read and check a rule table (CSV, UTF-8, one row per grid type).

    Parameters
    ----------
    path : str or Path, optional
        Default: the shipped ``grid_plugin/mappings/grid_rules.csv``.

    Raises
    ------
    InputError
        For a missing file or column, an unknown grid type or role, a repeated type, a number that
        is not a number, or a table without a residential row. The message names the row.
    """
    path = Path(path) if path else DEFAULT_RULES_PATH
    source = path.name
    if not path.exists():
        raise InputError(N_("The rule table {path} does not exist; choose an existing CSV file."), path=str(path))
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = [c.strip() for c in (reader.fieldnames or [])]
        missing = [c for c in _REQUIRED_COLUMNS if c not in columns]
        if missing:
            raise InputError(
                N_("The rule table {source} lacks the column(s) {missing}; start from the shipped grid_rules.csv."),
                source=source,
                missing=", ".join(missing),
            )
        rows = [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in reader]
    known = _known_grid_types()
    rules: list[GridRule] = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):
        code = row.get("grid_type", "")
        if not code or code.startswith("#"):
            continue
        if code not in known:
            raise InputError(
                N_("Row {row} of the rule table {source} has the unknown grid type '{code}'; use one of {known}."),
                row=number,
                source=source,
                code=code,
                known=", ".join(known),
            )
        if code in seen:
            raise InputError(
                N_("The rule table {source} has two rows for the grid type '{code}'; keep one row per type."),
                source=source,
                code=code,
            )
        seen.add(code)
        role = row.get("role", "")
        if role not in ROLES:
            raise InputError(
                N_("Row {row} of the rule table {source} has the unknown role '{role}'; use one of {roles}."),
                row=number,
                source=source,
                role=role,
                roles=", ".join(ROLES),
            )
        load_rule = row.get("load_rule", "") or "households"
        if load_rule not in LOAD_RULES:
            raise InputError(
                N_("Row {row} of the rule table {source} has the unknown load rule '{rule}'; use one of {rules}."),
                row=number,
                source=source,
                rule=load_rule,
                rules=", ".join(LOAD_RULES),
            )
        numbers = {}
        for column in _NUMERIC:
            text = row.get(column, "")
            if text == "":
                numbers[column] = None
                continue
            try:
                value = float(text)
            except ValueError:
                value = math.nan
            if not math.isfinite(value) or value < 0:
                raise InputError(
                    N_(
                        "Row {row} of the rule table {source}: {column} is '{value}', not a number of zero or "
                        "more; correct it or leave it empty."
                    ),
                    row=number,
                    source=source,
                    column=column,
                    value=text,
                )
            numbers[column] = value
        rules.append(
            GridRule(
                grid_type=code,
                role=role,
                match=_parse_match(row.get("match", ""), row=number, source=source),
                load_rule=load_rule,
                note=row.get("note", ""),
                min_site_area_m2=numbers["min_site_area_m2"] or 0.0,
                priority=numbers["priority"] if numbers["priority"] is not None else 100.0,
                **{k: numbers[k] for k in _NUMERIC if k not in ("min_site_area_m2", "priority")},
            )
        )
    if not any(r.role == "residential" for r in rules):
        raise InputError(
            N_("The rule table {source} has no row with the role 'residential'; add one (the base partition)."),
            source=source,
        )
    if sum(r.role == "village" for r in rules) > 1 or sum(r.role == "residential" for r in rules) > 1:
        raise InputError(
            N_("The rule table {source} may hold only one residential and one village row."),
            source=source,
        )
    return RuleTable(rules=sorted(rules, key=lambda r: r.priority), source=str(path))


# --------------------------------------------------------------------------------------------------
# Villages: single-linkage clustering of building footprints
# --------------------------------------------------------------------------------------------------


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
    loads = _load_values(buildings, load_field)
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


def _load_values(frame, load_field: str) -> np.ndarray:
    if load_field in frame.columns:
        return pd.to_numeric(frame[load_field], errors="coerce").fillna(0).to_numpy(dtype=float)
    return np.zeros(len(frame))


# --------------------------------------------------------------------------------------------------
# Specialised sites
# --------------------------------------------------------------------------------------------------


def detect_sites(
    area_geom,
    rules: RuleTable,
    *,
    landuse: gpd.GeoDataFrame | None = None,
    pois: gpd.GeoDataFrame | None = None,
    buildings: gpd.GeoDataFrame | None = None,
) -> gpd.GeoDataFrame:
    """Find specialised sites (专属网格) above their size threshold, snapped so no building is cut.

    A site is a land-use polygon whose ``landuse_class`` a site rule names, or the smallest land-use
    polygon or building that contains a POI (``poi_kind``) a site rule names, or a building whose
    ``building``/``building_type`` a rule names; it counts when its area inside the area is at least
    the rule's ``min_site_area_m2``. Overlaps go to the rule with the higher priority (lower number).
    Buildings mostly inside a site are added to it whole; buildings mostly outside are cut out of it.

    Returns
    -------
    GeoDataFrame
        ``grid_type``, ``name``, ``source`` (landuse/poi/building), ``area_m2``, geometry.
    """
    crs = None
    candidates = []
    site_rules = rules.by_role("site")
    if not site_rules:
        return gpd.GeoDataFrame({"grid_type": [], "name": [], "source": [], "area_m2": []}, geometry=[])
    if landuse is not None and len(landuse):
        crs = landuse.crs
        lu_class = landuse["landuse_class"].astype(object) if "landuse_class" in landuse.columns else None
        names = landuse["name"] if "name" in landuse.columns else pd.Series([None] * len(landuse), index=landuse.index)
        if lu_class is not None:
            for rule in site_rules:
                mask = lu_class.isin(rule.match.get("landuse", ())).to_numpy()
                for geom, name in zip(landuse.geometry.values[mask], names.to_numpy()[mask]):
                    candidates.append((rule, geom, name, "landuse"))
    if pois is not None and len(pois) and "poi_kind" in pois.columns:
        crs = crs or pois.crs
        containers = []
        if landuse is not None and len(landuse):
            # a POI marks the polygon it stands in only where that polygon is not itself a residential,
            # business or open-land area (a school POI inside a housing estate is not a campus)
            classes = (
                landuse["landuse_class"] if "landuse_class" in landuse.columns else pd.Series([None] * len(landuse))
            )
            blocked = classes.isin(POI_CONTAINER_EXCLUDED) | classes.map(lambda c: rules.land_type_of(c) is not None)
            containers.append(landuse.geometry.values[~blocked.to_numpy()])
        if buildings is not None and len(buildings):
            containers.append(buildings.geometry.values[shapely.get_type_id(buildings.geometry.values) >= 3])
        container_geoms = np.concatenate(containers) if containers else np.array([], dtype=object)
        container_tree = shapely.STRtree(container_geoms) if len(container_geoms) else None
        names = pois["name"] if "name" in pois.columns else pd.Series([None] * len(pois), index=pois.index)
        for rule in site_rules:
            kinds = rule.match.get("poi", ())
            mask = pois["poi_kind"].isin(kinds).to_numpy()
            for geom, name in zip(pois.geometry.values[mask], names.to_numpy()[mask]):
                if geom is None:
                    continue
                if shapely.get_type_id(geom) >= 3:  # a POI mapped as a polygon is its own site
                    candidates.append((rule, geom, name, "poi"))
                    continue
                if container_tree is None:
                    continue
                hits = container_tree.query(geom, predicate="within")
                if len(hits):
                    smallest = hits[np.argmin(shapely.area(container_geoms[hits]))]
                    candidates.append((rule, container_geoms[smallest], name, "poi"))
    if buildings is not None and len(buildings):
        crs = crs or buildings.crs
        for rule in site_rules:
            kinds = rule.match.get("building", ())
            if not kinds:
                continue
            mask = np.zeros(len(buildings), dtype=bool)
            for column in ("building", "building_type"):
                if column in buildings.columns:
                    mask |= buildings[column].isin(kinds).to_numpy()
            for geom in buildings.geometry.values[mask]:
                candidates.append((rule, geom, None, "building"))
    if not candidates:
        return gpd.GeoDataFrame({"grid_type": [], "name": [], "source": [], "area_m2": []}, geometry=[], crs=crs)
    rows = []
    building_points = (
        shapely.point_on_surface(buildings.geometry.values)
        if buildings is not None and len(buildings)
        else np.array([], dtype=object)
    )
    for rule, geom, name, source in candidates:
        clipped = shapely.intersection(shapely.make_valid(geom), area_geom)
        clipped = _polygonal(clipped)
        if clipped is None or clipped.area < max(rule.min_site_area_m2, 1.0):
            continue
        clipped = _fill_empty_holes(clipped, building_points)
        rows.append((rule.priority, rule.grid_type, clipped, name, source))
    rows.sort(key=lambda r: (r[0], -r[2].area))
    taken = None
    sites = []
    for _priority, code, geom, name, source in rows:
        if taken is not None:
            geom = _polygonal(shapely.difference(geom, taken))
            if geom is None:
                continue
        rule = rules.by_type(code)
        if geom.area < max(rule.min_site_area_m2, 1.0):
            continue
        sites.append(
            {"grid_type": code, "name": name if isinstance(name, str) else None, "source": source, "geometry": geom}
        )
        taken = geom if taken is None else shapely.union(taken, geom)
    frame = (
        gpd.GeoDataFrame(sites, geometry="geometry", crs=crs)
        if sites
        else gpd.GeoDataFrame({"grid_type": [], "name": [], "source": []}, geometry=[], crs=crs)
    )
    if len(frame) and buildings is not None and len(buildings):
        frame = _snap_sites_to_buildings(frame, buildings)
    frame["area_m2"] = shapely.area(frame.geometry.values) if len(frame) else []
    return frame.reset_index(drop=True)


def _fill_empty_holes(geom, points):
    """Fill the holes of a site that hold no building: a courtyard belongs to the campus around it."""
    polygons = shapely.get_parts(geom)
    filled = []
    for polygon in polygons:
        holes = [shapely.Polygon(ring) for ring in polygon.interiors]
        keep = []
        for ring, hole in zip(polygon.interiors, holes):
            if len(points) and shapely.contains(hole, points).any():
                keep.append(ring)
        filled.append(shapely.Polygon(polygon.exterior, keep))
    return _polygonal(shapely.union_all(filled)) if len(filled) > 1 else filled[0]


def _snap_sites_to_buildings(sites: gpd.GeoDataFrame, buildings: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Move site edges off building footprints: a building goes whole to the side holding most of it."""
    geoms = sites.geometry.values.copy()
    footprints = buildings.geometry.values
    polygonal = shapely.get_type_id(footprints) >= 3
    footprints = footprints[polygonal]
    if not len(footprints):
        return sites
    tree = shapely.STRtree(footprints)
    site_idx, building_idx = tree.query(geoms, predicate="intersects")
    if not len(site_idx):
        return sites
    inside = shapely.area(shapely.intersection(footprints[building_idx], geoms[site_idx]))
    total = shapely.area(footprints[building_idx])
    share = np.where(total > 0, inside / np.maximum(total, 1e-12), 0)
    for s in np.unique(site_idx):
        sel = site_idx == s
        add = footprints[building_idx[sel & (share > 0.5) & (share < 1 - 1e-9)]]
        cut = footprints[building_idx[sel & (share <= 0.5)]]
        geom = geoms[s]
        if len(add):
            geom = shapely.union_all(np.concatenate([[geom], add]))
        if len(cut):
            geom = shapely.difference(geom, shapely.union_all(cut))
        geoms[s] = _polygonal(geom)
    # a building added to one site may touch another: later sites give way to earlier ones
    for i in range(1, len(geoms)):
        if geoms[i] is not None:
            earlier = [g for g in geoms[:i] if g is not None]
            if earlier:
                geoms[i] = _polygonal(shapely.difference(geoms[i], shapely.union_all(earlier)))
    out = sites.copy()
    out.geometry = gpd.GeoSeries(geoms, index=sites.index, crs=sites.crs)
    return out[~out.geometry.isna()]


def _polygonal(geom):
    """The polygonal part of ``geom`` (None when empty)."""
    if geom is None or shapely.is_empty(geom):
        return None
    if shapely.get_type_id(geom) in (3, 6):
        return geom
    parts = shapely.get_parts(geom)
    parts = parts[shapely.get_type_id(parts) >= 3]
    flat = []
    for part in parts:
        flat.extend(shapely.get_parts(part) if shapely.get_type_id(part) != 3 else [part])
    flat = [p for p in flat if shapely.get_type_id(p) == 3 and not shapely.is_empty(p)]
    if not flat:
        return None
    return shapely.multipolygons(flat) if len(flat) > 1 else flat[0]


# --------------------------------------------------------------------------------------------------
# Barrier units and land classes
# --------------------------------------------------------------------------------------------------


def barrier_units(region, barriers=None) -> np.ndarray:
    """Polygonise ``region`` with barrier lines: the atomic units whose edges follow roads and rivers.

    Returns an array of polygons that tile ``region`` exactly (its boundary and the noded barrier
    lines inside it are the only edges).
    """
    lines = [shapely.boundary(region)]
    if barriers is not None and len(barriers):
        geoms = np.asarray(barriers.geometry.values if hasattr(barriers, "geometry") else barriers, dtype=object)
        tree = shapely.STRtree(geoms)
        hits = tree.query(region, predicate="intersects")
        if len(hits):
            clipped = shapely.intersection(geoms[hits], region)
            clipped = clipped[~shapely.is_empty(clipped)]
            lines.extend(clipped.tolist())
    noded = shapely.union_all(np.asarray(lines, dtype=object))
    cells = shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))
    if not len(cells):
        return np.array([region], dtype=object)
    points = shapely.point_on_surface(cells)
    shapely.prepare(region)
    keep = shapely.contains(region, points) & (shapely.area(cells) > 0)
    cells = cells[keep]
    # polygonize nests cells inside holes: keep the unit minus anything it encloses
    return cells


def classify_land(units, rules: RuleTable, landuse: gpd.GeoDataFrame | None, water=None) -> np.ndarray:
    """The land grid type of each unit (the land rule covering most of it), None where none applies."""
    result = np.full(len(units), None, dtype=object)
    if not len(units):
        return result
    layers = []
    if landuse is not None and len(landuse) and "landuse_class" in landuse.columns:
        types = landuse["landuse_class"].map(rules.land_type_of)
        layers.append((landuse.geometry.values[types.notna().to_numpy()], types.dropna().to_numpy()))
    if water is not None and len(water) and rules.by_type("water") is not None:
        layers.append((water.geometry.values, np.full(len(water), "water", dtype=object)))
    if not layers:
        return result
    geoms = np.concatenate([g for g, _ in layers])
    codes = np.concatenate([c for _, c in layers])
    valid = ~shapely.is_empty(geoms) & (shapely.get_type_id(geoms) >= 3)
    geoms, codes = shapely.make_valid(geoms[valid]), codes[valid]
    if not len(geoms):
        return result
    tree = shapely.STRtree(geoms)
    unit_idx, land_idx = tree.query(units, predicate="intersects")
    if not len(unit_idx):
        return result
    overlap = shapely.area(shapely.intersection(units[unit_idx], geoms[land_idx]))
    frame = pd.DataFrame({"unit": unit_idx, "code": codes[land_idx], "a": overlap})
    sums = frame.groupby(["unit", "code"], sort=True)["a"].sum().reset_index()
    best = sums.sort_values(["unit", "a"], ascending=[True, False]).drop_duplicates("unit")
    unit_area = shapely.area(units[best["unit"].to_numpy()])
    # a unit is land when that land type covers at least half of it
    ok = best["a"].to_numpy() >= 0.5 * unit_area
    result[best["unit"].to_numpy()[ok]] = best["code"].to_numpy()[ok]
    return result


# --------------------------------------------------------------------------------------------------
# The whole difference-principle partition
# --------------------------------------------------------------------------------------------------


@dataclass
class DifferenceResult:
    """Result of :func:`partition_by_type`.

    Attributes
    ----------
    grids : GeoDataFrame
        One row per grid: ``grid_id``, ``grid_code``, ``parent_code``, ``grid_type``, ``load``,
        ``n_buildings``, ``area_m2``, ``deviation_pct`` (household grids only), ``village_id``,
        ``site_name``, ``flag``, ``flag_reason``.
    villages : GeoDataFrame
        One row per natural village (hull of its buildings): ``village_id``, ``n_buildings``,
        ``households``, ``n_hamlets``.
    sites : GeoDataFrame
        The specialised sites found.
    building_grid : ndarray
        ``grid_id`` per input building (-1 outside the area).
    warnings : list
    building_village : ndarray
        ``village_id`` per input building (-1: not in a natural village: town, site, outside).
    """

    grids: gpd.GeoDataFrame
    villages: gpd.GeoDataFrame
    sites: gpd.GeoDataFrame
    building_grid: np.ndarray
    warnings: list
    building_village: np.ndarray | None = None


def partition_by_type(
    area: gpd.GeoDataFrame,
    buildings: gpd.GeoDataFrame,
    barriers: gpd.GeoDataFrame | None = None,
    *,
    landuse: gpd.GeoDataFrame | None = None,
    pois: gpd.GeoDataFrame | None = None,
    water: gpd.GeoDataFrame | None = None,
    rules: RuleTable | str | Path | None = None,
    load_field: str = "households",
    parent_code_field: str | None = None,
    target_load: float | None = None,
    tolerance: float | None = None,
    village_distance_m: float | None = None,
    urban_min_households: float = 3000,
    land_mode: str = "attach",
    land_max_area_m2: float | None = None,
    seed: int = 0,
    code_prefix: str | tuple | None = None,
    locked: gpd.GeoDataFrame | None = None,
    locked_code_field: str = "grid_code",
    partition_fn=None,
    report: Report | None = None,
) -> DifferenceResult:
    """Tile ``area`` with typed grids following the difference principle.

    Order of work, in each parent polygon of ``area``: specialised sites are carved first; the rest is
    cut into barrier units (polygonised roads, rivers, railways); buildings are clustered into natural
    villages; each unit goes to the village or town whose buildings it holds (units without buildings
    go to the nearest settlement, or become land grids when ``land_mode="area"``); a town (a cluster
    above ``urban_min_households``) is partitioned at the residential target, a village above its
    ``max_load`` is split at the village target, and land grids above ``max_area_m2`` are split.

    Parameters
    ----------
    area, buildings, barriers : GeoDataFrame
        In one metric CRS. ``buildings`` carries ``load_field`` and optionally ``building_type``.
    landuse, pois, water : GeoDataFrame, optional
        Prepared layers (``landuse_class``, ``poi_kind``, ``name``).
    rules : RuleTable or path, optional
        Default: the shipped rule table.
    target_load, tolerance : float, optional
        Override the residential row's target and tolerance.
    village_distance_m : float, optional
        Override the village row's ``cluster_distance_m``.
    land_mode : {"attach", "area"}
        Attach open land to its settlement, or group it into area grids (``land_max_area_m2``
        overrides the land rows' ``max_area_m2``).
    parent_code_field, code_prefix : str, optional
        The parent codes of ``area`` and the county + township [+ community] codes that complete them;
        grids are coded parent (12 digits) + serial by :mod:`grid_plugin.core.partition.coding`.
    locked : GeoDataFrame, optional
        Grids kept exactly (e.g. locked grids of an existing plan); the rest is partitioned around them.
        They must not overlap. Their ``grid_type`` and ``locked_code_field`` are kept when present.
    partition_fn : callable, optional
        The household partition (default :func:`grid_plugin.core.partition.engine.partition`).
    """
    report = report or Report()
    if not isinstance(rules, RuleTable):
        rules = load_rules(rules)
    if land_mode not in LAND_MODES:
        raise InputError(
            N_("The land mode '{mode}' is unknown; use one of {modes}."), mode=land_mode, modes=", ".join(LAND_MODES)
        )
    _check_inputs(area, buildings)
    if partition_fn is None:
        from ..partition.engine import partition as partition_fn
    residential = rules.by_role("residential")[0]
    village_rule = (rules.by_role("village") or [None])[0]
    target = float(target_load or residential.target_load or 400)
    tol = float(tolerance if tolerance is not None else (residential.tolerance or 0.2))
    loads = _load_values(buildings, load_field)
    building_points = shapely.point_on_surface(buildings.geometry.values)
    building_grid = np.full(len(buildings), -1, dtype=np.int64)
    building_village = np.full(len(buildings), -1, dtype=np.int64)
    village_offset = 0
    pieces: list[dict] = []
    all_sites, all_villages = [], []
    area = _with_parent_codes(area.reset_index(drop=True), parent_code_field, code_prefix, report)
    if locked is not None and len(locked):
        from ..partition.regrid import check_locked_overlaps

        check_locked_overlaps(locked, locked_code_field if locked_code_field in locked.columns else None)
        locked = locked.reset_index(drop=True)
        locked_union = shapely.union_all(shapely.make_valid(locked.geometry.values))
        area = area.copy()
        area["geometry"] = [
            _polygonal(shapely.difference(shapely.make_valid(g), locked_union)) for g in area.geometry.values
        ]
        area = area[area.geometry.notna()].reset_index(drop=True)
        report.info(
            N_("{n} locked grids are kept exactly; the rest of the area is partitioned around them."), n=len(locked)
        )
    n_parents = len(area)
    for parent_idx in range(n_parents):
        report.check_cancelled()
        first_piece = len(pieces)
        parent_geom = shapely.make_valid(area.geometry.values[parent_idx])
        parent_code = area["_parent12"].iloc[parent_idx]
        shapely.prepare(parent_geom)
        in_parent = shapely.contains(parent_geom, building_points)
        b_idx = np.flatnonzero(in_parent & (building_grid < 0))
        parent_buildings = buildings.iloc[b_idx]
        # 1 specialised sites
        sites = detect_sites(parent_geom, rules, landuse=landuse, pois=pois, buildings=parent_buildings)
        for site in sites.itertuples():
            pieces.append(
                {"geometry": site.geometry, "grid_type": site.grid_type, "site_name": site.name, "kind": "site"}
            )
        all_sites.append(sites)
        rest = parent_geom
        if len(sites):
            rest = _polygonal(shapely.difference(parent_geom, shapely.union_all(sites.geometry.values)))
        if rest is None:
            for piece in pieces[first_piece:]:
                piece["parent_code"] = parent_code
            continue
        shapely.prepare(rest)
        rest_b = b_idx[shapely.contains(rest, building_points[b_idx])]
        # 2 villages and towns
        settlement = np.full(len(rest_b), -1, dtype=np.int64)
        is_town = np.zeros(0, dtype=bool)
        village_frame = None
        if len(rest_b):
            sub = buildings.iloc[rest_b]
            if village_rule is not None:
                member = np.ones(len(sub), dtype=bool)
                kinds = village_rule.match.get("building")
                if kinds and "building_type" in sub.columns:
                    member = sub["building_type"].isin(kinds).to_numpy() | sub["building_type"].isna().to_numpy()
                distance = float(village_distance_m or village_rule.cluster_distance_m or 80)
                clusters = cluster_buildings(
                    sub.iloc[np.flatnonzero(member)],
                    distance,
                    load_field=load_field,
                    min_buildings=int(village_rule.min_buildings or 0),
                    min_households=float(village_rule.min_households or 0),
                )
                settlement[np.flatnonzero(member)] = clusters["village"].to_numpy()
                if (~member).any() and member.any():  # other buildings join the nearest settlement
                    tree = shapely.STRtree(sub.geometry.values[member])
                    nearest = tree.query_nearest(sub.geometry.values[~member], all_matches=False)[1]
                    settlement[np.flatnonzero(~member)] = settlement[np.flatnonzero(member)][nearest]
                elif not member.any():
                    settlement[:] = 0
                n_settlements = int(settlement.max()) + 1
                hh = np.bincount(settlement, weights=loads[rest_b], minlength=n_settlements)
                is_town = hh >= urban_min_households
                natural = settlement.copy()
                if village_rule.merge_distance_m:
                    settlement = merge_small_villages(
                        sub.geometry.values,
                        settlement,
                        hh,
                        is_town,
                        distance_m=float(village_rule.merge_distance_m),
                        small_load=float(village_rule.target_load or target)
                        * (1 - float(village_rule.tolerance or tol)),
                        max_load=float(village_rule.max_load or (village_rule.target_load or target) * (1 + tol)),
                    )
                    n_settlements = int(settlement.max()) + 1
                    hh = np.bincount(settlement, weights=loads[rest_b], minlength=n_settlements)
                    is_town = hh >= urban_min_households
                village_frame = _village_frame(sub, settlement, clusters, member, hh, is_town, buildings.crs)
                village_frame["n_villages"] = [
                    len(set(natural[settlement == v].tolist())) for v in village_frame["village_id"]
                ]
                village_frame["village_id"] += village_offset
                is_village = (settlement >= 0) & ~is_town[np.maximum(settlement, 0)]
                building_village[rest_b[is_village]] = settlement[is_village] + village_offset
                all_villages.append(village_frame)
            else:
                settlement[:] = 0
                is_town = np.array([True])
        # 3 territories from barrier units
        territories = _territories(
            rest, barriers, building_points[rest_b], settlement, rules, landuse, water, land_mode
        )
        report.progress(10 + 40 * (parent_idx + 1) / n_parents)
        for key, geom in territories:
            if key[0] == "land":
                pieces.append({"geometry": geom, "grid_type": key[1], "kind": "land"})
            else:
                s = key[1]
                town = s < 0 or is_town[s]
                # a cluster without households (sheds, barns, offices) is no village: a mixed grid
                empty = (
                    not town and village_frame is not None and _settlement_load(village_frame, s + village_offset) <= 0
                )
                pieces.append(
                    {
                        "geometry": geom,
                        "grid_type": "residential" if town else ("mixed" if empty else "village"),
                        "village_id": None if (s < 0 or is_town[s]) else int(s) + village_offset,
                        "kind": "settlement",
                    }
                )
        for piece in pieces[first_piece:]:
            piece["parent_code"] = parent_code
        if len(is_town):
            village_offset += len(is_town)
    report.progress(55)
    grids = _finish_pieces(
        pieces,
        buildings,
        building_points,
        loads,
        barriers,
        rules,
        target=target,
        tolerance=tol,
        land_max_area_m2=land_max_area_m2,
        load_field=load_field,
        seed=seed,
        partition_fn=partition_fn,
        crs=area.crs,
        report=report,
    )
    # building → grid
    tree = shapely.STRtree(grids.geometry.values)
    pts, gi = tree.query(building_points, predicate="within")
    building_grid[pts] = grids["grid_id"].to_numpy()[gi]
    grids = _code(grids, report)
    grids["locked"] = False
    if locked is not None and len(locked):
        grids, building_grid = _append_locked(grids, locked, locked_code_field, building_points, loads, building_grid)
    sites = pd.concat(all_sites, ignore_index=True) if all_sites else gpd.GeoDataFrame(geometry=[], crs=area.crs)
    villages = (
        pd.concat([v for v in all_villages if v is not None], ignore_index=True)
        if any(v is not None for v in all_villages)
        else gpd.GeoDataFrame({"village_id": []}, geometry=[], crs=area.crs)
    )
    outside = int((building_grid < 0).sum())
    if outside:
        report.warn(N_("{n} buildings lie outside the area and belong to no grid."), n=outside)
    report.progress(100)
    return DifferenceResult(
        grids=grids,
        villages=gpd.GeoDataFrame(villages, geometry="geometry", crs=area.crs),
        sites=gpd.GeoDataFrame(sites, geometry="geometry", crs=area.crs),
        building_grid=building_grid,
        building_village=building_village,
        warnings=list(report.warnings),
    )


def _append_locked(grids, locked, code_field, building_points, loads, building_grid):
    """Add the locked grids unchanged; new grids whose code collides get a serial above every locked one."""
    from ..partition.regrid import highest_serials, next_serial_code

    kept = locked.copy()
    if code_field in kept.columns and code_field != "grid_code":
        kept = kept.rename(columns={code_field: "grid_code"})
    if "grid_code" not in kept.columns:
        kept["grid_code"] = [f"L{i + 1:03d}" for i in range(len(kept))]
    kept["grid_code"] = kept["grid_code"].astype(str)
    if "grid_type" not in kept.columns:
        kept["grid_type"] = "unknown"
    kept["locked"] = True
    geoms = kept.geometry.values
    b_idx, g_idx = shapely.STRtree(geoms).query(building_points, predicate="within")
    kept["load"] = np.bincount(g_idx, weights=loads[b_idx], minlength=len(kept))
    kept["n_buildings"] = np.bincount(g_idx, minlength=len(kept))
    kept["area_m2"] = shapely.area(geoms)
    start = int(grids["grid_id"].max()) + 1 if len(grids) else 0
    kept["grid_id"] = np.arange(start, start + len(kept))
    building_grid = building_grid.copy()
    building_grid[b_idx] = kept["grid_id"].to_numpy()[g_idx]
    taken = set(kept["grid_code"])
    highest = highest_serials(list(taken) + grids["grid_code"].astype(str).tolist())
    fixed = []
    for code in grids["grid_code"].astype(str):
        if code in taken:
            code = next_serial_code(code, highest)
        taken.add(code)
        fixed.append(code)
    grids = grids.assign(grid_code=fixed)
    columns = list(grids.columns)
    kept = kept[[c for c in kept.columns if c in columns or c == "geometry"]]
    merged = pd.concat([grids, kept], ignore_index=True)
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=grids.crs), building_grid


def _check_inputs(area, buildings) -> None:
    if area is None or not len(area):
        raise InputError(N_("The area layer is empty; choose a polygon layer with at least one feature."))
    if area.crs is not None and area.crs.is_geographic:
        raise InputError(
            N_(
                "The area layer is in a geographic CRS ({crs}); grids are measured in metres. Reproject it to a "
                "projected CRS (e.g. CGCS2000 / Gauss-Kruger, EPSG:4534–4554)."
            ),
            crs=area.crs.to_string(),
        )
    if buildings is not None and buildings.crs is not None and area.crs is not None and buildings.crs != area.crs:
        raise InputError(
            N_("The buildings ({b}) and the area ({a}) are in different CRSs; reproject them to one CRS."),
            b=buildings.crs.to_string(),
            a=area.crs.to_string(),
        )


def _village_frame(sub, settlement, clusters, member, households, is_town, crs) -> gpd.GeoDataFrame:
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
        hull = shapely.convex_hull(shapely.union_all(geoms[core if core.any() else sel]))
        rows.append(
            {
                "village_id": s,
                "settlement_type": "town" if is_town[s] else ("village" if households[s] > 0 else "no_households"),
                "n_buildings": int(sel.sum()),
                "households": float(households[s]),
                "n_hamlets": int(len(set(raw[sel & hamlet_flags].tolist()) - {-1})),
                "geometry": hull,
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=crs)


def _territories(rest, barriers, points, settlement, rules, landuse, water, land_mode):
    """Split ``rest`` into (key, polygon) territories: ("s", settlement) or ("land", grid_type)."""
    units = barrier_units(rest, barriers)
    n_units = len(units)
    tree = shapely.STRtree(units)
    if len(points):
        p_idx, u_idx = tree.query(points, predicate="within")
        unit_of_point = np.full(len(points), -1)
        unit_of_point[p_idx] = u_idx
    else:
        unit_of_point = np.zeros(0, dtype=np.int64)
    # unit → settlements present
    has = pd.DataFrame({"u": unit_of_point, "s": settlement})
    has = has[has.u >= 0]
    per_unit = has.groupby("u")["s"].agg(lambda s: sorted(set(s)))
    n_settlements = int(settlement.max()) + 1 if len(settlement) else 0
    land = classify_land(units, rules, landuse, water) if land_mode == "area" else np.full(n_units, None)
    # Voronoi of settlement buildings decides empty and shared units
    voronoi = _settlement_voronoi(rest, points, settlement) if n_settlements > 1 else None
    owner_pieces: list[tuple[tuple, object]] = []
    for u in range(n_units):
        unit = units[u]
        present = per_unit.get(u)
        if present is not None and len(present) == 1:
            owner_pieces.append((("s", present[0]), unit))
        elif present is None and land[u] is not None:
            owner_pieces.append((("land", land[u]), unit))
        elif n_settlements == 0:
            owner_pieces.append((("land", land[u] or _default_land(rules)), unit))
        elif n_settlements == 1:
            owner_pieces.append((("s", 0), unit))
        elif present is None:
            overlap = shapely.area(shapely.intersection(unit, voronoi))
            owner_pieces.append((("s", int(np.argmax(overlap))), unit))
        else:
            for s in present:
                piece = _polygonal(shapely.intersection(unit, voronoi[s]))
                if piece is not None:
                    owner_pieces.append((("s", s), piece))
            others = _polygonal(shapely.difference(unit, shapely.union_all(voronoi[present])))
            if others is not None:  # part of the unit nearer a settlement with no building in it
                owner_pieces.append((("s", present[0]), others))
    return _dissolve_contiguous(owner_pieces, points)


def _settlement_load(village_frame, settlement) -> float:
    rows = village_frame.loc[village_frame["village_id"] == settlement, "households"]
    return float(rows.iloc[0]) if len(rows) else 0.0


def _default_land(rules) -> str:
    land = rules.by_role("land")
    return land[0].grid_type if land else "unknown"


def _settlement_voronoi(region, points, settlement):
    """Polygons (one per settlement) of the region nearer to that settlement's buildings than any other."""
    coords = shapely.get_coordinates(points)
    frame = pd.DataFrame({"x": np.round(coords[:, 0], 2), "y": np.round(coords[:, 1], 2), "s": settlement})
    frame = frame.drop_duplicates(["x", "y"])
    n_settlements = int(settlement.max()) + 1
    if len(frame) < 3:
        return np.array([region] * n_settlements, dtype=object)
    multipoint = shapely.multipoints(frame[["x", "y"]].to_numpy())
    envelope = shapely.buffer(shapely.envelope(region), 100.0)
    cells = shapely.get_parts(shapely.voronoi_polygons(multipoint, extend_to=envelope))
    # each cell holds its generating point; match them spatially (``ordered=True`` needs GEOS 3.12,
    # and QGIS may bring an older GEOS)
    generators = shapely.points(frame[["x", "y"]].to_numpy())
    cell_idx, point_idx = shapely.STRtree(generators).query(cells, predicate="intersects")
    first = pd.DataFrame({"cell": cell_idx, "point": point_idx}).drop_duplicates("cell")
    cell_label = np.full(len(cells), -1)
    cell_label[first["cell"].to_numpy()] = frame["s"].to_numpy()[first["point"].to_numpy()]
    labels = cell_label
    out = np.empty(n_settlements, dtype=object)
    for s in range(n_settlements):
        sel = labels == s
        out[s] = shapely.coverage_union_all(cells[sel]) if sel.any() else shapely.Polygon()
    return shapely.make_valid(out)


def _dissolve_contiguous(owner_pieces, points=None):
    """Union pieces per owner; give detached fragments without buildings to the neighbour they touch most."""
    frame = gpd.GeoDataFrame({"key": [k for k, _ in owner_pieces]}, geometry=[g for _, g in owner_pieces])
    if not len(frame):
        return []
    frame["k"] = frame["key"].map(repr)
    keys = dict(zip(frame["k"], frame["key"]))
    dissolved = []
    for k, group in frame.groupby("k", sort=True):
        geom = shapely.union_all(group.geometry.values)
        dissolved.append((keys[k], geom))
    # detached fragments: keep each owner's largest part, move the other parts to the best neighbour
    parts_rows = []
    for owner, geom in dissolved:
        parts = shapely.get_parts(geom)
        parts = parts[shapely.get_type_id(parts) == 3]
        if not len(parts):
            continue
        main = int(np.argmax(shapely.area(parts)))
        for i, part in enumerate(parts):
            parts_rows.append({"owner": repr(owner), "key": owner, "main": i == main, "geometry": part})
    parts = gpd.GeoDataFrame(parts_rows, geometry="geometry")
    stray = parts.index[~parts["main"]].to_numpy()
    holds_buildings = np.zeros(len(parts), dtype=bool)
    if points is not None and len(points) and len(stray):
        hit = shapely.STRtree(parts.geometry.values).query(points, predicate="intersects")[1]
        holds_buildings[np.unique(hit)] = True
    if len(stray):
        tree = shapely.STRtree(parts.geometry.values)
        for i in stray:
            # only land/empty fragments move; settlement fragments stay with their buildings' owner
            if parts.at[i, "key"][0] == "s" and holds_buildings[i]:
                continue
            geom = parts.geometry.values[i]
            hits = tree.query(geom, predicate="intersects")
            best, best_len = None, 0.0
            for j in hits:
                if j == i or parts.at[j, "owner"] == parts.at[i, "owner"]:
                    continue
                shared = shapely.length(shapely.intersection(shapely.boundary(geom), parts.geometry.values[j]))
                if shared > best_len:
                    best, best_len = j, shared
            if best is not None:
                parts.at[i, "owner"] = parts.at[best, "owner"]
                parts.at[i, "key"] = parts.at[best, "key"]
    out = []
    for _owner, group in parts.groupby("owner", sort=True):
        out.append((group["key"].iloc[0], shapely.union_all(group.geometry.values)))
    return out


def _finish_pieces(
    pieces,
    buildings,
    building_points,
    loads,
    barriers,
    rules,
    *,
    target,
    tolerance,
    land_max_area_m2,
    load_field,
    seed,
    partition_fn,
    crs,
    report,
) -> gpd.GeoDataFrame:
    """Turn typed territories into grids: split towns, big villages, big land and big sites."""
    rows = []
    tree = shapely.STRtree(building_points)
    for n, piece in enumerate(pieces):
        report.check_cancelled()
        geom = piece["geometry"]
        code = piece["grid_type"]
        rule = rules.by_type(code)
        inside = tree.query(geom, predicate="contains")
        load = float(loads[inside].sum())
        base = {
            "grid_type": code,
            "parent_code": piece.get("parent_code"),
            "village_id": piece.get("village_id"),
            "site_name": piece.get("site_name"),
        }
        split_target = None
        if piece["kind"] == "settlement" and code == "residential":
            split_target = target
            split_tol = tolerance
        elif piece["kind"] == "settlement" and code == "village" and rule is not None:
            if rule.max_load and load > rule.max_load:
                split_target = float(rule.target_load or target)
                split_tol = float(rule.tolerance if rule.tolerance is not None else tolerance)
        if split_target is not None and load > (1 + split_tol) * split_target and len(inside):
            sub_area = gpd.GeoDataFrame({"part": [0]}, geometry=[geom], crs=crs)
            sub_buildings = buildings.iloc[inside]
            result = partition_fn(
                sub_area,
                sub_buildings,
                barriers,
                load_field=load_field,
                target_load=split_target,
                tolerance=split_tol,
                seed=seed,
            )
            for grid in _merge_empty_islands(result.grids).itertuples():
                rows.append(
                    {
                        **base,
                        "geometry": grid.geometry,
                        "target": split_target,
                        "flag": getattr(grid, "flag", None),
                        "flag_reason": getattr(grid, "flag_reason", None),
                    }
                )
            continue
        max_area = None
        if piece["kind"] == "land":
            max_area = land_max_area_m2 or (rule.max_area_m2 if rule else None)
        elif piece["kind"] == "site" and rule is not None:
            max_area = rule.max_area_m2
        if max_area and shapely.area(geom) > 1.5 * max_area:
            for part in _split_by_area(geom, barriers, max_area, seed=seed):
                rows.append({**base, "geometry": part, "target": split_target})
            continue
        rows.append({**base, "geometry": geom, "target": split_target if piece["kind"] == "settlement" else None})
        if n % 20 == 0:
            report.progress(55 + 35 * n / max(len(pieces), 1))
    grids = gpd.GeoDataFrame(rows, geometry="geometry", crs=crs)
    grids["geometry"] = shapely.make_valid(grids.geometry.values)
    grids = grids[~grids.geometry.is_empty].reset_index(drop=True)
    geoms = grids.geometry.values
    b_idx, g_idx = shapely.STRtree(geoms).query(building_points, predicate="within")
    grids["load"] = np.bincount(g_idx, weights=loads[b_idx], minlength=len(grids))
    grids["n_buildings"] = np.bincount(g_idx, minlength=len(grids))
    grids["area_m2"] = shapely.area(geoms)
    target_col = pd.to_numeric(grids["target"], errors="coerce")
    grids["target_load"] = target_col
    grids["deviation_pct"] = 100.0 * (grids["load"] - target_col) / target_col
    perimeter = shapely.length(geoms)
    grids["polsby_popper"] = np.where(perimeter > 0, 4 * np.pi * grids["area_m2"] / np.maximum(perimeter, 1e-9) ** 2, 0)
    if "flag" not in grids.columns:
        grids["flag"] = None
        grids["flag_reason"] = None
    grids = grids.drop(columns=["target"])
    # west→east, north→south order for ids
    c = shapely.centroid(geoms)
    grids = grids.assign(_x=shapely.get_x(c), _y=-shapely.get_y(c)).sort_values(
        ["parent_code", "_y", "_x"], na_position="first"
    )
    grids = grids.drop(columns=["_x", "_y"]).reset_index(drop=True)
    grids.insert(0, "grid_id", np.arange(len(grids), dtype=np.int64))
    from ..grid_types import label

    grids["grid_type_zh"] = grids["grid_type"].map(lambda c: label(c, lang="zh"))
    return grids


def _merge_empty_islands(grids: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Merge grids without load into the sibling they share the longest edge with (inside one territory).

    The partition engine keeps a pocket of a territory without buildings as its own flagged grid; inside
    a village or town territory such a pocket simply belongs to its neighbour.
    """
    grids = grids.reset_index(drop=True)
    loads = pd.to_numeric(grids.get("load", pd.Series(np.ones(len(grids)))), errors="coerce").fillna(0).to_numpy()
    empty = np.flatnonzero(loads <= 0)
    if not len(empty) or len(empty) == len(grids):
        return grids
    geoms = np.asarray(grids.geometry.values, dtype=object).copy()
    alive = np.ones(len(grids), dtype=bool)
    for i in empty:
        shared = shapely.length(shapely.intersection(shapely.boundary(geoms[i]), geoms))
        shared[i] = 0
        shared[~alive] = 0
        shared[empty] = 0
        j = int(np.argmax(shared))
        if shared[j] <= 0:
            continue
        geoms[j] = shapely.union(geoms[j], geoms[i])
        alive[i] = False
    out = grids.copy()
    out["geometry"] = geoms
    return out[alive].reset_index(drop=True)


def _split_by_area(geom, barriers, max_area_m2: float, *, seed: int = 0) -> list:
    """Split a building-free polygon into contiguous pieces of about ``max_area_m2`` along barrier units."""
    units = barrier_units(geom, barriers)
    n_parts = max(1, math.ceil(shapely.area(geom) / max_area_m2))
    if len(units) < 2 or n_parts < 2:
        return [geom]
    n_parts = min(n_parts, len(units))
    from ..partition.regrid import graph_partitioner

    partition_graph = graph_partitioner()

    adjacency = _unit_adjacency(units)
    labels = np.asarray(partition_graph(adjacency, shapely.area(units), n_parts, tolerance=0.5, seed=seed))
    return [shapely.union_all(units[labels == k]) for k in np.unique(labels)]


def _unit_adjacency(units) -> sparse.csr_matrix:
    """Sparse adjacency of polygons that share an edge (weights = shared length)."""
    tree = shapely.STRtree(units)
    left, right = tree.query(units, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    shared = shapely.length(shapely.intersection(shapely.boundary(units[left]), shapely.boundary(units[right])))
    keep = shared > 1e-6
    left, right, shared = left[keep], right[keep], shared[keep]
    n = len(units)
    matrix = sparse.coo_matrix((shared, (left, right)), shape=(n, n))
    return (matrix + matrix.T).tocsr()


def _with_parent_codes(area, parent_code_field, code_prefix, report):
    """A copy of ``area`` with ``_parent12``: each feature's checked 12-digit parent code (:mod:`..partition.coding`)."""
    from ..partition.coding import parent_prefixes, split_prefix

    county, township, community = split_prefix(code_prefix)
    if parent_code_field and parent_code_field not in area.columns:
        raise InputError(
            N_("The area layer has no field {field}; choose the field that holds the parent code."),
            field=parent_code_field,
        )
    area = area.copy()
    area["_parent12"] = (
        parent_prefixes(area[parent_code_field].tolist(), county, township, community, report=report)
        if parent_code_field
        else [county + township + community] * len(area)
    )
    return area


def _code(grids, report):
    """Code every grid with the shared coding module: its 12-digit ``parent_code`` + serial in reading order."""
    from ..partition.coding import assign_codes

    coded = assign_codes(grids, parent_code_field="parent_code", report=report)
    return coded.drop(columns=[c for c in ("serial",) if c in coded.columns])
