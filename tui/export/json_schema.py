"""The JSON Schema (draft 2020-12) of a data file, for editors: `isis-explorer schema`.

Made from the definitions the validator reads: the field specs (`specs_of`), `records.KINDS`, the
id pattern, and the validator's own regexes for citations and numbers. Two views of a scalar are
accepted, because editors parse YAML with types and the loader does not:

- as the loader reads it, every scalar a string (`count: 6000` is "6000"), and a field that is
  empty (`summary:`, `~`, `null`) absent: here the schema accepts exactly the records whose fields
  the validator accepts;
- as an editor reads it with YAML 1.2 core types (`6000` a number, `true` a boolean): everything
  the validator accepts is accepted, except the few unquoted spellings listed in `TYPED_LIMITS`.

Only keywords that mean the same in draft 7 are used (VS Code's YAML extension checks files with
draft-7 rules), and every pattern is anchored, free of `\\d` and `\\s` (which differ between
regex engines) and of look-arounds (which some engines lack).
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from tui.knowledge.dates import DATE_PARTS, INFERRED, UNKNOWN_DATE
from tui.knowledge.fields import CITE_PATTERN, ID_PATTERN, ISO_PATTERN, NUMBER_PATTERN, FieldSpec, specs_of
from tui.knowledge.records import KINDS, Figure, Source, yaml_key
from tui.loading.source_rules import BACKGROUND_KINDS, GAZETTEER

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = "urn:isis-explorer:data-file"
FILE_NAME = "isis-explorer.schema.json"  # beside the bundled data files
MODELINE = f"# yaml-language-server: $schema={FILE_NAME}"

# What `str.strip()` removes (so a text of only these is empty), spelled out: `\s` means other
# things in other regex engines. tests/test_schema.py checks it against `str.isspace`.
WHITESPACE = r"\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
NOT_BLANK = f"[^{WHITESPACE}]"

# Calendar dates the validator accepts (`dates.parse_date`): years 0001-9999, real months and days.
_YEAR = "(?:[0-9]{3}[1-9]|[0-9]{2}[1-9]0|[0-9][1-9]00|[1-9]000)"
_LEAP_YEAR = "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)"
_MONTH = "(?:0[1-9]|1[0-2])"
_MONTH_DAY = "(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)"
DATE_PATTERN = (
    f"^(?:{UNKNOWN_DATE}|(?:{INFERRED})?(?:(?:{'|'.join(DATE_PARTS)}) )?"
    f"(?:{_YEAR}(?:-{_MONTH}|-{_MONTH_DAY})?|{_LEAP_YEAR}-02-29))$"
)
FIRST_PARAGRAPH_NOT_ZERO = "/p0*[1-9]"  # `article/p0` is an empty range
NUMBER_LIMIT = 10**15  # `NUMBER_PATTERN` allows at most 15 digits before the point

TYPED_LIMITS = (
    (
        "an id or reference written unquoted as `true`, `false` or a fraction like `5e-1` is flagged, though the "
        "loader reads it as text: quote it"
    ),
    "a list item written `null` or `~` is flagged, though the loader reads it as text",
    (
        "some spellings the loader refuses are not flagged, because YAML 1.2 reads them as the same value as a "
        "correct one: `1e3`, `0x10`, `+5` or `007` as a number, `+5` as an id, `17` or `2017.0` as a date, "
        "`True` as a boolean"
    ),
)
VALIDATOR_ONLY = (
    "that every reference and citation names an existing record",
    "that ids are unique within their kind, across files",
    (
        "that the region tree has exactly one world and no cycles, and that organization parents and "
        "branch-of, affiliate-of, splinter-of and pledged-allegiance-to relationships have no cycles"
    ),
    "that a relationship does not link a group to itself",
    "that a figure's low is not above its high, and that a citation's paragraph range runs forwards (p5-3)",
    (
        "that a figure competes (competes_with) only with other figures of the same measure, the same set of "
        "regions and the same as_of year, a known one"
    ),
    "that a figure's given_by is not a source the figure cites (omit it: the figure is shown as unattributed)",
    "that a region's iso_source is a source of kind " + " or ".join(BACKGROUND_KINDS),
    (
        f"that a region's coords_source is a source of kind {GAZETTEER}, that its latitudes (the 1st item of point; "
        "the 1st and 3rd of bbox) are within -90..90 (the schema checks only -180..180), that its bbox runs south "
        "to north and west to east, and that its point lies inside its bbox"
    ),
    "that an event's until is not before its date, and that an assessment's via is not its speaker",
    (
        "with `validate --source-text ID=FILE`, that every quotation (text) of a record citing source ID is in "
        "its cited paragraphs, and that every year of a date, as_of or until that they do not state is "
        "written inferred"
    ),
    (
        "how the file is written: UTF-8, no control characters, one document, no anchors, aliases, tags, "
        "merge keys or duplicate keys, a size limit"
    ),
)


def ecma(pattern: re.Pattern[str]) -> str:
    """A validator regex (used with `re.match`, ending in `\\Z`) as an anchored JSON Schema pattern."""
    source = pattern.pattern
    assert source.endswith(r"\Z") and (r"\d" not in source or pattern.flags & re.ASCII), source
    return "^(?:" + source[: -len(r"\Z")].replace(r"\d", "[0-9]") + ")$"


ID = ecma(ID_PATTERN)
CITATION = ecma(CITE_PATTERN)
NUMBER = ecma(NUMBER_PATTERN)
ISO = ecma(ISO_PATTERN)
# A plain decimal number (NUMBER_PATTERN) from -180 to 180: any coordinate, latitude or longitude.
COORDINATE = r"^-?(?:(?:0|[1-9][0-9]?|1[0-7][0-9])(?:\.[0-9]{1,15})?|180(?:\.0{1,15})?)$"


def _shapes() -> dict[str, dict[str, Any]]:
    """The schema of one value of each field type (before "absent" is allowed for optional ones)."""
    text = {"type": ["string", "number", "boolean"], "pattern": NOT_BLANK, "patternErrorMessage": "must not be empty"}
    id_ = {
        "type": ["string", "integer"],
        "pattern": ID,
        "minimum": 0,
        "patternErrorMessage": "an id: lower-case letters, digits and single hyphens, e.g. isis-khorasan",
    }
    citation = {"$ref": "#/$defs/citation"}  # the same in every record: defined once
    return {
        "text": text,
        "texts": {"type": "array", "minItems": 1, "items": text},
        "enum": {},
        "ref": id_,
        "refs": {"type": "array", "minItems": 1, "items": id_},
        "date": {
            "type": ["string", "integer"],
            "pattern": DATE_PATTERN,
            "minimum": 1,
            "maximum": 9999,
            "patternErrorMessage": "a date: 2017, 2017-10, 2017-10-17, 'late 2017-08', 'inferred 2017-07' or unknown",
        },
        "number": {
            "type": ["number", "string"],
            "pattern": NUMBER,
            "minimum": -NUMBER_LIMIT,
            "maximum": NUMBER_LIMIT,
            "patternErrorMessage": "a plain decimal number, like 5600 or 0.5",
        },
        "numbers": {"type": "array"},  # of `count` items of the number shape: see field_schema
        "bool": {"enum": [True, False, "true", "false"]},
        "cite": {"anyOf": [citation, {"type": "array", "minItems": 1, "items": citation}]},
        "nested": {"type": "array"},
    }


SHAPES = _shapes()
CITATION_SCHEMA = {
    "description": "a place in a source: SOURCE/pN (paragraph N) or SOURCE/pN-M (paragraphs N to M)",
    "type": "string",
    "pattern": CITATION,
    "patternErrorMessage": "a citation: SOURCE/pN or SOURCE/pN-M, e.g. article/p5",
    "if": {"pattern": CITATION},  # only then is the paragraph worth a second message
    "then": {"pattern": FIRST_PARAGRAPH_NOT_ZERO, "patternErrorMessage": "paragraphs are numbered from 1"},
}
KIND_OF_TYPE = {
    "date": (
        "a date: YYYY, YYYY-MM or YYYY-MM-DD, perhaps after early/mid/late, after `inferred ` when the source "
        "does not state it all (e.g. the year taken from the publication date); or unknown"
    ),
    "number": "a number",
    "bool": "true or false",
}


def _labels(targets: tuple[str, ...]) -> str:
    """`region`, `person or source`, `source, person or organization`."""
    labels = [KINDS[t].LABEL for t in targets]
    return " or ".join([", ".join(labels[:-1]), labels[-1]] if len(labels) > 2 else labels)


def _article(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def _describe(spec: FieldSpec) -> str:
    what = {
        "ref": f"id of {_article(_labels(spec.targets))}",
        "refs": f"list of {_labels(spec.targets)} ids",
        "texts": "list of texts",
        "numbers": f"list of {spec.count} numbers",
        "nested": f"list of {spec.nested.__name__.lower()}s, each a mapping" if spec.nested else "",
        "enum": "one of: " + ", ".join(spec.choices),
    }.get(spec.type, KIND_OF_TYPE.get(spec.type, ""))
    optional = "" if spec.required else "optional"
    if not spec.doc:
        return "; ".join(p for p in (what or "text", optional) if p)
    hint = "; ".join(p for p in (what, optional) if p)
    return f"{spec.doc} ({hint})" if hint else spec.doc


def field_schema(spec: FieldSpec) -> dict[str, Any]:
    """One field: its description, its shape, and `null` (read as absent) when it is optional."""
    out: dict[str, Any] = {"description": _describe(spec)}
    shape = copy.deepcopy(SHAPES[spec.type])
    if spec.type == "enum":
        shape = {"enum": list(spec.choices)}
    elif spec.type == "nested":
        assert spec.nested is not None
        shape["items"] = {"$ref": f"#/$defs/{spec.nested.__name__.lower()}"}
    elif spec.type == "numbers":
        shape.update(minItems=spec.count, maxItems=spec.count, items=copy.deepcopy(SHAPES["number"]))
    if not spec.required:
        if "type" in shape:
            types = shape["type"] if isinstance(shape["type"], list) else [shape["type"]]
            shape["type"] = [*types, "null"]
        elif "enum" in shape:
            shape["enum"] = [*shape["enum"], None]
        else:
            shape = {"anyOf": [shape, {"type": "null"}]}
    out.update(shape)
    return out


def _present(key: str) -> dict[str, Any]:
    return {"required": [key], "properties": {key: {"not": {"type": "null"}}}}


def _absent(key: str, why: str) -> dict[str, Any]:
    """Missing or empty: the validator reads `key:` / `key: ~` as absent. `why` is the editor's message."""
    return {"properties": {key: {"type": "null", "errorMessage": why}}}


