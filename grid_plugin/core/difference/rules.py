"""The rule table of the difference principle: one row per grid type, how it is recognised and loaded.

The shipped table is ``grid_plugin/mappings/grid_rules.csv``; planners copy and edit it.

Examples
--------
>>> rules = load_rules()
>>> rules.by_type("village").cluster_distance_m
80.0
>>> sorted(r.grid_type for r in rules.rules if r.role == "site")[:2]
['commercial', 'crowded']
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import N_, InputError
from ..inputs import read_csv_records
from ..paths import MAPPINGS_DIR

__all__ = [
    "DEFAULT_RULES_PATH",
    "ROLES",
    "LOAD_RULES",
    "LAND_MODES",
    "MATCH_KEYS",
    "POI_CONTAINER_EXCLUDED",
    "GridRule",
    "RuleTable",
    "load_rules",
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
    """Read and check a rule table (CSV in UTF-8 or GBK, one row per grid type).

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
    columns, rows = read_csv_records(path)
    missing = [c for c in _REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise InputError(
            N_("The rule table {source} lacks the column(s) {missing}; start from the shipped grid_rules.csv."),
            source=source,
            missing=", ".join(missing),
        )
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
