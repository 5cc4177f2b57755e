"""Keys are never lost: a burst (a fast typist, a paste, an SSH link that batches keys) typed with the
`/` that opens search, or while the knowledge base is still loading, reaches the search input in order.

The bursts are posted to the app all at once, as the driver does with one read from the terminal, so
every key is queued before the search dialog has even been pushed."""

from __future__ import annotations

import re
import threading

import pytest
from textual import events
from textual.widgets import Input

from tui.loading.loader import load
from tui.ui.app import ExplorerApp
from tui.ui.screens.explorer_screen import ExplorerScreen
from tui.ui.screens.loading_screen import LoadingScreen
from tui.ui.screens.search_screen import SearchScreen
from tui.ui.widgets.detail_pane import DetailPane

KHORASAN = ("groups", "isis-khorasan")
NAMES = {"/": "slash", "?": "question_mark", "\r": "enter", "\x1b": "escape", "\x7f": "backspace", " ": "space"}


@pytest.fixture(scope="module")
def kb():
    return load()


def burst(app: ExplorerApp, text: str) -> None:
    """Queue every key of `text` at once, before any of them is handled."""
    for char in text:
        key = NAMES.get(char, char)
        app.post_message(events.Key(key, char if char.isprintable() else None))


async def until(pilot, condition, tries: int = 200) -> None:
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("condition never held")


def selection(app: ExplorerApp):
    return app.explorer.selection


async def test_slash_query_enter_in_one_burst_opens_the_record(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        burst(app, "/Khorasan\r")
        await until(pilot, lambda: isinstance(app.screen, ExplorerScreen) and selection(app) == KHORASAN)
        assert app.last_query == "Khorasan"
        pane = app.screen.query_one(DetailPane)
        assert "result 1/" in str(pane.border_subtitle)


async def test_letters_after_slash_are_typed_not_obeyed(kb) -> None:
    """q, ?, 2 and h right behind `/` are query text: they neither quit, open help, switch view nor
    move the tree."""
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        before = selection(app)
        burst(app, "/q?2hx")
        await until(pilot, lambda: isinstance(app.screen, SearchScreen) and app.screen.query_value == "q?2hx")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, SearchScreen)
        assert app.screen.query_one(Input).value == "q?2hx"
        assert app.screen_stack[-2].__class__ is ExplorerScreen and selection(app) == before


async def test_escape_in_the_burst_closes_and_later_keys_reach_the_explorer(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        burst(app, "/Mosul\x1b")
        await until(pilot, lambda: app.last_query == "Mosul")
        assert isinstance(app.screen, ExplorerScreen)
        burst(app, "/")  # reopens with the last query, selected: typing replaces it
        await until(pilot, lambda: isinstance(app.screen, SearchScreen) and app.screen.is_mounted)
        query_input = app.screen.query_one(Input)
        assert query_input.value == "Mosul" and query_input.selected_text == "Mosul"
        burst(app, "Khorasan\r")
        await until(pilot, lambda: isinstance(app.screen, ExplorerScreen) and selection(app) == KHORASAN)


async def test_slash_during_background_loading_opens_search_and_runs_the_query_when_ready(kb) -> None:
    release = threading.Event()

    def held_back(progress):
        progress(1, 2)
        release.wait(10)
        return kb

    app = ExplorerApp(regions=kb.region_index(), background=held_back)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.kb is None
        before = selection(app)
        burst(app, "/Khorasan\r")
        await until(pilot, lambda: isinstance(app.screen, SearchScreen) and app.screen.query_value == "Khorasan")
        await pilot.pause(0.1)
        assert isinstance(app.screen, SearchScreen) and app.kb is None  # waits: nothing refused or lost
        assert selection(app) == before  # no letter acted on the tree
        release.set()
        await until(pilot, lambda: isinstance(app.screen, ExplorerScreen) and selection(app) == KHORASAN)


async def test_search_typed_on_the_loading_screen_survives_the_switch(kb) -> None:
    release = threading.Event()

    def held_back(progress):
        progress(1, 3)
        release.wait(10)
        progress(2, 3)  # progress arriving while the search dialog is over the loading screen
        return kb

    app = ExplorerApp(background=held_back)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LoadingScreen))
        burst(app, "/Khorasan")
        await until(pilot, lambda: isinstance(app.screen, SearchScreen) and app.screen.query_value == "Khorasan")
        await pilot.pause(0.15)  # progress is posted at most every 0.1 s: the next one is not dropped
        release.set()
        await until(pilot, lambda: app.kb is not None)
        await until(pilot, lambda: isinstance(app.screen, SearchScreen) and bool(app.screen.hits))
        assert app.screen.query_value == "Khorasan"
        assert isinstance(app.screen_stack[-2], ExplorerScreen)
        assert (app.screen.hits[0].kind, app.screen.hits[0].id) == KHORASAN
        burst(app, "\r")
        await until(pilot, lambda: isinstance(app.screen, ExplorerScreen) and selection(app) == KHORASAN)


