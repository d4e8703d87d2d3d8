"""Specialised sites (专属网格): campus, hospital, school, market, station, industrial park, large enterprise.

:func:`detect_sites` finds the site polygons from land use, POIs and buildings; the driver then makes
each site a union of atomic units so its edges run on roads (see :mod:`.territories`).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .geometry import polygonal as _polygonal
from .rules import POI_CONTAINER_EXCLUDED, RuleTable

__all__ = ["detect_sites"]


def detect_sites(
    area_geom,
    rules: RuleTable,
    *,
    landuse: gpd.GeoDataFrame | None = None,
    pois: gpd.GeoDataFrame | None = None,
    buildings: gpd.GeoDataFrame | None = None,
) -> gpd.GeoDataFrame:
    """Find specialised sites (专属网格) above their size threshold, snapped so no building is cut.

    A site is a land-use polygon whose ``landuse_class`` a site rule names, or the smallest land-use
    polygon or building that contains a POI (``poi_kind``) a site rule names, or a building whose
    ``building``/``building_type`` a rule names; it counts when its area inside the area is at least
    the rule's ``min_site_area_m2``. Overlaps go to the rule with the higher priority (lower number).
    Buildings mostly inside a site are added to it whole; buildings mostly outside are cut out of it.

    Returns
    -------
    GeoDataFrame
        ``grid_type``, ``name``, ``source`` (landuse/poi/building), ``area_m2``, geometry.
    """
    crs = None
    candidates = []
    site_rules = rules.by_role("site")
    if not site_rules:
        return gpd.GeoDataFrame({"grid_type": [], "name": [], "source": [], "area_m2": []}, geometry=[])
    if landuse is not None and len(landuse):
        crs = landuse.crs
        lu_class = landuse["landuse_class"].astype(object) if "landuse_class" in landuse.columns else None
        names = landuse["name"] if "name" in landuse.columns else pd.Series([None] * len(landuse), index=landuse.index)
        if lu_class is not None:
            for rule in site_rules:
                mask = lu_class.isin(rule.match.get("landuse", ())).to_numpy()
                for geom, name in zip(landuse.geometry.values[mask], names.to_numpy()[mask]):
                    candidates.append((rule, geom, name, "landuse"))
    if pois is not None and len(pois) and "poi_kind" in pois.columns:
        crs = crs or pois.crs
        containers = []
        if landuse is not None and len(landuse):
            # a POI marks the polygon it stands in only where that polygon is not itself a residential,
            # business or open-land area (a school POI inside a housing estate is not a campus)
            classes = (
                landuse["landuse_class"] if "landuse_class" in landuse.columns else pd.Series([None] * len(landuse))
            )
            blocked = classes.isin(POI_CONTAINER_EXCLUDED) | classes.map(lambda c: rules.land_type_of(c) is not None)
            containers.append(landuse.geometry.values[~blocked.to_numpy()])
        if buildings is not None and len(buildings):
            containers.append(buildings.geometry.values[shapely.get_type_id(buildings.geometry.values) >= 3])
        container_geoms = np.concatenate(containers) if containers else np.array([], dtype=object)
        container_tree = shapely.STRtree(container_geoms) if len(container_geoms) else None
        names = pois["name"] if "name" in pois.columns else pd.Series([None] * len(pois), index=pois.index)
        for rule in site_rules:
            kinds = rule.match.get("poi", ())
            mask = pois["poi_kind"].isin(kinds).to_numpy()
            for geom, name in zip(pois.geometry.values[mask], names.to_numpy()[mask]):
                if geom is None:
                    continue
                if shapely.get_type_id(geom) >= 3:  # a POI mapped as a polygon is its own site
                    candidates.append((rule, geom, name, "poi"))
                    continue
                if container_tree is None:
                    continue
                hits = container_tree.query(geom, predicate="within")
                if len(hits):
                    smallest = hits[np.argmin(shapely.area(container_geoms[hits]))]
                    candidates.append((rule, container_geoms[smallest], name, "poi"))
    if buildings is not None and len(buildings):
        crs = crs or buildings.crs
        for rule in site_rules:
            kinds = rule.match.get("building", ())
            if not kinds:
                continue
            mask = np.zeros(len(buildings), dtype=bool)
            for column in ("building", "building_type"):
                if column in buildings.columns:
                    mask |= buildings[column].isin(kinds).to_numpy()
            for geom in buildings.geometry.values[mask]:
                candidates.append((rule, geom, None, "building"))
    if not candidates:
        return gpd.GeoDataFrame({"grid_type": [], "name": [], "source": [], "area_m2": []}, geometry=[], crs=crs)
    rows = []
    building_points = (
        shapely.point_on_surface(buildings.geometry.values)
        if buildings is not None and len(buildings)
        else np.array([], dtype=object)
    )
    for rule, geom, name, source in candidates:
        geom = shapely.make_valid(geom)
        # disjoint pairs are skipped first: GEOS 3.11 intersects them with a numpy "invalid value" warning
        if not shapely.intersects(geom, area_geom):
            continue
        clipped = shapely.intersection(geom, area_geom)
        clipped = _polygonal(clipped)
        if clipped is None or clipped.area < max(rule.min_site_area_m2, 1.0):
            continue
        clipped = _fill_empty_holes(clipped, building_points)
        rows.append((rule.priority, rule.grid_type, clipped, name, source))
    rows.sort(key=lambda r: (r[0], -r[2].area))
    taken = None
    sites = []
    for _priority, code, geom, name, source in rows:
        if taken is not None:
            geom = _polygonal(shapely.difference(geom, taken))
            if geom is None:
                continue
        rule = rules.by_type(code)
        if geom.area < max(rule.min_site_area_m2, 1.0):
            continue
        sites.append(
            {"grid_type": code, "name": name if isinstance(name, str) else None, "source": source, "geometry": geom}
        )
        taken = geom if taken is None else shapely.union(taken, geom)
    frame = (
        gpd.GeoDataFrame(sites, geometry="geometry", crs=crs)
        if sites
        else gpd.GeoDataFrame({"grid_type": [], "name": [], "source": []}, geometry=[], crs=crs)
    )
    if len(frame) and buildings is not None and len(buildings):
        frame = _snap_sites_to_buildings(frame, buildings)
    frame["area_m2"] = shapely.area(frame.geometry.values) if len(frame) else []
    return frame.reset_index(drop=True)


def _fill_empty_holes(geom, points):
    """Fill the holes of a site that hold no building: a courtyard belongs to the campus around it."""
    polygons = shapely.get_parts(geom)
    filled = []
    for polygon in polygons:
        holes = [shapely.Polygon(ring) for ring in polygon.interiors]
        keep = []
        for ring, hole in zip(polygon.interiors, holes):
            if len(points) and shapely.contains(hole, points).any():
                keep.append(ring)
        filled.append(shapely.Polygon(polygon.exterior, keep))
    return _polygonal(shapely.union_all(filled)) if len(filled) > 1 else filled[0]


def _snap_sites_to_buildings(sites: gpd.GeoDataFrame, buildings: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Move site edges off building footprints: a building goes whole to the side holding most of it."""
    geoms = sites.geometry.values.copy()
    footprints = buildings.geometry.values
    polygonal = shapely.get_type_id(footprints) >= 3
    footprints = footprints[polygonal]
    if not len(footprints):
        return sites
    tree = shapely.STRtree(footprints)
    site_idx, building_idx = tree.query(geoms, predicate="intersects")
    if not len(site_idx):
        return sites
    inside = shapely.area(shapely.intersection(footprints[building_idx], geoms[site_idx]))
    total = shapely.area(footprints[building_idx])
    share = np.where(total > 0, inside / np.maximum(total, 1e-12), 0)
    for s in np.unique(site_idx):
        sel = site_idx == s
        add = footprints[building_idx[sel & (share > 0.5) & (share < 1 - 1e-9)]]
        cut = footprints[building_idx[sel & (share <= 0.5)]]
        geom = geoms[s]
        if len(add):
            geom = shapely.union_all(np.concatenate([[geom], add]))
        if len(cut):
            geom = shapely.difference(geom, shapely.union_all(cut))
        geoms[s] = _polygonal(geom)
    # a building added to one site may touch another: later sites give way to earlier ones
    for i in range(1, len(geoms)):
        if geoms[i] is not None:
            earlier = [g for g in geoms[:i] if g is not None]
            if earlier:
                geoms[i] = _polygonal(shapely.difference(geoms[i], shapely.union_all(earlier)))
    out = sites.copy()
    out.geometry = gpd.GeoSeries(geoms, index=sites.index, crs=sites.crs)
    return out[~out.geometry.isna()]
