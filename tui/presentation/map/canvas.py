"""The map as lines of styled text: land in braille, a marker per place, labels where there is room.

Nothing here knows a terminal: a line is a list of (text, style name) runs, and the UI gives each
style name its look (a marker is bold, the selected one reversed, a label underlined), so that the
map reads the same without colour. Markers that would touch on a row merge into one; labels never
cover a marker or another label.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from operator import itemgetter
from typing import Any, Protocol

from tui.presentation.map.frame import DOTS_X, DOTS_Y, MapFrame
from tui.presentation.map.places import LETTER_ORDER, MapPlace

BRAILLE = 0x2800
# the bit of each dot in a braille cell, by (column, row) in the 2 x 4 grid
_BITS = ((0x01, 0x02, 0x04, 0x40), (0x08, 0x10, 0x20, 0x80))
# a translation table per dot row and column (row 0 left, row 0 right, row 1 left, ...): 1 -> the dot's bit
_WEIGHTS = [bytes([0, _BITS[column][row]]) + bytes(254) for row in range(4) for column in range(2)]
ASCII_LAND = " .':|"  # by how many of the cell's dots are land (0, 1-2, 3-4, 5-6, 7-8), for ASCII terminals

Run = tuple[str, str]  # (text, style name)


class Land(Protocol):
    """What drawing needs of the land raster (tui/presentation/map/land.py)."""

    width: int
    height: int
    cell_deg: float

    def row(self, r: int) -> bytes: ...


@dataclass(slots=True)
class DrawnMarker:
    """A marker as drawn: its cells, and the places it stands for (the first is the one it is named after)."""

    x: int
    y: int
    text: str
    places: list[MapPlace] = field(default_factory=list)
    letter: str = "?"  # of the kind of group that comes first among all its places

    @property
    def end(self) -> int:
        return self.x + len(self.text)


@dataclass(slots=True)
class MapPicture:
    lines: list[list[Run]]
    markers: list[DrawnMarker]

    def marker_at(self, x: int, y: int) -> DrawnMarker | None:
        return next((m for m in self.markers if m.y == y and m.x <= x < m.end), None)

    def marker_of(self, place_id: str | None) -> DrawnMarker | None:
        return next((m for m in self.markers if any(p.id == place_id for p in m.places)), None)

    @property
    def text(self) -> str:
        return "\n".join("".join(text for text, _ in line) for line in self.lines)


def land_rows(land: Land, frame: MapFrame, cols: int, rows: int, ascii_only: bool = False) -> list[str]:
    """The land in braille (or in ASCII shades), one string of `cols` characters per row."""
    dots_x = cols * DOTS_X
    cell = land.cell_deg
    lon0 = frame.lon - dots_x / 2 * frame.scale
    columns = [int(((lon0 + (i + 0.5) * frame.scale + 180.0) % 360.0) / cell) % land.width for i in range(dots_x)]
    pick = itemgetter(*columns) if dots_x > 1 else (lambda row: (row[columns[0]],))
    blank = bytes(dots_x)
    lat0 = frame.lat + rows * DOTS_Y / 2 * frame.scale
    sampled: dict[int, bytes] = {}

    def dot_row(i: int) -> bytes:
        r = int((90.0 - (lat0 - (i + 0.5) * frame.scale)) / cell)
        if r < 0 or r >= land.height:
            return blank
        found = sampled.get(r)
        if found is None:
            found = sampled[r] = bytes(pick(land.row(r)))
        return found

    out: list[str] = []
    for y in range(rows):
        quads = [dot_row(y * DOTS_Y + k) for k in range(DOTS_Y)]
        # each dot row split into its left and right dots, weighted by their braille bit
        parts = []
        for k, quad in enumerate(quads):
            parts.append(quad[0::2].translate(_WEIGHTS[2 * k]))
            parts.append(quad[1::2].translate(_WEIGHTS[2 * k + 1]))
        if ascii_only:
            counts = [bin(sum(cell)).count("1") for cell in zip(*parts, strict=True)]
            out.append("".join(ASCII_LAND[(n + 1) // 2] for n in counts))
        else:
            codes = [a + b + c + d + e + f + g + h for a, b, c, d, e, f, g, h in zip(*parts, strict=True)]
            out.append("".join(map(chr, (BRAILLE + n for n in codes))).replace(chr(BRAILLE), " "))
    return out


def _rank(letter: str) -> int:
    found = LETTER_ORDER.find(letter)
    return len(LETTER_ORDER) if found < 0 else found


_LAND: list[Any] = [None, []]  # the last land drawn: (its key, its rows)
_LAYERS: dict[tuple[int, float], tuple[Sequence[MapPlace], list[DrawnMarker]]] = {}
_LAYERS_KEPT = 12  # zoom levels remembered: going back to one costs no merging


def marker_layer(places: Sequence[MapPlace], scale: float) -> list[DrawnMarker]:
    """Every place's marker at this scale, on the world's grid of character cells (x from 180° W, y
    from 90° N), placed in the order given (`MapPlaces.by_weight`: ISIS first, bigger first); a place
    whose marker would touch one already placed on its row (no blank cell between them) joins that
    one instead. Made once per scale and kept: a pan moves by whole cells (see `snap`), so it only
    shifts this layer, and which places merge never depends on where the view is or what is selected."""
    key = (id(places), scale)
    kept = _LAYERS.get(key)
    if kept is not None and kept[0] is places:
        return kept[1]
    cell_w, cell_h = scale * DOTS_X, scale * DOTS_Y
    taken: dict[int, dict[int, DrawnMarker]] = {}
    markers: list[DrawnMarker] = []
    merged: list[DrawnMarker] = []
    for place in places:
        x = int((place.lon + 180.0) // cell_w)
        y = int((90.0 - place.lat) // cell_h)
        text = place.marker
        width = len(text)
        row = taken.setdefault(y, {})
        hit = row.get(x - 1) or row.get(x + width)
        if hit is None:
            hit = next((row[i] for i in range(x, x + width) if i in row), None)
        if hit is None:
            marker = DrawnMarker(x, y, text, [place], letter=place.letter)
            markers.append(marker)
            for i in range(x, x + width):
                row[i] = marker
            continue
        if len(hit.places) == 1:
            merged.append(hit)
        hit.places.append(place)
    for marker in merged:
        _retext(marker, taken[marker.y])
    if len(_LAYERS) >= _LAYERS_KEPT:
        del _LAYERS[next(iter(_LAYERS))]
    _LAYERS[key] = (places, markers)
    return markers


def snap(frame: MapFrame, cols: int, rows: int) -> tuple[MapFrame, int, int]:
    """The frame moved (by less than half a cell) so that its cells are cells of the world's grid, and
    the grid cell (x, y) of its top-left corner."""
    cell_w, cell_h = frame.scale * DOTS_X, frame.scale * DOTS_Y
    left = round((frame.lon + 180.0) / cell_w - cols / 2)
    top = round((90.0 - frame.lat) / cell_h - rows / 2)
    lon = (-180.0 + (left + cols / 2) * cell_w + 180.0) % 360.0 - 180.0
    return replace(frame, lat=90.0 - (top + rows / 2) * cell_h, lon=lon), left, top


def place_markers(places: Sequence[MapPlace], frame: MapFrame, cols: int, rows: int) -> list[DrawnMarker]:
    """The markers in view, in screen cells, for a snapped frame (see `snap` and `marker_layer`)."""
    _, left, top = snap(frame, cols, rows)
    around = round(360.0 / (frame.scale * DOTS_X))  # the world's width in cells: east and west wrap
    out: list[DrawnMarker] = []
    for marker in marker_layer(places, frame.scale):
        y = marker.y - top
        if not 0 <= y < rows:
            continue
        x = (marker.x - left) % around
        if x + len(marker.text) > cols:
            continue  # cut by the right edge: drawn once the view moves on
        out.append(DrawnMarker(x, y, marker.text, marker.places, marker.letter))
    return out


def _retext(marker: DrawnMarker, row: dict[int, DrawnMarker]) -> None:
    """A merged marker: the first letter of its kinds, its groups counted once, and `+`; as wide as the
    free cells to its right allow (else its count is left out)."""
    count = len({group[0] for place in marker.places for group in place.groups})
    letter = marker.letter = min((place.letter for place in marker.places), key=_rank)
    for text in (f"{letter}{count}+" if count > 1 else f"{letter}+", f"{letter}+"):
        free = all(row.get(i, marker) is marker for i in range(marker.x, marker.x + len(text) + 1))
        if free or text == f"{letter}+":
            marker.text = text
            for i in range(marker.x, marker.x + len(text)):
                row[i] = marker
            return


def _put_label(line: list[str], styles: list[str], used: bytearray, marker: DrawnMarker, text: str, style: str) -> bool:
    """Write `text` beside the marker (right, else left) on free cells, with a blank cell each side."""
    cols = len(line)
    width = len(text)
    for start in (marker.end + 1, marker.x - 1 - width):
        if start < 0 or start + width > cols:
            continue
        if any(used[i] for i in range(max(0, start - 1), min(cols, start + width + 1))):
            continue
        for i, ch in enumerate(text):
            line[start + i] = ch
            styles[start + i] = style
        for i in range(start, start + width):
            used[i] = 1
        return True
    return False


def label_text(marker: DrawnMarker, selected: str | None) -> str:
    """The selected place's name (or the place the marker is named after), and how many more it holds."""
    chosen = next((p for p in marker.places if p.id == selected), marker.places[0])
    more = len(marker.places) - 1
    return chosen.name + (f" +{more}" if more else "")


