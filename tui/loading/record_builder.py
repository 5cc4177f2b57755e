"""From YAML nodes to checked records: types, required fields, ids, references, trees without cycles.

Every problem is reported at the node it concerns; records with problems are left out, and the
caller refuses the whole knowledge base when any problem was found.
"""

from __future__ import annotations

from array import array
from typing import Any, TypeVar

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from tui.knowledge.dates import PartialDate, parse_date
from tui.knowledge.fields import CITE_PATTERN, ID_PATTERN, ISO_PATTERN, NUMBER_PATTERN, FieldSpec, specs_of
from tui.knowledge.records import (
    ACYCLIC_RELATIONS,
    KINDS,
    Cite,
    Figure,
    Organization,
    Record,
    Region,
    Relationship,
    yaml_key,
)
from tui.loading.problems import Problems, shown, suggest
from tui.loading.safe_yaml import is_null, position
from tui.loading.source_places import Places, Where
from tui.loading.source_rules import CROSS_CHECKED, cross_findings, record_findings
from tui.loading.source_text import SourceTexts

_SOURCES = ("sources",)
R = TypeVar("R", bound=Record)
Arguments = dict[str, Any]  # a record's (or role's) constructor arguments: one value per field, of its field's type


class Builder:
    """Collects records from any number of documents, then checks what links them."""

    def __init__(self, problems: Problems, texts: SourceTexts | None = None) -> None:
        self.problems = problems
        self._texts = texts  # `validate --source-text`: records are checked against these
        self.records: dict[str, dict[str, Record]] = {kind: {} for kind in KINDS}
        # Places of records (parallel to each table's insertion order) and of every reference, to
        # report problems found once everything is read; compact, since there are ~10 per record.
        self._places = Places()
        self._record_places: dict[str, array[int]] = {kind: array("I") for kind in KINDS}
        self._order: dict[str, dict[str, int]] = {}  # kind -> id -> insertion number, on first need
        self._ref_targets: list[tuple[str, ...]] = []
        self._ref_values: list[str] = []
        self._ref_places = array("I")
        self._broken: set[tuple[str, str]] = set()  # records left out for their own problems
        # One object per distinct id, citation and date: 130k records repeat the same few thousand.
        self._shared_ids: dict[str, str] = {}
        self._shared_cites: dict[str, Cite] = {}
        self._shared_dates: dict[str, PartialDate] = {}
        self._specs = {kind: specs_of(cls) for kind, cls in KINDS.items()}
        self._field_places: dict[tuple[str, str, str, int | None], int] = {}  # the few CROSS_CHECKED

    # -- reporting ---------------------------------------------------------------------------
    def _bad(self, path: str, node: Node, message: str) -> None:
        line, col = position(node)
        self.problems.add(path, line, col, message)

    # -- documents ---------------------------------------------------------------------------
    def add_document(self, path: str, root: Node) -> None:
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
                self._broken.update((kind, i) for i in ids)
            return
        record_id = built["id"]
        if record_id in self.records[kind]:
            first = self._at(kind, record_id)
            self._bad(path, node, f"duplicate {cls.LABEL} id {record_id!r} (first at {first[0]}:{first[1]}:{first[2]})")
            return
        record = self.records[kind][record_id] = cls(**built)
        self._record_places[kind].append(self._places.add(path, *position(node)))
        self._order.pop(kind, None)
        found = record_findings(record)
        if self._texts is not None:
            found = [*found, *self._texts.findings(record)]
        for key, index, message in found:
            self._bad(path, _value_node(node, key, index), message)
        for key in CROSS_CHECKED.get(kind, ()):
            value = getattr(record, key)
            items: list[int | None] = list(range(len(value))) if isinstance(value, tuple) else [None]
            for index in items if value else []:
                where = position(_value_node(node, key, index))
                self._field_places[(kind, record_id, key, index)] = self._places.add(path, *where)

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
            out["id"] = self._shared_ids.setdefault(id_node.value, id_node.value)
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
            found = self._shared_dates.get(value)
            if found is not None:
                return found
            try:
                return self._shared_dates.setdefault(value, parse_date(value))
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
        value = self._shared_ids.setdefault(value, value)
        self._defer(spec.targets, value, path, node)
        return value

    def _cite(self, path: str, node: Node) -> Cite:
        value = self._scalar(path, node, "cite")
        shared = self._shared_cites.get(value)
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
        return self._shared_cites.setdefault(value, Cite(source, first, last))

    def _defer(self, targets: tuple[str, ...], value: str, path: str, node: Node) -> None:
        """Remember a reference, to check once every file is read."""
        self._ref_targets.append(targets)
        self._ref_values.append(value)
        self._ref_places.append(self._places.add(path, *position(node)))

    # -- links -------------------------------------------------------------------------------
    def _all(self, cls: type[R]) -> list[R]:
        """The records read so far of one kind, typed."""
        return [record for record in self.records[cls.KIND].values() if isinstance(record, cls)]

    def check_links(self) -> None:
        """Every reference resolves; trees have one root and no cycles; values are coherent."""
        for targets, value, place in zip(self._ref_targets, self._ref_values, self._ref_places, strict=True):
            if not any(value in self.records[t] or (t, value) in self._broken for t in targets):
                path, line, col = self._places.at(place)
                pool = [i for t in targets for i in self.records[t]]
                what = " or ".join(KINDS[t].LABEL for t in targets)
                self.problems.add(path, line, col, f"unknown {what} {shown(value)}{suggest(value, pool)}")
        self._check_regions()
        self._check_records()
        self._check_rules()
        self._check_acyclic("organizations", {o.id: [o.parent] for o in self._all(Organization) if o.parent})
        for rel_type in sorted(ACYCLIC_RELATIONS):
            edges: dict[str, list[str]] = {}
            at: dict[tuple[str, str], Where] = {}  # a cycle is reported at the relationship closing it
            for rel in self._all(Relationship):
                if rel.type == rel_type and rel.from_ != rel.to:  # a self-link is reported on its own
                    edges.setdefault(rel.from_, []).append(rel.to)
                    at.setdefault((rel.from_, rel.to), self._at("relationships", rel.id))
            self._check_acyclic("groups", edges, f"{rel_type} relationships", at)

    def _at(self, kind: str, record_id: str) -> Where:
        order = self._order.get(kind)
        if order is None:
            order = self._order[kind] = {rid: n for n, rid in enumerate(self.records[kind])}
        return self._places.at(self._record_places[kind][order[record_id]])

    def _check_regions(self) -> None:
        regions = self._all(Region)
        worlds = [r for r in regions if r.kind == "world"]
        if regions and not worlds:
            path, line, col = self._at("regions", regions[0].id)
            self.problems.add(path, line, col, "no region of kind world: the region tree needs one root")
        for extra in worlds[1:]:
            path, line, col = self._at("regions", extra.id)
            self.problems.add(path, line, col, f"a second world region {extra.id!r} (the first is {worlds[0].id!r})")
        for region in regions:
            path, line, col = self._at("regions", region.id)
            if region.kind == "world" and region.parent:
                self.problems.add(path, line, col, f"the world region {region.id!r} cannot have a parent")
            elif region.kind != "world" and not region.parent:
                self.problems.add(path, line, col, f"region {region.id!r} needs a parent")
            if region.kind == "country" and not region.iso:
                self.problems.add(path, line, col, f"country {region.id!r} needs an iso code (ISO 3166-1 alpha-2)")
            if region.iso and (region.kind != "country" or not ISO_PATTERN.match(region.iso)):
                self.problems.add(path, line, col, f"iso {region.iso!r}: only countries have one, two capital letters")
        self._check_acyclic("regions", {r.id: [r.parent] for r in regions if r.parent})

    def _check_rules(self) -> None:
        """source_rules' checks of links between records, and the sources `--source-text` names."""
        for kind, record_id, key, index, message in cross_findings(self.records):
            place = self._field_places.get((kind, record_id, key, index))
            path, line, col = self._places.at(place) if place is not None else self._at(kind, record_id)
            self.problems.add(path, line, col, message)
        sources = self.records["sources"]
        for source, file in self._texts.files.items() if self._texts is not None else ():
            if source not in sources:
                self.problems.add(
                    file, 0, 0, f"--source-text: no source {source!r} in the data{suggest(source, sources)}"
                )

    def _check_acyclic(
        self,
        kind: str,
        edges: dict[str, list[str]],
        what: str = "parents",
        at: dict[tuple[str, str], Where] | None = None,
    ) -> None:
        """Report each cycle once, at the record (or the edge in `at`) that closes it."""
        state: dict[str, int] = {}  # 1 = on the current path, 2 = done
        for start in edges:
            if state.get(start):
                continue
            stack = [(start, iter(edges.get(start, ())))]
            path_ids = [start]
            state[start] = 1
            while stack:
                node, children = stack[-1]
                child = next(children, None)
                if child is None:
                    stack.pop()
                    path_ids.pop()
                    state[node] = 2
                elif state.get(child) == 1:
                    cycle = [*path_ids[path_ids.index(child) :], child]
                    if at and (node, child) in at:
                        p, line, col = at[(node, child)]
                    else:
                        p, line, col = self._at(kind, node) if node in self.records[kind] else ("?", 0, 0)
                    self.problems.add(p, line, col, f"cycle in {what}: {' -> '.join(cycle)}")
                elif not state.get(child):
                    state[child] = 1
                    path_ids.append(child)
                    stack.append((child, iter(edges.get(child, ()))))

    def _check_records(self) -> None:
        for fig in self._all(Figure):
            path, line, col = self._at("figures", fig.id)
            low, high = fig.low, fig.high
            has_range = low is not None or high is not None
            if (fig.value is None) == (not has_range) or (low is None) != (high is None):
                self.problems.add(path, line, col, f"figure {fig.id!r} needs either value, or both low and high")
            elif low is not None and high is not None and low > high:
                self.problems.add(path, line, col, f"figure {fig.id!r}: low {low} is above high {high}")
        for rel in self._all(Relationship):
            if rel.from_ == rel.to:
                path, line, col = self._at("relationships", rel.id)
                self.problems.add(path, line, col, f"relationship {rel.id!r} links {rel.from_!r} to itself")


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
