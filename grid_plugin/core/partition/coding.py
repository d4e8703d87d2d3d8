"""Grid codes: 6-digit county + 3-digit township + 3-digit community/village + 3-digit serial.

The layout follows Beijing's DB11/T 2157-2023 and the administrative division codes of GB/T 10114
(county code from GB/T 2260). Serials run west→east, north→south within each parent unit:

1. The parent's grids are cut into horizontal *row bands* from the parent's northern edge; the band
   height is the square root of the median grid area in that parent (about one grid high).
2. A grid belongs to the band that holds its representative point (a point surely inside it).
3. Bands are numbered from north to south; within a band grids are ordered by the x of their
   representative point (west to east). Ties break on y (north first), then on the input order.

The order is a pure function of the geometries, so the same grids always get the same codes.

Examples
--------
>>> import geopandas as gpd, shapely
>>> grids = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 10, 10), shapely.box(10, 0, 20, 10),
...                                    shapely.box(0, 10, 10, 20)])
>>> assign_codes(grids, county="110105", township="001", community="002")["grid_code"].tolist()
['110105001002002', '110105001002003', '110105001002001']
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import shapely

from ..errors import N_, InputError, Report

__all__ = ["assign_codes", "serial_order", "parent_prefixes"]

_DIGITS = re.compile(r"^\d+$")


def serial_order(geometries, band_m: float | None = None) -> np.ndarray:
    """Rank (0-based) of each geometry in west→east, north→south reading order.

    Parameters
    ----------
    geometries : array of polygons
    band_m : float, optional
        Height of a row band; default the square root of the median area.
    """
    geometries = np.asarray(geometries, dtype=object)
    if geometries.size == 0:
        return np.zeros(0, dtype=np.int64)
    points = shapely.get_coordinates(shapely.point_on_surface(geometries))
    if band_m is None:
        areas = shapely.area(geometries)
        band_m = float(np.sqrt(np.median(areas))) if np.median(areas) > 0 else 1.0
    band_m = max(band_m, 1e-9)
    top = float(shapely.total_bounds(geometries)[3])
    band = np.floor((top - points[:, 1]) / band_m).astype(np.int64)
    order = np.lexsort((np.arange(geometries.size), -points[:, 1], points[:, 0], band))
    rank = np.empty(geometries.size, dtype=np.int64)
    rank[order] = np.arange(geometries.size)
    return rank


def parent_prefixes(parent_codes, county: str, township: str, community: str | None = None) -> dict:
    """Map each parent code to its 12-digit prefix (county + township + community).

    A 12-digit parent code is used as the whole prefix, a 9-digit one as township + community, a
    3-digit one as the community; other codes (names, ``C-01``) are numbered 001, 002, … in sorted order,
    skipping 3-digit community codes already in use.
    """
    prefixes = {}
    texts = [str(c) for c in parent_codes]
    is_code = [bool(_DIGITS.match(t)) and len(t) in (3, 9, 12) for t in texts]
    used = {t[-3:] for t, ok in zip(texts, is_code, strict=True) if ok and len(t) == 3}
    others = sorted({t for t, ok in zip(texts, is_code, strict=True) if not ok})
    other_number, candidate = {}, 1
    for text in others:  # numbered in sorted order, skipping community codes already in use
        while f"{candidate:03d}" in used:
            candidate += 1
        other_number[text] = f"{candidate:03d}"
        candidate += 1
    for code, text in zip(parent_codes, texts, strict=True):
        if _DIGITS.match(text) and len(text) == 12:
            prefixes[code] = text
        elif _DIGITS.match(text) and len(text) == 9:
            prefixes[code] = county + text
        elif _DIGITS.match(text) and len(text) == 3:
            prefixes[code] = county + township + text
        else:
            prefixes[code] = county + township + other_number[text]
    return prefixes


def assign_codes(
    grids,
    *,
    parent_code_field: str | None = None,
    county: str = "000000",
    township: str = "000",
    community: str = "001",
    code_field: str = "grid_code",
    serial_digits: int = 3,
    band_m: float | None = None,
    report: Report | None = None,
):
    """Code every grid: county + township + community + serial (west→east, north→south per parent).

    Parameters
    ----------
    grids : GeoDataFrame
        Grid polygons.
    parent_code_field : str, optional
        Column with the parent (community/village) code; grids are numbered within each parent.
        Without it all grids form one parent coded ``community``.
    county : str
        6-digit county code (GB/T 2260), e.g. ``"440307"`` (Longgang District, Shenzhen).
    township : str
        3-digit township/subdistrict code.
    community : str
        3-digit community code used when there is no parent field.
    code_field : str
        Output column.
    serial_digits : int
        Width of the serial (3; more digits are used, with a warning, when a parent has more grids).
    band_m : float, optional
        Row band height (default: square root of the median grid area per parent).

    Returns
    -------
    GeoDataFrame
        A copy with ``code_field`` and ``serial`` (int) columns, the rows in their input order.
    """
    report = report or Report()
    for value, name, width in ((county, "county", 6), (township, "township", 3), (community, "community", 3)):
        if not (_DIGITS.match(str(value)) and len(str(value)) == width):
            raise InputError(
                N_("The {name} code {value} must have exactly {width} digits; enter a code such as {example}."),
                name=name,
                value=value,
                width=width,
                example="0" * (width - 1) + "1",
            )
    if parent_code_field and parent_code_field not in grids.columns:
        raise InputError(
            N_("The grid layer has no field {field}; choose the field that holds the parent code."),
            field=parent_code_field,
        )
    result = grids.copy()
    if parent_code_field:
        parents = result[parent_code_field].astype(object).where(result[parent_code_field].notna(), "")
        parents = parents.map(lambda v: str(v).strip()).to_numpy()
    else:
        parents = np.full(len(result), community, dtype=object)
    prefixes = parent_prefixes(list(dict.fromkeys(parents.tolist())), county, township, community)
    serial = np.zeros(len(result), dtype=np.int64)
    geoms = np.asarray(result.geometry.values, dtype=object)
    for parent in dict.fromkeys(parents.tolist()):
        members = np.flatnonzero(parents == parent)
        serial[members] = serial_order(geoms[members], band_m) + 1
        if members.size >= 10**serial_digits:
            report.warn(
                N_("Parent {parent} has {n} grids, more than {width}-digit serials can number; codes use more digits."),
                parent=parent,
                n=int(members.size),
                width=serial_digits,
            )
    width = max(serial_digits, len(str(int(serial.max())))) if serial.size else serial_digits
    result[code_field] = pd.array(
        [prefixes[p] + str(s).zfill(width) for p, s in zip(parents.tolist(), serial.tolist(), strict=True)],
        dtype=object,
    )
    result["serial"] = serial
    return result
