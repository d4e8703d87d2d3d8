"""The QGIS plugin object: registers the Processing provider and the desktop UI."""

from __future__ import annotations

from qgis.core import Qgis, QgsApplication, QgsMessageLog

from .deps import dependency_problem, geos_problem


def create_plugin(iface):
    """Return :class:`GridPlannerPlugin`, or :class:`MissingDependenciesPlugin` if packages lack."""
    problem = dependency_problem()
    if problem:
        from .i18n import install_translator, tr_message

        install_translator()
        return MissingDependenciesPlugin(iface, tr_message(*problem))
    return GridPlannerPlugin(iface)


class MissingDependenciesPlugin:
    """Stands in when shapely/geopandas are missing: explains how to install them, never crashes."""

    def __init__(self, iface, message: str):
        self.iface = iface
        self.message = message

    def initProcessing(self):  # noqa: N802
        """Log why no algorithms are available (qgis_process has no message bar)."""
        QgsMessageLog.logMessage(self.message, "Grid Planner", Qgis.MessageLevel.Critical)

    def initGui(self):  # noqa: N802
        """Show the message in the message bar and the log."""
        from .i18n import tr

        self.initProcessing()
        if self.iface is not None:
            self.iface.messageBar().pushMessage(
                tr("Grid Planner"),
                tr("Missing Python packages; see the log (Grid Planner tab) for the install command.")
                + "\n"
                + self.message,
                Qgis.MessageLevel.Critical,
                0,
            )

    def unload(self):
        """Nothing to undo."""


def geos_mismatch_message() -> str | None:
    """A translated warning when shapely's GEOS is not the GEOS this QGIS links, else None."""
    from .i18n import tr_message

    problem = geos_problem((Qgis.geosVersionMajor(), Qgis.geosVersionMinor()), Qgis.geosVersion())
    return tr_message(*problem) if problem else None


class GridPlannerPlugin:
    """Grid Planner inside QGIS desktop (initGui) or headless (initProcessing)."""

    def __init__(self, iface):
        self.iface = iface
        self.provider = None
        self.gui = None
        self.geos_warning: str | None = None

    def initProcessing(self):  # noqa: N802
        """Register the provider so algorithms work without a GUI (qgis_process)."""
        from .i18n import install_translator

        if self.provider is not None:
            return
        install_translator()
        self.geos_warning = geos_mismatch_message()
        if self.geos_warning:
            QgsMessageLog.logMessage(self.geos_warning, "Grid Planner", Qgis.MessageLevel.Warning)
        from ..processing.provider import GridPlannerProvider

        self.provider = GridPlannerProvider()
        QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self):  # noqa: N802
        """Register the provider and the desktop UI (dock panel, menu)."""
        self.initProcessing()
        if self.iface is None:
            return
        if self.geos_warning:
            from .i18n import tr

            self.iface.messageBar().pushMessage(tr("Grid Planner"), self.geos_warning, Qgis.MessageLevel.Warning, 0)
        from .gui.main import GridPlannerGui

        self.gui = GridPlannerGui(self.iface)
        self.gui.init_gui()

    def unload(self):
        """Remove everything initGui and initProcessing added."""
        from .i18n import remove_translators

        if self.gui is not None:
            self.gui.unload()
            self.gui = None
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        remove_translators()
