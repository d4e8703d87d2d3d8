"""gridplanner:assess — the four-principle scorecard of a grid plan (whole plan and per grid).

Also holds the small helpers the assessment algorithms share (validate, compareplans, planreport):
reading optional layers into one metric CRS, Chinese field aliases, writing frames to sinks.
"""

from __future__ import annotations

import pandas as pd
from qgis.core import (
    QgsProcessing,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
)

from ..grid_plugin import qgis_io
from ..grid_plugin.compat import vector_any_type, vector_line_type, vector_polygon_type
from ..grid_plugin.core.assess.metrics import PLAN_METRIC_KEYS
from ..grid_plugin.core.assess.scorecard import METRIC_LABELS, PRINCIPLES, VERDICTS, Thresholds, assess
from ..grid_plugin.core.errors import N_, InputError
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

#: Chinese aliases of the fields the assessment algorithms write.
FIELD_ALIASES = {
    **GRID_FIELD_ALIASES,
    "grid_type": "网格类型",
    "load": "负荷(户)",
    "within_tolerance": "在容差内",
    "perimeter_m": "周长(米)",
    "n_parts": "部分数",
    "n_holes": "孔洞数",
    "overlap_m2": "重叠面积(平方米)",
    "outside_m2": "区域外面积(平方米)",
    "n_cut_buildings": "被切割建筑数",
    "rule_ok": "符合类型规则",
    "rule_note": "类型规则说明",
    "n_problems": "问题数",
    "metric": "指标代码",
    "label_zh": "指标",
    "label_en": "指标(英文)",
    "value": "数值",
    "unit": "单位",
    "principle": "原则",
    "verdict": "评价",
    "problem_id": "问题序号",
    "kind": "问题类型代码",
    "kind_zh": "问题类型",
    "severity": "级别",
    "grid_ids": "涉及网格",
    "grid_codes": "涉及编码",
    "message": "说明",
    "status": "变化代码",
    "status_zh": "变化",
    "old_grid_id": "原网格序号",
    "old_grid_code": "原网格编码",
    "iou": "重合度(IoU)",
    "code_kept": "编码保留",
    "code_reused": "编码挪用",
    "load_old": "原负荷",
    "load_new": "新负荷",
    "households_in": "迁入户数",
    "households_out": "迁出户数",
    "related": "相关网格",
    "from_grid_id": "原网格",
    "from_code": "原编码",
    "to_grid_id": "新网格",
    "to_code": "新编码",
    "households": "户数",
    "buildings": "建筑数",
}


# --------------------------------------------------------------------------------------------------
# shared helpers
# --------------------------------------------------------------------------------------------------
def read_source(algorithm, parameters, key, context, feedback, fields=None, report=None):
    """A source parameter as a GeoDataFrame (None when the optional parameter is empty), geometries checked."""
    source = algorithm.parameterAsSource(parameters, key, context)
    if source is None:
        return None
    if fields is None:
        # GeoPackage layers expose their primary key as a field named fid, which source_to_gdf adds itself
        fields = [f.name() for f in source.fields() if f.name().lower() != "fid"]
    frame = qgis_io.source_to_gdf(source, field_names=fields, feedback=feedback)
    if frame.crs is None and len(frame):
        raise InputError(
            N_("The layer {name} has no coordinate reference system; set its CRS and run again."), name=key.lower()
        )
    return checked_frame(algorithm, key, frame, report)


