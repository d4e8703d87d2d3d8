"""gridplanner:exportregister: the 台账 (xlsx), the GBK Shapefile and the DXF, each read back with its own reader.

The grids are crafted (a 3 × 2 block of 200 m cells in CGCS2000 / 3° GK CM 114°E, long codes, Chinese names,
types, workers and phones) with named roads round the block and buildings inside, so every value read
back can be checked against what went in.
"""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import LineString, box

CRS = "EPSG:4547"
X0, Y0 = 500000.0, 2500000.0


@pytest.fixture
def plan(tmp_path):
    cells = [box(X0 + i * 200, Y0 + j * 200, X0 + (i + 1) * 200, Y0 + (j + 1) * 200) for j in (1, 0) for i in range(3)]
    grids = gpd.GeoDataFrame(
        {
            "grid_code": [f"44030700100100{k + 1}" for k in range(6)],
            "grid_name": [f"爱联社区第{k + 1}网格" for k in range(6)],
            "grid_type": ["residential", "village", "commercial", "residential", "enterprise", "crowded"],
            "households": [412, 388, 0, 455, 120, 301],
            "community": ["爱联社区"] * 3 + ["龙岗社区"] * 3,
            "worker": [f"张{k}" for k in range(6)],
            "phone": [f"0755-2888{k:04d}" for k in range(6)],
        },
        geometry=cells,
        crs=CRS,
    )
    roads = gpd.GeoDataFrame(
        {"name": ["龙岗大道", "爱南路", "黄阁路", "龙翔大道"]},
        geometry=[
            LineString([(X0 + 604, Y0 - 50), (X0 + 604, Y0 + 450)]),  # east
            LineString([(X0 - 50, Y0 - 4), (X0 + 650, Y0 - 4)]),  # south
            LineString([(X0 - 4, Y0 - 50), (X0 - 4, Y0 + 450)]),  # west
            LineString([(X0 - 50, Y0 + 404), (X0 + 650, Y0 + 404)]),  # north
        ],
        crs=CRS,
    )
    houses = [box(X0 + 20 + 40 * k, Y0 + 250, X0 + 50 + 40 * k, Y0 + 280) for k in range(12)]
    buildings = gpd.GeoDataFrame(
        {"osm_id": [1000 + k for k in range(12)], "households": [10] * 12, "name": [f"{k + 1}栋" for k in range(12)]},
        geometry=houses,
        crs=CRS,
    )
    gpkg = tmp_path / "plan.gpkg"
    grids.to_file(gpkg, layer="grids", driver="GPKG")
    roads.to_file(gpkg, layer="roads", driver="GPKG")
    buildings.to_file(gpkg, layer="buildings", driver="GPKG")
    return {"gpkg": gpkg, "grids": grids, "buildings": buildings}


def _run(plan, tmp_path, **extra):
    import processing

    params = {
        "GRIDS": f"{plan['gpkg']}|layername=grids",
        "BUILDINGS": f"{plan['gpkg']}|layername=buildings",
        "BARRIERS": f"{plan['gpkg']}|layername=roads",
        "AREA_NAME": "龙城街道",
        "OUTPUT_XLSX": str(tmp_path / "台账.xlsx"),
        "OUTPUT_SHP": str(tmp_path / "grids.shp"),
        "OUTPUT_DXF": str(tmp_path / "grids.dxf"),
    }
    params.update(extra)
    return processing.run("gridplanner:exportregister", params)


