"""estimate_households: the benchmark convention (rule="convention"), a given households field, bad input."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely
from gridplanner.grid_plugin.core.errors import InputError, Report
from gridplanner.grid_plugin.core.prepare.households import estimate_households
from helpers import prepared_sample

# The convention of ../shared/data/README.md, written out again here on purpose (not imported).
RESIDENTIAL = {"yes", "residential", "apartments", "house", "detached", "semidetached_house", "terrace", "bungalow"}
RESIDENTIAL |= {"dormitory", "farm"}
ONE_LEVEL = {"house", "detached", "bungalow", "semidetached_house", "farm"}


def convention_households(building: str, levels, footprint_m2: float) -> int:
    """One building, by the README's words, in plain Python."""
    if building not in RESIDENTIAL or footprint_m2 < 30:
        return 0
    if levels is None or not (isinstance(levels, (int, float)) and levels > 0 and not math.isnan(levels)):
        levels = 1 if building in ONE_LEVEL else 2
    return max(1, math.floor(footprint_m2 * levels / 100 + 0.5))


class CollectingReport(Report):
    def __init__(self):
        super().__init__()
        self.infos = []

    def info(self, template, **params):
        self.infos.append(template.format(**params))


def box_frame(rows, crs=32650):
    """rows: (building, levels, width_m, depth_m)."""
    x = 0.0
    geometries = []
    for _building, _levels, width, depth in rows:
        geometries.append(shapely.box(x, 0, x + width, depth))
        x += width + 10
    return gpd.GeoDataFrame(
        {"building": [r[0] for r in rows], "levels": [r[1] for r in rows]}, geometry=geometries, crs=crs
    )


def test_hand_computed_buildings():
    frame = box_frame(
        [
            ("apartments", 6.0, 30, 15),  # 450 m² x 6 / 100 = 27
            ("house", None, 12, 10),  # 120 m² x 1 = 1.2 -> 1
            ("yes", None, 20, 12.5),  # 250 m² x 2 = 5
            ("yes", None, 5, 5.9),  # 29.5 m² < 30 -> 0
            ("yes", None, 6, 5),  # 30 m² x 2 / 100 = 0.6 -> 1
            ("garage", None, 50, 50),  # not residential -> 0
            ("residential", -3.0, 10, 12.5),  # bad levels -> 2; 125 x 2 / 100 = 2.5 -> 3 (halves round up)
            ("farm", None, 20, 20),  # 400 x 1 = 4
            ("Apartments ", 3.0, 10, 10),  # tag case and spaces ignored: 100 x 3 = 3
        ]
    )
    result, summary = estimate_households(frame, rule="convention")
    assert result["households"].tolist() == [27, 1, 5, 0, 1, 0, 3, 4, 3]
    assert result["households"].dtype == np.int64
    assert "households" not in frame.columns, "the input must not change"
    total = summary.set_index("building_type").loc["total"]
    assert (int(total["buildings"]), int(total["residential"]), int(total["households"])) == (9, 8, 44)
    assert int(summary.set_index("building_type").loc["garage", "households"]) == 0


def test_every_number_is_a_parameter():
    frame = box_frame([("apartments", None, 20, 10), ("barn", None, 20, 10), ("house", None, 20, 10)])
    result, _ = estimate_households(
        frame,
        floor_area_per_household_m2=50,
        fallback_levels=3,
        default_levels={"house": 2},
        residential_types=["apartments", "house", "barn"],
        min_footprint_m2=250,
        rule="convention",
    )
    assert result["households"].tolist() == [0, 0, 0]  # 200 m² < 250 m² minimum
    result, _ = estimate_households(
        frame,
        floor_area_per_household_m2=50,
        fallback_levels=3,
        default_levels={"house": 2},
        residential_types=["apartments", "house", "barn"],
        min_footprint_m2=10,
        rule="convention",
    )
    assert result["households"].tolist() == [12, 12, 8]  # 200 x 3 / 50, 200 x 3 / 50, 200 x 2 / 50


