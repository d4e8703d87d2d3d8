"""gridplanner:exportmap — print-ready grid maps, atlases and PNGs for public display (公示)."""

from __future__ import annotations

from qgis.core import (
    QgsApplication,
    QgsProcessingAlgorithm,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
    QgsProject,
)

from ..grid_plugin.compat import vector_any_type, vector_line_type, vector_polygon_type
from ..grid_plugin.core.errors import N_, InputError
from ..grid_plugin.export.layout import MapOptions, export_grid_map, save_template
from ..grid_plugin.i18n import tr
from .base import GridPlannerAlgorithm, language_parameter

PAPERS = ["A4", "A3", "A1"]
ORIENTATIONS = ["landscape", "portrait"]


def warn_missing_geometries(source, name: str, report) -> int:
    """Warn about features without geometry (the map, table and atlas leave them out); return their count."""
    from qgis.core import QgsFeatureRequest

    request = QgsFeatureRequest().setNoAttributes()
    missing = [f.id() for f in source.getFeatures(request) if f.geometry().isNull() or f.geometry().isEmpty()]
    if missing:
        report.warn(
            N_(
                "{n} features of the layer {name} have no geometry; they were left out of the map, the table and "
                "the atlas (e.g. feature ids {examples})."
            ),
            n=len(missing),
            name=name,
            examples=", ".join(str(i) for i in missing[:3]),
        )
    return len(missing)


