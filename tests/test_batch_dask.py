"""Batch on Dask distributed: the example config through a scheduler and two workers on 127.0.0.1.

The scheduler and workers are started from the venv (``dask scheduler`` / ``dask worker``), as an office
would on its own machines; the results must equal a local run byte for byte.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

ROOT = Path(__file__).resolve().parent.parent
DASK = Path(sys.executable).parent / "dask"

pytest.importorskip("distributed", reason="the Dask batch needs the distributed package (requirements-dev.txt)")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A scheduler and two single-threaded workers on 127.0.0.1; stopped (by their process ids) after."""
    from distributed import Client

    folder = tmp_path_factory.mktemp("dask")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    started = [
        subprocess.Popen(
            [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
            stdout=subprocess.DEVNULL,
            stderr=(folder / "scheduler.log").open("w"),
            cwd=folder,
        )
    ]
    try:
        for number in (1, 2):
            started.append(
                subprocess.Popen(
                    [str(DASK), "worker", address, "--nthreads", "1", "--no-dashboard"]
                    + ["--local-directory", str(folder / f"w{number}")],
                    stdout=subprocess.DEVNULL,
                    stderr=(folder / f"worker{number}.log").open("w"),
                    cwd=folder,
                )
            )
        deadline = time.monotonic() + 60
        while True:
            try:
                with Client(address, timeout="5s") as client:
                    client.wait_for_workers(2, timeout=60)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        yield address
    finally:
        for process in reversed(started):
            process.terminate()
        for process in started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    """The example config (copied as is) with its inputs built in the matching folder."""
    from helpers import prepared_sample

    kotka, heinersreuth = prepared_sample("kotka"), prepared_sample("heinersreuth")
    tree = tmp_path_factory.mktemp("example")
    (tree / "docs").mkdir()
    config = tree / "docs" / "batch_regrid.example.toml"
    shutil.copyfile(ROOT / "docs" / "batch_regrid.example.toml", config)
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "batch_example_data.py"), "--dest", str(tree / ".cache" / "batch")]
        + ["--kotka", str(kotka), "--heinersreuth", str(heinersreuth)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return config


def _run(config, *options):
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "batch_regrid.py"), str(config), *options],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _outputs(folder: Path) -> dict:
    """Every output plan as (codes, loads, geometry WKB), by file name."""
    found = {}
    for path in sorted(folder.glob("*.gpkg")):
        plan = gpd.read_file(path, layer="plan")
        code = "grid_code" if "grid_code" in plan.columns else plan.columns[0]
        found[path.name] = (
            plan[code].astype(str).tolist(),
            plan["load"].round(6).tolist() if "load" in plan.columns else None,
            shapely.to_wkb(plan.geometry.values).tolist(),
        )
    return found


def test_example_config_on_a_scheduler_with_two_workers_equals_the_local_run(cluster, example):
    out = example.parent.parent / ".cache" / "batch" / "out"
    local = _run(example, "--workers", "1")
    assert local.returncode == 0, local.stderr
    local_outputs = _outputs(out)
    assert set(local_outputs) == {"kotka_regrid.gpkg", "heinersreuth_regrid.gpkg", "kotka_fresh.gpkg"}
    shutil.rmtree(out)
    remote = _run(example, "--scheduler", cluster)
    assert remote.returncode == 0, remote.stderr
    assert "3/3 tasks done" in remote.stderr
    assert remote.stdout.count("| ok |") == 3
    assert _outputs(out) == local_outputs
    # the fresh partition's grids are there, with codes under the configured prefix
    codes = local_outputs["kotka_fresh.gpkg"][0]
    assert len(codes) >= 5 and all(code.startswith("440307001") for code in codes)


def test_a_failing_subdistrict_on_the_cluster_is_logged_and_the_others_go_on(cluster, example):
    broken = example.with_name("with_broken.toml")
    broken.write_text(
        example.read_text(encoding="utf-8")
        + '\n[[subdistrict]]\nname = "broken"\nplan = "missing.gpkg"\nbuildings = "missing.gpkg"\n'
        + 'output = "../.cache/batch/out/broken.gpkg"\n',
        encoding="utf-8",
    )
    done = _run(broken, "--scheduler", cluster)
    assert done.returncode == 1
    assert "4/4 tasks done" in done.stderr and "broken: FAILED" in done.stderr
    assert done.stdout.count("| ok |") == 3 and "| broken | failed |" in done.stdout
    assert "broken: FAILED" in broken.with_suffix(".log").read_text(encoding="utf-8")
    assert not (example.parent.parent / ".cache" / "batch" / "out" / "broken.gpkg").exists()


def test_an_unreachable_scheduler_is_a_clear_error(example):
    done = _run(example, "--scheduler", f"tcp://127.0.0.1:{_free_port()}")
    assert done.returncode == 2
    assert "Could not reach the Dask scheduler" in done.stderr
