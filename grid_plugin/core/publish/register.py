"""The grid register (网格台账) in the files a Chinese grid office works with: Excel, a GBK Shapefile, DXF.

:func:`build_register` turns a grid layer (and, optionally, its buildings and the named barriers for the
四至) into one row per grid with the columns an office files: 网格编码, 网格名称, 类型, 所属社区/村, 户数,
人口, 楼栋数, 面积(平方米), 四至, 网格长, 网格员, 联系电话, 责任单位. A column is filled from the grid
layer's fields when one of the usual names is there (see :data:`FIELD_GUESSES`) and left empty otherwise:
the office fills it in. Then

- :func:`write_xlsx` writes the 台账 workbook (openpyxl): the 网格台账 sheet, a 楼栋清单 sheet when
  buildings are given, and a 字段说明 sheet that says where each column comes from;
- :func:`write_shapefile` writes the grids with the same columns through GDAL/OGR, in GBK by default
  (what ArcGIS and most Chinese desktop GIS expect; UTF-8 on request), with a ``.cpg`` that names the
  encoding, and field names within the DBF's 10 bytes by :data:`SHAPEFILE_FIELDS` (pinyin initials);
- :func:`write_dxf` writes the grid outlines on the layer ``GRID_BOUNDARY`` and the codes as text on the
  layer ``GRID_CODE`` (GDAL's DXF driver; Chinese text as DXF ``\\U+`` escapes, which CAD programs and
  GDAL read back), in the grids' CRS.

Every writer writes to a temporary name and renames it into place: a file is complete or absent.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..crs import auto_metric_crs_for
from ..errors import N_, InputError, Report
from ..grid_types import GRID_TYPES_BY_CODE
from ..inputs import atomic_output, check_writable
from .boundary_description import describe_boundaries

__all__ = [
    "REGISTER_COLUMNS",
    "FIELD_GUESSES",
    "SHAPEFILE_FIELDS",
    "BUILDING_COLUMNS",
    "Register",
    "build_register",
    "write_xlsx",
    "write_shapefile",
    "write_dxf",
    "DXF_BOUNDARY_LAYER",
    "DXF_CODE_LAYER",
]

#: The register's columns: key → (Chinese heading, English heading).
REGISTER_COLUMNS: dict[str, tuple[str, str]] = {
    "code": ("网格编码", "Grid code"),
    "name": ("网格名称", "Grid name"),
    "type": ("类型", "Type"),
    "community": ("所属社区/村", "Community / village"),
    "households": ("户数", "Households"),
    "population": ("人口", "Population"),
    "buildings": ("楼栋数", "Buildings"),
    "area_m2": ("面积(平方米)", "Area (m²)"),
    "bounds": ("四至", "Boundaries"),
    "leader": ("网格长", "Grid leader"),
    "worker": ("网格员", "Grid worker"),
    "phone": ("联系电话", "Phone"),
    "unit": ("责任单位", "Responsible unit"),
}

#: Field names looked up in the grid layer for each column (first match wins; case-insensitive).
FIELD_GUESSES: dict[str, tuple[str, ...]] = {
    "code": ("grid_code", "code", "网格编码", "编码", "wgbm"),
    "name": ("grid_name", "name", "网格名称", "名称", "wgmc", "site_name"),
    "type": ("grid_type", "grid_type_zh", "type", "网格类型", "类型", "wglx"),
    "community": ("community", "community_name", "parent_name", "village", "社区", "所属社区", "所属社区/村", "村"),
    "community_code": ("parent_code", "community_code", "上级编码", "社区代码", "所属社区代码"),
    "households": ("households", "load", "户数", "hs"),
    "population": ("population", "pop", "人口", "rk"),
    "buildings": ("n_buildings", "buildings", "楼栋数", "建筑数"),
    "bounds": ("bounds", "boundary_description", "四至"),
    "leader": ("grid_leader", "leader", "网格长"),
    "worker": ("worker", "grid_worker", "worker_name", "网格员"),
    "phone": ("phone", "worker_phone", "tel", "telephone", "联系电话", "电话"),
    "unit": ("unit", "responsible_unit", "department", "责任单位"),
}

#: DBF field name (≤ 10 bytes, ASCII pinyin initials) of each column in the Shapefile.
SHAPEFILE_FIELDS: dict[str, str] = {
    "code": "WGBM",  # 网格编码
    "name": "WGMC",  # 网格名称
    "type": "LX",  # 类型
    "type_code": "LXDM",  # 类型代码 (residential, village, …)
    "community": "SSSQ",  # 所属社区/村 (the name, else the code)
    "community_code": "SSSQDM",  # 所属社区/村代码
    "households": "HS",  # 户数
    "population": "RK",  # 人口
    "buildings": "LDS",  # 楼栋数
    "area_m2": "MJ",  # 面积(平方米)
    "bounds": "SZ",  # 四至
    "leader": "WGZ",  # 网格长
    "worker": "WGY",  # 网格员
    "phone": "LXDH",  # 联系电话
    "unit": "ZRDW",  # 责任单位
}

#: The 楼栋清单 columns: key → (Chinese heading, English heading, field guesses in the building layer).
BUILDING_COLUMNS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "id": ("楼栋编号", "Building id", ("building_id", "osm_id", "id", "楼栋编号", "fid")),
    "name": ("楼栋名称", "Name", ("name", "名称", "楼栋名称")),
    "address": ("地址", "Address", ("address", "addr", "addr_street", "addr:street", "地址")),
    "use": ("建筑类型", "Use", ("building", "use", "type", "建筑类型")),
    "levels": ("层数", "Levels", ("levels", "building_levels", "building:levels", "层数")),
    "households": ("户数", "Households", ("households", "load", "户数")),
}

DXF_BOUNDARY_LAYER = "GRID_BOUNDARY"
DXF_CODE_LAYER = "GRID_CODE"

#: Where a column comes from, for the 字段说明 sheet (Chinese, English).
_SOURCES = {
    "computed_area": ("由网格面计算（平方米，{crs}）", "computed from the grid polygon (m², {crs})"),
    "computed_bounds": ("由道路、河流等名称与相邻网格计算", "computed from named roads, rivers and neighbouring grids"),
    "computed_buildings": ("由楼栋图层计数（楼栋内点落在网格内）", "counted from the building layer (a point inside)"),
    "computed_bounds_no_edge": (
        "由道路、河流等名称与相邻网格计算；规划范围外缘不是已知边界（如仅为数据范围），该侧未写，请补填",
        "computed from named roads, rivers and neighbouring grids; sides on the plan's outer edge are left "
        "out (the edge is not a known boundary, e.g. only the data extent): fill them in",
    ),
    "summed_buildings": (
        "由楼栋图层字段 {field} 按网格汇总",
        "summed per grid from the building layer's field {field}",
    ),
    "parents": ("取自上级（社区/村）图层：名称（代码）", "from the parent (community/village) layer: name (code)"),
    "field": ("取自网格图层字段 {field}", "from the grid layer's field {field}"),
    "empty": ("未提供，留空待填", "not given: left empty to fill in"),
}


@dataclass
class Register:
    """The register: one row per grid (columns: :data:`REGISTER_COLUMNS` keys plus ``type_code``, ``community_code``)."""

    table: pd.DataFrame
    geometry: gpd.GeoSeries
    buildings: pd.DataFrame | None = None
    sources: dict = field(default_factory=dict)
    crs_label: str = ""


def _find_field(columns, guesses, given: str | None = None, layer: str = "grid") -> str | None:
    if given:
        if given not in columns:
            template = (
                N_("The field {field} does not exist in the parent layer; available fields: {available}.")
                if layer == "parent"
                else N_("The field {field} does not exist in the grid layer; available fields: {available}.")
            )
            raise InputError(template, field=given, available=", ".join(c for c in columns if c != "geometry") or "—")
        return given
    lower = {str(c).lower(): c for c in columns}
    for guess in guesses:
        if guess.lower() in lower:
            return lower[guess.lower()]
    return None


def _text(values) -> list[str]:
    out = []
    for value in values:
        if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
            out.append("")
        elif isinstance(value, float) and value.is_integer():
            out.append(str(int(value)))
        else:
            out.append(str(value).strip())
    return out


def _numbers(values, name: str) -> list:
    numbers = pd.to_numeric(pd.Series(list(values), dtype=object), errors="coerce")
    bad = int(numbers.isna().sum() - pd.isna(pd.Series(list(values), dtype=object)).sum())
    if bad > 0:
        raise InputError(
            N_("The field {field} holds {n} values that are not numbers; choose a numeric field."), field=name, n=bad
        )
    return [None if pd.isna(v) else (int(v) if float(v).is_integer() else float(v)) for v in numbers]


def _type_labels(values, lang: str) -> tuple[list[str], list[str]]:
    """(label, code) per grid: a type code becomes 住宅网格 …; a label is kept as it is."""
    labels, codes = [], []
    for value in _text(values):
        known = GRID_TYPES_BY_CODE.get(value)
        labels.append((known.zh if lang == "zh" else known.en) if known else value)
        codes.append(value if known else "")
    return labels, codes


def _building_owner(buildings: gpd.GeoDataFrame, grid_geoms: np.ndarray) -> np.ndarray:
    """Index of the grid holding each building (by a point inside it; the first grid on a shared edge), or -1."""
    points = shapely.point_on_surface(np.asarray(buildings.geometry.values, dtype=object))
    tree = shapely.STRtree(grid_geoms)
    point_idx, grid_idx = tree.query(points, predicate="intersects")
    first = pd.Series(grid_idx).groupby(point_idx).min()
    owner = np.full(len(buildings), -1)
    owner[first.index.to_numpy()] = first.to_numpy()
    return owner


def _building_sheet(buildings: gpd.GeoDataFrame, owner: np.ndarray, codes: list[str]) -> pd.DataFrame:
    """One row per building inside a grid: its grid code and the building columns that can be filled."""
    rows = {"grid": [codes[g] if g >= 0 else "" for g in owner]}
    for key, (_zh, _en, guesses) in BUILDING_COLUMNS.items():
        column = _find_field(buildings.columns, guesses)
        if column is not None and key in ("levels", "households"):
            numbers = pd.to_numeric(buildings[column], errors="coerce")
            rows[key] = [None if pd.isna(v) else (int(v) if float(v).is_integer() else float(v)) for v in numbers]
        elif column is not None:
            rows[key] = _text(buildings[column].to_numpy(dtype=object))
        elif key == "id":
            rows[key] = [str(i + 1) for i in range(len(buildings))]
    sheet = pd.DataFrame(rows)
    sheet["_owner"] = owner
    sheet = sheet[owner >= 0].sort_values(["grid", "_owner"], kind="stable")
    return sheet.drop(columns="_owner").reset_index(drop=True)


#: Field names looked up in the parent layer (communities, villages) for its code and its name.
PARENT_FIELD_GUESSES: dict[str, tuple[str, ...]] = {
    "code": ("code", "parent_code", "community_code", "adcode", "统计用区划代码", "区划代码", "代码", "编码"),
    "name": ("name", "parent_name", "community", "community_name", "village", "名称", "社区名称", "村名", "社区"),
}


def _parent_of_grids(parents: gpd.GeoDataFrame, geoms: np.ndarray, crs, own_codes: list[str], fields: dict):
    """(code, name) of each grid's parent: by the grid's parent code when it is a parent's code, else by overlap.

    ``geoms`` are the grids in the metric CRS ``crs``; ``own_codes`` the grids' own parent codes ('' unknown).
    A grid overlapping no parent gets ('', '').
    """
    code_field = _find_field(parents.columns, PARENT_FIELD_GUESSES["code"], fields.get("code"), layer="parent")
    name_field = _find_field(parents.columns, PARENT_FIELD_GUESSES["name"], fields.get("name"), layer="parent")
    if code_field is None and name_field is None:
        raise InputError(
            N_(
                "The parent layer has neither a code nor a name field (looked for {guesses}); choose its code "
                "and name fields."
            ),
            guesses="code, name",
        )
    parents = parents[~parents.geometry.isna() & ~parents.geometry.is_empty]
    if parents.crs is None:
        raise InputError(N_("The parent layer has no coordinate reference system; assign one first."))
    if parents.crs != crs:
        parents = parents.to_crs(crs)
    codes = _text(parents[code_field].to_numpy(dtype=object)) if code_field else [""] * len(parents)
    names = _text(parents[name_field].to_numpy(dtype=object)) if name_field else [""] * len(parents)
    by_code = {code: k for k, code in enumerate(codes) if code}
    chosen = np.array([by_code.get(code, -1) if code else -1 for code in own_codes], dtype=np.int64)
    missing = np.flatnonzero(chosen < 0)
    if len(missing):
        shapes = shapely.make_valid(np.asarray(parents.geometry.values, dtype=object))
        grid_idx, parent_idx = shapely.STRtree(shapes).query(geoms[missing], predicate="intersects")
        overlap = shapely.area(shapely.intersection(geoms[missing][grid_idx], shapes[parent_idx]))
        frame = pd.DataFrame({"grid": grid_idx, "parent": parent_idx, "overlap": overlap})
        frame = frame[frame["overlap"] > 0].sort_values(["grid", "overlap"], ascending=[True, False], kind="stable")
        best = frame.drop_duplicates("grid")
        chosen[missing[best["grid"].to_numpy()]] = best["parent"].to_numpy()
    return [(codes[k], names[k]) if k >= 0 else ("", "") for k in chosen]


def _community_columns(grids, geoms, crs, found: dict, parents, parent_fields: dict, report: Report):
    """所属社区/村 (``name（code）``, or what of them is known) and its code, per grid, and the column's source."""
    n = len(grids)
    own_codes = _text(grids[found["community_code"]].to_numpy(dtype=object)) if found["community_code"] else [""] * n
    own_names = _text(grids[found["community"]].to_numpy(dtype=object)) if found["community"] else [""] * n
    if parents is not None and len(parents):
        pairs = _parent_of_grids(parents, geoms, crs, own_codes, parent_fields)
        outside = sum(1 for code, name in pairs if not code and not name)
        if outside:
            report.warn(
                N_("{n} grids lie in no feature of the parent layer; their 所属社区/村 is left empty."), n=outside
            )
        codes = [code or own for (code, _name), own in zip(pairs, own_codes)]
        names = [name or own for (_code, name), own in zip(pairs, own_names)]
        source = ("parents", None)
    else:
        codes, names = own_codes, own_names
        used = [f for f in (found["community"], found["community_code"]) if f]
        source = ("field", " + ".join(used)) if used else ("empty", None)
    shown = [
        f"{name}（{code}）" if name and code and name != code else (name or code) for name, code in zip(names, codes)
    ]
    return shown, codes, source


