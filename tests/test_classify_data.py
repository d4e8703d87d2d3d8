"""gridplanner classify on real data: Heinersreuth (OSM + SRTM), Zion (SRTM + NLCD), Shenzhen Longgang (OSM)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from gridplanner.grid_plugin.core.classify.engine import classify_grids
from helpers import prepared_sample, shared_file
from osgeo import gdal

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


def square_grid(area: shapely.Geometry, size_m: float, crs, min_share=0.2) -> gpd.GeoDataFrame:
    """Regular ``size_m`` cells clipped to ``area``; slivers below ``min_share`` of a cell dropped."""
    minx, miny, maxx, maxy = area.bounds
    gx, gy = np.meshgrid(np.arange(minx, maxx, size_m), np.arange(miny, maxy, size_m))
    cells = shapely.box(gx.ravel(), gy.ravel(), gx.ravel() + size_m, gy.ravel() + size_m)
    cells = shapely.intersection(cells, area)
    cells = cells[shapely.area(cells) > min_share * size_m * size_m]
    return gpd.GeoDataFrame({"cell": np.arange(len(cells))}, geometry=cells, crs=crs)


def read_prepared(name):
    path = prepared_sample(name)
    return {layer: gpd.read_file(path, layer=layer) for layer in ("boundary", "landuse", "water", "buildings", "pois")}


def srtm_vrt(tmp_path):
    tiles = [f"/vsizip/{shared_file(n)}/{n.removesuffix('.zip')}" for n in ("N49E011.hgt.zip", "N50E011.hgt.zip")]
    path = str(tmp_path / "srtm.vrt")
    gdal.BuildVRT(path, tiles).FlushCache()
    return path


# Reference classes read straight from the OSM land use (no mapping table): the class holding most of
# a grid's area, when it holds at least half of it.
REFERENCE = {
    "forest": "forest",
    "wood": "forest",
    "scrub": "forest",
    "farmland": "farmland",
    "meadow": "farmland",
    "allotments": "farmland",
    "orchard": "farmland",
    "residential": "village",
    "farmyard": "village",
    "water": "water",
    "basin": "water",
    "pond": "water",
}


def osm_reference(grids, landuse, water):
    raw = pd.concat(
        [
            gpd.GeoDataFrame({"ref": landuse["landuse_class"].map(REFERENCE)}, geometry=landuse.geometry),
            gpd.GeoDataFrame({"ref": water["water_class"].map(REFERENCE)}, geometry=water.geometry),
        ],
        ignore_index=True,
    ).dropna(subset=["ref"])
    pieces = gpd.overlay(grids[["cell", "geometry"]], raw, how="intersection", keep_geom_type=True)
    pieces["a"] = pieces.area
    shares = pieces.groupby(["cell", "ref"])["a"].sum().unstack(fill_value=0.0)
    shares = shares.div(grids.set_index("cell").area, axis=0).reindex(grids["cell"]).fillna(0.0)
    best = shares.idxmax(axis=1).where(shares.max(axis=1) >= 0.5, "none")
    return best.to_numpy()


def test_heinersreuth_confusion_against_osm_landuse(tmp_path):
    data = read_prepared("heinersreuth")
    area = data["boundary"].geometry.iloc[0]
    grids = square_grid(area, 250.0, data["boundary"].crs)
    result = classify_grids(
        grids,
        landuse=data["landuse"],
        class_field="landuse_class",
        key_field="source_key",
        water=data["water"],
        buildings=data["buildings"],
        building_type_field="building",  # raw OSM tag: building=yes counts as housing (household convention)
        levels_field="levels",
        pois=data["pois"],
        poi_kind_field="poi_kind",
        dem=srtm_vrt(tmp_path),
    )
    g = result.grids
    reference = osm_reference(grids, data["landuse"], data["water"])
    confusion = pd.crosstab(
        pd.Series(reference, name="OSM landuse (≥50%)"), pd.Series(g["grid_type"].to_numpy(), name="grid_type")
    )
    path = tmp_path / "heinersreuth_confusion.csv"
    confusion.to_csv(path)
    print(f"\nHeinersreuth, {len(g)} grids of 250 m; confusion table written to {path}\n{confusion.to_string()}")
    rows = confusion.div(confusion.sum(axis=1), axis=0)
    # The municipality's OSM land use (2014) holds forest and villages; its farmland is mostly unmapped
    # (the whole-extract test below checks farmland).
    for ref, minimum_grids in (("forest", 20), ("village", 5)):
        assert confusion.loc[ref].sum() >= minimum_grids, f"too few {ref} reference grids for a meaningful check"
    assert rows.loc["forest"].get("forest", 0) >= 0.95
    assert rows.loc["village"].get("village", 0) >= 0.8
    assert rows.loc["farmland"].get("farmland", 0) >= 0.8
    # the DEM was read from two geographic SRTM tiles: a gently rolling municipality, no mountain grids
    assert g["dem_cover_pct"].min() > 80
    assert 0.5 < g["slope_mean_deg"].median() < 10
    assert 5 < g["relief_m"].median() < 80
    assert "mountain" not in set(g["grid_type"])
    assert set(g["rule"]) <= {
        "site",
        "crowded_pois",
        "village",
        "buildings",
        "water",
        "land_use",
        "settlement",
        "unmapped",
        "sparse",
        "mixed",
        "no_data",
    }


def test_north_bayreuth_extract_raw_osm_tag_fields(tmp_path):
    """The whole extract, read as GDAL's raw OSM layer: several tag fields tried in order as the class."""
    pyogrio = pytest.importorskip("pyogrio")
    source = f"/vsigzip/{shared_file('north-bayreuth.osm.gz')}"
    polygons = pyogrio.read_dataframe(source, layer="multipolygons").to_crs("EPSG:32632")
    tags = ["landuse", "natural", "leisure", "amenity", "tourism", "place", "shop"]
    landuse = polygons[polygons["building"].isna() & polygons["boundary"].isna() & polygons[tags].notna().any(axis=1)]
    buildings = polygons[polygons["building"].notna()]
    extent = shapely.box(*landuse.total_bounds)
    grids = square_grid(extent, 250.0, "EPSG:32632", min_share=0.99)
    result = classify_grids(
        grids,
        landuse=landuse,
        class_field=tags,
        buildings=buildings,
        building_type_field="building",
        dem=srtm_vrt(tmp_path),
    )
    g = result.grids
    values = landuse[tags].bfill(axis=1).iloc[:, 0]
    reference = osm_reference(
        grids,
        gpd.GeoDataFrame({"landuse_class": values.to_numpy()}, geometry=landuse.geometry.to_numpy(), crs=landuse.crs),
        gpd.GeoDataFrame({"water_class": []}, geometry=[], crs=landuse.crs),
    )
    confusion = pd.crosstab(
        pd.Series(reference, name="OSM landuse (≥50%)"), pd.Series(g["grid_type"].to_numpy(), name="grid_type")
    )
    path = tmp_path / "north_bayreuth_confusion.csv"
    confusion.to_csv(path)
    print(
        f"\nnorth-bayreuth extract, {len(g)} grids of 250 m; confusion table written to {path}\n{confusion.to_string()}"
    )
    rows = confusion.div(confusion.sum(axis=1), axis=0)
    for ref, minimum_grids in (("forest", 50), ("farmland", 20), ("village", 20)):
        assert confusion.loc[ref].sum() >= minimum_grids, f"too few {ref} reference grids for a meaningful check"
    assert rows.loc["forest"].get("forest", 0) >= 0.9
    assert rows.loc["farmland"].get("farmland", 0) >= 0.8
    assert rows.loc["village"].get("village", 0) + rows.loc["village"].get("residential", 0) >= 0.8
    assert rows.loc["village"].get("village", 0) >= 0.5


