"""The editing panel as a planner clicks it: real widgets, real mouse clicks and key presses, real data.

A main window holds a map canvas and the panel. Every step goes through the widgets — the Select tool
clicking units and buildings on the canvas, rows clicked in the table (Ctrl for more), the target
chosen in the drop-down's list, the split count typed, buttons clicked — and then checks loads and
geometry: every grid equals the union of its units (symmetric difference < 0.01 m²), loads move by
exactly the units' loads, undo brings back the same geometry and the same problem list.

Two plans: Kotka partitioned by ``gridplanner:partition`` (grids and units in one GeoPackage), and an
imported plan without units (600 m squares clipped to the Kotka area, codes K01…), for which the panel
builds units from the buildings and roads.

With ``GRIDPLANNER_UPDATE_SCREENSHOTS=1`` the steps run in the Chinese UI and each step's window is
saved to ``docs/img/editing_<plan>_<step>.png``.
"""

from __future__ import annotations

import os
import shutil

import geopandas as gpd
import numpy as np
import pytest
import shapely
from helpers import ROOT, prepared_sample
from qgis.core import QgsFeatureRequest, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QPoint, Qt
from qgis.PyQt.QtTest import QTest

SCREENSHOTS = os.environ.get("GRIDPLANNER_UPDATE_SCREENSHOTS") == "1"
DOC_IMAGES = ROOT / "docs" / "img"
TARGET = 400


# ------------------------------------------------------------------------------------------ fixtures
@pytest.fixture(scope="module")
def kotka_partition(tmp_path_factory, gridplanner_provider):
    """Kotka partitioned once through Processing: grids and units in one GeoPackage (the default)."""
    import processing

    source = prepared_sample("kotka")
    out = tmp_path_factory.mktemp("kotka") / "kotka_plan.gpkg"
    processing.run(
        "gridplanner:partition",
        {
            "AREA": f"{source}|layername=boundary",
            "BUILDINGS": f"{source}|layername=buildings",
            "BARRIERS": [f"{source}|layername=roads", f"{source}|layername=waterways"],
            "TARGET_LOAD": TARGET,
            "COUNTY": "440307",
            "TOWNSHIP": "005",
            "OUTPUT": str(out),
        },
    )
    return out, source


@pytest.fixture(scope="module")
def imported_plan(tmp_path_factory):
    """A plan from elsewhere: 600 m squares clipped to the Kotka area, a code field, no units, no loads."""
    source = prepared_sample("kotka")
    area = gpd.read_file(source, layer="boundary")
    outline = shapely.union_all(area.geometry.values)
    minx, miny, maxx, maxy = outline.bounds
    size = 600.0
    cells = [
        shapely.box(x, y, x + size, y + size) for x in np.arange(minx, maxx, size) for y in np.arange(miny, maxy, size)
    ]
    pieces = shapely.intersection(np.array(cells, dtype=object), outline)
    pieces = pieces[shapely.area(pieces) > 1000]
    pieces = np.array([max(shapely.get_parts(p), key=lambda part: part.area) for p in pieces], dtype=object)
    grids = gpd.GeoDataFrame({"code": [f"K{i + 1:02d}" for i in range(len(pieces))]}, geometry=pieces, crs=area.crs)
    out = tmp_path_factory.mktemp("imported") / "hand_drawn.gpkg"
    grids.to_file(out, layer="hand_drawn_grids", driver="GPKG")
    return out, source


