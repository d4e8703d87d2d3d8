"""Reading layers for the editing panel and writing shapely geometries and values back to QGIS."""

from __future__ import annotations

import numpy as np
import shapely
from qgis.core import QgsGeometry

from ..compat import is_integer_field
from ..qgis_io import read_layer_fast, source_to_gdf

__all__ = ["read_layer", "norm_key", "lookup", "to_qgs", "typed"]


def read_layer(layer, field_names):
    """Read ``layer`` into a GeoDataFrame with a ``qgis_fid`` column (QGIS feature ids).

    A file layer (GeoPackage, shapefile, …) without a filter and without unsaved edits is read with
    pyogrio in one vectorised call (100,000 features in about a second); anything else goes through
    QGIS feature by feature (:func:`~grid_plugin.qgis_io.source_to_gdf`), so unsaved edits are seen.
    """
    fast = "fid" not in field_names and "qgis_fid" not in field_names
    frame = read_layer_fast(layer, list(field_names)) if fast else None
    if frame is not None:
        frame = frame.rename(columns={"fid": "qgis_fid"})
        return frame[["qgis_fid", *field_names, frame.geometry.name]]
    frame = source_to_gdf(layer, field_names)
    if "qgis_fid" not in frame.columns:
        frame = frame.rename(columns={"fid": "qgis_fid"})
    return frame


def norm_key(value):
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def lookup(sorted_source, order, fids) -> np.ndarray:
    fids = np.asarray(list(fids), dtype=np.int64)
    if not len(fids) or not len(sorted_source):
        return np.zeros(0, np.int64)
    keys = sorted_source[order]
    pos = np.clip(np.searchsorted(keys, fids), 0, len(keys) - 1)
    found = keys[pos] == fids
    return np.unique(order[pos[found]])


def to_qgs(geom, multi: bool) -> QgsGeometry:
    qgs = QgsGeometry()
    qgs.fromWkb(shapely.to_wkb(geom, output_dimension=2))
    if multi:
        qgs.convertToMultiType()
    else:
        qgs.convertToSingleType()
    return qgs


def typed(field, value):
    """``value`` as the type of ``field`` (int, float or str)."""
    if is_integer_field(field):
        return int(round(float(value)))
    if field.isNumeric():
        return float(value)
    return str(value)