def test_zion_steep_cells_are_mountain_and_land_cover_path_works(tmp_path):
    dem = str(shared_file("zion_srtm.tif"))
    nlcd = str(shared_file("zion_nlcd.tif"))
    x0, y0, size = 305000.0, 4115000.0, 1000.0
    gx, gy = np.meshgrid(np.arange(x0, 332000.0, size), np.arange(y0, 4150000.0, size))
    grids = gpd.GeoDataFrame(
        geometry=shapely.box(gx.ravel(), gy.ravel(), gx.ravel() + size, gy.ravel() + size), crs="EPSG:26912"
    )
    result = classify_grids(grids, dem=dem, landcover=nlcd, landcover_mapping="nlcd")
    g = result.grids
    # An independent slope: GDAL warps the geographic DEM to UTM and gdaldem computes the slope there.
    warped = str(tmp_path / "zion_utm.tif")
    gdal.Warp(warped, dem, dstSRS="EPSG:26912", xRes=30, yRes=30, resampleAlg="bilinear")
    slope_path = str(tmp_path / "slope.tif")
    gdal.DEMProcessing(slope_path, warped, "slope", computeEdges=True)
    slope_ds = gdal.Open(slope_path)
    gt = slope_ds.GetGeoTransform()
    slope = slope_ds.GetRasterBand(1).ReadAsArray().astype(float)
    slope[slope < 0] = np.nan
    cols = ((np.arange(slope.shape[1]) + 0.5) * gt[1] + gt[0] - x0) // size
    rows = ((np.arange(slope.shape[0]) + 0.5) * gt[5] + gt[3] - y0) // size
    nx = gx.shape[1]
    cc, rr = np.meshgrid(cols, rows)
    inside = (cc >= 0) & (cc < nx) & (rr >= 0) & (rr < gx.shape[0]) & np.isfinite(slope)
    zone = (rr * nx + cc)[inside].astype(int)
    reference = np.bincount(zone, weights=slope[inside], minlength=len(g)) / np.bincount(zone, minlength=len(g))
    ours = g["slope_mean_deg"].to_numpy()
    assert np.corrcoef(ours, reference)[0, 1] > 0.97
    assert np.nanmean(np.abs(ours - reference)) < 1.5
    steep = reference >= 20
    assert steep.sum() > 100
    assert (g.loc[steep, "grid_type"] == "mountain").mean() > 0.95
    assert set(g.loc[g["slope_mean_deg"] < 15, "grid_type"]) <= {"forest", "farmland", "water", "residential", "mixed"}
    # Land cover: every grid is inside the NLCD raster, so its shares sum to 100%, and the total forest
    # (forest + shrubland) area agrees with a plain count of the raster's cells.
    shares = g[[c for c in g.columns if c.startswith("area_pct_")]].sum(axis=1)
    assert shares.to_numpy() == pytest.approx(np.full(len(g), 100.0), abs=0.5)
    ds = gdal.Open(nlcd)
    ngt = ds.GetGeoTransform()
    c0, r0 = int(round((x0 - ngt[0]) / ngt[1])), int(round((y0 + gx.shape[0] * size - ngt[3]) / ngt[5]))
    ncols, nrows = int(gx.shape[1] * size / ngt[1]), int(gx.shape[0] * size / -ngt[5])
    block = ds.GetRasterBand(1).ReadAsArray(c0, r0, ncols, nrows)
    names = ds.GetRasterBand(1).GetCategoryNames()
    forest_codes = [i for i, n in enumerate(names) if n in ("Forest", "Shrubland")]
    expected_forest = np.isin(block, forest_codes).mean() * 100
    assert g["area_pct_forest"].mean() == pytest.approx(expected_forest, abs=1.0)
    assert (g["grid_type"] == "forest").sum() > 200
    assert result.unknown_values.empty


