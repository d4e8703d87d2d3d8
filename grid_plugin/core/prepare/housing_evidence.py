"""Which buildings are homes: the evidence ``estimatehouseholds`` counts households on.

A building typed as housing (``building_type = residential``: apartments, house, dormitory, farm …)
is a home. A building typed as something else (commercial, education, industrial, garage …) is not.
An *untyped* building (OSM ``building=yes``) is a home only when nothing says otherwise, in this order
(the first reason found is the one recorded):

1. ``tagged`` — a shop/amenity/office/craft/industrial/tourism/healthcare tag on the building itself
   (a tag field of the layer, or a POI of the prepared ``pois`` layer drawn on the same OSM feature);
2. ``land_use`` — its point lies in commercial, industrial, institutional (education, health,
   military …) or crowded-place land use (read through the ``osm_landuse`` mapping table);
3. ``name`` — its name holds a word of a non-residential place (大厦 商场 广场 中心 馆 学校 学院 教学
   食堂 医院 厂 公司 酒店 宾馆, mall, hotel …: the editable table
   ``grid_plugin/mappings/nonresidential_names.csv``);
4. ``too_large`` — its footprint is above the largest dwelling footprint.

Dormitories — ``building=dormitory``, a name with 宿舍/dormitory, or a name with 公寓/apartment on a
campus (school, college, university land) — are homes of *collective* households (集体户), counted in
their own field, not as family households.

Examples
--------
>>> import geopandas as gpd, shapely
>>> b = gpd.GeoDataFrame({"building": ["yes", "yes", "apartments", "dormitory", "yes"],
...     "name": [None, "深圳龙岗 COCO Park 商场", None, "逸夫书院A栋", "1号楼"]},
...     geometry=[shapely.box(0, 0, 20, 20), shapely.box(50, 0, 250, 150), shapely.box(0, 50, 20, 70),
...               shapely.box(50, 200, 70, 220), shapely.box(300, 0, 360, 60)], crs=4547)
>>> housing_evidence(b, max_dwelling_footprint_m2=2500)["reason"].tolist()
['untyped_housing', 'name', 'residential', 'dormitory', 'too_large']
"""

from __future__ import annotations

import re
from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..errors import N_, InputError
from ..inputs import read_csv_records
from ..paths import MAPPINGS_DIR
from .osm import BUILDING_TYPES

__all__ = [
    "COLLECTIVE",
    "FAMILY",
    "NONE",
    "REASONS",
    "housing_evidence",
    "load_name_table",
]

FAMILY, COLLECTIVE, NONE = "family", "collective", "none"
#: Reason code → the log's line for it (``{n}`` buildings, ``{households}`` family households).
REASONS: dict[str, str] = {
    "residential": N_("Typed as housing: {n} buildings, {households} households."),
    "untyped_housing": N_(
        "Untyped, no sign of another use, counted as housing: {n} buildings, {households} households."
    ),
    "dormitory": N_("Dormitories (collective households, 集体户): {n} buildings, {households} family households."),
    "typed_nonresidential": N_(
        "Typed as not housing (commercial, education, industrial, garage …): {n} buildings, {households} households."
    ),
    "tagged": N_(
        "Untyped with a shop, amenity, office, craft or industrial tag: {n} buildings, {households} households."
    ),
    "land_use": N_(
        "Untyped inside commercial, industrial, institutional or crowded-place land use: {n} buildings, "
        "{households} households."
    ),
    "name": N_("Untyped with the name of a non-residential place: {n} buildings, {households} households."),
    "too_large": N_("Untyped with a footprint above the largest dwelling: {n} buildings, {households} households."),
    "too_small": N_("Housing below the minimum footprint: {n} buildings, {households} households."),
    "convention": N_("Residential by the benchmark convention: {n} buildings, {households} households."),
    "not_convention": N_("Not residential by the benchmark convention: {n} buildings, {households} households."),
}
#: Raw building tags that say nothing about the use.
GENERIC_TAGS = {"", "yes", "true", "1", "building", "other", "unknown", "undefined"}
#: Tag fields that mark a use other than housing when filled on an untyped building.
USE_TAG_FIELDS = ("shop", "amenity", "office", "craft", "industrial", "tourism", "healthcare")
#: Land-use grid types in which an untyped building is not a home.
NONRESIDENTIAL_LAND = {"commercial", "industrial", "enterprise", "crowded"}
#: Land-use values that make a campus (公寓 there are dormitories).
CAMPUS_VALUES = {"university", "college", "school", "education", "kindergarten"}
_DORMITORY = re.compile(r"宿舍|dormitor|\bdorms?\b|residence hall|student (?:housing|residence)", re.IGNORECASE)
_APARTMENT = re.compile(r"公寓|apartment", re.IGNORECASE)
_TYPE_OF_TAG = {value: kind for kind, values in BUILDING_TYPES.items() for value in values}


