"""The selection shows by a text attribute, not a shade: at 16 colours (the ansi-dark theme the app
picks there) and with NO_COLOR, the highlighted row of the tree, the search results, the views, the
palette and the detail pane carries an attribute (reverse; underline for the palette) that the other
rows lack. Rows are read as Textual draws them (`render_line`, segments with their styles)."""

from __future__ import annotations

import os
import pty
import re
import signal
import sys

import pytest
from pty_reading import read_pty, showing
from rich.segment import Segment
from textual.command import CommandList, CommandPalette
from textual.strip import Strip
from textual.widgets import DataTable

from tui.loading.loader import load
from tui.ui.app import ExplorerApp
from tui.ui.screens.explorer_screen import TREE_SETTLE_SECONDS
from tui.ui.screens.search_screen import ResultList
from tui.ui.widgets.detail_pane import DetailPane
from tui.ui.widgets.region_tree import RegionTree

# (theme, NO_COLOR): 16 colours; NO_COLOR in a 256/truecolour terminal; NO_COLOR at 16 colours.
MODES = [("ansi-dark", False), ("textual-dark", True), ("ansi-dark", True)]
MODE_IDS = ["16-colours", "no-color", "16-colours-no-color"]


@pytest.fixture(scope="module")
def kb():
    return load()


@pytest.fixture(params=MODES, ids=MODE_IDS)
def make_app(request, kb, monkeypatch):
    theme, no_color = request.param
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)

    def make() -> ExplorerApp:
        return ExplorerApp(kb, theme=theme)

    return make


def text_segments(strip: Strip) -> list[Segment]:
    return [s for s in strip if s.text.strip()]


def all_have(strip: Strip, attribute: str) -> bool:
    segments = text_segments(strip)
    return bool(segments) and all(s.style is not None and getattr(s.style, attribute) for s in segments)


def any_has(strip: Strip, attribute: str) -> bool:
    return any(s.style is not None and getattr(s.style, attribute) for s in text_segments(strip))


def rows_with(widget, attribute: str, *, every: bool = True) -> list[int]:
    """Indexes of the widget's visible lines whose text all (or any) carries `attribute`."""
    test = all_have if every else any_has
    height = widget.scrollable_content_region.height
    return [y for y in range(height) if test(widget.render_line(y), attribute)]


