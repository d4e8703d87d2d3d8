"""Guards every algorithm runs before any work: no output over an input, writable folders, right geometry.

:func:`prepare_run` is called by :class:`processing.base.GridPlannerAlgorithm` for every algorithm:

* **Never destroy an input.** Every output destination (feature sinks, vector/raster destinations,
  PDF/PNG/HTML/GeoTIFF/chart files and the files an algorithm derives from them) is compared, as a
  resolved path, with the files of every input layer and file parameter. An output that would
  replace such a file is refused. An output that names a *new layer* inside it
  (``ogr:dbname='…' table="…"`` or the GeoPackage layer name option) adds that layer and keeps all
  others; one that names an input layer is refused.
* **Folders**: an output folder is created when missing; a folder that cannot be written is refused.
* **Geometry type**: a layer whose geometry type is not one the parameter accepts is refused.
* **Atomic feature outputs**: a feature sink written to a plain file is written under a temporary
  name beside it and renamed when the run succeeds (:class:`StagedOutputs`), so a failure or a
  cancel leaves the previous file as it was.
"""

from __future__ import annotations

import gc
import os
import re
import uuid
from pathlib import Path

from qgis.core import (
    QgsMapLayer,
    QgsProcessing,
    QgsProcessingFeatureSourceDefinition,
    QgsProcessingOutputLayerDefinition,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterMapLayer,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterVectorDestination,
    QgsProcessingParameterVectorLayer,
    QgsProcessingUtils,
    QgsProperty,
    QgsProviderRegistry,
    QgsWkbTypes,
)

from ..grid_plugin.compat import vector_line_type, vector_point_type, vector_polygon_type
from ..grid_plugin.core.errors import N_, InputError
from ..grid_plugin.core.inputs import check_geometry_kind, ensure_output_folder

__all__ = ["prepare_run", "StagedOutputs", "parse_destination", "input_files"]

_INPUT_TYPES = (
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterVectorLayer,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterMapLayer,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterFile,
)
_SINK_TYPES = (QgsProcessingParameterFeatureSink, QgsProcessingParameterVectorDestination)
_FILE_OUTPUT_TYPES = (QgsProcessingParameterFileDestination, QgsProcessingParameterRasterDestination)
_OGR_URI = re.compile(r"^ogr:(?P<uri>.*)$", re.IGNORECASE | re.DOTALL)
_DBNAME = re.compile(r"dbname='?(?P<path>(?:[^'\\]|\\.)*)'?(?:\s|$)")
_TABLE = re.compile(r'table="?(?P<table>[^"]*)"?')
#: GeoPackage tables that are no data of the planner's (styles, metadata).
_HOUSEKEEPING_TABLES = {"layer_styles", "gpkg_metadata", "gpkg_metadata_reference"}


def _enum_int(value) -> int:
    return int(value.value) if hasattr(value, "value") else int(value)


def _resolved(path: str) -> Path | None:
    if not path:
        return None
    try:
        # normcase: one file on a case-insensitive system (Windows) whatever the spelling
        return Path(os.path.normcase(Path(path).expanduser().resolve()))
    except (OSError, RuntimeError):
        return None


def _layer_files(value, context) -> list[tuple[Path, str | None, str]]:
    """(file, layer name inside it or None, label) of one layer-like parameter value."""
    if isinstance(value, QgsProcessingFeatureSourceDefinition):
        value = value.source.staticValue()
    if isinstance(value, QgsProperty):
        value = value.staticValue()
    layer = value if isinstance(value, QgsMapLayer) else None
    if layer is None and isinstance(value, str) and value:
        layer = QgsProcessingUtils.mapLayerFromString(value, context)
        if layer is None:
            path = _resolved(value.split("|")[0])
            return [(path, None, value)] if path is not None and path.exists() else []
    if layer is None:
        return []
    try:
        parts = QgsProviderRegistry.instance().decodeUri(layer.providerType(), layer.source())
    except Exception:  # noqa: BLE001 - a provider without URI decoding has no file to protect
        return []
    path = _resolved(parts.get("path") or "")
    if path is None or not path.exists():
        return []
    return [(path, parts.get("layerName") or None, layer.name())]


