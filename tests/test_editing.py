"""The Qt-free edit logic: reassign, contiguity and gap checks, undo, split, merge, rebalance, validation."""

from __future__ import annotations

import doctest

import numpy as np
import pytest
import shapely
from gridplanner.grid_plugin.core.editing import codes, geometry, model, plan_units, validation
from gridplanner.grid_plugin.core.editing.engine import (
    EditModel,
    EditRefused,
    next_codes,
    validate_grids,
)
from gridplanner.grid_plugin.core.editing.engine import rook_adjacency as unit_adjacency
from helpers import lattice_plan as _lattice_plan


def lattice_plan(*args, **kwargs):
    """The helper's plan without a CRS (the core needs none)."""
    return _lattice_plan(*args, crs=None, **kwargs)


def _model(plan=None, **kw):
    plan = plan or lattice_plan(12, 10, 4, 2)
    units = plan["units"]
    return EditModel(
        units.geometry.values,
        units["households"].to_numpy(),
        units["grid_id"].to_numpy(),
        unit_buildings=units["n_buildings"].to_numpy(),
        grid_names=list(plan["grids"]["grid_code"]),
        **kw,
    ), units


@pytest.mark.parametrize("module", [codes, geometry, model, plan_units, validation], ids=lambda m: m.__name__)
def test_doctests(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_adjacency_is_rook_not_queen():
    cells = [shapely.box(x, y, x + 1, y + 1) for x in range(3) for y in range(3)]
    adj = unit_adjacency(cells).toarray()
    assert adj.sum(axis=1).tolist() == [2, 3, 2, 3, 4, 3, 2, 3, 2]
    assert adj[0, 4] == 0  # corner contact only


def test_initial_stats_match_geometry_and_loads():
    model, units = _model()
    expected = np.bincount(units["grid_id"], weights=units["households"])
    assert np.array_equal(model.load, expected)
    assert (model.n_parts == 1).all()
    assert model.area_m2.sum() == pytest.approx(shapely.area(shapely.union_all(units.geometry.values)))


def test_reassign_updates_loads_exactly_and_only_changed_grids():
    model, units = _model()
    before = model.load.copy()
    src, tgt = 0, 2  # grid 0 covers i<3, j<5; grid 2 covers 3<=i<6, j<5
    unit = int(np.flatnonzero((units["grid_id"] == src) & (units.index // 10 == 2) & (units.index % 10 == 1))[0])
    applied = model.apply(model.plan_reassign([unit], tgt))
    moved = float(units["households"].iloc[unit])
    assert model.load[src] == before[src] - moved
    assert model.load[tgt] == before[tgt] + moved
    others = np.setdiff1d(np.arange(model.n_grids), [src, tgt])
    assert np.array_equal(model.load[others], before[others])
    assert sorted(applied.affected.tolist()) == [src, tgt]
    assert model.geoms[tgt].contains(shapely.point_on_surface(units.geometry.iloc[unit]))
    assert model.n_parts[src] == 1 and model.n_parts[tgt] == 1


def test_reassign_that_cuts_a_grid_is_refused_and_repair_takes_the_piece_along():
    # 6 x 3 units (index = 3 * column + row); grid 0 = columns 0-2, grid 1 = columns 3-5.
    model, units = _model(lattice_plan(6, 3, 2, 1))
    middle_row = [1, 4, 7]  # moving it leaves grid 0 as a top and a bottom row
    with pytest.raises(EditRefused, match="cut grid 440307001001 into 2 pieces"):
        model.plan_reassign(middle_row, 1)
    repaired = model.plan_reassign(middle_row, 1, repair=True)
    assert repaired.notes and set(middle_row) < set(repaired.units.tolist())
    before = model.load.sum()
    model.apply(repaired)
    assert model.n_parts.tolist() == [1, 1]
    assert model.load.sum() == before


def test_units_that_do_not_reach_the_target_are_refused_or_left_out():
    model, units = _model(lattice_plan(6, 3, 2, 1))
    with pytest.raises(EditRefused, match="not a neighbour"):
        model.plan_reassign([4], 1)  # column 1 does not touch column 3
    with pytest.raises(EditRefused, match="1 of the selected units do not touch grid 440307001002"):
        model.plan_reassign([7, 4, 0], 1)
    edit = model.plan_reassign([7, 4, 0], 1, repair=True)
    assert edit.units.tolist() == [4, 7]


def test_reassign_refusals_have_reasons():
    model, units = _model(lattice_plan(6, 3, 2, 1))
    with pytest.raises(EditRefused, match="leave grid 4403070010[0-9][0-9] empty"):
        model.plan_reassign(model.members(0), 1)
    with pytest.raises(EditRefused, match="another grid"):
        model.plan_reassign(model.members(1)[:1], 1)
    with pytest.raises(EditRefused, match="not a neighbour|do not touch"):
        model.plan_reassign([0], 1)  # column 0 is two columns away from grid 1
    with pytest.raises(EditRefused, match="does not exist"):
        model.plan_reassign([0], 7)


def test_gap_is_refused_when_grids_hold_land_outside_their_units():
    plan = lattice_plan(6, 3, 2, 1)
    units = plan["units"]
    grids = plan["grids"].geometry.values.copy()
    grids[0] = shapely.union(grids[0], shapely.box(499_990, 2_499_990, 500_000, 2_500_000))  # land without a unit
    model = EditModel(units.geometry.values, units["households"], units["grid_id"], grid_geoms=grids)
    with pytest.raises(EditRefused, match="gap"):
        model.apply(model.plan_reassign([8], 1))  # column 2 -> grid 1 redraws grid 0 from its units


def test_undo_and_redo_restore_exact_state():
    model, units = _model()
    geoms_before = model.geoms.copy()
    load_before = model.load.copy()
    labels_before = model.labels.copy()
    applied = model.apply(model.plan_split(3, 3))
    assert model.n_grids == 10
    model.revert(applied)
    assert np.array_equal(model.load[:8], load_before)
    assert np.array_equal(model.labels, labels_before)
    assert all(shapely.equals_exact(a, b, 0) for a, b in zip(model.geoms[:8], geoms_before))
    assert not model.alive[8:].any()
    model.reapply(applied)
    assert model.alive.sum() == 10 and model.load.sum() == pytest.approx(load_before.sum())


def test_split_gives_k_contiguous_balanced_parts():
    plan = lattice_plan(12, 10, 2, 1, seed=3)  # two grids of 60 units
    model, units = _model(plan, target_load=0.0, tolerance=0.1)
    total = model.load[0]
    applied = model.apply(model.plan_split(0, 3))
    parts = [0, *applied.created.tolist()]
    assert (model.n_parts[parts] == 1).all()
    assert model.n_units[parts].sum() == 60
    assert model.load[parts].sum() == total
    mean = total / 3
    assert np.abs(model.load[parts] - mean).max() <= 0.1 * mean  # the tolerance asked for


def test_merge_and_rebalance():
    model, units = _model()
    with pytest.raises(EditRefused, match="connected"):
        model.plan_merge([0, 7])
    total = model.load[0] + model.load[1]
    model.apply(model.plan_merge([0, 1]))
    assert model.load[0] == total and not model.alive[1] and model.n_parts[0] == 1
    model2, _ = _model(lattice_plan(12, 10, 4, 2, seed=5))
    # unbalance grids 0 and 2 by moving a column, then rebalance them back
    col = [u for u in model2.members(2) if u // 10 == 3]
    model2.apply(model2.plan_reassign(col, 0))
    spread_before = abs(model2.load[0] - model2.load[2])
    model2.apply(model2.plan_rebalance([0, 2]))
    assert abs(model2.load[0] - model2.load[2]) < spread_before
    assert model2.n_parts[[0, 2]].tolist() == [1, 1]


def test_validate_finds_pieces_overlaps_gaps_and_load():
    a = shapely.box(0, 0, 10, 10)
    b = shapely.box(9, 0, 20, 10)  # overlaps a by 10 m²
    c = shapely.MultiPolygon([shapely.box(30, 0, 40, 10), shapely.box(50, 0, 60, 10)])
    ring = shapely.box(100, 0, 130, 30).difference(shapely.box(110, 10, 120, 20))
    problems = validate_grids([a, b, c, ring], [400, 400, 700, 100], target_load=400, tolerance=0.2)
    text = {(p.grid, p.message) for p in problems}
    assert (0, "overlaps grid 1 by 10.0 m²") in text
    assert (2, "in 2 pieces") in text
    assert (2, "load 75% over target") in text
    assert (3, "load 75% under target") in text
    assert (3, "borders a gap of 100 m²") in text
    assert not any(p.grid == 1 and "load" in p.message for p in problems)


def test_next_codes():
    assert next_codes(["440307001001", "440307001008"], "440307001003", 2) == ["440307001009", "440307001010"]
    # a 15-digit grid code: the next serials under its own 12-digit parent, never another parent's
    plan = ["440307015001003", "440307015001011", "440307015002020"]
    assert next_codes(plan, "440307015001003", 2) == ["440307015001012", "440307015001013"]


def _reference_adjacency(geoms):
    """Brute force: 10 cm of boundary within 1 mm (overlay rounding leaves slivers), or overlapping interiors."""
    n = len(geoms)
    adj = np.zeros((n, n), dtype=int)
    for a in range(n):
        for b in range(a + 1, n):
            shared = shapely.intersection(geoms[a].boundary, geoms[b].boundary.buffer(1e-3)).length
            overlap = shapely.intersection(geoms[a], geoms[b]).area
            adj[a, b] = adj[b, a] = int(shared > 0.1 or overlap > 1e-9)
    return adj


@pytest.mark.filterwarnings("ignore:invalid value encountered in intersection:RuntimeWarning")  # brute force only
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_fast_adjacency_matches_brute_force_with_t_junctions(seed):
    units = lattice_plan(6, 5, 1, 1, seed=seed)["units"].geometry.values
    rng = np.random.default_rng(seed)
    geoms = list(units)
    # split some units in two (new vertices on edges their neighbours do not have: T-junctions)
    for idx in rng.choice(len(units), size=6, replace=False):
        poly = geoms[idx]
        minx, miny, maxx, maxy = poly.bounds
        cut = shapely.box(minx - 1, miny - 1, (minx + maxx) / 2, maxy + 1)
        geoms[idx] = shapely.intersection(poly, cut)
        geoms.append(shapely.difference(poly, cut))
    geoms.append(shapely.box(499_000, 2_499_000, 499_010, 2_499_010))  # isolated
    geoms = np.array(geoms, dtype=object)
    assert np.array_equal(unit_adjacency(geoms).toarray(), _reference_adjacency(geoms))


def test_messages_name_grids_by_code_never_by_position():
    """Every refusal and note names the grid by its code (the panel showed "网格 3" for 440307001004)."""
    model, _units = _model(lattice_plan(6, 3, 2, 1))
    codes = set(model.names)
    texts = []
    for plan in (
        lambda: model.plan_reassign([1, 4, 7], 1),
        lambda: model.plan_reassign([0, 1, 2, 3, 4, 5, 6, 7, 8], 1),
        lambda: model.plan_reassign([0], 1),
        lambda: model.plan_split(0, 20),
    ):
        with pytest.raises(EditRefused) as refusal:
            plan()
        texts.append(str(refusal.value))
    notes = model.plan_reassign([1, 4, 7], 1, repair=True).notes
    texts += [template.format(**params) for template, params in notes]
    for text in texts:
        named = [word for word in text.replace(";", " ").replace(",", " ").split() if word.isdigit()]
        grids = [word for word in named if len(word) == 12]
        assert grids and set(grids) <= codes, text
    # without names, a grid is #position (1-based), never the bare internal index
    bare = EditModel(*(np.asarray(v) for v in ([shapely.box(x, 0, x + 1, 1) for x in range(2)], [1, 1], [0, 1])))
    with pytest.raises(EditRefused, match="grid #1 empty"):
        bare.plan_reassign([0], 1)


def test_units_for_a_plan_without_units_stay_inside_their_grids():
    plan = lattice_plan(8, 6, 2, 2, seed=3)
    grids, buildings = plan["grids"], plan["buildings"]
    built = plan_units.units_for_plan(
        grids.geometry.values, buildings.geometry.values, buildings["households"].to_numpy(), target_load=60
    )
    units, unit_grid = built["units"], built["unit_grid"]
    for g, outline in enumerate(grids.geometry.values):
        union = shapely.union_all(units[unit_grid == g])
        assert shapely.area(shapely.symmetric_difference(outline, union)) < 0.01
        assert built["unit_load"][unit_grid == g].sum() == grids["load"].iloc[g]
    # heavy grids were cut into building cells (one per building), so there is something to move
    assert len(units) > len(grids) and built["unit_buildings"].max() >= 1
    model = EditModel(units, built["unit_load"], unit_grid, grid_names=list(grids["grid_code"]))
    assert np.allclose(model.load, grids["load"].to_numpy())
    assert (model.n_parts == 1).all()


def test_multipolygon_units_are_matched_through_their_parts():
    """Units read from a GeoPackage are often MultiPolygons; they must have neighbours all the same."""
    cells = [shapely.box(x, 0, x + 1, 1) for x in range(3)]
    multi = [shapely.MultiPolygon([c]) for c in cells]
    assert np.array_equal(unit_adjacency(multi).toarray(), unit_adjacency(cells).toarray())
    assert unit_adjacency(multi).toarray().tolist() == [[0, 1, 0], [1, 0, 1], [0, 1, 0]]
    # a unit of two parts touches both of its neighbours' sides
    two = shapely.MultiPolygon([shapely.box(0, 0, 1, 1), shapely.box(2, 0, 3, 1)])
    assert unit_adjacency([two, shapely.box(1, 0, 2, 1)]).toarray().tolist() == [[0, 1], [1, 0]]
