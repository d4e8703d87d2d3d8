"""The plan report: one self-contained HTML file (and a PDF where a browser can print it), Chinese or English.

:func:`build_report` turns a :class:`~grid_plugin.core.assess.scorecard.Scorecard` (plus, optionally, a
:class:`~grid_plugin.core.assess.validate.ValidationResult` and a :class:`~grid_plugin.core.assess.compare.ComparisonResult`)
into HTML: the four-principle verdicts, the scorecard table, matplotlib charts (load histogram with the
target band, deviation map, Lorenz curve with the Gini coefficient, compactness distribution, a per-type
summary when grids are typed, the change map when plans are compared), the problem list and the comparison.
Every image is a base64 PNG inside the file and the CSS is inline, so the file opens offline and can be
filed or mailed as it is. :func:`html_to_pdf` prints it with headless Chromium when one is installed.

The report's language is a parameter, independent of the QGIS locale: an office may file a Chinese report
from an English desktop. Chinese text in charts uses a CJK font (Noto Sans CJK when installed).
"""

from __future__ import annotations

import base64
import datetime as _dt
import html
import io
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from ..inputs import atomic_output
from .metrics import gini, lorenz_curve
from .scorecard import METRIC_LABELS, PRINCIPLES, VERDICTS
from .validate import PROBLEM_KINDS

__all__ = [
    "build_report",
    "write_report",
    "html_to_pdf",
    "find_chromium",
    "render_charts",
    "translate",
    "translate_template",
    "cjk_font_family",
    "localize_params",
    "report_time",
    "TEXT",
]

from ..paths import I18N_DIR  # noqa: E402

TEMPLATE_PATH = Path(__file__).resolve().parent / "templates" / "plan_report.html"
MAX_PROBLEM_ROWS = 300
MAX_MOVE_ROWS = 40

