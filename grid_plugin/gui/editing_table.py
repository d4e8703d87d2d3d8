"""The grid table of the editing panel (live load, deviation colours, problems) and the background validation."""

from __future__ import annotations

import time

import numpy as np
import shapely
from qgis.core import QgsTask
from qgis.PyQt.QtCore import QAbstractTableModel, QModelIndex, Qt
from qgis.PyQt.QtGui import QBrush, QColor

from ..core.editing.geometry import union_units
from ..core.editing.validation import validate_grids
from ..core.errors import Cancelled, Report
from ..core.grid_types import GRID_TYPES_BY_CODE
from ..i18n import tr, user_locale

__all__ = ["OK_COLOUR", "NEAR_COLOUR", "BAD_COLOUR", "deviation_colour", "GridTableModel", "ValidationTask"]

_ROOT = QModelIndex()
OK_COLOUR = QColor("#c8e6c9")
NEAR_COLOUR = QColor("#fff3b0")
BAD_COLOUR = QColor("#f4b6b6")


def deviation_colour(deviation_pct: float, tolerance: float) -> QColor:
    """Green within half the tolerance, yellow within it, red beyond."""
    limit = tolerance * 100.0
    value = abs(deviation_pct)
    if value <= limit / 2 + 1e-9:
        return OK_COLOUR
    if value <= limit + 1e-9:
        return NEAR_COLOUR
    return BAD_COLOUR


class GridTableModel(QAbstractTableModel):
    """One row per live grid of the session; cells read the model's arrays (no copies)."""

    CODE, TYPE, LOAD, DEVIATION, AREA, COMPACTNESS, PROBLEMS = range(7)
    SORT_ROLE = Qt.ItemDataRole.UserRole + 1
    GRID_ROLE = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent=None):
        super().__init__(parent)
        self.session = None  # an EditSession
        self.rows: list[int] = []
        self.row_of: dict[int, int] = {}
        self.problems: dict[int, list[str]] = {}
        self.errors: set[int] = set()
        self.zh = user_locale().startswith("zh")

    def headers(self):
        """Column titles."""
        return [
            tr("Code"),
            tr("Type"),
            tr("Load"),
            tr("Deviation %"),
            tr("Area (ha)"),
            tr("Compactness"),
            tr("Problems"),
        ]

    def set_session(self, session):
        """Show the grids of ``session`` (or nothing)."""
        self.beginResetModel()
        self.session = session
        self._rebuild_rows()
        self.endResetModel()

    def _rebuild_rows(self):
        self.rows = [] if self.session is None else np.flatnonzero(self.session.model.alive).tolist()
        self.row_of = {g: r for r, g in enumerate(self.rows)}

    def reset_rows(self):
        """Grids were added or removed."""
        self.beginResetModel()
        self._rebuild_rows()
        self.endResetModel()

    def grids_changed(self, grids):
        """Refresh the rows of ``grids`` (O(changed grids))."""
        if any(int(g) not in self.row_of and self.session.model.alive[int(g)] for g in grids):
            self.reset_rows()
            return
        last = self.columnCount() - 1
        for g in grids:
            row = self.row_of.get(int(g))
            if row is not None:
                self.dataChanged.emit(self.index(row, 0), self.index(row, last))

    def refresh_all(self):
        """Every row changed (new target or tolerance)."""
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, self.columnCount() - 1))

    def set_problems(self, problems: dict, errors: set):
        """Show validation problems (grid → messages)."""
        self.problems = problems
        self.errors = errors
        if self.rows:
            self.dataChanged.emit(self.index(0, self.PROBLEMS), self.index(len(self.rows) - 1, self.PROBLEMS))

    def rowCount(self, parent=_ROOT):  # noqa: N802
        """Live grids."""
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=_ROOT):  # noqa: N802
        """Seven columns."""
        return 0 if parent.isValid() else 7

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        """Column titles and tooltips."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section]
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.ToolTipRole
            and section == self.COMPACTNESS
        ):
            return tr("Polsby–Popper compactness 4πA/P² (1 = circle)")
        return None

    def _type_label(self, code: str) -> str:
        kind = GRID_TYPES_BY_CODE.get(code)
        if kind is None:
            return code
        return kind.zh if self.zh else kind.en

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        """Cell text, sort keys, colours."""
        if not index.isValid() or self.session is None:
            return None
        g = self.rows[index.row()]
        model = self.session.model
        col = index.column()
        if role == self.GRID_ROLE:
            return g
        if role in (Qt.ItemDataRole.DisplayRole, self.SORT_ROLE):
            sort = role == self.SORT_ROLE
            if col == self.CODE:
                return self.session.grid_label(g)
            if col == self.TYPE:
                return self._type_label(self.session.types[g])
            if col == self.LOAD:
                return float(model.load[g]) if sort else f"{model.load[g]:.0f}"
            if col == self.DEVIATION:
                dev = float(model.deviation_pct[g])
                return dev if sort else f"{dev:+.1f}"
            if col == self.AREA:
                return float(model.area_m2[g]) if sort else f"{model.area_m2[g] / 10_000:.2f}"
            if col == self.COMPACTNESS:
                pp = float(model.polsby_popper[g])
                return pp if sort else f"{pp:.2f}"
            if col == self.PROBLEMS:
                items = self.problems.get(g, [])
                return len(items) if sort else "; ".join(items)
        if role == Qt.ItemDataRole.BackgroundRole and col == self.DEVIATION:
            return QBrush(deviation_colour(float(model.deviation_pct[g]), model.tolerance))
        if role == Qt.ItemDataRole.ForegroundRole and col == self.PROBLEMS and g in self.errors:
            return QBrush(QColor("#b00020"))
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (
            self.LOAD,
            self.DEVIATION,
            self.AREA,
            self.COMPACTNESS,
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and col == self.PROBLEMS:
            return "\n".join(self.problems.get(g, [])) or None
        return None


class _TaskReport(Report):
    def __init__(self, task):
        super().__init__()
        self.task = task

    def is_cancelled(self) -> bool:
        return self.task.isCanceled()


class ValidationTask(QgsTask):
    """Validate the plan in the background; the inputs are immutable snapshots (shapely, numpy)."""

    def __init__(self, geoms, loads, alive, target_load, tolerance, unit_groups=None):
        super().__init__(tr("Grid Planner: validating grids"), QgsTask.Flag.CanCancel)
        self.inputs = (geoms, loads, alive, target_load, tolerance, unit_groups)
        self.problems = None
        self.seconds = 0.0

    def run(self):
        """Run :func:`validate_grids` (worker thread: no layer access here)."""
        geoms, loads, alive, target_load, tolerance, unit_groups = self.inputs
        start = time.perf_counter()
        unit_unions = None
        if unit_groups is not None:  # (unit geometries, members per grid): outlines to compare with
            unit_geoms, members = unit_groups
            unit_unions = np.empty(len(members), dtype=object)
            for g, m in enumerate(members):
                if self.isCanceled():
                    return False
                unit_unions[g] = union_units(unit_geoms[m]) if len(m) else shapely.Polygon()
        try:
            self.problems = validate_grids(
                geoms,
                loads,
                alive=alive,
                target_load=target_load,
                tolerance=tolerance,
                unit_unions=unit_unions,
                report=_TaskReport(self),
            )
        except Cancelled:
            return False
        self.seconds = time.perf_counter() - start
        return True
