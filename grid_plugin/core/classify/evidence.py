"""The evidence per grid the classifier decides on: land use, land cover, buildings, POIs, context.

Each function measures one source for every grid at once and fills its part of :class:`Evidence`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..errors import N_, InputError
from ..grid_types import GRID_TYPE_CODES
from ..prepare.floors import building_floors
from .geometry import overlay_areas, polygonal, resolve_overlaps, to_crs
from .lookup import clean_value, keys_and_values, lookup_all, require_field, unknown_table
from .mapping_table import DEFAULT_PRIORITY, IGNORE, load_mapping
from .raster_stats import zonal_classes

__all__ = [
    "BUILDING_CLASSES",
    "LAND_CLASSES",
    "Evidence",
    "building_evidence",
    "landcover_evidence",
    "landuse_evidence",
    "poi_evidence",
]

#: Classes measured by area (``area_pct_<code>``): every grid type but ``mixed``.
LAND_CLASSES: tuple[str, ...] = tuple(c for c in GRID_TYPE_CODES if c != "mixed")
#: Classes measured by building floor area (``floor_pct_<code>``).
BUILDING_CLASSES: tuple[str, ...] = (
    "residential",
    "village",
    "commercial",
    "enterprise",
    "industrial",
    "crowded",
    "unknown",
)
LAND_INDEX = {c: i for i, c in enumerate(LAND_CLASSES)}
BUILDING_INDEX = {c: i for i, c in enumerate(BUILDING_CLASSES)}


@dataclass
class Evidence:
    """Everything measured per grid (arrays of length ``n``)."""

    n: int
    crs: object
    geoms: np.ndarray  # the grids' polygons in the working CRS (None where no area)
    areas: np.ndarray  # m², 1 where the grid has no area
    usable: np.ndarray
    land_share: np.ndarray = None  # (n, len(LAND_CLASSES)) area shares, land use then land cover
    land_cover_total: np.ndarray = None
    floor: np.ndarray = None  # (n, len(BUILDING_CLASSES)) floor area m²
    footprint: np.ndarray = None
    n_buildings: np.ndarray = None
    households: np.ndarray = None  # family households per grid (when the buildings carry them)
    settlement_hulls: list = None  # hull of every settlement (housing linked footprint to footprint)
    grid_settlement: np.ndarray = None  # per grid: the settlement holding most of its housing (-1: none)
    settlement_sizes: np.ndarray = None  # housing buildings per settlement
    settlement_households: np.ndarray = None  # households per settlement (0 without a households field)
    crowded_score: np.ndarray = None
    n_crowded: np.ndarray = None
    dem: object = None
    rural: np.ndarray = None  # the rural context per grid (classify.context)
    context_land: tuple = ((), ())  # every mapped land-use/water polygon and its class (for the context)
    building_geoms: np.ndarray = None  # every building footprint (for the context)
    unknown_tables: list = field(default_factory=list)
    overlap: dict = field(default_factory=dict)

    def __post_init__(self):
        n = self.n
        self.land_share = np.zeros((n, len(LAND_CLASSES))) if self.land_share is None else self.land_share
        self.land_cover_total = np.zeros(n) if self.land_cover_total is None else self.land_cover_total
        self.floor = np.zeros((n, len(BUILDING_CLASSES))) if self.floor is None else self.floor
        self.footprint = np.zeros((n, len(BUILDING_CLASSES))) if self.footprint is None else self.footprint
        self.n_buildings = np.zeros(n, dtype=np.int64) if self.n_buildings is None else self.n_buildings
        self.households = np.zeros(n) if self.households is None else self.households
        self.settlement_hulls = [] if self.settlement_hulls is None else self.settlement_hulls
        self.grid_settlement = np.full(n, -1, dtype=np.int64) if self.grid_settlement is None else self.grid_settlement
        self.crowded_score = np.zeros(n) if self.crowded_score is None else self.crowded_score
        self.n_crowded = np.zeros(n, dtype=np.int64) if self.n_crowded is None else self.n_crowded
        self.rural = np.zeros(n, dtype=bool) if self.rural is None else self.rural

    @property
    def query_geoms(self):
        return np.where(self.usable, self.geoms, None)


def _landuse_pieces(landuse, class_field, key_field, landuse_mapping, crs, evidence, report):
    """Polygons, class index and priority of the mapped land-use features."""
    if len(landuse) == 0:
        report.warn(N_("The land-use layer is empty; it adds no evidence."))
        return None
    if class_field is None:
        raise InputError(N_("Choose the class field of the land-use layer."))
    mapping = load_mapping(landuse_mapping)
    lu = to_crs(landuse, crs, "land use")
    keys, values = keys_and_values(lu, class_field, key_field, "land use")
    types, priorities, _ = lookup_all(mapping, keys, values)
    no_value = pd.isna(values)
    if no_value.any():
        report.info(N_("{n} land-use features have no class value; they were skipped."), n=int(no_value.sum()))
    geoms = polygonal(lu.geometry.to_numpy(), "land use", report)
    unmapped = ~no_value & pd.isna(types)
    evidence.unknown_tables.append(
        unknown_table("landuse", keys, values, unmapped & ~shapely.is_missing(geoms), shapely.area(geoms))
    )
    types = np.where(unmapped | (types == "mixed"), "unknown", types)
    use = ~no_value & (types != IGNORE) & ~shapely.is_missing(geoms)
    return geoms[use], np.array([LAND_INDEX[t] for t in types[use]], dtype=np.int64), priorities[use]


def landuse_evidence(
    evidence, landuse, water, *, class_field, key_field, landuse_mapping, overlap, tolerance_m2, report
):
    """Area shares of the land-use classes and water in every grid (overlaps counted once or per class)."""
    pieces = []
    if landuse is not None:
        found = _landuse_pieces(landuse, class_field, key_field, landuse_mapping, evidence.crs, evidence, report)
        if found is not None:
            pieces.append(found)
    if water is not None and len(water):
        geoms = polygonal(to_crs(water, evidence.crs, "water").geometry.to_numpy(), "water", report)
        geoms = geoms[~shapely.is_missing(geoms)]
        pieces.append(
            (geoms, np.full(len(geoms), LAND_INDEX["water"]), np.full(len(geoms), float(DEFAULT_PRIORITY["water"])))
        )
    land_area = np.zeros((evidence.n, len(LAND_CLASSES)))
    if pieces:
        geoms = np.concatenate([p[0] for p in pieces])
        classes = np.concatenate([p[1] for p in pieces]).astype(np.int64)
        priority = np.concatenate([p[2] for p in pieces]).astype(float)
        evidence.context_land = (geoms, np.array(LAND_CLASSES, dtype=object)[classes])
        tree = shapely.STRtree(geoms)  # only the land that meets a grid matters
        pair_grid, pair_land = tree.query(evidence.query_geoms, predicate="intersects")
        near = np.unique(pair_land)
        geoms, classes, priority = geoms[near], classes[near], priority[near]
        report.progress(10)
        if len(geoms):
            areas = shapely.area(geoms)
            ranks = np.empty(len(geoms), dtype=np.int64)  # higher priority, then smaller, then input order
            ranks[np.lexsort((np.arange(len(geoms)), areas, -priority))] = np.arange(len(geoms))
            geoms, removed = resolve_overlaps(geoms, ranks, classes, overlap, tolerance_m2, report)
            evidence.overlap["overlap_area_m2"] = removed
            if removed > 0:
                report.info(
                    N_("Overlapping land-use polygons: {area} ha of overlap counted once ({mode} rule)."),
                    area=round(removed / 1e4, 2),
                    mode=overlap,
                )
            report.progress(35)
            report.check_cancelled()
            pairs = (pair_grid, np.searchsorted(near, pair_land))
            land_area, _, _, _ = overlay_areas(
                evidence.query_geoms, evidence.areas, geoms, classes, len(LAND_CLASSES), pairs=pairs
            )
    share = land_area / evidence.areas[:, None]
    evidence.land_share = np.minimum(share, 1.0) if overlap == "priority" else share
    report.progress(55)


def landcover_evidence(evidence, landcover, landcover_mapping, overlap, report):
    """Fill what the land-use polygons leave uncovered with the land-cover raster's shares."""
    vector_cover = np.minimum(evidence.land_share.sum(axis=1), 1.0)
    if landcover is not None:
        mapping = load_mapping(landcover_mapping)
        values, value_share, names = zonal_classes(
            evidence.query_geoms, evidence.crs, evidence.areas, landcover, report=report
        )
        cover_share = np.zeros((evidence.n, len(LAND_CLASSES)))
        unmapped_rows = []
        for j, value in enumerate(values.tolist()):
            row = mapping.lookup(names[value]) if value in names else None
            row = row if row is not None else mapping.lookup(value)
            if row is None:
                unmapped_rows.append(
                    {
                        "source": "landcover",
                        "key": "",
                        "value": f"{value}" + (f" ({names[value]})" if value in names else ""),
                        "features": int(np.count_nonzero(value_share[:, j])),
                        "area_m2": float((value_share[:, j] * evidence.areas).sum()),
                    }
                )
            cls = "unknown" if row is None else row.grid_type
            if cls != IGNORE:
                cover_share[:, LAND_INDEX[cls]] += value_share[:, j]
        if unmapped_rows:
            evidence.unknown_tables.append(pd.DataFrame(unmapped_rows))
        total = cover_share.sum(axis=1)
        cover_share *= np.where(total > 1.0, 1.0 / np.maximum(total, 1e-12), 1.0)[:, None]
        evidence.land_share = evidence.land_share + (1.0 - vector_cover)[:, None] * cover_share
        report.progress(65)
    total = evidence.land_share.sum(axis=1)
    evidence.land_cover_total = np.minimum(total, 1.0) if overlap == "priority" else total


