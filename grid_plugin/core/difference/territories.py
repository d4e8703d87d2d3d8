"""Territories of one parent: sites, villages, towns and open land as unions of atomic units.

Everything is built from the atomic units of the partition engine
(:func:`grid_plugin.core.partition.units.build_units`: the parent polygonised with the strong and weak
barrier lines), so that every territory edge runs on a road, river, railway or the parent boundary,
and the territories tile the parent exactly by construction:

1. **Sites** claim the units they cover at least half of. A site too small to claim any unit has
   its outline added to the linework (it becomes a unit of its own).
2. **Settlements**: a unit holding buildings of one settlement belongs to it; a unit holding buildings
   of several is split into Voronoi cells of its buildings (the same cells the partition engine splits
   heavy blocks into), each cell going to its building's settlement.
3. **Major blocks**: units joined across edges that are not a major barrier (expressways, trunk and
   primary roads, rivers, railways). No site, village, town or land territory crosses a major barrier:
   a territory is one group of units of one label joined across such edges (a barrier that ends
   inside the area is gone around, not crossed).
4. **Units without buildings** join the neighbouring territory of their major block they share the
   longest edge with (``land_mode="attach"``), or, where a land rule covers at least half of them,
   become open land (``land_mode="area"``). A major block without any building or site is open land
   of its own, unless it is a sliver (the strip between two carriageways, an interchange loop), which
   joins its neighbour across the barrier.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from ..partition.units import CLASS_COLUMNS, build_units, classify_barriers, locate, outline_groups, unit_adjacency
from .land import classify_land, land_type_of_units

__all__ = ["MAJOR_CLASSES", "SLIVER_BLOCK_M2", "Territory", "major_lines", "parent_units", "territories"]

#: Barrier classes no site, village or open-land grid crosses (expressways, trunk and primary roads,
#: rivers, railways).
MAJOR_CLASSES = (
    "motorway",
    "motorway_link",
    "trunk",
    "trunk_link",
    "primary",
    "primary_link",
    "river",
    "canal",
    "riverbank",
    "rail",
    "light_rail",
    "narrow_gauge",
)
#: A major block without buildings or sites smaller than this (m²) is a sliver of the barrier itself
#: (between two carriageways, inside an interchange loop): it joins its neighbour across the line.
SLIVER_BLOCK_M2 = 50_000.0
#: A piece of a site cut off by a major barrier, without households and smaller than this share of the
#: site (and than :data:`SLIVER_BLOCK_M2`), is a strip between the site's own tracks or carriageways
#: (a station's platforms): it stays with the site's largest piece instead of becoming a grid of its own.
SITE_SLIVER_SHARE = 0.25


@dataclass
class Territory:
    """A connected group of units of one label inside one major block."""

    kind: str  # "site", "settlement" or "land"
    key: object  # site index, settlement index or land type
    block: int
    units: np.ndarray  # unit indices
    geometry: object


def major_lines(barriers) -> np.ndarray:
    """The lines of ``barriers`` whose class is one of :data:`MAJOR_CLASSES`.

    Without a class column (one merged layer of every line) no line is known to be major: the lines
    are all strong unit edges, and no territory is split at every footpath.
    """
    if barriers is None or not any(c in barriers.columns for c in CLASS_COLUMNS):
        return np.array([], dtype=object)
    major, _ = classify_barriers(barriers, strong_classes=MAJOR_CLASSES, weak_classes=())
    return major


def _claim(faces, site_geoms) -> np.ndarray:
    """Site index per face: the site covering at least half of it (-1: none)."""
    claimed = np.full(len(faces), -1, dtype=np.int64)
    if not len(site_geoms) or not len(faces):
        return claimed
    f_idx, s_idx = shapely.STRtree(site_geoms).query(faces, predicate="intersects")
    if not len(f_idx):
        return claimed
    share = shapely.area(shapely.intersection(faces[f_idx], site_geoms[s_idx])) / shapely.area(faces[f_idx])
    frame = pd.DataFrame({"f": f_idx, "s": s_idx, "share": share})
    best = frame.sort_values(["f", "share", "s"], ascending=[True, False, True]).drop_duplicates("f")
    best = best[best["share"] >= 0.5]
    claimed[best["f"].to_numpy()] = best["s"].to_numpy()
    return claimed


def parent_units(parent, strong, weak, points, site_geoms, settlement_of=None):
    """Faces of the parent's linework, their site, and (with settlements) the final units.

    Called twice by :func:`territories`: without ``settlement_of`` to find which buildings lie in sites,
    then with the settlement of every building outside sites to split the faces shared by settlements.

    Returns
    -------
    dict
        ``faces``, ``face_site``, ``point_face`` and, with ``settlement_of``, ``units``, ``unit_face``,
        ``point_unit``, ``n_split``.
    """
    parents = np.array([parent], dtype=object)
    zeros = np.zeros(len(points))
    extra = np.array([], dtype=object)
    built = build_units(parents, strong, weak, points, zeros, np.inf)
    faces = built["units"]
    face_site = _claim(faces, site_geoms)
    unclaimed = np.setdiff1d(np.arange(len(site_geoms)), face_site)
    unclaimed = _claim_own_face(faces, face_site, unclaimed, site_geoms, points, built["point_unit"])
    unclaimed = unclaimed[_outline_on_lines(site_geoms[unclaimed], np.concatenate([strong, weak]))]
    if len(unclaimed):  # a site smaller than half of every face: its outline becomes a unit edge
        extra = shapely.boundary(site_geoms[unclaimed])
        built = build_units(parents, strong, np.concatenate([weak, extra]), points, zeros, np.inf)
        faces = built["units"]
        face_site = _claim(faces, site_geoms)
    out = {"faces": faces, "face_site": face_site, "point_face": built["point_unit"]}
    if settlement_of is None:
        return out
    point_face = built["point_unit"]
    free = (point_face >= 0) & (settlement_of >= 0)
    pairs = pd.DataFrame({"f": point_face[free], "s": settlement_of[free]}).drop_duplicates()
    n_settlements = pairs.groupby("f")["s"].size()
    mixed = np.zeros(len(faces), dtype=bool)
    mixed[n_settlements.index[n_settlements.to_numpy() > 1].to_numpy()] = True
    if mixed.any():  # split faces shared by settlements into their buildings' Voronoi cells
        marks = (point_face >= 0) & mixed[np.maximum(point_face, 0)]
        final = build_units(parents, strong, np.concatenate([weak, extra]), points, marks.astype(float), 0.5)
    else:
        final = built
    units = final["units"]
    out.update(
        units=units,
        unit_face=locate(shapely.point_on_surface(units), faces),
        point_unit=final["point_unit"],
        n_split=int(mixed.sum()),
    )
    return out


#: A site too small to claim a unit gets its outline as a unit edge only when at least this share of
#: the outline runs within :data:`SITE_LINE_DISTANCE_M` of a road, river or railway (grid edges follow
#: visible lines); otherwise it is no grid of its own.
SITE_OUTLINE_ON_LINES = 0.5
SITE_LINE_DISTANCE_M = 5.0


def _claim_own_face(faces, face_site, unclaimed, site_geoms, points, point_face) -> np.ndarray:
    """An unclaimed site takes the face it overlaps most when no building of that face lies outside it.

    Updates ``face_site`` in place; returns the sites still unclaimed.
    """
    left = []
    for s in unclaimed:
        hits = shapely.STRtree(faces).query(site_geoms[s], predicate="intersects")
        hits = hits[face_site[hits] < 0]
        if not len(hits):
            left.append(s)
            continue
        f = hits[np.argmax(shapely.area(shapely.intersection(faces[hits], site_geoms[s])))]
        members = np.flatnonzero(point_face == f)
        if len(members) and shapely.covers(site_geoms[s], points[members]).all():
            face_site[f] = s
        else:
            left.append(s)
    return np.asarray(left, dtype=np.int64)


def _outline_on_lines(site_geoms, lines) -> np.ndarray:
    """Which sites have at least :data:`SITE_OUTLINE_ON_LINES` of their outline along barrier lines."""
    keep = np.zeros(len(site_geoms), dtype=bool)
    if not len(site_geoms) or not len(lines):
        return keep
    outlines = shapely.boundary(site_geoms)
    tree = shapely.STRtree(lines)
    for i, outline in enumerate(outlines):
        near = tree.query(outline, predicate="dwithin", distance=SITE_LINE_DISTANCE_M)
        if not len(near):
            continue
        corridor = shapely.buffer(shapely.union_all(lines[near]), SITE_LINE_DISTANCE_M, quad_segs=2)
        on = shapely.length(shapely.intersection(outline, corridor))
        keep[i] = on >= SITE_OUTLINE_ON_LINES * shapely.length(outline)
    return keep


def _unit_settlement(point_unit, settlement_of, loads, n_units) -> np.ndarray:
    """Settlement per unit: the one with most households among its buildings, then most buildings."""
    result = np.full(n_units, -1, dtype=np.int64)
    sel = (point_unit >= 0) & (settlement_of >= 0)
    if not sel.any():
        return result
    frame = pd.DataFrame({"u": point_unit[sel], "s": settlement_of[sel], "w": loads[sel], "n": 1})
    sums = frame.groupby(["u", "s"], sort=True)[["w", "n"]].sum().reset_index()
    best = sums.sort_values(["u", "w", "n", "s"], ascending=[True, False, False, True]).drop_duplicates("u")
    result[best["u"].to_numpy()] = best["s"].to_numpy()
    return result


def _flood(labels, weights, block, *, sources=None, carry_block=False):
    """Give unlabelled units the label of the labelled neighbour they share the longest edge with.

    Spreads round by round. Without ``carry_block`` only inside a major block; with it across blocks,
    and a unit that takes a label also takes the block of the neighbour it took it from.
    ``sources`` (bool per unit) limits which labelled units spread their label.
    """
    labels = labels.copy()
    block = block.copy()
    coo = weights.tocoo()
    rows, cols, w = coo.row, coo.col, coo.data
    if not carry_block:
        keep = block[rows] == block[cols]
        rows, cols, w = rows[keep], cols[keep], w[keep]
    can_spread = np.ones(len(labels), dtype=bool) if sources is None else sources.copy()
    while True:
        sel = (labels[rows] < 0) & (labels[cols] >= 0) & can_spread[cols]
        if not sel.any():
            break
        frame = pd.DataFrame({"u": rows[sel], "v": cols[sel], "l": labels[cols[sel]], "w": w[sel]})
        sums = frame.groupby(["u", "l"], sort=True)["w"].sum().reset_index()
        best = sums.sort_values(["u", "w", "l"], ascending=[True, False, True]).drop_duplicates("u")
        units = best["u"].to_numpy()
        labels[units] = best["l"].to_numpy()
        can_spread[units] = True
        if carry_block:
            # the block of the strongest neighbour holding the label taken (not of another label's neighbour)
            chosen = frame["l"].to_numpy() == labels[frame["u"].to_numpy()]
            strongest = frame[chosen].sort_values(["u", "w", "v"], ascending=[True, False, True]).drop_duplicates("u")
            strongest = strongest.set_index("u").loc[units]
            block[units] = block[strongest["v"].to_numpy()]
    return labels, block


def _groups(labels, block, weights, crossable, sliver):
    """Connected components of units with the same label in the same major block.

    Units are joined across an edge that is not a major barrier, or when one of them is a sliver that
    took its label (and block) from the other side.
    """
    coo = weights.tocoo()
    # No edges (one unit: an area without barriers): sparse fancy indexing with empty arrays returns a
    # sparse matrix, not an array, so compare nothing.
    open_edge = np.asarray(crossable[coo.row, coo.col]).ravel() > 0 if coo.nnz else np.zeros(0, dtype=bool)
    same = (labels[coo.row] == labels[coo.col]) & (block[coo.row] == block[coo.col])
    same &= open_edge | sliver[coo.row] | sliver[coo.col]
    n = len(labels)
    graph = sparse.coo_matrix((np.ones(int(same.sum())), (coo.row[same], coo.col[same])), shape=(n, n))
    return connected_components(graph, directed=False)


def territories(
    parent,
    strong,
    weak,
    major,
    points,
    loads,
    site_geoms,
    settlement_of_fn,
    *,
    rules,
    landuse,
    water,
    land_mode,
    report=None,
):
    """Tile one parent with territories (see the module docstring).

    Parameters
    ----------
    parent : Polygon or MultiPolygon
    strong, weak, major : arrays of lines
        From :func:`grid_plugin.core.partition.units.classify_barriers` and :func:`major_lines`.
    points, loads : arrays
        Representative points and households of the buildings inside the parent.
    site_geoms : array of polygons
        The specialised sites found in the parent.
    settlement_of_fn : callable
        Given a boolean mask of the buildings outside every site, returns the settlement per building
        (0..n-1) for those buildings (see :func:`.settlements.find_settlements`).

    Returns
    -------
    dict
        ``territories`` (list of :class:`Territory`), ``units``, ``adjacency``, ``point_unit``,
        ``site_of_point`` (site index per building, -1 outside sites), ``settlement_of`` (per building,
        -1 in sites), ``n_split_faces``.
    """
    site_geoms = np.asarray(site_geoms, dtype=object)
    first = parent_units(parent, strong, weak, points, site_geoms)
    point_face = first["point_face"]
    site_of_point = np.where(point_face >= 0, first["face_site"][np.maximum(point_face, 0)], -1)
    settlement_of = np.full(len(points), -1, dtype=np.int64)
    outside_sites = site_of_point < 0
    if outside_sites.any():
        settlement_of[outside_sites] = settlement_of_fn(outside_sites)
    if report is not None:
        report.check_cancelled()
    built = parent_units(parent, strong, weak, points, site_geoms, settlement_of)
    units, unit_face = built["units"], built["unit_face"]
    n = len(units)
    adjacency = unit_adjacency(units, np.zeros(n, dtype=np.int64), strong, weak)
    weights = adjacency["length"]
    unit_site = np.where(unit_face >= 0, first_face_site(built, unit_face), -1)
    unit_settlement = _unit_settlement(built["point_unit"], settlement_of, loads, n)
    crossable = _crossable(units, adjacency, major)
    _, unit_block = connected_components(crossable, directed=False)
    # labels: sites, then settlements, then (area mode) land; one integer per distinct key
    keys: list[tuple] = []
    key_index: dict = {}

    def label_of(key):
        if key not in key_index:
            key_index[key] = len(keys)
            keys.append(key)
        return key_index[key]

    labels = np.full(n, -1, dtype=np.int64)
    for u in np.flatnonzero(unit_site >= 0):
        labels[u] = label_of(("site", int(unit_site[u])))
    for u in np.flatnonzero((labels < 0) & (unit_settlement >= 0)):
        labels[u] = label_of(("settlement", int(unit_settlement[u])))
    if land_mode == "area":
        empty = np.flatnonzero(labels < 0)
        land = classify_land(units[empty], rules, landuse, water)
        for u, code in zip(empty, land, strict=True):
            if code is not None:
                labels[u] = label_of(("land", code))
    is_site = np.array([keys[lab][0] == "site" if lab >= 0 else False for lab in labels], dtype=bool)
    # empty units join their block's settlements and land first, then its sites
    labels, _ = _flood(labels, crossable, unit_block, sources=~is_site & (labels >= 0))
    labels, _ = _flood(labels, crossable, unit_block)
    # blocks with nothing in them: slivers join across the barrier, the others are open land
    empty = labels < 0
    took = np.zeros(n, dtype=bool)
    if empty.any():
        block_area = np.bincount(unit_block[empty], weights=shapely.area(units[empty]), minlength=n)
        sliver = empty & (block_area[unit_block] < SLIVER_BLOCK_M2)
        if sliver.any():
            flooded, carried = _flood(labels, weights, unit_block, sources=~sliver & (labels >= 0), carry_block=True)
            took = sliver & (flooded >= 0)
            labels[took], unit_block[took] = flooded[took], carried[took]
        rest = np.flatnonzero(labels < 0)
        if len(rest):
            for u, code in zip(rest, land_type_of_units(units[rest], rules, landuse, water), strict=True):
                labels[u] = label_of(("land", code))
    site_label = np.array([keys[lab][0] == "site" for lab in range(len(keys))], dtype=bool)
    moved = _site_slivers(labels, unit_block, site_label, shapely.area(units), _unit_loads(built, loads, n))
    took |= moved
    if moved.any():
        _join_detached_slivers(labels, unit_block, moved, weights, crossable, took)
    n_groups, group = _groups(labels, unit_block, weights, crossable, took)
    outlines = outline_groups(adjacency["segments"], group, n_groups, units)
    found = []
    for g in range(n_groups):
        members = np.flatnonzero(group == g)
        kind, key = keys[labels[members[0]]]
        found.append(Territory(kind, key, int(unit_block[members[0]]), members, outlines[g]))
    return {
        "territories": found,
        "units": units,
        "adjacency": adjacency,
        "point_unit": built["point_unit"],
        "site_of_point": site_of_point,
        "settlement_of": settlement_of,
        "n_split_faces": built["n_split"],
    }


def _unit_loads(built, loads, n_units) -> np.ndarray:
    """Households per unit from the buildings' units."""
    point_unit = built["point_unit"]
    inside = point_unit >= 0
    return np.bincount(point_unit[inside], weights=np.asarray(loads, dtype=float)[inside], minlength=n_units)