def test_shenzhen_campus_and_reservoir_from_osm_tags():
    data = read_prepared("shenzhen")
    grids = square_grid(data["boundary"].geometry.iloc[0], 400.0, data["boundary"].crs)
    g = classify_grids(
        grids,
        landuse=data["landuse"],
        class_field="landuse_class",
        key_field="source_key",
        water=data["water"],
        buildings=data["buildings"],
        building_type_field="building_type",
        levels_field="levels",
        pois=data["pois"],
        poi_kind_field="poi_kind",
    ).grids
    landuse, water = data["landuse"], data["water"]
    campus = landuse[landuse["name"] == "香港中文大学（深圳）"].geometry.union_all()
    reservoir = water[water["name"] == "龙口水库"].geometry.union_all()
    on_campus = shapely.area(shapely.intersection(g.geometry.values, campus)) / g.area > 0.5
    on_reservoir = shapely.area(shapely.intersection(g.geometry.values, reservoir)) / g.area > 0.5
    assert on_campus.sum() >= 2 and on_reservoir.sum() >= 2
    assert (g.loc[on_campus, "grid_type"] == "enterprise").all()
    assert (g.loc[on_campus, "grid_type_zh"] == "企事业单位网格").all()
    assert (g.loc[on_reservoir, "grid_type"] == "water").all()
    assert (g.loc[on_reservoir, "grid_type_zh"] == "坑塘水面网格").all()
