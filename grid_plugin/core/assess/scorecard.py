"""The four-principle scorecard of a grid plan: metrics, per-grid table and a verdict per principle.

Verdicts are ``pass`` (符合), ``partial`` (基本符合), ``fail`` (不符合) or ``not_assessed`` (未评估), by these
rules (every threshold is a field of :class:`Thresholds`, exposed as a parameter of ``gridplanner:assess``):

**Completeness** (完整性) — *pass* when gaps and overlaps are each at most ``max_gap_m2_per_km2`` (1 m² per km²
of area), no building is cut (``cut_building_share`` ≤ ``max_cut_share``, default 0) and no grid crosses a
parent boundary (when parents were checked); *partial* when coverage ≥ ``partial_coverage_pct`` (99 %), overlap
≤ 1 % of the area and at most ``partial_cut_share`` (1 %) of buildings are cut; *fail* otherwise.

**Convenience** (便利性) — *pass* when every grid is one contiguous piece, the mean Polsby–Popper score is at
least ``min_polsby_popper_mean`` (0.30) and, when barriers were given, at least ``min_adherence`` (85 %) of
internal grid edges follow a barrier line; *partial* when at least ``partial_contiguous_share`` (95 %) of grids
are contiguous, the mean Polsby–Popper is at least 0.20 and adherence (when measured) at least
``partial_adherence`` (60 %); *fail* otherwise. Without barriers adherence is left out of the verdict.

**Balance** (均衡性) — over the grids balanced by households (all grids, or, with a ``grid_type`` field, the
types whose rule is ``households``: residential, village, plus mixed and unknown): *pass* when at least
``min_share_within`` (90 %) are within the tolerance of the target; *partial* when at least
``partial_share_within`` (70 %) are; *fail* otherwise.

**Difference** (差异性) — *not assessed* without a ``grid_type`` field. Otherwise every grid must carry a
known type (*partial* when ≥ 80 % do) and respect its type's rule in the rule table
(``grid_plugin/mappings/grid_rules.csv``): household types within their own tolerance of their target and
below their maximum load, typed areas (industrial parks, farmland, forest, water …) below their maximum
area, open-land types (farmland, forest, water, mountain, tidal flat) holding at most
``max_land_load_share`` (50 %) of the household target. *pass* when all typed grids respect their rule;
*partial* when at least 90 % do; *fail* otherwise.

The **overall** verdict is the worst of the assessed principles.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from ..errors import N_, Report
from .balance import household_targets
from .metrics import evaluate_plan

__all__ = [
    "VERDICTS",
    "PRINCIPLES",
    "Thresholds",
    "Scorecard",
    "principle_verdicts",
    "assess",
    "METRIC_LABELS",
    "type_summary",
]

#: verdict code → (Chinese, English)
VERDICTS = {
    "pass": ("符合", "Pass"),
    "partial": ("基本符合", "Partly met"),
    "fail": ("不符合", "Fail"),
    "not_assessed": ("未评估", "Not assessed"),
}
#: principle code → (Chinese, English)
PRINCIPLES = {
    "completeness": ("完整性", "Completeness"),
    "convenience": ("便利性", "Convenience"),
    "balance": ("均衡性", "Balance"),
    "difference": ("差异性", "Difference"),
}
_RANK = {"pass": 0, "partial": 1, "fail": 2}
_LAND_TYPES = ("farmland", "forest", "water", "mountain", "tidal_flat")

#: metric key → (Chinese, English, unit, format)
METRIC_LABELS = {
    "n_grids": ("网格数", "Grids", "", "{:,.0f}"),
    "area_m2": ("区域面积", "Area", "km²", "km2"),
    "coverage_pct": ("覆盖率", "Coverage", "%", "{:.3f}"),
    "gap_m2": ("缝隙面积", "Gap area", "m²", "{:,.2f}"),
    "overlap_m2": ("重叠面积", "Overlap area", "m²", "{:,.2f}"),
    "outside_m2": ("超出区域面积", "Area outside", "m²", "{:,.2f}"),
    "contiguous_share": ("连续网格占比", "Contiguous grids", "%", "pct"),
    "n_with_holes": ("含孔洞网格数", "Grids with holes", "", "{:,.0f}"),
    "total_load": ("总户数", "Total load", "", "{:,.0f}"),
    "mean_load": ("平均户数", "Mean load", "", "{:,.1f}"),
    "min_load": ("最小户数", "Min load", "", "{:,.0f}"),
    "max_load": ("最大户数", "Max load", "", "{:,.0f}"),
    "target_load": ("目标户数", "Target load", "", "{:,.0f}"),
    "load_cv": ("户数变异系数", "Load CV", "", "{:.3f}"),
    "load_gini": ("户数基尼系数", "Load Gini", "", "{:.3f}"),
    "max_abs_deviation_pct": ("最大偏差", "Max |deviation|", "%", "{:.1f}"),
    "share_within_10": ("偏差±10%以内", "Within ±10%", "%", "pct"),
    "share_within_20": ("偏差±20%以内", "Within ±20%", "%", "pct"),
    "share_within_tolerance": ("容差以内", "Within tolerance", "%", "pct"),
    "balance_n_grids": ("按户数均衡的网格数", "Grids balanced by households", "", "{:,.0f}"),
    "balance_share_within": ("其中容差以内", "of which within tolerance", "%", "pct"),
    "polsby_popper_mean": ("紧凑度均值", "Polsby–Popper mean", "", "{:.3f}"),
    "polsby_popper_min": ("紧凑度最小值", "Polsby–Popper min", "", "{:.3f}"),
    "boundary_adherence": ("边界沿障碍线比例", "Boundary adherence", "%", "pct"),
    "internal_edge_m": ("内部边界长度", "Internal edge length", "km", "km"),
    "n_buildings": ("建筑数", "Buildings", "", "{:,.0f}"),
    "n_cut_buildings": ("被切割建筑数", "Cut buildings", "", "{:,.0f}"),
    "cut_building_share": ("被切割建筑占比", "Share of buildings cut", "%", "pct"),
    "n_outside_buildings": ("网格外建筑数", "Buildings outside grids", "", "{:,.0f}"),
}


@dataclass
class Thresholds:
    """The verdict thresholds (see the module docstring for the rules)."""

    max_gap_m2_per_km2: float = 1.0
    max_cut_share: float = 0.0
    partial_coverage_pct: float = 99.0
    partial_cut_share: float = 0.01
    min_polsby_popper_mean: float = 0.30
    partial_polsby_popper_mean: float = 0.20
    min_adherence: float = 0.85
    partial_adherence: float = 0.60
    partial_contiguous_share: float = 0.95
    min_share_within: float = 0.90
    partial_share_within: float = 0.70
    max_land_load_share: float = 0.5
    min_typed_share: float = 1.0
    partial_typed_share: float = 0.8
    partial_rule_share: float = 0.9


@dataclass
class Scorecard:
    """The assessment of one plan.

    Attributes
    ----------
    metrics : dict
        Whole-plan metrics (:func:`grid_plugin.core.assess.metrics.plan_metrics` keys).
    table : pandas.DataFrame
        Per-grid metrics plus ``rule_ok`` / ``rule_note`` when grid types were judged.
    verdicts : dict
        ``{principle: {"verdict": code, "reasons": [(template, params), ...]}}`` and ``overall``.
    thresholds : Thresholds
    evaluation : PlanEvaluation
    """

    metrics: dict
    table: pd.DataFrame
    verdicts: dict
    thresholds: Thresholds
    evaluation: object = None
    types: pd.DataFrame | None = field(default=None)

    def as_rows(self, lang: str = "zh") -> list[tuple[str, str, float, str]]:
        """(key, label, value, unit) rows of the headline metrics, for tables and sinks."""
        rows = []
        for key, (zh, en, unit, _fmt) in METRIC_LABELS.items():
            if key in self.metrics:
                rows.append((key, zh if lang == "zh" else en, self.metrics[key], unit))
        return rows

    def to_dict(self) -> dict:
        """Plain data (JSON-friendly)."""
        return {"metrics": self.metrics, "verdicts": self.verdicts, "thresholds": asdict(self.thresholds)}


def _worst(verdicts) -> str:
    assessed = [v for v in verdicts if v in _RANK]
    if not assessed:
        return "not_assessed"
    return max(assessed, key=_RANK.get)


def _type_rules(table: pd.DataFrame, rules, target_load: float, tolerance: float, th: Thresholds):
    """Per grid: does it respect its type's rule? Returns (ok array, note list)."""
    ok = np.ones(len(table), dtype=bool)
    notes = [""] * len(table)
    types = table["grid_type"].astype(object).where(table["grid_type"].notna(), "").astype(str).to_numpy()
    loads = table["load"].to_numpy(dtype=float)
    areas = table["area_m2"].to_numpy(dtype=float)
    _, targets, tolerances = household_targets(types, rules, target_load, tolerance)
    for i, code in enumerate(types):
        rule = rules.by_type(code) if rules is not None else None
        if code in ("", "unknown"):
            continue
        if rule is not None and rule.load_rule == "households" and np.isfinite(loads[i]):
            target, tol = targets[i], tolerances[i]
            if abs(loads[i] - target) > tol * target + 1e-9:
                ok[i] = False
                notes[i] = f"load {loads[i]:.0f} outside {target:.0f}±{tol * 100:.0f}%"
            if rule.max_load and loads[i] > rule.max_load:
                ok[i] = False
                notes[i] = f"load {loads[i]:.0f} above max {rule.max_load:.0f}"
        if rule is not None and rule.max_area_m2 and areas[i] > rule.max_area_m2 * (1 + 1e-9):
            ok[i] = False
            notes[i] = f"area {areas[i] / 1e6:.2f} km² above max {rule.max_area_m2 / 1e6:.2f} km²"
        if code in _LAND_TYPES and np.isfinite(loads[i]) and loads[i] > th.max_land_load_share * target_load:
            ok[i] = False
            notes[i] = f"open land holding {loads[i]:.0f} households"
    return ok, notes