def _sum_by_owner(buildings: gpd.GeoDataFrame, owner: np.ndarray, guesses: tuple[str, ...], n: int):
    """Per grid, the sum of a buildings' numeric field (first of ``guesses``), or None when the layer has none."""
    column = _find_field(buildings.columns, guesses)
    if column is None:
        return None, None
    values = pd.to_numeric(buildings[column], errors="coerce").to_numpy(dtype=float)
    inside = (owner >= 0) & np.isfinite(values)
    sums = np.bincount(owner[inside], weights=values[inside], minlength=n)
    return [
        int(round(v)) if float(v).is_integer() or abs(v - round(v)) < 1e-6 else round(float(v), 1) for v in sums
    ], column


def _fill_from_buildings(table, sources, found, buildings, geoms, crs, report):
    """楼栋数 counted from the buildings, 户数 and 人口 summed from theirs where the grids have no such field.

    Returns the 楼栋清单 frame.
    """
    buildings = buildings[~buildings.geometry.isna() & ~buildings.geometry.is_empty]
    if buildings.crs is not None and buildings.crs != crs:
        buildings = buildings.to_crs(crs)
    owner = _building_owner(buildings, geoms)
    sheet = _building_sheet(buildings, owner, table["code"].tolist())
    table["buildings"] = np.bincount(owner[owner >= 0], minlength=len(table)).tolist()
    sources["buildings"] = ("computed_buildings", None)
    for key in ("households", "population"):
        if found[key]:
            continue  # the grid layer's own figure wins
        sums, column = _sum_by_owner(buildings, owner, FIELD_GUESSES[key], len(table))
        if sums is not None:
            table[key] = sums
            sources[key] = ("summed_buildings", column)
    report.check_cancelled()
    return sheet


