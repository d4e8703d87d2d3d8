"""The automatic metric CRS (CGCS2000 Gauss–Krüger in China, UTM elsewhere) and the CRS checks."""

from __future__ import annotations

import geopandas as gpd
import pyproj
import pytest
import shapely
from gridplanner.grid_plugin.core import crs as gp_crs
from gridplanner.grid_plugin.core.errors import InputError, Report


class CollectingReport(Report):
    def __init__(self):
        super().__init__()
        self.infos = []

    def info(self, template, **params):
        self.infos.append(template.format(**params))


@pytest.mark.parametrize(
    ("place", "lon", "lat", "epsg"),
    [
        ("Shenzhen Longgang", 114.2, 22.69, 4547),  # CM 114E
        ("Beijing", 116.4, 39.9, 4548),  # CM 117E
        ("Shanghai", 121.47, 31.23, 4549),  # CM 120E (121.47/3 = 40.49 -> 40*3)
        ("Urumqi", 87.6, 43.8, 4538),  # CM 87E
        ("Lhasa", 91.1, 29.65, 4539),  # CM 90E
        ("Harbin", 126.6, 45.75, 4551),  # CM 126E
        ("Sanya, Hainan", 109.3, 18.25, 4545),  # CM 108E (zone 106.5-109.5E)
        ("Kashgar (far west)", 75.99, 39.47, 4534),  # CM 75E: the first zone
        ("Fuyuan (far east)", 134.3, 48.36, 4554),  # CM 135E: the last zone
        ("Kotka", 26.95, 60.53, 32635),
        ("Bayreuth", 11.58, 49.99, 32632),
        ("Seoul (not China)", 126.98, 37.57, 32652),
        ("Pyongyang (not China)", 125.75, 39.03, 32651),
        ("Fukuoka (not China)", 130.4, 33.6, 32652),
        ("Ulaanbaatar (not China)", 106.9, 47.9, 32648),
        ("Hanoi (not China)", 105.85, 21.03, 32648),
        ("Almaty (not China)", 76.9, 43.25, 32643),
        ("Buenos Aires (south)", -58.4, -34.6, 32721),
        ("Sydney (south)", 151.2, -33.87, 32756),
    ],
)
def test_auto_metric_crs(place, lon, lat, epsg):
    assert gp_crs.auto_metric_crs(lon, lat).to_epsg() == epsg, place


def test_gauss_kruger_codes_and_names_match_epsg():
    # Every CGCS2000 3-degree "CM" code names its own central meridian: 4534 = 75E … 4554 = 135E.
    for index, epsg in enumerate(range(4534, 4555)):
        central_meridian = 75 + 3 * index
        crs = pyproj.CRS.from_epsg(epsg)
        assert crs.name == f"CGCS2000 / 3-degree Gauss-Kruger CM {central_meridian}E"
        assert gp_crs.gk_cgcs2000_epsg(central_meridian) == epsg
        assert gp_crs.gk_cgcs2000_epsg(central_meridian + 1.49) == epsg
        assert gp_crs.gk_cgcs2000_epsg(central_meridian - 1.49) == epsg


def test_utm_zone_edges():
    assert gp_crs.utm_epsg(-180.0, 10) == 32601
    assert gp_crs.utm_epsg(179.99, 10) == 32660
    assert gp_crs.utm_epsg(6.0, 0.0) == 32632  # a zone starts at its western edge; the equator counts as north
    assert gp_crs.utm_epsg(5.99, -0.01) == 32731


def test_china_outline_is_a_valid_polygon_of_plausible_size():
    assert gp_crs.CHINA_OUTLINE.is_valid
    area_km2 = gpd.GeoSeries([gp_crs.CHINA_OUTLINE], crs=4326).to_crs("ESRI:102025").area.iloc[0] / 1e6
    assert 9.0e6 < area_km2 < 11.5e6  # China is 9.6 million km²; the outline is generous at sea