def to_metric(frames: dict, report) -> dict:
    """Reproject every frame to one metric CRS: the grids' own when projected, else a local one.

    Geographic grids (e.g. CGCS2000, EPSG:4490) go to their CGCS2000 Gauss–Krüger zone (EPSG:4534–4554),
    other geographic data to UTM; layers in another CRS than the grids follow the grids.
    """
    from ..grid_plugin.core.crs import auto_metric_crs_for

    main = next(f for f in frames.values() if f is not None)
    crs = main.crs
    axis = crs.axis_info[0].unit_conversion_factor if crs.axis_info else 1.0
    if not crs.is_projected or abs(axis - 1.0) > 1e-9:
        crs = auto_metric_crs_for(main)
    if not crs.equals(main.crs):
        report.info(
            N_("The grids are in {source}; areas and lengths are measured in {target}."),
            source=main.crs.to_string(),
            target=crs.to_string(),
        )
    out = {}
    for name, frame in frames.items():
        if frame is None:
            out[name] = None
        elif frame.crs is not None and not frame.crs.equals(crs) and len(frame):
            if frame is not main:
                report.info(N_("Reprojected the layer {name} to {target}."), name=name, target=crs.to_string())
            out[name] = frame.to_crs(crs)
        else:
            out[name] = frame
    return out


def write_frame(algorithm, parameters, key, context, frame, crs, feedback, geometry=True):
    """Write ``frame`` to the sink ``key`` (a table when ``geometry`` is False); return the destination id."""
    import geopandas as gpd
    from qgis.core import QgsWkbTypes

    frame = frame.drop(columns=[c for c in ("fid", "template", "params") if c in frame.columns])
    if geometry and isinstance(frame, gpd.GeoDataFrame):
        wkb_type = qgis_io.wkb_type_for(frame)
        if wkb_type == QgsWkbTypes.Type.Unknown:
            wkb_type = QgsWkbTypes.Type.MultiPolygon
        qcrs = qgis_io.pyproj_to_qgis_crs(crs)
    else:
        frame = pd.DataFrame(frame.drop(columns="geometry", errors="ignore"))
        wkb_type = QgsWkbTypes.Type.NoGeometry
        from qgis.core import QgsCoordinateReferenceSystem

        qcrs = QgsCoordinateReferenceSystem()
    fields = qgis_io.fields_for_frame(frame, aliases=FIELD_ALIASES)
    sink, dest_id = algorithm.parameterAsSink(parameters, key, context, fields, wkb_type, qcrs)
    if sink is None:
        return None
    qgis_io.write_frame_to_sink(frame, sink, fields, feedback)
    return dest_id


def polygon_param(key, label, optional=False):
    """A polygon source parameter."""
    return QgsProcessingParameterFeatureSource(key, label, [vector_polygon_type()], optional=optional)


def advanced(parameter):
    """Mark ``parameter`` as advanced and return it."""
    parameter.setFlags(parameter.flags() | QgsProcessingParameterDefinition.Flag.FlagAdvanced)
    return parameter


def scorecard_rows(scorecard) -> pd.DataFrame:
    """The plan scorecard as a table: one row per metric, then one per principle verdict."""
    rows = []
    for key, (zh, en, unit, _fmt) in METRIC_LABELS.items():
        if key in scorecard.metrics:
            value = scorecard.metrics[key]
            rows.append(
                {"metric": key, "label_zh": zh, "label_en": en, "value": float(value), "unit": unit, "verdict": ""}
            )
    for principle, (zh, en) in (*PRINCIPLES.items(), ("overall", ("总体评价", "Overall"))):
        verdict = scorecard.verdicts[principle]["verdict"]
        rows.append(
            {
                "metric": f"verdict_{principle}",
                "label_zh": zh,
                "label_en": en,
                "value": float("nan"),
                "unit": "",
                "verdict": f"{VERDICTS[verdict][0]} {VERDICTS[verdict][1]}",
            }
        )
    return pd.DataFrame(rows)