def build_register(
    grids: gpd.GeoDataFrame,
    *,
    buildings: gpd.GeoDataFrame | None = None,
    barriers: gpd.GeoDataFrame | None = None,
    barrier_name_field: str = "name",
    fields: dict | None = None,
    parents: gpd.GeoDataFrame | None = None,
    parent_fields: dict | None = None,
    area_label: str | None = None,
    lang: str = "zh",
    report: Report | None = None,
) -> Register:
    """One register row per grid, sorted by code.

    Parameters
    ----------
    grids : GeoDataFrame
        Grid polygons (any CRS; areas are computed in metres).
    buildings : GeoDataFrame, optional
        Building polygons or points: counted per grid (楼栋数) and listed in the 楼栋清单; their
        ``households`` and ``population`` are summed per grid when the grid layer has no such field.
    barriers : GeoDataFrame, optional
        Named roads, rivers, railways for the 四至 (:func:`describe_boundaries`); without them a
        ``四至`` field of the grid layer is used, else neighbour grids by code.
    fields : dict, optional
        ``{column key: field name}`` to override the guesses of :data:`FIELD_GUESSES`.
    parents : GeoDataFrame, optional
        The communities and villages: each grid's parent (by the grid's ``parent_code``, else by the
        largest overlap) gives 所属社区/村 as ``name（code）``. Without it the grid layer's community name
        and ``parent_code`` fields are used.
    parent_fields : dict, optional
        ``{"code": field, "name": field}`` of ``parents``; guessed by :data:`PARENT_FIELD_GUESSES` when not given.
    area_label : str, optional
        What 四至 sides on the outer edge of the plan say (``南湾街道边界``); None leaves them out.
        :func:`~.boundary_description.outer_edge` decides it (the map uses the same).
    lang : {"zh", "en"}
        Language of the type labels and the 四至.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> grids = gpd.GeoDataFrame({"grid_code": ["A2", "A1"], "grid_type": ["village", "residential"],
    ...                           "households": [310, 420]}, geometry=[box(100, 0, 200, 100), box(0, 0, 100, 100)],
    ...                          crs=3857)
    >>> reg = build_register(grids)
    >>> reg.table[["code", "type", "households", "area_m2", "bounds"]].values.tolist()
    [['A1', '住宅网格', 420, 10000.0, '东至网格A2'], ['A2', '村庄网格', 310, 10000.0, '西至网格A1']]
    """
    report = report or Report()
    lang = "zh" if str(lang).lower().startswith("zh") else "en"
    if grids is None or len(grids) == 0:
        raise InputError(N_("The grid layer has no features; choose a layer with grid polygons."))
    if grids.crs is None:
        raise InputError(N_("The grid layer has no coordinate reference system; assign one (e.g. EPSG:4326) first."))
    grids = grids[~grids.geometry.isna() & ~grids.geometry.is_empty]
    if not set(shapely.get_dimensions(grids.geometry.values).tolist()) <= {2}:
        raise InputError(N_("The grid layer must hold polygons."))
    fields = dict(fields or {})
    columns = list(grids.columns)
    found = {key: _find_field(columns, FIELD_GUESSES[key], fields.get(key)) for key in FIELD_GUESSES}
    metric = grids if not grids.crs.is_geographic else grids.to_crs(auto_metric_crs_for(grids))
    metric = metric.set_geometry(shapely.make_valid(np.asarray(metric.geometry.values, dtype=object)))
    geoms = np.asarray(metric.geometry.values, dtype=object)
    n = len(grids)
    table = pd.DataFrame(index=range(n))
    sources: dict = {}
    for key in ("code", "name", "leader", "worker", "phone", "unit"):
        column = found[key]
        table[key] = _text(grids[column].to_numpy(dtype=object)) if column else [""] * n
        sources[key] = ("field", column) if column else ("empty", None)
    if not found["code"]:
        table["code"] = [f"{i + 1:03d}" for i in range(n)]
        report.warn(N_("The grid layer has no code field; the register numbers the grids 001 to {n}."), n=f"{n:03d}")
    table["community"], table["community_code"], sources["community"] = _community_columns(
        grids, geoms, metric.crs, found, parents, dict(parent_fields or {}), report
    )
    type_column = found["type"]
    if type_column:
        table["type"], table["type_code"] = _type_labels(grids[type_column].to_numpy(dtype=object), lang)
        sources["type"] = ("field", type_column)
    else:
        table["type"], table["type_code"] = [""] * n, [""] * n
        sources["type"] = ("empty", None)
    for key in ("households", "population", "buildings"):
        column = found[key]
        table[key] = _numbers(grids[column].to_numpy(dtype=object), column) if column else [None] * n
        sources[key] = ("field", column) if column else ("empty", None)
    table["area_m2"] = np.round(shapely.area(geoms), 1)
    sources["area_m2"] = ("computed_area", None)
    report.progress(20)
    building_sheet = None
    if buildings is not None and len(buildings):
        building_sheet = _fill_from_buildings(table, sources, found, buildings, geoms, metric.crs, report)
    report.progress(50)
    report.check_cancelled()
    if barriers is not None and len(barriers) or not found["bounds"]:
        plain = gpd.GeoDataFrame({"code": table["code"].to_numpy()}, geometry=list(geoms), crs=metric.crs)
        table["bounds"] = describe_boundaries(
            plain,
            barriers if barriers is not None and len(barriers) else None,
            name_field=barrier_name_field,
            code_field="code",
            area_label=area_label,
            lang=lang,
        ).to_numpy()
        sources["bounds"] = ("computed_bounds", None) if area_label else ("computed_bounds_no_edge", None)
    else:
        table["bounds"] = _text(grids[found["bounds"]].to_numpy(dtype=object))
        sources["bounds"] = ("field", found["bounds"])
    report.progress(80)
    order = np.argsort(table["code"].to_numpy(dtype=str), kind="stable")
    table = table.iloc[order].reset_index(drop=True)
    geometry = gpd.GeoSeries(np.asarray(grids.geometry.values, dtype=object)[order], crs=grids.crs)
    table = table[[*REGISTER_COLUMNS, "type_code", "community_code"]]
    epsg = metric.crs.to_epsg()
    return Register(
        table=table,
        geometry=geometry,
        buildings=building_sheet,
        sources=sources,
        crs_label=f"EPSG:{epsg}" if epsg else metric.crs.name,
    )


