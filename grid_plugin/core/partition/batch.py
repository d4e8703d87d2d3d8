"""Batch re-gridding: many subdistricts from one TOML config, in parallel processes or on a Dask cluster.

One config file lists the subdistricts (inputs, parameters, output path). Each subdistrict runs in its
own worker process (:class:`concurrent.futures.ProcessPoolExecutor`) or, given the address of a Dask
distributed scheduler, as one task on the cluster's workers (inputs and outputs are paths the workers
can read and write); a subdistrict that fails is logged with its reason and the others go on. A
subdistrict with a ``plan`` is re-gridded (:func:`.regrid.regrid`); one with an ``area`` instead gets
a fresh partition (:func:`.engine.partition`). Every output is written to a temporary file and renamed
when complete, so a failed subdistrict leaves no partial output. The run ends with a summary table
(CSV and Markdown): one row per subdistrict with its status, counts and the households moved.

Config (TOML, read with the standard library's :mod:`tomllib`)::

    [defaults]            # optional: applies to every subdistrict
    target_load = 400
    tolerance = 0.2
    load_field = "households"
    code_field = "grid_code"

    [[subdistrict]]
    name = "Kotka"
    plan = "plans/kotka.gpkg"          # existing plan; layer with plan_layer (default: the first layer)
    plan_layer = "grids"
    buildings = "data/kotka.gpkg"      # updated buildings with load_field
    buildings_layer = "buildings"
    barriers = "data/kotka.gpkg"       # optional: roads, rivers, railways
    barriers_layers = ["roads", "waterways"]
    output = "out/kotka.gpkg"          # written layers: plan, changes

    [[subdistrict]]                    # a fresh partition: an area instead of a plan
    name = "Kotka new"
    area = "data/kotka.gpkg"           # parents (communities); layer with area_layer
    area_layer = "boundary"
    area_code_field = "code"           # optional: the parent code field of the area layer
    buildings = "data/kotka.gpkg"
    buildings_layer = "buildings"
    output = "out/kotka_new.gpkg"      # written layer: plan

Relative paths are relative to the config file.
"""

from __future__ import annotations

import csv
import logging
import os
import time
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import tomllib

from ..errors import N_, GridPlannerError, InputError

__all__ = ["JOB_KEYS", "load_config", "run_job", "run_batch", "summary_markdown"]

#: Keys a subdistrict may set (everything else is a typo and is refused with its name).
JOB_KEYS = {
    "name",
    "plan",
    "plan_layer",
    "buildings",
    "buildings_layer",
    "barriers",
    "barriers_layers",
    "output",
    "target_load",
    "tolerance",
    "load_field",
    "code_field",
    "parent_field",
    "locked_field",
    "retired_codes",
    "seed",
    "area",
    "area_layer",
    "area_code_field",
    "code_prefix",
}
SUMMARY_COLUMNS = [
    "name",
    "status",
    "seconds",
    "n_old",
    "n_new",
    "kept",
    "changed",
    "new",
    "retired",
    "kept_share",
    "households_moved",
    "moved_share",
    "output",
    "message",
]

log = logging.getLogger("gridplanner.batch")


