"""Hand edits of a grid plan: the editing engine's public names in one place.

The engine lives in modules by job: :mod:`.model` (the editable plan: reassign, split, merge, rebalance,
undo), :mod:`.geometry` (the unit graph, unions, compactness), :mod:`.validation` (problems of a plan),
:mod:`.codes` (codes for new grids) and :mod:`.plan_units` (units built on the fly for a plan that has
none). Import from here or from those modules.
"""

from __future__ import annotations

from .codes import next_codes
from .geometry import AREA_EPS_M2, polsby_popper, rook_adjacency, union_units
from .model import AppliedEdit, Edit, EditModel, EditRefused, partition_units
from .plan_units import units_for_plan
from .validation import GridProblem, validate_grids

__all__ = [
    "AREA_EPS_M2",
    "AppliedEdit",
    "Edit",
    "EditModel",
    "EditRefused",
    "GridProblem",
    "next_codes",
    "partition_units",
    "polsby_popper",
    "rook_adjacency",
    "union_units",
    "units_for_plan",
    "validate_grids",
]
