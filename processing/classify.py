"""gridplanner:classify — type every grid (residential, village, farmland, forest, mountain …) with its evidence."""

from __future__ import annotations

import pandas as pd
from qgis.core import (
    QgsFeatureSink,
    QgsProcessing,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
    QgsWkbTypes,
)

from ..grid_plugin import qgis_io
from ..grid_plugin.compat import vector_any_type, vector_polygon_type
from ..grid_plugin.core.classify.engine import OUTPUT_ALIASES_ZH, Thresholds, classify_grids, rule_text
from ..grid_plugin.core.errors import N_, InputError
from ..grid_plugin.core.grid_types import label as type_label
from ..grid_plugin.i18n import template_in, tr
from .base import GridPlannerAlgorithm, checked_frame, language_parameter, style_output
from .context_parameters import add_context_parameters, context_settings, ur_code_field

STYLE = "grid_types.qml"


LANDUSE_TABLES = ["osm_landuse", "gbt21010"]
LANDCOVER_TABLES = ["nlcd", "esa_worldcover", "clcd"]
OVERLAP_MODES = ["priority", "union"]

#: (parameter key, Thresholds attribute, label, default, is a share shown in percent)
THRESHOLD_PARAMETERS = [
    ("SITE_SHARE", "site_share", N_("Site rule: minimum share of a specialised site (%)"), True),
    ("CROWDED_MIN_SCORE", "crowded_min_score", N_("Crowded rule: minimum POI score"), False),
    (
        "CROWDED_MIN_SHARE",
        "crowded_min_share",
        N_("Crowded rule: minimum share of crowded places in the grid's area or floor area (%)"),
        True,
    ),
    ("BUILDING_SHARE", "building_share", N_("Building rule: minimum share of the floor area (%)"), True),
    ("MIN_FLOOR_AREA", "min_floor_area_m2", N_("Building rule: minimum floor area of a built-up grid (m²)"), False),
    ("MIN_BUILT_FAR", "min_built_far", N_("Building rule: minimum floor-area ratio of a built-up grid"), False),
    ("VILLAGE_MAX_FAR", "village_max_far", N_("Village rule: maximum floor-area ratio of rural housing"), False),
    ("VILLAGE_MAX_LEVELS", "village_max_levels", N_("Village rule: maximum mean floors of rural housing"), False),
    (
        "VILLAGE_MAX_BUILDINGS",
        "village_max_buildings",
        N_("Village rule: largest settlement that is a village (housing buildings; larger ones are towns)"),
        False,
    ),
    ("DOMINANT_SHARE", "dominant_share", N_("Land-use and water rules: minimum share of one class (%)"), True),
    (
        "MIN_COVER_SHARE",
        "min_cover_share",
        N_("Land-use rule: minimum share of the grid with land-use evidence (%)"),
        True,
    ),
    ("MOUNTAIN_SLOPE", "mountain_slope_deg", N_("Mountain rule: minimum mean slope (degrees)"), False),
    ("MOUNTAIN_RELIEF", "mountain_relief_m", N_("Mountain rule: minimum relief (m)"), False),
    (
        "DEFAULT_LEVELS",
        "default_levels",
        N_("Floors of a building without a floor count (the same default as estimatehouseholds)"),
        False,
    ),
    ("TARGET_LOAD", "target_load", N_("Land rules: household target of a grid"), False),
    (
        "LAND_MAX_HOUSEHOLDS_SHARE",
        "land_max_households_share",
        N_("Land rules: households (as % of the target) that make a grid a settlement, never land"),
        True,
    ),
]


#: Field names tried, in order, when the user leaves the land-use class field empty.
LANDUSE_CLASS_GUESSES = ("landuse_class", "landuse", "DLBM", "dlbm", "class")


def _guess_field(frame, candidates, report):
    """The first of ``candidates`` that ``frame`` has (logged), or None."""
    found = next((name for name in candidates if name in frame.columns), None)
    if found is not None:
        report.info(N_("No field chosen: using the field {field}."), field=found)
    return found


