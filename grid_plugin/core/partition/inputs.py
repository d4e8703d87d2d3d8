"""Checked inputs of the partition: layers, CRS, loads, parent codes and parameters.

Everything a user can get wrong is refused here with a sentence that says what is wrong and what to
do, before any work starts. What comes out is plain arrays in one projected CRS (:class:`Inputs`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..errors import N_, InputError
from ..inputs import numeric_values
from .coding import feature_prefixes, parent_prefixes, split_prefix

__all__ = [
    "Inputs",
    "read_inputs",
    "check_loads",
    "check_parameters",
    "metres_per_unit",
    "parent_identity",
    "split_prefix",
]


@dataclass
class Inputs:
    """The partition's inputs as arrays, checked and in the area's CRS.

    ``parents`` are disjoint (an overlap goes to the first parent that holds it); ``building_parent``
    is the parent index of each building's representative point (-1 outside every parent).
    """

    crs: object
    parents: np.ndarray
    parent_codes: list
    parent_ids: list
    loads: np.ndarray
    footprints: np.ndarray
    points: np.ndarray
    valid_geom: np.ndarray
    is_polygonal: np.ndarray
    building_parent: np.ndarray
    strong: np.ndarray
    weak: np.ndarray
    unit_m: float


def metres_per_unit(crs) -> float:
    """Metres in one unit of a projected CRS (1 for metres, 0.3048… for US feet).

    >>> metres_per_unit("EPSG:4547"), round(metres_per_unit("EPSG:2227"), 6)
    (1.0, 0.304801)
    """
    import pyproj

    crs = pyproj.CRS.from_user_input(crs)
    factor = crs.axis_info[0].unit_conversion_factor if crs.axis_info else 1.0
    return float(factor or 1.0)


def _check_crs(area, buildings, barriers, report):
    if area.crs is None:
        raise InputError(
            N_(
                "The area layer has no CRS, so its distances and areas cannot be read as metres. "
                "Assign its projected CRS (e.g. CGCS2000 / 3-degree Gauss-Kruger, EPSG:4534-4554) and run again."
            )
        )
    if area.crs.is_geographic:
        raise InputError(
            N_(
                "The area layer is in a geographic CRS ({crs}); distances and areas need metres. "
                "Reproject it to a projected CRS, e.g. CGCS2000 / 3-degree Gauss-Kruger (EPSG:4534-4554) or UTM."
            ),
            crs=area.crs.to_string(),
        )
    out = []
    for frame, name in ((buildings, "buildings"), (barriers, "barriers")):
        if frame is not None and frame.crs is None:
            raise InputError(
                N_("The {name} layer has no CRS; assign the CRS its coordinates are in and run again."), name=name
            )
        if frame is not None and not frame.crs.equals(area.crs):
            report.warn(
                N_("The {name} layer ({crs}) was reprojected to the CRS of the area ({target})."),
                name=name,
                crs=frame.crs.to_string(),
                target=area.crs.to_string(),
            )
            frame = frame.to_crs(area.crs)
        out.append(frame)
    return out[0], out[1]


def valid_polygons(geoms, layer, report):
    """Polygons with missing ones empty and invalid ones repaired (their polygonal part kept)."""
    geoms = np.asarray(geoms, dtype=object)
    missing = np.array([g is None for g in geoms], dtype=bool)
    geoms = geoms.copy()
    geoms[missing] = shapely.Polygon()
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        repaired = shapely.make_valid(geoms[invalid])
        repaired = np.array([_polygonal_part(g) for g in repaired], dtype=object)
        geoms[invalid] = repaired
        report.warn(N_("Repaired {n} invalid geometries in the {layer} layer."), n=int(invalid.sum()), layer=layer)
    return geoms


def _polygonal_part(geometry):
    if shapely.get_type_id(geometry) != 7:
        return geometry
    parts = shapely.get_parts(geometry)
    return shapely.union_all(parts[np.isin(shapely.get_type_id(parts), (3, 6))])


def check_loads(values) -> np.ndarray:
    """Loads as floats; NaN, infinite or negative values are refused with a clear error.

    >>> check_loads([1, 2.5]).tolist()
    [1.0, 2.5]
    """
    values = np.asarray(values, dtype=float)
    bad = ~np.isfinite(values) | (values < 0)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise InputError(
            N_(
                "{n} loads are not a finite number of 0 or more (the first, number {index}, is {value}); "
                "fix or fill them (0 for none) and run again."
            ),
            n=int(bad.sum()),
            index=first,
            value=str(values[first]),
        )
    return values


def _loads(buildings, load_field, report):
    """The load of every building by the one rule of :func:`grid_plugin.core.inputs.numeric_values`:
    NULL counts 0 (a building nobody counted, warned); text that is not a number, negative, infinite
    or huge values are data errors and refused with examples."""
    if load_field is None:
        return np.ones(len(buildings), dtype=float)
    return numeric_values(buildings, load_field, "buildings", report)


def _parent_codes(area, parent_code_field):
    if parent_code_field:
        if parent_code_field not in area.columns:
            raise InputError(
                N_("The area layer has no field {field}; choose the field that holds the parent code."),
                field=parent_code_field,
            )
        codes = area[parent_code_field].astype(object)
        codes = [str(c).strip() if c is not None and not (isinstance(c, float) and np.isnan(c)) else "" for c in codes]
        fallback = [f"{i + 1:03d}" for i in range(len(codes))]
        return [c or fallback[i] for i, c in enumerate(codes)], [bool(c) for c in codes]
    return [f"{i + 1:03d}" for i in range(len(area))], [False] * len(area)


def _parent_prefixes(area, parent_code_field, code_prefix, report) -> list[str]:
    """The 12-digit parent code of every area feature (:func:`.coding.parent_prefixes`; malformed codes refused)."""
    county, township, community = split_prefix(code_prefix)
    if not parent_code_field:
        return feature_prefixes(len(area), county, township, community, report=report)
    return parent_prefixes(area[parent_code_field].tolist(), county, township, community, report=report)


def parent_identity(code: str, has_code: bool, geometry) -> str:
    """A parent's stable identity: its code when it has one, else a hash of its geometry (WKB).

    Seeds come from it, so a change elsewhere never changes this parent's grids.
    """
    if has_code:
        return f"code:{code}"
    wkb = shapely.to_wkb(shapely.normalize(geometry), hex=False, output_dimension=2)
    return "wkb:" + hashlib.blake2b(wkb, digest_size=12).hexdigest()


def _merge_barriers(barriers):
    if barriers is None or not isinstance(barriers, (list, tuple)):
        return barriers
    frames = [b for b in barriers if b is not None and len(b)]
    if not frames:
        return None
    crs0 = frames[0].crs
    frames = [
        f.to_crs(crs0) if (f.crs is not None and crs0 is not None and not f.crs.equals(crs0)) else f for f in frames
    ]
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=crs0)


def _disjoint_parents(parents, report):
    """Make parents disjoint; an overlap goes to the first parent that holds it."""
    if parents.size <= 1:
        return parents
    overlap_m2 = float(shapely.area(parents).sum() - shapely.area(shapely.union_all(parents)))
    if overlap_m2 <= 1.0:
        return parents
    report.warn(
        N_("Parent areas overlap by {area} m²; the overlap goes to the first parent that holds it."),
        area=round(overlap_m2, 1),
    )
    parents = parents.copy()
    tree = shapely.STRtree(parents)
    left, right = tree.query(parents, predicate="intersects")
    for later in np.unique(right[right > left]).tolist():
        earlier = left[(right == later) & (left < later)]
        parents[later] = shapely.difference(parents[later], shapely.union_all(parents[earlier]))
    return parents


def read_inputs(
    area,
    buildings,
    barriers,
    *,
    load_field,
    parent_code_field,
    barrier_class_field,
    strong_classes,
    weak_classes,
    report,
    code_prefix=None,
) -> Inputs:
    """Check and convert the layers; raise :class:`InputError` on anything unusable."""
    from .units import classify_barriers, locate

    barriers = _merge_barriers(barriers)
    if area is None or len(area) == 0:
        raise InputError(N_("The area layer is empty; choose a layer with at least one polygon."))
    if buildings is None or len(buildings) == 0:
        raise InputError(N_("The buildings layer is empty; choose a layer with buildings."))
    buildings, barriers = _check_crs(area, buildings, barriers, report)
    parents = valid_polygons(area.geometry.values, "area", report)
    keep = ~shapely.is_empty(parents) & (shapely.area(parents) > 0)
    if not keep.any():
        raise InputError(N_("The area layer holds no polygon with an area; choose a polygon layer."))
    codes_all, has_code_all = _parent_codes(area, parent_code_field)
    prefixes_all = _parent_prefixes(area, parent_code_field, code_prefix, report)
    parents = _disjoint_parents(parents[keep], report)
    raw_codes = [c for c, k in zip(codes_all, keep.tolist(), strict=True) if k]
    parent_codes = [c for c, k in zip(prefixes_all, keep.tolist(), strict=True) if k]
    has_code = [c for c, k in zip(has_code_all, keep.tolist(), strict=True) if k]
    if parent_code_field and len(set(parent_codes)) < len(parent_codes):
        report.warn(N_("Some parent codes occur more than once; grids are numbered per area feature."))
    # identities (and so seeds) from the field as given: the county/township entered never moves a grid edge
    parent_ids = [parent_identity(c, h, g) for c, h, g in zip(raw_codes, has_code, parents, strict=True)]
    loads = _loads(buildings, load_field, report)
    footprints = np.asarray(buildings.geometry.values, dtype=object)
    is_polygonal = np.isin(shapely.get_type_id(footprints), (3, 6))
    if is_polygonal.any():
        footprints = footprints.copy()
        footprints[is_polygonal] = valid_polygons(footprints[is_polygonal], "buildings", report)
    valid_geom = np.array([g is not None for g in footprints], dtype=bool)
    valid_geom[valid_geom] &= ~shapely.is_empty(footprints[valid_geom])
    points = np.full(len(footprints), None, dtype=object)
    points[valid_geom] = shapely.point_on_surface(footprints[valid_geom])
    points[~valid_geom] = shapely.Point()
    strong, weak = classify_barriers(barriers, barrier_class_field, strong_classes, weak_classes)
    return Inputs(
        crs=area.crs,
        parents=parents,
        parent_codes=parent_codes,
        parent_ids=parent_ids,
        loads=loads,
        footprints=footprints,
        points=points,
        valid_geom=valid_geom,
        is_polygonal=is_polygonal,
        building_parent=locate(points, parents),
        strong=strong,
        weak=weak,
        unit_m=metres_per_unit(area.crs),
    )


def check_parameters(target_load, tolerance, n_grids, compactness, min_area_m2, max_area_m2):
    """Refuse parameters outside their range, each with what to enter instead."""
    for value in (target_load, tolerance, compactness, min_area_m2, max_area_m2):
        if value is not None and not np.isfinite(float(value)):
            raise InputError(N_("A parameter is not a finite number ({value}); enter a number."), value=str(value))
    if n_grids is None and (target_load is None or not float(target_load) > 0):
        raise InputError(N_("The target load must be greater than 0 (for example 400 households)."))
    if n_grids is not None and int(n_grids) < 1:
        raise InputError(N_("The number of grids must be at least 1."))
    if tolerance is None or not 0 <= float(tolerance) < 1:
        raise InputError(N_("The tolerance must be between 0 and 1 (0.2 means ±20%)."))
    if not 0 <= float(compactness) <= 1:
        raise InputError(N_("The compactness preference must be between 0 and 1."))
    if min_area_m2 and max_area_m2 and float(min_area_m2) > float(max_area_m2):
        raise InputError(
            N_("The minimum grid area ({low} m²) is above the maximum ({high} m²); swap or clear them."),
            low=min_area_m2,
            high=max_area_m2,
        )
