"""styles/grid_types.qml agrees with grid_plugin/core/grid_types.py (it is generated from it)."""

from __future__ import annotations

import importlib.util
import xml.etree.ElementTree as ET
from pathlib import Path

from gridplanner.grid_plugin.core.grid_types import GRID_TYPES

ROOT = Path(__file__).resolve().parent.parent
STYLE = ROOT / "styles" / "grid_types.qml"


def qml_categories(path: Path):
    """(value, label, fill colour as #rrggbb) per category of a categorized renderer, in legend order."""
    root = ET.parse(path).getroot()
    renderer = root.find("renderer-v2")
    assert renderer.get("type") == "categorizedSymbol" and renderer.get("attr") == "grid_type"
    symbols = {}
    for symbol in renderer.find("symbols"):
        layer = symbol.find("layer")
        options = {o.get("name"): o.get("value") for o in layer.iter("Option") if o.get("name")}
        if not options:  # QGIS < 3.26 also writes <prop k= v=>
            options = {p.get("k"): p.get("v") for p in layer.iter("prop")}
        r, g, b = (int(v) for v in options["color"].split(",")[:3])
        symbols[symbol.get("name")] = f"#{r:02x}{g:02x}{b:02x}"
    return [(c.get("value"), c.get("label"), symbols[c.get("symbol")]) for c in renderer.find("categories")]


def test_shipped_style_agrees_with_grid_types():
    assert qml_categories(STYLE) == [(t.code, t.zh, t.color) for t in GRID_TYPES]


def test_generator_reproduces_the_shipped_style(qgis_app, tmp_path):
    spec = importlib.util.spec_from_file_location(
        "make_grid_types_style", ROOT / "scripts" / "make_grid_types_style.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    fresh = module.build_style(tmp_path / "grid_types.qml")
    assert qml_categories(fresh) == qml_categories(STYLE)


def test_style_loads_in_qgis_with_chinese_legend(qgis_app):
    from qgis.core import QgsCategorizedSymbolRenderer, QgsVectorLayer

    layer = QgsVectorLayer("Polygon?crs=EPSG:4547&field=grid_type:string", "g", "memory")
    message, ok = layer.loadNamedStyle(str(STYLE))
    assert ok, message
    renderer = layer.renderer()
    assert isinstance(renderer, QgsCategorizedSymbolRenderer)
    assert [c.label() for c in renderer.categories()] == [t.zh for t in GRID_TYPES]
