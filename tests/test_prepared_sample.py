"""prepared_sample(): the cached, prepared real samples other areas build on (docs/prepare.md)."""

from __future__ import annotations

import time

import pyogrio
import pytest
from helpers import prepared_sample

EXPECTED_LAYERS = ["boundary", "buildings", "roads", "waterways", "railways", "landuse", "water", "pois"]


@pytest.mark.parametrize("name", ["kotka", "heinersreuth", "shenzhen"])
def test_prepared_sample_has_every_layer_and_households(name):
    path = prepared_sample(name)
    assert path.name == f"{name}.gpkg"
    assert [str(layer) for layer, _kind in pyogrio.list_layers(path)] == EXPECTED_LAYERS
    buildings = pyogrio.read_dataframe(path, layer="buildings")
    assert buildings.crs.is_projected
    assert {"osm_id", "building", "building_type", "levels", "name", "area_m2", "households"} <= set(buildings.columns)
    assert buildings["households"].dtype.kind == "i"
    assert buildings["households"].sum() > 0
    started = time.perf_counter()
    assert prepared_sample(name) == path
    assert time.perf_counter() - started < 1.0, "the second call must come from the cache"
