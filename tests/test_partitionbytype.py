"""partitionbytype keeps the invariants of partition on synthetic cases it was not tuned on.

Synthetic towns (``core/synthetic.py``) with a campus and a park added: every grid one polygon, the
grids tile the area, no cut building, edges on roads, no grid across a primary road or river; a campus
with dormitories split along its internal roads (or kept whole and flagged when its rule says so); an
enclave reported as such; the self-check flags a grid in two parts.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from gridplanner.grid_plugin.core.assess.metrics import plan_metrics
from gridplanner.grid_plugin.core.difference import driver as d
from gridplanner.grid_plugin.core.difference.finish import self_check
from gridplanner.grid_plugin.core.errors import Report
from gridplanner.grid_plugin.core.synthetic import synthetic_town
from shapely.geometry import LineString, box

CRS = "EPSG:4547"


def town_with_sites(seed):
    town = synthetic_town(1500, seed=seed)
    area = town["area"]
    minx, miny, maxx, maxy = area.total_bounds
    w, h = maxx - minx, maxy - miny
    landuse = gpd.GeoDataFrame(
        {"landuse_class": ["university", "park"], "name": ["Campus", "Park"]},
        geometry=[
            box(minx + 0.05 * w, miny + 0.05 * h, minx + 0.35 * w, miny + 0.3 * h),
            box(minx + 0.6 * w, miny + 0.6 * h, minx + 0.95 * w, miny + 0.95 * h),
        ],
        crs=area.crs,
    )
    barriers = gpd.GeoDataFrame(pd.concat([town["roads"], town["waterways"]], ignore_index=True), crs=area.crs)
    return area, town["buildings"], barriers, landuse


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_synthetic_towns_keep_every_invariant(seed):
    area, buildings, barriers, landuse = town_with_sites(seed)
    result = d.partition_by_type(area, buildings, barriers, landuse=landuse, seed=seed)
    grids = result.grids
    metrics = plan_metrics(grids.drop(columns="load"), area, buildings, barriers, load_field="load")
    per_km2 = area.area.sum() / 1e6
    assert metrics["gap_m2"] < per_km2 and metrics["overlap_m2"] < per_km2
    assert (shapely.get_num_geometries(grids.geometry.values) == 1).all()
    assert metrics["n_cut_buildings"] == 0
    assert metrics["boundary_adherence"] >= 0.85
    assert {"residential", "enterprise", "scenic"} <= set(grids["grid_type"])
    household = grids[grids["grid_type"].isin(["residential", "village"])]
    ok = (household["deviation_pct"].abs() <= 20 + 1e-9) | household["flag"].astype(bool)
    assert ok.mean() >= 0.9
    # no site, village or land grid crosses a primary road or the river (none holds a piece of one inside
    # it); a residential grid may, where a town fragment too small for a grid joined its neighbour
    major = barriers[(barriers["highway"] == "primary") | (barriers["waterway"] == "river")]
    inner = shapely.buffer(np.asarray(grids.geometry.values, dtype=object), -1.0)
    lines = np.asarray(major.geometry.values, dtype=object)
    crossing = shapely.intersects(inner[:, None], lines[None, :]).any(axis=1)
    residential = (grids["grid_type"] == "residential").to_numpy()
    assert not (crossing & ~residential).any(), grids.loc[crossing & ~residential, ["grid_type", "load"]]


def campus_scene():
    """A 600 × 600 m campus with four internal service roads and 2,000 households in dormitories."""
    area = gpd.GeoDataFrame(geometry=[box(0, 0, 1000, 1000)], crs=CRS)
    roads = [LineString([(0, y), (1000, y)]) for y in (100, 700)] + [
        LineString([(x, 0), (x, 1000)]) for x in (100, 700)
    ]
    service = [LineString([(100, y), (700, y)]) for y in (250, 400, 550)] + [LineString([(400, 100), (400, 700)])]
    barriers = gpd.GeoDataFrame({"highway": ["secondary"] * 4 + ["service"] * 4}, geometry=roads + service, crs=CRS)
    dorms = [box(x, y, x + 30, y + 12) for x in range(130, 680, 60) for y in range(120, 690, 40) if x not in (370, 410)]
    dorms = [b for b in dorms if not any(b.intersects(s) for s in service)]
    households = np.full(len(dorms), 2000.0 / len(dorms))
    houses = [box(850 + 20 * i, 850, 860 + 20 * i, 860) for i in range(5)]
    buildings = gpd.GeoDataFrame(
        {"households": np.r_[households, [4.0] * 5], "building_type": ["dormitory"] * len(dorms) + ["house"] * 5},
        geometry=dorms + houses,
        crs=CRS,
    )
    landuse = gpd.GeoDataFrame(
        {"landuse_class": ["university"], "name": ["Campus"]}, geometry=[box(100, 100, 700, 700)], crs=CRS
    )
    return area, buildings, barriers, landuse


def test_campus_with_dormitories_is_split_along_its_internal_roads():
    area, buildings, barriers, landuse = campus_scene()
    result = d.partition_by_type(area, buildings, barriers, landuse=landuse)
    campus = result.grids[result.grids["site_name"] == "Campus"]
    assert set(campus["grid_type"]) == {"enterprise"}
    assert len(campus) >= 4
    assert abs(campus["load"].sum() - 2000) < 1e-6
    assert ((campus["load"] <= 800) | campus["flag"].astype(bool)).all()
    # the campus is an enclave of the land around it, reported as such, never flagged as a gap
    reasons = {d.FLAG_REASONS["hole"], d.FLAG_REASONS["gap"]}
    assert not any(set(r.split("; ")) & reasons for r in result.grids["flag_reason"])


def test_campus_whole_by_rule_is_flagged_with_the_reason(tmp_path):
    area, buildings, barriers, landuse = campus_scene()
    table = d.DEFAULT_RULES_PATH.read_text(encoding="utf-8").replace(",whole,,,800,", ",whole,,,,", 1)
    path = tmp_path / "rules.csv"
    path.write_text(table, encoding="utf-8")
    assert d.load_rules(path).by_type("enterprise").max_load is None
    result = d.partition_by_type(area, buildings, barriers, landuse=landuse, rules=path)
    campus = result.grids[result.grids["site_name"] == "Campus"]
    assert len(campus) == 1 and campus["load"].iloc[0] == pytest.approx(2000)
    assert campus["flag"].iloc[0] == 1
    assert campus["flag_reason"].iloc[0] == d.FLAG_REASONS["site_whole"]


def test_enclave_is_reported_and_not_flagged():
    area, buildings, barriers, landuse = campus_scene()
    result = d.partition_by_type(area, buildings, barriers, landuse=landuse)
    holes = result.validation.problems[result.validation.problems["kind"] == "hole"]
    assert len(holes) == 1 and "holds another grid" in holes["message"].iloc[0]
    holder = result.grids[result.grids.geometry.apply(lambda g: len(g.interiors) > 0)]
    assert len(holder) == 1 and d.FLAG_REASONS["hole"] not in holder["flag_reason"].iloc[0]


def test_self_check_flags_a_grid_in_two_parts():
    grids = gpd.GeoDataFrame(
        {
            "grid_id": [0, 1],
            "grid_code": ["000000000001001", "000000000001002"],
            "grid_type": ["residential"] * 2,
            "load": [400.0, 400.0],
            "reasons": [[], []],
        },
        geometry=[shapely.MultiPolygon([box(0, 0, 10, 10), box(20, 0, 30, 10)]), box(10, 0, 20, 10)],
        crs=CRS,
    )
    area = gpd.GeoDataFrame(geometry=[box(0, 0, 30, 10)], crs=CRS)
    flagged, validation, card = self_check(grids, area, None, None, target=400, tolerance=0.2, report=Report())
    assert flagged["flag"].tolist() == [1, 0]
    assert flagged["flag_reason"].iloc[0] == d.FLAG_REASONS["multipart"]
    assert validation.counts["multipart"] == 1
    assert card.verdicts["convenience"]["verdict"] != "pass"


def test_processing_logs_the_self_check_and_the_verdicts(gridplanner_provider, tmp_path):
    from qgis.core import QgsProcessingFeedback, QgsVectorLayer

    import processing

    class Recording(QgsProcessingFeedback):
        def __init__(self):
            super().__init__()
            self.lines: list[str] = []

        def pushInfo(self, text):  # noqa: N802 - QGIS's name
            self.lines.append(text)
            super().pushInfo(text)

    area, buildings, barriers, landuse = campus_scene()
    gpkg = tmp_path / "campus.gpkg"
    for frame, name in ((area, "area"), (buildings, "buildings"), (barriers, "roads"), (landuse, "landuse")):
        frame.to_file(gpkg, layer=name, driver="GPKG")
    feedback = Recording()
    result = processing.run(
        "gridplanner:partitionbytype",
        {
            "AREA": f"{gpkg}|layername=area",
            "BUILDINGS": f"{gpkg}|layername=buildings",
            "BARRIERS": [f"{gpkg}|layername=roads"],
            "LANDUSE": f"{gpkg}|layername=landuse",
            "OUTPUT": str(tmp_path / "typed.gpkg"),
        },
        feedback=feedback,
    )
    log = "\n".join(feedback.lines)
    for en, zh in (
        ("Completeness", "完整性"),
        ("Convenience", "便利性"),
        ("Balance", "均衡性"),
        ("Difference", "差异性"),
    ):
        assert en in log or zh in log
    assert "1 enclaves" in log or "1 处飞地" in log
    layer = QgsVectorLayer(result["OUTPUT"], "typed", "ogr")
    flagged = [f["flag_reason"] for f in layer.getFeatures() if f["flag"]]
    assert flagged and all(flagged)


def station_scene():
    """A 400 × 200 m railway station block (a crowded site) crossed by four tracks 10 m apart, homes around it."""
    area = gpd.GeoDataFrame(geometry=[box(0, 0, 1000, 1000)], crs=CRS)
    roads = [LineString([(0, y), (1000, y)]) for y in (300, 500)] + [
        LineString([(x, 0), (x, 1000)]) for x in (300, 700)
    ]
    tracks = [LineString([(0, y), (1000, y)]) for y in (390, 400, 410, 420)]
    barriers = gpd.GeoDataFrame(
        {"highway": ["secondary"] * 4 + [None] * 4, "railway": [None] * 4 + ["rail"] * 4},
        geometry=roads + tracks,
        crs=CRS,
    )
    homes = [box(x, y, x + 15, y + 10) for x in range(20, 990, 40) for y in (50, 100, 850, 900)]
    buildings = gpd.GeoDataFrame({"households": [6.0] * len(homes)}, geometry=homes, crs=CRS)
    landuse = gpd.GeoDataFrame(
        {"landuse_class": ["railway"], "name": ["Station"]}, geometry=[box(300, 300, 700, 500)], crs=CRS
    )
    return area, buildings, barriers, landuse


def test_a_station_is_not_cut_into_strips_between_its_own_tracks():
    area, buildings, barriers, landuse = station_scene()
    result = d.partition_by_type(area, buildings, barriers, landuse=landuse, target_load=300)
    station = result.grids[result.grids["grid_type"] == "crowded"]
    assert station.area.sum() >= 80_000 * 0.99
    # the 4,000 m² strips between the tracks stay with the station's larger half (Helsinki's central
    # station came out as 42 crowded grids, 38 of them under 1,000 m²); the two halves, each a site of
    # its own size, stay apart across the tracks
    assert len(station) == 2, station.area.round().tolist()
    assert (station.area > 30_000).all()
    assert (shapely.get_num_geometries(result.grids.geometry.values) == 1).all()


def test_a_station_strip_cut_off_by_homes_joins_its_neighbour():
    area, _, barriers, _ = station_scene()
    # the station's main block north of the tracks, a 10 m strip of it south of them, homes between
    landuse = gpd.GeoDataFrame(
        {"landuse_class": ["railway"], "name": ["Station"]},
        geometry=[box(300, 300, 700, 390).union(box(300, 410, 700, 420))],
        crs=CRS,
    )
    homes = [box(x, y, x + 15, y + 10) for x in range(20, 990, 40) for y in (50, 100, 850, 900)]
    homes += [box(x, 401, x + 15, 408) for x in range(320, 690, 40)]
    buildings = gpd.GeoDataFrame({"households": [6.0] * len(homes)}, geometry=homes, crs=CRS)
    result = d.partition_by_type(area, buildings, barriers, landuse=landuse, target_load=300)
    station = result.grids[result.grids["grid_type"] == "crowded"]
    # the strip (4,000 m², no households, not touching the rest of the station) is no grid of its own
    assert len(station) == 1, station.area.round().tolist()
    assert (result.grids.area > 5_000).all(), result.grids.area.round().tolist()
    assert (shapely.get_num_geometries(result.grids.geometry.values) == 1).all()
