"""The desktop entry points: a Grid Planner menu and toolbar that open the tools."""

from __future__ import annotations

import functools

from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction

from ...processing.provider import ICON_PATH, PROVIDER_ID
from ..i18n import tr


class GridPlannerGui:
    """Menu actions that open each Grid Planner algorithm's dialog."""

    def __init__(self, iface):
        self.iface = iface
        self.actions: list[QAction] = []

    def init_gui(self):
        """Add one menu action per algorithm of the provider."""
        from qgis.core import QgsApplication

        provider = QgsApplication.processingRegistry().providerById(PROVIDER_ID)
        if provider is None:
            return
        for algorithm in provider.algorithms():
            action = QAction(QIcon(str(ICON_PATH)), algorithm.displayName(), self.iface.mainWindow())
            action.triggered.connect(functools.partial(self.open_algorithm, algorithm.id()))
            self.iface.addPluginToMenu(tr("&Grid Planner"), action)
            self.actions.append(action)

    def open_algorithm(self, algorithm_id: str, _checked: bool = False):
        """Open the Processing dialog of ``algorithm_id``."""
        from processing import execAlgorithmDialog  # QGIS's own processing package

        execAlgorithmDialog(algorithm_id, {})

    def unload(self):
        """Remove the menu actions."""
        for action in self.actions:
            self.iface.removePluginMenu(tr("&Grid Planner"), action)
            action.deleteLater()
        self.actions = []