def _building_types(b, building_type_field, building_mapping, evidence, geoms, report):
    if not building_type_field:
        report.info(N_("No building type field: every building counts as housing."))
        return np.full(len(b), "residential", dtype=object)
    require_field(b, building_type_field, "buildings")
    mapping = load_mapping(building_mapping)
    keys = np.full(len(b), None, dtype=object)
    values = b[building_type_field].map(clean_value).to_numpy(dtype=object)
    types, _, _ = lookup_all(mapping, keys, values)
    unmapped = pd.isna(types) & ~pd.isna(values)
    evidence.unknown_tables.append(unknown_table("buildings", keys, values, unmapped, shapely.area(geoms)))
    types = np.where(pd.isna(types), "unknown", types)
    return np.where(np.isin(types, BUILDING_CLASSES) | (types == IGNORE), types, "unknown")


def _settlements(evidence, geoms, types, households, gi, pi, area, link_m):
    """Housing linked footprint to footprint within ``link_m`` forms settlements; each grid's main one."""
    from ..difference.settlements import cluster_buildings

    housing = np.isin(types, ("residential", "village"))
    if not housing.any():
        return
    frame = gpd.GeoDataFrame(geometry=geoms[housing])
    labels = np.full(len(geoms), -1, dtype=np.int64)
    labels[housing] = cluster_buildings(frame, link_m, min_buildings=1, min_households=0)["cluster"].to_numpy()
    n_settlements = int(labels.max()) + 1
    evidence.settlement_sizes = np.bincount(labels[housing], minlength=n_settlements)
    evidence.settlement_households = np.bincount(labels[housing], weights=households[housing], minlength=n_settlements)
    evidence.settlement_hulls = [
        shapely.convex_hull(shapely.union_all(geoms[labels == s])) for s in range(n_settlements)
    ]
    member = labels[pi] >= 0
    if member.any():
        main = (
            pd.DataFrame({"g": gi[member], "s": labels[pi[member]], "a": area[member]})
            .groupby(["g", "s"], as_index=False)["a"]
            .sum()
            .sort_values(["a", "s"], ascending=[False, True])
            .drop_duplicates("g")
        )
        evidence.grid_settlement[main["g"].to_numpy()] = main["s"].to_numpy()


