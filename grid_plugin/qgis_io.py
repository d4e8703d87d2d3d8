"""Conversions between QGIS layers and GeoDataFrames, shared by processing and the GUI.

Reading goes through WKB and one vectorised ``shapely.from_wkb`` call; writing builds features from
WKB. The engine only ever sees GeoDataFrames, never QGIS objects.
"""

from __future__ import annotations

import datetime as _dt

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsFields,
    QgsGeometry,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QDate, QDateTime, QTime, QVariant

from .compat import make_field


def qgis_crs_to_pyproj(crs: QgsCoordinateReferenceSystem) -> pyproj.CRS | None:
    """Convert a QGIS CRS to pyproj (``None`` for an invalid CRS)."""
    if crs is None or not crs.isValid():
        return None
    authid = crs.authid()
    if authid.upper().startswith("EPSG:"):
        try:
            return pyproj.CRS.from_user_input(authid)
        except pyproj.exceptions.CRSError:
            pass
    return pyproj.CRS.from_wkt(crs.toWkt(QgsCoordinateReferenceSystem.WktVariant.WKT_PREFERRED))


def pyproj_to_qgis_crs(crs) -> QgsCoordinateReferenceSystem:
    """Convert a pyproj CRS (or anything pyproj accepts) to a QGIS CRS."""
    if crs is None:
        return QgsCoordinateReferenceSystem()
    crs = pyproj.CRS.from_user_input(crs)
    epsg = crs.to_epsg()
    if epsg:
        return QgsCoordinateReferenceSystem(f"EPSG:{epsg}")
    return QgsCoordinateReferenceSystem.fromWkt(crs.to_wkt())


def _python_value(value):
    if value is None:
        return None
    if isinstance(value, QVariant):
        return None if value.isNull() else value.value()
    if isinstance(value, QDateTime):
        return value.toPyDateTime() if value.isValid() else None
    if isinstance(value, QDate):
        return value.toPyDate() if value.isValid() else None
    if isinstance(value, QTime):
        return value.toPyTime() if value.isValid() else None
    return value


def source_to_gdf(source, field_names=None, request: QgsFeatureRequest | None = None, feedback=None):
    """Read a QgsFeatureSource (or vector layer) into a GeoDataFrame.

    Parameters
    ----------
    source : QgsFeatureSource or QgsVectorLayer
    field_names : list of str, optional
        Attributes to read (default: all).
    request : QgsFeatureRequest, optional
    feedback : QgsFeedback, optional
        Checked for cancellation every 10,000 features.

    The column ``fid`` holds the QGIS feature id so that results can be joined back (when the layer
    already has a ``fid`` field, as GeoPackage layers do, that field is kept and the QGIS ids are in
    ``qgis_fid``).
    """
    fields = source.fields()
    names = list(field_names) if field_names is not None else [f.name() for f in fields]
    indexes = [fields.lookupField(n) for n in names]
    request = QgsFeatureRequest(request) if request is not None else QgsFeatureRequest()
    if field_names is not None:
        request.setSubsetOfAttributes([i for i in indexes if i >= 0])
    wkbs, fids, rows = [], [], []
    for count, feature in enumerate(source.getFeatures(request)):
        if feedback is not None and count % 10000 == 0 and feedback.isCanceled():
            break
        geometry = feature.geometry()
        wkbs.append(bytes(geometry.asWkb()) if not geometry.isNull() else None)
        fids.append(feature.id())
        attributes = feature.attributes()
        rows.append([_python_value(attributes[i]) if i >= 0 else None for i in indexes])
    geoms = shapely.from_wkb(np.array(wkbs, dtype=object), on_invalid="ignore") if wkbs else []
    frame = pd.DataFrame(rows, columns=names) if rows else pd.DataFrame({n: [] for n in names})
    if "fid" not in frame.columns:
        frame.insert(0, "fid", np.array(fids, dtype=np.int64))
    else:
        # GeoPackage layers expose their primary key as a "fid" field; it is the feature id already.
        # Any other "fid" attribute is left as it is, and the QGIS ids go to "qgis_fid".
        frame.insert(0, "qgis_fid", np.array(fids, dtype=np.int64))
    crs = qgis_crs_to_pyproj(source.sourceCrs()) if hasattr(source, "sourceCrs") else None
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, crs=crs), crs=crs)