class Desk:
    """A main window with a map canvas and the editing panel, driven by clicks."""

    def __init__(self, name: str):
        from gridplanner.grid_plugin.gui.editing_panel import GridEditingPanel
        from qgis.gui import QgsMapCanvas
        from qgis.PyQt.QtWidgets import QMainWindow

        self.name = name
        self.window = QMainWindow()
        self.window.resize(1500, 950)
        self.canvas = QgsMapCanvas(self.window)
        self.canvas.setCanvasColor(Qt.GlobalColor.white)
        self.window.setCentralWidget(self.canvas)
        self.panel = GridEditingPanel(canvas=self.canvas, parent=self.window)
        self.window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.panel)
        self.window.resizeDocks([self.panel], [620], Qt.Orientation.Horizontal)
        self.window.show()
        QTest.qWaitForWindowExposed(self.window)
        self.step = 0

    # ---- driving widgets ------------------------------------------------------------------------
    @staticmethod
    def click(button):
        """Click ``button``; a check box on its box (its clickable area ends with its text)."""
        from qgis.PyQt.QtWidgets import QCheckBox

        assert button.isEnabled(), button.text()
        was = button.isChecked()
        if isinstance(button, QCheckBox):
            QTest.mouseClick(button, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                             QPoint(8, button.height() // 2))  # fmt: skip
        else:
            QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        QTest.qWait(10)
        if button.isCheckable():
            assert button.isChecked() != was, button.text()

    def choose(self, combo, grid: int):
        """Pick the entry of ``grid`` in the drop-down by clicking it in the opened list."""
        index = combo.findData(grid)
        assert index >= 0, [combo.itemText(i) for i in range(combo.count())]
        combo.showPopup()
        view = combo.view()
        QTest.qWait(50)
        model_index = combo.model().index(index, 0)
        view.scrollTo(model_index)
        QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         view.visualRect(model_index).center())  # fmt: skip
        QTest.qWait(20)
        if combo.view().isVisible():  # a popup that swallowed the click: close it and use the keyboard
            combo.hidePopup()
        while combo.currentIndex() != index:
            key = Qt.Key.Key_Down if combo.currentIndex() < index else Qt.Key.Key_Up
            QTest.keyClick(combo, key)
        assert combo.currentData() == grid

    def click_rows(self, grids):
        """Click the table rows of ``grids`` (Ctrl-click after the first)."""
        table, panel = self.panel.table, self.panel
        for i, grid in enumerate(grids):
            row = panel.table_model.row_of[int(grid)]
            index = panel.proxy.mapFromSource(panel.table_model.index(row, 0))
            table.scrollTo(index)
            modifier = Qt.KeyboardModifier.ControlModifier if i else Qt.KeyboardModifier.NoModifier
            QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, table.visualRect(index).center())
        assert sorted(panel.selected_grids()) == sorted(int(g) for g in grids)

    def type_into(self, spin, value: int):
        """Select the spin box's text and type ``value`` (then Enter)."""
        spin.setFocus()
        spin.selectAll()
        QTest.keyClicks(spin, str(value))
        QTest.keyClick(spin, Qt.Key.Key_Return)
        assert spin.value() == value

    def click_map(self, point: shapely.Point, shift: bool = False):
        """Click ``point`` with the panel's Select tool (zoomed so the feature under it is large)."""
        if not self.panel.select_tool_button.isChecked():
            self.click(self.panel.select_tool_button)
        assert self.canvas.mapTool() is self.panel.tool
        self.render()
        pixel = self.canvas.getCoordinateTransform().transform(point.x, point.y)
        modifier = Qt.KeyboardModifier.ShiftModifier if shift else Qt.KeyboardModifier.NoModifier
        QTest.mouseClick(self.canvas.viewport(), Qt.MouseButton.LeftButton, modifier,
                         QPoint(round(pixel.x()), round(pixel.y())))  # fmt: skip
        QTest.qWait(20)

    def zoom_to(self, geometry, factor: float = 6.0):
        from qgis.core import QgsRectangle

        minx, miny, maxx, maxy = geometry.bounds
        cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
        half = max(maxx - minx, maxy - miny, 60.0) * factor / 2
        self.canvas.setExtent(QgsRectangle(cx - half, cy - half, cx + half, cy + half))
        self.render()

    def render(self):
        self.canvas.refresh()
        QTest.qWait(30)
        for _ in range(400):
            if not self.canvas.isDrawing():
                break
            QTest.qWait(20)

    def shot(self, step: str):
        """Save the window to docs/img (only when refreshing the screenshots)."""
        self.step += 1
        if not SCREENSHOTS:
            return
        self.panel.wait_for_validation()
        self.render()
        QTest.qWait(200)
        DOC_IMAGES.mkdir(parents=True, exist_ok=True)
        from qgis.PyQt.QtGui import QImage

        # a 256-colour palette keeps each screenshot near 100 kB (the panel and map use few colours)
        flags = Qt.ImageConversionFlag.ThresholdDither | Qt.ImageConversionFlag.AvoidDither
        image = self.window.grab().toImage().convertToFormat(QImage.Format.Format_Indexed8, flags)
        assert image.save(str(DOC_IMAGES / f"editing_{self.name}_{self.step}_{step}.png"))

    def close(self):
        self.panel.stop()
        self.panel._toggle_tool(False)
        self.panel.release_canvas_items()
        self.window.close()
        self.window.deleteLater()


