"""What the map shows, as data: each region with coordinates where groups act, with those groups.

A group acting in a region without coordinates (an area no cited gazetteer names, such as the Sinai)
is counted at the nearest enclosing region that has them (Egypt), which names the regions it stands
for; a group with no such region above it (West Africa) is unplaced. Made once from the regions'
coordinates, the groups' places and the region tree: in memory on demand, or by the store's writer
into its own table, so that opening the map at 3,500 places reads one small table.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from tui.knowledge.region_index import RegionIndex

GroupEntry = tuple[str, str]  # (group id, kind)


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while many small acyclic objects are made that live as long as the
    app (the map's 25,000 group entries at the reference size), then those objects moved out of its
    reach (`gc.freeze`, as CPython's documentation advises for such objects). Collections triggered by
    the allocations, each walking every object the app holds, took 40% of making them (54 ms against
    22); merely postponed, they came due in the map's first drawing instead (16 ms became 79)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


@dataclass(frozen=True, slots=True)
class MapSite:
    """A region with a point and the groups acting there or in the regions it stands for."""

    id: str
    kind: str  # the region's kind
    lat: float
    lon: float
    bbox: tuple[float, float, float, float] | None
    groups: tuple[GroupEntry, ...]  # each group once, in data order
    stands_for: tuple[str, ...] = ()  # ids of regions without coordinates whose groups are counted here


@dataclass(slots=True)
class MapSites:
    sites: list[MapSite] = field(default_factory=list)
    unplaced: list[tuple[str, tuple[GroupEntry, ...]]] = field(default_factory=list)  # (region id, groups)


def map_sites(
    coordinates: Iterable[tuple[str, str, Any, Any]],
    group_places: Iterable[tuple[str, str, str]],
    tree: RegionIndex,
) -> MapSites:
    """From `KnowledgeBase.region_coordinates()`, `.group_places()` and the region tree."""
    coords = {rid: (kind, point, bbox) for rid, kind, point, bbox in coordinates}
    acting: dict[str, dict[str, GroupEntry]] = {}  # site id -> group id -> entry
    standing: dict[str, dict[str, None]] = {}
    unplaced: dict[str, dict[str, GroupEntry]] = {}
    home: dict[str, str | None] = {}
    for region_id, group_id, kind in group_places:
        place = home.get(region_id, "")
        if place == "":
            place = home[region_id] = next(
                (r for r in (region_id, *(a.id for a in tree.ancestors(region_id))) if r in coords), None
            )
        if place is None:
            unplaced.setdefault(region_id, {})[group_id] = (group_id, kind)
            continue
        acting.setdefault(place, {})[group_id] = (group_id, kind)
        if place != region_id:
            standing.setdefault(place, {})[region_id] = None
    sites = [
        MapSite(
            site_id,
            coords[site_id][0],
            float(coords[site_id][1][0]),
            float(coords[site_id][1][1]),
            _box(coords[site_id][2]),
            tuple(groups.values()),
            tuple(standing.get(site_id, ())),
        )
        for site_id, groups in acting.items()
    ]
    return MapSites(sites, [(rid, tuple(groups.values())) for rid, groups in sorted(unplaced.items())])


def _box(bbox: Any) -> tuple[float, float, float, float] | None:
    if bbox is None:
        return None
    south, west, north, east = (float(v) for v in bbox)
    return (south, west, north, east)
