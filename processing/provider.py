"""The Processing provider ``gridplanner``: registers every Grid Planner algorithm."""

from __future__ import annotations

import importlib
from pathlib import Path

from qgis.core import Qgis, QgsMessageLog, QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from ..grid_plugin.i18n import tr

PROVIDER_ID = "gridplanner"
ICON_PATH = Path(__file__).resolve().parent.parent / "icon.png"

#: (module under ``processing/``, class name). One module, one algorithm.
ALGORITHMS = [
    # Each line is added by the issue that builds the algorithm; keep the list sorted by module.
    ("assess", "AssessAlgorithm"),
    ("assigncodes", "AssignCodesAlgorithm"),
    ("classify", "ClassifyAlgorithm"),
    ("compareplans", "ComparePlansAlgorithm"),
    ("estimatehouseholds", "EstimateHouseholdsAlgorithm"),
    ("exportmap", "ExportMapAlgorithm"),
    ("exportregister", "ExportRegisterAlgorithm"),
    ("importroll", "ImportRollAlgorithm"),
    ("incidentheatmap", "IncidentHeatmapAlgorithm"),
    ("incidentstats", "IncidentStatsAlgorithm"),
    ("multilevel", "MultilevelAlgorithm"),
    ("partition", "PartitionAlgorithm"),
    ("partitionbytype", "PartitionByTypeAlgorithm"),
    ("planreport", "PlanReportAlgorithm"),
    ("prepareosm", "PrepareOsmAlgorithm"),
    ("regrid", "RegridAlgorithm"),
    ("validate", "ValidateAlgorithm"),
]


class GridPlannerProvider(QgsProcessingProvider):
    """Grid Planner's algorithms in the Processing Toolbox, models, batch mode and qgis_process."""

    def __init__(self):
        super().__init__()
        self.load_errors: list[str] = []

    def id(self):
        """The provider id used in algorithm ids (``gridplanner:…``)."""
        return PROVIDER_ID

    def name(self):
        """The translated provider name."""
        return tr("Grid Planner (网格规划)")

    def longName(self):  # noqa: N802
        """The name with the version."""
        return tr("Grid Planner (网格规划) — management grid design")

    def icon(self):
        """The plugin icon."""
        return QIcon(str(ICON_PATH))

    def loadAlgorithms(self):  # noqa: N802
        """Add one instance of every algorithm; a module that fails to import is logged, not fatal."""
        self.load_errors = []
        for module_name, class_name in ALGORITHMS:
            try:
                module = importlib.import_module(f"..{module_name}", __name__)
                self.addAlgorithm(getattr(module, class_name)())
            except Exception as error:  # noqa: BLE001 - one broken algorithm must not hide the rest
                message = f"Grid Planner could not load {module_name}.{class_name}: {error!r}"
                self.load_errors.append(message)
                QgsMessageLog.logMessage(message, "Grid Planner", Qgis.MessageLevel.Critical)