@lru_cache(maxsize=8)
def load_name_table(path=None) -> tuple[re.Pattern | None, re.Pattern | None]:
    """The name table as two patterns: Chinese words (substrings) and English words (whole words).

    ``path`` defaults to ``grid_plugin/mappings/nonresidential_names.csv`` (columns ``pattern``,
    ``language`` zh/en, ``use``, ``note``); a copy can be edited and given instead.
    """
    path = MAPPINGS_DIR / "nonresidential_names.csv" if path is None else path
    columns, rows = read_csv_records(path)  # the one CSV reader: UTF-8 or GBK, detected
    if rows and "pattern" not in columns:
        raise InputError(
            N_("The name table {path} has no column pattern; give a UTF-8 CSV with the columns pattern, language."),
            path=str(path),
        )
    zh = [
        r["pattern"].strip() for r in rows if r.get("pattern", "").strip() and r.get("language", "zh").strip() != "en"
    ]
    en = [r["pattern"].strip() for r in rows if r.get("pattern", "").strip() and r.get("language", "").strip() == "en"]
    zh_pattern = re.compile("|".join(map(re.escape, sorted(zh, key=len, reverse=True)))) if zh else None
    en_pattern = (
        re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(en, key=len, reverse=True))) + r")\b", re.IGNORECASE)
        if en
        else None
    )
    return zh_pattern, en_pattern


def _text(frame: pd.DataFrame, field: str | None) -> pd.Series:
    if not field or field not in frame.columns:
        return pd.Series("", index=frame.index, dtype=object)
    values = frame[field].astype(object)
    return values.where(values.notna(), "").astype(str).str.strip()


def _named_nonresidential(names: pd.Series, name_table) -> np.ndarray:
    zh, en = load_name_table(name_table) if not isinstance(name_table, tuple) else name_table
    hit = np.zeros(len(names), dtype=bool)
    for pattern in (zh, en):
        if pattern is not None:
            hit |= names.map(lambda text, p=pattern: bool(text) and p.search(text) is not None).to_numpy(dtype=bool)
    return hit


def _land_at(points, landuse, landuse_field, landuse_key_field) -> tuple[np.ndarray, np.ndarray]:
    """Per building point: in non-residential land use, in a campus."""
    from ..classify.mapping_table import load_mapping

    n = len(points)
    nonresidential, campus = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    if landuse is None or len(landuse) == 0 or not landuse_field or landuse_field not in landuse.columns:
        return nonresidential, campus
    mapping = load_mapping("osm_landuse")
    values = landuse[landuse_field].astype(object)
    keys = landuse[landuse_key_field] if landuse_key_field and landuse_key_field in landuse.columns else None
    kinds, is_campus = [], []
    for i, value in enumerate(values):
        row = None if pd.isna(value) else mapping.lookup(value, key=None if keys is None else keys.iloc[i])
        kinds.append(row.grid_type if row is not None else None)
        is_campus.append(str(value).strip().lower() in CAMPUS_VALUES)
    kinds, is_campus = np.array(kinds, dtype=object), np.array(is_campus, dtype=bool)
    geoms = landuse.geometry.values
    tree = shapely.STRtree(geoms)
    present = np.array([p is not None for p in points], dtype=bool)
    b_idx, l_idx = tree.query(points[present], predicate="within")
    b_idx = np.flatnonzero(present)[b_idx]
    nonresidential[b_idx[np.isin(kinds[l_idx], list(NONRESIDENTIAL_LAND))]] = True
    campus[b_idx[is_campus[l_idx]]] = True
    return nonresidential, campus


