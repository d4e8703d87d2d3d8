"""gridplanner:estimatehouseholds — add ``households`` (户数) to a building layer."""

from __future__ import annotations

import numpy as np
import shapely
from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsGeometry,
    QgsProcessingOutputNumber,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingUtils,
    QgsWkbTypes,
)

from ..grid_plugin import qgis_io
from ..grid_plugin.compat import make_field, vector_point_type, vector_polygon_type
from ..grid_plugin.core.errors import N_, InputError
from ..grid_plugin.core.prepare.households import (
    DEFAULT_LEVELS,
    DORMITORY_MODES,
    FALLBACK_LEVELS,
    FLOOR_AREA_PER_HOUSEHOLD_M2,
    MAX_DWELLING_FOOTPRINT_M2,
    MIN_FOOTPRINT_M2,
    RESIDENTIAL_TYPES,
    RULES,
    estimate_households,
)
from ..grid_plugin.core.prepare.osm import FIELD_ALIASES_ZH
from ..grid_plugin.i18n import tr
from .base import GridPlannerAlgorithm, checked_frame
from .prepareosm import set_aliases


def write_sink(frame, sink, fields, feedback=None) -> int:
    """Write ``frame`` to ``sink`` in the order of ``fields``.

    Like ``qgis_io.write_frame_to_sink`` but with 2-D WKB: inside qgis_process shapely's GEOS calls can
    resolve to the system GEOS 3.11, which rejects shapely 2.2's default 4-D WKB writer.
    """
    names = [fields.at(i).name() for i in range(fields.count())]
    wkbs = shapely.to_wkb(np.asarray(frame.geometry.values, dtype=object), output_dimension=2)
    columns = [frame[name].to_numpy(dtype=object) for name in names]
    for row in range(len(frame)):
        if feedback is not None and row % 5000 == 0 and feedback.isCanceled():
            return row
        feature = QgsFeature(fields)
        if wkbs[row] is not None:
            geometry = QgsGeometry()
            geometry.fromWkb(wkbs[row])
            feature.setGeometry(geometry)
        feature.setAttributes([qgis_io._sink_value(column[row]) for column in columns])
        sink.addFeature(feature, QgsFeatureSink.Flag.FastInsert)
    return len(frame)


#: The fields this step writes, and their Chinese aliases.
NEW_FIELDS = (
    ("households", "int"),
    ("collective_households", "int"),
    ("households_source", "string"),
    ("household_rule", "string"),
)
NEW_ALIASES_ZH = {
    "households": FIELD_ALIASES_ZH["households"],
    "collective_households": "集体户数",
    "households_source": "户数来源",
    "household_rule": "户数依据",
}


def _advanced(parameter):
    parameter.setFlags(parameter.flags() | QgsProcessingParameterDefinition.Flag.FlagAdvanced)
    return parameter


def parse_levels_by_type(text: str) -> dict[str, float]:
    """``"house:1, detached:1"`` → ``{"house": 1.0, "detached": 1.0}``; a malformed entry is an InputError."""
    levels = {}
    for entry in (part.strip() for part in (text or "").replace("，", ",").split(",")):
        if not entry:
            continue
        key, separator, value = entry.replace("=", ":").partition(":")
        try:
            number = float(value)
        except ValueError:
            number = float("nan")
        if not separator or not key.strip() or not number > 0:
            raise InputError(
                N_(
                    "Cannot read '{entry}' in the levels by building type; write type:levels pairs such as house:1, farm:1."
                ),
                entry=entry,
            )
        levels[key.strip().lower()] = number
    return levels


