"""The "Layers and targets" form of the editing panel: layers and fields, guessed, and the targets.

The form opens with the likely layers chosen (:mod:`.layer_guess`): the grid layer (a polygon layer with
a code and a load field), its unit layer (with a field naming the grid) — or none, to build units from
the buildings — the buildings (polygons or points with households) and the barrier lines. Fields are
guessed from their names whenever a layer changes.
"""

from __future__ import annotations

from qgis.core import QgsFieldProxyModel, QgsMapLayerProxyModel
from qgis.gui import QgsCollapsibleGroupBox, QgsFieldComboBox, QgsMapLayerComboBox
from qgis.PyQt.QtWidgets import QDoubleSpinBox, QFormLayout, QHBoxLayout, QPushButton, QSpinBox

from ..i18n import tr
from .layer_guess import (
    BUILDING_LOAD_CANDIDATES,
    CODE_FIELD_CANDIDATES,
    LOAD_FIELD_CANDIDATES,
    TYPE_FIELD_CANDIDATES,
    UNIT_GRID_FIELD_CANDIDATES,
    guess_field,
    guess_layer,
)

__all__ = ["LayerForm"]


class LayerForm(QgsCollapsibleGroupBox):
    """Layer and field choosers, target load and tolerance, and the Start button."""

    def __init__(self, parent=None):
        super().__init__(tr("Layers and targets"), parent)
        form = QFormLayout(self)
        self.grid_combo = QgsMapLayerComboBox(self)
        self.grid_combo.setFilters(QgsMapLayerProxyModel.Filter.PolygonLayer)
        self.code_field = QgsFieldComboBox(self)
        self.type_field = QgsFieldComboBox(self)
        self.type_field.setAllowEmptyFieldName(True)
        self.unit_combo = QgsMapLayerComboBox(self)
        self.unit_combo.setFilters(QgsMapLayerProxyModel.Filter.PolygonLayer)
        self.unit_combo.setAllowEmptyLayer(True)
        self.unit_combo.setToolTip(
            tr("The grids' units; leave empty to build units inside each grid from the buildings (and barriers)")
        )
        self.unit_grid_field = QgsFieldComboBox(self)
        self.unit_load_field = QgsFieldComboBox(self)
        self.unit_load_field.setFilters(QgsFieldProxyModel.Filter.Numeric)
        self.building_combo = QgsMapLayerComboBox(self)
        self.building_combo.setFilters(
            QgsMapLayerProxyModel.Filter.PolygonLayer | QgsMapLayerProxyModel.Filter.PointLayer
        )
        self.building_combo.setAllowEmptyLayer(True)
        self.building_load_field = QgsFieldComboBox(self)
        self.building_load_field.setFilters(QgsFieldProxyModel.Filter.Numeric)
        self.barrier_combo = QgsMapLayerComboBox(self)
        self.barrier_combo.setFilters(QgsMapLayerProxyModel.Filter.LineLayer)
        self.barrier_combo.setAllowEmptyLayer(True)
        self.barrier_combo.setToolTip(tr("Roads, waterways, railways: edges of the units built from the buildings"))
        self.target_spin = QSpinBox(self)
        self.target_spin.setRange(1, 1_000_000)
        self.target_spin.setValue(400)
        self.tolerance_spin = QDoubleSpinBox(self)
        self.tolerance_spin.setRange(1, 100)
        self.tolerance_spin.setDecimals(0)
        self.tolerance_spin.setSuffix(" %")
        self.tolerance_spin.setValue(20)
        form.addRow(tr("Grid layer"), self.grid_combo)
        form.addRow(tr("Grid code field"), self.code_field)
        form.addRow(tr("Grid type field"), self.type_field)
        form.addRow(tr("Unit layer (empty: build from buildings)"), self.unit_combo)
        form.addRow(tr("Unit grid field"), self.unit_grid_field)
        form.addRow(tr("Load field"), self.unit_load_field)
        form.addRow(tr("Buildings (optional)"), self.building_combo)
        form.addRow(tr("Building load field"), self.building_load_field)
        form.addRow(tr("Barriers (optional)"), self.barrier_combo)
        form.addRow(tr("Target load"), self.target_spin)
        form.addRow(tr("Tolerance"), self.tolerance_spin)
        row = QHBoxLayout()
        self.start_button = QPushButton(tr("Start editing"), self)
        self.start_button.setToolTip(tr("Load the layers into the panel and open them for editing"))
        row.addWidget(self.start_button)
        row.addStretch(1)
        form.addRow(row)
        self.grid_combo.layerChanged.connect(self._grid_layer_changed)
        self.unit_combo.layerChanged.connect(self._unit_layer_changed)
        self.building_combo.layerChanged.connect(self._building_layer_changed)

    def guess_layers(self):
        """Choose the likely grid, unit, building and barrier layers of the project (then their fields)."""
        grids = guess_layer("grids")
        if grids is not None:
            self.grid_combo.setLayer(grids)
        units = guess_layer("units", exclude=[grids])
        self.unit_combo.setLayer(units)
        self.building_combo.setLayer(guess_layer("buildings", exclude=[grids, units]))
        self.barrier_combo.setLayer(guess_layer("barriers"))
        self.guess_fields()

    def guess_fields(self):
        """Guess the fields of the chosen layers."""
        self._grid_layer_changed(self.grid_combo.currentLayer())
        self._unit_layer_changed(self.unit_combo.currentLayer())
        self._building_layer_changed(self.building_combo.currentLayer())

    def _grid_layer_changed(self, layer):
        self.code_field.setLayer(layer)
        self.type_field.setLayer(layer)
        if layer is not None:
            self.code_field.setField(guess_field(layer, CODE_FIELD_CANDIDATES))
            self.type_field.setField(guess_field(layer, TYPE_FIELD_CANDIDATES))

    def _unit_layer_changed(self, layer):
        self.unit_grid_field.setLayer(layer)
        self.unit_load_field.setLayer(layer)
        self.unit_grid_field.setEnabled(layer is not None)
        self.unit_load_field.setEnabled(layer is not None)
        if layer is not None:
            self.unit_grid_field.setField(guess_field(layer, UNIT_GRID_FIELD_CANDIDATES))
            self.unit_load_field.setField(guess_field(layer, LOAD_FIELD_CANDIDATES, numeric=True))

    def _building_layer_changed(self, layer):
        self.building_load_field.setLayer(layer)
        if layer is not None:
            self.building_load_field.setField(guess_field(layer, BUILDING_LOAD_CANDIDATES, numeric=True))

    def configure(self, grid_layer, unit_layer, *, code_field="", unit_grid_field="", unit_load_field="",
                  type_field=None, building_layer=None, building_load_field="", barrier_layer=None,
                  target_load=None, tolerance=None):  # fmt: skip
        """Set the layers and fields (as the user would in the form); empty names are guessed."""
        self.grid_combo.setLayer(grid_layer)
        self.unit_combo.setLayer(unit_layer)
        self.building_combo.setLayer(building_layer)
        self.barrier_combo.setLayer(barrier_layer)
        self.guess_fields()
        for combo, name in (
            (self.code_field, code_field),
            (self.unit_grid_field, unit_grid_field),
            (self.unit_load_field, unit_load_field),
            (self.building_load_field, building_load_field),
        ):
            if name:
                combo.setField(name)
        if type_field is not None:
            self.type_field.setField(type_field)
        if target_load is not None:
            self.target_spin.setValue(int(target_load))
        if tolerance is not None:
            self.tolerance_spin.setValue(float(tolerance) * 100.0)
