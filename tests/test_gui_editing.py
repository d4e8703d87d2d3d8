"""The editing panel on real QGIS layers (GeoPackage) and a real map canvas: reassign, refuse, undo, split."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from gridplanner.grid_plugin.gui.editing_panel import GridEditingPanel, GridTableModel, deviation_colour
from helpers import lattice_plan
from qgis.core import QgsFeatureRequest, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QPoint, Qt
from qgis.PyQt.QtGui import QColor

TARGET = 90  # households per grid: 15 units of one building with 0-12 (mean 6) households


def write_plan_gpkg(plan: dict, path) -> dict:
    """Write the plan's layers into one GeoPackage and load them as QGIS layers."""
    for name, frame in plan.items():
        frame.to_file(path, layer=name, driver="GPKG")
    layers = {name: QgsVectorLayer(f"{path}|layername={name}", name, "ogr") for name in plan}
    for layer in layers.values():
        assert layer.isValid()
    QgsProject.instance().addMapLayers(list(layers.values()))
    return layers


@pytest.fixture()
def plan_layers(tmp_path, qgis_new_project):
    plan = lattice_plan(12, 10, 4, 2, seed=2)
    layers = write_plan_gpkg(plan, tmp_path / "plan.gpkg")
    layers["plan"] = plan
    layers["grids_id"], layers["units_id"] = layers["grids"].id(), layers["units"].id()
    yield layers
    for name in ("grids", "units"):
        if QgsProject.instance().mapLayer(layers[name + "_id"]) is not None and layers[name].isEditable():
            layers[name].rollBack()
    QgsProject.instance().removeAllMapLayers()


@pytest.fixture()
def panel(plan_layers, qgis_iface, qgis_canvas):
    canvas = qgis_iface.mapCanvas()
    canvas.setDestinationCrs(plan_layers["grids"].crs())
    canvas.setLayers([plan_layers["units"], plan_layers["grids"]])
    canvas.setExtent(plan_layers["grids"].extent())
    widget = GridEditingPanel(qgis_iface)
    widget.configure(
        plan_layers["grids"],
        plan_layers["units"],
        building_layer=plan_layers["buildings"],
        target_load=TARGET,
        tolerance=0.2,
    )
    assert widget.code_field.currentField() == "grid_code"
    assert widget.unit_grid_field.currentField() == "grid_code"
    assert widget.unit_load_field.currentField() == "households"
    assert widget.start(), widget.status_label.text()
    assert widget.wait_for_validation()
    yield widget
    widget.stop()
    widget.deleteLater()


def grid_feature(layer, code):
    request = QgsFeatureRequest().setFilterExpression(f"\"grid_code\" = '{code}'")
    features = list(layer.getFeatures(request))
    assert len(features) == 1
    return features[0]


def unit_fids(layer, unit_ids):
    request = QgsFeatureRequest().setFilterExpression(f'"unit_id" IN ({",".join(map(str, unit_ids))})')
    return [f.id() for f in layer.getFeatures(request)]


def test_table_lists_grids_sortable_and_coloured(panel, plan_layers):
    grids = plan_layers["plan"]["grids"]
    assert panel.proxy.rowCount() == len(grids) == 8
    panel.table.sortByColumn(GridTableModel.LOAD, Qt.DescendingOrder)
    top = panel.proxy.data(panel.proxy.index(0, GridTableModel.LOAD), GridTableModel.SORT_ROLE)
    assert top == grids["load"].max()
    code = panel.proxy.data(panel.proxy.index(0, GridTableModel.CODE))
    assert code == grids.loc[grids["load"].idxmax(), "grid_code"]
    deviation = (top - TARGET) / TARGET * 100
    brush = panel.proxy.data(panel.proxy.index(0, GridTableModel.DEVIATION), Qt.BackgroundRole)
    assert brush.color() == deviation_colour(deviation, 0.2)
    assert deviation_colour(5, 0.2) == QColor("#c8e6c9") and deviation_colour(-25, 0.2) == QColor("#f4b6b6")
    assert "grids" in panel.summary_label.text()


