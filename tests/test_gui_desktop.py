"""QGIS desktop end to end: the plugin enabled in a throw-away profile, a demo project, the editing panel
opened, one reassignment made, and a screenshot of the main window saved (docs/img/gui_panel*.png), in
English and in Chinese."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from helpers import ROOT, lattice_plan, qgis_process_env
from qgis.core import (
    QgsFillSymbol,
    QgsPalLayerSettings,
    QgsProject,
    QgsSingleSymbolRenderer,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtGui import QColor, QFont, QImage

QGIS = shutil.which("qgis", path="/usr/bin")
DOC_IMAGES = ROOT / "docs" / "img"

STARTUP = textwrap.dedent(
    """
    import json, traceback
    from qgis.core import QgsProject, QgsApplication
    from qgis.PyQt.QtCore import QTimer
    from qgis.utils import iface, plugins

    OUT = {out!r}
    SHOT = {shot!r}
    result = {{"steps": []}}

    def finish():
        with open(OUT, "w") as handle:
            json.dump(result, handle)
        QgsApplication.exit(0)

    def shoot():
        try:
            iface.mainWindow().grab().save(SHOT)
            result["panel_png"] = SHOT.replace(".png", "_panel.png")
            plugins["gridplanner"].gui.editing_panel.grab().save(result["panel_png"])
            result["steps"].append("screenshot")
        except Exception:
            result["error"] = traceback.format_exc()
        QTimer.singleShot(200, finish)

    def edit():
        try:
            panel = plugins["gridplanner"].gui.show_editing_panel()
            result["steps"].append("panel")
            project = QgsProject.instance()
            layer = lambda name: project.mapLayersByName(name)[0]
            panel.configure(layer("grids"), layer("units"), building_layer=layer("buildings"),
                            target_load={target}, tolerance=0.2)
            result["started"] = panel.start()
            result["status"] = panel.status_label.text()
            panel.wait_for_validation(60)
            session = panel.session
            result["n_rows"] = panel.proxy.rowCount()
            units = layer("units")
            ids = [f.id() for f in units.getFeatures("unit_id IN ({units})")]
            units.selectByIds(ids)
            target = session.codes.index({target_code!r})
            before = float(session.model.load[target])
            applied = panel.move_selection(target)
            result["moved"] = applied is not None
            result["target_load_before"] = before
            result["target_load_after"] = float(session.model.load[target])
            feature = next(layer("grids").getFeatures("grid_code = '{target_code}'"))
            result["layer_load_after"] = float(feature["load"])
            panel.wait_for_validation(60)
            result["problems"] = panel.problem_list.count()
            from gridplanner.grid_plugin.gui.editing_panel import GridTableModel
            from qgis.PyQt.QtCore import Qt

            panel.table.sortByColumn(GridTableModel.DEVIATION, Qt.DescendingOrder)
            iface.mainWindow().resizeDocks([panel], [600], Qt.Horizontal)
            result["title"] = panel.windowTitle()
            result["move_text"] = panel.move_button.text()
            panel.select_tool_button.setChecked(True)
            iface.mapCanvas().setExtent(layer("grids").extent())
            iface.mapCanvas().refresh()
            result["steps"].append("edited")
        except Exception:
            result["error"] = traceback.format_exc()
        QTimer.singleShot(4000, shoot)

    def start():
        iface.mainWindow().setGeometry(0, 0, 1600, 1000)  # Xvfb has no window manager to maximise
        QTimer.singleShot(1500, edit)

    QTimer.singleShot(3000, start)
    QTimer.singleShot(150000, finish)  # never hang the test
    """
)


def build_demo_project(folder: Path) -> tuple[Path, dict]:
    """A styled demo project (.qgz) over a GeoPackage with grids, units and buildings."""
    plan = lattice_plan(24, 18, 4, 3, cell_m=45.0, buildings_per_unit=4, seed=4)
    gpkg = folder / "demo_plan.gpkg"
    for name, frame in plan.items():
        frame.to_file(gpkg, layer=name, driver="GPKG")
    project = QgsProject()
    layers = {name: QgsVectorLayer(f"{gpkg}|layername={name}", name, "ogr") for name in ("buildings", "units", "grids")}
    layers["units"].setRenderer(
        QgsSingleSymbolRenderer(
            QgsFillSymbol.createSimple(
                {"color": "255,255,255,0", "outline_color": "150,150,150", "outline_width": "0.15"}
            )
        )
    )
    layers["buildings"].setRenderer(
        QgsSingleSymbolRenderer(QgsFillSymbol.createSimple({"color": "120,120,130", "outline_style": "no"}))
    )
    layers["grids"].setRenderer(
        QgsSingleSymbolRenderer(
            QgsFillSymbol.createSimple({"color": "246,213,92,70", "outline_color": "200,30,30", "outline_width": "0.8"})
        )
    )
    labels = QgsPalLayerSettings()
    labels.fieldName = "concat(right(grid_code, 3), '\n', load)"
    labels.isExpression = True
    text = QgsTextFormat()
    text.setFont(QFont("Noto Sans CJK SC"))
    text.setSize(10)
    text.setColor(QColor(120, 0, 0))
    buffer = QgsTextBufferSettings()
    buffer.setEnabled(True)
    buffer.setSize(1)
    text.setBuffer(buffer)
    labels.setFormat(text)
    layers["grids"].setLabeling(QgsVectorLayerSimpleLabeling(labels))
    layers["grids"].setLabelsEnabled(True)
    for layer in layers.values():
        assert layer.isValid()
        project.addMapLayer(layer)
    project.setCrs(layers["grids"].crs())
    path = folder / "demo.qgz"
    assert project.write(str(path))
    return path, plan


def make_profile(folder: Path) -> Path:
    """A throw-away QGIS profile with Grid Planner linked and enabled."""
    root = folder / "qgis-config"
    profile = root / "profiles" / "default"
    plugins = profile / "python" / "plugins"
    plugins.mkdir(parents=True)
    (plugins / "gridplanner").symlink_to(ROOT, target_is_directory=True)
    ini = profile / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True)
    ini.write_text(
        "[PythonPlugins]\ngridplanner=true\n\n"
        "[qgis]\ncheckVersion=false\nshowTips322=false\nshowTips=false\n"
        "allowVersionCheck=false\n\n"
        "[core]\nNewsFeed\\httpsfeedqgisorg\\disabled=true\n",
        encoding="utf-8",
    )
    return root


@pytest.mark.slow
@pytest.mark.skipif(QGIS is None, reason="QGIS desktop (/usr/bin/qgis) is not installed")
@pytest.mark.parametrize(
    ("lang", "image_name", "title"),
    [("en_US", "gui_panel.png", "Grid editing"), ("zh_CN", "gui_panel_zh.png", "网格编辑")],
)
def test_desktop_panel_screenshot(tmp_path, qgis_app, lang, image_name, title):
    project_path, plan = build_demo_project(tmp_path)
    config = make_profile(tmp_path)
    out = tmp_path / "result.json"
    shot = tmp_path / "gui_panel.png"
    grids = plan["grids"]
    target_code = grids["grid_code"].iloc[0]
    # units of grid 002 (rows 6-11 of columns 0-5) that touch grid 001: row 6 of columns 2-4
    moved_units = [c * 18 + 6 for c in range(2, 5)]
    moved_load = float(plan["units"].loc[moved_units, "households"].sum())
    script = tmp_path / "startup.py"
    script.write_text(
        STARTUP.format(
            out=str(out),
            shot=str(shot),
            target=int(grids["load"].mean()),
            target_code=target_code,
            units=",".join(map(str, moved_units)),
        ),
        encoding="utf-8",
    )
    env = qgis_process_env()
    venv_site = subprocess.run(
        # The venv running these tests (.venv here; the chroot's own venv under QGIS 3.40).
        [sys.executable, "-c", "import site; print(site.getsitepackages()[0])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    env.update(
        QGIS_CUSTOM_CONFIG_PATH=str(config),
        PYTHONPATH=venv_site,
        LANG="en_US.UTF-8",
        QT_QPA_PLATFORM="xcb",
        XDG_RUNTIME_DIR=str(tmp_path),
    )
    env.pop("DISPLAY", None)
    # Under the 3.40 chroot, displays start where test.sh says (the host's xvfb-run starts at 99).
    first_display = os.environ.get("GRIDPLANNER_XVFB_FIRST")
    display_start = ["-n", str(int(first_display) + 1)] if first_display else []
    command = [
        "xvfb-run", "-a", *display_start, "-s", "-screen 0 1600x1000x24",
        QGIS, "--noversioncheck", "--nologo", "--lang", lang,
        "--project", str(project_path), "--code", str(script),
    ]  # fmt: skip
    completed = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert out.exists(), f"QGIS wrote no result (rc {completed.returncode}):\n{completed.stderr[-3000:]}"
    result = json.loads(out.read_text())
    assert "error" not in result, result["error"]
    assert result["started"], result["status"]
    assert result["n_rows"] == len(grids)
    assert result["moved"]
    assert result["target_load_after"] == result["target_load_before"] + moved_load
    assert result["layer_load_after"] == result["target_load_after"]
    assert result["steps"] == ["panel", "edited", "screenshot"]
    assert result["title"] == title
    image = QImage(str(shot))
    assert image.width() >= 1200 and image.height() >= 700
    # not a blank window: many distinct colours (map, table colours, widgets)
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 50
    if os.environ.get("GRIDPLANNER_UPDATE_SCREENSHOTS") == "1":  # refresh docs/img only when asked
        DOC_IMAGES.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, DOC_IMAGES / image_name)
