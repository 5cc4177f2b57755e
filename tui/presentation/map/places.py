"""The places a map shows: regions with coordinates where groups act, each with its groups' kinds.

A group acting in a region without coordinates (an area no gazetteer we cite names, such as the Sinai)
is shown on the nearest enclosing region that has them (Egypt), which names the regions it stands for;
a group with no such region (West Africa) is listed as not on the map. Structural regions (the world,
continents) carry no coordinates, so nothing is ever drawn at a continent's centre.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tui.knowledge.map_sites import GroupEntry, gc_paused

if TYPE_CHECKING:
    from tui.knowledge.knowledge_base import KnowledgeBase

# The marker's letter: the kind of group that matters most there, ISIS first, then its competitors.
KIND_LETTERS = {
    "isis-core": "I",
    "isis-branch": "B",
    "isis-affiliate": "A",
    "isis-aligned": "A",
    "jihadist-rival": "R",
    "insurgency": "R",
    "state-force": "S",
    "coalition-force": "S",
}
LETTER_ORDER = "IBARS"
LETTER_NAMES = {
    "I": "ISIS core",
    "B": "ISIS branch",
    "A": "affiliated or aligned with ISIS",
    "R": "rival or insurgent",
    "S": "state or coalition force",
}
LEGEND = "I core · B branch · A affiliate/aligned · R rival/insurgent · S state/coalition · 3 groups · + merged"


_LETTER_RANK = {kind: LETTER_ORDER.index(letter) for kind, letter in KIND_LETTERS.items()}


def letter_of(kinds: Iterable[str]) -> str:
    """The letter of the kind that comes first in LETTER_ORDER ("?" for a kind the map does not know)."""
    rank = min((_LETTER_RANK.get(kind, len(LETTER_ORDER)) for kind in kinds), default=len(LETTER_ORDER))
    return LETTER_ORDER[rank] if rank < len(LETTER_ORDER) else "?"


@dataclass(frozen=True, slots=True)
class MapPlace:
    """A region with coordinates and the groups acting there (or in regions it stands for)."""

    id: str
    name: str
    kind: str  # the region's kind: country, city, area...
    lat: float
    lon: float
    groups: tuple[GroupEntry, ...]  # (group id, group kind), each group once
    stands_for: tuple[str, ...] = ()  # names of regions without coordinates whose groups are shown here
    bbox: tuple[float, float, float, float] | None = None
    letter: str = field(init=False)  # the kind of group that comes first here (LETTER_ORDER)
    marker: str = field(init=False)  # `B3`: the letter, and how many groups when there are several

    def __post_init__(self) -> None:
        letter = letter_of(kind for _, kind in self.groups)
        object.__setattr__(self, "letter", letter)
        object.__setattr__(self, "marker", letter + (str(len(self.groups)) if len(self.groups) > 1 else ""))

    @property
    def weight(self) -> tuple[int, int, str]:
        """The order places take room on the map: ISIS first, then by kind, then more groups first."""
        rank = LETTER_ORDER.find(self.letter)
        return (len(LETTER_ORDER) if rank < 0 else rank, -len(self.groups), self.name.casefold())


@dataclass(slots=True)
class MapPlaces:
    """The places on the map, west to east, and the regions whose groups cannot be placed."""

    places: list[MapPlace] = field(default_factory=list)
    unplaced: list[tuple[str, str, tuple[GroupEntry, ...]]] = field(default_factory=list)  # (id, name, groups)
    shown_on: dict[str, str] = field(default_factory=dict)  # region without coordinates -> the place showing it
    _positions: dict[str, int] = field(default_factory=dict, repr=False)
    _by_weight: list[MapPlace] = field(default_factory=list, repr=False)

    @property
    def by_weight(self) -> list[MapPlace]:
        """The places in the order they take room on the map (see `MapPlace.weight`)."""
        if len(self._by_weight) != len(self.places):
            self._by_weight = sorted(self.places, key=lambda p: p.weight)
        return self._by_weight

    def index_of(self, place_id: str | None) -> int | None:
        if len(self._positions) != len(self.places):
            self._positions = {p.id: i for i, p in enumerate(self.places)}
        return self._positions.get(place_id) if place_id is not None else None

    def get(self, place_id: str | None) -> MapPlace | None:
        index = self.index_of(place_id)
        return None if index is None else self.places[index]


def map_places(kb: KnowledgeBase) -> MapPlaces:
    """The knowledge base's map sites (`KnowledgeBase.map_sites`) as places, named from the region tree."""
    with gc_paused():
        return _map_places(kb)


def _map_places(kb: KnowledgeBase) -> MapPlaces:
    tree = kb.region_index()

    def name(region_id: str) -> str:
        node = tree.get(region_id)
        return node.name if node is not None else region_id

    found = kb.map_sites()
    places = [
        MapPlace(
            id=site.id,
            name=name(site.id),
            kind=site.kind,
            lat=site.lat,
            lon=site.lon,
            groups=site.groups,
            stands_for=tuple(name(r) for r in site.stands_for),
            bbox=site.bbox,
        )
        for site in found.sites
    ]
    places.sort(key=lambda p: (p.lon, -p.lat, p.name.casefold(), p.id))
    shown_on = {rid: site.id for site in found.sites for rid in site.stands_for}
    unplaced = [(rid, name(rid), groups) for rid, groups in found.unplaced]
    return MapPlaces(places, unplaced, shown_on)