async def test_tree_cursor_row_is_reversed_and_no_other(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(TREE_SETTLE_SECONDS * 3)
        tree = app.screen.query_one(RegionTree)
        assert app.native_ansi_color or app.no_color
        for _ in range(2):
            cursor_y = tree.cursor_line - round(tree.scroll_offset.y)
            # The label is reversed (the guides before it are not), and nothing on any other row.
            assert rows_with(tree, "reverse", every=False) == [cursor_y]
            label = [
                s for s in tree.render_line(cursor_y) if s.text.strip() and not set(s.text.strip()) <= set("├│└─▶▼ ")
            ]
            assert label and all(s.style is not None and s.style.reverse for s in label)
            await pilot.press("k", "k")
            await pilot.pause()


async def test_tree_guides_are_not_ansi_black(kb, monkeypatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    app = ExplorerApp(kb, theme="ansi-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        tree = app.screen.query_one(RegionTree)
        guides = [
            s
            for y in range(tree.scrollable_content_region.height)
            for s in tree.render_line(y)
            if s.text.strip() and set(s.text.strip()) <= set("├│└─")
        ]
        assert guides, "the tree draws guide lines"
        for segment in guides:
            color = segment.style.color if segment.style else None
            assert color is None or color.is_default or color.number != 0, f"guide {segment.text!r} in {color}"


async def test_search_highlighted_result_is_reversed_and_no_other(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"isis")
        await pilot.pause()
        results = app.screen.query_one(ResultList)
        assert results.option_count >= 3
        first_lines = [y for y in range(results.scrollable_content_region.height)]
        reversed_rows = rows_with(results, "reverse")
        assert reversed_rows, "the highlighted result is reversed"
        assert rows_with(results, "reverse", every=False) == reversed_rows
        assert reversed_rows[0] == 0 and len(reversed_rows) < len(first_lines)
        await pilot.press("down")
        await pilot.pause()
        moved = rows_with(results, "reverse")
        assert moved and moved[0] > reversed_rows[-1], "the reverse moves with the highlight"
        assert rows_with(results, "reverse", every=False) == moved


@pytest.mark.parametrize("key", ["2", "3", "4", "5"], ids=["groups", "analysts", "timeline", "figures"])
async def test_view_cursor_row_is_reversed_and_no_other(make_app, key) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.row_count >= 2
        for _ in range(2):
            cursor_y = table.header_height + table.cursor_row - round(table.scroll_offset.y)
            assert rows_with(table, "reverse") == [cursor_y]
            assert rows_with(table, "reverse", every=False) == [cursor_y]
            await pilot.press("down")
            await pilot.pause()


async def test_palette_highlighted_row_is_underlined_throughout(make_app) -> None:
    """Textual's option lists drop reverse (see tui/ui/widgets/cursor_list.py) and the palette's list
    is Textual's own: its highlighted row is underlined end to end, other rows only where they match."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.action_command_palette()
        await pilot.pause()
        await pilot.press(*"view")
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        commands = palette.query_one(CommandList)
        await pilot.wait_for_scheduled_animations()
        for _ in range(20):
            if commands.option_count >= 2 and commands.highlighted is not None:
                break
            await pilot.pause(0.05)
        assert commands.option_count >= 2
        underlined = rows_with(commands, "underline")
        assert underlined, "the highlighted command is underlined throughout"
        assert len(underlined) < commands.scrollable_content_region.height
        await pilot.press("down")
        await pilot.pause()
        moved = rows_with(commands, "underline")
        assert moved and moved != underlined


async def test_detail_pane_chosen_link_is_reversed_on_its_row_only(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(TREE_SETTLE_SECONDS * 3)
        await pilot.press("tab")  # the detail pane: its first link is chosen
        await pilot.pause()
        pane = app.screen.query_one(DetailPane)
        assert pane.has_focus and pane.highlighted is not None
        first = rows_with(pane, "reverse", every=False)
        assert len(first) == 1, "one row carries the chosen link, reversed"
        await pilot.press("down")
        await pilot.pause()
        moved = rows_with(pane, "reverse", every=False)
        assert len(moved) == 1 and moved != first, "the reverse moves with the highlight"


# -- in a real pseudo-terminal: the bytes the terminal gets ---------------------------------------
SGR = re.compile(rb"\x1b\[([0-9;]*)m([^\x1b]*)")
COLOUR_PARAMS = {str(n) for n in [*range(30, 38), *range(40, 48), *range(90, 98), *range(100, 108), 38, 48]}


def read_until(fd: int, needle: bytes, timeout: float = 20) -> bytes:
    return read_pty(fd, timeout, showing(needle), poll=0.1)


def drawn_reversed(output: bytes) -> str:
    """All text the terminal was told to draw in reverse video (SGR 7 until SGR 0 or 27)."""
    reverse, drawn = False, []
    for params, text in SGR.findall(output):
        for param in params.decode().split(";"):
            if param in ("", "0", "27"):
                reverse = False
            elif param == "7":
                reverse = True
        if reverse:
            drawn.append(text.decode("utf-8", "replace"))
    return "".join(drawn)


def read_until_reversed(fd: int, text: str, so_far: bytes = b"", timeout: float = 20) -> bytes:
    """Read until the terminal has been told to draw `text` reversed (or the time is up)."""
    if text in drawn_reversed(so_far):
        return so_far
    return so_far + read_pty(fd, timeout, lambda out: text in drawn_reversed(so_far + out), poll=0.1)


@pytest.mark.slow
@pytest.mark.parametrize(
    "env",
    [
        {"TERM": "xterm", "TEXTUAL_COLOR_SYSTEM": "standard"},
        {"TERM": "xterm", "NO_COLOR": "1"},
        {"TERM": "xterm-256color", "NO_COLOR": "1"},
    ],
    ids=["16-colours", "no-color-16", "no-color-256"],
)
def test_in_a_terminal_the_cursor_and_the_highlighted_result_are_reversed(env) -> None:
    pid, fd = pty.fork()
    if pid == 0:  # child: the app, in an 80x24 terminal
        for name in ("NO_COLOR", "TEXTUAL_COLOR_SYSTEM", "COLORTERM"):
            os.environ.pop(name, None)
        os.environ.update({"COLUMNS": "80", "LINES": "24", **env})
        os.execv(sys.executable, [sys.executable, "-m", "tui"])
    try:
        first = read_until(fd, b"Chris Maier")  # the data is in: the assessments are drawn
        assert b"Chris Maier" in first, first[-500:]
        first = read_until_reversed(fd, "Iraq", first)
        assert "Iraq" in drawn_reversed(first), "the tree cursor (Iraq) is reversed"
        os.write(fd, b"/isis")  # one burst
        found = read_until_reversed(fd, "group")
        assert "group" in drawn_reversed(found), "the highlighted result (ISIS · group) is reversed"
        assert "results" in found.decode("utf-8", "replace")
        if "NO_COLOR" in env:
            params = {p for ps, _ in SGR.findall(first + found) for p in ps.decode().split(";")}
            assert not params & COLOUR_PARAMS, f"NO_COLOR: colours sent {sorted(params & COLOUR_PARAMS)}"
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
