"""The explorer screen: landing state, links, history, quotes, help, copying, quitting, layouts."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.loading.loader import load
from tui.ui.app import ExplorerApp
from tui.ui.screens.explorer_screen import TREE_SETTLE_SECONDS, ExplorerScreen
from tui.ui.screens.help_screen import HelpScreen
from tui.ui.widgets.detail_pane import DetailPane
from tui.ui.widgets.quote_panel import QuotePanel
from tui.ui.widgets.region_tree import RegionTree


@pytest.fixture(scope="module")
def kb():
    return load()


def detail_text(app: ExplorerApp) -> str:
    pane = app.screen.query_one(DetailPane)
    return "\n".join(pane.get_option_at_index(i).prompt.plain for i in range(pane.option_count))


def tree_labels(tree: RegionTree) -> list[str]:
    out, stack = [], [tree.root]
    while stack:
        node = stack.pop()
        out.append(str(node.label))
        if node.is_expanded:
            stack.extend(reversed(node.children))
    return out


async def test_lands_on_iraq_with_iraq_and_syria_in_the_tree(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(TREE_SETTLE_SECONDS * 3)
        screen = app.screen
        assert isinstance(screen, ExplorerScreen)
        assert screen.selection == ("regions", "iraq")
        labels = tree_labels(screen.query_one(RegionTree))
        assert "Iraq (2)" in labels and "Syria (2)" in labels
        assert all(label.rstrip(")").split("(")[-1].isdigit() for label in labels)  # every node counts groups
        assert detail_text(app).startswith(
            "Iraq\ncountry (our classification) · IQ (ISO 3166-1 alpha-2) · in Middle East › World"
        )
        assert app.title == "isis-explorer"
        await pilot.press("q")
    assert app.return_code == 0


async def test_follow_links_then_back_and_forward(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("tab")  # focus the detail pane: its first link is chosen
        pane = screen.query_one(DetailPane)
        assert pane.has_focus and pane.chosen_link is not None
        first = pane.chosen_link
        await pilot.press("enter")
        await pilot.pause()
        assert screen.selection == (first.kind, first.id)
        assert screen.history.entries == [("regions", "iraq"), (first.kind, first.id)]
        await pilot.press("backspace")
        assert screen.selection == ("regions", "iraq")
        await pilot.press("alt+right")
        assert screen.selection == (first.kind, first.id)
        await pilot.press("alt+left")
        assert screen.selection == ("regions", "iraq")
        await pilot.press("escape")  # nothing further back: escape stays, never quits
        await pilot.pause()
        assert app.is_running and screen.selection == ("regions", "iraq")


async def test_left_right_choose_between_links_on_one_line(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.open("groups", "isis")
        await pilot.pause()
        pane = screen.query_one(DetailPane)
        pane.focus()
        row = next(i for i in range(len(pane.rows)) if len(pane.links_at(i)) > 1)
        pane.highlighted = row
        await pilot.pause()
        links = pane.links_at(row)
        assert pane.chosen_link == links[0]
        await pilot.press("l")
        assert pane.chosen_link == links[1]
        await pilot.press("h")
        assert pane.chosen_link == links[0]
        shown = pane.get_option_at_index(row).prompt
        assert any("reverse" in str(span.style) for span in shown.spans)  # chosen link drawn reversed


async def test_group_shows_relationships_by_type_with_certainty(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.screen.open("groups", "isis-khorasan")
        await pilot.pause()
        text = detail_text(app)
        assert text.startswith("ISIS-Khorasan (as some call it)\nisis-branch (our classification)")
        assert "Taliban" in text and "Haqqani network" in text
        assert "Under pressure from" in text or "Rival of" in text
        assert "Taliban — stated [article ¶34]" in text  # how the source supports each link, in words
        assert "ISIS — implied [article ¶34]" in text
        assert "[article ¶34]" in text


async def test_quote_panel_steps_through_assessments(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.screen.open("regions", "world")
        await pilot.pause()
        panel = app.screen.query_one(QuotePanel)
        count = len(panel.cards)
        assert count > 2 and panel.index == 0
        await pilot.press("right_square_bracket")
        assert panel.index == 1
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert panel.index == count - 1
        body = str(panel.query_one("#quote-body").render())
        current = kb.assessments_about("regions", "world")[panel.index]
        assert (current.text or current.summary)[:30] in body
        assert "¶" in body


async def test_byman_quote_shows_name_and_role(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        byman = next(p for p in kb.of_kind("people") if p.name == "Daniel Byman")
        app.screen.open("people", byman.id)
        await pilot.pause()
        panel = app.screen.query_one(QuotePanel)
        bodies = []
        for _ in panel.cards:
            bodies.append(str(panel.query_one("#quote-body").render()))
            await pilot.press("right_square_bracket")
        joined = "\n".join(bodies)
        assert "Daniel Byman" in joined and "dribs and drabs" in joined
        assert "Brookings" in joined or "author" in joined.lower()


async def test_help_lists_keys_from_bindings_and_closes(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text").render())
        for description in ("Quit", "Search", "Back", "Forward", "Next assessment", "Follow link", "Copy"):
            assert description in text
        await pilot.press("escape")
        assert isinstance(app.screen, ExplorerScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("q")  # q closes help, it does not quit
        assert isinstance(app.screen, ExplorerScreen) and app.is_running


async def test_ctrl_c_quits_cleanly(kb) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+c")
    assert app.return_code == 0


async def test_copy_puts_markdown_with_citation_on_the_clipboard(kb, tmp_path: Path) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.open("groups", "isis-khorasan")
        await pilot.press("c")
        assert app.clipboard.startswith("# ISIS-Khorasan (as some call it)\n")
        assert "\\[article ¶34\\]" in app.clipboard
        written = app.screen.write_selected(tmp_path)
        assert written is not None and written.read_text(encoding="utf-8") == app.clipboard


@pytest.mark.parametrize(
    "size, layout", [((160, 48), "-wide"), ((80, 24), "-narrow"), ((60, 20), "-narrow"), ((40, 12), "-stacked")]
)
async def test_layout_follows_width_and_nothing_crashes(kb, size, layout) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert app.screen.has_class(layout)
        # at 40x12 the assessments give way so the tree keeps its rows (tests/test_terminal_sizes.py)
        for pane in ("#regions", "#detail", "#quotes") if size != (40, 12) else ("#regions", "#detail"):
            region = app.screen.query_one(pane).region
            assert region.width > 0 and region.height > 0
        await pilot.press("tab", "down", "enter", "backspace", "question_mark", "escape")
        await pilot.resize_terminal(30, 8)
        await pilot.pause()
        await pilot.resize_terminal(*size)
        await pilot.pause()
        assert app.is_running


async def test_hostile_text_is_shown_literally(write_kb) -> None:
    root = write_kb(
        zz=(
            "groups:\n"
            "  - id: hostile\n"
            '    name: "[@click=app.quit]x[/] [bold]y \\e]0;pwned\\a \\u202e"\n'
            "    kind: insurgency\n"
            "    regions: [iraq]\n"
            '    summary: "[/] [$accent] \\e[2J"\n'
            "    cite: article/p1\n"
        )
    )
    app = ExplorerApp(load(root))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.screen.open("groups", "hostile")
        await pilot.pause()
        text = detail_text(app)
        assert "[@click=app.quit]x[/] [bold]y" in text
        assert "[/] [$accent]" in text
        assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text
        assert "\u241b]0;pwned\u2407" in text
        app.screen.query_one(DetailPane).focus()
        await pilot.click(DetailPane, offset=(3, 1))
        await pilot.pause()
        assert app.is_running


@pytest.mark.parametrize(
    "key, view", [("2", "GroupsView"), ("3", "AnalystsView"), ("4", "TimelineView"), ("5", "FiguresView")]
)
async def test_each_view_is_one_key_away_and_enter_opens_in_the_explorer(kb, key, view) -> None:
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
        assert type(app.screen).__name__ == view
        await pilot.press("escape")
        assert isinstance(app.screen, ExplorerScreen)
        await pilot.press(key, "j", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ExplorerScreen)
        assert app.screen.history.entries[-1] == app.screen.selection
        assert app.screen.selection != ("regions", "iraq")
        await pilot.press("backspace")  # back to the view the record was opened from, over the page before
        await pilot.pause()
        assert type(app.screen).__name__ == view
        assert app.explorer.selection == ("regions", "iraq")
        await pilot.press("1")
        assert isinstance(app.screen, ExplorerScreen)


async def test_done_when_khorasan_and_dribs_by_search(kb) -> None:
    """The issue's acceptance path: /Khorasan Enter, /dribs Enter, ? and q at 80x24."""
    app = ExplorerApp(kb)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"Khorasan")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.selection == ("groups", "isis-khorasan")
        text = detail_text(app)
        assert "Under pressure from" in text and "Taliban" in text and "Haqqani network" in text
        await pilot.press("slash", *"dribs")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        kind, record_id = app.screen.selection
        assert kind == "assessments" and "dribs and drabs" in kb.get(kind, record_id).text
        assert "Daniel Byman — Senior fellow, The Brookings Institution" in detail_text(app)
        quote = str(app.screen.query_one(QuotePanel).query_one("#quote-body").render())
        assert "Daniel Byman" in quote and "dribs and drabs" in quote
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape", "q")
    assert app.return_code == 0


@pytest.mark.parametrize("width", [100, 120, 121, 160])
async def test_no_wrapped_detail_line_is_cut_off_when_the_scrollbar_appears(kb, width) -> None:
    """The option list measures wrapped lines once; a scrollbar appearing afterwards narrowed the
    text and the last wrapped line of ISIS's summary ("article ¶18; article ¶29]") vanished."""
    import html
    import re

    app = ExplorerApp(kb)
    async with app.run_test(size=(width, 32)) as pilot:
        await pilot.pause(TREE_SETTLE_SECONDS * 3)
        app.screen.open("groups", "isis")
        await pilot.pause()
        svg = html.unescape(app.export_screenshot()).replace("\xa0", " ")
        screen_text = " ".join(re.sub(r"<[^>]+>", " ", svg).split())
        assert "article ¶29]" in screen_text
