"""The rules of RFC 7946 that a GeoJSON export must keep, written out as checks, and a minimal JSON
Schema of the same (for `jsonschema`): what tests/test_geojson.py holds every export to."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import jsonschema

from tui.export.geojson import GEOMETRY_TYPES

# -- the rules of RFC 7946, as checks ----------------------------------------------------------


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _position_problems(position: object, where: str) -> list[str]:
    """A position: [lon, lat], two numbers, in range, at most 6 decimals."""
    if not isinstance(position, list) or len(position) != 2 or not all(_is_number(v) for v in position):
        return [f"{where}: a position is two numbers, got {position!r}"]
    lon, lat = position
    problems = []
    if not -180 <= lon <= 180:
        problems.append(f"{where}: longitude {lon} outside -180..180")
    if not -90 <= lat <= 90:
        problems.append(f"{where}: latitude {lat} outside -90..90")
    for value in position:
        decimals = repr(float(value)).partition(".")[2]
        if "e" in repr(float(value)) or len(decimals) > 6:
            problems.append(f"{where}: {value!r} has more than 6 decimals")
    return problems


def signed_area(ring: list[list[float]]) -> float:
    """Shoelace: positive for a counter-clockwise ring (x = lon, y = lat)."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairwise(ring)) / 2


def _geometry_problems(shape: object, where: str) -> list[str]:
    if not isinstance(shape, dict) or shape.get("type") not in GEOMETRY_TYPES:
        return [f"{where}: geometry type must be one of {GEOMETRY_TYPES}, got {shape!r}"]
    coordinates = shape.get("coordinates")
    if shape["type"] == "Point":
        return _position_problems(coordinates, where)
    if shape["type"] == "LineString":
        if not isinstance(coordinates, list) or len(coordinates) < 2:
            return [f"{where}: a LineString has two positions or more"]
        return [p for position in coordinates for p in _position_problems(position, where)]
    if not isinstance(coordinates, list) or not coordinates:
        return [f"{where}: a Polygon has one ring or more"]
    problems = []
    for r, ring in enumerate(coordinates):
        if not isinstance(ring, list) or len(ring) < 4:
            problems.append(f"{where}: ring {r} has fewer than 4 positions")
            continue
        problems += [p for position in ring for p in _position_problems(position, where)]
        if ring[0] != ring[-1]:
            problems.append(f"{where}: ring {r} is not closed")
        elif (signed_area(ring) > 0) != (r == 0):  # exterior counter-clockwise, holes clockwise
            problems.append(f"{where}: ring {r} runs the wrong way round")
    return problems


def _positions(shape: dict[str, Any]) -> list[list[float]]:
    coordinates = shape["coordinates"]
    if shape["type"] == "Point":
        return [coordinates]
    if shape["type"] == "LineString":
        return list(coordinates)
    return [position for ring in coordinates for position in ring]


def _bbox_problems(box: object, shape: dict[str, Any], where: str) -> list[str]:
    """[west, south, east, north], ordered, holding every position of the geometry."""
    if not isinstance(box, list) or len(box) != 4 or not all(_is_number(v) for v in box):
        return [f"{where}: bbox is four numbers, got {box!r}"]
    west, south, east, north = box
    problems = _position_problems([west, south], where) + _position_problems([east, north], where)
    if not (south <= north and west <= east):
        problems.append(f"{where}: bbox {box} is not [west, south, east, north]")
    elif not problems and not all(west <= x <= east and south <= y <= north for x, y in _positions(shape)):
        problems.append(f"{where}: the geometry lies outside its bbox {box}")
    return problems


def geojson_problems(document: object) -> list[str]:
    """Everything in the document that breaks RFC 7946 as this export uses it; [] when nothing does."""
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        return ["the document is not a FeatureCollection"]
    features = document.get("features")
    if not isinstance(features, list):
        return ["features is not a list"]
    problems = []
    for n, item in enumerate(features):
        where = f"feature {n}"
        if not isinstance(item, dict) or item.get("type") != "Feature":
            problems.append(f"{where}: type is not Feature")
            continue
        if not isinstance(item.get("id"), (str, int)) or not isinstance(item.get("properties"), dict):
            problems.append(f"{where}: needs an id and a properties object")
        shape_problems = _geometry_problems(item.get("geometry"), where)
        problems += shape_problems
        if "bbox" in item and not shape_problems:
            problems += _bbox_problems(item["bbox"], item["geometry"], where)
    return problems


POSITION = {
    "type": "array",
    "prefixItems": [
        {"type": "number", "minimum": -180, "maximum": 180},
        {"type": "number", "minimum": -90, "maximum": 90},
    ],
    "minItems": 2,
    "maxItems": 2,
}
GEOJSON_SCHEMA = {  # a minimal schema of what this export may write (RFC 7946 §3)
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"const": "FeatureCollection"},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "id", "geometry", "properties"],
                "properties": {
                    "type": {"const": "Feature"},
                    "id": {"type": "string"},
                    "bbox": {"type": "array", "items": {"type": "number"}, "minItems": 4, "maxItems": 4},
                    "properties": {"type": "object"},
                    "geometry": {
                        "oneOf": [
                            {
                                "type": "object",
                                "required": ["type", "coordinates"],
                                "properties": {"type": {"const": "Point"}, "coordinates": POSITION},
                            },
                            {
                                "type": "object",
                                "required": ["type", "coordinates"],
                                "properties": {
                                    "type": {"const": "LineString"},
                                    "coordinates": {"type": "array", "items": POSITION, "minItems": 2},
                                },
                            },
                            {
                                "type": "object",
                                "required": ["type", "coordinates"],
                                "properties": {
                                    "type": {"const": "Polygon"},
                                    "coordinates": {
                                        "type": "array",
                                        "minItems": 1,
                                        "items": {"type": "array", "items": POSITION, "minItems": 4},
                                    },
                                },
                            },
                        ]
                    },
                },
            },
        },
    },
}


def assert_valid(document: object) -> None:
    assert geojson_problems(document) == []
    jsonschema.validate(document, GEOJSON_SCHEMA)
