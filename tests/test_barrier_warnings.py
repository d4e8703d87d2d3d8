"""No barrier lines must never pass silently: partition, partitionbytype, regrid and assess say so
loudly (a warning in the log), also when a barrier layer is given but has no features; several
barrier layers arrive through the dialog's list and through repeated keys in qgis_process."""

from __future__ import annotations

import pytest
from gridplanner.grid_plugin.core.errors import Report
from gridplanner.grid_plugin.core.synthetic import synthetic_town
from helpers import run_qgis_process

NO_BARRIERS = "No barrier lines: grid edges will not follow roads"


@pytest.fixture(scope="module")
def town(tmp_path_factory):
    """A small synthetic town whose roads are split over two layers, plus an empty road layer."""
    town = synthetic_town(800, seed=3, n_parents=1)
    path = tmp_path_factory.mktemp("barriers") / "town.gpkg"
    roads = town["roads"]
    half = len(roads) // 2
    town["area"].to_file(path, layer="area")
    town["buildings"].to_file(path, layer="buildings")
    roads.iloc[:half].to_file(path, layer="roads_a")
    roads.iloc[half:].to_file(path, layer="roads_b")
    roads.iloc[:0].to_file(path, layer="roads_empty")
    return path, len(roads)


def layer(path, name):
    return f"{path}|layername={name}"


def recording_feedback():
    from qgis.core import QgsProcessingFeedback

    class RecordingFeedback(QgsProcessingFeedback):
        def __init__(self):
            super().__init__()
            self.warnings: list[str] = []
            self.infos: list[str] = []

        def pushWarning(self, text):  # noqa: N802 - QGIS's name
            self.warnings.append(text)
            super().pushWarning(text)

        def pushInfo(self, text):  # noqa: N802 - QGIS's name
            self.infos.append(text)
            super().pushInfo(text)

    return RecordingFeedback()


def run(algorithm, parameters):
    import processing

    feedback = recording_feedback()
    result = processing.run(f"gridplanner:{algorithm}", parameters, feedback=feedback)
    return result, feedback


def partition_parameters(path, barriers):
    return {
        "AREA": layer(path, "area"),
        "BUILDINGS": layer(path, "buildings"),
        "LOAD": "households",
        "BARRIERS": barriers,
        "TARGET_LOAD": 400,
        "OUTPUT": "memory:",
    }


def test_partition_without_barriers_warns_and_still_runs(gridplanner_provider, town):
    path, _ = town
    result, feedback = run("partition", partition_parameters(path, []))
    assert result["GRID_COUNT"] > 1
    assert any(NO_BARRIERS in text for text in feedback.warnings), feedback.warnings


def test_partition_with_an_empty_barrier_layer_names_it_and_warns(gridplanner_provider, town):
    path, _ = town
    _result, feedback = run("partition", partition_parameters(path, [layer(path, "roads_empty")]))
    empty = [text for text in feedback.warnings if "have no features" in text]
    assert len(empty) == 1 and "roads_empty" in empty[0]
    assert any(NO_BARRIERS in text for text in feedback.warnings)


def test_partition_counts_barriers_from_several_layers_without_warning(gridplanner_provider, town):
    path, n_roads = town
    _result, feedback = run("partition", partition_parameters(path, [layer(path, "roads_a"), layer(path, "roads_b")]))
    assert f"Barrier lines: {n_roads} from 2 layer(s)." in feedback.infos
    assert not any("barrier" in text.lower() for text in feedback.warnings), feedback.warnings


def test_partitionbytype_regrid_and_assess_warn_without_barriers(gridplanner_provider, town, tmp_path):
    path, _ = town
    plan = str(tmp_path / "plan.gpkg")
    result, feedback = run("partitionbytype", {**partition_parameters(path, []), "OUTPUT": plan})
    assert any(NO_BARRIERS in text for text in feedback.warnings), feedback.warnings
    _result, feedback = run(
        "regrid",
        {
            "PLAN": result["OUTPUT"],
            "BUILDINGS": layer(path, "buildings"),
            "TARGET_LOAD": 400,
            "OUTPUT": "memory:",
            "CHANGES": "memory:",
        },
    )
    assert any(NO_BARRIERS in text for text in feedback.warnings), feedback.warnings
    _result, feedback = run("assess", {"GRIDS": result["OUTPUT"], "OUTPUT": "memory:", "SCORECARD": "memory:"})
    assert any("No barrier lines: the convenience principle" in text for text in feedback.warnings), feedback.warnings
    _result, feedback = run(
        "assess",
        {"GRIDS": result["OUTPUT"], "BARRIERS": layer(path, "roads_a"), "OUTPUT": "memory:", "SCORECARD": "memory:"},
    )
    assert not any("No barrier lines" in text for text in feedback.warnings), feedback.warnings


def test_report_barriers_counts_layers_that_did_not_load():
    from gridplanner.processing.base import report_barriers

    report = Report()
    assert report_barriers(report, [("roads", 5)], n_given=2) == 5
    assert [w.template for w in report.warnings] == [
        "{missing} of the {given} barrier layers given could not be loaded; check their paths and layer names."
    ]
    assert report.warnings[0].params == {"missing": 1, "given": 2}


def test_qgis_process_passes_repeated_barrier_keys_and_warns_without_them(town, tmp_path):
    # Checked on QGIS 3.22 and 3.40: repeated keys of a multi-layer parameter all arrive (qgis_process
    # echoes the parameter as empty under "Inputs", but the algorithm gets every layer).
    path, n_roads = town
    common = [
        f"AREA={layer(path, 'area')}",
        f"BUILDINGS={layer(path, 'buildings')}",
        "LOAD=households",
        "TARGET_LOAD=400",
    ]
    both = run_qgis_process(
        "run",
        "gridplanner:partition",
        "--",
        *common,
        f"BARRIERS={layer(path, 'roads_a')}",
        f"BARRIERS={layer(path, 'roads_b')}",
        f"OUTPUT={tmp_path / 'both.gpkg'}",
    )
    assert both.returncode == 0, both.stderr
    assert f"Barrier lines: {n_roads} from 2 layer(s)." in both.stdout
    none = run_qgis_process("run", "gridplanner:partition", "--", *common, f"OUTPUT={tmp_path / 'none.gpkg'}")
    assert none.returncode == 0, none.stderr
    assert NO_BARRIERS in none.stdout + none.stderr
