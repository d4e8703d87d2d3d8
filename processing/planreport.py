"""gridplanner:planreport — validate, assess (and compare) a plan and file it as one HTML report (and PDF)."""

from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterField,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterString,
)

from ..grid_plugin.core.assess.report import build_report, html_to_pdf, write_report
from ..grid_plugin.core.assess.validate import DEFAULT_CODE_PATTERN, validate_plan
from ..grid_plugin.core.errors import N_, InputError
from ..grid_plugin.i18n import tr
from .assess import PlanInputsMixin, add_assess_parameters, polygon_param, run_assess
from .base import GridPlannerAlgorithm
from .validate import log_counts


def _plan_name(source, language: str) -> str:
    """The plan's layer name for the header; a Chinese report leaves out a generic Latin name such as "grids"."""
    name = source.sourceName() if source is not None else ""
    if language == "zh" and name.isascii():
        return ""
    return name


class PlanReportAlgorithm(PlanInputsMixin, GridPlannerAlgorithm):
    """One self-contained HTML report (and a PDF) with scorecard, charts, problems and comparison."""

    NAME = "planreport"
    DISPLAY_NAME = "Grid plan report (HTML/PDF)"
    GROUP_ID = "assess"
    GROUP = "Assess plans"
    SHORT_HELP = (
        "Validates and assesses a grid plan and writes one report a planning office can file: the verdict on "
        "each of the four principles, the scorecard, charts (load histogram with the target band, deviation "
        "map, Lorenz curve of load with the Gini coefficient, compactness distribution, a summary per grid "
        "type), the list of problems and, when an old plan is given, the comparison with its change map. The "
        "HTML file is self-contained (images embedded) and opens offline; a PDF is printed with Chromium "
        "when it is installed. The report is in Chinese or English, whatever the language of QGIS."
    )

    PARENTS = "PARENTS"
    PARENT_CODE_FIELD = "PARENT_CODE_FIELD"
    CODE_FIELD = "CODE_FIELD"
    OLD_PLAN = "OLD_PLAN"
    LANGUAGE = "LANGUAGE"
    TITLE = "TITLE"
    ATTRIBUTION = "ATTRIBUTION"
    OUTPUT_HTML = "OUTPUT_HTML"
    WRITE_PDF = "WRITE_PDF"
    LANGUAGES = ("zh", "en")

    def initAlgorithm(self, config=None):  # noqa: N802
        """Declare the parameters."""
        self.add_plan_inputs()
        self.addParameter(
            polygon_param(self.PARENTS, tr("Parent units: communities, villages (optional)"), optional=True)
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.PARENT_CODE_FIELD, tr("Parent code field"), parentLayerParameterName=self.PARENTS, optional=True
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
        add_assess_parameters(self)
        self.addParameter(polygon_param(self.OLD_PLAN, tr("Old plan to compare with (optional)"), optional=True))
        self.addParameter(
            QgsProcessingParameterEnum(
                self.LANGUAGE, tr("Report language"), options=[tr("Chinese (中文)"), tr("English")], defaultValue=0
            )
        )
        self.addParameter(QgsProcessingParameterString(self.TITLE, tr("Report title (optional)"), optional=True))
        self.addParameter(
            QgsProcessingParameterString(
                self.ATTRIBUTION,
                tr("Data attribution in the footer"),
                defaultValue="© OpenStreetMap contributors",
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterFileDestination(self.OUTPUT_HTML, tr("Report (HTML)"), tr("HTML files (*.html)"))
        )
        self.addParameter(QgsProcessingParameterBoolean(self.WRITE_PDF, tr("Also print a PDF beside it"), True))
        self.addOutput(QgsProcessingOutputString("OUTPUT_PDF", tr("Report (PDF)")))

    def _html_path(self, parameters, context) -> Path:
        html_path = Path(self.parameterAsFileOutput(parameters, self.OUTPUT_HTML, context))
        if html_path.suffix.lower() not in (".html", ".htm"):
            html_path = html_path.with_suffix(".html")
        return html_path

    def derived_output_paths(self, parameters, context) -> list:
        """The HTML file (its suffix may differ from the parameter's) and the PDF beside it."""
        html_path = self._html_path(parameters, context)
        return [html_path, html_path.with_suffix(".pdf")]

    def work(self, parameters, context, feedback, report):
        """Validate, assess, compare and write the report."""
        frames, settings = self.read_plan_inputs(
            parameters, context, feedback, report, extra={"parents": self.PARENTS, "old": self.OLD_PLAN}
        )
        grids = frames["grids"].drop(columns="fid")
        code_field = self.parameterAsString(parameters, self.CODE_FIELD, context) or None
        if code_field and code_field not in grids.columns:
            if code_field != "grid_code":
                raise InputError(
                    N_("The grid layer has no field {field}; choose the grid code field."), field=code_field
                )
            code_field = None
        validation = validate_plan(
            grids,
            frames["area"],
            frames["parents"],
            frames["buildings"],
            frames.get("barriers"),
            code_field=code_field,
            code_pattern=DEFAULT_CODE_PATTERN,
            parent_code_field=self.parameterAsString(parameters, self.PARENT_CODE_FIELD, context) or None,
            report=report,
            **settings,
        )
        log_counts(validation, report)
        report.check_cancelled()
        frames = dict(frames, grids=grids)
        scorecard = run_assess(
            self,
            parameters,
            context,
            frames,
            settings,
            report,
            evaluation=validation.evaluation,
            n_parent_crossings=validation.counts.get("crosses_parent", 0),
        )
        comparison = None
        if frames["old"] is not None and len(frames["old"]):
            from ..grid_plugin.core.assess.compare import compare_plans

            comparison = compare_plans(
                frames["old"].drop(columns="fid"),
                grids,
                frames["buildings"],
                code_field=code_field or "grid_code",
                load_field=settings["load_field"],
                building_load_field=settings["building_load_field"],
                report=report,
            )
        report.check_cancelled()
        language = self.LANGUAGES[self.parameterAsEnum(parameters, self.LANGUAGE, context)]
        source = self.parameterAsSource(parameters, self.GRIDS, context)
        html_text = build_report(
            scorecard,
            validation=validation,
            comparison=comparison,
            lang=language,
            title=self.parameterAsString(parameters, self.TITLE, context) or None,
            plan_name=_plan_name(source, language),
            attribution=self.parameterAsString(parameters, self.ATTRIBUTION, context),
        )
        html_path = self._html_path(parameters, context)
        write_report(html_path, html_text)
        report.info(N_("Report written to {path}."), path=str(html_path))
        pdf_path = ""
        if self.parameterAsBool(parameters, self.WRITE_PDF, context):
            report.progress(95)
            candidate = html_path.with_suffix(".pdf")
            if html_to_pdf(html_path, candidate):
                pdf_path = str(candidate)
                report.info(N_("PDF written to {path}."), path=pdf_path)
            else:
                report.warn(
                    N_("No PDF: Chromium or Chrome was not found or could not print; open the HTML and print it.")
                )
        return {self.OUTPUT_HTML: str(html_path), "OUTPUT_PDF": pdf_path}