# --------------------------------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------------------------------
def _source_text(source: tuple, lang: str, crs_label: str) -> str:
    kind, column = source
    zh, en = _SOURCES[kind]
    return (zh if lang == "zh" else en).format(field=column or "", crs=crs_label)


#: Excel number formats of the numeric register columns (whole numbers, area to 0.1 m²).
_NUMBER_FORMATS = {"households": "0", "population": "0", "buildings": "0", "area_m2": "0.0"}


def _display_width(value) -> int:
    """Width of a value in Excel's character units: an ideograph or full-width character counts two."""
    import unicodedata

    text = "" if value is None else (f"{value:.1f}" if isinstance(value, float) else str(value))
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _column_width(cells, wrap_at: int = 40) -> float:
    """A column wide enough for its heading and its longest value (plus margin), at most ``wrap_at``."""
    widest = max((_display_width(cell.value) for cell in cells), default=8)
    return float(min(max(widest + 2, 8), wrap_at))


def write_xlsx(register: Register, path, *, lang: str = "zh", title: str = "") -> Path:
    """Write the 台账 workbook: 网格台账, 楼栋清单 (when buildings were given) and 字段说明."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    target = check_writable(path, "XLSX")
    zh = lang == "zh"
    book = Workbook()
    sheet = book.active
    sheet.title = "网格台账" if zh else "Grid register"
    headings = [REGISTER_COLUMNS[key][0 if zh else 1] for key in REGISTER_COLUMNS]
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    sheet.append(headings)
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in register.table[list(REGISTER_COLUMNS)].itertuples(index=False):
        sheet.append([None if value is None or value == "" else value for value in row])
    for index, key in enumerate(REGISTER_COLUMNS, start=1):
        letter = get_column_letter(index)
        column = sheet[letter]
        sheet.column_dimensions[letter].width = _column_width(column, wrap_at=48 if key == "bounds" else 40)
        if key in _NUMBER_FORMATS:
            for cell in column[1:]:
                cell.number_format = _NUMBER_FORMATS[key]
        if key in ("bounds", "community", "name", "unit"):
            for cell in column[1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"  # the heading row and the code column stay in view
    sheet.auto_filter.ref = sheet.dimensions
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if register.buildings is not None:
        listing = book.create_sheet("楼栋清单" if zh else "Buildings")
        keys = [key for key in BUILDING_COLUMNS if key in register.buildings.columns]
        listing.append([REGISTER_COLUMNS["code"][0 if zh else 1]] + [BUILDING_COLUMNS[k][0 if zh else 1] for k in keys])
        for cell in listing[1]:
            cell.font, cell.fill = bold, fill
        for row in register.buildings[["grid", *keys]].itertuples(index=False):
            listing.append([value if value != "" else None for value in row])
        for column in listing.iter_cols():
            listing.column_dimensions[column[0].column_letter].width = _column_width(column)
        listing.freeze_panes = "A2"
        listing.auto_filter.ref = listing.dimensions
    notes = book.create_sheet("字段说明" if zh else "Fields")
    notes.append(
        ["字段" if zh else "Column", "Shapefile 字段" if zh else "Shapefile field", "来源" if zh else "Source"]
    )
    for cell in notes[1]:
        cell.font, cell.fill = bold, fill
    for key in REGISTER_COLUMNS:
        source = register.sources.get(key, ("empty", None))
        notes.append(
            [
                REGISTER_COLUMNS[key][0 if zh else 1],
                SHAPEFILE_FIELDS[key],
                _source_text(source, lang, register.crs_label),
            ]
        )
    notes.append(
        [
            "类型代码" if zh else "Type code",
            SHAPEFILE_FIELDS["type_code"],
            "网格类型的英文代码（仅 Shapefile）" if zh else "grid type code (Shapefile only)",
        ]
    )
    notes.append(
        [
            "所属社区/村代码" if zh else "Community / village code",
            SHAPEFILE_FIELDS["community_code"],
            "所属社区/村的统计用区划代码（仅 Shapefile）"
            if zh
            else "the community's or village's code (Shapefile only)",
        ]
    )
    if title:
        notes.append([])
        notes.append([title])
    for letter, width in (("A", 16), ("B", 16), ("C", 60)):
        notes.column_dimensions[letter].width = width
    with atomic_output(target) as temporary:
        book.save(temporary)
    return target


def _fit_bytes(text: str, encoding: str, limit: int = 254) -> tuple[str, bool]:
    """``text`` cut on a character boundary so it fits ``limit`` bytes in ``encoding``."""
    data = text.encode(encoding, errors="replace")
    if len(data) <= limit:
        return text, False
    return data[:limit].decode(encoding, errors="ignore"), True


def write_shapefile(register: Register, path, *, encoding: str = "GBK", report: Report | None = None) -> Path:
    """Write the grids with the register columns as a Shapefile in ``encoding`` (GBK or UTF-8), with a ``.cpg``."""
    from osgeo import gdal, ogr, osr

    report = report or Report()
    encoding = {"GBK": "GBK", "CP936": "GBK", "UTF-8": "UTF-8", "UTF8": "UTF-8"}.get(str(encoding).upper())
    if encoding is None:
        raise InputError(N_("Unknown Shapefile encoding; choose GBK or UTF-8."))
    target = check_writable(path, "Shapefile")
    if target.suffix.lower() != ".shp":
        target = target.with_suffix(".shp")
    texts = [k for k in SHAPEFILE_FIELDS if k not in ("households", "population", "buildings", "area_m2")]
    table = register.table
    cut = 0
    with tempfile.TemporaryDirectory(prefix=".shp-", dir=target.parent) as folder:
        temporary = Path(folder) / target.name
        gdal.UseExceptions()
        # QGIS sets SHAPE_ENCODING="" process-wide (it recodes Shapefiles itself), which makes GDAL write
        # the UTF-8 strings as they are under a .cpg that says GBK. Recode here, for this thread only.
        previous = gdal.GetThreadLocalConfigOption("SHAPE_ENCODING", None)
        gdal.SetThreadLocalConfigOption("SHAPE_ENCODING", encoding)
        try:
            source = ogr.GetDriverByName("ESRI Shapefile").CreateDataSource(str(temporary))
            srs = osr.SpatialReference()
            srs.ImportFromWkt(register.geometry.crs.to_wkt())
            srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
            layer = source.CreateLayer(target.stem, srs, ogr.wkbMultiPolygon, options=[f"ENCODING={encoding}"])
            for key, name in SHAPEFILE_FIELDS.items():
                if key in texts:
                    definition = ogr.FieldDefn(name, ogr.OFTString)
                    definition.SetWidth(254 if key == "bounds" else 100)
                elif key == "area_m2":
                    definition = ogr.FieldDefn(name, ogr.OFTReal)
                    definition.SetWidth(16)
                    definition.SetPrecision(1)
                else:
                    definition = ogr.FieldDefn(name, ogr.OFTInteger64)
                layer.CreateField(definition)
            defn = layer.GetLayerDefn()
            multi = shapely.to_wkb(
                [shapely.MultiPolygon([g]) if g.geom_type == "Polygon" else g for g in register.geometry.values],
                output_dimension=2,
            )
            for row, wkb in zip(table.itertuples(index=False), multi):
                feature = ogr.Feature(defn)
                for key, name in SHAPEFILE_FIELDS.items():
                    value = getattr(row, key)
                    if value is None or value == "" or (isinstance(value, float) and np.isnan(value)):
                        continue
                    if key in texts:
                        value, was_cut = _fit_bytes(str(value), encoding, 254 if key == "bounds" else 100)
                        cut += was_cut
                    feature.SetField(name, value)
                feature.SetGeometry(ogr.CreateGeometryFromWkb(bytes(wkb)))
                layer.CreateFeature(feature)
            source = None
        finally:
            gdal.SetThreadLocalConfigOption("SHAPE_ENCODING", previous)
        for part in Path(folder).iterdir():
            shutil.move(str(part), str(target.with_suffix(part.suffix)))
    if cut:
        report.warn(N_("{n} texts were longer than a Shapefile field holds (254 bytes) and were cut."), n=cut)
    return target


def _label_height_m(geoms: np.ndarray) -> float:
    """Text height for the codes: about a twentieth of a typical grid's width, 2–50 m."""
    widths = np.sqrt(shapely.area(geoms))
    return float(np.clip(np.median(widths) / 20.0 if len(widths) else 10.0, 2.0, 50.0))