@pytest.fixture()
def chinese_if_screenshots(qgis_app):
    """The Chinese UI while refreshing the screenshots (the planners' language); English otherwise."""
    from gridplanner.grid_plugin import i18n

    if SCREENSHOTS:
        assert i18n.install_translator("zh_CN")
    yield
    if SCREENSHOTS:
        i18n.remove_translators()


def style_map(canvas, grids, units=None, buildings=None):
    """Readable map: grids coloured by deviation (or outlined) under thin unit outlines and dark buildings."""
    from gridplanner.processing.deviation_style import apply_deviation_bands
    from qgis.core import QgsFillSymbol, QgsSingleSymbolRenderer

    def simple(layer, **props):
        layer.setRenderer(QgsSingleSymbolRenderer(QgsFillSymbol.createSimple(props)))

    if grids.fields().lookupField("deviation_pct") >= 0:
        grids.loadNamedStyle(str(ROOT / "styles" / "grids_deviation.qml"))
        apply_deviation_bands(grids, 0.2)
        grids.setOpacity(0.6)
    else:
        simple(grids, color="246,213,92,90", outline_color="180,30,30", outline_width="0.8")
    if units is not None:
        simple(units, color="0,0,0,0", outline_color="90,90,90", outline_width="0.15")
    if buildings is not None:
        simple(buildings, color="60,60,70", outline_style="no")
    canvas.setLayers([layer for layer in (buildings, units, grids) if layer is not None])


def add_layers(*specs):
    layers = {}
    for path, layer_name, name in specs:
        layer = QgsVectorLayer(f"{path}|layername={layer_name}", name, "ogr")
        assert layer.isValid(), (path, layer_name)
        layers[name] = layer
    QgsProject.instance().addMapLayers(list(layers.values()))
    return layers


# ------------------------------------------------------------------------------------------ checks
def as_shapely(geometry):
    return shapely.from_wkb(bytes(geometry.asWkb()))


def layer_state(layer, code_field):
    """{code: (load or None, geometry WKB)} of the layer's features (edit buffer included)."""
    load_index = layer.fields().lookupField("load")
    return {
        f[code_field]: (f.attribute(load_index) if load_index >= 0 else None, bytes(f.geometry().asWkb()))
        for f in layer.getFeatures()
    }


def assert_outlines_are_unit_unions(session, max_m2=0.01):
    """Every live grid of the layer equals the union of the units that name it; model loads = unit loads."""
    grid_layer, unit_layer = session.grid_layer, session.unit_layer
    units = {}
    for feature in unit_layer.getFeatures():
        units.setdefault(str(feature[session.unit_grid_field]), []).append(
            (as_shapely(feature.geometry()), float(feature[session.unit_load_field] or 0))
        )
    n = 0
    for feature in grid_layer.getFeatures():
        key = str(feature[session.key_field])
        mine = units.get(key, [])
        union = shapely.union_all([geom for geom, _ in mine])
        diff = shapely.area(shapely.symmetric_difference(as_shapely(feature.geometry()), union))
        assert diff < max_m2, (feature[session.code_field], diff)
        g = session.grid_keys.index(feature[session.key_field])
        assert session.model.load[g] == pytest.approx(sum(load for _, load in mine))
        n += 1
    assert n == int(session.model.alive.sum())


def problem_texts(panel):
    panel.wait_for_validation()
    return [panel.problem_list.item(i).text() for i in range(panel.problem_list.count())]


