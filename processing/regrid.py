"""gridplanner:regrid — stable re-gridding of an existing plan for updated households."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from ..grid_plugin import qgis_io
from ..grid_plugin.compat import vector_any_type, vector_line_type, vector_polygon_type
from ..grid_plugin.core.errors import N_, InputError
from ..grid_plugin.core.inputs import check_code_field, check_grid_count
from ..grid_plugin.i18n import tr
from .base import (
    GRID_FIELD_ALIASES,
    GridPlannerAlgorithm,
    checked_frame,
    checked_numbers,
    given_layer_count,
    numeric_field_parameter,
    report_barriers,
    style_output,
    target_load_parameter,
    tolerance_parameter,
)

#: Chinese aliases of the output fields (shared by the difference-principle algorithms).
FIELD_ALIASES = {
    **GRID_FIELD_ALIASES,
    "grid_type": "网格类型代码",
    "grid_type_zh": "网格类型",
    "load": "户数",
    "target_load": "目标户数",
    "status": "变更状态",
    "old_load": "原户数",
    "new_load": "新户数",
    "households_in": "迁入户数",
    "households_out": "迁出户数",
    "area_change_m2": "面积变化(平方米)",
    "locked": "锁定",
    "village_id": "自然村序号",
    "site_name": "专属场所名称",
    "level": "层级",
    "n_grids": "末级网格数",
    "n_children": "下级网格数",
    "name": "名称",
    "old_code": "原编码",
}


def finish_output(context, layer_id, qml_name: str = "", layer_name: str | None = None) -> None:
    """Ask QGIS to alias (and style, when ``qml_name`` is given) the output ``layer_id`` when it loads it."""
    style_output(context, layer_id, qml_name, layer_name, aliases=FIELD_ALIASES)


def read_layer(algorithm, parameters, key, context, feedback, target_crs=None, report=None, fields=None):
    """Read a source parameter into a GeoDataFrame, reprojected to ``target_crs`` (None when not given)."""
    source = algorithm.parameterAsSource(parameters, key, context)
    if source is None:
        return None
    if fields is None:  # a GeoPackage's own "fid" column would collide with the feature id column
        fields = [f.name() for f in source.fields() if f.name().lower() != "fid"]
    frame = qgis_io.source_to_gdf(source, field_names=fields, feedback=feedback)
    if target_crs is not None and frame.crs is not None and frame.crs != target_crs and len(frame):
        if report is not None:
            report.info(
                N_("Reprojected the layer {name} from {source} to {target}."),
                name=key.lower(),
                source=frame.crs.to_string(),
                target=target_crs.to_string(),
            )
        frame = frame.to_crs(target_crs)
    return checked_frame(algorithm, key, frame, report)


def write_sink(algorithm, parameters, key, context, frame, crs, feedback):
    """Write ``frame`` to the sink parameter ``key``; return its destination id."""
    if "fid" in frame.columns:
        frame = frame.drop(columns="fid")
    fields = qgis_io.fields_for_frame(frame, aliases=FIELD_ALIASES)
    sink, dest_id = algorithm.parameterAsSink(
        parameters, key, context, fields, qgis_io.wkb_type_for(frame), qgis_io.pyproj_to_qgis_crs(crs)
    )
    if sink is None:
        return None
    qgis_io.write_frame_to_sink(frame, sink, fields, feedback)
    sink.flushBuffer() if hasattr(sink, "flushBuffer") else None
    return dest_id


class RegridAlgorithm(GridPlannerAlgorithm):
    """Re-grid an existing plan: keep grids within tolerance, re-partition only the others."""

    NAME = "regrid"
    DISPLAY_NAME = "Re-grid with stability"
    GROUP_ID = "grids"
    GROUP = "Design grids"
    SHORT_HELP = (
        "Updates an existing grid plan for new buildings or household counts while changing as little as "
        "possible. Every grid whose load is still within the tolerance of the target (or that is locked) is "
        "kept with its geometry and code. Only neighbouring groups of grids out of tolerance are re-partitioned "
        "along roads and rivers; new grids are matched to the old codes by the households they share, extra "
        "grids get new serials above the highest serial ever used under the same 12-digit parent (a retired code "
        "is never reused). The plan's codes must be 15-digit grid codes (the parent's 12-digit 统计用区划代码 + a "
        "3-digit serial, as gridplanner:partition and gridplanner:assigncodes write them). Outputs the new plan "
        "and a change table (kept / changed / new / retired, households moved in and out)."
    )

    PLAN = "PLAN"
    CODE_FIELD = "CODE_FIELD"
    PARENT_FIELD = "PARENT_FIELD"
    LOCKED_FIELD = "LOCKED_FIELD"
    BUILDINGS = "BUILDINGS"
    LOAD_FIELD = "LOAD_FIELD"
    BARRIERS = "BARRIERS"
    TARGET_LOAD = "TARGET_LOAD"
    TOLERANCE = "TOLERANCE"
    RETIRED_CODES = "RETIRED_CODES"
    SEED = "SEED"
    OUTPUT = "OUTPUT"
    CHANGES = "CHANGES"

    def initAlgorithm(self, config=None):  # noqa: N802
        """Declare the parameters."""
        self.addParameter(
            QgsProcessingParameterFeatureSource(self.PLAN, tr("Existing grid plan"), [vector_polygon_type()])
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.CODE_FIELD,
                tr("Grid code field (empty: grid_code)"),
                defaultValue="grid_code",
                parentLayerParameterName=self.PLAN,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.PARENT_FIELD,
                tr("Parent code field (grids never move across parents)"),
                parentLayerParameterName=self.PLAN,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.LOCKED_FIELD,
                tr("Locked field (true: keep the grid whatever its load)"),
                parentLayerParameterName=self.PLAN,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.BUILDINGS, tr("Updated buildings (with households)"), [vector_any_type()]
            )
        )
        self.addParameter(
            numeric_field_parameter(
                self.LOAD_FIELD, tr("Household field (empty: households)"), self.BUILDINGS, default="households"
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.BARRIERS, tr("Barrier lines (roads, rivers, railways)"), [vector_line_type()], optional=True
            )
        )
        self.addParameter(target_load_parameter(self.TARGET_LOAD))
        self.addParameter(tolerance_parameter(self.TOLERANCE))
        self.addParameter(
            QgsProcessingParameterString(
                self.RETIRED_CODES, tr("Codes retired earlier (comma-separated, never reused)"), optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(self.SEED, tr("Random seed"), QgsProcessingParameterNumber.Type.Integer, 0)
        )
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT, tr("New grid plan")))
        self.addParameter(QgsProcessingParameterFeatureSink(self.CHANGES, tr("Change table")))
        for key, label in (
            ("KEPT", "Grids kept"),
            ("CHANGED", "Grids changed"),
            ("NEW", "Grids added"),
            ("RETIRED", "Grids retired"),
            ("HOUSEHOLDS_MOVED", "Households moved"),
        ):
            self.addOutput(QgsProcessingOutputNumber(key, tr(label)))

    def work(self, parameters, context, feedback, report):
        """Read the layers, re-grid, write the plan and the change table."""
        from ..grid_plugin.core.partition.regrid import regrid

        plan = read_layer(self, parameters, self.PLAN, context, feedback, report=report)
        if plan is None or not len(plan):
            raise InputError(N_("The existing plan is empty; choose a grid layer with at least one grid."))
        crs = plan.crs
        buildings = read_layer(self, parameters, self.BUILDINGS, context, feedback, target_crs=crs, report=report)
        if buildings is None or not len(buildings):
            raise InputError(N_("The building layer is empty; choose a layer with buildings and households."))
        load_field = self.parameterAsString(parameters, self.LOAD_FIELD, context) or "households"
        buildings = checked_numbers(self, self.BUILDINGS, buildings, load_field, report)
        check_grid_count(
            float(buildings[load_field].sum()), self.parameterAsDouble(parameters, self.TARGET_LOAD, context)
        )
        barriers = read_layer(self, parameters, self.BARRIERS, context, feedback, target_crs=crs, report=report)
        counts = [] if barriers is None else [(self.BARRIERS.lower(), len(barriers))]
        report_barriers(report, counts, n_given=given_layer_count(parameters, self.BARRIERS))
        retired_text = self.parameterAsString(parameters, self.RETIRED_CODES, context) or ""
        retired = [c.strip() for c in retired_text.replace(";", ",").split(",") if c.strip()]
        code_field = self.parameterAsString(parameters, self.CODE_FIELD, context) or "grid_code"
        check_code_field(code_field)
        result = regrid(
            plan.drop(columns="fid"),
            buildings,
            barriers,
            load_field=load_field,
            code_field=code_field,
            parent_field=self.parameterAsString(parameters, self.PARENT_FIELD, context) or None,
            locked_field=self.parameterAsString(parameters, self.LOCKED_FIELD, context) or None,
            target_load=self.parameterAsDouble(parameters, self.TARGET_LOAD, context),
            tolerance=self.parameterAsDouble(parameters, self.TOLERANCE, context),
            retired_codes=retired,
            seed=self.parameterAsInt(parameters, self.SEED, context),
            report=report,
        )
        report.check_cancelled()
        out = write_sink(self, parameters, self.OUTPUT, context, result.plan, crs, feedback)
        changes = write_sink(self, parameters, self.CHANGES, context, result.changes, crs, feedback)
        finish_output(context, out, "grid_types.qml")
        finish_output(context, changes)
        summary = result.summary
        return {
            self.OUTPUT: out,
            self.CHANGES: changes,
            "KEPT": summary["kept"],
            "CHANGED": summary["changed"],
            "NEW": summary["new"],
            "RETIRED": summary["retired"],
            "HOUSEHOLDS_MOVED": summary["households_moved"],
        }
