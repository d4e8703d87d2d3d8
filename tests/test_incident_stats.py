"""Per-grid incident statistics on real data, checked against independent counts and PySAL esda."""

from __future__ import annotations

import datetime as dt

import esda
import geopandas as gpd
import libpysal
import numpy as np
import pandas as pd
import pytest
import shapely
from gridplanner.grid_plugin.core.errors import InputError, Report
from gridplanner.grid_plugin.core.incidents import hotspots
from gridplanner.grid_plugin.core.incidents.dates import parse_one
from gridplanner.grid_plugin.core.incidents.heatmap import incident_heatmap
from gridplanner.grid_plugin.core.incidents.selection import select_incidents
from gridplanner.grid_plugin.core.incidents.stats import grid_incident_stats
from helpers import shared_file
from matplotlib.path import Path as MplPath
from scipy.stats import false_discovery_control
from test_incident_samples import US_FOOT_M, chicago_carjackings, mission_grid, sf_incidents


def _arithmetic_cell(sf, x0, y0, step, n=6):
    """Grid index of each point by integer arithmetic (−1 outside): an independent point-in-square count."""
    i = np.floor((sf.geometry.x.to_numpy() - x0) / step).astype(int)
    j = np.floor((sf.geometry.y.to_numpy() - y0) / step).astype(int)
    inside = (i >= 0) & (i < n) & (j >= 0) & (j < n)
    return np.where(inside, j * n + i, -1)


def test_sf_counts_equal_an_independent_count():
    sf = sf_incidents()
    grids, x0, y0, step = mission_grid()
    result = grid_incident_stats(
        grids, sf, grid_id_field="code", households_field="households", category_field="Category"
    )
    cell = _arithmetic_cell(sf, x0, y0, step)
    expected = np.bincount(cell[cell >= 0], minlength=36)
    assert result.grids["n_incidents"].tolist() == expected.tolist()
    assert result.summary["n_outside_grids"] == int((cell < 0).sum())
    assert result.summary["n_in_grids"] + result.summary["n_outside_grids"] == len(sf)
    for column, category in result.category_columns.items():
        mine = sf["Category"].to_numpy() == category
        assert result.grids[column].tolist() == np.bincount(cell[(cell >= 0) & mine], minlength=36).tolist()
    area_km2 = (step * US_FOOT_M) ** 2 / 1e6  # 0.25 km²: the feet were converted
    assert result.grids["area_km2"].to_numpy() == pytest.approx(area_km2)
    assert result.grids["per_km2"].to_numpy() == pytest.approx(expected / area_km2)
    assert result.grids["per_1000_hh"].to_numpy() == pytest.approx(1000 * expected / grids["households"].to_numpy())
    ranks = result.grids.set_index("grid_id")["rank"]
    assert ranks[result.grids["grid_id"][np.argmax(expected)]] == 1


def _block_groups():
    blocks = gpd.read_file(shared_file("SFCrime_blocks.geojson")).to_crs(2227)
    blocks["geometry"] = shapely.make_valid(blocks.geometry.values)
    return blocks


def test_sf_block_groups_counts_equal_matplotlib_point_in_polygon():
    sf = sf_incidents()
    blocks = _block_groups()
    result = grid_incident_stats(blocks, sf)
    xy = np.column_stack([sf.geometry.x, sf.geometry.y])
    expected = np.zeros(len(blocks), dtype=int)
    claimed = np.zeros(len(sf), dtype=bool)
    for k, geom in enumerate(blocks.geometry):
        inside = np.zeros(len(sf), dtype=bool)
        for polygon in shapely.get_parts(geom):
            if polygon.geom_type != "Polygon":
                continue
            ring = MplPath(np.asarray(polygon.exterior.coords))
            hit = ring.contains_points(xy)
            for hole in polygon.interiors:
                hit &= ~MplPath(np.asarray(hole.coords)).contains_points(xy)
            inside |= hit
        expected[k] = int((inside & ~claimed).sum())
        claimed |= inside
    assert result.grids["n_incidents"].sum() == expected.sum()
    # Points exactly on a shared boundary may go either way; allow no more than a handful.
    assert np.abs(result.grids["n_incidents"].to_numpy() - expected).sum() <= 4
    assert result.summary["n_outside_grids"] == len(sf) - expected.sum()