def assert_no_internal_ids(text, session):
    """A message names grids by code: no '网格 3' / 'grid 3' with a bare position."""
    import re

    for match in re.finditer(r"(?:grid|网格)\s+#?(\w+)", text):
        assert match.group(1) in session.codes or not match.group(1).isdigit(), text


def find_movable(model, *, want_cut=False, avoid_first=True):
    """(unit, target grid) of a one-unit move that is allowed (or refused for cutting its grid)."""
    from gridplanner.grid_plugin.core.editing.model import EditRefused

    # units of a modest load first (a few buildings' worth), as a planner would move
    for unit in np.argsort(np.abs(model.unit_loads - 0.05 * model.target_load), kind="stable"):
        unit = int(unit)
        if model.unit_loads[unit] <= 0:
            continue
        for target in model.neighbour_grids([unit]):
            target = int(target)
            if avoid_first and target == 0:
                continue  # the Move button used to send everything to grid 0: prove it goes elsewhere
            try:
                model.plan_reassign([unit], target)
            except EditRefused as refusal:
                if want_cut and "cut" in refusal.template:
                    return unit, target
                continue
            if not want_cut:
                return unit, target
    raise AssertionError("no such move in this plan")


# ------------------------------------------------------------------------------------------ the walk
def walk_the_panel(desk, layers, *, code_field, building_layer):
    """Move, move by buildings, repair, split, merge, rebalance, undo, redo, save — each by clicks."""
    panel = desk.panel
    session = panel.session
    model = session.model
    grids = session.grid_layer

    # -- move: click a unit on the map, choose a neighbouring grid that is not the first, click Move
    unit, target = find_movable(model)
    source = int(model.labels[unit])
    load = float(model.unit_loads[unit])
    before = model.load.copy()
    point = shapely.point_on_surface(model.unit_geoms[unit])
    desk.zoom_to(model.unit_geoms[unit])
    desk.click_map(point)
    assert panel.selected_units.tolist() == [unit]
    desk.choose(panel.target_combo, target)
    desk.click(panel.move_button)
    assert model.labels[unit] == target
    assert model.load[target] == pytest.approx(before[target] + load)
    assert model.load[source] == pytest.approx(before[source] - load)
    feature = next(grids.getFeatures(QgsFeatureRequest().setFilterFid(session.grid_fids[target])))
    assert as_shapely(feature.geometry()).contains(point)
    assert_outlines_are_unit_unions(session)
    desk.shot("move")

    # -- move by buildings: tick "by buildings", click a building on the map, move it to a neighbour
    session.unit_layer.removeSelection()
    desk.click(panel.select_buildings_check)
    assert panel.select_buildings_check.isChecked()
    b_unit, b_target = find_movable(model)
    held = set(session.building_fids[session.building_unit == b_unit].tolist())
    buildings = [f for f in building_layer.getFeatures() if f.id() in held]
    assert buildings
    b_point = as_shapely(buildings[0].geometry()).point_on_surface()
    desk.zoom_to(model.unit_geoms[b_unit])
    desk.click_map(b_point)
    assert building_layer.selectedFeatureIds() and panel.selected_units.tolist() == [b_unit]
    before = model.load.copy()
    desk.choose(panel.target_combo, b_target)
    desk.click(panel.move_button)
    assert model.labels[b_unit] == b_target
    assert model.load[b_target] == pytest.approx(before[b_target] + model.unit_loads[b_unit])
    assert_outlines_are_unit_unions(session)
    desk.shot("move_by_buildings")
    desk.click(panel.select_buildings_check)
    building_layer.removeSelection()

    # -- repair: a move that cuts its grid is refused (by code), then made with repair ticked
    c_unit, c_target = find_movable(model, want_cut=True, avoid_first=False)
    c_source = int(model.labels[c_unit])
    desk.zoom_to(model.unit_geoms[c_unit])
    desk.click_map(shapely.point_on_surface(model.unit_geoms[c_unit]))
    assert panel.selected_units.tolist() == [c_unit]
    desk.choose(panel.target_combo, c_target)
    if panel.repair_check.isChecked():
        desk.click(panel.repair_check)
    depth = grids.undoStack().index()
    desk.click(panel.move_button)
    refusal = panel.status_label.text()
    assert session.codes[c_source] in refusal, refusal
    assert_no_internal_ids(refusal, session)
    assert grids.undoStack().index() == depth and model.labels[c_unit] == c_source
    desk.click(panel.repair_check)
    total = model.load.sum()
    desk.click(panel.move_button)
    assert model.labels[c_unit] == c_target, panel.status_label.text()
    assert model.n_parts[[c_source, c_target]].max() == 1, (
        model.n_parts[[c_source, c_target]],
        panel.status_label.text(),
        c_source,
        c_target,
        model.alive[[c_source, c_target]],
    )
    assert model.load.sum() == pytest.approx(total)
    assert_outlines_are_unit_unions(session)
    note = panel.status_label.text()
    assert_no_internal_ids(note, session)
    desk.shot("repair")
    desk.click(panel.repair_check)

    # -- undo (button): the repair comes back exactly, geometry, loads and the problem list
    state_before_repair_undo = layer_state(grids, code_field)
    desk.click(panel.undo_button)
    assert model.labels[c_unit] == c_source
    after_undo = layer_state(grids, code_field)
    assert after_undo != state_before_repair_undo
    desk.click(panel.redo_button)
    assert layer_state(grids, code_field) == state_before_repair_undo
    desk.click(panel.undo_button)
    assert layer_state(grids, code_field) == after_undo
    problems_now = problem_texts(panel)

    # -- split: click the heaviest grid's row, type k = 3, click Split
    heaviest = int(np.argmax(np.where(model.alive, model.load, -1)))
    total = float(model.load[heaviest])
    n_before = grids.featureCount()
    desk.click_rows([heaviest])
    desk.type_into(panel.split_spin, 3)
    desk.click(panel.split_button)
    assert grids.featureCount() == n_before + 2
    parts = [heaviest, model.n_grids - 2, model.n_grids - 1]
    assert model.alive[parts].all() and (model.n_parts[parts] == 1).all()
    assert model.load[parts].sum() == pytest.approx(total)
    assert len({session.codes[p] for p in parts}) == 3
    assert_outlines_are_unit_unions(session)
    desk.shot("split")
    desk.click(panel.undo_button)
    assert grids.featureCount() == n_before
    assert problem_texts(panel) == problems_now  # undo restores the problem list too

    # -- merge: Ctrl-click two neighbouring grids' rows, click Merge
    a = int(np.flatnonzero(model.alive)[0])
    b = int(model.grid_neighbours(a)[0])
    total = float(model.load[[a, b]].sum())
    desk.click_rows([a, b])
    desk.click(panel.merge_button)
    assert grids.featureCount() == n_before - 1, panel.status_label.text()
    assert model.load[a] == pytest.approx(total) and not model.alive[b]
    assert_outlines_are_unit_unions(session)
    desk.shot("merge")
    desk.click(panel.undo_button)
    assert grids.featureCount() == n_before and model.alive[b]

    # -- rebalance: the two grids of the first move, click Rebalance: both within the tolerance of their
    # mean afterwards (the partition engine's goal), same total, each in one piece; or a refusal saying
    # they are as balanced as their units allow
    pair = [source, target]
    total = float(model.load[pair].sum())
    before = model.load[pair].copy()
    desk.click_rows(pair)
    desk.click(panel.rebalance_button)
    text = panel.status_label.text()
    assert_no_internal_ids(text, session)
    assert model.load[pair].sum() == pytest.approx(total)
    mean = total / 2
    if not np.array_equal(model.load[pair], before):
        assert np.abs(model.load[pair] - mean).max() <= 0.2 * mean + 1e-9, model.load[pair]
    assert (model.n_parts[pair] == 1).all()
    assert_outlines_are_unit_unions(session)
    desk.shot("rebalance")

    # -- save: the file holds what the panel shows
    expected = layer_state(grids, code_field)
    desk.click(panel.save_button)
    assert not grids.isModified() and not session.unit_layer.isModified()
    QTest.qWait(50)  # the panel reloads itself after the commit
    saved = {f[code_field]: (f["load"] if grids.fields().lookupField("load") >= 0 else None,
                             bytes(f.geometry().asWkb())) for f in grids.dataProvider().getFeatures()}  # fmt: skip
    assert {code: load for code, (load, _) in saved.items()} == {code: load for code, (load, _) in expected.items()}
    for code, (_, wkb) in saved.items():
        assert shapely.equals_exact(shapely.from_wkb(wkb), shapely.from_wkb(expected[code][1]), 1e-6)
    assert panel.session is not None and panel.session is not session  # reloaded from the saved layers
    assert_outlines_are_unit_unions(panel.session)
    desk.shot("saved")