#: Fixed report text: key → (Chinese, English).
TEXT = {
    "title": ("网格规划方案评估报告", "Grid plan assessment report"),
    "generated": ("生成时间", "Generated"),
    "plan": ("方案", "Plan"),
    "crs": ("坐标系", "CRS"),
    "verdicts": ("四项原则评价", "The four principles"),
    "overall": ("总体评价", "Overall"),
    "scorecard": ("评估指标", "Scorecard"),
    "metric": ("指标", "Metric"),
    "value": ("数值", "Value"),
    "charts": ("图表", "Charts"),
    "load_hist": ("网格户数分布（阴影为目标容差带）", "Load per grid (shaded: target band)"),
    "load": ("户数", "Load (households)"),
    "n_grids": ("网格数", "Grids"),
    "target": ("目标", "Target"),
    "deviation_map": ("户数偏差图", "Deviation from target"),
    "deviation_pct": ("偏差（%）", "Deviation (%)"),
    "lorenz": ("户数洛伦兹曲线", "Lorenz curve of load"),
    "share_grids": ("网格累计占比", "Cumulative share of grids"),
    "share_load": ("户数累计占比", "Cumulative share of load"),
    "equality": ("完全均衡", "Perfect equality"),
    "compactness": ("紧凑度分布", "Compactness (Polsby–Popper)"),
    "polsby": ("紧凑度", "Polsby–Popper score"),
    "types": ("网格类型汇总", "Grid types"),
    "grid_type": ("网格类型", "Grid type"),
    "mean_load": ("平均户数", "Mean load"),
    "area_km2": ("面积（km²）", "Area (km²)"),
    "within": ("容差内占比", "Within tolerance"),
    "rule_ok": ("符合类型规则", "Meets type rule"),
    "problems": ("问题清单", "Problems"),
    "no_problems": ("未发现问题。", "No problems found."),
    "not_validated": ("未运行检查。", "Validation was not run."),
    "kind": ("类型", "Kind"),
    "severity": ("级别", "Severity"),
    "grids": ("网格", "Grids"),
    "message": ("说明", "Message"),
    "count": ("数量", "Count"),
    "error": ("错误", "Error"),
    "warning": ("警告", "Warning"),
    "more_rows": ("另有 {n} 条未列出（见问题图层）。", "{n} more not listed (see the problem layer)."),
    "comparison": ("方案对比", "Plan comparison"),
    "change_map": ("变化图", "Change map"),
    "moves": ("户数迁移（按户数排序）", "Households moved (largest first)"),
    "from": ("原网格", "From"),
    "to": ("新网格", "To"),
    "households": ("户数", "Households"),
    "buildings": ("建筑", "Buildings"),
    "outside": ("网格外", "outside"),
    "definitions": ("指标定义", "Definitions"),
    "definitions_text": (
        "覆盖率 = 网格并集与区域交集面积 / 区域面积；缝隙 = 区域 − 网格并集；重叠 = 网格面积之和 − 并集面积；"
        "连续 = 网格为单一多边形；户数变异系数 = 标准差 / 均值；偏差 = (户数 − 目标) / 目标；"
        "紧凑度 = 4πA / P²（A 为面积，P 为周长）；边界沿障碍线比例 = 网格间共用边界中距道路、河流、铁路等障碍线 {adherence} m 以内的长度占比；"
        "被切割建筑 = 内部与两个及以上网格相交的建筑。",
        "Coverage = area of (union of grids ∩ area) / area; gap = area − union of grids; overlap = Σ grid areas − "
        "union area; contiguous = a grid is one polygon; load CV = std / mean; deviation = (load − target) / target; "
        "Polsby–Popper = 4πA / P²; boundary adherence = share of shared grid-edge length within {adherence} m of a "
        "barrier line (road, river, railway, wall); cut building = a building whose interior meets two or more grids.",
    ),
    "verdict_rules": ("评价规则详见插件文档中的“方案评估”一章。", "Verdict rules: see docs/assess.md."),
    "mean": ("均值", "mean"),
    "gini": ("基尼系数", "Gini"),
    "kept": ("保留", "Kept"),
    "changed": ("调整", "Changed"),
    "new": ("新增", "New"),
    "retired": ("撤销", "Retired"),
    "moved": ("迁移户数", "Households moved"),
    "moved_share": ("迁移户数占比", "Share moved"),
    "codes_kept": ("编码保留", "Codes kept"),
    "codes_changed": ("编码变更", "Codes changed"),
    "codes_reused": ("编码挪用", "Codes reused elsewhere"),
    "area_reassigned": ("改变归属的面积", "Area reassigned"),
    "old_new": ("原方案 / 新方案网格数", "Grids in old / new plan"),
    "method_buildings": ("按建筑归属统计", "counted from building assignment"),
    "method_area": ("按面积比例估算", "estimated by area share"),
    "attribution": ("数据", "Data"),
}


def _t(key: str, lang: str) -> str:
    zh, en = TEXT[key]
    return zh if lang == "zh" else en


_ZH_TABLE: dict | None = None


_MODE_ZH = {"priority": "优先级", "union": "并集"}


def localize_params(params: dict | None, lang: str = "zh") -> dict:
    """Message parameters in ``lang``: grid type codes (``type_codes``) become their labels (住宅网格 …)."""
    from ..errors import Term

    params = dict(params or {})
    # A word inside the message (points, polygons) is translated with it.
    for key, value in list(params.items()):
        if isinstance(value, Term):
            params[key] = translate_template(str(value), lang)
    # A parameter ``x`` may come with its Chinese wording in ``x_zh`` (verdict names, principle names).
    for key in [k for k in params if k.endswith("_zh")]:
        value = params.pop(key)
        if lang == "zh" and key[:-3] in params:
            params[key[:-3]] = value
    if lang == "zh" and params.get("mode") in _MODE_ZH:  # the overlap rule of classify, a code word
        params["mode"] = _MODE_ZH[params["mode"]]
    codes = params.pop("type_codes", None)
    if codes is not None:
        from ..grid_types import GRID_TYPES_BY_CODE

        labels = [
            (GRID_TYPES_BY_CODE[c].zh if lang == "zh" else GRID_TYPES_BY_CODE[c].en) if c in GRID_TYPES_BY_CODE else c
            for c in codes
        ]
        params["types"] = ("、" if lang == "zh" else ", ").join(labels) or "—"
    return params


