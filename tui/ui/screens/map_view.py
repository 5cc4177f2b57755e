"""The Map view: where groups act, in braille, beside (from 100 columns) or above a list of the places.

The screen holds the state (the frame, the selected place) and hands it down; the canvas and the
list post up what the user asks. Tab moves between map and list; n/N step through the places west
to east; Enter opens the selected place in the explorer, and Back there returns here.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.reactive import var
from textual.widgets import Footer, Header, Static

from tui.marks.mark import GLYPH, Entry
from tui.presentation.map.frame import MapFrame, fit
from tui.presentation.map.map_rows import MapRows
from tui.presentation.map.places import LEGEND
from tui.ui.app_access import app_marks, explorer_app
from tui.ui.breakpoints import apply_breakpoints
from tui.ui.early_keys import HoldsEarlyKeys
from tui.ui.safe_content import plain
from tui.ui.widgets.map_canvas import MapCanvas
from tui.ui.widgets.place_list import PlaceList

MAP_MIN_WIDTH, MAP_MIN_HEIGHT = 40, 16  # below this the view says so and shows the list alone
SHORT_LEGEND = "I core B branch A aligned R rival S state · 3 groups · + merged"


class MapView(HoldsEarlyKeys):
    """Header, legend, map and list, the selected place's line, footer."""

    VIEW_NAME = "map"
    TITLE = "Map"
    BINDINGS = [
        Binding("escape,q", "app.show_view('explorer')", "Explorer", id="view.close"),
        Binding("plus,equals_sign", "zoom(1)", "Zoom in", id="map.zoom-in"),
        Binding("minus,underscore", "zoom(-1)", "Zoom out", show=False, id="map.zoom-out"),
        Binding("0", "fit", "Fit all places", show=False, id="map.fit"),
        Binding("n", "step(1)", "Next place", id="map.next"),
        Binding("N", "step(-1)", "Previous place", show=False, id="map.previous"),
    ]
    DEFAULT_CSS = """
    MapView { layout: vertical; }
    MapView #map-legend { height: 1; padding: 0 1; text-style: bold; }
    MapView #map-body { height: 1fr; layout: vertical; }
    MapView MapCanvas { height: 2fr; }
    MapView #places { height: 1fr; min-height: 3; border-top: solid $secondary; }
    MapView.-wide #map-body { layout: horizontal; }
    MapView.-wide MapCanvas { height: 1fr; width: 1fr; }
    MapView.-wide #places { width: 42; height: 1fr; border-top: none; border-left: solid $secondary; }
    MapView.-no-map MapCanvas { display: none; }
    MapView.-no-map #places { height: 1fr; border-top: none; }
    MapView #map-status { height: 3; padding: 0 1; border-top: solid $secondary; }
    """

    frame: var[MapFrame | None] = var(None, init=False)  # -> MapCanvas.frame; None until the map has a size
    selected: var[str | None] = var(None, init=False)  # -> MapCanvas.selected
    marked: var[frozenset[Entry]] = var(frozenset(), init=False)  # the app's marks -> PlaceList.marked

    def __init__(self) -> None:
        super().__init__()
        self.asked: tuple[str, str] | None = None  # a region to show, asked for before the first mount

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="map-legend", markup=False)
        with Container(id="map-body"):
            canvas = MapCanvas(ascii_only=explorer_app(self).ascii_only, id="map")
            yield canvas.data_bind(MapView.frame, MapView.selected)
            yield PlaceList(id="places").data_bind(MapView.marked)
        yield Static(id="map-status", markup=False)
        yield Footer()

    @property
    def canvas(self) -> MapCanvas:
        return self.query_one(MapCanvas)

    @property
    def table(self) -> PlaceList:
        return self.query_one(PlaceList)

    def on_mount(self) -> None:
        kb = explorer_app(self).kb
        assert kb is not None, "views open once the knowledge base has loaded"
        apply_breakpoints(self)
        self.rows = MapRows(kb)
        self.marked = app_marks(self)
        self.canvas.places = self.rows.map.by_weight
        self.table.set_rows(self.rows.rows())
        self.fitted = False
        self.centre_on: tuple[float, float] | None = None  # a place asked for before the map had a size
        self.show_map_or_list()
        first = self.rows.map.places[0].id if self.rows.map.places else None
        self.select(first, follow=False)
        if self.asked is not None:
            self.show_place(*self.asked)
            self.asked = None
        self.replay_early_keys()

    # -- state -----------------------------------------------------------------------------
    def map_size(self) -> tuple[int, int]:
        size = self.canvas.size
        return size.width, size.height

    def current(self) -> MapFrame:
        """The frame shown, or (before the map has a size) the default one."""
        return self.frame if self.frame is not None else MapFrame()

    def fit_all(self) -> None:
        cols, rows = self.map_size()
        if cols and rows:
            self.frame = fit(((p.lat, p.lon) for p in self.rows.map.places), cols, rows)
            self.fitted = True

    def select(self, place_id: str | None, *, follow: bool = True) -> None:
        """Select a place: the map shows it (recentred if it was off the map) and the list's cursor goes to it."""
        self.selected = place_id
        place = self.rows.map.get(place_id)
        cols, rows = self.map_size()
        if follow and place is not None and cols and not self.current().visible(place.lat, place.lon, cols, rows):
            self.frame = self.current().centred_on(place.lat, place.lon)
        if place_id is not None and self.table.highlighted_key != f"regions:{place_id}":
            self.table.move_to(f"regions:{place_id}")
        self.show_status()

    def show_status(self) -> None:
        """The selected place's line, after the mark glyph when the place is marked."""
        place_id = self.selected
        status = self.rows.status(place_id)
        if place_id is not None and ("regions", place_id) in self.marked:
            status = f"{GLYPH} {status}"
        # fixed height (see DEFAULT_CSS): no layout, only this line is drawn again
        self.query_one("#map-status", Static).update(plain(status), layout=False)

    def watch_marked(self) -> None:
        if hasattr(self, "rows"):
            self.show_status()

    def on_screen_resume(self) -> None:
        self.marked = app_marks(self)  # marks made while the view was hidden

    def mark_target(self) -> Entry | None:
        """What `m` marks: the selected place (a region)."""
        return ("regions", self.selected) if self.selected else None

    def show_map_or_list(self) -> None:
        """Below MAP_MIN_WIDTH x MAP_MIN_HEIGHT the map is not worth drawing: say so, show the list."""
        width, height = self.app.size
        no_map = width < MAP_MIN_WIDTH or height < MAP_MIN_HEIGHT
        self.set_class(no_map, "-no-map")
        legend = self.query_one("#map-legend", Static)
        if no_map:
            legend.update(plain(f"Too small for the map (needs {MAP_MIN_WIDTH}×{MAP_MIN_HEIGHT}): the places"))
            self.table.focus()
        else:
            legend.update(plain(LEGEND if width - 2 >= len(LEGEND) else SHORT_LEGEND))
            if self.focused is None:
                self.canvas.focus()

    def on_resize(self, event: events.Resize) -> None:
        self.show_map_or_list()
        self.call_after_refresh(self.after_layout)

    def after_layout(self) -> None:
        """Once the map has a size: fit the places the first time, then any place asked for (centred)."""
        if not self.fitted:
            self.fit_all()
        cols, rows = self.map_size()
        place = self.rows.map.get(self.selected)
        if self.centre_on is not None:
            self.frame = self.current().centred_on(*self.centre_on).zoomed(1, cols or 1)
            self.centre_on = None
        elif place is not None and cols and not self.current().visible(place.lat, place.lon, cols, rows):
            self.frame = self.current().centred_on(place.lat, place.lon)
        self.frame = self.current().clamped(cols or 1)

    # -- actions -----------------------------------------------------------------------------
    def action_zoom(self, steps: int) -> None:
        cols, rows = self.map_size()
        frame = self.current()
        place = self.rows.map.get(self.selected)
        if steps > 0 and place is not None and frame.visible(place.lat, place.lon, cols, rows):
            frame = frame.centred_on(place.lat, place.lon)  # zoom in on the selected place
        self.frame = frame.zoomed(steps, cols or 1)

    def action_fit(self) -> None:
        self.fit_all()

    def action_step(self, delta: int) -> None:
        places = self.rows.map.places
        if not places:
            return
        index = self.rows.map.index_of(self.selected)
        index = (0 if delta > 0 else len(places) - 1) if index is None else (index + delta) % len(places)
        self.select(places[index].id)

    def open_selected(self, place_id: str | None) -> None:
        if place_id:
            explorer_app(self).open_record("regions", place_id, from_view=self.VIEW_NAME)

    def on_map_canvas_pan(self, message: MapCanvas.Pan) -> None:
        self.frame = self.current().panned(message.cells_x, message.cells_y).clamped(self.map_size()[0] or 1)

    def on_map_canvas_open(self, message: MapCanvas.Open) -> None:
        self.open_selected(self.selected)

    def on_map_canvas_picked(self, message: MapCanvas.Picked) -> None:
        self.select(message.place_id)

    def on_place_list_highlighted(self, message: PlaceList.Highlighted) -> None:
        place_id = message.key.partition(":")[2]
        if self.rows.map.get(place_id) is not None:
            self.select(place_id)

    def on_place_list_chosen(self, message: PlaceList.Chosen) -> None:
        self.open_selected(message.key.partition(":")[2])

    def show_place(self, region_id: str, name: str) -> None:
        """Select the place that shows region `region_id` (itself, or the nearest enclosing place that
        has coordinates), else centre on it; say so when it is not simply selected. Asked before the
        view has mounted (its first opening), it is done once it has."""
        if not hasattr(self, "rows"):
            self.asked = (region_id, name)
            return
        note = self.place_note(region_id, name)
        if note:
            self.notify(note, markup=False)

    def place_note(self, region_id: str, name: str) -> str | None:
        found = self.rows.map
        if found.get(region_id) is not None:
            self.select(region_id)
            return None
        home = found.get(found.shown_on.get(region_id))
        if home is not None:
            self.select(home.id)
            return f"{name} has no coordinates of its own: it is shown on {home.name}."
        point = next((at for rid, _, at, _ in self.rows.kb.region_coordinates() if rid == region_id), None)
        if point is not None:
            self.centre_on = point
            if self.fitted:
                self.after_layout()
            return f"No group acts in {name}: the map is centred on it."
        return f"{name} is not on the map: it has no coordinates, nor has any region around it."