def test_click_through_the_panel_on_kotka(kotka_partition, tmp_path, qgis_new_project, chinese_if_screenshots):
    plan, source = kotka_partition
    path = tmp_path / plan.name
    shutil.copyfile(plan, path)
    layers = add_layers(
        (source, "pois", "pois"),
        (source, "roads", "roads"),
        (source, "buildings", "buildings"),
        (path, "units", "units"),
        (path, plan.stem, "grids"),
    )
    desk = Desk("kotka")
    try:
        desk.canvas.setDestinationCrs(layers["grids"].crs())
        style_map(desk.canvas, layers["grids"], layers["units"], layers["buildings"])
        desk.panel.guess_layers()
        # the form guessed the layers: not the POI points as buildings, not the grids as units
        assert desk.panel.grid_combo.currentLayer() is layers["grids"]
        assert desk.panel.unit_combo.currentLayer() is layers["units"]
        assert desk.panel.building_combo.currentLayer() is layers["buildings"]
        assert desk.panel.code_field.currentField() == "grid_code"
        assert desk.panel.unit_grid_field.currentField() in ("grid_code", "grid_id")
        desk.canvas.setExtent(layers["grids"].extent())
        desk.shot("start")
        desk.click(desk.panel.start_button)
        session = desk.panel.session
        assert session is not None, desk.panel.status_label.text()
        assert desk.panel.proxy.rowCount() == layers["grids"].featureCount()
        # a fresh partition opens without problems: outlines are the union of their units
        texts = problem_texts(desk.panel)
        assert not any("outline" in t or "边界与其单元" in t or "overlap" in t or "gap" in t for t in texts), texts
        assert_outlines_are_unit_unions(session)
        desk.canvas.setExtent(layers["grids"].extent())
        desk.shot("started")
        walk_the_panel(desk, layers, code_field="grid_code", building_layer=layers["buildings"])
    finally:
        desk.close()
        for layer in QgsProject.instance().mapLayers().values():
            if isinstance(layer, QgsVectorLayer) and layer.isEditable():
                layer.rollBack()
        QgsProject.instance().removeAllMapLayers()