def translate_template(template: str, lang: str = "zh") -> str:
    """The template in ``lang`` from the plugin's ``i18n/zh_CN/*.json`` tables, not yet filled in."""
    global _ZH_TABLE
    if lang != "zh":
        return template
    if _ZH_TABLE is None:
        _ZH_TABLE = {}
        for path in sorted((I18N_DIR / "zh_CN").glob("*.json")):
            try:
                _ZH_TABLE.update(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError):
                continue
    return _ZH_TABLE.get(template) or template


def translate(template: str, params: dict | None = None, lang: str = "zh") -> str:
    """Translate a core message template with the plugin's ``i18n/zh_CN/*.json`` tables (no Qt needed)."""
    params = localize_params(params, lang)
    text = translate_template(template, lang)
    try:
        return text.format(**(params or {}))
    except (KeyError, IndexError, ValueError):
        return template.format(**(params or {}))


def cjk_font_family() -> list[str]:
    """Font families for matplotlib: a CJK-capable sans first (Noto Sans CJK when installed)."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    preferred = [
        "Noto Sans CJK SC",
        "Noto Sans CJK JP",
        "Source Han Sans SC",
        "WenQuanYi Micro Hei",
        "Microsoft YaHei",
        "SimHei",
        "PingFang SC",
        "Noto Serif CJK SC",
        "Noto Serif CJK JP",
    ]
    return [n for n in preferred if n in names] + ["DejaVu Sans"]


# --------------------------------------------------------------------------------------------------
# charts
# --------------------------------------------------------------------------------------------------
def _png(fig) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _plot_polygons(ax, geoms, values=None, colors=None, cmap=None, norm=None, edgecolor="#555555", linewidth=0.3):
    """Draw shapely polygons quickly with one PatchCollection (holes kept via paths)."""
    import shapely
    from matplotlib.collections import (
        PatchCollection,
        PathCollection,  # noqa: F401 - keeps matplotlib backend import order
    )
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MplPath

    patches, owners = [], []
    for index, geom in enumerate(geoms):
        if geom is None or geom.is_empty:
            continue
        for poly in shapely.get_parts(geom):
            if poly.geom_type != "Polygon":
                continue
            rings = [np.asarray(poly.exterior.coords)[:, :2]] + [np.asarray(r.coords)[:, :2] for r in poly.interiors]
            vertices = np.concatenate(rings)
            codes = np.concatenate(
                [[MplPath.MOVETO] + [MplPath.LINETO] * (len(r) - 2) + [MplPath.CLOSEPOLY] for r in rings]
            )
            patches.append(PathPatch(MplPath(vertices, codes)))
            owners.append(index)
    collection = PatchCollection(patches, edgecolor=edgecolor, linewidth=linewidth)
    owners = np.asarray(owners, dtype=int)
    if values is not None and len(owners):
        collection.set_array(np.asarray(values, dtype=float)[owners])
        collection.set_cmap(cmap)
        collection.set_norm(norm)
    elif colors is not None and len(owners):
        collection.set_facecolor([colors[i] for i in owners])
    ax.add_collection(collection)
    ax.autoscale_view()
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    return collection


def render_charts(scorecard, *, lang: str = "zh", comparison=None, problems=None) -> dict[str, str]:
    """Render the report's charts; returns ``{name: base64 PNG}``.

    Names: ``load_hist``, ``deviation_map``, ``lorenz``, ``compactness``, ``types`` (with grid types) and
    ``change_map`` (with a comparison).
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    from matplotlib.colors import TwoSlopeNorm

    metrics = scorecard.metrics
    table = scorecard.table
    target = float(metrics["target_load"])
    tolerance = float(metrics["tolerance"])
    loads = table["load"].to_numpy(dtype=float)
    finite = loads[np.isfinite(loads)]
    charts: dict[str, str] = {}
    rc = {"font.family": cjk_font_family(), "axes.unicode_minus": False, "font.size": 10}
    with plt.rc_context(rc):
        # Load histogram with the target band.
        fig, ax = plt.subplots(figsize=(6.4, 3.8))
        if len(finite):
            upper = max(finite.max(), target * (1 + tolerance)) * 1.05
            bins = np.linspace(0, upper, 31)
            ax.axvspan(target * (1 - tolerance), target * (1 + tolerance), color="#8fd19e", alpha=0.45, lw=0)
            ax.hist(finite, bins=bins, color="#3b6ea8", edgecolor="white")
            ax.axvline(target, color="#1b7a33", lw=1.5, ls="--", label=f"{_t('target', lang)} {target:,.0f}")
            ax.legend(loc="upper right")
        ax.set_xlabel(_t("load", lang))
        ax.set_ylabel(_t("n_grids", lang))
        ax.set_title(_t("load_hist", lang))
        charts["load_hist"] = _png(fig)

        # Deviation map.
        geoms = scorecard.evaluation.grid_geoms if scorecard.evaluation is not None else None
        if geoms is not None:
            fig, ax = plt.subplots(figsize=(6.4, 5.6))
            deviation = np.clip(table["deviation_pct"].to_numpy(dtype=float), -60, 60)
            norm = TwoSlopeNorm(vmin=-60, vcenter=0, vmax=60)
            collection = _plot_polygons(ax, geoms, values=np.nan_to_num(deviation), cmap="RdBu_r", norm=norm)
            if problems is not None and len(problems):
                marks = problems[problems["kind"].isin(["gap", "overlap", "multipart", "crosses_parent"])]
                if len(marks):
                    _plot_polygons(
                        ax,
                        marks.geometry.values,
                        colors=["#ffd400"] * len(marks),
                        edgecolor="#000000",
                        linewidth=0.8,
                    )
            bar = fig.colorbar(collection, ax=ax, shrink=0.75, extend="both")
            bar.set_label(_t("deviation_pct", lang))
            for edge in (-tolerance * 100, tolerance * 100):
                bar.ax.axhline(edge, color="black", lw=0.8)
            ax.set_title(_t("deviation_map", lang))
            charts["deviation_map"] = _png(fig)

        # Lorenz curve.
        fig, ax = plt.subplots(figsize=(4.6, 4.2))
        x, y = lorenz_curve(finite)
        ax.plot([0, 1], [0, 1], color="#999999", ls="--", lw=1, label=_t("equality", lang))
        ax.plot(x, y, color="#c0392b", lw=2, label=f"{_t('gini', lang)} = {gini(finite):.3f}")
        ax.fill_between(x, y, x, color="#c0392b", alpha=0.12)
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_xlabel(_t("share_grids", lang))
        ax.set_ylabel(_t("share_load", lang))
        ax.set_title(_t("lorenz", lang))
        ax.legend(loc="upper left")
        charts["lorenz"] = _png(fig)

        # Compactness distribution.
        fig, ax = plt.subplots(figsize=(4.6, 4.2))
        pp = table["polsby_popper"].to_numpy(dtype=float)
        pp = pp[np.isfinite(pp)]
        ax.hist(pp, bins=np.linspace(0, 1, 21), color="#7d5ba6", edgecolor="white")
        if len(pp):
            ax.axvline(pp.mean(), color="black", ls="--", lw=1, label=f"{_t('mean', lang)} {pp.mean():.2f}")
            ax.legend(loc="upper right")
        ax.set_xlabel(_t("polsby", lang))
        ax.set_ylabel(_t("n_grids", lang))
        ax.set_title(_t("compactness", lang))
        charts["compactness"] = _png(fig)

        # Per-type summary.
        if scorecard.types is not None and len(scorecard.types):
            from ..grid_types import GRID_TYPES_BY_CODE

            types = scorecard.types
            labels = [
                (GRID_TYPES_BY_CODE[c].zh if lang == "zh" else GRID_TYPES_BY_CODE[c].en)
                if c in GRID_TYPES_BY_CODE
                else c
                for c in types["grid_type"]
            ]
            colours = [
                GRID_TYPES_BY_CODE[c].color if c in GRID_TYPES_BY_CODE else "#cccccc" for c in types["grid_type"]
            ]
            fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(8.8, 0.5 * len(types) + 1.8))
            positions = np.arange(len(types))
            ax1.barh(positions, types["n_grids"], color=colours, edgecolor="#555555")
            ax1.set_yticks(positions, labels)
            ax1.invert_yaxis()
            ax1.set_xlabel(_t("n_grids", lang))
            ax2.barh(positions, types["load_mean"], color=colours, edgecolor="#555555")
            ax2.axvline(target, color="#1b7a33", ls="--", lw=1)
            ax2.set_yticks(positions, [""] * len(types))
            ax2.invert_yaxis()
            ax2.set_xlabel(_t("mean_load", lang))
            fig.suptitle(_t("types", lang))
            charts["types"] = _png(fig)

        # Change map.
        if comparison is not None:
            palette = {"kept": "#d9d9d9", "changed": "#f5b041", "new": "#2e86c1", "retired": "#ffffff"}
            changes = comparison.changes
            fig, ax = plt.subplots(figsize=(6.4, 5.6))
            live = changes[changes["status"] != "retired"]
            _plot_polygons(ax, live.geometry.values, colors=[palette[s] for s in live["status"]])
            retired = changes[changes["status"] == "retired"]
            if len(retired):
                collection = _plot_polygons(
                    ax, retired.geometry.values, colors=["none"] * len(retired), edgecolor="#c0392b", linewidth=1.2
                )
                collection.set_linestyle("--")
            from matplotlib.patches import Patch

            handles = [
                Patch(facecolor=palette[s], edgecolor="#c0392b" if s == "retired" else "#555555", label=_t(s, lang))
                for s in ("kept", "changed", "new", "retired")
            ]
            ax.legend(handles=handles, loc="lower left", fontsize=8)
            ax.set_title(_t("change_map", lang))
            charts["change_map"] = _png(fig)
    return charts


