"""The knowledge base as queries: immutable records by id, with every link followable backwards.

The one way the rest of the app reads the data: ask by record class (`get(Group, id)`,
`records(Group)`, `referrers(..., Figure)`) and the answer is typed; ask by kind name and it is a
`Record`. `KnowledgeBase` says what can be asked, and answers everything it can from a few primitive
queries; two classes answer those: `MemoryKnowledgeBase` (below: every record in memory, for the
loader, tests and small data) and the SQLite store's (tui/store/stored_kb.py: one query each, so
nothing holds every record). Lists may be lazy sequences: index, slice, iterate, `len()`.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar, cast, overload

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

if TYPE_CHECKING:
    from tui.knowledge.map_sites import MapSites

R = TypeVar("R", bound=Record)
Key = tuple[str, str]  # (kind, id)
KindOrClass = str | type[Record]


def _words(text: str) -> frozenset[str]:
    """The words of a name, for comparing names: case, possessives and punctuation left out."""
    plain = text.casefold().replace("’s", " ").replace("'s", " ")
    return frozenset(re.findall(r"\w+", plain)) - {"the", "of"}


def _kind(kind: KindOrClass) -> str:
    return kind if isinstance(kind, str) else kind.KIND


def display_key(kind: str) -> Callable[[Record], Any] | None:
    """How records of a kind are ordered where they are listed by region: groups by name, events by
    date (a stable sort: ties keep data order); None for the rest, which keep data order."""
    if kind == Group.KIND:
        return lambda g: cast("Group", g).name.casefold()
    if kind == Event.KIND:
        return lambda e: cast("Event", e).date.sort_key()
    return None


class KnowledgeBase(ABC):
    """What the app may ask of the data. Subclasses answer the primitive (abstract) queries; the
    rest is answered here from them, once for both."""

    # -- primitive queries -------------------------------------------------------------------
    @abstractmethod
    def region_index(self) -> RegionIndex:
        """The region tree alone, with group counts (drawn before anything else)."""

    @abstractmethod
    def _get(self, kind: str, record_id: str) -> Record | None: ...

    @abstractmethod
    def _records(self, kind: str) -> Sequence[Record]:
        """Every record of a kind, in data order."""

    @abstractmethod
    def counts(self) -> dict[str, int]: ...

    @abstractmethod
    def _referrers(self, kind: str, record_id: str, from_kind: str | None, via: str | None) -> Sequence[Record]:
        """Records of `from_kind` (any, if None) referring to (kind, id) through field `via` (any, if
        None): grouped by (kind, field) in the order each pair first refers, then in data order,
        each record once."""

    @abstractmethod
    def _in_subtree(self, kind: str, region_id: str) -> Sequence[Record]:
        """Records of a kind linked to the region or any region under it, in `display_key` order."""

    @abstractmethod
    def _data_order(self, kind: str, record_id: str) -> int:
        """Where the record stands in its kind's data order."""

    def search_corpus(self) -> object | None:
        """What search sweeps, when the knowledge base keeps its own (the store's FTS5 index);
        None: search builds haystacks in memory (tui/knowledge/search_index.py)."""
        return None

    # -- access ------------------------------------------------------------------------------
    @overload
    def get(self, kind: type[R], record_id: str) -> R | None: ...
    @overload
    def get(self, kind: str, record_id: str) -> Record | None: ...
    def get(self, kind: KindOrClass, record_id: str) -> Record | None:
        """The record of that kind (a kind name, or a record class for a typed answer) and id."""
        return self._get(_kind(kind), record_id)

    def records(self, cls: type[R]) -> Sequence[R]:
        """Every record of a kind, in data order."""
        return cast("Sequence[R]", self._records(cls.KIND))

    def of_kind(self, kind: str) -> Sequence[Record]:
        """Every record of a kind named by its kind name, in data order."""
        return self._records(kind)

    def all_records(self) -> Iterator[tuple[str, Record]]:
        for kind in KINDS:
            for record in self._records(kind):
                yield kind, record

    @property
    def regions(self) -> Sequence[Region]:
        return self.records(Region)

    @property
    def groups(self) -> Sequence[Group]:
        return self.records(Group)

    def region_coordinates(self) -> list[tuple[str, str, Any, Any]]:
        """(id, kind, point, bbox) of every region with a point, in data order: what the map needs of
        the regions, without the rest of each record."""
        return [(r.id, r.kind, r.point, r.bbox) for r in self.regions if r.point is not None]

    def group_places(self) -> list[tuple[str, str, str]]:
        """(region id, group id, group kind) for each region a group acts in (its `regions`), groups in
        data order: what the map needs of every group, without the rest of each record."""
        return [(r, group.id, group.kind) for group in self.groups for r in group.regions]

    def map_sites(self) -> MapSites:
        """The map's places: each region with coordinates where groups act (tui/knowledge/map_sites.py)."""
        from tui.knowledge.map_sites import map_sites

        return map_sites(self.region_coordinates(), self.group_places(), self.region_index())

    def names_of(self, kind: KindOrClass, ids: Iterable[str]) -> list[str]:
        """What each id is called on screen: its record's title, else the id itself."""
        name = _kind(kind)
        return [record.title if (record := self._get(name, record_id)) is not None else record_id for record_id in ids]

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
    def referrers(
        self, kind: KindOrClass, record_id: str, from_kind: type[R], via: str | None = None
    ) -> Sequence[R]: ...
    @overload
    def referrers(
        self, kind: KindOrClass, record_id: str, from_kind: str | None = None, via: str | None = None
    ) -> Sequence[Record]: ...
    def referrers(
        self, kind: KindOrClass, record_id: str, from_kind: type[R] | str | None = None, via: str | None = None
    ) -> Sequence[R] | Sequence[Record]:
        """Records of `from_kind` (a kind name, or a record class for a typed answer) that refer to
        (kind, id), optionally only through field `via`."""
        return self._referrers(_kind(kind), record_id, None if from_kind is None else _kind(from_kind), via)

    # -- regions -----------------------------------------------------------------------------
    def _regions(self, ids: Iterable[str]) -> list[Region]:
        return [region for region_id in ids if (region := self.get(Region, region_id)) is not None]

    @property
    def world(self) -> Region | None:
        root = self.region_index().world
        return self.get(Region, root.id) if root is not None else None

    def children(self, region_id: str) -> list[Region]:
        return self._regions(r.id for r in self.region_index().children(region_id))

    def ancestors(self, region_id: str) -> list[Region]:
        """From the region's parent up to the world."""
        return self._regions(r.id for r in self.region_index().ancestors(region_id))

    def subtree_ids(self, region_id: str) -> list[str]:
        """The region and every region under it, in tree order (deterministic)."""
        return self.region_index().subtree_ids(region_id)

    def group_count(self, region_id: str) -> int:
        """How many groups are active in the region or anywhere under it."""
        return self.region_index().group_count(region_id)

    def groups_in(self, region_id: str) -> Sequence[Group]:
        """By name."""
        return cast("Sequence[Group]", self._in_subtree(Group.KIND, region_id))

    def events_in(self, region_id: str) -> Sequence[Event]:
        """By date."""
        return cast("Sequence[Event]", self._in_subtree(Event.KIND, region_id))

    def figures_in(self, region_id: str) -> Sequence[Figure]:
        return cast("Sequence[Figure]", self._in_subtree(Figure.KIND, region_id))

    def assessments_in(self, region_id: str) -> Sequence[Assessment]:
        return cast("Sequence[Assessment]", self._in_subtree(Assessment.KIND, region_id))

    # -- groups ------------------------------------------------------------------------------
    def relationships_of(self, group_id: str) -> Sequence[Relationship]:
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
        return sorted(found.values(), key=lambda f: self._data_order(Figure.KIND, f.id))

    def timeline(self) -> Sequence[Event]:
        """Every event, by date."""
        return cast("Sequence[Event]", self._in_subtree(Event.KIND, ""))

    def assessments_about(self, kind: str, record_id: str) -> Sequence[Assessment]:
        """What the quote panel shows: for a region, everything about it or places under it."""
        if kind == "regions":
            return self.assessments_in(record_id)
        if kind == "assessments":
            record = self.get(Assessment, record_id)
            return [record] if record is not None else []
        return self.referrers(kind, record_id, Assessment)