def test_auto_crs_for_cgcs2000_geographic_input():
    # EPSG:4490 (CGCS2000 geographic) is a first-class input.
    frame = gpd.GeoDataFrame(geometry=[shapely.box(114.19, 22.67, 114.23, 22.70)], crs=4490)
    assert gp_crs.is_geographic(frame.crs)
    assert gp_crs.auto_metric_crs_for(frame).to_epsg() == 4547
    report = CollectingReport()
    metric = gp_crs.to_metric(frame, name="area", report=report)
    assert metric.crs.to_epsg() == 4547
    assert frame.crs.to_epsg() == 4490, "the input must not change"
    assert 0.9 * 4.1e6 * 3.3 < metric.area.iloc[0] < 1.1 * 4.1e6 * 3.3  # 0.04° x 0.03° ≈ 4.1 km x 3.3 km
    assert any("EPSG:4490" in line and "EPSG:4547" in line for line in report.infos)


def test_auto_crs_for_projected_input_uses_its_centre():
    frame = gpd.GeoDataFrame(geometry=[shapely.box(500000, 2500000, 502000, 2502000)], crs=4547)
    assert gp_crs.auto_metric_crs_for(frame).to_epsg() == 4547


def test_describe_crs():
    assert gp_crs.describe_crs(4547) == "EPSG:4547 (CGCS2000 / 3-degree Gauss-Kruger CM 114E)"
    assert gp_crs.describe_crs("EPSG:4490") == "EPSG:4490 (China Geodetic Coordinate System 2000)"
    assert gp_crs.describe_crs(None) == "no CRS"


def test_resolve_target_refuses_geographic_and_non_metre_targets():
    with pytest.raises(InputError, match="geographic"):
        gp_crs.resolve_target_crs(4490)
    with pytest.raises(InputError, match="geographic"):
        gp_crs.resolve_target_crs("EPSG:4326")
    with pytest.raises(InputError, match="not in metres"):
        gp_crs.resolve_target_crs(2227)  # California zone 3, US survey feet
    with pytest.raises(InputError, match="EPSG code"):
        gp_crs.resolve_target_crs("not a crs")
    assert gp_crs.resolve_target_crs(4547).to_epsg() == 4547


def test_resolve_target_chooses_automatically_and_says_so():
    frame = gpd.GeoDataFrame(geometry=[shapely.Point(26.95, 60.53)], crs=4326)
    report = CollectingReport()
    assert gp_crs.resolve_target_crs(None, frame, report=report).to_epsg() == 32635
    assert report.infos == ["Chose the metric CRS EPSG:32635 (WGS 84 / UTM zone 35N) automatically."]


def test_check_same_crs_refuses_or_reprojects():
    a = gpd.GeoDataFrame(geometry=[shapely.Point(114.2, 22.7)], crs=4490)
    b = gpd.GeoDataFrame(geometry=[shapely.Point(500000, 2510000)], crs=4547)
    with pytest.raises(InputError) as caught:
        gp_crs.check_same_crs({"buildings": a, "roads": b})
    assert "buildings: EPSG:4490" in str(caught.value) and "roads: EPSG:4547" in str(caught.value)
    same = gp_crs.check_same_crs({"buildings": a.to_crs(4547), "roads": b})
    assert set(same) == {"buildings", "roads"}
    report = CollectingReport()
    reprojected = gp_crs.check_same_crs({"buildings": a, "roads": b}, reproject_to=4547, report=report)
    assert {frame.crs.to_epsg() for frame in reprojected.values()} == {4547}
    assert a.crs.to_epsg() == 4490
    assert len(report.infos) == 1  # only the layer that changed is mentioned
    with pytest.raises(InputError, match="no coordinate reference system"):
        gp_crs.check_same_crs({"x": gpd.GeoDataFrame(geometry=[shapely.Point(0, 0)])})


def test_empty_or_crs_less_layers_are_clear_errors():
    with pytest.raises(InputError, match="empty"):
        gp_crs.auto_metric_crs_for(gpd.GeoDataFrame(geometry=[], crs=4326))
    with pytest.raises(InputError, match="no coordinate reference system"):
        gp_crs.auto_metric_crs_for(gpd.GeoDataFrame(geometry=[shapely.Point(0, 0)]))
    with pytest.raises(InputError, match="not a valid longitude"):
        gp_crs.auto_metric_crs(float("nan"), 10)


@pytest.mark.parametrize("module", ["crs", "prepare.osm", "prepare.households"])
def test_docstring_examples_run(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(f"gridplanner.grid_plugin.core.{module}"))
    assert result.attempted > 0 and result.failed == 0
