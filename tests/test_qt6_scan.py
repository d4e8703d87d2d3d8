"""QGIS 4 / Qt6 readiness: the static scan (scripts/qt6_scan.py) finds what PyQt6 removed, and the
plugin's shipped code is clean under the QGIS this suite runs on (3.22 here, 3.40 in the chroot)."""

from __future__ import annotations

import importlib.util
import sys

import pytest
from helpers import ROOT


def _load_scan():
    spec = importlib.util.spec_from_file_location("qt6_scan", ROOT / "scripts" / "qt6_scan.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["qt6_scan"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


qt6_scan = _load_scan()


def _rules(source: str, rel: str = "grid_plugin/example.py") -> list[tuple[int, str]]:
    return [(f.line, f.rule) for f in qt6_scan.scan_source(source, rel)]


def test_shipped_code_is_clean():
    findings = qt6_scan.scan()
    assert not findings, "\n".join(str(f) for f in findings)


def test_scan_covers_every_shipped_module():
    files = {path.relative_to(ROOT).as_posix() for path in qt6_scan.shipped_files()}
    assert "__init__.py" in files and "grid_plugin/compat.py" in files
    assert "processing/partition.py" in files and "grid_plugin/gui/main.py" in files
    assert not any(name.startswith(("tests/", "scripts/")) for name in files)


@pytest.mark.parametrize(
    ("source", "rule"),
    [
        ("from PyQt5.QtCore import Qt\n", "QT6-import"),
        ("import sip\n", "QT6-import"),
        ("from qgis._core import QgsGeometry\n", "QT6-import"),
        ("from qgis.PyQt.QtWidgets import QAction\n", "QT6-moved"),
        ("from qgis.PyQt.QtCore import QRegExp\n", "QT6-removed"),
        ("from qgis.PyQt.QtWidgets import QDialog\nQDialog().exec_()\n", "QT6-exec"),
        ("class Dialog:\n    def exec_(self):\n        pass\n", "QT6-exec"),
        ("from qgis.PyQt.QtCore import Qt\nbutton = Qt.MidButton\n", "QT6-renamed-enum"),
        ("from qgis.PyQt.QtCore import QVariant\nkind = QVariant.Int\n", "QT6-qvariant-type"),
        ("from qgis.PyQt.QtCore import Qt\nalign = Qt.AlignLeft | Qt.AlignmentFlag.AlignTop\n", "QT6-unscoped-enum"),
        ("from qgis.core import QgsWkbTypes\nkind = QgsWkbTypes.PolygonGeometry\n", "QT6-unscoped-enum"),
        ("from qgis.core import QgsUnitTypes\nunit = QgsUnitTypes.LayoutMillimeters\n", "QT6-unscoped-enum"),
        ("from qgis.PyQt import QtCore\nalign = QtCore.Qt.AlignLeft\n", "QT6-unscoped-enum"),
        ("from qgis.PyQt.QtWidgets import QLabel\nw = QLabel().fontMetrics().width('x')\n", "QT6-api"),
        ("from qgis.PyQt.QtCore import Qt\nalign = Qt.AlignmentFlag.NoSuchFlag\n", "QT6-missing-enum"),
    ],
)
def test_each_rule_fires(source, rule):
    assert rule in {found for _line, found in _rules(source)}


def test_scoped_and_neutral_code_passes():
    source = (
        "from qgis.core import QgsWkbTypes, QgsProcessing\n"
        "from qgis.PyQt.QtCore import Qt, QVariant\n"
        "align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop\n"
        "kind = QgsWkbTypes.GeometryType.PolygonGeometry\n"
        "null = isinstance(None, QVariant)\n"
        "name = QgsWkbTypes.displayString\n"
        "dialog.exec()\n"
    )
    assert _rules(source) == []


def test_compat_module_may_name_qt5_only_api():
    source = "from qgis.PyQt.QtWidgets import QAction\nfrom qgis.PyQt.QtCore import QVariant\nk = QVariant.Type.Int\n"
    assert _rules(source, rel="grid_plugin/compat.py") == []
    assert {rule for _line, rule in _rules(source)} == {"QT6-moved", "QT6-qvariant-type"}


def test_fix_rewrites_unscoped_enums_and_keeps_the_rest():
    source = (
        "from qgis.PyQt.QtCore import Qt\n# 标题 Qt.AlignLeft\nlabel = '网格'; align = Qt.AlignLeft | Qt.AlignTop\n"
    )
    fixed = qt6_scan.fix_source(source, qt6_scan.scan_source(source, "x.py"))
    assert fixed == (
        "from qgis.PyQt.QtCore import Qt\n# 标题 Qt.AlignLeft\n"
        "label = '网格'; align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop\n"
    )
    assert qt6_scan.scan_source(fixed, "x.py") == []
