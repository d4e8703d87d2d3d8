"""Which project layer is which: grids, units, buildings, barriers, area — guessed from geometry and fields.

The panel and the algorithm dialogs open with the likely layers chosen: a grid layer is a polygon layer
with a code field and a numeric load field; a unit layer a polygon layer with a field naming its grid
(and a unit id); a building layer holds polygons or points with a numeric ``households`` field (a point
layer of shops without households is never taken for buildings); barriers are line layers. Each layer
gets a score per role; the best positive score wins, ties go to the first layer in the project.
"""

from __future__ import annotations

from qgis.core import QgsMapLayerType, QgsProject, QgsVectorLayer, QgsWkbTypes

__all__ = [
    "CODE_FIELD_CANDIDATES",
    "LOAD_FIELD_CANDIDATES",
    "UNIT_GRID_FIELD_CANDIDATES",
    "TYPE_FIELD_CANDIDATES",
    "BUILDING_LOAD_CANDIDATES",
    "guess_field",
    "role_score",
    "guess_layer",
    "guess_layers",
    "initial_parameters",
]

CODE_FIELD_CANDIDATES = ("grid_code", "code", "网格编码", "grid_id")
LOAD_FIELD_CANDIDATES = ("households", "load", "户数", "population")
UNIT_GRID_FIELD_CANDIDATES = ("grid_code", "grid_id", "code", "网格编码")
TYPE_FIELD_CANDIDATES = ("grid_type", "type", "网格类型")
BUILDING_LOAD_CANDIDATES = ("households", "户数", "load", "population")

_NAME_HINTS = {
    "grids": ("grid", "网格"),
    "units": ("unit", "单元"),
    "buildings": ("building", "建筑", "房屋"),
    "barriers": ("road", "street", "water", "rail", "barrier", "道路", "河", "铁路"),
    "area": ("boundary", "area", "community", "village", "社区", "村", "边界", "街道"),
}


def guess_field(layer, candidates, numeric: bool | None = None) -> str:
    """The first field of ``layer`` named like one of ``candidates`` ('' when none)."""
    if layer is None or not isinstance(layer, QgsVectorLayer):
        return ""
    names = {f.name().lower(): f for f in layer.fields()}
    for name in candidates:
        field = names.get(name.lower())
        if field is not None and (numeric is None or field.isNumeric() == numeric):
            return field.name()
    return ""


def _geometry(layer):
    if not isinstance(layer, QgsVectorLayer) or layer.type() != QgsMapLayerType.VectorLayer or not layer.isValid():
        return None
    return layer.geometryType()


def _named(layer, role: str) -> bool:
    name = layer.name().lower()
    return any(hint in name for hint in _NAME_HINTS[role])


def role_score(layer, role: str) -> int:
    """How well ``layer`` fits ``role`` (``grids``, ``units``, ``buildings``, ``barriers``, ``area``); ≤ 0: not at all."""
    geometry = _geometry(layer)
    if geometry is None:
        return 0
    polygon = geometry == QgsWkbTypes.GeometryType.PolygonGeometry
    has = {f.name().lower() for f in layer.fields()}
    named = _named(layer, role)
    if role == "grids":
        if not polygon or not guess_field(layer, CODE_FIELD_CANDIDATES):
            return 0
        score = 2 + 2 * bool(guess_field(layer, LOAD_FIELD_CANDIDATES, numeric=True)) + 2 * named
        return score - 5 * ("unit_id" in has or _named(layer, "units"))
    if role == "units":
        if not polygon or not guess_field(layer, UNIT_GRID_FIELD_CANDIDATES):
            return 0
        return 1 + 3 * ("unit_id" in has) + 2 * named + bool(guess_field(layer, LOAD_FIELD_CANDIDATES, numeric=True))
    if role == "buildings":
        if geometry not in (QgsWkbTypes.GeometryType.PolygonGeometry, QgsWkbTypes.GeometryType.PointGeometry):
            return 0
        if not guess_field(layer, BUILDING_LOAD_CANDIDATES, numeric=True):
            return 0
        grid_like = bool(guess_field(layer, CODE_FIELD_CANDIDATES)) or "unit_id" in has
        return 2 + 3 * named + polygon - 4 * grid_like
    if role == "barriers":
        return (2 + 2 * named) if geometry == QgsWkbTypes.GeometryType.LineGeometry else 0
    if role == "area":
        if not polygon:
            return 0
        planned = bool(guess_field(layer, CODE_FIELD_CANDIDATES)) or "households" in has or "unit_id" in has
        return 1 + 3 * named - 3 * planned - 2 * _named(layer, "buildings")
    raise ValueError(f"unknown role {role!r}")


def _project_layers(project=None):
    project = project or QgsProject.instance()
    # the layer tree's order (what the planner sees), then anything not in the tree
    ordered = [layer for layer in project.layerTreeRoot().layerOrder() if layer is not None]
    rest = [layer for layer in project.mapLayers().values() if layer not in ordered]
    return ordered + rest


def guess_layer(role: str, project=None, exclude=()):
    """The project layer that best fits ``role`` (None when none fits)."""
    best, best_score = None, 0
    for layer in _project_layers(project):
        if layer in exclude:
            continue
        score = role_score(layer, role)
        if score > best_score:
            best, best_score = layer, score
    return best


def guess_layers(role: str, project=None) -> list:
    """Every project layer that fits ``role`` (for multi-layer inputs such as barriers)."""
    return [layer for layer in _project_layers(project) if role_score(layer, role) > 0]


#: Which role a layer input plays, by parameter name (and, for ``INPUT``, by algorithm).
ROLE_BY_PARAMETER = {"AREA": "area", "BUILDINGS": "buildings", "BARRIERS": "barriers", "ROADS": "barriers",
                     "GRIDS": "grids", "UNITS": "units"}  # fmt: skip
ROLE_OF_INPUT = {"classify": "grids", "assigncodes": "grids", "estimatehouseholds": "buildings"}


def initial_parameters(algorithm, project=None) -> dict:
    """Layer inputs of ``algorithm`` filled with the project's likely layers (for its dialog).

    Only layer inputs whose role is known are filled, and only with layers that fit the role: a point
    layer of shops is never offered as buildings (it has no households), line layers never as areas.
    """
    values = {}
    chosen = []
    for definition in algorithm.parameterDefinitions():
        name = definition.name()
        role = ROLE_BY_PARAMETER.get(name) or (ROLE_OF_INPUT.get(algorithm.name()) if name == "INPUT" else None)
        if role is None or definition.type() not in ("source", "vector", "multilayer"):
            continue
        if definition.type() == "multilayer":
            layers = guess_layers(role, project)
            if layers:
                values[name] = [layer.id() for layer in layers]
            continue
        layer = guess_layer(role, project, exclude=chosen)
        if layer is not None:
            values[name] = layer.id()
            chosen.append(layer)
    return values
