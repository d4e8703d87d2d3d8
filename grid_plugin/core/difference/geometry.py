"""Small geometry helpers shared by the difference modules."""

from __future__ import annotations

import shapely

__all__ = ["polygonal"]


def polygonal(geom):
    """The polygonal part of ``geom`` (None when empty)."""
    if geom is None or shapely.is_empty(geom):
        return None
    if shapely.get_type_id(geom) in (3, 6):
        return geom
    parts = shapely.get_parts(geom)
    parts = parts[shapely.get_type_id(parts) >= 3]
    flat = []
    for part in parts:
        flat.extend(shapely.get_parts(part) if shapely.get_type_id(part) != 3 else [part])
    flat = [p for p in flat if shapely.get_type_id(p) == 3 and not shapely.is_empty(p)]
    if not flat:
        return None
    return shapely.multipolygons(flat) if len(flat) > 1 else flat[0]
