"""The monthly incident chart: incidents per month by category (whole area) and for the top grids.

Rendered with matplotlib's Agg canvas (no pyplot state, no GUI) in Noto Sans CJK, so Chinese
labels and category names draw as glyphs, not as empty boxes ("tofu"). Labels are passed in by the
caller (translated on the QGIS side); the defaults are English templates.

Examples
--------
>>> import pandas as pd, tempfile, os
>>> months = pd.date_range("2023-01-01", periods=3, freq="MS")
>>> monthly = pd.DataFrame({"噪音": [3, 5, 2], "占道": [1, 0, 4]}, index=months)
>>> top = pd.DataFrame({"G1": [2, 3, 4]}, index=months)
>>> path = os.path.join(tempfile.mkdtemp(), "chart.png")
>>> missing = monthly_chart(monthly, top, path)
>>> missing, os.path.getsize(path) > 10_000
([], True)
"""

from __future__ import annotations

import functools
import warnings
from pathlib import Path

import pandas as pd

from ..errors import N_
from ..inputs import atomic_output

__all__ = ["CJK_FONT_FILES", "cjk_font_family", "monthly_chart", "CHART_LABELS"]

#: Where Debian/Ubuntu (fonts-noto-cjk), Fedora and macOS/Windows keep a CJK font.
CJK_FONT_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
)
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "PingFang SC",
    "Microsoft YaHei",
    "SimHei",
    "WenQuanYi Zen Hei",
)

CHART_LABELS = {
    "title_area": N_("Incidents per month by category, whole area"),
    "title_top": N_("Incidents per month, top {n} grids"),
    "month": N_("Month"),
    "incidents": N_("Incidents"),
    "no_category": N_("(no category)"),
    "grid": N_("Grid {id}"),
}


@functools.lru_cache(maxsize=1)
def cjk_font_family() -> str | None:
    """Register a CJK font with matplotlib and return its family name (None when none is found; cached)."""
    from matplotlib import font_manager

    for path in CJK_FONT_FILES:
        if Path(path).exists():
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError):
                continue
    available = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in available:
            return family
    for name in sorted(available):
        if "CJK" in name:
            return name
    return None


def monthly_chart(
    monthly: pd.DataFrame,
    monthly_top: pd.DataFrame,
    path,
    *,
    labels: dict | None = None,
    dpi: int = 150,
) -> list[str]:
    """Draw the chart to a PNG at ``path``; return the text matplotlib could not draw (missing glyphs).

    Parameters
    ----------
    monthly : DataFrame
        Index months, columns categories (``""`` = no category), values counts (whole area).
    monthly_top : DataFrame
        Index months, columns grid ids, values counts.
    path : str or Path
    labels : dict, optional
        Overrides for :data:`CHART_LABELS` (already translated; ``title_top`` has ``{n}``, ``grid`` ``{id}``).
    """
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    text = dict(CHART_LABELS)
    text.update(labels or {})
    family = cjk_font_family()
    rc = {"font.family": "sans-serif", "axes.unicode_minus": False}
    if family:
        rc["font.sans-serif"] = [family, "DejaVu Sans"]
    panels = 2 if monthly_top is not None and not monthly_top.empty else 1
    missing: list[str] = []
    with rc_context(rc), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figure = Figure(figsize=(10, 3.6 * panels + 0.6), layout="constrained")
        FigureCanvasAgg(figure)
        axes = figure.subplots(panels, 1, squeeze=False)[:, 0]
        months = monthly.index
        positions = range(len(months))
        tick_labels = [m.strftime("%Y-%m") for m in months]
        bottom = pd.Series(0.0, index=months)
        colours = _palette(len(monthly.columns))
        ax = axes[0]
        for colour, category in zip(colours, monthly.columns):
            name = category if category else text["no_category"]
            ax.bar(
                positions, monthly[category].to_numpy(), bottom=bottom.to_numpy(), color=colour, label=name, width=0.8
            )
            bottom = bottom + monthly[category]
        for x, total in zip(positions, bottom.to_numpy()):
            ax.text(x, total, f"{int(total)}", ha="center", va="bottom", fontsize=8)
        ax.set_title(text["title_area"])
        ax.set_ylabel(text["incidents"])
        ax.set_xticks(
            list(positions),
            tick_labels,
            rotation=45 if len(months) > 12 else 0,
            ha="right" if len(months) > 12 else "center",
        )
        if len(monthly.columns) > 1 or (len(monthly.columns) == 1 and monthly.columns[0]):
            ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
        ax.grid(axis="y", alpha=0.3)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        if panels == 2:
            ax = axes[1]
            top_colours = _palette(len(monthly_top.columns), qualitative=True)
            for colour, grid_id in zip(top_colours, monthly_top.columns):
                ax.plot(
                    list(positions),
                    monthly_top[grid_id].reindex(months, fill_value=0).to_numpy(),
                    marker="o",
                    color=colour,
                    label=text["grid"].format(id=grid_id),
                )
            ax.set_title(text["title_top"].format(n=len(monthly_top.columns)))
            ax.set_ylabel(text["incidents"])
            ax.set_xlabel(text["month"])
            ax.set_xticks(
                list(positions),
                tick_labels,
                rotation=45 if len(months) > 12 else 0,
                ha="right" if len(months) > 12 else "center",
            )
            ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
            ax.grid(axis="y", alpha=0.3)
            ax.set_ylim(bottom=0)
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        else:
            axes[0].set_xlabel(text["month"])
        with atomic_output(path) as temporary:  # a failure removes the partial file
            figure.savefig(temporary, dpi=dpi, format="png")
    for warning in caught:
        message = str(warning.message)
        if "missing from" in message and "Glyph" in message:
            missing.append(message)
    return missing


def _palette(n: int, qualitative: bool = False) -> list:
    """Colours for ``n`` series: ColorBrewer Set2/Paired-like, readable on white and in print."""
    from matplotlib import colormaps

    cmap = colormaps["tab10" if qualitative else "Set2"]
    size = cmap.N
    return [cmap(i % size) for i in range(n)]