@pytest.mark.parametrize("kind", ["queen", "rook"])
def test_gi_star_equals_esda(kind):
    sf = sf_incidents()
    blocks = _block_groups()
    result = grid_incident_stats(blocks, sf, contiguity=kind)
    weights = hotspots.contiguity_weights(blocks.geometry.values, kind)
    w = libpysal.weights.WSP(weights).to_W(silence_warnings=True)
    y = result.grids["n_incidents"].to_numpy(dtype=float)
    oracle = esda.G_Local(y, w, transform="B", star=True, permutations=0)
    assert result.grids["gi_z"].to_numpy() == pytest.approx(oracle.Zs, abs=1e-9)
    assert result.grids["gi_p"].to_numpy() == pytest.approx(2 * oracle.p_norm, abs=1e-12)
    # The same adjacency as PySAL's own contiguity builder (shared vertices) on these block groups.
    builder = libpysal.weights.Queen if kind == "queen" else libpysal.weights.Rook
    pysal_w = builder.from_dataframe(blocks, use_index=False, silence_warnings=True)
    difference = (pysal_w.sparse != weights).nnz
    assert difference == 0  # boundary-based here, vertex-based there: the same links on these block groups


def test_fdr_classes_follow_benjamini_hochberg():
    sf = sf_incidents()
    blocks = _block_groups()
    result = grid_incident_stats(blocks, sf)
    p = result.grids["gi_p"].to_numpy()
    q = false_discovery_control(p, method="bh")
    assert result.grids["gi_q"].to_numpy() == pytest.approx(q)
    z = result.grids["gi_z"].to_numpy()
    level = np.select([q <= 0.01, q <= 0.05, q <= 0.10], [3, 2, 1], 0) * np.sign(z)
    assert result.grids["hotspot"].astype(int).tolist() == level.astype(int).tolist()
    assert result.summary["n_hot"] > 0  # SF crime clusters: there are hot spots after FDR
    assert (result.grids["hotspot_label"][result.grids["hotspot"] == 3] == "Hot spot, 99% confidence").all()
    # FDR is stricter than the uncorrected test.
    assert (np.abs(level) > 0).sum() <= (p <= 0.10).sum()


def test_points_in_another_crs_are_transformed():
    sf = sf_incidents()
    grids, *_ = mission_grid()
    in_feet = grid_incident_stats(grids, sf)
    in_degrees = grid_incident_stats(grids, sf.to_crs(4326))
    assert in_degrees.grids["n_incidents"].tolist() == in_feet.grids["n_incidents"].tolist()
    assert in_degrees.summary["n_outside_grids"] == in_feet.summary["n_outside_grids"]
    geographic = grid_incident_stats(grids.to_crs(4490), sf)  # geographic grids: measured in UTM 10N
    assert geographic.grids["n_incidents"].tolist() == in_feet.grids["n_incidents"].tolist()
    assert geographic.grids["area_km2"].to_numpy() == pytest.approx(0.25, rel=2e-3)


def test_cgcs2000_grids_are_measured_in_their_gauss_kruger_zone():
    # 4 grids of 1 km² in Shenzhen, drawn in CGCS2000 / 3-degree GK CM 114E (EPSG:4547), stored in EPSG:4490.
    cells = [
        shapely.box(500_000 + 1000 * i, 2_510_000 + 1000 * j, 501_000 + 1000 * i, 2_511_000 + 1000 * j)
        for j in range(2)
        for i in range(2)
    ]
    grids = gpd.GeoDataFrame({"code": list("ABCD")}, geometry=cells, crs=4547).to_crs(4490)
    points = gpd.GeoDataFrame(
        geometry=shapely.points([[500_500, 2_510_500], [501_500, 2_511_500], [501_600, 2_511_600]]), crs=4547
    )
    report = Report()
    result = grid_incident_stats(grids, points.to_crs(4326), grid_id_field="code", report=report)
    assert result.grids["n_incidents"].tolist() == [1, 0, 0, 2]
    assert result.grids["area_km2"].to_numpy() == pytest.approx(1.0, rel=1e-6)


