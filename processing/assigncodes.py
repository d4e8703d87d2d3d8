"""gridplanner:assigncodes — code any grid layer: the parent's 12-digit division code + a 3-digit serial."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from ..grid_plugin import qgis_io
from ..grid_plugin.compat import vector_polygon_type
from ..grid_plugin.core.errors import N_, InputError
from ..grid_plugin.core.inputs import check_code_field
from ..grid_plugin.i18n import tr
from .base import GridPlannerAlgorithm, add_code_parameters, checked_frame, code_parts
from .partition import FIELD_ALIASES


class AssignCodesAlgorithm(GridPlannerAlgorithm):
    """Code the grids of any polygon layer in west→east, north→south order within each parent."""

    NAME = "assigncodes"
    DISPLAY_NAME = "Assign grid codes"
    GROUP_ID = "grids"
    GROUP = "Design grids"
    SHORT_HELP = (
        "Gives every grid a 15-digit code (DB11/T 2157-2023): its parent's 12-digit 统计用区划代码 (GB/T 10114: "
        "county 6 + township 3 + community or village 3) + a 3-digit serial. The parent code field may hold the "
        "12-digit code, or a township (9 digits, or 12 ending in 000), county (6 digits, or 12 ending in 000000) "
        "or 3-digit community code, completed with the county, township and community codes given; without a "
        "field every grid has county + township + community as its parent. Other parent codes are refused. "
        "Serials run in rows from north to south, west to east within a row: a row starts at the northernmost "
        "grid centroid not yet numbered and holds every centroid less than half a row height (the median grid "
        "height) south of it. The input layer is not changed."
    )

    INPUT = "INPUT"
    PARENT_FIELD = "PARENT_FIELD"
    CODE_FIELD = "CODE_FIELD"
    BAND = "BAND"
    OUTPUT = "OUTPUT"

    def initAlgorithm(self, config=None):  # noqa: N802
        """Declare the parameters."""
        self.addParameter(QgsProcessingParameterFeatureSource(self.INPUT, tr("Grids"), [vector_polygon_type()]))
        self.addParameter(
            QgsProcessingParameterField(
                self.PARENT_FIELD,
                tr("Parent code field (community or village)"),
                parentLayerParameterName=self.INPUT,
                optional=True,
            )
        )
        add_code_parameters(self)
        self.addParameter(
            QgsProcessingParameterString(self.CODE_FIELD, tr("Code field name"), defaultValue="grid_code")
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.BAND,
                tr("Row height (m, 0: the median grid height)"),
                QgsProcessingParameterNumber.Type.Double,
                0,
                minValue=0,
            )
        )
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT, tr("Coded grids")))

    def work(self, parameters, context, feedback, report):
        """Read the grids, code them, write a coded copy."""
        from ..grid_plugin.core.partition.coding import assign_codes

        county, township, community = code_parts(self, parameters, context)  # refused before reading anything
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None or source.featureCount() == 0:
            raise InputError(N_("The grid layer is empty; choose a layer with grid polygons."))
        code_field = (self.parameterAsString(parameters, self.CODE_FIELD, context) or "grid_code").strip()
        check_code_field(code_field)
        names = [f.name() for f in source.fields() if f.name().lower() != "fid"]
        grids = checked_frame(
            self, self.INPUT, qgis_io.source_to_gdf(source, field_names=names, feedback=feedback), report
        )
        if grids.crs is not None and grids.crs.is_geographic:
            report.warn(
                N_("The grid layer is in a geographic CRS ({crs}); row bands are measured in degrees."),
                crs=grids.crs.to_string(),
            )
        band = self.parameterAsDouble(parameters, self.BAND, context)
        coded = assign_codes(
            grids.drop(columns="fid"),
            parent_code_field=self.parameterAsString(parameters, self.PARENT_FIELD, context) or None,
            county=county,
            township=township,
            community=community,
            code_field=code_field,
            row_height_m=band or None,
            report=report,
        )
        aliases = dict(FIELD_ALIASES)
        aliases[code_field] = FIELD_ALIASES["grid_code"]
        aliases["serial"] = "序号"
        fields = qgis_io.fields_for_frame(coded, aliases=aliases, kinds={code_field: "string"})
        sink, dest_id = self.parameterAsSink(
            parameters, self.OUTPUT, context, fields, qgis_io.wkb_type_for(coded), source.sourceCrs()
        )
        qgis_io.write_frame_to_sink(coded, sink, fields, feedback)
        return {self.OUTPUT: dest_id}
