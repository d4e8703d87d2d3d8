"""gridplanner:validate — every problem of a grid plan as one row of a styled problem layer."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from ..grid_plugin.core.assess.validate import DEFAULT_CODE_PATTERN, PROBLEM_KINDS, validate_plan
from ..grid_plugin.core.errors import N_, InputError
from ..grid_plugin.core.inputs import compile_pattern
from ..grid_plugin.i18n import message_in, tr
from .assess import PlanInputsMixin, advanced, polygon_param, write_frame
from .base import GridPlannerAlgorithm, language_parameter, style_output


class ValidateAlgorithm(PlanInputsMixin, GridPlannerAlgorithm):
    """Check a grid layer for gaps, overlaps, crossings, cut buildings, code and load problems."""

    NAME = "validate"
    DISPLAY_NAME = "Validate grid plan"
    GROUP_ID = "assess"
    GROUP = "Assess plans"
    SHORT_HELP = (
        "Checks any grid layer against the planning area and, when given, the parent units (communities, "
        "villages) and the buildings: gaps and overlaps (as polygons), grids outside the area, grids in several "
        "parts or with holes, grids crossing a parent boundary, buildings cut by a grid edge or in no grid, "
        "duplicate, malformed or missing codes (default pattern: 15 digits = 6 county + 3 township + 3 "
        "community + 3 serial), loads outside the tolerance, areas above the maximum and invalid geometries. "
        "Writes one row per problem with its kind, severity, the grids involved, where it is and a message, "
        "and logs the count of each kind."
    )

    PARENTS = "PARENTS"
    PARENT_CODE_FIELD = "PARENT_CODE_FIELD"
    CODE_FIELD = "CODE_FIELD"
    CODE_PATTERN = "CODE_PATTERN"
    CHECK_LOAD = "CHECK_LOAD"
    MAX_AREA_M2 = "MAX_AREA_M2"
    PARENT_TOLERANCE_M2 = "PARENT_TOLERANCE_M2"
    MIN_AREA_M2 = "MIN_AREA_M2"
    OUTPUT = "OUTPUT"

    def initAlgorithm(self, config=None):  # noqa: N802
        """Declare the parameters."""
        self.add_plan_inputs(barriers=False)
        self.addParameter(
            polygon_param(self.PARENTS, tr("Parent units: communities, villages (optional)"), optional=True)
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.PARENT_CODE_FIELD,
                tr("Parent code field"),
                parentLayerParameterName=self.PARENTS,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.CODE_FIELD,
                tr("Grid code field"),
                defaultValue="grid_code",
                parentLayerParameterName=self.GRIDS,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.CODE_PATTERN,
                tr("Code pattern (regular expression; empty: no format check)"),
                defaultValue=DEFAULT_CODE_PATTERN,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterBoolean(self.CHECK_LOAD, tr("Report loads outside the tolerance"), True)
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.MAX_AREA_M2,
                tr("Maximum grid area (m², 0: no limit)"),
                QgsProcessingParameterNumber.Type.Double,
                0.0,
                minValue=0.0,
            )
        )
        self.addParameter(
            advanced(
                QgsProcessingParameterNumber(
                    self.PARENT_TOLERANCE_M2,
                    tr("Area a grid may have in a second parent (m²)"),
                    QgsProcessingParameterNumber.Type.Double,
                    1.0,
                    minValue=0.0,
                )
            )
        )
        self.addParameter(
            advanced(
                QgsProcessingParameterNumber(
                    self.MIN_AREA_M2,
                    tr("Ignore gaps and overlaps smaller than (m²)"),
                    QgsProcessingParameterNumber.Type.Double,
                    0.01,
                    minValue=0.0,
                )
            )
        )
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT, tr("Problems")))
        self.addOutput(QgsProcessingOutputNumber("N_PROBLEMS", tr("Number of problems")))
        self.addOutput(QgsProcessingOutputNumber("N_ERRORS", tr("Number of errors")))
        self.addOutput(QgsProcessingOutputNumber("N_WARNINGS", tr("Number of warnings")))
        self.addParameter(language_parameter())

    def work(self, parameters, context, feedback, report):
        """Validate and write the problem layer."""
        frames, settings = self.read_plan_inputs(parameters, context, feedback, report, extra={"parents": self.PARENTS})
        grids = frames["grids"]
        code_field = self.parameterAsString(parameters, self.CODE_FIELD, context) or None
        if code_field and code_field not in grids.columns:
            if code_field != "grid_code":
                raise InputError(
                    N_("The grid layer has no field {field}; choose the grid code field."), field=code_field
                )
            code_field = None
        max_area = self.parameterAsDouble(parameters, self.MAX_AREA_M2, context)
        pattern = self.parameterAsString(parameters, self.CODE_PATTERN, context) or None
        if pattern:
            compile_pattern(pattern)
        result = validate_plan(
            grids.drop(columns="fid"),
            frames["area"],
            frames["parents"],
            frames["buildings"],
            code_field=code_field,
            code_pattern=pattern,
            parent_code_field=self.parameterAsString(parameters, self.PARENT_CODE_FIELD, context) or None,
            check_load=self.parameterAsBool(parameters, self.CHECK_LOAD, context),
            max_area_m2=max_area or None,
            parent_tolerance_m2=self.parameterAsDouble(parameters, self.PARENT_TOLERANCE_M2, context),
            min_area_m2=self.parameterAsDouble(parameters, self.MIN_AREA_M2, context),
            report=report,
            **settings,
        )
        report.check_cancelled()
        problems = translated_problems(result.problems, self.output_language(parameters, context))
        log_counts(result, report)
        dest = write_frame(self, parameters, self.OUTPUT, context, problems, result.evaluation.crs, feedback)
        style_output(context, dest, "validation_problems.qml", tr("Grid plan problems"))
        return {
            self.OUTPUT: dest,
            "N_PROBLEMS": len(problems),
            "N_ERRORS": result.n_errors,
            "N_WARNINGS": result.n_warnings,
        }


def translated_problems(problems, lang: str | None = None):
    """The problem frame with messages in ``lang`` (None: the QGIS locale); the core writes English templates."""
    problems = problems.copy()
    if len(problems):
        problems["message"] = [message_in(t, p, lang) for t, p in zip(problems["template"], problems["params"])]
    return problems.drop(columns=["template", "params"])


def log_counts(result, report) -> None:
    """One log line per kind of problem found, then the totals."""
    for kind in PROBLEM_KINDS:
        n = result.counts.get(kind.code, 0)
        if n:
            report.info(N_("{kind}: {n}"), kind=kind.en, kind_zh=kind.zh, n=n)
    report.info(
        N_("{errors} errors and {warnings} warnings in {n} grids."),
        errors=result.n_errors,
        warnings=result.n_warnings,
        n=result.evaluation.metrics["n_grids"],
    )
