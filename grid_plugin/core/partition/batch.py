"""Batch re-gridding: many subdistricts from one TOML config, in parallel processes, headless.

One config file lists the subdistricts (inputs, parameters, output path). Each subdistrict runs in its
own worker process (:class:`concurrent.futures.ProcessPoolExecutor`); a subdistrict that fails is
logged with its reason and the others go on. Every output is written to a temporary file and renamed
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
        missing = [k for k in ("name", "plan", "buildings", "output") if not merged.get(k)]
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
        for key in ("plan", "buildings", "barriers", "output", "retired_codes"):
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


def run_job(job: dict) -> dict:
    """Re-grid one subdistrict; never raises: returns a summary row with status ``ok`` or ``failed``."""
    import pandas as pd

    from .regrid import regrid

    started = time.perf_counter()
    row = {"name": job.get("name"), "status": "failed", "output": job.get("output"), "message": ""}
    temp = None
    try:
        plan = _read(job["plan"], job.get("plan_layer"))
        buildings = _read(job["buildings"], job.get("buildings_layer"))
        barriers = None
        if job.get("barriers"):
            layers = job.get("barriers_layers") or [None]
            frames = [_read(job["barriers"], layer) for layer in layers]
            barriers = pd.concat([f[["geometry"]].to_crs(plan.crs) for f in frames], ignore_index=True)
        if buildings.crs != plan.crs and buildings.crs is not None and plan.crs is not None:
            buildings = buildings.to_crs(plan.crs)
        retired = []
        if job.get("retired_codes"):
            retired_path = Path(job["retired_codes"])
            if retired_path.exists():
                retired = [
                    line.strip() for line in retired_path.read_text(encoding="utf-8").splitlines() if line.strip()
                ]
        result = regrid(
            plan,
            buildings,
            barriers,
            load_field=job.get("load_field", "households"),
            code_field=job.get("code_field", "grid_code"),
            parent_field=job.get("parent_field", "parent_code"),
            locked_field=job.get("locked_field"),
            target_load=float(job.get("target_load", 400)),
            tolerance=float(job.get("tolerance", 0.2)),
            retired_codes=retired,
            seed=int(job.get("seed", 0)),
        )
        output = Path(job["output"])
        output.parent.mkdir(parents=True, exist_ok=True)
        temp = output.with_name(f".{output.stem}.partial{output.suffix}")
        if temp.exists():
            temp.unlink()
        result.plan.to_file(temp, layer="plan", driver="GPKG")
        result.changes.to_file(temp, layer="changes", driver="GPKG", mode="a")
        os.replace(temp, output)
        temp = None
        retired_out = output.with_suffix(".retired.txt")
        retired_out.write_text(
            "\n".join(result.retired_codes) + ("\n" if result.retired_codes else ""), encoding="utf-8"
        )
        row.update({k: result.summary.get(k) for k in SUMMARY_COLUMNS if k in result.summary})
        row["status"] = "ok"
        row["message"] = "; ".join(w.message for w in result.warnings or [])
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


def run_batch(config_path, *, workers: int | None = None, summary_path=None, log_path=None) -> list[dict]:
    """Run every subdistrict of ``config_path`` in parallel; write the summary CSV and Markdown.

    Parameters
    ----------
    workers : int, optional
        Worker processes (default: the config's ``workers``, else the CPU count).
    summary_path : path, optional
        ``<config stem>_summary.csv`` next to the config by default; a ``.md`` twin is written too.
    log_path : path, optional
        A log file (``<config stem>.log`` by default).

    Returns
    -------
    list of dict
        The summary rows, in config order.
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
    try:
        log.log(logging.INFO, "batch %s: %d subdistricts, %d workers", config_path, len(jobs), workers)
        if workers <= 1:
            for job in jobs:
                rows[job["name"]] = _logged(run_job(job))
        else:
            with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
                futures = {pool.submit(run_job, job): job["name"] for job in jobs}
                for future in as_completed(futures):
                    name = futures[future]
                    try:
                        rows[name] = _logged(future.result())
                    except Exception as error:  # noqa: BLE001 - a crashed worker process
                        rows[name] = _logged(
                            {"name": name, "status": "failed", "message": f"worker crashed: {error!r}", "seconds": None}
                        )
        ordered = [rows[job["name"]] for job in jobs]
        _write_summary(ordered, summary_path)
        failed = sum(r["status"] != "ok" for r in ordered)
        log.log(logging.INFO, "batch done: %d ok, %d failed; summary %s", len(ordered) - failed, failed, summary_path)
    finally:
        log.removeHandler(handler)
        handler.close()
    return ordered


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
