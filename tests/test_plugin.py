"""The plugin loads into QGIS, registers its provider and unloads cleanly."""

import sys

import gridplanner
from helpers import ensure_provider
from qgis.core import QgsApplication


def test_processing_is_qgis_own_package(qgis_processing):
    import processing

    assert hasattr(processing, "run"), "QGIS's processing package is shadowed"
    assert "gridplanner" not in (processing.__file__ or "")


def test_load_and_unload_with_iface(qgis_iface, qgis_processing):
    registry = QgsApplication.processingRegistry()
    # Another test may have registered the provider already; start from a registry without it.
    existing = registry.providerById("gridplanner")
    if existing is not None:
        registry.removeProvider(existing)
    plugin = gridplanner.classFactory(qgis_iface)
    plugin.initGui()
    try:
        provider = registry.providerById("gridplanner")
        assert provider is not None
        assert provider.load_errors == []
        assert provider.id() == "gridplanner"
    finally:
        plugin.unload()
    assert registry.providerById("gridplanner") is None
    ensure_provider()  # leave the provider registered for the tests that follow


def test_missing_dependency_gives_message_not_traceback(qgis_iface, monkeypatch):
    from gridplanner.grid_plugin import deps
    from gridplanner.grid_plugin.plugin import MissingDependenciesPlugin

    monkeypatch.setitem(sys.modules, "geopandas", None)  # import geopandas now raises ImportError
    problem = deps.dependency_problem()
    assert problem is not None
    message = deps.dependency_message()
    assert "geopandas (missing)" in message
    # The command for this platform (pip here on Debian 12; apt on Debian 13 under QGIS 3.40).
    assert deps.install_command(["geopandas>=1.0,<2"]) in message
    plugin = gridplanner.classFactory(qgis_iface)
    assert isinstance(plugin, MissingDependenciesPlugin)
    plugin.initGui()  # must not raise
    plugin.unload()


def test_zh_cn_translator_translates(qgis_app):
    from gridplanner.grid_plugin import i18n

    assert i18n.install_translator("zh_CN")
    try:
        assert i18n.tr("Grids") == "网格"
        assert "重启" in i18n.tr_message(*_problem())
    finally:
        i18n.remove_translators()
    assert i18n.tr("Grids") == "Grids"


def _problem():
    from gridplanner.grid_plugin.deps import DEPENDENCY_TEMPLATE

    return DEPENDENCY_TEMPLATE, {"found": "shapely (missing)", "command": "pip install shapely"}


def test_geos_mismatch_is_detected_with_the_fix():
    import shapely
    from gridplanner.grid_plugin.deps import geos_problem

    ours = tuple(shapely.geos_version[:2])
    assert geos_problem(ours, "same") is None
    problem = geos_problem((ours[0], ours[1] + 1), "9.99.0-CAPI")
    assert problem is not None
    template, params = problem
    message = template.format(**params)
    assert "9.99.0-CAPI" in message and ".".join(map(str, shapely.geos_version)) in message
    assert "--no-binary shapely" in message or "pip install" in message


def test_this_setup_has_no_geos_mismatch(qgis_app):
    from gridplanner.grid_plugin.plugin import geos_mismatch_message

    # scripts/setup.sh builds shapely against the GEOS QGIS links, so no warning here.
    assert geos_mismatch_message() is None