def test_selecting_a_row_selects_and_zooms_to_the_grid(panel, plan_layers):
    canvas = panel.canvas
    full = canvas.extent()
    panel.select_grids([5])
    grid_layer = plan_layers["grids"]
    assert grid_layer.selectedFeatureIds() == [panel.session.grid_fids[5]]
    bbox = grid_layer.getFeature(panel.session.grid_fids[5]).geometry().boundingBox()
    assert canvas.extent().contains(bbox)
    assert canvas.extent().width() < full.width()
    # and back: a map selection selects the table row
    grid_layer.selectByIds([panel.session.grid_fids[2]])
    assert panel.selected_grids() == [2]


def test_reassign_updates_loads_exactly_live_before_commit(panel, plan_layers):
    units, grids = plan_layers["units"], plan_layers["grids"]
    plan = plan_layers["plan"]
    # unit (column 2, row 1) of grid 001 next to grid 003 (columns 3-5, rows 0-4)
    unit_id = 2 * 10 + 1
    moved_load = int(plan["units"].loc[unit_id, "households"])
    src_code, tgt_code = "440307001001", "440307001003"
    src_before = grid_feature(grids, src_code)["load"]
    tgt_before = grid_feature(grids, tgt_code)["load"]
    units.selectByIds(unit_fids(units, [unit_id]))
    assert panel.selected_units.tolist() == [unit_id]
    targets = [panel.session.grid_label(panel.target_combo.itemData(i)) for i in range(panel.target_combo.count())]
    assert tgt_code in targets and src_code not in targets
    panel.target_combo.setCurrentIndex(targets.index(tgt_code))
    # the target grid is outlined on the map before the move
    band = panel.target_band.asGeometry()
    assert band.area() == pytest.approx(grid_feature(grids, tgt_code).geometry().area())
    assert panel.move_selection() is not None
    # the edit buffer holds the new loads and geometries (nothing committed yet)
    assert grids.isEditable() and grids.isModified()
    assert grid_feature(grids, src_code)["load"] == src_before - moved_load
    assert grid_feature(grids, tgt_code)["load"] == tgt_before + moved_load
    provider_loads = {f["grid_code"]: f["load"] for f in grids.dataProvider().getFeatures()}
    assert provider_loads[src_code] == src_before  # the file is unchanged until saved
    moved = units.getFeature(unit_fids(units, [unit_id])[0])
    assert moved["grid_code"] == tgt_code
    target_geom = shapely.from_wkb(bytes(grid_feature(grids, tgt_code).geometry().asWkb()))
    unit_geom = plan["units"].geometry.iloc[unit_id]
    assert target_geom.contains(shapely.point_on_surface(unit_geom))
    assert shapely.get_num_geometries(target_geom) == 1
    # the table shows the new load
    g = panel.session.codes.index(tgt_code)
    row = panel.proxy.mapFromSource(panel.table_model.index(panel.table_model.row_of[g], GridTableModel.LOAD))
    assert float(panel.proxy.data(row)) == tgt_before + moved_load
    # saving writes them
    panel.save()
    provider_loads = {f["grid_code"]: f["load"] for f in grids.dataProvider().getFeatures()}
    assert provider_loads[tgt_code] == tgt_before + moved_load


def test_edit_that_breaks_contiguity_is_refused(panel, plan_layers):
    units, grids = plan_layers["units"], plan_layers["grids"]
    # the whole row 2 of grid 001 (columns 0-2): removing it cuts the grid into a top and a bottom piece
    row_units = [c * 10 + 2 for c in range(3)]
    units.selectByIds(unit_fids(units, row_units))
    target = next(
        panel.target_combo.itemData(i)
        for i in range(panel.target_combo.count())
        if panel.session.grid_label(panel.target_combo.itemData(i)) == "440307001003"
    )
    depth = grids.undoStack().count()
    panel.repair_check.setChecked(False)
    assert panel.move_selection(target) is None
    assert "cut grid" in panel.status_label.text()
    assert grids.undoStack().count() == depth and not grids.isModified()
    # with repair, the cut-off piece moves along and both grids stay in one piece
    panel.repair_check.setChecked(True)
    applied = panel.move_selection(target)
    assert applied is not None and len(applied.edit.units) > 3
    assert (panel.session.model.n_parts[panel.session.model.alive] == 1).all()


