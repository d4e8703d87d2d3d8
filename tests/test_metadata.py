"""metadata.txt holds what the official plugin repository requires."""

import configparser

from helpers import ROOT

REQUIRED = ["name", "qgisMinimumVersion", "description", "about", "version", "author", "email", "repository", "tracker"]


def read_metadata():
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ROOT / "metadata.txt", encoding="utf-8")
    return parser["general"]


def test_required_keys_present_and_non_empty():
    meta = read_metadata()
    for key in REQUIRED:
        assert meta.get(key, "").strip(), f"metadata.txt lacks {key}"


def test_values_the_plugin_depends_on():
    meta = read_metadata()
    assert meta["qgisMinimumVersion"] == "3.22"
    assert meta["hasProcessingProvider"] == "yes"
    assert "网格规划" in meta["name"] and "网格规划" in meta["about"]
    assert meta["experimental"] in ("True", "False")
    assert (ROOT / meta["icon"]).exists()
    assert meta["version"] in meta["changelog"], "the changelog must mention the current version"


def test_declares_qgis4_and_qt6_support():
    # QGIS 4 (Qt6) lists only plugins that declare Qt6 support; the maximum must admit 4.x.
    meta = read_metadata()
    assert meta["supportsQt6"] == "True"
    major, minor = (int(part) for part in meta["qgisMaximumVersion"].split("."))
    assert (major, minor) >= (4, 0) and major < 5


def test_root_init_holds_only_class_factory():
    import ast

    tree = ast.parse((ROOT / "__init__.py").read_text(encoding="utf-8"))
    functions = [node.name for node in tree.body if isinstance(node, ast.FunctionDef)]
    others = [node for node in tree.body if not isinstance(node, (ast.FunctionDef, ast.Expr))]
    assert functions == ["classFactory"] and not others
