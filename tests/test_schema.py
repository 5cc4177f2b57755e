"""The JSON Schema for editors (`isis-explorer schema`): valid, committed, and in agreement with the validator.

The views of a file (as the loader reads it, and as an editor does) are explained in schema_views.py;
random values are in test_schema_values.py.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft7Validator, Draft202012Validator
from schema_views import (
    GOOD,
    SCHEMA,
    record,
    schema_accepts,
    schema_errors,
    validator_in,
    views,
    with_field,
)

from tui.export.json_schema import (
    DATE_PATTERN,
    DIALECT,
    FILE_NAME,
    MODELINE,
    NOT_BLANK,
    TYPED_LIMITS,
    VALIDATOR_ONLY,
    json_schema_text,
)
from tui.knowledge.dates import parse_date
from tui.knowledge.fields import specs_of
from tui.knowledge.records import KINDS, yaml_key

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
COMMITTED = DATA / FILE_NAME
GENERATOR = ROOT / "tests" / "benchmarks" / "generate.py"


@pytest.fixture(scope="module")
def validator_accepts(tmp_path_factory: pytest.TempPathFactory):
    return validator_in(tmp_path_factory.mktemp("schema") / "kb")


# -- the schema itself ---------------------------------------------------------------------------------------


def test_the_schema_is_a_valid_draft_2020_12_schema_that_draft_7_tools_read_too() -> None:
    Draft202012Validator.check_schema(SCHEMA)
    Draft7Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == DIALECT == "https://json-schema.org/draft/2020-12/schema"
    assert SCHEMA["$id"] and SCHEMA["title"]
    for limit in (*TYPED_LIMITS, *VALIDATOR_ONLY):
        assert limit in SCHEMA["description"]
    text = json.dumps(SCHEMA)
    assert "\\\\d" not in text and "\\\\s" not in text and "(?=" not in text and "(?!" not in text  # portable


def test_every_kind_and_field_comes_from_the_field_specs() -> None:
    assert list(SCHEMA["properties"]) == list(KINDS)
    assert SCHEMA["additionalProperties"] is False
    for kind, cls in KINDS.items():
        assert SCHEMA["properties"][kind]["items"] == {"$ref": f"#/$defs/{kind}"}
        definition = SCHEMA["$defs"][kind]
        specs = specs_of(cls)
        assert list(definition["properties"]) == ["id", *(yaml_key(name) for name in specs)]
        assert definition["required"] == ["id", *(yaml_key(n) for n, s in specs.items() if s.required)]
        assert definition["additionalProperties"] is False
        for name, spec in specs.items():
            field = definition["properties"][yaml_key(name)]
            assert field["description"], (kind, name)
            if spec.doc:
                assert field["description"].startswith(spec.doc)
            if spec.type == "enum":
                assert field["enum"] == list(spec.choices) + ([] if spec.required else [None])


def test_the_date_pattern_is_exactly_what_parse_date_accepts() -> None:
    pattern = re.compile(DATE_PATTERN)
    years = [
        "0000",
        "0001",
        "0004",
        "0100",
        "0400",
        "1600",
        "1900",
        "1999",
        "2000",
        "2016",
        "2017",
        "2100",
        "2400",
        "9999",
        "999",
        "20170",
        "2o17",
    ]
    bodies = list(years)
    bodies += [f"{y}-{m:02d}" for y in years for m in range(14)]
    bodies += [f"{y}-{m:02d}-{d:02d}" for y in years for m in range(14) for d in range(33)]
    bodies += ["2017-1", "2017-1-1", "2017-10-1", "2017/10", "2017-10-17T00", " 2017", "2017 "]
    checked = 0
    for body in bodies:
        for text in (
            body,
            f"early {body}",
            f"mid {body}",
            f"late {body}",
            f"Late {body}",
            f"late  {body}",
            f"late{body}",
            f"inferred {body}",
            f"inferred late {body}",
            f"late inferred {body}",
            f"Inferred {body}",
            f"inferred  {body}",
            f"inferred{body}",
        ):
            try:
                parse_date(text)
                valid = True
            except ValueError:
                valid = False
            assert bool(pattern.search(text)) == valid, text
            checked += valid
    assert checked > 6 * 4 * 365  # many valid ones among them
    for text in ("unknown", "Unknown", "unknown ", "late unknown", "inferred unknown", "inferred", "inferred "):
        assert bool(pattern.search(text)) == (text == "unknown")


def test_not_blank_is_what_str_strip_leaves_something_of() -> None:
    pattern = re.compile(NOT_BLANK)
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        assert bool(pattern.search(char)) == bool(char.strip()), hex(code)


# -- files ---------------------------------------------------------------------------------------------------

BUNDLED = sorted(DATA.glob("*.yaml"))


def test_the_committed_schema_is_the_generated_one() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == json_schema_text(), (
        f"{COMMITTED.relative_to(ROOT)} is stale; regenerate it: isis-explorer schema > data/{FILE_NAME}"
    )


def test_the_cli_prints_the_committed_schema() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tui", "schema"], capture_output=True, text=True, timeout=60, encoding="utf-8"
    )
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout == COMMITTED.read_text(encoding="utf-8")
    assert json.loads(done.stdout) == SCHEMA


def test_every_bundled_file_points_editors_at_the_schema() -> None:
    assert len(BUNDLED) == len(KINDS)
    for path in BUNDLED:
        first, second = path.read_text(encoding="utf-8").splitlines()[:2]
        assert first == MODELINE == f"# yaml-language-server: $schema={FILE_NAME}", path.name
        assert second.startswith("# ") and "yaml-language-server" not in second, path.name  # its own comment kept
    assert (DATA / FILE_NAME).is_file()  # the modeline's relative path resolves beside the data files


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_every_bundled_file_validates_in_both_views(path: Path) -> None:
    seen = views(path.read_text(encoding="utf-8"), str(path))
    assert seen is not None
    for name, document in seen.items():
        assert schema_errors(document) == [], (path.name, name)
        assert schema_accepts(document)
    kind = path.stem
    assert len(seen["string"][kind]) > 0
    if kind == "figures":  # the typed view really is typed: numbers and unquoted years are numbers there
        assert any(isinstance(f.get("value"), int) for f in seen["typed"]["figures"])
        assert all(isinstance(f.get("value"), (str, type(None))) for f in seen["string"]["figures"])


def test_the_benchmark_generator_output_validates(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("kb_generate", GENERATOR)
    assert spec is not None and spec.loader is not None
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    files = [Path(f) for f in generator.generate(str(tmp_path / "kb"), 0.01, 2017)]
    assert len(files) >= len(KINDS)
    for path in files:
        seen = views(path.read_text(encoding="utf-8"), str(path))
        assert seen is not None
        for name, document in seen.items():
            assert schema_errors(document) == [], (path.name, name)


# -- schema and validator agree, record by record ------------------------------------------------------------

# Wrong values for each type of field (written so both views see the same thing: see TYPED_LIMITS).
BAD_VALUES: dict[str, list[str]] = {
    kind: values.split(" | ")
    for kind, values in {
        "text": '"  " | "" | "\\t" | "\\u00a0\\u3000" | [a list] | {a: mapping}',
        "texts": 'not a list | [] | [ok, "  "] | [[nested]] | [{a: b}]',
        "enum": 'not-a-choice | [about] | Exact | "about "',
        "ref": "Iraq | [iraq] | -iraq | ir_aq | {a: b}",
        "refs": "iraq | [] | [Iraq] | [iraq, [mosul]]",
        "date": '2017-13 | 2017-02-29 | "0000" | "17" | soon | 2017/10/17 | Late 2017 | late 2017-02-30 | 2017-1 | '
        "[2017] | 2017-10-17T10:00",
        "number": '1,000 | "1e3" | "007" | "-" | 5 people | [5] | "0.1234567890123456" | "1000000000000000" | " 5" | '
        "{a: 1}",
        "numbers": '33.3 | [] | [1] | [1, 2, 3, 4, 5] | [a, b] | ["1e3", 2] | [[1], 2] | {a: 1}',
        "bool": 'yes | "True" | [true] | "1"',
        "cite": "article p1 | article/p0 | article/1 | [article/p1, article/1] | [] | {a: b} | ARTICLE/p1 | "
        'article/p1234567 | article/p1- | "article/p1 "',
        "nested": "a title | [a title] | [{title: T, colour: red}] | [{organization: think-tank-x}] | "
        "[{title: T, former: maybe}] | [{title: [T]}]",
    }.items()
}
BAD_IDS = ["Bad_Id", "-x", "x--y", "x-", "~", "[x]", '"x "', "{a: b}", '"ünï"']


RULED = {
    ("regions", "parent"),
    ("regions", "iso"),
    ("regions", "iso_source"),
    ("figures", "value"),
    ("figures", "low"),
    ("figures", "high"),
    ("sources", "cite"),
    ("regions", "point"),
    ("regions", "bbox"),
    ("regions", "coords_source"),
}
GAZETTEER = record("sources", ["id: geonames", "title: GeoNames", "kind: gazetteer"])


def cases() -> list[tuple[str, str, bool]]:
    """(name, file text, whether it is valid): a good record per kind and many bad ones."""
    out: list[tuple[str, str, bool]] = []
    for kind, good in GOOD.items():
        specs = {yaml_key(n): s for n, s in specs_of(KINDS[kind]).items()}

        def add(name: str, fields: list[str], valid: bool, kind: str = kind) -> None:
            out.append((f"{kind}-{name}", record(kind, fields), valid))

        add("good", good, True)
        add("unknown-field", [*good, "colour: red"], False)
        add("misspelt-field", [*good, "sumary: S."], False)
        for value in BAD_IDS:
            add(f"bad-id-{value}", with_field(good, "id", value), False)
        add("no-id", with_field(good, "id", None), False)
        for key, spec in specs.items():
            if spec.required:
                add(f"missing-{key}", with_field(good, key, None), False)
                add(f"null-{key}", with_field(good, key, "~"), False)
            elif (kind, key) not in RULED:
                add(f"without-{key}", with_field(good, key, None), True)
                add(f"empty-{key}", with_field(good, key, ""), True)
            for value in BAD_VALUES[spec.type]:
                add(f"bad-{key}-{value}", with_field(good, key, value), False)
    # Values that YAML 1.2 types, which the loader reads as text.
    topic = GOOD["topics"]
    for name in ("1984", "true", "2017-10-17", "0.5", '"null"', "yes", "NO", "~x", ".inf"):
        out.append((f"topics-name-{name}", record("topics", with_field(topic, "name", name)), True))
    out.append(("topics-summary-typed", record("topics", with_field(topic, "summary", "12")), True))
    typed = with_field(GOOD["organizations"], "aliases", "[1, true, 2.5, no, .nan]")
    out.append(("organizations-aliases-typed", record("organizations", typed), True))
    out.append(("topics-id-digits", record("topics", with_field(topic, "id", "2017")), True))
    out.append(("topics-id-quoted-true", record("topics", with_field(topic, "id", '"true"')), True))
    figure = GOOD["figures"]
    for value in ('"6000"', "0", "-0", "-3.25", "0.5", "999999999999999", "123456789012345.123456789012345"):
        out.append((f"figures-value-{value}", record("figures", with_field(figure, "value", value)), True))
    out.append(("figures-as-of-quoted", record("figures", with_field(figure, "as_of", '"2017"')), True))
    for as_of in (
        "0001",
        "unknown",
        "early 2017",
        "mid 2017-05",
        "2016-02-29",
        "2000-02-29",
        "late 2017-12-31",
        "inferred 2017",
        "inferred late 2017-10",
        '"inferred 2017-10-17"',
    ):
        out.append((f"figures-as-of-{as_of}", record("figures", with_field(figure, "as_of", as_of)), True))
    for cite in ("article/p007", "article/p1-1", "[article/p1]", "article/p999999"):
        out.append((f"topics-cite-{cite}", record("topics", with_field(topic, "cite", cite)), True))
    person = GOOD["people"]
    for roles in ("[]", '[{title: T, former: "false"}]', "[{title: T, former: false}]", "[{title: T, former: ~}]"):
        out.append((f"people-roles-{roles}", record("people", with_field(person, "roles", roles)), True))
    # The rules inside one record: regions (parent, iso, iso_source), figures (value, or low and high),
    # sources (cite) and events (until).
    region = GOOD["regions"]
    city = with_field(with_field(with_field(region, "kind", "city"), "iso", None), "iso_source", None)
    source, event = GOOD["sources"], GOOD["events"]
    unattributed = with_field(
        with_field(with_field(figure, "given_by", None), "attribution", None), "unattributed", "true"
    )
    rules = [
        ("region-city-with-iso-source", with_field(city, "iso_source", "iso-3166"), False),
        ("region-city-null-iso-source", with_field(city, "iso_source", "~"), True),
        ("region-country-without-iso-source", with_field(region, "iso_source", None), False),
        ("region-country-null-iso-source", with_field(region, "iso_source", "null"), False),
        ("source-report-without-cite", with_field(source, "cite", None), False),
        ("source-statement-null-cite", with_field(with_field(source, "kind", "statement"), "cite", "~"), False),
        ("source-standard-without-cite", with_field(with_field(source, "kind", "standard"), "cite", None), True),
        ("source-gazetteer-null-cite", with_field(with_field(source, "kind", "gazetteer"), "cite", ""), True),
        ("event-without-until", with_field(event, "until", None), True),
        ("event-until-unknown-date", with_field(event, "date", "unknown"), False),
        ("event-no-until-unknown-date", with_field(with_field(event, "date", "unknown"), "until", "~"), True),
        ("figure-unattributed", unattributed, True),
        ("figure-unattributed-false", with_field(figure, "unattributed", "false"), True),
        ("figure-unattributed-given-by", with_field(figure, "unattributed", "true"), False),
        ("figure-unattributed-attribution", [*unattributed, "attribution: some analysts"], False),
        (
            "figure-competes",
            [*with_field(figure, "id", "fighters-3"), "competes_with: [fighters-2]"],
            True,
        ),
        ("region-city", city, True),
        ("region-city-empty-iso", with_field(city, "iso", "~"), True),
        ("region-city-with-iso", with_field(city, "iso", "SY"), False),
        ("region-city-without-parent", with_field(city, "parent", None), False),
        ("region-city-null-parent", with_field(city, "parent", "~"), False),
        ("region-country-without-iso", with_field(region, "iso", None), False),
        ("region-country-null-iso", with_field(region, "iso", "null"), False),
        ("region-country-lower-iso", with_field(region, "iso", "sy"), False),
        ("region-country-long-iso", with_field(region, "iso", "SYR"), False),
        ("region-country-blank-iso", with_field(region, "iso", '" "'), False),
        ("region-world-with-parent", with_field(with_field(region, "kind", "world"), "iso", None), False),
        ("figure-range", with_field(with_field(with_field(figure, "value", None), "low", "5"), "high", '"7.5"'), True),
        ("figure-range-null-value", [*with_field(figure, "value", "~"), "low: 5", "high: 7"], True),
        ("figure-value-null-range", [*figure, "low: ~", "high:"], True),
        ("figure-value-and-low", [*figure, "low: 5"], False),
        ("figure-value-and-range", [*figure, "low: 5", "high: 7"], False),
        ("figure-only-low", [*with_field(figure, "value", None), "low: 5"], False),
        ("figure-only-high", [*with_field(figure, "value", None), "high: 5"], False),
        ("figure-nothing", with_field(figure, "value", None), False),
        ("region-coords", [*city, "point: [36.34, 43.13]", "bbox: [36, 43, 37, 44]", "coords_source: geonames"], True),
        ("region-coords-point", [*city, "point: [-36.3, -180]", "coords_source: geonames"], True),
        ("region-coords-bbox-null-point", [*city, "point: ~", "bbox: [0, 0, 1, 1]", "coords_source: geonames"], True),
        ("region-coords-without-source", [*city, "point: [36.34, 43.13]"], False),
        ("region-coords-null-source", [*city, "bbox: [0, 0, 1, 1]", "coords_source: ~"], False),
        ("region-coords-source-only", [*city, "coords_source: geonames"], False),
        ("region-coords-long-out-of-range", [*city, "point: [36.34, 180.5]", "coords_source: geonames"], False),
    ]
    for name, fields, valid in rules:
        kind = {"region": "regions", "source": "sources", "event": "events"}.get(name.split("-")[0], "figures")
        text = record(kind, fields)
        if name.startswith("region-coords"):  # with the gazetteer its coordinates come from
            text += GAZETTEER
        if name == "figure-competes":  # two estimates of one measure, place and period, set against each other
            text += "  - " + "\n    ".join([*figure, "competes_with: [fighters-3]"]) + "\n"
        out.append((name, text, valid))
    # Whole files.
    out += [
        ("file-empty-kind", "topics:\n", True),
        ("file-empty-list", "topics: []\n", True),
        ("file-unknown-kind", "topic:\n  - id: t\n", False),
        ("file-kind-not-a-list", "topics: {id: t}\n", False),
        ("file-record-not-a-mapping", "topics:\n  - governance\n", False),
        ("file-null-record", "topics:\n  - ~\n", False),
        ("file-a-list", "- topics\n", False),
        ("file-with-two-kinds", record("topics", GOOD["topics"]) + record("works", GOOD["works"]), True),
    ]
    return out


CASES = cases()


def test_the_table_covers_every_field_and_kind() -> None:
    names = {name for name, _, _ in CASES}
    for kind, cls in KINDS.items():
        assert f"{kind}-good" in names
        valid = [text for _, text, ok in CASES if ok and text.startswith(f"{kind}:")]
        for name in specs_of(cls):
            assert any(f" {yaml_key(name)}: " in text for text in valid), (kind, name)
    assert sum(valid for _, _, valid in CASES) > 40 and sum(not valid for _, _, valid in CASES) > 400


@pytest.mark.parametrize(("name", "text", "valid"), CASES, ids=[c[0] for c in CASES])
def test_schema_and_validator_agree(validator_accepts, name: str, text: str, valid: bool) -> None:
    assert validator_accepts(text) == valid, text
    seen = views(text)
    assert seen is not None, text
    for view, document in seen.items():
        assert schema_accepts(document) == valid, (view, document, schema_errors(document))
