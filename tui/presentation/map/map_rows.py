"""The Map view's list: the places on the map, west to east, then the regions it cannot place.

Each row is (key, mark, place, groups), the groups drawn only when the row is shown: naming them asks
the knowledge base for each group, which is cheap for a screenful and not for 3,500 places at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tui.knowledge.map_sites import GroupEntry
from tui.presentation.groups_rows import kind_rank, short_kind
from tui.presentation.map.places import LETTER_NAMES, MapPlace, MapPlaces, map_places

if TYPE_CHECKING:
    from tui.knowledge.knowledge_base import KnowledgeBase

UNPLACED = "Not on the map: no coordinates here or above"
ListRow = tuple[str, str, str, Callable[[], str]]  # (row key "regions:ID", or "" for a heading; mark; place; groups)


class MapRows:
    """What the Map view lists and says about its places."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.map: MapPlaces = map_places(kb)

    def group_words(self, groups: tuple[GroupEntry, ...]) -> str:
        """`ISIS-Khorasan (branch), Taliban (rival)`: the groups, ISIS first. Named when shown (a list
        row on screen, the selected place): one query for the names of a row's groups."""
        names = self.kb.names_of("groups", [gid for gid, _ in groups])
        ordered = sorted(zip(names, groups, strict=True), key=lambda g: (kind_rank(g[1][1]), g[0].casefold()))
        return ", ".join(f"{name} ({short_kind(kind)})" for name, (_, kind) in ordered)

    def _row(self, place_id: str, mark: str, name: str, groups: tuple[GroupEntry, ...]) -> ListRow:
        return (f"regions:{place_id}", mark, name, lambda: self.group_words(groups))

    def rows(self) -> list[ListRow]:
        out = [self._row(p.id, p.marker, self.place_name(p), p.groups) for p in self.map.places]
        if self.map.unplaced:
            out.append(("", UNPLACED, "", lambda: ""))
            out.extend(self._row(rid, "-", name, groups) for rid, name, groups in self.map.unplaced)
        return out

    @staticmethod
    def place_name(place: MapPlace) -> str:
        """`Philippines (with Mindanao)`: the regions a place stands for are named with it."""
        if not place.stands_for:
            return place.name
        return f"{place.name} (with {', '.join(place.stands_for)})"

    def status(self, place_id: str | None) -> str:
        """One line about the selected place: its marker spelled out and its groups."""
        place = self.map.get(place_id)
        if place is None:
            return "No place selected: n/N or the list choose one."
        kind = LETTER_NAMES.get(place.letter, "group")
        groups = self.group_words(place.groups)
        return f"{self.place_name(place)}, {place.kind} · {place.marker}: {kind} first · {groups}"
