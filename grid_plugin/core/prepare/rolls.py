"""Households from the office: a 楼栋 roll (building register) matched to building footprints.

A grid office keeps a roll of its buildings (实有房屋/楼栋台账): one row per building with an id or an
address, sometimes coordinates, the number of households (户数) and of residents (人口). These numbers
are better than any estimate from footprints, so where the roll has a record, it wins.

Matching, each record used once:

1. **by key** — the roll's id (or address) column equals a field of the buildings (text compared after
   Unicode NFKC normalisation, so full-width ``１２`` equals ``12``; ``12.0`` equals ``12``);
2. **by point** — else the record's coordinates fall inside a footprint;
3. **by distance** — else the nearest footprint within ``max_distance_m``.

A record that matches several footprints (an id shared by two buildings, a point on overlapping
footprints) is *multiply matched*: it goes to the largest of them once, and is reported. Rows that
repeat the key, numbers and point of an earlier row are *duplicates*: counted once, and reported (unless the roll has no
households column: then each row is one household). Several distinct records of
one building (its entrances or units) are added up. Records that match nothing are *unmatched*. The
log names examples of each.

Examples
--------
>>> import geopandas as gpd, pandas as pd, shapely
>>> buildings = gpd.GeoDataFrame({"bid": ["A1", "A2"]}, geometry=[shapely.box(0, 0, 20, 20),
...     shapely.box(40, 0, 60, 20)], crs=4547)
>>> roll = pd.DataFrame({"楼栋编号": ["A1", "A1", "Z9"], "户数": [30, 30, 5], "人口": [80, 80, 9]})
>>> result = match_roll(buildings, roll, building_key="bid")
>>> result.buildings[["bid", "households", "population", "households_source"]].values.tolist()
[['A1', 30, 80.0, 'roll'], ['A2', 0, nan, 'none']]
>>> result.counts["duplicate"], result.counts["unmatched"]
(1, 1)
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from ..errors import N_, InputError, Report
from ..inputs import read_csv_text

__all__ = [
    "ROLL_COLUMN_GUESSES",
    "SOURCE_ROLL",
    "SOURCE_ESTIMATE",
    "SOURCE_NONE",
    "RollResult",
    "guess_roll_columns",
    "match_roll",
    "read_roll_table",
]

SOURCE_ROLL = "roll"
SOURCE_ESTIMATE = "estimate"
SOURCE_NONE = "none"

#: Column names tried for each role, in order (compared without case, spaces, and a unit in brackets).
ROLL_COLUMN_GUESSES: dict[str, tuple[str, ...]] = {
    "key": (
        "楼栋编号", "建筑编号", "楼栋代码", "建筑物编码", "房屋编号", "楼栋id", "building_id", "bid", "id", "编号",
        "osm_id", "地址", "门牌", "门牌号", "门牌地址", "标准地址", "address", "addr",
    ),
    "households": ("户数", "住户数", "总户数", "实有户数", "户", "households", "household", "hh"),
    "population": ("人口", "人数", "实有人口", "常住人口", "总人口", "population", "pop", "persons", "residents"),
    "x": ("x", "经度", "lon", "lng", "long", "longitude", "x坐标", "横坐标"),
    "y": ("y", "纬度", "lat", "latitude", "y坐标", "纵坐标"),
}  # fmt: skip

_EXAMPLES = 5


def _normal_name(name) -> str:
    """A column name without case, spaces or a trailing unit in brackets: ``户数（户）`` → ``户数``."""
    text = unicodedata.normalize("NFKC", str(name)).strip().lower()
    text = re.sub(r"\s+", "", text)
    return re.sub(r"\([^)]*\)$", "", text) or text


def guess_roll_columns(columns) -> dict[str, str | None]:
    """The column of each role (``key``, ``households``, ``population``, ``x``, ``y``), or None.

    >>> guess_roll_columns(["序号", "楼栋编号", "户数（户）", "人口", "经度", "纬度"])
    {'key': '楼栋编号', 'households': '户数（户）', 'population': '人口', 'x': '经度', 'y': '纬度'}
    """
    normal = {_normal_name(c): c for c in reversed(list(columns))}
    found: dict[str, str | None] = {}
    used: set = set()
    for role, names in ROLL_COLUMN_GUESSES.items():
        found[role] = None
        for name in names:
            column = normal.get(_normal_name(name))
            if column is not None and column not in used:
                found[role] = column
                used.add(column)
                break
    return found


def read_roll_table(path, *, sheet: str | int | None = None) -> pd.DataFrame:
    """Read a roll from a CSV (UTF-8, UTF-8 with BOM or GBK/GB18030) or an Excel workbook (XLSX).

    Every cell is read as text or number as written; nothing is converted here.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(N_("The roll file {path} does not exist; choose an existing CSV or XLSX file."), path=path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        try:
            import openpyxl  # noqa: F401 - pandas reads XLSX through it
        except ImportError as error:
            raise InputError(
                N_(
                    "Reading {path} needs the Python package openpyxl; install it (pip install openpyxl) or save the roll as CSV."
                ),
                path=path.name,
            ) from error
        try:
            frame = pd.read_excel(path, sheet_name=0 if sheet in (None, "") else sheet, dtype=object)
        except (ValueError, KeyError, OSError) as error:
            raise InputError(
                N_(
                    "Cannot read the workbook {path}: {reason}. Check the sheet name and that the file is an XLSX file."
                ),
                path=path.name,
                reason=str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__,
            ) from error
    elif suffix in (".csv", ".txt", ".tsv"):
        frame = _read_csv(path)
    else:
        raise InputError(
            N_("The roll file {path} is neither CSV nor XLSX; save it as CSV (UTF-8 or GBK) or XLSX."), path=path.name
        )
    frame = frame.dropna(how="all")
    frame.columns = [str(c).strip() for c in frame.columns]
    if frame.empty:
        raise InputError(
            N_("The roll file {path} has no rows; choose a file with one row per building."), path=path.name
        )
    return frame.reset_index(drop=True)


def _read_csv(path: Path) -> pd.DataFrame:
    import io

    text = read_csv_text(path)  # the one CSV decoder: UTF-8, UTF-8 with BOM or GBK, detected
    separator = "\t" if path.suffix.lower() == ".tsv" else None
    try:
        return pd.read_csv(io.StringIO(text), sep=separator, engine="python", dtype=object)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise InputError(
            N_("Cannot read the CSV file {path}: {reason}."), path=path.name, reason=str(error).strip()
        ) from error


@dataclass
class RollResult:
    """What :func:`match_roll` returns."""

    #: The buildings (same rows) with ``households``, ``population``, ``households_source``, ``roll_records``.
    buildings: gpd.GeoDataFrame
    #: One row per roll record: ``row`` (1-based, as in a spreadsheet), ``key``, ``households``,
    #: ``population``, ``status`` (key/point/nearest/unmatched/duplicate/invalid), ``building`` (row index
    #: of the building or -1), ``candidates`` (buildings it matched before one was chosen).
    records: pd.DataFrame
    #: Records per status, plus ``multiple`` (matched several footprints) and households totals.
    counts: dict = field(default_factory=dict)


def _key_text(value) -> str | None:
    """A key as comparable text: NFKC, no surrounding spaces, ``12.0`` → ``12``; empty → None."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    text = re.sub(r"\s+", "", text)
    if re.fullmatch(r"-?\d+\.0+", text):
        text = text.split(".")[0]
    return text.lower() or None


def _numbers(values: pd.Series) -> pd.Series:
    text = values.astype(object).map(lambda v: unicodedata.normalize("NFKC", str(v)).strip() if pd.notna(v) else None)
    text = text.map(lambda v: v.replace(",", "") if isinstance(v, str) else v)
    return pd.to_numeric(text.where(text.astype(str) != "", None), errors="coerce").astype(float)


def _check_column(roll: pd.DataFrame, column: str | None) -> None:
    if column and column not in roll.columns:
        raise InputError(
            N_("The roll has no column {column}; its columns are: {columns}."),
            column=column,
            columns=", ".join(map(str, roll.columns)),
        )


def _record_points(roll, x_column, y_column, roll_crs, target_crs, report) -> np.ndarray:
    """The records' points in ``target_crs`` (None where a record has no coordinates)."""
    points = np.full(len(roll), None, dtype=object)
    if isinstance(roll, gpd.GeoDataFrame) and roll.geometry is not None and roll.crs is not None:
        geoms = roll.to_crs(target_crs).geometry.values
        present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
        points[present] = shapely.point_on_surface(geoms[present])
        return points
    if not (x_column and y_column):
        return points
    x, y = _numbers(roll[x_column]).to_numpy(), _numbers(roll[y_column]).to_numpy()
    ok = np.isfinite(x) & np.isfinite(y)
    if not ok.any():
        return points
    if roll_crs is None:
        degrees = (np.abs(x[ok]) <= 180).all() and (np.abs(y[ok]) <= 90).all()
        roll_crs = pyproj.CRS.from_epsg(4490) if degrees else pyproj.CRS.from_user_input(target_crs)
        if degrees:
            report.info(
                N_(
                    "The roll's coordinates look like longitude/latitude; they are read as CGCS2000 (EPSG:4490). "
                    "Coordinates copied from a Chinese web map (GCJ-02) are hundreds of metres off; convert them first."
                )
            )
    transformer = pyproj.Transformer.from_crs(roll_crs, target_crs, always_xy=True)
    tx, ty = transformer.transform(x[ok], y[ok])
    points[np.flatnonzero(ok)] = shapely.points(tx, ty)
    return points


def _largest(candidates: list[int], area: np.ndarray) -> int:
    return max(candidates, key=lambda b: (area[b], -b))


def _match_by_key(keys, building_keys, pending, area, building, candidates, status):
    index: dict[str, list[int]] = {}
    for b, key in enumerate(building_keys):
        if key is not None:
            index.setdefault(key, []).append(b)
    for r in np.flatnonzero(pending):
        found = index.get(keys[r]) if keys[r] is not None else None
        if found:
            building[r], candidates[r], status[r] = _largest(found, area), len(found), "key"


def _match_by_point(points, geoms, pending, area, max_distance_m, building, candidates, status):
    has_point = pending & np.array([p is not None for p in points], dtype=bool)
    rows = np.flatnonzero(has_point)
    if not rows.size:
        return
    polygons = np.isin(shapely.get_type_id(geoms), (3, 6))
    tree = shapely.STRtree(geoms)
    if polygons.any():
        rec, bld = tree.query(points[rows], predicate="within")
        keep = polygons[bld]
        rec, bld = rec[keep], bld[keep]
        for r_local in np.unique(rec):
            found = bld[rec == r_local].tolist()
            r = rows[r_local]
            building[r], candidates[r], status[r] = _largest(found, area), len(found), "point"
    rest = rows[status[rows] == ""]
    if rest.size and max_distance_m > 0:
        rec, bld = tree.query_nearest(points[rest], max_distance=max_distance_m, all_matches=False)
        building[rest[rec]], candidates[rest[rec]], status[rest[rec]] = bld, 1, "nearest"


def match_roll(
    buildings: gpd.GeoDataFrame,
    roll: pd.DataFrame,
    *,
    building_key: str | None = None,
    roll_key: str | None = None,
    households_column: str | None = None,
    population_column: str | None = None,
    x_column: str | None = None,
    y_column: str | None = None,
    roll_crs=None,
    max_distance_m: float = 30.0,
    estimate_field: str | None = "households",
    report: Report | None = None,
) -> RollResult:
    """Write the roll's households and population onto a copy of ``buildings``.

    Parameters
    ----------
    buildings : GeoDataFrame
        Footprints (or address points) in a projected CRS in metres.
    roll : DataFrame or GeoDataFrame
        One record per building (or per entrance/unit: several records of a building are added up).
        A GeoDataFrame's own geometry gives its points.
    building_key, roll_key : str, optional
        Field of the buildings and column of the roll holding the same id or address. Without
        ``roll_key`` the column is guessed (:data:`ROLL_COLUMN_GUESSES`); without ``building_key``
        records are matched by their points only.
    households_column, population_column : str, optional
        Guessed when not given. Without a households column, each record is one household.
    x_column, y_column, roll_crs
        Coordinates of the records (guessed; longitude/latitude in degrees are read as CGCS2000,
        other numbers in the buildings' CRS unless ``roll_crs`` says otherwise).
    max_distance_m : float
        The farthest a record's point may lie from the footprint it is given to (0: inside only).
    estimate_field : str, optional
        Existing households of the buildings (an estimate) kept where the roll has no record
        (``households_source = estimate``); elsewhere 0 (``none``).

    Returns
    -------
    RollResult
    """
    report = report or Report()
    if buildings is None or len(buildings) == 0:
        raise InputError(N_("The layer {name} is empty; choose a layer with features."), name="buildings")
    if buildings.crs is None or not pyproj.CRS.from_user_input(buildings.crs).is_projected:
        raise InputError(
            N_(
                "The building layer must be in a projected CRS in metres (distances are measured); reproject it "
                "or run prepareosm first."
            )
        )
    if max_distance_m is None or not max_distance_m >= 0:
        raise InputError(N_("The match distance must be 0 m or more (got {value})."), value=max_distance_m)
    if len(roll) == 0:
        raise InputError(N_("The roll has no records; choose a roll with one row per building."))
    guess = guess_roll_columns(
        [c for c in roll.columns if not isinstance(roll, gpd.GeoDataFrame) or c != roll.geometry.name]
    )
    roll_key = roll_key or (guess["key"] if building_key else None)
    households_column = households_column or guess["households"]
    population_column = population_column or guess["population"]
    x_column, y_column = x_column or guess["x"], y_column or guess["y"]
    if building_key and building_key not in buildings.columns:
        raise InputError(
            N_("The building layer has no field {field}; its fields are: {fields}."),
            field=building_key,
            fields=", ".join(c for c in buildings.columns if c != buildings.geometry.name),
        )
    for column in (roll_key, households_column, population_column, x_column, y_column):
        _check_column(roll, column)
    report.info(
        N_("Roll columns: key {key}, households {households}, population {population}, coordinates {x}/{y}."),
        key=roll_key or "-",
        households=households_column or "-",
        population=population_column or "-",
        x=x_column or "-",
        y=y_column or "-",
    )
    n = len(roll)
    households = _numbers(roll[households_column]) if households_column else pd.Series(1.0, index=roll.index)
    population = _numbers(roll[population_column]) if population_column else pd.Series(np.nan, index=roll.index)
    keys = [_key_text(v) for v in roll[roll_key]] if roll_key else [None] * n
    points = _record_points(roll, x_column, y_column, roll_crs, buildings.crs, report)

    status = np.full(n, "", dtype=object)
    invalid = (households.isna() | (households < 0) | (population < 0)).to_numpy()
    status[invalid] = "invalid"
    # a duplicate repeats the values used (key, numbers, point); a serial number column may differ
    used = pd.DataFrame(
        {
            "key": keys,
            "households": households.to_numpy(),
            "population": population.to_numpy(),
            "point": [shapely.to_wkb(p, hex=True) if p is not None else None for p in points],
        }
    )
    duplicate = used.astype(str).duplicated(keep="first").to_numpy() & ~invalid
    if not households_column:
        duplicate[:] = False  # a roll of households, one row each: equal rows are different households
    status[duplicate] = "duplicate"
    if not (roll_key or any(p is not None for p in points)):
        raise InputError(
            N_(
                "The roll has neither an id/address column matching a building field nor coordinates; give the "
                "building field and the roll's id column, or the roll's x/y columns."
            )
        )

    geoms = buildings.geometry.values
    area = np.nan_to_num(shapely.area(geoms))
    building = np.full(n, -1, dtype=np.int64)
    candidates = np.zeros(n, dtype=np.int64)
    if roll_key and building_key:
        building_keys = [_key_text(v) for v in buildings[building_key]]
        _match_by_key(keys, building_keys, status == "", area, building, candidates, status)
    _match_by_point(points, geoms, status == "", area, float(max_distance_m), building, candidates, status)
    status[status == ""] = "unmatched"

    records = pd.DataFrame(
        {
            "row": np.arange(n) + 2 if not isinstance(roll, gpd.GeoDataFrame) else np.arange(n) + 1,
            "key": [roll[roll_key].iloc[i] if roll_key else None for i in range(n)],
            "households": households.to_numpy(),
            "population": population.to_numpy(),
            "status": status,
            "building": building,
            "candidates": candidates,
        }
    )
    result = _write_buildings(buildings, records, estimate_field, report)
    counts = _report_records(records, report)
    return RollResult(buildings=result, records=records, counts=counts)


def _write_buildings(buildings, records, estimate_field, report) -> gpd.GeoDataFrame:
    used = records[records["building"] >= 0]
    nb = len(buildings)
    hh = np.bincount(used["building"], weights=used["households"], minlength=nb)
    has_pop = used["population"].notna()
    pop = np.bincount(used.loc[has_pop, "building"], weights=used.loc[has_pop, "population"], minlength=nb)
    pop_any = np.bincount(used.loc[has_pop, "building"], minlength=nb) > 0
    n_records = np.bincount(used["building"], minlength=nb)
    from_roll = n_records > 0
    result = buildings.copy()
    estimate = None
    if estimate_field and estimate_field in buildings.columns:
        estimate = pd.to_numeric(buildings[estimate_field], errors="coerce").to_numpy(dtype=float)
    if estimate is not None:
        kept = np.isfinite(estimate)
        result["households"] = np.where(from_roll, np.floor(hh + 0.5), np.where(kept, estimate, 0)).astype(np.int64)
        source = np.where(from_roll, SOURCE_ROLL, np.where(kept, SOURCE_ESTIMATE, SOURCE_NONE))
        replaced = estimate[from_roll & kept]
        report.info(
            N_("The roll replaces the estimate of {n} buildings: {before} households estimated, {after} in the roll."),
            n=int(from_roll.sum()),
            before=int(np.round(replaced.sum())),
            after=int(np.round(hh[from_roll & kept].sum())),
        )
    else:
        result["households"] = np.floor(hh + 0.5).astype(np.int64)
        source = np.where(from_roll, SOURCE_ROLL, SOURCE_NONE)
    result["population"] = np.where(pop_any, pop, np.nan)
    result["households_source"] = source
    result["roll_records"] = n_records.astype(np.int64)
    return result


def _examples(frame: pd.DataFrame) -> str:
    rows = frame.head(_EXAMPLES)
    text = ", ".join(
        f"{r.row}" + (f" ({r.key})" if r.key is not None and pd.notna(r.key) else "") for r in rows.itertuples()
    )
    return text + (" …" if len(frame) > _EXAMPLES else "")


def _report_records(records: pd.DataFrame, report: Report) -> dict:
    counts = {
        s: int((records["status"] == s).sum()) for s in ("key", "point", "nearest", "unmatched", "duplicate", "invalid")
    }
    multiple = records[records["candidates"] > 1]
    counts["multiple"] = len(multiple)
    matched = records[records["building"] >= 0]
    counts["matched"] = len(matched)
    counts["households_matched"] = int(np.round(matched["households"].sum()))
    counts["households_unmatched"] = int(np.round(records.loc[records["status"] == "unmatched", "households"].sum()))
    counts["buildings"] = int(matched["building"].nunique())
    report.info(
        N_(
            "Roll: {n} records; {matched} matched to {buildings} buildings ({key} by id or address, {point} by point "
            "in a footprint, {nearest} by the nearest footprint), {households} households."
        ),
        n=len(records),
        matched=counts["matched"],
        buildings=counts["buildings"],
        key=counts["key"],
        point=counts["point"],
        nearest=counts["nearest"],
        households=counts["households_matched"],
    )
    if counts["unmatched"]:
        report.warn(
            N_(
                "{n} roll records ({households} households) match no building; they are left out. Rows: {examples}. "
                "Check their id, address or coordinates, or raise the match distance."
            ),
            n=counts["unmatched"],
            households=counts["households_unmatched"],
            examples=_examples(records[records["status"] == "unmatched"]),
        )
    if counts["multiple"]:
        report.warn(
            N_(
                "{n} roll records match several buildings; each was given once, to the largest of them. Rows: "
                "{examples}. Give the buildings distinct ids to decide."
            ),
            n=counts["multiple"],
            examples=_examples(multiple),
        )
    if counts["duplicate"]:
        report.warn(
            N_(
                "{n} roll rows repeat the id, numbers and point of an earlier row; each was counted once. Rows: {examples}."
            ),
            n=counts["duplicate"],
            examples=_examples(records[records["status"] == "duplicate"]),
        )
    if counts["invalid"]:
        report.warn(
            N_("{n} roll records have no usable households or a negative number; they are left out. Rows: {examples}."),
            n=counts["invalid"],
            examples=_examples(records[records["status"] == "invalid"]),
        )
    shared = matched.groupby("building").size()
    if (shared > 1).any():
        report.info(
            N_("{n} buildings have several roll records (entrances or units); their numbers are added up."),
            n=int((shared > 1).sum()),
        )
    return counts