def building_evidence(evidence, buildings, *, building_type_field, levels_field, building_mapping,
                      households_field, default_floors, settlement_link_m, report):  # fmt: skip
    """Floor area per building class, buildings, households and the housing hull of every grid."""
    if buildings is None or not len(buildings):
        return
    b = to_crs(buildings, evidence.crs, "buildings")
    geoms = polygonal(b.geometry.to_numpy(), "buildings", report)
    types = _building_types(b, building_type_field, building_mapping, evidence, geoms, report)
    if levels_field:
        require_field(b, levels_field, "buildings")
    raw = b[building_type_field] if building_type_field else None
    levels = building_floors(b[levels_field] if levels_field else None, raw, default_floors=default_floors)
    levels = levels.to_numpy(dtype=float) if len(levels) else np.full(len(b), default_floors)
    households = np.zeros(len(b))
    if households_field:
        require_field(b, households_field, "buildings")
        households = pd.to_numeric(b[households_field], errors="coerce").fillna(0).to_numpy(dtype=float)
    evidence.building_geoms = geoms[~shapely.is_missing(geoms)]
    use = ~shapely.is_missing(geoms) & (types != IGNORE)
    geoms, types, levels, households = geoms[use], types[use], levels[use], households[use]
    if not len(geoms):
        return
    k = len(BUILDING_CLASSES)
    cls_idx = np.array([BUILDING_INDEX[t] for t in types], dtype=np.int64)
    fp, gi, pi, area = overlay_areas(evidence.query_geoms, evidence.areas, geoms, cls_idx, k)
    evidence.footprint = fp
    n = evidence.n
    evidence.floor = np.bincount(gi * k + cls_idx[pi], weights=area * levels[pi], minlength=n * k).reshape(n, k)
    if gi.size:  # a building counts (and its households) in the grid holding most of its footprint
        best = pd.DataFrame({"g": gi, "p": pi, "a": area}).sort_values("a", ascending=False).drop_duplicates("p")
        holder, member = best["g"].to_numpy(), best["p"].to_numpy()
        evidence.n_buildings = np.bincount(holder, minlength=n)
        evidence.households = np.bincount(holder, weights=households[member], minlength=n)
    _settlements(evidence, geoms, types, households, gi, pi, area, settlement_link_m)
    report.progress(75)