# --------------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------------
def _format_metric(key: str, value) -> str:
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return "—"
    fmt = METRIC_LABELS[key][3]
    if fmt == "pct":
        return f"{value * 100:.1f}"
    if fmt == "km2":
        return f"{value / 1e6:,.3f}"
    if fmt == "km":
        return f"{value / 1e3:,.2f}"
    return fmt.format(value)


def _img(charts: dict, name: str, alt: str) -> str:
    if name not in charts:
        return ""
    return f'<figure><img alt="{html.escape(alt)}" data-chart="{name}" src="data:image/png;base64,{charts[name]}"></figure>'


def _verdict_html(scorecard, lang) -> str:
    cards = []
    for principle in (*PRINCIPLES, "overall"):
        entry = scorecard.verdicts[principle]
        verdict = entry["verdict"]
        name = _t("overall", lang) if principle == "overall" else PRINCIPLES[principle][0 if lang == "zh" else 1]
        label = VERDICTS[verdict][0 if lang == "zh" else 1]
        reasons = "".join(f"<li>{html.escape(translate(t, p, lang))}</li>" for t, p in entry["reasons"])
        cards.append(
            f'<div class="card v-{verdict}"><div class="pname">{html.escape(name)}</div>'
            f'<div class="verdict">{html.escape(label)}</div><ul>{reasons}</ul></div>'
        )
    return '<div class="cards">' + "".join(cards) + "</div>"


