"""The regions that have coordinates, as a GeoJSON FeatureCollection (RFC 7946) for QGIS or a web map.

One Feature per region with a `point` or a `bbox` (the others are left out: there is nothing to
draw), `id` the region's id. The data writes latitude first (`point: [lat, lon]`, `bbox: [south,
west, north, east]`); GeoJSON writes longitude first, so the geometry is a Point `[lon, lat]`, and a
bbox becomes the Feature's `bbox` member `[west, south, east, north]`. A region with a bbox and no
point is drawn as the box: a Polygon whose one ring runs counter-clockwise and ends where it starts
(RFC 7946 §3.1.6); a box of no width or no height is a LineString, one of neither a Point.
Coordinates keep at most 6 decimals (about 10 cm; RFC 7946 §11.2).

`properties` say what the explorer says of the place: name, kind, parent id, ISO code, aliases,
summary (absent optional fields are left out, as in the JSON export), the groups active there
directly with their kinds, the assessments and figures about it (id and the name the app shows),
its citations (`article/p6` and the readable `TITLE, ¶6`) and where the coordinates come from
(`coordinates_source`: the gazetteer's id, title and url): the coordinates are not the article's.

Written like the JSON export: UTF-8, two-space indent, a position or a bbox on one line, and the
characters a reader could take for something else (controls, bidi overrides, line separators, lone
surrogates) written as `\\uXXXX` escapes.
"""

from __future__ import annotations

import io
import json
from typing import TextIO

from tui.export.json_csv import json_string
from tui.knowledge.knowledge_base import KnowledgeBase
from tui.knowledge.records import Assessment, Cite, Figure, Group, Record, Region, Source

DECIMALS = 6
GEOMETRY_TYPES = ("Point", "LineString", "Polygon")  # what this export writes

Json = dict[str, "Json"] | list["Json"] | str | int | float | None


def _coordinate(value: float) -> float:
    return round(value, DECIMALS)


def _position(lat: float, lon: float) -> list[Json]:
    """A GeoJSON position: longitude first."""
    return [_coordinate(lon), _coordinate(lat)]


def feature_bbox(region: Region) -> list[Json] | None:
    """The region's box as RFC 7946 writes it, [west, south, east, north]; None without one."""
    if region.bbox is None:
        return None
    south, west, north, east = region.bbox
    return [_coordinate(west), _coordinate(south), _coordinate(east), _coordinate(north)]


def geometry(region: Region) -> dict[str, Json] | None:
    """A Point at the region's point; else its box as a Polygon (counter-clockwise, closed); None
    when the region has no coordinates."""
    if region.point is not None:
        return {"type": "Point", "coordinates": _position(*region.point)}
    if region.bbox is None:
        return None
    south, west, north, east = (_coordinate(v) for v in region.bbox)
    if south == north and west == east:
        return {"type": "Point", "coordinates": [west, south]}
    if south == north or west == east:
        return {"type": "LineString", "coordinates": [[west, south], [east, north]]}
    ring: list[Json] = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def _citation(kb: KnowledgeBase, cite: Cite) -> dict[str, Json]:
    source = kb.get(Source, cite.source)
    title = source.title if source is not None else cite.source
    return {"cite": cite.as_data(), "text": f"{title}, {cite.paragraphs}"}


def _named(kb: KnowledgeBase, records: list[Record]) -> list[Json]:
    return [{"id": record.id, "name": kb.name_of(record)} for record in records]


def _coordinates_source(kb: KnowledgeBase, source_id: str | None) -> dict[str, Json] | None:
    if source_id is None:
        return None
    source = kb.get(Source, source_id)
    if source is None:
        return {"id": source_id}
    out: dict[str, Json] = {"id": source.id, "title": source.title}
    if source.url:
        out["url"] = source.url
    return out


def properties(kb: KnowledgeBase, region: Region) -> dict[str, Json]:
    """What the Feature says of the place (see the module's docstring)."""
    props: dict[str, Json] = {"name": region.name, "kind": region.kind, "parent": region.parent}
    if region.iso:
        props["iso"] = region.iso
    props["aliases"] = list(region.aliases)
    if region.summary:
        props["summary"] = region.summary
    groups = kb.referrers(Region, region.id, Group, via="regions")
    props["groups"] = [{"id": g.id, "name": kb.name_of(g), "kind": g.kind} for g in groups]
    props["assessments"] = _named(kb, list(kb.referrers(Region, region.id, Assessment, via="regions")))
    props["figures"] = _named(kb, list(kb.referrers(Region, region.id, Figure, via="regions")))
    props["citations"] = [_citation(kb, cite) for cite in region.cite]
    props["coordinates_source"] = _coordinates_source(kb, region.coords_source)
    return props


def feature(kb: KnowledgeBase, region: Region) -> dict[str, Json] | None:
    """The region as a GeoJSON Feature; None when it has no coordinates."""
    shape = geometry(region)
    if shape is None:
        return None
    out: dict[str, Json] = {"type": "Feature", "id": region.id}
    box = feature_bbox(region)
    if box is not None:
        out["bbox"] = box
    out["geometry"] = shape
    out["properties"] = properties(kb, region)
    return out


# -- writing ------------------------------------------------------------------------------------


def _is_number(value: Json) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _dump(value: Json, indent: str) -> str:
    """JSON with a two-space indent; a list of numbers (a position, a bbox) stays on one line."""
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = indent + "  "
        body = ",\n".join(f"{inner}{json_string(key)}: {_dump(item, inner)}" for key, item in value.items())
        return "{\n" + body + "\n" + indent + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        if all(_is_number(item) for item in value):
            return "[" + ", ".join(json.dumps(item, allow_nan=False) for item in value) + "]"
        inner = indent + "  "
        return "[\n" + ",\n".join(inner + _dump(item, inner) for item in value) + "\n" + indent + "]"
    if isinstance(value, str):
        return json_string(value)
    return json.dumps(value, allow_nan=False)  # numbers, booleans and null


def write_geojson(out: TextIO, kb: KnowledgeBase) -> None:
    """A FeatureCollection of every region with coordinates, in data order."""
    out.write('{\n  "type": "FeatureCollection",\n  "features": [')
    first = True
    for region in kb.regions:
        found = feature(kb, region)
        if found is None:
            continue
        out.write(("\n    " if first else ",\n    ") + _dump(found, "    "))
        first = False
    out.write("]\n}\n" if first else "\n  ]\n}\n")


def geojson_text(kb: KnowledgeBase) -> str:
    out = io.StringIO()
    write_geojson(out, kb)
    return out.getvalue()
