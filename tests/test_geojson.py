"""GeoJSON export: valid by the RFC 7946 rules (tests/geojson_rules.py), lon/lat order, boxes as
closed counter-clockwise rings, what the properties say, the same output from the store, and the
`export --format geojson` command's files, standard output and refusals."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from geojson_rules import GEOJSON_SCHEMA, assert_valid, geojson_problems, signed_area

from tui.__main__ import main
from tui.export.geojson import feature, geojson_text, geometry
from tui.knowledge.knowledge_base import KnowledgeBase, MemoryKnowledgeBase
from tui.knowledge.records import Cite, Group, Record, Region, Source
from tui.loading.data_files import open_for_root, store_key
from tui.loading.loader import load
from tui.store.writer import write

# -- knowledge bases ---------------------------------------------------------------------------

# beside the base knowledge base's sources (conftest.BASE_KB), in a file of its own
GAZETTEER = """\
sources:
  - id: test-gazetteer
    title: A test gazetteer
    kind: gazetteer
    url: https://gazetteer.example/
    summary: Made-up coordinates for the tests.
"""
REGIONS = """\
regions:
  - id: world
    name: World
    kind: world
    cite: article/p3
  - id: middle-east
    name: Middle East
    kind: region
    parent: world
    bbox: [12.5, 25.0, 42.0, 63.0]
    coords_source: test-gazetteer
    cite: article/p3
  - id: iraq
    name: Iraq
    kind: country
    iso: IQ
    iso_source: iso-3166
    parent: middle-east
    aliases: [Mesopotamia]
    summary: A country.
    point: [33.2232, 43.6793]
    bbox: [29.06, 38.79, 37.38, 48.57]
    coords_source: test-gazetteer
    cite: article/p4
  - id: mosul
    name: Mosul
    kind: city
    parent: iraq
    point: [36.335, 43.118889]
    coords_source: test-gazetteer
    cite: article/p4-5
  - id: nowhere
    name: Nowhere
    kind: area
    parent: world
    cite: article/p12
"""
ABOUT = """\
assessments:
  - id: mosul-will-hold
    speaker: analyst-a
    summary: The analyst thinks the city will hold.
    regions: [mosul]
    cite: article/p12
figures:
  - id: fighters-in-mosul
    measure: fighters
    value: 900
    qualifier: about
    as_of: 2017-10
    regions: [mosul]
    summary: About 900 fighters in the city.
    cite: article/p12
