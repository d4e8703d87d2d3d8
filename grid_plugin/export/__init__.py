"""Print layouts and map exports for public display (公示): QGIS side, may import qgis."""

from .layout import MapOptions, export_grid_map, export_plan_maps

__all__ = ["MapOptions", "export_grid_map", "export_plan_maps"]
