"""Every difference between QGIS versions that the plugin relies on, in one place.

Version gates are named constants; the rest of the code calls the helpers below.
"""

from __future__ import annotations

from qgis.core import Qgis, QgsField

QGIS_VERSION_INT = Qgis.QGIS_VERSION_INT if hasattr(Qgis, "QGIS_VERSION_INT") else Qgis.versionInt()
#: QgsField takes QMetaType.Type from 3.38 on; QVariant.Type is deprecated there.
FIELD_TAKES_QMETATYPE = QGIS_VERSION_INT >= 33800
#: Scoped enums such as Qgis.ProcessingSourceType arrived in 3.36.
HAS_SCOPED_PROCESSING_ENUMS = QGIS_VERSION_INT >= 33600

try:  # Qt6 (QGIS 4): QAction, QActionGroup and QShortcut live in QtGui
    from qgis.PyQt.QtGui import QAction
except ImportError:  # Qt5 (QGIS 3)
    from qgis.PyQt.QtWidgets import QAction

__all__ = [
    "FIELD_TAKES_QMETATYPE",
    "HAS_SCOPED_PROCESSING_ENUMS",
    "QAction",
    "QGIS_VERSION_INT",
    "is_integer_field",
    "make_field",
]


def _variant_type(kind: str):
    """QVariant.Type for ``kind`` (QGIS < 3.38, always Qt5; QVariant.Type is gone in Qt6)."""
    from qgis.PyQt.QtCore import QVariant

    return {
        "int": QVariant.Type.Int,
        "int64": QVariant.Type.LongLong,
        "double": QVariant.Type.Double,
        "string": QVariant.Type.String,
        "bool": QVariant.Type.Bool,
        "date": QVariant.Type.Date,
        "datetime": QVariant.Type.DateTime,
    }[kind]


def is_integer_field(field: QgsField) -> bool:
    """True for a field of any integer type (32/64 bit, signed or not), on Qt5 and Qt6.

    ``QgsField.type()`` returns a QVariant.Type under Qt5 and a QMetaType.Type under Qt6; the integer
    codes of the two agree, so compare the codes.
    """
    from qgis.PyQt.QtCore import QMetaType

    integer_types = (QMetaType.Type.Int, QMetaType.Type.UInt, QMetaType.Type.LongLong, QMetaType.Type.ULongLong)
    return _type_code(field.type()) in {_type_code(kind) for kind in integer_types}


def _type_code(value) -> int:
    """The integer code of a Qt enum member: sip enums are ints, Python enums carry ``.value``."""
    return int(getattr(value, "value", value))


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
        field = QgsField(name, _variant_type(kind), len=length, prec=precision)
    if alias:
        field.setAlias(alias)
    return field


def vector_polygon_type():
    """The processing source type for polygon layers."""
    from qgis.core import QgsProcessing

    if HAS_SCOPED_PROCESSING_ENUMS:
        return Qgis.ProcessingSourceType.VectorPolygon
    return QgsProcessing.SourceType.TypeVectorPolygon


def vector_line_type():
    """The processing source type for line layers."""
    from qgis.core import QgsProcessing

    if HAS_SCOPED_PROCESSING_ENUMS:
        return Qgis.ProcessingSourceType.VectorLine
    return QgsProcessing.SourceType.TypeVectorLine


def vector_point_type():
    """The processing source type for point layers."""
    from qgis.core import QgsProcessing

    if HAS_SCOPED_PROCESSING_ENUMS:
        return Qgis.ProcessingSourceType.VectorPoint
    return QgsProcessing.SourceType.TypeVectorPoint


def vector_any_type():
    """The processing source type for any geometry layer."""
    from qgis.core import QgsProcessing

    if HAS_SCOPED_PROCESSING_ENUMS:
        return Qgis.ProcessingSourceType.VectorAnyGeometry
    return QgsProcessing.SourceType.TypeVectorAnyGeometry


def vector_table_type():
    """The processing source type for any vector layer, tables without geometry included."""
    from qgis.core import QgsProcessing

    if HAS_SCOPED_PROCESSING_ENUMS:
        return Qgis.ProcessingSourceType.Vector
    return QgsProcessing.SourceType.TypeVector