class ClassifyAlgorithm(GridPlannerAlgorithm):
    """Classify grids by type from land use, buildings, POIs, a DEM and a land-cover raster."""

    NAME = "classify"
    DISPLAY_NAME = "Classify grids by type"
    GROUP_ID = "classify"
    GROUP = "Classify grids"
    SHORT_HELP = (
        "Types every grid of any polygon layer as residential, commercial, enterprise and institution, crowded "
        "place, village, industrial park, farmland, forest, pond and water, mountain, tidal flat or scenic area "
        "(or mixed / unknown), and records the evidence: the share of each class by area and by building floor "
        "area, the dominant share and the rule that decided. Give any of: a land-use layer with its class field "
        "(OSM tag fields, or GB/T 21010 codes such as 0702 / 07 / 农村宅基地) read through an editable mapping "
        "table; water polygons; buildings with a type field and floors; points of interest; a DEM (mean slope "
        "and relief, any CRS, geographic DEMs handled); a land-cover raster (NLCD, ESA WorldCover, CLCD or your "
        "own table). Decision order: specialised sites, crowded places (a crowded site's share of the grid, "
        "confirmed by POIs), rural housing (village: only where the settlement is rural — the parents' "
        "城乡分类代码 says so or, without one, farmland, forest or open land surrounds it; the rule "
        "partitionbytype shares), building floor area, water, mountain slope, land use by area, mixed. A grid "
        "holding many households is never typed as land. Overlapping land-use polygons count once for the "
        "class of highest priority (or per class with the union rule). Class values missing from the table are "
        "reported with counts and classed unknown. The output is styled with the fixed grid-type palette."
    )

    INPUT = "INPUT"
    LANDUSE = "LANDUSE"
    CLASS_FIELDS = "CLASS_FIELDS"
    KEY_FIELD = "KEY_FIELD"
    LANDUSE_TABLE = "LANDUSE_TABLE"
    LANDUSE_TABLE_FILE = "LANDUSE_TABLE_FILE"
    OVERLAP = "OVERLAP"
    WATER = "WATER"
    BUILDINGS = "BUILDINGS"
    BUILDING_TYPE_FIELD = "BUILDING_TYPE_FIELD"
    LEVELS_FIELD = "LEVELS_FIELD"
    HOUSEHOLDS_FIELD = "HOUSEHOLDS_FIELD"
    PARENTS = "PARENTS"
    BUILDING_TABLE_FILE = "BUILDING_TABLE_FILE"
    POIS = "POIS"
    POI_KIND_FIELD = "POI_KIND_FIELD"
    POI_TABLE_FILE = "POI_TABLE_FILE"
    DEM = "DEM"
    LANDCOVER = "LANDCOVER"
    LANDCOVER_TABLE = "LANDCOVER_TABLE"
    LANDCOVER_TABLE_FILE = "LANDCOVER_TABLE_FILE"
    OUTPUT = "OUTPUT"
    UNKNOWN_VALUES = "UNKNOWN_VALUES"

    def initAlgorithm(self, config=None):  # noqa: N802
        """Declare the parameters."""
        self.addParameter(
            QgsProcessingParameterFeatureSource(self.INPUT, tr("Grids (any polygon layer)"), [vector_polygon_type()])
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.LANDUSE, tr("Land-use polygons"), [vector_polygon_type()], optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.CLASS_FIELDS,
                tr("Land-use class field(s) (several OSM tag fields are tried in order)"),
                parentLayerParameterName=self.LANDUSE,
                allowMultiple=True,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.KEY_FIELD,
                tr("Land-use key field (e.g. source_key; optional)"),
                parentLayerParameterName=self.LANDUSE,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterEnum(
                self.LANDUSE_TABLE,
                tr("Land-use mapping table"),
                options=[tr("OpenStreetMap tags"), tr("GB/T 21010-2017 land-use codes (国土调查分类)")],
                defaultValue=0,
            )
        )
        self.addParameter(
            QgsProcessingParameterFile(
                self.LANDUSE_TABLE_FILE,
                tr("Own land-use mapping table (CSV; replaces the table above)"),
                extension="csv",
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterEnum(
                self.OVERLAP,
                tr("Overlapping land-use polygons"),
                options=[
                    tr("Count once, for the class of highest priority"),
                    tr("Count per class (union of each class)"),
                ],
                defaultValue=0,
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.WATER, tr("Water polygons (counted as pond and water)"), [vector_polygon_type()], optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(self.BUILDINGS, tr("Buildings"), [vector_polygon_type()], optional=True)
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.BUILDING_TYPE_FIELD,
                tr("Building type field (e.g. building or building_type)"),
                parentLayerParameterName=self.BUILDINGS,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.LEVELS_FIELD,
                tr("Floors field (e.g. levels)"),
                parentLayerParameterName=self.BUILDINGS,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.HOUSEHOLDS_FIELD,
                tr("Households field (e.g. households; a grid holding many is never land)"),
                parentLayerParameterName=self.BUILDINGS,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterFile(
                self.BUILDING_TABLE_FILE,
                tr("Own building-type mapping table (CSV)"),
                extension="csv",
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(self.POIS, tr("Points of interest"), [vector_any_type()], optional=True)
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.POI_KIND_FIELD,
                tr("POI kind field (e.g. poi_kind)"),
                parentLayerParameterName=self.POIS,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterFile(
                self.POI_TABLE_FILE, tr("Own POI mapping table (CSV)"), extension="csv", optional=True
            )
        )
        self.addParameter(QgsProcessingParameterRasterLayer(self.DEM, tr("Elevation model (DEM)"), optional=True))
        self.addParameter(QgsProcessingParameterRasterLayer(self.LANDCOVER, tr("Land-cover raster"), optional=True))
        self.addParameter(
            QgsProcessingParameterEnum(
                self.LANDCOVER_TABLE,
                tr("Land-cover mapping table"),
                options=[tr("NLCD (USA)"), tr("ESA WorldCover"), tr("CLCD (China Land Cover Dataset)")],
                defaultValue=0,
            )
        )
        self.addParameter(
            QgsProcessingParameterFile(
                self.LANDCOVER_TABLE_FILE,
                tr("Own land-cover mapping table (CSV; replaces the table above)"),
                extension="csv",
                optional=True,
            )
        )
        self._context_and_threshold_parameters()
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT, tr("Classified grids")))
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                self.UNKNOWN_VALUES,
                tr("Class values missing from the mapping tables"),
                type=QgsProcessing.SourceType.TypeVector,
                optional=True,
                createByDefault=False,
            )
        )
        self.addOutput(QgsProcessingOutputNumber("N_GRIDS", tr("Number of grids")))
        self.addOutput(QgsProcessingOutputNumber("N_UNKNOWN_VALUES", tr("Number of unmapped class values")))
        self.addOutput(QgsProcessingOutputString("COUNTS", tr("Grids per type")))
        self.addParameter(language_parameter())

    def _context_and_threshold_parameters(self):
        """Parents with their 城乡分类代码, the surroundings test and every threshold (advanced)."""
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.PARENTS,
                tr("Parents (communities/villages with their 城乡分类代码; optional)"),
                [vector_polygon_type()],
                optional=True,
            )
        )
        add_context_parameters(self, self.PARENTS)
        defaults = Thresholds()
        for key, attribute, label, is_share in THRESHOLD_PARAMETERS:
            value = getattr(defaults, attribute)
            parameter = QgsProcessingParameterNumber(
                key,
                tr(label),
                QgsProcessingParameterNumber.Type.Double,
                value * 100.0 if is_share else value,
                minValue=0.0,
                maxValue=100.0 if is_share else 1e12,
            )
            parameter.setFlags(parameter.flags() | QgsProcessingParameterDefinition.Flag.FlagAdvanced)
            self.addParameter(parameter)

    def _table(self, parameters, context, file_key, enum_key, names):
        path = self.parameterAsFile(parameters, file_key, context) if file_key else ""
        if path:
            return path
        if enum_key is None:
            return None
        return names[self.parameterAsEnum(parameters, enum_key, context)]

    def _read(self, parameters, key, context, feedback, source=None, report=None):
        source = source if source is not None else self.parameterAsSource(parameters, key, context)
        if source is None:
            return None
        # A GeoPackage's own "fid" column would collide with the feature id column source_to_gdf adds.
        names = [f.name() for f in source.fields() if f.name().lower() != "fid"]
        frame = qgis_io.source_to_gdf(source, field_names=names, feedback=feedback)
        return checked_frame(self, key, frame.drop(columns="fid"), report)

    def work(self, parameters, context, feedback, report):
        """Read the inputs, classify in the core, write the typed grids and apply the style."""
        grids_source = self.parameterAsSource(parameters, self.INPUT, context)
        if grids_source is None:
            raise InputError(N_("Choose the grid layer."))
        grids = self._read(parameters, self.INPUT, context, feedback, source=grids_source, report=report)
        landuse = self._read(parameters, self.LANDUSE, context, feedback, report=report)
        class_fields = self.parameterAsFields(parameters, self.CLASS_FIELDS, context)
        key_field = self.parameterAsString(parameters, self.KEY_FIELD, context) or None
        if landuse is not None and not class_fields:
            # Layers written by gridplanner:prepareosm, and the usual survey fields, need no choice.
            guessed = _guess_field(landuse, LANDUSE_CLASS_GUESSES, report)
            if guessed is None:
                raise InputError(N_("Choose the class field of the land-use layer (e.g. landuse, DLBM)."))
            class_fields = [guessed]
            if key_field is None and guessed == "landuse_class":
                key_field = _guess_field(landuse, ("source_key",), report)
        buildings = self._read(parameters, self.BUILDINGS, context, feedback, report=report)
        pois = self._read(parameters, self.POIS, context, feedback, report=report)
        building_type_field = self.parameterAsString(parameters, self.BUILDING_TYPE_FIELD, context) or None
        levels_field = self.parameterAsString(parameters, self.LEVELS_FIELD, context) or None
        poi_kind_field = self.parameterAsString(parameters, self.POI_KIND_FIELD, context) or None
        households_field = self.parameterAsString(parameters, self.HOUSEHOLDS_FIELD, context) or None
        if buildings is not None:
            building_type_field = building_type_field or _guess_field(buildings, ("building", "building_type"), report)
            levels_field = levels_field or _guess_field(buildings, ("levels", "building:levels"), report)
            households_field = households_field or _guess_field(buildings, ("households",), report)
        if pois is not None:
            poi_kind_field = poi_kind_field or _guess_field(pois, ("poi_kind",), report)
        water = self._read(parameters, self.WATER, context, feedback, report=report)
        dem_layer = self.parameterAsRasterLayer(parameters, self.DEM, context)
        landcover_layer = self.parameterAsRasterLayer(parameters, self.LANDCOVER, context)
        thresholds = {}
        for key, attribute, _label, is_share in THRESHOLD_PARAMETERS:
            value = self.parameterAsDouble(parameters, key, context)
            thresholds[attribute] = value / 100.0 if is_share else value
        overlap = OVERLAP_MODES[self.parameterAsEnum(parameters, self.OVERLAP, context)]
        if feedback.isCanceled():
            return {}
        result = classify_grids(
            grids,
            landuse=landuse,
            class_field=list(class_fields) if len(class_fields) > 1 else (class_fields[0] if class_fields else None),
            key_field=key_field,
            landuse_mapping=self._table(
                parameters, context, self.LANDUSE_TABLE_FILE, self.LANDUSE_TABLE, LANDUSE_TABLES
            ),
            water=water,
            buildings=buildings,
            building_type_field=building_type_field,
            levels_field=levels_field,
            building_mapping=self.parameterAsFile(parameters, self.BUILDING_TABLE_FILE, context) or "osm_buildings",
            pois=pois,
            poi_kind_field=poi_kind_field,
            poi_mapping=self.parameterAsFile(parameters, self.POI_TABLE_FILE, context) or "osm_pois",
            dem=dem_layer.source() if dem_layer is not None else None,
            landcover=landcover_layer.source() if landcover_layer is not None else None,
            landcover_mapping=self._table(
                parameters, context, self.LANDCOVER_TABLE_FILE, self.LANDCOVER_TABLE, LANDCOVER_TABLES
            ),
            overlap=overlap,
            households_field=households_field,
            parents=self._read(parameters, self.PARENTS, context, feedback),
            ur_code_field=ur_code_field(self, parameters, context),
            context=context_settings(self, parameters, context),
            report=report,
            **thresholds,
        )
        report.check_cancelled()  # compute everything first; write only a complete result
        frame = result.grids
        lang = self.output_language(parameters, context)
        frame["rule_text"] = [
            rule_text(rule, params or {}, translate=lambda template: template_in(template, lang), lang=lang)
            for rule, params in zip(frame["rule"], result.rule_params)
        ]
        # Chinese aliases in every locale: they are the planner's field labels (names stay stable codes).
        fields = qgis_io.fields_for_frame(frame, aliases=OUTPUT_ALIASES_ZH)
        sink, dest_id = self.parameterAsSink(
            parameters,
            self.OUTPUT,
            context,
            fields,
            qgis_io.wkb_type_for(frame),
            grids_source.sourceCrs(),
        )
        if sink is None:
            raise InputError(N_("The output layer could not be created; choose another destination."))
        written = qgis_io.write_frame_to_sink(frame, sink, fields, feedback)
        if written < len(frame):
            report.check_cancelled()
        unknown_id = None
        unknown = result.unknown_values
        if self.UNKNOWN_VALUES in parameters and parameters[self.UNKNOWN_VALUES] is not None:
            table = (
                pd.DataFrame(unknown)
                .reset_index(drop=True)
                .astype({"source": str, "key": str, "value": str, "features": "int64", "area_m2": "float64"})
            )
            table_fields = qgis_io.fields_for_frame(table)
            unknown_sink, unknown_id = self.parameterAsSink(
                parameters, self.UNKNOWN_VALUES, context, table_fields, QgsWkbTypes.Type.NoGeometry
            )
            if unknown_sink is not None:
                from qgis.core import QgsFeature

                for row in table.itertuples(index=False):
                    feature = QgsFeature(table_fields)
                    feature.setAttributes(
                        [str(row.source), str(row.key), str(row.value), int(row.features), float(row.area_m2)]
                    )
                    unknown_sink.addFeature(feature, QgsFeatureSink.Flag.FastInsert)
        style_output(context, dest_id, STYLE, tr("Grid types"), aliases=OUTPUT_ALIASES_ZH)
        counts = ("，" if lang == "zh" else ", ").join(
            f"{type_label(code, lang)}{'：' if lang == 'zh' else ': '}{count}"
            for code, count in sorted(result.counts.items(), key=lambda x: -x[1])
        )
        report.info(N_("Grids per type: {counts}"), counts=counts)
        outputs = {
            self.OUTPUT: dest_id,
            "N_GRIDS": len(frame),
            "N_UNKNOWN_VALUES": len(unknown),
            "COUNTS": counts,
        }
        if unknown_id is not None:
            outputs[self.UNKNOWN_VALUES] = unknown_id
        return outputs
