"""How state flows in the explorer: history entries, Back restoring where you stood, one paint per
tree move, quote cards built without Textual, and background loading as Textual workers."""

from __future__ import annotations

import functools
import threading
import time

import pytest
from textual import events

from tui.loading.loader import load
from tui.presentation.quote_card import quote_card, quote_cards
from tui.ui.app import ExplorerApp
from tui.ui.history import History, Place
from tui.ui.messages import LinkChosen, LoadProgress
from tui.ui.screens.explorer_screen import TREE_SETTLE_SECONDS, ExplorerScreen
from tui.ui.widgets.detail_pane import DetailPane
from tui.ui.widgets.quote_panel import QuotePanel
from tui.ui.widgets.region_tree import RegionTree


@pytest.fixture(scope="module")
def kb():
    return load()


def counting(monkeypatch, cls: type, name: str) -> list[object]:
    """Replace cls.name by a wrapper that records each call (functools.wraps keeps the signature
    Textual inspects for watchers)."""
    calls: list[object] = []
    original = getattr(cls, name)

    @functools.wraps(original)
    def wrapper(self, *args, **kwargs):
        calls.append(self)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(cls, name, wrapper)
    return calls


# -- history ---------------------------------------------------------------------------------------
def test_history_browsing_replaces_one_visit_and_places_are_kept() -> None:
    history = History()
    history.visit(("regions", "iraq"))
    history.browse(("regions", "syria"), left_at=Place(4, 2.0))
    history.browse(("regions", "yemen"), left_at=Place(1, 0.0))  # replaces syria: one step back
    assert history.entries == [("regions", "iraq"), ("regions", "yemen")]
    history.visit(("groups", "isis"), left_at=Place(3, 1.0))
    back = history.back(left_at=Place(7, 5.0))
    assert back is not None and back.entry == ("regions", "yemen") and back.place == Place(3, 1.0)
    back = history.back()
    assert back is not None and back.entry == ("regions", "iraq") and back.place == Place(4, 2.0)
    forward = history.forward()
    assert forward is not None and forward.entry == ("regions", "yemen")
    assert history.forward() is not None and history.current.place == Place(7, 5.0)  # type: ignore[union-attr]
    history.browse(("regions", "mosul"))  # after Back/Forward a tree move is a new visit again
    assert history.entries[-2:] == [("groups", "isis"), ("regions", "mosul")]


async def test_opening_a_region_from_search_adds_one_history_entry(kb) -> None:
    """Marawi is folded away under Asia: expanding the path moved the tree cursor over other nodes,
    and each highlight went into the history (two entries, and Back seemed to do nothing)."""
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExplorerScreen)
        await pilot.press("slash", *"Marawi")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause(TREE_SETTLE_SECONDS * 3)
        assert screen.selection == ("regions", "marawi")
        assert screen.history.entries == [("regions", "iraq"), ("regions", "marawi")]
        tree = screen.query_one(RegionTree)
        assert tree.cursor_node is not None and tree.cursor_node.data == "marawi"
        await pilot.press("backspace")
        await pilot.pause()
        assert screen.selection == ("regions", "iraq")
        assert tree.cursor_node is not None and tree.cursor_node.data == "iraq"