def read_layer_fast(layer, field_names=None):
    """Read a whole file-based (OGR) layer in one vectorised pyogrio call, or return None.

    About a million features in seconds, where :func:`source_to_gdf` iterates features for a minute.
    None when the layer is not a plain file layer: not OGR, a subset filter, unsaved edits, a file
    GDAL cannot read directly, or a feature count that differs from QGIS's. The layer's CRS in QGIS
    wins over the file's (a user may have overridden it). Columns as in :func:`source_to_gdf`:
    ``fid`` holds the feature ids (``qgis_fid`` when the layer has its own ``fid`` field).
    """
    if layer is None or layer.providerType() != "ogr" or layer.subsetString() or layer.isModified():
        return None
    from qgis.core import QgsProviderRegistry

    parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
    path = parts.get("path")
    if not path or parts.get("subset") or parts.get("openOptions"):
        return None  # open options (a CSV's X_POSSIBLE_NAMES) make the geometry: only QGIS knows them
    kwargs = {"columns": list(field_names) if field_names is not None else None, "fid_as_index": True}
    if parts.get("layerName"):
        kwargs["layer"] = parts["layerName"]
    elif parts.get("layerId") not in (None, ""):
        kwargs["layer"] = int(parts["layerId"])
    try:
        import pyogrio

        frame = pyogrio.read_dataframe(path, **kwargs)
    except Exception:  # noqa: BLE001 - anything GDAL cannot read directly goes through QGIS instead
        return None
    if len(frame) != layer.featureCount() or not isinstance(frame, gpd.GeoDataFrame):
        return None
    ids = frame.index.to_numpy(dtype=np.int64)
    frame = frame.reset_index(drop=True)
    frame.insert(0, "qgis_fid" if "fid" in frame.columns else "fid", ids)
    crs = qgis_crs_to_pyproj(layer.crs())
    return frame.set_crs(crs, allow_override=True) if crs is not None else frame


def _field_kind(series: pd.Series) -> str:
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "bool"
    if pd.api.types.is_integer_dtype(dtype):
        too_big = len(series) > 0 and int(series.abs().max()) > 2**31 - 1
        return "int64" if too_big else "int"
    if pd.api.types.is_float_dtype(dtype):
        return "double"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "datetime"
    return "string"


def fields_for_frame(frame, aliases: dict | None = None, kinds: dict | None = None) -> QgsFields:
    """QgsFields for the non-geometry columns of ``frame`` (``fid`` excluded)."""
    aliases = aliases or {}
    kinds = kinds or {}
    fields = QgsFields()
    for column in frame.columns:
        if column in ("geometry", "fid", "qgis_fid") or column == getattr(frame, "_geometry_column_name", None):
            continue
        kind = kinds.get(column) or _field_kind(frame[column])
        fields.append(make_field(column, kind, alias=aliases.get(column, "")))
    return fields


def _sink_value(value):
    if value is None:
        return None
    if isinstance(value, np.generic) and not isinstance(value, (np.floating, np.datetime64)):
        # numpy scalars (np.str_, np.int64, np.bool_) make QGIS drop the whole feature: use Python's.
        value = value.item()
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return None if np.isnan(value) else float(value)
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else QDateTime(value.to_pydatetime())
    if isinstance(value, _dt.datetime):
        return QDateTime(value)
    return value


def write_frame_to_sink(frame, sink, fields: QgsFields, feedback=None) -> int:
    """Write every row of ``frame`` to ``sink`` in the order of ``fields``; return the count."""
    names = [fields.at(i).name() for i in range(fields.count())]
    geometry_column = frame.geometry.name if isinstance(frame, gpd.GeoDataFrame) else None
    wkbs = shapely.to_wkb(frame.geometry.values) if geometry_column else None
    columns = [frame[name].to_numpy(dtype=object) for name in names]
    written = 0
    for row in range(len(frame)):
        if feedback is not None and row % 10000 == 0 and feedback.isCanceled():
            return written
        feature = QgsFeature(fields)
        if wkbs is not None and wkbs[row] is not None:
            geometry = QgsGeometry()
            geometry.fromWkb(wkbs[row])
            feature.setGeometry(geometry)
        feature.setAttributes([_sink_value(col[row]) for col in columns])
        sink.addFeature(feature, QgsFeatureSink.Flag.FastInsert)
        written += 1
    return written


def wkb_type_for(frame) -> int:
    """The QGIS WKB type to declare for a sink holding ``frame``'s geometries."""
    present = ~frame.geometry.isna().to_numpy()
    kinds = set(shapely.get_type_id(frame.geometry.values[present]).tolist())
    if kinds and kinds <= {3, 6}:
        return QgsWkbTypes.Type.MultiPolygon
    if kinds and kinds <= {1}:
        return QgsWkbTypes.Type.Point
    if kinds and kinds <= {1, 4}:
        return QgsWkbTypes.Type.MultiPoint
    if kinds and kinds <= {2, 5}:
        return QgsWkbTypes.Type.MultiLineString
    return QgsWkbTypes.Type.Unknown
