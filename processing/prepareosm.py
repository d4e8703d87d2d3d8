"""gridplanner:prepareosm — planning inputs (boundary, buildings, roads, …) from an OpenStreetMap file."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingContext,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterCrs,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsVectorLayer,
)

from ..grid_plugin import qgis_io
from ..grid_plugin.compat import vector_polygon_type
from ..grid_plugin.core.crs import describe_crs
from ..grid_plugin.core.errors import N_, InputError
from ..grid_plugin.core.gpkg import write_gpkg
from ..grid_plugin.core.prepare.osm import FIELD_ALIASES_ZH, LAYER_COLUMNS, LAYER_GEOMETRY, prepare_osm
from ..grid_plugin.i18n import tr
from .base import GridPlannerAlgorithm, checked_frame

#: Layer names shown in QGIS when the outputs are loaded (translated at run time).
LAYER_TITLES = {
    "boundary": N_("Planning area"),
    "buildings": N_("Buildings"),
    "roads": N_("Roads"),
    "waterways": N_("Waterways"),
    "railways": N_("Railways"),
    "landuse": N_("Land use"),
    "water": N_("Water"),
    "pois": N_("Points of interest"),
}


def set_aliases(layer, aliases: dict) -> int:
    """Give the fields of ``layer`` their (Chinese) aliases; return how many were set."""
    count = 0
    for index, field in enumerate(layer.fields()):
        alias = aliases.get(field.name())
        if alias:
            layer.setFieldAlias(index, alias)
            count += 1
    return count


def store_alias_styles(path, layer_names, aliases: dict) -> None:
    """Save a default style with the field aliases in the GeoPackage's ``layer_styles`` table.

    QGIS 3.22 on GDAL 3.6 does not read aliases from ``gpkg_data_columns``; a default style in the
    GeoPackage is what QGIS loads with the layer, in the desktop and in qgis_process alike.
    """
    for name in layer_names:
        layer = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
        if not layer.isValid() or not set_aliases(layer, aliases):
            continue
        layer.saveStyleToDatabase(name, "Grid Planner: field aliases (字段别名)", True, "")
        del layer  # release the file before it is renamed


def _advanced(parameter):
    parameter.setFlags(parameter.flags() | QgsProcessingParameterDefinition.Flag.FlagAdvanced)
    return parameter


class PrepareOsmAlgorithm(GridPlannerAlgorithm):
    """Read an OSM extract and write one GeoPackage of projected, clipped planning inputs."""

    NAME = "prepareosm"
    DISPLAY_NAME = "Prepare planning inputs from OpenStreetMap"
    GROUP_ID = "prepare"
    GROUP = "Prepare inputs"
    SHORT_HELP = (
        "Reads an OpenStreetMap file (.osm, .osm.gz or .osm.pbf) and writes one GeoPackage with the layers "
        "boundary, buildings, roads, waterways, railways, landuse, water and pois, all in one metric CRS: the "
        "one you choose, or chosen automatically (the CGCS2000 3-degree Gauss-Kruger zone, EPSG:4534-4554, "
        "inside China; UTM elsewhere). The planning area is the administrative polygon with the name you give "
        "(or its OSM id such as relation/123), or your boundary layer, or else the convex hull of the data. "
        "Features are clipped to the area; buildings are kept whole and belong to the area that holds a point "
        "inside them. Invalid polygons are repaired and counted in the log. The GeoPackage is written "
        "completely or not at all."
    )

    INPUT = "INPUT"
    BOUNDARY_NAME = "BOUNDARY_NAME"
    BOUNDARY = "BOUNDARY"
    TARGET_CRS = "TARGET_CRS"
    HULL_BUFFER_M = "HULL_BUFFER_M"
    CLIP_TO_DATA = "CLIP_TO_DATA"
    OUTPUT = "OUTPUT"

    def initAlgorithm(self, config=None):  # noqa: N802
        """Declare the parameters."""
        self.addParameter(
            QgsProcessingParameterFile(
                self.INPUT,
                tr("OpenStreetMap file (.osm, .osm.gz, .osm.pbf)"),
                behavior=QgsProcessingParameterFile.Behavior.File,
                fileFilter=tr("OpenStreetMap files (*.osm *.osm.gz *.osm.pbf *.pbf)"),
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.BOUNDARY_NAME, tr("Administrative boundary name or OSM id (optional)"), optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.BOUNDARY, tr("Boundary layer (optional)"), [vector_polygon_type()], optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterCrs(self.TARGET_CRS, tr("Target CRS (empty: choose automatically)"), optional=True)
        )
        self.addParameter(
            _advanced(
                QgsProcessingParameterNumber(
                    self.HULL_BUFFER_M,
                    tr("Without a boundary: grow (+) or shrink (-) the hull of the data by (m)"),
                    QgsProcessingParameterNumber.Type.Double,
                    0.0,
                )
            )
        )
        self.addParameter(
            _advanced(
                QgsProcessingParameterBoolean(
                    self.CLIP_TO_DATA, tr("Clip the boundary to the extent of the data"), defaultValue=False
                )
            )
        )
        self.addParameter(
            QgsProcessingParameterFileDestination(
                self.OUTPUT, tr("Planning inputs (GeoPackage)"), fileFilter=tr("GeoPackage (*.gpkg)")
            )
        )
        self.addOutput(QgsProcessingOutputString("CRS", tr("CRS of the outputs")))
        self.addOutput(QgsProcessingOutputNumber("N_BUILDINGS", tr("Number of buildings")))
        self.addOutput(QgsProcessingOutputNumber("N_ROADS", tr("Number of roads")))
        self.addOutput(QgsProcessingOutputNumber("AREA_M2", tr("Planning area (m²)")))

    def _gpkg_path(self, parameters, context) -> str:
        output = self.parameterAsFileOutput(parameters, self.OUTPUT, context)
        return output if output.lower().endswith(".gpkg") else output + ".gpkg"

    def derived_output_paths(self, parameters, context) -> list:
        """The GeoPackage (``.gpkg`` is added when the parameter lacks it)."""
        return [self._gpkg_path(parameters, context)]

    def work(self, parameters, context, feedback, report):
        """Prepare the layers with the core, then write the GeoPackage atomically."""
        path = self.parameterAsFile(parameters, self.INPUT, context)
        if not path:
            raise InputError(N_("Choose an OpenStreetMap file (.osm, .osm.gz or .osm.pbf)."))
        boundary_name = (self.parameterAsString(parameters, self.BOUNDARY_NAME, context) or "").strip() or None
        boundary = None
        source = self.parameterAsSource(parameters, self.BOUNDARY, context)
        if source is not None:
            names = [f.name() for f in source.fields() if f.name().lower() != "fid"]
            boundary = qgis_io.source_to_gdf(source, field_names=names, feedback=feedback).drop(columns="fid")
            boundary = checked_frame(self, self.BOUNDARY, boundary, report)
            if boundary.empty:
                raise InputError(N_("The boundary layer is empty; choose a layer with the planning area."))
        crs = self.parameterAsCrs(parameters, self.TARGET_CRS, context)
        target = qgis_io.qgis_crs_to_pyproj(crs) if crs is not None and crs.isValid() else None
        output = self._gpkg_path(parameters, context)

        layers = prepare_osm(
            path,
            boundary_name=boundary_name,
            boundary=boundary,
            target_crs=target,
            hull_buffer_m=self.parameterAsDouble(parameters, self.HULL_BUFFER_M, context),
            clip_boundary_to_data=self.parameterAsBool(parameters, self.CLIP_TO_DATA, context),
            report=report,
        )
        report.check_cancelled()
        write_gpkg(
            layers,
            output,
            aliases=FIELD_ALIASES_ZH,
            geometry_types=LAYER_GEOMETRY,
            finalize=lambda temporary: store_alias_styles(temporary, list(layers), FIELD_ALIASES_ZH),
            report=report,
        )
        self._load_on_completion(output, context)
        boundary_layer = layers["boundary"]
        return {
            self.OUTPUT: output,
            "CRS": describe_crs(boundary_layer.crs),
            "N_BUILDINGS": len(layers["buildings"]),
            "N_ROADS": len(layers["roads"]),
            "AREA_M2": float(boundary_layer["area_m2"].sum()),
        }

    def _load_on_completion(self, output: str, context) -> None:
        """In the desktop, add every written layer to the project when the run finishes."""
        if context.project() is None:
            return
        for name in reversed(list(LAYER_COLUMNS)):  # points and lines end up above the polygons
            layer = QgsVectorLayer(f"{output}|layername={name}", tr(LAYER_TITLES[name]), "ogr")
            if not layer.isValid():
                continue
            context.temporaryLayerStore().addMapLayer(layer)
            details = QgsProcessingContext.LayerDetails(tr(LAYER_TITLES[name]), context.project(), name)
            details.outputName = name
            context.addLayerToLoadOnCompletion(layer.id(), details)

    def tags(self):
        """Search words in the toolbox."""
        return ["OpenStreetMap", "OSM", "pbf", "CGCS2000", "UTM", tr("buildings"), tr("roads"), tr("boundary")]
