"""The region tree alone, with group counts: enough to draw the tree before the rest is loaded.

Kept apart from the records (and light to import and unpickle), because the parse cache's tree file
is read and the tree drawn before anything else of the knowledge base is imported.
"""

from __future__ import annotations


class TreeRegion:
    """What the tree needs of a region."""

    __slots__ = ("id", "name", "parent")

    def __init__(self, id: str, name: str, parent: str | None) -> None:
        self.id, self.name, self.parent = id, name, parent

    def __repr__(self) -> str:
        return f"TreeRegion({self.id!r}, {self.name!r}, {self.parent!r})"


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

    @property
    def world(self) -> TreeRegion | None:
        roots = self._children.get(None, [])
        return roots[0] if roots else None

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

    def group_count(self, region_id: str) -> int:
        """How many groups are active in the region or anywhere under it."""
        return self._group_count.get(region_id, 0)
