"""gridplanner:assigncodes — code any grid layer: county + township + community + serial."""

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
from .base import GridPlannerAlgorithm, checked_frame
from .partition import FIELD_ALIASES


class AssignCodesAlgorithm(GridPlannerAlgorithm):
    """Code the grids of any polygon layer in west→east, north→south order within each parent."""

    NAME = "assigncodes"
    DISPLAY_NAME = "Assign grid codes"
    GROUP_ID = "grids"
    GROUP = "Design grids"
    SHORT_HELP = (
        "Gives every grid a code of 6-digit county + 3-digit township + 3-digit community or village + "
        "3-digit serial (as in DB11/T 2157-2023 and GB/T 10114). Serials run west to east in row bands "
        "from north to south within each parent (a band is about one grid high). A parent code of 12 digits "
        "is used as the whole prefix, of 9 digits as township + community, of 3 digits as the community; "
        "other parent codes are numbered 001, 002, … in sorted order. The input layer is not changed."
    )

    INPUT = "INPUT"
    PARENT_FIELD = "PARENT_FIELD"
    COUNTY = "COUNTY"
    TOWNSHIP = "TOWNSHIP"
    COMMUNITY = "COMMUNITY"
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
        self.addParameter(
            QgsProcessingParameterString(self.COUNTY, tr("County code (6 digits)"), defaultValue="000000")
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.TOWNSHIP, tr("Township or subdistrict code (3 digits)"), defaultValue="000"
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.COMMUNITY, tr("Community code without a parent field (3 digits)"), defaultValue="001"
            )
        )
        self.addParameter(
            QgsProcessingParameterString(self.CODE_FIELD, tr("Code field name"), defaultValue="grid_code")
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.BAND,
                tr("Row band height (m, 0: about one grid high)"),
                QgsProcessingParameterNumber.Type.Double,
                0,
                minValue=0,
            )
        )
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT, tr("Coded grids")))

    def work(self, parameters, context, feedback, report):
        """Read the grids, code them, write a coded copy."""
        from ..grid_plugin.core.partition.coding import assign_codes

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
            county=(self.parameterAsString(parameters, self.COUNTY, context) or "000000").strip(),
            township=(self.parameterAsString(parameters, self.TOWNSHIP, context) or "000").strip(),
            community=(self.parameterAsString(parameters, self.COMMUNITY, context) or "001").strip(),
            code_field=code_field,
            band_m=band or None,
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