def type_summary(table: pd.DataFrame) -> pd.DataFrame | None:
    """Per grid type: grids, load (sum, mean), area, share within tolerance, share respecting the type rule."""
    if "grid_type" not in table.columns:
        return None
    frame = table.assign(grid_type=table["grid_type"].fillna("unknown").astype(str))
    agg = {
        "n_grids": ("load", "size"),
        "load_sum": ("load", "sum"),
        "load_mean": ("load", "mean"),
        "area_km2": ("area_m2", lambda a: a.sum() / 1e6),
        "within_tolerance": ("within_tolerance", "mean"),
    }
    if "rule_ok" in frame.columns:
        agg["rule_ok"] = ("rule_ok", "mean")
    return frame.groupby("grid_type", sort=False).agg(**agg).reset_index()


_BALANCE_REASON = N_(
    "{value}% of the {n} grids balanced by households are within ±{tolerance}% of the target {target} (goal {limit}%)."
)
_BALANCE_REASON_BY_TYPE = N_(
    "{value}% of the {n} grids balanced by households are within the tolerance of their type's target "
    "({targets}) (goal {limit}%)."
)


def _balance_reason(share, n, targets, tolerances, th):
    """The balance sentence: one target, or each type's target and tolerance when they differ."""
    pairs = sorted({(float(t), float(tol)) for t, tol in zip(targets, tolerances)})
    params = {"value": f"{share * 100:.1f}", "n": n, "limit": f"{th.min_share_within * 100:.0f}"}
    if len(pairs) == 1:
        return _BALANCE_REASON, {**params, "tolerance": f"{pairs[0][1] * 100:.0f}", "target": f"{pairs[0][0]:,.0f}"}
    targets_text = ", ".join(f"{t:,.0f} ±{tol * 100:.0f}%" for t, tol in pairs)
    return _BALANCE_REASON_BY_TYPE, {**params, "targets": targets_text}


