"""The grid type table: the stable codes and Chinese labels (docs/classify.md), one valid palette."""

from __future__ import annotations

import re

import pytest
from gridplanner.grid_plugin.core import grid_types
from gridplanner.grid_plugin.core.grid_types import GRID_TYPES, grid_type, label

CONTRACT = [
    ("residential", "住宅网格"),
    ("commercial", "商务网格"),
    ("enterprise", "企事业单位网格"),
    ("crowded", "人员密集场所网格"),
    ("village", "村庄网格"),
    ("industrial", "产业园区网格"),
    ("farmland", "农田网格"),
    ("forest", "林地网格"),
    ("water", "坑塘水面网格"),
    ("mountain", "山地网格"),
    ("tidal_flat", "滩涂网格"),
    ("scenic", "景区网格"),
    ("mixed", "混合网格"),
    ("unknown", "未知"),
]


def test_codes_and_chinese_labels_match_the_contract_in_order():
    assert [(t.code, t.zh) for t in GRID_TYPES] == CONTRACT


def test_palette_is_hex_and_distinct():
    colors = [t.color for t in GRID_TYPES]
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in colors)
    assert len(set(colors)) == len(colors)


def test_palette_colours_are_far_apart():
    def rgb(hex_colour):
        return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))

    colors = [rgb(t.color) for t in GRID_TYPES]
    closest = min(
        sum((a - b) ** 2 for a, b in zip(c1, c2)) ** 0.5 for i, c1 in enumerate(colors) for c2 in colors[i + 1 :]
    )
    assert closest > 40


def test_english_labels_are_distinct_and_non_empty():
    names = [t.en for t in GRID_TYPES]
    assert all(names) and len(set(names)) == len(names)


def test_lookup_and_label():
    assert grid_type("water").zh == "坑塘水面网格"
    assert label("village") == "村庄网格"
    assert label("village", lang="zh_CN") == "村庄网格"
    assert label("village", lang="en") == "Village"
    assert grid_types.is_grid_type("tidal_flat") and not grid_types.is_grid_type("swamp")
    with pytest.raises(KeyError, match="valid codes"):
        grid_type("swamp")