class PlanInputsMixin:
    """The inputs shared by assess, validate and planreport: grids, area, buildings, barriers, load."""

    GRIDS = "GRIDS"
    AREA = "AREA"
    BUILDINGS = "BUILDINGS"
    BARRIERS = "BARRIERS"
    LOAD_FIELD = "LOAD_FIELD"
    BUILDING_LOAD_FIELD = "BUILDING_LOAD_FIELD"
    TARGET_LOAD = "TARGET_LOAD"
    TOLERANCE = "TOLERANCE"

    def add_plan_inputs(self, barriers=True):
        """Declare the shared parameters."""
        self.addParameter(polygon_param(self.GRIDS, tr("Grid layer")))
        self.addParameter(polygon_param(self.AREA, tr("Planning area (optional)"), optional=True))
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.BUILDINGS, tr("Buildings (polygons or points, optional)"), [vector_any_type()], optional=True
            )
        )
        if barriers:
            self.addParameter(
                QgsProcessingParameterFeatureSource(
                    self.BARRIERS,
                    tr("Barrier lines: roads, rivers, railways, walls (optional)"),
                    [vector_line_type()],
                    optional=True,
                )
            )
        self.addParameter(
            numeric_field_parameter(
                self.LOAD_FIELD,
                tr("Grid load field (empty: sum the buildings' households)"),
                self.GRIDS,
                default="load",
            )
        )
        self.addParameter(
            numeric_field_parameter(
                self.BUILDING_LOAD_FIELD, tr("Building household field"), self.BUILDINGS, default="households"
            )
        )
        self.addParameter(target_load_parameter(self.TARGET_LOAD))
        self.addParameter(tolerance_parameter(self.TOLERANCE))

    def read_plan_inputs(self, parameters, context, feedback, report, extra=None):
        """Read the shared inputs (and ``extra`` {name: key} polygon layers) into one metric CRS."""
        keys = {"grids": self.GRIDS, "area": self.AREA, "buildings": self.BUILDINGS}
        if self.BARRIERS in [p.name() for p in self.parameterDefinitions()]:
            keys["barriers"] = self.BARRIERS
        keys.update(extra or {})
        frames = {
            name: read_source(self, parameters, key, context, feedback, report=report) for name, key in keys.items()
        }
        if "barriers" in keys:
            barriers = frames["barriers"]
            counts = [] if barriers is None else [(self.BARRIERS.lower(), len(barriers))]
            report_barriers(report, counts, purpose="assess", n_given=given_layer_count(parameters, self.BARRIERS))
        if frames["grids"] is None or len(frames["grids"]) == 0:
            raise InputError(N_("The grid layer is empty; choose a layer with grid polygons."))
        frames = to_metric(frames, report)
        load_field = self.parameterAsString(parameters, self.LOAD_FIELD, context) or None
        building_field = self.parameterAsString(parameters, self.BUILDING_LOAD_FIELD, context) or "households"
        frames["grids"] = checked_numbers(self, self.GRIDS, frames["grids"], load_field, report, required=False)
        frames["buildings"] = checked_numbers(
            self, self.BUILDINGS, frames["buildings"], building_field, report, required=False
        )
        if frames["buildings"] is not None and building_field not in frames["buildings"].columns:
            report.info(N_("The buildings have no field {field}; each building counts as one."), field=building_field)
        settings = {
            "load_field": load_field or "__no_load_field__",
            "building_load_field": building_field,
            "target_load": self.parameterAsDouble(parameters, self.TARGET_LOAD, context),
            "tolerance": self.parameterAsDouble(parameters, self.TOLERANCE, context),
        }
        return frames, settings


