"""The office's building roll (楼栋台账) onto footprints: CSV/XLSX/layer, id/point/nearest, problems reported."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from gridplanner.grid_plugin.core.errors import InputError, Report
from gridplanner.grid_plugin.core.prepare.rolls import guess_roll_columns, match_roll, read_roll_table

CRS = "EPSG:4547"  # CGCS2000 3-degree Gauss-Krüger, CM 114°E (Shenzhen)
X0, Y0 = 500_000.0, 2_500_000.0


class Collecting(Report):
    def __init__(self):
        super().__init__()
        self.infos = []

    def info(self, template, **params):
        self.infos.append(template.format(**params))


def buildings():
    """Five footprints in a row, 20 m wide, 30 m apart; B1 and B2 share the id 'B-dup'; B3 has estimated households."""
    geoms = [shapely.box(X0 + 30 * i, Y0, X0 + 30 * i + 20, Y0 + 20) for i in range(5)]
    geoms[4] = shapely.box(X0 + 120, Y0, X0 + 150, Y0 + 30)  # the largest
    return gpd.GeoDataFrame(
        {"bid": ["A1", "B-dup", "B-dup", "C3", "D4"], "households": [7, 3, 4, 9, 11]}, geometry=geoms, crs=CRS
    )


def roll_rows():
    """A roll as an office writes it: Chinese headers, a duplicate row, an unmatched id, a bad value, coordinates."""
    return pd.DataFrame(
        {
            "序号": [1, 2, 3, 4, 5, 6, 7],
            "楼栋编号": ["A1", "A1", "Z9", "B-dup", "", "C3", "Ｃ３"],
            "地址": ["龙岗大道1号", "龙岗大道1号", "无此楼", "某路2号", "某路9号", "某路3号", "某路3号B"],
            "户数（户）": [40, 40, 5, 12, 6, "十", 2],
            "人口": [101, 101, 9, 30, 15, 20, 5],
            "X": [None, None, None, None, X0 + 125, None, None],
            "Y": [None, None, None, None, Y0 + 10, None, None],
        }
    )


def check_result(result, report):
    """What the roll of :func:`roll_rows` must give, however it was read."""
    b = result.buildings
    # A1: one record (its exact repeat counted once); B-dup: shared by two footprints, given to the larger
    # (equal: the first); row 5 by its point inside D4; C3: 'Ｃ３' (full width) equals 'C3', '十' is unusable.
    assert b["households"].tolist() == [40, 12, 4, 2, 6]
    assert b["households_source"].tolist() == ["roll", "roll", "estimate", "roll", "roll"]
    assert b["population"].tolist()[:2] == [101.0, 30.0]
    assert np.isnan(b["population"].iloc[2])
    status = result.records.set_index("row")["status"].to_dict()
    assert status == {2: "key", 3: "duplicate", 4: "unmatched", 5: "key", 6: "point", 7: "invalid", 8: "key"}
    assert result.counts["multiple"] == 1
    assert result.counts["households_unmatched"] == 5
    warnings = " ".join(w.message for w in report.warnings)
    assert "1 roll records (5 households) match no building" in warnings and "4 (Z9)" in warnings
    assert "match several buildings" in warnings and "5 (B-dup)" in warnings
    assert "repeat the id, numbers and point of an earlier row" in warnings and "Rows: 3 (A1)" in warnings
    assert "no usable households" in warnings and "7 (C3)" in warnings


def test_columns_are_guessed_from_chinese_and_english_names():
    assert guess_roll_columns(["序号", "楼栋编号", "户数（户）", "人口", "经度", "纬度"]) == {
        "key": "楼栋编号", "households": "户数（户）", "population": "人口", "x": "经度", "y": "纬度",
    }  # fmt: skip
    guessed = guess_roll_columns(["Address", "Households", "Population", "lon", "lat"])
    assert guessed == {"key": "Address", "households": "Households", "population": "Population", "x": "lon", "y": "lat"}
    assert guess_roll_columns(["备注"])["households"] is None


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_roll_in_each_encoding(tmp_path, encoding):
    path = tmp_path / f"roll_{encoding}.csv"
    roll_rows().to_csv(path, index=False, encoding=encoding)
    roll = read_roll_table(path)
    assert list(roll.columns)[1:4] == ["楼栋编号", "地址", "户数（户）"]
    report = Collecting()
    frame = buildings()
    result = match_roll(frame, roll, building_key="bid", report=report)
    check_result(result, report)
    assert frame["households"].tolist() == [7, 3, 4, 9, 11], "the input must not change"


def test_xlsx_roll_with_unmatched_and_duplicate_rows(tmp_path):
    pytest.importorskip("openpyxl", reason="openpyxl (requirements.txt) reads XLSX rolls")
    path = tmp_path / "楼栋台账.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        pd.DataFrame({"说明": ["封面"]}).to_excel(writer, sheet_name="封面", index=False)
        roll_rows().to_excel(writer, sheet_name="楼栋", index=False)
    roll = read_roll_table(path, sheet="楼栋")
    report = Collecting()
    check_result(match_roll(buildings(), roll, building_key="bid", report=report), report)
    with pytest.raises(InputError, match="Check the sheet name"):
        read_roll_table(path, sheet="没有")


def test_points_in_degrees_match_inside_then_nearest_within_the_distance():
    frame = buildings()
    centres = gpd.GeoSeries(frame.geometry.centroid, crs=CRS).to_crs(4490)
    lon, lat = centres.x.to_numpy(), centres.y.to_numpy()
    outside = gpd.GeoSeries([shapely.Point(X0 + 30 + 10, Y0 + 35), shapely.Point(X0 + 10, Y0 + 200)], crs=CRS)
    outside = outside.to_crs(4490)
    roll = pd.DataFrame(
        {
            "经度": [lon[0], lon[3], outside.x.iloc[0], outside.x.iloc[1]],
            "纬度": [lat[0], lat[3], outside.y.iloc[0], outside.y.iloc[1]],
            "户数": [10, 20, 30, 40],
        }
    )
    report = Collecting()
    result = match_roll(frame, roll, max_distance_m=30, estimate_field=None, report=report)
    # 15 m north of B2 (the nearest within 30 m); the last one is 180 m away: unmatched
    assert result.records["status"].tolist() == ["point", "point", "nearest", "unmatched"]
    assert result.buildings["households"].tolist() == [10, 30, 0, 20, 0]
    assert result.buildings["households_source"].tolist() == ["roll", "roll", "none", "roll", "none"]
    assert any("CGCS2000 (EPSG:4490)" in line for line in report.infos)
    tight = match_roll(frame, roll, max_distance_m=0, estimate_field=None)
    assert tight.records["status"].tolist() == ["point", "point", "unmatched", "unmatched"]


def test_a_roll_of_households_one_row_each_counts_rows():
    roll = pd.DataFrame({"门牌": ["A1", "A1", "A1", "C3"], "姓名": ["张", "李", "李", "王"]})
    result = match_roll(buildings(), roll, building_key="bid", roll_key="门牌")
    assert result.buildings["households"].tolist() == [3, 3, 4, 1, 11]
    assert result.counts["duplicate"] == 0


def test_a_roll_layer_with_its_own_points():
    frame = buildings()
    roll = gpd.GeoDataFrame({"hh": [5, 6]}, geometry=[shapely.Point(X0 + 5, Y0 + 5), None], crs=CRS).to_crs(3857)
    result = match_roll(frame, roll, households_column="hh", estimate_field=None)
    assert result.records["status"].tolist() == ["point", "unmatched"]
    assert result.buildings["households"].tolist() == [5, 0, 0, 0, 0]


def test_bad_input_is_a_clear_error(tmp_path):
    frame = buildings()
    with pytest.raises(InputError, match="no column 户"):
        match_roll(frame, roll_rows(), building_key="bid", households_column="户")
    with pytest.raises(InputError, match="neither an id/address column"):
        match_roll(frame, pd.DataFrame({"户数": [1]}))
    with pytest.raises(InputError, match="projected CRS"):
        match_roll(frame.to_crs(4490), roll_rows(), building_key="bid")
    with pytest.raises(InputError, match="has no field"):
        match_roll(frame, roll_rows(), building_key="nope")
    with pytest.raises(InputError, match="does not exist"):
        read_roll_table(tmp_path / "missing.csv")
    (tmp_path / "roll.docx").write_bytes(b"x")
    with pytest.raises(InputError, match="neither CSV nor XLSX"):
        read_roll_table(tmp_path / "roll.docx")
    (tmp_path / "binary.csv").write_bytes(bytes(range(128, 256)) * 4)
    with pytest.raises(InputError, match="not a CSV text file"):
        read_roll_table(tmp_path / "binary.csv")