def test_undo_restores_exact_geometry_and_loads(panel, plan_layers):
    units, grids = plan_layers["units"], plan_layers["grids"]
    before = {f.id(): (f.geometry().asWkb(), f["load"]) for f in grids.getFeatures()}
    units_before = {f.id(): f["grid_code"] for f in units.getFeatures()}
    loads_before = panel.session.model.load.copy()
    units.selectByIds(unit_fids(units, [21, 22]))
    assert panel.move_selection() is not None
    assert {f.id(): f["load"] for f in grids.getFeatures()} != {k: v[1] for k, v in before.items()}
    # Ctrl+Z on the grid layer (QGIS's own undo) undoes both layers and the panel
    grids.undoStack().undo()
    after = {f.id(): (f.geometry().asWkb(), f["load"]) for f in grids.getFeatures()}
    assert after == before
    assert {f.id(): f["grid_code"] for f in units.getFeatures()} == units_before
    assert np.array_equal(panel.session.model.load, loads_before)
    # redo from the panel, then undo from the panel
    panel.redo()
    assert not np.array_equal(panel.session.model.load, loads_before)
    panel.undo()
    assert {f.id(): (f.geometry().asWkb(), f["load"]) for f in grids.getFeatures()} == before
    assert np.array_equal(panel.session.model.load, loads_before)
    # Ctrl+Z with the unit layer active undoes the grid layer too
    panel.redo()
    units.undoStack().undo()
    assert {f.id(): (f.geometry().asWkb(), f["load"]) for f in grids.getFeatures()} == before
    assert {f.id(): f["grid_code"] for f in units.getFeatures()} == units_before
    assert np.array_equal(panel.session.model.load, loads_before)


def test_split_gives_k_contiguous_parts_within_tolerance(panel, plan_layers):
    grids = plan_layers["grids"]
    code = "440307001004"
    total = grid_feature(grids, code)["load"]
    g = panel.session.codes.index(code)
    k = 3
    panel.target_spin.setValue(round(total / k))
    panel.select_grids([g])
    panel.split_spin.setValue(k)
    applied = panel.split_selected()
    assert applied is not None
    assert grids.featureCount() == 8 + k - 1
    parts = [g, *applied.created.tolist()]
    codes = [panel.session.codes[p] for p in parts]
    assert len(set(codes)) == k and codes[0] == code
    loads = []
    for part_code in codes:
        feature = grid_feature(grids, part_code)
        geom = shapely.from_wkb(bytes(feature.geometry().asWkb()))
        assert shapely.get_num_geometries(geom) == 1
        loads.append(feature["load"])
    assert sum(loads) == total
    target = total / k
    assert max(abs(x - target) for x in loads) <= 0.2 * target
    # undo removes the new grids again
    panel.undo()
    assert grids.featureCount() == 8
    assert grid_feature(grids, code)["load"] == total


def test_merge_and_rebalance_through_the_panel(panel, plan_layers):
    grids = plan_layers["grids"]
    codes = ["440307001001", "440307001002"]
    total = sum(grid_feature(grids, c)["load"] for c in codes)
    panel.select_grids([panel.session.codes.index(c) for c in codes])
    assert panel.merge_selected() is not None
    assert grids.featureCount() == 7
    assert grid_feature(grids, codes[0])["load"] == total
    panel.undo()
    assert grids.featureCount() == 8
    # unbalance 003 against 001 by moving a column, then rebalance the pair
    units = plan_layers["units"]
    units.selectByIds(unit_fids(units, [30, 31, 32, 33, 34]))
    target = panel.session.codes.index("440307001001")
    assert panel.move_selection(target) is not None
    pair = [target, panel.session.codes.index("440307001003")]
    spread = abs(np.diff(panel.session.model.load[pair]))[0]
    panel.select_grids(pair)
    assert panel.rebalance_selected() is not None
    assert abs(np.diff(panel.session.model.load[pair]))[0] < spread
    assert (panel.session.model.n_parts[pair] == 1).all()


