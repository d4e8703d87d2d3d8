"""Batch re-gridding: TOML config, parallel workers, one failure does not stop the others."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from gridplanner.grid_plugin.core.errors import InputError
from gridplanner.grid_plugin.core.partition import batch
from shapely.geometry import box

CRS = "EPSG:4547"
ROOT = Path(__file__).resolve().parent.parent


def write_inputs(folder: Path, name: str, *, seed: int) -> None:
    """A 4 × 3 plan of 400-household grids and buildings perturbed by ±10 % (all still within ±20 %)."""
    rng = np.random.default_rng(seed)
    grids, codes, buildings, households = [], [], [], []
    for i in range(4):
        for j in range(3):
            grids.append(box(i * 200, j * 200, (i + 1) * 200, (j + 1) * 200))
            codes.append(f"440307001001{len(codes) + 1:03d}")
            for k in range(4):
                x, y = i * 200 + 20 + 40 * k, j * 200 + 90
                buildings.append(box(x, y, x + 20, y + 20))
                households.append(round(100 * rng.uniform(0.9, 1.1)))
    plan = gpd.GeoDataFrame({"grid_code": codes, "parent_code": "440307001001", "load": 400.0}, geometry=grids, crs=CRS)
    plan.to_file(folder / f"{name}_plan.gpkg", layer="plan", driver="GPKG")
    gpd.GeoDataFrame({"households": households}, geometry=buildings, crs=CRS).to_file(
        folder / f"{name}_buildings.gpkg", layer="buildings", driver="GPKG"
    )


CONFIG = """
[defaults]
target_load = 400
tolerance = 0.2
workers = 2

[[subdistrict]]
name = "east"
plan = "east_plan.gpkg"
plan_layer = "plan"
buildings = "east_buildings.gpkg"
output = "out/east.gpkg"

[[subdistrict]]
name = "broken"
plan = "missing_plan.gpkg"
buildings = "east_buildings.gpkg"
output = "out/broken.gpkg"

[[subdistrict]]
name = "west"
plan = "west_plan.gpkg"
buildings = "west_buildings.gpkg"
buildings_layer = "buildings"
output = "out/west.gpkg"
"""


def test_parallel_batch_isolates_a_failure(tmp_path):
    write_inputs(tmp_path, "east", seed=1)
    write_inputs(tmp_path, "west", seed=2)
    config = tmp_path / "batch.toml"
    config.write_text(CONFIG, encoding="utf-8")
    rows = batch.run_batch(config, workers=2)
    assert [r["name"] for r in rows] == ["east", "broken", "west"]
    assert [r["status"] for r in rows] == ["ok", "failed", "ok"]
    assert "does not exist" in rows[1]["message"]
    assert not (tmp_path / "out" / "broken.gpkg").exists()
    for name in ("east", "west"):
        plan = gpd.read_file(tmp_path / "out" / f"{name}.gpkg", layer="plan")
        changes = gpd.read_file(tmp_path / "out" / f"{name}.gpkg", layer="changes")
        assert len(plan) == 12 and (plan["status"] == "kept").all()
        assert set(changes["status"]) == {"kept"}
    assert rows[0]["kept"] == 12 and rows[0]["households_moved"] == 0
    summary = (tmp_path / "batch_summary.csv").read_text(encoding="utf-8").splitlines()
    assert summary[0].startswith("name,status") and len(summary) == 4
    markdown = (tmp_path / "batch_summary.md").read_text(encoding="utf-8")
    assert "| broken | failed |" in markdown
    log = (tmp_path / "batch.log").read_text(encoding="utf-8")
    assert "broken: FAILED" in log and "east: ok" in log


def test_config_errors_are_clear(tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text("[[subdistrict]]\nname = 'a'\nplan = 'p.gpkg'\n", encoding="utf-8")
    with pytest.raises(InputError, match="lacks buildings, output"):
        batch.load_config(config)
    config.write_text(
        "[[subdistrict]]\nname = 'a'\nplan='p'\nbuildings='b'\noutput='o'\ntarget = 3\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match="unknown keys: target"):
        batch.load_config(config)
    config.write_text("[[subdistrict]\n", encoding="utf-8")
    with pytest.raises(InputError, match="not valid TOML"):
        batch.load_config(config)
    config.write_text("[defaults]\ntarget_load = 3\n", encoding="utf-8")
    with pytest.raises(InputError, match="lists no"):
        batch.load_config(config)


def test_command_line_exit_code_and_summary(tmp_path):
    write_inputs(tmp_path, "east", seed=1)
    config = tmp_path / "one.toml"
    config.write_text(CONFIG.split('[[subdistrict]]\nname = "broken"')[0], encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "batch_regrid.py"), str(config), "--workers", "1"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "| east | ok |" in done.stdout
    bad = tmp_path / "bad.toml"
    bad.write_text("nothing = 1\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "batch_regrid.py"), str(bad)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2 and "lists no [[subdistrict]]" in done.stderr
