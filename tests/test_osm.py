"""prepare_osm on real OpenStreetMap data (Kotka, Heinersreuth, Shenzhen Longgang) and on bad input."""

from __future__ import annotations

import gzip
import sqlite3

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from gridplanner.grid_plugin.core.errors import InputError, Report
from gridplanner.grid_plugin.core.gpkg import write_gpkg
from gridplanner.grid_plugin.core.prepare.osm import (
    FIELD_ALIASES_ZH,
    LAYER_COLUMNS,
    LAYER_GEOMETRY,
    building_type,
    hstore_value,
    prepare_osm,
)
from gridplanner.grid_plugin.core.prepare.osm_area import declared_bounds
from helpers import kotka_pbf, shared_file
from hypothesis import given, settings
from hypothesis import strategies as st

LAYERS = ["boundary", "buildings", "roads", "waterways", "railways", "landuse", "water", "pois"]


class CollectingReport(Report):
    def __init__(self):
        super().__init__()
        self.infos = []

    def info(self, template, **params):
        self.infos.append(template.format(**params))

    @property
    def warning_messages(self):
        return [w.message for w in self.warnings]


def counts(layers):
    return {name: len(frame) for name, frame in layers.items()}


def assert_contract(layers, epsg):
    """The layers, columns, geometry types and CRS of docs/prepare.md (osm.LAYER_COLUMNS)."""
    assert list(layers) == LAYERS
    for name, frame in layers.items():
        assert list(frame.columns) == [*LAYER_COLUMNS[name], "geometry"], name
        assert frame.crs.to_epsg() == epsg, name
        types = set(frame.geom_type)
        assert types <= {LAYER_GEOMETRY[name]}, (name, types)
        assert frame.geometry.is_valid.all(), name
        assert not frame.geometry.is_empty.any(), name
    assert layers["buildings"]["osm_id"].is_unique


# ------------------------------------------------------------------------------------ real data
@pytest.fixture(scope="module")
def kotka():
    report = CollectingReport()
    return prepare_osm(kotka_pbf(), hull_buffer_m=-100, report=report), report


def test_kotka_counts_crs_and_repairs(kotka):
    layers, report = kotka
    assert_contract(layers, 32635)  # UTM 35N
    assert counts(layers) == {
        "boundary": 1,
        "buildings": 1933,
        "roads": 295,
        "waterways": 1,
        "railways": 1,
        "landuse": 70,
        "water": 0,
        "pois": 24,
    }
    # ../shared/data/README.md: the hull shrunk by ~100 m is 3.94 km² with 1,929 buildings.
    assert layers["boundary"]["area_m2"].iloc[0] == pytest.approx(3.94e6, rel=0.01)
    assert abs(len(layers["buildings"]) - 1929) <= 0.01 * 1929
    assert "Repaired 8 invalid polygons in the buildings layer (make_valid, polygonal parts kept)." in (
        report.warning_messages
    )
    assert any(m.startswith("Dropped 26 degenerate polygons") and "buildings" in m for m in report.warning_messages)
    assert "Chose the metric CRS EPSG:32635 (WGS 84 / UTM zone 35N) automatically." in report.infos


def test_kotka_attributes(kotka):
    layers, _ = kotka
    buildings = layers["buildings"]
    assert buildings["building"].value_counts().head(3).to_dict() == {"residential": 1015, "yes": 863, "industrial": 24}
    assert buildings["building_type"].value_counts().to_dict() == {
        "residential": 1026,  # 1015 residential + 10 terrace + 1 house
        "other": 864,
        "industrial": 24,
        "public": 14,
        "commercial": 3,
        "education": 2,
    }
    assert int(buildings["levels"].notna().sum()) == 10
    assert np.allclose(buildings["area_m2"], buildings.area)
    roads = layers["roads"]["highway"].value_counts()
    assert (roads["residential"], roads["cycleway"], roads["service"]) == (114, 72, 32)
    assert layers["landuse"]["landuse_class"].value_counts()["farmland"] == 6
    assert set(layers["landuse"]["source_key"]) <= {"landuse", "natural", "leisure", "amenity", "tourism", "place"}
    assert layers["pois"]["poi_kind"].value_counts()["parking"] == 10
    assert layers["buildings"]["osm_id"].str.match(r"^(way|relation)/\d+$").all()


