"""Shared real incident data for the incident tests (San Francisco 2012, Chicago carjackings 2020).

Also checks the files are what the tests assume, so a changed copy fails loudly here, not obscurely
in a comparison.
"""

from __future__ import annotations

import functools

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from helpers import shared_file

SF_ZIP = "SFCrime_July_Dec2012.zip"
SF_LAYERS = ("cartheft", "drugs", "robbery", "vandalism")
US_FOOT_M = 1200 / 3937  # metres per US survey foot


def sf_shapefile(name: str) -> str:
    """GDAL path of one SF incident shapefile inside the zip."""
    return f"/vsizip/{shared_file(SF_ZIP)}/SFCrime_July_Dec2012 2/Crime Events/sf_{name}.shp"


@functools.lru_cache(maxsize=1)
def _sf_incidents() -> gpd.GeoDataFrame:
    frames = [gpd.read_file(sf_shapefile(name)) for name in SF_LAYERS]
    return pd.concat(frames, ignore_index=True)


def sf_incidents() -> gpd.GeoDataFrame:
    """All 13,472 SF incidents (EPSG:2227, US feet), a fresh copy."""
    return _sf_incidents().copy()


def mission_centre_ft() -> tuple[float, float]:
    """The Mission district centre (-122.415, 37.760) in EPSG:2227."""
    return pyproj.Transformer.from_crs(4326, 2227, always_xy=True).transform(-122.415, 37.760)


def mission_grid(n: int = 6, cell_m: float = 500.0) -> tuple[gpd.GeoDataFrame, float, float, float]:
    """n×n square grids of ``cell_m`` metres over the Mission window, in EPSG:2227.

    Returns the grids, their origin (x0, y0) and the cell size in feet, so tests can count by arithmetic.
    """
    cx, cy = mission_centre_ft()
    step = cell_m / US_FOOT_M
    x0, y0 = cx - n * step / 2, cy - n * step / 2
    cells = [
        shapely.box(x0 + i * step, y0 + j * step, x0 + (i + 1) * step, y0 + (j + 1) * step)
        for j in range(n)
        for i in range(n)
    ]
    grids = gpd.GeoDataFrame(
        {"code": [f"M{j}{i}" for j in range(n) for i in range(n)], "households": 300 + 10 * np.arange(n * n)},
        geometry=cells,
        crs=2227,
    )
    return grids, x0, y0, step


def chicago_carjackings() -> gpd.GeoDataFrame:
    """Chicago carjackings 2020 (EPSG:4326), ``Date`` as text like ``12/11/2020 11:45:00 PM``."""
    return gpd.read_file(shared_file("Chi_Carjackings.geojson"))


def test_sf_data_is_as_described():
    sf = sf_incidents()
    assert len(sf) == 13472
    assert sf.crs.to_epsg() == 2227
    assert sorted(sf["Category"].unique()) == ["DRUG/NARCOTIC", "ROBBERY", "VANDALISM", "VEHICLE THEFT"]
    assert abs(sf.crs.axis_info[0].unit_conversion_factor - US_FOOT_M) < 1e-12
    grids, *_ = mission_grid()
    inside = sf.within(grids.union_all()).sum()
    assert 1500 < inside < 3000  # "about 2,200 points in a 3×3 km window around the Mission"


def test_chicago_data_is_as_described():
    chicago = chicago_carjackings()
    assert len(chicago) == 1412
    assert chicago["Date"].str.match(r"^\d{2}/\d{2}/2020 \d{2}:\d{2}:\d{2} [AP]M$").all()