def write_dxf(register: Register, path) -> Path:
    """Write grid outlines (layer ``GRID_BOUNDARY``) and codes as text (layer ``GRID_CODE``) in the grids' CRS."""
    from osgeo import gdal, ogr, osr

    target = check_writable(path, "DXF")
    geoms = np.asarray(register.geometry.values, dtype=object)
    height = _label_height_m(geoms) if not register.geometry.crs.is_geographic else 0.0002
    handle, tmp = tempfile.mkstemp(prefix=".register-", suffix=".dxf", dir=target.parent)
    os.close(handle)
    os.unlink(tmp)  # the DXF driver creates the file itself
    try:
        gdal.UseExceptions()
        source = ogr.GetDriverByName("DXF").CreateDataSource(tmp)
        srs = osr.SpatialReference()
        srs.ImportFromWkt(register.geometry.crs.to_wkt())
        layer = source.CreateLayer("entities", srs)
        defn = layer.GetLayerDefn()
        for code, geom in zip(register.table["code"], geoms):
            for ring in shapely.get_parts(shapely.boundary(geom)):
                feature = ogr.Feature(defn)
                feature.SetField("Layer", DXF_BOUNDARY_LAYER)
                feature.SetGeometry(ogr.CreateGeometryFromWkb(shapely.to_wkb(ring, output_dimension=2)))
                layer.CreateFeature(feature)
            anchor = shapely.point_on_surface(geom)
            feature = ogr.Feature(defn)
            feature.SetField("Layer", DXF_CODE_LAYER)
            feature.SetField("Text", str(code))
            quoted = str(code).replace('"', "'")
            feature.SetStyleString(f'LABEL(t:"{quoted}",s:{height:g}g,p:5)')
            feature.SetGeometry(ogr.CreateGeometryFromWkb(shapely.to_wkb(anchor, output_dimension=2)))
            layer.CreateFeature(feature)
        source = None
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target