def test_kotka_buildings_whole_and_features_clipped(kotka):
    layers, _ = kotka
    area = layers["boundary"].geometry.iloc[0]
    buildings = layers["buildings"].geometry
    # Whole buildings: a point inside each is in the area; some reach out over the edge and are not cut.
    assert shapely.contains(area, shapely.point_on_surface(buildings.values)).all()
    assert (~shapely.within(buildings.values, area.buffer(1e-6))).sum() > 0
    for name in ("roads", "landuse", "pois"):
        assert shapely.within(layers[name].geometry.values, area.buffer(0.01)).all(), name


@pytest.mark.slow
def test_heinersreuth_admin_boundary_clipped_to_the_extract():
    report = CollectingReport()
    layers = prepare_osm(
        shared_file("north-bayreuth.osm.gz"), boundary_name="Heinersreuth", clip_boundary_to_data=True, report=report
    )
    assert_contract(layers, 32632)  # UTM 32N
    assert counts(layers) == {
        "boundary": 1,
        "buildings": 741,
        "roads": 416,
        "waterways": 69,
        "railways": 0,
        "landuse": 64,
        "water": 42,
        "pois": 31,
    }
    boundary = layers["boundary"].iloc[0]
    assert (boundary["name"], boundary["admin_level"]) == ("Heinersreuth", "8")
    # README: 14.68 km², of which the southern 4.2 km² (28.5 %) lie outside the extract.
    assert boundary["area_m2"] == pytest.approx(10.49e6, rel=0.005)
    assert "Clipped the boundary to the extent of the data: 10.49 of 14.68 km² kept." in report.infos
    south = gpd.GeoSeries([boundary.geometry], crs=32632).to_crs(4326).total_bounds[1]
    assert south == pytest.approx(49.9721, abs=1e-4)  # the extract's declared <bounds minlat>
    assert (layers["buildings"]["building"] == "yes").sum() == 720
    assert layers["buildings"]["levels"].isna().all()  # README: tagged building=yes only, no levels
    assert set(layers["waterways"]["waterway"]) == {"stream", "ditch", "river"}
    assert "Roter Main" in set(layers["waterways"]["name"].dropna())


@pytest.mark.slow
def test_heinersreuth_whole_municipality_and_user_target_crs():
    layers = prepare_osm(shared_file("north-bayreuth.osm.gz"), boundary_name="heinersreuth", target_crs=25832)
    assert_contract(layers, 25832)  # ETRS89 / UTM 32N, the German official CRS
    assert layers["boundary"]["area_m2"].iloc[0] == pytest.approx(14.68e6, rel=0.005)
    assert len(layers["buildings"]) == 745


def test_shenzhen_cgcs2000_gauss_kruger():
    report = CollectingReport()
    layers = prepare_osm(shared_file("shenzhen_longgang.osm"), report=report)
    assert_contract(layers, 4547)  # CGCS2000 / 3-degree Gauss-Kruger CM 114E
    assert counts(layers) == {
        "boundary": 1,
        "buildings": 132,
        "roads": 515,
        "waterways": 2,
        "railways": 6,
        "landuse": 74,
        "water": 7,
        "pois": 35,
    }
    # The hull of the data is cut to the file's <bounds> (0.0456° x 0.0287° ≈ 4.68 km x 3.18 km).
    assert layers["boundary"]["area_m2"].iloc[0] == pytest.approx(14.89e6, rel=0.005)
    assert any("declares" in line for line in report.infos)
    assert layers["buildings"]["building"].value_counts().head(3).to_dict() == {
        "yes": 47,
        "school": 32,
        "university": 18,
    }
    names = set(layers["pois"]["name"].dropna())
    assert "荷坳村" in names and "华润万家便利超市" in names
    assert layers["buildings"]["building_type"].value_counts()["education"] == 50