def _metrics_html(scorecard, lang) -> str:
    rows = []
    for key, (zh, en, unit, _fmt) in METRIC_LABELS.items():
        if key not in scorecard.metrics:
            continue
        label = zh if lang == "zh" else en
        rows.append(
            f"<tr><td>{html.escape(label)}</td><td class='num'>{_format_metric(key, scorecard.metrics[key])}</td>"
            f"<td>{html.escape(unit)}</td></tr>"
        )
    header = f"<tr><th>{_t('metric', lang)}</th><th>{_t('value', lang)}</th><th></th></tr>"
    return f"<table class='metrics'>{header}{''.join(rows)}</table>"


def _types_html(scorecard, lang) -> str:
    types = scorecard.types
    if types is None or not len(types):
        return ""
    from ..grid_types import GRID_TYPES_BY_CODE

    head = [_t("grid_type", lang), _t("n_grids", lang), _t("mean_load", lang), _t("area_km2", lang), _t("within", lang)]
    if "rule_ok" in types.columns:
        head.append(_t("rule_ok", lang))
    rows = []
    for _, row in types.iterrows():
        code = row["grid_type"]
        known = GRID_TYPES_BY_CODE.get(code)
        name = (known.zh if lang == "zh" else known.en) if known else code
        swatch = f"<span class='swatch' style='background:{known.color if known else '#ccc'}'></span>"
        cells = [
            swatch + html.escape(name),
            f"{row['n_grids']:,.0f}",
            f"{row['load_mean']:,.1f}",
            f"{row['area_km2']:,.3f}",
            f"{row['within_tolerance'] * 100:.0f}%",
        ]
        if "rule_ok" in types.columns:
            cells.append(f"{row['rule_ok'] * 100:.0f}%")
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return (
        "<table class='types'><tr>"
        + "".join(f"<th>{html.escape(h)}</th>" for h in head)
        + "</tr>"
        + "".join(rows)
        + "</table>"
    )