def _kind_is(value: str) -> dict[str, Any]:
    return {"required": ["kind"], "properties": {"kind": {"const": value}}}


def _is_true(key: str) -> dict[str, Any]:
    return {"required": [key], "properties": {key: {"enum": [True, "true"]}}}


_COORDINATE = {
    "pattern": COORDINATE,
    "minimum": -180,
    "maximum": 180,
    "patternErrorMessage": "degrees from -180 to 180 (a latitude from -90 to 90), like 33.34 or -5",
}
_CITED_KINDS = [kind for kind in specs_of(Source)["kind"].choices if kind not in BACKGROUND_KINDS]


# Checks of one record that build.py makes after reading its fields (`_check_regions`,
# `_check_records`); the ones that need other records stay in VALIDATOR_ONLY.
RECORD_RULES: dict[str, list[dict[str, Any]]] = {
    "regions": [
        {"if": _kind_is("world"), "then": _absent("parent", "the world has no parent"), "else": _present("parent")},
        {"if": _kind_is("country"), "then": _present("iso"), "else": _absent("iso", "only countries have an iso code")},
        {
            "properties": {
                "iso": {
                    "type": ["string", "null"],
                    "pattern": ISO,
                    "patternErrorMessage": "two capital letters (ISO 3166-1 alpha-2), e.g. IQ",
                }
            }
        },
        {
            "if": _present("iso"),
            "then": _present("iso_source"),
            "else": _absent("iso_source", "only a region with an iso code has an iso_source"),
        },
        {"properties": {key: {"items": _COORDINATE} for key in ("point", "bbox")}},
        {
            "if": {"anyOf": [_present("point"), _present("bbox")]},
            "then": _present("coords_source"),
            "else": _absent("coords_source", "only a region with a point or bbox has a coords_source"),
        },
    ],
    "figures": [
        {
            "if": _present("value"),
            "then": {"allOf": [_absent(k, "give either value, or low and high") for k in ("low", "high")]},
            "else": {"allOf": [_present("low"), _present("high")]},
        },
    ],
    "sources": [
        {
            "if": {"required": ["kind"], "properties": {"kind": {"enum": _CITED_KINDS}}},
            "then": _present("cite"),
        },
    ],
    "events": [
        {
            "if": _present("until"),
            "then": {
                "properties": {
                    "date": {"not": {"const": UNKNOWN_DATE}, "errorMessage": "an event with an end has a known date"}
                }
            },
        },
    ],
}
RULE_NOTES = {
    "regions": "The world has no parent, every other region has one; countries, and only countries, "
    "have an iso code (two capital letters), and a region with an iso code, and only such a region, names "
    "its iso_source. A region with a point or bbox, and only such a region, names its coords_source.",
    "figures": "Either value, or both low and high.",
    "sources": "A source of kind " + ", ".join(_CITED_KINDS) + " has cite; only a standard or gazetteer may have none.",
    "events": "An event with an end (until) has a known date.",
}
if "unattributed" in specs_of(Figure):  # a figure the source gives no giver for names none
    RECORD_RULES["figures"].append(
        {
            "if": _is_true("unattributed"),
            "then": {
                "allOf": [_absent(k, "an unattributed figure names no giver") for k in ("given_by", "attribution")]
            },
        }
    )
    RULE_NOTES["figures"] += " An unattributed figure has neither given_by nor attribution."
