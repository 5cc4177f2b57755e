"""The JSON Schema and the validator agree on one field's value at a time: special spellings and random ones."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from schema_views import CITE, GOOD, record, schema_accepts, schema_errors, validator_in, views, with_field

from tui.export.json_schema import DATE_PATTERN


@pytest.fixture(scope="module")
def validator_accepts(tmp_path_factory: pytest.TempPathFactory):
    return validator_in(tmp_path_factory.mktemp("schema") / "kb")


# (field, template of a file; <V> is the value as written): the one thing that varies in a valid file.
TEMPLATES = {
    "text": record("topics", ["id: t9", "name: <V>", CITE]),
    "optional-text": record("topics", ["id: t9", "name: N", "summary: <V>", CITE]),
    "texts": record("organizations", ["id: o9", "name: N", "kind: agency", "aliases: [<V>]", CITE]),
    "id": record("topics", ["id: <V>", "name: N", CITE]),
    "refs": record("topics", ["id: t9", "name: N", CITE])
    + record("assessments", ["id: a9", "speaker: analyst-a", "summary: S.", "topics: [t9, <V>]", CITE]),
    "enum": record(
        "figures", ["id: f9", "measure: fighters", "value: 1", "qualifier: <V>", "as_of: 2017", "summary: S.", CITE]
    ),
    "date": record("events", ["id: e9", "name: N", "date: <V>", "summary: S.", CITE]),
    "optional-date": record("sources", ["id: s9", "title: T", "kind: report", "date: <V>", CITE]),
    "number": record(
        "figures", ["id: f9", "measure: fighters", "value: <V>", "qualifier: about", "as_of: 2017", "summary: S.", CITE]
    ),
    "bool": record("people", ["id: p9", "name: N", "roles: [{title: T, former: <V>}]", CITE]),
    # a longitude: the schema checks -180..180 as validate does (a latitude's -90..90 is validate's alone)
    "numbers": record(
        "regions", ["id: r9", "name: N", "kind: city", "parent: iraq", "point: [33, <V>]", "coords_source: g9", CITE]
    )
    + record("sources", ["id: g9", "title: GeoNames", "kind: gazetteer"]),
    "cite": record("topics", ["id: t9", "name: N", "cite: <V>"]),
    "cites": record("topics", ["id: t9", "name: N", "cite: [article/p1, <V>]"]),
}
_PLAIN_SPECIAL = (
    "~ null Null NULL true True false FALSE yes no on 0 -0 00 007 1e3 1E3 5e-1 0x10 0o7 +5 .5 1. 1.0 -1.5 .inf -.inf "
    ".nan 2017 0017 17 2017.0 0000 2017-10 2017-02-29 2016-02-29 1900-02-29 2000-02-29 unknown article/p1 article/p0 "
    "article/p01-2 article/p3-1 source-x/p1 t9 a9 returnees about exact at-least a-b -a a_b ä ٢٠١٧ article/p١ 1٢ ٣ ’ "
    "999999999999999 1000000000000000 -999999999999999.999999999999999 0.1234567890123456"
)
SPECIAL = [
    *_PLAIN_SPECIAL.split(),
    *["", " ", "\t", "\u00a0", "\u3000x", "\ufeff", "x\ty", "late 2017", "early  2017", "a, b", "null, x", "x, ~"],
    *[
        "inferred 2017",
        "inferred late 2017-10",
        "inferred  2017",
        "Inferred 2017",
        "inferred unknown",
        "late inferred 2017",
    ],
]
ALPHABET = "0123456789-.:/ abcdeEfilmnoprtuxyzAT~+_#,'\"\t\u00a0٢é"  # no newline: see the note below
spellings = st.one_of(
    st.text(alphabet=ALPHABET, max_size=14),
    st.from_regex(DATE_PATTERN, fullmatch=True),
    st.from_regex(r"article/p[0-9]{1,7}(-[0-9]{1,7})?", fullmatch=True),
    st.from_regex(r"-?[0-9]{1,17}(\.[0-9]{0,17})?([eE][-+]?[0-9]{1,3})?", fullmatch=True),
)
RANDOM = settings(
    max_examples=80,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
AN_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
A_CITATION = re.compile(r"([a-z0-9]+(?:-[a-z0-9]+)*)/p([0-9]{1,6})(?:-([0-9]{1,6}))?\Z")


def varied_values(document: object, field: str) -> list[object]:
    """The values written in place of <V> (several when the spelling holds commas in a list)."""
    try:
        if field == "refs":
            return document["assessments"][0]["topics"][1:]
        first = next(iter(document.values()))[0]
        key = {
            "text": "name",
            "optional-text": "summary",
            "texts": "aliases",
            "enum": "qualifier",
            "optional-date": "date",
            "number": "value",
            "bool": "roles",
            "numbers": "point",
            "cites": "cite",
        }.get(field, field)
        value = first.get(key)
        if field in ("cites", "numbers"):
            return value[1:]
        if field == "bool":
            return [value[0].get("former")]
        return value if field == "texts" else [value]
    except (AttributeError, IndexError, KeyError, StopIteration, TypeError):
        return [document]  # the spelling changed the shape of the file: judged as a whole


def typed_limit(field: str, value: object) -> bool:
    """One of TYPED_LIMITS: a value the loader accepts that the schema flags in the typed view."""
    if field in ("id", "refs") and (isinstance(value, bool) or (isinstance(value, float) and not value.is_integer())):
        return True  # `true`, `5e-1`: quote it
    return field in ("texts", "refs", "cites") and value is None  # `- null` in a list


def beyond_the_schema(field: str, value: object) -> bool:
    """What only the validator can know: whether a record exists, or a paragraph range runs forwards."""
    if not isinstance(value, str):
        return False
    cite = A_CITATION.match(value)
    if field in ("cite", "cites") and cite:
        return cite.group(1) != "article" or int(cite.group(3) or cite.group(2)) < int(cite.group(2))
    return (field == "id" and value == "returnees") or (field == "refs" and bool(AN_ID.match(value)))


def agree(validator_accepts, field: str, spelling: str, quoted: bool) -> bool:
    """Check one value in both views; False when the case says nothing about the schema."""
    written = json.dumps(spelling, ensure_ascii=False) if quoted else spelling
    text = TEMPLATES[field].replace("<V>", written)
    seen = views(text)
    if seen is None:  # refused before any record is read (a YAML syntax error)
        return False
    if any(beyond_the_schema(field, v) for v in varied_values(seen["string"], field)):
        return False
    valid = validator_accepts(text)
    assert schema_accepts(seen["string"]) == valid, (text, schema_errors(seen["string"]))
    typed = schema_accepts(seen["typed"])
    typed_values = varied_values(seen["typed"], field)
    if valid:
        assert typed or any(typed_limit(field, v) for v in typed_values), (text, schema_errors(seen["typed"]))
    elif all(isinstance(v, str) for v in typed_values):
        assert not typed, text  # a string is a string in both views: only typing loses anything
    return True


@pytest.mark.parametrize("field", list(TEMPLATES))
def test_schema_and_validator_agree_on_special_values(validator_accepts, field: str) -> None:
    checked = sum(agree(validator_accepts, field, spelling, quoted) for spelling in SPECIAL for quoted in (False, True))
    assert checked > len(SPECIAL)


@pytest.mark.parametrize("field", list(TEMPLATES))
@RANDOM
@given(spelling=spellings, quoted=st.booleans())
def test_schema_and_validator_agree_on_random_values(
    validator_accepts, field: str, spelling: str, quoted: bool
) -> None:
    assume(agree(validator_accepts, field, spelling, quoted))


# Note: jsonschema matches patterns with Python's `re`, where `$` also matches before a final newline;
# ECMA-262 (the regex dialect of JSON Schema, and of editors) does not. A value ending in a newline (a `|`
# block scalar) is refused by the validator and by editors, but jsonschema in Python lets it through; the
# random values above hold no newline for that reason.


def test_the_documented_typed_limits_are_true(validator_accepts) -> None:
    """TYPED_LIMITS says which unquoted spellings editors judge differently from the loader."""
    topic = GOOD["topics"]
    flagged_but_valid = [
        record("topics", with_field(topic, "id", "true")),
        record("topics", with_field(topic, "id", "5e-1")),
        record("organizations", with_field(GOOD["organizations"], "aliases", "[null, ~]")),
    ]
    for text in flagged_but_valid:
        seen = views(text)
        assert validator_accepts(text) and schema_accepts(seen["string"]) and not schema_accepts(seen["typed"]), text
    figure, person = GOOD["figures"], GOOD["people"]
    passed_but_invalid = [
        record("figures", with_field(figure, "value", value)) for value in ("1e3", "0x10", "+5", "007")
    ] + [
        record("topics", with_field(topic, "id", "+5")),
        record("figures", with_field(figure, "as_of", "17")),
        record("figures", with_field(figure, "as_of", "2017.0")),
        record("people", with_field(person, "roles", "[{title: T, former: True}]")),
    ]
    for text in passed_but_invalid:
        seen = views(text)
        assert not validator_accepts(text) and not schema_accepts(seen["string"]) and schema_accepts(seen["typed"]), (
            text
        )