def _site_slivers(labels, unit_block, site_label, unit_area, unit_load) -> np.ndarray:
    """Mark the units of a site's sliver pieces and move them into the block of the site's largest piece.

    A piece is a site's units in one major block. A piece without households, smaller than
    :data:`SITE_SLIVER_SHARE` of its site and than :data:`SLIVER_BLOCK_M2`, joins the largest piece across
    the barrier (``unit_block`` is changed in place); returns the units that moved.
    """
    moved = np.zeros(len(labels), dtype=bool)
    if not site_label.any():
        return moved
    is_site = (labels >= 0) & site_label[np.maximum(labels, 0)]
    if not is_site.any():
        return moved
    frame = pd.DataFrame(
        {"label": labels[is_site], "block": unit_block[is_site], "area": unit_area[is_site], "load": unit_load[is_site]}
    )
    pieces = frame.groupby(["label", "block"], sort=True)[["area", "load"]].sum().reset_index()
    site_area = pieces.groupby("label")["area"].transform("sum")
    largest = pieces.sort_values(["label", "area", "block"], ascending=[True, False, True]).drop_duplicates("label")
    main_block = pieces["label"].map(largest.set_index("label")["block"])
    sliver = (
        (pieces["block"] != main_block)
        & (pieces["load"] <= 0)
        & (pieces["area"] < SITE_SLIVER_SHARE * site_area)
        & (pieces["area"] < SLIVER_BLOCK_M2)
    )
    for piece in pieces[sliver].itertuples():
        units = np.flatnonzero(is_site & (labels == piece.label) & (unit_block == piece.block))
        unit_block[units] = main_block[piece.Index]
        moved[units] = True
    return moved