"""


@pytest.fixture
def coords_root(write_kb: Callable[..., Path]) -> Path:
    return write_kb(gazetteer=GAZETTEER, regions=REGIONS, about=ABOUT)


@pytest.fixture
def coords_kb(coords_root: Path) -> KnowledgeBase:
    return load(coords_root)


def exported(kb: KnowledgeBase) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(geojson_text(kb))
    return document


def by_id(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in document["features"]}


def memory_kb(*records: Record) -> MemoryKnowledgeBase:
    tables: dict[str, dict[str, Record]] = {}
    for record in records:
        tables.setdefault(record.KIND, {})[record.id] = record
    return MemoryKnowledgeBase(tables)


ARTICLE_CITE = (Cite("article", 1, 1),)
GAZ = Source(id="gaz", title_="Gazetteer", kind="gazetteer", url="https://gaz.example/")


def place(**coords: Any) -> Region:
    return Region(id="p", name="P", kind="area", parent="world", coords_source="gaz", cite=ARTICLE_CITE, **coords)


# -- geometry ----------------------------------------------------------------------------------


def test_a_point_is_written_longitude_first() -> None:
    kb = memory_kb(GAZ, place(point=(10.0, 100.0)))
    document = exported(kb)
    assert_valid(document)
    assert document["features"][0]["geometry"] == {"type": "Point", "coordinates": [100.0, 10.0]}
    assert "bbox" not in document["features"][0]


def test_a_point_with_a_box_carries_the_box_west_south_east_north() -> None:
    region = place(point=(10.0, 100.0), bbox=(5.0, 95.0, 15.0, 105.5))
    document = exported(memory_kb(GAZ, region))
    assert_valid(document)
    only = document["features"][0]
    assert only["geometry"]["coordinates"] == [100.0, 10.0]
    assert only["bbox"] == [95.0, 5.0, 105.5, 15.0]


def test_a_box_alone_is_a_closed_counter_clockwise_polygon() -> None:
    found = feature(memory_kb(GAZ), place(bbox=(-10.0, -20.0, 30.0, 40.0)))
    assert found is not None and found["bbox"] == [-20.0, -10.0, 40.0, 30.0]
    shape = found["geometry"]
    assert isinstance(shape, dict) and shape["type"] == "Polygon"
    (ring,) = shape["coordinates"]
    assert ring == [[-20.0, -10.0], [40.0, -10.0], [40.0, 30.0], [-20.0, 30.0], [-20.0, -10.0]]
    assert signed_area(ring) == 60 * 40  # positive: counter-clockwise
    assert_valid({"type": "FeatureCollection", "features": [found]})


@pytest.mark.parametrize(
    "bbox, shape",
    [
        ((10.0, 20.0, 10.0, 30.0), {"type": "LineString", "coordinates": [[20.0, 10.0], [30.0, 10.0]]}),
        ((10.0, 20.0, 12.0, 20.0), {"type": "LineString", "coordinates": [[20.0, 10.0], [20.0, 12.0]]}),
        ((10.0, 20.0, 10.0, 20.0), {"type": "Point", "coordinates": [20.0, 10.0]}),
    ],
)
def test_a_box_without_area_is_a_line_or_a_point(bbox: tuple[float, ...], shape: dict[str, Any]) -> None:
    assert geometry(place(bbox=bbox)) == shape
    assert_valid(exported(memory_kb(GAZ, place(bbox=bbox))))


def test_coordinates_keep_at_most_six_decimals() -> None:
    region = place(point=(33.123456789, -179.9999999), bbox=(33.1234564, -180.0, 33.2, -179.0))
    document = exported(memory_kb(GAZ, region))
    assert document["features"][0]["geometry"]["coordinates"] == [-180.0, 33.123457]
    assert document["features"][0]["bbox"] == [-180.0, 33.123456, -179.0, 33.2]
    assert_valid(document)


def test_regions_without_coordinates_are_left_out() -> None:
    world = Region(id="world", name="World", kind="world", cite=ARTICLE_CITE)
    assert exported(memory_kb(GAZ, world)) == {"type": "FeatureCollection", "features": []}
    assert [f["id"] for f in exported(memory_kb(GAZ, world, place(point=(1.0, 2.0))))["features"]] == ["p"]


def one_feature(shape: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "id": "x", "properties": {}, "geometry": shape}],
    }


@pytest.mark.parametrize(
    "broken, problem",
    [
        ({"type": "Point", "coordinates": [10.0, 100.0]}, "latitude 100.0 outside -90..90"),  # lat, lon swapped
        ({"type": "Circle", "coordinates": [1, 2]}, "geometry type must be one of"),
        ({"type": "Point", "coordinates": [1, 2, 3]}, "a position is two numbers"),
        ({"type": "Point", "coordinates": [1.1234567, 2]}, "more than 6 decimals"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [0, 0]]]}, "runs the wrong way round"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}, "ring 0 is not closed"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]}, "fewer than 4 positions"),
    ],
)
def test_the_rule_checks_catch_broken_geometry(broken: dict[str, Any], problem: str) -> None:
    assert geojson_problems(one_feature({"type": "Point", "coordinates": [1, 2]})) == []
    problems = geojson_problems(one_feature(broken))
    assert len(problems) == 1 and problem in problems[0]


@pytest.mark.parametrize(
    "broken",
    [
        {"type": "Point", "coordinates": [10.0, 100.0]},
        {"type": "Circle", "coordinates": [1, 2]},
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]},
    ],
)
def test_the_schema_refuses_broken_geometry(broken: dict[str, Any]) -> None:
    jsonschema.validate(one_feature({"type": "Point", "coordinates": [1, 2]}), GEOJSON_SCHEMA)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(one_feature(broken), GEOJSON_SCHEMA)


def test_the_rule_checks_catch_a_misordered_or_missed_bbox() -> None:
    point = {"type": "Point", "coordinates": [100.0, 10.0]}
    swapped = {"type": "Feature", "id": "x", "properties": {}, "geometry": point, "bbox": [5.0, 95.0, 15.0, 105.0]}
    assert geojson_problems({"type": "FeatureCollection", "features": [swapped]}) == [
        "feature 0: latitude 95.0 outside -90..90",
        "feature 0: latitude 105.0 outside -90..90",
    ]
    outside = {**swapped, "bbox": [0.0, 0.0, 1.0, 1.0]}
    assert geojson_problems({"type": "FeatureCollection", "features": [outside]}) == [
        "feature 0: the geometry lies outside its bbox [0.0, 0.0, 1.0, 1.0]"
    ]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"type": "FeatureCollection", "features": [{**swapped, "bbox": [1, 2]}]}, GEOJSON_SCHEMA)


# -- what the features say ---------------------------------------------------------------------


def test_ids_names_and_order_round_trip(coords_kb: KnowledgeBase) -> None:
    document = exported(coords_kb)
    assert_valid(document)
    with_coords = [r for r in coords_kb.regions if r.point is not None or r.bbox is not None]
    assert [f["id"] for f in document["features"]] == [r.id for r in with_coords] == ["middle-east", "iraq", "mosul"]
    assert [f["properties"]["name"] for f in document["features"]] == ["Middle East", "Iraq", "Mosul"]
    for item in document["features"]:
        region = coords_kb.get(Region, item["id"])
        assert region is not None and item["properties"]["kind"] == region.kind
        assert item["properties"]["parent"] == region.parent


def test_the_shapes_of_the_loaded_regions(coords_kb: KnowledgeBase) -> None:
    features = by_id(exported(coords_kb))
    assert features["iraq"]["geometry"] == {"type": "Point", "coordinates": [43.6793, 33.2232]}
    assert features["iraq"]["bbox"] == [38.79, 29.06, 48.57, 37.38]
    assert features["mosul"]["geometry"]["coordinates"] == [43.118889, 36.335]
    assert features["middle-east"]["geometry"]["type"] == "Polygon"
    assert features["middle-east"]["bbox"] == [25.0, 12.5, 63.0, 42.0]


def test_groups_active_there_directly_with_their_kinds(coords_kb: KnowledgeBase) -> None:
    features = by_id(exported(coords_kb))
    assert features["mosul"]["properties"]["groups"] == [
        {"id": "islamic-state", "name": "Islamic State", "kind": "isis-core"},
        {"id": "mosul-cell", "name": "Mosul cell", "kind": "isis-branch"},
    ]
    assert features["iraq"]["properties"]["groups"] == [
        {"id": "islamic-state", "name": "Islamic State", "kind": "isis-core"}
    ]
    assert features["middle-east"]["properties"]["groups"] == []  # only where a group names the place


def test_assessments_figures_citations_and_the_gazetteer(coords_kb: KnowledgeBase) -> None:
    features = by_id(exported(coords_kb))
    mosul = features["mosul"]["properties"]
    assessment = coords_kb.get("assessments", "mosul-will-hold")
    assert assessment is not None
    assert mosul["assessments"] == [{"id": "mosul-will-hold", "name": coords_kb.name_of(assessment)}]
    assert mosul["assessments"][0]["name"].startswith("Analyst A: ")
    assert mosul["figures"] == [{"id": "fighters-in-mosul", "name": "About 900 fighters in the city."}]
    assert mosul["citations"] == [{"cite": "article/p4-5", "text": "An article about the group, ¶4–5"}]
    assert mosul["coordinates_source"] == {
        "id": "test-gazetteer",
        "title": "A test gazetteer",
        "url": "https://gazetteer.example/",
    }
    assert features["iraq"]["properties"]["assessments"] == [] and features["iraq"]["properties"]["figures"] == []


def test_optional_fields_appear_only_when_given(coords_kb: KnowledgeBase) -> None:
    features = by_id(exported(coords_kb))
    iraq, mosul = features["iraq"]["properties"], features["mosul"]["properties"]
    assert (iraq["iso"], iraq["aliases"], iraq["summary"]) == ("IQ", ["Mesopotamia"], "A country.")
    assert "iso" not in mosul and "summary" not in mosul and mosul["aliases"] == []


def test_hostile_strings_stay_intact_and_harmless() -> None:
    name = "Evil \x1b]0;pwned\x07 \u202e\u2028 “[/]” <b>x</b> الموصل"
    region = Region(
        id="evil", name=name, kind="city", parent="world", point=(1.5, 2.5), coords_source="gaz", cite=ARTICLE_CITE
    )
    group = Group(id="g", name="G\x9b", kind="insurgency", regions=("evil",), summary="s", cite=ARTICLE_CITE)
    text = geojson_text(memory_kb(GAZ, region, group))
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u202e]", text)  # escaped, not written raw
    assert "\\u202e" in text and "الموصل" in text  # other text as it is (UTF-8, not \u escapes)
    document = json.loads(text)
    assert document["features"][0]["properties"]["name"] == name
    assert document["features"][0]["properties"]["groups"][0]["name"] == "G\x9b"


def test_the_store_gives_the_same_export(coords_root: Path, coords_kb: KnowledgeBase) -> None:
    assert write(store_key(str(coords_root)), load(coords_root)) is None
    stored = open_for_root(str(coords_root))
    assert type(stored).__name__ == "StoredKnowledgeBase"
    assert geojson_text(stored) == geojson_text(coords_kb)


# -- the command -------------------------------------------------------------------------------


def test_cli_writes_a_file_with_o(coords_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "regions.geojson"
    assert main(["export", "--data", str(coords_root), "--format", "geojson", "-o", str(target)]) == 0
    assert capsys.readouterr().out == ""
    raw = target.read_bytes()
    assert raw.startswith(b'{\n  "type": "FeatureCollection"')  # no BOM: JSON readers refuse one
    document = json.loads(raw.decode("utf-8"))
    assert_valid(document)
    assert [f["id"] for f in document["features"]] == ["middle-east", "iraq", "mosul"]


def test_cli_writes_to_standard_output(coords_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--data", str(coords_root), "--format", "geojson", "--kind", "regions"]) == 0
    out = capsys.readouterr().out
    assert out == geojson_text(load(coords_root))
    assert_valid(json.loads(out))


@pytest.mark.parametrize(
    "kind, message",
    [
        ("groups", "isis-explorer: GeoJSON holds regions only, not groups: use --kind regions or leave --kind out"),
        ("x", "isis-explorer: unknown kind 'x'; choose one of: sources,"),
    ],
)
def test_cli_refuses_other_kinds_in_one_line(
    kind: str, message: str, coords_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "--data", str(coords_root), "--format", "geojson", "--kind", kind]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1 and captured.err.startswith(message)


# -- the bundled data --------------------------------------------------------------------------


def test_the_bundled_export_places_the_groups() -> None:
    bundled = load()
    document = exported(bundled)
    assert_valid(document)
    features = by_id(document)
    assert {"iraq", "afghanistan", "philippines"} <= set(features)

    def groups(region_id: str) -> dict[str, str]:
        return {g["id"]: g["kind"] for g in features[region_id]["properties"]["groups"]}

    assert groups("afghanistan") == {
        "isis-khorasan": "isis-branch",
        "taliban": "jihadist-rival",
        "haqqani-network": "jihadist-rival",
    }
    assert groups("iraq") == {"isis": "isis-core", "iraqi-forces": "state-force"}
    assert groups("philippines") == {}  # the source places them in Mindanao and Marawi
    assert groups("marawi") == {"marawi-fighters": "isis-aligned", "philippine-government-forces": "state-force"}
    for item in document["features"]:
        source = bundled.get(Source, item["properties"]["coordinates_source"]["id"])
        assert source is not None and source.kind == "gazetteer"
