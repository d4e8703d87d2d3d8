"""gridplanner:classify on gridplanner:prepareosm output needs no field choices (they are guessed)."""

import geopandas as gpd
import numpy as np
import pyogrio
import shapely
from helpers import prepared_sample


def _square_grid(boundary, size_m=500.0):
    xmin, ymin, xmax, ymax = boundary.total_bounds
    xs = np.arange(xmin, xmax, size_m)
    ys = np.arange(ymin, ymax, size_m)
    cells = [shapely.box(x, y, x + size_m, y + size_m) for x in xs for y in ys]
    cells = shapely.intersection(np.array(cells), boundary.union_all())
    cells = cells[~shapely.is_empty(cells) & (shapely.area(cells) > 1000)]
    return gpd.GeoDataFrame({"cell": np.arange(len(cells))}, geometry=cells, crs=boundary.crs)


def test_fields_are_guessed_on_prepared_layers(gridplanner_provider, tmp_path):
    import processing

    sample = prepared_sample("kotka")
    boundary = pyogrio.read_dataframe(sample, layer="boundary")
    grid_path = tmp_path / "grid.gpkg"
    _square_grid(boundary).to_file(grid_path, layer="grid", driver="GPKG")
    output = tmp_path / "typed.gpkg"
    processing.run(
        "gridplanner:classify",
        {
            "INPUT": str(grid_path),
            "LANDUSE": f"{sample}|layername=landuse",
            "BUILDINGS": f"{sample}|layername=buildings",
            "POIS": f"{sample}|layername=pois",
            "OUTPUT": str(output),
        },
    )
    typed = pyogrio.read_dataframe(output)
    assert len(typed) >= 10
    # With the land-use class guessed (landuse_class), grids are typed from evidence, not left unknown.
    assert (typed["grid_type"] != "unknown").mean() > 0.8
    assert set(typed["rule"]) - {"sparse", "no_data"}