class ExportMapAlgorithm(GridPlannerAlgorithm):
    """Build a print layout of a grid plan and export it as PDF, PNG and a per-grid atlas."""

    NAME = "exportmap"
    DISPLAY_NAME = "Export grid map for public display"
    GROUP_ID = "export"
    GROUP = "Export maps"
    SHORT_HELP = (
        "Builds a print-ready grid map for public display (公示): title and subtitle, grids coloured by "
        "type (or by a chosen field) with their codes, the area boundary, roads and water, an optional "
        "incident heatmap beneath, a Chinese legend, scale bar, north arrow, an overview inset and data "
        "credits; optionally a table of the grids (code, type, households, grid worker and phone) on "
        "further pages, and an atlas with one page per grid (close-up, facts and the roads that bound it). "
        "Exports PDF and PNG (A4, A3 or A1; portrait or landscape; DPI of your choice). "
        "Run from the desktop, the layouts stay in the project's Layout Manager for adjusting."
    )

    GRIDS = "GRIDS"
    CODE_FIELD = "CODE_FIELD"
    TYPE_FIELD = "TYPE_FIELD"
    STYLE_FIELD = "STYLE_FIELD"
    HOUSEHOLDS_FIELD = "HOUSEHOLDS_FIELD"
    WORKER_FIELD = "WORKER_FIELD"
    PHONE_FIELD = "PHONE_FIELD"
    HOTLINE_FIELD = "HOTLINE_FIELD"
    REVIEW_NUMBER = "REVIEW_NUMBER"
    DISCLAIMER = "DISCLAIMER"
    AREA = "AREA"
    ROADS = "ROADS"
    WATER = "WATER"
    BARRIERS = "BARRIERS"
    BARRIER_NAME_FIELD = "BARRIER_NAME_FIELD"
    HEATMAP = "HEATMAP"
    CONTEXT = "CONTEXT"
    TITLE = "TITLE"
    AREA_NAME = "AREA_NAME"
    DATE = "DATE"
    PAPER = "PAPER"
    ORIENTATION = "ORIENTATION"
    DPI = "DPI"
    CREDITS = "CREDITS"
    TABLE = "TABLE"
    ATLAS = "ATLAS"
    LAYOUT_NAME = "LAYOUT_NAME"
    OUTPUT_PDF = "OUTPUT_PDF"
    OUTPUT_PNG = "OUTPUT_PNG"
    ATLAS_PDF = "ATLAS_PDF"
    OUTPUT_TEMPLATE = "OUTPUT_TEMPLATE"

    def flags(self):
        """Layouts are built and exported on the main thread (they touch fonts and the project)."""
        return super().flags() | QgsProcessingAlgorithm.Flag.FlagNoThreading

    def initAlgorithm(self, config=None):  # noqa: N802
        """Declare the parameters."""
        self.addParameter(QgsProcessingParameterFeatureSource(self.GRIDS, tr("Grid layer"), [vector_polygon_type()]))
        for key, label in (
            (self.CODE_FIELD, tr("Grid code field (empty: grid_code)")),
            (self.TYPE_FIELD, tr("Grid type field (empty: grid_type)")),
            (self.STYLE_FIELD, tr("Colour grids by this field instead of the type")),
            (self.HOUSEHOLDS_FIELD, tr("Households field (empty: households)")),
            (self.WORKER_FIELD, tr("Grid worker name field (empty: worker)")),
            (self.PHONE_FIELD, tr("Grid worker phone field (empty: phone)")),
            (self.HOTLINE_FIELD, tr("Supervision phone field (empty: supervision_phone)")),
        ):
            self.addParameter(
                QgsProcessingParameterField(key, label, parentLayerParameterName=self.GRIDS, optional=True)
            )
        self.addParameter(
            QgsProcessingParameterFeatureSource(self.AREA, tr("Area boundary"), [vector_polygon_type()], optional=True)
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.CONTEXT,
                tr("Surroundings for the inset (e.g. neighbouring subdistricts, with a name field)"),
                [vector_polygon_type()],
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(self.ROADS, tr("Roads"), [vector_line_type()], optional=True)
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.WATER, tr("Water (areas or rivers)"), [vector_any_type()], optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.BARRIERS,
                tr("Barriers for the boundary description (empty: roads and water)"),
                [vector_any_type()],
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.BARRIER_NAME_FIELD, tr("Name field of roads and barriers"), defaultValue="name"
            )
        )
        self.addParameter(
            QgsProcessingParameterRasterLayer(
                self.HEATMAP, tr("Incident heatmap (raster, drawn beneath)"), optional=True
            )
        )
        self.addParameter(QgsProcessingParameterString(self.TITLE, tr("Title"), defaultValue="网格划分图"))
        self.addParameter(
            QgsProcessingParameterString(self.AREA_NAME, tr("Subdistrict or town name (subtitle)"), optional=True)
        )
        self.addParameter(QgsProcessingParameterString(self.DATE, tr("Date (empty: today)"), optional=True))
        self.addParameter(QgsProcessingParameterEnum(self.PAPER, tr("Paper size"), options=PAPERS, defaultValue=1))
        self.addParameter(
            QgsProcessingParameterEnum(
                self.ORIENTATION, tr("Orientation"), options=[tr("Landscape"), tr("Portrait")], defaultValue=0
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.DPI,
                tr("Resolution (DPI)"),
                QgsProcessingParameterNumber.Type.Integer,
                200,
                minValue=50,
                maxValue=1200,
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.CREDITS, tr("Data credits"), defaultValue="© OpenStreetMap contributors", optional=True
            )
        )
        self.addParameter(QgsProcessingParameterBoolean(self.TABLE, tr("Add a table of the grids"), defaultValue=True))
        self.addParameter(QgsProcessingParameterString(self.LAYOUT_NAME, tr("Layout name"), defaultValue="网格公示图"))
        self.addParameter(
            QgsProcessingParameterString(self.REVIEW_NUMBER, tr("Map review number (审图号)"), optional=True)
        )
        self.addParameter(
            QgsProcessingParameterString(self.DISCLAIMER, tr("Disclaimer (printed in the footer)"), optional=True)
        )
        self.addParameter(
            QgsProcessingParameterFileDestination(self.OUTPUT_PDF, tr("Map (PDF)"), tr("PDF files (*.pdf)"))
        )
        self.addParameter(
            QgsProcessingParameterFileDestination(
                self.OUTPUT_PNG, tr("Map (PNG)"), tr("PNG images (*.png)"), optional=True, createByDefault=False
            )
        )
        self.addParameter(
            QgsProcessingParameterFileDestination(
                self.ATLAS_PDF,
                tr("Atlas: one page per grid (PDF)"),
                tr("PDF files (*.pdf)"),
                optional=True,
                createByDefault=False,
            )
        )
        self.addParameter(
            QgsProcessingParameterFileDestination(
                self.OUTPUT_TEMPLATE,
                tr("Layout template (.qpt)"),
                tr("QGIS layout templates (*.qpt)"),
                optional=True,
                createByDefault=False,
            )
        )
        self.addOutput(QgsProcessingOutputNumber("PAGES", tr("Pages of the map PDF")))
        self.addOutput(QgsProcessingOutputNumber("ATLAS_PAGES", tr("Pages of the atlas")))
        self.addOutput(QgsProcessingOutputString("LAYOUT", tr("Layout name in the project")))
        self.addParameter(language_parameter())

    def _field(self, parameters, key, context):
        value = self.parameterAsFields(parameters, key, context)
        return value[0] if value else None

    def _source(self, parameters, key, context):
        if parameters.get(key) in (None, ""):
            return None
        return self.parameterAsSource(parameters, key, context)

    def work(self, parameters, context, feedback, report):
        """Read the parameters, build the layouts, export them."""
        options = MapOptions(
            title=self.parameterAsString(parameters, self.TITLE, context) or "网格划分图",
            area_name=self.parameterAsString(parameters, self.AREA_NAME, context),
            date=self.parameterAsString(parameters, self.DATE, context),
            paper=PAPERS[self.parameterAsEnum(parameters, self.PAPER, context)],
            orientation=ORIENTATIONS[self.parameterAsEnum(parameters, self.ORIENTATION, context)],
            dpi=self.parameterAsInt(parameters, self.DPI, context),
            credits=self.parameterAsString(parameters, self.CREDITS, context),
            code_field=self._field(parameters, self.CODE_FIELD, context),
            type_field=self._field(parameters, self.TYPE_FIELD, context),
            style_field=self._field(parameters, self.STYLE_FIELD, context),
            households_field=self._field(parameters, self.HOUSEHOLDS_FIELD, context),
            worker_field=self._field(parameters, self.WORKER_FIELD, context),
            phone_field=self._field(parameters, self.PHONE_FIELD, context),
            hotline_field=self._field(parameters, self.HOTLINE_FIELD, context),
            review_number=(self.parameterAsString(parameters, self.REVIEW_NUMBER, context) or "").strip(),
            disclaimer=(self.parameterAsString(parameters, self.DISCLAIMER, context) or "").strip(),
            barrier_name_field=self.parameterAsString(parameters, self.BARRIER_NAME_FIELD, context) or "name",
            table=self.parameterAsBool(parameters, self.TABLE, context),
            layout_name=self.parameterAsString(parameters, self.LAYOUT_NAME, context) or "网格公示图",
        )
        grids = self.parameterAsSource(parameters, self.GRIDS, context)
        if grids is None:
            raise InputError(N_("Choose a grid layer to map."))
        warn_missing_geometries(grids, self.parameter_label(self.GRIDS), report)
        pdf = self.parameterAsFileOutput(parameters, self.OUTPUT_PDF, context)
        png = (
            self.parameterAsFileOutput(parameters, self.OUTPUT_PNG, context)
            if parameters.get(self.OUTPUT_PNG)
            else None
        )
        atlas = (
            self.parameterAsFileOutput(parameters, self.ATLAS_PDF, context) if parameters.get(self.ATLAS_PDF) else None
        )
        template = (
            self.parameterAsFileOutput(parameters, self.OUTPUT_TEMPLATE, context)
            if parameters.get(self.OUTPUT_TEMPLATE)
            else None
        )
        heatmap = (
            self.parameterAsRasterLayer(parameters, self.HEATMAP, context) if parameters.get(self.HEATMAP) else None
        )
        project = context.project() or QgsProject.instance()
        desktop = QgsApplication.instance() is not None and QgsApplication.platform() == "desktop"
        result = export_grid_map(
            grids,
            pdf,
            output_png=png,
            atlas_pdf=atlas,
            area=self._source(parameters, self.AREA, context),
            roads=self._source(parameters, self.ROADS, context),
            water=self._source(parameters, self.WATER, context),
            barriers=self._source(parameters, self.BARRIERS, context),
            context=self._source(parameters, self.CONTEXT, context),
            heatmap=heatmap,
            options=options,
            project=project,
            keep_in_project=desktop,
            report=report,
            feedback=feedback,
        )
        if template:
            save_template(result["map"].layout, template)
        report.info(N_("Wrote {path} ({pages} pages)."), path=result["pdf"], pages=result["pages"])
        if atlas:
            report.info(
                N_("Wrote the atlas {path} ({pages} pages)."), path=result["atlas_pdf"], pages=result["atlas_pages"]
            )
        return {
            self.OUTPUT_PDF: result["pdf"],
            self.OUTPUT_PNG: result.get("png"),
            self.ATLAS_PDF: result.get("atlas_pdf"),
            self.OUTPUT_TEMPLATE: template,
            "PAGES": result["pages"],
            "ATLAS_PAGES": result.get("atlas_pages", 0),
            "LAYOUT": result["layout_name"],
        }