class EstimateHouseholdsAlgorithm(GridPlannerAlgorithm):
    """Estimate households per building from footprint, levels and building type, or take them from a field."""

    NAME = "estimatehouseholds"
    DISPLAY_NAME = "Estimate households per building"
    GROUP_ID = "prepare"
    GROUP = "Prepare inputs"
    SHORT_HELP = (
        "Adds households (户数, family households), collective_households (集体户, dormitories), households_source "
        "(survey or estimate) and household_rule (why) to a copy of a building layer. Where a households field is "
        "given, its numbers are used; empty, text or negative values are replaced by the estimate and counted in a "
        "warning. Otherwise households = round(footprint area x floors / floor area per household) for homes (at "
        "least 1 for a footprint of at least the minimum area), and 0 for other buildings. Which buildings are "
        "homes (rule 'evidence', the default): a building typed as housing (building_type residential: apartments, "
        "house, dormitory, farm …); an untyped building (building=yes) only without a sign of another use: no "
        "shop/amenity/office/craft/industrial tag (on the building, or a POI drawn on the same OSM feature), not "
        "inside commercial, industrial, institutional or crowded-place land use, no non-residential name (大厦 商场 "
        "广场 中心 馆 学校 学院 教学 食堂 医院 厂 公司 酒店 宾馆, mall, hotel …: grid_plugin/mappings/"
        "nonresidential_names.csv) and a footprint below the largest dwelling. Dormitories (宿舍, 公寓 on a campus) "
        "hold collective households by default. Rule 'convention' is the benchmark convention (every building=yes "
        "a home). Floors come from the levels field, else from the floors by building type, else the default "
        "floors — the same default classify uses. Totals by building type and by reason are written to the log."
    )

    INPUT = "INPUT"
    HOUSEHOLDS_FIELD = "HOUSEHOLDS_FIELD"
    TYPE_FIELD = "TYPE_FIELD"
    LEVELS_FIELD = "LEVELS_FIELD"
    FLOOR_AREA = "FLOOR_AREA_PER_HOUSEHOLD_M2"
    MIN_FOOTPRINT = "MIN_FOOTPRINT_M2"
    DEFAULT_LEVELS = "DEFAULT_LEVELS"
    LEVELS_BY_TYPE = "LEVELS_BY_TYPE"
    RESIDENTIAL_TYPES = "RESIDENTIAL_TYPES"
    RULE = "RULE"
    LANDUSE = "LANDUSE"
    POIS = "POIS"
    MAX_FOOTPRINT = "MAX_DWELLING_FOOTPRINT_M2"
    DORMITORIES = "DORMITORIES"
    OUTPUT = "OUTPUT"

    def initAlgorithm(self, config=None):  # noqa: N802
        """Declare the parameters."""
        self.addParameter(QgsProcessingParameterFeatureSource(self.INPUT, tr("Buildings"), [vector_polygon_type()]))
        self.addParameter(
            QgsProcessingParameterField(
                self.HOUSEHOLDS_FIELD,
                tr("Known households field (optional)"),
                parentLayerParameterName=self.INPUT,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.TYPE_FIELD,
                tr("Building tag field (OSM building=*)"),
                defaultValue="building",
                parentLayerParameterName=self.INPUT,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.LEVELS_FIELD,
                tr("Levels field"),
                defaultValue="levels",
                parentLayerParameterName=self.INPUT,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.FLOOR_AREA,
                tr("Floor area per household (m²)"),
                QgsProcessingParameterNumber.Type.Double,
                FLOOR_AREA_PER_HOUSEHOLD_M2,
                minValue=1.0,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.MIN_FOOTPRINT,
                tr("Minimum footprint of a dwelling (m²)"),
                QgsProcessingParameterNumber.Type.Double,
                MIN_FOOTPRINT_M2,
                minValue=0.0,
            )
        )
        self.addParameter(
            _advanced(
                QgsProcessingParameterNumber(
                    self.DEFAULT_LEVELS,
                    tr("Default levels"),
                    QgsProcessingParameterNumber.Type.Double,
                    FALLBACK_LEVELS,
                    minValue=0.1,
                )
            )
        )
        self.addParameter(
            _advanced(
                QgsProcessingParameterString(
                    self.LEVELS_BY_TYPE,
                    tr("Levels by building type (type:levels, comma separated)"),
                    defaultValue=", ".join(f"{k}:{v:g}" for k, v in DEFAULT_LEVELS.items()),
                    optional=True,
                )
            )
        )
        self.addParameter(
            _advanced(
                QgsProcessingParameterString(
                    self.RESIDENTIAL_TYPES,
                    tr("Residential building types (comma separated)"),
                    defaultValue=", ".join(RESIDENTIAL_TYPES),
                )
            )
        )
        self._evidence_parameters()
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT, tr("Buildings with households")))
        self.addOutput(QgsProcessingOutputNumber("TOTAL_HOUSEHOLDS", tr("Total households")))
        self.addOutput(QgsProcessingOutputNumber("RESIDENTIAL_BUILDINGS", tr("Residential buildings")))

    def _evidence_parameters(self):
        """The evidence of which buildings are homes (rule, land use, POIs, largest dwelling, dormitories)."""
        self.addParameter(
            QgsProcessingParameterEnum(
                self.RULE,
                tr("Which buildings are homes"),
                options=[
                    tr("Evidence: typed housing; untyped only without a sign of another use"),
                    tr("Benchmark convention: every building=yes"),
                ],
                defaultValue=0,
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.LANDUSE, tr("Land use (prepared landuse layer, optional)"), [vector_polygon_type()], optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.POIS,
                tr("POIs (prepared pois layer: tags on the building itself, optional)"),
                [vector_point_type()],
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.MAX_FOOTPRINT,
                tr("Largest footprint of an untyped dwelling (m²)"),
                QgsProcessingParameterNumber.Type.Double,
                MAX_DWELLING_FOOTPRINT_M2,
                minValue=1.0,
            )
        )
        self.addParameter(
            _advanced(
                QgsProcessingParameterEnum(
                    self.DORMITORIES,
                    tr("Dormitories count as"),
                    options=[tr("Collective households (集体户)"), tr("Family households")],
                    defaultValue=0,
                )
            )
        )

    def _evidence(self, parameters, context, feedback):
        """Keyword arguments of the core for the evidence parameters."""
        layers = {}
        for key, name in ((self.LANDUSE, "landuse"), (self.POIS, "pois")):
            source = self.parameterAsSource(parameters, key, context)
            layers[name] = None if source is None else qgis_io.source_to_gdf(source, feedback=feedback)
        return {
            "rule": RULES[self.parameterAsEnum(parameters, self.RULE, context)],
            "dormitories": DORMITORY_MODES[self.parameterAsEnum(parameters, self.DORMITORIES, context)],
            "max_dwelling_footprint_m2": self.parameterAsDouble(parameters, self.MAX_FOOTPRINT, context),
            **layers,
        }

    def work(self, parameters, context, feedback, report):
        """Read the buildings, estimate with the core, write a copy with ``households``."""
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None:
            raise InputError(N_("Choose a building layer."))
        # A GeoPackage exposes its primary key as a field "fid"; source_to_gdf adds the feature id as "fid".
        names = [field.name() for field in source.fields() if field.name() != "fid"]
        buildings = checked_frame(
            self, self.INPUT, qgis_io.source_to_gdf(source, field_names=names, feedback=feedback), report
        )
        report.check_cancelled()
        residential_text = self.parameterAsString(parameters, self.RESIDENTIAL_TYPES, context)
        residential = [t.strip() for t in residential_text.replace("，", ",").split(",") if t.strip()]
        if not residential:
            raise InputError(N_("Give at least one residential building type."))
        levels_by_type = parse_levels_by_type(self.parameterAsString(parameters, self.LEVELS_BY_TYPE, context))
        result, summary = estimate_households(
            buildings,
            households_field=self.parameterAsString(parameters, self.HOUSEHOLDS_FIELD, context) or None,
            type_field=self.parameterAsString(parameters, self.TYPE_FIELD, context) or None,
            levels_field=self.parameterAsString(parameters, self.LEVELS_FIELD, context) or None,
            floor_area_per_household_m2=self.parameterAsDouble(parameters, self.FLOOR_AREA, context),
            default_levels=levels_by_type,
            fallback_levels=self.parameterAsDouble(parameters, self.DEFAULT_LEVELS, context),
            residential_types=residential,
            min_footprint_m2=self.parameterAsDouble(parameters, self.MIN_FOOTPRINT, context),
            report=report,
            **self._evidence(parameters, context, feedback),
        )
        report.check_cancelled()

        fields = source.fields()
        for name, _kind in NEW_FIELDS:
            index = fields.lookupField(name)
            if index >= 0:
                fields.remove(index)  # an existing field is replaced, not duplicated
        for name, kind in NEW_FIELDS:
            fields.append(make_field(name, kind, alias=NEW_ALIASES_ZH[name]))
        wkb_type = source.wkbType()
        if QgsWkbTypes.geometryType(wkb_type) != QgsWkbTypes.GeometryType.PolygonGeometry:
            wkb_type = QgsWkbTypes.Type.MultiPolygon
        elif (result.geometry.geom_type == "MultiPolygon").any():
            wkb_type = QgsWkbTypes.multiType(wkb_type)  # a repaired bow tie is two polygons
        sink, dest_id = self.parameterAsSink(parameters, self.OUTPUT, context, fields, wkb_type, source.sourceCrs())
        if sink is None:
            return {self.OUTPUT: None}
        write_sink(result, sink, fields, feedback)
        del sink  # flush and close a file output before its aliases are set
        layer = QgsProcessingUtils.mapLayerFromString(dest_id, context)
        if layer is not None:
            # Keep the input's aliases; give known fields (prepareosm's) their Chinese names; add 户数.
            aliases = {f.name(): FIELD_ALIASES_ZH.get(f.name(), "") for f in fields}
            aliases.update({f.name(): f.alias() for f in source.fields() if f.alias()})
            aliases.update(NEW_ALIASES_ZH)
            set_aliases(layer, aliases)
            if layer.providerType() == "ogr" and layer.source().lower().split("|")[0].endswith(".gpkg"):
                layer.saveStyleToDatabase(layer.name(), "Grid Planner: field aliases (字段别名)", True, "")
        total = summary.loc[summary["building_type"] == "total"].iloc[0]
        return {
            self.OUTPUT: dest_id,
            "TOTAL_HOUSEHOLDS": int(total["households"]),
            "RESIDENTIAL_BUILDINGS": int(total["residential"]),
        }

    def tags(self):
        """Search words in the toolbox."""
        return [tr("households"), tr("population"), tr("buildings"), tr("load")]
