"""gridplanner:classify through QGIS Processing: fields, Chinese aliases, the grid-type style, bad input."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from gridplanner.grid_plugin.core.grid_types import GRID_TYPES
from osgeo import gdal, osr
from shapely import box

CRS = "EPSG:4547"
X0, Y0 = 500000.0, 2500000.0


@pytest.fixture()
def inputs(tmp_path):
    grids = gpd.GeoDataFrame(
        {"name": ["a", "b", "c", "d"]},
        geometry=[box(X0 + i * 100, Y0, X0 + (i + 1) * 100, Y0 + 100) for i in range(4)],
        crs=CRS,
    )
    landuse = gpd.GeoDataFrame(
        {"DLBM": ["0301", "0702", "1104", "8888"]},
        geometry=[box(X0 + i * 100, Y0, X0 + (i + 1) * 100, Y0 + 100) for i in range(4)],
        crs=CRS,
    )
    path = tmp_path / "inputs.gpkg"
    grids.to_file(path, layer="grids")
    landuse.to_file(path, layer="landuse")
    return path


def test_processing_run_applies_the_grid_type_style_with_chinese_labels(gridplanner_provider, inputs, tmp_path):
    from qgis.core import QgsCategorizedSymbolRenderer, QgsProject, QgsVectorLayer

    import processing

    result = processing.runAndLoadResults(
        "gridplanner:classify",
        {
            "INPUT": f"{inputs}|layername=grids",
            "LANDUSE": f"{inputs}|layername=landuse",
            "CLASS_FIELDS": ["DLBM"],
            "LANDUSE_TABLE": 1,  # GB/T 21010
            "OUTPUT": "TEMPORARY_OUTPUT",
            "UNKNOWN_VALUES": str(tmp_path / "unknown.csv"),
        },
    )
    layer = QgsProject.instance().mapLayer(result["OUTPUT"])
    assert isinstance(layer, QgsVectorLayer)
    types = {f["name"]: f["grid_type"] for f in layer.getFeatures()}
    assert types == {"a": "forest", "b": "village", "c": "water", "d": "unknown"}
    chinese = {f["name"]: f["grid_type_zh"] for f in layer.getFeatures()}
    assert chinese["b"] == "村庄网格"
    fields = layer.fields()
    assert fields.field("grid_type_zh").alias() == "网格类型"
    assert fields.field("area_pct_forest").alias() == "林地面积占比(%)"
    renderer = layer.renderer()
    assert isinstance(renderer, QgsCategorizedSymbolRenderer)
    assert renderer.classAttribute() == "grid_type"
    labels = {c.value(): c.label() for c in renderer.categories()}
    assert labels == {t.code: t.zh for t in GRID_TYPES}
    colours = {c.value(): c.symbol().color().name() for c in renderer.categories()}
    assert colours == {t.code: t.color for t in GRID_TYPES}
    assert result["N_GRIDS"] == 4 and result["N_UNKNOWN_VALUES"] == 1
    unknown = (tmp_path / "unknown.csv").read_text(encoding="utf-8")
    assert "8888" in unknown
    QgsProject.instance().removeMapLayer(layer.id())


def test_processing_with_osm_tag_fields_dem_and_thresholds(gridplanner_provider, tmp_path):
    from qgis.core import QgsVectorLayer

    import processing

    grids = gpd.GeoDataFrame(geometry=[box(X0 + i * 500, Y0, X0 + (i + 1) * 500, Y0 + 500) for i in range(2)], crs=CRS)
    landuse = gpd.GeoDataFrame(
        {"landuse": ["forest", None], "natural": [None, "water"]},
        geometry=[box(X0, Y0, X0 + 500, Y0 + 500), box(X0 + 500, Y0, X0 + 1000, Y0 + 500)],
        crs=CRS,
    )
    path = tmp_path / "osm.gpkg"
    grids.to_file(path, layer="grids")
    landuse.to_file(path, layer="landuse")
    # a DEM in EPSG:4326 whose west half is steep
    res = 1 / 3600
    lon0, lat0 = 113.98, 22.58
    rows, cols = 200, 200
    dem = np.tile(np.arange(cols, dtype=np.float32) * 20.0, (rows, 1))
    dem_path = str(tmp_path / "dem.tif")
    ds = gdal.GetDriverByName("GTiff").Create(dem_path, cols, rows, 1, gdal.GDT_Float32)
    ds.SetGeoTransform((lon0, res, 0, lat0 + rows * res, 0, -res))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    ds.SetProjection(srs.ExportToWkt())
    ds.GetRasterBand(1).WriteArray(dem)
    ds = None
    out = str(tmp_path / "out.gpkg")
    gdf_grids = gpd.read_file(path, layer="grids").to_crs(4326)
    assert gdf_grids.total_bounds[0] > lon0 and gdf_grids.total_bounds[2] < lon0 + cols * res
    result = processing.run(
        "gridplanner:classify",
        {
            "INPUT": f"{path}|layername=grids",
            "LANDUSE": f"{path}|layername=landuse",
            "CLASS_FIELDS": ["landuse", "natural"],
            "DEM": dem_path,
            "MOUNTAIN_SLOPE": 20.0,
            "OUTPUT": out,
        },
    )
    layer = QgsVectorLayer(result["OUTPUT"], "out", "ogr")
    rows_out = sorted(layer.getFeatures(), key=lambda f: f.id())
    assert [f["grid_type"] for f in rows_out] == ["mountain", "water"]  # water comes before mountain
    assert rows_out[0]["slope_mean_deg"] > 20
    assert rows_out[0]["rule"] == "mountain"


def test_processing_bad_input_is_a_clear_message(gridplanner_provider, inputs, tmp_path):
    from qgis.core import QgsProcessingException

    import processing

    with pytest.raises(QgsProcessingException, match="at least one source of evidence"):
        processing.run("gridplanner:classify", {"INPUT": f"{inputs}|layername=grids", "OUTPUT": "memory:"})
    # A land-use layer whose class field has a name that cannot be guessed must be chosen by the user.
    landuse = gpd.read_file(inputs, layer="landuse")
    guessable = ["landuse_class", "landuse", "DLBM", "dlbm", "class"]
    landuse = landuse.rename(columns={name: f"zz_{i}" for i, name in enumerate(guessable) if name in landuse})
    landuse.to_file(tmp_path / "landuse.gpkg", layer="landuse")
    with pytest.raises(QgsProcessingException, match="class field"):
        processing.run(
            "gridplanner:classify",
            {"INPUT": f"{inputs}|layername=grids", "LANDUSE": str(tmp_path / "landuse.gpkg"), "OUTPUT": "memory:"},
        )


def test_qgis_process_end_to_end_on_shenzhen(tmp_path):
    from helpers import prepared_sample, run_qgis_process

    sample = prepared_sample("shenzhen")
    boundary = gpd.read_file(sample, layer="boundary")
    area = boundary.geometry.iloc[0]
    minx, miny, maxx, maxy = area.bounds
    gx, gy = np.meshgrid(np.arange(minx, maxx, 400.0), np.arange(miny, maxy, 400.0))
    cells = [box(x, y, x + 400, y + 400).intersection(area) for x, y in zip(gx.ravel(), gy.ravel())]
    grids = gpd.GeoDataFrame(geometry=[c for c in cells if c.area > 30000], crs=boundary.crs)
    grids_path = tmp_path / "grids.gpkg"
    grids.to_file(grids_path)
    out = tmp_path / "classified.gpkg"
    proc = run_qgis_process(
        "run",
        "gridplanner:classify",
        "--",
        f"INPUT={grids_path}",
        f"LANDUSE={sample}|layername=landuse",
        "CLASS_FIELDS=landuse_class",
        "KEY_FIELD=source_key",
        f"WATER={sample}|layername=water",
        f"BUILDINGS={sample}|layername=buildings",
        "BUILDING_TYPE_FIELD=building_type",
        f"POIS={sample}|layername=pois",
        "POI_KIND_FIELD=poi_kind",
        f"OUTPUT={out}",
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = gpd.read_file(out)
    assert len(result) == len(grids)
    assert {"enterprise", "water", "forest"} <= set(result["grid_type"])
    assert result["grid_type_zh"].str.endswith("网格").sum() > len(result) / 3


@pytest.mark.parametrize(("language", "expect_chinese"), [(1, True), (2, False)])
def test_rule_text_and_log_follow_the_language_parameter(
    gridplanner_provider, inputs, tmp_path, language, expect_chinese
):
    """LANGUAGE=1 writes rule_text and the log in Chinese whatever the QGIS locale; LANGUAGE=2 in English."""
    import re

    from qgis.core import QgsProcessingContext, QgsProcessingFeedback, QgsVectorLayer

    import processing

    class Log(QgsProcessingFeedback):
        def __init__(self):
            super().__init__()
            self.lines = []

        def pushInfo(self, info):  # noqa: N802
            self.lines.append(info)

    log = Log()
    out = tmp_path / f"typed_{language}.gpkg"
    processing.run(
        "gridplanner:classify",
        {
            "INPUT": f"{inputs}|layername=grids",
            "LANDUSE": f"{inputs}|layername=landuse",
            "CLASS_FIELDS": ["DLBM"],
            "LANDUSE_TABLE": 1,
            "LANGUAGE": language,
            "OUTPUT": str(out),
        },
        context=QgsProcessingContext(),
        feedback=log,
    )
    layer = QgsVectorLayer(str(out), "typed", "ogr")
    texts = [f["rule_text"] for f in layer.getFeatures()]
    counts = next(line for line in log.lines if re.match(r"(Grids per type|各类型网格数)", line))
    if expect_chinese:
        assert all(re.search(r"[\u4e00-\u9fff]", t) for t in texts), texts
        assert not any(re.search(r"[A-Za-z]{4,}", t) for t in texts), texts
        assert counts.startswith("各类型网格数") and "林地网格" in counts and "forest" not in counts
    else:
        assert all(t.isascii() for t in texts), texts
        assert counts.startswith("Grids per type") and "Forest" in counts