def test_invalid_coordinates_are_reported_not_counted():
    sf = sf_incidents()
    grids, *_ = mission_grid()
    good = grid_incident_stats(grids, sf)
    bad_geoms = [None, shapely.Point(), shapely.Point(np.nan, 1.0), shapely.Point(np.inf, 2.0)]
    bad = gpd.GeoDataFrame({"Category": ["X"] * 4}, geometry=bad_geoms, crs=2227)
    mixed = pd.concat([sf, bad], ignore_index=True)
    report = Report()
    result = grid_incident_stats(grids, mixed, report=report)
    assert result.summary["n_invalid"] == 4
    assert result.grids["n_incidents"].tolist() == good.grids["n_incidents"].tolist()
    assert any("no valid coordinates" in w.message for w in report.warnings)
    assert any("outside every grid" in w.message for w in report.warnings)


def test_current_and_previous_period():
    sf = sf_incidents()
    grids, x0, y0, step = mission_grid()
    result = grid_incident_stats(
        grids,
        sf,
        date_field="Date",
        date_from=parse_one("2012-10-01"),
        date_to=parse_one("2012-12-31", end_of_day=True),
    )
    assert result.summary["previous_from"] == "2012-07-01 00:00:00"  # same number of whole months before
    cell = _arithmetic_cell(sf, x0, y0, step)
    dates = pd.to_datetime(sf["Date"])
    current = (dates >= "2012-10-01") & (dates < "2013-01-01")
    previous = (dates >= "2012-07-01") & (dates < "2012-10-01")
    for mask, column in ((current, "n_incidents"), (previous, "n_previous")):
        keep = mask.to_numpy() & (cell >= 0)
        assert result.grids[column].tolist() == np.bincount(cell[keep], minlength=36).tolist()
    assert (result.grids["change"] == result.grids["n_incidents"] - result.grids["n_previous"]).all()
    months = result.monthly
    assert list(months.index.month) == [10, 11, 12]
    assert int(months.to_numpy().sum()) == int(result.grids["n_incidents"].sum())
    assert list(result.monthly_top.columns)[0] == result.grids.sort_values("rank")["grid_id"].iloc[0]


def test_chicago_time_window_counts():
    chicago = chicago_carjackings()
    moments = [dt.datetime.strptime(v, "%m/%d/%Y %I:%M:%S %p") for v in chicago["Date"]]
    start, end = dt.datetime(2020, 6, 1), dt.datetime(2020, 8, 31, 23, 59, 59, 999999)
    expected = sum(start <= m <= end for m in moments)
    selection = select_incidents(
        chicago, date_field="Date", date_from=pd.Timestamp(start), date_to=parse_one("2020-08-31", end_of_day=True)
    )
    assert selection.counts["n_selected"] == expected
    assert selection.counts["n_unparsed_date"] == 0
    assert selection.counts["n_outside_window"] == len(chicago) - expected
    # An evening window within one day, to the minute (the times matter, not only the dates).
    evening = sum(dt.datetime(2020, 12, 11, 18) <= m <= dt.datetime(2020, 12, 11, 23, 59) for m in moments)
    selection = select_incidents(
        chicago, date_field="Date", date_from=parse_one("2020年12月11日 18时"), date_to=parse_one("2020-12-11 23:59")
    )
    assert selection.counts["n_selected"] == evening and evening > 0
    assert selection.crs.to_epsg() == 32616  # geographic input → UTM 16N for metres


