"""The QGIS side of hand editing: binds a grid layer and a unit layer to an :class:`EditModel`.

Every edit goes through both layers' edit buffers inside ``beginEditCommand``/``endEditCommand``, so the
map shows it at once (before anything is committed) and QGIS's undo/redo work. The grid layer's undo
stack drives the session: when the planner presses Ctrl+Z (on either layer, or in the panel), the
session undoes the matching command of the other layer and restores the model's saved state of the
affected grids, so geometry and loads come back exactly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from qgis.core import (
    QgsFeature,
    QgsFeatureRequest,
    QgsVectorDataProvider,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QObject, pyqtSignal

from ..core.editing.codes import next_codes
from ..core.editing.model import AppliedEdit, EditModel, EditRefused
from ..core.errors import N_, InputError
from ..i18n import tr
from .editing_io import lookup, norm_key, read_layer, to_qgs, typed
from .layer_guess import (  # noqa: F401 - re-exported for callers of the session
    CODE_FIELD_CANDIDATES,
    LOAD_FIELD_CANDIDATES,
    TYPE_FIELD_CANDIDATES,
    UNIT_GRID_FIELD_CANDIDATES,
    guess_field,
)
from .unit_builder import UNIT_LOAD_FIELD, build_unit_layer

#: Grid layer fields the session keeps up to date when the layer has them.
STAT_FIELDS = {
    "deviation_pct": "deviation_pct",
    "area_m2": "area_m2",
    "polsby_popper": "polsby_popper",
    "n_buildings": "n_buildings",
    "n_units": "n_units",
}


class EditSession(QObject):
    """A live editing session over a grid layer and its unit layer.

    Without a unit layer (``unit_layer=None``: a hand-drawn plan, another tool's grids) the session
    builds units inside each grid from ``building_layer`` (load ``building_load_field``) and the
    optional ``barrier_layer``, in a memory layer (:attr:`built_unit_layer`) the panel adds to the map.

    Signals
    -------
    grids_changed(object)
        numpy array of grid indices whose statistics or geometry changed.
    structure_changed()
        Grids were added or removed (split, merge, or their undo).
    """

    grids_changed = pyqtSignal(object)
    structure_changed = pyqtSignal()
    reload_needed = pyqtSignal()

    def __init__(
        self,
        grid_layer,
        unit_layer,
        *,
        code_field: str,
        unit_grid_field: str,
        unit_load_field: str,
        grid_load_field: str = "load",
        type_field: str = "",
        building_layer=None,
        building_load_field: str = "",
        barrier_layer=None,
        target_load: float = 400.0,
        tolerance: float = 0.2,
    ):
        super().__init__()
        self.grid_layer = grid_layer
        self.building_layer = building_layer
        self.built_unit_layer = None
        if unit_layer is None:
            self._check_grid_layer_first(grid_layer, code_field)
            unit_layer = build_unit_layer(
                grid_layer, code_field, building_layer, building_load_field, barrier_layer, target_load=target_load
            )
            self.built_unit_layer = unit_layer
            unit_grid_field, unit_load_field = code_field, UNIT_LOAD_FIELD
        self.unit_layer = unit_layer
        self.code_field = code_field
        self.unit_grid_field = unit_grid_field
        self.unit_load_field = unit_load_field
        self.grid_load_field = grid_load_field
        self.type_field = type_field
        self.warnings: list[tuple[str, dict]] = []
        self._history: list[tuple[AppliedEdit, int, int, int, int]] = []
        self._n_applied = 0
        self._syncing = False
        self._check_layers()
        self._load(target_load, tolerance)
        self._suspended = False
        self._connections = [
            (self.grid_layer.undoStack().indexChanged, self._grid_stack_moved),
            (self.unit_layer.undoStack().indexChanged, self._unit_stack_moved),
        ]
        for layer in (self.grid_layer, self.unit_layer):
            # A commit or rollback clears the undo stacks and renumbers new features: suspend the
            # session and ask the panel to reload it from the layers.
            self._connections += [
                (layer.beforeCommitChanges, self._suspend),
                (layer.beforeRollBack, self._suspend),
                (layer.afterCommitChanges, self._after_save),
                (layer.afterRollBack, self._after_save),
            ]
        for signal, slot in self._connections:
            signal.connect(slot)

    # ---- loading ----------------------------------------------------------------------------------
    @staticmethod
    def _check_grid_layer_first(grid_layer, code_field):
        """The checks units are built on: a valid, projected polygon layer with its code field."""
        if grid_layer is None or not grid_layer.isValid():
            raise InputError(N_("Choose a valid {role} layer."), role=tr("grid"))
        if grid_layer.geometryType() != QgsWkbTypes.GeometryType.PolygonGeometry:
            raise InputError(N_("The {role} layer {name} must hold polygons."), role=tr("grid"), name=grid_layer.name())
        if grid_layer.crs().isGeographic():
            raise InputError(
                N_(
                    "The grid layer is in a geographic CRS ({crs}); areas and compactness need metres. "
                    "Save it in a projected CRS such as CGCS2000 / 3-degree Gauss-Kruger (EPSG:4534–4554)."
                ),
                crs=grid_layer.crs().authid(),
            )
        if not code_field or grid_layer.fields().lookupField(code_field) < 0:
            raise InputError(
                N_("The grid layer {layer} has no code field; choose the field that holds the grid codes."),
                layer=grid_layer.name(),
            )

    def _check_layers(self):
        for layer, role in ((self.grid_layer, N_("grid")), (self.unit_layer, N_("unit"))):
            if layer is None or not layer.isValid():
                raise InputError(N_("Choose a valid {role} layer."), role=tr(role))
            if layer.geometryType() != QgsWkbTypes.GeometryType.PolygonGeometry:
                raise InputError(N_("The {role} layer {name} must hold polygons."), role=tr(role), name=layer.name())
            if layer.featureCount() == 0:
                raise InputError(N_("The {role} layer {name} is empty."), role=tr(role), name=layer.name())
            caps = layer.dataProvider().capabilities()
            needed = (
                QgsVectorDataProvider.Capability.ChangeGeometries
                | QgsVectorDataProvider.Capability.ChangeAttributeValues
            )
            if layer is self.grid_layer:
                needed |= QgsVectorDataProvider.Capability.AddFeatures | QgsVectorDataProvider.Capability.DeleteFeatures
            if (caps & needed) != needed:
                raise InputError(
                    N_("The {role} layer {name} cannot be edited; save it as a GeoPackage first."),
                    role=tr(role),
                    name=layer.name(),
                )
        if self.grid_layer.crs().isGeographic():
            raise InputError(
                N_(
                    "The grid layer is in a geographic CRS ({crs}); areas and compactness need metres. "
                    "Save it in a projected CRS such as CGCS2000 / 3-degree Gauss-Kruger (EPSG:4534–4554)."
                ),
                crs=self.grid_layer.crs().authid(),
            )
        if self.grid_layer.crs() != self.unit_layer.crs():
            raise InputError(
                N_("The grid layer ({a}) and the unit layer ({b}) are in different CRSs; save them in one CRS."),
                a=self.grid_layer.crs().authid(),
                b=self.unit_layer.crs().authid(),
            )
        if self.unit_layer is self.grid_layer:
            raise InputError(
                N_(
                    "The grid layer {layer} is chosen as the unit layer too; choose the units "
                    "(the partition's units output), or no unit layer to build units from the buildings."
                ),
                layer=self.grid_layer.name(),
            )
        for layer, name, template in (
            (
                self.grid_layer,
                self.code_field,
                N_("The grid layer {layer} has no code field; choose the field that holds the grid codes."),
            ),
            (
                self.unit_layer,
                self.unit_grid_field,
                N_(
                    "The unit layer {layer} has no field naming each unit's grid (grid_code or grid_id); "
                    "is it the unit layer? Choose the units, or no unit layer to build units from the buildings."
                ),
            ),
            (
                self.unit_layer,
                self.unit_load_field,
                N_("The unit layer {layer} has no load field (households); choose the field with the load."),
            ),
        ):
            if not name or layer.fields().lookupField(name) < 0:
                raise InputError(template, layer=layer.name())
        load = self.unit_layer.fields().field(self.unit_load_field)
        if not load.isNumeric():
            raise InputError(
                N_("The load field {field} of {layer} is not numeric; choose a field of numbers."),
                field=self.unit_load_field,
                layer=self.unit_layer.name(),
            )

    @property
    def key_field(self) -> str:
        """The grid layer field that the units' grid field refers to (same name, else the code field)."""
        if self.grid_layer.fields().lookupField(self.unit_grid_field) >= 0:
            return self.unit_grid_field
        return self.code_field

    def _load(self, target_load, tolerance):
        grid_fields = [self.code_field, self.key_field] + ([self.type_field] if self.type_field else [])
        grids = read_layer(self.grid_layer, list(dict.fromkeys(grid_fields)))
        has_counts = self.unit_layer.fields().lookupField("n_buildings") >= 0 and self.building_layer is None
        unit_fields = [self.unit_grid_field, self.unit_load_field] + (["n_buildings"] if has_counts else [])
        units = read_layer(self.unit_layer, list(dict.fromkeys(unit_fields)))
        unit_geoms = np.asarray(units.geometry.values, dtype=object)
        invalid = ~shapely.is_valid(unit_geoms) & ~shapely.is_missing(unit_geoms)
        if invalid.any():
            unit_geoms[invalid] = shapely.make_valid(unit_geoms[invalid])
            self.warnings.append((N_("Repaired {n} invalid unit polygons."), {"n": int(invalid.sum())}))
        grid_geoms = np.asarray(grids.geometry.values, dtype=object)
        invalid = ~shapely.is_valid(grid_geoms) & ~shapely.is_missing(grid_geoms)
        if invalid.any():
            grid_geoms[invalid] = shapely.make_valid(grid_geoms[invalid])
        self.grid_fids = grids["qgis_fid"].to_numpy().astype(np.int64).tolist()
        self.unit_fids = units["qgis_fid"].to_numpy().astype(np.int64)
        self._unit_order = np.argsort(self.unit_fids)
        keys = grids[self.key_field].tolist()
        self.grid_keys = list(keys)
        key_index = {}
        for i, key in enumerate(keys):
            key_index.setdefault(norm_key(key), i)
        if len(key_index) < len(keys):
            self.warnings.append(
                (
                    N_("{n} grids share a code with another grid; units go to the first of them."),
                    {"n": len(keys) - len(key_index)},
                )
            )
        labels = np.array([key_index.get(norm_key(k), -1) for k in units[self.unit_grid_field]], dtype=np.int64)
        if (labels < 0).any():
            self.warnings.append(
                (
                    N_("{n} units name no grid of the grid layer; they stay outside every grid."),
                    {"n": int((labels < 0).sum())},
                )
            )
        loads = units[self.unit_load_field].astype(float).fillna(0).to_numpy()
        self.codes = [str(c) if c is not None else "" for c in grids[self.code_field]]
        self.types = (
            [str(t) if t is not None else "" for t in grids[self.type_field]] if self.type_field else [""] * len(grids)
        )
        unit_buildings = None
        if has_counts:
            unit_buildings = pd.to_numeric(units["n_buildings"], errors="coerce").fillna(0).astype(np.int64).to_numpy()
        self.building_unit = None
        if self.building_layer is not None and self.building_layer.crs() != self.unit_layer.crs():
            self.warnings.append(
                (
                    N_("The building layer ({crs}) is not in the CRS of the units; building selection is off."),
                    {"crs": self.building_layer.crs().authid()},
                )
            )
        elif self.building_layer is not None:
            buildings = read_layer(self.building_layer, [])
            points = shapely.point_on_surface(np.asarray(buildings.geometry.values, dtype=object))
            tree = shapely.STRtree(unit_geoms)
            b_idx, u_idx = tree.query(points, predicate="intersects")
            building_unit = np.full(len(points), -1, dtype=np.int64)
            building_unit[b_idx] = u_idx
            self.building_fids = buildings["qgis_fid"].to_numpy().astype(np.int64)
            self._building_order = np.argsort(self.building_fids)
            self.building_unit = building_unit
            unit_buildings = np.bincount(building_unit[building_unit >= 0], minlength=len(unit_geoms))
        self.model = EditModel(
            unit_geoms,
            loads,
            labels,
            len(grids),
            grid_geoms=grid_geoms,
            unit_buildings=unit_buildings,
            target_load=target_load,
            tolerance=tolerance,
            grid_names=self.codes,
        )

    # ---- lookups ------------------------------------------------------------------------------------
    def units_for_fids(self, fids) -> np.ndarray:
        """Unit indices of unit-layer feature ids (unknown ids are dropped)."""
        return lookup(self.unit_fids, self._unit_order, fids)

    def units_for_building_fids(self, fids) -> np.ndarray:
        """Unit indices holding the given buildings."""
        if self.building_unit is None:
            return np.zeros(0, np.int64)
        idx = lookup(self.building_fids, self._building_order, fids)
        units = self.building_unit[idx]
        return np.unique(units[units >= 0])

    def unit_fids_for(self, units) -> list[int]:
        """Unit-layer feature ids of unit indices."""
        return [int(f) for f in self.unit_fids[np.asarray(units, dtype=np.int64)]]

    def grid_for_fid(self, fid: int) -> int:
        """Grid index of a grid-layer feature id (-1 when unknown or removed)."""
        try:
            g = self.grid_fids.index(int(fid))
        except ValueError:
            return -1
        return g if self.model.alive[g] else -1

    def grid_label(self, grid: int) -> str:
        """The grid's code for messages and lists (``#<position>`` for a grid without a code, never its index)."""
        return self.model.name(grid)

    def set_targets(self, target_load: float, tolerance: float) -> None:
        """Change the target load and tolerance (statistics are relative to them; nothing is written)."""
        self.model.target_load = float(target_load)
        self.model.tolerance = float(tolerance)

    # ---- editing ------------------------------------------------------------------------------------
    def _ensure_editing(self):
        for layer in (self.grid_layer, self.unit_layer):
            if not layer.isEditable() and not layer.startEditing():
                raise EditRefused(N_("Could not start editing the layer {name}."), name=layer.name())

    def reassign(self, units, target: int, *, repair: bool = False) -> AppliedEdit:
        """Move ``units`` to grid ``target``; raises :class:`EditRefused` with the reason when refused."""
        edit = self.model.plan_reassign(units, target, repair=repair)
        return self._apply(
            edit, tr("Grid Planner: move {n} units to {grid}").format(n=len(edit.units), grid=self.grid_label(target))
        )

    def split(self, grid: int, n_parts: int, *, seed: int = 0) -> AppliedEdit:
        """Split ``grid`` into ``n_parts`` balanced contiguous grids."""
        edit = self.model.plan_split(grid, n_parts, seed=seed)
        return self._apply(
            edit, tr("Grid Planner: split {grid} into {k}").format(grid=self.grid_label(grid), k=n_parts)
        )

    def merge(self, grids) -> AppliedEdit:
        """Merge ``grids`` into the first of them."""
        edit = self.model.plan_merge(grids)
        return self._apply(edit, tr("Grid Planner: merge {n} grids").format(n=len(list(grids))))

    def rebalance(self, grids, *, seed: int = 0) -> AppliedEdit:
        """Redraw a connected group of grids into balanced grids with the same codes."""
        edit = self.model.plan_rebalance(grids, seed=seed)
        if not len(edit.units):
            raise EditRefused(N_("These grids are as balanced as their units allow; nothing to change."))
        return self._apply(edit, tr("Grid Planner: rebalance {n} grids").format(n=len(list(grids))))

    def _apply(self, edit, text: str) -> AppliedEdit:
        if self._suspended:
            raise EditRefused(N_("The layers were saved or rolled back; reload the panel before editing."))
        self._ensure_editing()
        self._drop_redo_tail()
        applied = self.model.apply(edit)  # refusals (gaps) raise before anything is written
        grid_stack, unit_stack = self.grid_layer.undoStack(), self.unit_layer.undoStack()
        grid_before, unit_before = grid_stack.index(), unit_stack.index()
        self._syncing = True
        try:
            self._write(applied, text)
        except Exception:
            self.model.revert(applied)
            raise
        finally:
            self._syncing = False
        self._history.append((applied, grid_before, grid_stack.index(), unit_before, unit_stack.index()))
        self._n_applied = len(self._history)
        self._emit(applied)
        return applied

    def _drop_redo_tail(self):
        del self._history[self._n_applied :]

    def _new_keys(self, base_grid: int, n: int):
        field = self.grid_layer.fields().field(self.key_field)
        if field.isNumeric():
            existing = [k for k in self.grid_keys if isinstance(k, (int, float)) and k is not None]
            start = int(max(existing)) + 1 if existing else 1
            return list(range(start, start + n))
        return next_codes(self.grid_keys, str(self.grid_keys[base_grid]), n)

    def _write(self, applied: AppliedEdit, text: str):
        model = self.model
        grid_layer, unit_layer = self.grid_layer, self.unit_layer
        created = [int(g) for g in applied.created]
        if created:
            base = int(applied.affected[~np.isin(applied.affected, applied.created)][0])
            keys = self._new_keys(base, len(created))
            if self.key_field == self.code_field:
                codes = [str(k) for k in keys]
            else:
                codes = next_codes(self.codes, self.codes[base], len(created))
            for key, code in zip(keys, codes):
                self.grid_keys.append(key)
                self.codes.append(code)
                self.types.append(self.types[base])
                self.grid_fids.append(None)
        fields = grid_layer.fields()
        multi = QgsWkbTypes.isMultiType(grid_layer.wkbType())
        stat_idx = {name: fields.lookupField(field) for name, field in STAT_FIELDS.items()}
        load_idx = fields.lookupField(self.grid_load_field) if self.grid_load_field else -1
        grid_layer.beginEditCommand(text)
        unit_layer.beginEditCommand(text)
        try:
            for g in applied.affected:
                g = int(g)
                values = self._grid_values(g, load_idx, stat_idx)
                if g in created:
                    feature = QgsFeature(fields)
                    feature.setGeometry(to_qgs(model.geoms[g], multi))
                    base_feature = self._base_feature(base)
                    if base_feature is not None:
                        feature.setAttributes(base_feature.attributes())
                    pk = grid_layer.dataProvider().pkAttributeIndexes()
                    for i in pk:
                        feature.setAttribute(i, None)
                    fid_idx = fields.lookupField("fid")
                    if fid_idx >= 0:
                        feature.setAttribute(fid_idx, None)
                    feature.setAttribute(fields.lookupField(self.key_field), self.grid_keys[g])
                    feature.setAttribute(fields.lookupField(self.code_field), self.codes[g])
                    for i, v in values.items():
                        feature.setAttribute(i, v)
                    if not grid_layer.addFeature(feature):
                        raise EditRefused(N_("Could not add a grid to the layer {name}."), name=grid_layer.name())
                    self.grid_fids[g] = int(feature.id())
                elif not model.alive[g]:
                    grid_layer.deleteFeature(self.grid_fids[g])
                else:
                    grid_layer.changeGeometry(self.grid_fids[g], to_qgs(model.geoms[g], multi))
                    for i, v in values.items():
                        grid_layer.changeAttributeValue(self.grid_fids[g], i, v)
            grid_field = unit_layer.fields().lookupField(self.unit_grid_field)
            for unit, old, new in zip(applied.edit.units, applied.old_labels, applied.edit.labels):
                unit_layer.changeAttributeValue(
                    int(self.unit_fids[unit]),
                    grid_field,
                    self.grid_keys[int(new)],
                    self.grid_keys[int(old)] if old >= 0 else None,
                )
        except Exception:
            grid_layer.destroyEditCommand()
            unit_layer.destroyEditCommand()
            raise
        grid_layer.endEditCommand()
        unit_layer.endEditCommand()

    def _base_feature(self, grid: int):
        fid = self.grid_fids[grid]
        if fid is None:
            return None
        return next(self.grid_layer.getFeatures(QgsFeatureRequest(fid)), None)

    def _grid_values(self, g: int, load_idx: int, stat_idx: dict) -> dict:
        model = self.model
        values = {}
        if load_idx >= 0:
            values[load_idx] = typed(self.grid_layer.fields().at(load_idx), model.load[g])
        stats = model.grid_stats(g)
        for name, idx in stat_idx.items():
            if idx >= 0:
                values[idx] = typed(self.grid_layer.fields().at(idx), stats[name])
        return values

    def _emit(self, applied: AppliedEdit):
        if len(applied.created) or applied.edit.kind == "merge":
            self.structure_changed.emit()
        self.grids_changed.emit(applied.affected)
        self.grid_layer.triggerRepaint()
        self.unit_layer.triggerRepaint()

    # ---- undo / redo --------------------------------------------------------------------------------
    def undo(self):
        """Undo the last edit of this session (both layers)."""
        if self._n_applied:
            self.grid_layer.undoStack().setIndex(self._history[self._n_applied - 1][1])

    def redo(self):
        """Redo the next undone edit of this session (both layers)."""
        if self._n_applied < len(self._history):
            self.grid_layer.undoStack().setIndex(self._history[self._n_applied][2])

    def can_undo(self) -> bool:
        """True when there is an edit of this session to undo."""
        return self._n_applied > 0

    def can_redo(self) -> bool:
        """True when there is an undone edit of this session to redo."""
        return self._n_applied < len(self._history)

    def _suspend(self, *_args):
        self._suspended = True

    def _after_save(self, *_args):
        self._suspended = True
        self.reload_needed.emit()

    @property
    def suspended(self) -> bool:
        """True after a commit or rollback: the session no longer matches the layers; reload it."""
        return self._suspended

    def _grid_stack_moved(self, index: int):
        if self._syncing or self._suspended:
            return
        self._syncing = True
        try:
            self._follow_grid_index(index)
        finally:
            self._syncing = False

    def _follow_grid_index(self, index: int):
        unit_stack = self.unit_layer.undoStack()
        while self._n_applied and self._history[self._n_applied - 1][2] > index:
            applied, _gb, _ga, unit_before, _ua = self._history[self._n_applied - 1]
            if unit_stack.index() > unit_before:
                unit_stack.setIndex(unit_before)
            self.model.revert(applied)
            self._n_applied -= 1
            self._emit(applied)
        while self._n_applied < len(self._history) and self._history[self._n_applied][2] <= index:
            applied, _gb, _ga, _ub, unit_after = self._history[self._n_applied]
            if unit_stack.index() < unit_after:
                unit_stack.setIndex(unit_after)
            self.model.reapply(applied)
            self._n_applied += 1
            self._emit(applied)

    def _unit_stack_moved(self, index: int):
        if self._syncing or self._suspended:
            return
        # The planner undid on the unit layer: move the grid layer to the matching command.
        grid_stack = self.grid_layer.undoStack()
        target = None
        for _applied, grid_before, grid_after, unit_before, unit_after in self._history:
            if index <= unit_before and target is None:
                target = grid_before
            if index >= unit_after:
                target = grid_after
        if target is not None and target != grid_stack.index():
            grid_stack.setIndex(target)

    def close(self):
        """Disconnect from the layers' undo stacks."""
        self._suspended = True
        for signal, slot in self._connections:
            try:
                signal.disconnect(slot)
            except (TypeError, RuntimeError):
                pass
        self._connections = []
