"""Households per building: the load that grids are balanced by.

Where a survey gives household counts, they are used. Elsewhere the count is estimated from the
building's footprint, its number of floors and an average floor area per household, with the
convention the team's benchmarks share (``../shared/data/README.md``), every number a parameter:

- residential if the ``building`` tag is one of :data:`RESIDENTIAL_TYPES`;
- levels = the levels field where it is a positive number, else 1 for the low-rise types of
  :data:`DEFAULT_LEVELS` (house, detached, bungalow, semidetached_house, farm) and 2 for the rest;
- households = round(footprint_m2 × levels ÷ 100) (halves round up), at least 1 for a residential
  building of 30 m² or more, and 0 for smaller or non-residential buildings.

Examples
--------
>>> import geopandas as gpd, shapely
>>> frame = gpd.GeoDataFrame({"building": ["apartments", "house", "garage"], "levels": [5, None, None]},
...     geometry=[shapely.box(0, 0, 20, 10), shapely.box(0, 0, 12, 10), shapely.box(0, 0, 6, 5)], crs=32635)
>>> result, summary = estimate_households(frame)
>>> result["households"].tolist()
[10, 1, 0]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..crs import auto_metric_crs_for, describe_crs, is_geographic
from ..errors import N_, InputError, Report

__all__ = [
    "DEFAULT_LEVELS",
    "FALLBACK_LEVELS",
    "FLOOR_AREA_PER_HOUSEHOLD_M2",
    "MIN_FOOTPRINT_M2",
    "RESIDENTIAL_TYPES",
    "estimate_households",
]

#: ``building=*`` values counted as residential (the shared convention).
RESIDENTIAL_TYPES = (
    "yes", "residential", "apartments", "house", "detached", "semidetached_house", "terrace", "bungalow",
    "dormitory", "farm",
)  # fmt: skip
#: Levels assumed for low-rise types when the levels field is empty.
DEFAULT_LEVELS = {"house": 1.0, "detached": 1.0, "bungalow": 1.0, "semidetached_house": 1.0, "farm": 1.0}
#: Levels assumed for every other building without a levels value.
FALLBACK_LEVELS = 2.0
FLOOR_AREA_PER_HOUSEHOLD_M2 = 100.0
MIN_FOOTPRINT_M2 = 30.0


_TEXT_FIELD = {
    "households": N_(
        "The households field {field} holds text, not numbers (e.g. {example}); choose a numeric field "
        "or convert it with the field calculator (to_int)."
    ),
    "levels": N_(
        "The levels field {field} holds text, not numbers (e.g. {example}); choose a numeric field "
        "or convert it with the field calculator (to_real)."
    ),
}
_MISSING_FIELD = {
    "households": N_("The households field {field} is not in the building layer; its fields are: {fields}."),
    "type": N_("The building type field {field} is not in the building layer; its fields are: {fields}."),
    "levels": N_("The levels field {field} is not in the building layer; its fields are: {fields}."),
}


def _numeric_field(frame, field: str, *, what: str) -> tuple[pd.Series, int]:
    """Numbers of ``field``; text that is not a number becomes NaN and is counted."""
    values = frame[field]
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        return values.astype(float), 0
    text = values.astype(object)
    present = text.notna() & (text.astype(str).str.strip() != "")
    numbers = pd.to_numeric(text.where(present, None).astype(str).str.strip().where(present, None), errors="coerce")
    numbers = numbers.astype(float)
    not_numbers = int((present & numbers.isna()).sum())
    if present.any() and not numbers.notna().any():
        raise InputError(_TEXT_FIELD[what], field=field, example=repr(str(text[present].iloc[0])))
    return numbers, not_numbers


def estimate_households(
    buildings: gpd.GeoDataFrame,
    *,
    households_field: str | None = None,
    type_field: str = "building",
    levels_field: str | None = "levels",
    floor_area_per_household_m2: float = FLOOR_AREA_PER_HOUSEHOLD_M2,
    default_levels: Mapping[str, float] | None = None,
    fallback_levels: float = FALLBACK_LEVELS,
    residential_types: Iterable[str] | None = None,
    min_footprint_m2: float = MIN_FOOTPRINT_M2,
    report: Report | None = None,
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Add an integer ``households`` column to a copy of ``buildings``.

    Parameters
    ----------
    buildings : GeoDataFrame
        Building polygons. A geographic CRS is allowed: footprints are then measured in the
        automatic metric CRS (:func:`.crs.auto_metric_crs`).
    households_field : str, optional
        A field with known household counts. Valid values (numbers ≥ 0, rounded) are kept; empty,
        text or negative values are replaced by the estimate and counted in a warning. A field that
        holds only text is an error.
    type_field : str
        The raw building tag (``building=*``) that decides residential or not.
    levels_field : str or None
        Number of floors; missing, non-positive or text values fall back to ``default_levels``.
    floor_area_per_household_m2 : float
        Gross floor area of one household (default 100 m²).
    default_levels : mapping, optional
        Levels by building type when the levels field has none (default :data:`DEFAULT_LEVELS`).
    fallback_levels : float
        Levels for other types without a value (default 2).
    residential_types : iterable of str, optional
        Building tag values counted as residential (default :data:`RESIDENTIAL_TYPES`).
    min_footprint_m2 : float
        Residential buildings at least this large get at least one household; smaller ones get 0.
    report : Report, optional

    Returns
    -------
    (GeoDataFrame, DataFrame)
        The buildings with ``households`` (int64), and a summary by value of ``type_field`` with columns
        ``building_type, buildings, residential, households`` plus a ``total`` row.
    """
    report = report or Report()
    if floor_area_per_household_m2 is None or not floor_area_per_household_m2 > 0:
        raise InputError(
            N_("The floor area per household must be greater than 0 m² (got {value})."),
            value=floor_area_per_household_m2,
        )
    if fallback_levels is None or not fallback_levels > 0:
        raise InputError(
            N_("The default number of levels must be greater than 0 (got {value})."), value=fallback_levels
        )
    if min_footprint_m2 is None or min_footprint_m2 < 0:
        raise InputError(N_("The minimum footprint must be 0 m² or more (got {value})."), value=min_footprint_m2)
    if buildings.crs is None:
        raise InputError(N_("The building layer has no coordinate reference system; assign one first."))
    if len(buildings) == 0:
        raise InputError(N_("The layer {name} is empty; choose a layer with features."), name="buildings")
    columns = [c for c in buildings.columns if c != buildings.geometry.name]
    for what, field in (("households", households_field), ("type", type_field), ("levels", levels_field)):
        if field and field not in buildings.columns:
            if what == "levels" and field == "levels":
                continue  # the default levels field is optional
            raise InputError(_MISSING_FIELD[what], field=field, fields=", ".join(map(str, columns)) or "-")
    residential_types = {str(t).strip().lower() for t in (residential_types or RESIDENTIAL_TYPES)}
    default_levels = {str(k).strip().lower(): float(v) for k, v in (default_levels or DEFAULT_LEVELS).items()}
    if any(not v > 0 for v in default_levels.values()):
        raise InputError(N_("Default levels must be greater than 0."))

    geometries = buildings.geometry.values
    if is_geographic(buildings.crs):
        metric = auto_metric_crs_for(buildings)
        report.info(
            N_("The building layer is in the geographic CRS {crs}; footprints are measured in {metric}."),
            crs=describe_crs(buildings.crs),
            metric=describe_crs(metric),
        )
        geometries = buildings.geometry.to_crs(metric).values
    footprint_m2 = np.nan_to_num(shapely.area(geometries).astype(float))

    if type_field and type_field in buildings.columns:
        kind = buildings[type_field].astype(object).where(buildings[type_field].notna(), "")
        kind = kind.astype(str).str.strip().str.lower()
    else:
        kind = pd.Series([""] * len(buildings), index=buildings.index)
    residential = kind.isin(residential_types).to_numpy()

    levels = pd.Series(np.nan, index=buildings.index)
    if levels_field and levels_field in buildings.columns:
        levels, bad_levels = _numeric_field(buildings, levels_field, what="levels")
        levels = levels.where(levels > 0)
        if bad_levels:
            report.warn(
                N_("{n} buildings have a levels value that is not a number; the default levels are used for them."),
                n=bad_levels,
            )
    assumed = kind.map(default_levels).astype(float).fillna(float(fallback_levels))
    levels = levels.fillna(assumed).to_numpy(dtype=float)

    estimate = np.floor(footprint_m2 * levels / float(floor_area_per_household_m2) + 0.5)
    big_enough = footprint_m2 >= float(min_footprint_m2)
    estimate = np.where(residential & big_enough, np.maximum(estimate, 1.0), 0.0)

    households = estimate.copy()
    if households_field:
        given, not_numbers = _numeric_field(buildings, households_field, what="households")
        given = given.to_numpy(dtype=float)
        negative = given < 0
        valid = np.isfinite(given) & ~negative
        households = np.where(valid, np.floor(np.where(valid, given, 0) + 0.5), estimate)
        empty = int((~np.isfinite(given)).sum()) - not_numbers
        if not_numbers or negative.any():
            report.warn(
                N_(
                    "The households field {field} has {text} text and {negative} negative values; "
                    "they were replaced by the estimate from footprint and levels. Check these buildings."
                ),
                field=households_field,
                text=not_numbers,
                negative=int(negative.sum()),
            )
        if empty:
            report.info(
                N_("{n} buildings have no value in {field}; their households are estimated."),
                n=empty,
                field=households_field,
            )

    result = buildings.copy()
    result["households"] = households.astype(np.int64)

    # Totals by the tag that decided residential or not (a normalised "other" would hide building=yes homes).
    group = kind.where(kind != "", "(none)")
    summary = (
        pd.DataFrame(
            {
                "building_type": group.to_numpy(),
                "residential": residential.astype(int),
                "households": result["households"],
            }
        )
        .groupby("building_type", sort=True)
        .agg(buildings=("households", "size"), residential=("residential", "sum"), households=("households", "sum"))
        .reset_index()
        .sort_values(["households", "buildings"], ascending=False, kind="stable")
        .reset_index(drop=True)
    )
    total = pd.DataFrame(
        {
            "building_type": ["total"],
            "buildings": [int(summary["buildings"].sum())],
            "residential": [int(summary["residential"].sum())],
            "households": [int(summary["households"].sum())],
        }
    )
    summary = pd.concat([summary, total], ignore_index=True)
    for row in summary.itertuples(index=False):
        report.info(
            N_("{kind}: {buildings} buildings, {residential} residential, {households} households."),
            kind=row.building_type,
            buildings=int(row.buildings),
            residential=int(row.residential),
            households=int(row.households),
        )
    return result, summary
