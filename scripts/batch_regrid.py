"""Re-grid (or freshly partition) many subdistricts listed in one TOML config, headless, in parallel.

Usage (with the venv's python):
  .venv/bin/python scripts/batch_regrid.py docs/batch_regrid.example.toml [--workers 2] [--summary out.csv]
  .venv/bin/python scripts/batch_regrid.py CONFIG --scheduler tcp://HOST:8786   # on a Dask cluster

Locally each subdistrict runs in its own process (a progress bar on stderr); with ``--scheduler`` each
is one task on the workers of a running Dask distributed scheduler (the count of finished tasks on
stderr); the inputs and outputs must be paths the workers can read and write, and the plugin must be
at this same path on the workers' machines (or importable there as ``gridplanner``). One subdistrict
that fails is logged with its reason and the others go on. Outputs: one GeoPackage per subdistrict
(layers ``plan`` and, for a re-grid, ``changes``, plus ``<output>.retired.txt``), a log
(``<config>.log``) and a summary table (``<config>_summary.csv``/``.md``). The exit code is 0 when
every subdistrict succeeded, 1 when some failed, 2 for a bad config or an unreachable scheduler.
See ``docs/batch.md`` for the config keys and running a province on a cluster.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _plugin_link(root: Path) -> Path:
    """A folder holding a ``gridplanner`` link to ``root`` (the repository root is never put on sys.path)."""
    tag = hashlib.sha1(str(root).encode()).hexdigest()[:10]  # one link per checkout
    link_dir = Path(tempfile.gettempdir()) / f"gridplanner-batch-import-{tag}"
    link_dir.mkdir(exist_ok=True)
    link = link_dir / "gridplanner"
    if not link.exists():
        try:
            link.symlink_to(root, target_is_directory=True)
        except FileExistsError:
            pass
    return link_dir


def _import_plugin():
    """Import the plugin as the package ``gridplanner`` without putting the repository root on sys.path."""
    link_dir = _plugin_link(ROOT)
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT]
    if str(link_dir) not in sys.path:
        sys.path.insert(0, str(link_dir))
    from gridplanner.grid_plugin.core.partition import batch

    return batch


batch = _import_plugin()


def remote_job(job: dict, root: str) -> dict:
    """What a Dask worker runs for one subdistrict: make the plugin importable there, then run the job.

    Defined in this script, so it travels to the workers by value; the plugin itself is imported from
    ``root`` on the worker's machine (the same path as here) unless ``gridplanner`` is importable already.
    """
    import importlib
    import sys as worker_sys

    try:
        module = importlib.import_module("gridplanner.grid_plugin.core.partition.batch")
    except ImportError:
        worker_sys.path.insert(0, str(_plugin_link(Path(root))))
        module = importlib.import_module("gridplanner.grid_plugin.core.partition.batch")
    return module.run_job(job)


def _progress(scheduler: str | None):
    """A progress printer: a bar locally, the count of finished tasks on a cluster."""

    def show(row, done, total):
        status = "ok" if row["status"] == "ok" else "FAILED"
        if scheduler:
            print(f"{done}/{total} tasks done ({row['name']}: {status})", file=sys.stderr, flush=True)
        else:
            filled = round(30 * done / total)
            bar = "#" * filled + "." * (30 - filled)
            end = "\n" if done == total else ""
            print(f"\r[{bar}] {done}/{total} {row['name']}: {status}".ljust(80), end=end, file=sys.stderr, flush=True)

    return show


def main(argv=None) -> int:
    """Parse the command line, run the batch, print the summary table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config", type=Path, help="TOML config listing the subdistricts")
    parser.add_argument("--workers", type=int, default=None, help="worker processes (default: config or CPU count)")
    parser.add_argument("--scheduler", default=None, help="a Dask distributed scheduler, e.g. tcp://127.0.0.1:8786")
    parser.add_argument("--summary", type=Path, default=None, help="summary CSV (a .md twin is written too)")
    parser.add_argument("--log", type=Path, default=None, help="log file (default: <config>.log)")
    args = parser.parse_args(argv)
    from functools import partial

    from gridplanner.grid_plugin.core.errors import GridPlannerError

    try:
        rows = batch.run_batch(
            args.config,
            workers=args.workers,
            summary_path=args.summary,
            log_path=args.log,
            scheduler=args.scheduler,
            task=partial(remote_job, root=str(ROOT)) if args.scheduler else None,
            on_done=_progress(args.scheduler),
        )
    except GridPlannerError as error:
        print(f"error: {error.message}", file=sys.stderr)
        return 2
    print(batch.summary_markdown(rows))
    return 0 if all(r["status"] == "ok" for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