def test_mixed_format_time_field():
    forms = ["2023-05-01 08:00", "2023/5/2 9:30", "2023年5月3日", 45050, "2023-06-01", "上个月", "2023-02-30", None]
    points = gpd.GeoDataFrame(
        {"when": pd.Series(forms, dtype=object)},
        geometry=[shapely.Point(500_000 + k, 2_500_000) for k in range(8)],
        crs=4534,
    )
    report = Report()
    selection = select_incidents(
        points,
        date_field="when",
        date_from=parse_one("2023-05-01"),
        date_to=parse_one("2023-05-31", end_of_day=True),
        report=report,
    )
    assert selection.counts["n_selected"] == 4  # 1, 2, 3 and 4 May (45050 = 2023-05-04)
    assert selection.counts["n_unparsed_date"] == 2
    assert selection.counts["unparsed_examples"] == ["上个月", "2023-02-30"]
    assert selection.counts["n_missing_date"] == 1
    assert selection.counts["n_outside_window"] == 1
    assert any("could not be read" in w.message and "上个月" in w.message for w in report.warnings)


def test_empty_selection_after_filtering_is_a_clear_error():
    sf = sf_incidents()
    grids, *_ = mission_grid()
    with pytest.raises(InputError, match="No incidents are left after filtering") as info:
        incident_heatmap(sf, categories=["ARSON"], category_field="Category")
    assert "13472 read" in str(info.value) and "13472 of other categories" in str(info.value)
    with pytest.raises(InputError, match="No incidents are left"):
        grid_incident_stats(
            grids, sf, date_field="Date", date_from=parse_one("2013-01-01"), date_to=parse_one("2013-02-01")
        )


def test_heatmap_integral_matches_point_count():
    sf = sf_incidents()
    grids, *_ = mission_grid()
    free = incident_heatmap(sf, bandwidth_m=300, cell_size_m=20)
    # No clip: the raster reaches a bandwidth beyond every point, so nothing is lost at the edge.
    assert free.integral == pytest.approx(len(sf), rel=2e-3)
    clipped = incident_heatmap(sf, area=grids, bandwidth_m=300, cell_size_m=20)
    n_inside = clipped.n_points
    assert clipped.counts["n_outside_area"] == len(sf) - n_inside
    # Clipped: what spills over the area's edge is lost, never more than the points near the edge carry.
    assert clipped.full_kernel_weight * (1 - 2e-3) <= clipped.integral <= n_inside * (1 + 2e-3)
    xs, ys = clipped.grid.centres()
    gx, gy = np.meshgrid(xs, ys)
    inside = shapely.contains_xy(grids.union_all(), gx, gy)
    assert np.isfinite(clipped.values[inside]).all() and np.isnan(clipped.values[~inside]).all()
    assert clipped.bandwidth_m == pytest.approx(300)
    assert clipped.grid.cell == pytest.approx(20 / US_FOOT_M)  # metres converted to US feet


def test_metres_are_metres_in_a_feet_crs():
    sf = sf_incidents()
    in_metres = sf.to_crs(26943)  # the same projection (California zone 3) in metres
    feet = incident_heatmap(sf, bandwidth_m=250, cell_size_m=25, method="exact")
    metres = incident_heatmap(in_metres, bandwidth_m=250, cell_size_m=25, method="exact")
    assert feet.integral == pytest.approx(metres.integral, rel=2e-3)
    for q in (50, 90, 99):
        a = np.percentile(feet.values[feet.values > 0], q)
        b = np.percentile(metres.values[metres.values > 0], q)
        assert a == pytest.approx(b, rel=0.03)
    assert feet.values.max() == pytest.approx(metres.values.max(), rel=0.03)


def test_auto_bandwidth_and_cell_are_reported():
    sf = sf_incidents()
    result = incident_heatmap(sf)
    assert result.bandwidth_rule == "silverman_spatial"
    assert 50 < result.bandwidth_m < 2000 and result.cell_size_m <= result.bandwidth_m / 4