def principle_verdicts(
    metrics: dict,
    table: pd.DataFrame,
    thresholds: Thresholds | None = None,
    *,
    n_parent_crossings: int | None = None,
    rules=None,
    tolerance: float = 0.2,
    target_load: float = 400,
) -> dict:
    """Apply the verdict rules of the module docstring; ``table`` gains ``rule_ok``/``rule_note`` with types."""
    th = thresholds or Thresholds()
    out = {}
    area_km2 = metrics["area_m2"] / 1e6 if metrics.get("area_m2") else 0.0

    # Completeness
    reasons = []
    limit_m2 = th.max_gap_m2_per_km2 * max(area_km2, 1e-9)
    cut_share = metrics.get("cut_building_share")
    cut_share = 0.0 if cut_share is None or not np.isfinite(cut_share) else cut_share
    ok = metrics["gap_m2"] <= limit_m2 and metrics["overlap_m2"] <= limit_m2 and cut_share <= th.max_cut_share
    if metrics["gap_m2"] > limit_m2:
        reasons.append(
            (
                N_("Gaps cover {value} m² (limit {limit} m²)."),
                {"value": f"{metrics['gap_m2']:,.1f}", "limit": f"{limit_m2:,.1f}"},
            )
        )
    if metrics["overlap_m2"] > limit_m2:
        reasons.append(
            (
                N_("Overlaps cover {value} m² (limit {limit} m²)."),
                {"value": f"{metrics['overlap_m2']:,.1f}", "limit": f"{limit_m2:,.1f}"},
            )
        )
    if cut_share > th.max_cut_share:
        reasons.append((N_("{n} buildings are cut by grid edges."), {"n": metrics.get("n_cut_buildings", 0)}))
    if n_parent_crossings:
        ok = False
        reasons.append((N_("{n} grids cross a parent boundary."), {"n": n_parent_crossings}))
    if not np.isfinite(metrics.get("cut_building_share", np.nan)):
        reasons.append((N_("Cut buildings not checked: no building layer."), {}))
    partial = (
        metrics["coverage_pct"] >= th.partial_coverage_pct
        and metrics["overlap_m2"] <= 0.01 * metrics["area_m2"]
        and cut_share <= th.partial_cut_share
    )
    out["completeness"] = {"verdict": "pass" if ok else ("partial" if partial else "fail"), "reasons": reasons}

    # Convenience
    reasons = []
    adherence = metrics.get("boundary_adherence", np.nan)
    measured = adherence is not None and np.isfinite(adherence)
    pp = metrics["polsby_popper_mean"]
    contiguous = metrics["contiguous_share"]
    ok = contiguous >= 1.0 and pp >= th.min_polsby_popper_mean and (not measured or adherence >= th.min_adherence)
    partial = (
        contiguous >= th.partial_contiguous_share
        and pp >= th.partial_polsby_popper_mean
        and (not measured or adherence >= th.partial_adherence)
    )
    if contiguous < 1.0:
        reasons.append((N_("{n} grids are not one contiguous piece."), {"n": metrics.get("n_multipart", 0)}))
    if pp < th.min_polsby_popper_mean:
        reasons.append(
            (
                N_("Mean compactness {value} is below {limit}."),
                {"value": f"{pp:.2f}", "limit": f"{th.min_polsby_popper_mean:.2f}"},
            )
        )
    if measured and adherence < th.min_adherence:
        reasons.append(
            (
                N_("Only {value}% of internal edges follow a barrier line (goal {limit}%)."),
                {"value": f"{adherence * 100:.1f}", "limit": f"{th.min_adherence * 100:.0f}"},
            )
        )
    if not measured:
        reasons.append((N_("Boundary adherence not measured: no barrier lines."), {}))
    out["convenience"] = {"verdict": "pass" if ok else ("partial" if partial else "fail"), "reasons": reasons}

    # Balance
    reasons = []
    has_types = "grid_type" in table.columns
    if has_types:
        # each household grid against its own type's target (a village at the village row's, when it has one)
        is_balanced, targets, tolerances = household_targets(table["grid_type"], rules, target_load, tolerance)
        balanced = table[is_balanced]
        targets, tolerances = targets[is_balanced], tolerances[is_balanced]
    else:
        balanced = table
        targets = np.full(len(table), float(target_load))
        tolerances = np.full(len(table), float(tolerance))
    loads = balanced["load"].to_numpy(dtype=float)
    if len(balanced) == 0 or not np.isfinite(loads).all():
        verdict = "not_assessed"
        reasons.append((N_("No grids balanced by households (no load or no household grid types)."), {}))
    else:
        within = np.abs(loads - targets) <= tolerances * targets + 1e-9
        if has_types:
            table.loc[balanced.index, "within_tolerance"] = within
        share = float(within.mean())
        verdict = (
            "pass" if share >= th.min_share_within else ("partial" if share >= th.partial_share_within else "fail")
        )
        reasons.append(_balance_reason(share, len(balanced), targets, tolerances, th))
        metrics["balance_share_within"] = share
        metrics["balance_n_grids"] = len(balanced)
    out["balance"] = {"verdict": verdict, "reasons": reasons}

    # Difference
    reasons = []
    if not has_types:
        verdict = "not_assessed"
        reasons.append((N_("Not assessed: the grid layer has no grid_type field."), {}))
    else:
        types = table["grid_type"].astype(object).where(table["grid_type"].notna(), "").astype(str)
        typed_share = float((~types.isin(["", "unknown"])).mean())
        rule_ok, notes = _type_rules(table, rules, target_load, tolerance, th)
        table["rule_ok"] = rule_ok
        table["rule_note"] = notes
        typed_mask = ~types.isin(["", "unknown"]).to_numpy()
        rule_share = float(rule_ok[typed_mask].mean()) if typed_mask.any() else 0.0
        present = sorted(set(types[typed_mask]))
        metrics["typed_share"] = typed_share
        metrics["type_rule_share"] = rule_share
        metrics["grid_types_present"] = ", ".join(present)
        # The codes are kept in ``type_codes`` so a report or log can name the types in its own language.
        reasons.append(
            (N_("Grid types present: {types}."), {"types": ", ".join(present) or "—", "type_codes": present})
        )
        if typed_share < th.min_typed_share:
            reasons.append((N_("{value}% of grids have a known type."), {"value": f"{typed_share * 100:.1f}"}))
        if rule_share < 1.0:
            reasons.append((N_("{n} typed grids break their type's rule."), {"n": int((~rule_ok[typed_mask]).sum())}))
        if typed_share >= th.min_typed_share and rule_share >= 1.0:
            verdict = "pass"
        elif typed_share >= th.partial_typed_share and rule_share >= th.partial_rule_share:
            verdict = "partial"
        else:
            verdict = "fail"
    out["difference"] = {"verdict": verdict, "reasons": reasons}
    out["overall"] = {"verdict": _worst(v["verdict"] for v in out.values()), "reasons": []}
    return out