class MemoryKnowledgeBase(KnowledgeBase):
    """Every record in memory, indexed by id, with reverse links: what the loader builds."""

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
        return self._tree

    def table(self, kind: str) -> Mapping[str, Record]:
        """The records of a kind by id (read-only): in memory only, for tests and the writer."""
        return self._by_kind[kind]

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

    def back_links(self) -> Iterator[tuple[Key, tuple[str, str], Record]]:
        """Every link backwards, as `_referrers` lists them: (target, (from kind, field), record)."""
        for target, by_source in self._back.items():
            for source, found in by_source.items():
                for record in found:
                    yield target, source, record

    # -- primitive queries -------------------------------------------------------------------
    def _get(self, kind: str, record_id: str) -> Record | None:
        return self._by_kind[kind].get(record_id)

    def _records(self, kind: str) -> list[Record]:
        return list(self._by_kind[kind].values())

    def counts(self) -> dict[str, int]:
        return {kind: len(table) for kind, table in self._by_kind.items()}

    def _referrers(self, kind: str, record_id: str, from_kind: str | None, via: str | None) -> list[Record]:
        by_source = self._back.get((kind, record_id))
        if not by_source:
            return []
        lists = [
            found
            for (k, field), found in by_source.items()
            if (from_kind is None or k == from_kind) and (via is None or field == via)
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

    def _data_order(self, kind: str, record_id: str) -> int:
        positions = self._positions.get(kind)
        if positions is None:
            positions = self._positions[kind] = {rid: i for i, rid in enumerate(self._by_kind[kind])}
        return positions.get(record_id, 0)

    def _in_subtree(self, kind: str, region_id: str) -> list[Record]:
        """("" for region_id: every record of the kind.) Cached: the detail pane asks again and again."""
        cached = self._subtree_cache.get((kind, region_id))
        if cached is None:
            if region_id:
                found: dict[str, Record] = {}
                for rid in self.subtree_ids(region_id):
                    for record in self._referrers("regions", rid, kind, None):
                        found[record.id] = record
                cached = sorted(found.values(), key=lambda r: self._data_order(kind, r.id))
            else:
                cached = self._records(kind)
            key = display_key(kind)
            if key is not None:
                cached.sort(key=key)
            if len(self._subtree_cache) > 256:
                self._subtree_cache.clear()
            self._subtree_cache[(kind, region_id)] = cached
        return list(cached)
