"""gridplanner:incidentheatmap — a kernel density heatmap of incidents, styled to overlay a grid map."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
from qgis.core import (
    QgsProcessingFeatureSourceDefinition,
    QgsProcessingOutputNumber,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterString,
)

from ..grid_plugin import qgis_io
from ..grid_plugin.compat import vector_point_type, vector_polygon_type
from ..grid_plugin.core.errors import N_
from ..grid_plugin.core.incidents.dates import parse_one
from ..grid_plugin.core.incidents.heatmap import incident_heatmap, write_geotiff
from ..grid_plugin.core.incidents.kde import KERNELS
from ..grid_plugin.core.inputs import atomic_output
from ..grid_plugin.i18n import tr
from .base import (
    STYLES_DIR,
    GridPlannerAlgorithm,
    checked_frame,
    checked_numbers,
    numeric_field_parameter,
    style_output,
)

HEATMAP_QML = "incident_heatmap.qml"


def read_ogr_directly(algorithm, parameters, key, context, fields):
    """Read a whole file-based layer with GDAL in one vectorised call (pyogrio), or None when the
    source is not a plain OGR layer (memory layer, selection only, subset filter, feature limit...).

    A million incidents take a few seconds this way instead of a minute of QGIS feature iteration.
    The layer's CRS in QGIS wins over the file's (a user may have overridden it).
    """
    definition = parameters.get(key)
    if isinstance(definition, QgsProcessingFeatureSourceDefinition):
        if definition.selectedFeaturesOnly or definition.featureLimit != -1:
            return None
        if getattr(definition, "filterExpression", ""):
            return None
    layer = algorithm.parameterAsVectorLayer(parameters, key, context)
    return qgis_io.read_layer_fast(layer, fields)


def read_source(algorithm, parameters, key, context, feedback, fields=None, report=None):
    """A source parameter as a GeoDataFrame (None when the optional parameter is empty).

    With ``report``, null/empty geometries are left out and invalid polygons repaired (both counted);
    incidents are read without it, since the incident engine counts those without coordinates itself.
    """
    source = algorithm.parameterAsSource(parameters, key, context)
    if source is None:
        return None
    frame = read_ogr_directly(algorithm, parameters, key, context, fields)
    if frame is None:
        if fields is None:
            # A GeoPackage's "fid" field would clash with the fid column source_to_gdf adds.
            fields = [f.name() for f in source.fields() if f.name().lower() != "fid"]
        frame = qgis_io.source_to_gdf(source, field_names=fields, feedback=feedback)
    return checked_frame(algorithm, key, frame, report) if report is not None else frame


def add_filter_parameters(algorithm, parent: str) -> None:
    """The incident filters both incident algorithms share: category field and values, time window."""
    algorithm.addParameter(
        QgsProcessingParameterField(
            algorithm.CATEGORY_FIELD, tr("Category field"), parentLayerParameterName=parent, optional=True
        )
    )
    algorithm.addParameter(
        QgsProcessingParameterString(
            algorithm.CATEGORIES, tr("Keep only these categories (comma-separated; empty: all)"), optional=True
        )
    )
    algorithm.addParameter(
        QgsProcessingParameterField(
            algorithm.DATE_FIELD, tr("Date/time field"), parentLayerParameterName=parent, optional=True
        )
    )
    algorithm.addParameter(
        QgsProcessingParameterString(algorithm.DATE_FROM, tr("From (e.g. 2023-05-01; empty: no limit)"), optional=True)
    )
    algorithm.addParameter(
        QgsProcessingParameterString(
            algorithm.DATE_TO, tr("To, inclusive (e.g. 2023-05-31 is the whole day; empty: no limit)"), optional=True
        )
    )


def field_or_none(algorithm, parameters, key, context):
    """The chosen field name or None."""
    value = algorithm.parameterAsString(parameters, key, context)
    return value or None


def scaled_heatmap_style(values: np.ndarray, target: Path) -> Path:
    """Write the heatmap style with its colour stops scaled to ``values`` (99.5th percentile of the
    non-zero cells is the top colour, so a few extreme cells do not wash the rest out)."""
    positive = values[np.isfinite(values) & (values > 0)]
    top = float(np.percentile(positive, 99.5)) if positive.size else 1.0
    top = top if top > 0 else 1.0
    tree = ET.parse(STYLES_DIR / HEATMAP_QML)
    root = tree.getroot()
    for renderer in root.iter("rasterrenderer"):
        renderer.set("classificationMax", repr(top))
    for shader in root.iter("colorrampshader"):
        shader.set("maximumValue", repr(top))
        for item in shader.iter("item"):
            value = float(item.get("value")) * top
            item.set("value", repr(value))
            item.set("label", f"{value:,.1f}" if top >= 10 else f"{value:.3g}")
    with atomic_output(target) as temporary:
        tree.write(temporary, encoding="utf-8", xml_declaration=False)
    return target


class IncidentHeatmapAlgorithm(GridPlannerAlgorithm):
    """Kernel density heatmap of incident points (QGIS's kernels, fast, filtered, clipped)."""

    NAME = "incidentheatmap"
    DISPLAY_NAME = "Incident heatmap"
    GROUP_ID = "incidents"
    GROUP = "Incidents"
    SHORT_HELP = (
        "Kernel density heatmap of incident points, as incidents per km² (the raster times the cell area "
        "sums to the number of incidents, less what spills over the edge of the clip area). Kernels are "
        "QGIS's heatmap kernels. Bandwidth: given in metres, or automatic by the spatial Silverman rule "
        "0.9·min(SD, √(1/ln 2)·Dm)·n^-0.2 (SD: standard distance, Dm: median distance to the mean centre). "
        "Cell size: given in metres, or about bandwidth/8. Filter by category and by a time window on a "
        "date field (ISO, 2023/5/1 8:00, 2023年5月1日, Excel serials and date fields are read; unreadable "
        "dates are reported). Clip to an area layer. Writes a GeoTIFF and a style that is transparent at "
        "zero, so it overlays a grid map."
    )

    INPUT = "INPUT"
    WEIGHT_FIELD = "WEIGHT_FIELD"
    CATEGORY_FIELD = "CATEGORY_FIELD"
    CATEGORIES = "CATEGORIES"
    DATE_FIELD = "DATE_FIELD"
    DATE_FROM = "DATE_FROM"
    DATE_TO = "DATE_TO"
    AREA = "AREA"
    BANDWIDTH = "BANDWIDTH"
    CELL_SIZE = "CELL_SIZE"
    KERNEL = "KERNEL"
    DECAY = "DECAY"
    OUTPUT_VALUE = "OUTPUT_VALUE"
    METHOD = "METHOD"
    OUTPUT = "OUTPUT"

    OUTPUT_VALUES = ("density", "raw")
    METHODS = ("auto", "exact", "fft")

    def initAlgorithm(self, config=None):  # noqa: N802
        """Declare the parameters."""
        self.addParameter(QgsProcessingParameterFeatureSource(self.INPUT, tr("Incident points"), [vector_point_type()]))
        self.addParameter(
            numeric_field_parameter(
                self.WEIGHT_FIELD, tr("Weight field (e.g. severity; default 1 per incident)"), self.INPUT
            )
        )
        add_filter_parameters(self, self.INPUT)
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.AREA, tr("Clip to area (optional)"), [vector_polygon_type()], optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.BANDWIDTH,
                tr("Bandwidth (radius) in metres (0: automatic)"),
                QgsProcessingParameterNumber.Type.Double,
                defaultValue=0.0,
                minValue=0.0,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.CELL_SIZE,
                tr("Cell size in metres (0: automatic)"),
                QgsProcessingParameterNumber.Type.Double,
                defaultValue=0.0,
                minValue=0.0,
            )
        )
        self.addParameter(
            QgsProcessingParameterEnum(
                self.KERNEL,
                tr("Kernel shape"),
                options=[tr("Quartic"), tr("Triangular"), tr("Uniform"), tr("Triweight"), tr("Epanechnikov")],
                defaultValue=0,
            )
        )
        decay = QgsProcessingParameterNumber(
            self.DECAY,
            tr("Decay ratio (triangular kernel only, 0–1)"),
            QgsProcessingParameterNumber.Type.Double,
            defaultValue=0.0,
            minValue=0.0,
            maxValue=1.0,
        )
        output_value = QgsProcessingParameterEnum(
            self.OUTPUT_VALUE,
            tr("Output values"),
            options=[tr("Incidents per km²"), tr("Raw kernel sum (as QGIS's raw heatmap)")],
            defaultValue=0,
        )
        method = QgsProcessingParameterEnum(
            self.METHOD,
            tr("Method"),
            options=[tr("Automatic"), tr("Exact (every point stamped, as QGIS)"), tr("Fast (binned, FFT convolution)")],
            defaultValue=0,
        )
        for parameter in (decay, output_value, method):
            parameter.setFlags(parameter.flags() | QgsProcessingParameterDefinition.Flag.FlagAdvanced)
            self.addParameter(parameter)
        self.addParameter(QgsProcessingParameterRasterDestination(self.OUTPUT, tr("Heatmap")))
        self.addOutput(QgsProcessingOutputNumber("BANDWIDTH_M", tr("Bandwidth used (m)")))
        self.addOutput(QgsProcessingOutputNumber("CELL_SIZE_M", tr("Cell size used (m)")))
        self.addOutput(QgsProcessingOutputNumber("N_USED", tr("Incidents used")))
        self.addOutput(QgsProcessingOutputNumber("INTEGRAL", tr("Sum of density × cell area")))

    def _geotiff_path(self, parameters, context) -> str:
        output = self.parameterAsOutputLayer(parameters, self.OUTPUT, context)
        if not output.lower().endswith((".tif", ".tiff")):
            output = str(Path(output).with_suffix(".tif"))
        return output

    def derived_output_paths(self, parameters, context) -> list:
        """The GeoTIFF (its suffix may differ from the parameter's) and its style beside it."""
        output = Path(self._geotiff_path(parameters, context))
        return [output, output.with_suffix(".qml")]

    def work(self, parameters, context, feedback, report):
        """Read, filter, estimate, write the GeoTIFF and its style."""
        weight_field = field_or_none(self, parameters, self.WEIGHT_FIELD, context)
        category_field = field_or_none(self, parameters, self.CATEGORY_FIELD, context)
        date_field = field_or_none(self, parameters, self.DATE_FIELD, context)
        fields = [f for f in (weight_field, category_field, date_field) if f]
        date_from = parse_one(self.parameterAsString(parameters, self.DATE_FROM, context), what=tr("start date"))
        date_to = parse_one(
            self.parameterAsString(parameters, self.DATE_TO, context), end_of_day=True, what=tr("end date")
        )
        incidents = read_source(self, parameters, self.INPUT, context, feedback, fields=fields)
        incidents = checked_numbers(self, self.INPUT, incidents, weight_field, report, maximum=None)
        area = read_source(self, parameters, self.AREA, context, feedback, fields=[], report=report)
        report.check_cancelled()
        kernel = KERNELS[self.parameterAsEnum(parameters, self.KERNEL, context)]
        result = incident_heatmap(
            incidents,
            area=area,
            bandwidth_m=self.parameterAsDouble(parameters, self.BANDWIDTH, context) or None,
            cell_size_m=self.parameterAsDouble(parameters, self.CELL_SIZE, context) or None,
            kernel=kernel,
            decay=self.parameterAsDouble(parameters, self.DECAY, context),
            weight_field=weight_field,
            category_field=category_field,
            categories=self.parameterAsString(parameters, self.CATEGORIES, context) or None,
            date_field=date_field,
            date_from=date_from,
            date_to=date_to,
            output=self.OUTPUT_VALUES[self.parameterAsEnum(parameters, self.OUTPUT_VALUE, context)],
            method=self.METHODS[self.parameterAsEnum(parameters, self.METHOD, context)],
            report=report,
        )
        report.check_cancelled()
        counts = result.counts
        report.info(
            N_(
                "Incidents: {n_input} read, {n_invalid} without valid coordinates, {n_other_category} of other "
                "categories, {n_unparsed_date} with unreadable dates, {n_outside_window} outside the time window, "
                "{n_outside_area} outside the area, {n_used} used."
            ),
            **{k: v for k, v in counts.items() if k != "unparsed_examples"},
        )
        rule = tr("automatic, spatial Silverman rule") if result.bandwidth_rule != "given" else tr("given")
        report.info(
            N_("Bandwidth {bandwidth} m ({rule}), cell {cell} m, {kernel} kernel, {method} method."),
            bandwidth=round(result.bandwidth_m, 2),
            rule=rule,
            cell=round(result.cell_size_m, 3),
            kernel=kernel,
            method=result.method,
        )
        if result.output == "density" and area is None:
            report.info(
                N_(
                    "Sum of density × cell area: {integral} of {total} incidents (the raster reaches a bandwidth beyond them)."
                ),
                integral=round(result.integral, 2),
                total=round(result.weight_sum, 2),
            )
        elif result.output == "density":
            report.info(
                N_(
                    "Sum of density × cell area: {integral} of {total} incidents ({share}%); the rest is kernel mass "
                    "beyond the edge of the area."
                ),
                integral=round(result.integral, 2),
                total=round(result.weight_sum, 2),
                share=round(100.0 * result.integral / result.weight_sum, 2),
            )
        output = self._geotiff_path(parameters, context)
        write_geotiff(output, result.values, result.grid, result.crs)
        style_path = scaled_heatmap_style(result.values, Path(output).with_suffix(".qml"))
        style_output(context, output, str(style_path), tr("Incident heatmap"))
        return {
            self.OUTPUT: output,
            "BANDWIDTH_M": result.bandwidth_m,
            "CELL_SIZE_M": result.cell_size_m,
            "N_USED": result.n_points,
            "INTEGRAL": result.integral,
        }
