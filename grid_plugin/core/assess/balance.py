"""Which grids are balanced by households, and against which target: one rule for ``validate``,
``assess`` and partitionbytype's self-check.

Without grid types every grid is balanced at the run's target and tolerance. With a ``grid_type`` per
grid, only the household types are (the rule table's rows whose ``load_rule`` is ``households`` —
residential and village in the shipped table — plus ``mixed`` and ``unknown``); a site or land grid
(campus, station, farmland …) is not balanced by households, whatever it holds. A residential grid is
measured against the run's target and tolerance; another household type against its row's
``target_load`` and ``tolerance`` when the row gives them, else against the run's too.

Examples
--------
>>> balanced, targets, tolerances = household_targets(["residential", "village", "crowded", None], None, 300, 0.2)
>>> balanced.tolist(), targets.tolist(), tolerances.tolist()
([True, True, False, True], [300.0, 300.0, 300.0, 300.0], [0.2, 0.2, 0.2, 0.2])
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["DEFAULT_HOUSEHOLD_TYPES", "household_targets", "household_types"]

#: The household types without a rule table.
DEFAULT_HOUSEHOLD_TYPES = ("residential", "village", "mixed", "unknown")


def household_types(rules) -> tuple[str, ...]:
    """The grid types balanced by households: the rule table's ``households`` rows, ``mixed`` and ``unknown``."""
    if rules is None:
        return DEFAULT_HOUSEHOLD_TYPES
    types = {r.grid_type for r in rules.rules if r.load_rule == "households"}
    return tuple(sorted(types | {"mixed", "unknown"}))


def household_targets(grid_types, rules, target_load: float, tolerance: float):
    """Per grid: balanced by households (bool array), the target and the tolerance that apply to it."""
    types = pd.Series(list(grid_types), dtype=object)
    types = types.where(types.notna() & (types.astype(str) != ""), "unknown").astype(str).to_numpy()
    balanced = np.isin(types, household_types(rules))
    targets = np.full(len(types), float(target_load))
    tolerances = np.full(len(types), float(tolerance))
    for rule in rules.rules if rules is not None else ():
        if rule.load_rule != "households" or rule.role == "residential":
            continue  # the residential row's target and tolerance are the defaults of the run's
        of_type = types == rule.grid_type
        if rule.target_load:
            targets[of_type] = float(rule.target_load)
        if rule.tolerance is not None:
            tolerances[of_type] = float(rule.tolerance)
    return balanced, targets, tolerances
