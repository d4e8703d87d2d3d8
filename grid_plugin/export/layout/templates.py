"""The adjustable ``.qpt`` templates built from the same sheet code."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import shapely
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsPrintLayout,
    QgsProject,
    QgsReadWriteContext,
)
from qgis.PyQt.QtXml import QDomDocument

from ...core.errors import N_, InputError
from ...core.inputs import atomic_output
from .mapdata import PAPER_SIZES_MM, MapData, MapOptions, memory_layer
from .sheets import build_map_layout


def build_template_layout(project: QgsProject, paper: str = "A3", orientation: str = "landscape") -> QgsPrintLayout:
    """The adjustable template (``styles/gridmap_<paper>_<orientation>.qpt``): same items, no locked layers.

    Opened in QGIS (Layout Manager → Create from template), the map shows the project's visible
    layers and the legend follows the project, so the planner only edits the texts.
    """
    options = MapOptions(paper=paper, orientation=orientation, table=False, title="网格划分图", area_name="某某街道")
    frame = gpd.GeoDataFrame({"gp_code": ["001"]}, geometry=[shapely.box(0, 0, 1000, 1000)], crs="EPSG:3857")
    crs = QgsCoordinateReferenceSystem("EPSG:3857")
    grids = memory_layer(frame, "网格", crs)
    data = MapData(crs=crs, grids=grids, atlas_grids=grids, frame=frame, fields={})
    result = build_map_layout(
        project, data, options, name=f"网格公示图 {paper} {'横向' if orientation == 'landscape' else '纵向'}"
    )
    for item in (result.map_item, result.items["overview"]):
        item.setLayers([])
        item.setKeepLayerSet(False)
        item.setCrs(QgsCoordinateReferenceSystem())  # follow the project's CRS
    result.legend.setAutoUpdateModel(True)
    result.items["subtitle"].setText("某某街道　[% format_date(now(), 'yyyy年M月d日') %]")
    variables = "item_variables('main_map')"
    result.items["credits"].setText(
        "　　".join(
            [
                f"数据来源：{options.credits}",
                f"坐标系：[% map_get({variables}, 'map_crs') %]",
                f"比例尺 1:[% round(map_get({variables}, 'map_scale'), -1) %]",
                "制图：网格规划插件",
            ]
        )
    )
    return result.layout


def write_templates(folder) -> list[Path]:
    """Write ``gridmap_<paper>_<orientation>.qpt`` for A4, A3 and A1 in both orientations into ``folder``."""
    written = []
    project = QgsProject()
    for paper in PAPER_SIZES_MM:
        for orientation in ("landscape", "portrait"):
            path = Path(folder) / f"gridmap_{paper}_{orientation}.qpt"
            save_template(build_template_layout(project, paper, orientation), path)
            written.append(path)
    return written


def save_template(layout: QgsPrintLayout, path) -> None:
    """Write ``layout`` as a ``.qpt`` template (under a temporary name, renamed when complete)."""
    with atomic_output(path) as temporary:
        if not layout.saveAsTemplate(str(temporary), QgsReadWriteContext()):
            raise InputError(N_("Could not write the layout template {path}."), path=str(path))


def load_template(project: QgsProject, path) -> QgsPrintLayout:
    """A layout read from a ``.qpt`` template (for checks and for the planner's scripts)."""
    document = QDomDocument()
    document.setContent(Path(path).read_text(encoding="utf-8"))
    layout = QgsPrintLayout(project)
    _items, ok = layout.loadFromTemplate(document, QgsReadWriteContext())
    if not ok:
        raise InputError(N_("Could not read the layout template {path}."), path=str(path))
    return layout
