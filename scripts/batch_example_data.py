"""Build the inputs of docs/batch_regrid.example.toml: last year's plans and this year's buildings.

Usage (with the venv's python; the prepared samples come from ``tests/helpers.prepared_sample``):
  .venv/bin/python scripts/batch_example_data.py [--dest .cache/batch] [--kotka K.gpkg] [--heinersreuth H.gpkg]

For Kotka (400 households a grid) and Heinersreuth (150): ``<name>_plan.gpkg`` (layer ``plan``: a fresh
partition of the prepared sample, as last year's plan) and ``<name>_2025.gpkg`` (layers ``boundary``,
``buildings`` with households grown by a seeded -15 %…+25 % per building, ``roads``), plus an empty
``kotka_plan.retired.txt``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from batch_regrid import ROOT, _import_plugin  # noqa: E402

CASES = (("kotka", 400.0), ("heinersreuth", 150.0))


def build(dest: Path, sources: dict, seed: int = 0) -> None:
    """Write the example inputs for every case in ``sources`` (name -> prepared GeoPackage)."""
    _import_plugin()
    import geopandas as gpd
    import numpy as np
    import pandas as pd
    from gridplanner.grid_plugin.core.partition.engine import partition

    dest.mkdir(parents=True, exist_ok=True)
    for name, target in CASES:
        source = sources.get(name)
        if source is None:
            continue
        boundary = gpd.read_file(source, layer="boundary")
        buildings = gpd.read_file(source, layer="buildings", columns=["households"])
        roads = gpd.read_file(source, layer="roads", columns=["highway"])
        extra = [gpd.read_file(source, layer=layer) for layer in ("waterways", "railways")]
        barriers = gpd.GeoDataFrame(pd.concat([roads, *extra], ignore_index=True), crs=roads.crs)
        plan = partition(boundary, buildings, barriers, target_load=target, code_prefix="440307001", seed=seed)
        plan.grids.to_file(dest / f"{name}_plan.gpkg", layer="plan", driver="GPKG")
        rng = np.random.default_rng(seed)
        grown = buildings.copy()
        grown["households"] = np.round(grown["households"] * rng.uniform(0.85, 1.25, len(grown))).astype(int)
        this_year = dest / f"{name}_2025.gpkg"
        boundary.to_file(this_year, layer="boundary", driver="GPKG")
        grown.to_file(this_year, layer="buildings", driver="GPKG")
        roads.to_file(this_year, layer="roads", driver="GPKG")
    (dest / "kotka_plan.retired.txt").write_text("", encoding="utf-8")


def main(argv=None) -> int:
    """Parse the command line and build the inputs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dest", type=Path, default=ROOT / ".cache" / "batch")
    for name, _ in CASES:
        parser.add_argument(f"--{name}", type=Path, default=ROOT / ".cache" / "prepared" / f"{name}.gpkg")
    args = parser.parse_args(argv)
    sources = {name: getattr(args, name) for name, _ in CASES if getattr(args, name).exists()}
    missing = [name for name, _ in CASES if name not in sources]
    if missing:
        print(
            f"no prepared sample for {', '.join(missing)}; run the tests once to build .cache/prepared", file=sys.stderr
        )
    build(args.dest, sources)
    print(f"example inputs in {args.dest}")
    return 0 if not missing else 1


if __name__ == "__main__":
    sys.exit(main())
