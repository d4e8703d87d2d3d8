"""Atomic units of the partition: polygonised blocks, split into building cells where too heavy.

Everything is built from ONE noded linework (parent boundaries, barrier lines, Voronoi edges between
buildings), so neighbouring units share identical boundary segments. That makes three things exact
and vectorised: the tiling (units cover each parent with no gap or overlap), the adjacency graph
(shared segments found by sorting segment keys) and the grid outlines (polygonising the segments
whose two sides lie in different grids).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
import shapely

__all__ = [
    "STRONG_CLASSES",
    "WEAK_CLASSES",
    "CLASS_COLUMNS",
    "classify_barriers",
    "build_units",
    "unit_adjacency",
    "outline_groups",
    "conform_units",
]

#: OSM classes whose lines grid edges must follow (roads for cars, rivers, railways, walls).
STRONG_CLASSES = (
    "motorway",
    "motorway_link",
    "trunk",
    "trunk_link",
    "primary",
    "primary_link",
    "secondary",
    "secondary_link",
    "tertiary",
    "tertiary_link",
    "residential",
    "living_street",
    "unclassified",
    "road",
    "busway",
    "river",
    "canal",
    "riverbank",
    "rail",
    "light_rail",
    "narrow_gauge",
    "subway",
    "monorail",
    "wall",
    "city_wall",
    "retaining_wall",
)
#: OSM classes that grid edges may follow to split a heavy block.
WEAK_CLASSES = (
    "service",
    "footway",
    "path",
    "track",
    "cycleway",
    "pedestrian",
    "steps",
    "bridleway",
    "corridor",
    "stream",
    "ditch",
    "drain",
    "tram",
    "fence",
    "hedge",
)
#: Columns that hold a barrier class when no class field is given (first non-null wins).
CLASS_COLUMNS = ("highway", "waterway", "railway", "barrier", "class", "fclass", "type")


def classify_barriers(barriers, class_field=None, strong_classes=None, weak_classes=None):
    """Split barrier geometries into strong and weak line arrays.

    Parameters
    ----------
    barriers : GeoDataFrame or None
        Lines (polygons are used through their boundaries).
    class_field : str, optional
        Column with the class. Default: the first of :data:`CLASS_COLUMNS` present, row by row.
        Without any class column every line is strong.
    strong_classes, weak_classes : sequence of str, optional
        Defaults :data:`STRONG_CLASSES`, :data:`WEAK_CLASSES`. Lines of other classes are ignored.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Strong and weak line geometries.
    """
    empty = np.array([], dtype=object)
    if barriers is None or len(barriers) == 0:
        return empty, empty
    geoms = np.asarray(barriers.geometry.values, dtype=object)
    type_ids = shapely.get_type_id(geoms)
    is_polygon = np.isin(type_ids, (3, 6))
    geoms = geoms.copy()
    geoms[is_polygon] = shapely.boundary(geoms[is_polygon])
    keep = np.isin(shapely.get_type_id(geoms), (1, 2, 5)) & ~shapely.is_empty(geoms)
    strong_set = {str(c).strip().lower() for c in (strong_classes if strong_classes is not None else STRONG_CLASSES)}
    weak_set = {str(c).strip().lower() for c in (weak_classes if weak_classes is not None else WEAK_CLASSES)}
    if class_field:
        values = barriers[class_field].astype(object).to_numpy()
    else:
        columns = [c for c in CLASS_COLUMNS if c in barriers.columns]
        if not columns:
            return geoms[keep], empty
        values = np.full(len(barriers), None, dtype=object)
        for column in columns:
            column_values = barriers[column].astype(object).to_numpy()
            fill = np.array([v is None or (isinstance(v, float) and np.isnan(v)) for v in values])
            values[fill] = column_values[fill]
    classes = np.array(
        ["" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v).strip().lower() for v in values],
        dtype=object,
    )
    is_strong = np.array([c in strong_set for c in classes], dtype=bool)
    is_weak = np.array([c in weak_set for c in classes], dtype=bool) & ~is_strong
    return geoms[keep & is_strong], geoms[keep & is_weak]


def _polygon_parts(collection) -> np.ndarray:
    parts = shapely.get_parts(collection)
    if parts.size == 0:
        return parts
    return parts[np.isin(shapely.get_type_id(parts), (3,)) & (shapely.area(parts) > 0)]


def _first_hit(tree_query_result, n):
    """From an STRtree (input, tree) index pair array, the first tree index per input (-1 if none)."""
    hit = np.full(n, -1, dtype=np.int64)
    if tree_query_result.shape[1]:
        inputs, targets = tree_query_result
        # smallest target index per input, deterministic
        order = np.lexsort((targets, inputs))
        inputs, targets = inputs[order], targets[order]
        first = np.r_[True, inputs[1:] != inputs[:-1]]
        hit[inputs[first]] = targets[first]
    return hit


def locate(points, polygons) -> np.ndarray:
    """Index of the polygon holding each point (-1 outside); ties go to the lowest index."""
    if len(points) == 0 or len(polygons) == 0:
        return np.full(len(points), -1, dtype=np.int64)
    tree = shapely.STRtree(polygons)
    return _first_hit(tree.query(points, predicate="intersects"), len(points))


def build_units(parents, strong_lines, weak_lines, points, point_loads, split_load, report=None, unit_m=1.0):
    """Polygonise the area with the barrier network and split heavy blocks into building cells.

    Parameters
    ----------
    parents : array of Polygon/MultiPolygon
        Parent units; grids never cross their boundaries.
    strong_lines, weak_lines : array of lines
    points : array of Point
        Representative points of the buildings.
    point_loads : array of float
    split_load : float
        A block whose load exceeds this (and that holds at least two buildings) is split into
        Voronoi cells of its buildings.
    unit_m : float
        Metres per CRS unit (tolerances are given in metres).

    Returns
    -------
    dict
        ``units`` (polygons), ``unit_parent`` (index into parents), ``unit_kind`` (0 block,
        1 building cell), ``point_unit`` (unit index per point, -1 outside), ``linework`` (the noded
        lines), ``n_split_blocks``.
    """
    area_union = shapely.union_all(parents)
    lines = np.concatenate([np.asarray(strong_lines, dtype=object), np.asarray(weak_lines, dtype=object)])
    if lines.size:
        tree = shapely.STRtree(lines)
        hits = np.unique(tree.query(area_union, predicate="intersects"))
        lines = shapely.intersection(lines[hits], area_union)
        lines = lines[~shapely.is_empty(lines)]
    boundaries = shapely.boundary(parents)
    noded = shapely.union_all(np.concatenate([boundaries, lines]))
    if report is not None:
        report.check_cancelled()
    faces = _polygon_parts(shapely.polygonize(shapely.get_parts(noded)))
    face_parent = locate(shapely.point_on_surface(faces), parents)
    faces = faces[face_parent >= 0]
    point_face = locate(points, faces)
    inside = point_face >= 0
    face_load = np.bincount(point_face[inside], weights=point_loads[inside], minlength=faces.size)
    face_count = np.bincount(point_face[inside], minlength=faces.size)
    heavy = np.flatnonzero((face_load > split_load) & (face_count >= 2))
    linework = noded
    n_split = 0
    if heavy.size:
        if report is not None:
            report.check_cancelled()
        # Voronoi edges of the building points inside every heavy face, all faces at once.
        is_heavy = np.zeros(faces.size, dtype=bool)
        is_heavy[heavy] = True
        chosen = np.flatnonzero(inside & is_heavy[np.where(inside, point_face, 0)])
        coords = shapely.get_coordinates(points[chosen])
        owner = point_face[chosen]
        order = np.argsort(owner, kind="stable")
        multipoints = shapely.multipoints(coords[order], indices=np.searchsorted(heavy, owner[order]))
        edges = shapely.voronoi_polygons(multipoints, extend_to=faces[heavy], only_edges=True)
        # Clip to the face grown by 0.5 m: the stubs reaching into neighbours are dangles that the
        # polygoniser drops, while every edge surely reaches the face boundary after noding.
        grow = 0.5 / unit_m
        grown = shapely.buffer(faces[heavy], grow, quad_segs=1, join_style="mitre")
        # A mitred buffer of a face with a narrow spike can self-intersect (GEOS 3.11); such faces
        # get a round-joined buffer, which is always valid.
        invalid = ~shapely.is_valid(grown)
        if invalid.any():
            grown[invalid] = shapely.buffer(faces[heavy][invalid], grow, quad_segs=2)
        edges = shapely.intersection(edges, grown)
        edges = edges[~shapely.is_empty(edges)]
        linework = shapely.union_all(np.concatenate([np.array([noded], dtype=object), edges]))
        n_split = int(heavy.size)
        units = _polygon_parts(shapely.polygonize(shapely.get_parts(linework)))
        unit_parent = locate(shapely.point_on_surface(units), parents)
        units = units[unit_parent >= 0]
        unit_parent = unit_parent[unit_parent >= 0]
        unit_face = locate(shapely.point_on_surface(units), faces)
        unit_kind = (unit_face >= 0) & is_heavy[np.maximum(unit_face, 0)]
    else:
        units = faces
        unit_parent = face_parent[face_parent >= 0]
        unit_kind = np.zeros(units.size, dtype=bool)
    point_unit = locate(points, units)
    return {
        "units": units,
        "unit_parent": unit_parent.astype(np.int64),
        "unit_kind": unit_kind.astype(np.int64),
        "point_unit": point_unit,
        "linework": linework,
        "n_split_blocks": n_split,
    }


def _segments(polygons):
    """Every boundary segment of every polygon: (x1, y1, x2, y2) rows and the owning polygon."""
    rings, ring_owner = shapely.get_rings(polygons, return_index=True)
    coords, ring_id = shapely.get_coordinates(rings, return_index=True)
    same = ring_id[:-1] == ring_id[1:]
    start = coords[:-1][same]
    end = coords[1:][same]
    owner = ring_owner[ring_id[:-1][same]]
    return start, end, owner


def _canonical(start, end):
    """Orient every segment the same way, so a segment shared by two units has one key."""
    flip = (start[:, 0] > end[:, 0]) | ((start[:, 0] == end[:, 0]) & (start[:, 1] > end[:, 1]))
    return np.where(flip[:, None], end, start), np.where(flip[:, None], start, end)


def _match(a, b, owner):
    """Sort segments by key; return them sorted and the index of the first of every identical pair."""
    order = np.lexsort((b[:, 1], b[:, 0], a[:, 1], a[:, 0]))
    a, b, owner = a[order], b[order], owner[order]
    same_next = np.all(a[1:] == a[:-1], axis=1) & np.all(b[1:] == b[:-1], axis=1)
    return a, b, owner, np.flatnonzero(same_next)


def _node_t_junctions(a, b, owner, first, tolerance):
    """Split unshared segments at the end points of other unshared segments that lie on them.

    Units drawn by hand or built elsewhere meet at T-junctions: one side of a shared edge has a vertex
    the other side lacks, so no segment key matches and the neighbours would be lost. Only segments
    without a twin are looked at (in the engine's own units, just the outer edge), so this is cheap.
    """
    matched = np.zeros(a.shape[0], dtype=bool)
    matched[first] = True
    matched[first + 1] = True
    loose = np.flatnonzero(~matched)
    if loose.size < 2:
        return a, b, owner, False
    ends = np.unique(np.concatenate([a[loose], b[loose]]), axis=0)
    lines = shapely.linestrings(np.stack([a[loose], b[loose]], axis=1))
    point_idx, seg_idx = shapely.STRtree(lines).query(shapely.points(ends), predicate="dwithin", distance=tolerance)
    p = ends[point_idx]
    sa, sb = a[loose][seg_idx], b[loose][seg_idx]
    interior = (np.hypot(*(p - sa).T) > tolerance) & (np.hypot(*(p - sb).T) > tolerance)
    if not interior.any():
        return a, b, owner, False
    point_idx, seg_idx, p = point_idx[interior], seg_idx[interior], p[interior]
    direction = b[loose][seg_idx] - a[loose][seg_idx]
    t = np.einsum("ij,ij->i", p - a[loose][seg_idx], direction) / np.einsum("ij,ij->i", direction, direction)
    # Vertices of every split segment in order along it: start (t=0), the points on it, end (t=1).
    split = np.unique(seg_idx)
    seg = np.concatenate([split, seg_idx, split])
    at = np.concatenate([np.zeros(split.size), t, np.ones(split.size)])
    xy = np.concatenate([a[loose][split], p, b[loose][split]])
    order = np.lexsort((at, seg))
    seg, xy = seg[order], xy[order]
    same = seg[1:] == seg[:-1]
    keep = np.ones(a.shape[0], dtype=bool)
    keep[loose[split]] = False
    piece_owner = owner[loose][seg[:-1][same]]
    a = np.concatenate([a[keep], xy[:-1][same]])
    b = np.concatenate([b[keep], xy[1:][same]])
    owner = np.concatenate([owner[keep], piece_owner])
    return a, b, owner, True


def unit_adjacency(units, unit_parent, strong_lines, weak_lines, tolerance_m=0.01, unit_m=1.0):
    """Shared boundary lengths between units, split by what the boundary lies on.

    Neighbours are found by matching identical boundary segments; where units meet at a T-junction
    (a vertex on one side only) the segments are first split at that vertex, so no neighbour is lost.

    Parameters
    ----------
    tolerance_m : float
        Distance in metres within which a vertex lies on a segment, or a boundary on a barrier line.
    unit_m : float
        Metres per CRS unit.

    Returns
    -------
    dict
        ``length``, ``strong``, ``weak``: symmetric CSR matrices (shared boundary in CRS units in
        total, on strong barriers, on weak barriers); ``segments``: (start, end, left, right) of
        every boundary segment (``right`` is -1 on the outer edge), used to draw grid outlines.

    Examples
    --------
    >>> import shapely, numpy as np
    >>> # a T-junction: the top box's bottom edge has no vertex at x=1, where the two lower boxes meet
    >>> boxes = [shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1), shapely.Polygon([(0, 1), (2, 1), (2, 2), (0, 2)])]
    >>> adjacency = unit_adjacency(boxes, np.zeros(3, int), [], [])
    >>> adjacency["length"].toarray()[2].tolist()
    [1.0, 1.0, 0.0]
    """
    n = len(units)
    tolerance = tolerance_m / unit_m
    start, end, owner = _segments(units)
    a, b = _canonical(start, end)
    a, b, owner, first = _match(a, b, owner)
    a, b, owner, noded = _node_t_junctions(a, b, owner, first, tolerance)
    if noded:
        a, b, owner, first = _match(a, b, owner)
    left = owner[first]
    right = owner[first + 1]
    shared_a, shared_b = a[first], b[first]
    valid = (left != right) & (unit_parent[left] == unit_parent[right])
    lengths = np.hypot(*(shared_b - shared_a).T)
    mid = (shared_a + shared_b) / 2
    on_strong = np.zeros(first.size, dtype=bool)
    on_weak = np.zeros(first.size, dtype=bool)
    mid_points = shapely.points(mid)
    for lines, flag in ((strong_lines, on_strong), (weak_lines, on_weak)):
        if len(lines):
            hit = shapely.STRtree(np.asarray(lines, dtype=object)).query(
                mid_points, predicate="dwithin", distance=tolerance
            )
            flag[np.unique(hit[0])] = True
    on_weak &= ~on_strong

    def matrix(weights):
        rows = np.concatenate([left[valid], right[valid]])
        cols = np.concatenate([right[valid], left[valid]])
        data = np.concatenate([weights[valid], weights[valid]])
        return sp.coo_matrix((data, (rows, cols)), shape=(n, n)).tocsr()

    # Segments of the outline: those not shared, plus shared ones (each kept once).
    unique_mask = np.ones(a.shape[0], dtype=bool)
    unique_mask[first + 1] = False
    seg_left = owner.copy()
    seg_right = np.full(a.shape[0], -1, dtype=np.int64)
    seg_right[first] = owner[first + 1]
    return {
        "length": matrix(lengths),
        "strong": matrix(lengths * on_strong),
        "weak": matrix(lengths * on_weak),
        "segments": (a[unique_mask], b[unique_mask], seg_left[unique_mask], seg_right[unique_mask]),
    }


def outline_groups(segments, unit_group, n_groups, units):
    """Polygons of groups of units (grids), by polygonising the segments between different groups.

    Parameters
    ----------
    segments : tuple
        ``(start, end, left, right)`` from :func:`unit_adjacency`.
    unit_group : array of int
        Group per unit (0 .. n_groups - 1).
    units : array of Polygon
        Used to find which group each outline face belongs to.

    Returns
    -------
    numpy.ndarray of geometries (n_groups,)
        One (Multi)Polygon per group.
    """
    start, end, left, right = segments
    group_left = unit_group[left]
    group_right = np.where(right >= 0, unit_group[np.maximum(right, 0)], -1)
    keep = group_left != group_right
    lines = shapely.linestrings(np.stack([start[keep], end[keep]], axis=1))
    faces = _polygon_parts(shapely.polygonize(lines))
    face_unit = locate(shapely.point_on_surface(faces), units)
    face_group = np.where(face_unit >= 0, unit_group[np.maximum(face_unit, 0)], -1)
    result = np.full(n_groups, None, dtype=object)
    order = np.argsort(face_group, kind="stable")
    face_group = face_group[order]
    faces = faces[order]
    bounds = np.searchsorted(face_group, np.arange(n_groups + 1))
    for group in range(n_groups):
        members = faces[bounds[group] : bounds[group + 1]]
        if members.size == 1:
            result[group] = members[0]
        elif members.size > 1:
            result[group] = shapely.union_all(members)
    missing = np.flatnonzero(np.array([g is None for g in result], dtype=bool))
    for group in missing:  # a group the outline missed (should not happen): plain union
        result[group] = shapely.union_all(units[unit_group == group])
    return result


def conform_units(units, unit_group, group_geoms, *, min_area_m2=1e-6):
    """Cut the units along the final grid outlines, so every grid is exactly the union of its units.

    The partition redraws a few grid edges after grouping (a building crossed by an edge goes wholly
    to one grid; a small detached piece joins its neighbour), so some units straddle two grids. Each
    such unit is replaced by its pieces inside each grid (pieces under ``min_area_m2`` are overlay
    noise and dropped); every other unit stays as it is.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray, numpy.ndarray)
        The units, the index of the unit each came from, and the group of each.

    Examples
    --------
    >>> import shapely
    >>> units = np.array([shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)], dtype=object)
    >>> grids = np.array([shapely.box(0, 0, 1.5, 1), shapely.box(1.5, 0, 2, 1)], dtype=object)
    >>> pieces, source, group = conform_units(units, np.array([0, 1]), grids)
    >>> source.tolist(), group.tolist(), shapely.area(pieces).tolist()
    ([0, 1, 1], [0, 0, 1], [1.0, 0.5, 0.5])
    """
    units = np.asarray(units, dtype=object)
    unit_group = np.asarray(unit_group, dtype=np.int64)
    group_geoms = np.asarray(group_geoms, dtype=object)
    keep_all = (units, np.arange(units.size, dtype=np.int64), unit_group.copy())
    if units.size == 0 or group_geoms.size == 0:
        return keep_all
    tree = shapely.STRtree(group_geoms)
    u_idx, g_idx = tree.query(units, predicate="intersects")
    foreign = g_idx != unit_group[u_idx]
    u_f, g_f = u_idx[foreign], g_idx[foreign]
    if u_f.size:
        shared = shapely.area(shapely.intersection(units[u_f], group_geoms[g_f]))
        u_f = u_f[shared > min_area_m2]
    straddling = np.unique(u_f)
    if straddling.size == 0:
        return keep_all
    is_straddling = np.zeros(units.size, dtype=bool)
    is_straddling[straddling] = True
    pair = is_straddling[u_idx]
    pieces = shapely.intersection(units[u_idx[pair]], group_geoms[g_idx[pair]])
    # a piece may come back as a collection with slivers of lines; keep its polygons
    pieces = np.array([_polygonal(piece) for piece in pieces], dtype=object)
    big = shapely.area(pieces) > min_area_m2
    kept = np.flatnonzero(~is_straddling)
    new_units = np.concatenate([units[kept], pieces[big]])
    source = np.concatenate([kept, u_idx[pair][big]])
    group = np.concatenate([unit_group[kept], g_idx[pair][big]])
    order = np.argsort(source, kind="stable")  # pieces stay next to where their unit was
    return new_units[order], source[order], group[order]


def _polygonal(geometry):
    """The polygonal part of ``geometry`` (a Polygon or MultiPolygon; empty when it has none)."""
    if shapely.get_type_id(geometry) in (3, 6):
        return geometry
    polygons = _polygon_parts(geometry)
    if polygons.size == 0:
        return shapely.Polygon()
    return polygons[0] if polygons.size == 1 else shapely.multipolygons(polygons)