def test_background_validation_reports_problems(panel, plan_layers):
    units = plan_layers["units"]
    # move two columns of grid 003 into grid 001: 001 goes far over the target
    units.selectByIds(unit_fids(units, [30, 31, 32, 33, 34, 40, 41, 42, 43, 44]))
    target = panel.session.codes.index("440307001001")
    assert panel.move_selection(target) is not None
    assert panel.wait_for_validation()
    texts = [panel.problem_list.item(i).text() for i in range(panel.problem_list.count())]
    assert any(t.startswith("440307001001: load") and "over target" in t for t in texts), texts
    row = panel.table_model.row_of[target]
    assert "over target" in panel.table_model.data(panel.table_model.index(row, GridTableModel.PROBLEMS))


def test_select_tool_click_and_building_selection(panel, plan_layers):
    from qgis.gui import QgsMapMouseEvent
    from qgis.PyQt.QtCore import QEvent

    canvas = panel.canvas
    canvas.resize(600, 500)
    canvas.setExtent(plan_layers["grids"].extent())
    canvas.refresh()
    plan = plan_layers["plan"]
    point = shapely.point_on_surface(plan["units"].geometry.iloc[57])
    pixel = canvas.getCoordinateTransform().transform(point.x, point.y)
    pos = QPoint(int(pixel.x()), int(pixel.y()))
    panel.select_tool_button.setChecked(True)
    assert canvas.mapTool() is panel.tool
    for kind in (QEvent.MouseButtonPress, QEvent.MouseButtonRelease):
        event = QgsMapMouseEvent(canvas, kind, pos, Qt.LeftButton, Qt.LeftButton, Qt.NoModifier)
        (panel.tool.canvasPressEvent if kind == QEvent.MouseButtonPress else panel.tool.canvasReleaseEvent)(event)
    assert panel.selected_units.tolist() == [57]
    # selecting a building selects its unit
    plan_layers["units"].removeSelection()
    buildings = plan_layers["buildings"]
    request = QgsFeatureRequest().setFilterExpression('"unit_id" = 33')
    buildings.selectByIds([f.id() for f in buildings.getFeatures(request)])
    assert panel.selected_units.tolist() == [33]
    panel.select_tool_button.setChecked(False)


def test_bad_input_gives_a_message(qgis_iface, qgis_new_project, tmp_path):
    plan = lattice_plan(4, 4, 2, 1, crs="EPSG:4326")
    layers = write_plan_gpkg(plan, tmp_path / "geographic.gpkg")
    widget = GridEditingPanel(qgis_iface)
    widget.configure(layers["grids"], layers["units"])
    assert not widget.start()
    assert "geographic CRS" in widget.status_label.text()
    widget.deleteLater()
    QgsProject.instance().removeAllMapLayers()


def test_chinese_ui(qgis_iface, qgis_app):
    from gridplanner.grid_plugin import i18n

    assert i18n.install_translator("zh_CN")
    try:
        widget = GridEditingPanel(qgis_iface)
        assert widget.windowTitle() == "网格编辑"
        assert widget.move_button.text() == "移动"
        assert widget.table_model.headers()[2] == "负荷"
        widget.deleteLater()
    finally:
        i18n.remove_translators()


def test_target_change_recolours_and_removing_a_layer_stops_the_session(panel, plan_layers):
    g = 0
    row = panel.table_model.row_of[g]
    load = panel.session.model.load[g]
    panel.target_spin.setValue(int(load * 2))  # every grid now ~50 % under target
    deviation = panel.table_model.data(panel.table_model.index(row, GridTableModel.DEVIATION), GridTableModel.SORT_ROLE)
    assert deviation == pytest.approx((load - int(load * 2)) / int(load * 2) * 100)
    brush = panel.table_model.data(panel.table_model.index(row, GridTableModel.DEVIATION), Qt.BackgroundRole)
    assert brush.color() == QColor("#f4b6b6")
    model = panel.session.model
    outside = int((np.abs(model.load - int(load * 2)) > 0.2 * int(load * 2)).sum())
    assert outside >= 6 and f"{outside} outside ±20%" in panel.summary_label.text()
    QgsProject.instance().removeMapLayer(plan_layers["units"].id())
    assert panel.session is None
    assert panel.proxy.rowCount() == 0