def test_shenzhen_with_a_cgcs2000_geographic_boundary_layer():
    """A boundary layer in EPSG:4490 is reprojected (and the log says so); nothing outside it is kept."""
    box = shapely.box(114.20, 22.68, 114.22, 22.695)
    boundary = gpd.GeoDataFrame({"name": ["校园"]}, geometry=[box], crs=4490)
    report = CollectingReport()
    layers = prepare_osm(shared_file("shenzhen_longgang.osm"), boundary=boundary, report=report)
    assert boundary.crs.to_epsg() == 4490 and boundary.geometry.iloc[0].equals(box), "input unchanged"
    assert layers["boundary"].crs.to_epsg() == 4547
    assert layers["boundary"]["name"].iloc[0] == "校园"
    assert any("geographic CRS EPSG:4490" in line and "EPSG:4547" in line for line in report.infos)
    expected_m2 = gpd.GeoSeries([box], crs=4490).to_crs(4547).area.iloc[0]
    assert layers["boundary"]["area_m2"].iloc[0] == pytest.approx(expected_m2, rel=1e-9)
    assert 0 < len(layers["buildings"]) < 132


def test_a_geographic_target_crs_is_refused():
    with pytest.raises(InputError, match="geographic"):
        prepare_osm(shared_file("shenzhen_longgang.osm"), target_crs=4490)


# ------------------------------------------------------------------------------- tag parsing
def test_hstore_values_vectorised():
    tags = pd.Series(
        [
            '"building:levels"=>"5","name:zh"=>"龙岗"',
            None,
            '"name:zh"=>"x","building:levels"=>"12"',
            '"note"=>"say \\"hi\\", \\"building:levels\\"=>\\"9\\""',
            '"building:levels_underground"=>"2"',
        ]
    )
    assert hstore_value(tags, "building:levels").tolist() == ["5", None, "12", None, None]
    assert hstore_value(tags, "name:zh").tolist() == ["龙岗", None, "x", None, None]
    assert hstore_value(tags, "note").tolist()[3] == 'say "hi", "building:levels"=>"9"'


def test_building_types():
    raw = pd.Series(["apartments", "yes", "barn", "yes", "church", "warehouse", "yes", None])
    amenity = pd.Series([None, None, None, "hospital", None, None, None, None])
    shop = pd.Series([None, None, None, None, None, None, "supermarket", None])
    assert building_type(raw, amenity, shop).tolist() == [
        "residential",
        "other",
        "agricultural",
        "health",
        "religious",
        "industrial",
        "commercial",
        "other",
    ]


# ------------------------------------------------------------------------------- bad input
def osm_xml(ways, nodes=None, relations="", bounds=True):
    """A tiny OSM XML document: ``ways`` = [(id, [node ids], {tags})] over a 5 x 5 node lattice."""
    nodes = nodes or {i * 5 + j + 1: (24.0 + 0.001 * j, 60.0 + 0.001 * i) for i in range(5) for j in range(5)}
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="test">']
    if bounds:
        lines.append('<bounds minlat="60.0" minlon="24.0" maxlat="60.004" maxlon="24.004"/>')
    lines += [f'<node id="{k}" lat="{lat}" lon="{lon}" version="1"/>' for k, (lon, lat) in nodes.items()]
    for way_id, refs, tags in ways:
        lines.append(f'<way id="{way_id}" version="1">')
        lines += [f'<nd ref="{r}"/>' for r in refs]
        lines += [f'<tag k="{k}" v="{v}"/>' for k, v in tags.items()]
        lines.append("</way>")
    lines.append(relations)
    lines.append("</osm>")
    return "\n".join(lines)


BUILDING = (100, [7, 8, 13, 12, 7], {"building": "house", "building:levels": "2"})
ROAD = (200, [1, 2, 3, 4, 5], {"highway": "residential", "name": "Testitie"})


def admin_relation(relation_id, name, way_id, refs):
    way = f'<way id="{way_id}" version="1">' + "".join(f'<nd ref="{r}"/>' for r in refs) + "</way>"
    return (
        way
        + f'<relation id="{relation_id}" version="1"><member type="way" ref="{way_id}" role="outer"/>'
        + '<tag k="type" v="boundary"/><tag k="boundary" v="administrative"/>'
        + f'<tag k="admin_level" v="8"/><tag k="name" v="{name}"/></relation>'
    )


