"""Dates in the many forms Chinese incident tables use: parsed, counted when unreadable."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from gridplanner.grid_plugin.core.errors import InputError
from gridplanner.grid_plugin.core.incidents.dates import month_floor, parse_datetimes, parse_one, time_window_mask
from hypothesis import given, settings
from hypothesis import strategies as st

CASES = [
    ("2023-05-01", "2023-05-01 00:00:00"),
    ("2023-05-01T08:30:00", "2023-05-01 08:30:00"),
    ("2023-05-01 08:30:00+08:00", "2023-05-01 08:30:00"),
    ("2023-05-01T08:30:00Z", "2023-05-01 08:30:00"),
    ("2023/5/1 8:00", "2023-05-01 08:00:00"),
    ("2023/05/01 08:00:59", "2023-05-01 08:00:59"),
    ("2023.5.1", "2023-05-01 00:00:00"),
    ("2023年5月1日", "2023-05-01 00:00:00"),
    ("2023年5月1日 8时30分", "2023-05-01 08:30:00"),
    ("2023年5月1日8时30分15秒", "2023-05-01 08:30:15"),
    ("2023年5月1日8点", "2023-05-01 08:00:00"),
    ("2023年5月1日 下午3点半", "2023-05-01 15:30:00"),
    ("２０２３年５月１日", "2023-05-01 00:00:00"),
    ("2023年05月01号", "2023-05-01 00:00:00"),
    ("12/11/2020 11:45:00 PM", "2020-12-11 23:45:00"),
    ("12/11/2020 12:05:00 AM", "2020-12-11 00:05:00"),
    ("25/12/2020", "2020-12-25 00:00:00"),
    ("20230501", "2023-05-01 00:00:00"),
    ("20230501083000", "2023-05-01 08:30:00"),
    ("45047", "2023-05-01 00:00:00"),
    (45047, "2023-05-01 00:00:00"),
    (45047.75, "2023-05-01 18:00:00"),
    (1, "1900-01-01 00:00:00"),
    (59, "1900-02-28 00:00:00"),
    (61, "1900-03-01 00:00:00"),
    (dt.date(2023, 5, 1), "2023-05-01 00:00:00"),
    (dt.datetime(2023, 5, 1, 8, 0), "2023-05-01 08:00:00"),
    (np.datetime64("2023-05-01T08:00"), "2023-05-01 08:00:00"),
]


@pytest.mark.parametrize(("value", "expected"), CASES)
def test_each_form_parses(value, expected):
    parsed = parse_datetimes([value])
    assert str(parsed.values.iloc[0]) == expected
    assert parsed.n_unparsed == 0


def test_mixed_column_counts_unreadable_and_missing():
    values = ["2023-05-01", "2023/5/2 8:00", "2023年5月3日", 45050, "昨天", "2023-13-01", "2023/02/30", None, "", "  "]
    parsed = parse_datetimes(pd.Series(values, dtype=object))
    assert parsed.n_parsed == 4
    assert parsed.n_unparsed == 3
    assert parsed.n_missing == 3
    assert parsed.unparsed_examples == ["昨天", "2023-13-01", "2023/02/30"]
    assert list(parsed.values.dt.day[:4]) == [1, 2, 3, 4]


def test_excel_serial_column_is_vectorised_numbers():
    serials = pd.Series([45047.0, 45048.5, np.nan])
    parsed = parse_datetimes(serials)
    assert parsed.values.iloc[1] == pd.Timestamp("2023-05-02 12:00")
    assert parsed.n_missing == 1 and parsed.n_unparsed == 0


def test_qt_date_values(qgis_app):
    from qgis.PyQt.QtCore import QDate, QDateTime, QTime

    values = [QDate(2023, 5, 1), QDateTime(QDate(2023, 5, 1), QTime(8, 30)), QDate()]
    parsed = parse_datetimes(pd.Series(values, dtype=object))
    assert list(parsed.values[:2]) == [pd.Timestamp("2023-05-01"), pd.Timestamp("2023-05-01 08:30")]
    assert parsed.n_unparsed == 1  # an invalid QDate is something, but not a date


def test_datetime_column_passes_through():
    times = pd.Series(pd.to_datetime(["2023-05-01 08:00", None]))
    parsed = parse_datetimes(times)
    assert parsed.values.iloc[0] == pd.Timestamp("2023-05-01 08:00")
    assert parsed.n_missing == 1


def test_parse_one_end_of_day_and_errors():
    assert parse_one("2023-05-31", end_of_day=True) == pd.Timestamp("2023-05-31 23:59:59.999999")
    assert parse_one("2023年5月31日", end_of_day=True) == pd.Timestamp("2023-05-31 23:59:59.999999")
    assert parse_one("2023-05-31 08:00", end_of_day=True) == pd.Timestamp("2023-05-31 08:00")
    assert parse_one("") is None and parse_one(None) is None
    with pytest.raises(InputError, match="not a date"):
        parse_one("next week")


def test_window_and_month():
    times = parse_datetimes(["2023-04-30 23:59", "2023-05-01", "2023-05-31 23:00", "2023-06-01", None]).values
    mask = time_window_mask(times, pd.Timestamp("2023-05-01"), parse_one("2023-05-31", end_of_day=True))
    assert mask.tolist() == [False, True, True, False, False]
    assert str(month_floor(times).iloc[2]) == "2023-05-01 00:00:00"


@settings(max_examples=150, deadline=None)
@given(
    st.datetimes(min_value=dt.datetime(1950, 1, 1), max_value=dt.datetime(2099, 12, 31)).map(
        lambda d: d.replace(microsecond=0)
    )
)
def test_round_trip_every_written_form(moment):
    forms = [
        moment.isoformat(),
        f"{moment.year}/{moment.month}/{moment.day} {moment.hour}:{moment.minute:02d}:{moment.second:02d}",
        f"{moment.year}年{moment.month}月{moment.day}日 {moment.hour}时{moment.minute}分{moment.second}秒",
        moment.strftime("%m/%d/%Y %I:%M:%S %p"),
    ]
    parsed = parse_datetimes(forms)
    assert parsed.n_unparsed == 0
    assert all(value == pd.Timestamp(moment) for value in parsed.values)
    serial = (pd.Timestamp(moment) - pd.Timestamp("1899-12-30")) / pd.Timedelta(days=1)
    assert abs(parse_datetimes([serial]).values.iloc[0] - pd.Timestamp(moment)) < pd.Timedelta(milliseconds=1)
