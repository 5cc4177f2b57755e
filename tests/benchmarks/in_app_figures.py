"""The figures measured in-process, on the reference data, with Textual's Pilot (`App.run_test()`): a
search keystroke, a cursor step in the region tree and in a list, expanding a node with many children.

Each key is posted as a `textual.events.Key` (as `App.simulate_key` does), then `pilot.pause(0)` is
stepped until the app's state shows the key's effect, then once more to paint it (headless: composited,
not written out). `pilot.press` would add ≥ 2 x 20 ms of idle waiting.
"""

from __future__ import annotations

import asyncio
import statistics
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import generate as generator  # tests/benchmarks/generate.py, beside this file
from processes import SIZE
from results import Result, p95, spread

if TYPE_CHECKING:
    from bench import Bench

PRESSES = 120  # down keys per list
SEARCH_QUERIES = ("caliphate", "victorious front", "returnees", "wadi", "al-tamimi", "desert outposts", "brigade")
# idle pool threads and the signal watchdog (tui/ui/exit_on_signal.py) live as long as the app: not background work
POOL_THREADS = ("asyncio_", "ThreadPoolExecutor", "exit-watchdog")


async def until(pilot, done: Callable[[], bool], timeout: float = 10.0) -> None:
    end = time.perf_counter() + timeout
    while not done():
        if time.perf_counter() > end:
            raise TimeoutError("the app did not reach the expected state in time")
        await pilot.pause(0)


async def timed_key(pilot, key: str, done: Callable[[], bool], char: str | None = None) -> float:
    """Milliseconds from posting a key until `done()` and the screen update after it."""
    from textual import events

    await pilot.pause()  # idle: nothing left over from the previous key
    start = time.perf_counter()
    pilot.app.post_message(events.Key(key, char))
    await until(pilot, done)
    await pilot.pause(0)  # pilot.pause runs the screen's pending update: layout and compositing
    return (time.perf_counter() - start) * 1000


def in_app(scenario: Callable, size: tuple[int, int] = SIZE) -> Callable[[Bench], list[Result]]:
    """Runs `scenario(pilot, bench)` in the app (at `size`) on the reference data once it is fully loaded."""

    def measure(bench: Bench) -> list[Result]:
        from tui.ui.app import ExplorerApp
        from tui.ui.widgets.region_tree import RegionTree

        app, threads = ExplorerApp(bench.kb), set(threading.enumerate())

        def ready() -> bool:  # loaded, the tree filled, and the app's own threads (loading, indexing) done
            trees = app.screen.query(RegionTree)
            busy = [t for t in threading.enumerate() if t not in threads and not t.name.startswith(POOL_THREADS)]
            return getattr(app, "kb", None) is not None and bool(trees and trees.first().root.children) and not busy

        async def main() -> list[Result]:
            async with app.run_test(size=size) as pilot:
                await until(pilot, ready, timeout=bench.timeout)
                await pilot.pause()
                return await scenario(pilot, bench)

        return asyncio.run(main())

    return measure


@in_app
async def search_keystrokes(pilot, bench: Bench) -> list[Result]:
    """Type each query a character at a time into search; each key is done when the results are."""
    from textual.widgets import Input, Static

    opened = time.perf_counter()
    await pilot.press("slash")
    screen = pilot.app.screen
    await until(pilot, lambda: screen.index.ready, timeout=bench.timeout)
    details = {"open_and_index_s": round(time.perf_counter() - opened, 3)}
    query, count = screen.query_one(Input), screen.query_one("#search-count", Static)

    def updated(text: str, before: object) -> Callable[[], bool]:  # each update replaces the count line
        return lambda: query.value == text and count.content is not before

    samples: list[float] = []
    for text in SEARCH_QUERIES:
        if query.value:
            done, query.value = updated("", count.content), ""
            await until(pilot, done)
        for char in text:
            done = updated(query.value + char, count.content)
            samples.append(await timed_key(pilot, {" ": "space", "-": "minus"}.get(char, char), done, char))
    return [Result("search_keystroke_p95_ms", p95(samples), details | spread(samples))]


@in_app
async def cursor_moves(pilot, bench: Bench) -> list[Result]:
    """`down` in the region tree, then in the Timeline view's table: done when the cursor (and the
    screen's selection) moved and the screen was refreshed. The detail pane and the preview follow
    once the cursor settles (tui/ui/debounce.py), on purpose, so they are not part of a step."""
    from textual.widgets import DataTable

    from tui.ui.widgets.region_tree import RegionTree

    app, explorer = pilot.app, pilot.app.screen
    tree = explorer.query_one(RegionTree)
    tree.select_region(generator.WIDE_ID)  # expands the way down; the wide node's children give lines
    await until(pilot, lambda: getattr(tree.cursor_node, "data", None) == generator.WIDE_ID)
    wide, children = tree.cursor_node, len(app.kb.children(generator.WIDE_ID))
    wide.expand()
    await until(pilot, lambda: len(wide.children) == children)
    tree.move_cursor(tree.root)
    await until(pilot, lambda: explorer.selection == ("regions", tree.root.data))

    def tree_moved(line: int) -> Callable[[], bool]:
        return lambda: tree.cursor_line == line and explorer.selection == ("regions", tree.cursor_node.data)

    tree_ms = [
        await timed_key(pilot, "down", tree_moved(tree.cursor_line + 1))
        for _ in range(min(PRESSES, tree.last_line - tree.cursor_line))
    ]
    opened = time.perf_counter()
    await pilot.press("4")
    await until(pilot, lambda: app.screen is not explorer and bool(app.screen.query(DataTable)), bench.timeout)
    table = app.screen.query_one(DataTable)
    await until(pilot, lambda: table.row_count > 0, bench.timeout)
    opened_s = round(time.perf_counter() - opened, 3)

    def row_moved(row: int) -> Callable[[], bool]:
        return lambda: table.cursor_row == row

    list_ms = [
        await timed_key(pilot, "down", row_moved(table.cursor_row + 1))
        for _ in range(min(PRESSES, table.row_count - 1 - table.cursor_row))
    ]
    return [
        Result("tree_cursor_p95_ms", p95(tree_ms), spread(tree_ms)),
        Result(
            "list_cursor_p95_ms", p95(list_ms), spread(list_ms) | {"open_timeline_s": opened_s, "rows": table.row_count}
        ),
    ]


