"""Editable mapping tables: class values of a land-use layer, building types, POI kinds or land-cover
raster codes → grid type codes.

The tables are plain CSV files (UTF-8, or GBK as Chinese Excel saves them) so that a planner can copy one, edit it in a spreadsheet and
point the classifier at the copy. The shipped defaults live in ``grid_plugin/mappings/``:

================  =========================================================================
file              what it maps
================  =========================================================================
osm_landuse.csv   OpenStreetMap tags (landuse, natural, leisure, amenity, shop, building,
                  place, tourism, water, …) on land-use polygons
gbt21010.csv      China's land-use classification GB/T 21010-2017 (two-level codes with the
                  Chinese class names; also the third national land survey's 05H1, 08H1 …)
osm_buildings.csv building types (OSM ``building=*`` and the normalised ``building_type``)
osm_pois.csv      POI kinds that make a crowded place, with a weight per kind
nlcd.csv          USGS NLCD land-cover codes (and the level-I legend names)
esa_worldcover.csv ESA WorldCover 10 m land-cover codes
clcd.csv          China Land Cover Dataset (CLCD, 30 m) codes
================  =========================================================================

Columns (header row required; extra columns are ignored):

``key``
    The attribute or OSM key the value comes from (``landuse``, ``natural`` …). Empty: any key.
``value``
    The class value as it appears in the data (``forest``, ``0702``, ``41``, ``Forest``); ``*`` in
    a row with a key matches every value of that key not listed elsewhere.
``grid_type``
    A code of :mod:`grid_plugin.core.grid_types`, or ``ignore`` for classes that are no evidence of a
    grid type (parking lots, roads, lawns): their area counts as not covered.
``priority``
    Where land-use polygons overlap, the area counts for the class with the highest priority (see
    :func:`grid_plugin.core.classify.engine.classify_grids`). Empty: the default of the grid type.
``weight``
    For POIs: how much one POI of this kind adds to a grid's crowded-place score. Empty: 1.
``name_zh``, ``name_en``
    The class names; the lookup also accepts them as values (a GB/T layer holding ``农村宅基地``).
``note``
    Free text.

Code tables (GB/T 21010) are looked up forgivingly, because real layers hold codes in many forms:
``'0702'``, ``702`` (an integer column lost the leading zero), ``'07'`` (first level only), the
2007 edition's three-digit ``'072'``, ``'0702 农村宅基地'`` or just ``'农村宅基地'``. A four-digit code
missing from the table falls back to its first level (``'0799'`` → ``'07'``).

Examples
--------
>>> table = load_mapping("gbt21010")
>>> table.lookup("0702").grid_type, table.lookup(702).grid_type, table.lookup("农村宅基地").grid_type
('village', 'village', 'village')
>>> table.lookup("07").grid_type, table.lookup("072").grid_type, table.lookup("1105").grid_type
('residential', 'village', 'tidal_flat')
>>> load_mapping("osm_landuse").lookup("forest", key="landuse").grid_type
'forest'
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import N_, InputError
from ..grid_types import GRID_TYPE_CODES
from ..inputs import read_csv_records

__all__ = [
    "MAPPINGS_DIR",
    "SHIPPED_MAPPINGS",
    "IGNORE",
    "DEFAULT_PRIORITY",
    "MappingRow",
    "ClassMapping",
    "load_mapping",
    "normalise_value",
]

from ..paths import MAPPINGS_DIR  # noqa: E402

#: Names of the shipped tables (file stems in ``grid_plugin/mappings``).
SHIPPED_MAPPINGS = ("osm_landuse", "gbt21010", "osm_buildings", "osm_pois", "nlcd", "esa_worldcover", "clcd")

#: The pseudo grid type of classes that carry no evidence.
IGNORE = "ignore"

#: Overlap priority per grid type when a row leaves ``priority`` empty: designations drawn over
#: other land (scenic areas) first, then water, then the specific sites, then broad land covers.
DEFAULT_PRIORITY = {
    "scenic": 95,
    "water": 90,
    "tidal_flat": 85,
    "crowded": 80,
    "enterprise": 75,
    "industrial": 70,
    "commercial": 65,
    "village": 60,
    "residential": 55,
    "farmland": 40,
    "forest": 30,
    "mountain": 20,
    "mixed": 10,
    "unknown": 1,
    IGNORE: 0,
}

_CODE = re.compile(r"^(\d[0-9A-Z]{0,3})(?![0-9A-Z])\s*[-_.:：、 ]*\s*(.*)$")


@dataclass(frozen=True)
class MappingRow:
    """One row of a mapping table."""

    key: str
    value: str
    grid_type: str
    priority: int
    weight: float
    name_zh: str
    name_en: str


def normalise_value(value) -> str | None:
    """The text form of a class value: stripped, integers without ``.0``; ``None`` for empty/NaN."""
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            value = int(value)
    text = str(value).strip()
    return text or None


class ClassMapping:
    """A mapping table: look up the grid type of a class value (optionally under a key).

    Parameters
    ----------
    rows : list of MappingRow
    name : str
        Shown in messages (the file name).
    """

    def __init__(self, rows: list[MappingRow], name: str = "mapping"):
        self.rows = list(rows)
        self.name = name
        self._by_key_value: dict[tuple[str, str], MappingRow] = {}
        self._by_key_value_ci: dict[tuple[str, str], MappingRow] = {}
        self._wildcard: dict[str, MappingRow] = {}
        self._any_key: dict[str, MappingRow] = {}
        self._any_key_ci: dict[str, MappingRow] = {}
        self._by_value_all: dict[str, list[MappingRow]] = {}
        self._by_name: dict[str, MappingRow] = {}
        for row in self.rows:
            key = row.key.strip()
            if row.value == "*":
                if key:
                    self._wildcard.setdefault(key.lower(), row)
                continue
            if key:
                self._by_key_value.setdefault((key, row.value), row)
                self._by_key_value_ci.setdefault((key.lower(), row.value.lower()), row)
            else:
                self._any_key.setdefault(row.value, row)
                self._any_key_ci.setdefault(row.value.lower(), row)
            self._by_value_all.setdefault(row.value.lower(), []).append(row)
            for name in (row.name_zh, row.name_en):
                if name:
                    self._by_name.setdefault(name.strip().lower(), row)
        self._cache: dict[tuple[str | None, str], MappingRow | None] = {}

    def __len__(self) -> int:
        return len(self.rows)

    @classmethod
    def from_csv(cls, path) -> ClassMapping:
        """Read a mapping CSV (see the module docstring for its columns)."""
        path = Path(path)
        if not path.exists():
            raise InputError(
                N_("The mapping table {path} does not exist; choose a CSV file or one of the shipped tables: {names}."),
                path=str(path),
                names=", ".join(SHIPPED_MAPPINGS),
            )
        columns, records = read_csv_records(path)
        if not records or "value" not in columns or "grid_type" not in columns:
            raise InputError(
                N_(
                    "The mapping table {path} needs the columns value and grid_type (and optionally key, priority, "
                    "weight, name_zh, name_en)."
                ),
                path=str(path),
            )
        rows, bad = [], []
        for line, record in enumerate(records, start=2):
            value = normalise_value(record.get("value"))
            grid_type = (record.get("grid_type") or "").strip()
            if value is None:
                continue
            if grid_type not in GRID_TYPE_CODES and grid_type != IGNORE:
                bad.append(f"{line}:{grid_type or '∅'}")
                continue
            rows.append(
                MappingRow(
                    key=(record.get("key") or "").strip(),
                    value=value,
                    grid_type=grid_type,
                    priority=_int_or(record.get("priority"), DEFAULT_PRIORITY.get(grid_type, 0)),
                    weight=_float_or(record.get("weight"), 1.0),
                    name_zh=(record.get("name_zh") or "").strip(),
                    name_en=(record.get("name_en") or "").strip(),
                )
            )
        if bad:
            raise InputError(
                N_(
                    "The mapping table {path} has unknown grid types (line:value) {lines}; use one of {codes} or ignore."
                ),
                path=str(path),
                lines=", ".join(bad[:10]),
                codes=", ".join(GRID_TYPE_CODES),
            )
        return cls(rows, name=path.name)

    def lookup(self, value, key: str | None = None) -> MappingRow | None:
        """The row for ``value`` (under ``key`` when given), or ``None`` when the table has no match."""
        text = normalise_value(value)
        if text is None:
            return None
        cache_key = (key, text)
        if cache_key not in self._cache:
            self._cache[cache_key] = self._lookup(text, key)
        return self._cache[cache_key]

    def _lookup(self, text: str, key: str | None) -> MappingRow | None:
        lower = text.lower()
        if key:
            row = self._by_key_value.get((key, text)) or self._by_key_value_ci.get((key.lower(), lower))
            if row is not None:
                return row
        row = self._any_key.get(text) or self._any_key_ci.get(lower)
        if row is not None:
            return row
        code_row = self._lookup_code(text)
        if code_row is not None:
            return code_row
        row = self._by_name.get(lower)
        if row is not None:
            return row
        if key and key.lower() in self._wildcard:
            return self._wildcard[key.lower()]
        # The key is not a tag name (e.g. a field called landuse_class): accept the value when
        # every row holding it agrees on the grid type.
        candidates = self._by_value_all.get(lower, [])
        if candidates and len({r.grid_type for r in candidates}) == 1:
            return candidates[0]
        return None

    def _lookup_code(self, text: str) -> MappingRow | None:
        match = _CODE.match(text.upper())
        if not match:
            return None
        code, rest = match.group(1), match.group(2).strip()
        for candidate in _code_candidates(code):
            row = self._any_key.get(candidate)
            if row is not None:
                return row
        if rest:
            row = self._by_name.get(rest.lower())
            if row is not None:
                return row
        if len(code) == 4 and code[:2] in self._any_key:
            return self._any_key[code[:2]]
        return None


def _code_candidates(code: str) -> list[str]:
    """Spellings of a land classification code to try, most literal first."""
    out = [code]
    if code.isdigit():
        if len(code) in (1, 3):
            out.append("0" + code)  # an integer column dropped the leading zero: 702 → 0702, 7 → 07
        if len(code) == 3:
            out.append(code[:2] + "0" + code[2])  # GB/T 21010-2007: 072 → 0702, 114 → 1104
        if len(code) == 2:
            padded = "0" + code  # 72 was 072 (2007 edition) → 0702
            out.append(padded[:2] + "0" + padded[2])
    return out


def _int_or(text, default: int) -> int:
    try:
        return int(float(text))
    except (TypeError, ValueError):
        return int(default)


def _float_or(text, default: float) -> float:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return float(default)
    return value if math.isfinite(value) else float(default)


def load_mapping(name_or_path) -> ClassMapping:
    """A shipped table by name (``"gbt21010"``), a path to a CSV, or a :class:`ClassMapping` as is."""
    if isinstance(name_or_path, ClassMapping):
        return name_or_path
    text = str(name_or_path)
    if text in SHIPPED_MAPPINGS:
        return ClassMapping.from_csv(MAPPINGS_DIR / f"{text}.csv")
    return ClassMapping.from_csv(Path(text))
