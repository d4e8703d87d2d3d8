"""The planning area of an OSM extract: a named administrative boundary, a user's layer, or the data's hull.

Used by :func:`.osm.prepare_osm`; the area decides the metric CRS (:func:`grid_plugin.core.crs.resolve_target_crs`).
"""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from ..crs import describe_crs, is_geographic, resolve_target_crs
from ..errors import N_, InputError, Report
from .osm import _NAME_KEYS, _osm_ids, _to_multi, osm_tag, repair_polygons

__all__ = ["declared_bounds", "planning_area", "boundary_layer"]


def _normalise_name(value) -> str:
    return " ".join(str(value).split()).casefold()


def _admin_boundary(polygons: gpd.GeoDataFrame, boundary_name: str) -> gpd.GeoDataFrame:
    """The one polygon named ``boundary_name`` (administrative first, then any boundary/place polygon)."""
    wanted = _normalise_name(boundary_name)
    ids = _osm_ids(polygons, "multipolygons")
    names = {key: osm_tag(polygons, key) for key in ("name", *_NAME_KEYS)}
    matches_name = pd.Series(False, index=polygons.index)
    for values in names.values():
        matches_name |= values.map(lambda v: v is not None and _normalise_name(v) == wanted).astype(bool)
    matches_id = (ids == boundary_name.strip()) | (ids.str.split("/").str[1] == boundary_name.strip())
    boundary = osm_tag(polygons, "boundary")
    place = osm_tag(polygons, "place")
    administrative = boundary == "administrative"
    present = ~shapely.is_missing(polygons.geometry.values)
    for scope in (administrative, boundary.notna() | place.notna(), pd.Series(True, index=polygons.index)):
        found = polygons.loc[(matches_name | matches_id) & scope & present]
        if len(found):
            break
    if found.empty:
        available = polygons.loc[administrative & present]
        listed = sorted({str(n) for n in osm_tag(available, "name").dropna()})
        raise InputError(
            N_(
                "No boundary named {name} in the OSM file. Administrative boundaries in the file: {available}. "
                "Check the spelling, give another name, give a boundary layer, or leave the name empty to use the hull of the data."
            ),
            name=boundary_name,
            available=", ".join(listed[:30]) if listed else "none",
        )
    if len(found) > 1:
        levels = osm_tag(found, "admin_level")
        listed = [
            f"{name} (admin_level {level or '-'}, {osm_id})"
            for name, level, osm_id in zip(osm_tag(found, "name"), levels, _osm_ids(found, "multipolygons"))
        ]
        raise InputError(
            N_(
                "{count} polygons match the boundary name {name}: {matches}. Give the OSM id of the one you mean (e.g. relation/123) as the boundary name."
            ),
            count=len(found),
            name=boundary_name,
            matches="; ".join(listed),
        )
    return gpd.GeoDataFrame(
        {"name": osm_tag(found, "name"), "admin_level": osm_tag(found, "admin_level")},
        geometry=found.geometry,
        crs=polygons.crs,
    )


def _user_boundary(boundary: gpd.GeoDataFrame, target, report: Report) -> gpd.GeoDataFrame:
    if boundary.crs is None:
        raise InputError(
            N_("The boundary layer has no coordinate reference system; assign one (e.g. EPSG:4490) first.")
        )
    polygonal = shapely.get_type_id(boundary.geometry.values)
    polygons = boundary.loc[np.isin(polygonal, [3, 6])]
    if polygons.empty:
        raise InputError(N_("The boundary layer has no polygons; choose a polygon layer with the planning area."))
    if is_geographic(boundary.crs):
        report.info(
            N_("The boundary layer is in the geographic CRS {crs}; it is reprojected to the metric CRS {target}."),
            crs=describe_crs(boundary.crs),
            target=describe_crs(target),
        )
    elif not pyproj.CRS.from_user_input(boundary.crs).equals(target):
        report.info(
            N_("The boundary layer is in {crs}; it is reprojected to {target}, the CRS of the output."),
            crs=describe_crs(boundary.crs),
            target=describe_crs(target),
        )
    polygons = polygons.to_crs(target)
    polygons["_unparsable"] = False
    polygons = repair_polygons(polygons, layer="boundary", report=report)
    if polygons.empty:
        raise InputError(N_("The boundary layer has no polygon with an area; check its geometries."))
    name_column = next((c for c in ("name", "NAME", "Name", "名称") if c in polygons.columns), None)
    names = [str(v) for v in polygons[name_column].dropna().unique()] if name_column else []
    area = shapely.union_all(polygons.geometry.values)
    return gpd.GeoDataFrame(
        {"name": ["; ".join(names[:5]) if names else None], "admin_level": [None]}, geometry=[area], crs=target
    )


_BOUNDS = re.compile(rb"<bounds\s+([^>]*?)/?>")
_BOUNDS_ATTRIBUTE = re.compile(rb'(minlat|minlon|maxlat|maxlon)\s*=\s*["\']([-0-9.eE+]+)["\']')