async def test_back_restores_the_line_and_scroll_of_the_page_left(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.open("groups", "isis")
        await pilot.pause()
        pane = screen.query_one(DetailPane)
        pane.focus()
        await pilot.press(*["down"] * 12)
        await pilot.pause()
        line, scroll_y = pane.highlighted, pane.scroll_y
        assert line is not None and scroll_y > 0  # far enough down for the pane to have scrolled
        link = pane.chosen_link
        assert link is not None
        await pilot.press("enter")
        await pilot.pause()
        assert screen.selection == (link.kind, link.id)
        assert pane.highlighted is None and pane.scroll_y == 0  # a new page opens at the top
        await pilot.press("down", "down")
        elsewhere = pane.highlighted
        await pilot.press("backspace")
        await pilot.pause()
        assert screen.selection == ("groups", "isis")
        assert (pane.highlighted, pane.scroll_y) == (line, scroll_y)
        assert pane.chosen_link == link
        await pilot.press("alt+right")  # and Forward returns to where it was left
        await pilot.pause()
        assert screen.selection == (link.kind, link.id) and pane.highlighted == elsewhere


# -- one paint per move ----------------------------------------------------------------------------
async def test_a_tree_move_draws_each_pane_once(kb, monkeypatch) -> None:
    details = counting(monkeypatch, DetailPane, "set_options")
    quotes = counting(monkeypatch, QuotePanel, "draw")
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(TREE_SETTLE_SECONDS * 3)
        screen = app.screen
        assert screen.selection == ("regions", "iraq")
        details.clear(), quotes.clear()
        for _ in range(2):  # Syria, then Yemen, in one burst (as a held key delivers them)
            app.post_message(events.Key("down", None))
        await pilot.pause(TREE_SETTLE_SECONDS * 3)
        assert screen.selection == ("regions", "yemen")
        assert len(details) == 1 and len(quotes) == 1  # the burst settled once: one page, one card set
        assert screen.query_one(DetailPane).get_option_at_index(0).prompt.plain == "Yemen"
        assert screen.query_one(QuotePanel).border_title == "Assessments"
        details.clear(), quotes.clear()
        await pilot.press("up")  # back to Syria: its cards differ from Yemen's none
        await pilot.pause(TREE_SETTLE_SECONDS * 3)
        assert len(details) == 1 and len(quotes) == 1
        details.clear(), quotes.clear()
        await pilot.press("up")  # Iraq: the same five assessments as Syria, on the first already
        await pilot.pause(TREE_SETTLE_SECONDS * 3)
        assert len(details) == 1 and len(quotes) == 0  # nothing in the quote panel would change


async def test_following_a_link_posts_one_message_and_draws_once(kb, monkeypatch) -> None:
    details = counting(monkeypatch, DetailPane, "set_options")
    app = ExplorerApp(kb)
    posted: list[LinkChosen] = []
    async with app.run_test(
        size=(80, 24), message_hook=lambda m: posted.append(m) if isinstance(m, LinkChosen) else None
    ) as pilot:
        await pilot.pause(TREE_SETTLE_SECONDS * 3)
        details.clear()
        await pilot.press("tab", "enter")
        await pilot.pause(TREE_SETTLE_SECONDS * 3)
        assert len({id(m) for m in posted}) == 1  # one message (the hook sees it at each node it bubbles through)
        assert app.screen.selection == (posted[0].link.kind, posted[0].link.id)
        assert len(details) == 1


# -- quote cards -----------------------------------------------------------------------------------
def test_quote_cards_say_who_in_what_role_what_and_where(kb) -> None:
    byman = quote_card(kb, kb.get("assessments", "byman-dribs-and-drabs"))
    assert byman.speaker == "Daniel Byman" and byman.role == "Senior fellow, The Brookings Institution"
    assert byman.verbatim and byman.quote.startswith("“") and "dribs and drabs" in byman.quote
    assert byman.citation == "[article ¶23]"
    paraphrase = quote_card(kb, kb.get("assessments", "hassan-comeback-warning"))
    assert not paraphrase.verbatim and paraphrase.quote.startswith("(paraphrase) Warns that ISIS")
    iraq = quote_cards(kb, "regions", "iraq")
    assert len(iraq) == 6 and len(quote_cards(kb, "regions", "yemen")) == 0
    assert iraq == quote_cards(kb, "regions", "syria") and iraq != quote_cards(kb, "regions", "world")
    assert iraq[-1] == quote_card(kb, kb.assessments_about("regions", "iraq")[-1]) and not iraq.built.keys() - {5}


# -- background loading ----------------------------------------------------------------------------
def test_progress_messages_replace_each_other() -> None:
    assert LoadProgress("10%").can_replace(LoadProgress("20%"))
    assert not LoadProgress("10%").can_replace(LinkChosen.__new__(LinkChosen))


async def test_loading_runs_as_a_worker_that_tests_can_wait_for(write_kb) -> None:
    kb = load(write_kb())
    release = threading.Event()

    def held_back(progress):
        progress(1, 2)
        release.wait(10)
        return kb

    app = ExplorerApp(regions=kb.region_index(), background=held_back)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.kb is None and "load" in {w.name for w in app.workers}
        release.set()
        await app.workers.wait_for_complete()
        assert app.kb is kb
        await app.workers.wait_for_complete()  # the search index, started once the data was in
        await pilot.pause()
        pane = app.screen.query_one(DetailPane)
        assert pane.get_option_at_index(0).prompt.plain == "Iraq" and pane.border_title == "region"


async def test_quitting_while_loading_does_not_wait_for_the_loader(write_kb) -> None:
    """The loader runs in a daemon thread: quitting leaves at once, and the loader stops at its next
    file (progress call) instead of reading on."""
    calls: list[float] = []
    stopped = threading.Event()

    def endless(progress):
        try:
            for n in range(10_000):
                progress(n, 10_000)
                calls.append(time.monotonic())
                time.sleep(0.01)  # one "file"
        finally:
            stopped.set()
        raise AssertionError("never finishes")

    app = ExplorerApp(background=endless)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.2)
        assert calls  # reading
        started = time.monotonic()
        await pilot.press("q")
    assert time.monotonic() - started < 1.0
    assert app.return_code == 0
    assert stopped.wait(2)  # cancelled between files