def test_xlsx_register_round_trip(gridplanner_provider, plan, tmp_path):
    from openpyxl import load_workbook

    result = _run(plan, tmp_path)
    assert result["N_GRIDS"] == 6 and result["N_BUILDINGS"] == 12
    book = load_workbook(result["OUTPUT_XLSX"])
    assert book.sheetnames == ["网格台账", "楼栋清单", "字段说明"]
    rows = list(book["网格台账"].values)
    assert list(rows[0]) == [
        "网格编码",
        "网格名称",
        "类型",
        "所属社区/村",
        "户数",
        "人口",
        "楼栋数",
        "面积(平方米)",
        "四至",
        "网格长",
        "网格员",
        "联系电话",
        "责任单位",
    ]
    body = {row[0]: dict(zip(rows[0], row)) for row in rows[1:]}
    grids = plan["grids"].set_index("grid_code")
    assert set(body) == set(grids.index)
    first = body["440307001001001"]
    assert first["网格名称"] == "爱联社区第1网格" and first["类型"] == "住宅网格"
    assert body["440307001001002"]["类型"] == "村庄网格" and body["440307001001006"]["类型"] == "人员密集场所网格"
    assert first["户数"] == 412 and first["所属社区/村"] == "爱联社区"
    assert first["网格员"] == "张0" and first["联系电话"] == "0755-28880000"
    assert first["面积(平方米)"] == pytest.approx(40000.0)
    assert first["人口"] is None and first["网格长"] is None and first["责任单位"] is None  # unknown: left empty
    assert first["楼栋数"] == 5 and body["440307001001002"]["楼栋数"] == 5 and body["440307001001003"]["楼栋数"] == 2
    # The top-left cell: west and north roads, neighbours east and south by their short code.
    assert first["四至"] == "东至网格1002，南至网格1004，西至黄阁路，北至龙翔大道"
    assert body["440307001001006"]["四至"] == "东至龙岗大道，南至爱南路，西至网格1005，北至网格1003"
    listing = list(book["楼栋清单"].values)
    assert listing[0][:2] == ("网格编码", "楼栋编号")
    assert sum(1 for row in listing[1:] if row[0] == "440307001001001") == 5
    households = listing[0].index("户数")
    assert all(row[households] == 10 for row in listing[1:])  # numbers stay numbers
    notes = {row[0]: row for row in book["字段说明"].values}
    assert notes["网格编码"][1] == "WGBM" and "grid_code" in notes["网格编码"][2]
    assert "留空" in notes["人口"][2]


def _read_as_gdal_does(path):
    """Open a Shapefile the way GDAL does outside QGIS (QGIS turns GDAL's recoding off process-wide)."""
    from osgeo import gdal, ogr

    gdal.SetThreadLocalConfigOption("SHAPE_ENCODING", None)
    previous = gdal.GetConfigOption("SHAPE_ENCODING")
    gdal.SetConfigOption("SHAPE_ENCODING", None)
    try:
        source = ogr.Open(str(path))
        layer = source.GetLayer()
        rows = [(dict(feature.items()), bytes(feature.GetGeometryRef().ExportToWkb())) for feature in layer]
        defn = layer.GetLayerDefn()
        names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
        epsg = layer.GetSpatialRef().GetAuthorityCode(None)
    finally:
        gdal.SetConfigOption("SHAPE_ENCODING", previous)
    return names, rows, epsg


def test_gbk_shapefile_round_trip(gridplanner_provider, plan, tmp_path):
    result = _run(plan, tmp_path)
    shp = tmp_path / "grids.shp"
    assert result["OUTPUT_SHP"] == str(shp)
    assert (tmp_path / "grids.cpg").read_text().strip() == "GBK"
    raw = (tmp_path / "grids.dbf").read_bytes()
    assert "爱联社区第1网格".encode("gbk") in raw and "爱联社区第1网格".encode() not in raw
    names, rows, epsg = _read_as_gdal_does(shp)
    assert all(len(name.encode("ascii")) <= 10 for name in names)
    assert {"WGBM", "WGMC", "LX", "HS", "SZ", "WGY", "LXDH"} <= set(names)
    features = {values["WGBM"]: (values, wkb) for values, wkb in rows}
    grids = plan["grids"].set_index("grid_code")
    assert set(features) == set(grids.index)
    for code, (values, wkb) in features.items():
        assert values["WGMC"] == grids.loc[code, "grid_name"]
        assert values["HS"] == grids.loc[code, "households"]
        assert shapely.from_wkb(wkb).symmetric_difference(grids.loc[code, "geometry"]).area < 1e-6
    assert features["440307001001001"][0]["LX"] == "住宅网格"
    assert features["440307001001001"][0]["LXDM"] == "residential"
    assert features["440307001001001"][0]["SZ"].startswith("东至网格1002")
    assert epsg == "4547"


def test_utf8_shapefile_on_request(gridplanner_provider, plan, tmp_path):
    _run(plan, tmp_path, SHP_ENCODING=1, OUTPUT_DXF=None)
    assert (tmp_path / "grids.cpg").read_text().strip().upper() in ("UTF-8", "UTF8")
    assert "爱联社区第1网格".encode() in (tmp_path / "grids.dbf").read_bytes()
    assert not (tmp_path / "grids.dxf").exists()


