"""What links records across files: ids unique, references that resolve, trees without cycles.

`Builder` takes each file's `FileRecords` in file order (read here or in a worker process), keeps
the records that are not duplicates, reports the problems found in them in the order they were
found, and checks the links once every file is in.
"""

from __future__ import annotations

from array import array
from typing import TypeVar

from tui.knowledge.fields import ISO_PATTERN
from tui.knowledge.records import ACYCLIC_RELATIONS, KINDS, Figure, Organization, Record, Region, Relationship
from tui.loading.problems import ProblemLimitReached, Problems, shown, suggest
from tui.loading.record_builder import FileRecords
from tui.loading.source_places import Places, Where
from tui.loading.source_rules import cross_findings
from tui.loading.source_text import SourceTexts

R = TypeVar("R", bound=Record)


class Builder:
    """Collects records from any number of files, then checks what links them."""

    def __init__(self, problems: Problems, texts: SourceTexts | None = None) -> None:
        self.problems = problems
        self._texts = texts  # `validate --source-text`: its sources must be in the data
        self.records: dict[str, dict[str, Record]] = {kind: {} for kind in KINDS}
        # Places of records (parallel to each table's insertion order), to report problems found
        # once everything is read; compact, since there are so many.
        self._places = Places()
        self._record_places: dict[str, array[int]] = {kind: array("I") for kind in KINDS}
        self._order: dict[str, dict[str, int]] = {}  # kind -> id -> insertion number, on first need
        self._refs: list[FileRecords] = []  # each file's references (its records are dropped from it)
        self._broken: set[tuple[str, str]] = set()  # records left out for their own problems
        self._field_places: dict[tuple[str, str, str, int | None], int] = {}  # the few CROSS_CHECKED

    def add_file(self, read: FileRecords) -> None:
        """Take one file's records and problems, in the order the file gave them."""
        path, found, add = read.path, read.problems, self.problems.add
        reported = 0
        for kind, record, line, col, before, findings, places in read.records:
            for problem in found[reported:before]:
                add(problem.path, problem.line, problem.col, problem.message)
            reported = max(reported, before)
            record_id = record.id
            table = self.records[kind]
            if record_id in table:
                first = self._at(kind, record_id)
                label = KINDS[kind].LABEL
                add(path, line, col, f"duplicate {label} id {record_id!r} (first at {first[0]}:{first[1]}:{first[2]})")
                continue
            table[record_id] = record
            self._record_places[kind].append(self._places.add(path, line, col))
            self._order.pop(kind, None)
            for at_line, at_col, message in findings:
                add(path, at_line, at_col, message)
            for key, index, at_line, at_col in places:
                self._field_places[(kind, record_id, key, index)] = self._places.add(path, at_line, at_col)
        for problem in found[reported:]:
            add(problem.path, problem.line, problem.col, problem.message)
        self._broken.update(read.broken)
        read.records = []
        read.problems = []
        if read.ref_values:
            self._refs.append(read)
        if read.too_deep:
            raise RecursionError
        if read.stopped:  # the file alone reached the limit: so has the whole
            self.problems.truncated = True
            raise ProblemLimitReached

    # -- links -------------------------------------------------------------------------------
    def _all(self, cls: type[R]) -> list[R]:
        """The records read so far of one kind, typed."""
        return [record for record in self.records[cls.KIND].values() if isinstance(record, cls)]

    def check_links(self) -> None:
        """Every reference resolves; trees have one root and no cycles; values are coherent."""
        records, broken = self.records, self._broken
        for refs in self._refs:
            for targets, value, line, col in zip(
                refs.ref_targets, refs.ref_values, refs.ref_lines, refs.ref_cols, strict=True
            ):
                if not any(value in records[t] or (t, value) in broken for t in targets):
                    pool = [i for t in targets for i in records[t]]
                    what = " or ".join(KINDS[t].LABEL for t in targets)
                    self.problems.add(refs.path, line, col, f"unknown {what} {shown(value)}{suggest(value, pool)}")
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