# What `validate` checks of a field beyond its shape: added to the field's description.
FIELD_NOTES = {
    ("figures", "competes_with"): "validate checks that each is another figure of the same measure, the same set "
    "of regions and the same as_of year (a known one): only estimates the source sets against each other compete",
    ("figures", "given_by"): "validate refuses a source the figure cites: omit given_by when the source does "
    "not say whose figure it is (it is shown as unattributed)",
    ("figures", "hedge"): "separate from the qualifier, which says what the number bounds",
    ("regions", "iso_source"): "required with iso, only with iso; validate checks it is a source of kind "
    + " or ".join(BACKGROUND_KINDS)
    + ", e.g. iso-3166",
    ("regions", "point"): "validate checks the latitude is within -90..90 and the longitude within -180..180",
    ("regions", "bbox"): "validate checks south <= north and west <= east, and that the point lies inside it",
    ("regions", "coords_source"): f"validate checks it is a source of kind {GAZETTEER}, e.g. geonames",
    ("sources", "cite"): "required for every kind but " + " and ".join(BACKGROUND_KINDS),
    ("sources", "kind"): "a " + " or ".join(BACKGROUND_KINDS) + " is background knowledge the text does not cite, "
    "e.g. ISO 3166",
    ("events", "until"): "validate checks it is not before date, and that date is known",
    ("assessments", "via"): "validate checks it is not the speaker",
}


