"""The planner's editing panel: the grids with live load and deviation, and the tools to change them.

A :class:`GridEditingPanel` (a ``QgsDockWidget``) binds a grid layer and its unit layer through an
:class:`~.editing_session.EditSession`: a sortable table of the grids (code, type, load, deviation
coloured against the tolerance, area, compactness, problems), selection sync with the map, reassign
(select units or buildings by any QGIS selection or the panel's tool, pick a neighbouring grid, move;
or right-click the target grid with the tool), split, merge and rebalance. Every edit goes through the
layers' edit buffers; after each, a background ``QgsTask`` validates the plan and the problems appear
in the table and the list below it.
"""

from __future__ import annotations

import time

import numpy as np
import shapely
from qgis.core import Qgis, QgsApplication, QgsGeometry, QgsProject, QgsWkbTypes
from qgis.gui import QgsCollapsibleGroupBox, QgsDockWidget, QgsRubberBand
from qgis.PyQt.QtCore import QItemSelection, QItemSelectionModel, QSortFilterProxyModel, Qt, QTimer, pyqtSignal
from qgis.PyQt.QtGui import QBrush, QColor
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import GridPlannerError
from ..i18n import tr, tr_message
from .editing_form import LayerForm
from .editing_session import EditSession
from .editing_table import GridTableModel, ValidationTask, deviation_colour  # noqa: F401 - re-exported
from .map_tools import UnitSelectTool


