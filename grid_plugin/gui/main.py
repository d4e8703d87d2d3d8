"""The desktop entry points: a Grid Planner menu and toolbar that open the tools."""

from __future__ import annotations

import functools

from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QIcon

from ...processing.provider import ICON_PATH, PROVIDER_ID
from ..compat import QAction
from ..i18n import tr


class GridPlannerGui:
    """Menu actions that open each Grid Planner algorithm's dialog, and the editing panel."""

    def __init__(self, iface):
        self.iface = iface
        self.actions: list[QAction] = []
        self.toolbar_actions: list[QAction] = []
        self.editing_panel = None
        self.editing_action: QAction | None = None

    def init_gui(self):
        """Add the editing panel (menu + toolbar) and one menu action per algorithm of the provider."""
        from qgis.core import QgsApplication

        self._init_editing_panel()

        provider = QgsApplication.processingRegistry().providerById(PROVIDER_ID)
        if provider is None:
            return
        for algorithm in provider.algorithms():
            action = QAction(QIcon(str(ICON_PATH)), algorithm.displayName(), self.iface.mainWindow())
            action.triggered.connect(functools.partial(self.open_algorithm, algorithm.id()))
            self.iface.addPluginToMenu(tr("&Grid Planner"), action)
            self.actions.append(action)

    def open_algorithm(self, algorithm_id: str, _checked: bool = False):
        """Open the Processing dialog of ``algorithm_id``, its layer inputs set to the likely layers."""
        from qgis.core import QgsApplication

        from processing import execAlgorithmDialog  # QGIS's own processing package

        from .layer_guess import initial_parameters

        algorithm = QgsApplication.processingRegistry().algorithmById(algorithm_id)
        execAlgorithmDialog(algorithm_id, initial_parameters(algorithm) if algorithm is not None else {})

    def _init_editing_panel(self):
        from .editing_panel import GridEditingPanel

        self.editing_panel = GridEditingPanel(self.iface, parent=self.iface.mainWindow())
        self.iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.editing_panel)
        self.editing_panel.hide()
        action = QAction(QIcon(str(ICON_PATH)), tr("Grid editing panel"), self.iface.mainWindow())
        action.setCheckable(True)
        action.setToolTip(tr("Edit grids by hand with live load and deviation"))
        action.toggled.connect(self.editing_panel.setUserVisible)
        self.editing_panel.visibilityChanged.connect(action.setChecked)
        self.iface.addPluginToMenu(tr("&Grid Planner"), action)
        self.iface.addToolBarIcon(action)
        self.editing_action = action
        self.actions.append(action)
        self.toolbar_actions.append(action)

    def show_editing_panel(self):
        """Open the editing panel (and return it)."""
        if self.editing_panel is not None:
            self.editing_panel.setUserVisible(True)
            self.editing_panel.raise_()
        return self.editing_panel

    def unload(self):
        """Remove the menu and toolbar actions and the editing panel."""
        for action in self.toolbar_actions:
            _iface_call(self.iface, "removeToolBarIcon", action)
        self.toolbar_actions = []
        for action in self.actions:
            _iface_call(self.iface, "removePluginMenu", tr("&Grid Planner"), action)
            action.deleteLater()
        self.actions = []
        if self.editing_panel is not None:
            self.editing_panel.stop()
            self.editing_panel._toggle_tool(False)
            self.editing_panel.release_canvas_items()
            _iface_call(self.iface, "removeDockWidget", self.editing_panel)
            self.editing_panel.deleteLater()
            self.editing_panel = None


def _iface_call(iface, name: str, *args):
    """Call ``iface.name(*args)``; test stand-ins of QgisInterface lack some removal methods."""
    method = getattr(iface, name, None)
    if method is not None:
        method(*args)
