"""From the YAML nodes of one file to checked records: types, required fields, ids, references.

A file is read on its own (in this process, or in a worker process: see `parallel_parse`) into a
`FileRecords`: its records in order, each with the problems found before it, the references it
makes (checked by `record_links.Builder` once every file is read), and the ids of records left out.
Every problem is reported at the node it concerns; records with problems are left out, and the
caller refuses the whole knowledge base when any problem was found.
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass, field
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from tui.knowledge.dates import PartialDate, parse_date
from tui.knowledge.fields import CITE_PATTERN, ID_PATTERN, NUMBER_PATTERN, FieldSpec, specs_of
from tui.knowledge.records import KINDS, Cite, Record, yaml_key
from tui.loading.problems import Problem, ProblemLimitReached, Problems, shown, suggest
from tui.loading.safe_yaml import is_null, parse, position, read_text
from tui.loading.source_rules import CROSS_CHECKED, record_findings
from tui.loading.source_text import SourceTexts

_SOURCES = ("sources",)
_ORDER = re.compile(r"\[[^\]]*\]")  # `[latitude, longitude]` in a numbers field's doc: its items' order
MAX_PLACE = 0xFFFFFFFF  # lines and columns are kept in 'I' arrays: a 4 GiB line is clamped
Arguments = dict[str, Any]  # a record's (or role's) constructor arguments: one value per field, of its field's type
# A record read: (kind, record, line, col, number of the file's problems found before it,
# its own findings as (line, col, message), places of its CROSS_CHECKED values as (key, index, line, col)).
# The findings are reported only if the record is kept (not a duplicate of one in an earlier file).
Finding = tuple[int, int, str]
FieldPlace = tuple[str, int | None, int, int]
Entry = tuple[str, Record, int, int, int, list[Finding], list[FieldPlace]]


@dataclass(slots=True)
class FileRecords:
    """What one file holds, checked on its own; `record_links.Builder.add_file` takes it from here."""

    path: str
    problems: list[Problem] = field(default_factory=list)  # in the order found
    records: list[Entry] = field(default_factory=list)
    ref_targets: list[tuple[str, ...]] = field(default_factory=list)  # one item per reference, in order
    ref_values: list[str] = field(default_factory=list)
    ref_lines: array[int] = field(default_factory=lambda: array("I"))
    ref_cols: array[int] = field(default_factory=lambda: array("I"))
    broken: list[tuple[str, str]] = field(default_factory=list)  # (kind, id) of records left out
    readable: bool = True  # False: the file could not be read or parsed (links are then not checked)
    stopped: bool = False  # the problem limit was reached while reading it
    too_deep: bool = False  # a RecursionError stopped it


@dataclass(slots=True)
class Shared:
    """One object per distinct id, citation and date: 130k records repeat the same few thousand."""

    ids: dict[str, str] = field(default_factory=dict)
    cites: dict[str, Cite] = field(default_factory=dict)
    dates: dict[str, PartialDate] = field(default_factory=dict)


def read_file(
    path: str, max_bytes: int, problem_limit: int, texts: SourceTexts | None = None, shared: Shared | None = None
) -> FileRecords:
    """Read, parse and check one file. Its problems are counted against `problem_limit` on their
    own: the caller's count, which includes them, reaches the limit no later."""
    out = FileRecords(path)
    problems = Problems(problem_limit)
    out.problems = problems.items
    try:
        text = read_text(path, problems, max_bytes)
        node = parse(path, text, problems) if text is not None else None
        if node is None:
            out.readable = False
        else:
            DocumentReader(out, problems, texts, shared or Shared()).add_document(node)
    except ProblemLimitReached:
        out.stopped = True
    except RecursionError:
        out.too_deep = True
    return out