def assess(
    grids,
    area=None,
    buildings=None,
    barriers=None,
    *,
    load_field: str = "load",
    building_load_field: str = "households",
    target_load: float = 400,
    tolerance: float = 0.2,
    adherence_m: float = 5.0,
    thresholds: Thresholds | None = None,
    type_field: str | None = None,
    n_parent_crossings: int | None = None,
    evaluation=None,
    rules=None,
    report: Report | None = None,
) -> Scorecard:
    """The scorecard of a plan: metrics for the plan and per grid, and a verdict per principle.

    Parameters are those of :func:`grid_plugin.core.assess.metrics.evaluate_plan`, plus ``thresholds``
    (:class:`Thresholds`), ``type_field`` (grid type field, default ``grid_type`` when present),
    ``n_parent_crossings`` (from validation, counted against completeness), ``evaluation`` (reuse a pass
    already computed, e.g. by validation) and ``rules`` (the rule table of the grid types; default the shipped
    one).
    """
    report = report if report is not None else Report()
    if evaluation is None:
        evaluation = evaluate_plan(
            grids,
            area,
            buildings,
            barriers,
            load_field=load_field,
            building_load_field=building_load_field,
            target_load=target_load,
            tolerance=tolerance,
            adherence_m=adherence_m,
            report=report,
        )
    metrics = dict(evaluation.metrics)
    table = evaluation.table.copy()
    type_field = type_field or ("grid_type" if "grid_type" in getattr(grids, "columns", []) else None)
    if type_field:
        table["grid_type"] = grids[type_field].to_numpy()
        if rules is None:
            try:
                from ..difference.rules import load_rules

                rules = load_rules()
            except Exception:  # noqa: BLE001 - without the rule table only the generic rules apply
                rules = None
    elif "grid_type" in table.columns:
        table = table.drop(columns="grid_type")
    verdicts = principle_verdicts(
        metrics,
        table,
        thresholds,
        n_parent_crossings=n_parent_crossings,
        rules=rules,
        tolerance=tolerance,
        target_load=target_load,
    )
    for principle, (zh, en) in PRINCIPLES.items():
        verdict_zh, verdict_en = VERDICTS[verdicts[principle]["verdict"]]
        report.info(
            N_("{principle}: {verdict}"), principle=en, verdict=verdict_en, principle_zh=zh, verdict_zh=verdict_zh
        )
    return Scorecard(
        metrics=metrics,
        table=table,
        verdicts=verdicts,
        thresholds=thresholds or Thresholds(),
        evaluation=evaluation,
        types=type_summary(table),
    )
