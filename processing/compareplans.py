"""gridplanner:compareplans — two plans of one area: kept, changed, new and retired grids; households moved."""

from __future__ import annotations

from qgis.core import (
    QgsProcessing,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
)

from ..grid_plugin.compat import vector_any_type
from ..grid_plugin.core.assess.compare import compare_plans
from ..grid_plugin.core.errors import N_, InputError
from ..grid_plugin.i18n import tr
from .assess import advanced, polygon_param, read_source, to_metric, write_frame
from .base import GridPlannerAlgorithm, checked_numbers, numeric_field_parameter, style_output


class ComparePlansAlgorithm(GridPlannerAlgorithm):
    """Compare an old and a new grid plan and map what changed."""

    NAME = "compareplans"
    DISPLAY_NAME = "Compare grid plans"
    GROUP_ID = "assess"
    GROUP = "Assess plans"
    SHORT_HELP = (
        "Compares two grid plans of the same area. Grids are matched one to one by overlap (intersection over "
        "union): kept (IoU at least the 'kept' threshold, default 0.99), changed (the same grid with moved "
        "edges: IoU above 0.5), new (no match in the old plan) and retired (old grids with no match). Counts "
        "the households that move and between which grids (from the buildings' grid in each plan, or spread by "
        "area when no buildings are given) and whether codes were kept. Writes a change map and a table of "
        "moves."
    )

    OLD = "OLD"
    NEW = "NEW"
    BUILDINGS = "BUILDINGS"
    BUILDING_LOAD_FIELD = "BUILDING_LOAD_FIELD"
    LOAD_FIELD = "LOAD_FIELD"
    CODE_FIELD = "CODE_FIELD"
    ID_FIELD = "ID_FIELD"
    IOU_KEPT = "IOU_KEPT"
    IOU_SAME = "IOU_SAME"
    OUTPUT = "OUTPUT"
    MOVES = "MOVES"

    def initAlgorithm(self, config=None):  # noqa: N802
        """Declare the parameters."""
        self.addParameter(polygon_param(self.OLD, tr("Old grid plan")))
        self.addParameter(polygon_param(self.NEW, tr("New grid plan")))
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.BUILDINGS, tr("Buildings (polygons or points, optional)"), [vector_any_type()], optional=True
            )
        )
        self.addParameter(
            numeric_field_parameter(
                self.BUILDING_LOAD_FIELD, tr("Building household field"), self.BUILDINGS, default="households"
            )
        )
        self.addParameter(
            numeric_field_parameter(self.LOAD_FIELD, tr("Grid load field (in both plans)"), self.OLD, default="load")
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.CODE_FIELD,
                tr("Grid code field (in both plans)"),
                defaultValue="grid_code",
                parentLayerParameterName=self.OLD,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.ID_FIELD,
                tr("Grid id field (in both plans)"),
                defaultValue="grid_id",
                parentLayerParameterName=self.OLD,
                optional=True,
            )
        )
        self.addParameter(
            advanced(
                QgsProcessingParameterNumber(
                    self.IOU_KEPT,
                    tr("Overlap (IoU) for a grid to count as kept"),
                    QgsProcessingParameterNumber.Type.Double,
                    0.99,
                    minValue=0.5,
                    maxValue=1.0,
                )
            )
        )
        self.addParameter(
            advanced(
                QgsProcessingParameterNumber(
                    self.IOU_SAME,
                    tr("Overlap (IoU) above which a grid is the same grid, changed"),
                    QgsProcessingParameterNumber.Type.Double,
                    0.5,
                    minValue=0.01,
                    maxValue=0.99,
                )
            )
        )
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT, tr("Change map")))
        self.addParameter(
            QgsProcessingParameterFeatureSink(self.MOVES, tr("Households moved"), QgsProcessing.SourceType.TypeVector)
        )
        for key, label in (
            ("N_KEPT", tr("Grids kept")),
            ("N_CHANGED", tr("Grids changed")),
            ("N_NEW", tr("Grids added")),
            ("N_RETIRED", tr("Grids retired")),
            ("HOUSEHOLDS_MOVED", tr("Households moved")),
            ("CODES_KEPT", tr("Codes kept")),
        ):
            self.addOutput(QgsProcessingOutputNumber(key, label))

    def work(self, parameters, context, feedback, report):
        """Compare and write the change map and the moves."""
        old = read_source(self, parameters, self.OLD, context, feedback, report=report)
        new = read_source(self, parameters, self.NEW, context, feedback, report=report)
        buildings = read_source(self, parameters, self.BUILDINGS, context, feedback, report=report)
        if old is None or len(old) == 0 or new is None or len(new) == 0:
            raise InputError(N_("Both plans need grid polygons; one of the layers is empty."))
        frames = to_metric({"old": old, "new": new, "buildings": buildings}, report)
        load_field = self.parameterAsString(parameters, self.LOAD_FIELD, context) or "load"
        building_field = self.parameterAsString(parameters, self.BUILDING_LOAD_FIELD, context) or "households"
        for name, key in (("old", self.OLD), ("new", self.NEW)):
            frames[name] = checked_numbers(self, key, frames[name], load_field, report, required=False)
        frames["buildings"] = checked_numbers(
            self, self.BUILDINGS, frames["buildings"], building_field, report, required=False
        )
        id_field = self.parameterAsString(parameters, self.ID_FIELD, context) or None
        if id_field and (id_field not in frames["old"].columns or id_field not in frames["new"].columns):
            id_field = None
        result = compare_plans(
            frames["old"].drop(columns="fid"),
            frames["new"].drop(columns="fid"),
            frames["buildings"],
            id_field=id_field,
            code_field=self.parameterAsString(parameters, self.CODE_FIELD, context) or "grid_code",
            load_field=load_field,
            building_load_field=building_field,
            iou_kept=self.parameterAsDouble(parameters, self.IOU_KEPT, context),
            iou_same=self.parameterAsDouble(parameters, self.IOU_SAME, context),
            report=report,
        )
        report.check_cancelled()
        crs = frames["old"].crs
        changes = result.changes.copy()
        for column in ("grid_id", "old_grid_id", "grid_code", "old_grid_code", "code_kept"):
            changes[column] = changes[column].astype(object).where(changes[column].notna(), None)
            if column in ("grid_id", "old_grid_id", "grid_code", "old_grid_code"):
                changes[column] = [None if v is None else str(v) for v in changes[column]]
        moves = result.moves.copy()
        for column in ("from_grid_id", "to_grid_id", "from_code", "to_code"):
            moves[column] = [None if v is None else str(v) for v in moves[column]]
        dest = write_frame(self, parameters, self.OUTPUT, context, changes, crs, feedback)
        moves_dest = write_frame(self, parameters, self.MOVES, context, moves, crs, feedback, geometry=False)
        style_output(context, dest, "plan_changes.qml", tr("Plan changes"))
        s = result.summary
        return {
            self.OUTPUT: dest,
            self.MOVES: moves_dest,
            "N_KEPT": s["kept"],
            "N_CHANGED": s["changed"],
            "N_NEW": s["new"],
            "N_RETIRED": s["retired"],
            "HOUSEHOLDS_MOVED": s["households_moved"],
            "CODES_KEPT": s["codes_kept"],
        }