def input_files(algorithm, parameters, context) -> dict[Path, list[tuple[str | None, str]]]:
    """Every file an input parameter reads: {resolved path: [(layer name or None, label), …]}."""
    found: dict[Path, list[tuple[str | None, str]]] = {}
    for definition in algorithm.parameterDefinitions():
        if not isinstance(definition, _INPUT_TYPES) or definition.isDestination():
            continue
        value = parameters.get(definition.name())
        if value is None or value == "":
            continue
        if isinstance(definition, QgsProcessingParameterFile):
            path = _resolved(algorithm.parameterAsFile(parameters, definition.name(), context) or "")
            entries = [(path, None, definition.description())] if path is not None and path.exists() else []
        else:
            values = value if isinstance(value, (list, tuple)) else [value]
            entries = [entry for item in values for entry in _layer_files(item, context)]
        for path, layer_name, label in entries:
            found.setdefault(path, []).append((layer_name, label))
    return found


def parse_destination(value) -> tuple[str, str | None, dict]:
    """(file path, layer name inside it or None, create options) of an output value; path '' for memory."""
    options = {}
    if isinstance(value, QgsProcessingOutputLayerDefinition):
        options = dict(value.createOptions or {})
        value = value.sink.staticValue()
    if isinstance(value, QgsProperty):
        value = value.staticValue()
    text = str(value or "").strip()
    if not text or text == QgsProcessing.TEMPORARY_OUTPUT or text.lower().startswith("memory:"):
        return "", None, options
    match = _OGR_URI.match(text)
    if match:
        uri = match.group("uri")
        dbname = _DBNAME.search(uri)
        table = _TABLE.search(uri)
        return (dbname.group("path") if dbname else ""), (table.group("table") if table else None), options
    if re.match(r"^[a-z]{3,}:", text, re.IGNORECASE) and not re.match(r"^[a-z]:[\\/]", text, re.IGNORECASE):
        return "", None, options  # another provider (postgres:, spatialite:): no file of ours to guard
    return text, options.get("layerName") or None, options


def _gpkg_layers(path: Path) -> list[str]:
    if not path.exists() or path.suffix.lower() != ".gpkg":
        return []
    from osgeo import ogr

    dataset = ogr.Open(str(path))
    if dataset is None:
        return []
    names = [dataset.GetLayer(i).GetName() for i in range(dataset.GetLayerCount())]
    dataset = None
    return [n for n in names if n.lower() not in _HOUSEKEEPING_TABLES]


