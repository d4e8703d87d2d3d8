"""Parse the many ways Chinese (and other) incident records write a date and time.

Incident tables reach a grid office from hotlines, Excel sheets and city platforms, and one column
often mixes several forms. :func:`parse_datetimes` reads them all in a few vectorised passes and
reports what it could not read instead of silently dropping it:

- ISO 8601: ``2023-05-01``, ``2023-05-01T08:30:00``, ``2023-05-01 08:30:00+08:00`` (the offset is
  dropped: the wall-clock time as written is kept, because grid offices work in local time);
- slashes or dots, year first: ``2023/5/1 8:00``, ``2023.5.1``;
- Chinese: ``2023年5月1日``, ``2023年5月1日 8时30分``, ``2023年5月1日8点``, full-width digits,
  ``上午``/``下午`` (AM/PM);
- month first with a four-digit year at the end, as exported by US and European portals:
  ``12/11/2020 11:45:00 PM`` (read as month/day/year unless the first number is above 12, then
  day/month/year);
- compact ``20230501`` and ``20230501083000``;
- Excel serial numbers in the 1900 date system (``45047`` = 2023-05-01; fractions are the time of
  day; Excel's fictitious 1900-02-29 is honoured, so serials below 61 are shifted by one day);
- Python ``date``/``datetime``, pandas/numpy datetimes and Qt ``QDate``/``QDateTime`` values (read
  through their ``toPyDateTime``/``toPyDate`` methods, so this module needs no Qt).

Examples
--------
>>> result = parse_datetimes(["2023年5月1日", "2023/5/1 8:00", 45047, "yesterday", None])
>>> [str(v) for v in result.values]
['2023-05-01 00:00:00', '2023-05-01 08:00:00', '2023-05-01 00:00:00', 'NaT', 'NaT']
>>> result.n_unparsed, result.unparsed_examples, result.n_missing
(1, ['yesterday'], 1)
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import N_, InputError

__all__ = ["ParsedDates", "parse_datetimes", "parse_one", "month_floor", "time_window_mask"]

#: Excel's day zero for serials from 61 on (1900 date system, with its fictitious 1900-02-29).
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
#: Serials accepted as Excel dates: 1 (1900-01-01) to 2958465 (9999-12-31); we keep a sane range.
_EXCEL_MIN, _EXCEL_MAX = 1.0, 109574.0  # up to 2199-12-31
_MAX_EXAMPLES = 5

_YMD = re.compile(
    r"^\s*(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"
    r"(?:[ T]+(?P<ampm1>AM|PM)?\s*(?P<H>\d{1,2})(?::(?P<M>\d{1,2}))?(?::(?P<S>\d{1,2}(?:\.\d+)?))?)?"
    r"\s*(?P<ampm2>AM|PM)?\s*(?:Z|[+-]\d{2}:?\d{2})?\s*$"
)
_MDY = re.compile(
    r"^\s*(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.](?P<y>\d{4})"
    r"(?:[ T]+(?P<ampm1>AM|PM)?\s*(?P<H>\d{1,2})(?::(?P<M>\d{1,2}))?(?::(?P<S>\d{1,2}(?:\.\d+)?))?)?"
    r"\s*(?P<ampm2>AM|PM)?\s*$"
)
_COMPACT = re.compile(r"^\s*(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})(?:(?P<H>\d{2})(?P<M>\d{2})(?P<S>\d{2})?)?\s*$")
_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)?\s*$")
#: Chinese forms in one pass: 2023年5月1日 [上午|下午…] 8时30分15秒 / 8点 / 8点半 / 8:30.
_CHINESE = re.compile(
    r"^\s*(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]?\s*"
    r"(?P<ampm>上午|早上|凌晨|下午|晚上|傍晚|中午|AM|PM)?\s*"
    r"(?:(?P<H>\d{1,2})\s*[时点點:]\s*(?:(?P<half>半)|(?P<M>\d{1,2})\s*分?)?\s*(?:[:]?\s*(?P<S>\d{1,2}(?:\.\d+)?)\s*秒?)?)?"
    r"\s*(?P<ampm2>AM|PM)?\s*$"
)
_PM_WORDS = {"下午": "PM", "晚上": "PM", "傍晚": "PM", "中午": "PM", "上午": "AM", "早上": "AM", "凌晨": "AM"}


@dataclass
class ParsedDates:
    """Parsed date-times and what could not be read.

    Attributes
    ----------
    values : pandas.Series of datetime64[ns]
        One value per input row (``NaT`` where missing or unreadable), same index as the input.
    n_missing : int
        Rows that were empty (null, NaN, empty or blank string).
    n_unparsed : int
        Rows that held something that is not a date this module can read.
    unparsed_examples : list of str
        Up to five distinct unreadable values, for the message to the user.
    """

    values: pd.Series
    n_missing: int = 0
    n_unparsed: int = 0
    unparsed_examples: list = field(default_factory=list)

    @property
    def n_parsed(self) -> int:
        """Rows that hold a date."""
        return int(self.values.notna().sum())


def _normalise_text(series: pd.Series) -> pd.Series:
    """Full-width to ASCII (NFKC, only for non-ASCII text), upper case, trimmed: one Python pass."""

    def clean(text: str) -> str:
        if not text.isascii():
            text = unicodedata.normalize("NFKC", text)
        return text.strip().upper()

    return series.map(clean).astype(object)


def _components_to_datetime(parts: pd.DataFrame, year, month, day) -> pd.Series:
    """Build datetimes from string components (NaT where any is invalid)."""
    hour = pd.to_numeric(parts["H"], errors="coerce").fillna(0)
    minute = pd.to_numeric(parts["M"], errors="coerce").fillna(0)
    second = pd.to_numeric(parts["S"], errors="coerce").fillna(0)
    ampm = parts["ampm1"].fillna(parts["ampm2"]) if "ampm1" in parts else pd.Series(np.nan, index=parts.index)
    pm = ampm.eq("PM") & (hour < 12)
    am12 = ampm.eq("AM") & (hour == 12)
    hour = hour.where(~pm, hour + 12).where(~am12, 0)
    bad_time = (hour > 23) | (minute > 59) | (second >= 60)
    frame = pd.DataFrame(
        {
            "year": pd.to_numeric(year, errors="coerce"),
            "month": pd.to_numeric(month, errors="coerce"),
            "day": pd.to_numeric(day, errors="coerce"),
            "hour": hour,
            "minute": minute,
            "second": second.astype(float).floordiv(1),
        }
    )
    out = pd.to_datetime(frame, errors="coerce")
    micro = ((second - second.floordiv(1)) * 1e6).round().astype("int64")
    out = out + pd.to_timedelta(micro, unit="us")
    return out.mask(bad_time).astype("datetime64[ns]")


def _parse_text(text: pd.Series) -> pd.Series:
    """Parse normalised strings; NaT where no form matches."""
    result = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    done = pd.Series(False, index=text.index)
    chinese = text.str.contains("年", regex=False)
    if chinese.any():
        parts = text[chinese].str.extract(_CHINESE)
        hit = parts["y"].notna()
        if hit.any():
            sub = parts[hit].copy()
            sub["M"] = sub["M"].where(sub["half"].isna(), "30")
            sub["ampm1"] = sub["ampm"].map(lambda v: _PM_WORDS.get(v, v) if isinstance(v, str) else v)
            result[sub.index] = _components_to_datetime(sub, sub["y"], sub["m"], sub["d"])
        done[chinese] = True
    # ISO 8601 in C (the common case from databases), then the regular expressions for the rest.
    iso = ~done & text.str.match(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
    if iso.any():
        result[iso] = pd.to_datetime(text[iso], format="ISO8601", errors="coerce").astype("datetime64[ns]")
        done |= iso
    rest_text = text[~done]
    ymd = rest_text.str.extract(_YMD)
    hit = ymd["y"].notna()
    if hit.any():
        sub = ymd[hit]
        result[sub.index] = _components_to_datetime(sub, sub["y"], sub["m"], sub["d"])
    rest = result.isna() & ~done
    rest[hit[hit].index] = False
    if rest.any():
        mdy = text[rest].str.extract(_MDY)
        hit2 = mdy["y"].notna()
        if hit2.any():
            sub = mdy[hit2]
            a = pd.to_numeric(sub["a"])
            b = pd.to_numeric(sub["b"])
            day_first = a > 12
            month = a.where(~day_first, b)
            day = b.where(~day_first, a)
            result[sub.index] = _components_to_datetime(sub, sub["y"], month, day)
    rest = result.isna()
    if rest.any():
        compact = text[rest].str.extract(_COMPACT)
        hit3 = compact["y"].notna()
        if hit3.any():
            sub = compact[hit3].assign(ampm1=np.nan, ampm2=np.nan)
            result[sub.index] = _components_to_datetime(sub, sub["y"], sub["m"], sub["d"])
    return result


def _excel_serial(numbers: pd.Series) -> pd.Series:
    """Excel 1900-system serial numbers (days, fraction = time of day) to datetimes."""
    valid = (numbers >= _EXCEL_MIN) & (numbers <= _EXCEL_MAX)
    # Excel counts a fictitious 1900-02-29 (serial 60): serials below 61 are one day early.
    shifted = numbers.where(numbers >= 61, numbers + 1)
    micro = (shifted[valid] * 86400e6).round().astype("int64")
    out = pd.Series(pd.NaT, index=numbers.index, dtype="datetime64[ns]")
    out[valid] = _EXCEL_EPOCH + pd.to_timedelta(micro, unit="us")
    return out


def _parse_numbers(numbers: pd.Series) -> pd.Series:
    """Numbers: yyyymmdd(hhmmss) when they look like it, else Excel serials."""
    out = pd.Series(pd.NaT, index=numbers.index, dtype="datetime64[ns]")
    compact = (numbers >= 1000_01_01) & (numbers == numbers.round())
    if compact.any():
        text = numbers[compact].astype("int64").astype(str)
        out[compact] = _parse_text(text)
    serial = ~compact & numbers.notna()
    if serial.any():
        out[serial] = _excel_serial(numbers[serial])
    return out


def _python_datetime(value):
    """A datetime for date-like Python/Qt objects, None for anything else."""
    if hasattr(value, "toPyDateTime"):  # QDateTime
        return value.toPyDateTime() if value.isValid() else None
    if hasattr(value, "toPyDate"):  # QDate
        return _dt.datetime.combine(value.toPyDate(), _dt.time()) if value.isValid() else None
    if isinstance(value, _dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, _dt.date):
        return _dt.datetime.combine(value, _dt.time())
    if isinstance(value, np.datetime64):
        return pd.Timestamp(value).to_pydatetime()
    return None


def parse_datetimes(values) -> ParsedDates:
    """Parse a column of dates written in mixed forms (see the module docstring).

    Parameters
    ----------
    values : sequence or pandas.Series
        Strings, numbers (Excel serials, ``yyyymmdd``), dates, datetimes, ``QDate``/``QDateTime``.

    Returns
    -------
    ParsedDates
        ``values`` (datetime64[ns], ``NaT`` where missing or unreadable), with the counts of missing
        and unreadable rows and up to five examples of the latter.
    """
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        out = series.dt.tz_localize(None) if getattr(series.dt, "tz", None) is not None else series
        out = out.astype("datetime64[ns]")
        return ParsedDates(out, n_missing=int(out.isna().sum()))
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        numbers = series.astype(float)
        out = _parse_numbers(numbers)
        missing = numbers.isna()
        return _finish(series, out, missing)

    obj = series.astype(object)
    out = pd.Series(pd.NaT, index=obj.index, dtype="datetime64[ns]")
    is_str = obj.map(lambda v: isinstance(v, str)).astype(bool)
    is_num = obj.map(lambda v: isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool))
    is_num = is_num.astype(bool)
    missing = obj.isna() | (is_str & obj.where(is_str, "x").astype(str).str.strip().eq(""))
    other = ~is_str & ~is_num & ~missing
    if other.any():
        converted = obj[other].map(_python_datetime)
        out[other] = pd.to_datetime(converted, errors="coerce")
    if is_num.any():
        out[is_num & ~missing] = _parse_numbers(obj[is_num & ~missing].astype(float))
    text_rows = is_str & ~missing
    if text_rows.any():
        # Parse each distinct text once (incident tables repeat dates a lot).
        codes, uniques = pd.factorize(obj[text_rows].astype(object))
        text = _normalise_text(pd.Series(uniques, dtype=object))
        parsed = _parse_text(text)
        numeric_text = parsed.isna() & text.str.match(_NUMBER)
        if numeric_text.any():
            parsed[numeric_text] = _parse_numbers(text[numeric_text].astype(float))
        out[text_rows] = parsed.to_numpy()[codes]
    return _finish(series, out, missing)


def _finish(original: pd.Series, out: pd.Series, missing: pd.Series) -> ParsedDates:
    unparsed = out.isna() & ~missing
    examples = []
    if unparsed.any():
        for value in original[unparsed]:
            text = str(value)
            if text not in examples:
                examples.append(text)
            if len(examples) >= _MAX_EXAMPLES:
                break
    return ParsedDates(out, n_missing=int(missing.sum()), n_unparsed=int(unparsed.sum()), unparsed_examples=examples)


def parse_one(value, *, end_of_day: bool = False, what: str = "date") -> pd.Timestamp | None:
    """Parse one user-given date (a parameter); ``None``/empty gives ``None``.

    With ``end_of_day=True`` a value without a time of day (``2023-05-31``) means the end of that
    day, so that a window "2023-05-01 to 2023-05-31" includes all of 31 May.

    Raises
    ------
    InputError
        When the value is not a date any supported form can read.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    parsed = parse_datetimes([value])
    stamp = parsed.values.iloc[0]
    if pd.isna(stamp):
        raise InputError(
            N_(
                "The {what} '{value}' is not a date Grid Planner can read; write it like 2023-05-01, "
                "2023/5/1 8:00 or 2023年5月1日."
            ),
            what=what,
            value=str(value),
        )
    if end_of_day and isinstance(value, str) and not re.search(r"\d[:时点點]|[T ]\d{1,2}$|AM|PM|午", value.upper()):
        stamp = stamp + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)
    return stamp


def time_window_mask(times: pd.Series, start=None, end=None) -> np.ndarray:
    """Rows whose time lies in ``[start, end]`` (both inclusive; ``None`` = open). NaT never matches."""
    mask = np.array(times.notna().to_numpy(), dtype=bool)  # a writable copy (pandas 3 returns read-only views)
    if start is not None:
        mask &= (times >= start).to_numpy(dtype=bool, na_value=False)
    if end is not None:
        mask &= (times <= end).to_numpy(dtype=bool, na_value=False)
    return mask


def month_floor(times: pd.Series) -> pd.Series:
    """The first day of each value's month (``NaT`` stays ``NaT``)."""
    return times.dt.to_period("M").dt.to_timestamp()
