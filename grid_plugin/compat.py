"""Every difference between QGIS versions that the plugin relies on, in one place.

Version gates are named constants; the rest of the code calls the helpers below.
"""

from __future__ import annotations

from qgis.core import Qgis, QgsField
from qgis.PyQt.QtCore import QVariant

QGIS_VERSION_INT = Qgis.QGIS_VERSION_INT if hasattr(Qgis, "QGIS_VERSION_INT") else Qgis.versionInt()
#: QgsField takes QMetaType.Type from 3.38 on; QVariant.Type is deprecated there.
FIELD_TAKES_QMETATYPE = QGIS_VERSION_INT >= 33800
#: Scoped enums such as Qgis.ProcessingSourceType arrived in 3.36.
HAS_SCOPED_PROCESSING_ENUMS = QGIS_VERSION_INT >= 33600

_VARIANT_TYPES = {
    "int": QVariant.Int,
    "int64": QVariant.LongLong,
    "double": QVariant.Double,
    "string": QVariant.String,
    "bool": QVariant.Bool,
    "date": QVariant.Date,
    "datetime": QVariant.DateTime,
}


def make_field(name: str, kind: str, length: int = 0, precision: int = 0, alias: str = "") -> QgsField:
    """Build a QgsField of ``kind`` (int, int64, double, string, bool, date, datetime)."""
    if FIELD_TAKES_QMETATYPE:
        from qgis.PyQt.QtCore import QMetaType

        meta = {
            "int": QMetaType.Type.Int,
            "int64": QMetaType.Type.LongLong,
            "double": QMetaType.Type.Double,
            "string": QMetaType.Type.QString,
            "bool": QMetaType.Type.Bool,
            "date": QMetaType.Type.QDate,
            "datetime": QMetaType.Type.QDateTime,
        }[kind]
        field = QgsField(name, meta, len=length, prec=precision)
    else:
        field = QgsField(name, _VARIANT_TYPES[kind], len=length, prec=precision)
    if alias:
        field.setAlias(alias)
    return field


def vector_polygon_type():
    """The processing source type for polygon layers."""
    from qgis.core import QgsProcessing

    if HAS_SCOPED_PROCESSING_ENUMS:
        return Qgis.ProcessingSourceType.VectorPolygon
    return QgsProcessing.TypeVectorPolygon


def vector_line_type():
    """The processing source type for line layers."""
    from qgis.core import QgsProcessing

    if HAS_SCOPED_PROCESSING_ENUMS:
        return Qgis.ProcessingSourceType.VectorLine
    return QgsProcessing.TypeVectorLine


def vector_point_type():
    """The processing source type for point layers."""
    from qgis.core import QgsProcessing

    if HAS_SCOPED_PROCESSING_ENUMS:
        return Qgis.ProcessingSourceType.VectorPoint
    return QgsProcessing.TypeVectorPoint


def vector_any_type():
    """The processing source type for any geometry layer."""
    from qgis.core import QgsProcessing

    if HAS_SCOPED_PROCESSING_ENUMS:
        return Qgis.ProcessingSourceType.VectorAnyGeometry
    return QgsProcessing.TypeVectorAnyGeometry


def vector_table_type():
    """The processing source type for any vector layer, tables without geometry included."""
    from qgis.core import QgsProcessing

    if HAS_SCOPED_PROCESSING_ENUMS:
        return Qgis.ProcessingSourceType.Vector
    return QgsProcessing.TypeVector
