"""The map without Textual: projection, places, merged markers, labels, land in braille and ASCII."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.loading.loader import load
from tui.presentation.map.canvas import ASCII_LAND, BRAILLE, draw, land_rows, place_markers
from tui.presentation.map.frame import DOTS_X, DOTS_Y, MIN_SCALE, MapFrame, fit
from tui.presentation.map.land import LandMask
from tui.presentation.map.map_rows import MapRows
from tui.presentation.map.places import MapPlace, letter_of, map_places

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def kb():
    return load(REPO / "data")


@pytest.fixture(scope="module")
def land() -> LandMask:
    return LandMask.load()


def place(pid: str, lat: float, lon: float, *kinds: str) -> MapPlace:
    return MapPlace(pid, pid.title(), "city", lat, lon, tuple((f"{pid}-g{i}", k) for i, k in enumerate(kinds)))


# -- places ------------------------------------------------------------------------------------
def test_the_bundled_places_are_where_groups_act(kb) -> None:
    found = map_places(kb)
    ids = [p.id for p in found.places]
    for wanted in ("iraq", "syria", "libya", "afghanistan", "somalia", "nigeria", "philippines", "marawi"):
        assert wanted in ids, wanted
    for quiet in ("london", "basel", "washington", "united-states", "world", "africa"):
        assert quiet not in ids, quiet  # no group acts there, or no coordinates (continents)
    lons = [p.lon for p in found.places]
    assert lons == sorted(lons)  # west to east: the order n/N steps in
    afghanistan = found.get("afghanistan")
    assert afghanistan is not None
    assert {gid for gid, _ in afghanistan.groups} == {"isis-khorasan", "taliban", "haqqani-network"}
    assert afghanistan.marker == "B3"  # an ISIS branch and three groups


def test_a_region_without_coordinates_is_shown_on_the_place_above_it(kb) -> None:
    found = map_places(kb)
    egypt, philippines = found.get("egypt"), found.get("philippines")
    assert egypt is not None and "Sinai" in egypt.stands_for
    assert philippines is not None and "Mindanao" in philippines.stands_for
    assert ("abu-sayyaf", "insurgency") in philippines.groups
    assert found.shown_on["sinai"] == "egypt"
    # West Africa has no coordinates and no mapped region above it: listed, not drawn
    assert "west-africa" in [rid for rid, _, _ in found.unplaced]
    rows = MapRows(kb).rows()
    assert [key for key, *_ in rows].count("") == 1  # one heading, then the regions not on the map
    assert rows[-1][0].partition(":")[2] in {rid for rid, _, _ in found.unplaced}
    assert "Abu Sayyaf" in next(groups() for key, _, _, groups in rows if key == "regions:philippines")


def test_the_letter_puts_isis_first() -> None:
    assert letter_of(["state-force", "isis-branch", "jihadist-rival"]) == "B"
    assert letter_of(["insurgency"]) == "R"
    assert letter_of(["coalition-force", "isis-core"]) == "I"
    assert place("x", 0, 0, "isis-aligned").marker == "A"
    assert place("x", 0, 0, "isis-aligned", "state-force").marker == "A2"


# -- projection ----------------------------------------------------------------------------------
def test_cells_and_points_agree_and_longitude_wraps() -> None:
    frame = MapFrame(lat=10, lon=170, base=0.5)
    x, y = frame.cell_of(10, 170, 80, 20)
    assert (x, y) == (40, 10)  # the centre
    # one cell is DOTS_X dots wide and DOTS_Y tall: a point a cell's width east is in the next cell
    assert frame.cell_of(10, 170 + 0.5 * DOTS_X, 80, 20) == (41, 10)
    assert frame.cell_of(10 - 0.5 * DOTS_Y, 170, 80, 20) == (40, 11)
    # east of the antimeridian is to the right of 170E, not 350 degrees to the left
    assert frame.cell_of(10, -175, 80, 20)[0] > x
    assert frame.panned(40, 0).lon == pytest.approx(-150.0)


def test_fit_shows_every_place_and_zoom_is_bounded() -> None:
    points = [(9.0, 8.0), (33.9, 67.7), (7.9, 124.3), (5.0, 46.0)]
    frame = fit(points, 80, 13)
    assert all(frame.visible(lat, lon, 80, 13) for lat, lon in points)
    widest = frame.zoomed(-100, 80).scale  # out: up to the world's width
    assert widest <= 360 / 160 < widest * 1.5
    closest = frame.zoomed(100, 80).scale  # in: not past the raster's use
    assert closest >= MIN_SCALE > closest / 1.5
    assert frame.zoomed(1, 80).zoomed(-1, 80).scale == frame.scale  # exactly: the markers drawn are kept


# -- markers and labels ----------------------------------------------------------------------------
def test_markers_that_would_touch_merge_with_a_count() -> None:
    frame = MapFrame(lat=0, lon=0, base=1.0)
    near = [place("a", 0, 0, "isis-core"), place("b", 0, 1.5, "state-force", "insurgency")]
    markers = place_markers(near, frame, 40, 10)
    assert len(markers) == 1
    assert markers[0].text == "I3+"  # ISIS first, three groups, several places
    assert [p.id for p in markers[0].places] == ["a", "b"]
    zoomed = place_markers(near, frame.zoomed(4, 40), 40, 10)
    assert len(zoomed) == 2  # apart once zoomed in


def test_a_selected_place_in_a_merged_marker_is_named_in_its_label(land) -> None:
    frame = MapFrame(lat=0, lon=0, base=1.0)
    near = [place("big", 0, 0, "isis-core", "isis-core"), place("small", 0, 1.5, "state-force")]
    picture = draw(land, frame, 40, 10, near, "small")
    assert len(picture.markers) == 1  # merging does not depend on the selection
    marker = picture.marker_of("small")
    assert marker is not None and marker.places[0].id == "big"
    assert "Small +1" in picture.text.splitlines()[marker.y]  # the selected place's name, and one more
    styles = [style for _, style in picture.lines[marker.y]]
    assert "selected" in styles and "label-selected" in styles


def test_labels_never_cover_markers_or_each_other(land) -> None:
    places = [place(f"p{i}", 10 + (i % 3), 10 + 4 * i, "isis-branch") for i in range(12)]
    picture = draw(land, MapFrame(lat=10, lon=30, base=0.5), 80, 12, places, "p3")
    text = picture.text.splitlines()
    for marker in picture.markers:
        assert text[marker.y][marker.x : marker.end] == marker.text  # every marker drawn whole
    chosen = picture.marker_of("p3")
    assert chosen is not None
    assert "P3" in text[chosen.y]  # the selected marker is labelled with its place's name
    styles = [style for line in picture.lines for _, style in line]
    assert styles.count("selected") == 1 and styles.count("label-selected") == 1


def test_the_land_is_braille_and_the_sea_blank(land) -> None:
    rows = land_rows(land, MapFrame(lat=20, lon=20, base=0.5), 40, 10)
    drawn = "".join(rows)
    assert all(ch == " " or BRAILLE < ord(ch) <= BRAILLE + 0xFF for ch in drawn)
    frame = MapFrame(lat=23, lon=13, base=0.2)  # the Sahara: all land
    assert set("".join(land_rows(land, frame, 10, 3))) == {chr(BRAILLE + 0xFF)}
    frame = MapFrame(lat=-10, lon=80, base=0.2)  # the Indian Ocean: all sea
    assert set("".join(land_rows(land, frame, 10, 3))) == {" "}
    ascii_rows = land_rows(land, MapFrame(lat=20, lon=20, base=0.5), 40, 10, ascii_only=True)
    assert set("".join(ascii_rows)) <= set(ASCII_LAND)
    assert [len(r) for r in ascii_rows] == [40] * 10


def test_the_done_when_markers_show_at_80_by_24(kb, land) -> None:
    """The map's first frame at 80x24 (80x13 cells of map) has these places on it."""
    found = map_places(kb)
    frame = fit(((p.lat, p.lon) for p in found.places), 80, 13)
    picture = draw(land, frame, 80, 13, found.places, None)
    shown = {p.id for m in picture.markers for p in m.places}
    for wanted in ("iraq", "syria", "libya", "afghanistan", "somalia", "nigeria", "philippines"):
        assert wanted in shown, wanted