def _tagged(buildings, pois, id_field) -> np.ndarray:
    tagged = np.zeros(len(buildings), dtype=bool)
    for field in USE_TAG_FIELDS:
        if field in buildings.columns:
            tagged |= (_text(buildings, field) != "").to_numpy() & ~_text(buildings, field).str.lower().isin(["no"])
    if pois is not None and len(pois) and id_field in buildings.columns and id_field in pois.columns:
        keys = (
            pois["source_key"].astype(str) if "source_key" in pois.columns else pd.Series("amenity", index=pois.index)
        )
        use = keys.isin(USE_TAG_FIELDS).to_numpy()
        same_feature = set(pois.loc[use, id_field].dropna().astype(str))
        tagged |= buildings[id_field].astype(str).isin(same_feature).to_numpy()
    return tagged


def housing_evidence(
    buildings: gpd.GeoDataFrame,
    *,
    type_field: str | None = "building",
    building_type_field: str | None = "building_type",
    name_field: str | None = "name",
    landuse: gpd.GeoDataFrame | None = None,
    landuse_field: str = "landuse_class",
    landuse_key_field: str | None = "source_key",
    pois: gpd.GeoDataFrame | None = None,
    id_field: str = "osm_id",
    max_dwelling_footprint_m2: float = 2500.0,
    footprint_m2: np.ndarray | None = None,
    name_table=None,
) -> pd.DataFrame:
    """Per building: ``kind`` (family / collective / none) and the ``reason`` code (:data:`REASONS`).

    ``landuse`` is reprojected to the buildings' CRS when needed. ``footprint_m2``
    (metres², when the layer is geographic) defaults to the area in the layer's CRS.
    """
    raw = _text(buildings, type_field).str.lower()
    if building_type_field and building_type_field in buildings.columns:
        normal = _text(buildings, building_type_field).str.lower()
        normal = normal.where(normal != "", raw.map(_TYPE_OF_TAG).fillna("other"))
    else:
        normal = raw.map(_TYPE_OF_TAG).fillna("other")
    names = _text(buildings, name_field)
    footprint = np.nan_to_num(shapely.area(buildings.geometry.values)) if footprint_m2 is None else footprint_m2
    geoms = buildings.geometry.values
    points = np.full(len(buildings), None, dtype=object)
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    points[present] = shapely.point_on_surface(geoms[present])
    if landuse is not None and landuse.crs is not None and buildings.crs is not None and landuse.crs != buildings.crs:
        landuse = landuse.to_crs(buildings.crs)
    in_nonres_land, in_campus = _land_at(points, landuse, landuse_field, landuse_key_field)

    untyped = (normal == "other").to_numpy() & raw.isin(GENERIC_TAGS).to_numpy()
    typed_housing = (normal == "residential").to_numpy()
    dormitory = (raw == "dormitory").to_numpy() | names.str.contains(_DORMITORY).to_numpy()
    dormitory |= names.str.contains(_APARTMENT).to_numpy() & in_campus
    dormitory &= typed_housing | untyped

    reason = np.full(len(buildings), "typed_nonresidential", dtype=object)
    reason[typed_housing] = "residential"
    checks = (
        ("tagged", _tagged(buildings, pois, id_field)),
        ("land_use", in_nonres_land),
        ("name", _named_nonresidential(names, name_table)),
        ("too_large", footprint > float(max_dwelling_footprint_m2)),
    )
    open_untyped = untyped.copy()
    reason[untyped] = "untyped_housing"
    for code, hit in checks:
        found = open_untyped & hit & ~dormitory
        reason[found] = code
        open_untyped &= ~found
    reason[dormitory] = "dormitory"
    kind = np.where(
        reason == "dormitory", COLLECTIVE, np.where(np.isin(reason, ["residential", "untyped_housing"]), FAMILY, NONE)
    )
    return pd.DataFrame({"kind": kind, "reason": reason}, index=buildings.index)
