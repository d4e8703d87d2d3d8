"""Units on the fly for a plan without units: read the grids, buildings and barriers, build, load a memory layer.

The core (:func:`~grid_plugin.core.editing.plan_units.units_for_plan`) runs the partition's unit builder
inside each grid; this module feeds it from QGIS layers and returns the units as a memory layer in the
grids' CRS (nothing is written to the planner's files), with the grid code, load and building count of
each unit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from qgis.core import QgsFeature, QgsVectorLayer, QgsWkbTypes

from ..compat import make_field
from ..core.editing.plan_units import units_for_plan
from ..core.errors import N_, InputError
from ..i18n import tr
from ..qgis_io import source_to_gdf
from .editing_io import read_layer, to_qgs

__all__ = ["UNIT_LOAD_FIELD", "build_unit_layer"]

#: The load field of built units.
UNIT_LOAD_FIELD = "households"


def build_unit_layer(grid_layer, code_field: str, building_layer, load_field: str, barrier_layer=None,
                     *, target_load: float = 400.0) -> QgsVectorLayer:  # fmt: skip
    """Build units inside each grid of ``grid_layer`` from ``building_layer`` (and ``barrier_layer``).

    Raises :class:`InputError` with what to do when the buildings are missing, in another CRS or have
    no load field.
    """
    if building_layer is None:
        raise InputError(
            N_(
                "The grid layer {name} has no unit layer: choose its units, or choose a building layer "
                "(with households) so the panel can build units inside each grid."
            ),
            name=grid_layer.name(),
        )
    if building_layer.geometryType() not in (
        QgsWkbTypes.GeometryType.PolygonGeometry,
        QgsWkbTypes.GeometryType.PointGeometry,
    ):
        raise InputError(N_("The building layer {name} must hold polygons or points."), name=building_layer.name())
    if not load_field or building_layer.fields().lookupField(load_field) < 0:
        raise InputError(
            N_("The building layer {name} has no load field (households); choose the field with households."),
            name=building_layer.name(),
        )
    if not building_layer.fields().field(load_field).isNumeric():
        raise InputError(
            N_("The load field {field} of {layer} is not numeric; choose a field of numbers."),
            field=load_field,
            layer=building_layer.name(),
        )
    for layer in (building_layer, barrier_layer):
        if layer is not None and layer.crs() != grid_layer.crs():
            raise InputError(
                N_("The layer {name} ({crs}) is not in the CRS of the grids ({grid_crs}); save it in one CRS."),
                name=layer.name(),
                crs=layer.crs().authid(),
                grid_crs=grid_layer.crs().authid(),
            )
    grids = read_layer(grid_layer, [code_field])
    buildings = read_layer(building_layer, [load_field])
    barriers = None
    if barrier_layer is not None:
        names = [f.name() for f in barrier_layer.fields()]
        wanted = [c for c in ("highway", "waterway", "railway", "barrier", "class", "fclass", "type") if c in names]
        barriers = source_to_gdf(barrier_layer, wanted).drop(columns="fid", errors="ignore")
    loads = pd.to_numeric(buildings[load_field], errors="coerce").to_numpy(dtype=float)
    built = units_for_plan(
        np.asarray(grids.geometry.values, dtype=object),
        np.asarray(buildings.geometry.values, dtype=object),
        loads,
        barriers,
        target_load=target_load,
    )
    codes = grids[code_field].tolist()
    return _memory_layer(grid_layer, code_field, codes, built)


def _memory_layer(grid_layer, code_field, codes, built) -> QgsVectorLayer:
    code_kind = "string"
    index = grid_layer.fields().lookupField(code_field)
    if index >= 0 and grid_layer.fields().at(index).isNumeric():
        code_kind = "int64"
    crs = grid_layer.crs().authid() or grid_layer.crs().toWkt()
    layer = QgsVectorLayer(f"MultiPolygon?crs={crs}", tr("Units of {name}").format(name=grid_layer.name()), "memory")
    layer.setCrs(grid_layer.crs())
    provider = layer.dataProvider()
    provider.addAttributes(
        [
            make_field("unit_id", "int"),
            make_field(code_field, code_kind),
            make_field(UNIT_LOAD_FIELD, "double"),
            make_field("n_buildings", "int"),
        ]
    )
    layer.updateFields()
    features = []
    for i, (geometry, grid) in enumerate(zip(built["units"], built["unit_grid"])):
        feature = QgsFeature(layer.fields())
        feature.setGeometry(to_qgs(geometry, True))
        code = codes[int(grid)]
        feature.setAttributes(
            [
                i + 1,
                None if code is None else (int(code) if code_kind == "int64" else str(code)),
                float(built["unit_load"][i]),
                int(built["unit_buildings"][i]),
            ]
        )
        features.append(feature)
    provider.addFeatures(features)
    layer.updateExtents()
    return layer