def test_fast_reader_matches_qgis_and_sees_unsaved_edits(plan_layers):
    from gridplanner.grid_plugin.gui.editing_session import read_layer
    from gridplanner.grid_plugin.qgis_io import source_to_gdf

    units = plan_layers["units"]
    fast = read_layer(units, ["grid_code", "households"])
    slow = source_to_gdf(units, ["grid_code", "households"])
    assert fast["qgis_fid"].tolist() == slow["fid"].tolist()
    assert fast["households"].tolist() == slow["households"].tolist()
    assert all(shapely.equals_exact(a, b, 0) for a, b in zip(fast.geometry.values, slow.geometry.values))
    units.startEditing()
    fid = int(fast["qgis_fid"].iloc[0])
    units.changeAttributeValue(fid, units.fields().lookupField("households"), 999)
    edited = read_layer(units, ["households"])
    assert edited.loc[edited["qgis_fid"] == fid, "households"].item() == 999
    units.rollBack()


def test_partition_output_edits_end_to_end(tmp_path, qgis_iface, qgis_new_project):
    """The partition algorithm's own grids and units (synthetic town) open in the panel unchanged."""
    from gridplanner.grid_plugin.core.editing.engine import EditRefused
    from gridplanner.grid_plugin.core.partition.engine import partition
    from gridplanner.grid_plugin.core.synthetic import synthetic_town

    town = synthetic_town(3000, seed=1)
    result = partition(
        town["area"], town["buildings"], town["roads"], load_field="households", barrier_class_field="highway"
    )
    layers = write_plan_gpkg({"grids": result.grids, "units": result.units}, tmp_path / "partition.gpkg")
    widget = GridEditingPanel(qgis_iface)
    widget.configure(layers["grids"], layers["units"], target_load=400, tolerance=0.2)
    assert widget.unit_grid_field.currentField() == "grid_id"
    assert widget.unit_load_field.currentField() == "load"
    try:
        assert widget.start(), widget.status_label.text()
        assert widget.wait_for_validation()
        session = widget.session
        model = session.model
        assert np.array_equal(model.load, result.grids["load"].to_numpy())
        # no outline problems: the partition's grids are exactly the union of their units
        texts = [widget.problem_list.item(i).text() for i in range(widget.problem_list.count())]
        assert not any("outline" in t or "gap" in t or "overlap" in t for t in texts), texts
        # move the first movable border unit found
        for unit in range(len(model.labels)):
            targets = model.neighbour_grids([unit])
            if len(targets):
                try:
                    model.plan_reassign([unit], int(targets[0]))
                except EditRefused:
                    continue
                break
        source, target = int(model.labels[unit]), int(targets[0])
        expected = model.load[[source, target]] + np.array([-1, 1]) * model.unit_loads[unit]
        layers["units"].selectByIds(session.unit_fids_for([unit]))
        assert widget.move_selection(target) is not None
        loads = {f["grid_id"]: f["load"] for f in layers["grids"].getFeatures()}
        assert [loads[session.grid_keys[source]], loads[session.grid_keys[target]]] == expected.tolist()
        # split the heaviest grid in two
        heaviest = int(np.argmax(model.load))
        total = model.load[heaviest]
        widget.select_grids([heaviest])
        applied = widget.split_selected()
        assert applied is not None
        parts = [heaviest, int(applied.created[0])]
        assert (model.n_parts[parts] == 1).all() and model.load[parts].sum() == total
        assert layers["grids"].featureCount() == len(result.grids) + 1
    finally:
        widget.stop()
        for layer in (layers["grids"], layers["units"]):
            layer.rollBack()
        QgsProject.instance().removeAllMapLayers()
