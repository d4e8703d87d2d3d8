"""Codes on a real Chinese area: Longgang, Shenzhen (OpenStreetMap), with the official division codes.

The township code is looked up in the 统计用区划代码 table of 龙岗区 (``adcode/440307.csv``): 龙城街道
(around CUHK-Shenzhen). The area is cut in two along x and the halves given the 12-digit codes of two
of its real communities, as an office's parent layer would carry them. Every algorithm that writes
codes must write 15 digits starting with 440307 + the township, and with the parent's 12 digits.
"""

from __future__ import annotations

import csv

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely
from helpers import prepared_sample, shared_file

TOWNSHIP_NAME = "龙城街道办事处"


@pytest.fixture(scope="module")
def longgang():
    """The prepared Longgang sample, the official codes of 龙城街道 and two of its communities."""
    table = shared_file("adcode/440307.csv")
    with open(table, encoding="utf-8") as handle:
        rows = [row for row in csv.reader(handle) if row]
    township = next(row[0] for row in rows if row[2] == TOWNSHIP_NAME)
    communities = [row for row in rows if row[0].startswith(township[:9]) and row[3] == "village"][:2]
    path = prepared_sample("shenzhen")
    layers = {name: pyogrio.read_dataframe(path, layer=name) for name in ("boundary", "buildings", "roads")}
    area = shapely.union_all(layers["boundary"].geometry.values)
    xmin, ymin, xmax, ymax = area.bounds
    middle = float(np.median(shapely.get_x(shapely.centroid(layers["buildings"].geometry.values))))
    halves = [
        shapely.intersection(area, shapely.box(xmin, ymin, middle, ymax)),
        shapely.intersection(area, shapely.box(middle, ymin, xmax, ymax)),
    ]
    parents = gpd.GeoDataFrame(
        {"code": [c[0] for c in communities], "name": [c[2] for c in communities]},
        geometry=halves,
        crs=layers["boundary"].crs,
    )
    return {"county": township[:6], "township": township[6:9], "parents": parents, **layers}


def assert_longgang_codes(codes, county_township, parent_codes=None):
    codes = [str(c) for c in codes]
    assert codes and all(len(c) == 15 and c.isdigit() and c.startswith(county_township) for c in codes), codes
    assert len(set(codes)) == len(codes)
    if parent_codes is not None:
        assert all(c[:12] == p for c, p in zip(codes, parent_codes, strict=True))


def test_the_table_gives_longcheng(longgang):
    assert (longgang["county"], longgang["township"]) == ("440307", "015")
    assert longgang["parents"]["code"].str.fullmatch(r"440307015\d{3}").all()


def test_partition_and_assigncodes(longgang):
    from gridplanner.grid_plugin.core.partition.coding import assign_codes
    from gridplanner.grid_plugin.core.partition.engine import partition

    prefix = (longgang["county"], longgang["township"])
    # without a parent field: county + township given, community 001
    plain = partition(longgang["boundary"], longgang["buildings"], longgang["roads"], code_prefix=prefix).grids
    assert_longgang_codes(plain["grid_code"], "440307015001")
    # the office's parents
    grids = partition(
        longgang["parents"], longgang["buildings"], longgang["roads"], parent_code_field="code", code_prefix=prefix
    ).grids
    assert set(grids["parent_code"]) == set(longgang["parents"]["code"])
    assert_longgang_codes(grids["grid_code"], "440307015", grids["parent_code"])
    recoded = assign_codes(grids, parent_code_field="parent_code", county=prefix[0], township=prefix[1])
    assert recoded["grid_code"].tolist() == grids["grid_code"].tolist()


def test_partitionbytype_and_multilevel(longgang):
    from gridplanner.grid_plugin.core.difference.driver import partition_by_type
    from gridplanner.grid_plugin.core.partition.multilevel import LevelSpec, build_levels

    prefix = (longgang["county"], longgang["township"])
    typed = partition_by_type(
        longgang["parents"], longgang["buildings"], longgang["roads"], parent_code_field="code", code_prefix=prefix
    ).grids
    assert_longgang_codes(typed["grid_code"], "440307015", typed["parent_code"])
    levels = build_levels(typed, [LevelSpec(layer=longgang["parents"], code_field="code")], code_prefix=prefix)
    top, finest = levels.levels
    assert sorted(top["grid_code"]) == sorted(longgang["parents"]["code"])
    assert_longgang_codes(finest["grid_code"], "440307015", finest["parent_code"])


def test_qgis_process_on_longgang_with_the_office_parents(longgang, tmp_path):
    """Headless qgis_process: the office's parent layer and the township from the table, then regrid."""
    from helpers import run_qgis_process

    path = prepared_sample("shenzhen")
    parents = tmp_path / "parents.gpkg"
    longgang["parents"].to_file(parents, layer="parents", driver="GPKG")
    out = tmp_path / "grids.gpkg"
    result = run_qgis_process(
        "run",
        "gridplanner:partition",
        "--",
        f"AREA={parents}|layername=parents",
        "PARENT_FIELD=code",
        f"BUILDINGS={path}|layername=buildings",
        f"BARRIERS={path}|layername=roads",
        f"COUNTY={longgang['county']}",
        f"TOWNSHIP={longgang['township']}",
        f"OUTPUT={out}",
    )
    assert result.returncode == 0, result.stderr[-2000:]
    grids = gpd.read_file(out, layer=out.stem)
    assert_longgang_codes(grids["grid_code"], "440307015", grids["parent_code"])
    assert set(grids["parent_code"]) == set(longgang["parents"]["code"])


def test_register_on_longgang_names_the_office_communities(longgang):
    """The 台账 on Longgang: 所属社区/村 from the office's parents (real names and 12-digit codes); the area is
    the data hull, so no 四至 names its edge (as on the map)."""
    from gridplanner.grid_plugin.core.partition.engine import partition
    from gridplanner.grid_plugin.core.publish.boundary_description import outer_edge
    from gridplanner.grid_plugin.core.publish.register import build_register

    prefix = (longgang["county"], longgang["township"])
    grids = partition(
        longgang["parents"], longgang["buildings"], longgang["roads"], parent_code_field="code", code_prefix=prefix
    ).grids
    edge = outer_edge(longgang["boundary"], "龙城街道")
    assert edge.side_label is None and edge.legend_name == "数据范围"
    register = build_register(
        grids, buildings=longgang["buildings"], barriers=longgang["roads"], parents=longgang["parents"]
    )
    table = register.table
    names = dict(zip(longgang["parents"]["code"], longgang["parents"]["name"]))
    expected = [f"{names[code[:12]]}（{code[:12]}）" for code in table["code"]]
    assert table["community"].tolist() == expected
    assert table["community_code"].tolist() == [code[:12] for code in table["code"]]
    assert not any("边界" in text or "龙城街道" in text for text in table["bounds"])
    assert table["buildings"].sum() == len(register.buildings) > 0