def _record_schema(cls: type, kind: str | None) -> dict[str, Any]:
    specs = specs_of(cls)
    properties: dict[str, Any] = {}
    required: list[str] = []
    if kind is not None:
        properties["id"] = {
            "description": "unique among the " + kind + "; " + SHAPES["ref"]["patternErrorMessage"],
            **SHAPES["ref"],
        }
        required.append("id")
    for name, spec in specs.items():
        key = yaml_key(name)
        properties[key] = field_schema(spec)
        note = FIELD_NOTES.get((kind or "", key))
        if note:
            properties[key]["description"] += "; " + note
        if spec.required:
            required.append(key)
    label = getattr(cls, "LABEL", "") or cls.__name__.lower()
    where = f"one of the `{kind}:` list" if kind else "a mapping"
    out: dict[str, Any] = {
        "title": label,
        "description": f"{_article(label).capitalize()}: {where}.",
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }
    if kind in RECORD_RULES:
        out["description"] += " " + RULE_NOTES[kind]
        out["allOf"] = RECORD_RULES[kind]
    return out


def json_schema() -> dict[str, Any]:
    """The schema as a dict (a new one each call)."""
    defs: dict[str, Any] = {"citation": CITATION_SCHEMA}
    for kind, cls in KINDS.items():
        defs[kind] = _record_schema(cls, kind)
        for spec in specs_of(cls).values():
            if spec.nested is not None:
                defs[spec.nested.__name__.lower()] = _record_schema(spec.nested, None)
    description = (
        "A data file of isis-explorer: a mapping from kind names to lists of records. The loader reads every "
        "scalar as a string and an empty value as absent; this schema also accepts the values editors see when "
        "they read YAML 1.2 types, with these limits: " + "; ".join(TYPED_LIMITS) + ". "
        "Left to `isis-explorer validate`: " + "; ".join(VALIDATOR_ONLY) + "."
    )
    schema = {
        "$schema": DIALECT,
        "$id": SCHEMA_ID,
        "title": "isis-explorer knowledge base file",
        "description": description,
        "type": "object",
        "properties": {
            kind: {
                "description": f"{cls.LABEL} records",
                "type": ["array", "null"],
                "items": {"$ref": f"#/$defs/{kind}"},
            }
            for kind, cls in KINDS.items()
        },
        "additionalProperties": False,
        "$defs": defs,
    }
    return copy.deepcopy(schema)  # the rules and shapes above are shared between calls


def json_schema_text() -> str:
    """The schema as the committed file holds it: indented JSON, ASCII only, ending in a newline."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=True) + "\n"
