"""Floors of a building: one default shared by every step that needs them.

``estimatehouseholds`` (floor area → households) and ``classify`` (floor-area shares, floor-area
ratio) both read a building's floors here, so a building without a floor count has the same floors
in both: :data:`DEFAULT_FLOORS`, or :data:`LOW_RISE_FLOORS` for the low-rise types.

Examples
--------
>>> import pandas as pd
>>> building_floors(pd.Series([6, None, None, -1]), pd.Series(["apartments", "house", "yes", "yes"])).tolist()
[6.0, 1.0, 2.0, 2.0]
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

__all__ = ["DEFAULT_FLOORS", "LOW_RISE_FLOORS", "building_floors"]

#: Floors of a building whose floor count is missing and whose type is not low-rise (one setting, read
#: by estimatehouseholds and classify alike).
DEFAULT_FLOORS = 2.0
#: Floors of low-rise building types (the raw ``building=*`` tag) without a floor count.
LOW_RISE_FLOORS: dict[str, float] = {
    "house": 1.0,
    "detached": 1.0,
    "bungalow": 1.0,
    "semidetached_house": 1.0,
    "farm": 1.0,
}


def building_floors(
    levels: pd.Series | None,
    kinds: pd.Series | None = None,
    *,
    default_floors: float = DEFAULT_FLOORS,
    floors_by_type: Mapping[str, float] | None = None,
) -> pd.Series:
    """Floors per building: ``levels`` where a positive number, else by type, else ``default_floors``.

    ``levels`` may hold text (not a number → missing); ``kinds`` are raw building tags, compared
    without case or surrounding spaces. ``floors_by_type`` defaults to :data:`LOW_RISE_FLOORS`.
    """
    index = levels.index if levels is not None else (kinds.index if kinds is not None else None)
    if levels is None:
        numbers = pd.Series(np.nan, index=index, dtype=float)
    else:
        numbers = pd.to_numeric(levels, errors="coerce").astype(float)
        numbers = numbers.where(numbers > 0)
    table = {
        str(k).strip().lower(): float(v)
        for k, v in (LOW_RISE_FLOORS if floors_by_type is None else floors_by_type).items()
    }
    if kinds is not None and table:
        kind = kinds.astype(object).where(kinds.notna(), "").astype(str).str.strip().str.lower()
        numbers = numbers.fillna(kind.map(table).astype(float))
    return numbers.fillna(float(default_floors))
