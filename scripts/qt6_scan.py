"""Static check that the plugin's Python code is ready for QGIS 4 (Qt6 / PyQt6).

    .venv/bin/python scripts/qt6_scan.py [paths ...]     exit 1 and one line per finding

The rules are those of QGIS's own migration script (``scripts/pyqt5_to_pyqt6/pyqt5_to_pyqt6.py``
in the QGIS repository), written as checks instead of rewrites:

- ``QT6-import``: Qt is imported only through ``qgis.PyQt`` (never ``PyQt5``, ``PyQt6``, ``sip``,
  ``PySide*``), and never from QGIS's private modules (``qgis._core`` ...).
- ``QT6-moved``: ``QAction``, ``QActionGroup``, ``QShortcut``, ``QUndoCommand``, ``QFileSystemModel``
  moved from QtWidgets to QtGui in Qt6; import them from ``grid_plugin.compat``.
- ``QT6-removed``: ``QRegExp``, ``QRegExpValidator``, ``QDesktopWidget``, ``qApp``, ``QTextCodec``,
  ``resources_rc`` are gone in Qt6.
- ``QT6-exec``: ``exec_()`` is gone; call ``exec()``.
- ``QT6-renamed-enum``: ``Qt.MidButton``, ``Qt.TextColorRole``, ``Qt.BackgroundColorRole``,
  ``QPainter.HighQualityAntialiasing`` were removed.
- ``QT6-qvariant-type``: ``QVariant.Int`` and the other ``QVariant.Type`` values are gone (QMetaType
  in Qt6); only ``grid_plugin/compat.py`` may name them, behind its version gate.
- ``QT6-unscoped-enum``: PyQt6 and QGIS 4 only know fully scoped enums: ``Qt.AlignmentFlag.AlignLeft``,
  not ``Qt.AlignLeft``; ``QgsWkbTypes.GeometryType.PolygonGeometry``, not
  ``QgsWkbTypes.PolygonGeometry``. Found by looking the name up in the running QGIS: a
  ``Class.VALUE`` whose value is an enum member and not an enum type is unscoped. Run the scan
  under each QGIS version the plugin supports (the test command does, for 3.22 and 3.40).
- ``QT6-api``: ``activated[str]`` signals and ``QFontMetrics.width()`` are gone.

The scan covers the code that ships in the plugin: ``__init__.py``, ``grid_plugin/`` and
``processing/``.
"""

from __future__ import annotations

import argparse
import ast
import enum
import importlib
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ("__init__.py", "grid_plugin", "processing")
#: The one module allowed to name version-specific Qt/QGIS API, behind named version gates.
COMPAT_MODULE = Path("grid_plugin") / "compat.py"

FORBIDDEN_TOP_MODULES = {"PyQt5", "PyQt6", "sip", "PySide2", "PySide6"}
PRIVATE_QGIS_MODULES = {"qgis._core", "qgis._gui", "qgis._analysis", "qgis._3d"}
MOVED_TO_QTGUI = {
    "QAction",
    "QActionGroup",
    "QShortcut",
    "QUndoCommand",
    "QUndoGroup",
    "QUndoStack",
    "QFileSystemModel",
}
REMOVED_NAMES = {
    "QRegExp": "QRegExp is removed in Qt6; use QRegularExpression",
    "QRegExpValidator": "QRegExpValidator is removed in Qt6; use QRegularExpressionValidator",
    "QDesktopWidget": "QDesktopWidget is removed in Qt6; use QScreen (QApplication.primaryScreen())",
    "qApp": "qApp is removed in Qt6; use QApplication.instance()",
    "QTextCodec": "QTextCodec is removed in Qt6; use Python's codecs",
    "resources_rc": "compiled resources are not supported in Qt6; load files by path",
}
RENAMED_ENUMS = {
    ("Qt", "MidButton"): "Qt.MouseButton.MiddleButton",
    ("Qt", "TextColorRole"): "Qt.ItemDataRole.ForegroundRole",
    ("Qt", "BackgroundColorRole"): "Qt.ItemDataRole.BackgroundRole",
    ("QPainter", "HighQualityAntialiasing"): "QPainter.RenderHint.Antialiasing",
}


@dataclass(frozen=True)
class Finding:
    """One line of the scan's report."""

    path: str
    line: int
    rule: str
    message: str
    #: For unscoped enums: (line, byte column where the member name starts, scope to insert).
    fix: tuple[int, int, str] | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.rule} {self.message}"


