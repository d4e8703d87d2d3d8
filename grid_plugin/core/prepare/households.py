"""Households per building: the load that grids are balanced by.

Where a survey gives household counts, they are used (and an office's roll, through
:mod:`.rolls`, replaces both). Elsewhere the count is estimated from the building's footprint, its
floors and an average floor area per household, every number a parameter:

- **which buildings are homes** (``rule="evidence"``, the default): :mod:`.housing_evidence` — a
  building typed as housing is; an untyped ``building=yes`` is only when no tag, land use, name or
  size says otherwise; dormitories hold collective households (集体户) in their own field
  ``collective_households``. ``rule="convention"`` is the crude benchmark convention of
  ``../shared/data/README.md`` (every ``building=yes`` a home), kept so that benchmarks feed every tool
  the same loads;
- floors = the levels field where it is a positive number, else by type (1 for house, detached,
  bungalow, semidetached_house, farm), else :data:`.floors.DEFAULT_FLOORS` — the same default
  ``classify`` uses;
- households = round(footprint_m2 × floors ÷ 100) (halves round up), at least 1 for a home of 30 m²
  or more, and 0 for smaller buildings and for buildings that are not homes.

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
from .floors import DEFAULT_FLOORS, LOW_RISE_FLOORS, building_floors
from .housing_evidence import COLLECTIVE, FAMILY, REASONS, housing_evidence

__all__ = [
    "DEFAULT_LEVELS",
    "FALLBACK_LEVELS",
    "FLOOR_AREA_PER_HOUSEHOLD_M2",
    "MAX_DWELLING_FOOTPRINT_M2",
    "MIN_FOOTPRINT_M2",
    "RESIDENTIAL_TYPES",
    "RULES",
    "estimate_households",
]

#: ``building=*`` values counted as residential by the benchmark convention (``rule="convention"``).
RESIDENTIAL_TYPES = (
    "yes", "residential", "apartments", "house", "detached", "semidetached_house", "terrace", "bungalow",
    "dormitory", "farm",
)  # fmt: skip
#: Floors assumed for low-rise types without a floor count (shared with classify).
DEFAULT_LEVELS = LOW_RISE_FLOORS
#: Floors assumed for every other building without a floor count (shared with classify).
FALLBACK_LEVELS = DEFAULT_FLOORS
FLOOR_AREA_PER_HOUSEHOLD_M2 = 100.0
MIN_FOOTPRINT_M2 = 30.0
#: An untyped building above this footprint is not a home (a mall, a stadium, a steel works).
MAX_DWELLING_FOOTPRINT_M2 = 2500.0
RULES = ("evidence", "convention")
#: How each dormitory's households count: as collective households (default) or as family households.
DORMITORY_MODES = ("collective", "family")

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


def _check_parameters(buildings, fields: dict, numbers: dict, rule: str, dormitories: str) -> None:
    """Refuse impossible numbers, a missing layer/CRS and missing fields with a clear sentence."""
    if numbers["floor_area"] is None or not numbers["floor_area"] > 0:
        raise InputError(
            N_("The floor area per household must be greater than 0 m² (got {value})."), value=numbers["floor_area"]
        )
    if numbers["fallback_levels"] is None or not numbers["fallback_levels"] > 0:
        raise InputError(
            N_("The default number of levels must be greater than 0 (got {value})."), value=numbers["fallback_levels"]
        )
    if numbers["min_footprint"] is None or numbers["min_footprint"] < 0:
        raise InputError(
            N_("The minimum footprint must be 0 m² or more (got {value})."), value=numbers["min_footprint"]
        )
    if numbers["max_footprint"] is None or not numbers["max_footprint"] > 0:
        raise InputError(
            N_("The largest dwelling footprint must be greater than 0 m² (got {value})."),
            value=numbers["max_footprint"],
        )
    if rule not in RULES or dormitories not in DORMITORY_MODES:
        raise InputError(
            N_("Unknown household rule {rule} or dormitory mode {mode}; use {rules} and {modes}."),
            rule=rule,
            mode=dormitories,
            rules="/".join(RULES),
            modes="/".join(DORMITORY_MODES),
        )
    if buildings.crs is None:
        raise InputError(N_("The building layer has no coordinate reference system; assign one first."))
    if len(buildings) == 0:
        raise InputError(N_("The layer {name} is empty; choose a layer with features."), name="buildings")
    columns = [c for c in buildings.columns if c != buildings.geometry.name]
    for what, field in fields.items():
        if field and field not in buildings.columns:
            if (what, field) in (("levels", "levels"), ("type", "building")):
                continue  # the default fields are optional
            raise InputError(_MISSING_FIELD[what], field=field, fields=", ".join(map(str, columns)) or "-")


def _footprints(buildings, report: Report) -> np.ndarray:
    geometries = buildings.geometry.values
    if is_geographic(buildings.crs):
        metric = auto_metric_crs_for(buildings)
        report.info(
            N_("The building layer is in the geographic CRS {crs}; footprints are measured in {metric}."),
            crs=describe_crs(buildings.crs),
            metric=describe_crs(metric),
        )
        geometries = buildings.geometry.to_crs(metric).values
    return np.nan_to_num(shapely.area(geometries).astype(float))


def _floors(buildings, levels_field, kind, default_levels, fallback_levels, report) -> np.ndarray:
    levels = None
    if levels_field and levels_field in buildings.columns:
        levels, bad_levels = _numeric_field(buildings, levels_field, what="levels")
        if bad_levels:
            report.warn(
                N_("{n} buildings have a levels value that is not a number; the default levels are used for them."),
                n=bad_levels,
            )
    floors = building_floors(levels, kind, default_floors=fallback_levels, floors_by_type=default_levels)
    return floors.to_numpy(dtype=float)


def _apply_known(buildings, households_field, estimate, report) -> tuple[np.ndarray, np.ndarray]:
    """The households field where usable, else the estimate; and where the field was used."""
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
    return households, valid


def _summaries(kind, residential, households, reasons, report) -> pd.DataFrame:
    """Totals by building tag and by reason in the log; the table by tag returned."""
    group = kind.where(kind != "", "(none)")
    summary = (
        pd.DataFrame(
            {"building_type": group.to_numpy(), "residential": residential.astype(int), "households": households}
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
    by_reason = pd.DataFrame({"reason": reasons, "households": households}).groupby("reason", sort=True)
    for reason, group_rows in by_reason:
        report.info(REASONS[reason], n=len(group_rows), households=int(group_rows["households"].sum()))
    return summary


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
    rule: str = "evidence",
    building_type_field: str | None = "building_type",
    name_field: str | None = "name",
    landuse: gpd.GeoDataFrame | None = None,
    pois: gpd.GeoDataFrame | None = None,
    max_dwelling_footprint_m2: float = MAX_DWELLING_FOOTPRINT_M2,
    dormitories: str = "collective",
    name_table=None,
    report: Report | None = None,
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Add ``households`` (family), ``collective_households``, ``households_source`` and ``household_rule``.

    Parameters
    ----------
    buildings : GeoDataFrame
        Building polygons. A geographic CRS is allowed: footprints are then measured in the
        automatic metric CRS (:func:`.crs.auto_metric_crs`).
    households_field : str, optional
        A field with known household counts. Valid values (numbers ≥ 0, rounded) are kept
        (``households_source = survey``); empty, text or negative values are replaced by the estimate
        and counted in a warning. A field that holds only text is an error.
    type_field : str
        The raw building tag (``building=*``).
    levels_field : str or None
        Number of floors; missing, non-positive or text values fall back to ``default_levels``.
    floor_area_per_household_m2 : float
        Gross floor area of one household (default 100 m²).
    default_levels : mapping, optional
        Floors by building tag when the levels field has none (default :data:`DEFAULT_LEVELS`).
    fallback_levels : float
        Floors of other buildings without a value (default :data:`.floors.DEFAULT_FLOORS`).
    residential_types : iterable of str, optional
        With ``rule="convention"``: building tag values counted as residential (default
        :data:`RESIDENTIAL_TYPES`).
    min_footprint_m2 : float
        Homes at least this large get at least one household; smaller ones get 0.
    rule : {"evidence", "convention"}
        Which buildings are homes (module docstring).
    building_type_field, name_field, landuse, pois, max_dwelling_footprint_m2, name_table
        The evidence of :func:`.housing_evidence.housing_evidence` (``rule="evidence"``).
    dormitories : {"collective", "family"}
        Dormitories' households go to ``collective_households`` (default) or count as family households.
    report : Report, optional

    Returns
    -------
    (GeoDataFrame, DataFrame)
        The buildings with the new columns, and a summary by value of ``type_field`` with columns
        ``building_type, buildings, residential, households`` plus a ``total`` row.
    """
    report = report or Report()
    numbers = {
        "floor_area": floor_area_per_household_m2,
        "fallback_levels": fallback_levels,
        "min_footprint": min_footprint_m2,
        "max_footprint": max_dwelling_footprint_m2,
    }
    fields = {"households": households_field, "type": type_field, "levels": levels_field}
    _check_parameters(buildings, fields, numbers, rule, dormitories)
    default_levels = {
        str(k).strip().lower(): float(v)
        for k, v in (DEFAULT_LEVELS if default_levels is None else default_levels).items()
    }
    if any(not v > 0 for v in default_levels.values()):
        raise InputError(N_("Default levels must be greater than 0."))
    footprint_m2 = _footprints(buildings, report)
    if type_field and type_field in buildings.columns:
        kind = buildings[type_field].astype(object).where(buildings[type_field].notna(), "")
        kind = kind.astype(str).str.strip().str.lower()
    else:
        kind = pd.Series([""] * len(buildings), index=buildings.index)
    if rule == "convention":
        allowed = {str(t).strip().lower() for t in (residential_types or RESIDENTIAL_TYPES)}
        home = kind.isin(allowed).to_numpy()
        use = pd.DataFrame(
            {"kind": np.where(home, FAMILY, "none"), "reason": np.where(home, "convention", "not_convention")}
        )
    else:
        use = housing_evidence(
            buildings, type_field=type_field, building_type_field=building_type_field, name_field=name_field,
            landuse=landuse, pois=pois, max_dwelling_footprint_m2=max_dwelling_footprint_m2,
            footprint_m2=footprint_m2, name_table=name_table,
        )  # fmt: skip
    floors = _floors(buildings, levels_field, kind, default_levels, fallback_levels, report)
    estimate = np.floor(footprint_m2 * floors / float(floor_area_per_household_m2) + 0.5)
    is_home = use["kind"].to_numpy() != "none"
    big_enough = footprint_m2 >= float(min_footprint_m2)
    estimate = np.where(is_home & big_enough, np.maximum(estimate, 1.0), 0.0)
    reasons = use["reason"].to_numpy(dtype=object).copy()
    reasons[is_home & ~big_enough] = "too_small"
    collective = use["kind"].to_numpy() == COLLECTIVE
    if dormitories == "family":
        collective = np.zeros(len(buildings), dtype=bool)
    family = np.where(collective, 0.0, estimate)

    households, source = family, np.full(len(buildings), "estimate", dtype=object)
    if households_field:
        households, known = _apply_known(buildings, households_field, family, report)
        source[known] = "survey"
    result = buildings.copy()
    result["households"] = households.astype(np.int64)
    result["collective_households"] = np.where(collective, estimate, 0.0).astype(np.int64)
    result["households_source"] = source
    result["household_rule"] = reasons
    if collective.any():
        report.info(
            N_("{n} dormitories hold {households} collective households (集体户), not counted as family households."),
            n=int(collective.sum()),
            households=int(result["collective_households"].sum()),
        )
    summary = _summaries(kind, is_home & ~collective, result["households"].to_numpy(), reasons, report)
    return result, summary
