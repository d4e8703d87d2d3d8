"""Export layouts to PDF/PNG (complete or not at all) and the one-call entry points."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from qgis.core import (
    Qgis,
    QgsLayoutExporter,
    QgsLayoutItemMap,
    QgsPrintLayout,
    QgsProject,
)

from ...core.errors import N_, InputError, Report
from ...core.inputs import check_writable, give_mode_of
from ...core.publish.pdf_text import fix_radical_text
from .. import styling
from .mapdata import LayoutResult, MapData, MapOptions, prepare_map_data
from .sheets import build_atlas_layout, build_map_layout


def _temporary_twin(target: Path) -> Path:
    """An empty file beside ``target`` to export into, renamed over ``target`` once complete."""
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix, dir=str(target.parent))
    except OSError as error:
        raise InputError(
            N_("Cannot write the output {path}: {reason}. Choose a folder you can write to."),
            path=str(target),
            reason=error.strerror or str(error),
        ) from None
    os.close(handle)
    return Path(name)


def _pdf_settings(dpi: int) -> QgsLayoutExporter.PdfExportSettings:
    settings = QgsLayoutExporter.PdfExportSettings()
    settings.dpi = dpi
    settings.rasterizeWholeImage = False
    settings.forceVectorOutput = False
    settings.textRenderFormat = Qgis.TextRenderFormat.AlwaysText
    settings.exportMetadata = True
    return settings


def _export_error(result, path) -> InputError:
    return InputError(
        N_("Exporting the map to {path} failed (QGIS error {code}); check the folder and the disk space."),
        path=str(path),
        code=int(result),
    )


def export_layout(layout: QgsPrintLayout, pdf_path=None, png_path=None, dpi: int = 200) -> dict:
    """Export the layout to a PDF (all pages) and a PNG (the first page), each written completely or not at all."""
    written = {}
    exporter = QgsLayoutExporter(layout)
    for kind, path in (("pdf", pdf_path), ("png", png_path)):
        if not path:
            continue
        target = check_writable(path)
        temporary = _temporary_twin(target)
        try:
            if kind == "pdf":
                result = exporter.exportToPdf(str(temporary), _pdf_settings(dpi))
                if result == QgsLayoutExporter.ExportResult.Success:
                    fix_radical_text(temporary)
            else:
                settings = QgsLayoutExporter.ImageExportSettings()
                settings.dpi = dpi
                settings.pages = [0]
                settings.generateWorldFile = False
                # QGIS then tries to georeference the PNG in place, which GDAL's PNG driver cannot do;
                # the attempt is harmless but prints an error, so it is silenced here.
                from osgeo import gdal

                gdal.PushErrorHandler("CPLQuietErrorHandler")
                try:
                    result = exporter.exportToImage(str(temporary), settings)
                finally:
                    gdal.PopErrorHandler()
            if result != QgsLayoutExporter.ExportResult.Success:
                raise _export_error(result, target)
            give_mode_of(target, temporary)
            os.replace(temporary, target)
        finally:
            if temporary.exists():
                temporary.unlink()
        written[kind] = str(target)
    return written


def export_atlas(layout: QgsPrintLayout, pdf_path, dpi: int = 150, feedback=None) -> str:
    """Export every atlas page into one PDF (written completely or not at all)."""
    target = check_writable(pdf_path)
    temporary = _temporary_twin(target)
    try:
        result, error = QgsLayoutExporter.exportToPdf(layout.atlas(), str(temporary), _pdf_settings(dpi), feedback)
        if result != QgsLayoutExporter.ExportResult.Success:
            raise InputError(
                N_("Exporting the atlas to {path} failed: {error}"), path=str(target), error=error or int(result)
            )
        fix_radical_text(temporary)
        give_mode_of(target, temporary)
        os.replace(temporary, target)
    finally:
        if temporary.exists():
            temporary.unlink()
    return str(target)


def add_to_project(project: QgsProject, result: LayoutResult, data: MapData | None = None, keep_layers: bool = False):
    """Leave the layout in ``project`` (replacing one of the same name); optionally add its layers in a hidden group."""
    manager = project.layoutManager()
    old = manager.layoutByName(result.layout.name())
    if old is not None:
        manager.removeLayout(old)
    if keep_layers and data is not None:
        root = project.layerTreeRoot()
        group_name = f"公示地图图层：{result.layout.name()}"
        old_group = root.findGroup(group_name)
        if old_group is not None:
            root.removeChildNode(old_group)
        group = root.insertGroup(0, group_name)
        for layer in data.all_layers():
            if project.mapLayer(layer.id()) is None:
                project.addMapLayer(layer, False)
            group.addLayer(layer)
        group.setItemVisibilityChecked(False)
        group.setExpanded(False)
    manager.addLayout(result.layout)


def map_point_to_page_px(map_item: QgsLayoutItemMap, x: float, y: float, dpi: float) -> tuple[float, float]:
    """Where a map coordinate (in the map CRS) lands on the exported page image, in pixels."""
    extent = map_item.extent()
    pos = map_item.pagePositionWithUnits()
    size = map_item.sizeWithUnits()
    fx = (x - extent.xMinimum()) / extent.width()
    fy = (extent.yMaximum() - y) / extent.height()
    mm_x = pos.x() + fx * size.width()
    mm_y = pos.y() + fy * size.height()
    return mm_x * dpi / 25.4, mm_y * dpi / 25.4


def export_grid_map(
    grids,
    output_pdf=None,
    *,
    output_png=None,
    atlas_pdf=None,
    area=None,
    roads=None,
    water=None,
    barriers=None,
    heatmap=None,
    context=None,
    options: MapOptions | None = None,
    project: QgsProject | None = None,
    keep_in_project: bool = False,
    report: Report | None = None,
    feedback=None,
) -> dict:
    """Build and export the public-display map (and optionally the per-grid atlas) in one call.

    Inputs are layers or paths (``"plan.gpkg|layername=grids"``). Returns a dict with the written
    paths (``pdf``, ``png``, ``atlas_pdf``), the page counts (``pages``, ``atlas_pages``), the layout
    names and the :class:`MapData` and :class:`LayoutResult` objects (``data``, ``map``, ``atlas``).

    Example (the demo, after partition and classification)::

        export_grid_map("out/plan.gpkg|layername=grids", "out/grid_map.pdf", output_png="out/grid_map.png",
                        area="out/prepared.gpkg|layername=boundary", roads="out/prepared.gpkg|layername=roads",
                        options=MapOptions(title="网格划分图", area_name="Kotka"))
    """
    report = report or Report()
    options = options or MapOptions()
    project = project or QgsProject.instance()
    for path, what in ((output_pdf, "PDF"), (output_png, "PNG"), (atlas_pdf, "atlas PDF")):
        if path:
            check_writable(path, what)
    if not (output_pdf or output_png or atlas_pdf):
        raise InputError(N_("Choose at least one output: a PDF, a PNG or an atlas PDF."))
    family = styling.cjk_font_family()
    if family is None:
        report.warn(
            N_("No font for Chinese text is installed; install fonts-noto-cjk (Noto Sans CJK SC) and run again.")
        )
    elif family != styling.PREFERRED_FONT:
        report.info(N_("Noto Sans CJK SC is not installed; the map uses {font} for Chinese text."), font=family)
    data = prepare_map_data(
        grids,
        options,
        area=area,
        roads=roads,
        water=water,
        barriers=barriers,
        heatmap=heatmap,
        context=context,
        report=report,
    )
    if data.used_osm and not options.credits:
        report.warn(
            N_("The map uses OpenStreetMap data; its licence asks for the credit © OpenStreetMap contributors.")
        )
    out: dict = {"data": data}
    main = build_map_layout(project, data, options)
    report.check_cancelled()
    written = export_layout(main.layout, output_pdf, output_png, options.dpi)
    report.progress(75 if atlas_pdf else 95)
    out.update({"map": main, "pdf": written.get("pdf"), "png": written.get("png")})
    out["pages"] = main.layout.pageCollection().pageCount()
    out["layout_name"] = main.layout.name()
    if atlas_pdf:
        atlas = build_atlas_layout(project, data, options)
        report.check_cancelled()
        out["atlas_pdf"] = export_atlas(atlas.layout, atlas_pdf, options.dpi, feedback)
        out["atlas_pages"] = atlas.layout.atlas().count()
        out["atlas"] = atlas
        out["atlas_layout_name"] = atlas.layout.name()
    if keep_in_project:
        add_to_project(project, main, data, keep_layers=True)
        if "atlas" in out:
            add_to_project(project, out["atlas"], data, keep_layers=False)
    report.progress(100)
    return out


def export_plan_maps(
    grids,
    out_dir,
    *,
    area=None,
    roads=None,
    water=None,
    title: str = "网格划分图",
    area_name: str = "",
    paper: str = "A3",
    orientation: str = "landscape",
    dpi: int = 200,
    atlas: bool = True,
    credits: str = "© OpenStreetMap contributors",
    report: Report | None = None,
) -> dict:
    """The demo's one call after partition and classification: map PDF, PNG and atlas in ``out_dir``.

    Writes ``grid_map.pdf`` (the sheet and the grid table), ``grid_map.png`` (the sheet) and, with
    ``atlas``, ``grid_atlas.pdf`` (one page per grid). Inputs are layers or paths such as
    ``"out/plan.gpkg|layername=grids"``. Returns the dict of :func:`export_grid_map`.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    options = MapOptions(
        title=title, area_name=area_name, paper=paper, orientation=orientation, dpi=dpi, credits=credits
    )
    return export_grid_map(
        grids,
        out / "grid_map.pdf",
        output_png=out / "grid_map.png",
        atlas_pdf=(out / "grid_atlas.pdf") if atlas else None,
        area=area,
        roads=roads,
        water=water,
        options=options,
        project=QgsProject(),
        report=report,
    )