def test_missing_and_unreadable_files(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        prepare_osm(tmp_path / "nowhere.osm.pbf")
    with pytest.raises(InputError, match="not an OpenStreetMap file"):
        (tmp_path / "notes.txt").write_text("hello")
        prepare_osm(tmp_path / "notes.txt")
    with pytest.raises(InputError, match="folder"):
        (tmp_path / "folder.osm").mkdir()
        prepare_osm(tmp_path / "folder.osm")
    broken = tmp_path / "broken.osm.pbf"
    broken.write_bytes(b"\x00\x01 this is not a protobuf")
    with pytest.raises(InputError, match="Could not read|holds no features"):
        prepare_osm(broken)
    truncated = tmp_path / "truncated.osm"
    truncated.write_text('<?xml version="1.0"?><osm version="0.6"><node id="1" lat=')
    with pytest.raises(InputError, match="Could not read|holds no features"):
        prepare_osm(truncated)


def test_no_buildings_is_an_error_and_no_roads_a_warning(tmp_path):
    roads_only = tmp_path / "roads.osm"
    roads_only.write_text(osm_xml([ROAD]))
    with pytest.raises(InputError, match="has no buildings"):
        prepare_osm(roads_only)
    buildings_only = tmp_path / "buildings.osm.gz"
    with gzip.open(buildings_only, "wt", encoding="utf-8") as handle:
        handle.write(osm_xml([BUILDING, (101, [17, 18, 23, 22, 17], {"building": "yes"})]))
    report = CollectingReport()
    layers = prepare_osm(buildings_only, report=report)  # .osm.gz through /vsigzip/
    assert len(layers["buildings"]) == 2 and len(layers["roads"]) == 0
    assert any("No roads inside the planning area" in m for m in report.warning_messages)
    assert layers["buildings"]["levels"].tolist() == [2.0, None] or layers["buildings"]["levels"].isna().sum() == 1


def test_boundary_name_matching_nothing_or_several(tmp_path):
    ring = [1, 5, 25, 21, 1]
    relations = admin_relation(900, "Ylälä", 300, ring) + admin_relation(901, "Ylälä", 301, [1, 4, 24, 21, 1])
    path = tmp_path / "two.osm"
    path.write_text(osm_xml([BUILDING, ROAD], relations=relations))
    with pytest.raises(InputError) as caught:
        prepare_osm(path, boundary_name="Alalä")
    assert "No boundary named Alalä" in str(caught.value) and "Ylälä" in str(caught.value)
    with pytest.raises(InputError) as caught:
        prepare_osm(path, boundary_name="ylälä")
    message = str(caught.value)
    assert message.startswith("2 polygons match the boundary name ylälä")
    assert "relation/900" in message and "relation/901" in message and "admin_level 8" in message
    layers = prepare_osm(path, boundary_name="relation/901")  # the OSM id disambiguates
    assert layers["boundary"]["name"].iloc[0] == "Ylälä"
    with pytest.raises(InputError, match="not both"):
        prepare_osm(path, boundary_name="Ylälä", boundary=layers["boundary"])


def test_boundary_layer_problems(tmp_path):
    path = tmp_path / "small.osm"
    path.write_text(osm_xml([BUILDING, ROAD]))
    no_crs = gpd.GeoDataFrame(geometry=[shapely.box(24, 60, 24.004, 60.004)])
    with pytest.raises(InputError, match="no coordinate reference system"):
        prepare_osm(path, boundary=no_crs)
    lines = gpd.GeoDataFrame(geometry=[shapely.LineString([(24, 60), (24.004, 60.004)])], crs=4326)
    with pytest.raises(InputError, match="no polygons"):
        prepare_osm(path, boundary=lines)
    far_away = gpd.GeoDataFrame(geometry=[shapely.box(25, 61, 25.01, 61.01)], crs=4326)
    with pytest.raises(InputError, match="No buildings"):
        prepare_osm(path, boundary=far_away)


def test_invalid_boundary_polygon_is_repaired_and_counted(tmp_path):
    path = tmp_path / "small.osm"
    path.write_text(osm_xml([BUILDING, ROAD]))
    # A square with a spike out and back along its top edge: invalid (self-intersection).
    spiked = shapely.Polygon(
        [(23.99, 59.99), (24.01, 59.99), (24.01, 60.01), (24.02, 60.01), (24.01, 60.01), (23.99, 60.01)]
    )
    assert not spiked.is_valid
    report = CollectingReport()
    layers = prepare_osm(path, boundary=gpd.GeoDataFrame(geometry=[spiked], crs=4326), report=report)
    assert "Repaired 1 invalid polygons in the boundary layer (make_valid, polygonal parts kept)." in (
        report.warning_messages
    )
    assert layers["boundary"].geometry.is_valid.all()


def test_declared_bounds(tmp_path):
    assert declared_bounds(shared_file("north-bayreuth.osm.gz")) == (11.4807, 49.9721, 11.6053, 50.047)
    assert declared_bounds(kotka_pbf()) is None
    plain = tmp_path / "plain.osm"
    plain.write_text(osm_xml([BUILDING], bounds=False))
    assert declared_bounds(plain) is None


# ----------------------------------------------------------------------------------- writing
def test_geopackage_written_atomically_with_chinese_aliases(kotka, tmp_path):
    layers, _ = kotka
    target = tmp_path / "inputs.gpkg"
    write_gpkg(layers, target, aliases=FIELD_ALIASES_ZH, geometry_types=LAYER_GEOMETRY)
    assert [str(name) for name, _kind in pyogrio.list_layers(target)] == LAYERS
    assert len(pyogrio.read_dataframe(target, layer="water")) == 0  # an empty layer still exists
    with sqlite3.connect(target) as db:
        aliases = dict(db.execute("SELECT column_name, name FROM gpkg_data_columns WHERE table_name='buildings'"))
    assert aliases["building_type"] == "建筑类型" and aliases["levels"] == "层数"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inputs.gpkg"], "no temporary file left"

    class Cancelling(Report):
        calls = 0

        def check_cancelled(self):
            Cancelling.calls += 1
            if Cancelling.calls == 3:
                raise RuntimeError("cancelled in the middle")

    before = target.read_bytes()
    with pytest.raises(RuntimeError):
        write_gpkg(layers, target, geometry_types=LAYER_GEOMETRY, report=Cancelling())
    assert target.read_bytes() == before, "a failed write leaves the old file untouched"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inputs.gpkg"]
    with pytest.raises(InputError, match="does not exist"):
        write_gpkg(layers, tmp_path / "missing" / "x.gpkg")


# -------------------------------------------------------------------------- property: hstore
_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)