def _is_enum_type(obj) -> bool:
    """True for a PyQt5 sip enum type or a Python ``enum.Enum`` type (PyQt6, QGIS scoped enums)."""
    if not isinstance(obj, type):
        return False
    if issubclass(obj, enum.Enum):
        return True
    return type(obj).__name__ == "enumtype"  # sip's metaclass of PyQt5 enums


def _is_enum_member(value) -> bool:
    return not isinstance(value, type) and _is_enum_type(type(value))


class _ImportedNames:
    """Names a module imports from QGIS and Qt, resolved to the live objects of the running QGIS."""

    def __init__(self):
        self.objects: dict[str, object] = {}

    def add_from(self, module: str, names: list[ast.alias]) -> None:
        if not (module == "qgis" or module.startswith("qgis.")):
            return
        try:
            imported = importlib.import_module(module)
        except Exception:  # noqa: BLE001 - a module this QGIS lacks: nothing to resolve
            return
        for alias in names:
            if alias.name == "*":
                continue
            if not hasattr(imported, alias.name):  # a submodule: from qgis.PyQt import QtCore
                try:
                    importlib.import_module(f"{module}.{alias.name}")
                except Exception:  # noqa: BLE001
                    continue
            if hasattr(imported, alias.name):
                self.objects[alias.asname or alias.name] = getattr(imported, alias.name)

    def add_import(self, names: list[ast.alias]) -> None:
        for alias in names:
            if alias.name.startswith("qgis.") and alias.asname:
                try:
                    self.objects[alias.asname] = importlib.import_module(alias.name)
                except Exception:  # noqa: BLE001
                    continue

    def resolve(self, node: ast.expr):
        """The live object a ``Name`` or dotted ``Attribute`` chain stands for, or ``None``."""
        if isinstance(node, ast.Name):
            return self.objects.get(node.id)
        if isinstance(node, ast.Attribute):
            owner = self.resolve(node.value)
            return None if owner is None else getattr(owner, node.attr, None)
        return None


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return "…"


def _scoped_name(owner, value) -> str | None:
    """The attribute of ``owner`` that is the enum type of ``value`` (``AlignmentFlag``), if any."""
    enum_type = type(value)
    for name in dir(owner):
        try:
            if getattr(owner, name) is enum_type:
                return name
        except Exception:  # noqa: BLE001 - some sip attributes raise on access
            continue
    return None


def _check_imports(node, rel: str, add) -> None:
    if isinstance(node, ast.Import):
        for alias in node.names:
            top = alias.name.split(".")[0]
            if top in FORBIDDEN_TOP_MODULES:
                add(node, "QT6-import", f"import {alias.name}: import Qt only through qgis.PyQt")
            if alias.name in PRIVATE_QGIS_MODULES:
                add(node, "QT6-import", f"import {alias.name}: QGIS's private module; use qgis.core/qgis.gui")
        return
    module = node.module or ""
    if module.split(".")[0] in FORBIDDEN_TOP_MODULES:
        add(node, "QT6-import", f"from {module} import ...: import Qt only through qgis.PyQt")
    if module in PRIVATE_QGIS_MODULES:
        add(node, "QT6-import", f"from {module} import ...: QGIS's private module; use qgis.core/qgis.gui")
    for alias in node.names:
        if alias.name in REMOVED_NAMES:
            add(node, "QT6-removed", REMOVED_NAMES[alias.name])
        if module.endswith("QtWidgets") and alias.name in MOVED_TO_QTGUI and rel != str(COMPAT_MODULE):
            add(node, "QT6-moved", f"{alias.name} moved to QtGui in Qt6; import it from grid_plugin.compat")


def _check_attribute(node: ast.Attribute, parent, names: _ImportedNames, rel: str, add) -> None:
    if isinstance(node.value, ast.Name):
        key = (node.value.id, node.attr)
        if key in RENAMED_ENUMS:
            add(node, "QT6-renamed-enum", f"{key[0]}.{key[1]} is removed in Qt6; use {RENAMED_ENUMS[key]}")
            return
        if node.value.id == "QVariant" and node.attr[:1].isupper() and rel != str(COMPAT_MODULE):
            add(
                node, "QT6-qvariant-type", f"QVariant.{node.attr}: QVariant.Type is gone in Qt6; use grid_plugin.compat"
            )
            return
        if node.value.id in REMOVED_NAMES:
            add(node, "QT6-removed", REMOVED_NAMES[node.value.id])
    if node.attr == "exec_":
        add(node, "QT6-exec", "exec_() is removed in PyQt6; call exec()")
        return
    if node.attr == "width" and isinstance(node.value, ast.Call):
        func = node.value.func
        if (isinstance(func, ast.Attribute) and func.attr == "fontMetrics") or (
            isinstance(func, ast.Name) and func.id in ("QFontMetrics", "QFontMetricsF")
        ):
            add(node, "QT6-api", "QFontMetrics.width() is removed in Qt6; use horizontalAdvance()")
    owner = names.resolve(node.value)
    if owner is None or _is_enum_type(owner) or not isinstance(owner, type):
        return
    try:
        value = getattr(owner, node.attr)
    except Exception:  # noqa: BLE001 - unknown in this QGIS: nothing to say
        return
    if _is_enum_member(value):
        scope = _scoped_name(owner, value)
        hint = f"{_dotted(node.value)}.{scope}.{node.attr}" if scope else f"{type(value).__qualname__}.{node.attr}"
        fix = (node.end_lineno, node.end_col_offset - len(node.attr), scope) if scope else None
        add(node, "QT6-unscoped-enum", f"{_dotted(node)} is an unscoped enum; write {hint}", fix)


