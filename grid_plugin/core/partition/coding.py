"""Grid codes, one form everywhere: the parent's 12-digit 统计用区划代码 + a 3-digit serial = 15 digits.

The layout is Beijing's DB11/T 2157-2023 on the statistical division codes of GB/T 10114 (county code
from GB/T 2260)::

    440307   015        001               003
    county   township   community/village serial
    └──────── parent: 12 digits ────────┘

Every algorithm that writes codes (``partition``, ``partitionbytype``, ``regrid``, ``multilevel``,
``assigncodes``) builds them here.

**Parents.** A parent code (from a parent field) is completed to 12 digits with the ``county``,
``township`` and ``community`` inputs, which fill in the parts the parent code does not hold:

=========================  ==============================================  ==========================
parent code                what it is                                      12-digit parent
=========================  ==============================================  ==========================
``440307015001``           a community or village (the usual case)         itself
``440307015000``           a township in the 12-digit table form           ``440307015`` + community
``440307000000``           a county in the 12-digit table form             county + township + community
``440307015``              a township (9 digits)                           itself + community
``440307``                 a county (6 digits)                             itself + township + community
``001``                    a community code alone (3 digits)               county + township + itself
(no parent field)          area features: the next feature the next code   county + township + community
=========================  ==============================================  ==========================

Anything else (a name, 10 digits, letters, an empty code) is refused, naming the feature and the
expected form. Numbers read from a numeric field (``440307015001.0``) are taken as their digits.

**Serial order** (the standard's reading order: rows from north to south, west to east in a row), with
a rule a reader can check on the map:

1. Each grid is represented by its centroid.
2. The *row height* is the median height (north–south extent) of the parent's grids.
3. Rows are formed from the north: the northernmost centroid not yet in a row starts a row, and
   every remaining centroid less than half a row height south of it joins that row.
4. Serials run row by row from north to south, and within a row from west to east (by centroid x;
   ties by y, then by input order).

The order is a pure function of the geometries: the same grids always get the same codes.

Examples
--------
>>> import geopandas as gpd, shapely
>>> grids = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 10, 10), shapely.box(10, 0, 20, 10),
...                                    shapely.box(0, 10, 10, 20)])
>>> assign_codes(grids, county="110105", township="001", community="002")["grid_code"].tolist()
['110105001002002', '110105001002003', '110105001002001']
>>> parent_prefix("440307015001"), parent_prefix("440307015", community="002")
('440307015001', '440307015002')
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import shapely

from ..errors import N_, InputError, Report

__all__ = [
    "CODE_DIGITS",
    "PARENT_DIGITS",
    "SERIAL_DIGITS",
    "DEFAULT_COUNTY",
    "DEFAULT_TOWNSHIP",
    "DEFAULT_COMMUNITY",
    "code_text",
    "check_code_parts",
    "split_prefix",
    "parent_prefix",
    "parent_prefixes",
    "feature_prefixes",
    "serial_order",
    "assign_codes",
    "tier_codes",
    "check_grid_codes",
]

#: Digits of a grid code, of its parent (county 6 + township 3 + community 3) and of the serial.
CODE_DIGITS = 15
PARENT_DIGITS = 12
SERIAL_DIGITS = 3
#: Placeholders used when no county, township or community code is given.
DEFAULT_COUNTY = "000000"
DEFAULT_TOWNSHIP = "000"
DEFAULT_COMMUNITY = "001"

_DIGITS = re.compile(r"^\d+$")
_PART_WIDTHS = (("county", 6), ("township", 3), ("community", 3))
#: Why a county, township or community code was refused (one sentence each, so each translates whole).
_PART_ERRORS = {
    "county": N_("The county code {value} must have exactly 6 digits (GB/T 2260); enter a code such as 440307."),
    "township": N_("The township code {value} must have exactly 3 digits; enter a code such as 015."),
    "community": N_("The community code {value} must have exactly 3 digits; enter a code such as 001."),
}
#: Warnings when parent codes hold another county or township than the one given.
_MISMATCH = {
    "county": N_("Parent codes hold the county code {other}, not the {given} given; the parent codes are used."),
    "township": N_("Parent codes hold the township code {other}, not the {given} given; the parent codes are used."),
}


def code_text(value) -> str:
    """The digits of a code as text: ``None``/NaN → ``""``; ``440307015001.0`` → ``"440307015001"``.

    >>> code_text(440307015001.0), code_text(" 001 "), code_text(None)
    ('440307015001', '001', '')
    """
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, (bool, np.bool_)):
        return str(value)
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return ""
        return str(int(value)) if float(value).is_integer() else str(value)
    return str(value).strip()


def check_code_parts(county: str = DEFAULT_COUNTY, township: str = DEFAULT_TOWNSHIP, community=DEFAULT_COMMUNITY):
    """Refuse a county (6 digits), township (3) or community (3) code of the wrong form; return them as text."""
    values = []
    for (name, width), value in zip(_PART_WIDTHS, (county, township, community), strict=True):
        text = code_text(value)
        if not (_DIGITS.match(text) and len(text) == width):
            raise InputError(_PART_ERRORS[name], value=text or "(empty)")
        values.append(text)
    return tuple(values)


def split_prefix(code_prefix) -> tuple[str, str, str]:
    """County, township and community codes from a prefix: ``None``, 6, 9 or 12 digits, or a tuple of 2–3.

    >>> split_prefix("440307015"), split_prefix(("440307", "015", "002")), split_prefix(None)
    (('440307', '015', '001'), ('440307', '015', '002'), ('000000', '000', '001'))
    """
    if code_prefix is None or code_prefix == "":
        return DEFAULT_COUNTY, DEFAULT_TOWNSHIP, DEFAULT_COMMUNITY
    if isinstance(code_prefix, (tuple, list)):
        parts = [code_text(p) for p in code_prefix] + [DEFAULT_TOWNSHIP, DEFAULT_COMMUNITY][len(code_prefix) - 1 :]
        return check_code_parts(*parts[:3])
    text = code_text(code_prefix)
    if not (_DIGITS.match(text) and len(text) in (6, 9, 12)):
        raise InputError(
            N_("The code prefix {value} is not 6, 9 or 12 digits (county, + township, + community)."), value=text
        )
    return check_code_parts(text[:6], text[6:9] or DEFAULT_TOWNSHIP, text[9:12] or DEFAULT_COMMUNITY)


def parent_prefix(
    code,
    county: str = DEFAULT_COUNTY,
    township: str = DEFAULT_TOWNSHIP,
    community: str = DEFAULT_COMMUNITY,
    *,
    feature: str | int | None = None,
) -> str:
    """The 12-digit parent code of ``code`` (see the table in the module docstring); refuse other forms.

    Raises
    ------
    InputError
        Naming ``feature`` (or the code) and the expected form.
    """
    text = code_text(code)
    if _DIGITS.match(text):
        if len(text) == 12 and text.endswith("000000"):
            return text[:6] + township + community
        if len(text) == 12 and text.endswith("000"):
            return text[:9] + community
        if len(text) == 12:
            return text
        if len(text) == 9:
            return text + community
        if len(text) == 6:
            return text + township + community
        if len(text) == 3:
            return county + township + text
    raise InputError(
        N_(
            "The parent code {code} of feature {feature} is not a division code. A parent code is the 12-digit "
            "统计用区划代码 (county 6 + township 3 + community/village 3, e.g. 440307015001); a township code "
            "(9 digits, or 12 ending in 000), a county code (6 digits, or 12 ending in 000000) or a 3-digit "
            "community code is completed with the county, township and community codes given."
        ),
        code=text or "(empty)",
        feature=feature if feature is not None else "?",
    )


def parent_prefixes(
    codes,
    county: str = DEFAULT_COUNTY,
    township: str = DEFAULT_TOWNSHIP,
    community: str = DEFAULT_COMMUNITY,
    *,
    features=None,
    report: Report | None = None,
) -> list[str]:
    """12-digit parent codes for a sequence of parent codes; refuse malformed ones, naming up to five.

    ``features`` labels the features in messages (default: their 1-based position). When the county
    or township given differs from the one a 12-digit parent code holds, the code wins and a warning
    says so.
    """
    county, township, community = check_code_parts(county, township, community)
    codes = list(codes)
    features = list(features) if features is not None else [i + 1 for i in range(len(codes))]
    out, bad = [], []
    for code, feature in zip(codes, features, strict=True):
        try:
            out.append(parent_prefix(code, county, township, community, feature=feature))
        except InputError:
            bad.append(f"{code_text(code) or '(empty)'} ({feature})")
    if bad:
        raise InputError(
            N_(
                "{n} parent codes are not division codes, e.g. {examples} (code (feature)). A parent code is the "
                "12-digit 统计用区划代码 (county 6 + township 3 + community/village 3, e.g. 440307015001); a "
                "township code (9 digits, or 12 ending in 000), a county code (6 digits, or 12 ending in 000000) "
                "or a 3-digit community code is completed with the county, township and community codes given. "
                "Fix the parent field or choose another one; nothing was written."
            ),
            n=len(bad),
            examples=", ".join(bad[:5]),
        )
    if report is not None:
        for part, given, start, stop in (("county", county, 0, 6), ("township", township, 6, 9)):
            if set(given) == {"0"}:
                continue
            other = sorted({code_text(c)[start:stop] for c in codes if len(code_text(c)) >= stop} - {given})
            other = [o for o in other if set(o) != {"0"}]
            if other:
                report.warn(_MISMATCH[part], other=", ".join(other[:5]), given=given)
    return out


def feature_prefixes(
    n: int,
    county: str = DEFAULT_COUNTY,
    township: str = DEFAULT_TOWNSHIP,
    community: str = DEFAULT_COMMUNITY,
    *,
    report: Report | None = None,
) -> list[str]:
    """12-digit parent codes for ``n`` area features without a parent field: ``community``, the next, ….

    One feature is county + township + community. Several are several communities whose codes are not
    known: they get consecutive community codes from ``community`` (so each keeps its own serials),
    and the log says so.

    >>> feature_prefixes(2, "440307", "015", "004")
    ['440307015004', '440307015005']
    """
    county, township, community = check_code_parts(county, township, community)
    first = int(community)
    if first + n - 1 > 999:
        raise InputError(
            N_("The area has {n} features but no parent code field; choose the field that holds the parent codes."),
            n=n,
        )
    prefixes = [f"{county}{township}{first + i:03d}" for i in range(n)]
    if n > 1 and report is not None:
        report.warn(
            N_(
                "The area has {n} features but no parent code field: they are coded as communities {first} to "
                "{last}. Choose the field that holds the office's parent codes to use them."
            ),
            n=n,
            first=prefixes[0],
            last=prefixes[-1],
        )
    return prefixes


def serial_order(geometries, row_height_m: float | None = None) -> np.ndarray:
    """Rank (0-based) of each geometry in reading order: rows north→south, west→east within a row.

    Parameters
    ----------
    geometries : array of polygons
    row_height_m : float, optional
        Row height; default the median north–south extent of the geometries. A centroid joins a row
        when it lies less than half a row height south of the row's first (northernmost) centroid.

    Examples
    --------
    >>> import shapely
    >>> serial_order([shapely.box(10, 0, 20, 10), shapely.box(0, 2, 10, 12), shapely.box(0, -10, 10, 0)]).tolist()
    [1, 0, 2]
    """
    geometries = np.asarray(geometries, dtype=object)
    n = geometries.size
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    centroids = shapely.centroid(geometries)
    empty = shapely.is_empty(centroids) | pd.isna(centroids)
    if empty.any():
        centroids[empty] = shapely.Point(0, 0)
    xy = shapely.get_coordinates(centroids)
    x, y = xy[:, 0], xy[:, 1]
    if row_height_m is None or not row_height_m > 0:
        bounds = shapely.bounds(geometries)
        heights = bounds[:, 3] - bounds[:, 1]
        heights = heights[np.isfinite(heights) & (heights > 0)]
        row_height_m = float(np.median(heights)) if heights.size else 1.0
    half = row_height_m / 2.0
    index = np.arange(n)
    north_first = np.lexsort((index, x, -y))
    row = np.empty(n, dtype=np.int64)
    current, anchor = -1, math.inf
    for i in north_first.tolist():
        if anchor - y[i] >= half:
            current += 1
            anchor = y[i]
        row[i] = current
    order = np.lexsort((index, -y, x, row))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = index
    return rank


def assign_codes(
    grids,
    *,
    parent_code_field: str | None = None,
    county: str = DEFAULT_COUNTY,
    township: str = DEFAULT_TOWNSHIP,
    community: str = DEFAULT_COMMUNITY,
    code_field: str = "grid_code",
    serial_digits: int = SERIAL_DIGITS,
    row_height_m: float | None = None,
    report: Report | None = None,
):
    """Code every grid: its parent's 12 digits + a serial in reading order within the parent.

    Parameters
    ----------
    grids : GeoDataFrame
        Grid polygons.
    parent_code_field : str, optional
        Column with the parent code (see the module docstring for the accepted forms); grids are
        numbered within each parent. Without it every grid has the parent county + township + community.
    county : str
        6-digit county code (GB/T 2260), e.g. ``"440307"`` (Longgang District, Shenzhen).
    township : str
        3-digit township/subdistrict code, e.g. ``"015"`` (龙城街道).
    community : str
        3-digit community/village code, used when the parent code does not hold one.
    code_field : str
        Output column.
    serial_digits : int
        Width of the serial (3; more digits are used, with a warning, when a parent has more grids).
    row_height_m : float, optional
        Row height of the reading order (default: the median grid height per parent).

    Returns
    -------
    GeoDataFrame
        A copy with ``code_field`` and ``serial`` (int) columns, the rows in their input order.
    """
    report = report or Report()
    county, township, community = check_code_parts(county, township, community)
    if parent_code_field and parent_code_field not in grids.columns:
        raise InputError(
            N_("The grid layer has no field {field}; choose the field that holds the parent code."),
            field=parent_code_field,
        )
    result = grids.copy()
    if parent_code_field:
        prefixes = np.asarray(
            parent_prefixes(result[parent_code_field].tolist(), county, township, community, report=report),
            dtype=object,
        )
    else:
        prefixes = np.full(len(result), county + township + community, dtype=object)
    if any(p.startswith(DEFAULT_COUNTY) for p in prefixes.tolist()):
        report.warn(
            N_(
                "No county code given: codes start with {county}. Enter the county and township codes (e.g. 440307, 015)."
            ),
            county=DEFAULT_COUNTY,
        )
    serial = np.zeros(len(result), dtype=np.int64)
    geoms = np.asarray(result.geometry.values, dtype=object)
    for prefix in dict.fromkeys(prefixes.tolist()):
        members = np.flatnonzero(prefixes == prefix)
        serial[members] = serial_order(geoms[members], row_height_m) + 1
        if members.size >= 10**serial_digits:
            report.warn(
                N_("Parent {parent} has {n} grids, more than {width}-digit serials can number; codes use more digits."),
                parent=prefix,
                n=int(members.size),
                width=serial_digits,
            )
    width = max(serial_digits, len(str(int(serial.max())))) if serial.size else serial_digits
    result[code_field] = pd.array(
        [p + str(s).zfill(width) for p, s in zip(prefixes.tolist(), serial.tolist(), strict=True)], dtype=object
    )
    result["serial"] = serial
    return result


def tier_codes(parent_codes, geometries, *, digits: int = SERIAL_DIGITS) -> list[str]:
    """Codes ``parent code + serial`` with serials in reading order inside each parent (multi-level grids).

    Raises
    ------
    InputError
        When a parent has more children than ``digits`` can number.
    """
    parent_codes = np.asarray(list(parent_codes), dtype=object)
    geometries = np.asarray(geometries, dtype=object)
    serials = np.zeros(len(parent_codes), dtype=np.int64)
    for parent in pd.unique(parent_codes):
        members = np.flatnonzero(parent_codes == parent)
        serials[members] = serial_order(geometries[members]) + 1
    if len(serials) and serials.max() >= 10**digits:
        raise InputError(
            N_("A parent has {n} children, more than {digits} code digits allow; raise the digits of that level."),
            n=int(serials.max()),
            digits=digits,
        )
    return [f"{p}{s:0{digits}d}" for p, s in zip(parent_codes, serials, strict=True)]


def check_grid_codes(codes) -> None:
    """Refuse grid codes that are not 15 digits (12-digit parent + 3-digit serial), naming up to five."""
    texts = [code_text(c) for c in codes]
    bad = [t or "(empty)" for t in texts if not (_DIGITS.match(t) and len(t) == CODE_DIGITS)]
    if bad:
        raise InputError(
            N_(
                "{n} grid codes are not 15-digit grid codes (12-digit parent + 3-digit serial), "
                "e.g. {examples}. Code the grids with gridplanner:assigncodes first; nothing was written."
            ),
            n=len(bad),
            examples=", ".join(bad[:5]),
        )
