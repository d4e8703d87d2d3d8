"""Grid adjacency, Getis–Ord Gi* and false-discovery-rate hot/cold spot classes.

Weights are binary contiguity weights built from shared grid boundaries:

- ``queen``: two grids are neighbours when their boundaries touch at all (a shared corner is enough);
- ``rook``: when they share a boundary segment of positive length (more than ``tolerance``).

Gi* (Getis & Ord 1992; Ord & Getis 1995) includes each grid itself (``w_ii = 1``)::

    Gi*_z = (Σ_j w_ij x_j − x̄ W_i) / (S · sqrt((n S1_i − W_i²) / (n − 1)))

with ``W_i = Σ_j w_ij``, ``S1_i = Σ_j w_ij²``, ``x̄`` the mean and ``S`` the population standard
deviation of ``x`` over all ``n`` grids. For binary weights this is exactly PySAL esda's
``G_Local(y, w, transform="B", star=True).Zs`` (a test checks it). p-values are two-sided under the
normal approximation. Significance is decided with the Benjamini–Hochberg false-discovery-rate
procedure at α = 0.10, 0.05 and 0.01 (90/95/99 % confidence), as ArcGIS's Hot Spot Analysis does
with its FDR option: a grid's class is ±3 when significant at 99 %, ±2 at 95 %, ±1 at 90 %, else 0;
the sign is the sign of z (hot = +, cold = −).

Examples
--------
>>> import shapely
>>> cells = [shapely.box(i, j, i + 1, j + 1) for j in range(3) for i in range(3)]
>>> weights = contiguity_weights(cells, "rook")
>>> int(weights.sum()), int(weights[4].sum())  # 12 shared edges counted both ways; the centre cell has 4
(24, 4)
"""

from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp
import shapely
from scipy.stats import norm

from ..errors import N_

__all__ = [
    "CONFIDENCE_LEVELS",
    "HOTSPOT_CLASSES",
    "contiguity_weights",
    "getis_ord_gi_star",
    "benjamini_hochberg",
    "bh_adjusted",
    "hotspot_classes",
    "hotspot_label",
]

#: (class magnitude, alpha) from the strictest level down.
CONFIDENCE_LEVELS = ((3, 0.01), (2, 0.05), (1, 0.10))

#: Class code → English label (translated with tr() on the QGIS side; zh_CN in i18n/zh_CN/incidents.json).
HOTSPOT_CLASSES = {
    3: N_("Hot spot, 99% confidence"),
    2: N_("Hot spot, 95% confidence"),
    1: N_("Hot spot, 90% confidence"),
    0: N_("Not significant"),
    -1: N_("Cold spot, 90% confidence"),
    -2: N_("Cold spot, 95% confidence"),
    -3: N_("Cold spot, 99% confidence"),
}


def contiguity_weights(geometries, kind: str = "queen", tolerance: float = 0.0) -> sp.csr_matrix:
    """Binary contiguity weights (no self-neighbours) between polygons from shared boundaries.

    Parameters
    ----------
    geometries : array-like of shapely polygons
    kind : {"queen", "rook"}
    tolerance : float
        Map units. Polygons closer than this count as touching (slivers between digitised grids);
        for ``rook`` the shared boundary must be longer than ``max(3·tolerance, 1e-9)``.

    Returns
    -------
    scipy.sparse.csr_matrix of float, symmetric, zero diagonal
    """
    geoms = np.asarray(geometries, dtype=object)
    n = len(geoms)
    if n == 0:
        return sp.csr_matrix((0, 0))
    tree = shapely.STRtree(geoms)
    if tolerance > 0:
        left, right = tree.query(geoms, predicate="dwithin", distance=tolerance)
    else:
        left, right = tree.query(geoms, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    if kind == "rook" and len(left):
        boundaries = shapely.boundary(geoms)
        if tolerance > 0:
            shared = shapely.intersection(boundaries[left], shapely.buffer(boundaries[right], tolerance))
            length = shapely.length(shared)
        else:
            length = shapely.length(shapely.intersection(boundaries[left], boundaries[right]))
        ok = length > max(tolerance * 3.0, 1e-9)  # a corner within tolerance gives < 2·√2·tolerance
        left, right = left[ok], right[ok]
    elif kind not in ("queen", "rook"):
        raise ValueError(f"unknown contiguity {kind!r}")
    rows = np.concatenate([left, right])
    cols = np.concatenate([right, left])
    return sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))


def getis_ord_gi_star(values, weights: sp.spmatrix) -> tuple[np.ndarray, np.ndarray]:
    """Gi* z-scores and two-sided normal p-values; self weight 1 is added to ``weights``.

    Returns zeros (and p = 1) when all values are equal (no variation to test).
    """
    x = np.asarray(values, dtype=float)
    n = len(x)
    w_star = sp.csr_matrix(weights, dtype=float).tolil()
    w_star.setdiag(1.0)
    w_star = w_star.tocsr()
    mean = x.mean() if n else 0.0
    std = math.sqrt(max(float(np.mean(x**2) - mean**2), 0.0)) if n else 0.0
    if n < 2 or std <= 1e-12 * max(1.0, abs(mean)):
        return np.zeros(n), np.ones(n)
    wi = np.asarray(w_star.sum(axis=1)).ravel()
    s1 = np.asarray(w_star.multiply(w_star).sum(axis=1)).ravel()
    numerator = w_star @ x - mean * wi
    spread = (n * s1 - wi**2) / (n - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = numerator / (std * np.sqrt(spread))
    z = np.where(spread > 0, z, 0.0)
    p = 2.0 * norm.sf(np.abs(z))
    return z, p


def benjamini_hochberg(p_values, alpha: float) -> np.ndarray:
    """Boolean mask of tests significant under the Benjamini–Hochberg FDR procedure at ``alpha``."""
    p = np.asarray(p_values, dtype=float)
    m = len(p)
    if m == 0:
        return np.zeros(0, dtype=bool)
    order = np.argsort(p, kind="mergesort")
    ranked = p[order]
    below = ranked <= alpha * np.arange(1, m + 1) / m
    if not below.any():
        return np.zeros(m, dtype=bool)
    cutoff = ranked[np.nonzero(below)[0].max()]
    return p <= cutoff


def bh_adjusted(p_values) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (q-values): significant at α exactly where q ≤ α."""
    p = np.asarray(p_values, dtype=float)
    m = len(p)
    if m == 0:
        return p.copy()
    order = np.argsort(p, kind="mergesort")
    scaled = p[order] * m / np.arange(1, m + 1)
    q_sorted = np.minimum.accumulate(scaled[::-1])[::-1]
    q = np.empty(m)
    q[order] = np.minimum(q_sorted, 1.0)
    return q


def hotspot_classes(z, p) -> np.ndarray:
    """Hot/cold spot class per grid (−3…3) with FDR correction at 90/95/99 % confidence."""
    z = np.asarray(z, dtype=float)
    classes = np.zeros(len(z), dtype=np.int64)
    for magnitude, alpha in reversed(CONFIDENCE_LEVELS):  # weakest first, stricter levels overwrite
        significant = benjamini_hochberg(p, alpha)
        classes[significant] = magnitude
    return classes * np.where(z < 0, -1, 1)


def hotspot_label(code: int) -> str:
    """English label (a translatable template) of a hot/cold spot class."""
    return HOTSPOT_CLASSES[int(code)]
