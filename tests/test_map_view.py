"""The Map view in the app: opening, pan, zoom, fit, stepping, the list, Enter and Back, show-on-map,
small terminals, the mouse, and keys that arrive in one burst."""

from __future__ import annotations

import pytest
from test_key_bursts import until
from textual import events
from textual_private import screen_text

from tui.loading.loader import load
from tui.ui.app import ExplorerApp
from tui.ui.screens.explorer_screen import ExplorerScreen
from tui.ui.screens.map_view import MapView
from tui.ui.widgets.detail_pane import DetailPane
from tui.ui.widgets.map_canvas import MapCanvas
from tui.ui.widgets.place_list import PlaceList


@pytest.fixture(scope="module")
def kb():
    return load()


async def open_map(app: ExplorerApp, pilot) -> MapView:
    await pilot.pause()
    await pilot.press("6")
    await until(pilot, lambda: isinstance(app.screen, MapView) and app.screen.canvas.size.width > 0)
    await pilot.pause()
    view = app.screen
    assert isinstance(view, MapView)
    return view


def drawn(view: MapView) -> str:
    return view.canvas.picture().text


async def test_the_map_opens_framed_on_the_places_with_markers(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_map(app, pilot)
        picture = view.canvas.picture()
        shown = {p.id for m in picture.markers for p in m.places}
        assert {"iraq", "syria", "libya", "afghanistan", "somalia", "nigeria", "philippines"} <= shown
        assert any(0x2800 < ord(ch) <= 0x28FF for ch in picture.text)  # land in braille
        assert app.focused is view.canvas
        assert view.selected == view.rows.map.places[0].id  # the westernmost place, named below the map
        assert "Nigeria" in str(view.query_one("#map-status").render())


async def test_pan_zoom_and_fit(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_map(app, pilot)
        start = view.frame
        await pilot.press("l")
        assert view.frame.lon > start.lon
        await pilot.press("h", "k")
        assert view.frame.lon == pytest.approx(start.lon) and view.frame.lat > start.lat
        await pilot.press("j", "right", "left", "down", "up")
        assert view.frame.lat == pytest.approx(start.lat) and view.frame.lon == pytest.approx(start.lon)
        before = drawn(view)
        await pilot.press("plus")
        assert view.frame.scale < start.scale
        await pilot.pause()
        assert drawn(view) != before
        await pilot.press("minus", "minus")
        assert view.frame.scale > start.scale
        await pilot.press("l", "l", "0")
        assert view.frame == start  # 0: back to the frame that fits every place


async def test_merged_markers_at_the_widest_zoom(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_map(app, pilot)
        for _ in range(6):
            await pilot.press("minus")
        picture = view.canvas.picture()
        assert len(picture.markers) < len(view.rows.map.places)
        merged = [m for m in picture.markers if len(m.places) > 1]
        assert merged and all(m.text.endswith("+") for m in merged)
        ids = {p.id for m in picture.markers for p in m.places}
        assert {"iraq", "syria", "mosul"} <= ids  # merged, not dropped


async def test_n_steps_through_the_places_and_the_list_follows(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_map(app, pilot)
        places = [p.id for p in view.rows.map.places]
        await pilot.press("n", "n")
        assert view.selected == places[2]
        assert view.table.highlighted_key == f"regions:{places[2]}"
        await pilot.press("N", "N", "N")
        assert view.selected == places[-1]  # wraps
        marker = view.canvas.picture().marker_of(places[-1])
        assert marker is not None
        styles = [style for _, style in view.canvas.picture().lines[marker.y]]
        assert "selected" in styles  # drawn reversed (see MapCanvas's CSS)


async def test_tab_to_the_list_and_its_cursor_selects(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_map(app, pilot)
        await pilot.press("tab")
        assert isinstance(app.focused, PlaceList)
        await pilot.press("down", "down", "down")
        await pilot.pause()
        assert view.selected == view.rows.map.places[3].id
        await pilot.press("l")  # in the list, l moves the cursor sideways: the map does not pan
        assert view.selected == view.rows.map.places[3].id


async def test_enter_opens_the_place_and_back_returns_to_the_map(kb) -> None:
    """The issue's walk: the map key, step to Afghanistan, Enter: its page names its three groups."""
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_map(app, pilot)
        for _ in range(len(view.rows.map.places)):
            if view.selected == "afghanistan":
                break
            await pilot.press("n")
        assert view.selected == "afghanistan"
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ExplorerScreen))
        assert app.explorer.selection == ("regions", "afghanistan")
        await pilot.pause()
        page = app.explorer.query_one(DetailPane).page
        assert page.outline is not None
        text = str(page.outline)
        for name in ("ISIS-Khorasan", "Taliban", "Haqqani"):
            assert name in text, name
        await pilot.press("backspace")
        await until(pilot, lambda: isinstance(app.screen, MapView))
        assert app.screen.selected == "afghanistan"  # the map as it was left


async def test_show_on_map_from_a_region_page(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.explorer.open("regions", "sinai")
        await pilot.press("M")
        await until(pilot, lambda: isinstance(app.screen, MapView))
        view = app.screen
        assert view.selected == "egypt"  # Sinai has no coordinates: Egypt shows its group
        await pilot.pause()
        assert view.frame.visible(26.5, 29.9, *view.map_size()) or view.canvas.picture().marker_of("egypt")


async def test_a_click_on_a_marker_selects_it(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_map(app, pilot)
        marker = next(m for m in view.canvas.picture().markers if m.places[0].id != view.selected)
        await pilot.click(MapCanvas, offset=(marker.x, marker.y))
        assert view.selected == marker.places[0].id


@pytest.mark.parametrize("size", [(40, 12), (60, 20)])
async def test_small_terminals(kb, size) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=size) as pilot:
        view = await open_map(app, pilot) if size[1] >= 16 else None
        if view is None:
            await pilot.press("6")
            await until(pilot, lambda: isinstance(app.screen, MapView))
            view = app.screen
            await pilot.pause()
            assert view.has_class("-no-map")
            assert isinstance(app.focused, PlaceList)  # the list instead, said so above it
            assert "Too small for the map" in str(view.query_one("#map-legend").render())
            await pilot.press("down", "enter")
            await until(pilot, lambda: isinstance(app.screen, ExplorerScreen))
        else:
            assert not view.has_class("-no-map")
            assert view.canvas.picture().markers


async def test_keys_in_one_burst_with_the_map_key_all_count(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for key in ["6", "n", "n", "n", "plus", "l"]:
            app.post_message(events.Key(key, "+" if key == "plus" else key))
        await until(pilot, lambda: isinstance(app.screen, MapView) and app.screen.selected is not None)
        await pilot.pause()
        view = app.screen
        assert view.selected == view.rows.map.places[3].id


async def test_back_after_opening_from_a_table_view_returns_to_it(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("2")
        await until(pilot, lambda: app.screen.__class__.__name__ == "GroupsView")
        await pilot.pause()
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ExplorerScreen))
        opened = app.explorer.selection
        assert opened is not None and opened[0] == "groups"
        await pilot.press("backspace")
        await until(pilot, lambda: app.screen.__class__.__name__ == "GroupsView")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ExplorerScreen))
        assert app.explorer.selection != opened  # the page before it: the view was between


async def test_every_row_of_the_map_is_on_screen_and_a_step_rewrites_few(kb) -> None:
    """The first picture is drawn whole; stepping to the next place refreshes only the rows that changed."""
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_map(app, pilot)
        canvas = view.canvas
        region = canvas.content_region
        shown = screen_text(app).splitlines()[region.y : region.bottom]
        assert [line[region.x : region.right] for line in shown] == canvas.picture().text.splitlines()
        refreshed: list[object] = []
        original = canvas.refresh

        def counting(*regions, **kwargs):
            refreshed.append(regions)
            return original(*regions, **kwargs)

        canvas.refresh = counting  # type: ignore[method-assign]
        await pilot.press("n")
        assert refreshed and all(regions for regions in refreshed)  # only regions, never the whole map
        rows = {r.y for regions in refreshed for r in regions}
        assert 0 < len(rows) <= 4
