"""gridplanner:partitionbytype — the difference principle: typed grids for villages, sites and open land."""

from __future__ import annotations

import pandas as pd
from qgis.core import (
    QgsProcessingOutputNumber,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
)

from ..grid_plugin import qgis_io
from ..grid_plugin.compat import vector_any_type, vector_line_type, vector_point_type, vector_polygon_type
from ..grid_plugin.core.errors import N_, InputError
from ..grid_plugin.core.inputs import check_grid_count, clean_geometries
from ..grid_plugin.i18n import message_in, tr
from .base import (
    GridPlannerAlgorithm,
    add_code_parameters,
    checked_numbers,
    code_parts,
    given_layer_count,
    language_parameter,
    layer_label,
    numeric_field_parameter,
    report_barriers,
    target_load_parameter,
    tolerance_parameter,
)
from .context_parameters import add_context_parameters, context_settings, ur_code_field
from .regrid import finish_output, read_layer, write_sink

LAND_MODES = ["attach", "area"]


class PartitionByTypeAlgorithm(GridPlannerAlgorithm):
    """Tile an area with typed grids: specialised sites, natural villages, open land, residential grids."""

    NAME = "partitionbytype"
    DISPLAY_NAME = "Partition by grid type (difference principle)"
    GROUP_ID = "grids"
    GROUP = "Design grids"
    SHORT_HELP = (
        "The companion of gridplanner:partition for areas that are not a uniform town. Driven by an editable "
        "rule table (one row per grid type), it carves specialised sites (campus, hospital, school, market, "
        "station, industrial park, large enterprise) above a size threshold into their own grids; finds natural "
        "villages by the proximity of their buildings (one village, one grid; split above the maximum; hamlets "
        "merged into the nearest village) — a village only where the settlement is rural: its parent's 城乡分类代码 "
        "(1xx urban, 2xx rural) says so or, without one, farmland, forest or open land surrounds it (the rule "
        "classify uses); attaches farmland, forest, water, hills and tidal flats to the "
        "village or residential grid they belong to, or groups them into area grids up to a maximum area; and "
        "partitions the remaining residential area at the household target. Everything is built from the atomic "
        "units of gridplanner:partition, so grid edges follow roads, rivers and railways, no grid crosses an "
        "expressway, trunk or primary road, river or railway, every grid is one piece and no building is cut. "
        "The output is checked as gridplanner:validate checks a plan: every grid at fault is flagged with the "
        "reason, and the log gives the plan's verdict on the four principles. Locked grids are kept exactly. "
        "Codes are 15 digits: the parent's 12-digit 统计用区划代码 (the parent code field, completed by the county, "
        "township and community codes where shorter; without a field, county + township + community, consecutive "
        "community codes for several features) + a "
        "3-digit serial in rows from north to south, west to east within a row."
    )

    AREA = "AREA"
    PARENT_CODE_FIELD = "PARENT_CODE_FIELD"
    BUILDINGS = "BUILDINGS"
    LOAD_FIELD = "LOAD_FIELD"
    BARRIERS = "BARRIERS"
    LANDUSE = "LANDUSE"
    POIS = "POIS"
    WATER = "WATER"
    RULES = "RULES"
    TARGET_LOAD = "TARGET_LOAD"
    TOLERANCE = "TOLERANCE"
    VILLAGE_DISTANCE = "VILLAGE_DISTANCE"
    URBAN_MIN_HOUSEHOLDS = "URBAN_MIN_HOUSEHOLDS"
    LAND_MODE = "LAND_MODE"
    LAND_MAX_AREA = "LAND_MAX_AREA"
    LOCKED = "LOCKED"
    LOCKED_CODE_FIELD = "LOCKED_CODE_FIELD"
    SEED = "SEED"
    OUTPUT = "OUTPUT"
    VILLAGES = "VILLAGES"

    def initAlgorithm(self, config=None):  # noqa: N802
        """Declare the parameters."""
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.AREA, tr("Area (subdistrict, town or communities)"), [vector_polygon_type()]
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.PARENT_CODE_FIELD,
                tr("Parent code field of the area"),
                parentLayerParameterName=self.AREA,
                optional=True,
            )
        )
        add_code_parameters(self)
        self.addParameter(
            QgsProcessingParameterFeatureSource(self.BUILDINGS, tr("Buildings (with households)"), [vector_any_type()])
        )
        self.addParameter(
            numeric_field_parameter(
                self.LOAD_FIELD, tr("Household field (empty: households)"), self.BUILDINGS, default="households"
            )
        )
        self.addParameter(
            QgsProcessingParameterMultipleLayers(
                self.BARRIERS,
                tr("Barrier lines (roads, rivers, railways)"),
                layerType=vector_line_type(),
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.LANDUSE, tr("Land use polygons (field landuse_class)"), [vector_polygon_type()], optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.POIS, tr("Points of interest (field poi_kind)"), [vector_point_type()], optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.WATER, tr("Water polygons"), [vector_polygon_type()], optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterFile(
                self.RULES, tr("Rule table (CSV; empty: the shipped grid_rules.csv)"), extension="csv", optional=True
            )
        )
        self.addParameter(target_load_parameter(self.TARGET_LOAD, tr("Target households per residential grid")))
        self.addParameter(tolerance_parameter(self.TOLERANCE))
        self.addParameter(
            QgsProcessingParameterNumber(
                self.VILLAGE_DISTANCE,
                tr("Village linkage distance (m; 0: from the rule table)"),
                QgsProcessingParameterNumber.Type.Double,
                0,
                minValue=0,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.URBAN_MIN_HOUSEHOLDS,
                tr("Households above which a settlement is a town, not a village"),
                QgsProcessingParameterNumber.Type.Double,
                3000,
                minValue=1,
            )
        )
        self.addParameter(
            QgsProcessingParameterEnum(
                self.LAND_MODE,
                tr("Open land (farmland, forest, water, hills)"),
                options=[tr("Attach to the adjacent village or residential grid"), tr("Group into area grids")],
                defaultValue=0,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.LAND_MAX_AREA,
                tr("Maximum area of an open-land grid (m²; 0: from the rule table)"),
                QgsProcessingParameterNumber.Type.Double,
                0,
                minValue=0,
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.LOCKED, tr("Locked grids (kept exactly)"), [vector_polygon_type()], optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.LOCKED_CODE_FIELD,
                tr("Code field of the locked grids"),
                defaultValue="grid_code",
                parentLayerParameterName=self.LOCKED,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(self.SEED, tr("Random seed"), QgsProcessingParameterNumber.Type.Integer, 0)
        )
        add_context_parameters(self, self.AREA)
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT, tr("Typed grids")))
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                self.VILLAGES, tr("Natural villages found"), optional=True, createByDefault=False
            )
        )
        self.addOutput(QgsProcessingOutputNumber("N_GRIDS", tr("Number of grids")))
        self.addOutput(QgsProcessingOutputNumber("N_VILLAGES", tr("Number of natural villages")))
        self.addOutput(QgsProcessingOutputNumber("N_SITES", tr("Number of specialised sites")))
        self.addParameter(language_parameter())

    def work(self, parameters, context, feedback, report):
        """Read the layers, build typed grids, write them."""
        from ..grid_plugin.core.difference.driver import load_rules, partition_by_type

        code_prefix = code_parts(self, parameters, context)
        area = read_layer(self, parameters, self.AREA, context, feedback, report=report)
        if area is None or not len(area):
            raise InputError(N_("The area layer is empty; choose a polygon layer with at least one feature."))
        crs = area.crs
        rules = load_rules(self.parameterAsFile(parameters, self.RULES, context) or None)
        buildings = read_layer(self, parameters, self.BUILDINGS, context, feedback, target_crs=crs, report=report)
        if buildings is None or not len(buildings):
            raise InputError(N_("The building layer is empty; choose a layer with buildings and households."))
        load_field = self.parameterAsString(parameters, self.LOAD_FIELD, context) or "households"
        buildings = checked_numbers(self, self.BUILDINGS, buildings, load_field, report)
        check_grid_count(
            float(buildings[load_field].sum()), self.parameterAsDouble(parameters, self.TARGET_LOAD, context)
        )
        barrier_frames = []
        barrier_counts = []
        for layer in self.parameterAsLayerList(parameters, self.BARRIERS, context) or []:
            names = [f.name() for f in layer.fields() if f.name().lower() != "fid"]
            frame = qgis_io.source_to_gdf(layer, field_names=names, feedback=feedback)
            frame = clean_geometries(frame, layer.name(), report) if len(frame) else frame
            barrier_counts.append((layer_label(layer), len(frame)))
            if frame.crs is not None and crs is not None and frame.crs != crs and len(frame):
                frame = frame.to_crs(crs)
            barrier_frames.append(frame.drop(columns="fid"))
        report_barriers(report, barrier_counts, n_given=given_layer_count(parameters, self.BARRIERS))
        barriers = pd.concat(barrier_frames, ignore_index=True) if barrier_frames else None
        landuse = read_layer(self, parameters, self.LANDUSE, context, feedback, target_crs=crs, report=report)
        pois = read_layer(self, parameters, self.POIS, context, feedback, target_crs=crs, report=report)
        water = read_layer(self, parameters, self.WATER, context, feedback, target_crs=crs, report=report)
        locked = read_layer(self, parameters, self.LOCKED, context, feedback, target_crs=crs, report=report)
        if locked is not None and "fid" in locked.columns:
            locked = locked.drop(columns="fid")
        result = partition_by_type(
            area,
            buildings,
            barriers,
            landuse=landuse,
            pois=pois,
            water=water,
            rules=rules,
            load_field=load_field,
            parent_code_field=self.parameterAsString(parameters, self.PARENT_CODE_FIELD, context) or None,
            code_prefix=code_prefix,
            target_load=self.parameterAsDouble(parameters, self.TARGET_LOAD, context),
            tolerance=self.parameterAsDouble(parameters, self.TOLERANCE, context),
            village_distance_m=self.parameterAsDouble(parameters, self.VILLAGE_DISTANCE, context) or None,
            urban_min_households=self.parameterAsDouble(parameters, self.URBAN_MIN_HOUSEHOLDS, context),
            land_mode=LAND_MODES[self.parameterAsEnum(parameters, self.LAND_MODE, context)],
            land_max_area_m2=self.parameterAsDouble(parameters, self.LAND_MAX_AREA, context) or None,
            locked=locked if locked is not None and len(locked) else None,
            locked_code_field=self.parameterAsString(parameters, self.LOCKED_CODE_FIELD, context) or "grid_code",
            seed=self.parameterAsInt(parameters, self.SEED, context),
            ur_code_field=ur_code_field(self, parameters, context),
            context=context_settings(self, parameters, context),
            report=report,
        )
        report.check_cancelled()
        grids = result.grids.copy()
        # each reason is a core message (N_); several are joined by "; "
        lang = self.output_language(parameters, context)
        grids["flag_reason"] = [
            "; ".join(message_in(part, None, lang) for part in str(reason).split("; ")) if reason else ""
            for reason in grids["flag_reason"]
        ]
        out = write_sink(self, parameters, self.OUTPUT, context, grids, crs, feedback)
        outputs = {
            self.OUTPUT: out,
            "N_GRIDS": len(result.grids),
            "N_VILLAGES": int((result.villages.get("settlement_type") == "village").sum())
            if len(result.villages)
            else 0,
            "N_SITES": len(result.sites),
        }
        if self.VILLAGES in parameters and parameters[self.VILLAGES] is not None and len(result.villages):
            outputs[self.VILLAGES] = write_sink(
                self, parameters, self.VILLAGES, context, result.villages, crs, feedback
            )
        finish_output(context, out, "grid_types.qml")
        if outputs.get(self.VILLAGES):
            finish_output(context, outputs[self.VILLAGES])
        return outputs