def poi_evidence(evidence, pois, poi_kind_field, poi_mapping, report):
    """The crowded-place POI score and count of every grid."""
    if pois is None or not len(pois):
        return
    p = to_crs(pois, evidence.crs, "POIs")
    geoms = p.geometry.to_numpy()
    present = ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)
    not_points = present & (shapely.get_type_id(geoms) != 0)
    if not_points.any():
        geoms = geoms.copy()
        geoms[not_points] = shapely.point_on_surface(geoms[not_points])
    if poi_kind_field:
        require_field(p, poi_kind_field, "POIs")
        mapping = load_mapping(poi_mapping)
        values = p[poi_kind_field].map(clean_value).to_numpy(dtype=object)
        types, _, weights = lookup_all(mapping, np.full(len(p), None, dtype=object), values)
        crowded = present & (types == "crowded")
    else:
        report.info(N_("No POI kind field: every POI counts as a crowded place with weight 1."))
        weights = np.ones(len(p))
        crowded = present
    if crowded.any():
        idx = np.flatnonzero(crowded)
        gi, pi = shapely.STRtree(geoms[idx]).query(evidence.query_geoms, predicate="intersects")
        first = pd.DataFrame({"g": gi, "p": pi}).drop_duplicates("p")
        gi, pi = first["g"].to_numpy(), first["p"].to_numpy()
        evidence.crowded_score = np.bincount(gi, weights=weights[idx][pi], minlength=evidence.n)
        evidence.n_crowded = np.bincount(gi, minlength=evidence.n)
    report.progress(80)