def _problems_html(validation, lang) -> str:
    if validation is None:
        return f"<p>{_t('not_validated', lang)}</p>"
    problems = validation.problems
    if not len(problems):
        return f"<p class='ok'>{_t('no_problems', lang)}</p>"
    counts = []
    for kind in PROBLEM_KINDS:
        n = validation.counts.get(kind.code, 0)
        if n:
            label = kind.zh if lang == "zh" else kind.en
            counts.append(
                f"<tr class='s-{kind.severity}'><td>{html.escape(label)}</td><td class='num'>{n:,}</td><td>{_t(kind.severity, lang)}</td></tr>"
            )
    summary = (
        f"<table class='counts'><tr><th>{_t('kind', lang)}</th><th>{_t('count', lang)}</th><th>{_t('severity', lang)}</th></tr>"
        + "".join(counts)
        + "</table>"
    )
    rows = []
    for _, row in problems.head(MAX_PROBLEM_ROWS).iterrows():
        kind = next(k for k in PROBLEM_KINDS if k.code == row["kind"])
        label = kind.zh if lang == "zh" else kind.en
        message = (
            translate(row["template"], row["params"], lang) if isinstance(row.get("params"), dict) else row["message"]
        )
        rows.append(
            f"<tr class='s-{row['severity']}'><td class='num'>{row['problem_id']}</td><td>{html.escape(label)}</td>"
            f"<td>{_t(row['severity'], lang)}</td><td>{html.escape(_grids_named(row))}</td><td>{html.escape(message)}</td></tr>"
        )
    more = ""
    if len(problems) > MAX_PROBLEM_ROWS:
        more = f"<p>{html.escape(_t('more_rows', lang).format(n=len(problems) - MAX_PROBLEM_ROWS))}</p>"
    head = f"<tr><th>#</th><th>{_t('kind', lang)}</th><th>{_t('severity', lang)}</th><th>{_t('grids', lang)}</th><th>{_t('message', lang)}</th></tr>"
    return summary + f"<table class='problems'>{head}{''.join(rows)}</table>" + more


def _grids_named(row) -> str:
    """The grids of a problem by their codes when the plan has codes, else by their ids."""
    codes = row.get("grid_codes")
    if isinstance(codes, str) and codes.strip(", "):
        return codes
    return str(row["grid_ids"])