def test_click_through_an_imported_plan_without_units(
    imported_plan, qgis_new_project, chinese_if_screenshots, tmp_path
):
    plan, source = imported_plan
    path = tmp_path / plan.name
    shutil.copyfile(plan, path)
    layers = add_layers(
        (source, "roads", "roads"),
        (source, "buildings", "buildings"),
        (path, "hand_drawn_grids", "hand_drawn_grids"),
    )
    desk = Desk("imported")
    try:
        desk.canvas.setDestinationCrs(layers["hand_drawn_grids"].crs())
        style_map(desk.canvas, layers["hand_drawn_grids"], None, layers["buildings"])
        desk.panel.guess_layers()
        assert desk.panel.grid_combo.currentLayer() is layers["hand_drawn_grids"]
        assert desk.panel.unit_combo.currentLayer() is None  # no unit layer: build them
        assert desk.panel.code_field.currentField() == "code"
        desk.type_into(desk.panel.target_spin, TARGET)
        desk.click(desk.panel.start_button)
        session = desk.panel.session
        assert session is not None, desk.panel.status_label.text()
        units = session.unit_layer
        assert session.built_unit_layer is units and QgsProject.instance().mapLayer(units.id()) is units
        assert desk.panel.unit_combo.currentLayer() is units
        # loads: the households of the buildings whose point lies in each square
        buildings = gpd.read_file(source, layer="buildings")
        points = shapely.point_on_surface(buildings.geometry.values)
        grids = gpd.read_file(path, layer="hand_drawn_grids")
        expected = np.zeros(len(grids))
        hit_point, hit_grid = shapely.STRtree(grids.geometry.values).query(points, predicate="intersects")
        np.add.at(expected, hit_grid, np.nan_to_num(buildings["households"].to_numpy(dtype=float))[hit_point])
        order = [session.grid_keys.index(code) for code in grids["code"]]
        assert np.allclose(session.model.load[order], expected)
        assert units.featureCount() > len(grids)
        assert_outlines_are_unit_unions(session)
        style_map(desk.canvas, layers["hand_drawn_grids"], units, layers["buildings"])
        desk.canvas.setExtent(layers["hand_drawn_grids"].extent())
        desk.shot("started")
        walk_the_panel(desk, layers, code_field="code", building_layer=layers["buildings"])
    finally:
        desk.close()
        for layer in QgsProject.instance().mapLayers().values():
            if isinstance(layer, QgsVectorLayer) and layer.isEditable():
                layer.rollBack()
        QgsProject.instance().removeAllMapLayers()