def test_dxf_round_trip(gridplanner_provider, plan, tmp_path):
    from osgeo import ogr

    _run(plan, tmp_path)
    source = ogr.Open(str(tmp_path / "grids.dxf"))
    layer = source.GetLayer()
    outlines, texts = [], {}
    for feature in layer:
        geometry = shapely.from_wkb(bytes(feature.GetGeometryRef().ExportToWkb()))
        if feature.GetField("Layer") == "GRID_BOUNDARY":
            outlines.append(geometry)
        elif feature.GetField("Layer") == "GRID_CODE":
            texts[feature.GetField("Text")] = geometry
    grids = plan["grids"].set_index("grid_code")
    assert set(texts) == set(grids.index)
    assert len(outlines) == len(grids)
    polygons = [shapely.Polygon(line.coords) for line in outlines]
    for code, point in texts.items():
        assert grids.loc[code, "geometry"].contains(point)  # each code inside its grid, in the grids' CRS
    assert sum(p.area for p in polygons) == pytest.approx(grids.geometry.area.sum())
    # Chinese text survives too (DXF \U+ escapes): a name field as code.
    _run(plan, tmp_path, CODE_FIELD="grid_name")
    source = ogr.Open(str(tmp_path / "grids.dxf"))  # keep the data source alive while its layer is read
    layer = source.GetLayer()
    assert "爱联社区第1网格" in {f.GetField("Text") for f in layer if f.GetField("Layer") == "GRID_CODE"}


def test_bad_inputs_are_clear_errors(gridplanner_provider, plan, tmp_path):
    from qgis.core import QgsProcessingException

    # A missing output folder is created (every algorithm does so before any work).
    _run(plan, tmp_path, OUTPUT_XLSX=str(tmp_path / "missing" / "a.xlsx"))
    assert (tmp_path / "missing" / "a.xlsx").stat().st_size > 0
    (tmp_path / "missing" / "a.xlsx").unlink()
    with pytest.raises(QgsProcessingException):
        _run(plan, tmp_path, CODE_FIELD="nope")
    assert not (tmp_path / "台账.xlsx").exists()


# --------------------------------------------------------------------------------------------------
# Acceptance follow-ups: the parent layer, figures from the buildings, the outer edge, the sheet's form
# --------------------------------------------------------------------------------------------------
@pytest.fixture
def office(plan):
    """The plan's grids with their 12-digit parent codes, the office's parent layer, buildings with population."""
    from gridplanner.grid_plugin.core.synthetic import office_parents

    halves = gpd.GeoDataFrame(
        geometry=[box(X0, Y0, X0 + 400, Y0 + 400), box(X0 + 400, Y0, X0 + 600, Y0 + 400)], crs=CRS
    )
    parents = office_parents(halves, "440307", "015", ur_codes=["111", "220"])
    grids = plan["grids"].drop(columns=["community", "grid_name"])
    column = grids.geometry.centroid.x < X0 + 400
    grids["parent_code"] = ["440307015001" if left else "440307015201" for left in column]
    grids.loc[grids.index[0], "parent_code"] = None  # one grid without a code: matched by where it lies
    buildings = plan["buildings"].assign(population=[3, 4] * 6)
    gpkg = plan["gpkg"]
    grids.to_file(gpkg, layer="grids_coded", driver="GPKG")
    parents.to_file(gpkg, layer="parents", driver="GPKG")
    buildings.to_file(gpkg, layer="buildings_pop", driver="GPKG")
    return {"grids": grids, "parents": parents, "buildings": buildings}


def _sheet(path):
    from openpyxl import load_workbook

    rows = list(load_workbook(path)["网格台账"].values)
    return {row[0]: dict(zip(rows[0], row)) for row in rows[1:]}