@given(st.dictionaries(_TEXT.filter(bool), _TEXT, min_size=1, max_size=6))
@settings(max_examples=200, deadline=None)
def test_hstore_round_trip(tags):
    """GDAL writes other_tags as "k"=>"v" pairs with \\ and " escaped; every value comes back exactly."""

    def escape(text):
        return text.replace("\\", "\\\\").replace('"', '\\"')

    encoded = ",".join(f'"{escape(k)}"=>"{escape(v)}"' for k, v in tags.items())
    series = pd.Series([encoded, None])
    for key, value in tags.items():
        if "\\" in key or '"' in key:
            continue  # keys with quotes or backslashes do not occur in OSM tagging practice
        assert hstore_value(series, key).tolist() == [value, None]


@pytest.mark.parametrize(
    ("sample", "buildings", "highways", "waterways", "landuse"),
    [
        ("north-bayreuth.osm.gz", 4267, 2056, 228, 684),
        ("shenzhen_longgang.osm", 139, 515, None, 19),
        ("kotka", 2219, 331, None, 54),
    ],
)
def test_reader_counts_match_the_published_counts(sample, buildings, highways, waterways, landuse):
    """The whole files, before any clipping, hold what ../shared/data/README.md says they hold."""
    from gridplanner.grid_plugin.core.prepare.osm import osm_tag, read_osm

    raw = read_osm(kotka_pbf() if sample == "kotka" else shared_file(sample))
    polygons, lines = raw["multipolygons"], raw["lines"]
    building = osm_tag(polygons, "building")
    assert int((building.notna() & (building != "no")).sum()) == buildings
    assert int(osm_tag(lines, "highway").notna().sum()) == highways
    if waterways is not None:
        assert int(osm_tag(lines, "waterway").notna().sum()) == waterways
    assert int(osm_tag(polygons, "landuse").notna().sum()) == landuse
