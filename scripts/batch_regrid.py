"""Re-grid many subdistricts listed in one TOML config, headless, in parallel processes.

Usage (with the venv's python):
  .venv/bin/python scripts/batch_regrid.py docs/batch_regrid.example.toml [--workers 2] [--summary out.csv]

Each subdistrict runs in its own process; one that fails is logged with its reason and the others go
on. Outputs: one GeoPackage per subdistrict (layers ``plan`` and ``changes``, plus
``<output>.retired.txt``), a log (``<config>.log``) and a summary table (``<config>_summary.csv``/``.md``).
The exit code is 0 when every subdistrict succeeded, 1 when some failed, 2 for a bad config.
See ``docs/difference.md`` (section "Batch re-gridding") for the config keys.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _import_plugin():
    """Import the plugin as the package ``gridplanner`` without putting the repository root on sys.path."""
    tag = hashlib.sha1(str(ROOT).encode()).hexdigest()[:10]  # one link per checkout
    link_dir = Path(tempfile.gettempdir()) / f"gridplanner-batch-import-{tag}"
    link_dir.mkdir(exist_ok=True)
    link = link_dir / "gridplanner"
    if not link.exists():
        try:
            link.symlink_to(ROOT, target_is_directory=True)
        except FileExistsError:
            pass
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT]
    if str(link_dir) not in sys.path:
        sys.path.insert(0, str(link_dir))
    from gridplanner.grid_plugin.core.partition import batch

    return batch


batch = _import_plugin()


def main(argv=None) -> int:
    """Parse the command line, run the batch, print the summary table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config", type=Path, help="TOML config listing the subdistricts")
    parser.add_argument("--workers", type=int, default=None, help="worker processes (default: config or CPU count)")
    parser.add_argument("--summary", type=Path, default=None, help="summary CSV (a .md twin is written too)")
    parser.add_argument("--log", type=Path, default=None, help="log file (default: <config>.log)")
    args = parser.parse_args(argv)
    from gridplanner.grid_plugin.core.errors import GridPlannerError

    try:
        rows = batch.run_batch(args.config, workers=args.workers, summary_path=args.summary, log_path=args.log)
    except GridPlannerError as error:
        print(f"error: {error.message}", file=sys.stderr)
        return 2
    print(batch.summary_markdown(rows))
    return 0 if all(r["status"] == "ok" for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