MARKS = 40  # rows marked, one after another


@in_app
async def mark_toggles(pilot, bench: Bench) -> list[Result]:
    """`m` on successive rows of the Timeline view (the longest list): done when the row's record is
    in the app's marked set (written to the marks' book, the glyph drawn in the row, the header's
    count) and the screen was refreshed. Each `down` before it is not timed."""
    from textual.widgets import DataTable

    app = pilot.app
    await pilot.press("4")
    await until(pilot, lambda: bool(app.screen.query(DataTable)), bench.timeout)
    view = app.screen
    table = view.query_one(DataTable)
    await until(pilot, lambda: table.row_count > 0, bench.timeout)
    samples: list[float] = []
    for _ in range(min(MARKS, table.row_count - 1)):
        row = table.cursor_row
        await timed_key(pilot, "down", lambda row=row: table.cursor_row == row + 1)
        spec = view.table.highlighted_row()
        entry = (spec.kind, spec.id)
        samples.append(await timed_key(pilot, "m", lambda entry=entry: entry in app.marked, "m"))
    return [Result("mark_p95_ms", p95(samples), spread(samples) | {"rows": table.row_count})]


@in_app
async def expand_wide_node(pilot, bench: Bench) -> list[Result]:
    """`right` on the wide node, its children removed first, until they are back and in the tree's lines."""
    from tui.ui.widgets.region_tree import RegionTree

    tree = pilot.app.screen.query_one(RegionTree)
    wanted = len(pilot.app.kb.children(generator.WIDE_ID))
    tree.select_region(generator.WIDE_ID)
    await until(pilot, lambda: getattr(tree.cursor_node, "data", None) == generator.WIDE_ID)
    node, samples = tree.cursor_node, []

    def expanded(lines: int) -> Callable[[], bool]:
        return lambda: len(node.children) == wanted and tree.virtual_size.height >= lines + wanted

    for _ in range(bench.runs):
        node.collapse()
        node.remove_children()  # so that the app adds them again, as on a first expand
        await pilot.pause()
        samples.append(await timed_key(pilot, "right", expanded(tree.virtual_size.height)))
    return [Result("expand_1000_children_ms", statistics.median(samples), {"children": wanted} | spread(samples))]


MAP_SIZE = (160, 48)  # the terminal for the map's figures
MAP_KEYS = ("l", "l", "l", "j", "j", "plus", "h", "h", "k", "plus", "l", "j", "minus", "h", "k", "minus")


async def map_steps(pilot, bench: Bench) -> list[Result]:
    """The map key until the map and its markers are drawn; then pans and zooms (each done when the
    frame changed and the map was drawn again), and n (the next place, its row in the list too)."""
    from textual import events

    from tui.ui.screens.map_view import MapView
    from tui.ui.widgets.map_canvas import MapCanvas

    app = pilot.app
    opened = time.perf_counter()
    pilot.app.post_message(events.Key("6", "6"))

    def drawn() -> bool:
        view = app.screen
        if not isinstance(view, MapView) or not view.query(MapCanvas) or view.canvas.frame is None:
            return False  # not composed, or not fitted to its size yet
        return bool(view.canvas.picture().markers)

    await until(pilot, drawn, bench.timeout)
    await pilot.pause(0)
    open_ms = (time.perf_counter() - opened) * 1000
    view = app.screen
    places = len(view.rows.map.places)
    for _ in range(2):  # two steps in first, so that no step of the round is stopped at the widest zoom
        before = view.frame
        await timed_key(pilot, "plus", lambda b=before: view.frame != b, "+")
    samples: list[float] = []
    for _ in range(6):  # each key of the round twice over: 32 steps
        for key in MAP_KEYS[: len(MAP_KEYS) // 2 * 2]:
            before = view.frame
            char = {"plus": "+", "minus": "-"}.get(key, key)
            samples.append(await timed_key(pilot, key, lambda b=before: view.frame != b, char))
    steps: list[float] = []
    for _ in range(30):
        before = view.selected
        steps.append(await timed_key(pilot, "n", lambda b=before: view.selected != b, "n"))
    details = {"places": places, "markers_at_open": len(view.canvas.picture().markers), "size": list(MAP_SIZE)}
    return [
        Result("map_open_ms", round(open_ms, 1), details),
        Result("map_pan_zoom_p95_ms", p95(samples), spread(samples)),
        Result("map_next_place_p95_ms", p95(steps), spread(steps)),
    ]


map_figures = in_app(map_steps, MAP_SIZE)