def _check_scoped_exists(node: ast.Attribute, names: _ImportedNames, add) -> None:
    """``Class.Enum.VALUE`` where ``Class.Enum`` is an enum type of this QGIS that lacks ``VALUE``."""
    owner = names.resolve(node.value)
    if owner is not None and _is_enum_type(owner) and not hasattr(owner, node.attr):
        add(node, "QT6-missing-enum", f"{_dotted(node)} does not exist in this QGIS; go through grid_plugin.compat")


def scan_source(source: str, rel: str) -> list[Finding]:
    """All findings in one module's source text (``rel`` is its path relative to the plugin root)."""
    tree = ast.parse(source, filename=rel)
    findings: list[Finding] = []

    def add(node, rule, message, fix=None):
        findings.append(Finding(rel, node.lineno, rule, message, fix))

    names = _ImportedNames()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            names.add_from(node.module or "", node.names)
        elif isinstance(node, ast.Import):
            names.add_import(node.names)
    for parent in ast.walk(tree):
        for node in ast.iter_child_nodes(parent):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                _check_imports(node, rel, add)
            elif isinstance(node, ast.Attribute):
                _check_attribute(node, parent, names, rel, add)
                _check_scoped_exists(node, names, add)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == "exec_":
                add(node, "QT6-exec", "a method named exec_ is never called by PyQt6; name it exec")
            elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute):
                if node.value.attr == "activated" and isinstance(node.slice, ast.Name) and node.slice.id == "str":
                    add(node, "QT6-api", "activated[str] is removed in Qt6; use textActivated")
    return sorted(set(findings), key=lambda f: (f.path, f.line, f.rule, f.message))


def fix_source(source: str, findings: list[Finding]) -> str:
    """``source`` with every unscoped enum that has a known scope rewritten (``Qt.AlignLeft`` ->
    ``Qt.AlignmentFlag.AlignLeft``). Columns are UTF-8 byte offsets, as ``ast`` reports them."""
    lines = source.encode("utf-8").split(b"\n")
    fixes = sorted({f.fix for f in findings if f.fix}, reverse=True)
    for line, column, scope in fixes:
        text = lines[line - 1]
        lines[line - 1] = text[:column] + scope.encode() + b"." + text[column:]
    return b"\n".join(lines).decode("utf-8")


def shipped_files(root: Path = ROOT) -> list[Path]:
    """The plugin's Python files that ship in the zip (tests, scripts and benchmarks do not)."""
    files: list[Path] = []
    for entry in SHIPPED:
        path = root / entry
        files.extend([path] if path.is_file() else sorted(path.rglob("*.py")))
    return files


def scan(paths: list[Path] | None = None, root: Path = ROOT) -> list[Finding]:
    """Scan ``paths`` (default: every shipped module) and return the findings."""
    findings: list[Finding] = []
    for path in paths or shipped_files(root):
        rel = str(path.resolve().relative_to(root)) if path.resolve().is_relative_to(root) else str(path)
        findings.extend(scan_source(path.read_text(encoding="utf-8"), rel))
    return findings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="files to scan (default: the shipped plugin code)")
    parser.add_argument("--fix", action="store_true", help="rewrite unscoped enums in place where the scope is known")
    args = parser.parse_args(argv)
    findings = scan(args.paths or None)
    if args.fix:
        for rel in sorted({f.path for f in findings if f.fix}):
            path = ROOT / rel
            path.write_text(
                fix_source(path.read_text(encoding="utf-8"), [f for f in findings if f.path == rel]), "utf-8"
            )
        findings = scan(args.paths or None)
    for finding in findings:
        print(finding)
    from qgis.core import Qgis

    print(f"qt6_scan: {len(findings)} finding(s) under QGIS {Qgis.QGIS_VERSION}", file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