def test_parent_layer_gives_community_name_and_code(gridplanner_provider, plan, office, tmp_path):
    gpkg = plan["gpkg"]
    result = _run(
        plan,
        tmp_path,
        GRIDS=f"{gpkg}|layername=grids_coded",
        PARENTS=f"{gpkg}|layername=parents",
        BUILDINGS=f"{gpkg}|layername=buildings_pop",
        OUTPUT_DXF=None,
    )
    body = _sheet(result["OUTPUT_XLSX"])
    codes = office["grids"].set_index("grid_code")
    for code, row in body.items():
        left = codes.loc[code, "geometry"].centroid.x < X0 + 400
        expected = "第1社区居委会（440307015001）" if left else "第1村委会（440307015201）"
        assert row["所属社区/村"] == expected, code
    # 人口 summed from the buildings' population (the grids have none), 户数 stays the grids' own.
    owner = {
        code: [b for b in office["buildings"].itertuples() if geom.contains(b.geometry.centroid)]
        for code, geom in codes.geometry.items()
    }
    for code, row in body.items():
        assert row["人口"] == sum(b.population for b in owner[code])
        assert row["楼栋数"] == len(owner[code])
        assert row["户数"] == codes.loc[code, "households"]
    assert body["440307001001001"]["人口"] == 3 * 3 + 4 * 2  # five buildings, alternating 3 and 4
    names, rows, _epsg = _read_as_gdal_does(tmp_path / "grids.shp")
    assert {"SSSQ", "SSSQDM"} <= set(names)
    shp = {values["WGBM"]: values for values, _wkb in rows}
    assert shp["440307001001003"]["SSSQDM"] == "440307015201" and shp["440307001001003"]["SSSQ"].startswith("第1村委会")
    notes = {row[0]: row for row in __import__("openpyxl").load_workbook(result["OUTPUT_XLSX"])["字段说明"].values}
    assert "上级" in notes["所属社区/村"][2] and "population" in notes["人口"][2]


def test_without_parent_layer_the_grids_parent_code_fills_the_community(gridplanner_provider, plan, office, tmp_path):
    gpkg = plan["gpkg"]
    result = _run(plan, tmp_path, GRIDS=f"{gpkg}|layername=grids_coded", OUTPUT_SHP=None, OUTPUT_DXF=None)
    body = _sheet(result["OUTPUT_XLSX"])
    codes = office["grids"].set_index("grid_code")["parent_code"]
    for code, row in body.items():
        own = codes[code] if isinstance(codes[code], str) else None
        assert row["所属社区/村"] == own, code  # the grid without a code stays empty


def test_a_missing_parent_field_is_a_clear_error(gridplanner_provider, plan, office, tmp_path):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="nope"):
        _run(plan, tmp_path, PARENTS=f"{plan['gpkg']}|layername=parents", PARENT_NAME_FIELD="nope")
    assert not (tmp_path / "台账.xlsx").exists()


def test_grid_names_come_from_the_name_field_else_the_site_name(gridplanner_provider, plan, tmp_path):
    from gridplanner.grid_plugin.core.publish.register import build_register

    grids = plan["grids"].drop(columns="grid_name").assign(site_name=[None, "龙岗中心医院", None, None, None, None])
    table = build_register(grids).table.set_index("code")
    assert table.loc["440307001001002", "name"] == "龙岗中心医院" and table.loc["440307001001001", "name"] == ""
    table = build_register(plan["grids"]).table.set_index("code")
    assert table.loc["440307001001002", "name"] == "爱联社区第2网格"


@pytest.mark.parametrize(
    ("area_fields", "expected_edge"),
    [({"name": [None], "admin_level": [None]}, None), ({"name": ["龙城街道"], "admin_level": ["8"]}, "龙城街道边界")],
    ids=["data-hull", "real-boundary"],
)
def test_outer_sides_agree_between_register_and_map(gridplanner_provider, plan, tmp_path, area_fields, expected_edge):
    """One rule for the outer edge: the boundary's name when the area is one; left out for the data hull."""
    from gridplanner.grid_plugin.export.layout import MapOptions, prepare_map_data

    gpkg = plan["gpkg"]
    hull = plan["grids"].geometry.union_all().buffer(0.0)
    gpd.GeoDataFrame(area_fields, geometry=[hull], crs=CRS).to_file(gpkg, layer="area", driver="GPKG")
    area = f"{gpkg}|layername=area"
    result = _run(plan, tmp_path, BARRIERS=None, AREA=area, AREA_NAME="科特卡示例区", OUTPUT_SHP=None, OUTPUT_DXF=None)
    register = {code: row["四至"] for code, row in _sheet(result["OUTPUT_XLSX"]).items()}
    data = prepare_map_data(f"{gpkg}|layername=grids", MapOptions(area_name="科特卡示例区"), area=area)
    on_map = dict(zip(data.frame["gp_code"], data.frame["gp_bounds"]))
    assert register == on_map
    first = register["440307001001001"]  # top-left: west and north on the outer edge
    if expected_edge is None:
        assert first == "东至网格1002，南至网格1004" and "边界" not in "".join(register.values())
        assert "科特卡" not in "".join(register.values())
    else:
        assert first == f"东至网格1002，南至网格1004，西、北至{expected_edge}"


