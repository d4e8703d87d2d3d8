"""gridplanner:exportregister — the grid register (网格台账) as Excel, a GBK Shapefile and DXF."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterString,
)

from ..grid_plugin import qgis_io
from ..grid_plugin.compat import vector_any_type, vector_line_type, vector_polygon_type
from ..grid_plugin.core.errors import N_, InputError
from ..grid_plugin.i18n import tr
from .base import GridPlannerAlgorithm, checked_frame


class ExportRegisterAlgorithm(GridPlannerAlgorithm):
    """Write the office's files for a grid plan: the 台账 workbook, a Shapefile and a DXF drawing."""

    NAME = "exportregister"
    DISPLAY_NAME = "Export grid register (Excel, Shapefile, DXF)"
    GROUP_ID = "export"
    GROUP = "Export maps"
    SHORT_HELP = (
        "Writes the grid register (网格台账) as an Excel workbook with one row per grid (code, name, type, "
        "community or village, households, population, buildings, area in m², boundaries (四至), grid leader, "
        "grid worker, phone, responsible unit; empty where the grid layer has no such field), a sheet of each "
        "grid's buildings when buildings are given, and a sheet that explains every column. Optionally also a "
        "Shapefile of the grids with the same columns, in GBK (what most Chinese desktop GIS expect) or UTF-8, "
        "with a .cpg naming the encoding and field names of at most 10 bytes (pinyin initials, listed in the "
        "explanation sheet), and a DXF drawing with the grid outlines on layer GRID_BOUNDARY and the codes as "
        "text on layer GRID_CODE, in the grids' CRS. Fields are found by their usual names (grid_code, "
        "grid_type, households, population, worker, phone …). With a parent layer (communities and villages) "
        "each grid's 所属社区/村 is its parent's name and code (matched by the grids' parent_code, else by "
        "overlap); without one the grids' parent_code is used. With buildings, 楼栋数 is counted and 户数 and "
        "人口 are summed from the buildings' households and population where the grids have none. Sides of the "
        "四至 on the plan's outer edge name the area's boundary (the area layer's name, else the name given); "
        "when the area layer is only the extent of the data they are left out, as on the map. "
        "The grid layer is not changed."
    )

    GRIDS = "GRIDS"
    BUILDINGS = "BUILDINGS"
    BARRIERS = "BARRIERS"
    BARRIER_NAME_FIELD = "BARRIER_NAME_FIELD"
    CODE_FIELD = "CODE_FIELD"
    AREA = "AREA"
    AREA_NAME = "AREA_NAME"
    PARENTS = "PARENTS"
    PARENT_CODE_FIELD = "PARENT_CODE_FIELD"
    PARENT_NAME_FIELD = "PARENT_NAME_FIELD"
    LANGUAGE = "LANGUAGE"
    SHP_ENCODING = "SHP_ENCODING"
    OUTPUT_XLSX = "OUTPUT_XLSX"
    OUTPUT_SHP = "OUTPUT_SHP"
    OUTPUT_DXF = "OUTPUT_DXF"

    LANGUAGES = ("zh", "en")
    ENCODINGS = ("GBK", "UTF-8")

    def initAlgorithm(self, config=None):  # noqa: N802
        """Declare the parameters."""
        self.addParameter(QgsProcessingParameterFeatureSource(self.GRIDS, tr("Grids"), [vector_polygon_type()]))
        self.addParameter(
            QgsProcessingParameterField(
                self.CODE_FIELD, tr("Grid code field"), parentLayerParameterName=self.GRIDS, optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.BUILDINGS, tr("Buildings (for the building list)"), [vector_any_type()], optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.BARRIERS, tr("Named roads, rivers and railways (for 四至)"), [vector_line_type()], optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.BARRIER_NAME_FIELD,
                tr("Name field of the barriers"),
                defaultValue="name",
                parentLayerParameterName=self.BARRIERS,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.PARENTS,
                tr("Parent layer (communities and villages, for 所属社区/村)"),
                [vector_polygon_type()],
                optional=True,
            )
        )
        for key, label in (
            (self.PARENT_CODE_FIELD, tr("Parent code field (empty: code, parent_code …)")),
            (self.PARENT_NAME_FIELD, tr("Parent name field (empty: name …)")),
        ):
            self.addParameter(
                QgsProcessingParameterField(key, label, parentLayerParameterName=self.PARENTS, optional=True)
            )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.AREA, tr("Area boundary (for 四至 on the outer edge)"), [vector_polygon_type()], optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.AREA_NAME, tr("Name of the area's boundary (for 四至 on the outer edge)"), optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterEnum(
                self.LANGUAGE, tr("Language"), options=[tr("Chinese (中文)"), tr("English")], defaultValue=0
            )
        )
        self.addParameter(
            QgsProcessingParameterEnum(
                self.SHP_ENCODING, tr("Shapefile encoding"), options=["GBK", "UTF-8"], defaultValue=0
            )
        )
        self.addParameter(
            QgsProcessingParameterFileDestination(
                self.OUTPUT_XLSX, tr("Grid register (Excel)"), tr("Excel files (*.xlsx)")
            )
        )
        self.addParameter(
            QgsProcessingParameterFileDestination(
                self.OUTPUT_SHP, tr("Grids (Shapefile)"), tr("Shapefiles (*.shp)"), optional=True, createByDefault=False
            )
        )
        self.addParameter(
            QgsProcessingParameterFileDestination(
                self.OUTPUT_DXF,
                tr("Grids (DXF drawing)"),
                tr("DXF files (*.dxf)"),
                optional=True,
                createByDefault=False,
            )
        )

    def _optional_output(self, parameters, name, context) -> str | None:
        value = parameters.get(name)
        if value in (None, "", False):
            return None
        path = self.parameterAsFileOutput(parameters, name, context)
        return path or None

    def work(self, parameters, context, feedback, report):
        """Read the grids (and buildings, barriers), build the register, write the files."""
        from ..grid_plugin.core.publish.boundary_description import outer_edge
        from ..grid_plugin.core.publish.register import build_register, write_dxf, write_shapefile, write_xlsx

        source = self.parameterAsSource(parameters, self.GRIDS, context)
        if source is None or source.featureCount() == 0:
            raise InputError(N_("The grid layer is empty; choose a layer with grid polygons."))
        names = [f.name() for f in source.fields() if f.name().lower() != "fid"]
        grids = qgis_io.source_to_gdf(source, field_names=names, feedback=feedback).drop(columns="fid")
        grids = checked_frame(self, self.GRIDS, grids, report)
        buildings = None
        building_source = self.parameterAsSource(parameters, self.BUILDINGS, context)
        if building_source is not None:
            buildings = checked_frame(
                self, self.BUILDINGS, qgis_io.source_to_gdf(building_source, feedback=feedback), report
            )
        barriers = None
        barrier_source = self.parameterAsSource(parameters, self.BARRIERS, context)
        name_field = self.parameterAsString(parameters, self.BARRIER_NAME_FIELD, context) or "name"
        if barrier_source is not None:
            barriers = qgis_io.source_to_gdf(barrier_source, field_names=[name_field], feedback=feedback)
        code_field = self.parameterAsString(parameters, self.CODE_FIELD, context) or None
        area_name = (self.parameterAsString(parameters, self.AREA_NAME, context) or "").strip()
        language = self.LANGUAGES[self.parameterAsEnum(parameters, self.LANGUAGE, context)]
        encoding = self.ENCODINGS[self.parameterAsEnum(parameters, self.SHP_ENCODING, context)]
        xlsx = self.parameterAsFileOutput(parameters, self.OUTPUT_XLSX, context)
        shp = self._optional_output(parameters, self.OUTPUT_SHP, context)
        dxf = self._optional_output(parameters, self.OUTPUT_DXF, context)
        parents = None
        parent_source = self.parameterAsSource(parameters, self.PARENTS, context)
        if parent_source is not None:
            parents = checked_frame(
                self, self.PARENTS, qgis_io.source_to_gdf(parent_source, feedback=feedback), report
            ).drop(columns="fid", errors="ignore")
        parent_fields = {
            "code": self.parameterAsString(parameters, self.PARENT_CODE_FIELD, context) or None,
            "name": self.parameterAsString(parameters, self.PARENT_NAME_FIELD, context) or None,
        }
        area = None
        area_source = self.parameterAsSource(parameters, self.AREA, context)
        if area_source is not None:
            wanted = [f.name() for f in area_source.fields() if f.name() in ("name", "admin_level")]
            area = qgis_io.source_to_gdf(area_source, field_names=wanted, feedback=feedback)
        # One rule with the map and atlas: the boundary's name when it is one, nothing for the data extent.
        area_label = outer_edge(area, area_name).side_label
        if area_label and language == "en" and area_name and area is None:
            area_label = area_name
        register = build_register(
            grids,
            buildings=buildings,
            barriers=barriers,
            barrier_name_field=name_field,
            fields={"code": code_field} if code_field else None,
            parents=parents,
            parent_fields=parent_fields,
            area_label=area_label,
            lang=language,
            report=report,
        )
        report.check_cancelled()
        results = {"N_GRIDS": len(register.table)}
        results[self.OUTPUT_XLSX] = str(write_xlsx(register, xlsx, lang=language))
        report.progress(85)
        if shp:
            results[self.OUTPUT_SHP] = str(write_shapefile(register, shp, encoding=encoding, report=report))
        if dxf:
            results[self.OUTPUT_DXF] = str(write_dxf(register, dxf))
        results["N_BUILDINGS"] = 0 if register.buildings is None else len(register.buildings)
        report.progress(100)
        return results
