"""Where the map looks: a centre and a scale, in an equirectangular projection drawn with braille.

Equirectangular (longitude and latitude straight onto x and y) because a braille cell is 2 dots wide
and 4 tall in a character cell about twice as tall as wide, so its dots are square: one scale for both
axes keeps shapes true at the equator, and the places this data is about lie within 45° of it (West
Africa to the Philippines), where the stretch is small. It also makes a dot's place one multiplication
away from the land raster's cell, which keeps a pan within a frame's budget.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

DOTS_X, DOTS_Y = 2, 4  # braille dots in one character cell
ZOOM_STEP = 1.5  # each + or - changes the scale by this much
MIN_SCALE = 0.05  # degrees per dot at the closest zoom (the land raster is 0.25° a cell: blocky beyond)
MARGIN = 0.12  # of the fitted span, left around the places on each side


@dataclass(frozen=True, slots=True)
class MapFrame:
    """The centre (degrees) and the scale (degrees per braille dot) of the view."""

    lat: float = 20.0
    lon: float = 0.0
    base: float = 1.5  # the scale of the frame that fits every place (`fit`): zoom 0
    zoom: int = 0  # steps in (positive) or out from there

    @property
    def scale(self) -> float:
        """Degrees per braille dot: the same number for the same zoom step, so that what is drawn at
        one (the merged markers) can be kept and used again."""
        return self.base / ZOOM_STEP**self.zoom

    @staticmethod
    def max_scale(cols: int) -> float:
        """The whole world's width in `cols` cells: zooming out stops there."""
        return 360.0 / max(1, cols * DOTS_X)

    def zoomed(self, steps: int, cols: int) -> MapFrame:
        """`steps` in (or out), as far as the limits allow: the world's width out, MIN_SCALE in."""
        zoom = self.zoom
        for _ in range(abs(steps)):
            scale = self.base / ZOOM_STEP ** (zoom + (1 if steps > 0 else -1))
            if scale < MIN_SCALE or scale > max(self.max_scale(cols), self.base):
                break
            zoom += 1 if steps > 0 else -1
        return replace(self, zoom=zoom).clamped(cols)

    def panned(self, cells_x: float, cells_y: float) -> MapFrame:
        """Moved by a number of character cells (east and south positive)."""
        lon = (self.lon + cells_x * DOTS_X * self.scale + 180.0) % 360.0 - 180.0
        return replace(self, lat=self.lat - cells_y * DOTS_Y * self.scale, lon=lon)

    def clamped(self, cols: int) -> MapFrame:
        """The centre kept on the globe (east and west wrap; north and south stop at the poles)."""
        return replace(self, lat=min(max(self.lat, -90.0), 90.0))

    def centred_on(self, lat: float, lon: float) -> MapFrame:
        return replace(self, lat=lat, lon=lon)

    def cell_of(self, lat: float, lon: float, cols: int, rows: int) -> tuple[int, int]:
        """The character cell (x, y) a point falls in; it may lie outside 0..cols, 0..rows."""
        dlon = (lon - self.lon + 180.0) % 360.0 - 180.0
        x = (dlon / self.scale + cols * DOTS_X / 2) / DOTS_X
        y = ((self.lat - lat) / self.scale + rows * DOTS_Y / 2) / DOTS_Y
        return int(x // 1), int(y // 1)

    def visible(self, lat: float, lon: float, cols: int, rows: int) -> bool:
        x, y = self.cell_of(lat, lon, cols, rows)
        return 0 <= x < cols and 0 <= y < rows


def fit(points: Iterable[tuple[float, float]], cols: int, rows: int) -> MapFrame:
    """The frame that shows every point with a margin (the whole world when there are none)."""
    listed = list(points)
    world = MapFrame(lat=10.0, lon=0.0, base=MapFrame.max_scale(cols))
    if not listed:
        return world.clamped(cols)
    lats = [p[0] for p in listed]
    lons = [p[1] for p in listed]
    south, north, west, east = min(lats), max(lats), min(lons), max(lons)
    lat_span = max(north - south, 10.0) * (1 + 2 * MARGIN)
    lon_span = max(east - west, 10.0) * (1 + 2 * MARGIN)
    scale = max(lon_span / max(1, cols * DOTS_X), lat_span / max(1, rows * DOTS_Y))
    scale = min(max(scale, MIN_SCALE), MapFrame.max_scale(cols))
    return MapFrame(lat=(south + north) / 2, lon=(west + east) / 2, base=scale).clamped(cols)