def _comparison_html(comparison, charts, lang) -> str:
    if comparison is None:
        return ""
    s = comparison.summary
    method = _t("method_buildings" if s["method"] == "buildings" else "method_area", lang)
    items = [
        (_t("old_new", lang), f"{s['n_old']:,} / {s['n_new']:,}"),
        (_t("kept", lang), f"{s['kept']:,}"),
        (_t("changed", lang), f"{s['changed']:,}"),
        (_t("new", lang), f"{s['new']:,}"),
        (_t("retired", lang), f"{s['retired']:,}"),
        (_t("moved", lang), f"{s['households_moved']:,.0f} ({method})"),
        (
            _t("moved_share", lang),
            f"{s['households_moved_share'] * 100:.1f}%" if np.isfinite(s["households_moved_share"]) else "—",
        ),
        (
            _t("area_reassigned", lang),
            f"{s['area_reassigned_m2'] / 1e6:,.3f} km² ({s['area_reassigned_share'] * 100:.1f}%)",
        ),
    ]
    if s["codes_compared"]:
        items += [
            (_t("codes_kept", lang), f"{s['codes_kept']:,}"),
            (_t("codes_changed", lang), f"{s['codes_changed']:,}"),
            (_t("codes_reused", lang), f"{s['codes_reused']:,}"),
        ]
    table = (
        "<table class='metrics'>"
        + "".join(f"<tr><td>{html.escape(k)}</td><td class='num'>{v}</td></tr>" for k, v in items)
        + "</table>"
    )
    moves = comparison.moves.head(MAX_MOVE_ROWS)
    outside = _t("outside", lang)

    def name(grid_id, code):
        if grid_id is None or (isinstance(grid_id, float) and np.isnan(grid_id)):
            return outside
        if code not in (None, "") and not (isinstance(code, float) and np.isnan(code)):
            return str(code)  # a grid is known by its code
        return f"{grid_id}"

    rows = "".join(
        f"<tr><td>{html.escape(name(r.from_grid_id, r.from_code))}</td><td>{html.escape(name(r.to_grid_id, r.to_code))}</td>"
        f"<td class='num'>{r.households:,.0f}</td><td class='num'>{'' if pd.isna(r.buildings) else f'{r.buildings:,.0f}'}</td></tr>"
        for r in moves.itertuples()
    )
    head = f"<tr><th>{_t('from', lang)}</th><th>{_t('to', lang)}</th><th>{_t('households', lang)}</th><th>{_t('buildings', lang)}</th></tr>"
    return (
        f"<section><h2>{_t('comparison', lang)}</h2><div class='two'>{table}{_img(charts, 'change_map', _t('change_map', lang))}</div>"
        f"<h3>{_t('moves', lang)}</h3><table class='moves'>{head}{rows}</table></section>"
    )


def build_report(
    scorecard,
    *,
    validation=None,
    comparison=None,
    lang: str = "zh",
    title: str | None = None,
    plan_name: str = "",
    crs_name: str = "",
    attribution: str = "",
    generated: _dt.datetime | None = None,
) -> str:
    """The report as one self-contained HTML string.

    Parameters
    ----------
    scorecard : Scorecard
        From :func:`grid_plugin.core.assess.scorecard.assess`.
    validation : ValidationResult, optional
        Problems to list (and mark on the deviation map).
    comparison : ComparisonResult, optional
        Adds the comparison section and the change map.
    lang : {"zh", "en"}
    title, plan_name, crs_name, attribution : str
        Shown in the header; ``attribution`` in the footer (e.g. "© OpenStreetMap contributors").
    generated : datetime, optional
        The time printed in the header (default now), in the area's local time (:func:`report_time`).
    """
    lang = "zh" if str(lang).lower().startswith("zh") else "en"
    problems = validation.problems if validation is not None else None
    charts = render_charts(scorecard, lang=lang, comparison=comparison, problems=problems)
    generated_text = report_time(scorecard, lang, generated)
    if not crs_name and scorecard.evaluation is not None and scorecard.evaluation.crs is not None:
        from ..crs import describe_crs_words

        crs_name = describe_crs_words(scorecard.evaluation.crs, lang)
    chart_html = "".join(
        _img(charts, name, _t(name, lang)) for name in ("load_hist", "deviation_map", "lorenz", "compactness")
    )
    types_html = ""
    if "types" in charts:
        types_html = f"<section><h2>{_t('types', lang)}</h2>{_img(charts, 'types', _t('types', lang))}{_types_html(scorecard, lang)}</section>"
    meta = [f"{_t('generated', lang)}: {generated_text}"]
    if plan_name:
        meta.append(f"{_t('plan', lang)}: {html.escape(plan_name)}")
    if crs_name:
        meta.append(f"{_t('crs', lang)}: {html.escape(crs_name)}")
    footer = html.escape(_t("definitions_text", lang).format(adherence=f"{scorecard.metrics.get('adherence_m', 5):g}"))
    if attribution:
        footer += f"<br>{_t('attribution', lang)}: {html.escape(attribution)}"
    template = TEMPLATE_PATH.read_text(encoding="utf-8")
    values = {
        "lang": "zh-CN" if lang == "zh" else "en",
        "title": html.escape(title or _t("title", lang)),
        "meta": " · ".join(meta),
        "verdicts_title": _t("verdicts", lang),
        "verdicts": _verdict_html(scorecard, lang),
        "scorecard_title": _t("scorecard", lang),
        "metrics": _metrics_html(scorecard, lang),
        "charts_title": _t("charts", lang),
        "charts": chart_html,
        "types": types_html,
        "problems_title": _t("problems", lang),
        "problems": _problems_html(validation, lang),
        "comparison": _comparison_html(comparison, charts, lang),
        "definitions_title": _t("definitions", lang),
        "definitions": footer + "<br>" + _t("verdict_rules", lang),
    }
    for key, value in values.items():
        template = template.replace("{{" + key + "}}", value)
    return template