def test_geographic_input_is_measured_in_metres():
    metric = box_frame([("apartments", 4.0, 40, 25)], crs=4547)  # 1000 m² x 4 / 100 = 40
    metric = metric.set_geometry(metric.geometry.translate(500000, 2510000))
    report = CollectingReport()
    result, _ = estimate_households(metric.to_crs(4490), report=report)
    assert result["households"].tolist() == [40]
    assert any("EPSG:4490" in line and "EPSG:4547" in line for line in report.infos)


def test_households_field_is_used_and_bad_values_repaired_with_a_warning():
    frame = box_frame([("apartments", 5.0, 20, 20)] * 5)  # estimate: 400 x 5 / 100 = 20 each
    frame["surveyed"] = ["12", "abc", "-4", None, "7.6"]
    before = frame["surveyed"].copy()
    report = CollectingReport()
    result, _ = estimate_households(frame, households_field="surveyed", report=report)
    assert result["households"].tolist() == [12, 20, 20, 20, 8]
    assert frame["surveyed"].equals(before)
    assert len(report.warnings) == 1
    assert "1 text and 1 negative" in report.warnings[0].message
    assert any("1 buildings have no value" in line for line in report.infos)


def test_households_field_of_numbers_overrides_the_estimate_even_for_non_residential():
    frame = box_frame([("commercial", None, 20, 20), ("apartments", 5.0, 20, 20)])
    frame["hh"] = [3, 0]
    result, _ = estimate_households(frame, households_field="hh")
    assert result["households"].tolist() == [3, 0]


def test_bad_input_gets_clear_errors():
    frame = box_frame([("apartments", 5.0, 20, 20)])
    frame["words"] = ["many"]
    with pytest.raises(InputError, match="holds text, not numbers"):
        estimate_households(frame, households_field="words")
    with pytest.raises(
        InputError, match="households field nope is not in the building layer; its fields are: building"
    ):
        estimate_households(frame, households_field="nope")
    with pytest.raises(InputError, match="building type field kind"):
        estimate_households(frame, type_field="kind")
    with pytest.raises(InputError, match="greater than 0"):
        estimate_households(frame, floor_area_per_household_m2=0)
    with pytest.raises(InputError, match="empty"):
        estimate_households(frame.iloc[:0])
    with pytest.raises(InputError, match="no coordinate reference system"):
        estimate_households(gpd.GeoDataFrame(frame.drop(columns="geometry"), geometry=list(frame.geometry)))


def test_levels_field_with_some_text_falls_back_with_a_warning():
    frame = box_frame([("apartments", None, 20, 20), ("apartments", None, 20, 20)])
    frame["levels"] = ["3", "3-4"]
    report = CollectingReport()
    result, _ = estimate_households(frame, report=report)
    assert result["households"].tolist() == [12, 8]  # 400 x 3, then the default 2 levels
    assert "1 buildings have a levels value that is not a number" in report.warnings[0].message


@pytest.mark.parametrize(
    ("name", "total", "residential"),
    [("kotka", 5275, 1889), ("heinersreuth", 2489, 727), ("shenzhen", 3927, 77)],
)
def test_prepared_samples_follow_the_convention(name, total, residential):
    """The cached samples' households equal the convention computed here, building by building."""
    buildings = pyogrio.read_dataframe(prepared_sample(name), layer="buildings")
    assert buildings.crs.is_projected
    expected = [
        convention_households(str(tag), None if levels is None or np.isnan(levels) else float(levels), float(area))
        for tag, levels, area in zip(buildings["building"], buildings["levels"], buildings.geometry.area)
    ]
    assert buildings["households"].tolist() == expected
    assert sum(expected) == total
    assert sum(str(tag) in RESIDENTIAL for tag in buildings["building"]) == residential