def load_config(path) -> list[dict]:
    """Read a batch config; return one job dict per subdistrict (defaults merged, paths absolute).

    Raises
    ------
    InputError
        A missing or unreadable file, TOML syntax errors (with line), no subdistricts, a subdistrict
        without name/plan/buildings/output, repeated names, unknown keys.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(N_("The batch config {path} does not exist."), path=str(path))
    try:
        config = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise InputError(
            N_("The batch config {path} is not valid TOML: {reason}"), path=str(path), reason=str(error)
        ) from None
    defaults = config.get("defaults", {})
    jobs = config.get("subdistrict", [])
    if not isinstance(jobs, list) or not jobs:
        raise InputError(
            N_("The batch config {path} lists no [[subdistrict]] tables; add one per subdistrict."), path=str(path)
        )
    base = path.parent
    out, names = [], set()
    for number, job in enumerate(jobs, start=1):
        merged = {**defaults, **job}
        unknown = sorted(set(merged) - JOB_KEYS - {"workers"})
        if unknown:
            raise InputError(
                N_("Subdistrict {number} of {path} has unknown keys: {keys}; known keys: {known}."),
                number=number,
                path=str(path),
                keys=", ".join(unknown),
                known=", ".join(sorted(JOB_KEYS)),
            )
        missing = [k for k in ("name", "buildings", "output") if not merged.get(k)]
        if not merged.get("plan") and not merged.get("area"):
            missing.append("plan (to re-grid) or area (for a fresh partition)")
        if missing:
            raise InputError(
                N_("Subdistrict {number} of {path} lacks {keys}."),
                number=number,
                path=str(path),
                keys=", ".join(missing),
            )
        if merged["name"] in names:
            raise InputError(
                N_("The subdistrict name {name} appears twice in {path}."), name=merged["name"], path=str(path)
            )
        names.add(merged["name"])
        for key in ("plan", "area", "buildings", "barriers", "output", "retired_codes"):
            if isinstance(merged.get(key), str) and merged[key]:
                merged[key] = (
                    str((base / merged[key]).resolve()) if not Path(merged[key]).is_absolute() else merged[key]
                )
        out.append(merged)
    return out


def _read(path, layer=None):
    import geopandas as gpd

    if not Path(path).exists():
        raise InputError(N_("The input file {path} does not exist."), path=str(path))
    return gpd.read_file(path, layer=layer) if layer else gpd.read_file(path)


def _barriers(job, crs):
    import pandas as pd

    if not job.get("barriers"):
        return None
    layers = job.get("barriers_layers") or [None]
    frames = [_read(job["barriers"], layer) for layer in layers]
    keep = ["highway", "waterway", "railway", "barrier"]
    return pd.concat(
        [f[[c for c in keep if c in f.columns] + ["geometry"]].to_crs(crs) for f in frames], ignore_index=True
    )


def _regrid_job(job: dict, temp: Path) -> dict:
    from .regrid import regrid

    plan = _read(job["plan"], job.get("plan_layer"))
    buildings = _read(job["buildings"], job.get("buildings_layer"))
    if buildings.crs != plan.crs and buildings.crs is not None and plan.crs is not None:
        buildings = buildings.to_crs(plan.crs)
    retired = []
    if job.get("retired_codes"):
        retired_path = Path(job["retired_codes"])
        if retired_path.exists():
            retired = [line.strip() for line in retired_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    result = regrid(
        plan,
        buildings,
        _barriers(job, plan.crs),
        load_field=job.get("load_field", "households"),
        code_field=job.get("code_field", "grid_code"),
        parent_field=job.get("parent_field", "parent_code"),
        locked_field=job.get("locked_field"),
        target_load=float(job.get("target_load", 400)),
        tolerance=float(job.get("tolerance", 0.2)),
        retired_codes=retired,
        seed=int(job.get("seed", 0)),
    )
    result.plan.to_file(temp, layer="plan", driver="GPKG")
    result.changes.to_file(temp, layer="changes", driver="GPKG", mode="a")
    own = ("name", "status", "output", "seconds", "message")
    row = {k: result.summary.get(k) for k in SUMMARY_COLUMNS if k in result.summary and k not in own}
    row["retired_codes"] = result.retired_codes
    row["message"] = "; ".join(w.message for w in result.warnings or [])
    return row


def _partition_job(job: dict, temp: Path) -> dict:
    from .engine import partition

    area = _read(job["area"], job.get("area_layer"))
    buildings = _read(job["buildings"], job.get("buildings_layer"))
    result = partition(
        area,
        buildings,
        _barriers(job, area.crs),
        load_field=job.get("load_field", "households"),
        parent_code_field=job.get("area_code_field"),
        target_load=float(job.get("target_load", 400)),
        tolerance=float(job.get("tolerance", 0.2)),
        seed=int(job.get("seed", 0)),
        code_prefix=job.get("code_prefix"),
        workers=1,  # one subdistrict per process or task already uses the cores
    )
    result.grids.to_file(temp, layer="plan", driver="GPKG")
    n = len(result.grids)
    return {
        "n_old": 0,
        "n_new": n,
        "kept": 0,
        "changed": 0,
        "new": n,
        "retired": 0,
        "retired_codes": [],
        "message": "; ".join(w.message for w in result.warnings or []),
    }


def run_job(job: dict) -> dict:
    """Re-grid (or freshly partition) one subdistrict; never raises: a summary row, ``ok`` or ``failed``."""
    started = time.perf_counter()
    row = {"name": job.get("name"), "status": "failed", "output": job.get("output"), "message": ""}
    temp = None
    try:
        output = Path(job["output"])
        output.parent.mkdir(parents=True, exist_ok=True)
        temp = output.with_name(f".{output.stem}.partial{output.suffix}")
        if temp.exists():
            temp.unlink()
        done = _regrid_job(job, temp) if job.get("plan") else _partition_job(job, temp)
        os.replace(temp, output)
        temp = None
        retired = done.pop("retired_codes")
        output.with_suffix(".retired.txt").write_text("\n".join(retired) + ("\n" if retired else ""), encoding="utf-8")
        row.update(done)
        row["status"] = "ok"
    except GridPlannerError as error:
        row["message"] = error.message
    except Exception as error:  # noqa: BLE001 - one failing subdistrict must not stop the batch
        row["message"] = f"{type(error).__name__}: {error}"
        row["traceback"] = traceback.format_exc()
    finally:
        if temp is not None and Path(temp).exists():
            Path(temp).unlink()
    row["seconds"] = round(time.perf_counter() - started, 2)
    return row


def run_batch(
    config_path,
    *,
    workers: int | None = None,
    summary_path=None,
    log_path=None,
    scheduler: str | None = None,
    task=None,
    on_done=None,
) -> list[dict]:
    """Run every subdistrict of ``config_path`` in parallel; write the summary CSV and Markdown.

    Parameters
    ----------
    workers : int, optional
        Worker processes (default: the config's ``workers``, else the CPU count). Ignored with
        ``scheduler``: the cluster's workers run the tasks.
    summary_path : path, optional
        ``<config stem>_summary.csv`` next to the config by default; a ``.md`` twin is written too.
    log_path : path, optional
        A log file (``<config stem>.log`` by default).
    scheduler : str, optional
        Address of a running Dask distributed scheduler (``tcp://host:8786``): each subdistrict is
        submitted as one task. Needs the ``distributed`` package.
    task : callable, optional
        What a cluster worker runs for one job (default :func:`run_job`); the command line passes a
        wrapper that makes the plugin importable on the worker first.
    on_done : callable, optional
        Called as ``on_done(row, done, total)`` after each subdistrict (progress display).

    Returns
    -------
    list of dict
        The summary rows, in config order (the same whichever way they ran).
    """
    config_path = Path(config_path)
    jobs = load_config(config_path)
    config = tomllib.loads(config_path.read_text(encoding="utf-8"))
    workers = workers or config.get("defaults", {}).get("workers") or os.cpu_count() or 1
    summary_path = Path(summary_path) if summary_path else config_path.with_name(f"{config_path.stem}_summary.csv")
    log_path = Path(log_path) if log_path else config_path.with_suffix(".log")
    handler = logging.FileHandler(log_path, mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    rows: dict[str, dict] = {}

    def finished(row):
        rows[row["name"]] = _logged(row)
        if on_done is not None:
            on_done(row, len(rows), len(jobs))

    try:
        where = f"scheduler {scheduler}" if scheduler else f"{workers} workers"
        log.log(logging.INFO, "batch %s: %d subdistricts, %s", config_path, len(jobs), where)
        if scheduler:
            _run_on_dask(jobs, scheduler, task or run_job, finished)
        elif workers <= 1:
            for job in jobs:
                finished(run_job(job))
        else:
            _run_in_processes(jobs, workers, finished)
        ordered = [rows[job["name"]] for job in jobs]
        _write_summary(ordered, summary_path)
        failed = sum(r["status"] != "ok" for r in ordered)
        log.log(logging.INFO, "batch done: %d ok, %d failed; summary %s", len(ordered) - failed, failed, summary_path)
    finally:
        log.removeHandler(handler)
        handler.close()
    return ordered


def _crashed(name, error) -> dict:
    return {"name": name, "status": "failed", "message": f"worker crashed: {error!r}", "seconds": None}


def _run_in_processes(jobs, workers, finished) -> None:
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
        futures = {pool.submit(run_job, job): job["name"] for job in jobs}
        for future in as_completed(futures):
            try:
                finished(future.result())
            except Exception as error:  # noqa: BLE001 - a crashed worker process
                finished(_crashed(futures[future], error))


def _run_on_dask(jobs, scheduler, task, finished) -> None:
    """Submit one task per subdistrict to the scheduler; collect rows as they finish."""
    try:
        from distributed import Client
        from distributed import as_completed as dask_completed
    except ImportError:
        raise InputError(
            N_(
                "Running on a Dask scheduler needs the Python package distributed; install it (pip install distributed)."
            )
        ) from None
    try:
        client = Client(scheduler, timeout="20s", set_as_default=False)
    except (OSError, TimeoutError) as error:
        raise InputError(
            N_(
                "Could not reach the Dask scheduler at {address} ({reason}). Start one with dask scheduler "
                "and its workers with dask worker {address}, or run without --scheduler."
            ),
            address=scheduler,
            reason=str(error),
        ) from None
    try:
        futures = {
            client.submit(task, job, key=f"gridplanner-{index}-{job['name']}", pure=False, retries=0): job["name"]
            for index, job in enumerate(jobs)
        }
        for future in dask_completed(futures, loop=client.loop):
            try:
                finished(future.result())
            except Exception as error:  # noqa: BLE001 - a worker lost or killed
                finished(_crashed(futures[future], error))
    finally:
        client.close()


def _logged(row: dict) -> dict:
    if row["status"] == "ok":
        log.log(
            logging.INFO,
            "%s: ok in %ss — kept %s of %s grids, %s households moved",
            row["name"],
            row.get("seconds"),
            row.get("kept"),
            row.get("n_old"),
            row.get("households_moved"),
        )
    else:
        log.log(logging.ERROR, "%s: FAILED — %s", row["name"], row.get("message"))
        if row.get("traceback"):
            log.log(logging.ERROR, row["traceback"])
    return row


def _write_summary(rows: list[dict], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=SUMMARY_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    path.with_suffix(".md").write_text(summary_markdown(rows), encoding="utf-8")


def summary_markdown(rows: list[dict]) -> str:
    """The summary rows as a Markdown table."""
    columns = ["name", "status", "seconds", "n_old", "kept", "changed", "new", "retired", "moved_share", "message"]
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        cells = []
        for column in columns:
            value = row.get(column)
            if isinstance(value, float):
                value = f"{value:.1%}" if column == "moved_share" else f"{value:g}"
            cells.append(str(value if value is not None else "").replace("|", "/").replace("\n", " "))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