class AssessAlgorithm(PlanInputsMixin, GridPlannerAlgorithm):
    """The scorecard of a grid plan with a verdict per principle."""

    NAME = "assess"
    DISPLAY_NAME = "Assess grid plan (scorecard)"
    GROUP_ID = "assess"
    GROUP = "Assess plans"
    SHORT_HELP = (
        "Measures a grid plan against the four principles with the same definitions as everywhere in Grid "
        "Planner: coverage, gap and overlap area, contiguity, load CV, maximum deviation, share of grids "
        "within ±10% and ±20% of the target, Polsby–Popper compactness, boundary adherence (share of shared "
        "grid edges within the given distance of a barrier line) and cut buildings. Writes the grids with "
        "their own metrics and a scorecard table, and gives a verdict per principle (pass, partly met, fail, "
        "not assessed); difference is judged from a grid_type field when there is one. The thresholds of "
        "the verdicts are the advanced parameters; the rules are in docs/assess.md."
    )

    TYPE_FIELD = "TYPE_FIELD"
    ADHERENCE_M = "ADHERENCE_M"
    MIN_SHARE_WITHIN = "MIN_SHARE_WITHIN"
    MIN_ADHERENCE = "MIN_ADHERENCE"
    MIN_POLSBY_POPPER = "MIN_POLSBY_POPPER"
    MAX_GAP_M2_PER_KM2 = "MAX_GAP_M2_PER_KM2"
    OUTPUT = "OUTPUT"
    SCORECARD = "SCORECARD"

    def initAlgorithm(self, config=None):  # noqa: N802
        """Declare the parameters."""
        self.add_plan_inputs()
        add_assess_parameters(self)
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT, tr("Grids with metrics")))
        self.addParameter(
            QgsProcessingParameterFeatureSink(self.SCORECARD, tr("Scorecard"), QgsProcessing.SourceType.TypeVector)
        )
        add_metric_outputs(self)

    def work(self, parameters, context, feedback, report):
        """Assess the plan and write the grids with metrics and the scorecard."""
        frames, settings = self.read_plan_inputs(parameters, context, feedback, report)
        scorecard = run_assess(self, parameters, context, frames, settings, report)
        report.check_cancelled()
        grids = frames["grids"]
        # The layer's own attributes first, then the metrics; a metric replaces a stale column of the same
        # name (e.g. deviation_pct written by a partition at another target).
        table = scorecard.table
        attributes = grids.drop(columns=["geometry", *[c for c in table.columns if c in grids.columns]])
        out = pd.concat([attributes.reset_index(drop=True), table.reset_index(drop=True)], axis=1)
        import geopandas as gpd

        out = gpd.GeoDataFrame(out, geometry=scorecard.evaluation.grid_geoms, crs=scorecard.evaluation.crs)
        crs = scorecard.evaluation.crs
        results = {}
        results[self.OUTPUT] = write_frame(self, parameters, self.OUTPUT, context, out, crs, feedback)
        results[self.SCORECARD] = write_frame(
            self, parameters, self.SCORECARD, context, scorecard_rows(scorecard), crs, feedback, geometry=False
        )
        style_output(context, results[self.OUTPUT], "assess_deviation.qml")
        results.update(metric_outputs(scorecard))
        return results


def add_assess_parameters(algorithm):
    """The grid-type field, the adherence distance and the verdict thresholds."""
    algorithm.addParameter(
        QgsProcessingParameterField(
            AssessAlgorithm.TYPE_FIELD,
            tr("Grid type field (judges the difference principle)"),
            defaultValue="grid_type",
            parentLayerParameterName=algorithm.GRIDS,
            optional=True,
        )
    )
    algorithm.addParameter(
        QgsProcessingParameterNumber(
            AssessAlgorithm.ADHERENCE_M,
            tr("Boundary adherence distance (m)"),
            QgsProcessingParameterNumber.Type.Double,
            5.0,
            minValue=0.0,
        )
    )
    defaults = Thresholds()
    for key, label, value in (
        (
            AssessAlgorithm.MIN_SHARE_WITHIN,
            tr("Balance: share of grids within tolerance to pass"),
            defaults.min_share_within,
        ),
        (AssessAlgorithm.MIN_ADHERENCE, tr("Convenience: boundary adherence to pass"), defaults.min_adherence),
        (
            AssessAlgorithm.MIN_POLSBY_POPPER,
            tr("Convenience: mean Polsby–Popper to pass"),
            defaults.min_polsby_popper_mean,
        ),
    ):
        algorithm.addParameter(
            advanced(
                QgsProcessingParameterNumber(
                    key, label, QgsProcessingParameterNumber.Type.Double, value, minValue=0.0, maxValue=1.0
                )
            )
        )
    algorithm.addParameter(
        advanced(
            QgsProcessingParameterNumber(
                AssessAlgorithm.MAX_GAP_M2_PER_KM2,
                tr("Completeness: gap or overlap allowed per km² of area (m²)"),
                QgsProcessingParameterNumber.Type.Double,
                defaults.max_gap_m2_per_km2,
                minValue=0.0,
            )
        )
    )


