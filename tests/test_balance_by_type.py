"""Balance on a plan with grid types: only household grids are balanced, each against its type's target.

validate and assess measure a by-type plan as partitionbytype built it: a station, a campus or farmland
holding no households is no load problem; a village is measured against the village row's target and
tolerance (the run's target unless the rule table sets one), never the residential row's.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from gridplanner.grid_plugin.core.assess.balance import household_targets
from gridplanner.grid_plugin.core.assess.scorecard import assess
from gridplanner.grid_plugin.core.assess.validate import validate_plan
from gridplanner.grid_plugin.core.difference.driver import partition_by_type
from gridplanner.grid_plugin.core.difference.rules import DEFAULT_RULES_PATH, load_rules
from gridplanner.grid_plugin.core.errors import Report
from shapely.geometry import box
from test_difference_real import layers

CRS = "EPSG:4547"


def typed_plan(types, loads):
    geoms = [box(i * 100.0, 0, (i + 1) * 100.0, 100) for i in range(len(types))]
    return gpd.GeoDataFrame(
        {"grid_code": [f"440307015001{i + 1:03d}" for i in range(len(types))], "grid_type": types, "load": loads},
        geometry=geoms,
        crs=CRS,
    )


def load_problems(result):
    return result.problems[result.problems["kind"] == "load_out_of_tolerance"]


def test_validate_checks_loads_of_household_types_only():
    grids = typed_plan(
        ["residential", "village", "crowded", "farmland", "enterprise", "residential"], [300, 380, 0, 0, 0, 200]
    )
    found = load_problems(validate_plan(grids, target_load=300, tolerance=0.2))
    # the station, the farmland and the campus hold no households: no problem; the village is within
    # 300 ± 30% (the village row's tolerance); the second residential grid is 33% under 300
    assert found["grid_ids"].tolist() == ["6"], found[["grid_ids", "message"]]
    assert "300" in found["message"].iloc[0]
    # without grid types every grid is balanced at the run's target and tolerance, as before
    untyped = load_problems(validate_plan(grids.drop(columns="grid_type"), target_load=300, tolerance=0.2))
    assert sorted(untyped["grid_ids"].tolist()) == ["2", "3", "4", "5", "6"]  # 380 is 27% above 300


def test_a_rule_table_target_applies_to_its_type(tmp_path):
    table = DEFAULT_RULES_PATH.read_text(encoding="utf-8").replace(",households,,0.3,800,", ",households,400,0.3,800,")
    path = tmp_path / "rules.csv"
    path.write_text(table, encoding="utf-8")
    rules = load_rules(path)
    balanced, targets, tolerances = household_targets(["residential", "village", "scenic"], rules, 300, 0.2)
    assert balanced.tolist() == [True, True, False]
    assert targets.tolist() == [300, 400, 300] and tolerances.tolist() == [0.2, 0.3, 0.2]
    # the shipped table gives villages no target: the run's
    assert household_targets(["village"], load_rules(), 300, 0.2)[1].tolist() == [300]
    grids = typed_plan(["residential", "village"], [300, 380])
    assert load_problems(validate_plan(grids, target_load=300, tolerance=0.2, rules=rules)).empty
    card = assess(grids, target_load=300, tolerance=0.2, rules=rules)
    assert card.verdicts["balance"]["verdict"] == "pass"
    template, params = card.verdicts["balance"]["reasons"][0]
    assert params["targets"] == "300 ±20%, 400 ±30%"


def test_assess_balance_ignores_site_and_land_grids():
    grids = typed_plan(["residential", "residential", "village", "crowded", "forest"], [310, 290, 350, 0, 0])
    card = assess(grids, target_load=300, tolerance=0.2)
    assert card.verdicts["balance"]["verdict"] == "pass"
    assert card.metrics["balance_n_grids"] == 3 and card.metrics["balance_share_within"] == pytest.approx(1.0)
    assert card.verdicts["difference"]["verdict"] == "pass"  # residential at 300 respects its rule


def test_heinersreuth_villages_are_built_and_measured_at_the_runs_target():
    data = layers("heinersreuth")
    result = partition_by_type(
        data["boundary"], data["buildings"], data["barriers"], landuse=data["landuse"], pois=data["pois"],
        water=data["water"], target_load=150,
    )  # fmt: skip
    grids = result.grids
    villages = grids[grids["grid_type"] == "village"]
    assert len(villages) >= 5
    assert set(villages["target_load"]) == {150.0}  # not the old village row's 400
    # the self-check's balance verdict measured them at 150 too; validate agrees, grid by grid
    found = load_problems(validate_plan(grids, target_load=150, tolerance=0.2))
    household = grids[grids["grid_type"].isin(["residential", "village"])]
    tolerance = np.where(household["grid_type"] == "village", 0.3, 0.2)
    outside = household[np.abs(household["load"] - 150) > tolerance * 150 + 1e-9]
    assert sorted(found["grid_ids"].tolist()) == sorted(str(g) for g in outside["grid_id"])
    assert not set(found["grid_ids"]) & {str(g) for g in grids.loc[~grids.index.isin(household.index), "grid_id"]}


def test_a_parent_boundary_through_a_building_is_one_warning_about_the_input():
    """Two communities whose shared boundary runs through a building: no grid can hold it whole. validate and
    partitionbytype say so once, naming the parents, as a warning about the parent layer; the plan has no
    cut building and its completeness holds (Longgang cut in thirds: 6 'cut building' errors before)."""
    parents = gpd.GeoDataFrame(
        {"code": ["440307015001", "440307015002"]}, geometry=[box(0, 0, 500, 500), box(500, 0, 1000, 500)], crs=CRS
    )
    homes = [box(x, y, x + 12, y + 12) for x in range(20, 980, 40) for y in range(20, 480, 40) if not 480 <= x <= 500]
    homes.append(box(494, 250, 506, 262))  # astride the boundary
    buildings = gpd.GeoDataFrame({"households": [5.0] * len(homes)}, geometry=homes, crs=CRS)
    report = Report()
    result = partition_by_type(parents, buildings, None, parent_code_field="code", target_load=300, report=report)
    about_parents = [w for w in report.warnings if "parent boundary cuts" in w.message]
    assert len(about_parents) == 1 and about_parents[0].params["n"] == 1
    assert about_parents[0].params["parents"] == "440307015001, 440307015002"
    assert not [w for w in report.warnings if "cut by the edge between grids" in w.message]
    assert result.validation.counts["cut_building"] == 0
    assert result.scorecard.verdicts["completeness"]["verdict"] == "pass"
    # validate on the same plan with the parents: the same single warning, no cut-building problem
    checks = Report()
    found = validate_plan(
        result.grids, parents, parents=parents, parent_code_field="code", buildings=buildings, report=checks
    )
    assert found.counts["cut_building"] == 0 and found.evaluation.metrics["n_cut_buildings"] == 0
    assert [w.params["n"] for w in checks.warnings if "parent boundary cuts" in w.message] == [1]
    # without the parents the plan is judged alone: the building is cut by the edge between two grids
    assert validate_plan(result.grids, parents, buildings=buildings).counts["cut_building"] == 1