def draw(
    land: Land,
    frame: MapFrame,
    cols: int,
    rows: int,
    places: Sequence[MapPlace],
    selected: str | None = None,
    ascii_only: bool = False,
    labels: int = 8,
) -> MapPicture:
    """The whole picture: land, markers, and labels for the selected marker and the biggest others."""
    if cols <= 0 or rows <= 0:
        return MapPicture([], [])
    frame = snap(frame, cols, rows)[0]  # land and markers on the same grid of cells
    key = (id(land), frame, cols, rows, ascii_only)
    if _LAND[0] != key:  # a new selection on the same view draws on the same land
        _LAND[:] = [key, land_rows(land, frame, cols, rows, ascii_only)]
    land_lines: list[str] = _LAND[1]
    markers = place_markers(places, frame, cols, rows)
    by_row: dict[int, list[DrawnMarker]] = {}
    for marker in markers:
        by_row.setdefault(marker.y, []).append(marker)
    chosen = next((m for m in markers if any(p.id == selected for p in m.places)), None)
    # labels: the selected marker's first, then the biggest markers', while there is room
    wanted = [m for m in markers if m is not chosen][:labels]  # markers are in the places' order: biggest first
    if chosen is not None:
        wanted.insert(0, chosen)
    texts: dict[int, list[str]] = {}
    style_rows: dict[int, list[str]] = {}
    used: dict[int, bytearray] = {}
    for y, row_markers in by_row.items():
        texts[y], style_rows[y], used[y] = list(land_lines[y]), ["land"] * cols, bytearray(cols)
        for m in row_markers:
            style = "selected" if m is chosen else f"marker-{m.letter}" if m.letter in LETTER_ORDER else "marker-other"
            for i, ch in enumerate(m.text):
                texts[y][m.x + i] = ch
                style_rows[y][m.x + i] = style
                used[y][m.x + i] = 1
    for m in wanted:
        line, styles, free = texts[m.y], style_rows[m.y], used[m.y]
        _put_label(line, styles, free, m, label_text(m, selected), "label-selected" if m is chosen else "label")
    for y, line in texts.items():  # a blank cell either side of each marker and label, to read it on land
        styles = style_rows[y]
        for i in range(cols):
            if styles[i] == "land" and (
                (i > 0 and styles[i - 1] != "land") or (i + 1 < cols and styles[i + 1] != "land")
            ):
                line[i] = " "
    lines: list[list[Run]] = []
    for y in range(rows):
        if y not in texts:
            lines.append([(land_lines[y], "land")])
            continue
        runs: list[Run] = []
        line, styles = texts[y], style_rows[y]
        start = 0
        for i in range(1, cols + 1):
            if i == cols or styles[i] != styles[start]:
                runs.append(("".join(line[start:i]), styles[start]))
                start = i
        lines.append(runs)
    return MapPicture(lines, markers)