#: Plan metrics reported as numeric outputs (usable in models).
METRIC_OUTPUTS = PLAN_METRIC_KEYS


def add_metric_outputs(algorithm):
    """Numeric outputs for the headline metrics and string outputs for the verdicts."""
    for key in METRIC_OUTPUTS:
        zh, en = METRIC_LABELS[key][:2] if key in METRIC_LABELS else (key, key)
        algorithm.addOutput(QgsProcessingOutputNumber(key.upper(), f"{en} / {zh}"))
    for principle, (zh, en) in (*PRINCIPLES.items(), ("overall", ("总体评价", "Overall"))):
        algorithm.addOutput(QgsProcessingOutputString(f"VERDICT_{principle.upper()}", f"{en} / {zh}"))


def metric_outputs(scorecard) -> dict:
    """The values of :func:`add_metric_outputs`."""
    out = {}
    for key in METRIC_OUTPUTS:
        value = scorecard.metrics.get(key)
        out[key.upper()] = None if value is None or value != value else float(value)
    for principle in (*PRINCIPLES, "overall"):
        out[f"VERDICT_{principle.upper()}"] = scorecard.verdicts[principle]["verdict"]
    return out


def run_assess(algorithm, parameters, context, frames, settings, report, evaluation=None, n_parent_crossings=None):
    """Read the assess parameters and run the core assessment."""
    type_field = algorithm.parameterAsString(parameters, AssessAlgorithm.TYPE_FIELD, context) or None
    grids = frames["grids"]
    if type_field and type_field not in grids.columns:
        if type_field == "grid_type":
            type_field = None  # the default: no type field, difference not assessed
        else:
            raise InputError(N_("The grid layer has no field {field}; choose the grid type field."), field=type_field)
    thresholds = Thresholds(
        min_share_within=algorithm.parameterAsDouble(parameters, AssessAlgorithm.MIN_SHARE_WITHIN, context),
        min_adherence=algorithm.parameterAsDouble(parameters, AssessAlgorithm.MIN_ADHERENCE, context),
        min_polsby_popper_mean=algorithm.parameterAsDouble(parameters, AssessAlgorithm.MIN_POLSBY_POPPER, context),
        max_gap_m2_per_km2=algorithm.parameterAsDouble(parameters, AssessAlgorithm.MAX_GAP_M2_PER_KM2, context),
    )
    thresholds.partial_share_within = min(thresholds.partial_share_within, thresholds.min_share_within)
    thresholds.partial_adherence = min(thresholds.partial_adherence, thresholds.min_adherence)
    thresholds.partial_polsby_popper_mean = min(
        thresholds.partial_polsby_popper_mean, thresholds.min_polsby_popper_mean
    )
    scorecard = assess(
        grids,
        frames["area"],
        frames["buildings"],
        frames.get("barriers"),
        adherence_m=algorithm.parameterAsDouble(parameters, AssessAlgorithm.ADHERENCE_M, context),
        thresholds=thresholds,
        type_field=type_field,
        n_parent_crossings=n_parent_crossings,
        evaluation=evaluation,
        report=report,
        **settings,
    )
    m = scorecard.metrics
    report.info(
        N_("{n} grids; coverage {coverage}%; {within}% within tolerance; load CV {cv}; {cut} cut buildings."),
        n=m["n_grids"],
        coverage=f"{m['coverage_pct']:.3f}",
        within=f"{m['share_within_tolerance'] * 100:.1f}",
        cv=f"{m['load_cv']:.3f}",
        cut=m["n_cut_buildings"],
    )
    return scorecard
