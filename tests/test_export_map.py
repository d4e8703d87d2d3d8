"""gridplanner:exportmap with real QGIS print layouts, real PDFs and PNGs (offscreen).

The sample is demo-like: a regular 350 m grid clipped to the prepared Kotka area
(``helpers.prepared_sample("kotka")``: real OSM buildings with households, real named roads), the
households summed per grid, grid types cycling through five codes so every legend entry shows.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import geopandas as gpd
import helpers
import numpy as np
import pandas as pd
import pytest
import shapely

A_SIZES_PT = {"A4": (595.28, 841.89), "A3": (841.89, 1190.55), "A1": (1683.78, 2383.94)}
TYPES = ("residential", "commercial", "forest", "industrial", "mixed")


# ---------------------------------------------------------------------------------------------
# Sample data
# ---------------------------------------------------------------------------------------------


def _kotka_raw() -> dict:
    """Buildings (households), named roads and the area of the prepared Kotka sample (metric CRS)."""
    import pyogrio

    path = helpers.prepared_sample("kotka")
    layers = {name: pyogrio.read_dataframe(path, layer=name) for name in ("boundary", "buildings", "roads")}
    return {"area": layers["boundary"], "buildings": layers["buildings"], "roads": layers["roads"]}


def _grid_sample(raw: dict, cell_m: float = 350.0) -> gpd.GeoDataFrame:
    area = raw["area"].geometry.union_all()
    xmin, ymin, xmax, ymax = area.bounds
    xs = np.arange(xmin, xmax, cell_m)
    ys = np.arange(ymin, ymax, cell_m)
    cells = [shapely.box(x, y, x + cell_m, y + cell_m) for y in ys[::-1] for x in xs]
    clipped = shapely.intersection(np.array(cells, dtype=object), area)
    keep = shapely.area(clipped) > 0.15 * cell_m * cell_m
    grids = gpd.GeoDataFrame(geometry=list(clipped[keep]), crs=raw["area"].crs)
    grids["geometry"] = grids.geometry.apply(
        lambda g: max(shapely.get_parts(g), key=lambda p: p.area) if g.geom_type != "Polygon" else g
    )
    centres = raw["buildings"].geometry.representative_point()
    joined = gpd.sjoin(
        gpd.GeoDataFrame(
            {"households": raw["buildings"]["households"].to_numpy()}, geometry=centres.values, crs=grids.crs
        ),
        grids,
        predicate="within",
    )
    sums = joined.groupby("index_right")["households"].sum()
    grids["households"] = sums.reindex(grids.index).fillna(0).astype(int).to_numpy()
    grids["grid_code"] = [f"KT{i + 1:03d}" for i in range(len(grids))]
    # Types cycle so every category is present and neighbours differ.
    grids["grid_type"] = [TYPES[i % len(TYPES)] for i in range(len(grids))]
    grids.loc[grids["households"] > 600, "grid_type"] = "residential"
    grids["worker"] = [f"网格员{i + 1:02d}" for i in range(len(grids))]
    grids["phone"] = [f"0752-83{i:05d}" for i in range(len(grids))]
    return grids.reset_index(drop=True)


@pytest.fixture(scope="session")
def sample(tmp_path_factory):
    """Paths of a GeoPackage with ``grids``, ``area``, ``roads`` and the grid frame itself."""
    raw = _kotka_raw()
    grids = _grid_sample(raw)
    folder = tmp_path_factory.mktemp("export_sample")
    gpkg = folder / "kotka_plan.gpkg"
    grids.to_file(gpkg, layer="grids", driver="GPKG")
    raw["area"][["geometry"]].assign(name="Kotka").to_file(gpkg, layer="area", driver="GPKG")
    roads = raw["roads"][["name", "highway", "geometry"]]
    roads.to_file(gpkg, layer="roads", driver="GPKG")
    return {
        "gpkg": gpkg,
        "grids": f"{gpkg}|layername=grids",
        "area": f"{gpkg}|layername=area",
        "roads": f"{gpkg}|layername=roads",
        "frame": grids,
    }


def pdfinfo(path) -> dict:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", out).group(1))
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", out).groups())
    return {"pages": pages, "width": width, "height": height}


def pdftext(path, first=None, last=None) -> str:
    command = ["pdftotext", "-layout"]
    if first:
        command += ["-f", str(first), "-l", str(last or first)]
    return subprocess.run([*command, str(path), "-"], capture_output=True, text=True, check=True).stdout


def _squash(text: str) -> str:
    """Whitespace removed; nothing else, so the text must hold the true ideographs (网, not the radical ⽹)."""
    return re.sub(r"\s+", "", text)


# ---------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------


def test_cjk_font_is_installed_and_used(qgis_app):
    from gridplanner.grid_plugin.export import styling

    assert styling.cjk_font_family() == "Noto Sans CJK SC"
    assert styling.text_format(10).font().family() == "Noto Sans CJK SC"


def test_map_pdf_pages_size_and_text(gridplanner_provider, sample, tmp_path):
    import processing

    pdf = tmp_path / "grid_map.pdf"
    result = processing.run(
        "gridplanner:exportmap",
        {
            "GRIDS": sample["grids"],
            "AREA": sample["area"],
            "ROADS": sample["roads"],
            "TITLE": "科特卡街道网格划分图",
            "AREA_NAME": "科特卡街道",
            "DATE": "2026年11月29日",
            "PAPER": 1,  # A3
            "ORIENTATION": 0,  # landscape
            "DPI": 150,
            "TABLE": True,
            "OUTPUT_PDF": str(pdf),
        },
    )
    info = pdfinfo(pdf)
    assert info["pages"] == result["PAGES"] >= 2  # the map, then the table
    assert (info["width"], info["height"]) == pytest.approx(A_SIZES_PT["A3"][::-1], abs=1.0)
    frame = sample["frame"]
    page1 = _squash(pdftext(pdf, 1))
    assert "科特卡街道网格划分图" in page1
    assert "科特卡街道" in page1 and "2026年11月29日" in page1
    assert "图例" in page1
    for code in sorted(set(frame["grid_type"])):
        zh = {
            "residential": "住宅网格",
            "commercial": "商务网格",
            "forest": "林地网格",
            "industrial": "产业园区网格",
            "mixed": "混合网格",
        }[code]
        assert zh in page1, f"legend label {zh} missing"
    assert "©OpenStreetMapcontributors" in page1
    labelled = [code for code in frame["grid_code"] if code in page1]
    assert len(labelled) >= 0.8 * len(frame), f"only {len(labelled)} of {len(frame)} grid codes labelled on the map"
    everything = _squash(pdftext(pdf))
    assert "网格一览表" in everything
    for _, row in frame.iterrows():
        assert row["grid_code"] in everything
        assert row["worker"] in everything
        assert row["phone"] in everything


@pytest.mark.parametrize(("paper", "orientation"), [("A4", "portrait"), ("A1", "landscape")])
def test_paper_sizes(qgis_app, sample, tmp_path, paper, orientation):
    from gridplanner.grid_plugin.export.layout import MapOptions, export_grid_map

    pdf = tmp_path / "map.pdf"
    result = export_grid_map(
        sample["grids"],
        pdf,
        area=sample["area"],
        options=MapOptions(paper=paper, orientation=orientation, table=False, dpi=72),
    )
    info = pdfinfo(pdf)
    width, height = A_SIZES_PT[paper]
    expected = (width, height) if orientation == "portrait" else (height, width)
    assert info["pages"] == result["pages"] == 1
    assert (info["width"], info["height"]) == pytest.approx(expected, abs=1.0)
    assert "网格划分图" in _squash(pdftext(pdf))


def _blend(hex_color: str, alpha: float) -> np.ndarray:
    rgb = np.array([int(hex_color[i : i + 2], 16) for i in (1, 3, 5)], dtype=float)
    return rgb * alpha + 255.0 * (1 - alpha)


def test_png_shows_each_grid_in_its_type_colour(qgis_app, sample, tmp_path):
    from gridplanner.grid_plugin.core.grid_types import GRID_TYPES_BY_CODE
    from gridplanner.grid_plugin.export.layout import MapOptions, export_grid_map, map_point_to_page_px
    from qgis.PyQt.QtGui import QImage

    png = tmp_path / "map.png"
    dpi = 100
    result = export_grid_map(
        sample["grids"],
        output_png=png,
        area=sample["area"],
        options=MapOptions(paper="A4", orientation="landscape", table=False, dpi=dpi),
    )
    image = QImage(str(png))
    assert image.width() == pytest.approx(297 / 25.4 * dpi, abs=1)
    assert image.height() == pytest.approx(210 / 25.4 * dpi, abs=1)
    data = result["data"]
    map_item = result["map"].map_item
    alpha = data.fill_alpha
    palette = {code: _blend(GRID_TYPES_BY_CODE[code].color, alpha) for code in TYPES}
    # Sample points well inside each grid, away from its label (labels sit near the centre).
    frame = data.frame
    right, total = 0, 0
    pixels_seen = []
    for geom, grid_type in zip(frame.geometry.values, frame["gp_type"]):
        inner = geom.buffer(-25)
        if inner.is_empty or inner.area < 5000:
            continue
        candidates = shapely.get_coordinates(shapely.segmentize(inner.exterior, 20))
        colours = []
        for x, y in candidates:
            px, py = map_point_to_page_px(map_item, x, y, dpi)
            colour = image.pixelColor(int(px), int(py))
            colours.append((colour.red(), colour.green(), colour.blue()))
        median = np.median(np.array(colours, dtype=float), axis=0)
        pixels_seen.append(median)
        nearest = min(palette, key=lambda code: np.abs(palette[code] - median).sum())
        total += 1
        right += nearest == grid_type
    assert total >= 15
    assert right / total >= 0.9, f"{right}/{total} grids show their type colour"
    # Not blank: many distinct colours on the page.
    assert len({tuple(np.round(p)) for p in pixels_seen}) >= 4


def test_atlas_one_page_per_grid_with_facts_and_boundaries(qgis_app, sample, tmp_path):
    from gridplanner.grid_plugin.export.layout import MapOptions, export_grid_map

    atlas = tmp_path / "atlas.pdf"
    result = export_grid_map(
        sample["grids"],
        atlas_pdf=atlas,
        area=sample["area"],
        roads=sample["roads"],
        options=MapOptions(paper="A4", orientation="portrait", dpi=96, area_name="科特卡街道"),
    )
    frame = sample["frame"].sort_values("grid_code")
    info = pdfinfo(atlas)
    assert info["pages"] == result["atlas_pages"] == len(frame)
    assert (info["width"], info["height"]) == pytest.approx(A_SIZES_PT["A4"], abs=1.0)
    first = frame.iloc[0]
    page = _squash(pdftext(atlas, 1))
    assert f"网格{first['grid_code']}" in page
    assert first["worker"] in page and first["phone"] in page
    assert "四至" in page
    descriptions = result["data"].frame.set_index("gp_code")["gp_bounds"]
    assert _squash(descriptions[first["grid_code"]])[:12] in page
    # Real road names bound most grids: the descriptions are not all neighbour codes.
    named = sum(bool(re.search(r"至(?!网格)", d)) for d in descriptions)
    assert named >= 0.5 * len(descriptions)
    last = frame.iloc[-1]
    assert f"网格{last['grid_code']}" in _squash(pdftext(atlas, len(frame)))


def test_layout_left_in_project_and_template_reloads(qgis_app, sample, tmp_path):
    from gridplanner.grid_plugin.export.layout import MapOptions, export_grid_map, load_template, save_template
    from qgis.core import QgsLayoutItemLegend, QgsLayoutItemMap, QgsProject

    project = QgsProject()
    result = export_grid_map(
        sample["grids"],
        tmp_path / "m.pdf",
        atlas_pdf=tmp_path / "a.pdf",
        options=MapOptions(layout_name="测试公示图", table=False, dpi=72),
        project=project,
        keep_in_project=True,
    )
    manager = project.layoutManager()
    assert manager.layoutByName("测试公示图") is not None
    assert manager.layoutByName(result["atlas_layout_name"]).atlas().enabled()
    group = project.layerTreeRoot().findGroup("公示地图图层：测试公示图")
    assert group is not None and len(group.findLayers()) >= 2
    template = tmp_path / "t.qpt"
    save_template(result["map"].layout, template)
    reloaded = load_template(project, template)
    kinds = {type(item) for item in reloaded.items()}
    assert QgsLayoutItemMap in kinds and QgsLayoutItemLegend in kinds


def test_shipped_templates_open(qgis_app):
    from gridplanner.grid_plugin.export.layout import PAPER_SIZES_MM, load_template
    from qgis.core import QgsLayoutItemLabel, QgsLayoutItemMap, QgsProject

    styles = helpers.ROOT / "styles"
    templates = sorted(styles.glob("gridmap_*.qpt"))
    assert len(templates) == 6
    for path in templates:
        paper, orientation = path.stem.split("_")[1:]
        layout = load_template(QgsProject.instance(), path)
        size = layout.pageCollection().page(0).pageSize()
        width, height = PAPER_SIZES_MM[paper]
        expected = (width, height) if orientation == "portrait" else (height, width)
        assert (size.width(), size.height()) == pytest.approx(expected, abs=0.5)
        maps = [i for i in layout.items() if isinstance(i, QgsLayoutItemMap)]
        assert len(maps) == 2 and not any(m.keepLayerSet() for m in maps)
        texts = " ".join(i.text() for i in layout.items() if isinstance(i, QgsLayoutItemLabel))
        assert "网格划分图" in texts and "OpenStreetMap" in texts


def test_style_by_chosen_field_and_single_style(qgis_app, sample, tmp_path):
    from gridplanner.grid_plugin.export.layout import MapOptions, prepare_map_data
    from qgis.core import QgsCategorizedSymbolRenderer, QgsGraduatedSymbolRenderer

    data = prepare_map_data(sample["grids"], MapOptions(style_field="households"))
    assert data.style_kind == "graduated"
    assert isinstance(data.grids.renderer(), QgsGraduatedSymbolRenderer)
    data = prepare_map_data(sample["grids"], MapOptions(style_field="worker"))
    assert data.style_kind == "categorized"
    assert isinstance(data.grids.renderer(), QgsCategorizedSymbolRenderer)
    assert len(data.grids.renderer().categories()) == len(sample["frame"])
    data = prepare_map_data(sample["grids"], MapOptions())
    labels = [c.label() for c in data.grids.renderer().categories()]
    assert labels[0] == "住宅网格"  # grid-type order, Chinese labels
    assert set(labels) == {"住宅网格", "商务网格", "林地网格", "产业园区网格", "混合网格"}


def test_heatmap_beneath_the_grids(qgis_app, sample, tmp_path):
    from gridplanner.grid_plugin.export.layout import MapOptions, export_grid_map
    from osgeo import gdal, osr

    frame = sample["frame"]
    xmin, ymin, xmax, ymax = frame.total_bounds
    size = 50.0
    cols, rows = int((xmax - xmin) / size) + 1, int((ymax - ymin) / size) + 1
    yy, xx = np.mgrid[0:rows, 0:cols]
    values = np.exp(-(((xx - cols / 2) ** 2 + (yy - rows / 2) ** 2) / (2 * (cols / 6) ** 2))).astype("float32")
    raster = tmp_path / "heat.tif"
    dataset = gdal.GetDriverByName("GTiff").Create(str(raster), cols, rows, 1, gdal.GDT_Float32)
    dataset.SetGeoTransform((xmin, size, 0, ymax, 0, -size))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(3067)
    dataset.SetProjection(srs.ExportToWkt())
    dataset.GetRasterBand(1).WriteArray(values)
    dataset = None
    result = export_grid_map(
        sample["grids"],
        tmp_path / "heat.pdf",
        heatmap=str(raster),
        options=MapOptions(table=False, dpi=72),
    )
    layers = result["map"].map_item.layers()
    assert [layer.name() for layer in layers][-1] == "事件热力"  # drawn last = beneath
    assert "事件热力" in _squash(pdftext(tmp_path / "heat.pdf"))


# ---------------------------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------------------------


def test_missing_field_is_a_clear_error(gridplanner_provider, sample, tmp_path):
    from qgis.core import QgsProcessingException

    import processing

    with pytest.raises(QgsProcessingException, match="field worker_nm does not exist.*grid_code"):
        processing.run(
            "gridplanner:exportmap",
            {"GRIDS": sample["grids"], "WORKER_FIELD": "worker_nm", "OUTPUT_PDF": str(tmp_path / "x.pdf")},
        )
    assert not (tmp_path / "x.pdf").exists()


def test_empty_grid_layer_is_a_clear_error(gridplanner_provider, sample, tmp_path):
    from qgis.core import QgsProcessingException

    import processing

    empty = tmp_path / "empty.gpkg"
    sample["frame"].iloc[:0].to_file(empty, layer="grids", driver="GPKG")
    with pytest.raises(QgsProcessingException, match="has no features"):
        processing.run("gridplanner:exportmap", {"GRIDS": str(empty), "OUTPUT_PDF": str(tmp_path / "x.pdf")})


@pytest.mark.parametrize("where", ["a_folder", "read_only"])
def test_unwritable_output_is_a_clear_error(gridplanner_provider, sample, tmp_path, where):
    from qgis.core import QgsProcessingException

    import processing

    target = {
        "a_folder": tmp_path,
        "read_only": Path("/proc/grid_map.pdf"),
    }[where]
    with pytest.raises(QgsProcessingException, match="Cannot write|not writable"):
        processing.run("gridplanner:exportmap", {"GRIDS": sample["grids"], "OUTPUT_PDF": str(target)})


def test_missing_output_folder_is_created(gridplanner_provider, sample, tmp_path):
    import processing

    target = tmp_path / "no" / "such" / "map.pdf"
    processing.run("gridplanner:exportmap", {"GRIDS": sample["grids"], "DPI": 50, "OUTPUT_PDF": str(target)})
    assert target.read_bytes().startswith(b"%PDF")


@pytest.mark.qgis_process
def test_qgis_process_exports_headless(sample, tmp_path):
    if shutil.which("qgis_process.bin") is None and not Path("/usr/bin/qgis_process.bin").exists():
        pytest.skip("qgis_process is not installed")
    pdf, png = tmp_path / "map.pdf", tmp_path / "map.png"
    result = helpers.run_qgis_process(
        "run",
        "gridplanner:exportmap",
        "--",
        f"GRIDS={sample['grids']}",
        f"AREA={sample['area']}",
        f"ROADS={sample['roads']}",
        "PAPER=0",
        "DPI=72",
        "TABLE=false",
        "TITLE=网格划分图",
        f"OUTPUT_PDF={pdf}",
        f"OUTPUT_PNG={png}",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert pdfinfo(pdf)["pages"] == 1
    assert png.stat().st_size > 20_000
    assert "网格划分图" in _squash(pdftext(pdf))


def test_grid_sample_is_demo_like(sample):
    frame: pd.DataFrame = sample["frame"]
    assert 25 <= len(frame) <= 45
    assert frame["households"].sum() > 1000


def test_export_plan_maps_writes_the_demo_outputs(qgis_app, sample, tmp_path):
    from gridplanner.grid_plugin.export import export_plan_maps

    result = export_plan_maps(
        sample["grids"], tmp_path / "out", area=sample["area"], roads=sample["roads"], dpi=72, atlas=False
    )
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["grid_map.pdf", "grid_map.png"]
    assert pdfinfo(result["pdf"])["pages"] == result["pages"] >= 2
    # readable by the colleagues the folder is shared with, not only by the writer (mkstemp's 0600)
    assert {(tmp_path / "out" / name).stat().st_mode & 0o777 for name in ("grid_map.pdf", "grid_map.png")} == {0o644}
    assert not list((tmp_path / "out").glob(".*"))  # no temporary files left behind


def test_short_labels_drop_the_shared_prefix_of_long_codes(qgis_app):
    from gridplanner.grid_plugin.export.layout import short_labels

    assert short_labels(["440307001001004", "440307001001012", "440307001002001"]) == (
        ["1004", "1012", "2001"],
        "44030700100",
    )
    assert short_labels(["KT001", "KT002"]) == (["KT001", "KT002"], "")
    assert short_labels(["000000000001", "000000000001"]) == (["0001", "0001"], "00000000")


def test_geographic_grids_are_mapped_in_a_metric_crs(qgis_app, sample, tmp_path):
    from gridplanner.grid_plugin.export.layout import MapOptions, export_grid_map

    lonlat = tmp_path / "lonlat.gpkg"
    sample["frame"].to_crs("EPSG:4326").to_file(lonlat, layer="grids", driver="GPKG")
    result = export_grid_map(f"{lonlat}|layername=grids", tmp_path / "m.pdf", options=MapOptions(table=False, dpi=72))
    assert result["data"].crs.authid() == "EPSG:32635"
    assert 1000 < result["map"].map_item.scale() < 100000


def test_public_map_an_office_accepts(qgis_app, sample, tmp_path):
    """Every grid carries its code, CRS in words, 审图号 and disclaimer, 监督电话 column, 3× inset, 数据范围."""
    from gridplanner.grid_plugin.export.layout import MapOptions, export_grid_map

    frame = sample["frame"].copy()
    # A grid too small for its code at the sheet's scale: cut a 40 m square out of the first grid.
    corner = frame.geometry.iloc[0].representative_point()
    tiny = shapely.box(corner.x - 20, corner.y - 20, corner.x + 20, corner.y + 20)
    frame.loc[0, "geometry"] = frame.geometry.iloc[0].difference(tiny)
    extra = frame.iloc[[0]].copy()
    extra["geometry"] = [tiny]
    extra["grid_code"] = ["KT999"]
    frame = gpd.GeoDataFrame(pd.concat([frame, extra], ignore_index=True), crs=frame.crs)
    frame["supervision_phone"] = [f"12345-{i:03d}" for i in range(len(frame))]
    gpkg = tmp_path / "plan.gpkg"
    frame.to_file(gpkg, layer="grids", driver="GPKG")
    area = gpd.read_file(sample["gpkg"], layer="area")[["geometry"]]  # the data extent: no name, no admin_level
    area.to_file(gpkg, layer="extent", driver="GPKG")
    # Surroundings for the inset: the district around the area, by name.
    x0, y0, x1, y1 = area.total_bounds
    width = x1 - x0
    district = gpd.GeoDataFrame(
        {"name": ["屈门区"]},
        geometry=[shapely.box(x0 - width, y0 - width, x1 + width, y1 + width).difference(area.union_all())],
        crs=area.crs,
    )
    district.to_file(gpkg, layer="district", driver="GPKG")
    pdf = tmp_path / "map.pdf"
    result = export_grid_map(
        f"{gpkg}|layername=grids",
        pdf,
        area=f"{gpkg}|layername=extent",
        context=f"{gpkg}|layername=district",
        roads=sample["roads"],
        options=MapOptions(
            paper="A4",
            orientation="landscape",
            dpi=96,
            review_number="粤S(2026)001号",
            disclaimer="本图仅供网格公示使用，不作为权属争议的依据。",
        ),
    )
    page1 = _squash(pdftext(pdf, 1))
    everything = _squash(pdftext(pdf))
    # Every grid carries its code on the map, small ones beside it with a leader line.
    missing = [code for code in frame["grid_code"] if code not in page1]
    assert not missing, f"grid codes missing from the map: {missing}"
    assert result["map"].items["n_small_grids"] >= 1
    assert "审图号：粤S(2026)001号" in page1
    assert "本图仅供网格公示使用，不作为权属争议的依据。" in page1
    assert "坐标系：WGS84通用横轴墨卡托投影第35带北半球(EPSG:32635)" in page1
    assert "GridPlanner" not in everything
    # The legend says what the outline is: the extent of the data, not a named boundary.
    assert "数据范围" in page1 and "边界" not in page1.split("图例")[-1][:40]
    assert result["data"].area.name() == "数据范围"
    # The inset shows the area in context: three times its extent.
    inset = result["map"].items["overview"].extent()
    full = result["data"].full_extent()
    assert inset.width() >= 2.9 * full.width() or inset.height() >= 2.9 * full.height()
    assert result["data"].context is not None and "屈门区" in page1  # the surroundings by name in the inset
    # 监督电话 is a column of the grid table when the field exists.
    assert "监督电话" in everything and frame["supervision_phone"].iloc[0] in everything


def test_a4_portrait_table_wraps_the_boundaries_inside_the_page(qgis_app, sample, tmp_path):
    from gridplanner.grid_plugin.export.layout import MapOptions, export_grid_map

    pdf = tmp_path / "a4.pdf"
    result = export_grid_map(
        sample["grids"],
        pdf,
        area=sample["area"],
        roads=sample["roads"],
        options=MapOptions(paper="A4", orientation="portrait", dpi=72),
    )
    table = result["map"].table
    widths = [column.width() for column in table.columns()]
    frame_width = table.frame(0).sizeWithUnits().width()
    margins = 2 * table.cellMargin() * len(widths) + table.gridStrokeWidth() * (len(widths) + 1)
    assert all(w > 0 for w in widths) and sum(widths) + margins <= frame_width + 0.5
    layer = result["data"].grids
    wrapped = [f["gp_bounds_wrap"] for f in layer.getFeatures()]
    assert any("\n" in text for text in wrapped), "no 四至 needed a second line on A4 portrait"
    # Every line of every 四至 is printed on the table pages, inside the page.
    text = _squash(pdftext(pdf, 2, pdfinfo(pdf)["pages"]))
    for lines in wrapped:
        for line in lines.split("\n"):
            assert _squash(line) in text


def test_the_sheet_dates_in_the_area_s_own_time_zone(qgis_app, tmp_path):
    """A plan in Shenzhen is dated by Beijing time (a UTC machine at 20:00 would print yesterday)."""
    import datetime as dt

    from gridplanner.grid_plugin.export.layout import MapOptions, prepare_map_data

    grids = gpd.GeoDataFrame(
        {"grid_code": ["A", "B"]},
        geometry=[shapely.box(500000, 2500000, 500300, 2500300), shapely.box(500300, 2500000, 500600, 2500300)],
        crs="EPSG:4547",
    )
    path = tmp_path / "sz.gpkg"
    grids.to_file(path, layer="grids", driver="GPKG")
    data = prepare_map_data(f"{path}|layername=grids", MapOptions())
    assert str(data.time_zone) == "Asia/Shanghai"
    today = dt.datetime.now(data.time_zone).date()
    assert MapOptions().date_text(data.time_zone) == f"{today.year}年{today.month}月{today.day}日"
    assert MapOptions(date="2026年1月1日").date_text(data.time_zone) == "2026年1月1日"


def test_wrap_chinese_breaks_after_punctuation_and_never_exceeds_the_width(qgis_app):
    from gridplanner.grid_plugin.export.layout.sheets import wrap_chinese

    text = "东至龙岗大道、深圳地铁3号线，南至爱南路，西至网格1005，北至龙翔大道"
    lines = wrap_chinese(text, 10).split("\n")
    assert "".join(lines) == text  # nothing lost
    assert lines[0] == "东至龙岗大道、"
    assert all(sum(1.0 if ord(c) >= 0x2E80 else 0.55 for c in line) <= 10 for line in lines)
    assert wrap_chinese("一二三四五六七八九十一二三四五", 6).split("\n") == ["一二三四五六", "七八九十一二", "三四五"]
