"""The loaded knowledge base: immutable records, indexed by id, with every link followable backwards."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from types import MappingProxyType

from tui.knowledge.fields import specs_of
from tui.knowledge.records import (
    KINDS,
    RELATION_VERBS,
    SYMMETRIC_RELATIONS,
    Assessment,
    Event,
    Figure,
    Group,
    Person,
    Record,
    Region,
    Relationship,
    Role,
)
from tui.knowledge.region_index import RegionIndex, TreeRegion

Key = tuple[str, str]  # (kind, id)
_REGION_ORDER = {"world": 0, "region": 1, "subregion": 2, "country": 3, "area": 4, "city": 5}


class KnowledgeBase:
    """Records by kind and id, plus reverse links: who refers to whom, through which field."""

    def __init__(self, records: Mapping[str, Mapping[str, Record]]) -> None:
        self._by_kind: Mapping[str, Mapping[str, Record]] = MappingProxyType(
            {kind: MappingProxyType(dict(records.get(kind, {}))) for kind in KINDS}
        )
        # (kind, id) -> {(referring kind, field): [records]}: every link, followable backwards
        self._back: dict[Key, dict[tuple[str, str], list[Record]]] = {}
        self._build_back_links()
        regions = self._by_kind["regions"]
        self._children: dict[str | None, list[Region]] = defaultdict(list)
        for region in regions.values():
            self._children[region.parent].append(region)
        for kids in self._children.values():
            kids.sort(key=lambda r: (_REGION_ORDER.get(r.kind, 9), r.name.casefold()))
        self._group_count = self._count_groups_in_subtrees()
        self._positions: dict[str, dict[str, int]] = {}  # built on first use, per kind
        self._subtree_cache: dict[tuple[str, str], list[Record]] = {}

    def region_index(self) -> RegionIndex:
        core = next((g for g in self.groups if g.kind == "isis-core" and g.regions), None)
        light = {r.id: TreeRegion(r.id, r.name, r.parent) for r in self._by_kind["regions"].values()}
        children = {parent: [light[r.id] for r in kids] for parent, kids in self._children.items()}
        return RegionIndex(light, children, self._group_count, core.regions[0] if core else None)

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

    def _count_groups_in_subtrees(self) -> dict[str, int]:
        direct: dict[str, set[str]] = defaultdict(set)
        for group in self.groups:
            for region_id in group.regions:
                direct[region_id].add(group.id)
        counts: dict[str, int] = {}
        totals: dict[str, set[str]] = {}
        # children before parents: deepest first
        for region in sorted(self.regions, key=lambda r: -len(self.ancestors(r.id))):
            mine = set(direct.get(region.id, ()))
            for child in self._children.get(region.id, ()):
                mine |= totals.pop(child.id, set())
            totals[region.id] = mine
            counts[region.id] = len(mine)
        return counts

    # -- access ------------------------------------------------------------------------------
    def table(self, kind: str) -> Mapping[str, Record]:
        return self._by_kind[kind]

    def get(self, kind: str, record_id: str) -> Record | None:
        return self._by_kind[kind].get(record_id)

    def counts(self) -> dict[str, int]:
        return {kind: len(table) for kind, table in self._by_kind.items()}

    def all_records(self) -> Iterator[tuple[str, Record]]:
        for kind, table in self._by_kind.items():
            for record in table.values():
                yield kind, record

    @property
    def regions(self) -> list[Region]:
        return list(self._by_kind["regions"].values())

    @property
    def groups(self) -> list[Group]:
        return list(self._by_kind["groups"].values())

    def name_of(self, record: Record) -> str:
        """What a record is called on screen, with ids resolved to names where the record has none."""
        if isinstance(record, Relationship):
            a, b = self.get("groups", record.from_), self.get("groups", record.to)
            return f"{a.title if a else record.from_} {RELATION_VERBS[record.type]} {b.title if b else record.to}"
        if isinstance(record, Assessment):
            speaker = self.get("people", record.speaker) or self.get("sources", record.speaker)
            words = " ".join((record.text or record.summary).split())
            words = words if len(words) <= 60 else words[:59].rstrip() + "…"
            quoted = f"“{words}”" if record.text else words
            return f"{speaker.title if speaker else record.speaker}: {quoted}"
        return record.title

    def role_of(self, person: Person) -> str:
        """The person's current role (else the first) with its organization, e.g. 'Senior fellow, X'."""
        if not person.roles:
            return ""
        return self.role_text(next((r for r in person.roles if not r.former), person.roles[0]))

    def role_text(self, role: Role) -> str:
        """One role with its organization, unless the title already names it; 'former' when past."""
        org = self.get("organizations", role.organization) if role.organization else None
        prefix = "former " if role.former else ""
        if org is None or org.title in role.title:
            return prefix + role.title
        return f"{prefix}{role.title}, {org.title}"

    # -- links -------------------------------------------------------------------------------
    def referrers(
        self, kind: str, record_id: str, from_kind: str | None = None, via: str | None = None
    ) -> list[Record]:
        """Records of `from_kind` that refer to (kind, id), optionally only through field `via`."""
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

    # -- regions -----------------------------------------------------------------------------
    @property
    def world(self) -> Region | None:
        roots = self._children.get(None, [])
        return roots[0] if roots else None

    def children(self, region_id: str) -> list[Region]:
        return list(self._children.get(region_id, ()))

    def ancestors(self, region_id: str) -> list[Region]:
        """From the region's parent up to the world."""
        out: list[Region] = []
        region = self._by_kind["regions"].get(region_id)
        while region is not None and region.parent:
            region = self._by_kind["regions"].get(region.parent)
            if region is not None:
                out.append(region)
        return out

    def subtree_ids(self, region_id: str) -> list[str]:
        """The region and every region under it, in tree order (deterministic)."""
        out, stack = [], [region_id]
        while stack:
            current = stack.pop()
            out.append(current)
            stack.extend(reversed([r.id for r in self._children.get(current, ())]))
        return out

    def group_count(self, region_id: str) -> int:
        """How many groups are active in the region or anywhere under it."""
        return self._group_count.get(region_id, 0)

    def _position(self, kind: str) -> dict[str, int]:
        positions = self._positions.get(kind)
        if positions is None:
            positions = self._positions[kind] = {rid: i for i, rid in enumerate(self._by_kind[kind])}
        return positions

    def _in_subtree(self, kind: str, region_id: str) -> list[Record]:
        """Records of `kind` linked to the region or any region under it, in data order (cached)."""
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
        return list(cached)

    def groups_in(self, region_id: str) -> list[Group]:
        return sorted(self._in_subtree("groups", region_id), key=lambda g: g.name.casefold())  # type: ignore[attr-defined]

    def events_in(self, region_id: str) -> list[Event]:
        return sorted(self._in_subtree("events", region_id), key=lambda e: e.date.sort_key())  # type: ignore[attr-defined]

    def figures_in(self, region_id: str) -> list[Figure]:
        return self._in_subtree("figures", region_id)  # type: ignore[return-value]

    def assessments_in(self, region_id: str) -> list[Assessment]:
        return self._in_subtree("assessments", region_id)  # type: ignore[return-value]

    # -- groups ------------------------------------------------------------------------------
    def relationships_of(self, group_id: str) -> list[Relationship]:
        return self.referrers("groups", group_id, "relationships")  # type: ignore[return-value]

    @staticmethod
    def other_side(rel: Relationship, group_id: str) -> str:
        return rel.to if rel.from_ == group_id else rel.from_

    @staticmethod
    def is_symmetric(rel: Relationship) -> bool:
        return rel.type in SYMMETRIC_RELATIONS

    def competing(self, figure: Figure) -> list[Figure]:
        """All figures of the same measure (including this one), in data order."""
        return self.referrers("measures", figure.measure, "figures")  # type: ignore[return-value]

    def timeline(self) -> list[Event]:
        return sorted(self._by_kind["events"].values(), key=lambda e: e.date.sort_key())  # type: ignore[attr-defined]

    def assessments_about(self, kind: str, record_id: str) -> list[Assessment]:
        """What the quote panel shows: for a region, everything about it or places under it."""
        if kind == "regions":
            return self.assessments_in(record_id)
        if kind == "assessments":
            record = self.get(kind, record_id)
            return [record] if isinstance(record, Assessment) else []
        return self.referrers(kind, record_id, "assessments")  # type: ignore[return-value]
