"""The region tree alone, with group counts: enough to draw the tree before the rest is loaded.

Kept apart from the records: the store holds it as its own table, read whole when the store is
opened, and a first launch on large data can draw it before the records are in. Both knowledge bases
answer their tree questions through the same index (see `KnowledgeBase.children`), so the tree's
order, counts and walks are written once, here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Protocol

_REGION_ORDER = {"world": 0, "region": 1, "subregion": 2, "country": 3, "area": 4, "city": 5}


class TreeRegion:
    """What the tree needs of a region."""

    __slots__ = ("id", "name", "parent")

    def __init__(self, id: str, name: str, parent: str | None) -> None:  # noqa: A002 - the field it fills
        self.id, self.name, self.parent = id, name, parent

    def __repr__(self) -> str:
        return f"TreeRegion({self.id!r}, {self.name!r}, {self.parent!r})"


class RegionLike(Protocol):
    """What building the tree reads of a region record."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def parent(self) -> str | None: ...
    @property
    def kind(self) -> str: ...


class RegionIndex:
    """The region tree alone, with group counts: enough to draw the tree before the rest is loaded."""

    def __init__(
        self,
        regions: dict[str, TreeRegion],
        children: dict[str | None, list[TreeRegion]],
        group_count: dict[str, int],
        start: str | None,
    ) -> None:
        self.regions = regions
        self._children = children
        self._group_count = group_count
        self.start = start  # where a new user lands: the first place ISIS's core group is active

    @classmethod
    def build(
        cls, regions: Iterable[RegionLike], group_regions: Iterable[tuple[str, ...]], start: str | None
    ) -> RegionIndex:
        """The tree of `regions` (children by kind, then name), counting groups active where
        `group_regions` (each group's region ids) says, in each region or anywhere under it."""
        light: dict[str, TreeRegion] = {}
        kinds: dict[str, str] = {}
        for region in regions:
            light[region.id] = TreeRegion(region.id, region.name, region.parent)
            kinds[region.id] = region.kind
        children: dict[str | None, list[TreeRegion]] = defaultdict(list)
        for node in light.values():
            children[node.parent].append(node)
        for kids in children.values():
            kids.sort(key=lambda r: (_REGION_ORDER.get(kinds[r.id], 9), r.name.casefold()))
        index = cls(light, dict(children), {}, start)
        index._group_count = index._count_groups(group_regions)
        return index

    def _count_groups(self, group_regions: Iterable[tuple[str, ...]]) -> dict[str, int]:
        direct: dict[str, set[int]] = defaultdict(set)
        for n, region_ids in enumerate(group_regions):
            for region_id in region_ids:
                direct[region_id].add(n)
        counts: dict[str, int] = {}
        totals: dict[str, set[int]] = {}
        # children before parents: deepest first
        for region in sorted(self.regions.values(), key=lambda r: -len(self.ancestors(r.id))):
            mine = set(direct.get(region.id, ()))
            for child in self._children.get(region.id, ()):
                mine |= totals.pop(child.id, set())
            totals[region.id] = mine
            counts[region.id] = len(mine)
        return counts

    @property
    def world(self) -> TreeRegion | None:
        roots = self._children.get(None, [])
        return roots[0] if roots else None

    def roots(self) -> list[TreeRegion]:
        """The regions without a parent (the world, in valid data)."""
        return list(self._children.get(None, ()))

    def get(self, region_id: str) -> TreeRegion | None:
        return self.regions.get(region_id)

    def children(self, region_id: str) -> list[TreeRegion]:
        return list(self._children.get(region_id, ()))

    def has_children(self, region_id: str) -> bool:
        return bool(self._children.get(region_id))

    def ancestors(self, region_id: str) -> list[TreeRegion]:
        """From the region's parent up to the world."""
        out: list[TreeRegion] = []
        region = self.regions.get(region_id)
        while region is not None and region.parent:
            region = self.regions.get(region.parent)
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