class StagedOutputs:
    """Feature sinks written under a temporary name beside their file, renamed when the run succeeds."""

    def __init__(self):
        self.items: list[tuple[Path, Path]] = []  # (temporary file, final file)

    def stage(self, final: Path, value):
        """A copy of the output ``value`` that writes to a temporary file beside ``final``."""
        token = uuid.uuid4().hex[:8]
        # No dot in the name before the extension: QGIS takes the format from everything after the first dot.
        temporary = final.with_name(f"_{final.stem.replace('.', '_')}_part_{token}{final.suffix}")
        self.items.append((temporary, final))
        definition = (
            QgsProcessingOutputLayerDefinition(value)
            if isinstance(value, QgsProcessingOutputLayerDefinition)
            else QgsProcessingOutputLayerDefinition(str(value))
        )
        definition.sink = QgsProperty.fromValue(str(temporary))
        if final.suffix.lower() == ".gpkg":  # keep the layer name the final file would have had
            options = dict(definition.createOptions or {})
            options["layerName"] = final.stem
            definition.createOptions = options
        return definition

    def _siblings(self, temporary: Path) -> list[Path]:
        """The temporary file and its companions (a Shapefile's .dbf, .shx, .prj, .cpg …)."""
        stem = temporary.stem if temporary.suffix else temporary.name
        found = [p for p in temporary.parent.glob(f"{glob_escape(stem)}.*") if p.is_file()]
        return sorted(found + ([temporary] if temporary.is_file() and temporary not in found else []))

    def commit(self, results: dict, context) -> dict:
        """Rename every temporary file to its final name; point results and layers to load at it."""
        gc.collect()  # close the writers the algorithm left to the garbage collector
        renames: dict[str, str] = {}
        for temporary, final in self.items:
            siblings = self._siblings(temporary)
            if not siblings:
                continue
            try:
                stem = temporary.stem if temporary.suffix else temporary.name
                for path in siblings:
                    rest = path.name[len(stem) :]
                    target = (
                        final
                        if path == temporary
                        else final.parent / f"{final.stem if final.suffix else final.name}{rest}"
                    )
                    os.replace(path, target)
            except OSError as error:
                self.discard()
                raise InputError(
                    N_("The output {path} could not be replaced ({reason}); close it in other programs and run again."),
                    path=str(final),
                    reason=error.strerror or str(error),
                ) from None
            stem = temporary.stem if temporary.suffix else temporary.name
            renames[str(temporary.parent / stem)] = str(final.parent / (final.stem if final.suffix else final.name))
        if not renames:
            return results

        def fix(value):
            if isinstance(value, str):
                for old, new in renames.items():
                    value = value.replace(old, new)
            return value

        results = {key: fix(value) for key, value in results.items()}
        pending = context.layersToLoadOnCompletion()
        if pending and any(fix(key) != key for key in pending):
            context.setLayersToLoadOnCompletion({fix(key): details for key, details in pending.items()})
        return results

    def discard(self) -> None:
        """Delete every temporary file (a failed or cancelled run)."""
        gc.collect()
        for temporary, _final in self.items:
            for path in self._siblings(temporary):
                try:
                    path.unlink()
                except OSError:
                    pass


def glob_escape(text: str) -> str:
    """``text`` with glob wildcards escaped."""
    return re.sub(r"([*?\[])", r"[\1]", text)


def _check_geometry_types(algorithm, parameters, context) -> None:
    """Refuse a layer whose geometry type is not one its parameter accepts."""
    kinds_by_type = {
        _enum_int(vector_point_type()): "point",
        _enum_int(vector_line_type()): "line",
        _enum_int(vector_polygon_type()): "polygon",
    }
    kind_of_geometry = {
        _enum_int(QgsWkbTypes.GeometryType.PointGeometry): "point",
        _enum_int(QgsWkbTypes.GeometryType.LineGeometry): "line",
        _enum_int(QgsWkbTypes.GeometryType.PolygonGeometry): "polygon",
    }
    for definition in algorithm.parameterDefinitions():
        if isinstance(definition, (QgsProcessingParameterFeatureSource, QgsProcessingParameterVectorLayer)):
            types = definition.dataTypes()
        elif isinstance(definition, QgsProcessingParameterMultipleLayers):
            types = [definition.layerType()]
        else:
            continue
        allowed = {kinds_by_type[_enum_int(t)] for t in types if _enum_int(t) in kinds_by_type}
        if not allowed or len(allowed) < len(types):
            continue  # any geometry (or a table) is fine
        value = parameters.get(definition.name())
        if value is None or value == "":
            continue
        if isinstance(definition, QgsProcessingParameterMultipleLayers):
            layers = algorithm.parameterAsLayerList(parameters, definition.name(), context) or []
            sources = [(layer, layer.name()) for layer in layers if hasattr(layer, "wkbType")]
        else:
            source = algorithm.parameterAsSource(parameters, definition.name(), context)
            sources = [(source, definition.description())] if source is not None else []
        for source, label in sources:
            if source.featureCount() == 0:
                continue  # an empty layer gets the algorithm's own message
            geometry_type = QgsWkbTypes.geometryType(source.wkbType())
            kind = kind_of_geometry.get(_enum_int(geometry_type))
            if kind is None and _enum_int(geometry_type) == _enum_int(QgsWkbTypes.GeometryType.NullGeometry):
                raise InputError(
                    N_("The layer {name} has no geometries (a table); choose a layer with geometries."), name=label
                )
            if kind is not None:
                check_geometry_kind({kind}, allowed, label)