async def test_a_view_asked_for_while_loading_opens_when_ready(kb) -> None:
    from tui.ui.screens.groups_view import GroupsView

    release = threading.Event()

    def held_back(progress):
        release.wait(10)
        return kb

    app = ExplorerApp(regions=kb.region_index(), background=held_back)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("2")
        assert isinstance(app.screen, ExplorerScreen)
        release.set()
        await until(pilot, lambda: isinstance(app.screen, GroupsView) and app.screen.is_mounted)
        await pilot.pause(0.1)


async def test_n_and_shift_n_step_through_the_last_results(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        burst(app, "/Khorasan\r")
        await until(pilot, lambda: selection(app) == KHORASAN)
        results = app.search_results
        assert len(results) >= 3 and results[0] == KHORASAN
        pane = app.screen.query_one(DetailPane)
        burst(app, "nn")
        await until(pilot, lambda: selection(app) == results[2])
        assert f"result 3/{len(results)}" in str(pane.border_subtitle)
        burst(app, "N")
        await until(pilot, lambda: selection(app) == results[1])
        assert f"result 2/{len(results)}" in str(pane.border_subtitle)
        burst(app, "NN")  # wraps round to the last
        await until(pilot, lambda: selection(app) == results[-1])
        assert isinstance(app.screen, ExplorerScreen)  # never reopened the dialog


async def test_n_before_any_search_says_so(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        before = selection(app)
        await pilot.press("n")
        assert selection(app) == before and isinstance(app.screen, ExplorerScreen)


async def test_keys_taken_before_the_input_mounts_are_applied_in_order(kb) -> None:
    """The dialog's own buffer: keys handed to it before it is even pushed (as the app does for keys
    dispatched while the dialog is still being mounted) are applied once its input has focus."""
    from tui.knowledge.search_index import index_for

    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = SearchScreen(index_for(kb), "old query")
        for char in "Khoq\x7frasan":  # typing replaces the selected old query; backspace deletes the q
            key = NAMES.get(char, char)
            assert screen.take_key(events.Key(key, char if char.isprintable() else None))
        opened = []
        await app.push_screen(screen, opened.append)
        assert screen.query_value == "Khorasan"
        assert not screen.take_key(events.Key("x", "x"))  # mounted: keys go to the input as usual
        await pilot.pause()
        assert screen.hits and (screen.hits[0].kind, screen.hits[0].id) == KHORASAN
        screen.apply_early_key(events.Key("enter", None))
        await until(pilot, lambda: opened == [KHORASAN])


def test_a_burst_written_as_the_tree_appears_opens_khorasan_in_a_terminal(tmp_path) -> None:
    """In a real pty: `/Khorasan` and Enter in one write, the moment the tree is drawn."""
    import os

    from test_terminal_faults import in_pty, read_pty, wait_exit

    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    with in_pty([], env) as (pid, fd):
        shown = read_pty(fd, b"Iraq", 20)
        assert b"Iraq" in shown, shown[-500:]
        os.write(fd, b"/Khorasan\r")
        text, wanted = b"", (b"Haqqani", b"Taliban", b"result 1/")
        for _ in range(100):  # until the Khorasan page, named by the search, is all on screen
            text += re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]", b"", read_pty(fd, None, 0.2))
            if all(word in text for word in wanted):
                break
        assert all(word in text for word in wanted), text[-2000:]
        os.write(fd, b"q")
        assert wait_exit(pid, 10) == 0
