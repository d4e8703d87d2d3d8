"""Open land: the land grid type of atomic units, and splitting building-free land into area grids."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .rules import RuleTable

__all__ = ["classify_land", "default_land_type", "land_type_of_units", "split_by_area"]


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


def default_land_type(rules: RuleTable) -> str:
    """The land type of open land no land-use polygon describes: the first land rule (else ``unknown``)."""
    land = rules.by_role("land")
    return land[0].grid_type if land else "unknown"


def land_type_of_units(units, rules: RuleTable, landuse, water) -> np.ndarray:
    """The land type of each unit: the land rule covering most of it, else the default land type."""
    types = classify_land(units, rules, landuse, water)
    return np.where(pd.isna(types), default_land_type(rules), types).astype(object)


def split_by_area(units, adjacency, max_area_m2: float, *, seed: int = 0) -> np.ndarray:
    """Label units (one connected piece) into contiguous parts of about ``max_area_m2`` each.

    ``adjacency`` is the units' shared-length matrix (:func:`grid_plugin.core.partition.units.unit_adjacency`).
    Returns a part label per unit (all zeros when one part is enough or the units are too few).
    """
    areas = shapely.area(units)
    n_parts = max(1, math.ceil(float(areas.sum()) / max_area_m2))
    if len(units) < 2 or n_parts < 2:
        return np.zeros(len(units), dtype=np.int64)
    from ..partition.graph import partition_graph

    labels = partition_graph(adjacency, areas, min(n_parts, len(units)), tolerance=0.5, seed=seed)
    return np.asarray(labels, dtype=np.int64)
