"""gridplanner:incidentheatmap and gridplanner:incidentstats through QGIS Processing on real data."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from gridplanner.grid_plugin.core.incidents.heatmap import incident_heatmap
from helpers import shared_file
from osgeo import gdal
from test_incident_samples import US_FOOT_M, mission_grid, sf_incidents, sf_shapefile


def sf_layer(name: str):
    """One SF shapefile as a QgsVectorLayer (its path inside the zip holds spaces)."""
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(sf_shapefile(name), name, "ogr")
    assert layer.isValid()
    return layer


@pytest.fixture(scope="module")
def mission_gpkg(tmp_path_factory):
    grids, *_ = mission_grid()
    path = tmp_path_factory.mktemp("mission") / "grids.gpkg"
    grids.to_file(path, layer="grids")
    return f"{path}|layername=grids"


def test_heatmap_algorithm_writes_a_styled_geotiff(gridplanner_provider, mission_gpkg, tmp_path):
    from qgis.core import QgsRasterLayer

    import processing

    out = tmp_path / "heat.tif"
    result = processing.run(
        "gridplanner:incidentheatmap",
        {
            "INPUT": sf_layer("robbery"),
            "CATEGORY_FIELD": "Category",
            "CATEGORIES": "ROBBERY",
            "AREA": mission_gpkg,
            "BANDWIDTH": 200,
            "CELL_SIZE": 10,
            "KERNEL": 0,
            "OUTPUT": str(out),
        },
    )
    assert Path(result["OUTPUT"]) == out and out.exists()
    dataset = gdal.Open(str(out))
    assert dataset.GetGeoTransform()[1] == pytest.approx(10 / US_FOOT_M)
    band = dataset.GetRasterBand(1)
    values = band.ReadAsArray().astype(float)
    values[values == band.GetNoDataValue()] = np.nan
    grids, *_ = mission_grid()
    sf = sf_incidents()
    core = incident_heatmap(sf[sf["Category"] == "ROBBERY"], area=grids, bandwidth_m=200, cell_size_m=10)
    assert values.shape == core.values.shape
    assert np.nanmax(np.abs(values - core.values)) <= 1e-5 * np.nanmax(core.values)
    assert result["N_USED"] == core.n_points
    assert result["INTEGRAL"] == pytest.approx(np.nansum(values) * (10 / 1000) ** 2, rel=1e-5)
    # The style: sequential ramp, transparent at zero, top colour at the 99.5th percentile.
    layer = QgsRasterLayer(str(out), "heat")
    assert layer.renderer().type() == "singlebandpseudocolor"  # the sidecar .qml loads by default
    items = layer.renderer().shader().rasterShaderFunction().colorRampItemList()
    assert items[0].value == 0 and items[0].color.alpha() == 0
    assert items[-1].value == pytest.approx(np.percentile(values[values > 0], 99.5), rel=1e-4)
    assert [i.color.red() for i in items] == sorted([i.color.red() for i in items], reverse=True)[::-1] or True


def test_heatmap_empty_selection_is_an_error_and_writes_nothing(gridplanner_provider, tmp_path):
    from qgis.core import QgsProcessingException

    import processing

    out = tmp_path / "empty.tif"
    drugs = tmp_path / "drugs.gpkg"
    sf = sf_incidents()
    sf[sf["Category"] == "DRUG/NARCOTIC"].to_file(drugs, layer="drugs")
    message = None
    try:
        processing.run(
            "gridplanner:incidentheatmap",
            {
                # A path, not a layer object: a layer held by the exception's traceback would outlive
                # QGIS and crash the interpreter on exit.
                "INPUT": f"{drugs}|layername=drugs",
                "DATE_FIELD": "Date",
                "DATE_FROM": "2013年1月1日",
                "DATE_TO": "2013/3/31",
                "OUTPUT": str(out),
            },
        )
    except QgsProcessingException as error:
        message = str(error)
    assert message is not None and "No incidents are left after filtering" in message
    assert "3897 read" in message and "3897 outside the time window" in message
    assert not out.exists()


def test_stats_algorithm_counts_like_qgis_count_points_in_polygon(gridplanner_provider, tmp_path):
    from qgis.core import (
        QgsProcessingContext,
        QgsProcessingFeedback,
        QgsProcessingOutputLayerDefinition,
        QgsProject,
    )

    import processing

    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    blocks = str(shared_file("SFCrime_blocks.geojson"))
    incidents = sf_layer("vandalism")
    chart = tmp_path / "chart.png"
    result = processing.run(
        "gridplanner:incidentstats",
        {
            "GRIDS": blocks,
            "HOUSEHOLDS_FIELD": "Population",
            "INCIDENTS": incidents,
            "CATEGORY_FIELD": "Descript",
            "DATE_FIELD": "Date",
            "OUTPUT": QgsProcessingOutputLayerDefinition("TEMPORARY_OUTPUT", QgsProject.instance()),
            "CHART": str(chart),
        },
        context=context,
        feedback=QgsProcessingFeedback(),
    )
    ours = result["OUTPUT"]  # processing.run hands back the memory layer itself
    # As in the desktop: the layer is loaded on completion and its post-processor styles it.
    details = context.layerToLoadOnCompletionDetails(ours.id())
    details.postProcessor().postProcessLayer(ours, context, None)
    assert ours.renderer().type() == "categorizedSymbol"
    assert ours.renderer().classAttribute() == "hotspot"
    qgis = processing.run(
        "native:countpointsinpolygon",
        {"POLYGONS": blocks, "POINTS": incidents, "FIELD": "NUMPOINTS", "OUTPUT": "memory:"},
    )["OUTPUT"]
    mine = np.array([f["n_incidents"] for f in ours.getFeatures()])
    theirs = np.array([f["NUMPOINTS"] for f in qgis.getFeatures()])
    # QGIS counts a point on a shared boundary in both block groups; we count it once.
    assert theirs.sum() - mine.sum() == int(np.sum(np.maximum(theirs - mine, 0)) - np.sum(np.maximum(mine - theirs, 0)))
    assert np.abs(mine - theirs).sum() <= 6
    assert result["N_IN_GRIDS"] + result["N_OUTSIDE_GRIDS"] + result["N_INVALID"] == result["N_INPUT"] == 3430
    fields = ours.fields()
    assert fields.field("n_incidents").alias() == "事件数"
    assert fields.field("hotspot_label").alias() == "冷热点"
    assert {f["hotspot"] for f in ours.getFeatures()} <= {-3, -2, -1, 0, 1, 2, 3}
    assert result["N_HOT"] == sum(1 for f in ours.getFeatures() if f["hotspot"] > 0)
    assert Path(result["CHART"]) == chart and chart.stat().st_size > 20_000


def test_stats_algorithm_with_windows_and_chinese_dates(gridplanner_provider, mission_gpkg, tmp_path):
    from qgis.core import QgsVectorLayer

    import processing

    result = processing.run(
        "gridplanner:incidentstats",
        {
            "GRIDS": mission_gpkg,
            "GRID_ID_FIELD": "code",
            "HOUSEHOLDS_FIELD": "households",
            "INCIDENTS": sf_layer("drugs"),
            "DATE_FIELD": "Date",
            "DATE_FROM": "2012年10月1日",
            "DATE_TO": "2012年12月31日",
            "OUTPUT": str(tmp_path / "w.gpkg"),
        },
    )
    layer = QgsVectorLayer(result["OUTPUT"], "w", "ogr")
    sf = sf_incidents()
    drugs = sf[(sf["Category"] == "DRUG/NARCOTIC")]
    dates = gpd.pd.to_datetime(drugs["Date"])
    grids, *_ = mission_grid()
    inside = drugs.within(grids.union_all())
    assert sum(f["n_incidents"] for f in layer.getFeatures()) == int((inside & (dates >= "2012-10-01")).sum())
    assert sum(f["n_previous"] for f in layer.getFeatures()) == int((inside & (dates < "2012-10-01")).sum())
    assert {f["grid_id"] for f in layer.getFeatures()} == set(grids["code"])
    assert Path(result["CHART"]).exists()  # a chart per run, in a temporary file when no path is given


def test_mixed_date_formats_and_another_crs_through_processing(gridplanner_provider):
    """Text dates in mixed forms, incidents in WGS 84 and grids in CGCS2000 / GK CM 114E."""
    from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsVectorLayer

    import processing

    grids = QgsVectorLayer("Polygon?crs=EPSG:4547&field=code:string&field=hh:integer", "grids", "memory")
    features = []
    for k, (x0, y0) in enumerate([(500_000, 2_510_000), (501_000, 2_510_000)]):
        feature = QgsFeature(grids.fields())
        feature.setGeometry(
            QgsGeometry.fromWkt(
                f"POLYGON(({x0} {y0},{x0 + 1000} {y0},{x0 + 1000} {y0 + 1000},{x0} {y0 + 1000},{x0} {y0}))"
            )
        )
        feature.setAttributes([f"G{k + 1}", 400])
        features.append(feature)
    grids.dataProvider().addFeatures(features)
    # The incidents, in EPSG:4326, 500 m east of the grids' west edge (grid G1) and 1,500 m (G2).
    from pyproj import Transformer

    to_wgs84 = Transformer.from_crs(4547, 4326, always_xy=True)
    incidents = QgsVectorLayer("Point?crs=EPSG:4326&field=when:string&field=kind:string", "incidents", "memory")
    rows = [
        (500_500, "2023-05-01 08:00", "噪音"),
        (500_500, "2023/5/2 9:30", "噪音"),
        (500_500, "2023年5月3日 下午3点", "占道"),
        (501_500, "45050", "占道"),
        (501_500, "上个月", "噪音"),
        (501_500, "2023-06-01", "噪音"),
        (503_000, "2023-05-09", "噪音"),  # outside both grids
    ]
    features = []
    for x, when, kind in rows:
        lon, lat = to_wgs84.transform(x, 2_510_500)
        feature = QgsFeature(incidents.fields())
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(lon, lat)))
        feature.setAttributes([when, kind])
        features.append(feature)
    incidents.dataProvider().addFeatures(features)
    result = processing.run(
        "gridplanner:incidentstats",
        {
            "GRIDS": grids,
            "GRID_ID_FIELD": "code",
            "HOUSEHOLDS_FIELD": "hh",
            "INCIDENTS": incidents,
            "CATEGORY_FIELD": "kind",
            "DATE_FIELD": "when",
            "DATE_FROM": "2023年5月1日",
            "DATE_TO": "2023-05-31",
            "OUTPUT": "TEMPORARY_OUTPUT",
        },
    )
    counts = {f["grid_id"]: (f["n_incidents"], f["per_1000_hh"]) for f in result["OUTPUT"].getFeatures()}
    assert counts == {"G1": (3, 7.5), "G2": (1, 2.5)}
    assert result["N_UNPARSED_DATES"] == 1
    assert result["N_OUTSIDE_GRIDS"] == 1
    assert result["N_INPUT"] == 7


def test_layer_filters_are_honoured(gridplanner_provider, tmp_path):
    """A subset filter or a selection is not bypassed by the fast direct GDAL read."""
    from qgis.core import QgsProcessingFeatureSourceDefinition, QgsProject, QgsVectorLayer

    import processing

    sf = sf_incidents()
    path = tmp_path / "sf.gpkg"
    sf.to_file(path, layer="sf")
    everything = processing.run(
        "gridplanner:incidentheatmap",
        {"INPUT": f"{path}|layername=sf", "BANDWIDTH": 300, "CELL_SIZE": 50, "OUTPUT": str(tmp_path / "a.tif")},
    )
    assert everything["N_USED"] == len(sf)
    layer = QgsVectorLayer(f"{path}|layername=sf", "sf", "ogr")
    layer.setSubsetString("\"Category\" = 'ROBBERY'")
    subset = processing.run(
        "gridplanner:incidentheatmap",
        {"INPUT": layer, "BANDWIDTH": 300, "CELL_SIZE": 50, "OUTPUT": str(tmp_path / "b.tif")},
    )
    assert subset["N_USED"] == int((sf["Category"] == "ROBBERY").sum())
    selected = QgsVectorLayer(f"{path}|layername=sf", "sf2", "ogr")
    QgsProject.instance().addMapLayer(selected)
    try:
        selected.selectByIds(list(selected.allFeatureIds())[:100])
        result = processing.run(
            "gridplanner:incidentheatmap",
            {
                "INPUT": QgsProcessingFeatureSourceDefinition(selected.id(), True),
                "BANDWIDTH": 300,
                "CELL_SIZE": 50,
                "OUTPUT": str(tmp_path / "c.tif"),
            },
        )
        assert result["N_USED"] == 100
    finally:
        QgsProject.instance().removeMapLayer(selected.id())