class GridEditingPanel(QgsDockWidget):
    """The dock panel of hand editing (see the module docstring)."""

    validated = pyqtSignal()
    edited = pyqtSignal()

    def __init__(self, iface=None, canvas=None, parent=None):
        super().__init__(tr("Grid editing"), parent)
        self.setObjectName("GridPlannerEditingPanel")
        self.iface = iface
        self.canvas = canvas if canvas is not None else (iface.mapCanvas() if iface is not None else None)
        self.session: EditSession | None = None
        self.selected_units = np.zeros(0, np.int64)
        self.last_update_s = 0.0
        self._task = None
        self._tasks_alive = []
        self._outline_problems = {}
        self._initial_geoms = np.zeros(0, dtype=object)
        self._last_validation_s = float("nan")
        self._syncing_selection = False
        self._build_ui()
        self.tool = UnitSelectTool(self.canvas, self._selection_layer) if self.canvas is not None else None
        self.target_band = None
        if self.canvas is not None:
            # outline of the grid the selection would move into (the preview before "Move")
            self.target_band = QgsRubberBand(self.canvas, QgsWkbTypes.GeometryType.PolygonGeometry)
            self.target_band.setColor(QColor(0, 120, 215, 40))
            self.target_band.setStrokeColor(QColor(0, 120, 215))
            self.target_band.setWidth(3)
            self.target_band.setLineStyle(Qt.PenStyle.DashLine)
        self.target_combo.currentIndexChanged.connect(self._show_target)
        if self.tool is not None:
            self.tool.move_requested.connect(self._move_to_point)
        self.layers_box.guess_layers()

    # ---- UI -----------------------------------------------------------------------------------------
    def _build_ui(self):
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)

        self.layers_box = LayerForm(body)
        form = self.layers_box
        self.grid_combo, self.code_field, self.type_field = form.grid_combo, form.code_field, form.type_field
        self.unit_combo, self.unit_grid_field, self.unit_load_field = (
            form.unit_combo,
            form.unit_grid_field,
            form.unit_load_field,
        )
        self.building_combo, self.building_load_field = form.building_combo, form.building_load_field
        self.barrier_combo = form.barrier_combo
        self.target_spin, self.tolerance_spin, self.start_button = (
            form.target_spin,
            form.tolerance_spin,
            form.start_button,
        )
        layout.addWidget(self.layers_box)

        self.summary_label = QLabel(self._idle_text(), body)
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)

        splitter = QSplitter(Qt.Orientation.Vertical, body)
        self.table_model = GridTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.table_model)
        self.proxy.setSortRole(GridTableModel.SORT_ROLE)
        self.proxy.setDynamicSortFilter(True)
        self.table = QTableView(splitter)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setResizeContentsPrecision(200)  # sample rows: thousands of grids
        self.table.setAlternatingRowColors(True)

        tools = QWidget(splitter)
        tools_layout = QVBoxLayout(tools)
        tools_layout.setContentsMargins(0, 0, 0, 0)
        move_box = QgsCollapsibleGroupBox(tr("Reassign units"), tools)
        move_layout = QVBoxLayout(move_box)
        self.selection_label = QLabel(tr("No units selected."), move_box)
        self.selection_label.setWordWrap(True)
        move_layout.addWidget(self.selection_label)
        move_row = QHBoxLayout()
        self.select_tool_button = QToolButton(move_box)
        self.select_tool_button.setText(tr("Select"))
        self.select_tool_button.setCheckable(True)
        self.select_tool_button.setToolTip(
            tr(
                "Click or drag on the map to select units (Shift adds, Ctrl removes); right-click a grid to move them there"
            )
        )
        self.select_buildings_check = QCheckBox(tr("by buildings"), move_box)
        self.select_buildings_check.setToolTip(tr("Select buildings on the map; their units move"))
        self.target_combo = QComboBox(move_box)
        self.target_combo.setMinimumContentsLength(20)
        self.target_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.target_combo.setToolTip(tr("Neighbouring grids, with their load after the move"))
        self.move_button = QPushButton(tr("Move"), move_box)
        move_row.addWidget(self.select_tool_button)
        move_row.addWidget(self.select_buildings_check)
        move_row.addWidget(self.target_combo, 1)
        move_row.addWidget(self.move_button)
        move_layout.addLayout(move_row)
        self.repair_check = QCheckBox(tr("Repair instead of refusing (take cut-off pieces along)"), move_box)
        move_layout.addWidget(self.repair_check)
        tools_layout.addWidget(move_box)

        grid_box = QgsCollapsibleGroupBox(tr("Selected grids"), tools)
        grid_row = QHBoxLayout(grid_box)
        self.split_spin = QSpinBox(grid_box)
        self.split_spin.setRange(2, 20)
        self.split_spin.setValue(2)
        self.split_spin.setPrefix(tr("k = "))
        self.split_button = QPushButton(tr("Split"), grid_box)
        self.split_button.setToolTip(tr("Split the selected grid into k balanced, contiguous grids"))
        self.merge_button = QPushButton(tr("Merge"), grid_box)
        self.merge_button.setToolTip(tr("Merge the selected adjacent grids into the first of them"))
        self.rebalance_button = QPushButton(tr("Rebalance"), grid_box)
        self.rebalance_button.setToolTip(tr("Redraw the selected neighbouring grids so their loads are balanced"))
        for widget in (self.split_spin, self.split_button, self.merge_button, self.rebalance_button):
            grid_row.addWidget(widget)
        tools_layout.addWidget(grid_box)

        undo_row = QHBoxLayout()
        self.undo_button = QPushButton(tr("Undo"), tools)
        self.redo_button = QPushButton(tr("Redo"), tools)
        self.save_button = QPushButton(tr("Save edits"), tools)
        self.save_button.setToolTip(tr("Commit the edits of the grid and unit layers"))
        for widget in (self.undo_button, self.redo_button, self.save_button):
            undo_row.addWidget(widget)
        tools_layout.addLayout(undo_row)

        tools_layout.addWidget(QLabel(tr("Problems"), tools))
        self.problem_list = QListWidget(tools)
        self.problem_list.setMaximumHeight(140)
        tools_layout.addWidget(self.problem_list, 1)
        self.status_label = QLabel("", tools)
        tools_layout.addWidget(self.status_label)
        splitter.addWidget(self.table)
        splitter.addWidget(tools)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 0)
        layout.addWidget(splitter, 1)
        self.setWidget(body)

        # Qt passes a "checked" flag with clicked(); every slot here is called without it, so a button
        # can never hand False (= grid 0) to a method that takes a grid.
        self.start_button.clicked.connect(lambda _checked=False: self.start())
        self.target_spin.valueChanged.connect(self._targets_changed)
        self.tolerance_spin.valueChanged.connect(self._targets_changed)
        self.table.selectionModel().selectionChanged.connect(self._table_selection_changed)
        self.move_button.clicked.connect(lambda _checked=False: self.move_selection())
        self.select_tool_button.toggled.connect(self._toggle_tool)
        self.select_buildings_check.toggled.connect(lambda _on: self._refresh_selection())
        self.split_button.clicked.connect(lambda _checked=False: self.split_selected())
        self.merge_button.clicked.connect(lambda _checked=False: self.merge_selected())
        self.rebalance_button.clicked.connect(lambda _checked=False: self.rebalance_selected())
        self.undo_button.clicked.connect(lambda _checked=False: self.undo())
        self.redo_button.clicked.connect(lambda _checked=False: self.redo())
        self.save_button.clicked.connect(lambda _checked=False: self.save())
        self.problem_list.itemClicked.connect(self._problem_clicked)
        self._update_buttons()

    @staticmethod
    def _idle_text() -> str:
        return tr(
            "Choose a grid layer and its unit layer (or buildings to build units from), then press Start editing."
        )

    def guess_layers(self):
        """Choose the project's likely grid, unit, building and barrier layers in the form."""
        self.layers_box.guess_layers()

    def configure(self, grid_layer, unit_layer, **kwargs):
        """Set the layers and fields (as the user would in the form); empty names are guessed.

        Keywords: ``code_field``, ``unit_grid_field``, ``unit_load_field``, ``type_field``,
        ``building_layer``, ``building_load_field``, ``barrier_layer``, ``target_load``, ``tolerance``.
        """
        self.layers_box.configure(grid_layer, unit_layer, **kwargs)

    # ---- messages -----------------------------------------------------------------------------------
    def message(self, text: str, level=Qgis.MessageLevel.Info):
        """Show ``text`` in the status line and the QGIS message bar."""
        self.status_label.setText(text)
        if self.iface is not None:
            self.iface.messageBar().pushMessage(tr("Grid Planner"), text, level, 6)

    def _error(self, error: GridPlannerError):
        self.message(tr_message(error.template, error.params), Qgis.MessageLevel.Warning)

    # ---- session ------------------------------------------------------------------------------------
    def start(self) -> bool:
        """Build the session from the form; True on success."""
        self.stop()
        try:
            self.session = EditSession(
                self.grid_combo.currentLayer(),
                self.unit_combo.currentLayer(),
                code_field=self.code_field.currentField(),
                unit_grid_field=self.unit_grid_field.currentField(),
                unit_load_field=self.unit_load_field.currentField(),
                type_field=self.type_field.currentField(),
                building_layer=self.building_combo.currentLayer(),
                building_load_field=self.building_load_field.currentField(),
                barrier_layer=self.barrier_combo.currentLayer(),
                target_load=self.target_spin.value(),
                tolerance=self.tolerance_spin.value() / 100.0,
            )
        except GridPlannerError as error:
            # a wrong choice leaves nothing of an earlier session behind: empty table, list and summary
            self.session = None
            self.summary_label.setText(self._idle_text())
            self.problem_list.clear()
            self.layers_box.setCollapsed(False)
            self._error(error)
            return False
        session = self.session
        if session.built_unit_layer is not None:
            # units built from the buildings: on the map (to select them) and in the form (a reload reuses them)
            QgsProject.instance().addMapLayer(session.built_unit_layer)
            self.unit_combo.setLayer(session.built_unit_layer)
            self.message(
                tr("Built {n} units inside {m} grids from the buildings (layer {name}).").format(
                    n=session.unit_layer.featureCount(), m=len(session.codes), name=session.unit_layer.name()
                ),
                Qgis.MessageLevel.Info,
            )
        session.grids_changed.connect(self._grids_changed)
        session.structure_changed.connect(self.table_model.reset_rows)
        session.reload_needed.connect(self._reload_later)
        self.table_model.set_session(session)
        self.table.sortByColumn(GridTableModel.CODE, Qt.SortOrder.AscendingOrder)
        self.table.resizeColumnsToContents()
        for layer in (session.unit_layer, session.building_layer):
            if layer is not None:
                layer.selectionChanged.connect(self._refresh_selection)
        session.grid_layer.selectionChanged.connect(self._grid_layer_selection_changed)
        QgsProject.instance().layersWillBeRemoved.connect(self._layers_removed)
        for template, params in session.warnings:
            self.message(tr_message(template, params), Qgis.MessageLevel.Warning)
        self.layers_box.setCollapsed(True)
        self._refresh_summary()
        self._refresh_selection()
        self._validate(initial=True)
        self._update_buttons()
        return True

    def stop(self):
        """Forget the session (the layers keep their edit buffers)."""
        if self.session is None:
            return
        session = self.session
        for layer in (session.unit_layer, session.building_layer):
            if layer is not None:
                _disconnect(layer.selectionChanged, self._refresh_selection)
        _disconnect(session.grid_layer.selectionChanged, self._grid_layer_selection_changed)
        _disconnect(QgsProject.instance().layersWillBeRemoved, self._layers_removed)
        session.close()
        self.session = None
        self.table_model.set_session(None)
        self.target_combo.clear()
        if self.target_band is not None:
            self.target_band.reset(QgsWkbTypes.GeometryType.PolygonGeometry)
        self._update_buttons()

    def _layers_removed(self, layer_ids):
        session = self.session
        if session is None:
            return
        ours = {session.grid_layer.id(), session.unit_layer.id()}
        if session.building_layer is not None:
            ours.add(session.building_layer.id())
        if ours & set(layer_ids):
            self.stop()
            self.summary_label.setText(tr("A layer of the panel was removed; choose the layers again."))
            self.layers_box.setCollapsed(False)

    def _reload_later(self):
        QTimer.singleShot(0, self.start)

    def _targets_changed(self, *_args):
        if self.session is not None:
            self.session.set_targets(self.target_spin.value(), self.tolerance_spin.value() / 100.0)
            self.table_model.refresh_all()
            self._refresh_summary()
            self._refresh_selection()
            self._validate()

    # ---- live updates -------------------------------------------------------------------------------
    def _grids_changed(self, grids):
        self.table_model.grids_changed(grids)
        self._refresh_summary()
        self._refresh_selection()
        self._update_buttons()
        self._validate()

    def _refresh_summary(self):
        if self.session is None:
            return
        model = self.session.model
        alive = model.alive
        loads = model.load[alive]
        n = int(alive.sum())
        mean = float(loads.mean()) if n else 0.0
        cv = float(loads.std() / mean) if n and mean else 0.0
        out = int((~model.within_tolerance(np.flatnonzero(alive))).sum())
        self.summary_label.setText(
            tr("{n} grids · mean load {mean:.0f} · CV {cv:.2f} · {out} outside ±{tol:.0f}%").format(
                n=n, mean=mean, cv=cv, out=out, tol=model.tolerance * 100
            )
        )

    def _selection_layer(self):
        if self.session is None:
            return self.unit_combo.currentLayer()
        if self.select_buildings_check.isChecked() and self.session.building_layer is not None:
            return self.session.building_layer
        return self.session.unit_layer

    def current_selection(self) -> np.ndarray:
        """Unit indices selected on the unit layer plus the units of selected buildings."""
        if self.session is None:
            return np.zeros(0, np.int64)
        units = self.session.units_for_fids(self.session.unit_layer.selectedFeatureIds())
        if self.session.building_layer is not None:
            more = self.session.units_for_building_fids(self.session.building_layer.selectedFeatureIds())
            units = np.union1d(units, more)
        return units

    def _show_target(self, *_args):
        if self.target_band is None:
            return
        self.target_band.reset(QgsWkbTypes.GeometryType.PolygonGeometry)
        target = self.target_combo.currentData()
        if self.session is None or target is None:
            return
        geometry = QgsGeometry()
        geometry.fromWkb(shapely.to_wkb(self.session.model.geoms[int(target)], output_dimension=2))
        self.target_band.setToGeometry(geometry, self.session.grid_layer)

    def _refresh_selection(self, *_args):
        if self.session is None:
            self.selection_label.setText(tr("No units selected."))
            self.target_combo.clear()
            return
        model = self.session.model
        units = self.current_selection()
        self.selected_units = units
        previous = self.target_combo.currentData()
        self.target_combo.clear()
        if not len(units):
            self.selection_label.setText(tr("No units selected: select units (or buildings) on the map."))
            self._update_buttons()
            return
        own = np.unique(model.labels[units])
        own_text = ", ".join(self.session.grid_label(int(g)) for g in own[own >= 0][:5])
        self.selection_label.setText(
            tr("{n} units selected, load {load:.0f}, in grid {grids}").format(
                n=len(units), load=float(model.unit_loads[units].sum()), grids=own_text or "—"
            )
        )
        for g in model.neighbour_grids(units):
            g = int(g)
            after = model.preview(units, g)[g]
            self.target_combo.addItem(
                tr("{code} → {load:.0f} ({dev:+.0f}%)").format(
                    code=self.session.grid_label(g), load=after["load"], dev=after["deviation_pct"]
                ),
                g,
            )
        if previous is not None:
            index = self.target_combo.findData(previous)
            if index >= 0:
                self.target_combo.setCurrentIndex(index)
        self._update_buttons()

    def selected_grids(self) -> list[int]:
        """Grid indices selected in the table (in selection order)."""
        rows = self.table.selectionModel().selectedRows()
        return [int(self.proxy.data(index, GridTableModel.GRID_ROLE)) for index in rows]

    def _table_selection_changed(self, *_args):
        if self.session is None or self._syncing_selection:
            return
        grids = self.selected_grids()
        fids = [self.session.grid_fids[g] for g in grids]
        self._syncing_selection = True
        try:
            self.session.grid_layer.selectByIds(fids)
        finally:
            self._syncing_selection = False
        if fids and self.canvas is not None:
            self.canvas.zoomToFeatureIds(self.session.grid_layer, fids)
            self.canvas.zoomByFactor(1.3)
            self.canvas.refresh()
        self._update_buttons()

    def _grid_layer_selection_changed(self, *_args):
        if self.session is None or self._syncing_selection:
            return

        selection = QItemSelection()
        for fid in self.session.grid_layer.selectedFeatureIds():
            g = self.session.grid_for_fid(fid)
            row = self.table_model.row_of.get(g)
            if row is not None:
                index = self.proxy.mapFromSource(self.table_model.index(row, 0))
                selection.select(index, index)
        self._syncing_selection = True
        try:
            self.table.selectionModel().select(
                selection, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            )
        finally:
            self._syncing_selection = False
        self._update_buttons()

    def select_grids(self, grids):
        """Select grids in the table (and so on the map)."""

        selection = QItemSelection()
        for g in grids:
            row = self.table_model.row_of.get(int(g))
            if row is not None:
                index = self.proxy.mapFromSource(self.table_model.index(row, 0))
                selection.select(index, index)
        self.table.selectionModel().select(
            selection, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )

    def _update_buttons(self):
        has = self.session is not None
        grids = self.selected_grids() if has else []
        self.move_button.setEnabled(has and self.target_combo.count() > 0)
        self.split_button.setEnabled(len(grids) == 1)
        self.merge_button.setEnabled(len(grids) >= 2)
        self.rebalance_button.setEnabled(len(grids) >= 2)
        self.undo_button.setEnabled(has and self.session.can_undo())
        self.redo_button.setEnabled(has and self.session.can_redo())
        self.save_button.setEnabled(has)

    # ---- actions ------------------------------------------------------------------------------------
    def _run(self, action, *args, **kwargs):
        if self.session is None:
            return None
        start = time.perf_counter()
        try:
            applied = action(*args, **kwargs)
        except GridPlannerError as error:
            self._error(error)
            return None
        self.last_update_s = time.perf_counter() - start
        for template, params in applied.edit.notes:
            self.message(tr_message(template, params), Qgis.MessageLevel.Info)
        if not applied.edit.notes:
            self.status_label.setText(tr("Updated in {ms:.0f} ms.").format(ms=self.last_update_s * 1000))
        self.edited.emit()
        return applied

    def move_selection(self, target=None):
        """Move the selected units to ``target`` (default: the grid chosen in the list)."""
        target = self.target_combo.currentData() if target is None else target
        if target is None:
            return None
        return self._run(
            self.session.reassign, self.current_selection(), int(target), repair=self.repair_check.isChecked()
        )

    def _move_to_point(self, point):
        if self.session is None or self.canvas is None:
            return
        layer_point = self.tool.toLayerCoordinates(self.session.grid_layer, point)
        hit = shapely.Point(layer_point.x(), layer_point.y())
        model = self.session.model
        for g in model.neighbour_grids(self.current_selection()):
            if model.geoms[int(g)].intersects(hit):
                self.move_selection(int(g))
                return
        self.message(tr("Right-click a grid next to the selected units to move them there."), Qgis.MessageLevel.Warning)

    def split_selected(self):
        """Split the one selected grid into k parts."""
        grids = self.selected_grids()
        if len(grids) == 1:
            return self._run(self.session.split, grids[0], self.split_spin.value())
        return None

    def merge_selected(self):
        """Merge the selected grids into the first selected."""
        grids = self.selected_grids()
        if len(grids) >= 2:
            return self._run(self.session.merge, grids)
        return None

    def rebalance_selected(self):
        """Rebalance the selected grids."""
        grids = self.selected_grids()
        if len(grids) >= 2:
            return self._run(self.session.rebalance, grids)
        return None

    def undo(self):
        """Undo the last edit (both layers)."""
        if self.session is not None:
            self.session.undo()

    def redo(self):
        """Redo the last undone edit (both layers)."""
        if self.session is not None:
            self.session.redo()

    def save(self):
        """Commit both layers' edits."""
        if self.session is None:
            return
        session = self.session
        failed = []
        for layer in (session.grid_layer, session.unit_layer):
            if layer.isEditable() and not layer.commitChanges():
                failed.append(f"{layer.name()}: {'; '.join(layer.commitErrors())}")
        if failed:
            self.message(tr("Could not save: {errors}").format(errors=" | ".join(failed)), Qgis.MessageLevel.Critical)
        else:
            self.message(tr("Edits saved."), Qgis.MessageLevel.Success)

    def _toggle_tool(self, on: bool):
        if self.canvas is None or self.tool is None:
            return
        if on:
            self.canvas.setMapTool(self.tool)
        elif self.canvas.mapTool() is self.tool:
            self.canvas.unsetMapTool(self.tool)

    # ---- validation ---------------------------------------------------------------------------------
    def _validate(self, initial: bool = False):
        if self.session is None:
            return
        if self._task is not None:
            try:
                self._task.cancel()
            except RuntimeError:
                pass
        model = self.session.model
        unit_groups = (model.unit_geoms, [model.members(g) for g in range(model.n_grids)]) if initial else None
        task = ValidationTask(
            model.geoms.copy(), model.load.copy(), model.alive.copy(), model.target_load, model.tolerance, unit_groups
        )
        task.taskCompleted.connect(lambda t=task, i=initial: self._validation_done(t, i))
        self._task = task
        self._tasks_alive.append(task)
        QgsApplication.taskManager().addTask(task)

    def _validation_done(self, task, initial: bool):
        if task in self._tasks_alive:
            self._tasks_alive.remove(task)
        if task is not self._task or self.session is None or task.problems is None:
            return
        self._task = None
        self._last_validation_s = task.seconds
        problems: dict[int, list[str]] = {}
        errors: set[int] = set()
        self.problem_list.clear()
        if initial:
            # outline problems are checked once; a grid shows them while it has its initial geometry (an
            # edit redraws it from its units; undo puts the very same geometry object back)
            self._outline_problems = {}
            self._initial_geoms = self.session.model.geoms.copy()
            for p in task.problems:
                if "outline" in p.template:
                    self._outline_problems.setdefault(p.grid, []).append(p)
        geoms = self.session.model.geoms
        items = [p for p in task.problems if "outline" not in p.template]
        items += [
            p
            for g, ps in self._outline_problems.items()
            if g < len(self._initial_geoms) and geoms[g] is self._initial_geoms[g]
            for p in ps
        ]
        for p in items:
            text = tr_message(p.template, self._named(p.params))
            problems.setdefault(p.grid, []).append(text)
            if p.severity == "error":
                errors.add(p.grid)
            item = QListWidgetItem(f"{self.session.grid_label(p.grid)}: {text}")
            item.setData(Qt.ItemDataRole.UserRole, p.grid)
            if p.severity == "error":
                item.setForeground(QBrush(QColor("#b00020")))
            self.problem_list.addItem(item)
        if not items:
            self.problem_list.addItem(QListWidgetItem(tr("No problems found.")))
        self.table_model.set_problems(problems, errors)
        self.validated.emit()

    def _named(self, params: dict) -> dict:
        params = dict(params)
        if "other" in params and self.session is not None:
            params["other"] = self.session.grid_label(int(params["other"]))
        return params

    def _problem_clicked(self, item):
        grid = item.data(Qt.ItemDataRole.UserRole)
        if grid is not None:
            self.select_grids([int(grid)])

    def wait_for_validation(self, timeout_s: float = 30.0) -> bool:
        """Process events until the running validation finished (tests, scripts)."""
        deadline = time.perf_counter() + timeout_s
        while self._task is not None and time.perf_counter() < deadline:
            QgsApplication.processEvents()
            time.sleep(0.01)
        return self._task is None

    def release_canvas_items(self):
        """Remove the panel's rubber bands from the map canvas (plugin unload)."""
        for band in (self.target_band, getattr(self.tool, "_band", None)):
            if band is not None and self.canvas is not None:
                self.canvas.scene().removeItem(band)
        self.target_band = None

    def closeEvent(self, event):  # noqa: N802
        """Leave the map tool when the panel closes."""
        self._toggle_tool(False)
        super().closeEvent(event)


def _disconnect(signal, slot):
    try:
        signal.disconnect(slot)
    except (TypeError, RuntimeError):
        pass
