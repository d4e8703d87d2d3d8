"""Grid Planner (网格规划) QGIS plugin entry point."""


def classFactory(iface):  # noqa: N802 - name fixed by QGIS
    """Return the plugin instance QGIS asks for (or a notice when dependencies are missing)."""
    from .grid_plugin.plugin import create_plugin

    return create_plugin(iface)
