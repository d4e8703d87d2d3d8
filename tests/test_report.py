"""The plan report renders: self-contained HTML with decodable, non-blank charts, in headless Chromium and as PDF."""

from __future__ import annotations

import base64
import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from gridplanner.grid_plugin.core.assess.compare import compare_plans
from gridplanner.grid_plugin.core.assess.report import (
    build_report,
    chromium_command,
    find_chromium,
    html_to_pdf,
    write_report,
)
from gridplanner.grid_plugin.core.assess.scorecard import assess
from gridplanner.grid_plugin.core.assess.validate import validate_plan
from shapely.geometry import LineString, box

CRS = "EPSG:4547"
ARTIFACTS = Path(__file__).resolve().parent.parent / ".cache" / "test_report"


def plan_fixture():
    """A 6×4 plan of 100 m grids with varied loads, two types, one planted gap and a road network."""
    rng = np.random.default_rng(3)
    geoms, loads, types, codes = [], [], [], []
    for j in range(4):
        for i in range(6):
            geoms.append(box(i * 100, j * 100, (i + 1) * 100, (j + 1) * 100))
            loads.append(int(rng.normal(400, 80)))
            types.append("residential" if i < 4 else "village")
            codes.append(f"110105001001{len(codes) + 1:03d}")
    geoms[5] = box(500, 0, 590, 100)  # a gap
    grids = gpd.GeoDataFrame(
        {"grid_id": range(1, 25), "grid_code": codes, "load": loads, "grid_type": types}, geometry=geoms, crs=CRS
    )
    roads = gpd.GeoDataFrame(
        {"highway": ["residential"] * 8},
        geometry=[LineString([(x, -10), (x, 410)]) for x in (100, 200, 300, 400, 500)]
        + [LineString([(-10, y), (610, y)]) for y in (100, 200, 300)],
        crs=CRS,
    )
    return grids, box(0, 0, 600, 400), roads


def nonblank_png(data: bytes) -> float:
    """Standard deviation of the decoded image's pixels (0 for a blank image)."""
    import matplotlib.image as mpimg

    image = mpimg.imread(io.BytesIO(data), format="png")
    return float(np.asarray(image)[..., :3].std())


@pytest.fixture(scope="module")
def reports():
    grids, area, roads = plan_fixture()
    validation = validate_plan(grids, area)
    scorecard = assess(grids, area, None, roads, evaluation=None)
    old = grids.copy()
    old.loc[0, "geometry"] = box(0, 0, 150, 100)  # overlaps grid 2 in the old plan, so grids 1 and 2 changed
    comparison = compare_plans(old, grids)
    out = {}
    for lang in ("zh", "en"):
        html_text = build_report(scorecard, validation=validation, comparison=comparison, lang=lang, plan_name="test")
        out[lang] = write_report(ARTIFACTS / f"report_{lang}.html", html_text)
    return out


def test_report_is_self_contained_with_every_chart(reports):
    text = reports["zh"].read_text(encoding="utf-8")
    images = re.findall(r'data-chart="(\w+)" src="data:image/png;base64,([A-Za-z0-9+/=]+)"', text)
    names = [name for name, _ in images]
    assert names == ["load_hist", "deviation_map", "lorenz", "compactness", "types", "change_map"]
    for name, payload in images:
        data = base64.b64decode(payload)
        assert data[:8] == b"\x89PNG\r\n\x1a\n", name
        assert nonblank_png(data) > 0.02, f"chart {name} is blank"
    # nothing is fetched from elsewhere: no external src/href
    assert not re.search(r'(src|href)="(https?:|file:|//)', text)


def test_report_content_in_both_languages(reports):
    zh = reports["zh"].read_text(encoding="utf-8")
    en = reports["en"].read_text(encoding="utf-8")
    assert "网格规划方案评估报告" in zh and "完整性" in zh and "缝隙" in zh and "方案对比" in zh
    assert "Grid plan assessment report" in en and "Completeness" in en and "Plan comparison" in en
    # the planted gap is a completeness failure, listed as a problem with its area
    assert "v-fail" in en or "v-partial" in en
    assert "1,000.0 m²" in en or "1,000 m²" in en
    # difference judged from grid_type
    assert "住宅网格" in zh and "村庄网格" in zh


def _chromium_or_skip():
    browser = find_chromium()
    if browser is None:
        pytest.skip("no Chromium installed")
    return browser


def test_report_renders_in_headless_chromium(reports):
    browser = _chromium_or_skip()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for lang, path in reports.items():
        shot = ARTIFACTS / f"screenshot_{lang}.png"
        shot.unlink(missing_ok=True)
        with tempfile.TemporaryDirectory() as profile:
            command = chromium_command(
                browser,
                profile,
                f"--screenshot={shot}",
                "--window-size=1200,2400",
                "--hide-scrollbars",
                path.resolve().as_uri(),
            )
            subprocess.run(command, capture_output=True, timeout=120, check=False)
        assert shot.exists(), f"Chromium wrote no screenshot for {lang}"
        import matplotlib.image as mpimg

        image = np.asarray(mpimg.imread(shot))[..., :3]
        assert image.shape[0] >= 2000 and image.shape[1] >= 1100
        assert image.std() > 0.05, "the screenshot is blank"
        # the charts are drawn: the blue of the histogram bars (#3b6ea8) is on the page
        blue = (np.abs(image - np.array([0x3B, 0x6E, 0xA8]) / 255).max(axis=-1) < 0.04).sum()
        assert blue > 2000, f"histogram bars not visible in the {lang} screenshot ({blue} px)"


