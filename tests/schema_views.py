"""Helpers for the JSON Schema tests: the two ways a YAML file is read, and small records to vary.

A YAML file is judged by the schema in two views, as different tools parse it:
- the string view: how the loader reads it (tui/loading/safe_yaml.py): every scalar a string, and an empty
  field (`summary:`, `~`, `null`) absent. Here schema and validator must agree on every record.
- the typed view: YAML 1.2 core types, as editors (yaml-language-server) read it: `6000` is a number,
  `true` a boolean, `2017-10-17` a string. Here the schema accepts whatever the validator accepts, except
  the few spellings `json_schema.TYPED_LIMITS` names.
(PyYAML's `safe_load` is YAML 1.1, which no editor uses: it reads `2017-10-17` as a date, `no` as false.)
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path

from conftest import BASE_KB, dedent
from jsonschema import Draft7Validator, Draft202012Validator
from yaml.nodes import MappingNode, Node, SequenceNode

from tui.export.json_schema import json_schema
from tui.loading.loader import load
from tui.loading.problems import DataError, Problems
from tui.loading.safe_yaml import is_null, is_plain, parse

SCHEMA = json_schema()
LATEST = Draft202012Validator(SCHEMA)
DRAFT7 = Draft7Validator(SCHEMA)  # the rules VS Code's YAML extension applies today
SUBJECT = "zz.yaml"  # the file under test, beside the base knowledge base of conftest.py

# YAML 1.2.2, 10.3.2 (core schema): how a plain scalar resolves.
_CORE_NULL = re.compile(r"(?:~|null|Null|NULL|)\Z")
_CORE_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_CORE_INT = re.compile(r"[-+]?[0-9]+\Z")
_CORE_OCT = re.compile(r"0o[0-7]+\Z")
_CORE_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_CORE_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_CORE_INF = re.compile(r"([-+]?)\.(?:inf|Inf|INF)\Z")
_CORE_NAN = re.compile(r"\.(?:nan|NaN|NAN)\Z")


def core_value(text: str) -> object:
    """A plain scalar as a YAML 1.2 core-schema parser (the one editors use) types it."""
    if _CORE_NULL.match(text):
        return None
    if text in _CORE_BOOL:
        return _CORE_BOOL[text]
    if _CORE_INT.match(text):
        return int(text)
    if _CORE_OCT.match(text):
        return int(text, 0)
    if _CORE_HEX.match(text):
        return int(text, 0)
    if _CORE_FLOAT.match(text):
        return float(text)
    if m := _CORE_INF.match(text):
        return -math.inf if m.group(1) == "-" else math.inf
    if _CORE_NAN.match(text):
        return math.nan
    return text


def string_view(node: Node, is_field: bool = False) -> object:
    """As the validator reads it: strings; an empty value of a field (or kind) is absent (None)."""
    if isinstance(node, MappingNode):
        return {key.value: string_view(value, True) for key, value in node.value}
    if isinstance(node, SequenceNode):
        return [string_view(item) for item in node.value]
    return None if is_field and is_null(node) else node.value


def typed_view(node: Node) -> object:
    """As an editor reads it: YAML 1.2 core types for plain scalars, quoted ones stay strings."""
    if isinstance(node, MappingNode):
        return {key.value: typed_view(value) for key, value in node.value}
    if isinstance(node, SequenceNode):
        return [typed_view(item) for item in node.value]
    return core_value(node.value) if is_plain(node) else node.value


def views(text: str, path: str = SUBJECT) -> dict[str, object] | None:
    """Both views of a file, or None when the loader refuses to read it at all."""
    root = parse(path, text, Problems())
    if root is None:
        return None
    return {"string": string_view(root), "typed": typed_view(root)}


def schema_accepts(document: object) -> bool:
    """The draft 2020-12 verdict; the draft-7 rules editors apply must give the same one."""
    verdict = LATEST.is_valid(document)
    assert DRAFT7.is_valid(document) == verdict, document
    return verdict


def schema_errors(document: object) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in LATEST.iter_errors(document)]


def validator_in(root: Path) -> Callable[[str], bool]:
    """`accepts(text)`: does `tui.loading.loader.load` accept the base knowledge base (written to
    `root`) plus this file?"""
    root.mkdir()
    for name, text in BASE_KB.items():
        (root / f"{name}.yaml").write_text(dedent(text), encoding="utf-8")
    subject = root / SUBJECT

    def accepts(text: str) -> bool:
        subject.write_text(text, encoding="utf-8")
        try:
            load(root)
        except DataError as exc:
            assert {p.path for p in exc.problems} == {str(subject)}, exc.lines()  # the base is not the problem
            return False
        return True

    return accepts


CITE = "cite: article/p1"
# One record of each kind that uses every field; it refers only to records of the base knowledge base.
GOOD: dict[str, list[str]] = {
    kind: fields.split(" | ")
    for kind, fields in {
        "sources": "id: report-x | title: A report on returnees | kind: report | publisher: think-tank-x | "
        "date: 2017-10-17 | url: https://example.org/report | summary: What it says. | cite: article/p2",
        "organizations": "id: centre-x | name: Centre X | kind: research-centre | parent: think-tank-x | "
        "aliases: [CX, The Centre] | location: iraq | " + CITE,
        "regions": "id: syria | name: Syria | kind: country | parent: middle-east | structural: true | iso: SY | "
        "iso_source: iso-3166 | aliases: [Syrian Arab Republic] | summary: A country. | " + CITE,
        "groups": "id: cell-b | name: Cell B | kind: insurgency | name_hedge: some-say | aliases: [B] | "
        "regions: [iraq, mosul] | "
        "status: active | summary: A cell. | cite: [article/p1, article/p2-3]",
        "relationships": "id: cell-rival | type: rival-of | from: mosul-cell | to: islamic-state | regions: [mosul] | "
        "date: inferred late 2017-08 | certainty: implied | hedge: apparent | summary: They compete. | " + CITE,
        "measures": "id: territory | name: Territory | unit: km² | summary: Land held. | " + CITE,
        "figures": "id: fighters-2 | measure: fighters | value: 6000 | qualifier: about | hedge: perhaps | "
        "regions: [iraq] | "
        "groups: [islamic-state] | as_of: 2017 | given_by: analyst-a | attribution: some analysts | "
        "summary: About 6,000 fighters. | " + CITE,
        "people": "id: analyst-b | name: Analyst B | "
        "roles: [{title: Director, organization: think-tank-x, former: true}, {title: Adviser}] | "
        "collective: true | location: mosul | summary: An analyst. | " + CITE,
        "works": "id: book-b | title: Another Book | kind: book | authors: [analyst-a] | " + CITE,
        "topics": "id: governance | name: Governance | summary: Who rules. | " + CITE,
        "assessments": 'id: analyst-a-view | speaker: analyst-a | via: article | text: "“It will come back.”" | '
        "hedge: likely | summary: It will come back. | groups: [islamic-state] | regions: [iraq] | "
        "topics: [returnees] | " + CITE,
        "events": "id: battle-x | name: Battle X | date: inferred 2017-07 | until: late 2017-08 | regions: [mosul] | "
        "actors: [islamic-state] | hedge: estimated | summary: A battle. | " + CITE,
    }.items()
}


def record(kind: str, fields: list[str]) -> str:
    return f"{kind}:\n  - " + "\n    ".join(fields) + "\n"


def with_field(fields: list[str], key: str, value: str | None) -> list[str]:
    """`fields` with `key` set to `value` (added when missing), or removed when `value` is None."""
    out = [f for f in fields if not f.startswith(f"{key}:")]
    return out if value is None else [*out, f"{key}: {value}"]
