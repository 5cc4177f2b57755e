"""The loaded knowledge base: immutable records, indexed by id, with every link followable backwards.

The one way the rest of the app reads the data: ask by record class (`get(Group, id)`,
`records(Group)`, `referrers(..., Figure)`) and the answer is typed; ask by kind name and it is a
`Record`. Nothing outside this package walks the tables.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import TypeVar, cast, overload

from tui.knowledge.fields import specs_of
from tui.knowledge.records import (
    KINDS,
    RELATION_VERBS,
    SYMMETRIC_RELATIONS,
    Assessment,
    Event,
    Figure,
    Group,
    Organization,
    Person,
    Record,
    Region,
    Relationship,
    Role,
    Source,
)
from tui.knowledge.region_index import RegionIndex

R = TypeVar("R", bound=Record)
Key = tuple[str, str]  # (kind, id)
KindOrClass = str | type[Record]


def _words(text: str) -> frozenset[str]:
    """The words of a name, for comparing names: case, possessives and punctuation left out."""
    plain = text.casefold().replace("’s", " ").replace("'s", " ")
    return frozenset(re.findall(r"\w+", plain)) - {"the", "of"}


def _kind(kind: KindOrClass) -> str:
    return kind if isinstance(kind, str) else kind.KIND


class KnowledgeBase:
    """Records by kind and id, plus reverse links: who refers to whom, through which field."""

    def __init__(self, records: Mapping[str, Mapping[str, Record]]) -> None:
        self._by_kind: Mapping[str, Mapping[str, Record]] = MappingProxyType(
            {kind: MappingProxyType(dict(records.get(kind, {}))) for kind in KINDS}
        )
        # (kind, id) -> {(referring kind, field): [records]}: every link, followable backwards
        self._back: dict[Key, dict[tuple[str, str], list[Record]]] = {}
        self._build_back_links()
        groups = self.records(Group)
        core = next((g for g in groups if g.kind == "isis-core" and g.regions), None)
        # the tree questions (children, ancestors, counts) are answered by the one tree index
        self._tree = RegionIndex.build(
            self.records(Region), (g.regions for g in groups), core.regions[0] if core else None
        )
        self._positions: dict[str, dict[str, int]] = {}  # built on first use, per kind
        self._subtree_cache: dict[tuple[str, str], list[Record]] = {}

    def region_index(self) -> RegionIndex:
        """The region tree alone (what the parse cache stores to draw the tree before loading)."""
        return self._tree

    # -- construction ------------------------------------------------------------------------
    def _link(self, target: Key, source: tuple[str, str], record: Record) -> None:
        by_source = self._back.get(target)
        if by_source is None:
            by_source = self._back[target] = {}
        found = by_source.get(source)
        if found is None:
            by_source[source] = [record]
        elif found[-1] is not record:  # a record citing one source twice is listed once
            found.append(record)

    def _build_back_links(self) -> None:
        for kind, table in self._by_kind.items():
            cls = KINDS[kind]
            ref_fields = [
                (name, spec) for name, spec in specs_of(cls).items() if spec.type in ("ref", "refs", "nested")
            ]
            cite_key = (kind, "cite")
            for record in table.values():
                for cite in record.cite:
                    self._link(("sources", cite.source), cite_key, record)
                for name, spec in ref_fields:
                    value = getattr(record, name)
                    field = (kind, name.rstrip("_"))
                    if spec.type == "nested":  # roles: follow their organization refs
                        for item in value:
                            if getattr(item, "organization", None):
                                self._link(("organizations", item.organization), field, record)
                        continue
                    for target_id in (value,) if spec.type == "ref" else value:
                        if target_id is not None:
                            self._link((self._kind_of(spec.targets, target_id), target_id), field, record)

    def _kind_of(self, targets: tuple[str, ...], target_id: str) -> str:
        if len(targets) == 1:
            return targets[0]
        return next((t for t in targets if target_id in self._by_kind[t]), targets[0])

    @staticmethod
    def _as(cls: type[R], records: list[Record]) -> list[R]:
        """The records of one kind, typed: a table or link list of kind `cls.KIND` holds only `cls`
        (the loader builds each table from its kind's class), so this narrows without a check."""
        return cast("list[R]", records)

    # -- access ------------------------------------------------------------------------------
    def table(self, kind: str) -> Mapping[str, Record]:
        return self._by_kind[kind]

    @overload
    def get(self, kind: type[R], record_id: str) -> R | None: ...
    @overload
    def get(self, kind: str, record_id: str) -> Record | None: ...
    def get(self, kind: KindOrClass, record_id: str) -> Record | None:
        """The record of that kind (a kind name, or a record class for a typed answer) and id."""
        return self._by_kind[_kind(kind)].get(record_id)

    def records(self, cls: type[R]) -> list[R]:
        """Every record of a kind, in data order."""
        return self._as(cls, list(self._by_kind[cls.KIND].values()))

    def counts(self) -> dict[str, int]:
        return {kind: len(table) for kind, table in self._by_kind.items()}

    def all_records(self) -> Iterator[tuple[str, Record]]:
        for kind, table in self._by_kind.items():
            for record in table.values():
                yield kind, record

    @property
    def regions(self) -> list[Region]:
        return self.records(Region)

    @property
    def groups(self) -> list[Group]:
        return self.records(Group)

    def names_of(self, kind: KindOrClass, ids: Iterable[str]) -> list[str]:
        """What each id is called on screen: its record's title, else the id itself."""
        table = self._by_kind[_kind(kind)]
        return [record.title if (record := table.get(record_id)) is not None else record_id for record_id in ids]

    def speaker_of(self, assessment: Assessment) -> Person | Source | None:
        """Who said it: a person, else a source (an assessment's speaker may be either)."""
        return self.get(Person, assessment.speaker) or self.get(Source, assessment.speaker)

    def name_of(self, record: Record) -> str:
        """What a record is called on screen, with ids resolved to names where the record has none."""
        if isinstance(record, Relationship):
            a, b = self.names_of(Group, (record.from_, record.to))
            return f"{a} {RELATION_VERBS[record.type]} {b}"
        if isinstance(record, Assessment):
            speaker = self.speaker_of(record)
            words = " ".join((record.text or record.summary).split())
            words = words if len(words) <= 60 else words[:59].rstrip() + "…"
            quoted = f"“{words}”" if record.text else words
            who = speaker.title if speaker else record.speaker
            unnamed = " (unnamed)" if isinstance(speaker, Person) and speaker.collective else ""
            return f"{who}{unnamed}: {quoted}"
        return record.title

    def role_of(self, person: Person) -> str:
        """The person's current role (else the first) with its organization, e.g. 'Senior fellow, X'."""
        if not person.roles:
            return ""
        return self.role_text(next((r for r in person.roles if not r.former), person.roles[0]))

    def role_text(self, role: Role) -> str:
        """One role with its organization, unless the title already names it; 'former' when past."""
        org = self.get(Organization, role.organization) if role.organization else None
        prefix = "former " if role.former else ""
        if org is None or self.role_names_organization(role):
            return prefix + role.title
        return f"{prefix}{role.title}, {org.title}"

    def role_names_organization(self, role: Role) -> bool:
        """Whether the role's title already names its organization, so that printing both says it
        twice: "Director of RAND's international security and defense policy center" names "RAND
        international security and defense policy center" (possessives and case aside)."""
        org = self.get(Organization, role.organization) if role.organization else None
        if org is None:
            return False
        title = _words(role.title)
        return any(_words(name) <= title for name in (org.title, *org.aliases) if _words(name))

    # -- links -------------------------------------------------------------------------------
    @overload
    def referrers(self, kind: KindOrClass, record_id: str, from_kind: type[R], via: str | None = None) -> list[R]: ...
    @overload
    def referrers(
        self, kind: KindOrClass, record_id: str, from_kind: str | None = None, via: str | None = None
    ) -> list[Record]: ...
    def referrers(
        self, kind: KindOrClass, record_id: str, from_kind: type[R] | str | None = None, via: str | None = None
    ) -> list[R] | list[Record]:
        """Records of `from_kind` (a kind name, or a record class for a typed answer) that refer to
        (kind, id), optionally only through field `via`."""
        by_source = self._back.get((_kind(kind), record_id))
        if not by_source:
            return []
        from_name = None if from_kind is None else _kind(from_kind)
        lists = [
            found
            for (k, field), found in by_source.items()
            if (from_name is None or k == from_name) and (via is None or field == via)
        ]
        if len(lists) == 1:
            return list(lists[0])
        seen: set[int] = set()
        out = []
        for found in lists:
            for record in found:
                if id(record) not in seen:
                    seen.add(id(record))
                    out.append(record)
        return out

    # -- regions -----------------------------------------------------------------------------
    def _regions(self, ids: Iterable[str]) -> list[Region]:
        table = self._by_kind["regions"]
        return self._as(Region, [table[region_id] for region_id in ids])

    @property
    def world(self) -> Region | None:
        root = self._tree.world
        return self.get(Region, root.id) if root is not None else None

    def children(self, region_id: str) -> list[Region]:
        return self._regions(r.id for r in self._tree.children(region_id))

    def ancestors(self, region_id: str) -> list[Region]:
        """From the region's parent up to the world."""
        return self._regions(r.id for r in self._tree.ancestors(region_id))

    def subtree_ids(self, region_id: str) -> list[str]:
        """The region and every region under it, in tree order (deterministic)."""
        return self._tree.subtree_ids(region_id)

    def group_count(self, region_id: str) -> int:
        """How many groups are active in the region or anywhere under it."""
        return self._tree.group_count(region_id)

    def _position(self, kind: str) -> dict[str, int]:
        positions = self._positions.get(kind)
        if positions is None:
            positions = self._positions[kind] = {rid: i for i, rid in enumerate(self._by_kind[kind])}
        return positions

    def _in_subtree(self, cls: type[R], region_id: str) -> list[R]:
        """Records of kind `cls` linked to the region or any region under it, in data order (cached)."""
        kind = cls.KIND
        cached = self._subtree_cache.get((kind, region_id))
        if cached is None:
            found: dict[str, Record] = {}
            for rid in self.subtree_ids(region_id):
                for record in self.referrers("regions", rid, kind):
                    found[record.id] = record
            position = self._position(kind)
            cached = sorted(found.values(), key=lambda r: position[r.id])
            if len(self._subtree_cache) > 256:
                self._subtree_cache.clear()
            self._subtree_cache[(kind, region_id)] = cached
        return self._as(cls, list(cached))

    def groups_in(self, region_id: str) -> list[Group]:
        return sorted(self._in_subtree(Group, region_id), key=lambda g: g.name.casefold())

    def events_in(self, region_id: str) -> list[Event]:
        return sorted(self._in_subtree(Event, region_id), key=lambda e: e.date.sort_key())

    def figures_in(self, region_id: str) -> list[Figure]:
        return self._in_subtree(Figure, region_id)

    def assessments_in(self, region_id: str) -> list[Assessment]:
        return self._in_subtree(Assessment, region_id)

    # -- groups ------------------------------------------------------------------------------
    def relationships_of(self, group_id: str) -> list[Relationship]:
        return self.referrers(Group, group_id, Relationship)

    @staticmethod
    def other_side(rel: Relationship, group_id: str) -> str:
        return rel.to if rel.from_ == group_id else rel.from_

    @staticmethod
    def is_symmetric(rel: Relationship) -> bool:
        return rel.type in SYMMETRIC_RELATIONS

    def competing(self, figure: Figure) -> list[Figure]:
        """The estimates the source sets against each other that include this one: every figure
        linked to it by `competes_with`, either way round and through each other, this one
        included, in data order; [] when it competes with nothing. Figures of one measure do not
        compete for that alone: they may be about other places or years."""
        found = {figure.id: figure}
        todo = [figure]
        while todo:
            current = todo.pop()
            linked = [self.get(Figure, other) for other in current.competes_with]
            linked += self.referrers(Figure, current.id, Figure, via="competes_with")
            for other in linked:
                if other is not None and other.id not in found:
                    found[other.id] = other
                    todo.append(other)
        if len(found) == 1:
            return []
        position = self._position(Figure.KIND)
        return sorted(found.values(), key=lambda f: position.get(f.id, 0))

    def timeline(self) -> list[Event]:
        return sorted(self.records(Event), key=lambda e: e.date.sort_key())

    def assessments_about(self, kind: str, record_id: str) -> list[Assessment]:
        """What the quote panel shows: for a region, everything about it or places under it."""
        if kind == "regions":
            return self.assessments_in(record_id)
        if kind == "assessments":
            record = self.get(Assessment, record_id)
            return [record] if record is not None else []
        return self.referrers(kind, record_id, Assessment)
