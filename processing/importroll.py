"""gridplanner:importroll — households and population from the office's 楼栋 roll onto buildings."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsProcessingOutputNumber,
    QgsProcessingParameterCrs,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingUtils,
    QgsWkbTypes,
)

from ..grid_plugin import qgis_io
from ..grid_plugin.compat import make_field, vector_point_type, vector_polygon_type, vector_table_type
from ..grid_plugin.core.errors import N_, InputError
from ..grid_plugin.core.prepare.rolls import match_roll, read_roll_table
from ..grid_plugin.i18n import tr
from .base import GridPlannerAlgorithm, checked_frame
from .estimatehouseholds import write_sink
from .prepareosm import set_aliases

#: Chinese aliases of the fields this step writes.
ROLL_ALIASES_ZH = {
    "households": "户数",
    "population": "人口",
    "households_source": "户数来源",
    "roll_records": "台账记录数",
}
RECORD_ALIASES_ZH = {
    "row": "行号",
    "key": "编号或地址",
    "households": "户数",
    "population": "人口",
    "status": "匹配结果",
    "building_fid": "建筑要素ID",
    "candidates": "候选建筑数",
}
_NEW_FIELDS = (
    ("households", "int"),
    ("population", "double"),
    ("households_source", "string"),
    ("roll_records", "int"),
)


def _advanced(parameter):
    parameter.setFlags(parameter.flags() | QgsProcessingParameterDefinition.Flag.FlagAdvanced)
    return parameter


class ImportRollAlgorithm(GridPlannerAlgorithm):
    """Match the office's building roll (户数, 人口) to footprints; the roll replaces estimates where it has records."""

    NAME = "importroll"
    DISPLAY_NAME = "Import building roll (households, population)"
    GROUP_ID = "prepare"
    GROUP = "Prepare inputs"
    SHORT_HELP = (
        "Brings the office's 楼栋 roll (实有房屋/楼栋台账: one row per building with an id or address, optional "
        "coordinates, households 户数 and population 人口) onto a building layer. The roll is a CSV file (UTF-8 or "
        "GBK), an XLSX workbook or any layer. Each record is matched once: by the id or address field, else by its "
        "point inside a footprint, else to the nearest footprint within the match distance. Columns are guessed "
        "from their names (楼栋编号/建筑编号/id, 地址/门牌, 户数/户/households, 人口/人数/population, x/y/经度/纬度/lon/lat) "
        "unless given. Writes households, population, households_source (roll where the roll has records, "
        "estimate where the building kept its estimated households, none) and roll_records. Unmatched, "
        "multiply matched, duplicate and unusable records are reported in the log with their row numbers, and "
        "listed in the optional records table. Address points (门牌 points) carrying households can also be the "
        "load of partition directly."
    )

    INPUT = "INPUT"
    BUILDING_KEY = "BUILDING_KEY"
    ROLL_FILE = "ROLL_FILE"
    SHEET = "SHEET"
    ROLL_LAYER = "ROLL_LAYER"
    ROLL_KEY = "ROLL_KEY"
    HOUSEHOLDS_COLUMN = "HOUSEHOLDS_COLUMN"
    POPULATION_COLUMN = "POPULATION_COLUMN"
    X_COLUMN = "X_COLUMN"
    Y_COLUMN = "Y_COLUMN"
    ROLL_CRS = "ROLL_CRS"
    MAX_DISTANCE = "MAX_DISTANCE_M"
    OUTPUT = "OUTPUT"
    RECORDS = "RECORDS"

    def initAlgorithm(self, config=None):  # noqa: N802
        """Declare the parameters."""
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.INPUT, tr("Buildings (footprints or address points)"), [vector_polygon_type(), vector_point_type()]
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                self.BUILDING_KEY,
                tr("Building id or address field (optional)"),
                parentLayerParameterName=self.INPUT,
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterFile(
                self.ROLL_FILE,
                tr("Roll file (CSV or XLSX)"),
                extension="",
                optional=True,
                fileFilter=tr("Rolls (*.csv *.xlsx *.txt)"),
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.ROLL_LAYER, tr("Roll layer or table (instead of a file)"), [vector_table_type()], optional=True
            )
        )
        for name, label in (
            (self.ROLL_KEY, tr("Roll column: id or address (empty: guess)")),
            (self.HOUSEHOLDS_COLUMN, tr("Roll column: households (empty: guess)")),
            (self.POPULATION_COLUMN, tr("Roll column: population (empty: guess)")),
            (self.X_COLUMN, tr("Roll column: x or longitude (empty: guess)")),
            (self.Y_COLUMN, tr("Roll column: y or latitude (empty: guess)")),
        ):
            self.addParameter(QgsProcessingParameterString(name, label, optional=True))
        self.addParameter(
            QgsProcessingParameterNumber(
                self.MAX_DISTANCE,
                tr("Match distance to the nearest footprint (m)"),
                QgsProcessingParameterNumber.Type.Double,
                30.0,
                minValue=0.0,
            )
        )
        self.addParameter(
            _advanced(QgsProcessingParameterString(self.SHEET, tr("Sheet of the workbook"), optional=True))
        )
        self.addParameter(
            _advanced(
                QgsProcessingParameterCrs(
                    self.ROLL_CRS, tr("CRS of the roll's coordinates (empty: degrees are CGCS2000)"), optional=True
                )
            )
        )
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT, tr("Buildings with the roll")))
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                self.RECORDS,
                tr("Roll records and how each matched"),
                vector_table_type(),
                optional=True,
                createByDefault=False,
            )
        )
        for name, label in (
            ("MATCHED", tr("Records matched")),
            ("UNMATCHED", tr("Records unmatched")),
            ("MULTIPLE", tr("Records matching several buildings")),
            ("DUPLICATE", tr("Duplicate rows")),
            ("ROLL_HOUSEHOLDS", tr("Households from the roll")),
        ):
            self.addOutput(QgsProcessingOutputNumber(name, label))

    def _roll(self, parameters, context, feedback):
        path = self.parameterAsFile(parameters, self.ROLL_FILE, context)
        source = self.parameterAsSource(parameters, self.ROLL_LAYER, context)
        if path and source is not None:
            raise InputError(N_("Give the roll as a file or as a layer, not both."))
        if path:
            return read_roll_table(path, sheet=self.parameterAsString(parameters, self.SHEET, context) or None)
        if source is None:
            raise InputError(N_("Choose the roll: a CSV or XLSX file, or a layer."))
        frame = qgis_io.source_to_gdf(source, feedback=feedback)
        frame = frame.drop(columns=[c for c in ("fid", "qgis_fid") if c in frame.columns])
        if frame.geometry.isna().all() or frame.crs is None:
            return pd.DataFrame(frame.drop(columns=frame.geometry.name))
        return frame

    def work(self, parameters, context, feedback, report):
        """Read buildings and roll, match with the core, write the buildings (and the records table)."""
        roll = self._roll(parameters, context, feedback)
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None:
            raise InputError(N_("Choose a building layer."))
        names = [field.name() for field in source.fields() if field.name() != "fid"]
        buildings = checked_frame(
            self, self.INPUT, qgis_io.source_to_gdf(source, field_names=names, feedback=feedback), report
        )
        report.check_cancelled()
        crs = self.parameterAsCrs(parameters, self.ROLL_CRS, context)
        text = {key: (self.parameterAsString(parameters, key, context) or "").strip() or None for key in (
            self.ROLL_KEY, self.HOUSEHOLDS_COLUMN, self.POPULATION_COLUMN, self.X_COLUMN, self.Y_COLUMN)}  # fmt: skip
        result = match_roll(
            buildings,
            roll,
            building_key=self.parameterAsString(parameters, self.BUILDING_KEY, context) or None,
            roll_key=text[self.ROLL_KEY],
            households_column=text[self.HOUSEHOLDS_COLUMN],
            population_column=text[self.POPULATION_COLUMN],
            x_column=text[self.X_COLUMN],
            y_column=text[self.Y_COLUMN],
            roll_crs=qgis_io.qgis_crs_to_pyproj(crs) if crs.isValid() else None,
            max_distance_m=self.parameterAsDouble(parameters, self.MAX_DISTANCE, context),
            report=report,
        )
        report.check_cancelled()
        dest_id = self._write_buildings(parameters, context, feedback, source, result.buildings)
        outputs = {self.OUTPUT: dest_id}
        outputs[self.RECORDS] = self._write_records(parameters, context, result.records, buildings)
        counts = result.counts
        outputs.update(
            MATCHED=counts["matched"],
            UNMATCHED=counts["unmatched"],
            MULTIPLE=counts["multiple"],
            DUPLICATE=counts["duplicate"],
            ROLL_HOUSEHOLDS=counts["households_matched"],
        )
        return outputs

    def _write_buildings(self, parameters, context, feedback, source, frame):
        fields = source.fields()
        for name, _kind in _NEW_FIELDS:
            index = fields.lookupField(name)
            if index >= 0:
                fields.remove(index)  # replaced, not duplicated
        for name, kind in _NEW_FIELDS:
            fields.append(make_field(name, kind, alias=ROLL_ALIASES_ZH[name]))
        wkb_type = source.wkbType()
        if QgsWkbTypes.geometryType(wkb_type) not in (
            QgsWkbTypes.GeometryType.PolygonGeometry,
            QgsWkbTypes.GeometryType.PointGeometry,
        ):
            wkb_type = QgsWkbTypes.Type.MultiPolygon
        sink, dest_id = self.parameterAsSink(parameters, self.OUTPUT, context, fields, wkb_type, source.sourceCrs())
        if sink is None:
            return None
        write_sink(frame, sink, fields, feedback)
        del sink
        layer = QgsProcessingUtils.mapLayerFromString(dest_id, context)
        if layer is not None:
            aliases = {f.name(): f.alias() for f in source.fields() if f.alias()}
            aliases.update(ROLL_ALIASES_ZH)
            set_aliases(layer, aliases)
        return dest_id

    def _write_records(self, parameters, context, records, buildings):
        if parameters.get(self.RECORDS) in (None, ""):
            return None
        fids = buildings["fid"].to_numpy() if "fid" in buildings.columns else None
        table = records.copy()
        table["key"] = table["key"].map(
            lambda v: None if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)
        )
        table["building_fid"] = [int(fids[b]) if b >= 0 and fids is not None else None for b in table["building"]]
        table = table.drop(columns="building")
        frame = gpd.GeoDataFrame(table, geometry=[None] * len(table))
        fields = qgis_io.fields_for_frame(
            frame, aliases=RECORD_ALIASES_ZH, kinds={"key": "string", "status": "string", "building_fid": "int64"}
        )
        sink, dest_id = self.parameterAsSink(parameters, self.RECORDS, context, fields, QgsWkbTypes.Type.NoGeometry)
        if sink is None:
            return None
        columns = [table[fields.at(i).name()].to_numpy(dtype=object) for i in range(fields.count())]
        for row in range(len(table)):
            feature = QgsFeature(fields)
            feature.setAttributes([qgis_io._sink_value(column[row]) for column in columns])
            sink.addFeature(feature, QgsFeatureSink.Flag.FastInsert)
        return dest_id

    def tags(self):
        """Search words in the toolbox."""
        return [tr("households"), tr("population"), tr("roll"), tr("buildings")]
