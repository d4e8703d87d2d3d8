"""Village or town: the rural-context rule shared by ``classify`` and ``partitionbytype``.

A settlement is a village (村庄) only when it is rural. Low-rise housing inside a city is residential
(住宅; a 城中村 is an urban village, still urban). Two sources decide, in this order:

1. **the parent's 城乡分类代码** (urban–rural code of the 统计用区划代码 table, GB/T 10114 practice):
   ``1xx`` urban (111 主城区, 112 城乡结合区, 121 镇中心区, 122 镇乡结合区, 123 特殊区域), ``2xx`` rural
   (210 乡中心区, 220 村庄). The Chinese names are accepted too.
2. **the surroundings**, without a code: the ring of ``distance_m`` around the settlement (the hull of
   its buildings) must be *open* — farmland, forest, water, hills or village land, or land that is
   neither urban land use nor within ``building_reach_m`` of a building — for at least
   ``min_open_share`` of its area, and urban land use (residential, commercial, industrial,
   institutional, crowded-place land) may cover at most ``max_urban_share`` of it.

It also holds the rule that a grid holding households is never a land grid (林地/农田 …): see
:func:`populated`.

Examples
--------
>>> rural_from_code("220"), rural_from_code(111), rural_from_code("城乡结合区"), rural_from_code(None)
(True, False, False, None)
>>> import shapely
>>> houses = [shapely.box(x, y, x + 10, y + 10) for x in range(0, 100, 25) for y in range(0, 100, 25)]
>>> context = RuralContext.from_frames(building_geoms=houses)
>>> context.is_rural([shapely.convex_hull(shapely.union_all(houses))]).tolist()  # nothing around: open
[True]
>>> context.is_rural([shapely.convex_hull(shapely.union_all(houses))], ur_codes=["111"]).tolist()
[False]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

__all__ = [
    "LAND_MAX_HOUSEHOLDS_SHARE",
    "OPEN_CLASSES",
    "VILLAGE_MAX_BUILDINGS",
    "VILLAGE_MAX_HOUSEHOLDS_PER_BUILDING",
    "VILLAGE_MAX_LEVELS",
    "town_like",
    "dense_housing",
    "URBAN_CLASSES",
    "ContextSettings",
    "RuralContext",
    "landuse_grid_types",
    "populated",
    "rural_context_for",
    "rural_from_code",
]

#: Land-use grid types that make open countryside.
OPEN_CLASSES = frozenset({"farmland", "forest", "water", "mountain", "tidal_flat", "village"})
#: Land-use grid types that make a town.
URBAN_CLASSES = frozenset({"residential", "commercial", "industrial", "enterprise", "crowded"})
#: A natural village is low-rise: above this mean number of households per building a settlement is
#: urban housing (apartment blocks), whatever surrounds it.
VILLAGE_MAX_HOUSEHOLDS_PER_BUILDING = 8.0
#: A natural village holds at most this many housing buildings: a larger settlement is a town.
VILLAGE_MAX_BUILDINGS = 800
#: Village housing is low-rise: above this mean number of floors (footprint-weighted) it is a town's.
VILLAGE_MAX_LEVELS = 3.0
#: A grid holding at least this share of the household target is never typed as land (林地, 农田 …).
LAND_MAX_HOUSEHOLDS_SHARE = 0.25

_RURAL_NAMES = ("乡中心区", "村庄")
_URBAN_NAMES = ("主城区", "城乡结合区", "镇中心区", "镇乡结合区", "特殊区域")


@dataclass(frozen=True)
class ContextSettings:
    """Distances and shares of the surroundings test (every one a parameter of both algorithms)."""

    distance_m: float = 500.0
    min_open_share: float = 0.8
    max_urban_share: float = 0.10
    building_reach_m: float = 50.0
    #: classify: housing footprints closer than this form one settlement (a grid's village is the whole
    #: settlement it belongs to, not the grid's part of it).
    settlement_link_m: float = 80.0


def rural_from_code(code) -> bool | None:
    """True for a rural 城乡分类代码 (2xx), False for an urban one (1xx), None when unknown or empty."""
    if code is None or (isinstance(code, float) and np.isnan(code)):
        return None
    text = str(code).strip()
    if text.endswith(".0"):
        text = text[:-2]
    if any(name in text for name in _RURAL_NAMES):
        return True
    if any(name in text for name in _URBAN_NAMES):
        return False
    if len(text) == 3 and text.isdigit():
        return {"1": False, "2": True}.get(text[0])
    return None


def dense_housing(households, n_buildings) -> np.ndarray:
    """True for settlements of apartment blocks: more than :data:`VILLAGE_MAX_HOUSEHOLDS_PER_BUILDING`
    households per building (never a village).

    >>> dense_housing([120, 900], [40, 12]).tolist()
    [False, True]
    """
    households = np.nan_to_num(np.asarray(households, dtype=float))
    return households / np.maximum(np.asarray(n_buildings, dtype=float), 1.0) > VILLAGE_MAX_HOUSEHOLDS_PER_BUILDING


def town_like(households, n_buildings, mean_floors=None) -> np.ndarray:
    """True for settlements that are towns whatever surrounds them: apartment blocks (:func:`dense_housing`),
    more than :data:`VILLAGE_MAX_BUILDINGS` buildings, or housing of more than :data:`VILLAGE_MAX_LEVELS`
    floors on average (``mean_floors``, when known).

    >>> town_like([120, 120, 120], [40, 900, 40], [2.0, 2.0, 5.5]).tolist()
    [False, True, True]
    """
    n_buildings = np.asarray(n_buildings, dtype=float)
    town = dense_housing(households, n_buildings) | (n_buildings > VILLAGE_MAX_BUILDINGS)
    if mean_floors is not None:
        town |= np.nan_to_num(np.asarray(mean_floors, dtype=float), nan=0.0) > VILLAGE_MAX_LEVELS
    return town


def populated(households, target_load: float, share: float = LAND_MAX_HOUSEHOLDS_SHARE) -> np.ndarray:
    """True where a grid holds too many households to be a land grid (at least ``share`` × target)."""
    households = np.nan_to_num(np.asarray(households, dtype=float))
    return households >= max(float(share) * float(target_load), 1.0)


class RuralContext:
    """The surroundings of settlements: open land, urban land and the reach of buildings.

    Shares are measured on a lattice of points in each ring (spacing ``distance_m / 20``, anchored at
    multiples of it, so the same inputs give the same shares): one vectorised tree query per layer
    for all rings at once, instead of unions of polygons ring by ring.
    """

    def __init__(self, open_geoms, urban_geoms, building_geoms, settings: ContextSettings | None = None, extent=None):
        self.settings = settings or ContextSettings()
        self._trees = {}
        mapped = [] if extent is None or extent.is_empty else [extent]
        for name, geoms in (("open", open_geoms), ("urban", urban_geoms), ("buildings", building_geoms)):
            geoms = np.asarray([g for g in geoms if g is not None and not g.is_empty], dtype=object)
            self._trees[name] = shapely.STRtree(geoms) if len(geoms) else None
            mapped.extend(geoms.tolist())
        #: the mapped extent: the hull of the study area (``extent``) and of every layer of the context.
        #: Ring points outside it are unknown, neither open nor urban. Without ``extent``: no limit.
        self.extent = (
            None if extent is None or extent.is_empty else shapely.convex_hull(shapely.geometrycollections(mapped))
        )
        if self.extent is not None:
            shapely.prepare(self.extent)

    @classmethod
    def from_frames(
        cls,
        *,
        landuse_geoms=(),
        landuse_types=(),
        water_geoms=(),
        building_geoms=(),
        settings: ContextSettings | None = None,
        extent=None,
    ) -> RuralContext:
        """From land-use polygons with their grid types (mapping-table codes), water and buildings;
        ``extent`` the study area (the ring outside the hull of it and of the layers is unknown land)."""
        geoms = np.asarray(list(landuse_geoms), dtype=object)
        types = pd.Series(list(landuse_types), dtype=object).to_numpy() if len(geoms) else np.array([], dtype=object)
        open_geoms = list(geoms[np.isin(types, list(OPEN_CLASSES))]) + list(water_geoms)
        urban_geoms = list(geoms[np.isin(types, list(URBAN_CLASSES))])
        return cls(open_geoms, urban_geoms, list(building_geoms), settings, extent)

    def _ring_points(self, settlement_geoms):
        """Lattice points inside each ring and the mapped extent, the ring each belongs to, and the
        number of lattice points of each whole ring (mapped or not)."""
        step = max(self.settings.distance_m / 20.0, 1.0)
        xs, ys, owner = [], [], []
        whole = np.zeros(len(settlement_geoms))
        for i, geom in enumerate(settlement_geoms):
            if geom is None or geom.is_empty:
                continue
            ring = shapely.difference(shapely.buffer(geom, self.settings.distance_m, quad_segs=4), geom)
            x0, y0, x1, y1 = shapely.bounds(ring)
            gx, gy = np.meshgrid(
                np.arange(np.floor(x0 / step), np.ceil(x1 / step) + 1) * step,
                np.arange(np.floor(y0 / step), np.ceil(y1 / step) + 1) * step,
            )
            gx, gy = gx.ravel(), gy.ravel()
            inside = shapely.contains_xy(ring, gx, gy)
            whole[i] = inside.sum()
            if self.extent is not None:
                inside &= shapely.contains_xy(self.extent, gx, gy)
            xs.append(gx[inside])
            ys.append(gy[inside])
            owner.append(np.full(int(inside.sum()), i, dtype=np.int64))
        if not xs:
            return np.zeros(0, dtype=object), np.zeros(0, dtype=np.int64), whole
        return shapely.points(np.concatenate(xs), np.concatenate(ys)), np.concatenate(owner), whole

    def _hits(self, name, points, **query) -> np.ndarray:
        hit = np.zeros(len(points), dtype=bool)
        tree = self._trees[name]
        if tree is not None and len(points):
            hit[np.unique(tree.query(points, **query)[0])] = True
        return hit

    def shares(self, settlement_geoms) -> tuple[np.ndarray, np.ndarray]:
        """Per settlement: the open share and the urban-land share of the mapped part of the ring around it."""
        return self._shares(settlement_geoms)[:2]

    def _shares(self, settlement_geoms):
        """Open share, urban share and mapped share (of the whole ring) per settlement."""
        settlement_geoms = list(settlement_geoms)
        n = len(settlement_geoms)
        points, owner, whole = self._ring_points(settlement_geoms)
        open_land = self._hits("open", points, predicate="intersects")
        urban_land = self._hits("urban", points, predicate="intersects")
        reach = self._hits("buildings", points, predicate="dwithin", distance=self.settings.building_reach_m)
        closed = urban_land | (reach & ~open_land)
        total = np.bincount(owner, minlength=n).astype(float)
        safe = np.maximum(total, 1.0)
        open_share = np.where(total > 0, 1.0 - np.bincount(owner, weights=closed, minlength=n) / safe, 1.0)
        urban_share = np.bincount(owner, weights=urban_land, minlength=n) / safe
        mapped_share = np.where(whole > 0, total / np.maximum(whole, 1.0), 1.0)
        return open_share, urban_share, mapped_share

    def is_rural(self, settlement_geoms, ur_codes=None) -> np.ndarray:
        """Per settlement: rural by its code where known, else by its surroundings."""
        settlement_geoms = list(settlement_geoms)
        n = len(settlement_geoms)
        codes = [None] * n if ur_codes is None else list(ur_codes)
        if len(codes) == 1 and n != 1:
            codes = codes * n
        known = [rural_from_code(c) for c in codes]
        result = np.array([bool(k) for k in known], dtype=bool)
        unknown = np.array([k is None for k in known], dtype=bool)
        if unknown.any():
            open_share, urban_share, mapped = self._shares([settlement_geoms[i] for i in np.flatnonzero(unknown)])
            s = self.settings
            # the ring is judged on its mapped part (inside the study area): beyond it nothing is known,
            # neither open land nor town; with none of it mapped, nothing says the land is open
            result[unknown] = (mapped > 0) & (open_share >= s.min_open_share) & (urban_share <= s.max_urban_share)
        return result


def landuse_grid_types(
    landuse, class_field: str = "landuse_class", key_field: str | None = "source_key", mapping="osm_landuse"
):
    """The grid type of every land-use polygon through a mapping table (unmapped or empty → None)."""
    from .mapping_table import load_mapping

    if landuse is None or len(landuse) == 0 or class_field not in landuse.columns:
        return np.array([], dtype=object) if landuse is None else np.full(len(landuse), None, dtype=object)
    table = load_mapping(mapping)
    keys = landuse[key_field].tolist() if key_field and key_field in landuse.columns else [None] * len(landuse)
    types = []
    for value, key in zip(landuse[class_field].tolist(), keys):
        row = None if value is None or (isinstance(value, float) and np.isnan(value)) else table.lookup(value, key=key)
        types.append(row.grid_type if row is not None else None)
    return np.array(types, dtype=object)


def rural_context_for(
    landuse=None, water=None, buildings=None, settings: ContextSettings | None = None, extent=None, **mapping
):
    """A :class:`RuralContext` from prepared layers (``landuse_class``/``source_key``, water, buildings);
    ``extent`` the mapped area (the study area)."""
    landuse_geoms = landuse.geometry.values if landuse is not None and len(landuse) else []
    return RuralContext.from_frames(
        landuse_geoms=landuse_geoms,
        landuse_types=landuse_grid_types(landuse, **mapping) if len(landuse_geoms) else [],
        water_geoms=water.geometry.values if water is not None and len(water) else [],
        building_geoms=buildings.geometry.values if buildings is not None and len(buildings) else [],
        settings=settings,
        extent=extent,
    )
