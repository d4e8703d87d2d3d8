"""gridplanner:incidentstats — incidents per grid, rates, change, rank, Gi* hot/cold spots and a chart."""

from __future__ import annotations

import tempfile
from pathlib import Path

from qgis.core import (
    QgsProcessingOutputNumber,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from ..grid_plugin import qgis_io
from ..grid_plugin.compat import vector_point_type, vector_polygon_type
from ..grid_plugin.core.errors import N_
from ..grid_plugin.core.incidents.chart import CHART_LABELS, monthly_chart
from ..grid_plugin.core.incidents.dates import parse_one
from ..grid_plugin.core.incidents.stats import grid_incident_stats
from ..grid_plugin.i18n import tr
from .base import GridPlannerAlgorithm, checked_numbers, numeric_field_parameter, style_output
from .incidentheatmap import add_filter_parameters, field_or_none, read_source

HOTSPOT_QML = "incident_hotspots.qml"

#: Chinese aliases of the output fields (category columns get the category value as alias).
FIELD_ALIASES = {
    "grid_id": "网格",
    "n_incidents": "事件数",
    "n_previous": "上期事件数",
    "change": "变化",
    "change_pct": "变化(%)",
    "area_km2": "面积(平方公里)",
    "per_km2": "每平方公里事件数",
    "households": "户数",
    "per_1000_hh": "每千户事件数",
    "rank": "排名",
    "gi_z": "Gi*值(z)",
    "gi_p": "p值",
    "gi_q": "FDR校正p值",
    "hotspot": "冷热点等级",
    "hotspot_label": "冷热点",
}


class IncidentStatsAlgorithm(GridPlannerAlgorithm):
    """Incidents per grid with rates, change, rank and FDR-corrected Getis–Ord Gi* hot/cold spots."""

    NAME = "incidentstats"
    DISPLAY_NAME = "Incident statistics per grid"
    GROUP_ID = "incidents"
    GROUP = "Incidents"
    SHORT_HELP = (
        "Counts incidents in each grid, in total and per category, for a time window and a previous period "
        "(default: the period of equal length, or the same number of whole months, just before it); the "
        "change; rates per 1,000 households and per km²; rank. Finds hot and cold spots with Getis–Ord Gi* "
        "on grid adjacency (queen or rook contiguity from shared boundaries, binary weights, each grid "
        "included in its own neighbourhood) with the Benjamini–Hochberg false-discovery-rate correction at "
        "90/95/99% confidence. Incidents outside every grid and incidents without valid coordinates are "
        "counted and reported. Incidents in another CRS are transformed to the grids' CRS. Draws a chart of "
        "incidents per month by category for the whole area and for the top grids."
    )

    GRIDS = "GRIDS"
    GRID_ID_FIELD = "GRID_ID_FIELD"
    HOUSEHOLDS_FIELD = "HOUSEHOLDS_FIELD"
    INCIDENTS = "INCIDENTS"
    CATEGORY_FIELD = "CATEGORY_FIELD"
    CATEGORIES = "CATEGORIES"
    DATE_FIELD = "DATE_FIELD"
    DATE_FROM = "DATE_FROM"
    DATE_TO = "DATE_TO"
    PREVIOUS_FROM = "PREVIOUS_FROM"
    PREVIOUS_TO = "PREVIOUS_TO"
    CONTIGUITY = "CONTIGUITY"
    HOTSPOT_VALUE = "HOTSPOT_VALUE"
    TOLERANCE = "TOLERANCE"
    TOP_GRIDS = "TOP_GRIDS"
    OUTPUT = "OUTPUT"
    CHART = "CHART"

    CONTIGUITIES = ("queen", "rook")
    HOTSPOT_VALUES = ("count", "per_km2", "per_1000_households")

    def initAlgorithm(self, config=None):  # noqa: N802
        """Declare the parameters."""
        self.addParameter(QgsProcessingParameterFeatureSource(self.GRIDS, tr("Grids"), [vector_polygon_type()]))
        self.addParameter(
            QgsProcessingParameterField(
                self.GRID_ID_FIELD, tr("Grid name or code field"), parentLayerParameterName=self.GRIDS, optional=True
            )
        )
        self.addParameter(numeric_field_parameter(self.HOUSEHOLDS_FIELD, tr("Households field"), self.GRIDS))
        self.addParameter(
            QgsProcessingParameterFeatureSource(self.INCIDENTS, tr("Incident points"), [vector_point_type()])
        )
        add_filter_parameters(self, self.INCIDENTS)
        self.addParameter(
            QgsProcessingParameterString(
                self.PREVIOUS_FROM, tr("Previous period from (empty: just before the window)"), optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterString(self.PREVIOUS_TO, tr("Previous period to, inclusive"), optional=True)
        )
        self.addParameter(
            QgsProcessingParameterEnum(
                self.CONTIGUITY,
                tr("Neighbours"),
                options=[tr("Queen (shared edge or corner)"), tr("Rook (shared edge)")],
                defaultValue=0,
            )
        )
        self.addParameter(
            QgsProcessingParameterEnum(
                self.HOTSPOT_VALUE,
                tr("Hot spots of"),
                options=[tr("Incident count"), tr("Incidents per km²"), tr("Incidents per 1,000 households")],
                defaultValue=0,
            )
        )
        tolerance = QgsProcessingParameterNumber(
            self.TOLERANCE,
            tr("Neighbour tolerance in metres (gaps between grids up to this count as shared)"),
            QgsProcessingParameterNumber.Type.Double,
            defaultValue=0.0,
            minValue=0.0,
        )
        top = QgsProcessingParameterNumber(
            self.TOP_GRIDS,
            tr("Top grids in the chart"),
            QgsProcessingParameterNumber.Type.Integer,
            defaultValue=5,
            minValue=0,
        )
        for parameter in (tolerance, top):
            parameter.setFlags(parameter.flags() | QgsProcessingParameterDefinition.Flag.FlagAdvanced)
            self.addParameter(parameter)
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT, tr("Incident statistics per grid")))
        self.addParameter(
            QgsProcessingParameterFileDestination(
                self.CHART, tr("Monthly chart (PNG)"), fileFilter="PNG (*.png)", optional=True, createByDefault=True
            )
        )
        for key, label in (
            ("N_INPUT", tr("Incidents read")),
            ("N_IN_GRIDS", tr("Incidents in grids")),
            ("N_OUTSIDE_GRIDS", tr("Incidents outside every grid")),
            ("N_INVALID", tr("Incidents without valid coordinates")),
            ("N_UNPARSED_DATES", tr("Incidents with unreadable dates")),
            ("N_HOT", tr("Hot spot grids")),
            ("N_COLD", tr("Cold spot grids")),
        ):
            self.addOutput(QgsProcessingOutputNumber(key, label))

    def work(self, parameters, context, feedback, report):
        """Read, count, test, write the grids, draw the chart."""
        category_field = field_or_none(self, parameters, self.CATEGORY_FIELD, context)
        date_field = field_or_none(self, parameters, self.DATE_FIELD, context)
        grid_id_field = field_or_none(self, parameters, self.GRID_ID_FIELD, context)
        households_field = field_or_none(self, parameters, self.HOUSEHOLDS_FIELD, context)

        def when(key, end=False, what=""):
            return parse_one(self.parameterAsString(parameters, key, context), end_of_day=end, what=what)

        date_from = when(self.DATE_FROM, what=tr("start date"))
        date_to = when(self.DATE_TO, True, tr("end date"))
        previous_from = when(self.PREVIOUS_FROM, what=tr("previous period start"))
        previous_to = when(self.PREVIOUS_TO, True, tr("previous period end"))
        grids = read_source(self, parameters, self.GRIDS, context, feedback, report=report)
        grids = checked_numbers(self, self.GRIDS, grids, households_field, report)
        fields = [f for f in (category_field, date_field) if f]
        incidents = read_source(self, parameters, self.INCIDENTS, context, feedback, fields=fields)
        report.check_cancelled()
        result = grid_incident_stats(
            grids,
            incidents,
            grid_id_field=grid_id_field,
            households_field=households_field,
            category_field=category_field,
            categories=self.parameterAsString(parameters, self.CATEGORIES, context) or None,
            date_field=date_field,
            date_from=date_from,
            date_to=date_to,
            previous_from=previous_from,
            previous_to=previous_to,
            contiguity=self.CONTIGUITIES[self.parameterAsEnum(parameters, self.CONTIGUITY, context)],
            hotspot_value=self.HOTSPOT_VALUES[self.parameterAsEnum(parameters, self.HOTSPOT_VALUE, context)],
            tolerance_m=self.parameterAsDouble(parameters, self.TOLERANCE, context),
            top_n=self.parameterAsInt(parameters, self.TOP_GRIDS, context),
            report=report,
        )
        summary = result.summary
        report.info(
            N_(
                "Incidents: {n_input} read, {n_invalid} without valid coordinates, {n_other_category} of other "
                "categories, {n_unparsed_date} with unreadable dates, {n_outside_window} outside the time window; "
                "{n_in_grids} in grids, {n_outside_grids} outside every grid; {n_previous} in grids in the previous "
                "period. Hot spot grids: {n_hot}, cold spot grids: {n_cold}."
            ),
            **{k: v for k, v in summary.items() if k != "unparsed_examples"},
        )
        frame = result.grids.copy()
        frame["hotspot_label"] = [tr(v) if v else None for v in frame["hotspot_label"]]
        if grid_id_field and grid_id_field in frame.columns and grid_id_field != "grid_id":
            frame = frame.drop(columns=grid_id_field)
        if "fid" in frame.columns:
            frame = frame.drop(columns="fid")
        aliases = dict(FIELD_ALIASES)
        for column, category in result.category_columns.items():
            aliases[column] = category or tr("(no category)")
        kinds = {"hotspot": "int", "grid_id": "string"}
        fields = qgis_io.fields_for_frame(frame, aliases=aliases, kinds=kinds)
        frame["grid_id"] = frame["grid_id"].astype(str)
        frame["hotspot"] = frame["hotspot"].astype(object).where(frame["hotspot"].notna(), None)
        grids_crs = qgis_io.pyproj_to_qgis_crs(frame.crs)
        sink, dest_id = self.parameterAsSink(
            parameters, self.OUTPUT, context, fields, qgis_io.wkb_type_for(frame), grids_crs
        )
        chart_path = self.parameterAsFileOutput(parameters, self.CHART, context)
        if not result.monthly.empty:
            if not chart_path:
                chart_path = str(Path(tempfile.mkdtemp(prefix="gridplanner-chart-")) / "incidents_by_month.png")
            labels = {key: tr(value) for key, value in CHART_LABELS.items()}
            missing = monthly_chart(result.monthly, result.monthly_top, chart_path, labels=labels)
            if missing:
                report.warn(N_("The chart font lacks some characters: {examples}"), examples="; ".join(missing[:3]))
            report.info(N_("Chart written to {path}"), path=chart_path)
        else:
            if date_field is None:
                report.info(N_("No date field was given, so no monthly chart was drawn."))
            chart_path = None
        if sink is not None:
            qgis_io.write_frame_to_sink(frame, sink, fields, feedback)
        style_output(context, dest_id, HOTSPOT_QML, tr("Incident hot spots"), aliases=aliases)
        return {
            self.OUTPUT: dest_id,
            self.CHART: chart_path,
            "N_INPUT": summary["n_input"],
            "N_IN_GRIDS": summary["n_in_grids"],
            "N_OUTSIDE_GRIDS": summary["n_outside_grids"],
            "N_INVALID": summary["n_invalid"],
            "N_UNPARSED_DATES": summary["n_unparsed_date"],
            "N_HOT": summary["n_hot"],
            "N_COLD": summary["n_cold"],
        }