def declared_bounds(path) -> tuple[float, float, float, float] | None:
    """The ``<bounds>`` an OSM XML file declares (minlon, minlat, maxlon, maxlat), or None.

    Exports (openstreetmap.org, Overpass) cut the data at this box but keep whole ways and relations
    that cross it, so the box, not the spread of the features, is the extent the data is complete in.
    """
    import gzip

    path = Path(path)
    name = path.name.lower()
    if not name.endswith((".osm", ".osm.gz", ".gz")):
        return None  # .pbf keeps its bbox in a protobuf header; its extracts cut ways at the box anyway
    opener = gzip.open if name.endswith(".gz") else open
    try:
        with opener(path, "rb") as handle:
            head = handle.read(65536)
    except OSError:
        return None
    match = _BOUNDS.search(head)
    if not match:
        return None
    values = {k.decode(): float(v) for k, v in _BOUNDS_ATTRIBUTE.findall(match.group(1))}
    if len(values) != 4:
        return None
    return values["minlon"], values["minlat"], values["maxlon"], values["maxlat"]


def _data_hull(frames, bounds=None) -> shapely.Geometry:
    """Convex hull of every feature of the themed layers, cut to the file's declared bounds if any."""
    geometries = [f.geometry.values for f in frames if len(f)]
    if not geometries:
        raise InputError(N_("The OSM file has no features to build a hull from; give a boundary layer instead."))
    geometries = np.concatenate(geometries)
    geometries = geometries[~shapely.is_missing(geometries)]
    hull = shapely.convex_hull(shapely.union_all(shapely.convex_hull(geometries)))
    if bounds is not None:
        hull = shapely.intersection(hull, shapely.box(*bounds))
    return hull


def planning_area(themes: dict, polygons, path, boundary_name, boundary, target_crs, hull_buffer_m, report: Report):
    """(area frame, metric CRS): the named boundary, the user's layer, or the hull of the data."""
    bounds = declared_bounds(path)
    if boundary_name is not None:
        area_frame = _admin_boundary(polygons, str(boundary_name))
        crs = resolve_target_crs(target_crs, area_frame, report=report)
        area_frame = area_frame.to_crs(crs)
        area_frame["_unparsable"] = False
        return repair_polygons(area_frame, layer="boundary", report=report), crs
    if boundary is not None:
        crs = resolve_target_crs(
            target_crs, boundary.to_crs(4326) if boundary.crs is not None else boundary, report=report
        )
        return _user_boundary(boundary, crs, report), crs
    content = [themes[k] for k in ("buildings", "roads", "waterways", "railways", "landuse", "water")]
    hull = _data_hull(content + [themes["pois"]], bounds)
    hull_frame = gpd.GeoDataFrame({"name": [None], "admin_level": [None]}, geometry=[hull], crs="EPSG:4326")
    crs = resolve_target_crs(target_crs, hull_frame, report=report)
    area_frame = hull_frame.to_crs(crs)
    if hull_buffer_m:
        area_frame["geometry"] = area_frame.buffer(hull_buffer_m)
    if bounds is None:
        report.info(N_("No boundary given: the planning area is the convex hull of the data."))
    else:
        report.info(
            N_(
                "No boundary given: the planning area is the convex hull of the data within the bounds the file declares."
            )
        )
    return area_frame, crs


def clip_area_to_data(area, themes: dict, path, crs, report: Report):
    """The area intersected with the hull of the data (an extract that stops inside the area)."""
    content = [themes[k] for k in ("buildings", "roads", "waterways", "railways", "landuse", "water")]
    hull = _data_hull([frame.to_crs(4326) for frame in content], declared_bounds(path))
    hull = gpd.GeoSeries([hull], crs=4326).to_crs(crs).iloc[0]
    before = area.area
    area = shapely.intersection(area, hull)
    report.info(
        N_("Clipped the boundary to the extent of the data: {kept} of {total} km² kept."),
        kept=f"{area.area / 1e6:.2f}",
        total=f"{before / 1e6:.2f}",
    )
    return area


def boundary_layer(area, area_frame, crs) -> tuple[object, gpd.GeoDataFrame]:
    """(valid area geometry, the one-feature ``boundary`` layer with name, admin level and area)."""
    if area.is_empty or area.area <= 0:
        raise InputError(N_("The planning area is empty; check the boundary (and that it overlaps the data)."))
    area = shapely.make_valid(area)
    area_geom = _to_multi(np.array([area]), "MultiPolygon")[0]
    names = area_frame["name"].dropna()
    levels = area_frame["admin_level"].dropna()
    frame = gpd.GeoDataFrame(
        {
            "name": [names.iloc[0] if len(names) else None],
            "admin_level": [str(levels.iloc[0]) if len(levels) else None],
            "area_m2": [float(area_geom.area)],
        },
        geometry=[area_geom],
        crs=crs,
    )
    return area, frame