def test_wrong_layer_choice_says_so_and_clears_the_panel(kotka_partition, tmp_path, qgis_new_project):
    plan, source = kotka_partition
    path = tmp_path / plan.name
    shutil.copyfile(plan, path)
    layers = add_layers((path, "units", "units"), (path, plan.stem, "grids"), (source, "buildings", "buildings"))
    desk = Desk("wrong")
    try:
        desk.panel.guess_layers()
        desk.click(desk.panel.start_button)
        assert desk.panel.session is not None and desk.panel.proxy.rowCount() > 0
        # the grids chosen as units too: a sentence saying so, and nothing of the old session left
        desk.panel.unit_combo.setLayer(layers["grids"])
        desk.click(desk.panel.start_button)
        assert desk.panel.session is None
        assert "grids" in desk.panel.status_label.text() and "unit" in desk.panel.status_label.text()
        assert "?" not in desk.panel.status_label.text()
        assert desk.panel.proxy.rowCount() == 0 and desk.panel.problem_list.count() == 0
        assert desk.panel.summary_label.text() == desk.panel._idle_text()
        # buildings chosen as units: no grid field
        desk.panel.unit_combo.setLayer(layers["buildings"])
        desk.click(desk.panel.start_button)
        assert desk.panel.session is None and "buildings" in desk.panel.status_label.text()
        assert "grid_code" in desk.panel.status_label.text()
    finally:
        desk.close()
        QgsProject.instance().removeAllMapLayers()


def test_dialog_inputs_are_guessed(kotka_partition, qgis_new_project, gridplanner_provider):
    """The partition dialog opens with the area, the buildings (not the POI points) and the line layers."""
    from gridplanner.grid_plugin.gui.layer_guess import initial_parameters
    from qgis.core import QgsApplication

    plan, source = kotka_partition
    layers = add_layers(
        (source, "pois", "pois"),
        (source, "boundary", "boundary"),
        (source, "roads", "roads"),
        (source, "waterways", "waterways"),
        (source, "buildings", "buildings"),
        (plan, "units", "units"),
        (plan, plan.stem, "grids"),
    )
    try:
        registry = QgsApplication.processingRegistry()
        values = initial_parameters(registry.algorithmById("gridplanner:partition"))
        assert values["AREA"] == layers["boundary"].id()
        assert values["BUILDINGS"] == layers["buildings"].id()
        assert sorted(values["BARRIERS"]) == sorted([layers["roads"].id(), layers["waterways"].id()])
        assert initial_parameters(registry.algorithmById("gridplanner:classify"))["INPUT"] == layers["grids"].id()
        # the buildings input lists polygon and point layers only (no line layers under 面或点)
        buildings = registry.algorithmById("gridplanner:partition").parameterDefinition("BUILDINGS")
        assert sorted(buildings.dataTypes()) == sorted([0, 2])
    finally:
        QgsProject.instance().removeAllMapLayers()
