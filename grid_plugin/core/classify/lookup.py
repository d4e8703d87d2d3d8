"""Reading class values of a layer through a mapping table, and the table of values it lacks."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd

from ..errors import N_, InputError
from .mapping_table import DEFAULT_PRIORITY, ClassMapping

__all__ = ["require_field", "keys_and_values", "clean_value", "lookup_all", "unknown_table"]


def require_field(frame: gpd.GeoDataFrame, field_name: str, layer: str) -> None:
    if field_name not in frame.columns:
        raise InputError(
            N_("The layer {layer} has no field {field}; choose one of: {fields}."),
            layer=layer,
            field=field_name,
            fields=", ".join(str(c) for c in frame.columns if c != frame.geometry.name),
        )


def keys_and_values(frame, class_field, key_field, layer: str):
    """Per feature the (key, value) to look up: the first non-empty of several tag fields, or one field."""
    fields = [class_field] if isinstance(class_field, str) else list(class_field)
    if not fields:
        raise InputError(N_("Choose the class field of the layer {layer}."), layer=layer)
    for name in fields:
        require_field(frame, name, layer)
    n = len(frame)
    values = np.full(n, None, dtype=object)
    keys = np.full(n, None, dtype=object)
    for name in fields:
        column = frame[name].to_numpy(dtype=object)
        empty = pd.isna(values)
        text = pd.Series(column).map(clean_value).to_numpy(dtype=object)
        take = empty & ~pd.isna(text)
        values[take] = text[take]
        keys[take] = name
    if key_field:
        require_field(frame, key_field, layer)
        keys = frame[key_field].map(clean_value).to_numpy(dtype=object)
    return keys, values


def clean_value(value):
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            return str(int(value))
    text = str(value).strip()
    return text or None


def lookup_all(mapping: ClassMapping, keys, values):
    """grid_type (or None when unmapped), priority and weight per feature; unique pairs looked up once."""
    frame = pd.DataFrame({"k": keys, "v": values})
    codes, uniques = pd.factorize(pd.MultiIndex.from_frame(frame.fillna("\x00")))
    types, priorities, weights = [], [], []
    for key, value in uniques:
        key = None if key == "\x00" else key
        value = None if value == "\x00" else value
        row = mapping.lookup(value, key=key) if value is not None else None
        types.append(row.grid_type if row else None)
        priorities.append(row.priority if row else DEFAULT_PRIORITY["unknown"])
        weights.append(row.weight if row else 0.0)
    types = np.array(types, dtype=object)[codes]
    return types, np.array(priorities, dtype=float)[codes], np.array(weights, dtype=float)[codes]


def unknown_table(source: str, keys, values, unmapped_mask, areas) -> pd.DataFrame:
    if not unmapped_mask.any():
        return pd.DataFrame(columns=["source", "key", "value", "features", "area_m2"])
    frame = pd.DataFrame(
        {
            "key": pd.Series(keys[unmapped_mask]).fillna(""),
            "value": values[unmapped_mask],
            "area_m2": areas[unmapped_mask],
        }
    )
    table = frame.groupby(["key", "value"], as_index=False).agg(
        features=("area_m2", "size"), area_m2=("area_m2", "sum")
    )
    table.insert(0, "source", source)
    return table.sort_values(["features", "area_m2"], ascending=False, ignore_index=True)
