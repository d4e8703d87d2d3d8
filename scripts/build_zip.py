"""Build the zip a planner installs with QGIS "Install from ZIP": dist/gridplanner-<version>.zip.

Only what the plugin needs at run time goes in: no tests, scripts, benchmarks, caches or venvs.
Run: .venv/bin/python scripts/build_zip.py
"""

from __future__ import annotations

import configparser
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INCLUDE = [
    "__init__.py",
    "metadata.txt",
    "icon.png",
    "LICENSE",
    "README.md",
    "grid_plugin",
    "processing",
    "styles",
    "i18n",
]
EXCLUDED_PARTS = {"__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis"}
EXCLUDED_SUFFIXES = {".pyc", ".pyo", ".tmp"}


def plugin_files(root: Path = ROOT) -> list[Path]:
    """Every file that belongs in the plugin zip, relative to ``root``."""
    files = []
    for name in INCLUDE:
        path = root / name
        if path.is_file():
            files.append(path.relative_to(root))
        elif path.is_dir():
            for item in sorted(path.rglob("*")):
                rel = item.relative_to(root)
                if item.is_file() and not (set(rel.parts) & EXCLUDED_PARTS) and item.suffix not in EXCLUDED_SUFFIXES:
                    files.append(rel)
    return files


def build(out_dir: Path) -> Path:
    """Write the zip into ``out_dir`` and return its path."""
    meta = configparser.ConfigParser(interpolation=None)
    meta.read(ROOT / "metadata.txt", encoding="utf-8")
    version = meta["general"]["version"]
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"gridplanner-{version}.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for rel in plugin_files():
            archive.write(ROOT / rel, f"gridplanner/{rel.as_posix()}")
    return target


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "dist"
    print(build(out))