def test_outer_edge_rule():
    from gridplanner.grid_plugin.core.publish.boundary_description import outer_edge

    hull = gpd.GeoDataFrame({"name": [None], "admin_level": [None]}, geometry=[box(0, 0, 1, 1)], crs=CRS)
    assert outer_edge(hull, "科特卡示例区") == ("数据范围", None, False)
    assert outer_edge(hull, "科特卡示例区", is_extent=False).side_label == "科特卡示例区边界"
    assert outer_edge(hull.assign(admin_level=["8"]), "龙城街道").side_label == "龙城街道边界"
    assert outer_edge(hull.assign(name=["学院路街道边界"])).side_label == "学院路街道边界"
    assert outer_edge(None, "龙城街道").side_label == "龙城街道边界"
    assert outer_edge(None, None).side_label is None


def test_register_sheet_is_as_an_office_files_it(gridplanner_provider, plan, tmp_path):
    """Headings in the issue's order, numbers as numbers, readable widths, heading row frozen, filter, print."""
    import unicodedata

    from openpyxl import load_workbook

    result = _run(plan, tmp_path, OUTPUT_SHP=None, OUTPUT_DXF=None)
    sheet = load_workbook(result["OUTPUT_XLSX"])["网格台账"]
    headings = [cell.value for cell in sheet[1]]
    assert (
        headings
        == "网格编码 网格名称 类型 所属社区/村 户数 人口 楼栋数 面积(平方米) 四至 网格长 网格员 联系电话 责任单位".split()
    )
    assert sheet.freeze_panes in ("A2", "B2")  # the heading row stays in view
    assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:M")
    assert sheet.print_title_rows and "1" in sheet.print_title_rows
    for index, heading in enumerate(headings):
        column = sheet.cell(row=1, column=index + 1).column_letter
        cells = [row[index] for row in sheet.iter_rows(min_row=2)]
        if heading in ("户数", "楼栋数", "面积(平方米)"):
            assert all(cell.data_type == "n" and isinstance(cell.value, (int, float)) for cell in cells), heading
        if heading in ("网格编码", "联系电话"):
            assert all(cell.data_type == "s" for cell in cells), heading  # leading zeros, phone numbers stay text
        shown = max(
            sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(cell.value or ""))
            for cell in [sheet.cell(row=1, column=index + 1), *cells]
        )
        width = sheet.column_dimensions[column].width
        # wide enough for the heading and the values (the long 四至 wraps within its column instead)
        assert width >= min(shown, 48), (heading, width, shown)
        if heading == "四至":
            assert all(cell.alignment.wrap_text for cell in cells)
    listing = load_workbook(result["OUTPUT_XLSX"])["楼栋清单"]
    assert listing.freeze_panes == "A2" and listing.auto_filter.ref
    assert listing.column_dimensions["A"].width >= len("440307001001001")  # the full grid code shows


def test_parent_layer_without_crs_is_a_clear_error(plan):
    from gridplanner.grid_plugin.core.errors import InputError
    from gridplanner.grid_plugin.core.publish.register import build_register

    parents = gpd.GeoDataFrame(
        {"code": ["440307015001"], "name": ["爱联社区"]}, geometry=[box(X0, Y0, X0 + 600, Y0 + 400)]
    )
    with pytest.raises(InputError, match="parent layer has no coordinate reference system"):
        build_register(plan["grids"], parents=parents)
    table = build_register(plan["grids"], parents=parents.set_crs(CRS)).table
    assert set(table["community"]) == {"爱联社区（440307015001）"}  # the layer wins over the grids' own field