class DocumentReader:
    """Turns one file's node tree into its `FileRecords`."""

    def __init__(self, out: FileRecords, problems: Problems, texts: SourceTexts | None, shared: Shared) -> None:
        self.out = out
        self.problems = problems
        self._texts = texts  # `validate --source-text`: records are checked against these
        self._shared = shared
        self._specs = {kind: specs_of(cls) for kind, cls in KINDS.items()}

    # -- reporting ---------------------------------------------------------------------------
    def _bad(self, path: str, node: Node, message: str) -> None:
        line, col = position(node)
        self.problems.add(path, line, col, message)

    # -- documents ---------------------------------------------------------------------------
    def add_document(self, root: Node) -> None:
        path = self.out.path
        if not isinstance(root, MappingNode):
            self._bad(path, root, "expected a mapping of kinds (e.g. `groups:`) at the top of the file")
            return
        for key, value in root.value:
            kind = key.value
            if kind not in KINDS:
                self._bad(path, key, f"unknown kind {shown(kind)}{suggest(kind, KINDS)}")
                continue
            if is_null(value):
                continue
            if not isinstance(value, SequenceNode):
                self._bad(path, value, f"{kind} must be a list of records")
                continue
            for item in value.value:
                self._add_record(path, kind, item)

    def _add_record(self, path: str, kind: str, node: Node) -> None:
        cls = KINDS[kind]
        built = self._mapping(path, node, cls, self._specs[kind], with_id=True)
        if built is None:
            if isinstance(node, MappingNode):  # remember its id: references to it are not the problem
                ids = [v.value for k, v in node.value if k.value == "id" and isinstance(v, ScalarNode)]
                self.out.broken.extend((kind, i) for i in ids)
            return
        record = cls(**built)
        found = record_findings(record)
        if self._texts is not None:
            found = [*found, *self._texts.findings(record)]
        findings = [(*position(_value_node(node, key, index)), message) for key, index, message in found]
        places: list[FieldPlace] = []
        for key in CROSS_CHECKED.get(kind, ()):
            value = getattr(record, key)
            items: list[int | None] = list(range(len(value))) if isinstance(value, tuple) else [None]
            for index in items if value else []:
                places.append((key, index, *position(_value_node(node, key, index))))
        line, col = position(node)
        self.out.records.append((kind, record, line, col, len(self.problems.items), findings, places))

    def _mapping(
        self, path: str, node: Node, cls: type, specs: dict[str, FieldSpec], with_id: bool
    ) -> Arguments | None:
        """Convert one mapping into constructor arguments; None when anything in it is wrong."""
        label = getattr(cls, "LABEL", "") or cls.__name__.lower()
        if not isinstance(node, MappingNode):
            self._bad(path, node, f"each {label} must be a mapping of fields")
            return None
        fields = {yaml_key(name): name for name in specs}
        given = {k.value: (k, v) for k, v in node.value}
        ok = True
        out: Arguments = {}
        for key, (key_node, _) in given.items():
            if key not in fields and not (with_id and key == "id"):
                allowed = [*fields, "id"] if with_id else list(fields)
                self._bad(path, key_node, f"unknown field {shown(key)} in {label}{suggest(key, allowed)}")
                ok = False
        if with_id:
            id_node = given.get("id", (None, None))[1]
            if id_node is None or is_null(id_node):
                self._bad(path, node, f"{label} has no id")
                return None
            if not isinstance(id_node, ScalarNode) or not ID_PATTERN.match(id_node.value):
                self._bad(path, id_node, "id must be lower-case letters, digits and single hyphens, e.g. isis-khorasan")
                return None
            out["id"] = self._shared.ids.setdefault(id_node.value, id_node.value)
        for key, name in fields.items():
            spec = specs[name]
            pair = given.get(key)
            if pair is None or is_null(pair[1]):
                if spec.required:
                    named = f"{label} {out['id']!r}" if "id" in out else label
                    self._bad(path, node, f"{named} is missing required field {key!r}")
                    ok = False
                continue
            try:
                out[name] = self._convert(path, pair[1], spec, key)
            except _Invalid:
                ok = False
        return out if ok else None

    # -- values ------------------------------------------------------------------------------
    def _convert(self, path: str, node: Node, spec: FieldSpec, key: str) -> object:
        kind = spec.type
        if kind == "numbers":
            return self._numbers(path, node, spec, key)
        if kind in ("texts", "refs", "nested", "cite") and isinstance(node, SequenceNode):
            if kind == "cite":
                return tuple(self._cite(path, item) for item in self._items(path, node, key))
            if kind == "nested":
                assert spec.nested is not None
                items = []
                for item in node.value:
                    built = self._mapping(path, item, spec.nested, specs_of(spec.nested), with_id=False)
                    if built is None:
                        raise _Invalid
                    items.append(spec.nested(**built))
                return tuple(items)
            if kind == "texts":
                return tuple(self._text(path, item, key) for item in self._items(path, node, key))
            return tuple(self._ref(path, item, spec) for item in self._items(path, node, key))
        if kind in ("refs", "nested", "texts"):
            self._bad(path, node, f"{key} must be a list")
            raise _Invalid
        value = self._scalar(path, node, key)
        if kind == "text":
            return self._text(path, node, key)
        if kind == "cite":
            return (self._cite(path, node),)
        if kind == "ref":
            return self._ref(path, node, spec)
        if kind == "enum":
            if value not in spec.choices:
                self._bad(
                    path,
                    node,
                    f"{key} must be one of {', '.join(spec.choices)}; got {shown(value)}{suggest(value, spec.choices)}",
                )
                raise _Invalid
            return spec.choices[spec.choices.index(value)]  # the shared constant, not a copy
        if kind == "date":
            found = self._shared.dates.get(value)
            if found is not None:
                return found
            try:
                return self._shared.dates.setdefault(value, parse_date(value))
            except ValueError as exc:
                self._bad(path, node, f"{key}: {exc}")
                raise _Invalid from None
        if kind == "number":
            match = NUMBER_PATTERN.match(value)
            if not match:
                self._bad(path, node, f"{key} must be a plain decimal number (like 5600 or 0.5), got {shown(value)}")
                raise _Invalid
            return float(value) if match.group(1) else int(value)
        if kind == "bool":
            if value not in ("true", "false"):
                self._bad(path, node, f"{key} must be true or false, got {shown(value)}")
                raise _Invalid
            return value == "true"
        raise AssertionError(kind)  # pragma: no cover

    def _numbers(self, path: str, node: Node, spec: FieldSpec, key: str) -> tuple[float, ...]:
        """A list of exactly `spec.count` plain decimal numbers, as floats; each bad item reported at itself."""
        order = _ORDER.search(spec.doc)
        wanted = f"a list of {spec.count} numbers" + (f" {order.group(0)}" if order else "")
        if not isinstance(node, SequenceNode):
            got = "a mapping" if isinstance(node, MappingNode) else shown(node.value)
            self._bad(path, node, f"{key} must be {wanted}, got {got}")
            raise _Invalid
        if len(node.value) != spec.count:
            self._bad(path, node, f"{key} must be {wanted}, got {len(node.value)} item(s)")
            raise _Invalid
        out: list[float] = []
        for index, item in enumerate(node.value, 1):
            if not isinstance(item, ScalarNode) or not NUMBER_PATTERN.match(item.value):
                got = shown(item.value) if isinstance(item, ScalarNode) else "a list or mapping"
                self._bad(
                    path, item, f"{key}: item {index} must be a plain decimal number (like 33.3 or -5), got {got}"
                )
            else:
                out.append(float(item.value))
        if len(out) != spec.count:
            raise _Invalid
        return tuple(out)

    def _items(self, path: str, node: SequenceNode, key: str) -> list[Node]:
        if not node.value:
            self._bad(path, node, f"{key} is an empty list")
            raise _Invalid
        items: list[Node] = node.value
        return items

    def _scalar(self, path: str, node: Node, key: str) -> str:
        if not isinstance(node, ScalarNode):
            what = "a list" if isinstance(node, SequenceNode) else "a mapping"
            self._bad(path, node, f"{key} must be a single value, not {what}")
            raise _Invalid
        value: str = node.value
        return value

    def _text(self, path: str, node: Node, key: str) -> str:
        value = self._scalar(path, node, key)
        if not value.strip():
            self._bad(path, node, f"{key} is empty")
            raise _Invalid
        return value

    def _ref(self, path: str, node: Node, spec: FieldSpec) -> str:
        value = self._scalar(path, node, "reference")
        if not ID_PATTERN.match(value):
            self._bad(path, node, f"{shown(value)} is not an id (lower-case letters, digits, hyphens)")
            raise _Invalid
        value = self._shared.ids.setdefault(value, value)
        self._defer(spec.targets, value, path, node)
        return value

    def _cite(self, path: str, node: Node) -> Cite:
        value = self._scalar(path, node, "cite")
        shared = self._shared.cites.get(value)
        if shared is not None:
            self._defer(_SOURCES, shared.source, path, node)
            return shared
        match = CITE_PATTERN.match(value)
        if not match:
            self._bad(path, node, f"cite must look like SOURCE/pN or SOURCE/pN-M, got {shown(value)}")
            raise _Invalid
        source, first, last = match.group(1), int(match.group(2)), int(match.group(3) or match.group(2))
        if first < 1 or last < first:
            self._bad(path, node, f"paragraph range {first}-{last} is empty")
            raise _Invalid
        self._defer(_SOURCES, source, path, node)
        return self._shared.cites.setdefault(value, Cite(source, first, last))

    def _defer(self, targets: tuple[str, ...], value: str, path: str, node: Node) -> None:
        """Remember a reference, to check once every file is read."""
        out = self.out
        out.ref_targets.append(targets)
        out.ref_values.append(value)
        mark = node.start_mark
        out.ref_lines.append(min(mark.line + 1, MAX_PLACE))
        out.ref_cols.append(min(mark.column + 1, MAX_PLACE))


def _value_node(record: Node, key: str, index: int | None) -> Node:
    """The value of `key` in a record's mapping (its `index`th item, for a list), or the record."""
    if not key or not isinstance(record, MappingNode):
        return record
    for key_node, value in record.value:
        if key_node.value == key:
            found: Node = value
            if index is not None and isinstance(value, SequenceNode) and index < len(value.value):
                found = value.value[index]
            return found
    return record


class _Invalid(Exception):
    """A value was wrong and has been reported."""
