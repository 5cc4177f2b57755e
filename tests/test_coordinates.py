"""Regions' coordinates (issue 15): `point` [lat, lon], `bbox` [south, west, north, east] and the
gazetteer they come from (`coords_source`): loading, each refusal at its node, the record codec and
the store, the JSON Schema's verdicts, the detail page's line and the JSON and CSV exports."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import pytest
from conftest import where
from schema_views import schema_accepts, views
from test_validation import CITE, EXTRA, rec

from tui.export.json_csv import csv_text, json_text
from tui.export.json_schema import VALIDATOR_ONLY, json_schema
from tui.knowledge.record_codec import decode, encode
from tui.knowledge.records import Region
from tui.loading.data_files import open_for_root, store_key
from tui.loading.loader import load
from tui.loading.problems import DataError
from tui.presentation.describe import describe
from tui.store.writer import write

GAZETTEER = rec("sources", "id: gaz | title: A Gazetteer | kind: gazetteer")
CITY = "name: Town | kind: city | parent: iraq | " + CITE
IRAQ_BOX = "[29.1, 38.79, 37.39, 48.57]"


def town(fields: str) -> str:
    """A file holding the city region `town` with `fields` (before the gazetteer `gaz`, so a needle
    is found in the region first)."""
    return rec("regions", f"id: town | {fields} | {CITY}") + GAZETTEER


def test_a_region_loads_its_point_bbox_and_gazetteer(write_kb) -> None:
    kb = load(write_kb(zz=town(f"point: [33.26, 43] | bbox: {IRAQ_BOX} | coords_source: gaz")))
    region = kb.get(Region, "town")
    assert region.point == (33.26, 43.0) and all(type(v) is float for v in region.point)
    assert region.bbox == (29.1, 38.79, 37.39, 48.57)
    assert region.coords_source == "gaz"
    world, iraq = kb.get(Region, "world"), kb.get(Region, "iraq")
    assert world.point is world.bbox is world.coords_source is None  # the world (and the rest) need none
    assert iraq.point is None


def test_a_bbox_alone_and_the_extremes_load(write_kb) -> None:
    both = "point: ~ | bbox: [-90, -180, 90, 180] | coords_source: gaz", "point: [-90.0, 180] | coords_source: gaz"
    text = rec("regions", f"id: town | {both[0]} | {CITY}", f"id: pole | {both[1]} | {CITY}") + GAZETTEER
    kb = load(write_kb(zz=text))
    assert kb.get(Region, "town").point is None and kb.get(Region, "town").bbox == (-90, -180, 90, 180)
    assert kb.get(Region, "pole").point == (-90, 180)


# (fields of the region `town`, where the problem is: the first occurrence of this, what the message says)
OUT_OF_ORDER = "write [south, west, north, east]"
REFUSALS = {
    "latitude-out-of-range": (
        "point: [95, 44] | coords_source: gaz",
        "95",
        "region 'town': point latitude 95 is out of range: a latitude is -90 to 90 degrees",
    ),
    "longitude-out-of-range": (
        "point: [33, -180.5] | coords_source: gaz",
        "-180.5",
        "region 'town': point longitude -180.5 is out of range: a longitude is -180 to 180 degrees",
    ),
    "bbox-north-out-of-range": (
        "bbox: [0, 0, 90.01, 1] | coords_source: gaz",
        "90.01",
        "region 'town': bbox north 90.01 is out of range: a latitude is -90 to 90 degrees",
    ),
    "bbox-east-out-of-range": (
        "bbox: [0, 0, 1, 181] | coords_source: gaz",
        "181",
        "region 'town': bbox east 181 is out of range: a longitude is -180 to 180 degrees",
    ),
    "bbox-south-of-north": (
        "bbox: [10, 0, 5, 1] | coords_source: gaz",
        "10, 0",
        f"region 'town': bbox south 10 is north of its north 5: {OUT_OF_ORDER}",
    ),
    "bbox-across-the-antimeridian": (
        "bbox: [29.1, 48.57, 37.39, 38.79] | coords_source: gaz",
        "48.57",
        f"region 'town': bbox west 48.57 is east of its east 38.79: {OUT_OF_ORDER}, with west <= east "
        "(no antimeridian crossing)",
    ),
    "point-outside-its-bbox": (
        f"point: [40, 44] | bbox: {IRAQ_BOX} | coords_source: gaz",
        "[40, 44]",
        "region 'town': point [40, 44] lies outside its bbox [29.1, 38.79, 37.39, 48.57]",
    ),
    "point-without-coords-source": (
        "point: [33.3, 44.4]",
        "[33.3",
        "region 'town' has a point but no coords_source: name the source of kind gazetteer the coordinates "
        "come from (e.g. geonames)",
    ),
    "bbox-without-coords-source": (
        f"bbox: {IRAQ_BOX} | coords_source: ~",
        IRAQ_BOX,
        "region 'town' has a bbox but no coords_source",
    ),
    "coords-source-without-coordinates": (
        "coords_source: gaz",
        "gaz",
        "region 'town' has a coords_source but no point or bbox",
    ),
    "coords-source-a-standard": (
        "point: [33.3, 44.4] | coords_source: iso-3166",
        "iso-3166",
        "region 'town': coords_source 'iso-3166' is a source of kind standard; coordinates come from a source "
        "of kind gazetteer",
    ),
    "coords-source-the-article": (
        "point: [33.3, 44.4] | coords_source: article",
        "article\n",
        "region 'town': coords_source 'article' is a source of kind article; coordinates come from a source of "
        "kind gazetteer",
    ),
    "coords-source-unknown": ("point: [33.3, 44.4] | coords_source: gazz", "gazz", "(did you mean 'gaz'?)"),
    "point-of-one-number": (
        "point: [33.3] | coords_source: gaz",
        "[33.3]",
        "point must be a list of 2 numbers [latitude, longitude], got 1 item(s)",
    ),
    "bbox-of-three-numbers": (
        "bbox: [1, 2, 3] | coords_source: gaz",
        "[1, 2, 3]",
        "bbox must be a list of 4 numbers [south, west, north, east], got 3 item(s)",
    ),
    "point-a-single-number": (
        "point: 33.3 | coords_source: gaz",
        "33.3",
        "point must be a list of 2 numbers [latitude, longitude], got '33.3'",
    ),
    "point-a-mapping": (
        "point: {lat: 33.3, lon: 44.4} | coords_source: gaz",
        "{lat",
        "point must be a list of 2 numbers [latitude, longitude], got a mapping",
    ),
    "point-with-a-word": (
        "point: [33.3, east] | coords_source: gaz",
        "east",
        "point: item 2 must be a plain decimal number (like 33.3 or -5), got 'east'",
    ),
    "point-with-an-exponent": (
        "point: [1e1, 44] | coords_source: gaz",
        "1e1",
        "point: item 1 must be a plain decimal number (like 33.3 or -5), got '1e1'",
    ),
    "bbox-with-a-list": (
        "bbox: [1, 2, [3], 4] | coords_source: gaz",
        "[3]",
        "bbox: item 3 must be a plain decimal number (like 33.3 or -5), got a list or mapping",
    ),
}


@pytest.mark.parametrize(("fields", "needle", "message"), REFUSALS.values(), ids=REFUSALS.keys())
def test_refused_at_the_offending_value(write_kb, fields: str, needle: str, message: str) -> None:
    text = town(fields)
    root = write_kb(zz=text)
    with pytest.raises(DataError) as info:
        load(root)
    problems = info.value.problems
    assert len(problems) == 1, info.value.lines()
    problem = problems[0]
    line, col = where(text, needle)
    assert (problem.path, problem.line, problem.col) == (str(root / EXTRA), line, col), problem
    assert message in problem.message, problem.message
    assert "\n" not in problem.message


def test_every_bad_item_is_reported_at_its_own_place(write_kb) -> None:
    text = town("bbox: [south, 2, 3.0.0, 4] | coords_source: gaz")
    with pytest.raises(DataError) as info:
        load(write_kb(zz=text))
    places = [(p.line, p.col, p.message) for p in info.value.problems]
    assert places == [
        (*where(text, "south"), "bbox: item 1 must be a plain decimal number (like 33.3 or -5), got 'south'"),
        (*where(text, "3.0.0"), "bbox: item 3 must be a plain decimal number (like 33.3 or -5), got '3.0.0'"),
    ]


def test_out_of_range_latitude_and_missing_gazetteer_are_both_reported(write_kb) -> None:
    text = town("point: [-91, 181]")
    with pytest.raises(DataError) as info:
        load(write_kb(zz=text))
    places = [(p.line, p.col) for p in info.value.problems]
    assert places == [where(text, "[-91"), where(text, "-91"), where(text, "181")]  # in file order
    assert "no coords_source" in info.value.problems[0].message


# -- the codec and the store ------------------------------------------------------------------------------


def test_the_codec_round_trips_coordinates(write_kb) -> None:
    kb = load(write_kb(zz=town(f"point: [33.26, 43] | bbox: {IRAQ_BOX} | coords_source: gaz")))
    for region in kb.records(Region):
        assert decode("regions", encode(region)) == region
    stored = json.loads(encode(kb.get(Region, "town")))
    assert [33.26, 43.0] in stored and [29.1, 38.79, 37.39, 48.57] in stored


@pytest.mark.parametrize(
    "bad", [[1.0], [1.0, 2.0, 3.0], ["1", 2.0], [True, 2.0], [[1.0], 2.0], {"lat": 1.0}, "1, 2", [math.nan, 2.0]]
)
def test_the_codec_refuses_a_damaged_point(write_kb, bad: object) -> None:
    kb = load(write_kb(zz=town("point: [33.26, -43] | coords_source: gaz")))
    values = json.loads(encode(kb.get(Region, "town")))
    index = values.index([33.26, -43.0])
    values[index] = bad
    with pytest.raises(ValueError, match="not a stored record"):
        decode("regions", json.dumps(values))


def test_the_store_keeps_coordinates(write_kb) -> None:
    root = write_kb(zz=town(f"point: [33.26, 43] | bbox: {IRAQ_BOX} | coords_source: gaz"))
    kb = load(root)
    assert write(store_key(str(root)), kb) is None
    store = open_for_root(str(root))
    assert store.get(Region, "town") == kb.get(Region, "town")
    assert store.get(Region, "town").bbox == (29.1, 38.79, 37.39, 48.57)


# -- the JSON Schema --------------------------------------------------------------------------------------

SCHEMA_AGREES = {  # fields of `town`: the schema's verdict is the validator's, in both views
    "point-and-bbox": (f"point: [33.26, 43.12] | bbox: {IRAQ_BOX} | coords_source: gaz", True),
    "bbox-and-null-point": ("point: ~ | bbox: [-90, -180, 90, 180] | coords_source: gaz", True),
    "quoted-numbers": ('point: ["33.26", "-43"] | coords_source: gaz', True),
    "no-coordinates": ("coords_source: ~", True),
    "longitude-out-of-range": ("point: [33, -180.5] | coords_source: gaz", False),
    "bbox-east-out-of-range": ("bbox: [0, 0, 1, 181] | coords_source: gaz", False),
    "point-without-coords-source": ("point: [33.3, 44.4]", False),
    "bbox-without-coords-source": (f"bbox: {IRAQ_BOX} | coords_source: ~", False),
    "coords-source-without-coordinates": ("coords_source: gaz", False),
    "point-of-one-number": ("point: [33.3] | coords_source: gaz", False),
    "point-of-three-numbers": ("point: [33.3, 1, 2] | coords_source: gaz", False),
    "bbox-of-three-numbers": ("bbox: [1, 2, 3] | coords_source: gaz", False),
    "point-a-single-number": ("point: 33.3 | coords_source: gaz", False),
    "point-a-mapping": ("point: {lat: 33.3, lon: 44.4} | coords_source: gaz", False),
    "point-with-a-word": ("point: [33.3, east] | coords_source: gaz", False),
    "point-with-a-leading-zero": ('point: [33.3, "044"] | coords_source: gaz', False),
    "bbox-with-a-list": ("bbox: [1, 2, [3], 4] | coords_source: gaz", False),
}
VALIDATOR_ALONE = {  # refused by validate only: the schema cannot say it (VALIDATOR_ONLY names each)
    "latitude-out-of-range": "point: [95, 44] | coords_source: gaz",
    "bbox-south-of-north": "bbox: [10, 0, 5, 1] | coords_source: gaz",
    "bbox-across-the-antimeridian": "bbox: [29.1, 48.57, 37.39, 38.79] | coords_source: gaz",
    "point-outside-its-bbox": f"point: [40, 44] | bbox: {IRAQ_BOX} | coords_source: gaz",
    "coords-source-a-standard": "point: [33.3, 44.4] | coords_source: iso-3166",
}


def accepted_by_validator(write_kb, text: str) -> bool:
    try:
        load(write_kb(zz=text))
    except DataError:
        return False
    return True


@pytest.mark.parametrize(("fields", "valid"), SCHEMA_AGREES.values(), ids=SCHEMA_AGREES.keys())
def test_the_schema_and_the_validator_agree(write_kb, fields: str, valid: bool) -> None:
    text = town(fields)
    assert accepted_by_validator(write_kb, text) == valid
    seen = views(text)
    assert seen is not None
    assert schema_accepts(seen["string"]) == valid
    assert schema_accepts(seen["typed"]) == valid


@pytest.mark.parametrize("fields", VALIDATOR_ALONE.values(), ids=VALIDATOR_ALONE.keys())
def test_what_only_the_validator_refuses_is_documented(write_kb, fields: str) -> None:
    text = town(fields)
    assert not accepted_by_validator(write_kb, text)
    seen = views(text)
    assert seen is not None and schema_accepts(seen["string"]) and schema_accepts(seen["typed"])
    rules = " ".join(VALIDATOR_ONLY)
    for words in ("coords_source is a source of kind gazetteer", "within -90..90", "south to north", "inside"):
        assert words in rules


def test_the_schema_describes_the_order_of_the_numbers() -> None:
    regions = json_schema()["$defs"]["regions"]["properties"]
    assert "[latitude, longitude]" in regions["point"]["description"]
    assert "[south, west, north, east]" in regions["bbox"]["description"]
    assert (regions["point"]["minItems"], regions["point"]["maxItems"]) == (2, 2)
    assert (regions["bbox"]["minItems"], regions["bbox"]["maxItems"]) == (4, 4)
    assert "gazetteer" in regions["coords_source"]["description"]


# -- the detail page and the exports ----------------------------------------------------------------------


def test_the_detail_page_leaves_coordinates_to_the_map_and_the_exports(write_kb) -> None:
    """A line more on a region's page made it scroll and paint twice: a tree move wrote 0.265 of a full
    repaint (target 0.25, tests/benchmarks/terminal_bytes.py). M shows the region on the map instead."""
    kb = load(write_kb(zz=town(f"point: [33.26, 43.12] | bbox: {IRAQ_BOX} | coords_source: gaz")))
    outline = describe(kb, "regions", "town")
    assert outline is not None
    texts = [seg for section in outline.sections for ln in section.lines for seg in ln if isinstance(seg, str)]
    assert not any("33.26" in t for t in texts)


def test_json_export_writes_lists_that_load_back(write_kb, tmp_path: Path) -> None:
    kb = load(write_kb(zz=town(f"point: [33.26, 43] | bbox: {IRAQ_BOX} | coords_source: gaz")))
    text = json_text(kb)
    town_json = next(r for r in json.loads(text)["regions"] if r["id"] == "town")
    assert town_json["point"] == [33.26, 43.0] and town_json["bbox"] == [29.1, 38.79, 37.39, 48.57]
    assert town_json["coords_source"] == "gaz"
    exported = tmp_path / "export.json"
    exported.write_text(text, encoding="utf-8")
    assert load(exported).get(Region, "town") == kb.get(Region, "town")


def test_csv_export_writes_numbers_not_python(write_kb) -> None:
    kb = load(write_kb(zz=town("point: [-33.26, 43] | bbox: [-34, 42.5, -33, 44] | coords_source: gaz")))
    rows = list(csv.DictReader(io.StringIO(csv_text("regions", kb.records(Region)))))
    row = next(r for r in rows if r["id"] == "town")
    assert row["point"] == "-33.26; 43.0"  # checked numbers: no formula guard, no Python repr
    assert row["bbox"] == "-34.0; 42.5; -33.0; 44.0"
    assert row["coords_source"] == "gaz"
    assert next(r for r in rows if r["id"] == "world")["point"] == ""
