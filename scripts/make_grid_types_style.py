"""Generate ``styles/grid_types.qml`` from ``grid_plugin/core/grid_types.py`` (one palette, Chinese legend).

Run after changing the grid types or the palette:

    . scripts/env.sh && xvfb-run -a .venv/bin/python scripts/make_grid_types_style.py

``tests/test_grid_types_style.py`` fails when the style and the module disagree.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STYLE = ROOT / "styles" / "grid_types.qml"


def load_grid_types():
    """Import grid_types.py by path (it has no package imports), never putting the root on sys.path."""
    spec = importlib.util.spec_from_file_location("_grid_types", ROOT / "grid_plugin" / "core" / "grid_types.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def build_style(path: Path = STYLE) -> Path:
    """Write the categorized renderer (field ``grid_type``) of every grid type to ``path``."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qgis.core import (
        QgsApplication,
        QgsCategorizedSymbolRenderer,
        QgsFillSymbol,
        QgsMapLayer,
        QgsRendererCategory,
        QgsVectorLayer,
    )

    app = QgsApplication.instance() or QgsApplication([], False)
    app.initQgis()
    grid_types = load_grid_types()
    layer = QgsVectorLayer("Polygon?crs=EPSG:4547&field=grid_type:string(20)", "grid_types", "memory")
    categories = []
    for t in grid_types.GRID_TYPES:
        symbol = QgsFillSymbol.createSimple(
            {
                "color": t.color,
                "style": "solid",
                "outline_color": "#4d4d4d",
                "outline_width": "0.3",
                "outline_width_unit": "MM",
            }
        )
        categories.append(QgsRendererCategory(t.code, symbol, t.zh, True))
    layer.setRenderer(QgsCategorizedSymbolRenderer("grid_type", categories))
    layer.setOpacity(0.85)
    # Symbology and rendering only: loading the style must not touch the output's fields or aliases.
    message, ok = layer.saveNamedStyle(str(path), categories=QgsMapLayer.Symbology | QgsMapLayer.Rendering)
    if not ok:
        raise SystemExit(f"could not write {path}: {message}")
    return path


if __name__ == "__main__":
    print(build_style())
