"""gridplanner:partition — tile an area into contiguous, road-following grids of balanced households."""

from __future__ import annotations

import re

from qgis.core import (
    QgsExpression,
    QgsExpressionContext,
    QgsExpressionContextUtils,
    QgsFeatureRequest,
    QgsProcessing,
    QgsProcessingOutputNumber,
    QgsProcessingParameterExpression,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from ..grid_plugin import qgis_io
from ..grid_plugin.compat import vector_point_type, vector_polygon_type
from ..grid_plugin.core.errors import N_, InputError
from ..grid_plugin.core.inputs import check_grid_count, clean_geometries
from ..grid_plugin.core.partition.units import CLASS_COLUMNS, STRONG_CLASSES, WEAK_CLASSES
from ..grid_plugin.i18n import message_in, tr
from .base import (
    GRID_FIELD_ALIASES,
    GridPlannerAlgorithm,
    add_code_parameters,
    checked_frame,
    checked_numbers,
    code_parts,
    given_layer_count,
    language_parameter,
    layer_label,
    report_barriers,
    style_output,
    target_load_parameter,
    tolerance_parameter,
)
from .deviation_style import style_deviation_output
from .incidentheatmap import read_ogr_directly

#: Chinese aliases of the output fields.
FIELD_ALIASES = {
    **GRID_FIELD_ALIASES,
    "load": "户数",
    "unit_id": "单元序号",
    "kind": "单元类型",
}


def evaluate_load(source, expression_text, context, feedback):
    """Evaluate the load expression for every feature of ``source``; return ``{feature id: value}``.

    A plain field name is an expression too. Nulls stay ``None`` (counted as 0 with a warning by
    :func:`grid_plugin.core.inputs.numeric_values`); a value that is not a number raises :class:`InputError`
    naming examples.
    """
    expression = QgsExpression(expression_text)
    if expression.hasParserError():
        raise InputError(
            N_(
                "The load expression {expression} is not valid: {error}. Use a field name or e.g. households + 3 * shops."
            ),
            expression=expression_text,
            error=expression.parserErrorString(),
        )
    expression_context = QgsExpressionContext()
    expression_context.appendScopes(QgsExpressionContextUtils.globalProjectLayerScopes(None))
    expression_context.setFields(source.fields())
    expression.prepare(expression_context)
    request = QgsFeatureRequest()
    if not expression.needsGeometry():
        request.setFlags(QgsFeatureRequest.Flag.NoGeometry)
    columns = expression.referencedColumns()
    if QgsFeatureRequest.ALL_ATTRIBUTES not in columns:
        request.setSubsetOfAttributes(list(columns), source.fields())
    values = {}
    bad = []
    for count, feature in enumerate(source.getFeatures(request)):
        if count % 10000 == 0 and feedback is not None and feedback.isCanceled():
            break
        expression_context.setFeature(feature)
        value = expression.evaluate(expression_context)
        if expression.hasEvalError():
            raise InputError(
                N_("The load expression {expression} failed: {error}."),
                expression=expression_text,
                error=expression.evalErrorString(),
            )
        value = qgis_io._python_value(value)
        if value is None:
            values[feature.id()] = None
            continue
        try:
            number = float(value.strip().replace(",", "") if isinstance(value, str) else value)
        except (TypeError, ValueError):
            number = float("nan")
        if isinstance(value, str) and not value.strip():
            values[feature.id()] = None
        elif number != number or number in (float("inf"), float("-inf")):
            bad.append(value)
        else:
            values[feature.id()] = number
    if bad:
        raise InputError(
            N_(
                "The load expression {expression} gives {n} values that are not numbers (e.g. {examples}); use a "
                "numeric field such as households, or correct the values."
            ),
            expression=expression_text,
            n=len(bad),
            examples=", ".join(list(dict.fromkeys(str(v) for v in bad))[:3]),
        )
    return values


def parse_classes(text, default):
    """Comma- or space-separated class list (empty: the default)."""
    items = [item.strip() for item in (text or "").replace(";", ",").replace(" ", ",").split(",")]
    items = [item for item in items if item]
    return items or list(default)


class PartitionAlgorithm(GridPlannerAlgorithm):
    """Tile an area into contiguous, compact, barrier-following grids of balanced load."""

    NAME = "partition"
    DISPLAY_NAME = "Partition into balanced grids"
    GROUP_ID = "grids"
    GROUP = "Design grids"
    SHORT_HELP = (
        "Divides an area (each feature a community or village; no grid crosses from one to another) into "
        "grids that tile it exactly, follow roads, rivers, railways and walls, are one compact piece each and "
        "hold a balanced load (households) within the tolerance of the target. Blocks between strong barriers "
        "are the building units; a block heavier than the target is split along weak lines (footways, service "
        "roads, tracks) and then between buildings, never through a building. Grids that cannot meet the "
        "target are flagged with the reason (a single building above it, a parent below it, units too "
        "coarse). Codes (15 digits, DB11/T 2157-2023): the parent's 12-digit 统计用区划代码 (from the parent code "
        "field, completed by the county, township and community codes where it is shorter; without a field, "
        "county + township + community, consecutive community codes for several features) + a 3-digit serial, numbered in rows from north to south and west to "
        "east within a row. The same inputs and seed give the same grids."
    )

    AREA = "AREA"
    PARENT_FIELD = "PARENT_FIELD"
    BUILDINGS = "BUILDINGS"
    LOAD = "LOAD"
    BARRIERS = "BARRIERS"
    CLASS_FIELD = "CLASS_FIELD"
    STRONG = "STRONG"
    WEAK = "WEAK"
    TARGET_LOAD = "TARGET_LOAD"
    TOLERANCE = "TOLERANCE"
    N_GRIDS = "N_GRIDS"
    MIN_AREA = "MIN_AREA"
    MAX_AREA = "MAX_AREA"
    COMPACTNESS = "COMPACTNESS"
    SEED = "SEED"
    OUTPUT = "OUTPUT"
    UNITS = "UNITS"

    def initAlgorithm(self, config=None):  # noqa: N802
        """Declare the parameters."""
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.AREA, tr("Area (each feature a community or village)"), [vector_polygon_type()]
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.PARENT_FIELD, tr("Parent code field"), parentLayerParameterName=self.AREA, optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.BUILDINGS, tr("Buildings (polygons or points)"), [vector_polygon_type(), vector_point_type()]
            )
        )
        self.addParameter(
            QgsProcessingParameterExpression(
                self.LOAD,
                tr("Load per building (field or expression, e.g. households + 3 * shops)"),
                defaultValue="households",
                parentLayerParameterName=self.BUILDINGS,
            )
        )
        self.addParameter(
            QgsProcessingParameterMultipleLayers(
                self.BARRIERS,
                tr("Barrier lines (roads, waterways, railways, walls)"),
                QgsProcessing.SourceType.TypeVectorLine,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.CLASS_FIELD,
                tr("Barrier class field (empty: highway, waterway, railway or barrier)"),
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.STRONG, tr("Strong classes (grid edges follow them)"), defaultValue=",".join(STRONG_CLASSES)
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.WEAK,
                tr("Weak classes (may split a heavy block)"),
                defaultValue=",".join(WEAK_CLASSES),
            )
        )
        self.addParameter(target_load_parameter(self.TARGET_LOAD))
        self.addParameter(tolerance_parameter(self.TOLERANCE))
        self.addParameter(
            QgsProcessingParameterNumber(
                self.N_GRIDS,
                tr("Number of grids instead of a target (0: use the target)"),
                QgsProcessingParameterNumber.Type.Integer,
                0,
                minValue=0,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.MIN_AREA,
                tr("Minimum grid area (m², 0: none)"),
                QgsProcessingParameterNumber.Type.Double,
                0,
                minValue=0,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.MAX_AREA,
                tr("Maximum grid area (m², 0: none)"),
                QgsProcessingParameterNumber.Type.Double,
                0,
                minValue=0,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.COMPACTNESS,
                tr("Compactness versus balance (0: balance first, 1: short road-following edges first)"),
                QgsProcessingParameterNumber.Type.Double,
                0.5,
                minValue=0.0,
                maxValue=1.0,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(self.SEED, tr("Random seed"), QgsProcessingParameterNumber.Type.Integer, 0)
        )
        add_code_parameters(self)
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT, tr("Grids")))
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                self.UNITS,
                tr("Atomic units (for the editing panel; default: next to the grids)"),
                optional=True,
                createByDefault=True,
            )
        )
        self.addOutput(QgsProcessingOutputNumber("GRID_COUNT", tr("Number of grids")))
        self.addOutput(QgsProcessingOutputNumber("FLAGGED", tr("Grids flagged")))
        self.addOutput(QgsProcessingOutputNumber("SHARE_WITHIN", tr("Share of grids within the tolerance")))
        self.addOutput(QgsProcessingOutputNumber("OUTSIDE_BUILDINGS", tr("Buildings outside the area")))
        self.addParameter(language_parameter())

    def _read(self, parameters, key, context, feedback, fields):
        """A source parameter as a GeoDataFrame: one pyogrio call for a plain file layer, else QGIS features."""
        direct = read_ogr_directly(self, parameters, key, context, fields)
        if direct is not None:
            return direct
        source = self.parameterAsSource(parameters, key, context)
        return qgis_io.source_to_gdf(source, field_names=fields, feedback=feedback)

    def _read_buildings(self, parameters, source, load_text, context, feedback):
        """The buildings with the load in column ``load_text``.

        A numeric field of a file layer is read with the geometries in one pyogrio call; anything else
        (an expression, a text field, a memory layer) is evaluated by QGIS feature by feature.
        """
        index = source.fields().lookupField(load_text)
        if index >= 0 and source.fields().at(index).isNumeric():
            direct = read_ogr_directly(self, parameters, self.BUILDINGS, context, [load_text])
            if direct is not None:
                direct[load_text] = direct[load_text].astype(float)
                return direct
        load_by_id = evaluate_load(source, load_text, context, feedback)
        buildings = qgis_io.source_to_gdf(source, field_names=[], feedback=feedback)
        buildings[load_text] = buildings["fid"].map(load_by_id).astype(float)
        return buildings

    def work(self, parameters, context, feedback, report):
        """Read the layers, partition, write the grids (and units)."""
        from ..grid_plugin.core.partition.engine import partition

        area_source = self.parameterAsSource(parameters, self.AREA, context)
        if area_source is None or area_source.featureCount() == 0:
            raise InputError(N_("The area layer is empty; choose a layer with at least one polygon."))
        parent_field = self.parameterAsString(parameters, self.PARENT_FIELD, context) or None
        # Read only the fields the engine needs (a GeoPackage "fid" column would clash with the feature id).
        area = self._read(parameters, self.AREA, context, feedback, [parent_field] if parent_field else [])
        area = checked_frame(self, self.AREA, area, report)
        building_source = self.parameterAsSource(parameters, self.BUILDINGS, context)
        if building_source is None or building_source.featureCount() == 0:
            raise InputError(N_("The buildings layer is empty; choose a layer with buildings."))
        load_text = (self.parameterAsString(parameters, self.LOAD, context) or "households").strip()
        buildings = self._read_buildings(parameters, building_source, load_text, context, feedback)
        report.check_cancelled()
        buildings = checked_numbers(
            self, self.BUILDINGS, checked_frame(self, self.BUILDINGS, buildings, report), load_text, report
        )
        n_grids = self.parameterAsInt(parameters, self.N_GRIDS, context)
        check_grid_count(
            float(buildings[load_text].sum()),
            self.parameterAsDouble(parameters, self.TARGET_LOAD, context),
            n_grids=n_grids or None,
        )
        barrier_frames = []
        barrier_counts = []
        class_field = self.parameterAsString(parameters, self.CLASS_FIELD, context) or None
        for layer in self.parameterAsLayerList(parameters, self.BARRIERS, context) or []:
            names = [field.name() for field in layer.fields()]
            if class_field and class_field not in names:
                raise InputError(
                    N_("The barrier layer {name} has no field {field}; choose the field that holds the class."),
                    name=layer.name(),
                    field=class_field,
                )
            wanted = [class_field] if class_field else [c for c in CLASS_COLUMNS if c in names]
            frame = qgis_io.read_layer_fast(layer, wanted)
            if frame is None:
                frame = qgis_io.source_to_gdf(layer, field_names=wanted, feedback=feedback)
            frame = frame.drop(columns=[c for c in ("fid", "qgis_fid") if c in frame.columns and c not in wanted])
            frame = clean_geometries(frame, layer.name(), report) if len(frame) else frame
            barrier_counts.append((layer_label(layer), len(frame)))
            if len(frame):
                if frame.crs is not None and area.crs is not None and not frame.crs.equals(area.crs):
                    report.info(
                        N_("Reprojected the barrier layer {name} from {source} to {target}."),
                        name=layer.name(),
                        source=frame.crs.to_string(),
                        target=area.crs.to_string(),
                    )
                    frame = frame.to_crs(area.crs)
                barrier_frames.append(frame)
        report_barriers(report, barrier_counts, n_given=given_layer_count(parameters, self.BARRIERS))
        report.check_cancelled()
        min_area = self.parameterAsDouble(parameters, self.MIN_AREA, context)
        max_area = self.parameterAsDouble(parameters, self.MAX_AREA, context)
        result = partition(
            area.drop(columns=[c for c in ("fid", "qgis_fid") if c in area.columns and c != parent_field]),
            buildings,
            barrier_frames or None,
            load_field=load_text,
            parent_code_field=parent_field,
            barrier_class_field=class_field,
            strong_classes=parse_classes(self.parameterAsString(parameters, self.STRONG, context), STRONG_CLASSES),
            weak_classes=parse_classes(self.parameterAsString(parameters, self.WEAK, context), WEAK_CLASSES),
            target_load=self.parameterAsDouble(parameters, self.TARGET_LOAD, context),
            tolerance=self.parameterAsDouble(parameters, self.TOLERANCE, context),
            n_grids=n_grids or None,
            min_area_m2=min_area or None,
            max_area_m2=max_area or None,
            compactness=self.parameterAsDouble(parameters, self.COMPACTNESS, context),
            seed=self.parameterAsInt(parameters, self.SEED, context),
            code_prefix=code_parts(self, parameters, context),
            report=report,
        )
        report.check_cancelled()
        grids = result.grids.copy()
        lang = self.output_language(parameters, context)
        grids["flag_reason"] = [message_in(reason, None, lang) if reason else "" for reason in grids["flag_reason"]]
        grids["deviation_pct"] = grids["deviation_pct"].round(2)
        grids["polsby_popper"] = grids["polsby_popper"].round(4)
        grids["area_m2"] = grids["area_m2"].round(1)
        crs = area.crs
        # Everything is computed; now write (a cancel before this point leaves no output).
        fields = qgis_io.fields_for_frame(
            grids, aliases=FIELD_ALIASES, kinds={"grid_code": "string", "parent_code": "string"}
        )
        sink, dest_id = self.parameterAsSink(
            parameters, self.OUTPUT, context, fields, qgis_io.wkb_type_for(grids), qgis_io.pyproj_to_qgis_crs(crs)
        )
        qgis_io.write_frame_to_sink(grids, sink, fields, feedback)
        del sink  # closes the grid layer's file before the units may go into the same GeoPackage
        outputs = {self.OUTPUT: dest_id}
        units_destination = self._units_destination(parameters, dest_id, context)
        if units_destination is not None:
            parameters = {**parameters, self.UNITS: units_destination}
            units = result.units.copy()
            units["kind"] = [tr("block") if kind == "block" else tr("building cell") for kind in units["kind"]]
            unit_fields = qgis_io.fields_for_frame(units, aliases=FIELD_ALIASES, kinds={"parent_code": "string"})
            unit_sink, unit_id = self.parameterAsSink(
                parameters,
                self.UNITS,
                context,
                unit_fields,
                qgis_io.wkb_type_for(units),
                qgis_io.pyproj_to_qgis_crs(crs),
            )
            if unit_sink is not None:
                qgis_io.write_frame_to_sink(units, unit_sink, unit_fields, feedback)
                outputs[self.UNITS] = unit_id
        target = self.parameterAsDouble(parameters, self.TARGET_LOAD, context)
        if n_grids:
            grids_name = tr("Grids ({n} grids)").format(n=n_grids)
            units_name = tr("Units ({n} grids)").format(n=n_grids)
        else:
            grids_name = tr("Grids ({target} households)").format(target=f"{target:g}")
            units_name = tr("Units ({target} households)").format(target=f"{target:g}")
        tolerance = self.parameterAsDouble(parameters, self.TOLERANCE, context)
        style_deviation_output(context, dest_id, tolerance, grids_name)
        if self.UNITS in outputs:
            style_output(context, outputs[self.UNITS], "", units_name)
        flagged = int(grids["flag"].sum())
        within = float((grids["flag"] == 0).mean()) if len(grids) else 0.0
        report.info(
            N_("{n} grids written; {flagged} flagged; {outside} buildings outside the area."),
            n=len(grids),
            flagged=flagged,
            outside=result.outside_buildings,
        )
        outputs.update(
            {
                "GRID_COUNT": len(grids),
                "FLAGGED": flagged,
                "SHARE_WITHIN": round(within, 4),
                "OUTSIDE_BUILDINGS": int(result.outside_buildings),
            }
        )
        return outputs

    def _units_destination(self, parameters, grids_destination, context):
        """Where the units go: as asked; by default into the grids' GeoPackage (layer ``units``), else memory.

        ``None`` when the units output was switched off (an empty destination given explicitly).
        """
        from qgis.core import QgsProcessing, QgsProcessingOutputLayerDefinition

        value = parameters.get(self.UNITS, QgsProcessing.TEMPORARY_OUTPUT)
        sink = value.sink.staticValue() if isinstance(value, QgsProcessingOutputLayerDefinition) else value
        if sink is None or (isinstance(sink, str) and sink.strip() == "" and self.UNITS in parameters):
            return None
        if sink not in (QgsProcessing.TEMPORARY_OUTPUT, "memory:"):
            return value
        gpkg = geopackage_of(self.parameterAsOutputLayer(parameters, self.OUTPUT, context) or "")
        definition = QgsProcessingOutputLayerDefinition(
            QgsProcessing.TEMPORARY_OUTPUT if gpkg is None else f"ogr:dbname='{gpkg}' table=\"units\" (geom)"
        )
        # loaded into the project when the grids are (a default output is not in the run's parameters)
        grids_value = parameters.get(self.OUTPUT)
        for source in (value, grids_value):
            if isinstance(source, QgsProcessingOutputLayerDefinition) and source.destinationProject is not None:
                definition.destinationProject = source.destinationProject
                break
        return definition


def geopackage_of(destination: str):
    """The GeoPackage file of a sink destination (``/x/grids.gpkg``, ``ogr:dbname='/x.gpkg' table=…``), else None.

    >>> geopackage_of("/tmp/plan.gpkg"), geopackage_of("ogr:dbname='/tmp/p.gpkg' table=\"g\" (geom)")
    ('/tmp/plan.gpkg', '/tmp/p.gpkg')
    >>> geopackage_of("memory:") is None
    True
    """
    text = str(destination).strip()
    if text.startswith("ogr:"):
        match = re.search(r"dbname='([^']+)'", text)
        text = match.group(1) if match else ""
    path = text.split("|")[0]
    return path if path.lower().endswith(".gpkg") else None