def report_time(scorecard, lang: str = "zh", when: _dt.datetime | None = None) -> str:
    """``when`` (default now) in the plan area's local time: Beijing time in China, else the nominal zone.

    The area is where the grids are (their centre in longitude/latitude); without grids, UTC.
    """
    when = when or _dt.datetime.now(_dt.timezone.utc)
    if when.tzinfo is None:
        when = when.replace(tzinfo=_dt.timezone.utc)
    zone, label = _dt.timezone.utc, "UTC"
    evaluation = scorecard.evaluation if scorecard is not None else None
    if evaluation is not None and evaluation.crs is not None and evaluation.grid_geoms is not None:
        try:
            import pyproj
            import shapely

            from ..crs import local_time_zone

            x0, y0, x1, y1 = shapely.total_bounds(np.asarray(evaluation.grid_geoms, dtype=object))
            to_lonlat = pyproj.Transformer.from_crs(evaluation.crs, 4326, always_xy=True)
            lon, lat = to_lonlat.transform((x0 + x1) / 2, (y0 + y1) / 2)
            if np.isfinite(lon) and np.isfinite(lat):
                zone, label = local_time_zone(lon, lat)
        except Exception:  # noqa: BLE001 - a time label must never stop the report
            zone, label = _dt.timezone.utc, "UTC"
    if lang != "zh" and label == "北京时间":
        label = "Beijing time (UTC+8)"
    local = when.astimezone(zone)
    return f"{local:%Y-%m-%d %H:%M} {label}"


def write_report(path, html_text: str) -> Path:
    """Write the HTML atomically (a temporary file renamed into place)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=".report-", suffix=".html", dir=path.parent)
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(html_text)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
    return path


def find_chromium() -> str | None:
    """The path of a Chromium/Chrome executable, or None."""
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"):
        if Path(candidate).exists():
            return candidate
    return None


def chromium_command(browser: str, user_data_dir: str, *extra: str) -> list[str]:
    """A headless Chromium command line that touches no network and no user profile."""
    return [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={user_data_dir}",
        *extra,
    ]


def html_to_pdf(html_path, pdf_path, *, timeout_s: float = 180) -> bool:
    """Print ``html_path`` to ``pdf_path`` with headless Chromium; False when no browser or it failed."""
    browser = find_chromium()
    if browser is None:
        return False
    html_path = Path(html_path).resolve()
    pdf_path = Path(pdf_path).resolve()
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gp-chromium-") as profile:
        tmp_pdf = Path(profile) / "out.pdf"
        command = chromium_command(
            browser, profile, "--no-pdf-header-footer", f"--print-to-pdf={tmp_pdf}", html_path.as_uri()
        )
        try:
            subprocess.run(command, capture_output=True, timeout=timeout_s, check=False)
        except (OSError, subprocess.TimeoutExpired):
            return False
        if not tmp_pdf.exists() or tmp_pdf.stat().st_size == 0:
            return False
        with atomic_output(pdf_path) as temporary:
            shutil.copyfile(tmp_pdf, temporary)
    return True
