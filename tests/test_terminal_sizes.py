"""Short and narrow terminals: the region tree keeps at least 3 visible rows and its cursor in sight,
the assessments panel shrinks or goes, the too-small message stays readable, and help stays in the
footer at 50 columns. The 80x24 layout is the one the snapshots show."""

from __future__ import annotations

import pytest
from textual.widgets import Footer, Header

from tests.textual_private import screen_text
from tui.loading.loader import load
from tui.ui.app import ExplorerApp
from tui.ui.screens.explorer_screen import TREE_SETTLE_SECONDS
from tui.ui.screens.search_screen import ResultList
from tui.ui.screens.too_small_screen import MIN_HEIGHT, MIN_WIDTH, TooSmallScreen
from tui.ui.widgets.quote_panel import QuotePanel
from tui.ui.widgets.region_tree import RegionTree

SHORT_SIZES = [(40, 12), (50, 15), (60, 12), (80, 12)]
SIZE_IDS = [f"{w}x{h}" for w, h in SHORT_SIZES]


@pytest.fixture(scope="module")
def kb():
    return load()


def visible_tree_rows(app: ExplorerApp) -> list[str]:
    """The tree's rows as the screen shows them (inside its border), blank rows left out."""
    tree = app.screen.query_one(RegionTree)
    region = tree.scrollable_content_region
    lines = screen_text(app).splitlines()
    rows = [lines[y][region.x : region.right] for y in range(region.y, region.bottom)]
    return [row for row in rows if row.strip()]


def cursor_in_sight(app: ExplorerApp) -> bool:
    tree = app.screen.query_one(RegionTree)
    node = tree.cursor_node
    assert node is not None
    label = str(node.label).split(" (")[0]
    return any(label[:10] in row for row in visible_tree_rows(app))


@pytest.mark.parametrize("size", SHORT_SIZES, ids=SIZE_IDS)
async def test_tree_shows_three_rows_and_its_cursor(kb, size) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=size) as pilot:
        await pilot.pause(TREE_SETTLE_SECONDS * 3)
        assert not isinstance(app.screen, TooSmallScreen)
        tree = app.screen.query_one(RegionTree)
        assert tree.has_focus
        assert tree.scrollable_content_region.height >= 3
        assert len(visible_tree_rows(app)) >= 3
        assert cursor_in_sight(app)
        await pilot.press(*"kkkk")  # a burst of moves: the cursor stays in sight
        await pilot.pause(TREE_SETTLE_SECONDS * 3)
        assert cursor_in_sight(app)
        await pilot.press(*"jjjjjj")
        await pilot.pause(TREE_SETTLE_SECONDS * 3)
        assert cursor_in_sight(app)


@pytest.mark.parametrize("size", SHORT_SIZES, ids=SIZE_IDS)
async def test_growing_and_shrinking_keeps_three_tree_rows(kb, size) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.resize_terminal(*size)
        await pilot.pause()
        assert len(visible_tree_rows(app)) >= 3
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert app.screen.query_one(Header).display  # the header is back once there is room


async def test_short_terminals_shrink_or_hide_the_assessments(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        quotes = app.screen.query_one(QuotePanel)
        assert quotes.outer_size.height == 7  # the 80x24 layout as it was
        assert app.screen.query_one(Header).display
        await pilot.resize_terminal(80, 12)
        await pilot.pause()
        assert 0 < quotes.outer_size.height <= 4
        assert not app.screen.query_one(Header).display
        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        assert not quotes.display
        await pilot.resize_terminal(50, 15)
        await pilot.pause()
        assert quotes.display and 0 < quotes.outer_size.height <= 4


@pytest.mark.parametrize("size", [(20, 5), (25, 8), (39, 12), (80, 11)], ids=["20x5", "25x8", "39x12", "80x11"])
async def test_too_small_message_shows_the_size_it_needs(kb, size) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        text = screen_text(app)
        assert f"{MIN_WIDTH}×{MIN_HEIGHT}" in text  # whole, on one line
        assert "too small" in text


@pytest.mark.parametrize("width", [40, 50, 80])
async def test_footer_shows_how_to_get_help(kb, width) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(Footer)
        bottom = screen_text(app).splitlines()[footer.region.y]
        assert "? Help" in bottom


async def test_search_at_40x12_keeps_room_for_results(kb) -> None:
    """A short terminal draws the search box in one row: the results get the rows its border took."""
    app = ExplorerApp(kb)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"isis")
        await pilot.pause()
        results = app.screen.query_one(ResultList)
        assert results.option_count > 3
        assert results.scrollable_content_region.height >= 5
        assert "isis" in screen_text(app)