def _destination_paths(algorithm, parameters, context):
    """(parameter, path, layer name or None, is a sink, raw value) of every file output."""
    for definition in algorithm.parameterDefinitions():
        if not definition.isDestination():
            continue
        name = definition.name()
        value = parameters.get(name)
        if value is None or value == "":
            continue
        if isinstance(definition, QgsProcessingParameterFolderDestination):
            continue
        path, layer_name, _options = parse_destination(value)
        if not path:
            continue
        if isinstance(definition, _FILE_OUTPUT_TYPES) and not isinstance(definition, _SINK_TYPES):
            layer_name = None
        yield definition, path, layer_name, isinstance(definition, _SINK_TYPES), value
    for path in algorithm.derived_output_paths(parameters, context):
        yield None, str(path), None, False, None


def prepare_run(algorithm, parameters, context, report):
    """Check the outputs against the inputs and the geometry types; stage the feature outputs.

    Returns ``(parameters, staged)``: a copy of the parameters whose plain-file feature outputs point
    at temporary files, and the :class:`StagedOutputs` to commit or discard.
    """
    _check_geometry_types(algorithm, parameters, context)
    inputs = input_files(algorithm, parameters, context)
    parameters = dict(parameters)
    staged = StagedOutputs()
    for definition, raw_path, layer_name, is_sink, value in list(_destination_paths(algorithm, parameters, context)):
        path = _resolved(raw_path)
        if path is None:
            continue
        label = definition.description() if definition is not None else str(path)
        readers = inputs.get(path, [])
        if readers and layer_name is None:
            raise InputError(
                N_(
                    "The output {output} is the file {path}, which the input {input} is read from; writing it would "
                    "replace the whole file and every layer in it. Choose a new file, or a new layer inside it "
                    "(in the output's options: save to GeoPackage, with a new layer name)."
                ),
                output=label,
                path=str(path),
                input=readers[0][1],
            )
        if readers and layer_name is not None:
            taken = [reader for reader in readers if (reader[0] or "").lower() == layer_name.lower()]
            if taken or any(reader[0] is None for reader in readers):
                raise InputError(
                    N_(
                        "The output {output} would replace the layer {layer} in {path}, which the input {input} "
                        "is read from. Give the output layer a new name."
                    ),
                    output=label,
                    layer=layer_name,
                    path=str(path),
                    input=(taken or readers)[0][1],
                )
        ensure_output_folder(path)
        if not is_sink:
            continue
        if layer_name is not None and path.suffix.lower() == ".gpkg" and path.exists():
            # QGIS 3.22 overwrites the whole file for the layer-name option: add the layer instead.
            if layer_name in _gpkg_layers(path):
                report.warn(
                    N_("The layer {layer} in {path} is replaced; the other layers are kept."),
                    layer=layer_name,
                    path=str(path),
                )
            parameters[definition.name()] = _layer_in_file(value, path, layer_name)
            continue
        if layer_name is None and not raw_path.lower().startswith("ogr:"):
            parameters[definition.name()] = staged.stage(path, value)
    return parameters, staged


def _layer_in_file(value, path: Path, layer_name: str):
    """The output ``value`` rewritten as ``ogr:dbname='path' table="layer"``, which adds one layer to a file."""
    quoted = str(path).replace("\\", "\\\\").replace("'", "\\'")
    uri = f"ogr:dbname='{quoted}' table=\"{layer_name}\" (geom)"
    definition = (
        QgsProcessingOutputLayerDefinition(value)
        if isinstance(value, QgsProcessingOutputLayerDefinition)
        else QgsProcessingOutputLayerDefinition(uri)
    )
    definition.sink = QgsProperty.fromValue(uri)
    options = dict(definition.createOptions or {})
    options.pop("layerName", None)
    definition.createOptions = options
    return definition
