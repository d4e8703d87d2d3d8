"""Print layouts for public display (公示) of a grid plan: the overview sheet and the per-grid atlas.

The builder works without a desktop (qgis_process, ``processing.run``, plain PyQGIS): it copies the
inputs into styled memory layers in one metric CRS, builds ``QgsPrintLayout`` objects in code and
exports them with ``QgsLayoutExporter``. Nothing here modifies an input layer.

Modules
-------
- :mod:`.mapdata` — :class:`MapOptions`, :class:`MapData`; :func:`prepare_map_data` reads and checks the
  inputs (the metric CRS comes from :mod:`grid_plugin.core.crs`, the one CRS chooser of the plugin).
- :mod:`.items` — labels, map frames, north arrow, scale bar, legend.
- :mod:`.sheets` — :func:`build_map_layout` / :func:`build_atlas_layout`.
- :mod:`.exporter` — :func:`export_grid_map` does all of it from layers or file paths (the demo calls it);
  PDFs are written completely or not at all, with their text layer fixed
  (:mod:`grid_plugin.core.publish.pdf_text`).
- :mod:`.templates` — the adjustable layout saved as ``styles/*.qpt``.
"""

from .exporter import (
    add_to_project,
    check_writable,
    export_atlas,
    export_grid_map,
    export_layout,
    export_plan_maps,
    map_point_to_page_px,
)
from .mapdata import PAPER_SIZES_MM, LayoutResult, MapData, MapOptions, memory_layer, prepare_map_data, short_labels
from .sheets import build_atlas_layout, build_map_layout
from .templates import build_template_layout, load_template, save_template, write_templates

__all__ = [
    "PAPER_SIZES_MM",
    "MapOptions",
    "MapData",
    "LayoutResult",
    "prepare_map_data",
    "build_map_layout",
    "build_atlas_layout",
    "export_layout",
    "export_atlas",
    "export_grid_map",
    "export_plan_maps",
    "build_template_layout",
    "map_point_to_page_px",
    "add_to_project",
    "check_writable",
    "memory_layer",
    "short_labels",
    "load_template",
    "save_template",
    "write_templates",
]
