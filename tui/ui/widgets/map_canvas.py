"""The map itself: draws what the screen gives it (frame, places, selection) and posts the keys up.

Each row is drawn from one `MapPicture`, built once per frame, selection and size; a pan or zoom
refreshes this widget alone. Markers are bold, the selected one reversed, labels underlined: the map
reads the same with NO_COLOR or 16 colours, where colour only adds to the marker's letter.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from tui.presentation.map.canvas import MapPicture, draw
from tui.presentation.map.frame import MapFrame
from tui.presentation.map.land import LandMask
from tui.presentation.map.places import LETTER_ORDER, MapPlace

STYLE_NAMES = ("land", "label", "label-selected", "selected", "marker-other", *(f"marker-{c}" for c in LETTER_ORDER))
MIN_COLS, MIN_ROWS = 20, 6  # below this the map says so instead of drawing


class MapCanvas(Widget, can_focus=True):
    """A braille map; arrows or hjkl pan, Enter opens the selected place (the screen decides how)."""

    BINDINGS = [
        Binding("left,h", "pan(-1, 0)", "Pan west", show=False, id="map.west"),
        Binding("right,l", "pan(1, 0)", "Pan east", show=False, id="map.east"),
        Binding("up,k", "pan(0, -1)", "Pan north", show=False, id="map.north"),
        Binding("down,j", "pan(0, 1)", "Pan south", show=False, id="map.south"),
        Binding("enter", "open", "Open place", id="map.open"),
    ]
    COMPONENT_CLASSES = {f"map--{name}" for name in STYLE_NAMES}
    DEFAULT_CSS = """
    MapCanvas { width: 1fr; height: 1fr; }
    MapCanvas > .map--land { color: $success 60%; }
    MapCanvas > .map--marker-I { color: $error; text-style: bold; }
    MapCanvas > .map--marker-B { color: $error; text-style: bold; }
    MapCanvas > .map--marker-A { color: $warning; text-style: bold; }
    MapCanvas > .map--marker-R { color: $accent; text-style: bold; }
    MapCanvas > .map--marker-S { color: $primary; text-style: bold; }
    MapCanvas > .map--marker-other { text-style: bold; }
    MapCanvas > .map--selected { text-style: reverse bold; }
    MapCanvas > .map--label { color: $foreground; text-style: underline; }
    MapCanvas > .map--label-selected { color: $foreground; text-style: bold underline; }
    """

    # repaint=False: a change redraws the picture and refreshes only the rows that differ (see `redraw`)
    frame: reactive[MapFrame | None] = reactive(None, repaint=False)  # None: not fitted yet, nothing drawn
    selected: reactive[str | None] = reactive(None, repaint=False)
    places: reactive[Sequence[MapPlace]] = reactive((), repaint=False, always_update=True)

    class Pan(Message):
        def __init__(self, cells_x: int, cells_y: int) -> None:
            super().__init__()
            self.cells_x, self.cells_y = cells_x, cells_y

    class Open(Message):
        """Enter on the map: open the selected place."""

    class Picked(Message):
        """A click on a marker."""

        def __init__(self, place_id: str) -> None:
            super().__init__()
            self.place_id = place_id

    def __init__(self, *, ascii_only: bool = False, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.ascii_only = ascii_only
        self.land = LandMask.load()
        self._picture: MapPicture | None = None
        self._drawn_for: tuple[object, ...] | None = None
        self._styles: dict[str, Style] = {}

    # -- drawing ---------------------------------------------------------------------------
    @property
    def too_small(self) -> bool:
        return self.size.width < MIN_COLS or self.size.height < MIN_ROWS

    def picture(self) -> MapPicture:
        """The picture for the current frame, selection and size (drawn once for all its rows)."""
        if self._picture is None or self._drawn_for != self._key():
            self._picture = self._draw()
        return self._picture

    def _key(self) -> tuple[object, ...]:
        return (self.frame, self.selected, self.size, id(self.places))

    def _draw(self) -> MapPicture:
        self._drawn_for = self._key()
        width, height = self.size
        if self.frame is None:
            return MapPicture([], [])
        return draw(self.land, self.frame, width, height, self.places, self.selected, self.ascii_only)

    def redraw(self) -> None:
        """Draw the new picture now and refresh only the rows that changed: stepping to the next place
        rewrites the two or three rows its markers and labels are on, not the whole map (over SSH)."""
        old = self._picture
        if old is None or self.too_small or self._drawn_for is None or self._drawn_for[2] != self.size:
            self._picture = None
            self.refresh()
            return
        new = self._draw()
        self._picture = new
        if len(old.lines) != len(new.lines):  # the first picture after none (not fitted yet): all of it
            self.refresh()
            return
        changed = [y for y, (was, now) in enumerate(zip(old.lines, new.lines, strict=True)) if was != now]
        if len(changed) > len(new.lines) // 2:  # a pan or a zoom: one refresh, not one per row
            self.refresh()
            return
        width = self.size.width
        for y in changed:
            self.refresh(Region(0, y, width, 1))

    def watch_frame(self) -> None:
        self.redraw()

    def watch_selected(self) -> None:
        self.redraw()

    def watch_places(self) -> None:
        self._picture = None
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = {}  # the theme or the CSS changed: resolved again at the next row drawn

    def styles_by_name(self) -> dict[str, Style]:
        """Each style name's Rich style over the widget's own, resolved once, not for every row drawn."""
        if not self._styles:
            base = self.rich_style
            self._styles = {
                name: base + self.get_component_rich_style(f"map--{name}", partial=True) for name in STYLE_NAMES
            }
            self._styles[""] = base
        return self._styles

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        styles = self.styles_by_name()
        if self.too_small:
            text = "Too small for a map: Tab to the list." if y == 0 else ""
            return Strip([Segment(text[:width].ljust(width), styles[""])], width)
        lines = self.picture().lines
        if y >= len(lines):
            return Strip.blank(width, styles[""])
        return Strip([Segment(text, styles.get(style, styles[""])) for text, style in lines[y]], width)

    # -- keys and mouse ----------------------------------------------------------------------
    def action_pan(self, dx: int, dy: int) -> None:
        step_x = max(2, self.size.width // 8)
        step_y = max(1, self.size.height // 6)
        self.post_message(self.Pan(dx * step_x, dy * step_y))

    def action_open(self) -> None:
        self.post_message(self.Open())

    def on_click(self, event: events.Click) -> None:
        if self.too_small:
            return
        marker = self.picture().marker_at(event.x, event.y)
        if marker is not None:
            self.post_message(self.Picked(marker.places[0].id))