def _join_detached_slivers(labels, unit_block, moved, weights, crossable, took) -> None:
    """Site slivers that do not touch the rest of their site join the neighbour they share most edge with.

    (A strip between tracks whose neighbours across them are homes, not the station.) Changes
    ``labels``, ``unit_block`` and ``took`` in place.
    """
    _, group = _groups(labels, unit_block, weights, crossable, took)
    anchored = np.zeros(group.max() + 1, dtype=bool)
    anchored[group[~moved]] = True
    detached = moved & ~anchored[group]
    if not detached.any():
        return
    before = labels[detached]
    labels[detached] = -1
    flooded, carried = _flood(labels, weights, unit_block, sources=~detached & (labels >= 0), carry_block=True)
    got = detached & (flooded >= 0)
    labels[got], unit_block[got] = flooded[got], carried[got]
    lonely = detached & ~got  # no labelled neighbour at all: it stays a piece of its site
    labels[lonely] = before[~got[detached]]
    took |= got


def first_face_site(built, unit_face) -> np.ndarray:
    """Site index of each unit's face."""
    return built["face_site"][np.maximum(unit_face, 0)]


def _crossable(units, adjacency, major):
    """Shared lengths between units that do not lie on a major barrier (more than 1 m of them)."""
    length = adjacency["length"]
    if not len(major):
        return length
    on_major = unit_adjacency(units, np.zeros(len(units), dtype=np.int64), major, np.array([], dtype=object))["strong"]
    free = (length - on_major).tocsr()
    free.data[free.data <= 1.0] = 0
    free.eliminate_zeros()
    return free