def test_report_prints_to_pdf_with_chinese_text(reports):
    _chromium_or_skip()
    pdf = ARTIFACTS / "report_zh.pdf"
    pdf.unlink(missing_ok=True)
    assert html_to_pdf(reports["zh"], pdf)
    assert pdf.stat().st_size > 50_000
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "网格规划方案评估报告" in text
        assert "完整性" in text


def test_planreport_end_to_end_with_qgis_process(tmp_path):
    """qgis_process on the real Kotka sample: partition grids in, HTML and PDF out, in Chinese."""
    from gridplanner.grid_plugin.core.partition.engine import partition
    from helpers import prepared_sample, run_qgis_process

    sample = prepared_sample("kotka")
    layers = {n: gpd.read_file(sample, layer=n) for n in ("boundary", "buildings", "roads")}
    grids = partition(layers["boundary"], layers["buildings"], layers["roads"], barrier_class_field="highway").grids
    plan = tmp_path / "plan.gpkg"
    grids.to_file(plan, layer="grids")
    html_path = tmp_path / "kotka_report.html"
    result = run_qgis_process(
        "run",
        "gridplanner:planreport",
        "--",
        f"GRIDS={plan}|layername=grids",
        f"AREA={sample}|layername=boundary",
        f"BUILDINGS={sample}|layername=buildings",
        f"BARRIERS={sample}|layername=roads",
        "LANGUAGE=0",
        f"OUTPUT_HTML={html_path}",
        "WRITE_PDF=true",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    text = html_path.read_text(encoding="utf-8")
    assert "网格规划方案评估报告" in text and text.count("data:image/png;base64,") == 4
    pdf = html_path.with_suffix(".pdf")
    if find_chromium() is not None:
        assert pdf.exists() and pdf.stat().st_size > 50_000
    # the log carries the verdicts and the summary line, in the report's language (LANGUAGE=0: Chinese)
    assert "完整性" in result.stdout and "覆盖率 100.000%" in result.stdout
    assert "Completeness" not in result.stdout


#: Latin tokens a Chinese report may hold: codes, units and names that are written this way in Chinese too.
ALLOWED_LATIN = {"EPSG", "PDF", "OSM", "CGCS", "WGS", "UTM", "GIS", "OpenStreetMap", "contributors", "Polsby", "Popper"}


def _visible_text(html_text: str) -> str:
    """The text a reader sees: no tags, no CSS, no embedded images."""
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self):
            super().__init__()
            self.parts, self.skip = [], 0

        def handle_starttag(self, tag, attrs):
            self.skip += tag in ("style", "script")

        def handle_endtag(self, tag):
            self.skip -= tag in ("style", "script")

        def handle_data(self, data):
            if not self.skip:
                self.parts.append(data)

    parser = Text()
    parser.feed(html_text)
    return " ".join(parser.parts)


def test_chinese_report_has_no_english_and_names_grids_by_code():
    """A Chinese report in Shenzhen: no English word, type labels, 户数, counts as in the table, Beijing time."""
    from shapely import affinity

    grids, area, roads = plan_fixture()
    shift = {"xoff": 500000.0, "yoff": 2500000.0}  # CGCS2000 / 3° GK CM 114°E: in Shenzhen
    grids["geometry"] = grids.geometry.translate(**shift)
    roads["geometry"] = roads.geometry.translate(**shift)
    area = affinity.translate(area, **shift)
    grids.loc[3, "geometry"] = grids.loc[3, "geometry"].union(
        box(500000 + 150, 2500000 + 350, 500000 + 160, 2500000 + 360)
    )
    grids.loc[7, "grid_type"] = "crowded"
    grids.loc[8, "grid_type"] = "enterprise"
    validation = validate_plan(grids, area, code_field="grid_code")
    scorecard = assess(grids, area, None, roads, evaluation=None)
    import datetime as dt

    html_text = build_report(
        scorecard, validation=validation, lang="zh", generated=dt.datetime(2026, 12, 6, 12, 0, tzinfo=dt.timezone.utc)
    )
    text = _visible_text(html_text)
    words = set(re.findall(r"[A-Za-z]{3,}", text)) - ALLOWED_LATIN
    assert not words, f"English words in the Chinese report: {sorted(words)}"
    assert "住宅网格" in text and "人员密集场所网格" in text and "企事业单位网格" in text
    assert "负荷" not in text and "户数" in text
    assert "2026-12-06 20:00 北京时间" in text
    assert "2000国家大地坐标系 高斯-克吕格 3度带 中央经线 114°E (EPSG:4547)" in text
    # the multipart grid is named by its code, not by its id
    assert "网格 110105001001004 由" in text or "110105001001004" in text.split("不连续")[-1]
    # the balance card counts the grids the table counts
    n_balanced = scorecard.metrics["balance_n_grids"]
    share = scorecard.metrics["balance_share_within"] * 100
    assert f"按户数均衡的 {n_balanced} 个网格中 {share:.1f}%" in text
    assert "按户数均衡的网格数" in text and "其中容差以内" in text
