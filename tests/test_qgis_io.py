"""Layers to GeoDataFrames and back, through real QGIS layers and files."""

import geopandas as gpd
import shapely
from gridplanner.grid_plugin.qgis_io import fields_for_frame, pyproj_to_qgis_crs, qgis_crs_to_pyproj, source_to_gdf
from qgis.core import QgsVectorLayer


def _frame():
    return gpd.GeoDataFrame(
        {"name": ["甲", "乙"], "households": [120, 0], "share": [0.5, None]},
        geometry=[shapely.box(0, 0, 10, 10), shapely.box(10, 0, 20, 10)],
        crs="EPSG:4547",
    )


def test_geopackage_layer_with_its_own_fid_field(qgis_app, tmp_path):
    path = tmp_path / "grids.gpkg"
    _frame().to_file(path, layer="grids", driver="GPKG")
    layer = QgsVectorLayer(f"{path}|layername=grids", "grids", "ogr")
    assert layer.isValid() and "fid" in layer.fields().names()
    frame = source_to_gdf(layer)
    assert list(frame["name"]) == ["甲", "乙"]
    assert list(frame["households"]) == [120, 0]
    assert frame["share"].isna().tolist() == [False, True]
    assert frame["fid"].tolist() == frame["qgis_fid"].tolist()
    assert frame.crs.to_epsg() == 4547
    assert shapely.equals(frame.geometry.values, _frame().geometry.values).all()


def test_memory_layer_gets_fid_column(qgis_app):
    layer = QgsVectorLayer("Polygon?crs=EPSG:4490&field=code:string", "mem", "memory")
    frame = source_to_gdf(layer)
    assert "fid" in frame.columns and len(frame) == 0
    assert frame.crs.to_epsg() == 4490


def test_crs_round_trip_cgcs2000():
    for epsg in (4490, 4534, 4547, 4554):
        crs = pyproj_to_qgis_crs(f"EPSG:{epsg}")
        assert crs.authid() == f"EPSG:{epsg}"
        assert qgis_crs_to_pyproj(crs).to_epsg() == epsg


def test_fields_skip_ids_and_keep_aliases():
    frame = _frame()
    frame.insert(0, "fid", [1, 2])
    fields = fields_for_frame(frame, aliases={"households": "户数"})
    assert fields.names() == ["name", "households", "share"]
    assert fields.field("households").alias() == "户数"


def test_sink_writes_numpy_scalars(qgis_app):
    import numpy as np
    from gridplanner.grid_plugin.qgis_io import write_frame_to_sink

    frame = _frame()
    frame["name"] = [np.str_("甲"), np.str_("乙")]
    frame["flag"] = [np.bool_(True), np.bool_(False)]
    fields = fields_for_frame(frame)
    layer = QgsVectorLayer("MultiPolygon?crs=EPSG:4547", "out", "memory")
    layer.dataProvider().addAttributes(fields.toList())
    layer.updateFields()
    assert write_frame_to_sink(frame, layer.dataProvider(), layer.fields()) == 2
    assert layer.featureCount() == 2
    values = [f.attributes() for f in layer.getFeatures()]
    assert [v[0] for v in values] == ["甲", "乙"] and [v[1] for v in values] == [120, 0]
    assert [v[3] for v in values] == [True, False]


def test_read_layer_fast_matches_feature_iteration(qgis_app, tmp_path):
    from gridplanner.grid_plugin.qgis_io import read_layer_fast

    path = tmp_path / "grids.gpkg"
    _frame().to_file(path, layer="grids", driver="GPKG")
    layer = QgsVectorLayer(f"{path}|layername=grids", "grids", "ogr")
    fast = read_layer_fast(layer, ["name", "households"])
    slow = source_to_gdf(layer, ["name", "households"])
    assert fast is not None
    assert fast["fid"].tolist() == slow["fid"].tolist() == [f.id() for f in layer.getFeatures()]
    assert fast["name"].tolist() == slow["name"].tolist()
    assert fast.crs == slow.crs
    assert shapely.equals(fast.geometry.values, slow.geometry.values).all()
    # Not a plain file layer: a subset filter, or unsaved edits, must go through QGIS.
    layer.setSubsetString("households > 0")
    assert read_layer_fast(layer) is None
    layer.setSubsetString("")
    layer.startEditing()
    layer.deleteFeature(next(layer.getFeatures()).id())
    assert read_layer_fast(layer) is None
    layer.rollBack()
    memory = QgsVectorLayer("Polygon?crs=EPSG:4547", "mem", "memory")
    assert read_layer_fast(memory) is None
