"""The decision order of the classifier: the first rule that fires decides a grid's type.

1. ``site`` — a specialised site covers at least ``site_share`` of the grid.
2. ``crowded`` — crowded places (stations, stadiums, markets, places of worship: land use or buildings)
   cover at least ``crowded_min_share`` of the grid's area or floor area, and the crowded-place POIs
   confirm it (score at least ``crowded_min_score``). POIs alone are no evidence.
3. ``village`` — built up, housing holds at least ``building_share`` of the floor area, the housing is
   rural in kind (farm/rural types, or low-rise at a low density) *and the settlement is rural*
   (:mod:`.context`: the parent's 城乡分类代码, else open surroundings). Low-rise housing in a town is
   residential.
4. ``buildings`` — one building class holds at least ``building_share`` of the floor area.
5. ``water`` — pond and water (or tidal flat) cover at least ``dominant_share`` of the grid.
6. ``mountain`` — mean slope and relief above their thresholds.
7. ``land_use`` / ``settlement`` — one class covers ``dominant_share`` of the mapped land (settlement
   land typed village or residential by the same rural test). A grid holding households above
   ``land_max_households_share`` × ``target_load`` is never typed as land (rules 5–7): it is a
   settlement (``populated``).
8. ``sparse``, ``mixed``, ``no_data``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .context import populated
from .evidence import BUILDING_CLASSES, BUILDING_INDEX, LAND_CLASSES, LAND_INDEX

__all__ = ["SITE_CLASSES", "LAND_TYPES", "Decision", "decide"]

#: Specialised sites that type a grid as soon as they cover ``site_share`` of it (rule 1).
SITE_CLASSES: tuple[str, ...] = ("crowded", "enterprise", "scenic", "industrial", "commercial")
#: Grid types of open land: never given to a grid holding many households.
LAND_TYPES = frozenset({"farmland", "forest", "water", "mountain", "tidal_flat"})


def _pct(x) -> float:
    return round(float(x) * 100.0, 1)


class Decision:
    """The type, rule, readable parameters and dominant class of every grid, filled rule by rule."""

    def __init__(self, n: int, usable: np.ndarray):
        self.usable = usable
        self.types = np.full(n, None, dtype=object)
        self.rules = np.full(n, None, dtype=object)
        self.params: list = [None] * n
        self.basis = np.full(n, "area", dtype=object)
        self.dominant = np.full(n, None, dtype=object)
        self.dominant_share = np.zeros(n)

    def assign(self, mask, code, rule, make_params, basis="area", cls_share=None):
        """Give every still-open grid of ``mask`` the type ``code`` (one code or one per grid)."""
        mask = mask & pd.isna(self.types) & self.usable
        for i in np.flatnonzero(mask):
            c = str(code[i]) if isinstance(code, np.ndarray) else code
            self.types[i], self.rules[i], self.params[i], self.basis[i] = c, rule, make_params(i, c), basis
            if cls_share is not None:
                name, value = cls_share(i, c)
                self.dominant[i], self.dominant_share[i] = (None if name is None else str(name)), float(value)


class _Measures:
    """Derived per-grid numbers the rules read."""

    def __init__(self, ev, t):
        floor = ev.floor
        self.floor_total = floor.sum(axis=1)
        self.floor_share = floor / np.where(self.floor_total > 0, self.floor_total, 1.0)[:, None]
        self.far = self.floor_total / ev.areas
        res, vil = BUILDING_INDEX["residential"], BUILDING_INDEX["village"]
        self.housing_floor = floor[:, res] + floor[:, vil]
        housing_fp = ev.footprint[:, res] + ev.footprint[:, vil]
        with np.errstate(invalid="ignore", divide="ignore"):
            self.housing_levels = np.where(housing_fp > 0, self.housing_floor / housing_fp, np.nan)
        self.housing_share = self.housing_floor / np.where(self.floor_total > 0, self.floor_total, 1.0)
        self.built = (self.floor_total >= t.min_floor_area_m2) & (self.far >= t.min_built_far)
        typed_rural = (floor[:, vil] >= floor[:, res]) & (self.housing_floor > 0)
        low_rise = (self.far <= t.village_max_far) & (
            np.nan_to_num(self.housing_levels, nan=np.inf) <= t.village_max_levels
        )
        self.rural_housing = (typed_rural | low_rise) & ev.rural
        self.populated = populated(ev.households, t.target_load, t.land_max_households_share)
        crowded_land = ev.land_share[:, LAND_INDEX["crowded"]]
        crowded_floor = self.floor_share[:, BUILDING_INDEX["crowded"]]
        self.crowded_share = np.maximum(crowded_land, np.where(self.built, crowded_floor, 0.0))


def _site_and_crowded(d, ev, m, t, area_dominant):
    site_cols = [LAND_INDEX[c] for c in SITE_CLASSES]
    site_best = np.array(SITE_CLASSES, dtype=object)[np.argmax(ev.land_share[:, site_cols], axis=1)]
    site_value = ev.land_share[:, site_cols].max(axis=1)
    d.assign(
        site_value >= t.site_share,
        site_best,
        "site",
        lambda i, c: {"cls": c, "pct": _pct(site_value[i]), "min": _pct(t.site_share)},
        cls_share=lambda i, c: (c, site_value[i]),
    )
    d.assign(
        (m.crowded_share >= t.crowded_min_share) & (ev.crowded_score >= t.crowded_min_score) & (ev.crowded_score > 0),
        "crowded",
        "crowded_pois",
        lambda i, c: {
            "pct": _pct(m.crowded_share[i]),
            "min_pct": _pct(t.crowded_min_share),
            "n": int(ev.n_crowded[i]),
            "score": round(float(ev.crowded_score[i]), 1),
            "min": t.crowded_min_score,
        },
        cls_share=lambda i, c: ("crowded", m.crowded_share[i]),
    )


def _village_and_buildings(d, ev, m, t, n):
    d.assign(
        m.built & (m.housing_share >= t.building_share) & m.rural_housing,
        "village",
        "village",
        lambda i, c: {
            "pct": _pct(m.housing_share[i]),
            "far": round(float(m.far[i]), 3),
            "levels": round(float(m.housing_levels[i]), 1),
        },
        basis="floor",
        cls_share=lambda i, c: ("village", m.housing_share[i]),
    )
    merged = m.floor_share.copy()
    merged[:, BUILDING_INDEX["residential"]] += merged[:, BUILDING_INDEX["village"]]
    merged[:, BUILDING_INDEX["village"]] = 0.0
    merged[:, BUILDING_INDEX["unknown"]] = 0.0
    best_idx = np.argmax(merged, axis=1)
    best = np.array(BUILDING_CLASSES, dtype=object)[best_idx]
    value = merged[np.arange(n), best_idx]
    d.assign(
        m.built & (value >= t.building_share),
        best,
        "buildings",
        lambda i, c: {"cls": c, "pct": _pct(value[i]), "min": _pct(t.building_share)},
        basis="floor",
        cls_share=lambda i, c: (c, value[i]),
    )


def _water_and_mountain(d, ev, m, t, area_dominant):
    for code in ("water", "tidal_flat"):
        share = ev.land_share[:, LAND_INDEX[code]]
        d.assign(
            (share >= t.dominant_share) & ~m.populated,
            code,
            "water",
            lambda i, c, share=share: {"cls": c, "pct": _pct(share[i]), "min": _pct(t.dominant_share)},
            cls_share=lambda i, c, share=share: (c, share[i]),
        )
    if ev.dem is None:
        return
    slope, relief = ev.dem["slope_mean_deg"].to_numpy(), ev.dem["relief_m"].to_numpy()
    steep = (np.nan_to_num(slope, nan=-1) >= t.mountain_slope_deg) & (
        np.nan_to_num(relief, nan=-1) >= t.mountain_relief_m
    )
    d.assign(
        steep & ~m.populated,
        "mountain",
        "mountain",
        lambda i, c: {
            "slope": round(float(slope[i]), 1),
            "relief": round(float(relief[i]), 0),
            "min_slope": t.mountain_slope_deg,
            "min_relief": t.mountain_relief_m,
        },
        cls_share=area_dominant,
    )


def _land_use(d, ev, m, t, n, overlap):
    ls = ev.land_share
    mapped = np.maximum(ev.land_cover_total, 1e-12)
    settle = ls / mapped[:, None] if overlap == "priority" else ls / np.maximum(ls.sum(axis=1), 1e-12)[:, None]
    settle[:, LAND_INDEX["residential"]] += settle[:, LAND_INDEX["village"]]
    settle[:, LAND_INDEX["village"]] = 0.0
    best_idx = np.argmax(settle, axis=1)
    value = settle[np.arange(n), best_idx]
    best = np.array(LAND_CLASSES, dtype=object)[best_idx]
    village_land = ls[:, LAND_INDEX["village"]] >= ls[:, LAND_INDEX["residential"]]
    rural_land = np.where(m.floor_total > 0, m.rural_housing, village_land & ev.rural)
    settlement_type = np.where(rural_land, "village", "residential")
    passes = (ev.land_cover_total >= t.min_cover_share) & (value >= t.dominant_share)
    d.assign(
        passes & (best == "residential"),
        settlement_type,
        "settlement",
        lambda i, c: {"cls": c, "pct": _pct(value[i]), "far": round(float(m.far[i]), 3)},
        cls_share=lambda i, c: (c, value[i]),
    )
    d.assign(
        passes & (best == "unknown"),
        "unknown",
        "unmapped",
        lambda i, c: {"pct": _pct(value[i])},
        cls_share=lambda i, c: ("unknown", value[i]),
    )
    d.assign(
        m.populated & passes & np.isin(best, list(LAND_TYPES)),
        settlement_type,
        "populated",
        lambda i, c: {
            "cls": c,
            "land": best[i],
            "households": int(round(ev.households[i])),
            "min": int(t.target_load * t.land_max_households_share),
        },
        cls_share=lambda i, c: (c, value[i]),
    )
    d.assign(
        passes,
        best,
        "land_use",
        lambda i, c: {
            "cls": c,
            "pct": _pct(value[i]),
            "cover": _pct(min(ev.land_cover_total[i], 1.0)),
            "min": _pct(t.dominant_share),
        },
        cls_share=lambda i, c: (c, value[i]),
    )
    return passes


def decide(ev, t, overlap: str) -> tuple[Decision, _Measures]:
    """Type every grid of the evidence ``ev`` with the thresholds ``t`` (module docstring)."""
    n = ev.n
    d = Decision(n, ev.usable)
    m = _Measures(ev, t)

    def area_dominant(i, c):
        j = int(np.argmax(ev.land_share[i]))
        return LAND_CLASSES[j], ev.land_share[i, j]

    _site_and_crowded(d, ev, m, t, area_dominant)
    _village_and_buildings(d, ev, m, t, n)
    _water_and_mountain(d, ev, m, t, area_dominant)
    _land_use(d, ev, m, t, n, overlap)
    covered_enough = ev.land_cover_total >= t.min_cover_share
    d.assign(
        (ev.land_cover_total > 0) & ~covered_enough & (m.floor_total < t.min_floor_area_m2),
        "unknown",
        "sparse",
        lambda i, c: {"cover": _pct(ev.land_cover_total[i]), "min": _pct(t.min_cover_share)},
        cls_share=area_dominant,
    )
    evidence_found = (ev.land_cover_total > 0) | (m.floor_total > 0) | (ev.crowded_score > 0)
    d.assign(
        evidence_found,
        "mixed",
        "mixed",
        lambda i, c: {"cls": LAND_CLASSES[int(np.argmax(ev.land_share[i]))], "pct": _pct(ev.land_share[i].max())},
        cls_share=area_dominant,
    )
    d.assign(np.ones(n, dtype=bool), "unknown", "no_data", lambda i, c: {}, cls_share=lambda i, c: (None, 0.0))
    for i in np.flatnonzero(pd.isna(d.types)):  # grids without area
        d.types[i], d.rules[i], d.params[i] = "unknown", "no_data", {}
    return d, m
