"""The monthly chart draws Chinese text with real glyphs (no tofu) and the right bars."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from gridplanner.grid_plugin.core.incidents.chart import cjk_font_family, monthly_chart
from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

ZH_LABELS = {
    "title_area": "各月事件数（按类别，全区）",
    "title_top": "各月事件数（前 {n} 个网格）",
    "month": "月份",
    "incidents": "事件数",
    "no_category": "（无类别）",
    "grid": "网格 {id}",
}


def _frames():
    months = pd.date_range("2023-01-01", periods=12, freq="MS")
    rng = np.random.default_rng(0)
    monthly = pd.DataFrame({c: rng.integers(0, 30, 12) for c in ("噪音扰民", "占道经营", "环境卫生")}, index=months)
    top = pd.DataFrame({f"龙岗-{k:02d}": rng.integers(0, 10, 12) for k in range(5)}, index=months)
    return monthly, top


def test_chinese_labels_have_glyphs(tmp_path):
    assert cjk_font_family() is not None, "fonts-noto-cjk is a setup dependency"
    monthly, top = _frames()
    path = tmp_path / "chart.png"
    missing = monthly_chart(monthly, top, path, labels=ZH_LABELS)
    assert missing == []
    image = Image.open(path)
    assert image.size[0] >= 1200 and image.size[1] >= 900
    assert len(np.unique(np.asarray(image.convert("RGB")).reshape(-1, 3), axis=0)) > 50  # bars, lines, text


def test_tofu_detector_works_without_a_cjk_font():
    """The check above could fail: a Latin-only font reports the missing glyphs."""
    with rc_context({"font.family": "DejaVu Sans"}), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figure = Figure()
        FigureCanvasAgg(figure)
        figure.subplots().set_title("事件数")
        figure.canvas.draw()
    assert any("missing from" in str(w.message) for w in caught)


def test_single_panel_without_top_grids(tmp_path):
    monthly, _ = _frames()
    path = tmp_path / "one.png"
    assert monthly_chart(monthly[["噪音扰民"]], pd.DataFrame(), path, labels=ZH_LABELS) == []
    assert Image.open(path).size[1] < 900  # one panel only
